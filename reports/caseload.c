/* caseload.c - cases opened in a period, by requested country and status,
 * with a bar chart of the cases per country. */
#include "reports/report_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The statuses in the columns: one column for those that go together. */
enum {
	C_PREP,       /* draft, awaiting approval */
	C_PENDING,    /* submitted, extension requested */
	C_ACCEPTED,   /* accepted, travel document issued, transfer scheduled */
	C_DEEMED,
	C_REJECTED,
	C_TRANSFERRED,
	C_CLOSED,
	C_WITHDRAWN,
	C_TOTAL,
	C__COUNT
};

static int column_of(enum rcms_case_status s)
{
	switch (s) {
	case RCMS_CS_DRAFT:
	case RCMS_CS_AWAITING_APPROVAL: return C_PREP;
	case RCMS_CS_SUBMITTED:
	case RCMS_CS_EXTENSION_REQUESTED: return C_PENDING;
	case RCMS_CS_ACCEPTED:
	case RCMS_CS_TRAVEL_DOCUMENT_ISSUED:
	case RCMS_CS_TRANSFER_SCHEDULED: return C_ACCEPTED;
	case RCMS_CS_DEEMED_ACCEPTED: return C_DEEMED;
	case RCMS_CS_REJECTED: return C_REJECTED;
	case RCMS_CS_TRANSFERRED: return C_TRANSFERRED;
	case RCMS_CS_CLOSED: return C_CLOSED;
	case RCMS_CS_WITHDRAWN: return C_WITHDRAWN;
	default: return C_PREP;
	}
}

static const struct rw_col cols[] = {
	{"Requested country", "requested_country", 17, 30, 3.0, false},
	{"Prep.", "preparing", 6, 10, 1, true},
	{"Pend.", "awaiting_reply", 6, 10, 1, true},
	{"Acc.", "accepted", 6, 10, 1, true},
	{"Deemed", "deemed_accepted", 6, 10, 1, true},
	{"Rej.", "rejected", 6, 10, 1, true},
	{"Trans.", "transferred", 6, 10, 1, true},
	{"Closed", "closed", 6, 10, 1, true},
	{"Withd.", "withdrawn", 6, 10, 1, true},
	{"Total", "total", 6, 10, 1, true},
};

struct state {
	struct report_run *r;
	char country[3];
	bool have;
	int64_t n[C__COUNT];
	int64_t all[C__COUNT];
	struct rw_chart chart;
};

static void put_row(struct state *s, const char *label, const int64_t *n,
		    unsigned flags)
{
	char num[C__COUNT][24];
	const char *cells[1 + C__COUNT];
	int i;

	cells[0] = label;
	for (i = 0; i < C__COUNT; i++)
		cells[1 + i] = report_int(n[i], num[i], sizeof(num[i]));
	rw_row(s->r->w, cells, flags);
}

static void flush(struct state *s)
{
	char label[64];
	int i;

	if (!s->have)
		return;
	if (s->r->w->fmt == REPORT_CSV)
		snprintf(label, sizeof(label), "%s", s->country[0] ? s->country
								   : "");
	else if (s->country[0])
		snprintf(label, sizeof(label), "%s %s", s->country,
			 report_country(s->country));
	else
		snprintf(label, sizeof(label), "(not yet chosen)");
	put_row(s, label, s->n, 0);
	rw_chart_add(&s->chart, s->country[0] ? report_country(s->country)
					      : "(not yet chosen)",
		     0, s->n[C_TOTAL]);
	for (i = 0; i < C__COUNT; i++)
		s->all[i] += s->n[i];
	memset(s->n, 0, sizeof(s->n));
	s->have = false;
}

static int on_row(const struct db_caseload_row *row, void *arg)
{
	struct state *s = arg;

	if (s->have && strcmp(s->country, row->country) != 0)
		flush(s);
	snprintf(s->country, sizeof(s->country), "%s", row->country);
	s->have = true;
	s->n[column_of(row->status)] += row->n;
	s->n[C_TOTAL] += row->n;
	s->r->cases += row->n;
	return 0;
}

enum rcms_status report_caseload(struct report_run *r)
{
	struct state *s = calloc(1, sizeof(*s));
	enum rcms_status st;

	if (!s)
		return rcms_err_set(r->err, RCMS_ERR_NOMEM, NULL, NULL);
	s->r = r;
	s->chart.title = "Cases per requested country";
	s->chart.nseries = 1;
	s->chart.series[0] = "cases";
	rw_table_begin(r->w, cols, (int)(sizeof(cols) / sizeof(cols[0])),
		       true);
	st = db_report_caseload(r->ctx, &r->f, on_row, s, r->err);
	if (st == RCMS_OK) {
		flush(s);
		if (r->w->fmt != REPORT_CSV)
			put_row(s, "All countries", s->all, RW_TOTAL);
	}
	rw_table_end(r->w);
	if (st == RCMS_OK) {
		rw_para(r->w, "Prep.: draft or awaiting approval.  Pend.: "
			      "submitted or extension requested (the reply "
			      "is due).  Acc.: accepted, travel document "
			      "issued or transfer scheduled.  Deemed: "
			      "accepted by silence.  Trans.: transferred.  "
			      "Withd.: withdrawn.");
		rw_chart(r->w, &s->chart);
	}
	free(s);
	return st;
}
