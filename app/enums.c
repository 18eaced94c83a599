/* enums.c - the name tables of the domain's enums. */
#include "app/domain.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

const struct rcms_enum_name rcms_case_status_names[] = {
	{RCMS_CS_DRAFT, "draft", "draft"},
	{RCMS_CS_AWAITING_APPROVAL, "awaiting_approval", "awaiting approval"},
	{RCMS_CS_SUBMITTED, "submitted", "submitted"},
	{RCMS_CS_EXTENSION_REQUESTED, "extension_requested", "extension requested"},
	{RCMS_CS_ACCEPTED, "accepted", "accepted"},
	{RCMS_CS_REJECTED, "rejected", "rejected"},
	{RCMS_CS_DEEMED_ACCEPTED, "deemed_accepted", "deemed accepted"},
	{RCMS_CS_TRAVEL_DOCUMENT_ISSUED, "travel_document_issued", "travel document issued"},
	{RCMS_CS_TRANSFER_SCHEDULED, "transfer_scheduled", "transfer scheduled"},
	{RCMS_CS_TRANSFERRED, "transferred", "transferred"},
	{RCMS_CS_CLOSED, "closed", "closed"},
	{RCMS_CS_WITHDRAWN, "withdrawn", "withdrawn"},
	{0, NULL, NULL},
};

const struct rcms_enum_name rcms_procedure_names[] = {
	{RCMS_PROC_NORMAL, "normal", "normal procedure"},
	{RCMS_PROC_ACCELERATED, "accelerated", "accelerated procedure"},
	{RCMS_PROC_TRANSIT, "transit", "transit"},
	{0, NULL, NULL},
};

const struct rcms_enum_name rcms_sex_names[] = {
	{RCMS_SEX_UNKNOWN, "unknown", "unknown"},
	{RCMS_SEX_M, "M", "male"},
	{RCMS_SEX_F, "F", "female"},
	{RCMS_SEX_X, "X", "unspecified"},
	{0, NULL, NULL},
};

const struct rcms_enum_name rcms_civil_status_names[] = {
	{RCMS_CIVIL_UNKNOWN, "unknown", "unknown"},
	{RCMS_CIVIL_SINGLE, "single", "single"},
	{RCMS_CIVIL_MARRIED, "married", "married"},
	{RCMS_CIVIL_DIVORCED, "divorced", "divorced"},
	{RCMS_CIVIL_WIDOWED, "widowed", "widowed"},
	{RCMS_CIVIL_SEPARATED, "separated", "separated"},
	{RCMS_CIVIL_PARTNERSHIP, "partnership", "registered partnership"},
	{0, NULL, NULL},
};

const struct rcms_enum_name rcms_role_names[] = {
	{RCMS_ROLE_OFFICER, "officer", "officer"},
	{RCMS_ROLE_SUPERVISOR, "supervisor", "supervisor"},
	{RCMS_ROLE_ADMIN, "admin", "administrator"},
	{0, NULL, NULL},
};

const struct rcms_enum_name rcms_side_names[] = {
	{RCMS_SIDE_REQUESTING, "requesting", "requesting agency"},
	{RCMS_SIDE_REQUESTED, "requested", "requested agency"},
	{RCMS_SIDE_SYSTEM, "system", "the exchange"},
	{0, NULL, NULL},
};

const struct rcms_enum_name rcms_evidence_kind_names[] = {
	{RCMS_EVID_NONE, "none", "not stated"},
	{RCMS_EVID_PROOF, "proof", "proof (Annex 1)"},
	{RCMS_EVID_PRIMA_FACIE, "prima_facie", "prima facie (Annex 2)"},
	{RCMS_EVID_CONDITIONS, "conditions", "conditions (Annex 3)"},
	{0, NULL, NULL},
};

const struct rcms_enum_name rcms_doc_type_names[] = {
	{RCMS_DOC_PASSPORT, "passport", "passport"},
	{RCMS_DOC_ID_CARD, "id_card", "identity card"},
	{RCMS_DOC_TEMP_ID_CARD, "temp_id_card", "temporary identity card"},
	{RCMS_DOC_MILITARY_ID, "military_id", "military identity card"},
	{RCMS_DOC_SEAMANS_BOOK, "seamans_book", "seaman's book"},
	{RCMS_DOC_CITIZENSHIP_CERT, "citizenship_cert", "citizenship certificate"},
	{RCMS_DOC_CNIC, "cnic", "computerised national identity card"},
	{RCMS_DOC_DRIVING_LICENCE, "driving_licence", "driving licence"},
	{RCMS_DOC_BIRTH_CERT, "birth_cert", "birth certificate"},
	{RCMS_DOC_SERVICE_BOOK, "service_book", "service book"},
	{RCMS_DOC_VISA, "visa", "visa"},
	{RCMS_DOC_TRAVEL_DOCUMENT, "travel_document", "travel document"},
	{RCMS_DOC_TICKET, "ticket", "ticket or boarding pass"},
	{RCMS_DOC_OTHER, "other", "other document"},
	{0, NULL, NULL},
};

const struct rcms_enum_name rcms_idcheck_kind_names[] = {
	{RCMS_IDC_IDENTITY, "identity", "identity"},
	{RCMS_IDC_NATIONALITY, "nationality", "nationality"},
	{RCMS_IDC_DOCUMENT, "document", "document authenticity"},
	{0, NULL, NULL},
};

const struct rcms_enum_name rcms_idcheck_answer_names[] = {
	{RCMS_IDA_PENDING, "pending", "awaiting an answer"},
	{RCMS_IDA_CONFIRMED, "confirmed", "confirmed"},
	{RCMS_IDA_NOT_CONFIRMED, "not_confirmed", "not confirmed"},
	{RCMS_IDA_INTERVIEW_REQUIRED, "interview_required", "interview required"},
	{0, NULL, NULL},
};

const struct rcms_enum_name rcms_attach_kind_names[] = {
	{RCMS_ATT_SCAN, "scan", "document scan"},
	{RCMS_ATT_PHOTO, "photo", "photograph"},
	{RCMS_ATT_FINGERPRINTS, "fingerprints", "fingerprints"},
	{RCMS_ATT_OTHER, "other", "other"},
	{0, NULL, NULL},
};

const struct rcms_enum_name rcms_period_unit_names[] = {
	{RCMS_PERIOD_NONE, "none", "no limit"},
	{RCMS_PERIOD_CALENDAR_DAYS, "calendar_days", "calendar days"},
	{RCMS_PERIOD_WORKING_DAYS, "working_days", "working days"},
	{RCMS_PERIOD_MONTHS, "months", "months"},
	{0, NULL, NULL},
};

enum rcms_status rcms_enum_parse(const struct rcms_enum_name *table,
				 const char *name, int *out)
{
	if (!table || !name || !out)
		return RCMS_ERR_INVALID;
	for (; table->name; table++) {
		if (strcasecmp(table->name, name) == 0) {
			*out = table->value;
			return RCMS_OK;
		}
	}
	return RCMS_ERR_INVALID;
}

const char *rcms_enum_name(const struct rcms_enum_name *table, int value)
{
	for (; table && table->name; table++)
		if (table->value == value)
			return table->name;
	return "?";
}

const char *rcms_enum_label(const struct rcms_enum_name *table, int value)
{
	for (; table && table->name; table++)
		if (table->value == value)
			return table->label;
	return "?";
}

const char *rcms_enum_list(const struct rcms_enum_name *table, char *buf,
			   size_t size)
{
	size_t used = 0;

	if (!buf || size == 0)
		return "";
	buf[0] = '\0';
	for (; table && table->name; table++) {
		int n = snprintf(buf + used, size - used, "%s%s",
				 used ? ", " : "", table->name);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
	return buf;
}
