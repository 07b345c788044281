/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz.h - what the fuzz targets share: the libFuzzer entry point and a
 * check that a parse error names its place as file:line:col.
 */
#ifndef TC_FUZZ_H
#define TC_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* "FILE:LINE:COL: message", with @file first: anything else is a bug. */
static inline void fuzz_check_place(const char *msg, const char *file)
{
	size_t n = strlen(file);
	const char *p = msg + n;
	unsigned line, col;
	int used = 0;

	if (strncmp(msg, file, n) != 0 || sscanf(p, ":%u:%u: %n", &line, &col, &used) != 2 ||
	    used == 0 || line == 0 || col == 0) {
		fprintf(stderr, "error without file:line:col: '%s'\n", msg);
		abort();
	}
}

#endif
