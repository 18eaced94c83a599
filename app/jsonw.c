/* jsonw.c - the JSON writer. */
#include "app/jsonw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/text.h"

void rcms_jsonw_init(struct rcms_jsonw *w)
{
	memset(w, 0, sizeof(*w));
}

void rcms_jsonw_free(struct rcms_jsonw *w)
{
	if (!w)
		return;
	free(w->buf);
	memset(w, 0, sizeof(*w));
}

static void put(struct rcms_jsonw *w, const char *s, size_t n)
{
	if (w->failed)
		return;
	if (w->len + n + 1 > w->cap) {
		size_t cap = w->cap ? w->cap : 256;
		char *nb;
		while (cap < w->len + n + 1)
			cap *= 2;
		nb = realloc(w->buf, cap);
		if (!nb) {
			w->failed = true;
			return;
		}
		w->buf = nb;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

static void puts_(struct rcms_jsonw *w, const char *s)
{
	put(w, s, strlen(s));
}

/* Before a value: a comma when it is not the first in its container. */
static void sep(struct rcms_jsonw *w)
{
	if (w->depth > 0 && w->depth < 32) {
		if (w->need_comma[w->depth])
			put(w, ",", 1);
		w->need_comma[w->depth] = true;
	}
}

/* Before a value: nothing right after a key, else a comma if needed. */
static void value_sep(struct rcms_jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	sep(w);
}

static void open_(struct rcms_jsonw *w, const char *c)
{
	value_sep(w);
	puts_(w, c);
	if (++w->depth >= 32)
		w->failed = true;
	else
		w->need_comma[w->depth] = false;
}

static void close_(struct rcms_jsonw *w, const char *c)
{
	if (w->depth > 0)
		w->depth--;
	puts_(w, c);
}

void rcms_jsonw_obj_begin(struct rcms_jsonw *w) { open_(w, "{"); }
void rcms_jsonw_obj_end(struct rcms_jsonw *w) { close_(w, "}"); }
void rcms_jsonw_arr_begin(struct rcms_jsonw *w) { open_(w, "["); }
void rcms_jsonw_arr_end(struct rcms_jsonw *w) { close_(w, "]"); }

static void string(struct rcms_jsonw *w, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);
	size_t i = 0;
	char esc[8];

	put(w, "\"", 1);
	while (i < n) {
		size_t run = i;
		uint32_t cp;
		int k;
		/* copy plain ASCII in runs */
		while (run < n && p[run] >= 0x20 && p[run] < 0x80 &&
		       p[run] != '"' && p[run] != '\\')
			run++;
		put(w, (const char *)p + i, run - i);
		i = run;
		if (i >= n)
			break;
		if (p[i] < 0x80) {
			switch (p[i]) {
			case '"': puts_(w, "\\\""); break;
			case '\\': puts_(w, "\\\\"); break;
			case '\n': puts_(w, "\\n"); break;
			case '\r': puts_(w, "\\r"); break;
			case '\t': puts_(w, "\\t"); break;
			default:
				snprintf(esc, sizeof(esc), "\\u%04x", p[i]);
				puts_(w, esc);
			}
			i++;
			continue;
		}
		k = rcms_utf8_decode((const char *)p + i, n - i, &cp);
		if (k <= 0) {
			puts_(w, "\xEF\xBF\xBD");
			i++;
			continue;
		}
		put(w, (const char *)p + i, (size_t)k);
		i += (size_t)k;
	}
	put(w, "\"", 1);
}

void rcms_jsonw_key(struct rcms_jsonw *w, const char *key)
{
	sep(w);
	string(w, key);
	put(w, ":", 1);
	w->after_key = true;
}

void rcms_jsonw_str(struct rcms_jsonw *w, const char *s)
{
	value_sep(w);
	string(w, s);
}

void rcms_jsonw_int(struct rcms_jsonw *w, int64_t v)
{
	char b[32];

	value_sep(w);
	snprintf(b, sizeof(b), "%lld", (long long)v);
	puts_(w, b);
}

void rcms_jsonw_bool(struct rcms_jsonw *w, bool v)
{
	value_sep(w);
	puts_(w, v ? "true" : "false");
}

void rcms_jsonw_null(struct rcms_jsonw *w)
{
	value_sep(w);
	puts_(w, "null");
}

void rcms_jsonw_raw(struct rcms_jsonw *w, const char *json)
{
	value_sep(w);
	puts_(w, json && *json ? json : "null");
}

void rcms_jsonw_kstr(struct rcms_jsonw *w, const char *key, const char *s)
{
	rcms_jsonw_key(w, key);
	rcms_jsonw_str(w, s);
}

void rcms_jsonw_kint(struct rcms_jsonw *w, const char *key, int64_t v)
{
	rcms_jsonw_key(w, key);
	rcms_jsonw_int(w, v);
}

void rcms_jsonw_kbool(struct rcms_jsonw *w, const char *key, bool v)
{
	rcms_jsonw_key(w, key);
	rcms_jsonw_bool(w, v);
}

enum rcms_status rcms_jsonw_status(const struct rcms_jsonw *w)
{
	return (!w || w->failed) ? RCMS_ERR_NOMEM : RCMS_OK;
}
