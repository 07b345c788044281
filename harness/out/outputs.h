/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * outputs.h - a run's judged results, written for machines: results.ktap
 * (Documentation/dev-tools/ktap.rst: cases as subtests, variants below them,
 * checks below those, two spaces per level, SKIP/XFAIL/ERROR directives,
 * diagnostics for failures) and junit.xml (one testsuite per case, one
 * testcase per check; times in seconds: a testsuite the wall time of its
 * case's variants, a testcase its share of its variant's, <testsuites> the
 * sum).
 */
#ifndef TC_OUTPUTS_H
#define TC_OUTPUTS_H

#include <stddef.h>

#include "base/error.h"
#include "model/verdict.h"

struct judged_variant {
	const char *case_name;
	const char *variant;
	const char *dir; /* relative to the run directory */
	double wall_ms;
	struct judgement j;
};

/* Each into the file @name of directory @dirfd (a run directory), atomically. */
int write_ktap(int dirfd, const char *name, const struct judged_variant *v, size_t n,
               struct err *e);
int write_junit(int dirfd, const char *name, const struct judged_variant *v, size_t n,
                const char *kernel, struct err *e);

#endif
