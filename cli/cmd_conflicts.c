/* cmd_conflicts.c - rcms conflicts list|show|resolve: a change the
 * exchange could not merge, settled field by field by an officer. */
#include "cli/cli_priv.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "sync/wire.h"

struct cview {
	struct cli *cli;
	const char *field;        /* resolve: the field wanted */
	int n;
	/* list: each conflicting field goes to fn (nonzero stops) */
	int (*fn)(const struct cli_conflict *c, void *arg);
	void *arg;
	int stop;
	/* resolve: what was found */
	char op_id[RCMS_ID_LEN];
	char mine[RCMS_TEXT_LEN];
	char theirs[RCMS_TEXT_LEN];
	int64_t rev;
	char *new_result;
	bool all_done;
	bool found;
	/* when the last conflicting field is settled: the op's other fields */
	struct db_change more[64];
	char more_vals[64][RCMS_TEXT_LEN];
	char more_names[64][40];
	size_t nmore;
};

static void scalar(const cJSON *v, char *out, size_t size)
{
	if (wire_scalar(v, "value", out, size, NULL) != RCMS_OK)
		snprintf(out, size, "?");
}

static const char *ref_of(struct cli *cli, const char *case_id, char *buf,
			  size_t size)
{
	struct rcms_case *c = malloc(sizeof(*c));

	snprintf(buf, size, "%s", case_id);
	if (c && db_case_get(&cli->ctx, case_id, c, NULL) == RCMS_OK)
		snprintf(buf, size, "%s", c->final_ref[0] ? c->final_ref
							 : c->local_ref);
	free(c);
	return buf;
}

static int show_one(const struct db_op *op, const char *result, void *arg)
{
	struct cview *v = arg;
	cJSON *res = cJSON_Parse(result ? result : "{}");
	cJSON *mine = cJSON_Parse(op->fields ? op->fields : "{}");
	const cJSON *fields = cJSON_GetObjectItem(res, "fields"), *it;
	const cJSON *mf = cJSON_GetObjectItem(mine, "fields");
	char ref[RCMS_REF_LEN], a[RCMS_TEXT_LEN], b[RCMS_TEXT_LEN];

	ref_of(v->cli, op->entity_id, ref, sizeof(ref));
	cJSON_ArrayForEach(it, fields) {
		const cJSON *m = cJSON_GetObjectItem(mf, it->string);
		scalar(m, a, sizeof(a));
		scalar(cJSON_GetObjectItem(it, "server"), b, sizeof(b));
		if (!v->field) {
			struct cli_conflict c = {op->entity_id, ref,
						 it->string, a, b};
			v->n++;
			if (v->fn && (v->stop = v->fn(&c, v->arg)) != 0)
				break;
			continue;
		}
		if (strcmp(it->string, v->field) != 0)
			continue;
		v->found = true;
		snprintf(v->op_id, sizeof(v->op_id), "%s", op->op_id);
		snprintf(v->mine, sizeof(v->mine), "%s", a);
		snprintf(v->theirs, sizeof(v->theirs), "%s", b);
		{
			const cJSON *r = cJSON_GetObjectItem(it, "rev");
			if (!wire_int(r, &v->rev) || v->rev < 0)
				v->rev = 0;
		}
		break;  /* the item is removed below, not while iterating */
	}
	if (v->found && v->field) {
		cJSON *settled = cJSON_GetObjectItem(res, "settled");
		const cJSON *mine_it;
		cJSON_DeleteItemFromObject((cJSON *)fields, v->field);
		v->all_done = cJSON_GetArraySize(fields) == 0;
		if (!settled)
			settled = cJSON_AddArrayToObject(res, "settled");
		cJSON_AddItemToArray(settled, cJSON_CreateString(v->field));
		if (v->all_done) {
			/* the op's fields that were never in conflict go
			 * again with this last settlement */
			cJSON_ArrayForEach(mine_it, mf) {
				const cJSON *sv;
				bool was = false;
				cJSON_ArrayForEach(sv, settled)
					if (cJSON_IsString(sv) &&
					    strcmp(sv->valuestring,
						   mine_it->string) == 0)
						was = true;
				if (was || v->nmore >= 64 ||
				    strlen(mine_it->string) >= 40)
					continue;
				snprintf(v->more_names[v->nmore], 40, "%s",
					 mine_it->string);
				scalar(mine_it, v->more_vals[v->nmore],
				       RCMS_TEXT_LEN);
				v->more[v->nmore].field = v->more_names[v->nmore];
				v->more[v->nmore].value = v->more_vals[v->nmore];
				v->nmore++;
			}
		}
		v->new_result = cJSON_PrintUnformatted(res);
	}
	cJSON_Delete(res);
	cJSON_Delete(mine);
	return v->found || v->stop;
}

static int find_case(struct cli *cli, const char *ref, char id[RCMS_ID_LEN])
{
	struct rcms_case *c = malloc(sizeof(*c));
	enum rcms_status st;

	if (!c) {
		rcms_err_set(&cli->err, RCMS_ERR_NOMEM, NULL, NULL);
		return cli_fail(cli, RCMS_ERR_NOMEM);
	}
	st = db_case_get(&cli->ctx, ref, c, &cli->err);
	if (!st)
		snprintf(id, RCMS_ID_LEN, "%s", c->id);
	free(c);
	return st ? cli_fail(cli, st) : 0;
}

enum rcms_status cli_conflicts_each(struct cli *cli, const char *case_id,
				    int (*fn)(const struct cli_conflict *c,
					      void *arg),
				    void *arg)
{
	struct cview *v = NULL;
	enum rcms_status st;

	/* mine and theirs are the case's data: its readers only */
	if ((st = rcms_perm_check(RCMS_PERM_CASE_READ,
				  cli->ctx.user.role, &cli->err)))
		return st;
	v = calloc(1, sizeof(*v));
	if (!v)
		return rcms_err_set(&cli->err, RCMS_ERR_NOMEM, NULL, NULL);
	v->cli = cli;
	v->fn = fn;
	v->arg = arg;
	st = db_conflicts(cli->db, case_id, show_one, v, &cli->err);
	free(v);
	return st;
}

static int print_one(const struct cli_conflict *c, void *arg)
{
	++*(int *)arg;
	printf("%-24s %-20s mine: %-24s theirs: %s\n", c->ref, c->field,
	       c->mine, c->theirs);
	return 0;
}

int cmd_conflicts_list(struct cli *cli, int argc, char **argv)
{
	int rc, n = 0;

	(void)argv;
	if (argc != 1)
		return cli_usage(cli, cli_current(), "no arguments");
	if ((rc = cli_open(cli)) || (rc = cli_may(cli, RCMS_PERM_CASE_READ)))
		return rc;
	if (cli_conflicts_each(cli, NULL, print_one, &n))
		return cli_fail(cli, cli->err.status);
	if (!n)
		printf("no conflicts\n");
	return 0;
}

int cmd_conflicts_show(struct cli *cli, int argc, char **argv)
{
	char id[RCMS_ID_LEN];
	int rc, n = 0;

	if (argc != 2)
		return cli_usage(cli, cli_current(), "which case?");
	if ((rc = cli_open(cli)) || (rc = cli_may(cli, RCMS_PERM_CASE_READ)) ||
	    (rc = find_case(cli, argv[1], id)))
		return rc;
	if (cli_conflicts_each(cli, id, print_one, &n))
		return cli_fail(cli, cli->err.status);
	if (!n)
		printf("no conflicts on this case\n");
	return 0;
}

enum rcms_status cli_conflict_settle(struct cli *cli, const char *case_id,
				     const char *field, const char *take,
				     const char *value, char *settled,
				     size_t size)
{
	struct cview *v = NULL;
	enum rcms_status st;

	/* the role first: who may not settle is not told what is there */
	if ((st = rcms_perm_check(RCMS_PERM_CONFLICT_RESOLVE,
				  cli->ctx.user.role, &cli->err)))
		return st;
	v = calloc(1, sizeof(*v));
	if (!v)
		return rcms_err_set(&cli->err, RCMS_ERR_NOMEM, NULL, NULL);
	v->cli = cli;
	v->field = field;
	st = db_conflicts(cli->db, case_id, show_one, v, &cli->err);
	if (st)
		goto out;
	if (!v->found) {
		st = rcms_err_set(&cli->err, RCMS_ERR_NOT_FOUND, field,
				  "no conflict on %s of this case", field);
		goto out;
	}
	if (take)
		value = strcmp(take, "mine") == 0 ? v->mine : v->theirs;
	st = db_conflict_resolve(&cli->ctx, v->op_id, field, value, v->more,
				 v->nmore, v->rev,
				 v->new_result ? v->new_result : "{}",
				 v->all_done, &cli->err);
	if (!st && settled)
		snprintf(settled, size, "%s", value);
out:
	free(v->new_result);
	free(v);
	return st;
}

int cmd_conflicts_resolve(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"field", required_argument, NULL, 'f'},
		{"take", required_argument, NULL, 't'},
		{"value", required_argument, NULL, 'v'},
		{NULL, 0, NULL, 0},
	};
	const char *field = NULL, *take = NULL, *value = NULL;
	char id[RCMS_ID_LEN], settled[RCMS_TEXT_LEN];
	int o, rc;

	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'f')
			field = optarg;
		else if (o == 't')
			take = optarg;
		else if (o == 'v')
			value = optarg;
		else
			return cli_usage(cli, cli_current(), "unknown option");
	}
	if (optind + 1 != argc || !field || (!take == !value) ||
	    (take && strcmp(take, "mine") != 0 && strcmp(take, "theirs") != 0))
		return cli_usage(cli, cli_current(),
				 "give the case, --field F and either --take "
				 "mine|theirs or --value V");
	if ((rc = cli_open(cli)) || (rc = find_case(cli, argv[optind], id)))
		return rc;
	if (cli_conflict_settle(cli, id, field, take, value, settled,
				sizeof(settled)))
		return cli_fail(cli, cli->err.status);
	printf("%s settled: '%s'; it goes to the exchange with the next "
	       "sync\n", field, settled);
	return 0;
}
