// SPDX-License-Identifier: GPL-2.0-only
/* summary.c - a run's summary.json: lookups and the difference rule. */
#include "summary.h"

#include <stdio.h>
#include <string.h>

json_t *summary_load(const char *dir)
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

const char *summary_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

json_t *summary_variant(json_t *sum, const char *c, const char *v)
{
	json_t *x;
	size_t i;

	json_array_foreach(json_object_get(sum, "variants"), i, x)
	{
		if (!strcmp(summary_str(x, "case"), c) && !strcmp(summary_str(x, "variant"), v))
			return x;
	}
	return NULL;
}

json_t *summary_check(json_t *var, const char *name)
{
	json_t *x;
	size_t i;

	json_array_foreach(json_object_get(var, "checks"), i, x)
	{
		if (!strcmp(summary_str(x, "name"), name))
			return x;
	}
	return NULL;
}

bool summary_check_differs(json_t *a, json_t *b)
{
	return strcmp(summary_str(a, "verdict"), summary_str(b, "verdict")) != 0 ||
	       (json_is_true(json_object_get(a, "exact")) &&
	        strcmp(summary_str(a, "observed"), summary_str(b, "observed")) != 0);
}
