// SPDX-License-Identifier: GPL-2.0-only
/* trace_event.c - the text of a tracefs buffer, parsed into TCP events. */
#include "model/trace_event.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "model/tcp.h"

/* Value of "key=" in the event text, up to the next space. */
static bool field(const char *s, const char *key, char *out, size_t len)
{
	const char *p = s;
	size_t klen = strlen(key), n;

	while ((p = strstr(p, key))) {
		if ((p == s || p[-1] == ' ') && p[klen] == '=') {
			p += klen + 1;
			n = strcspn(p, " \n");
			if (n >= len)
				n = len - 1;
			memcpy(out, p, n);
			out[n] = '\0';
			return true;
		}
		p += klen;
	}
	return false;
}

static int state_of(const char *s)
{
	if (strncmp(s, "TCP_", 4) == 0)
		s += 4;
	return tcp_state_parse(s);
}

/* "10.0.0.1:80" or "[fd00::1]:80" or "fd00::1:80" style (%pISpc). */
static bool addr_port(const char *s, int *family, uint8_t *addr, uint16_t *port)
{
	char buf[80];
	const char *colon;
	size_t n;

	if (s[0] == '[') {
		const char *end = strchr(s, ']');

		if (!end || end[1] != ':' || (size_t)(end - s - 1) >= sizeof(buf))
			return false;
		n = (size_t)(end - s - 1);
		memcpy(buf, s + 1, n);
		buf[n] = '\0';
		*port = (uint16_t)atoi(end + 2);
		*family = AF_INET6;
		return inet_pton(AF_INET6, buf, addr) == 1;
	}
	colon = strrchr(s, ':');
	if (!colon || (size_t)(colon - s) >= sizeof(buf))
		return false;
	n = (size_t)(colon - s);
	memcpy(buf, s, n);
	buf[n] = '\0';
	*port = (uint16_t)atoi(colon + 1);
	*family = AF_INET;
	return inet_pton(AF_INET, buf, addr) == 1;
}

/* family=/sport=/dport=/saddr=/daddr=/saddrv6=/daddrv6= style events. */
static bool tuple_fields(const char *s, struct trace_event *ev)
{
	char v[80];

	if (field(s, "family", v, sizeof(v))) {
		ev->family = strcmp(v, "AF_INET6") == 0 ? AF_INET6 : AF_INET;
	} else {
		/* The tcp:* events print family= only since 3dd344ea84e1 "net:
		 * tracepoint: exposing sk_family in all tcp:tracepoints" (v5.12).
		 * Before, TP_STORE_ADDRS() gives an IPv4 socket v4-mapped v6
		 * fields (include/trace/events/tcp.h), so they tell the family. */
		if (!field(s, "saddrv6", v, sizeof(v)))
			return false;
		ev->family = strncmp(v, "::ffff:", 7) == 0 && strchr(v, '.') ? AF_INET : AF_INET6;
	}
	if (!field(s, "sport", v, sizeof(v)))
		return false;
	ev->sport = (uint16_t)atoi(v);
	if (!field(s, "dport", v, sizeof(v)))
		return false;
	ev->dport = (uint16_t)atoi(v);
	if (ev->family == AF_INET) {
		if (!field(s, "saddr", v, sizeof(v)) || inet_pton(AF_INET, v, ev->saddr) != 1 ||
		    !field(s, "daddr", v, sizeof(v)) || inet_pton(AF_INET, v, ev->daddr) != 1)
			return false;
	} else {
		if (!field(s, "saddrv6", v, sizeof(v)) || inet_pton(AF_INET6, v, ev->saddr) != 1 ||
		    !field(s, "daddrv6", v, sizeof(v)) || inet_pton(AF_INET6, v, ev->daddr) != 1)
			return false;
	}
	return true;
}

size_t trace_event_parse(const char *text, struct trace_event **out)
{
	struct trace_event *evs = NULL;
	size_t n = 0, cap = 0;
	const char *line = text;

	*out = NULL;
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		char buf[1024], v[80];
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		struct trace_event ev;
		const char *body = NULL;
		bool ok = false;

		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
		memcpy(buf, line, len);
		buf[len] = '\0';
		line = nl ? nl + 1 : NULL;
		if (buf[0] == '#')
			continue;
		memset(&ev, 0, sizeof(ev));
		ev.oldstate = ev.newstate = -1;
		/* "task-pid [cpu] flags 1234.567890: event_name: fields" */
		{
			static const struct {
				const char *pat;
				enum trace_kind kind;
			} kinds[] = {
			    {": inet_sock_set_state: ", TE_STATE},
			    {": tcp_receive_reset: ", TE_RECV_RESET},
			    {": tcp_send_reset: ", TE_SEND_RESET},
			    {": tcp_retransmit_skb: ", TE_RETRANS},
			    {": tcp_retransmit_synack: ", TE_RETRANS_SYNACK},
			};
			const char *mark = NULL, *p;
			size_t k;

			for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]) && !mark; k++) {
				mark = strstr(buf, kinds[k].pat);
				if (mark) {
					ev.kind = kinds[k].kind;
					body = mark + strlen(kinds[k].pat);
				}
			}
			if (!mark)
				continue;
			for (p = mark; p > buf && p[-1] != ' ';)
				p--;
			ev.ts = atof(p);
		}
		switch (ev.kind) {
		case TE_STATE:
			ok = tuple_fields(body, &ev) && field(body, "protocol", v, sizeof(v)) &&
			     strcmp(v, "IPPROTO_TCP") == 0;
			if (ok && field(body, "oldstate", v, sizeof(v)))
				ev.oldstate = state_of(v);
			if (ok && field(body, "newstate", v, sizeof(v)))
				ev.newstate = state_of(v);
			break;
		case TE_SEND_RESET:
			if (field(body, "src", v, sizeof(v)) &&
			    addr_port(v, &ev.family, ev.saddr, &ev.sport) &&
			    field(body, "dest", v, sizeof(v)) &&
			    addr_port(v, &ev.family, ev.daddr, &ev.dport))
				ok = true;
			else
				ok = tuple_fields(body, &ev); /* older kernels */
			if (ok && field(body, "state", v, sizeof(v)))
				ev.oldstate = state_of(v);
			break;
		case TE_RETRANS:
			ok = tuple_fields(body, &ev);
			if (ok && field(body, "state", v, sizeof(v)))
				ev.oldstate = state_of(v);
			break;
		case TE_RECV_RESET:
		case TE_RETRANS_SYNACK:
			ok = tuple_fields(body, &ev);
			break;
		}
		if (!ok)
			continue;
		if (ARRAY_RESERVE(&evs, &cap, n + 1, 64))
			break;
		evs[n++] = ev;
	}
	*out = evs;
	return n;
}

double trace_event_ts(const char *line)
{
	/* "task-pid [cpu] flags 1234.567890: event: ..." */
	const char *colon = strstr(line, ": ");
	const char *p;

	if (!colon)
		return -1;
	for (p = colon; p > line && p[-1] != ' ';)
		p--;
	return atof(p);
}
