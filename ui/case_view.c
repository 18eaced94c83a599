/*
 * case_view.c - one case with its tabs (Person, Documents & MRZ,
 * Evidence, Identity checks, Attachments, Decision & transfer, Notes,
 * History) and its steps.  A step asks for what the state machine's row
 * requires (reason, days, travel document, date), then for a
 * confirmation, and only then calls db_case_transition: each step commits
 * locally with its outbox operation in one transaction.  Opening a case is
 * audited (db_case_viewed).
 */
#include "ui/ui_priv.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINES 600
#define MAX_IDC 32

enum tab {
	TAB_PERSON, TAB_DOCS, TAB_EVIDENCE, TAB_IDC, TAB_ATT, TAB_DECISION,
	TAB_NOTES, TAB_HISTORY, TAB__COUNT
};

static const char *const tab_names[TAB__COUNT] = {
	"Person", "Documents & MRZ", "Evidence", "Identity checks",
	"Attachments", "Decision & transfer", "Notes", "History",
};
/* the same at 80 columns */
static const char *const tab_short[TAB__COUNT] = {
	"Person", "Docs & MRZ", "Evidence", "ID checks", "Attached",
	"Decision", "Notes", "History",
};

/* Fields of each tab, by name (the rest of the table is in the header). */
static const char *const evidence_fields[] = {
	"evidence_basis", "procedure", "agreement", "itinerary",
	"apprehension_place", "apprehension_date", NULL,
};
static const char *const decision_fields[] = {
	"reason", "extension_days", "travel_doc_number", "transfer_date",
	"crossing_point", "escort", "created_by", "approved_by", "created_at",
	"updated_at", "submitted_at", "received_at", "decided_at", NULL,
};

struct case_view {
	struct view v;
	char ref[RCMS_REF_LEN];
	struct rcms_case c;
	bool viewed;
	/* not viewed yet: asking why (app/justify.h); then the inbox's
	 * answer is asked for */
	bool asking_why;
	bool answer_after;
	enum tab tab;
	char (*lines)[256];
	int n, top, rows;
	/* identity checks of the case: the one selected is answered */
	char idc_id[MAX_IDC][RCMS_ID_LEN];
	int idc_line[MAX_IDC];
	bool idc_pending[MAX_IDC];
	int nidc, idc_cur;
	/* what a step or an action collected so far */
	int stage;
	char reason[RCMS_TEXT_LEN];
	int days;
	char travel_doc[64];
	struct rcms_pdate date;
	int kind;
	/* what an officer typed for an action that failed (the case was
	 * being sent, say): offered again when the action is asked again;
	 * a step that failed keeps what it collected and asks only the
	 * confirmation again */
	enum ui_request keep_req;
	char keep[RCMS_TEXT_LEN];
	enum ui_request retry_step;
};

static struct case_view *of(struct view *v)
{
	return (struct case_view *)v;
}

static void add(struct case_view *cv, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void add(struct case_view *cv, const char *fmt, ...)
{
	va_list ap;

	if (cv->n >= MAX_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(cv->lines[cv->n++], sizeof(cv->lines[0]), fmt, ap);
	va_end(ap);
}

static void add_field(struct case_view *cv, const struct rcms_field *f,
		      const void *rec)
{
	char val[RCMS_TEXT_LEN + 64];

	if (f->type == RCMS_F_TIME) {
		int64_t t = *(const int64_t *)((const char *)rec + f->offset);
		if (!t)
			val[0] = '\0';
		else
			rcms_time_format(t, val, sizeof(val));
	} else {
		rcms_field_get(f, rec, val, sizeof(val));
	}
	/* multi-line text on one line each */
	{
		char *p = val, *nl;
		bool first = true;
		do {
			nl = strchr(p, '\n');
			if (nl)
				*nl = '\0';
			add(cv, "%-28.28s %s", first ? f->label : "", p);
			first = false;
			p = nl ? nl + 1 : NULL;
		} while (p);
	}
}

static bool in_list(const char *const *names, const char *name)
{
	for (; *names; names++)
		if (strcmp(*names, name) == 0)
			return true;
	return false;
}

static int doc_line(const struct rcms_document *d, void *arg)
{
	struct case_view *cv = arg;
	const struct rcms_field *f;

	for (f = rcms_document_fields; f->name; f++) {
		if (strcmp(f->name, "mrz") == 0) {
			char *p, *nl, mrz[RCMS_MRZ_LEN];
			snprintf(mrz, sizeof(mrz), "%s", d->mrz);
			if (!mrz[0])
				continue;
			add(cv, "%-28s", "machine readable zone");
			for (p = mrz; p; p = nl ? nl + 1 : NULL) {
				nl = strchr(p, '\n');
				if (nl)
					*nl = '\0';
				add(cv, "  %s", p);
			}
			continue;
		}
		if (!rcms_field_is_empty(f, d))
			add_field(cv, f, d);
	}
	add(cv, "%s", "");
	return 0;
}

static int idc_line(const struct rcms_idcheck *q, void *arg)
{
	struct case_view *cv = arg;
	char t[32];

	if (cv->nidc < MAX_IDC) {
		snprintf(cv->idc_id[cv->nidc], RCMS_ID_LEN, "%s", q->id);
		cv->idc_line[cv->nidc] = cv->n;
		cv->idc_pending[cv->nidc] = q->answer == RCMS_IDA_PENDING;
		cv->nidc++;
	}
	rcms_time_format(q->asked_at, t, sizeof(t));
	add(cv, "  %s check, asked by %s on %s",
	    rcms_enum_label(rcms_idcheck_kind_names, (int)q->kind),
	    q->asked_by, t);
	add(cv, "    Q: %s", q->question);
	if (q->answer == RCMS_IDA_PENDING) {
		add(cv, "    A: (waiting for the answer)");
	} else {
		rcms_time_format(q->answered_at, t, sizeof(t));
		add(cv, "    A: %s by %s on %s",
		    rcms_enum_label(rcms_idcheck_answer_names, (int)q->answer),
		    q->answered_by, t);
		if (q->answer_text[0])
			add(cv, "       %s", q->answer_text);
	}
	add(cv, "%s", "");
	return 0;
}

static int att_line(const struct rcms_attachment *a, void *arg)
{
	struct case_view *cv = arg;
	char t[32];

	rcms_time_format(a->added_at, t, sizeof(t));
	add(cv, "  %-30.30s %-12s %10lld B  %s %s", a->filename,
	    rcms_enum_label(rcms_attach_kind_names, (int)a->kind),
	    (long long)a->size, a->added_by, t);
	return 0;
}

static int note_line(const struct rcms_note *nt, void *arg)
{
	struct case_view *cv = arg;
	char t[32], text[RCMS_TEXT_LEN], *p, *nl;

	rcms_time_format(nt->created_at, t, sizeof(t));
	add(cv, "%s, %s:", nt->author, t);
	snprintf(text, sizeof(text), "%s", nt->text);
	for (p = text; p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		add(cv, "  %s", p);
	}
	add(cv, "%s", "");
	return 0;
}

/* Possible earlier cases of this person (issue 9): collected first, so
 * that a warning can head the Person tab when there are any. */
struct dup_list {
	char line[5][2][200];
	int n;
};

static int dup_collect(const struct db_dup_hit *h, void *arg)
{
	struct dup_list *d = arg;
	char dob[16], why[160];

	if (d->n >= 5)
		return 1;
	rcms_pdate_format(&h->birth_date, dob, sizeof(dob));
	snprintf(d->line[d->n][0], sizeof(d->line[0][0]),
		 "  %.24s  %d%%  %.40s%s%.40s  %s  %s",
		 h->final_ref[0] ? h->final_ref : h->local_ref,
		 cli_dup_percent(h), h->surnames,
		 h->surnames[0] && h->given_names[0] ? ", " : "",
		 h->given_names, dob[0] ? dob : "-",
		 h->nationality[0] ? h->nationality : "-");
	snprintf(d->line[d->n][1], sizeof(d->line[0][1]), "    %s",
		 cli_dup_reasons(h, why, sizeof(why)));
	d->n++;
	return 0;
}

static void earlier_cases(struct case_view *cv, const struct dup_list *d)
{
	int i;

	add(cv, "%s", "");
	add(cv, "%s", "Possible earlier cases of this person:");
	for (i = 0; i < d->n; i++) {
		add(cv, "%s", d->line[i][0]);
		add(cv, "%s", d->line[i][1]);
	}
	if (!d->n)
		add(cv, "%s", "  (none)");
}

static int audit_line(const struct db_audit *a, void *arg)
{
	struct case_view *cv = arg;
	char t[32];

	rcms_time_format(a->at, t, sizeof(t));
	add(cv, "%s  %-12s %-18s %s", t, a->actor, a->action, a->detail);
	return 0;
}

static void deadlines(struct case_view *cv)
{
	struct ui *ui = cv->v.ui;
	struct rcms_agreement a;
	struct rcms_holiday hol[256];
	struct rcms_holidays hs = {hol, 0};
	struct rcms_deadline_in in;
	struct rcms_deadlines d;
	const struct rcms_case *c = &cv->c;
	char cc[3] = {c->requested_agency[0], c->requested_agency[1], 0};
	char t[32];

	if (!c->agreement[0] ||
	    db_agreement_get(ui->cli->db, c->agreement, &a, NULL) != RCMS_OK) {
		add(cv, "%-28s %s", "deadlines", "no agreement applies");
		return;
	}
	if (!c->received_at) {
		add(cv, "%-28s %s", "deadlines",
		    "start when the exchange receives the application");
		return;
	}
	db_holidays(ui->cli->db, cc, hol, 256, &hs.n, NULL);
	memset(&in, 0, sizeof(in));
	in.agreement = &a;
	in.procedure = c->procedure;
	in.requested_country = cc;
	in.holidays = &hs;
	in.received_at = c->received_at;
	in.extension_days = c->extension_days;
	in.decided_at = c->decided_at;
	in.accepted = c->status == RCMS_CS_ACCEPTED ||
		      c->status == RCMS_CS_TRAVEL_DOCUMENT_ISSUED ||
		      c->status == RCMS_CS_TRANSFER_SCHEDULED ||
		      c->status == RCMS_CS_TRANSFERRED;
	if (rcms_deadlines_compute(&in, ui_now(), &d, NULL) != RCMS_OK)
		return;
	if (d.reply_due) {
		rcms_time_format(d.reply_due, t, sizeof(t));
		add(cv, "%-28s %s", "reply due", t);
	}
	if (d.transfer_due) {
		rcms_time_format(d.transfer_due, t, sizeof(t));
		add(cv, "%-28s %s", "transfer due", t);
	}
}

static void build_tab(struct case_view *cv)
{
	struct ui *ui = cv->v.ui;
	const struct rcms_field *f;

	cv->n = 0;
	cv->nidc = 0;
	switch (cv->tab) {
	case TAB_PERSON: {
		struct db_dup_opts o = {.limit = 5};
		struct dup_list d;

		d.n = 0;
		db_duplicates(ui->ctx, cv->c.id, &o, dup_collect, &d, NULL);
		if (d.n)
			add(cv, "! %d possible earlier case%s of this person "
				"(at the end of this tab)", d.n,
			    d.n == 1 ? "" : "s");
		for (f = rcms_case_fields; f->name; f++)
			if ((f->flags & RCMS_FF_PERSONAL) &&
			    !in_list(evidence_fields, f->name))
				add_field(cv, f, &cv->c);
		earlier_cases(cv, &d);
		break;
	}
	case TAB_DOCS:
		db_document_list(ui->ctx, cv->c.id, doc_line, cv, NULL);
		if (!cv->n)
			add(cv, "No documents.");
		break;
	case TAB_EVIDENCE:
		for (f = rcms_case_fields; f->name; f++)
			if (in_list(evidence_fields, f->name))
				add_field(cv, f, &cv->c);
		break;
	case TAB_IDC:
		db_idcheck_list(ui->ctx, cv->c.id, idc_line, cv, NULL);
		if (!cv->n)
			add(cv, "No identity checks.  I asks for one.");
		if (cv->idc_cur >= cv->nidc)
			cv->idc_cur = cv->nidc ? cv->nidc - 1 : 0;
		break;
	case TAB_ATT:
		db_attachment_list(ui->ctx, cv->c.id, att_line, cv, NULL);
		if (!cv->n)
			add(cv, "No attachments.  f attaches a file.");
		break;
	case TAB_DECISION:
		deadlines(cv);
		for (f = rcms_case_fields; f->name; f++)
			if (in_list(decision_fields, f->name))
				add_field(cv, f, &cv->c);
		break;
	case TAB_NOTES:
		db_note_list(ui->ctx, cv->c.id, note_line, cv, NULL);
		if (!cv->n)
			add(cv, "No notes.  N adds one.");
		break;
	case TAB_HISTORY:
		db_audit_list(ui->cli->db, cv->c.id, audit_line, cv, NULL);
		break;
	default:
		break;
	}
	if (cv->top > cv->n)
		cv->top = 0;
}

/* Tab on the justification question: the agency's codes. */
static const struct rcms_justify_list *why_list;

static int complete_why(const char *prefix, char out[][256], int max)
{
	size_t i, len = strlen(prefix);
	int n = 0;

	for (i = 0; why_list && i < why_list->n && n < max; i++)
		if (strncmp(why_list->items[i].code, prefix, len) == 0)
			snprintf(out[n++], 256, "%s", why_list->items[i].code);
	return n;
}

/* Ask why the case is consulted; bad: the code refused before, or NULL. */
static unsigned ask_why(struct case_view *cv, const char *bad)
{
	char label[128];

	why_list = &cv->v.ui->cli->conf.justify;
	cv->asking_why = true;
	if (bad)
		snprintf(label, sizeof(label), "'%.30s' is not in the list; "
			 "why do you consult this case? (Tab)", bad);
	else
		snprintf(label, sizeof(label), "Why do you consult this case? "
			 "(Tab: the codes)");
	return ui_ask_text(cv->v.ui, &cv->v, UI_REQ_ENTER, label, "",
			   complete_why);
}

static int open_case(struct view *v)
{
	struct case_view *cv = of(v);
	struct ui *ui = v->ui;
	struct rcms_err err;
	enum rcms_status st;

	rcms_err_clear(&err);
	if (db_case_get(ui->ctx, cv->ref, &cv->c, &err) != RCMS_OK) {
		ui_fail(ui, &err);
		return err.status ? (int)err.status : 1;
	}
	if (!cv->viewed) {
		/* a consultation, with its justification (rcms ui --why or
		 * asked once a session): the role may refuse it first
		 * (app/perm.h) */
		if (!ui->cli->why[0] &&
		    rcms_perm_allows(RCMS_PERM_CASE_READ, ui->ctx->user.role)) {
			/* a reload (a sync) keeps what is being typed */
			if (!(ui->ask.active && ui->ask.to == v))
				ask_why(cv, NULL);
			return 0;
		}
		st = db_case_viewed(ui->ctx, &cv->c, &ui->cli->conf.justify,
				    ui->cli->why, "workstation", &err);
		if (st == RCMS_ERR_PERMISSION || st == RCMS_ERR_INVALID) {
			ui_fail(ui, &err);
			return (int)err.status;
		}
		cv->viewed = true;
		cv->asking_why = false;
	}
	snprintf(v->title, sizeof(v->title), "Case %s",
		 cv->c.final_ref[0] ? cv->c.final_ref : cv->c.local_ref);
	build_tab(cv);
	return 0;
}

static void draw(struct view *v, int top, int rows, int cols)
{
	struct case_view *cv = of(v);
	const struct rcms_case *c = &cv->c;
	char line[1200];
	int i, x = 0, body;

	if (!cv->viewed) {
		/* nothing of the person before the justification */
		const struct rcms_justify_list *l = &v->ui->cli->conf.justify;
		ui_put(top, 0, "Every consultation of a case records why "
		       "(the agency's list):", cols, false);
		for (i = 0; (size_t)i < l->n && i + 2 < rows; i++) {
			snprintf(line, sizeof(line), "  %-16s %s",
				 l->items[i].code, l->items[i].label);
			ui_put(top + 2 + i, 0, line, cols, false);
		}
		return;
	}
	snprintf(line, sizeof(line), "%s, %s  %s  born %d  %s -> %s",
		 c->person.surnames, c->person.given_names,
		 c->person.nationality, c->person.birth_date.year,
		 c->requesting_agency,
		 c->requested_agency[0] ? c->requested_agency : "?");
	attron(A_BOLD);
	ui_put(top, 0, line, cols, false);
	attroff(A_BOLD);
	snprintf(line, sizeof(line), "status: ");
	ui_put(top + 1, 0, line, 8, false);
	attron(A_BOLD | COLOR_PAIR(ui_status_pair(c->status)));
	ui_put(top + 1, 8, rcms_enum_label(rcms_case_status_names,
					   (int)c->status), 30, false);
	attroff(A_BOLD | COLOR_PAIR(ui_status_pair(c->status)));
	{
		/* the steps a person may take (not the exchange's own) */
		const struct rcms_transition *t;
		size_t u = (size_t)snprintf(line, sizeof(line), "steps:");
		bool any = false;
		unsigned side = 0;
		if (strcmp(v->ui->ctx->user.agency, c->requesting_agency) == 0)
			side |= RCMS_SIDE_REQUESTING;
		if (strcmp(v->ui->ctx->user.agency, c->requested_agency) == 0)
			side |= RCMS_SIDE_REQUESTED;
		for (t = rcms_transitions; t->action && u < sizeof(line);
		     t++)
			if (t->from == c->status && (t->sides & side) &&
			    (t->roles & (unsigned)v->ui->ctx->user.role)) {
				u += (size_t)snprintf(line + u,
						      sizeof(line) - u,
						      "%s %s", any ? "," : "",
						      t->action);
				any = true;
			}
		if (!any)
			snprintf(line, sizeof(line), "steps: none");
		ui_put(top + 1, 32, line, cols - 32, false);
	}
	/* the tabs, the current one in reverse */
	move(top + 2, 0);
	for (i = 0; i < TAB__COUNT; i++) {
		const char *name = cols >= 110 ? tab_names[i] : tab_short[i];
		int w = (int)strlen(name) + 2;
		if (x + w > cols)
			break;
		if (i == (int)cv->tab)
			attron(A_REVERSE);
		snprintf(line, sizeof(line), "%s%s%s",
			 i == (int)cv->tab ? "[" : " ", name,
			 i == (int)cv->tab ? "]" : " ");
		ui_put(top + 2, x, line, w, false);
		if (i == (int)cv->tab)
			attroff(A_REVERSE);
		x += w;
	}
	body = rows - 4;
	cv->rows = body;
	for (i = 0; i < body && cv->top + i < cv->n; i++) {
		int li = cv->top + i, k;
		bool sel = false;
		if (cv->tab == TAB_IDC)
			for (k = 0; k < cv->nidc; k++)
				if (cv->idc_line[k] == li && k == cv->idc_cur)
					sel = true;
		if (sel)
			attron(A_REVERSE);
		ui_put(top + 4 + i, 0, cv->lines[li], cols, sel);
		if (sel)
			attroff(A_REVERSE);
	}
}

/* ---- steps ------------------------------------------------------------------ */

static const struct {
	enum ui_request req;
	const char *action;
	const char *verb;
} steps[] = {
	{UI_REQ_SUBMIT, "submit", "Send %s for approval"},
	{UI_REQ_APPROVE, "approve", "Approve %s and send it to the "
				    "requested agency"},
	{UI_REQ_RETURN, "return", "Return %s to its officer"},
	{UI_REQ_WITHDRAW, "withdraw", "Withdraw %s"},
	{UI_REQ_ACCEPT, "accept", "Accept %s"},
	{UI_REQ_REJECT, "reject", "Reject %s"},
	{UI_REQ_EXTEND, "extend", "Ask for more time on %s"},
	{UI_REQ_ISSUE, "issue", "Record the travel document of %s"},
	{UI_REQ_SCHEDULE, "schedule", "Schedule the transfer of %s"},
	{UI_REQ_TRANSFER, "transfer", "Record that %s was transferred"},
	{UI_REQ_CLOSE, "close", "Close %s"},
};

static unsigned step(struct case_view *cv, size_t si, const char *arg)
{
	struct ui *ui = cv->v.ui;
	const char *action = steps[si].action;
	const struct rcms_transition *t;
	struct rcms_transition_args args;
	struct rcms_actor actor;
	struct rcms_err err;
	enum ui_request req = steps[si].req;
	const char *ref = cv->c.local_ref;
	unsigned need;
	int k, collected;

	rcms_err_clear(&err);
	if (ui->confirmed) {
		memset(&args, 0, sizeof(args));
		args.reason = cv->reason[0] ? cv->reason : NULL;
		args.days = cv->days;
		args.travel_doc = cv->travel_doc[0] ? cv->travel_doc : NULL;
		args.transfer_date = cv->date;
		ui->ctx->now = ui_now();
		if (db_case_transition(ui->ctx, ref, action, &args, &cv->c,
				       &err)) {
			cv->retry_step = req;
			return ui_fail(ui, &err);
		}
		cv->retry_step = UI_REQ_NONE;
		ui_say(ui, "%s: %s.", ref,
		       rcms_enum_label(rcms_case_status_names,
				       (int)cv->c.status));
		return UI_RELOAD;
	}
	if (!arg && cv->retry_step == req) {
		/* it failed a moment ago: what was given still holds */
		char q[200];
		snprintf(q, sizeof(q), steps[si].verb, ref);
		return ui_ask_confirm(ui, &cv->v, req, NULL,
				      "%s (again)? This cannot be undone.", q);
	}
	cv->retry_step = UI_REQ_NONE;
	if (!arg) {
		/* may this user take this step at all?  (before asking) */
		memset(&actor, 0, sizeof(actor));
		actor.side = strcmp(ui->ctx->user.agency,
				    cv->c.requesting_agency) == 0
				     ? RCMS_SIDE_REQUESTING
				     : RCMS_SIDE_REQUESTED;
		actor.role = ui->ctx->user.role;
		actor.user = ui->ctx->user.username;
		if (rcms_transition_check(&cv->c, action, &actor, NULL, &t,
					  &err) && !err.field[0])
			return ui_fail(ui, &err);
		cv->stage = 0;
		cv->reason[0] = cv->travel_doc[0] = '\0';
		cv->days = 0;
		memset(&cv->date, 0, sizeof(cv->date));
	}
	t = rcms_transition_find(cv->c.status, action);
	need = t ? t->requires : 0;
	/* the answer to the last question */
	collected = 0;
	for (k = 0; k < 4; k++) {
		unsigned bit = k == 0 ? RCMS_REQ_DAYS : k == 1
			? RCMS_REQ_REASON : k == 2 ? RCMS_REQ_TRAVEL_DOC
			: RCMS_REQ_TRANSFER_DATE;
		if (!(need & bit))
			continue;
		if (collected++ < cv->stage)
			continue;
		if (arg) {
			if (bit == RCMS_REQ_DAYS) {
				char *end = NULL;
				long d = strtol(arg, &end, 10);
				if (!end || *end || d < 1 || d > 366) {
					ui_error(ui, "give the days as a "
						 "number, 1 to 366");
					return ui_ask_text(ui, &cv->v, req,
						"Extra days:", arg, NULL);
				}
				cv->days = (int)d;
			} else if (bit == RCMS_REQ_REASON) {
				if (rcms_text_check(arg, RCMS_TEXT_LEN - 1,
						    RCMS_TEXT_NONEMPTY,
						    "reason", &err)) {
					ui_fail(ui, &err);
					return ui_ask_text(ui, &cv->v, req,
						"Reason:", arg, NULL);
				}
				snprintf(cv->reason, sizeof(cv->reason), "%s",
					 arg);
			} else if (bit == RCMS_REQ_TRAVEL_DOC) {
				snprintf(cv->travel_doc,
					 sizeof(cv->travel_doc), "%s", arg);
			} else if (rcms_pdate_parse(arg, "transfer date",
						    &cv->date, &err) ||
				   !rcms_pdate_is_full(&cv->date)) {
				if (!err.msg[0])
					rcms_err_set(&err, RCMS_ERR_INVALID,
						     NULL, "the transfer date "
						     "needs a day: "
						     "YYYY-MM-DD");
				ui_fail(ui, &err);
				return ui_ask_text(ui, &cv->v, req,
						   "Transfer date (YYYY-MM-DD):",
						   arg, NULL);
			}
			cv->stage++;
			arg = NULL;
			continue;
		}
		return ui_ask_text(ui, &cv->v, req,
				   bit == RCMS_REQ_DAYS ? "Extra days:"
				   : bit == RCMS_REQ_REASON ? "Reason:"
				   : bit == RCMS_REQ_TRAVEL_DOC
				   ? "Travel document number:"
				   : "Transfer date (YYYY-MM-DD):", "", NULL);
	}
	{
		char q[200];
		snprintf(q, sizeof(q), steps[si].verb, ref);
		return ui_ask_confirm(ui, &cv->v, req, NULL,
				      "%s? This cannot be undone.", q);
	}
}

/* ---- notes, attachments, identity checks ---------------------------------- */

static int complete_kind(const char *prefix, char out[][256], int max)
{
	int i, n = 0;
	size_t len = strlen(prefix);

	for (i = 0; rcms_idcheck_kind_names[i].name && n < max; i++)
		if (strncmp(rcms_idcheck_kind_names[i].name, prefix, len) == 0)
			snprintf(out[n++], 256, "%s",
				 rcms_idcheck_kind_names[i].name);
	return n;
}

static int complete_answer(const char *prefix, char out[][256], int max)
{
	int i, n = 0;
	size_t len = strlen(prefix);

	for (i = 1; rcms_idcheck_answer_names[i].name && n < max; i++)
		if (strncmp(rcms_idcheck_answer_names[i].name, prefix, len) ==
		    0)
			snprintf(out[n++], 256, "%s",
				 rcms_idcheck_answer_names[i].name);
	return n;
}

/* An action failed: keep what was typed for the next time it is asked. */
static unsigned keep(struct case_view *cv, enum ui_request req,
		     const char *text, const struct rcms_err *err)
{
	cv->keep_req = req;
	snprintf(cv->keep, sizeof(cv->keep), "%s", text);
	if (err->status == RCMS_ERR_TEMP)
		/* the message says to try again; first that nothing is lost */
		ui_error(cv->v.ui, "What you typed is kept: %s",
			 rcms_err_msg(err));
	else
		ui_fail(cv->v.ui, err);
	return UI_REDRAW;
}

static const char *kept(const struct case_view *cv, enum ui_request req)
{
	return cv->keep_req == req ? cv->keep : "";
}

static unsigned actions(struct case_view *cv, enum ui_request req,
			const char *arg)
{
	struct ui *ui = cv->v.ui;
	struct rcms_err err;
	const char *ref = cv->c.local_ref;

	rcms_err_clear(&err);
	ui->ctx->now = ui_now();
	switch (req) {
	case UI_REQ_NOTE:
		if (!arg)
			return ui_ask_text(ui, &cv->v, req, "Note:",
					   kept(cv, req), NULL);
		{
			struct rcms_note nt;
			if (db_note_add(ui->ctx, ref, arg, &nt, &err))
				return keep(cv, req, arg, &err);
		}
		cv->keep_req = UI_REQ_NONE;
		cv->tab = TAB_NOTES;
		ui_say(ui, "The note was added.");
		return UI_RELOAD;
	case UI_REQ_ATTACH:
		if (!arg)
			return ui_ask_text(ui, &cv->v, req, "Attach the file:",
					   kept(cv, req), ui_complete_path);
		{
			struct rcms_attachment a;
			if (db_attach(ui->ctx, ref, arg, RCMS_ATT_SCAN,
				      ui->cli->conf.attachment_max_mb *
					      1024 * 1024, &a, &err))
				return keep(cv, req, arg, &err);
			cv->keep_req = UI_REQ_NONE;
			ui_say(ui, "%s is attached (%lld bytes).", a.filename,
			       (long long)a.size);
		}
		cv->tab = TAB_ATT;
		return UI_RELOAD;
	case UI_REQ_IDCHECK:
		if (!arg) {
			cv->stage = 0;
			return ui_ask_text(ui, &cv->v, req,
					   "Check (identity, nationality, "
					   "document):", "", complete_kind);
		}
		if (cv->stage == 0) {
			if (rcms_enum_parse(rcms_idcheck_kind_names, arg,
					    &cv->kind)) {
				ui_error(ui, "identity, nationality or "
					 "document; Tab completes");
				return ui_ask_text(ui, &cv->v, req,
						   "Check (identity, "
						   "nationality, document):",
						   arg, complete_kind);
			}
			cv->stage = 1;
			return ui_ask_text(ui, &cv->v, req, "Question:",
					   kept(cv, req), NULL);
		}
		{
			struct rcms_idcheck q;
			if (db_idcheck_request(ui->ctx, ref,
					       (enum rcms_idcheck_kind)cv->kind,
					       arg, &q, &err))
				return keep(cv, req, arg, &err);
		}
		cv->keep_req = UI_REQ_NONE;
		cv->tab = TAB_IDC;
		ui_say(ui, "The identity check was asked.");
		return UI_RELOAD;
	case UI_REQ_ANSWER:
		if (cv->tab != TAB_IDC || cv->nidc == 0 ||
		    !cv->idc_pending[cv->idc_cur]) {
			ui_error(ui, "choose a check waiting for its answer "
				 "on the Identity checks tab");
			cv->tab = TAB_IDC;
			return UI_RELOAD;
		}
		if (!arg) {
			cv->stage = 0;
			return ui_ask_text(ui, &cv->v, req,
					   "Answer (confirmed, not_confirmed, "
					   "interview_required):", "",
					   complete_answer);
		}
		if (cv->stage == 0) {
			if (rcms_enum_parse(rcms_idcheck_answer_names, arg,
					    &cv->kind) || cv->kind == 0) {
				ui_error(ui, "confirmed, not_confirmed or "
					 "interview_required; Tab completes");
				return UI_REDRAW;
			}
			cv->stage = 1;
			return ui_ask_text(ui, &cv->v, req,
					   cv->kind == RCMS_IDA_CONFIRMED
					   ? "Remarks (may stay empty):"
					   : "Why (needed):", kept(cv, req), NULL);
		}
		if (!ui->confirmed) {
			snprintf(cv->reason, sizeof(cv->reason), "%s", arg);
			return ui_ask_confirm(ui, &cv->v, req, arg,
					      "Answer the check '%s'? An "
					      "answer is final.",
					      rcms_enum_label(
						      rcms_idcheck_answer_names,
						      cv->kind));
		}
		if (db_idcheck_answer(ui->ctx, ref, cv->idc_id[cv->idc_cur],
				      (enum rcms_idcheck_answer)cv->kind,
				      cv->reason, &err))
			return keep(cv, req, cv->reason, &err);
		cv->keep_req = UI_REQ_NONE;
		ui_say(ui, "The answer was recorded.");
		return UI_RELOAD;
	default:
		return UI_PASS;
	}
}

static unsigned handle(struct view *v, enum ui_request req, const char *arg)
{
	struct case_view *cv = of(v);
	size_t i;
	int page = cv->rows > 1 ? cv->rows - 1 : 1;

	if (!cv->viewed) {
		/* the justification's answer comes as Enter with its text;
		 * Enter alone asks again; only the generic requests (back,
		 * quit, help ...) are taken meanwhile */
		if (req != UI_REQ_ENTER)
			return UI_PASS;
		if (!arg)
			return ask_why(cv, NULL);
		if (!rcms_justify_find(&v->ui->cli->conf.justify, arg))
			return ask_why(cv, arg);
		/* remembered for the session */
		snprintf(v->ui->cli->why, sizeof(v->ui->cli->why), "%s", arg);
		if (open_case(v) != 0)
			return UI_CLOSE;
		ui_say(v->ui, "Consulting cases for: %s.",
		       rcms_justify_find(&v->ui->cli->conf.justify, arg)->label);
		if (cv->answer_after)
			return ui_case_view_answer(v) | UI_REDRAW;
		return UI_REDRAW;
	}
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (steps[i].req == req)
			return step(cv, i, arg);
	switch (req) {
	case UI_REQ_NEXT_TAB:
		cv->tab = (enum tab)((cv->tab + 1) % TAB__COUNT);
		cv->top = 0;
		build_tab(cv);
		return UI_REDRAW;
	case UI_REQ_PREV_TAB:
		cv->tab = (enum tab)((cv->tab + TAB__COUNT - 1) % TAB__COUNT);
		cv->top = 0;
		build_tab(cv);
		return UI_REDRAW;
	case UI_REQ_UP:
		if (cv->tab == TAB_IDC && cv->idc_cur > 0)
			cv->idc_cur--;
		else if (cv->top > 0)
			cv->top--;
		return UI_REDRAW;
	case UI_REQ_DOWN:
		if (cv->tab == TAB_IDC && cv->idc_cur < cv->nidc - 1)
			cv->idc_cur++;
		else if (cv->top < cv->n - 1)
			cv->top++;
		return UI_REDRAW;
	case UI_REQ_PAGE_DOWN:
		if (cv->top + page < cv->n)
			cv->top += page;
		return UI_REDRAW;
	case UI_REQ_PAGE_UP:
		cv->top = cv->top > page ? cv->top - page : 0;
		return UI_REDRAW;
	case UI_REQ_FIRST:
		cv->top = 0;
		return UI_REDRAW;
	case UI_REQ_LAST:
		cv->top = cv->n > page ? cv->n - page : 0;
		return UI_REDRAW;
	case UI_REQ_EDIT:
		ui_push(v->ui, ui_form_new(v->ui, cv->c.local_ref));
		return UI_REDRAW;
	case UI_REQ_ENTER:
		if (cv->tab == TAB_IDC)
			return actions(cv, UI_REQ_ANSWER, arg);
		return UI_NOTHING;
	default:
		return actions(cv, req, arg);
	}
}

static void close_view(struct view *v)
{
	struct case_view *cv = of(v);

	free(cv->lines);
	free(cv);
}

static const struct view_ops case_ops = {
	.name = "case",
	.keymap = &ui_keymap_case,
	.open = open_case,
	.draw = draw,
	.handle = handle,
	.close = close_view,
};

unsigned ui_case_view_answer(struct view *v)
{
	struct case_view *cv = of(v);
	int i;

	if (!cv->viewed) {
		/* asked once the justification is given */
		cv->answer_after = true;
		return UI_REDRAW;
	}
	cv->tab = TAB_IDC;
	build_tab(cv);
	for (i = 0; i < cv->nidc; i++)
		if (cv->idc_pending[i]) {
			cv->idc_cur = i;
			break;
		}
	return actions(cv, UI_REQ_ANSWER, NULL);
}

struct view *ui_case_view_new(struct ui *ui, const char *ref)
{
	struct case_view *cv = calloc(1, sizeof(*cv));

	if (!cv)
		return NULL;
	cv->lines = calloc(MAX_LINES, sizeof(*cv->lines));
	if (!cv->lines) {
		free(cv);
		return NULL;
	}
	cv->v.ops = &case_ops;
	cv->v.ui = ui;
	snprintf(cv->ref, sizeof(cv->ref), "%s", ref);
	snprintf(cv->v.title, sizeof(cv->v.title), "Case %s", ref);
	return &cv->v;
}
