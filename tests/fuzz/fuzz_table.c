// SPDX-License-Identifier: GPL-2.0-only
/* fuzz_table.c - the expectation table parser on arbitrary input. */
#include "fuzz.h"

#include "table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct table t;
	struct err e;

	if (table_parse((const char *)data, size, "f.table", &t, &e) == 0)
		table_free(&t);
	else if (e.kind == ERR_INPUT)
		fuzz_check_place(e.msg, "f.table");
	return 0;
}
