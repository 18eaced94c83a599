/* cmd_ref.c - agreements, holidays, the outbox and the audit log. */
#include "cli/cli_priv.h"
#include "sync/sync.h"
#include "sync/wire.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* agreements.json, parsed by the wire format's reader */
int cli_agreements_parse(struct cli *cli, const char *json,
			 struct rcms_agreement **agr, size_t *nagr,
			 struct rcms_holiday **hol, size_t *nhol)
{
	enum rcms_status st = wire_reference_parse(json, agr, nagr, hol, nhol,
						   &cli->err);

	return st ? cli_fail(cli, st) : 0;
}

/* ---- agreement commands ------------------------------------------------------ */

static void print_agreement(const struct rcms_agreement *a, bool full)
{
	char r[32], ra[32], t[32], tr[32], tt[32];

	wire_period_text(&a->reply, r, sizeof(r));
	wire_period_text(&a->reply_accelerated, ra, sizeof(ra));
	wire_period_text(&a->transfer, t, sizeof(t));
	wire_period_text(&a->transit_reply, tr, sizeof(tr));
	wire_period_text(&a->transit, tt, sizeof(tt));
	if (!full) {
		printf("%-14s %-16s reply %-18s silence=%-8s %s\n", a->code,
		       a->countries, r,
		       a->silence_accepts ? "accepts" : "nothing", a->name);
		return;
	}
	printf("%-20s %s\n", "code", a->code);
	printf("%-20s %s\n", "name", a->name);
	printf("%-20s %s\n", "countries", a->countries);
	printf("%-20s %s\n", "reply", r);
	printf("%-20s %s\n", "reply_accelerated", ra);
	printf("%-20s %d\n", "extension_max_days", a->extension_max_days);
	printf("%-20s %s\n", "silence_accepts",
	       a->silence_accepts ? "yes" : "no");
	printf("%-20s %s\n", "transfer", t);
	printf("%-20s %s\n", "transit_reply", tr);
	printf("%-20s %s\n", "transit", tt);
	printf("%-20s %s\n", "source", a->source);
	printf("%-20s %s\n", "note", a->note);
}

static int agr_row(const struct rcms_agreement *a, void *arg)
{
	(void)arg;
	print_agreement(a, false);
	return 0;
}

int cmd_agreement_list(struct cli *cli, int argc, char **argv)
{
	int rc;

	(void)argv;
	if (argc > 1)
		return cli_usage(cli, cli_current(), "no arguments");
	if ((rc = cli_open(cli)))
		return rc;
	if (db_agreement_list(cli->db, agr_row, NULL, &cli->err))
		return cli_fail(cli, cli->err.status);
	return 0;
}

int cmd_agreement_show(struct cli *cli, int argc, char **argv)
{
	struct rcms_agreement a;
	int rc;

	if (argc != 2)
		return cli_usage(cli, cli_current(), "which agreement?");
	if ((rc = cli_open(cli)))
		return rc;
	if (db_agreement_get(cli->db, argv[1], &a, &cli->err))
		return cli_fail(cli, cli->err.status);
	print_agreement(&a, true);
	return 0;
}

int cmd_agreement_set(struct cli *cli, int argc, char **argv)
{
	struct rcms_agreement a;
	char *k, *v;
	int i, rc;

	if (argc < 3)
		return cli_usage(cli, cli_current(),
				 "give the code and FIELD=VALUE pairs");
	if ((rc = cli_open(cli)))
		return rc;
	if (db_agreement_get(cli->db, argv[1], &a, NULL) != RCMS_OK) {
		memset(&a, 0, sizeof(a));
		if (rcms_copy(a.code, sizeof(a.code), argv[1], "code",
			      &cli->err))
			return cli_fail(cli, RCMS_ERR_INVALID);
	}
	for (i = 2; i < argc; i++) {
		if (!cli_split_assign(argv[i], &k, &v))
			return cli_usage(cli, cli_current(),
					 "'%s' is not FIELD=VALUE", argv[i]);
		if (wire_agreement_set(&a, k, v, &cli->err))
			return cli_fail(cli, cli->err.status);
	}
	if (db_agreement_put(&cli->ctx, &a, &cli->err))
		return cli_fail(cli, cli->err.status);
	print_agreement(&a, true);
	return 0;
}

int cmd_agreement_load(struct cli *cli, int argc, char **argv)
{
	struct rcms_agreement *agr = NULL;
	struct rcms_holiday *hol = NULL;
	size_t nagr = 0, nhol = 0, i;
	char *json = NULL;
	int rc;

	if (argc != 2)
		return cli_usage(cli, cli_current(), "which file?");
	if ((rc = cli_open(cli)))
		return rc;
	if ((rc = cli_may(cli, RCMS_PERM_AGREEMENT_MANAGE)))
		return rc;
	if ((rc = cli_read_file(cli, argv[1], 4 << 20, &json, NULL)))
		return rc;
	rc = cli_agreements_parse(cli, json, &agr, &nagr, &hol, &nhol);
	free(json);
	if (rc)
		return rc;
	/* each row is checked above; write them all or none */
	if (db_batch_begin(cli->db, &cli->err)) {
		rc = cli_fail(cli, cli->err.status);
		goto out;
	}
	for (i = 0; i < nagr && !rc; i++)
		if (db_agreement_put(&cli->ctx, &agr[i], &cli->err))
			rc = 1;
	for (i = 0; i < nhol && !rc; i++)
		if (db_holiday_put(&cli->ctx, &hol[i], NULL, &cli->err))
			rc = 1;
	if (rc) {
		db_batch_rollback(cli->db);
		rc = cli_fail(cli, cli->err.status);
		goto out;
	}
	if (db_batch_commit(cli->db, &cli->err)) {
		rc = cli_fail(cli, cli->err.status);
		goto out;
	}
	printf("loaded %zu agreements and %zu holidays\n", nagr, nhol);
out:
	free(agr);
	free(hol);
	return rc;
}

int cmd_holiday_add(struct cli *cli, int argc, char **argv)
{
	struct rcms_holiday h;
	struct rcms_pdate d;
	int rc;

	if (argc < 3 || argc > 4)
		return cli_usage(cli, cli_current(),
				 "give COUNTRY YYYY-MM-DD [NAME]");
	memset(&h, 0, sizeof(h));
	if (rcms_country_check2(argv[1], "country", h.country, &cli->err))
		return cli_fail(cli, RCMS_ERR_INVALID);
	if (rcms_pdate_parse(argv[2], "date", &d, &cli->err))
		return cli_fail(cli, RCMS_ERR_INVALID);
	if (!rcms_pdate_is_full(&d))
		return cli_usage(cli, cli_current(),
				 "a holiday needs a full date YYYY-MM-DD");
	if (argc == 4 && rcms_text_check(argv[3], 200, RCMS_TEXT_SINGLE_LINE,
					 "name", &cli->err))
		return cli_fail(cli, RCMS_ERR_INVALID);
	h.year = d.year;
	h.month = d.month;
	h.day = d.day;
	if ((rc = cli_open(cli)))
		return rc;
	if (db_holiday_put(&cli->ctx, &h, argc == 4 ? argv[3] : NULL,
			   &cli->err))
		return cli_fail(cli, cli->err.status);
	return 0;
}

/* ---- outbox and audit ---------------------------------------------------------- */

struct ob {
	bool json;
	struct rcms_jsonw w;
};

/* The exchange's reason for a refusal, from its stored answer. */
static void refusal(const struct db_op *op, char *buf, size_t size)
{
	cJSON *r;
	const cJSON *p;
	const char *t, *d;

	buf[0] = '\0';
	if (strcmp(op->state, "rejected") != 0 || !op->result || !*op->result)
		return;
	r = cJSON_Parse(op->result);
	p = cJSON_GetObjectItem(r, "problem");
	t = cJSON_GetStringValue(cJSON_GetObjectItem(p, "title"));
	d = cJSON_GetStringValue(cJSON_GetObjectItem(p, "detail"));
	snprintf(buf, size, "%s%s%s", t ? t : "refused", d ? ": " : "",
		 d ? d : "");
	cJSON_Delete(r);
}

static int outbox_row(const struct db_op *op, void *arg)
{
	struct ob *o = arg;
	char t[32], why[600];

	rcms_time_format(op->device_time, t, sizeof(t));
	refusal(op, why, sizeof(why));
	if (o->json) {
		rcms_jsonw_obj_begin(&o->w);
		rcms_jsonw_kint(&o->w, "seq", op->seq);
		rcms_jsonw_kstr(&o->w, "op_id", op->op_id);
		rcms_jsonw_kstr(&o->w, "type", op->type);
		rcms_jsonw_kstr(&o->w, "entity_id", op->entity_id);
		rcms_jsonw_kint(&o->w, "base_rev", op->base_rev);
		rcms_jsonw_kstr(&o->w, "actor", op->actor);
		rcms_jsonw_kstr(&o->w, "device_time", t);
		rcms_jsonw_kstr(&o->w, "state", op->state);
		if (why[0])
			rcms_jsonw_kstr(&o->w, "reason", why);
		rcms_jsonw_obj_end(&o->w);
	} else {
		printf("%6lld %-9s %-16s %s %s %s\n", (long long)op->seq,
		       op->state, op->type, op->entity_id, op->actor, t);
		if (why[0])
			printf("       refused by the exchange: %s\n", why);
	}
	return 0;
}

int cmd_outbox(struct cli *cli, int argc, char **argv)
{
	struct ob o;
	enum cli_format fmt = CLI_TABLE;
	enum rcms_status st;
	int rc;

	memset(&o, 0, sizeof(o));
	if (argc == 3 && strcmp(argv[1], "--format") == 0) {
		if ((rc = cli_parse_format(cli, argv[2], &fmt)))
			return rc;
	} else if (argc != 1) {
		return cli_usage(cli, cli_current(), "unexpected arguments");
	}
	if (fmt == CLI_CSV)
		return cli_usage(cli, cli_current(),
				 "the outbox is shown as table or json");
	o.json = fmt == CLI_JSON;
	if ((rc = cli_open(cli)) || (rc = cli_may(cli, RCMS_PERM_CASE_READ)))
		return rc;
	rcms_jsonw_init(&o.w);
	if (o.json)
		rcms_jsonw_arr_begin(&o.w);
	st = db_outbox_list(cli->db, outbox_row, &o, &cli->err);
	if (o.json) {
		rcms_jsonw_arr_end(&o.w);
		if (!st)
			printf("%s\n", o.w.buf);
	}
	rcms_jsonw_free(&o.w);
	return st ? cli_fail(cli, st) : 0;
}

static int audit_row(const struct db_audit *a, void *arg)
{
	char t[32];

	(void)arg;
	rcms_time_format(a->at, t, sizeof(t));
	printf("%6lld %s %-12s %-16s %-36s %s\n", (long long)a->seq, t,
	       a->actor, a->action, a->case_id[0] ? a->case_id : "-",
	       a->detail);
	return 0;
}

/* The exchange's copy of a workstation's log (this one by default):
 * what was sent, as the exchange keeps it. */
static int audit_list_exchange(struct cli *cli, const char *ws)
{
	struct db_identity id;
	struct sync_conf *conf;
	int rc;

	if (!ws) {
		if (db_identity_get(cli->db, &id, &cli->err))
			return cli_fail(cli, cli->err.status);
		ws = id.workstation;
	}
	conf = malloc(sizeof(*conf));
	if (!conf) {
		rcms_err_set(&cli->err, RCMS_ERR_NOMEM, NULL, NULL);
		return cli_fail(cli, RCMS_ERR_NOMEM);
	}
	if ((rc = cli_sync_conf(cli, conf))) {
		free(conf);
		return rc;
	}
	if (!conf->url[0]) {
		free(conf);
		rcms_err_set(&cli->err, RCMS_ERR_CONFIG, NULL,
			     "this workstation is not enrolled with an "
			     "exchange (rcms enroll)");
		return cli_fail(cli, RCMS_ERR_CONFIG);
	}
	rc = sync_audit_read(conf, ws, audit_row, NULL, &cli->err)
		     ? cli_fail(cli, cli->err.status) : 0;
	free(conf);
	return rc;
}

int cmd_audit_list(struct cli *cli, int argc, char **argv)
{
	struct rcms_case *c = NULL;
	const char *case_id = NULL;
	bool exchange = false;
	int rc;

	if (argc == 3 && strcmp(argv[1], "--case") == 0) {
		case_id = argv[2];
	} else if ((argc == 2 || argc == 3) &&
		   strcmp(argv[1], "--exchange") == 0) {
		exchange = true;
	} else if (argc != 1) {
		return cli_usage(cli, cli_current(), "unexpected arguments");
	}
	if ((rc = cli_open(cli)))
		return rc;
	if ((rc = cli_may(cli, RCMS_PERM_AUDIT_READ)))
		return rc;
	if (exchange)
		return audit_list_exchange(cli, argc == 3 ? argv[2] : NULL);
	if (case_id) {
		c = malloc(sizeof(*c));
		if (!c) {
			rcms_err_set(&cli->err, RCMS_ERR_NOMEM, NULL, NULL);
			return cli_fail(cli, RCMS_ERR_NOMEM);
		}
		if (db_case_get(&cli->ctx, case_id, c, &cli->err)) {
			free(c);
			return cli_fail(cli, cli->err.status);
		}
		case_id = c->id;
	}
	rc = db_audit_list(cli->db, case_id, audit_row, NULL, &cli->err)
		     ? cli_fail(cli, cli->err.status) : 0;
	free(c);
	return rc;
}

int cmd_audit_verify(struct cli *cli, int argc, char **argv)
{
	int64_t n = 0;
	int rc;

	(void)argv;
	if (argc != 1)
		return cli_usage(cli, cli_current(), "no arguments");
	if ((rc = cli_open(cli)))
		return rc;
	if (db_audit_verify(cli->db, &n, &cli->err))
		return cli_fail(cli, cli->err.status);
	printf("audit log intact: %lld entries\n", (long long)n);
	return 0;
}
