/*
 * perm.c - the permission table (app/perm.h) and its checks.
 */
#include "app/perm.h"

#include <string.h>

const struct rcms_perm_row rcms_perm_table[] = {
#define RCMS_PERM_ROW(id_, name_, roles_, what_, cmds_, ops_, why_)         \
	{.id = RCMS_PERM_##id_, .name = (name_), .roles = (roles_),           \
	 .what = (what_), .commands = (cmds_), .ops = (ops_), .why = (why_)},
	RCMS_PERMS(RCMS_PERM_ROW)
#undef RCMS_PERM_ROW
};

_Static_assert(sizeof(rcms_perm_table) / sizeof(rcms_perm_table[0]) ==
		       RCMS_PERM__COUNT,
	       "one row per action");

const struct rcms_perm_row *rcms_perm_row(enum rcms_perm p)
{
	if ((unsigned)p >= RCMS_PERM__COUNT)
		return NULL;
	return &rcms_perm_table[p];
}

enum rcms_perm rcms_perm_by_name(const char *name)
{
	size_t i;

	if (!name)
		return RCMS_PERM__COUNT;
	for (i = 0; i < RCMS_PERM__COUNT; i++)
		if (strcmp(rcms_perm_table[i].name, name) == 0)
			return (enum rcms_perm)i;
	return RCMS_PERM__COUNT;
}

enum rcms_perm rcms_perm_of_op(const char *type)
{
	size_t i, n;

	if (!type || !type[0])
		return RCMS_PERM__COUNT;
	n = strlen(type);
	for (i = 0; i < RCMS_PERM__COUNT; i++) {
		const char *s = rcms_perm_table[i].ops;

		while (*s) {
			size_t len = strcspn(s, "|");

			if (len == n && memcmp(s, type, n) == 0)
				return (enum rcms_perm)i;
			s += len;
			if (*s == '|')
				s++;
		}
	}
	return RCMS_PERM__COUNT;
}

static bool one_role(enum rcms_role role)
{
	return role == RCMS_ROLE_OFFICER || role == RCMS_ROLE_SUPERVISOR ||
	       role == RCMS_ROLE_ADMIN;
}

bool rcms_perm_allows(enum rcms_perm p, enum rcms_role role)
{
	const struct rcms_perm_row *r = rcms_perm_row(p);

	return r && one_role(role) && (r->roles & (unsigned)role) != 0;
}

/* Append s to buf (size), keeping it NUL-terminated; truncates. */
static void add(char *buf, size_t size, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len + 1 >= size)
		return;
	if (n > size - 1 - *len)
		n = size - 1 - *len;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
}

const char *rcms_perm_roles_words(unsigned roles, bool one, char *buf,
				  size_t size)
{
	static const struct {
		unsigned bit;
		const char *one, *many;
	} w[] = {
		{RCMS_ROLE_OFFICER, "an officer", "officers"},
		{RCMS_ROLE_SUPERVISOR, "a supervisor", "supervisors"},
		{RCMS_ROLE_ADMIN, "an administrator", "administrators"},
	};
	size_t i, len = 0, n = 0, k = 0;

	if (!buf || size == 0)
		return "";
	buf[0] = '\0';
	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (roles & w[i].bit)
			n++;
	if (n == 0) {
		add(buf, size, &len, "nobody");
		return buf;
	}
	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		if (!(roles & w[i].bit))
			continue;
		if (k > 0)
			add(buf, size, &len,
			    k + 1 < n ? ", " : one ? " or " : " and ");
		/* one of a single role: "an administrator"; of several
		 * alone: "administrators" */
		add(buf, size, &len, one || n == 1 ? w[i].one : w[i].many);
		k++;
	}
	return buf;
}

enum rcms_status rcms_perm_check(enum rcms_perm p, enum rcms_role role,
				 struct rcms_err *err)
{
	const struct rcms_perm_row *r = rcms_perm_row(p);
	char who[96];

	if (!r)
		return rcms_err_set(err, RCMS_ERR_PERMISSION, NULL,
				    "unknown action (%d)", (int)p);
	if (rcms_perm_allows(p, role))
		return RCMS_OK;
	rcms_perm_roles_words(r->roles, false, who, sizeof(who));
	if (!r->why[0])
		return rcms_err_set(err, RCMS_ERR_PERMISSION, NULL,
				    "only %s can %s", who, r->what);
	return rcms_err_set(err, RCMS_ERR_PERMISSION, NULL,
			    "only %s can %s: %s", who, r->what, r->why);
}
