/* test_pdate.c - partial dates, calendar arithmetic, UTC instants. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "app/pdate.h"

static struct rcms_pdate pd(int y, int m, int d)
{
	return (struct rcms_pdate){y, m, d};
}

/* Parse s as a date of birth; assert success and the result. */
static void ok_parse(const char *s, int y, int m, int d)
{
	struct rcms_pdate out = pd(-1, -1, -1);
	struct rcms_err err;

	rcms_err_clear(&err);
	if (rcms_pdate_parse(s, "date of birth", &out, &err) != RCMS_OK)
		fail_msg("'%s': %s", s, err.msg);
	assert_int_equal(out.year, y);
	assert_int_equal(out.month, m);
	assert_int_equal(out.day, d);
}

/* Parse s; assert RCMS_ERR_INVALID with exactly msg, *out untouched. */
static void bad_parse(const char *s, const char *msg)
{
	struct rcms_pdate out = pd(7, 7, 7);
	struct rcms_err err;

	rcms_err_clear(&err);
	assert_int_equal(rcms_pdate_parse(s, "date of birth", &out, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(err.status, RCMS_ERR_INVALID);
	assert_string_equal(err.field, "date of birth");
	assert_string_equal(err.msg, msg);
	assert_int_equal(out.year, 7);
	assert_int_equal(out.month, 7);
	assert_int_equal(out.day, 7);
}

/* ---- rcms_days_in_month, rcms_is_leap_year --------------------------- */

static void test_days_in_month(void **state)
{
	(void)state;
	assert_int_equal(rcms_days_in_month(2026, 1), 31);
	assert_int_equal(rcms_days_in_month(2026, 2), 28);
	assert_int_equal(rcms_days_in_month(2024, 2), 29);
	assert_int_equal(rcms_days_in_month(1900, 2), 28);
	assert_int_equal(rcms_days_in_month(2000, 2), 29);
	assert_int_equal(rcms_days_in_month(2100, 2), 28);
	assert_int_equal(rcms_days_in_month(2026, 4), 30);
	assert_int_equal(rcms_days_in_month(2026, 6), 30);
	assert_int_equal(rcms_days_in_month(2026, 9), 30);
	assert_int_equal(rcms_days_in_month(2026, 11), 30);
	assert_int_equal(rcms_days_in_month(2026, 12), 31);
	assert_int_equal(rcms_days_in_month(2026, 0), 0);
	assert_int_equal(rcms_days_in_month(2026, 13), 0);
	assert_int_equal(rcms_days_in_month(2026, -1), 0);
}

static void test_leap_year(void **state)
{
	(void)state;
	assert_true(rcms_is_leap_year(2000));
	assert_true(rcms_is_leap_year(2024));
	assert_true(rcms_is_leap_year(1600));
	assert_false(rcms_is_leap_year(1900));
	assert_false(rcms_is_leap_year(2100));
	assert_false(rcms_is_leap_year(2026));
	assert_true(rcms_is_leap_year(0));
	assert_true(rcms_is_leap_year(-4));
}

/* ---- rcms_days_from_civil, rcms_days_to_civil, rcms_weekday ---------- */

static void test_days_from_civil(void **state)
{
	(void)state;
	assert_int_equal(rcms_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(rcms_days_from_civil(1970, 1, 2), 1);
	assert_int_equal(rcms_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(rcms_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(rcms_days_from_civil(2026, 11, 28), 20785);
	assert_int_equal(rcms_days_from_civil(1900, 3, 1) -
				 rcms_days_from_civil(1900, 2, 28),
			 1);
	assert_int_equal(rcms_days_from_civil(2000, 3, 1) -
				 rcms_days_from_civil(2000, 2, 28),
			 2);
	/* months outside 1..12 roll over; day 0 is the day before the 1st */
	assert_int_equal(rcms_days_from_civil(2025, 13, 1),
			 rcms_days_from_civil(2026, 1, 1));
	assert_int_equal(rcms_days_from_civil(2026, 0, 1),
			 rcms_days_from_civil(2025, 12, 1));
	assert_int_equal(rcms_days_from_civil(2026, -11, 1),
			 rcms_days_from_civil(2025, 1, 1));
	assert_int_equal(rcms_days_from_civil(2026, 3, 0),
			 rcms_days_from_civil(2026, 2, 28));
	assert_int_equal(rcms_days_from_civil(0, 3, 1), -719468);
}

static void test_days_to_civil(void **state)
{
	int y, m, d;

	(void)state;
	rcms_days_to_civil(0, &y, &m, &d);
	assert_int_equal(y, 1970);
	assert_int_equal(m, 1);
	assert_int_equal(d, 1);
	rcms_days_to_civil(-1, &y, &m, &d);
	assert_int_equal(y, 1969);
	assert_int_equal(m, 12);
	assert_int_equal(d, 31);
	rcms_days_to_civil(20785, &y, &m, &d);
	assert_int_equal(y, 2026);
	assert_int_equal(m, 11);
	assert_int_equal(d, 28);
	/* NULL outputs are allowed */
	rcms_days_to_civil(20785, NULL, NULL, NULL);
	rcms_days_to_civil(20785, &y, NULL, NULL);
	assert_int_equal(y, 2026);
	/* saturates instead of overflowing */
	rcms_days_to_civil(INT64_MAX, &y, &m, &d);
	assert_true(y > 1000000000);
	rcms_days_to_civil(INT64_MIN, &y, &m, &d);
	assert_true(y < -1000000000);
}

/* Every day from 1850 to 2200 round-trips, in order, with the right
 * month lengths. */
static void test_civil_round_trip(void **state)
{
	int64_t first = rcms_days_from_civil(1850, 1, 1);
	int64_t last = rcms_days_from_civil(2200, 12, 31);
	int py = 1849, pm = 12, pdd = 31;

	(void)state;
	for (int64_t n = first; n <= last; n++) {
		int y, m, d;

		rcms_days_to_civil(n, &y, &m, &d);
		assert_int_equal(rcms_days_from_civil(y, m, d), n);
		if (d == 1) {
			assert_int_equal(pdd, rcms_days_in_month(py, pm));
			assert_true(m == pm + 1 || (m == 1 && pm == 12 &&
						    y == py + 1));
		} else {
			assert_int_equal(d, pdd + 1);
			assert_int_equal(m, pm);
			assert_int_equal(y, py);
		}
		py = y;
		pm = m;
		pdd = d;
	}
}

static void test_weekday(void **state)
{
	(void)state;
	assert_int_equal(rcms_weekday(0), 3);   /* 1970-01-01 Thursday */
	assert_int_equal(rcms_weekday(rcms_days_from_civil(2026, 11, 28)),
			 5);                     /* Saturday */
	assert_int_equal(rcms_weekday(rcms_days_from_civil(2026, 11, 30)),
			 0);                     /* Monday */
	assert_int_equal(rcms_weekday(-1), 2);  /* Wednesday */
	assert_int_equal(rcms_weekday(rcms_days_from_civil(1900, 1, 1)), 0);
}

/* ---- rcms_utc_to_ymd, rcms_time_format, rcms_time_parse -------------- */

static void test_utc_to_ymd(void **state)
{
	int y, m, d;

	(void)state;
	rcms_utc_to_ymd(0, &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 19700101);
	rcms_utc_to_ymd(86399, &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 19700101);
	rcms_utc_to_ymd(86400, &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 19700102);
	rcms_utc_to_ymd(-1, &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 19691231);
	rcms_utc_to_ymd(1795887073, &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 20261128);
	rcms_utc_to_ymd(1795887073, NULL, NULL, NULL);
	rcms_utc_to_ymd(INT64_MIN, &y, &m, &d);
	rcms_utc_to_ymd(INT64_MAX, &y, &m, &d);
}

static void test_time_format(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(rcms_time_format(1795887073, buf, sizeof(buf)),
			 RCMS_OK);
	assert_string_equal(buf, "2026-11-28T17:31:13Z");
	assert_int_equal(rcms_time_format(0, buf, sizeof(buf)), RCMS_OK);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	assert_int_equal(rcms_time_format(-1, buf, sizeof(buf)), RCMS_OK);
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
	assert_int_equal(rcms_time_format(951782400, buf, sizeof(buf)),
			 RCMS_OK);
	assert_string_equal(buf, "2000-02-29T00:00:00Z");
	assert_int_equal(rcms_time_format(253402300799, buf, sizeof(buf)),
			 RCMS_OK);
	assert_string_equal(buf, "9999-12-31T23:59:59Z");
	/* exactly big enough, one too small, NULL, empty, out of range */
	assert_int_equal(rcms_time_format(0, buf, 21), RCMS_OK);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	snprintf(buf, sizeof(buf), "%s", "x");
	assert_int_equal(rcms_time_format(0, buf, 20), RCMS_ERR_INVALID);
	assert_string_equal(buf, "");
	assert_int_equal(rcms_time_format(0, NULL, 0), RCMS_ERR_INVALID);
	assert_int_equal(rcms_time_format(0, NULL, 21), RCMS_ERR_INVALID);
	assert_int_equal(rcms_time_format(0, buf, 0), RCMS_ERR_INVALID);
	assert_int_equal(rcms_time_format(253402300800, buf, sizeof(buf)),
			 RCMS_ERR_INVALID);
	assert_string_equal(buf, "");
	assert_int_equal(rcms_time_format(INT64_MAX, buf, sizeof(buf)),
			 RCMS_ERR_INVALID);
	assert_int_equal(rcms_time_format(INT64_MIN, buf, sizeof(buf)),
			 RCMS_ERR_INVALID);
}

static void test_time_parse(void **state)
{
	int64_t t = 42;
	static const char *const bad[] = {
		"",
		"2026-11-28",
		"2026-11-28T17:31:13",
		"2026-11-28 17:31:13Z",
		"2026-11-28t17:31:13Z",
		"2026-11-28T17:31:13z",
		" 2026-11-28T17:31:13Z",
		"2026-11-28T17:31:13Z ",
		"2026-11-28T17:31:13.5Z",
		"2026-11-28T17:31:13+01:00",
		"2026-11-28T17:31:13-00:00",
		"2026-11-28T17:31:13+0000",
		"2026-11-28T17:31:13+00:00Z",
		"2026-02-29T00:00:00Z",
		"2026-13-01T00:00:00Z",
		"2026-00-01T00:00:00Z",
		"2026-11-00T00:00:00Z",
		"2026-11-31T00:00:00Z",
		"2026-11-28T24:00:00Z",
		"2026-11-28T23:60:00Z",
		"2026-11-28T23:59:60Z",
		"+026-11-28T17:31:13Z",
		"2026/11/28T17:31:13Z",
		"2026-11-28T17-31-13Z",
		"20261128T173113Z",
		"2026-1-28T17:31:13Z",
	};

	(void)state;
	assert_int_equal(rcms_time_parse("2026-11-28T17:31:13Z", &t), RCMS_OK);
	assert_int_equal(t, 1795887073);
	t = 0;
	assert_int_equal(rcms_time_parse("2026-11-28T17:31:13+00:00", &t),
			 RCMS_OK);
	assert_int_equal(t, 1795887073);
	assert_int_equal(rcms_time_parse("1970-01-01T00:00:00Z", &t), RCMS_OK);
	assert_int_equal(t, 0);
	assert_int_equal(rcms_time_parse("1969-12-31T23:59:59Z", &t), RCMS_OK);
	assert_int_equal(t, -1);
	assert_int_equal(rcms_time_parse("2024-02-29T12:00:00Z", &t), RCMS_OK);
	assert_int_equal(t, 1709208000);
	t = 42;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (rcms_time_parse(bad[i], &t) != RCMS_ERR_INVALID)
			fail_msg("accepted '%s'", bad[i]);
		assert_int_equal(t, 42);
	}
	assert_int_equal(rcms_time_parse(NULL, &t), RCMS_ERR_INVALID);
	assert_int_equal(rcms_time_parse("2026-11-28T17:31:13Z", NULL),
			 RCMS_ERR_INVALID);
}

/* Every second of a few days, and many instants, format and parse back. */
static void test_time_round_trip(void **state)
{
	char buf[32];
	int64_t back;

	(void)state;
	for (int64_t t = -3 * 86400; t < 3 * 86400; t += 7) {
		assert_int_equal(rcms_time_format(t, buf, sizeof(buf)), RCMS_OK);
		assert_int_equal(rcms_time_parse(buf, &back), RCMS_OK);
		assert_int_equal(back, t);
	}
	for (int64_t t = -3786825600; t < 7258118400; t += 86400 * 13 + 3607) {
		assert_int_equal(rcms_time_format(t, buf, sizeof(buf)), RCMS_OK);
		assert_int_equal(rcms_time_parse(buf, &back), RCMS_OK);
		assert_int_equal(back, t);
	}
}

/* ---- rcms_pdate_parse ------------------------------------------------ */

static void test_parse_ok(void **state)
{
	(void)state;
	ok_parse("1990", 1990, 0, 0);
	ok_parse("1990-03", 1990, 3, 0);
	ok_parse("1990-03-14", 1990, 3, 14);
	ok_parse("2024-02-29", 2024, 2, 29);
	ok_parse("2000-02-29", 2000, 2, 29);
	ok_parse("1850", 1850, 0, 0);
	ok_parse("2200-12-31", 2200, 12, 31);
	ok_parse("1850-01-01", 1850, 1, 1);
	ok_parse("  1990-03-14  ", 1990, 3, 14);
	ok_parse("\t1990\t", 1990, 0, 0);
	ok_parse("2026-12", 2026, 12, 0);
	ok_parse("1990-01-31", 1990, 1, 31);
	ok_parse("1990-04-30", 1990, 4, 30);
}

static void test_parse_empty(void **state)
{
	struct rcms_pdate out = pd(1, 2, 3);
	struct rcms_err err;

	(void)state;
	ok_parse("", 0, 0, 0);
	ok_parse("   ", 0, 0, 0);
	ok_parse(NULL, 0, 0, 0);
	/* NULL err is allowed, on success and failure */
	assert_int_equal(rcms_pdate_parse("1990", NULL, &out, NULL), RCMS_OK);
	assert_int_equal(out.year, 1990);
	assert_int_equal(rcms_pdate_parse("x", NULL, &out, NULL),
			 RCMS_ERR_INVALID);
	/* NULL out is a programming error */
	assert_int_equal(rcms_pdate_parse("1990", "date of birth", NULL, &err),
			 RCMS_ERR_INTERNAL);
	assert_string_equal(err.msg,
			    "date of birth: no place to store the date");
}

static void test_parse_bad_form(void **state)
{
	(void)state;
	bad_parse("14.03.1990",
		  "date of birth: '14.03.1990' is not a date; write YYYY, "
		  "YYYY-MM or YYYY-MM-DD");
	bad_parse("1990/03/14",
		  "date of birth: '1990/03/14' is not a date; write YYYY, "
		  "YYYY-MM or YYYY-MM-DD");
	bad_parse("1990-3-4",
		  "date of birth: '1990-3-4' is not a date; write YYYY, "
		  "YYYY-MM or YYYY-MM-DD");
	bad_parse("1990-03-4",
		  "date of birth: '1990-03-4' is not a date; write YYYY, "
		  "YYYY-MM or YYYY-MM-DD");
	bad_parse("1990-3",
		  "date of birth: '1990-3' is not a date; write YYYY, "
		  "YYYY-MM or YYYY-MM-DD");
	bad_parse("12345",
		  "date of birth: '12345' is not a date; write YYYY, "
		  "YYYY-MM or YYYY-MM-DD");
	bad_parse("90",
		  "date of birth: '90' is not a date; write YYYY, "
		  "YYYY-MM or YYYY-MM-DD");
	bad_parse("90-03-14",
		  "date of birth: '90-03-14' is not a date; write YYYY, "
		  "YYYY-MM or YYYY-MM-DD");
	bad_parse("+1990",
		  "date of birth: '+1990' is not a date; write YYYY, "
		  "YYYY-MM or YYYY-MM-DD");
	bad_parse("-1990",
		  "date of birth: '-1990' is not a date; write YYYY, "
		  "YYYY-MM or YYYY-MM-DD");
	bad_parse("1990-",
		  "date of birth: '1990-' is not a date; write YYYY, "
		  "YYYY-MM or YYYY-MM-DD");
	bad_parse("1990-03-",
		  "date of birth: '1990-03-' is not a date; write YYYY, "
		  "YYYY-MM or YYYY-MM-DD");
	bad_parse("1990-03-14T00:00",
		  "date of birth: '1990-03-14T00:00' is not a date; write "
		  "YYYY, YYYY-MM or YYYY-MM-DD");
	bad_parse("1990 03 14",
		  "date of birth: '1990 03 14' is not a date; write YYYY, "
		  "YYYY-MM or YYYY-MM-DD");
	bad_parse("1990-0a",
		  "date of birth: '1990-0a' is not a date; write YYYY, "
		  "YYYY-MM or YYYY-MM-DD");
	bad_parse("199O",
		  "date of birth: '199O' is not a date; write YYYY, "
		  "YYYY-MM or YYYY-MM-DD");
	bad_parse("1990-+3",
		  "date of birth: '1990-+3' is not a date; write YYYY, "
		  "YYYY-MM or YYYY-MM-DD");
	bad_parse("unknown",
		  "date of birth: 'unknown' is not a date; write YYYY, "
		  "YYYY-MM or YYYY-MM-DD");
	/* outside data is quoted safely: controls hidden, long text cut */
	bad_parse("19\x1b[2J90",
		  "date of birth: '19?[2J90' is not a date; write YYYY, "
		  "YYYY-MM or YYYY-MM-DD");
	bad_parse("\xff\xfe",
		  "date of birth: '?\?' is not a date; write YYYY, "
		  "YYYY-MM or YYYY-MM-DD");
	bad_parse("0123456789012345678901234567890123456789012345",
		  "date of birth: '0123456789012345678901234567890123456789...'"
		  " is not a date; write YYYY, YYYY-MM or YYYY-MM-DD");
}

static void test_parse_bad_values(void **state)
{
	(void)state;
	bad_parse("2026-02-30",
		  "date of birth: 2026-02-30 does not exist (February 2026 "
		  "has 28 days)");
	bad_parse("1900-02-29",
		  "date of birth: 1900-02-29 does not exist (February 1900 "
		  "has 28 days)");
	bad_parse("2024-02-30",
		  "date of birth: 2024-02-30 does not exist (February 2024 "
		  "has 29 days)");
	bad_parse("1990-04-31",
		  "date of birth: 1990-04-31 does not exist (April 1990 has "
		  "30 days)");
	bad_parse("1990-03-32",
		  "date of birth: 1990-03-32 does not exist (March 1990 has "
		  "31 days)");
	bad_parse("1990-12-99",
		  "date of birth: 1990-12-99 does not exist (December 1990 "
		  "has 31 days)");
	bad_parse("1990-13", "date of birth: month 13 does not exist");
	bad_parse("1990-13-01", "date of birth: month 13 does not exist");
	bad_parse("1990-99", "date of birth: month 99 does not exist");
	bad_parse("1990-00",
		  "date of birth: month 00 does not exist; write YYYY if the "
		  "month is unknown");
	bad_parse("1990-00-00",
		  "date of birth: month 00 does not exist; write YYYY if the "
		  "month is unknown");
	bad_parse("1990-03-00",
		  "date of birth: day 00 does not exist; write YYYY-MM if "
		  "the day is unknown");
	bad_parse("0000", "date of birth: year 0000 is not between 1850 and "
			  "2200");
	bad_parse("1849-12-31", "date of birth: year 1849 is not between "
				"1850 and 2200");
	bad_parse("2201", "date of birth: year 2201 is not between 1850 and "
			  "2200");
	bad_parse("9999-99-99", "date of birth: year 9999 is not between "
				"1850 and 2200");
}

static void test_parse_field(void **state)
{
	struct rcms_pdate out;
	struct rcms_err err;

	(void)state;
	assert_int_equal(rcms_pdate_parse("1990-13", NULL, &out, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "date");
	assert_string_equal(err.msg, "date: month 13 does not exist");
	assert_int_equal(rcms_pdate_parse("1990-13", "", &out, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.msg, "date: month 13 does not exist");
	assert_int_equal(rcms_pdate_parse("1990-13", "expiry date", &out,
					  &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "expiry date");
	assert_string_equal(err.msg, "expiry date: month 13 does not exist");
}

/* Every day of four years, in every form, parses to what it says. */
static void test_parse_all_days(void **state)
{
	(void)state;
	for (int y = 2023; y <= 2026; y++)
		for (int m = 1; m <= 12; m++)
			for (int d = 1; d <= 31; d++) {
				char s[48];
				struct rcms_pdate out;
				enum rcms_status rc;

				snprintf(s, sizeof(s), "%04d-%02d-%02d", y, m,
					 d);
				rc = rcms_pdate_parse(s, "x", &out, NULL);
				if (d <= rcms_days_in_month(y, m)) {
					assert_int_equal(rc, RCMS_OK);
					assert_int_equal(out.day, d);
				} else {
					assert_int_equal(rc, RCMS_ERR_INVALID);
				}
			}
}

/* ---- rcms_pdate_validate --------------------------------------------- */

static void bad_validate(struct rcms_pdate d, const char *msg)
{
	struct rcms_err err;

	rcms_err_clear(&err);
	assert_int_equal(rcms_pdate_validate(&d, "date of birth", &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "date of birth");
	assert_string_equal(err.msg, msg);
}

static void test_validate(void **state)
{
	struct rcms_pdate d;

	(void)state;
	assert_int_equal(rcms_pdate_validate(NULL, "x", NULL), RCMS_OK);
	d = pd(0, 0, 0);
	assert_int_equal(rcms_pdate_validate(&d, "x", NULL), RCMS_OK);
	d = pd(1990, 0, 0);
	assert_int_equal(rcms_pdate_validate(&d, "x", NULL), RCMS_OK);
	d = pd(1990, 3, 0);
	assert_int_equal(rcms_pdate_validate(&d, "x", NULL), RCMS_OK);
	d = pd(2024, 2, 29);
	assert_int_equal(rcms_pdate_validate(&d, "x", NULL), RCMS_OK);
	bad_validate(pd(0, 3, 0), "date of birth: a month or day without a "
				  "year is not a date");
	bad_validate(pd(0, 0, 3), "date of birth: a month or day without a "
				  "year is not a date");
	bad_validate(pd(1990, 0, 3), "date of birth: a day without a month "
				     "is not a date");
	bad_validate(pd(1990, 13, 0), "date of birth: month 13 does not "
				      "exist");
	bad_validate(pd(1990, -1, 0), "date of birth: month -1 does not "
				      "exist");
	bad_validate(pd(1990, 3, -1), "date of birth: day -1 does not exist");
	bad_validate(pd(2026, 2, 29), "date of birth: 2026-02-29 does not "
				      "exist (February 2026 has 28 days)");
	bad_validate(pd(12, 0, 0), "date of birth: year 0012 is not between "
				   "1850 and 2200");
	bad_validate(pd(-5, 0, 0), "date of birth: year -005 is not between "
				   "1850 and 2200");
}

/* ---- rcms_pdate_check_past ------------------------------------------- */

static void future(struct rcms_pdate d, const char *msg)
{
	struct rcms_err err;

	rcms_err_clear(&err);
	assert_int_equal(rcms_pdate_check_past(&d, 2026, 11, 28,
					       "date of birth", &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "date of birth");
	assert_string_equal(err.msg, msg);
}

static void past(struct rcms_pdate d)
{
	struct rcms_err err;

	rcms_err_clear(&err);
	assert_int_equal(rcms_pdate_check_past(&d, 2026, 11, 28,
					       "date of birth", &err),
			 RCMS_OK);
	assert_int_equal(err.status, RCMS_OK);
}

static void test_check_past(void **state)
{
	struct rcms_err err;

	(void)state;
	past(pd(1990, 3, 14));
	past(pd(2026, 11, 28));        /* today is not the future */
	past(pd(2026, 11, 0));         /* could be today or earlier */
	past(pd(2026, 0, 0));
	past(pd(0, 0, 0));             /* unset */
	future(pd(2026, 11, 29), "date of birth: 2026-11-29 is in the future");
	future(pd(2026, 12, 0), "date of birth: 2026-12 is in the future");
	future(pd(2026, 12, 1), "date of birth: 2026-12-01 is in the future");
	future(pd(2027, 0, 0), "date of birth: 2027 is in the future");
	future(pd(2031, 0, 0), "date of birth: 2031 is in the future");
	/* NULL date passes; NULL field names "date"; NULL err is fine */
	assert_int_equal(rcms_pdate_check_past(NULL, 2026, 11, 28, "x", &err),
			 RCMS_OK);
	{
		struct rcms_pdate d = pd(2031, 0, 0);

		assert_int_equal(rcms_pdate_check_past(&d, 2026, 11, 28, NULL,
						       &err),
				 RCMS_ERR_INVALID);
		assert_string_equal(err.msg, "date: 2031 is in the future");
		assert_int_equal(rcms_pdate_check_past(&d, 2026, 11, 28, NULL,
						       NULL),
				 RCMS_ERR_INVALID);
		/* the first of January of a year already begun */
		assert_int_equal(rcms_pdate_check_past(&d, 2031, 1, 1, NULL,
						       NULL),
				 RCMS_OK);
		assert_int_equal(rcms_pdate_check_past(&d, 2030, 12, 31, NULL,
						       NULL),
				 RCMS_ERR_INVALID);
	}
}

/* ---- rcms_pdate_format ----------------------------------------------- */

static void test_format(void **state)
{
	char buf[16];
	struct rcms_pdate d;

	(void)state;
	d = pd(1990, 0, 0);
	assert_int_equal(rcms_pdate_format(&d, buf, sizeof(buf)), 4);
	assert_string_equal(buf, "1990");
	d = pd(1990, 3, 0);
	assert_int_equal(rcms_pdate_format(&d, buf, sizeof(buf)), 7);
	assert_string_equal(buf, "1990-03");
	d = pd(1990, 3, 14);
	assert_int_equal(rcms_pdate_format(&d, buf, sizeof(buf)), 10);
	assert_string_equal(buf, "1990-03-14");
	d = pd(0, 0, 0);
	snprintf(buf, sizeof(buf), "%s", "x");
	assert_int_equal(rcms_pdate_format(&d, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	snprintf(buf, sizeof(buf), "%s", "x");
	assert_int_equal(rcms_pdate_format(NULL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	/* snprintf-style: short buffers truncate and report the length */
	d = pd(1990, 3, 14);
	assert_int_equal(rcms_pdate_format(&d, NULL, 0), 10);
	assert_int_equal(rcms_pdate_format(&d, buf, 5), 10);
	assert_string_equal(buf, "1990");
	assert_int_equal(rcms_pdate_format(NULL, NULL, 0), 0);
	/* format then parse gives the same date */
	for (int m = 0; m <= 12; m++) {
		struct rcms_pdate back;

		d = pd(2024, m, m ? m + 15 : 0);
		rcms_pdate_format(&d, buf, sizeof(buf));
		assert_int_equal(rcms_pdate_parse(buf, "x", &back, NULL),
				 RCMS_OK);
		assert_int_equal(rcms_pdate_cmp(&d, &back), 0);
		assert_int_equal(back.month, d.month);
		assert_int_equal(back.day, d.day);
	}
}

/* ---- rcms_pdate_is_full, rcms_pdate_is_set --------------------------- */

static void test_is_full_set(void **state)
{
	struct rcms_pdate d;

	(void)state;
	assert_false(rcms_pdate_is_full(NULL));
	assert_false(rcms_pdate_is_set(NULL));
	d = pd(0, 0, 0);
	assert_false(rcms_pdate_is_full(&d));
	assert_false(rcms_pdate_is_set(&d));
	d = pd(1990, 0, 0);
	assert_false(rcms_pdate_is_full(&d));
	assert_true(rcms_pdate_is_set(&d));
	d = pd(1990, 3, 0);
	assert_false(rcms_pdate_is_full(&d));
	assert_true(rcms_pdate_is_set(&d));
	d = pd(1990, 3, 14);
	assert_true(rcms_pdate_is_full(&d));
	assert_true(rcms_pdate_is_set(&d));
}

/* ---- rcms_pdate_compatible ------------------------------------------- */

static void test_compatible(void **state)
{
	/* rows and columns: the same list; matrix[i][j] is the answer */
	static const struct rcms_pdate v[] = {
		{0, 0, 0},     {1990, 0, 0},  {1990, 3, 0},  {1990, 3, 14},
		{1990, 3, 15}, {1990, 4, 0},  {1990, 4, 14}, {1991, 0, 0},
		{1991, 3, 14},
	};
	static const char *const matrix[] = {
		/* -  90 9003 900314 900315 9004 900414 91 910314 */
		"111111111", /* unset */
		"111111100", /* 1990 */
		"111110000", /* 1990-03 */
		"111100000", /* 1990-03-14 */
		"111010000", /* 1990-03-15 */
		"110001100", /* 1990-04 */
		"110001100", /* 1990-04-14 */
		"100000011", /* 1991 */
		"100000011", /* 1991-03-14 */
	};
	size_t n = sizeof(v) / sizeof(v[0]);

	(void)state;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			bool want = matrix[i][j] == '1';

			if (rcms_pdate_compatible(&v[i], &v[j]) != want)
				fail_msg("compatible(%zu, %zu) should be %d",
					 i, j, want);
		}
	assert_true(rcms_pdate_compatible(NULL, &v[3]));
	assert_true(rcms_pdate_compatible(&v[3], NULL));
	assert_true(rcms_pdate_compatible(NULL, NULL));
}

/* ---- rcms_pdate_cmp, rcms_pdate_to_days ------------------------------ */

static void test_cmp(void **state)
{
	/* in sorted order */
	static const struct rcms_pdate v[] = {
		{0, 0, 0},    {1989, 12, 31}, {1990, 0, 0},  {1990, 1, 0},
		{1990, 1, 1}, {1990, 1, 2},   {1990, 3, 0},  {1990, 3, 14},
		{1990, 4, 0}, {1991, 0, 0},   {2024, 2, 29},
	};
	size_t n = sizeof(v) / sizeof(v[0]);
	struct rcms_pdate a = pd(1990, 3, 14), b = pd(1990, 3, 14);

	(void)state;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			int c = rcms_pdate_cmp(&v[i], &v[j]);

			if ((i < j && c >= 0) || (i == j && c != 0) ||
			    (i > j && c <= 0))
				fail_msg("cmp(%zu, %zu) = %d", i, j, c);
		}
	assert_int_equal(rcms_pdate_cmp(&a, &b), 0);
	assert_int_equal(rcms_pdate_cmp(NULL, NULL), 0);
	assert_true(rcms_pdate_cmp(NULL, &a) < 0);
	assert_true(rcms_pdate_cmp(&a, NULL) > 0);
	a = pd(0, 0, 0);
	assert_int_equal(rcms_pdate_cmp(NULL, &a), 0);
}

static void test_to_days(void **state)
{
	struct rcms_pdate d;

	(void)state;
	assert_true(rcms_pdate_to_days(NULL) == RCMS_PDATE_NONE);
	d = pd(0, 0, 0);
	assert_true(rcms_pdate_to_days(&d) == RCMS_PDATE_NONE);
	d = pd(1970, 0, 0);
	assert_int_equal(rcms_pdate_to_days(&d), 0);
	d = pd(1970, 1, 0);
	assert_int_equal(rcms_pdate_to_days(&d), 0);
	d = pd(1970, 1, 1);
	assert_int_equal(rcms_pdate_to_days(&d), 0);
	d = pd(1990, 3, 0);
	assert_int_equal(rcms_pdate_to_days(&d),
			 rcms_days_from_civil(1990, 3, 1));
	d = pd(1990, 3, 14);
	assert_int_equal(rcms_pdate_to_days(&d),
			 rcms_days_from_civil(1990, 3, 14));
	d = pd(1969, 12, 31);
	assert_int_equal(rcms_pdate_to_days(&d), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days_in_month),
		cmocka_unit_test(test_leap_year),
		cmocka_unit_test(test_days_from_civil),
		cmocka_unit_test(test_days_to_civil),
		cmocka_unit_test(test_civil_round_trip),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_utc_to_ymd),
		cmocka_unit_test(test_time_format),
		cmocka_unit_test(test_time_parse),
		cmocka_unit_test(test_time_round_trip),
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_empty),
		cmocka_unit_test(test_parse_bad_form),
		cmocka_unit_test(test_parse_bad_values),
		cmocka_unit_test(test_parse_field),
		cmocka_unit_test(test_parse_all_days),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_check_past),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_is_full_set),
		cmocka_unit_test(test_compatible),
		cmocka_unit_test(test_cmp),
		cmocka_unit_test(test_to_days),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
