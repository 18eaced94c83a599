/* main.c - the rcms program: hands over to the command line. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
	return rcms_cli_main(argc, argv);
}
