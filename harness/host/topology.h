/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * topology.h - the namespaces and links of one scenario run.
 *
 *   wire shape:
 *    client ns                 wire ns                  server ns
 *    [c0 198.18.x.1] ==veth== [w0] (forwarder) [w1] ==veth== [s0 198.18.x.2]
 *    2001:2:0:N::1                                           2001:2:0:N::2
 *    (the addresses of block N: host/addrblock.h)
 *
 *   direct shape:  [c0 198.18.x.1] ==veth== [s0 198.18.x.2]
 *
 * All three namespaces are anonymous and held only by the descriptors in
 * struct topology; everything is configured through libnl-route-3.  The
 * endpoints get permanent neighbour entries (no ARP or ND on the wire),
 * IPv6 without DAD and no link-local address, and their offloads off.  The
 * wire namespace has no addresses and IPv6 disabled, so it sends nothing of
 * its own.
 */
#ifndef TC_TOPOLOGY_H
#define TC_TOPOLOGY_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "host/addrblock.h"

enum topo_shape {
	TOPO_DIRECT, /* client ⇄ server */
	TOPO_WIRE,   /* client ⇄ wire ⇄ server */
};

struct topo_end {
	int nsfd;
	char ifname[IFNAMSIZ]; /* c0, s0, w0, w1 */
	int ifindex;           /* in its own namespace */
	uint8_t mac[6];
	struct in_addr ip4;  /* endpoints only */
	struct in6_addr ip6; /* endpoints only */
};

struct topology {
	enum topo_shape shape;
	unsigned block;
	bool ipv6; /* false when the kernel has no IPv6 */
	struct topo_end client, server;
	int wire_nsfd;                  /* -1 in the direct shape */
	struct topo_end wire_c, wire_s; /* w0 faces the client, w1 the server */
	unsigned steps;                 /* set-up steps done so far */
};

struct topology_opts {
	enum topo_shape shape;
	unsigned block;      /* address block, see addrblock.h */
	unsigned fail_after; /* tests only: fail after this many steps (0: never) */
};

/* Build the whole topology.  On error nothing is left: every namespace made
 * so far is released with its links. */
int topology_build(struct topology *t, const struct topology_opts *o, struct err *e);
/* Release every namespace (and so every link and address in them). */
void topology_destroy(struct topology *t);

/* The two halves of topology_build(), for `bench topology`, which configures
 * the same namespaces with ip(8) to compare. */
int topology_create_namespaces(struct topology *t, const struct topology_opts *o, struct err *e);
int topology_configure(struct topology *t, const struct topology_opts *o, struct err *e);

/* Give each link the first ifindex free in its namespace (w1 the one after
 * w0's): a new namespace may already hold devices besides lo (sit0, tunl0 ...
 * when tunnel drivers are built in).  topology_configure() calls it. */
int topology_pick_ifindexes(struct topology *t, struct err *e);

const char *topo_shape_name(enum topo_shape s);

/* In @end's namespace, a route of @type (RTN_UNREACHABLE, RTN_PROHIBIT,
 * RTN_BLACKHOLE: no next hop, nothing sent) to the "nowhere" prefix of
 * @family (host/addrblock.h).  It goes with the namespace. */
int topology_add_nowhere_route(const struct topo_end *end, int family, int type, struct err *e);

/* In @end's namespace, a host route of @family to @peer (the other end's
 * address) over @end's link with the rto_min metric (RTAX_RTO_MIN, in ms:
 * `ip route add PEER dev c0 rto_min 3000ms`): TCP's retransmission timeout
 * toward the peer is at least @rto_min_ms (net/ipv4/tcp_input.c
 * tcp_rto_min(), dst_metric_rtt()).  It goes with the namespace. */
int topology_add_peer_route(const struct topo_end *end, int family, const struct topo_end *peer,
                            unsigned rto_min_ms, struct err *e);

/* What a case's policy rule matches (ip-rule(8)): a fwmark (0: any) and
 * TCP source and destination port ranges (0: any; FRA_SPORT_RANGE and
 * FRA_DPORT_RANGE, since v4.17, with ipproto tcp). */
struct policy_match {
	unsigned mark;
	uint16_t sport_lo, sport_hi, dport_lo, dport_hi;
};

/* In @end's namespace, policy rules of @family (ip-rule(8)).  @only:
 * priority 1000 "MATCH lookup main", priority 1001 "iif lo unreachable":
 * what the side sends that matches is routed as before, anything else it
 * sends fails with ENETUNREACH (net/ipv4/fib_rules.c fib4_rule_action(),
 * FR_ACT_UNREACHABLE).  "iif lo" limits the second to the side's own
 * packets (an output lookup's iif is the loopback, net/ipv4/route.c
 * ip_route_output_key_hash()), so the reverse-path check of what it
 * receives is not affected.  Not @only: priority 1000 "MATCH unreachable".
 * IPv6 needs CONFIG_IPV6_MULTIPLE_TABLES.  They go with the namespace. */
int topology_add_policy_rules(const struct topo_end *end, int family, const struct policy_match *m,
                              bool only, struct err *e);

#endif
