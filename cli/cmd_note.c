/* cmd_note.c - notes and attachments. */
#include "cli/cli_priv.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

int cmd_note_add(struct cli *cli, int argc, char **argv)
{
	struct rcms_note n;
	char *text = NULL;
	enum rcms_status st;
	int rc;

	if (argc != 3)
		return cli_usage(cli, cli_current(),
				 "give the case and the text (or - to read "
				 "it from standard input)");
	if ((rc = cli_open(cli)))
		return rc;
	if (strcmp(argv[2], "-") == 0) {
		if ((rc = cli_read_file(cli, "-", RCMS_TEXT_LEN - 1, &text,
					NULL)))
			return rc;
	}
	st = db_note_add(&cli->ctx, argv[1], text ? text : argv[2], &n,
			 &cli->err);
	free(text);
	return st ? cli_fail(cli, st) : 0;
}

static int note_row(const struct rcms_note *n, void *arg)
{
	char t[32];

	(void)arg;
	rcms_time_format(n->created_at, t, sizeof(t));
	printf("%s %s\n%s\n\n", t, n->author, n->text);
	return 0;
}

int cmd_note_list(struct cli *cli, int argc, char **argv)
{
	struct rcms_case *c;
	enum rcms_status st;
	int rc;

	if ((rc = cli_take_why(cli, &argc, argv)))
		return rc;
	if (argc != 2)
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
	st = db_case_get(&cli->ctx, argv[1], c, &cli->err);
	if (!st)
		st = cli_case_viewed(cli, c, "note list");
	if (!st)
		st = db_note_list(&cli->ctx, c->id, note_row, NULL, &cli->err);
	free(c);
	return st ? cli_fail(cli, st) : 0;
}

int cmd_attach(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"kind", required_argument, NULL, 'k'},
		{NULL, 0, NULL, 0},
	};
	struct rcms_attachment a;
	enum rcms_status st;
	char list[128];
	int o, rc, kind = RCMS_ATT_SCAN;

	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o != 'k')
			return cli_usage(cli, cli_current(), "unknown option");
		if (rcms_enum_parse(rcms_attach_kind_names, optarg, &kind))
			return cli_usage(cli, cli_current(),
					 "--kind takes one of: %s",
					 rcms_enum_list(rcms_attach_kind_names,
							list, sizeof(list)));
	}
	if (argc - optind != 2)
		return cli_usage(cli, cli_current(),
				 "give the case and the file");
	if ((rc = cli_open(cli)))
		return rc;
	st = db_attach(&cli->ctx, argv[optind], argv[optind + 1],
		       (enum rcms_attach_kind)kind,
		       cli->conf.attachment_max_mb * 1024 * 1024, &a,
		       &cli->err);
	if (st)
		return cli_fail(cli, st);
	printf("%s %lld bytes %s\n", a.sha256, (long long)a.size, a.filename);
	return 0;
}

struct att_list {
	enum cli_format fmt;
	struct rcms_jsonw w;
};

static int att_row(const struct rcms_attachment *a, void *arg)
{
	struct att_list *al = arg;
	const char *kind = rcms_enum_name(rcms_attach_kind_names, (int)a->kind);
	char t[32], size[32];

	rcms_time_format(a->added_at, t, sizeof(t));
	snprintf(size, sizeof(size), "%lld", (long long)a->size);
	switch (al->fmt) {
	case CLI_TABLE:
		printf("%-12s %10s %s %s %s %s\n", kind, size, a->sha256, t,
		       a->added_by, a->filename);
		break;
	case CLI_CSV:
		cli_csv_field(stdout, kind, false);
		cli_csv_field(stdout, size, false);
		cli_csv_field(stdout, a->sha256, false);
		cli_csv_field(stdout, t, false);
		cli_csv_field(stdout, a->added_by, false);
		cli_csv_field(stdout, a->filename, true);
		break;
	case CLI_JSON:
		rcms_jsonw_obj_begin(&al->w);
		rcms_jsonw_kstr(&al->w, "kind", kind);
		rcms_jsonw_kint(&al->w, "size", a->size);
		rcms_jsonw_kstr(&al->w, "sha256", a->sha256);
		rcms_jsonw_kstr(&al->w, "added_at", t);
		rcms_jsonw_kstr(&al->w, "added_by", a->added_by);
		rcms_jsonw_kstr(&al->w, "filename", a->filename);
		rcms_jsonw_kstr(&al->w, "mime", a->mime);
		rcms_jsonw_obj_end(&al->w);
		break;
	}
	return 0;
}

int cmd_attachments(struct cli *cli, int argc, char **argv)
{
	struct att_list al;
	struct rcms_case *c;
	enum rcms_status st;
	int rc;

	if ((rc = cli_take_why(cli, &argc, argv)))
		return rc;
	memset(&al, 0, sizeof(al));
	if (argc == 4 && strcmp(argv[2], "--format") == 0) {
		if ((rc = cli_parse_format(cli, argv[3], &al.fmt)))
			return rc;
	} else if (argc != 2) {
		return cli_usage(cli, cli_current(), "which case?");
	}
	if ((rc = cli_open(cli)))
		return rc;
	if ((rc = cli_purpose(cli)))
		return rc;
	c = malloc(sizeof(*c));
	if (!c) {
		rcms_err_set(&cli->err, RCMS_ERR_NOMEM, NULL, NULL);
		return cli_fail(cli, RCMS_ERR_NOMEM);
	}
	rcms_jsonw_init(&al.w);
	if (al.fmt == CLI_CSV)
		fputs("kind,size,sha256,added_at,added_by,filename\r\n", stdout);
	if (al.fmt == CLI_JSON)
		rcms_jsonw_arr_begin(&al.w);
	st = db_case_get(&cli->ctx, argv[1], c, &cli->err);
	if (!st)
		st = cli_case_viewed(cli, c, "attachments");
	if (!st)
		st = db_attachment_list(&cli->ctx, c->id, att_row, &al,
					&cli->err);
	if (al.fmt == CLI_JSON) {
		rcms_jsonw_arr_end(&al.w);
		if (!st)
			printf("%s\n", al.w.buf);
	}
	rcms_jsonw_free(&al.w);
	free(c);
	return st ? cli_fail(cli, st) : 0;
}
