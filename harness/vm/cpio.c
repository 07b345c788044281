// SPDX-License-Identifier: GPL-2.0-only
/* cpio.c - newc archives for an initramfs. */
#include "vm/cpio.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void pad4(struct cpio *c, size_t len)
{
	static const char zero[4];

	if (len % 4)
		fwrite(zero, 1, 4 - len % 4, c->fp);
}

static int entry(struct cpio *c, const char *name, unsigned mode, const void *data, size_t len,
                 unsigned rmajor, unsigned rminor)
{
	size_t nlen = strlen(name) + 1;

	/* magic ino mode uid gid nlink mtime filesize devmajor devminor
	 * rdevmajor rdevminor namesize check */
	fprintf(c->fp, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", ++c->ino, mode,
	        0u, 0u, S_ISDIR(mode) ? 2u : 1u, 0u, (unsigned)len, 0u, 0u, rmajor, rminor,
	        (unsigned)nlen, 0u);
	fwrite(name, 1, nlen, c->fp);
	pad4(c, 110 + nlen);
	if (len)
		fwrite(data, 1, len, c->fp);
	pad4(c, len);
	if (ferror(c->fp))
		c->failed = 1;
	return c->failed ? -1 : 0;
}

void cpio_start(struct cpio *c, FILE *fp)
{
	c->fp = fp;
	c->ino = 0;
	c->failed = 0;
}

int cpio_dir(struct cpio *c, const char *name, unsigned mode)
{
	return entry(c, name, S_IFDIR | (mode & 07777), NULL, 0, 0, 0);
}

int cpio_data(struct cpio *c, const char *name, unsigned mode, const void *data, size_t len)
{
	return entry(c, name, S_IFREG | (mode & 07777), data, len, 0, 0);
}

int cpio_symlink(struct cpio *c, const char *name, const char *target)
{
	return entry(c, name, S_IFLNK | 0777, target, strlen(target), 0, 0);
}

int cpio_chardev(struct cpio *c, const char *name, unsigned mode, unsigned major, unsigned minor)
{
	return entry(c, name, S_IFCHR | (mode & 07777), NULL, 0, major, minor);
}

int cpio_file(struct cpio *c, const char *name, unsigned mode, const char *path, struct err *e)
{
	FILE *in = fopen(path, "rb");
	char *buf;
	long size;
	int r;

	if (!in)
		return err_sys(e, "opening %s", path);
	if (fseek(in, 0, SEEK_END) < 0 || (size = ftell(in)) < 0 || fseek(in, 0, SEEK_SET) < 0) {
		fclose(in);
		return err_sys(e, "measuring %s", path);
	}
	buf = malloc(size ? (size_t)size : 1);
	if (!buf) {
		fclose(in);
		return err_set(e, ERR_SYSTEM, "out of memory for %s", path);
	}
	if (fread(buf, 1, (size_t)size, in) != (size_t)size) {
		free(buf);
		fclose(in);
		return err_sys(e, "reading %s", path);
	}
	fclose(in);
	r = cpio_data(c, name, mode, buf, (size_t)size);
	free(buf);
	return r < 0 ? err_sys(e, "writing the initramfs (%s)", name) : 0;
}

int cpio_finish(struct cpio *c, struct err *e)
{
	entry(c, "TRAILER!!!", 0, NULL, 0, 0, 0);
	if (fflush(c->fp) != 0 || c->failed)
		return err_sys(e, "writing the initramfs");
	return 0;
}
