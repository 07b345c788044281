/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * profile.h - sysctl profiles: an operator's tuning as they deploy it (a
 * sysctl.conf, /etc/sysctl.d-style directories, the output of `sysctl -a`,
 * several of them at once), in sysctl.conf syntax (model/sysctl_conf.h),
 * applied inside the endpoint namespaces of every variant.
 *
 * Loading: files are read in the order given, later settings winning;
 * a directory is read as sysctl.d(5) reads one (its *.conf files in
 * lexical order); the system's configuration (profile_inputs.system) is
 * systemd-sysctl's: /etc/sysctl.d, /run/sysctl.d, /usr/local/lib/sysctl.d
 * and /usr/lib/sysctl.d merged by file name, a name in an earlier
 * directory hiding the same name in later ones, a link to /dev/null
 * masking it, all names in lexical order.
 *
 * Checking (profile_check()): the kernel is asked, in a throwaway
 * namespace, about every setting that survived; each ends in one state:
 * applied (per network namespace), or not, and why: not a network setting,
 * global on this kernel (with where the kernel registers it and which cases
 * its host value could change), an interface only the host has, absent
 * (removed in which release, or unknown), read-only in a namespace, a
 * value the kernel rejects, a write that would reach the host, no setting
 * at all (a syntax problem), overridden by a later setting.  With @strict
 * the first line not applied (a '-' line aside) is an error at
 * file:line:col, exit 2.  The host's own values are only ever read.
 */
#ifndef TC_PROFILE_H
#define TC_PROFILE_H

#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/error.h"
#include "model/scenario.h"
#include "model/sysctl_conf.h"
#include "model/sysctl_facts.h"

/* Bounds on what a profile may hold (README "Threat model"). */
#define PROFILE_MAX_LINES 16384 /* settings over all its files */
#define PROFILE_MAX_FILES 1024  /* files over all its inputs */
#define PROFILE_FILE_MAX  (1 << 20)

enum pstate {
	PS_APPLIED,    /* per network namespace: applied in the endpoints */
	PS_OVERRIDDEN, /* a later setting of the same key wins */
	PS_EXCLUDE,    /* "-KEY": keeps KEY out of the globs (a directive) */
	PS_SYNTAX,     /* no setting: a problem with the line */
	PS_NOT_NET,    /* kernel.*, vm.*, fs.*: no network namespace has its own */
	PS_GLOBAL,     /* net.*, but global on this kernel */
	PS_READONLY,   /* shown in a namespace, read-only there */
	PS_INTERFACE,  /* an interface of the host the endpoints do not have */
	PS_ABSENT,     /* this kernel has no such key (removed, or unknown) */
	PS_REJECTED,   /* the kernel refuses the value */
	PS_HOST,       /* its write would reach the host */
	PS_NO_MATCH,   /* a glob that matches no key of a test namespace */
	PS_NSTATES
};

struct profile_line {
	struct sysctl_entry l; /* as parsed: file, line, columns, side, key, value */
	enum pstate state;
	char note[640];                     /* why it is not applied, or what overrides it */
	char def[SYSCTL_VALUE_MAX];         /* applied: the value a new namespace starts with */
	unsigned matches;                   /* an applied glob: keys it sets in a new namespace */
	const struct sysctl_global *global; /* PS_GLOBAL: what tcpconform knows of it */
	char *skip; /* an applied glob: the keys kept out of it ('\n'-separated) */
};

struct profile_file {
	char path[PATH_MAX];
	char note[PATH_MAX + 64]; /* "" when read; else why not (hidden, masked) */
};

struct profile {
	char file[512]; /* the inputs, as one label ("web.conf", "--system") */
	struct profile_file *files;
	size_t nfiles;
	struct profile_line *lines;
	size_t n;
	bool strict;
};

/* What to load: paths (files or directories, in order), and/or the
 * system's configuration under @root ("" or NULL: /). */
struct profile_inputs {
	const char *const *paths;
	size_t npaths;
	bool system;
	const char *root;
};

int profile_load_inputs(const struct profile_inputs *in, struct profile *pr, struct err *e);
/* One file or directory. */
int profile_load(const char *path, struct profile *pr, struct err *e);
/* One text already in memory (tests, fuzzing); @file names it. */
int profile_parse(const char *text, size_t len, const char *file, struct profile *pr,
                  struct err *e);
void profile_free(struct profile *pr);
/* "FILE:LINE" of @l. */
const char *profile_where(const struct profile *pr, const struct profile_line *l, char *buf,
                          size_t len);
/* Settings a state counts. */
size_t profile_count(const struct profile *pr, enum pstate s);
const char *pstate_name(enum pstate s);

/* Ask the kernel about every setting (see above).  ERR_INPUT at
 * file:line:col when @pr->strict and a line is not applied; ERR_ENV when
 * no namespace can be made to ask in. */
int profile_check(struct profile *pr, struct err *e);
/* --strict's rule alone: the first line not applied (but a '-' line), as an
 * error at its file:line:col; 0 when every line is applied.  After
 * parsing, syntax problems and keys outside net.* are known already. */
int profile_strict(const struct profile *pr, struct err *e);

/* The same keys and sides at the values a new namespace starts with: the
 * kernel's defaults, the baseline a profile is compared with. */
int profile_defaults(const struct profile *pr, struct profile *out, struct err *e);

/* Make @sc run under @pr: every applied line is written after the case's
 * own sysctls and axes, so it wins, except where the case holds the key as
 * a premise (a "sysctl" line, a "vary premise" axis): there the case's
 * value stays.  An axis over a key the profile sets (on the axis' side)
 * collapses to the profile's value and leaves the variant names, as does a
 * "sysctl axis" line.  What happened to each key is in sc->notes. */
int profile_apply(const struct profile *pr, struct scenario *sc, struct err *e);

/* The profile for summary.json and profile.json: its files and, per line,
 * where, side, key, value, state, why. */
json_t *profile_json(const struct profile *pr);
/* Each line not applied, "FILE:LINE: KEY: why", one a line. */
void profile_print_unapplied(const struct profile *pr, FILE *f);

#endif
