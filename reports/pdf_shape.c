/* pdf_shape.c - table cells of a PDF shaped without a PangoLayout.
 *
 * A long report is mostly table cells, and pango lays each one out anew:
 * itemizing, fontset look-ups, shaping, line breaking, ellipsizing, about
 * a quarter of a million instructions for a name.  Here a cell is shaped
 * by HarfBuzz in the fonts pango chooses (pango_font_get_hb_font, and
 * the same cairo scaled fonts), into glyphs and clusters that
 * render_pdf.c draws with cairo_show_text_glyphs:
 * - printable ASCII (a reference, a date, a status, a Latin name) in the
 *   font pango takes for it;
 * - a name of Latin, Cyrillic and Arabic letters (see compose below).
 * Anything else, or what shaper_cell refuses, the caller lays out with
 * pango.  tests/reports compares the two word by word. */
#include "reports/pdf_shape.h"

#include <fribidi.h>
#include <hb.h>
#include <pango/pangocairo.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct fast_font {
	bool ok;                    /* the font draws all of printable ASCII */
	PangoFont *font;
	hb_font_t *hb;              /* pango's, for its scale and variations */
	cairo_scaled_font_t *sf;    /* pango's, what its glyphs are drawn in */
	double unit;                /* points per HarfBuzz unit */
	/* the font pango takes for Arabic script (compose) */
	PangoFontset *set;
	hb_font_t *arabic;
	double arabic_unit;
	cairo_scaled_font_t *arabic_sf;
};

struct word;

struct shaper {
	PangoContext *pc;           /* a reference */
	struct fast_font fast[2];   /* body, bold */
	hb_buffer_t *hb_buf;
	hb_language_t hb_lang;      /* the context's language */
	hb_language_t lang_for[3];  /* what pango shapes each script in */
	struct word *words;         /* shaped words of names, by hash */
};

static void runs_drop(struct shaped *c)
{
	int k;

	for (k = 0; k < c->nruns; k++)
		cairo_scaled_font_destroy(c->runs[k].sf);
	c->nruns = 0;
}

/* Room for n glyphs and n clusters in c. */
static bool cell_room(struct shaped *c, unsigned n)
{
	cairo_glyph_t *g;
	cairo_text_cluster_t *cl;

	if (n <= c->cap)
		return true;
	g = realloc(c->glyphs, n * sizeof(*g));
	if (!g)
		return false;
	c->glyphs = g;
	cl = realloc(c->clusters, n * sizeof(*cl));
	if (!cl)
		return false;
	c->clusters = cl;
	c->cap = n;
	return true;
}

/* The character offset where the cluster after glyph k's begins (len
 * after the last). */
static unsigned next_cluster(const hb_glyph_info_t *info, unsigned n,
			     unsigned k, unsigned len)
{
	while (k + 1 < n && info[k + 1].cluster == info[k].cluster)
		k++;
	return k + 1 < n ? info[k + 1].cluster : len;
}

/* Find the font pango sets ASCII in for fd; f->ok false: none found that
 * has every printable character, every cell goes through pango. */
static void fast_font_load(struct shaper *p, struct fast_font *f,
			   const PangoFontDescription *fd)
{
	cairo_matrix_t m;
	int xs = 0, ys = 0;
	hb_codepoint_t g;
	unsigned c;

	f->font = pango_context_load_font(p->pc, fd);
	if (!f->font || !PANGO_IS_CAIRO_FONT(f->font))
		return;
	f->hb = pango_font_get_hb_font(f->font);
	f->sf = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(f->font));
	if (!f->hb || !f->sf ||
	    cairo_scaled_font_status(f->sf) != CAIRO_STATUS_SUCCESS)
		return;
	for (c = 0x20; c < 0x7f; c++)
		if (!hb_font_get_nominal_glyph(f->hb, c, &g))
			return;
	hb_font_get_scale(f->hb, &xs, &ys);
	cairo_scaled_font_get_font_matrix(f->sf, &m);
	if (xs <= 0 || m.xx <= 0 || m.xy != 0 || m.yx != 0)
		return;
	f->unit = m.xx / xs;
	f->set = pango_context_load_fontset(p->pc, fd,
					    pango_context_get_language(p->pc));
	if (f->set) {
		PangoFont *a = pango_fontset_get_font(f->set, 0x0628);

		if (a && PANGO_IS_CAIRO_FONT(a)) {
			cairo_scaled_font_t *asf = pango_cairo_font_get_scaled_font(
				PANGO_CAIRO_FONT(a));

			f->arabic = pango_font_get_hb_font(a);
			hb_font_get_scale(f->arabic, &xs, &ys);
			if (asf && xs > 0 &&
			    cairo_scaled_font_status(asf) ==
				    CAIRO_STATUS_SUCCESS) {
				cairo_scaled_font_get_font_matrix(asf, &m);
				f->arabic_unit = m.xx / xs;
				f->arabic_sf = cairo_scaled_font_reference(asf);
			}
		}
		if (a)
			g_object_unref(a);
	}
	f->ok = true;
}

/* The length of s when it is all printable ASCII, short enough to be
 * shaped here; -1 otherwise. */
static int ascii_len(const char *s)
{
	int len;

	for (len = 0; s[len]; len++)
		if ((unsigned char)s[len] < 0x20 ||
		    (unsigned char)s[len] > 0x7e || len == FAST_MAX)
			return -1;
	return len;
}

/* Shape s (len bytes of printable ASCII) in f into c: glyphs from x 0 on
 * the baseline, their clusters, one run.  buf is the calling thread's. */
static bool ascii_glyphs(const struct fast_font *f, hb_buffer_t *buf,
			hb_language_t lang, const char *s, int len,
			struct shaped *c)
{
	hb_glyph_info_t *info;
	hb_glyph_position_t *pos;
	unsigned n, k;
	int nc = 0;
	double pen = 0;

	hb_buffer_clear_contents(buf);
	hb_buffer_add_utf8(buf, s, len, 0, len);
	hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
	hb_buffer_set_script(buf, HB_SCRIPT_LATIN);
	hb_buffer_set_language(buf, lang);
	hb_shape(f->hb, buf, NULL, 0);
	info = hb_buffer_get_glyph_infos(buf, &n);
	pos = hb_buffer_get_glyph_positions(buf, NULL);
	if (n > FAST_MAX || !cell_room(c, n))
		return false;
	runs_drop(c);
	for (k = 0; k < n; k++) {
		c->glyphs[k].index = info[k].codepoint;
		c->glyphs[k].x = pen + pos[k].x_offset * f->unit;
		c->glyphs[k].y = -pos[k].y_offset * f->unit;
		pen += pos[k].x_advance * f->unit;
		/* clusters tell a PDF reader which characters each run of
		 * glyphs stands for (what it copies out) */
		if (k == 0 || info[k].cluster != info[k - 1].cluster) {
			c->clusters[nc].num_bytes =
				(int)(next_cluster(info, n, k, (unsigned)len) -
				      info[k].cluster);
			c->clusters[nc].num_glyphs = 0;
			nc++;
		}
		c->clusters[nc - 1].num_glyphs++;
	}
	c->width = pen;
	c->nglyphs = (int)n;
	c->nclusters = nc;
	c->len = len;
	c->runs[0] = (struct run){cairo_scaled_font_reference(f->sf), 0,
				  (int)n, 0, nc, 0, len, false};
	c->nruns = 1;
	return true;
}

/* Shape s into c, when it is printable ASCII that fits room points;
 * false: pango must lay it out. */
static bool shape_ascii(struct shaper *p, struct shaped *c, const char *s,
			bool bold, double room)
{
	const struct fast_font *f = &p->fast[bold ? 1 : 0];
	int len = ascii_len(s);

	if (!f->ok || !p->hb_buf || len < 0 ||
	    !ascii_glyphs(f, p->hb_buf, p->hb_lang, s, len, c))
		return false;
	/* too wide: pango cuts it with an ellipsis */
	return c->width <= room;
}

/* ---- names, composed of shaped words -------------------------------------
 *
 * A name ("Mirzaei, Bashir (بشیر میرزایی)") costs pango a quarter of a
 * million instructions to itemize, shape and lay out, most of it shaping
 * again the same few thousand words.  A name of Latin, Cyrillic and
 * Arabic letters, spaces and ASCII punctuation, in a left-to-right
 * paragraph, is composed here instead: fribidi's embedding levels (as
 * pango takes them), runs of one level and font, each word shaped once by
 * HarfBuzz in the font, script and language pango would use and kept.
 * Spaces part Arabic letters (they do not join across them) and Latin
 * ones (no kerning across them in these fonts); tests/reports compares
 * where each word lands with where pango puts it.  A name too long for
 * its column is cut at a word or letter with an ellipsis at its end that
 * stands for the text cut off. */
#define WORDS 2048
#define COMPOSE_MAX 160

enum { SC_LATIN, SC_CYRILLIC, SC_ARABIC };

struct word {
	char *text;                 /* the key: bytes, font, script, side */
	int len;
	unsigned char font, script;
	bool rtl;
	cairo_glyph_t *g;           /* x from 0, y from the baseline */
	cairo_text_cluster_t *cl;   /* in the text's (logical) order */
	int ng, nc;
	double width;
};

/* A character's class for composing: -1, none that is composed. */
enum { CC_LATIN, CC_CYRILLIC, CC_ARABIC, CC_SPACE, CC_NEUTRAL };

static int compose_class(gunichar u)
{
	if (u == ' ')
		return CC_SPACE;
	if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') ||
	    (u >= 0xC0 && u <= 0x24F && u != 0xD7 && u != 0xF7))
		return CC_LATIN;
	if (u > 0x20 && u < 0x7F)
		return CC_NEUTRAL;          /* digits, punctuation */
	if (u >= 0x400 && u <= 0x4FF)
		return CC_CYRILLIC;
	/* Arabic letters and harakat (not its digits and punctuation,
	 * not the joiners) */
	if ((u >= 0x621 && u <= 0x65F) || u == 0x670 ||
	    (u >= 0x671 && u <= 0x6D3) || u == 0x6D5)
		return CC_ARABIC;
	return -1;
}

/* HarfBuzz's clusters of n glyphs into cl, in the text's order: the
 * glyphs are in visual order, so right to left they come from the end. */
static int clusters_of(const hb_glyph_info_t *info, unsigned n, int len,
		       bool rtl, cairo_text_cluster_t *cl)
{
	int nc = 0;
	unsigned k;

	for (k = 0; k < n; k++) {
		unsigned at = rtl ? n - 1 - k : k;

		if (k > 0 && info[at].cluster == info[rtl ? at + 1 : at - 1]
							   .cluster) {
			cl[nc - 1].num_glyphs++;
			continue;
		}
		cl[nc].num_glyphs = 1;
		cl[nc].num_bytes = (int)info[at].cluster; /* the start, here */
		nc++;
	}
	/* from starts to lengths */
	for (k = 0; k < (unsigned)nc; k++)
		cl[k].num_bytes = (k + 1 < (unsigned)nc ? cl[k + 1].num_bytes
							: len) -
				  cl[k].num_bytes;
	return nc;
}

/* Word s (len bytes) shaped in font (0, 1: Latin body, bold; 2, 3:
 * Arabic body, bold) and script, from the cache or now; NULL: no memory
 * or no font. */
static const struct word *word_get(struct shaper *p, const char *s, int len,
				   int font, int script, bool rtl)
{
	const struct fast_font *f = &p->fast[font & 1];
	hb_font_t *hb = font < 2 ? f->hb : f->arabic;
	double unit = font < 2 ? f->unit : f->arabic_unit;
	uint32_t h = 2166136261u ^ (uint32_t)(font * 7 + script * 2 + rtl);
	hb_glyph_info_t *info;
	hb_glyph_position_t *pos;
	struct word *w;
	unsigned n, k;
	double pen = 0;
	int i;

	if (!hb || unit <= 0 || !p->words)
		return NULL;
	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	w = &p->words[h % WORDS];
	if (w->text && w->len == len && w->font == font &&
	    w->script == script && w->rtl == rtl &&
	    memcmp(w->text, s, (size_t)len) == 0)
		return w;
	g_free(w->text);
	free(w->g);
	free(w->cl);
	memset(w, 0, sizeof(*w));
	hb_buffer_clear_contents(p->hb_buf);
	hb_buffer_add_utf8(p->hb_buf, s, len, 0, len);
	hb_buffer_set_direction(p->hb_buf,
				rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
	hb_buffer_set_script(p->hb_buf, script == SC_ARABIC ? HB_SCRIPT_ARABIC
					: script == SC_CYRILLIC
						? HB_SCRIPT_CYRILLIC
						: HB_SCRIPT_LATIN);
	hb_buffer_set_language(p->hb_buf, p->lang_for[script]);
	hb_shape(hb, p->hb_buf, NULL, 0);
	info = hb_buffer_get_glyph_infos(p->hb_buf, &n);
	pos = hb_buffer_get_glyph_positions(p->hb_buf, NULL);
	w->g = malloc((n ? n : 1) * sizeof(*w->g));
	w->cl = malloc((n ? n : 1) * sizeof(*w->cl));
	w->text = g_strndup(s, (gsize)len);
	if (!w->g || !w->cl || !w->text) {
		g_free(w->text);
		free(w->g);
		free(w->cl);
		memset(w, 0, sizeof(*w));
		return NULL;
	}
	for (k = 0; k < n; k++) {
		w->g[k].index = info[k].codepoint;
		w->g[k].x = pen + pos[k].x_offset * unit;
		w->g[k].y = -pos[k].y_offset * unit;
		pen += pos[k].x_advance * unit;
	}
	w->len = len;
	w->font = (unsigned char)font;
	w->script = (unsigned char)script;
	w->rtl = rtl;
	w->ng = (int)n;
	w->nc = clusters_of(info, n, len, rtl, w->cl);
	w->width = pen;
	return w;
}

/* A piece of a name: a word or its spaces, of one level and font.  Its
 * shaped word is fetched from the cache each time it is used: a later
 * fetch may take the cache's slot. */
struct seg {
	int b0, b1;                 /* its bytes */
	bool rtl;
	int font, script;
	double width;
	bool ell;                   /* the ellipsis, for the bytes cut off */
};

static const struct word *seg_word(struct shaper *p, const char *s,
				   const struct seg *g)
{
	if (g->ell)
		return word_get(p, "\xe2\x80\xa6", 3, g->font, SC_LATIN,
				false);
	return word_get(p, s + g->b0, g->b1 - g->b0, g->font, g->script,
			g->rtl);
}

/* Whether c's runs are what cairo takes: clusters that cover each run's
 * text (whole characters) and glyphs exactly, none of them empty. */
static bool runs_valid(const struct shaped *c, const char *s)
{
	int k, j;

	for (k = 0; k < c->nruns; k++) {
		const struct run *r = &c->runs[k];
		int bytes = 0, glyphs = 0;

		for (j = 0; j < r->nc; j++) {
			const cairo_text_cluster_t *cl = &c->clusters[r->c0 + j];

			if (cl->num_bytes < 0 || cl->num_glyphs < 0 ||
			    (cl->num_bytes == 0 && cl->num_glyphs == 0))
				return false;
			bytes += cl->num_bytes;
			glyphs += cl->num_glyphs;
			if (bytes > r->tlen || glyphs > r->ng)
				return false;
			/* a cluster ends between characters */
			if (((unsigned char)s[r->t0 + bytes] & 0xC0) == 0x80)
				return false;
		}
		if (bytes != r->tlen || glyphs != r->ng)
			return false;
	}
	return true;
}

/* Compose s into c for a column room points wide (see above); false:
 * pango must. */
static bool compose(struct shaper *p, struct shaped *c, const char *s,
		    bool bold, double room)
{
	FriBidiChar u[COMPOSE_MAX];
	FriBidiCharType t[COMPOSE_MAX];
	FriBidiBracketType bt[COMPOSE_MAX];
	FriBidiLevel lv[COMPOSE_MAX];
	FriBidiParType dir = FRIBIDI_PAR_WLTR;
	int off[COMPOSE_MAX + 1], cls[COMPOSE_MAX];
	struct seg seg[COMPOSE_MAX + 1];
	const struct fast_font *f = &p->fast[bold ? 1 : 0];
	const char *q;
	double width = 0, pen;
	int n = 0, ns = 0, k, j, keep, ng, nc, nr;
	const struct word *w;

	if (!f->ok || !f->arabic_sf || !p->hb_buf ||
	    !g_utf8_validate(s, -1, NULL))
		return false;
	for (q = s; *q; q = g_utf8_next_char(q)) {
		if (n == COMPOSE_MAX)
			return false;
		off[n] = (int)(q - s);
		u[n] = g_utf8_get_char(q);
		cls[n] = compose_class(u[n]);
		if (cls[n] < 0)
			return false;
		n++;
	}
	off[n] = (int)(q - s);
	if (n == 0)
		return false;
	fribidi_get_bidi_types(u, n, t);
	fribidi_get_bracket_types(u, n, t, bt);
	/* levels 0 and 1 only, in a left-to-right paragraph */
	k = fribidi_get_par_embedding_levels_ex(t, bt, n, &dir, lv);
	if (k < 1 || k > 2 || dir != FRIBIDI_PAR_LTR)
		return false;
	/* pieces: a change of level, or between spaces and the rest */
	for (k = 0; k < n; k = j) {
		int script = -1;
		bool rtl = lv[k] == 1;

		for (j = k; j < n && lv[j] == lv[k] &&
			    (cls[j] == CC_SPACE) == (cls[k] == CC_SPACE);
		     j++) {
			int sc = cls[j] == CC_LATIN      ? SC_LATIN
				 : cls[j] == CC_CYRILLIC ? SC_CYRILLIC
				 : cls[j] == CC_ARABIC   ? SC_ARABIC
							 : -1;

			/* right to left: Arabic letters and spaces only;
			 * left to right: no Arabic; one script a word */
			if (rtl ? (cls[j] != CC_ARABIC && cls[j] != CC_SPACE)
				: cls[j] == CC_ARABIC)
				return false;
			if (sc >= 0 && script >= 0 && sc != script)
				return false;
			if (sc >= 0)
				script = sc;
		}
		/* spaces and punctuation: the script of the word before */
		if (script < 0)
			script = ns > 0 ? seg[ns - 1].script
					: rtl ? SC_ARABIC : SC_LATIN;
		seg[ns] = (struct seg){off[k], off[j], rtl,
				       (rtl ? 2 : 0) + (bold ? 1 : 0), script,
				       0, false};
		w = seg_word(p, s, &seg[ns]);
		if (!w)
			return false;
		seg[ns].width = w->width;
		width += w->width;
		ns++;
	}
	keep = ns;
	if (width > room) {
		/* cut: whole pieces while they fit with the ellipsis, then
		 * the letters of the next that do, spaces at the end gone */
		const struct word *ell = word_get(p, "\xe2\x80\xa6", 3,
						  bold ? 1 : 0, SC_LATIN,
						  false);
		double used = 0, ell_w;

		if (!ell)
			return false;
		ell_w = ell->width;
		for (keep = 0;
		     keep < ns && used + seg[keep].width + ell_w <= room;
		     keep++)
			used += seg[keep].width;
		if (keep < ns && s[seg[keep].b0] != ' ') {
			/* the letters of seg[keep] that fit, longest first */
			int b = seg[keep].b1;

			while (b > seg[keep].b0) {
				b = (int)(g_utf8_prev_char(s + b) - s);
				if (b == seg[keep].b0)
					break;
				w = word_get(p, s + seg[keep].b0,
					     b - seg[keep].b0, seg[keep].font,
					     seg[keep].script, seg[keep].rtl);
				if (!w)
					return false;
				if (used + w->width + ell_w <= room) {
					seg[keep].b1 = b;
					seg[keep].width = w->width;
					keep++;
					break;
				}
			}
		}
		while (keep > 0 && s[seg[keep - 1].b0] == ' ')
			keep--;
		/* the ellipsis stands for all that is cut off: a reader
		 * copying the cell out (or searching the PDF) gets it whole,
		 * as from pango's */
		seg[keep] = (struct seg){keep > 0 ? seg[keep - 1].b1 : 0,
					 off[n], false, bold ? 1 : 0,
					 SC_LATIN, ell_w, true};
		ns = keep + 1;
	}
	/* room for the glyphs: a glyph a byte at most */
	if (!cell_room(c, (unsigned)off[n] + 1))
		return false;
	runs_drop(c);
	/* runs: the pieces of one level, in visual order (right to left
	 * ones reversed), their clusters in the text's order */
	pen = 0;
	ng = nc = nr = 0;
	for (k = 0; k < ns; k = j) {
		struct run *r;
		int m;

		for (j = k; j < ns && seg[j].rtl == seg[k].rtl &&
			    seg[j].font == seg[k].font;
		     j++)
			;
		if (nr == MAX_RUNS) {
			runs_drop(c);
			return false;
		}
		r = &c->runs[nr++];
		r->sf = cairo_scaled_font_reference(seg[k].font < 2
							    ? f->sf
							    : f->arabic_sf);
		r->backward = seg[k].rtl;
		r->g0 = ng;
		r->c0 = nc;
		r->t0 = seg[k].b0;
		r->tlen = seg[j - 1].b1 - seg[k].b0;
		for (m = 0; m < j - k; m++) {
			int g;

			w = seg_word(p, s,
				     &seg[seg[k].rtl ? j - 1 - m : k + m]);
			if (!w || ng + w->ng > (int)c->cap) {
				runs_drop(c);
				return false;
			}
			for (g = 0; g < w->ng; g++) {
				c->glyphs[ng] = w->g[g];
				c->glyphs[ng].x += pen;
				ng++;
			}
			pen += w->width;
		}
		for (m = k; m < j; m++) {
			w = seg_word(p, s, &seg[m]);
			if (!w || nc + w->nc > (int)c->cap) {
				runs_drop(c);
				return false;
			}
			if (seg[m].ell) {
				c->clusters[nc].num_bytes =
					seg[m].b1 - seg[m].b0;
				c->clusters[nc].num_glyphs = w->ng;
				nc++;
				continue;
			}
			memcpy(c->clusters + nc, w->cl,
			       (size_t)w->nc * sizeof(*c->clusters));
			nc += w->nc;
		}
		r->ng = ng - r->g0;
		r->nc = nc - r->c0;
	}
	c->nruns = nr;
	/* cairo refuses clusters that do not add up to their run's text
	 * and glyphs, and then draws nothing more on the page: pango's
	 * layout, rather than a page with holes */
	if (!runs_valid(c, s)) {
		runs_drop(c);
		return false;
	}
	c->nglyphs = ng;
	c->nclusters = nc;
	c->len = off[n];
	c->width = pen;
	return true;
}

bool shaper_cell(struct shaper *sh, struct shaped *c, const char *s,
		 bool bold, double room)
{
	if (!sh)
		return false;
	if (shape_ascii(sh, c, s, bold, room) || compose(sh, c, s, bold, room))
		return true;
	runs_drop(c);
	return false;
}

cairo_scaled_font_t *shaper_font(const struct shaper *sh, bool bold)
{
	return sh && sh->fast[bold ? 1 : 0].ok ? sh->fast[bold ? 1 : 0].sf
						: NULL;
}

void shaped_clear(struct shaped *c)
{
	runs_drop(c);
	free(c->glyphs);
	free(c->clusters);
	memset(c, 0, sizeof(*c));
}

struct shaper *shaper_new(PangoContext *pc, const PangoFontDescription *body,
			  const PangoFontDescription *bold)
{
	struct shaper *p = calloc(1, sizeof(*p));
	PangoLanguage *cl;
	const char *lang;
	int i;

	if (!p)
		return NULL;
	p->pc = g_object_ref(pc);
	p->hb_buf = hb_buffer_create();
	p->words = calloc(WORDS, sizeof(*p->words));
	if (!hb_buffer_allocation_successful(p->hb_buf) || !p->words) {
		shaper_free(p);
		return NULL;
	}
	/* the language pango shapes in (the context's, from the locale),
	 * and for a script the context's language does not write, the
	 * script's sample language, as pango's itemizer derives it */
	cl = pango_context_get_language(pc);
	lang = pango_language_to_string(cl);
	p->hb_lang = hb_language_from_string(lang ? lang : "en", -1);
	for (i = 0; i < 3; i++) {
		static const PangoScript sc[3] = {PANGO_SCRIPT_LATIN,
						  PANGO_SCRIPT_CYRILLIC,
						  PANGO_SCRIPT_ARABIC};
		PangoLanguage *l =
			cl && pango_language_includes_script(cl, sc[i])
				? cl
				: pango_script_get_sample_language(sc[i]);

		if (!l)
			l = pango_language_from_string("xx");
		p->lang_for[i] = hb_language_from_string(
			pango_language_to_string(l), -1);
	}
	fast_font_load(p, &p->fast[0], body);
	fast_font_load(p, &p->fast[1], bold);
	return p;
}

void shaper_free(struct shaper *p)
{
	int i;

	if (!p)
		return;
	for (i = 0; i < 2; i++) {
		if (p->fast[i].font)
			g_object_unref(p->fast[i].font);
		if (p->fast[i].set)
			g_object_unref(p->fast[i].set);
		if (p->fast[i].arabic_sf)
			cairo_scaled_font_destroy(p->fast[i].arabic_sf);
	}
	if (p->words) {
		for (i = 0; i < WORDS; i++) {
			g_free(p->words[i].text);
			free(p->words[i].g);
			free(p->words[i].cl);
		}
		free(p->words);
	}
	if (p->hb_buf)
		hb_buffer_destroy(p->hb_buf);
	if (p->pc)
		g_object_unref(p->pc);
	free(p);
}
