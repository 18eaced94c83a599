/*
 * test_fold.c - app/fold and app/dup: folding entry by entry (case,
 * diacritics, Đ, Albanian, Turkish, Serbian and Macedonian Cyrillic,
 * Russian Cyrillic, Arabic script), keys of the romanisation variants,
 * skeletons, "Abd al-", articles, codes, Jaro-Winkler, and the duplicate
 * verdicts; NULL and empty inputs everywhere.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "app/dup.h"
#include "app/fold.h"
#include "app/pdate.h"

struct pair {
	const char *in;
	const char *out;
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void check(const struct pair *t, size_t n, char which)
{
	struct rcms_fold f;
	char out[512];
	size_t i;

	for (i = 0; i < n; i++) {
		rcms_fold_name(t[i].in, &f);
		rcms_fold_join(&f, which, out, sizeof(out));
		if (strcmp(out, t[i].out) != 0)
			fail_msg("'%s' (%c): got '%s', expected '%s'", t[i].in,
				 which, out, t[i].out);
	}
}

/* ---- rcms_fold_name: text -------------------------------------------- */

static void test_fold_latin(void **state)
{
	static const struct pair t[] = {
		{"Petrović", "petrovic"}, {"PETROVIC", "petrovic"},
		{"Petrovic", "petrovic"}, {"Čačić", "cacic"},
		{"Šešelj", "seselj"}, {"Žužić", "zuzic"},
		{"Đorđević", "djordjevic"}, {"ĐURIĆ", "djuric"},
		{"Shkëlqim", "shkelqim"}, {"Çela", "cela"},
		{"Yılmaz", "yilmaz"}, {"IŞIK", "isik"}, {"İsmail", "ismail"},
		{"Ağaoğlu", "agaoglu"}, {"Müller", "muller"},
		{"Æsir", "aesir"}, {"Œuvre", "oeuvre"}, {"Straße", "strasse"},
		{"Þór", "thor"}, {"Łukasz", "lukasz"}, {"Ștefan", "stefan"},
		{"Țepeș", "tepes"}, {"Əliyev", "eliyev"}, {"ǅemal", "dzemal"},
		{"O'Brien", "obrien"}, {"D’Angelo", "dangelo"},
		{"Jean-Luc", "jean luc"}, {"  Ana   Marija  ", "ana marija"},
		{"Smith, John", "smith john"},
		/* decomposed: C + combining caron */
		{"C\xcc\x8c" "ac\xcc\x8ci\xcc\x81" "c\xcc\x81", "cacic"},
	};

	(void)state;
	check(t, N(t), 't');
}

static void test_fold_cyrillic(void **state)
{
	static const struct pair t[] = {
		{"Петровић", "petrovic"}, {"ПЕТРОВИЋ", "petrovic"},
		{"Ђорђевић", "djordjevic"}, {"Љубиша", "ljubisa"},
		{"Његош", "njegos"}, {"Џеко", "dzeko"}, {"Јован", "jovan"},
		{"Ћоровић", "corovic"}, {"Жарко", "zarko"},
		{"Чедомир", "cedomir"}, {"Шабан", "saban"},
		{"Хасан", "hasan"}, {"Цвијић", "cvijic"},
		{"Ѓорѓи", "gjorgji"}, {"Ќиро", "kjiro"}, {"Ѕвезда", "dzvezda"},
		{"Щукин", "shchukin"}, {"Юрий", "yuriy"}, {"Яков", "yakov"},
		{"Мальцев", "malcev"}, {"Подъячев", "podyacev"},
		{"Ёлкин", "elkin"}, {"Ґонта", "gonta"}, {"Їжак", "yizak"},
	};

	(void)state;
	check(t, N(t), 't');
}

static void test_fold_arabic(void **state)
{
	static const struct pair t[] = {
		{"محمد", "mhmd"}, {"مُحَمَّد", "mhmd"}, {"أحمد", "ahmd"},
		{"حسين", "hsyn"}, {"خان", "khan"}, {"عمر", "mr"},
		{"علي", "ly"}, {"عبد الرحمن", "bd rhmn"},
		{"پرویز", "prwyz"}, {"گل", "gl"}, {"چوہدری", "chwhdry"},
		{"فاطمة", "fatma"}, {"ـمحمـد", "mhmd"},
	};

	(void)state;
	check(t, N(t), 't');
}

static void test_fold_null_empty(void **state)
{
	struct rcms_fold f;
	char out[16] = "x";

	(void)state;
	rcms_fold_name(NULL, &f);
	assert_int_equal(f.n, 0);
	rcms_fold_name("", &f);
	assert_int_equal(f.n, 0);
	rcms_fold_name(" - ' . ", &f);
	assert_int_equal(f.n, 0);
	rcms_fold_name("\xff\xfe", &f);  /* invalid UTF-8: separators */
	assert_int_equal(f.n, 0);
	rcms_fold_name("ab\xff" "cd", &f);
	assert_int_equal(f.n, 2);
	rcms_fold_name("x", NULL);       /* no crash */
	rcms_fold_append("x", NULL);
	rcms_fold_append(NULL, &f);
	assert_int_equal(f.n, 2);
	assert_string_equal(rcms_fold_join(NULL, 't', out, sizeof(out)), "");
	assert_null(rcms_fold_join(&f, 't', NULL, 0));
	rcms_fold_key(NULL, out, sizeof(out));
	assert_string_equal(out, "");
	rcms_fold_key("", out, sizeof(out));
	assert_string_equal(out, "");
	rcms_fold_skel(NULL, out, sizeof(out));
	assert_string_equal(out, "");
	rcms_fold_key("abc", NULL, 0);
	rcms_fold_key("abc", out, 0);
	assert_string_equal(rcms_fold_code(NULL, out, sizeof(out)), "");
}

static void test_fold_limits(void **state)
{
	char many[2048] = "", out[4096];
	struct rcms_fold f;
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < 40; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, "w%zu ", i);
	rcms_fold_name(many, &f);
	assert_int_equal(f.n, RCMS_FOLD_WORDS);
	memset(many, 'a', 300);
	many[300] = '\0';
	rcms_fold_name(many, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(strlen(f.w[0].text), RCMS_FOLD_WORD_LEN - 1);
	rcms_fold_name("alpha beta gamma", &f);
	/* join cuts between words */
	assert_string_equal(rcms_fold_join(&f, 't', out, 11), "alpha beta");
	assert_string_equal(rcms_fold_join(&f, 't', out, 10), "alpha");
	assert_string_equal(rcms_fold_join(&f, 't', out, 1), "");
}

/* ---- keys: the variants meet ---------------------------------------- */

/* Every name of a group has the same keys; groups differ. */
static const char *const groups[][6] = {
	{"Петровић", "Petrović", "PETROVIC", "Petrovic", "Petrovich", NULL},
	{"Muhammad", "Mohammad", "Mohammed", "Muhammed", "Mohamed", NULL},
	{"Ahmad", "Ahmed", "AHMED", NULL},
	{"Hussain", "Hussein", "Husain", "Husein", "Hossain", NULL},
	{"Đorđević", "Djordjevic", "DORDEVIC", "Ђорђевић", "Dordevic", NULL},
	{"Abdul Rahman", "Abdel Rahman", "Abd al-Rahman", "Abdulrahman",
	 "Abd-ul-Rahman", NULL},
	{"Abdullah", "Abdallah", "Abd Allah", "Abdulla", NULL},
	{"Yusuf", "Yousef", "Yousuf", "Jusuf", NULL},
	{"Müller", "Mueller", "MUELLER", NULL},
	{"Љубиша", "Ljubiša", "Ljubisa", NULL},
	{"Џеко", "Džeko", "Dzeko", NULL},
	{"Šabani", "Shabani", "Шабани", NULL},
	{"Khalid", "Khaled", "Халид", NULL},
	{"Said", "Saeed", "Sayed", NULL},
	{"Mahmood", "Mahmud", "Mehmood", NULL},
	{"Al-Hassan", "El Hassan", "Hassan", "Hasan", NULL},
	{"Zhukov", "Жуков", "Zukov", NULL},
	{"Tsvetkov", "Цветков", "Cvetkov", NULL},
	{"Ismail", "Ismael", "İsmail", NULL},
	{"Usman", "Osman", "Uthman", "Othman", NULL},
};

static void keys_of(const char *name, char *out, size_t size)
{
	struct rcms_fold f;

	rcms_fold_name(name, &f);
	rcms_fold_join(&f, 'k', out, size);
}

static void test_fold_key_groups(void **state)
{
	char k0[256], k[256];
	size_t g, i, h;

	(void)state;
	for (g = 0; g < N(groups); g++) {
		keys_of(groups[g][0], k0, sizeof(k0));
		assert_true(k0[0] != '\0');
		for (i = 1; groups[g][i]; i++) {
			keys_of(groups[g][i], k, sizeof(k));
			if (strcmp(k, k0) != 0)
				fail_msg("'%s' key '%s' but '%s' key '%s'",
					 groups[g][i], k, groups[g][0], k0);
		}
		for (h = g + 1; h < N(groups); h++) {
			keys_of(groups[h][0], k, sizeof(k));
			if (strcmp(k, k0) == 0)
				fail_msg("'%s' and '%s' share key '%s'",
					 groups[g][0], groups[h][0], k);
		}
	}
}

static void test_fold_key_table(void **state)
{
	static const struct pair t[] = {
		{"muhammad", "muhamad"}, {"hussein", "husan"},
		{"petrovic", "patruvic"}, {"djordjevic", "durdavic"},
		{"dzeko", "jaku"}, {"shabani", "sabani"},
		{"qasim", "kasim"}, {"wahid", "vahid"}, {"alexa", "alaksa"},
		{"fatimah", "fatima"}, {"sh", "s"}, {"a", "a"},
		{"yousef", "isuf"}, {"mueller", "mular"},
	};
	char out[64];
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		rcms_fold_key(t[i].in, out, sizeof(out));
		if (strcmp(out, t[i].out) != 0)
			fail_msg("key '%s': got '%s', expected '%s'", t[i].in,
				 out, t[i].out);
	}
	rcms_fold_key("muhammad", out, 5);
	assert_string_equal(out, "muha");
}

static void test_fold_skel(void **state)
{
	static const struct pair t[] = {
		{"محمد", "mhmd"}, {"Muhammad", "mhmd"}, {"Mohammed", "mhmd"},
		{"حسين", "hsn"}, {"Hussain", "hsn"}, {"أحمد", "hmd"},
		{"Ahmed", "hmd"}, {"خان", "hn"}, {"Khan", "hn"},
		{"عمر", "mr"}, {"Omar", "mr"}, {"يوسف", "sf"}, {"Yusuf", "sf"},
		{"عبد الرحمن", "bd rhmn"}, {"Abdul Rahman", "bd rhmn"},
		{"Petrović", "ptrvc"},
	};

	(void)state;
	check(t, N(t), 's');
}

static void test_fold_unrelated(void **state)
{
	static const char *const pairs[][2] = {
		{"Petrović", "Petrovski"}, {"Marko", "Mirko"},
		{"Ivan", "Ivana"}, {"Hasan", "Husein"}, {"Jovanović", "Janković"},
		{"Ahmad", "Mahmud"}, {"Ali", "Alija"},
	};
	char a[64], b[64];
	size_t i;

	(void)state;
	for (i = 0; i < N(pairs); i++) {
		keys_of(pairs[i][0], a, sizeof(a));
		keys_of(pairs[i][1], b, sizeof(b));
		if (strcmp(a, b) == 0)
			fail_msg("'%s' and '%s' share key '%s'", pairs[i][0],
				 pairs[i][1], a);
	}
}

/* ---- codes, Jaro-Winkler ---------------------------------------------- */

static void test_fold_code(void **state)
{
	char out[16];

	(void)state;
	assert_string_equal(rcms_fold_code("ab 12-345/x", out, sizeof(out)),
			    "AB12345X");
	assert_string_equal(rcms_fold_code("", out, sizeof(out)), "");
	assert_string_equal(rcms_fold_code("abcdef", out, 4), "ABC");
	assert_null(rcms_fold_code("x", NULL, 0));
}

static void test_fold_jw(void **state)
{
	(void)state;
	assert_true(rcms_fold_jw("martha", "marhta") > 0.96);
	assert_true(rcms_fold_jw("martha", "marhta") < 0.97);
	assert_true(rcms_fold_jw("abc", "abc") == 1.0);
	assert_true(rcms_fold_jw("abc", "xyz") == 0.0);
	assert_true(rcms_fold_jw("", "") == 1.0);
	assert_true(rcms_fold_jw("", "a") == 0.0);
	assert_true(rcms_fold_jw(NULL, "a") == 0.0);
	assert_true(rcms_fold_jw("petrovic", "petrovlc") > 0.9);
}

/* ---- duplicates -------------------------------------------------------- */

static void person(struct rcms_dup_person *p, const char *sur,
		   const char *given, const char *birth, const char *nat,
		   const char *docs)
{
	struct rcms_pdate d = {0, 0, 0};

	if (birth)
		assert_int_equal(rcms_pdate_parse(birth, NULL, &d, NULL),
				 RCMS_OK);
	rcms_dup_person_set(p, sur, given, NULL, NULL, NULL, &d, nat, docs);
}

static void test_dup_verdicts(void **state)
{
	struct rcms_dup_person a, b;
	struct rcms_dup_score s;

	(void)state;
	person(&a, "Petrović", "Marko", "1990-03-14", "SRB", "AB123456");
	person(&b, "Петровић", "Марко", "1990", "SRB", "ab-123456");
	rcms_dup_compare(&a, &b, &s);
	assert_int_equal(s.name, RCMS_DUP_MATCH);
	assert_int_equal(s.birth, RCMS_DUP_COMPATIBLE);
	assert_int_equal(s.nationality, RCMS_DUP_MATCH);
	assert_int_equal(s.document, RCMS_DUP_MATCH);
	assert_true(s.score >= RCMS_DUP_THRESHOLD);

	/* swapped order, a variant, the month only */
	person(&a, "Khan", "Muhammad", "1990-03-14", "PAK", NULL);
	person(&b, "Mohammed", "Khan", "1990-03", "PAK", NULL);
	rcms_dup_compare(&a, &b, &s);
	assert_int_equal(s.name, RCMS_DUP_COMPATIBLE);
	assert_int_equal(s.birth, RCMS_DUP_COMPATIBLE);
	assert_int_equal(s.document, RCMS_DUP_UNKNOWN);
	assert_true(s.score >= RCMS_DUP_THRESHOLD);

	/* the same common name, another year and passport */
	person(&b, "Khan", "Muhammad", "1984", "PAK", "X9");
	person(&a, "Khan", "Muhammad", "1990-03-14", "PAK", "Y1");
	rcms_dup_compare(&a, &b, &s);
	assert_int_equal(s.name, RCMS_DUP_MATCH);
	assert_int_equal(s.birth, RCMS_DUP_MISMATCH);
	assert_int_equal(s.document, RCMS_DUP_MISMATCH);
	assert_true(s.score < RCMS_DUP_THRESHOLD);

	/* another person altogether */
	person(&a, "Jovanović", "Ana", "1990-03-14", "SRB", NULL);
	person(&b, "Petrović", "Marko", "1990-03-14", "SRB", NULL);
	rcms_dup_compare(&a, &b, &s);
	assert_int_equal(s.name, RCMS_DUP_MISMATCH);
	assert_int_equal(s.birth, RCMS_DUP_MATCH);
	assert_true(s.score < RCMS_DUP_THRESHOLD);

	/* Arabic script against Latin; nothing else known */
	person(&a, "محمد", "حسين", NULL, NULL, NULL);
	person(&b, "Hussein", "Mohammad", NULL, "", "");
	rcms_dup_compare(&a, &b, &s);
	assert_int_equal(s.name, RCMS_DUP_COMPATIBLE);
	assert_int_equal(s.birth, RCMS_DUP_UNKNOWN);
	assert_int_equal(s.nationality, RCMS_DUP_UNKNOWN);

	/* nothing at all */
	person(&a, NULL, NULL, NULL, NULL, NULL);
	rcms_dup_compare(&a, &b, &s);
	assert_int_equal(s.name, RCMS_DUP_UNKNOWN);
	assert_true(s.score < RCMS_DUP_THRESHOLD);
	rcms_dup_person_set(NULL, "x", NULL, NULL, NULL, NULL, NULL, NULL,
			    NULL);
}

static void test_dup_name_sim(void **state)
{
	struct rcms_fold a, b;

	(void)state;
	rcms_fold_name("Marko Petrović", &a);
	rcms_fold_name("Petrovic Marko", &b);
	assert_true(rcms_dup_name_sim(&a, &b) == 1.0);
	rcms_fold_name("Petrovlc Marko", &b);   /* a typo */
	assert_true(rcms_dup_name_sim(&a, &b) >= 0.85);
	rcms_fold_name("Marko Petrović Jovanov", &b);
	assert_true(rcms_dup_name_sim(&a, &b) >= 0.9);
	assert_true(rcms_dup_name_sim(&a, &b) < 1.0);
	rcms_fold_name("", &b);
	assert_true(rcms_dup_name_sim(&a, &b) < 0);
	assert_true(rcms_dup_name_sim(NULL, &a) < 0);
	assert_string_equal(rcms_enum_name(rcms_dup_verdict_names,
					   RCMS_DUP_COMPATIBLE), "compatible");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_latin),
		cmocka_unit_test(test_fold_cyrillic),
		cmocka_unit_test(test_fold_arabic),
		cmocka_unit_test(test_fold_null_empty),
		cmocka_unit_test(test_fold_limits),
		cmocka_unit_test(test_fold_key_groups),
		cmocka_unit_test(test_fold_key_table),
		cmocka_unit_test(test_fold_skel),
		cmocka_unit_test(test_fold_unrelated),
		cmocka_unit_test(test_fold_code),
		cmocka_unit_test(test_fold_jw),
		cmocka_unit_test(test_dup_verdicts),
		cmocka_unit_test(test_dup_name_sim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
