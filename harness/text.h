/* SPDX-License-Identifier: GPL-2.0-only */
/* text.h - small string helpers shared by the parsers. */
#ifndef TC_TEXT_H
#define TC_TEXT_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

/* Bounded copy that always terminates; truncation is the caller's choice
 * (lengths that matter are checked before). */
static inline void text_copy(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (n >= len)
		n = len - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* The whole of a small input file (case, table, profile), NUL-terminated;
 * a file larger than @max, or anything but a regular file (a directory, a
 * FIFO: never waited on), is an input error. */
char *text_read_file(const char *path, size_t max, size_t *len, struct err *e);

/* Text for XML and HTML: & < > " escaped, control characters as spaces. */
void text_escape_xml(FILE *fp, const char *s);

#endif
