// SPDX-License-Identifier: GPL-2.0-only
/* fuzz_profile.c - the sysctl profile parser on arbitrary input. */
#include "fuzz.h"

#include "host/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile pr;
	struct err e;

	if (profile_parse((const char *)data, size, "f.conf", &pr, &e) == 0) {
		/* --strict's refusal of what parsing found: file:line:col too. */
		if (profile_strict(&pr, &e) < 0)
			fuzz_check_place(e.msg, "f.conf");
		profile_free(&pr);
	} else if (e.kind == ERR_INPUT) {
		fuzz_check_place(e.msg, "f.conf");
	}
	return 0;
}
