// SPDX-License-Identifier: GPL-2.0-only
/* tcp.c - names of TCP states and of the sides of a connection. */
#include "model/tcp.h"

#include <netinet/tcp.h>
#include <string.h>

static const char *const state_names[] = {
    [0] = "UNKNOWN",
    [TCP_ESTABLISHED] = "ESTABLISHED",
    [TCP_SYN_SENT] = "SYN_SENT",
    [TCP_SYN_RECV] = "SYN_RECV",
    [TCP_FIN_WAIT1] = "FIN_WAIT1",
    [TCP_FIN_WAIT2] = "FIN_WAIT2",
    [TCP_TIME_WAIT] = "TIME_WAIT",
    [TCP_CLOSE] = "CLOSE",
    [TCP_CLOSE_WAIT] = "CLOSE_WAIT",
    [TCP_LAST_ACK] = "LAST_ACK",
    [TCP_LISTEN] = "LISTEN",
    [TCP_CLOSING] = "CLOSING",
    [12] = "NEW_SYN_RECV",
};

const char *tcp_state_name(int state)
{
	if (state < 0 || state >= (int)(sizeof(state_names) / sizeof(state_names[0])))
		return "UNKNOWN";
	return state_names[state];
}

int tcp_state_parse(const char *s)
{
	size_t i;

	for (i = 1; i < sizeof(state_names) / sizeof(state_names[0]); i++)
		if (strcmp(s, state_names[i]) == 0)
			return (int)i;
	if (strcmp(s, "CLOSED") == 0)
		return TCP_CLOSE;
	return -1;
}

const char *side_name(enum side s)
{
	static const char *const names[] = {"client", "server", "both", "wire", "none"};

	return names[s];
}
