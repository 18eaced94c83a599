/* test_deadline.c - reply and transfer deadlines (app/deadline.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/deadline.h"
#include "app/pdate.h"

#define DAY INT64_C(86400)

/* ---- helpers ------------------------------------------------------------ */

/*
 * A UTC instant, counted the slow and obvious way (year by year, month by
 * month) so that the tests do not lean on the calendar code they exercise.
 * test_helper_known checks it against values from Python's datetime.
 */
static int naive_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int64_t naive_days(int y, int m, int d)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31};
	int64_t n = 0;
	int k;

	for (k = 1970; k < y; k++)
		n += naive_leap(k) ? 366 : 365;
	for (k = y; k < 1970; k++)
		n -= naive_leap(k) ? 366 : 365;
	for (k = 1; k < m; k++)
		n += mdays[k - 1] + (k == 2 && naive_leap(y));
	return n + d - 1;
}

static int64_t T(int y, int mo, int d, int h, int mi, int s)
{
	return naive_days(y, mo, d) * DAY + h * 3600 + mi * 60 + s;
}

/* "2026-03-13T00:00:00Z" for messages */
static const char *iso(int64_t t, char *buf, size_t size)
{
	if (rcms_time_format(t, buf, size) != RCMS_OK)
		snprintf(buf, size, "%lld", (long long)t);
	return buf;
}

#define assert_time(got, want)                                               \
	do {                                                                 \
		int64_t g_ = (got), w_ = (want);                             \
		char gb_[32], wb_[32];                                       \
		if (g_ != w_)                                                \
			print_error("got %s, want %s\n",                     \
				    iso(g_, gb_, sizeof(gb_)),               \
				    iso(w_, wb_, sizeof(wb_)));              \
		assert_true(g_ == w_);                                       \
	} while (0)

/* The EU-Western Balkans model (Art. 10 of the 2007 agreements). */
static struct rcms_agreement eu_wb(void)
{
	struct rcms_agreement a;

	memset(&a, 0, sizeof(a));
	snprintf(a.code, sizeof(a.code), "%s", "EU-WB-2007");
	a.reply = (struct rcms_period){10, RCMS_PERIOD_CALENDAR_DAYS};
	a.reply_accelerated = (struct rcms_period){2, RCMS_PERIOD_WORKING_DAYS};
	a.extension_max_days = 6;
	a.silence_accepts = true;
	a.transfer = (struct rcms_period){3, RCMS_PERIOD_MONTHS};
	a.transit_reply = (struct rcms_period){5, RCMS_PERIOD_CALENDAR_DAYS};
	a.transit = (struct rcms_period){30, RCMS_PERIOD_CALENDAR_DAYS};
	return a;
}

/* A non-binding arrangement (Afghanistan, Bangladesh): silence is not
 * acceptance. */
static struct rcms_agreement non_binding(void)
{
	struct rcms_agreement a = eu_wb();

	snprintf(a.code, sizeof(a.code), "%s", "EU-AF-JWF");
	a.reply = (struct rcms_period){30, RCMS_PERIOD_CALENDAR_DAYS};
	a.silence_accepts = false;
	return a;
}

static const struct rcms_holiday rs_days[] = {
	{"RS", 2026, 1, 1},  {"RS", 2026, 1, 2},  {"RS", 2026, 1, 7},
	{"RS", 2026, 2, 16}, {"RS", 2026, 2, 17}, {"RS", 2027, 1, 1},
	{"RS", 2027, 1, 2},  {"RS", 2027, 1, 7},  {"AL", 2026, 3, 2},
	{"PK", 2026, 3, 23},
};
static const struct rcms_holidays holidays = {
	rs_days, sizeof(rs_days) / sizeof(rs_days[0])};

static struct rcms_deadline_in input(const struct rcms_agreement *a,
				     int64_t received)
{
	struct rcms_deadline_in in;

	memset(&in, 0, sizeof(in));
	in.agreement = a;
	in.procedure = RCMS_PROC_NORMAL;
	in.requested_country = "RS";
	in.holidays = &holidays;
	in.received_at = received;
	return in;
}

static struct rcms_deadlines compute_ok(const struct rcms_deadline_in *in,
					int64_t now)
{
	struct rcms_deadlines out;
	struct rcms_err err;
	enum rcms_status st = rcms_deadlines_compute(in, now, &out, &err);

	if (st != RCMS_OK)
		print_error("%s: %s (%s)\n", rcms_status_name(st),
			    rcms_err_msg(&err), err.field);
	assert_int_equal(st, RCMS_OK);
	return out;
}

/* ---- calendar arithmetic ------------------------------------------------ */

static void test_helper_known(void **state)
{
	/* values from Python's datetime */
	static const struct {
		int y, m, d;
		int64_t z;
	} known[] = {
		{1970, 1, 1, 0},           {1969, 12, 31, -1},
		{2000, 3, 1, 11017},       {2026, 3, 2, 20514},
		{2026, 3, 13, 20525},      {1600, 2, 29, -135081},
		{2400, 2, 29, 157113},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		assert_true(naive_days(known[i].y, known[i].m, known[i].d) ==
			    known[i].z);
	assert_true(T(2026, 3, 2, 10, 0, 0) == INT64_C(1772445600));
	assert_true(T(2026, 3, 13, 0, 0, 0) == INT64_C(1773360000));
}

static void test_is_working_day(void **state)
{
	(void)state;
	assert_true(rcms_is_working_day(2026, 3, 2, "RS", &holidays)); /* Mon */
	assert_true(rcms_is_working_day(2026, 3, 6, "RS", &holidays)); /* Fri */
	assert_false(rcms_is_working_day(2026, 3, 7, "RS", &holidays)); /* Sat */
	assert_false(rcms_is_working_day(2026, 3, 8, "RS", &holidays)); /* Sun */
	/* Orthodox Christmas in Serbia, a Wednesday */
	assert_false(rcms_is_working_day(2026, 1, 7, "RS", &holidays));
	assert_false(rcms_is_working_day(2026, 1, 7, "rs", &holidays));
	assert_true(rcms_is_working_day(2026, 1, 7, "AL", &holidays));
	assert_true(rcms_is_working_day(2026, 1, 7, "R", &holidays));
	assert_true(rcms_is_working_day(2026, 1, 7, "RSX", &holidays));
	assert_true(rcms_is_working_day(2026, 1, 7, "RS", NULL));
	assert_true(rcms_is_working_day(2026, 1, 7, NULL, &holidays));
	assert_true(rcms_is_working_day(2026, 1, 7, "", &holidays));
	/* a holiday list of one country does not touch another */
	assert_false(rcms_is_working_day(2026, 3, 2, "AL", &holidays));
	assert_true(rcms_is_working_day(2026, 3, 2, "RS", &holidays));
	/* an empty list, and a list with n but no days */
	{
		struct rcms_holidays none = {NULL, 5}, empty = {rs_days, 0};

		assert_true(rcms_is_working_day(2026, 1, 7, "RS", &none));
		assert_true(rcms_is_working_day(2026, 1, 7, "RS", &empty));
	}
	/* dates that do not exist */
	assert_false(rcms_is_working_day(2026, 2, 29, "RS", NULL));
	assert_false(rcms_is_working_day(2026, 13, 1, "RS", NULL));
	assert_false(rcms_is_working_day(2026, 0, 1, "RS", NULL));
	assert_false(rcms_is_working_day(2026, 4, 31, "RS", NULL));
	assert_false(rcms_is_working_day(2026, 4, 0, "RS", NULL));
	assert_true(rcms_is_working_day(2028, 2, 29, "RS", NULL)); /* Tue */
	/* weekdays before the epoch: 1969-12-31 was a Wednesday */
	assert_true(rcms_is_working_day(1969, 12, 31, NULL, NULL));
	assert_false(rcms_is_working_day(1969, 12, 28, NULL, NULL));
}

/* ---- reply deadlines ----------------------------------------------------- */

static void test_calendar_days(void **state)
{
	struct rcms_agreement a = eu_wb();
	struct rcms_deadline_in in = input(&a, T(2026, 3, 2, 10, 0, 0));
	struct rcms_deadlines out = compute_ok(&in, T(2026, 3, 2, 11, 0, 0));

	(void)state;
	/* day 0 = 2 March, day 10 = 12 March, late from 13 March 00:00 */
	assert_time(out.reply_due, T(2026, 3, 13, 0, 0, 0));
	assert_true(out.reply_due == INT64_C(1773360000));
	assert_time(out.deemed_at, out.reply_due);
	assert_false(out.deemed);
	assert_true(out.transfer_due == 0);
	/* calendar days ignore weekends and holidays */
	a.reply.n = 5;
	in = input(&a, T(2026, 1, 2, 9, 0, 0));
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2026, 1, 8, 0, 0, 0));
}

static void test_receipt_time_of_day(void **state)
{
	struct rcms_agreement a = eu_wb();
	struct rcms_deadline_in in;
	struct rcms_deadlines out;

	(void)state;
	/* any time on 2 March counts as day 0 */
	in = input(&a, T(2026, 3, 2, 0, 0, 0));
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2026, 3, 13, 0, 0, 0));
	in = input(&a, T(2026, 3, 2, 23, 59, 59));
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2026, 3, 13, 0, 0, 0));
	/* one second later it is 3 March */
	in = input(&a, T(2026, 3, 3, 0, 0, 0));
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2026, 3, 14, 0, 0, 0));
	/* the time zone of the machine plays no part */
	setenv("TZ", "Pacific/Kiritimati", 1);
	in = input(&a, T(2026, 3, 2, 23, 59, 59));
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2026, 3, 13, 0, 0, 0));
	unsetenv("TZ");
}

static void test_working_days_weekend(void **state)
{
	struct rcms_agreement a = eu_wb();
	struct rcms_deadline_in in;
	struct rcms_deadlines out;

	(void)state;
	a.reply = (struct rcms_period){5, RCMS_PERIOD_WORKING_DAYS};
	/* Wed 4 March: Thu 5, Fri 6, Mon 9, Tue 10, Wed 11 */
	in = input(&a, T(2026, 3, 4, 15, 0, 0));
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2026, 3, 12, 0, 0, 0));
	/* received on a Sunday: Mon 9 .. Fri 13 */
	in = input(&a, T(2026, 3, 8, 15, 0, 0));
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2026, 3, 14, 0, 0, 0));
	/* received Friday: the deadline never ends on a weekend day */
	a.reply.n = 1;
	in = input(&a, T(2026, 3, 6, 8, 0, 0));
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2026, 3, 10, 0, 0, 0));
}

static void test_working_days_holiday(void **state)
{
	struct rcms_agreement a = eu_wb();
	struct rcms_deadline_in in;
	struct rcms_deadlines out;

	(void)state;
	a.reply = (struct rcms_period){2, RCMS_PERIOD_WORKING_DAYS};
	/* Mon 5 Jan 2026: Tue 6, (Wed 7 Orthodox Christmas), Thu 8 */
	in = input(&a, T(2026, 1, 5, 12, 0, 0));
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2026, 1, 9, 0, 0, 0));
	/* the same for Albania, which works on 7 January */
	in.requested_country = "AL";
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2026, 1, 8, 0, 0, 0));
	/* no holiday list, no country: weekends only */
	in.requested_country = "RS";
	in.holidays = NULL;
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2026, 1, 8, 0, 0, 0));
	in.holidays = &holidays;
	in.requested_country = NULL;
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2026, 1, 8, 0, 0, 0));
	/* a holiday on the day of receipt changes nothing: day 0 never
	 * counts.  Thu 1 Jan: (Fri 2 holiday), Mon 5, Tue 6 */
	in.requested_country = "RS";
	in.received_at = T(2026, 1, 1, 12, 0, 0);
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2026, 1, 7, 0, 0, 0));
	/* Sretenje, Mon 16 and Tue 17 Feb 2026, next to a weekend: received
	 * Fri 13, Wed 18 and Thu 19 are the two working days */
	in.received_at = T(2026, 2, 13, 16, 30, 0);
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2026, 2, 20, 0, 0, 0));
}

static void test_accelerated(void **state)
{
	struct rcms_agreement a = eu_wb();
	struct rcms_deadline_in in;
	struct rcms_deadlines out;

	(void)state;
	/* received Friday 6 March 2026 17:00: Mon 9, Tue 10 */
	in = input(&a, T(2026, 3, 6, 17, 0, 0));
	in.procedure = RCMS_PROC_ACCELERATED;
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2026, 3, 11, 0, 0, 0));
	assert_time(out.deemed_at, T(2026, 3, 11, 0, 0, 0));
	/* received on the Saturday: the same two days */
	in.received_at = T(2026, 3, 7, 9, 0, 0);
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2026, 3, 11, 0, 0, 0));
	/* the transfer period is the normal one */
	in.decided_at = T(2026, 3, 10, 10, 0, 0);
	in.accepted = true;
	out = compute_ok(&in, 0);
	assert_time(out.transfer_due, T(2026, 6, 11, 0, 0, 0));
}

static void test_extension(void **state)
{
	struct rcms_agreement a = eu_wb();
	struct rcms_deadline_in in = input(&a, T(2026, 3, 2, 10, 0, 0));
	struct rcms_deadlines out;

	(void)state;
	in.extension_days = 6;
	out = compute_ok(&in, T(2026, 3, 14, 0, 0, 0));
	assert_time(out.reply_due, T(2026, 3, 19, 0, 0, 0));
	assert_time(out.deemed_at, T(2026, 3, 19, 0, 0, 0));
	/* past the original deadline, within the extension: not deemed */
	assert_false(out.deemed);
	/* an extension adds calendar days even to working-day limits:
	 * Fri 6 March + 2 working days = end of Tue 10, + 6 days = end of
	 * Mon 16 */
	in.procedure = RCMS_PROC_ACCELERATED;
	in.received_at = T(2026, 3, 6, 17, 0, 0);
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2026, 3, 17, 0, 0, 0));
	/* taken as granted, even above today's maximum of the agreement */
	in.procedure = RCMS_PROC_NORMAL;
	in.received_at = T(2026, 3, 2, 10, 0, 0);
	in.extension_days = 9;
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2026, 3, 22, 0, 0, 0));
}

/* ---- deemed acceptance and transfer -------------------------------------- */

static void test_deemed_before_at_after(void **state)
{
	struct rcms_agreement a = eu_wb();
	struct rcms_deadline_in in = input(&a, T(2026, 3, 2, 10, 0, 0));
	int64_t at = T(2026, 3, 13, 0, 0, 0);
	struct rcms_deadlines out;

	(void)state;
	out = compute_ok(&in, at - 1);
	assert_time(out.deemed_at, at);
	assert_false(out.deemed);
	assert_true(out.transfer_due == 0);
	/* at the instant itself silence becomes acceptance */
	out = compute_ok(&in, at);
	assert_true(out.deemed);
	/* 3 months from 13 March: ends with 13 June */
	assert_time(out.transfer_due, T(2026, 6, 14, 0, 0, 0));
	out = compute_ok(&in, at + 40 * DAY);
	assert_true(out.deemed);
	assert_time(out.transfer_due, T(2026, 6, 14, 0, 0, 0));
}

static void test_decision_in_time(void **state)
{
	struct rcms_agreement a = eu_wb();
	struct rcms_deadline_in in = input(&a, T(2026, 3, 2, 10, 0, 0));
	struct rcms_deadlines out;

	(void)state;
	/* accepted 10 March: 3 months to the end of 10 June */
	in.decided_at = T(2026, 3, 10, 12, 0, 0);
	in.accepted = true;
	out = compute_ok(&in, T(2026, 4, 1, 0, 0, 0));
	assert_false(out.deemed);
	assert_time(out.deemed_at, T(2026, 3, 13, 0, 0, 0));
	assert_time(out.transfer_due, T(2026, 6, 11, 0, 0, 0));
	/* accepted one second before the deadline instant: in time */
	in.decided_at = T(2026, 3, 12, 23, 59, 59);
	out = compute_ok(&in, T(2026, 4, 1, 0, 0, 0));
	assert_time(out.transfer_due, T(2026, 6, 13, 0, 0, 0));
	/* rejected in time: no transfer */
	in.decided_at = T(2026, 3, 10, 12, 0, 0);
	in.accepted = false;
	out = compute_ok(&in, T(2026, 4, 1, 0, 0, 0));
	assert_false(out.deemed);
	assert_true(out.transfer_due == 0);
}

static void test_decision_late(void **state)
{
	struct rcms_agreement a = eu_wb();
	struct rcms_deadline_in in = input(&a, T(2026, 3, 2, 10, 0, 0));
	struct rcms_deadlines out;

	(void)state;
	/* accepted at the deadline instant: late; acceptance happened by
	 * law at 13 March 00:00, the transfer runs from then */
	in.decided_at = T(2026, 3, 13, 0, 0, 0);
	in.accepted = true;
	out = compute_ok(&in, T(2026, 4, 1, 0, 0, 0));
	assert_false(out.deemed); /* there is a decision */
	assert_time(out.transfer_due, T(2026, 6, 14, 0, 0, 0));
	/* accepted on 20 March: still from 13 March */
	in.decided_at = T(2026, 3, 20, 9, 0, 0);
	out = compute_ok(&in, T(2026, 4, 1, 0, 0, 0));
	assert_time(out.transfer_due, T(2026, 6, 14, 0, 0, 0));
	/* a late rejection does not undo the deemed acceptance */
	in.accepted = false;
	out = compute_ok(&in, T(2026, 4, 1, 0, 0, 0));
	assert_time(out.transfer_due, T(2026, 6, 14, 0, 0, 0));
}

static void test_no_silence_acceptance(void **state)
{
	struct rcms_agreement a = non_binding();
	struct rcms_deadline_in in = input(&a, T(2026, 3, 2, 10, 0, 0));
	struct rcms_deadlines out;

	(void)state;
	in.requested_country = "AF";
	out = compute_ok(&in, T(2027, 1, 1, 0, 0, 0));
	assert_time(out.reply_due, T(2026, 4, 2, 0, 0, 0));
	assert_true(out.deemed_at == 0);
	assert_false(out.deemed);
	assert_true(out.transfer_due == 0);
	/* a late acceptance runs from the decision itself */
	in.decided_at = T(2026, 5, 5, 8, 0, 0);
	in.accepted = true;
	out = compute_ok(&in, T(2027, 1, 1, 0, 0, 0));
	assert_time(out.transfer_due, T(2026, 8, 6, 0, 0, 0));
	/* a late rejection: no transfer */
	in.accepted = false;
	out = compute_ok(&in, T(2027, 1, 1, 0, 0, 0));
	assert_true(out.transfer_due == 0);
	/* Bangladesh, the same arrangement */
	in.requested_country = "BD";
	in.decided_at = 0;
	out = compute_ok(&in, T(2030, 1, 1, 0, 0, 0));
	assert_true(out.deemed_at == 0);
	assert_false(out.deemed);
	/* silence accepts, but with no reply limit there is nothing to
	 * miss */
	a = eu_wb();
	a.reply.unit = RCMS_PERIOD_NONE;
	a.reply.n = 0;
	in = input(&a, T(2026, 3, 2, 10, 0, 0));
	out = compute_ok(&in, T(2030, 1, 1, 0, 0, 0));
	assert_true(out.reply_due == 0);
	assert_true(out.deemed_at == 0);
	assert_false(out.deemed);
	assert_true(out.transfer_due == 0);
}

static void test_transit(void **state)
{
	struct rcms_agreement a = eu_wb();
	struct rcms_deadline_in in = input(&a, T(2026, 3, 2, 10, 0, 0));
	struct rcms_deadlines out;

	(void)state;
	in.procedure = RCMS_PROC_TRANSIT;
	out = compute_ok(&in, T(2026, 3, 3, 0, 0, 0));
	assert_time(out.reply_due, T(2026, 3, 8, 0, 0, 0));
	/* consent on 5 March: transit within 30 days, to the end of 4 April */
	in.decided_at = T(2026, 3, 5, 8, 0, 0);
	in.accepted = true;
	out = compute_ok(&in, T(2026, 3, 6, 0, 0, 0));
	assert_time(out.transfer_due, T(2026, 4, 5, 0, 0, 0));
	/* silence: deemed on 8 March, transit to the end of 7 April */
	in.decided_at = 0;
	out = compute_ok(&in, T(2026, 3, 9, 0, 0, 0));
	assert_true(out.deemed);
	assert_time(out.transfer_due, T(2026, 4, 8, 0, 0, 0));
}

static void test_months_clamp(void **state)
{
	struct rcms_period m3 = {3, RCMS_PERIOD_MONTHS};
	struct rcms_period m1 = {1, RCMS_PERIOD_MONTHS};
	struct rcms_period m12 = {12, RCMS_PERIOD_MONTHS};
	struct rcms_period m0 = {0, RCMS_PERIOD_MONTHS};
	struct rcms_period m25 = {25, RCMS_PERIOD_MONTHS};

	(void)state;
	/* 30 Nov + 3 months = "30 Feb" 2027 -> 28 Feb, late from 1 Mar */
	assert_time(rcms_period_end(T(2026, 11, 30, 14, 0, 0), &m3, NULL,
				    NULL),
		    T(2027, 3, 1, 0, 0, 0));
	/* 28 Nov gives the same end: clamping folds 28-30 Nov together */
	assert_time(rcms_period_end(T(2026, 11, 28, 14, 0, 0), &m3, NULL,
				    NULL),
		    T(2027, 3, 1, 0, 0, 0));
	assert_time(rcms_period_end(T(2026, 11, 27, 14, 0, 0), &m3, NULL,
				    NULL),
		    T(2027, 2, 28, 0, 0, 0));
	/* 31 Jan + 1 month: 28 Feb, or 29 in a leap year */
	assert_time(rcms_period_end(T(2027, 1, 31, 0, 0, 0), &m1, NULL, NULL),
		    T(2027, 3, 1, 0, 0, 0));
	assert_time(rcms_period_end(T(2028, 1, 31, 0, 0, 0), &m1, NULL, NULL),
		    T(2028, 3, 1, 0, 0, 0));
	assert_time(rcms_period_end(T(2028, 1, 30, 0, 0, 0), &m1, NULL, NULL),
		    T(2028, 3, 1, 0, 0, 0));
	assert_time(rcms_period_end(T(2028, 1, 28, 0, 0, 0), &m1, NULL, NULL),
		    T(2028, 2, 29, 0, 0, 0));
	/* 31 Aug + 1 month = 30 Sep */
	assert_time(rcms_period_end(T(2026, 8, 31, 0, 0, 0), &m1, NULL, NULL),
		    T(2026, 10, 1, 0, 0, 0));
	/* across the year, and over whole years */
	assert_time(rcms_period_end(T(2026, 12, 15, 0, 0, 0), &m3, NULL,
				    NULL),
		    T(2027, 3, 16, 0, 0, 0));
	assert_time(rcms_period_end(T(2024, 2, 29, 0, 0, 0), &m12, NULL,
				    NULL),
		    T(2025, 3, 1, 0, 0, 0));
	assert_time(rcms_period_end(T(2026, 12, 31, 0, 0, 0), &m25, NULL,
				    NULL),
		    T(2029, 2, 1, 0, 0, 0));
	assert_time(rcms_period_end(T(2026, 12, 31, 23, 0, 0), &m0, NULL,
				    NULL),
		    T(2027, 1, 1, 0, 0, 0));
	/* months ignore weekends and holidays: 7 Jan 2026 + 12 months ends
	 * with 7 Jan 2027, a holiday in Serbia */
	assert_time(rcms_period_end(T(2026, 1, 7, 0, 0, 0), &m12, "RS",
				    &holidays),
		    T(2027, 1, 8, 0, 0, 0));
}

static void test_transfer_month_end(void **state)
{
	struct rcms_agreement a = eu_wb();
	struct rcms_deadline_in in = input(&a, T(2026, 11, 25, 10, 0, 0));
	struct rcms_deadlines out;

	(void)state;
	in.decided_at = T(2026, 11, 30, 15, 0, 0);
	in.accepted = true;
	out = compute_ok(&in, T(2026, 12, 1, 0, 0, 0));
	assert_time(out.transfer_due, T(2027, 3, 1, 0, 0, 0));
}

static void test_leap_years(void **state)
{
	struct rcms_agreement a = eu_wb();
	struct rcms_deadline_in in;
	struct rcms_deadlines out;

	(void)state;
	/* 25 Feb + 10 days: 6 March in a leap year, 7 March otherwise */
	in = input(&a, T(2028, 2, 25, 10, 0, 0));
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2028, 3, 7, 0, 0, 0));
	in = input(&a, T(2026, 2, 25, 10, 0, 0));
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2026, 3, 8, 0, 0, 0));
	/* 2100 is not a leap year, 2000 was */
	in = input(&a, T(2100, 2, 25, 10, 0, 0));
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2100, 3, 8, 0, 0, 0));
	in = input(&a, T(2000, 2, 25, 10, 0, 0));
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2000, 3, 7, 0, 0, 0));
	/* working days over 29 Feb 2028 (a Tuesday) */
	a.reply = (struct rcms_period){2, RCMS_PERIOD_WORKING_DAYS};
	in = input(&a, T(2028, 2, 28, 10, 0, 0));
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2028, 3, 2, 0, 0, 0));
}

static void test_year_boundary(void **state)
{
	struct rcms_agreement a = eu_wb();
	struct rcms_deadline_in in;
	struct rcms_deadlines out;

	(void)state;
	in = input(&a, T(2026, 12, 28, 10, 0, 0));
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2027, 1, 8, 0, 0, 0));
	/* Thu 31 Dec 2026, 2 working days in Serbia: (Fri 1 Jan holiday,
	 * weekend) Mon 4, Tue 5 */
	in.procedure = RCMS_PROC_ACCELERATED;
	in.received_at = T(2026, 12, 31, 23, 59, 59);
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2027, 1, 6, 0, 0, 0));
	/* 4 working days run into Orthodox Christmas: Mon 4, Tue 5, Wed 6,
	 * (Thu 7), Fri 8 */
	a.reply_accelerated.n = 4;
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2027, 1, 9, 0, 0, 0));
}

/* ---- edges and bad input ------------------------------------------------- */

static void test_no_agreement(void **state)
{
	struct rcms_deadline_in in = input(NULL, T(2026, 3, 2, 10, 0, 0));
	struct rcms_deadlines out;

	(void)state;
	in.decided_at = T(2026, 3, 5, 10, 0, 0);
	in.accepted = true;
	out = compute_ok(&in, T(2027, 1, 1, 0, 0, 0));
	assert_true(out.reply_due == 0);
	assert_true(out.deemed_at == 0);
	assert_true(out.transfer_due == 0);
	assert_false(out.deemed);
}

static void test_not_received(void **state)
{
	struct rcms_agreement a = eu_wb();
	struct rcms_deadline_in in = input(&a, 0);
	struct rcms_deadlines out;

	(void)state;
	out = compute_ok(&in, T(2027, 1, 1, 0, 0, 0));
	assert_true(out.reply_due == 0);
	assert_true(out.deemed_at == 0);
	assert_true(out.transfer_due == 0);
	assert_false(out.deemed);
}

static void test_no_limit_units(void **state)
{
	struct rcms_agreement a = eu_wb();
	struct rcms_deadline_in in = input(&a, T(2026, 3, 2, 10, 0, 0));
	struct rcms_deadlines out;

	(void)state;
	/* no transfer limit: deemed, but nothing due */
	a.transfer = (struct rcms_period){0, RCMS_PERIOD_NONE};
	out = compute_ok(&in, T(2026, 4, 1, 0, 0, 0));
	assert_true(out.deemed);
	assert_true(out.transfer_due == 0);
	/* a period of 0 days ends with the day of receipt */
	a.reply = (struct rcms_period){0, RCMS_PERIOD_CALENDAR_DAYS};
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2026, 3, 3, 0, 0, 0));
	a.reply = (struct rcms_period){0, RCMS_PERIOD_WORKING_DAYS};
	in.received_at = T(2026, 3, 7, 10, 0, 0); /* a Saturday */
	out = compute_ok(&in, 0);
	assert_time(out.reply_due, T(2026, 3, 8, 0, 0, 0));
	/* the largest periods */
	a.reply = (struct rcms_period){3650, RCMS_PERIOD_WORKING_DAYS};
	out = compute_ok(&in, 0);
	assert_true(out.reply_due > T(2040, 1, 1, 0, 0, 0));
	assert_time(rcms_period_end(T(2026, 3, 2, 10, 0, 0),
				    &(struct rcms_period){
					    3650, RCMS_PERIOD_CALENDAR_DAYS},
				    NULL, NULL),
		    T(2026, 3, 2, 0, 0, 0) + 3651 * DAY);
	assert_time(rcms_period_end(T(2026, 3, 2, 10, 0, 0),
				    &(struct rcms_period){3650,
							  RCMS_PERIOD_MONTHS},
				    NULL, NULL),
		    T(2330, 5, 3, 0, 0, 0)); /* 304 years 2 months */
}

static void test_invalid_periods(void **state)
{
	static const char *const fields[] = {"reply", "reply_accelerated",
					     "transfer", "transit_reply",
					     "transit"};
	static const struct rcms_period bad[] = {
		{-1, RCMS_PERIOD_CALENDAR_DAYS},
		{3651, RCMS_PERIOD_CALENDAR_DAYS},
		{INT_MAX, RCMS_PERIOD_MONTHS},
		{INT_MIN, RCMS_PERIOD_WORKING_DAYS},
		{-1, RCMS_PERIOD_NONE},
		{10, (enum rcms_period_unit)99},
		{10, (enum rcms_period_unit)-1},
	};
	size_t f, b;

	(void)state;
	for (f = 0; f < 5; f++) {
		for (b = 0; b < sizeof(bad) / sizeof(bad[0]); b++) {
			struct rcms_agreement a = eu_wb();
			struct rcms_deadline_in in =
				input(&a, T(2026, 3, 2, 10, 0, 0));
			/* in the order of fields[] */
			struct rcms_period *p[5] = {
				&a.reply, &a.reply_accelerated, &a.transfer,
				&a.transit_reply, &a.transit};
			struct rcms_deadlines out;
			struct rcms_err err;

			*p[f] = bad[b];
			memset(&out, 0x5a, sizeof(out));
			assert_int_equal(rcms_deadlines_compute(&in, 0, &out,
								&err),
					 RCMS_ERR_INVALID);
			assert_int_equal(err.status, RCMS_ERR_INVALID);
			assert_string_equal(err.field, fields[f]);
			assert_non_null(strstr(err.msg, fields[f]));
			/* out is zeroed, not half filled */
			assert_true(out.reply_due == 0 && out.deemed_at == 0 &&
				    out.transfer_due == 0 && !out.deemed);
			/* and rcms_period_end refuses it on its own */
			assert_true(rcms_period_end(T(2026, 3, 2, 10, 0, 0),
						    &bad[b], NULL, NULL) == 0);
		}
	}
}

static void test_invalid_inputs(void **state)
{
	struct rcms_agreement a = eu_wb();
	struct rcms_deadline_in in = input(&a, T(2026, 3, 2, 10, 0, 0));
	struct rcms_deadlines out;
	struct rcms_err err;

	(void)state;
	in.extension_days = -1;
	assert_int_equal(rcms_deadlines_compute(&in, 0, &out, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "extension_days");
	in.extension_days = 3651;
	assert_int_equal(rcms_deadlines_compute(&in, 0, &out, &err),
			 RCMS_ERR_INVALID);
	in.extension_days = 0;
	in.procedure = (enum rcms_procedure)7;
	assert_int_equal(rcms_deadlines_compute(&in, 0, &out, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "procedure");
	in.procedure = RCMS_PROC_NORMAL;
	in.received_at = -5;
	assert_int_equal(rcms_deadlines_compute(&in, 0, &out, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "received_at");
	in.received_at = INT64_MAX;
	assert_int_equal(rcms_deadlines_compute(&in, 0, &out, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "received_at");
	in.received_at = T(9999, 12, 31, 23, 59, 59);
	assert_int_equal(rcms_deadlines_compute(&in, 0, &out, &err), RCMS_OK);
	in.received_at = T(2026, 3, 2, 10, 0, 0);
	in.decided_at = INT64_MIN;
	assert_int_equal(rcms_deadlines_compute(&in, 0, &out, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "decided_at");
	in.decided_at = 0;
	a.extension_max_days = -1;
	assert_int_equal(rcms_deadlines_compute(&in, 0, &out, &err),
			 RCMS_ERR_INVALID);
	assert_string_equal(err.field, "extension_max_days");
	a.extension_max_days = 6;
	/* valid again; err is cleared on success */
	assert_int_equal(rcms_deadlines_compute(&in, 0, &out, &err), RCMS_OK);
	assert_int_equal(err.status, RCMS_OK);
	assert_string_equal(err.field, "");
	/* extreme values of now are plain comparisons */
	out = compute_ok(&in, INT64_MIN);
	assert_false(out.deemed);
	out = compute_ok(&in, INT64_MAX);
	assert_true(out.deemed);
}

static void test_null_inputs(void **state)
{
	struct rcms_agreement a = eu_wb();
	struct rcms_deadline_in in = input(&a, T(2026, 3, 2, 10, 0, 0));
	struct rcms_deadlines out;
	struct rcms_err err;
	struct rcms_period p = {10, RCMS_PERIOD_CALENDAR_DAYS};

	(void)state;
	assert_int_equal(rcms_deadlines_compute(NULL, 0, &out, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(rcms_deadlines_compute(&in, 0, NULL, &err),
			 RCMS_ERR_INVALID);
	assert_int_equal(rcms_deadlines_compute(NULL, 0, NULL, NULL),
			 RCMS_ERR_INVALID);
	assert_int_equal(rcms_deadlines_compute(&in, 0, &out, NULL), RCMS_OK);
	a.reply.n = -1;
	assert_int_equal(rcms_deadlines_compute(&in, 0, &out, NULL),
			 RCMS_ERR_INVALID);
	/* rcms_period_end: no period, no start */
	assert_true(rcms_period_end(T(2026, 3, 2, 0, 0, 0), NULL, NULL,
				    NULL) == 0);
	assert_true(rcms_period_end(0, &p, NULL, NULL) == 0);
	assert_true(rcms_period_end(-DAY, &p, NULL, NULL) == 0);
	assert_true(rcms_period_end(INT64_MAX, &p, NULL, NULL) == 0);
	p.unit = RCMS_PERIOD_NONE;
	assert_true(rcms_period_end(T(2026, 3, 2, 0, 0, 0), &p, NULL, NULL) ==
		    0);
	/* empty country: no holidays */
	p = (struct rcms_period){1, RCMS_PERIOD_WORKING_DAYS};
	assert_time(rcms_period_end(T(2026, 1, 6, 9, 0, 0), &p, "", &holidays),
		    T(2026, 1, 8, 0, 0, 0));
	assert_time(rcms_period_end(T(2026, 1, 6, 9, 0, 0), &p, "RS",
				    &holidays),
		    T(2026, 1, 9, 0, 0, 0));
}

static void test_days_left(void **state)
{
	int64_t due = T(2026, 3, 13, 0, 0, 0);

	(void)state;
	/* in time: ceil */
	assert_int_equal(rcms_days_left(due - 1, due), 1);
	assert_int_equal(rcms_days_left(due - 12 * 3600, due), 1);
	assert_int_equal(rcms_days_left(due - DAY, due), 1);
	assert_int_equal(rcms_days_left(due - DAY - 1, due), 2);
	assert_int_equal(rcms_days_left(due - 2 * DAY, due), 2);
	assert_int_equal(rcms_days_left(due - 2 * DAY - DAY / 2, due), 3);
	assert_int_equal(rcms_days_left(T(2026, 3, 2, 10, 0, 0), due), 11);
	/* the instant itself is late */
	assert_int_equal(rcms_days_left(due, due), -1);
	assert_int_equal(rcms_days_left(due + 1, due), -1);
	assert_int_equal(rcms_days_left(due + DAY - 1, due), -1);
	assert_int_equal(rcms_days_left(due + DAY, due), -2);
	assert_int_equal(rcms_days_left(due + 3 * DAY - 1, due), -3);
	assert_int_equal(rcms_days_left(due + 3 * DAY, due), -4);
	/* no deadline */
	assert_int_equal(rcms_days_left(due, 0), 0);
	/* never 0 for a real deadline, over a range of seconds */
	{
		int64_t now;

		for (now = due - 3 * DAY; now <= due + 3 * DAY; now += 997)
			assert_true(rcms_days_left(now, due) != 0);
	}
	/* extremes clamp without overflow */
	assert_int_equal(rcms_days_left(INT64_MIN, INT64_MAX), INT_MAX);
	assert_int_equal(rcms_days_left(INT64_MAX, 1), INT_MIN);
	assert_int_equal(rcms_days_left(INT64_MIN, 1), INT_MAX);
	assert_int_equal(rcms_days_left(0, INT64_MAX), INT_MAX);
	assert_int_equal(rcms_days_left(INT64_MAX, INT64_MIN), INT_MIN);
	assert_int_equal(rcms_days_left(-DAY, DAY), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_helper_known),
		cmocka_unit_test(test_is_working_day),
		cmocka_unit_test(test_calendar_days),
		cmocka_unit_test(test_receipt_time_of_day),
		cmocka_unit_test(test_working_days_weekend),
		cmocka_unit_test(test_working_days_holiday),
		cmocka_unit_test(test_accelerated),
		cmocka_unit_test(test_extension),
		cmocka_unit_test(test_deemed_before_at_after),
		cmocka_unit_test(test_decision_in_time),
		cmocka_unit_test(test_decision_late),
		cmocka_unit_test(test_no_silence_acceptance),
		cmocka_unit_test(test_transit),
		cmocka_unit_test(test_months_clamp),
		cmocka_unit_test(test_transfer_month_end),
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_year_boundary),
		cmocka_unit_test(test_no_agreement),
		cmocka_unit_test(test_not_received),
		cmocka_unit_test(test_no_limit_units),
		cmocka_unit_test(test_invalid_periods),
		cmocka_unit_test(test_invalid_inputs),
		cmocka_unit_test(test_null_inputs),
		cmocka_unit_test(test_days_left),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
