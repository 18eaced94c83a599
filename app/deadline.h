/*
 * deadline.h - reply and transfer deadlines from an agreement.
 *
 * Conventions (documented in man/rcms.1, DEADLINES):
 * - Days are counted on UTC calendar dates.  The day of receipt is day 0;
 *   a limit of N days ends at the end of day N, so the deadline instant
 *   is 00:00:00 UTC of day N+1 (a reply at that instant is late).
 *   Example: received 2026-03-02 10:00 UTC, 10 calendar days: day 10 is
 *   2026-03-12, the deadline instant 2026-03-13 00:00 UTC.
 * - Working days skip Saturday, Sunday and the requested country's public
 *   holidays; N working days end at the end of the N-th working day after
 *   the day of receipt (the day of receipt itself never counts, working
 *   or not).  Received Friday, 2 working days: Monday and Tuesday; the
 *   deadline instant is Wednesday 00:00 UTC.
 * - An extension adds calendar days to the reply deadline (whatever the
 *   reply period's unit), and extends the moment of deemed acceptance.
 * - Months add calendar months to the start's date; a day that does not
 *   exist in the target month becomes that month's last day (31 Jan + 1
 *   month = 28/29 Feb).  The limit ends at the end of that day: decided
 *   2026-11-30, 3 months: 2027-02-28 is the last day, the deadline
 *   instant 2027-03-01 00:00 UTC.
 * - A period of 0 (with a unit) ends at the end of the start's day; a
 *   period with unit RCMS_PERIOD_NONE is no limit.  n must be 0..3650.
 * - Procedures: normal uses agreement.reply and .transfer; accelerated
 *   .reply_accelerated and .transfer; transit .transit_reply and .transit.
 * - Deemed acceptance exists only when the agreement says silence accepts
 *   and there is a reply limit: deemed_at = reply_due (with extension).
 * - The transfer limit runs from the decision when the decision is an
 *   acceptance, or from deemed_at when there is no decision and now >=
 *   deemed_at.  When silence accepts and a decision (of either kind) comes
 *   at or after deemed_at, acceptance had already happened by law: the
 *   transfer limit runs from deemed_at.
 *
 * Times are int64_t UTC seconds since the epoch, 0 = not set.  Nothing here
 * reads the clock, the time zone or the locale; dates are converted with
 * app/pdate.h.
 */
#ifndef RCMS_APP_DEADLINE_H
#define RCMS_APP_DEADLINE_H

#include <stddef.h>

#include "app/domain.h"

struct rcms_holidays {
	const struct rcms_holiday *days;  /* borrowed, any order */
	size_t n;
};

struct rcms_deadline_in {
	const struct rcms_agreement *agreement;  /* borrowed; NULL: none */
	enum rcms_procedure procedure;
	const char *requested_country;           /* alpha-2, for holidays;
						    NULL: weekends only */
	const struct rcms_holidays *holidays;    /* may be NULL */
	int64_t received_at;                     /* exchange receipt, 0: not yet */
	int extension_days;                      /* granted extension, 0 none */
	int64_t decided_at;                      /* 0: no decision yet */
	bool accepted;                           /* the decision was acceptance */
};

struct rcms_deadlines {
	int64_t reply_due;        /* 0: no limit or not received */
	int64_t deemed_at;        /* when silence becomes acceptance; 0 never */
	int64_t transfer_due;     /* 0: no (deemed) acceptance yet / no limit */
	bool deemed;              /* in.decided_at == 0 and now >= deemed_at */
};

/*
 * Compute the deadlines at time now (used only for out->deemed).  *out is
 * zeroed first.  No agreement, or not yet received: RCMS_OK with zeros
 * (a transfer limit needs an agreement too).  RCMS_ERR_INVALID (with err,
 * err->field naming it) for NULL in or out, an agreement period with n
 * outside 0..3650 or an unknown unit ("reply", "reply_accelerated",
 * "transfer", "transit_reply", "transit"), extension_max_days outside
 * 0..3650, in->extension_days outside 0..3650, an unknown procedure, or
 * received_at/decided_at negative or after 9999-12-31.
 *
 * in->extension_days is taken as granted: the agreement's maximum is
 * enforced when the extension is requested (app/state.h), since an
 * agreement edited later must not change old cases.
 */
enum rcms_status rcms_deadlines_compute(const struct rcms_deadline_in *in,
					int64_t now,
					struct rcms_deadlines *out,
					struct rcms_err *err);

/*
 * The deadline instant of a period starting at the UTC instant start
 * (conventions above).  0 for no limit (NULL p, unit NONE), for an invalid
 * period (n outside 0..3650, unknown unit) and for start <= 0 or after
 * 9999-12-31.  country and h may be NULL (then only weekends are skipped).
 */
int64_t rcms_period_end(int64_t start, const struct rcms_period *p,
			const char *country, const struct rcms_holidays *h);

/* Is the UTC date y-m-d a working day in country?  Not Saturday or Sunday
 * and not one of h's holidays for country (alpha-2, ASCII case ignored).
 * false for a date that does not exist.  country and h may be NULL. */
bool rcms_is_working_day(int y, int m, int d, const char *country,
			 const struct rcms_holidays *h);

/*
 * Whole days from now to due, for the deadline column of lists:
 * - due > now (in time): ceil((due - now) / 86400), so k >= 1 means the
 *   deadline falls within the next k days: 1 s to 24 h left gives 1,
 *   24 h + 1 s to 48 h gives 2.  "2 d left" never hides a deadline that
 *   is 2.5 days away as 2.
 * - due <= now (late; a reply at the deadline instant is late): -k on the
 *   k-th day of lateness: 0 to 24 h - 1 s late gives -1, 24 h to 48 h - 1 s
 *   gives -2.  So the sign alone says in time (> 0) or overdue (< 0).
 * - due == 0 (no deadline): 0, which no deadline ever gives.
 * The result is clamped to INT_MIN..INT_MAX.
 */
int rcms_days_left(int64_t now, int64_t due);

#endif
