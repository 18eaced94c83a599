/*
 * ui_priv.h - the insides of the full-screen workstation.
 *
 * A screen is a struct view (what all screens share) embedded in the
 * screen's own struct, with a const struct view_ops table.  Keys become
 * requests (request.h) through keymaps (keymap.c); the current screen's
 * handler gets the first chance at a request and returns UI_PASS for what
 * it does not know, which the generic handler in ui.c then takes.
 * Handlers never draw: they return what changed and the one loop in ui.c
 * repaints.  Only ui/ includes <curses.h>.
 *
 * Screen layout: row 0 the title, rows 1 .. LINES-3 the screen's body,
 * row LINES-2 the status line (user, sync), row LINES-1 the message line
 * (messages, questions, the ':' prompt).
 */
#ifndef RCMS_UI_UI_PRIV_H
#define RCMS_UI_UI_PRIV_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "cli/cli_priv.h"
#include "ui/request.h"

struct ui;
struct view;

/* What a handler changed (bits); the loop acts on them. */
enum ui_change {
	UI_NOTHING = 0,
	UI_REDRAW = 1,     /* repaint */
	UI_RELOAD = 2,     /* read the data again, then repaint */
	UI_PASS = 4,       /* not mine: the generic handler takes it */
	UI_QUIT = 8,       /* leave the workstation */
	UI_CLOSE = 16      /* close this screen */
};

/* ---- keymaps (keymap.c) ----------------------------------------------- */

struct ui_binding {
	int key;           /* a character, or a KEY_* code when fkey */
	bool fkey;
	enum ui_request req;
};

struct ui_keymap {
	const char *name;  /* "case-list" */
	const struct ui_binding *b;
	size_t n;
};

extern const struct ui_keymap ui_keymap_generic, ui_keymap_list,
	ui_keymap_case, ui_keymap_form, ui_keymap_edit, ui_keymap_question,
	ui_keymap_conflicts, ui_keymap_report, ui_keymap_menu;

/* The request of a key in map, else in the generic map; UI_REQ_NONE. */
enum ui_request ui_key_request(const struct ui_keymap *map, int key,
			       bool fkey);
/* "Enter", "^L", "PgDn", "j": the printable name of a key. */
const char *ui_key_name(int key, bool fkey, char *buf, size_t size);
/* Parse a key name as ui_key_name writes it (and single characters). */
bool ui_key_parse(const char *name, int *key, bool *fkey);
/* The keys bound to req in map (and, with generic, the generic map),
 * "j, Down"; "" none.  Returns buf. */
const char *ui_keys_of(const struct ui_keymap *map, enum ui_request req,
		       char *buf, size_t size);
/* The help text, one line a request, grouped, as the help screen shows
 * it; fn gets each line.  The same list makes the man page's table. */
void ui_help_lines(void (*fn)(const char *line, void *arg), void *arg);
/* The key table of rcms(1), mdoc, on f. */
void ui_keys_mdoc(FILE *f);

/* ---- a line of text being typed (edit.c) ------------------------------ */

#define UI_EDIT_MAX 1024

struct ui_edit {
	wchar_t buf[UI_EDIT_MAX];
	int len, pos;
	int max_bytes;     /* as UTF-8; 0: the buffer's */
	bool secret;       /* shown as '*' */
};

void ui_edit_set(struct ui_edit *e, const char *utf8);
/* The text as UTF-8 into buf. */
const char *ui_edit_get(const struct ui_edit *e, char *buf, size_t size);
/* Take a typed key (editing keys and text); true when it was taken and
 * *changed says whether the text changed. */
bool ui_edit_key(struct ui_edit *e, wint_t key, bool fkey, bool *changed);
/* Draw at y, x in width cells; places the cursor when focus. */
void ui_edit_draw(const struct ui_edit *e, int y, int x, int width,
		  bool focus);

/* ---- screens ----------------------------------------------------------- */

struct view_ops {
	const char *name;
	const struct ui_keymap *keymap;
	/* read what the screen shows; 0 or an rcms_status */
	int (*open)(struct view *v);
	void (*draw)(struct view *v, int top, int rows, int cols);
	unsigned (*handle)(struct view *v, enum ui_request req,
			   const char *arg);
	/* the text of v->edit changed (search as you type, live checks) */
	unsigned (*edited)(struct view *v);
	/* every frame while the screen is on top (work put off until the
	   typing pauses); may be NULL */
	unsigned (*tick)(struct view *v);
	void (*close)(struct view *v);    /* frees the screen */
};

struct view {
	const struct view_ops *ops;
	struct ui *ui;
	char title[160];
	struct ui_edit *edit;   /* the field being typed in; NULL none */
	bool modal;             /* login and lock: no generic requests */
};

#define UI_MAX_VIEWS 16

/* A question on the message line: the answer goes to req as its arg. */
struct ui_ask {
	bool active;
	char label[128];
	struct ui_edit edit;
	enum ui_request req;
	struct view *to;
	/* completion for Tab: fills out, returns the count */
	int (*complete)(const char *prefix, char out[][256], int max);
};

struct ui_confirm {
	bool active;
	char question[256];
	enum ui_request req;
	char arg[UI_EDIT_MAX * 4];
	struct view *to;
};

struct ui_sync;

struct ui {
	struct cli *cli;
	struct db_ctx *ctx;          /* cli's */
	struct db_identity id;
	struct view *stack[UI_MAX_VIEWS];
	int nviews;
	bool logged_in;
	char msg[512];
	bool msg_error;
	struct ui_ask ask;
	struct ui_confirm confirm;
	bool confirmed;              /* the request being run was confirmed */
	bool colour;
	int idle_lock_s;             /* 0: never */
	long long last_input_ms;
	struct ui_sync *sync;
	/* the status line's figures, read every few seconds */
	long long status_read_ms;
	char status[256];
	char status_when[48];        /* "synced 14:02" */
	FILE *script;                /* RCMS_UI_SCRIPT */
	struct view *then_push;      /* opened after this request closed
					its screen (a new case's view) */
	struct view *next_home;      /* replaces every screen after this
					request (login) */
	bool quit;
	/* rcms ui --why: the purpose each login starts with (cli->why holds
	 * the session's, asked when a case is first opened) */
	char why_arg[RCMS_JUSTIFY_CODE_LEN];
};

/* Colour pairs (none without colour; the text says the same). */
enum {
	UI_PAIR_TITLE = 1,
	UI_PAIR_STATUS,
	UI_PAIR_ERROR,
	UI_PAIR_DRAFT,
	UI_PAIR_WAITING,
	UI_PAIR_GOOD,
	UI_PAIR_BAD,
	UI_PAIR_DONE,
	UI_PAIR_SELECT
};

/* Open a screen on top; on failure it is freed and the message set. */
void ui_push(struct ui *ui, struct view *v);
/* Replace every screen by v (after login). */
void ui_replace_all(struct ui *ui, struct view *v);
struct view *ui_top(struct ui *ui);

/* A file's path as the message line shows it: the home folder as "~" and,
 * when it is wider than room columns, only its end after "…" (the file's
 * name is what an officer looks for).  Returns buf. */
const char *ui_path_text(const char *path, int room, char *buf, size_t size);

/* The message line. */
void ui_say(struct ui *ui, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ui_error(struct ui *ui, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Show err (its message) as an error; returns UI_REDRAW. */
unsigned ui_fail(struct ui *ui, const struct rcms_err *err);

/* Ask a yes/no question; on yes, req (with arg) goes to v again with
 * ui->confirmed set.  Returns UI_REDRAW. */
unsigned ui_ask_confirm(struct ui *ui, struct view *v, enum ui_request req,
			const char *arg, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Ask for a line of text; Enter sends req with the text to v. */
unsigned ui_ask_text(struct ui *ui, struct view *v, enum ui_request req,
		     const char *label, const char *initial,
		     int (*complete)(const char *, char[][256], int));

/* Show the cursor where it is when this frame is refreshed (a field
 * with the focus); hidden otherwise. */
void ui_cursor_want(bool on);
/* Draw UTF-8 text at y, x clipped to width cells (padded when pad). */
void ui_put(int y, int x, const char *s, int width, bool pad);
/* The colour pair of a case status. */
int ui_status_pair(enum rcms_case_status st);
/* "2 d left", "overdue 3 d", "deemed accepted", "" */
void ui_due_text(int64_t now, int64_t due, enum rcms_case_status st,
		 char *buf, size_t size);
/* The time now (UTC seconds), and milliseconds of a monotonic clock. */
int64_t ui_now(void);
long long ui_ms(void);
/* Completion of file paths (attach) and countries (forms). */
int ui_complete_path(const char *prefix, char out[][256], int max);
int ui_complete_country(const char *prefix, char out[][256], int max);

/* ---- the screens (one file each) --------------------------------------- */

struct view *ui_login_new(struct ui *ui, bool lock);
enum list_mode { LIST_ALL, LIST_INBOX, LIST_APPROVALS };
struct view *ui_case_list_new(struct ui *ui, enum list_mode mode);
struct view *ui_case_view_new(struct ui *ui, const char *ref);
/* On an open case view: the Identity checks tab, its first check waiting
 * for an answer selected, and the answer asked for (the inbox). */
unsigned ui_case_view_answer(struct view *v);
/* A new case (ref NULL) or an edit of ref. */
struct view *ui_form_new(struct ui *ui, const char *ref);
struct view *ui_help_new(struct ui *ui, const struct ui_keymap *map);
struct view *ui_conflicts_new(struct ui *ui);
struct view *ui_reports_new(struct ui *ui);

/* The main screen after login. */
struct view *ui_home_new(struct ui *ui);

/* ---- background sync (ui_sync.c) --------------------------------------- */

/* Start a sync unless one runs; says why not on the message line. */
unsigned ui_sync_start(struct ui *ui);
/* Let a running sync go on (never waits), or start the automatic one
 * when it is due; UI_RELOAD when one finished, UI_REDRAW when its
 * progress changed. */
unsigned ui_sync_tick(struct ui *ui);
/* While a sync runs: wait at most ms for the network or a key (stdin)
 * and return true; false at once when none runs. */
bool ui_sync_wait(struct ui *ui, int ms);
bool ui_sync_running(const struct ui *ui);
/* The sync part of the status line. */
void ui_sync_status(struct ui *ui, char *buf, size_t size);
void ui_sync_free(struct ui *ui);

#endif
