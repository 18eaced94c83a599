/* help.c - the help screen: every request with its keys and what it
 * does, made from UI_REQ_LIST (the same lines as `rcms ui --keys` and the
 * key table of rcms(1)). */
#include "ui/ui_priv.h"

#include <stdlib.h>
#include <string.h>

#define HELP_MAX 160

struct help {
	struct view v;
	char lines[HELP_MAX][128];
	int n, top, rows;
};

static void add_line(const char *line, void *arg)
{
	struct help *h = arg;

	if (h->n < HELP_MAX)
		snprintf(h->lines[h->n++], sizeof(h->lines[0]), "%s", line);
}

static void draw(struct view *v, int top, int rows, int cols)
{
	struct help *h = (struct help *)v;
	int i;

	h->rows = rows;
	if (h->top > h->n - rows)
		h->top = h->n - rows > 0 ? h->n - rows : 0;
	for (i = 0; i < rows && h->top + i < h->n; i++) {
		const char *l = h->lines[h->top + i];
		bool head = l[0] && l[0] != ' ';
		if (head)
			attron(A_BOLD);
		ui_put(top + i, 0, l, cols, false);
		if (head)
			attroff(A_BOLD);
	}
}

static unsigned handle(struct view *v, enum ui_request req, const char *arg)
{
	struct help *h = (struct help *)v;
	int page = h->rows > 1 ? h->rows - 1 : 1;

	(void)arg;
	switch (req) {
	case UI_REQ_UP: h->top--; break;
	case UI_REQ_DOWN: h->top++; break;
	case UI_REQ_PAGE_UP: h->top -= page; break;
	case UI_REQ_PAGE_DOWN: h->top += page; break;
	case UI_REQ_FIRST: h->top = 0; break;
	case UI_REQ_LAST: h->top = h->n; break;
	case UI_REQ_HELP:
	case UI_REQ_ENTER: return UI_CLOSE;
	default: return UI_PASS;
	}
	if (h->top < 0)
		h->top = 0;
	if (h->top > h->n - 1)
		h->top = h->n - 1;
	return UI_REDRAW;
}

static void close_view(struct view *v)
{
	free(v);
}

static const struct view_ops help_ops = {
	.name = "help",
	.keymap = NULL,
	.draw = draw,
	.handle = handle,
	.close = close_view,
};

struct view *ui_help_new(struct ui *ui, const struct ui_keymap *map)
{
	struct help *h = calloc(1, sizeof(*h));

	(void)map;
	if (!h)
		return NULL;
	h->v.ops = &help_ops;
	h->v.ui = ui;
	snprintf(h->v.title, sizeof(h->v.title),
		 "Help: keys and requests (q closes; :NAME runs any)");
	ui_help_lines(add_line, h);
	return &h->v;
}
