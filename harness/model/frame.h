/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * frame.h - the wire model: decode one Ethernet frame into what TCP
 * scenarios talk about (addresses, ports, flags, seq/ack, payload length,
 * options) and print it the way tcpdump does.
 *
 * The decoder trusts nothing: every length is checked against the frame,
 * lengths come from the IP header (not the frame, which may be padded), and
 * a frame that is not IPv4/IPv6 TCP is still described (FRAME_OTHER).
 */
#ifndef TC_FRAME_H
#define TC_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* TCP flag bits, as in the header. */
enum {
	TCPF_FIN = 0x01,
	TCPF_SYN = 0x02,
	TCPF_RST = 0x04,
	TCPF_PSH = 0x08,
	TCPF_ACK = 0x10,
	TCPF_URG = 0x20,
	TCPF_ECE = 0x40,
	TCPF_CWR = 0x80,
};

enum frame_kind {
	FRAME_OTHER = 0, /* not IP, or IP but not TCP */
	FRAME_TCP4,
	FRAME_TCP6,
};

/* 40 bytes of options hold at most 20 of two bytes */
#define FRAME_MAX_OPTS 20

struct frame_info {
	enum frame_kind kind;
	uint16_t ethertype;
	uint8_t ipproto; /* for IP frames */
	uint8_t src[16]; /* IPv4 in the first 4 bytes */
	uint8_t dst[16];
	uint16_t ip_len;    /* IP packet length from its header (0 if not IP) */
	uint16_t ip_off;    /* offset of the IP header in the frame */
	uint8_t tos;        /* IPv4 TOS or IPv6 Traffic Class (DSCP and ECN) */
	uint8_t ttl;        /* IPv4 TTL or IPv6 Hop Limit */
	uint32_t flowlabel; /* IPv6 Flow Label (20 bits); 0 for IPv4 */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	uint16_t payload; /* TCP payload bytes */
	uint16_t tcp_off; /* offset of the TCP header in the frame */
	uint16_t opt_len; /* bytes of TCP options */
	bool has_ts;
	uint32_t tsval, tsecr;
	/* The kinds of its TCP options in order, padding (nop, eol) left out;
	 * opts_bad when the option list is malformed (then only those before). */
	uint8_t opts[FRAME_MAX_OPTS];
	uint8_t nopts;
	bool opts_bad;
};

/* tcpdump's name of TCP option @kind ("mss", "wscale", "sackOK", "sack",
 * "TS", "md5", "tfo", ...), or "opt-KIND" into @buf. */
const char *frame_opt_name(uint8_t kind, char *buf, size_t len);

/* The names of a list of option kinds, space-separated in order ("mss
 * sackOK TS wscale"), "bad" after them when the list was malformed, "none"
 * for an empty list: what `observe wire opts` and `savedsyn` print. */
#define FRAME_OPTS_STR (FRAME_MAX_OPTS * 12 + 8)
void frame_opts_str(const uint8_t *kinds, size_t n, bool bad, char *out, size_t len);

/* Decode @len bytes.  Returns 0, or -1 for a malformed IP/TCP frame (then
 * kind is FRAME_OTHER and the frame is still forwarded and shown). */
int frame_decode(const uint8_t *buf, size_t len, struct frame_info *fi);

/* Decode an IP packet without a link-layer header whose bytes may end
 * before the length its IP header gives: the headers of a segment as
 * getsockopt(TCP_SAVED_SYN) returns them (IPv4 or IPv6 by the version
 * nibble; a Fast Open SYN's data is not there).  0 for a TCP segment, or
 * -1 (then kind is FRAME_OTHER). */
int frame_decode_headers(const uint8_t *buf, size_t len, struct frame_info *fi);

/* Rewrite the TCP sequence number of a decoded TCP frame to @seq, with the
 * checksum updated incrementally (RFC 1624, eqn. 3).  -1 if not TCP. */
int frame_set_seq(uint8_t *buf, size_t len, struct frame_info *fi, uint32_t seq);
/* The same for the acknowledgement number (the ACK flag is left as it is). */
int frame_set_ack(uint8_t *buf, size_t len, struct frame_info *fi, uint32_t ack);
/* Rewrite the destination address of a decoded TCP frame to @addr (4 bytes
 * for TCP over IPv4, 16 for IPv6), the IPv4 header checksum and the TCP
 * checksum (its pseudo-header holds the address) updated the same way.
 * -1 if not TCP. */
int frame_set_daddr(uint8_t *buf, size_t len, struct frame_info *fi, const uint8_t *addr);
/* Rewrite the TCP flags byte (FIN to CWR) of a decoded TCP frame to
 * @flags, the checksum updated the same way.  -1 if not TCP. */
int frame_set_flags(uint8_t *buf, size_t len, struct frame_info *fi, uint8_t flags);
/* The TCP window field set to @win (as sent, before scaling), the checksum
 * updated; -1 when @buf is not TCP. */
int frame_set_window(uint8_t *buf, size_t len, struct frame_info *fi, uint16_t win);

/* Flags in tcpdump letters and order: "S", "S.", ".", "FP.", "R.", "none". */
void frame_flags_str(uint8_t flags, char *out, size_t len);
/* Parse tcpdump letters ("S.", "F", "R.", "FP.") into flag bits.  Returns
 * -1 and the offending offset in *bad for an unknown letter. */
int frame_flags_parse(const char *s, size_t n, uint8_t *flags, size_t *bad);

/* Sequence numbers shown relative to each direction's ISN, as tcpdump does. */
struct seq_base {
	bool known[2];
	uint32_t isn[2];
};

/* One tcpdump-style line (no newline), e.g.
 * "IP 198.18.0.1.40000 > 198.18.0.2.8000: Flags [S], seq 1234, win 64240,
 *  options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0".
 * @dir is 0 for client to server, 1 for server to client (for @base). */
void frame_format(const uint8_t *buf, size_t len, const struct frame_info *fi, int dir,
                  struct seq_base *base, char *out, size_t outlen);

#endif
