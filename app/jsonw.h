/*
 * jsonw.h - a small JSON writer into a growing buffer (libc only).
 *
 * Used for the outbox's operation payloads and the command line's JSON
 * output, so that every layer writes JSON the same way.  Strings are
 * escaped per RFC 8259; invalid UTF-8 is written as U+FFFD.
 */
#ifndef RCMS_APP_JSONW_H
#define RCMS_APP_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/status.h"

struct rcms_jsonw {
	char *buf;     /* owned; NUL-terminated */
	size_t len;
	size_t cap;
	int depth;
	bool need_comma[32];
	bool after_key; /* a key was written, its value comes next */
	bool failed;   /* out of memory or nesting too deep */
};

void rcms_jsonw_init(struct rcms_jsonw *w);
void rcms_jsonw_free(struct rcms_jsonw *w);
void rcms_jsonw_obj_begin(struct rcms_jsonw *w);
void rcms_jsonw_obj_end(struct rcms_jsonw *w);
void rcms_jsonw_arr_begin(struct rcms_jsonw *w);
void rcms_jsonw_arr_end(struct rcms_jsonw *w);
/* An object key; the next value call writes its value. */
void rcms_jsonw_key(struct rcms_jsonw *w, const char *key);
void rcms_jsonw_str(struct rcms_jsonw *w, const char *s);
void rcms_jsonw_int(struct rcms_jsonw *w, int64_t v);
void rcms_jsonw_bool(struct rcms_jsonw *w, bool v);
void rcms_jsonw_null(struct rcms_jsonw *w);
/* A value that is JSON text already (the caller vouches for it: a
 * document it has checked), written as it is. */
void rcms_jsonw_raw(struct rcms_jsonw *w, const char *json);
/* Convenience: key and value. */
void rcms_jsonw_kstr(struct rcms_jsonw *w, const char *key, const char *s);
void rcms_jsonw_kint(struct rcms_jsonw *w, const char *key, int64_t v);
void rcms_jsonw_kbool(struct rcms_jsonw *w, const char *key, bool v);
/* RCMS_OK, or RCMS_ERR_NOMEM when anything failed. */
enum rcms_status rcms_jsonw_status(const struct rcms_jsonw *w);

#endif
