/* test_wire.c - numbers from the wire: only whole numbers that fit are
 * ever converted (a double out of range converted to an integer is
 * undefined behaviour: fuzz_wire found 4e69 in a case field). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "sync/wire.h"

static int64_t int_of(const char *json, bool *ok)
{
	cJSON *j = cJSON_Parse(json);
	int64_t n = -1;

	assert_non_null(j);
	*ok = wire_int(j, &n);
	cJSON_Delete(j);
	return n;
}

/* wire_parse: nesting is counted outside strings only, a string's
 * escaped quote or backslash included; NUL bytes are refused wherever
 * they are. */
static void test_parse_nesting(void **state)
{
	struct rcms_err err = {0};
	char buf[1024], deep[64], *p;
	cJSON *j;
	int i;

	(void)state;
	/* WIRE_MAX_DEPTH arrays in the object: one too deep */
	p = deep;
	for (i = 0; i < WIRE_MAX_DEPTH; i++)
		*p++ = '[';
	for (i = 0; i < WIRE_MAX_DEPTH; i++)
		*p++ = ']';
	*p = '\0';
	snprintf(buf, sizeof(buf), "{\"a\":%s}", deep);
	assert_null(wire_parse(buf, strlen(buf), &err));
	/* the same brackets in strings: not nesting */
	snprintf(buf, sizeof(buf), "{\"a\":\"%s\",\"b\":\"\\\"%s\"}", deep,
		 deep);
	j = wire_parse(buf, strlen(buf), &err);
	assert_non_null(j);
	cJSON_Delete(j);
	/* a string that ends in an escaped backslash, then the brackets
	 * outside it */
	snprintf(buf, sizeof(buf), "{\"a\":\"x\\\\\",\"b\":%s}", deep);
	assert_null(wire_parse(buf, strlen(buf), &err));
	snprintf(buf, sizeof(buf), "{\"a\":\"x\\\\\",\"b\":[[1]]}");
	j = wire_parse(buf, strlen(buf), &err);
	assert_non_null(j);
	cJSON_Delete(j);
	/* a NUL byte, in a string or not */
	memcpy(buf, "{\"a\":\"x\0y\"}", 12);
	buf[12] = '\0';
	assert_null(wire_parse(buf, 11, &err));
	memcpy(buf, "{\"a\":1}\0", 9);
	buf[9] = '\0';
	assert_null(wire_parse(buf, 9, &err));
}

static void test_wire_int(void **state)
{
	static const char *const bad[] = {
		"4e69", "-4e69", "1e300", "-1e300", "1.5", "-0.25",
		"9007199254740994", "-9007199254740994", "\"12\"", "true",
		"null", "[]", "{}",
	};
	bool ok;
	size_t i;

	(void)state;
	assert_int_equal(int_of("0", &ok), 0);
	assert_true(ok);
	assert_int_equal(int_of("-17", &ok), -17);
	assert_true(ok);
	assert_int_equal(int_of("9007199254740992", &ok), 9007199254740992LL);
	assert_true(ok);
	assert_int_equal(int_of("-9007199254740992", &ok),
			 -9007199254740992LL);
	assert_true(ok);
	assert_int_equal(int_of("3e2", &ok), 300);
	assert_true(ok);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(int_of(bad[i], &ok), 0);
		if (ok)
			fail_msg("wire_int took %s", bad[i]);
	}
}

/* A case field given a number too large for any integer is refused with
 * the field named, not converted. */
static void test_scalar_huge(void **state)
{
	struct rcms_err err;
	char buf[64];
	cJSON *j = cJSON_Parse("3999999999999999999999999999999999999999999999"
			       "999999999999999999999993");

	(void)state;
	assert_non_null(j);
	rcms_err_clear(&err);
	assert_int_equal(wire_scalar(j, "birth_place", buf, sizeof(buf),
				     &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "birth_place");
	cJSON_Delete(j);
	j = cJSON_Parse("1990");
	assert_int_equal(wire_scalar(j, "x", buf, sizeof(buf), &err),
			 RCMS_OK);
	assert_string_equal(buf, "1990");
	cJSON_Delete(j);
}

/* A case read with values of their own kinds (booleans, whole numbers,
 * strings checked where they are) comes out as the text way made it:
 * trimmed, countries as alpha-3 codes, and the same refusals. */
static void test_case_typed(void **state)
{
	static const char *const bad[] = {
		"{\"extension_days\": 367}", "{\"extension_days\": -1}",
		"{\"extension_days\": 1.5}", "{\"surnames\": \"Kh4n\"}",
		"{\"surnames\": \"Kh\\u0001an\"}",
		"{\"birth_place\": \"a\\nb\"}",
		"{\"birth_place\": \"a\\tb\"}",
		"{\"surnames\": \"--\"}", "{\"nationality\": \"PKX\"}",
		"{\"agreement\": \"EU_PK\"}", "{\"sex\": \"Q\"}",
		"{\"needs_escort\": \"maybe\"}", "{\"birth_date\": \"1990-13\"}",
		"{\"surnames\": [1]}",
	};
	struct rcms_case c;
	struct rcms_err err;
	cJSON *j;
	size_t i;

	(void)state;
	j = cJSON_Parse("{\"surnames\": \"  O'Neil-Khan \", "
			"\"given_names\": \"Zo\u00eb\", "
			"\"nationality\": \" pakistan\", "
			"\"birth_country\": \"PK\", \"previous_nationality\": "
			"\"PAK\", \"extension_days\": 366, "
			"\"needs_escort\": true, \"pregnant\": \"yes\", "
			"\"unaccompanied_minor\": false, \"birth_date\": "
			"\"1990-03\", \"sex\": \"F\", \"birth_place\": null, "
			"\"rev\": 3, \"documents\": []}");
	assert_non_null(j);
	rcms_err_clear(&err);
	assert_int_equal(wire_case_from_json(j, &c, &err), RCMS_OK);
	assert_string_equal(c.person.surnames, "O'Neil-Khan");
	assert_string_equal(c.person.given_names, "Zo\xc3\xab");
	assert_string_equal(c.person.nationality, "PAK");
	assert_string_equal(c.person.birth_country, "PAK");
	assert_string_equal(c.person.previous_nationality, "PAK");
	assert_int_equal(c.extension_days, 366);
	assert_true(c.person.needs_escort);
	assert_true(c.person.pregnant);
	assert_false(c.person.unaccompanied_minor);
	assert_int_equal(c.person.birth_date.year, 1990);
	assert_int_equal(c.person.birth_date.month, 3);
	assert_int_equal(c.person.birth_date.day, 0);
	assert_int_equal(c.person.sex, RCMS_SEX_F);
	cJSON_Delete(j);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		j = cJSON_Parse(bad[i]);
		assert_non_null(j);
		if (wire_case_from_json(j, &c, NULL) == RCMS_OK)
			fail_msg("wire_case_from_json took %s", bad[i]);
		cJSON_Delete(j);
	}
}

/* A document's fields without its id: the first member of that name (in
 * any case, as cJSON finds it) is left out, and only that one. */
static void test_record_but(void **state)
{
	struct rcms_document d;
	cJSON *j;

	(void)state;
	j = cJSON_Parse("{\"Id\": \"x\", \"number\": \"AB 123\", "
			"\"issuing_state\": \"pak\", \"is_copy\": true}");
	rcms_document_init(&d);
	assert_int_equal(wire_record_from_json_but(rcms_document_fields, &d, j,
						   "id", 0, NULL, NULL),
			 RCMS_OK);
	assert_string_equal(d.number, "AB 123");
	assert_string_equal(d.issuing_state, "PAK");
	assert_true(d.is_copy);
	assert_int_not_equal(wire_record_from_json(rcms_document_fields, &d,
						   j, 0, NULL, NULL),
			     RCMS_OK);
	cJSON_Delete(j);
	j = cJSON_Parse("{\"id\": \"x\", \"id\": \"y\"}");
	assert_int_not_equal(wire_record_from_json_but(rcms_document_fields,
						       &d, j, "id", 0, NULL,
						       NULL),
			     RCMS_OK);
	cJSON_Delete(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_nesting),
		cmocka_unit_test(test_wire_int),
		cmocka_unit_test(test_scalar_huge),
		cmocka_unit_test(test_case_typed),
		cmocka_unit_test(test_record_but),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
