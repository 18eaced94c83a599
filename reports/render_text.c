/* render_text.c - the text writer: 80 or 132 columns, for the terminal's
 * pager and line printers.  Widths are terminal cells (app/text.h); a
 * cell too long for its column is cut with "…"; control characters from
 * the data become spaces, so that no data can move the cursor. */
#include "reports/report_priv.h"

#include <stdlib.h>
#include <string.h>

struct rw_text {
	struct rw w;
	bool started;
	bool line_pending;   /* a blank line before the next block */
	bool last_kv;        /* the last block was a key and value */
};

/* The bytes of s that fit in max cells; *cells their width. */
static size_t fit(const char *s, size_t max, size_t *cells)
{
	size_t n = strlen(s), i = 0, w = 0;
	uint32_t cp;

	while (i < n) {
		int k = rcms_utf8_decode(s + i, n - i, &cp);
		int cw;
		if (k <= 0) {
			k = 1;
			cw = 1;
		} else {
			cw = cp < 0x20 || cp == 0x7f ? 1 : rcms_cp_width(cp);
		}
		if (w + (size_t)cw > max)
			break;
		w += (size_t)cw;
		i += (size_t)k;
	}
	*cells = w;
	return i;
}

/* Write n bytes of s with controls as spaces. */
static void put_clean(FILE *f, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		fputc(ch < 0x20 || ch == 0x7f ? ' ' : ch, f);
	}
}

static void pad(FILE *f, size_t n)
{
	while (n--)
		fputc(' ', f);
}

static void rule(FILE *f, int width, char ch)
{
	int i;

	for (i = 0; i < width; i++)
		fputc(ch, f);
	fputc('\n', f);
}

/* s in exactly width cells, cut with "…" when longer. */
static void put_cell(FILE *f, const char *s, size_t width, bool right)
{
	size_t cells, n = fit(s, width, &cells);

	if (n < strlen(s) && width > 0) {
		n = fit(s, width - 1, &cells);
		put_clean(f, s, n);
		fputs("\xe2\x80\xa6", f);
		cells++;
		pad(f, width - cells);
		return;
	}
	if (right)
		pad(f, width - cells);
	put_clean(f, s, n);
	if (!right)
		pad(f, width - cells);
}

/* Words of s wrapped into lines of width cells, each line after indent
 * cells (the first line's indent already written). */
static void wrap(FILE *f, const char *s, size_t indent, size_t width)
{
	size_t col = 0;
	const char *p = s;

	if (!*s) {
		fputc('\n', f);
		return;
	}
	while (*p) {
		const char *e;
		size_t wlen, wcells;

		if (*p == '\n') {
			fputc('\n', f);
			pad(f, indent);
			col = 0;
			p++;
			continue;
		}
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p)
			break;
		e = p;
		while (*e && *e != ' ' && *e != '\t' && *e != '\n' &&
		       *e != '\r')
			e++;
		{
			char word[1024];
			wlen = (size_t)(e - p);
			if (wlen >= sizeof(word))
				wlen = sizeof(word) - 1;
			memcpy(word, p, wlen);
			word[wlen] = '\0';
			fit(word, (size_t)-1, &wcells);
			if (col > 0 && col + 1 + wcells > width) {
				fputc('\n', f);
				pad(f, indent);
				col = 0;
			} else if (col > 0) {
				fputc(' ', f);
				col++;
			}
			while (wcells > width) {
				/* a word longer than the line: cut it */
				size_t c2, k = fit(word, width, &c2);
				put_clean(f, word, k);
				fputc('\n', f);
				pad(f, indent);
				memmove(word, word + k, strlen(word + k) + 1);
				fit(word, (size_t)-1, &wcells);
			}
			put_clean(f, word, strlen(word));
			col += wcells;
		}
		p = e;
	}
	fputc('\n', f);
}

static void start(struct rw_text *t)
{
	FILE *f = t->w.out;
	const struct rw_header *h = t->w.hdr;
	const char *mark = "CONTAINS PERSONAL DATA";
	size_t ml = strlen(mark), cells;

	if (t->started)
		return;
	t->started = true;
	rule(f, t->w.width, '=');
	fit(h->agency, (size_t)t->w.width, &cells);
	if (cells + 2 + ml <= (size_t)t->w.width) {
		put_cell(f, h->agency, (size_t)t->w.width - ml, false);
		fputs(mark, f);
		fputc('\n', f);
	} else {
		put_cell(f, h->agency, (size_t)t->w.width, false);
		fprintf(f, "\n%s\n", mark);
	}
	{
		char line[sizeof(h->title) + sizeof(h->about) + 4];
		snprintf(line, sizeof(line), "%s: %s", h->title, h->about);
		wrap(f, line, 0, (size_t)t->w.width);
	}
	if (h->subtitle[0])
		wrap(f, h->subtitle, 0, (size_t)t->w.width);
	wrap(f, h->printed, 0, (size_t)t->w.width);
	rule(f, t->w.width, '=');
	t->line_pending = true;
}

static void block(struct rw_text *t)
{
	start(t);
	if (t->line_pending)
		fputc('\n', t->w.out);
	t->line_pending = false;
	t->last_kv = false;
}

static void t_heading(struct rw *w, const char *text)
{
	struct rw_text *t = (struct rw_text *)w;
	size_t cells;

	block(t);
	put_clean(w->out, text, fit(text, (size_t)w->width, &cells));
	fputc('\n', w->out);
	rule(w->out, (int)cells, '-');
}

static void t_para(struct rw *w, const char *text)
{
	struct rw_text *t = (struct rw_text *)w;

	block(t);
	wrap(w->out, text, 0, (size_t)w->width);
	t->line_pending = true;
}

static void t_kv(struct rw *w, const char *key, const char *value)
{
	struct rw_text *t = (struct rw_text *)w;
	size_t kw = w->width >= 132 ? 36 : 28;

	size_t cells;

	/* consecutive keys and values make one block */
	if (!t->last_kv)
		block(t);
	t->last_kv = true;
	t->line_pending = true;
	fit(key, (size_t)-1, &cells);
	if (cells > kw - 2) {
		/* a long key on a line of its own */
		wrap(w->out, key, 0, (size_t)w->width);
		pad(w->out, kw);
	} else {
		put_cell(w->out, key, kw - 2, false);
		fputs("  ", w->out);
	}
	wrap(w->out, value, kw, (size_t)w->width - kw);
}

static int col_width(const struct rw *w, int i)
{
	return w->width >= 132 ? w->cols[i].w132 : w->cols[i].w80;
}

static void t_cells(struct rw *w, const char *const *cells)
{
	int i, last = -1;
	bool first = true;

	for (i = 0; i < w->ncols; i++)
		if (col_width(w, i) > 0)
			last = i;
	for (i = 0; i < w->ncols; i++) {
		int cw = col_width(w, i);
		const char *s = cells[i] ? cells[i] : "";
		if (cw <= 0)
			continue;
		if (!first)
			fputc(' ', w->out);
		first = false;
		if (i == last && !w->cols[i].right) {
			/* no spaces at the end of a line */
			size_t cells_w, n = fit(s, (size_t)cw, &cells_w);
			if (n < strlen(s))
				put_cell(w->out, s, (size_t)cw, false);
			else
				put_clean(w->out, s, n);
		} else {
			put_cell(w->out, s, (size_t)cw, w->cols[i].right);
		}
	}
	fputc('\n', w->out);
}

static int table_width(const struct rw *w)
{
	int i, n = 0, tw = 0;

	for (i = 0; i < w->ncols; i++) {
		int cw = col_width(w, i);
		if (cw > 0) {
			tw += cw;
			n++;
		}
	}
	return tw + (n > 0 ? n - 1 : 0);
}

static void t_table_begin(struct rw *w)
{
	struct rw_text *t = (struct rw_text *)w;
	const char *heads[32];
	int i;

	block(t);
	for (i = 0; i < w->ncols && i < 32; i++)
		heads[i] = w->cols[i].head;
	t_cells(w, heads);
	rule(w->out, table_width(w), '-');
}

static void t_row(struct rw *w, const char *const *cells, unsigned flags)
{
	if (flags & RW_TOTAL)
		rule(w->out, table_width(w), '-');
	t_cells(w, cells);
}

static void t_table_end(struct rw *w)
{
	if (w->rows == 0)
		fputs("None.\n", w->out);
	((struct rw_text *)w)->line_pending = true;
}

static const char bar_ch[3] = {'#', '=', '.'};

static void t_chart(struct rw *w, const struct rw_chart *c)
{
	struct rw_text *t = (struct rw_text *)w;
	int64_t max = 0;
	int i, s, lw = 22, vw = 8, bw;

	block(t);
	for (i = 0; i < c->n; i++) {
		int64_t sum = 0;
		for (s = 0; s < c->nseries; s++)
			sum += c->v[i][s];
		if (sum > max)
			max = sum;
	}
	bw = w->width - lw - vw - 2;
	fprintf(w->out, "%s\n", c->title);
	if (c->nseries > 1) {
		for (s = 0; s < c->nseries; s++)
			fprintf(w->out, "%s%c %s", s ? "  " : "", bar_ch[s],
				c->series[s]);
		fputc('\n', w->out);
	}
	for (i = 0; i < c->n; i++) {
		int64_t sum = 0;
		int drawn = 0, k;
		char num[32];
		put_cell(w->out, c->label[i], (size_t)lw, false);
		fputc(' ', w->out);
		for (s = 0; s < c->nseries; s++) {
			int64_t upto;
			sum += c->v[i][s];
			/* cumulative rounding: the stack is as long as the
			 * total's bar */
			upto = max > 0 ? (sum * bw + max / 2) / max : 0;
			for (k = drawn; k < upto; k++)
				fputc(bar_ch[s], w->out);
			if (upto > drawn)
				drawn = (int)upto;
		}
		pad(w->out, (size_t)(bw - drawn));
		snprintf(num, sizeof(num), "%lld", (long long)sum);
		fputc(' ', w->out);
		put_cell(w->out, num, (size_t)vw, true);
		fputc('\n', w->out);
	}
	t->line_pending = true;
}

static void t_boxes(struct rw *w, const char *const *labels, int n)
{
	struct rw_text *t = (struct rw_text *)w;
	int i, bw = (w->width - (n - 1) * 2) / (n > 0 ? n : 1), line;

	block(t);
	for (line = 0; line < 6; line++) {
		for (i = 0; i < n; i++) {
			if (i)
				fputs("  ", w->out);
			if (line == 0 || line == 5) {
				int k;
				fputc('+', w->out);
				for (k = 0; k < bw - 2; k++)
					fputc('-', w->out);
				fputc('+', w->out);
			} else {
				fputc('|', w->out);
				put_cell(w->out, line == 1 ? labels[i] : "",
					 (size_t)bw - 2, false);
				fputc('|', w->out);
			}
		}
		fputc('\n', w->out);
	}
	t->line_pending = true;
}

static enum rcms_status t_end(struct rw *w, struct rcms_err *err)
{
	struct rw_text *t = (struct rw_text *)w;

	block(t);
	fputs("-- end of report --\n", w->out);
	if (fflush(w->out) != 0 || ferror(w->out))
		return rcms_err_set(err, RCMS_ERR_IO, NULL,
				    "cannot write the report");
	return RCMS_OK;
}

static void t_free(struct rw *w)
{
	free(w);
}

static const struct rw_ops text_ops = {
	.heading = t_heading,
	.para = t_para,
	.kv = t_kv,
	.table_begin = t_table_begin,
	.row = t_row,
	.table_end = t_table_end,
	.chart = t_chart,
	.boxes = t_boxes,
	.end = t_end,
	.free = t_free,
};

struct rw *rw_text_new(FILE *out, int width, const struct rw_header *hdr)
{
	struct rw_text *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->w.ops = &text_ops;
	t->w.fmt = REPORT_TEXT;
	t->w.out = out;
	t->w.width = width >= 132 ? 132 : 80;
	t->w.hdr = hdr;
	return &t->w;
}
