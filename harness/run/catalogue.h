/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * catalogue.h - finding case files: `tcpconform run|list|check [CASE...]`.
 *
 * Arguments are case files (cases/x.case), case names (x) or shell globs
 * over names (tw-*); none means every case.  Cases live in ./cases when it
 * exists, else in the installed share directory (base/paths.h: the one of
 * the binary's own install first); TCPCONFORM_CASES overrides.
 */
#ifndef TC_CATALOGUE_H
#define TC_CATALOGUE_H

#include <stddef.h>

#include "base/error.h"

struct catalogue {
	char **paths; /* sorted, unique */
	size_t n;
	char dir[4096];
	const char *bad; /* after a failure: the argument that matched nothing, or NULL */
};

/* The cases @args name; -1 and @e when one names none (c->bad: that one). */
int catalogue_find(struct catalogue *c, char **args, int nargs, struct err *e);
void catalogue_free(struct catalogue *c);
/* Where case @name's table is: TCPCONFORM_FIXTURES, else the fixtures
 * directory beside the cases directory. */
void catalogue_table_path(const struct catalogue *c, const char *name, char *out, size_t len);
/* fixtures/@rel beside the cases (or under $TCPCONFORM_FIXTURES); -1 when
 * the path does not fit. */
int catalogue_fixture_path(const struct catalogue *c, const char *rel, char *out, size_t len);
/* The same for the cases directory catalogue_find() would read, without
 * reading it (`tcpconform coverage`'s fixtures/coverage files). */
int catalogue_default_fixture(const char *rel, char *out, size_t len);

#endif
