/* application.c - the readmission application in the layout of the common
 * form annexed to the readmission agreements: the requesting and the
 * requested state, the person's particulars, the documents, the means of
 * evidence, special circumstances, the proposed transfer, and boxes for
 * the signature and the stamp. */
#include "reports/report_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct state {
	struct report_run *r;
	int ndocs;
	int nevid;
};

static const char *country_of_agency(const char *agency)
{
	char cc[3] = {agency[0], agency[0] ? agency[1] : 0, 0};

	return report_country(cc);
}

static const char *alpha3_name(const char *alpha3)
{
	const struct rcms_country *c = rcms_country_find(alpha3);

	return c ? c->name : alpha3;
}

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

static int on_doc(const struct rcms_document *d, void *arg)
{
	struct state *s = arg;
	char key[64], val[2 * RCMS_LINE_LEN + 256], issued[16], expiry[16];

	rcms_pdate_format(&d->issue_date, issued, sizeof(issued));
	rcms_pdate_format(&d->expiry_date, expiry, sizeof(expiry));
	snprintf(key, sizeof(key), "%d. %s", ++s->ndocs,
		 rcms_enum_label(rcms_doc_type_names, (int)d->type));
	{
		size_t n = 0;
#define ADD(...)                                                              \
	do {                                                                  \
		int k_ = snprintf(val + n, sizeof(val) - n, __VA_ARGS__);     \
		if (k_ > 0)                                                   \
			n = n + (size_t)k_ < sizeof(val) ? n + (size_t)k_     \
							 : sizeof(val) - 1;   \
	} while (0)
		ADD("No. %s", d->number[0] ? d->number : "(none)");
		if (d->issuing_state[0])
			ADD("; issued by %s", alpha3_name(d->issuing_state));
		if (d->issuing_authority[0])
			ADD("; authority: %s", d->issuing_authority);
		if (d->issue_place[0])
			ADD("; at %s", d->issue_place);
		if (issued[0])
			ADD("; on %s", issued);
		ADD("; expires %s", expiry[0] ? expiry : "unknown");
		ADD("; %s", d->is_copy ? "a copy" : "the original");
#undef ADD
	}
	rw_kv(s->r->w, key, val);
	return 0;
}

static int on_evidence(const struct rcms_evidence *e, void *arg)
{
	struct state *s = arg;
	char key[64];

	snprintf(key, sizeof(key), "%d. %s", ++s->nevid,
		 rcms_enum_label(rcms_evidence_kind_names, (int)e->kind));
	rw_kv(s->r->w, key, e->description);
	return 0;
}

enum rcms_status report_application(struct report_run *r)
{
	struct rcms_case *c = malloc(sizeof(*c));
	const struct rcms_person *p;
	struct state s;
	char buf[4 * RCMS_NAME_LEN], d1[16];
	enum rcms_status st;
	static const char *const boxes[] = {
		"Place and date",
		"Signature (official)",
		"Stamp of the authority",
	};

	memset(&s, 0, sizeof(s));
	s.r = r;
	if (!c)
		return rcms_err_set(r->err, RCMS_ERR_NOMEM, NULL, NULL);
	if ((st = db_case_get(r->ctx, r->p->case_ref, c, r->err)))
		goto out;
	snprintf(r->case_id, sizeof(r->case_id), "%s", c->id);
	r->cases = 1;
	p = &c->person;

	rw_heading(r->w, "Application for readmission");
	snprintf(buf, sizeof(buf), "%s (%s)",
		 country_of_agency(c->requesting_agency),
		 c->requesting_agency);
	rw_kv(r->w, "Requesting state", buf);
	snprintf(buf, sizeof(buf), "%s (%s)",
		 country_of_agency(c->requested_agency), c->requested_agency);
	rw_kv(r->w, "Requested state", c->requested_agency[0] ? buf : "");
	rw_kv(r->w, "Reference",
	      report_ref(c->final_ref, c->local_ref));
	rw_kv(r->w, "Agreement", c->agreement);
	rw_kv(r->w, "Procedure",
	      rcms_enum_label(rcms_procedure_names, (int)c->procedure));
	rw_kv(r->w, "Date of the application",
	      report_date(c->submitted_at, d1, sizeof(d1)));

	rw_heading(r->w, "A. Personal details");
	rw_kv(r->w, "1. Surname(s)", p->surnames);
	rw_kv(r->w, "   Given name(s)", p->given_names);
	rw_kv(r->w, "   Name in original script", p->name_native);
	rw_kv(r->w, "2. Previous names", p->previous_names);
	rw_kv(r->w, "3. Also known as (aliases)", p->aliases);
	rcms_pdate_format(&p->birth_date, d1, sizeof(d1));
	snprintf(buf, sizeof(buf), "%s%s%s%s%s", d1[0] ? d1 : "unknown",
		 p->birth_place[0] ? ", " : "", p->birth_place,
		 p->birth_country[0] ? ", " : "",
		 p->birth_country[0] ? alpha3_name(p->birth_country) : "");
	rw_kv(r->w, "4. Date and place of birth", buf);
	snprintf(buf, sizeof(buf), "%s%s%s",
		 rcms_enum_label(rcms_sex_names, (int)p->sex),
		 p->description[0] ? "; " : "", p->description);
	rw_kv(r->w, "5. Sex and physical description", buf);
	snprintf(buf, sizeof(buf), "%s%s%s",
		 p->nationality[0] ? alpha3_name(p->nationality) : "unknown",
		 p->previous_nationality[0] ? "; previously " : "",
		 p->previous_nationality[0]
			 ? alpha3_name(p->previous_nationality) : "");
	rw_kv(r->w, "6. Nationality", buf);
	rw_kv(r->w, "7. Languages", p->languages);
	rw_kv(r->w, "8. Civil status",
	      rcms_enum_label(rcms_civil_status_names, (int)p->civil_status));
	rw_kv(r->w, "9. Father's name", p->father_name);
	rw_kv(r->w, "10. Mother's name", p->mother_name);
	rw_kv(r->w, "11. Last address in the requested state",
	      p->last_residence);

	rw_heading(r->w, "B. Identity and travel documents");
	if ((st = db_document_list(r->ctx, c->id, on_doc, &s, r->err)))
		goto out;
	if (s.ndocs == 0)
		rw_para(r->w, "None.");

	rw_heading(r->w, "C. Means of evidence");
	rw_kv(r->w, "Evidence relied on",
	      rcms_enum_label(rcms_evidence_kind_names,
			      (int)c->evidence_basis));
	if ((st = db_report_evidence(r->ctx, c->id, on_evidence, &s, r->err)))
		goto out;

	rw_heading(r->w, "D. Special circumstances");
	if (p->needs_consent) {
		rw_kv(r->w, "Unaccompanied minor",
		      yes_no(p->unaccompanied_minor));
		rw_kv(r->w, "Pregnancy", yes_no(p->pregnant));
		rw_kv(r->w, "Victim of trafficking",
		      yes_no(p->trafficking_victim));
		rw_kv(r->w, "Medical care needed",
		      yes_no(p->needs_medical_care));
		rw_kv(r->w, "Escort needed", yes_no(p->needs_escort));
		rw_kv(r->w, "Details", p->special_needs);
	} else {
		rw_para(r->w, "Not recorded (the person's consent is needed).");
	}

	rw_heading(r->w, "E. Circumstances of apprehension and itinerary");
	rcms_pdate_format(&c->apprehension_date, d1, sizeof(d1));
	rw_kv(r->w, "Place of apprehension", c->apprehension_place);
	rw_kv(r->w, "Date of apprehension", d1);
	rw_kv(r->w, "Itinerary and stop-overs", c->itinerary);

	rw_heading(r->w, "F. Proposed transfer");
	rcms_pdate_format(&c->transfer_date, d1, sizeof(d1));
	rw_kv(r->w, "Date", d1);
	rw_kv(r->w, "Border crossing point or airport", c->crossing_point);
	rw_kv(r->w, "Escort", c->escort);

	rw_heading(r->w, "G. Signature");
	rw_boxes(r->w, boxes, 3);
out:
	free(c);
	return st;
}
