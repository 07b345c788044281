// SPDX-License-Identifier: GPL-2.0-only
/* play.c - run one scenario variant and record what happened. */
#include "run/play.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "base/afile.h"
#include "host/addrblock.h"
#include "host/counters.h"
#include "host/diag.h"
#include "host/netns.h"
#include "host/sysctl.h"
#include "host/topology.h"
#include "host/tracer.h"
#include "model/checksum.h"
#include "wire/trace.h"
#include "wire/wire.h"

#define MAX_SOCKS 128

struct sockent {
	enum side side;
	char name[SC_NAME_MAX];
	int fd;
	/* Its 4-tuple as last known, kept after close for the tracepoints. */
	bool have_local, have_peer;
	struct sockaddr_storage local, peer;
};

struct player {
	const struct scenario *sc;
	int family;
	unsigned axes[SC_MAX_AXES];
	struct addrblock block;
	struct topology t;
	bool built;
	struct wire *w;
	struct sockent socks[MAX_SOCKS];
	int nsocks;
	struct counters before[2];
	struct counters *marks; /* per step, per side: the counters at a mark */
	json_t *obs, *steps, *sysctls, *frames;
	FILE *log; /* log.txt: the caller's, or own_log's */
	struct afile own_log;
	bool has_own_log;
	double t0;      /* ms, monotonic */
	double step_ms; /* time spent inside steps */
	struct err *e;
	char obs_error[512]; /* the first observation that failed, for the summary */
	struct tracer tr;
	double mono_start; /* s, CLOCK_MONOTONIC (the trace clock): the run's
	                    * shared buffer holds earlier variants' events,
	                    * maybe from this same address block */
};

static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

__attribute__((format(printf, 2, 3))) static void plog(struct player *p, const char *fmt, ...)
{
	va_list ap;

	if (!p->log)
		return;
	fprintf(p->log, "%10.6f ", (mono_ms() - p->t0) / 1e3);
	va_start(ap, fmt);
	vfprintf(p->log, fmt, ap);
	va_end(ap);
	fputc('\n', p->log);
	fflush(p->log);
}

static const struct topo_end *end_of(struct player *p, enum side s)
{
	return s == SIDE_CLIENT ? &p->t.client : &p->t.server;
}

static const struct topo_end *peer_of(struct player *p, enum side s)
{
	return s == SIDE_CLIENT ? &p->t.server : &p->t.client;
}

static socklen_t addr_of(struct player *p, const struct topo_end *end, int port,
                         struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (p->family == 4) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		s4->sin_addr = end->ip4;
		return sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		s6->sin6_addr = end->ip6;
		return sizeof(*s6);
	}
}

/* ---- sockets by name -------------------------------------------------------- */

static struct sockent *sock_find(struct player *p, enum side s, const char *name)
{
	int i;

	for (i = 0; i < p->nsocks; i++)
		if (p->socks[i].side == s && strcmp(p->socks[i].name, name) == 0 &&
		    p->socks[i].fd >= 0)
			return &p->socks[i];
	return NULL;
}

/* The latest socket of that name, open or closed. */
static struct sockent *sock_find_any(struct player *p, enum side s, const char *name)
{
	int i;

	for (i = p->nsocks; i-- > 0;)
		if (p->socks[i].side == s && strcmp(p->socks[i].name, name) == 0)
			return &p->socks[i];
	return NULL;
}

/* Remember where the socket is bound and connected to. */
static void note_tuple(struct player *p, const struct step *st, const struct sockaddr_storage *to)
{
	struct sockent *se = sock_find(p, st->side, st->call.sock);
	socklen_t len = sizeof(se->local);

	if (!se)
		return;
	if (getsockname(se->fd, (struct sockaddr *)&se->local, &len) == 0)
		se->have_local = true;
	len = sizeof(se->peer);
	if (getpeername(se->fd, (struct sockaddr *)&se->peer, &len) == 0)
		se->have_peer = true;
	else if (to) {
		se->peer = *to;
		se->have_peer = true;
	}
}

static struct sockent *sock_put(struct player *p, enum side s, const char *name, int fd)
{
	struct sockent *se = sock_find(p, s, name);

	if (se) {
		close(se->fd);
		se->fd = fd;
		return se;
	}
	if (p->nsocks == MAX_SOCKS)
		return NULL;
	se = &p->socks[p->nsocks++];
	memset(se, 0, sizeof(*se));
	se->side = s;
	snprintf(se->name, sizeof(se->name), "%s", name);
	se->fd = fd;
	return se;
}

/* The socket a step names, made on first use (socket, bind, listen, connect). */
static int sock_get(struct player *p, const struct step *st, int *fd)
{
	struct sockent *se = sock_find(p, st->side, st->call.sock);

	if (se) {
		*fd = se->fd;
		return 0;
	}
	*fd = netns_socket(end_of(p, st->side)->nsfd, p->family == 4 ? AF_INET : AF_INET6,
	                   SOCK_STREAM, 0, p->e);
	if (*fd < 0)
		return -1;
	if (!sock_put(p, st->side, st->call.sock, *fd)) {
		close(*fd);
		return err_set(p->e, ERR_INPUT, "too many sockets");
	}
	return 0;
}

/* ---- step results ----------------------------------------------------------- */

static const char *errno_name(int e)
{
	static const struct {
		int e;
		const char *n;
	} names[] = {
	    {EPERM, "EPERM"},
	    {ENOENT, "ENOENT"},
	    {EINTR, "EINTR"},
	    {EBADF, "EBADF"},
	    {EAGAIN, "EAGAIN"},
	    {EACCES, "EACCES"},
	    {EINVAL, "EINVAL"},
	    {EPIPE, "EPIPE"},
	    {ENOPROTOOPT, "ENOPROTOOPT"},
	    {EOPNOTSUPP, "EOPNOTSUPP"},
	    {EADDRINUSE, "EADDRINUSE"},
	    {EADDRNOTAVAIL, "EADDRNOTAVAIL"},
	    {ENETUNREACH, "ENETUNREACH"},
	    {ECONNABORTED, "ECONNABORTED"},
	    {ECONNRESET, "ECONNRESET"},
	    {ENOBUFS, "ENOBUFS"},
	    {EISCONN, "EISCONN"},
	    {ENOTCONN, "ENOTCONN"},
	    {ETIMEDOUT, "ETIMEDOUT"},
	    {ECONNREFUSED, "ECONNREFUSED"},
	    {EHOSTUNREACH, "EHOSTUNREACH"},
	    {EALREADY, "EALREADY"},
	    {EINPROGRESS, "EINPROGRESS"},
	    {EMSGSIZE, "EMSGSIZE"},
	    {ENOTSOCK, "ENOTSOCK"},
	    {EPROTONOSUPPORT, "EPROTONOSUPPORT"},
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].n;
	return "E?";
}

static void record_step(struct player *p, const struct step *st, long ret, int err, double ms)
{
	json_t *j = json_object();

	json_object_set_new(j, "line", json_integer(st->line));
	json_object_set_new(j, "step", json_string(st->src));
	json_object_set_new(j, "ret", json_integer(ret));
	json_object_set_new(j, "errno",
	                    ret < 0 && err ? json_string(errno_name(err)) : json_null());
	json_object_set_new(j, "ms", json_real(ms));
	json_array_append(p->steps, j);
	if (st->as[0]) {
		json_t *o = json_object();

		json_object_set_new(o, "source", json_string("syscall"));
		json_object_set_new(o, "line", json_integer(st->line));
		json_object_set(o, "value", j);
		json_object_set_new(p->obs, st->as, o);
	}
	json_decref(j);
	if (ret < 0 && err)
		plog(p, "line %u: %s -> %ld %s (%.3f ms)", st->line, st->src, ret, errno_name(err),
		     ms);
	else
		plog(p, "line %u: %s -> %ld (%.3f ms)", st->line, st->src, ret, ms);
}

/* ---- observations ----------------------------------------------------------- */

static void observe(struct player *p, const struct step *st, json_t *value, const char *source)
{
	json_t *o = json_object();

	json_object_set_new(o, "source", json_string(source));
	json_object_set_new(o, "line", json_integer(st->line));
	json_object_set_new(o, "value", value);
	json_object_set_new(p->obs, st->as, o);
	{
		char *txt = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);

		plog(p, "line %u: observe %s = %s", st->line, st->as, txt ? txt : "?");
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
	json_object_set_new(o, "value", json_null());
	json_object_set_new(o, "skip", json_string(why));
	json_object_set_new(p->obs, st->as, o);
	plog(p, "line %u: observe %s skipped: %s", st->line, st->as, why);
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
	json_object_set_new(o, "value", json_null());
	json_object_set_new(o, "error", json_string(msg));
	json_object_set_new(o, "errno",
	                    e->errnum ? json_string(err_errno_name(e->errnum)) : json_null());
	json_object_set_new(p->obs, st->as, o);
	if (!p->obs_error[0])
		snprintf(p->obs_error, sizeof(p->obs_error), "%.60s: %.440s", st->as, msg);
	plog(p, "line %u: observe %s failed: %s", st->line, st->as, msg);
}

/* 0, 1 when the socket is closed (the case closed it, or never had it), or
 * -1 when getsockopt(2) failed (errno set). */
static int tcp_info_of(struct player *p, enum side side, const char *sock, struct tcp_info *ti)
{
	struct sockent *se = sock_find(p, side, sock);
	socklen_t len = sizeof(*ti);

	memset(ti, 0, sizeof(*ti));
	if (!se)
		return 1;
	return getsockopt(se->fd, IPPROTO_TCP, TCP_INFO, ti, &len);
}

static json_t *tcpinfo_field(const struct tcp_info *ti, const char *f)
{
#define F(name, expr)                                                                              \
	if (strcmp(f, name) == 0)                                                                  \
		return json_integer((json_int_t)(expr));
	F("state", ti->tcpi_state)
	F("retransmits", ti->tcpi_retransmits)
	F("probes", ti->tcpi_probes)
	F("backoff", ti->tcpi_backoff)
	F("rto", ti->tcpi_rto)
	F("ato", ti->tcpi_ato)
	F("snd_mss", ti->tcpi_snd_mss)
	F("rcv_mss", ti->tcpi_rcv_mss)
	F("unacked", ti->tcpi_unacked)
	F("sacked", ti->tcpi_sacked)
	F("lost", ti->tcpi_lost)
	F("retrans", ti->tcpi_retrans)
	F("fackets", ti->tcpi_fackets)
	F("rtt", ti->tcpi_rtt)
	F("rttvar", ti->tcpi_rttvar)
	F("snd_ssthresh", ti->tcpi_snd_ssthresh)
	F("snd_cwnd", ti->tcpi_snd_cwnd)
	F("total_retrans", ti->tcpi_total_retrans)
	F("last_data_recv", ti->tcpi_last_data_recv)
	F("pmtu", ti->tcpi_pmtu)
	F("options", ti->tcpi_options)
	F("snd_wscale", ti->tcpi_snd_wscale)
	F("rcv_wscale", ti->tcpi_rcv_wscale)
#undef F
	return json_null();
}

static double ts_s(struct timespec t)
{
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
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

/* The state timeline of one socket, from inet_sock_set_state events: its
 * own 4-tuple, plus the SYN_SENT event just before, which the kernel emits
 * before it has picked the local port (sport 0). */
static json_t *timeline(struct player *p, const struct sockent *se, struct trace_event *ev,
                        size_t n, const uint8_t *myip)
{
	int fam = p->family == 4 ? AF_INET : AF_INET6;
	uint8_t la[16], pa[16];
	uint16_t lp, pp = 0;
	char out[1024] = "";
	size_t k, first = n;
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
	for (k = 0; k < n; k++) {
		struct trace_event *e = &ev[k];
		bool mine;

		if (e->kind != TE_STATE || e->family != fam)
			continue;
		mine = e->sport == lp && same_addr(fam, e->saddr, la) && e->dport == pp &&
		       (!pp || same_addr(fam, e->daddr, pa));
		if (!mine && e->sport == 0 && e->newstate == TCP_SYN_SENT && pp && e->dport == pp &&
		    same_addr(fam, e->daddr, pa) && same_addr(fam, e->saddr, la)) {
			/* Ours if the next event of this tuple is ours too. */
			size_t j;

			for (j = k + 1; j < n; j++) {
				if (ev[j].kind != TE_STATE || ev[j].family != fam ||
				    ev[j].dport != pp || !same_addr(fam, ev[j].daddr, pa))
					continue;
				mine = ev[j].sport == lp;
				break;
			}
		}
		if (!mine)
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

static int observe_trace(struct player *p, const struct step *st)
{
	struct trace_event *ev = NULL;
	char *text;
	size_t n;

	if (!p->tr.active) {
		observe_skip(p, st, "tracepoints", p->tr.unavailable);
		return 0;
	}
	if (tracer_missing(&p->tr, trace_need(st))) {
		char why[160];

		snprintf(why, sizeof(why), "this kernel has no tracepoint %s",
		         tracer_missing(&p->tr, trace_need(st)));
		observe_skip(p, st, "tracepoints", why);
		return 0;
	}
	text = tracer_read(&p->tr);
	if (!text) {
		struct err e2;

		err_sys(&e2, "reading the tracefs instance %s", p->tr.dir);
		observe_error(p, st, "tracepoints", &e2);
		return 0;
	}
	n = tracer_parse(text, &ev);
	free(text);
	n = since(ev, n, p->mono_start);
	if (st->observe.obs == OB_STATES) {
		struct sockent *se = sock_find_any(p, st->side, st->observe.sock);

		if (!se || !se->have_local)
			observe_skip(p, st, "tracepoints",
			             "the socket was never bound or connected");
		else
			observe(p, st,
			        timeline(p, se, ev, n,
			                 p->family == 4
			                     ? (const uint8_t *)&end_of(p, st->side)->ip4
			                     : (const uint8_t *)&end_of(p, st->side)->ip6),
			        "tracepoints");
	} else {
		const struct topo_end *me = end_of(p, st->side);
		int fam = p->family == 4 ? AF_INET : AF_INET6;
		const uint8_t *mine =
		    fam == AF_INET ? (const uint8_t *)&me->ip4 : (const uint8_t *)&me->ip6;
		enum trace_kind want;

		if (st->observe.obs == OB_RETRANS)
			want = strcmp(st->observe.field, "synack") == 0 ? TE_RETRANS_SYNACK
			                                                : TE_RETRANS;
		else
			want =
			    strcmp(st->observe.field, "sent") == 0 ? TE_SEND_RESET : TE_RECV_RESET;
		size_t k, count = 0;

		for (k = 0; k < n; k++)
			if (ev[k].kind == want && ev[k].family == fam &&
			    same_addr(fam, ev[k].saddr, mine))
				count++;
		observe(p, st, json_integer((json_int_t)count), "tracepoints");
	}
	free(ev);
	return 0;
}

static int do_observe(struct player *p, const struct step *st)
{
	char why[300];

	switch (st->observe.obs) {
	case OB_STATE:
	case OB_TCPINFO: {
		struct tcp_info ti;
		int r = tcp_info_of(p, st->side, st->observe.sock, &ti);

		if (r > 0) {
			snprintf(why, sizeof(why), "socket %s is closed", st->observe.sock);
			observe_skip(p, st, "tcp_info", why);
			return 0;
		}
		if (r < 0) {
			struct err e2;

			err_sys(&e2, "getsockopt(%s, TCP_INFO)", st->observe.sock);
			observe_error(p, st, "tcp_info", &e2);
			return 0;
		}
		if (st->observe.obs == OB_STATE)
			observe(p, st, json_string(tcp_state_name(ti.tcpi_state)), "tcp_info");
		else
			observe(p, st, tcpinfo_field(&ti, st->observe.field), "tcp_info");
		return 0;
	}
	case OB_DIAG_COUNT:
	case OB_DIAG_TIMER: {
		struct diag_result r;
		struct err e2;
		int q = diag_query(end_of(p, st->side)->nsfd, p->family == 4 ? AF_INET : AF_INET6,
		                   st->observe.state, st->observe.port, &r, &e2);

		if (q == DIAG_ABSENT) {
			observe_skip(p, st, "inet_diag", e2.msg);
			return 0;
		}
		if (q < 0) {
			observe_error(p, st, "inet_diag", &e2);
			return 0;
		}
		if (st->observe.obs == OB_DIAG_COUNT)
			observe(p, st, json_integer(r.count), "inet_diag");
		else
			observe(p, st, r.timer_ms < 0 ? json_null() : json_integer(r.timer_ms),
			        "inet_diag");
		return 0;
	}
	case OB_COUNTER: {
		struct counters now;
		struct err e2;
		int64_t a, b;

		if (counters_read(end_of(p, st->side)->nsfd, &now, &e2) < 0) {
			observe_error(p, st, "counters", &e2);
			return 0;
		}
		if (counters_get(&p->before[st->side], st->observe.field, &a) < 0 ||
		    counters_get(&now, st->observe.field, &b) < 0) {
			snprintf(why, sizeof(why), "this kernel has no counter %s",
			         st->observe.field);
			observe_skip(p, st, "counters", why);
		} else if (st->observe.since_step >= 0 &&
		           counters_get(&p->marks[2 * st->observe.since_step + st->side],
		                        st->observe.field, &a) < 0) {
			/* The mark's step did not run in this variant (a when). */
			snprintf(why, sizeof(why), "the mark %s did not run in this variant",
			         p->sc->steps[st->observe.since_step].mark.name);
			observe_skip(p, st, "counters", why);
		} else {
			observe(p, st, json_integer(b - a), "counters");
		}
		counters_free(&now);
		return 0;
	}
	case OB_WIRE_COUNT:
	case OB_WIRE_FLAGS:
	case OB_WIRE_TIMES: {
		struct wire_hit hits[512];
		size_t n = wire_collect(p->w, &st->observe.match, hits, 512), k,
		       shown = n < 512 ? n : 512;

		if (st->observe.obs == OB_WIRE_COUNT) {
			observe(p, st, json_integer((json_int_t)n), "wire");
		} else if (st->observe.obs == OB_WIRE_FLAGS) {
			char seq[4096] = "";

			for (k = 0; k < shown; k++) {
				char f[16];
				size_t len = strlen(seq);

				frame_flags_str(hits[k].flags, f, sizeof(f));
				snprintf(seq + len, sizeof(seq) - len, "%s%s%s", k ? " " : "",
				         st->observe.match.dir == DIR_ANY ? dir_name(hits[k].dir)
				                                          : "",
				         st->observe.match.dir == DIR_ANY ? ":" : "");
				len = strlen(seq);
				snprintf(seq + len, sizeof(seq) - len, "%s", f);
			}
			observe(p, st, json_string(seq), "wire");
		} else {
			json_t *arr = json_array();

			for (k = 0; k < shown; k++)
				json_array_append_new(
				    arr, json_real((ts_s(hits[k].ts) - ts_s(hits[0].ts)) * 1e3));
			observe(p, st, arr, "wire");
		}
		return 0;
	}
	case OB_STATES:
	case OB_RESETS:
	case OB_RETRANS:
		return observe_trace(p, st);
	case OB_SYSCTL: {
		char v[SYSCTL_VALUE_MAX];
		struct err e2;
		int r =
		    sysctl_read(end_of(p, st->side)->nsfd, st->observe.field, v, sizeof(v), &e2);

		if (r < 0)
			observe_error(p, st, "sysctl", &e2);
		else
			observe(p, st, json_string(r == SYSCTL_ABSENT ? "absent" : v), "sysctl");
		return 0;
	}
	}
	return 0;
}

/* ---- steps ---------------------------------------------------------------- */

static int flood(struct player *p, const struct step *st, long *sent, int *err);

static bool step_applies(struct player *p, const struct step *st)
{
	size_t i;

	if (!st->when_var[0])
		return true;
	for (i = 0; i < p->sc->naxes; i++)
		if (strcmp(p->sc->axes[i].name, st->when_var) == 0)
			return strcmp(p->sc->axes[i].values[p->axes[i]], st->when_value) == 0;
	return false;
}

/* "send S N to PEER": send N bytes while the peer's socket reads them, so a
 * transfer may exceed both socket buffers.  Bounded: PUMP_LIMIT_MS without
 * progress ends it with the bytes sent so far (ETIMEDOUT). */
#define PUMP_LIMIT_MS 5000
static long pump(struct player *p, const struct step *st, int fd, const char *buf, int *err)
{
	struct sockent *peer =
	    sock_find(p, st->side == SIDE_CLIENT ? SIDE_SERVER : SIDE_CLIENT, st->call.other);
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

static int wait_state(struct player *p, const struct step *st)
{
	double end = mono_ms() + st->wait.ms;
	struct tcp_info ti;

	for (;;) {
		if (tcp_info_of(p, st->side, st->wait.sock, &ti) == 0 &&
		    ti.tcpi_state == st->wait.state)
			return 0;
		if (mono_ms() >= end)
			return -1;
		usleep(2000);
	}
}

/* Until inet_diag shows exactly st->wait.min_count sockets in st->wait.state. */
static int wait_diag(struct player *p, const struct step *st)
{
	double end = mono_ms() + st->wait.ms;
	struct diag_result r;

	for (;;) {
		/* No tcp_diag on this kernel is an error here too: a wait
		 * cannot be skipped without making the steps after it lie. */
		if (diag_query(end_of(p, st->side)->nsfd, p->family == 4 ? AF_INET : AF_INET6,
		               st->wait.state, st->wait.port, &r, p->e) != 0)
			return -2;
		if (r.count == st->wait.min_count)
			return 0;
		if (mono_ms() >= end)
			return -1;
		usleep(5000);
	}
}

static int run_step(struct player *p, const struct step *st)
{
	struct sockaddr_storage ss;
	socklen_t len;
	double t0 = mono_ms();
	long ret = 0;
	int fd = -1, err = 0;

	switch (st->kind) {
	case ST_SOCKET:
		if (sock_get(p, st, &fd) < 0)
			return -1;
		ret = fd >= 0 ? 0 : -1;
		break;
	case ST_SETSOCKOPT:
		if (sock_get(p, st, &fd) < 0)
			return -1;
		if (st->call.opt.is_linger) {
			struct linger l = {.l_onoff = st->call.opt.value,
			                   .l_linger = st->call.opt.value2};

			ret = setsockopt(fd, st->call.opt.level, st->call.opt.name, &l, sizeof(l));
		} else {
			ret = setsockopt(fd, st->call.opt.level, st->call.opt.name,
			                 &st->call.opt.value, sizeof(st->call.opt.value));
		}
		err = errno;
		break;
	case ST_BIND:
		if (sock_get(p, st, &fd) < 0)
			return -1;
		len = addr_of(p, end_of(p, st->side), st->call.port < 0 ? 0 : st->call.port, &ss);
		ret = bind(fd, (struct sockaddr *)&ss, len);
		err = errno;
		note_tuple(p, st, NULL);
		break;
	case ST_LISTEN:
		if (sock_get(p, st, &fd) < 0)
			return -1;
		if (st->call.port >= 0) {
			len = addr_of(p, end_of(p, st->side), st->call.port, &ss);
			ret = bind(fd, (struct sockaddr *)&ss, len);
			err = errno;
			if (ret < 0)
				break;
		}
		ret = listen(fd, st->call.backlog < 0 ? 128 : st->call.backlog);
		err = errno;
		note_tuple(p, st, NULL);
		break;
	case ST_CONNECT:
		if (sock_get(p, st, &fd) < 0)
			return -1;
		if (st->call.from_port > 0) {
			len = addr_of(p, end_of(p, st->side), st->call.from_port, &ss);
			ret = bind(fd, (struct sockaddr *)&ss, len);
			err = errno;
			if (ret < 0)
				break;
		}
		if (st->call.nonblock)
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		len = addr_of(p, peer_of(p, st->side), st->call.port, &ss);
		ret = connect(fd, (struct sockaddr *)&ss, len);
		err = errno;
		note_tuple(p, st, &ss);
		break;
	case ST_ACCEPT: {
		struct sockent *l = sock_find(p, st->side, st->call.other);

		if (!l)
			return err_set(p->e, ERR_INPUT, "line %u: listener %s is closed", st->line,
			               st->call.other);
		fd = accept4(l->fd, NULL, NULL,
		             SOCK_CLOEXEC | (st->call.nonblock ? SOCK_NONBLOCK : 0));
		err = errno;
		if (st->call.nonblock && fd < 0) {
			/* accept4's flag is for the new socket: poll once instead. */
			fcntl(l->fd, F_SETFL, fcntl(l->fd, F_GETFL) | O_NONBLOCK);
			fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);
			err = errno;
			fcntl(l->fd, F_SETFL, fcntl(l->fd, F_GETFL) & ~O_NONBLOCK);
		}
		/* The harness's own descriptor limit is not the kernel's TCP
		 * behaviour: never an observation. */
		if (fd < 0 && (err == EMFILE || err == ENFILE)) {
			errno = err;
			return err_sys(p->e, "line %u: accept", st->line);
		}
		ret = fd < 0 ? -1 : 0;
		if (fd >= 0 && !sock_put(p, st->side, st->call.sock, fd))
			return err_set(p->e, ERR_INPUT, "too many sockets");
		if (fd >= 0)
			note_tuple(p, st, NULL);
		break;
	}
	case ST_SEND: {
		struct sockent *se = sock_find(p, st->side, st->call.sock);
		char *buf;

		if (!se)
			return err_set(p->e, ERR_INPUT, "line %u: socket %s is closed", st->line,
			               st->call.sock);
		buf = malloc((size_t)st->call.bytes);
		if (!buf)
			return err_set(p->e, ERR_SYSTEM, "out of memory");
		if (st->call.text[0])
			memcpy(buf, st->call.text, (size_t)st->call.bytes);
		else
			fill(buf, st->call.bytes);
		if (st->call.other[0]) {
			ret = pump(p, st, se->fd, buf, &err);
		} else {
			ret = send(se->fd, buf, (size_t)st->call.bytes,
			           MSG_NOSIGNAL | (st->call.nonblock ? MSG_DONTWAIT : 0));
			err = errno;
		}
		free(buf);
		break;
	}
	case ST_RECV: {
		struct sockent *se = sock_find(p, st->side, st->call.sock);
		long want = st->call.bytes > 0 ? st->call.bytes : 65536, got = 0;
		char *buf;

		if (!se)
			return err_set(p->e, ERR_INPUT, "line %u: socket %s is closed", st->line,
			               st->call.sock);
		buf = malloc((size_t)want);
		if (!buf)
			return err_set(p->e, ERR_SYSTEM, "out of memory");
		do {
			ssize_t r = recv(se->fd, buf + got, (size_t)(want - got),
			                 st->call.nonblock ? MSG_DONTWAIT : 0);

			if (r < 0) {
				err = errno;
				ret = got ? got : -1;
				break;
			}
			got += r;
			ret = got;
			if (r == 0)
				break;
		} while (st->call.bytes > 0 && got < want);
		free(buf);
		break;
	}
	case ST_SHUTDOWN: {
		struct sockent *se = sock_find(p, st->side, st->call.sock);

		if (!se)
			return err_set(p->e, ERR_INPUT, "line %u: socket %s is closed", st->line,
			               st->call.sock);
		ret = shutdown(se->fd, st->call.how);
		err = errno;
		break;
	}
	case ST_CLOSE: {
		struct sockent *se = sock_find(p, st->side, st->call.sock);

		if (!se)
			return err_set(p->e, ERR_INPUT, "line %u: socket %s is already closed",
			               st->line, st->call.sock);
		ret = close(se->fd);
		err = errno;
		se->fd = -1;
		break;
	}
	case ST_FLOOD:
		if (flood(p, st, &ret, &err) < 0)
			return -1;
		break;
	case ST_WIRE:
		if (st->wire.remove ? wire_remove(p->w, st->wire.rule_name, p->e) < 0
		                    : wire_add(p->w, &st->wire.rule, NULL, p->e) < 0)
			return err_wrap(p->e, "line %u", st->line);
		plog(p, "line %u: %s", st->line, st->src);
		return 0;
	case ST_WAIT:
		switch (st->wait.until) {
		case WAIT_TIME:
			usleep(st->wait.ms * 1000);
			p->step_ms += mono_ms() - t0; /* the scenario's own time */
			plog(p, "line %u: %s", st->line, st->src);
			return 0;
		case WAIT_STATE:
			ret = wait_state(p, st);
			err = ret < 0 ? ETIMEDOUT : 0;
			break;
		case WAIT_DIAG:
			ret = wait_diag(p, st);
			if (ret == -2)
				return err_wrap(p->e, "line %u", st->line);
			err = ret < 0 ? ETIMEDOUT : 0;
			break;
		case WAIT_WIRE: {
			unsigned n = wire_wait_count(p->w, &st->wait.match, 0, st->wait.min_count,
			                             (int)st->wait.ms);

			ret = n >= st->wait.min_count ? (long)n : -1;
			err = ret < 0 ? ETIMEDOUT : 0;
			break;
		}
		}
		break;
	case ST_MARK: {
		struct counters *m = &p->marks[2 * (size_t)(st - p->sc->steps)];

		/* A mark that cannot be taken makes every count since it wrong:
		 * the variant fails with the error. */
		for (int s = SIDE_CLIENT; s <= SIDE_SERVER; s++)
			if (counters_read(end_of(p, (enum side)s)->nsfd, &m[s], p->e) < 0)
				return err_wrap(p->e, "line %u: mark %s", st->line, st->mark.name);
		plog(p, "line %u: %s", st->line, st->src);
		return 0;
	}
	case ST_OBSERVE:
		return do_observe(p, st);
	case ST_COUNT:
		break;
	}
	p->step_ms += mono_ms() - t0;
	record_step(p, st, ret, err, mono_ms() - t0);
	return 0;
}

/* ---- SYN flood ------------------------------------------------------------ */

#define FLOOD_PORT0 20000 /* below every default ephemeral range (32768-60999) */

/* A SYN from @sport with an MSS option; checksum over the IPv4 pseudo
 * header (IPv6 raw sockets compute it themselves: IPV6_CHECKSUM). */
static size_t craft_syn(struct player *p, uint16_t sport, uint16_t dport, uint8_t *t)
{
	uint32_t seq = 0x10000000u + (uint32_t)sport * 7919u;

	memset(t, 0, 24);
	t[0] = (uint8_t)(sport >> 8);
	t[1] = (uint8_t)sport;
	t[2] = (uint8_t)(dport >> 8);
	t[3] = (uint8_t)dport;
	t[4] = (uint8_t)(seq >> 24);
	t[5] = (uint8_t)(seq >> 16);
	t[6] = (uint8_t)(seq >> 8);
	t[7] = (uint8_t)seq;
	t[12] = 6 << 4; /* 24-byte header */
	t[13] = 0x02;   /* SYN */
	t[14] = 0xfa;   /* window 64240 */
	t[15] = 0xf0;
	t[20] = 2; /* MSS 1460 */
	t[21] = 4;
	t[22] = 0x05;
	t[23] = 0xb4;
	if (p->family == 4) {
		uint16_t c = csum_tcp4((const uint8_t *)&p->t.client.ip4,
		                       (const uint8_t *)&p->t.server.ip4, t, 24);

		t[16] = (uint8_t)(c >> 8);
		t[17] = (uint8_t)c;
	}
	return 24;
}

/* Crafted SYNs from many source ports; the wire drops the SYN-ACKs they
 * draw, so the client's kernel never answers them with RSTs. */
static int flood(struct player *p, const struct step *st, long *sent, int *err)
{
	struct sockaddr_storage ss;
	struct rule drop;
	uint16_t hi = (uint16_t)(FLOOD_PORT0 + st->flood.count - 1);
	double next = mono_ms(), gap = 1000.0 / st->flood.rate;
	socklen_t len;
	unsigned i;
	int fd, off = 16;

	/* drop s>c flags=S. dport=FLOOD_PORT0-hi */
	rule_init(&drop, RULE_DROP);
	drop.m.dir = DIR_S2C;
	drop.m.has_flags = drop.m.flags_exact = true;
	drop.m.flags = TCPF_SYN | TCPF_ACK;
	drop.m.dport = FLOOD_PORT0;
	drop.m.dport_hi = hi;
	/* A count of 45537 to 65536 wraps the last source port (uint16_t)
	 * below FLOOD_PORT0: refused as when the rule was text that rule_parse
	 * read ("flood:LINE:25", the column of the range in that text). */
	if (hi < FLOOD_PORT0)
		return err_at(p->e, "flood", st->line, 25, "port range %d-%u runs backwards",
		              FLOOD_PORT0, hi);
	if (wire_add(p->w, &drop, NULL, p->e) < 0)
		return -1;
	plog(p, "line %u: wire drop s>c flags=S. dport=%d-%u (for the flood)", st->line,
	     FLOOD_PORT0, hi);
	fd = netns_socket(p->t.client.nsfd, p->family == 4 ? AF_INET : AF_INET6, SOCK_RAW,
	                  IPPROTO_TCP, p->e);
	if (fd < 0)
		return err_wrap(p->e, "line %u: flood: a raw socket needs CAP_NET_RAW", st->line);
	if (p->family == 6 && setsockopt(fd, IPPROTO_IPV6, IPV6_CHECKSUM, &off, sizeof(off)) < 0) {
		close(fd);
		return err_sys(p->e, "line %u: flood: IPV6_CHECKSUM", st->line);
	}
	len = addr_of(p, &p->t.server, 0, &ss); /* raw: the port is in our header */
	*sent = 0;
	*err = 0;
	for (i = 0; i < st->flood.count; i++) {
		uint8_t seg[24];
		size_t n = craft_syn(p, (uint16_t)(FLOOD_PORT0 + i), (uint16_t)st->flood.port, seg);
		double now = mono_ms();

		if (now < next)
			usleep((useconds_t)((next - now) * 1000));
		next += gap;
		if (sendto(fd, seg, n, 0, (struct sockaddr *)&ss, len) < 0) {
			*err = errno;
			break;
		}
		(*sent)++;
	}
	close(fd);
	return 0;
}

/* ---- set-up --------------------------------------------------------------- */

struct want_sysctl {
	enum side side;
	const char *key, *value;
};

static int set_sysctls(struct player *p, char *skip, size_t skiplen)
{
	const struct scenario *sc = p->sc;
	json_t *side_obj[2] = {json_object(), json_object()};
	size_t i;
	int s, rc = 0;

	json_object_set_new(p->sysctls, "client", side_obj[0]);
	json_object_set_new(p->sysctls, "server", side_obj[1]);
	for (i = 0; i < sc->nsysctls + sc->naxes + sc->noverrides && rc == 0; i++) {
		struct want_sysctl w;

		if (i < sc->nsysctls) {
			w.side = sc->sysctls[i].side;
			w.key = sc->sysctls[i].key;
			w.value = sc->sysctls[i].value;
		} else if (i >= sc->nsysctls + sc->naxes) {
			/* A sysctl profile's line: last, so it wins. */
			const struct sc_sysctl *o = &sc->overrides[i - sc->nsysctls - sc->naxes];

			w.side = o->side;
			w.key = o->key;
			w.value = o->value;
		} else {
			const struct sc_axis *a = &sc->axes[i - sc->nsysctls];

			if (!a->is_sysctl)
				continue;
			w.side = a->side;
			w.key = a->name;
			w.value = a->values[p->axes[i - sc->nsysctls]];
			/* "default" keeps the kernel's own value (recorded with
			 * the others as read back), so the variant also runs on
			 * kernels that lack the key. */
			if (strcmp(w.value, "default") == 0)
				continue;
		}
		for (s = SIDE_CLIENT; s <= SIDE_SERVER; s++) {
			char rb[SYSCTL_VALUE_MAX];
			int r;

			if (w.side != SIDE_BOTH && (int)w.side != s)
				continue;
			r = sysctl_set(end_of(p, (enum side)s)->nsfd, w.key, w.value, rb,
			               sizeof(rb), p->e);
			if (r == SYSCTL_ABSENT) {
				snprintf(skip, skiplen, "sysctl %s is absent on this kernel",
				         w.key);
				rc = 1;
				break;
			}
			if (r < 0) {
				rc = -1;
				break;
			}
			json_object_set_new(side_obj[s], w.key, json_string(rb));
			plog(p, "%s: %s = %s", side_name((enum side)s), w.key, rb);
		}
	}
	return rc;
}

/* Every TCP sysctl as read back on both sides, so tables can condition on
 * values the case did not set (a new namespace starts from the kernel's
 * defaults, not from the host's). */
static int record_tcp_sysctls(struct player *p)
{
	static const char *const extra[] = {"net.core.somaxconn", "net.ipv4.ip_local_port_range"};
	int s;

	/* Tables choose their rows by these values: one missing for a reason
	 * other than the kernel lacking the key would choose another row. */
	for (s = SIDE_CLIENT; s <= SIDE_SERVER; s++) {
		json_t *obj = json_object_get(p->sysctls, s == SIDE_CLIENT ? "client" : "server");
		char names[256][64];
		size_t n = 0, i;
		struct dirent *de;
		int saved;
		DIR *d;

		if (netns_switch(end_of(p, (enum side)s)->nsfd, &saved, p->e) < 0)
			return err_wrap(p->e, "reading the TCP sysctls");
		d = opendir("/proc/sys/net/ipv4");
		if (!d) {
			err_sys(p->e, "reading the TCP sysctls: opendir /proc/sys/net/ipv4");
			netns_restore(saved);
			return -1;
		}
		errno = 0;
		while ((de = readdir(d)) && n < 256)
			if (strncmp(de->d_name, "tcp_", 4) == 0)
				snprintf(names[n++], sizeof(names[0]), "net.ipv4.%.50s",
				         de->d_name);
		if (!de && errno) {
			err_sys(p->e, "reading the TCP sysctls: readdir /proc/sys/net/ipv4");
			closedir(d);
			netns_restore(saved);
			return -1;
		}
		closedir(d);
		netns_restore(saved);
		for (i = 0; i < n + 2; i++) {
			const char *key = i < n ? names[i] : extra[i - n];
			char v[SYSCTL_VALUE_MAX];
			int r;

			if (json_object_get(obj, key))
				continue;
			r = sysctl_read(end_of(p, (enum side)s)->nsfd, key, v, sizeof(v), p->e);
			if (r < 0)
				return err_wrap(p->e, "reading the TCP sysctls");
			if (r == SYSCTL_OK)
				json_object_set_new(obj, key, json_string(v));
		}
	}
	return 0;
}

static int write_observed(struct player *p, int dirfd, const char *variant, const char *status,
                          const char *reason, double wall_ms, double setup_ms)
{
	json_t *root = json_object();
	struct utsname u;
	struct afile af;
	struct err e2;
	int r;

	uname(&u);
	json_object_set_new(root, "case", json_string(p->sc->name));
	json_object_set_new(root, "variant", json_string(variant));
	json_object_set_new(root, "family", json_integer(p->family));
	json_object_set_new(root, "kernel", json_string(u.release));
	json_object_set_new(root, "status", json_string(status));
	json_object_set_new(root, "reason", reason ? json_string(reason) : json_null());
	json_object_set_new(root, "address_block", json_integer(p->block.index));
	{
		/* Both clocks at one instant: tracepoints use the monotonic clock,
		 * the wire's kernel timestamps the real-time one. */
		struct timespec rt, mt;
		json_t *ck = json_object();

		clock_gettime(CLOCK_REALTIME, &rt);
		clock_gettime(CLOCK_MONOTONIC, &mt);
		json_object_set_new(ck, "realtime",
		                    json_real((double)rt.tv_sec + rt.tv_nsec / 1e9));
		json_object_set_new(ck, "monotonic",
		                    json_real((double)mt.tv_sec + mt.tv_nsec / 1e9));
		json_object_set_new(root, "clocks", ck);
	}
	{
		char a[INET6_ADDRSTRLEN];
		json_t *ad = json_object();

		inet_ntop(AF_INET, &p->t.client.ip4, a, sizeof(a));
		json_object_set_new(ad, "client4", json_string(a));
		inet_ntop(AF_INET, &p->t.server.ip4, a, sizeof(a));
		json_object_set_new(ad, "server4", json_string(a));
		inet_ntop(AF_INET6, &p->t.client.ip6, a, sizeof(a));
		json_object_set_new(ad, "client6", json_string(a));
		inet_ntop(AF_INET6, &p->t.server.ip6, a, sizeof(a));
		json_object_set_new(ad, "server6", json_string(a));
		json_object_set_new(root, "addresses", ad);
	}
	json_object_set(root, "sysctls", p->sysctls);
	{
		json_t *ax = json_object();
		size_t i;

		for (i = 0; i < p->sc->naxes; i++)
			json_object_set_new(ax, p->sc->axes[i].name,
			                    json_string(p->sc->axes[i].values[p->axes[i]]));
		json_object_set_new(root, "axes", ax);
	}
	json_object_set(root, "observations", p->obs);
	json_object_set(root, "steps", p->steps);
	/* A variant whose wire never started has no frames: an empty array,
	 * owned by root alone. */
	json_object_set_new(root, "frames", p->frames ? json_incref(p->frames) : json_array());
	json_object_set_new(root, "wall_ms", json_real(wall_ms));
	json_object_set_new(root, "setup_ms", json_real(setup_ms));
	json_object_set_new(root, "step_ms", json_real(p->step_ms));
	json_object_set_new(root, "overhead_ms", json_real(wall_ms - p->step_ms));
	/* Said on stderr when it fails: the runner only sees that the file is
	 * missing. */
	if (afile_openat(&af, dirfd, "observed.json", NULL, &e2) < 0) {
		json_decref(root);
		err_print(&e2);
		return -1;
	}
	r = json_dumpf(root, af.fp, JSON_INDENT(2) | JSON_SORT_KEYS);
	fputc('\n', af.fp);
	json_decref(root);
	if (r < 0) {
		afile_abort(&af);
		fprintf(stderr, "tcpconform: writing observed.json failed\n");
		return -1;
	}
	r = afile_commit(&af, &e2);
	if (r < 0)
		err_print(&e2);
	return r;
}

/* The wire's frames, for the ladder diagram: time (real-time clock),
 * direction, flags, seq/ack, payload, verdict and when it was sent. */
static json_t *frames_json(struct wire *w)
{
	json_t *arr = json_array();
	const struct wframe *f;
	size_t n, k;

	f = wire_frames(w, &n);
	for (k = 0; k < n; k++) {
		json_t *o = json_object();
		char flags[16], v[200];
		struct timespec t0 = {0, 0};

		frame_flags_str(f[k].fi.flags, flags, sizeof(flags));
		trace_verdict(&f[k], &t0, v, sizeof(v));
		json_object_set_new(o, "no", json_integer(f[k].no));
		json_object_set_new(o, "t", json_real(ts_s(f[k].ts)));
		json_object_set_new(o, "dir", json_string(dir_name(f[k].dir)));
		json_object_set_new(o, "tcp", json_boolean(f[k].fi.kind != FRAME_OTHER));
		json_object_set_new(o, "flags", json_string(flags));
		json_object_set_new(o, "seq", json_integer(f[k].fi.seq));
		json_object_set_new(o, "ack", json_integer(f[k].fi.ack));
		json_object_set_new(o, "len", json_integer(f[k].fi.payload));
		json_object_set_new(o, "sport", json_integer(f[k].fi.sport));
		json_object_set_new(o, "dport", json_integer(f[k].fi.dport));
		json_object_set_new(o, "verdict", json_string(v));
		json_object_set_new(o, "kind", json_integer(f[k].verdict));
		if (f[k].out_ts.tv_sec)
			json_object_set_new(o, "sent_t", json_real(ts_s(f[k].out_ts)));
		json_array_append_new(arr, o);
	}
	return arr;
}

/* events.txt: the tracepoint lines that concern this variant's addresses.
 * -1 (in @e) when the buffer cannot be read or the file written. */
static int write_events(struct player *p, int dirfd, struct err *e)
{
	char *text, *line, *save = NULL, a[4][INET6_ADDRSTRLEN + 2];
	struct afile af;

	if (!p->tr.active)
		return 0;
	text = tracer_read(&p->tr);
	if (!text)
		return err_sys(e, "events.txt: reading the tracefs instance %s", p->tr.dir);
	inet_ntop(AF_INET, &p->t.client.ip4, a[0], INET6_ADDRSTRLEN);
	inet_ntop(AF_INET, &p->t.server.ip4, a[1], INET6_ADDRSTRLEN);
	inet_ntop(AF_INET6, &p->t.client.ip6, a[2], INET6_ADDRSTRLEN);
	inet_ntop(AF_INET6, &p->t.server.ip6, a[3], INET6_ADDRSTRLEN);
	/* "10.128.0.1" must not match "10.128.0.10": end the v4 ones with a
	 * character that follows an address in every event format. */
	if (afile_openat(&af, dirfd, "events.txt", NULL, e) < 0) {
		free(text);
		return -1;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int k;

		if (tracer_line_ts(line) < p->mono_start)
			continue;
		for (k = 0; k < 4; k++) {
			const char *hit = strstr(line, a[k]);

			if (hit && !isdigit((unsigned char)hit[strlen(a[k])])) {
				fprintf(af.fp, "%s\n", line);
				break;
			}
		}
	}
	free(text);
	return afile_commit(&af, e);
}

static void realtime(struct player *p, bool on)
{
	struct sched_param sp = {.sched_priority = on ? 10 : 0};
	int policy = on ? SCHED_FIFO : SCHED_OTHER;

	sched_setscheduler(0, policy, &sp); /* this thread */
	if (p->w)
		wire_set_sched(p->w, policy, sp.sched_priority);
}

int play_variant(const struct scenario *sc, size_t variant, int dirfd, FILE *log,
                 const struct tracer *shared, struct err *e)
{
	struct player *p = calloc(1, sizeof(*p));
	struct topology_opts o = {.shape = TOPO_WIRE};
	struct wire_opts wo = {.keep_payload = true};
	char vname[512], skip[300] = "";
	double setup_ms = 0;
	const char *status = "ran";
	int rc = 0, s;
	size_t i;

	if (!p)
		return err_set(e, ERR_SYSTEM, "out of memory");
	p->sc = sc;
	p->e = e;
	p->block.lockfd = -1;
	p->t0 = mono_ms();
	p->mono_start = p->t0 / 1e3;
	p->obs = json_object();
	p->marks = calloc(2 * sc->nsteps + 2, sizeof(*p->marks));
	p->steps = json_array();
	p->sysctls = json_object();
	scenario_variant(sc, variant, &p->family, p->axes, vname, sizeof(vname));
	p->log = log;
	if (!log) {
		struct err e2;

		p->has_own_log = afile_openat(&p->own_log, dirfd, "log.txt", NULL, &e2) == 0;
		p->log = p->has_own_log ? p->own_log.fp : NULL;
	}
	plog(p, "case %s, variant %s (%s)", sc->name, vname, sc->file);

	if (!p->marks) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto fail;
	}
	if (sc->skip_reason[0]) { /* the kernel lacks an option the case needs */
		snprintf(skip, sizeof(skip), "%s", sc->skip_reason);
		status = "skip";
		plog(p, "skip: %s", skip);
		goto done;
	}
	if (addrblock_acquire(&p->block, e) < 0)
		goto fail;
	o.block = p->block.index;
	if (topology_build(&p->t, &o, e) < 0)
		goto fail;
	p->built = true;
	rc = set_sysctls(p, skip, sizeof(skip));
	if (rc < 0)
		goto fail;
	if (rc > 0) {
		status = "skip";
		plog(p, "skip: %s", skip);
		goto done;
	}
	if (record_tcp_sysctls(p) < 0)
		goto fail;
	if (shared)
		p->tr = *shared;
	else if (tracer_start(&p->tr, e) < 0)
		goto fail;
	if (!p->tr.active)
		plog(p, "tracepoints unavailable: %s", p->tr.unavailable);
	for (s = SIDE_CLIENT; s <= SIDE_SERVER; s++)
		if (counters_read(end_of(p, (enum side)s)->nsfd, &p->before[s], e) < 0)
			goto fail;
	wo.nsfd = p->t.wire_nsfd;
	wo.ifindex_c = p->t.wire_c.ifindex;
	wo.ifindex_s = p->t.wire_s.ifindex;
	if (wire_start(&p->w, &wo, e) < 0)
		goto fail;
	setup_ms = mono_ms() - p->t0;
	plog(p, "set up in %.3f ms (block %u)", setup_ms, p->block.index);

	/* The steps race kernel timers (the 40 ms delayed ACK, for one): run
	 * them, and the wire, at a real-time priority so that a busy machine
	 * does not decide the outcome.  Only the steps: set-up and writing the
	 * results stay ordinary, so parallel variants do not hold the CPU from
	 * each other.  Where not permitted, they run as they are. */
	realtime(p, true);
	for (i = 0; i < sc->nsteps; i++) {
		if (!step_applies(p, &sc->steps[i]))
			continue;
		if (run_step(p, &sc->steps[i]) < 0) {
			realtime(p, false);
			goto fail;
		}
	}
	realtime(p, false);
	goto done;
fail:
	rc = -1;
	status = "error";
	plog(p, "error: %s", e->msg);
done:
	for (i = 0; i < (size_t)p->nsocks; i++)
		if (p->socks[i].fd >= 0)
			close(p->socks[i].fd);
	if (p->w) {
		struct err e2;

		if (wire_stop(p->w, &e2) < 0 || trace_write(p->w, dirfd, &e2) < 0)
			plog(p, "writing traces: %s", e2.msg);
		p->frames = frames_json(p->w);
		if (rc == 0 && wire_errors(p->w, skip, sizeof(skip))) {
			/* The capture or the forwarding failed: the run proves nothing. */
			snprintf(e->msg, sizeof(e->msg), "%s", skip);
			e->kind = ERR_ENV;
			status = "error";
			rc = -1;
			plog(p, "error: %s", skip);
		}
		wire_free(p->w);
	}
	{
		struct err e2;

		if (write_events(p, dirfd, &e2) < 0) {
			plog(p, "error: %s", e2.msg);
			if (rc >= 0) {
				*e = e2;
				status = "error";
				rc = -1;
			}
		}
	}
	if (!shared)
		tracer_stop(&p->tr);
	write_observed(p, dirfd, vname, status,
	               rc < 0                        ? e->msg
	               : strcmp(status, "skip") == 0 ? skip
	               : p->obs_error[0]             ? p->obs_error
	                                             : NULL,
	               mono_ms() - p->t0, setup_ms);
	if (p->built)
		topology_destroy(&p->t);
	addrblock_release(&p->block);
	counters_free(&p->before[0]);
	counters_free(&p->before[1]);
	for (i = 0; p->marks && i < 2 * sc->nsteps; i++)
		counters_free(&p->marks[i]);
	free(p->marks);
	json_decref(p->obs);
	json_decref(p->steps);
	json_decref(p->sysctls);
	json_decref(p->frames);
	if (p->has_own_log) {
		struct err e2;

		afile_commit(&p->own_log, &e2);
	} else if (p->log) {
		fflush(p->log);
	}
	free(p);
	return rc < 0 ? -1 : strcmp(status, "skip") == 0 ? 1 : 0;
}
