/* fields.c - the field tables and the code that reads, writes and checks
 * a field by its description. */
#include "app/fields.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/country.h"
#include "app/pdate.h"
#include "app/text.h"

#define CF(member) offsetof(struct rcms_case, member), \
	sizeof(((struct rcms_case *)0)->member)
#define PF(member) offsetof(struct rcms_case, person) + \
	offsetof(struct rcms_person, member), \
	sizeof(((struct rcms_person *)0)->member)
#define DF(member) offsetof(struct rcms_document, member), \
	sizeof(((struct rcms_document *)0)->member)

#define REQ RCMS_SIDE_REQUESTING
#define RQD RCMS_SIDE_REQUESTED
#define EDIT RCMS_FF_EDIT
#define SUBMIT RCMS_FF_SUBMIT
#define PERS RCMS_FF_PERSONAL
#define LIST RCMS_FF_LIST

const struct rcms_field rcms_case_fields[] = {
	/* identity of the case: read-only */
	{.name = "id", .label = "case id", .type = RCMS_F_ID, CF(id), .flags = LIST},
	{.name = "local_ref", .label = "local reference", .type = RCMS_F_ID, CF(local_ref), .flags = LIST},
	{.name = "final_ref", .label = "exchange reference", .type = RCMS_F_ID, CF(final_ref), .flags = LIST},
	{.name = "requesting_agency", .label = "requesting agency", .type = RCMS_F_ID, CF(requesting_agency), .flags = LIST},
	{.name = "status", .label = "status", .type = RCMS_F_ENUM, CF(status), .names = rcms_case_status_names, .flags = LIST},
	/* the application: the requesting agency's */
	{.name = "requested_agency", .label = "requested agency", .type = RCMS_F_AGENCY, CF(requested_agency), .owner = REQ, .flags = EDIT | SUBMIT | LIST},
	{.name = "agreement", .label = "agreement", .type = RCMS_F_CODE, CF(agreement), .owner = REQ, .flags = EDIT},
	{.name = "procedure", .label = "procedure", .type = RCMS_F_ENUM, CF(procedure), .names = rcms_procedure_names, .owner = REQ, .flags = EDIT | LIST},
	{.name = "evidence_basis", .label = "evidence of nationality", .type = RCMS_F_ENUM, CF(evidence_basis), .names = rcms_evidence_kind_names, .owner = REQ, .flags = EDIT | SUBMIT},
	{.name = "surnames", .label = "surname(s)", .type = RCMS_F_NAME, PF(surnames), .owner = REQ, .flags = EDIT | SUBMIT | PERS | LIST},
	{.name = "given_names", .label = "given name(s)", .type = RCMS_F_NAME, PF(given_names), .owner = REQ, .flags = EDIT | SUBMIT | PERS | LIST},
	{.name = "name_native", .label = "name in original script", .type = RCMS_F_NAME, PF(name_native), .owner = REQ, .flags = EDIT | PERS},
	{.name = "previous_names", .label = "previous names", .type = RCMS_F_LINE, PF(previous_names), .owner = REQ, .flags = EDIT | PERS},
	{.name = "aliases", .label = "aliases", .type = RCMS_F_LINE, PF(aliases), .owner = REQ, .flags = EDIT | PERS},
	{.name = "sex", .label = "sex", .type = RCMS_F_ENUM, PF(sex), .names = rcms_sex_names, .owner = REQ, .flags = EDIT | PERS},
	{.name = "civil_status", .label = "civil status", .type = RCMS_F_ENUM, PF(civil_status), .names = rcms_civil_status_names, .owner = REQ, .flags = EDIT | PERS},
	{.name = "birth_date", .label = "date of birth", .type = RCMS_F_PDATE_PAST, PF(birth_date), .owner = REQ, .flags = EDIT | SUBMIT | PERS | LIST},
	{.name = "birth_place", .label = "place of birth", .type = RCMS_F_LINE, PF(birth_place), .owner = REQ, .flags = EDIT | PERS},
	{.name = "birth_country", .label = "country of birth", .type = RCMS_F_COUNTRY, PF(birth_country), .owner = REQ, .flags = EDIT | PERS},
	{.name = "nationality", .label = "nationality", .type = RCMS_F_COUNTRY, PF(nationality), .owner = REQ, .flags = EDIT | SUBMIT | PERS | LIST},
	{.name = "previous_nationality", .label = "previous nationality", .type = RCMS_F_COUNTRY, PF(previous_nationality), .owner = REQ, .flags = EDIT | PERS},
	{.name = "father_name", .label = "father's name", .type = RCMS_F_NAME, PF(father_name), .owner = REQ, .flags = EDIT | PERS},
	{.name = "mother_name", .label = "mother's name", .type = RCMS_F_NAME, PF(mother_name), .owner = REQ, .flags = EDIT | PERS},
	{.name = "languages", .label = "languages", .type = RCMS_F_LINE, PF(languages), .owner = REQ, .flags = EDIT | PERS},
	{.name = "description", .label = "physical description", .type = RCMS_F_LINE, PF(description), .owner = REQ, .flags = EDIT | PERS},
	{.name = "last_residence", .label = "last residence in the requested state", .type = RCMS_F_LINE, PF(last_residence), .owner = REQ, .flags = EDIT | PERS},
	{.name = "needs_consent", .label = "consent to record special needs", .type = RCMS_F_BOOL, PF(needs_consent), .owner = REQ, .flags = EDIT | PERS},
	{.name = "unaccompanied_minor", .label = "unaccompanied minor", .type = RCMS_F_BOOL, PF(unaccompanied_minor), .owner = REQ, .flags = EDIT | PERS},
	{.name = "pregnant", .label = "pregnancy", .type = RCMS_F_BOOL, PF(pregnant), .owner = REQ, .flags = EDIT | PERS},
	{.name = "trafficking_victim", .label = "victim of trafficking", .type = RCMS_F_BOOL, PF(trafficking_victim), .owner = REQ, .flags = EDIT | PERS},
	{.name = "needs_medical_care", .label = "needs medical care", .type = RCMS_F_BOOL, PF(needs_medical_care), .owner = REQ, .flags = EDIT | PERS},
	{.name = "needs_escort", .label = "needs an escort", .type = RCMS_F_BOOL, PF(needs_escort), .owner = REQ, .flags = EDIT | PERS},
	{.name = "special_needs", .label = "special needs", .type = RCMS_F_LINE, PF(special_needs), .owner = REQ, .flags = EDIT | PERS},
	{.name = "itinerary", .label = "itinerary and stop-overs", .type = RCMS_F_LINE, CF(itinerary), .owner = REQ, .flags = EDIT | PERS},
	{.name = "apprehension_place", .label = "place of apprehension", .type = RCMS_F_LINE, CF(apprehension_place), .owner = REQ, .flags = EDIT},
	{.name = "apprehension_date", .label = "date of apprehension", .type = RCMS_F_PDATE_PAST, CF(apprehension_date), .owner = REQ, .flags = EDIT},
	{.name = "transfer_date", .label = "proposed transfer date", .type = RCMS_F_PDATE, CF(transfer_date), .owner = REQ, .flags = EDIT},
	{.name = "crossing_point", .label = "crossing point or airport", .type = RCMS_F_LINE, CF(crossing_point), .owner = REQ, .flags = EDIT},
	{.name = "escort", .label = "escort", .type = RCMS_F_LINE, CF(escort), .owner = REQ, .flags = EDIT},
	/* the reply: the requested agency's, written by transitions */
	{.name = "reason", .label = "reason", .type = RCMS_F_TEXT, CF(reason), .owner = RQD | REQ},
	{.name = "extension_days", .label = "extension (days)", .type = RCMS_F_INT, CF(extension_days), .max = 366, .owner = RQD},
	{.name = "travel_doc_number", .label = "travel document number", .type = RCMS_F_CODE, CF(travel_doc_number), .owner = RQD},
	/* bookkeeping: read-only */
	{.name = "created_by", .label = "created by", .type = RCMS_F_ID, CF(created_by), .flags = LIST},
	{.name = "approved_by", .label = "approved by", .type = RCMS_F_ID, CF(approved_by)},
	{.name = "created_at", .label = "created", .type = RCMS_F_TIME, CF(created_at), .flags = LIST},
	{.name = "updated_at", .label = "last change", .type = RCMS_F_TIME, CF(updated_at), .flags = LIST},
	{.name = "submitted_at", .label = "approved and sent", .type = RCMS_F_TIME, CF(submitted_at)},
	{.name = "received_at", .label = "received by the exchange", .type = RCMS_F_TIME, CF(received_at)},
	{.name = "decided_at", .label = "decided", .type = RCMS_F_TIME, CF(decided_at)},
	{.name = NULL},
};

const struct rcms_field rcms_document_fields[] = {
	{.name = "type", .label = "document type", .type = RCMS_F_ENUM, DF(type), .names = rcms_doc_type_names, .owner = REQ, .flags = EDIT | SUBMIT},
	{.name = "number", .label = "document number", .type = RCMS_F_CODE, DF(number), .owner = REQ, .flags = EDIT | PERS},
	{.name = "issuing_state", .label = "issuing state", .type = RCMS_F_COUNTRY, DF(issuing_state), .owner = REQ, .flags = EDIT},
	{.name = "issuing_authority", .label = "issuing authority", .type = RCMS_F_LINE, DF(issuing_authority), .owner = REQ, .flags = EDIT},
	{.name = "issue_place", .label = "place of issue", .type = RCMS_F_LINE, DF(issue_place), .owner = REQ, .flags = EDIT},
	{.name = "issue_date", .label = "date of issue", .type = RCMS_F_PDATE_PAST, DF(issue_date), .owner = REQ, .flags = EDIT},
	{.name = "expiry_date", .label = "date of expiry", .type = RCMS_F_PDATE, DF(expiry_date), .owner = REQ, .flags = EDIT},
	{.name = "is_copy", .label = "a copy (not the original)", .type = RCMS_F_BOOL, DF(is_copy), .owner = REQ, .flags = EDIT},
	{.name = "mrz", .label = "machine readable zone", .type = RCMS_F_TEXT, DF(mrz), .owner = REQ, .flags = EDIT | PERS},
	{.name = NULL},
};

const struct rcms_field *rcms_field_find(const struct rcms_field *table,
					 const char *name)
{
	if (!table || !name)
		return NULL;
	for (; table->name; table++)
		if (table->name[0] == name[0] && strcmp(table->name, name) == 0)
			return table;
	return NULL;
}

const struct rcms_field *rcms_field_find_next(const struct rcms_field *table,
					      const char *name, size_t *hint)
{
	const struct rcms_field *f;

	if (!table || !name)
		return NULL;
	/* keys usually come in the table's order: try where the last one
	 * was found, then the one after it */
	for (f = table + *hint; f->name && f <= table + *hint + 1; f++)
		if (f->name[0] == name[0] && strcmp(f->name, name) == 0) {
			*hint = (size_t)(f - table) + 1;
			return f;
		}
	if ((f = rcms_field_find(table, name)))
		*hint = (size_t)(f - table) + 1;
	return f;
}

static void *at(void *record, const struct rcms_field *f)
{
	return (char *)record + f->offset;
}

static const void *cat(const void *record, const struct rcms_field *f)
{
	return (const char *)record + f->offset;
}

static enum rcms_status parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = {"yes", "y", "true", "1", "on"};
	static const char *const no[] = {"no", "n", "false", "0", "off", ""};
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (strcasecmp(v, yes[i]) == 0) {
			*out = true;
			return RCMS_OK;
		}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (strcasecmp(v, no[i]) == 0) {
			*out = false;
			return RCMS_OK;
		}
	return RCMS_ERR_INVALID;
}

static enum rcms_status check_code(const char *v, const char *label,
				   struct rcms_err *err)
{
	const unsigned char *p;

	for (p = (const unsigned char *)v; *p; p++) {
		if (!isalnum(*p) && *p != '-' && *p != ' ' && *p != '/' &&
		    *p != '.')
			return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
					    "%s: only letters A-Z, digits, "
					    "spaces and - / . are allowed",
					    label);
	}
	return RCMS_OK;
}

enum rcms_status rcms_agency_code_check(const char *code, const char *field,
					struct rcms_err *err)
{
	size_t n, i;
	const char *label = field ? field : "agency";

	if (!code || !*code)
		return rcms_err_set(err, RCMS_ERR_INVALID, label,
				    "%s is empty; write an agency code such "
				    "as RS-MUP", label);
	n = strlen(code);
	/* "RS" "-" and 2 to 10 characters */
	if (n < 5 || n > 2 + 1 + 10 || code[2] != '-')
		goto bad;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)code[i];
		if (i == 2)
			continue;
		if (i < 2 ? !isupper(ch) : !(isupper(ch) || isdigit(ch)))
			goto bad;
	}
	return RCMS_OK;
bad:
	return rcms_err_set(err, RCMS_ERR_INVALID, label,
			    "%s: '%.20s' is not an agency code; write the "
			    "country's two letters, a hyphen and the agency "
			    "(2 to 10 capital letters or digits), such as "
			    "RS-MUP", label, code);
}

enum rcms_status rcms_field_set(const struct rcms_field *f, void *record,
				const char *value, const struct rcms_today *today,
				struct rcms_err *err)
{
	char buf[RCMS_TEXT_LEN + 1];
	char list[256];
	enum rcms_status st = RCMS_OK;
	size_t n;

	if (!f || !record || !value)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				    "no field or value given");
	n = strlen(value);
	if (n >= sizeof(buf))
		return rcms_err_set(err, RCMS_ERR_INVALID, f->name,
				    "%s is too long: %zu bytes, at most %zu",
				    f->label, n,
				    (f->size ? f->size : sizeof(buf)) - 1);
	memcpy(buf, value, n + 1);
	/* validate UTF-8 before trimming, so that the offset is the user's */
	st = rcms_text_check(buf, sizeof(buf) - 1,
			     f->type == RCMS_F_TEXT ? 0 : RCMS_TEXT_SINGLE_LINE,
			     f->label, err);
	if (st)
		goto out;
	rcms_text_trim(buf);

	switch (f->type) {
	case RCMS_F_NAME:
	case RCMS_F_LINE:
	case RCMS_F_TEXT:
	case RCMS_F_CODE:
		if (strlen(buf) >= f->size) {
			st = rcms_err_set(err, RCMS_ERR_INVALID, NULL,
					  "%s is too long: %zu bytes, at most "
					  "%zu", f->label, strlen(buf),
					  f->size - 1);
			goto out;
		}
		if (f->type == RCMS_F_NAME && *buf) {
			st = rcms_text_check(buf, f->size - 1,
					     RCMS_TEXT_SINGLE_LINE |
						     RCMS_TEXT_NAME,
					     f->label, err);
			if (st)
				goto out;
		}
		if (f->type == RCMS_F_CODE && (st = check_code(buf, f->label,
							       err)))
			goto out;
		memcpy(at(record, f), buf, strlen(buf) + 1);
		break;
	case RCMS_F_AGENCY:
		if (*buf && (st = rcms_agency_code_check(buf, f->label, err)))
			goto out;
		memcpy(at(record, f), buf, strlen(buf) + 1);
		break;
	case RCMS_F_COUNTRY: {
		char a3[4] = "";
		if (*buf && (st = rcms_country_check(buf, f->label, a3, err)))
			goto out;
		memcpy(at(record, f), a3, sizeof(a3));
		break;
	}
	case RCMS_F_PDATE:
	case RCMS_F_PDATE_PAST: {
		struct rcms_pdate d = {0, 0, 0};
		if (*buf) {
			st = rcms_pdate_parse(buf, f->label, &d, err);
			if (st)
				goto out;
			if (f->type == RCMS_F_PDATE_PAST && today) {
				st = rcms_pdate_check_past(&d, today->y,
							   today->m, today->d,
							   f->label, err);
				if (st)
					goto out;
			}
		}
		memcpy(at(record, f), &d, sizeof(d));
		break;
	}
	case RCMS_F_ENUM: {
		int v = f->names[0].value;  /* "" sets the first: the default */
		if (*buf && rcms_enum_parse(f->names, buf, &v) != RCMS_OK) {
			st = rcms_err_set(err, RCMS_ERR_INVALID, NULL,
					  "%s: '%.40s' is not one of: %s",
					  f->label, buf,
					  rcms_enum_list(f->names, list,
							 sizeof(list)));
			goto out;
		}
		memcpy(at(record, f), &v, sizeof(int));
		break;
	}
	case RCMS_F_BOOL: {
		bool b = false;
		if (parse_bool(buf, &b) != RCMS_OK) {
			st = rcms_err_set(err, RCMS_ERR_INVALID, NULL,
					  "%s: answer yes or no, not '%.20s'",
					  f->label, buf);
			goto out;
		}
		memcpy(at(record, f), &b, sizeof(b));
		break;
	}
	case RCMS_F_INT: {
		char *end = NULL;
		long v;
		errno = 0;
		v = *buf ? strtol(buf, &end, 10) : 0;
		if (*buf && (errno || *end || v < 0 || v > f->max)) {
			st = rcms_err_set(err, RCMS_ERR_INVALID, NULL,
					  "%s: write a whole number from 0 to "
					  "%d", f->label, f->max);
			goto out;
		}
		*(int *)at(record, f) = (int)v;
		break;
	}
	case RCMS_F_TIME:
	case RCMS_F_ID:
		st = rcms_err_set(err, RCMS_ERR_INVALID, NULL,
				  "%s cannot be changed", f->label);
		goto out;
	}
out:
	if (st && err)
		snprintf(err->field, sizeof(err->field), "%s", f->name);
	return st;
}

int rcms_field_get(const struct rcms_field *f, const void *record, char *buf,
		   size_t size)
{
	const void *p;

	if (!f || !record || !buf || size == 0)
		return -1;
	p = cat(record, f);
	switch (f->type) {
	case RCMS_F_NAME:
	case RCMS_F_LINE:
	case RCMS_F_TEXT:
	case RCMS_F_CODE:
	case RCMS_F_AGENCY:
	case RCMS_F_COUNTRY:
	case RCMS_F_ID:
		return snprintf(buf, size, "%s", (const char *)p);
	case RCMS_F_PDATE:
	case RCMS_F_PDATE_PAST:
		return rcms_pdate_format(p, buf, size);
	case RCMS_F_ENUM: {
		int v;
		memcpy(&v, p, sizeof(v));
		return snprintf(buf, size, "%s", rcms_enum_name(f->names, v));
	}
	case RCMS_F_BOOL:
		return snprintf(buf, size, "%s",
				*(const bool *)p ? "yes" : "no");
	case RCMS_F_INT:
		return snprintf(buf, size, "%d", *(const int *)p);
	case RCMS_F_TIME: {
		int64_t t;
		memcpy(&t, p, sizeof(t));
		if (t == 0) {
			buf[0] = '\0';
			return 0;
		}
		return rcms_time_format(t, buf, size) == RCMS_OK
			       ? (int)strlen(buf) : -1;
	}
	}
	return -1;
}

bool rcms_field_is_empty(const struct rcms_field *f, const void *record)
{
	const void *p;

	if (!f || !record)
		return true;
	p = cat(record, f);
	switch (f->type) {
	case RCMS_F_PDATE:
	case RCMS_F_PDATE_PAST:
		return !rcms_pdate_is_set(p);
	case RCMS_F_ENUM:
		return f->names == rcms_evidence_kind_names &&
		       *(const int *)p == RCMS_EVID_NONE;
	case RCMS_F_BOOL:
		return !*(const bool *)p;
	case RCMS_F_INT:
		return *(const int *)p == 0;
	case RCMS_F_TIME: {
		int64_t t;
		memcpy(&t, p, sizeof(t));
		return t == 0;
	}
	default:
		return ((const char *)p)[0] == '\0';
	}
}

bool rcms_field_equal(const struct rcms_field *f, const void *a,
		      const void *b)
{
	char x[RCMS_TEXT_LEN + 64], y[RCMS_TEXT_LEN + 64];

	if (!f || !a || !b)
		return false;
	rcms_field_get(f, a, x, sizeof(x));
	rcms_field_get(f, b, y, sizeof(y));
	return strcmp(x, y) == 0;
}

void rcms_case_init(struct rcms_case *c)
{
	if (!c)
		return;
	memset(c, 0, sizeof(*c));
	c->status = RCMS_CS_DRAFT;
	c->procedure = RCMS_PROC_NORMAL;
	c->evidence_basis = RCMS_EVID_NONE;
	c->person.sex = RCMS_SEX_UNKNOWN;
}

void rcms_document_init(struct rcms_document *d)
{
	if (!d)
		return;
	memset(d, 0, sizeof(*d));
	d->type = RCMS_DOC_PASSPORT;
}

/* Re-check every settable field by writing its text form back. */
static enum rcms_status revalidate(const struct rcms_field *table,
				   const void *record, size_t record_size,
				   const struct rcms_today *today,
				   struct rcms_err *err)
{
	char val[RCMS_TEXT_LEN + 64];
	unsigned char *copy;
	enum rcms_status st = RCMS_OK;
	const struct rcms_field *f;

	copy = malloc(record_size);
	if (!copy)
		return rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
	memcpy(copy, record, record_size);
	for (f = table; f->name; f++) {
		if (f->type == RCMS_F_ID || f->type == RCMS_F_TIME)
			continue;
		/* a date its text form would hide ({1990, 0, 5} is "1990") */
		if ((f->type == RCMS_F_PDATE || f->type == RCMS_F_PDATE_PAST) &&
		    (st = rcms_pdate_validate(cat(record, f), f->label,
					      err))) {
			if (err)
				snprintf(err->field, sizeof(err->field), "%s",
					 f->name);
			break;
		}
		if (f->type == RCMS_F_ENUM) {
			int v;
			memcpy(&v, cat(record, f), sizeof(v));
			if (strcmp(rcms_enum_name(f->names, v), "?") == 0) {
				st = rcms_err_set(err, RCMS_ERR_INVALID,
						  f->name, "%s has an unknown "
						  "value (%d)", f->label, v);
				break;
			}
			continue;
		}
		if (f->size && f->type != RCMS_F_PDATE &&
		    f->type != RCMS_F_PDATE_PAST && f->type != RCMS_F_BOOL &&
		    f->type != RCMS_F_INT &&
		    !memchr(cat(record, f), '\0', f->size)) {
			st = rcms_err_set(err, RCMS_ERR_INVALID, f->name,
					  "%s is not terminated", f->label);
			break;
		}
		/* an empty field is valid as it is: skip the text round trip */
		if (f->type != RCMS_F_PDATE && f->type != RCMS_F_PDATE_PAST &&
		    f->type != RCMS_F_BOOL && f->type != RCMS_F_INT &&
		    ((const char *)cat(record, f))[0] == '\0')
			continue;
		if (f->type == RCMS_F_BOOL)
			continue;  /* any bool is valid */
		if (rcms_field_get(f, record, val, sizeof(val)) < 0) {
			st = rcms_err_set(err, RCMS_ERR_INVALID, f->name,
					  "%s cannot be read", f->label);
			break;
		}
		st = rcms_field_set(f, copy, val, today, err);
		if (st)
			break;
	}
	free(copy);
	return st;
}

enum rcms_status rcms_case_validate(const struct rcms_case *c,
				    const struct rcms_today *today,
				    struct rcms_err *err)
{
	enum rcms_status st;

	if (!c)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL, "no case");
	st = revalidate(rcms_case_fields, c, sizeof(*c), today, err);
	if (st)
		return st;
	return rcms_case_check_rules(c, err);
}

enum rcms_status rcms_case_check_rules(const struct rcms_case *c,
				       struct rcms_err *err)
{
	const struct rcms_person *p;

	if (!c)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL, "no case");
	p = &c->person;
	if ((p->unaccompanied_minor || p->pregnant || p->trafficking_victim ||
	     p->needs_medical_care || p->needs_escort || p->special_needs[0]) &&
	    !p->needs_consent)
		return rcms_err_set(err, RCMS_ERR_INVALID, "needs_consent",
				    "special needs are recorded only with the "
				    "person's consent: set needs_consent=yes "
				    "first");
	if (c->requested_agency[0] && c->requesting_agency[0] &&
	    strncmp(c->requested_agency, c->requesting_agency, 2) == 0)
		return rcms_err_set(err, RCMS_ERR_INVALID, "requested_agency",
				    "requested agency: %s is in your own "
				    "country; a readmission request goes to "
				    "another state", c->requested_agency);
	if (rcms_pdate_is_set(&p->birth_date) &&
	    rcms_pdate_is_set(&c->apprehension_date) &&
	    rcms_pdate_cmp(&c->apprehension_date, &p->birth_date) < 0 &&
	    /* "1990" is not before "1990-05": it may be the same day */
	    !rcms_pdate_compatible(&c->apprehension_date, &p->birth_date))
		return rcms_err_set(err, RCMS_ERR_INVALID, "apprehension_date",
				    "date of apprehension is before the date "
				    "of birth");
	return RCMS_OK;
}

enum rcms_status rcms_case_check_complete(const struct rcms_case *c,
					  struct rcms_err *err)
{
	const struct rcms_field *f;
	char missing[512] = "";
	size_t used = 0;
	const char *first = NULL;

	if (!c)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL, "no case");
	for (f = rcms_case_fields; f->name; f++) {
		if (!(f->flags & RCMS_FF_SUBMIT) || !rcms_field_is_empty(f, c))
			continue;
		if (!first)
			first = f->name;
		used += (size_t)snprintf(missing + used, sizeof(missing) - used,
					 "%s%s (%s)", used ? ", " : "",
					 f->label, f->name);
		if (used >= sizeof(missing))
			break;
	}
	if (first)
		return rcms_err_set(err, RCMS_ERR_INVALID, first,
				    "the application is not complete; still "
				    "needed: %s", missing);
	if (c->procedure == RCMS_PROC_ACCELERATED &&
	    (!c->apprehension_place[0] ||
	     !rcms_pdate_is_full(&c->apprehension_date)))
		return rcms_err_set(err, RCMS_ERR_INVALID, "apprehension_date",
				    "the accelerated procedure needs the place "
				    "and full date of apprehension in the "
				    "border region");
	return RCMS_OK;
}

enum rcms_status rcms_document_validate(const struct rcms_document *d,
					const struct rcms_today *today,
					struct rcms_err *err)
{
	enum rcms_status st;

	if (!d)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL, "no document");
	st = revalidate(rcms_document_fields, d, sizeof(*d), today, err);
	if (st)
		return st;
	if (!d->number[0] && !d->mrz[0])
		return rcms_err_set(err, RCMS_ERR_INVALID, "number",
				    "a document needs its number (or its "
				    "machine readable zone)");
	if (rcms_pdate_is_set(&d->issue_date) &&
	    rcms_pdate_is_set(&d->expiry_date) &&
	    rcms_pdate_cmp(&d->expiry_date, &d->issue_date) < 0 &&
	    !rcms_pdate_compatible(&d->expiry_date, &d->issue_date))
		return rcms_err_set(err, RCMS_ERR_INVALID, "expiry_date",
				    "date of expiry is before the date of "
				    "issue");
	return RCMS_OK;
}

static enum rcms_status period_check(const struct rcms_period *p,
				     const char *field, struct rcms_err *err)
{
	if (p->unit == RCMS_PERIOD_NONE)
		return RCMS_OK;
	if (strcmp(rcms_enum_name(rcms_period_unit_names, (int)p->unit),
		   "?") == 0)
		return rcms_err_set(err, RCMS_ERR_INVALID, field,
				    "%s: unknown unit", field);
	if (p->n < 1 || p->n > (p->unit == RCMS_PERIOD_MONTHS ? 120 : 3650))
		return rcms_err_set(err, RCMS_ERR_INVALID, field,
				    "%s: %d is out of range", field, p->n);
	return RCMS_OK;
}

enum rcms_status rcms_agreement_validate(const struct rcms_agreement *a,
					 struct rcms_err *err)
{
	const unsigned char *p;
	char cc[3];
	enum rcms_status st;
	size_t n;

	if (!a)
		return rcms_err_set(err, RCMS_ERR_INVALID, NULL, "no agreement");
	n = strnlen(a->code, sizeof(a->code));
	if (n == 0 || n >= sizeof(a->code))
		return rcms_err_set(err, RCMS_ERR_INVALID, "code",
				    "an agreement needs a code of 1 to %zu "
				    "characters", sizeof(a->code) - 1);
	for (p = (const unsigned char *)a->code; *p; p++)
		if (!isupper(*p) && !isdigit(*p) && *p != '-' && *p != '_')
			return rcms_err_set(err, RCMS_ERR_INVALID, "code",
					    "agreement codes are capital "
					    "letters, digits, - and _");
	if ((st = rcms_text_check(a->name, sizeof(a->name) - 1,
				  RCMS_TEXT_SINGLE_LINE | RCMS_TEXT_NONEMPTY,
				  "agreement name", err)) ||
	    (st = rcms_text_check(a->source, sizeof(a->source) - 1,
				  RCMS_TEXT_SINGLE_LINE, "source", err)) ||
	    (st = rcms_text_check(a->note, sizeof(a->note) - 1,
				  RCMS_TEXT_SINGLE_LINE, "note", err)))
		return st;
	/* countries: alpha-2 codes separated by spaces */
	p = (const unsigned char *)a->countries;
	n = 0;
	while (*p) {
		if (*p == ' ') {
			p++;
			continue;
		}
		if (!isupper(p[0]) || !isupper(p[1]) ||
		    (p[2] && p[2] != ' '))
			return rcms_err_set(err, RCMS_ERR_INVALID, "countries",
					    "countries: write two-letter codes "
					    "separated by spaces, such as "
					    "\"AL BA ME\"");
		cc[0] = (char)p[0];
		cc[1] = (char)p[1];
		cc[2] = '\0';
		if (!rcms_country_find(cc))
			return rcms_err_set(err, RCMS_ERR_INVALID, "countries",
					    "countries: '%s' is not a country "
					    "code", cc);
		p += 2;
		n++;
	}
	if (n == 0)
		return rcms_err_set(err, RCMS_ERR_INVALID, "countries",
				    "an agreement applies to at least one "
				    "country");
	if ((st = period_check(&a->reply, "reply", err)) ||
	    (st = period_check(&a->reply_accelerated, "reply_accelerated",
			       err)) ||
	    (st = period_check(&a->transfer, "transfer", err)) ||
	    (st = period_check(&a->transit_reply, "transit_reply", err)) ||
	    (st = period_check(&a->transit, "transit", err)))
		return st;
	if (a->extension_max_days < 0 || a->extension_max_days > 365)
		return rcms_err_set(err, RCMS_ERR_INVALID, "extension_max_days",
				    "extension_max_days: %d is out of range "
				    "(0 to 365)", a->extension_max_days);
	if (a->silence_accepts && a->reply.unit == RCMS_PERIOD_NONE)
		return rcms_err_set(err, RCMS_ERR_INVALID, "silence_accepts",
				    "silence cannot mean acceptance without a "
				    "reply period");
	return RCMS_OK;
}

/* The bytes a field takes in its record. */
static size_t field_storage(const struct rcms_field *f)
{
	switch (f->type) {
	case RCMS_F_PDATE:
	case RCMS_F_PDATE_PAST:
		return sizeof(struct rcms_pdate);
	case RCMS_F_ENUM:
	case RCMS_F_INT:
		return sizeof(int);
	case RCMS_F_BOOL:
		return sizeof(bool);
	case RCMS_F_TIME:
		return sizeof(int64_t);
	default:
		return f->size;
	}
}

void rcms_case_anonymise(struct rcms_case *c)
{
	static const char *const also[] = {"travel_doc_number",
					   "apprehension_place",
					   "crossing_point", "escort"};
	const struct rcms_field *f;
	size_t i;

	if (!c)
		return;
	for (f = rcms_case_fields; f->name; f++) {
		bool clear = (f->flags & RCMS_FF_PERSONAL) != 0;
		for (i = 0; !clear && i < sizeof(also) / sizeof(also[0]); i++)
			clear = strcmp(f->name, also[i]) == 0;
		/* an enum's 0 is its "unknown", a date's all zero is none */
		if (clear)
			memset((char *)c + f->offset, 0, field_storage(f));
	}
}
