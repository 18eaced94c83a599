/*
 * deadline.h - reply and transfer deadlines from an agreement.
 *
 * Conventions (documented in man/rcms.1, DEADLINES):
 * - Days are counted on UTC calendar dates.  The day of receipt is day 0;
 *   a limit of N days ends at the end of day N, so the deadline instant
 *   is 00:00:00 UTC of day N+1 (a reply at that instant is late).
 * - Working days skip Saturday, Sunday and the requested country's public
 *   holidays; N working days end at the end of the N-th working day after
 *   the day of receipt.
 * - An extension adds calendar days to the reply deadline.
 * - Months add calendar months; a day that does not exist in the target
 *   month becomes that month's last day (31 Jan + 1 month = 28/29 Feb).
 * - The transfer limit runs from the decision (acceptance, or the moment of
 *   deemed acceptance).
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
	const char *requested_country;           /* alpha-2, for holidays */
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
 * Compute the deadlines at time now.  RCMS_ERR_INVALID (with err) for an
 * agreement whose periods are out of range; RCMS_OK otherwise.
 */
enum rcms_status rcms_deadlines_compute(const struct rcms_deadline_in *in,
					int64_t now,
					struct rcms_deadlines *out,
					struct rcms_err *err);

/* Add a period to a UTC instant's date; result is the period's end. */
int64_t rcms_period_end(int64_t start, const struct rcms_period *p,
			const char *country, const struct rcms_holidays *h);

/* Is the UTC date y-m-d a working day in country? */
bool rcms_is_working_day(int y, int m, int d, const char *country,
			 const struct rcms_holidays *h);

/* Days from now to due, rounded toward the deadline: 2 = "2 d left",
 * -3 = "overdue 3 d".  For the deadline column of lists. */
int rcms_days_left(int64_t now, int64_t due);

#endif
