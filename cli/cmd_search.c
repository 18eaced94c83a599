/* cmd_search.c - rcms search and rcms duplicates: finding people. */
#include "cli/cli_priv.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static int int_arg(struct cli *cli, const char *name, const char *s, long lo,
		   long hi, int *out)
{
	char *end = NULL;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || !end || *end || end == s || v < lo || v > hi)
		return cli_usage(cli, cli_current(),
				 "%s must be a whole number from %ld to %ld",
				 name, lo, hi);
	*out = (int)v;
	return 0;
}

static void name_of(const char *sur, const char *given, char *buf,
		    size_t size)
{
	snprintf(buf, size, "%s%s%s", sur, sur[0] && given[0] ? ", " : "",
		 given);
}

/* ---- search ------------------------------------------------------------ */

struct search_state {
	enum cli_format fmt;
	struct rcms_jsonw w;
	FILE *out;      /* the hits, held until their consultation is recorded */
	int n;
};

static int search_row(const struct db_search_hit *h, void *arg)
{
	struct search_state *ss = arg;
	FILE *out = ss->out;
	const struct db_case_row *r = &h->row;
	char dob[16], name[600], score[32];

	rcms_pdate_format(&r->birth_date, dob, sizeof(dob));
	snprintf(score, sizeof(score), "%.2f", h->score);
	ss->n++;
	if (ss->fmt == CLI_JSON) {
		rcms_jsonw_obj_begin(&ss->w);
		rcms_jsonw_kstr(&ss->w, "id", r->id);
		rcms_jsonw_kstr(&ss->w, "local_ref", r->local_ref);
		rcms_jsonw_kstr(&ss->w, "final_ref", r->final_ref);
		rcms_jsonw_kstr(&ss->w, "status",
				rcms_enum_name(rcms_case_status_names,
					       (int)r->status));
		rcms_jsonw_kstr(&ss->w, "requested_agency",
				r->requested_agency);
		rcms_jsonw_kstr(&ss->w, "surnames", r->surnames);
		rcms_jsonw_kstr(&ss->w, "given_names", r->given_names);
		rcms_jsonw_kstr(&ss->w, "nationality", r->nationality);
		rcms_jsonw_kstr(&ss->w, "birth_date", dob);
		rcms_jsonw_kstr(&ss->w, "score", score);
		rcms_jsonw_obj_end(&ss->w);
		return 0;
	}
	name_of(r->surnames, r->given_names, name, sizeof(name));
	cli_put_col(out, r->local_ref, 24);
	cli_put_col(out, rcms_enum_name(rcms_case_status_names,
					(int)r->status), 18);
	cli_put_col(out, name, 30);
	cli_put_col(out, dob, 11);
	cli_put_col(out, r->nationality, 4);
	fprintf(out, "%s\n", score);
	return 0;
}

int cmd_search(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"limit", required_argument, NULL, 'l'},
		{"offset", required_argument, NULL, 'o'},
		{"open", no_argument, NULL, 'O'},
		{NULL, 0, NULL, 0},
	};
	struct search_state ss = {.fmt = CLI_TABLE};
	struct db_search_opts so = {.limit = 20};
	char query[2048] = "";
	size_t qn = 0, held_len = 0;
	char *held = NULL;
	enum rcms_status st;
	int o, rc, i;

	if ((rc = cli_take_why(cli, &argc, argv)))
		return rc;
	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'f':
			if ((rc = cli_parse_format(cli, optarg, &ss.fmt)))
				return rc;
			if (ss.fmt == CLI_CSV)
				return cli_usage(cli, cli_current(),
						 "--format is table or json");
			break;
		case 'l':
			if ((rc = int_arg(cli, "--limit", optarg, 1, 1000,
					  &so.limit)))
				return rc;
			break;
		case 'o':
			if ((rc = int_arg(cli, "--offset", optarg, 0, 1000000,
					  &so.offset)))
				return rc;
			break;
		case 'O':
			so.open_only = true;
			break;
		default:
			return cli_usage(cli, cli_current(), "unknown option");
		}
	}
	for (i = optind; i < argc; i++) {
		int w = snprintf(query + qn, sizeof(query) - qn, "%s%s",
				 qn ? " " : "", argv[i]);
		if (w < 0 || (size_t)w >= sizeof(query) - qn)
			return cli_usage(cli, cli_current(),
					 "the query is too long");
		qn += (size_t)w;
	}
	if (!qn)
		return cli_usage(cli, cli_current(),
				 "what to search for? a name, a number, or "
				 "filters such as nat:PAK dob:1990");
	if ((rc = cli_open(cli)))
		return rc;
	if ((rc = cli_purpose_of(cli, "the cases found")))
		return rc;
	if (!(ss.out = open_memstream(&held, &held_len))) {
		rcms_err_set(&cli->err, RCMS_ERR_NOMEM, NULL, NULL);
		return cli_fail(cli, RCMS_ERR_NOMEM);
	}
	so.query = query;
	if (ss.fmt == CLI_JSON) {
		rcms_jsonw_init(&ss.w);
		rcms_jsonw_arr_begin(&ss.w);
	}
	st = db_search(&cli->ctx, &so, search_row, &ss, &cli->err);
	if (ss.fmt == CLI_JSON) {
		rcms_jsonw_arr_end(&ss.w);
		if (st == RCMS_OK && ss.w.buf)
			fprintf(ss.out, "%s\n", ss.w.buf);
		rcms_jsonw_free(&ss.w);
	}
	/* the hits are shown only once their consultation is recorded: one
	 * entry for the search, with its purpose and its count; the query
	 * (a person's name) is not recorded, and no hit is.  No hits is a
	 * consultation too: someone was looked for */
	if (!st)
		st = cli_cases_listed(cli, "case.search", "search", ss.n);
	if (fclose(ss.out) != 0 && !st)
		st = rcms_err_set(&cli->err, RCMS_ERR_NOMEM, NULL, NULL);
	if (!st)
		fwrite(held, 1, held_len, stdout);
	free(held);
	return st ? cli_fail(cli, st) : 0;
}

/* ---- duplicates -------------------------------------------------------- */

struct dup_state {
	enum cli_format fmt;
	struct rcms_jsonw w;
	int n;
};

static const char *verdict(enum rcms_dup_verdict v)
{
	return rcms_enum_name(rcms_dup_verdict_names, (int)v);
}

static const char *decision_name(int d)
{
	return d == DB_PERSON_SAME ? "same"
	       : d == DB_PERSON_DIFFERENT ? "different" : "";
}

void cli_dup_json(struct rcms_jsonw *w, const struct db_dup_hit *h)
{
	char dob[16];

	rcms_pdate_format(&h->birth_date, dob, sizeof(dob));
	rcms_jsonw_obj_begin(w);
	rcms_jsonw_kstr(w, "id", h->id);
	rcms_jsonw_kstr(w, "local_ref", h->local_ref);
	rcms_jsonw_kstr(w, "final_ref", h->final_ref);
	rcms_jsonw_kstr(w, "status",
			rcms_enum_name(rcms_case_status_names, (int)h->status));
	rcms_jsonw_kstr(w, "surnames", h->surnames);
	rcms_jsonw_kstr(w, "given_names", h->given_names);
	rcms_jsonw_kstr(w, "birth_date", dob);
	rcms_jsonw_kstr(w, "nationality", h->nationality);
	rcms_jsonw_kint(w, "score", cli_dup_percent(h));
	rcms_jsonw_kstr(w, "name", verdict(h->score.name));
	rcms_jsonw_kstr(w, "birth", verdict(h->score.birth));
	rcms_jsonw_kstr(w, "nationality_match", verdict(h->score.nationality));
	rcms_jsonw_kstr(w, "document", verdict(h->score.document));
	rcms_jsonw_kstr(w, "decision", decision_name(h->decision));
	rcms_jsonw_obj_end(w);
}

int cli_dup_percent(const struct db_dup_hit *h)
{
	return (int)(h->score.score * 100.0 + 0.5);
}

const char *cli_dup_reasons(const struct db_dup_hit *h, char *buf,
			    size_t size)
{
	snprintf(buf, size,
		 "name %s, birth date %s, nationality %s, document %s%s",
		 verdict(h->score.name), verdict(h->score.birth),
		 verdict(h->score.nationality), verdict(h->score.document),
		 h->decision == DB_PERSON_SAME ? "; linked: same person"
		 : h->decision == DB_PERSON_DIFFERENT ? "; marked different"
						      : "");
	return buf;
}

static int dup_row(const struct db_dup_hit *h, void *arg)
{
	struct dup_state *ds = arg;
	char dob[16], name[600];

	ds->n++;
	if (ds->fmt == CLI_JSON) {
		cli_dup_json(&ds->w, h);
		return 0;
	}
	rcms_pdate_format(&h->birth_date, dob, sizeof(dob));
	name_of(h->surnames, h->given_names, name, sizeof(name));
	printf("%s  %d%%  %s  %s  %s%s%s\n", h->local_ref,
	       cli_dup_percent(h), name, dob[0] ? dob : "-",
	       h->nationality[0] ? h->nationality : "-",
	       h->decision ? "  [" : "",
	       h->decision == DB_PERSON_SAME ? "linked: same person]"
	       : h->decision == DB_PERSON_DIFFERENT ? "marked different]" : "");
	printf("    name %s, birth date %s, nationality %s, document %s\n",
	       verdict(h->score.name), verdict(h->score.birth),
	       verdict(h->score.nationality), verdict(h->score.document));
	return 0;
}

int cmd_duplicates(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"limit", required_argument, NULL, 'l'},
		{"all", no_argument, NULL, 'a'},
		{NULL, 0, NULL, 0},
	};
	struct dup_state ds = {.fmt = CLI_TABLE};
	struct db_dup_opts dopt = {.limit = 10};
	struct rcms_case *c = NULL;
	enum rcms_status st;
	int o, rc;

	if ((rc = cli_take_why(cli, &argc, argv)))
		return rc;
	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'f':
			if ((rc = cli_parse_format(cli, optarg, &ds.fmt)))
				return rc;
			if (ds.fmt == CLI_CSV)
				return cli_usage(cli, cli_current(),
						 "--format is table or json");
			break;
		case 'l':
			if ((rc = int_arg(cli, "--limit", optarg, 1, 1000,
					  &dopt.limit)))
				return rc;
			break;
		case 'a':
			dopt.all = true;
			break;
		default:
			return cli_usage(cli, cli_current(), "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage(cli, cli_current(), "which case?");
	if ((rc = cli_open(cli)))
		return rc;
	if ((rc = cli_purpose(cli)))
		return rc;
	c = malloc(sizeof(*c));
	if (!c) {
		rcms_err_set(&cli->err, RCMS_ERR_NOMEM, NULL, NULL);
		return cli_fail(cli, RCMS_ERR_NOMEM);
	}
	st = db_case_get(&cli->ctx, argv[optind], c, &cli->err);
	if (!st)
		st = cli_case_viewed(cli, c, "duplicates");
	if (st) {
		free(c);
		return cli_fail(cli, st);
	}
	if (ds.fmt == CLI_JSON) {
		rcms_jsonw_init(&ds.w);
		rcms_jsonw_arr_begin(&ds.w);
	}
	st = db_duplicates(&cli->ctx, c->id, &dopt, dup_row, &ds, &cli->err);
	if (ds.fmt == CLI_JSON) {
		rcms_jsonw_arr_end(&ds.w);
		if (st == RCMS_OK && ds.w.buf)
			printf("%s\n", ds.w.buf);
		rcms_jsonw_free(&ds.w);
	} else if (st == RCMS_OK && ds.n == 0) {
		printf("no possible earlier cases of this person\n");
	}
	free(c);
	return st ? cli_fail(cli, st) : 0;
}

/* rcms person same|different|forget REF OTHER */
int cmd_person_decide(struct cli *cli, int argc, char **argv)
{
	const char *verb = cli_current()->sub;
	enum db_person_decision d = DB_PERSON_UNDECIDED;
	enum rcms_status st;
	int rc;

	if (argc != 3)
		return cli_usage(cli, cli_current(), "give two cases");
	if (strcmp(verb, "same") == 0)
		d = DB_PERSON_SAME;
	else if (strcmp(verb, "different") == 0)
		d = DB_PERSON_DIFFERENT;
	if ((rc = cli_open(cli)))
		return rc;
	st = db_person_decide(&cli->ctx, argv[1], argv[2], d, &cli->err);
	if (st)
		return cli_fail(cli, st);
	printf("%s and %s: %s\n", argv[1], argv[2],
	       d == DB_PERSON_SAME ? "the same person"
	       : d == DB_PERSON_DIFFERENT ? "not the same person"
					  : "no decision");
	return 0;
}
