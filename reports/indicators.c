/* indicators.c - the project's indicators for applications approved in a
 * period, per requested country: how many were exchanged electronically
 * (received by the exchange), the average time from receipt to decision,
 * and the share answered within the reply deadline. */
#include "reports/report_priv.h"

#include <stdio.h>
#include <string.h>

static const struct rw_col cols[] = {
	{"Country", "requested_country", 16, 30, 3.0, false},
	{"Sent", "sent", 6, 10, 1, true},
	{"Exch.", "exchanged", 6, 12, 1, true},
	{"Exch. %", "exchanged_percent", 7, 10, 1, true},
	{"Decided", "decided", 7, 10, 1, true},
	{"Avg days", "average_days_to_decision", 8, 12, 1.1, true},
	{"In time", "answered_in_time", 7, 10, 1, true},
	{"In time %", "answered_in_time_percent", 9, 12, 1.1, true},
	{"Deemed", "deemed_accepted", 6, 10, 1, true},
};
#define NCOLS ((int)(sizeof(cols) / sizeof(cols[0])))

struct state {
	struct report_run *r;
	struct db_indicator_row all;
};

static const char *pct(int64_t part, int64_t whole, char *buf, size_t size)
{
	if (whole > 0)
		snprintf(buf, size, "%.0f",
			 100.0 * (double)part / (double)whole);
	else
		snprintf(buf, size, "%s", "");
	return buf;
}

static void row(struct state *s, const struct db_indicator_row *x,
		const char *label, unsigned flags)
{
	char n[8][24];
	const char *cells[NCOLS];

	cells[0] = label;
	cells[1] = report_int(x->sent, n[0], sizeof(n[0]));
	cells[2] = report_int(x->exchanged, n[1], sizeof(n[1]));
	cells[3] = pct(x->exchanged, x->sent, n[2], sizeof(n[2]));
	cells[4] = report_int(x->decided, n[3], sizeof(n[3]));
	if (x->decided > 0)
		snprintf(n[4], sizeof(n[4]), "%.1f",
			 x->decide_seconds / (double)x->decided / 86400.0);
	else
		n[4][0] = '\0';
	cells[5] = n[4];
	cells[6] = report_int(x->in_time, n[5], sizeof(n[5]));
	/* of the decided and the deemed: silence is not an answer in time */
	cells[7] = pct(x->in_time, x->decided + x->deemed, n[6], sizeof(n[6]));
	cells[8] = report_int(x->deemed, n[7], sizeof(n[7]));
	rw_row(s->r->w, cells, flags);
}

static int on_row(const struct db_indicator_row *x, void *arg)
{
	struct state *s = arg;
	char label[64];

	if (s->r->w->fmt == REPORT_CSV)
		snprintf(label, sizeof(label), "%s", x->country);
	else
		snprintf(label, sizeof(label), "%s %s", x->country,
			 report_country(x->country));
	row(s, x, label, 0);
	s->all.sent += x->sent;
	s->all.exchanged += x->exchanged;
	s->all.decided += x->decided;
	s->all.decide_seconds += x->decide_seconds;
	s->all.in_time += x->in_time;
	s->all.deemed += x->deemed;
	return 0;
}

enum rcms_status report_indicators(struct report_run *r)
{
	struct state s;
	enum rcms_status st;

	memset(&s, 0, sizeof(s));
	s.r = r;
	rw_table_begin(r->w, cols, NCOLS, true);
	st = db_report_indicators(r->ctx, &r->f, on_row, &s, r->err);
	if (st == RCMS_OK && r->w->fmt != REPORT_CSV)
		row(&s, &s.all, "All countries", RW_TOTAL);
	rw_table_end(r->w);
	if (st)
		return st;
	rw_para(r->w, "Sent: applications approved in the period.  Exch.: "
		      "received by the exchange (sent electronically).  Avg "
		      "days: from the exchange's receipt to the decision.  In "
		      "time: decided before the reply deadline; In time % is "
		      "of the decided and the deemed accepted (silence is no "
		      "answer in time).");
	r->cases = s.all.sent;
	return RCMS_OK;
}
