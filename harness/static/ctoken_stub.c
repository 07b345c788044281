// SPDX-License-Identifier: GPL-2.0-only
/*
 * ctoken_stub.c - only for `make static`: Debian ships libclang as a shared
 * library only, and the static harness (a VM guest's) never tokenizes C;
 * `bench mutants` runs on the host, in build/tcpconform.
 */
#include "bench/ctoken.h"

#include <string.h>

int ctoken_lex(const char *text, size_t len, const char *file, struct ctoks *out, struct err *e)
{
	(void)text;
	(void)len;
	memset(out, 0, sizeof(*out));
	return err_set(e, ERR_ENV, "%s: the static harness has no libclang: use build/tcpconform",
	               file);
}

void ctoken_free(struct ctoks *t)
{
	(void)t;
}
