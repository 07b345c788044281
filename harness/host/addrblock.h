/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * addrblock.h - one address block per concurrently running scenario.
 *
 * Block N gives the client 10.A.B.1 and fd00:A:B::1, the server 10.A.B.2 and
 * fd00:A:B::2, where A = 128 + N / 256 and B = N % 256 (the IPv6 groups carry
 * the same digits, so 10.128.5.1 pairs with fd00:128:5::1), and fixed
 * locally administered MAC addresses.  Kernel events and traces from
 * different scenarios can then never be confused.
 *
 * A block is held by binding an abstract unix socket named after it: every
 * tcpconform process on the host sees the same names, and the kernel frees
 * the name when the holder dies, so nothing is left behind on disk.
 */
#ifndef TC_ADDRBLOCK_H
#define TC_ADDRBLOCK_H

#include <netinet/in.h>
#include <stdint.h>

#include "base/error.h"

#define ADDRBLOCK_COUNT   32768u
#define ADDRBLOCK_PREFIX4 24
#define ADDRBLOCK_PREFIX6 64

enum addr_role {
	ROLE_CLIENT = 1, /* c0 */
	ROLE_SERVER = 2, /* s0 */
	ROLE_WIRE_C = 3, /* w0, the wire's client-facing end */
	ROLE_WIRE_S = 4, /* w1, the wire's server-facing end */
};

struct addrblock {
	unsigned index;
	int lockfd; /* -1 when not held */
};

/* Take the lowest free block. ERR_ENV when all are taken. */
int addrblock_acquire(struct addrblock *b, struct err *e);
/* Take block @index; -1 with ERR_ENV if another holder has it. */
int addrblock_acquire_index(struct addrblock *b, unsigned index, struct err *e);
void addrblock_release(struct addrblock *b);

/* Addresses of the client and the server (ROLE_CLIENT or ROLE_SERVER). */
void addrblock_ip4(unsigned index, enum addr_role role, struct in_addr *out);
void addrblock_ip6(unsigned index, enum addr_role role, struct in6_addr *out);
void addrblock_mac(unsigned index, enum addr_role role, uint8_t mac[6]);

#endif
