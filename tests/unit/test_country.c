/* test_country.c - the country table, lookup, completion and checks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "app/country.h"

/* find(s) is the country with alpha-3 a3. */
static void found(const char *s, const char *a3)
{
	const struct rcms_country *c = rcms_country_find(s);

	if (!c)
		fail_msg("'%s' not found", s);
	assert_string_equal(c->alpha3, a3);
}

static void check_fails(const char *in, const char *msg)
{
	char a3[4] = "old", a2[3] = "ol";
	struct rcms_err err;

	rcms_err_clear(&err);
	assert_int_equal(rcms_country_check(in, "nationality", a3, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(err.status, RCMS_ERR_INVALID);
	assert_string_equal(err.field, "nationality");
	assert_string_equal(err.msg, msg);
	assert_string_equal(a3, "old");
	rcms_err_clear(&err);
	assert_int_equal(rcms_country_check2(in, "nationality", a2, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.msg, msg);
	assert_string_equal(a2, "ol");
}

static void check_ok(const char *in, const char *a3_want,
		     const char *a2_want)
{
	char a3[4] = "", a2[3] = "";
	struct rcms_err err;

	rcms_err_clear(&err);
	if (rcms_country_check(in, "nationality", a3, &err) != RCMS_OK)
		fail_msg("'%s': %s", in, err.msg);
	assert_string_equal(a3, a3_want);
	assert_int_equal(rcms_country_check2(in, "nationality", a2, &err),
			 RCMS_OK);
	assert_string_equal(a2, a2_want);
	assert_int_equal(err.status, RCMS_OK);
}

/* ---- the table ------------------------------------------------------- */

static void test_table(void **state)
{
	size_t n = rcms_country_count();

	(void)state;
	/* 249 ISO 3166-1 entries in iso-codes 4.15, and Kosovo */
	assert_true(n >= 250);
	assert_null(rcms_country_at(n));
	assert_null(rcms_country_at((size_t)-1));
	for (size_t i = 0; i < n; i++) {
		const struct rcms_country *c = rcms_country_at(i);

		assert_non_null(c);
		assert_int_equal(strlen(c->alpha2), 2);
		assert_int_equal(strlen(c->alpha3), 3);
		for (int k = 0; k < 3; k++) {
			assert_true(c->alpha3[k] >= 'A' && c->alpha3[k] <= 'Z');
			if (k < 2)
				assert_true(c->alpha2[k] >= 'A' &&
					    c->alpha2[k] <= 'Z');
		}
		assert_true(c->name[0] != '\0');
		assert_true(c->numeric > 0 || strcmp(c->alpha2, "XK") == 0);
		assert_true(c->numeric < 1000);
		/* unique codes */
		for (size_t j = 0; j < i; j++) {
			const struct rcms_country *d = rcms_country_at(j);

			assert_string_not_equal(c->alpha2, d->alpha2);
			assert_string_not_equal(c->alpha3, d->alpha3);
			assert_true(strcasecmp(c->name, d->name) != 0);
			assert_true(c->numeric != d->numeric);
		}
	}
}

static void test_known_rows(void **state)
{
	const struct rcms_country *c;

	(void)state;
	c = rcms_country_find("SRB");
	assert_non_null(c);
	assert_string_equal(c->alpha2, "RS");
	assert_int_equal(c->numeric, 688);
	assert_string_equal(c->name, "Serbia");
	c = rcms_country_find("MK");
	assert_string_equal(c->alpha3, "MKD");
	assert_string_equal(c->name, "North Macedonia");
	assert_int_equal(c->numeric, 807);
	c = rcms_country_find("PAK");
	assert_string_equal(c->alpha2, "PK");
	assert_int_equal(c->numeric, 586);
	c = rcms_country_find("AFG");
	assert_int_equal(c->numeric, 4);
	/* the table is in name order: Afghanistan first */
	assert_string_equal(rcms_country_at(0)->alpha3, "AFG");
}

/* ---- rcms_country_find ----------------------------------------------- */

/* Every code in the table finds its own row, in any case and with
 * surrounding spaces. */
static void test_find_round_trip(void **state)
{
	(void)state;
	for (size_t i = 0; i < rcms_country_count(); i++) {
		const struct rcms_country *c = rcms_country_at(i);
		char buf[64];

		assert_ptr_equal(rcms_country_find(c->alpha2), c);
		assert_ptr_equal(rcms_country_find(c->alpha3), c);
		assert_ptr_equal(rcms_country_find(c->name), c);
		snprintf(buf, sizeof(buf), "%c%c", c->alpha2[0] + 32,
			 c->alpha2[1] + 32);
		assert_ptr_equal(rcms_country_find(buf), c);
		snprintf(buf, sizeof(buf), "%c%c%c", c->alpha3[0] + 32,
			 c->alpha3[1], c->alpha3[2] + 32);
		assert_ptr_equal(rcms_country_find(buf), c);
		snprintf(buf, sizeof(buf), "  %s\t", c->alpha3);
		assert_ptr_equal(rcms_country_find(buf), c);
		snprintf(buf, sizeof(buf), " %s ", c->alpha2);
		assert_ptr_equal(rcms_country_find(buf), c);
	}
}

static void test_find_kosovo(void **state)
{
	const struct rcms_country *c;

	(void)state;
	c = rcms_country_find("XK");
	assert_non_null(c);
	assert_string_equal(c->alpha3, "XKX");
	assert_string_equal(c->name, "Kosovo");
	assert_int_equal(c->numeric, 0);
	assert_ptr_equal(rcms_country_find("XKX"), c);
	assert_ptr_equal(rcms_country_find("RKS"), c);
	assert_ptr_equal(rcms_country_find("rks"), c);
	assert_ptr_equal(rcms_country_find(" RKS "), c);
	assert_ptr_equal(rcms_country_find("Kosovo"), c);
	assert_ptr_equal(rcms_country_find("kosovo"), c);
	/* the MRZ code of Germany */
	found("D", "DEU");
	found("d", "DEU");
}

static void test_find_names(void **state)
{
	(void)state;
	found("Serbia", "SRB");
	found("SERBIA", "SRB");
	found("  serbia ", "SRB");
	found("North Macedonia", "MKD");
	found("Bosnia and Herzegovina", "BIH");
	found("Montenegro", "MNE");
	found("Albania", "ALB");
	found("Pakistan", "PAK");
	found("Afghanistan", "AFG");
	found("Bangladesh", "BGD");
	/* ISO short names with accents, in any case, and without them */
	found("Türkiye", "TUR");
	found("TüRKIYE", "TUR");
	found("Turkiye", "TUR");
	found("Turkey", "TUR");
	found("Åland Islands", "ALA");
	found("åland islands", "ALA");
	found("Aland Islands", "ALA");
	found("Côte d'Ivoire", "CIV");
	found("CÔTE D'IVOIRE", "CIV");
	found("Cote d'Ivoire", "CIV");
	found("Curaçao", "CUW");
	/* common names, inverted names, official names */
	found("Iran", "IRN");
	found("Iran, Islamic Republic of", "IRN");
	found("Islamic Republic of Iran", "IRN");
	found("Syria", "SYR");
	found("South Korea", "KOR");
	found("North Korea", "PRK");
	found("Vietnam", "VNM");
	found("Viet Nam", "VNM");
	found("Moldova", "MDA");
	found("Palestine", "PSE");
	found("Republic of Serbia", "SRB");
	found("Czech Republic", "CZE");
	found("Czechia", "CZE");
	found("Islamic Republic of Pakistan", "PAK");
	found("People's Republic of Bangladesh", "BGD");
	found("Congo", "COG");
	found("Congo, The Democratic Republic of the", "COD");
}

static void test_find_unknown(void **state)
{
	(void)state;
	assert_null(rcms_country_find(NULL));
	assert_null(rcms_country_find(""));
	assert_null(rcms_country_find("   "));
	assert_null(rcms_country_find("PKX"));
	assert_null(rcms_country_find("XX"));
	assert_null(rcms_country_find("XXA"));   /* stateless: no country */
	assert_null(rcms_country_find("Serb"));
	assert_null(rcms_country_find("Serbiaa"));
	assert_null(rcms_country_find("Serbia Montenegro"));
	assert_null(rcms_country_find("Korea"));
	assert_null(rcms_country_find("Macedonia"));
	assert_null(rcms_country_find("R S"));
	assert_null(rcms_country_find("RS\n"));
	assert_null(rcms_country_find("688"));
	assert_null(rcms_country_find("S\xc3"));
	assert_null(rcms_country_find("\xff\xfe"));
	/* case folding is for letters only: not '×' against '÷' */
	assert_null(rcms_country_find("\xc3\x97"));
}

/* ---- rcms_country_complete ------------------------------------------- */

/* complete(prefix) gives exactly the alpha-3 codes in want (space
 * separated), in order. */
static void completes(const char *prefix, size_t max, const char *want)
{
	const struct rcms_country *out[300];
	char got[1024] = "";
	size_t n = rcms_country_complete(prefix, out, max);

	assert_true(n <= max);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(got);

		snprintf(got + len, sizeof(got) - len, "%s%s", i ? " " : "",
			 out[i]->alpha3);
	}
	assert_string_equal(got, want);
}

static void test_complete(void **state)
{
	(void)state;
	completes("maced", 10, "MKD");
	completes("MACED", 10, "MKD");
	completes("north mac", 10, "MKD");
	completes("serb", 10, "SRB");
	completes("  serb", 10, "SRB");
	completes("rs", 10, "SRB");
	completes("srb", 10, "SRB");
	completes("Kos", 10, "XKX");
	completes("rk", 10, "XKX");
	completes("xk", 10, "XKX");
	/* codes first (by name), then names, then words of names:
	 * Saint Martin (French part), Sint Maarten (Dutch part) */
	completes("pa", 10, "PAK PAN PLW PSE PNG PRY MAF SXM");
	completes("d", 10, "DZA DNK DJI DMA DOM DEU BRN COD CIV PRK");
	completes("un", 10, "ARE GBR USA UMI TZA");
	completes("mon", 10, "MCO MNG MNE MSR");
	completes("herz", 10, "BIH");
	completes("korea", 10, "PRK KOR");
	completes("south k", 10, "KOR");
	completes("iran", 10, "IRN");
	completes("ala", 10, "ALA");
	completes("åla", 10, "ALA");
	completes("Åla", 10, "ALA");
	completes("turk", 10, "TUR TKM TCA");
	completes("tür", 10, "TUR");
	completes("ivoire", 10, "CIV");
	completes("bosnia", 10, "BIH");
	completes("zzz", 10, "");
	completes("Republic of Serbia", 10, "");   /* official: lookup only */
	/* max limits; 0 writes nothing */
	completes("pa", 2, "PAK PAN");
	completes("pa", 0, "");
}

static void test_complete_all(void **state)
{
	const struct rcms_country *out[300];
	size_t n = rcms_country_count();

	(void)state;
	/* "" lists the whole table in order */
	assert_int_equal(rcms_country_complete("", out, 300), n);
	for (size_t i = 0; i < n; i++)
		assert_ptr_equal(out[i], rcms_country_at(i));
	assert_int_equal(rcms_country_complete("  ", out, 5), 5);
	assert_ptr_equal(out[0], rcms_country_at(0));
	/* NULL prefix, NULL out */
	assert_int_equal(rcms_country_complete(NULL, out, 10), 0);
	assert_int_equal(rcms_country_complete("ser", NULL, 10), 0);
	/* every country completes from its own full name and codes */
	for (size_t i = 0; i < n; i++) {
		const struct rcms_country *c = rcms_country_at(i);
		size_t k;
		bool seen = false;

		k = rcms_country_complete(c->name, out, 300);
		for (size_t j = 0; j < k; j++)
			seen |= out[j] == c;
		assert_true(seen);
		assert_true(rcms_country_complete(c->alpha3, out, 300) >= 1);
		assert_ptr_equal(out[0], c);
	}
}

/* ---- rcms_country_check, rcms_country_check2 ------------------------- */

static void test_check_ok(void **state)
{
	char a3[4];
	struct rcms_err err;

	(void)state;
	check_ok("PAK", "PAK", "PK");
	check_ok("pk", "PAK", "PK");
	check_ok(" Pakistan ", "PAK", "PK");
	check_ok("RS", "SRB", "RS");
	check_ok("XK", "XKX", "XK");
	check_ok("RKS", "XKX", "XK");
	check_ok("Kosovo", "XKX", "XK");
	check_ok("Türkiye", "TUR", "TR");
	check_ok("D", "DEU", "DE");
	/* output may be NULL: check only; err may be NULL */
	assert_int_equal(rcms_country_check("SRB", "x", NULL, NULL), RCMS_OK);
	assert_int_equal(rcms_country_check2("SRB", "x", NULL, NULL), RCMS_OK);
	assert_int_equal(rcms_country_check("SRB", NULL, a3, &err), RCMS_OK);
	assert_string_equal(a3, "SRB");
}

static void test_check_bad(void **state)
{
	char a3[4] = "old";
	struct rcms_err err;

	(void)state;
	check_fails("PKX", "nationality: 'PKX' is not a country code; use a "
			   "code such as PAK or PK, or a country name");
	check_fails("pkx", "nationality: 'pkx' is not a country code; use a "
			   "code such as PAK or PK, or a country name");
	check_fails(" SRX ", "nationality: 'SRX' is not a country code; use "
			     "a code such as SRB or RS, or a country name");
	check_fails("XXA", "nationality: 'XXA' is not a country code; use a "
			   "code such as XKX or XK, or a country name");
	check_fails("QQ", "nationality: 'QQ' is not a country code; use a "
			  "code such as QAT or QA, or a country name");
	check_fails("1", "nationality: '1' is not a country code; use a code "
			 "such as SRB or RS, or a country name");
	check_fails("12", "nationality: '12' is not a country code; use a "
			  "code such as SRB or RS, or a country name");
	check_fails("Pakistn", "nationality: 'Pakistn' is not a country name; "
			       "use a code such as PAK or PK, or a country "
			       "name such as Pakistan");
	check_fails("Serbija", "nationality: 'Serbija' is not a country name; "
			       "use a code such as SRB or RS, or a country "
			       "name such as Serbia");
	check_fails("Macedonia", "nationality: 'Macedonia' is not a country "
				 "name; use a code such as MKD or MK, or a "
				 "country name such as North Macedonia");
	check_fails("Qwerty", "nationality: 'Qwerty' is not a country name; "
			      "use a code such as SRB or RS, or a country "
			      "name such as Serbia");
	check_fails("Ser\x1b[2J", "nationality: 'Ser?[2J' is not a country "
				  "name; use a code such as SRB or RS, or a "
				  "country name such as Serbia");
	check_fails("", "nationality is empty");
	check_fails("   ", "nationality is empty");
	check_fails(NULL, "nationality is empty");
	/* NULL field: "country" */
	assert_int_equal(rcms_country_check("", NULL, a3, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "country");
	assert_string_equal(err.msg, "country is empty");
	assert_int_equal(rcms_country_check2("ZZ", "issuing state", NULL,
					     &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "issuing state");
	assert_string_equal(err.msg, "issuing state: 'ZZ' is not a country "
				     "code; use a code such as ZAF or ZA, or a "
				     "country name");
	assert_int_equal(rcms_country_check("ZZ", NULL, NULL, NULL),
			 RCMS_ERR_INVALID);
	assert_string_equal(a3, "old");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_known_rows),
		cmocka_unit_test(test_find_round_trip),
		cmocka_unit_test(test_find_kosovo),
		cmocka_unit_test(test_find_names),
		cmocka_unit_test(test_find_unknown),
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_complete_all),
		cmocka_unit_test(test_check_ok),
		cmocka_unit_test(test_check_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
