/* xjson.c - the exchange's JSON text writer. */
#include "exchange/xjson.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

void xjson_cjson(struct xjson *w, const cJSON *it)
{
	if (!it) {
		w->failed = true;
		return;
	}
	sep(w);
	item(w, it);
}
