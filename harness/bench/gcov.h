/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gcov.h - how often each line of a kernel file ran, from the counters of
 * a kernel built with gcov (Documentation/dev-tools/gcov.rst) and the
 * compiler's own gcov(1) reading them (`gcov --json-format --stdout`).
 *
 * For `tcpconform bench reach`: which mutation points the catalogue
 * executes at all.  Counts come from an optimised build (the kernel's -O2):
 * gcov's line counts are exact for zero versus not zero where a line keeps
 * code of its own, and a line whose code the compiler merged into another
 * has no record at all (GCOV_NO_CODE), which is said as such, never taken
 * for "not reached".
 */
#ifndef TC_GCOV_H
#define TC_GCOV_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

#define GCOV_NO_CODE  (-1L)
#define GCOV_MAX_LINE 100000u /* a kernel file: tcp_input.c has ~7000 */

struct gcov_function {
	char name[64];
	unsigned start, end; /* its lines */
};

struct gcov_lines {
	long *count;              /* [line]: executions, or GCOV_NO_CODE; index 0 unused */
	unsigned n;               /* lines + 1 */
	struct gcov_function *fn; /* the file's functions that have code */
	size_t nfn;
};

/* Parse gcov's JSON (format of GCC 9 and later) for the source file whose
 * name ends with "/@file" (or is @file), summing a line's records (a line
 * inlined into several functions has one per copy).  @name is the JSON's
 * origin for messages.  An absent file is ERR_INPUT naming it. */
int gcov_parse(const char *json, size_t len, const char *name, const char *file,
               struct gcov_lines *out, struct err *e);

/* Run gcov(1) on @src (the tree's file, absolute) with @gcno and @gcda
 * (the build's notes and the guest's counters), copied into @work (a fresh
 * directory of the caller's, where gcov runs), and parse its output. */
int gcov_run(const char *src, const char *gcno, const char *gcda, const char *work,
             struct gcov_lines *out, struct err *e);

/* The count of @line: GCOV_NO_CODE beyond the file's end. */
long gcov_count(const struct gcov_lines *l, unsigned line);

/* Lines of function @name with code (*code) and executed (*run); false
 * when gcov names no such function (inlined everywhere: no code of its
 * own). */
bool gcov_function_lines(const struct gcov_lines *l, const char *name, unsigned *code,
                         unsigned *run);

void gcov_lines_free(struct gcov_lines *l);

#endif
