/* pdf_shape.h - table cells of a PDF shaped without a PangoLayout
 * (pdf_shape.c), for render_pdf.c. */
#ifndef RCMS_REPORTS_PDF_SHAPE_H
#define RCMS_REPORTS_PDF_SHAPE_H

#include <cairo.h>
#include <pango/pango.h>
#include <stdbool.h>

#define FAST_MAX 256                /* bytes of a cell shaped here */
#define MAX_RUNS 8

/* A run of a shaped cell: glyphs of one font and one direction. */
struct run {
	cairo_scaled_font_t *sf;    /* a reference */
	int g0, ng;                 /* its glyphs in the cell's */
	int c0, nc;                 /* its clusters in the cell's */
	int t0, tlen;               /* the bytes of text they stand for */
	bool backward;              /* right to left: clusters from the end */
};

/* A shaped cell: glyphs from x 0 on the baseline, their clusters (what
 * the text's bytes stand for, for readers copying it out), in runs. */
struct shaped {
	cairo_glyph_t *glyphs;
	cairo_text_cluster_t *clusters;
	int nglyphs, nclusters, len;
	unsigned cap;               /* room in glyphs and clusters */
	struct run runs[MAX_RUNS];
	int nruns;
	double width;               /* points */
};

struct shaper;

/* A shaper for the fonts pango takes for body and bold in pc; NULL: no
 * memory (every cell then goes through pango). */
struct shaper *shaper_new(PangoContext *pc, const PangoFontDescription *body,
			  const PangoFontDescription *bold);
void shaper_free(struct shaper *sh);

/* Shape s (UTF-8) into c for a cell room points wide: true when done
 * (cut with an ellipsis when too long, for a name); false, c cleared:
 * pango must lay it out. */
bool shaper_cell(struct shaper *sh, struct shaped *c, const char *s,
		 bool bold, double room);

/* The font of a row's ASCII cells (body or bold), NULL when none. */
cairo_scaled_font_t *shaper_font(const struct shaper *sh, bool bold);

void shaped_clear(struct shaped *c);

#endif
