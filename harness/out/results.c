// SPDX-License-Identifier: GPL-2.0-only
/* results.c - the results directory's files: names, paths, JSON in and out. */
#include "out/results.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/afile.h"
#include "base/resdir.h"

char *results_path(const char *dir, const char *name, struct err *e)
{
	size_t dlen = strlen(dir), nlen = strlen(name), n = dlen + 1 + nlen + 1;
	char *p;

	if (n > PATH_MAX) {
		err_set(e, ERR_INPUT, "%.60s...: a path longer than %d bytes", dir, PATH_MAX - 1);
		return NULL;
	}
	p = malloc(n);
	if (!p) {
		err_set(e, ERR_SYSTEM, "out of memory");
		return NULL;
	}
	memcpy(p, dir, dlen);
	p[dlen] = '/';
	memcpy(p + dlen + 1, name, nlen + 1);
	return p;
}

/* What jansson found wrong, in words of our own: its message quotes the
 * input ("near 'root'"), and the input may be any file at all. */
static const char *json_why(const json_error_t *je)
{
	switch (json_error_code(je)) {
	case json_error_out_of_memory:
		return "out of memory";
	case json_error_stack_overflow:
		return "nested too deeply";
	case json_error_invalid_utf8:
		return "not UTF-8";
	case json_error_premature_end_of_input:
		return "ends too early";
	case json_error_end_of_input_expected:
		return "text after the end";
	case json_error_null_character:
	case json_error_null_byte_in_key:
		return "a NUL character";
	case json_error_duplicate_key:
		return "a duplicate key";
	case json_error_numeric_overflow:
		return "a number out of range";
	default:
		return "a syntax error";
	}
}

json_t *results_json(const char *buf, size_t len, const char *label, struct err *e)
{
	json_error_t je;
	json_t *j = json_loadb(buf, len, 0, &je);

	if (!j) {
		/* jansson says -1 (or a column 0) where it has no position. */
		err_at(e, label, je.line > 0 ? (unsigned)je.line : 0,
		       je.line > 0 && je.column > 0 ? (unsigned)je.column : 0,
		       "not valid JSON (%s)", json_why(&je));
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		err_set(e, ERR_INPUT, "%s: not a JSON object", label);
		return NULL;
	}
	return j;
}

json_t *results_read_json(int dirfd, const char *name, const char *label, struct err *e)
{
	size_t len;
	char *buf = resdir_read(dirfd, name, label, RESDIR_MAX_FILE, &len, e);
	json_t *j;

	if (!buf)
		return NULL;
	j = results_json(buf, len, label, e);
	free(buf);
	return j;
}

int results_write_json(int dirfd, const char *name, const char *label, json_t *j, int sorted,
                       struct err *e)
{
	struct afile af;
	int r;

	if (afile_openat(&af, dirfd, name, label, e) < 0)
		return -1;
	r = json_dumpf(j, af.fp, JSON_INDENT(2) | (sorted ? JSON_SORT_KEYS : 0));
	fputc('\n', af.fp);
	if (r < 0) {
		afile_abort(&af);
		return err_set(e, ERR_SYSTEM, "%s: writing JSON failed", label ? label : name);
	}
	return afile_commit(&af, e);
}

json_t *results_read_observed(int vfd, struct err *e)
{
	return results_read_json(vfd, RESULTS_OBSERVED, RESULTS_OBSERVED, e);
}

int results_write_observed(int vfd, json_t *o, struct err *e)
{
	return results_write_json(vfd, RESULTS_OBSERVED, NULL, o, 1, e);
}

char *results_read_text(int vfd, const char *name, size_t max, size_t *len, struct err *e)
{
	return resdir_read(vfd, name, name, max, len, e);
}
