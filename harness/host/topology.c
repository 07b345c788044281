// SPDX-License-Identifier: GPL-2.0-only
/* topology.c - build client ⇄ (wire ⇄) server through libnl-route-3. */
#include "host/topology.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if.h>
#include <linux/neighbour.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/route.h>
#include <netlink/route/rule.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/clock.h"
#include "host/netns.h"
#include "host/offload.h"
#include "host/sysctl.h"

#define LO_IFINDEX 1

/* Builder state: the netlink socket of each namespace and a step counter. */
struct builder {
	struct topology *t;
	const struct topology_opts *o;
	unsigned step;
	struct err *e;
};

const char *topo_shape_name(enum topo_shape s)
{
	return s == TOPO_WIRE ? "wire" : "direct";
}

/* Count a step; with fail_after set, fail there (to test the cleanup). */
static int step(struct builder *b, const char *what)
{
	b->step++;
	if (b->o->fail_after && b->step > b->o->fail_after)
		return err_set(b->e, ERR_SYSTEM, "injected failure at step %u (%s)", b->step, what);
	return 0;
}

static struct nl_sock *nl_open(int nsfd, struct err *e)
{
	struct nl_sock *sk;
	int fd, r;

	sk = nl_socket_alloc();
	if (!sk) {
		err_set(e, ERR_SYSTEM, "nl_socket_alloc: out of memory");
		return NULL;
	}
	fd = netns_netlink(nsfd, NETLINK_ROUTE, e);
	if (fd < 0) {
		nl_socket_free(sk);
		return NULL;
	}
	r = nl_socket_set_fd(sk, NETLINK_ROUTE, fd);
	if (r < 0) {
		close(fd);
		nl_socket_free(sk);
		err_set(e, ERR_SYSTEM, "netlink: %s", nl_geterror(r));
		return NULL;
	}
	return sk;
}

static void end_init(struct topo_end *end, const char *name, unsigned block, enum addr_role role,
                     int ifindex)
{
	memset(end, 0, sizeof(*end));
	end->nsfd = -1;
	snprintf(end->ifname, sizeof(end->ifname), "%s", name);
	end->ifindex = ifindex;
	addrblock_mac(block, role, end->mac);
	if (role == ROLE_CLIENT || role == ROLE_SERVER) {
		addrblock_ip4(block, role, &end->ip4);
		addrblock_ip6(block, role, &end->ip6);
	}
}

/* Write a sysctl the topology needs; a key absent on this kernel is fine. */
static int topo_sysctl(int nsfd, const char *key, const char *value, struct err *e)
{
	return sysctl_write(nsfd, key, value, e) < 0 ? -1 : 0;
}

static int new_ns(struct builder *b, int *fd, const char *what)
{
	if (step(b, what) < 0)
		return -1;
	*fd = netns_create(b->e);
	if (*fd < 0)
		return err_wrap(b->e, "creating the %s namespace", what);
	if (netns_is_home(*fd))
		return err_set(b->e, ERR_SYSTEM, "the %s namespace is the host's", what);
	return 0;
}

/* Endpoint namespaces: IPv6 addresses come only from us, without DAD, and no
 * link-local address is made (so no DAD, RS or MLD noise before the run). */
static int endpoint_sysctls(struct builder *b, int nsfd, bool *ipv6)
{
	char v[SYSCTL_VALUE_MAX];
	int r;

	r = sysctl_read(nsfd, "net.ipv6.conf.default.disable_ipv6", v, sizeof(v), b->e);
	if (r < 0)
		return -1;
	*ipv6 = r == SYSCTL_OK && strcmp(v, "0") == 0;
	if (!*ipv6)
		return 0;
	if (topo_sysctl(nsfd, "net.ipv6.conf.default.addr_gen_mode", "1", b->e) < 0 ||
	    topo_sysctl(nsfd, "net.ipv6.conf.default.accept_dad", "0", b->e) < 0 ||
	    topo_sysctl(nsfd, "net.ipv6.conf.default.router_solicitations", "0", b->e) < 0)
		return -1;
	return 0;
}

/* The first ifindex free in a new namespace.  Never assume it holds only
 * lo: a kernel with tunnel drivers built in (CONFIG_IPV6_SIT=y, NET_IPIP,
 * NET_IPGRE ...) gives every new namespace its fallback devices (sit0,
 * tunl0, gre0 ...) at ifindex 2 and up; Debian builds them as modules,
 * x86_64_defconfig does not. */
static int first_free_ifindex(int nsfd, int *out, struct err *e)
{
	struct nl_sock *sk = nl_open(nsfd, e);
	struct nl_cache *cache = NULL;
	struct nl_object *obj;
	int r, max = LO_IFINDEX;

	if (!sk)
		return -1;
	r = rtnl_link_alloc_cache(sk, AF_UNSPEC, &cache);
	if (r < 0) {
		nl_socket_free(sk);
		return err_set(e, ERR_SYSTEM, "listing the links of a new namespace: %s",
		               nl_geterror(r));
	}
	for (obj = nl_cache_get_first(cache); obj; obj = nl_cache_get_next(obj)) {
		int i = rtnl_link_get_ifindex((struct rtnl_link *)obj);

		if (i > max)
			max = i;
	}
	nl_cache_free(cache);
	nl_socket_free(sk);
	*out = max + 1;
	return 0;
}

int topology_pick_ifindexes(struct topology *t, struct err *e)
{
	int c, s, w;

	if (first_free_ifindex(t->client.nsfd, &c, e) < 0 ||
	    first_free_ifindex(t->server.nsfd, &s, e) < 0)
		return -1;
	t->client.ifindex = c;
	t->server.ifindex = s;
	if (t->shape != TOPO_WIRE)
		return 0;
	if (first_free_ifindex(t->wire_nsfd, &w, e) < 0)
		return -1;
	t->wire_c.ifindex = w;
	t->wire_s.ifindex = w + 1;
	return 0;
}

int topology_create_namespaces(struct topology *t, const struct topology_opts *o, struct err *e)
{
	struct builder b = {.t = t, .o = o, .e = e};
	bool v6c = false, v6s = false;

	memset(t, 0, sizeof(*t));
	t->shape = o->shape;
	t->block = o->block;
	t->wire_nsfd = -1;
	end_init(&t->client, "c0", o->block, ROLE_CLIENT, 2);
	end_init(&t->server, "s0", o->block, ROLE_SERVER, 2);
	end_init(&t->wire_c, "w0", o->block, ROLE_WIRE_C, 2);
	end_init(&t->wire_s, "w1", o->block, ROLE_WIRE_S, 3);
	if (o->block >= ADDRBLOCK_COUNT)
		return err_set(e, ERR_INPUT, "address block %u out of range", o->block);

	if (new_ns(&b, &t->client.nsfd, "client") < 0 || new_ns(&b, &t->server.nsfd, "server") < 0)
		goto fail;
	if (o->shape == TOPO_WIRE) {
		if (new_ns(&b, &t->wire_nsfd, "wire") < 0)
			goto fail;
		t->wire_c.nsfd = t->wire_s.nsfd = t->wire_nsfd;
		/* The wire must not speak: no IPv6 (no link-local, RS, MLD). */
		if (topo_sysctl(t->wire_nsfd, "net.ipv6.conf.all.disable_ipv6", "1", e) < 0 ||
		    topo_sysctl(t->wire_nsfd, "net.ipv6.conf.default.disable_ipv6", "1", e) < 0)
			goto fail;
	}
	if (endpoint_sysctls(&b, t->client.nsfd, &v6c) < 0 ||
	    endpoint_sysctls(&b, t->server.nsfd, &v6s) < 0)
		goto fail;
	t->ipv6 = v6c && v6s;
	t->steps = b.step;
	return 0;
fail:
	topology_destroy(t);
	return -1;
}

static struct nl_addr *mac_addr(const uint8_t mac[6])
{
	return nl_addr_build(AF_LLC, mac, 6);
}

/* Endpoint links are NOARP: neighbours are permanent entries anyway, and
 * NOARP keeps IPv6 from joining solicited-node groups
 * (addrconf_join_solict()), so no MLD report ever reaches the wire. */
static unsigned endpoint_flags(const struct topo_end *end)
{
	return end->ip4.s_addr ? IFF_NOARP : 0;
}

/* One veth pair: @near in the namespace of @sk, @far created in its own
 * namespace.  Both get their fixed ifindex and MAC; @near comes up at once,
 * @far with link_up() from its namespace. */
static int add_veth(struct builder *b, struct nl_sock *sk, const struct topo_end *near,
                    const struct topo_end *far)
{
	struct rtnl_link *link, *peer;
	struct nl_addr *nmac, *fmac;
	int r = -NLE_NOMEM;

	if (step(b, "veth") < 0)
		return -1;
	link = rtnl_link_veth_alloc();
	if (!link)
		return err_set(b->e, ERR_SYSTEM, "rtnl_link_veth_alloc: out of memory");
	peer = rtnl_link_veth_get_peer(link);
	nmac = mac_addr(near->mac);
	fmac = mac_addr(far->mac);
	if (nmac && fmac) {
		rtnl_link_set_name(link, near->ifname);
		rtnl_link_set_ifindex(link, near->ifindex);
		rtnl_link_set_addr(link, nmac);
		rtnl_link_set_flags(link, IFF_UP | endpoint_flags(near));
		rtnl_link_set_name(peer, far->ifname);
		rtnl_link_set_ifindex(peer, far->ifindex);
		rtnl_link_set_addr(peer, fmac);
		/* Not IFF_UP on the peer: the kernel configures it before the two
		 * ends are joined, and veth_open() then fails with ENOTCONN. */
		rtnl_link_set_ns_fd(peer, far->nsfd);
		r = rtnl_link_add(sk, link, NLM_F_CREATE | NLM_F_EXCL);
	}
	nl_addr_put(nmac);
	nl_addr_put(fmac);
	rtnl_link_put(peer);
	rtnl_link_veth_release(link);
	if (r < 0) {
		err_set(b->e, r == -NLE_PERM ? ERR_ENV : ERR_SYSTEM, "creating veth %s/%s: %s",
		        near->ifname, far->ifname, nl_geterror(r));
		return -1;
	}
	return 0;
}

static int link_up(struct builder *b, struct nl_sock *sk, int ifindex, const char *name,
                   unsigned extra_flags)
{
	struct rtnl_link *orig = rtnl_link_alloc(), *change = rtnl_link_alloc();
	int r = -NLE_NOMEM;

	if (step(b, "link up") < 0)
		goto out;
	if (orig && change) {
		rtnl_link_set_ifindex(orig, ifindex);
		rtnl_link_set_flags(change, IFF_UP | extra_flags);
		r = rtnl_link_change(sk, orig, change, 0);
	}
	if (r < 0)
		err_set(b->e, ERR_SYSTEM, "bringing %s up: %s", name, nl_geterror(r));
out:
	rtnl_link_put(orig);
	rtnl_link_put(change);
	return r < 0 ? -1 : 0;
}

static int lo_up(struct builder *b, struct nl_sock *sk)
{
	return link_up(b, sk, LO_IFINDEX, "lo", 0);
}

static int add_addr(struct builder *b, struct nl_sock *sk, const struct topo_end *end, int family)
{
	struct rtnl_addr *a;
	struct nl_addr *local;
	int r = -NLE_NOMEM;

	if (step(b, "address") < 0)
		return -1;
	a = rtnl_addr_alloc();
	if (family == AF_INET) {
		local = nl_addr_build(AF_INET, &end->ip4, sizeof(end->ip4));
		if (local)
			nl_addr_set_prefixlen(local, ADDRBLOCK_PREFIX4);
	} else {
		local = nl_addr_build(AF_INET6, &end->ip6, sizeof(end->ip6));
		if (local)
			nl_addr_set_prefixlen(local, ADDRBLOCK_PREFIX6);
	}
	if (a && local) {
		rtnl_addr_set_ifindex(a, end->ifindex);
		r = rtnl_addr_set_local(a, local);
		if (family == AF_INET6)
			rtnl_addr_set_flags(a, IFA_F_NODAD);
		if (r >= 0)
			r = rtnl_addr_add(sk, a, NLM_F_CREATE | NLM_F_EXCL);
	}
	nl_addr_put(local);
	rtnl_addr_put(a);
	if (r < 0)
		return err_set(b->e, ERR_SYSTEM, "adding an IPv%d address to %s: %s",
		               family == AF_INET ? 4 : 6, end->ifname, nl_geterror(r));
	return 0;
}

/* A permanent entry on @end's link: @peer's address resolves to @peer's MAC. */
static int add_neigh(struct builder *b, struct nl_sock *sk, const struct topo_end *end,
                     const struct topo_end *peer, int family)
{
	struct rtnl_neigh *n;
	struct nl_addr *dst, *ll;
	int r = -NLE_NOMEM;

	if (step(b, "neighbour") < 0)
		return -1;
	n = rtnl_neigh_alloc();
	if (family == AF_INET)
		dst = nl_addr_build(AF_INET, &peer->ip4, sizeof(peer->ip4));
	else
		dst = nl_addr_build(AF_INET6, &peer->ip6, sizeof(peer->ip6));
	ll = mac_addr(peer->mac);
	if (n && dst && ll) {
		rtnl_neigh_set_ifindex(n, end->ifindex);
		rtnl_neigh_set_dst(n, dst);
		rtnl_neigh_set_lladdr(n, ll);
		rtnl_neigh_set_state(n, NUD_PERMANENT);
		r = rtnl_neigh_add(sk, n, NLM_F_CREATE | NLM_F_EXCL);
	}
	nl_addr_put(dst);
	nl_addr_put(ll);
	rtnl_neigh_put(n);
	if (r < 0)
		return err_set(b->e, ERR_SYSTEM, "adding a permanent IPv%d neighbour on %s: %s",
		               family == AF_INET ? 4 : 6, end->ifname, nl_geterror(r));
	return 0;
}

static int offloads_off(struct builder *b, const struct topo_end *end)
{
	int fd, r;

	if (step(b, "offloads") < 0)
		return -1;
	fd = netns_socket(end->nsfd, AF_INET, SOCK_DGRAM, 0, b->e);
	if (fd < 0)
		return -1;
	r = offload_disable(fd, end->ifname, b->e);
	close(fd);
	return r;
}

/* How long the kernel's work items that finish a link (linkwatch) and an
 * IPv6 address (the DAD work) may take: they run on a kworker, which a
 * machine loaded by other work (stress-ng on every CPU) schedules late: a
 * bound of 3000 sleeps of 1 ms ran out there once before the address's
 * local route came. A time, on the monotonic clock, not a count. */
#define WORK_ITEM_WAIT_MS 10000

/* Wait until the kernel has brought @ifindex fully up: carrier on and
 * operstate UP, which linkwatch sets in the same work item that attaches
 * the device's real qdisc (linkwatch_do_dev(): rfc2863_policy(), then
 * dev_activate()).  Until then the device still has noop_qdisc, which
 * drops what is sent through it and reports success: under load, the
 * first SYN of a scenario was lost that way.  So: operstate UP, carrier,
 * and a qdisc other than noop.  Bounded by WORK_ITEM_WAIT_MS. */
static int wait_oper_up(struct builder *b, struct nl_sock *sk, int ifindex, const char *name)
{
	double end_ms = clock_ms() + WORK_ITEM_WAIT_MS;
	int i;

	for (i = 0;; i++) {
		struct rtnl_link *l = NULL;
		int up = 0;

		if (rtnl_link_get_kernel(sk, ifindex, NULL, &l) == 0) {
			const char *q = rtnl_link_get_qdisc(l);

			up = rtnl_link_get_operstate(l) == IF_OPER_UP &&
			     (rtnl_link_get_flags(l) & IFF_LOWER_UP) && q && strcmp(q, "noop") != 0;
			rtnl_link_put(l);
		}
		if (up)
			return i ? 1 : 0;
		if (clock_ms() >= end_ms)
			break;
		usleep(1000);
	}
	return err_set(b->e, ERR_ENV, "%s did not come up within %d s", name,
	               WORK_ITEM_WAIT_MS / 1000);
}

/* IPv6 installs an address's local route from a work item (the DAD work,
 * which runs even for NODAD addresses: addrconf_dad_work() ->
 * addrconf_dad_completed() -> the RTN_LOCAL route); until then a segment
 * to that address is counted as Ip6.InAddrErrors and dropped.  Wait until
 * the local route is there.  Bounded by WORK_ITEM_WAIT_MS. */
static int wait_ipv6_local(struct builder *b, struct nl_sock *sk, const struct topo_end *end)
{
	double end_ms = clock_ms() + WORK_ITEM_WAIT_MS;

	for (;;) {
		struct nl_cache *cache = NULL;
		struct nl_object *o;
		bool found = false;

		if (rtnl_route_alloc_cache(sk, AF_INET6, 0, &cache) == 0) {
			for (o = nl_cache_get_first(cache); o && !found; o = nl_cache_get_next(o)) {
				struct rtnl_route *r = (struct rtnl_route *)o;
				struct nl_addr *d = rtnl_route_get_dst(r);

				found = rtnl_route_get_type(r) == RTN_LOCAL && d &&
				        nl_addr_get_len(d) == 16 &&
				        !memcmp(nl_addr_get_binary_addr(d), &end->ip6, 16);
			}
			nl_cache_free(cache);
		}
		if (found)
			return 0;
		if (clock_ms() >= end_ms)
			break;
		usleep(1000);
	}
	return err_set(b->e, ERR_ENV, "the IPv6 address of %s was not usable within %d s",
	               end->ifname, WORK_ITEM_WAIT_MS / 1000);
}

/* Addresses and neighbours of one endpoint. */
static int endpoint_addresses(struct builder *b, struct nl_sock *sk, const struct topo_end *end,
                              const struct topo_end *peer)
{
	if (add_addr(b, sk, end, AF_INET) < 0 || add_neigh(b, sk, end, peer, AF_INET) < 0)
		return -1;
	if (!b->t->ipv6)
		return 0;
	if (add_addr(b, sk, end, AF_INET6) < 0 || add_neigh(b, sk, end, peer, AF_INET6) < 0)
		return -1;
	return 0;
}

int topology_configure(struct topology *t, const struct topology_opts *o, struct err *e)
{
	struct builder b = {.t = t, .o = o, .e = e, .step = t->steps};
	struct nl_sock *skc = NULL, *sks = NULL, *skw = NULL;
	int r = -1;

	if (topology_pick_ifindexes(t, e) < 0)
		return -1;
	skc = nl_open(t->client.nsfd, e);
	sks = skc ? nl_open(t->server.nsfd, e) : NULL;
	if (!sks)
		goto out;
	if (t->shape == TOPO_WIRE) {
		skw = nl_open(t->wire_nsfd, e);
		if (!skw || add_veth(&b, skw, &t->wire_c, &t->client) < 0 ||
		    add_veth(&b, skw, &t->wire_s, &t->server) < 0 || lo_up(&b, skw) < 0 ||
		    offloads_off(&b, &t->wire_c) < 0 || offloads_off(&b, &t->wire_s) < 0)
			goto out;
	} else if (add_veth(&b, skc, &t->client, &t->server) < 0) {
		goto out;
	}
	if (link_up(&b, sks, t->server.ifindex, t->server.ifname, IFF_NOARP) < 0 ||
	    (t->shape == TOPO_WIRE &&
	     link_up(&b, skc, t->client.ifindex, t->client.ifname, IFF_NOARP) < 0) ||
	    lo_up(&b, skc) < 0 || lo_up(&b, sks) < 0 || offloads_off(&b, &t->client) < 0 ||
	    offloads_off(&b, &t->server) < 0 ||
	    endpoint_addresses(&b, skc, &t->client, &t->server) < 0 ||
	    endpoint_addresses(&b, sks, &t->server, &t->client) < 0)
		goto out;
	if (wait_oper_up(&b, skc, t->client.ifindex, t->client.ifname) < 0 ||
	    wait_oper_up(&b, sks, t->server.ifindex, t->server.ifname) < 0 ||
	    (skw && (wait_oper_up(&b, skw, t->wire_c.ifindex, t->wire_c.ifname) < 0 ||
	             wait_oper_up(&b, skw, t->wire_s.ifindex, t->wire_s.ifname) < 0)))
		goto out;
	if (t->ipv6 &&
	    (wait_ipv6_local(&b, skc, &t->client) < 0 || wait_ipv6_local(&b, sks, &t->server) < 0))
		goto out;
	r = 0;
out:
	t->steps = b.step;
	nl_socket_free(skc);
	nl_socket_free(sks);
	nl_socket_free(skw);
	return r;
}

int topology_build(struct topology *t, const struct topology_opts *o, struct err *e)
{
	if (topology_create_namespaces(t, o, e) < 0)
		return err_wrap(e, "building the %s topology", topo_shape_name(o->shape));
	if (topology_configure(t, o, e) < 0) {
		topology_destroy(t);
		return err_wrap(e, "building the %s topology", topo_shape_name(o->shape));
	}
	return 0;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void topology_destroy(struct topology *t)
{
	close_fd(&t->client.nsfd);
	close_fd(&t->server.nsfd);
	close_fd(&t->wire_nsfd);
	t->wire_c.nsfd = t->wire_s.nsfd = -1;
}

/* A route to @dst (which it takes) in @end's namespace: of @type and
 * @scope, over @end's link when @oif, with a locked rto_min metric when
 * @rto_min_ms.  0, or -1 with @e naming @what. */
static int add_route(const struct topo_end *end, int family, uint8_t type, uint8_t scope,
                     struct nl_addr *dst, bool oif, unsigned rto_min_ms, const char *what,
                     struct err *e)
{
	struct nl_sock *sk = nl_open(end->nsfd, e);
	struct rtnl_route *r = rtnl_route_alloc();
	struct rtnl_nexthop *nh = NULL;
	int rc = -NLE_NOMEM;

	if (!sk) {
		nl_addr_put(dst);
		rtnl_route_put(r);
		return -1; /* nl_open() said why */
	}
	if (!r || !dst)
		goto out;
	rtnl_route_set_family(r, family == 4 ? AF_INET : AF_INET6);
	rtnl_route_set_table(r, RT_TABLE_MAIN);
	rtnl_route_set_protocol(r, RTPROT_STATIC);
	rtnl_route_set_type(r, type);
	rtnl_route_set_scope(r, scope);
	rc = rtnl_route_set_dst(r, dst);
	if (rc >= 0 && rto_min_ms) {
		rc = rtnl_route_set_metric(r, RTAX_RTO_MIN, rto_min_ms);
		/* tcp_rto_min() takes the metric only when it is locked
		 * (dst_metric_locked(); iproute2 locks rto_min itself) */
		if (rc >= 0)
			rc = rtnl_route_set_metric(r, RTAX_LOCK, 1u << RTAX_RTO_MIN);
	}
	if (rc >= 0 && oif) {
		if (!(nh = rtnl_route_nh_alloc())) {
			rc = -NLE_NOMEM;
			goto out;
		}
		rtnl_route_nh_set_ifindex(nh, end->ifindex);
		rtnl_route_add_nexthop(r, nh); /* the route owns it now */
	}
	if (rc >= 0)
		rc = rtnl_route_add(sk, r, NLM_F_CREATE | NLM_F_EXCL);
out:
	nl_addr_put(dst);
	rtnl_route_put(r);
	nl_socket_free(sk);
	if (rc < 0)
		return err_set(e, ERR_SYSTEM, "adding %s in %s's namespace: %s", what, end->ifname,
		               nl_geterror(rc));
	return 0;
}

int topology_add_nowhere_route(const struct topo_end *end, int family, int type, struct err *e)
{
	struct nl_addr *dst;
	char what[96];

	if (family == 4) {
		struct in_addr a;

		addr_nowhere4(&a);
		/* the prefix itself: IPv4 refuses host bits (EINVAL) */
		a.s_addr &= htonl(~0u << (32 - ADDR_NOWHERE_PREFIX4));
		dst = nl_addr_build(AF_INET, &a, sizeof(a));
		if (dst)
			nl_addr_set_prefixlen(dst, ADDR_NOWHERE_PREFIX4);
	} else {
		struct in6_addr a;

		addr_nowhere6(&a);
		dst = nl_addr_build(AF_INET6, &a, sizeof(a));
		if (dst)
			nl_addr_set_prefixlen(dst, ADDR_NOWHERE_PREFIX6);
	}
	snprintf(what, sizeof(what), "a route of type %d to the IPv%d nowhere prefix", type,
	         family);
	return add_route(end, family, (uint8_t)type, RT_SCOPE_UNIVERSE, dst, false, 0, what, e);
}

int topology_add_peer_route(const struct topo_end *end, int family, const struct topo_end *peer,
                            unsigned rto_min_ms, struct err *e)
{
	struct nl_addr *dst = family == 4 ? nl_addr_build(AF_INET, &peer->ip4, sizeof(peer->ip4))
	                                  : nl_addr_build(AF_INET6, &peer->ip6, sizeof(peer->ip6));
	char what[96];

	if (dst)
		nl_addr_set_prefixlen(dst, family == 4 ? 32 : 128);
	snprintf(what, sizeof(what), "a route to the IPv%d peer with rto_min %u ms", family,
	         rto_min_ms);
	return add_route(end, family, RTN_UNICAST, RT_SCOPE_LINK, dst, true, rto_min_ms, what, e);
}

/* @m into @r: the fwmark, and for ports TCP with those ranges. */
static int policy_match_set(struct rtnl_rule *r, const struct policy_match *m)
{
	int rc = 0;

	if (m->mark) {
		rtnl_rule_set_mark(r, m->mark);
		rtnl_rule_set_mask(r, 0xffffffffu);
	}
	if (m->sport_lo || m->dport_lo)
		rc = rtnl_rule_set_ipproto(r, IPPROTO_TCP);
	if (rc >= 0 && m->sport_lo)
		rc = rtnl_rule_set_sport_range(r, m->sport_lo, m->sport_hi);
	if (rc >= 0 && m->dport_lo)
		rc = rtnl_rule_set_dport_range(r, m->dport_lo, m->dport_hi);
	return rc;
}

int topology_add_policy_rules(const struct topo_end *end, int family, const struct policy_match *m,
                              bool only, struct err *e)
{
	struct nl_sock *sk = nl_open(end->nsfd, e);
	/* the second rule only for "only" */
	struct rtnl_rule *matched = rtnl_rule_alloc(), *rest = only ? rtnl_rule_alloc() : NULL;
	int af = family == 4 ? AF_INET : AF_INET6;
	int rc = -NLE_NOMEM;

	if (!sk) {
		rtnl_rule_put(matched);
		rtnl_rule_put(rest);
		return -1;
	}
	if (matched && (rest || !only)) {
		rtnl_rule_set_family(matched, af);
		rtnl_rule_set_prio(matched, 1000);
		rc = policy_match_set(matched, m);
		if (only) {
			rtnl_rule_set_table(matched, RT_TABLE_MAIN);
			rtnl_rule_set_action(matched, FR_ACT_TO_TBL);
		} else {
			rtnl_rule_set_action(matched, FR_ACT_UNREACHABLE);
		}
		if (only) {
			rtnl_rule_set_family(rest, af);
			rtnl_rule_set_prio(rest, 1001);
			rtnl_rule_set_action(rest, FR_ACT_UNREACHABLE);
		}
		if (rc >= 0 && only)
			rc = rtnl_rule_set_iif(rest, "lo");
		if (rc >= 0)
			rc = rtnl_rule_add(sk, matched, NLM_F_CREATE | NLM_F_EXCL);
		if (rc >= 0 && only)
			rc = rtnl_rule_add(sk, rest, NLM_F_CREATE | NLM_F_EXCL);
	}
	rtnl_rule_put(matched);
	rtnl_rule_put(rest);
	nl_socket_free(sk);
	if (rc < 0)
		return err_set(e, ERR_SYSTEM, "adding IPv%d policy rules in %s's namespace: %s",
		               family, end->ifname, nl_geterror(rc));
	return 0;
}
