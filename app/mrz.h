/*
 * mrz.h - machine readable zones (ICAO Doc 9303): parse, validate, explain,
 * generate.
 *
 * Pure: no I/O, no allocation, no clock, no global state; safe from any
 * thread.  "Today" is always passed in.  Every pointer a function takes is
 * borrowed for the call only; results go into caller-owned structs and
 * buffers of the sizes given below.
 *
 * Formats (lines x characters):
 *   TD1    3 x 30  identity cards             code A, C or I
 *   TD2    2 x 36  identity cards, documents  code A, C or I
 *   TD3    2 x 44  passports                  code P
 *   MRV-A  2 x 44  visas                      code V
 *   MRV-B  2 x 36  visas                      code V
 * The format is read from the line count and length; a 2-line zone whose
 * document code starts with V is a visa.
 *
 * Check digits: 0-9 count 0-9, A-Z count 10-35, '<' counts 0; weights
 * 7, 3, 1 repeating; the digit is the sum modulo 10.  Composite digits:
 *   TD3  line 2 [0:10] + [13:20] + [21:43]
 *   TD2  line 2 [0:10] + [13:20] + [21:35]
 *   TD1  line 1 [5:30] + line 2 [0:7] + [8:15] + [18:29]
 * Visas have none.  (Ranges are 0-based, end excluded.)
 *
 * Conventions the parser applies (Doc 9303 leaves them to the reader):
 * - Input is one string, lines separated by LF or CRLF.  Blank lines and
 *   spaces or tabs around a line are ignored; lines and columns in
 *   messages count the lines of the zone itself, from 1.  Lower-case
 *   letters are read as capitals with a warning.  A single line of
 *   exactly 90, 88 or 72 characters is read as 3 x 30, 2 x 44 or 2 x 36,
 *   with a warning.
 * - Birth dates (YYMMDD) fall in the 100 years up to today: the latest
 *   century that does not put them after today.  A birth date may leave
 *   the day ("YYMM<<"), the month and day ("YY<<<<") or all of it
 *   ("<<<<<<") unknown; the struct rcms_pdate then holds 0 there.
 * - Expiry dates take the century of today unless that puts them more
 *   than 50 years from today, then the century before or after.  (With
 *   today in 2026: 00-76 are 2000-2076, 77-99 are 1977-1999.)  An expired
 *   document is a warning, not an error: expired documents are evidence
 *   too.  "<<<<<<" (no expiry) is a warning.
 * - TD1 document numbers longer than 9 characters: the first 9 in the
 *   number field, '<' in its check digit, the rest at the start of the
 *   optional data 1, then the check digit of the whole number, then '<'
 *   (so 22 characters at most).  Other formats: 9 at most.
 * - The TD3 personal number's check digit may be '<' (or 0) when the
 *   personal number is all fillers; a date that is all fillers may have
 *   '<' (or 0) as its check digit.
 * - Sex is M, F, X or '<' (unspecified).
 * - Issuing state and nationality: ISO 3166-1 alpha-3 and ICAO's own
 *   codes (D for Germany, UNO, XXA ...).  An unknown code is a warning.
 * - Confusion hints: when exactly one substitution among 0/O, 1/I, 2/Z,
 *   5/S, 8/B makes the whole zone valid, it is offered as a suggestion,
 *   never applied.  Letters are tried in numeric fields (dates, check
 *   digits), digits in alphabetic fields (codes, names, sex), both in the
 *   alphanumeric ones (document number, optional data, personal number).
 *   When the zone needs more than one change, nothing is suggested.
 */
#ifndef RCMS_APP_MRZ_H
#define RCMS_APP_MRZ_H

#include <stdbool.h>
#include <stddef.h>

#include "app/domain.h"
#include "app/status.h"
#include "app/translit.h"

#define RCMS_MRZ_LINE_MAX 44        /* the longest line */
#define RCMS_MRZ_FIELD_MAX 40       /* one field's text, NUL included */
#define RCMS_MRZ_TEXT_MAX 96        /* a whole zone as text, NUL included */
#define RCMS_MRZ_MAX_ISSUES 32      /* errors and warnings kept */
#define RCMS_MRZ_MAX_SUGGESTIONS 8
#define RCMS_MRZ_MSG_LEN 160
#define RCMS_MRZ_TABLE_SIZE 16384   /* always enough for the table */
#define RCMS_MRZ_JSON_SIZE 16384    /* always enough for the JSON */

enum rcms_mrz_format {
	RCMS_MRZ_UNKNOWN,
	RCMS_MRZ_TD1,
	RCMS_MRZ_TD2,
	RCMS_MRZ_TD3,
	RCMS_MRZ_MRVA,
	RCMS_MRZ_MRVB,
	RCMS_MRZ_FORMAT__COUNT
};

/* X(id, JSON name, label in messages) */
#define RCMS_MRZ_FIELD_LIST(X)                                                \
	X(DOC_CODE, "document_code", "document code")                         \
	X(ISSUING_STATE, "issuing_state", "issuing state")                    \
	X(NAME, "name", "name")                                               \
	X(SURNAMES, "surnames", "surnames")                                   \
	X(GIVEN_NAMES, "given_names", "given names")                          \
	X(DOC_NUMBER, "document_number", "document number")                   \
	X(DOC_NUMBER_CHECK, "document_number_check",                          \
	  "check digit of the document number")                               \
	X(NATIONALITY, "nationality", "nationality")                          \
	X(BIRTH_DATE, "birth_date", "birth date")                             \
	X(BIRTH_DATE_CHECK, "birth_date_check",                               \
	  "check digit of the birth date")                                    \
	X(SEX, "sex", "sex")                                                  \
	X(EXPIRY_DATE, "expiry_date", "expiry date")                          \
	X(EXPIRY_DATE_CHECK, "expiry_date_check",                             \
	  "check digit of the expiry date")                                   \
	X(OPTIONAL1, "optional_data_1", "optional data")                      \
	X(OPTIONAL2, "optional_data_2", "optional data of line 2")            \
	X(PERSONAL_NUMBER, "personal_number", "personal number")              \
	X(PERSONAL_NUMBER_CHECK, "personal_number_check",                     \
	  "check digit of the personal number")                               \
	X(COMPOSITE_CHECK, "composite_check", "composite check digit")

enum rcms_mrz_field_id {
#define RCMS_MRZ_X_ENUM(id, name, label) RCMS_MRZ_F_##id,
	RCMS_MRZ_FIELD_LIST(RCMS_MRZ_X_ENUM)
#undef RCMS_MRZ_X_ENUM
	RCMS_MRZ_F__COUNT,
	RCMS_MRZ_F_NONE = RCMS_MRZ_F__COUNT  /* an issue of the whole zone */
};

/*
 * One field of a zone.  Positions are 1-based; a field the format lacks
 * has present == false and empty texts.
 */
struct rcms_mrz_field {
	bool present;
	bool valid;      /* no error concerns it (warnings may) */
	bool warned;     /* a warning concerns it */
	unsigned char line, col, len;   /* where it stands; len in characters */
	/* exactly as in the zone, fillers kept (TD1 long document numbers:
	   the whole number, from both places) */
	char raw[RCMS_MRZ_FIELD_MAX];
	/*
	 * cleaned: trailing fillers gone; in names each run of '<' is one
	 * space (surnames = primary identifier, given names = secondary);
	 * dates as YYYY-MM-DD, YYYY-MM or YYYY, "" when unknown; sex "M",
	 * "F", "X" or "" (unspecified); codes without fillers ("D").
	 */
	char value[RCMS_MRZ_FIELD_MAX];
};

enum rcms_mrz_severity { RCMS_MRZ_ERROR, RCMS_MRZ_WARNING };

struct rcms_mrz_issue {
	enum rcms_mrz_severity severity;
	enum rcms_mrz_field_id field;   /* RCMS_MRZ_F_NONE: the whole zone */
	int line, col;                  /* 1-based; 0 when not one place */
	/* a sentence: "line 2, column 10: check digit of the document
	   number is 3, expected 6" */
	char msg[RCMS_MRZ_MSG_LEN];
};

/* A single character change that would make the zone valid. */
struct rcms_mrz_suggestion {
	unsigned char line, col;        /* 1-based */
	char from, to;
	enum rcms_mrz_field_id field;
	char corrected[RCMS_MRZ_LINE_MAX + 1];  /* the whole corrected line */
};

/* Everything the parser found.  About 7 KiB; fill it with rcms_mrz_parse. */
struct rcms_mrz {
	enum rcms_mrz_format format;    /* RCMS_MRZ_UNKNOWN: unreadable */
	int nlines;                     /* lines of the zone found */
	char line[3][RCMS_MRZ_LINE_MAX + 1];  /* normalised (capitals) */
	struct rcms_mrz_field field[RCMS_MRZ_F__COUNT];
	/* the decoded values, meaningful when the field is valid */
	enum rcms_sex sex;
	struct rcms_pdate birth_date;   /* year 0: unknown */
	struct rcms_pdate expiry_date;  /* year 0: none */
	bool long_document_number;      /* TD1 number beyond 9 characters */
	int nerrors, nwarnings;         /* all found, even beyond issue[] */
	int nissues;                    /* errors first, each in the order found */
	struct rcms_mrz_issue issue[RCMS_MRZ_MAX_ISSUES];
	int nsuggestions;
	struct rcms_mrz_suggestion suggestion[RCMS_MRZ_MAX_SUGGESTIONS];
};

/*
 * Parse and validate text (NUL-terminated; may be NULL) with the dates
 * judged against today (a full date).  Fills *out in every case.  Returns
 * RCMS_OK when the zone has no error (warnings allowed), RCMS_ERR_INVALID
 * when it has (out says which and where), and RCMS_ERR_INVALID with an
 * issue when today is not a valid date.  out NULL: RCMS_ERR_INVALID.
 */
enum rcms_status rcms_mrz_parse(const char *text, struct rcms_pdate today,
				struct rcms_mrz *out);

/*
 * The check digit of len characters at s: 0-9, or -1 when a character is
 * not one of A-Z, 0-9, '<' (lower case is not accepted here).
 */
int rcms_mrz_check_digit(const char *s, size_t len);

/* Options of rcms_mrz_generate; all may be left zero / NULL. */
struct rcms_mrz_gen_opts {
	/* document code, 1 or 2 characters; NULL or "": P (TD3), I (TD1,
	   TD2), V (visas).  In two-line formats it starts with V exactly
	   for visas (the parser tells them apart by it). */
	const char *doc_code;
	/* optional data 1 (TD3: the personal number, with its check digit);
	   MRZ characters, lower case and spaces accepted (space → '<') */
	const char *optional1;
	/* optional data 2: TD1 line 2 only */
	const char *optional2;
	/* Cyrillic table for the names */
	enum rcms_translit_lang lang;
};

/*
 * Write the zone of document d held by person p in format fmt into out
 * (size bytes; RCMS_MRZ_TEXT_MAX always suffices): the lines separated by
 * '\n', no newline at the end.
 *
 * Used: p->surnames (primary identifier), p->given_names (secondary),
 * p->nationality, p->birth_date (partial dates give '<' in the unknown
 * parts), p->sex; d->number, d->issuing_state, d->expiry_date (year 0:
 * "<<<<<<").  Names are transliterated (translit.h).  A name too long for
 * its field is truncated (Doc 9303 Part 3 rule as implemented here):
 *   1. the given names lose characters from the end, the last name first,
 *      each down to its first letter;
 *   2. then given names are dropped from the last, keeping the first
 *      initial;
 *   3. then the surnames are cut so that SURNAMES<<I fills the field.
 * A truncated field is filled to its last position.  Document numbers
 * longer than 9 characters are possible in TD1 only (up to 22).
 *
 * Returns RCMS_OK, or RCMS_ERR_INVALID with err (may be NULL) naming the
 * field and the reason; out is then "".  opts may be NULL.
 */
enum rcms_status rcms_mrz_generate(enum rcms_mrz_format fmt,
				   const struct rcms_person *p,
				   const struct rcms_document *d,
				   const struct rcms_mrz_gen_opts *opts,
				   char *out, size_t size,
				   struct rcms_err *err);

/* "TD1", "TD2", "TD3", "MRV-A", "MRV-B"; "unknown" otherwise. */
const char *rcms_mrz_format_name(enum rcms_mrz_format fmt);
/* "document_number" ...; "?" when out of range. */
const char *rcms_mrz_field_name(enum rcms_mrz_field_id id);
/* "document number" ...; "?" when out of range. */
const char *rcms_mrz_field_label(enum rcms_mrz_field_id id);

/*
 * Render m as a table for people (rcms mrz check): format, verdict, one
 * row a field (where, value, ok/error/warning), then the messages and
 * the suggestions.  Lines end in '\n'; fits 80 columns.  Writes at most
 * size bytes, always NUL-terminated when size > 0; *needed (may be NULL)
 * gets the full length without the NUL.  Returns RCMS_OK, or
 * RCMS_ERR_INVALID when m or buf is NULL or the text did not fit.
 */
enum rcms_status rcms_mrz_render_table(const struct rcms_mrz *m, char *buf,
				       size_t size, size_t *needed);

/*
 * The same as one JSON object (UTF-8, strings escaped, no newline at the
 * end):
 *   {"format":"TD3","valid":true,"errors":0,"warnings":1,
 *    "lines":["...","..."],
 *    "fields":{"document_code":{"line":1,"column":1,"length":2,
 *              "raw":"P<","value":"P","valid":true,"warning":false},...},
 *    "sex":"F","birth_date":{"year":1974,"month":8,"day":12},
 *    "expiry_date":{...},"long_document_number":false,
 *    "issues":[{"severity":"error","field":"birth_date_check","line":2,
 *               "column":20,"message":"..."}],
 *    "suggestions":[{"line":2,"column":5,"from":"O","to":"0",
 *                    "field":"document_number","corrected_line":"..."}]}
 * Only the fields the format has appear.  Same buffer rules.
 */
enum rcms_status rcms_mrz_render_json(const struct rcms_mrz *m, char *buf,
				      size_t size, size_t *needed);

#endif
