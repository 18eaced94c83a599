/*
 * domain.h - the readmission domain as plain structs and enums.
 *
 * Pure data: no I/O, no allocation.  Strings are NUL-terminated UTF-8 in
 * fixed buffers whose sizes are also the validation limits (a longer value
 * is rejected, never truncated).  Times are UTC seconds since the epoch
 * (int64_t); 0 means "not set".
 */
#ifndef RCMS_APP_DOMAIN_H
#define RCMS_APP_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "app/status.h"

#define RCMS_ID_LEN 37        /* UUID text form plus NUL */
#define RCMS_REF_LEN 48       /* case references */
#define RCMS_AGENCY_LEN 16    /* "RS-MUP" */
#define RCMS_USER_LEN 64      /* user names */
#define RCMS_NAME_LEN 256     /* one name field */
#define RCMS_LINE_LEN 512     /* one-line free text (places, authorities) */
#define RCMS_TEXT_LEN 4096    /* multi-line free text (reasons, notes) */
#define RCMS_MRZ_LEN 100      /* up to 3 x 30 characters plus newlines */
#define RCMS_SHA256_HEX 65

/* ---- enums with names ------------------------------------------------ */

/* One row of an enum's name table: the wire/command-line name and a label. */
struct rcms_enum_name {
	int value;
	const char *name;   /* "awaiting_approval" */
	const char *label;  /* "awaiting approval" */
};

/* Find name (exact, case-insensitive) in a table ended by name == NULL. */
enum rcms_status rcms_enum_parse(const struct rcms_enum_name *table,
				 const char *name, int *out);
/* The name of value, or "?" when it is not in the table. */
const char *rcms_enum_name(const struct rcms_enum_name *table, int value);
/* The label of value, or "?" . */
const char *rcms_enum_label(const struct rcms_enum_name *table, int value);
/* "a, b, c": the names of a table, for error messages.  Returns buf. */
const char *rcms_enum_list(const struct rcms_enum_name *table, char *buf,
			   size_t size);

enum rcms_case_status {
	RCMS_CS_DRAFT,
	RCMS_CS_AWAITING_APPROVAL,
	RCMS_CS_SUBMITTED,
	RCMS_CS_EXTENSION_REQUESTED,
	RCMS_CS_ACCEPTED,
	RCMS_CS_REJECTED,
	RCMS_CS_DEEMED_ACCEPTED,
	RCMS_CS_TRAVEL_DOCUMENT_ISSUED,
	RCMS_CS_TRANSFER_SCHEDULED,
	RCMS_CS_TRANSFERRED,
	RCMS_CS_CLOSED,
	RCMS_CS_WITHDRAWN,
	RCMS_CS__COUNT
};
extern const struct rcms_enum_name rcms_case_status_names[];

enum rcms_procedure {
	RCMS_PROC_NORMAL,
	RCMS_PROC_ACCELERATED,
	RCMS_PROC_TRANSIT,
	RCMS_PROC__COUNT
};
extern const struct rcms_enum_name rcms_procedure_names[];

enum rcms_sex { RCMS_SEX_UNKNOWN, RCMS_SEX_M, RCMS_SEX_F, RCMS_SEX_X };
extern const struct rcms_enum_name rcms_sex_names[];

enum rcms_civil_status {
	RCMS_CIVIL_UNKNOWN,
	RCMS_CIVIL_SINGLE,
	RCMS_CIVIL_MARRIED,
	RCMS_CIVIL_DIVORCED,
	RCMS_CIVIL_WIDOWED,
	RCMS_CIVIL_SEPARATED,
	RCMS_CIVIL_PARTNERSHIP
};
extern const struct rcms_enum_name rcms_civil_status_names[];

/* Roles are bits so that a transition can allow several. */
enum rcms_role {
	RCMS_ROLE_OFFICER = 1,
	RCMS_ROLE_SUPERVISOR = 2,
	RCMS_ROLE_ADMIN = 4
};
extern const struct rcms_enum_name rcms_role_names[];

/* Which party of a case acts.  Bits, like roles. */
enum rcms_side {
	RCMS_SIDE_REQUESTING = 1,
	RCMS_SIDE_REQUESTED = 2,
	RCMS_SIDE_SYSTEM = 4  /* the exchange's clock: deemed acceptance */
};
extern const struct rcms_enum_name rcms_side_names[];

/* The kind of evidence an application relies on (Annexes 1-3). */
enum rcms_evidence_kind {
	RCMS_EVID_NONE,
	RCMS_EVID_PROOF,        /* Annex 1 */
	RCMS_EVID_PRIMA_FACIE,  /* Annex 2 */
	RCMS_EVID_CONDITIONS    /* Annex 3, third-country nationals */
};
extern const struct rcms_enum_name rcms_evidence_kind_names[];

enum rcms_doc_type {
	RCMS_DOC_PASSPORT,
	RCMS_DOC_ID_CARD,
	RCMS_DOC_TEMP_ID_CARD,
	RCMS_DOC_MILITARY_ID,
	RCMS_DOC_SEAMANS_BOOK,
	RCMS_DOC_CITIZENSHIP_CERT,
	RCMS_DOC_CNIC,
	RCMS_DOC_DRIVING_LICENCE,
	RCMS_DOC_BIRTH_CERT,
	RCMS_DOC_SERVICE_BOOK,
	RCMS_DOC_VISA,
	RCMS_DOC_TRAVEL_DOCUMENT,
	RCMS_DOC_TICKET,
	RCMS_DOC_OTHER
};
extern const struct rcms_enum_name rcms_doc_type_names[];

enum rcms_idcheck_kind {
	RCMS_IDC_IDENTITY,
	RCMS_IDC_NATIONALITY,
	RCMS_IDC_DOCUMENT
};
extern const struct rcms_enum_name rcms_idcheck_kind_names[];

enum rcms_idcheck_answer {
	RCMS_IDA_PENDING,
	RCMS_IDA_CONFIRMED,
	RCMS_IDA_NOT_CONFIRMED,
	RCMS_IDA_INTERVIEW_REQUIRED
};
extern const struct rcms_enum_name rcms_idcheck_answer_names[];

enum rcms_attach_kind {
	RCMS_ATT_SCAN,
	RCMS_ATT_PHOTO,
	RCMS_ATT_FINGERPRINTS,
	RCMS_ATT_OTHER
};
extern const struct rcms_enum_name rcms_attach_kind_names[];

/* ---- partial dates --------------------------------------------------- */

/*
 * A date of which only the year, or year and month, may be known.
 * year 0 means no date at all; month 0 unknown month (then day is 0);
 * day 0 unknown day.
 */
struct rcms_pdate {
	int year;
	int month;
	int day;
};

/* ---- the records ----------------------------------------------------- */

struct rcms_person {
	char surnames[RCMS_NAME_LEN];
	char given_names[RCMS_NAME_LEN];
	char name_native[RCMS_NAME_LEN];      /* in the original script */
	char previous_names[RCMS_NAME_LEN];   /* "; " separated */
	char aliases[RCMS_NAME_LEN];          /* "; " separated */
	enum rcms_sex sex;
	enum rcms_civil_status civil_status;
	struct rcms_pdate birth_date;
	char birth_place[RCMS_LINE_LEN];
	char birth_country[4];                /* alpha-3 */
	char nationality[4];                  /* alpha-3 */
	char previous_nationality[4];         /* alpha-3 */
	char father_name[RCMS_NAME_LEN];
	char mother_name[RCMS_NAME_LEN];
	char languages[RCMS_LINE_LEN];
	char description[RCMS_LINE_LEN];      /* physical description */
	char last_residence[RCMS_LINE_LEN];   /* in the requested state */
	/* special needs, only with the person's consent */
	bool needs_consent;
	bool unaccompanied_minor;
	bool pregnant;
	bool trafficking_victim;
	bool needs_medical_care;
	bool needs_escort;
	char special_needs[RCMS_LINE_LEN];
};

struct rcms_document {
	char id[RCMS_ID_LEN];
	enum rcms_doc_type type;
	char number[64];
	char issuing_state[4];                /* alpha-3 */
	char issuing_authority[RCMS_LINE_LEN];
	char issue_place[RCMS_LINE_LEN];
	struct rcms_pdate issue_date;
	struct rcms_pdate expiry_date;
	bool is_copy;                         /* a copy, not the original */
	char mrz[RCMS_MRZ_LEN];
};

struct rcms_evidence {
	char id[RCMS_ID_LEN];
	enum rcms_evidence_kind kind;
	char description[RCMS_LINE_LEN];
};

struct rcms_case {
	char id[RCMS_ID_LEN];                 /* UUIDv7, global */
	char local_ref[RCMS_REF_LEN];         /* provisional, this workstation */
	char final_ref[RCMS_REF_LEN];         /* assigned by the exchange */
	char requesting_agency[RCMS_AGENCY_LEN];
	char requested_agency[RCMS_AGENCY_LEN];
	char agreement[32];                   /* agreement code, "" none */
	enum rcms_procedure procedure;
	enum rcms_case_status status;
	enum rcms_evidence_kind evidence_basis;
	char itinerary[RCMS_LINE_LEN];        /* route and stop-overs */
	char apprehension_place[RCMS_LINE_LEN];
	struct rcms_pdate apprehension_date;
	/* proposed transfer */
	struct rcms_pdate transfer_date;
	char crossing_point[RCMS_LINE_LEN];
	char escort[RCMS_LINE_LEN];
	/* the requested side's reply */
	char reason[RCMS_TEXT_LEN];           /* rejection / extension reason */
	int extension_days;
	char travel_doc_number[64];
	/* who and when */
	char created_by[RCMS_USER_LEN];
	char approved_by[RCMS_USER_LEN];
	int64_t created_at;
	int64_t updated_at;
	int64_t submitted_at;                 /* device time of approval */
	int64_t received_at;                  /* the exchange's receipt time */
	int64_t decided_at;
	int64_t rev;

	struct rcms_person person;
};

struct rcms_idcheck {
	char id[RCMS_ID_LEN];
	char case_id[RCMS_ID_LEN];
	enum rcms_idcheck_kind kind;
	char question[RCMS_TEXT_LEN];
	char asked_by[RCMS_USER_LEN];
	int64_t asked_at;
	enum rcms_idcheck_answer answer;
	char answer_text[RCMS_TEXT_LEN];
	char answered_by[RCMS_USER_LEN];
	int64_t answered_at;
};

struct rcms_note {
	char id[RCMS_ID_LEN];
	char case_id[RCMS_ID_LEN];
	char author[RCMS_USER_LEN];
	int64_t created_at;
	char text[RCMS_TEXT_LEN];
};

struct rcms_attachment {
	char id[RCMS_ID_LEN];
	char case_id[RCMS_ID_LEN];
	char sha256[RCMS_SHA256_HEX];
	enum rcms_attach_kind kind;
	char filename[RCMS_NAME_LEN];         /* display only, never a path */
	char mime[64];
	int64_t size;
	char added_by[RCMS_USER_LEN];
	int64_t added_at;
};

struct rcms_agency {
	char code[RCMS_AGENCY_LEN];           /* "RS-MUP" */
	char country[3];                      /* alpha-2 */
	char name[RCMS_LINE_LEN];
};

/* ---- agreements and deadlines ---------------------------------------- */

enum rcms_period_unit {
	RCMS_PERIOD_NONE,          /* no limit */
	RCMS_PERIOD_CALENDAR_DAYS,
	RCMS_PERIOD_WORKING_DAYS,
	RCMS_PERIOD_MONTHS
};
extern const struct rcms_enum_name rcms_period_unit_names[];

struct rcms_period {
	int n;
	enum rcms_period_unit unit;
};

struct rcms_agreement {
	char code[32];              /* "EU-WB-2007" */
	char name[RCMS_LINE_LEN];
	char countries[RCMS_LINE_LEN]; /* requested countries, "AL BA ME" */
	struct rcms_period reply;             /* normal procedure */
	struct rcms_period reply_accelerated;
	int extension_max_days;               /* calendar days, 0 = none */
	bool silence_accepts;                 /* deemed acceptance */
	struct rcms_period transfer;          /* after (deemed) acceptance */
	struct rcms_period transit_reply;
	struct rcms_period transit;           /* transit after consent */
	char source[RCMS_LINE_LEN];
	char note[RCMS_LINE_LEN];
};

/* A public holiday of a country: "RS" 2026-01-07. */
struct rcms_holiday {
	char country[3];
	int year, month, day;
};

#endif
