// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_host.c - the host is untouched and nothing leaves the test
 * namespaces.  Around a real run of several cases (SYN flood from a raw
 * socket, TIME_WAIT reuse, a lost final ACK and FIN retransmissions):
 *  - every readable sysctl under /proc/sys/net of the host namespace, its
 *    links, addresses, routes and neighbour entries are byte-identical
 *    before and after (fields the kernel changes on its own, such as route
 *    use counts, IPv6 route cache entries and the host's dynamic neighbour
 *    entries, are left out, each with its reason);
 *  - an AF_PACKET socket on every host interface sees no frame carrying a
 *    harness address (RFC 2544's 198.18.0.0/15, RFC 5180's 2001:2::/48,
 *    also as an ARP or neighbour-discovery target) or MAC (02:74:63:..),
 *    while a marker datagram sent on the host's loopback proves the capture
 *    works.  The socket's own BPF filter (compiled by libpcap) passes only
 *    frames that could be ours (the ranges, the MACs, neighbour discovery)
 *    and the marker, so a host flooding its loopback (check-envs busy: 45
 *    million packets) cannot fill its queue: the kernel's drop count
 *    (PACKET_STATISTICS) must be 0, or the capture proves nothing.
 *    Should the host itself use those ranges (some proxies hand out
 *    198.18.0.0/15 as fake addresses), its own frames would look like ours:
 *    then only the MACs are matched, and the test says so.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <ifaddrs.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

static FILE *snap; /* the snapshot being written, for the nftw callback */

/* Sysctls that change by themselves on a live host. */
static const char *const volatile_sysctls[] = {
    "/proc/sys/net/netfilter/nf_conntrack_count", /* the host's own connections */
};

static int one_sysctl(const char *path, const struct stat *st, int type, struct FTW *f)
{
	char buf[4096];
	size_t i;
	FILE *in;
	size_t n;

	(void)f;
	if (type != FTW_F || !(st->st_mode & S_IRUSR))
		return 0;
	for (i = 0; i < sizeof(volatile_sysctls) / sizeof(volatile_sysctls[0]); i++)
		if (!strcmp(path, volatile_sysctls[i]))
			return 0;
	in = fopen(path, "r");
	if (!in)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, in);
	fclose(in);
	buf[n] = '\0';
	fprintf(snap, "%s=%s\n", path, buf);
	return 0;
}

/* /proc/net/route or ipv6_route without the columns traffic changes
 * (RefCnt, Use). */
static void routes(const char *path, int skip_a, int skip_b)
{
	char line[512];
	FILE *in = fopen(path, "r");

	while (in && fgets(line, sizeof(line), in)) {
		char *tok, *save = NULL;
		int col = 0;

		for (tok = strtok_r(line, " \t\n", &save); tok;
		     tok = strtok_r(NULL, " \t\n", &save), col++)
			if (col != skip_a && col != skip_b)
				fprintf(snap, "%s ", tok);
		fprintf(snap, "\n");
	}
	if (in)
		fclose(in);
}

/* /proc/net/ipv6_route without refcnt and use, and without RTF_CACHE
 * entries (PMTU and redirect exceptions the host's traffic makes). */
static void routes6(void)
{
	char line[512];
	FILE *in = fopen("/proc/net/ipv6_route", "r");

	while (in && fgets(line, sizeof(line), in)) {
		char *tok, *save = NULL, out[512] = "";
		int col = 0;
		unsigned long flags = 0;

		for (tok = strtok_r(line, " \t\n", &save); tok;
		     tok = strtok_r(NULL, " \t\n", &save), col++) {
			if (col == 8)
				flags = strtoul(tok, NULL, 16);
			if (col != 6 && col != 7) {
				strncat(out, tok, sizeof(out) - strlen(out) - 2);
				strcat(out, " ");
			}
		}
		if (!(flags & 0x01000000)) /* RTF_CACHE */
			fprintf(snap, "%s\n", out);
	}
	if (in)
		fclose(in);
}

static char *snapshot(void)
{
	char *text = NULL, line[512];
	size_t len = 0;
	struct ifaddrs *ifa, *a;
	FILE *p;

	snap = open_memstream(&text, &len);
	assert_non_null(snap);
	fprintf(snap, "== sysctls\n");
	nftw("/proc/sys/net", one_sysctl, 16, FTW_PHYS);
	fprintf(snap, "== links\n");
	p = popen("for d in /sys/class/net/*; do echo $d $(cat $d/ifindex $d/address $d/mtu "
	          "$d/flags 2>/dev/null); done",
	          "r");
	while (p && fgets(line, sizeof(line), p))
		fputs(line, snap);
	if (p)
		pclose(p);
	fprintf(snap, "== addresses\n");
	assert_int_equal(getifaddrs(&ifa), 0);
	for (a = ifa; a; a = a->ifa_next) {
		char addr[INET6_ADDRSTRLEN] = "";

		if (!a->ifa_addr)
			continue;
		if (a->ifa_addr->sa_family == AF_INET)
			inet_ntop(AF_INET, &((struct sockaddr_in *)a->ifa_addr)->sin_addr, addr,
			          sizeof(addr));
		else if (a->ifa_addr->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((struct sockaddr_in6 *)a->ifa_addr)->sin6_addr, addr,
			          sizeof(addr));
		else
			continue;
		fprintf(snap, "%s %s\n", a->ifa_name, addr);
	}
	freeifaddrs(ifa);
	fprintf(snap, "== routes\n");
	routes("/proc/net/route", 5, 6); /* RefCnt, Use */
	routes6();
	fprintf(snap, "== neighbours\n");
	/* Static entries whole, sorted (the table's hash order changes when
	 * an entry is made again); dynamic ones come and go with the host's
	 * own traffic (ARP/ND for its gateway), and so do the NOARP entries
	 * the kernel makes for the multicast groups the host sends to (MLD
	 * reports to ff02::16), so of those only the harness's addresses are
	 * looked for (there must be none). */
	p = popen("{ ip -o neigh show nud permanent 2>/dev/null; "
	          "ip -o neigh show nud noarp 2>/dev/null | "
	          "grep -v -E '^(ff[0-9a-f][0-9a-f]:|2(2[4-9]|3[0-9])\\.)'; "
	          "ip -o neigh show | grep -E '^(198\\.1[89]\\.|2001:2::|2001:2:0:)' | "
	          "sed 's/^/HARNESS /'; } | sort",
	          "r");
	while (p && fgets(line, sizeof(line), p))
		fputs(line, snap);
	if (p)
		pclose(p);
	fclose(snap);
	return text;
}

/* ---- the capture ---------------------------------------------------------- */

struct capture {
	int fd;
	volatile int stop;
	unsigned harness_frames, marker_frames, frames;
	char example[160];
};

static const char marker[] = "tcpconform-host-capture-marker";

/* The host itself has an address or a route in the harness's ranges:
 * then addresses prove nothing and only MACs are matched. */
static bool host_uses_ranges;

/* RFC 2544's 198.18.0.0/15 (harness/host/addrblock.c): a range no real
 * network uses, so the host's own traffic does not look like ours. */
static bool harness_v4(const unsigned char *a)
{
	return !host_uses_ranges && a[0] == 198 && (a[1] & 0xfe) == 18;
}

/* RFC 5180's 2001:2::/48 (harness/host/addrblock.c). */
static bool harness_v6(const unsigned char *a)
{
	return !host_uses_ranges && a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x00 && a[3] == 0x02 &&
	       a[4] == 0 && a[5] == 0;
}

/* Does the host (before any run) hold an address in either range, or a
 * route into 198.18.0.0/15? */
static bool host_in_ranges(void)
{
	struct ifaddrs *ifa, *i;
	bool in = false;
	FILE *f;
	char line[256];

	if (getifaddrs(&ifa) == 0) {
		for (i = ifa; i; i = i->ifa_next) {
			const struct sockaddr *sa = i->ifa_addr;

			if (sa && sa->sa_family == AF_INET)
				in |= harness_v4(
				    (const unsigned char *)&((const struct sockaddr_in *)sa)
				        ->sin_addr);
			if (sa && sa->sa_family == AF_INET6)
				in |= harness_v6(
				    ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr);
		}
		freeifaddrs(ifa);
	}
	f = fopen("/proc/net/route", "r");
	while (f && fgets(line, sizeof(line), f)) {
		unsigned dst, mask;

		/* Iface Destination Gateway Flags RefCnt Use Metric Mask (hex, host order) */
		if (sscanf(line, "%*s %x %*x %*x %*d %*d %*d %x", &dst, &mask) == 2 && mask &&
		    ((dst ^ htonl(0xc6120000u)) & mask & htonl(0xfffe0000u)) == 0)
			in = true;
	}
	if (f)
		fclose(f);
	return in;
}

static bool harness_frame(const unsigned char *f, size_t n)
{
	uint16_t type;

	if (n < 14)
		return false;
	/* 02:74:63 ("tc"): the harness's MACs (harness/host/addrblock.c). */
	if ((f[0] == 0x02 && f[1] == 0x74 && f[2] == 0x63) ||
	    (f[6] == 0x02 && f[7] == 0x74 && f[8] == 0x63))
		return true;
	type = (uint16_t)(f[12] << 8 | f[13]);
	if (type == ETH_P_IP && n >= 34)
		return harness_v4(f + 26) || harness_v4(f + 30);
	if (type == ETH_P_ARP && n >= 42) /* sender or target protocol address */
		return harness_v4(f + 28) || harness_v4(f + 38);
	if (type == ETH_P_IPV6 && n >= 54) {
		if (harness_v6(f + 22) || harness_v6(f + 38))
			return true;
		/* Neighbour solicitation or advertisement for a harness address. */
		if (f[20] == 58 && n >= 78 && (f[54] == 135 || f[54] == 136))
			return harness_v6(f + 62);
	}
	return false;
}

static void *capture_thread(void *arg)
{
	struct capture *c = arg;
	unsigned char buf[65536];

	while (!c->stop) {
		struct pollfd pf = {.fd = c->fd, .events = POLLIN};
		ssize_t n;

		if (poll(&pf, 1, 50) <= 0)
			continue;
		while ((n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
			c->frames++;
			if (memmem(buf, (size_t)n, marker, sizeof(marker) - 1))
				c->marker_frames++;
			if (harness_frame(buf, (size_t)n)) {
				if (!c->harness_frames++)
					snprintf(c->example, sizeof(c->example),
					         "%02x:%02x:%02x:%02x:%02x:%02x > "
					         "%02x:%02x:%02x:%02x:%02x:%02x type %02x%02x",
					         buf[6], buf[7], buf[8], buf[9], buf[10], buf[11],
					         buf[0], buf[1], buf[2], buf[3], buf[4], buf[5],
					         buf[12], buf[13]);
			}
		}
	}
	return NULL;
}

/* What the kernel queues for the capture: any frame harness_frame() could
 * count, and the marker (UDP to port 9).  Wider than harness_frame() (all
 * neighbour discovery, the ranges also when the host uses them), never
 * narrower: test_detector checks that. */
static const char capture_filter[] =
    "(ether[0:2] = 0x0274 and ether[2] = 0x63) or (ether[6:2] = 0x0274 and ether[8] = 0x63) "
    "or net 198.18.0.0/15 or net 2001:2::/48 "
    "or (icmp6 and (ip6[40] = 135 or ip6[40] = 136)) or (udp dst port 9)";

static void compile_filter(struct bpf_program *prog)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);

	assert_non_null(p);
	if (pcap_compile(p, prog, capture_filter, 1, PCAP_NETMASK_UNKNOWN) < 0)
		fail_msg("pcap_compile: %s", pcap_geterr(p));
	pcap_close(p);
}

/* An AF_PACKET socket on every interface with the filter attached before it
 * is bound, so no frame is queued unfiltered. */
static int capture_socket(void)
{
	struct bpf_program prog;
	struct sock_fprog fp;
	struct sockaddr_ll ll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL)};
	int fd = socket(AF_PACKET, SOCK_RAW, 0), size = 8 << 20;

	assert_true(fd >= 0);
	compile_filter(&prog);
	fp.len = (unsigned short)prog.bf_len;
	fp.filter = (struct sock_filter *)prog.bf_insns;
	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp)), 0);
	pcap_freecode(&prog);
	/* room for a burst of the harness's frames, should they escape */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)), 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&ll, sizeof(ll)), 0);
	return fd;
}

static void send_marker(void)
{
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(9)};
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	assert_true(s >= 0);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(sendto(s, marker, sizeof(marker) - 1, 0, (struct sockaddr *)&to, sizeof(to)) >
	            0);
	close(s);
}

static void test_host_untouched_and_contained(void **state)
{
	char dir[] = "/tmp/tcpconform-host-XXXXXX", cmd[512];
	char *before, *after;
	struct capture c = {0};
	pthread_t th;
	int st;

	(void)state;
	REQUIRE_NETNS();
	if (!tl_have("ip")) {
		print_message("skipped: iproute2 (the neighbour observer) is missing\n");
		skip();
	}
	assert_non_null(mkdtemp(dir));
	c.fd = capture_socket();
	assert_int_equal(pthread_create(&th, NULL, capture_thread, &c), 0);

	before = snapshot();
	send_marker();
	snprintf(cmd, sizeof(cmd),
	         "build/tcpconform run refused handshake syn-flood tw-reuse lost-final-ack "
	         "linger0-rst -o %s/out > %s/log 2>&1",
	         dir, dir);
	st = system(cmd);
	send_marker();
	usleep(200 * 1000);
	after = snapshot();
	c.stop = 1;
	pthread_join(th, NULL);
	{
		struct tpacket_stats ps;
		socklen_t len = sizeof(ps);

		assert_int_equal(getsockopt(c.fd, SOL_PACKET, PACKET_STATISTICS, &ps, &len), 0);
		if (ps.tp_drops)
			fail_msg("the capture dropped %u of %u frame(s) that passed its filter: it "
			         "cannot tell that none of the harness's got out",
			         ps.tp_drops, ps.tp_packets);
	}
	close(c.fd);

	assert_true(WIFEXITED(st));
	if (WEXITSTATUS(st) != 0) {
		snprintf(cmd, sizeof(cmd), "tail -20 %s/log", dir);
		assert_int_equal(system(cmd), 0);
	}
	assert_int_equal(WEXITSTATUS(st), 0);
	/* The capture works: it saw both markers on the host's loopback. */
	assert_true(c.marker_frames >= 2);
	if (c.harness_frames)
		fail_msg("%u frame(s) of the harness on a host interface, e.g. %s",
		         c.harness_frames, c.example);
	if (strcmp(before, after) != 0) {
		FILE *f;

		snprintf(cmd, sizeof(cmd), "%s/before", dir);
		f = fopen(cmd, "w");
		fputs(before, f);
		fclose(f);
		snprintf(cmd, sizeof(cmd), "%s/after", dir);
		f = fopen(cmd, "w");
		fputs(after, f);
		fclose(f);
		snprintf(cmd, sizeof(cmd), "diff %s/before %s/after | head -20", dir, dir);
		assert_int_equal(system(cmd), 0);
		fail_msg("the host namespace changed during the run");
	}
	print_message("host snapshot: %zu bytes, identical; %u frame(s) on the host passed the "
	              "capture's filter, none of them the harness's\n",
	              strlen(before), c.frames);
	free(before);
	free(after);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* harness_frame(@f), and the capture's filter lets it through when it is. */
static bool detected(struct bpf_program *prog, const unsigned char *f, size_t n)
{
	bool ours = harness_frame(f, n);

	if (ours && !bpf_filter(prog->bf_insns, f, (unsigned)n, (unsigned)n))
		fail_msg("the capture's filter drops a frame of the harness's");
	return ours;
}

/* The detector itself: harness frames are seen, the host's own are not. */
static void test_detector(void **state)
{
	unsigned char f[80];
	struct bpf_program prog;

	(void)state;
	compile_filter(&prog);
	memset(f, 0, sizeof(f));
	host_uses_ranges = false;
	f[12] = 0x08; /* IPv4 198.18.0.21 > 198.18.0.22 */
	f[26] = 198, f[27] = 18, f[28] = 0, f[29] = 21;
	assert_true(detected(&prog, f, 60));
	f[27] = 19, f[28] = 255; /* 198.19.255.21: the /15's upper half */
	assert_true(detected(&prog, f, 60));
	f[27] = 20; /* 198.20.255.21: beyond the /15 */
	f[30] = 192, f[31] = 0, f[32] = 2, f[33] = 1;
	assert_false(detected(&prog, f, 60));
	f[26] = 10, f[27] = 255, f[28] = 255, f[29] = 53; /* a resolver at 10.255.255.53 */
	assert_false(detected(&prog, f, 60));
	memset(f, 0, sizeof(f));
	f[12] = 0x86, f[13] = 0xdd; /* IPv6 fd00::2 (the host's) > ff02::1:ff00:1 */
	f[22] = 0xfd, f[37] = 2, f[38] = 0xff, f[39] = 0x02;
	assert_false(detected(&prog, f, 78));
	f[20] = 58, f[54] = 135; /* NS for 2001:2:0:5::1 */
	f[62] = 0x20, f[63] = 0x01, f[65] = 0x02, f[69] = 5, f[77] = 1;
	assert_true(detected(&prog, f, 78));
	f[65] = 0x03; /* 2001:3:0:5::1: not RFC 5180's */
	assert_false(detected(&prog, f, 78));
	/* A host that uses the ranges itself: only MACs count. */
	host_uses_ranges = true;
	f[65] = 0x02;
	assert_false(detected(&prog, f, 78));
	host_uses_ranges = false;
	memset(f, 0, sizeof(f));
	f[6] = 0x02, f[7] = 0x74, f[8] = 0x63; /* the harness's MAC */
	assert_true(detected(&prog, f, 60));
	f[0] = 0x02, f[1] = 0x74, f[2] = 0x63, f[6] = 0; /* ... as the destination */
	assert_true(detected(&prog, f, 60));
	/* The marker, 127.0.0.1 > 127.0.0.1 UDP port 9 on loopback, passes the
	 * filter; the host's own datagram to port 53 does not. */
	memset(f, 0, sizeof(f));
	f[12] = 0x08, f[14] = 0x45, f[23] = 17;
	f[26] = 127, f[29] = 1, f[30] = 127, f[33] = 1;
	f[36] = 0, f[37] = 9;
	assert_true(bpf_filter(prog.bf_insns, f, 60, 60));
	f[37] = 53;
	assert_false(bpf_filter(prog.bf_insns, f, 60, 60));
	pcap_freecode(&prog);
}

int main(void)
{
	host_uses_ranges = false;
	host_uses_ranges = host_in_ranges();
	if (host_uses_ranges)
		printf("test_host: the host has addresses or routes in 198.18.0.0/15 or "
		       "2001:2::/48: harness frames are matched by MAC only\n");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_detector),
	    cmocka_unit_test(test_host_untouched_and_contained),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
