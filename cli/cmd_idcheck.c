/* cmd_idcheck.c - rcms idcheck request|answer, rcms idchecks. */
#include "cli/cli_priv.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

int cmd_idcheck_request(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"kind", required_argument, NULL, 'k'},
		{"question", required_argument, NULL, 'q'},
		{NULL, 0, NULL, 0},
	};
	struct rcms_idcheck *q;
	const char *question = NULL;
	char list[128];
	int o, rc, kind = RCMS_IDC_IDENTITY;
	enum rcms_status st;

	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'k') {
			if (rcms_enum_parse(rcms_idcheck_kind_names, optarg,
					    &kind))
				return cli_usage(cli, cli_current(),
						 "--kind takes one of: %s",
						 rcms_enum_list(
							 rcms_idcheck_kind_names,
							 list, sizeof(list)));
		} else if (o == 'q') {
			question = optarg;
		} else {
			return cli_usage(cli, cli_current(), "unknown option");
		}
	}
	if (optind + 1 != argc || !question)
		return cli_usage(cli, cli_current(),
				 "give the case and --question TEXT");
	if ((rc = cli_open(cli)))
		return rc;
	q = malloc(sizeof(*q));
	if (!q) {
		rcms_err_set(&cli->err, RCMS_ERR_NOMEM, NULL, NULL);
		return cli_fail(cli, RCMS_ERR_NOMEM);
	}
	st = db_idcheck_request(&cli->ctx, argv[optind],
				(enum rcms_idcheck_kind)kind, question, q,
				&cli->err);
	if (!st)
		printf("%s\n", q->id);
	free(q);
	return st ? cli_fail(cli, st) : 0;
}

int cmd_idcheck_answer(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"answer", required_argument, NULL, 'a'},
		{"text", required_argument, NULL, 't'},
		{NULL, 0, NULL, 0},
	};
	const char *text = NULL;
	char list[128];
	int o, rc, answer = -1;
	enum rcms_status st;

	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 'a') {
			if (rcms_enum_parse(rcms_idcheck_answer_names, optarg,
					    &answer) ||
			    answer == RCMS_IDA_PENDING)
				return cli_usage(cli, cli_current(),
						 "--answer takes confirmed, "
						 "not_confirmed or "
						 "interview_required");
		} else if (o == 't') {
			text = optarg;
		} else {
			return cli_usage(cli, cli_current(), "unknown option");
		}
	}
	(void)list;
	if (optind + 2 != argc || answer < 0)
		return cli_usage(cli, cli_current(),
				 "give the case, the check's id and --answer");
	if ((rc = cli_open(cli)))
		return rc;
	st = db_idcheck_answer(&cli->ctx, argv[optind], argv[optind + 1],
			       (enum rcms_idcheck_answer)answer, text,
			       &cli->err);
	if (!st)
		printf("answered: %s\n",
		       rcms_enum_label(rcms_idcheck_answer_names, answer));
	return st ? cli_fail(cli, st) : 0;
}

static int idc_row(const struct rcms_idcheck *q, void *arg)
{
	char t[32];

	(void)arg;
	rcms_time_format(q->asked_at, t, sizeof(t));
	printf("%s  %-11s asked %s by %s: %s\n", q->id,
	       rcms_enum_name(rcms_idcheck_kind_names, (int)q->kind), t,
	       q->asked_by, q->question);
	if (q->answer != RCMS_IDA_PENDING) {
		rcms_time_format(q->answered_at, t, sizeof(t));
		printf("      answer: %s (%s, %s)%s%s\n",
		       rcms_enum_label(rcms_idcheck_answer_names,
				       (int)q->answer),
		       q->answered_by, t, q->answer_text[0] ? ": " : "",
		       q->answer_text);
	} else {
		printf("      answer: awaited\n");
	}
	return 0;
}

int cmd_idchecks(struct cli *cli, int argc, char **argv)
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
		st = cli_case_viewed(cli, c, "idchecks");
	if (!st)
		st = db_idcheck_list(&cli->ctx, c->id, idc_row, NULL,
				     &cli->err);
	free(c);
	return st ? cli_fail(cli, st) : 0;
}
