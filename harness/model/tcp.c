// SPDX-License-Identifier: GPL-2.0-only
/* tcp.c - names of TCP states, of counters and of the sides of a connection. */
#include "model/tcp.h"

#include <netinet/tcp.h>
#include <stdio.h>
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

/* The names ss(8) prints (iproute2 misc/ss.c sstate_name[]) and the
 * kernel's own enum names (TCP_ESTABLISHED), beside the tracepoints'. */
static const struct {
	const char *name;
	int state;
} state_aliases[] = {
    {"CLOSED", TCP_CLOSE},        {"ESTAB", TCP_ESTABLISHED},    {"SYN-SENT", TCP_SYN_SENT},
    {"SYN-RECV", TCP_SYN_RECV},   {"FIN-WAIT-1", TCP_FIN_WAIT1}, {"FIN-WAIT-2", TCP_FIN_WAIT2},
    {"TIME-WAIT", TCP_TIME_WAIT}, {"UNCONN", TCP_CLOSE},         {"CLOSE-WAIT", TCP_CLOSE_WAIT},
    {"LAST-ACK", TCP_LAST_ACK},   {"NEW-SYN-RECV", 12},
};

int tcp_state_parse(const char *s)
{
	size_t i;

	if (strncmp(s, "TCP_", 4) == 0 && s[4])
		s += 4;
	for (i = 1; i < sizeof(state_names) / sizeof(state_names[0]); i++)
		if (strcmp(s, state_names[i]) == 0)
			return (int)i;
	for (i = 0; i < sizeof(state_aliases) / sizeof(state_aliases[0]); i++)
		if (strcmp(s, state_aliases[i].name) == 0)
			return state_aliases[i].state;
	return -1;
}

/* The MIBs of /proc/net/snmp, netstat and snmp6, which nstat(8) writes
 * before the counter's name without a dot ("TcpExtListenDrops"). */
static const char *const mibs[] = {"Ip",     "IpExt", "Icmp",    "IcmpMsg",  "Tcp",
                                   "TcpExt", "Udp",   "UdpLite", "MPTcpExt", "Ip6",
                                   "Icmp6",  "Udp6",  "UdpLite6"};

int counter_name_parse(const char *s, char *out, size_t len)
{
	size_t i, best = 0;

	if (strchr(s, '.')) {
		if (s[0] == '.' || strchr(s, '.')[1] == '\0')
			return -1;
		return snprintf(out, len, "%s", s) < (int)len ? 0 : -1;
	}
	/* nstat's: the longest MIB that is a prefix, a capital after it. */
	for (i = 0; i < sizeof(mibs) / sizeof(mibs[0]); i++) {
		size_t n = strlen(mibs[i]);

		if (strcmp(s, mibs[i]) == 0)
			return -1; /* a MIB, no counter: not Tcp.Ext */
		if (n > best && strncmp(s, mibs[i], n) == 0 && s[n] >= 'A' && s[n] <= 'Z')
			best = n;
	}
	if (!best)
		return -1;
	return snprintf(out, len, "%.*s.%s", (int)best, s, s + best) < (int)len ? 0 : -1;
}

const char *side_name(enum side s)
{
	static const char *const names[] = {"client", "server", "both", "wire", "none"};

	return names[s];
}
