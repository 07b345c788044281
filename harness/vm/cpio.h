/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cpio.h - a "newc" cpio archive, the format the kernel unpacks as an
 * initramfs (Documentation/driver-api/early-userspace/buffer-format.rst):
 * a 110-byte ASCII header per entry, name and data each padded to 4 bytes,
 * ended by TRAILER!!!.  Uncompressed: every kernel accepts it and there is
 * nothing to decompress at boot.
 */
#ifndef TC_CPIO_H
#define TC_CPIO_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "base/error.h"

struct cpio {
	FILE *fp;
	unsigned ino;
	int failed;
};

void cpio_start(struct cpio *c, FILE *fp);
/* Each of these adds one entry; mode is the permission bits. */
int cpio_dir(struct cpio *c, const char *name, unsigned mode);
int cpio_data(struct cpio *c, const char *name, unsigned mode, const void *data, size_t len);
int cpio_symlink(struct cpio *c, const char *name, const char *target);
int cpio_chardev(struct cpio *c, const char *name, unsigned mode, unsigned major, unsigned minor);
/* A host file's contents under @name. */
int cpio_file(struct cpio *c, const char *name, unsigned mode, const char *path, struct err *e);
/* The trailer; -1 when any write failed. */
int cpio_finish(struct cpio *c, struct err *e);

#endif
