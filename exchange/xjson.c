/* xjson.c - the exchange's JSON text writer. */
#include "exchange/xjson.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"

void xjson_reset(struct xjson *w)
{
	w->len = 0;
	w->failed = false;
	if (w->buf)
		w->buf[0] = '\0';
}

void xjson_free(struct xjson *w)
{
	if (!w)
		return;
	free(w->buf);
	memset(w, 0, sizeof(*w));
}

static inline bool grow(struct xjson *w, size_t n)
{
	size_t cap;
	char *nb;

	if (w->failed)
		return false;
	if (w->len + n + 1 <= w->cap)
		return true;
	cap = w->cap ? w->cap : 1024;
	while (cap < w->len + n + 1)
		cap *= 2;
	nb = realloc(w->buf, cap);
	if (!nb) {
		w->failed = true;
		return false;
	}
	w->buf = nb;
	w->cap = cap;
	return true;
}

void xjson_raw(struct xjson *w, const char *s, size_t n)
{
	if (!grow(w, n))
		return;
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

static inline void ch(struct xjson *w, char c)
{
	if (!grow(w, 1))
		return;
	w->buf[w->len++] = c;
	w->buf[w->len] = '\0';
}

/* A comma before a value or key that follows another in its container. */
static void sep(struct xjson *w)
{
	char last;

	if (w->len == 0)
		return;
	last = w->buf[w->len - 1];
	if (last != '{' && last != '[' && last != ':')
		ch(w, ',');
}

void xjson_open(struct xjson *w, char brace)
{
	sep(w);
	ch(w, brace);
}

void xjson_close(struct xjson *w, char brace)
{
	ch(w, brace);
}

/* A string as cJSON prints it: '"', '\\' and the control characters
 * escaped (\b \f \n \r \t, else \u00XX in lower case), every other byte
 * as it is. */
static void string(struct xjson *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);
	char *o;

	if (!grow(w, 6 * n + 2))        /* every byte \u00XX at worst */
		return;
	o = w->buf + w->len;
	*o++ = '"';
	for (; *p; p++) {
		unsigned char c = *p;
		if (c >= 32 && c != '"' && c != '\\') {
			*o++ = (char)c;
			continue;
		}
		*o++ = '\\';
		switch (c) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '\b': *o++ = 'b'; break;
		case '\f': *o++ = 'f'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\t': *o++ = 't'; break;
		default:
			*o++ = 'u';
			*o++ = '0';
			*o++ = '0';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o++ = '"';
	*o = '\0';
	w->len = (size_t)(o - w->buf);
}

void xjson_key(struct xjson *w, const char *k)
{
	sep(w);
	string(w, k);
	ch(w, ':');
}

void xjson_name(struct xjson *w, const char *k)
{
	size_t n = strlen(k);
	char *o;

	sep(w);
	if (!grow(w, n + 3))
		return;
	o = w->buf + w->len;
	*o++ = '"';
	memcpy(o, k, n);
	o += n;
	*o++ = '"';
	*o++ = ':';
	*o = '\0';
	w->len = (size_t)(o - w->buf);
}

void xjson_str(struct xjson *w, const char *s)
{
	sep(w);
	string(w, s);
}

static void digits(struct xjson *w, int64_t v)
{
	char b[24];
	size_t i = sizeof(b);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		b[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		b[--i] = '-';
	xjson_raw(w, b + i, sizeof(b) - i);
}

void xjson_int(struct xjson *w, int64_t v)
{
	sep(w);
	digits(w, v);
}

void xjson_bool(struct xjson *w, bool v)
{
	sep(w);
	if (v)
		xjson_raw(w, "true", 4);
	else
		xjson_raw(w, "false", 5);
}

void xjson_value(struct xjson *w, const char *json, size_t n)
{
	sep(w);
	xjson_raw(w, json, n);
}

/* A number as cJSON prints it ("%1.15g", or "%1.17g" when that does not
 * give the double back): whole numbers below 10^15 are their digits;
 * the rest is left to cJSON itself. */
static void number(struct xjson *w, double d)
{
	char *t;
	cJSON *n;

	if (d == floor(d) && fabs(d) < 1e15 && !(d == 0 && signbit(d))) {
		digits(w, (int64_t)d);
		return;
	}
	n = cJSON_CreateNumber(d);
	t = n ? cJSON_PrintUnformatted(n) : NULL;
	cJSON_Delete(n);
	if (!t) {
		w->failed = true;
		return;
	}
	xjson_raw(w, t, strlen(t));
	cJSON_free(t);
}

static void item(struct xjson *w, const cJSON *it)
{
	const cJSON *k;

	switch (it->type & 0xff) {
	case cJSON_False:
		xjson_raw(w, "false", 5);
		break;
	case cJSON_True:
		xjson_raw(w, "true", 4);
		break;
	case cJSON_NULL:
		xjson_raw(w, "null", 4);
		break;
	case cJSON_Number:
		number(w, it->valuedouble);
		break;
	case cJSON_String:
		string(w, it->valuestring);
		break;
	case cJSON_Raw:
		if (!it->valuestring) {
			w->failed = true;
			break;
		}
		xjson_raw(w, it->valuestring, strlen(it->valuestring));
		break;
	case cJSON_Array:
		ch(w, '[');
		for (k = it->child; k; k = k->next) {
			if (k != it->child)
				ch(w, ',');
			item(w, k);
		}
		ch(w, ']');
		break;
	case cJSON_Object:
		ch(w, '{');
		for (k = it->child; k; k = k->next) {
			if (k != it->child)
				ch(w, ',');
			string(w, k->string);
			ch(w, ':');
			item(w, k);
		}
		ch(w, '}');
		break;
	default:
		w->failed = true;       /* cJSON prints nothing either */
	}
}

void xjson_print(struct xjson *w, const cJSON *it)
{
	if (!it) {
		w->failed = true;
		return;
	}
	item(w, it);
}

void xjson_cjson(struct xjson *w, const cJSON *it)
{
	sep(w);
	xjson_print(w, it);
}

/* n decimal digits of v (0 <= v < 10^n) at o */
static void fixed(char *o, int v, int n)
{
	while (n-- > 0) {
		o[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* A partial date or a time as rcms_field_get gives it, without snprintf:
 * "YYYY", "YYYY-MM", "YYYY-MM-DD"; "YYYY-MM-DDTHH:MM:SSZ"; false when
 * out of the range these are written in here (rcms_field_get then). */
static bool date_text(const struct rcms_field *f, const void *p,
		      char out[24])
{
	int y, m, d;
	int64_t t = 0, secs;

	if (f->type == RCMS_F_TIME) {
		memcpy(&t, p, sizeof(t));
		if (t == 0) {
			out[0] = '\0';
			return true;
		}
		if (t < 0)
			return false;
		rcms_days_to_civil(t / 86400, &y, &m, &d);
		if (y > 9999)
			return false;
		secs = t % 86400;
		fixed(out, y, 4);
		out[4] = '-';
		fixed(out + 5, m, 2);
		out[7] = '-';
		fixed(out + 8, d, 2);
		out[10] = 'T';
		fixed(out + 11, (int)(secs / 3600), 2);
		out[13] = ':';
		fixed(out + 14, (int)(secs / 60 % 60), 2);
		out[16] = ':';
		fixed(out + 17, (int)(secs % 60), 2);
		out[19] = 'Z';
		out[20] = '\0';
		return true;
	}
	{
		const struct rcms_pdate *pd = p;
		if (pd->year == 0) {
			out[0] = '\0';
			return true;
		}
		if (pd->year < 0 || pd->year > 9999 || pd->month < 0 ||
		    pd->month > 99 || pd->day < 0 || pd->day > 99)
			return false;
		fixed(out, pd->year, 4);
		out[4] = '\0';
		if (pd->month == 0)
			return true;
		out[4] = '-';
		fixed(out + 5, pd->month, 2);
		out[7] = '\0';
		if (pd->day == 0)
			return true;
		out[7] = '-';
		fixed(out + 8, pd->day, 2);
		out[10] = '\0';
		return true;
	}
}

void xjson_record(struct xjson *w, const struct rcms_field *table,
		  const void *rec, bool all, const char *const *omit)
{
	char buf[RCMS_TEXT_LEN + 64];
	const struct rcms_field *f;

	for (f = table; f->name; f++) {
		const char *p = (const char *)rec + f->offset;
		int v;
		if (!all && rcms_field_is_empty(f, rec) &&
		    f->type != RCMS_F_ENUM)
			continue;
		if (omit) {
			const char *const *o;
			for (o = omit; *o && strcmp(*o, f->name) != 0; o++)
				;
			if (*o)
				continue;
		}
		xjson_name(w, f->name);
		switch (f->type) {
		case RCMS_F_BOOL:
			xjson_bool(w, *(const bool *)p);
			break;
		case RCMS_F_INT:
			memcpy(&v, p, sizeof(v));
			xjson_int(w, v);
			break;
		case RCMS_F_NAME:
		case RCMS_F_LINE:
		case RCMS_F_TEXT:
		case RCMS_F_CODE:
		case RCMS_F_AGENCY:
		case RCMS_F_COUNTRY:
		case RCMS_F_ID:
			xjson_str(w, p);
			break;
		case RCMS_F_ENUM:
			memcpy(&v, p, sizeof(v));
			xjson_str(w, rcms_enum_name(f->names, v));
			break;
		case RCMS_F_PDATE:
		case RCMS_F_PDATE_PAST:
		case RCMS_F_TIME:
			if (date_text(f, p, buf)) {
				xjson_str(w, buf);
				break;
			}
			/* fall through */
		default:
			rcms_field_get(f, rec, buf, sizeof(buf));
			xjson_str(w, buf);
		}
	}
}
