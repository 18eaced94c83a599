/*
 * fields.h - the field tables: one row per field of a record, naming it,
 * typing it, saying which side owns it and where it lives in the struct.
 *
 * The same tables drive `rcms case edit FIELD=VALUE`, `case new --set`,
 * JSON in and out, the database columns, the outbox operations and (later)
 * the wire format and the forms, so a field is described exactly once.
 */
#ifndef RCMS_APP_FIELDS_H
#define RCMS_APP_FIELDS_H

#include <stddef.h>

#include "app/domain.h"

enum rcms_ftype {
	RCMS_F_NAME,      /* a person's name: letters, spaces, - ' . */
	RCMS_F_LINE,      /* one line of free text */
	RCMS_F_TEXT,      /* multi-line free text */
	RCMS_F_CODE,      /* a code: [A-Za-z0-9 -] only (document numbers) */
	RCMS_F_PDATE,     /* struct rcms_pdate: YYYY, YYYY-MM, YYYY-MM-DD */
	RCMS_F_PDATE_PAST,/* as PDATE, and not in the future */
	RCMS_F_COUNTRY,   /* char[4] alpha-3 from any code or name */
	RCMS_F_AGENCY,    /* char[16] agency code such as RS-MUP */
	RCMS_F_ENUM,      /* an int-sized enum with a name table */
	RCMS_F_BOOL,      /* yes/no, true/false, 1/0 */
	RCMS_F_INT,       /* int, 0..max */
	RCMS_F_TIME,      /* int64_t UTC seconds, read-only */
	RCMS_F_ID         /* char[] identifiers, read-only */
};

/* Field flags (bits). */
enum rcms_fflag {
	RCMS_FF_EDIT = 1,         /* may be set by `case edit` / `--set` */
	RCMS_FF_SUBMIT = 2,       /* required before a case may be submitted */
	RCMS_FF_PERSONAL = 4,     /* personal data (for audit and purge) */
	RCMS_FF_LIST = 8          /* shown in `case list --format csv|json` */
};

struct rcms_field {
	const char *name;         /* "surnames": CLI, JSON and SQL column */
	const char *label;        /* "surname(s)": messages and forms */
	enum rcms_ftype type;
	size_t offset;            /* in the record struct */
	size_t size;              /* buffer size for strings */
	const struct rcms_enum_name *names;  /* RCMS_F_ENUM */
	int max;                  /* RCMS_F_INT upper bound */
	unsigned owner;           /* enum rcms_side bits that may write it */
	unsigned flags;           /* enum rcms_fflag bits */
};

/* The tables, ended by a row with name == NULL. */
extern const struct rcms_field rcms_case_fields[];      /* struct rcms_case */
extern const struct rcms_field rcms_document_fields[];  /* struct rcms_document */

/* The row named name in table, or NULL. */
const struct rcms_field *rcms_field_find(const struct rcms_field *table,
					 const char *name);
/* The same, for a run of names that mostly follow the table's order (a
 * record on the wire): *hint (start at 0) remembers where to look next. */
const struct rcms_field *rcms_field_find_next(const struct rcms_field *table,
					      const char *name, size_t *hint);

/* "Today" for checks of dates in the past, passed in to keep app/ pure. */
struct rcms_today {
	int y, m, d;
};

/*
 * Parse value and store it in record's field f.  The value is validated
 * first; on failure the record is untouched and err names the field.
 * Leading and trailing spaces of value are ignored; "" clears the field.
 */
enum rcms_status rcms_field_set(const struct rcms_field *f, void *record,
				const char *value, const struct rcms_today *today,
				struct rcms_err *err);

/* Format field f of record as text (the same form rcms_field_set reads). */
int rcms_field_get(const struct rcms_field *f, const void *record, char *buf,
		   size_t size);

/*
 * Retention (rcms purge, the exchange's case.purge, a pull of a purged
 * case): clear every field of c that says something about the person --
 * the RCMS_FF_PERSONAL ones (names, birth, nationality, family, special
 * needs, itinerary ...) and the travel document number, the place of
 * apprehension, the crossing point and the escort.  What the statistics
 * count stays: ids and references, agencies, agreement, procedure,
 * status, evidence basis, dates and times, the reason of a decision.
 * Client and exchange clear the same fields with this one function.
 */
void rcms_case_anonymise(struct rcms_case *c);

/* Is field f of record empty / unset? */
bool rcms_field_is_empty(const struct rcms_field *f, const void *record);

/* Do a and b hold the same value in field f? */
bool rcms_field_equal(const struct rcms_field *f, const void *a,
		      const void *b);

/*
 * Check every field of a case again (values read from a file, the wire or
 * an old database), then the rules that tie fields together.
 */
enum rcms_status rcms_case_validate(const struct rcms_case *c,
				    const struct rcms_today *today,
				    struct rcms_err *err);

/*
 * Only the rules that tie fields together (consent for special needs, the
 * requested agency in another state, dates in order): for a case whose
 * fields were each set through rcms_field_set just now.
 */
enum rcms_status rcms_case_check_rules(const struct rcms_case *c,
				       struct rcms_err *err);

/* What a case needs before it may be submitted for approval. */
enum rcms_status rcms_case_check_complete(const struct rcms_case *c,
					  struct rcms_err *err);

enum rcms_status rcms_document_validate(const struct rcms_document *d,
					const struct rcms_today *today,
					struct rcms_err *err);

/* Check an agency code: two-letter country, '-', 2..10 of [A-Z0-9]. */
enum rcms_status rcms_agency_code_check(const char *code, const char *field,
					struct rcms_err *err);

/* Check an agreement row: code, countries, periods in range. */
enum rcms_status rcms_agreement_validate(const struct rcms_agreement *a,
					 struct rcms_err *err);

/* Initialise a case with its defaults (everything empty, status draft). */
void rcms_case_init(struct rcms_case *c);
void rcms_document_init(struct rcms_document *d);

#endif
