// SPDX-License-Identifier: GPL-2.0-only
/* dirs.c - mkdir -p, and rm -rf of a tree of our own. */
#include "base/dirs.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Each '/'-ended prefix of @path, then (@whole) @path itself. */
static int make(const char *path, int whole, struct err *e)
{
	char tmp[PATH_MAX];
	size_t n = strlen(path);

	if (n >= sizeof(tmp))
		return err_set(e, ERR_INPUT, "path too long: %.80s...", path);
	memcpy(tmp, path, n + 1);
	for (char *s = tmp + 1;; s++) {
		char c = *s;

		if (c != '/' && c != '\0')
			continue;
		if (!c && !whole)
			return 0;
		*s = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST) {
			int saved = errno;

			err_sys(e, "creating %s", tmp);
			errno = saved; /* for callers that word it themselves */
			return -1;
		}
		*s = c;
		if (!c)
			return 0;
	}
}

int dirs_make(const char *path, struct err *e)
{
	return make(path, 1, e);
}

int dirs_make_parents(const char *path, struct err *e)
{
	return make(path, 0, e);
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)f;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void dirs_remove(const char *path)
{
	/* Depth first, links not followed, not across mounts. */
	nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}
