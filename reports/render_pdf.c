/* render_pdf.c - the PDF writer: cairo and pango on A4.
 *
 * Every page has a header (the agency, the "contains personal data"
 * marking, the report's title and what it covers) and a footer (who
 * printed it and when, "page x of y").  Tables continue across pages with
 * their header row repeated.  Text is laid out by pango, which shapes
 * Arabic-script names and sets them right to left; fontconfig finds a font
 * for each script (Noto Sans for Latin and Cyrillic, Noto Sans Arabic,
 * DejaVu Sans for what they lack).  A table's cells, the bulk of a long
 * report, are shaped by HarfBuzz in the fonts pango chooses and drawn as
 * glyphs (pdf_shape.c); whatever they cannot do goes
 * through pango.  RCMS_PDF_SHAPER=pango sends every cell through pango
 * (tests/reports compares the two).
 *
 * Two threads share the work.  The report's thread lays each page out
 * into a recording of the page; a writer thread turns finished
 * recordings into PDF (cairo's emitter: every glyph, every number,
 * deflate) and writes them to the stream.  At most PAGES_AHEAD laid-out
 * pages wait for the writer, so memory does not grow with the report.
 * Should the thread not start, the report's thread writes each page
 * itself. */
#include "reports/report_priv.h"
#include "reports/pdf_shape.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <signal.h>
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
#define PAGES_AHEAD 2
/* header and footer texts, the same on every page */
enum { KEPT_AGENCY, KEPT_MARK, KEPT_TITLE, KEPT_ABOUT, KEPT_SUBTITLE,
       KEPT_PRINTED, NKEPT };

struct cell {
	char *text;                 /* what it holds (owned); NULL: nothing */
	bool fast;                  /* drawn from sh, not from lay */
	struct shaped sh;           /* shaped by pdf_shape.c */
	/* laid out by pango: configured for its column and font */
	PangoLayout *lay;
	double base;                /* its first line's baseline, points */
};

struct rw_pdf {
	struct rw w;
	FILE *sink;                 /* NULL: the first pass, thrown away */
	bool write_failed;          /* the writer's; read once it is done */
	cairo_status_t draw_status; /* the first drawing on a page that
				     * failed */
	bool pango_only;            /* RCMS_PDF_SHAPER=pango: every cell
				     * through a PangoLayout (tests) */
	cairo_surface_t *surf;      /* the PDF (the writer's, once started) */
	cairo_t *pdf_cr;            /* paints recorded pages on it */
	cairo_surface_t *scratch;   /* where drawing off any page goes */
	cairo_surface_t *page;      /* the page being laid out: a recording */
	cairo_t *cr;                /* draws on page, else on scratch */
	cairo_t *scratch_cr;
	/* pages laid out, waiting for the writer */
	pthread_t writer;
	bool writer_made;           /* mu and cv made */
	bool writer_on;             /* the thread runs */
	pthread_mutex_t mu;
	pthread_cond_t cv;          /* a page queued, a place freed, closed */
	cairo_surface_t *queue[PAGES_AHEAD];
	int q_head, q_len;
	bool q_closed;              /* no more pages: write the rest, stop */
	bool q_dropped;             /* no more pages: drop the rest, stop */
	PangoLayout *lay;
	PangoFontDescription *f_body, *f_bold, *f_small, *f_title, *f_head;
	double y;
	bool page_open;
	bool in_table;
	int row_no;
	double col_x[MAX_COLS], col_w[MAX_COLS];
	struct cell cells[MAX_COLS][2][CELL_KEEP];
	int cell_next[MAX_COLS][2]; /* the slot a miss takes next */
	double base[2];             /* a Latin line's baseline, body, bold */
	struct shaper *shaper;      /* NULL: every cell through pango */
	/* a row's shaped cells, drawn with one call (and one run of text in
	 * the PDF) when the row is done */
	cairo_glyph_t *row_glyphs;
	cairo_text_cluster_t *row_clusters;
	char *row_text;
	int row_nglyphs, row_nclusters, row_len;
	PangoLayout *kept[NKEPT];   /* the texts of every page's header and
				     * footer, laid out once */
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

/* Draw s, one of the texts on every page (k), as text_at would: laid
 * out the first time only. */
static void text_kept(struct rw_pdf *p, int k, double x, double y,
		      double width, const PangoFontDescription *fd,
		      const char *s, PangoAlignment al)
{
	if (!p->sink)
		return;
	if (!p->kept[k]) {
		gchar *valid = NULL;
		PangoLayout *l = pango_layout_new(
			pango_layout_get_context(p->lay));

		pango_layout_set_auto_dir(l, FALSE);
		if (!g_utf8_validate(s, -1, NULL))
			s = valid = g_utf8_make_valid(s, -1);
		pango_layout_set_font_description(l, fd);
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		pango_layout_set_single_paragraph_mode(l, TRUE);
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
		pango_layout_set_alignment(l, al);
		pango_layout_set_text(l, s, -1);
		g_free(valid);
		p->kept[k] = l;
	}
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, p->kept[k]);
}

/* Forget what the cells hold (a new table: new columns). */
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
				shaped_clear(&c->sh);
				memset(c, 0, sizeof(*c));
			}
			p->cell_next[i][f] = 0;
		}
}

/* Lay s out in c, through pango, for column i. */
static void cell_layout(struct rw_pdf *p, struct cell *c, int i, bool bold,
			const char *s)
{
	gchar *valid = NULL;

	c->fast = false;
	if (!c->lay) {
		c->lay = pango_layout_new(pango_layout_get_context(p->lay));
		pango_layout_set_auto_dir(c->lay, FALSE);
		pango_layout_set_font_description(c->lay, bold ? p->f_bold
							       : p->f_body);
		pango_layout_set_width(
			c->lay, (int)((p->col_w[i] - 2 * CELL_PAD) *
				      PANGO_SCALE));
		pango_layout_set_ellipsize(c->lay, PANGO_ELLIPSIZE_END);
		pango_layout_set_single_paragraph_mode(c->lay, TRUE);
		pango_layout_set_wrap(c->lay, PANGO_WRAP_WORD_CHAR);
		pango_layout_set_alignment(c->lay, p->w.cols[i].right
							   ? PANGO_ALIGN_RIGHT
							   : PANGO_ALIGN_LEFT);
	}
	if (!g_utf8_validate(s, -1, NULL))
		s = valid = g_utf8_make_valid(s, -1);
	pango_layout_set_text(c->lay, s, -1);
	g_free(valid);
	c->base = (double)pango_layout_get_baseline(c->lay) / PANGO_SCALE;
}

/* Draw the runs of shaped cell c from x0 on the baseline base. */
static void cell_runs_show(struct rw_pdf *p, const struct cell *c,
			   double x0, double base)
{
	cairo_glyph_t at[FAST_MAX];
	int k, j;

	for (k = 0; k < c->sh.nruns; k++) {
		const struct run *r = &c->sh.runs[k];

		for (j = 0; j < r->ng && j < FAST_MAX; j++) {
			at[j].index = c->sh.glyphs[r->g0 + j].index;
			at[j].x = x0 + c->sh.glyphs[r->g0 + j].x;
			at[j].y = base + c->sh.glyphs[r->g0 + j].y;
		}
		cairo_set_scaled_font(p->cr, r->sf);
		cairo_show_text_glyphs(p->cr,
				       c->text + r->t0,
				       r->tlen, at, j,
				       c->sh.clusters + r->c0, r->nc,
				       r->backward
					       ? CAIRO_TEXT_CLUSTER_FLAG_BACKWARD
					       : 0);	}
}

/* Make c ready to draw s in column i: shaped here, or laid out by pango. */
static void cell_prepare(struct rw_pdf *p, struct cell *c, int i, bool bold,
			 const char *s)
{
	if (!p->pango_only &&
	    shaper_cell(p->shaper, &c->sh, s, bold,
			p->col_w[i] - 2 * CELL_PAD)) {
		c->fast = true;
		return;
	}
	cell_layout(p, c, i, bold, s);
}

/* Draw s in column i (one line, cut with an ellipsis) at y, the row's
 * top, as text_at would.  The column keeps the last CELL_KEEP values it
 * drew, shaped, so that a value it showed lately (an agency, a status, a
 * date) is drawn again without being shaped again. */
static void cell_at(struct rw_pdf *p, int i, double y, bool bold,
		    const char *s)
{
	struct cell *slot = p->cells[i][bold ? 1 : 0];
	int *next = &p->cell_next[i][bold ? 1 : 0];
	double base = y + p->base[bold ? 1 : 0];
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
		c = &slot[*next];
		*next = (*next + 1) % CELL_KEEP;
		g_free(c->text);
		c->text = g_strdup(s);
		c->fast = false;
		cell_prepare(p, c, i, bold, s);
	}
	if (c->fast) {
		double x0 = p->w.cols[i].right
				    ? p->col_x[i] + p->col_w[i] - CELL_PAD -
					      c->sh.width
				    : p->col_x[i] + CELL_PAD;
		cairo_glyph_t *at = p->row_glyphs + p->row_nglyphs;

		if (c->sh.nglyphs == 0)
			return;
		if (c->sh.nruns != 1 || c->sh.runs[0].backward ||
		    c->sh.runs[0].sf != shaper_font(p->shaper, bold)) {
			cell_runs_show(p, c, x0, base);
			return;
		}
		/* one run in the row's font: it joins the row's glyphs
		 * (room: MAX_COLS cells of FAST_MAX, made with the writer) */
		for (k = 0; k < c->sh.nglyphs; k++) {
			at[k].index = c->sh.glyphs[k].index;
			at[k].x = x0 + c->sh.glyphs[k].x;
			at[k].y = base + c->sh.glyphs[k].y;
		}
		memcpy(p->row_clusters + p->row_nclusters, c->sh.clusters,
		       (size_t)c->sh.nclusters * sizeof(*c->sh.clusters));
		memcpy(p->row_text + p->row_len, c->text, (size_t)c->sh.len);
		p->row_nglyphs += c->sh.nglyphs;
		p->row_nclusters += c->sh.nclusters;
		p->row_len += c->sh.len;
		return;
	}
	/* on the row's baseline: an Arabic-script name, set in a font that
	 * reaches higher, would otherwise sit lower than its neighbours */
	cairo_move_to(p->cr, p->col_x[i] + CELL_PAD, base - c->base);
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

/* Turn a recorded page into the PDF's next page; the recording is
 * dropped.  The writer's (or, without one, the report's thread's). */
static void page_emit(struct rw_pdf *p, cairo_surface_t *page)
{
	cairo_set_source_surface(p->pdf_cr, page, 0, 0);
	cairo_paint(p->pdf_cr);
	cairo_set_source_rgb(p->pdf_cr, 0, 0, 0);
	cairo_show_page(p->pdf_cr);
	cairo_surface_destroy(page);
}

static void *writer_main(void *arg)
{
	struct rw_pdf *p = arg;

	for (;;) {
		cairo_surface_t *page;

		pthread_mutex_lock(&p->mu);
		while (p->q_len == 0 && !p->q_closed && !p->q_dropped)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->q_dropped || p->q_len == 0) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		page = p->queue[p->q_head];
		p->q_head = (p->q_head + 1) % PAGES_AHEAD;
		p->q_len--;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		page_emit(p, page);
	}
}

/* Hand a finished page to the writer, waiting while PAGES_AHEAD wait. */
static void page_out(struct rw_pdf *p, cairo_surface_t *page)
{
	if (!p->writer_on) {
		page_emit(p, page);
		return;
	}
	pthread_mutex_lock(&p->mu);
	while (p->q_len == PAGES_AHEAD)
		pthread_cond_wait(&p->cv, &p->mu);
	p->queue[(p->q_head + p->q_len) % PAGES_AHEAD] = page;
	p->q_len++;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* Stop the writer: when drop, pages still queued are thrown away. */
static void writer_stop(struct rw_pdf *p, bool drop)
{
	if (!p->writer_on)
		return;
	pthread_mutex_lock(&p->mu);
	if (drop)
		p->q_dropped = true;
	else
		p->q_closed = true;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->writer, NULL);
	p->writer_on = false;
	while (p->q_len > 0) {
		cairo_surface_destroy(p->queue[p->q_head]);
		p->q_head = (p->q_head + 1) % PAGES_AHEAD;
		p->q_len--;
	}
}

static void page_begin(struct rw_pdf *p)
{
	const struct rw_header *h = p->w.hdr;
	cairo_t *cr = p->cr;   /* the page's own, made below */
	const char *mark = "CONTAINS PERSONAL DATA";
	double mw = 150, y = MARGIN_TOP;

	p->w.pages++;
	p->page_open = true;
	if (p->sink) {
		cairo_rectangle_t all = {0, 0, PAGE_W, PAGE_H};

		p->page = cairo_recording_surface_create(
			CAIRO_CONTENT_COLOR_ALPHA, &all);
		p->cr = cairo_create(p->page);
		cr = p->cr;
	}
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
	text_kept(p, KEPT_AGENCY, MARGIN_X, y, CONTENT_W - mw - 10, p->f_bold,
		  h->agency, PANGO_ALIGN_LEFT);
	/* the marking: red, boxed, top right */
	cairo_set_source_rgb(cr, 0.75, 0.05, 0.05);
	cairo_set_line_width(cr, 1.0);
	cairo_rectangle(cr, PAGE_W - MARGIN_X - mw, y - 3, mw, 16);
	cairo_stroke(cr);
	text_kept(p, KEPT_MARK, PAGE_W - MARGIN_X - mw, y, mw, p->f_bold, mark,
		  PANGO_ALIGN_CENTER);
	cairo_set_source_rgb(cr, 0, 0, 0);
	y += 18;
	text_kept(p, KEPT_TITLE, MARGIN_X, y, CONTENT_W, p->f_title, h->title,
		  PANGO_ALIGN_LEFT);
	y += 21;
	text_kept(p, KEPT_ABOUT, MARGIN_X, y, CONTENT_W, p->f_body, h->about,
		  PANGO_ALIGN_LEFT);
	y += 12;
	text_kept(p, KEPT_SUBTITLE, MARGIN_X, y, CONTENT_W, p->f_small,
		  h->subtitle, PANGO_ALIGN_LEFT);
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
	text_kept(p, KEPT_PRINTED, MARGIN_X, y, CONTENT_W - 90, p->f_small,
		  p->w.hdr->printed, PANGO_ALIGN_LEFT);
	text_at(p, PAGE_W - MARGIN_X - 90, y, 90, p->f_small, num,
		PANGO_ALIGN_RIGHT, true, true);
	/* the first pass draws nothing: there is no page to finish */
	if (p->sink && p->page) {
		/* a drawing that failed leaves the page's context in error
		 * and every later drawing on it undone: never a page with
		 * holes, the report fails */
		if (cairo_status(p->cr) != CAIRO_STATUS_SUCCESS &&
		    p->draw_status == CAIRO_STATUS_SUCCESS)
			p->draw_status = cairo_status(p->cr);
		cairo_destroy(p->cr);
		p->cr = p->scratch_cr;
		page_out(p, p->page);
		p->page = NULL;
	}
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

	bool bold = fd == p->f_bold;

	p->row_nglyphs = p->row_nclusters = p->row_len = 0;
	for (i = 0; i < p->w.ncols && i < MAX_COLS; i++)
		cell_at(p, i, p->y + 0.5, bold, cells[i] ? cells[i] : "");
	if (p->row_nglyphs > 0) {
		cairo_set_scaled_font(p->cr, shaper_font(p->shaper, bold));
		cairo_show_text_glyphs(p->cr, p->row_text, p->row_len,
				       p->row_glyphs, p->row_nglyphs,
				       p->row_clusters, p->row_nclusters, 0);
	}
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
	writer_stop(p, false);
	cairo_surface_finish(p->surf);
	cs = cairo_surface_status(p->surf);
	if (p->write_failed || (p->sink && fflush(p->sink) != 0))
		return rcms_err_set(err, RCMS_ERR_IO, NULL,
				    "cannot write the report");
	if (cs == CAIRO_STATUS_SUCCESS)
		cs = p->draw_status;
	if (cs == CAIRO_STATUS_SUCCESS)
		cs = cairo_status(p->pdf_cr);
	if (cs != CAIRO_STATUS_SUCCESS)
		return rcms_err_set(err, RCMS_ERR_INTERNAL, NULL,
				    "cannot make the PDF: %s",
				    cairo_status_to_string(cs));
	return RCMS_OK;
}

static void p_free(struct rw *w)
{
	struct rw_pdf *p = (struct rw_pdf *)w;
	int i;

	writer_stop(p, true);
	if (p->writer_made) {
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
	}
	cells_reset(p);
	shaper_free(p->shaper);
	free(p->row_glyphs);
	free(p->row_clusters);
	free(p->row_text);

	for (i = 0; i < NKEPT; i++)
		if (p->kept[i])
			g_object_unref(p->kept[i]);
	if (p->lay)
		g_object_unref(p->lay);
	if (p->cr && p->cr != p->scratch_cr)
		cairo_destroy(p->cr);
	if (p->page)
		cairo_surface_destroy(p->page);
	if (p->scratch_cr)
		cairo_destroy(p->scratch_cr);
	if (p->scratch)
		cairo_surface_destroy(p->scratch);
	if (p->pdf_cr)
		cairo_destroy(p->pdf_cr);
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

/* The baseline of a line of Latin text in fd, in points from its top. */
static double baseline_of(struct rw_pdf *p, const PangoFontDescription *fd)
{
	pango_layout_set_font_description(p->lay, fd);
	pango_layout_set_width(p->lay, -1);
	pango_layout_set_text(p->lay, "Ag", -1);
	return (double)pango_layout_get_baseline(p->lay) / PANGO_SCALE;
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
	p->pdf_cr = cairo_create(p->surf);
	if (cairo_status(p->pdf_cr) != CAIRO_STATUS_SUCCESS)
		goto fail;
	p->scratch = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA,
						    NULL);
	p->scratch_cr = cairo_create(p->scratch);
	if (cairo_status(p->scratch_cr) != CAIRO_STATUS_SUCCESS)
		goto fail;
	p->cr = p->scratch_cr;
	p->lay = pango_cairo_create_layout(p->pdf_cr);
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
	/* glyphs where the font puts them: pango otherwise rounds each
	 * position to a whole point, which the PDF then carries as a
	 * correction after every glyph (a third of its size, and uneven
	 * spacing at 8 points) */
	pango_context_set_round_glyph_positions(pc, FALSE);
	/* a point is a point: pango's default of 96 dots an inch set every
	 * "8 points" at 10.7, and the columns cut their values short */
	pango_cairo_context_set_resolution(pc, 72.0);
	pango_layout_context_changed(p->lay);
	pango_layout_set_auto_dir(p->lay, FALSE);
	p->f_body = pango_font_description_from_string(FONT " 8");
	p->f_bold = pango_font_description_from_string(FONT " Bold 8");
	p->f_small = pango_font_description_from_string(FONT " 7");
	p->f_title = pango_font_description_from_string(FONT " Bold 14");
	p->f_head = pango_font_description_from_string(FONT " Bold 10");
	p->base[0] = baseline_of(p, p->f_body);
	p->base[1] = baseline_of(p, p->f_bold);
	p->row_glyphs = malloc(MAX_COLS * FAST_MAX * sizeof(cairo_glyph_t));
	p->row_clusters =
		malloc(MAX_COLS * FAST_MAX * sizeof(cairo_text_cluster_t));
	p->row_text = malloc(MAX_COLS * FAST_MAX);
	/* a row's shaped cells are drawn together (p->row_*): without room
	 * for them, every cell goes through pango */
	if (p->row_glyphs && p->row_clusters && p->row_text)
		p->shaper = shaper_new(pc, p->f_body, p->f_bold);
	p->pango_only = getenv("RCMS_PDF_SHAPER") &&
			strcmp(getenv("RCMS_PDF_SHAPER"), "pango") == 0;
	if (out && pthread_mutex_init(&p->mu, NULL) == 0) {
		if (pthread_cond_init(&p->cv, NULL) == 0) {
			sigset_t all, old;

			/* signals (a terminal resized, an interrupt) stay
			 * with the thread that handles them: the writer
			 * starts with every one blocked */
			sigfillset(&all);
			pthread_sigmask(SIG_SETMASK, &all, &old);
			p->writer_made = true;
			p->writer_on = pthread_create(&p->writer, NULL,
						      writer_main, p) == 0;
			pthread_sigmask(SIG_SETMASK, &old, NULL);
		} else {
			pthread_mutex_destroy(&p->mu);
		}
	}
	return &p->w;
fail:
	rcms_err_set(err, RCMS_ERR_INTERNAL, NULL,
		     "cannot start the PDF (cairo: %s)",
		     cairo_status_to_string(cairo_surface_status(p->surf)));
	p_free(&p->w);
	return NULL;
}
