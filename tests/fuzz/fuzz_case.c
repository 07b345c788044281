// SPDX-License-Identifier: GPL-2.0-only
/* fuzz_case.c - the case language parser on arbitrary input. */
#include "fuzz.h"

#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario sc;
	struct err e;

	if (scenario_parse((const char *)data, size, "f.case", &sc, &e) == 0) {
		size_t i, n = scenario_variants(&sc);

		for (i = 0; i < n && i < 64; i++) {
			unsigned axes[64];
			char name[512];
			int fam;

			scenario_variant(&sc, i, &fam, axes, name, sizeof(name));
		}
		scenario_free(&sc);
	} else if (e.kind == ERR_INPUT) {
		fuzz_check_place(e.msg, "f.case");
	}
	return 0;
}
