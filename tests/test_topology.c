// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_topology.c - namespace tests: build real topologies and check them
 * with netlink dumps and, independently, with iproute2 and ethtool run
 * inside each namespace; a TCP connection across the direct shape; sysctl
 * write and read-back; cleanup after a failure at every set-up step.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/neighbour.h>
#include <netinet/in.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/neighbour.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "testlib.h"

#include "host/addrblock.h"
#include "host/netns.h"
#include "host/sysctl.h"
#include "host/topology.h"

struct fixture {
	struct addrblock block;
	struct topology t;
	int built;
};

static int setup_shape(void **state, enum topo_shape shape)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct topology_opts o = {.shape = shape};
	struct err e;

	*state = f;
	if (!tl_can_netns())
		return 0; /* the test skips itself */
	if (addrblock_acquire(&f->block, &e) < 0) {
		print_error("%s\n", e.msg);
		return -1;
	}
	o.block = f->block.index;
	if (topology_build(&f->t, &o, &e) < 0) {
		print_error("%s\n", e.msg);
		return -1;
	}
	f->built = 1;
	return 0;
}

static int setup_wire(void **state)
{
	return setup_shape(state, TOPO_WIRE);
}

static int setup_direct(void **state)
{
	return setup_shape(state, TOPO_DIRECT);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (f->built)
		topology_destroy(&f->t);
	addrblock_release(&f->block);
	free(f);
	return 0;
}

/* ---- netlink view ---------------------------------------------------- */

static struct nl_sock *nl_in(int nsfd)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct err e;
	int saved;

	assert_non_null(sk);
	assert_int_equal(netns_switch(nsfd, &saved, &e), 0);
	assert_int_equal(nl_connect(sk, NETLINK_ROUTE), 0);
	netns_restore(saved);
	return sk;
}

struct nsview {
	struct nl_sock *sk;
	struct nl_cache *links, *addrs, *neighs;
};

static void view_open(struct nsview *v, int nsfd)
{
	v->sk = nl_in(nsfd);
	assert_int_equal(rtnl_link_alloc_cache(v->sk, AF_UNSPEC, &v->links), 0);
	assert_int_equal(rtnl_addr_alloc_cache(v->sk, &v->addrs), 0);
	assert_int_equal(rtnl_neigh_alloc_cache(v->sk, &v->neighs), 0);
}

static void view_close(struct nsview *v)
{
	nl_cache_free(v->links);
	nl_cache_free(v->addrs);
	nl_cache_free(v->neighs);
	nl_socket_free(v->sk);
}

static int count_objects(struct nl_cache *c)
{
	return nl_cache_nitems(c);
}

/* The link @name exists with @ifindex, is up, is a veth and has @mac. */
static void expect_link(struct nsview *v, const char *name, int ifindex, const uint8_t mac[6])
{
	struct rtnl_link *l = rtnl_link_get_by_name(v->links, name);
	struct nl_addr *a;

	if (!l)
		fail_msg("link %s missing", name);
	assert_int_equal(rtnl_link_get_ifindex(l), ifindex);
	assert_true(rtnl_link_get_flags(l) & IFF_UP);
	/* Endpoints are NOARP (permanent neighbours, no MLD); wire ends are not. */
	assert_int_equal(!!(rtnl_link_get_flags(l) & IFF_NOARP), name[0] == 'c' || name[0] == 's');
	assert_string_equal(rtnl_link_get_type(l), "veth");
	a = rtnl_link_get_addr(l);
	assert_int_equal(nl_addr_get_len(a), 6);
	assert_memory_equal(nl_addr_get_binary_addr(a), mac, 6);
	rtnl_link_put(l);
}

/* Addresses on @ifindex other than loopback's, counted by family. */
static void count_addrs(struct nsview *v, int ifindex, int *n4, int *n6, int *n_ll)
{
	struct nl_object *o;

	*n4 = *n6 = *n_ll = 0;
	for (o = nl_cache_get_first(v->addrs); o; o = nl_cache_get_next(o)) {
		struct rtnl_addr *a = (struct rtnl_addr *)o;
		struct nl_addr *local = rtnl_addr_get_local(a);
		const uint8_t *b = nl_addr_get_binary_addr(local);

		if (rtnl_addr_get_ifindex(a) != ifindex)
			continue;
		if (rtnl_addr_get_family(a) == AF_INET)
			(*n4)++;
		else if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
			(*n_ll)++;
		else
			(*n6)++;
	}
}

static void expect_addr(struct nsview *v, const struct topo_end *end, int family)
{
	struct nl_object *o;
	const void *want = family == AF_INET ? (const void *)&end->ip4 : (const void *)&end->ip6;
	size_t len = family == AF_INET ? 4 : 16;
	int plen = family == AF_INET ? ADDRBLOCK_PREFIX4 : ADDRBLOCK_PREFIX6;

	for (o = nl_cache_get_first(v->addrs); o; o = nl_cache_get_next(o)) {
		struct rtnl_addr *a = (struct rtnl_addr *)o;
		struct nl_addr *local = rtnl_addr_get_local(a);

		if (rtnl_addr_get_family(a) != family || rtnl_addr_get_ifindex(a) != end->ifindex)
			continue;
		if (memcmp(nl_addr_get_binary_addr(local), want, len) == 0) {
			assert_int_equal(rtnl_addr_get_prefixlen(a), plen);
			if (family == AF_INET6) /* no DAD: never tentative */
				assert_false(rtnl_addr_get_flags(a) & IFA_F_TENTATIVE);
			return;
		}
	}
	fail_msg("address of %s (family %d) missing", end->ifname, family);
}

static void expect_neigh(struct nsview *v, const struct topo_end *end, const struct topo_end *peer,
                         int family)
{
	struct nl_object *o;
	const void *want = family == AF_INET ? (const void *)&peer->ip4 : (const void *)&peer->ip6;
	size_t len = family == AF_INET ? 4 : 16;

	for (o = nl_cache_get_first(v->neighs); o; o = nl_cache_get_next(o)) {
		struct rtnl_neigh *n = (struct rtnl_neigh *)o;
		struct nl_addr *dst = rtnl_neigh_get_dst(n), *ll = rtnl_neigh_get_lladdr(n);

		if (rtnl_neigh_get_ifindex(n) != end->ifindex || !dst ||
		    nl_addr_get_family(dst) != family ||
		    memcmp(nl_addr_get_binary_addr(dst), want, len) != 0)
			continue;
		assert_int_equal(rtnl_neigh_get_state(n), NUD_PERMANENT);
		assert_non_null(ll);
		assert_memory_equal(nl_addr_get_binary_addr(ll), peer->mac, 6);
		return;
	}
	fail_msg("permanent neighbour for %s's peer (family %d) missing", end->ifname, family);
}

static void check_endpoint_netlink(struct topology *t, const struct topo_end *end,
                                   const struct topo_end *peer)
{
	struct nsview v;
	int n4, n6, nll;

	view_open(&v, end->nsfd);
	assert_int_equal(count_objects(v.links), 2); /* lo and the veth end */
	expect_link(&v, end->ifname, end->ifindex, end->mac);
	expect_addr(&v, end, AF_INET);
	expect_neigh(&v, end, peer, AF_INET);
	count_addrs(&v, end->ifindex, &n4, &n6, &nll);
	assert_int_equal(n4, 1);
	assert_int_equal(nll, 0); /* no link-local: addr_gen_mode none */
	if (t->ipv6) {
		expect_addr(&v, end, AF_INET6);
		expect_neigh(&v, end, peer, AF_INET6);
		assert_int_equal(n6, 1);
	}
	view_close(&v);
}

static void test_wire_netlink(void **state)
{
	struct fixture *f = *state;
	struct topology *t = &f->t;
	struct nsview v;
	int n4, n6, nll;

	REQUIRE_NETNS();
	assert_true(t->ipv6); /* this machine has IPv6 */
	check_endpoint_netlink(t, &t->client, &t->server);
	check_endpoint_netlink(t, &t->server, &t->client);
	/* The wire: lo, w0, w1, and not one address on w0/w1. */
	view_open(&v, t->wire_nsfd);
	assert_int_equal(count_objects(v.links), 3);
	expect_link(&v, "w0", t->wire_c.ifindex, t->wire_c.mac);
	expect_link(&v, "w1", t->wire_s.ifindex, t->wire_s.mac);
	count_addrs(&v, t->wire_c.ifindex, &n4, &n6, &nll);
	assert_int_equal(n4 + n6 + nll, 0);
	count_addrs(&v, t->wire_s.ifindex, &n4, &n6, &nll);
	assert_int_equal(n4 + n6 + nll, 0);
	view_close(&v);
	/* All namespaces are distinct and none is the test's own. */
	assert_false(netns_is_home(t->client.nsfd));
	assert_false(netns_is_home(t->server.nsfd));
	assert_false(netns_is_home(t->wire_nsfd));
	assert_int_not_equal(netns_inode(t->client.nsfd), netns_inode(t->server.nsfd));
	assert_int_not_equal(netns_inode(t->client.nsfd), netns_inode(t->wire_nsfd));
	assert_int_not_equal(netns_inode(t->server.nsfd), netns_inode(t->wire_nsfd));
}

/* ---- iproute2 as an independent observer ---------------------------- */

static char *observe(int nsfd, const char *const argv[])
{
	char *out;
	int rc = tl_nsenter(nsfd, argv, &out);

	if (rc != 0)
		fail_msg("nsenter %s %s ... exited %d", argv[0], argv[1], rc);
	return out;
}

static void expect_in(const char *haystack, const char *needle, const char *what)
{
	if (!strstr(haystack, needle))
		fail_msg("%s: '%s' not found in:\n%s", what, needle, haystack);
}

static void check_endpoint_ip(const struct topo_end *end, const struct topo_end *peer)
{
	static const char *const addr[] = {"ip", "-d", "addr", "show", NULL};
	static const char *const neigh[] = {"ip", "neigh", "show", "nud", "permanent", NULL};
	char want[160], a4[INET_ADDRSTRLEN], a6[INET6_ADDRSTRLEN], mac[20];
	char *out;

	out = observe(end->nsfd, addr);
	inet_ntop(AF_INET, &end->ip4, a4, sizeof(a4));
	inet_ntop(AF_INET6, &end->ip6, a6, sizeof(a6));
	snprintf(want, sizeof(want), "%d: %s@", end->ifindex, end->ifname);
	expect_in(out, want, "ip addr");
	expect_in(out, "veth", "ip -d addr");
	snprintf(want, sizeof(want), "inet %s/30", a4); /* a /30 per block (RFC 2544 range) */
	expect_in(out, want, "ip addr");
	snprintf(want, sizeof(want), "inet6 %s/64", a6);
	expect_in(out, want, "ip addr");
	expect_in(out, "nodad", "ip addr");
	if (strstr(out, "inet6 fe80"))
		fail_msg("link-local address present:\n%s", out);
	if (strstr(out, "tentative"))
		fail_msg("tentative address:\n%s", out);
	free(out);

	out = observe(end->nsfd, neigh);
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", peer->mac[0], peer->mac[1],
	         peer->mac[2], peer->mac[3], peer->mac[4], peer->mac[5]);
	inet_ntop(AF_INET, &peer->ip4, a4, sizeof(a4));
	inet_ntop(AF_INET6, &peer->ip6, a6, sizeof(a6));
	snprintf(want, sizeof(want), "%s dev %s lladdr %s PERMANENT", a4, end->ifname, mac);
	expect_in(out, want, "ip neigh");
	snprintf(want, sizeof(want), "%s dev %s lladdr %s PERMANENT", a6, end->ifname, mac);
	expect_in(out, want, "ip neigh");
	free(out);
}

/* Every segmentation, checksum, scatter-gather and receive-coalescing
 * feature that ethtool -k lists (also the ones newer than this harness)
 * must be off. */
static void check_offloads_ethtool(const struct topo_end *end)
{
	const char *const argv[] = {"ethtool", "-k", end->ifname, NULL};
	static const char *const families[] = {"segmentation", "checksum", "scatter-gather",
	                                       "receive-offload", "gro"};
	char *out = observe(end->nsfd, argv), *line, *save = NULL;
	int seen = 0;
	size_t i;

	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':');

		if (!colon)
			continue;
		for (i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
			if (!strstr(line, families[i]) || strstr(line, families[i]) > colon)
				continue;
			if (strncmp(colon, ": off", 5) != 0)
				fail_msg("%s: offload still on: %s", end->ifname, line);
			seen++;
		}
	}
	assert_true(seen >= 10); /* ethtool printed the feature list */
	free(out);
}

static void test_wire_iproute2(void **state)
{
	static const char *const addr[] = {"ip", "-o", "addr", "show", NULL};
	static const char *const link[] = {"ip", "-o", "-d", "link", "show", NULL};
	struct fixture *f = *state;
	struct topology *t = &f->t;
	char *out;

	REQUIRE_NETNS();
	if (!tl_have("nsenter") || !tl_have("ip")) {
		print_message("skipped: nsenter or ip(8) missing\n");
		skip();
	}
	check_endpoint_ip(&t->client, &t->server);
	check_endpoint_ip(&t->server, &t->client);
	/* The wire holds w0 and w1, both up, and no address but lo's. */
	out = observe(t->wire_nsfd, link);
	expect_in(out, "2: w0@", "ip link (wire)");
	expect_in(out, "3: w1@", "ip link (wire)");
	expect_in(out, "veth", "ip -d link (wire)");
	free(out);
	out = observe(t->wire_nsfd, addr);
	if (strstr(out, "w0") || strstr(out, "w1") || strstr(out, "inet6"))
		fail_msg("the wire namespace has addresses:\n%s", out);
	free(out);
	/* The host does not see any of these links. */
	out = NULL;
	if (tl_have("ethtool")) {
		check_offloads_ethtool(&t->client);
		check_offloads_ethtool(&t->server);
		check_offloads_ethtool(&t->wire_c);
		check_offloads_ethtool(&t->wire_s);
	} else {
		print_message("note: ethtool missing, offloads checked through netlink only\n");
	}
}

/* ---- traffic ----------------------------------------------------------- */

static void fill_sa(const struct topo_end *end, int family, uint16_t port,
                    struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		s4->sin_addr = end->ip4;
		*len = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		s6->sin6_addr = end->ip6;
		*len = sizeof(*s6);
	}
}

static void set_timeouts(int fd)
{
	struct timeval tv = {.tv_sec = 5};

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* A listener on the server's address; a client socket, not yet connected. */
static void tcp_pair(struct topology *t, int family, uint16_t port, int *lfd, int *cfd,
                     struct sockaddr_storage *sa, socklen_t *salen)
{
	struct err e;
	int one = 1;

	*lfd = netns_socket(t->server.nsfd, family, SOCK_STREAM, 0, &e);
	assert_true(*lfd >= 0);
	setsockopt(*lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	fill_sa(&t->server, family, port, sa, salen);
	assert_int_equal(bind(*lfd, (struct sockaddr *)sa, *salen), 0);
	assert_int_equal(listen(*lfd, 4), 0);
	*cfd = netns_socket(t->client.nsfd, family, SOCK_STREAM, 0, &e);
	assert_true(*cfd >= 0);
	set_timeouts(*cfd);
}

static void tcp_exchange(struct topology *t, int family)
{
	struct sockaddr_storage sa, peer;
	socklen_t salen, plen = sizeof(peer);
	static char out[65536], in[65536];
	int lfd, cfd, afd;
	size_t got = 0, i;

	tcp_pair(t, family, 8000, &lfd, &cfd, &sa, &salen);
	assert_int_equal(connect(cfd, (struct sockaddr *)&sa, salen), 0);
	afd = accept(lfd, (struct sockaddr *)&peer, &plen);
	assert_true(afd >= 0);
	set_timeouts(afd);
	/* The server sees the client's own block address. */
	if (family == AF_INET)
		assert_memory_equal(&((struct sockaddr_in *)&peer)->sin_addr, &t->client.ip4, 4);
	else
		assert_memory_equal(&((struct sockaddr_in6 *)&peer)->sin6_addr, &t->client.ip6, 16);
	for (i = 0; i < sizeof(out); i++)
		out[i] = (char)(i * 7 + family);
	assert_int_equal(send(cfd, out, sizeof(out), 0), (ssize_t)sizeof(out));
	while (got < sizeof(in)) {
		ssize_t r = recv(afd, in + got, sizeof(in) - got, 0);

		assert_true(r > 0);
		got += (size_t)r;
	}
	assert_memory_equal(in, out, sizeof(out));
	close(afd);
	close(cfd);
	close(lfd);
}

static void test_direct_tcp(void **state)
{
	struct fixture *f = *state;

	REQUIRE_NETNS();
	tcp_exchange(&f->t, AF_INET);
	tcp_exchange(&f->t, AF_INET6);
}

/* Without a forwarder the wire passes nothing: the SYN must not arrive. */
static void test_wire_is_the_only_path(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_storage sa;
	socklen_t salen;
	struct pollfd p;
	int lfd, cfd, fl;

	REQUIRE_NETNS();
	tcp_pair(&f->t, AF_INET, 8001, &lfd, &cfd, &sa, &salen);
	fl = fcntl(cfd, F_GETFL);
	fcntl(cfd, F_SETFL, fl | O_NONBLOCK);
	assert_int_equal(connect(cfd, (struct sockaddr *)&sa, salen), -1);
	assert_int_equal(errno, EINPROGRESS);
	p.fd = cfd;
	p.events = POLLOUT;
	assert_int_equal(poll(&p, 1, 300), 0); /* still connecting */
	close(cfd);
	close(lfd);
}

/* ---- sysctl ------------------------------------------------------------- */

static void read_host(const char *path, char *buf, size_t len)
{
	FILE *fp = fopen(path, "r");

	assert_non_null(fp);
	assert_non_null(fgets(buf, (int)len, fp));
	fclose(fp);
}

static void test_sysctl_in_namespace(void **state)
{
	char host_before[64], host_after[64], v[SYSCTL_VALUE_MAX];
	const char *want;
	struct err e;
	int ns, home;

	(void)state;
	REQUIRE_NETNS();
	read_host("/proc/sys/net/ipv4/tcp_fin_timeout", host_before, sizeof(host_before));
	want = atoi(host_before) == 17 ? "18" : "17";
	ns = netns_create(&e);
	assert_true(ns >= 0);
	/* A fresh namespace starts from the kernel's default, 60 (TCP_FIN_TIMEOUT). */
	assert_int_equal(sysctl_read(ns, "net.ipv4.tcp_fin_timeout", v, sizeof(v), &e), SYSCTL_OK);
	assert_string_equal(v, "60");
	assert_int_equal(sysctl_set(ns, "net.ipv4.tcp_fin_timeout", want, v, sizeof(v), &e),
	                 SYSCTL_OK);
	assert_string_equal(v, want);
	/* Slash form reaches the same file. */
	assert_int_equal(sysctl_read(ns, "net/ipv4/tcp_fin_timeout", v, sizeof(v), &e), SYSCTL_OK);
	assert_string_equal(v, want);
	/* Multi-value read-back is folded: "32768 60999" style. */
	assert_int_equal(
	    sysctl_set(ns, "net.ipv4.ip_local_port_range", "40000\t40010", v, sizeof(v), &e),
	    SYSCTL_OK);
	assert_string_equal(v, "40000 40010");
	/* The host keeps its value. */
	read_host("/proc/sys/net/ipv4/tcp_fin_timeout", host_after, sizeof(host_after));
	assert_string_equal(host_before, host_after);

	/* Absent on this kernel: reported as absent, not as a failure. */
	assert_int_equal(sysctl_read(ns, "net.ipv4.tcp_tw_recycle", v, sizeof(v), &e),
	                 SYSCTL_ABSENT);
	assert_int_equal(sysctl_write(ns, "net.ipv4.tcp_tw_recycle", "1", &e), SYSCTL_ABSENT);
	/* Global-only keys are absent inside a child namespace. */
	assert_int_equal(sysctl_write(ns, "net.ipv4.tcp_mem", "1 2 3", &e), SYSCTL_ABSENT);

	/* Rejected values: an error naming key and value. */
	assert_int_equal(sysctl_write(ns, "net.ipv4.tcp_tw_reuse", "3", &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	assert_non_null(strstr(e.msg, "net.ipv4.tcp_tw_reuse = 3"));
	assert_non_null(strstr(e.msg, "rejects"));
	assert_int_equal(sysctl_write(ns, "net.ipv4.tcp_fin_timeout", "abc", &e), -1);
	assert_non_null(strstr(e.msg, "net.ipv4.tcp_fin_timeout = abc"));
	assert_int_equal(sysctl_set(ns, "net.ipv4.tcp_syn_retries", "200", v, sizeof(v), &e), -1);
	assert_non_null(strstr(e.msg, "tcp_syn_retries = 200"));
	close(ns);

	/* The harness never writes in its own (the host's) namespace. */
	home = open("/proc/self/ns/net", O_RDONLY);
	assert_true(home >= 0);
	assert_true(netns_is_home(home));
	assert_int_equal(sysctl_write(home, "net.ipv4.tcp_fin_timeout", "30", &e), -1);
	assert_non_null(strstr(e.msg, "refusing"));
	close(home);
	read_host("/proc/sys/net/ipv4/tcp_fin_timeout", host_after, sizeof(host_after));
	assert_string_equal(host_before, host_after);
}

/* ---- failures during set-up leave nothing ------------------------------ */

static void test_setup_failure_cleans_up(void **state)
{
	int base_ns, base_veth, shape;
	struct addrblock b;
	struct err e;

	(void)state;
	REQUIRE_NETNS();
	base_ns = tl_count_netns();
	base_veth = tl_count_host_veth();
	assert_true(base_ns > 0);
	assert_int_equal(addrblock_acquire(&b, &e), 0);
	for (shape = TOPO_DIRECT; shape <= TOPO_WIRE; shape++) {
		struct topology_opts o = {.shape = shape, .block = b.index};
		struct topology t;
		unsigned k;

		/* Fail at every step in turn until the build gets through. */
		for (k = 1; k < 100; k++) {
			o.fail_after = k;
			if (topology_build(&t, &o, &e) == 0)
				break;
			assert_non_null(strstr(e.msg, "injected failure"));
			assert_int_equal(tl_count_netns(), base_ns);
			assert_int_equal(tl_count_host_veth(), base_veth);
		}
		assert_true(k > 10); /* there were real steps to fail */
		assert_true(k < 100);
		/* It was built: the count shows its namespaces, then they go. */
		assert_int_equal(tl_count_netns(), base_ns + (shape == TOPO_WIRE ? 3 : 2));
		topology_destroy(&t);
		assert_int_equal(tl_count_netns(), base_ns);
	}
	addrblock_release(&b);
	assert_int_equal(tl_count_host_veth(), base_veth);
}

/* Two topologies at once: distinct blocks, both work, no clash. */
static void test_concurrent_topologies(void **state)
{
	struct addrblock b1, b2;
	struct topology t1, t2;
	struct topology_opts o = {.shape = TOPO_DIRECT};
	struct err e;

	(void)state;
	REQUIRE_NETNS();
	assert_int_equal(addrblock_acquire(&b1, &e), 0);
	assert_int_equal(addrblock_acquire(&b2, &e), 0);
	o.block = b1.index;
	assert_int_equal(topology_build(&t1, &o, &e), 0);
	o.block = b2.index;
	assert_int_equal(topology_build(&t2, &o, &e), 0);
	assert_int_not_equal(t1.client.ip4.s_addr, t2.client.ip4.s_addr);
	tcp_exchange(&t1, AF_INET);
	tcp_exchange(&t2, AF_INET6);
	topology_destroy(&t1);
	topology_destroy(&t2);
	addrblock_release(&b1);
	addrblock_release(&b2);
}

/* Two devices at ifindex 2 and 3 in @nsfd, as a kernel with tunnel drivers
 * built in (CONFIG_IPV6_SIT=y: sit0, CONFIG_NET_IPIP=y: tunl0) gives every
 * new namespace before anyone asks. */
static void occupy_low_ifindexes(int nsfd)
{
	struct nl_sock *sk = nl_in(nsfd);
	struct rtnl_link *link = rtnl_link_veth_alloc(), *peer;

	assert_non_null(link);
	peer = rtnl_link_veth_get_peer(link);
	rtnl_link_set_name(link, "xtun0");
	rtnl_link_set_ifindex(link, 2);
	rtnl_link_set_name(peer, "xtun1");
	rtnl_link_set_ifindex(peer, 3);
	assert_int_equal(rtnl_link_add(sk, link, NLM_F_CREATE | NLM_F_EXCL), 0);
	rtnl_link_put(peer); /* rtnl_link_veth_get_peer() took a reference */
	rtnl_link_veth_release(link);
	nl_socket_free(sk);
}

/* Namespaces born with devices besides lo: the topology takes the next free
 * ifindexes and works (it used to ask for ifindex 2: "Object exists"). */
static void build_over_extra_devices(enum topo_shape shape)
{
	struct addrblock b;
	struct topology t;
	struct topology_opts o = {.shape = shape};
	struct nsview v;
	struct err e;

	assert_int_equal(addrblock_acquire(&b, &e), 0);
	o.block = b.index;
	assert_int_equal(topology_create_namespaces(&t, &o, &e), 0);
	occupy_low_ifindexes(t.client.nsfd);
	occupy_low_ifindexes(t.server.nsfd);
	if (shape == TOPO_WIRE)
		occupy_low_ifindexes(t.wire_nsfd);
	if (topology_configure(&t, &o, &e) < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(t.client.ifindex, 4);
	assert_int_equal(t.server.ifindex, 4);
	view_open(&v, t.client.nsfd);
	expect_link(&v, "c0", t.client.ifindex, t.client.mac);
	view_close(&v);
	view_open(&v, t.server.nsfd);
	expect_link(&v, "s0", t.server.ifindex, t.server.mac);
	view_close(&v);
	if (shape == TOPO_WIRE) {
		assert_int_equal(t.wire_c.ifindex, 4);
		assert_int_equal(t.wire_s.ifindex, 5);
		view_open(&v, t.wire_nsfd);
		expect_link(&v, "w0", t.wire_c.ifindex, t.wire_c.mac);
		expect_link(&v, "w1", t.wire_s.ifindex, t.wire_s.mac);
		view_close(&v);
	} else {
		tcp_exchange(&t, AF_INET);
		tcp_exchange(&t, AF_INET6);
	}
	topology_destroy(&t);
	addrblock_release(&b);
}

static void test_namespaces_born_with_devices(void **state)
{
	(void)state;
	REQUIRE_NETNS();
	build_over_extra_devices(TOPO_WIRE);
	build_over_extra_devices(TOPO_DIRECT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_wire_netlink, setup_wire, teardown),
	    cmocka_unit_test_setup_teardown(test_wire_iproute2, setup_wire, teardown),
	    cmocka_unit_test_setup_teardown(test_wire_is_the_only_path, setup_wire, teardown),
	    cmocka_unit_test_setup_teardown(test_direct_tcp, setup_direct, teardown),
	    cmocka_unit_test(test_sysctl_in_namespace),
	    cmocka_unit_test(test_setup_failure_cleans_up),
	    cmocka_unit_test(test_concurrent_topologies),
	    cmocka_unit_test(test_namespaces_born_with_devices),
	};

	return cmocka_run_group_tests_name("topology", tests, NULL, NULL);
}
