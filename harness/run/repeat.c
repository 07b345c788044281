// SPDX-License-Identifier: GPL-2.0-only
/* repeat.c - the same run N times; verdicts that changed are flakes. */
#include "run/repeat.h"

#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "base/resdir.h"
#include "base/text.h"
#include "out/results.h"
#include "out/summary.h"

/* "case/variant" and "case/variant/check" -> verdict, of one run. */
static json_t *verdicts_of(const char *root)
{
	struct summary sum;
	struct err e;
	json_t *out = json_object(), *v;
	size_t i, k;

	if (summary_load(&sum, root, &e) < 0) {
		err_print(&e);
		return out;
	}
	json_array_foreach(sum.variants, i, v)
	{
		const char *c = json_string_value(json_object_get(v, "case"));
		const char *n = json_string_value(json_object_get(v, "variant"));
		const char *vd = json_string_value(json_object_get(v, "verdict"));
		json_t *ck;
		char key[1024];

		snprintf(key, sizeof(key), "%s/%s", c ? c : "?", n ? n : "?");
		json_object_set_new(out, key, json_string(vd ? vd : "error"));
		json_array_foreach(json_object_get(v, "checks"), k, ck)
		{
			const char *cn = json_string_value(json_object_get(ck, "name"));
			const char *cv = json_string_value(json_object_get(ck, "verdict"));
			char ckey[1400];

			snprintf(ckey, sizeof(ckey), "%s/%s", key, cn ? cn : "?");
			json_object_set_new(out, ckey, json_string(cv ? cv : "error"));
		}
	}
	summary_free(&sum);
	return out;
}

int repeat_run(const struct run_config *cfg, int n, struct run_result *res)
{
	json_t *runs = json_array(), *changes = json_object(), *first = NULL, *report;
	const char *root = res->root;
	char first_root[PATH_MAX] = "", name[300];
	int i, rc = EXIT_PASS, rc0 = EXIT_PASS;
	size_t nchanged;
	struct err e;

	for (i = 0; i < n; i++) {
		json_t *vd;
		const char *key;
		json_t *val;
		int r;

		printf("== repeat %d of %d\n", i + 1, n);
		fflush(stdout);
		r = runner_run(cfg, res);
		if (i == 0)
			rc0 = r;
		if (r == EXIT_USAGE || r == EXIT_ENV || r == 130) {
			rc = r;
			break;
		}
		json_array_append_new(runs, json_string(root));
		vd = verdicts_of(root);
		if (!first) {
			first = vd;
			snprintf(first_root, sizeof(first_root), "%s", root);
			continue;
		}
		/* Anything whose verdict differs from the first run's, either way. */
		json_object_foreach(vd, key, val)
		{
			json_t *was = json_object_get(first, key);

			if (!was || strcmp(json_string_value(was), json_string_value(val)) != 0) {
				char what[256];

				snprintf(what, sizeof(what), "run %d: %s -> %s", i + 1,
				         was ? json_string_value(was) : "absent",
				         json_string_value(val));
				if (!json_object_get(changes, key))
					json_object_set_new(changes, key, json_array());
				json_array_append_new(json_object_get(changes, key),
				                      json_string(what));
			}
		}
		json_object_foreach(first, key, val)
		{
			if (!json_object_get(vd, key)) {
				char what[256];

				snprintf(what, sizeof(what), "run %d: %s -> absent", i + 1,
				         json_string_value(val));
				if (!json_object_get(changes, key))
					json_object_set_new(changes, key, json_array());
				json_array_append_new(json_object_get(changes, key),
				                      json_string(what));
			}
		}
		json_decref(vd);
	}
	nchanged = json_object_size(changes);
	{
		const char *key;
		json_t *val;

		json_object_foreach(changes, key, val)
		{
			size_t k;
			json_t *w;

			text_term_printf(stdout, "changed: %s:", key);
			json_array_foreach(val, k, w)
			    text_term_printf(stdout, " %s%s", k ? "; " : "", json_string_value(w));
			printf("\n");
		}
	}
	printf("repeat: %zu run(s), %zu verdict(s) changed\n", json_array_size(runs), nchanged);
	report = json_object();
	json_object_set_new(report, "runs", runs);
	json_object_set_new(report, "changed", changes);
	if (first_root[0]) {
		const char *id = strrchr(first_root, '/');
		char *path;
		int fd;
		/* the run id: a plain name of at most 127 bytes (runner.c); the last
		 * component of -o DIR, which may be longer: then no report */
		bool fits = (size_t)snprintf(name, sizeof(name), "repeat-%s.json",
		                             id ? id + 1 : first_root) < sizeof(name);

		path = fits ? results_path("results", name, &e) : NULL;
		fd = path ? resdir_open("results", 0, &e) : -1;
		if (fd >= 0 && results_write_json(fd, name, path, report, 0, &e) == 0)
			printf("repeat report: %s\n", path);
		if (fd >= 0)
			close(fd);
		free(path);
	}
	json_decref(report);
	json_decref(first);
	if (rc == EXIT_PASS)
		rc = nchanged ? EXIT_UNEXPECTED : rc0;
	return rc;
}
