/* keymap.c - keys to requests, as data: one map a screen, one generic map
 * that takes what a screen's map does not bind; the request table; key
 * names; the help text and the man page's key table, both from
 * UI_REQ_LIST. */
#include "ui/ui_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct ui_request_info ui_requests[UI_REQ__COUNT] = {
#define UI_REQ_INFO(id, name, group, help) [UI_REQ_##id] = {name, group, help},
	UI_REQ_LIST(UI_REQ_INFO)
#undef UI_REQ_INFO
};

enum ui_request ui_request_find(const char *name)
{
	int i;

	if (!name)
		return UI_REQ_NONE;
	for (i = 1; i < UI_REQ__COUNT; i++)
		if (strcmp(ui_requests[i].name, name) == 0)
			return (enum ui_request)i;
	return UI_REQ_NONE;
}

#define CTRL(c) ((c) & 0x1f)
#define K(c, r) {c, false, UI_REQ_##r}
#define F(c, r) {c, true, UI_REQ_##r}
#define MAP(var, nm, arr) \
	const struct ui_keymap var = {nm, arr, sizeof(arr) / sizeof(arr[0])}

static const struct ui_binding generic[] = {
	F(KEY_F(1), HELP), K('?', HELP),
	K('Q', QUIT), F(KEY_F(10), QUIT),
	K('q', BACK), K(27, BACK),
	K(':', PROMPT),
	K(CTRL('L'), REDRAW),
	F(KEY_F(12), LOCK), K(CTRL('X'), LOCK),
	F(KEY_F(5), SYNC), K('S', SYNC),
	K('c', CASES), K('i', INBOX), K('a', APPROVALS), K('C', CONFLICTS),
	K('R', REPORTS),
	F(KEY_UP, UP), K('k', UP),
	F(KEY_DOWN, DOWN), K('j', DOWN),
	F(KEY_PPAGE, PAGE_UP), F(KEY_NPAGE, PAGE_DOWN), K(' ', PAGE_DOWN),
	F(KEY_HOME, FIRST), K('g', FIRST),
	F(KEY_END, LAST), K('G', LAST),
	K('\n', ENTER), K('\r', ENTER), F(KEY_ENTER, ENTER),
	K('\t', NEXT_TAB), F(KEY_RIGHT, NEXT_TAB),
	F(KEY_BTAB, PREV_TAB), F(KEY_LEFT, PREV_TAB),
};
MAP(ui_keymap_generic, "generic", generic);

static const struct ui_binding list[] = {
	K('/', SEARCH), K('s', FILTER_STATUS), K('A', FILTER_AGENCY),
	K('d', FILTER_DUE), K('m', FILTER_MINE), K('x', FILTER_CLEAR),
	K('o', SORT), K('n', NEW_CASE),
};
MAP(ui_keymap_list, "case-list", list);

static const struct ui_binding case_keys[] = {
	K('e', EDIT), K('s', SUBMIT), K('a', APPROVE), K('r', RETURN),
	K('w', WITHDRAW), K('A', ACCEPT), K('x', REJECT), K('X', EXTEND),
	K('t', ISSUE), K('d', SCHEDULE), K('T', TRANSFER), K('z', CLOSE),
	K('N', NOTE), K('f', ATTACH), K('I', IDCHECK), K('v', ANSWER),
};
MAP(ui_keymap_case, "case", case_keys);

static const struct ui_binding form[] = {
	K('\t', NEXT_TAB), F(KEY_DOWN, NEXT_TAB), K('\n', NEXT_TAB),
	K('\r', NEXT_TAB), F(KEY_ENTER, NEXT_TAB),
	F(KEY_BTAB, PREV_TAB), F(KEY_UP, PREV_TAB),
	F(KEY_F(2), SAVE), K(CTRL('O'), SAVE),
	F(KEY_F(3), COMPLETE), K(CTRL('T'), COMPLETE),
	F(KEY_F(4), MRZ), F(KEY_F(6), FIX), K(CTRL('F'), FIX),
	K(27, BACK), F(KEY_F(1), HELP),
};
MAP(ui_keymap_form, "form", form);

/* a line being typed on the message line: the search, a question */
static const struct ui_binding edit[] = {
	K('\n', ENTER), K('\r', ENTER), F(KEY_ENTER, ENTER),
	K('\t', COMPLETE), K(27, BACK),
	F(KEY_UP, UP), F(KEY_DOWN, DOWN),
};
MAP(ui_keymap_edit, "edit", edit);

static const struct ui_binding question[] = {
	K('y', YES), K('Y', YES), K('n', NO), K('N', NO), K(27, NO),
};
MAP(ui_keymap_question, "question", question);

static const struct ui_binding conflicts[] = {
	K('m', TAKE_MINE), K('t', TAKE_THEIRS), K('v', TYPE_VALUE),
};
MAP(ui_keymap_conflicts, "conflicts", conflicts);

/* a report: its parameters (typed, F2 makes it), then its text */
static const struct ui_binding report[] = {
	K('e', EXPORT), K('p', PRINT), F(KEY_F(2), SAVE), K(CTRL('O'), SAVE),
};
MAP(ui_keymap_report, "report", report);

static const struct ui_binding menu[] = {
	K('o', ENTER),
};
MAP(ui_keymap_menu, "menu", menu);

static const struct ui_keymap *const all_maps[] = {
	&ui_keymap_generic, &ui_keymap_list, &ui_keymap_case, &ui_keymap_form,
	&ui_keymap_edit, &ui_keymap_question, &ui_keymap_conflicts,
	&ui_keymap_report, &ui_keymap_menu,
};

static enum ui_request lookup(const struct ui_keymap *map, int key,
			      bool fkey)
{
	size_t i;

	if (!map)
		return UI_REQ_NONE;
	for (i = 0; i < map->n; i++)
		if (map->b[i].key == key && map->b[i].fkey == fkey)
			return map->b[i].req;
	return UI_REQ_NONE;
}

enum ui_request ui_key_request(const struct ui_keymap *map, int key,
			       bool fkey)
{
	enum ui_request r = lookup(map, key, fkey);

	return r != UI_REQ_NONE ? r : lookup(&ui_keymap_generic, key, fkey);
}

static const struct {
	int key;
	const char *name;
} fkeys[] = {
	{KEY_UP, "Up"}, {KEY_DOWN, "Down"}, {KEY_LEFT, "Left"},
	{KEY_RIGHT, "Right"}, {KEY_PPAGE, "PgUp"}, {KEY_NPAGE, "PgDn"},
	{KEY_HOME, "Home"}, {KEY_END, "End"}, {KEY_BTAB, "S-Tab"},
	{KEY_ENTER, "KEnter"}, {KEY_DC, "Delete"}, {KEY_IC, "Insert"},
	{KEY_BACKSPACE, "Backspace"}, {KEY_RESIZE, "Resize"},
};

const char *ui_key_name(int key, bool fkey, char *buf, size_t size)
{
	size_t i;

	if (fkey) {
		for (i = 0; i < sizeof(fkeys) / sizeof(fkeys[0]); i++)
			if (fkeys[i].key == key)
				return snprintf(buf, size, "%s", fkeys[i].name),
				       buf;
		if (key >= KEY_F(1) && key <= KEY_F(12))
			snprintf(buf, size, "F%d", key - KEY_F(0));
		else
			snprintf(buf, size, "key%d", key);
		return buf;
	}
	switch (key) {
	case '\n': snprintf(buf, size, "Enter"); break;
	case '\r': snprintf(buf, size, "Return"); break;
	case '\t': snprintf(buf, size, "Tab"); break;
	case 27: snprintf(buf, size, "Esc"); break;
	case ' ': snprintf(buf, size, "Space"); break;
	case 127: snprintf(buf, size, "Backspace"); break;
	default:
		if (key > 0 && key < 32)
			snprintf(buf, size, "^%c", key + '@');
		else {
			wchar_t w[2] = {(wchar_t)key, 0};
			if (wcstombs(buf, w, size) == (size_t)-1)
				snprintf(buf, size, "?");
		}
	}
	return buf;
}

bool ui_key_parse(const char *name, int *key, bool *fkey)
{
	size_t i;
	wchar_t w[4];

	*fkey = false;
	if (!name || !*name)
		return false;
	for (i = 0; i < sizeof(fkeys) / sizeof(fkeys[0]); i++)
		if (strcmp(name, fkeys[i].name) == 0) {
			*key = fkeys[i].key;
			*fkey = true;
			return true;
		}
	if (name[0] == 'F' && name[1] >= '1' && name[1] <= '9') {
		int n = name[1] - '0';
		if (name[2] >= '0' && name[2] <= '9' && !name[3])
			n = n * 10 + name[2] - '0';
		else if (name[2])
			return false;
		if (n > 12)
			return false;
		*key = KEY_F(n);
		*fkey = true;
		return true;
	}
	if (strcmp(name, "Enter") == 0)
		return *key = '\n', true;
	if (strcmp(name, "Return") == 0)
		return *key = '\r', true;
	if (strcmp(name, "Tab") == 0)
		return *key = '\t', true;
	if (strcmp(name, "Esc") == 0)
		return *key = 27, true;
	if (strcmp(name, "Space") == 0)
		return *key = ' ', true;
	if (name[0] == '^' && name[1] >= '@' && name[1] <= '_' && !name[2])
		return *key = name[1] - '@', true;
	if (mbstowcs(w, name, 4) == 1) {
		*key = (int)w[0];
		return true;
	}
	return false;
}

/* Is k one of the ", "-separated items of list? */
static bool has_item(const char *items, const char *k)
{
	size_t n = strlen(k);
	const char *p = items;

	while (*p) {
		size_t m = strcspn(p, ",");
		if (m == n && strncmp(p, k, n) == 0)
			return true;
		p += m;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return false;
}

const char *ui_keys_of(const struct ui_keymap *map, enum ui_request req,
		       char *buf, size_t size)
{
	size_t i, used = 0;
	char k[32];

	buf[0] = '\0';
	for (i = 0; map && i < map->n && used < size; i++) {
		if (map->b[i].req != req)
			continue;
		ui_key_name(map->b[i].key, map->b[i].fkey, k, sizeof(k));
		/* Return and the keypad's Enter say what Enter says */
		if (strcmp(k, "Return") == 0 || strcmp(k, "KEnter") == 0)
			continue;
		if (has_item(buf, k))
			continue;
		used += (size_t)snprintf(buf + used, size - used, "%s%s",
					 used ? ", " : "", k);
	}
	if (used >= size)
		buf[size - 1] = '\0';
	return buf;
}

/* The keys of req in every map, the first map that binds it giving
 * them ("j, Down"), since the screens bind a request the same way. */
static void keys_anywhere(enum ui_request req, char *buf, size_t size)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < sizeof(all_maps) / sizeof(all_maps[0]); i++) {
		/* the question and edit maps reuse keys of the others */
		if (all_maps[i] == &ui_keymap_edit &&
		    req != UI_REQ_COMPLETE)
			continue;
		ui_keys_of(all_maps[i], req, buf, size);
		if (buf[0])
			return;
	}
}

void ui_help_lines(void (*fn)(const char *line, void *arg), void *arg)
{
	const char *group = NULL;
	char line[256], keys[64];
	int i;

	for (i = 1; i < UI_REQ__COUNT; i++) {
		const struct ui_request_info *r = &ui_requests[i];
		if (!r->group)
			continue;
		if (!group || strcmp(group, r->group) != 0) {
			if (group)
				fn("", arg);
			group = r->group;
			fn(group, arg);
		}
		keys_anywhere((enum ui_request)i, keys, sizeof(keys));
		snprintf(line, sizeof(line), "  %-12s %-13s %s", keys[0] ? keys
			 : "", r->name, r->help);
		fn(line, arg);
	}
}

void ui_keys_mdoc(FILE *f)
{
	const char *group = NULL;
	char keys[64];
	int i;

	for (i = 1; i < UI_REQ__COUNT; i++) {
		const struct ui_request_info *r = &ui_requests[i];
		if (!r->group)
			continue;
		if (!group || strcmp(group, r->group) != 0) {
			if (group)
				fprintf(f, ".El\n");
			group = r->group;
			fprintf(f, ".Ss %s\n.Bl -tag -width Ds\n", group);
		}
		keys_anywhere((enum ui_request)i, keys, sizeof(keys));
		if (keys[0])
			fprintf(f, ".It Cm %s Pq \"%s\"\n", r->name, keys);
		else
			fprintf(f, ".It Cm %s\n", r->name);
		fprintf(f, "%s.\n", r->help);
	}
	if (group)
		fprintf(f, ".El\n");
}
