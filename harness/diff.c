// SPDX-License-Identifier: GPL-2.0-only
/*
 * diff.c - `tcpconform diff DIR_A DIR_B`: what differs between two runs
 * (two kernels, two sysctl profiles, two commits): every check whose
 * verdict differs, or whose observed value differs where the table expects
 * an exact value (times and counts judged by ranges differ from run to run
 * without any change in behaviour), and every check present in one run
 * only.  Exit 1 when anything differs, 0 when nothing does, 2 on bad input.
 */
#include "diff.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmdline.h"
#include "error.h"
#include "summary.h"

/* Checks of A against B; @reverse: only report what B has and A lacks. */
static unsigned compare(json_t *a, json_t *b, bool reverse, const char *la, const char *lb)
{
	json_t *vars = json_object_get(a, "variants"), *va;
	unsigned n = 0;
	size_t i;

	json_array_foreach(vars, i, va)
	{
		const char *c = summary_str(va, "case"), *v = summary_str(va, "variant");
		json_t *vb = summary_variant(b, c, v), *ca;
		size_t k;

		if (!vb) {
			printf("%s/%s: only in %s\n", c, v, reverse ? lb : la);
			n++;
			continue;
		}
		if (reverse)
			continue;
		json_array_foreach(json_object_get(va, "checks"), k, ca)
		{
			const char *name = summary_str(ca, "name");
			json_t *cb = summary_check(vb, name);

			if (!cb) {
				printf("%s/%s %s: only in %s (%s, %s)\n", c, v, name, la,
				       summary_str(ca, "observed"), summary_str(ca, "verdict"));
				n++;
				continue;
			}
			if (summary_check_differs(ca, cb)) {
				printf("%s/%s %s: %s (%s) -> %s (%s)\n", c, v, name,
				       summary_str(ca, "observed"), summary_str(ca, "verdict"),
				       summary_str(cb, "observed"), summary_str(cb, "verdict"));
				n++;
			}
		}
		json_array_foreach(json_object_get(vb, "checks"), k, ca)
		{
			if (!summary_check(va, summary_str(ca, "name"))) {
				printf("%s/%s %s: only in %s (%s, %s)\n", c, v,
				       summary_str(ca, "name"), lb, summary_str(ca, "observed"),
				       summary_str(ca, "verdict"));
				n++;
			}
		}
	}
	return n;
}

int cmd_diff(int argc, char **argv)
{
	json_t *a, *b;
	unsigned n;

	if (argc != 3)
		return argc < 3 ? cmdline_bad(argv[argc - 1], "diff needs two result directories")
		                : cmdline_bad(argv[3], "diff takes two result directories");
	a = summary_load(argv[1]);
	b = summary_load(argv[2]);
	if (!a || !b) {
		json_decref(a);
		json_decref(b);
		return EXIT_USAGE;
	}
	printf("# %s (%s) -> %s (%s)\n", argv[1], summary_str(a, "kernel"), argv[2],
	       summary_str(b, "kernel"));
	n = compare(a, b, false, argv[1], argv[2]) + compare(b, a, true, argv[2], argv[1]);
	printf("%u difference(s)\n", n);
	json_decref(a);
	json_decref(b);
	return n ? EXIT_UNEXPECTED : EXIT_PASS;
}
