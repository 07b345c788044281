/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tcp.h - the names the harness gives TCP states, counters and the sides
 * of a connection, in one place for the case language, the tracer, the
 * reports and the profiles.
 */
#ifndef TC_TCP_H
#define TC_TCP_H

#include <stddef.h>

/* Where a line of a case acts: one end, both, the wire between them. */
enum side { SIDE_CLIENT = 0, SIDE_SERVER = 1, SIDE_BOTH = 2, SIDE_WIRE = 3, SIDE_NONE = 4 };

/* "client", "server", "both", "wire", "none". */
const char *side_name(enum side s);
/* TCP state names as the kernel's tracepoints print them ("ESTABLISHED");
 * "UNKNOWN" for a number that is no state. */
const char *tcp_state_name(int state);
/* The state a name stands for; -1 if none.  Beside the tracepoints' names
 * ("TIME_WAIT"): the kernel's enum (TCP_TIME_WAIT), ss(8)'s (TIME-WAIT,
 * ESTAB, SYN-SENT, FIN-WAIT-1, UNCONN, ...) and CLOSED. */
int tcp_state_parse(const char *s);
/* A counter's name as the harness spells it ("TcpExt.ListenDrops", what
 * results print) into @out, from that spelling or nstat(8)'s
 * ("TcpExtListenDrops", "TcpRetransSegs", "Ip6InReceives"): 0, or -1 when
 * @s is neither (or does not fit). */
int counter_name_parse(const char *s, char *out, size_t len);

#endif
