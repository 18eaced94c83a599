/* cmd_case.c - rcms case new|list|show|edit|fields and the steps. */
#include "cli/cli_priv.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "sync/wire.h"

#define MAX_DOCS 16

static void today_now(struct cli *cli, struct rcms_today *t)
{
	rcms_utc_to_ymd(cli->ctx.now, &t->y, &t->m, &t->d);
}

/* Set FIELD=VALUE on a case, with the error in cli->err. */
static enum rcms_status set_case_field(struct cli *cli, struct rcms_case *c,
				       const char *name, const char *value)
{
	const struct rcms_field *f = rcms_field_find(rcms_case_fields, name);
	struct rcms_today t;

	if (!f || !(f->flags & RCMS_FF_EDIT))
		return rcms_err_set(&cli->err, RCMS_ERR_INVALID, name,
				    "unknown field '%.40s'; see 'rcms case "
				    "fields'", name);
	today_now(cli, &t);
	return rcms_field_set(f, c, value, &t, &cli->err);
}

static enum rcms_status set_doc_field(struct cli *cli, struct rcms_document *d,
				      const char *name, const char *value)
{
	const struct rcms_field *f = rcms_field_find(rcms_document_fields,
						     name);
	struct rcms_today t;

	if (!f)
		return rcms_err_set(&cli->err, RCMS_ERR_INVALID, name,
				    "unknown document field '%.40s'; fields "
				    "are type, number, issuing_state, "
				    "issuing_authority, issue_place, "
				    "issue_date, expiry_date, is_copy, mrz",
				    name);
	today_now(cli, &t);
	return rcms_field_set(f, d, value, &t, &cli->err);
}

/* "type=passport,number=AB123" into a document. */
static enum rcms_status parse_doc_arg(struct cli *cli, char *arg,
				      struct rcms_document *d)
{
	char *save = NULL, *tok, *field, *value;
	enum rcms_status st;

	rcms_document_init(d);
	for (tok = strtok_r(arg, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!cli_split_assign(tok, &field, &value))
			return rcms_err_set(&cli->err, RCMS_ERR_USAGE, NULL,
					    "--doc takes FIELD=VALUE pairs "
					    "separated by commas");
		if ((st = set_doc_field(cli, d, field, value)))
			return st;
	}
	return RCMS_OK;
}

/* A JSON value as the text rcms_field_set reads. */
static enum rcms_status json_scalar(struct cli *cli, const cJSON *v,
				    const char *name, char *buf, size_t size)
{
	if (cJSON_IsString(v)) {
		if (strlen(v->valuestring) >= size)
			return rcms_err_set(&cli->err, RCMS_ERR_INVALID, name,
					    "%s is too long", name);
		snprintf(buf, size, "%s", v->valuestring);
	} else if (cJSON_IsBool(v)) {
		snprintf(buf, size, "%s", cJSON_IsTrue(v) ? "yes" : "no");
	} else if (cJSON_IsNumber(v)) {
		int64_t n;
		if (!wire_int(v, &n))
			return rcms_err_set(&cli->err, RCMS_ERR_INVALID, name,
					    "%s must be a whole number", name);
		snprintf(buf, size, "%lld", (long long)n);
	} else if (cJSON_IsNull(v)) {
		buf[0] = '\0';
	} else {
		return rcms_err_set(&cli->err, RCMS_ERR_INVALID, name,
				    "%s must be a string, number or "
				    "true/false", name);
	}
	return RCMS_OK;
}

/*
 * The JSON form of a new case: an object of case fields, and optionally
 * "documents": [ {document fields}, ... ].  Unknown keys are errors.
 */
static enum rcms_status case_from_json(struct cli *cli, const char *text,
				       struct rcms_case *c,
				       struct rcms_document *docs,
				       size_t *ndocs)
{
	static char buf[RCMS_TEXT_LEN + 1];
	cJSON *root = cJSON_ParseWithOpts(text, NULL, 1);
	const cJSON *it, *d, *fld;
	enum rcms_status st = RCMS_OK;

	if (!root || !cJSON_IsObject(root)) {
		const char *at = cJSON_GetErrorPtr();
		size_t off = at && at >= text ? (size_t)(at - text) : 0;
		cJSON_Delete(root);
		return rcms_err_set(&cli->err, RCMS_ERR_INVALID, NULL,
				    "the JSON file is not a JSON object "
				    "(error near byte %zu)", off);
	}
	cJSON_ArrayForEach(it, root) {
		if (strcmp(it->string, "documents") == 0) {
			if (!cJSON_IsArray(it)) {
				st = rcms_err_set(&cli->err, RCMS_ERR_INVALID,
						  "documents", "documents must "
						  "be a list");
				goto out;
			}
			cJSON_ArrayForEach(d, it) {
				if (*ndocs >= MAX_DOCS || !cJSON_IsObject(d)) {
					st = rcms_err_set(
						&cli->err, RCMS_ERR_INVALID,
						"documents", "documents must "
						"be objects, at most %d",
						MAX_DOCS);
					goto out;
				}
				rcms_document_init(&docs[*ndocs]);
				cJSON_ArrayForEach(fld, d) {
					if ((st = json_scalar(cli, fld,
							      fld->string, buf,
							      sizeof(buf))) ||
					    (st = set_doc_field(cli,
								&docs[*ndocs],
								fld->string,
								buf)))
						goto out;
				}
				(*ndocs)++;
			}
			continue;
		}
		if ((st = json_scalar(cli, it, it->string, buf, sizeof(buf))) ||
		    (st = set_case_field(cli, c, it->string, buf)))
			goto out;
	}
out:
	cJSON_Delete(root);
	return st;
}

/* The person's possible earlier cases, at most this many, on case new and
 * case show; rcms duplicates lists more. */
#define EARLIER_CASES 5

static int earlier_notice_row(const struct db_dup_hit *h, void *arg)
{
	struct cli *cli = arg;
	char why[160];

	fprintf(stderr, "%s: possible earlier case of this person: %s "
		"(%d%%: %s)\n", cli->prog, h->final_ref[0] ? h->final_ref
							    : h->local_ref,
		cli_dup_percent(h), cli_dup_reasons(h, why, sizeof(why)));
	return 0;
}

/*
 * After case new: the duplicate check of the new case's person, on
 * standard error (standard output is the reference, which scripts read).
 * The case is created whatever happens here: a failure is a warning.
 */
static void earlier_cases_notice(struct cli *cli, const struct rcms_case *c)
{
	struct db_dup_opts o = {.limit = EARLIER_CASES};
	struct rcms_err err;

	memset(&err, 0, sizeof(err));
	if (db_duplicates(&cli->ctx, c->id, &o, earlier_notice_row, cli,
			  &err) != RCMS_OK)
		fprintf(stderr, "%s: warning: %s was created, but its earlier "
			"cases could not be looked for: %s\n", cli->prog,
			c->local_ref, rcms_err_msg(&err));
}

int cmd_case_new(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", required_argument, NULL, 'j'},
		{"doc", required_argument, NULL, 'd'},
		{"set", required_argument, NULL, 's'},
		{"mrz", required_argument, NULL, 'm'},
		{NULL, 0, NULL, 0},
	};
	struct rcms_case *c = NULL;
	struct rcms_document *docs = NULL;
	size_t ndocs = 0;
	char *json = NULL, *field, *value;
	const char *json_path = NULL;
	enum rcms_status st;
	int rc, o, i;

	c = calloc(1, sizeof(*c));
	docs = calloc(MAX_DOCS, sizeof(*docs));
	if (!c || !docs) {
		free(c);
		free(docs);
		rcms_err_set(&cli->err, RCMS_ERR_NOMEM, NULL, NULL);
		return cli_fail(cli, RCMS_ERR_NOMEM);
	}
	rcms_case_init(c);
	if ((rc = cli_open(cli)))
		goto out;
	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'j':
			json_path = optarg;
			break;
		case 'm':
			/* the zone first: explicit fields below override it */
			if (ndocs >= MAX_DOCS) {
				rc = cli_usage(cli, cli_current(),
					       "at most %d documents",
					       MAX_DOCS);
				goto out;
			}
			if ((rc = cli_case_from_mrz(cli, optarg, c,
						    &docs[ndocs])))
				goto out;
			ndocs++;
			break;
		case 'd':
			if (ndocs >= MAX_DOCS) {
				rc = cli_usage(cli, cli_current(),
					       "at most %d documents",
					       MAX_DOCS);
				goto out;
			}
			if (parse_doc_arg(cli, optarg, &docs[ndocs])) {
				rc = cli_fail(cli, cli->err.status);
				goto out;
			}
			ndocs++;
			break;
		case 's':
			if (!cli_split_assign(optarg, &field, &value)) {
				rc = cli_usage(cli, cli_current(),
					       "--set takes FIELD=VALUE");
				goto out;
			}
			if (set_case_field(cli, c, field, value)) {
				rc = cli_fail(cli, cli->err.status);
				goto out;
			}
			break;
		default:
			rc = cli_usage(cli, cli_current(), "unknown option");
			goto out;
		}
	}
	if (json_path) {
		if ((rc = cli_read_file(cli, json_path, 1 << 20, &json, NULL)))
			goto out;
		if (case_from_json(cli, json, c, docs, &ndocs)) {
			rc = cli_fail(cli, cli->err.status);
			goto out;
		}
	}
	for (i = optind; i < argc; i++) {
		if (!cli_split_assign(argv[i], &field, &value)) {
			rc = cli_usage(cli, cli_current(),
				       "'%s' is not FIELD=VALUE", argv[i]);
			goto out;
		}
		if (set_case_field(cli, c, field, value)) {
			rc = cli_fail(cli, cli->err.status);
			goto out;
		}
	}
	st = db_case_create(&cli->ctx, c, docs, ndocs, &cli->err);
	if (st) {
		rc = cli_fail(cli, st);
		goto out;
	}
	printf("%s\n", c->local_ref);
	fflush(stdout);
	earlier_cases_notice(cli, c);
	rc = 0;
out:
	free(json);
	free(c);
	free(docs);
	return rc;
}

/* ---- list ------------------------------------------------------------------ */

struct list_state {
	struct cli *cli;
	enum cli_format fmt;
	struct rcms_jsonw w;
	FILE *out;      /* the rows, held until their consultation is recorded */
	int n;
};

static void due_text(int64_t now, int64_t due, enum rcms_case_status st,
		     char *buf, size_t size)
{
	int d;

	if (st == RCMS_CS_DEEMED_ACCEPTED) {
		snprintf(buf, size, "deemed accepted");
		return;
	}
	if (!due || !rcms_status_awaits_reply(st)) {
		buf[0] = '\0';
		return;
	}
	d = rcms_days_left(now, due);
	if (d > 0)
		snprintf(buf, size, "%d d left", d);
	else
		snprintf(buf, size, "overdue %d d", -d);
}

static int list_row(const struct db_case_row *r, void *arg)
{
	struct list_state *ls = arg;
	FILE *out = ls->out;
	char dob[16], due[32], name[600], upd[32];

	rcms_pdate_format(&r->birth_date, dob, sizeof(dob));
	due_text(ls->cli->ctx.now, r->reply_due, r->status, due, sizeof(due));
	rcms_time_format(r->updated_at, upd, sizeof(upd));
	switch (ls->fmt) {
	case CLI_TABLE:
		snprintf(name, sizeof(name), "%s%s%s", r->surnames,
			 r->given_names[0] ? ", " : "", r->given_names);
		cli_put_col(out, r->final_ref[0] ? r->final_ref
						 : r->local_ref, 28);
		fputc(' ', out);
		cli_put_col(out, rcms_enum_label(rcms_case_status_names,
						 (int)r->status), 22);
		fputc(' ', out);
		cli_put_col(out, r->requested_agency, 10);
		fputc(' ', out);
		cli_put_col(out, name, 28);
		fputc(' ', out);
		cli_put_col(out, r->nationality, 4);
		fputc(' ', out);
		cli_put_col(out, dob, 10);
		fputc(' ', out);
		fputs(due, out);
		fputc('\n', out);
		break;
	case CLI_CSV:
		cli_csv_field(out, r->local_ref, false);
		cli_csv_field(out, r->final_ref, false);
		cli_csv_field(out, rcms_enum_name(rcms_case_status_names,
						  (int)r->status), false);
		cli_csv_field(out, r->requesting_agency, false);
		cli_csv_field(out, r->requested_agency, false);
		cli_csv_field(out, rcms_enum_name(rcms_procedure_names,
						  (int)r->procedure), false);
		cli_csv_field(out, r->surnames, false);
		cli_csv_field(out, r->given_names, false);
		cli_csv_field(out, r->nationality, false);
		cli_csv_field(out, dob, false);
		cli_csv_field(out, r->created_by, false);
		cli_csv_field(out, upd, false);
		cli_csv_field(out, due, true);
		break;
	case CLI_JSON:
		rcms_jsonw_obj_begin(&ls->w);
		rcms_jsonw_kstr(&ls->w, "id", r->id);
		rcms_jsonw_kstr(&ls->w, "local_ref", r->local_ref);
		rcms_jsonw_kstr(&ls->w, "final_ref", r->final_ref);
		rcms_jsonw_kstr(&ls->w, "status",
				rcms_enum_name(rcms_case_status_names,
					       (int)r->status));
		rcms_jsonw_kstr(&ls->w, "requesting_agency",
				r->requesting_agency);
		rcms_jsonw_kstr(&ls->w, "requested_agency",
				r->requested_agency);
		rcms_jsonw_kstr(&ls->w, "procedure",
				rcms_enum_name(rcms_procedure_names,
					       (int)r->procedure));
		rcms_jsonw_kstr(&ls->w, "surnames", r->surnames);
		rcms_jsonw_kstr(&ls->w, "given_names", r->given_names);
		rcms_jsonw_kstr(&ls->w, "nationality", r->nationality);
		rcms_jsonw_kstr(&ls->w, "birth_date", dob);
		rcms_jsonw_kstr(&ls->w, "created_by", r->created_by);
		rcms_jsonw_kstr(&ls->w, "updated_at", upd);
		if (r->reply_due) {
			char t[32];
			rcms_time_format(r->reply_due, t, sizeof(t));
			rcms_jsonw_kstr(&ls->w, "reply_due", t);
		}
		rcms_jsonw_obj_end(&ls->w);
		break;
	}
	ls->n++;
	return 0;
}

static int parse_int_arg(struct cli *cli, const char *name, const char *s,
			 long lo, long hi, int *out)
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

int cmd_case_list(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"status", required_argument, NULL, 's'},
		{"requested", required_argument, NULL, 'r'},
		{"due-before", required_argument, NULL, 'd'},
		{"mine", no_argument, NULL, 'm'},
		{"sort", required_argument, NULL, 'o'},
		{"limit", required_argument, NULL, 'l'},
		{"offset", required_argument, NULL, 'O'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	struct db_case_filter f = {.status = -1, .limit = 100};
	struct list_state ls;
	struct rcms_pdate due;
	char list[512];
	char *held = NULL;
	size_t held_len = 0;
	enum rcms_status st;
	int o, rc, v;
	bool mine = false;

	memset(&ls, 0, sizeof(ls));
	ls.cli = cli;
	if ((rc = cli_take_why(cli, &argc, argv)))
		return rc;
	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 's':
			if (rcms_enum_parse(rcms_case_status_names, optarg,
					    &v) != RCMS_OK)
				return cli_usage(cli, cli_current(),
						 "unknown status '%s'; "
						 "statuses are: %s", optarg,
						 rcms_enum_list(
							 rcms_case_status_names,
							 list, sizeof(list)));
			f.status = v;
			break;
		case 'r':
			if (rcms_agency_code_check(optarg, "--requested",
						   &cli->err))
				return cli_fail(cli, RCMS_ERR_USAGE);
			f.requested = optarg;
			break;
		case 'd':
			if (rcms_pdate_parse(optarg, "--due-before", &due,
					     &cli->err))
				return cli_fail(cli, RCMS_ERR_USAGE);
			if (!rcms_pdate_is_full(&due))
				return cli_usage(cli, cli_current(),
						 "--due-before needs a full "
						 "date YYYY-MM-DD");
			f.due_before = rcms_pdate_to_days(&due) * 86400;
			break;
		case 'm':
			mine = true;
			break;
		case 'o':
			if (strcmp(optarg, "updated") == 0)
				f.order = DB_ORDER_UPDATED;
			else if (strcmp(optarg, "created") == 0)
				f.order = DB_ORDER_CREATED;
			else if (strcmp(optarg, "due") == 0)
				f.order = DB_ORDER_DUE;
			else if (strcmp(optarg, "ref") == 0)
				f.order = DB_ORDER_REF;
			else
				return cli_usage(cli, cli_current(),
						 "--sort takes updated, "
						 "created, due or ref");
			break;
		case 'l':
			if ((rc = parse_int_arg(cli, "--limit", optarg, 1,
						100000, &f.limit)))
				return rc;
			break;
		case 'O':
			if ((rc = parse_int_arg(cli, "--offset", optarg, 0,
						100000000, &f.offset)))
				return rc;
			break;
		case 'f':
			if ((rc = cli_parse_format(cli, optarg, &ls.fmt)))
				return rc;
			break;
		default:
			return cli_usage(cli, cli_current(), "unknown option");
		}
	}
	if (optind < argc)
		return cli_usage(cli, cli_current(), "unexpected '%s'",
				 argv[optind]);
	if ((rc = cli_open(cli)))
		return rc;
	if ((rc = cli_purpose_of(cli, "these cases")))
		return rc;
	if (!(ls.out = open_memstream(&held, &held_len))) {
		rcms_err_set(&cli->err, RCMS_ERR_NOMEM, NULL, NULL);
		return cli_fail(cli, RCMS_ERR_NOMEM);
	}
	if (mine)
		f.created_by = cli->ctx.user.username;
	/* the header holds no personal data: it comes at once */
	if (ls.fmt == CLI_TABLE) {
		cli_put_col(stdout, "REFERENCE", 28);
		fputc(' ', stdout);
		cli_put_col(stdout, "STATUS", 22);
		fputc(' ', stdout);
		cli_put_col(stdout, "REQUESTED", 10);
		fputc(' ', stdout);
		cli_put_col(stdout, "NAME", 28);
		fputc(' ', stdout);
		cli_put_col(stdout, "NAT", 4);
		fputc(' ', stdout);
		cli_put_col(stdout, "BORN", 10);
		fputs(" DEADLINE\n", stdout);
	} else if (ls.fmt == CLI_CSV) {
		fputs("local_ref,final_ref,status,requesting_agency,"
		      "requested_agency,procedure,surnames,given_names,"
		      "nationality,birth_date,created_by,updated_at,"
		      "deadline\r\n", stdout);
	} else {
		rcms_jsonw_init(&ls.w);
		rcms_jsonw_arr_begin(&ls.w);
	}
	st = db_case_list(&cli->ctx, &f, list_row, &ls, &cli->err);
	if (ls.fmt == CLI_JSON) {
		rcms_jsonw_arr_end(&ls.w);
		if (st == RCMS_OK && ls.w.buf)
			fprintf(ls.out, "%s\n", ls.w.buf);
		rcms_jsonw_free(&ls.w);
	}
	/* the rows are shown only once their consultation is recorded: one
	 * entry for the list, with its purpose and its count, never a name
	 * (an empty list too: the consultation was made) */
	if (!st)
		st = cli_cases_listed(cli, "case.list", "case list", ls.n);
	if (fclose(ls.out) != 0 && !st)
		st = rcms_err_set(&cli->err, RCMS_ERR_NOMEM, NULL, NULL);
	if (!st)
		fwrite(held, 1, held_len, stdout);
	free(held);
	return st ? cli_fail(cli, st) : 0;
}

/* ---- show ------------------------------------------------------------------ */

struct show_state {
	struct cli *cli;
	bool json;
	struct rcms_jsonw *w;
	int n;
};

static int show_doc(const struct rcms_document *d, void *arg)
{
	struct show_state *ss = arg;
	const struct rcms_field *f;
	char buf[RCMS_TEXT_LEN + 64];

	if (ss->json) {
		rcms_jsonw_obj_begin(ss->w);
		rcms_jsonw_kstr(ss->w, "id", d->id);
		for (f = rcms_document_fields; f->name; f++) {
			rcms_field_get(f, d, buf, sizeof(buf));
			rcms_jsonw_kstr(ss->w, f->name, buf);
		}
		rcms_jsonw_obj_end(ss->w);
	} else {
		char issue[16], exp[16];
		rcms_pdate_format(&d->issue_date, issue, sizeof(issue));
		rcms_pdate_format(&d->expiry_date, exp, sizeof(exp));
		printf("  %-24s %-14s %-4s issued %-10s expires %-10s%s\n",
		       rcms_enum_label(rcms_doc_type_names, (int)d->type),
		       d->number, d->issuing_state, issue[0] ? issue : "-",
		       exp[0] ? exp : "-", d->is_copy ? " (copy)" : "");
	}
	ss->n++;
	return 0;
}

static int show_note(const struct rcms_note *n, void *arg)
{
	struct show_state *ss = arg;
	char t[32];

	rcms_time_format(n->created_at, t, sizeof(t));
	if (ss->json) {
		rcms_jsonw_obj_begin(ss->w);
		rcms_jsonw_kstr(ss->w, "id", n->id);
		rcms_jsonw_kstr(ss->w, "author", n->author);
		rcms_jsonw_kstr(ss->w, "created_at", t);
		rcms_jsonw_kstr(ss->w, "text", n->text);
		rcms_jsonw_obj_end(ss->w);
	} else {
		printf("  %s %s: %s\n", t, n->author, n->text);
	}
	ss->n++;
	return 0;
}

static int show_att(const struct rcms_attachment *a, void *arg)
{
	struct show_state *ss = arg;

	if (ss->json) {
		rcms_jsonw_obj_begin(ss->w);
		rcms_jsonw_kstr(ss->w, "id", a->id);
		rcms_jsonw_kstr(ss->w, "sha256", a->sha256);
		rcms_jsonw_kstr(ss->w, "kind",
				rcms_enum_name(rcms_attach_kind_names,
					       (int)a->kind));
		rcms_jsonw_kstr(ss->w, "filename", a->filename);
		rcms_jsonw_kstr(ss->w, "mime", a->mime);
		rcms_jsonw_kint(ss->w, "size", a->size);
		rcms_jsonw_obj_end(ss->w);
	} else {
		printf("  %-12s %10lld bytes  %.12s…  %s\n",
		       rcms_enum_name(rcms_attach_kind_names, (int)a->kind),
		       (long long)a->size, a->sha256, a->filename);
	}
	ss->n++;
	return 0;
}

static int show_idc(const struct rcms_idcheck *q, void *arg)
{
	struct show_state *ss = arg;
	char t[32];

	if (ss->json) {
		rcms_jsonw_obj_begin(ss->w);
		rcms_jsonw_kstr(ss->w, "id", q->id);
		rcms_jsonw_kstr(ss->w, "kind",
				rcms_enum_name(rcms_idcheck_kind_names,
					       (int)q->kind));
		rcms_jsonw_kstr(ss->w, "question", q->question);
		rcms_jsonw_kstr(ss->w, "asked_by", q->asked_by);
		rcms_jsonw_kstr(ss->w, "answer",
				rcms_enum_name(rcms_idcheck_answer_names,
					       (int)q->answer));
		rcms_jsonw_kstr(ss->w, "answer_text", q->answer_text);
		rcms_jsonw_kstr(ss->w, "answered_by", q->answered_by);
		rcms_jsonw_obj_end(ss->w);
	} else {
		rcms_time_format(q->asked_at, t, sizeof(t));
		printf("  %.8s %s (%s): %s\n", q->id,
		       rcms_enum_label(rcms_idcheck_kind_names, (int)q->kind),
		       rcms_enum_label(rcms_idcheck_answer_names,
				       (int)q->answer),
		       q->answer_text[0] ? q->answer_text : q->question);
	}
	ss->n++;
	return 0;
}

static int show_earlier(const struct db_dup_hit *h, void *arg)
{
	struct show_state *ss = arg;
	char dob[16], name[2 * RCMS_NAME_LEN + 4], why[160];

	if (ss->json) {
		cli_dup_json(ss->w, h);
	} else {
		rcms_pdate_format(&h->birth_date, dob, sizeof(dob));
		snprintf(name, sizeof(name), "%s%s%s", h->surnames,
			 h->surnames[0] && h->given_names[0] ? ", " : "",
			 h->given_names);
		printf("  %s  %d%%  %s  %s  %s\n    %s\n",
		       h->final_ref[0] ? h->final_ref : h->local_ref,
		       cli_dup_percent(h), name, dob[0] ? dob : "-",
		       h->nationality[0] ? h->nationality : "-",
		       cli_dup_reasons(h, why, sizeof(why)));
	}
	ss->n++;
	return 0;
}

static void show_deadlines(struct cli *cli, const struct rcms_case *c)
{
	struct rcms_agreement a;
	struct rcms_holiday hol[256];
	struct rcms_holidays hs = {hol, 0};
	struct rcms_deadline_in in;
	struct rcms_deadlines d;
	char cc[3] = {c->requested_agency[0], c->requested_agency[1], 0};
	char t[32];

	if (!c->agreement[0] ||
	    db_agreement_get(cli->db, c->agreement, &a, NULL) != RCMS_OK) {
		printf("%-28s %s\n", "deadlines",
		       "no agreement applies: no time limits");
		return;
	}
	if (!c->received_at) {
		printf("%-28s %s\n", "deadlines",
		       "start when the exchange receives the application");
		return;
	}
	db_holidays(cli->db, cc, hol, 256, &hs.n, NULL);
	memset(&in, 0, sizeof(in));
	in.agreement = &a;
	in.procedure = c->procedure;
	in.requested_country = cc;
	in.holidays = &hs;
	in.received_at = c->received_at;
	in.extension_days = c->extension_days;
	in.decided_at = c->decided_at;
	in.accepted = c->status == RCMS_CS_ACCEPTED ||
		      c->status == RCMS_CS_TRAVEL_DOCUMENT_ISSUED ||
		      c->status == RCMS_CS_TRANSFER_SCHEDULED ||
		      c->status == RCMS_CS_TRANSFERRED;
	if (rcms_deadlines_compute(&in, cli->ctx.now, &d, NULL) != RCMS_OK)
		return;
	if (d.reply_due) {
		rcms_time_format(d.reply_due, t, sizeof(t));
		printf("%-28s %s\n", "reply due", t);
	}
	if (d.transfer_due) {
		rcms_time_format(d.transfer_due, t, sizeof(t));
		printf("%-28s %s\n", "transfer due", t);
	}
}

int cmd_case_show(struct cli *cli, int argc, char **argv)
{
	struct rcms_case *c = NULL;
	struct show_state ss;
	struct rcms_jsonw w;
	const struct rcms_field *f;
	char buf[RCMS_TEXT_LEN + 64];
	const char *ref = NULL;
	enum rcms_status st;
	bool json = false;
	int i, rc;

	if ((rc = cli_take_why(cli, &argc, argv)))
		return rc;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (argv[i][0] == '-' && argv[i][1])
			return cli_usage(cli, cli_current(),
					 "unknown option '%s'", argv[i]);
		else if (!ref)
			ref = argv[i];
		else
			return cli_usage(cli, cli_current(),
					 "one case at a time");
	}
	if (!ref)
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
	st = db_case_get(&cli->ctx, ref, c, &cli->err);
	if (st == RCMS_OK)
		st = cli_case_viewed(cli, c, "case show");
	if (st) {
		free(c);
		return cli_fail(cli, st);
	}
	memset(&ss, 0, sizeof(ss));
	ss.cli = cli;
	ss.json = json;
	ss.w = &w;
	rcms_jsonw_init(&w);
	if (json) {
		rcms_jsonw_obj_begin(&w);
		for (f = rcms_case_fields; f->name; f++) {
			rcms_field_get(f, c, buf, sizeof(buf));
			if (f->type == RCMS_F_BOOL)
				rcms_jsonw_kbool(&w, f->name,
						 strcmp(buf, "yes") == 0);
			else if (f->type == RCMS_F_INT)
				rcms_jsonw_kint(&w, f->name,
						*(const int *)((const char *)c +
							       f->offset));
			else
				rcms_jsonw_kstr(&w, f->name, buf);
		}
		rcms_jsonw_kint(&w, "rev", c->rev);
		rcms_jsonw_key(&w, "documents");
		rcms_jsonw_arr_begin(&w);
	} else {
		for (f = rcms_case_fields; f->name; f++) {
			if (f->type != RCMS_F_ENUM && f->type != RCMS_F_ID &&
			    rcms_field_is_empty(f, c))
				continue;
			rcms_field_get(f, c, buf, sizeof(buf));
			printf("%-28s %s\n", f->label, buf);
		}
		show_deadlines(cli, c);
		printf("documents:\n");
	}
	st = db_document_list(&cli->ctx, c->id, show_doc, &ss, &cli->err);
	if (json) {
		rcms_jsonw_arr_end(&w);
		rcms_jsonw_key(&w, "notes");
		rcms_jsonw_arr_begin(&w);
	} else {
		if (!ss.n)
			printf("  (none)\n");
		printf("notes:\n");
	}
	ss.n = 0;
	if (st == RCMS_OK)
		st = db_note_list(&cli->ctx, c->id, show_note, &ss, &cli->err);
	if (json) {
		rcms_jsonw_arr_end(&w);
		rcms_jsonw_key(&w, "idchecks");
		rcms_jsonw_arr_begin(&w);
	} else {
		if (!ss.n)
			printf("  (none)\n");
		printf("identity checks:\n");
	}
	ss.n = 0;
	if (st == RCMS_OK)
		st = db_idcheck_list(&cli->ctx, c->id, show_idc, &ss,
				     &cli->err);
	if (json) {
		rcms_jsonw_arr_end(&w);
		rcms_jsonw_key(&w, "attachments");
		rcms_jsonw_arr_begin(&w);
	} else {
		if (!ss.n)
			printf("  (none)\n");
		printf("attachments:\n");
	}
	ss.n = 0;
	if (st == RCMS_OK)
		st = db_attachment_list(&cli->ctx, c->id, show_att, &ss,
					&cli->err);
	if (json) {
		rcms_jsonw_arr_end(&w);
		rcms_jsonw_key(&w, "possible_earlier_cases");
		rcms_jsonw_arr_begin(&w);
	} else {
		if (!ss.n)
			printf("  (none)\n");
		printf("possible earlier cases of this person:\n");
	}
	ss.n = 0;
	if (st == RCMS_OK) {
		struct db_dup_opts o = {.limit = EARLIER_CASES};
		st = db_duplicates(&cli->ctx, c->id, &o, show_earlier, &ss,
				   &cli->err);
	}
	if (json) {
		rcms_jsonw_arr_end(&w);
		rcms_jsonw_obj_end(&w);
		if (st == RCMS_OK && rcms_jsonw_status(&w) == RCMS_OK)
			printf("%s\n", w.buf);
	} else if (!ss.n) {
		printf("  (none)\n");
	}
	rcms_jsonw_free(&w);
	free(c);
	return st ? cli_fail(cli, st) : 0;
}

/* ---- edit, fields ------------------------------------------------------------ */

int cmd_case_edit(struct cli *cli, int argc, char **argv)
{
	struct db_change ch[64];
	size_t n = 0;
	char *field, *value;
	enum rcms_status st;
	int i, rc;

	if (argc < 2 || argv[1][0] == '-')
		return cli_usage(cli, cli_current(), "which case?");
	if (argc < 3)
		return cli_usage(cli, cli_current(),
				 "nothing to change: give FIELD=VALUE");
	for (i = 2; i < argc; i++) {
		if (!cli_split_assign(argv[i], &field, &value))
			return cli_usage(cli, cli_current(),
					 "'%s' is not FIELD=VALUE", argv[i]);
		if (n >= sizeof(ch) / sizeof(ch[0]))
			return cli_usage(cli, cli_current(),
					 "too many changes at once");
		ch[n].field = field;
		ch[n].value = value;
		n++;
	}
	if ((rc = cli_open(cli)))
		return rc;
	st = db_case_edit(&cli->ctx, argv[1], ch, n, &cli->err);
	return st ? cli_fail(cli, st) : 0;
}

int cmd_case_fields(struct cli *cli, int argc, char **argv)
{
	static const char *const types[] = {
		[RCMS_F_NAME] = "name",
		[RCMS_F_LINE] = "text",
		[RCMS_F_TEXT] = "text",
		[RCMS_F_CODE] = "code",
		[RCMS_F_PDATE] = "YYYY[-MM[-DD]]",
		[RCMS_F_PDATE_PAST] = "YYYY[-MM[-DD]], past",
		[RCMS_F_COUNTRY] = "country code or name",
		[RCMS_F_AGENCY] = "agency code (RS-MUP)",
		[RCMS_F_ENUM] = "",
		[RCMS_F_BOOL] = "yes|no",
		[RCMS_F_INT] = "number",
		[RCMS_F_TIME] = "time",
		[RCMS_F_ID] = "id",
	};
	const struct rcms_field *f;
	char list[512];

	(void)cli;
	(void)argc;
	(void)argv;
	printf("Case fields (rcms case new/edit FIELD=VALUE; * = needed to "
	       "submit):\n");
	for (f = rcms_case_fields; f->name; f++) {
		if (!(f->flags & RCMS_FF_EDIT))
			continue;
		printf("  %-22s%c %-38s %s\n", f->name,
		       (f->flags & RCMS_FF_SUBMIT) ? '*' : ' ', f->label,
		       f->type == RCMS_F_ENUM
			       ? rcms_enum_list(f->names, list, sizeof(list))
			       : types[f->type]);
	}
	printf("\nDocument fields (rcms doc add, case new --doc):\n");
	for (f = rcms_document_fields; f->name; f++)
		printf("  %-22s  %-38s %s\n", f->name, f->label,
		       f->type == RCMS_F_ENUM
			       ? rcms_enum_list(f->names, list, sizeof(list))
			       : types[f->type]);
	return 0;
}

/* ---- the steps ------------------------------------------------------------- */

int cmd_case_step(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"reason", required_argument, NULL, 'r'},
		{"days", required_argument, NULL, 'd'},
		{"travel-doc", required_argument, NULL, 't'},
		{"date", required_argument, NULL, 'D'},
		{NULL, 0, NULL, 0},
	};
	const char *action = cli_current()->sub;
	struct rcms_transition_args args;
	struct rcms_case *c;
	enum rcms_status st;
	const char *ref;
	int o, rc;

	memset(&args, 0, sizeof(args));
	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'r':
			if (rcms_text_check(optarg, RCMS_TEXT_LEN - 1, 0,
					    "reason", &cli->err))
				return cli_fail(cli, RCMS_ERR_INVALID);
			args.reason = optarg;
			break;
		case 'd':
			if ((rc = parse_int_arg(cli, "--days", optarg, 0, 366,
						&args.days)))
				return rc;
			break;
		case 't':
			args.travel_doc = optarg;
			break;
		case 'D':
			if (rcms_pdate_parse(optarg, "transfer date",
					     &args.transfer_date, &cli->err))
				return cli_fail(cli, RCMS_ERR_INVALID);
			break;
		default:
			return cli_usage(cli, cli_current(), "unknown option");
		}
	}
	if (optind >= argc)
		return cli_usage(cli, cli_current(), "which case?");
	if (optind + 1 < argc)
		return cli_usage(cli, cli_current(), "unexpected '%s'",
				 argv[optind + 1]);
	ref = argv[optind];
	if ((rc = cli_open(cli)))
		return rc;
	c = malloc(sizeof(*c));
	if (!c) {
		rcms_err_set(&cli->err, RCMS_ERR_NOMEM, NULL, NULL);
		return cli_fail(cli, RCMS_ERR_NOMEM);
	}
	st = db_case_transition(&cli->ctx, ref, action, &args, c, &cli->err);
	if (st == RCMS_OK)
		printf("%s: %s\n", c->local_ref,
		       rcms_enum_label(rcms_case_status_names, (int)c->status));
	free(c);
	return st ? cli_fail(cli, st) : 0;
}

/* ---- documents --------------------------------------------------------------- */

int cmd_doc_add(struct cli *cli, int argc, char **argv)
{
	struct rcms_document d;
	char *field, *value;
	enum rcms_status st;
	int i, rc;

	if (argc < 3 || argv[1][0] == '-')
		return cli_usage(cli, cli_current(),
				 "give the case and FIELD=VALUE pairs");
	rcms_document_init(&d);
	if ((rc = cli_open(cli)))
		return rc;
	for (i = 2; i < argc; i++) {
		if (!cli_split_assign(argv[i], &field, &value))
			return cli_usage(cli, cli_current(),
					 "'%s' is not FIELD=VALUE", argv[i]);
		if (set_doc_field(cli, &d, field, value))
			return cli_fail(cli, cli->err.status);
	}
	st = db_document_add(&cli->ctx, argv[1], &d, &cli->err);
	return st ? cli_fail(cli, st) : 0;
}
