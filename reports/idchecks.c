/* idchecks.c - identity checks asked in a period: per requested agency,
 * how many were answered and how, and the turnaround (median and 90th
 * percentile, in days); then the checks still waiting for an answer. */
#include "reports/report_priv.h"

#include <stdio.h>
#include <string.h>

static const struct rw_col stat_cols[] = {
	{"Requested agency", "requested_agency", 16, 24, 2.2, false},
	{"Asked", "asked", 5, 8, 1, true},
	{"Answ.", "answered", 5, 8, 1, true},
	{"Pend.", "pending", 5, 8, 1, true},
	{"Conf.", "confirmed", 5, 10, 1, true},
	{"Not c.", "not_confirmed", 6, 14, 1, true},
	{"Interv.", "interview_required", 7, 10, 1, true},
	{"Median d", "median_days", 8, 12, 1.2, true},
	{"90th pct d", "p90_days", 10, 12, 1.3, true},
};
#define NSTAT ((int)(sizeof(stat_cols) / sizeof(stat_cols[0])))

/* PDF widths in points (511 across), as in deadlines.c: a reference, an
 * agency, the kind of check ("document authenticity", 85 points) and a
 * date whole; the name takes the rest. */
static const struct rw_col pend_cols[] = {
	{"Reference", "reference", 22, 22, 107, false},
	{"Name", "name", 20, 40, 189, false},
	{"Asked of", "requested_agency", 8, 10, 45, false},
	{"Check", "kind", 11, 12, 92, false},
	{"Asked on", "asked_on", 10, 16, 48, false},
	{"Days", "days_waiting", 4, 6, 30, true},
};
#define NPEND ((int)(sizeof(pend_cols) / sizeof(pend_cols[0])))

struct state {
	struct report_run *r;
	struct db_idcheck_stat all;
	int64_t pending_listed;
};

static const char *days(double seconds, bool have, char *buf, size_t size)
{
	if (!have)
		snprintf(buf, size, "%s", "");
	else
		snprintf(buf, size, "%.1f", seconds / 86400.0);
	return buf;
}

static void stat_row(struct state *s, const struct db_idcheck_stat *x,
		     const char *label, unsigned flags)
{
	char n[8][24];
	const char *cells[NSTAT];

	cells[0] = label;
	cells[1] = report_int(x->asked, n[0], sizeof(n[0]));
	cells[2] = report_int(x->answered, n[1], sizeof(n[1]));
	cells[3] = report_int(x->pending, n[2], sizeof(n[2]));
	cells[4] = report_int(x->confirmed, n[3], sizeof(n[3]));
	cells[5] = report_int(x->not_confirmed, n[4], sizeof(n[4]));
	cells[6] = report_int(x->interview, n[5], sizeof(n[5]));
	cells[7] = days(x->median_s, x->has_turnaround, n[6], sizeof(n[6]));
	cells[8] = days((double)x->p90_s, x->has_turnaround, n[7],
			sizeof(n[7]));
	rw_row(s->r->w, cells, flags);
}

static int on_stat(const struct db_idcheck_stat *x, void *arg)
{
	struct state *s = arg;

	stat_row(s, x, x->agency, 0);
	s->all.asked += x->asked;
	s->all.answered += x->answered;
	s->all.pending += x->pending;
	s->all.confirmed += x->confirmed;
	s->all.not_confirmed += x->not_confirmed;
	s->all.interview += x->interview;
	return 0;
}

static int on_pending(const struct db_idcheck_pending *q, void *arg)
{
	struct state *s = arg;
	struct report_run *r = s->r;
	char name[3 * RCMS_NAME_LEN + 8], when[24], d[16];
	const char *cells[NPEND];
	int64_t waited = r->now - q->asked_at;

	cells[0] = report_ref(q->final_ref, q->local_ref);
	cells[1] = report_name(q->surnames, q->given_names, q->name_native,
			       name, sizeof(name));
	cells[2] = q->requested_agency;
	cells[3] = rcms_enum_label(rcms_idcheck_kind_names, (int)q->kind);
	cells[4] = r->width >= 132 && r->w->fmt == REPORT_TEXT
			   ? report_datetime(q->asked_at, when, sizeof(when))
			   : report_date(q->asked_at, when, sizeof(when));
	snprintf(d, sizeof(d), "%lld",
		 (long long)(waited > 0 ? waited / 86400 : 0));
	cells[5] = d;
	rw_row(r->w, cells, 0);
	s->pending_listed++;
	return 0;
}

enum rcms_status report_idchecks(struct report_run *r)
{
	struct state s;
	enum rcms_status st;

	memset(&s, 0, sizeof(s));
	s.r = r;
	rw_heading(r->w, "Turnaround per requested agency");
	rw_table_begin(r->w, stat_cols, NSTAT, true);
	st = db_report_idcheck_stats(r->ctx, &r->f, on_stat, &s, r->err);
	if (st == RCMS_OK && r->w->fmt != REPORT_CSV)
		stat_row(&s, &s.all, "All agencies", RW_TOTAL);
	rw_table_end(r->w);
	if (st)
		return st;
	rw_para(r->w, "Turnaround: days from the question to the answer of "
		      "the answered checks; the median, and the 90th "
		      "percentile (nine in ten were answered within it).");
	rw_heading(r->w, "Checks waiting for an answer");
	rw_table_begin(r->w, pend_cols, NPEND, false);
	st = db_report_idcheck_pending(r->ctx, &r->f, on_pending, &s, r->err);
	rw_table_end(r->w);
	r->cases = s.all.asked;
	return st;
}
