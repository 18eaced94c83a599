/*
 * test_justify.c - the list of justifications for consulting a case
 * (app/justify.c): the defaults, parsing an agency's list (and refusing a
 * malformed one, leaving the list as it was), finding a code, the codes in
 * a line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "app/justify.h"

static void test_defaults(void **state)
{
	struct rcms_justify_list l;
	static const char *const codes[] = {"processing", "idcheck",
					    "supervision", "subject_request",
					    "legal", "audit"};
	size_t i;

	(void)state;
	rcms_justify_defaults(&l);
	assert_int_equal(l.n, 6);
	for (i = 0; i < 6; i++) {
		assert_string_equal(l.items[i].code, codes[i]);
		assert_true(l.items[i].label[0] != '\0');
	}
	assert_string_equal(rcms_justify_find(&l, "processing")->label,
			    "processing the application");
	assert_string_equal(rcms_justify_find(&l, "subject_request")->label,
			    "a data subject's request");
}

static void test_parse(void **state)
{
	struct rcms_justify_list l;
	struct rcms_err err;

	(void)state;
	rcms_justify_defaults(&l);
	assert_int_equal(rcms_justify_parse(" asylum = an asylum procedure ;"
					    "escort=planning the escort;",
					    &l, &err),
			 RCMS_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[0].code, "asylum");
	assert_string_equal(l.items[0].label, "an asylum procedure");
	assert_string_equal(l.items[1].code, "escort");
	assert_string_equal(l.items[1].label, "planning the escort");
	assert_null(rcms_justify_find(&l, "processing"));
	/* labels may hold '=' and UTF-8 */
	assert_int_equal(rcms_justify_parse("x-1=a=b;y_2=obrada predmeta č",
					    &l, &err),
			 RCMS_OK);
	assert_string_equal(l.items[0].label, "a=b");
	assert_int_equal(l.n, 2);
}

static void test_parse_bad(void **state)
{
	static const char *const bad[] = {
		"", ";", " ; ;", "processing", "Bad=Label", "a b=c", "=label",
		"a=", "a=  ", "a=x;a=y", "a=x\001y",
		"abcdefghijabcdefghijabcdefghijab=too long a code",
	};
	struct rcms_justify_list l;
	struct rcms_err err;
	char many[2048] = "", item[16];
	size_t i, used = 0;

	(void)state;
	rcms_justify_defaults(&l);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rcms_err_clear(&err);
		assert_int_equal(rcms_justify_parse(bad[i], &l, &err),
				 RCMS_ERR_INVALID);
		assert_true(strlen(rcms_err_msg(&err)) > 0);
		/* the list is left as it was */
		assert_int_equal(l.n, 6);
		assert_string_equal(l.items[0].code, "processing");
	}
	for (i = 0; i <= RCMS_JUSTIFY_MAX; i++) {
		int w = snprintf(item, sizeof(item), "c%zu=l;", i);
		memcpy(many + used, item, (size_t)w + 1);
		used += (size_t)w;
	}
	assert_int_equal(rcms_justify_parse(many, &l, &err), RCMS_ERR_INVALID);
	assert_int_equal(l.n, 6);
	assert_int_equal(rcms_justify_parse(NULL, &l, &err), RCMS_ERR_INVALID);
	assert_int_equal(rcms_justify_parse("a=b", NULL, NULL),
			 RCMS_ERR_INVALID);
}

static void test_find_codes(void **state)
{
	struct rcms_justify_list l;
	char buf[256], small[12];

	(void)state;
	rcms_justify_defaults(&l);
	assert_null(rcms_justify_find(&l, NULL));
	assert_null(rcms_justify_find(NULL, "processing"));
	assert_null(rcms_justify_find(&l, ""));
	assert_null(rcms_justify_find(&l, "Processing"));
	assert_string_equal(rcms_justify_codes(&l, buf, sizeof(buf)),
			    "processing, idcheck, supervision, "
			    "subject_request, legal, audit");
	assert_string_equal(rcms_justify_codes(&l, small, sizeof(small)),
			    "processing,");
	assert_string_equal(rcms_justify_codes(NULL, buf, sizeof(buf)), "");
	assert_string_equal(rcms_justify_codes(&l, NULL, 0), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_find_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
