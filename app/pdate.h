/*
 * pdate.h - partial dates and the project's one calendar arithmetic.
 *
 * Pure: no I/O, no allocation, no time zone.  Every date here is a
 * proleptic Gregorian calendar date; every instant is UTC seconds since
 * 1970-01-01T00:00:00Z (int64_t).  Nothing calls localtime(), mktime() or
 * reads the clock: "today" is always passed in.
 *
 * A struct rcms_pdate (domain.h) is a date of which only the year, or the
 * year and month, may be known: year 0 means no date; month 0 an unknown
 * month (then day is 0); day 0 an unknown day.  Its text forms are exactly
 * "YYYY", "YYYY-MM" and "YYYY-MM-DD"; "" is no date.
 */
#ifndef RCMS_APP_PDATE_H
#define RCMS_APP_PDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/domain.h"

/* The years a partial date may have. */
#define RCMS_PDATE_YEAR_MIN 1850
#define RCMS_PDATE_YEAR_MAX 2200

/* rcms_pdate_to_days() of a date that is not set. */
#define RCMS_PDATE_NONE INT64_MIN

/* ---- calendar arithmetic --------------------------------------------- */

/* Days since 1970-01-01 of y-m-d (Howard Hinnant's days_from_civil).
 * m is 1..12; d may be any value (d = 0 is the day before the 1st). */
int64_t rcms_days_from_civil(int y, int m, int d);
/* The civil date of days since 1970-01-01.  y, m, d may each be NULL. */
void rcms_days_to_civil(int64_t days, int *y, int *m, int *d);
/* Days in month m of year y (28..31); 0 when m is not 1..12. */
int rcms_days_in_month(int y, int m);
/* Is y a Gregorian leap year? */
bool rcms_is_leap_year(int y);
/* Day of the week of days since 1970-01-01: 0 Monday .. 6 Sunday. */
int rcms_weekday(int64_t days);

/* ---- UTC instants ---------------------------------------------------- */

/* The UTC calendar date of instant t.  y, m, d may each be NULL. */
void rcms_utc_to_ymd(int64_t t, int *y, int *m, int *d);
/*
 * "2026-11-28T17:31:13Z" into buf (21 bytes with the NUL).
 * RCMS_ERR_INVALID when buf is NULL or too small (buf is then "" if it has
 * room for that) or the year is not 0000..9999.
 */
enum rcms_status rcms_time_format(int64_t t, char *buf, size_t size);
/*
 * Parse "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DDTHH:MM:SS+00:00" (UTC only,
 * no fractions, no spaces, seconds 00..59, the date must exist) into *out.
 * RCMS_ERR_INVALID for anything else or NULL arguments; *out is then left
 * alone.
 */
enum rcms_status rcms_time_parse(const char *s, int64_t *out);

/* ---- partial dates --------------------------------------------------- */

/*
 * Parse "YYYY", "YYYY-MM" or "YYYY-MM-DD" (two-digit month and day, year
 * 1850..2200; surrounding spaces ignored) into *out.  NULL, "" or only
 * spaces give the unset date {0, 0, 0} and RCMS_OK: whether a date is
 * required is the caller's decision (rcms_pdate_is_set).
 *
 * On error returns RCMS_ERR_INVALID, leaves *out alone, and err->field is
 * field ("date" when NULL) and err->msg one of:
 *   "date of birth: '14.03.1990' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD"
 *   "date of birth: year 1849 is not between 1850 and 2200"
 *   "date of birth: month 13 does not exist"
 *   "date of birth: month 00 does not exist; write YYYY if the month is unknown"
 *   "date of birth: day 00 does not exist; write YYYY-MM if the day is unknown"
 *   "date of birth: 2026-02-30 does not exist (February 2026 has 28 days)"
 * out == NULL is RCMS_ERR_INTERNAL.
 */
enum rcms_status rcms_pdate_parse(const char *s, const char *field,
				  struct rcms_pdate *out,
				  struct rcms_err *err);

/*
 * Reject a date that is certainly after today (the date today_y-today_m-
 * today_d, given by the caller): a partial date is in the future only if
 * its earliest possible day is after today, so "2026-11" is not in the
 * future on 2026-11-28 but "2026-12" is.  An unset date passes.
 * RCMS_ERR_INVALID with "date of birth: 2031 is in the future" (the date
 * as written by rcms_pdate_format).  d == NULL passes as unset.
 */
enum rcms_status rcms_pdate_check_past(const struct rcms_pdate *d,
				       int today_y, int today_m, int today_d,
				       const char *field,
				       struct rcms_err *err);

/*
 * Check that a struct holds a date rcms_pdate_parse could have produced
 * (for values read back from storage or the wire).  Same messages as
 * rcms_pdate_parse, with the value formatted.  NULL passes as unset.
 */
enum rcms_status rcms_pdate_validate(const struct rcms_pdate *d,
				     const char *field,
				     struct rcms_err *err);

/*
 * "1990", "1990-03", "1990-03-14", or "" for no date (or d == NULL).
 * Returns the length the full text needs, like snprintf; buf may be NULL
 * when size is 0.
 */
int rcms_pdate_format(const struct rcms_pdate *d, char *buf, size_t size);

/* Year, month and day all known.  False for NULL. */
bool rcms_pdate_is_full(const struct rcms_pdate *d);
/* Any date at all (year != 0).  False for NULL. */
bool rcms_pdate_is_set(const struct rcms_pdate *d);

/*
 * Could a and b be the same day?  1990 and 1990-03-14: yes; 1990-04 and
 * 1990-03-14: no.  An unset date (or NULL) is compatible with anything.
 */
bool rcms_pdate_compatible(const struct rcms_pdate *a,
			   const struct rcms_pdate *b);

/*
 * Order for sorting: by earliest possible day; on a tie the less precise
 * date first (1990 < 1990-01 < 1990-01-01).  Unset dates (and NULL) come
 * before all others.  Returns <0, 0, >0.
 */
int rcms_pdate_cmp(const struct rcms_pdate *a, const struct rcms_pdate *b);

/*
 * Days since 1970-01-01 of the earliest possible day of d (1990-03 ->
 * 1990-03-01); RCMS_PDATE_NONE when d is NULL or unset.
 */
int64_t rcms_pdate_to_days(const struct rcms_pdate *d);

#endif
