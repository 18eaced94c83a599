/* report_priv.h - the insides of reports/: the writers and what a report's
 * body gets.  Not for other layers. */
#ifndef RCMS_REPORTS_REPORT_PRIV_H
#define RCMS_REPORTS_REPORT_PRIV_H

#include "reports/report.h"

/* ---- writers (render_text.c, render_csv.c, render_pdf.c) ---------------- */

/* A table column.  Text widths are terminal cells at 80 and 132 columns
 * (0: the column is left out at that width); pdf is a share of the page's
 * width.  csv names the column in the CSV header row. */
struct rw_col {
	const char *head;
	const char *csv;
	int w80;
	int w132;
	double pdf;
	bool right;
};

/* A bar chart: up to RW_CHART_MAX bars of up to 3 stacked series. */
#define RW_CHART_MAX 48
struct rw_chart {
	const char *title;
	int nseries;
	const char *series[3];          /* legend */
	int n;
	char label[RW_CHART_MAX][32];
	int64_t v[RW_CHART_MAX][3];
};

/* Row flags. */
enum { RW_TOTAL = 1 };

/* What heads every page (PDF) or the report (text). */
struct rw_header {
	char agency[RCMS_AGENCY_LEN + RCMS_LINE_LEN + 8]; /* code and name */
	char title[128];                /* "Caseload" */
	char about[256];                /* what the report shows */
	char subtitle[512];             /* the period and filters */
	char printed[512];              /* "Printed by ... on ..." */
};

struct rw;
struct rw_ops {
	void (*heading)(struct rw *w, const char *text);
	void (*para)(struct rw *w, const char *text);
	void (*kv)(struct rw *w, const char *key, const char *value);
	void (*table_begin)(struct rw *w);
	void (*row)(struct rw *w, const char *const *cells, unsigned flags);
	void (*table_end)(struct rw *w);
	void (*chart)(struct rw *w, const struct rw_chart *c);
	void (*boxes)(struct rw *w, const char *const *labels, int n);
	/* finish the document; RCMS_OK or the first error */
	enum rcms_status (*end)(struct rw *w, struct rcms_err *err);
	void (*free)(struct rw *w);
};

struct rw {
	const struct rw_ops *ops;
	enum report_format fmt;
	FILE *out;                      /* borrowed */
	int width;                      /* text: 80 or 132 */
	const struct rw_header *hdr;    /* borrowed */
	/* the open table */
	const struct rw_col *cols;
	int ncols;
	bool csv_table;                 /* CSV: this table is the output */
	bool csv_done;                  /* CSV: a table was written */
	int64_t rows;                   /* rows of the open table */
	int pages;                      /* PDF: pages so far */
	int total_pages;                /* PDF: known in the second pass */
};

struct rw *rw_text_new(FILE *out, int width, const struct rw_header *hdr);
struct rw *rw_csv_new(FILE *out, const struct rw_header *hdr);
/* A PDF to out, or, out NULL, laid out and thrown away (counting pages);
 * total_pages is written in the footers (0: unknown). */
struct rw *rw_pdf_new(FILE *out, const struct rw_header *hdr,
		      int total_pages, struct rcms_err *err);

void rw_free(struct rw **w);
void rw_heading(struct rw *w, const char *text);
void rw_para(struct rw *w, const char *text);
void rw_kv(struct rw *w, const char *key, const char *value);
/* A table; csv: the table a CSV export holds (one a report). */
void rw_table_begin(struct rw *w, const struct rw_col *cols, int ncols,
		    bool csv);
void rw_row(struct rw *w, const char *const *cells, unsigned flags);
void rw_table_end(struct rw *w);
void rw_chart(struct rw *w, const struct rw_chart *c);
void rw_boxes(struct rw *w, const char *const *labels, int n);

/* Add v to the bar labelled label (a new bar while there is room). */
void rw_chart_add(struct rw_chart *c, const char *label, int series,
		  int64_t v);

/* ---- what a report's body is given (report.c) ---------------------------- */

struct report_run {
	struct db_ctx *ctx;
	const struct report_def *def;
	const struct report_params *p;
	struct db_report_filter f;
	struct rw *w;
	int64_t now;                    /* the report's time */
	int width;                      /* text width (80/132) */
	int64_t cases;                  /* counted by the body */
	char case_id[RCMS_ID_LEN];      /* case reports: for the audit */
	struct rcms_err *err;
};

/* Formatting helpers (report.c). */
/* "2026-03-02" (UTC) or "" for 0. */
const char *report_date(int64_t t, char *buf, size_t size);
/* "2026-03-02 10:00" (UTC) or "" for 0. */
const char *report_datetime(int64_t t, char *buf, size_t size);
const char *report_int(int64_t v, char *buf, size_t size);
/* "SURNAMES, Given names" and the name in its own script when there is
 * one: "SURNAMES, Given names (native)". */
const char *report_name(const char *surnames, const char *given,
			const char *native, char *buf, size_t size);
/* The country's name for an alpha-2 code ("" -> "none"). */
const char *report_country(const char *alpha2);
/* The case's reference: the exchange's when it has one, else the local. */
const char *report_ref(const char *final_ref, const char *local_ref);

/* The bodies (one file each). */
enum rcms_status report_caseload(struct report_run *r);
enum rcms_status report_deadlines(struct report_run *r);
enum rcms_status report_idchecks(struct report_run *r);
enum rcms_status report_outcomes(struct report_run *r);
enum rcms_status report_workload(struct report_run *r);
enum rcms_status report_indicators(struct report_run *r);
enum rcms_status report_casefile(struct report_run *r);
enum rcms_status report_application(struct report_run *r);

#endif
