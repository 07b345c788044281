/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * summary.h - reading a run's summary.json (runner.c writes it): its
 * variants, their checks, and what counts as a difference between two
 * runs.  `tcpconform diff`, the matrix of `tcpconform report` and
 * `tcpconform profile` read runs through it.
 */
#ifndef TC_SUMMARY_H
#define TC_SUMMARY_H

#include <jansson.h>
#include <stdbool.h>

/* DIR/summary.json, or NULL after "path:line:col: message" on stderr. */
json_t *summary_load(const char *dir);

/* A string member, "" when absent. */
const char *summary_str(json_t *o, const char *key);

/* The variant of case @c named @v, or NULL. */
json_t *summary_variant(json_t *sum, const char *c, const char *v);

/* The check @name of a variant (NULL-safe), or NULL. */
json_t *summary_check(json_t *var, const char *name);

/* Whether one check of two runs shows another behaviour: another verdict,
 * or another observed value where its row expects an exact one (times and
 * counts judged by ranges vary from run to run without any change). */
bool summary_check_differs(json_t *a, json_t *b);

#endif
