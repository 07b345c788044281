// SPDX-License-Identifier: GPL-2.0-only
/* catalogue.c - case files by name, glob or path. */
#include "run/catalogue.h"

#include <dirent.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/paths.h"

#ifndef TC_DATADIR
#define TC_DATADIR "/usr/local/share/tcpconform"
#endif

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add(struct catalogue *c, const char *path, struct err *e)
{
	char **n;
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->paths[i], path) == 0)
			return 0;
	n = realloc(c->paths, (c->n + 1) * sizeof(*n));
	if (!n)
		return err_set(e, ERR_SYSTEM, "out of memory");
	c->paths = n;
	c->paths[c->n] = strdup(path);
	if (!c->paths[c->n])
		return err_set(e, ERR_SYSTEM, "out of memory");
	c->n++;
	return 0;
}

static void pick_dir(struct catalogue *c)
{
	const char *env = getenv("TCPCONFORM_CASES");
	struct stat st;

	if (env && *env)
		snprintf(c->dir, sizeof(c->dir), "%s", env);
	else if (stat("cases", &st) == 0 && S_ISDIR(st.st_mode))
		snprintf(c->dir, sizeof(c->dir), "cases");
	else /* installed: beside the binary's prefix, else the compiled one */
		paths_installed("share/tcpconform/cases", TC_DATADIR "/cases", c->dir,
		                sizeof(c->dir));
}

/* Add every case in the directory whose name matches @glob (NULL: all). */
static int scan(struct catalogue *c, const char *glob, bool *any, struct err *e)
{
	DIR *d = opendir(c->dir);
	struct dirent *de;
	char path[8192], name[256];

	if (!d) {
		err_sys(e, "cases directory %s", c->dir);
		e->kind = ERR_INPUT;
		return -1;
	}
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n <= 5 || strcmp(de->d_name + n - 5, ".case") != 0 || n - 5 >= sizeof(name))
			continue;
		memcpy(name, de->d_name, n - 5);
		name[n - 5] = '\0';
		if (glob && fnmatch(glob, name, 0) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", c->dir, de->d_name);
		if (add(c, path, e) < 0) {
			closedir(d);
			return -1;
		}
		*any = true;
	}
	closedir(d);
	return 0;
}

int catalogue_find(struct catalogue *c, char **args, int nargs, struct err *e)
{
	int i;

	memset(c, 0, sizeof(*c));
	pick_dir(c);
	if (nargs == 0) {
		bool any = false;

		if (scan(c, NULL, &any, e) < 0)
			goto fail;
		if (!any) {
			err_set(e, ERR_INPUT, "no cases: no NAME.case file in %s", c->dir);
			goto fail;
		}
	}
	if (nargs == 0)
		qsort(c->paths, c->n, sizeof(*c->paths), cmp);
	/* Cases named: in the order named (`run --in-order` starts them so),
	 * each glob's matches sorted among themselves. */
	for (i = 0; i < nargs; i++) {
		const char *a = args[i];
		size_t n = strlen(a), from = c->n;
		bool any = false;

		if (strchr(a, '/') || (n > 5 && strcmp(a + n - 5, ".case") == 0)) {
			if (add(c, a, e) < 0)
				goto fail;
			continue;
		}
		if (scan(c, a, &any, e) < 0)
			goto fail;
		if (!any) {
			err_set(e, ERR_INPUT, "no case matches '%s' in %s", a, c->dir);
			c->bad = a;
			goto fail;
		}
		qsort(c->paths + from, c->n - from, sizeof(*c->paths), cmp);
	}
	return 0;
fail:
	catalogue_free(c);
	return -1;
}

void catalogue_free(struct catalogue *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->paths[i]);
	free(c->paths);
	c->paths = NULL;
	c->n = 0;
}

int catalogue_fixture_path(const struct catalogue *c, const char *rel, char *out, size_t len)
{
	const char *fx = getenv("TCPCONFORM_FIXTURES");
	const char *slash = strrchr(c->dir, '/');
	int n;

	if (fx && *fx)
		n = snprintf(out, len, "%s/%s", fx, rel);
	else if (slash)
		n = snprintf(out, len, "%.*s/fixtures/%s", (int)(slash - c->dir), c->dir, rel);
	else
		n = snprintf(out, len, "fixtures/%s", rel);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int catalogue_default_fixture(const char *rel, char *out, size_t len)
{
	struct catalogue c;

	memset(&c, 0, sizeof(c));
	pick_dir(&c);
	return catalogue_fixture_path(&c, rel, out, len);
}

void catalogue_table_path(const struct catalogue *c, const char *name, char *out, size_t len)
{
	char rel[300];

	snprintf(rel, sizeof(rel), "%.250s.table", name);
	if (catalogue_fixture_path(c, rel, out, len) < 0 && len)
		out[0] = '\0';
}
