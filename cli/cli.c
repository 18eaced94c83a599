/* cli.c - placeholder until the command table lands. */
#include "cli/cli.h"

#include <stdio.h>

int rcms_cli_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	puts("rcms " RCMS_VERSION);
	return 0;
}
