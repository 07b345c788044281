// SPDX-License-Identifier: GPL-2.0-only
/* fuzz_case.c - the case language parser on arbitrary input. */
#include "fuzz.h"

#include "model/scenario.h"

/* A variant name is a directory name and a KTAP/JUnit result name: words
 * joined by '-' and '=' (scenario.h), never '/', '#', a space or a control
 * character, at most SC_VARIANT_NAME_MAX characters. */
static void check_name(const char *name)
{
	size_t i;

	if (strlen(name) > SC_VARIANT_NAME_MAX) {
		fprintf(stderr, "variant name longer than %d: '%s'\n", SC_VARIANT_NAME_MAX, name);
		abort();
	}
	for (i = 0; name[i]; i++) {
		unsigned char c = (unsigned char)name[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("._:+-=", c))
			continue;
		fprintf(stderr, "variant name with byte 0x%02x: '%s'\n", c, name);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario sc;
	struct err e;

	if (scenario_parse((const char *)data, size, "f.case", &sc, &e) == 0) {
		size_t i, n = scenario_variants(&sc);

		/* The parser bounds what the runner and player size by. */
		if (n == 0 || n > SC_MAX_VARIANTS || sc.naxes > SC_MAX_AXES) {
			fprintf(stderr, "%zu variants, %zu axes accepted\n", n, sc.naxes);
			abort();
		}
		/* Observation names become check names: no '#', no space. */
		for (i = 0; i < sc.nsteps; i++)
			if (sc.steps[i].as[0] &&
			    strspn(sc.steps[i].as,
			           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV"
			           "WXYZ0123456789_.-") != strlen(sc.steps[i].as)) {
				fprintf(stderr, "observation name '%s' accepted\n", sc.steps[i].as);
				abort();
			}
		for (i = 0; i < n && i < 64; i++) {
			unsigned axes[SC_MAX_AXES];
			char name[512];
			int fam;

			scenario_variant(&sc, i, &fam, axes, name, sizeof(name));
			check_name(name);
		}
		scenario_free(&sc);
	} else if (e.kind == ERR_INPUT) {
		fuzz_check_place(e.msg, "f.case");
	}
	return 0;
}
