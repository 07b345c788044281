// SPDX-License-Identifier: GPL-2.0-only
/* afile.c - write to a temporary name, rename into place. */
#include "afile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int afile_open(struct afile *af, const char *path, struct err *e)
{
	int fd;

	af->fp = NULL;
	if (strlen(path) >= sizeof(af->path))
		return err_set(e, ERR_INPUT, "path too long: %.60s...", path);
	strcpy(af->path, path);
	snprintf(af->tmp, sizeof(af->tmp), "%s.tmp.%d", path, (int)getpid());
	fd = open(af->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return err_sys(e, "creating %s", af->tmp);
	af->fp = fdopen(fd, "w");
	if (!af->fp) {
		err_sys(e, "fdopen %s", af->tmp);
		close(fd);
		unlink(af->tmp);
		return -1;
	}
	return 0;
}

int afile_commit(struct afile *af, struct err *e)
{
	int bad = ferror(af->fp);

	if (fclose(af->fp) != 0 || bad) {
		af->fp = NULL;
		err_sys(e, "writing %s", af->path);
		unlink(af->tmp);
		return -1;
	}
	af->fp = NULL;
	return afile_rename(af, e);
}

int afile_rename(struct afile *af, struct err *e)
{
	af->fp = NULL;
	if (rename(af->tmp, af->path) < 0) {
		err_sys(e, "renaming %s", af->tmp);
		unlink(af->tmp);
		return -1;
	}
	return 0;
}

void afile_abort(struct afile *af)
{
	if (af->fp)
		fclose(af->fp);
	af->fp = NULL;
	unlink(af->tmp);
}
