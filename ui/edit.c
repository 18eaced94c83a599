/* edit.c - one line of text being typed: wide characters (get_wch), any
 * script, combining marks and double-width characters; the cursor moves
 * by character and the view scrolls by cells. */
#include "ui/ui_priv.h"

#include <string.h>

static size_t utf8_len(const struct ui_edit *e, int upto)
{
	char tmp[8];
	mbstate_t ms;
	size_t n = 0, k;
	int i;

	memset(&ms, 0, sizeof(ms));
	for (i = 0; i < upto; i++) {
		k = wcrtomb(tmp, e->buf[i], &ms);
		n += k == (size_t)-1 ? 1 : k;
	}
	return n;
}

void ui_edit_set(struct ui_edit *e, const char *utf8)
{
	mbstate_t ms;
	const char *p = utf8 ? utf8 : "";
	size_t n;

	memset(&ms, 0, sizeof(ms));
	n = mbsrtowcs(e->buf, &p, UI_EDIT_MAX - 1, &ms);
	if (n == (size_t)-1)
		n = 0;
	e->buf[n] = L'\0';
	e->len = (int)n;
	e->pos = e->len;
}

const char *ui_edit_get(const struct ui_edit *e, char *buf, size_t size)
{
	mbstate_t ms;
	size_t used = 0, k;
	char tmp[8];
	int i;

	memset(&ms, 0, sizeof(ms));
	for (i = 0; i < e->len; i++) {
		k = wcrtomb(tmp, e->buf[i], &ms);
		if (k == (size_t)-1)
			continue;
		if (used + k + 1 > size)
			break;
		memcpy(buf + used, tmp, k);
		used += k;
	}
	if (size)
		buf[used] = '\0';
	return buf;
}

static bool insert(struct ui_edit *e, wchar_t c)
{
	char tmp[8];
	mbstate_t ms;
	size_t k;
	int max = e->max_bytes > 0 ? e->max_bytes : UI_EDIT_MAX * 4;

	memset(&ms, 0, sizeof(ms));
	k = wcrtomb(tmp, c, &ms);
	if (k == (size_t)-1 || e->len >= UI_EDIT_MAX - 1 ||
	    utf8_len(e, e->len) + k > (size_t)max) {
		beep();
		return false;
	}
	memmove(e->buf + e->pos + 1, e->buf + e->pos,
		sizeof(wchar_t) * (size_t)(e->len - e->pos));
	e->buf[e->pos++] = c;
	e->buf[++e->len] = L'\0';
	return true;
}

bool ui_edit_key(struct ui_edit *e, wint_t key, bool fkey, bool *changed)
{
	*changed = false;
	if (fkey) {
		switch (key) {
		case KEY_LEFT:
			if (e->pos > 0)
				e->pos--;
			return true;
		case KEY_RIGHT:
			if (e->pos < e->len)
				e->pos++;
			return true;
		case KEY_HOME:
			e->pos = 0;
			return true;
		case KEY_END:
			e->pos = e->len;
			return true;
		case KEY_BACKSPACE:
			goto backspace;
		case KEY_DC:
			goto delete;
		default:
			return false;
		}
	}
	switch (key) {
	case 127:
	case 8:
	backspace:
		if (e->pos == 0)
			return true;
		e->pos--;
		/* fall through */
	case 4:    /* ^D */
	delete:
		if (e->pos < e->len) {
			memmove(e->buf + e->pos, e->buf + e->pos + 1,
				sizeof(wchar_t) * (size_t)(e->len - e->pos));
			e->len--;
			*changed = true;
		}
		return true;
	case 1:    /* ^A */
		e->pos = 0;
		return true;
	case 5:    /* ^E */
		e->pos = e->len;
		return true;
	case 21:   /* ^U: everything before the cursor */
		memmove(e->buf, e->buf + e->pos,
			sizeof(wchar_t) * (size_t)(e->len - e->pos + 1));
		e->len -= e->pos;
		e->pos = 0;
		*changed = true;
		return true;
	case 11:   /* ^K: everything after it */
		e->len = e->pos;
		e->buf[e->len] = L'\0';
		*changed = true;
		return true;
	default:
		if (key < 32 || key == 127 || (key >= 0x80 && key < 0xa0))
			return false;
		*changed = insert(e, (wchar_t)key);
		return true;
	}
}

void ui_edit_draw(const struct ui_edit *e, int y, int x, int width,
		  bool focus)
{
	int i, w, start = 0, cells = 0, cur = 0;

	if (width <= 0)
		return;
	/* scroll so that the cursor is inside the width */
	for (;;) {
		cells = 0;
		for (i = start; i < e->pos; i++) {
			w = wcwidth(e->buf[i]);
			cells += w > 0 ? w : 0;
		}
		if (cells < width || start >= e->pos)
			break;
		start++;
	}
	move(y, x);
	cells = 0;
	for (i = start; i < e->len; i++) {
		wchar_t c = e->secret ? L'*' : e->buf[i];
		w = wcwidth(c);
		if (w < 0) {
			c = L'?';
			w = 1;
		}
		if (cells + w > width)
			break;
		if (i == e->pos)
			cur = cells;
		addnwstr(&c, 1);
		cells += w;
	}
	if (e->pos >= i)
		cur = cells;
	for (; cells < width; cells++)
		addch(' ');
	if (focus) {
		move(y, x + (cur < width ? cur : width - 1));
		ui_cursor_want(true);
	}
}
