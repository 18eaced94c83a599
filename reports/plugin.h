/*
 * plugin.h - the report module, lib/rcms/report.so: the PDF writer (cairo,
 * pango) and printing (CUPS).  They and the seventy shared libraries they
 * bring stay out of bin/rcms, which loads the module the first time a PDF
 * is made or printed: every other command starts without them.
 *
 * The module exports one symbol, rcms_report_plugin (this table), and
 * needs nothing of bin/rcms: it carries its own copy of app/status.c.
 */
#ifndef RCMS_REPORTS_PLUGIN_H
#define RCMS_REPORTS_PLUGIN_H

#include "reports/report_priv.h"

#define REPORT_PLUGIN_ABI 1

struct report_plugin {
	int abi;                 /* REPORT_PLUGIN_ABI */
	/* rw_pdf_new of render_pdf.c */
	struct rw *(*pdf_new)(FILE *out, const struct rw_header *hdr,
			      int pages, struct rcms_err *err);
	/* the name of CUPS's default queue into out */
	enum rcms_status (*default_queue)(char *out, size_t size,
					  struct rcms_err *err);
	/* print the PDF at path on queue; the job's number into *job */
	enum rcms_status (*print_file)(const char *queue, const char *path,
				       const char *title, int *job,
				       struct rcms_err *err);
};

/* The module, loaded once (bin/rcms's side, plugin_load.c): from
 * RCMS_REPORT_MODULE when set, else ../lib/rcms/report.so beside the
 * running program, else LIBDIR/report.so.  NULL with a message when it
 * cannot be loaded. */
const struct report_plugin *report_plugin(struct rcms_err *err);

#endif
