// SPDX-License-Identifier: GPL-2.0-only
/*
 * coverage.c - transitions, timers and counters of a set of runs, from what
 * each variant's results hold (coverage.h; the rules are README
 * "Coverage"'s).
 */
#include "model/coverage.h"

#include <arpa/inet.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "base/num.h"
#include "base/text.h"
#include "model/tcp.h"
#include "model/trace_event.h"

/* A timewait socket lives TCP_TIMEWAIT_LEN (60 s): a reuse of its 4-tuple
 * later than that found it gone. */
#define TW_LIFE_S 60.0
/* A reset belongs to a close within this much (s) of it. */
#define RESET_NEAR_S 0.002
/* A FIN that crossed the wire at most this much (s) after a close is taken
 * as having caused it: the clocks of the wire and the tracer are paired
 * from one reading (observed.json "clocks"), to microseconds. */
#define FIN_SLACK_S 0.0005

/* ---- sets of strings ------------------------------------------------------- */

static int set_add(struct cov_set *s, const char *str)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(s->s[mid], str);

		if (!c)
			return 0;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (ARRAY_RESERVE(&s->s, &s->cap, s->n + 1, 8))
		return -1;
	{
		char *d = strdup(str);

		if (!d)
			return -1;
		memmove(s->s + lo + 1, s->s + lo, (s->n - lo) * sizeof(*s->s));
		s->s[lo] = d;
		s->n++;
	}
	return 0;
}

static void set_free(struct cov_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->s[i]);
	free(s->s);
	memset(s, 0, sizeof(*s));
}

static void cell_free(struct cov_cell *c)
{
	set_free(&c->cases);
	set_free(&c->rows);
}

/* ---- JSON of a results directory, read defensively ------------------------------ */

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : "";
}

static bool jnum(json_t *v, double *out)
{
	if (json_is_integer(v))
		*out = (double)json_integer_value(v);
	else if (json_is_real(v))
		*out = json_real_value(v);
	else
		return false;
	return isfinite(*out);
}

/* A step's or an observation's line number: a number a case file can
 * have (results directories are untrusted: 1e300 would not fit). */
static bool jline(json_t *v, double *out)
{
	return jnum(v, out) && *out >= 0 && *out <= 1e9;
}

/* A check's "observed" text as a number ("1", "59800", "-1"). */
static bool text_num(const char *s, double *out)
{
	const char *end;

	return num_decimal(s, true, out, &end) == NUM_OK && !*end;
}

/* ---- the step that took an observation ----------------------------------------------- */

enum si_kind {
	SI_NONE,
	SI_TIMELINE,    /* observe SIDE S states */
	SI_STATE,       /* observe SIDE S state */
	SI_DIAG_COUNT,  /* observe SIDE diag STATE [port N] [count] */
	SI_DIAG_TIMER,  /* observe SIDE diag STATE [port N] timer */
	SI_COUNTER,     /* observe SIDE counter NAME [since MARK] */
	SI_RETRANS_SYN, /* observe SIDE retransmits synack */
	SI_WAIT_DIAG,   /* wait until SIDE diag STATE [port N] count N within T */
	SI_WAIT_STATE,  /* wait until SIDE S state STATE within T */
};

struct stepinfo {
	enum si_kind kind;
	int side;   /* 0 client, 1 server, -1 not said */
	int kstate; /* the kernel's state number, -1 */
	long count; /* SI_WAIT_DIAG */
	char counter[128];
};

#define SI_WORDS 16

static int words(const char *text, char w[SI_WORDS][128])
{
	int n = 0;
	const char *p = text;

	while (n < SI_WORDS) {
		size_t k;

		p += strspn(p, " \t");
		if (!*p)
			break;
		k = strcspn(p, " \t");
		if (k >= 128)
			return n; /* no word of a step is that long */
		memcpy(w[n], p, k);
		w[n][k] = '\0';
		n++;
		p += k;
	}
	return n;
}

static int side_of(const char *s)
{
	return !strcmp(s, "client") ? 0 : !strcmp(s, "server") ? 1 : -1;
}

static void diag_tail(char w[SI_WORDS][128], int n, int from, struct stepinfo *si)
{
	int i;

	for (i = from; i < n; i++) {
		if (!strcmp(w[i], "timer") && si->kind == SI_DIAG_COUNT)
			si->kind = SI_DIAG_TIMER;
		if (!strcmp(w[i], "count") && i + 1 < n && si->kind == SI_WAIT_DIAG) {
			double v;

			if (text_num(w[i + 1], &v) && v >= 0 && v <= 1e9)
				si->count = (long)v;
		}
	}
}

static void step_info(const char *text, struct stepinfo *si)
{
	char w[SI_WORDS][128];
	int n = words(text, w);

	memset(si, 0, sizeof(*si));
	si->kind = SI_NONE;
	si->side = -1;
	si->kstate = -1;
	si->count = -1;
	if (n >= 4 && !strcmp(w[0], "observe") && side_of(w[1]) >= 0) {
		si->side = side_of(w[1]);
		if (!strcmp(w[2], "diag")) {
			si->kind = SI_DIAG_COUNT;
			si->kstate = tcp_state_parse(w[3]);
			diag_tail(w, n, 4, si);
		} else if (!strcmp(w[2], "counter")) {
			if (counter_name_parse(w[3], si->counter, sizeof(si->counter)) == 0)
				si->kind = SI_COUNTER;
		} else if (!strcmp(w[2], "retransmits") && !strcmp(w[3], "synack")) {
			si->kind = SI_RETRANS_SYN;
		} else if (!strcmp(w[3], "state")) {
			si->kind = SI_STATE;
		} else if (!strcmp(w[3], "states")) {
			si->kind = SI_TIMELINE;
		}
	} else if (n >= 5 && !strcmp(w[0], "wait") && !strcmp(w[1], "until") &&
	           side_of(w[2]) >= 0) {
		si->side = side_of(w[2]);
		if (!strcmp(w[3], "diag")) {
			si->kind = SI_WAIT_DIAG;
			si->kstate = tcp_state_parse(w[4]);
			diag_tail(w, n, 5, si);
		} else if (n >= 6 && !strcmp(w[4], "state")) {
			si->kind = SI_WAIT_STATE;
			si->kstate = tcp_state_parse(w[5]);
		}
	}
	if ((si->kind == SI_DIAG_COUNT || si->kind == SI_DIAG_TIMER || si->kind == SI_WAIT_DIAG ||
	     si->kind == SI_WAIT_STATE) &&
	    si->kstate < 0)
		si->kind = SI_NONE;
}

/* The step of observation @o: its own "step", or a step result's. */
static const char *obs_step(json_t *o)
{
	const char *s = jstr(o, "step");

	return *s ? s : jstr(json_object_get(o, "value"), "step");
}

/* ---- one variant ----------------------------------------------------------------- */

struct vsock {
	int side;
	uint16_t sport, dport;
	uint8_t daddr[16];
	double born; /* its first event */
	bool ended;
};

struct vtw { /* a timewait socket the variant made */
	int side;
	uint16_t sport, dport;
	uint8_t daddr[16];
	int sub; /* CS_TW_FIN_WAIT2 or CS_TIME_WAIT */
	double ts;
	bool gone;
};

struct vpend { /* a connect whose port is not chosen yet (sport 0) */
	int side;
	uint16_t dport;
	uint8_t daddr[16];
	unsigned n;
};

struct vctx {
	struct coverage *c;
	json_t *var, *obs, *observations, *frames, *steps;
	const char *case_name;
	int af;
	uint8_t addr[2][16];
	double mono2real;
	struct trace_event *ev;
	size_t nev;
	bool seen[2][CS_COUNT][CS_COUNT];
	struct vsock *socks;
	size_t nsocks, csocks;
	struct vtw *tw;
	size_t ntw, ctw;
	struct vpend *pend;
	size_t npend, cpend;
	unsigned children[2];
	unsigned long stale;
	int oom;
};

static void see(struct vctx *v, int side, int from, int to)
{
	if (side >= 0 && side < 2 && from >= 0 && to >= 0 && from != to)
		v->seen[side][from][to] = true;
}

/* Room for one more element of a tracking array; out of memory sets oom
 * (the array stays as it was, freed with the rest). */
#define GROW(v, arr, n, cap)                                                                       \
	(ARRAY_RESERVE(&(v)->arr, &(v)->cap, (v)->n + 1, 16) ? ((v)->oom = 1) : 0)

static size_t alen(int af)
{
	return af == AF_INET ? 4 : 16;
}

/* Which side's address @a is (0 client, 1 server), -1 neither. */
static int side_addr(const struct vctx *v, const uint8_t *a)
{
	int s;

	for (s = 0; s < 2; s++)
		if (!memcmp(a, v->addr[s], alen(v->af)))
			return s;
	return -1;
}

/* The variant's family and addresses; false when observed.json lacks them. */
static bool variant_addrs(struct vctx *v)
{
	json_t *ad = json_object_get(v->obs, "addresses"), *fam = json_object_get(v->obs, "family");
	int f = json_is_integer(fam) ? (int)json_integer_value(fam) : 0;
	const char *c, *s;

	if (f != 4 && f != 6)
		return false;
	v->af = f == 4 ? AF_INET : AF_INET6;
	c = jstr(ad, f == 4 ? "client4" : "client6");
	s = jstr(ad, f == 4 ? "server4" : "server6");
	return inet_pton(v->af, c, v->addr[0]) == 1 && inet_pton(v->af, s, v->addr[1]) == 1;
}

/* The value (as a number) of the observation of counter @name on @side
 * (-1: either) that is largest, or 0 when none moved. */
static double counter_value(struct vctx *v, const char *name, int side)
{
	const char *k;
	json_t *o;
	double best = 0, x;

	json_object_foreach(v->observations, k, o)
	{
		struct stepinfo si;

		step_info(obs_step(o), &si);
		if (si.kind == SI_COUNTER && !strcmp(si.counter, name) &&
		    (side < 0 || si.side == side) && jnum(json_object_get(o, "value"), &x) &&
		    x > best)
			best = x;
	}
	return best;
}

static const char *sysctl_of(struct vctx *v, int side, const char *key)
{
	return jstr(json_object_get(json_object_get(v->obs, "sysctls"), side ? "server" : "client"),
	            key);
}

/* ---- frames --------------------------------------------------------------------- */

/* When a FIN from the peer of @s reached it (trace clock, s), after
 * @after; -1 if none.  Dropped frames never arrive; held, delayed and
 * reordered ones arrive when the wire sent them. */
static double peer_fin(struct vctx *v, const struct vsock *s, double after)
{
	const char *dir = s->side ? "c>s" : "s>c";
	double best = -1;
	size_t i;

	for (i = 0; i < json_array_size(v->frames); i++) {
		json_t *f = json_array_get(v->frames, i);
		double t, sp, dp, kind;

		if (!json_is_true(json_object_get(f, "tcp")) || strcmp(jstr(f, "dir"), dir) ||
		    !strchr(jstr(f, "flags"), 'F') || !jnum(json_object_get(f, "sport"), &sp) ||
		    !jnum(json_object_get(f, "dport"), &dp) || sp != s->dport || dp != s->sport ||
		    !jnum(json_object_get(f, "kind"), &kind) || kind == 1 || kind >= 8)
			continue;
		if (!jnum(json_object_get(f, "sent_t"), &t) && !jnum(json_object_get(f, "t"), &t))
			continue;
		t -= v->mono2real;
		if (t > after && (best < 0 || t < best))
			best = t;
	}
	return best;
}

/* Whether the first segment @s's side sent on its 4-tuple after @fin (the
 * trace clock time a peer's FIN reached it) is a reset: the FIN found no
 * socket, or a timewait socket that it killed (a FIN_WAIT2 timewait socket
 * answers an acceptable FIN with an ACK, net/ipv4/tcp_minisocks.c
 * tcp_timewait_state_process() TCP_TW_ACK, and anything else with
 * TCP_TW_RST). */
static bool fin_drew_reset(struct vctx *v, const struct vsock *s, double fin)
{
	const char *dir = s->side ? "s>c" : "c>s";
	double best = -1;
	bool reset = false;
	size_t i;

	for (i = 0; i < json_array_size(v->frames); i++) {
		json_t *f = json_array_get(v->frames, i);
		double t, sp, dp, kind;

		if (!json_is_true(json_object_get(f, "tcp")) || strcmp(jstr(f, "dir"), dir) ||
		    !jnum(json_object_get(f, "sport"), &sp) ||
		    !jnum(json_object_get(f, "dport"), &dp) || sp != s->sport || dp != s->dport ||
		    !jnum(json_object_get(f, "kind"), &kind) || kind >= 6 /* the wire's copies */ ||
		    !jnum(json_object_get(f, "t"), &t))
			continue;
		t -= v->mono2real;
		if (t > fin && (best < 0 || t < best)) {
			best = t;
			reset = strchr(jstr(f, "flags"), 'R') != NULL;
		}
	}
	return reset;
}

/* A Fast Open SYN: the peer's SYN to @s carried data. */
static bool fastopen_syn(struct vctx *v, const struct vsock *s)
{
	const char *dir = s->side ? "c>s" : "s>c";
	size_t i;

	for (i = 0; i < json_array_size(v->frames); i++) {
		json_t *f = json_array_get(v->frames, i);
		double sp, dp, len;

		if (!strcmp(jstr(f, "dir"), dir) && !strcmp(jstr(f, "flags"), "S") &&
		    jnum(json_object_get(f, "sport"), &sp) &&
		    jnum(json_object_get(f, "dport"), &dp) && sp == s->dport && dp == s->sport &&
		    jnum(json_object_get(f, "len"), &len) && len > 0)
			return true;
	}
	return false;
}

/* ---- sockets and their transitions ------------------------------------------------------ */

static bool same_tuple(const struct vctx *v, int side, uint16_t sport, uint16_t dport,
                       const uint8_t *daddr, int side2, uint16_t sport2, uint16_t dport2,
                       const uint8_t *daddr2)
{
	return side == side2 && sport == sport2 && dport == dport2 &&
	       !memcmp(daddr, daddr2, alen(v->af));
}

static struct vtw *tw_find(struct vctx *v, const struct vsock *s, double ts)
{
	size_t i;

	for (i = v->ntw; i-- > 0;) {
		struct vtw *t = &v->tw[i];

		if (!t->gone && ts - t->ts < TW_LIFE_S &&
		    same_tuple(v, t->side, t->sport, t->dport, t->daddr, s->side, s->sport,
		               s->dport, s->daddr))
			return t;
	}
	return NULL;
}

static struct vtw *tw_add(struct vctx *v, const struct vsock *s, int sub, double ts)
{
	struct vtw *t;

	if (GROW(v, tw, ntw, ctw))
		return NULL;
	t = &v->tw[v->ntw++];
	memset(t, 0, sizeof(*t));
	t->side = s->side;
	t->sport = s->sport;
	t->dport = s->dport;
	memcpy(t->daddr, s->daddr, 16);
	t->sub = sub;
	t->ts = ts;
	return t;
}

/* A reset sent or received by socket @s near @ts. */
static bool reset_near(const struct vctx *v, const struct vsock *s, double ts)
{
	size_t i;

	for (i = 0; i < v->nev; i++) {
		const struct trace_event *e = &v->ev[i];

		if ((e->kind == TE_SEND_RESET || e->kind == TE_RECV_RESET) &&
		    fabs(e->ts - ts) <= RESET_NEAR_S && side_addr(v, e->saddr) == s->side &&
		    e->sport == s->sport && e->dport == s->dport)
			return true;
	}
	return false;
}

/* FIN_WAIT2 or CLOSING -> CLOSE: tcp_time_wait()'s tcp_done(), or a true
 * close (a reset, no timewait socket to be had). */
static void close_or_timewait(struct vctx *v, const struct vsock *s, int old, double ts)
{
	double fin;
	struct vtw *t;

	if (reset_near(v, s, ts) || counter_value(v, "TcpExt.TCPTimeWaitOverflow", s->side) > 0) {
		see(v, s->side, old, CS_CLOSE);
		return;
	}
	if (old == CS_CLOSING) {
		see(v, s->side, CS_CLOSING, CS_TIME_WAIT);
		tw_add(v, s, CS_TIME_WAIT, ts);
		return;
	}
	fin = peer_fin(v, s, s->born);
	if (fin >= 0 && fin <= ts + FIN_SLACK_S) {
		see(v, s->side, CS_FIN_WAIT2, CS_TIME_WAIT);
		tw_add(v, s, CS_TIME_WAIT, ts);
		return;
	}
	see(v, s->side, CS_FIN_WAIT2, CS_TW_FIN_WAIT2);
	t = tw_add(v, s, CS_TW_FIN_WAIT2, ts);
	fin = peer_fin(v, s, ts + FIN_SLACK_S);
	if (t && fin >= 0 && fin_drew_reset(v, s, fin)) {
		/* gone before the FIN (its timer), or killed by it */
		see(v, s->side, CS_TW_FIN_WAIT2, CS_CLOSE);
		t->gone = true;
	} else if (t && fin >= 0) {
		see(v, s->side, CS_TW_FIN_WAIT2, CS_TIME_WAIT);
		t->sub = CS_TIME_WAIT;
		t->ts = fin;
	}
}

/* LISTEN -> SYN_RECV: a child, from a request socket, a cookie or a Fast
 * Open SYN. */
static void child(struct vctx *v, const struct vsock *s, double ts)
{
	bool cookie = !strcmp(sysctl_of(v, s->side, "net.ipv4.tcp_syncookies"), "2") ||
	              counter_value(v, "TcpExt.SyncookiesRecv", s->side) > 0;
	double fo;
	struct vtw *t;

	v->children[s->side]++;
	if (cookie ||
	    (fastopen_syn(v, s) && text_num(sysctl_of(v, s->side, "net.ipv4.tcp_fastopen"), &fo) &&
	     fo >= 0 && ((long)fo & 2))) {
		see(v, s->side, CS_LISTEN, CS_SYN_RECV);
		return;
	}
	t = tw_find(v, s, ts);
	if (t && t->sub == CS_TIME_WAIT) {
		see(v, s->side, CS_TIME_WAIT, CS_NEW_SYN_RECV);
		t->gone = true;
	} else {
		see(v, s->side, CS_LISTEN, CS_NEW_SYN_RECV);
	}
	see(v, s->side, CS_NEW_SYN_RECV, CS_SYN_RECV);
}

static struct vpend *pend_find(struct vctx *v, int side, const struct trace_event *e, bool add)
{
	size_t i;

	for (i = 0; i < v->npend; i++)
		if (v->pend[i].side == side && v->pend[i].dport == e->dport &&
		    !memcmp(v->pend[i].daddr, e->daddr, alen(v->af)))
			return &v->pend[i];
	if (!add)
		return NULL;
	if (GROW(v, pend, npend, cpend))
		return NULL;
	memset(&v->pend[v->npend], 0, sizeof(*v->pend));
	v->pend[v->npend].side = side;
	v->pend[v->npend].dport = e->dport;
	memcpy(v->pend[v->npend].daddr, e->daddr, 16);
	return &v->pend[v->npend++];
}

/* An event before connect() chose a port (sport 0). */
static void portless(struct vctx *v, int side, const struct trace_event *e, int old, int new)
{
	struct vpend *p;

	if (old == CS_CLOSE && new == CS_SYN_SENT) {
		p = pend_find(v, side, e, true);
		if (p)
			p->n++;
		see(v, side, old, new);
	} else if (old == CS_SYN_SENT && new == CS_CLOSE && (p = pend_find(v, side, e, false)) &&
	           p->n) {
		p->n--;
		see(v, side, old, new);
	} else {
		v->stale++;
	}
}

/* The socket event @e belongs to: an open one of its 4-tuple, or a new
 * one when the event starts a life (CLOSE ->, a child, a connect whose
 * port was just chosen); NULL for an event of some other run's socket. */
static struct vsock *socket_of(struct vctx *v, int side, const struct trace_event *e, int old,
                               int new)
{
	struct vpend *p = NULL;
	struct vsock *s;
	size_t i;

	/* From CLOSE, or a child: always a socket of its own (two listeners
	 * of one port share their 4-tuple). */
	if (old != CS_CLOSE && !(old == CS_LISTEN && new == CS_SYN_RECV)) {
		for (i = v->nsocks; i-- > 0;)
			if (!v->socks[i].ended &&
			    same_tuple(v, v->socks[i].side, v->socks[i].sport, v->socks[i].dport,
			               v->socks[i].daddr, side, e->sport, e->dport, e->daddr))
				return &v->socks[i];
		if (old != CS_SYN_SENT)
			return NULL;
		p = pend_find(v, side, e, false);
		if (!p || !p->n)
			return NULL;
		p->n--;
	}
	if (GROW(v, socks, nsocks, csocks))
		return NULL;
	s = &v->socks[v->nsocks++];
	memset(s, 0, sizeof(*s));
	s->side = side;
	s->sport = e->sport;
	s->dport = e->dport;
	memcpy(s->daddr, e->daddr, 16);
	s->born = e->ts;
	if (old == CS_CLOSE || old == CS_SYN_SENT) {
		/* A connect into the 4-tuple of a timewait socket reuses it. */
		struct vtw *t = s->dport ? tw_find(v, s, e->ts) : NULL;

		if (t && new != CS_LISTEN) {
			see(v, side, t->sub, CS_CLOSE);
			t->gone = true;
		}
	}
	return s;
}

static void state_events(struct vctx *v)
{
	size_t i;

	for (i = 0; i < v->nev && !v->oom; i++) {
		const struct trace_event *e = &v->ev[i];
		int side, old, new;
		struct vsock *s;

		if (e->kind != TE_STATE)
			continue;
		side = side_addr(v, e->saddr);
		old = cov_state_of_kernel(e->oldstate);
		new = cov_state_of_kernel(e->newstate);
		if (side < 0 || old < 0 || new < 0 || old == new)
			continue;
		if (e->sport == 0) {
			portless(v, side, e, old, new);
			continue;
		}
		s = socket_of(v, side, e, old, new);
		if (!s) {
			v->stale++;
			continue;
		}
		if (old == CS_LISTEN && new == CS_SYN_RECV && s->dport)
			child(v, s, e->ts);
		else if (new == CS_CLOSE && (old == CS_FIN_WAIT2 || old == CS_CLOSING))
			close_or_timewait(v, s, old, e->ts);
		else
			see(v, side, old, new);
		if (new == CS_CLOSE)
			s->ended = true;
	}
}

/* ---- what inet_diag and the counters add -------------------------------------------------- */

/* The coverage states inet_diag's STATE stands for. */
static int diag_nodes(int kstate, int out[2])
{
	int s = cov_state_of_kernel(kstate);

	if (kstate == 6) { /* TCP_TIME_WAIT */
		out[0] = CS_TIME_WAIT;
		return 1;
	}
	if (s == CS_FIN_WAIT2) {
		out[0] = CS_FIN_WAIT2;
		out[1] = CS_TW_FIN_WAIT2;
		return 2;
	}
	if (s == CS_SYN_RECV || kstate == 12) {
		out[0] = CS_NEW_SYN_RECV;
		out[1] = CS_SYN_RECV;
		return 2;
	}
	if (s < 0)
		return 0;
	out[0] = s;
	return 1;
}

/* The largest count inet_diag gave for @kstate on @side, and the latest
 * line at which it gave 0 after that (0: never). */
struct dcount {
	double max;
	unsigned max_line, zero_after;
};

static void diag_counts(struct vctx *v, int side, int kstate, struct dcount *d)
{
	const char *k;
	json_t *o;
	double x;
	size_t i;

	memset(d, 0, sizeof(*d));
	json_object_foreach(v->observations, k, o)
	{
		struct stepinfo si;
		double line;

		step_info(obs_step(o), &si);
		if (si.kind != SI_DIAG_COUNT || si.side != side || si.kstate != kstate ||
		    !jnum(json_object_get(o, "value"), &x) ||
		    !jline(json_object_get(o, "line"), &line))
			continue;
		if (x > d->max || (x == d->max && x > 0 && line < d->max_line)) {
			d->max = x;
			d->max_line = (unsigned)line;
		}
	}
	json_object_foreach(v->observations, k, o)
	{
		struct stepinfo si;
		double line;

		step_info(obs_step(o), &si);
		if (si.kind == SI_DIAG_COUNT && si.side == side && si.kstate == kstate &&
		    jnum(json_object_get(o, "value"), &x) && x == 0 &&
		    jline(json_object_get(o, "line"), &line) && d->max > 0 && line > d->max_line)
			d->zero_after = (unsigned)line;
	}
	/* a wait that saw none left */
	for (i = 0; i < json_array_size(v->steps); i++) {
		json_t *st = json_array_get(v->steps, i);
		struct stepinfo si;
		double ret, line;

		step_info(jstr(st, "step"), &si);
		if (si.kind == SI_WAIT_DIAG && si.side == side && si.kstate == kstate &&
		    si.count == 0 && jnum(json_object_get(st, "ret"), &ret) && ret == 0 &&
		    jline(json_object_get(st, "line"), &line) && line > d->max_line)
			d->zero_after = (unsigned)line;
	}
}

static bool tw_made(const struct vctx *v, int side, int sub)
{
	size_t i;

	for (i = 0; i < v->ntw; i++)
		if (v->tw[i].side == side && (v->tw[i].sub == sub || sub < 0))
			return true;
	return false;
}

static void diag_rules(struct vctx *v)
{
	size_t i;
	int side;

	for (side = 0; side < 2; side++) {
		struct dcount d;

		/* request sockets: present, then fewer than became children */
		diag_counts(v, side, 12 /* NEW_SYN_RECV, shown as SYN_RECV */, &d);
		{
			struct dcount d3;

			diag_counts(v, side, 3, &d3);
			if (d3.max > d.max)
				d = d3;
		}
		if (d.max >= 1)
			see(v, side, CS_LISTEN, CS_NEW_SYN_RECV);
		if (d.max >= 1 && d.zero_after && v->children[side] < d.max)
			see(v, side, CS_NEW_SYN_RECV, CS_CLOSE);
		if (counter_value(v, "TcpExt.EmbryonicRsts", side) > 0)
			see(v, side, CS_NEW_SYN_RECV, CS_CLOSE);
		/* timewait sockets that went away */
		diag_counts(v, side, 6, &d);
		if (d.zero_after && (d.max >= 1 || tw_made(v, side, CS_TIME_WAIT)))
			see(v, side, CS_TIME_WAIT, CS_CLOSE);
		diag_counts(v, side, 5, &d);
		if (d.zero_after && tw_made(v, side, CS_TW_FIN_WAIT2) &&
		    !v->seen[side][CS_TW_FIN_WAIT2][CS_TIME_WAIT])
			see(v, side, CS_TW_FIN_WAIT2, CS_CLOSE);
	}
	for (i = 0; i < v->nev; i++)
		if (v->ev[i].kind == TE_RETRANS_SYNACK) {
			side = side_addr(v, v->ev[i].saddr);
			if (side >= 0)
				see(v, side, CS_LISTEN, CS_NEW_SYN_RECV);
		}
}

/* ---- rows that check transitions ------------------------------------------------------------ */

static int row_name(struct vctx *v, json_t *check, char *out, size_t len)
{
	double line;

	if (!jnum(json_object_get(check, "table_line"), &line) || line < 1 || line > 1e9)
		return -1;
	snprintf(out, len, "%.200s.table:%u", v->case_name, (unsigned)line);
	return 0;
}

/* The observation a check judged: the longest prefix of its name that
 * names one ("reset.ms" -> "reset", "fin_times[1]" -> "fin_times"). */
static json_t *check_obs(struct vctx *v, const char *name)
{
	char buf[256];
	size_t n;

	text_copy(buf, sizeof(buf), name);
	for (;;) {
		json_t *o = json_object_get(v->observations, buf);

		if (o)
			return o;
		n = strlen(buf);
		while (n > 0 && buf[n - 1] != '.' && buf[n - 1] != '[')
			n--;
		if (n == 0)
			return NULL;
		buf[n - 1] = '\0';
	}
}

static void check_edge(struct vctx *v, int side, int from, int to, const char *row)
{
	int s;

	for (s = 0; s < 2; s++)
		if ((side < 0 || s == side) && from >= 0 && to >= 0 && v->seen[s][from][to] &&
		    set_add(&v->c->cell[from][to].rows, row) < 0)
			v->oom = 1;
}

/* Every transition into (@into) or out of a coverage state the side made. */
static void check_around(struct vctx *v, int side, int node, bool into, const char *row)
{
	int o;

	for (o = 0; o < CS_COUNT; o++) {
		if (into)
			check_edge(v, side, o, node, row);
		else
			check_edge(v, side, node, o, row);
	}
}

static void check_diag(struct vctx *v, int side, int kstate, bool into, const char *row)
{
	int n[2], k = diag_nodes(kstate, n), i;

	for (i = 0; i < k; i++)
		check_around(v, side, n[i], into, row);
}

/* A timeline a row accepted: each step of it, and how it began. */
static void check_timeline(struct vctx *v, int side, const char *text, const char *row)
{
	char w[SI_WORDS][128];
	int n = words(text, w), i, prev = -1;

	for (i = 0; i < n; i++) {
		int s = cov_state_of_kernel(tcp_state_parse(w[i]));

		if (s < 0)
			return;
		if (i == 0) {
			if (s == CS_SYN_SENT || s == CS_LISTEN) {
				check_edge(v, side, CS_CLOSE, s, row);
			} else if (s == CS_SYN_RECV) {
				check_edge(v, side, CS_LISTEN, CS_SYN_RECV, row);
				check_edge(v, side, CS_NEW_SYN_RECV, CS_SYN_RECV, row);
				check_edge(v, side, CS_LISTEN, CS_NEW_SYN_RECV, row);
				check_edge(v, side, CS_TIME_WAIT, CS_NEW_SYN_RECV, row);
			}
		} else if (s == CS_CLOSE && (prev == CS_FIN_WAIT2 || prev == CS_CLOSING)) {
			check_edge(v, side, prev, CS_CLOSE, row);
			check_edge(v, side, prev, CS_TIME_WAIT, row);
			check_edge(v, side, prev, CS_TW_FIN_WAIT2, row);
		} else {
			check_edge(v, side, prev, s, row);
		}
		prev = s;
	}
}

/* Whether an earlier observation (by line) saw a socket in @kstate. */
static bool present_before(struct vctx *v, int side, int kstate, double line)
{
	struct dcount d;

	diag_counts(v, side, kstate, &d);
	return d.max >= 1 && d.max_line < line;
}

static void check_one(struct vctx *v, json_t *chk, json_t *o, const char *row)
{
	const char *obsd = jstr(chk, "observed");
	struct stepinfo si;
	double x, line = 0;

	step_info(obs_step(o), &si);
	jline(json_object_get(o, "line"), &line);
	switch (si.kind) {
	case SI_TIMELINE:
		check_timeline(v, si.side, obsd, row);
		break;
	case SI_STATE: {
		int s = cov_state_of_kernel(tcp_state_parse(obsd));

		if (s >= 0)
			check_around(v, si.side, s, true, row);
		break;
	}
	case SI_DIAG_COUNT:
		if (text_num(obsd, &x) && x >= 1)
			check_diag(v, si.side, si.kstate, true, row);
		else if (text_num(obsd, &x) && x == 0 &&
		         present_before(v, si.side, si.kstate, line))
			check_diag(v, si.side, si.kstate, false, row);
		break;
	case SI_DIAG_TIMER:
		if (text_num(obsd, &x))
			check_diag(v, si.side, si.kstate, true, row);
		break;
	case SI_WAIT_DIAG: {
		double ret;

		if (!jnum(json_object_get(json_object_get(o, "value"), "ret"), &ret) || ret != 0)
			break;
		check_diag(v, si.side, si.kstate, si.count != 0, row);
		break;
	}
	case SI_WAIT_STATE: {
		double ret;

		if (jnum(json_object_get(json_object_get(o, "value"), "ret"), &ret) && ret == 0)
			check_around(v, si.side, cov_state_of_kernel(si.kstate), true, row);
		break;
	}
	default:
		/* An observation taken before results recorded its step: a
		 * timeline from the tracepoints, on either side. */
		if (!*obs_step(o) && !strcmp(jstr(o, "source"), "tracepoints") &&
		    json_is_string(json_object_get(o, "value")))
			check_timeline(v, -1, obsd, row);
		break;
	}
}

static bool check_passed(json_t *chk)
{
	const char *vd = jstr(chk, "verdict");

	return !strcmp(vd, "pass") || !strcmp(vd, "xfail");
}

static void check_rows(struct vctx *v)
{
	json_t *chk;
	size_t i;

	json_array_foreach(json_object_get(v->var, "checks"), i, chk)
	{
		char row[256];
		json_t *o;

		if (!check_passed(chk) || row_name(v, chk, row, sizeof(row)) < 0)
			continue;
		o = check_obs(v, jstr(chk, "name"));
		if (o)
			check_one(v, chk, o, row);
	}
}

/* ---- timers and counters ----------------------------------------------------------------------
 */

/* The rows whose checks on observation @name passed with a value that is
 * not 0 (@nonzero) or any value, into @rows. */
static void rows_on(struct vctx *v, const char *name, bool nonzero, struct cov_set *rows)
{
	json_t *chk;
	size_t i;

	json_array_foreach(json_object_get(v->var, "checks"), i, chk)
	{
		char row[256];
		json_t *o;
		double x;

		if (!check_passed(chk) || row_name(v, chk, row, sizeof(row)) < 0)
			continue;
		o = check_obs(v, jstr(chk, "name"));
		if (o != json_object_get(v->observations, name))
			continue;
		if (nonzero && (!text_num(jstr(chk, "observed"), &x) || x == 0))
			continue;
		if (set_add(rows, row) < 0)
			v->oom = 1;
	}
}

static bool has_step_word(struct vctx *v, const char *word)
{
	size_t i;

	for (i = 0; i < json_array_size(v->steps); i++) {
		char w[SI_WORDS][128];
		int n = words(jstr(json_array_get(v->steps, i), "step"), w), k;

		for (k = 0; k < n; k++)
			if (!strcmp(w[k], word))
				return true;
	}
	return false;
}

/* Whether evidence @ev is in the variant; its rows into @rows. */
static bool evidence(struct vctx *v, const struct cov_timer_ev *ev, struct cov_set *rows)
{
	const char *k;
	json_t *o;
	bool found = false;
	size_t i;

	if (ev->kind == EV_TRACEPOINT) {
		for (i = 0; i < v->nev && !found; i++)
			found =
			    v->ev[i].kind == TE_RETRANS_SYNACK && side_addr(v, v->ev[i].saddr) >= 0;
	}
	if (ev->kind == EV_COUNTER && ev->if_step[0] && !has_step_word(v, ev->if_step))
		return false;
	json_object_foreach(v->observations, k, o)
	{
		struct stepinfo si;
		double x;
		bool hit = false;

		step_info(obs_step(o), &si);
		if (ev->kind == EV_COUNTER)
			hit = si.kind == SI_COUNTER && !strcmp(si.counter, ev->what) &&
			      (ev->side < 0 || ev->side == si.side) &&
			      jnum(json_object_get(o, "value"), &x) && x > 0;
		else if (ev->kind == EV_TRACEPOINT)
			hit = si.kind == SI_RETRANS_SYN && jnum(json_object_get(o, "value"), &x) &&
			      x > 0;
		else if (ev->kind == EV_DIAG_TIMER)
			hit = si.kind == SI_DIAG_TIMER && si.kstate == ev->state &&
			      jnum(json_object_get(o, "value"), &x);
		else
			hit = si.kind == SI_WAIT_DIAG && si.kstate == ev->state && si.count == 0 &&
			      jnum(json_object_get(json_object_get(o, "value"), "ret"), &x) &&
			      x == 0;
		if (hit) {
			found = true;
			rows_on(v, k, ev->kind != EV_WAIT_GONE, rows);
		}
	}
	if (ev->kind == EV_WAIT_GONE) /* a wait without "as": no check, still seen */
		for (i = 0; i < json_array_size(v->steps) && !found; i++) {
			json_t *st = json_array_get(v->steps, i);
			struct stepinfo si;
			double ret;

			step_info(jstr(st, "step"), &si);
			found = si.kind == SI_WAIT_DIAG && si.kstate == ev->state &&
			        si.count == 0 && jnum(json_object_get(st, "ret"), &ret) && ret == 0;
		}
	return found;
}

static int add_case(struct cov_cell *cell, const char *case_name)
{
	cell->variants++;
	return set_add(&cell->cases, case_name);
}

static void timers(struct vctx *v)
{
	const struct cov_timers *tm = v->c->tm;
	size_t i, t;

	if (!tm)
		return;
	for (t = 0; t < tm->nnames; t++) {
		struct cov_cell *cell = &v->c->timer[t];
		bool seen = false;

		for (i = 0; i < tm->n; i++) {
			if (strcmp(tm->ev[i].timer, tm->names[t]))
				continue;
			if (evidence(v, &tm->ev[i], &cell->rows)) {
				v->c->ev_seen[i]++;
				seen = true;
			}
		}
		if (seen && add_case(cell, v->case_name) < 0)
			v->oom = 1;
	}
}

static struct cov_counter *counter_entry(struct coverage *c, const char *name)
{
	size_t lo = 0, hi = c->nctr;
	struct cov_counter *n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(c->ctr[mid].name, name);

		if (!r)
			return &c->ctr[mid];
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	n = realloc(c->ctr, (c->nctr + 1) * sizeof(*n));
	if (!n)
		return NULL;
	c->ctr = n;
	memmove(c->ctr + lo + 1, c->ctr + lo, (c->nctr - lo) * sizeof(*n));
	memset(&c->ctr[lo], 0, sizeof(*n));
	text_copy(c->ctr[lo].name, sizeof(c->ctr[lo].name), name);
	c->nctr++;
	return &c->ctr[lo];
}

static void counters(struct vctx *v)
{
	/* each counter once per variant, whatever the number of observations */
	struct cov_set names = {0}, moved = {0};
	const char *k;
	json_t *o;
	size_t i;

	json_object_foreach(v->observations, k, o)
	{
		struct stepinfo si;
		struct cov_counter *ct;
		double x;

		step_info(obs_step(o), &si);
		if (si.kind != SI_COUNTER)
			continue;
		ct = counter_entry(v->c, si.counter);
		if (!ct || set_add(&names, si.counter) < 0) {
			v->oom = 1;
			break;
		}
		if (jnum(json_object_get(o, "value"), &x) && x != 0) {
			if (set_add(&moved, si.counter) < 0)
				v->oom = 1;
			rows_on(v, k, true, &ct->moved.rows);
		}
	}
	for (i = 0; i < names.n; i++) {
		struct cov_counter *ct = counter_entry(v->c, names.s[i]);

		if (ct)
			ct->observed++;
	}
	for (i = 0; i < moved.n; i++) {
		struct cov_counter *ct = counter_entry(v->c, moved.s[i]);

		if (ct && add_case(&ct->moved, v->case_name) < 0)
			v->oom = 1;
	}
	set_free(&names);
	set_free(&moved);
}

/* ---- the accumulator ----------------------------------------------------------------------------
 */

int cov_init(struct coverage *c, const struct cov_transitions *tr, const struct cov_timers *tm)
{
	memset(c, 0, sizeof(*c));
	c->tr = tr;
	c->tm = tm;
	if (tm && tm->n) {
		c->timer = calloc(tm->nnames ? tm->nnames : 1, sizeof(*c->timer));
		c->ev_seen = calloc(tm->n, sizeof(*c->ev_seen));
		if (!c->timer || !c->ev_seen) {
			cov_free(c);
			return -1;
		}
	}
	return 0;
}

void cov_free(struct coverage *c)
{
	size_t i, j;

	for (i = 0; i < CS_COUNT; i++)
		for (j = 0; j < CS_COUNT; j++)
			cell_free(&c->cell[i][j]);
	for (i = 0; c->timer && c->tm && i < c->tm->nnames; i++)
		cell_free(&c->timer[i]);
	for (i = 0; i < c->nctr; i++)
		cell_free(&c->ctr[i].moved);
	free(c->timer);
	free(c->ev_seen);
	free(c->ctr);
	memset(c, 0, sizeof(*c));
}

static void merge_seen(struct vctx *v)
{
	int i, j;

	for (i = 0; i < CS_COUNT; i++)
		for (j = 0; j < CS_COUNT; j++)
			if ((v->seen[0][i][j] || v->seen[1][i][j]) &&
			    add_case(&v->c->cell[i][j], v->case_name) < 0)
				v->oom = 1;
}

int cov_add_variant(struct coverage *c, json_t *var, json_t *observed, const char *events)
{
	struct vctx v;

	memset(&v, 0, sizeof(v));
	v.c = c;
	v.var = var;
	v.obs = observed;
	v.case_name = jstr(var, "case");
	if (!*v.case_name)
		v.case_name = "?";
	c->variants++;
	if (!strcmp(jstr(var, "status"), "ran"))
		c->ran++;
	if (!json_is_object(observed) || !variant_addrs(&v))
		return 0;
	v.observations = json_object_get(observed, "observations");
	v.frames = json_object_get(observed, "frames");
	v.steps = json_object_get(observed, "steps");
	{
		json_t *ck = json_object_get(observed, "clocks");
		double rt, mt;

		if (jnum(json_object_get(ck, "realtime"), &rt) &&
		    jnum(json_object_get(ck, "monotonic"), &mt))
			v.mono2real = rt - mt;
	}
	if (events) {
		size_t i, k = 0;

		c->with_events++;
		v.nev = trace_event_parse(events, &v.ev);
		/* another family's events are another variant's (the same
		 * address block, another run) */
		for (i = 0; i < v.nev; i++)
			if (v.ev[i].family == v.af)
				v.ev[k++] = v.ev[i];
		v.nev = k;
	}
	state_events(&v);
	diag_rules(&v);
	merge_seen(&v);
	check_rows(&v);
	timers(&v);
	counters(&v);
	c->stale += v.stale;
	free(v.ev);
	free(v.socks);
	free(v.tw);
	free(v.pend);
	return v.oom ? -1 : 0;
}

/* ---- totals and JSON
 * -------------------------------------------------------------------------------- */

void cov_totals(const struct coverage *c, struct cov_totals *t)
{
	size_t i;
	int a, b;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < c->tr->n; i++) {
		const struct cov_transition *x = &c->tr->t[i];
		const struct cov_cell *cell = &c->cell[x->from][x->to];

		if (!x->reachable) {
			t->unreachable++;
			continue;
		}
		t->reachable++;
		t->seen += cell->variants > 0;
		t->checked += cell->rows.n > 0;
	}
	for (a = 0; a < CS_COUNT; a++)
		for (b = 0; b < CS_COUNT; b++)
			if (c->cell[a][b].variants && !cov_transition_find(c->tr, a, b))
				t->unlisted++;
	for (i = 0; c->tm && i < c->tm->nnames; i++) {
		t->timers++;
		t->timers_seen += c->timer[i].variants > 0;
		t->timers_checked += c->timer[i].rows.n > 0;
	}
	for (i = 0; i < c->nctr; i++) {
		t->counters++;
		t->counters_moved += c->ctr[i].moved.variants > 0;
		t->counters_checked += c->ctr[i].moved.rows.n > 0;
	}
}

static json_t *set_json(const struct cov_set *s)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < s->n; i++)
		if (json_array_append_new(a, json_string(s->s[i])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* Set @key of @o to @v (consumed); false when either is NULL or it fails. */
static bool put(json_t *o, const char *key, json_t *v)
{
	if (!o || !v) {
		json_decref(v);
		return false;
	}
	return json_object_set_new(o, key, v) == 0;
}

static bool cell_json(json_t *o, const struct cov_cell *cell)
{
	return put(o, "variants", json_integer((json_int_t)cell->variants)) &&
	       put(o, "cases", set_json(&cell->cases)) &&
	       put(o, "checked_by", set_json(&cell->rows));
}

static json_t *transition_json(const struct coverage *c, int a, int b,
                               const struct cov_transition *x)
{
	json_t *o = json_object();
	bool ok = o && put(o, "from", json_string(cov_state_name(a))) &&
	          put(o, "to", json_string(cov_state_name(b))) && cell_json(o, &c->cell[a][b]) &&
	          put(o, "seen", json_boolean(c->cell[a][b].variants > 0)) &&
	          put(o, "checked", json_boolean(c->cell[a][b].rows.n > 0));

	if (ok && x)
		ok = put(o, "listed", json_true()) && put(o, "line", json_integer(x->line)) &&
		     put(o, "seen_as", json_string(cov_seen_name(x->seen))) &&
		     put(o, "reachable", json_boolean(x->reachable)) &&
		     put(o, "reason", x->reachable ? json_null() : json_string(x->reason)) &&
		     put(o, "source", json_string(x->source));
	else if (ok)
		ok = put(o, "listed", json_false());
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *transitions_json(const struct coverage *c)
{
	json_t *a = json_array();
	size_t i;
	int x, y;

	for (i = 0; a && i < c->tr->n; i++)
		if (json_array_append_new(
		        a, transition_json(c, c->tr->t[i].from, c->tr->t[i].to, &c->tr->t[i])) < 0)
			goto fail;
	for (x = 0; a && x < CS_COUNT; x++)
		for (y = 0; y < CS_COUNT; y++)
			if (c->cell[x][y].variants && !cov_transition_find(c->tr, x, y) &&
			    json_array_append_new(a, transition_json(c, x, y, NULL)) < 0)
				goto fail;
	return a;
fail:
	json_decref(a);
	return NULL;
}

static json_t *timers_json(const struct coverage *c)
{
	json_t *a = json_array();
	size_t t, i;

	for (t = 0; a && c->tm && t < c->tm->nnames; t++) {
		json_t *o = json_object(), *evs = json_array();
		bool ok = put(o, "evidence", evs) &&
		          put(o, "timer", json_string(c->tm->names[t])) &&
		          cell_json(o, &c->timer[t]) &&
		          put(o, "seen", json_boolean(c->timer[t].variants > 0)) &&
		          put(o, "checked", json_boolean(c->timer[t].rows.n > 0));

		for (i = 0; ok && i < c->tm->n; i++) {
			json_t *e;

			if (strcmp(c->tm->ev[i].timer, c->tm->names[t]))
				continue;
			e = json_object();
			ok = e && put(e, "evidence", json_string(c->tm->ev[i].evidence)) &&
			     put(e, "line", json_integer(c->tm->ev[i].line)) &&
			     put(e, "variants", json_integer((json_int_t)c->ev_seen[i])) &&
			     put(e, "source", json_string(c->tm->ev[i].source)) &&
			     json_array_append_new(evs, e) == 0;
		}
		if (!ok || json_array_append_new(a, o) < 0) {
			if (!ok)
				json_decref(o);
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *counters_json(const struct coverage *c)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < c->nctr; i++) {
		json_t *o = json_object();
		bool ok = o && put(o, "counter", json_string(c->ctr[i].name)) &&
		          put(o, "observed_in", json_integer((json_int_t)c->ctr[i].observed)) &&
		          put(o, "moved_in", json_integer((json_int_t)c->ctr[i].moved.variants)) &&
		          put(o, "cases", set_json(&c->ctr[i].moved.cases)) &&
		          put(o, "checked_by", set_json(&c->ctr[i].moved.rows));

		if (!ok || json_array_append_new(a, o) < 0) {
			if (!ok)
				json_decref(o);
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

json_t *cov_json(const struct coverage *c, const char *const *runs, size_t nruns)
{
	struct cov_totals t;
	json_t *root = json_object(), *r = json_array(), *tot = json_object();
	size_t i;
	bool ok = put(root, "runs", r);

	ok = put(root, "totals", tot) && ok;

	cov_totals(c, &t);
	for (i = 0; ok && i < nruns; i++)
		ok = json_array_append_new(r, json_string(runs[i])) == 0;
	ok = ok && put(root, "transitions_file", json_string(c->tr->file)) &&
	     put(root, "timers_file", c->tm ? json_string(c->tm->file) : json_null()) &&
	     put(root, "variants", json_integer((json_int_t)c->variants)) &&
	     put(root, "variants_ran", json_integer((json_int_t)c->ran)) &&
	     put(root, "variants_with_events", json_integer((json_int_t)c->with_events)) &&
	     put(root, "events_left_out", json_integer((json_int_t)c->stale)) &&
	     put(tot, "reachable", json_integer((json_int_t)t.reachable)) &&
	     put(tot, "unreachable", json_integer((json_int_t)t.unreachable)) &&
	     put(tot, "seen", json_integer((json_int_t)t.seen)) &&
	     put(tot, "checked", json_integer((json_int_t)t.checked)) &&
	     put(tot, "seen_unlisted", json_integer((json_int_t)t.unlisted)) &&
	     put(tot, "timers", json_integer((json_int_t)t.timers)) &&
	     put(tot, "timers_seen", json_integer((json_int_t)t.timers_seen)) &&
	     put(tot, "timers_checked", json_integer((json_int_t)t.timers_checked)) &&
	     put(tot, "counters", json_integer((json_int_t)t.counters)) &&
	     put(tot, "counters_moved", json_integer((json_int_t)t.counters_moved)) &&
	     put(tot, "counters_checked", json_integer((json_int_t)t.counters_checked));
	ok = ok && put(root, "transitions", transitions_json(c)) &&
	     put(root, "timers", timers_json(c)) && put(root, "counters", counters_json(c));
	if (!ok) {
		json_decref(root);
		return NULL;
	}
	return root;
}
