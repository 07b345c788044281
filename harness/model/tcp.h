/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tcp.h - the names the harness gives TCP states and the sides of a
 * connection, in one place for the case language, the tracer, the
 * reports and the profiles.
 */
#ifndef TC_TCP_H
#define TC_TCP_H

/* Where a line of a case acts: one end, both, the wire between them. */
enum side { SIDE_CLIENT = 0, SIDE_SERVER = 1, SIDE_BOTH = 2, SIDE_WIRE = 3, SIDE_NONE = 4 };

/* "client", "server", "both", "wire", "none". */
const char *side_name(enum side s);
/* TCP state names as the kernel's tracepoints print them ("ESTABLISHED");
 * "UNKNOWN" for a number that is no state. */
const char *tcp_state_name(int state);
/* The state a name stands for ("CLOSED" too, for TCP_CLOSE); -1 if none. */
int tcp_state_parse(const char *s);

#endif
