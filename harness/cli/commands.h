/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * commands.h - the commands main.c's table names, one file each
 * (cli/cmd_NAME.c): each parses its own options, prints its usage and its
 * command-line errors, fills the engine's configuration struct and calls
 * the engine.  argv[0] is the command's own name.
 */
#ifndef TC_COMMANDS_H
#define TC_COMMANDS_H

int cmd_run(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_vm(int argc, char **argv);
int cmd_guest_send(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_bench(int argc, char **argv);

#endif
