/* cmd_report.c - `rcms report`: the command line's face of reports/. */
#include "cli/cli_priv.h"
#include "reports/report.h"

#include <string.h>
#include <unistd.h>

static void list_reports(FILE *f)
{
	const struct report_def *defs;
	size_t n, i;

	defs = report_list(&n);
	for (i = 0; i < n; i++) {
		const struct report_def *d = &defs[i];
		char opts[160] = "";
		size_t k = 0;
		int j;

#define OPT(bit, text)                                                        \
	if (d->params & (bit))                                                \
		k += (size_t)snprintf(opts + k, sizeof(opts) - k, "%s%s",     \
				      k ? " " : "", text);
		OPT(REPORT_P_CASE, "REF")
		OPT(REPORT_P_PERIOD, "[--from DATE] [--to DATE]")
		OPT(REPORT_P_AGENCY, "[--agency A]")
		OPT(REPORT_P_COUNTRY, "[--country C]")
		OPT(REPORT_P_OFFICER, "[--officer U]")
#undef OPT
		fprintf(f, "%-12s %s\n", d->name, d->help);
		fprintf(f, "%-12s %s; formats:", "", opts[0] ? opts
							    : "no parameters");
		for (j = 0; j < REPORT_FORMAT__COUNT; j++)
			if (report_has_format(d, (enum report_format)j))
				fprintf(f, " %s", rcms_enum_name(
						report_format_names, j));
		fputc('\n', f);
	}
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && strcmp(s + n - t, tail) == 0;
}

int cmd_report(struct cli *cli, int argc, char **argv)
{
	const struct cli_cmd *cmd = cli_current();
	const struct report_def *def = NULL;
	struct report_params p;
	struct report_result res;
	const char *name = NULL, *out = NULL, *queue = NULL, *fmt_s = NULL;
	bool print = false;
	int fmt = REPORT_TEXT;
	enum rcms_status st;
	int i, rc;

	memset(&p, 0, sizeof(p));
	memset(&res, 0, sizeof(res));
	if ((rc = cli_take_why(cli, &argc, argv)))
		return rc;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = true;

		if (strcmp(a, "--list") == 0) {
			list_reports(stdout);
			return 0;
		}
		if (strcmp(a, "--print") == 0) {
			print = true;
			/* the next word is the queue, unless it is the
			 * report's name still to come */
			if (v && v[0] != '-' && (name || !report_find(v))) {
				queue = v;
				i++;
			}
			continue;
		}
		if (strncmp(a, "--print=", 8) == 0) {
			print = true;
			queue = a + 8;
			continue;
		}
		if (a[0] != '-') {
			if (!name)
				name = a;
			else if (!p.case_ref)
				p.case_ref = a;
			else
				return cli_usage(cli, cmd, "unexpected '%s'",
						 a);
			continue;
		}
		if (!v && (strcmp(a, "--from") == 0 || strcmp(a, "--to") == 0 ||
			   strcmp(a, "--agency") == 0 ||
			   strcmp(a, "--country") == 0 ||
			   strcmp(a, "--officer") == 0 ||
			   strcmp(a, "--format") == 0 ||
			   strcmp(a, "--width") == 0 || strcmp(a, "-o") == 0))
			return cli_usage(cli, cmd, "%s needs a value", a);
		if (strcmp(a, "--from") == 0) {
			st = report_parse_date(v, false, "from", &p.from,
					       &cli->err);
		} else if (strcmp(a, "--to") == 0) {
			st = report_parse_date(v, true, "to", &p.to, &cli->err);
		} else if (strcmp(a, "--agency") == 0) {
			p.agency = v;
			st = RCMS_OK;
		} else if (strcmp(a, "--country") == 0) {
			p.country = v;
			st = RCMS_OK;
		} else if (strcmp(a, "--officer") == 0) {
			p.officer = v;
			st = RCMS_OK;
		} else if (strcmp(a, "--format") == 0) {
			fmt_s = v;
			st = rcms_enum_parse(report_format_names, v, &fmt);
			if (st)
				return cli_usage(cli, cmd,
						 "unknown format '%s': use "
						 "text, csv or pdf", v);
		} else if (strcmp(a, "--width") == 0) {
			if (strcmp(v, "80") == 0)
				p.width = 80;
			else if (strcmp(v, "132") == 0)
				p.width = 132;
			else
				return cli_usage(cli, cmd, "the width is 80 "
						 "or 132 columns");
			st = RCMS_OK;
		} else if (strcmp(a, "-o") == 0 ||
			   strcmp(a, "--output") == 0) {
			out = v;
			st = RCMS_OK;
		} else {
			takes = false;
			st = RCMS_OK;
		}
		if (!takes)
			return cli_usage(cli, cmd, "unknown option '%s'", a);
		if (st)
			return cli_usage(cli, cmd, "%s",
					 rcms_err_msg(&cli->err));
		i++;
	}
	if (!name)
		return cli_usage(cli, cmd, "which report? 'rcms report --list' "
				 "names them");
	def = report_find(name);
	if (!def) {
		char names[256] = "";
		const struct report_def *defs;
		size_t n, k, len = 0;
		defs = report_list(&n);
		for (k = 0; k < n; k++)
			len += (size_t)snprintf(names + len,
						sizeof(names) - len, "%s%s",
						k ? ", " : "", defs[k].name);
		return cli_usage(cli, NULL, "unknown report '%s'; the reports "
				 "are: %s", name, names);
	}
	if (print && out)
		return cli_usage(cli, cmd, "choose -o FILE or --print, not "
				 "both");
	if (print) {
		if (fmt_s && fmt != REPORT_PDF)
			return cli_usage(cli, cmd, "--print prints the PDF; "
					 "leave out --format");
		fmt = REPORT_PDF;
	} else if (!fmt_s && out) {
		if (ends_with(out, ".pdf") || ends_with(out, ".PDF"))
			fmt = REPORT_PDF;
		else if (ends_with(out, ".csv") || ends_with(out, ".CSV"))
			fmt = REPORT_CSV;
	}
	p.now = report_now_from_env();
	/* the parameters first: a mistake costs no login */
	st = report_check(def, (enum report_format)fmt, &p, &cli->err);
	if (st) {
		if (st == RCMS_ERR_USAGE)
			return cli_usage(cli, cmd, "%s",
					 rcms_err_msg(&cli->err));
		return cli_fail(cli, st);
	}
	if (fmt == REPORT_PDF && !out && !print && isatty(STDOUT_FILENO))
		return cli_usage(cli, cmd, "a PDF is not for the terminal: "
				 "give -o FILE or --print");
	if ((rc = cli_open(cli)))
		return rc;
	/* a case's file consults the case: with a justification */
	if (def->params & REPORT_P_CASE) {
		if ((rc = cli_purpose(cli)))
			return rc;
		p.why = cli->why;
	}
	if (print) {
		st = report_print(&cli->ctx, def, &p, queue, &res, &cli->err);
		if (st)
			return cli_fail(cli, st);
		printf("%s: printed on %s as job %d (%d page%s, %lld case%s)\n",
		       def->name, res.queue, res.job, res.pages,
		       res.pages == 1 ? "" : "s", (long long)res.cases,
		       res.cases == 1 ? "" : "s");
		return 0;
	}
	if (out) {
		st = report_export(&cli->ctx, def, &p,
				   (enum report_format)fmt, out, &res,
				   &cli->err);
		if (st)
			return cli_fail(cli, st);
		if (fmt == REPORT_PDF)
			printf("%s: %d page%s, %lld case%s\n", out, res.pages,
			       res.pages == 1 ? "" : "s", (long long)res.cases,
			       res.cases == 1 ? "" : "s");
		else
			printf("%s: %lld case%s\n", out, (long long)res.cases,
			       res.cases == 1 ? "" : "s");
		return 0;
	}
	st = report_run(&cli->ctx, def, &p, (enum report_format)fmt, stdout,
			"standard output", &res, &cli->err);
	return st ? cli_fail(cli, st) : 0;
}
