/*
 * test_mrz.c - app/mrz: check digits, the Doc 9303 specimens, located
 * errors, confusion suggestions, input tolerance, dates, generation,
 * rendering and a 100,000-person generate -> parse round trip.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "app/mrz.h"
#include "tests/unit/mrz_vectors.h"

static const struct rcms_pdate TODAY = {2026, 3, 1};
static struct rcms_mrz M;

static enum rcms_status parse(const char *text)
{
	return rcms_mrz_parse(text, TODAY, &M);
}

/* The first error (or warning) concerning field f, NULL when none. */
static const struct rcms_mrz_issue *issue_of(enum rcms_mrz_field_id f,
					     enum rcms_mrz_severity sev)
{
	int i;

	for (i = 0; i < M.nissues; i++)
		if (M.issue[i].field == f && M.issue[i].severity == sev)
			return &M.issue[i];
	return NULL;
}

/* Whether some issue's message contains needle. */
static bool issue_says(const char *needle)
{
	int i;

	for (i = 0; i < M.nissues; i++)
		if (strstr(M.issue[i].msg, needle))
			return true;
	return false;
}

static void assert_field(enum rcms_mrz_field_id id, int line, int col,
			 const char *raw, const char *value)
{
	const struct rcms_mrz_field *f = &M.field[id];

	assert_true(f->present);
	assert_true(f->valid);
	assert_int_equal(f->line, line);
	assert_int_equal(f->col, col);
	if (raw)
		assert_string_equal(f->raw, raw);
	assert_string_equal(f->value, value);
}

static void assert_pdate(const struct rcms_pdate *d, int y, int m, int day)
{
	assert_int_equal(d->year, y);
	assert_int_equal(d->month, m);
	assert_int_equal(d->day, day);
}

/* Recompute every check digit of a zone held as lines (test helper). */
static void fix_checks(enum rcms_mrz_format fmt, char l[][RCMS_MRZ_LINE_MAX + 1])
{
	char comp[64];
	int n = 0;

	if (fmt == RCMS_MRZ_TD1) {
		if (l[0][14] != '<')
			l[0][14] = (char)('0' + rcms_mrz_check_digit(l[0] + 5, 9));
		l[1][6] = (char)('0' + rcms_mrz_check_digit(l[1], 6));
		l[1][14] = (char)('0' + rcms_mrz_check_digit(l[1] + 8, 6));
		memcpy(comp, l[0] + 5, 25);
		memcpy(comp + 25, l[1], 7);
		memcpy(comp + 32, l[1] + 8, 7);
		memcpy(comp + 39, l[1] + 18, 11);
		l[1][29] = (char)('0' + rcms_mrz_check_digit(comp, 50));
		return;
	}
	l[1][9] = (char)('0' + rcms_mrz_check_digit(l[1], 9));
	l[1][19] = (char)('0' + rcms_mrz_check_digit(l[1] + 13, 6));
	l[1][27] = (char)('0' + rcms_mrz_check_digit(l[1] + 21, 6));
	if (fmt == RCMS_MRZ_TD3) {
		if (l[1][42] != '<')
			l[1][42] = (char)('0' +
					  rcms_mrz_check_digit(l[1] + 28, 14));
		n = 22;
	} else if (fmt == RCMS_MRZ_TD2) {
		n = 14;
	} else {
		return;
	}
	memcpy(comp, l[1], 10);
	memcpy(comp + 10, l[1] + 13, 7);
	memcpy(comp + 17, l[1] + 21, (size_t)n);
	l[1][21 + n] = (char)('0' + rcms_mrz_check_digit(comp, (size_t)(17 + n)));
}

static void join2(char *out, size_t size, const char *a, const char *b)
{
	snprintf(out, size, "%s\n%s", a, b);
}

/* A TD3 zone from the specimen with line 2 changed at [pos] to s. */
static enum rcms_status parse_td3_l2(const char *patch, int pos, bool fix)
{
	char l[3][RCMS_MRZ_LINE_MAX + 1];
	char text[RCMS_MRZ_TEXT_MAX];

	snprintf(l[0], sizeof l[0], "%s", MRZ_TD3_L1);
	snprintf(l[1], sizeof l[1], "%s", MRZ_TD3_L2);
	memcpy(l[1] + pos, patch, strlen(patch));
	if (fix)
		fix_checks(RCMS_MRZ_TD3, l);
	join2(text, sizeof text, l[0], l[1]);
	return parse(text);
}

/* The specimen's line 2 under line1 padded with fillers to 44. */
static enum rcms_status parse_l1(const char *line1)
{
	char text[RCMS_MRZ_TEXT_MAX * 2];
	size_t n = strlen(line1);

	assert_true(n <= 44);
	memcpy(text, line1, n);
	memset(text + n, '<', 44 - n);
	snprintf(text + 44, sizeof text - 44, "\n%s", MRZ_TD3_L2);
	return parse(text);
}

/* ---- check digits ----------------------------------------------------- */

static void test_check_digit_vectors(void **state)
{
	(void)state;
	assert_int_equal(rcms_mrz_check_digit("L898902C3", 9), 6);
	assert_int_equal(rcms_mrz_check_digit("740812", 6), 2);
	assert_int_equal(rcms_mrz_check_digit("120415", 6), 9);
	assert_int_equal(rcms_mrz_check_digit("520727", 6), 3);
	assert_int_equal(rcms_mrz_check_digit("D23145890", 9), 7);
	assert_int_equal(rcms_mrz_check_digit("D23145890734", 12), 9);
	assert_int_equal(rcms_mrz_check_digit("ZE184226B<<<<<", 14), 1);
	assert_int_equal(rcms_mrz_check_digit("<<<<<<", 6), 0);
	/* A..Z are 10..35: "A" alone is 10 * 7 = 70 -> 0, "B" 77 -> 7 */
	assert_int_equal(rcms_mrz_check_digit("A", 1), 0);
	assert_int_equal(rcms_mrz_check_digit("B", 1), 7);
	assert_int_equal(rcms_mrz_check_digit("Z", 1), 5);  /* 245 */
}

static void test_check_digit_invalid(void **state)
{
	(void)state;
	assert_int_equal(rcms_mrz_check_digit(NULL, 3), -1);
	assert_int_equal(rcms_mrz_check_digit("", 0), 0);
	assert_int_equal(rcms_mrz_check_digit("l898902c3", 9), -1);
	assert_int_equal(rcms_mrz_check_digit("AB CD", 5), -1);
	assert_int_equal(rcms_mrz_check_digit("AB?", 3), -1);
}

/* ---- specimens -------------------------------------------------------- */

static void test_specimen_td3(void **state)
{
	(void)state;
	assert_int_equal(parse(MRZ_TD3), RCMS_OK);
	assert_int_equal(M.format, RCMS_MRZ_TD3);
	assert_int_equal(M.nerrors, 0);
	assert_int_equal(M.nlines, 2);
	assert_string_equal(M.line[0], MRZ_TD3_L1);
	assert_field(RCMS_MRZ_F_DOC_CODE, 1, 1, "P<", "P");
	assert_field(RCMS_MRZ_F_ISSUING_STATE, 1, 3, "UTO", "UTO");
	assert_field(RCMS_MRZ_F_SURNAMES, 1, 6, "ERIKSSON", "ERIKSSON");
	assert_field(RCMS_MRZ_F_GIVEN_NAMES, 1, 16, "ANNA<MARIA",
		     "ANNA MARIA");
	assert_field(RCMS_MRZ_F_DOC_NUMBER, 2, 1, "L898902C3", "L898902C3");
	assert_field(RCMS_MRZ_F_DOC_NUMBER_CHECK, 2, 10, "6", "6");
	assert_field(RCMS_MRZ_F_NATIONALITY, 2, 11, "UTO", "UTO");
	assert_field(RCMS_MRZ_F_BIRTH_DATE, 2, 14, "740812", "1974-08-12");
	assert_field(RCMS_MRZ_F_BIRTH_DATE_CHECK, 2, 20, "2", "2");
	assert_field(RCMS_MRZ_F_SEX, 2, 21, "F", "F");
	assert_field(RCMS_MRZ_F_EXPIRY_DATE, 2, 22, "120415", "2012-04-15");
	assert_field(RCMS_MRZ_F_EXPIRY_DATE_CHECK, 2, 28, "9", "9");
	assert_field(RCMS_MRZ_F_PERSONAL_NUMBER, 2, 29, "ZE184226B<<<<<",
		     "ZE184226B");
	assert_field(RCMS_MRZ_F_PERSONAL_NUMBER_CHECK, 2, 43, "1", "1");
	assert_field(RCMS_MRZ_F_COMPOSITE_CHECK, 2, 44, "0", "0");
	assert_false(M.field[RCMS_MRZ_F_OPTIONAL1].present);
	assert_false(M.field[RCMS_MRZ_F_OPTIONAL2].present);
	assert_int_equal(M.sex, RCMS_SEX_F);
	assert_pdate(&M.birth_date, 1974, 8, 12);
	assert_pdate(&M.expiry_date, 2012, 4, 15);
	/* Utopia is fictional and the specimen expired: warnings only */
	assert_int_equal(M.nwarnings, 3);
	assert_non_null(issue_of(RCMS_MRZ_F_ISSUING_STATE, RCMS_MRZ_WARNING));
	assert_non_null(issue_of(RCMS_MRZ_F_NATIONALITY, RCMS_MRZ_WARNING));
	assert_true(issue_says("expired on 2012-04-15"));
	assert_int_equal(M.nsuggestions, 0);
}

static void test_specimen_td1(void **state)
{
	(void)state;
	assert_int_equal(parse(MRZ_TD1), RCMS_OK);
	assert_int_equal(M.format, RCMS_MRZ_TD1);
	assert_int_equal(M.nlines, 3);
	assert_field(RCMS_MRZ_F_DOC_CODE, 1, 1, "I<", "I");
	assert_field(RCMS_MRZ_F_ISSUING_STATE, 1, 3, "UTO", "UTO");
	assert_field(RCMS_MRZ_F_DOC_NUMBER, 1, 6, "D23145890", "D23145890");
	assert_field(RCMS_MRZ_F_DOC_NUMBER_CHECK, 1, 15, "7", "7");
	assert_field(RCMS_MRZ_F_OPTIONAL1, 1, 16, "<<<<<<<<<<<<<<<", "");
	assert_field(RCMS_MRZ_F_BIRTH_DATE, 2, 1, "740812", "1974-08-12");
	assert_field(RCMS_MRZ_F_BIRTH_DATE_CHECK, 2, 7, "2", "2");
	assert_field(RCMS_MRZ_F_SEX, 2, 8, "F", "F");
	assert_field(RCMS_MRZ_F_EXPIRY_DATE, 2, 9, "120415", "2012-04-15");
	assert_field(RCMS_MRZ_F_EXPIRY_DATE_CHECK, 2, 15, "9", "9");
	assert_field(RCMS_MRZ_F_NATIONALITY, 2, 16, "UTO", "UTO");
	assert_field(RCMS_MRZ_F_OPTIONAL2, 2, 19, "<<<<<<<<<<<", "");
	assert_field(RCMS_MRZ_F_COMPOSITE_CHECK, 2, 30, "6", "6");
	assert_field(RCMS_MRZ_F_SURNAMES, 3, 1, "ERIKSSON", "ERIKSSON");
	assert_field(RCMS_MRZ_F_GIVEN_NAMES, 3, 11, "ANNA<MARIA",
		     "ANNA MARIA");
	assert_false(M.long_document_number);
	assert_false(M.field[RCMS_MRZ_F_PERSONAL_NUMBER].present);
}

static void test_specimen_td2(void **state)
{
	(void)state;
	assert_int_equal(parse(MRZ_TD2), RCMS_OK);
	assert_int_equal(M.format, RCMS_MRZ_TD2);
	assert_field(RCMS_MRZ_F_DOC_CODE, 1, 1, "I<", "I");
	assert_field(RCMS_MRZ_F_SURNAMES, 1, 6, "ERIKSSON", "ERIKSSON");
	assert_field(RCMS_MRZ_F_GIVEN_NAMES, 1, 16, "ANNA<MARIA",
		     "ANNA MARIA");
	assert_field(RCMS_MRZ_F_DOC_NUMBER, 2, 1, "D23145890", "D23145890");
	assert_field(RCMS_MRZ_F_DOC_NUMBER_CHECK, 2, 10, "7", "7");
	assert_field(RCMS_MRZ_F_BIRTH_DATE, 2, 14, "740812", "1974-08-12");
	assert_field(RCMS_MRZ_F_EXPIRY_DATE, 2, 22, "120415", "2012-04-15");
	assert_field(RCMS_MRZ_F_OPTIONAL1, 2, 29, "<<<<<<<", "");
	assert_field(RCMS_MRZ_F_COMPOSITE_CHECK, 2, 36, "6", "6");
	assert_pdate(&M.birth_date, 1974, 8, 12);
}

static void test_specimen_mrva(void **state)
{
	(void)state;
	assert_int_equal(parse(MRZ_MRVA), RCMS_OK);
	assert_int_equal(M.format, RCMS_MRZ_MRVA);
	assert_field(RCMS_MRZ_F_DOC_CODE, 1, 1, "V<", "V");
	assert_field(RCMS_MRZ_F_DOC_NUMBER, 2, 1, "L8988901C", "L8988901C");
	assert_field(RCMS_MRZ_F_DOC_NUMBER_CHECK, 2, 10, "4", "4");
	/* XXX, unspecified nationality, is one of ICAO's codes */
	assert_field(RCMS_MRZ_F_NATIONALITY, 2, 11, "XXX", "XXX");
	assert_false(M.field[RCMS_MRZ_F_NATIONALITY].warned);
	assert_field(RCMS_MRZ_F_BIRTH_DATE, 2, 14, "400907", "1940-09-07");
	assert_field(RCMS_MRZ_F_BIRTH_DATE_CHECK, 2, 20, "8", "8");
	assert_field(RCMS_MRZ_F_EXPIRY_DATE, 2, 22, "961210", "1996-12-10");
	assert_field(RCMS_MRZ_F_EXPIRY_DATE_CHECK, 2, 28, "9", "9");
	assert_field(RCMS_MRZ_F_OPTIONAL1, 2, 29, "6ZE184226B<<<<<<",
		     "6ZE184226B");
	assert_false(M.field[RCMS_MRZ_F_COMPOSITE_CHECK].present);
	assert_false(M.field[RCMS_MRZ_F_PERSONAL_NUMBER].present);
}

static void test_specimen_mrvb(void **state)
{
	(void)state;
	assert_int_equal(parse(MRZ_MRVB), RCMS_OK);
	assert_int_equal(M.format, RCMS_MRZ_MRVB);
	assert_field(RCMS_MRZ_F_DOC_NUMBER, 2, 1, "L8988901C", "L8988901C");
	assert_field(RCMS_MRZ_F_BIRTH_DATE, 2, 14, "400907", "1940-09-07");
	assert_field(RCMS_MRZ_F_OPTIONAL1, 2, 29, "<<<<<<<<", "");
	assert_false(M.field[RCMS_MRZ_F_COMPOSITE_CHECK].present);
	assert_pdate(&M.expiry_date, 1996, 12, 10);
}

static void test_specimen_td1_long_number(void **state)
{
	(void)state;
	assert_int_equal(parse(MRZ_TD1_LONG), RCMS_OK);
	assert_true(M.long_document_number);
	assert_string_equal(M.field[RCMS_MRZ_F_DOC_NUMBER].value,
			    "D23145890734");
	assert_int_equal(M.field[RCMS_MRZ_F_DOC_NUMBER].col, 6);
	/* the check digit of the whole number follows it in line 1 */
	assert_field(RCMS_MRZ_F_DOC_NUMBER_CHECK, 1, 19, "9", "9");
	assert_field(RCMS_MRZ_F_OPTIONAL1, 1, 21, "<<<<<<<<<<", "");
	assert_field(RCMS_MRZ_F_SURNAMES, 3, 1, "STEVENSON", "STEVENSON");
	assert_field(RCMS_MRZ_F_GIVEN_NAMES, 3, 12, "PETER<JOHN",
		     "PETER JOHN");
	assert_int_equal(M.sex, RCMS_SEX_M);
	assert_pdate(&M.birth_date, 1934, 7, 12);
	assert_pdate(&M.expiry_date, 1995, 7, 12);
	assert_field(RCMS_MRZ_F_COMPOSITE_CHECK, 2, 30, "2", "2");
}

static void test_td1_long_number_errors(void **state)
{
	(void)state;
	/* the check digit of the whole number broken: 9 -> 4 at column 19 */
	assert_int_equal(parse("I<UTOD23145890<7344<<<<<<<<<<<\n"
			       "3407127M9507122UTO<<<<<<<<<<<2\n"
			       MRZ_TD1_LONG_L3), RCMS_ERR_INVALID);
	assert_non_null(issue_of(RCMS_MRZ_F_DOC_NUMBER_CHECK,
				 RCMS_MRZ_ERROR));
	assert_string_equal(issue_of(RCMS_MRZ_F_DOC_NUMBER_CHECK,
				     RCMS_MRZ_ERROR)->msg,
			    "line 1, column 19: check digit of the document "
			    "number is 4, expected 9");
	/* a continuation without its check digit */
	assert_int_equal(parse("I<UTOD23145890<7<<<<<<<<<<<<<<\n"
			       "3407127M9507122UTO<<<<<<<<<<<2\n"
			       MRZ_TD1_LONG_L3), RCMS_ERR_INVALID);
	assert_true(issue_says("line 1, column 16: the document number "
			       "continues in the optional data"));
	/* a continuation of 14 characters leaves no room for the filler */
	assert_int_equal(parse("I<UTOD23145890<ABCDEFGHIJKLMN5\n"
			       "3407127M9507122UTO<<<<<<<<<<<2\n"
			       MRZ_TD1_LONG_L3), RCMS_ERR_INVALID);
	assert_true(issue_says("line 1, column 30: the document number fills "
			       "the optional data"));
}

/* ---- generation reproduces the specimens ------------------------------ */

static void person(struct rcms_person *p, const char *sur, const char *given,
		   const char *nat, int y, int m, int d, enum rcms_sex sex)
{
	memset(p, 0, sizeof *p);
	snprintf(p->surnames, sizeof p->surnames, "%s", sur);
	snprintf(p->given_names, sizeof p->given_names, "%s", given);
	snprintf(p->nationality, sizeof p->nationality, "%s", nat);
	p->birth_date.year = y;
	p->birth_date.month = m;
	p->birth_date.day = d;
	p->sex = sex;
}

static void document(struct rcms_document *d, const char *num,
		     const char *state, int y, int m, int day)
{
	memset(d, 0, sizeof *d);
	snprintf(d->number, sizeof d->number, "%s", num);
	snprintf(d->issuing_state, sizeof d->issuing_state, "%s", state);
	d->expiry_date.year = y;
	d->expiry_date.month = m;
	d->expiry_date.day = day;
}

static void test_generate_specimens(void **state)
{
	struct rcms_person p;
	struct rcms_document d;
	struct rcms_mrz_gen_opts o;
	struct rcms_err err;
	char out[RCMS_MRZ_TEXT_MAX];

	(void)state;
	person(&p, "Eriksson", "Anna Maria", "UTO", 1974, 8, 12, RCMS_SEX_F);
	document(&d, "L898902C3", "UTO", 2012, 4, 15);
	memset(&o, 0, sizeof o);
	o.optional1 = "ZE184226B";
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, &o, out,
					   sizeof out, &err), RCMS_OK);
	assert_string_equal(out, MRZ_TD3);

	document(&d, "D23145890", "UTO", 2012, 4, 15);
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD1, &p, &d, NULL, out,
					   sizeof out, &err), RCMS_OK);
	assert_string_equal(out, MRZ_TD1);
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD2, &p, &d, NULL, out,
					   sizeof out, &err), RCMS_OK);
	assert_string_equal(out, MRZ_TD2);

	person(&p, "Eriksson", "Anna Maria", "XXX", 1940, 9, 7, RCMS_SEX_F);
	document(&d, "L8988901C", "UTO", 1996, 12, 10);
	o.optional1 = "6ZE184226B";
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_MRVA, &p, &d, &o, out,
					   sizeof out, &err), RCMS_OK);
	assert_string_equal(out, MRZ_MRVA);
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_MRVB, &p, &d, NULL, out,
					   sizeof out, &err), RCMS_OK);
	assert_string_equal(out, MRZ_MRVB);

	person(&p, "Stevenson", "Peter John", "UTO", 1934, 7, 12, RCMS_SEX_M);
	document(&d, "D23145890734", "UTO", 1995, 7, 12);
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD1, &p, &d, NULL, out,
					   sizeof out, &err), RCMS_OK);
	assert_string_equal(out, MRZ_TD1_LONG);
}

/* ---- every check digit, broken one at a time -------------------------- */

struct check_pos {
	const char *zone;
	int line, col;   /* 1-based */
	enum rcms_mrz_field_id field;
};

static const struct check_pos check_positions[] = {
	{MRZ_TD3, 2, 10, RCMS_MRZ_F_DOC_NUMBER_CHECK},
	{MRZ_TD3, 2, 20, RCMS_MRZ_F_BIRTH_DATE_CHECK},
	{MRZ_TD3, 2, 28, RCMS_MRZ_F_EXPIRY_DATE_CHECK},
	{MRZ_TD3, 2, 43, RCMS_MRZ_F_PERSONAL_NUMBER_CHECK},
	{MRZ_TD3, 2, 44, RCMS_MRZ_F_COMPOSITE_CHECK},
	{MRZ_TD1, 1, 15, RCMS_MRZ_F_DOC_NUMBER_CHECK},
	{MRZ_TD1, 2, 7, RCMS_MRZ_F_BIRTH_DATE_CHECK},
	{MRZ_TD1, 2, 15, RCMS_MRZ_F_EXPIRY_DATE_CHECK},
	{MRZ_TD1, 2, 30, RCMS_MRZ_F_COMPOSITE_CHECK},
	{MRZ_TD1_LONG, 1, 19, RCMS_MRZ_F_DOC_NUMBER_CHECK},
	{MRZ_TD1_LONG, 2, 7, RCMS_MRZ_F_BIRTH_DATE_CHECK},
	{MRZ_TD1_LONG, 2, 15, RCMS_MRZ_F_EXPIRY_DATE_CHECK},
	{MRZ_TD1_LONG, 2, 30, RCMS_MRZ_F_COMPOSITE_CHECK},
	{MRZ_TD2, 2, 10, RCMS_MRZ_F_DOC_NUMBER_CHECK},
	{MRZ_TD2, 2, 20, RCMS_MRZ_F_BIRTH_DATE_CHECK},
	{MRZ_TD2, 2, 28, RCMS_MRZ_F_EXPIRY_DATE_CHECK},
	{MRZ_TD2, 2, 36, RCMS_MRZ_F_COMPOSITE_CHECK},
	{MRZ_MRVA, 2, 10, RCMS_MRZ_F_DOC_NUMBER_CHECK},
	{MRZ_MRVA, 2, 20, RCMS_MRZ_F_BIRTH_DATE_CHECK},
	{MRZ_MRVA, 2, 28, RCMS_MRZ_F_EXPIRY_DATE_CHECK},
	{MRZ_MRVB, 2, 10, RCMS_MRZ_F_DOC_NUMBER_CHECK},
	{MRZ_MRVB, 2, 20, RCMS_MRZ_F_BIRTH_DATE_CHECK},
	{MRZ_MRVB, 2, 28, RCMS_MRZ_F_EXPIRY_DATE_CHECK},
};

static void test_each_check_digit_broken(void **state)
{
	size_t i;
	int d;

	(void)state;
	for (i = 0; i < sizeof check_positions / sizeof check_positions[0];
	     i++) {
		const struct check_pos *cp = &check_positions[i];
		char text[RCMS_MRZ_TEXT_MAX], *p = text, want[96];
		const struct rcms_mrz_issue *is;
		int line = 1;
		char was;

		snprintf(text, sizeof text, "%s", cp->zone);
		while (line < cp->line) {
			p = strchr(p, '\n') + 1;
			line++;
		}
		p += cp->col - 1;
		was = *p;
		for (d = 1; d <= 9; d++) {
			*p = (char)('0' + (was - '0' + d) % 10);
			assert_int_equal(parse(text), RCMS_ERR_INVALID);
			is = issue_of(cp->field, RCMS_MRZ_ERROR);
			assert_non_null(is);
			assert_int_equal(is->line, cp->line);
			assert_int_equal(is->col, cp->col);
			snprintf(want, sizeof want, "line %d, column %d: %s is "
				 "%c, expected %c", cp->line, cp->col,
				 rcms_mrz_field_label(cp->field), *p, was);
			assert_string_equal(is->msg, want);
			assert_false(M.field[cp->field].valid);
		}
	}
	/* the example of the brief, word for word */
	assert_int_equal(parse_td3_l2("3", 9, false), RCMS_ERR_INVALID);
	assert_string_equal(issue_of(RCMS_MRZ_F_DOC_NUMBER_CHECK,
				     RCMS_MRZ_ERROR)->msg,
			    "line 2, column 10: check digit of the document "
			    "number is 3, expected 6");
}

static void test_check_digit_not_a_digit(void **state)
{
	(void)state;
	/* '<' in a data check digit: only an all-filler field allows it */
	assert_int_equal(parse_td3_l2("<", 9, false), RCMS_ERR_INVALID);
	assert_true(issue_says("line 2, column 10: check digit of the "
			       "document number is '<', expected 6"));
	/* personal number all fillers: its check digit may be '<' or 0 */
	assert_int_equal(parse_td3_l2("<<<<<<<<<<<<<<<", 28, true), RCMS_OK);
	assert_string_equal(M.field[RCMS_MRZ_F_PERSONAL_NUMBER_CHECK].raw, "<");
	assert_int_equal(parse_td3_l2("<<<<<<<<<<<<<<0", 28, true), RCMS_OK);
	/* ... but not when it holds something */
	assert_int_equal(parse_td3_l2("AB<<<<<<<<<<<<<", 28, true),
			 RCMS_ERR_INVALID);
	assert_non_null(issue_of(RCMS_MRZ_F_PERSONAL_NUMBER_CHECK,
				 RCMS_MRZ_ERROR));
}

/* ---- suggestions ------------------------------------------------------ */

/* Parse zone with one character replaced; expect exactly one suggestion. */
static void expect_suggestion(const char *zone, int line, int col, char bad,
			      char good, enum rcms_mrz_field_id field)
{
	char text[RCMS_MRZ_TEXT_MAX], *p = text, fixed[RCMS_MRZ_LINE_MAX + 1];
	const struct rcms_mrz_suggestion *s;
	int l = 1;
	size_t n;

	snprintf(text, sizeof text, "%s", zone);
	while (l < line) {
		p = strchr(p, '\n') + 1;
		l++;
	}
	n = strcspn(p, "\n");
	memcpy(fixed, p, n);
	fixed[n] = '\0';
	assert_int_equal(p[col - 1], good);
	p[col - 1] = bad;
	assert_int_equal(parse(text), RCMS_ERR_INVALID);
	assert_int_equal(M.nsuggestions, 1);
	s = &M.suggestion[0];
	assert_int_equal(s->line, line);
	assert_int_equal(s->col, col);
	assert_int_equal(s->from, bad);
	assert_int_equal(s->to, good);
	assert_int_equal(s->field, field);
	assert_string_equal(s->corrected, fixed);
	/* never applied */
	assert_int_equal(M.line[line - 1][col - 1], bad);
	assert_true(M.nerrors > 0);
}

static void test_suggest_letters_in_numeric_fields(void **state)
{
	(void)state;
	/* 740812 2 F 120415 9 in TD3 line 2 columns 14..28 */
	expect_suggestion(MRZ_TD3, 2, 16, 'O', '0', RCMS_MRZ_F_BIRTH_DATE);
	expect_suggestion(MRZ_TD3, 2, 22, 'I', '1', RCMS_MRZ_F_EXPIRY_DATE);
	expect_suggestion(MRZ_TD3, 2, 19, 'Z', '2', RCMS_MRZ_F_BIRTH_DATE);
	expect_suggestion(MRZ_TD3, 2, 27, 'S', '5', RCMS_MRZ_F_EXPIRY_DATE);
	expect_suggestion(MRZ_TD3, 2, 17, 'B', '8', RCMS_MRZ_F_BIRTH_DATE);
	/* check digits: 2 (birth), 0 (composite), 1 (personal number) */
	expect_suggestion(MRZ_TD3, 2, 20, 'Z', '2',
			  RCMS_MRZ_F_BIRTH_DATE_CHECK);
	expect_suggestion(MRZ_TD3, 2, 44, 'O', '0',
			  RCMS_MRZ_F_COMPOSITE_CHECK);
	expect_suggestion(MRZ_TD3, 2, 43, 'I', '1',
			  RCMS_MRZ_F_PERSONAL_NUMBER_CHECK);
	/* TD1 and TD2 too */
	expect_suggestion(MRZ_TD1, 2, 9, 'I', '1', RCMS_MRZ_F_EXPIRY_DATE);
	expect_suggestion(MRZ_TD2, 2, 17, 'B', '8', RCMS_MRZ_F_BIRTH_DATE);
}

static void test_suggest_digits_in_alphabetic_fields(void **state)
{
	struct rcms_person p;
	struct rcms_document d;
	char zone[RCMS_MRZ_TEXT_MAX];

	(void)state;
	/* a name with all five letters: OBIZS */
	person(&p, "Obizs", "Anna", "SRB", 1990, 1, 2, RCMS_SEX_F);
	document(&d, "AB1234567", "SRB", 2030, 5, 6);
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, zone,
					   sizeof zone, NULL), RCMS_OK);
	assert_int_equal(parse(zone), RCMS_OK);
	expect_suggestion(zone, 1, 6, '0', 'O', RCMS_MRZ_F_SURNAMES);
	expect_suggestion(zone, 1, 7, '8', 'B', RCMS_MRZ_F_SURNAMES);
	expect_suggestion(zone, 1, 8, '1', 'I', RCMS_MRZ_F_SURNAMES);
	expect_suggestion(zone, 1, 9, '2', 'Z', RCMS_MRZ_F_SURNAMES);
	expect_suggestion(zone, 1, 10, '5', 'S', RCMS_MRZ_F_SURNAMES);
	/* issuing state and nationality: SRB */
	expect_suggestion(zone, 1, 3, '5', 'S', RCMS_MRZ_F_ISSUING_STATE);
	expect_suggestion(zone, 2, 13, '8', 'B', RCMS_MRZ_F_NATIONALITY);
	/* the document code */
	expect_suggestion(MRZ_TD1, 1, 1, '1', 'I', RCMS_MRZ_F_DOC_CODE);
	/* given names in TD1 line 3 */
	expect_suggestion(MRZ_TD1, 3, 3, '1', 'I', RCMS_MRZ_F_SURNAMES);
	expect_suggestion(MRZ_TD1, 3, 5, '5', 'S', RCMS_MRZ_F_SURNAMES);
	expect_suggestion(MRZ_TD1, 3, 19, '1', 'I', RCMS_MRZ_F_GIVEN_NAMES);
}

static void test_suggest_document_number(void **state)
{
	static const char *const numbers[] = {
		"AC0D34679", "ACOD34679", "AC1D34679", "ACID34679",
		"AC2D34679", "ACZD34679", "AC5D34679", "ACSD34679",
		"AC8D34679", "ACBD34679",
	};
	struct rcms_person p;
	struct rcms_document d;
	char zone[RCMS_MRZ_TEXT_MAX];
	size_t i;

	(void)state;
	/* alphanumeric: both directions are tried, check digits decide */
	person(&p, "Petrovic", "Marko", "SRB", 1985, 6, 7, RCMS_SEX_M);
	for (i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
		char good = numbers[i][2];
		char bad = numbers[i ^ 1][2];

		document(&d, numbers[i], "SRB", 2031, 1, 1);
		assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL,
						   zone, sizeof zone, NULL),
				 RCMS_OK);
		assert_int_equal(parse(zone), RCMS_OK);
		expect_suggestion(zone, 2, 3, bad, good,
				  RCMS_MRZ_F_DOC_NUMBER);
	}
}

static void test_suggest_ambiguous(void **state)
{
	struct rcms_person p;
	struct rcms_document d;
	char zone[RCMS_MRZ_TEXT_MAX];
	int i;

	(void)state;
	/*
	 * A check digit is one digit: in a number made of confusable
	 * characters several single changes can satisfy it.  Each is
	 * offered; none is chosen.  (0I2ZS5B8O with its S typed as 5:
	 * 5 -> S, and also I -> 1, Z -> 2, B -> 8, 8 -> B, pass the document
	 * number's check digit and the composite.)
	 */
	person(&p, "Petrovic", "Marko", "SRB", 1985, 6, 7, RCMS_SEX_M);
	document(&d, "0I2ZS5B8O", "SRB", 2031, 1, 1);
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, zone,
					   sizeof zone, NULL), RCMS_OK);
	zone[45 + 4] = '5';
	assert_int_equal(parse(zone), RCMS_ERR_INVALID);
	assert_int_equal(M.nsuggestions, 5);
	for (i = 0; i < M.nsuggestions; i++) {
		char fixed[RCMS_MRZ_TEXT_MAX];
		struct rcms_mrz keep = M;

		assert_int_equal(M.suggestion[i].field, RCMS_MRZ_F_DOC_NUMBER);
		/* each suggestion, applied, gives a valid zone */
		snprintf(fixed, sizeof fixed, "%s\n%s", M.line[0],
			 M.suggestion[i].corrected);
		assert_int_equal(parse(fixed), RCMS_OK);
		M = keep;
	}
	assert_int_equal(M.suggestion[2].col, 5);
	assert_int_equal(M.suggestion[2].to, 'S');
}

static void test_no_suggestion_when_two_fields_change(void **state)
{
	(void)state;
	/* O in the birth date and I in the expiry date */
	assert_int_equal(parse_td3_l2("74O8122FI20415", 13, false),
			 RCMS_ERR_INVALID);
	assert_int_equal(M.nsuggestions, 0);
	/* a confusion plus an unrelated wrong digit */
	assert_int_equal(parse_td3_l2("74O812", 13, false), RCMS_ERR_INVALID);
	assert_int_equal(M.nsuggestions, 1);
	assert_int_equal(parse("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
			       "L898902C37UTO74O8122F1204159ZE184226B<<<<<10"),
			 RCMS_ERR_INVALID);
	assert_int_equal(M.nsuggestions, 0);
	/* a digit typed wrong, not confused: nothing to suggest */
	assert_int_equal(parse_td3_l2("3", 9, false), RCMS_ERR_INVALID);
	assert_int_equal(M.nsuggestions, 0);
	/* and none for a valid zone */
	assert_int_equal(parse(MRZ_TD3), RCMS_OK);
	assert_int_equal(M.nsuggestions, 0);
}

/* ---- input tolerance -------------------------------------------------- */

static void test_input_whitespace_and_crlf(void **state)
{
	(void)state;
	assert_int_equal(parse("\n\n   " MRZ_TD3_L1 "  \r\n\r\n\t"
			       MRZ_TD3_L2 "\t\r\n  \n"), RCMS_OK);
	assert_int_equal(M.format, RCMS_MRZ_TD3);
	assert_string_equal(M.line[1], MRZ_TD3_L2);
	assert_int_equal(M.nwarnings, 3);
	assert_int_equal(parse(MRZ_TD1_L1 "\r\n" MRZ_TD1_L2 "\r\n" MRZ_TD1_L3),
			 RCMS_OK);
}

static void test_input_lower_case(void **state)
{
	(void)state;
	assert_int_equal(parse("p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<<\n"
			       MRZ_TD3_L2), RCMS_OK);
	assert_string_equal(M.line[0], MRZ_TD3_L1);
	assert_int_equal(M.nwarnings, 4);
	assert_true(issue_says("line 1, column 1: lower-case letters were "
			       "read as capitals"));
}

static void test_input_one_line(void **state)
{
	(void)state;
	assert_int_equal(parse(MRZ_TD3_L1 MRZ_TD3_L2), RCMS_OK);
	assert_int_equal(M.format, RCMS_MRZ_TD3);
	assert_true(issue_says("one line of 88 characters"));
	assert_int_equal(parse(MRZ_TD1_L1 MRZ_TD1_L2 MRZ_TD1_L3), RCMS_OK);
	assert_int_equal(M.format, RCMS_MRZ_TD1);
	assert_int_equal(parse(MRZ_TD2_L1 MRZ_TD2_L2), RCMS_OK);
	assert_int_equal(M.format, RCMS_MRZ_TD2);
}

static void test_input_wrong_length(void **state)
{
	const struct rcms_mrz_issue *is;

	(void)state;
	assert_int_equal(parse(MRZ_TD3_L1 "\n"
			       "L898902C36UTO7408122F1204159ZE184226B<<<<<1"),
			 RCMS_ERR_INVALID);
	assert_int_equal(M.format, RCMS_MRZ_TD3);
	assert_int_equal(M.nerrors, 1);
	is = &M.issue[0];
	assert_int_equal(is->line, 2);
	assert_string_equal(is->msg, "line 2: 43 characters, expected 44 "
			    "(TD3: passport, 2 lines of 44)");
	assert_false(M.field[RCMS_MRZ_F_DOC_NUMBER].present);
	/* TD1 with a short middle line */
	assert_int_equal(parse(MRZ_TD1_L1 "\n7408122F1204159UTO\n"
			       MRZ_TD1_L3), RCMS_ERR_INVALID);
	assert_true(issue_says("line 2: 18 characters, expected 30"));
	/* both lines off: 40 and 41 read as 44 */
	assert_int_equal(parse("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<\n"
			       "L898902C36UTO7408122F1204159ZE184226B<<<<"),
			 RCMS_ERR_INVALID);
	assert_int_equal(M.nerrors, 2);
	assert_true(issue_says("line 1: 40 characters, expected 44"));
}

static void test_input_wrong_line_count(void **state)
{
	(void)state;
	assert_int_equal(parse(MRZ_TD3_L1), RCMS_ERR_INVALID);
	assert_int_equal(M.format, RCMS_MRZ_UNKNOWN);
	assert_true(issue_says("the MRZ has 1 line of 44 characters, expected "
			       "2 lines of 44 or 36 characters, or 3 lines "
			       "of 30"));
	assert_int_equal(parse(MRZ_TD1 "\n" MRZ_TD1_L3), RCMS_ERR_INVALID);
	assert_true(issue_says("the MRZ has 4 lines, expected 2"));
	assert_int_equal(M.format, RCMS_MRZ_UNKNOWN);
}

static void test_input_bad_characters(void **state)
{
	const struct rcms_mrz_issue *is;

	(void)state;
	/* a space inside line 2, column 5 */
	assert_int_equal(parse(MRZ_TD3_L1 "\nL898 02C36UTO7408122F1204159"
			       "ZE184226B<<<<<10"), RCMS_ERR_INVALID);
	is = issue_of(RCMS_MRZ_F_DOC_NUMBER, RCMS_MRZ_ERROR);
	assert_non_null(is);
	assert_string_equal(is->msg, "line 2, column 5: a space is not "
			    "allowed in an MRZ (only A-Z, 0-9 and <)");
	assert_false(M.field[RCMS_MRZ_F_DOC_NUMBER].valid);
	/* a letter with a diacritic counts as one character */
	assert_int_equal(parse("P<UTOERIKSSÖN<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
			       MRZ_TD3_L2), RCMS_ERR_INVALID);
	assert_int_equal(M.format, RCMS_MRZ_TD3);
	assert_true(issue_says("line 1, column 12: the character 'Ö' (U+00D6) "
			       "is not allowed"));
	assert_false(M.field[RCMS_MRZ_F_SURNAMES].valid);
	/* a character that could turn the text around is not echoed */
	assert_int_equal(parse("P<UTOERIKSS\xe2\x80\xaeN<<ANNA<MARIA<<<<<<<<<<<<<<"
			       "<<<<<\n" MRZ_TD3_L2), RCMS_ERR_INVALID);
	assert_true(issue_says("line 1, column 12: the character U+202E is "
			       "not allowed"));
	/* not UTF-8 */
	assert_int_equal(parse("P<UTOERIKSS\xffN<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
			       MRZ_TD3_L2), RCMS_ERR_INVALID);
	assert_true(issue_says("line 1, column 12: the byte 0xFF (not UTF-8)"));
	/* many: the first three one by one, then a count */
	assert_int_equal(parse("P<UTO.....................<<<<<<<<<<<<<<<<<<\n"
			       MRZ_TD3_L2), RCMS_ERR_INVALID);
	assert_int_equal(M.nerrors, 21);
	assert_true(issue_says("line 1: 18 more characters are not allowed"));
	assert_int_equal(M.nsuggestions, 0);
}

static void test_null_and_empty(void **state)
{
	struct rcms_pdate bad = {2026, 2, 30};

	(void)state;
	assert_int_equal(rcms_mrz_parse(MRZ_TD3, TODAY, NULL),
			 RCMS_ERR_INVALID);
	assert_int_equal(parse(NULL), RCMS_ERR_INVALID);
	assert_int_equal(M.nerrors, 1);
	assert_string_equal(M.issue[0].msg, "no MRZ was given");
	assert_int_equal(parse(""), RCMS_ERR_INVALID);
	assert_string_equal(M.issue[0].msg, "the MRZ is empty");
	assert_int_equal(parse(" \r\n\t\n\n"), RCMS_ERR_INVALID);
	assert_string_equal(M.issue[0].msg, "the MRZ is empty");
	assert_int_equal(M.format, RCMS_MRZ_UNKNOWN);
	assert_int_equal(rcms_mrz_parse(MRZ_TD3, bad, &M), RCMS_ERR_INVALID);
	assert_true(issue_says("today's date 2026-02-30 is not a valid date"));
}

/* ---- dates ------------------------------------------------------------ */

static void test_dates_invalid(void **state)
{
	const struct rcms_mrz_issue *is;

	(void)state;
	/* 991332: month 13 (check digits made right, so only that) */
	assert_int_equal(parse_td3_l2("991332", 13, true), RCMS_ERR_INVALID);
	assert_int_equal(M.nerrors, 1);
	is = issue_of(RCMS_MRZ_F_BIRTH_DATE, RCMS_MRZ_ERROR);
	assert_string_equal(is->msg, "line 2, column 16: the birth date "
			    "991332 is not a date: there is no month 13");
	/* February 30 */
	assert_int_equal(parse_td3_l2("990230", 13, true), RCMS_ERR_INVALID);
	is = issue_of(RCMS_MRZ_F_BIRTH_DATE, RCMS_MRZ_ERROR);
	assert_string_equal(is->msg, "line 2, column 18: the birth date "
			    "990230 is not a date: February 1999 has no day "
			    "30");
	assert_int_equal(parse_td3_l2("300431", 21, true), RCMS_ERR_INVALID);
	assert_true(issue_says("the expiry date 300431 is not a date: April "
			       "2030 has no day 31"));
	assert_int_equal(parse_td3_l2("300400", 21, true), RCMS_ERR_INVALID);
	assert_int_equal(parse_td3_l2("300001", 21, true), RCMS_ERR_INVALID);
	/* the expiry date may not be partial */
	assert_int_equal(parse_td3_l2("3004<<", 21, true), RCMS_ERR_INVALID);
	assert_true(issue_says("must be a full date"));
	/* fillers mixed with digits in one part */
	assert_int_equal(parse_td3_l2("74<812", 13, true), RCMS_ERR_INVALID);
	assert_true(issue_says("mixes digits and fillers in its month"));
	/* a day without a month, a month without a year */
	assert_int_equal(parse_td3_l2("74<<12", 13, true), RCMS_ERR_INVALID);
	assert_true(issue_says("has a day but no month"));
	assert_int_equal(parse_td3_l2("<<08<<", 13, true), RCMS_ERR_INVALID);
	assert_true(issue_says("has a month or day but no year"));
}

static void test_dates_partial_birth(void **state)
{
	(void)state;
	assert_int_equal(parse_td3_l2("7408<<", 13, true), RCMS_OK);
	assert_pdate(&M.birth_date, 1974, 8, 0);
	assert_string_equal(M.field[RCMS_MRZ_F_BIRTH_DATE].value, "1974-08");
	assert_int_equal(parse_td3_l2("74<<<<", 13, true), RCMS_OK);
	assert_pdate(&M.birth_date, 1974, 0, 0);
	assert_string_equal(M.field[RCMS_MRZ_F_BIRTH_DATE].value, "1974");
	assert_int_equal(parse_td3_l2("<<<<<<", 13, true), RCMS_OK);
	assert_pdate(&M.birth_date, 0, 0, 0);
	assert_true(issue_says("the birth date is unknown"));
	/* an unknown date's check digit may be '<' ('<' and 0 weigh the
	   same in the composite) */
	assert_int_equal(parse("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
			       "L898902C36UTO<<<<<<<F1204159ZE184226B<<<<<10"),
			 RCMS_OK);
	assert_string_equal(M.field[RCMS_MRZ_F_BIRTH_DATE_CHECK].raw, "<");
	/* no expiry date: a warning */
	assert_int_equal(parse_td3_l2("<<<<<<", 21, true), RCMS_OK);
	assert_pdate(&M.expiry_date, 0, 0, 0);
	assert_true(issue_says("the document has no expiry date"));
}

static void test_dates_century(void **state)
{
	struct rcms_pdate t = {2026, 3, 1};

	(void)state;
	/* birth dates are in the past of today */
	assert_int_equal(parse_td3_l2("260301", 13, true), RCMS_OK);
	assert_pdate(&M.birth_date, 2026, 3, 1);
	assert_int_equal(parse_td3_l2("260302", 13, true), RCMS_OK);
	assert_pdate(&M.birth_date, 1926, 3, 2);
	assert_int_equal(parse_td3_l2("2603<<", 13, true), RCMS_OK);
	assert_pdate(&M.birth_date, 2026, 3, 0);
	assert_int_equal(parse_td3_l2("2604<<", 13, true), RCMS_OK);
	assert_pdate(&M.birth_date, 1926, 4, 0);
	assert_int_equal(parse_td3_l2("000101", 13, true), RCMS_OK);
	assert_pdate(&M.birth_date, 2000, 1, 1);
	/* expiry dates: within 50 years of today */
	assert_int_equal(parse_td3_l2("761231", 21, true), RCMS_OK);
	assert_pdate(&M.expiry_date, 2076, 12, 31);
	assert_int_equal(parse_td3_l2("770101", 21, true), RCMS_OK);
	assert_pdate(&M.expiry_date, 1977, 1, 1);
	assert_true(issue_says("the document expired on 1977-01-01"));
	assert_int_equal(parse_td3_l2("310101", 21, true), RCMS_OK);
	assert_pdate(&M.expiry_date, 2031, 1, 1);
	assert_false(issue_says("expired"));
	/* the same zone read in 1990 */
	t.year = 1990;
	assert_int_equal(rcms_mrz_parse(MRZ_TD3, t, &M), RCMS_OK);
	assert_pdate(&M.birth_date, 1974, 8, 12);
	assert_pdate(&M.expiry_date, 2012, 4, 15);
	assert_false(issue_says("expired"));
	/* before the birth date: a warning */
	assert_int_equal(parse_td3_l2("9901010F800101", 13, true), RCMS_OK);
	assert_pdate(&M.birth_date, 1999, 1, 1);
	assert_pdate(&M.expiry_date, 1980, 1, 1);
	assert_true(issue_says("the expiry date is before the birth date"));
}

static void test_dates_leap(void **state)
{
	(void)state;
	assert_int_equal(parse_td3_l2("000229", 13, true), RCMS_OK);
	assert_pdate(&M.birth_date, 2000, 2, 29);
	assert_int_equal(parse_td3_l2("960229", 13, true), RCMS_OK);
	assert_int_equal(parse_td3_l2("970229", 13, true), RCMS_ERR_INVALID);
	assert_true(issue_says("February 1997 has no day 29"));
	assert_int_equal(parse_td3_l2("280229", 21, true), RCMS_OK);
	assert_pdate(&M.expiry_date, 2028, 2, 29);
}

/* ---- other fields ----------------------------------------------------- */

static void test_sex_values(void **state)
{
	(void)state;
	assert_int_equal(parse_td3_l2("M", 20, true), RCMS_OK);
	assert_int_equal(M.sex, RCMS_SEX_M);
	assert_int_equal(parse_td3_l2("X", 20, true), RCMS_OK);
	assert_int_equal(M.sex, RCMS_SEX_X);
	assert_string_equal(M.field[RCMS_MRZ_F_SEX].value, "X");
	assert_int_equal(parse_td3_l2("<", 20, true), RCMS_OK);
	assert_int_equal(M.sex, RCMS_SEX_UNKNOWN);
	assert_string_equal(M.field[RCMS_MRZ_F_SEX].value, "");
	assert_int_equal(parse_td3_l2("Q", 20, true), RCMS_ERR_INVALID);
	assert_string_equal(issue_of(RCMS_MRZ_F_SEX, RCMS_MRZ_ERROR)->msg,
			    "line 2, column 21: sex must be M, F, X or <, "
			    "found 'Q'");
}

static void test_country_codes(void **state)
{
	static const char *const known[] = {
		"D<<", "DEU", "SRB", "MKD", "ALB", "BIH", "MNE", "RKS", "AFG",
		"PAK", "BGD", "MAR", "XXA", "XXB", "XXC", "XXX", "UNO", "UNA",
		"UNK", "EUE", "GBD", "GBN", "GBO", "GBP", "GBS", "XOM", "XPO",
		"XCC", "XES", "ABW", "ZWE",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof known / sizeof known[0]; i++) {
		assert_int_equal(parse_td3_l2(known[i], 10, true), RCMS_OK);
		assert_false(M.field[RCMS_MRZ_F_NATIONALITY].warned);
	}
	assert_int_equal(parse_td3_l2("D<<", 10, true), RCMS_OK);
	assert_string_equal(M.field[RCMS_MRZ_F_NATIONALITY].value, "D");
	/* unknown: a warning, not an error */
	assert_int_equal(parse_td3_l2("ZZZ", 10, true), RCMS_OK);
	assert_true(M.field[RCMS_MRZ_F_NATIONALITY].valid);
	assert_true(issue_says("line 2, column 11: the nationality ZZZ is not "
			       "on ICAO's list of codes"));
	assert_int_equal(parse_td3_l2("YUG", 10, true), RCMS_OK);
	assert_true(M.field[RCMS_MRZ_F_NATIONALITY].warned);
	/* not a code at all */
	assert_int_equal(parse_td3_l2("<<<", 10, true), RCMS_ERR_INVALID);
	assert_int_equal(parse_td3_l2("U<O", 10, true), RCMS_ERR_INVALID);
	assert_true(issue_says("the nationality U<O is not a code"));
}

static void test_name_rules(void **state)
{
	(void)state;
	assert_int_equal(parse_l1("P<UTO"), RCMS_ERR_INVALID);
	assert_true(issue_says("line 1, column 6: the name is empty"));
	assert_int_equal(parse_l1("P<UTO<<ANNA"), RCMS_ERR_INVALID);
	assert_true(issue_says("the surname (primary identifier) is missing"));
	/* only a primary identifier */
	assert_int_equal(parse_l1("P<UTOERIKSSON"), RCMS_OK);
	assert_string_equal(M.field[RCMS_MRZ_F_SURNAMES].value, "ERIKSSON");
	assert_string_equal(M.field[RCMS_MRZ_F_GIVEN_NAMES].value, "");
	/* compound names */
	assert_int_equal(parse_l1("P<UTOVAN<DER<STEEN<<MARIANNE<LOUISE"),
			 RCMS_OK);
	assert_string_equal(M.field[RCMS_MRZ_F_SURNAMES].value,
			    "VAN DER STEEN");
	assert_string_equal(M.field[RCMS_MRZ_F_GIVEN_NAMES].value,
			    "MARIANNE LOUISE");
	/* a full field may be a truncated one */
	assert_int_equal(parse("P<UTONILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K\n"
			       MRZ_TD3_L2), RCMS_OK);
	assert_true(issue_says("line 1, column 44: the name fills its field"));
	/* a digit among the letters */
	assert_int_equal(parse_l1("P<UTOERIKSSON<<ANNA<MAR1A"),
			 RCMS_ERR_INVALID);
	assert_string_equal(issue_of(RCMS_MRZ_F_GIVEN_NAMES,
				     RCMS_MRZ_ERROR)->msg,
			    "line 1, column 24: names must be letters, found "
			    "the digit '1'");
	assert_int_equal(M.nsuggestions, 1);
}

static void test_document_code_warnings(void **state)
{
	(void)state;
	assert_int_equal(parse_l1("X<UTOERIKSSON<<ANNA<MARIA"), RCMS_OK);
	assert_true(issue_says("passports have codes that start with P"));
	assert_int_equal(parse_l1("<<UTOERIKSSON<<ANNA<MARIA"),
			 RCMS_ERR_INVALID);
	assert_true(issue_says("the document code must start with a letter"));
	assert_int_equal(parse_l1("PDUTOERIKSSON<<ANNA<MARIA"), RCMS_OK);
	assert_string_equal(M.field[RCMS_MRZ_F_DOC_CODE].value, "PD");
}

/* ---- generation ------------------------------------------------------- */

static void test_generate_transliterated_names(void **state)
{
	struct rcms_person p;
	struct rcms_document d;
	char out[RCMS_MRZ_TEXT_MAX];

	(void)state;
	person(&p, "Јовановић", "Ђорђе", "SRB", 1980, 5, 17, RCMS_SEX_M);
	document(&d, "012345678", "SRB", 2029, 9, 30);
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, out,
					   sizeof out, NULL), RCMS_OK);
	assert_memory_equal(out, "P<SRBJOVANOVIC<<DORDE<<<<<<", 27);
	assert_int_equal(parse(out), RCMS_OK);
	assert_string_equal(M.field[RCMS_MRZ_F_SURNAMES].value, "JOVANOVIC");

	person(&p, "Müller-Lüdenscheidt", "Jürgen Ö.", "D", 1970, 1, 1,
	       RCMS_SEX_M);
	document(&d, "C01X00T47", "D", 2030, 1, 1);
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, out,
					   sizeof out, NULL), RCMS_OK);
	assert_memory_equal(out, "P<D<<MUELLER<LUEDENSCHEIDT<<JUERGEN<OE<<<<<<",
			    44);
	assert_int_equal(parse(out), RCMS_OK);
	assert_string_equal(M.field[RCMS_MRZ_F_ISSUING_STATE].value, "D");

	person(&p, "O'Neil", "Ѓорѓи", "MKD", 1991, 2, 3, RCMS_SEX_X);
	document(&d, "A 123-456", "MKD", 2027, 2, 3);
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD2, &p, &d, NULL, out,
					   sizeof out, NULL), RCMS_OK);
	assert_string_equal(out, "I<MKDONEIL<<GJORGJI<<<<<<<<<<<<<<<<<\n"
			    "A123456<<5MKD9102033X2702032<<<<<<<8");
	assert_int_equal(parse(out), RCMS_OK);
	assert_int_equal(M.sex, RCMS_SEX_X);
}

static void test_generate_truncation(void **state)
{
	struct rcms_person p;
	struct rcms_document d;
	char out[RCMS_MRZ_TEXT_MAX];

	(void)state;
	document(&d, "123456789", "SRB", 2030, 1, 1);
	/* 1. given names lose characters from the end, the last first */
	person(&p, "Eriksson", "Anna Maria Christina Louise", "SRB", 1990, 1,
	       1, RCMS_SEX_F);
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD2, &p, &d, NULL, out,
					   sizeof out, NULL), RCMS_OK);
	assert_memory_equal(out, "I<SRBERIKSSON<<ANNA<MARIA<CHRISTIN<L\n", 37);
	/* 2. then the last given names go, the first initial stays */
	person(&p, "Abcdefghijklmnopqrstuvwx", "Anna Maria Louise", "SRB",
	       1990, 1, 1, RCMS_SEX_F);
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD1, &p, &d, NULL, out,
					   sizeof out, NULL), RCMS_OK);
	assert_string_equal(out + 62, "ABCDEFGHIJKLMNOPQRSTUVWX<<A<MA");
	/* 3. then the surnames are cut */
	person(&p, "Abcdefghijabcdefghijabcdefghijabcdefghij", "Anna", "SRB",
	       1990, 1, 1, RCMS_SEX_F);
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, out,
					   sizeof out, NULL), RCMS_OK);
	assert_memory_equal(out, "P<SRBABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEF<<A\n",
			    45);
	person(&p, "Abcdefghijabcdefghijabcdefghijabcdefghij", "", "SRB",
	       1990, 1, 1, RCMS_SEX_F);
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, out,
					   sizeof out, NULL), RCMS_OK);
	assert_memory_equal(out, "P<SRBABCDEFGHIJABCDEFGHIJABCDEFGHIJABCDEFGHI\n",
			    45);
	/* a name that fits exactly is left alone */
	person(&p, "Nilavadhanananda", "Chayapa Dejthamrong K", "SRB", 1990, 1,
	       1, RCMS_SEX_F);
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, out,
					   sizeof out, NULL), RCMS_OK);
	assert_memory_equal(out, "P<SRBNILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K",
			    44);
	assert_int_equal(parse(out), RCMS_OK);
}

static void test_generate_partial_dates(void **state)
{
	struct rcms_person p;
	struct rcms_document d;
	char out[RCMS_MRZ_TEXT_MAX];

	(void)state;
	person(&p, "Khan", "Ahmad", "AFG", 1990, 0, 0, RCMS_SEX_M);
	document(&d, "P01234567", "AFG", 0, 0, 0);
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, out,
					   sizeof out, NULL), RCMS_OK);
	assert_memory_equal(out + 45 + 13, "90<<<<", 6);
	assert_memory_equal(out + 45 + 21, "<<<<<<", 6);
	assert_int_equal(parse(out), RCMS_OK);
	assert_pdate(&M.birth_date, 1990, 0, 0);
	assert_pdate(&M.expiry_date, 0, 0, 0);
	p.birth_date.month = 7;
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, out,
					   sizeof out, NULL), RCMS_OK);
	assert_memory_equal(out + 45 + 13, "9007<<", 6);
	assert_int_equal(parse(out), RCMS_OK);
	assert_pdate(&M.birth_date, 1990, 7, 0);
	p.birth_date.year = 0;
	p.birth_date.month = 0;
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, out,
					   sizeof out, NULL), RCMS_OK);
	assert_int_equal(parse(out), RCMS_OK);
	assert_pdate(&M.birth_date, 0, 0, 0);
}

static void test_generate_td1_long_numbers(void **state)
{
	struct rcms_person p;
	struct rcms_document d;
	struct rcms_mrz_gen_opts o;
	char out[RCMS_MRZ_TEXT_MAX];
	struct rcms_err err;

	(void)state;
	memset(&o, 0, sizeof o);
	person(&p, "Hoxha", "Arben", "ALB", 1988, 8, 8, RCMS_SEX_M);
	/* 22 characters: the longest that fits */
	document(&d, "ABCDEFGHIJ1234567890KL", "ALB", 2030, 1, 1);
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD1, &p, &d, NULL, out,
					   sizeof out, &err), RCMS_OK);
	assert_int_equal(parse(out), RCMS_OK);
	assert_true(M.long_document_number);
	assert_string_equal(M.field[RCMS_MRZ_F_DOC_NUMBER].value,
			    "ABCDEFGHIJ1234567890KL");
	assert_int_equal(M.field[RCMS_MRZ_F_DOC_NUMBER_CHECK].col, 29);
	/* 23: too long */
	document(&d, "ABCDEFGHIJ1234567890KLM", "ALB", 2030, 1, 1);
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD1, &p, &d, NULL, out,
					   sizeof out, &err), RCMS_ERR_INVALID);
	assert_string_equal(err.field, "number");
	assert_string_equal(out, "");
	/* 10 with optional data after the filler */
	document(&d, "ABCDEFGHIJ", "ALB", 2030, 1, 1);
	o.optional1 = "xyz 12";
	o.optional2 = "OPT2";
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD1, &p, &d, &o, out,
					   sizeof out, &err), RCMS_OK);
	assert_int_equal(parse(out), RCMS_OK);
	assert_string_equal(M.field[RCMS_MRZ_F_DOC_NUMBER].value, "ABCDEFGHIJ");
	assert_string_equal(M.field[RCMS_MRZ_F_OPTIONAL1].value, "XYZ<12");
	assert_string_equal(M.field[RCMS_MRZ_F_OPTIONAL2].value, "OPT2");
	/* too much optional data for what the number leaves */
	o.optional1 = "1234567890123";
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD1, &p, &d, &o, out,
					   sizeof out, &err), RCMS_ERR_INVALID);
	assert_string_equal(err.field, "optional1");
	/* longer than 9 fits TD1 only */
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, out,
					   sizeof out, &err), RCMS_ERR_INVALID);
	assert_string_equal(err.field, "number");
}

static void test_generate_errors(void **state)
{
	struct rcms_person p;
	struct rcms_document d;
	struct rcms_mrz_gen_opts o;
	char out[RCMS_MRZ_TEXT_MAX];
	struct rcms_err err;

	(void)state;
	memset(&o, 0, sizeof o);
	person(&p, "Hoxha", "Arben", "ALB", 1988, 8, 8, RCMS_SEX_M);
	document(&d, "AB123", "ALB", 2030, 1, 1);
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, NULL, &d, NULL, out,
					   sizeof out, &err), RCMS_ERR_INVALID);
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, NULL, NULL, out,
					   sizeof out, &err), RCMS_ERR_INVALID);
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, NULL,
					   10, &err), RCMS_ERR_INVALID);
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, out, 0,
					   NULL), RCMS_ERR_INVALID);
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, out, 89,
					   &err), RCMS_ERR_INVALID);
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, out, 90,
					   &err), RCMS_OK);
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_UNKNOWN, &p, &d, NULL, out,
					   sizeof out, &err), RCMS_ERR_INVALID);
	assert_int_equal(rcms_mrz_generate((enum rcms_mrz_format)99, &p, &d,
					   NULL, out, sizeof out, &err),
			 RCMS_ERR_INVALID);
	/* codes */
	o.doc_code = "V";
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, &o, out,
					   sizeof out, &err), RCMS_ERR_INVALID);
	assert_string_equal(err.field, "doc_code");
	o.doc_code = "P";
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_MRVA, &p, &d, &o, out,
					   sizeof out, &err), RCMS_ERR_INVALID);
	o.doc_code = "P12";
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, &o, out,
					   sizeof out, &err), RCMS_ERR_INVALID);
	snprintf(p.nationality, sizeof p.nationality, "A1");
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, out,
					   sizeof out, &err), RCMS_ERR_INVALID);
	assert_string_equal(err.field, "nationality");
	snprintf(p.nationality, sizeof p.nationality, "alb");
	d.issuing_state[0] = '\0';
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, out,
					   sizeof out, &err), RCMS_ERR_INVALID);
	assert_string_equal(err.field, "issuing_state");
	snprintf(d.issuing_state, sizeof d.issuing_state, "ALB");
	/* dates */
	p.birth_date.day = 32;
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, out,
					   sizeof out, &err), RCMS_ERR_INVALID);
	assert_string_equal(err.field, "birth_date");
	p.birth_date.month = 0;
	p.birth_date.day = 3;
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, out,
					   sizeof out, &err), RCMS_ERR_INVALID);
	p.birth_date.month = 8;
	p.birth_date.day = 8;
	d.expiry_date.day = 0;
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, out,
					   sizeof out, &err), RCMS_ERR_INVALID);
	assert_string_equal(err.field, "expiry_date");
	d.expiry_date.day = 1;
	/* names */
	snprintf(p.surnames, sizeof p.surnames, "Αλέξης");
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, out,
					   sizeof out, &err), RCMS_ERR_INVALID);
	assert_string_equal(err.field, "surnames");
	snprintf(p.surnames, sizeof p.surnames, " - ' ");
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, out,
					   sizeof out, &err), RCMS_ERR_INVALID);
	assert_string_equal(err.field, "surnames");
	snprintf(p.surnames, sizeof p.surnames, "Hoxha");
	snprintf(p.given_names, sizeof p.given_names, "\x01");
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, out,
					   sizeof out, &err), RCMS_ERR_INVALID);
	assert_string_equal(err.field, "given_names");
	snprintf(p.given_names, sizeof p.given_names, "Arben");
	/* numbers and optional data */
	snprintf(d.number, sizeof d.number, "AB#12");
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, out,
					   sizeof out, &err), RCMS_ERR_INVALID);
	assert_string_equal(err.field, "number");
	snprintf(d.number, sizeof d.number, " - ");
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, out,
					   sizeof out, &err), RCMS_ERR_INVALID);
	snprintf(d.number, sizeof d.number, "AB123");
	memset(&o, 0, sizeof o);
	o.optional2 = "X";
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, &o, out,
					   sizeof out, &err), RCMS_ERR_INVALID);
	assert_string_equal(err.field, "optional2");
	o.optional2 = NULL;
	o.optional1 = "123456789012345";
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, &o, out,
					   sizeof out, &err), RCMS_ERR_INVALID);
	o.optional1 = "a%b";
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_MRVB, &p, &d, &o, out,
					   sizeof out, &err), RCMS_ERR_INVALID);
	assert_string_equal(err.field, "optional1");
	assert_string_equal(out, "");
	/* after all that, a good one still works */
	assert_int_equal(rcms_mrz_generate(RCMS_MRZ_TD3, &p, &d, NULL, out,
					   sizeof out, &err), RCMS_OK);
	assert_int_equal(err.status, RCMS_OK);
}

/* ---- rendering -------------------------------------------------------- */

static void test_render_table(void **state)
{
	static char buf[RCMS_MRZ_TABLE_SIZE];
	size_t need;

	(void)state;
	parse(MRZ_TD3);
	assert_int_equal(rcms_mrz_render_table(&M, buf, sizeof buf, &need),
			 RCMS_OK);
	assert_int_equal(need, strlen(buf));
	assert_non_null(strstr(buf, "MRZ TD3 (passport, 2 lines of 44): "
			       "valid, 3 warnings\n"));
	assert_non_null(strstr(buf, "\n  " MRZ_TD3_L2 "\n"));
	assert_non_null(strstr(buf, "\ndocument number    2:1    L898902C3"));
	assert_non_null(strstr(buf, "\nbirth date         2:14   1974-08-12"));
	assert_non_null(strstr(buf, "\nwarnings:\n  line 1, column 3: "));

	parse_td3_l2("74O812", 13, false);
	assert_int_equal(rcms_mrz_render_table(&M, buf, sizeof buf, NULL),
			 RCMS_OK);
	assert_non_null(strstr(buf, "invalid: 3 errors, 3 warnings"));
	assert_non_null(strstr(buf, "ERROR"));
	assert_non_null(strstr(buf, "\nerrors:\n  line 2, column 16: "));
	assert_non_null(strstr(buf, "suggestions (not applied):\n  line 2, "
			       "column 16: 0 instead of O in the birth date"));
	/* every line fits 80 columns */
	{
		const char *p = buf;

		while (*p) {
			size_t n = strcspn(p, "\n");

			if (strncmp(p, "  line", 6) && strncmp(p, "MRZ", 3))
				assert_true(n <= 80);
			p += n + (p[n] ? 1 : 0);
		}
	}
	parse("");
	assert_int_equal(rcms_mrz_render_table(&M, buf, sizeof buf, NULL),
			 RCMS_OK);
	assert_string_equal(buf, "MRZ: invalid: 1 error\n\nerrors:\n"
			    "  the MRZ is empty\n");
}

static void test_render_json(void **state)
{
	static char buf[RCMS_MRZ_JSON_SIZE];
	size_t need, i;

	(void)state;
	parse(MRZ_TD3);
	assert_int_equal(rcms_mrz_render_json(&M, buf, sizeof buf, &need),
			 RCMS_OK);
	assert_int_equal(need, strlen(buf));
	{
		static const char pre[] = "{\"format\":\"TD3\",\"valid\":true,"
			"\"errors\":0,\"warnings\":3,\"lines\":[\""
			MRZ_TD3_L1 "\",\"" MRZ_TD3_L2 "\"],\"fields\":{";

		assert_memory_equal(buf, pre, sizeof pre - 1);
	}
	assert_non_null(strstr(buf, "\"document_number\":{\"line\":2,"
			       "\"column\":1,\"length\":9,\"raw\":\"L898902C3\","
			       "\"value\":\"L898902C3\",\"valid\":true,"
			       "\"warning\":false}"));
	assert_non_null(strstr(buf, "\"birth_date\":{\"year\":1974,"
			       "\"month\":8,\"day\":12}"));
	assert_non_null(strstr(buf, "\"sex\":\"F\""));
	assert_null(strstr(buf, "optional_data_2"));
	assert_non_null(strstr(buf, "\"suggestions\":[]}"));
	/* quotes, backslashes and control characters escaped */
	parse_l1("P<UTO\"\\\x01" "ERIKSSON<<ANNA<MARIA");
	assert_int_equal(rcms_mrz_render_json(&M, buf, sizeof buf, NULL),
			 RCMS_OK);
	assert_non_null(strstr(buf, "the character '\\\"' is not allowed"));
	assert_non_null(strstr(buf, "the character '\\\\' is not allowed"));
	assert_non_null(strstr(buf, "the control character 0x01"));
	for (i = 0; buf[i]; i++)
		assert_true((unsigned char)buf[i] >= 0x20);
	/* non-ASCII in messages stays UTF-8 */
	parse("P<UTOERIKSSÖN<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n" MRZ_TD3_L2);
	assert_int_equal(rcms_mrz_render_json(&M, buf, sizeof buf, NULL),
			 RCMS_OK);
	assert_non_null(strstr(buf, "'Ö' (U+00D6)"));
	assert_non_null(strstr(buf, "\"severity\":\"error\",\"field\":"
			       "\"surnames\",\"line\":1,\"column\":12"));
	/* suggestions */
	parse_td3_l2("74O812", 13, false);
	assert_int_equal(rcms_mrz_render_json(&M, buf, sizeof buf, NULL),
			 RCMS_OK);
	assert_non_null(strstr(buf, "\"suggestions\":[{\"line\":2,\"column\":"
			       "16,\"from\":\"O\",\"to\":\"0\",\"field\":"
			       "\"birth_date\",\"corrected_line\":\""
			       MRZ_TD3_L2 "\"}]}"));
}

static void test_render_small_buffers(void **state)
{
	static char full[RCMS_MRZ_JSON_SIZE];
	char small[32];
	size_t need = 0, need_full = 0;

	(void)state;
	parse(MRZ_TD3);
	assert_int_equal(rcms_mrz_render_json(&M, full, sizeof full,
					      &need_full), RCMS_OK);
	assert_int_equal(rcms_mrz_render_json(&M, small, sizeof small, &need),
			 RCMS_ERR_INVALID);
	assert_int_equal(need, need_full);
	assert_int_equal(strlen(small), sizeof small - 1);
	assert_memory_equal(small, full, sizeof small - 1);
	/* exactly the size needed works */
	assert_int_equal(rcms_mrz_render_json(&M, full, need_full + 1, NULL),
			 RCMS_OK);
	assert_int_equal(rcms_mrz_render_json(&M, full, need_full, NULL),
			 RCMS_ERR_INVALID);
	assert_int_equal(rcms_mrz_render_table(&M, small, sizeof small, &need),
			 RCMS_ERR_INVALID);
	assert_int_equal(strlen(small), sizeof small - 1);
	assert_int_equal(rcms_mrz_render_table(&M, small, 1, NULL),
			 RCMS_ERR_INVALID);
	assert_string_equal(small, "");
	assert_int_equal(rcms_mrz_render_table(NULL, small, sizeof small,
					       &need), RCMS_ERR_INVALID);
	assert_int_equal(need, 0);
	assert_int_equal(rcms_mrz_render_json(&M, NULL, 10, NULL),
			 RCMS_ERR_INVALID);
	assert_int_equal(rcms_mrz_render_json(NULL, small, sizeof small, NULL),
			 RCMS_ERR_INVALID);
	assert_string_equal(rcms_mrz_format_name((enum rcms_mrz_format)42),
			    "unknown");
	assert_string_equal(rcms_mrz_field_name(RCMS_MRZ_F_NONE), "?");
	assert_string_equal(rcms_mrz_field_label(RCMS_MRZ_F_SEX), "sex");
}

/* ---- round trip ------------------------------------------------------- */

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)((rng >> 11) % n);
}

/* days since 1970-01-01 and back (proleptic Gregorian) */
static long days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, struct rcms_pdate *out)
{
	long era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp + (mp < 10 ? 3 : -9);
	out->year = (int)(y + (m <= 2));
	out->month = (int)m;
	out->day = (int)d;
}

static const char *const surname_parts[] = {
	"Petrović", "Đorđević", "Јовановић", "Ѓорѓиевски", "Hoxha", "Krasniqi",
	"Müller", "Østergård", "Łukasiewicz", "Şahin", "Çela", "Nikolić",
	"Khan", "Rahman", "El Amrani", "Popovski", "Stojanović", "Bërisha",
	"Van der Berg", "O'Brien", "Ahmadzai", "Hossain", "Žižek", "Šimić",
	"Ћирић", "Љубичић", "Њуњић", "Џаферовић", "Ќосе", "Ѕвезданоски",
};

static const char *const given_parts[] = {
	"Ana", "Marija", "Zoran", "Jean-Pierre", "Ђорђе", "Милош", "Ивана",
	"Muhammad", "Fatima", "Ahmad", "Arben", "Besa", "Ömer", "Ğül", "Björn",
	"Ægir", "Ñuño", "Łucja", "Jovana", "Kemal", "Ќирил", "Ѓурѓа", "Aïsha",
	"Zsófia", "Dženan", "Ljiljana", "Emir", "Yusuf", "Nasrin", "Amina",
};

static const char *const codes[] = {
	"SRB", "MKD", "ALB", "BIH", "MNE", "RKS", "AFG", "PAK", "BGD", "MAR",
	"D", "DEU", "FRA", "AUT", "XXA", "XXB", "UNK", "GBR", "TUR", "SYR",
};

static void random_name(char *out, size_t size, const char *const *pool,
			size_t npool, int min, int max)
{
	int n = min + (int)rnd((uint32_t)(max - min + 1)), i;
	size_t o = 0;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		int w = snprintf(out + o, size - o, "%s%s",
				 i == 0 ? "" : rnd(4) == 0 ? "-" : " ",
				 pool[rnd((uint32_t)npool)]);

		if (w < 0 || (size_t)w >= size - o)
			break;
		o += (size_t)w;
	}
}

static void random_alnum(char *out, int len)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	int i;

	for (i = 0; i < len; i++)
		out[i] = set[rnd(36)];
	out[len] = '\0';
}

/* MRZ text of a name as the parser gives it back: '<' as spaces. */
static void expected_name(const char *utf8, char *out, size_t size)
{
	char *p;

	assert_int_equal(rcms_translit_mrz(utf8, out, size), RCMS_OK);
	for (p = out; *p; p++)
		if (*p == '<')
			*p = ' ';
}

/* Each word of got is a prefix of the same word of want. */
static void assert_words_prefix(const char *got, const char *want)
{
	while (*got) {
		size_t g = strcspn(got, " "), w = strcspn(want, " ");

		assert_true(g <= w);
		assert_memory_equal(got, want, g);
		got += g;
		want += w;
		if (*got) {
			got++;
			assert_true(*want != '\0');
			want++;
		}
	}
}

static void test_round_trip_100000(void **state)
{
	static const enum rcms_mrz_format fmts[] = {
		RCMS_MRZ_TD1, RCMS_MRZ_TD2, RCMS_MRZ_TD3, RCMS_MRZ_MRVA,
		RCMS_MRZ_MRVB,
	};
	static const int name_width[] = {0, 30, 31, 39, 39, 31};
	static const int opt_width[] = {0, 15, 7, 14, 16, 8};
	static const char *const idcodes[] = {"I", "ID", "A", "AC", "C", "IR"};
	static const char *const pcodes[] = {"P", "PD", "PS", "PO"};
	static const char *const vcodes[] = {"V", "VS", "VT"};
	const long today = days_from_civil(TODAY.year, TODAY.month, TODAY.day);
	struct rcms_person p;
	struct rcms_document d;
	struct rcms_mrz_gen_opts o;
	struct rcms_err err;
	char out[RCMS_MRZ_TEXT_MAX], opt1[24], opt2[16], code[4];
	char sur[RCMS_NAME_LEN * 2 + 1], giv[RCMS_NAME_LEN * 2 + 1];
	int i, full = 0, truncated = 0, longnum = 0, partial = 0;

	(void)state;
	for (i = 0; i < 100000; i++) {
		enum rcms_mrz_format fmt = fmts[rnd(5)];
		int nlen, olen, room;
		size_t total;

		memset(&p, 0, sizeof p);
		memset(&d, 0, sizeof d);
		memset(&o, 0, sizeof o);
		random_name(p.surnames, sizeof p.surnames, surname_parts,
			    sizeof surname_parts / sizeof surname_parts[0], 1,
			    2);
		random_name(p.given_names, sizeof p.given_names, given_parts,
			    sizeof given_parts / sizeof given_parts[0], 0, 3);
		snprintf(p.nationality, sizeof p.nationality, "%s",
			 codes[rnd(20)]);
		snprintf(d.issuing_state, sizeof d.issuing_state, "%s",
			 codes[rnd(20)]);
		p.sex = (enum rcms_sex)rnd(4);
		/* born in the 100 years up to today; some dates partial */
		civil_from_days(today - (long)rnd(36500 - 366), &p.birth_date);
		if (rnd(10) == 0 && p.birth_date.year < TODAY.year) {
			partial++;
			p.birth_date.day = 0;
			if (rnd(2))
				p.birth_date.month = 0;
		} else if (rnd(200) == 0) {
			p.birth_date.year = p.birth_date.month = 0;
			p.birth_date.day = 0;
		}
		/* expiring within 40 years either side, rarely never */
		if (rnd(50) == 0)
			d.expiry_date.year = 0;
		else
			civil_from_days(today - 14600 + (long)rnd(29200),
					&d.expiry_date);
		nlen = 1 + (int)rnd(9);
		if (fmt == RCMS_MRZ_TD1 && rnd(5) == 0) {
			nlen = 10 + (int)rnd(13);
			longnum++;
		}
		random_alnum(d.number, nlen);
		room = opt_width[fmt];
		if (fmt == RCMS_MRZ_TD1 && nlen > 9)
			room = 15 - (nlen - 9) - 2;
		olen = (int)rnd((uint32_t)room + 1);
		random_alnum(opt1, olen);
		o.optional1 = opt1;
		if (fmt == RCMS_MRZ_TD1) {
			random_alnum(opt2, (int)rnd(12));
			o.optional2 = opt2;
		}
		if (fmt == RCMS_MRZ_TD3)
			snprintf(code, sizeof code, "%s", pcodes[rnd(4)]);
		else if (fmt == RCMS_MRZ_MRVA || fmt == RCMS_MRZ_MRVB)
			snprintf(code, sizeof code, "%s", vcodes[rnd(3)]);
		else
			snprintf(code, sizeof code, "%s", idcodes[rnd(6)]);
		o.doc_code = code;

		assert_int_equal(rcms_mrz_generate(fmt, &p, &d, &o, out,
						   sizeof out, &err), RCMS_OK);
		if (parse(out) != RCMS_OK)
			fail_msg("%s\n%s", out, M.issue[0].msg);
		assert_int_equal(M.format, fmt);
		assert_string_equal(M.field[RCMS_MRZ_F_DOC_CODE].value, code);
		assert_string_equal(M.field[RCMS_MRZ_F_NATIONALITY].value,
				    p.nationality);
		assert_string_equal(M.field[RCMS_MRZ_F_ISSUING_STATE].value,
				    d.issuing_state);
		assert_string_equal(M.field[RCMS_MRZ_F_DOC_NUMBER].value,
				    d.number);
		assert_int_equal(M.long_document_number, nlen > 9);
		assert_pdate(&M.birth_date, p.birth_date.year,
			     p.birth_date.month, p.birth_date.day);
		assert_pdate(&M.expiry_date, d.expiry_date.year,
			     d.expiry_date.month, d.expiry_date.day);
		assert_int_equal(M.sex, p.sex);
		assert_string_equal(M.field[fmt == RCMS_MRZ_TD3
					    ? RCMS_MRZ_F_PERSONAL_NUMBER
					    : RCMS_MRZ_F_OPTIONAL1].value,
				    opt1);
		if (fmt == RCMS_MRZ_TD1)
			assert_string_equal(M.field[RCMS_MRZ_F_OPTIONAL2].value,
					    opt2);
		expected_name(p.surnames, sur, sizeof sur);
		expected_name(p.given_names, giv, sizeof giv);
		total = strlen(sur) + (giv[0] ? 2 + strlen(giv) : 0);
		if (total <= (size_t)name_width[fmt]) {
			full++;
			assert_string_equal(M.field[RCMS_MRZ_F_SURNAMES].value,
					    sur);
			assert_string_equal(
				M.field[RCMS_MRZ_F_GIVEN_NAMES].value, giv);
		} else {
			truncated++;
			assert_words_prefix(M.field[RCMS_MRZ_F_SURNAMES].value,
					    sur);
			assert_words_prefix(
				M.field[RCMS_MRZ_F_GIVEN_NAMES].value, giv);
			assert_true(M.field[RCMS_MRZ_F_SURNAMES].value[0]);
		}
	}
	/* the generator really exercised every branch */
	assert_true(full > 50000);
	assert_true(truncated > 1000);
	assert_true(longnum > 2000);
	assert_true(partial > 5000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_digit_vectors),
		cmocka_unit_test(test_check_digit_invalid),
		cmocka_unit_test(test_specimen_td3),
		cmocka_unit_test(test_specimen_td1),
		cmocka_unit_test(test_specimen_td2),
		cmocka_unit_test(test_specimen_mrva),
		cmocka_unit_test(test_specimen_mrvb),
		cmocka_unit_test(test_specimen_td1_long_number),
		cmocka_unit_test(test_td1_long_number_errors),
		cmocka_unit_test(test_generate_specimens),
		cmocka_unit_test(test_each_check_digit_broken),
		cmocka_unit_test(test_check_digit_not_a_digit),
		cmocka_unit_test(test_suggest_letters_in_numeric_fields),
		cmocka_unit_test(test_suggest_digits_in_alphabetic_fields),
		cmocka_unit_test(test_suggest_document_number),
		cmocka_unit_test(test_suggest_ambiguous),
		cmocka_unit_test(test_no_suggestion_when_two_fields_change),
		cmocka_unit_test(test_input_whitespace_and_crlf),
		cmocka_unit_test(test_input_lower_case),
		cmocka_unit_test(test_input_one_line),
		cmocka_unit_test(test_input_wrong_length),
		cmocka_unit_test(test_input_wrong_line_count),
		cmocka_unit_test(test_input_bad_characters),
		cmocka_unit_test(test_null_and_empty),
		cmocka_unit_test(test_dates_invalid),
		cmocka_unit_test(test_dates_partial_birth),
		cmocka_unit_test(test_dates_century),
		cmocka_unit_test(test_dates_leap),
		cmocka_unit_test(test_sex_values),
		cmocka_unit_test(test_country_codes),
		cmocka_unit_test(test_name_rules),
		cmocka_unit_test(test_document_code_warnings),
		cmocka_unit_test(test_generate_transliterated_names),
		cmocka_unit_test(test_generate_truncation),
		cmocka_unit_test(test_generate_partial_dates),
		cmocka_unit_test(test_generate_td1_long_numbers),
		cmocka_unit_test(test_generate_errors),
		cmocka_unit_test(test_render_table),
		cmocka_unit_test(test_render_json),
		cmocka_unit_test(test_render_small_buffers),
		cmocka_unit_test(test_round_trip_100000),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
