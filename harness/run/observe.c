// SPDX-License-Identifier: GPL-2.0-only
/* observe.c - observations, one function per source. */
#include "run/observe.h"

#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "base/clock.h"
#include "host/diag.h"
#include "host/sockstat.h"
#include "host/sysctl.h"
#include "model/sockopt.h"
#include "model/tcpinfo.h"
#include "run/sigio.h"
#include "wire/trace.h"

static void observe(struct player *p, const struct step *st, json_t *value, const char *source)
{
	json_t *o = json_object();

	json_object_set_new(o, "source", json_string(source));
	json_object_set_new(o, "line", json_integer(st->line));
	json_object_set_new(o, "step", json_string(st->src));
	json_object_set_new(o, "value", value);
	json_object_set_new(p->obs, st->as, o);
	{
		char *txt = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);

		player_log(p, "line %u: observe %s = %s", st->line, st->as, txt ? txt : "?");
		free(txt);
	}
}

/* An observation that cannot be had here for a declared reason, and only
 * those: a feature or counter this kernel lacks (the file or key absent,
 * ENOENT), the rootless mode, or the case's own flow (a socket it closed
 * or never connected).  Anything else is observe_error(). */
static void observe_skip(struct player *p, const struct step *st, const char *source,
                         const char *why)
{
	json_t *o = json_object();

	json_object_set_new(o, "source", json_string(source));
	json_object_set_new(o, "line", json_integer(st->line));
	json_object_set_new(o, "step", json_string(st->src));
	json_object_set_new(o, "value", json_null());
	json_object_set_new(o, "skip", json_string(why));
	json_object_set_new(p->obs, st->as, o);
	player_log(p, "line %u: observe %s skipped: %s", st->line, st->as, why);
}

/* An observation that failed for a reason nobody declared (out of
 * descriptors, of memory, a read that failed): judged "error", never
 * "skip", with the errno's name when a call failed. */
static void observe_error(struct player *p, const struct step *st, const char *source,
                          const struct err *e)
{
	json_t *o = json_object();
	char msg[sizeof(e->msg) + 32];

	if (e->errnum && !strstr(e->msg, err_errno_name(e->errnum)))
		snprintf(msg, sizeof(msg), "%s (%s)", e->msg, err_errno_name(e->errnum));
	else
		snprintf(msg, sizeof(msg), "%s", e->msg);
	json_object_set_new(o, "source", json_string(source));
	json_object_set_new(o, "line", json_integer(st->line));
	json_object_set_new(o, "step", json_string(st->src));
	json_object_set_new(o, "value", json_null());
	json_object_set_new(o, "error", json_string(msg));
	json_object_set_new(o, "errno",
	                    e->errnum ? json_string(err_errno_name(e->errnum)) : json_null());
	json_object_set_new(p->obs, st->as, o);
	if (!p->obs_error[0])
		snprintf(p->obs_error, sizeof(p->obs_error), "%.60s: %.440s", st->as, msg);
	player_log(p, "line %u: observe %s failed: %s", st->line, st->as, msg);
}

static void sa_bytes(const struct sockaddr_storage *ss, uint8_t *addr, uint16_t *port)
{
	memset(addr, 0, 16);
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

		memcpy(addr, &s4->sin_addr, 4);
		*port = ntohs(s4->sin_port);
	} else {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

		memcpy(addr, &s6->sin6_addr, 16);
		*port = ntohs(s6->sin6_port);
	}
}

static bool same_addr(int family, const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, family == AF_INET ? 4 : 16) == 0;
}

/* Whether state event @k is of the socket whose 4-tuple is @la:@lp ->
 * @pa:@pp (@pp 0 for a listener), counting the SYN_SENT event the kernel
 * emits before it has picked the local port (sport 0) when the next event
 * toward that peer is the socket's. */
static bool tuple_event(const struct trace_event *ev, size_t n, size_t k, int fam,
                        const uint8_t *la, uint16_t lp, const uint8_t *pa, uint16_t pp)
{
	const struct trace_event *e = &ev[k];
	size_t j;

	if (e->kind != TE_STATE || e->family != fam)
		return false;
	if (e->sport == lp && same_addr(fam, e->saddr, la) && e->dport == pp &&
	    (!pp || same_addr(fam, e->daddr, pa)))
		return true;
	if (e->sport != 0 || e->newstate != TCP_SYN_SENT || !pp || e->dport != pp ||
	    !same_addr(fam, e->daddr, pa) || !same_addr(fam, e->saddr, la))
		return false;
	for (j = k + 1; j < n; j++) {
		if (ev[j].kind != TE_STATE || ev[j].family != fam || ev[j].dport != pp ||
		    !same_addr(fam, ev[j].daddr, pa))
			continue;
		return ev[j].sport == lp;
	}
	return false;
}

/* When the harness made the next socket of @se's side with the same 4-tuple
 * as @se (a reconnect from the same port), or HUGE_VAL: the events from
 * then on are that socket's. */
static double next_of_tuple(const struct sockets *ss, const struct sockent *se)
{
	double until = HUGE_VAL;
	int i;

	for (i = 0; i < ss->n; i++) {
		const struct sockent *o = &ss->e[i];

		if (o == se || o->side != se->side || o->born <= se->born || o->born >= until ||
		    !o->have_local || o->have_peer != se->have_peer ||
		    memcmp(&o->local, &se->local, sizeof(o->local)) != 0 ||
		    (se->have_peer && memcmp(&o->peer, &se->peer, sizeof(o->peer)) != 0))
			continue;
		until = o->born;
	}
	return until;
}

/* The state timeline of one socket, from inet_sock_set_state events of
 * its own 4-tuple (tuple_event()), up to when a later socket took the same
 * 4-tuple. */
static json_t *timeline(struct player *p, const struct sockent *se, struct trace_event *ev,
                        size_t n, const uint8_t *myip)
{
	int fam = p->family == 4 ? AF_INET : AF_INET6;
	uint8_t la[16], pa[16];
	uint16_t lp, pp = 0;
	char out[1024] = "";
	size_t k, j, from = 0, first = n;
	double until = next_of_tuple(&p->socks, se);
	bool any = false;

	sa_bytes(&se->local, la, &lp);
	if (se->have_peer)
		sa_bytes(&se->peer, pa, &pp);
	else
		memset(pa, 0, sizeof(pa));
	/* A connect that failed leaves the socket unbound: find its port from
	 * the first event toward that peer after a port-less SYN_SENT. */
	{
		static const uint8_t zero[16];

		if (!memcmp(la, zero, 16))
			memcpy(la, myip, fam == AF_INET ? 4 : 16);
	}
	if (!lp && pp) {
		bool seen_syn = false;

		for (k = 0; k < n && !lp; k++) {
			struct trace_event *e = &ev[k];

			if (e->kind != TE_STATE || e->family != fam || e->dport != pp ||
			    !same_addr(fam, e->daddr, pa) || !same_addr(fam, e->saddr, la))
				continue;
			if (e->sport == 0 && e->newstate == TCP_SYN_SENT)
				seen_syn = true;
			else if (seen_syn)
				lp = e->sport;
		}
	}
	/* A 4-tuple used again (a reconnect from the same port): from this
	 * socket's first state (a change out of CLOSE after the harness made
	 * it), the earlier socket's events, up to its CLOSE, are not its own.
	 * An accepted socket's first change is out of LISTEN, before accept():
	 * all of its tuple's events stay. */
	for (k = 0; k < n; k++)
		if (ev[k].ts >= se->born && ev[k].oldstate == TCP_CLOSE &&
		    tuple_event(ev, n, k, fam, la, lp, pa, pp))
			break;
	for (j = 0; k < n && j < k; j++)
		if (ev[j].newstate == TCP_CLOSE && tuple_event(ev, n, j, fam, la, lp, pa, pp))
			from = j + 1;
	for (k = from; k < n && ev[k].ts < until; k++) {
		struct trace_event *e = &ev[k];

		if (!tuple_event(ev, n, k, fam, la, lp, pa, pp))
			continue;
		if (first == n) {
			first = k;
			if (e->oldstate != TCP_CLOSE && e->oldstate != TCP_LISTEN &&
			    e->oldstate > 0)
				snprintf(out, sizeof(out), "%s", tcp_state_name(e->oldstate));
		}
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", out[0] ? " " : "",
		         tcp_state_name(e->newstate));
		any = true;
	}
	return any ? json_string(out) : json_string("");
}

/* Keep only the events at or after @t0 (they are in time order). */
static size_t since(struct trace_event *ev, size_t n, double t0)
{
	size_t k = 0, i;

	for (i = 0; i < n; i++)
		if (ev[i].ts >= t0)
			ev[k++] = ev[i];
	return k;
}

/* The event an observation of tracepoints counts or follows. */
static enum trace_kind trace_need(const struct step *st)
{
	if (st->observe.obs == OB_STATES)
		return TE_STATE;
	if (st->observe.obs == OB_RETRANS)
		return strcmp(st->observe.field, "synack") == 0 ? TE_RETRANS_SYNACK : TE_RETRANS;
	return strcmp(st->observe.field, "sent") == 0 ? TE_SEND_RESET : TE_RECV_RESET;
}

static void observe_trace(struct player *p, const struct step *st)
{
	struct trace_event *ev = NULL;
	char *text;
	size_t n;

	if (!p->tr.active) {
		observe_skip(p, st, "tracepoints", p->tr.unavailable);
		return;
	}
	if (tracer_missing(&p->tr, trace_need(st))) {
		char why[160];

		snprintf(why, sizeof(why), "this kernel has no tracepoint %s",
		         tracer_missing(&p->tr, trace_need(st)));
		observe_skip(p, st, "tracepoints", why);
		return;
	}
	text = tracer_read(&p->tr);
	if (!text) {
		struct err e2;

		err_sys(&e2, "reading the tracefs instance %s", p->tr.dir);
		observe_error(p, st, "tracepoints", &e2);
		return;
	}
	n = trace_event_parse(text, &ev);
	free(text);
	n = since(ev, n, p->mono_start);
	if (st->observe.obs == OB_STATES) {
		struct sockent *se = sockets_find_any(&p->socks, st->side, st->observe.sock);

		if (!se || !se->have_local)
			observe_skip(p, st, "tracepoints",
			             "the socket was never bound or connected");
		else
			observe(p, st,
			        timeline(p, se, ev, n,
			                 p->family == 4
			                     ? (const uint8_t *)&player_end(p, st->side)->ip4
			                     : (const uint8_t *)&player_end(p, st->side)->ip6),
			        "tracepoints");
	} else {
		const struct topo_end *me = player_end(p, st->side);
		int fam = p->family == 4 ? AF_INET : AF_INET6;
		const uint8_t *mine =
		    fam == AF_INET ? (const uint8_t *)&me->ip4 : (const uint8_t *)&me->ip6;
		enum trace_kind want = trace_need(st);
		size_t k, count = 0;

		for (k = 0; k < n; k++)
			if (ev[k].kind == want && ev[k].family == fam &&
			    same_addr(fam, ev[k].saddr, mine))
				count++;
		observe(p, st, json_integer((json_int_t)count), "tracepoints");
	}
	free(ev);
}

/* state or tcpinfo FIELD of a held socket */
static void observe_tcp_info(struct player *p, const struct step *st)
{
	const struct step_observe *o = &st->observe;
	struct tcpinfo ti;
	tcpinfo_reader read = o->obs == OB_STATE ? NULL : tcpinfo_field(o->field);
	long long value;
	char why[300];
	int r = sockets_tcp_info(&p->socks, st->side, o->sock, &ti);

	if (r > 0) {
		snprintf(why, sizeof(why), "socket %s is closed", o->sock);
		observe_skip(p, st, "tcp_info", why);
		return;
	}
	if (r < 0) {
		struct err e2;

		err_sys(&e2, "getsockopt(%s, TCP_INFO)", o->sock);
		observe_error(p, st, "tcp_info", &e2);
		return;
	}
	if (o->obs == OB_STATE) {
		observe(p, st, json_string(tcp_state_name(tcpinfo_state(&ti))), "tcp_info");
		return;
	}
	if (!read || read(&ti, &value) < 0) {
		/* The parser let only known names through; a kernel whose
		 * struct ends before the field lacks it (tcpi_snd_wnd: v5.4). */
		snprintf(why, sizeof(why), "this kernel's TCP_INFO (%u bytes) has no tcpi_%s",
		         ti.len, o->field);
		observe_skip(p, st, "tcp_info", why);
		return;
	}
	observe(p, st, json_integer((json_int_t)value), "tcp_info");
}

/* The socket a socket observation names, or NULL after recording a skip
 * with the declared reason (the case closed it, or never made it). */
static struct sockent *held(struct player *p, const struct step *st, const char *source)
{
	struct sockent *se = sockets_find(&p->socks, st->side, st->observe.sock);

	if (!se) {
		char why[300];

		snprintf(why, sizeof(why), "socket %s is closed", st->observe.sock);
		observe_skip(p, st, source, why);
	}
	return se;
}

/* The name of @sa's address: "any" (unspecified), "client" or "server"
 * (a side's address in this topology; "mapped:client" for the IPv4-mapped
 * IPv6 form of a side's IPv4 address), else the literal. */
/* The address bytes of @sa (IPv4 or IPv6) and their length in @alen. */
static const void *sa_addr(const struct sockaddr_storage *sa, size_t *alen)
{
	if (sa->ss_family == AF_INET6) {
		*alen = 16;
		return &((const struct sockaddr_in6 *)sa)->sin6_addr;
	}
	*alen = 4;
	return &((const struct sockaddr_in *)sa)->sin_addr;
}

static void addr_name(struct player *p, const struct sockaddr_storage *sa, char *out, size_t len)
{
	static const enum side sides[] = {SIDE_CLIENT, SIDE_SERVER};
	static const unsigned char zero[16];
	char lit[INET6_ADDRSTRLEN] = "?";
	size_t alen, mlen;
	const void *a = sa_addr(sa, &alen);

	if (memcmp(a, zero, alen) == 0) {
		snprintf(out, len, "any");
		return;
	}
	if (sa->ss_family == AF_INET6 &&
	    IN6_IS_ADDR_V4MAPPED(&((const struct sockaddr_in6 *)sa)->sin6_addr)) {
		/* ::ffff:a.b.c.d of a side's IPv4 address: "mapped:client" */
		const unsigned char *v4 = (const unsigned char *)a + 12;

		for (size_t i = 0; i < 2; i++)
			if (memcmp(v4, &player_end(p, sides[i])->ip4, 4) == 0) {
				snprintf(out, len, "mapped:%s", side_name(sides[i]));
				return;
			}
	}
	for (size_t i = 0; i < 2; i++) {
		struct sockaddr_storage mine;

		player_addr(p, player_end(p, sides[i]), 0, &mine);
		if (mine.ss_family == sa->ss_family &&
		    memcmp(a, sa_addr(&mine, &mlen), alen) == 0) {
			snprintf(out, len, "%s", side_name(sides[i]));
			return;
		}
	}
	inet_ntop(sa->ss_family, a, lit, sizeof(lit));
	snprintf(out, len, "%s", lit);
}

/* sockname: getsockname(2) of a held socket, {"addr": NAME, "port": N} */
static void observe_sockname(struct player *p, const struct step *st)
{
	const struct step_observe *o = &st->observe;
	struct sockent *se = held(p, st, "getsockname");
	struct sockaddr_storage sa;
	socklen_t sl = sizeof(sa);
	char name[INET6_ADDRSTRLEN + 8];
	json_t *v;

	if (!se)
		return;
	memset(&sa, 0, sizeof(sa));
	if (getsockname(se->fd, (struct sockaddr *)&sa, &sl) < 0) {
		struct err e2;

		err_sys(&e2, "getsockname(%s)", o->sock);
		observe_error(p, st, "getsockname", &e2);
		return;
	}
	addr_name(p, &sa, name, sizeof(name));
	v = json_object();
	json_object_set_new(v, "addr", json_string(name));
	json_object_set_new(
	    v, "port",
	    json_integer(ntohs(sa.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&sa)->sin6_port
	                                                : ((struct sockaddr_in *)&sa)->sin_port)));
	observe(p, st, v, "getsockname");
}

/* savedsyn: getsockopt(TCP_SAVED_SYN) of a child whose listener had
 * TCP_SAVE_SYN: the SYN's network and TCP headers as the listener received
 * them (net/ipv4/tcp_input.c tcp_reqsk_record_syn()), decoded by the wire's
 * decoder (frame_decode_headers(): IPv4 or IPv6 by the header, an IPv6
 * listener's mapped child saved an IPv4 one): `.len` (the
 * bytes saved: IP header + TCP header, 0 when nothing was saved or it was
 * read before: the kernel frees it at the first read, net/ipv4/tcp.c
 * do_tcp_getsockopt()), `.opts` (the TCP options, as `observe wire opts`
 * names them) and `.ttl` (the IPv4 TTL or IPv6 Hop Limit it arrived with). */
static void observe_saved_syn(struct player *p, const struct step *st)
{
	struct sockent *se = held(p, st, "getsockopt");
	uint8_t hdrs[512];
	socklen_t len = sizeof(hdrs);
	struct frame_info fi;
	char opts[FRAME_OPTS_STR];
	json_t *v;

	if (!se)
		return;
	if (getsockopt(se->fd, IPPROTO_TCP, TCP_SAVED_SYN, hdrs, &len) < 0) {
		struct err e2;

		err_sys(&e2, "getsockopt(%s, TCP_SAVED_SYN)", st->observe.sock);
		observe_error(p, st, "getsockopt", &e2);
		return;
	}
	v = json_object();
	json_object_set_new(v, "len", json_integer(len));
	if (len > 0) {
		if (frame_decode_headers(hdrs, len, &fi) < 0 || !(fi.flags & TCPF_SYN)) {
			struct err e2;

			json_decref(v);
			err_set(&e2, ERR_SYSTEM,
			        "TCP_SAVED_SYN of %s: %u bytes that are not a TCP SYN",
			        st->observe.sock, (unsigned)len);
			observe_error(p, st, "getsockopt", &e2);
			return;
		}
		frame_opts_str(fi.opts, fi.nopts, fi.opts_bad, opts, sizeof(opts));
		json_object_set_new(v, "opts", json_string(opts));
		json_object_set_new(v, "ttl", json_integer(fi.ttl));
	}
	observe(p, st, v, "getsockopt");
}

/* tsoffset: getsockopt(TCP_TIMESTAMP) minus CLOCK_MONOTONIC in ms read just
 * before it, as a signed 32-bit difference: the offset the kernel adds to the
 * connection's timestamp clock (net/ipv4/tcp.c do_tcp_getsockopt():
 * tcp_time_stamp_raw() + tp->tsoffset, tcp_time_stamp_raw() being
 * CLOCK_MONOTONIC in ms since 4.13). The clock is read on both sides of the
 * call and the read is taken again when they lie more than 1 ms apart, so
 * the value is the offset within -1..+1 (the kernel's millisecond lies
 * between the two reads; 6.7 and later clear the lowest bit of a millisecond
 * value, include/net/tcp.h tcp_clock_ts()). */
static void observe_tsoffset(struct player *p, const struct step *st)
{
	const struct step_observe *o = &st->observe;
	struct sockent *se = held(p, st, "getsockopt");
	uint32_t ts = 0;
	int64_t before = 0, after;
	int tries;

	if (!se)
		return;
	for (tries = 0; tries < 16; tries++) {
		socklen_t len = sizeof(ts);

		before = (int64_t)clock_ms(); /* whole ms, as the kernel's tcp_time_stamp_raw() */
		if (getsockopt(se->fd, IPPROTO_TCP, TCP_TIMESTAMP, &ts, &len) < 0) {
			struct err e2;

			err_sys(&e2, "getsockopt(%s, TCP_TIMESTAMP)", o->sock);
			observe_error(p, st, "getsockopt", &e2);
			return;
		}
		after = (int64_t)clock_ms();
		if (after - before <= 1)
			break;
	}
	if (tries == 16) {
		struct err e2;

		err_set(&e2, ERR_SYSTEM,
		        "getsockopt(%s, TCP_TIMESTAMP): the monotonic clock moved more than 1 ms "
		        "across the call 16 times",
		        o->sock);
		observe_error(p, st, "getsockopt", &e2);
		return;
	}
	observe(p, st, json_integer((json_int_t)(int32_t)(ts - (uint32_t)before)), "getsockopt");
}

/* error: getsockopt(SO_ERROR), the error a reset or a timeout left on the
 * socket (its errno name, null when none), which the call takes
 * (net/core/sock.c sock_getsockopt(): sock_error(), an xchg to 0): a later
 * call on the socket no longer sees it. */
static void observe_soerror(struct player *p, const struct step *st)
{
	const struct step_observe *o = &st->observe;
	struct sockent *se = held(p, st, "getsockopt");
	socklen_t len;
	int v = 0;

	if (!se)
		return;
	len = sizeof(v);
	if (getsockopt(se->fd, SOL_SOCKET, SO_ERROR, &v, &len) < 0) {
		struct err e2;

		err_sys(&e2, "getsockopt(%s, SO_ERROR)", o->sock);
		observe_error(p, st, "getsockopt", &e2);
		return;
	}
	observe(p, st, v ? json_string(err_errno_name(v)) : json_null(), "getsockopt");
}

/* wakeups: what a watched socket was woken for since the watch or the last
 * look (edge-triggered: one report however many wake-ups), as epoll names
 * it ("IN", "IN OUT", ...), or "none". */
static void observe_wakeups(struct player *p, const struct step *st)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} names[] = {{EPOLLIN, "IN"},       {EPOLLPRI, "PRI"}, {EPOLLOUT, "OUT"},
	             {EPOLLRDHUP, "RDHUP"}, {EPOLLERR, "ERR"}, {EPOLLHUP, "HUP"}};
	struct sockent *se = held(p, st, "epoll");
	struct epoll_event ev;
	char buf[64] = "";
	int n;

	if (!se)
		return;
	if (se->epfd < 0) {
		struct err e2;

		err_set(&e2, ERR_SYSTEM, "%s has no watch: its watch step failed",
		        st->observe.sock);
		observe_error(p, st, "epoll", &e2);
		return;
	}
	n = epoll_wait(se->epfd, &ev, 1, 0);
	if (n < 0) {
		struct err e2;

		err_sys(&e2, "epoll_wait(%s)", st->observe.sock);
		observe_error(p, st, "epoll", &e2);
		return;
	}
	for (size_t i = 0; n == 1 && i < sizeof(names) / sizeof(names[0]); i++)
		if (ev.events & names[i].bit)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
			         buf[0] ? " " : "", names[i].name);
	observe(p, st, json_string(buf[0] ? buf : "none"), "epoll");
}

/* sigio: the bands of the signals a `watch S sigio` socket was sent since
 * the watch or the last look, in order ("HUP IN"), or "none". */
static void observe_sigio(struct player *p, const struct step *st)
{
	struct sockent *se = held(p, st, "sigio");
	char buf[SOCKET_BANDS_MAX * 4 + 16];
	struct err e2;

	if (!se)
		return;
	if (sigio_collect(&p->socks, &e2) < 0) {
		observe_error(p, st, "sigio", &e2);
		return;
	}
	sigio_take(se, buf, sizeof(buf));
	observe(p, st, json_string(buf), "sigio");
}

/* sockopt NAME: getsockopt(2) of an int option of a held socket */
static void observe_sockopt(struct player *p, const struct step *st)
{
	struct sockent *se = held(p, st, "getsockopt");
	socklen_t len = sizeof(int);
	int level, opt, v = 0;

	if (!se)
		return;
	if (sockopt_int_option(st->observe.field, &level, &opt) < 0 ||
	    getsockopt(se->fd, level, opt, &v, &len) < 0) {
		struct err e2;

		err_sys(&e2, "getsockopt(%s, %s)", st->observe.sock, st->observe.field);
		observe_error(p, st, "getsockopt", &e2);
		return;
	}
	observe(p, st, json_integer(v), "getsockopt");
}

/* diag STATE: the sockets in it, or the first one's timer */
static void observe_diag(struct player *p, const struct step *st)
{
	const struct step_observe *o = &st->observe;
	struct diag_result r;
	struct err e2;
	int q = diag_query(player_end(p, st->side)->nsfd, p->family == 4 ? AF_INET : AF_INET6,
	                   o->state, o->port, &r, &e2);

	if (q == DIAG_ABSENT) {
		observe_skip(p, st, "inet_diag", e2.msg);
		return;
	}
	if (q < 0) {
		observe_error(p, st, "inet_diag", &e2);
		return;
	}
	if (o->obs == OB_DIAG_COUNT)
		observe(p, st, json_integer(r.count), "inet_diag");
	else if (o->obs == OB_DIAG_PEERPORT)
		observe(p, st, r.peer_port < 0 ? json_null() : json_integer(r.peer_port),
		        "inet_diag");
	else
		observe(p, st, r.timer_ms < 0 ? json_null() : json_integer(r.timer_ms),
		        "inet_diag");
}

/* counter MIB.Name: its change since the start, or since a mark */
static void observe_counter(struct player *p, const struct step *st)
{
	const struct step_observe *o = &st->observe;
	struct counters now;
	struct err e2;
	char why[300];
	int64_t a, b;

	if (counters_read(player_end(p, st->side)->nsfd, &now, &e2) < 0) {
		observe_error(p, st, "counters", &e2);
		return;
	}
	if (counters_get(&p->before[st->side], o->field, &a) < 0 ||
	    counters_get(&now, o->field, &b) < 0) {
		snprintf(why, sizeof(why), "this kernel has no counter %s", o->field);
		observe_skip(p, st, "counters", why);
	} else if (o->since_step >= 0 &&
	           counters_get(&p->marks[2 * o->since_step + st->side], o->field, &a) < 0) {
		/* The mark's step did not run in this variant (a when). */
		snprintf(why, sizeof(why), "the mark %s did not run in this variant",
		         p->sc->steps[o->since_step].mark.name);
		observe_skip(p, st, "counters", why);
	} else {
		observe(p, st, json_integer(b - a), "counters");
	}
	counters_free(&now);
}

/* A field that answers the other side's SYN (an ACK number, a TSecr) as a
 * number relative to that SYN's (ISN, TSval), modulo 2^32; as sent when the
 * wire saw no such SYN (@has_base false); null when the segment carries no
 * valid field (@valid false). */
static json_t *peer_relative(bool valid, uint32_t v, bool has_base, uint32_t base)
{
	return valid ? json_integer((json_int_t)(uint32_t)(v - (has_base ? base : 0)))
	             : json_null();
}

/* wire count|flags|times|seqs|acks|age|opts|tsvals|tsecrs|wins|tos|ttls|flowlabels MATCH
 * [since MARK] */
static void observe_wire(struct player *p, const struct step *st)
{
	const struct step_observe *o = &st->observe;
	struct wire_hit hits[512];
	unsigned after = o->since_step >= 0 ? p->mark_frames[o->since_step] : 0;
	size_t n, k, shown;

	/* What reached the wire before this line, also when the forwarder
	 * lags behind under load. */
	if (wire_sync(p->w, WIRE_SYNC_MS) < 0) {
		struct err e;

		err_set(&e, ERR_ENV, "the wire's forwarder did not take in its frames within %d ms",
		        WIRE_SYNC_MS);
		observe_error(p, st, "wire", &e);
		return;
	}
	if (o->obs == OB_WIRE_AGE) {
		struct timespec last, now;

		/* since the kernel stamped the frame (SO_TIMESTAMPNS: realtime) */
		clock_gettime(CLOCK_REALTIME, &now);
		observe(p, st,
		        wire_last_ts(p->w, &o->match, after, &last)
		            ? json_real((ts_sec(now) - ts_sec(last)) * 1e3)
		            : json_null(),
		        "wire");
		return;
	}
	n = wire_collect(p->w, &o->match, after, hits, 512);
	shown = n < 512 ? n : 512;

	if (o->obs == OB_WIRE_COUNT) {
		observe(p, st, json_integer((json_int_t)n), "wire");
	} else if (o->obs == OB_WIRE_FLAGS) {
		char seq[4096] = "";

		for (k = 0; k < shown; k++) {
			char f[16];
			size_t len = strlen(seq);

			frame_flags_str(hits[k].flags, f, sizeof(f));
			snprintf(seq + len, sizeof(seq) - len, "%s%s%s", k ? " " : "",
			         o->match.dir == DIR_ANY ? dir_name(hits[k].dir) : "",
			         o->match.dir == DIR_ANY ? ":" : "");
			len = strlen(seq);
			snprintf(seq + len, sizeof(seq) - len, "%s", f);
		}
		observe(p, st, json_string(seq), "wire");
	} else if (o->obs == OB_WIRE_SEQS) {
		json_t *arr = json_array();

		/* Each minus the first's, modulo 2^32 (sequence number
		 * arithmetic, RFC 9293 3.4): 0 for the first. */
		for (k = 0; k < shown; k++)
			json_array_append_new(
			    arr, json_integer((json_int_t)(uint32_t)(hits[k].seq - hits[0].seq)));
		observe(p, st, arr, "wire");
	} else if (o->obs == OB_WIRE_TSVALS) {
		json_t *arr = json_array();
		int first = -1;

		/* RFC 7323 TSvals, each minus that of the first segment that has
		 * one (modulo 2^32, as the clock wraps); null without the option. */
		for (k = 0; k < shown; k++) {
			if (hits[k].has_ts && first < 0)
				first = (int)k;
			json_array_append_new(
			    arr, !hits[k].has_ts
			             ? json_null()
			             : json_integer((json_int_t)(uint32_t)(hits[k].tsval -
			                                                   hits[first].tsval)));
		}
		observe(p, st, arr, "wire");
	} else if (o->obs == OB_WIRE_TSECRS) {
		json_t *arr = json_array();

		/* RFC 7323 TSecrs, each minus the TSval of the other side's SYN
		 * on these ports (0: that SYN's TSval echoed; modulo 2^32), as
		 * sent when the wire saw no such SYN with the option; null for a
		 * segment without the option.  A segment without ACK too: 3.2
		 * makes its TSecr meaningless, but Linux fills a SYN's with the
		 * TIME_WAIT's TS.Recent when it takes one over. */
		for (k = 0; k < shown; k++)
			json_array_append_new(arr, peer_relative(hits[k].has_ts, hits[k].tsecr,
			                                         hits[k].has_peer_syn_ts,
			                                         hits[k].peer_syn_tsval));
		observe(p, st, arr, "wire");
	} else if (o->obs == OB_WIRE_WINS) {
		json_t *arr = json_array();

		/* The 16-bit window field as sent: RFC 7323 2.3 scales it only
		 * after the handshake, and never in a SYN. */
		for (k = 0; k < shown; k++)
			json_array_append_new(arr, json_integer(hits[k].win));
		observe(p, st, arr, "wire");
	} else if (o->obs == OB_WIRE_TOS || o->obs == OB_WIRE_TTLS ||
	           o->obs == OB_WIRE_FLOWLABELS) {
		json_t *arr = json_array();

		/* IP header fields as sent: the TOS byte (IPv4) or Traffic Class
		 * (IPv6), DSCP and ECN together; the TTL or Hop Limit; the IPv6
		 * Flow Label, null over IPv4, which has none. */
		for (k = 0; k < shown; k++)
			json_array_append_new(
			    arr, o->obs == OB_WIRE_TOS    ? json_integer(hits[k].tos)
			         : o->obs == OB_WIRE_TTLS ? json_integer(hits[k].ttl)
			         : hits[k].v6 ? json_integer((json_int_t)hits[k].flowlabel)
			                      : json_null());
		observe(p, st, arr, "wire");
	} else if (o->obs == OB_WIRE_OPTS) {
		json_t *arr = json_array();

		/* One string per segment: its options' names in order, padding
		 * left out ("mss sackOK TS wscale"); "none" for none, and "bad"
		 * after what could be read of a malformed list. */
		for (k = 0; k < shown; k++) {
			char s[FRAME_OPTS_STR];

			frame_opts_str(hits[k].opts, hits[k].nopts, hits[k].opts_bad, s, sizeof(s));
			json_array_append_new(arr, json_string(s));
		}
		observe(p, st, arr, "wire");
	} else if (o->obs == OB_WIRE_ACKS) {
		json_t *arr = json_array();

		/* As tcpdump prints them: minus the ISN of the other direction
		 * (1: its SYN acknowledged); as sent when the wire saw no SYN of
		 * that side; null for a segment without ACK. */
		for (k = 0; k < shown; k++)
			json_array_append_new(arr, peer_relative(hits[k].flags & TCPF_ACK,
			                                         hits[k].ack, hits[k].has_peer_isn,
			                                         hits[k].peer_isn));
		observe(p, st, arr, "wire");
	} else {
		json_t *arr = json_array();

		for (k = 0; k < shown; k++)
			json_array_append_new(
			    arr, json_real((ts_sec(hits[k].ts) - ts_sec(hits[0].ts)) * 1e3));
		observe(p, st, arr, "wire");
	}
}

/* sysctl KEY as the side's namespace has it */
/* sockstat inuse|tw: the TCP sockets of the variant's family hashed in the
 * side's namespace (sockstat's "TCP: inuse", sockstat6's "TCP6: inuse"), or
 * its timewait sockets ("tw"); a value, not a change. */
static void observe_sockstat(struct player *p, const struct step *st)
{
	struct sockstat s;
	struct err e2;

	if (sockstat_read(player_end(p, st->side)->nsfd, p->family, &s, &e2) < 0) {
		observe_error(p, st, "sockstat", &e2);
		return;
	}
	observe(p, st, json_integer(strcmp(st->observe.field, "tw") == 0 ? s.tw : s.inuse),
	        "sockstat");
}

static void observe_sysctl(struct player *p, const struct step *st)
{
	char v[SYSCTL_VALUE_MAX];
	struct err e2;
	int r = sysctl_read(player_end(p, st->side)->nsfd, st->observe.field, v, sizeof(v), &e2);

	if (r < 0)
		observe_error(p, st, "sysctl", &e2);
	else
		observe(p, st, json_string(r == SYSCTL_ABSENT ? "absent" : v), "sysctl");
}

int observe_run(struct player *p, const struct step *st, long *ret, int *err)
{
	(void)ret;
	(void)err;
	switch (st->observe.obs) {
	case OB_STATE:
	case OB_TCPINFO:
		observe_tcp_info(p, st);
		break;
	case OB_DIAG_COUNT:
	case OB_DIAG_TIMER:
	case OB_DIAG_PEERPORT:
		observe_diag(p, st);
		break;
	case OB_COUNTER:
		observe_counter(p, st);
		break;
	case OB_WIRE_COUNT:
	case OB_WIRE_FLAGS:
	case OB_WIRE_TIMES:
	case OB_WIRE_SEQS:
	case OB_WIRE_ACKS:
	case OB_WIRE_AGE:
	case OB_WIRE_OPTS:
	case OB_WIRE_TSVALS:
	case OB_WIRE_TSECRS:
	case OB_WIRE_WINS:
	case OB_WIRE_TOS:
	case OB_WIRE_TTLS:
	case OB_WIRE_FLOWLABELS:
		observe_wire(p, st);
		break;
	case OB_STATES:
	case OB_RESETS:
	case OB_RETRANS:
		observe_trace(p, st);
		break;
	case OB_SYSCTL:
		observe_sysctl(p, st);
		break;
	case OB_SOCKNAME:
		observe_sockname(p, st);
		break;
	case OB_SAVEDSYN:
		observe_saved_syn(p, st);
		break;
	case OB_TSOFFSET:
		observe_tsoffset(p, st);
		break;
	case OB_SOCKSTAT:
		observe_sockstat(p, st);
		break;
	case OB_SOERROR:
		observe_soerror(p, st);
		break;
	case OB_WAKEUPS:
		observe_wakeups(p, st);
		break;
	case OB_SIGIO:
		observe_sigio(p, st);
		break;
	case OB_SOCKOPT:
		observe_sockopt(p, st);
		break;
	}
	return STEP_LOGGED;
}
