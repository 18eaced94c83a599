/* report.c - reports for supervisors: being built under issue 7
 * [reports]. */
#include "cli/cli_priv.h"

#include <stdio.h>

int cmd_report(struct cli *cli, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "%s: reports are not built yet\n", cli->prog);
	return EX_UNAVAILABLE_;
}
