/* outcomes.c - decisions in a period: accepted, rejected and deemed
 * accepted per month and requested country, a chart per country, and the
 * reasons given for the rejections. */
#include "reports/report_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct rw_col cols[] = {
	{"Month", "month", 7, 8, 1.2, false},
	{"Requested country", "requested_country", 27, 40, 3.5, false},
	{"Accepted", "accepted", 8, 10, 1, true},
	{"Rejected", "rejected", 8, 10, 1, true},
	{"Deemed", "deemed_accepted", 8, 10, 1, true},
	{"Total", "total", 8, 10, 1, true},
	{"Acc. %", "accepted_percent", 8, 12, 1.1, true},
};
#define NCOLS ((int)(sizeof(cols) / sizeof(cols[0])))

static const struct rw_col reason_cols[] = {
	{"Cases", "cases", 6, 6, 0.8, true},
	{"Reason given", "reason", 73, 125, 8, false},
};

struct state {
	struct report_run *r;
	int64_t a, j, d;
	struct rw_chart chart;
	int reasons;
};

static void row(struct state *s, const char *month, const char *country,
		int64_t a, int64_t j, int64_t d, unsigned flags)
{
	char n[5][24];
	const char *cells[NCOLS];
	int64_t t = a + j + d;

	cells[0] = month;
	cells[1] = country;
	cells[2] = report_int(a, n[0], sizeof(n[0]));
	cells[3] = report_int(j, n[1], sizeof(n[1]));
	cells[4] = report_int(d, n[2], sizeof(n[2]));
	cells[5] = report_int(t, n[3], sizeof(n[3]));
	/* accepted, by decision or by silence */
	if (t > 0)
		snprintf(n[4], sizeof(n[4]), "%.0f",
			 100.0 * (double)(a + d) / (double)t);
	else
		n[4][0] = '\0';
	cells[6] = n[4];
	rw_row(s->r->w, cells, flags);
}

static int on_row(const struct db_outcome_row *o, void *arg)
{
	struct state *s = arg;
	char label[64];
	const char *cname = o->country[0] ? report_country(o->country)
					  : "(none)";

	if (s->r->w->fmt == REPORT_CSV)
		snprintf(label, sizeof(label), "%s", o->country);
	else
		snprintf(label, sizeof(label), "%s %s", o->country, cname);
	row(s, o->month, label, o->accepted, o->rejected, o->deemed, 0);
	s->a += o->accepted;
	s->j += o->rejected;
	s->d += o->deemed;
	rw_chart_add(&s->chart, cname, 0, o->accepted);
	rw_chart_add(&s->chart, cname, 1, o->rejected);
	rw_chart_add(&s->chart, cname, 2, o->deemed);
	s->r->cases += o->accepted + o->rejected + o->deemed;
	return 0;
}

static int on_reason(const char *reason, int64_t n, void *arg)
{
	struct state *s = arg;
	char num[24];
	const char *cells[2];

	cells[0] = report_int(n, num, sizeof(num));
	cells[1] = reason[0] ? reason : "(no reason recorded)";
	rw_row(s->r->w, cells, 0);
	s->reasons++;
	return 0;
}

enum rcms_status report_outcomes(struct report_run *r)
{
	struct state *s = calloc(1, sizeof(*s));
	enum rcms_status st;

	if (!s)
		return rcms_err_set(r->err, RCMS_ERR_NOMEM, NULL, NULL);
	s->r = r;
	s->chart.title = "Decisions per requested country";
	s->chart.nseries = 3;
	s->chart.series[0] = "accepted";
	s->chart.series[1] = "rejected";
	s->chart.series[2] = "deemed accepted";
	rw_table_begin(r->w, cols, NCOLS, true);
	st = db_report_outcomes(r->ctx, &r->f, on_row, s, r->err);
	if (st == RCMS_OK && r->w->fmt != REPORT_CSV)
		row(s, "All", "", s->a, s->j, s->d, RW_TOTAL);
	rw_table_end(r->w);
	if (st)
		goto out;
	rw_para(r->w, "Accepted %: accepted by decision or by silence "
		      "(deemed), of all decisions.");
	rw_chart(r->w, &s->chart);
	rw_heading(r->w, "Reasons for rejection");
	rw_table_begin(r->w, reason_cols, 2, false);
	st = db_report_reasons(r->ctx, &r->f, 20, on_reason, s, r->err);
	rw_table_end(r->w);
out:
	free(s);
	return st;
}
