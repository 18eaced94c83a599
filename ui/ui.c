/*
 * ui.c - the full-screen workstation: the terminal, the one driver loop,
 * the generic request handler, the message line (messages, questions,
 * the ':' prompt), save-display and request scripts.
 *
 * The loop waits at most 50 ms for a key (wget_wch) or, while a sync
 * runs, for a key or the network (ui_sync_wait), lets the background
 * sync take a step every frame, reloads the screen when a sync ended,
 * locks the workstation when idle, and repaints only when a handler said
 * something changed.  ncurses turns SIGWINCH into
 * KEY_RESIZE; the terminal is restored on every way out: a normal end,
 * exit() (atexit), and fatal signals.
 *
 * RCMS_UI_SCRIPT names a file of lines, run one a frame instead of the
 * keyboard (tests):
 *   :REQUEST [ARG]     a request by name, as at the ':' prompt
 *   key KEY            one key by name (Enter, Tab, Esc, Up, F2, ^L, j)
 *   type TEXT          the characters of TEXT as keys (UTF-8)
 *   wait-sync          until a background sync has ended
 *   sleep MS           wait MS milliseconds (the idle lock comes after it
 *                      when RCMS_IDLE_LOCK is shorter)
 *   resize COLSxLINES  the terminal changes size (as SIGWINCH would)
 *   # ...              a comment
 * The screen then goes nowhere (its size from LINES and COLUMNS) and
 * ":save-display FILE" writes it as text.
 */
#include "ui/ui_priv.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static bool curses_on;
static SCREEN *screen;
static FILE *null_out, *null_in;

static void restore_terminal(void)
{
	if (curses_on) {
		curses_on = false;
		endwin();
	}
}

static void on_fatal(int sig)
{
	restore_terminal();
	signal(sig, SIG_DFL);
	raise(sig);
}

int64_t ui_now(void)
{
	return (int64_t)time(NULL);
}

long long ui_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- drawing helpers ----------------------------------------------------- */

void ui_put(int y, int x, const char *s, int width, bool pad)
{
	wchar_t w;
	mbstate_t ms;
	size_t k;
	int used = 0, cw;

	if (width <= 0)
		return;
	move(y, x);
	memset(&ms, 0, sizeof(ms));
	while (s && *s) {
		k = mbrtowc(&w, s, MB_CUR_MAX, &ms);
		if (k == (size_t)-1 || k == (size_t)-2) {
			memset(&ms, 0, sizeof(ms));
			w = L'?';
			k = 1;
		}
		cw = wcwidth(w);
		if (cw < 0) {
			w = L'?';
			cw = 1;
		}
		if (used + cw > width)
			break;
		addnwstr(&w, 1);
		used += cw;
		s += k;
	}
	if (pad)
		for (; used < width; used++)
			addch(' ');
}

int ui_status_pair(enum rcms_case_status st)
{
	switch (st) {
	case RCMS_CS_DRAFT: return UI_PAIR_DRAFT;
	case RCMS_CS_AWAITING_APPROVAL:
	case RCMS_CS_SUBMITTED:
	case RCMS_CS_EXTENSION_REQUESTED: return UI_PAIR_WAITING;
	case RCMS_CS_ACCEPTED:
	case RCMS_CS_DEEMED_ACCEPTED:
	case RCMS_CS_TRAVEL_DOCUMENT_ISSUED:
	case RCMS_CS_TRANSFER_SCHEDULED: return UI_PAIR_GOOD;
	case RCMS_CS_REJECTED: return UI_PAIR_BAD;
	default: return UI_PAIR_DONE;
	}
}

void ui_due_text(int64_t now, int64_t due, enum rcms_case_status st,
		 char *buf, size_t size)
{
	int d;

	if (st == RCMS_CS_DEEMED_ACCEPTED) {
		snprintf(buf, size, "deemed accepted");
		return;
	}
	if (!due || !rcms_status_awaits_reply(st)) {
		buf[0] = '\0';
		return;
	}
	d = rcms_days_left(now, due);
	if (d > 0)
		snprintf(buf, size, "%d d left", d);
	else
		snprintf(buf, size, "overdue %d d", -d);
}

/* ---- messages and questions ---------------------------------------------- */

const char *ui_path_text(const char *path, int room, char *buf, size_t size)
{
	const char *home = getenv("HOME");
	const char *q;
	size_t hl = home ? strlen(home) : 0;
	int cols = 0, skip;

	if (size < 8)
		return "";
	while (hl > 1 && home[hl - 1] == '/')
		hl--;
	if (hl > 1 && strncmp(path, home, hl) == 0 && path[hl] == '/')
		snprintf(buf, size, "~%s", path + hl);
	else
		snprintf(buf, size, "%s", path);
	for (q = buf; *q; q++)
		cols += ((unsigned char)*q & 0xC0) != 0x80;
	if (room < 8)
		room = 8;
	if (cols <= room)
		return buf;
	/* the last room - 1 characters after "…" */
	for (q = buf, skip = cols - (room - 1); *q && skip > 0; skip--)
		do
			q++;
		while (((unsigned char)*q & 0xC0) == 0x80);
	memmove(buf + 3, q, strlen(q) + 1 <= size - 3 ? strlen(q) + 1
						       : size - 3);
	memcpy(buf, "\xe2\x80\xa6", 3);
	buf[size - 1] = '\0';
	return buf;
}

static void vsay(struct ui *ui, bool error, const char *fmt, va_list ap)
{
	vsnprintf(ui->msg, sizeof(ui->msg), fmt, ap);
	ui->msg_error = error;
}

void ui_say(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(ui, false, fmt, ap);
	va_end(ap);
}

void ui_error(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(ui, true, fmt, ap);
	va_end(ap);
	if (!ui->script)
		beep();
}

unsigned ui_fail(struct ui *ui, const struct rcms_err *err)
{
	ui_error(ui, "%s", rcms_err_msg(err));
	return UI_REDRAW;
}

unsigned ui_ask_confirm(struct ui *ui, struct view *v, enum ui_request req,
			const char *arg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->confirm.question, sizeof(ui->confirm.question), fmt,
		  ap);
	va_end(ap);
	snprintf(ui->confirm.arg, sizeof(ui->confirm.arg), "%s",
		 arg ? arg : "");
	ui->confirm.req = req;
	ui->confirm.to = v;
	ui->confirm.active = true;
	return UI_REDRAW;
}

unsigned ui_ask_text(struct ui *ui, struct view *v, enum ui_request req,
		     const char *label, const char *initial,
		     int (*complete)(const char *, char[][256], int))
{
	memset(&ui->ask, 0, sizeof(ui->ask));
	ui->ask.active = true;
	snprintf(ui->ask.label, sizeof(ui->ask.label), "%s", label);
	ui_edit_set(&ui->ask.edit, initial);
	ui->ask.req = req;
	ui->ask.to = v;
	ui->ask.complete = complete;
	return UI_REDRAW;
}

/* ---- the screen stack ---------------------------------------------------- */

struct view *ui_top(struct ui *ui)
{
	return ui->nviews ? ui->stack[ui->nviews - 1] : NULL;
}

static void view_free(struct view *v)
{
	if (v && v->ops->close)
		v->ops->close(v);
}

void ui_push(struct ui *ui, struct view *v)
{
	int rc;

	if (!v) {
		if (!ui->msg[0])
			ui_error(ui, "out of memory");
		return;
	}
	if (ui->nviews >= UI_MAX_VIEWS) {
		ui_error(ui, "too many screens open; close one with q");
		view_free(v);
		return;
	}
	rc = v->ops->open ? v->ops->open(v) : 0;
	if (rc) {
		view_free(v);
		return;
	}
	ui->stack[ui->nviews++] = v;
}

static void pop(struct ui *ui)
{
	if (ui->nviews > 0)
		view_free(ui->stack[--ui->nviews]);
}

void ui_replace_all(struct ui *ui, struct view *v)
{
	while (ui->nviews)
		pop(ui);
	ui_push(ui, v);
}

static void reload_top(struct ui *ui)
{
	struct view *v = ui_top(ui);

	if (v && v->ops->open && v->ops->open(v) != 0 && ui->nviews > 1)
		pop(ui);
}

/* ---- painting ------------------------------------------------------------ */

/* The cursor is shown or hidden once a frame, when it is refreshed:
 * curs_set writes at once, and hiding it first then showing it again
 * sent both every second while a field had the focus. */
static bool cursor_want;

void ui_cursor_want(bool on)
{
	cursor_want = on;
}

static void refresh_frame(void)
{
	curs_set(cursor_want ? 1 : 0);
	refresh();
}

static void paint(struct ui *ui)
{
	struct view *v = ui_top(ui);
	int cy = -1, cx = -1, rows = LINES - 3;
	char line[512];

	erase();
	cursor_want = false;
	if (LINES < 24 || COLS < 80) {
		snprintf(line, sizeof(line), "rcms needs at least 80x24; this "
			 "terminal is %dx%d", COLS, LINES);
		ui_put(0, 0, line, COLS, false);
		refresh_frame();
		return;
	}
	/* the title */
	attron(A_REVERSE | COLOR_PAIR(UI_PAIR_TITLE));
	snprintf(line, sizeof(line), " rcms  %s", v ? v->title : "");
	ui_put(0, 0, line, COLS, true);
	if (ui->logged_in) {
		snprintf(line, sizeof(line), "%s/%s ", ui->id.agency,
			 ui->id.workstation);
		ui_put(0, COLS - (int)strlen(line), line, (int)strlen(line),
		       false);
	}
	attroff(A_REVERSE | COLOR_PAIR(UI_PAIR_TITLE));
	if (v && v->ops->draw) {
		v->ops->draw(v, 1, rows, COLS);
		if (v->edit)
			getyx(stdscr, cy, cx);
	}
	/* the status line */
	attron(A_REVERSE | COLOR_PAIR(UI_PAIR_STATUS));
	if (ui->logged_in) {
		char sync[200];
		ui_sync_status(ui, sync, sizeof(sync));
		snprintf(line, sizeof(line), " %s (%s) | %s",
			 ui->ctx->user.username,
			 rcms_enum_name(rcms_role_names,
					(int)ui->ctx->user.role), sync);
	} else {
		snprintf(line, sizeof(line), " %s/%s | not logged in",
			 ui->id.agency, ui->id.workstation);
	}
	ui_put(LINES - 2, 0, line, COLS, true);
	ui_put(LINES - 2, COLS - 9, " F1 help ", 9, false);
	attroff(A_REVERSE | COLOR_PAIR(UI_PAIR_STATUS));
	/* the message line */
	move(LINES - 1, 0);
	clrtoeol();
	if (ui->confirm.active) {
		snprintf(line, sizeof(line), "%s (y/n) ", ui->confirm.question);
		attron(A_BOLD);
		ui_put(LINES - 1, 0, line, COLS, false);
		attroff(A_BOLD);
		getyx(stdscr, cy, cx);
		move(cy, cx);
		cursor_want = true;
	} else if (ui->ask.active) {
		int w = (int)rcms_utf8_width(ui->ask.label);
		ui_put(LINES - 1, 0, ui->ask.label, COLS, false);
		ui_edit_draw(&ui->ask.edit, LINES - 1, w + 1, COLS - w - 2,
			     true);
	} else {
		if (ui->msg_error)
			attron(A_BOLD | COLOR_PAIR(UI_PAIR_ERROR));
		ui_put(LINES - 1, 0, ui->msg, COLS - 1, false);
		attroff(A_BOLD | COLOR_PAIR(UI_PAIR_ERROR));
		if (cy >= 0) {
			move(cy, cx);
			cursor_want = true;
		}
	}
	refresh_frame();
}

/* ---- save-display -------------------------------------------------------- */

static unsigned save_display(struct ui *ui, const char *path)
{
	FILE *f;
	int y, x;

	if (!path || !*path) {
		ui_error(ui, "save-display needs a file name");
		return UI_REDRAW;
	}
	paint(ui);
	f = fopen(path, "w");
	if (!f) {
		ui_error(ui, "cannot write %s: %s", path, strerror(errno));
		return UI_REDRAW;
	}
	for (y = 0; y < LINES; y++) {
		char line[4096];
		size_t used = 0, end = 0;
		for (x = 0; x < COLS; x++) {
			cchar_t cc;
			wchar_t wch[CCHARW_MAX + 1];
			attr_t a;
			short pair;
			mbstate_t ms;
			int i, cw;
			memset(wch, 0, sizeof(wch));
			if (mvin_wch(y, x, &cc) == ERR ||
			    getcchar(&cc, wch, &a, &pair, NULL) == ERR ||
			    !wch[0])
				wch[0] = L' ';
			cw = wcwidth(wch[0]);
			memset(&ms, 0, sizeof(ms));
			for (i = 0; wch[i] && used + MB_CUR_MAX < sizeof(line);
			     i++) {
				size_t k = wcrtomb(line + used, wch[i], &ms);
				if (k != (size_t)-1)
					used += k;
			}
			if (wch[0] != L' ')
				end = used;
			if (cw == 2)
				x++;
		}
		line[end] = '\0';
		fprintf(f, "%s\n", line);
	}
	fclose(f);
	return UI_NOTHING;
}

/* ---- requests ------------------------------------------------------------- */

static unsigned run_request(struct ui *ui, struct view *v, enum ui_request req,
			    const char *arg);

static int complete_request(const char *prefix, char out[][256], int max)
{
	int i, n = 0;
	size_t len = strlen(prefix);

	for (i = 1; i < UI_REQ__COUNT && n < max; i++)
		if (ui_requests[i].group &&
		    strncmp(ui_requests[i].name, prefix, len) == 0)
			snprintf(out[n++], 256, "%s", ui_requests[i].name);
	return n;
}

/* "name arg": a request by name, as the ':' prompt and scripts give it. */
static unsigned run_named(struct ui *ui, const char *text)
{
	char name[64];
	size_t n = strcspn(text, " ");
	enum ui_request r;
	const char *rest = text + n;

	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, text, n);
	name[n] = '\0';
	while (*rest == ' ')
		rest++;
	if (!name[0])
		return UI_REDRAW;
	r = ui_request_find(name);
	if (r == UI_REQ_NONE || r == UI_REQ_PROMPT) {
		ui_error(ui, "there is no request '%.40s'; F1 lists them", name);
		return UI_REDRAW;
	}
	return run_request(ui, ui_top(ui), r, *rest ? rest : NULL);
}

/* Go back to the home screen (the bottom one), then open v over it. */
static void over_home(struct ui *ui, struct view *v)
{
	while (ui->nviews > 1)
		pop(ui);
	if (v)
		ui_push(ui, v);
}

static unsigned generic(struct ui *ui, struct view *v, enum ui_request req,
			const char *arg)
{
	if (v && v->modal && req != UI_REQ_QUIT && req != UI_REQ_REDRAW &&
	    req != UI_REQ_SAVE_DISPLAY && req != UI_REQ_NONE) {
		return UI_NOTHING;
	}
	switch (req) {
	case UI_REQ_NONE:
		return UI_NOTHING;
	case UI_REQ_HELP:
		ui_push(ui, ui_help_new(ui, v ? v->ops->keymap : NULL));
		return UI_REDRAW;
	case UI_REQ_QUIT:
		return UI_QUIT;
	case UI_REQ_BACK:
		if (ui->nviews > 1)
			return UI_CLOSE;
		ui_say(ui, "Q leaves the workstation");
		return UI_REDRAW;
	case UI_REQ_PROMPT:
		if (!arg)
			return ui_ask_text(ui, NULL, UI_REQ_PROMPT, ":", "",
					   complete_request);
		return run_named(ui, arg);
	case UI_REQ_REDRAW:
		clearok(curscr, TRUE);
		return UI_REDRAW;
	case UI_REQ_LOCK:
		if (ui->logged_in)
			ui_push(ui, ui_login_new(ui, true));
		return UI_REDRAW;
	case UI_REQ_SYNC:
		return ui_sync_start(ui);
	case UI_REQ_CASES:
		over_home(ui, NULL);
		return UI_RELOAD;
	case UI_REQ_INBOX:
		over_home(ui, ui_case_list_new(ui, LIST_INBOX));
		return UI_REDRAW;
	case UI_REQ_APPROVALS:
		if (!rcms_perm_allows(RCMS_PERM_CASE_APPROVE,
				      ui->ctx->user.role)) {
			ui_error(ui, "the approval queue is for supervisors");
			return UI_REDRAW;
		}
		over_home(ui, ui_case_list_new(ui, LIST_APPROVALS));
		return UI_REDRAW;
	case UI_REQ_CONFLICTS:
		over_home(ui, ui_conflicts_new(ui));
		return UI_REDRAW;
	case UI_REQ_REPORTS:
		over_home(ui, ui_reports_new(ui));
		return UI_REDRAW;
	case UI_REQ_SAVE_DISPLAY:
		if (!arg)
			return ui_ask_text(ui, NULL, UI_REQ_SAVE_DISPLAY,
					   "Save the screen to:", "",
					   ui_complete_path);
		return save_display(ui, arg);
	default:
		return UI_NOTHING;
	}
}

static unsigned apply(struct ui *ui, struct view *v, unsigned c)
{
	if (c & UI_QUIT)
		ui->quit = true;
	if (ui->next_home) {
		struct view *home = ui->next_home;
		ui->next_home = NULL;
		ui_replace_all(ui, home);
		return c | UI_REDRAW;
	}
	if ((c & UI_CLOSE) && v && ui_top(ui) == v && ui->nviews > 1) {
		pop(ui);
		c |= UI_RELOAD;
	}
	if (c & UI_RELOAD)
		reload_top(ui);
	if (ui->then_push) {
		struct view *next = ui->then_push;
		ui->then_push = NULL;
		ui_push(ui, next);
	}
	return c;
}

static unsigned run_request(struct ui *ui, struct view *v, enum ui_request req,
			    const char *arg)
{
	unsigned c = UI_PASS;

	if (v && v->ops->handle)
		c = v->ops->handle(v, req, arg);
	if (c & UI_PASS)
		c = (c & ~(unsigned)UI_PASS) | generic(ui, v, req, arg);
	return apply(ui, v, c);
}

static unsigned complete_ask(struct ui *ui)
{
	char out[16][256], text[UI_EDIT_MAX * 4], hint[256] = "";
	size_t common, used = 0;
	int n, i;

	if (!ui->ask.complete)
		return UI_NOTHING;
	ui_edit_get(&ui->ask.edit, text, sizeof(text));
	n = ui->ask.complete(text, out, 16);
	if (n == 0) {
		ui_error(ui, "nothing starts with that");
		return UI_REDRAW;
	}
	common = strlen(out[0]);
	for (i = 1; i < n; i++) {
		size_t k = 0;
		while (k < common && out[i][k] == out[0][k])
			k++;
		common = k;
	}
	if (common > strlen(text)) {
		out[0][common] = n == 1 ? out[0][common] : '\0';
		ui_edit_set(&ui->ask.edit, out[0]);
	}
	if (n > 1) {
		for (i = 0; i < n && used < sizeof(hint); i++)
			used += (size_t)snprintf(hint + used,
						 sizeof(hint) - used, "%s%s",
						 i ? "  " : "", out[i]);
		ui_say(ui, "%s", hint);
	}
	return UI_REDRAW;
}

static unsigned on_key(struct ui *ui, wint_t key, bool fkey)
{
	struct view *v = ui_top(ui);
	enum ui_request req;
	bool changed;

	if (fkey && key == KEY_RESIZE)
		return UI_REDRAW;
	ui->last_input_ms = ui_ms();
	if (!ui->ask.active || ui->ask.complete == NULL)
		ui->msg[0] = '\0';
	if (ui->confirm.active) {
		req = ui_key_request(&ui_keymap_question, (int)key, fkey);
		if (req == UI_REQ_YES) {
			struct ui_confirm c = ui->confirm;
			unsigned r;
			ui->confirm.active = false;
			ui->confirmed = true;
			r = run_request(ui, c.to, c.req, c.arg[0] ? c.arg : NULL);
			ui->confirmed = false;
			return r | UI_REDRAW;
		}
		if (req == UI_REQ_NO) {
			ui->confirm.active = false;
			ui_say(ui, "Nothing was changed.");
			return UI_REDRAW;
		}
		return UI_NOTHING;
	}
	if (ui->ask.active) {
		if (ui_edit_key(&ui->ask.edit, key, fkey, &changed))
			return UI_REDRAW;
		req = UI_REQ_NONE;
		{
			size_t i;
			for (i = 0; i < ui_keymap_edit.n; i++)
				if (ui_keymap_edit.b[i].key == (int)key &&
				    ui_keymap_edit.b[i].fkey == fkey)
					req = ui_keymap_edit.b[i].req;
		}
		if (req == UI_REQ_ENTER) {
			char text[UI_EDIT_MAX * 4];
			struct ui_ask a = ui->ask;
			ui->ask.active = false;
			ui_edit_get(&a.edit, text, sizeof(text));
			return run_request(ui, a.to ? a.to : ui_top(ui), a.req,
					   text) | UI_REDRAW;
		}
		if (req == UI_REQ_BACK) {
			ui->ask.active = false;
			ui->msg[0] = '\0';
			return UI_REDRAW;
		}
		if (req == UI_REQ_COMPLETE)
			return complete_ask(ui);
		return UI_NOTHING;
	}
	if (!v)
		return UI_NOTHING;
	if (v->edit && ui_edit_key(v->edit, key, fkey, &changed)) {
		unsigned c = UI_REDRAW;
		if (changed && v->ops->edited)
			c |= v->ops->edited(v);
		return apply(ui, v, c);
	}
	req = ui_key_request(v->ops->keymap, (int)key, fkey);
	if (req == UI_REQ_NONE)
		return UI_NOTHING;
	return run_request(ui, v, req, NULL) | UI_REDRAW;
}

/* ---- scripts --------------------------------------------------------------- */

/* Run the script's next line; false at its end. */
static bool script_step(struct ui *ui, unsigned *changes)
{
	char line[4096];
	size_t n;

	if (!fgets(line, sizeof(line), ui->script))
		return false;
	n = strlen(line);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (line[0] == '\0' || line[0] == '#')
		return true;
	if (line[0] == ':') {
		*changes |= run_named(ui, line + 1);
		return true;
	}
	if (strncmp(line, "key ", 4) == 0) {
		int key;
		bool fkey;
		if (ui_key_parse(line + 4, &key, &fkey))
			*changes |= on_key(ui, (wint_t)key, fkey);
		else
			ui_error(ui, "script: no key '%.40s'", line + 4);
		return true;
	}
	if (strncmp(line, "type ", 5) == 0) {
		const char *p = line + 5;
		mbstate_t ms;
		wchar_t w;
		size_t k;
		memset(&ms, 0, sizeof(ms));
		while (*p && (k = mbrtowc(&w, p, strlen(p), &ms)) > 0 &&
		       k < (size_t)-2) {
			*changes |= on_key(ui, (wint_t)w, false);
			p += k;
		}
		return true;
	}
	if (strncmp(line, "sleep ", 6) == 0) {
		char *end = NULL;
		long ms = strtol(line + 6, &end, 10);
		if (end && !*end && ms >= 0 && ms <= 60000)
			napms((int)ms);
		else
			ui_error(ui, "script: sleep takes 0 to 60000 ms");
		return true;
	}
	if (strncmp(line, "resize ", 7) == 0) {
		char *end = NULL, *end2 = NULL;
		long c = strtol(line + 7, &end, 10), r = 0;
		if (end && *end == 'x')
			r = strtol(end + 1, &end2, 10);
		if (end2 && !*end2 && c >= 1 && c <= 1000 && r >= 1 &&
		    r <= 1000) {
			resize_term((int)r, (int)c);
			*changes |= on_key(ui, KEY_RESIZE, true);
		} else {
			ui_error(ui, "script: resize COLSxLINES, such as 100x30");
		}
		return true;
	}
	if (strcmp(line, "wait-sync") == 0) {
		long long t0 = ui_ms();
		while (ui_sync_running(ui) && ui_ms() - t0 < 60000) {
			*changes |= ui_sync_tick(ui);
			napms(20);
		}
		return true;
	}
	ui_error(ui, "script: cannot read '%.60s'", line);
	return true;
}

/* ---- the terminal ------------------------------------------------------------ */

static void colours(struct ui *ui)
{
	ui->colour = has_colors();
	if (!ui->colour)
		return;
	start_color();
	use_default_colors();
	init_pair(UI_PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
	init_pair(UI_PAIR_STATUS, COLOR_BLACK, COLOR_CYAN);
	init_pair(UI_PAIR_ERROR, COLOR_RED, -1);
	init_pair(UI_PAIR_DRAFT, -1, -1);
	init_pair(UI_PAIR_WAITING, COLOR_YELLOW, -1);
	init_pair(UI_PAIR_GOOD, COLOR_GREEN, -1);
	init_pair(UI_PAIR_BAD, COLOR_RED, -1);
	init_pair(UI_PAIR_DONE, COLOR_BLUE, -1);
	init_pair(UI_PAIR_SELECT, COLOR_BLACK, COLOR_WHITE);
}

static int start_terminal(struct ui *ui)
{
	static const int fatal[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE,
				    SIGILL, SIGTERM, SIGHUP, SIGQUIT};
	struct sigaction sa;
	size_t i;

	if (ui->script) {
		/* nothing to show the screen to: it lives in memory only */
		null_out = fopen("/dev/null", "w");
		null_in = fopen("/dev/null", "r");
		if (!null_out || !null_in)
			return -1;
		screen = newterm(NULL, null_out, null_in);
	} else {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
			return -1;
		screen = newterm(NULL, stdout, stdin);
	}
	if (!screen)
		return -1;
	set_term(screen);
	curses_on = true;
	atexit(restore_terminal);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		sigaction(fatal[i], &sa, NULL);
	raw();
	noecho();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	colours(ui);
	return 0;
}

static void stop_terminal(void)
{
	restore_terminal();
	if (screen) {
		delscreen(screen);
		screen = NULL;
	}
	if (null_out)
		fclose(null_out);
	if (null_in)
		fclose(null_in);
	null_out = null_in = NULL;
}

static void utf8_locale(void)
{
	setlocale(LC_ALL, "");
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
}

static void print_help_line(const char *line, void *arg)
{
	fprintf(arg, "%s\n", line);
}

int cmd_ui(struct cli *cli, int argc, char **argv)
{
	struct ui *ui;
	const char *script = getenv("RCMS_UI_SCRIPT");
	const char *user = getenv("RCMS_USER");
	const char *pf = getenv("RCMS_PASSWORD_FILE");
	unsigned changes = UI_REDRAW;
	int rc;

	utf8_locale();
	if ((rc = cli_take_why(cli, &argc, argv)))
		return rc;
	if (argc == 2 && strcmp(argv[1], "--keys-mdoc") == 0) {
		ui_keys_mdoc(stdout);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "--keys") == 0) {
		ui_help_lines(print_help_line, stdout);
		return 0;
	}
	if (argc > 1)
		return cli_usage(cli, cli_current(), "unexpected '%s'",
				 argv[1]);
	if ((rc = cli_open_db(cli, false)))
		return rc;
	ui = calloc(1, sizeof(*ui));
	if (!ui) {
		rcms_err_set(&cli->err, RCMS_ERR_NOMEM, NULL, NULL);
		return cli_fail(cli, RCMS_ERR_NOMEM);
	}
	ui->cli = cli;
	ui->ctx = &cli->ctx;
	snprintf(ui->why_arg, sizeof(ui->why_arg), "%s", cli->why);
	ui->idle_lock_s = cli->conf.idle_lock_minutes * 60;
	{
		/* RCMS_IDLE_LOCK: seconds, for this run (tests, kiosks) */
		const char *il = getenv("RCMS_IDLE_LOCK");
		char *end = NULL;
		long s = il && *il ? strtol(il, &end, 10) : -1;
		if (il && *il && end && !*end && s >= 0 && s <= 86400)
			ui->idle_lock_s = (int)s;
	}
	if (db_identity_get(cli->db, &ui->id, &cli->err)) {
		free(ui);
		return cli_fail(cli, cli->err.status);
	}
	if (script && *script) {
		ui->script = fopen(script, "r");
		if (!ui->script) {
			fprintf(stderr, "%s: cannot read RCMS_UI_SCRIPT %s: %s\n",
				cli->prog, script, strerror(errno));
			free(ui);
			return EX_IOERR_;
		}
	}
	/* scripts and the demo: log in as RCMS_USER with the password file */
	if (user && *user && pf && *pf) {
		char pw[512];
		struct db_login_policy pol = {
			cli->conf.max_login_failures,
			(int64_t)cli->conf.lock_minutes * 60};
		if ((rc = cli_read_password(cli, NULL, pw, sizeof(pw))) ||
		    (rc = db_login(cli->db, user, pw, &pol, ui_now(),
				   &cli->ctx.user, &cli->err)
			      ? cli_fail(cli, cli->err.status) : 0)) {
			memset(pw, 0, sizeof(pw));
			if (ui->script)
				fclose(ui->script);
			free(ui);
			return rc;
		}
		memset(pw, 0, sizeof(pw));
		ui->logged_in = true;
	}
	if (start_terminal(ui) != 0) {
		stop_terminal();
		fprintf(stderr, "%s: the workstation needs a terminal (TERM=%s)"
			"\n", cli->prog, getenv("TERM") ? getenv("TERM") : "");
		if (ui->script)
			fclose(ui->script);
		free(ui);
		return EX_UNAVAILABLE_;
	}
	ui->last_input_ms = ui_ms();
	if (ui->logged_in)
		ui_push(ui, ui_home_new(ui));
	else
		ui_push(ui, ui_login_new(ui, false));

	while (!ui->quit && ui->nviews > 0) {
		wint_t key;
		int r;

		if (changes & (UI_REDRAW | UI_RELOAD))
			paint(ui);
		changes = UI_NOTHING;
		if (ui->script) {
			if (!script_step(ui, &changes))
				break;
			changes |= UI_REDRAW;
		} else {
			/* while a sync runs, its engine waits for the
			   network or a key, 50 ms at most; then the key
			   is read without waiting */
			timeout(ui_sync_wait(ui, 50) ? 0 : 50);
			r = get_wch(&key);
			if (r != ERR)
				changes |= on_key(ui, key, r == KEY_CODE_YES);
		}
		ui->ctx->now = ui_now();
		{
			struct view *t = ui_top(ui);
			if (t && t->ops->tick && !ui->ask.active &&
			    !ui->confirm.active)
				changes |= apply(ui, t, t->ops->tick(t));
		}
		changes |= ui_sync_tick(ui);
		if (changes & UI_RELOAD)
			reload_top(ui);
		if (ui->logged_in && ui->idle_lock_s > 0 &&
		    ui_ms() - ui->last_input_ms >
			    (long long)ui->idle_lock_s * 1000) {
			struct view *t = ui_top(ui);
			ui->last_input_ms = ui_ms();
			if (!(t && t->modal)) {
				ui->ask.active = false;
				ui->confirm.active = false;
				ui_push(ui, ui_login_new(ui, true));
				changes |= UI_REDRAW;
			}
		}
		if (ui_ms() - ui->status_read_ms > 1000)
			changes |= UI_REDRAW;   /* the status line's clock */
	}
	while (ui->nviews)
		pop(ui);
	ui_sync_free(ui);
	stop_terminal();
	if (ui->script)
		fclose(ui->script);
	free(ui);
	return 0;
}
