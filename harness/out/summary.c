// SPDX-License-Identifier: GPL-2.0-only
/* summary.c - a run's summary.json, indexed: lookups and the difference rule
 * (reading and writing the file: results.c). */
#include "out/summary.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/resdir.h"
#include "out/results.h"

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
	s->root = results_json(buf, len, label, e);
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
	char *path, *buf;
	size_t len;
	int r;

	memset(s, 0, sizeof(*s));
	path = results_path(label, RESULTS_SUMMARY, e);
	if (!path)
		return -1;
	buf = resdir_read(dirfd, RESULTS_SUMMARY, path, RESDIR_MAX_FILE, &len, e);
	r = buf ? summary_parse(s, buf, len, path, e) : -1;
	free(buf);
	free(path);
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
