/*
 * wire.h - the wire format of sync protocol v1, shared by the workstation
 * and the exchange: JSON <-> the domain's records, through the field
 * tables of app/fields.h.  Values travel as the text the field tables
 * read and write (dates "1990-03", enums by name, booleans true/false).
 */
#ifndef RCMS_SYNC_WIRE_H
#define RCMS_SYNC_WIRE_H

#include <cjson/cJSON.h>

#include "app/app.h"

/* Hard limits of the protocol. */
#define WIRE_MAX_BODY (64 * 1024 * 1024)  /* the most a server may allow;
                                            the exchange's default is 8 MiB */
#define WIRE_MAX_OPS 500                  /* operations in one push */
#define WIRE_MAX_DEPTH 16                 /* JSON nesting accepted */

/* Add every field of a record (table) to obj; all=false: only set ones. */
void wire_record_to_json(const struct rcms_field *table, const void *rec,
			 bool all, cJSON *obj);

/*
 * Set the fields of obj on rec.  Each key must be a field of the table
 * with one of the flags in need_flags (0: any settable field); values are
 * strings, booleans or whole numbers, validated by rcms_field_set.  On
 * failure err names the field; rec may be partly changed (callers work on
 * a copy).
 */
enum rcms_status wire_record_from_json(const struct rcms_field *table,
				       void *rec, const cJSON *obj,
				       unsigned need_flags,
				       const struct rcms_today *today,
				       struct rcms_err *err);

/* The same, leaving out the first member named skip (in any case, as
 * cJSON_GetObjectItem finds it): a document's "id", say.  skip NULL: all. */
enum rcms_status wire_record_from_json_but(const struct rcms_field *table,
					   void *rec, const cJSON *obj,
					   const char *skip,
					   unsigned need_flags,
					   const struct rcms_today *today,
					   struct rcms_err *err);

/*
 * A whole case as the exchange sends it (every field, read-only ones
 * included: ids as text, times ISO 8601 UTC); unknown keys are left to the
 * caller.  Values are validated (no "past" check: the sender's today).
 */
enum rcms_status wire_case_from_json(const cJSON *j, struct rcms_case *c,
				     struct rcms_err *err);

/* The text form of one JSON scalar, as rcms_field_set reads it. */
/* A whole number in JSON, within +-2^53 (a double holds every one): *out
 * set, true; anything else (a string, 1.5, 1e300, NaN) false, *out 0.
 * Never converts a double that does not fit (that is undefined). */
bool wire_int(const cJSON *v, int64_t *out);

enum rcms_status wire_scalar(const cJSON *v, const char *name, char *buf,
			     size_t size, struct rcms_err *err);

/* Parse a JSON body (NUL-terminated at text[len]): an object, at most
 * WIRE_MAX_DEPTH deep; NUL bytes, invalid UTF-8 and deep nesting refused. */
cJSON *wire_parse(const char *text, size_t len, struct rcms_err *err);

/* ---- JSON parsed into an arena (arena.c) ---- */

struct wire_chunk {
	char *p;
	size_t size;
};

/* What cJSON allocated on a thread between wire_arena_enter(a) and
 * wire_arena_leave(), in megabyte chunks; {0} is empty. */
struct wire_arena {
	struct wire_chunk *chunks;  /* all of them, to let go */
	size_t n, cap;
	char *cur;                  /* the chunk values are cut from */
	size_t used, size;          /* of cur */
};

/* cJSON's allocation hooks, once for the process: before a second thread
 * uses cJSON (with no arena entered they are malloc and free).
 * wire_arena_keep: how many free chunks a thread keeps for its next
 * arena (16 when not said; at most 16), set before threads start. */
void wire_arena_prepare(void);
void wire_arena_keep(size_t n);
/* What the calling thread's cJSON allocates goes to a until leave.  A
 * value parsed into an arena is let go with wire_arena_free, never with
 * cJSON_Delete; neither may it be changed (cJSON would free its parts). */
void wire_arena_enter(struct wire_arena *a);
void wire_arena_leave(void);
void wire_arena_free(struct wire_arena *a);
/* The chunks the calling thread kept, let go (its end). */
void wire_arena_thread_end(void);

/* ---- reference data (reference.c) ---- */

/* "10 calendar_days", "2 working_days", "3 months", "none". */
enum rcms_status wire_period_parse(const char *s, const char *field,
				   struct rcms_period *p, struct rcms_err *err);
void wire_period_text(const struct rcms_period *p, char *buf, size_t size);
/* Set one agreement field from its text form. */
enum rcms_status wire_agreement_set(struct rcms_agreement *a, const char *k,
				    const char *v, struct rcms_err *err);
/*
 * Parse {"agreements": [...], "holidays": [...]} into arrays the caller
 * frees with free(); every agreement is validated.
 */
enum rcms_status wire_reference_parse(const char *json,
				      struct rcms_agreement **agr, size_t *nagr,
				      struct rcms_holiday **hol, size_t *nhol,
				      struct rcms_err *err);

#endif
