// SPDX-License-Identifier: GPL-2.0-only
/* gcov.c - line counts of a kernel file from gcov(1)'s JSON. */
#include "bench/gcov.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/spawn.h"

#define GCOV_TIMEOUT_MS (120 * 1000) /* tcp_input.c: under a second here */

static bool names_file(const char *path, const char *file)
{
	size_t lp = strlen(path), lf = strlen(file);

	if (lp == lf)
		return strcmp(path, file) == 0;
	return lp > lf && path[lp - lf - 1] == '/' && strcmp(path + lp - lf, file) == 0;
}

int gcov_parse(const char *json, size_t len, const char *name, const char *file,
               struct gcov_lines *out, struct err *e)
{
	json_error_t je;
	json_t *root = json_loadb(json, len, 0, &je), *files, *f, *lines = NULL, *fns = NULL, *l;
	size_t i;
	unsigned max = 0;

	memset(out, 0, sizeof(*out));
	if (!root)
		return err_set(e, ERR_INPUT, "%s:%d:%d: %s", name, je.line, je.column, je.text);
	files = json_object_get(root, "files");
	json_array_foreach(files, i, f)
	{
		const char *fn = json_string_value(json_object_get(f, "file"));

		if (fn && names_file(fn, file)) {
			lines = json_object_get(f, "lines");
			fns = json_object_get(f, "functions");
			break;
		}
	}
	if (!json_is_array(lines)) {
		json_decref(root);
		return err_set(e, ERR_INPUT, "%s: gcov says nothing of %s", name, file);
	}
	json_array_foreach(lines, i, l)
	{
		json_int_t ln = json_integer_value(json_object_get(l, "line_number"));

		if (ln <= 0 || ln >= (json_int_t)GCOV_MAX_LINE) {
			json_decref(root);
			return err_set(e, ERR_INPUT, "%s: line number %lld out of 1..%u", name,
			               (long long)ln, GCOV_MAX_LINE - 1);
		}
		if ((unsigned)ln > max)
			max = (unsigned)ln;
	}
	out->n = max + 1;
	out->count = malloc(out->n * sizeof(*out->count));
	if (!out->count) {
		json_decref(root);
		out->n = 0;
		return err_set(e, ERR_SYSTEM, "out of memory");
	}
	for (unsigned k = 0; k < out->n; k++)
		out->count[k] = GCOV_NO_CODE;
	json_array_foreach(lines, i, l)
	{
		unsigned ln = (unsigned)json_integer_value(json_object_get(l, "line_number"));
		json_int_t c = json_integer_value(json_object_get(l, "count"));

		if (c < 0)
			c = 0;
		if (out->count[ln] == GCOV_NO_CODE)
			out->count[ln] = 0;
		if (out->count[ln] <= LONG_MAX - (long)c)
			out->count[ln] += (long)c;
	}
	if (json_array_size(fns)) {
		out->fn = calloc(json_array_size(fns), sizeof(*out->fn));
		if (!out->fn) {
			json_decref(root);
			gcov_lines_free(out);
			return err_set(e, ERR_SYSTEM, "out of memory");
		}
	}
	json_array_foreach(fns, i, l)
	{
		const char *fn = json_string_value(json_object_get(l, "name"));
		json_int_t a = json_integer_value(json_object_get(l, "start_line")),
		           b = json_integer_value(json_object_get(l, "end_line"));

		if (!fn || a <= 0 || b < a || b >= (json_int_t)GCOV_MAX_LINE)
			continue;
		snprintf(out->fn[out->nfn].name, sizeof(out->fn[0].name), "%s", fn);
		out->fn[out->nfn].start = (unsigned)a;
		out->fn[out->nfn].end = (unsigned)b;
		out->nfn++;
	}
	json_decref(root);
	return 0;
}

bool gcov_function_lines(const struct gcov_lines *l, const char *name, unsigned *code,
                         unsigned *run)
{
	*code = *run = 0;
	for (size_t i = 0; i < l->nfn; i++) {
		if (strcmp(l->fn[i].name, name) != 0)
			continue;
		for (unsigned ln = l->fn[i].start; ln <= l->fn[i].end; ln++) {
			long c = gcov_count(l, ln);

			*code += c != GCOV_NO_CODE;
			*run += c > 0;
		}
		return true;
	}
	return false;
}

long gcov_count(const struct gcov_lines *l, unsigned line)
{
	return line < l->n ? l->count[line] : GCOV_NO_CODE;
}

void gcov_lines_free(struct gcov_lines *l)
{
	free(l->count);
	free(l->fn);
	memset(l, 0, sizeof(*l));
}

/* @work/@base.@ext -> @target */
static int link_in(const char *work, const char *base, const char *ext, const char *target,
                   struct err *e)
{
	char p[PATH_MAX];

	if (snprintf(p, sizeof(p), "%s/%s%s", work, base, ext) >= (int)sizeof(p))
		return err_set(e, ERR_INPUT, "%s: path too long", work);
	if (access(target, R_OK) < 0)
		return err_sys(e, "%s", target);
	if (unlink(p) < 0 && errno != ENOENT)
		return err_sys(e, "removing %s", p);
	if (symlink(target, p) < 0)
		return err_sys(e, "linking %s", p);
	return 0;
}

int gcov_run(const char *src, const char *gcno, const char *gcda, const char *work,
             struct gcov_lines *out, struct err *e)
{
	const char *slash = strrchr(src, '/'), *file = slash ? slash + 1 : src;
	const char *argv[] = {"gcov", "--json-format", "--stdout", "--object-directory", work, src,
	                      NULL};
	char base[256], last[256];
	struct spawn_out so = {0};
	size_t bl = strlen(file);
	int rc;

	if (bl < 3 || bl >= sizeof(base) || strcmp(file + bl - 2, ".c") != 0)
		return err_set(e, ERR_INPUT, "%s: not a C file", src);
	memcpy(base, file, bl - 2);
	base[bl - 2] = '\0';
	if (link_in(work, base, ".gcno", gcno, e) < 0 || link_in(work, base, ".gcda", gcda, e) < 0)
		return -1;
	rc = spawn_run(argv, work, GCOV_TIMEOUT_MS, &so, 0, e);
	if (rc < 0)
		return -1;
	if (rc != 0) {
		spawn_last_line(&so, last, sizeof(last));
		spawn_out_free(&so);
		return err_set(e, ERR_ENV, "gcov %s exited %d%s%s", src, rc, last[0] ? ": " : "",
		               last);
	}
	rc = gcov_parse(so.data, so.len, "gcov's output", file, out, e);
	spawn_out_free(&so);
	return rc;
}
