/* test_wire.c - numbers from the wire: only whole numbers that fit are
 * ever converted (a double out of range converted to an integer is
 * undefined behaviour: fuzz_wire found 4e69 in a case field). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wire_int),
		cmocka_unit_test(test_scalar_huge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
