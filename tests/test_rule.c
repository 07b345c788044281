// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_rule.c - the wire model without namespaces: rule parsing (good and
 * bad input, exact file:line:col), matching, frame decoding and printing,
 * and every action applied by the real forwarder to synthetic frames
 * (two datagram socket pairs stand in for w0 and w1).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#include "model/checksum.h"
#include "model/frame.h"
#include "model/rule.h"
#include "wire/trace.h"
#include "wire/wire.h"

/* ---- parsing ----------------------------------------------------------- */

static struct rule parse_ok(const char *text)
{
	struct rule r;
	struct err e;

	if (rule_parse(text, "t.case", 1, 1, &r, &e) < 0)
		fail_msg("'%s' should parse: %s", text, e.msg);
	return r;
}

static void parse_bad(const char *text, unsigned col, const char *expect)
{
	struct rule r;
	struct err e;

	if (rule_parse(text, "t.case", 7, col, &r, &e) == 0)
		fail_msg("'%s' should not parse", text);
	assert_int_equal(e.kind, ERR_INPUT);
	if (strcmp(e.msg, expect) != 0)
		fail_msg("'%s':\n got  %s\n want %s", text, e.msg, expect);
}

static void test_parse_good(void **state)
{
	struct rule r;

	(void)state;
	r = parse_ok("drop c>s flags=S count=1");
	assert_int_equal(r.action, RULE_DROP);
	assert_int_equal(r.m.dir, DIR_C2S);
	assert_true(r.m.has_flags && r.m.flags_exact);
	assert_int_equal(r.m.flags, TCPF_SYN);
	assert_int_equal(r.nth, 1);
	assert_int_equal(r.count, 1);

	r = parse_ok("hold s>c flags~F nth=2");
	assert_int_equal(r.action, RULE_HOLD);
	assert_false(r.m.flags_exact);
	assert_int_equal(r.m.flags, TCPF_FIN);
	assert_int_equal(r.nth, 2);
	assert_int_equal(r.count, 1); /* nth alone: only that one */

	r = parse_ok("drop s>c flags~F nth=2 count=all");
	assert_int_equal(r.count, 0);

	r = parse_ok("delay 200ms c>s len>0");
	assert_int_equal(r.delay_ms, 200);
	assert_int_equal(r.m.len_op, LEN_GT);
	assert_int_equal(r.m.len, 0);
	assert_int_equal(r.m.dir, DIR_C2S);
	assert_int_equal(parse_ok("delay 2s").delay_ms, 2000);

	r = parse_ok("duplicate port=8000 sport=1 dport=2 len=0");
	assert_int_equal(r.m.port, 8000);
	assert_int_equal(r.m.sport, 1);
	assert_int_equal(r.m.dport, 2);
	assert_int_equal(r.m.len_op, LEN_EQ);
	assert_int_equal(r.m.dir, DIR_ANY);
	assert_int_equal(r.count, 0);

	r = parse_ok("drop c>s flags=. after s>c:F as lastack   # the final ACK");
	assert_true(r.has_after);
	assert_int_equal(r.after_dir, DIR_S2C);
	assert_int_equal(r.after_flags, TCPF_FIN);
	assert_int_equal(r.m.flags, TCPF_ACK);
	assert_string_equal(r.name, "lastack");

	r = parse_ok("replay c>s len>0");
	assert_int_equal(r.nth, 0); /* the last match */
	r = parse_ok("replay c>s len>0 nth=1");
	assert_int_equal(r.nth, 1);

	r = parse_ok("reorder c>s len<100 as r-1");
	assert_int_equal(r.m.len_op, LEN_LT);
	r = parse_ok("drop flags=FP.");
	assert_int_equal(r.m.flags, TCPF_FIN | TCPF_PSH | TCPF_ACK);
	r = parse_ok("drop flags=R.EW");
	assert_int_equal(r.m.flags, TCPF_RST | TCPF_ACK | TCPF_ECE | TCPF_CWR);
}

static void test_parse_roundtrip(void **state)
{
	static const char *const texts[] = {
	    "drop c>s flags=S count=1",
	    "hold s>c flags~F nth=2",
	    "drop s>c flags~F nth=2 count=all",
	    "drop s>c flags~F nth=3 count=2",
	    "delay 150ms c>s len>0",
	    "duplicate port=8000 len=0",
	    "drop s>c flags~R seq=0",
	    "drop c>s flags=. after s>c:F as lastack",
	    "replay c>s len>0",
	    "replay s>c flags=S. nth=1",
	    "replay c>s len>0 covers=ack",
	    "replay c>s flags=S nth=2 set-flags=none",
	    "replay c>s len>0 nth=1 at=ack set-flags=FP.",
	    "replay c>s flags=. len=0 at=ack+1 set-flags=R",
	    "replay c>s flags=. at=ack-1 set-flags=R",
	    "replay c>s len>0 at=ack shift-ack=-1073741824",
	    "replay s>c len>0 nth=2 shift-ack=+7",
	    "replay c>s flags=S dst=broadcast",
	    "replay c>s flags=S nth=1 set-flags=S dst=multicast",
	    "reorder c>s len<100 count=1 as x",
	    "rewrite window=0 s>c flags=. count=1",
	    "rewrite window=65535 c>s len>0 nth=2 as w",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct rule a = parse_ok(texts[i]), b;
		char out[256], again[256];

		rule_format(&a, out, sizeof(out));
		assert_string_equal(out, texts[i]);
		b = parse_ok(out);
		rule_format(&b, again, sizeof(again));
		assert_string_equal(out, again);
	}
}

static void test_parse_errors(void **state)
{
	(void)state;
	parse_bad(
	    "", 5,
	    "t.case:7:5: empty wire rule (drop, hold, delay, duplicate, reorder, replay, rewrite)");
	parse_bad("frob c>s", 10,
	          "t.case:7:10: unknown wire action 'frob' (drop, hold, delay, duplicate, reorder, "
	          "replay, rewrite)");
	parse_bad("drop flags=SX", 1,
	          "t.case:7:13: flags: unknown letter 'X' (letters: F S R P . U E W)");
	parse_bad("drop flags=", 1,
	          "t.case:7:12: flags: expected tcpdump letters such as S, S., F., R");
	parse_bad("drop flags:S", 1,
	          "t.case:7:11: flags: use flags=SPEC (exact) or flags~SPEC (contains)");
	parse_bad("drop len=abc", 1, "t.case:7:10: len: expected a number, found 'a'");
	parse_bad("drop len=70000", 1, "t.case:7:10: len: 70000 is larger than 65535");
	parse_bad("drop seq=4294967296", 1,
	          "t.case:7:10: seq: 4294967296 is larger than 4294967295");
	parse_bad("drop seq>0", 1, "t.case:7:9: seq: expected '='");
	parse_bad("drop nth=0", 1, "t.case:7:10: nth: must be at least 1");
	parse_bad("drop port=x1", 1, "t.case:7:11: port: expected a number, found 'x'");
	parse_bad("delay c>s", 1, "t.case:7:7: delay: expected a time such as 200ms or 2s");
	parse_bad("delay 20xs", 1, "t.case:7:9: delay: expected a number, found 'x'");
	parse_bad("delay", 1, "t.case:7:6: delay: expected a time such as 200ms");
	parse_bad("drop c>s s>c", 1, "t.case:7:10: direction given twice");
	parse_bad("drop after s>c", 1, "t.case:7:12: after: expected DIR:FLAGS such as s>c:F");
	parse_bad("drop after x>y:F", 1, "t.case:7:12: after: expected DIR:FLAGS such as s>c:F");
	parse_bad("drop after s>c:Q", 1,
	          "t.case:7:16: flags: unknown letter 'Q' (letters: F S R P . U E W)");
	parse_bad("drop as bad!name", 1, "t.case:7:12: as: names use letters, digits, '_' and '-'");
	parse_bad("drop as", 1, "t.case:7:8: as: expected a rule name");
	parse_bad("drop c>s covers=ack", 3, "t.case:7:12: covers=ack belongs to replay");
	parse_bad("replay count=2", 3,
	          "t.case:7:3: replay acts once, at its step: no after= or count=");
	parse_bad(
	    "drop bogus=1", 1,
	    "t.case:7:6: unknown match 'bogus' (flags, port, sport, dport, len, seq, nth, count)");
	parse_bad(
	    "drop c>", 1,
	    "t.case:7:6: unexpected 'c>' (expected c>s, s>c, flags=, port=, len=, nth=, count=, "
	    "after, as)");
	parse_bad("drop sport>5", 1, "t.case:7:11: sport: expected '='");
	parse_bad("drop dport=9-3", 1, "t.case:7:12: port range 9-3 runs backwards");
	parse_bad("drop dport=9-x", 1, "t.case:7:14: port: expected a number, found 'x'");
}

/* ---- synthetic frames ---------------------------------------------------- */

struct seg {
	int v6;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t payload;
	int with_opts; /* SYN options: mss, sackOK, TS, nop, wscale */
	int pad;       /* Ethernet padding bytes after the IP packet */
};

/* The TCP checksum's ones' complement sum over the pseudo-header and the
 * segment of frame @f (0xffff when the checksum in it is right). */
static uint16_t tcp_sum(const uint8_t *f, bool v6)
{
	size_t ipl = v6 ? 40 : 20, i, tcplen;
	const uint8_t *ip = f + 14, *t = f + 14 + ipl;
	uint32_t sum = 6;

	tcplen = v6 ? (size_t)(ip[4] << 8 | ip[5]) : (size_t)(ip[2] << 8 | ip[3]) - ipl;
	for (i = 0; i < (v6 ? 32u : 8u); i += 2)
		sum += (uint32_t)(ip[(v6 ? 8 : 12) + i] << 8 | ip[(v6 ? 8 : 12) + i + 1]);
	sum += (uint32_t)tcplen;
	for (i = 0; i + 1 < tcplen; i += 2)
		sum += (uint32_t)(t[i] << 8 | t[i + 1]);
	if (tcplen & 1)
		sum += (uint32_t)(t[tcplen - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static size_t build(const struct seg *s, uint8_t *f)
{
	size_t ipl = s->v6 ? 40 : 20, tcpl = s->with_opts ? 40 : 20, off = 14, i;
	size_t total = ipl + tcpl + s->payload;
	uint8_t *ip = f + off, *t = f + off + ipl;

	memset(f, 0, 14 + total + (size_t)s->pad);
	memcpy(f, "\x02\x74\x63\x00\x00\x02\x02\x74\x63\x00\x00\x01", 12);
	f[12] = s->v6 ? 0x86 : 0x08;
	f[13] = s->v6 ? 0xdd : 0x00;
	if (s->v6) {
		ip[0] = 0x60;
		ip[4] = (uint8_t)((tcpl + s->payload) >> 8);
		ip[5] = (uint8_t)(tcpl + s->payload);
		ip[6] = 6;
		ip[7] = 64;
		ip[8] = 0xfd;
		ip[23] = 1;
		ip[24] = 0xfd;
		ip[39] = 2;
	} else {
		ip[0] = 0x45;
		ip[2] = (uint8_t)(total >> 8);
		ip[3] = (uint8_t)total;
		ip[8] = 64;
		ip[9] = 6;
		memcpy(ip + 12, "\x0a\x80\x00\x01\x0a\x80\x00\x02", 8);
	}
	t[0] = (uint8_t)(s->sport >> 8);
	t[1] = (uint8_t)s->sport;
	t[2] = (uint8_t)(s->dport >> 8);
	t[3] = (uint8_t)s->dport;
	for (i = 0; i < 4; i++) {
		t[4 + i] = (uint8_t)(s->seq >> (24 - 8 * i));
		t[8 + i] = (uint8_t)(s->ack >> (24 - 8 * i));
	}
	t[12] = (uint8_t)((tcpl / 4) << 4);
	t[13] = s->flags;
	t[14] = 0xfa;
	t[15] = 0xf0;
	if (s->with_opts)
		memcpy(
		    t + 20,
		    "\x02\x04\x05\xb4\x04\x02\x08\x0a\x00\x00\x00\x07\x00\x00\x00\x00\x01\x03\x03"
		    "\x07",
		    20);
	for (i = 0; i < s->payload; i++)
		t[tcpl + i] = (uint8_t)('a' + i % 26);
	{
		uint16_t c = (uint16_t)~tcp_sum(f, s->v6);

		t[16] = (uint8_t)(c >> 8);
		t[17] = (uint8_t)c;
	}
	return 14 + total + (size_t)s->pad;
}

static void test_decode(void **state)
{
	uint8_t f[2000];
	struct frame_info fi;
	struct seg s = {.sport = 40000,
	                .dport = 8000,
	                .seq = 1000,
	                .ack = 5,
	                .flags = TCPF_ACK,
	                .payload = 100,
	                .pad = 0};
	size_t n;

	(void)state;
	n = build(&s, f);
	assert_int_equal(frame_decode(f, n, &fi), 0);
	assert_int_equal(fi.kind, FRAME_TCP4);
	assert_int_equal(fi.sport, 40000);
	assert_int_equal(fi.dport, 8000);
	assert_int_equal(fi.seq, 1000);
	assert_int_equal(fi.ack, 5);
	assert_int_equal(fi.payload, 100);
	assert_int_equal(fi.flags, TCPF_ACK);
	assert_int_equal(fi.ttl, 64);
	assert_int_equal(fi.tos, 0);
	assert_int_equal(fi.flowlabel, 0);
	/* the TOS byte (IPv4 header byte 1) as sent, DSCP and ECN */
	f[14 + 1] = 0x2a;
	assert_int_equal(frame_decode(f, n, &fi), 0);
	assert_int_equal(fi.tos, 0x2a);

	/* Ethernet padding is not payload: lengths come from the IP header. */
	s.payload = 0;
	s.pad = 6;
	n = build(&s, f);
	assert_int_equal(frame_decode(f, n, &fi), 0);
	assert_int_equal(fi.payload, 0);

	s.v6 = 1;
	s.pad = 0;
	s.with_opts = 1;
	s.flags = TCPF_SYN;
	n = build(&s, f);
	assert_int_equal(frame_decode(f, n, &fi), 0);
	assert_int_equal(fi.kind, FRAME_TCP6);
	assert_int_equal(fi.opt_len, 20);
	assert_int_equal(fi.ttl, 64); /* the hop limit */
	/* version 6, Traffic Class 0xb8 (EF), flow label 0x12345 */
	f[14] = 0x6b;
	f[15] = 0x81;
	f[16] = 0x23;
	f[17] = 0x45;
	assert_int_equal(frame_decode(f, n, &fi), 0);
	assert_int_equal(fi.tos, 0xb8);
	assert_int_equal(fi.flowlabel, 0x12345);
	assert_true(fi.has_ts);
	assert_int_equal(fi.tsval, 7);
	/* the option kinds in order, the nop left out: mss sackOK TS wscale */
	assert_int_equal(fi.nopts, 4);
	assert_memory_equal(fi.opts, "\x02\x04\x08\x03", 4);
	assert_false(fi.opts_bad);
	{
		char nb[16];

		assert_string_equal(frame_opt_name(2, nb, sizeof(nb)), "mss");
		assert_string_equal(frame_opt_name(4, nb, sizeof(nb)), "sackOK");
		assert_string_equal(frame_opt_name(8, nb, sizeof(nb)), "TS");
		assert_string_equal(frame_opt_name(34, nb, sizeof(nb)), "tfo");
		assert_string_equal(frame_opt_name(99, nb, sizeof(nb)), "opt-99");
	}
	{
		/* The list as `observe wire opts` and `savedsyn` print it. */
		static const uint8_t kinds[] = {2, 4, 8, 3, 99};
		char str[FRAME_OPTS_STR], tiny[8];

		frame_opts_str(kinds, 5, false, str, sizeof(str));
		assert_string_equal(str, "mss sackOK TS wscale opt-99");
		frame_opts_str(kinds, 2, true, str, sizeof(str));
		assert_string_equal(str, "mss sackOK bad");
		frame_opts_str(kinds, 0, false, str, sizeof(str));
		assert_string_equal(str, "none");
		frame_opts_str(kinds, 0, true, str, sizeof(str));
		assert_string_equal(str, "bad");
		frame_opts_str(kinds, 5, false, tiny, sizeof(tiny)); /* cut, never past the end */
		assert_string_equal(tiny, "mss sac");
	}
	/* A length running past the header: what came before, then bad. */
	f[14 + 40 + 20 + 7] = 0x20; /* TS claims 32 bytes */
	assert_int_equal(frame_decode(f, n, &fi), 0);
	assert_int_equal(fi.nopts, 2);
	assert_true(fi.opts_bad);
	assert_false(fi.has_ts);
	n = build(&s, f);

	/* Truncated: malformed, described as other, never read past the end. */
	assert_int_equal(frame_decode(f, n - 30, &fi), -1);
	assert_int_equal(fi.kind, FRAME_OTHER);
	assert_int_equal(frame_decode(f, 10, &fi), -1);
	/* A bad data offset. */
	s.v6 = 0;
	s.with_opts = 0;
	n = build(&s, f);
	f[14 + 20 + 12] = 0xf0; /* 60-byte header in a 20-byte segment */
	assert_int_equal(frame_decode(f, n, &fi), -1);
	/* Not IP: other, not an error. */
	f[12] = 0x08;
	f[13] = 0x06;
	assert_int_equal(frame_decode(f, n, &fi), 0);
	assert_int_equal(fi.kind, FRAME_OTHER);
	assert_int_equal(fi.ethertype, 0x0806);
}

/* model/checksum.c: a crafted segment's checksum is the one the test's
 * own sum accepts, and an incremental update equals a new sum. */
/* frame_decode_headers(): an IP packet without its link header whose bytes
 * end before its IP length (TCP_SAVED_SYN keeps the headers of a SYN whose
 * data is not saved): IPv4 or IPv6 by the version nibble, options read. */
static void test_decode_headers(void **state)
{
	uint8_t f[2000];
	struct frame_info fi;
	struct seg s = {.sport = 40000, .dport = 8000, .seq = 7, .flags = TCPF_SYN, .payload = 5};
	int v6;

	(void)state;
	for (v6 = 0; v6 <= 1; v6++) {
		size_t hdrs = (v6 ? 40u : 20u) + 40u;

		s.v6 = v6;
		s.with_opts = 1;
		build(&s, f); /* a Fast Open-like SYN: 5 bytes of data after the headers */
		assert_int_equal(frame_decode_headers(f + 14, hdrs, &fi), 0);
		assert_int_equal(fi.kind, v6 ? FRAME_TCP6 : FRAME_TCP4);
		assert_int_equal(fi.flags, TCPF_SYN);
		assert_int_equal(fi.ttl, 64);
		assert_int_equal(fi.nopts, 4); /* mss sackOK TS wscale */
		assert_false(fi.opts_bad);
		assert_int_equal(fi.payload, 0);
		/* the same bytes are not a whole frame: frame_decode() refuses them */
		assert_int_equal(frame_decode(f, 14 + hdrs, &fi), -1);
		/* cut inside the TCP header: not a segment */
		assert_int_equal(frame_decode_headers(f + 14, hdrs - 30, &fi), -1);
		assert_int_equal(fi.kind, FRAME_OTHER);
	}
	f[14] = 0x15; /* neither version */
	assert_int_equal(frame_decode_headers(f + 14, 60, &fi), -1);
	assert_int_equal(frame_decode_headers(f + 14, 0, &fi), -1);
}

static void test_checksum(void **state)
{
	uint8_t f[200];
	struct frame_info fi;
	struct seg s = {.sport = 20000, .dport = 8000, .seq = 77, .flags = TCPF_SYN, .payload = 3};
	size_t n;
	uint16_t c;

	(void)state;
	n = build(&s, f);
	f[14 + 20 + 16] = f[14 + 20 + 17] = 0;
	c = csum_tcp4(f + 14 + 12, f + 14 + 16, f + 14 + 20, n - 14 - 20);
	f[14 + 20 + 16] = (uint8_t)(c >> 8);
	f[14 + 20 + 17] = (uint8_t)c;
	assert_int_equal(tcp_sum(f, false), 0xffff);
	assert_int_equal(csum_fold(csum_add(0, (const uint8_t *)"\x01\x02\x03", 3)),
	                 (uint16_t)~0x0402);
	/* frame_set_seq updates the checksum with csum_replace */
	assert_int_equal(frame_decode(f, n, &fi), 0);
	assert_int_equal(frame_set_seq(f, n, &fi, 0xdeadbeef), 0);
	assert_int_equal(tcp_sum(f, false), 0xffff);
	assert_int_equal(csum_replace(0x1234, 0x0000, 0x0000), 0x1234);
	/* frame_set_ack the same way */
	assert_int_equal(frame_set_ack(f, n, &fi, 0xfedcba98), 0);
	assert_int_equal(tcp_sum(f, false), 0xffff);
	assert_int_equal(frame_decode(f, n, &fi), 0);
	assert_int_equal(fi.ack, 0xfedcba98);
	assert_int_equal(fi.seq, 0xdeadbeef);
	/* frame_set_flags too, and the decoder reads the new flags */
	assert_int_equal(frame_set_flags(f, n, &fi, 0), 0);
	assert_int_equal(tcp_sum(f, false), 0xffff);
	assert_int_equal(frame_set_flags(f, n, &fi, TCPF_FIN | TCPF_PSH | TCPF_URG), 0);
	assert_int_equal(tcp_sum(f, false), 0xffff);
	assert_int_equal(frame_decode(f, n, &fi), 0);
	assert_int_equal(fi.flags, TCPF_FIN | TCPF_PSH | TCPF_URG);
	/* frame_set_daddr: the TCP checksum (its pseudo-header) and, for
	 * IPv4, the header's own checksum follow the new destination */
	{
		static const uint8_t bcast[4] = {255, 255, 255, 255};
		static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 1};
		uint8_t *ip = f + 14;
		uint16_t ic;

		ip[10] = ip[11] = 0;
		ic = csum_fold(csum_add(0, ip, 20));
		ip[10] = (uint8_t)(ic >> 8);
		ip[11] = (uint8_t)ic;
		assert_int_equal(csum_fold(csum_add(0, ip, 20)), 0);
		assert_int_equal(frame_decode(f, n, &fi), 0);
		assert_int_equal(frame_set_daddr(f, n, &fi, bcast), 0);
		assert_int_equal(tcp_sum(f, false), 0xffff);
		assert_int_equal(csum_fold(csum_add(0, ip, 20)), 0);
		assert_memory_equal(ip + 16, bcast, 4);
		assert_int_equal(frame_decode(f, n, &fi), 0);
		assert_memory_equal(fi.dst, bcast, 4);
		/* IPv6: the pseudo-header's 16-byte destination */
		s.v6 = 1;
		n = build(&s, f);
		f[14 + 40 + 16] = f[14 + 40 + 17] = 0;
		c = (uint16_t)~tcp_sum(f, true);
		f[14 + 40 + 16] = (uint8_t)(c >> 8);
		f[14 + 40 + 17] = (uint8_t)c;
		assert_int_equal(tcp_sum(f, true), 0xffff);
		assert_int_equal(frame_decode(f, n, &fi), 0);
		assert_int_equal(frame_set_daddr(f, n, &fi, all_nodes), 0);
		assert_int_equal(tcp_sum(f, true), 0xffff);
		assert_memory_equal(f + 14 + 24, all_nodes, 16);
		/* not TCP: refused */
		f[12] = 0x08;
		f[13] = 0x06;
		assert_int_equal(frame_decode(f, n, &fi), 0);
		assert_int_equal(frame_set_daddr(f, n, &fi, bcast), -1);
	}
}

static void test_format(void **state)
{
	uint8_t f[2000];
	struct frame_info fi;
	struct seq_base base = {0};
	struct seg syn = {
	    .sport = 40000, .dport = 8000, .seq = 1000, .flags = TCPF_SYN, .with_opts = 1};
	struct seg synack = {
	    .sport = 8000, .dport = 40000, .seq = 7000, .ack = 1001, .flags = TCPF_SYN | TCPF_ACK};
	struct seg data = {.sport = 40000,
	                   .dport = 8000,
	                   .seq = 1001,
	                   .ack = 7001,
	                   .flags = TCPF_PSH | TCPF_ACK,
	                   .payload = 10};
	char line[512];
	size_t n;

	(void)state;
	n = build(&syn, f);
	frame_decode(f, n, &fi);
	frame_format(f, n, &fi, DIR_C2S, &base, line, sizeof(line));
	assert_string_equal(line, "IP 10.128.0.1.40000 > 10.128.0.2.8000: Flags [S], seq 1000, "
	                          "win 64240, options [mss 1460,sackOK,TS val 7 ecr 0,nop,wscale "
	                          "7], length 0");
	n = build(&synack, f);
	frame_decode(f, n, &fi);
	frame_format(f, n, &fi, DIR_S2C, &base, line, sizeof(line));
	assert_non_null(strstr(line, "Flags [S.], seq 7000, ack 1001, win 64240, length 0"));
	n = build(&data, f);
	frame_decode(f, n, &fi);
	frame_format(f, n, &fi, DIR_C2S, &base, line, sizeof(line));
	assert_non_null(strstr(line, "Flags [P.], seq 1:11, ack 1, win 64240, length 10"));
}

static void test_flags_letters(void **state)
{
	char s[16];
	uint8_t fl;
	size_t bad;

	(void)state;
	frame_flags_str(TCPF_FIN | TCPF_PSH | TCPF_ACK, s, sizeof(s));
	assert_string_equal(s, "FP.");
	frame_flags_str(TCPF_SYN | TCPF_ACK | TCPF_ECE | TCPF_CWR, s, sizeof(s));
	assert_string_equal(s, "S.EW");
	frame_flags_str(0, s, sizeof(s));
	assert_string_equal(s, "none");
	assert_int_equal(frame_flags_parse("R.", 2, &fl, &bad), 0);
	assert_int_equal(fl, TCPF_RST | TCPF_ACK);
	assert_int_equal(frame_flags_parse("SZ", 2, &fl, &bad), -1);
	assert_int_equal(bad, 1);
}

static void test_match(void **state)
{
	uint8_t f[2000];
	struct frame_info fi;
	struct seg s = {.sport = 40000, .dport = 8000, .flags = TCPF_FIN | TCPF_ACK};
	struct rule r;

	(void)state;
	frame_decode(f, build(&s, f), &fi);
	r = parse_ok("drop c>s flags~F");
	assert_true(match_frame(&r.m, DIR_C2S, &fi));
	assert_false(match_frame(&r.m, DIR_S2C, &fi));
	r = parse_ok("drop flags=F");
	assert_false(match_frame(&r.m, DIR_C2S, &fi)); /* exact: F. is not F */
	r = parse_ok("drop flags=F.");
	assert_true(match_frame(&r.m, DIR_S2C, &fi));
	r = parse_ok("drop flags~S");
	assert_false(match_frame(&r.m, DIR_C2S, &fi));
	r = parse_ok("drop len=0 port=8000");
	assert_true(match_frame(&r.m, DIR_C2S, &fi));
	r = parse_ok("drop len>0");
	assert_false(match_frame(&r.m, DIR_C2S, &fi));
	r = parse_ok("drop len<1 sport=40000 dport=8000");
	assert_true(match_frame(&r.m, DIR_C2S, &fi));
	r = parse_ok("drop dport=40000");
	assert_false(match_frame(&r.m, DIR_C2S, &fi));
	r = parse_ok("drop dport=7999-8001");
	assert_true(match_frame(&r.m, DIR_C2S, &fi));
	r = parse_ok("drop sport=39000-39999");
	assert_false(match_frame(&r.m, DIR_C2S, &fi));
	r = parse_ok("drop port=39999-40000");
	assert_true(match_frame(&r.m, DIR_C2S, &fi));
	r = parse_ok("drop seq=0");
	assert_true(match_frame(&r.m, DIR_C2S, &fi)); /* s.seq is 0 */
	s.seq = 4294967295U;
	frame_decode(f, build(&s, f), &fi);
	assert_false(match_frame(&r.m, DIR_C2S, &fi));
	r = parse_ok("drop seq=4294967295 flags~F");
	assert_true(match_frame(&r.m, DIR_C2S, &fi));
	r = parse_ok("drop after s>c:F");
	assert_true(rule_arms(&r, DIR_S2C, &fi));
	assert_false(rule_arms(&r, DIR_C2S, &fi));
	/* Non-TCP frames never match. */
	f[12] = 0x08;
	f[13] = 0x06;
	frame_decode(f, 60, &fi);
	r = parse_ok("drop");
	assert_false(match_frame(&r.m, DIR_C2S, &fi));
}

/* ---- actions, on the real forwarder ------------------------------------- */

struct rig {
	struct wire *w;
	int c,
	    s; /* the test's ends: c writes what the client sends, s reads what the server gets */
};

static void rig_up(struct rig *g)
{
	int pc[2], ps[2];
	struct wire_opts o = {.use_fds = true, .keep_payload = true, .mtu = 1500};
	struct err e;

	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, pc), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, ps), 0);
	o.fd_c = pc[1];
	o.fd_s = ps[1];
	g->c = pc[0];
	g->s = ps[0];
	if (wire_start(&g->w, &o, &e) < 0)
		fail_msg("%s", e.msg);
}

static void rig_down(struct rig *g)
{
	struct err e;

	assert_int_equal(wire_stop(g->w, &e), 0);
	wire_free(g->w);
	close(g->c);
	close(g->s);
}

static void rule_add(struct rig *g, const char *text)
{
	struct rule r = parse_ok(text);
	struct err e;

	if (wire_add(g->w, &r, NULL, &e) < 0)
		fail_msg("%s", e.msg);
}

/* Send a segment from @dir's side and wait until the wire has it. */
static void put(struct rig *g, int dir, struct seg s)
{
	uint8_t f[2000];
	size_t n = build(&s, f);
	struct match all = {.dir = DIR_ANY, .port = -1, .sport = -1, .dport = -1};
	unsigned before = wire_count(g->w, &all, 0);

	assert_int_equal(send(dir == DIR_C2S ? g->c : g->s, f, n, 0), (ssize_t)n);
	assert_true(wire_wait_count(g->w, &all, 0, before + 1, 2000) >= before + 1);
}

/* What came out on the side facing @to: the seq numbers of the frames, in order. */
static int take(struct rig *g, int to, uint32_t *seqs, int max, int wait_ms)
{
	int fd = to == DIR_S2C ? g->c : g->s, n = 0;
	struct pollfd p = {.fd = fd, .events = POLLIN};

	while (n < max && poll(&p, 1, wait_ms) == 1) {
		uint8_t f[2000];
		struct frame_info fi;
		ssize_t r = recv(fd, f, sizeof(f), 0);

		assert_true(r > 0);
		if (frame_decode(f, (size_t)r, &fi) == 0 && fi.kind != FRAME_OTHER)
			seqs[n++] = fi.seq;
		else
			seqs[n++] = 0xffffffff;
	}
	return n;
}

static struct seg fin(uint32_t seq)
{
	struct seg s = {.sport = 8000, .dport = 40000, .seq = seq, .flags = TCPF_FIN | TCPF_ACK};
	return s;
}

static struct seg data(uint32_t seq)
{
	struct seg s = {
	    .sport = 40000, .dport = 8000, .seq = seq, .flags = TCPF_ACK, .payload = 10};
	return s;
}

/* wire_sync() is a barrier: a frame queued on either side before it is
 * counted after it, whenever the forwarder thread gets to run.  Each
 * round writes and counts at once, as an observation right after the
 * event it observes does. */
static void test_sync_counts_what_was_queued(void **state)
{
	struct rig g;
	struct match all = {.dir = DIR_ANY, .port = -1, .sport = -1, .dport = -1};
	unsigned i;

	(void)state;
	rig_up(&g);
	for (i = 0; i < 300; i++) {
		uint8_t f[2000];
		struct seg sg = i % 2 ? fin(i) : data(i);
		size_t n = build(&sg, f);

		assert_int_equal(send(i % 2 ? g.s : g.c, f, n, 0), (ssize_t)n);
		assert_int_equal(wire_sync(g.w, 2000), 0);
		assert_int_equal(wire_count(g.w, &all, 0), i + 1);
	}
	rig_down(&g);
	/* A stopped wire answers at once. */
	rig_up(&g);
	{
		struct err e;

		assert_int_equal(wire_stop(g.w, &e), 0);
		assert_int_equal(wire_sync(g.w, 2000), 0);
		wire_free(g.w);
		close(g.c);
		close(g.s);
	}
}

static void test_action_drop_nth(void **state)
{
	struct rig g;
	uint32_t out[8];
	size_t n;
	const struct wframe *f;

	(void)state;
	rig_up(&g);
	rule_add(&g, "drop s>c flags~F nth=2"); /* the 2nd FIN from the server */
	put(&g, DIR_S2C, fin(100));
	put(&g, DIR_S2C, fin(100));
	put(&g, DIR_S2C, fin(100 + 1));
	assert_int_equal(take(&g, DIR_S2C, out, 8, 100), 2);
	rig_down(&g);
	/* The verdicts say which one. */
	rig_up(&g);
	rule_add(&g, "drop s>c flags~F nth=2");
	put(&g, DIR_S2C, fin(1));
	put(&g, DIR_S2C, fin(2));
	put(&g, DIR_S2C, fin(3));
	assert_int_equal(take(&g, DIR_S2C, out, 8, 100), 2);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[1], 3);
	{
		struct err e;

		wire_stop(g.w, &e);
	}
	f = wire_frames(g.w, &n);
	assert_int_equal(n, 3);
	assert_int_equal(f[0].verdict, WV_PASSED);
	assert_int_equal(f[1].verdict, WV_DROPPED);
	assert_int_equal(f[1].rule, 1);
	assert_int_equal(f[2].verdict, WV_PASSED);
	rig_down(&g);
}

static void test_action_count_and_remove(void **state)
{
	struct rig g;
	uint32_t out[8];
	struct err e;

	(void)state;
	rig_up(&g);
	rule_add(&g, "drop c>s len>0 count=2");
	put(&g, DIR_C2S, data(1));
	put(&g, DIR_C2S, data(2));
	put(&g, DIR_C2S, data(3));
	assert_int_equal(take(&g, DIR_C2S, out, 8, 100), 1);
	assert_int_equal(out[0], 3);
	rule_add(&g, "drop c>s len>0 as gone");
	put(&g, DIR_C2S, data(4));
	assert_int_equal(wire_remove(g.w, "gone", &e), 0);
	put(&g, DIR_C2S, data(5));
	assert_int_equal(take(&g, DIR_C2S, out, 8, 100), 1);
	assert_int_equal(out[0], 5);
	assert_int_equal(wire_remove(g.w, "gone", &e), -1);
	assert_non_null(strstr(e.msg, "no active rule 'gone'"));
	rig_down(&g);
}

static void test_action_hold_release(void **state)
{
	struct rig g;
	uint32_t out[8];
	struct err e;

	(void)state;
	rig_up(&g);
	rule_add(&g, "hold c>s len>0 as h");
	put(&g, DIR_C2S, data(1));
	put(&g, DIR_C2S, data(2));
	put(&g, DIR_C2S, data(3));
	assert_int_equal(take(&g, DIR_C2S, out, 8, 100), 0); /* all held */
	put(&g, DIR_S2C, fin(9));                            /* the other way passes */
	assert_int_equal(take(&g, DIR_S2C, out, 8, 100), 1);
	assert_int_equal(wire_remove(g.w, "h", &e), 0);
	assert_int_equal(take(&g, DIR_C2S, out, 8, 100), 3);
	assert_int_equal(out[0], 1); /* released in order */
	assert_int_equal(out[1], 2);
	assert_int_equal(out[2], 3);
	rig_down(&g);
}

static void test_action_delay(void **state)
{
	struct rig g;
	uint32_t out[8];
	struct timespec a, b;
	long ms;

	(void)state;
	rig_up(&g);
	rule_add(&g, "delay 150ms c>s len>0 count=1");
	clock_gettime(CLOCK_MONOTONIC, &a);
	put(&g, DIR_C2S, data(1));
	put(&g, DIR_C2S, data(2)); /* overtakes the delayed one */
	assert_int_equal(take(&g, DIR_C2S, out, 2, 1000), 2);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_int_equal(out[0], 2);
	assert_int_equal(out[1], 1);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	assert_true(ms >= 150); /* never early */
	rig_down(&g);
}

static void test_action_duplicate(void **state)
{
	struct rig g;
	uint32_t out[8];
	size_t n;
	const struct wframe *f;
	struct err e;

	(void)state;
	rig_up(&g);
	rule_add(&g, "duplicate c>s len>0 count=1");
	put(&g, DIR_C2S, data(1));
	put(&g, DIR_C2S, data(2));
	assert_int_equal(take(&g, DIR_C2S, out, 8, 100), 3);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[1], 1);
	assert_int_equal(out[2], 2);
	wire_stop(g.w, &e);
	f = wire_frames(g.w, &n);
	assert_int_equal(n, 3); /* the copy is a frame of its own */
	assert_int_equal(f[0].verdict, WV_DUPLICATED);
	assert_int_equal(f[1].verdict, WV_INJECTED_DUP);
	assert_int_equal(f[1].ref, 1);
	assert_memory_equal(f[0].data, f[1].data, f[0].len);
	rig_down(&g);
}

static void test_action_reorder(void **state)
{
	struct rig g;
	uint32_t out[8];

	(void)state;
	rig_up(&g);
	rule_add(&g, "reorder c>s len>0 count=1");
	put(&g, DIR_C2S, data(1));
	put(&g, DIR_C2S, data(2));
	put(&g, DIR_C2S, data(3));
	assert_int_equal(take(&g, DIR_C2S, out, 8, 100), 3);
	assert_int_equal(out[0], 2);
	assert_int_equal(out[1], 1);
	assert_int_equal(out[2], 3);
	rig_down(&g);
}

static void test_action_replay(void **state)
{
	struct rig g;
	uint32_t out[8];

	(void)state;
	rig_up(&g);
	put(&g, DIR_C2S, data(11));
	put(&g, DIR_C2S, data(22));
	assert_int_equal(take(&g, DIR_C2S, out, 8, 100), 2);
	rule_add(&g, "replay c>s len>0 nth=1");
	rule_add(&g, "replay c>s len>0"); /* the last one */
	assert_int_equal(take(&g, DIR_C2S, out, 8, 100), 2);
	assert_int_equal(out[0], 11);
	assert_int_equal(out[1], 22);
	{
		struct rule r = parse_ok("replay s>c");
		struct err e;

		assert_int_equal(wire_add(g.w, &r, NULL, &e), -1);
		assert_non_null(strstr(e.msg, "no earlier segment"));
	}
	rig_down(&g);
}

/* covers=ack: the old segment that holds the receiver's next byte, with
 * sequence numbers wrapping. */
static void test_action_replay_covers_ack(void **state)
{
	struct rig g;
	uint32_t out[8];
	struct seg ack = {.sport = 8000, .dport = 40000, .seq = 7, .flags = TCPF_ACK};
	struct err e;

	(void)state;
	rig_up(&g);
	put(&g, DIR_C2S, data(100));         /* 100..109 */
	put(&g, DIR_C2S, data(4294967290u)); /* 4294967290..3, wraps */
	put(&g, DIR_C2S, data(110));         /* 110..119 */
	assert_int_equal(take(&g, DIR_C2S, out, 8, 100), 3);
	ack.ack = 2;
	put(&g, DIR_S2C, ack);
	assert_int_equal(take(&g, DIR_S2C, out, 8, 100), 1);
	rule_add(&g, "replay c>s len>0 covers=ack");
	assert_int_equal(take(&g, DIR_C2S, out, 8, 100), 1);
	assert_int_equal(out[0], 4294967290u);
	ack.ack = 109; /* the last byte of the first segment */
	put(&g, DIR_S2C, ack);
	assert_int_equal(take(&g, DIR_S2C, out, 8, 100), 1);
	rule_add(&g, "replay c>s len>0 covers=ack");
	assert_int_equal(take(&g, DIR_C2S, out, 8, 100), 1);
	assert_int_equal(out[0], 100);
	ack.ack = 120; /* just past everything sent */
	put(&g, DIR_S2C, ack);
	assert_int_equal(take(&g, DIR_S2C, out, 8, 100), 1);
	{
		struct rule r = parse_ok("replay c>s len>0 covers=ack");

		assert_int_equal(wire_add(g.w, &r, NULL, &e), -1);
		assert_non_null(strstr(e.msg, "covers the other side's ACK"));
	}
	rig_down(&g);
}

/* at=ack: the old segment sent with its seq moved to the receiver's next
 * byte, everything else (ack, payload) as it was, checksum still right. */
static void test_action_replay_at_ack(void **state)
{
	struct rig g;
	uint32_t out[8];
	struct seg ack = {.sport = 8000, .dport = 40000, .seq = 7, .flags = TCPF_ACK};
	struct seg old = data(100);
	const struct wframe *f;
	size_t n;
	struct err e;

	(void)state;
	for (int v6 = 0; v6 < 2; v6++) {
		rig_up(&g);
		old.v6 = ack.v6 = v6;
		old.ack = 123456;
		put(&g, DIR_C2S, old);
		assert_int_equal(take(&g, DIR_C2S, out, 8, 100), 1);
		ack.ack = 4294967000u;
		put(&g, DIR_S2C, ack);
		assert_int_equal(take(&g, DIR_S2C, out, 8, 100), 1);
		rule_add(&g, "replay c>s len>0 nth=1 at=ack");
		assert_int_equal(take(&g, DIR_C2S, out, 8, 100), 1);
		assert_int_equal(out[0], 4294967000u);
		wire_stop(g.w, &e);
		f = wire_frames(g.w, &n);
		assert_int_equal(n, 3);
		assert_int_equal(f[2].verdict, WV_INJECTED_REPLAY);
		assert_int_equal(f[2].ref, 1);
		assert_int_equal(f[2].fi.seq, 4294967000u);
		assert_int_equal(f[2].fi.ack, 123456);
		assert_int_equal(f[2].fi.payload, f[0].fi.payload);
		assert_int_equal(tcp_sum(f[0].data, v6), 0xffff);
		assert_int_equal(tcp_sum(f[2].data, v6), 0xffff);
		rig_down(&g);
	}
	parse_bad("replay c>s covers=ack at=ack", 3,
	          "t.case:7:25: covers=ack and at=ack exclude each other");
	parse_bad("hold c>s at=ack", 3, "t.case:7:12: at=ack belongs to replay");
}

/* set-flags=: the copy goes out with other flags (none: a NULL probe),
 * everything else as it was, checksum still right. */
static void test_action_replay_set_flags(void **state)
{
	struct rig g;
	uint32_t out[8];
	struct seg syn = {.sport = 40000, .dport = 8000, .seq = 1000, .flags = TCPF_SYN};
	struct seg d = data(1001);
	const struct wframe *f;
	size_t n;
	struct err e;

	(void)state;
	for (int v6 = 0; v6 < 2; v6++) {
		rig_up(&g);
		syn.v6 = d.v6 = v6;
		put(&g, DIR_C2S, syn);
		put(&g, DIR_C2S, d);
		assert_int_equal(take(&g, DIR_C2S, out, 8, 100), 2);
		rule_add(&g, "replay c>s flags=S set-flags=none");
		assert_int_equal(take(&g, DIR_C2S, out, 8, 100), 1);
		assert_int_equal(out[0], 1000);
		rule_add(&g, "replay c>s len>0 set-flags=F.");
		assert_int_equal(take(&g, DIR_C2S, out, 8, 100), 1);
		assert_int_equal(out[0], 1001);
		wire_stop(g.w, &e);
		f = wire_frames(g.w, &n);
		assert_int_equal(n, 4);
		assert_int_equal(f[2].verdict, WV_INJECTED_REPLAY);
		assert_int_equal(f[2].ref, 1);
		assert_int_equal(f[2].fi.flags, 0);
		assert_int_equal(f[2].fi.seq, 1000);
		assert_int_equal(f[3].fi.flags, TCPF_FIN | TCPF_ACK);
		assert_int_equal(f[3].fi.payload, f[1].fi.payload);
		for (size_t k = 0; k < n; k++)
			assert_int_equal(tcp_sum(f[k].data, v6), 0xffff);
		rig_down(&g);
	}
	parse_bad("drop c>s set-flags=none", 3, "t.case:7:12: set-flags= belongs to replay");
	parse_bad("drop c>s dst=broadcast", 3, "t.case:7:12: dst= belongs to replay");
	parse_bad("replay c>s dst=anycast", 3,
	          "t.case:7:18: dst=: expected broadcast or multicast");
	parse_bad("replay c>s set-flags=X", 3,
	          "t.case:7:24: flags: unknown letter 'X' (letters: F S R P . U E W)");
}

/* rewrite window=N: the segment goes on with its window field N and its
 * checksum right; the record keeps it as the endpoint sent it; count=1
 * lets the next one pass untouched. */
static void test_action_rewrite(void **state)
{
	struct rig g;
	struct seg ack = {.sport = 8000, .dport = 40000, .seq = 9, .ack = 1001, .flags = TCPF_ACK};
	const struct wframe *f;
	size_t n, ipl;
	struct err e;
	char v[200];

	(void)state;
	for (int v6 = 0; v6 < 2; v6++) {
		uint8_t got[2][2000];
		struct pollfd p;

		rig_up(&g);
		ack.v6 = v6;
		ipl = v6 ? 40 : 20;
		rule_add(&g, "rewrite window=0 s>c flags=. count=1");
		put(&g, DIR_S2C, ack);
		ack.seq = 10;
		put(&g, DIR_S2C, ack);
		p.fd = g.c;
		p.events = POLLIN;
		for (int k = 0; k < 2; k++) {
			assert_int_equal(poll(&p, 1, 1000), 1);
			assert_true(recv(g.c, got[k], sizeof(got[k]), 0) > 0);
		}
		/* forwarded: window 0, then the second as sent (0xfaf0) */
		assert_int_equal(got[0][14 + ipl + 14], 0);
		assert_int_equal(got[0][14 + ipl + 15], 0);
		assert_int_equal(tcp_sum(got[0], v6), 0xffff);
		assert_int_equal(got[1][14 + ipl + 14], 0xfa);
		assert_int_equal(got[1][14 + ipl + 15], 0xf0);
		wire_stop(g.w, &e);
		f = wire_frames(g.w, &n);
		assert_int_equal(n, 2);
		assert_int_equal(f[0].verdict, WV_REWRITTEN);
		assert_int_equal(f[0].fi.win, 0xfaf0); /* recorded as received */
		assert_int_equal(f[1].verdict, WV_PASSED);
		trace_verdict(&f[0], &f[0].ts, v, sizeof(v));
		assert_string_equal(v, "rewritten by rule 1: forwarded with win 0 (recorded as "
		                       "received)");
		rig_down(&g);
	}
	parse_bad("rewrite s>c", 3,
	          "t.case:7:14: rewrite: expected window=N, the window it forwards");
	parse_bad("rewrite window=65536", 3, "t.case:7:18: window=: expected 0 to 65535");
	parse_bad("rewrite window=-1", 3, "t.case:7:18: window=: expected 0 to 65535");
	parse_bad("rewrite window=1 window=2", 3, "t.case:7:20: window= given twice");
	parse_bad("drop window=0", 3, "t.case:7:8: window= belongs to rewrite");
}

/* at=ack+N / at=ack-N: the copy lands N after or before the other side's
 * latest ACK number; shift-ack=: its own ACK number moved, modulo 2^32. */
static void test_action_replay_offsets(void **state)
{
	struct rig g;
	uint32_t out[8];
	struct seg d = data(1001),
	           ack = {.sport = 8000, .dport = 40000, .seq = 9, .flags = TCPF_ACK};
	const struct wframe *f;
	size_t n;
	struct err e;

	(void)state;
	for (int v6 = 0; v6 < 2; v6++) {
		rig_up(&g);
		d.v6 = ack.v6 = v6;
		d.ack = 100;
		put(&g, DIR_C2S, d);
		assert_int_equal(take(&g, DIR_C2S, out, 8, 100), 1);
		ack.ack = 5000;
		put(&g, DIR_S2C, ack);
		assert_int_equal(take(&g, DIR_S2C, out, 8, 100), 1);
		rule_add(&g, "replay c>s len>0 at=ack+1 set-flags=R");
		rule_add(&g, "replay c>s len>0 at=ack-5001");
		rule_add(&g, "replay c>s len>0 shift-ack=-101");
		rule_add(&g, "replay c>s len>0 at=ack shift-ack=+2147483647");
		assert_int_equal(take(&g, DIR_C2S, out, 8, 100), 4);
		assert_int_equal(out[0], 5001);
		assert_int_equal(out[1], 4294967295u);
		assert_int_equal(out[2], 1001);
		assert_int_equal(out[3], 5000);
		wire_stop(g.w, &e);
		f = wire_frames(g.w, &n);
		assert_int_equal(n, 6);
		assert_int_equal(f[2].fi.flags, TCPF_RST);
		assert_int_equal(f[2].fi.ack, 100);
		assert_int_equal(f[3].fi.ack, 100);
		assert_int_equal(f[3].fi.seq, 4294967295u);
		assert_int_equal(f[4].fi.ack, 4294967295u);
		assert_int_equal(f[4].fi.seq, 1001);
		assert_int_equal(f[5].fi.ack, 100u + 2147483647u);
		for (size_t k = 0; k < n; k++)
			assert_int_equal(tcp_sum(f[k].data, v6), 0xffff);
		rig_down(&g);
	}
	parse_bad("replay c>s at=ack+", 3, "t.case:7:21: at=ack: expected a number");
	parse_bad("replay c>s at=ack5", 3, "t.case:7:20: at=ack: expected +N or -N");
	parse_bad("replay c>s shift-ack=3", 3, "t.case:7:24: shift-ack: expected +N or -N");
	parse_bad("replay c>s shift-ack=-2147483648", 3,
	          "t.case:7:25: shift-ack: 2147483648 is larger than 2147483647");
	parse_bad("drop c>s shift-ack=+1", 3, "t.case:7:12: shift-ack= belongs to replay");
	parse_bad("drop c>s at=ack+1", 3, "t.case:7:12: at=ack+1 belongs to replay");
}

/* wire_collect(): only the frames after a count (observe ... since MARK),
 * and each hit's ACK number with the other direction's ISN, which a copy
 * the wire injected never provides. */
static void test_collect_since_and_isn(void **state)
{
	struct rig g;
	uint32_t out[8];
	struct seg syn = {.sport = 40000, .dport = 8000, .seq = 1000, .flags = TCPF_SYN};
	struct seg synack = {
	    .sport = 8000, .dport = 40000, .seq = 7000, .ack = 1001, .flags = TCPF_SYN | TCPF_ACK};
	struct seg ack = {
	    .sport = 8000, .dport = 40000, .seq = 7001, .ack = 1006, .flags = TCPF_ACK};
	struct match m;
	struct wire_hit h[8];
	unsigned mark;

	(void)state;
	rig_up(&g);
	put(&g, DIR_C2S, syn);
	assert_int_equal(take(&g, DIR_C2S, out, 8, 100), 1);
	put(&g, DIR_S2C, synack);
	assert_int_equal(take(&g, DIR_S2C, out, 8, 100), 1);
	rule_add(&g, "replay c>s flags=S at=ack+5000"); /* a SYN at 12001: not an ISN */
	assert_int_equal(take(&g, DIR_C2S, out, 8, 100), 1);
	mark = wire_frame_count(g.w);
	assert_int_equal(mark, 3);
	put(&g, DIR_S2C, ack);
	assert_int_equal(take(&g, DIR_S2C, out, 8, 100), 1);
	m = parse_ok("drop s>c").m;
	assert_int_equal(wire_collect(g.w, &m, 0, h, 8), 2);
	assert_int_equal(h[0].ack - h[0].peer_isn, 1);
	assert_int_equal(wire_collect(g.w, &m, mark, h, 8), 1);
	assert_int_equal(h[0].no, 4);
	assert_true(h[0].has_peer_isn);
	assert_int_equal(h[0].peer_isn, 1000);
	assert_int_equal(h[0].ack - h[0].peer_isn, 6);
	m = parse_ok("drop c>s").m;
	assert_int_equal(wire_collect(g.w, &m, 0, h, 8), 2);
	assert_true(h[0].has_peer_isn == false); /* the server's SYN came after */
	assert_int_equal(wire_collect(g.w, &m, 99, h, 8), 0);
	rig_down(&g);
}

static void test_action_after(void **state)
{
	struct rig g;
	uint32_t out[8];
	struct seg ack = {.sport = 40000, .dport = 8000, .seq = 50, .flags = TCPF_ACK};

	(void)state;
	rig_up(&g);
	rule_add(&g, "drop c>s flags=. after s>c:F");
	put(&g, DIR_C2S, ack); /* before the server's FIN: passes */
	put(&g, DIR_S2C, fin(7));
	ack.seq = 51;
	put(&g, DIR_C2S, ack); /* after it: dropped */
	put(&g, DIR_C2S, ack);
	assert_int_equal(take(&g, DIR_C2S, out, 8, 100), 1);
	assert_int_equal(out[0], 50);
	rig_down(&g);
}

static void test_oversize_and_other(void **state)
{
	struct rig g;
	uint32_t out[8];
	uint8_t f[2000];
	struct seg big = data(1);
	char msg[200], v[200];
	size_t n;
	const struct wframe *fr;
	struct err e;
	struct timespec t0 = {0, 0};

	(void)state;
	rig_up(&g);
	rule_add(&g, "drop");
	big.payload = 1500; /* 1554-byte frame, MTU 1500 */
	put(&g, DIR_C2S, big);
	/* ARP-like frame: not TCP, passes whatever the rules say. */
	n = build(&big, f);
	f[12] = 0x08;
	f[13] = 0x06;
	assert_int_equal(send(g.c, f, 60, 0), 60);
	assert_int_equal(take(&g, DIR_C2S, out, 8, 200), 1);
	assert_int_equal(out[0], 0xffffffff);
	wire_stop(g.w, &e);
	assert_int_equal(wire_errors(g.w, msg, sizeof(msg)), 1);
	assert_non_null(strstr(msg, "1 frame(s) larger than the MTU"));
	fr = wire_frames(g.w, &n);
	assert_int_equal(fr[0].verdict, WV_OVERSIZE);
	assert_int_equal(fr[0].len, 1554);
	trace_verdict(&fr[0], &t0, v, sizeof(v));
	assert_string_equal(v,
	                    "ERROR oversize: 1554 bytes, larger than the MTU (an offload is on)");
	rig_down(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_good),
	    cmocka_unit_test(test_parse_roundtrip),
	    cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_decode),
	    cmocka_unit_test(test_decode_headers),
	    cmocka_unit_test(test_checksum),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_flags_letters),
	    cmocka_unit_test(test_match),
	    cmocka_unit_test(test_action_drop_nth),
	    cmocka_unit_test(test_action_count_and_remove),
	    cmocka_unit_test(test_action_hold_release),
	    cmocka_unit_test(test_action_delay),
	    cmocka_unit_test(test_action_duplicate),
	    cmocka_unit_test(test_action_reorder),
	    cmocka_unit_test(test_action_replay),
	    cmocka_unit_test(test_action_replay_covers_ack),
	    cmocka_unit_test(test_action_replay_at_ack),
	    cmocka_unit_test(test_action_replay_set_flags),
	    cmocka_unit_test(test_action_replay_offsets),
	    cmocka_unit_test(test_action_rewrite),
	    cmocka_unit_test(test_collect_since_and_isn),
	    cmocka_unit_test(test_sync_counts_what_was_queued),
	    cmocka_unit_test(test_action_after),
	    cmocka_unit_test(test_oversize_and_other),
	};

	return cmocka_run_group_tests_name("rule", tests, NULL, NULL);
}
