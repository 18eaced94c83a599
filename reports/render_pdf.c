/* render_pdf.c - the PDF writer: cairo and pango on A4.
 *
 * Every page has a header (the agency, the "contains personal data"
 * marking, the report's title and what it covers) and a footer (who
 * printed it and when, "page x of y").  Tables continue across pages with
 * their header row repeated.  Text is laid out by pango, which shapes
 * Arabic-script names and sets them right to left; fontconfig finds a font
 * for each script (DejaVu Sans for Latin and Cyrillic, Noto Sans Arabic).
 * The writer holds one page at a time: cairo writes each finished page to
 * the stream. */
#include "reports/report_priv.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_W 595.276
#define PAGE_H 841.890
#define MARGIN_X 42.0
#define MARGIN_TOP 34.0
#define MARGIN_BOTTOM 34.0
#define CONTENT_TOP 110.0
#define CONTENT_BOTTOM (PAGE_H - MARGIN_BOTTOM - 22.0)
#define CONTENT_W (PAGE_W - 2 * MARGIN_X)
#define ROW_H 13.0
#define CELL_PAD 3.0
#define FONT "Noto Sans, Noto Sans Arabic, DejaVu Sans"
/* Table cells: a few laid-out texts kept per column and font (body, bold),
 * so that a value the column showed lately (an agency, a status, a date,
 * a count) is drawn again without being shaped again. */
#define MAX_COLS 32
#define CELL_KEEP 8

struct cell {
	PangoLayout *lay;           /* configured for its column and font */
	char *text;                 /* what it holds (owned); NULL: nothing */
};

struct rw_pdf {
	struct rw w;
	FILE *sink;                 /* NULL: the first pass, thrown away */
	bool write_failed;
	cairo_surface_t *surf;
	cairo_t *cr;
	PangoLayout *lay;
	PangoFontDescription *f_body, *f_bold, *f_small, *f_title, *f_head;
	double y;
	bool page_open;
	bool in_table;
	int row_no;
	double col_x[MAX_COLS], col_w[MAX_COLS];
	struct cell cells[MAX_COLS][2][CELL_KEEP];
	int cell_next[MAX_COLS][2]; /* the slot a miss takes next */
};

static cairo_status_t write_cb(void *closure, const unsigned char *data,
			       unsigned int length)
{
	struct rw_pdf *p = closure;

	if (!p->sink)
		return CAIRO_STATUS_SUCCESS;
	if (fwrite(data, 1, length, p->sink) != length) {
		p->write_failed = true;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

/* Lay s out (one line, cut with an ellipsis, when single) in width points
 * at x, y; draw it when draw; return its height. */
static double text_at(struct rw_pdf *p, double x, double y, double width,
		      const PangoFontDescription *fd, const char *s,
		      PangoAlignment al, bool single, bool draw)
{
	int w = 0, h = 0;
	gchar *valid = NULL;

	/* the first pass only counts pages: text drawn for show, whose
	 * height nobody asks, is not laid out at all */
	if (draw && !p->sink)
		return 0;
	if (!g_utf8_validate(s, -1, NULL))
		s = valid = g_utf8_make_valid(s, -1);
	pango_layout_set_font_description(p->lay, fd);
	pango_layout_set_width(p->lay, width > 0 ? (int)(width * PANGO_SCALE)
						 : -1);
	pango_layout_set_ellipsize(p->lay, single ? PANGO_ELLIPSIZE_END
						  : PANGO_ELLIPSIZE_NONE);
	pango_layout_set_single_paragraph_mode(p->lay, single);
	pango_layout_set_wrap(p->lay, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(p->lay, al);
	pango_layout_set_text(p->lay, s, -1);
	pango_layout_get_size(p->lay, &w, &h);
	if (draw) {
		cairo_move_to(p->cr, x, y);
		pango_cairo_show_layout(p->cr, p->lay);
	}
	g_free(valid);
	return (double)h / PANGO_SCALE;
}

/* Forget the texts of the cell layouts (a new table: new columns). */
static void cells_reset(struct rw_pdf *p)
{
	int i, f, k;

	for (i = 0; i < MAX_COLS; i++)
		for (f = 0; f < 2; f++) {
			for (k = 0; k < CELL_KEEP; k++) {
				struct cell *c = &p->cells[i][f][k];
				if (c->lay)
					g_object_unref(c->lay);
				g_free(c->text);
				c->lay = NULL;
				c->text = NULL;
			}
			p->cell_next[i][f] = 0;
		}
}

/* Draw s in column i (one line, cut with an ellipsis) at y, as text_at
 * would, through the column's kept layouts. */
static void cell_at(struct rw_pdf *p, int i, double y, bool bold,
		    const char *s)
{
	struct cell *slot = p->cells[i][bold ? 1 : 0];
	struct cell *c = NULL;
	int k;

	if (!p->sink)
		return;
	for (k = 0; k < CELL_KEEP; k++)
		if (slot[k].text && strcmp(slot[k].text, s) == 0) {
			c = &slot[k];
			break;
		}
	if (!c) {
		gchar *valid = NULL;
		const char *t = s;

		c = &slot[p->cell_next[i][bold ? 1 : 0]];
		p->cell_next[i][bold ? 1 : 0] =
			(p->cell_next[i][bold ? 1 : 0] + 1) % CELL_KEEP;
		if (!c->lay) {
			c->lay = pango_layout_new(
				pango_layout_get_context(p->lay));
			pango_layout_set_auto_dir(c->lay, FALSE);
			pango_layout_set_font_description(
				c->lay, bold ? p->f_bold : p->f_body);
			pango_layout_set_width(
				c->lay, (int)((p->col_w[i] - 2 * CELL_PAD) *
					      PANGO_SCALE));
			pango_layout_set_ellipsize(c->lay,
						   PANGO_ELLIPSIZE_END);
			pango_layout_set_single_paragraph_mode(c->lay, TRUE);
			pango_layout_set_wrap(c->lay, PANGO_WRAP_WORD_CHAR);
			pango_layout_set_alignment(
				c->lay, p->w.cols[i].right ? PANGO_ALIGN_RIGHT
							   : PANGO_ALIGN_LEFT);
		}
		g_free(c->text);
		c->text = g_strdup(s);
		if (!g_utf8_validate(t, -1, NULL))
			t = valid = g_utf8_make_valid(t, -1);
		pango_layout_set_text(c->lay, t, -1);
		g_free(valid);
	}
	cairo_move_to(p->cr, p->col_x[i] + CELL_PAD, y);
	pango_cairo_show_layout(p->cr, c->lay);
}

static void hline(struct rw_pdf *p, double y, double width)
{
	if (!p->sink)
		return;
	cairo_set_line_width(p->cr, width);
	cairo_move_to(p->cr, MARGIN_X, y);
	cairo_line_to(p->cr, PAGE_W - MARGIN_X, y);
	cairo_stroke(p->cr);
}

static void page_begin(struct rw_pdf *p)
{
	const struct rw_header *h = p->w.hdr;
	cairo_t *cr = p->cr;
	const char *mark = "CONTAINS PERSONAL DATA";
	double mw = 150, y = MARGIN_TOP;

	p->w.pages++;
	p->page_open = true;
	/* A white page under everything.  It looks like none, but cairo's
	 * PDF surface adds every drawing's extents to the page's region of
	 * native drawing at cairo_show_page: 400 disjoint cells a page made
	 * that an O(n^2) union, a fifth of a long table's time; on a region
	 * that already covers the page each union costs nothing. */
	if (p->sink) {
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_paint(cr);
	}
	cairo_set_source_rgb(cr, 0, 0, 0);
	text_at(p, MARGIN_X, y, CONTENT_W - mw - 10, p->f_bold, h->agency,
		PANGO_ALIGN_LEFT, true, true);
	/* the marking: red, boxed, top right */
	cairo_set_source_rgb(cr, 0.75, 0.05, 0.05);
	cairo_set_line_width(cr, 1.0);
	cairo_rectangle(cr, PAGE_W - MARGIN_X - mw, y - 3, mw, 16);
	cairo_stroke(cr);
	text_at(p, PAGE_W - MARGIN_X - mw, y, mw, p->f_bold, mark,
		PANGO_ALIGN_CENTER, true, true);
	cairo_set_source_rgb(cr, 0, 0, 0);
	y += 18;
	text_at(p, MARGIN_X, y, CONTENT_W, p->f_title, h->title,
		PANGO_ALIGN_LEFT, true, true);
	y += 21;
	text_at(p, MARGIN_X, y, CONTENT_W, p->f_body, h->about,
		PANGO_ALIGN_LEFT, true, true);
	y += 12;
	text_at(p, MARGIN_X, y, CONTENT_W, p->f_small, h->subtitle,
		PANGO_ALIGN_LEFT, true, true);
	y += 14;
	hline(p, y, 0.8);
	p->y = CONTENT_TOP;
}

static void page_end(struct rw_pdf *p)
{
	char num[64];
	double y = PAGE_H - MARGIN_BOTTOM - 10;

	if (p->w.total_pages > 0)
		snprintf(num, sizeof(num), "Page %d of %d", p->w.pages,
			 p->w.total_pages);
	else
		snprintf(num, sizeof(num), "Page %d", p->w.pages);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	hline(p, y - 4, 0.5);
	text_at(p, MARGIN_X, y, CONTENT_W - 90, p->f_small, p->w.hdr->printed,
		PANGO_ALIGN_LEFT, true, true);
	text_at(p, PAGE_W - MARGIN_X - 90, y, 90, p->f_small, num,
		PANGO_ALIGN_RIGHT, true, true);
	/* the first pass draws nothing: there is no page to finish */
	if (p->sink)
		cairo_show_page(p->cr);
	p->page_open = false;
}

static void table_head(struct rw_pdf *p);

/* Room for h points: a new page when the rest of this one is too short
 * (the open table's header row repeated on it). */
static void need(struct rw_pdf *p, double h)
{
	if (!p->page_open) {
		page_begin(p);
	} else if (p->y + h > CONTENT_BOTTOM) {
		page_end(p);
		page_begin(p);
		if (p->in_table)
			table_head(p);
	}
}

static void p_heading(struct rw *w, const char *text)
{
	struct rw_pdf *p = (struct rw_pdf *)w;

	/* a heading keeps at least three lines of what follows */
	need(p, 20 + 3 * ROW_H);
	p->y += 6;
	text_at(p, MARGIN_X, p->y, CONTENT_W, p->f_head, text,
		PANGO_ALIGN_LEFT, true, true);
	p->y += 16;
	cairo_set_source_rgb(p->cr, 0.4, 0.4, 0.4);
	cairo_set_line_width(p->cr, 0.4);
	cairo_move_to(p->cr, MARGIN_X, p->y);
	cairo_line_to(p->cr, PAGE_W - MARGIN_X, p->y);
	cairo_stroke(p->cr);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	p->y += 4;
}

static void p_para(struct rw *w, const char *text)
{
	struct rw_pdf *p = (struct rw_pdf *)w;
	double h = text_at(p, MARGIN_X, 0, CONTENT_W, p->f_body, text,
			   PANGO_ALIGN_LEFT, false, false);

	need(p, h + 4);
	text_at(p, MARGIN_X, p->y, CONTENT_W, p->f_body, text,
		PANGO_ALIGN_LEFT, false, true);
	p->y += h + 4;
}

static void p_kv(struct rw *w, const char *key, const char *value)
{
	struct rw_pdf *p = (struct rw_pdf *)w;
	double kw = 165, vw = CONTENT_W - kw;
	double hk = text_at(p, MARGIN_X, 0, kw - 6, p->f_bold, key,
			    PANGO_ALIGN_LEFT, false, false);
	double hv = text_at(p, MARGIN_X + kw, 0, vw, p->f_body, value,
			    PANGO_ALIGN_LEFT, false, false);
	double h = (hk > hv ? hk : hv) + 2;

	need(p, h);
	cairo_set_source_rgb(p->cr, 0.3, 0.3, 0.3);
	text_at(p, MARGIN_X, p->y, kw - 6, p->f_bold, key, PANGO_ALIGN_LEFT,
		false, true);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	text_at(p, MARGIN_X + kw, p->y, vw, p->f_body, value,
		PANGO_ALIGN_LEFT, false, true);
	p->y += h;
}

static void cells_at(struct rw_pdf *p, const char *const *cells,
		     const PangoFontDescription *fd)
{
	int i;

	for (i = 0; i < p->w.ncols && i < MAX_COLS; i++)
		cell_at(p, i, p->y + 0.5, fd == p->f_bold,
			cells[i] ? cells[i] : "");
}

static void table_head(struct rw_pdf *p)
{
	const char *heads[MAX_COLS];
	int i;

	for (i = 0; i < p->w.ncols && i < MAX_COLS; i++)
		heads[i] = p->w.cols[i].head;
	if (p->sink) {
		cairo_set_source_rgb(p->cr, 0.85, 0.87, 0.90);
		cairo_rectangle(p->cr, MARGIN_X, p->y, CONTENT_W, ROW_H + 2);
		cairo_fill(p->cr);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
	}
	p->y += 1;
	cells_at(p, heads, p->f_bold);
	p->y += ROW_H + 1;
	hline(p, p->y, 0.6);
	p->row_no = 0;
}

static void p_table_begin(struct rw *w)
{
	struct rw_pdf *p = (struct rw_pdf *)w;
	double total = 0, x = MARGIN_X;
	int i;

	cells_reset(p);
	for (i = 0; i < w->ncols && i < MAX_COLS; i++)
		total += w->cols[i].pdf > 0 ? w->cols[i].pdf : 1;
	for (i = 0; i < w->ncols && i < MAX_COLS; i++) {
		double share = w->cols[i].pdf > 0 ? w->cols[i].pdf : 1;
		p->col_x[i] = x;
		p->col_w[i] = CONTENT_W * share / total;
		x += p->col_w[i];
	}
	need(p, 3 * ROW_H);
	p->y += 4;
	p->in_table = true;
	table_head(p);
}

static void p_row(struct rw *w, const char *const *cells, unsigned flags)
{
	struct rw_pdf *p = (struct rw_pdf *)w;

	need(p, ROW_H);
	if (flags & RW_TOTAL) {
		hline(p, p->y, 0.6);
	} else if (p->row_no % 2 == 1 && p->sink) {
		cairo_set_source_rgb(p->cr, 0.95, 0.95, 0.95);
		cairo_rectangle(p->cr, MARGIN_X, p->y, CONTENT_W, ROW_H);
		cairo_fill(p->cr);
		cairo_set_source_rgb(p->cr, 0, 0, 0);
	}
	cells_at(p, cells, (flags & RW_TOTAL) ? p->f_bold : p->f_body);
	p->y += ROW_H;
	p->row_no++;
}

static void p_table_end(struct rw *w)
{
	struct rw_pdf *p = (struct rw_pdf *)w;

	if (p->page_open)
		hline(p, p->y, 0.6);
	p->in_table = false;
	if (w->rows == 0) {
		p->y += 3;
		text_at(p, MARGIN_X + CELL_PAD, p->y, CONTENT_W, p->f_body,
			"None.", PANGO_ALIGN_LEFT, true, true);
		p->y += ROW_H;
	}
	p->y += 8;
}

static const double series_rgb[3][3] = {
	{0.20, 0.36, 0.62},   /* blue */
	{0.78, 0.27, 0.20},   /* red */
	{0.90, 0.62, 0.16},   /* amber */
};

static void p_chart(struct rw *w, const struct rw_chart *c)
{
	struct rw_pdf *p = (struct rw_pdf *)w;
	double lw = 120, vw = 50, bar_h = 10, step = 14;
	double x0 = MARGIN_X + lw + 6, bw = CONTENT_W - lw - vw - 12;
	double h = 24 + (c->nseries > 1 ? 14 : 0) + c->n * step;
	int64_t max = 0;
	int i, s;

	for (i = 0; i < c->n; i++) {
		int64_t sum = 0;
		for (s = 0; s < c->nseries; s++)
			sum += c->v[i][s];
		if (sum > max)
			max = sum;
	}
	need(p, h < CONTENT_BOTTOM - CONTENT_TOP ? h : 4 * step);
	p->y += 6;
	text_at(p, MARGIN_X, p->y, CONTENT_W, p->f_head, c->title,
		PANGO_ALIGN_LEFT, true, true);
	p->y += 18;
	if (c->nseries > 1) {
		double x = x0;
		for (s = 0; s < c->nseries; s++) {
			cairo_set_source_rgb(p->cr, series_rgb[s][0],
					     series_rgb[s][1], series_rgb[s][2]);
			cairo_rectangle(p->cr, x, p->y + 1, 9, 9);
			cairo_fill(p->cr);
			cairo_set_source_rgb(p->cr, 0, 0, 0);
			text_at(p, x + 12, p->y, 100, p->f_small, c->series[s],
				PANGO_ALIGN_LEFT, true, true);
			x += 110;
		}
		p->y += 14;
	}
	for (i = 0; i < c->n; i++) {
		int64_t sum = 0;
		double x = x0;
		char num[32];

		need(p, step);
		text_at(p, MARGIN_X, p->y, lw, p->f_small, c->label[i],
			PANGO_ALIGN_RIGHT, true, true);
		for (s = 0; s < c->nseries; s++) {
			double len = max > 0 ? bw * (double)c->v[i][s] /
						       (double)max
					     : 0;
			sum += c->v[i][s];
			if (len <= 0)
				continue;
			cairo_set_source_rgb(p->cr, series_rgb[s][0],
					     series_rgb[s][1], series_rgb[s][2]);
			cairo_rectangle(p->cr, x, p->y + 1, len, bar_h);
			cairo_fill(p->cr);
			x += len;
		}
		cairo_set_source_rgb(p->cr, 0, 0, 0);
		snprintf(num, sizeof(num), "%lld", (long long)sum);
		text_at(p, x + 4, p->y, vw, p->f_small, num, PANGO_ALIGN_LEFT,
			true, true);
		p->y += step;
	}
	/* the axis */
	cairo_set_line_width(p->cr, 0.6);
	cairo_move_to(p->cr, x0, p->y - c->n * step);
	cairo_line_to(p->cr, x0, p->y);
	cairo_stroke(p->cr);
	p->y += 8;
}

static void p_boxes(struct rw *w, const char *const *labels, int n)
{
	struct rw_pdf *p = (struct rw_pdf *)w;
	double gap = 14, bh = 80;
	double bw = (CONTENT_W - (n - 1) * gap) / (n > 0 ? n : 1);
	int i;

	need(p, bh + 10);
	p->y += 6;
	cairo_set_line_width(p->cr, 0.8);
	for (i = 0; i < n; i++) {
		double x = MARGIN_X + i * (bw + gap);
		cairo_rectangle(p->cr, x, p->y, bw, bh);
		cairo_stroke(p->cr);
		text_at(p, x + 4, p->y + 3, bw - 8, p->f_small, labels[i],
			PANGO_ALIGN_LEFT, true, true);
	}
	p->y += bh + 4;
}

static enum rcms_status p_end(struct rw *w, struct rcms_err *err)
{
	struct rw_pdf *p = (struct rw_pdf *)w;
	cairo_status_t cs;

	if (!p->page_open)
		page_begin(p);
	page_end(p);
	cairo_surface_finish(p->surf);
	cs = cairo_surface_status(p->surf);
	if (p->write_failed || (p->sink && fflush(p->sink) != 0))
		return rcms_err_set(err, RCMS_ERR_IO, NULL,
				    "cannot write the report");
	if (cs != CAIRO_STATUS_SUCCESS)
		return rcms_err_set(err, RCMS_ERR_INTERNAL, NULL,
				    "cannot make the PDF: %s",
				    cairo_status_to_string(cs));
	return RCMS_OK;
}

static void p_free(struct rw *w)
{
	struct rw_pdf *p = (struct rw_pdf *)w;

	cells_reset(p);
	if (p->lay)
		g_object_unref(p->lay);
	if (p->cr)
		cairo_destroy(p->cr);
	if (p->surf)
		cairo_surface_destroy(p->surf);
	if (p->f_body)
		pango_font_description_free(p->f_body);
	if (p->f_bold)
		pango_font_description_free(p->f_bold);
	if (p->f_small)
		pango_font_description_free(p->f_small);
	if (p->f_title)
		pango_font_description_free(p->f_title);
	if (p->f_head)
		pango_font_description_free(p->f_head);
	free(p);
}

static const struct rw_ops pdf_ops = {
	.heading = p_heading,
	.para = p_para,
	.kv = p_kv,
	.table_begin = p_table_begin,
	.row = p_row,
	.table_end = p_table_end,
	.chart = p_chart,
	.boxes = p_boxes,
	.end = p_end,
	.free = p_free,
};

struct rw *rw_pdf_new(FILE *out, const struct rw_header *hdr,
		      int total_pages, struct rcms_err *err)
{
	struct rw_pdf *p = calloc(1, sizeof(*p));
	cairo_font_options_t *fo;
	PangoContext *pc;

	if (!p) {
		rcms_err_set(err, RCMS_ERR_NOMEM, NULL, NULL);
		return NULL;
	}
	p->w.ops = &pdf_ops;
	p->w.fmt = REPORT_PDF;
	p->w.out = out;
	p->w.hdr = hdr;
	p->w.total_pages = total_pages;
	p->sink = out;
	p->surf = cairo_pdf_surface_create_for_stream(write_cb, p, PAGE_W,
						      PAGE_H);
	if (cairo_surface_status(p->surf) != CAIRO_STATUS_SUCCESS)
		goto fail;
	cairo_pdf_surface_set_metadata(p->surf, CAIRO_PDF_METADATA_TITLE,
				       hdr->title);
	cairo_pdf_surface_set_metadata(p->surf, CAIRO_PDF_METADATA_CREATOR,
				       "rcms " RCMS_VERSION);
	p->cr = cairo_create(p->surf);
	if (cairo_status(p->cr) != CAIRO_STATUS_SUCCESS)
		goto fail;
	p->lay = pango_cairo_create_layout(p->cr);
	if (!p->lay)
		goto fail;
	/* metrics as the PDF has them: no hinting, so that both passes and
	 * every machine lay a page out alike */
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pc = pango_layout_get_context(p->lay);
	pango_cairo_context_set_font_options(pc, fo);
	cairo_font_options_destroy(fo);
	pango_layout_context_changed(p->lay);
	pango_layout_set_auto_dir(p->lay, FALSE);
	p->f_body = pango_font_description_from_string(FONT " 8");
	p->f_bold = pango_font_description_from_string(FONT " Bold 8");
	p->f_small = pango_font_description_from_string(FONT " 7");
	p->f_title = pango_font_description_from_string(FONT " Bold 14");
	p->f_head = pango_font_description_from_string(FONT " Bold 10");
	return &p->w;
fail:
	rcms_err_set(err, RCMS_ERR_INTERNAL, NULL,
		     "cannot start the PDF (cairo: %s)",
		     cairo_status_to_string(cairo_surface_status(p->surf)));
	p_free(&p->w);
	return NULL;
}
