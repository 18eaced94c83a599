/* justify.c - the list of justifications for consulting a case. */
#include "app/justify.h"

#include <stdio.h>
#include <string.h>

static const struct rcms_justify defaults[] = {
	{"processing", "processing the application"},
	{"idcheck", "answering an identity check"},
	{"supervision", "supervision"},
	{"subject_request", "a data subject's request"},
	{"legal", "a court or prosecutor's request"},
	{"audit", "an internal audit"},
};

void rcms_justify_defaults(struct rcms_justify_list *l)
{
	size_t i;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		l->items[i] = defaults[i];
	l->n = i;
}

static bool code_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '-';
}

/* s[0..len) trimmed of blanks: its start, its length in *len. */
static const char *trim(const char *s, size_t *len)
{
	while (*len && (*s == ' ' || *s == '\t')) {
		s++;
		(*len)--;
	}
	while (*len && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
		(*len)--;
	return s;
}

enum rcms_status rcms_justify_parse(const char *spec,
				    struct rcms_justify_list *l,
				    struct rcms_err *err)
{
	struct rcms_justify_list out;
	const char *p = spec, *end, *eq, *code, *label;
	size_t cl, ll, i;

	if (!spec || !l)
		return rcms_err_set(err, RCMS_ERR_INVALID, "justifications",
				    "no list of justifications");
	memset(&out, 0, sizeof(out));
	while (*p) {
		end = strchr(p, ';');
		if (!end)
			end = p + strlen(p);
		eq = memchr(p, '=', (size_t)(end - p));
		cl = eq ? (size_t)(eq - p) : (size_t)(end - p);
		code = trim(p, &cl);
		if (!eq) {
			if (cl == 0 && *end) { /* ";;" or a trailing ';' */
				p = end + 1;
				continue;
			}
			if (cl == 0)
				break;
			return rcms_err_set(err, RCMS_ERR_INVALID,
					    "justifications",
					    "justification '%.*s' has no label "
					    "(code=Label)", (int)(cl > 40 ? 40 : cl),
					    code);
		}
		ll = (size_t)(end - eq - 1);
		label = trim(eq + 1, &ll);
		if (cl == 0 || cl >= RCMS_JUSTIFY_CODE_LEN)
			return rcms_err_set(err, RCMS_ERR_INVALID,
					    "justifications",
					    "a justification's code is 1 to %d "
					    "characters", RCMS_JUSTIFY_CODE_LEN - 1);
		for (i = 0; i < cl; i++)
			if (!code_char(code[i]))
				return rcms_err_set(
					err, RCMS_ERR_INVALID, "justifications",
					"justification code '%.*s': lower-case "
					"letters, digits, '_' and '-' only",
					(int)cl, code);
		if (ll == 0 || ll >= RCMS_JUSTIFY_LABEL_LEN)
			return rcms_err_set(err, RCMS_ERR_INVALID,
					    "justifications",
					    "justification '%.*s': its label is 1 "
					    "to %d bytes", (int)cl, code,
					    RCMS_JUSTIFY_LABEL_LEN - 1);
		for (i = 0; i < ll; i++)
			if ((unsigned char)label[i] < 0x20 || label[i] == 0x7f)
				return rcms_err_set(
					err, RCMS_ERR_INVALID, "justifications",
					"justification '%.*s': a control "
					"character in its label", (int)cl, code);
		for (i = 0; i < out.n; i++)
			if (strlen(out.items[i].code) == cl &&
			    memcmp(out.items[i].code, code, cl) == 0)
				return rcms_err_set(
					err, RCMS_ERR_INVALID, "justifications",
					"justification '%.*s' is listed twice",
					(int)cl, code);
		if (out.n == RCMS_JUSTIFY_MAX)
			return rcms_err_set(err, RCMS_ERR_INVALID,
					    "justifications",
					    "at most %d justifications",
					    RCMS_JUSTIFY_MAX);
		memcpy(out.items[out.n].code, code, cl);
		memcpy(out.items[out.n].label, label, ll);
		out.n++;
		p = *end ? end + 1 : end;
	}
	if (out.n == 0)
		return rcms_err_set(err, RCMS_ERR_INVALID, "justifications",
				    "the list of justifications is empty");
	*l = out;
	return RCMS_OK;
}

const struct rcms_justify *rcms_justify_find(const struct rcms_justify_list *l,
					     const char *code)
{
	size_t i;

	if (!l || !code)
		return NULL;
	for (i = 0; i < l->n; i++)
		if (strcmp(l->items[i].code, code) == 0)
			return &l->items[i];
	return NULL;
}

const char *rcms_justify_codes(const struct rcms_justify_list *l, char *buf,
			       size_t size)
{
	size_t i, used = 0;
	int w;

	if (!buf || !size)
		return "";
	buf[0] = '\0';
	for (i = 0; l && i < l->n && used < size; i++) {
		w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
			     l->items[i].code);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return buf;
}
