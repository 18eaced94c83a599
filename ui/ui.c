/* ui.c - the full-screen workstation: being built under issue 6 [tui]. */
#include "cli/cli_priv.h"

#include <stdio.h>

int cmd_ui(struct cli *cli, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "%s: the full-screen workstation is not built yet; "
		"use the commands (rcms --help)\n", cli->prog);
	return EX_UNAVAILABLE_;
}
