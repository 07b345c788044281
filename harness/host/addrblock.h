/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * addrblock.h - one address block per concurrently running scenario.
 *
 * The addresses come from the ranges set aside for benchmarking and test
 * networks, never routed and never used by a real network: RFC 2544's
 * 198.18.0.0/15 (RFC 6890: "Benchmarking") and RFC 5180's 2001:2::/48
 * ("Benchmarking Methodology for IPv6").  Block N is the /30 starting at
 * 198.18.0.0 + 4N (the client .1 in it, the server .2: block 0 is
 * 198.18.0.1 and 198.18.0.2, block 5 is 198.18.0.21 and .22) and the /64
 * 2001:2:0:N:: (N in hex; the client ::1, the server ::2), with fixed
 * locally administered MAC addresses 02:74:63:NN:NN:ROLE.  Kernel events and
 * traces from different scenarios can then never be confused, nor with the
 * host's own traffic.
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

#define ADDRBLOCK_COUNT   32768u /* the /30s of a /15 */
#define ADDRBLOCK_PREFIX4 30
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

/* Take the next free block. ERR_ENV when all are taken.
 *
 * Blocks are taken in turn, never the lowest free one: the sockets a
 * scenario leaves to the kernel (an orphan retrying its FIN, a listener's
 * unaccepted child) live on in its namespaces after it ended, and their
 * tracepoint events (global, not per namespace) carry the block's addresses
 * and the case's ports; a block must not come back soon to a scenario that
 * reads those events.  A process starts where the clock points (100 blocks
 * a second, the range in 327 s: an orphan's FIN retries end within about
 * 100 s), then goes on from the block it took last. */
int addrblock_acquire(struct addrblock *b, struct err *e);
/* Move the next search on by one block: a runner calls it for each child
 * it forks, so that children, which each take one block, take them in
 * turn too. */
void addrblock_advance(void);
/* Take block @index; -1 with ERR_ENV if another holder has it. */
int addrblock_acquire_index(struct addrblock *b, unsigned index, struct err *e);
void addrblock_release(struct addrblock *b);

/* Addresses of the client and the server (ROLE_CLIENT or ROLE_SERVER). */
void addrblock_ip4(unsigned index, enum addr_role role, struct in_addr *out);
void addrblock_ip6(unsigned index, enum addr_role role, struct in6_addr *out);
void addrblock_mac(unsigned index, enum addr_role role, uint8_t mac[6]);

/* "nowhere": an address no block holds and no route of a scenario's
 * namespaces covers (they have no default route), so a connect to it
 * fails at the route lookup and sends nothing: 192.0.2.1 in RFC 5737's
 * TEST-NET-1 (192.0.2.0/24) and 2001:db8::1 in RFC 3849's documentation
 * prefix (2001:db8::/32), both set aside for examples, never routed. */
#define ADDR_NOWHERE_PREFIX4 24
#define ADDR_NOWHERE_PREFIX6 32
void addr_nowhere4(struct in_addr *out);
void addr_nowhere6(struct in6_addr *out);

#endif
