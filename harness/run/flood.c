// SPDX-License-Identifier: GPL-2.0-only
/* flood.c - a SYN flood from crafted segments. */
#include "run/flood.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "host/netns.h"
#include "model/checksum.h"

/* A SYN from @sport with an MSS option; checksum over the IPv4 pseudo
 * header (IPv6 raw sockets compute it themselves: IPV6_CHECKSUM). */
static size_t craft_syn(struct player *p, uint16_t sport, uint16_t dport, uint8_t *t)
{
	uint32_t seq = 0x10000000u + (uint32_t)sport * 7919u;

	memset(t, 0, 24);
	t[0] = (uint8_t)(sport >> 8);
	t[1] = (uint8_t)sport;
	t[2] = (uint8_t)(dport >> 8);
	t[3] = (uint8_t)dport;
	t[4] = (uint8_t)(seq >> 24);
	t[5] = (uint8_t)(seq >> 16);
	t[6] = (uint8_t)(seq >> 8);
	t[7] = (uint8_t)seq;
	t[12] = 6 << 4; /* 24-byte header */
	t[13] = 0x02;   /* SYN */
	t[14] = 0xfa;   /* window 64240 */
	t[15] = 0xf0;
	t[20] = 2; /* MSS 1460 */
	t[21] = 4;
	t[22] = 0x05;
	t[23] = 0xb4;
	if (p->family == 4) {
		uint16_t c = csum_tcp4((const uint8_t *)&p->t.client.ip4,
		                       (const uint8_t *)&p->t.server.ip4, t, 24);

		t[16] = (uint8_t)(c >> 8);
		t[17] = (uint8_t)c;
	}
	return 24;
}

int flood_run(struct player *p, const struct step *st, long *sent, int *err)
{
	struct sockaddr_storage ss;
	struct rule drop;
	uint16_t hi = (uint16_t)(FLOOD_PORT0 + st->flood.count - 1);
	double next = clock_ms(), gap = 1000.0 / st->flood.rate;
	socklen_t len;
	unsigned i;
	int fd, off = 16;

	/* drop s>c flags=S. dport=FLOOD_PORT0-hi */
	rule_init(&drop, RULE_DROP);
	drop.m.dir = DIR_S2C;
	drop.m.has_flags = drop.m.flags_exact = true;
	drop.m.flags = TCPF_SYN | TCPF_ACK;
	drop.m.dport = FLOOD_PORT0;
	drop.m.dport_hi = hi;
	/* A count of 45537 to 65536 wraps the last source port (uint16_t)
	 * below FLOOD_PORT0: refused as when the rule was text that rule_parse
	 * read ("flood:LINE:25", the column of the range in that text). */
	if (hi < FLOOD_PORT0)
		return err_at(p->e, "flood", st->line, 25, "port range %d-%u runs backwards",
		              FLOOD_PORT0, hi);
	if (wire_add(p->w, &drop, NULL, p->e) < 0)
		return -1;
	player_log(p, "line %u: wire drop s>c flags=S. dport=%d-%u (for the flood)", st->line,
	           FLOOD_PORT0, hi);
	fd = netns_socket(p->t.client.nsfd, p->family == 4 ? AF_INET : AF_INET6, SOCK_RAW,
	                  IPPROTO_TCP, p->e);
	if (fd < 0)
		return err_wrap(p->e, "line %u: flood: a raw socket needs CAP_NET_RAW", st->line);
	if (p->family == 6 && setsockopt(fd, IPPROTO_IPV6, IPV6_CHECKSUM, &off, sizeof(off)) < 0) {
		close(fd);
		return err_sys(p->e, "line %u: flood: IPV6_CHECKSUM", st->line);
	}
	len = player_addr(p, &p->t.server, 0, &ss); /* raw: the port is in our header */
	*sent = 0;
	*err = 0;
	for (i = 0; i < st->flood.count; i++) {
		uint8_t seg[24];
		size_t n = craft_syn(p, (uint16_t)(FLOOD_PORT0 + i), (uint16_t)st->flood.port, seg);
		double now = clock_ms();

		if (now < next)
			usleep((useconds_t)((next - now) * 1000));
		next += gap;
		if (sendto(fd, seg, n, 0, (struct sockaddr *)&ss, len) < 0) {
			*err = errno;
			break;
		}
		(*sent)++;
	}
	close(fd);
	return 0;
}
