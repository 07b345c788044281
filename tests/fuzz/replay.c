// SPDX-License-Identifier: GPL-2.0-only
/*
 * replay.c - a fuzz target without libFuzzer: feeds each file named on the
 * command line (or every file of each directory) to LLVMFuzzerTestOneInput
 * once.  `make check` builds every target this way, with the ordinary
 * compiler, and replays the shipped inputs and the regression inputs
 * (crashers found by fuzzing) through it.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int one(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f) {
		perror(path);
		return -1;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "%s: cannot read\n", path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
#ifdef FUZZ_INPUTS
	/* Built for `make check`: the target's shipped and regression inputs. */
	char *defaults[] = {argv[0], FUZZ_INPUTS, NULL};
#endif
	int i, count = 0;

#ifdef FUZZ_INPUTS
	if (argc == 1) {
		argv = defaults;
		for (argc = 0; argv[argc]; argc++)
			;
	}
#endif
	for (i = 1; i < argc; i++) {
		struct stat st;
		DIR *d;
		struct dirent *de;

		if (stat(argv[i], &st) < 0) {
			perror(argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (one(argv[i]) < 0)
				return 1;
			count++;
			continue;
		}
		d = opendir(argv[i]);
		while (d && (de = readdir(d))) {
			char path[4096];

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], de->d_name);
			if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
				continue;
			if (one(path) < 0) {
				closedir(d);
				return 1;
			}
			count++;
		}
		if (d)
			closedir(d);
	}
	printf("%s: %d input(s) replayed\n", argv[0], count);
	/* One line in the form tests/run-tests.sh counts. */
	printf("[  PASSED  ] 1 test(s).\n");
	return 0;
}
