/*
 * xjson.h - the exchange's JSON text writer: appends into a growing
 * buffer that a caller keeps and reuses, and prints a cJSON tree with
 * exactly the bytes cJSON_PrintUnformatted gives (the idempotency
 * fingerprints of stored operations are hashes of those bytes), without
 * cJSON's sprintf and sscanf for every number.
 *
 * Commas are the writer's: a value or key after another value in the same
 * object or array gets one (the byte before it is not '{', '[' or ':').
 */
#ifndef RCMS_EXCHANGE_XJSON_H
#define RCMS_EXCHANGE_XJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

struct xjson {
	char *buf;      /* owned; NUL-terminated once anything is written */
	size_t len, cap;
	bool failed;    /* out of memory: the text is incomplete */
};

/* Empty the text, keeping the buffer. */
void xjson_reset(struct xjson *w);
void xjson_free(struct xjson *w);
/* Bytes as they are (JSON text, or punctuation). */
void xjson_raw(struct xjson *w, const char *s, size_t n);
void xjson_open(struct xjson *w, char brace);   /* '{' or '[' */
void xjson_close(struct xjson *w, char brace);  /* '}' or ']' */
/* A key; its value follows.  xjson_name: a key that needs no escaping
 * (an identifier of the program's, such as a field's name). */
void xjson_key(struct xjson *w, const char *k);
void xjson_name(struct xjson *w, const char *k);
/* Values, escaped as cJSON escapes strings. */
void xjson_str(struct xjson *w, const char *s);
void xjson_int(struct xjson *w, int64_t v);
void xjson_bool(struct xjson *w, bool v);
/* A value that is JSON text already (a stored record). */
void xjson_value(struct xjson *w, const char *json, size_t n);
/* A cJSON tree, byte for byte as cJSON_PrintUnformatted prints it;
 * xjson_print without a comma before it, whatever the text ends in. */
void xjson_cjson(struct xjson *w, const cJSON *item);
void xjson_print(struct xjson *w, const cJSON *item);

/*
 * The members of a record (no braces) as wire_record_to_json makes them:
 * every field of table in its order (all), or those not empty (enums
 * always); bools and ints as JSON, the rest as text.  omit: names left
 * out (NULL-terminated), or NULL.
 */
struct rcms_field;
void xjson_record(struct xjson *w, const struct rcms_field *table,
		  const void *rec, bool all, const char *const *omit);

#endif
