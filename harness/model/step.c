// SPDX-License-Identifier: GPL-2.0-only
/* step.c - parse step lines: the verb table and one parser per verb. */
#include "model/step.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "base/text.h"
#include "model/sysctl_key.h"
#include "model/tcpinfo.h"

/* ---- sockets -------------------------------------------------------------- */

static bool sock_known(struct lp *p, enum side s, const char *name)
{
	int i;

	for (i = 0; i < p->nsocks[s]; i++)
		if (strcmp(p->socks[s][i], name) == 0)
			return true;
	return false;
}

/* A step that makes the socket (socket, bind, listen, connect, accept). */
static int sock_make(struct lp *p, enum side s, struct tok *t, char *dst)
{
	if (!lp_valid_name(t->text))
		return lp_at(p, t->col, "'%s' is not a socket name (letters, digits, '_', '-')",
		             t->text);
	text_copy(dst, SC_NAME_MAX, t->text);
	if (!sock_known(p, s, t->text)) {
		if (p->nsocks[s] == LP_MAX_SOCKETS)
			return lp_at(p, t->col, "more than %d sockets on one side", LP_MAX_SOCKETS);
		text_copy(p->socks[s][p->nsocks[s]++], SC_NAME_MAX, t->text);
	}
	return 0;
}

/* A step that uses a socket made earlier. */
static int sock_use(struct lp *p, struct tok *t, enum side s, char *dst)
{
	if (!sock_known(p, s, t->text))
		return lp_at(p, t->col, "no socket '%s' on the %s side yet", t->text, side_name(s));
	text_copy(dst, SC_NAME_MAX, t->text);
	return 0;
}

/* ---- calls on a socket ------------------------------------------------------ */

/* The socket a call names, made by this step (@make) or earlier. */
static int call_socket(struct lp *p, struct step *st, bool make)
{
	struct step_call *c = &st->call;
	struct tok *t;

	c->port = c->from_port = c->backlog = c->flowlabel = c->addrlen = c->sa_family = -1;
	if (lp_need(p, &t, "a socket name") < 0)
		return -1;
	if (make)
		return sock_make(p, st->side, t, c->sock);
	return sock_use(p, t, st->side, c->sock);
}

static int port_of(struct lp *p, struct tok *t, int *port)
{
	/* "8000" or "server:8000" / "client:8000" */
	struct tok num = *t;
	char *colon = strchr(t->text, ':');
	long n;

	if (colon) {
		text_copy(num.text, sizeof(num.text), colon + 1);
		num.col = t->col + (unsigned)(colon + 1 - t->text);
	}
	if (lp_number(p, &num, 1, 65535, &n) < 0)
		return -1;
	*port = (int)n;
	return 0;
}

static int parse_socket(struct lp *p, struct step *st)
{
	return call_socket(p, st, true) < 0 ? -1 : lp_no_more(p);
}

static int parse_setsockopt(struct lp *p, struct step *st)
{
	if (call_socket(p, st, true) < 0 || sockopt_parse(p, &st->call.opt) < 0)
		return -1;
	return lp_no_more(p);
}

/* bind and listen: [port N | ephemeral] [any] [backlog N (listen)] */
static int parse_bind(struct lp *p, struct step *st)
{
	struct step_call *c = &st->call;
	struct tok *t;
	long n;

	if (call_socket(p, st, true) < 0)
		return -1;
	while ((t = lp_next(p))) {
		if (lp_is(t, "port")) {
			if (lp_next_number(p, "a port", 0, 65535, &n) < 0)
				return -1;
			c->port = (int)n;
		} else if (lp_is(t, "ephemeral")) {
			c->port = 0;
		} else if (lp_is(t, "any") || lp_is(t, "loopback")) {
			if (c->any || c->loopback)
				return lp_at(p, t->col, "one address: any or loopback");
			c->any = lp_is(t, "any");
			c->loopback = !c->any;
		} else if (st->kind == ST_LISTEN && lp_is(t, "backlog")) {
			if (lp_next_number(p, "a backlog", -1, 1000000, &n) < 0)
				return -1;
			c->backlog = (int)n;
		} else {
			return lp_at(p, t->col,
			             "unexpected '%s' (port N, ephemeral, any, loopback%s)",
			             t->text, st->kind == ST_LISTEN ? ", backlog N" : "");
		}
	}
	return 0;
}

static int parse_connect(struct lp *p, struct step *st)
{
	struct step_call *c = &st->call;
	struct tok *t;
	long n;

	if (call_socket(p, st, true) < 0)
		return -1;
	if (lp_is(lp_peek(p), "to"))
		lp_next(p);
	if (lp_need(p, &t, "a port such as server:8000") < 0 || port_of(p, t, &c->port) < 0)
		return -1;
	c->any = strncmp(t->text, "any:", 4) == 0;
	c->nowhere = strncmp(t->text, "nowhere:", 8) == 0;
	c->linklocal = strncmp(t->text, "linklocal:", 10) == 0;
	c->broadcast = strncmp(t->text, "broadcast:", 10) == 0;
	c->self = strncmp(t->text, "self:", 5) == 0;
	{
		/* the peer (the other side), the unspecified address, or an
		 * address no route covers */
		const char *peer = st->side == SIDE_CLIENT ? "server" : "client";
		size_t plen = strlen(peer);

		if (strchr(t->text, ':') && !c->any && !c->nowhere && !c->linklocal &&
		    !c->broadcast && !c->self &&
		    !(strncmp(t->text, peer, plen) == 0 && t->text[plen] == ':'))
			return lp_at(p, t->col,
			             "expected %s:PORT, self:PORT, any:PORT, nowhere:PORT, "
			             "linklocal:PORT or broadcast:PORT, found '%s'",
			             peer, t->text);
	}
	while ((t = lp_next(p))) {
		if (lp_is(t, "from")) {
			if (lp_next_number(p, "a local port", 1, 65535, &n) < 0)
				return -1;
			c->from_port = (int)n;
		} else if (lp_is(t, "nonblock")) {
			c->nonblock = true;
		} else if (lp_is(t, "flowlabel")) {
			/* IPv6: a flow label in sin6_flowinfo, 20 bits (RFC 6437) */
			if (lp_next_number(p, "a flow label", 0, 0xfffff, &n) < 0)
				return -1;
			c->flowlabel = (int)n;
		} else if (lp_is(t, "mapped")) {
			/* IPv6: the peer's IPv4 address, ::ffff:a.b.c.d (RFC 4291 2.5.5.2) */
			if (c->any)
				return lp_at(p, t->col,
				             "mapped names an IPv4 address: not with any:PORT");
			c->mapped = true;
		} else if (lp_is(t, "addrlen")) {
			/* the length connect(2) is given: at most the buffer,
			 * a struct sockaddr_storage */
			if (lp_next_number(p, "an address length", 0, 128, &n) < 0)
				return -1;
			c->addrlen = (int)n;
		} else if (lp_is(t, "family")) {
			/* sa_family as sent: AF_INET 2, AF_INET6 10, ... */
			if (lp_next_number(p, "an address family", 0, 65535, &n) < 0)
				return -1;
			c->sa_family = (int)n;
		} else if (lp_is(t, "scope")) {
			/* IPv6: sin6_scope_id, the ifindex of a device (RFC 4007 11.2) */
			if (lp_need(p, &t, "link or lo") < 0 || dev_ref_parse(p, t, &c->scope) < 0)
				return -1;
		} else {
			return lp_at(p, t->col,
			             "unexpected '%s' (from PORT, nonblock, flowlabel N, mapped, "
			             "addrlen N, family N, scope link|lo)",
			             t->text);
		}
	}
	return 0;
}

static int parse_accept(struct lp *p, struct step *st)
{
	struct step_call *c = &st->call;
	struct tok *t;

	if (call_socket(p, st, true) < 0 || lp_expect(p, "from") < 0 ||
	    lp_need(p, &t, "the listening socket") < 0 || sock_use(p, t, st->side, c->other) < 0)
		return -1;
	if (lp_is(lp_peek(p), "nonblock")) {
		lp_next(p);
		c->nonblock = true;
	}
	return lp_no_more(p);
}

static int parse_send(struct lp *p, struct step *st)
{
	struct step_call *c = &st->call;
	struct tok *t;

	if (call_socket(p, st, false) < 0 || lp_need(p, &t, "a byte count or a \"string\"") < 0)
		return -1;
	if (t->quoted) {
		text_copy(c->text, sizeof(c->text), t->text);
		c->bytes = (long)strlen(c->text);
	} else if (lp_number(p, t, 1, 100L << 20, &c->bytes) < 0) {
		return -1;
	}
	if (lp_is(lp_peek(p), "nonblock")) {
		lp_next(p);
		c->nonblock = true;
	} else if (lp_is(lp_peek(p), "to")) {
		/* "send c 4000000 to s": the peer's s reads meanwhile. */
		lp_next(p);
		if (lp_need(p, &t, "the peer's socket") < 0 ||
		    sock_use(p, t, st->side == SIDE_CLIENT ? SIDE_SERVER : SIDE_CLIENT, c->other) <
		        0)
			return -1;
	}
	return lp_no_more(p);
}

static int parse_recv(struct lp *p, struct step *st)
{
	struct step_call *c = &st->call;
	struct tok *t;

	if (call_socket(p, st, false) < 0)
		return -1;
	c->bytes = -1;
	while ((t = lp_next(p))) {
		if (lp_is(t, "nonblock"))
			c->nonblock = true;
		else if (lp_number(p, t, 1, 100L << 20, &c->bytes) < 0)
			return -1;
	}
	return 0;
}

static int parse_shutdown(struct lp *p, struct step *st)
{
	struct tok *t;

	if (call_socket(p, st, false) < 0 || lp_need(p, &t, "rd, wr or rdwr") < 0)
		return -1;
	if (lp_is(t, "rd") || lp_is(t, "RD"))
		st->call.how = SHUT_RD;
	else if (lp_is(t, "wr") || lp_is(t, "WR"))
		st->call.how = SHUT_WR;
	else if (lp_is(t, "rdwr") || lp_is(t, "RDWR"))
		st->call.how = SHUT_RDWR;
	else
		return lp_at(p, t->col, "expected rd, wr or rdwr, found '%s'", t->text);
	return lp_no_more(p);
}

static int parse_close(struct lp *p, struct step *st)
{
	return call_socket(p, st, false) < 0 ? -1 : lp_no_more(p);
}

/* watch S [sigio|rdhup]: an epoll of its wake-ups (rdhup: registered for
 * EPOLLRDHUP alone), or (sigio) signal-driven I/O: the signals fcntl(2)
 * F_SETSIG asks for, one per kill_fasync() */
static int parse_watch(struct lp *p, struct step *st)
{
	if (call_socket(p, st, false) < 0)
		return -1;
	if (lp_is(lp_peek(p), "sigio")) {
		lp_next(p);
		st->call.sigio = true;
	} else if (lp_is(lp_peek(p), "rdhup")) {
		lp_next(p);
		st->call.rdhup = true;
	}
	return lp_no_more(p);
}

/* Was @sock of side @s watched (with sigio or not) by an earlier step? */
static bool watched(const struct lp *p, enum side s, const char *sock, bool sigio)
{
	for (size_t i = 0; i < p->nsteps; i++)
		if (p->steps[i].kind == ST_WATCH && p->steps[i].side == s &&
		    p->steps[i].call.sigio == sigio && strcmp(p->steps[i].call.sock, sock) == 0)
			return true;
	return false;
}

static int parse_flood(struct lp *p, struct step *st)
{
	struct step_flood *f = &st->flood;
	struct tok *t;
	long n;

	if (st->side != SIDE_CLIENT)
		return lp_at(p, p->t[0].col,
		             "only the client floods (crafted SYNs toward the server)");
	if (lp_need(p, &t, "a port such as server:8000") < 0 || port_of(p, t, &f->port) < 0)
		return -1;
	f->count = 100;
	f->rate = 1000;
	while ((t = lp_next(p))) {
		if (lp_is(t, "count")) {
			if (lp_next_number(p, "a count", 1, 100000, &n) < 0)
				return -1;
			f->count = (unsigned)n;
		} else if (lp_is(t, "rate")) {
			if (lp_next_number(p, "SYNs per second", 1, 1000000, &n) < 0)
				return -1;
			f->rate = (unsigned)n;
		} else {
			return lp_at(p, t->col, "unexpected '%s' (count N, rate N)", t->text);
		}
	}
	return 0;
}

/* ---- the wire, waits, marks ------------------------------------------------- */

/* Tokens from p->i up to (not including) token @stop, as a frame match
 * (the rule syntax without an action), into @m; p->i moves to @stop. */
static int match_rule(struct lp *p, struct rule *r, int stop)
{
	char buf[512];
	unsigned col;
	const char *text = lp_rest(p, p->i, &col);
	size_t len = p->i >= stop ? 0 : (stop < p->n ? p->t[stop].col : lp_end_col(p)) - col;

	if (len >= sizeof(buf))
		return lp_at(p, col, "frame match too long");
	memcpy(buf, text, len);
	buf[len] = '\0';
	p->i = stop;
	return rule_parse_match(buf, p->file, p->line, col, r, p->e);
}

static int match_tokens(struct lp *p, struct match *m, int stop)
{
	struct rule r;

	if (match_rule(p, &r, stop) < 0)
		return -1;
	*m = r.m;
	return 0;
}

static int parse_wire(struct lp *p, struct step *st)
{
	struct step_wire *w = &st->wire;
	struct tok *t = lp_peek(p);
	unsigned col;
	const char *text;

	st->side = SIDE_WIRE;
	if (lp_is(t, "remove") || lp_is(t, "release")) {
		lp_next(p);
		w->remove = true;
		if (lp_need(p, &t, "a rule name") < 0)
			return -1;
		text_copy(w->rule_name, sizeof(w->rule_name), t->text);
		return lp_no_more(p);
	}
	if (lp_is(t, "pass")) {
		lp_next(p);
		w->remove = true;
		strcpy(w->rule_name, "all");
		return lp_no_more(p);
	}
	text = lp_rest(p, p->i, &col);
	p->i = p->n;
	return rule_parse(text, p->file, p->line, col, &w->rule, p->e);
}

/* "diag STATE [port N]": only sockets with that local port. */
static int diag_port(struct lp *p, int *port)
{
	struct tok *t;
	long n;

	*port = -1;
	if (!lp_is(lp_peek(p), "port"))
		return 0;
	lp_next(p);
	if (lp_need(p, &t, "a port number") < 0 || lp_number(p, t, 1, 65535, &n) < 0)
		return -1;
	*port = (int)n;
	return 0;
}

/* "within DURATION" and the end of the line. */
static int within(struct lp *p, unsigned *ms)
{
	struct tok *t;

	if (lp_expect(p, "within") < 0 || lp_need(p, &t, "a duration") < 0 ||
	    lp_duration(p, t, ms) < 0)
		return -1;
	return lp_no_more(p);
}

static const struct step *mark_named(struct lp *p, const char *name);

/* wait until wire MATCH... [since MARK] [count N] within DURATION */
static int wait_wire(struct lp *p, struct step *st)
{
	struct step_wait *w = &st->wait;
	int i, end = -1, stop;
	struct tok *t;
	long n;

	w->until = WAIT_WIRE;
	st->side = SIDE_WIRE;
	w->min_count = 1;
	w->since_step = -1;
	for (i = p->i; i < p->n; i++)
		if (lp_is(&p->t[i], "within"))
			end = i;
	if (end < 0)
		return lp_at(p, lp_end_col(p),
		             "expected 'within DURATION' (every wait is bounded)");
	stop = end;
	for (i = p->i; i < end; i++) {
		if (lp_is(&p->t[i], "count") && i + 1 < end) {
			if (lp_number(p, &p->t[i + 1], 1, 1000000, &n) < 0)
				return -1;
			w->min_count = (unsigned)n;
			if (i + 2 != end)
				return lp_at(p, p->t[i + 2].col, "unexpected '%s' before 'within'",
				             p->t[i + 2].text);
			stop = i;
			break;
		}
	}
	/* [since MARK] between the match and [count N] */
	for (i = p->i; i < stop; i++) {
		if (lp_is(&p->t[i], "since")) {
			const struct step *mark;

			if (i + 1 >= stop)
				return lp_at(p, i + 1 < p->n ? p->t[i + 1].col : lp_end_col(p),
				             "expected the name of an earlier mark");
			mark = mark_named(p, p->t[i + 1].text);
			if (!mark)
				return lp_at(p, p->t[i + 1].col, "no earlier mark is named '%s'",
				             p->t[i + 1].text);
			if (i + 2 != stop)
				return lp_at(p, p->t[i + 2].col, "unexpected '%s' after since MARK",
				             p->t[i + 2].text);
			w->since_step = (int)(mark - p->steps);
			stop = i;
			break;
		}
	}
	if (match_tokens(p, &w->match, stop) < 0)
		return -1;
	p->i = end + 1;
	if (lp_need(p, &t, "a duration") < 0 || lp_duration(p, t, &w->ms) < 0)
		return -1;
	return lp_no_more(p);
}

/* wait until SIDE diag STATE [port N] count N within DURATION */
static int wait_diag(struct lp *p, struct step *st)
{
	struct step_wait *w = &st->wait;
	struct tok *t;
	long n;

	w->until = WAIT_DIAG;
	if (lp_need(p, &t, "a TCP state such as FIN_WAIT2") < 0)
		return -1;
	w->state = tcp_state_parse(t->text);
	if (w->state < 0)
		return lp_at(p, t->col, "unknown TCP state '%s' (TIME_WAIT, FIN_WAIT2, ...)",
		             t->text);
	if (diag_port(p, &w->port) < 0 || lp_expect(p, "count") < 0 ||
	    lp_need(p, &t, "a socket count") < 0 || lp_number(p, t, 0, 1000000, &n) < 0)
		return -1;
	w->min_count = (unsigned)n;
	return within(p, &w->ms);
}

/* "since MARK": the mark named, an earlier step, into *@since_step. */
static int since_mark(struct lp *p, int *since_step)
{
	const struct step *mark;
	struct tok *t;

	if (lp_need(p, &t, "the name of an earlier mark") < 0)
		return -1;
	mark = mark_named(p, t->text);
	if (!mark)
		return lp_at(p, t->col, "no earlier mark is named '%s'", t->text);
	*since_step = (int)(mark - p->steps);
	return 0;
}

/* "MIB.Name [since MARK]" of a counter, as observe and wait read it. */
static int counter_since(struct lp *p, const char *example, char *name, size_t len, int *since_step)
{
	struct tok *t;

	*since_step = -1;
	if (lp_need(p, &t, example) < 0)
		return -1;
	if (counter_name_parse(t->text, name, len) < 0)
		return lp_at(p, t->col,
		             "counters are MIB.Name, as TcpExt.ListenDrops or "
		             "Tcp.OutRsts, or nstat's TcpExtListenDrops");
	if (lp_peek(p) && lp_is(lp_peek(p), "since")) {
		lp_next(p);
		return since_mark(p, since_step);
	}
	return 0;
}

/* wait until SIDE counter MIB.Name [since MARK] count N within DURATION */
static int wait_counter(struct lp *p, struct step *st)
{
	struct step_wait *w = &st->wait;
	struct tok *t;
	long n;

	w->until = WAIT_COUNTER;
	if (counter_since(p, "a counter such as TcpExt.ListenOverflows", w->counter,
	                  sizeof(w->counter), &w->since_step) < 0)
		return -1;
	if (lp_expect(p, "count") < 0 || lp_need(p, &t, "a count") < 0 ||
	    lp_number(p, t, 1, 1000000, &n) < 0)
		return -1;
	w->min_count = (unsigned)n;
	return within(p, &w->ms);
}

/* wait until SIDE SOCK state STATE within DURATION */
static int wait_state(struct lp *p, struct step *st)
{
	struct step_wait *w = &st->wait;
	struct tok *t;

	w->until = WAIT_STATE;
	if (lp_need(p, &t, "a socket name") < 0 || sock_use(p, t, st->side, w->sock) < 0 ||
	    lp_expect(p, "state") < 0 || lp_need(p, &t, "a TCP state such as CLOSE_WAIT") < 0)
		return -1;
	w->state = tcp_state_parse(t->text);
	if (w->state < 0)
		return lp_at(p, t->col,
		             "unknown TCP state '%s' (ESTABLISHED, FIN_WAIT1, ... CLOSED)",
		             t->text);
	return within(p, &w->ms);
}

static int parse_wait(struct lp *p, struct step *st)
{
	struct tok *t;

	if (lp_need(p, &t, "a duration or 'until'") < 0)
		return -1;
	if (!lp_is(t, "until")) {
		st->wait.until = WAIT_TIME;
		if (lp_duration(p, t, &st->wait.ms) < 0)
			return -1;
		return lp_no_more(p);
	}
	if (lp_need(p, &t, "client, server or wire") < 0)
		return -1;
	if (lp_is(t, "wire"))
		return wait_wire(p, st);
	if (lp_side(p, t, false, &st->side) < 0)
		return -1;
	if (lp_is(lp_peek(p), "diag")) {
		lp_next(p);
		return wait_diag(p, st);
	}
	if (lp_is(lp_peek(p), "counter")) {
		lp_next(p);
		return wait_counter(p, st);
	}
	return wait_state(p, st);
}

/* The earlier "mark NAME", or NULL. */
static const struct step *mark_named(struct lp *p, const char *name)
{
	const struct step *found = NULL;

	for (size_t i = 0; i < p->nsteps; i++)
		if (p->steps[i].kind == ST_MARK && strcmp(p->steps[i].mark.name, name) == 0)
			found = &p->steps[i];
	return found;
}

/* SIDE sysctl KEY VALUE */
static int parse_sysctl(struct lp *p, struct step *st)
{
	struct step_sysctl *s = &st->sysctl;

	return lp_sysctl(p, s->key, sizeof(s->key), s->value, sizeof(s->value), NULL, NULL);
}

/* "mark NAME": both sides' counters are read here, for "since NAME". */
static int parse_mark(struct lp *p, struct step *st)
{
	const struct step *other;
	struct tok *t;

	if (lp_need(p, &t, "a mark name") < 0)
		return -1;
	if (!lp_valid_name(t->text))
		return lp_at(p, t->col, "'%s' is not a mark name", t->text);
	other = mark_named(p, t->text);
	if (other)
		return lp_at(p, t->col, "mark '%s' already set on line %u", t->text, other->line);
	/* An observation "since" it must find it taken in every variant. */
	if (st->when_var[0])
		return lp_at(p, t->col, "a mark cannot be conditional");
	if (st->as[0])
		return lp_at(p, t->col, "a mark is not an observation: no 'as NAME'");
	text_copy(st->mark.name, sizeof(st->mark.name), t->text);
	return lp_no_more(p);
}

/* ---- observations ------------------------------------------------------------ */

/* What "observe wire" reads of the matching frames, by name. */
static const struct {
	const char *name;
	enum obs_kind obs;
} wire_fields[] = {
    {"count", OB_WIRE_COUNT},
    {"flags", OB_WIRE_FLAGS},
    {"times", OB_WIRE_TIMES},
    {"seqs", OB_WIRE_SEQS},
    {"acks", OB_WIRE_ACKS},
    {"age", OB_WIRE_AGE},
    {"opts", OB_WIRE_OPTS},
    {"tsvals", OB_WIRE_TSVALS},
    {"tsecrs", OB_WIRE_TSECRS},
    {"wins", OB_WIRE_WINS},
    {"tos", OB_WIRE_TOS},
    {"ttls", OB_WIRE_TTLS},
    {"flowlabels", OB_WIRE_FLOWLABELS},
};

/* "count, flags, ... or flowlabels" */
static void wire_field_names(char *out, size_t len)
{
	size_t n = sizeof(wire_fields) / sizeof(wire_fields[0]), k, used = 0;

	out[0] = '\0';
	for (k = 0; k < n && used < len; k++) {
		snprintf(out + used, len - used, "%s%s",
		         k == 0      ? ""
		         : k + 1 < n ? ", "
		                     : " or ",
		         wire_fields[k].name);
		used = strlen(out);
	}
}

/* observe wire FIELD MATCH [since MARK], FIELD one of wire_fields */
static int observe_wire(struct lp *p, struct step *st)
{
	struct step_observe *o = &st->observe;
	char names[160];
	struct tok *t;
	size_t k;
	int stop;

	st->side = SIDE_WIRE;
	wire_field_names(names, sizeof(names));
	if (lp_need(p, &t, names) < 0)
		return -1;
	for (k = 0; k < sizeof(wire_fields) / sizeof(wire_fields[0]); k++)
		if (lp_is(t, wire_fields[k].name))
			break;
	if (k == sizeof(wire_fields) / sizeof(wire_fields[0]))
		return lp_at(p, t->col, "expected %s, found '%s'", names, t->text);
	o->obs = wire_fields[k].obs;
	/* "as NAME" was taken off the line already; "since MARK" ends it */
	for (stop = p->i; stop < p->n && !lp_is(&p->t[stop], "since"); stop++)
		;
	if (match_tokens(p, &o->match, stop) < 0)
		return -1;
	if (stop == p->n)
		return 0;
	lp_next(p);
	if (since_mark(p, &o->since_step) < 0)
		return -1;
	return lp_no_more(p);
}

/* observe SIDE counter MIB.Name [since MARK] */
static int observe_counter(struct lp *p, struct step *st)
{
	struct step_observe *o = &st->observe;

	o->obs = OB_COUNTER;
	return counter_since(p, "a counter such as TcpExt.TCPAbortOnData", o->field,
	                     sizeof(o->field), &o->since_step);
}

/* observe SIDE diag STATE [port N] [count|timer|peerport] */
static int observe_diag(struct lp *p, struct step *st)
{
	struct step_observe *o = &st->observe;
	struct tok *t;

	if (lp_need(p, &t, "a TCP state such as TIME_WAIT") < 0)
		return -1;
	o->state = tcp_state_parse(t->text);
	if (o->state < 0)
		return lp_at(p, t->col, "unknown TCP state '%s'", t->text);
	text_copy(o->field, sizeof(o->field), t->text);
	o->obs = OB_DIAG_COUNT;
	if (diag_port(p, &o->port) < 0)
		return -1;
	if (lp_is(lp_peek(p), "count")) {
		lp_next(p);
	} else if (lp_is(lp_peek(p), "timer")) {
		lp_next(p);
		o->obs = OB_DIAG_TIMER;
	} else if (lp_is(lp_peek(p), "peerport")) {
		lp_next(p);
		o->obs = OB_DIAG_PEERPORT;
	}
	return 0;
}

/* observe SIDE SOCK state|states|sockname|tsoffset|error|wakeups|sigio|savedsyn|sockopt
 * NAME|tcpinfo FIELD */
static int observe_socket(struct lp *p, struct step *st, struct tok *t)
{
	struct step_observe *o = &st->observe;

	if (sock_use(p, t, st->side, o->sock) < 0 ||
	    lp_need(p, &t,
	            "state, states, sockname, tsoffset, error, wakeups, sigio, savedsyn, sockopt "
	            "or tcpinfo") < 0)
		return -1;
	if (lp_is(t, "state")) {
		o->obs = OB_STATE;
	} else if (lp_is(t, "sockname")) {
		o->obs = OB_SOCKNAME;
	} else if (lp_is(t, "savedsyn")) {
		o->obs = OB_SAVEDSYN;
	} else if (lp_is(t, "states")) {
		o->obs = OB_STATES;
	} else if (lp_is(t, "tsoffset")) {
		o->obs = OB_TSOFFSET;
	} else if (lp_is(t, "error")) {
		o->obs = OB_SOERROR;
	} else if (lp_is(t, "wakeups") || lp_is(t, "sigio")) {
		bool sigio = lp_is(t, "sigio");

		o->obs = sigio ? OB_SIGIO : OB_WAKEUPS;
		if (!watched(p, st->side, o->sock, sigio))
			return lp_at(
			    p, t->col, "%s of '%s': no '%s watch %s%s' before this line, so %s",
			    t->text, o->sock, side_name(st->side), o->sock, sigio ? " sigio" : "",
			    sigio ? "no signal is asked for" : "nothing counts them");
	} else if (lp_is(t, "sockopt")) {
		int level, opt;

		o->obs = OB_SOCKOPT;
		if (lp_need(p, &t, "a socket option such as TCP_WINDOW_CLAMP") < 0)
			return -1;
		if (sockopt_int_option(t->text, &level, &opt) < 0)
			return lp_at(p, t->col,
			             "'%s' is not an option whose value is an int (SO_RCVBUF, "
			             "TCP_MAXSEG, TCP_WINDOW_CLAMP, ...)",
			             t->text);
		text_copy(o->field, sizeof(o->field), t->text);
	} else if (lp_is(t, "tcpinfo")) {
		o->obs = OB_TCPINFO;
		if (lp_need(p, &t, "a TCP_INFO field such as retransmits") < 0)
			return -1;
		if (!tcpinfo_field(t->text))
			return lp_at(p, t->col, "unknown TCP_INFO field '%s'", t->text);
		text_copy(o->field, sizeof(o->field), t->text);
	} else {
		return lp_at(
		    p, t->col,
		    "expected state, states, sockname, tsoffset, error, wakeups, sigio, savedsyn, "
		    "sockopt or tcpinfo, found "
		    "'%s'",
		    t->text);
	}
	return 0;
}

/* The observation of one side that @t begins. */
static int observe_side(struct lp *p, struct step *st, struct tok *t)
{
	struct step_observe *o = &st->observe;

	if (lp_is(t, "counter"))
		return observe_counter(p, st);
	if (lp_is(t, "diag"))
		return observe_diag(p, st);
	if (lp_is(t, "sysctl")) {
		struct err e2;

		o->obs = OB_SYSCTL;
		if (lp_need(p, &t, "a sysctl key") < 0)
			return -1;
		if (sysctl_canonical(t->text, o->field, sizeof(o->field), &e2) < 0)
			return lp_at(p, t->col, "%s", e2.msg);
		return 0;
	}
	if (lp_is(t, "sockstat")) {
		o->obs = OB_SOCKSTAT;
		if (lp_need(p, &t, "inuse or tw") < 0)
			return -1;
		if (!lp_is(t, "inuse") && !lp_is(t, "tw"))
			return lp_at(p, t->col, "expected inuse or tw, found '%s'", t->text);
		text_copy(o->field, sizeof(o->field), t->text);
		return lp_no_more(p);
	}
	if (lp_is(t, "retransmits")) {
		o->obs = OB_RETRANS;
		text_copy(o->field, sizeof(o->field), "skb");
		if (lp_is(lp_peek(p), "synack")) {
			lp_next(p);
			text_copy(o->field, sizeof(o->field), "synack");
		}
		return 0;
	}
	if (lp_is(t, "resets")) {
		o->obs = OB_RESETS;
		if (lp_need(p, &t, "sent or received") < 0)
			return -1;
		if (!lp_is(t, "sent") && !lp_is(t, "received"))
			return lp_at(p, t->col, "expected sent or received, found '%s'", t->text);
		text_copy(o->field, sizeof(o->field), t->text);
		return 0;
	}
	return observe_socket(p, st, t);
}

static int parse_observe(struct lp *p, struct step *st)
{
	struct tok *t;
	int r;

	st->observe.since_step = -1;
	st->observe.port = -1;
	if (lp_need(p, &t, "client, server or wire") < 0)
		return -1;
	if (lp_is(t, "wire")) {
		r = observe_wire(p, st);
	} else {
		if (lp_side(p, t, false, &st->side) < 0 ||
		    lp_need(p, &t, "a socket, diag, counter, sockstat, resets or retransmits") < 0)
			return -1;
		r = observe_side(p, st, t);
	}
	if (r == 0 && !st->as[0])
		return lp_at(p, lp_end_col(p), "an observation needs a name: ... as NAME");
	return r;
}

/* ---- the verbs -------------------------------------------------------------- */

/* route ports MATCH only|unreachable: MATCH in the frame-match language
 * (model/rule.c), of which a policy rule takes sport=A[-B] and
 * dport=C[-D] only */
static int route_ports(struct lp *p, struct step *st)
{
	struct step_route *r = &st->route;
	unsigned col = p->i < p->n ? p->t[p->i].col : lp_end_col(p);
	const struct tok *last = p->n > p->i ? &p->t[p->n - 1] : NULL;
	struct rule m;

	if (!last || p->n - p->i < 2 || !(lp_is(last, "only") || lp_is(last, "unreachable")))
		return lp_at(p, last ? last->col : col,
		             "expected sport=A[-B] and/or dport=C[-D], then only or unreachable");
	if (match_rule(p, &m, p->n - 1) < 0)
		return -1;
	if (m.m.dir != DIR_ANY || m.m.has_flags || m.m.port >= 0 || m.m.len_op != LEN_ANY ||
	    m.m.has_seq || m.nth != 1 || m.count != 0 || (m.m.sport < 0 && m.m.dport < 0))
		return lp_at(p, col,
		             "a policy rule matches sport=A[-B] and/or dport=C[-D], and nothing "
		             "else");
	if (m.m.sport == 0 || m.m.dport == 0)
		return lp_at(p, col, "port 0 is no port to route by");
	r->ports = true;
	r->ports_only = lp_is(last, "only");
	if (m.m.sport > 0) {
		r->sport_lo = (unsigned short)m.m.sport;
		r->sport_hi = (unsigned short)m.m.sport_hi;
	}
	if (m.m.dport > 0) {
		r->dport_lo = (unsigned short)m.m.dport;
		r->dport_hi = (unsigned short)m.m.dport_hi;
	}
	p->i = p->n;
	return 0;
}

/* route nowhere unreachable|prohibit|blackhole | route fwmark N only |
 * route ports MATCH only|unreachable | route peer rto_min DURATION */
static int parse_route(struct lp *p, struct step *st)
{
	static const char *const types[] = {[ROUTE_UNREACHABLE] = "unreachable",
	                                    [ROUTE_PROHIBIT] = "prohibit",
	                                    [ROUTE_BLACKHOLE] = "blackhole"};
	struct tok *t;
	size_t i;
	long n;

	if (lp_need(p, &t, "nowhere") < 0)
		return -1;
	if (lp_is(t, "peer")) {
		unsigned ms;

		if (lp_need(p, &t, "rto_min") < 0)
			return -1;
		if (!lp_is(t, "rto_min"))
			return lp_at(p, t->col, "expected rto_min, found '%s'", t->text);
		if (lp_need(p, &t, "a duration (1ms to 60s)") < 0 || lp_duration(p, t, &ms) < 0)
			return -1;
		/* the kernel takes any u32 ms; a bound that says what is meant */
		if (ms < 1 || ms > 60000)
			return lp_at(p, t->col, "rto_min %s: want 1ms to 60s", t->text);
		st->route.peer_rto_min_ms = ms;
		return lp_no_more(p);
	}
	if (lp_is(t, "fwmark")) {
		if (lp_need(p, &t, "a mark (1 to 4294967295)") < 0 ||
		    lp_number(p, t, 1, 4294967295L, &n) < 0)
			return -1;
		st->route.fwmark = true;
		st->route.mark = (unsigned)n;
		if (lp_need(p, &t, "only") < 0)
			return -1;
		if (!lp_is(t, "only"))
			return lp_at(p, t->col, "expected only, found '%s'", t->text);
		return lp_no_more(p);
	}
	if (lp_is(t, "ports"))
		return route_ports(p, st);
	if (!lp_is(t, "nowhere"))
		return lp_at(
		    p, t->col,
		    "expected nowhere, fwmark, ports or peer, found '%s' (the only prefixes a "
		    "route may "
		    "be added to: RFC 5737's 192.0.2.0/24, RFC 3849's 2001:db8::/32, and the "
		    "peer's own address)",
		    t->text);
	if (lp_need(p, &t, "a route type") < 0)
		return -1;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (lp_is(t, types[i])) {
			st->route.type = (enum route_type)i;
			return lp_no_more(p);
		}
	return lp_at(p, t->col, "unknown route type '%s' (unreachable, prohibit, blackhole)",
	             t->text);
}

/*
 * Every verb of the case language, indexed by its kind: its name, how its
 * line begins, its parser and a help line (README.md's table says the
 * same at length).  This table is the parse half of a verb; the run half,
 * run/steps.c's runners, is a table indexed by the same kind.  They are two
 * because the layers are: this one is model/ (text in, structs out, no
 * system call), the runners make the calls (run/, which may include model/
 * but never the reverse).  tests/test_scenario.c checks that every kind has
 * both halves.  The order of the kinds is the order in which errors list
 * the verbs.
 */
const struct step_verb step_verbs[ST_COUNT] = {
    [ST_SOCKET] = {"socket", VERB_SIDE, false, parse_socket, "socket S"},
    [ST_SETSOCKOPT] = {"setsockopt", VERB_SIDE, false, parse_setsockopt,
                       "setsockopt S OPTION VALUE"},
    [ST_BIND] = {"bind", VERB_SIDE, false, parse_bind, "bind S [port N|ephemeral] [any|loopback]"},
    [ST_LISTEN] = {"listen", VERB_SIDE, false, parse_bind,
                   "listen S [port N] [any|loopback] [backlog N]"},
    [ST_CONNECT] = {"connect", VERB_SIDE, false, parse_connect,
                    "connect S to server:PORT|self:PORT|any:PORT|nowhere:PORT|linklocal:PORT|"
                    "broadcast:PORT "
                    "[from PORT] [nonblock] "
                    "[flowlabel N] [mapped] [addrlen N] [family N]"},
    [ST_ACCEPT] = {"accept", VERB_SIDE, false, parse_accept, "accept S from L [nonblock]"},
    [ST_SEND] = {"send", VERB_SIDE, false, parse_send, "send S N|\"text\" [nonblock | to P]"},
    [ST_RECV] = {"recv", VERB_SIDE, false, parse_recv, "recv S [N] [nonblock]"},
    [ST_SHUTDOWN] = {"shutdown", VERB_SIDE, false, parse_shutdown, "shutdown S rd|wr|rdwr"},
    [ST_CLOSE] = {"close", VERB_SIDE, false, parse_close, "close S"},
    [ST_WATCH] = {"watch", VERB_SIDE, false, parse_watch, "watch S [sigio|rdhup]"},
    [ST_FLOOD] = {"flood", VERB_SIDE, false, parse_flood, "flood server:PORT [count N] [rate R]"},
    [ST_ROUTE] = {"route", VERB_SIDE, false, parse_route,
                  "route nowhere unreachable|prohibit|blackhole | route fwmark N only | route "
                  "ports [sport=A[-B]] [dport=C[-D]] only|unreachable | route peer rto_min "
                  "DURATION"},
    [ST_SYSCTL] = {"sysctl", VERB_SIDE, false, parse_sysctl, "sysctl KEY VALUE"},
    [ST_WIRE] = {"wire", VERB_LINE, true, parse_wire, "wire RULE | remove NAME | pass"},
    [ST_WAIT] = {"wait", VERB_LINE, false, parse_wait,
                 "wait DURATION | until SIDE S state STATE within DURATION"
                 " | until wire MATCH [since MARK] [count N] within DURATION"
                 " | until SIDE diag STATE [port N] count N within DURATION"
                 " | until SIDE counter MIB.Name [since MARK] count N within DURATION"},
    [ST_MARK] = {"mark", VERB_LINE, false, parse_mark, "mark NAME"},
    [ST_OBSERVE] =
        {"observe", VERB_LINE, false, parse_observe,
         "observe SIDE S state|states|sockname|tsoffset|error|wakeups|sigio|savedsyn|sockopt "
         "NAME|tcpinfo "
         "FIELD"
         " | SIDE diag STATE [port N] [count|timer|peerport]"
         " | SIDE counter MIB.Name [since MARK] | SIDE resets sent|received"
         " | SIDE retransmits [synack] | SIDE sysctl KEY"
         " | wire count|flags|times|seqs|acks|age|opts|tsvals|tsecrs|wins|tos|ttls|flowlabels MATCH"
         " [since MARK]"},
};

static const struct step_verb *verb_find(enum verb_form form, const struct tok *t)
{
	size_t k;

	for (k = 0; k < ST_COUNT; k++)
		if (step_verbs[k].form == form && lp_is(t, step_verbs[k].name))
			return &step_verbs[k];
	return NULL;
}

/* The names of the verbs of @form, joined by ", ", after what @buf holds. */
static void verb_names(enum verb_form form, char *buf, size_t len)
{
	size_t k, n;

	for (k = 0; k < ST_COUNT; k++) {
		if (step_verbs[k].form != form)
			continue;
		n = strlen(buf);
		snprintf(buf + n, len - n, "%s%s", n ? ", " : "", step_verbs[k].name);
	}
}

void step_keywords(char *buf, size_t len)
{
	snprintf(buf, len, "%s, %s", side_name(SIDE_CLIENT), side_name(SIDE_SERVER));
	verb_names(VERB_LINE, buf, len);
}

bool step_owns_as(const struct tok *kw)
{
	const struct step_verb *v = verb_find(VERB_LINE, kw);

	return v && v->own_as;
}

int step_parse(struct lp *p, struct step *st, struct tok *kw)
{
	const struct step_verb *v;
	struct tok *verb;

	if (lp_is(kw, side_name(SIDE_CLIENT)) || lp_is(kw, side_name(SIDE_SERVER))) {
		lp_side(p, kw, false, &st->side);
		if (lp_need(p, &verb, "a step such as connect, listen, send or close") < 0)
			return -1;
		v = verb_find(VERB_SIDE, verb);
		if (!v) {
			char names[256] = "";

			verb_names(VERB_SIDE, names, sizeof(names));
			return lp_at(p, verb->col, "unknown step '%s' (%s)", verb->text, names);
		}
	} else {
		v = verb_find(VERB_LINE, kw);
		if (!v)
			return 1;
	}
	st->kind = (enum step_kind)(v - step_verbs);
	if (v->parse(p, st) < 0)
		return -1;
	if (p->i < p->n)
		return lp_no_more(p);
	return 0;
}
