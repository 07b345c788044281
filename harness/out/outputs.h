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

/* An earlier run of a variant that was run again because it failed or
 * erred under a timer slip (runner.h RUN_RERUN_SLIP_DEFAULT): KTAP says it
 * in a diagnostic line, JUnit as Maven Surefire's rerun elements
 * (flakyFailure/flakyError when the last run passed, rerunFailure/
 * rerunError when it did not), on the check that failed first. */
struct attempt {
	enum verdict v; /* V_FAIL or V_ERROR */
	double slip_ms; /* its timer_slip_ms */
	double wall_ms;
	char check[160]; /* its first failing check, or "" (an error without one) */
	char why[512];   /* that check's "OBSERVED (expected ...)", or the error's reason */
};

struct judged_variant {
	const char *case_name;
	const char *variant;
	const char *dir; /* relative to the run directory */
	double wall_ms;
	struct judgement j;
	const struct attempt *earlier; /* its earlier runs, oldest first */
	size_t nearlier;
};

/* Each into the file @name of directory @dirfd (a run directory), atomically. */
int write_ktap(int dirfd, const char *name, const struct judged_variant *v, size_t n,
               struct err *e);
int write_junit(int dirfd, const char *name, const struct judged_variant *v, size_t n,
                const char *kernel, struct err *e);

#endif
