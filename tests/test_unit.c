// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_unit.c - unit tests that need no privilege: address blocks, sysctl
 * key mapping, version string, errors, command tables, statistics, growing
 * arrays.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"

#include "base/array.h"
#include "base/dirs.h"
#include "base/error.h"
#include "base/num.h"
#include "base/version.h"
#include "bench/bench.h"
#include "cli/cmdline.h"
#include "host/addrblock.h"
#include "host/counters.h"
#include "host/kernel.h"
#include "host/sockstat.h"
#include "host/sysctl.h"
#include "host/tracer.h"
#include "run/sigio.h"
#include "run/sockets.h"

/* array_reserve(): room from @first, doubling, at least what is needed,
 * nothing when there is room; a size that would overflow is refused with
 * the array as it was. */
static void test_array_reserve(void **state)
{
	struct item {
		int a, b;
	} *v = NULL, *before;
	size_t cap = 0, i, reallocs = 0, last = 0;
	void *p;

	(void)state;
	assert_int_equal(ARRAY_RESERVE(&v, &cap, 1, 16), 0);
	assert_non_null(v);
	assert_int_equal(cap, 16);
	/* 1000 elements one at a time: capacities 16, 32, ... 1024 */
	for (i = 0; i < 1000; i++) {
		assert_int_equal(ARRAY_RESERVE(&v, &cap, i + 1, 16), 0);
		v[i].a = (int)i;
		v[i].b = -(int)i;
		if (cap != last) {
			reallocs++;
			assert_true(last == 0 || cap == 2 * last);
			last = cap;
		}
	}
	assert_int_equal(cap, 1024);
	assert_int_equal(reallocs, 7); /* 16 32 64 128 256 512 1024 */
	for (i = 0; i < 1000; i++)
		assert_true(v[i].a == (int)i && v[i].b == -(int)i);
	/* room enough: nothing moves */
	before = v;
	assert_int_equal(ARRAY_RESERVE(&v, &cap, 1024, 16), 0);
	assert_ptr_equal(v, before);
	assert_int_equal(cap, 1024);
	/* more than twice the room: exactly what is needed */
	assert_int_equal(ARRAY_RESERVE(&v, &cap, 5000, 16), 0);
	assert_int_equal(cap, 5000);
	assert_true(v[999].a == 999);
	/* an element count whose bytes overflow size_t */
	errno = 0;
	before = v;
	assert_int_equal(ARRAY_RESERVE(&v, &cap, SIZE_MAX / sizeof(*v) + 1, 16), -1);
	assert_int_equal(errno, ENOMEM);
	assert_ptr_equal(v, before);
	assert_int_equal(cap, 5000);
	free(v);
	/* the untyped call, and a size of 0 refused */
	p = NULL;
	cap = 0;
	assert_int_equal(array_reserve(&p, &cap, 3, 0, 8), -1);
	assert_int_equal(errno, EINVAL);
	assert_null(p);
	assert_int_equal(array_reserve(&p, &cap, 3, 1, 8), 0);
	assert_int_equal(cap, 8);
	free(p);
}

static void check_block(unsigned index, const char *c4, const char *s4, const char *c6,
                        const char *s6)
{
	char buf[INET6_ADDRSTRLEN];
	struct in_addr a4;
	struct in6_addr a6;

	addrblock_ip4(index, ROLE_CLIENT, &a4);
	assert_string_equal(inet_ntop(AF_INET, &a4, buf, sizeof(buf)), c4);
	addrblock_ip4(index, ROLE_SERVER, &a4);
	assert_string_equal(inet_ntop(AF_INET, &a4, buf, sizeof(buf)), s4);
	addrblock_ip6(index, ROLE_CLIENT, &a6);
	assert_string_equal(inet_ntop(AF_INET6, &a6, buf, sizeof(buf)), c6);
	addrblock_ip6(index, ROLE_SERVER, &a6);
	assert_string_equal(inet_ntop(AF_INET6, &a6, buf, sizeof(buf)), s6);
}

static void test_addrblock_addresses(void **state)
{
	(void)state;
	/* Block N: the /30 at 198.18.0.0 + 4N, the /64 2001:2:0:N:: (hand-computed:
	 * 300 * 4 = 1200 = 4 * 256 + 176; 32767 * 4 = 0x1fffc). */
	check_block(0, "198.18.0.1", "198.18.0.2", "2001:2::1", "2001:2::2");
	check_block(5, "198.18.0.21", "198.18.0.22", "2001:2:0:5::1", "2001:2:0:5::2");
	check_block(300, "198.18.4.177", "198.18.4.178", "2001:2:0:12c::1", "2001:2:0:12c::2");
	check_block(ADDRBLOCK_COUNT - 1, "198.19.255.253", "198.19.255.254", "2001:2:0:7fff::1",
	            "2001:2:0:7fff::2");
}

static void test_addrblock_distinct(void **state)
{
	struct in_addr a, b;
	unsigned i;

	(void)state;
	/* Every block lies in RFC 2544's 198.18.0.0/15 and RFC 5180's
	 * 2001:2::/48 (never routed, never a real network's), and its /30
	 * follows the previous block's: no two blocks share an address. */
	for (i = 0; i < ADDRBLOCK_COUNT; i++) {
		struct in6_addr a6;
		uint32_t c;

		addrblock_ip4(i, ROLE_CLIENT, &a);
		addrblock_ip4(i, ROLE_SERVER, &b);
		c = ntohl(a.s_addr);
		assert_int_equal(c & 0xfffe0000u, 0xc6120000u); /* 198.18.0.0/15 */
		assert_int_equal(c & 3u, 1);
		assert_int_equal(ntohl(b.s_addr), c + 1);
		assert_int_equal(c >> 2 & 0x7fffu, i);
		addrblock_ip6(i, ROLE_CLIENT, &a6);
		assert_memory_equal(a6.s6_addr, "\x20\x01\x00\x02\x00\x00", 6); /* 2001:2::/48 */
		assert_int_equal(a6.s6_addr[6] << 8 | a6.s6_addr[7], i);
	}
}

static void test_addrblock_mac(void **state)
{
	uint8_t c[6], s[6];

	(void)state;
	addrblock_mac(258, ROLE_CLIENT, c);
	addrblock_mac(258, ROLE_SERVER, s);
	assert_int_equal(c[0] & 0x03, 0x02); /* locally administered, unicast */
	assert_int_equal(c[3], 1);
	assert_int_equal(c[4], 2);
	assert_memory_not_equal(c, s, 6);
}

static void test_addrblock_reservation(void **state)
{
	struct addrblock a, b, c;
	struct err e;

	(void)state;
	assert_int_equal(addrblock_acquire(&a, &e), 0);
	/* The same block cannot be taken twice, by this or another process. */
	assert_int_equal(addrblock_acquire_index(&b, a.index, &e), -1);
	assert_int_equal(e.kind, ERR_ENV);
	assert_non_null(strstr(e.msg, "held by another run"));
	/* The next free one is another block. */
	assert_int_equal(addrblock_acquire(&c, &e), 0);
	assert_int_not_equal(c.index, a.index);
	addrblock_release(&a);
	assert_int_equal(addrblock_acquire_index(&b, a.index, &e), 0);
	addrblock_release(&b);
	addrblock_release(&c);
	assert_int_equal(addrblock_acquire_index(&b, ADDRBLOCK_COUNT, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
}

/* The first block at or after @i that no run holds. */
static unsigned first_free_block(unsigned i)
{
	struct addrblock b;
	struct err e;

	for (;; i = (i + 1) % ADDRBLOCK_COUNT)
		if (addrblock_acquire_index(&b, i, &e) == 0) {
			addrblock_release(&b);
			return i;
		}
}

/* Blocks are taken in turn: a block just released does not come back to
 * the next scenario (its kernel sockets may still send tracepoint events
 * with the block's addresses), and a runner's advance, made for each child
 * it forks, moves the next search on by one. */
static void test_addrblock_taken_in_turn(void **state)
{
	struct addrblock a, b, c;
	unsigned want;
	struct err e;

	(void)state;
	assert_int_equal(addrblock_acquire(&a, &e), 0);
	addrblock_release(&a);
	want = first_free_block((a.index + 1) % ADDRBLOCK_COUNT);
	assert_int_equal(addrblock_acquire(&b, &e), 0);
	assert_int_not_equal(b.index, a.index);
	assert_int_equal(b.index, want);
	addrblock_release(&b);
	addrblock_advance();
	want = first_free_block((b.index + 2) % ADDRBLOCK_COUNT);
	assert_int_equal(addrblock_acquire(&c, &e), 0);
	assert_int_equal(c.index, want);
	addrblock_release(&c);
}

static void expect_path(const char *key, const char *path)
{
	char buf[600];
	struct err e;

	assert_int_equal(sysctl_path(key, buf, sizeof(buf), &e), 0);
	assert_string_equal(buf, path);
}

static void expect_bad_key(const char *key, const char *msgpart)
{
	char buf[600];
	struct err e;

	assert_int_equal(sysctl_path(key, buf, sizeof(buf), &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	assert_non_null(strstr(e.msg, msgpart));
}

static void test_sysctl_path(void **state)
{
	(void)state;
	expect_path("net.ipv4.tcp_tw_reuse", "/proc/sys/net/ipv4/tcp_tw_reuse");
	expect_path("net/ipv4/tcp_tw_reuse", "/proc/sys/net/ipv4/tcp_tw_reuse");
	expect_path("net.core.somaxconn", "/proc/sys/net/core/somaxconn");
	/* sysctl(8): in dotted form '/' is a literal dot (VLAN eth0.100) ... */
	expect_path("net.ipv4.conf.eth0/100.rp_filter",
	            "/proc/sys/net/ipv4/conf/eth0.100/rp_filter");
	/* ... and in slash form dots are literal. */
	expect_path("net/ipv4/conf/eth0.100/rp_filter",
	            "/proc/sys/net/ipv4/conf/eth0.100/rp_filter");
	expect_bad_key("", "empty");
	expect_bad_key("kernel.panic", "only net.*");
	expect_bad_key("vm/swappiness", "only net.*");
	expect_bad_key("net..ipv4", "empty or relative");
	expect_bad_key("net/ipv4/../../kernel/panic", "empty or relative");
	expect_bad_key("net.ipv4.tcp tw", "invalid character");
	expect_bad_key("net", "only net.*");
}

static void test_sysctl_canonical(void **state)
{
	char buf[600];
	struct err e;

	(void)state;
	assert_int_equal(sysctl_canonical("net/ipv4/tcp_fin_timeout", buf, sizeof(buf), &e), 0);
	assert_string_equal(buf, "net.ipv4.tcp_fin_timeout");
	assert_int_equal(sysctl_canonical("net/ipv4/conf/eth0.100/rp_filter", buf, sizeof(buf), &e),
	                 0);
	assert_string_equal(buf, "net.ipv4.conf.eth0/100.rp_filter");
}

static void test_sysctl_value_equal(void **state)
{
	(void)state;
	assert_true(sysctl_value_equal("1", "1"));
	assert_true(sysctl_value_equal("01", "1"));
	assert_true(sysctl_value_equal("32768 60999", "32768\t60999"));
	assert_true(sysctl_value_equal(" 4096 ", "4096"));
	assert_true(sysctl_value_equal("cubic", "cubic"));
	assert_false(sysctl_value_equal("1", "2"));
	assert_false(sysctl_value_equal("1 2", "1"));
	assert_false(sysctl_value_equal("reno", "cubic"));
}

static void test_sysctl_bad_value(void **state)
{
	struct err e;

	(void)state;
	/* Refused before any namespace is touched: fd -1 is never used. */
	assert_int_equal(sysctl_write(-1, "net.ipv4.tcp_fin_timeout", "", &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	assert_int_equal(sysctl_write(-1, "net.ipv4.tcp_fin_timeout", "1\n2", &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	assert_int_equal(sysctl_write(-1, "kernel.panic", "1", &e), -1);
	assert_non_null(strstr(e.msg, "only net.*"));
}

static void test_version(void **state)
{
	const char *v = tc_version();

	(void)state;
	assert_int_equal(strncmp(v, "tcpconform ", 11), 0);
	/* "tcpconform X.Y.Z (git ...)" */
	assert_non_null(strstr(v, " (git "));
	assert_true(v[11] >= '0' && v[11] <= '9');
	assert_non_null(strchr(v + 11, '.'));
}

static void test_errors(void **state)
{
	struct err e;
	char big[600];

	(void)state;
	assert_int_equal(err_at(&e, "cases/x.case", 12, 7, "unknown step '%s'", "frob"), -1);
	assert_string_equal(e.msg, "cases/x.case:12:7: unknown step 'frob'");
	assert_int_equal(err_exit_status(&e), EXIT_USAGE);
	err_set(&e, ERR_SYSTEM, "inner");
	err_wrap(&e, "outer %d", 1);
	assert_string_equal(e.msg, "outer 1: inner");
	assert_int_equal(err_exit_status(&e), EXIT_UNEXPECTED);
	err_set(&e, ERR_ENV, "no tracefs");
	assert_int_equal(err_exit_status(&e), EXIT_ENV);
	errno = EPERM;
	err_sys(&e, "unshare");
	assert_string_equal(e.msg, "unshare: Operation not permitted (EPERM)");
	assert_int_equal(e.kind, ERR_ENV);
	/* Wrapping a full message truncates, never overflows. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	err_set(&e, ERR_SYSTEM, "%s", big);
	err_wrap(&e, "ctx");
	assert_int_equal(strlen(e.msg), sizeof(e.msg) - 1);
	assert_int_equal(strncmp(e.msg, "ctx: xxx", 8), 0);
	err_clear(&e);
	assert_int_equal(err_exit_status(&e), EXIT_PASS);
}

static int dummy(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void test_cmd_table(void **state)
{
	static const struct cmd t[] = {
	    {.name = "run", .run = dummy},
	    {.name = "report", .run = dummy},
	    {.name = "bench", .run = dummy},
	    {.name = NULL},
	};

	(void)state;
	assert_ptr_equal(cmd_find(t, "run"), &t[0]);
	assert_ptr_equal(cmd_find(t, "b"), &t[2]);
	assert_ptr_equal(cmd_find(t, "rep"), &t[1]);
	assert_null(cmd_find(t, "r")); /* ambiguous */
	assert_null(cmd_find(t, "frob"));
}

static void test_counters_parse(void **state)
{
	static const char snmp[] = "Ip: Forwarding DefaultTTL\nIp: 2 64\n"
	                           "Tcp: RtoAlgorithm ActiveOpens OutRsts\nTcp: 1 7 3\n";
	static const char snmp6[] = "Ip6InReceives                   \t12\n"
	                            "Icmp6OutMsgs                    \t4\n"
	                            "Udp6InDatagrams                 \t0\n"
	                            "UdpLite6InErrors 9\n";
	struct counters c = {0};
	int64_t v;

	(void)state;
	assert_int_equal(counters_parse(snmp, &c), 0);
	assert_int_equal(counters_parse6(snmp6, &c), 0);
	assert_int_equal(counters_get(&c, "Tcp.ActiveOpens", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(counters_get(&c, "Tcp.OutRsts", &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(counters_get(&c, "Ip.DefaultTTL", &v), 0);
	assert_int_equal(v, 64);
	assert_int_equal(counters_get(&c, "Ip6.InReceives", &v), 0);
	assert_int_equal(v, 12);
	assert_int_equal(counters_get(&c, "Icmp6.OutMsgs", &v), 0);
	assert_int_equal(v, 4);
	assert_int_equal(counters_get(&c, "UdpLite6.InErrors", &v), 0);
	assert_int_equal(v, 9);
	assert_int_equal(counters_get(&c, "Tcp.Nope", &v), -1);
	counters_free(&c);
}

/* sockstat: the value of one key in one labelled line; a missing line or
 * key, a line cut short or a value that is no number is -1. */
static void test_sockstat_field(void **state)
{
	static const char v4[] = "sockets: used 5\n"
	                         "TCP: inuse 3 orphan 0 tw 2 alloc 4 mem 1\n"
	                         "UDP: inuse 1 mem 0\n";
	static const char v6[] = "TCP6: inuse 7\nUDP6: inuse 0\n";
	int64_t v = -5;

	(void)state;
	assert_int_equal(sockstat_field(v4, "TCP", "inuse", &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(sockstat_field(v4, "TCP", "tw", &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(sockstat_field(v4, "UDP", "inuse", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(sockstat_field(v6, "TCP6", "inuse", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(sockstat_field("TCP: inuse -1 tw 0", "TCP", "inuse", &v), 0);
	assert_int_equal(v, -1);
	/* "TCP6:" is not "TCP:", nor "TCP" a prefix match */
	assert_int_equal(sockstat_field(v6, "TCP", "inuse", &v), -1);
	assert_int_equal(sockstat_field(v4, "TCP", "nope", &v), -1);
	assert_int_equal(sockstat_field(v4, "RAW", "inuse", &v), -1);
	assert_int_equal(sockstat_field("TCP: inuse\n", "TCP", "inuse", &v), -1);
	assert_int_equal(sockstat_field("TCP: inuse x3 tw 0\n", "TCP", "inuse", &v), -1);
	assert_int_equal(sockstat_field("TCP: inuse 99999999999999999999\n", "TCP", "inuse", &v),
	                 -1);
	assert_int_equal(sockstat_field("", "TCP", "inuse", &v), -1);
}

static void test_samples(void **state)
{
	struct samples s = {0};
	int i;

	(void)state;
	for (i = 100; i >= 1; i--)
		assert_int_equal(samples_add(&s, i), 0);
	assert_true(samples_min(&s) == 1);
	assert_true(samples_max(&s) == 100);
	assert_true(samples_quantile(&s, 0.5) == 50);
	assert_true(samples_quantile(&s, 0.99) == 99);
	samples_free(&s);
}

/* ---- tracepoint text and kernel versions ---- */

static void test_tracer_parse_formats(void **state)
{
	/* 6.18 (family= since v5.12), then the same event as 4.16..5.11
	 * print it, for an IPv4 and an IPv6 socket, and a 6.x send_reset. */
	static const char text[] =
	    "# tracer: nop\n"
	    "  <idle>-0 [001] ..s1. 100.000100: tcp_retransmit_skb: skbaddr=0 skaddr=0 "
	    "family=AF_INET sport=8000 dport=40000 saddr=10.128.0.2 daddr=10.128.0.1 "
	    "saddrv6=::ffff:10.128.0.2 daddrv6=::ffff:10.128.0.1 state=TCP_LAST_ACK\n"
	    "  <idle>-0 [001] ..s1. 100.000200: tcp_retransmit_skb: sport=8000 dport=40000 "
	    "saddr=10.128.0.2 daddr=10.128.0.1 saddrv6=::ffff:10.128.0.2 "
	    "daddrv6=::ffff:10.128.0.1 state=TCP_LAST_ACK\n"
	    "  <idle>-0 [000] ..s1. 100.000300: tcp_retransmit_skb: skbaddr=0 skaddr=0 "
	    "sport=8000 dport=40000 saddr=127.0.0.6 daddr=0.0.0.0 saddrv6=fd00:128::2 "
	    "daddrv6=fd00:128::1 state=TCP_LAST_ACK\n"
	    "  nc-42 [000] ..... 100.000400: tcp_send_reset: skbaddr=0 skaddr=0 "
	    "src=10.128.0.1:40000 dest=10.128.0.2:8000 state=TCP_CLOSE\n";
	struct trace_event *ev;
	size_t n = trace_event_parse(text, &ev);
	char a[64];

	(void)state;
	assert_int_equal(n, 4);
	assert_int_equal(ev[0].family, AF_INET);
	assert_int_equal(ev[1].family, AF_INET);
	assert_int_equal(ev[1].sport, 8000);
	assert_int_equal(ev[1].dport, 40000);
	inet_ntop(AF_INET, ev[1].saddr, a, sizeof(a));
	assert_string_equal(a, "10.128.0.2");
	assert_int_equal(ev[2].family, AF_INET6);
	inet_ntop(AF_INET6, ev[2].daddr, a, sizeof(a));
	assert_string_equal(a, "fd00:128::1");
	assert_true(ev[2].ts > 100.0002 && ev[2].ts < 100.0004);
	assert_int_equal(ev[3].kind, TE_SEND_RESET);
	assert_int_equal(ev[3].family, AF_INET);
	assert_int_equal(ev[3].sport, 40000);
	free(ev);
}

static void test_kernel_version(void **state)
{
	char v[64];
	const char *from;

	(void)state;
	kernel_version_of("6.1.0-57-amd64", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-3 (2026-11-26)",
	                  NULL, v, sizeof(v), &from);
	assert_string_equal(v, "6.1.192");
	assert_string_equal(from, "uname -v");
	kernel_version_of("5.15.0-100-generic", "#110-Ubuntu SMP Wed Feb 7 13:27:48 UTC 2024",
	                  "Ubuntu 5.15.0-100.110-generic 5.15.143", v, sizeof(v), &from);
	assert_string_equal(v, "5.15.143");
	assert_string_equal(from, "/proc/version_signature");
	/* A release with a patch level is the version. */
	kernel_version_of("6.12.117+deb12-amd64", "#1 SMP Debian 6.12.117-1~bpo12+1", NULL, v,
	                  sizeof(v), &from);
	assert_string_equal(v, "6.12.117+deb12-amd64");
	assert_string_equal(from, "uname -r");
	/* Another line's version, or none, is not taken. */
	kernel_version_of("6.1.0-57-amd64", "#1 SMP Debian 6.12.5-1", NULL, v, sizeof(v), &from);
	assert_string_equal(v, "6.1.0-57-amd64");
	kernel_version_of("6.18.0", "#1 SMP PREEMPT_DYNAMIC @0", NULL, v, sizeof(v), &from);
	assert_string_equal(v, "6.18.0");
	assert_string_equal(from, "uname -r");
}

static enum num_status ni(const char *s, long long min, long long max, long long *v)
{
	return num_int(s, strlen(s), min, max, v, NULL);
}

/* num.h: one strict decimal syntax for every number of the input
 * languages, range-checked without overflow (issue 14). */
static void test_numbers(void **state)
{
	long long v;
	double d;
	const char *end;
	size_t bad;

	(void)state;
	assert_int_equal(ni("0", 0, 10, &v), NUM_OK);
	assert_int_equal(v, 0);
	assert_int_equal(ni("65535", 1, 65535, &v), NUM_OK);
	assert_int_equal(v, 65535);
	assert_int_equal(ni("65536", 1, 65535, &v), NUM_RANGE);
	assert_int_equal(ni("0", 1, 65535, &v), NUM_RANGE);
	assert_int_equal(ni("-5", INT_MIN, INT_MAX, &v), NUM_OK);
	assert_int_equal(v, -5);
	assert_int_equal(ni("-2147483648", INT_MIN, INT_MAX, &v), NUM_OK);
	assert_int_equal(v, INT_MIN);
	assert_int_equal(ni("-2147483649", INT_MIN, INT_MAX, &v), NUM_RANGE);
	assert_int_equal(ni("9223372036854775807", LLONG_MIN, LLONG_MAX, &v), NUM_OK);
	assert_true(v == LLONG_MAX);
	assert_int_equal(ni("-9223372036854775808", LLONG_MIN, LLONG_MAX, &v), NUM_OK);
	assert_true(v == LLONG_MIN);
	assert_int_equal(ni("9223372036854775808", LLONG_MIN, LLONG_MAX, &v), NUM_RANGE);
	assert_int_equal(ni("99999999999999999999999999", 0, LLONG_MAX, &v), NUM_RANGE);
	assert_int_equal(ni("5", 0, 3, &v), NUM_RANGE);
	assert_int_equal(ni("5", -10, -3, &v), NUM_RANGE);
	assert_int_equal(ni("-1", 0, 10, &v), NUM_SYNTAX); /* no '-' where min >= 0 */
	assert_int_equal(ni("", 0, 10, &v), NUM_SYNTAX);
	assert_int_equal(ni("-", -10, 10, &v), NUM_SYNTAX);
	assert_int_equal(ni("+5", 0, 10, &v), NUM_SYNTAX);
	assert_int_equal(ni(" 5", 0, 10, &v), NUM_SYNTAX);
	assert_int_equal(ni("0x10", 0, 100, &v), NUM_SYNTAX);
	assert_int_equal(ni("1e3", 0, 10000, &v), NUM_SYNTAX);
	assert_int_equal(num_int("12a4", 4, 0, 10000, &v, &bad), NUM_SYNTAX);
	assert_int_equal(bad, 2);
	/* a syntax error after too many digits is still a syntax error */
	assert_int_equal(num_int("99999999999999999999x", 21, 0, 10, &v, &bad), NUM_SYNTAX);
	assert_int_equal(bad, 20);

	assert_int_equal(num_decimal("1.5s", false, &d, &end), NUM_OK);
	assert_true(d == 1.5);
	assert_string_equal(end, "s");
	assert_int_equal(num_decimal("5..7", false, &d, &end), NUM_OK);
	assert_true(d == 5);
	assert_string_equal(end, "..7");
	assert_int_equal(num_decimal("-3.25", true, &d, &end), NUM_OK);
	assert_true(d == -3.25);
	assert_int_equal(num_decimal("-3", false, &d, &end), NUM_SYNTAX);
	assert_int_equal(num_decimal(".5", false, &d, &end), NUM_SYNTAX);
	assert_int_equal(num_decimal("inf", false, &d, &end), NUM_SYNTAX);
	assert_int_equal(num_decimal("nan", true, &d, &end), NUM_SYNTAX);
	assert_int_equal(num_decimal("0x10", false, &d, &end), NUM_OK);
	assert_true(d == 0); /* "0", then "x10" for the caller to refuse */
	assert_string_equal(end, "x10");
	assert_int_equal(num_decimal("1e3", false, &d, &end), NUM_OK);
	assert_true(d == 1);
	assert_string_equal(end, "e3");
	assert_int_equal(num_decimal("999999999999999", false, &d, &end), NUM_OK);
	assert_true(d == 999999999999999.0);
	assert_int_equal(num_decimal("1000000000000000", false, &d, &end), NUM_RANGE);
	assert_int_equal(num_decimal("1.0000000000000001", false, &d, &end), NUM_RANGE);
}

/* mkdir -p: every missing component, the parents only, and a path too
 * long refused whole. */
static void test_dirs(void **state)
{
	char base[] = "/tmp/tc-dirs-XXXXXX", path[256], cmd[300];
	static char longp[PATH_MAX + 10];
	struct stat st;
	struct err e;

	(void)state;
	assert_non_null(mkdtemp(base));
	snprintf(path, sizeof(path), "%s/a/b/c", base);
	assert_int_equal(dirs_make(path, &e), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(dirs_make(path, &e), 0); /* already there */
	snprintf(path, sizeof(path), "%s/p/q/file", base);
	assert_int_equal(dirs_make_parents(path, &e), 0);
	snprintf(path, sizeof(path), "%s/p/q", base);
	assert_int_equal(stat(path, &st), 0);
	snprintf(path, sizeof(path), "%s/p/q/file", base);
	assert_int_not_equal(stat(path, &st), 0);
	/* a file where a directory goes: named, with its errno */
	snprintf(path, sizeof(path), "%s/f", base);
	fclose(fopen(path, "w"));
	snprintf(path, sizeof(path), "%s/f/g", base);
	assert_int_equal(dirs_make(path, &e), -1);
	assert_int_equal(e.errnum, ENOTDIR);
	assert_non_null(strstr(e.msg, "creating"));
	memset(longp, 'x', sizeof(longp) - 1);
	longp[0] = '/';
	assert_int_equal(dirs_make(longp, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	assert_non_null(strstr(e.msg, "path too long"));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", base);
	assert_int_equal(system(cmd), 0);
}

/* run/sigio.c on a socket pair (no privilege): each write to the peer is
 * one POLL_IN, in order; a look forgets what it took; the signals of a
 * closed socket are not taken for those of a new one on its descriptor. */
static void test_sigio_bands(void **state)
{
	struct sockets *ss = calloc(1, sizeof(*ss));
	struct sockent *se;
	char buf[160];
	struct err e;
	int sv[2], sv2[2], fd;

	(void)state;
	assert_non_null(ss);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	se = sockets_put(ss, SIDE_SERVER, "b", sv[1]);
	assert_non_null(se);
	assert_int_equal(sigio_watch(ss, se, &e), 0);
	assert_int_equal(sigio_collect(ss, &e), 0);
	sigio_take(se, buf, sizeof(buf));
	assert_string_equal(buf, "none");
	assert_int_equal(write(sv[0], "x", 1), 1);
	assert_int_equal(write(sv[0], "y", 1), 1);
	assert_int_equal(sigio_collect(ss, &e), 0);
	sigio_take(se, buf, sizeof(buf));
	assert_string_equal(buf, "IN IN");
	sigio_take(se, buf, sizeof(buf));
	assert_string_equal(buf, "none");

	/* a signal queued, then its socket closed: not the next one's */
	assert_int_equal(write(sv[0], "z", 1), 1);
	fd = se->fd;
	sockets_close_one(se);
	close(sv[0]);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv2), 0);
	assert_true(sv2[0] == fd || sv2[1] == fd); /* the lowest free descriptor again */
	se = sockets_put(ss, SIDE_SERVER, "b", sv2[0] == fd ? sv2[0] : sv2[1]);
	assert_non_null(se);
	assert_int_equal(sigio_watch(ss, se, &e), 0);
	assert_int_equal(sigio_collect(ss, &e), 0);
	sigio_take(se, buf, sizeof(buf));
	assert_string_equal(buf, "none");
	sockets_close_all(ss);
	close(sv2[0] == fd ? sv2[1] : sv2[0]);
	free(ss);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_addrblock_addresses),
	    cmocka_unit_test(test_addrblock_distinct),
	    cmocka_unit_test(test_addrblock_mac),
	    cmocka_unit_test(test_addrblock_reservation),
	    cmocka_unit_test(test_addrblock_taken_in_turn),
	    cmocka_unit_test(test_sysctl_path),
	    cmocka_unit_test(test_sysctl_canonical),
	    cmocka_unit_test(test_sysctl_value_equal),
	    cmocka_unit_test(test_sysctl_bad_value),
	    cmocka_unit_test(test_version),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_cmd_table),
	    cmocka_unit_test(test_samples),
	    cmocka_unit_test(test_counters_parse),
	    cmocka_unit_test(test_sockstat_field),
	    cmocka_unit_test(test_tracer_parse_formats),
	    cmocka_unit_test(test_kernel_version),
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_array_reserve),
	    cmocka_unit_test(test_dirs),
	    cmocka_unit_test(test_sigio_bands),
	};

	return cmocka_run_group_tests_name("unit", tests, NULL, NULL);
}
