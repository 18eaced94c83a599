/* login.c - the login screen and the lock screen: the officer's own
 * password, checked by db_login (failures counted, the account locked
 * after too many, both audited).  The lock screen comes after the idle
 * time of the configuration (idle_lock) or with the lock request, and
 * only the same user's password opens it again. */
#include "ui/ui_priv.h"

#include <stdlib.h>
#include <string.h>

struct login {
	struct view v;
	bool lock;
	int focus;               /* 0 user, 1 password */
	struct ui_edit user, pw;
};

static struct login *of(struct view *v)
{
	return (struct login *)v;
}

static void draw(struct view *v, int top, int rows, int cols)
{
	struct login *l = of(v);
	struct ui *ui = v->ui;
	int y = top + rows / 2 - 4, x = cols / 2 - 25;
	char line[256];

	(void)rows;
	if (y < top)
		y = top;
	if (x < 0)
		x = 0;
	attron(A_BOLD);
	ui_put(y, x, l->lock ? "The workstation is locked"
			     : "Readmission case management", 50, false);
	attroff(A_BOLD);
	snprintf(line, sizeof(line), "%s, workstation %s", ui->id.agency,
		 ui->id.workstation);
	ui_put(y + 1, x, line, 50, false);
	ui_put(y + 3, x, "User name:", 12, false);
	ui_put(y + 4, x, "Password: ", 12, false);
	if (l->lock) {
		ui_put(y + 3, x + 12, ui->ctx->user.username, 30, false);
	} else {
		attron(A_UNDERLINE);
		ui_edit_draw(&l->user, y + 3, x + 12, 30, false);
		attroff(A_UNDERLINE);
	}
	ui_put(y + 6, x, "Enter: log in    F10: leave", 50, false);
	attron(A_UNDERLINE);
	ui_edit_draw(&l->pw, y + 4, x + 12, 30, false);
	attroff(A_UNDERLINE);
	/* the cursor where typing goes */
	if (l->focus == 0)
		ui_edit_draw(&l->user, y + 3, x + 12, 30, true);
	else
		ui_edit_draw(&l->pw, y + 4, x + 12, 30, true);
}

static unsigned try_login(struct login *l)
{
	struct ui *ui = l->v.ui;
	struct cli *cli = ui->cli;
	struct db_login_policy pol = {cli->conf.max_login_failures,
				      (int64_t)cli->conf.lock_minutes * 60};
	struct db_user u;
	struct rcms_err err;
	char name[RCMS_USER_LEN * 4], pw[UI_EDIT_MAX * 4];
	enum rcms_status st;

	rcms_err_clear(&err);
	if (l->lock)
		snprintf(name, sizeof(name), "%s", ui->ctx->user.username);
	else
		ui_edit_get(&l->user, name, sizeof(name));
	ui_edit_get(&l->pw, pw, sizeof(pw));
	st = db_login(cli->db, name, pw, &pol, ui_now(), &u, &err);
	memset(pw, 0, sizeof(pw));
	ui_edit_set(&l->pw, "");
	if (st)
		return ui_fail(ui, &err);
	ui->ctx->user = u;
	ui->msg[0] = '\0';
	if (l->lock) {
		ui_say(ui, "Welcome back, %s.", u.full_name[0] ? u.full_name
							       : u.username);
		return UI_CLOSE;
	}
	ui->logged_in = true;
	/* a new session: its purpose is asked again (rcms ui --why aside) */
	snprintf(cli->why, sizeof(cli->why), "%s", ui->why_arg);
	ui_say(ui, "Logged in as %s (%s).", u.username,
	       rcms_enum_name(rcms_role_names, (int)u.role));
	ui->next_home = ui_home_new(ui);
	return UI_REDRAW;
}

static unsigned handle(struct view *v, enum ui_request req, const char *arg)
{
	struct login *l = of(v);

	(void)arg;
	switch (req) {
	case UI_REQ_ENTER:
		if (l->focus == 0) {
			l->focus = 1;
			v->edit = &l->pw;
			return UI_REDRAW;
		}
		return try_login(l);
	case UI_REQ_COMPLETE:
	case UI_REQ_UP:
	case UI_REQ_DOWN:
	case UI_REQ_NEXT_TAB:
	case UI_REQ_PREV_TAB:
		if (l->lock)
			return UI_NOTHING;
		l->focus = !l->focus;
		v->edit = l->focus ? &l->pw : &l->user;
		return UI_REDRAW;
	case UI_REQ_BACK:
		return UI_NOTHING;   /* no way past it but a password */
	default:
		return UI_PASS;
	}
}

static void close_view(struct view *v)
{
	struct login *l = of(v);

	memset(&l->pw, 0, sizeof(l->pw));
	free(l);
}

static const struct view_ops login_ops = {
	.name = "login",
	.keymap = &ui_keymap_edit,
	.draw = draw,
	.handle = handle,
	.close = close_view,
};

struct view *ui_login_new(struct ui *ui, bool lock)
{
	struct login *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->v.ops = &login_ops;
	l->v.ui = ui;
	l->v.modal = true;
	l->lock = lock;
	l->pw.secret = true;
	l->user.max_bytes = RCMS_USER_LEN - 1;
	l->focus = lock ? 1 : 0;
	l->v.edit = lock ? &l->pw : &l->user;
	snprintf(l->v.title, sizeof(l->v.title), "%s",
		 lock ? "Locked" : "Log in");
	return &l->v;
}
