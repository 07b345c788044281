// SPDX-License-Identifier: GPL-2.0-only
/*
 * diff.c - `tcpconform diff DIR_A DIR_B`: what differs between two runs
 * (two kernels, two sysctl profiles, two commits): every check whose
 * verdict differs, or whose observed value differs where the table expects
 * an exact value (times and counts judged by ranges differ from run to run
 * without any change in behaviour), and every check present in one run
 * only.  Exit 1 when anything differs, 0 when nothing does, 2 on bad input.
 */
#include "out/diff.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/text.h"
#include "out/summary.h"

/* Checks of A against B; @reverse: only report what B has and A lacks.
 * Every string printed comes from a results directory: escaped. */
static unsigned compare(FILE *out, const struct summary *a, const struct summary *b, bool reverse,
                        const char *la, const char *lb)
{
	json_t *va;
	unsigned n = 0;
	size_t i;

	json_array_foreach(a->variants, i, va)
	{
		const char *c = summary_str(va, "case"), *v = summary_str(va, "variant");
		json_t *vb = summary_variant(b, c, v), *ca;
		size_t k;

		if (summary_variant(a, c, v) != va)
			continue; /* a second variant of the same name: the first counts */
		if (!vb) {
			text_term_printf(out, "%s/%s: only in %s\n", c, v,
			                 la /* @a: B itself when @reverse */);
			n++;
			continue;
		}
		if (reverse)
			continue;
		json_array_foreach(json_object_get(va, "checks"), k, ca)
		{
			const char *name = summary_str(ca, "name");
			json_t *cb = summary_check(b, vb, name);

			if (summary_check(a, va, name) != ca)
				continue;
			if (!cb) {
				text_term_printf(out, "%s/%s %s: only in %s (%s, %s)\n", c, v, name,
				                 la, summary_str(ca, "observed"),
				                 summary_str(ca, "verdict"));
				n++;
				continue;
			}
			if (summary_check_differs(ca, cb)) {
				text_term_printf(
				    out, "%s/%s %s: %s (%s) -> %s (%s)\n", c, v, name,
				    summary_str(ca, "observed"), summary_str(ca, "verdict"),
				    summary_str(cb, "observed"), summary_str(cb, "verdict"));
				n++;
			}
		}
		json_array_foreach(json_object_get(vb, "checks"), k, ca)
		{
			const char *name = summary_str(ca, "name");

			if (summary_check(b, vb, name) == ca && !summary_check(a, va, name)) {
				text_term_printf(out, "%s/%s %s: only in %s (%s, %s)\n", c, v, name,
				                 lb, summary_str(ca, "observed"),
				                 summary_str(ca, "verdict"));
				n++;
			}
		}
	}
	return n;
}

unsigned diff_summaries(FILE *out, const struct summary *a, const struct summary *b, const char *la,
                        const char *lb)
{
	text_term_printf(out, "# %s (%s) -> %s (%s)\n", la, summary_str(a->root, "kernel"), lb,
	                 summary_str(b->root, "kernel"));
	return compare(out, a, b, false, la, lb) + compare(out, b, a, true, lb, la);
}

int diff_dirs(const char *a_dir, const char *b_dir)
{
	struct summary a, b;
	struct err e;
	unsigned n;

	if (summary_load(&a, a_dir, &e) < 0) {
		err_print(&e);
		return EXIT_USAGE;
	}
	if (summary_load(&b, b_dir, &e) < 0) {
		err_print(&e);
		summary_free(&a);
		return EXIT_USAGE;
	}
	n = diff_summaries(stdout, &a, &b, a_dir, b_dir);
	text_term_printf(stdout, "%u difference(s)\n", n);
	summary_free(&a);
	summary_free(&b);
	return n ? EXIT_UNEXPECTED : EXIT_PASS;
}
