// SPDX-License-Identifier: GPL-2.0-only
/* steps.c - the step runners: the calls on sockets, the wire, waits, marks. */
#include "run/steps.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
/* after netinet/in.h: struct in6_flowlabel_req and its constants */
#include <linux/in6.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <linux/rtnetlink.h>

#include "base/clock.h"
#include "host/addrblock.h"
#include "host/diag.h"
#include "host/netns.h"
#include "host/sysctl.h"
#include "host/topology.h"
#include "run/flood.h"
#include "run/observe.h"
#include "run/record.h"
#include "run/sigio.h"

/* ---- calls on sockets ------------------------------------------------------- */

/* The socket a step names, made on first use (socket, bind, listen, connect). */
static int sock_get(struct player *p, const struct step *st, int *fd)
{
	struct sockent *se = sockets_find(&p->socks, st->side, st->call.sock);

	if (se) {
		*fd = se->fd;
		return 0;
	}
	*fd = netns_socket(player_end(p, st->side)->nsfd, p->family == 4 ? AF_INET : AF_INET6,
	                   SOCK_STREAM, 0, p->e);
	if (*fd < 0)
		return -1;
	if (!sockets_put(&p->socks, st->side, st->call.sock, *fd)) {
		close(*fd);
		return err_set(p->e, ERR_INPUT, "too many sockets");
	}
	return 0;
}

/* The open socket a step names: a case that closed it errs (@closed). */
static struct sockent *sock_open(struct player *p, const struct step *st, const char *closed)
{
	struct sockent *se = sockets_find(&p->socks, st->side, st->call.sock);

	if (!se)
		err_set(p->e, ERR_INPUT, "line %u: socket %s is %s", st->line, st->call.sock,
		        closed);
	return se;
}

static void note_tuple(struct player *p, const struct step *st, const struct sockaddr_storage *to)
{
	sockets_note_tuple(&p->socks, st->side, st->call.sock, to);
}

static int run_socket(struct player *p, const struct step *st, long *ret, int *err)
{
	int fd = -1;

	(void)err;
	if (sock_get(p, st, &fd) < 0)
		return STEP_FAILED;
	*ret = fd >= 0 ? 0 : -1;
	return STEP_CALLED;
}

/* The ifindex of a device a case names, in that side's namespace: its
 * link's, as the topology made it, or lo's (LOOPBACK_IFINDEX, 1 in every
 * namespace: include/net/flow.h). */
static int dev_ifindex(struct player *p, enum side s, enum dev_ref d)
{
	return d == DEV_LO ? 1 : player_end(p, s)->ifindex;
}

static int run_setsockopt(struct player *p, const struct step *st, long *ret, int *err)
{
	const struct sockopt *o = &st->call.opt;
	int fd = -1;

	if (sock_get(p, st, &fd) < 0)
		return STEP_FAILED;
	if (o->is_linger) {
		struct linger l = {.l_onoff = o->value, .l_linger = o->value2};

		*ret = setsockopt(fd, o->level, o->name, &l, sizeof(l));
	} else if (o->is_flowlabel) {
		/* lease the label exclusively, towards the peer's address (the
		 * kernel refuses an unspecified one): ipv6(7) has no page for it,
		 * net/ipv6/ip6_flowlabel.c ipv6_flowlabel_get() is the reference */
		struct in6_flowlabel_req r = {
		    .flr_label = htonl((uint32_t)o->value),
		    .flr_action = IPV6_FL_A_GET,
		    .flr_share = IPV6_FL_S_EXCL,
		    .flr_flags = IPV6_FL_F_CREATE,
		};
		struct sockaddr_storage ss;

		if (p->family == 6) {
			player_addr(p, player_peer(p, st->side), 0, &ss);
			r.flr_dst = ((struct sockaddr_in6 *)&ss)->sin6_addr;
		}
		*ret = setsockopt(fd, o->level, o->name, &r, sizeof(r));
	} else if (o->is_md5) {
		/* an RFC 2385 key for the peer's address, every port: tcp(7),
		 * net/ipv4/tcp_ipv4.c tcp_v4_parse_md5_keys(), and
		 * net/ipv6/tcp_ipv6.c tcp_v6_parse_md5_keys() for IPv6 */
		struct tcp_md5sig m;
		size_t len = strlen(o->key);

		memset(&m, 0, sizeof(m));
		player_addr(p, player_peer(p, st->side), 0, &m.tcpm_addr);
		m.tcpm_keylen = (uint16_t)len;
		memcpy(m.tcpm_key, o->key, len);
		*ret = setsockopt(fd, o->level, o->name, &m, sizeof(m));
	} else if (o->is_hopopts) {
		/* RFC 8200 4.3: next header (the kernel fills it), Hdr Ext Len 0
		 * (8 octets), a PadN option of 4 bytes (4.2: type 1, length 4);
		 * none: optlen 0 removes the header (ipv6(7); net/ipv6/ipv6_sockglue.c
		 * ipv6_set_opt_hdr()) */
		static const unsigned char pad8[8] = {0, 0, 1, 4, 0, 0, 0, 0};

		*ret = setsockopt(fd, o->level, o->name, o->value ? pad8 : NULL,
		                  o->value ? (socklen_t)sizeof(pad8) : 0);
	} else if (o->dev) {
		int ifindex = dev_ifindex(p, st->side, o->dev);

		*ret = setsockopt(fd, o->level, o->name, &ifindex, sizeof(ifindex));
	} else if (o->is_cong) {
		/* the algorithm's name, without its NUL (tcp(7) TCP_CONGESTION) */
		*ret = setsockopt(fd, o->level, o->name, o->key, (socklen_t)strlen(o->key));
	} else if (o->is_lsrr) {
		/* RFC 791 3.1 loose source and record route: type 131, length 7,
		 * pointer 4, one address: the peer. ip(7) IP_OPTIONS; on a
		 * socket's options the first address is the first hop
		 * (net/ipv4/ip_options.c ip_options_compile(): opt->faddr), to
		 * which connect() and ip_queue_xmit() route, and the kernel
		 * writes the destination in its place when it sends
		 * (ip_options_build()). An IPv4 option: an IPv6 variant gets
		 * EAFNOSUPPORT without a call. */
		unsigned char lsrr[8] = {131, 7, 4, 0, 0, 0, 0, 0};
		struct sockaddr_storage ss;

		if (p->family != 4) {
			*ret = -1;
			*err = EAFNOSUPPORT;
			return STEP_CALLED;
		}
		player_addr(p, player_peer(p, st->side), 0, &ss);
		memcpy(lsrr + 3, &((struct sockaddr_in *)&ss)->sin_addr, 4);
		*ret = setsockopt(fd, o->level, o->name, lsrr, sizeof(lsrr));
	} else {
		*ret = setsockopt(fd, o->level, o->name, &o->value, sizeof(o->value));
	}
	*err = errno;
	return STEP_CALLED;
}

/* The directed broadcast of @a's /30 (its last address): the local table
 * holds an RTN_BROADCAST route for it (net/ipv4/fib_frontend.c
 * fib_add_ifaddr(), a prefix shorter than /31). */
static struct in_addr broadcast4(struct in_addr a)
{
	a.s_addr = htonl(ntohl(a.s_addr) | ((1u << (32 - ADDRBLOCK_PREFIX4)) - 1));
	return a;
}

/* Which address a bind, listen or connect names. */
enum addr_pick {
	AT_END,       /* the end's own */
	AT_ANY,       /* the unspecified address: 0.0.0.0, :: */
	AT_LOOPBACK,  /* 127.0.0.1, ::1 */
	AT_NOWHERE,   /* the "nowhere" prefix's (host/addrblock.h) */
	AT_BROADCAST, /* the end's /30's directed broadcast; IPv6 all-nodes
	               * ff02::1 (link-local scope, RFC 4291 2.7.1) */
};

/* The address @st names: a bind or listen with "any" or "loopback", a
 * connect to "any", "nowhere" or "broadcast"; else its end's own. */
static enum addr_pick step_pick(const struct step *st)
{
	const struct step_call *c = &st->call;

	if (st->kind != ST_CONNECT)
		return c->any ? AT_ANY : c->loopback ? AT_LOOPBACK : AT_END;
	return c->any ? AT_ANY : c->nowhere ? AT_NOWHERE : c->broadcast ? AT_BROADCAST : AT_END;
}

/* The address @pick names (@end's for AT_END and AT_BROADCAST) and @port
 * into @ss, in the variant's family. */
static socklen_t step_addr(struct player *p, const struct topo_end *end, enum addr_pick pick,
                           int port, struct sockaddr_storage *ss)
{
	socklen_t len = player_addr(p, end, port, ss);
	struct in_addr *a4 = &((struct sockaddr_in *)ss)->sin_addr;
	struct in6_addr *a6 = &((struct sockaddr_in6 *)ss)->sin6_addr;
	bool v4 = p->family == 4;

	switch (pick) {
	case AT_END:
		break;
	case AT_ANY:
		if (v4)
			a4->s_addr = htonl(INADDR_ANY);
		else
			*a6 = in6addr_any;
		break;
	case AT_LOOPBACK:
		if (v4)
			a4->s_addr = htonl(INADDR_LOOPBACK);
		else
			*a6 = in6addr_loopback;
		break;
	case AT_NOWHERE:
		if (v4)
			addr_nowhere4(a4);
		else
			addr_nowhere6(a6);
		break;
	case AT_BROADCAST:
		if (v4)
			*a4 = broadcast4(end->ip4);
		else
			inet_pton(AF_INET6, "ff02::1", a6);
		break;
	}
	return len;
}

/* bind(2) @fd to the step's side's address (or the one a bind or listen
 * names: "any", "loopback"), port @port; a connect's "from PORT" binds the
 * side's own address. */
static long bind_to(struct player *p, const struct step *st, int fd, int port, int *err)
{
	struct sockaddr_storage ss;
	socklen_t len = step_addr(p, player_end(p, st->side),
	                          st->kind == ST_CONNECT ? AT_END : step_pick(st), port, &ss);
	long ret = bind(fd, (struct sockaddr *)&ss, len);

	*err = errno;
	return ret;
}

static int run_bind(struct player *p, const struct step *st, long *ret, int *err)
{
	int fd = -1;

	if (sock_get(p, st, &fd) < 0)
		return STEP_FAILED;
	*ret = bind_to(p, st, fd, st->call.port < 0 ? 0 : st->call.port, err);
	note_tuple(p, st, NULL);
	return STEP_CALLED;
}

static int run_listen(struct player *p, const struct step *st, long *ret, int *err)
{
	int fd = -1;

	if (sock_get(p, st, &fd) < 0)
		return STEP_FAILED;
	if (st->call.port >= 0) {
		*ret = bind_to(p, st, fd, st->call.port, err);
		if (*ret < 0)
			return STEP_CALLED;
	}
	*ret = listen(fd, st->call.backlog < 0 ? 128 : st->call.backlog);
	*err = errno;
	note_tuple(p, st, NULL);
	return STEP_CALLED;
}

static int run_connect(struct player *p, const struct step *st, long *ret, int *err)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = -1;

	if (sock_get(p, st, &fd) < 0)
		return STEP_FAILED;
	if (st->call.from_port > 0) {
		*ret = bind_to(p, st, fd, st->call.from_port, err);
		if (*ret < 0)
			return STEP_CALLED;
	}
	if (st->call.nonblock)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	len = step_addr(p, st->call.self ? player_end(p, st->side) : player_peer(p, st->side),
	                step_pick(st), st->call.port, &ss);
	if (st->call.flowlabel >= 0 && p->family != 6)
		return err_set(p->e, ERR_INPUT,
		               "line %u: flowlabel is IPv6's: pin the case with family 6",
		               st->line);
	if (st->call.flowlabel >= 0)
		((struct sockaddr_in6 *)&ss)->sin6_flowinfo = htonl((uint32_t)st->call.flowlabel);
	if (st->call.mapped && p->family != 6)
		return err_set(p->e, ERR_INPUT,
		               "line %u: mapped is an IPv6 socket's: pin the case with family 6",
		               st->line);
	if (st->call.mapped) {
		/* the peer's (or the nowhere) IPv4 address, as ::ffff:a.b.c.d */
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		struct in_addr v4 =
		    (st->call.self ? player_end(p, st->side) : player_peer(p, st->side))->ip4;

		if (st->call.nowhere)
			addr_nowhere4(&v4);
		if (st->call.broadcast)
			v4 = broadcast4(v4);
		memset(&s6->sin6_addr, 0, sizeof(s6->sin6_addr));
		s6->sin6_addr.s6_addr[10] = s6->sin6_addr.s6_addr[11] = 0xff;
		memcpy(&s6->sin6_addr.s6_addr[12], &v4, sizeof(v4));
	}
	if ((st->call.linklocal || st->call.scope) && p->family != 6)
		return err_set(
		    p->e, ERR_INPUT,
		    "line %u: linklocal and scope are IPv6's: pin the case with family 6",
		    st->line);
	if (st->call.linklocal) {
		/* fe80::/64 and the peer's interface id (RFC 4291 2.5.6) */
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		memset(&s6->sin6_addr, 0, 8);
		s6->sin6_addr.s6_addr[0] = 0xfe;
		s6->sin6_addr.s6_addr[1] = 0x80;
	}
	if (st->call.scope)
		((struct sockaddr_in6 *)&ss)->sin6_scope_id =
		    (uint32_t)dev_ifindex(p, st->side, st->call.scope);
	if (st->call.addrlen >= 0)
		len = (socklen_t)st->call.addrlen; /* ss is a struct sockaddr_storage, 128 bytes */
	if (st->call.sa_family >= 0)
		ss.ss_family = (sa_family_t)st->call.sa_family;
	*ret = connect(fd, (struct sockaddr *)&ss, len);
	*err = errno;
	/* an address of another family is not a peer to note */
	note_tuple(p, st, st->call.sa_family >= 0 ? NULL : &ss);
	return STEP_CALLED;
}

static int run_accept(struct player *p, const struct step *st, long *ret, int *err)
{
	struct sockent *l = sockets_find(&p->socks, st->side, st->call.other);
	int fd;

	if (!l)
		return err_set(p->e, ERR_INPUT, "line %u: listener %s is closed", st->line,
		               st->call.other);
	/* "nonblock": take a connection only if one is queued.  accept4's
	 * SOCK_NONBLOCK is for the new socket and would not keep the call
	 * from waiting: the listener is made non-blocking for this one call,
	 * and the accepted socket is an ordinary blocking one. */
	if (st->call.nonblock)
		fcntl(l->fd, F_SETFL, fcntl(l->fd, F_GETFL) | O_NONBLOCK);
	fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);
	*err = errno;
	if (st->call.nonblock)
		fcntl(l->fd, F_SETFL, fcntl(l->fd, F_GETFL) & ~O_NONBLOCK);
	/* The harness's own descriptor limit is not the kernel's TCP
	 * behaviour: never an observation. */
	if (fd < 0 && (*err == EMFILE || *err == ENFILE)) {
		errno = *err;
		return err_sys(p->e, "line %u: accept", st->line);
	}
	*ret = fd < 0 ? -1 : 0;
	if (fd >= 0 && !sockets_put(&p->socks, st->side, st->call.sock, fd))
		return err_set(p->e, ERR_INPUT, "too many sockets");
	if (fd >= 0)
		note_tuple(p, st, NULL);
	return STEP_CALLED;
}

/* "send S N to PEER": send N bytes while the peer's socket reads them, so a
 * transfer may exceed both socket buffers.  Bounded: PUMP_LIMIT_MS without
 * progress ends it with the bytes sent so far (ETIMEDOUT). */
#define PUMP_LIMIT_MS 5000
static long pump(struct player *p, const struct step *st, int fd, const char *buf, int *err)
{
	struct sockent *peer = sockets_find(
	    &p->socks, st->side == SIDE_CLIENT ? SIDE_SERVER : SIDE_CLIENT, st->call.other);
	static char sink[65536];
	long sent = 0, got = 0;

	*err = 0;
	if (!peer) {
		*err = EBADF;
		return -1;
	}
	while (got < st->call.bytes) {
		struct pollfd pf[2] = {{.fd = fd, .events = sent < st->call.bytes ? POLLOUT : 0},
		                       {.fd = peer->fd, .events = POLLIN}};
		ssize_t r;

		if (poll(pf, 2, PUMP_LIMIT_MS) <= 0) {
			*err = ETIMEDOUT;
			break;
		}
		if (pf[0].revents & POLLOUT) {
			r = send(fd, buf + sent, (size_t)(st->call.bytes - sent),
			         MSG_NOSIGNAL | MSG_DONTWAIT);
			if (r < 0 && errno != EAGAIN) {
				*err = errno;
				break;
			}
			if (r > 0)
				sent += r;
		}
		if (pf[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			r = recv(peer->fd, sink, sizeof(sink), MSG_DONTWAIT);
			if (r <= 0 && !(r < 0 && errno == EAGAIN)) {
				*err = r < 0 ? errno : EPIPE;
				break;
			}
			if (r > 0)
				got += r;
		}
	}
	return sent;
}

static void fill(char *buf, long n)
{
	long i;

	for (i = 0; i < n; i++)
		buf[i] = (char)('a' + i % 26);
}

static int run_send(struct player *p, const struct step *st, long *ret, int *err)
{
	struct sockent *se = sock_open(p, st, "closed");
	char *buf;

	if (!se)
		return STEP_FAILED;
	buf = malloc((size_t)st->call.bytes);
	if (!buf)
		return err_set(p->e, ERR_SYSTEM, "out of memory");
	if (st->call.text[0])
		memcpy(buf, st->call.text, (size_t)st->call.bytes);
	else
		fill(buf, st->call.bytes);
	if (st->call.other[0]) {
		*ret = pump(p, st, se->fd, buf, err);
	} else {
		*ret = send(se->fd, buf, (size_t)st->call.bytes,
		            MSG_NOSIGNAL | (st->call.nonblock ? MSG_DONTWAIT : 0));
		*err = errno;
	}
	free(buf);
	return STEP_CALLED;
}

static int run_recv(struct player *p, const struct step *st, long *ret, int *err)
{
	struct sockent *se = sock_open(p, st, "closed");
	long want = st->call.bytes > 0 ? st->call.bytes : 65536, got = 0;
	char *buf;

	if (!se)
		return STEP_FAILED;
	buf = malloc((size_t)want);
	if (!buf)
		return err_set(p->e, ERR_SYSTEM, "out of memory");
	do {
		ssize_t r = recv(se->fd, buf + got, (size_t)(want - got),
		                 st->call.nonblock ? MSG_DONTWAIT : 0);

		if (r < 0) {
			*err = errno;
			*ret = got ? got : -1;
			break;
		}
		got += r;
		*ret = got;
		if (r == 0)
			break;
	} while (st->call.bytes > 0 && got < want);
	free(buf);
	return STEP_CALLED;
}

static int run_shutdown(struct player *p, const struct step *st, long *ret, int *err)
{
	struct sockent *se = sock_open(p, st, "closed");

	if (!se)
		return STEP_FAILED;
	*ret = shutdown(se->fd, st->call.how);
	*err = errno;
	return STEP_CALLED;
}

static int run_close(struct player *p, const struct step *st, long *ret, int *err)
{
	struct sockent *se = sock_open(p, st, "already closed");

	if (!se)
		return STEP_FAILED;
	*ret = close(se->fd);
	*err = errno;
	se->fd = -1;
	sockets_close_one(se); /* its watch */
	return STEP_CALLED;
}

/* watch S: an edge-triggered epoll on S, so that only the kernel's wake-ups
 * of its wait queue (sk_data_ready, sk_write_space, sk_state_change, ...;
 * fs/eventpoll.c ep_poll_callback()) put it on the ready list; what is
 * ready at once is taken now, so the watch starts empty.  watch S rdhup:
 * registered for EPOLLRDHUP alone, so a wake-up whose key names other
 * events (sk_data_ready's EPOLLIN ...) passes it by and only those with
 * EPOLLRDHUP or no key (sk_state_change) reach it.  watch S sigio: its
 * SIGIOs instead (run/sigio.h), the kernel's sk_wake_async() calls. */
static int run_watch(struct player *p, const struct step *st, long *ret, int *err)
{
	struct sockent *se = sock_open(p, st, "closed");
	struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLPRI | EPOLLET};

	if (st->call.rdhup)
		ev.events = EPOLLRDHUP | EPOLLET;
	if (!se)
		return STEP_FAILED;
	if (st->call.sigio) {
		if (sigio_watch(&p->socks, se, p->e) < 0)
			return err_wrap(p->e, "line %u", st->line);
		*ret = 0;
		*err = 0;
		return STEP_CALLED;
	}
	if (se->epfd >= 0)
		close(se->epfd);
	se->epfd = epoll_create1(EPOLL_CLOEXEC);
	*ret = se->epfd < 0 ? -1 : epoll_ctl(se->epfd, EPOLL_CTL_ADD, se->fd, &ev);
	*err = errno;
	if (*ret == 0)
		*ret = epoll_wait(se->epfd, &ev, 1, 0) < 0 ? -1 : 0;
	return STEP_CALLED;
}

/* ---- the wire, waits, marks ------------------------------------------------- */

static int run_wire(struct player *p, const struct step *st, long *ret, int *err)
{
	(void)ret;
	(void)err;
	if (st->wire.remove ? wire_remove(p->w, st->wire.rule_name, p->e) < 0
	                    : wire_add(p->w, &st->wire.rule, NULL, p->e) < 0)
		return err_wrap(p->e, "line %u", st->line);
	player_log(p, "line %u: %s", st->line, st->src);
	return STEP_LOGGED;
}

/* Until the socket is in the state: 0, or -1 at the time limit. */
static int wait_state(struct player *p, const struct step *st)
{
	double end = clock_ms() + st->wait.ms;
	struct tcpinfo ti;

	for (;;) {
		if (sockets_tcp_info(&p->socks, st->side, st->wait.sock, &ti) == 0 &&
		    tcpinfo_state(&ti) == st->wait.state)
			return 0;
		if (clock_ms() >= end)
			return -1;
		usleep(2000);
	}
}

/* Until inet_diag shows exactly min_count sockets in the state: 0, -1 at
 * the time limit, -2 when inet_diag failed (p->e says why). */
static int wait_diag(struct player *p, const struct step *st)
{
	double end = clock_ms() + st->wait.ms;
	struct diag_result r;

	for (;;) {
		/* No tcp_diag on this kernel is an error here too: a wait
		 * cannot be skipped without making the steps after it lie. */
		if (diag_query(player_end(p, st->side)->nsfd, p->family == 4 ? AF_INET : AF_INET6,
		               st->wait.state, st->wait.port, &r, p->e) != 0)
			return -2;
		if (r.count == st->wait.min_count)
			return 0;
		if (clock_ms() >= end)
			return -1;
		usleep(5000);
	}
}

/* Until the counter has moved by min_count or more since the start (or the
 * mark): its change, -1 at the time limit, -2 when it cannot be read (p->e
 * says why), -3 when this kernel lacks it (p->lacks says which: a feature
 * of later kernels; a wait is never skipped, the variant stops there). */
static long wait_counter(struct player *p, const struct step *st)
{
	const struct step_wait *w = &st->wait;
	const struct counters *base = w->since_step >= 0
	                                  ? &p->marks[2 * (size_t)w->since_step + st->side]
	                                  : &p->before[st->side];
	double end = clock_ms() + w->ms;
	int64_t a, b;

	/* the start's read holds every counter the kernel has; a mark's too,
	 * once its step ran (a `when` can leave it out of a variant) */
	if (counters_get(&p->before[st->side], w->counter, &a) < 0) {
		snprintf(p->lacks, sizeof(p->lacks), "this kernel has no counter %s (line %u)",
		         w->counter, st->line);
		return -3;
	}
	if (counters_get(base, w->counter, &a) < 0) {
		err_set(p->e, ERR_ENV, "counter %s: its mark did not run in this variant",
		        w->counter);
		return -2;
	}
	for (;;) {
		struct counters now;
		int got;

		if (counters_read(player_end(p, st->side)->nsfd, &now, p->e) < 0)
			return -2;
		got = counters_get(&now, w->counter, &b);
		counters_free(&now);
		if (got < 0) {
			err_set(p->e, ERR_ENV, "this kernel has no counter %s", w->counter);
			return -2;
		}
		if (b - a >= (int64_t)w->min_count)
			return (long)(b - a);
		if (clock_ms() >= end)
			return -1;
		usleep(2000);
	}
}

static int run_wait(struct player *p, const struct step *st, long *ret, int *err)
{
	const struct step_wait *w = &st->wait;

	switch (w->until) {
	case WAIT_TIME: {
		double t0 = clock_ms();

		usleep(w->ms * 1000);
		p->step_ms += clock_ms() - t0; /* the scenario's own time */
		player_log(p, "line %u: %s", st->line, st->src);
		return STEP_LOGGED;
	}
	case WAIT_STATE:
		*ret = wait_state(p, st);
		break;
	case WAIT_DIAG:
		*ret = wait_diag(p, st);
		if (*ret == -2)
			return err_wrap(p->e, "line %u", st->line);
		break;
	case WAIT_COUNTER:
		*ret = wait_counter(p, st);
		if (*ret == -2)
			return err_wrap(p->e, "line %u", st->line);
		if (*ret == -3) {
			player_log(p, "line %u: %s: the variant stops, skipped", st->line,
			           p->lacks);
			return STEP_LACKS;
		}
		break;
	case WAIT_WIRE: {
		unsigned after = w->since_step >= 0 ? p->mark_frames[w->since_step] : 0;
		unsigned n =
		    wire_wait_count_after(p->w, &w->match, 0, after, w->min_count, (int)w->ms);

		*ret = n >= w->min_count ? (long)n : -1;
		break;
	}
	}
	*err = *ret < 0 ? ETIMEDOUT : 0;
	return STEP_CALLED;
}

static int run_mark(struct player *p, const struct step *st, long *ret, int *err)
{
	struct counters *m = &p->marks[2 * (size_t)(st - p->sc->steps)];

	(void)ret;
	(void)err;
	/* A mark that cannot be taken makes every count since it wrong:
	 * the variant fails with the error. */
	for (int s = SIDE_CLIENT; s <= SIDE_SERVER; s++)
		if (counters_read(player_end(p, (enum side)s)->nsfd, &m[s], p->e) < 0)
			return err_wrap(p->e, "line %u: mark %s", st->line, st->mark.name);
	if (wire_sync(p->w, WIRE_SYNC_MS) < 0)
		return err_set(p->e, ERR_ENV,
		               "line %u: mark %s: the wire's forwarder did not take in its frames "
		               "within %d ms",
		               st->line, st->mark.name, WIRE_SYNC_MS);
	p->mark_frames[st - p->sc->steps] = wire_frame_count(p->w);
	player_log(p, "line %u: %s", st->line, st->src);
	return STEP_LOGGED;
}

/* A route that sends nothing, to the nowhere prefix, or the fwmark rules,
 * in the side's namespace: set-up, so a failure is the variant's error. */
static int run_route(struct player *p, const struct step *st, long *ret, int *err)
{
	static const int rtn[] = {[ROUTE_UNREACHABLE] = RTN_UNREACHABLE,
	                          [ROUTE_PROHIBIT] = RTN_PROHIBIT,
	                          [ROUTE_BLACKHOLE] = RTN_BLACKHOLE};
	int r;

	(void)ret;
	(void)err;
	if (st->route.peer_rto_min_ms)
		r = topology_add_peer_route(
		    player_end(p, st->side), p->family,
		    player_end(p, st->side == SIDE_CLIENT ? SIDE_SERVER : SIDE_CLIENT),
		    st->route.peer_rto_min_ms, p->e);
	else if (st->route.fwmark || st->route.ports) {
		struct policy_match m = {.mark = st->route.fwmark ? st->route.mark : 0,
		                         .sport_lo = st->route.sport_lo,
		                         .sport_hi = st->route.sport_hi,
		                         .dport_lo = st->route.dport_lo,
		                         .dport_hi = st->route.dport_hi};

		r = topology_add_policy_rules(player_end(p, st->side), p->family, &m,
		                              st->route.fwmark || st->route.ports_only, p->e);
	} else
		r = topology_add_nowhere_route(player_end(p, st->side), p->family,
		                               rtn[st->route.type], p->e);

	if (r < 0)
		return err_wrap(p->e, "line %u", st->line);
	player_log(p, "line %u: %s", st->line, st->src);
	return STEP_LOGGED;
}

/* SIDE sysctl KEY VALUE: written in the side's namespace and read back
 * (sysctl_set(), which also says when the key is absent: a key this kernel
 * lacks skips the variant, as the header's sysctl lines do). */
static int run_sysctl(struct player *p, const struct step *st, long *ret, int *err)
{
	char now[SC_VALUE_MAX];
	int r = sysctl_set(player_end(p, st->side)->nsfd, st->sysctl.key, st->sysctl.value, now,
	                   sizeof(now), p->e);

	(void)err;
	if (r < 0)
		return err_wrap(p->e, "line %u", st->line);
	if (r == SYSCTL_ABSENT) {
		snprintf(p->lacks, sizeof(p->lacks), "sysctl %s is absent on this kernel (line %u)",
		         st->sysctl.key, st->line);
		player_log(p, "line %u: %s: the variant stops, skipped", st->line, p->lacks);
		return STEP_LACKS;
	}
	*ret = 0;
	return STEP_CALLED;
}

/* ---- the runners ------------------------------------------------------------ */

/*
 * The run half of every verb, indexed by its kind (model/step.h): the
 * parse half, name and help line are model/step.c's step_verbs[], which
 * cannot point here: model/ is below run/ and makes no system call, and a
 * lower layer never includes a higher one.  tests/test_scenario.c checks
 * that every kind has a runner.
 */
step_runner *const step_runners[ST_COUNT] = {
    [ST_SOCKET] = run_socket,     [ST_SETSOCKOPT] = run_setsockopt,
    [ST_BIND] = run_bind,         [ST_LISTEN] = run_listen,
    [ST_CONNECT] = run_connect,   [ST_ACCEPT] = run_accept,
    [ST_SEND] = run_send,         [ST_RECV] = run_recv,
    [ST_SHUTDOWN] = run_shutdown, [ST_CLOSE] = run_close,
    [ST_WATCH] = run_watch,       [ST_FLOOD] = flood_run,
    [ST_ROUTE] = run_route,       [ST_SYSCTL] = run_sysctl,
    [ST_WIRE] = run_wire,         [ST_WAIT] = run_wait,
    [ST_MARK] = run_mark,         [ST_OBSERVE] = observe_run,
};

int run_step(struct player *p, const struct step *st)
{
	double t0 = clock_ms();
	long ret = 0;
	int err = 0, r = step_runners[st->kind](p, st, &ret, &err);

	if (r != STEP_CALLED)
		return r < 0 ? -1 : r == STEP_LACKS ? 1 : 0;
	p->step_ms += clock_ms() - t0;
	record_step(p, st, ret, err, clock_ms() - t0);
	return 0;
}
