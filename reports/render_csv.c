/* render_csv.c - the CSV writer: RFC 4180 (CRLF line ends, fields with a
 * comma, quote or line break quoted, quotes doubled), UTF-8, a header row.
 * A CSV export holds one table: the report's main one (the table a report
 * marks csv); headings, other tables and charts are for text and PDF. */
#include "reports/report_priv.h"

#include <stdlib.h>
#include <string.h>

static void field(FILE *f, const char *s, bool last)
{
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputs(last ? "\r\n" : ",", f);
}

static void c_nop_text(struct rw *w, const char *text)
{
	(void)w;
	(void)text;
}

static void c_kv(struct rw *w, const char *key, const char *value)
{
	(void)w;
	(void)key;
	(void)value;
}

static void c_row(struct rw *w, const char *const *cells, unsigned flags)
{
	int i;

	(void)flags;
	if (!w->csv_table)
		return;
	for (i = 0; i < w->ncols; i++)
		field(w->out, cells[i] ? cells[i] : "", i == w->ncols - 1);
}

static void c_table_begin(struct rw *w)
{
	const char *heads[32];
	int i;

	if (!w->csv_table)
		return;
	for (i = 0; i < w->ncols && i < 32; i++)
		heads[i] = w->cols[i].csv;
	c_row(w, heads, 0);
}

static void c_table_end(struct rw *w)
{
	(void)w;
}

static void c_chart(struct rw *w, const struct rw_chart *c)
{
	(void)w;
	(void)c;
}

static void c_boxes(struct rw *w, const char *const *labels, int n)
{
	(void)w;
	(void)labels;
	(void)n;
}

static enum rcms_status c_end(struct rw *w, struct rcms_err *err)
{
	if (fflush(w->out) != 0 || ferror(w->out))
		return rcms_err_set(err, RCMS_ERR_IO, NULL,
				    "cannot write the report");
	return RCMS_OK;
}

static void c_free(struct rw *w)
{
	free(w);
}

static const struct rw_ops csv_ops = {
	.heading = c_nop_text,
	.para = c_nop_text,
	.kv = c_kv,
	.table_begin = c_table_begin,
	.row = c_row,
	.table_end = c_table_end,
	.chart = c_chart,
	.boxes = c_boxes,
	.end = c_end,
	.free = c_free,
};

struct rw *rw_csv_new(FILE *out, const struct rw_header *hdr)
{
	struct rw *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->ops = &csv_ops;
	w->fmt = REPORT_CSV;
	w->out = out;
	w->hdr = hdr;
	return w;
}
