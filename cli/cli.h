/*
 * cli.h - the rcms command line: the composition root.
 */
#ifndef RCMS_CLI_CLI_H
#define RCMS_CLI_CLI_H

/* Run the command line; returns the process's exit code (sysexits). */
int rcms_cli_main(int argc, char **argv);

#endif
