/*
 * reports.c - the reports menu and a report: every report reports/ lists
 * (report_list), its parameters (a case, the period, the requested
 * agency and country, an officer: what the report takes), its text form
 * in a pager, and export (CSV, PDF or text by the file's name) and
 * printing (a CUPS queue) through the functions `rcms report` uses, each
 * of them audited there.
 *
 * The text goes to an unlinked temporary file and the pager keeps only
 * the offset of each line, so a long report costs eight bytes a line of
 * memory; the screen reads the lines it shows.
 */
#include "ui/ui_priv.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "reports/report.h"

/* ---- the menu ---------------------------------------------------------------- */

struct menu {
	struct view v;
	const struct report_def *defs;
	size_t n;
	int cur;
};

static struct view *report_view_new(struct ui *ui,
				    const struct report_def *def);

static int open_menu(struct view *v)
{
	struct menu *m = (struct menu *)v;

	m->defs = report_list(&m->n);
	if (m->cur >= (int)m->n)
		m->cur = m->n ? (int)m->n - 1 : 0;
	return 0;
}

static void params_text(unsigned params, char *buf, size_t size)
{
	size_t u = 0;

	buf[0] = '\0';
#define P(bit, text)                                                          \
	if ((params & (bit)) && u < size)                                     \
		u += (size_t)snprintf(buf + u, size - u, "%s%s",              \
				      u ? ", " : "", text);
	P(REPORT_P_CASE, "a case")
	P(REPORT_P_PERIOD, "period")
	P(REPORT_P_AGENCY, "agency")
	P(REPORT_P_COUNTRY, "country")
	P(REPORT_P_OFFICER, "officer")
#undef P
	if (!buf[0])
		snprintf(buf, size, "no parameters");
}

static void draw_menu(struct view *v, int top, int rows, int cols)
{
	struct menu *m = (struct menu *)v;
	char line[512], par[128];
	size_t i;

	ui_put(top, 0, "Enter opens a report: its parameters, then its text; "
	       "there e exports, p prints.", cols, false);
	attron(A_BOLD | A_UNDERLINE);
	snprintf(line, sizeof(line), "%-12s %-24s %s", "Report", "Title",
		 "Takes");
	ui_put(top + 1, 0, line, cols, true);
	attroff(A_BOLD | A_UNDERLINE);
	for (i = 0; i < m->n && (int)(2 * i) + 3 < rows; i++) {
		const struct report_def *d = &m->defs[i];
		bool sel = (int)i == m->cur;
		int y = top + 2 + 2 * (int)i;
		params_text(d->params, par, sizeof(par));
		snprintf(line, sizeof(line), "%-12s %-24s %s", d->name,
			 d->title, par);
		if (sel)
			attron(A_REVERSE);
		ui_put(y, 0, line, cols, true);
		if (sel)
			attroff(A_REVERSE);
		ui_put(y + 1, 13, d->help, cols - 13, false);
	}
}

static unsigned handle_menu(struct view *v, enum ui_request req,
			    const char *arg)
{
	struct menu *m = (struct menu *)v;

	switch (req) {
	case UI_REQ_UP:
		if (m->cur > 0)
			m->cur--;
		return UI_REDRAW;
	case UI_REQ_DOWN:
		if (m->cur < (int)m->n - 1)
			m->cur++;
		return UI_REDRAW;
	case UI_REQ_FIRST:
	case UI_REQ_PAGE_UP:
		m->cur = 0;
		return UI_REDRAW;
	case UI_REQ_LAST:
	case UI_REQ_PAGE_DOWN:
		m->cur = m->n ? (int)m->n - 1 : 0;
		return UI_REDRAW;
	case UI_REQ_ENTER:
		if (arg) {
			/* ":enter caseload" opens a report by its name */
			const struct report_def *d = report_find(arg);
			if (!d) {
				ui_error(v->ui, "there is no report '%.40s'",
					 arg);
				return UI_REDRAW;
			}
			m->cur = (int)(d - m->defs);
			ui_push(v->ui, report_view_new(v->ui, d));
			return UI_REDRAW;
		}
		if (m->n == 0)
			return UI_NOTHING;
		ui_push(v->ui, report_view_new(v->ui, &m->defs[m->cur]));
		return UI_REDRAW;
	default:
		return UI_PASS;
	}
}

static void close_menu(struct view *v)
{
	free(v);
}

static const struct view_ops menu_ops = {
	.name = "reports",
	.keymap = &ui_keymap_menu,
	.open = open_menu,
	.draw = draw_menu,
	.handle = handle_menu,
	.close = close_menu,
};

struct view *ui_reports_new(struct ui *ui)
{
	struct menu *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->v.ops = &menu_ops;
	m->v.ui = ui;
	snprintf(m->v.title, sizeof(m->v.title), "Reports");
	return &m->v;
}

/* ---- a report: its parameters, then its text ----------------------------------- */

enum prm { PRM_CASE, PRM_FROM, PRM_TO, PRM_AGENCY, PRM_COUNTRY, PRM_OFFICER,
	   PRM__COUNT };

static const struct {
	unsigned bit;
	const char *label;
	const char *hint;
} prm_info[PRM__COUNT] = {
	[PRM_CASE] = {REPORT_P_CASE, "case", "its reference"},
	[PRM_FROM] = {REPORT_P_PERIOD, "from", "YYYY-MM-DD; empty: the "
					       "beginning"},
	[PRM_TO] = {REPORT_P_PERIOD, "to", "YYYY-MM-DD, that day included; "
					   "empty: today"},
	[PRM_AGENCY] = {REPORT_P_AGENCY, "requested agency", "PK-MOI; "
							     "empty: any"},
	[PRM_COUNTRY] = {REPORT_P_COUNTRY, "requested country", "PK; "
							       "empty: any"},
	[PRM_OFFICER] = {REPORT_P_OFFICER, "officer", "a user name; empty: "
						      "any"},
};

struct report_view {
	struct view v;
	const struct report_def *def;
	struct ui_edit e[PRM__COUNT];
	int rows[PRM__COUNT], nrows, cur;    /* the parameters it takes */
	bool paging;                         /* the text is shown */
	/* the text: an unlinked file, the offset of each line */
	FILE *text;
	long *off;
	size_t nlines, cap;
	int width;                           /* 80 or 132 */
	long top;
	int page;
	char made[200];                      /* what the text was made of */
	char queue[256];                     /* print: the queue asked */
};

static struct report_view *rv_of(struct view *v)
{
	return (struct report_view *)v;
}

static void drop_text(struct report_view *r)
{
	if (r->text)
		fclose(r->text);
	r->text = NULL;
	free(r->off);
	r->off = NULL;
	r->nlines = r->cap = 0;
	r->top = 0;
}

/* The parameters as typed; a message and false when one is wrong. */
static bool params_of(struct report_view *r, struct report_params *p,
		      char vals[PRM__COUNT][256], enum report_format fmt)
{
	struct ui *ui = r->v.ui;
	struct rcms_err err;
	int i;

	memset(p, 0, sizeof(*p));
	rcms_err_clear(&err);
	for (i = 0; i < PRM__COUNT; i++)
		ui_edit_get(&r->e[i], vals[i], 256);
	p->case_ref = r->def->params & REPORT_P_CASE ? vals[PRM_CASE] : NULL;
	if (r->def->params & REPORT_P_CASE) {
		/* a case's file consults the case: the session's purpose */
		if (!ui->cli->why[0] &&
		    rcms_perm_allows(RCMS_PERM_CASE_READ, ui->ctx->user.role)) {
			ui_error(ui, "say why first: open a case (the "
				 "workstation asks why) or start rcms ui "
				 "--why CODE");
			return false;
		}
		p->why = ui->cli->why;
	}
	if (r->def->params & REPORT_P_PERIOD) {
		if ((vals[PRM_FROM][0] &&
		     report_parse_date(vals[PRM_FROM], false, "from", &p->from,
				       &err)) ||
		    (vals[PRM_TO][0] &&
		     report_parse_date(vals[PRM_TO], true, "to", &p->to,
				       &err))) {
			ui_fail(ui, &err);
			return false;
		}
	}
	if (r->def->params & REPORT_P_AGENCY)
		p->agency = vals[PRM_AGENCY];
	if (r->def->params & REPORT_P_COUNTRY)
		p->country = vals[PRM_COUNTRY];
	if (r->def->params & REPORT_P_OFFICER)
		p->officer = vals[PRM_OFFICER];
	p->width = r->width;
	p->now = report_now_from_env();
	if (report_check(r->def, fmt, p, &err)) {
		ui_fail(ui, &err);
		return false;
	}
	return true;
}

static bool add_line(struct report_view *r, long off)
{
	if (r->nlines == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 256;
		long *o = realloc(r->off, cap * sizeof(*o));
		if (!o)
			return false;
		r->off = o;
		r->cap = cap;
	}
	r->off[r->nlines++] = off;
	return true;
}

/* Make the text form into the pager. */
static unsigned make(struct report_view *r)
{
	struct ui *ui = r->v.ui;
	struct report_params p;
	struct report_result res;
	struct rcms_err err;
	char vals[PRM__COUNT][256], buf[4096];
	long off = 0;
	int i;
	size_t u = 0;

	r->width = COLS >= 132 ? 132 : 80;
	if (!params_of(r, &p, vals, REPORT_TEXT))
		return UI_REDRAW;
	drop_text(r);
	r->text = tmpfile();
	if (!r->text) {
		ui_error(ui, "no room for the report's text: %s",
			 strerror(errno));
		return UI_REDRAW;
	}
	rcms_err_clear(&err);
	memset(&res, 0, sizeof(res));
	ui->ctx->now = ui_now();
	if (report_run(ui->ctx, r->def, &p, REPORT_TEXT, r->text,
		       "workstation", &res, &err)) {
		drop_text(r);
		return ui_fail(ui, &err);
	}
	rewind(r->text);
	while (fgets(buf, sizeof(buf), r->text)) {
		size_t n = strlen(buf);
		if ((n && buf[n - 1] == '\n') || feof(r->text))
			if (!add_line(r, off)) {
				drop_text(r);
				ui_error(ui, "out of memory");
				return UI_REDRAW;
			}
		off += (long)n;
	}
	r->made[0] = '\0';
	for (i = 0; i < PRM__COUNT; i++)
		if ((r->def->params & prm_info[i].bit) && vals[i][0] &&
		    u < sizeof(r->made))
			u += (size_t)snprintf(r->made + u, sizeof(r->made) - u,
					      "%s%s %s", u ? ", " : "",
					      prm_info[i].label, vals[i]);
	r->paging = true;
	r->v.edit = NULL;
	ui_say(ui, "%s: %lld case(s), %zu lines.", r->def->title,
	       (long long)res.cases, r->nlines);
	return UI_REDRAW;
}

static void read_line(struct report_view *r, size_t i, char *buf,
		      size_t size)
{
	size_t n;
	char *p;

	buf[0] = '\0';
	if (!r->text || i >= r->nlines ||
	    fseek(r->text, r->off[i], SEEK_SET) != 0 ||
	    !fgets(buf, (int)size, r->text))
		return;
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	for (p = buf; *p; p++)
		if (*p == '\f' || *p == '\t')
			*p = ' ';
}

static int open_report(struct view *v)
{
	struct report_view *r = rv_of(v);

	if (r->nrows == 0 && !r->paging) {
		/* nothing to ask: the text at once */
		make(r);
	}
	return 0;
}

static void draw_report(struct view *v, int top, int rows, int cols)
{
	struct report_view *r = rv_of(v);
	char line[1200];
	int i;

	if (!r->paging) {
		ui_put(top, 0, r->def->help, cols, false);
		for (i = 0; i < r->nrows; i++) {
			int k = r->rows[i], y = top + 2 + 2 * i;
			snprintf(line, sizeof(line), "%-18s",
				 prm_info[k].label);
			ui_put(y, 0, line, 19, false);
			attron(A_DIM);
			ui_put(y + 1, 19, prm_info[k].hint, cols - 19, false);
			attroff(A_DIM);
			if (i != r->cur)
				ui_edit_draw(&r->e[k], y, 19, cols - 20,
					     false);
		}
		ui_put(top + 3 + 2 * r->nrows, 0, "Enter on the last line or "
		       "F2 makes the report; Esc goes back.", cols, false);
		if (r->nrows)
			ui_edit_draw(&r->e[r->rows[r->cur]], top + 2 +
				     2 * r->cur, 19, cols - 20, true);
		return;
	}
	r->page = rows - 1;
	if (r->top > (long)r->nlines - r->page)
		r->top = (long)r->nlines - r->page;
	if (r->top < 0)
		r->top = 0;
	snprintf(line, sizeof(line), "%s%slines %ld-%ld of %zu | e exports, "
		 "p prints, Tab the parameters", r->made,
		 r->made[0] ? " | " : "", r->nlines ? r->top + 1 : 0,
		 r->top + r->page < (long)r->nlines ? r->top + r->page
						    : (long)r->nlines,
		 r->nlines);
	attron(A_BOLD);
	ui_put(top, 0, line, cols, true);
	attroff(A_BOLD);
	for (i = 0; i < r->page && r->top + i < (long)r->nlines; i++) {
		read_line(r, (size_t)(r->top + i), line, sizeof(line));
		ui_put(top + 1 + i, 0, line, cols, false);
	}
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && strcasecmp(s + n - t, tail) == 0;
}

static unsigned export(struct report_view *r, const char *path)
{
	struct ui *ui = r->v.ui;
	enum report_format fmt = ends_with(path, ".pdf") ? REPORT_PDF
				 : ends_with(path, ".csv") ? REPORT_CSV
				 : REPORT_TEXT;
	struct report_params p;
	struct report_result res;
	struct rcms_err err;
	char vals[PRM__COUNT][256];
	char shown[PATH_MAX], tail[64];
	struct stat sb;

	if (!path[0]) {
		ui_error(ui, "give the file's path; .csv and .pdf choose the "
			 "format, anything else is text");
		return UI_REDRAW;
	}
	if (!params_of(r, &p, vals, fmt))
		return UI_REDRAW;
	if (!ui->confirmed && stat(path, &sb) == 0)
		return ui_ask_confirm(ui, &r->v, UI_REQ_EXPORT, path,
				      "%s exists; replace it?",
				      ui_path_text(path, COLS - 40, shown,
						   sizeof(shown)));
	rcms_err_clear(&err);
	memset(&res, 0, sizeof(res));
	ui->ctx->now = ui_now();
	if (report_export(ui->ctx, r->def, &p, fmt, path, &res, &err))
		return ui_fail(ui, &err);
	/* the figures first, so that the path gets what room is left */
	if (fmt == REPORT_PDF)
		snprintf(tail, sizeof(tail), ": %d page(s), %lld case(s).",
			 res.pages, (long long)res.cases);
	else
		snprintf(tail, sizeof(tail), ": %lld case(s).",
			 (long long)res.cases);
	ui_say(ui, "%s%s",
	       ui_path_text(path, COLS - 1 - (int)strlen(tail), shown,
			    sizeof(shown)),
	       tail);
	return UI_REDRAW;
}

static unsigned print(struct report_view *r)
{
	struct ui *ui = r->v.ui;
	struct report_params p;
	struct report_result res;
	struct rcms_err err;
	char vals[PRM__COUNT][256];

	if (!params_of(r, &p, vals, REPORT_PDF))
		return UI_REDRAW;
	rcms_err_clear(&err);
	memset(&res, 0, sizeof(res));
	ui->ctx->now = ui_now();
	if (report_print(ui->ctx, r->def, &p, r->queue[0] ? r->queue : NULL,
			 &res, &err))
		return ui_fail(ui, &err);
	ui_say(ui, "%s: printed on %s as job %d (%d page(s)).", r->def->title,
	       res.queue, res.job, res.pages);
	return UI_REDRAW;
}

static unsigned handle_report(struct view *v, enum ui_request req,
			      const char *arg)
{
	struct report_view *r = rv_of(v);
	struct ui *ui = v->ui;

	if (!r->paging) {
		switch (req) {
		case UI_REQ_DOWN:
		case UI_REQ_NEXT_TAB:
		case UI_REQ_ENTER:
			if (r->cur < r->nrows - 1) {
				r->cur++;
				v->edit = &r->e[r->rows[r->cur]];
				return UI_REDRAW;
			}
			if (req != UI_REQ_ENTER)
				return UI_REDRAW;
			return make(r);
		case UI_REQ_UP:
		case UI_REQ_PREV_TAB:
			if (r->cur > 0) {
				r->cur--;
				v->edit = &r->e[r->rows[r->cur]];
			}
			return UI_REDRAW;
		case UI_REQ_SAVE:
			return make(r);
		case UI_REQ_EXPORT:
		case UI_REQ_PRINT:
			break;     /* from the parameters as typed */
		default:
			return UI_PASS;
		}
	}
	switch (req) {
	case UI_REQ_UP:
		r->top--;
		return UI_REDRAW;
	case UI_REQ_DOWN:
		r->top++;
		return UI_REDRAW;
	case UI_REQ_PAGE_UP:
		r->top -= r->page > 1 ? r->page - 1 : 1;
		return UI_REDRAW;
	case UI_REQ_PAGE_DOWN:
		r->top += r->page > 1 ? r->page - 1 : 1;
		return UI_REDRAW;
	case UI_REQ_FIRST:
		r->top = 0;
		return UI_REDRAW;
	case UI_REQ_LAST:
		r->top = (long)r->nlines;
		return UI_REDRAW;
	case UI_REQ_NEXT_TAB:
	case UI_REQ_PREV_TAB:
		if (!r->nrows)
			return UI_NOTHING;
		r->paging = false;
		r->cur = 0;
		v->edit = &r->e[r->rows[r->cur]];
		return UI_REDRAW;
	case UI_REQ_EXPORT:
		if (!arg)
			return ui_ask_text(ui, v, req, "Export to (.csv, .pdf "
					   "or text):", "", ui_complete_path);
		return export(r, arg);
	case UI_REQ_PRINT:
		if (ui->confirmed)
			return print(r);
		if (!arg)
			return ui_ask_text(ui, v, req, "Print on the queue "
					   "(empty: the default):", "", NULL);
		snprintf(r->queue, sizeof(r->queue), "%s", arg);
		return ui_ask_confirm(ui, v, req, NULL, "Print %s on %s? It "
				      "holds personal data.", r->def->title,
				      r->queue[0] ? r->queue
				      : "the default queue");
	default:
		return UI_PASS;
	}
}

static void close_report(struct view *v)
{
	drop_text(rv_of(v));
	free(v);
}

static const struct view_ops report_ops = {
	.name = "report",
	.keymap = &ui_keymap_report,
	.open = open_report,
	.draw = draw_report,
	.handle = handle_report,
	.close = close_report,
};

static struct view *report_view_new(struct ui *ui,
				    const struct report_def *def)
{
	struct report_view *r = calloc(1, sizeof(*r));
	int i;

	if (!r)
		return NULL;
	r->v.ops = &report_ops;
	r->v.ui = ui;
	r->def = def;
	for (i = 0; i < PRM__COUNT; i++) {
		r->e[i].max_bytes = 200;
		if (def->params & prm_info[i].bit)
			r->rows[r->nrows++] = i;
	}
	if (r->nrows)
		r->v.edit = &r->e[r->rows[0]];
	snprintf(r->v.title, sizeof(r->v.title), "Report: %s", def->title);
	return &r->v;
}
