/*
 * conflicts.c - the changes the exchange could not merge: one line a
 * field, the case, mine and theirs side by side; under the list the
 * selected field's two values in full.  The officer keeps mine (m),
 * takes theirs (t) or types a third value (v); each asks first, then
 * settles the field locally (cli_conflict_settle, as `rcms conflicts
 * resolve` does) and it goes to the exchange with the next sync.  A
 * value typed is kept when settling fails, and offered again.
 */
#include "ui/ui_priv.h"

#include <stdlib.h>
#include <string.h>

#define CONFLICTS_MAX 500
#define SHOWN_LEN 512      /* of a value, for the screen; settling reads
			      the whole value again */

struct conflict_row {
	char case_id[RCMS_ID_LEN];
	char ref[RCMS_REF_LEN];
	char field[48];
	char mine[SHOWN_LEN];
	char theirs[SHOWN_LEN];
};

struct conflicts {
	struct view v;
	struct conflict_row *rows;
	int n, cur, top, h;
	bool more;                 /* there were more than CONFLICTS_MAX */
	/* the field a question is about (the list may change meanwhile) */
	char case_id[RCMS_ID_LEN];
	char ref[RCMS_REF_LEN];
	char field[48];
	char typed[UI_EDIT_MAX * 4];   /* the last value typed, kept */
};

static struct conflicts *of(struct view *v)
{
	return (struct conflicts *)v;
}

/* One line of a value (the first), for the side-by-side list. */
static void one_line(const char *s, char *out, size_t size)
{
	size_t n = strcspn(s, "\n");

	if (n >= size)
		n = size - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

static int take(const struct cli_conflict *c, void *arg)
{
	struct conflicts *cf = arg;
	struct conflict_row *r;

	if (cf->n >= CONFLICTS_MAX) {
		cf->more = true;
		return 1;
	}
	r = &cf->rows[cf->n++];
	snprintf(r->case_id, sizeof(r->case_id), "%s", c->case_id);
	snprintf(r->ref, sizeof(r->ref), "%s", c->ref);
	snprintf(r->field, sizeof(r->field), "%s", c->field);
	snprintf(r->mine, sizeof(r->mine), "%s", c->mine);
	snprintf(r->theirs, sizeof(r->theirs), "%s", c->theirs);
	return 0;
}

static int open_conflicts(struct view *v)
{
	struct conflicts *cf = of(v);
	struct ui *ui = v->ui;

	cf->n = 0;
	cf->more = false;
	rcms_err_clear(&ui->cli->err);
	if (cli_conflicts_each(ui->cli, NULL, take, cf) != RCMS_OK) {
		ui_fail(ui, &ui->cli->err);
		return 1;
	}
	if (cf->cur >= cf->n)
		cf->cur = cf->n > 0 ? cf->n - 1 : 0;
	snprintf(v->title, sizeof(v->title),
		 "Conflicts: changes the exchange could not merge (%d%s)",
		 cf->n, cf->more ? "+" : "");
	return 0;
}

/* The label of a field as the forms show it. */
static const char *label_of(const char *field)
{
	const struct rcms_field *f;

	for (f = rcms_case_fields; f->name; f++)
		if (strcmp(f->name, field) == 0)
			return f->label;
	return field;
}

static void draw_value(int y, int rows, int cols, const char *title,
		       const char *value)
{
	const char *p = value;
	int i;

	attron(A_BOLD);
	ui_put(y, 0, title, 9, true);
	attroff(A_BOLD);
	for (i = 0; i < rows; i++) {
		char line[SHOWN_LEN];
		one_line(p, line, sizeof(line));
		ui_put(y + i, 9, i == 0 && !value[0] ? "(empty)" : line,
		       cols - 9, false);
		p += strcspn(p, "\n");
		if (!*p)
			break;
		p++;
	}
}

static void draw(struct view *v, int top, int rows, int cols)
{
	struct conflicts *cf = of(v);
	int w = (cols - 22 - 18 - 3) / 2;
	int i, list_h = rows - 9;
	char line[1200], a[SHOWN_LEN], b[SHOWN_LEN];

	if (list_h < 3)
		list_h = 3;
	cf->h = list_h;
	if (cf->cur < cf->top)
		cf->top = cf->cur;
	if (cf->cur >= cf->top + list_h)
		cf->top = cf->cur - list_h + 1;
	ui_put(top, 0, cf->n ? "m keeps mine, t takes theirs, v types a "
		   "value; Enter opens the case." : "", cols, false);
	attron(A_BOLD | A_UNDERLINE);
	snprintf(line, sizeof(line), "%-22s %-18s %-*s %-*s", "Case", "Field",
		 w, "Mine", w, "Theirs");
	ui_put(top + 1, 0, line, cols, true);
	attroff(A_BOLD | A_UNDERLINE);
	if (cf->n == 0) {
		ui_put(top + 3, 2, "No conflicts: every change the exchange "
		       "received was merged.", cols - 4, false);
		return;
	}
	for (i = 0; i < list_h && cf->top + i < cf->n; i++) {
		const struct conflict_row *r = &cf->rows[cf->top + i];
		bool sel = cf->top + i == cf->cur;
		int y = top + 2 + i;
		one_line(r->mine, a, sizeof(a));
		one_line(r->theirs, b, sizeof(b));
		if (sel)
			attron(A_REVERSE);
		ui_put(y, 0, r->ref, 22, true);
		addch(' ');
		ui_put(y, 23, r->field, 18, true);
		addch(' ');
		ui_put(y, 42, a, w, true);
		addch(' ');
		ui_put(y, 43 + w, b, cols - 43 - w, true);
		if (sel)
			attroff(A_REVERSE);
	}
	/* the selected field in full */
	{
		const struct conflict_row *r = &cf->rows[cf->cur];
		int y = top + 2 + list_h + 1;
		snprintf(line, sizeof(line), "%s, %s (%s)", r->ref,
			 label_of(r->field), r->field);
		attron(A_BOLD);
		ui_put(y, 0, line, cols, false);
		attroff(A_BOLD);
		draw_value(y + 1, 3, cols, "Mine:", r->mine);
		draw_value(y + 4, 3, cols, "Theirs:", r->theirs);
	}
}

/* Remember which field a question is about. */
static void aim(struct conflicts *cf)
{
	const struct conflict_row *r = &cf->rows[cf->cur];

	if (strcmp(cf->case_id, r->case_id) != 0 ||
	    strcmp(cf->field, r->field) != 0)
		cf->typed[0] = '\0';
	snprintf(cf->case_id, sizeof(cf->case_id), "%s", r->case_id);
	snprintf(cf->ref, sizeof(cf->ref), "%s", r->ref);
	snprintf(cf->field, sizeof(cf->field), "%s", r->field);
}

static unsigned settle(struct conflicts *cf, const char *take,
		       const char *value)
{
	struct ui *ui = cf->v.ui;
	char kept[RCMS_TEXT_LEN];

	rcms_err_clear(&ui->cli->err);
	ui->ctx->now = ui_now();
	if (cli_conflict_settle(ui->cli, cf->case_id, cf->field, take, value,
				kept, sizeof(kept)) != RCMS_OK)
		return ui_fail(ui, &ui->cli->err) | UI_RELOAD;
	cf->typed[0] = '\0';
	ui_say(ui, "%s of %s settled: '%.60s'; it goes to the exchange with "
	       "the next sync.", cf->field, cf->ref, kept);
	return UI_RELOAD;
}

static unsigned handle(struct view *v, enum ui_request req, const char *arg)
{
	struct conflicts *cf = of(v);
	struct ui *ui = v->ui;
	int page = cf->h > 1 ? cf->h - 1 : 1;

	switch (req) {
	case UI_REQ_UP:
		if (cf->cur > 0)
			cf->cur--;
		return UI_REDRAW;
	case UI_REQ_DOWN:
		if (cf->cur < cf->n - 1)
			cf->cur++;
		return UI_REDRAW;
	case UI_REQ_PAGE_UP:
		cf->cur = cf->cur > page ? cf->cur - page : 0;
		return UI_REDRAW;
	case UI_REQ_PAGE_DOWN:
		cf->cur = cf->cur + page < cf->n ? cf->cur + page
			  : (cf->n > 0 ? cf->n - 1 : 0);
		return UI_REDRAW;
	case UI_REQ_FIRST:
		cf->cur = 0;
		return UI_REDRAW;
	case UI_REQ_LAST:
		cf->cur = cf->n > 0 ? cf->n - 1 : 0;
		return UI_REDRAW;
	case UI_REQ_ENTER:
		if (cf->n == 0)
			return UI_NOTHING;
		ui_push(ui, ui_case_view_new(ui, cf->rows[cf->cur].ref));
		return UI_REDRAW;
	case UI_REQ_TAKE_MINE:
	case UI_REQ_TAKE_THEIRS:
		if (ui->confirmed)
			return settle(cf, req == UI_REQ_TAKE_MINE ? "mine"
				      : "theirs", NULL);
		if (cf->n == 0)
			return UI_NOTHING;
		aim(cf);
		{
			const struct conflict_row *r = &cf->rows[cf->cur];
			char val[64];
			one_line(req == UI_REQ_TAKE_MINE ? r->mine : r->theirs,
				 val, sizeof(val));
			return ui_ask_confirm(ui, v, req, NULL,
					      "%s value '%.40s' of %s on %s?",
					      req == UI_REQ_TAKE_MINE
					      ? "Keep my" : "Take their",
					      val, r->field, r->ref);
		}
	case UI_REQ_TYPE_VALUE:
		if (ui->confirmed)
			return settle(cf, NULL, arg ? arg : "");
		if (!arg) {
			char label[160];
			if (cf->n == 0)
				return UI_NOTHING;
			aim(cf);
			snprintf(label, sizeof(label), "%s of %s:", cf->field,
				 cf->ref);
			return ui_ask_text(ui, v, req, label,
					   cf->typed[0] ? cf->typed
					   : cf->rows[cf->cur].mine, NULL);
		}
		snprintf(cf->typed, sizeof(cf->typed), "%s", arg);
		return ui_ask_confirm(ui, v, req, arg,
				      "Settle %s of %s as '%.40s'?",
				      cf->field, cf->ref, arg);
	default:
		return UI_PASS;
	}
}

static void close_view(struct view *v)
{
	struct conflicts *cf = of(v);

	free(cf->rows);
	free(cf);
}

static const struct view_ops conflicts_ops = {
	.name = "conflicts",
	.keymap = &ui_keymap_conflicts,
	.open = open_conflicts,
	.draw = draw,
	.handle = handle,
	.close = close_view,
};

struct view *ui_conflicts_new(struct ui *ui)
{
	struct conflicts *cf = calloc(1, sizeof(*cf));

	if (!cf)
		return NULL;
	cf->rows = calloc(CONFLICTS_MAX, sizeof(*cf->rows));
	if (!cf->rows) {
		free(cf);
		return NULL;
	}
	cf->v.ops = &conflicts_ops;
	cf->v.ui = ui;
	snprintf(cf->v.title, sizeof(cf->v.title), "Conflicts");
	return &cf->v;
}
