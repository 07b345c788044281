// SPDX-License-Identifier: GPL-2.0-only
/* player.c - a variant's clock, log and addresses. */
#include "run/player.h"
#include "base/clock.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <string.h>

const char *const phase_names[PHASE_N] = {
    [PHASE_ADDRBLOCK] = "addrblock", [PHASE_TOPOLOGY] = "topology", [PHASE_SYSCTLS] = "sysctls",
    [PHASE_TRACER] = "tracer",       [PHASE_COUNTERS] = "counters", [PHASE_WIRE] = "wire_start",
    [PHASE_STEPS] = "steps",         [PHASE_CLOSE] = "close",       [PHASE_WIRE_STOP] = "wire_stop",
    [PHASE_EVENTS] = "events",       [PHASE_FINISH] = "finish",
};

void player_phase(struct player *p, enum phase ph)
{
	double now = clock_ms();

	p->phase_ms[ph] += now - p->phase_t;
	p->phase_t = now;
}

void player_log(struct player *p, const char *fmt, ...)
{
	va_list ap;

	if (!p->log)
		return;
	fprintf(p->log, "%10.6f ", (clock_ms() - p->t0) / 1e3);
	va_start(ap, fmt);
	vfprintf(p->log, fmt, ap);
	va_end(ap);
	fputc('\n', p->log);
	fflush(p->log);
}

const struct topo_end *player_end(struct player *p, enum side s)
{
	return s == SIDE_CLIENT ? &p->t.client : &p->t.server;
}

const struct topo_end *player_peer(struct player *p, enum side s)
{
	return s == SIDE_CLIENT ? &p->t.server : &p->t.client;
}

socklen_t player_addr(struct player *p, const struct topo_end *end, int port,
                      struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (p->family == 4) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		s4->sin_addr = end->ip4;
		return sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		s6->sin6_addr = end->ip6;
		return sizeof(*s6);
	}
}

double ts_sec(struct timespec t)
{
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}
