/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * array.h - arrays that grow as they are filled.  The capacity doubles
 * (from @first), so filling an array of n elements copies O(n) bytes in
 * all, never a realloc per element (a table of ~430 counters read per
 * observation did that, and under ASan each realloc took fresh pages).
 * No size computation overflows.
 */
#ifndef TC_ARRAY_H
#define TC_ARRAY_H

#include <stddef.h>

/* Make room for at least @need elements of @size bytes in *@p, whose
 * capacity is *@cap elements: nothing when it has that room already,
 * else a realloc to max(@first, 2 * *@cap, @need).  0, or -1 (errno
 * ENOMEM) with *@p and *@cap unchanged. */
int array_reserve(void **p, size_t *cap, size_t need, size_t size, size_t first);

/* The same for a typed pointer, ARRAY_RESERVE(&v, &cap, n + 1, 16), through
 * a void * (no object is accessed through a pointer of another type). */
#define ARRAY_RESERVE(pp, cap, need, first)                                                        \
	({                                                                                         \
		void *p_ = *(pp);                                                                  \
		int r_ = array_reserve(&p_, (cap), (need), sizeof(**(pp)), (first));               \
		*(pp) = p_;                                                                        \
		r_;                                                                                \
	})

#endif
