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

static json_t *load_summary(const char *dir)
{
	char path[4200];
	json_error_t je;
	json_t *j;

	snprintf(path, sizeof(path), "%s/summary.json", dir);
	j = json_load_file(path, 0, &je);
	if (!j)
		fprintf(stderr, "%s:%d:%d: %s\n", path, je.line, je.column, je.text);
	return j;
}

static json_t *find_variant(json_t *sum, const char *c, const char *v)
{
	json_t *vars = json_object_get(sum, "variants"), *x;
	size_t i;

	json_array_foreach(vars, i, x)
	{
		if (!strcmp(json_string_value(json_object_get(x, "case")), c) &&
		    !strcmp(json_string_value(json_object_get(x, "variant")), v))
			return x;
	}
	return NULL;
}

static json_t *find_check(json_t *var, const char *name)
{
	json_t *checks = json_object_get(var, "checks"), *x;
	size_t i;

	json_array_foreach(checks, i, x)
	{
		if (!strcmp(json_string_value(json_object_get(x, "name")), name))
			return x;
	}
	return NULL;
}

static const char *str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

/* Checks of A against B; @reverse: only report what B has and A lacks. */
static unsigned compare(json_t *a, json_t *b, bool reverse, const char *la, const char *lb)
{
	json_t *vars = json_object_get(a, "variants"), *va;
	unsigned n = 0;
	size_t i;

	json_array_foreach(vars, i, va)
	{
		const char *c = str(va, "case"), *v = str(va, "variant");
		json_t *vb = find_variant(b, c, v), *ca;
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
			const char *name = str(ca, "name");
			json_t *cb = find_check(vb, name);
			bool vd, od;

			if (!cb) {
				printf("%s/%s %s: only in %s (%s, %s)\n", c, v, name, la,
				       str(ca, "observed"), str(ca, "verdict"));
				n++;
				continue;
			}
			vd = strcmp(str(ca, "verdict"), str(cb, "verdict")) != 0;
			od = json_is_true(json_object_get(ca, "exact")) &&
			     strcmp(str(ca, "observed"), str(cb, "observed")) != 0;
			if (vd || od) {
				printf("%s/%s %s: %s (%s) -> %s (%s)\n", c, v, name,
				       str(ca, "observed"), str(ca, "verdict"), str(cb, "observed"),
				       str(cb, "verdict"));
				n++;
			}
		}
		json_array_foreach(json_object_get(vb, "checks"), k, ca)
		{
			if (!find_check(va, str(ca, "name"))) {
				printf("%s/%s %s: only in %s (%s, %s)\n", c, v, str(ca, "name"), lb,
				       str(ca, "observed"), str(ca, "verdict"));
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
	a = load_summary(argv[1]);
	b = load_summary(argv[2]);
	if (!a || !b) {
		json_decref(a);
		json_decref(b);
		return EXIT_USAGE;
	}
	printf("# %s (%s) -> %s (%s)\n", argv[1], str(a, "kernel"), argv[2], str(b, "kernel"));
	n = compare(a, b, false, argv[1], argv[2]) + compare(b, a, true, argv[2], argv[1]);
	printf("%u difference(s)\n", n);
	json_decref(a);
	json_decref(b);
	return n ? EXIT_UNEXPECTED : EXIT_PASS;
}
