// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_coverage.c - `tcpconform coverage`: the transitions and timers files
 * (every error at its column, the shipped ones), the rules that turn a
 * variant's events, frames and observations into transitions and the rows
 * that checked them (hand-made variants, hostile ones too), and the
 * command and report.html on a real run of the handshake case.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

#include "model/coverage.h"
#include "model/covspec.h"

/* ---- the files ------------------------------------------------------------ */

static void parse_ok(const char *text, struct cov_transitions *tr)
{
	struct err e;

	if (cov_transitions_parse(text, strlen(text), "t", tr, &e) < 0)
		fail_msg("%s", e.msg);
}

static void test_transitions_file(void **state)
{
	struct cov_transitions tr;
	const struct cov_transition *t;

	(void)state;
	parse_ok("# comment\n\n"
	         "CLOSE LISTEN | tracepoint | net/ipv4/inet_connection_sock.c:1312 | reachable\n"
	         "  FIN_WAIT2   TW_FIN_WAIT2 |timewait| tcp_time_wait() |reachable  \n"
	         "LISTEN SYN_SENT | - | RFC 9293 | unreachable(a listener (never) sends)\n",
	         &tr);
	assert_int_equal(tr.n, 3);
	t = cov_transition_find(&tr, CS_FIN_WAIT2, CS_TW_FIN_WAIT2);
	assert_non_null(t);
	assert_int_equal(t->line, 4);
	assert_int_equal(t->seen, SEEN_TIMEWAIT);
	assert_string_equal(t->source, "tcp_time_wait()");
	t = cov_transition_find(&tr, CS_LISTEN, CS_SYN_SENT);
	assert_false(t->reachable);
	assert_string_equal(t->reason, "a listener (never) sends");
	assert_null(cov_transition_find(&tr, CS_SYN_SENT, CS_LISTEN));
	cov_transitions_free(&tr);
}

static void test_transitions_errors(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
	    {"CLOSE LISTEN | tracepoint | x\n", "t:1:30: expected 4 columns"},
	    {"CLOSE LISTEN | tracepoint | x | reachable | y\n", "t:1:45: expected 4 columns"},
	    {"CLOSED LISTEN | tracepoint | x | reachable\n", "t:1:1: unknown state 'CLOSED'"},
	    {"CLOSE  LISTN | tracepoint | x | reachable\n", "t:1:8: unknown state 'LISTN'"},
	    {"CLOSE | tracepoint | x | reachable\n", "t:1:6: expected the state TO after CLOSE"},
	    {"CLOSE LISTEN X | tracepoint | x | reachable\n", "t:1:14: unexpected 'X'"},
	    {"CLOSE CLOSE | tracepoint | x | reachable\n", "t:1:7: CLOSE -> CLOSE changes nothing"},
	    {"CLOSE LISTEN | seen | x | reachable\n", "t:1:16: unknown seen-as 'seen'"},
	    {"FIN_WAIT2 TIME_WAIT | tracepoint | x | reachable\n",
	     "t:1:23: the tracepoint never prints FIN_WAIT2 or TIME_WAIT"},
	    {"CLOSE LISTEN | tracepoint |  | reachable\n", "t:1:30: the source is empty"},
	    {"CLOSE LISTEN | tracepoint | x | maybe\n", "t:1:33: expected 'reachable' or"},
	    {"CLOSE LISTEN | tracepoint | x | unreachable()\n", "t:1:33: expected 'reachable' or"},
	    {"CLOSE LISTEN | - | x | reachable\n", "t:1:16: a reachable transition needs"},
	    {"CLOSE LISTEN | tracepoint | x | reachable\nCLOSE  LISTEN | tracepoint | y | "
	     "reachable\n",
	     "t:2:1: CLOSE -> LISTEN is already on line 1"},
	    {"CLOSE LISTEN | tracepoint | x\033[2J | reachable\n",
	     "t:1:30: control character 0x1b"},
	    {"# nothing\n", "t:1:1: no transition listed"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cov_transitions tr;
		struct err e;

		if (cov_transitions_parse(cases[i].text, strlen(cases[i].text), "t", &tr, &e) == 0)
			fail_msg("accepted: %s", cases[i].text);
		if (!strstr(e.msg, cases[i].msg))
			fail_msg("%s: got '%s', wanted '%s'", cases[i].text, e.msg, cases[i].msg);
		assert_int_equal(e.kind, ERR_INPUT);
		assert_null(tr.t);
	}
	{
		/* bounded: a line over the limit, a NUL byte */
		size_t n = COV_MAX_LINE + 10;
		char *big = malloc(n + 1);
		struct cov_transitions tr;
		struct err e;

		assert_non_null(big);
		memset(big, 'x', n);
		big[n] = '\0';
		assert_int_equal(cov_transitions_parse(big, n, "t", &tr, &e), -1);
		assert_non_null(strstr(e.msg, "t:1:8193: line longer than 8192"));
		assert_int_equal(cov_transitions_parse("a\nbc\0d", 6, "t", &tr, &e), -1);
		assert_non_null(strstr(e.msg, "t:2:3: a NUL byte"));
		free(big);
	}
}

static void test_timers_file(void **state)
{
	static const struct {
		const char *text, *msg;
	} bad[] = {
	    {"RTO | counter TcpExt.TCPTimeouts | x\n", "t:1:1: a timer's name is lower-case"},
	    {"rto | counter | x\n", "t:1:14: expected a counter's name"},
	    {"rto | counter server | x\n", "t:1:21: expected a counter's name"},
	    {"rto | counter Bogus.X.Y | x\n", "t:1:15: not a counter's name"},
	    {"rto | counter TcpExt.TCPTimeouts if-step | x\n", "t:1:34: expected 'if-step WORD'"},
	    {"rto | tracepoint retransmit_skb | x\n", "t:1:18: expected 'tracepoint "},
	    {"tw | diag-timer NO_STATE | x\n", "t:1:17: unknown state 'NO_STATE'"},
	    {"tw | wait-gone | x\n", "t:1:6: expected 'wait-gone STATE'"},
	    {"tw | sleep 60s | x\n", "t:1:6: unknown evidence 'sleep'"},
	    {"tw | wait-gone TIME_WAIT\n", "t:1:25: expected 3 columns"},
	};
	struct cov_timers tm;
	struct err e;
	const char *good =
	    "# t\n"
	    "rto | counter TcpExt.TCPTimeouts | tcp_timer.c\n"
	    "rto | counter client TcpExtTCPSynRetrans | x\n"
	    "user-timeout | counter TcpExt.TCPAbortOnTimeout if-step TCP_USER_TIMEOUT | y\n"
	    "time-wait | wait-gone TIME-WAIT | z\n"
	    "syn-ack | tracepoint retransmit_synack | w\n";
	size_t i;

	(void)state;
	if (cov_timers_parse(good, strlen(good), "t", &tm, &e) < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(tm.n, 5);
	assert_int_equal(tm.nnames, 4);
	assert_string_equal(tm.names[0], "rto");
	assert_string_equal(tm.ev[1].what, "TcpExt.TCPSynRetrans"); /* nstat's spelling read */
	assert_int_equal(tm.ev[1].side, 0);
	assert_string_equal(tm.ev[2].if_step, "TCP_USER_TIMEOUT");
	assert_int_equal(tm.ev[3].kind, EV_WAIT_GONE);
	assert_string_equal(tm.ev[3].what, "TIME_WAIT");
	cov_timers_free(&tm);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (cov_timers_parse(bad[i].text, strlen(bad[i].text), "t", &tm, &e) == 0)
			fail_msg("accepted: %s", bad[i].text);
		if (!strstr(e.msg, bad[i].msg))
			fail_msg("%s: got '%s', wanted '%s'", bad[i].text, e.msg, bad[i].msg);
	}
}

/* The shipped files: they parse, every reachable transition names its
 * kernel source, and RFC 9293's diagram is all there. */
static void test_shipped_files(void **state)
{
	static const char *const rfc[][2] = {
	    {"CLOSE", "LISTEN"},           {"CLOSE", "SYN_SENT"},      {"LISTEN", "NEW_SYN_RECV"},
	    {"LISTEN", "SYN_SENT"},        {"LISTEN", "CLOSE"},        {"SYN_SENT", "SYN_RECV"},
	    {"SYN_SENT", "ESTABLISHED"},   {"SYN_SENT", "CLOSE"},      {"SYN_RECV", "ESTABLISHED"},
	    {"SYN_RECV", "FIN_WAIT1"},     {"NEW_SYN_RECV", "CLOSE"},  {"ESTABLISHED", "FIN_WAIT1"},
	    {"ESTABLISHED", "CLOSE_WAIT"}, {"FIN_WAIT1", "FIN_WAIT2"}, {"FIN_WAIT1", "CLOSING"},
	    {"FIN_WAIT2", "TIME_WAIT"},    {"CLOSING", "TIME_WAIT"},   {"TIME_WAIT", "CLOSE"},
	    {"CLOSE_WAIT", "LAST_ACK"},    {"LAST_ACK", "CLOSE"},      {"FIN_WAIT1", "TIME_WAIT"},
	};
	struct cov_transitions tr;
	struct cov_timers tm;
	struct err e;
	size_t i;

	(void)state;
	if (cov_transitions_load("fixtures/coverage/transitions", &tr, &e) < 0)
		fail_msg("%s", e.msg);
	for (i = 0; i < tr.n; i++)
		if (tr.t[i].reachable && !strstr(tr.t[i].source, "net/ipv4/"))
			fail_msg("line %u: no kernel source", tr.t[i].line);
	for (i = 0; i < sizeof(rfc) / sizeof(rfc[0]); i++)
		if (!cov_transition_find(&tr, cov_state_parse(rfc[i][0]),
		                         cov_state_parse(rfc[i][1])))
			fail_msg("RFC 9293's %s -> %s is not listed", rfc[i][0], rfc[i][1]);
	cov_transitions_free(&tr);
	if (cov_timers_load("fixtures/coverage/timers", &tm, &e) < 0)
		fail_msg("%s", e.msg);
	assert_int_equal(tm.nnames, 9); /* the nine timers issue 19 names */
	cov_timers_free(&tm);
}

/* ---- hand-made variants --------------------------------------------------- */

#define C4 "198.18.0.1"
#define S4 "198.18.0.2"

struct mk {
	char events[16384];
	json_t *obs, *var;
	double mono;
};

static void mk_init(struct mk *m, const char *case_name)
{
	m->events[0] = '\0';
	m->mono = 100.0;
	m->obs = json_pack("{s:i, s:{s:s, s:s, s:s, s:s}, s:{s:f, s:f}, s:{}, s:[], s:[], "
	                   "s:{s:{}, s:{}}}",
	                   "family", 4, "addresses", "client4", C4, "server4", S4, "client6",
	                   "2001:2::1", "server6", "2001:2::2", "clocks", "realtime", 1000.0,
	                   "monotonic", 100.0, "observations", "frames", "steps", "sysctls",
	                   "client", "server");
	m->var = json_pack("{s:s, s:s, s:s, s:[]}", "case", case_name, "variant", "ipv4", "status",
	                   "ran", "checks");
	assert_non_null(m->obs);
	assert_non_null(m->var);
}

static void mk_free(struct mk *m)
{
	json_decref(m->obs);
	json_decref(m->var);
}

/* A state event of the side's socket @sport -> @dport, 0.1 ms after the last. */
static void ev(struct mk *m, int server, unsigned sport, unsigned dport, const char *old,
               const char *new)
{
	const char *sa = server ? S4 : C4, *da = dport ? (server ? C4 : S4) : "0.0.0.0";
	size_t n = strlen(m->events);

	m->mono += 0.0001;
	snprintf(m->events + n, sizeof(m->events) - n,
	         "  tcpconform-1 [000] ..... %.6f: inet_sock_set_state: family=AF_INET "
	         "protocol=IPPROTO_TCP sport=%u dport=%u saddr=%s daddr=%s saddrv6=::ffff:%s "
	         "daddrv6=::ffff:%s oldstate=TCP_%s newstate=TCP_%s\n",
	         m->mono, sport, dport, sa, da, sa, da, old, new);
}

static void ev_raw(struct mk *m, const char *line)
{
	size_t n = strlen(m->events);

	snprintf(m->events + n, sizeof(m->events) - n, "%s\n", line);
}

/* A frame that crossed the wire at trace-clock time @mono. */
static void frame(struct mk *m, int c2s, unsigned sport, unsigned dport, const char *flags,
                  int kind, double mono)
{
	json_array_append_new(json_object_get(m->obs, "frames"),
	                      json_pack("{s:i, s:f, s:s, s:b, s:s, s:i, s:i, s:i, s:i}", "no", 1,
	                                "t", mono + 900.0, "dir", c2s ? "c>s" : "s>c", "tcp", 1,
	                                "flags", flags, "sport", sport, "dport", dport, "kind",
	                                kind, "len", 0));
}

static void observation(struct mk *m, const char *name, const char *step, int line, json_t *value)
{
	json_object_set_new(json_object_get(m->obs, "observations"), name,
	                    json_pack("{s:s, s:i, s:s, s:o}", "source", "x", "line", line, "step",
	                              step, "value", value));
}

static void check(struct mk *m, const char *name, const char *verdict, const char *observed,
                  int row)
{
	json_array_append_new(json_object_get(m->var, "checks"),
	                      json_pack("{s:s, s:s, s:s, s:s, s:i}", "name", name, "verdict",
	                                verdict, "expected", observed, "observed", observed,
	                                "table_line", row));
}

static struct cov_transitions spec;
static struct cov_timers timers;

static int load_spec(void **state)
{
	struct err e;

	(void)state;
	if (cov_transitions_load("fixtures/coverage/transitions", &spec, &e) < 0 ||
	    cov_timers_load("fixtures/coverage/timers", &timers, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	return 0;
}

static int free_spec(void **state)
{
	(void)state;
	cov_transitions_free(&spec);
	cov_timers_free(&timers);
	return 0;
}

static unsigned long seen(struct coverage *c, const char *a, const char *b)
{
	return c->cell[cov_state_parse(a)][cov_state_parse(b)].variants;
}

static bool row(struct coverage *c, const char *a, const char *b, const char *r)
{
	const struct cov_set *s = &c->cell[cov_state_parse(a)][cov_state_parse(b)].rows;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->s[i], r))
			return true;
	return false;
}

static void add(struct coverage *c, struct mk *m)
{
	assert_int_equal(cov_add_variant(c, m->var, m->obs, m->events), 0);
}

/* A connection the client closes first, the server's FIN arriving before
 * its socket leaves FIN_WAIT2: every step, and the rows that checked it. */
static void test_close_into_time_wait(void **state)
{
	struct coverage c;
	struct mk m;

	(void)state;
	mk_init(&m, "cc");
	ev(&m, 1, 8000, 0, "CLOSE", "LISTEN");
	ev(&m, 0, 0, 8000, "CLOSE", "SYN_SENT"); /* before the port is chosen */
	ev(&m, 0, 40000, 8000, "SYN_SENT", "ESTABLISHED");
	ev(&m, 1, 8000, 40000, "LISTEN", "SYN_RECV");
	ev(&m, 1, 8000, 40000, "SYN_RECV", "ESTABLISHED");
	ev(&m, 0, 40000, 8000, "ESTABLISHED", "FIN_WAIT1");
	ev(&m, 1, 8000, 40000, "ESTABLISHED", "CLOSE_WAIT");
	ev(&m, 1, 8000, 40000, "CLOSE_WAIT", "LAST_ACK");
	ev(&m, 0, 40000, 8000, "FIN_WAIT1", "FIN_WAIT2");
	frame(&m, 0, 8000, 40000, "F.", 0, m.mono + 0.00005);
	ev(&m, 0, 40000, 8000, "FIN_WAIT2", "CLOSE");
	ev(&m, 1, 8000, 40000, "LAST_ACK", "CLOSE");
	/* another run's orphan on the same addresses, and another family's event */
	ev(&m, 0, 50000, 8000, "FIN_WAIT1", "CLOSE");
	ev_raw(&m, "  x-1 [000] ..... 100.9: inet_sock_set_state: family=AF_INET6 "
	           "protocol=IPPROTO_TCP sport=1 dport=8000 saddr=0.0.0.0 daddr=0.0.0.0 "
	           "saddrv6=2001:2::1 daddrv6=2001:2::2 oldstate=TCP_ESTABLISHED "
	           "newstate=TCP_CLOSE");
	observation(&m, "client_timeline", "observe client c states", 20,
	            json_string("SYN_SENT ESTABLISHED FIN_WAIT1 FIN_WAIT2 CLOSE"));
	observation(&m, "tw", "observe client diag TIME_WAIT", 21, json_integer(1));
	observation(&m, "last_ack", "observe server diag LAST_ACK", 22, json_integer(1));
	observation(&m, "last_ack_after", "observe server diag LAST_ACK", 24, json_integer(0));
	observation(&m, "server_timeline", "observe server s states", 25,
	            json_string("SYN_RECV ESTABLISHED CLOSE_WAIT LAST_ACK CLOSE"));
	check(&m, "client_timeline", "pass", "SYN_SENT ESTABLISHED FIN_WAIT1 FIN_WAIT2 CLOSE", 5);
	check(&m, "tw", "pass", "1", 6);
	check(&m, "last_ack", "pass", "1", 7);
	check(&m, "last_ack_after", "pass", "0", 8);
	check(&m, "server_timeline", "fail", "SYN_RECV ESTABLISHED CLOSE_WAIT LAST_ACK CLOSE", 9);
	assert_int_equal(cov_init(&c, &spec, &timers), 0);
	add(&c, &m);
	assert_int_equal(seen(&c, "CLOSE", "LISTEN"), 1);
	assert_int_equal(seen(&c, "CLOSE", "SYN_SENT"), 1);
	assert_int_equal(seen(&c, "SYN_SENT", "ESTABLISHED"), 1);
	assert_int_equal(seen(&c, "LISTEN", "NEW_SYN_RECV"), 1);
	assert_int_equal(seen(&c, "NEW_SYN_RECV", "SYN_RECV"), 1);
	assert_int_equal(seen(&c, "LISTEN", "SYN_RECV"), 0); /* no cookie, no Fast Open */
	assert_int_equal(seen(&c, "FIN_WAIT2", "TIME_WAIT"), 1);
	assert_int_equal(seen(&c, "FIN_WAIT2", "CLOSE"), 0);
	assert_int_equal(seen(&c, "FIN_WAIT2", "TW_FIN_WAIT2"), 0);
	assert_int_equal(seen(&c, "LAST_ACK", "CLOSE"), 1);
	assert_int_equal(seen(&c, "FIN_WAIT1", "CLOSE"), 0); /* the orphan is not ours */
	assert_int_equal(seen(&c, "ESTABLISHED", "CLOSE"), 0);
	assert_int_equal(c.stale, 1);
	/* the timeline's steps, its end a move into TIME_WAIT */
	assert_true(row(&c, "CLOSE", "SYN_SENT", "cc.table:5"));
	assert_true(row(&c, "FIN_WAIT1", "FIN_WAIT2", "cc.table:5"));
	assert_true(row(&c, "FIN_WAIT2", "TIME_WAIT", "cc.table:5"));
	assert_true(row(&c, "FIN_WAIT2", "TIME_WAIT", "cc.table:6"));
	/* LAST_ACK there, then gone: both ways checked */
	assert_true(row(&c, "CLOSE_WAIT", "LAST_ACK", "cc.table:7"));
	assert_true(row(&c, "LAST_ACK", "CLOSE", "cc.table:8"));
	assert_false(row(&c, "LAST_ACK", "CLOSE", "cc.table:7"));
	/* a check that failed checks nothing */
	assert_false(row(&c, "ESTABLISHED", "CLOSE_WAIT", "cc.table:9"));
	assert_int_equal(c.cell[CS_ESTABLISHED][CS_CLOSE_WAIT].rows.n, 0);
	cov_free(&c);
	mk_free(&m);
}

/* The client's connection from @sport to 8000, from its connect to
 * FIN_WAIT2 (its FIN acknowledged). */
static void client_into_fin_wait2(struct mk *m, unsigned sport)
{
	ev(m, 0, sport, 8000, "CLOSE", "SYN_SENT");
	ev(m, 0, sport, 8000, "SYN_SENT", "ESTABLISHED");
	ev(m, 0, sport, 8000, "ESTABLISHED", "FIN_WAIT1");
	ev(m, 0, sport, 8000, "FIN_WAIT1", "FIN_WAIT2");
}

/* FIN_WAIT2 -> CLOSE as a timewait socket waiting for the FIN (which
 * comes later, or after it expired: then it draws a reset), after a reset
 * (a true close), and with no timewait socket to be had
 * (TCPTimeWaitOverflow). */
static void test_fin_wait2_ends(void **state)
{
	struct coverage c;
	struct mk a, b, d, x;

	(void)state;
	assert_int_equal(cov_init(&c, &spec, &timers), 0);
	mk_init(&a, "orphan");
	client_into_fin_wait2(&a, 40000);
	ev(&a, 0, 40000, 8000, "FIN_WAIT2", "CLOSE");
	frame(&a, 0, 8000, 40000, "F.", 0, a.mono + 0.3);    /* later */
	frame(&a, 0, 8000, 40000, "F.", 1, a.mono - 0.0001); /* dropped: never arrived */
	add(&c, &a);
	assert_int_equal(seen(&c, "FIN_WAIT2", "TW_FIN_WAIT2"), 1);
	assert_int_equal(seen(&c, "TW_FIN_WAIT2", "TIME_WAIT"), 1);
	assert_int_equal(seen(&c, "FIN_WAIT2", "TIME_WAIT"), 0);
	mk_init(&x, "expired");
	client_into_fin_wait2(&x, 40003);
	ev(&x, 0, 40003, 8000, "FIN_WAIT2", "CLOSE");
	/* the FIN comes after the timewait socket expired: answered by a reset
	 * (a replayed copy from the client's side is not an answer) */
	frame(&x, 0, 8000, 40003, "F.", 0, x.mono + 3.0);
	frame(&x, 1, 40003, 8000, ".", 7, x.mono + 3.00005);
	frame(&x, 1, 40003, 8000, "R", 0, x.mono + 3.0001);
	frame(&x, 1, 40003, 8000, ".", 0, x.mono + 3.5);
	add(&c, &x);
	assert_int_equal(seen(&c, "FIN_WAIT2", "TW_FIN_WAIT2"), 2);
	assert_int_equal(seen(&c, "TW_FIN_WAIT2", "TIME_WAIT"), 1);
	assert_int_equal(seen(&c, "TW_FIN_WAIT2", "CLOSE"), 1);
	mk_init(&b, "reset");
	client_into_fin_wait2(&b, 40001);
	ev_raw(&b, "  x-1 [000] ..s2. 100.000450: tcp_receive_reset: family=AF_INET sport=40001 "
	           "dport=8000 saddr=" C4 " daddr=" S4 " saddrv6=::ffff:" C4 " daddrv6=::ffff:" S4);
	ev(&b, 0, 40001, 8000, "FIN_WAIT2", "CLOSE");
	add(&c, &b);
	assert_int_equal(seen(&c, "FIN_WAIT2", "CLOSE"), 1);
	mk_init(&d, "overflow");
	client_into_fin_wait2(&d, 40002);
	frame(&d, 0, 8000, 40002, "F.", 0, d.mono);
	ev(&d, 0, 40002, 8000, "FIN_WAIT2", "CLOSE");
	observation(&d, "overflow", "observe client counter TcpExtTCPTimeWaitOverflow", 9,
	            json_integer(1));
	add(&c, &d);
	assert_int_equal(seen(&c, "FIN_WAIT2", "CLOSE"), 2);
	assert_int_equal(seen(&c, "FIN_WAIT2", "TIME_WAIT"), 0);
	assert_int_equal(c.cell[CS_FIN_WAIT2][CS_CLOSE].cases.n, 2);
	cov_free(&c);
	mk_free(&a);
	mk_free(&b);
	mk_free(&d);
	mk_free(&x);
}

/* Children from cookies; two listeners on one port; a timewait socket
 * reused by a connect and reopened by a SYN; a request that went away. */
static void test_sockets(void **state)
{
	struct coverage c;
	struct mk a, b;

	(void)state;
	assert_int_equal(cov_init(&c, &spec, &timers), 0);
	mk_init(&a, "cookies");
	json_object_set_new(json_object_get(json_object_get(a.obs, "sysctls"), "server"),
	                    "net.ipv4.tcp_syncookies", json_string("2"));
	ev(&a, 1, 8000, 0, "CLOSE", "LISTEN");
	ev(&a, 1, 8000, 0, "CLOSE", "LISTEN");
	ev(&a, 1, 8000, 40000, "LISTEN", "SYN_RECV");
	ev(&a, 1, 8000, 0, "LISTEN", "CLOSE");
	ev(&a, 1, 8000, 0, "LISTEN", "CLOSE");
	observation(&a, "reqs", "observe server diag SYN_RECV", 10, json_integer(3));
	observation(&a, "reqs_after", "observe server diag SYN_RECV", 11, json_integer(0));
	add(&c, &a);
	assert_int_equal(seen(&c, "LISTEN", "SYN_RECV"), 1);
	assert_int_equal(seen(&c, "NEW_SYN_RECV", "SYN_RECV"), 0);
	assert_int_equal(seen(&c, "LISTEN", "CLOSE"), 1);
	assert_int_equal(c.stale, 0);                            /* both listeners closed */
	assert_int_equal(seen(&c, "LISTEN", "NEW_SYN_RECV"), 1); /* inet_diag saw requests */
	assert_int_equal(seen(&c, "NEW_SYN_RECV", "CLOSE"), 1);  /* 3 went, 1 child */
	mk_init(&b, "reuse");
	/* the server closes first and ends in TIME_WAIT (CLOSING -> TIME_WAIT);
	 * the client ends in TIME_WAIT too, and connects again from its port */
	ev(&b, 1, 8000, 0, "CLOSE", "LISTEN");
	ev(&b, 0, 40000, 8000, "CLOSE", "SYN_SENT");
	ev(&b, 0, 40000, 8000, "SYN_SENT", "ESTABLISHED");
	ev(&b, 1, 8000, 40000, "LISTEN", "SYN_RECV");
	ev(&b, 1, 8000, 40000, "SYN_RECV", "ESTABLISHED");
	ev(&b, 1, 8000, 40000, "ESTABLISHED", "FIN_WAIT1");
	ev(&b, 0, 40000, 8000, "ESTABLISHED", "FIN_WAIT1");
	ev(&b, 1, 8000, 40000, "FIN_WAIT1", "CLOSING");
	ev(&b, 0, 40000, 8000, "FIN_WAIT1", "CLOSING");
	ev(&b, 1, 8000, 40000, "CLOSING", "CLOSE");
	ev(&b, 0, 40000, 8000, "CLOSING", "CLOSE");
	ev(&b, 0, 40000, 8000, "CLOSE", "SYN_SENT");
	ev(&b, 1, 8000, 40000, "LISTEN", "SYN_RECV");
	ev(&b, 0, 40000, 8000, "SYN_SENT", "ESTABLISHED");
	add(&c, &b);
	assert_int_equal(seen(&c, "CLOSING", "TIME_WAIT"), 1);
	assert_int_equal(seen(&c, "TIME_WAIT", "CLOSE"), 1);        /* the client's, reused */
	assert_int_equal(seen(&c, "TIME_WAIT", "NEW_SYN_RECV"), 1); /* the server's, reopened */
	assert_int_equal(c.stale, 0);
	cov_free(&c);
	mk_free(&a);
	mk_free(&b);
}

/* Timers and counters from the observations that show them. */
static void test_timers_and_counters(void **state)
{
	struct coverage c;
	struct cov_totals t;
	struct mk a, b;
	size_t i, tlp = 0, ut = 0;

	(void)state;
	for (i = 0; i < timers.nnames; i++) {
		if (!strcmp(timers.names[i], "tail-loss-probe"))
			tlp = i;
		if (!strcmp(timers.names[i], "user-timeout"))
			ut = i;
	}
	assert_int_equal(cov_init(&c, &spec, &timers), 0);
	mk_init(&a, "tlp");
	observation(&a, "probes", "observe server counter TcpExt.TCPLossProbes", 9,
	            json_integer(1));
	observation(&a, "rsts", "observe server counter Tcp.OutRsts", 10, json_integer(0));
	observation(&a, "aborts", "observe client counter TcpExt.TCPAbortOnTimeout", 11,
	            json_integer(1));
	check(&a, "probes", "pass", "1", 4);
	check(&a, "rsts", "pass", "0", 5);
	add(&c, &a);
	assert_int_equal(c.timer[tlp].variants, 1);
	assert_int_equal(c.timer[tlp].rows.n, 1);
	assert_string_equal(c.timer[tlp].rows.s[0], "tlp.table:4");
	assert_int_equal(c.timer[ut].variants, 0); /* no TCP_USER_TIMEOUT step */
	mk_init(&b, "ut");
	json_array_append_new(json_object_get(b.obs, "steps"),
	                      json_pack("{s:i, s:s, s:i}", "line", 3, "step",
	                                "client setsockopt c TCP_USER_TIMEOUT 2500", "ret", 0));
	observation(&b, "aborts", "observe client counter TcpExt.TCPAbortOnTimeout", 11,
	            json_integer(1));
	add(&c, &b);
	assert_int_equal(c.timer[ut].variants, 1);
	cov_totals(&c, &t);
	assert_int_equal(t.counters, 3);
	assert_int_equal(t.counters_moved, 2);
	assert_int_equal(t.counters_checked, 1);
	assert_int_equal(t.timers_seen, 2);
	assert_int_equal(t.timers_checked, 1);
	{
		json_t *j = cov_json(&c, (const char *const[]){"r"}, 1), *x;
		size_t k;
		bool found = false;

		assert_non_null(j);
		assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "totals"),
		                                                    "counters_moved")),
		                 2);
		json_array_foreach(json_object_get(j, "counters"), k, x)
		{
			if (!strcmp(json_string_value(json_object_get(x, "counter")),
			            "TcpExt.TCPLossProbes")) {
				found = true;
				assert_int_equal(json_integer_value(json_object_get(x, "moved_in")),
				                 1);
			}
		}
		assert_true(found);
		assert_int_equal(json_array_size(json_object_get(j, "transitions")), spec.n);
		json_decref(j);
	}
	cov_free(&c);
	mk_free(&a);
	mk_free(&b);
}

/* A variant from someone hostile: wrong types everywhere, garbage events,
 * out-of-range numbers.  Counted, nothing made of it, no crash. */
static void test_hostile_variant(void **state)
{
	static const char *const bad_obs[] = {
	    "{\"family\": \"4\"}",
	    "{\"family\": 4, \"addresses\": 5}",
	    "{\"family\": 4, \"addresses\": {\"client4\": \"1.2.3.4.5\", \"server4\": \"x\"}}",
	    "{\"family\": 4, \"addresses\": {\"client4\": \"" C4 "\", \"server4\": \"" S4 "\"},"
	    " \"observations\": [1], \"frames\": {\"a\": 1}, \"steps\": \"x\", \"sysctls\": 3,"
	    " \"clocks\": {\"realtime\": \"1\", \"monotonic\": 1e308}}",
	    "{\"family\": 4, \"addresses\": {\"client4\": \"" C4 "\", \"server4\": \"" S4 "\"},"
	    " \"observations\": {\"o\": {\"step\": 7, \"value\": {\"ret\": \"0\"}},"
	    " \"p\": {\"step\": \"observe server diag\", \"value\": 1e300, \"line\": -5},"
	    " \"q\": {\"step\": \"observe client counter " /* a word longer than a step's */
	    "TcpExt.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\", \"value\": 5}},"
	    " \"frames\": [{\"t\": \"x\", \"tcp\": true, \"flags\": 5}, 3]}",
	};
	static const char events[] =
	    "garbage\n: inet_sock_set_state: family=AF_INET sport=99999999 oldstate=TCP_X\n"
	    "  x [0] 1.0: inet_sock_set_state: family=AF_INET protocol=IPPROTO_TCP sport=1 "
	    "dport=2 saddr=" C4 " daddr=" S4 " saddrv6=::1 daddrv6=::1 oldstate=TCP_NEW_SYN_RECV "
	    "newstate=TCP_TIME_WAIT\n";
	struct coverage c;
	json_t *var = json_pack("{s:i, s:[i, {s:i, s:s, s:s}]}", "case", 5, "checks", 1, "name", 3,
	                        "verdict", "pass", "observed", "1");
	size_t i;
	int a, b;

	(void)state;
	assert_int_equal(cov_init(&c, &spec, &timers), 0);
	for (i = 0; i < sizeof(bad_obs) / sizeof(bad_obs[0]); i++) {
		json_error_t je;
		json_t *o = json_loads(bad_obs[i], 0, &je);

		assert_non_null(o);
		assert_int_equal(cov_add_variant(&c, var, o, events), 0);
		json_decref(o);
	}
	assert_int_equal(cov_add_variant(&c, var, NULL, NULL), 0);
	assert_int_equal(cov_add_variant(&c, json_null(), json_null(), ""), 0);
	assert_int_equal(c.variants, 7);
	for (a = 0; a < CS_COUNT; a++)
		for (b = 0; b < CS_COUNT; b++)
			assert_int_equal(c.cell[a][b].variants, 0);
	json_decref(var);
	cov_free(&c);
}

/* ---- the command and the report, on a real run ----------------------------------- */

static char tmp[64];

static int mktmp(void **state)
{
	(void)state;
	return tl_tmpdir(tmp, sizeof(tmp), "cov");
}

static int rmtmp(void **state)
{
	char *out;
	int r;

	(void)state;
	r = tl_sh(&out, "rm -rf %s", tmp);
	free(out);
	return r == 0 ? 0 : -1;
}

static json_t *transition(json_t *j, const char *a, const char *b)
{
	json_t *t;
	size_t i;

	json_array_foreach(json_object_get(j, "transitions"), i, t)
	{
		if (!strcmp(json_string_value(json_object_get(t, "from")), a) &&
		    !strcmp(json_string_value(json_object_get(t, "to")), b))
			return t;
	}
	return NULL;
}

/* Seen in the handshake case, and checked by its table's rows only. */
static void expect_checked(json_t *j, const char *a, const char *b)
{
	json_t *t = transition(j, a, b), *r;
	size_t i;

	assert_non_null(t);
	if (!json_is_true(json_object_get(t, "seen")) ||
	    !json_is_true(json_object_get(t, "checked")))
		fail_msg("%s -> %s: not seen and checked", a, b);
	json_array_foreach(json_object_get(t, "checked_by"), i, r)
	{
		if (strncmp(json_string_value(r), "handshake.table:", 16))
			fail_msg("%s -> %s checked by %s", a, b, json_string_value(r));
	}
}

static void test_command_on_a_run(void **state)
{
	json_t *j, *k;
	json_error_t je;
	char path[256], *out;
	bool events;

	(void)state;
	REQUIRE_NETNS();
	assert_int_equal(tl_sh(&out, "build/tcpconform run -o %s/run handshake", tmp), 0);
	free(out);
	assert_int_equal(tl_sh(&out, "build/tcpconform coverage %s/run -o %s/cov.json", tmp, tmp),
	                 0);
	assert_non_null(strstr(out, "transitions (fixtures/coverage/transitions): "));
	assert_non_null(strstr(out, "timers (fixtures/coverage/timers): "));
	free(out);
	snprintf(path, sizeof(path), "%s/cov.json", tmp);
	j = json_load_file(path, 0, &je);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "variants")), 2);
	snprintf(path, sizeof(path), "%s/run/handshake/ipv4/events.txt", tmp);
	events = access(path, F_OK) == 0;
	if (events) {
		expect_checked(j, "CLOSE", "SYN_SENT");
		expect_checked(j, "SYN_SENT", "ESTABLISHED");
		expect_checked(j, "LISTEN", "NEW_SYN_RECV");
		expect_checked(j, "NEW_SYN_RECV", "SYN_RECV");
		expect_checked(j, "SYN_RECV", "ESTABLISHED");
		/* no reset, no simultaneous open, no cookie in a handshake */
		assert_false(
		    json_is_true(json_object_get(transition(j, "SYN_SENT", "SYN_RECV"), "seen")));
		assert_false(
		    json_is_true(json_object_get(transition(j, "LISTEN", "SYN_RECV"), "seen")));
		/* events_left_out may be more than 0: another run on this host may
		 * have used the same address block just before (its sockets' ends). */
	} else {
		print_message("note: no events.txt (no tracefs here): no transition is seen\n");
		assert_int_equal(
		    json_integer_value(json_object_get(json_object_get(j, "totals"), "seen")), 0);
	}
	/* the run wrote the same totals beside report.html, and the diagram */
	snprintf(path, sizeof(path), "%s/run/coverage.json", tmp);
	k = json_load_file(path, 0, &je);
	assert_non_null(k);
	assert_true(json_equal(json_object_get(j, "totals"), json_object_get(k, "totals")));
	assert_int_equal(
	    tl_sh(&out, "grep -c 'id=\"coverage\"\\|class=\"cvdiag\"' %s/run/report.html", tmp), 0);
	assert_string_equal(out, "2\n");
	free(out);
	json_decref(j);
	json_decref(k);
	/* bad input: exit 2 with file:line:col, or with the directory named */
	snprintf(path, sizeof(path), "%s/bad", tmp);
	assert_int_equal(tl_sh(&out,
	                       "printf 'CLOSE LISTEN | tracepoint | x | sure\\n' > %s && "
	                       "build/tcpconform coverage %s/run --transitions %s -o %s/x",
	                       path, tmp, path, tmp),
	                 2);
	assert_non_null(strstr(out, "bad:1:33: expected 'reachable' or 'unreachable(REASON)'"));
	free(out);
	assert_int_equal(tl_sh(&out, "build/tcpconform coverage %s -o %s/x", tmp, tmp), 2);
	assert_non_null(strstr(out, "summary.json"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest files[] = {
	    cmocka_unit_test(test_transitions_file),
	    cmocka_unit_test(test_transitions_errors),
	    cmocka_unit_test(test_timers_file),
	    cmocka_unit_test(test_shipped_files),
	};
	const struct CMUnitTest rules[] = {
	    cmocka_unit_test(test_close_into_time_wait),
	    cmocka_unit_test(test_fin_wait2_ends),
	    cmocka_unit_test(test_sockets),
	    cmocka_unit_test(test_timers_and_counters),
	    cmocka_unit_test(test_hostile_variant),
	};
	const struct CMUnitTest run[] = {
	    cmocka_unit_test(test_command_on_a_run),
	};
	int r = cmocka_run_group_tests_name("files", files, NULL, NULL);

	r += cmocka_run_group_tests_name("rules", rules, load_spec, free_spec);
	r += cmocka_run_group_tests_name("run", run, mktmp, rmtmp);
	return r;
}
