// SPDX-License-Identifier: GPL-2.0-only
/* array.c - arrays that grow by doubling. */
#include "base/array.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

int array_reserve(void **p, size_t *cap, size_t need, size_t size, size_t first)
{
	size_t nc = *cap;
	void *n;

	if (need <= nc)
		return 0;
	nc = nc ? (nc > SIZE_MAX / 2 ? SIZE_MAX : 2 * nc) : first;
	if (nc < need)
		nc = need;
	if (!size) {
		errno = EINVAL;
		return -1;
	}
	if (nc > SIZE_MAX / size) {
		errno = ENOMEM;
		return -1;
	}
	n = realloc(*p, nc * size);
	if (!n)
		return -1;
	*p = n;
	*cap = nc;
	return 0;
}
