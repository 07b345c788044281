// SPDX-License-Identifier: GPL-2.0-only
/* summary.c - a run's summary.json: reading, indexed lookups, the difference rule. */
#include "out/summary.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/resdir.h"

struct summary_var {
	const char *c, *v;
	size_t pos;
	json_t *var;
};

struct summary_check {
	json_t *var;
	const char *name;
	size_t pos;
	json_t *check;
};

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

json_t *summary_json(const char *buf, size_t len, const char *label, struct err *e)
{
	json_error_t je;
	json_t *j = json_loadb(buf, len, 0, &je);

	if (!j) {
		if (je.line > 0 && je.column > 0)
			err_at(e, label, (unsigned)je.line, (unsigned)je.column,
			       "not valid JSON (%s)", json_why(&je));
		else
			err_set(e, ERR_INPUT, "%s: not valid JSON (%s)", label, json_why(&je));
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		err_set(e, ERR_INPUT, "%s: not a JSON object", label);
		return NULL;
	}
	return j;
}

json_t *summary_json_at(int dirfd, const char *name, const char *label, struct err *e)
{
	size_t len;
	char *buf = resdir_read(dirfd, name, label, RESDIR_MAX_FILE, &len, e);
	json_t *j;

	if (!buf)
		return NULL;
	j = summary_json(buf, len, label, e);
	free(buf);
	return j;
}

static int var_cmp(const void *pa, const void *pb)
{
	const struct summary_var *a = pa, *b = pb;
	int r = strcmp(a->c, b->c);

	if (!r)
		r = strcmp(a->v, b->v);
	return r ? r : (a->pos > b->pos) - (a->pos < b->pos);
}

static int check_cmp(const void *pa, const void *pb)
{
	const struct summary_check *a = pa, *b = pb;
	uintptr_t x = (uintptr_t)a->var, y = (uintptr_t)b->var;
	int r = (x > y) - (x < y);

	if (!r)
		r = strcmp(a->name, b->name);
	return r ? r : (a->pos > b->pos) - (a->pos < b->pos);
}

int summary_parse(struct summary *s, const char *buf, size_t len, const char *label, struct err *e)
{
	size_t i, k, n = 0;
	json_t *v, *c;

	memset(s, 0, sizeof(*s));
	s->root = summary_json(buf, len, label, e);
	if (!s->root)
		return -1;
	s->variants = json_object_get(s->root, "variants");
	if (!json_is_array(s->variants)) {
		summary_free(s);
		return err_set(e, ERR_INPUT, "%s: no \"variants\" array: not a tcpconform summary",
		               label);
	}
	s->nvars = json_array_size(s->variants);
	json_array_foreach(s->variants, i, v) n += json_array_size(json_object_get(v, "checks"));
	s->vars = calloc(s->nvars ? s->nvars : 1, sizeof(*s->vars));
	s->checks = calloc(n ? n : 1, sizeof(*s->checks));
	if (!s->vars || !s->checks) {
		summary_free(s);
		return err_set(e, ERR_SYSTEM, "%s: out of memory for its index", label);
	}
	json_array_foreach(s->variants, i, v)
	{
		s->vars[i] =
		    (struct summary_var){summary_str(v, "case"), summary_str(v, "variant"), i, v};
		json_array_foreach(json_object_get(v, "checks"), k, c)
		{
			s->checks[s->nchecks] =
			    (struct summary_check){v, summary_str(c, "name"), s->nchecks, c};
			s->nchecks++;
		}
	}
	qsort(s->vars, s->nvars, sizeof(*s->vars), var_cmp);
	qsort(s->checks, s->nchecks, sizeof(*s->checks), check_cmp);
	return 0;
}

int summary_load_at(struct summary *s, int dirfd, const char *label, struct err *e)
{
	char path[4200];
	size_t len;
	char *buf;
	int r;

	memset(s, 0, sizeof(*s));
	snprintf(path, sizeof(path), "%.4000s/summary.json", label);
	buf = resdir_read(dirfd, "summary.json", path, RESDIR_MAX_FILE, &len, e);
	if (!buf)
		return -1;
	r = summary_parse(s, buf, len, path, e);
	free(buf);
	return r;
}

int summary_load(struct summary *s, const char *dir, struct err *e)
{
	int fd = resdir_open(dir, RESDIR_FOLLOW, e), r;

	memset(s, 0, sizeof(*s));
	if (fd < 0)
		return -1;
	r = summary_load_at(s, fd, dir, e);
	close(fd);
	return r;
}

void summary_free(struct summary *s)
{
	json_decref(s->root);
	free(s->vars);
	free(s->checks);
	memset(s, 0, sizeof(*s));
}

const char *summary_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

json_t *summary_variant(const struct summary *s, const char *c, const char *v)
{
	struct summary_var key = {c, v, 0, NULL};
	size_t lo = 0, hi = s->nvars;

	/* the first at or above (c, v, 0): the earliest of equal names */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (var_cmp(&s->vars[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->nvars && !strcmp(s->vars[lo].c, c) && !strcmp(s->vars[lo].v, v))
		return s->vars[lo].var;
	return NULL;
}

json_t *summary_check(const struct summary *s, json_t *var, const char *name)
{
	struct summary_check key = {var, name, 0, NULL};
	size_t lo = 0, hi = s->nchecks;

	if (!var)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (check_cmp(&s->checks[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->nchecks && s->checks[lo].var == var && !strcmp(s->checks[lo].name, name))
		return s->checks[lo].check;
	return NULL;
}

bool summary_check_differs(json_t *a, json_t *b)
{
	return strcmp(summary_str(a, "verdict"), summary_str(b, "verdict")) != 0 ||
	       (json_is_true(json_object_get(a, "exact")) &&
	        strcmp(summary_str(a, "observed"), summary_str(b, "observed")) != 0);
}
