// SPDX-License-Identifier: GPL-2.0-only
/* resdir.c - paths below a run's directory: *at() calls, plain names only. */
#include "base/resdir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/text.h"

int resdir_name_check(const char *name, const char *what, struct err *e)
{
	size_t n = strlen(name), i;
	const char *why = NULL;

	if (!n)
		why = "empty";
	else if (!strcmp(name, ".") || !strcmp(name, ".."))
		why = "not a name below the results directory";
	else if (n > NAME_MAX)
		why = "longer than NAME_MAX (255 bytes)";
	for (i = 0; !why && i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '/')
			why = "holds '/'";
		else if (c < 0x20 || c == 0x7f)
			why = "holds a control character";
	}
	if (!why)
		return 0;
	/* err_set escapes what the name holds. */
	return err_set(e, ERR_INPUT, "%s '%.200s%s': %s: refused as a path in a results directory",
	               what, name, n > 200 ? "..." : "", why);
}

/* mkdir -p for the parents of a path the user named (links followed). */
static int make_parents(const char *path, struct err *e)
{
	char *tmp = strdup(path), *s;

	if (!tmp)
		return err_set(e, ERR_SYSTEM, "out of memory");
	for (s = tmp + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST) {
			err_sys(e, "creating %s", tmp);
			free(tmp);
			return -1;
		}
		*s = '/';
	}
	free(tmp);
	return 0;
}

static int kind_of(int errnum)
{
	switch (errnum) {
	case ENOENT:
	case ENOTDIR:
	case ELOOP:
	case EEXIST:
	case ENAMETOOLONG:
	case EINVAL:
		return ERR_INPUT;
	case EACCES:
	case EPERM:
		return ERR_ENV;
	default:
		return ERR_SYSTEM;
	}
}

/* @name (in @dirfd; @shown in the message) could not be opened or made:
 * say why, naming a link as one (O_NOFOLLOW says ELOOP, or ENOTDIR with
 * O_DIRECTORY). */
static int fail_at(struct err *e, int dirfd, const char *name, const char *what, const char *shown,
                   int errnum)
{
	struct stat st;

	if ((errnum == ENOTDIR || errnum == EEXIST) &&
	    fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
		errnum = ELOOP;
	errno = errnum;
	if (errnum == ELOOP)
		err_set(e, ERR_INPUT,
		        "%s '%.300s' is a symbolic link: refused (a results directory holds none)",
		        what, shown);
	else
		err_sys(e, "%s '%.300s'", what, shown);
	e->kind = kind_of(errnum);
	e->errnum = errnum;
	return -1;
}

int resdir_open(const char *path, int flags, struct err *e)
{
	int fd, of = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
	size_t n = strlen(path);

	if (!n)
		return err_set(e, ERR_INPUT, "an empty path is not a results directory");
	if (!(flags & RESDIR_FOLLOW))
		of |= O_NOFOLLOW;
	if (flags & RESDIR_CREATE) {
		if (make_parents(path, e) < 0)
			return -1;
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return fail_at(e, AT_FDCWD, path, "creating", path, errno);
	}
	fd = open(path, of);
	if (fd < 0)
		return fail_at(e, AT_FDCWD, path, "opening the results directory", path, errno);
	return fd;
}

int resdir_subdir(int dirfd, const char *name, bool create, struct err *e)
{
	int fd;

	if (resdir_name_check(name, "the name", e) < 0)
		return -1;
	if (create && mkdirat(dirfd, name, 0755) < 0 && errno != EEXIST)
		return fail_at(e, dirfd, name, "creating", name, errno);
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return fail_at(e, dirfd, name, "opening the directory", name, errno);
	return fd;
}

int resdir_variant(int rootfd, const char *case_name, const char *variant, bool create,
                   struct err *e)
{
	int cfd, vfd;

	if (resdir_name_check(case_name, "the case name", e) < 0 ||
	    resdir_name_check(variant, "the variant name", e) < 0)
		return -1;
	cfd = resdir_subdir(rootfd, case_name, create, e);
	if (cfd < 0)
		return -1;
	vfd = resdir_subdir(cfd, variant, create, e);
	close(cfd);
	return vfd;
}

/* Where a variant's directory waits, in its case's, while its new one is
 * made: a name no variant has (the case parser's names never begin with
 * '.'; one that does exists already and the rename refuses). */
#define ASIDE_NAME ".set-aside"

int resdir_set_aside(int rootfd, const char *case_name, const char *variant, const char *as,
                     struct err *e)
{
	int cfd, vfd, rc = -1;

	if (resdir_name_check(as, "the name", e) < 0)
		return -1;
	cfd = resdir_subdir(rootfd, case_name, false, e);
	if (cfd < 0)
		return -1;
	if (resdir_name_check(variant, "the variant name", e) < 0)
		goto out;
	/* RENAME_NOREPLACE: nothing of the run's is ever replaced */
	if (renameat2(cfd, variant, cfd, ASIDE_NAME, RENAME_NOREPLACE) < 0) {
		fail_at(e, cfd, variant, "setting aside", variant, errno);
		goto out;
	}
	vfd = resdir_subdir(cfd, variant, true, e);
	if (vfd < 0)
		goto out;
	if (renameat2(cfd, ASIDE_NAME, vfd, as, RENAME_NOREPLACE) < 0)
		fail_at(e, cfd, ASIDE_NAME, "moving into its variant's directory", as, errno);
	else
		rc = 0;
	close(vfd);
out:
	close(cfd);
	return rc;
}

int resdir_open_rel(int rootfd, const char *rel, struct err *e)
{
	char *copy = strdup(rel), *part, *save = NULL;
	int fd = -1, cur = rootfd;

	if (!copy)
		return err_set(e, ERR_SYSTEM, "out of memory");
	if (!*rel || rel[0] == '/' || rel[strlen(rel) - 1] == '/' || strstr(rel, "//")) {
		err_set(e, ERR_INPUT, "the directory '%.300s': not a relative path of plain names",
		        rel);
		free(copy);
		return -1;
	}
	for (part = strtok_r(copy, "/", &save); part; part = strtok_r(NULL, "/", &save)) {
		fd = resdir_subdir(cur, part, false, e);
		if (cur != rootfd)
			close(cur);
		if (fd < 0)
			break;
		cur = fd;
	}
	free(copy);
	return fd;
}

char *resdir_read(int dirfd, const char *name, const char *label, size_t max, size_t *len,
                  struct err *e)
{
	struct stat st;
	char *buf;
	size_t n = 0;
	int fd;

	if (resdir_name_check(name, "the file", e) < 0)
		return NULL;
	/* O_NONBLOCK: a FIFO planted there does not hang the reader. */
	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		fail_at(e, dirfd, name, "reading", label, errno);
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		fail_at(e, dirfd, name, "reading", label, errno);
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		err_set(e, ERR_INPUT, "%s: not a regular file", label);
		close(fd);
		return NULL;
	}
	if ((unsigned long long)st.st_size > max) {
		err_set(e, ERR_INPUT, "%s: larger than %zu bytes", label, max);
		close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		err_set(e, ERR_SYSTEM, "out of memory for %s", label);
		close(fd);
		return NULL;
	}
	/* Up to the size fstat saw: a file that grows meanwhile is cut there. */
	while (n < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fail_at(e, dirfd, name, "reading", label, errno);
			free(buf);
			close(fd);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
}
