/*
 * deadline.c - reply and transfer deadlines from an agreement.
 *
 * Pure arithmetic on UTC calendar dates: no localtime, mktime or timegm,
 * so the result never depends on TZ or the C library.  Dates and day
 * numbers convert with the project's one calendar (app/pdate.h: Howard
 * Hinnant's days_from_civil / civil_from_days, proleptic Gregorian, day 0 =
 * 1970-01-01).
 */
#include "app/deadline.h"

#include <limits.h>
#include <string.h>
#include <strings.h>

#include "app/pdate.h"

#define DAY INT64_C(86400)
#define PERIOD_MAX 3650
/* 9999-12-31T23:59:59Z: the last instant a deadline may start from */
#define INSTANT_MAX INT64_C(253402300799)

/* The UTC day number of an instant: floor(t / DAY). */
static int64_t day_of(int64_t t)
{
	int64_t q = t / DAY;

	if (t % DAY < 0)
		q--;
	return q;
}

static bool is_holiday(int y, int m, int d, const char *country,
		       const struct rcms_holidays *h)
{
	size_t i;

	if (!country || !country[0] || !h || !h->days)
		return false;
	for (i = 0; i < h->n; i++) {
		const struct rcms_holiday *x = &h->days[i];

		if (x->year == y && x->month == m && x->day == d &&
		    strncasecmp(x->country, country, sizeof(x->country)) == 0)
			return true;
	}
	return false;
}

static bool working_day_number(int64_t z, const char *country,
			       const struct rcms_holidays *h)
{
	int y, m, d, w = rcms_weekday(z);   /* 0 Monday .. 6 Sunday */

	if (w >= 5)
		return false;
	rcms_days_to_civil(z, &y, &m, &d);
	return !is_holiday(y, m, d, country, h);
}

bool rcms_is_working_day(int y, int m, int d, const char *country,
			 const struct rcms_holidays *h)
{
	if (m < 1 || m > 12 || d < 1 || d > rcms_days_in_month(y, m))
		return false;
	return working_day_number(rcms_days_from_civil(y, m, d), country, h);
}

static bool period_valid(const struct rcms_period *p)
{
	if (p->n < 0 || p->n > PERIOD_MAX)
		return false;
	switch (p->unit) {
	case RCMS_PERIOD_NONE:
	case RCMS_PERIOD_CALENDAR_DAYS:
	case RCMS_PERIOD_WORKING_DAYS:
	case RCMS_PERIOD_MONTHS:
		return true;
	}
	return false;
}

int64_t rcms_period_end(int64_t start, const struct rcms_period *p,
			const char *country, const struct rcms_holidays *h)
{
	int64_t z, last;
	int y, m, d, total;

	if (!p || start <= 0 || start > INSTANT_MAX || !period_valid(p) ||
	    p->unit == RCMS_PERIOD_NONE)
		return 0;
	z = day_of(start);
	switch (p->unit) {
	case RCMS_PERIOD_CALENDAR_DAYS:
		last = z + p->n;
		break;
	case RCMS_PERIOD_WORKING_DAYS:
		/* The loop ends: a finite holiday list cannot cover every
		 * weekday.  At most n = 3650 working days, so a few years. */
		last = z;
		for (int k = 0; k < p->n;) {
			last++;
			if (working_day_number(last, country, h))
				k++;
		}
		break;
	case RCMS_PERIOD_MONTHS:
		rcms_days_to_civil(z, &y, &m, &d);
		total = (m - 1) + p->n;
		y += total / 12;
		m = total % 12 + 1;
		if (d > rcms_days_in_month(y, m))
			d = rcms_days_in_month(y, m);
		last = rcms_days_from_civil(y, m, d);
		break;
	default:
		return 0;
	}
	return (last + 1) * DAY;
}

static enum rcms_status check_period(const struct rcms_period *p,
				     const char *field, struct rcms_err *err)
{
	if (period_valid(p))
		return RCMS_OK;
	if (p->n < 0 || p->n > PERIOD_MAX)
		return rcms_err_set(err, RCMS_ERR_INVALID, field,
				    "the agreement's %s period of %d is out "
				    "of range (0 to %d)",
				    field, p->n, PERIOD_MAX);
	return rcms_err_set(err, RCMS_ERR_INVALID, field,
			    "the agreement's %s period has an unknown unit "
			    "(%d)",
			    field, (int)p->unit);
}

static enum rcms_status check_agreement(const struct rcms_agreement *a,
					struct rcms_err *err)
{
	const struct {
		const struct rcms_period *p;
		const char *field;
	} periods[] = {
		{&a->reply, "reply"},
		{&a->reply_accelerated, "reply_accelerated"},
		{&a->transfer, "transfer"},
		{&a->transit_reply, "transit_reply"},
		{&a->transit, "transit"},
	};
	size_t i;
	enum rcms_status st;

	for (i = 0; i < sizeof(periods) / sizeof(periods[0]); i++) {
		st = check_period(periods[i].p, periods[i].field, err);
		if (st != RCMS_OK)
			return st;
	}
	if (a->extension_max_days < 0 || a->extension_max_days > PERIOD_MAX)
		return rcms_err_set(err, RCMS_ERR_INVALID,
				    "extension_max_days",
				    "the agreement's maximum extension of %d "
				    "days is out of range (0 to %d)",
				    a->extension_max_days, PERIOD_MAX);
	return RCMS_OK;
}

enum rcms_status rcms_deadlines_compute(const struct rcms_deadline_in *in,
					int64_t now,
					struct rcms_deadlines *out,
					struct rcms_err *err)
{
	const struct rcms_agreement *a;
	const struct rcms_period *reply, *transfer;
	int64_t start = 0;
	enum rcms_status st;

	rcms_err_clear(err);
	if (out)
		memset(out, 0, sizeof(*out));
	if (!in || !out)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				    "no deadline input or output given");
	if (in->received_at < 0 || in->received_at > INSTANT_MAX)
		return rcms_err_set(err, RCMS_ERR_INVALID, "received_at",
				    "the time of receipt is out of range");
	if (in->decided_at < 0 || in->decided_at > INSTANT_MAX)
		return rcms_err_set(err, RCMS_ERR_INVALID, "decided_at",
				    "the time of the decision is out of range");
	if (in->extension_days < 0 || in->extension_days > PERIOD_MAX)
		return rcms_err_set(err, RCMS_ERR_INVALID, "extension_days",
				    "an extension of %d days is out of range "
				    "(0 to %d)",
				    in->extension_days, PERIOD_MAX);
	switch (in->procedure) {
	case RCMS_PROC_NORMAL:
	case RCMS_PROC_ACCELERATED:
	case RCMS_PROC_TRANSIT:
		break;
	default:
		return rcms_err_set(err, RCMS_ERR_INVALID, "procedure",
				    "unknown procedure (%d)",
				    (int)in->procedure);
	}
	a = in->agreement;
	if (!a)
		return RCMS_OK;
	st = check_agreement(a, err);
	if (st != RCMS_OK)
		return st;

	switch (in->procedure) {
	case RCMS_PROC_ACCELERATED:
		reply = &a->reply_accelerated;
		transfer = &a->transfer;
		break;
	case RCMS_PROC_TRANSIT:
		reply = &a->transit_reply;
		transfer = &a->transit;
		break;
	default:
		reply = &a->reply;
		transfer = &a->transfer;
		break;
	}

	if (in->received_at) {
		out->reply_due = rcms_period_end(in->received_at, reply,
						 in->requested_country,
						 in->holidays);
		if (out->reply_due)
			out->reply_due += in->extension_days * DAY;
		if (out->reply_due && a->silence_accepts)
			out->deemed_at = out->reply_due;
	}
	out->deemed = in->decided_at == 0 && out->deemed_at != 0 &&
		      now >= out->deemed_at;

	if (out->deemed_at && in->decided_at >= out->deemed_at)
		start = out->deemed_at;   /* accepted by law before deciding */
	else if (in->decided_at && in->accepted)
		start = in->decided_at;
	else if (out->deemed)
		start = out->deemed_at;
	if (start)
		out->transfer_due = rcms_period_end(start, transfer,
						    in->requested_country,
						    in->holidays);
	return RCMS_OK;
}

int rcms_days_left(int64_t now, int64_t due)
{
	int64_t r, q;

	if (due == 0)
		return 0;
	if (__builtin_sub_overflow(due, now, &r))
		return due > now ? INT_MAX : INT_MIN;
	if (r > 0) {
		/* still in time: ceil, so "k" means due within k days */
		q = r / DAY + (r % DAY != 0);
	} else {
		/* late (a reply at the instant itself is late): lateness in
		 * [(k-1) d, k d) gives -k.  r / DAY truncates toward zero,
		 * which for r <= 0 is -floor(-r / DAY). */
		q = r / DAY - 1;
	}
	if (q > INT_MAX)
		return INT_MAX;
	if (q < INT_MIN)
		return INT_MIN;
	return (int)q;
}
