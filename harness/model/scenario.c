// SPDX-License-Identifier: GPL-2.0-only
/* scenario.c - parse case files into scenarios; enumerate variants. */
#include "model/scenario.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base/num.h"
#include "base/text.h"
#include "host/sysctl.h"

#define MAX_TOKENS  48
#define MAX_SOCKETS 64

/* ---- tokens --------------------------------------------------------------- */

struct tok {
	char text[SC_VALUE_MAX * 2];
	unsigned col; /* 1-based column of its first character */
	bool quoted;
};

struct lp { /* line parser */
	const char *file;
	unsigned line;
	const char *raw; /* the line, for rule columns */
	struct tok t[MAX_TOKENS];
	int n, i;
	struct err *e;
	struct scenario *sc;
	/* sockets created so far, per side */
	char socks[2][MAX_SOCKETS][SC_NAME_MAX];
	int nsocks[2];
};

__attribute__((format(printf, 3, 4))) static int at(struct lp *p, unsigned col, const char *fmt,
                                                    ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_at(p->e, p->file, p->line, col, "%s", msg);
}

/* Split @line; '#' outside quotes ends it.  Returns -1 on a quoting error. */
static int tokenize(struct lp *p, const char *line)
{
	const char *s = line;

	p->n = 0;
	p->i = 0;
	for (;;) {
		struct tok *t;
		size_t k = 0;

		while (*s && isspace((unsigned char)*s))
			s++;
		if (!*s || *s == '#')
			return 0;
		if (p->n == MAX_TOKENS)
			return at(p, (unsigned)(s - line) + 1, "too many words on one line");
		t = &p->t[p->n++];
		t->col = (unsigned)(s - line) + 1;
		t->quoted = *s == '"';
		if (t->quoted) {
			s++;
			while (*s && *s != '"') {
				if (*s == '\\' && s[1])
					s++;
				if (k + 1 < sizeof(t->text))
					t->text[k++] = *s;
				s++;
			}
			if (*s != '"')
				return at(p, t->col, "unterminated string");
			s++;
		} else {
			while (*s && !isspace((unsigned char)*s)) {
				if (k + 1 < sizeof(t->text))
					t->text[k++] = *s;
				s++;
			}
		}
		t->text[k] = '\0';
	}
}

static struct tok *peek(struct lp *p)
{
	return p->i < p->n ? &p->t[p->i] : NULL;
}

static struct tok *next(struct lp *p)
{
	return p->i < p->n ? &p->t[p->i++] : NULL;
}

/* Column just past the last token, for "expected ..." at end of line. */
static unsigned end_col(struct lp *p)
{
	if (!p->n)
		return 1;
	return p->t[p->n - 1].col + (unsigned)strlen(p->t[p->n - 1].text) +
	       (p->t[p->n - 1].quoted ? 2 : 0);
}

static int need(struct lp *p, struct tok **t, const char *what)
{
	*t = next(p);
	if (!*t)
		return at(p, end_col(p), "expected %s", what);
	return 0;
}

static bool is(const struct tok *t, const char *s)
{
	return t && !t->quoted && strcmp(t->text, s) == 0;
}

static int expect_word(struct lp *p, const char *word)
{
	struct tok *t = next(p);

	if (!t)
		return at(p, end_col(p), "expected '%s'", word);
	if (!is(t, word))
		return at(p, t->col, "expected '%s', found '%s'", word, t->text);
	return 0;
}

static int no_more(struct lp *p)
{
	struct tok *t = peek(p);

	if (t)
		return at(p, t->col, "unexpected '%s'", t->text);
	return 0;
}

/* Every number of the language goes through num.h: decimal, range-checked. */
static int number(struct lp *p, struct tok *t, long min, long max, long *out)
{
	long long v;
	enum num_status r =
	    t->quoted ? NUM_SYNTAX : num_int(t->text, strlen(t->text), min, max, &v, NULL);

	if (r == NUM_SYNTAX)
		return at(p, t->col, "expected a number, found '%s'", t->text);
	if (r == NUM_RANGE)
		return at(p, t->col, "%s is out of range (%ld..%ld)", t->text, min, max);
	*out = (long)v;
	return 0;
}

static int next_number(struct lp *p, const char *what, long min, long max, long *out)
{
	struct tok *t;

	if (need(p, &t, what) < 0)
		return -1;
	return number(p, t, min, max, out);
}

/* 1500ms, 2s, 1.5s, 2min */
static int duration(struct lp *p, struct tok *t, unsigned *ms)
{
	const char *end;
	double v;
	enum num_status r = t->quoted ? NUM_SYNTAX : num_decimal(t->text, false, &v, &end);

	if (r == NUM_SYNTAX)
		return at(p, t->col, "expected a duration such as 500ms or 2s, found '%s'",
		          t->text);
	if (r == NUM_RANGE)
		return at(p, t->col, "duration longer than an hour");
	if (strcmp(end, "ms") == 0)
		;
	else if (strcmp(end, "s") == 0)
		v *= 1000;
	else if (strcmp(end, "min") == 0)
		v *= 60000;
	else
		return at(p, t->col + (unsigned)(end - t->text),
		          "expected a unit: ms, s or min (as in 500ms or 2s)");
	if (v > 3600000)
		return at(p, t->col, "duration longer than an hour");
	*ms = (unsigned)(v + 0.5);
	return 0;
}

static int side_of(struct lp *p, struct tok *t, bool allow_both, enum side *s)
{
	if (is(t, "client"))
		*s = SIDE_CLIENT;
	else if (is(t, "server"))
		*s = SIDE_SERVER;
	else if (allow_both && is(t, "both"))
		*s = SIDE_BOTH;
	else
		return at(p, t->col, "expected client, server%s; found '%s'",
		          allow_both ? " or both" : "", t->text);
	return 0;
}

static bool valid_name(const char *s)
{
	size_t i;

	if (!*s || strlen(s) >= SC_NAME_MAX || !(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	for (i = 0; s[i]; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return false;
	return true;
}

/* Observation names: a name, or names joined by '.'; they name checks in
 * results.ktap and junit.xml. */
static bool valid_obs_name(const char *s)
{
	size_t i;

	if (strlen(s) >= SC_KEY_MAX || !(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	for (i = 0; s[i]; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-' && s[i] != '.')
			return false;
	return true;
}

static bool word_char(char ch)
{
	unsigned char c = (unsigned char)ch;

	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == ':' || c == '+' || c == '-';
}

/* Whether @s is a word (scenario.h); if not, why in @why and where, at
 * offset *bad. */
static bool word_check(const char *s, size_t *bad, char *why, size_t wlen)
{
	size_t i;

	*bad = 0;
	if (!*s) {
		snprintf(why, wlen, "is empty");
		return false;
	}
	if (s[0] == '.') {
		snprintf(why, wlen, "cannot start with '.'");
		return false;
	}
	for (i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (word_char(s[i]))
			continue;
		*bad = i;
		if (c >= ' ' && c < 0x7f)
			snprintf(why, wlen, "cannot hold '%c'", c);
		else
			snprintf(why, wlen, "cannot hold byte 0x%02x", c);
		return false;
	}
	if (i > SC_WORD_MAX) {
		*bad = SC_WORD_MAX;
		snprintf(why, wlen, "is longer than %d characters", SC_WORD_MAX);
		return false;
	}
	return true;
}

bool scenario_word_ok(const char *s)
{
	char why[64];
	size_t bad;

	return word_check(s, &bad, why, sizeof(why));
}

/* @s (written at column @col) becomes part of variant names: a word. */
static int need_word(struct lp *p, const char *s, unsigned col, const char *what)
{
	char why[64];
	size_t bad;

	if (word_check(s, &bad, why, sizeof(why)))
		return 0;
	return at(p, col + (unsigned)bad,
	          "%s %s: it names variants, so it is a word of letters, digits, '.', '_', "
	          "':', '+' and '-' (at most %d characters, not starting with '.')",
	          what, why, SC_WORD_MAX);
}

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
static int sock_make(struct lp *p, struct step *st, struct tok *t)
{
	if (!valid_name(t->text))
		return at(p, t->col, "'%s' is not a socket name (letters, digits, '_', '-')",
		          t->text);
	text_copy(st->sock, sizeof(st->sock), t->text);
	if (!sock_known(p, st->side, t->text)) {
		if (p->nsocks[st->side] == MAX_SOCKETS)
			return at(p, t->col, "more than %d sockets on one side", MAX_SOCKETS);
		text_copy(p->socks[st->side][p->nsocks[st->side]++], SC_NAME_MAX, t->text);
	}
	return 0;
}

/* A step that uses a socket made earlier. */
static int sock_use(struct lp *p, struct step *st, struct tok *t, enum side s, char *dst)
{
	if (!sock_known(p, s, t->text))
		return at(p, t->col, "no socket '%s' on the %s side yet", t->text, side_name(s));
	text_copy(dst, SC_NAME_MAX, t->text);
	(void)st;
	return 0;
}

/* ---- socket options --------------------------------------------------------- */

static const struct {
	const char *name;
	int level, opt;
} sockopts[] = {
    {"SO_REUSEADDR", SOL_SOCKET, SO_REUSEADDR},
    {"SO_REUSEPORT", SOL_SOCKET, SO_REUSEPORT},
    {"SO_LINGER", SOL_SOCKET, SO_LINGER},
    {"SO_KEEPALIVE", SOL_SOCKET, SO_KEEPALIVE},
    {"SO_RCVBUF", SOL_SOCKET, SO_RCVBUF},
    {"SO_SNDBUF", SOL_SOCKET, SO_SNDBUF},
    {"TCP_NODELAY", IPPROTO_TCP, TCP_NODELAY},
    {"TCP_LINGER2", IPPROTO_TCP, TCP_LINGER2},
    {"TCP_SYNCNT", IPPROTO_TCP, TCP_SYNCNT},
    {"TCP_QUICKACK", IPPROTO_TCP, TCP_QUICKACK},
    {"TCP_MAXSEG", IPPROTO_TCP, TCP_MAXSEG},
    {"TCP_USER_TIMEOUT", IPPROTO_TCP, TCP_USER_TIMEOUT},
    {"TCP_DEFER_ACCEPT", IPPROTO_TCP, TCP_DEFER_ACCEPT},
};

static int level_of(const char *s, int *level)
{
	long long n;

	if (strcmp(s, "SOL_SOCKET") == 0)
		*level = SOL_SOCKET;
	else if (strcmp(s, "IPPROTO_TCP") == 0 || strcmp(s, "SOL_TCP") == 0)
		*level = IPPROTO_TCP;
	else if (strcmp(s, "IPPROTO_IP") == 0)
		*level = IPPROTO_IP;
	else if (strcmp(s, "IPPROTO_IPV6") == 0)
		*level = IPPROTO_IPV6;
	else if (num_int(s, strlen(s), INT_MIN, INT_MAX, &n, NULL) == NUM_OK)
		*level = (int)n;
	else
		return -1;
	return 0;
}

static int parse_sockopt(struct lp *p, struct step *st)
{
	struct tok *o, *v;
	size_t i;
	long n;

	if (need(p, &o, "a socket option such as SO_REUSEADDR") < 0)
		return -1;
	text_copy(st->opt_text, sizeof(st->opt_text), o->text);
	for (i = 0; i < sizeof(sockopts) / sizeof(sockopts[0]); i++)
		if (strcmp(o->text, sockopts[i].name) == 0)
			break;
	if (i < sizeof(sockopts) / sizeof(sockopts[0])) {
		st->opt_level = sockopts[i].level;
		st->opt_name = sockopts[i].opt;
		st->opt_is_linger = st->opt_name == SO_LINGER && st->opt_level == SOL_SOCKET;
	} else {
		/* LEVEL:OPTNAME, numbers or level names: options Linux lacks. */
		char *colon = strchr(o->text, ':');
		long long num;
		enum num_status r;

		if (!colon)
			return at(p, o->col,
			          "unknown socket option '%s' (SO_REUSEADDR, SO_REUSEPORT, "
			          "SO_LINGER, TCP_NODELAY, TCP_LINGER2, TCP_SYNCNT, TCP_QUICKACK, "
			          "... or LEVEL:NUMBER)",
			          o->text);
		*colon = '\0';
		if (level_of(o->text, &st->opt_level) < 0) {
			*colon = ':';
			return at(p, o->col, "unknown option level '%.*s'", (int)(colon - o->text),
			          o->text);
		}
		*colon = ':';
		r = num_int(colon + 1, strlen(colon + 1), INT_MIN, INT_MAX, &num, NULL);
		if (r == NUM_RANGE)
			return at(p, o->col + (unsigned)(colon + 1 - o->text),
			          "option number out of range (%d..%d)", INT_MIN, INT_MAX);
		if (r != NUM_OK)
			return at(p, o->col + (unsigned)(colon + 1 - o->text),
			          "expected an option number after ':'");
		st->opt_name = (int)num;
	}
	if (need(p, &v, "a value") < 0)
		return -1;
	if (st->opt_is_linger) {
		/* on,SECONDS | off | 1,0 */
		char *comma = strchr(v->text, ',');

		if (strcmp(v->text, "off") == 0) {
			st->opt_value = 0;
			st->opt_value2 = 0;
			return 0;
		}
		if (!comma)
			return at(p, v->col, "SO_LINGER takes ONOFF,SECONDS (as 1,0) or off");
		*comma = '\0';
		if (strcmp(v->text, "on") == 0)
			st->opt_value = 1;
		else if (strcmp(v->text, "off") == 0 || strcmp(v->text, "0") == 0)
			st->opt_value = 0;
		else if (strcmp(v->text, "1") == 0)
			st->opt_value = 1;
		else {
			*comma = ',';
			return at(p, v->col, "SO_LINGER: l_onoff is on, off, 1 or 0");
		}
		*comma = ',';
		{
			struct tok secs = *v;

			text_copy(secs.text, sizeof(secs.text), comma + 1);
			secs.col = v->col + (unsigned)(comma + 1 - v->text);
			if (number(p, &secs, 0, 65535, &n) < 0)
				return -1;
		}
		st->opt_value2 = (int)n;
		return 0;
	}
	if (number(p, v, -2147483647L - 1, 2147483647L, &n) < 0)
		return -1;
	st->opt_value = (int)n;
	return 0;
}

/* ---- steps -------------------------------------------------------------- */

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
	if (number(p, &num, 1, 65535, &n) < 0)
		return -1;
	*port = (int)n;
	return 0;
}

static int socket_step(struct lp *p, struct step *st, struct tok *verb)
{
	struct tok *t;
	long n;

	if (need(p, &t, "a socket name") < 0)
		return -1;
	if (is(verb, "socket")) {
		st->kind = ST_SOCKET;
		return sock_make(p, st, t) < 0 ? -1 : no_more(p);
	}
	if (is(verb, "setsockopt")) {
		st->kind = ST_SETSOCKOPT;
		if (sock_make(p, st, t) < 0 || parse_sockopt(p, st) < 0)
			return -1;
		return no_more(p);
	}
	if (is(verb, "bind") || is(verb, "listen")) {
		st->kind = is(verb, "bind") ? ST_BIND : ST_LISTEN;
		if (sock_make(p, st, t) < 0)
			return -1;
		while ((t = next(p))) {
			if (is(t, "port")) {
				if (next_number(p, "a port", 0, 65535, &n) < 0)
					return -1;
				st->port = (int)n;
			} else if (is(t, "ephemeral")) {
				st->port = 0;
			} else if (st->kind == ST_LISTEN && is(t, "backlog")) {
				if (next_number(p, "a backlog", -1, 1000000, &n) < 0)
					return -1;
				st->backlog = (int)n;
			} else {
				return at(p, t->col, "unexpected '%s' (port N, ephemeral%s)",
				          t->text, st->kind == ST_LISTEN ? ", backlog N" : "");
			}
		}
		return 0;
	}
	if (is(verb, "connect")) {
		st->kind = ST_CONNECT;
		if (sock_make(p, st, t) < 0)
			return -1;
		if (is(peek(p), "to"))
			next(p);
		if (need(p, &t, "a port such as server:8000") < 0 || port_of(p, t, &st->port) < 0)
			return -1;
		while ((t = next(p))) {
			if (is(t, "from")) {
				if (next_number(p, "a local port", 1, 65535, &n) < 0)
					return -1;
				st->from_port = (int)n;
			} else if (is(t, "nonblock")) {
				st->nonblock = true;
			} else {
				return at(p, t->col, "unexpected '%s' (from PORT, nonblock)",
				          t->text);
			}
		}
		return 0;
	}
	if (is(verb, "accept")) {
		st->kind = ST_ACCEPT;
		if (sock_make(p, st, t) < 0 || expect_word(p, "from") < 0 ||
		    need(p, &t, "the listening socket") < 0 ||
		    sock_use(p, st, t, st->side, st->other) < 0)
			return -1;
		if (is(peek(p), "nonblock")) {
			next(p);
			st->nonblock = true;
		}
		return no_more(p);
	}
	/* The rest act on a socket that exists. */
	if (sock_use(p, st, t, st->side, st->sock) < 0)
		return -1;
	if (is(verb, "send")) {
		st->kind = ST_SEND;
		if (need(p, &t, "a byte count or a \"string\"") < 0)
			return -1;
		if (t->quoted) {
			text_copy(st->text, sizeof(st->text), t->text);
			st->bytes = (long)strlen(st->text);
		} else if (number(p, t, 1, 100L << 20, &st->bytes) < 0) {
			return -1;
		}
		if (is(peek(p), "nonblock")) {
			next(p);
			st->nonblock = true;
		} else if (is(peek(p), "to")) {
			/* "send c 4000000 to s": the peer's s reads meanwhile. */
			next(p);
			if (need(p, &t, "the peer's socket") < 0 ||
			    sock_use(p, st, t, st->side == SIDE_CLIENT ? SIDE_SERVER : SIDE_CLIENT,
			             st->other) < 0)
				return -1;
		}
		return no_more(p);
	}
	if (is(verb, "recv")) {
		st->kind = ST_RECV;
		st->bytes = -1;
		while ((t = next(p))) {
			if (is(t, "nonblock"))
				st->nonblock = true;
			else if (number(p, t, 1, 100L << 20, &st->bytes) < 0)
				return -1;
		}
		return 0;
	}
	if (is(verb, "shutdown")) {
		st->kind = ST_SHUTDOWN;
		if (need(p, &t, "rd, wr or rdwr") < 0)
			return -1;
		if (is(t, "rd") || is(t, "RD"))
			st->how = SHUT_RD;
		else if (is(t, "wr") || is(t, "WR"))
			st->how = SHUT_WR;
		else if (is(t, "rdwr") || is(t, "RDWR"))
			st->how = SHUT_RDWR;
		else
			return at(p, t->col, "expected rd, wr or rdwr, found '%s'", t->text);
		return no_more(p);
	}
	if (is(verb, "close")) {
		st->kind = ST_CLOSE;
		return no_more(p);
	}
	return at(p, verb->col, "internal: verb '%s'", verb->text);
}

static int flood_step(struct lp *p, struct step *st)
{
	struct tok *t;
	long n;

	st->kind = ST_FLOOD;
	if (st->side != SIDE_CLIENT)
		return at(p, p->t[0].col,
		          "only the client floods (crafted SYNs toward the server)");
	if (need(p, &t, "a port such as server:8000") < 0 || port_of(p, t, &st->port) < 0)
		return -1;
	st->count = 100;
	st->rate = 1000;
	while ((t = next(p))) {
		if (is(t, "count")) {
			if (next_number(p, "a count", 1, 100000, &n) < 0)
				return -1;
			st->count = (unsigned)n;
		} else if (is(t, "rate")) {
			if (next_number(p, "SYNs per second", 1, 1000000, &n) < 0)
				return -1;
			st->rate = (unsigned)n;
		} else {
			return at(p, t->col, "unexpected '%s' (count N, rate N)", t->text);
		}
	}
	return 0;
}

/* The rest of the line from token @from on, as written (for rule parsing). */
static const char *rest_of_line(struct lp *p, int from, unsigned *col)
{
	if (from >= p->n) {
		*col = end_col(p);
		return "";
	}
	*col = p->t[from].col;
	return p->raw + p->t[from].col - 1;
}

/* Tokens from p->i up to (not including) token @stop, as a frame match
 * (the rule syntax without an action), into st->rule; p->i moves to @stop. */
static int match_tokens(struct lp *p, struct step *st, int stop)
{
	char buf[512];
	unsigned col;
	const char *text = rest_of_line(p, p->i, &col);
	size_t len = p->i >= stop ? 0 : (stop < p->n ? p->t[stop].col : end_col(p)) - col;

	if (len >= sizeof(buf))
		return at(p, col, "frame match too long");
	memcpy(buf, text, len);
	buf[len] = '\0';
	p->i = stop;
	return rule_parse_match(buf, p->file, p->line, col, &st->rule, p->e);
}

static int wire_step(struct lp *p, struct step *st)
{
	struct tok *t = peek(p);
	unsigned col;
	const char *text;

	st->side = SIDE_WIRE;
	if (is(t, "remove") || is(t, "release")) {
		next(p);
		st->kind = ST_WIRE_REMOVE;
		if (need(p, &t, "a rule name") < 0)
			return -1;
		text_copy(st->rule_name, sizeof(st->rule_name), t->text);
		return no_more(p);
	}
	if (is(t, "pass")) {
		next(p);
		st->kind = ST_WIRE_REMOVE;
		strcpy(st->rule_name, "all");
		return no_more(p);
	}
	st->kind = ST_WIRE_RULE;
	text = rest_of_line(p, p->i, &col);
	p->i = p->n;
	return rule_parse(text, p->file, p->line, col, &st->rule, p->e);
}

/* "diag STATE [port N]": only sockets with that local port. */
static int diag_port(struct lp *p, struct step *st)
{
	struct tok *t;
	long n;

	st->port = -1;
	if (!is(peek(p), "port"))
		return 0;
	next(p);
	if (need(p, &t, "a port number") < 0 || number(p, t, 1, 65535, &n) < 0)
		return -1;
	st->port = (int)n;
	return 0;
}

static int wait_step(struct lp *p, struct step *st)
{
	struct tok *t;
	long n;

	if (need(p, &t, "a duration or 'until'") < 0)
		return -1;
	if (!is(t, "until")) {
		st->kind = ST_WAIT;
		if (duration(p, t, &st->ms) < 0)
			return -1;
		return no_more(p);
	}
	if (need(p, &t, "client, server or wire") < 0)
		return -1;
	if (is(t, "wire")) {
		/* wait until wire MATCH... [count N] within DURATION */
		int i, within = -1, stop;

		st->kind = ST_WAIT_WIRE;
		st->side = SIDE_WIRE;
		st->min_count = 1;
		for (i = p->i; i < p->n; i++)
			if (is(&p->t[i], "within"))
				within = i;
		if (within < 0)
			return at(p, end_col(p),
			          "expected 'within DURATION' (every wait is bounded)");
		stop = within;
		for (i = p->i; i < within; i++) {
			if (is(&p->t[i], "count") && i + 1 < within) {
				if (number(p, &p->t[i + 1], 1, 1000000, &n) < 0)
					return -1;
				st->min_count = (unsigned)n;
				stop = i;
				break;
			}
		}
		if (match_tokens(p, st, stop) < 0)
			return -1;
		p->i = within + 1;
		if (need(p, &t, "a duration") < 0 || duration(p, t, &st->ms) < 0)
			return -1;
		return no_more(p);
	}
	if (side_of(p, t, false, &st->side) < 0)
		return -1;
	if (is(peek(p), "diag")) {
		/* wait until SIDE diag STATE count N within DURATION */
		next(p);
		st->kind = ST_WAIT_DIAG;
		if (need(p, &t, "a TCP state such as FIN_WAIT2") < 0)
			return -1;
		st->state = tcp_state_parse(t->text);
		if (st->state < 0)
			return at(p, t->col, "unknown TCP state '%s' (TIME_WAIT, FIN_WAIT2, ...)",
			          t->text);
		if (diag_port(p, st) < 0 || expect_word(p, "count") < 0 ||
		    need(p, &t, "a socket count") < 0 || number(p, t, 0, 1000000, &n) < 0)
			return -1;
		st->min_count = (unsigned)n;
		if (expect_word(p, "within") < 0 || need(p, &t, "a duration") < 0 ||
		    duration(p, t, &st->ms) < 0)
			return -1;
		return no_more(p);
	}
	/* wait until SIDE SOCK state STATE within DURATION */
	st->kind = ST_WAIT_STATE;
	if (need(p, &t, "a socket name") < 0 || sock_use(p, st, t, st->side, st->sock) < 0 ||
	    expect_word(p, "state") < 0 || need(p, &t, "a TCP state such as CLOSE_WAIT") < 0)
		return -1;
	st->state = tcp_state_parse(t->text);
	if (st->state < 0)
		return at(p, t->col, "unknown TCP state '%s' (ESTABLISHED, FIN_WAIT1, ... CLOSED)",
		          t->text);
	if (expect_word(p, "within") < 0 || need(p, &t, "a duration") < 0 ||
	    duration(p, t, &st->ms) < 0)
		return -1;
	return no_more(p);
}

static const char *const tcpinfo_fields[] = {
    "state",          "retransmits", "probes",  "backoff",      "rto",        "ato",
    "snd_mss",        "rcv_mss",     "unacked", "sacked",       "lost",       "retrans",
    "fackets",        "rtt",         "rttvar",  "snd_ssthresh", "snd_cwnd",   "total_retrans",
    "last_data_recv", "pmtu",        "options", "snd_wscale",   "rcv_wscale",
};

/* "mark NAME": both sides' counters are read here, for "since NAME". */
static int mark_step(struct lp *p, struct step *st)
{
	struct tok *t;

	st->kind = ST_MARK;
	if (need(p, &t, "a mark name") < 0)
		return -1;
	if (!valid_name(t->text))
		return at(p, t->col, "'%s' is not a mark name", t->text);
	for (size_t i = 0; i < p->sc->nsteps; i++)
		if (p->sc->steps[i].kind == ST_MARK && strcmp(p->sc->steps[i].field, t->text) == 0)
			return at(p, t->col, "mark '%s' already set on line %u", t->text,
			          p->sc->steps[i].line);
	/* An observation "since" it must find it taken in every variant. */
	if (st->when_var[0])
		return at(p, t->col, "a mark cannot be conditional");
	if (st->as[0])
		return at(p, t->col, "a mark is not an observation: no 'as NAME'");
	text_copy(st->field, sizeof(st->field), t->text);
	return no_more(p);
}

static int observe_step(struct lp *p, struct step *st)
{
	struct tok *t;

	st->kind = ST_OBSERVE;
	if (need(p, &t, "client, server or wire") < 0)
		return -1;
	if (is(t, "wire")) {
		st->side = SIDE_WIRE;
		if (need(p, &t, "count, flags or times") < 0)
			return -1;
		if (is(t, "count"))
			st->obs = OB_WIRE_COUNT;
		else if (is(t, "flags"))
			st->obs = OB_WIRE_FLAGS;
		else if (is(t, "times"))
			st->obs = OB_WIRE_TIMES;
		else
			return at(p, t->col, "expected count, flags or times, found '%s'", t->text);
		/* "as NAME" was taken off the line already */
		return match_tokens(p, st, p->n);
	}
	if (side_of(p, t, false, &st->side) < 0 ||
	    need(p, &t, "a socket, diag, counter, resets or retransmits") < 0)
		return -1;
	if (is(t, "counter")) {
		st->obs = OB_COUNTER;
		if (need(p, &t, "a counter such as TcpExt.TCPAbortOnData") < 0)
			return -1;
		if (!strchr(t->text, '.') || t->text[0] == '.')
			return at(p, t->col,
			          "counters are MIB.Name, as TcpExt.ListenDrops or "
			          "Tcp.OutRsts");
		text_copy(st->field, sizeof(st->field), t->text);
		if (peek(p) && is(peek(p), "since")) {
			next(p);
			if (need(p, &t, "the name of an earlier mark") < 0)
				return -1;
			for (size_t i = 0; i < p->sc->nsteps; i++)
				if (p->sc->steps[i].kind == ST_MARK &&
				    strcmp(p->sc->steps[i].field, t->text) == 0)
					st->since_step = (int)i;
			if (st->since_step < 0)
				return at(p, t->col, "no earlier mark is named '%s'", t->text);
		}
		return 0;
	}
	if (is(t, "diag")) {
		if (need(p, &t, "a TCP state such as TIME_WAIT") < 0)
			return -1;
		st->state = tcp_state_parse(t->text);
		if (st->state < 0)
			return at(p, t->col, "unknown TCP state '%s'", t->text);
		text_copy(st->field, sizeof(st->field), t->text);
		st->obs = OB_DIAG_COUNT;
		if (diag_port(p, st) < 0)
			return -1;
		if (is(peek(p), "count")) {
			next(p);
		} else if (is(peek(p), "timer")) {
			next(p);
			st->obs = OB_DIAG_TIMER;
		}
		return 0;
	}
	if (is(t, "sysctl")) {
		struct err e2;

		st->obs = OB_SYSCTL;
		if (need(p, &t, "a sysctl key") < 0)
			return -1;
		if (sysctl_canonical(t->text, st->field, sizeof(st->field), &e2) < 0)
			return at(p, t->col, "%s", e2.msg);
		return 0;
	}
	if (is(t, "retransmits")) {
		st->obs = OB_RETRANS;
		text_copy(st->field, sizeof(st->field), "skb");
		if (is(peek(p), "synack")) {
			next(p);
			text_copy(st->field, sizeof(st->field), "synack");
		}
		return 0;
	}
	if (is(t, "resets")) {
		st->obs = OB_RESETS;
		if (need(p, &t, "sent or received") < 0)
			return -1;
		if (!is(t, "sent") && !is(t, "received"))
			return at(p, t->col, "expected sent or received, found '%s'", t->text);
		text_copy(st->field, sizeof(st->field), t->text);
		return 0;
	}
	if (sock_use(p, st, t, st->side, st->sock) < 0 ||
	    need(p, &t, "state, states or tcpinfo") < 0)
		return -1;
	if (is(t, "state")) {
		st->obs = OB_STATE;
	} else if (is(t, "states")) {
		st->obs = OB_STATES;
	} else if (is(t, "tcpinfo")) {
		size_t i;

		st->obs = OB_TCPINFO;
		if (need(p, &t, "a TCP_INFO field such as retransmits") < 0)
			return -1;
		for (i = 0; i < sizeof(tcpinfo_fields) / sizeof(tcpinfo_fields[0]); i++)
			if (strcmp(t->text, tcpinfo_fields[i]) == 0)
				break;
		if (i == sizeof(tcpinfo_fields) / sizeof(tcpinfo_fields[0]))
			return at(p, t->col, "unknown TCP_INFO field '%s'", t->text);
		text_copy(st->field, sizeof(st->field), t->text);
	} else {
		return at(p, t->col, "expected state, states or tcpinfo, found '%s'", t->text);
	}
	return 0;
}

/* ---- headers -------------------------------------------------------------- */

/* A sysctl whose write would change the host (sysctl.c host_effects):
 * refused where it is written, at the key or at the value. */
static int refuse_host_effect(struct lp *p, const char *key, struct tok *k, struct tok *v)
{
	char why[400];
	int h = sysctl_host_effect(key, v ? v->text : NULL, why, sizeof(why));

	if (h == SYSCTL_CONFINED)
		return 0;
	return at(p, h == SYSCTL_HOST_KEY || !v ? k->col : v->col, "%s", why);
}

static int add_sysctl(struct lp *p, enum side side, struct tok *k, struct tok *v)
{
	struct scenario *sc = p->sc;
	struct sc_sysctl *n;
	struct err e2;
	char canon[SC_KEY_MAX];

	if (sysctl_canonical(k->text, canon, sizeof(canon), &e2) < 0)
		return at(p, k->col, "%s", e2.msg);
	if (refuse_host_effect(p, canon, k, v) < 0)
		return -1;
	n = realloc(sc->sysctls, (sc->nsysctls + 1) * sizeof(*n));
	if (!n)
		return at(p, k->col, "out of memory");
	sc->sysctls = n;
	n = &sc->sysctls[sc->nsysctls++];
	n->side = side;
	n->line = p->line;
	text_copy(n->key, sizeof(n->key), canon);
	text_copy(n->value, sizeof(n->value), v->text);
	return 0;
}

static int header_sysctl(struct lp *p)
{
	struct tok *t, *k, *v;
	enum side side = SIDE_BOTH;

	if (need(p, &t, "client, server, both or a key") < 0)
		return -1;
	if (is(t, "client") || is(t, "server") || is(t, "both")) {
		side_of(p, t, true, &side);
		if (need(p, &t, "a sysctl key") < 0)
			return -1;
	}
	k = t;
	if (is(peek(p), "="))
		next(p);
	if (need(p, &v, "a value") < 0)
		return -1;
	/* multi-word values, as "32768 60999" or 32768 60999 */
	if (peek(p)) {
		char joined[SC_VALUE_MAX];
		struct tok *w;

		text_copy(joined, sizeof(joined), v->text);
		while ((w = next(p))) {
			size_t n = strlen(joined);

			if (n + 1 + strlen(w->text) >= sizeof(joined))
				return at(p, w->col, "value longer than %d characters",
				          SC_VALUE_MAX - 1);
			joined[n] = ' ';
			text_copy(joined + n + 1, sizeof(joined) - n - 1, w->text);
		}
		text_copy(v->text, sizeof(v->text), joined);
	}
	return add_sysctl(p, side, k, v);
}

static int header_vary(struct lp *p)
{
	struct scenario *sc = p->sc;
	struct sc_axis *a;
	struct tok *t, *key = NULL;
	enum side side = SIDE_BOTH;
	size_t i;

	if (need(p, &t, "a sysctl key or a variable name") < 0)
		return -1;
	if (is(t, "client") || is(t, "server") || is(t, "both")) {
		side_of(p, t, true, &side);
		if (need(p, &t, "a sysctl key") < 0)
			return -1;
	}
	if (sc->naxes == SC_MAX_AXES)
		return at(p, p->t[0].col, "more than %d vary lines: a case has at most %d axes",
		          SC_MAX_AXES, SC_MAX_AXES);
	a = realloc(sc->axes, (sc->naxes + 1) * sizeof(*a));
	if (!a)
		return at(p, t->col, "out of memory");
	sc->axes = a;
	a = &sc->axes[sc->naxes];
	memset(a, 0, sizeof(*a));
	a->side = side;
	a->line = p->line;
	a->col = t->col;
	a->is_sysctl = strchr(t->text, '.') || strchr(t->text, '/');
	if (a->is_sysctl) {
		struct err e2;
		const char *last;

		if (sysctl_canonical(t->text, a->name, sizeof(a->name), &e2) < 0)
			return at(p, t->col, "%s", e2.msg);
		/* Variants are named by the key's last component (the
		 * canonical form maps one character to one). */
		last = strrchr(a->name, '.');
		last = last ? last + 1 : a->name;
		key = t;
		if (need_word(p, last, t->col + t->quoted + (unsigned)(last - a->name),
		              "the last component of a vary key") < 0 ||
		    refuse_host_effect(p, a->name, key, NULL) < 0)
			return -1;
	} else {
		if (side != SIDE_BOTH)
			return at(p, t->col, "a side applies to sysctl axes only");
		if (!valid_name(t->text))
			return at(p, t->col, "'%s' is neither a sysctl key nor a variable name",
			          t->text);
		text_copy(a->name, sizeof(a->name), t->text);
	}
	for (i = 0; i < sc->naxes; i++)
		if (strcmp(sc->axes[i].name, a->name) == 0 && sc->axes[i].side == a->side)
			return at(p, t->col, "'%s' already varies (line %u)", a->name,
			          sc->axes[i].line);
	while ((t = next(p))) {
		size_t k;

		if (a->nvalues == SC_MAX_VALUES)
			return at(p, t->col, "more than %d values on one vary line", SC_MAX_VALUES);
		if (need_word(p, t->text, t->col + t->quoted, "a vary value") < 0)
			return -1;
		for (k = 0; k < a->nvalues; k++)
			if (strcmp(a->values[k], t->text) == 0)
				return at(p, t->col, "value '%s' given twice", t->text);
		/* "default" writes nothing. */
		if (a->is_sysctl && strcmp(t->text, "default") != 0 &&
		    refuse_host_effect(p, a->name, key, t) < 0)
			return -1;
		text_copy(a->values[a->nvalues++], SC_VALUE_MAX, t->text);
	}
	if (a->nvalues < 1)
		return at(p, end_col(p), "expected at least one value");
	sc->naxes++;
	return 0;
}

/* After the last line: the variants the axes make, in the order they are
 * declared, stay within SC_MAX_VARIANTS and their names within
 * SC_VARIANT_NAME_MAX; the axis that crosses a limit is the error. */
static int check_variants(struct lp *p)
{
	const struct scenario *sc = p->sc;
	size_t n = (size_t)sc->family4 + (size_t)sc->family6, len = strlen("ipv4"), i, k;

	for (i = 0; i < sc->naxes; i++) {
		const struct sc_axis *a = &sc->axes[i];
		const char *last = strrchr(a->name, '.');
		size_t longest = 0;

		/* n <= SC_MAX_VARIANTS and nvalues <= SC_MAX_VALUES: no overflow */
		n *= a->nvalues;
		if (n > SC_MAX_VARIANTS)
			return err_at(p->e, p->file, a->line, a->col,
			              "%zu variants with this axis: a case has at most %d "
			              "(the families times the values of every vary line)",
			              n, SC_MAX_VARIANTS);
		for (k = 0; k < a->nvalues; k++)
			if (strlen(a->values[k]) > longest)
				longest = strlen(a->values[k]);
		/* "-client.tcp_timestamps=VALUE" */
		len += 1 + (a->side == SIDE_BOTH ? 0 : strlen(side_name(a->side)) + 1) +
		       strlen(last ? last + 1 : a->name) + 1 + longest;
		if (len > SC_VARIANT_NAME_MAX)
			return err_at(p->e, p->file, a->line, a->col,
			              "variant names longer than %d characters with this axis",
			              SC_VARIANT_NAME_MAX);
	}
	return 0;
}

static int append_text(struct lp *p, char *dst, size_t len)
{
	struct tok *t;
	size_t n = strlen(dst);

	if (!peek(p))
		return at(p, end_col(p), "expected text");
	if (n && n + 1 < len)
		dst[n++] = ' ';
	dst[n] = '\0';
	/* The text as written, from the first word to the end of the line. */
	t = peek(p);
	text_copy(dst + n, len - n, p->raw + t->col - 1);
	/* Drop a trailing comment and spaces. */
	{
		char *hash = strchr(dst + n, '#');

		if (hash)
			*hash = '\0';
		n = strlen(dst);
		while (n && isspace((unsigned char)dst[n - 1]))
			dst[--n] = '\0';
	}
	p->i = p->n;
	return 0;
}

static int header_line(struct lp *p, struct tok *kw)
{
	struct scenario *sc = p->sc;
	struct tok *t;

	if (is(kw, "case")) {
		if (need(p, &t, "the case name") < 0)
			return -1;
		if (!valid_name(t->text))
			return at(p, t->col, "'%s' is not a case name", t->text);
		text_copy(sc->name, sizeof(sc->name), t->text);
		return no_more(p);
	}
	if (is(kw, "title"))
		return append_text(p, sc->title, sizeof(sc->title));
	if (is(kw, "why"))
		return append_text(p, sc->why, sizeof(sc->why));
	if (is(kw, "family")) {
		sc->family4 = sc->family6 = false;
		while ((t = next(p))) {
			if (is(t, "4") || is(t, "ipv4"))
				sc->family4 = true;
			else if (is(t, "6") || is(t, "ipv6"))
				sc->family6 = true;
			else
				return at(p, t->col, "expected 4 or 6, found '%s'", t->text);
		}
		if (!sc->family4 && !sc->family6)
			return at(p, end_col(p), "expected 4, 6 or both");
		return 0;
	}
	if (is(kw, "timeout")) {
		sc->timeout_set = true;
		if (need(p, &t, "a duration") < 0 || duration(p, t, &sc->timeout_ms) < 0)
			return -1;
		if (sc->timeout_ms < 100)
			return at(p, t->col, "a time limit under 100ms cannot run a scenario");
		return no_more(p);
	}
	if (is(kw, "sysctl"))
		return header_sysctl(p);
	return header_vary(p);
}

/* ---- one line ------------------------------------------------------------- */

static int check_when(struct lp *p, struct step *st, struct tok *cond)
{
	char *eq = strchr(cond->text, '=');
	size_t i, k;

	if (!eq || eq == cond->text)
		return at(p, cond->col, "expected VARIABLE=VALUE after 'when'");
	*eq = '\0';
	text_copy(st->when_var, sizeof(st->when_var), cond->text);
	text_copy(st->when_value, sizeof(st->when_value), eq + 1);
	*eq = '=';
	for (i = 0; i < p->sc->naxes; i++) {
		if (strcmp(p->sc->axes[i].name, st->when_var) != 0)
			continue;
		for (k = 0; k < p->sc->axes[i].nvalues; k++)
			if (strcmp(p->sc->axes[i].values[k], st->when_value) == 0)
				return 0;
		return at(p, cond->col + (unsigned)(eq - cond->text) + 1,
		          "'%s' is not a value of '%s'", st->when_value, st->when_var);
	}
	return at(p, cond->col, "'%s' does not vary in this case (declare it with 'vary')",
	          st->when_var);
}

static int step_line(struct lp *p, struct tok *kw)
{
	struct scenario *sc = p->sc;
	struct step *st, *n;
	struct tok *t;
	int r, as_i = -1;
	size_t i;

	n = realloc(sc->steps, (sc->nsteps + 1) * sizeof(*n));
	if (!n)
		return at(p, kw->col, "out of memory");
	sc->steps = n;
	st = &sc->steps[sc->nsteps];
	memset(st, 0, sizeof(*st));
	st->line = p->line;
	st->port = st->from_port = st->backlog = st->since_step = -1;
	st->side = SIDE_NONE;
	text_copy(st->src, sizeof(st->src), p->raw + kw->col - 1);
	if (is(kw, "when")) {
		if (need(p, &t, "VARIABLE=VALUE") < 0 || check_when(p, st, t) < 0)
			return -1;
		if (need(p, &kw, "a step") < 0)
			return -1;
	}
	/* "as KEY" closes any step but a wire rule (whose "as" names the rule). */
	if (!is(kw, "wire") && p->n >= 2 && is(&p->t[p->n - 2], "as")) {
		as_i = p->n - 2;
		t = &p->t[p->n - 1];
		if (!valid_obs_name(t->text))
			return at(p, t->col, "'%s' is not an observation name", t->text);
		text_copy(st->as, sizeof(st->as), t->text);
		for (i = 0; i < sc->nsteps; i++)
			if (strcmp(sc->steps[i].as, st->as) == 0)
				return at(p, t->col, "observation '%s' already named on line %u",
				          st->as, sc->steps[i].line);
		p->n -= 2;
	}
	/* The step as written, without its comment and "as KEY". */
	{
		size_t stop = end_col(p) - 1, from = kw->col - 1;

		if (stop > from && stop - from < sizeof(st->src)) {
			memcpy(st->src, p->raw + from, stop - from);
			st->src[stop - from] = '\0';
		}
	}
	if (is(kw, "client") || is(kw, "server")) {
		struct tok *verb;

		side_of(p, kw, false, &st->side);
		if (need(p, &verb, "a step such as connect, listen, send or close") < 0)
			return -1;
		if (is(verb, "flood"))
			r = flood_step(p, st);
		else if (is(verb, "socket") || is(verb, "setsockopt") || is(verb, "bind") ||
		         is(verb, "listen") || is(verb, "connect") || is(verb, "accept") ||
		         is(verb, "send") || is(verb, "recv") || is(verb, "shutdown") ||
		         is(verb, "close"))
			r = socket_step(p, st, verb);
		else
			return at(p, verb->col,
			          "unknown step '%s' (socket, setsockopt, bind, listen, connect, "
			          "accept, send, recv, shutdown, close, flood)",
			          verb->text);
	} else if (is(kw, "wire")) {
		r = wire_step(p, st);
	} else if (is(kw, "wait")) {
		r = wait_step(p, st);
	} else if (is(kw, "mark")) {
		r = mark_step(p, st);
	} else if (is(kw, "observe")) {
		r = observe_step(p, st);
		if (r == 0 && !st->as[0])
			return at(p, end_col(p), "an observation needs a name: ... as NAME");
	} else {
		return at(p, kw->col,
		          "unknown line '%s' (case, title, why, family, timeout, sysctl, vary, "
		          "client, server, wire, wait, mark, observe, when)",
		          kw->text);
	}
	if (r < 0)
		return -1;
	if (p->i < p->n && r == 0 && st->kind != ST_WIRE_RULE)
		return no_more(p);
	(void)as_i;
	sc->nsteps++;
	return 0;
}

static bool is_header(const struct tok *kw)
{
	static const char *const hdr[] = {"case",    "title",  "why", "family",
	                                  "timeout", "sysctl", "vary"};
	size_t i;

	for (i = 0; i < sizeof(hdr) / sizeof(hdr[0]); i++)
		if (is(kw, hdr[i]))
			return true;
	return false;
}

/* ---- the file --------------------------------------------------------------- */

int scenario_parse(const char *text, size_t len, const char *file, struct scenario *sc,
                   struct err *e)
{
	struct lp *p = calloc(1, sizeof(*p));
	const char *s = text, *end = text + len;
	bool steps_begun = false;
	unsigned lineno = 0;
	char line[1024];

	memset(sc, 0, sizeof(*sc));
	text_copy(sc->file, sizeof(sc->file), file);
	sc->family4 = sc->family6 = true;
	sc->timeout_ms = 30000;
	if (!p)
		return err_set(e, ERR_SYSTEM, "out of memory");
	p->file = file;
	p->e = e;
	p->sc = sc;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		struct tok *kw;

		lineno++;
		p->line = lineno;
		if (n >= sizeof(line)) {
			err_at(e, file, lineno, (unsigned)sizeof(line),
			       "line longer than %zu characters", sizeof(line) - 1);
			goto fail;
		}
		if (memchr(s, '\0', n)) {
			err_at(e, file, lineno,
			       (unsigned)((const char *)memchr(s, '\0', n) - s) + 1,
			       "NUL byte in a case file");
			goto fail;
		}
		memcpy(line, s, n);
		line[n] = '\0';
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		s = nl ? nl + 1 : end;
		p->raw = line;
		/* title and why lines are prose: quotes in them are text. */
		{
			const char *w = line + strspn(line, " \t");
			size_t wl = strcspn(w, " \t");

			if ((wl == 5 && !strncmp(w, "title", 5)) ||
			    (wl == 3 && !strncmp(w, "why", 3))) {
				char *dst = wl == 5 ? sc->title : sc->why;
				size_t cap = wl == 5 ? sizeof(sc->title) : sizeof(sc->why);
				const char *txt = w + wl + strspn(w + wl, " \t");
				size_t dl = strlen(dst), tl = strlen(txt);

				if (!*txt) {
					err_at(e, file, lineno, (unsigned)(w - line + wl) + 1,
					       "expected text");
					goto fail;
				}
				if (steps_begun && wl == 5) {
					err_at(e, file, lineno, (unsigned)(w - line) + 1,
					       "'title' belongs before the first step");
					goto fail;
				}
				/* " # ..." ends the prose as it ends any line */
				{
					const char *h;

					for (h = txt; (h = strchr(h, '#')); h++)
						if (h > txt && isspace((unsigned char)h[-1])) {
							tl = (size_t)(h - txt);
							break;
						}
				}
				while (tl && isspace((unsigned char)txt[tl - 1]))
					tl--;
				if (dl && dl + 1 < cap)
					dst[dl++] = ' ';
				if (tl > cap - dl - 1)
					tl = cap - dl - 1;
				memcpy(dst + dl, txt, tl);
				dst[dl + tl] = '\0';
				continue;
			}
		}
		if (tokenize(p, line) < 0)
			goto fail;
		if (!p->n)
			continue;
		kw = next(p);
		if (is_header(kw)) {
			if (steps_begun && !is(kw, "why")) {
				at(p, kw->col, "'%s' belongs before the first step", kw->text);
				goto fail;
			}
			if (header_line(p, kw) < 0)
				goto fail;
			continue;
		}
		steps_begun = true;
		if (step_line(p, kw) < 0)
			goto fail;
	}
	if (!sc->name[0]) {
		err_at(e, file, 1, 1, "missing 'case NAME' line");
		goto fail;
	}
	if (!sc->title[0]) {
		err_at(e, file, 1, 1, "missing 'title' line: say what the case shows");
		goto fail;
	}
	if (!sc->nsteps) {
		err_at(e, file, lineno ? lineno : 1, 1, "the case has no steps");
		goto fail;
	}
	if (check_variants(p) < 0)
		goto fail;
	free(p);
	return 0;
fail:
	free(p);
	scenario_free(sc);
	return -1;
}

int scenario_load(const char *path, struct scenario *sc, struct err *e)
{
	const char *base, *dot;
	size_t len;
	char *buf;
	int r;

	memset(sc, 0, sizeof(*sc));
	buf = text_read_file(path, 1 << 20, &len, e);
	if (!buf)
		return -1;
	r = scenario_parse(buf, len, path, sc, e);
	free(buf);
	if (r < 0)
		return -1;
	/* The case is named after its file. */
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	if (!dot || strcmp(dot, ".case") != 0 || (size_t)(dot - base) != strlen(sc->name) ||
	    strncmp(base, sc->name, strlen(sc->name)) != 0) {
		err_at(e, path, 1, 1, "case '%s' must live in %s.case", sc->name, sc->name);
		scenario_free(sc);
		return -1;
	}
	return 0;
}

void scenario_free(struct scenario *sc)
{
	free(sc->sysctls);
	free(sc->axes);
	free(sc->overrides);
	free(sc->steps);
	sc->overrides = NULL;
	sc->noverrides = 0;
	sc->sysctls = NULL;
	sc->axes = NULL;
	sc->steps = NULL;
	sc->nsysctls = sc->naxes = sc->nsteps = 0;
}

/* ---- variants ------------------------------------------------------------- */

static size_t families(const struct scenario *sc)
{
	return (size_t)sc->family4 + (size_t)sc->family6;
}

size_t scenario_variants(const struct scenario *sc)
{
	size_t n = families(sc), i;

	for (i = 0; i < sc->naxes; i++)
		if (__builtin_mul_overflow(n, (size_t)sc->axes[i].nvalues, &n))
			return SIZE_MAX;
	return n;
}

void scenario_variant(const struct scenario *sc, size_t i, int *family, unsigned *axis_values,
                      char *name, size_t len)
{
	size_t nf = families(sc), k, n;
	size_t rest = i / nf;

	if (sc->naxes > SC_MAX_AXES)
		abort(); /* not a case the parser made: it bounds the axes */
	*family = !sc->family4 ? 6 : !sc->family6 ? 4 : (i % nf == 0 ? 4 : 6);
	snprintf(name, len, "ipv%d", *family);
	/* The last axis varies fastest. */
	for (k = sc->naxes; k-- > 0;) {
		axis_values[k] = (unsigned)(rest % sc->axes[k].nvalues);
		rest /= sc->axes[k].nvalues;
	}
	for (k = 0; k < sc->naxes; k++) {
		const char *nm = sc->axes[k].name, *last = strrchr(nm, '.');

		if (sc->axes[k].from_profile)
			continue;
		n = strlen(name);
		snprintf(name + n, len - n, "-%s%s%s=",
		         sc->axes[k].side == SIDE_BOTH ? "" : side_name(sc->axes[k].side),
		         sc->axes[k].side == SIDE_BOTH ? "" : ".", last ? last + 1 : nm);
		n = strlen(name);
		text_copy(name + n, len - n, sc->axes[k].values[axis_values[k]]);
	}
}
