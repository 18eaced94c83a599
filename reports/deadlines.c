/* deadlines.c - open cases by deadline: those waiting for the requested
 * agency's reply (by reply deadline) and those (deemed) accepted and not
 * yet transferred (by transfer deadline, app/deadline.h).  Overdue cases
 * come first; a reply deadline passed under an agreement where silence
 * accepts is flagged DEEMED (accepted by law, whether or not the exchange
 * has recorded it yet).  Four streaming passes over the open cases: the
 * overdue replies, the overdue transfers, then those still in time. */
#include "reports/report_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_AGR 32
#define MAX_HOL_COUNTRIES 16
#define MAX_HOL 256

/* PDF widths in points (511 across): a reference, an agency, a status, a
 * date and the flags whole in 8-point Noto Sans (the longest of each, 100,
 * 38, 88, 42 and 32 points, and 6 of padding); the name takes what is
 * left and is cut with an ellipsis when longer. */
static const struct rw_col cols[] = {
	{"Reference", "reference", 22, 22, 107, false},
	{"Name", "name", 18, 34, 110, false},
	{"To", "requested_agency", 6, 8, 45, false},
	{"Status", "status", 0, 22, 94, false},
	{"Deadline", "deadline", 8, 8, 42, false},
	{"Last day", "last_day", 10, 10, 48, false},
	{"Days", "days_left", 4, 6, 26, true},
	{"Flag", "flag", 6, 8, 39, false},
};
#define NCOLS ((int)(sizeof(cols) / sizeof(cols[0])))

struct hol_cache {
	char country[3];
	struct rcms_holiday days[MAX_HOL];
	size_t n;
};

struct state {
	struct report_run *r;
	struct rcms_agreement agr[MAX_AGR];
	int nagr;
	struct hol_cache hol[MAX_HOL_COUNTRIES];
	int nhol;
	bool overdue_pass;   /* this pass shows the overdue cases */
	bool reply_pass;
	int64_t overdue, deemed;
};

static int on_agreement(const struct rcms_agreement *a, void *arg)
{
	struct state *s = arg;

	if (s->nagr < MAX_AGR)
		s->agr[s->nagr++] = *a;
	return 0;
}

static const struct rcms_agreement *agreement(struct state *s,
					      const char *code)
{
	int i;

	for (i = 0; i < s->nagr; i++)
		if (strcmp(s->agr[i].code, code) == 0)
			return &s->agr[i];
	return NULL;
}

static const struct hol_cache *holidays(struct state *s, const char *cc)
{
	int i;

	for (i = 0; i < s->nhol; i++)
		if (strcmp(s->hol[i].country, cc) == 0)
			return &s->hol[i];
	if (s->nhol == MAX_HOL_COUNTRIES)
		return NULL;
	i = s->nhol;
	snprintf(s->hol[i].country, sizeof(s->hol[i].country), "%s", cc);
	s->hol[i].n = 0;
	if (db_holidays(s->r->ctx->db, cc, s->hol[i].days, MAX_HOL,
			&s->hol[i].n, NULL) != RCMS_OK)
		s->hol[i].n = 0;
	s->nhol++;
	return &s->hol[i];
}

static int on_case(const struct db_open_case *c, void *arg)
{
	struct state *s = arg;
	struct report_run *r = s->r;
	const struct rcms_agreement *a = agreement(s, c->agreement);
	char cc[3] = {c->requested_agency[0], c->requested_agency[1], 0};
	char name[3 * RCMS_NAME_LEN + 8], due_s[16], days_s[16];
	const char *flag = "";
	const char *cells[NCOLS];
	int64_t due;
	bool late;

	if (s->reply_pass) {
		due = c->reply_due;
	} else {
		struct rcms_deadline_in in;
		struct rcms_deadlines d;
		const struct hol_cache *h = holidays(s, cc);
		struct rcms_holidays hs = {h ? h->days : NULL, h ? h->n : 0};

		memset(&in, 0, sizeof(in));
		in.agreement = a;
		in.procedure = c->procedure;
		in.requested_country = cc;
		in.holidays = &hs;
		in.received_at = c->received_at;
		in.extension_days = c->extension_days;
		in.decided_at = c->decided_at;
		in.accepted = c->decided_at > 0;
		if (rcms_deadlines_compute(&in, r->now, &d, NULL) != RCMS_OK)
			memset(&d, 0, sizeof(d));
		due = d.transfer_due;
	}
	late = due > 0 && due <= r->now;
	if (late != s->overdue_pass)
		return 0;
	if (s->reply_pass && late)
		flag = a && a->silence_accepts ? "DEEMED" : "LATE";
	else if (late)
		flag = "LATE";
	else if (c->status == RCMS_CS_DEEMED_ACCEPTED)
		flag = "deemed";
	if (late)
		s->overdue++;
	if (strcmp(flag, "DEEMED") == 0 ||
	    c->status == RCMS_CS_DEEMED_ACCEPTED)
		s->deemed++;
	if (due > 0)
		snprintf(days_s, sizeof(days_s), "%d",
			 rcms_days_left(r->now, due));
	else
		days_s[0] = '\0';
	cells[0] = report_ref(c->final_ref, c->local_ref);
	cells[1] = report_name(c->surnames, c->given_names, c->name_native,
			       name, sizeof(name));
	cells[2] = c->requested_agency;
	cells[3] = rcms_enum_label(rcms_case_status_names, (int)c->status);
	cells[4] = s->reply_pass ? "reply" : "transfer";
	/* the deadline instant is 00:00 UTC after the last day */
	cells[5] = due > 0 ? report_date(due - 1, due_s, sizeof(due_s))
			   : "no limit";
	cells[6] = days_s;
	cells[7] = flag;
	rw_row(r->w, cells, 0);
	r->cases++;
	return 0;
}

enum rcms_status report_deadlines(struct report_run *r)
{
	struct state *s = calloc(1, sizeof(*s));
	enum rcms_status st;
	char line[256];
	int pass;

	if (!s)
		return rcms_err_set(r->err, RCMS_ERR_NOMEM, NULL, NULL);
	s->r = r;
	st = db_agreement_list(r->ctx->db, on_agreement, s, r->err);
	if (st)
		goto out;
	rw_table_begin(r->w, cols, NCOLS, true);
	for (pass = 0; pass < 4 && st == RCMS_OK; pass++) {
		s->overdue_pass = pass < 2;
		s->reply_pass = pass % 2 == 0;
		st = db_report_open_cases(r->ctx, &r->f, s->reply_pass,
					  on_case, s, r->err);
	}
	rw_table_end(r->w);
	if (st)
		goto out;
	snprintf(line, sizeof(line),
		 "%lld open case%s, %lld overdue, %lld deemed accepted.  "
		 "Days: whole days left (negative: days overdue).  DEEMED: "
		 "no reply in time where silence accepts; LATE: overdue.",
		 (long long)r->cases, r->cases == 1 ? "" : "s",
		 (long long)s->overdue, (long long)s->deemed);
	rw_para(r->w, line);
out:
	free(s);
	return st;
}
