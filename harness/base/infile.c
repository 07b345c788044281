// SPDX-License-Identifier: GPL-2.0-only
/* infile.c - the whole of a small input file. */
#include "base/infile.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static const char *file_type(mode_t m)
{
	return S_ISDIR(m)    ? "a directory"
	       : S_ISFIFO(m) ? "a FIFO"
	       : S_ISSOCK(m) ? "a socket"
	       : S_ISCHR(m)  ? "a character device"
	       : S_ISBLK(m)  ? "a block device"
	                     : "something else";
}

char *infile_read(const char *path, size_t max, size_t *len, struct err *e)
{
	/* O_NONBLOCK: opening a FIFO does not wait for a writer; anything
	 * but a regular file is refused before a byte is read. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	FILE *fp;
	char *buf;

	if (fd < 0) {
		err_sys(e, "%s", path);
		e->kind = ERR_INPUT;
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		err_sys(e, "%s", path);
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		err_set(e, ERR_INPUT, "%s is %s, not a regular file: not an input file", path,
		        file_type(st.st_mode));
		return NULL;
	}
	fp = fdopen(fd, "r");
	if (!fp) {
		err_sys(e, "%s", path);
		close(fd);
		return NULL;
	}
	buf = malloc(max + 1);
	if (!buf) {
		fclose(fp);
		err_set(e, ERR_SYSTEM, "out of memory");
		return NULL;
	}
	*len = fread(buf, 1, max, fp);
	if (ferror(fp)) {
		err_sys(e, "%s", path);
		e->kind = ERR_INPUT;
		fclose(fp);
		free(buf);
		return NULL;
	}
	if (!feof(fp)) {
		fclose(fp);
		free(buf);
		err_at(e, path, 1, 1, "larger than %zu bytes: not an input file", max);
		return NULL;
	}
	fclose(fp);
	buf[*len] = '\0';
	return buf;
}
