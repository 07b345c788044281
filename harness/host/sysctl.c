// SPDX-License-Identifier: GPL-2.0-only
/* sysctl.c - per-namespace sysctl access (the keys themselves: model/sysctl_key.c). */
#include "host/sysctl.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/netns.h"

#define PROC_SYS "/proc/sys/"

/* Fold whitespace runs to one space and trim both ends, in place. */
static void fold_space(char *s)
{
	char *r = s, *w = s;
	bool space = false;

	while (*r && isspace((unsigned char)*r))
		r++;
	for (; *r; r++) {
		if (isspace((unsigned char)*r)) {
			space = true;
			continue;
		}
		if (space && w != s)
			*w++ = ' ';
		space = false;
		*w++ = *r;
	}
	*w = '\0';
}

/* Read @path's value (open with @fd already open, or -1) into @val. */
static int read_value(int fd, const char *key, char *val, size_t len, struct err *e)
{
	ssize_t n = read(fd, val, len - 1);

	if (n < 0) {
		err_sys(e, "sysctl %s: read", key);
		close(fd);
		return -1;
	}
	close(fd);
	val[n] = '\0';
	fold_space(val);
	return SYSCTL_OK;
}

int sysctl_read_here(const char *key, char *val, size_t len, struct err *e)
{
	char path[600];
	int fd;

	if (sysctl_path(key, path, sizeof(path), e) < 0)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? SYSCTL_ABSENT : err_sys(e, "sysctl %s: open", key);
	return read_value(fd, key, val, len, e);
}

int sysctl_read(int nsfd, const char *key, char *val, size_t len, struct err *e)
{
	char path[600];
	int fd;

	if (sysctl_path(key, path, sizeof(path), e) < 0)
		return -1;
	fd = netns_open(nsfd, path, O_RDONLY, e);
	if (fd < 0)
		return e->errnum == ENOENT ? SYSCTL_ABSENT : err_wrap(e, "sysctl %s", key);
	return read_value(fd, key, val, len, e);
}

int sysctl_write(int nsfd, const char *key, const char *value, struct err *e)
{
	char path[600];
	size_t n = strlen(value);
	ssize_t w;
	int fd;

	if (sysctl_path(key, path, sizeof(path), e) < 0)
		return -1;
	if (netns_is_home(nsfd))
		return err_set(e, ERR_INPUT,
		               "sysctl %s: refusing to write in the harness's own namespace", key);
	{
		/* The parsers refuse these first, with file:line:col; this is
		 * the rule every write path goes through. */
		char canon[512], why[512];

		if (sysctl_canonical(key, canon, sizeof(canon), e) < 0)
			return -1;
		sysctl_learn_host();
		if (sysctl_host_effect(canon, value, why, sizeof(why)) != SYSCTL_CONFINED)
			return err_set(e, ERR_INPUT, "%s", why);
	}
	if (n == 0 || n >= SYSCTL_VALUE_MAX || strchr(value, '\n'))
		return err_set(e, ERR_INPUT, "sysctl %s: invalid value '%s'", key, value);
	fd = netns_open(nsfd, path, O_WRONLY, e);
	if (fd < 0) {
		if (e->errnum == ENOENT)
			return SYSCTL_ABSENT;
		if (e->errnum == EACCES)
			return err_set(e, ERR_INPUT,
			               "sysctl %s is read-only in a network namespace", key);
		return err_wrap(e, "sysctl %s", key);
	}
	w = write(fd, value, n);
	if (w < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		if (saved == EINVAL || saved == ERANGE || saved == EOVERFLOW)
			return err_set(e, ERR_INPUT, "sysctl %s = %s: the kernel rejects it (%s)",
			               key, value, strerror(saved));
		return err_sys(e, "sysctl %s = %s: write", key, value);
	}
	close(fd);
	if ((size_t)w != n)
		return err_set(e, ERR_INPUT, "sysctl %s = %s: the kernel took only %zd bytes", key,
		               value, w);
	return SYSCTL_OK;
}

/* ---- writes that reach the host ------------------------------------------ */

/* The host's tcp_allowed_congestion_control (global: every namespace shows
 * the host's), handed to model/sysctl_key.c, which judges host effects. */
void sysctl_learn_host(void)
{
	int fd = open(PROC_SYS "net/ipv4/tcp_allowed_congestion_control", O_RDONLY | O_CLOEXEC);
	char list[SYSCTL_VALUE_MAX];
	ssize_t n;

	if (fd < 0) {
		sysctl_key_set_allowed_cc(NULL);
		return;
	}
	n = read(fd, list, sizeof(list) - 1);
	close(fd);
	if (n <= 0) {
		sysctl_key_set_allowed_cc(NULL);
		return;
	}
	list[n] = '\0';
	fold_space(list);
	sysctl_key_set_allowed_cc(list);
}

int sysctl_set(int nsfd, const char *key, const char *value, char *readback, size_t len,
               struct err *e)
{
	int r = sysctl_write(nsfd, key, value, e);

	if (r != SYSCTL_OK)
		return r;
	r = sysctl_read(nsfd, key, readback, len, e);
	if (r != SYSCTL_OK)
		return r < 0 ? -1 : err_set(e, ERR_SYSTEM, "sysctl %s vanished after write", key);
	if (!sysctl_value_equal(value, readback))
		return err_set(e, ERR_INPUT, "sysctl %s = %s: the kernel stored '%s' instead", key,
		               value, readback);
	return SYSCTL_OK;
}

int sysctl_glob(int nsfd, const char *pattern, char ***keys, size_t *n, struct err *e)
{
	char path[600];
	glob_t g;
	size_t i;
	int saved = -1, r;

	*keys = NULL;
	*n = 0;
	if (sysctl_path_any(pattern, path, sizeof(path), e) < 0)
		return -1;
	/* /proc/sys/net shows the namespace of the thread that looks. */
	if (nsfd >= 0 && netns_switch(nsfd, &saved, e) < 0)
		return -1;
	r = glob(path, GLOB_NOSORT, NULL, &g);
	if (saved >= 0)
		netns_restore(saved);
	if (r == GLOB_NOMATCH)
		return 0;
	if (r != 0)
		return err_set(e, ERR_SYSTEM, "sysctl %s: glob failed", pattern);
	*keys = calloc(g.gl_pathc ? g.gl_pathc : 1, sizeof(**keys));
	for (i = 0; *keys && i < g.gl_pathc; i++) {
		const char *rel = g.gl_pathv[i] + strlen(PROC_SYS);
		char *k = strdup(rel), *c;

		if (!k)
			break;
		for (c = k; *c; c++)
			*c = *c == '/' ? '.' : *c == '.' ? '/' : *c;
		(*keys)[(*n)++] = k;
	}
	if (!*keys || *n < g.gl_pathc) {
		globfree(&g);
		sysctl_glob_free(*keys, *n);
		*keys = NULL;
		*n = 0;
		return err_set(e, ERR_SYSTEM, "out of memory");
	}
	globfree(&g);
	for (i = 1; i < *n; i++) { /* sorted, for stable output */
		char *x = (*keys)[i];
		size_t k = i;

		for (; k > 0 && strcmp((*keys)[k - 1], x) > 0; k--)
			(*keys)[k] = (*keys)[k - 1];
		(*keys)[k] = x;
	}
	return 0;
}

void sysctl_glob_free(char **keys, size_t n)
{
	size_t i;

	for (i = 0; keys && i < n; i++)
		free(keys[i]);
	free(keys);
}
