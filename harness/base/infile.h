/* SPDX-License-Identifier: GPL-2.0-only */
/* infile.h - the whole of a small input file (a case, a table, a profile). */
#ifndef TC_INFILE_H
#define TC_INFILE_H

#include <stddef.h>

#include "base/error.h"

/* The file at @path, NUL-terminated, its length in *@len; a file larger
 * than @max, or anything but a regular file (a directory, a FIFO: never
 * waited on), is an input error. */
char *infile_read(const char *path, size_t max, size_t *len, struct err *e);

#endif
