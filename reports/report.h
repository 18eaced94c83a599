/*
 * report.h - the reports for supervisors: the public face of reports/.
 *
 * A report is found by name (report_find) or listed (report_list); it says
 * which parameters it takes (REPORT_P_* bits) and in which formats it can
 * be made.  report_run writes it to a stream (text into a pager, CSV or
 * PDF into a file the caller owns); report_export writes it to a file
 * atomically (a temporary file renamed into place: a failure leaves no
 * partial file); report_print sends the PDF to a CUPS queue.  All three
 * record an audit entry: which report, in which format, where to, how
 * many cases, by whom and when (the acting user and ctx->now).
 *
 * Reports stream: the rows of a report go from SQLite to the output one at
 * a time, so memory does not grow with the number of cases.  A PDF is laid
 * out twice over one database snapshot (the first pass counts the pages
 * for "page x of y").
 *
 *   caseload.c    deadlines.c   idchecks.c    outcomes.c
 *   workload.c    indicators.c  casefile.c    application.c
 *   report.c      the table of reports, running, exporting, printing
 *   render_*.c    the writers: text (80/132 columns), CSV, PDF
 *   cmd_report.c  `rcms report` (the command line's face of this layer)
 *
 * Strings are UTF-8; pointers in parameters are borrowed.
 */
#ifndef RCMS_REPORTS_REPORT_H
#define RCMS_REPORTS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "app/app.h"
#include "db/db.h"

enum report_format {
	REPORT_TEXT,
	REPORT_CSV,
	REPORT_PDF,
	REPORT_FORMAT__COUNT
};
extern const struct rcms_enum_name report_format_names[];

/* The parameters a report takes (bits of struct report_def.params). */
enum report_param {
	REPORT_P_PERIOD = 1,     /* from, to */
	REPORT_P_AGENCY = 2,     /* the requested agency */
	REPORT_P_COUNTRY = 4,    /* the requested country */
	REPORT_P_OFFICER = 8,    /* an officer (user name) */
	REPORT_P_CASE = 16       /* one case, by reference (required) */
};

struct report_params {
	int64_t from;            /* UTC seconds, inclusive; 0: the beginning */
	int64_t to;              /* UTC seconds, exclusive; 0: now */
	const char *agency;      /* NULL or "": any */
	const char *country;     /* alpha-2; NULL or "": any */
	const char *officer;     /* NULL or "": any */
	const char *case_ref;    /* REPORT_P_CASE */
	/* REPORT_P_CASE: why the case's file is made, a justification's
	 * code (app/justify.h), recorded first in the audit entry; NULL
	 * none */
	const char *why;
	int width;               /* text: 80 or 132 (0: 80) */
	/* the time the report is made as of (deadlines, "printed on");
	 * 0: ctx->now.  See report_now_from_env. */
	int64_t now;
};

struct report_run;

struct report_def {
	const char *name;        /* "caseload" */
	const char *title;       /* "Caseload" */
	const char *help;        /* one line */
	unsigned params;         /* enum report_param bits */
	unsigned formats;        /* 1 << enum report_format */
	/* what the period applies to, for the header ("opened") */
	const char *period_of;
	enum rcms_status (*body)(struct report_run *r);
};

/* The report called name, or NULL. */
const struct report_def *report_find(const char *name);
/* All reports, in menu order; *n is set to their number. */
const struct report_def *report_list(size_t *n);
/* Can def be made in fmt? */
bool report_has_format(const struct report_def *def, enum report_format fmt);

/*
 * Check params against def (a parameter the report does not take, a
 * period that ends before it begins, a missing case reference, a width
 * other than 80 or 132): RCMS_ERR_USAGE or RCMS_ERR_INVALID with a
 * message.
 */
enum rcms_status report_check(const struct report_def *def,
			      enum report_format fmt,
			      const struct report_params *p,
			      struct rcms_err *err);

/* What a run produced. */
struct report_result {
	int64_t cases;           /* cases in the report */
	int pages;               /* PDF pages; 0 otherwise */
	int job;                 /* report_print: the CUPS job id */
	char queue[128];         /* report_print: the queue used */
	char case_id[RCMS_ID_LEN]; /* case reports: the case's id */
};

/*
 * Write the report to out (borrowed, not closed).  dest says where it goes
 * for the audit entry ("standard output", "pager", a file name).  res may
 * be NULL.
 */
enum rcms_status report_run(struct db_ctx *ctx, const struct report_def *def,
			    const struct report_params *p,
			    enum report_format fmt, FILE *out, const char *dest,
			    struct report_result *res, struct rcms_err *err);

/* Write the report to the file at path, atomically (mode 0600). */
enum rcms_status report_export(struct db_ctx *ctx,
			       const struct report_def *def,
			       const struct report_params *p,
			       enum report_format fmt, const char *path,
			       struct report_result *res,
			       struct rcms_err *err);

/* Print the report's PDF on a CUPS queue (NULL or "": the default
 * queue); the server is libcups' (CUPS_SERVER, client.conf). */
enum rcms_status report_print(struct db_ctx *ctx, const struct report_def *def,
			      const struct report_params *p, const char *queue,
			      struct report_result *res, struct rcms_err *err);

/* Parse "YYYY-MM-DD" into the UTC start of that day; end_of_day: the start
 * of the next day (an inclusive "to" date). */
enum rcms_status report_parse_date(const char *s, bool end_of_day,
				   const char *field, int64_t *out,
				   struct rcms_err *err);

/* SOURCE_DATE_EPOCH (reproducible documents) as the report's time, else
 * 0.  Tests pin reports with it. */
int64_t report_now_from_env(void);

#endif
