/* workload.c - per officer: the cases opened in a period and where they
 * stand, and the applications approved (supervisors). */
#include "reports/report_priv.h"

#include <stdio.h>
#include <string.h>

static const struct rw_col cols[] = {
	{"Officer", "username", 10, 14, 1.6, false},
	{"Name", "full_name", 18, 30, 3.0, false},
	{"Opened", "opened", 6, 8, 1, true},
	{"Prep.", "preparing", 6, 10, 1, true},
	{"Open", "open", 6, 10, 1, true},
	{"Sent", "sent", 6, 10, 1, true},
	{"Decided", "decided", 7, 10, 1, true},
	{"Done", "closed_or_withdrawn", 5, 10, 1, true},
	{"Approved", "approved", 8, 10, 1.1, true},
};
#define NCOLS ((int)(sizeof(cols) / sizeof(cols[0])))

struct state {
	struct report_run *r;
	struct db_workload_row all;
};

static void row(struct state *s, const struct db_workload_row *w,
		unsigned flags)
{
	char n[7][24];
	const char *cells[NCOLS];

	cells[0] = w->username;
	cells[1] = w->full_name;
	cells[2] = report_int(w->opened, n[0], sizeof(n[0]));
	cells[3] = report_int(w->preparing, n[1], sizeof(n[1]));
	cells[4] = report_int(w->open, n[2], sizeof(n[2]));
	cells[5] = report_int(w->sent, n[3], sizeof(n[3]));
	cells[6] = report_int(w->decided, n[4], sizeof(n[4]));
	cells[7] = report_int(w->done, n[5], sizeof(n[5]));
	cells[8] = report_int(w->approved, n[6], sizeof(n[6]));
	rw_row(s->r->w, cells, flags);
}

static int on_row(const struct db_workload_row *w, void *arg)
{
	struct state *s = arg;

	row(s, w, 0);
	s->all.opened += w->opened;
	s->all.preparing += w->preparing;
	s->all.open += w->open;
	s->all.sent += w->sent;
	s->all.decided += w->decided;
	s->all.done += w->done;
	s->all.approved += w->approved;
	return 0;
}

enum rcms_status report_workload(struct report_run *r)
{
	struct state s;
	enum rcms_status st;

	memset(&s, 0, sizeof(s));
	s.r = r;
	snprintf(s.all.username, sizeof(s.all.username), "All");
	rw_table_begin(r->w, cols, NCOLS, true);
	st = db_report_workload(r->ctx, &r->f, on_row, &s, r->err);
	if (st == RCMS_OK && r->w->fmt != REPORT_CSV)
		row(&s, &s.all, RW_TOTAL);
	rw_table_end(r->w);
	if (st)
		return st;
	rw_para(r->w, "Opened: cases the officer opened in the period; of "
		      "those, Prep.: draft or awaiting approval, Open: with "
		      "the exchange and not closed, Sent: approved and sent, "
		      "Decided: the requested agency decided, Done: closed "
		      "or withdrawn.  Approved: applications the officer "
		      "approved in the period (supervisors).");
	r->cases = s.all.opened;
	return RCMS_OK;
}
