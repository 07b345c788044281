// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_wire.c - the wire in real namespaces: TCP through the forwarder
 * (byte-exact), faults on real connections, and the capture read back with
 * libpcap and with tcpdump(8) when it is installed.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#include "host/addrblock.h"
#include "host/netns.h"
#include "host/topology.h"
#include "model/frame.h"
#include "model/rule.h"
#include "wire/trace.h"
#include "wire/wire.h"

struct fx {
	struct addrblock block;
	struct topology t;
	struct wire *w;
	char dir[64];
	int built;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct topology_opts o = {.shape = TOPO_WIRE};
	struct wire_opts wo = {.keep_payload = true};
	struct err e;

	*state = f;
	if (!tl_can_netns())
		return 0;
	strcpy(f->dir, "/tmp/tcpconform-test-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	if (addrblock_acquire(&f->block, &e) < 0)
		goto fail;
	o.block = f->block.index;
	if (topology_build(&f->t, &o, &e) < 0)
		goto fail;
	f->built = 1;
	wo.nsfd = f->t.wire_nsfd;
	wo.ifindex_c = f->t.wire_c.ifindex;
	wo.ifindex_s = f->t.wire_s.ifindex;
	if (wire_start(&f->w, &wo, &e) < 0)
		goto fail;
	return 0;
fail:
	print_error("%s\n", e.msg);
	return -1;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char path[128];

	if (f->w)
		wire_free(f->w);
	if (f->built)
		topology_destroy(&f->t);
	addrblock_release(&f->block);
	if (f->dir[0] && getenv("TC_TEST_KEEP")) {
		print_message("traces kept in %s\n", f->dir);
	} else if (f->dir[0]) {
		snprintf(path, sizeof(path), "%s/trace.pcap", f->dir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/trace.txt", f->dir);
		unlink(path);
		rmdir(f->dir);
	}
	free(f);
	return 0;
}

static void add(struct fx *f, const char *text)
{
	struct rule r;
	struct err e;

	if (rule_parse(text, "test", 1, 1, &r, &e) < 0 || wire_add(f->w, &r, NULL, &e) < 0)
		fail_msg("%s", e.msg);
}

static void stop_and_write(struct fx *f)
{
	struct err e;
	int dfd = open(f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	assert_true(dfd >= 0);
	if (wire_stop(f->w, &e) < 0 || trace_write(f->w, dfd, "trace.pcap", "trace.txt", &e) < 0)
		fail_msg("%s", e.msg);
	close(dfd);
}

static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void timeouts(int fd, int ms)
{
	struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* Connect client to server on @port; *lfd, *cfd, *afd set. */
static void connect_pair(struct fx *f, int family, uint16_t port, int *lfd, int *cfd, int *afd)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct err e;
	int one = 1;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		s4->sin_addr = f->t.server.ip4;
		len = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		s6->sin6_addr = f->t.server.ip6;
		len = sizeof(*s6);
	}
	*lfd = netns_socket(f->t.server.nsfd, family, SOCK_STREAM, 0, &e);
	assert_true(*lfd >= 0);
	setsockopt(*lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	assert_int_equal(bind(*lfd, (struct sockaddr *)&ss, len), 0);
	assert_int_equal(listen(*lfd, 8), 0);
	*cfd = netns_socket(f->t.client.nsfd, family, SOCK_STREAM, 0, &e);
	assert_true(*cfd >= 0);
	timeouts(*cfd, 5000);
	assert_int_equal(connect(*cfd, (struct sockaddr *)&ss, len), 0);
	*afd = accept(*lfd, NULL, NULL);
	assert_true(*afd >= 0);
	timeouts(*afd, 5000);
}

/* Frames in the pcap read back with libpcap that match @text (a rule's match part). */
struct pcap_view {
	int frames;
	int matching;
	double first_ts[4]; /* seconds, of the first 4 matching */
	int nano;
};

static struct pcap_view read_pcap(struct fx *f, const char *match_text)
{
	char path[128], errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_view v = {0};
	struct pcap_pkthdr *h;
	const u_char *data;
	struct rule r;
	struct err e;
	pcap_t *p;

	assert_int_equal(rule_parse(match_text, "test", 1, 1, &r, &e), 0);
	snprintf(path, sizeof(path), "%s/trace.pcap", f->dir);
	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!p)
		fail_msg("libpcap cannot read %s: %s", path, errbuf);
	assert_int_equal(pcap_datalink(p), DLT_EN10MB);
	v.nano = pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO;
	while (pcap_next_ex(p, &h, &data) == 1) {
		struct frame_info fi;
		int dir;

		v.frames++;
		frame_decode(data, h->caplen, &fi);
		/* Direction from the source MAC: the client's ends in role 1. */
		dir = data[11] == ROLE_CLIENT ? DIR_C2S : DIR_S2C;
		if (match_frame(&r.m, dir, &fi)) {
			if (v.matching < 4)
				v.first_ts[v.matching] =
				    (double)h->ts.tv_sec + (double)h->ts.tv_usec / 1e9;
			v.matching++;
		}
	}
	pcap_close(p);
	return v;
}

static char *read_text(struct fx *f)
{
	char path[128];
	FILE *fp;
	char *buf = calloc(1, 1 << 20);

	snprintf(path, sizeof(path), "%s/trace.txt", f->dir);
	fp = fopen(path, "r");
	assert_non_null(fp);
	assert_true(fread(buf, 1, (1 << 20) - 1, fp) > 0);
	fclose(fp);
	return buf;
}

static void transfer(struct fx *f, int family)
{
	enum { N = 1 << 20 };
	unsigned char *out = malloc(N), *in = malloc(N);
	int lfd, cfd, afd;
	size_t sent = 0, got = 0, i;

	for (i = 0; i < N; i++)
		out[i] = (unsigned char)(i * 131 + i / 251 + family);
	connect_pair(f, family, 8000, &lfd, &cfd, &afd);
	/* Waits in poll(), never spins: a spinning sender starves the
	 * forwarder thread where threads take turns (valgrind runs one at a
	 * time: spinning made this test take minutes there). */
	while (got < N) {
		struct pollfd p[2] = {{.fd = cfd, .events = sent < N ? POLLOUT : 0},
		                      {.fd = afd, .events = POLLIN}};

		if (poll(p, 2, 10000) <= 0)
			fail_msg("no progress in 10 s after %zu of %zu bytes", got, (size_t)N);
		if (p[0].revents & POLLOUT) {
			ssize_t w = send(cfd, out + sent, N - sent > 65536 ? 65536 : N - sent,
			                 MSG_DONTWAIT);

			if (w > 0)
				sent += (size_t)w;
		}
		if (p[1].revents & POLLIN) {
			ssize_t r = recv(afd, in + got, N - got, MSG_DONTWAIT);

			if (r == 0)
				fail_msg("EOF after %zu bytes", got);
			if (r > 0)
				got += (size_t)r;
		}
	}
	assert_memory_equal(in, out, N);
	close(cfd);
	close(afd);
	close(lfd);
	free(in);
	free(out);
}

static void test_transfer_1mb(void **state)
{
	struct fx *f = *state;
	struct pcap_view v;
	char errs[200];
	size_t n, k;
	const struct wframe *fr;

	REQUIRE_NETNS();
	transfer(f, AF_INET);
	transfer(f, AF_INET6);
	stop_and_write(f);
	assert_int_equal(wire_errors(f->w, errs, sizeof(errs)), 0);
	fr = wire_frames(f->w, &n);
	for (k = 0; k < n; k++)
		assert_int_equal(fr[k].verdict, WV_PASSED);
	v = read_pcap(f, "drop");
	assert_int_equal(v.frames, (int)n); /* every frame captured */
	assert_true(v.nano);
	v = read_pcap(f, "drop c>s len>0");
	assert_true(v.matching >= 2 * ((1 << 20) / 1500)); /* no segment bigger than the MTU */
}

/* The capture is bounded: past max_frames the wire records and forwards
 * nothing more, and says so as an error (WIRE_MAX_FRAMES by default). */
static void test_frame_limit(void **state)
{
	struct fx *f = *state;
	struct wire_opts wo = {.keep_payload = true, .max_frames = 12};
	static char buf[200000];
	int lfd, cfd, afd;
	char errs[200];
	size_t n;
	struct err e;

	REQUIRE_NETNS();
	wire_free(f->w);
	wo.nsfd = f->t.wire_nsfd;
	wo.ifindex_c = f->t.wire_c.ifindex;
	wo.ifindex_s = f->t.wire_s.ifindex;
	if (wire_start(&f->w, &wo, &e) < 0)
		fail_msg("%s", e.msg);
	connect_pair(f, AF_INET, 8003, &lfd, &cfd, &afd);
	assert_true(send(cfd, buf, sizeof(buf), MSG_DONTWAIT) > 0);
	usleep(300 * 1000); /* the transfer stalls at the limit */
	close(cfd);
	close(afd);
	close(lfd);
	stop_and_write(f);
	wire_frames(f->w, &n);
	assert_int_equal(n, 12);
	assert_true(wire_errors(f->w, errs, sizeof(errs)) > 0);
	if (!strstr(errs, "more than 12 frames, a segment storm?"))
		fail_msg("errors: %s", errs);
}

/* The first SYN is lost: connect() completes after the initial RTO, 1 s
 * (RFC 6298 2.1; include/net/tcp.h TCP_TIMEOUT_INIT = 1*HZ), and the
 * capture holds both SYNs. Tolerance: -5% (timer granularity), +100%
 * (a loaded machine). */
static void test_drop_first_syn(void **state)
{
	struct fx *f = *state;
	int lfd, cfd, afd;
	double t0, ms, gap;
	struct pcap_view v;
	char *txt;

	REQUIRE_NETNS();
	add(f, "drop c>s flags=S count=1");
	t0 = mono_ms();
	connect_pair(f, AF_INET, 8001, &lfd, &cfd, &afd);
	ms = mono_ms() - t0;
	close(cfd);
	close(afd);
	close(lfd);
	stop_and_write(f);
	assert_true(ms >= 950);
	assert_true(ms <= 2000);
	v = read_pcap(f, "drop c>s flags=S");
	assert_int_equal(v.matching, 2);
	gap = v.first_ts[1] - v.first_ts[0];
	assert_true(gap >= 0.95 && gap <= 2.0);
	/* Over more than a second, the wire carried nothing but TCP: no
	 * ARP, ND or MLD from the endpoints, nothing from the wire itself. */
	v = read_pcap(f, "drop");
	assert_int_equal(v.matching, v.frames);
	txt = read_text(f);
	assert_non_null(strstr(txt, "# rule 1: drop c>s flags=S count=1"));
	assert_non_null(strstr(txt, "Flags [S], seq"));
	assert_non_null(strstr(txt, "| dropped by rule 1"));
	free(txt);
}

/* Hold the client's FIN: the server sees no EOF until it is released. */
static void test_hold_fin(void **state)
{
	struct fx *f = *state;
	struct rule held;
	struct err e;
	int lfd, cfd, afd;
	char c;
	size_t n, k;
	const struct wframe *fr;
	double t_rel, t_held;

	REQUIRE_NETNS();
	connect_pair(f, AF_INET6, 8002, &lfd, &cfd, &afd);
	add(f, "hold c>s flags~F as fin");
	assert_int_equal(shutdown(cfd, SHUT_WR), 0);
	assert_int_equal(rule_parse("hold c>s flags~F", "t", 1, 1, &held, &e), 0);
	assert_int_equal(wire_wait_count(f->w, &held.m, 1u << WV_HELD, 1, 2000), 1);
	t_held = mono_ms(); /* the FIN is held from before this */
	timeouts(afd, 200);
	assert_int_equal(recv(afd, &c, 1, 0), -1); /* no FIN yet */
	assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
	t_rel = mono_ms();
	assert_int_equal(wire_remove(f->w, "fin", &e), 0);
	timeouts(afd, 2000);
	assert_int_equal(recv(afd, &c, 1, 0), 0); /* EOF now */
	assert_true(mono_ms() - t_rel < 1000);
	close(cfd);
	close(afd);
	close(lfd);
	stop_and_write(f);
	fr = wire_frames(f->w, &n);
	for (k = 0; k < n; k++) {
		if (fr[k].verdict != WV_HELD)
			continue;
		assert_true(fr[k].sent);
		/* Sent no earlier than its removal, held from before the wait
		 * saw it: at least that span (measured here, not the 200 ms
		 * SO_RCVTIMEO, a jiffies timeout that can end one tick short). */
		assert_true((double)(fr[k].out_ts.tv_sec - fr[k].ts.tv_sec) * 1000 +
		                (double)(fr[k].out_ts.tv_nsec - fr[k].ts.tv_nsec) / 1e6 >=
		            t_rel - t_held - 1);
		break;
	}
	assert_true(k < n);
}

/* A duplicated segment is two frames in the pcap; TCP delivers it once. */
static void test_duplicate(void **state)
{
	struct fx *f = *state;
	int lfd, cfd, afd;
	char buf[256];
	struct pcap_view v;

	REQUIRE_NETNS();
	connect_pair(f, AF_INET, 8003, &lfd, &cfd, &afd);
	add(f, "duplicate c>s len>0 count=1");
	assert_int_equal(send(cfd, "0123456789", 10, 0), 10);
	assert_int_equal(recv(afd, buf, sizeof(buf), 0), 10);
	timeouts(afd, 200);
	assert_int_equal(recv(afd, buf, sizeof(buf), 0), -1); /* no second copy delivered */
	close(cfd);
	close(afd);
	close(lfd);
	stop_and_write(f);
	v = read_pcap(f, "drop c>s len=10");
	assert_int_equal(v.matching, 2);
}

/* A replayed old segment reaches the server's TCP, which drops it as old. */
static void test_replay(void **state)
{
	struct fx *f = *state;
	int lfd, cfd, afd;
	char buf[64];
	struct pcap_view v;

	REQUIRE_NETNS();
	connect_pair(f, AF_INET, 8004, &lfd, &cfd, &afd);
	assert_int_equal(send(cfd, "hello", 5, 0), 5);
	assert_int_equal(recv(afd, buf, sizeof(buf), 0), 5);
	add(f, "replay c>s len=5");
	timeouts(afd, 200);
	assert_int_equal(recv(afd, buf, sizeof(buf), 0), -1); /* nothing new */
	close(cfd);
	close(afd);
	close(lfd);
	stop_and_write(f);
	v = read_pcap(f, "drop c>s len=5");
	assert_int_equal(v.matching, 2);
}

/* The wire never reads back what it sent: 100 one-byte exchanges are 100
 * frames each way, exactly (plus nothing but the handshake and close). */
static void test_no_self_reads(void **state)
{
	struct fx *f = *state;
	int lfd, cfd, afd, i, one = 1;
	char c = 'q';
	struct pcap_view v;

	REQUIRE_NETNS();
	connect_pair(f, AF_INET, 8005, &lfd, &cfd, &afd);
	setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(afd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	for (i = 0; i < 100; i++) {
		assert_int_equal(send(cfd, &c, 1, 0), 1);
		assert_int_equal(recv(afd, &c, 1, 0), 1);
		assert_int_equal(send(afd, &c, 1, 0), 1);
		assert_int_equal(recv(cfd, &c, 1, 0), 1);
	}
	close(cfd);
	close(afd);
	close(lfd);
	stop_and_write(f);
	v = read_pcap(f, "drop c>s len=1");
	assert_int_equal(v.matching, 100);
	v = read_pcap(f, "drop s>c len=1");
	assert_int_equal(v.matching, 100);
	v = read_pcap(f, "drop flags=S");
	assert_int_equal(v.matching, 1);
}

/* tcpdump(8) reads the file: one line per frame, same flags. */
static void test_tcpdump_reads_pcap(void **state)
{
	struct fx *f = *state;
	int lfd, cfd, afd;
	char path[128], *out, *p;
	const char *argv[] = {"tcpdump", "-nn", "-r", path, NULL};
	int lines = 0, rc;
	size_t n;

	REQUIRE_NETNS();
	if (!tl_have("tcpdump")) {
		print_message("skipped: tcpdump not installed (libpcap read-back is tested)\n");
		skip();
	}
	connect_pair(f, AF_INET, 8006, &lfd, &cfd, &afd);
	close(cfd);
	close(afd);
	close(lfd);
	usleep(100 * 1000);
	stop_and_write(f);
	wire_frames(f->w, &n);
	snprintf(path, sizeof(path), "%s/trace.pcap", f->dir);
	rc = tl_nsenter(f->t.wire_nsfd, argv, &out); /* any namespace will do */
	assert_int_equal(rc, 0);
	for (p = out; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, (int)n);
	assert_non_null(strstr(out, "Flags [S]"));
	assert_non_null(strstr(out, "Flags [S.]"));
	assert_non_null(strstr(out, "Flags [F.]"));
	free(out);
}

/* Segmentation offload left on: frames larger than the MTU are an error in
 * the trace, never forwarded or cut. */
static void test_oversize(void **state)
{
	struct fx *f = *state;
	const char *on[] = {"ethtool", "-K",  "c0", "tx",  "on", "sg",
	                    "on",      "tso", "on", "gso", "on", NULL};
	static char big[60000];
	char errs[200], *txt, *out;
	int lfd, cfd, afd;

	REQUIRE_NETNS();
	if (!tl_have("ethtool")) {
		print_message("skipped: ethtool not installed\n");
		skip();
	}
	connect_pair(f, AF_INET, 8007, &lfd, &cfd, &afd);
	assert_int_equal(tl_nsenter(f->t.client.nsfd, on, &out), 0);
	free(out);
	memset(big, 'z', sizeof(big));
	assert_int_equal(send(cfd, big, sizeof(big), 0), (ssize_t)sizeof(big));
	usleep(300 * 1000);
	close(cfd);
	close(afd);
	close(lfd);
	stop_and_write(f);
	assert_true(wire_errors(f->w, errs, sizeof(errs)) >= 1);
	assert_non_null(strstr(errs, "larger than the MTU"));
	txt = read_text(f);
	assert_non_null(strstr(txt, "| ERROR oversize:"));
	assert_non_null(strstr(txt, "# ERROR wire:"));
	free(txt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_transfer_1mb, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_frame_limit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_drop_first_syn, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_hold_fin, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_duplicate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_replay, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_self_reads, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tcpdump_reads_pcap, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_oversize, setup, teardown),
	};

	return cmocka_run_group_tests_name("wire", tests, NULL, NULL);
}
