// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_scenario.c - the case language: every construct parses into what it
 * says, every error names file:line:col, variants multiply as documented,
 * and the shipped cases all parse.
 */
#include <glob.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "testlib.h"

#include "base/infile.h"
#include "base/text.h"
#include "host/sysctl.h"
#include "model/scenario.h"
#include "model/table.h"
#include "model/tcp.h"
#include "run/catalogue.h"
#include "run/steps.h"

static const char full[] = "# a complete case\n"
                           "case   demo\n"
                           "title  Everything the language has\n"
                           "why    first line\n"
                           "why    second line   # comment\n"
                           "family 6\n"
                           "timeout 12s\n"
                           "sysctl server net.ipv4.tcp_syncookies 2\n"
                           "sysctl both net/ipv4/tcp_fin_timeout = 5\n"
                           "sysctl client net.ipv4.ip_local_port_range 40000 40010\n"
                           "vary   net.ipv4.tcp_tw_reuse 0 1 2\n"
                           "vary   client net.ipv4.tcp_timestamps 0 1\n"
                           "vary   linger on off\n"
                           "server listen L port 8000 backlog 5\n"
                           "server setsockopt L SO_REUSEADDR 1\n"
                           "client socket c\n"
                           "client setsockopt c TCP_SYNCNT 2\n"
                           "when linger=on client setsockopt c SO_LINGER 1,0\n"
                           "client setsockopt c SOL_SOCKET:-5 1 as exclusive\n"
                           "client bind c port 40001\n"
                           "client connect c to server:8000 from 40002 nonblock as conn\n"
                           "server accept s from L as acc\n"
                           "client send c \"hello world\"\n"
                           "client send c 1000\n"
                           "server recv s 11 as got\n"
                           "server recv s\n"
                           "client shutdown c wr\n"
                           "wire hold c>s flags~F as cfin\n"
                           "wire remove cfin\n"
                           "wire pass\n"
                           "client flood server:8000 count 50 rate 200\n"
                           "wait 1.5s\n"
                           "wait until client c state FIN_WAIT2 within 2s\n"
                           "wait until wire s>c flags~F count 2 within 3s\n"
                           "observe client c state as st\n"
                           "observe client c states as timeline\n"
                           "observe client c tcpinfo retransmits as rtx\n"
                           "observe client diag TIME_WAIT as tw\n"
                           "observe client diag TIME_WAIT timer as twt\n"
                           "observe server counter TcpExt.ListenDrops as drops\n"
                           "observe wire count c>s flags=S as syns\n"
                           "observe wire flags as seq\n"
                           "observe server resets sent as rst\n"
                           "observe server retransmits synack as synack_rtx\n"
                           "observe wire seqs s>c flags~S as isns\n"
                           "mark m\n"
                           "observe wire acks s>c flags=. since m as cacks\n"
                           "wait until wire s>c flags=. since m count 2 within 1s\n"
                           "client close c\n"
                           "observe wire age s>c flags~F since m as fin_age\n"
                           "observe wire opts flags~S as syn_opts\n"
                           "observe wire tsvals c>s since m as ctsvals\n";

static void test_full_case(void **state)
{
	struct scenario sc;
	struct err e;
	const struct step *st;

	(void)state;
	if (scenario_parse(full, strlen(full), "demo.case", &sc, &e) < 0)
		fail_msg("%s", e.msg);
	assert_string_equal(sc.name, "demo");
	assert_string_equal(sc.title, "Everything the language has");
	assert_string_equal(sc.why, "first line second line");
	assert_false(sc.family4);
	assert_true(sc.family6);
	assert_int_equal(sc.timeout_ms, 12000);
	assert_int_equal(sc.nsysctls, 3);
	assert_int_equal(sc.sysctls[0].side, SIDE_SERVER);
	assert_string_equal(sc.sysctls[1].key, "net.ipv4.tcp_fin_timeout");
	assert_string_equal(sc.sysctls[1].value, "5");
	assert_string_equal(sc.sysctls[2].value, "40000 40010");
	assert_int_equal(sc.naxes, 3);
	assert_true(sc.axes[0].is_sysctl);
	assert_int_equal(sc.axes[1].side, SIDE_CLIENT);
	assert_false(sc.axes[2].is_sysctl);
	assert_int_equal(scenario_variants(&sc), 1 * 3 * 2 * 2);
	assert_int_equal(sc.nsteps, 39);

	st = &sc.steps[0];
	assert_int_equal(st->kind, ST_LISTEN);
	assert_int_equal(st->call.port, 8000);
	assert_int_equal(st->call.backlog, 5);
	st = &sc.steps[4];
	assert_string_equal(st->when_var, "linger");
	assert_string_equal(st->when_value, "on");
	assert_true(st->call.opt.is_linger);
	assert_int_equal(st->call.opt.value, 1);
	assert_int_equal(st->call.opt.value2, 0);
	st = &sc.steps[5];
	assert_int_equal(st->call.opt.level, SOL_SOCKET);
	assert_int_equal(st->call.opt.name, -5);
	assert_string_equal(st->as, "exclusive");
	st = &sc.steps[7];
	assert_int_equal(st->kind, ST_CONNECT);
	assert_int_equal(st->call.port, 8000);
	assert_int_equal(st->call.from_port, 40002);
	assert_true(st->call.nonblock);
	assert_string_equal(st->as, "conn");
	st = &sc.steps[8];
	assert_int_equal(st->kind, ST_ACCEPT);
	assert_string_equal(st->call.other, "L");
	assert_string_equal(sc.steps[9].call.text, "hello world");
	assert_int_equal(sc.steps[9].call.bytes, 11);
	assert_int_equal(sc.steps[10].call.bytes, 1000);
	assert_int_equal(sc.steps[12].call.bytes, -1);
	assert_int_equal(sc.steps[13].call.how, SHUT_WR);
	st = &sc.steps[14];
	assert_int_equal(st->kind, ST_WIRE);
	assert_false(st->wire.remove);
	assert_int_equal(st->wire.rule.action, RULE_HOLD);
	assert_string_equal(st->wire.rule.name, "cfin");
	assert_true(sc.steps[15].wire.remove);
	assert_string_equal(sc.steps[15].wire.rule_name, "cfin");
	assert_string_equal(sc.steps[16].wire.rule_name, "all");
	st = &sc.steps[17];
	assert_int_equal(st->kind, ST_FLOOD);
	assert_int_equal(st->flood.count, 50);
	assert_int_equal(st->flood.rate, 200);
	assert_int_equal(sc.steps[18].wait.until, WAIT_TIME);
	assert_int_equal(sc.steps[18].wait.ms, 1500);
	st = &sc.steps[19];
	assert_int_equal(st->kind, ST_WAIT);
	assert_int_equal(st->wait.until, WAIT_STATE);
	assert_int_equal(st->wait.state, TCP_FIN_WAIT2);
	assert_int_equal(st->wait.ms, 2000);
	st = &sc.steps[20];
	assert_int_equal(st->kind, ST_WAIT);
	assert_int_equal(st->wait.until, WAIT_WIRE);
	assert_int_equal(st->wait.min_count, 2);
	assert_int_equal(st->wait.match.dir, DIR_S2C);
	assert_int_equal(st->wait.ms, 3000);
	assert_int_equal(sc.steps[21].observe.obs, OB_STATE);
	assert_int_equal(sc.steps[22].observe.obs, OB_STATES);
	assert_int_equal(sc.steps[23].observe.obs, OB_TCPINFO);
	assert_string_equal(sc.steps[23].observe.field, "retransmits");
	assert_int_equal(sc.steps[24].observe.obs, OB_DIAG_COUNT);
	assert_int_equal(sc.steps[24].observe.state, TCP_TIME_WAIT);
	assert_int_equal(sc.steps[25].observe.obs, OB_DIAG_TIMER);
	assert_int_equal(sc.steps[26].observe.obs, OB_COUNTER);
	assert_string_equal(sc.steps[26].observe.field, "TcpExt.ListenDrops");
	st = &sc.steps[27];
	assert_int_equal(st->observe.obs, OB_WIRE_COUNT);
	assert_true(st->observe.match.has_flags);
	assert_int_equal(st->observe.match.flags, TCPF_SYN);
	assert_string_equal(st->as, "syns");
	assert_int_equal(sc.steps[28].observe.obs, OB_WIRE_FLAGS);
	assert_false(sc.steps[28].observe.match.has_flags);
	assert_int_equal(sc.steps[29].observe.obs, OB_RESETS);
	assert_string_equal(sc.steps[29].observe.field, "sent");
	assert_int_equal(sc.steps[30].observe.obs, OB_RETRANS);
	assert_string_equal(sc.steps[30].observe.field, "synack");
	st = &sc.steps[31];
	assert_int_equal(st->observe.obs, OB_WIRE_SEQS);
	assert_int_equal(st->observe.match.dir, DIR_S2C);
	assert_true(st->observe.match.has_flags);
	assert_false(st->observe.match.flags_exact);
	assert_int_equal(st->observe.match.flags, TCPF_SYN);
	assert_string_equal(st->as, "isns");
	assert_int_equal(st->observe.since_step, -1);
	st = &sc.steps[33];
	assert_int_equal(st->observe.obs, OB_WIRE_ACKS);
	assert_int_equal(st->observe.match.dir, DIR_S2C);
	assert_true(st->observe.match.flags_exact);
	assert_int_equal(st->observe.match.flags, TCPF_ACK);
	assert_int_equal(st->observe.since_step, 32);
	assert_string_equal(st->as, "cacks");
	st = &sc.steps[34];
	assert_int_equal(st->wait.until, WAIT_WIRE);
	assert_int_equal(st->wait.since_step, 32);
	assert_int_equal(st->wait.min_count, 2);
	assert_int_equal(st->wait.match.flags, TCPF_ACK);
	assert_int_equal(st->wait.ms, 1000);
	assert_int_equal(sc.steps[20].wait.since_step, -1);
	st = &sc.steps[36];
	assert_int_equal(st->observe.obs, OB_WIRE_AGE);
	assert_int_equal(st->observe.match.dir, DIR_S2C);
	assert_false(st->observe.match.flags_exact);
	assert_int_equal(st->observe.match.flags, TCPF_FIN);
	assert_int_equal(st->observe.since_step, 32);
	assert_string_equal(st->as, "fin_age");
	st = &sc.steps[37];
	assert_int_equal(st->observe.obs, OB_WIRE_OPTS);
	assert_int_equal(st->observe.match.dir, DIR_ANY);
	assert_int_equal(st->observe.match.flags, TCPF_SYN);
	st = &sc.steps[38];
	assert_int_equal(st->observe.obs, OB_WIRE_TSVALS);
	assert_int_equal(st->observe.match.dir, DIR_C2S);
	assert_int_equal(st->observe.since_step, 32);
	assert_string_equal(st->as, "ctsvals");
	scenario_free(&sc);
}

static void test_variants(void **state)
{
	struct scenario sc;
	struct err e;
	unsigned ax[8];
	int fam;
	char name[256];
	const char *text = "case v\ntitle t\nvary net.ipv4.tcp_tw_reuse 0 1\n"
	                   "vary server net.core.somaxconn 4 8\nvary mode a b c\n"
	                   "client socket c\n";

	(void)state;
	assert_int_equal(scenario_parse(text, strlen(text), "v.case", &sc, &e), 0);
	assert_int_equal(scenario_variants(&sc), 2 * 2 * 2 * 3);
	scenario_variant(&sc, 0, &fam, ax, name, sizeof(name));
	assert_int_equal(fam, 4);
	assert_string_equal(name, "ipv4-tcp_tw_reuse=0-server.somaxconn=4-mode=a");
	scenario_variant(&sc, 1, &fam, ax, name, sizeof(name));
	assert_int_equal(fam, 6);
	assert_string_equal(name, "ipv6-tcp_tw_reuse=0-server.somaxconn=4-mode=a");
	scenario_variant(&sc, 23, &fam, ax, name, sizeof(name));
	assert_string_equal(name, "ipv6-tcp_tw_reuse=1-server.somaxconn=8-mode=c");
	assert_int_equal(ax[0], 1);
	assert_int_equal(ax[1], 1);
	assert_int_equal(ax[2], 2);
	scenario_free(&sc);
}

/* @text parses as x.case into @sc, or the test fails with the message. */
static void good(const char *text, struct scenario *sc)
{
	struct err e;

	if (scenario_parse(text, strlen(text), "x.case", sc, &e) < 0)
		fail_msg("%s", e.msg);
}

static void bad(const char *text, const char *want)
{
	struct scenario sc;
	struct err e;

	if (scenario_parse(text, strlen(text), "x.case", &sc, &e) == 0) {
		scenario_free(&sc);
		fail_msg("should not parse:\n%s", text);
	}
	assert_int_equal(e.kind, ERR_INPUT);
	if (strcmp(e.msg, want) != 0)
		fail_msg("\n got  %s\n want %s", e.msg, want);
}

#define HDR "case x\ntitle t\n"

static void test_errors(void **state)
{
	(void)state;
	bad("title t\nclient socket c\n", "x.case:1:1: missing 'case NAME' line");
	bad("case x\nclient socket c\n",
	    "x.case:1:1: missing 'title' line: say what the case shows");
	bad(HDR, "x.case:2:1: the case has no steps");
	bad("case 9x\n", "x.case:1:6: '9x' is not a case name");
	bad(HDR "frob c\n", "x.case:3:1: unknown line 'frob' (case, title, why, family, timeout, "
	                    "sysctl, vary, client, server, wire, wait, mark, observe, when)");
	bad(HDR "vary family 4 6\nclient socket c\n",
	    "x.case:3:6: 'family' is every case's address family axis (4 or 6): choose it with a "
	    "'family' line");
	bad(HDR "client socket c\nobserve client c sock as a\n",
	    "x.case:4:18: expected state, states, sockname, tsoffset, error, wakeups, sigio, "
	    "savedsyn, "
	    "sockopt or tcpinfo, found 'sock'");
	{
		static const char ok[] = HDR "client socket c\nobserve client c sockname as n\n";
		struct scenario sc;

		good(ok, &sc);
		assert_int_equal(sc.steps[1].observe.obs, OB_SOCKNAME);
		assert_string_equal(sc.steps[1].observe.sock, "c");
		scenario_free(&sc);
	}
	{
		static const char ok[] = HDR "client socket c\nobserve client c tsoffset as o\n";
		struct scenario sc;

		good(ok, &sc);
		assert_int_equal(sc.steps[1].observe.obs, OB_TSOFFSET);
		assert_string_equal(sc.steps[1].observe.sock, "c");
		scenario_free(&sc);
	}
	{
		static const char ok[] = HDR "observe server sockstat tw as t\n"
		                             "observe client sockstat inuse as u\n";
		struct scenario sc;

		good(ok, &sc);
		assert_int_equal(sc.steps[0].observe.obs, OB_SOCKSTAT);
		assert_string_equal(sc.steps[0].observe.field, "tw");
		assert_int_equal(sc.steps[0].side, SIDE_SERVER);
		assert_string_equal(sc.steps[1].observe.field, "inuse");
		scenario_free(&sc);
	}
	bad(HDR "observe client sockstat orphan as o\n",
	    "x.case:3:25: expected inuse or tw, found 'orphan'");
	bad(HDR "observe client sockstat as o\n", "x.case:3:24: expected inuse or tw");
	bad(HDR "observe client sockstat tw 1 as o\n", "x.case:3:28: unexpected '1'");
	{
		static const char ok[] = HDR "client socket c\nobserve client c error as e\n";
		struct scenario sc;

		good(ok, &sc);
		assert_int_equal(sc.steps[1].observe.obs, OB_SOERROR);
		assert_string_equal(sc.steps[1].observe.sock, "c");
		scenario_free(&sc);
	}
	{
		static const char ok[] = HDR "server socket L\nserver watch L\n"
		                             "observe server L wakeups as w\n";
		struct scenario sc;

		good(ok, &sc);
		assert_int_equal(sc.steps[1].kind, ST_WATCH);
		assert_string_equal(sc.steps[1].call.sock, "L");
		assert_int_equal(sc.steps[2].observe.obs, OB_WAKEUPS);
		assert_string_equal(sc.steps[2].observe.sock, "L");
		scenario_free(&sc);
	}
	/* wake-ups counted only from a watch on that socket of that side */
	bad(HDR "server socket L\nobserve server L wakeups as w\nserver watch L\n",
	    "x.case:4:18: wakeups of 'L': no 'server watch L' before this line, so nothing "
	    "counts them");
	bad(HDR "server socket L\nclient socket L\nclient watch L\nobserve server L wakeups as w\n",
	    "x.case:6:18: wakeups of 'L': no 'server watch L' before this line, so nothing "
	    "counts them");
	{
		static const char ok[] = HDR "server socket L\nserver watch L sigio\n"
		                             "observe server L sigio as b\n";
		struct scenario sc;

		good(ok, &sc);
		assert_int_equal(sc.steps[1].kind, ST_WATCH);
		assert_true(sc.steps[1].call.sigio);
		assert_int_equal(sc.steps[2].observe.obs, OB_SIGIO);
		scenario_free(&sc);
		/* an epoll for EPOLLRDHUP alone: its wake-ups are observed */
		good(HDR "server socket L\nserver watch L rdhup\nobserve server L wakeups as w\n",
		     &sc);
		assert_true(sc.steps[1].call.rdhup && !sc.steps[1].call.sigio);
		scenario_free(&sc);
	}
	bad(HDR "server socket L\nserver watch L rdhup sigio\n", "x.case:4:22: unexpected 'sigio'");
	/* SIGIO bands only from a sigio watch, wake-ups only from an epoll one */
	bad(HDR "server socket L\nserver watch L\nobserve server L sigio as b\n",
	    "x.case:5:18: sigio of 'L': no 'server watch L sigio' before this line, so no signal "
	    "is asked for");
	bad(HDR "server socket L\nserver watch L sigio\nobserve server L wakeups as w\n",
	    "x.case:5:18: wakeups of 'L': no 'server watch L' before this line, so nothing "
	    "counts them");
	bad(HDR "server socket L\nserver watch L sigio now\n", "x.case:4:22: unexpected 'now'");
	bad(HDR "server watch L\n", "x.case:3:14: no socket 'L' on the server side yet");
	bad(HDR "server socket L\nserver watch L now\n", "x.case:4:16: unexpected 'now'");
	bad(HDR "observe client c tsoffset as o\n",
	    "x.case:3:16: no socket 'c' on the client side yet");
	bad(HDR "observe server counter Tcp.OutRsts since r as a\n",
	    "x.case:3:42: no earlier mark is named 'r'");
	bad(HDR "observe server counter Tcp.OutRsts since r as a\nmark r\n",
	    "x.case:3:42: no earlier mark is named 'r'");
	bad(HDR "mark r\nobserve server counter Tcp.OutRsts since as a\n",
	    "x.case:4:41: expected the name of an earlier mark");
	bad(HDR "mark r\nmark r\n", "x.case:4:6: mark 'r' already set on line 3");
	bad(HDR "observe wire acks c>s since r as a\n",
	    "x.case:3:29: no earlier mark is named 'r'");
	bad(HDR "mark r\nobserve wire acks c>s since r x as a\n", "x.case:4:31: unexpected 'x'");
	bad(HDR "mark r\nobserve wire acks since as a\n",
	    "x.case:4:24: expected the name of an earlier mark");
	bad(HDR "observe wire ackz c>s as a\n", "x.case:3:14: expected count, flags, times, seqs, "
	                                        "acks, age, opts, tsvals, tsecrs, wins, tos, "
	                                        "ttls or flowlabels, found 'ackz'");
	{
		static const char ok[] = HDR "observe wire tos s>c flags~R as t\n"
		                             "observe wire ttls s>c as h\n"
		                             "observe wire flowlabels c>s flags=S as l\n"
		                             "observe wire tsecrs s>c flags=. as e\n";
		struct scenario sc;

		good(ok, &sc);
		assert_int_equal(sc.steps[0].observe.obs, OB_WIRE_TOS);
		assert_int_equal(sc.steps[1].observe.obs, OB_WIRE_TTLS);
		assert_int_equal(sc.steps[2].observe.obs, OB_WIRE_FLOWLABELS);
		assert_int_equal(sc.steps[2].observe.match.dir, DIR_C2S);
		assert_int_equal(sc.steps[3].observe.obs, OB_WIRE_TSECRS);
		assert_int_equal(sc.steps[3].observe.match.dir, DIR_S2C);
		scenario_free(&sc);
	}
	bad(HDR "mark 9r\n", "x.case:3:6: '9r' is not a mark name");
	bad(HDR "mark r as x\n", "x.case:3:6: a mark is not an observation: no 'as NAME'");
	bad(HDR "vary mode a b\nwhen mode=a mark r\n", "x.case:4:18: a mark cannot be conditional");
	bad(HDR "client jump c\n",
	    "x.case:3:8: unknown step 'jump' (socket, setsockopt, bind, "
	    "listen, connect, accept, send, recv, shutdown, close, watch, flood, route, "
	    "sysctl)");
	bad(HDR "client send c 5\n", "x.case:3:13: no socket 'c' on the client side yet");
	bad(HDR "client socket c\nserver send c 5\n",
	    "x.case:4:13: no socket 'c' on the server side yet");
	bad(HDR "client socket c\nclient socket s\nclient send c 9 to s\n",
	    "x.case:5:20: no socket 's' on the server side yet");
	bad(HDR "wait until client diag FIN_WAIT9 count 0 within 2s\n",
	    "x.case:3:24: unknown TCP state 'FIN_WAIT9' (TIME_WAIT, FIN_WAIT2, ...)");
	bad(HDR "wait until client diag FIN_WAIT2 count 0\n", "x.case:3:41: expected 'within'");
	bad(HDR "client connect c to server:0\n", "x.case:3:28: 0 is out of range (1..65535)");
	bad(HDR "client connect c to server:80 frm 5\n",
	    "x.case:3:31: unexpected 'frm' (from PORT, nonblock, flowlabel N, mapped, addrlen N, "
	    "family N, scope link|lo)");
	bad(HDR "server listen L port 80 backlog x\n", "x.case:3:33: expected a number, found 'x'");
	bad(HDR "server listen L\nserver accept s of L\n",
	    "x.case:4:17: expected 'from', found 'of'");
	bad(HDR "client socket c\nclient setsockopt c SO_FROB 1\n",
	    "x.case:4:21: unknown socket option 'SO_FROB' (SO_REUSEADDR, SO_REUSEPORT, SO_LINGER, "
	    "TCP_NODELAY, TCP_LINGER2, TCP_SYNCNT, TCP_QUICKACK, ... or LEVEL:NUMBER)");
	bad(HDR "client socket c\nclient setsockopt c SO_LINGER 1\n",
	    "x.case:4:31: SO_LINGER takes ONOFF,SECONDS (as 1,0) or off");
	bad(HDR "client socket c\nclient setsockopt c SO_LINGER 1,x\n",
	    "x.case:4:33: expected a number, found 'x'");
	bad(HDR "client socket c\nclient setsockopt c FOO:3 1\n",
	    "x.case:4:21: unknown option level 'FOO'");
	bad(HDR "client socket c\nclient shutdown c both\n",
	    "x.case:4:19: expected rd, wr or rdwr, found 'both'");
	bad(HDR "client socket c\nclient send c \"abc\n", "x.case:4:15: unterminated string");
	bad(HDR "wait 5\n", "x.case:3:7: expected a unit: ms, s or min (as in 500ms or 2s)");
	bad(HDR "wait soon\n", "x.case:3:6: expected a duration such as 500ms or 2s, found 'soon'");
	bad(HDR "client socket c\nwait until client c state DONE within 1s\n",
	    "x.case:4:27: unknown TCP state 'DONE' (ESTABLISHED, FIN_WAIT1, ... CLOSED)");
	bad(HDR "client socket c\nwait until client c state CLOSED\n",
	    "x.case:4:33: expected 'within'");
	bad(HDR "wait until wire c>s flags=S\n",
	    "x.case:3:28: expected 'within DURATION' (every wait is bounded)");
	bad(HDR "wait until wire c>s flags=Q within 1s\n",
	    "x.case:3:27: flags: unknown letter 'Q' (letters: F S R P . U E W)");
	bad(HDR "wire drop c>s flags=Z\n",
	    "x.case:3:21: flags: unknown letter 'Z' (letters: F S R P . U E W)");
	bad(HDR "client socket c\nobserve client c state\n",
	    "x.case:4:23: an observation needs a name: ... as NAME");
	bad(HDR "client socket c\nobserve client c tcpinfo nope as n\n",
	    "x.case:4:26: unknown TCP_INFO field 'nope'");
	bad(HDR "observe client counter ListenDrops as d\n",
	    "x.case:3:24: counters are MIB.Name, as TcpExt.ListenDrops or Tcp.OutRsts, or "
	    "nstat's TcpExtListenDrops");
	bad(HDR "observe wire bytes as b\n", "x.case:3:14: expected count, flags, times, seqs, "
	                                     "acks, age, opts, tsvals, tsecrs, wins, tos, "
	                                     "ttls or flowlabels, found 'bytes'");
	bad(HDR "observe wire count after s>c:F as b\n",
	    "x.case:3:20: 'after' belongs to wire rules, not to a frame match");
	bad(HDR "client socket c as a\nclient close c as a\n",
	    "x.case:4:19: observation 'a' already named on line 3");
	/* one name on lines no variant runs together, not otherwise */
	{
		static const char ok[] = HDR "vary how a b\n"
		                             "when how=a client socket c as s\n"
		                             "when how=b client socket c as s\n";
		struct scenario sc;

		good(ok, &sc);
		assert_string_equal(sc.steps[0].as, "s");
		assert_string_equal(sc.steps[1].as, "s");
		scenario_free(&sc);
	}
	bad(HDR "vary how a b\nwhen how=a client socket c as s\nwhen how=a client close c as s\n",
	    "x.case:5:30: observation 's' already named on line 4");
	bad(HDR "vary how a b\nclient socket c as s\nwhen how=b client close c as s\n",
	    "x.case:5:30: observation 's' already named on line 4");
	bad(HDR "vary how a b\nvary end x y\nwhen how=a client socket c as s\n"
	        "when end=y client close c as s\n",
	    "x.case:6:30: observation 's' already named on line 5");
	{
		static const char ok[] = HDR "client connect c to server:80 mapped\n"
		                             "client connect d to nowhere:80 mapped nonblock\n";
		struct scenario sc;

		good(ok, &sc);
		assert_true(sc.steps[0].call.mapped);
		assert_true(sc.steps[1].call.mapped && sc.steps[1].call.nowhere);
		scenario_free(&sc);
	}
	bad(HDR "client connect c to any:80 mapped\n",
	    "x.case:3:28: mapped names an IPv4 address: not with any:PORT");
	bad(HDR "client connect c to server:80 mapd\n",
	    "x.case:3:31: unexpected 'mapd' (from PORT, nonblock, flowlabel N, mapped, addrlen N, "
	    "family N, scope link|lo)");
	bad(HDR "server flood server:80\n",
	    "x.case:3:1: only the client floods (crafted SYNs toward the server)");
	bad(HDR "when mode=a client socket c\n",
	    "x.case:3:6: 'mode' does not vary in this case (declare it with 'vary')");
	bad(HDR "vary mode a b\nwhen mode=z client socket c\n",
	    "x.case:4:11: 'z' is not a value of 'mode'");
	bad(HDR "vary mode a a\n", "x.case:3:13: value 'a' given twice");
	bad(HDR "vary mode\n", "x.case:3:10: expected at least one value");
	bad(HDR "vary kernel.panic 1\n", "x.case:3:6: sysctl key 'kernel.panic': only net.* keys "
	                                 "belong to a network namespace");
	bad(HDR "sysctl client net.ipv4.tcp_fin_timeout\n", "x.case:3:39: expected a value");
	bad(HDR "family 5\n", "x.case:3:8: expected 4 or 6, found '5'");
	bad(HDR "timeout 10ms\n", "x.case:3:9: a time limit under 100ms cannot run a scenario");
	bad(HDR "client socket c\nvary mode a b\n",
	    "x.case:4:1: 'vary' belongs before the first step");
	bad(HDR "client socket c extra\n", "x.case:3:17: unexpected 'extra'");
}

#define WORD_RULE                                                                                  \
	": it names variants, so it is a word of letters, digits, '.', '_', ':', '+' and '-' (at " \
	"most 64 characters, not starting with '.')"

/* Issue 14: every name that becomes part of a variant's name (hence of a
 * directory name, and of KTAP and JUnit result names) is a word, checked
 * where it is parsed.  Before, "vary x /../../tmp/ESCAPED" parsed and a run
 * wrote into /tmp/ESCAPED; "vary x \"a # SKIP injected\"" parsed and made
 * the KTAP line "not ok 1 ipv4-x=a # SKIP injected". */
static void test_hostile_names(void **state)
{
	char longv[80];

	(void)state;
	bad(HDR "vary x /../../../../../../tmp/ESCAPED\nclient socket c\n",
	    "x.case:3:8: a vary value cannot hold '/'" WORD_RULE);
	bad(HDR "vary x \"a # SKIP injected\"\nclient socket c\n",
	    "x.case:3:10: a vary value cannot hold ' '" WORD_RULE);
	bad(HDR "vary x \"a\\#b\"\nclient socket c\n",
	    "x.case:3:10: a vary value cannot hold '#'" WORD_RULE);
	bad(HDR "vary x ..\nclient socket c\n",
	    "x.case:3:8: a vary value cannot start with '.'" WORD_RULE);
	bad(HDR "vary x a=b\nclient socket c\n",
	    "x.case:3:9: a vary value cannot hold '='" WORD_RULE);
	bad(HDR "vary x \"\"\nclient socket c\n", "x.case:3:9: a vary value is empty" WORD_RULE);
	bad(HDR "vary x a\033]0;T\nclient socket c\n",
	    "x.case:3:9: a vary value cannot hold byte 0x1b" WORD_RULE);
	memset(longv, 'v', 65);
	longv[65] = '\0';
	{
		char text[256], want[512];

		snprintf(text, sizeof(text), HDR "vary x %s\nclient socket c\n", longv);
		snprintf(want, sizeof(want),
		         "x.case:3:72: a vary value is longer than 64 characters" WORD_RULE);
		bad(text, want);
		longv[64] = '\0'; /* 64: a word */
		snprintf(text, sizeof(text), HDR "vary x %s\nclient socket c\n", longv);
		{
			struct scenario sc;
			struct err e;

			if (scenario_parse(text, strlen(text), "x.case", &sc, &e) < 0)
				fail_msg("%s", e.msg);
			scenario_free(&sc);
		}
	}
	/* A sysctl axis is named by its key's last component: a '/' there
	 * (a literal dot in the dotted form) would be a directory. */
	bad(HDR "vary net.ipv4.a/b 1\nclient socket c\n",
	    "x.case:3:16: the last component of a vary key cannot hold '/'" WORD_RULE);
	bad(HDR "vary \"net.ipv4.a#b\" 1\nclient socket c\n",
	    "x.case:3:17: the last component of a vary key cannot hold '#'" WORD_RULE);
	bad(HDR "client socket c as \"x. # SKIP\"\n",
	    "x.case:3:20: 'x. # SKIP' is not an observation name");
	/* The rule itself. */
	assert_true(scenario_word_ok("shutdown-then-close"));
	assert_true(scenario_word_ok("-1"));
	assert_true(scenario_word_ok("cubic+x:1.5_y"));
	assert_false(scenario_word_ok(""));
	assert_false(scenario_word_ok(".hidden"));
	assert_false(scenario_word_ok("a/b"));
	assert_false(scenario_word_ok("a b"));
	assert_false(scenario_word_ok("a#b"));
	assert_false(scenario_word_ok("a\nb"));
	assert_false(scenario_word_ok("a,b"));
	assert_false(scenario_word_ok("caf\xc3\xa9"));
}

/* A case made of @naxes vary lines of @nvalues values each (after HDR, so
 * the first is line 3), then one step. */
static char *axes_case(unsigned naxes, unsigned nvalues, const char *family)
{
	size_t cap = 64 + strlen(family) + (size_t)naxes * (16 + 4 * nvalues), n;
	char *text = malloc(cap);
	unsigned i, k;

	assert_non_null(text);
	n = (size_t)snprintf(text, cap, HDR);
	for (i = 0; i < naxes; i++) {
		n += (size_t)snprintf(text + n, cap - n, "vary a%u", i);
		for (k = 0; k < nvalues; k++)
			n += (size_t)snprintf(text + n, cap - n, " %u", k);
		n += (size_t)snprintf(text + n, cap - n, "\n");
	}
	snprintf(text + n, cap - n, "%sclient socket c\n", family);
	return text;
}

/* Issue 14: 70 vary lines overflowed "unsigned axes[64]" in the runner and
 * the player (ASan: stack-buffer-overflow in scenario_variant); 5 axes of
 * 16 values made 2,097,152 variants (a run's calloc of 8.8 GB, unchecked);
 * 16 of 16 wrapped the count to 0 ("0 variant(s)", exit 0).  Now the
 * parser bounds axes, values and variants, at the line that crosses. */
static void test_limits(void **state)
{
	struct scenario sc;
	char *text;
	char want[256];

	(void)state;
	text = axes_case(70, 1, "");
	snprintf(want, sizeof(want),
	         "x.case:%d:1: more than %d vary lines: a case has at most %d axes",
	         3 + SC_MAX_AXES, SC_MAX_AXES, SC_MAX_AXES);
	bad(text, want);
	free(text);
	text = axes_case(5000, 1, "");
	bad(text, want);
	free(text);
	/* 32 axes of one value: the most axes, one name of each */
	text = axes_case(SC_MAX_AXES, 1, "");
	good(text, &sc);
	assert_int_equal(scenario_variants(&sc), 2);
	{
		unsigned ax[SC_MAX_AXES];
		char name[512];
		int fam;

		scenario_variant(&sc, 1, &fam, ax, name, sizeof(name));
		assert_int_equal(fam, 6);
		assert_non_null(strstr(name, "-a31=0"));
	}
	scenario_free(&sc);
	free(text);
	/* 2 families x 16 x 16 = 512, x 16 = 8192 at the third axis (line 5) */
	text = axes_case(5, 16, "");
	bad(text, "x.case:5:6: 8192 variants with this axis: a case has at most 4096 (the "
	          "families times the values of every vary line)");
	free(text);
	text = axes_case(16, 16, "");
	bad(text, "x.case:5:6: 8192 variants with this axis: a case has at most 4096 (the "
	          "families times the values of every vary line)");
	free(text);
	/* One family: 16^3 = 4096 exactly, the limit, even with "family"
	 * after the vary lines. */
	text = axes_case(3, 16, "family 4\n");
	good(text, &sc);
	assert_int_equal(scenario_variants(&sc), SC_MAX_VARIANTS);
	scenario_free(&sc);
	free(text);
	/* 17 values on one line */
	text = axes_case(1, 17, "");
	bad(text, "x.case:3:47: more than 16 values on one vary line");
	free(text);
	/* Variant names are directory names: at most 255 characters. */
	bad(HDR "vary a0 1 "
	        "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\n"
	        "vary a1 1 "
	        "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\n"
	        "vary a2 1 "
	        "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\n"
	        "vary a3 1 "
	        "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\n"
	        "client socket c\n",
	    "x.case:6:6: variant names longer than 255 characters with this axis");
}

/* Issue 14: numbers are decimal (num.h) and range-checked everywhere in the
 * language; before, "timeout 0x10s" was 16 s and "timeout 1e3s" 1000 s. */
static void test_numbers(void **state)
{
	(void)state;
	bad(HDR "timeout 0x10s\nclient socket c\n",
	    "x.case:3:10: expected a unit: ms, s or min (as in 500ms or 2s)");
	bad(HDR "timeout 1e3s\nclient socket c\n",
	    "x.case:3:10: expected a unit: ms, s or min (as in 500ms or 2s)");
	bad(HDR "timeout 99999999999999999999s\nclient socket c\n",
	    "x.case:3:9: duration longer than an hour");
	bad(HDR "timeout .5s\nclient socket c\n",
	    "x.case:3:9: expected a duration such as 500ms or 2s, found '.5s'");
	bad(HDR "wait 2.s\n", "x.case:3:7: expected a unit: ms, s or min (as in 500ms or 2s)");
	bad(HDR "server listen L port +80\n", "x.case:3:22: expected a number, found '+80'");
	bad(HDR "server listen L port 0x50\n", "x.case:3:22: expected a number, found '0x50'");
	bad(HDR "server listen L port 99999999999999999999\n",
	    "x.case:3:22: 99999999999999999999 is out of range (0..65535)");
	bad(HDR "client socket c\nclient setsockopt c SOL_SOCKET:0x5 1\n",
	    "x.case:4:32: expected an option number after ':'");
	bad(HDR "client socket c\nclient setsockopt c SOL_SOCKET:4294967301 1\n",
	    "x.case:4:32: option number out of range (-2147483648..2147483647)");
	bad(HDR "client socket c\nclient setsockopt c 0x1:5 1\n",
	    "x.case:4:21: unknown option level '0x1'");
	bad(HDR "client socket c\nclient setsockopt c TCP_SYNCNT 4294967298\n",
	    "x.case:4:32: 4294967298 is out of range (-2147483648..2147483647)");
}

/* Issue 14: input files are regular files.  Before, a FIFO named x.case
 * hung "check" for ever, a directory x.case was "larger than 1048576
 * bytes", and TCPCONFORM_CASES=/etc "check" found nothing and exited 0. */
static void test_input_files(void **state)
{
	char dir[] = "/tmp/tcpconform-files-XXXXXX", path[128], cmd[200];
	struct catalogue cat;
	struct scenario sc;
	struct table t;
	struct err e;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f.case", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	/* with no writer: an error at once, never a wait */
	assert_int_equal(scenario_load(path, &sc, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	assert_non_null(strstr(e.msg, "f.case is a FIFO, not a regular file"));
	snprintf(path, sizeof(path), "%s/f.table", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(table_load(path, &t, &e), -1);
	assert_non_null(strstr(e.msg, "f.table is a FIFO, not a regular file"));
	snprintf(path, sizeof(path), "%s/d.case", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(scenario_load(path, &sc, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	assert_non_null(strstr(e.msg, "d.case is a directory, not a regular file"));
	assert_null(strstr(e.msg, "larger than"));
	/* A directory with no case in it: an input error naming it. */
	snprintf(path, sizeof(path), "%s/empty", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	setenv("TCPCONFORM_CASES", path, 1);
	assert_int_equal(catalogue_find(&cat, NULL, 0, &e), -1);
	unsetenv("TCPCONFORM_CASES");
	assert_int_equal(e.kind, ERR_INPUT);
	assert_int_equal(err_exit_status(&e), EXIT_USAGE);
	assert_non_null(strstr(e.msg, "no cases"));
	assert_non_null(strstr(e.msg, path));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void bad_start(const char *text, const char *want, const char *also)
{
	struct scenario sc;
	struct err e;

	if (scenario_parse(text, strlen(text), "x.case", &sc, &e) == 0) {
		scenario_free(&sc);
		fail_msg("should not parse:\n%s", text);
	}
	assert_int_equal(e.kind, ERR_INPUT);
	if (strncmp(e.msg, want, strlen(want)) != 0 || !strstr(e.msg, also))
		fail_msg("\n got  %s\n want %s... %s", e.msg, want, also);
}

/* A sysctl whose write reaches the host from inside a namespace is refused
 * where the case names it (net/ipv4/tcp_cong.c); the host's lists stay as
 * they were, also after `tcpconform run` of such a case. */
static void test_host_effects(void **state)
{
	char before[1024], after[1024], dir[] = "/tmp/tcpconform-hostfx-XXXXXX", cmd[512];
	struct scenario sc;
	struct err e;
	FILE *f;
	int st;
	static const char ok[] = HDR "vary client net.ipv4.tcp_congestion_control reno default\n"
	                             "client socket c\n";

	(void)state;
	/* the host's allowed algorithms, as cli/main.c hands them to the parser */
	sysctl_learn_host();
	tl_host_cc(before, sizeof(before));
	bad_start(HDR "sysctl both net.ipv4.tcp_allowed_congestion_control reno\nclient socket c\n",
	          "x.case:3:13: net.ipv4.tcp_allowed_congestion_control would change the host",
	          "net/ipv4/tcp_cong.c tcp_set_allowed_congestion_control()");
	bad_start(HDR "vary net/ipv4/tcp_allowed_congestion_control reno\nclient socket c\n",
	          "x.case:3:6: net.ipv4.tcp_allowed_congestion_control would change the host",
	          "tcp_cong.c");
	/* Not loaded and allowed here: the kernel would load tcp_nosuchcc. */
	bad_start(HDR "vary client net.ipv4.tcp_congestion_control reno default nosuchcc\n"
	              "client socket c\n",
	          "x.case:3:58: net.ipv4.tcp_congestion_control = nosuchcc would change the host",
	          "tcp_set_default_congestion_control()");
	bad_start(HDR "sysctl server net.ipv4.tcp_congestion_control nosuchcc\nclient socket c\n",
	          "x.case:3:47: net.ipv4.tcp_congestion_control = nosuchcc would change the host",
	          "request_module");
	/* reno is always allowed (tcp_reno: TCP_CONG_NON_RESTRICTED), "default"
	 * writes nothing: both stay in the namespace. */
	if (scenario_parse(ok, strlen(ok), "x.case", &sc, &e) < 0)
		fail_msg("%s", e.msg);
	scenario_free(&sc);
	/* Run: refused before anything runs (exit 2), nothing written. */
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "%s/x.case", dir);
	f = fopen(cmd, "w");
	assert_non_null(f);
	fputs(HDR "sysctl client net.ipv4.tcp_allowed_congestion_control reno nosuchcc\n"
	          "sysctl server net.ipv4.tcp_congestion_control nosuchcc\n"
	          "client socket c\n",
	      f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
	         "TCPCONFORM_CASES=%s build/tcpconform run x -o %s/out > %s/log 2>&1", dir, dir,
	         dir);
	st = system(cmd);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 2);
	tl_host_cc(after, sizeof(after));
	assert_string_equal(before, after);
	snprintf(cmd, sizeof(cmd), "grep -q 'x.case:3:15: .*would change the host' %s/log", dir);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* Every shipped case parses (and is named after its file). */
static void test_shipped_cases(void **state)
{
	glob_t g;
	size_t i;

	(void)state;
	assert_int_equal(glob("cases/*.case", 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 2);
	for (i = 0; i < g.gl_pathc; i++) {
		struct scenario sc;
		struct err e;

		if (scenario_load(g.gl_pathv[i], &sc, &e) < 0)
			fail_msg("%s", e.msg);
		scenario_free(&sc);
	}
	globfree(&g);
}

/* model/sockopt.c: the keepalive options by name, each to its level and
 * number (include/uapi/linux/tcp.h), with its value. */
static void test_keepalive_options(void **state)
{
	static const char text[] = HDR "client socket c\n"
	                               "client setsockopt c SO_KEEPALIVE 1\n"
	                               "client setsockopt c TCP_KEEPIDLE 1\n"
	                               "client setsockopt c TCP_KEEPINTVL 2\n"
	                               "client setsockopt c TCP_KEEPCNT 3\n"
	                               "client setsockopt c TCP_USER_TIMEOUT 2500\n";
	static const struct {
		int level, name, value;
	} want[] = {
	    {SOL_SOCKET, SO_KEEPALIVE, 1},         {IPPROTO_TCP, TCP_KEEPIDLE, 1},
	    {IPPROTO_TCP, TCP_KEEPINTVL, 2},       {IPPROTO_TCP, TCP_KEEPCNT, 3},
	    {IPPROTO_TCP, TCP_USER_TIMEOUT, 2500},
	};
	struct scenario sc;
	size_t i;

	(void)state;
	good(text, &sc);
	assert_int_equal(sc.nsteps, 6);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct step *st = &sc.steps[i + 1];

		assert_int_equal(st->kind, ST_SETSOCKOPT);
		assert_int_equal(st->call.opt.level, want[i].level);
		assert_int_equal(st->call.opt.name, want[i].name);
		assert_int_equal(st->call.opt.value, want[i].value);
		assert_false(st->call.opt.is_linger);
	}
	scenario_free(&sc);
	assert_int_equal(TCP_KEEPIDLE, 4);
	assert_int_equal(TCP_KEEPINTVL, 5);
	assert_int_equal(TCP_KEEPCNT, 6);
}

/* model/sockopt.c: the Fast Open and bind options by name, each to its
 * level and number (include/uapi/linux/tcp.h, include/uapi/linux/in.h). */
static void test_fastopen_bind_options(void **state)
{
	static const char text[] = HDR "client socket c\n"
	                               "client setsockopt c TCP_FASTOPEN 8\n"
	                               "client setsockopt c TCP_FASTOPEN_CONNECT 1\n"
	                               "client setsockopt c IP_BIND_ADDRESS_NO_PORT 1\n";
	static const struct {
		int level, name, value;
	} want[] = {
	    {IPPROTO_TCP, 23, 8},
	    {IPPROTO_TCP, 30, 1},
	    {IPPROTO_IP, 24, 1},
	};
	struct scenario sc;
	size_t i;

	(void)state;
	good(text, &sc);
	assert_int_equal(sc.nsteps, 4);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct step *st = &sc.steps[i + 1];

		assert_int_equal(st->kind, ST_SETSOCKOPT);
		assert_int_equal(st->call.opt.level, want[i].level);
		assert_int_equal(st->call.opt.name, want[i].name);
		assert_int_equal(st->call.opt.value, want[i].value);
		assert_false(st->call.opt.is_linger);
	}
	scenario_free(&sc);
}

/* model/tcp.c: every state's name parses back to it; "CLOSED" is CLOSE. */
static void test_tcp_names(void **state)
{
	int i;

	(void)state;
	for (i = 1; i <= TCP_CLOSING; i++)
		assert_int_equal(tcp_state_parse(tcp_state_name(i)), i);
	assert_string_equal(tcp_state_name(TCP_TIME_WAIT), "TIME_WAIT");
	assert_string_equal(tcp_state_name(12), "NEW_SYN_RECV");
	assert_string_equal(tcp_state_name(13), "UNKNOWN");
	assert_string_equal(tcp_state_name(-1), "UNKNOWN");
	assert_int_equal(tcp_state_parse("CLOSED"), TCP_CLOSE);
	assert_int_equal(tcp_state_parse("UNKNOWN"), -1);
	assert_int_equal(tcp_state_parse("time_wait"), -1);
	/* ss(8)'s names and the kernel's enum names beside them (issue 17) */
	assert_int_equal(tcp_state_parse("ESTAB"), TCP_ESTABLISHED);
	assert_int_equal(tcp_state_parse("SYN-SENT"), TCP_SYN_SENT);
	assert_int_equal(tcp_state_parse("SYN-RECV"), TCP_SYN_RECV);
	assert_int_equal(tcp_state_parse("FIN-WAIT-1"), TCP_FIN_WAIT1);
	assert_int_equal(tcp_state_parse("FIN-WAIT-2"), TCP_FIN_WAIT2);
	assert_int_equal(tcp_state_parse("TIME-WAIT"), TCP_TIME_WAIT);
	assert_int_equal(tcp_state_parse("CLOSE-WAIT"), TCP_CLOSE_WAIT);
	assert_int_equal(tcp_state_parse("LAST-ACK"), TCP_LAST_ACK);
	assert_int_equal(tcp_state_parse("CLOSING"), TCP_CLOSING);
	assert_int_equal(tcp_state_parse("LISTEN"), TCP_LISTEN);
	assert_int_equal(tcp_state_parse("UNCONN"), TCP_CLOSE);
	assert_int_equal(tcp_state_parse("TCP_ESTABLISHED"), TCP_ESTABLISHED);
	assert_int_equal(tcp_state_parse("TCP_FIN_WAIT2"), TCP_FIN_WAIT2);
	assert_int_equal(tcp_state_parse("TCP_"), -1);
	assert_int_equal(tcp_state_parse("TIME-WAIT-2"), -1);
	assert_string_equal(side_name(SIDE_CLIENT), "client");
	assert_string_equal(side_name(SIDE_WIRE), "wire");
}

/* model/tcp.c: counter names, the harness's and nstat(8)'s (issue 17). */
static void test_counter_names(void **state)
{
	static const char *const ok[][2] = {
	    {"TcpExt.ListenDrops", "TcpExt.ListenDrops"},
	    {"TcpExtListenDrops", "TcpExt.ListenDrops"},
	    {"TcpRetransSegs", "Tcp.RetransSegs"},
	    {"IpExtInOctets", "IpExt.InOctets"},
	    {"IpInReceives", "Ip.InReceives"},
	    {"Ip6InReceives", "Ip6.InReceives"},
	    {"IcmpMsgInType3", "IcmpMsg.InType3"},
	    {"Icmp6InMsgs", "Icmp6.InMsgs"},
	    {"UdpLite6InErrors", "UdpLite6.InErrors"},
	    {"MPTcpExtMPCapableSYNRX", "MPTcpExt.MPCapableSYNRX"},
	};
	static const char *const bad[] = {"ListenDrops", "TcpExt", "Tcpfoo", ".x", "TcpExt.", ""};
	char out[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(counter_name_parse(ok[i][0], out, sizeof(out)), 0);
		assert_string_equal(out, ok[i][1]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(counter_name_parse(bad[i], out, sizeof(out)), -1);
	assert_int_equal(counter_name_parse("TcpExtListenDrops", out, 10), -1); /* no room */
}

/* wait until SIDE counter MIB.Name [since MARK] count N within T: the
 * counter, nstat's spelling taken, the mark, the count and the bound. */
static void test_wait_counter(void **state)
{
	static const char ok[] =
	    HDR "mark m\n"
	        "wait until server counter TcpExtListenOverflows since m count 2 "
	        "within 2s\n"
	        "wait until client counter Tcp.OutRsts count 1 within 500ms\n";
	struct scenario sc;

	(void)state;
	good(ok, &sc);
	assert_int_equal(sc.steps[1].wait.until, WAIT_COUNTER);
	assert_int_equal(sc.steps[1].side, SIDE_SERVER);
	assert_string_equal(sc.steps[1].wait.counter, "TcpExt.ListenOverflows");
	assert_int_equal(sc.steps[1].wait.since_step, 0);
	assert_int_equal(sc.steps[1].wait.min_count, 2);
	assert_int_equal(sc.steps[1].wait.ms, 2000);
	assert_int_equal(sc.steps[2].wait.since_step, -1);
	assert_int_equal(sc.steps[2].wait.min_count, 1);
	scenario_free(&sc);
	bad(HDR "wait until server counter ListenDrops count 1 within 1s\n",
	    "x.case:3:27: counters are MIB.Name, as TcpExt.ListenDrops or Tcp.OutRsts, or "
	    "nstat's TcpExtListenDrops");
	bad(HDR "wait until server counter Tcp.OutRsts since r count 1 within 1s\n",
	    "x.case:3:45: no earlier mark is named 'r'");
	bad(HDR "wait until server counter Tcp.OutRsts count 0 within 1s\n",
	    "x.case:3:45: 0 is out of range (1..1000000)");
	bad(HDR "wait until server counter Tcp.OutRsts count 1\n",
	    "x.case:3:46: expected 'within'");
}

/* "any": bind or listen on the unspecified address, connect to it (which
 * the kernel takes as loopback); "server:" and plain ports stay the peer's
 * own address. */
static void test_any_address(void **state)
{
	static const char text[] = HDR "client listen L port 8000 any backlog 4\n"
	                               "client bind b ephemeral any\n"
	                               "client connect c to any:8000 from 40000\n"
	                               "client connect d to server:8000\n"
	                               "server listen M port 8000\n";
	struct scenario sc;

	(void)state;
	good(text, &sc);
	assert_int_equal(sc.nsteps, 5);
	assert_true(sc.steps[0].call.any);
	assert_int_equal(sc.steps[0].call.port, 8000);
	assert_int_equal(sc.steps[0].call.backlog, 4);
	assert_true(sc.steps[1].call.any);
	assert_int_equal(sc.steps[1].call.port, 0);
	assert_true(sc.steps[2].call.any);
	assert_int_equal(sc.steps[2].call.port, 8000);
	assert_int_equal(sc.steps[2].call.from_port, 40000);
	assert_false(sc.steps[3].call.any);
	assert_false(sc.steps[4].call.any);
	scenario_free(&sc);
	bad(HDR "client listen L port 80 anywhere\n",
	    "x.case:3:25: unexpected 'anywhere' (port N, ephemeral, any, loopback, backlog N)");
	bad(HDR "client bind b any:80\n",
	    "x.case:3:15: unexpected 'any:80' (port N, ephemeral, any, loopback)");
	bad(HDR "client connect c to any:0\n", "x.case:3:25: 0 is out of range (1..65535)");
}

/* route nowhere TYPE and connect ... to nowhere:PORT; a connect's target
 * is the other side, any or nowhere. */
/* A table's plain-axis conditions against its case: every one names an
 * axis (or family) and one of its values, else the row is dead. */
static void test_table_meets_case(void **state)
{
	static const char rows[] = "a | * | mode=on | 1 | net/ipv4/tcp.c x\n"
	                           "a | * | family=6,mode=off | 1 | net/ipv4/tcp.c x\n"
	                           "a | * | net.ipv4.tcp_sack=0 | 1 | net/ipv4/tcp.c x\n";
	static const struct {
		const char *row, *want;
	} bad_rows[] = {
	    {"a | * | mode!=on | 1 | net/ipv4/tcp.c x\n",
	     "t.table:1:9: 'mode!' is not an axis of case x (a 'vary' line of its own), so no "
	     "variant meets this row"},
	    {"a | * | mode=of | 1 | net/ipv4/tcp.c x\n",
	     "t.table:1:9: 'of' is not a value of mode in case x, so no variant meets this row"},
	    {"a | * | mode=on, family=5 | 1 | net/ipv4/tcp.c x\n",
	     "t.table:1:18: family is 4 or 6, not '5'"},
	};
	struct scenario sc;
	struct table t;
	struct err e;

	(void)state;
	good(HDR "vary mode on off\nvary client net.ipv4.tcp_sack 0 1\nclient socket c as a\n",
	     &sc);
	assert_int_equal(table_parse(rows, strlen(rows), "t.table", &t, &e), 0);
	assert_int_equal(table_check_case(&t, &sc, &e), 0);
	table_free(&t);
	for (size_t i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
		assert_int_equal(
		    table_parse(bad_rows[i].row, strlen(bad_rows[i].row), "t.table", &t, &e), 0);
		assert_int_equal(table_check_case(&t, &sc, &e), -1);
		assert_string_equal(e.msg, bad_rows[i].want);
		table_free(&t);
	}
	scenario_free(&sc);
}

/* SIDE sysctl KEY VALUE: a step, in the side's namespace, by the header's
 * own rules (net.* keys, canonical, nothing that reaches the host). */
static void test_sysctl_step(void **state)
{
	struct scenario sc;

	(void)state;
	sysctl_learn_host();
	good(HDR
	     "vary x a b\nclient socket c\nclient sysctl net/ipv4/tcp_fin_timeout 5 as lowered\n"
	     "when x=b server sysctl net.ipv4.ip_local_port_range = 40000 40001\n",
	     &sc);
	assert_int_equal(sc.steps[1].kind, ST_SYSCTL);
	assert_int_equal(sc.steps[1].side, SIDE_CLIENT);
	assert_string_equal(sc.steps[1].sysctl.key, "net.ipv4.tcp_fin_timeout");
	assert_string_equal(sc.steps[1].sysctl.value, "5");
	assert_string_equal(sc.steps[1].as, "lowered");
	assert_int_equal(sc.steps[2].side, SIDE_SERVER);
	assert_string_equal(sc.steps[2].sysctl.value, "40000 40001");
	assert_string_equal(sc.steps[2].when_value, "b");
	scenario_free(&sc);
	bad(HDR "client sysctl kernel.panic 1\n",
	    "x.case:3:15: sysctl key 'kernel.panic': only net.* keys belong to a network "
	    "namespace");
	bad(HDR "client sysctl net.ipv4.tcp_fin_timeout\n", "x.case:3:39: expected a value");
	bad(HDR "client sysctl\n", "x.case:3:14: expected a sysctl key");
	bad_start(HDR "server sysctl net.ipv4.tcp_allowed_congestion_control reno\n",
	          "x.case:3:15: net.ipv4.tcp_allowed_congestion_control would change the host",
	          "tcp_set_allowed_congestion_control()");
}

static void test_route_nowhere(void **state)
{
	static const char text[] = HDR "client route nowhere unreachable\n"
	                               "server route nowhere prohibit\n"
	                               "client route nowhere blackhole\n"
	                               "client connect c to nowhere:8000\n"
	                               "server connect s to client:8000\n";
	struct scenario sc;

	(void)state;
	good(text, &sc);
	assert_int_equal(sc.nsteps, 5);
	assert_int_equal(sc.steps[0].kind, ST_ROUTE);
	assert_int_equal(sc.steps[0].side, SIDE_CLIENT);
	assert_int_equal(sc.steps[0].route.type, ROUTE_UNREACHABLE);
	assert_int_equal(sc.steps[1].side, SIDE_SERVER);
	assert_int_equal(sc.steps[1].route.type, ROUTE_PROHIBIT);
	assert_int_equal(sc.steps[2].route.type, ROUTE_BLACKHOLE);
	assert_true(sc.steps[3].call.nowhere);
	assert_false(sc.steps[3].call.any);
	assert_int_equal(sc.steps[3].call.port, 8000);
	assert_false(sc.steps[4].call.nowhere);
	scenario_free(&sc);
	bad(HDR "client route somewhere unreachable\n",
	    "x.case:3:14: expected nowhere, fwmark, ports or peer, found 'somewhere' (the only "
	    "prefixes "
	    "a route may be added to: RFC 5737's 192.0.2.0/24, RFC 3849's 2001:db8::/32, and the "
	    "peer's own address)");
	/* route peer rto_min D: the peer's host route with the metric */
	good(HDR "client route peer rto_min 5s\nserver route peer rto_min 250ms\n", &sc);
	assert_int_equal(sc.steps[0].route.peer_rto_min_ms, 5000);
	assert_false(sc.steps[0].route.fwmark);
	assert_int_equal(sc.steps[1].side, SIDE_SERVER);
	assert_int_equal(sc.steps[1].route.peer_rto_min_ms, 250);
	scenario_free(&sc);
	bad(HDR "client route peer\n", "x.case:3:18: expected rto_min");
	bad(HDR "client route peer rto_max 1s\n", "x.case:3:19: expected rto_min, found 'rto_max'");
	bad(HDR "client route peer rto_min 61s\n", "x.case:3:27: rto_min 61s: want 1ms to 60s");
	bad(HDR "client route peer rto_min 0ms\n", "x.case:3:27: rto_min 0ms: want 1ms to 60s");
	bad(HDR "client route peer rto_min 1s now\n", "x.case:3:30: unexpected 'now'");
	bad(HDR "client route nowhere throw\n",
	    "x.case:3:22: unknown route type 'throw' (unreachable, prohibit, blackhole)");
	bad(HDR "client route nowhere\n", "x.case:3:21: expected a route type");
	bad(HDR "client route nowhere unreachable now\n", "x.case:3:34: unexpected 'now'");
	bad(HDR "client connect c to client:8000\n",
	    "x.case:3:21: expected server:PORT, self:PORT, any:PORT, nowhere:PORT, "
	    "linklocal:PORT or broadcast:PORT, found 'client:8000'");
	good(HDR
	     "client bind c loopback\nclient connect c to self:8000\nserver listen L loopback\n",
	     &sc);
	assert_true(sc.steps[0].call.loopback && !sc.steps[0].call.any);
	assert_true(sc.steps[1].call.self);
	assert_true(sc.steps[2].call.loopback);
	scenario_free(&sc);
	bad(HDR "client bind c any loopback\n", "x.case:3:19: one address: any or loopback");
	good(HDR "client connect c to broadcast:8000\n", &sc);
	assert_true(sc.steps[0].call.broadcast);
	assert_false(sc.steps[0].call.nowhere || sc.steps[0].call.any);
	assert_int_equal(sc.steps[0].call.port, 8000);
	scenario_free(&sc);
	/* route fwmark N only: the policy rules */
	good(HDR "client route fwmark 4294967295 only\nserver route fwmark 1 only\n", &sc);
	assert_true(sc.steps[0].route.fwmark);
	assert_int_equal(sc.steps[0].route.mark, 4294967295u);
	assert_int_equal(sc.steps[1].side, SIDE_SERVER);
	assert_int_equal(sc.steps[1].route.mark, 1);
	scenario_free(&sc);
	good(HDR "client route nowhere unreachable\n", &sc);
	assert_false(sc.steps[0].route.fwmark);
	scenario_free(&sc);
	bad(HDR "client route fwmark 0 only\n", "x.case:3:21: 0 is out of range (1..4294967295)");
	bad(HDR "client route fwmark 1\n", "x.case:3:22: expected only");
	bad(HDR "client route fwmark 1 always\n", "x.case:3:23: expected only, found 'always'");
	bad(HDR "client route fwmark 1 only now\n", "x.case:3:28: unexpected 'now'");
	/* route ports MATCH only|unreachable: the frame-match language's
	 * sport= and dport= (its range parser), nothing else */
	good(HDR "client route ports dport=8000 only\n"
	         "client route ports sport=40000-40001 unreachable\n"
	         "client route ports sport=1 dport=2-3 only\n",
	     &sc);
	assert_true(sc.steps[0].route.ports);
	assert_true(sc.steps[0].route.ports_only);
	assert_int_equal(sc.steps[0].route.dport_lo, 8000);
	assert_int_equal(sc.steps[0].route.dport_hi, 8000);
	assert_int_equal(sc.steps[0].route.sport_lo, 0);
	assert_false(sc.steps[1].route.ports_only);
	assert_int_equal(sc.steps[1].route.sport_lo, 40000);
	assert_int_equal(sc.steps[1].route.sport_hi, 40001);
	assert_int_equal(sc.steps[2].route.sport_lo, 1);
	assert_int_equal(sc.steps[2].route.dport_hi, 3);
	scenario_free(&sc);
	bad(HDR "client route ports only\n",
	    "x.case:3:20: expected sport=A[-B] and/or dport=C[-D], then only or unreachable");
	bad(HDR "client route ports dport=1 flags=S only\n",
	    "x.case:3:20: a policy rule matches sport=A[-B] and/or dport=C[-D], and nothing else");
	bad(HDR "client route ports c>s dport=1 only\n",
	    "x.case:3:20: a policy rule matches sport=A[-B] and/or dport=C[-D], and nothing else");
	bad(HDR "client route ports dport=9-8 only\n",
	    "x.case:3:26: port range 9-8 runs backwards");
	bad(HDR "client route ports dport=0 only\n", "x.case:3:20: port 0 is no port to route by");
	bad(HDR "client route ports dport=1-70000 only\n",
	    "x.case:3:28: port: 70000 is larger than 65535");
	bad(HDR "client route ports dport=80\n",
	    "x.case:3:20: expected sport=A[-B] and/or dport=C[-D], then only or unreachable");
	bad(HDR "client route ports dport=80 only now\n",
	    "x.case:3:34: expected sport=A[-B] and/or dport=C[-D], then only or unreachable");
	bad(HDR "client connect c to somewhere:8000\n",
	    "x.case:3:21: expected server:PORT, self:PORT, any:PORT, nowhere:PORT, "
	    "linklocal:PORT or broadcast:PORT, found 'somewhere:8000'");
}

/* IPv6 flow labels: an exclusive lease (IPV6_FLOWLABEL_MGR LABEL),
 * IPV6_FLOWINFO_SEND, and connect ... flowlabel N. */
static void test_flowlabel(void **state)
{
	static const char text[] =
	    HDR "client setsockopt c IPV6_FLOWLABEL_MGR 74565\n"
	        "client setsockopt c IPV6_FLOWINFO_SEND 1\n"
	        "client connect c to server:8000 flowlabel 1048575 from 40000\n"
	        "client connect d to server:8000\n";
	struct scenario sc;

	(void)state;
	good(text, &sc);
	assert_int_equal(sc.nsteps, 4);
	assert_true(sc.steps[0].call.opt.is_flowlabel);
	assert_false(sc.steps[0].call.opt.is_linger);
	assert_int_equal(sc.steps[0].call.opt.level, IPPROTO_IPV6);
	assert_int_equal(sc.steps[0].call.opt.name, 32);
	assert_int_equal(sc.steps[0].call.opt.value, 74565);
	assert_false(sc.steps[1].call.opt.is_flowlabel);
	assert_int_equal(sc.steps[1].call.opt.name, 33);
	assert_int_equal(sc.steps[2].call.flowlabel, 1048575);
	assert_int_equal(sc.steps[2].call.from_port, 40000);
	assert_int_equal(sc.steps[3].call.flowlabel, -1);
	scenario_free(&sc);
	bad(HDR "client socket c\nclient setsockopt c IPV6_FLOWLABEL_MGR 0\n",
	    "x.case:4:40: 0 is out of range (1..1048575)");
	bad(HDR "client socket c\nclient setsockopt c IPV6_FLOWLABEL_MGR 1048576\n",
	    "x.case:4:40: 1048576 is out of range (1..1048575)");
	bad(HDR "client connect c to server:80 flowlabel 1048576\n",
	    "x.case:3:41: 1048576 is out of range (0..1048575)");
	bad(HDR "client connect c to server:80 flowlabel\n", "x.case:3:40: expected a flow label");
}

/* connect ... addrlen N family N: the length and sa_family connect(2) is
 * given, each bounded by what the harness's buffer holds. */
static void test_connect_address_override(void **state)
{
	static const char text[] = HDR "client connect c to server:8000 addrlen 15\n"
	                               "client connect d to server:8000 family 10 addrlen 128\n"
	                               "client connect e to server:8000\n";
	struct scenario sc;

	(void)state;
	good(text, &sc);
	assert_int_equal(sc.steps[0].call.addrlen, 15);
	assert_int_equal(sc.steps[0].call.sa_family, -1);
	assert_int_equal(sc.steps[1].call.addrlen, 128);
	assert_int_equal(sc.steps[1].call.sa_family, 10);
	assert_int_equal(sc.steps[2].call.addrlen, -1);
	assert_int_equal(sc.steps[2].call.sa_family, -1);
	scenario_free(&sc);
	bad(HDR "client connect c to server:80 addrlen 129\n",
	    "x.case:3:39: 129 is out of range (0..128)");
	bad(HDR "client connect c to server:80 family 65536\n",
	    "x.case:3:38: 65536 is out of range (0..65535)");
	bad(HDR "client connect c to server:80 addrlen\n",
	    "x.case:3:38: expected an address length");
}

/* connect ... to linklocal:PORT scope link|lo, setsockopt SO_BINDTOIFINDEX
 * link|lo: devices by what they are to the case, never by number (a
 * namespace's ifindexes are the kernel's to choose). */
static void test_link_local(void **state)
{
	static const char text[] = HDR "client connect c to linklocal:8000 scope link\n"
	                               "client connect d to server:8000 scope lo\n"
	                               "client setsockopt e SO_BINDTOIFINDEX lo\n"
	                               "client setsockopt f SO_BINDTOIFINDEX link\n";
	struct scenario sc;

	(void)state;
	good(text, &sc);
	assert_true(sc.steps[0].call.linklocal);
	assert_int_equal(sc.steps[0].call.scope, DEV_LINK);
	assert_false(sc.steps[1].call.linklocal);
	assert_int_equal(sc.steps[1].call.scope, DEV_LO);
	assert_int_equal(sc.steps[2].call.opt.level, SOL_SOCKET);
	assert_int_equal(sc.steps[2].call.opt.name, SO_BINDTOIFINDEX);
	assert_int_equal(sc.steps[2].call.opt.dev, DEV_LO);
	assert_int_equal(sc.steps[3].call.opt.dev, DEV_LINK);
	scenario_free(&sc);
	bad(HDR "client connect c to linklocal:8000 scope 2\n",
	    "x.case:3:42: expected link (the side's own link) or lo, found '2'");
	bad(HDR "client connect c to linklocal:8000 scope\n", "x.case:3:41: expected link or lo");
	bad(HDR "client setsockopt c SO_BINDTOIFINDEX 2\n",
	    "x.case:3:38: expected link (the side's own link) or lo, found '2'");
	good(HDR "client socket c\nobserve client c sockopt TCP_WINDOW_CLAMP as w\n", &sc);
	assert_int_equal(sc.steps[1].observe.obs, OB_SOCKOPT);
	assert_string_equal(sc.steps[1].observe.field, "TCP_WINDOW_CLAMP");
	scenario_free(&sc);
	bad(HDR "client socket c\nobserve client c sockopt SO_LINGER as w\n",
	    "x.case:4:26: 'SO_LINGER' is not an option whose value is an int (SO_RCVBUF, "
	    "TCP_MAXSEG, TCP_WINDOW_CLAMP, ...)");
	good(
	    HDR
	    "server socket L\nserver setsockopt L TCP_SAVE_SYN 1\nobserve server L savedsyn as s\n",
	    &sc);
	assert_int_equal(sc.steps[1].call.opt.level, IPPROTO_TCP);
	assert_int_equal(sc.steps[1].call.opt.name, TCP_SAVE_SYN);
	assert_int_equal(sc.steps[2].observe.obs, OB_SAVEDSYN);
	assert_string_equal(sc.steps[2].observe.sock, "L");
	scenario_free(&sc);
	bad(HDR "observe server L savedsyn as s\n",
	    "x.case:3:16: no socket 'L' on the server side yet");
	good(HDR "client socket c\nobserve client diag LISTEN port 80 peerport as p\n", &sc);
	assert_int_equal(sc.steps[1].observe.obs, OB_DIAG_PEERPORT);
	assert_int_equal(sc.steps[1].observe.port, 80);
	scenario_free(&sc);
	good(HDR "client setsockopt c IPV6_HOPOPTS pad8\nclient setsockopt c IPV6_HOPOPTS none\n",
	     &sc);
	assert_true(sc.steps[0].call.opt.is_hopopts);
	assert_int_equal(sc.steps[0].call.opt.value, 1);
	assert_int_equal(sc.steps[1].call.opt.value, 0);
	scenario_free(&sc);
	bad(HDR "client setsockopt c IPV6_HOPOPTS 8\n",
	    "x.case:3:34: IPV6_HOPOPTS takes pad8 (an 8-byte hop-by-hop options header of "
	    "padding) or none, found '8'");
}

/* A TCP-level option whose value is a word kept in key. */
static void assert_tcp_key(const struct sockopt *o, int name, const char *key)
{
	assert_int_equal(o->level, IPPROTO_TCP);
	assert_int_equal(o->name, name);
	assert_string_equal(o->key, key);
}

/* TCP_MD5SIG KEY: 1 to 80 printable bytes (TCP_MD5SIG_MAXKEYLEN). */
static void test_md5sig(void **state)
{
	static const char text[] = HDR
	    "server setsockopt L TCP_MD5SIG s3cr3t-key\n"
	    "client setsockopt c TCP_MD5SIG \"x\"\n"
	    "client setsockopt c TCP_MD5SIG "
	    "12345678901234567890123456789012345678901234567890123456789012345678901234567890\n";
	struct scenario sc;

	(void)state;
	good(text, &sc);
	assert_int_equal(sc.nsteps, 3);
	assert_true(sc.steps[0].call.opt.is_md5);
	assert_false(sc.steps[0].call.opt.is_linger);
	assert_false(sc.steps[0].call.opt.is_flowlabel);
	assert_tcp_key(&sc.steps[0].call.opt, 14, "s3cr3t-key"); /* TCP_MD5SIG, uapi/linux/tcp.h */
	assert_tcp_key(&sc.steps[1].call.opt, 14, "x");
	assert_int_equal(strlen(sc.steps[2].call.opt.key), 80);
	scenario_free(&sc);
	bad(HDR "client socket c\nclient setsockopt c TCP_MD5SIG \"\"\n",
	    "x.case:4:32: TCP_MD5SIG: the key is empty (1 to 80 bytes)");
	bad(HDR
	    "client socket c\nclient setsockopt c TCP_MD5SIG "
	    "123456789012345678901234567890123456789012345678901234567890123456789012345678901\n",
	    "x.case:4:32: TCP_MD5SIG: the key is longer than 80 bytes (TCP_MD5SIG_MAXKEYLEN)");
	bad(HDR "client socket c\nclient setsockopt c TCP_MD5SIG \"ab cd\"\n",
	    "x.case:4:35: TCP_MD5SIG: a key is printable characters without space");
	bad(HDR "client socket c\nclient setsockopt c TCP_MD5SIG\n",
	    "x.case:4:31: expected a value");
}

/* TCP_CONGESTION NAME: 1 to 15 bytes of [a-z0-9_] (TCP_CA_NAME_MAX). */
static void test_congestion(void **state)
{
	static const char text[] = HDR "client setsockopt c TCP_CONGESTION cubic\n"
	                               "client setsockopt c TCP_CONGESTION abcdefghij_1234\n";
	struct scenario sc;

	(void)state;
	good(text, &sc);
	assert_int_equal(sc.nsteps, 2);
	assert_true(sc.steps[0].call.opt.is_cong);
	assert_false(sc.steps[0].call.opt.is_md5);
	assert_tcp_key(&sc.steps[0].call.opt, 13, "cubic"); /* TCP_CONGESTION, uapi/linux/tcp.h */
	assert_tcp_key(&sc.steps[1].call.opt, 13, "abcdefghij_1234");
	scenario_free(&sc);
	bad(HDR "client socket c\nclient setsockopt c TCP_CONGESTION abcdefghij_12345\n",
	    "x.case:4:36: TCP_CONGESTION: a name of 1 to 15 bytes (TCP_CA_NAME_MAX)");
	bad(HDR "client socket c\nclient setsockopt c TCP_CONGESTION Cubic\n",
	    "x.case:4:36: TCP_CONGESTION: a name is lower-case letters, digits and '_' (cubic, "
	    "reno, bbr)");
	bad(HDR "client socket c\nclient setsockopt c TCP_CONGESTION \"\"\n",
	    "x.case:4:36: TCP_CONGESTION: a name of 1 to 15 bytes (TCP_CA_NAME_MAX)");
}

/* IP_OPTIONS lsrr:peer: the one form, a loose source route via the peer. */
static void test_ip_options(void **state)
{
	static const char text[] = HDR "client setsockopt c IP_OPTIONS lsrr:peer\n";
	struct scenario sc;

	(void)state;
	good(text, &sc);
	assert_int_equal(sc.nsteps, 1);
	assert_true(sc.steps[0].call.opt.is_lsrr);
	assert_false(sc.steps[0].call.opt.is_md5);
	assert_int_equal(sc.steps[0].call.opt.level, IPPROTO_IP);
	assert_int_equal(sc.steps[0].call.opt.name, 4);
	scenario_free(&sc);
	bad(HDR "client socket c\nclient setsockopt c IP_OPTIONS 131,7,4\n",
	    "x.case:4:32: IP_OPTIONS takes lsrr:peer (a loose source route whose first hop is "
	    "the peer)");
	bad(HDR "client socket c\nclient setsockopt c IP_OPTIONS\n",
	    "x.case:4:31: expected a value");
}

/* SO_MARK N: an int option by name (socket(7)). */
static void test_so_mark(void **state)
{
	static const char text[] = HDR "client setsockopt c SO_MARK 1\n";
	struct scenario sc;

	(void)state;
	good(text, &sc);
	assert_int_equal(sc.steps[0].call.opt.level, SOL_SOCKET);
	assert_int_equal(sc.steps[0].call.opt.name, 36);
	assert_int_equal(sc.steps[0].call.opt.value, 1);
	assert_false(sc.steps[0].call.opt.is_lsrr);
	scenario_free(&sc);
}

/* model/step.c and run/steps.c: every kind has a verb (a name, a parser,
 * a help line) and a runner, names are unique within a form, and
 * README.md documents each verb. */
static void test_verb_table(void **state)
{
	char *readme, want[64];
	size_t len, k, j;
	struct err e;

	(void)state;
	readme = infile_read("README.md", 1 << 22, &len, &e);
	if (!readme)
		fail_msg("%s", e.msg);
	for (k = 0; k < ST_COUNT; k++) {
		const struct step_verb *v = &step_verbs[k];

		assert_non_null(v->name);
		assert_non_null(v->parse);
		assert_non_null(v->help);
		if (!step_runners[k])
			fail_msg("verb '%s' has no runner in run/steps.c", v->name);
		assert_int_equal(strncmp(v->help, v->name, strlen(v->name)), 0);
		for (j = 0; j < k; j++)
			if (step_verbs[j].form == v->form &&
			    strcmp(step_verbs[j].name, v->name) == 0)
				fail_msg("verb '%s' twice", v->name);
		snprintf(want, sizeof(want), "`%s ", v->name);
		if (!strstr(readme, want))
			fail_msg("README.md has no line for the verb '%s'", v->name);
	}
	free(readme);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_full_case),
	    cmocka_unit_test(test_variants),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_shipped_cases),
	    cmocka_unit_test(test_hostile_names),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_input_files),
	    cmocka_unit_test(test_host_effects),
	    cmocka_unit_test(test_sysctl_step),
	    cmocka_unit_test(test_table_meets_case),
	    cmocka_unit_test(test_tcp_names),
	    cmocka_unit_test(test_counter_names),
	    cmocka_unit_test(test_wait_counter),
	    cmocka_unit_test(test_verb_table),
	    cmocka_unit_test(test_keepalive_options),
	    cmocka_unit_test(test_fastopen_bind_options),
	    cmocka_unit_test(test_any_address),
	    cmocka_unit_test(test_route_nowhere),
	    cmocka_unit_test(test_flowlabel),
	    cmocka_unit_test(test_connect_address_override),
	    cmocka_unit_test(test_link_local),
	    cmocka_unit_test(test_md5sig),
	    cmocka_unit_test(test_congestion),
	    cmocka_unit_test(test_ip_options),
	    cmocka_unit_test(test_so_mark),
	};

	return cmocka_run_group_tests_name("scenario", tests, NULL, NULL);
}
