// SPDX-License-Identifier: GPL-2.0-only
/* frame.c - decode and print Ethernet/IP/TCP frames. */
#include "model/frame.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/checksum.h"

#define ETH_HLEN_      14
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_VLAN 0x8100

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* TCP header at @off, @seglen bytes of TCP segment (header + payload). */
static int decode_tcp(const uint8_t *buf, size_t len, size_t off, size_t seglen,
                      struct frame_info *fi)
{
	const uint8_t *t = buf + off;
	size_t hlen, i;

	if (seglen < 20 || off + seglen > len)
		return -1;
	hlen = (size_t)(t[12] >> 4) * 4;
	if (hlen < 20 || hlen > seglen)
		return -1;
	fi->sport = get16(t);
	fi->dport = get16(t + 2);
	fi->seq = get32(t + 4);
	fi->ack = get32(t + 8);
	fi->flags = t[13];
	fi->win = get16(t + 14);
	fi->tcp_off = (uint16_t)off;
	fi->opt_len = (uint16_t)(hlen - 20);
	fi->payload = (uint16_t)(seglen - hlen);
	/* Timestamps, for the observations that need them. */
	for (i = 20; i < hlen;) {
		uint8_t kind = t[i];

		if (kind == 0)
			break;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= hlen || t[i + 1] < 2 || i + t[i + 1] > hlen) {
			fi->opts_bad = true;
			break;
		}
		if (fi->nopts < FRAME_MAX_OPTS)
			fi->opts[fi->nopts++] = kind;
		if (kind == 8 && t[i + 1] == 10) {
			fi->has_ts = true;
			fi->tsval = get32(t + i + 2);
			fi->tsecr = get32(t + i + 6);
		}
		i += t[i + 1];
	}
	return 0;
}

const char *frame_opt_name(uint8_t kind, char *buf, size_t len)
{
	/* tcpdump's print-tcp.c names; the IANA TCP option kind numbers */
	switch (kind) {
	case 2:
		return "mss";
	case 3:
		return "wscale";
	case 4:
		return "sackOK";
	case 5:
		return "sack";
	case 8:
		return "TS";
	case 19:
		return "md5";
	case 29:
		return "tcp-ao";
	case 30:
		return "mptcp";
	case 34:
		return "tfo";
	case 253:
	case 254:
		return "exp"; /* RFC 6994: also TFO's experimental form */
	}
	snprintf(buf, len, "opt-%u", kind);
	return buf;
}

/* @cut: the packet may end before the length its header gives (headers
 * only, as TCP_SAVED_SYN keeps them): decode what is there. */
static int decode_ipv4(const uint8_t *buf, size_t len, size_t off, struct frame_info *fi, bool cut)
{
	const uint8_t *ip = buf + off;
	size_t ihl, total;

	if (off + 20 > len || (ip[0] >> 4) != 4)
		return -1;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	total = get16(ip + 2);
	if (cut && off + total > len)
		total = len - off;
	if (ihl < 20 || total < ihl || off + total > len)
		return -1;
	fi->ip_len = (uint16_t)total;
	fi->ip_off = (uint16_t)off;
	fi->tos = ip[1];
	fi->ttl = ip[8];
	fi->ipproto = ip[9];
	memcpy(fi->src, ip + 12, 4);
	memcpy(fi->dst, ip + 16, 4);
	/* A non-first fragment carries no TCP header. */
	if (fi->ipproto != 6 || (get16(ip + 6) & 0x1fff))
		return 0;
	if (decode_tcp(buf, len, off + ihl, total - ihl, fi) < 0)
		return -1;
	fi->kind = FRAME_TCP4;
	return 0;
}

static int decode_ipv6(const uint8_t *buf, size_t len, size_t off, struct frame_info *fi, bool cut)
{
	const uint8_t *ip = buf + off;
	size_t plen, pos, end;
	uint8_t next;
	int hops;

	if (off + 40 > len || (ip[0] >> 4) != 6)
		return -1;
	plen = get16(ip + 4);
	if (cut && off + 40 + plen > len)
		plen = len - off - 40;
	if (off + 40 + plen > len)
		return -1;
	fi->ip_len = (uint16_t)(40 + plen);
	fi->ip_off = (uint16_t)off;
	fi->tos = (uint8_t)((ip[0] & 0x0f) << 4 | ip[1] >> 4);
	fi->flowlabel = (uint32_t)(ip[1] & 0x0f) << 16 | (uint32_t)ip[2] << 8 | ip[3];
	fi->ttl = ip[7];
	memcpy(fi->src, ip + 8, 16);
	memcpy(fi->dst, ip + 24, 16);
	next = ip[6];
	pos = off + 40;
	end = off + 40 + plen;
	/* Walk extension headers: hop-by-hop, routing, destination, fragment. */
	for (hops = 0; hops < 8; hops++) {
		if (next == 0 || next == 43 || next == 60) {
			if (pos + 8 > end)
				return -1;
			next = buf[pos];
			pos += ((size_t)buf[pos + 1] + 1) * 8;
		} else if (next == 44) {
			if (pos + 8 > end)
				return -1;
			if (get16(buf + pos + 2) & 0xfff8) {
				fi->ipproto = 44; /* non-first fragment */
				return 0;
			}
			next = buf[pos];
			pos += 8;
		} else {
			break;
		}
		if (pos > end)
			return -1;
	}
	fi->ipproto = next;
	if (next != 6)
		return 0;
	if (decode_tcp(buf, len, pos, end - pos, fi) < 0)
		return -1;
	fi->kind = FRAME_TCP6;
	return 0;
}

void frame_opts_str(const uint8_t *kinds, size_t n, bool bad, char *out, size_t len)
{
	char nb[16];
	size_t i, at;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		at = strlen(out);
		snprintf(out + at, len - at, "%s%s", i ? " " : "",
		         frame_opt_name(kinds[i], nb, sizeof(nb)));
	}
	if (bad) {
		at = strlen(out);
		snprintf(out + at, len - at, "%sbad", at ? " " : "");
	}
	if (!out[0])
		snprintf(out, len, "none");
}

int frame_decode(const uint8_t *buf, size_t len, struct frame_info *fi)
{
	size_t off = ETH_HLEN_;
	int r = 0;

	memset(fi, 0, sizeof(*fi));
	if (len < ETH_HLEN_)
		return -1;
	fi->ethertype = get16(buf + 12);
	if (fi->ethertype == ETHERTYPE_VLAN && len >= ETH_HLEN_ + 4) {
		fi->ethertype = get16(buf + 16);
		off += 4;
	}
	if (fi->ethertype == ETHERTYPE_IPV4)
		r = decode_ipv4(buf, len, off, fi, false);
	else if (fi->ethertype == ETHERTYPE_IPV6)
		r = decode_ipv6(buf, len, off, fi, false);
	if (r < 0) {
		uint16_t et = fi->ethertype;

		memset(fi, 0, sizeof(*fi));
		fi->ethertype = et;
	}
	return r;
}

int frame_decode_headers(const uint8_t *buf, size_t len, struct frame_info *fi)
{
	int r = -1;

	memset(fi, 0, sizeof(*fi));
	if (len > 0 && buf[0] >> 4 == 4)
		r = decode_ipv4(buf, len, 0, fi, true);
	else if (len > 0 && buf[0] >> 4 == 6)
		r = decode_ipv6(buf, len, 0, fi, true);
	if (r < 0 || fi->kind == FRAME_OTHER) {
		memset(fi, 0, sizeof(*fi));
		return -1;
	}
	return 0;
}

/* tcpdump's order (print-tcp.c tcp_flag_values): F S R P . U E W */
static const struct {
	uint8_t bit;
	char letter;
} flag_letters[] = {
    {TCPF_FIN, 'F'}, {TCPF_SYN, 'S'}, {TCPF_RST, 'R'}, {TCPF_PSH, 'P'},
    {TCPF_ACK, '.'}, {TCPF_URG, 'U'}, {TCPF_ECE, 'E'}, {TCPF_CWR, 'W'},
};

void frame_flags_str(uint8_t flags, char *out, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < sizeof(flag_letters) / sizeof(flag_letters[0]) && n + 1 < len; i++)
		if (flags & flag_letters[i].bit)
			out[n++] = flag_letters[i].letter;
	if (n == 0 && len > 4) {
		strcpy(out, "none");
		return;
	}
	out[n] = '\0';
}

int frame_flags_parse(const char *s, size_t n, uint8_t *flags, size_t *bad)
{
	size_t i, j;

	*flags = 0;
	if (n == 4 && strncmp(s, "none", 4) == 0)
		return 0;
	for (i = 0; i < n; i++) {
		for (j = 0; j < sizeof(flag_letters) / sizeof(flag_letters[0]); j++)
			if (s[i] == flag_letters[j].letter)
				break;
		if (j == sizeof(flag_letters) / sizeof(flag_letters[0])) {
			*bad = i;
			return -1;
		}
		*flags |= flag_letters[j].bit;
	}
	if (n == 0) {
		*bad = 0;
		return -1;
	}
	return 0;
}

/* Append to a bounded buffer. */
struct sbuf {
	char *p;
	size_t len, cap;
};

__attribute__((format(printf, 2, 3))) static void sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->len + 1 >= b->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len = b->len + (size_t)n < b->cap ? b->len + (size_t)n : b->cap - 1;
}

static void format_options(struct sbuf *b, const uint8_t *t, size_t hlen)
{
	size_t i = 20;
	bool first = true;

	if (hlen <= 20)
		return;
	sb_add(b, ", options [");
	while (i < hlen) {
		uint8_t kind = t[i], olen;

		if (!first)
			sb_add(b, ",");
		first = false;
		if (kind == 0) {
			sb_add(b, "eol");
			break;
		}
		if (kind == 1) {
			sb_add(b, "nop");
			i++;
			continue;
		}
		if (i + 1 >= hlen || t[i + 1] < 2 || i + t[i + 1] > hlen) {
			sb_add(b, "bad opt");
			break;
		}
		olen = t[i + 1];
		if (kind == 2 && olen == 4)
			sb_add(b, "mss %u", get16(t + i + 2));
		else if (kind == 3 && olen == 3)
			sb_add(b, "wscale %u", t[i + 2]);
		else if (kind == 4 && olen == 2)
			sb_add(b, "sackOK");
		else if (kind == 5 && (olen - 2) % 8 == 0) {
			size_t k;

			sb_add(b, "sack %u", (olen - 2) / 8);
			for (k = i + 2; k + 8 <= (size_t)i + olen; k += 8)
				sb_add(b, " {%u:%u}", get32(t + k), get32(t + k + 4));
		} else if (kind == 8 && olen == 10)
			sb_add(b, "TS val %u ecr %u", get32(t + i + 2), get32(t + i + 6));
		else
			sb_add(b, "opt-%u:%u", kind, olen);
		i += olen;
	}
	sb_add(b, "]");
}

static void format_addr(struct sbuf *b, const struct frame_info *fi, const uint8_t *a,
                        uint16_t port)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(fi->kind == FRAME_TCP4 ? AF_INET : AF_INET6, a, s, sizeof(s));
	sb_add(b, "%s.%u", s, port);
}

void frame_format(const uint8_t *buf, size_t len, const struct frame_info *fi, int dir,
                  struct seq_base *base, char *out, size_t outlen)
{
	struct sbuf b = {out, 0, outlen};
	char flags[16];
	const uint8_t *t;
	bool syn, rel_seq, rel_ack;

	out[0] = '\0';
	if (fi->kind == FRAME_OTHER) {
		if (fi->ethertype == 0x0800 || fi->ethertype == 0x86dd)
			sb_add(&b, "%s proto %u, length %zu",
			       fi->ethertype == 0x0800 ? "IP" : "IP6", fi->ipproto, len);
		else
			sb_add(&b, "ethertype 0x%04x, length %zu", fi->ethertype, len);
		return;
	}
	t = buf + fi->tcp_off;
	syn = fi->flags & TCPF_SYN;
	dir = dir ? 1 : 0;
	/* A SYN (re)starts the numbering of its direction. */
	if (syn && base) {
		base->known[dir] = true;
		base->isn[dir] = fi->seq;
	}
	rel_seq = base && base->known[dir] && !syn;
	rel_ack = base && base->known[!dir] && !syn;
	frame_flags_str(fi->flags, flags, sizeof(flags));
	sb_add(&b, "%s ", fi->kind == FRAME_TCP4 ? "IP" : "IP6");
	format_addr(&b, fi, fi->src, fi->sport);
	sb_add(&b, " > ");
	format_addr(&b, fi, fi->dst, fi->dport);
	sb_add(&b, ": Flags [%s]", flags);
	if (fi->payload || syn || (fi->flags & (TCPF_FIN | TCPF_RST))) {
		uint32_t s = rel_seq ? fi->seq - base->isn[dir] : fi->seq;

		if (fi->payload)
			sb_add(&b, ", seq %u:%u", s, s + fi->payload);
		else
			sb_add(&b, ", seq %u", s);
	}
	if (fi->flags & TCPF_ACK)
		sb_add(&b, ", ack %u", rel_ack ? fi->ack - base->isn[!dir] : fi->ack);
	sb_add(&b, ", win %u", fi->win);
	format_options(&b, t, 20u + fi->opt_len);
	sb_add(&b, ", length %u", fi->payload);
}

/* The 32-bit word at @at of the TCP header to @v, the checksum updated
 * incrementally (RFC 1624, eqn. 3). */
static int set_word32(uint8_t *buf, size_t len, const struct frame_info *fi, size_t at, uint32_t v)
{
	size_t off = fi->tcp_off;
	uint16_t hc;

	if ((fi->kind != FRAME_TCP4 && fi->kind != FRAME_TCP6) || off + 20 > len)
		return -1;
	hc = (uint16_t)(buf[off + 16] << 8 | buf[off + 17]);
	for (int i = 0; i < 2; i++) {
		uint16_t old = (uint16_t)(buf[off + at + 2 * i] << 8 | buf[off + at + 1 + 2 * i]);
		uint16_t new = (uint16_t)(i == 0 ? v >> 16 : v & 0xffff);

		hc = csum_replace(hc, old, new);
		buf[off + at + 2 * i] = (uint8_t)(new >> 8);
		buf[off + at + 1 + 2 * i] = (uint8_t) new;
	}
	buf[off + 16] = (uint8_t)(hc >> 8);
	buf[off + 17] = (uint8_t)hc;
	return 0;
}

int frame_set_seq(uint8_t *buf, size_t len, struct frame_info *fi, uint32_t seq)
{
	if (set_word32(buf, len, fi, 4, seq) < 0)
		return -1;
	fi->seq = seq;
	return 0;
}

int frame_set_ack(uint8_t *buf, size_t len, struct frame_info *fi, uint32_t ack)
{
	if (set_word32(buf, len, fi, 8, ack) < 0)
		return -1;
	fi->ack = ack;
	return 0;
}

int frame_set_daddr(uint8_t *buf, size_t len, struct frame_info *fi, const uint8_t *addr)
{
	size_t tc = (size_t)fi->tcp_off + 16, ipc = (size_t)fi->ip_off + 10;
	size_t at = fi->ip_off + (fi->kind == FRAME_TCP4 ? 16u : 24u);
	size_t alen = fi->kind == FRAME_TCP4 ? 4 : 16;
	uint16_t hc, ic = 0;

	if ((fi->kind != FRAME_TCP4 && fi->kind != FRAME_TCP6) || (size_t)fi->tcp_off + 20 > len ||
	    at + alen > len)
		return -1;
	hc = (uint16_t)(buf[tc] << 8 | buf[tc + 1]);
	if (fi->kind == FRAME_TCP4)
		ic = (uint16_t)(buf[ipc] << 8 | buf[ipc + 1]);
	for (size_t i = 0; i < alen; i += 2) {
		uint16_t old = (uint16_t)(buf[at + i] << 8 | buf[at + i + 1]);
		uint16_t new = (uint16_t)(addr[i] << 8 | addr[i + 1]);

		hc = csum_replace(hc, old, new);
		if (fi->kind == FRAME_TCP4)
			ic = csum_replace(ic, old, new);
		buf[at + i] = addr[i];
		buf[at + i + 1] = addr[i + 1];
	}
	buf[tc] = (uint8_t)(hc >> 8);
	buf[tc + 1] = (uint8_t)hc;
	if (fi->kind == FRAME_TCP4) {
		buf[ipc] = (uint8_t)(ic >> 8);
		buf[ipc + 1] = (uint8_t)ic;
	}
	memcpy(fi->dst, addr, alen);
	return 0;
}

/* The TCP header's 16-bit word at @word (12: offset and flags, 14: the
 * window) of a decoded TCP frame set to @value, the checksum updated the
 * same way (RFC 1624); -1 when @buf is not TCP. */
static int set_tcp_word(uint8_t *buf, size_t len, const struct frame_info *fi, size_t word,
                        uint16_t value)
{
	size_t off = fi->tcp_off;
	uint16_t hc, old;

	if ((fi->kind != FRAME_TCP4 && fi->kind != FRAME_TCP6) || off + 20 > len)
		return -1;
	hc = (uint16_t)(buf[off + 16] << 8 | buf[off + 17]);
	old = (uint16_t)(buf[off + word] << 8 | buf[off + word + 1]);
	hc = csum_replace(hc, old, value);
	buf[off + word] = (uint8_t)(value >> 8);
	buf[off + word + 1] = (uint8_t)value;
	buf[off + 16] = (uint8_t)(hc >> 8);
	buf[off + 17] = (uint8_t)hc;
	return 0;
}

int frame_set_window(uint8_t *buf, size_t len, struct frame_info *fi, uint16_t win)
{
	if (set_tcp_word(buf, len, fi, 14, win) < 0)
		return -1;
	fi->win = win;
	return 0;
}

int frame_set_flags(uint8_t *buf, size_t len, struct frame_info *fi, uint8_t flags)
{
	/* The flags are the low byte of the word at 12, the data offset its
	 * high byte. */
	if ((size_t)fi->tcp_off + 20 > len ||
	    set_tcp_word(buf, len, fi, 12, (uint16_t)(buf[fi->tcp_off + 12] << 8 | flags)) < 0)
		return -1;
	fi->flags = flags;
	return 0;
}
