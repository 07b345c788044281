// SPDX-License-Identifier: GPL-2.0-only
/* covspec.c - the transitions and timers files of `tcpconform coverage`. */
#include "model/covspec.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/infile.h"
#include "base/text.h"
#include "model/tcp.h"

#define COV_FILE_MAX   ((size_t)1 << 20)
#define COV_MAX_ROWS   256
#define COV_MAX_TIMERS 32

static const char *const state_names[CS_COUNT] = {
    [CS_CLOSE] = "CLOSE",           [CS_LISTEN] = "LISTEN",
    [CS_SYN_SENT] = "SYN_SENT",     [CS_NEW_SYN_RECV] = "NEW_SYN_RECV",
    [CS_SYN_RECV] = "SYN_RECV",     [CS_ESTABLISHED] = "ESTABLISHED",
    [CS_FIN_WAIT1] = "FIN_WAIT1",   [CS_FIN_WAIT2] = "FIN_WAIT2",
    [CS_CLOSE_WAIT] = "CLOSE_WAIT", [CS_CLOSING] = "CLOSING",
    [CS_LAST_ACK] = "LAST_ACK",     [CS_TW_FIN_WAIT2] = "TW_FIN_WAIT2",
    [CS_TIME_WAIT] = "TIME_WAIT",
};

const char *cov_state_name(int s)
{
	return s >= 0 && s < CS_COUNT ? state_names[s] : NULL;
}

int cov_state_parse(const char *s)
{
	int i;

	for (i = 0; i < CS_COUNT; i++)
		if (!strcmp(s, state_names[i]))
			return i;
	return -1;
}

int cov_state_of_kernel(int k)
{
	/* include/net/tcp_states.h */
	static const int map[] = {
	    [1] = CS_ESTABLISHED, [2] = CS_SYN_SENT, [3] = CS_SYN_RECV, [4] = CS_FIN_WAIT1,
	    [5] = CS_FIN_WAIT2,   [6] = -1,          [7] = CS_CLOSE,    [8] = CS_CLOSE_WAIT,
	    [9] = CS_LAST_ACK,    [10] = CS_LISTEN,  [11] = CS_CLOSING, [12] = -1,
	};

	if (k < 1 || k > 12)
		return -1;
	return map[k];
}

const char *cov_seen_name(enum cov_seen s)
{
	switch (s) {
	case SEEN_TRACEPOINT:
		return "tracepoint";
	case SEEN_TIMEWAIT:
		return "timewait";
	case SEEN_REQUEST:
		return "request";
	case SEEN_NONE:
		return "-";
	}
	return "?";
}

/* ---- lines and columns ---------------------------------------------------- */

/* One line of a file as it is read: its text, number, and the columns
 * between its '|'. */
struct cline {
	const char *file;
	unsigned no;
	size_t len; /* of the line as read */
	char buf[COV_MAX_LINE + 1];
	char *col[8];   /* each trimmed */
	unsigned at[8]; /* 1-based column of each one's first character */
	int ncol;
};

/* The next line of @text from *@pos into @l (comments and blank lines
 * skipped): 1, 0 at the end, -1 on an error in @e. */
static int next_line(const char *text, size_t len, size_t *pos, struct cline *l, struct err *e)
{
	while (*pos < len) {
		const char *s = text + *pos, *nl = memchr(s, '\n', len - *pos);
		size_t n = nl ? (size_t)(nl - s) : len - *pos, i;
		char *p;

		*pos += n + (nl ? 1 : 0);
		l->no++;
		if (n > COV_MAX_LINE)
			return err_at(e, l->file, l->no, COV_MAX_LINE + 1,
			              "line longer than %d characters", COV_MAX_LINE);
		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)s[i];

			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return err_at(e, l->file, l->no, (unsigned)i + 1,
				              "control character 0x%02x", c);
		}
		memcpy(l->buf, s, n);
		l->buf[n] = '\0';
		l->len = n;
		p = l->buf + strspn(l->buf, " \t");
		if (!*p || *p == '#')
			continue;
		/* the columns, each trimmed */
		l->ncol = 0;
		p = l->buf;
		for (;;) {
			char *bar = strchr(p, '|'), *end;

			if (l->ncol == 8)
				return err_at(e, l->file, l->no, (unsigned)(p - l->buf) + 1,
				              "too many columns");
			if (bar)
				*bar = '\0';
			p += strspn(p, " \t");
			end = p + strlen(p);
			while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
				*--end = '\0';
			l->col[l->ncol] = p;
			l->at[l->ncol++] = (unsigned)(p - l->buf) + 1;
			if (!bar)
				break;
			p = bar + 1;
		}
		return 1;
	}
	return 0;
}

/* A NUL byte in @text, at its line and column. */
static int nul_byte(const char *text, size_t len, const char *file, struct err *e)
{
	const char *z = memchr(text, '\0', len), *p;
	unsigned line = 1, col = 1;

	for (p = text; p < z; p++, col++)
		if (*p == '\n') {
			line++;
			col = 0;
		}
	return err_at(e, file, line, col, "a NUL byte: not a text file");
}

/* A column's width in @dst, or an error at it. */
static int copy_col(struct cline *l, int c, char *dst, size_t len, const char *what, struct err *e)
{
	size_t n = strlen(l->col[c]);

	if (!n)
		return err_at(e, l->file, l->no, l->at[c], "%s is empty", what);
	if (n >= len)
		return err_at(e, l->file, l->no, l->at[c], "%s longer than %zu characters", what,
		              len - 1);
	memcpy(dst, l->col[c], n + 1);
	return 0;
}

/* ---- transitions ------------------------------------------------------------ */

static int parse_states(struct cline *l, struct cov_transition *t, struct err *e)
{
	char *s = l->col[0], *w2, *rest;
	size_t n = strcspn(s, " \t");
	unsigned c2;

	if (!*s)
		return err_at(e, l->file, l->no, l->at[0], "expected FROM TO");
	w2 = s + n;
	if (*w2)
		*w2++ = '\0';
	w2 += strspn(w2, " \t");
	c2 = l->at[0] + (unsigned)(w2 - s);
	if ((t->from = cov_state_parse(s)) < 0)
		return err_at(e, l->file, l->no, l->at[0], "unknown state '%.64s'", s);
	if (!*w2)
		return err_at(e, l->file, l->no, c2, "expected the state TO after %s", s);
	rest = w2 + strcspn(w2, " \t");
	if (*rest) {
		*rest++ = '\0';
		rest += strspn(rest, " \t");
	}
	if ((t->to = cov_state_parse(w2)) < 0)
		return err_at(e, l->file, l->no, c2, "unknown state '%.64s'", w2);
	if (*rest)
		return err_at(e, l->file, l->no, c2 + (unsigned)(rest - w2),
		              "unexpected '%.64s' after FROM TO", rest);
	if (t->from == t->to)
		return err_at(e, l->file, l->no, c2, "%s -> %s changes nothing", s, w2);
	return 0;
}

static bool full_socket_state(int s)
{
	return s != CS_NEW_SYN_RECV && s != CS_TW_FIN_WAIT2 && s != CS_TIME_WAIT;
}

static int parse_seen(struct cline *l, struct cov_transition *t, struct err *e)
{
	static const char *const names[] = {"tracepoint", "timewait", "request", "-"};
	const char *s = l->col[1];
	size_t i;

	for (i = 0; i < 4; i++)
		if (!strcmp(s, names[i]))
			break;
	if (i == 4)
		return err_at(e, l->file, l->no, l->at[1],
		              "unknown seen-as '%.64s' (tracepoint, timewait, request or -)", s);
	t->seen = (enum cov_seen)i;
	if (t->seen == SEEN_TRACEPOINT &&
	    (!full_socket_state(t->from) || !full_socket_state(t->to)))
		return err_at(e, l->file, l->no, l->at[1],
		              "the tracepoint never prints %s or %s: only full sockets' states",
		              cov_state_name(t->from), cov_state_name(t->to));
	return 0;
}

static int parse_reach(struct cline *l, struct cov_transition *t, struct err *e)
{
	const char *s = l->col[3];
	size_t n = strlen(s);

	if (!strcmp(s, "reachable")) {
		t->reachable = true;
		if (t->seen == SEEN_NONE)
			return err_at(e, l->file, l->no, l->at[1],
			              "a reachable transition needs a way to be seen, not '-'");
		return 0;
	}
	if (strncmp(s, "unreachable(", 12) || n < 14 || s[n - 1] != ')')
		return err_at(e, l->file, l->no, l->at[3],
		              "expected 'reachable' or 'unreachable(REASON)'");
	if (n - 13 >= sizeof(t->reason))
		return err_at(e, l->file, l->no, l->at[3] + 12, "reason longer than %zu characters",
		              sizeof(t->reason) - 1);
	memcpy(t->reason, s + 12, n - 13);
	t->reason[n - 13] = '\0';
	t->reachable = false;
	return 0;
}

static int transition_line(struct cline *l, struct cov_transitions *tr, struct err *e)
{
	struct cov_transition t, *nt;
	size_t i;

	memset(&t, 0, sizeof(t));
	t.line = l->no;
	if (l->ncol != 4)
		return err_at(e, l->file, l->no, l->ncol < 4 ? (unsigned)l->len + 1 : l->at[4],
		              "expected 4 columns: FROM TO | seen as | source | reachable, "
		              "or unreachable(REASON); found %d",
		              l->ncol);
	if (parse_states(l, &t, e) < 0 || parse_seen(l, &t, e) < 0)
		return -1;
	if (copy_col(l, 2, t.source, sizeof(t.source), "the source", e) < 0 ||
	    parse_reach(l, &t, e) < 0)
		return -1;
	for (i = 0; i < tr->n; i++)
		if (tr->t[i].from == t.from && tr->t[i].to == t.to)
			return err_at(e, l->file, l->no, l->at[0], "%s -> %s is already on line %u",
			              cov_state_name(t.from), cov_state_name(t.to), tr->t[i].line);
	if (tr->n == COV_MAX_ROWS)
		return err_at(e, l->file, l->no, 1, "more than %d transitions", COV_MAX_ROWS);
	nt = realloc(tr->t, (tr->n + 1) * sizeof(*nt));
	if (!nt)
		return err_set(e, ERR_SYSTEM, "%s: out of memory", l->file);
	tr->t = nt;
	tr->t[tr->n++] = t;
	return 0;
}

int cov_transitions_parse(const char *text, size_t len, const char *file,
                          struct cov_transitions *tr, struct err *e)
{
	struct cline *l = calloc(1, sizeof(*l));
	size_t pos = 0;
	int r;

	memset(tr, 0, sizeof(*tr));
	text_copy(tr->file, sizeof(tr->file), file);
	if (!l)
		return err_set(e, ERR_SYSTEM, "%s: out of memory", file);
	l->file = tr->file;
	if (memchr(text, '\0', len)) {
		free(l);
		return nul_byte(text, len, tr->file, e);
	}
	while ((r = next_line(text, len, &pos, l, e)) > 0)
		if (transition_line(l, tr, e) < 0) {
			r = -1;
			break;
		}
	free(l);
	if (r == 0 && tr->n == 0)
		r = err_at(e, tr->file, 1, 1, "no transition listed");
	if (r < 0) {
		cov_transitions_free(tr);
		return -1;
	}
	return 0;
}

int cov_transitions_load(const char *path, struct cov_transitions *tr, struct err *e)
{
	size_t len;
	char *text = infile_read(path, COV_FILE_MAX, &len, e);
	int r;

	memset(tr, 0, sizeof(*tr));
	if (!text)
		return -1;
	r = cov_transitions_parse(text, len, path, tr, e);
	free(text);
	return r;
}

void cov_transitions_free(struct cov_transitions *tr)
{
	free(tr->t);
	tr->t = NULL;
	tr->n = 0;
}

const struct cov_transition *cov_transition_find(const struct cov_transitions *tr, int from, int to)
{
	size_t i;

	for (i = 0; tr && i < tr->n; i++)
		if (tr->t[i].from == from && tr->t[i].to == to)
			return &tr->t[i];
	return NULL;
}

/* ---- timers ----------------------------------------------------------------- */

static bool timer_name_ok(const char *s)
{
	size_t i;

	if (!*s || strlen(s) >= COV_TIMER_NAME_MAX)
		return false;
	for (i = 0; s[i]; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '-')
			return false;
	return true;
}

/* The words of the evidence column: at most 6. */
static int split_words(char *s, char **w, unsigned *off, int max)
{
	int n = 0;
	char *p = s;

	for (;;) {
		p += strspn(p, " \t");
		if (!*p)
			return n;
		if (n == max)
			return -1;
		w[n] = p;
		off[n++] = (unsigned)(p - s);
		p += strcspn(p, " \t");
		if (*p)
			*p++ = '\0';
	}
}

/* MIB.Name of a MIB /proc/net/snmp, netstat or snmp6 has, the name in
 * letters, digits and '_'. */
static bool counter_ok(const char *s)
{
	static const char *const mibs[] = {"Ip",     "IpExt", "Icmp",    "IcmpMsg",  "Tcp",
	                                   "TcpExt", "Udp",   "UdpLite", "MPTcpExt", "Ip6",
	                                   "Icmp6",  "Udp6",  "UdpLite6"};
	const char *dot = strchr(s, '.');
	size_t i, n;

	if (!dot || !dot[1])
		return false;
	for (i = 1; dot[i]; i++)
		if (!isalnum((unsigned char)dot[i]) && dot[i] != '_')
			return false;
	n = (size_t)(dot - s);
	for (i = 0; i < sizeof(mibs) / sizeof(mibs[0]); i++)
		if (strlen(mibs[i]) == n && !strncmp(s, mibs[i], n))
			return true;
	return false;
}

static int evidence_counter(struct cline *l, struct cov_timer_ev *ev, char **w, const unsigned *at,
                            int n, struct err *e)
{
	int i = 1;

	ev->kind = EV_COUNTER;
	ev->side = -1;
	if (i < n && (!strcmp(w[i], "client") || !strcmp(w[i], "server"))) {
		ev->side = !strcmp(w[i], "server");
		i++;
	}
	if (i >= n)
		return err_at(e, l->file, l->no, at[i - 1] + (unsigned)strlen(w[i - 1]),
		              "expected a counter's name (TcpExt.TCPTimeouts)");
	if (counter_name_parse(w[i], ev->what, sizeof(ev->what)) < 0 || !counter_ok(ev->what))
		return err_at(e, l->file, l->no, at[i], "not a counter's name: '%.64s'", w[i]);
	i++;
	if (i < n) {
		if (strcmp(w[i], "if-step") || i + 2 != n)
			return err_at(e, l->file, l->no, at[i],
			              "expected 'if-step WORD' or nothing");
		if (strlen(w[i + 1]) >= sizeof(ev->if_step))
			return err_at(e, l->file, l->no, at[i + 1],
			              "word longer than %zu characters", sizeof(ev->if_step) - 1);
		text_copy(ev->if_step, sizeof(ev->if_step), w[i + 1]);
	}
	return 0;
}

static int parse_evidence(struct cline *l, struct cov_timer_ev *ev, struct err *e)
{
	char buf[256], *w[6];
	unsigned off[6], at[6];
	int n, i;

	if (copy_col(l, 1, ev->evidence, sizeof(ev->evidence), "the evidence", e) < 0)
		return -1;
	memcpy(buf, ev->evidence, sizeof(buf));
	n = split_words(buf, w, off, 6);
	if (n < 0)
		return err_at(e, l->file, l->no, l->at[1], "too many words");
	for (i = 0; i < n; i++)
		at[i] = l->at[1] + off[i];
	if (!strcmp(w[0], "counter"))
		return evidence_counter(l, ev, w, at, n, e);
	if (!strcmp(w[0], "tracepoint")) {
		ev->kind = EV_TRACEPOINT;
		if (n != 2 || strcmp(w[1], "retransmit_synack"))
			return err_at(e, l->file, l->no, n > 1 ? at[1] : at[0],
			              "expected 'tracepoint retransmit_synack'");
		text_copy(ev->what, sizeof(ev->what), w[1]);
		return 0;
	}
	if (!strcmp(w[0], "diag-timer") || !strcmp(w[0], "wait-gone")) {
		ev->kind = w[0][0] == 'd' ? EV_DIAG_TIMER : EV_WAIT_GONE;
		if (n != 2)
			return err_at(e, l->file, l->no, n > 2 ? at[2] : at[0],
			              "expected '%s STATE'", w[0]);
		ev->state = tcp_state_parse(w[1]);
		if (ev->state < 0)
			return err_at(e, l->file, l->no, at[1], "unknown state '%.64s'", w[1]);
		text_copy(ev->what, sizeof(ev->what), tcp_state_name(ev->state));
		return 0;
	}
	return err_at(e, l->file, l->no, at[0],
	              "unknown evidence '%.64s' (counter, tracepoint, diag-timer, wait-gone)",
	              w[0]);
}

static int add_timer_name(struct cov_timers *tm, const char *name, struct cline *l, struct err *e)
{
	char(*nn)[COV_TIMER_NAME_MAX];
	size_t i;

	for (i = 0; i < tm->nnames; i++)
		if (!strcmp(tm->names[i], name))
			return 0;
	if (tm->nnames == COV_MAX_TIMERS)
		return err_at(e, l->file, l->no, l->at[0], "more than %d timers", COV_MAX_TIMERS);
	nn = realloc(tm->names, (tm->nnames + 1) * sizeof(*nn));
	if (!nn)
		return err_set(e, ERR_SYSTEM, "%s: out of memory", l->file);
	tm->names = nn;
	text_copy(tm->names[tm->nnames++], COV_TIMER_NAME_MAX, name);
	return 0;
}

static int timer_line(struct cline *l, struct cov_timers *tm, struct err *e)
{
	struct cov_timer_ev ev, *ne;

	memset(&ev, 0, sizeof(ev));
	ev.line = l->no;
	if (l->ncol != 3)
		return err_at(e, l->file, l->no, l->ncol < 3 ? (unsigned)l->len + 1 : l->at[3],
		              "expected 3 columns: timer | evidence | source; found %d", l->ncol);
	if (!timer_name_ok(l->col[0]))
		return err_at(e, l->file, l->no, l->at[0],
		              "a timer's name is lower-case letters, digits and '-' (at most %d)",
		              COV_TIMER_NAME_MAX - 1);
	text_copy(ev.timer, sizeof(ev.timer), l->col[0]);
	if (parse_evidence(l, &ev, e) < 0 ||
	    copy_col(l, 2, ev.source, sizeof(ev.source), "the source", e) < 0)
		return -1;
	if (tm->n == COV_MAX_ROWS)
		return err_at(e, l->file, l->no, 1, "more than %d lines", COV_MAX_ROWS);
	if (add_timer_name(tm, ev.timer, l, e) < 0)
		return -1;
	ne = realloc(tm->ev, (tm->n + 1) * sizeof(*ne));
	if (!ne)
		return err_set(e, ERR_SYSTEM, "%s: out of memory", l->file);
	tm->ev = ne;
	tm->ev[tm->n++] = ev;
	return 0;
}

int cov_timers_parse(const char *text, size_t len, const char *file, struct cov_timers *tm,
                     struct err *e)
{
	struct cline *l = calloc(1, sizeof(*l));
	size_t pos = 0;
	int r;

	memset(tm, 0, sizeof(*tm));
	text_copy(tm->file, sizeof(tm->file), file);
	if (!l)
		return err_set(e, ERR_SYSTEM, "%s: out of memory", file);
	l->file = tm->file;
	if (memchr(text, '\0', len)) {
		free(l);
		return nul_byte(text, len, tm->file, e);
	}
	while ((r = next_line(text, len, &pos, l, e)) > 0)
		if (timer_line(l, tm, e) < 0) {
			r = -1;
			break;
		}
	free(l);
	if (r == 0 && tm->n == 0)
		r = err_at(e, tm->file, 1, 1, "no timer listed");
	if (r < 0) {
		cov_timers_free(tm);
		return -1;
	}
	return 0;
}

int cov_timers_load(const char *path, struct cov_timers *tm, struct err *e)
{
	size_t len;
	char *text = infile_read(path, COV_FILE_MAX, &len, e);
	int r;

	memset(tm, 0, sizeof(*tm));
	if (!text)
		return -1;
	r = cov_timers_parse(text, len, path, tm, e);
	free(text);
	return r;
}

void cov_timers_free(struct cov_timers *tm)
{
	free(tm->ev);
	free(tm->names);
	tm->ev = NULL;
	tm->names = NULL;
	tm->n = tm->nnames = 0;
}
