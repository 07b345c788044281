/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz.h - what the fuzz targets share: the libFuzzer entry point and
 * checks that a parse error names its place as file:line:col, and that an
 * error about a results file names it and is safe for a terminal.
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

/* An error about a file from a results directory: it names @file first
 * and holds no control character (it reaches a terminal as it is). */
static inline void fuzz_check_message(const char *msg, const char *file)
{
	const char *p;

	if (strncmp(msg, file, strlen(file)) != 0) {
		fprintf(stderr, "error without its file first: '%s'\n", msg);
		abort();
	}
	for (p = msg; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			fprintf(stderr, "control character in an error: '%s'\n", msg);
			abort();
		}
	}
}

#endif
