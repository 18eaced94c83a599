/* test_password.c - the password policy (app/password.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "app/password.h"

/* pw for user must pass with the minimum min. */
static void ok(const char *pw, const char *user, unsigned min)
{
	struct rcms_err err;

	rcms_err_clear(&err);
	if (rcms_password_check(pw, user, min, &err) != RCMS_OK)
		fail_msg("'%s': %s", pw, err.msg);
}

/* pw for user is refused with a message containing want, which never
 * quotes the password. */
static void bad(const char *pw, const char *user, unsigned min,
		const char *want)
{
	struct rcms_err err;

	rcms_err_clear(&err);
	assert_int_equal(rcms_password_check(pw, user, min, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "password");
	if (!strstr(err.msg, want))
		fail_msg("'%s': '%s' lacks '%s'", pw ? pw : "(null)", err.msg,
			 want);
	if (pw && strlen(pw) >= 4 && strstr(err.msg, pw))
		fail_msg("the message quotes the password: %s", err.msg);
}

static void test_null_empty(void **state)
{
	(void)state;
	bad(NULL, "ana", 0, "no password");
	bad("", "ana", 0, "too short");
	bad("", NULL, 0, "too short");
	/* NULL err is allowed */
	assert_int_equal(rcms_password_check("short", NULL, 0, NULL),
			 RCMS_ERR_INVALID);
	assert_int_equal(rcms_password_check("a good long passphrase", NULL,
					     0, NULL),
			 RCMS_OK);
	assert_false(rcms_password_common(NULL));
	assert_false(rcms_password_common(""));
}

static void test_length(void **state)
{
	char big[300];

	(void)state;
	bad("Abcdefgh123", "ana", 0, "at least 12 characters");
	ok("Abcdefgk1234", "ana", 0);
	/* min 0 is the default; the configured minimum otherwise */
	bad("Abcdefgk1234", "ana", 16, "at least 16 characters");
	ok("Abcdefgk", "ana", 8);
	/* characters, not bytes: 11 letters of Cyrillic are 22 bytes */
	bad("Ђорђевић-12", "ana", 0, "too short");
	ok("Ђорђевић-123", "ana", 0);
	memset(big, 'x', 257);
	big[257] = '\0';
	bad(big, "ana", 0, "too long");
	bad("abcdefgh\xff\xfe-12345", "ana", 0, "UTF-8");
}

static void test_user_name(void **state)
{
	(void)state;
	bad("marko.markovic", "marko.markovic", 0, "user name");
	bad("Marko.Markovic1", "marko.markovic", 0, "user name");
	bad("ana-ANA-ana-2026", "ana", 0, "user name");
	/* the name does not count, the rest does */
	ok("pw-ana-secret-2026", "ana", 0);
	bad("pw-ana-secret", "ana", 0, "user name");
	/* names shorter than 3 characters are not looked for */
	ok("xy-secret-2026", "xy", 0);
	ok("no user given-1", NULL, 0);
}

static void test_kinds(void **state)
{
	(void)state;
	bad("abcdefghijkl", NULL, 0, "one kind of character");
	bad("ABCDEFGHIJKLM", NULL, 0, "one kind of character");
	bad("918273645546", NULL, 0, "one kind of character");
	bad("ђорђевићђорђ", NULL, 0, "one kind of character");
	ok("abcdefghijk1", NULL, 0);
	ok("abcdefghijkL", NULL, 0);
	/* long enough, one kind is fine: a passphrase */
	ok("horsebatterystaple", NULL, 0);
	/* too few different characters, however long */
	bad("abababababababababab", NULL, 0, "different");
	bad("aaaa1111aaaa1111", NULL, 0, "different");
	ok("abcde1abcde1", NULL, 0);
}

static void test_common(void **state)
{
	(void)state;
	assert_true(rcms_password_common_count() > 200);
	assert_true(rcms_password_common("password"));
	assert_true(rcms_password_common("PassWord"));
	assert_true(rcms_password_common("password2026!"));
	assert_true(rcms_password_common("qwertyuiop123"));
	assert_true(rcms_password_common("123456789012"));
	assert_true(rcms_password_common("Lozinka123!"));
	assert_true(rcms_password_common("лозинка"));
	assert_true(rcms_password_common("Readmission2026"));
	assert_false(rcms_password_common("2026password"));
	assert_false(rcms_password_common("bench-password-2026"));
	assert_false(rcms_password_common("pw-ana-secret-2026"));
	bad("Password2026!", NULL, 0, "common");
	bad("qwertyuiop12", NULL, 0, "common");
	bad("Iloveyou2026", NULL, 0, "common");
	bad("Sarajevo1984!", NULL, 0, "common");
	ok("Sarajevo-Mostar-1984", NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_empty),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_user_name),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_common),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
