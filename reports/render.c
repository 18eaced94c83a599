/* render.c - the writers' shared entry points: each call goes to the
 * format's writer (render_text.c, render_csv.c, render_pdf.c). */
#include "reports/report_priv.h"

#include <stdio.h>
#include <string.h>

void rw_free(struct rw **w)
{
	if (!w || !*w)
		return;
	(*w)->ops->free(*w);
	*w = NULL;
}

void rw_heading(struct rw *w, const char *text)
{
	w->ops->heading(w, text ? text : "");
}

void rw_para(struct rw *w, const char *text)
{
	w->ops->para(w, text ? text : "");
}

void rw_kv(struct rw *w, const char *key, const char *value)
{
	w->ops->kv(w, key ? key : "", value ? value : "");
}

void rw_table_begin(struct rw *w, const struct rw_col *cols, int ncols,
		    bool csv)
{
	w->cols = cols;
	w->ncols = ncols;
	w->csv_table = csv && !w->csv_done;
	w->rows = 0;
	w->ops->table_begin(w);
}

void rw_row(struct rw *w, const char *const *cells, unsigned flags)
{
	if (w->cols) {
		w->ops->row(w, cells, flags);
		w->rows++;
	}
}

void rw_table_end(struct rw *w)
{
	if (!w->cols)
		return;
	w->ops->table_end(w);
	if (w->csv_table)
		w->csv_done = true;
	w->cols = NULL;
	w->ncols = 0;
	w->csv_table = false;
}

void rw_chart(struct rw *w, const struct rw_chart *c)
{
	if (c && c->n > 0)
		w->ops->chart(w, c);
}

void rw_boxes(struct rw *w, const char *const *labels, int n)
{
	w->ops->boxes(w, labels, n);
}

void rw_chart_add(struct rw_chart *c, const char *label, int series,
		  int64_t v)
{
	int i;

	if (series < 0 || series >= 3)
		return;
	for (i = 0; i < c->n; i++)
		if (strcmp(c->label[i], label) == 0)
			break;
	if (i == c->n) {
		if (c->n == RW_CHART_MAX)
			return;
		memset(c->v[i], 0, sizeof(c->v[i]));
		snprintf(c->label[i], sizeof(c->label[i]), "%s", label);
		c->n++;
	}
	c->v[i][series] += v;
}
