/* plugin.c - the report module's face (see plugin.h): the PDF writer and
 * printing through CUPS. */
#include "reports/plugin.h"

#include <cups/cups.h>

static enum rcms_status default_queue(char *out, size_t size,
				      struct rcms_err *err)
{
	cups_dest_t *d = cupsGetNamedDest(CUPS_HTTP_DEFAULT, NULL, NULL);

	if (!d)
		return rcms_err_set(err, RCMS_ERR_UNAVAILABLE, "queue",
				    "no default printer; name a queue "
				    "(--print QUEUE): %s",
				    cupsLastErrorString());
	snprintf(out, size, "%s", d->name);
	cupsFreeDests(1, d);
	return RCMS_OK;
}

static enum rcms_status print_file(const char *queue, const char *path,
				   const char *title, int *job,
				   struct rcms_err *err)
{
	*job = cupsPrintFile2(CUPS_HTTP_DEFAULT, queue, path, title, 0, NULL);
	if (*job <= 0)
		return rcms_err_set(err, RCMS_ERR_UNAVAILABLE, "queue",
				    "cannot print on %s: %s", queue,
				    cupsLastErrorString());
	return RCMS_OK;
}

const struct report_plugin rcms_report_plugin = {
	.abi = REPORT_PLUGIN_ABI,
	.pdf_new = rw_pdf_new,
	.default_queue = default_queue,
	.print_file = print_file,
};
