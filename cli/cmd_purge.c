/* cmd_purge.c - rcms purge [--dry-run]: the agency's cases closed longer
 * than retention_days (rcms.conf) are anonymised here and, through a
 * case.purge operation the next sync sends, at the exchange and on the
 * other agency's replica.  Lists references and dates only. */
#include "cli/cli_priv.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

struct purge_list {
	struct db_purge_row *v;
	size_t n, cap;
	bool nomem;
};

static int collect(const struct db_purge_row *r, void *arg)
{
	struct purge_list *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct db_purge_row *v = realloc(l->v, cap * sizeof(*v));
		if (!v) {
			l->nomem = true;
			return 1;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *r;
	return 0;
}

int cmd_purge(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"dry-run", no_argument, NULL, 'n'},
		{NULL, 0, NULL, 0},
	};
	struct purge_list l = {0};
	bool dry = false;
	int64_t before;
	char t[32];
	size_t i, done = 0, waiting = 0;
	int o, rc;

	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'n')
			dry = true;
		else
			return cli_usage(cli, cli_current(), "unknown option");
	}
	if (optind != argc)
		return cli_usage(cli, cli_current(), "unexpected '%s'",
				 argv[optind]);
	if ((rc = cli_open(cli)) || (rc = cli_may(cli, RCMS_PERM_PURGE)))
		return rc;
	if (cli->conf.retention_days == 0) {
		printf("retention_days = 0 in %s: no case is ever purged\n",
		       cli->conf_path);
		return 0;
	}
	before = cli->ctx.now - (int64_t)cli->conf.retention_days * 86400;
	if (db_purge_list(&cli->ctx, before, collect, &l, &cli->err)) {
		free(l.v);
		return cli_fail(cli, cli->err.status);
	}
	if (l.nomem) {
		free(l.v);
		rcms_err_set(&cli->err, RCMS_ERR_NOMEM, NULL, NULL);
		return cli_fail(cli, RCMS_ERR_NOMEM);
	}
	rc = 0;
	for (i = 0; i < l.n; i++) {
		const struct db_purge_row *r = &l.v[i];
		const char *ref = r->final_ref[0] ? r->final_ref : r->local_ref;
		rcms_time_format(r->closed_at, t, sizeof(t));
		if (dry) {
			printf("%-28s closed %.10s\n", ref, t);
			continue;
		}
		rcms_err_clear(&cli->err);
		if (db_case_purge(&cli->ctx, r->id, before,
				  cli->conf.retention_days, &cli->err)) {
			if (cli->err.status == RCMS_ERR_TEMP) {
				/* operations to send first: next time */
				fprintf(stderr, "%s: %s\n", cli->prog,
					rcms_err_msg(&cli->err));
				waiting++;
				continue;
			}
			rc = cli_fail(cli, cli->err.status);
			break;
		}
		printf("%-28s closed %.10s  purged\n", ref, t);
		done++;
	}
	free(l.v);
	if (rc)
		return rc;
	if (dry)
		printf("%zu case%s closed more than %d days ago would be "
		       "purged (dry run: nothing changed)\n",
		       l.n, l.n == 1 ? "" : "s", cli->conf.retention_days);
	else
		printf("%zu case%s purged%s\n", done, done == 1 ? "" : "s",
		       waiting ? "; some wait for a sync (see above)" : "");
	return waiting ? EX_TEMPFAIL_ : 0;
}
