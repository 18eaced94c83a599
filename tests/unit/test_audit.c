/*
 * test_audit.c - the audit entry's hash (app/audit.c), which the
 * workstation's log and the exchange's copy both compute: a known value
 * worked out by hand from the canonical content, each field changes it,
 * NULL counts as empty, length prefixes keep fields apart, and a detail
 * at the workstation's limit is hashed whole.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <openssl/evp.h>

#include "app/audit.h"

static const char zeros[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static void sha_hex(const char *s, char out[RCMS_SHA256_HEX])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[32];
	unsigned int n = 0;
	int i;

	EVP_Digest(s, strlen(s), md, &n, EVP_sha256(), NULL);
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
}

static void test_known(void **state)
{
	char got[RCMS_SHA256_HEX], want[RCMS_SHA256_HEX];

	(void)state;
	rcms_audit_hash(7, 1795860000, "ana", "case.create", "c-1",
			"RS-MUP-W01", zeros, got);
	sha_hex("rcms-audit-v1\n7\n1795860000\n3:ana\n11:case.create\n"
		"3:c-1\n10:RS-MUP-W01\n"
		"0000000000000000000000000000000000000000000000000000000000000000"
		"\n", want);
	assert_string_equal(got, want);
	assert_int_equal(strlen(got), 64);
}

static void test_each_field_counts(void **state)
{
	char base[RCMS_SHA256_HEX], h[RCMS_SHA256_HEX];

	(void)state;
	rcms_audit_hash(1, 2, "a", "b", "c", "d", zeros, base);
	rcms_audit_hash(2, 2, "a", "b", "c", "d", zeros, h);
	assert_string_not_equal(base, h);
	rcms_audit_hash(1, 3, "a", "b", "c", "d", zeros, h);
	assert_string_not_equal(base, h);
	rcms_audit_hash(1, 2, "x", "b", "c", "d", zeros, h);
	assert_string_not_equal(base, h);
	rcms_audit_hash(1, 2, "a", "x", "c", "d", zeros, h);
	assert_string_not_equal(base, h);
	rcms_audit_hash(1, 2, "a", "b", "x", "d", zeros, h);
	assert_string_not_equal(base, h);
	rcms_audit_hash(1, 2, "a", "b", "c", "x", zeros, h);
	assert_string_not_equal(base, h);
	rcms_audit_hash(1, 2, "a", "b", "c", "d", base, h);
	assert_string_not_equal(base, h);
	/* the same content, the same hash */
	rcms_audit_hash(1, 2, "a", "b", "c", "d", zeros, h);
	assert_string_equal(base, h);
}

static void test_null_and_empty(void **state)
{
	char a[RCMS_SHA256_HEX], b[RCMS_SHA256_HEX];

	(void)state;
	rcms_audit_hash(1, 0, NULL, NULL, NULL, NULL, NULL, a);
	rcms_audit_hash(1, 0, "", "", "", "", "", b);
	assert_string_equal(a, b);
	assert_int_equal(strlen(a), 64);
}

/* "ab" + "c" and "a" + "bc" are different entries */
static void test_fields_kept_apart(void **state)
{
	char a[RCMS_SHA256_HEX], b[RCMS_SHA256_HEX];

	(void)state;
	rcms_audit_hash(1, 0, "ab", "c", "", "", zeros, a);
	rcms_audit_hash(1, 0, "a", "bc", "", "", zeros, b);
	assert_string_not_equal(a, b);
	rcms_audit_hash(1, 0, "a", "b", "c\n1:d", "", zeros, a);
	rcms_audit_hash(1, 0, "a", "b", "c", "d", zeros, b);
	assert_string_not_equal(a, b);
}

/* the longest detail a workstation stores: its last byte still counts */
static void test_long_detail(void **state)
{
	char d1[RCMS_LINE_LEN], d2[RCMS_LINE_LEN];
	char a[RCMS_SHA256_HEX], b[RCMS_SHA256_HEX];

	(void)state;
	memset(d1, 'x', sizeof(d1) - 1);
	d1[sizeof(d1) - 1] = '\0';
	memcpy(d2, d1, sizeof(d2));
	d2[sizeof(d2) - 2] = 'y';
	rcms_audit_hash(999999, 1795860000, "a-long-user-name-a-long-user-name",
			"identity.check.answer", "0190a1b2-0000-7000-8000-0000",
			d1, zeros, a);
	rcms_audit_hash(999999, 1795860000, "a-long-user-name-a-long-user-name",
			"identity.check.answer", "0190a1b2-0000-7000-8000-0000",
			d2, zeros, b);
	assert_string_not_equal(a, b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known),
		cmocka_unit_test(test_each_field_counts),
		cmocka_unit_test(test_null_and_empty),
		cmocka_unit_test(test_fields_kept_apart),
		cmocka_unit_test(test_long_detail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
