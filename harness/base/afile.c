// SPDX-License-Identifier: GPL-2.0-only
/* afile.c - write an unnamed (or fresh, exclusive) file, rename into place. */
#include "base/afile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "base/resdir.h"
#include "base/text.h"

bool afile_no_tmpfile; /* tests: take the path of a filesystem without O_TMPFILE */

/* A temporary name beside @name that nobody can guess. */
static void temp_name(struct afile *af)
{
	static unsigned long long counter;
	unsigned long long r = 0;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
		r = (unsigned long long)time(NULL) * 6364136223846793005ULL ^
		    (unsigned long long)getpid() << 32 ^ ++counter;
	snprintf(af->tmp, sizeof(af->tmp), "%.200s.tmp.%016llx", af->name, r);
}

/* Close everything and remove the temporary, whatever state it is in. */
static void release(struct afile *af)
{
	int saved = errno;

	if (af->fp)
		fclose(af->fp);
	af->fp = NULL;
	if (af->fd >= 0)
		close(af->fd);
	af->fd = -1;
	if (af->named && af->dirfd >= 0)
		unlinkat(af->dirfd, af->tmp, 0);
	af->named = false;
	if (af->dirfd >= 0)
		close(af->dirfd);
	af->dirfd = -1;
	errno = saved;
}

int afile_openat(struct afile *af, int dirfd, const char *name, const char *label, struct err *e)
{
	int wfd, tries;

	memset(af, 0, sizeof(*af));
	af->fd = af->dirfd = -1;
	text_copy(af->path, sizeof(af->path), label ? label : name);
	if (resdir_name_check(name, "the file name", e) < 0)
		return -1;
	text_copy(af->name, sizeof(af->name), name);
	af->dirfd = dirfd == AT_FDCWD ? open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
	                              : fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	if (af->dirfd < 0)
		return err_sys(e, "creating %s", af->path);
	if (!afile_no_tmpfile) {
		af->fd = openat(af->dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
		af->anon = af->fd >= 0;
		if (af->fd < 0 && errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) {
			err_sys(e, "creating %s", af->path);
			release(af);
			return -1;
		}
	}
	/* No O_TMPFILE here: a fresh name, created exclusively, no link followed. */
	for (tries = 0; af->fd < 0 && tries < 100; tries++) {
		temp_name(af);
		af->fd = openat(af->dirfd, af->tmp,
		                O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (af->fd < 0 && errno != EEXIST) {
			err_sys(e, "creating %s", af->path);
			release(af);
			return -1;
		}
		af->named = af->fd >= 0;
	}
	if (af->fd < 0) {
		err_set(e, ERR_SYSTEM, "creating %s: no free temporary name", af->path);
		release(af);
		return -1;
	}
	wfd = fcntl(af->fd, F_DUPFD_CLOEXEC, 0);
	af->fp = wfd >= 0 ? fdopen(wfd, "w") : NULL;
	if (!af->fp) {
		err_sys(e, "creating %s", af->path);
		if (wfd >= 0)
			close(wfd);
		release(af);
		return -1;
	}
	return 0;
}

int afile_open(struct afile *af, const char *path, struct err *e)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	char dir[4096];
	int dfd, r;

	memset(af, 0, sizeof(*af));
	af->fd = af->dirfd = -1;
	if (strlen(path) >= sizeof(af->path))
		return err_set(e, ERR_INPUT, "path too long: %.60s...", path);
	if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
		return err_set(e, ERR_INPUT, "%s: names a directory, not a file", path);
	if (!slash)
		strcpy(dir, ".");
	else if (slash == path)
		strcpy(dir, "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return err_sys(e, "creating %s", path);
	r = afile_openat(af, dfd, base, path, e);
	close(dfd);
	return r;
}

int afile_commit(struct afile *af, struct err *e)
{
	int bad = af->fp ? ferror(af->fp) : 1;

	errno = EIO;
	if (!af->fp || fclose(af->fp) != 0 || bad) {
		af->fp = NULL;
		err_sys(e, "writing %s", af->path);
		release(af);
		return -1;
	}
	af->fp = NULL;
	return afile_rename(af, e);
}

int afile_rename(struct afile *af, struct err *e)
{
	int tries;

	af->fp = NULL; /* closed by its user */
	if (af->fd < 0 || af->dirfd < 0) {
		release(af);
		return err_set(e, ERR_SYSTEM, "writing %s: not open", af->path);
	}
	if (fsync(af->fd) < 0) {
		err_sys(e, "writing %s", af->path);
		release(af);
		return -1;
	}
	if (af->anon) {
		char proc[64];

		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", af->fd);
		for (tries = 0; !af->named && tries < 100; tries++) {
			int r;

			temp_name(af);
			r = linkat(AT_FDCWD, proc, af->dirfd, af->tmp, AT_SYMLINK_FOLLOW);
			if (r < 0 && errno == ENOENT) /* no /proc: needs CAP_DAC_READ_SEARCH */
				r = linkat(af->fd, "", af->dirfd, af->tmp, AT_EMPTY_PATH);
			if (r < 0 && errno != EEXIST) {
				err_sys(e, "writing %s", af->path);
				release(af);
				return -1;
			}
			af->named = r == 0;
		}
		if (!af->named) {
			release(af);
			return err_set(e, ERR_SYSTEM, "writing %s: no free temporary name",
			               af->path);
		}
	}
	close(af->fd);
	af->fd = -1;
	if (renameat(af->dirfd, af->tmp, af->dirfd, af->name) < 0) {
		err_sys(e, "renaming %s", af->path);
		release(af);
		return -1;
	}
	af->named = false;
	release(af);
	return 0;
}

void afile_abort(struct afile *af)
{
	release(af);
}
