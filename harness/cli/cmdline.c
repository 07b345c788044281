// SPDX-License-Identifier: GPL-2.0-only
/* cmdline.c - command and option tables, the parser and the usage that
 * both read them, and command-line errors with their column. */
#include "cli/cmdline.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int saved_argc;
static char **saved_argv;
/* The order as typed: the parser moves operands within argv, and the
 * columns are those of the command line as typed. */
static char *typed[256];
static const char *command;

void cmdline_set(int argc, char **argv)
{
	int i;

	saved_argc = argc;
	saved_argv = argv;
	if (argc <= (int)(sizeof(typed) / sizeof(typed[0]))) {
		for (i = 0; i < argc; i++)
			typed[i] = argv[i];
		saved_argv = typed;
	}
}

void cmdline_command(const char *name)
{
	command = name;
}

static unsigned column_of(const char *arg)
{
	unsigned col = 1;
	int i;

	for (i = 0; i < saved_argc; i++) {
		size_t len = strlen(saved_argv[i]);

		if (arg >= saved_argv[i] && arg <= saved_argv[i] + len)
			return col + (unsigned)(arg - saved_argv[i]);
		col += (unsigned)len + 1;
	}
	return 1;
}

int cmdline_bad(const char *arg, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "command line:1:%u: %s\n", column_of(arg), msg);
	fprintf(stderr, "Try 'tcpconform %s%s--help'.\n", command ? command : "",
	        command ? " " : "");
	return EXIT_USAGE;
}

long cmdline_number(const char *opt, const char *arg, long min, long max)
{
	char *end;
	long v;

	if (!arg) {
		cmdline_bad(opt, "%s needs a value", opt);
		return -1;
	}
	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > max) {
		cmdline_bad(arg, "%s: '%s' is not a number from %ld to %ld", opt, arg, min, max);
		return -1;
	}
	return v;
}

long cmdline_positive(const char *opt, const char *arg, long max)
{
	return cmdline_number(opt, arg, 1, max);
}

const struct cmd *cmd_find(const struct cmd *table, const char *name)
{
	const struct cmd *c, *found = NULL;
	size_t n = strlen(name);

	for (c = table; c->name; c++) {
		if (strcmp(c->name, name) == 0)
			return c;
		if (n && strncmp(c->name, name, n) == 0) {
			if (found)
				return NULL; /* ambiguous */
			found = c;
		}
	}
	return found;
}

/* ---- the usage ---- */

/* -h, --help: every command has it, and no table says it again. */
static const struct opt help_opt[] = {
    {CMDLINE_HELP, 'h', "help", NULL, "print this help and do nothing else", NULL, 0},
    {0, 0, NULL, NULL, NULL, NULL, 0},
};

/* The help column starts here; a longer left part puts it on a line of its
 * own.  Help is wrapped at WIDTH columns, at spaces. */
#define HELP_COL 28
#define WIDTH    80
#define NBSP     '\001' /* in "(default X)": a space never broken */

/* @text from the current column @at, wrapped at WIDTH with lines after
 * the first indented to @at. */
static void wrap(FILE *out, const char *s, int at)
{
	while (*s) {
		size_t room = (size_t)(WIDTH - at), len = strlen(s);

		if (len > room) {
			size_t cut = room;

			while (cut > 0 && s[cut] != ' ')
				cut--;
			len = cut ? cut : strcspn(s, " ");
		}
		for (size_t i = 0; i < len; i++)
			fputc(s[i] == NBSP ? ' ' : s[i], out);
		fputc('\n', out);
		s += len;
		s += strspn(s, " ");
		if (*s)
			fprintf(out, "%*s", at, "");
	}
}

static void two_columns(FILE *out, const char *left, const char *help)
{
	int n = fprintf(out, "  %s", left);

	if (n > HELP_COL - 2)
		fprintf(out, "\n%*s", HELP_COL, "");
	else
		fprintf(out, "%*s", HELP_COL - n, "");
	wrap(out, help, HELP_COL);
}

static void opt_lines(FILE *out, const struct opt *o, bool skip_host_only)
{
	for (; o && o->id; o++) {
		char left[128], help[512];
		int n = 0;

		if (skip_host_only && (o->flags & OPT_HOST_ONLY))
			continue;
		if (o->shrt)
			n += snprintf(left + n, sizeof(left) - (size_t)n, "-%c%s", o->shrt,
			              o->lng ? ", " : "");
		else
			n += snprintf(left + n, sizeof(left) - (size_t)n, "    ");
		if (o->lng)
			n += snprintf(left + n, sizeof(left) - (size_t)n, "--%s", o->lng);
		if (o->arg)
			snprintf(left + n, sizeof(left) - (size_t)n,
			         (o->flags & OPT_OPTIONAL) ? "[=%s]" : " %s", o->arg);
		snprintf(help, sizeof(help), "%s%s%s%s", o->help, o->dflt ? " (default\001" : "",
		         o->dflt ? o->dflt : "", o->dflt ? ")" : "");
		two_columns(out, left, help);
	}
}

static const char *operands(const struct cmd *c)
{
	return c->args ? c->args : "";
}

void cmd_usage(FILE *out, const char *prefix, const struct cmd *table)
{
	const struct cmd *c;

	/* The synopsis whole on its line, what it does below it. */
	for (c = table; c->name; c++) {
		fprintf(out, "  %s%s%s%s%s%s%s\n      ", prefix, *prefix ? " " : "", c->name,
		        c->subs ? " COMMAND" : "", c->opts || c->inherit ? " [OPTION...]" : "",
		        *operands(c) ? " " : "", operands(c));
		wrap(out, c->help, 6);
	}
}

void cmd_help(FILE *out, const char *prefix, const struct cmd *c)
{
	fprintf(out, "usage: %s %s%s [OPTION...]%s%s\n\n%s\n", prefix, c->name,
	        c->subs ? " COMMAND" : "", *operands(c) ? " " : "", operands(c), c->help);
	if (c->subs) {
		char p[256];

		snprintf(p, sizeof(p), "%s %s", prefix, c->name);
		fprintf(out, "\ncommands (each with --help):\n");
		cmd_usage(out, p, c->subs);
	}
	fprintf(out, "\noptions:\n");
	opt_lines(out, c->opts, false);
	opt_lines(out, help_opt, false);
	if (c->inherit) {
		fprintf(out, "\n%s options, checked here and passed on:\n", c->inherit_from);
		opt_lines(out, c->inherit, true);
	}
	if (c->more)
		fprintf(out, "\n%s", c->more);
}

/* ---- the parser ---- */

/* Whether @t has an option named exactly @name (@len bytes). */
static bool has_long(const struct opt *t, const char *name, size_t len)
{
	for (; t && t->id; t++)
		if (t->lng && strlen(t->lng) == len && strncmp(t->lng, name, len) == 0)
			return true;
	return false;
}

/* What argument @a is among the tables: its option (*inherited when from
 * the second table, which the first shadows), or NULL: unknown, or a
 * prefix of several long names (*ambiguous). */
static const struct opt *lookup(const struct cmdline *cl, const char *a, bool *inherited,
                                bool *ambiguous)
{
	const struct opt *tabs[3] = {cl->opts, cl->inherit, help_opt}, *o, *hit = NULL;
	int t, hit_t = 0, hits = 0;

	*inherited = false;
	*ambiguous = false;
	if (a[1] == '-') {
		const char *name = a + 2;
		size_t len = strcspn(name, "=");

		for (t = 0; t < 3; t++) {
			for (o = tabs[t]; o && o->id; o++) {
				if (!o->lng || strncmp(o->lng, name, len) != 0 ||
				    (t == 1 && has_long(cl->opts, o->lng, strlen(o->lng))))
					continue;
				if (strlen(o->lng) == len) {
					*inherited = t == 1;
					return o;
				}
				hit = o;
				hit_t = t;
				hits++;
			}
		}
		if (len == 0 || hits != 1) {
			*ambiguous = len > 0 && hits > 1;
			return NULL;
		}
		*inherited = hit_t == 1;
		return hit;
	}
	for (t = 0; t < 3; t++) {
		for (o = tabs[t]; o && o->id; o++) {
			if (o->shrt && o->shrt == a[1]) {
				*inherited = t == 1;
				return o;
			}
		}
	}
	return NULL;
}

void cmdline_start(struct cmdline *cl, const struct opt *opts, const struct opt *inherit, int argc,
                   char **argv)
{
	memset(cl, 0, sizeof(*cl));
	cl->opts = opts;
	cl->inherit = inherit;
	cl->argc = argc;
	cl->argv = argv;
	cl->i = 1;
}

int cmdline_next(struct cmdline *cl)
{
	while (cl->i < cl->argc) {
		char *a = cl->argv[cl->i++];
		const struct opt *o;
		bool amb;

		if (cl->ended || a[0] != '-' || a[1] == '\0') {
			cl->argv[++cl->nops] = a; /* an operand ("-" too) */
			continue;
		}
		if (strcmp(a, "--") == 0) {
			cl->ended = true;
			continue;
		}
		o = lookup(cl, a, &cl->inherited, &amb);
		cl->o = o;
		cl->arg = a;
		cl->val = NULL;
		cl->apart = false;
		if (!o) {
			int len = a[1] == '-' ? (int)strcspn(a, "=") : 2;

			cmdline_bad(a, "%s option '%.*s'", amb ? "ambiguous" : "unknown", len, a);
			return CMDLINE_BAD;
		}
		if (a[1] == '-') {
			const char *eq = strchr(a, '=');

			if (eq && !o->arg) {
				cmdline_bad(eq, "--%s takes no value", o->lng);
				return CMDLINE_BAD;
			}
			if (eq)
				cl->val = eq + 1;
		} else if (a[2]) {
			if (!o->arg) {
				cmdline_bad(a, "unknown option '%s'", a);
				return CMDLINE_BAD;
			}
			cl->val = a + 2; /* -j4 */
		}
		if (o->arg && !cl->val && !(o->flags & OPT_OPTIONAL)) {
			if (cl->i >= cl->argc) {
				/* named in full: "--jo" is --jobs */
				if (a[1] == '-')
					cmdline_bad(a, "--%s needs a value", o->lng);
				else
					cmdline_bad(a, "-%c needs a value", o->shrt);
				return CMDLINE_BAD;
			}
			cl->val = cl->argv[cl->i++];
			cl->apart = true;
		}
		return o->id;
	}
	return CMDLINE_END;
}

bool cmd_help_asked(const struct cmd *c, int argc, char **argv)
{
	struct cmdline cl;

	cmdline_start(&cl, c->opts, c->inherit, argc, argv);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct opt *o;
		bool inh, amb;

		if (strcmp(a, "--") == 0)
			return false;
		if (a[0] != '-' || a[1] == '\0')
			continue;
		o = lookup(&cl, a, &inh, &amb);
		if (!o)
			continue;
		if (o->id == CMDLINE_HELP)
			return true;
		/* "-o -h": -h is -o's value */
		if (o->arg && !(o->flags & OPT_OPTIONAL) && !strchr(a, '=') &&
		    (a[1] == '-' || !a[2]))
			i++;
	}
	return false;
}
