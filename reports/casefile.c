/* casefile.c - the full case file: every field that is set, the
 * documents, means of evidence, identity checks, notes, attachments and
 * the case's history from the audit log. */
#include "reports/report_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "Date of birth" from "date of birth". */
static const char *capital(const char *label, char *buf, size_t size)
{
	snprintf(buf, size, "%s", label);
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
	return buf;
}

static int on_doc(const struct rcms_document *d, void *arg)
{
	struct report_run *r = arg;
	char issued[16], expiry[16];
	const char *cells[6];

	rcms_pdate_format(&d->issue_date, issued, sizeof(issued));
	rcms_pdate_format(&d->expiry_date, expiry, sizeof(expiry));
	cells[0] = rcms_enum_label(rcms_doc_type_names, (int)d->type);
	cells[1] = d->number;
	cells[2] = d->issuing_state;
	cells[3] = issued;
	cells[4] = expiry;
	cells[5] = d->is_copy ? "copy" : "original";
	rw_row(r->w, cells, 0);
	return 0;
}

static const struct rw_col doc_cols[] = {
	{"Document", "type", 20, 30, 2.4, false},
	{"Number", "number", 16, 24, 2.0, false},
	{"State", "issuing_state", 5, 6, 0.8, false},
	{"Issued", "issued", 10, 12, 1.3, false},
	{"Expires", "expires", 10, 12, 1.3, false},
	{"Form", "form", 12, 12, 1.1, false},
};

static int on_evidence(const struct rcms_evidence *e, void *arg)
{
	struct report_run *r = arg;

	rw_kv(r->w, rcms_enum_label(rcms_evidence_kind_names, (int)e->kind),
	      e->description);
	return 0;
}

static int on_idcheck(const struct rcms_idcheck *q, void *arg)
{
	struct report_run *r = arg;
	char key[128], when[24], val[RCMS_TEXT_LEN * 2 + 256];

	snprintf(key, sizeof(key), "%s check, %s",
		 rcms_enum_label(rcms_idcheck_kind_names, (int)q->kind),
		 report_datetime(q->asked_at, when, sizeof(when)));
	if (q->answer == RCMS_IDA_PENDING)
		snprintf(val, sizeof(val), "%s (asked by %s) - no answer yet",
			 q->question, q->asked_by);
	else
		snprintf(val, sizeof(val), "%s (asked by %s) - %s on %s: %s",
			 q->question, q->asked_by,
			 rcms_enum_label(rcms_idcheck_answer_names,
					 (int)q->answer),
			 report_datetime(q->answered_at, when, sizeof(when)),
			 q->answer_text);
	rw_kv(r->w, key, val);
	return 0;
}

static int on_note(const struct rcms_note *n, void *arg)
{
	struct report_run *r = arg;
	char key[128], when[24];

	snprintf(key, sizeof(key), "%s, %s",
		 report_datetime(n->created_at, when, sizeof(when)), n->author);
	rw_kv(r->w, key, n->text);
	return 0;
}

static const struct rw_col att_cols[] = {
	{"Kind", "kind", 12, 14, 1.2, false},
	{"File", "filename", 30, 50, 3.5, false},
	{"Bytes", "size", 10, 12, 1.0, true},
	{"Added", "added", 16, 16, 1.6, false},
	{"By", "added_by", 8, 16, 1.0, false},
};

static int on_attachment(const struct rcms_attachment *a, void *arg)
{
	struct report_run *r = arg;
	char size[24], when[24];
	const char *cells[5];

	cells[0] = rcms_enum_label(rcms_attach_kind_names, (int)a->kind);
	cells[1] = a->filename;
	cells[2] = report_int(a->size, size, sizeof(size));
	cells[3] = report_datetime(a->added_at, when, sizeof(when));
	cells[4] = a->added_by;
	rw_row(r->w, cells, 0);
	return 0;
}

static const struct rw_col hist_cols[] = {
	{"When (UTC)", "at", 16, 16, 1.6, false},
	{"Who", "actor", 10, 16, 1.2, false},
	{"What", "action", 16, 20, 1.8, false},
	{"Detail", "detail", 34, 77, 5.0, false},
};

static int on_audit(const struct db_audit *a, void *arg)
{
	struct report_run *r = arg;
	char when[24];
	const char *cells[4];

	cells[0] = report_datetime(a->at, when, sizeof(when));
	cells[1] = a->actor;
	cells[2] = a->action;
	cells[3] = a->detail;
	rw_row(r->w, cells, 0);
	return 0;
}

enum rcms_status report_casefile(struct report_run *r)
{
	struct rcms_case *c = malloc(sizeof(*c));
	char *val = malloc(RCMS_TEXT_LEN + 64);
	char label[128];
	const struct rcms_field *f;
	enum rcms_status st;

	if (!c || !val) {
		st = rcms_err_set(r->err, RCMS_ERR_NOMEM, NULL, NULL);
		goto out;
	}
	if ((st = db_case_get(r->ctx, r->p->case_ref, c, r->err)))
		goto out;
	snprintf(r->case_id, sizeof(r->case_id), "%s", c->id);
	r->cases = 1;
	rw_heading(r->w, "Particulars");
	for (f = rcms_case_fields; f->name; f++) {
		if (rcms_field_is_empty(f, c) || strcmp(f->name, "id") == 0)
			continue;
		if (rcms_field_get(f, c, val, RCMS_TEXT_LEN + 64) < 0)
			continue;
		if (f->type == RCMS_F_TIME) {
			int64_t t;
			char when[24];
			memcpy(&t, (const char *)c + f->offset, sizeof(t));
			snprintf(val, RCMS_TEXT_LEN + 64, "%s UTC",
				 report_datetime(t, when, sizeof(when)));
		}
		if (f->type == RCMS_F_ENUM) {
			int v;
			memcpy(&v, (const char *)c + f->offset, sizeof(v));
			snprintf(val, RCMS_TEXT_LEN + 64, "%s",
				 rcms_enum_label(f->names, v));
		}
		rw_kv(r->w, capital(f->label, label, sizeof(label)), val);
	}
	rw_heading(r->w, "Identity and travel documents");
	rw_table_begin(r->w, doc_cols, 6, false);
	st = db_document_list(r->ctx, c->id, on_doc, r, r->err);
	rw_table_end(r->w);
	if (st)
		goto out;
	rw_heading(r->w, "Means of evidence");
	rw_kv(r->w, "Evidence relied on",
	      rcms_enum_label(rcms_evidence_kind_names,
			      (int)c->evidence_basis));
	if ((st = db_report_evidence(r->ctx, c->id, on_evidence, r, r->err)))
		goto out;
	rw_heading(r->w, "Identity checks");
	if ((st = db_idcheck_list(r->ctx, c->id, on_idcheck, r, r->err)))
		goto out;
	rw_heading(r->w, "Notes");
	if ((st = db_note_list(r->ctx, c->id, on_note, r, r->err)))
		goto out;
	rw_heading(r->w, "Attachments");
	rw_table_begin(r->w, att_cols, 5, false);
	st = db_attachment_list(r->ctx, c->id, on_attachment, r, r->err);
	rw_table_end(r->w);
	if (st)
		goto out;
	rw_heading(r->w, "History");
	rw_table_begin(r->w, hist_cols, 4, false);
	st = db_audit_list(r->ctx->db, c->id, on_audit, r, r->err);
	rw_table_end(r->w);
out:
	free(val);
	free(c);
	return st;
}
