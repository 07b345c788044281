/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * step.h - the steps of a case: one line each, "client connect c to
 * server:8000", "wire hold c>s flags~F", "wait until ...", "observe ...".
 *
 * A step is a verb and the verb's own data, in a union by verb family.
 * The verbs are one table, step_verbs[]: a verb's name, how its line
 * begins, the parser of the rest of its line and a help line.  The
 * player's runners are run/steps.c's table, indexed by the same kind.
 * Adding a verb: a kind below, a row and a parser in step.c, a runner
 * in run/steps.c, a test in tests/test_scenario.c, a line in README.md.
 */
#ifndef TC_STEP_H
#define TC_STEP_H

#include <stdbool.h>
#include <stddef.h>

#include "model/caseline.h"
#include "model/rule.h"
#include "model/sockopt.h"
#include "model/tcp.h"

/* One per verb, in the order errors list the verbs. */
enum step_kind {
	/* client or server: a call on a socket of that side */
	ST_SOCKET,
	ST_SETSOCKOPT,
	ST_BIND,
	ST_LISTEN,
	ST_CONNECT,
	ST_ACCEPT,
	ST_SEND,
	ST_RECV,
	ST_SHUTDOWN,
	ST_CLOSE,
	ST_WATCH,  /* an edge-triggered epoll on the socket, or its SIGIOs: from now on */
	ST_FLOOD,  /* the client only: crafted SYNs from a raw socket */
	ST_ROUTE,  /* a route of a reject type to the "nowhere" prefix, or fwmark rules */
	ST_SYSCTL, /* a sysctl of the side's namespace written now */
	/* lines of their own */
	ST_WIRE,    /* add a fault rule, or remove one */
	ST_WAIT,    /* a time, or until a condition (bounded) */
	ST_MARK,    /* both sides' counters read, named */
	ST_OBSERVE, /* a named observation */
	ST_COUNT
};

/* socket ... close: a call on one side's socket */
struct step_call {
	char sock[SC_NAME_MAX];       /* the socket the step acts on */
	char other[SC_NAME_MAX];      /* accept: the listener; send ... to: the peer's reader */
	struct sockopt opt;           /* setsockopt */
	int port, from_port, backlog; /* bind, listen, connect; -1 when not given */
	/* bind, listen: to the unspecified address (0.0.0.0, ::) instead of
	 * the side's own; connect: to it ("to any:PORT"), which the kernel
	 * takes as loopback */
	bool any;
	bool nowhere;  /* connect: to the "nowhere" address (host/addrblock.h) */
	bool self;     /* connect: to the side's own address ("self:PORT") */
	bool loopback; /* bind, listen: to 127.0.0.1 or ::1 instead of the side's own address */
	/* connect: to a broadcast or multicast address of the link: IPv4 the
	 * /30's directed broadcast (its last address), IPv6 all-nodes ff02::1 */
	bool broadcast;
	/* connect: to the link-local address fe80::/64 with the peer's
	 * interface id (IPv6; no link of the topology has one) */
	bool linklocal;
	enum dev_ref scope; /* connect: sin6_scope_id, that device's ifindex */
	bool mapped; /* connect: to the IPv4 address as an IPv4-mapped IPv6 one (::ffff:a.b.c.d) */
	bool nonblock;
	int flowlabel; /* connect: sin6_flowinfo's label, -1 when not given */
	/* connect: the length passed to connect(2) instead of the address's
	 * own, and an sa_family instead of the socket's; -1 when not given */
	int addrlen, sa_family;
	long bytes;              /* send/recv size; -1: all available (recv) */
	char text[SC_VALUE_MAX]; /* send "text" */
	int how;                 /* shutdown: SHUT_RD/WR/RDWR */
	bool sigio;              /* watch S sigio: signal-driven I/O, not an epoll */
	bool rdhup;              /* watch S rdhup: an epoll registered for EPOLLRDHUP alone */
};

struct step_flood {
	int port; /* the server's */
	unsigned count, rate;
};

/* route nowhere TYPE: the route types that send nothing (rtnetlink(7)) */
enum route_type {
	ROUTE_UNREACHABLE, /* RTN_UNREACHABLE: EHOSTUNREACH */
	ROUTE_PROHIBIT,    /* RTN_PROHIBIT: EACCES */
	ROUTE_BLACKHOLE,   /* RTN_BLACKHOLE: EINVAL */
};

struct step_route {
	enum route_type type;
	/* route fwmark N only: policy rules instead (fwmark N uses the main
	 * table, whatever else the side sends is unreachable) */
	bool fwmark;
	unsigned mark;
	/* route ports [sport A[-B]] [dport C[-D]] only|unreachable: policy
	 * rules on TCP ports (only: those use the main table and whatever
	 * else the side sends is unreachable; unreachable: those are) */
	bool ports, ports_only;
	unsigned short sport_lo, sport_hi, dport_lo, dport_hi;
	/* route peer rto_min D: a host route to the peer with the RTAX_RTO_MIN
	 * metric, in ms (0: not this form) */
	unsigned peer_rto_min_ms;
};

/* SIDE sysctl KEY VALUE: written in the side's namespace when the step
 * runs; the variant's sysctls (what rows choose by) stay those of its
 * start. */
struct step_sysctl {
	char key[SC_KEY_MAX];
	char value[SC_VALUE_MAX];
};

struct step_wire {
	bool remove;                   /* wire remove NAME, wire pass */
	char rule_name[RULE_NAME_MAX]; /* what remove removes ("all": wire pass) */
	struct rule rule;              /* what wire RULE adds */
};

enum wait_until {
	WAIT_TIME,    /* wait DURATION */
	WAIT_STATE,   /* until a held socket is in a state (TCP_INFO) */
	WAIT_WIRE,    /* until the wire has seen min_count matching segments */
	WAIT_DIAG,    /* until inet_diag shows exactly min_count sockets in a state */
	WAIT_COUNTER, /* until a counter has moved by min_count or more */
};

struct step_wait {
	enum wait_until until;
	unsigned ms;              /* the time, or the bound */
	char sock[SC_NAME_MAX];   /* WAIT_STATE */
	int state;                /* WAIT_STATE, WAIT_DIAG: TCP_ESTABLISHED ... */
	int port;                 /* WAIT_DIAG: the local port, -1: any */
	unsigned min_count;       /* WAIT_WIRE, WAIT_DIAG, WAIT_COUNTER */
	struct match match;       /* WAIT_WIRE */
	int since_step;           /* WAIT_WIRE, WAIT_COUNTER: from this mark on (-1: the start) */
	char counter[SC_KEY_MAX]; /* WAIT_COUNTER: MIB.Name */
};

struct step_mark {
	char name[SC_NAME_MAX];
};

enum obs_kind {
	OB_STATE,         /* TCP state of a held socket (TCP_INFO) */
	OB_TCPINFO,       /* one TCP_INFO field */
	OB_STATES,        /* state timeline from tracepoints */
	OB_DIAG_COUNT,    /* inet_diag: sockets in a state */
	OB_DIAG_TIMER,    /* inet_diag: timer left on the first such socket */
	OB_DIAG_PEERPORT, /* inet_diag: the first such socket's peer port (idiag_dport) */
	OB_COUNTER,       /* /proc/net/netstat or snmp delta */
	OB_WIRE_COUNT,
	OB_WIRE_FLAGS,
	OB_WIRE_TIMES,
	OB_WIRE_SEQS,       /* sequence numbers, each minus the first's (mod 2^32) */
	OB_WIRE_ACKS,       /* ACK numbers, each minus the other direction's ISN */
	OB_WIRE_AGE,        /* ms from the last matching frame to the observation */
	OB_WIRE_OPTS,       /* the TCP options of each, by tcpdump's names */
	OB_WIRE_TSVALS,     /* TSvals, each minus the first's; null without the option */
	OB_WIRE_TSECRS,     /* TSecrs, each minus the TSval of the other side's SYN */
	OB_WIRE_WINS,       /* the window fields as sent (before any scaling) */
	OB_WIRE_TOS,        /* IPv4 TOS or IPv6 Traffic Class of each */
	OB_WIRE_TTLS,       /* IPv4 TTL or IPv6 Hop Limit of each */
	OB_WIRE_FLOWLABELS, /* the IPv6 Flow Label of each; null over IPv4 */
	OB_RESETS,          /* tracepoints: resets sent or received */
	OB_RETRANS,         /* tracepoints: segments (or SYN-ACKs) retransmitted */
	OB_SYSCTL,          /* a sysctl as read in the side's namespace, or "absent" */
	OB_SOCKNAME,        /* getsockname(2) of a held socket: its address (named) and port */
	OB_TSOFFSET, /* TCP_TIMESTAMP minus CLOCK_MONOTONIC in ms: the offset of its TS clock */
	OB_SOCKSTAT, /* /proc/net/sockstat(6) in the side's namespace: TCP inuse or tw */
	OB_SOERROR,  /* getsockopt(SO_ERROR) of a held socket: the pending error, taken */
	OB_WAKEUPS,  /* a watched socket's wake-ups since the watch or the last look */
	OB_SIGIO,    /* the bands of a socket's SIGIOs since its sigio watch or the last look */
	OB_SOCKOPT,  /* getsockopt(2) of an int option of a held socket */
	OB_SAVEDSYN, /* getsockopt(TCP_SAVED_SYN): the headers of the SYN a child was made from */
};

struct step_observe {
	enum obs_kind obs;
	char sock[SC_NAME_MAX]; /* OB_STATE, OB_TCPINFO, OB_STATES, OB_SOCKNAME, OB_TSOFFSET,
	                         * OB_SOERROR, OB_WAKEUPS, OB_SIGIO, OB_SOCKOPT,
	                         * OB_SAVEDSYN */
	/* tcpinfo field, counter MIB.Name, diag state, sysctl key, "sent" or
	 * "received" (resets), "skb" or "synack" (retransmits), "inuse" or "tw"
	 * (sockstat) */
	char field[SC_KEY_MAX];
	int state;          /* diag */
	int port;           /* diag: the local port, -1: any */
	int since_step;     /* counter: the change since this mark; wire: the
	                     * segments after it (-1: the start) */
	struct match match; /* wire */
};

struct step {
	enum step_kind kind;
	enum side side; /* SIDE_NONE when the line names none */
	unsigned line;
	/* conditional step: "when VAR=VALUE" */
	char when_var[SC_KEY_MAX];
	char when_value[SC_VALUE_MAX];
	/* recorded as a named observation */
	char as[SC_KEY_MAX];
	char src[256]; /* the line as written, for logs */
	union {        /* by kind */
		struct step_call call;
		struct step_flood flood;
		struct step_route route;
		struct step_sysctl sysctl;
		struct step_wire wire;
		struct step_wait wait;
		struct step_mark mark;
		struct step_observe observe;
	};
};

/* How a verb's line begins. */
enum verb_form {
	VERB_SIDE, /* "client VERB ..." or "server VERB ..." */
	VERB_LINE, /* "VERB ..." */
};

struct step_verb {
	const char *name;
	enum verb_form form;
	/* "as NAME" at the end of the line is the verb's own (a wire rule's
	 * name), not the name of an observation. */
	bool own_as;
	/* Reads the rest of the line, after the verb, into @st (its kind and
	 * side already set); 0 or -1 (an error at file:line:col). */
	int (*parse)(struct lp *p, struct step *st);
	const char *help; /* what the line looks like */
};

/* Indexed by enum step_kind. */
extern const struct step_verb step_verbs[ST_COUNT];

/* The step line that begins with @kw (after a "when VAR=VALUE", and with
 * an observation's "as NAME" taken off the tokens) into @st: 0, -1 on an
 * error, 1 when @kw begins no step line (the caller says what does).
 * p->steps holds the steps before it. */
int step_parse(struct lp *p, struct step *st, struct tok *kw);
/* Whether the line that begins with @kw keeps its "as NAME" (own_as). */
bool step_owns_as(const struct tok *kw);
/* The words a step line begins with, "client, server, wire, ...", into
 * @buf. */
void step_keywords(char *buf, size_t len);

#endif
