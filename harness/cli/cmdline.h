/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cmdline.h - the command table, each command's option table, the parser
 * that reads options from those tables and the usage printed from them,
 * and uniform command-line errors.
 *
 * Like ip(8): `tcpconform COMMAND [SUBCOMMAND] [OPTIONS]`, each command a row
 * in a table.  Like iproute2's and packetdrill's option arrays, one table
 * per command (in its cli/cmd_NAME.c) says every option once: its names,
 * its value, what it does and its default; the parser and `--help` both
 * read it, so they cannot drift apart.  A bad argument is reported as
 * "command line:1:COL: ..." where COL is the argument's column in the
 * command line as typed, and exits 2.
 */
#ifndef TC_CMDLINE_H
#define TC_CMDLINE_H

#include <stdbool.h>
#include <stdio.h>

#include "base/error.h"

/* struct opt flags */
#define OPT_OPTIONAL  1u /* the value only as --name=VALUE (GNU's --color[=WHEN]) */
#define OPT_HOST_ONLY 2u /* a run option `vm` refuses: it means nothing in a guest */

/* One option.  A table ends with an entry whose id is 0. */
struct opt {
	int id;           /* what cmdline_next() returns: the short letter, or >= 256 */
	char shrt;        /* 'j', or 0 */
	const char *lng;  /* "jobs" (without the dashes), or NULL */
	const char *arg;  /* its value's name ("N"), or NULL: a flag */
	const char *help; /* what it does */
	const char *dflt; /* printed as "(default DFLT)", or NULL */
	unsigned flags;   /* OPT_* */
};

struct cmd {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the command's own name */
	const char *args;                  /* its operands ("[CASE...]"), or "" */
	const char *help;                  /* one line */
	const struct opt *opts;            /* its options, or NULL */
	const struct opt *inherit;         /* another command's options it takes too */
	const char *inherit_from;          /* that command ("run") */
	const struct cmd *subs;            /* its subcommands (bench's), or NULL */
	const char *more;                  /* text after the options, or NULL */
};

/* Find @name in a NULL-terminated table; prefixes match when unambiguous. */
const struct cmd *cmd_find(const struct cmd *table, const char *name);
/* One line per command of @table: "  PREFIX NAME ARGS   help". */
void cmd_usage(FILE *out, const char *prefix, const struct cmd *table);
/* Command @c's usage, every option with its value and default
 * (`tcpconform PREFIX NAME --help`, `tcpconform help PREFIX NAME`). */
void cmd_help(FILE *out, const char *prefix, const struct cmd *c);
/* Whether argv (argv[0] the command) asks for --help / -h before any "--",
 * an option's value not counted. */
bool cmd_help_asked(const struct cmd *c, int argc, char **argv);

/* What cmdline_next() returns besides an option's id. */
enum { CMDLINE_END = 0, CMDLINE_HELP = -1, CMDLINE_BAD = -2 };

/* Reading one command's argv against its option tables. */
struct cmdline {
	const struct opt *opts, *inherit;
	int argc;
	char **argv;
	int i;               /* the next argument */
	int nops;            /* operands so far, moved to argv[1..nops] */
	bool ended;          /* after "--": operands only */
	const struct opt *o; /* the option just read */
	bool inherited;      /* it is one of @inherit's */
	const char *arg;     /* it as typed ("-j", "--jobs=4"), for errors */
	const char *val;     /* its value, or NULL */
	bool apart;          /* the value is the next argument ("-j 4") */
};

void cmdline_start(struct cmdline *cl, const struct opt *opts, const struct opt *inherit, int argc,
                   char **argv);
/* The next option's id (cl->o, cl->val set); CMDLINE_END when all is read
 * (the operands, in order, are argv[1..cl->nops]); CMDLINE_HELP for -h or
 * --help; CMDLINE_BAD after printing a command-line error (an unknown or
 * ambiguous option, a missing value, a value given to a flag). */
int cmdline_next(struct cmdline *cl);

/* Remember the full command line, for columns in error messages. */
void cmdline_set(int argc, char **argv);
/* The command being run ("run", "bench topology"), for "Try ... --help". */
void cmdline_command(const char *name);
/* Report @arg (a pointer into argv) as bad: prints and returns EXIT_USAGE. */
int cmdline_bad(const char *arg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parse an integer option value from @min (at least 0) to @max; returns -1
 * (after cmdline_bad). */
long cmdline_number(const char *opt, const char *arg, long min, long max);
/* The same from 1. */
long cmdline_positive(const char *opt, const char *arg, long max);

#endif
