// SPDX-License-Identifier: GPL-2.0-only
/* sysctl_facts.c - removed keys, global keys, and what common keys do. */
#include "model/sysctl_facts.h"

#include <string.h>
#include <sys/socket.h>

#include "model/step.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct sysctl_removed removed[] = {
    {"net.ipv4.tcp_tw_recycle", "4.12",
     "4396e46187ca \"tcp: remove tcp_tw_recycle\"; tcp(7): Linux 2.4 to Linux 4.11"},
};

const struct sysctl_removed *sysctl_removed_find(const char *key)
{
	size_t i;

	for (i = 0; i < N(removed); i++)
		if (strcmp(removed[i].key, key) == 0)
			return &removed[i];
	return NULL;
}

/* The tables a new namespace does not get: where each prefix's global keys
 * are registered (for the initial namespace only). */
static const struct {
	const char *prefix, *where;
} global_where[] = {
    {"net.core.", "net/core/sysctl_net_core.c net_core_table, registered for the initial "
                  "namespace only (netns_core_table holds the per-namespace keys)"},
    {"net.ipv4.neigh.default.", "net/core/neighbour.c neigh_sysctl_register() for the ARP "
                                "table's default parameters, one table for the whole host"},
    {"net.ipv6.neigh.default.", "net/core/neighbour.c neigh_sysctl_register() for the "
                                "neighbour discovery table's default parameters, one table for "
                                "the whole host"},
    {"net.ipv4.route.", "net/ipv4/route.c ipv4_route_table, registered for the initial "
                        "namespace only (ipv4_route_netns_table holds the per-namespace keys)"},
    {"net.ipv4.", "net/ipv4/sysctl_net_ipv4.c ipv4_table, registered for the initial "
                  "namespace only (ipv4_net_table holds the per-namespace keys)"},
    {"net.ipv6.", "net/ipv6/sysctl_net_ipv6.c ipv6_rotable, registered for the initial "
                  "namespace only"},
    {"net.nf_conntrack_max", "net/netfilter/nf_conntrack_standalone.c: one connection "
                             "tracking limit for the whole host"},
    {"net.netfilter.", "net/netfilter/nf_conntrack_standalone.c, nf_log.c: registered for "
                       "the initial namespace only"},
};

const char *sysctl_global_where(const char *key)
{
	size_t i;

	for (i = 0; i < N(global_where); i++)
		if (strncmp(key, global_where[i].prefix, strlen(global_where[i].prefix)) == 0)
			return global_where[i].where;
	return "";
}

static const struct sysctl_global globals[] = {
    {"net.core.netdev_max_backlog",
     "the length of each CPU's queue of received packets: net/core/dev.c "
     "enqueue_to_backlog() drops a packet beyond it",
     REACH_FLOOD,
     "a veth hands every frame to that queue (drivers/net/veth.c veth_xmit() -> "
     "netif_rx()): a burst longer than it loses frames before TCP sees them"},
    {"net.core.netdev_budget",
     "how many packets one softirq run takes from the queues (net/core/dev.c "
     "net_rx_action())",
     REACH_NONE, "it only spreads the same work over more or fewer softirq runs"},
    {"net.core.netdev_budget_usecs",
     "how long one softirq run may take packets (net/core/dev.c net_rx_action())", REACH_NONE,
     "it only spreads the same work over more or fewer softirq runs"},
    {"net.core.dev_weight", "how many packets the backlog queue hands over per softirq run",
     REACH_NONE, "it only spreads the same work over more or fewer softirq runs"},
    {"net.core.default_qdisc", "the queueing discipline a new device gets", REACH_NONE,
     "a veth is a queueless device (IFF_NO_QUEUE, drivers/net/veth.c veth_setup()): it gets "
     "no qdisc"},
    {"net.core.rmem_max",
     "the largest receive buffer setsockopt(SO_RCVBUF) may ask for (net/core/sock.c "
     "sk_setsockopt()), and the floor of the window scale a SYN offers "
     "(net/ipv4/tcp_output.c tcp_select_initial_window())",
     REACH_BUFSIZE, "only an explicit SO_RCVBUF or SO_SNDBUF is capped by it"},
    {"net.core.wmem_max",
     "the largest send buffer setsockopt(SO_SNDBUF) may ask for (net/core/sock.c "
     "sk_setsockopt())",
     REACH_BUFSIZE, "only an explicit SO_RCVBUF or SO_SNDBUF is capped by it"},
    {"net.core.rmem_default", "the receive buffer a new socket starts with", REACH_NONE,
     "a TCP socket starts from tcp_rmem[1] instead (net/ipv4/tcp.c tcp_init_sock())"},
    {"net.core.wmem_default", "the send buffer a new socket starts with", REACH_NONE,
     "a TCP socket starts from tcp_wmem[1] instead (net/ipv4/tcp.c tcp_init_sock())"},
    {"net.core.busy_poll", "how long a poll() or select() busy-waits on a device queue", REACH_NONE,
     "it changes when a waiting socket looks, not what it finds"},
    {"net.core.busy_read", "how long a blocking read busy-waits on a device queue", REACH_NONE,
     "it changes when a waiting socket looks, not what it finds"},
    {"net.ipv4.tcp_mem",
     "how many pages all TCP sockets of the host may hold together before memory "
     "pressure, and then refusal (net/core/sock.c __sk_mem_raise_allocated())",
     REACH_ALL, "every TCP socket's buffers count against it"},
    {"net.ipv4.tcp_max_orphans",
     "how many orphaned sockets (closed by their application, still closing) the host keeps: "
     "beyond it close() resets the connection (net/ipv4/tcp.c tcp_check_oom(): \"too many "
     "orphaned sockets\", TcpExt.TCPAbortOnMemory)",
     REACH_CLOSE, "a connection closed by its application is an orphan until it is gone"},
    {"net.ipv4.udp_mem", "how many pages all UDP sockets of the host may hold together", REACH_NONE,
     "no case uses UDP"},
    {"net.ipv4.tcp_available_ulp", "the upper layer protocols loaded (read-only)", REACH_NONE,
     "it is a list the kernel reports, not a setting"},
    {"net.ipv4.neigh.default.",
     "the ARP table's defaults (garbage collection thresholds, probe "
     "timers)",
     REACH_NONE,
     "the endpoints' neighbour entries are permanent (NUD_PERMANENT): never probed or "
     "collected"},
    {"net.ipv6.neigh.default.",
     "the neighbour discovery table's defaults (garbage collection "
     "thresholds, probe timers)",
     REACH_NONE,
     "the endpoints' neighbour entries are permanent (NUD_PERMANENT): never probed or "
     "collected"},
    {"net.ipv4.route.", "IPv4 route cache and ICMP redirect limits", REACH_NONE,
     "the endpoints route over one connected /30: no redirect, no cached route to collect"},
    {"net.nf_conntrack_max", "the size of the connection tracking table", REACH_NONE,
     "the test namespaces have no netfilter rule: nothing tracks their connections"},
    {"net.netfilter.", "netfilter's host-wide settings", REACH_NONE,
     "the test namespaces have no netfilter rule"},
};

const struct sysctl_global *sysctl_global_find(const char *key)
{
	size_t i;

	for (i = 0; i < N(globals); i++) {
		size_t n = strlen(globals[i].key);

		if (globals[i].key[n - 1] == '.' ? strncmp(key, globals[i].key, n) == 0
		                                 : strcmp(key, globals[i].key) == 0)
			return &globals[i];
	}
	return NULL;
}

bool sysctl_global_reaches(const struct sysctl_global *g, const struct scenario *sc)
{
	size_t i;

	if (g->reach == REACH_ALL)
		return true;
	for (i = 0; i < sc->nsteps; i++) {
		const struct step *st = &sc->steps[i];

		switch (g->reach) {
		case REACH_CLOSE:
			if (st->kind == ST_CLOSE)
				return true;
			break;
		case REACH_FLOOD:
			/* a flood, or a transfer of a MiB or more (some 700
			 * frames, in the order of the default 1000) */
			if (st->kind == ST_FLOOD ||
			    (st->kind == ST_SEND && st->call.other[0] && st->call.bytes >= 1 << 20))
				return true;
			break;
		case REACH_BUFSIZE:
			if (st->kind == ST_SETSOCKOPT && st->call.opt.level == SOL_SOCKET &&
			    (st->call.opt.name == SO_RCVBUF || st->call.opt.name == SO_SNDBUF))
				return true;
			break;
		default:
			return false;
		}
	}
	return false;
}

/* What the keys operators tune do, from ip-sysctl.rst (net.core: the
 * admin guide's sysctl/net.rst). */
static const struct {
	const char *key, *doc;
} docs[] = {
    {"net.ipv4.tcp_fin_timeout",
     "how long an orphaned connection (its application has closed it) waits in FIN_WAIT2 "
     "for the peer's FIN before the kernel drops it; not the length of TIME_WAIT "
     "(ip-sysctl.rst tcp_fin_timeout)"},
    {"net.ipv4.tcp_tw_reuse",
     "whether a new outgoing connection may take over a 4-tuple still in TIME_WAIT when "
     "timestamps show it is safe: 0 never, 1 yes, 2 for loopback only (ip-sysctl.rst "
     "tcp_tw_reuse)"},
    {"net.ipv4.tcp_tw_reuse_delay",
     "how old, in ms, a TIME_WAIT must be before tcp_tw_reuse takes it over (ip-sysctl.rst "
     "tcp_tw_reuse_delay, 6.14+)"},
    {"net.ipv4.tcp_max_tw_buckets",
     "how many TIME_WAIT sockets are kept; beyond it a closing connection keeps none "
     "(ip-sysctl.rst tcp_max_tw_buckets)"},
    {"net.ipv4.tcp_syn_retries",
     "how many times an unanswered SYN is sent again before connect() gives up with "
     "ETIMEDOUT (ip-sysctl.rst tcp_syn_retries)"},
    {"net.ipv4.tcp_synack_retries",
     "how many times a SYN-ACK nobody acknowledges is sent again before the half-open "
     "connection is dropped (ip-sysctl.rst tcp_synack_retries)"},
    {"net.ipv4.tcp_syncookies",
     "SYN cookies: 0 never, 1 when the SYN queue overflows, 2 always (ip-sysctl.rst "
     "tcp_syncookies)"},
    {"net.ipv4.tcp_max_syn_backlog",
     "how many half-open connections a listener keeps, besides the backlog listen() is "
     "given (ip-sysctl.rst tcp_max_syn_backlog)"},
    {"net.core.somaxconn", "the cap on the backlog listen() is given (ip-sysctl.rst somaxconn)"},
    {"net.ipv4.ip_local_port_range",
     "the local ports connect() picks from (ip-sysctl.rst ip_local_port_range)"},
    {"net.ipv4.tcp_keepalive_time",
     "how long a connection with SO_KEEPALIVE is idle before the first probe, unless the "
     "socket sets TCP_KEEPIDLE (ip-sysctl.rst tcp_keepalive_time)"},
    {"net.ipv4.tcp_keepalive_intvl",
     "the time between keepalive probes, unless the socket sets TCP_KEEPINTVL (ip-sysctl.rst "
     "tcp_keepalive_intvl)"},
    {"net.ipv4.tcp_keepalive_probes",
     "how many unanswered keepalive probes end a connection, unless the socket sets "
     "TCP_KEEPCNT (ip-sysctl.rst tcp_keepalive_probes)"},
    {"net.ipv4.tcp_timestamps",
     "TCP timestamps (RFC 7323), which tcp_tw_reuse and PAWS rely on (ip-sysctl.rst "
     "tcp_timestamps)"},
    {"net.ipv4.tcp_sack", "selective acknowledgements (RFC 2018) (ip-sysctl.rst tcp_sack)"},
    {"net.ipv4.tcp_window_scaling", "window scaling (RFC 7323) (ip-sysctl.rst tcp_window_scaling)"},
    {"net.ipv4.tcp_rmem",
     "a TCP socket's receive buffer: least, start and most that autotuning gives it "
     "(ip-sysctl.rst tcp_rmem)"},
    {"net.ipv4.tcp_wmem",
     "a TCP socket's send buffer: least, start and most that autotuning gives it "
     "(ip-sysctl.rst tcp_wmem)"},
    {"net.ipv4.tcp_slow_start_after_idle",
     "whether an idle connection's congestion window falls back to the initial window "
     "(ip-sysctl.rst tcp_slow_start_after_idle)"},
    {"net.ipv4.tcp_mtu_probing",
     "packetization-layer path MTU discovery: 0 off, 1 once an ICMP black hole is seen, 2 "
     "always (ip-sysctl.rst tcp_mtu_probing)"},
    {"net.ipv4.tcp_abort_on_overflow",
     "whether a handshake that finds the accept queue full is answered with a reset "
     "(ip-sysctl.rst tcp_abort_on_overflow)"},
    {"net.ipv4.tcp_rfc1337",
     "whether TIME_WAIT ignores resets (RFC 1337) (ip-sysctl.rst tcp_rfc1337)"},
    {"net.ipv4.tcp_fastopen",
     "TCP Fast Open: 1 for clients, 2 for servers, 3 both (ip-sysctl.rst tcp_fastopen)"},
    {"net.ipv4.tcp_congestion_control",
     "the congestion control new connections use (ip-sysctl.rst tcp_congestion_control)"},
    {"net.ipv4.tcp_no_metrics_save",
     "whether a closing connection's RTT and ssthresh are kept for the next one to the same "
     "host (ip-sysctl.rst tcp_no_metrics_save)"},
    {"net.ipv4.tcp_ecn", "explicit congestion notification (ip-sysctl.rst tcp_ecn)"},
    {"net.ipv4.tcp_orphan_retries",
     "how many retransmissions an orphaned connection gets before it is killed "
     "(ip-sysctl.rst tcp_orphan_retries)"},
    {"net.ipv4.tcp_retries2",
     "how many retransmissions an established connection gets before it is given up "
     "(ip-sysctl.rst tcp_retries2)"},
    {"net.ipv4.tcp_notsent_lowat",
     "how much unsent data makes a socket writable again (ip-sysctl.rst tcp_notsent_lowat)"},
    {"net.ipv4.tcp_syn_linear_timeouts",
     "how many SYN retransmissions keep a 1 s timeout before it doubles (ip-sysctl.rst "
     "tcp_syn_linear_timeouts, 6.5+)"},
    {"net.ipv4.tcp_early_retrans",
     "tail loss probes and early retransmission (ip-sysctl.rst tcp_early_retrans)"},
    {"net.core.rmem_max",
     "the largest receive buffer setsockopt(SO_RCVBUF) may ask for (sysctl/net.rst "
     "rmem_max)"},
    {"net.core.wmem_max",
     "the largest send buffer setsockopt(SO_SNDBUF) may ask for (sysctl/net.rst wmem_max)"},
    {"net.core.netdev_max_backlog",
     "how many received packets each CPU's queue holds (sysctl/net.rst "
     "netdev_max_backlog)"},
    {"net.ipv4.tcp_mem",
     "the pages all TCP sockets may hold together: low, pressure, high (ip-sysctl.rst "
     "tcp_mem)"},
    {"net.ipv4.tcp_max_orphans",
     "how many orphaned sockets the host keeps (ip-sysctl.rst tcp_max_orphans)"},
};

const char *sysctl_doc(const char *key)
{
	size_t i;

	for (i = 0; i < N(docs); i++)
		if (strcmp(docs[i].key, key) == 0)
			return docs[i].doc;
	return NULL;
}
