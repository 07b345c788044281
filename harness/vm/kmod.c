// SPDX-License-Identifier: GPL-2.0-only
/* kmod.c - module dependency closure from modules.dep and modules.builtin. */
#include "vm/kmod.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "base/infile.h"
#include "base/text.h"

#define META_MAX (64u << 20)

struct dep_entry {
	char *line;   /* the modules.dep line, split in place */
	char *path;   /* module path */
	char **deps;  /* its dependencies' paths */
	size_t ndeps; /* count */
	int mark;     /* 0 new, 1 on the stack, 2 done */
};

struct dep_db {
	char *text;
	struct dep_entry *ent;
	size_t n;
	char *builtin;
};

void kmod_name(const char *path, char *name, size_t len)
{
	const char *base = strrchr(path, '/');
	const char *ko;
	size_t n, i;

	base = base ? base + 1 : path;
	ko = strstr(base, ".ko");
	n = ko ? (size_t)(ko - base) : strlen(base);
	if (n >= len)
		n = len - 1;
	for (i = 0; i < n; i++)
		name[i] = base[i] == '-' ? '_' : base[i];
	name[n] = '\0';
}

static bool same_name(const char *path, const char *want)
{
	char a[256], b[256];

	kmod_name(path, a, sizeof(a));
	kmod_name(want, b, sizeof(b));
	return strcmp(a, b) == 0;
}

static int parse_dep(struct dep_db *db, const char *file, struct err *e)
{
	char *line, *save = NULL;
	size_t len, cap = 0;

	db->text = infile_read(file, META_MAX, &len, e);
	if (!db->text)
		return -1;
	for (line = strtok_r(db->text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct dep_entry *d;
		char *colon = strchr(line, ':'), *tok, *save2 = NULL;

		if (!colon)
			continue;
		if (ARRAY_RESERVE(&db->ent, &cap, db->n + 1, 1024))
			return err_set(e, ERR_SYSTEM, "out of memory");
		d = &db->ent[db->n++];
		memset(d, 0, sizeof(*d));
		*colon = '\0';
		d->line = line;
		d->path = line;
		for (tok = strtok_r(colon + 1, " \t", &save2); tok;
		     tok = strtok_r(NULL, " \t", &save2)) {
			char **nd = realloc(d->deps, (d->ndeps + 1) * sizeof(*nd));

			if (!nd)
				return err_set(e, ERR_SYSTEM, "out of memory");
			d->deps = nd;
			d->deps[d->ndeps++] = tok;
		}
	}
	return 0;
}

static struct dep_entry *find_by_name(struct dep_db *db, const char *name)
{
	size_t i;

	for (i = 0; i < db->n; i++)
		if (same_name(db->ent[i].path, name))
			return &db->ent[i];
	return NULL;
}

static struct dep_entry *find_by_path(struct dep_db *db, const char *path)
{
	size_t i;

	for (i = 0; i < db->n; i++)
		if (strcmp(db->ent[i].path, path) == 0)
			return &db->ent[i];
	return NULL;
}

static bool is_builtin(const struct dep_db *db, const char *name)
{
	const char *s = db->builtin;

	while (s && *s) {
		const char *nl = strchr(s, '\n');
		char line[512];
		size_t n = nl ? (size_t)(nl - s) : strlen(s);

		if (n < sizeof(line)) {
			memcpy(line, s, n);
			line[n] = '\0';
			if (same_name(line, name))
				return true;
		}
		s = nl ? nl + 1 : NULL;
	}
	return false;
}

static int add(struct kmod_list *out, const char *path, struct err *e)
{
	char **np = realloc(out->paths, (out->n + 1) * sizeof(*np));

	if (!np)
		return err_set(e, ERR_SYSTEM, "out of memory");
	out->paths = np;
	if (!(out->paths[out->n] = strdup(path)))
		return err_set(e, ERR_SYSTEM, "out of memory");
	out->n++;
	return 0;
}

/* Post-order walk: a module comes after everything it depends on. */
static int visit(struct dep_db *db, struct dep_entry *d, struct kmod_list *out, const char *moddir,
                 struct err *e)
{
	size_t i;

	if (d->mark == 2)
		return 0;
	if (d->mark == 1)
		return err_set(e, ERR_INPUT, "%s/modules.dep: dependency loop through %s", moddir,
		               d->path);
	d->mark = 1;
	for (i = 0; i < d->ndeps; i++) {
		struct dep_entry *dd = find_by_path(db, d->deps[i]);

		if (!dd)
			return err_set(e, ERR_INPUT,
			               "%s/modules.dep: %s depends on %s, which has no entry",
			               moddir, d->path, d->deps[i]);
		if (visit(db, dd, out, moddir, e) < 0)
			return -1;
	}
	d->mark = 2;
	return add(out, d->path, e);
}

int kmod_resolve(const char *moddir, const char *const *names, size_t nnames, struct kmod_list *out,
                 struct err *e)
{
	struct dep_db db;
	char file[4200];
	size_t i, len;
	int r = 0;

	memset(out, 0, sizeof(*out));
	memset(&db, 0, sizeof(db));
	snprintf(file, sizeof(file), "%s/modules.dep", moddir);
	if (parse_dep(&db, file, e) < 0) {
		r = err_wrap(e, "module metadata (run depmod)");
		goto out;
	}
	snprintf(file, sizeof(file), "%s/modules.builtin", moddir);
	db.builtin = infile_read(file, META_MAX, &len, e);
	if (!db.builtin) {
		r = err_wrap(e, "module metadata");
		goto out;
	}
	for (i = 0; i < nnames; i++) {
		struct dep_entry *d;

		if (is_builtin(&db, names[i])) {
			out->nbuiltin++;
			continue;
		}
		d = find_by_name(&db, names[i]);
		if (!d) {
			r = err_set(e, ERR_ENV,
			            "kernel module %s is needed but is neither built into this "
			            "kernel (%s/modules.builtin) nor in its modules.dep",
			            names[i], moddir);
			goto out;
		}
		if ((r = visit(&db, d, out, moddir, e)) < 0)
			goto out;
	}
out:
	for (i = 0; i < db.n; i++)
		free(db.ent[i].deps);
	free(db.ent);
	free(db.text);
	free(db.builtin);
	if (r < 0)
		kmod_list_free(out);
	return r;
}

void kmod_list_free(struct kmod_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->paths[i]);
	free(l->paths);
	l->paths = NULL;
	l->n = 0;
}
