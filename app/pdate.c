/* pdate.c - partial dates, civil-date arithmetic and UTC instants. */
#include "app/pdate.h"

#include <stdio.h>
#include <string.h>

#include "app/text.h"

/*
 * Days beyond which rcms_days_to_civil saturates, so that the year always
 * fits an int (700e9 days is about 1.9e9 years).
 */
#define DAYS_LIMIT INT64_C(700000000000)

static const char *const month_names[12] = {
	"January", "February", "March",     "April",   "May",      "June",
	"July",    "August",   "September", "October", "November", "December",
};

/* ---- calendar arithmetic --------------------------------------------- */

bool rcms_is_leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int rcms_days_in_month(int y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && rcms_is_leap_year(y))
		return 29;
	return dim[m - 1];
}

/* floor(a / b) for b > 0. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b < 0)
		q--;
	return q;
}

int64_t rcms_days_from_civil(int y, int m, int d)
{
	int64_t yy = y, mm = m, era, yoe, doy, doe;

	/* Months outside 1..12 roll into neighbouring years. */
	if (mm < 1 || mm > 12) {
		int64_t q = floor_div(mm - 1, 12);

		yy += q;
		mm -= q * 12;
	}
	yy -= mm <= 2;
	era = floor_div(yy, 400);
	yoe = yy - era * 400;                                     /* [0, 399] */
	doy = (153 * (mm > 2 ? mm - 3 : mm + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void rcms_days_to_civil(int64_t days, int *y, int *m, int *d)
{
	int64_t z, era, doe, yoe, doy, mp, dd, mm, yy;

	if (days > DAYS_LIMIT)
		days = DAYS_LIMIT;
	if (days < -DAYS_LIMIT)
		days = -DAYS_LIMIT;
	z = days + 719468;
	era = floor_div(z, 146097);
	doe = z - era * 146097;                                 /* [0, 146096] */
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);          /* [0, 365] */
	mp = (5 * doy + 2) / 153;                               /* [0, 11] */
	dd = doy - (153 * mp + 2) / 5 + 1;
	mm = mp < 10 ? mp + 3 : mp - 9;
	yy = yoe + era * 400 + (mm <= 2);
	if (y)
		*y = (int)yy;
	if (m)
		*m = (int)mm;
	if (d)
		*d = (int)dd;
}

int rcms_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	int64_t w = (days + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

/* ---- UTC instants ---------------------------------------------------- */

void rcms_utc_to_ymd(int64_t t, int *y, int *m, int *d)
{
	rcms_days_to_civil(floor_div(t, 86400), y, m, d);
}

enum rcms_status rcms_time_format(int64_t t, char *buf, size_t size)
{
	int64_t days = floor_div(t, 86400);
	int64_t secs = t % 86400;
	int y, m, d, n;

	if (secs < 0)
		secs += 86400;
	if (!buf || size == 0)
		return RCMS_ERR_INVALID;
	buf[0] = '\0';
	rcms_days_to_civil(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		return RCMS_ERR_INVALID;
	if (size < 21)
		return RCMS_ERR_INVALID;
	n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d,
		     (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
	if (n != 20) {
		buf[0] = '\0';
		return RCMS_ERR_INVALID;
	}
	return RCMS_OK;
}

/* The n digits at s as a number, or -1 if any is not a digit. */
static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

enum rcms_status rcms_time_parse(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, sec;
	size_t len;

	if (!s || !out)
		return RCMS_ERR_INVALID;
	len = strlen(s);
	if (len < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':')
		return RCMS_ERR_INVALID;
	if (!(len == 20 && s[19] == 'Z') &&
	    !(len == 25 && strcmp(s + 19, "+00:00") == 0))
		return RCMS_ERR_INVALID;
	y = digits(s, 4);
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	h = digits(s + 11, 2);
	mi = digits(s + 14, 2);
	sec = digits(s + 17, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 ||
	    d > rcms_days_in_month(y, mo) || h < 0 || h > 23 || mi < 0 ||
	    mi > 59 || sec < 0 || sec > 59)
		return RCMS_ERR_INVALID;
	*out = rcms_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	       sec;
	return RCMS_OK;
}

/* ---- partial dates --------------------------------------------------- */

static const char *field_or(const char *field)
{
	return field && field[0] ? field : "date";
}

/* The checks shared by parse and validate, on numbers. */
static enum rcms_status check_ymd(int y, int m, int d, const char *f,
				  struct rcms_err *err)
{
	if (y < RCMS_PDATE_YEAR_MIN || y > RCMS_PDATE_YEAR_MAX)
		return rcms_err_set(err, RCMS_ERR_INVALID, f,
				    "%s: year %04d is not between %d and %d",
				    f, y, RCMS_PDATE_YEAR_MIN,
				    RCMS_PDATE_YEAR_MAX);
	if (m < 0 || m > 12)
		return rcms_err_set(err, RCMS_ERR_INVALID, f,
				    "%s: month %02d does not exist", f, m);
	if (m == 0 && d != 0)
		return rcms_err_set(err, RCMS_ERR_INVALID, f,
				    "%s: a day without a month is not a date",
				    f);
	if (d < 0)
		return rcms_err_set(err, RCMS_ERR_INVALID, f,
				    "%s: day %d does not exist", f, d);
	if (m != 0 && d > rcms_days_in_month(y, m))
		return rcms_err_set(err, RCMS_ERR_INVALID, f,
				    "%s: %04d-%02d-%02d does not exist "
				    "(%s %04d has %d days)",
				    f, y, m, d, month_names[m - 1], y,
				    rcms_days_in_month(y, m));
	return RCMS_OK;
}

enum rcms_status rcms_pdate_parse(const char *s, const char *field,
				  struct rcms_pdate *out,
				  struct rcms_err *err)
{
	const char *f = field_or(field);
	const char *end;
	size_t len;
	int y, m = 0, d = 0;
	enum rcms_status rc;
	char shown[64];

	if (!out)
		return rcms_err_set(err, RCMS_ERR_INTERNAL, f,
				    "%s: no place to store the date", f);
	if (!s)
		s = "";
	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	len = (size_t)(end - s);
	if (len == 0) {
		*out = (struct rcms_pdate){0, 0, 0};
		return RCMS_OK;
	}
	y = len >= 4 ? digits(s, 4) : -1;
	if (y < 0 || (len != 4 && len != 7 && len != 10) ||
	    (len >= 7 && (s[4] != '-' || (m = digits(s + 5, 2)) < 0)) ||
	    (len == 10 && (s[7] != '-' || (d = digits(s + 8, 2)) < 0))) {
		rcms_text_show(s, len, 40, shown, sizeof(shown));
		return rcms_err_set(err, RCMS_ERR_INVALID, f,
				    "%s: '%s' is not a date; write YYYY, "
				    "YYYY-MM or YYYY-MM-DD",
				    f, shown);
	}
	if (len >= 7 && m == 0)
		return rcms_err_set(err, RCMS_ERR_INVALID, f,
				    "%s: month 00 does not exist; write YYYY "
				    "if the month is unknown",
				    f);
	if (len == 10 && d == 0)
		return rcms_err_set(err, RCMS_ERR_INVALID, f,
				    "%s: day 00 does not exist; write YYYY-MM "
				    "if the day is unknown",
				    f);
	rc = check_ymd(y, m, d, f, err);
	if (rc)
		return rc;
	*out = (struct rcms_pdate){y, m, d};
	return RCMS_OK;
}

enum rcms_status rcms_pdate_validate(const struct rcms_pdate *d,
				     const char *field,
				     struct rcms_err *err)
{
	const char *f = field_or(field);

	if (!d || (d->year == 0 && d->month == 0 && d->day == 0))
		return RCMS_OK;
	if (d->year == 0)
		return rcms_err_set(err, RCMS_ERR_INVALID, f,
				    "%s: a month or day without a year is "
				    "not a date",
				    f);
	return check_ymd(d->year, d->month, d->day, f, err);
}

enum rcms_status rcms_pdate_check_past(const struct rcms_pdate *d,
				       int today_y, int today_m, int today_d,
				       const char *field,
				       struct rcms_err *err)
{
	const char *f = field_or(field);
	char text[32];

	if (!rcms_pdate_is_set(d))
		return RCMS_OK;
	if (rcms_pdate_to_days(d) <=
	    rcms_days_from_civil(today_y, today_m, today_d))
		return RCMS_OK;
	rcms_pdate_format(d, text, sizeof(text));
	return rcms_err_set(err, RCMS_ERR_INVALID, f,
			    "%s: %s is in the future", f, text);
}

int rcms_pdate_format(const struct rcms_pdate *d, char *buf, size_t size)
{
	if (!rcms_pdate_is_set(d)) {
		if (buf && size)
			buf[0] = '\0';
		return 0;
	}
	/* the usual date, written out by hand: snprintf was a tenth of
	 * writing a pulled case */
	if (buf && size >= 11 && d->year >= 0 && d->year <= 9999 &&
	    d->month >= 0 && d->month <= 99 && d->day >= 0 && d->day <= 99) {
		int n = 4;
		buf[0] = (char)('0' + d->year / 1000);
		buf[1] = (char)('0' + d->year / 100 % 10);
		buf[2] = (char)('0' + d->year / 10 % 10);
		buf[3] = (char)('0' + d->year % 10);
		if (d->month) {
			buf[4] = '-';
			buf[5] = (char)('0' + d->month / 10);
			buf[6] = (char)('0' + d->month % 10);
			n = 7;
			if (d->day) {
				buf[7] = '-';
				buf[8] = (char)('0' + d->day / 10);
				buf[9] = (char)('0' + d->day % 10);
				n = 10;
			}
		}
		buf[n] = '\0';
		return n;
	}
	if (d->month == 0)
		return snprintf(buf, size, "%04d", d->year);
	if (d->day == 0)
		return snprintf(buf, size, "%04d-%02d", d->year, d->month);
	return snprintf(buf, size, "%04d-%02d-%02d", d->year, d->month,
			d->day);
}

bool rcms_pdate_is_set(const struct rcms_pdate *d)
{
	return d && d->year != 0;
}

bool rcms_pdate_is_full(const struct rcms_pdate *d)
{
	return d && d->year != 0 && d->month != 0 && d->day != 0;
}

bool rcms_pdate_compatible(const struct rcms_pdate *a,
			   const struct rcms_pdate *b)
{
	if (!rcms_pdate_is_set(a) || !rcms_pdate_is_set(b))
		return true;
	if (a->year != b->year)
		return false;
	if (a->month == 0 || b->month == 0)
		return true;
	if (a->month != b->month)
		return false;
	if (a->day == 0 || b->day == 0)
		return true;
	return a->day == b->day;
}

int64_t rcms_pdate_to_days(const struct rcms_pdate *d)
{
	if (!rcms_pdate_is_set(d))
		return RCMS_PDATE_NONE;
	return rcms_days_from_civil(d->year, d->month ? d->month : 1,
				    d->month && d->day ? d->day : 1);
}

static int precision(const struct rcms_pdate *d)
{
	return (d->month != 0) + (d->month != 0 && d->day != 0);
}

int rcms_pdate_cmp(const struct rcms_pdate *a, const struct rcms_pdate *b)
{
	int64_t da = rcms_pdate_to_days(a), db = rcms_pdate_to_days(b);

	if (da != db)
		return da < db ? -1 : 1;
	if (da == RCMS_PDATE_NONE)
		return 0;
	return precision(a) - precision(b);
}
