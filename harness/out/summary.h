/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * summary.h - reading a run's summary.json (runner.c writes it): its
 * variants, their checks, and what counts as a difference between two
 * runs.  `tcpconform diff`, the matrix of `tcpconform report` and
 * `tcpconform profile` read runs through it; it is the one reader of
 * summary.json.
 *
 * A results directory may come from another machine (a guest VM, a CI
 * job): what it holds is untrusted.  Files are read as resdir.h reads
 * them (no link followed, regular files only, bounded size); a file that
 * is not valid JSON is reported by its position alone, never by quoting
 * it; and lookups by name go through an index built on load, so that the
 * work stays O(n log n) in the number of variants and checks.
 */
#ifndef TC_SUMMARY_H
#define TC_SUMMARY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

struct summary_var;
struct summary_check;

struct summary {
	json_t *root;     /* the whole file */
	json_t *variants; /* its "variants" array (borrowed from root) */
	struct summary_var *vars;
	size_t nvars;
	struct summary_check *checks;
	size_t nchecks;
};

/* DIR/summary.json (DIR may be a link: results/latest), indexed. */
int summary_load(struct summary *s, const char *dir, struct err *e);
/* summary.json of the open run directory @dirfd; @label: DIR, for messages. */
int summary_load_at(struct summary *s, int dirfd, const char *label, struct err *e);
/* A summary from a buffer holding summary.json (what both of the above
 * read), named @label in messages. */
int summary_parse(struct summary *s, const char *buf, size_t len, const char *label, struct err *e);
void summary_free(struct summary *s);

/* A string member, "" when absent. */
const char *summary_str(json_t *o, const char *key);

/* The first variant of case @c named @v, or NULL. */
json_t *summary_variant(const struct summary *s, const char *c, const char *v);

/* The first check @name of variant @var (a variant of @s; NULL-safe), or NULL. */
json_t *summary_check(const struct summary *s, json_t *var, const char *name);

/* Whether one check of two runs shows another behaviour: another verdict,
 * or another observed value where its row expects an exact one (times and
 * counts judged by ranges vary from run to run without any change). */
bool summary_check_differs(json_t *a, json_t *b);

#endif
