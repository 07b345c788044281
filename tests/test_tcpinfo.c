// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_tcpinfo.c - model/tcpinfo.c: each TCP_INFO name reads its own member
 * of the kernel's struct (one table for the parser and the observer),
 * bitfields too; a field beyond what an older kernel filled is absent, not
 * 0; and a real socket's TCP_INFO carries the kernel's struct.
 */
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "testlib.h"

#include "model/tcpinfo.h"

static long long field(const struct tcpinfo *ti, const char *name)
{
	tcpinfo_reader read = tcpinfo_field(name);
	long long v = -12345;

	assert_non_null(read);
	assert_int_equal(read(ti, &v), 0);
	return v;
}

static void fill(struct tcpinfo *ti, const struct tcp_info *k, size_t len)
{
	memset(ti, 0, sizeof(*ti));
	memcpy(ti->raw, k, len);
	ti->len = (unsigned int)len;
}

static void test_fields(void **state)
{
	struct tcp_info k;
	struct tcpinfo ti;

	(void)state;
	memset(&k, 0, sizeof(k));
	k.tcpi_state = 1;
	k.tcpi_ca_state = 1; /* TCP_CA_Disorder */
	k.tcpi_retransmits = 3;
	k.tcpi_rto = 204000;
	k.tcpi_snd_wscale = 7;
	k.tcpi_rcv_wscale = 9;
	k.tcpi_advmss = 1448;
	k.tcpi_last_data_sent = 42;
	k.tcpi_snd_wnd = 8222720;
	fill(&ti, &k, sizeof(k));
	assert_int_equal(tcpinfo_state(&ti), 1);
	assert_int_equal(field(&ti, "ca_state"), 1);
	assert_int_equal(field(&ti, "retransmits"), 3);
	assert_int_equal(field(&ti, "rto"), 204000);
	assert_int_equal(field(&ti, "snd_wscale"), 7);
	assert_int_equal(field(&ti, "rcv_wscale"), 9);
	assert_int_equal(field(&ti, "advmss"), 1448);
	assert_int_equal(field(&ti, "last_data_sent"), 42);
	assert_int_equal(field(&ti, "snd_wnd"), 8222720);
	assert_int_equal(field(&ti, "probes"), 0);
	assert_null(tcpinfo_field("nope"));
	assert_null(tcpinfo_field("tcpi_rto"));
	assert_null(tcpinfo_field(""));
}

/* A kernel before v5.4 fills the struct up to tcpi_snd_wnd, not beyond:
 * that field is absent there, the ones before it read as filled. */
static void test_short_struct(void **state)
{
	struct tcp_info k;
	struct tcpinfo ti;
	long long v = -1;

	(void)state;
	memset(&k, 0, sizeof(k));
	k.tcpi_rto = 201000;
	k.tcpi_snd_wnd = 65535;
	fill(&ti, &k, offsetof(struct tcp_info, tcpi_snd_wnd));
	assert_int_equal(field(&ti, "rto"), 201000);
	assert_int_equal(tcpinfo_field("snd_wnd")(&ti, &v), -1);
	fill(&ti, &k, offsetof(struct tcp_info, tcpi_options) + 1); /* the wscale byte not filled */
	assert_int_equal(tcpinfo_field("snd_wscale")(&ti, &v), -1);
	assert_int_equal(field(&ti, "options"), 0);
	fill(&ti, &k, 0);
	assert_int_equal(tcpinfo_state(&ti), 0);
	assert_int_equal(tcpinfo_field("state")(&ti, &v), -1);
}

/* The buffer holds what the running kernel fills: a listener's TCP_INFO
 * (no namespace needed) is longer than glibc's struct, reaches
 * tcpi_snd_wnd (v5.4), and says LISTEN (10, include/net/tcp_states.h). */
static void test_real_socket(void **state)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct tcpinfo ti;
	socklen_t len = sizeof(ti.raw);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 1), 0);
	memset(&ti, 0, sizeof(ti));
	assert_int_equal(getsockopt(fd, IPPROTO_TCP, TCP_INFO, ti.raw, &len), 0);
	ti.len = len;
	assert_true(ti.len >= offsetof(struct tcp_info, tcpi_snd_wnd) + sizeof(__u32));
	assert_int_equal(tcpinfo_state(&ti), 10);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fields),
	    cmocka_unit_test(test_short_struct),
	    cmocka_unit_test(test_real_socket),
	};

	return cmocka_run_group_tests_name("tcpinfo", tests, NULL, NULL);
}
