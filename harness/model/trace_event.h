/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * trace_event.h - TCP events as the kernel's tracepoints print them
 * (sock:inet_sock_set_state, tcp:tcp_send_reset, tcp:tcp_receive_reset,
 * tcp:tcp_retransmit_skb, tcp:tcp_retransmit_synack), parsed from the text
 * of a tracefs buffer: what host/tracer.c reads, what events.txt keeps.
 */
#ifndef TC_TRACE_EVENT_H
#define TC_TRACE_EVENT_H

#include <stddef.h>
#include <stdint.h>

/* The events, in the order host/tracer.c enables them. */
enum trace_kind { TE_STATE, TE_SEND_RESET, TE_RECV_RESET, TE_RETRANS, TE_RETRANS_SYNACK };

struct trace_event {
	enum trace_kind kind;
	double ts; /* seconds, trace clock */
	int family;
	uint8_t saddr[16], daddr[16];
	uint16_t sport, dport;
	int oldstate, newstate; /* TE_STATE; also the socket state of resets when given */
};

/* Parse the text of tracer_read(); returns the number of events (malloc'd
 * array in *out), only those whose addresses are IPv4 or IPv6 TCP. */
size_t trace_event_parse(const char *text, struct trace_event **out);
/* The timestamp of one line of the trace (seconds, trace clock), -1 if none. */
double trace_event_ts(const char *line);

#endif
