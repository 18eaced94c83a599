/* cmd_roles.c - rcms roles: the permission table of app/perm.h, as a
 * table, CSV (for tests/cli/roles.sh) or the ROLES section of rcms(1). */
#include "cli/cli_priv.h"

#include <string.h>

static const enum rcms_role role_order[] = {
	RCMS_ROLE_OFFICER, RCMS_ROLE_SUPERVISOR, RCMS_ROLE_ADMIN};
#define N_ROLES (sizeof(role_order) / sizeof(role_order[0]))

/* "officer, supervisor": the role names of a set, for the man page */
static const char *role_list(unsigned roles, char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < N_ROLES; i++) {
		const char *n;
		if (!(roles & (unsigned)role_order[i]))
			continue;
		n = rcms_enum_name(rcms_role_names, (int)role_order[i]);
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0,
					"%s%s", len ? ", " : "", n);
	}
	return buf;
}

/* Print a "|" list with sep between its items. */
static void put_list(const char *s, const char *sep)
{
	const char *bar;

	while ((bar = strchr(s, '|'))) {
		fwrite(s, 1, (size_t)(bar - s), stdout);
		fputs(sep, stdout);
		s = bar + 1;
	}
	fputs(s, stdout);
}

/* Print text as lines of at most 72 bytes, broken between words. */
static void put_wrapped(const char *text)
{
	size_t col = 0;

	while (*text) {
		size_t n = strcspn(text, " ");

		if (col && col + 1 + n > 72) {
			fputc('\n', stdout);
			col = 0;
		} else if (col) {
			fputc(' ', stdout);
			col++;
		}
		fwrite(text, 1, n, stdout);
		col += n;
		text += n;
		text += strspn(text, " ");
	}
	fputc('\n', stdout);
}

static void roles_mdoc(void)
{
	char who[64];
	size_t i;

	puts(".Bl -tag -width Ds");
	for (i = 0; i < RCMS_PERM__COUNT; i++) {
		const struct rcms_perm_row *r = &rcms_perm_table[i];

		printf(".It Cm %s Pq \"%s\"\n", r->name,
		       role_list(r->roles, who, sizeof(who)));
		printf("%s:\n", r->what);
		fputs(".Nm rcms Cm ", stdout);
		put_list(r->commands, " ,\n.Nm rcms Cm ");
		if (r->ops[0]) {
			fputs(" ;\nat the exchange\n.Li ", stdout);
			put_list(r->ops, " ,\n.Li ");
		}
		fputs(" .\n", stdout);
		if (r->why[0]) {
			char line[512];

			snprintf(line, sizeof(line),
				 "The others are refused: %s.", r->why);
			put_wrapped(line);
		}
	}
	puts(".El");
}

int cmd_roles(struct cli *cli, int argc, char **argv)
{
	enum { TABLE, CSV, MDOC } fmt = TABLE;
	size_t i, k;

	if (argc == 3 && strcmp(argv[1], "--format") == 0) {
		if (strcmp(argv[2], "table") == 0)
			fmt = TABLE;
		else if (strcmp(argv[2], "csv") == 0)
			fmt = CSV;
		else if (strcmp(argv[2], "mdoc") == 0)
			fmt = MDOC;
		else
			return cli_usage(cli, cli_current(),
					 "--format is table, csv or mdoc");
	} else if (argc != 1) {
		return cli_usage(cli, cli_current(), "unexpected arguments");
	}
	if (fmt == MDOC) {
		roles_mdoc();
		return 0;
	}
	if (fmt == CSV)
		fputs("action,officer,supervisor,admin,commands,ops,reason\r\n",
		      stdout);
	else
		printf("%-18s %-8s %-10s %-6s %s\n", "ACTION", "OFFICER",
		       "SUPERVISOR", "ADMIN", "COMMANDS");
	for (i = 0; i < RCMS_PERM__COUNT; i++) {
		const struct rcms_perm_row *r = &rcms_perm_table[i];

		if (fmt == CSV) {
			cli_csv_field(stdout, r->name, false);
			for (k = 0; k < N_ROLES; k++)
				cli_csv_field(stdout,
					      r->roles & (unsigned)role_order[k]
						      ? "yes" : "no",
					      false);
			cli_csv_field(stdout, r->commands, false);
			cli_csv_field(stdout, r->ops, false);
			cli_csv_field(stdout, r->why, true);
			continue;
		}
		printf("%-18s %-8s %-10s %-6s ", r->name,
		       r->roles & RCMS_ROLE_OFFICER ? "yes" : "-",
		       r->roles & RCMS_ROLE_SUPERVISOR ? "yes" : "-",
		       r->roles & RCMS_ROLE_ADMIN ? "yes" : "-");
		put_list(r->commands, ", ");
		fputc('\n', stdout);
	}
	return 0;
}
