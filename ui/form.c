/*
 * form.c - the form of a new case and of an edit: one row a field of the
 * field tables (app/fields.h), checked by rcms_field_set when the officer
 * leaves it, with its message on the message line and a mark on the row;
 * partial dates; countries completed from a code or a name; an MRZ box
 * whose lines are checked as they are typed or pasted (each field's check
 * digit marked, the [mrz] suggestion offered, F6 takes it) and which
 * fills the form once the zone is valid.  Saving calls db_case_create or
 * db_case_edit (all or nothing, with its outbox operation).
 */
#include "ui/ui_priv.h"

#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 64
#define LABEL_W 26

enum row_kind { ROW_MRZ, ROW_CASE, ROW_DOC };

struct row {
	enum row_kind kind;
	const struct rcms_field *f;   /* ROW_CASE, ROW_DOC */
	int mrz_line;                 /* ROW_MRZ */
	struct ui_edit e;
	char orig[RCMS_TEXT_LEN];     /* edits: the value before */
	bool bad;
};

struct form {
	struct view v;
	bool is_new;
	char ref[RCMS_REF_LEN];
	struct rcms_case c;
	struct rcms_document doc;
	struct row rows[MAX_ROWS];
	int n, cur, top, h;
	struct rcms_mrz mrz;
	bool mrz_typed, mrz_ok;
};

static struct form *of(struct view *v)
{
	return (struct form *)v;
}

static void today(struct rcms_today *t)
{
	rcms_utc_to_ymd(ui_now(), &t->y, &t->m, &t->d);
}

static const char *row_label(const struct row *r, char *buf, size_t size)
{
	if (r->kind == ROW_MRZ)
		snprintf(buf, size, "MRZ line %d", r->mrz_line + 1);
	else
		snprintf(buf, size, "%s%s", r->kind == ROW_DOC ? "doc: " : "",
			 r->f->label);
	return buf;
}

/* ---- the MRZ box ------------------------------------------------------------- */

static void mrz_text(struct form *fm, char *buf, size_t size)
{
	size_t u = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < fm->n; i++) {
		char line[200];
		if (fm->rows[i].kind != ROW_MRZ)
			continue;
		ui_edit_get(&fm->rows[i].e, line, sizeof(line));
		if (!line[0])
			continue;
		if (u >= size)
			break;
		u += (size_t)snprintf(buf + u, size - u, "%s%s",
				      u ? "\n" : "", line);
	}
}

static struct row *find_row(struct form *fm, enum row_kind k,
			    const char *name)
{
	int i;

	for (i = 0; i < fm->n; i++)
		if (fm->rows[i].kind == k && strcmp(fm->rows[i].f->name,
						    name) == 0)
			return &fm->rows[i];
	return NULL;
}

static void put(struct form *fm, enum row_kind k, const char *name,
		const char *value)
{
	struct row *r = find_row(fm, k, name);

	if (r && value && value[0]) {
		ui_edit_set(&r->e, value);
		r->bad = false;
	}
}

/* A valid zone fills the person and the document. */
static void mrz_fill(struct form *fm)
{
	const struct rcms_mrz *m = &fm->mrz;
	char date[16];

	put(fm, ROW_CASE, "surnames", m->field[RCMS_MRZ_F_SURNAMES].value);
	put(fm, ROW_CASE, "given_names",
	    m->field[RCMS_MRZ_F_GIVEN_NAMES].value);
	put(fm, ROW_CASE, "sex", m->field[RCMS_MRZ_F_SEX].value);
	rcms_pdate_format(&m->birth_date, date, sizeof(date));
	put(fm, ROW_CASE, "birth_date", date);
	put(fm, ROW_CASE, "nationality",
	    m->field[RCMS_MRZ_F_NATIONALITY].value);
	put(fm, ROW_DOC, "type", m->format == RCMS_MRZ_TD3 ? "passport"
				 : m->format == RCMS_MRZ_MRVA ||
				   m->format == RCMS_MRZ_MRVB ? "visa"
				 : "id_card");
	put(fm, ROW_DOC, "number", m->field[RCMS_MRZ_F_DOC_NUMBER].value);
	put(fm, ROW_DOC, "issuing_state",
	    m->field[RCMS_MRZ_F_ISSUING_STATE].value);
	rcms_pdate_format(&m->expiry_date, date, sizeof(date));
	put(fm, ROW_DOC, "expiry_date", date);
}

static void mrz_check(struct form *fm)
{
	char text[RCMS_MRZ_TEXT_MAX * 2];
	struct rcms_today t;
	struct rcms_pdate d;

	mrz_text(fm, text, sizeof(text));
	fm->mrz_typed = text[0] != '\0';
	if (!fm->mrz_typed) {
		fm->mrz_ok = false;
		return;
	}
	today(&t);
	d.year = t.y;
	d.month = t.m;
	d.day = t.d;
	fm->mrz_ok = rcms_mrz_parse(text, d, &fm->mrz) == RCMS_OK;
	if (fm->mrz_ok)
		mrz_fill(fm);
}

/* "doc no ok  birth ok  expiry BAD  all ok": the check digits. */
static void mrz_marks(const struct form *fm, char *buf, size_t size)
{
	static const struct {
		enum rcms_mrz_field_id id;
		const char *name;
	} checks[] = {
		{RCMS_MRZ_F_DOC_NUMBER_CHECK, "number"},
		{RCMS_MRZ_F_BIRTH_DATE_CHECK, "birth"},
		{RCMS_MRZ_F_EXPIRY_DATE_CHECK, "expiry"},
		{RCMS_MRZ_F_PERSONAL_NUMBER_CHECK, "personal"},
		{RCMS_MRZ_F_COMPOSITE_CHECK, "all"},
	};
	size_t i, u = 0;

	buf[0] = '\0';
	if (fm->mrz.format == RCMS_MRZ_UNKNOWN) {
		snprintf(buf, size, "  zone: not readable yet (%d line(s))",
			 fm->mrz.nlines);
		return;
	}
	u += (size_t)snprintf(buf, size, "  %s checks:",
			      rcms_mrz_format_name(fm->mrz.format));
	for (i = 0; i < sizeof(checks) / sizeof(checks[0]) && u < size; i++) {
		const struct rcms_mrz_field *f = &fm->mrz.field[checks[i].id];
		if (!f->present)
			continue;
		u += (size_t)snprintf(buf + u, size - u, " %s %s",
				      checks[i].name, f->valid ? "ok" : "BAD");
	}
}

/* ---- reading the rows into the records ------------------------------------ */

/* Check one row; the message goes to the message line. */
static bool check_row(struct form *fm, struct row *r, bool say)
{
	struct ui *ui = fm->v.ui;
	struct rcms_today t;
	struct rcms_err err;
	char text[UI_EDIT_MAX * 4];
	void *rec;

	if (r->kind == ROW_MRZ)
		return true;
	today(&t);
	rcms_err_clear(&err);
	ui_edit_get(&r->e, text, sizeof(text));
	rec = r->kind == ROW_CASE ? (void *)&fm->c : (void *)&fm->doc;
	if (rcms_field_set(r->f, rec, text, &t, &err) != RCMS_OK) {
		r->bad = true;
		if (say)
			ui_fail(ui, &err);
		return false;
	}
	r->bad = false;
	/* a country typed as a name shows as its code */
	if (r->f->type == RCMS_F_COUNTRY && text[0]) {
		char norm[64];
		rcms_field_get(r->f, rec, norm, sizeof(norm));
		ui_edit_set(&r->e, norm);
	}
	return true;
}

static int first_bad(struct form *fm)
{
	int i, bad = -1;

	for (i = 0; i < fm->n; i++)
		if (!check_row(fm, &fm->rows[i], false) && bad < 0)
			bad = i;
	return bad;
}

static unsigned save(struct form *fm)
{
	struct ui *ui = fm->v.ui;
	struct rcms_err err;
	struct db_change ch[MAX_ROWS];
	char vals[MAX_ROWS][RCMS_TEXT_LEN];
	int bad, i, n = 0;
	bool have_doc;

	rcms_err_clear(&err);
	bad = first_bad(fm);
	if (bad >= 0) {
		fm->cur = bad;
		check_row(fm, &fm->rows[bad], true);
		return UI_REDRAW;
	}
	if (fm->mrz_typed && !fm->mrz_ok) {
		ui_error(ui, "the machine readable zone has errors; fix it "
			 "(F6 takes the suggestion) or clear its lines");
		return UI_REDRAW;
	}
	have_doc = fm->doc.number[0] != '\0';
	if (fm->mrz_ok) {
		mrz_text(fm, fm->doc.mrz, sizeof(fm->doc.mrz));
	}
	ui->ctx->now = ui_now();
	if (fm->is_new) {
		if (db_case_create(ui->ctx, &fm->c, have_doc ? &fm->doc : NULL,
				   have_doc ? 1 : 0, &err))
			return ui_fail(ui, &err);
		ui_say(ui, "Opened %s.", fm->c.local_ref);
		ui->then_push = ui_case_view_new(ui, fm->c.local_ref);
		return UI_CLOSE;
	}
	for (i = 0; i < fm->n; i++) {
		struct row *r = &fm->rows[i];
		if (r->kind != ROW_CASE)
			continue;
		ui_edit_get(&r->e, vals[n], sizeof(vals[n]));
		if (strcmp(vals[n], r->orig) == 0)
			continue;
		ch[n].field = r->f->name;
		ch[n].value = vals[n];
		n++;
	}
	if (n && db_case_edit(ui->ctx, fm->ref, ch, (size_t)n, &err))
		return ui_fail(ui, &err);
	if (have_doc && db_document_add(ui->ctx, fm->ref, &fm->doc, &err))
		return ui_fail(ui, &err);
	ui_say(ui, n || have_doc ? "Saved %s." : "Nothing changed in %s.",
	       fm->ref);
	return UI_CLOSE;
}

/* ---- the screen ------------------------------------------------------------- */

static void add_row(struct form *fm, enum row_kind k,
		    const struct rcms_field *f, int line)
{
	struct row *r;

	if (fm->n >= MAX_ROWS)
		return;
	r = &fm->rows[fm->n++];
	memset(r, 0, sizeof(*r));
	r->kind = k;
	r->f = f;
	r->mrz_line = line;
	if (k == ROW_MRZ) {
		r->e.max_bytes = RCMS_MRZ_LINE_MAX + 4;
	} else {
		const void *rec = k == ROW_CASE ? (const void *)&fm->c
						: (const void *)&fm->doc;
		/* text fields hold what their buffers hold; others take a
		   name or a code that the field table reads */
		r->e.max_bytes = (f->type == RCMS_F_NAME ||
				  f->type == RCMS_F_LINE ||
				  f->type == RCMS_F_TEXT ||
				  f->type == RCMS_F_CODE) && f->size
					 ? (int)f->size - 1 : 100;
		if (!rcms_field_is_empty(f, rec) || !fm->is_new) {
			rcms_field_get(f, rec, r->orig, sizeof(r->orig));
			ui_edit_set(&r->e, r->orig);
		}
	}
}

static int open_form(struct view *v)
{
	struct form *fm = of(v);
	struct ui *ui = v->ui;
	const struct rcms_field *f;
	struct rcms_err err;
	int i;

	if (fm->n)
		return 0;   /* back from a question: keep what was typed */
	rcms_err_clear(&err);
	rcms_case_init(&fm->c);
	rcms_document_init(&fm->doc);
	if (!fm->is_new &&
	    db_case_get(ui->ctx, fm->ref, &fm->c, &err) != RCMS_OK) {
		ui_fail(ui, &err);
		return 1;
	}
	if (fm->is_new)
		for (i = 0; i < 3; i++)
			add_row(fm, ROW_MRZ, NULL, i);
	for (f = rcms_case_fields; f->name; f++)
		if (f->flags & RCMS_FF_EDIT)
			add_row(fm, ROW_CASE, f, 0);
	for (f = rcms_document_fields; f->name; f++)
		if ((f->flags & RCMS_FF_EDIT) && strcmp(f->name, "mrz") != 0)
			add_row(fm, ROW_DOC, f, 0);
	fm->v.edit = &fm->rows[0].e;
	return 0;
}

static void draw(struct view *v, int top, int rows, int cols)
{
	struct form *fm = of(v);
	char label[300], line[300];
	int i, y = top, body, edit_w = cols - LABEL_W - 3, cy = -1;

	/* the MRZ's verdict on the first line */
	if (fm->is_new) {
		if (!fm->mrz_typed) {
			ui_put(y, 0, "Type or paste the MRZ (it fills the form),"
			       " or the fields.  F2 saves, Esc leaves.",
			       cols, false);
		} else {
			mrz_marks(fm, line, sizeof(line));
			if (!fm->mrz_ok)
				attron(A_BOLD | COLOR_PAIR(UI_PAIR_BAD));
			ui_put(y, 0, line, cols, false);
			attroff(A_BOLD | COLOR_PAIR(UI_PAIR_BAD));
		}
		y++;
		if (fm->mrz_typed && !fm->mrz_ok && fm->mrz.nissues) {
			if (fm->mrz.nsuggestions) {
				const struct rcms_mrz_suggestion *s =
					&fm->mrz.suggestion[0];
				snprintf(line, sizeof(line),
					 "  line %d column %d: %c should be "
					 "%c? F6 fixes it", s->line, s->col,
					 s->from, s->to);
			} else {
				snprintf(line, sizeof(line), "  %s",
					 fm->mrz.issue[0].msg);
			}
			ui_put(y, 0, line, cols, false);
		}
		y++;
	} else {
		ui_put(y, 0, "F2 saves the changes, Esc leaves.", cols, false);
		y++;
	}
	body = rows - (y - top);
	fm->h = body;
	if (fm->cur < fm->top)
		fm->top = fm->cur;
	if (fm->cur >= fm->top + body)
		fm->top = fm->cur - body + 1;
	for (i = 0; i < body && fm->top + i < fm->n; i++) {
		struct row *r = &fm->rows[fm->top + i];
		bool cur = fm->top + i == fm->cur;
		row_label(r, label, sizeof(label));
		snprintf(line, sizeof(line), "%c%-*.*s", r->bad ? '!' : ' ',
			 LABEL_W, LABEL_W, label);
		if (cur)
			attron(A_BOLD);
		ui_put(y + i, 0, line, LABEL_W + 2, true);
		if (cur)
			attroff(A_BOLD);
		attron(A_UNDERLINE);
		ui_edit_draw(&r->e, y + i, LABEL_W + 2, edit_w, false);
		attroff(A_UNDERLINE);
		if (cur)
			cy = y + i;
	}
	if (cy >= 0)
		ui_edit_draw(&fm->rows[fm->cur].e, cy, LABEL_W + 2, edit_w,
			     true);
}

static int complete_enum(const struct rcms_enum_name *names,
			 const char *prefix, char out[][256], int max)
{
	int i, n = 0;
	size_t len = strlen(prefix);

	for (i = 0; names[i].name && n < max; i++)
		if (strncmp(names[i].name, prefix, len) == 0)
			snprintf(out[n++], 256, "%s", names[i].name);
	return n;
}

static unsigned complete_row(struct form *fm)
{
	struct ui *ui = fm->v.ui;
	struct row *r = &fm->rows[fm->cur];
	char text[UI_EDIT_MAX * 4], out[16][256], hint[300];
	int n, i;
	size_t u = 0;

	if (r->kind == ROW_MRZ || !r->f)
		return UI_NOTHING;
	ui_edit_get(&r->e, text, sizeof(text));
	if (r->f->type == RCMS_F_COUNTRY)
		n = ui_complete_country(text, out, 16);
	else if (r->f->type == RCMS_F_ENUM)
		n = complete_enum(r->f->names, text, out, 16);
	else if (r->f->type == RCMS_F_BOOL) {
		snprintf(out[0], 256, "yes");
		snprintf(out[1], 256, "no");
		n = 2;
	} else
		return UI_NOTHING;
	if (n == 1) {
		if (r->f->type == RCMS_F_COUNTRY)
			out[0][strcspn(out[0], " ")] = '\0';
		ui_edit_set(&r->e, out[0]);
		check_row(fm, r, true);
		return UI_REDRAW;
	}
	if (n == 0) {
		ui_error(ui, "nothing starts with '%.40s'", text);
		return UI_REDRAW;
	}
	hint[0] = '\0';
	for (i = 0; i < n && u < sizeof(hint); i++)
		u += (size_t)snprintf(hint + u, sizeof(hint) - u, "%s%s",
				      i ? "  " : "", out[i]);
	ui_say(ui, "%s", hint);
	return UI_REDRAW;
}

static unsigned go(struct form *fm, int to)
{
	struct row *r = &fm->rows[fm->cur];

	if (r->kind == ROW_MRZ)
		mrz_check(fm);
	else
		check_row(fm, r, true);
	if (to < 0)
		to = 0;
	if (to >= fm->n)
		to = fm->n - 1;
	fm->cur = to;
	fm->v.edit = &fm->rows[to].e;
	return UI_REDRAW;
}

static unsigned handle(struct view *v, enum ui_request req, const char *arg)
{
	struct form *fm = of(v);
	int page = fm->h > 1 ? fm->h - 1 : 1;

	switch (req) {
	case UI_REQ_NEXT_TAB:
	case UI_REQ_DOWN:
		return go(fm, fm->cur + 1);
	case UI_REQ_PREV_TAB:
	case UI_REQ_UP:
		return go(fm, fm->cur - 1);
	case UI_REQ_PAGE_DOWN:
		return go(fm, fm->cur + page);
	case UI_REQ_PAGE_UP:
		return go(fm, fm->cur - page);
	case UI_REQ_FIRST:
		return go(fm, 0);
	case UI_REQ_LAST:
		return go(fm, fm->n - 1);
	case UI_REQ_SAVE:
		return save(fm);
	case UI_REQ_COMPLETE:
		return complete_row(fm);
	case UI_REQ_MRZ:
		return fm->is_new ? go(fm, 0) : UI_NOTHING;
	case UI_REQ_FIX:
		if (fm->mrz_typed && !fm->mrz_ok && fm->mrz.nsuggestions) {
			const struct rcms_mrz_suggestion *s =
				&fm->mrz.suggestion[0];
			int i;
			for (i = 0; i < fm->n; i++)
				if (fm->rows[i].kind == ROW_MRZ &&
				    fm->rows[i].mrz_line == s->line - 1)
					ui_edit_set(&fm->rows[i].e,
						    s->corrected);
			mrz_check(fm);
			ui_say(v->ui, "Line %d column %d is now %c.", s->line,
			       s->col, s->to);
		}
		return UI_REDRAW;
	case UI_REQ_BACK:
		if (!v->ui->confirmed)
			return ui_ask_confirm(v->ui, v, UI_REQ_BACK, NULL,
					      "Leave the form without saving?");
		return UI_CLOSE;
	case UI_REQ_ENTER:
		return go(fm, fm->cur + 1);
	default:
		(void)arg;
		return UI_PASS;
	}
}

static unsigned edited(struct view *v)
{
	struct form *fm = of(v);

	if (fm->rows[fm->cur].kind == ROW_MRZ)
		mrz_check(fm);
	return UI_REDRAW;
}

static void close_view(struct view *v)
{
	free(v);
}

static const struct view_ops form_ops = {
	.name = "form",
	.keymap = &ui_keymap_form,
	.open = open_form,
	.draw = draw,
	.handle = handle,
	.edited = edited,
	.close = close_view,
};

struct view *ui_form_new(struct ui *ui, const char *ref)
{
	struct form *fm = calloc(1, sizeof(*fm));

	if (!fm)
		return NULL;
	fm->v.ops = &form_ops;
	fm->v.ui = ui;
	fm->is_new = ref == NULL;
	if (ref)
		snprintf(fm->ref, sizeof(fm->ref), "%s", ref);
	snprintf(fm->v.title, sizeof(fm->v.title), "%s%s",
		 ref ? "Edit " : "New case", ref ? ref : "");
	return &fm->v;
}
