// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_runner.c - `tcpconform run` end to end, on small cases written here:
 * the results layout, a variant that overruns its limit (killed, reported
 * as error, the others still run), -j 8 against -j 1 (same observations),
 * the client's tracepoint timeline of a plain connect/close, and TIME_WAIT
 * seen by inet_diag after the close.
 */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/infile.h"
#include "testlib.h"

static char tmp[64];

static void write_case(const char *name, const char *text)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/cases/%s.case", tmp, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static const char plain[] = "case plain\n"
                            "title connect, send, client closes\n"
                            "server listen L port 8000\n"
                            "client connect c to server:8000 as connect\n"
                            "mark connected\n"
                            "server accept s from L\n"
                            "wait until server counter Tcp.PassiveOpens count 1 within 2s as "
                            "opened\n"
                            "wait until client counter Tcp.ActiveOpens since connected count 1 "
                            "within 100ms as no_more_opens\n"
                            "client send c \"ping\"\n"
                            "server recv s 4 as got\n"
                            "client close c\n"
                            "server recv s as eof\n"
                            "server close s\n"
                            "wait until wire c>s flags=. count 2 within 2s\n"
                            "wait 300ms\n"
                            "observe client diag TIME_WAIT as tw\n"
                            "observe wire age s>c flags~F as fin_age\n"
                            "observe client diag TIME_WAIT timer as tw_timer\n"
                            "observe client c states as timeline\n"
                            "observe wire flags as flags\n"
                            "observe wire seqs c>s as client_seqs\n"
                            "observe wire opts flags~S as syn_opts\n"
                            "observe client counter Tcp.ActiveOpens as opens\n"
                            "observe client counter Tcp.ActiveOpens since connected as "
                            "opens_later\n";

static const char hang[] = "case hang\n"
                           "title a step that never returns\n"
                           "timeout 300ms\n"
                           "server listen L port 8000\n"
                           "server accept s from L\n";

static const char refused[] = "case refused\n"
                              "title nobody listens\n"
                              "client connect c to server:9 as connect\n"
                              "observe wire flags s>c as reply\n";

static const char flood[] = "case flood\n"
                            "title crafted SYNs against a small backlog\n"
                            "server listen L port 8000 backlog 4\n"
                            "client flood server:8000 count 50 rate 2000 as flood\n"
                            "wait 100ms\n"
                            "observe wire count c>s flags=S as syns\n"
                            "observe wire count s>c flags=S. as synacks\n"
                            "observe wire count s>c flags=S. dport=20000-20049 as dropped_synacks\n"
                            "observe wire count c>s flags~R as rsts\n"
                            "wait 1200ms\n"
                            "observe server retransmits synack as synack_rtx\n"
                            "observe wire count s>c flags=S. as synacks_later\n";

static const char anyaddr[] = "case anyaddr\n"
                              "title connect to the unspecified address\n"
                              "client listen L port 8000 any\n"
                              "client connect c to any:8000 as connect\n"
                              "wait until client diag ESTABLISHED port 8000 count 1 within 2s\n"
                              "client accept a from L nonblock as accept\n"
                              "observe wire count as on_wire\n";

static const char acceptnb[] = "case acceptnb\n"
                               "title accept nonblock with nothing queued\n"
                               "timeout 5s\n"
                               "server listen L port 8000\n"
                               "server accept s from L nonblock as accept\n";

/* Tables for the cases above: the runner judges every observation. */
static const char plain_table[] =
    "connect.ret | * | - | 0 | connect(2)\n"
    "got.ret | * | - | 4 | recv(2) of the 4 bytes sent\n"
    "eof.ret | * | - | 0 | recv(2) at end of stream (net/ipv4/tcp_input.c tcp_fin)\n"
    "tw | * | - | 1 | RFC 9293 3.3.2: the active closer enters TIME-WAIT\n"
    "fin_age | * | - | 300ms..3s | the case waits 300 ms after the ACK of the server's FIN\n"
    "tw_timer | * | - | = (60000 - observed:fin_age) ms ±100ms | include/net/tcp.h "
    "TCP_TIMEWAIT_LEN, from the server's FIN\n"
    "timeline | >=4.16 | - | SYN_SENT ESTABLISHED FIN_WAIT1 FIN_WAIT2 CLOSE | RFC 9293 3.3.2\n"
    "flags | * | - | c>s:S s>c:S. c>s:. c>s:P. s>c:. c>s:F. s>c:F. c>s:. | RFC 9293 3.5, 3.6\n"
    "client_seqs | * | - | 0 1 1 5 6 | RFC 9293 3.4: the SYN and the FIN take one number each\n"
    "syn_opts | * | - | mss sackOK TS wscale mss sackOK TS wscale | net/ipv4/tcp_output.c "
    "tcp_options_write()\n"
    "opens | * | - | 1 | net/ipv4/tcp_output.c tcp_connect(): TCP_MIB_ACTIVEOPENS\n"
    "opens_later | * | - | 0 | the one active open came before the mark\n"
    "opened.ret | * | - | 1 | net/ipv4/tcp_minisocks.c tcp_create_openreq_child(): "
    "TCP_MIB_PASSIVEOPENS\n"
    "no_more_opens.ret | * | - | -1 | no active open after the mark: the wait runs out\n"
    "no_more_opens.errno | * | - | ETIMEDOUT | the bounded wait's result\n";
static const char refused_table[] =
    "connect.errno | * | - | ECONNREFUSED | net/ipv4/tcp_input.c tcp_reset()\n"
    "reply | * | - | R. | RFC 9293 3.10.7.1\n";
static const char flood_table[] =
    "flood.ret | * | - | 50 | the step's count\n"
    "syns | * | - | 50 | every crafted SYN crosses the wire\n"
    "synacks | * | - | >=1 | net/ipv4/tcp_input.c tcp_conn_request()\n"
    "dropped_synacks | * | - | >=1 | the flood's wire rule\n"
    "rsts | * | - | 0 | the wire drops the SYN-ACKs, so the client never answers with RST\n"
    "synack_rtx | * | - | >=1 | net/ipv4/inet_connection_sock.c reqsk_timer_handler()\n"
    "synacks_later | * | - | >=2 | TCP_TIMEOUT_INIT, include/net/tcp.h\n";

static const char anyaddr_table[] =
    "connect.ret | * | - | 0 | net/ipv4/route.c ip_route_output_key_hash_rcu(), "
    "net/ipv6/tcp_ipv6.c tcp_v6_connect(): the unspecified address is loopback\n"
    "accept.ret | * | - | 0 | the listener on the unspecified address takes it\n"
    "on_wire | * | - | 0 | loopback: nothing leaves the namespace\n";

static const char acceptnb_table[] =
    "accept.ret | * | - | -1 | accept(2) on a non-blocking listener with an empty queue\n"
    "accept.errno | * | - | EAGAIN | net/ipv4/inet_connection_sock.c inet_csk_accept()\n"
    "accept.ms | * | - | <1000 | it does not wait\n";

static void write_table(const char *name, const char *text)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/fixtures/%s.table", tmp, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static int setup(void **state)
{
	char path[128];

	(void)state;
	strcpy(tmp, "/tmp/tcpconform-run-XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	snprintf(path, sizeof(path), "%s/cases", tmp);
	mkdir(path, 0755);
	write_case("plain", plain);
	write_case("hang", hang);
	write_case("refused", refused);
	write_case("flood", flood);
	write_case("anyaddr", anyaddr);
	write_case("acceptnb", acceptnb);
	snprintf(path, sizeof(path), "%s/fixtures", tmp);
	mkdir(path, 0755);
	write_table("plain", plain_table);
	write_table("refused", refused_table);
	write_table("flood", flood_table);
	write_table("anyaddr", anyaddr_table);
	write_table("acceptnb", acceptnb_table);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return tl_rmtree(tmp);
}

/* Run build/tcpconform run with @args; returns its exit status. */
static int run(const char *args, const char *out)
{
	char cmd[512];
	int st;

	snprintf(cmd, sizeof(cmd),
	         "TCPCONFORM_CASES=%s/cases build/tcpconform run %s -o %s/%s > %s/%s.log 2>&1", tmp,
	         args, tmp, out, tmp, out);
	st = system(cmd);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		/* Why, for whoever reads a failure (and the verdicts that were not pass). */
		snprintf(cmd, sizeof(cmd),
		         "tail -5 %s/%s.log; grep -h -B2 -A3 '\"verdict\": \"\\(fail\\|error\\)' "
		         "%s/%s/summary.json 2>/dev/null | head -40",
		         tmp, out, tmp, out);
		if (system(cmd) < 0)
			print_message("(no log)\n");
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static json_t *load(const char *out, const char *rel)
{
	char path[256];
	json_error_t je;
	json_t *j;

	snprintf(path, sizeof(path), "%s/%s/%s", tmp, out, rel);
	j = json_load_file(path, 0, &je);
	if (!j)
		fail_msg("%s: %s", path, je.text);
	return j;
}

static json_t *obs(json_t *observed, const char *name)
{
	json_t *o = json_object_get(json_object_get(observed, "observations"), name);

	if (!o)
		fail_msg("no observation %s", name);
	return json_object_get(o, "value");
}

static void test_layout_and_observations(void **state)
{
	json_t *sum, *o, *v;
	char path[256];
	struct stat st;
	static const char *const files[] = {"observed.json", "trace.pcap", "trace.txt", "log.txt"};
	size_t i;

	(void)state;
	REQUIRE_NETNS();
	assert_int_equal(run("plain refused", "a"), 0);
	sum = load("a", "summary.json");
	assert_int_equal(json_array_size(json_object_get(sum, "variants")), 4);
	assert_false(json_is_true(json_object_get(sum, "interrupted")));
	assert_non_null(json_string_value(json_object_get(sum, "kernel")));
	{
		/* the kernel's own setting, read here apart: 1 only in a guest
		 * of `vm --panic-on-warn` */
		FILE *f = fopen("/proc/sys/kernel/panic_on_warn", "r");
		int pow = -1;

		if (f) {
			if (fscanf(f, "%d", &pow) != 1)
				pow = -1;
			fclose(f);
		}
		assert_true(json_is_integer(json_object_get(sum, "panic_on_warn")));
		assert_int_equal(json_integer_value(json_object_get(sum, "panic_on_warn")),
		                 pow < 0 ? -1 : pow > 0);
	}
	{
		/* the default congestion control, as this namespace has it */
		FILE *f = fopen("/proc/sys/net/ipv4/tcp_congestion_control", "r");
		char cc[64] = "";

		assert_non_null(f);
		assert_non_null(fgets(cc, sizeof(cc), f));
		fclose(f);
		cc[strcspn(cc, "\n")] = '\0';
		assert_string_equal(
		    json_string_value(json_object_get(sum, "tcp_congestion_control")), cc);
	}
	json_decref(sum);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/a/plain/ipv6/%s", tmp, files[i]);
		assert_int_equal(stat(path, &st), 0);
		assert_true(st.st_size > 0);
	}
	o = load("a", "plain/ipv4/observed.json");
	assert_string_equal(json_string_value(json_object_get(o, "status")), "ran");
	v = obs(o, "connect");
	assert_int_equal(json_integer_value(json_object_get(v, "ret")), 0);
	assert_int_equal(json_integer_value(json_object_get(obs(o, "got"), "ret")), 4);
	assert_int_equal(json_integer_value(json_object_get(obs(o, "eof"), "ret")), 0);
	/* inet_diag: the active closer sits in TIME_WAIT, its timer near 60 s
	 * (TCP_TIMEWAIT_LEN, include/net/tcp.h). */
	assert_int_equal(json_integer_value(obs(o, "tw")), 1);
	assert_true(json_integer_value(obs(o, "tw_timer")) > 55000);
	assert_true(json_integer_value(obs(o, "tw_timer")) <= 60000);
	/* The server's FIN came at least the 300 ms waited before; the timer
	 * started then: what is left is 60 s minus that age, to a jiffy or
	 * two and the time between the two observations. */
	{
		double age = json_real_value(obs(o, "fin_age"));
		json_int_t left = json_integer_value(obs(o, "tw_timer"));

		assert_true(age >= 300 && age < 3000);
		assert_true(left <= 60000 - age + 20 && left >= 60000 - age - 100);
	}
	assert_int_equal(json_integer_value(obs(o, "opens")), 1);
	/* Since the mark after connect(): the one active open is before it. */
	assert_int_equal(json_integer_value(obs(o, "opens_later")), 0);
	/* A counter wait returns the change it reached, or runs out. */
	assert_int_equal(json_integer_value(json_object_get(obs(o, "opened"), "ret")), 1);
	assert_int_equal(json_integer_value(json_object_get(obs(o, "no_more_opens"), "ret")), -1);
	assert_string_equal(json_string_value(json_object_get(obs(o, "no_more_opens"), "errno")),
	                    "ETIMEDOUT");
	assert_string_equal(json_string_value(obs(o, "flags")),
	                    "c>s:S s>c:S. c>s:. c>s:P. s>c:. c>s:F. s>c:F. c>s:.");
	/* The client's sequence numbers minus its ISN: the SYN takes one,
	 * "ping" four, the FIN one (RFC 9293 3.4). */
	v = obs(o, "client_seqs");
	assert_int_equal(json_array_size(v), 5);
	for (i = 0; i < 5; i++)
		assert_int_equal(json_integer_value(json_array_get(v, i)),
		                 ((const int[]){0, 1, 1, 5, 6})[i]);
	/* Tracepoints, when tracefs can be had here. */
	if (json_is_string(obs(o, "timeline")))
		assert_string_equal(json_string_value(obs(o, "timeline")),
		                    "SYN_SENT ESTABLISHED FIN_WAIT1 FIN_WAIT2 CLOSE");
	else
		print_message("note: tracepoints unavailable here\n");
	json_decref(o);
	o = load("a", "refused/ipv6/observed.json");
	assert_string_equal(json_string_value(json_object_get(obs(o, "connect"), "errno")),
	                    "ECONNREFUSED");
	assert_string_equal(json_string_value(obs(o, "reply")), "R.");
	json_decref(o);
}

static void test_timeout_killed_others_run(void **state)
{
	json_t *sum, *vars, *o;
	size_t i, errors = 0, ran = 0;
	char totals[128], why[256];
	/* plain's timeline check needs tracepoints: with them it passes; where
	 * the harness cannot have them (no tracefs: check-envs notracefs; a
	 * user namespace) that check skips, with its reason, and so does plain. */
	bool traced;

	(void)state;
	REQUIRE_NETNS();
	traced = tl_tracepoints(why, sizeof(why));
	if (!traced)
		print_message("note: no tracepoints here (%s): plain skips\n", why);
	assert_int_equal(run("hang plain", "b"), 1); /* an error: exit 1 */
	sum = load("b", "summary.json");
	vars = json_object_get(sum, "variants");
	for (i = 0; i < json_array_size(vars); i++) {
		json_t *v = json_array_get(vars, i);
		const char *c = json_string_value(json_object_get(v, "case"));
		const char *st = json_string_value(json_object_get(v, "status"));

		if (strcmp(c, "hang") == 0) {
			assert_string_equal(st, "error");
			assert_non_null(strstr(json_string_value(json_object_get(v, "reason")),
			                       "exceeded its time limit"));
			/* and where it waited: accept() sleeps in the kernel */
			assert_non_null(strstr(json_string_value(json_object_get(v, "reason")),
			                       "(it waited in the kernel, in "));
			errors++;
		} else {
			const char *verdict = json_string_value(json_object_get(v, "verdict"));

			assert_string_equal(st, "ran");
			ran++;
			if (!traced) {
				json_t *ck, *cks = json_object_get(v, "checks");
				size_t k, nskip = 0;

				json_array_foreach(cks, k, ck)
				{
					if (strcmp(
					        json_string_value(json_object_get(ck, "verdict")),
					        "skip") == 0) {
						assert_string_equal(
						    json_string_value(json_object_get(ck, "name")),
						    "timeline");
						nskip++;
					}
				}
				assert_int_equal(nskip, 1);
				assert_string_equal(verdict, "skip");
			} else {
				assert_string_equal(verdict, "pass");
			}
		}
	}
	assert_int_equal(errors, 2);
	assert_int_equal(ran, 2); /* both plain variants, each pass (or skip) as asserted */
	snprintf(totals, sizeof(totals), "totals: pass %d, xfail 0, skip %d, fail 0, error 2\n",
	         traced ? 2 : 0, traced ? 0 : 2);
	json_decref(sum);
	/* The output ends with the tally and the variants that were not as
	 * expected, named again. */
	{
		char cmd[256], line[256];
		FILE *f;
		int tally = 0, named = 0;

		snprintf(cmd, sizeof(cmd), "tail -6 %s/b.log", tmp);
		f = popen(cmd, "r");
		assert_non_null(f);
		while (fgets(line, sizeof(line), f)) {
			if (strcmp(line, totals) == 0)
				tally++;
			if (strncmp(line, "  error: hang ipv", 17) == 0 &&
			    strstr(line, "exceeded its time limit"))
				named++;
		}
		pclose(f);
		assert_int_equal(tally, 1);
		assert_int_equal(named, 2);
	}
	/* The killed variant still has an observed.json saying why. */
	o = load("b", "hang/ipv4/observed.json");
	assert_string_equal(json_string_value(json_object_get(o, "status")), "error");
	json_decref(o);
}

/* What the run into @out printed (its .log), read whole; freed by the caller. */
static char *run_log(const char *out)
{
	char path[256];
	char *log;
	size_t n;
	struct err e;

	snprintf(path, sizeof(path), "%s/%s.log", tmp, out);
	log = infile_read(path, 1 << 20, &n, &e);
	assert_non_null(log);
	return log;
}

/* The observations that do not depend on timing. */
static char *stable(json_t *o)
{
	json_t *obsv = json_object_get(o, "observations"), *copy = json_object();
	const char *k;
	json_t *v;
	char *s;

	json_object_foreach(obsv, k, v)
	{
		json_t *val = json_object_get(v, "value");

		if (strcmp(k, "tw_timer") == 0 || strcmp(k, "fin_age") == 0)
			continue; /* times */
		if (json_is_object(val)) {
			json_t *r = json_object();

			json_object_set(r, "ret", json_object_get(val, "ret"));
			json_object_set(r, "errno", json_object_get(val, "errno"));
			json_object_set_new(copy, k, r);
		} else {
			json_object_set(copy, k, val);
		}
	}
	s = json_dumps(copy, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(copy);
	return s;
}

/* A variant's process that stays after its done byte (as one the kernel
 * holds in close() would) is killed END_MS (10 s) later, its verdict kept:
 * the run does not wait out its 120 s (runner.c reap_bounded()). */
static void test_lingering_process_killed(void **state)
{
	json_t *sum, *v;
	struct timespec t0, t1;
	double s;

	(void)state;
	REQUIRE_NETNS();
	setenv("TCPCONFORM_TEST_HOLD_MS", "120000", 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(run("refused --variant ipv4", "held"), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	unsetenv("TCPCONFORM_TEST_HOLD_MS");
	s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	print_message("run with a lingering variant process: %.1f s\n", s);
	assert_true(s < 100); /* ended by the kill, not by the hold */
	sum = load("held", "summary.json");
	v = json_array_get(json_object_get(sum, "variants"), 0);
	assert_string_equal(json_string_value(json_object_get(v, "verdict")), "pass");
	json_decref(sum);
}

/* --slip-limit holds starts while the machine's timers run late: the
 * runner's probe process (tcpconform-slip) is stopped (SIGSTOP) for 400 ms
 * while three variants of one second each run, so its probes wake 400 ms
 * late; when the variants end, two start (the floor) and at least one
 * more start is held back.  Without the limit there is no probe process,
 * and the same run holds none. */
static void test_slip_limit_holds(void **state)
{
	static const char slow[] = "case slow\n"
	                           "title six variants of one second each\n"
	                           "family 4\n"
	                           "vary   n 1 2 3 4 5 6\n"
	                           "wait 1s\n";
	char cmd[768];
	json_t *sum;
	int st;

	(void)state;
	REQUIRE_NETNS();
	write_case("slow", slow);
	for (int limit = 50; limit >= 0; limit -= 50) {
		char out[16];

		snprintf(out, sizeof(out), "slip%d", limit);
		snprintf(cmd, sizeof(cmd),
		         "TCPCONFORM_CASES=%s/cases build/tcpconform run slow -j 3 --slip-limit %d "
		         "-o %s/%s > %s/%s.log 2>&1 & pid=$!; sleep 0.4; "
		         "pkill -STOP -P $pid -x tcpconform-slip; sleep 0.4; "
		         "pkill -CONT -P $pid -x tcpconform-slip; wait $pid",
		         tmp, limit, tmp, out, tmp, out);
		st = system(cmd);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			snprintf(cmd, sizeof(cmd), "tail -20 %s/%s.log", tmp, out);
			if (system(cmd) != 0)
				print_message("no log\n");
			fail_msg("the run exited %d", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		}
		sum = load(out, "summary.json");
		assert_int_equal(json_real_value(json_object_get(sum, "slip_limit_ms")), limit);
		/* the runner's probe saw the stop, 400 ms late give or take, and
		 * held a start; without a limit there is no probe, and no hold */
		if (limit) {
			assert_true(json_real_value(json_object_get(sum, "runner_slip_ms")) >= 300);
			assert_true(json_integer_value(json_object_get(sum, "starts_held")) >= 1);
		} else {
			assert_true(json_real_value(json_object_get(sum, "runner_slip_ms")) == 0);
			assert_int_equal(json_integer_value(json_object_get(sum, "starts_held")),
			                 0);
		}
		assert_int_equal(json_array_size(json_object_get(sum, "variants")), 6);
		json_decref(sum);
	}
}

/* A case's time limit bounds its scenario, not the taking and writing of
 * its results (PHASE_LIMIT_MS of their own, runner.c): a variant whose
 * collection takes 4 s (TCPCONFORM_TEST_COLLECT_MS) after a scenario well
 * inside its 1 s limit is not killed at 3 s, and passes. */
static void test_limit_bounds_scenario_only(void **state)
{
	static const char slowc[] = "case slowc\n"
	                            "title its results are taken slowly\n"
	                            "timeout 1s\n"
	                            "server listen L port 8000\n"
	                            "client connect c to server:8000 as connect\n";
	json_t *sum, *v;

	(void)state;
	REQUIRE_NETNS();
	write_case("slowc", slowc);
	write_table("slowc", "connect.ret | * | - | 0 | connect(2)\n");
	setenv("TCPCONFORM_TEST_COLLECT_MS", "4000", 1);
	assert_int_equal(run("slowc --family 4", "slowc"), 0);
	unsetenv("TCPCONFORM_TEST_COLLECT_MS");
	sum = load("slowc", "summary.json");
	v = json_array_get(json_object_get(sum, "variants"), 0);
	assert_string_equal(json_string_value(json_object_get(v, "verdict")), "pass");
	json_decref(sum);
}

/* A wait on a counter this kernel lacks (a feature of later kernels)
 * stops the variant there: a skip naming the counter and the line, the
 * steps after it never run, never an error. */
static void test_wait_lacking_counter_skips(void **state)
{
	static const char lacks[] =
	    "case lacks\n"
	    "title a counter of a later kernel\n"
	    "server listen L port 8000\n"
	    "client connect c to server:8000 as connect\n"
	    "wait until server counter TcpExt.NoSuchCounterX count 1 within 1s\n"
	    "client close c as after\n";
	json_t *sum, *v;
	const char *reason;

	(void)state;
	REQUIRE_NETNS();
	write_case("lacks", lacks);
	write_table("lacks",
	            "connect.ret | * | - | 0 | connect(2)\nafter.ret | * | - | 0 | close(2)\n");
	assert_int_equal(run("lacks --family 4", "lacks"), 0);
	sum = load("lacks", "summary.json");
	v = json_array_get(json_object_get(sum, "variants"), 0);
	assert_string_equal(json_string_value(json_object_get(v, "status")), "skip");
	assert_string_equal(json_string_value(json_object_get(v, "verdict")), "skip");
	reason = json_string_value(json_object_get(v, "reason"));
	assert_non_null(reason);
	assert_string_equal(reason, "this kernel has no counter TcpExt.NoSuchCounterX (line 5)");
	json_decref(sum);
	v = load("lacks", "lacks/ipv4/observed.json");
	assert_null(json_object_get(json_object_get(v, "observations"), "after"));
	json_decref(v);
}

static void test_parallel_same_as_serial(void **state)
{
	static const char *const vars[] = {"plain/ipv4", "plain/ipv6", "refused/ipv4",
	                                   "refused/ipv6"};
	size_t i;

	(void)state;
	REQUIRE_NETNS();
	assert_int_equal(run("plain refused -j 1", "s"), 0);
	assert_int_equal(run("plain refused -j 8", "p"), 0);
	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		char rel[128];
		json_t *a, *b;
		char *sa, *sb;

		snprintf(rel, sizeof(rel), "%s/observed.json", vars[i]);
		a = load("s", rel);
		b = load("p", rel);
		sa = stable(a);
		sb = stable(b);
		if (strcmp(sa, sb) != 0)
			fail_msg("%s differs:\n -j 1: %s\n -j 8: %s", vars[i], sa, sb);
		free(sa);
		free(sb);
		json_decref(a);
		json_decref(b);
	}
}

static void test_bad_case_runs_nothing(void **state)
{
	char path[256];
	struct stat st;

	(void)state;
	write_case("broken", "case broken\ntitle t\nclient connect c to server:99999\n");
	assert_int_equal(run("plain broken", "c"), 2);
	snprintf(path, sizeof(path), "%s/c/summary.json", tmp);
	assert_int_equal(stat(path, &st), -1); /* nothing ran, nothing written */
	snprintf(path, sizeof(path), "%s/cases/broken.case", tmp);
	unlink(path);
}

static bool log_has(const char *out, const char *text)
{
	char path[256], buf[4096];
	size_t n;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s.log", tmp, out);
	fp = fopen(path, "r");
	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	if (!strstr(buf, text))
		print_message("%s:\n%s\n", path, buf);
	return strstr(buf, text) != NULL;
}

/* Issue 14: 70 vary lines overflowed the runner's and the player's
 * "unsigned axes[64]"; a run's variants were counted without a bound or an
 * overflow check.  Now the case is refused where it is parsed, and a run
 * over more than RUN_MAX_VARIANTS variants is refused before anything
 * runs or is written: exit 2 both times. */
static void test_variant_limits(void **state)
{
	char text[8192], path[256];
	struct stat st;
	size_t n;
	int i, k;

	(void)state;
	n = (size_t)snprintf(text, sizeof(text), "case axes70\ntitle t\n");
	for (i = 0; i < 70; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "vary a%d 1\n", i);
	snprintf(text + n, sizeof(text) - n, "client socket c\n");
	write_case("axes70", text);
	assert_int_equal(run("axes70", "l1"), 2);
	assert_true(log_has("l1", "axes70.case:35:1: more than 32 vary lines"));
	snprintf(path, sizeof(path), "%s/l1", tmp);
	assert_int_equal(stat(path, &st), -1);
	snprintf(path, sizeof(path), "%s/cases/axes70.case", tmp);
	unlink(path);
	/* five cases of 4096 variants each: 20480, over 16384 */
	n = (size_t)snprintf(text, sizeof(text), "title t\nfamily 4\n");
	for (i = 0; i < 3; i++) {
		n += (size_t)snprintf(text + n, sizeof(text) - n, "vary a%d", i);
		for (k = 0; k < 16; k++)
			n += (size_t)snprintf(text + n, sizeof(text) - n, " %d", k);
		n += (size_t)snprintf(text + n, sizeof(text) - n, "\n");
	}
	snprintf(text + n, sizeof(text) - n, "client socket c\n");
	for (i = 0; i < 5; i++) {
		char name[16], full[8300];

		snprintf(name, sizeof(name), "big%d", i);
		snprintf(full, sizeof(full), "case %s\n%s", name, text);
		write_case(name, full);
	}
	assert_int_equal(run("big*", "l3"), 2);
	assert_true(log_has("l3", "a run holds at most 16384 variants"));
	snprintf(path, sizeof(path), "%s/l3", tmp);
	assert_int_equal(stat(path, &st), -1);
	for (i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "%s/cases/big%d.case", tmp, i);
		unlink(path);
	}
}

/* The flood's SYNs all reach the wire; the SYN-ACKs they draw are dropped
 * there, so the client's kernel never answers them with a reset. */
static void test_flood(void **state)
{
	json_t *o;

	(void)state;
	REQUIRE_NETNS();
	assert_int_equal(run("flood --family 4", "f"), 0);
	o = load("f", "flood/ipv4/observed.json");
	assert_int_equal(json_integer_value(json_object_get(obs(o, "flood"), "ret")), 50);
	assert_int_equal(json_integer_value(obs(o, "syns")), 50);
	assert_true(json_integer_value(obs(o, "synacks")) >= 1);
	assert_int_equal(json_integer_value(obs(o, "synacks")),
	                 json_integer_value(obs(o, "dropped_synacks")));
	assert_int_equal(json_integer_value(obs(o, "rsts")), 0);
	/* The SYN-ACKs of queued requests are sent again after 1 s
	 * (TCP_TIMEOUT_INIT, include/net/tcp.h); cookie SYN-ACKs are not. */
	assert_true(json_integer_value(obs(o, "synacks_later")) >
	            json_integer_value(obs(o, "synacks")));
	/* Two observers, one count: the tracepoint's retransmissions are the
	 * SYN-ACKs the wire saw after the first round. */
	if (json_is_integer(obs(o, "synack_rtx")))
		assert_int_equal(json_integer_value(obs(o, "synack_rtx")),
		                 json_integer_value(obs(o, "synacks_later")) -
		                     json_integer_value(obs(o, "synacks")));
	json_decref(o);
}

/* "listen ... any" and "connect ... to any:PORT": a side connects to the
 * unspecified address, which the kernel takes as loopback, and its own
 * listener on the unspecified address accepts; the wire sees nothing. */
static void test_any_address(void **state)
{
	json_t *o;
	const char *fam[] = {"ipv4", "ipv6"};
	char rel[64];

	(void)state;
	REQUIRE_NETNS();
	assert_int_equal(run("anyaddr", "any"), 0);
	for (size_t i = 0; i < 2; i++) {
		snprintf(rel, sizeof(rel), "anyaddr/%s/observed.json", fam[i]);
		o = load("any", rel);
		assert_int_equal(json_integer_value(json_object_get(obs(o, "connect"), "ret")), 0);
		assert_int_equal(json_integer_value(json_object_get(obs(o, "accept"), "ret")), 0);
		assert_int_equal(json_integer_value(obs(o, "on_wire")), 0);
		json_decref(o);
	}
}

/* A route of a rejecting type to the nowhere prefix, then a connect to
 * nowhere: that type's errno, nothing on the wire; without the route,
 * ENETUNREACH.  The route goes with the namespace. */
static void test_route_nowhere(void **state)
{
	static const char routed[] = "case routed\n"
	                             "title a connect through a route of a rejecting type\n"
	                             "vary route none unreachable\n"
	                             "when route=unreachable client route nowhere unreachable\n"
	                             "client connect c to nowhere:8000 as connect\n"
	                             "observe wire count as on_wire\n";
	static const struct {
		const char *variant, *errno_name;
	} want[] = {{"ipv4-route=none", "ENETUNREACH"},
	            {"ipv6-route=none", "ENETUNREACH"},
	            {"ipv4-route=unreachable", "EHOSTUNREACH"},
	            {"ipv6-route=unreachable", "EHOSTUNREACH"}};
	char rel[128];
	json_t *o;

	(void)state;
	REQUIRE_NETNS();
	write_case("routed", routed);
	write_table("routed", "connect.ret | * | - | -1 | connect(2)\n"
	                      "connect.errno | * | route=none | ENETUNREACH | fib_lookup()\n"
	                      "connect.errno | * | - | EHOSTUNREACH | fib_props[RTN_UNREACHABLE]\n"
	                      "on_wire | * | - | 0 | nothing sent\n");
	assert_int_equal(run("routed", "routed"), 0);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		snprintf(rel, sizeof(rel), "routed/%s/observed.json", want[i].variant);
		o = load("routed", rel);
		assert_string_equal(json_string_value(json_object_get(obs(o, "connect"), "errno")),
		                    want[i].errno_name);
		assert_int_equal(json_integer_value(obs(o, "on_wire")), 0);
		json_decref(o);
	}
}

/* route fwmark N only: a socket with SO_MARK N connects, one without
 * fails with ENETUNREACH (the rule "iif lo unreachable") and sends
 * nothing; IPv4 (IPv6 rules need CONFIG_IPV6_MULTIPLE_TABLES). */
static void test_route_fwmark(void **state)
{
	static const char marked[] = "case marked\n"
	                             "title only marked packets are routed\n"
	                             "family 4\n"
	                             "client route fwmark 7 only\n"
	                             "server listen L port 8000\n"
	                             "client connect u to server:8000 as unmarked\n"
	                             "mark after_unmarked\n"
	                             "client setsockopt c SO_MARK 7\n"
	                             "client connect c to server:8000 as connect\n"
	                             "observe wire count c>s flags=S as syns\n";
	json_t *o;

	(void)state;
	REQUIRE_NETNS();
	write_case("marked", marked);
	write_table("marked", "unmarked.ret | * | - | -1 | fib4_rule_action()\n"
	                      "unmarked.errno | * | - | ENETUNREACH | FR_ACT_UNREACHABLE\n"
	                      "connect.ret | * | - | 0 | fwmark 7 lookup main\n"
	                      "syns | * | - | 1 | the marked SYN only\n");
	assert_int_equal(run("marked", "marked"), 0);
	o = load("marked", "marked/ipv4/observed.json");
	assert_string_equal(json_string_value(json_object_get(obs(o, "unmarked"), "errno")),
	                    "ENETUNREACH");
	assert_int_equal(json_integer_value(json_object_get(obs(o, "connect"), "ret")), 0);
	assert_int_equal(json_integer_value(obs(o, "syns")), 1);
	json_decref(o);
}

/* tsoffset: TCP_TIMESTAMP minus the monotonic clock in ms.  A client with
 * tcp_timestamps 2 uses timestamps without a random offset
 * (Documentation/networking/ip-sysctl.rst tcp_timestamps): 0, within the
 * observation's 1 ms. */
static void test_tsoffset(void **state)
{
	static const char tsoff[] = "case tsoff\n"
	                            "title the timestamp clock of a connection without offset\n"
	                            "sysctl client net.ipv4.tcp_timestamps 2\n"
	                            "server listen L port 8000\n"
	                            "client connect c to server:8000 as connect\n"
	                            "observe client c tsoffset as offset\n";
	json_t *o, *v;

	(void)state;
	REQUIRE_NETNS();
	write_case("tsoff", tsoff);
	write_table("tsoff", "connect.ret | * | - | 0 | connect(2)\n"
	                     "offset | * | - | {-1, 0, 1} | ip-sysctl.rst tcp_timestamps 2\n");
	assert_int_equal(run("tsoff --family 4", "tsoff"), 0);
	o = load("tsoff", "tsoff/ipv4/observed.json");
	v = obs(o, "offset");
	assert_true(json_is_integer(v));
	assert_true(json_integer_value(v) >= -1 && json_integer_value(v) <= 1);
	json_decref(o);
}

/* sockstat: each side's namespace counts only its own sockets, by family:
 * the server's listener and accepted socket are 2, the client's one
 * connection 1, its IPv4 count (sockstat) none of the IPv6 variant's
 * sockets (sockstat6), and no timewait socket anywhere yet. */
static void test_sockstat(void **state)
{
	static const char sst[] = "case sst\n"
	                          "title a namespace's socket counts\n"
	                          "server listen L port 8000\n"
	                          "client connect c to server:8000 as connect\n"
	                          "server accept s from L\n"
	                          "observe server sockstat inuse as server_inuse\n"
	                          "observe client sockstat inuse as client_inuse\n"
	                          "observe client sockstat tw as client_tw\n";
	static const char *const fam[] = {"4", "6"};
	size_t i;

	(void)state;
	REQUIRE_NETNS();
	write_case("sst", sst);
	write_table("sst", "connect.ret | * | - | 0 | connect(2)\n"
	                   "server_inuse | * | - | 2 | sockstat_seq_show()\n"
	                   "client_inuse | * | - | 1 | sockstat_seq_show()\n"
	                   "client_tw | * | - | 0 | sockstat_seq_show()\n");
	for (i = 0; i < 2; i++) {
		char args[64], out[16], path[64];
		json_t *o;

		snprintf(args, sizeof(args), "sst --family %s", fam[i]);
		snprintf(out, sizeof(out), "sst%s", fam[i]);
		snprintf(path, sizeof(path), "sst/ipv%s/observed.json", fam[i]);
		assert_int_equal(run(args, out), 0);
		o = load(out, path);
		assert_int_equal(json_integer_value(obs(o, "server_inuse")), 2);
		assert_int_equal(json_integer_value(obs(o, "client_inuse")), 1);
		assert_int_equal(json_integer_value(obs(o, "client_tw")), 0);
		assert_string_equal(
		    json_string_value(json_object_get(
		        json_object_get(json_object_get(o, "observations"), "server_inuse"),
		        "source")),
		    "sockstat");
		json_decref(o);
	}
}

/* A socket whose 4-tuple an earlier socket used (a reconnect from the same
 * port after the first connection closed): its timeline starts at its own
 * first state, without the first connection's transitions. */
static void test_timeline_reused_tuple(void **state)
{
	static const char rt[] = "case rt\n"
	                         "title the same 4-tuple twice\n"
	                         "server listen L port 8000\n"
	                         "client setsockopt a SO_REUSEADDR 1\n"
	                         "client connect a to server:8000 from 40001\n"
	                         "server accept s from L\n"
	                         "server close s\n"
	                         "client recv a as eof\n"
	                         "client close a\n"
	                         "wait until client diag LAST_ACK count 0 within 2s\n"
	                         "client setsockopt b SO_REUSEADDR 1\n"
	                         "client connect b to server:8000 from 40001 as again\n"
	                         "observe client a states as first\n"
	                         "observe client b states as second\n";
	json_t *o;

	(void)state;
	REQUIRE_NETNS();
	write_case("rt", rt);
	write_table("rt",
	            "eof.ret | * | - | 0 | recv(2)\n"
	            "again.ret | * | - | 0 | connect(2)\n"
	            "first | * | - | SYN_SENT ESTABLISHED CLOSE_WAIT LAST_ACK CLOSE | tracepoints\n"
	            "second | * | - | SYN_SENT ESTABLISHED | tracepoints\n");
	assert_int_equal(run("rt --family 4", "rt4"), 0);
	o = load("rt4", "rt/ipv4/observed.json");
	if (json_is_string(obs(o, "second"))) { /* tracefs may be missing: then a skip */
		assert_string_equal(json_string_value(obs(o, "second")), "SYN_SENT ESTABLISHED");
		assert_string_equal(json_string_value(obs(o, "first")),
		                    "SYN_SENT ESTABLISHED CLOSE_WAIT LAST_ACK CLOSE");
	}
	json_decref(o);
}

/* connect ... mapped: an IPv6 socket reaches the server's IPv4 address as
 * ::ffff:a.b.c.d, and getsockname names it "mapped:client"; an IPv4
 * variant cannot say it (an error of the case, never a verdict). */
static void test_connect_mapped(void **state)
{
	static const char mc[] = "case mc\n"
	                         "title a v4-mapped connect\n"
	                         "server listen L any port 8000\n"
	                         "client connect c to server:8000 mapped as connect\n"
	                         "observe client c sockname as name\n";
	char *log;
	json_t *o;

	(void)state;
	REQUIRE_NETNS();
	write_case("mc", mc);
	write_table("mc", "connect.ret | * | - | 0 | connect(2)\n"
	                  "name.addr | * | - | mapped:client | RFC 3493 3.7\n");
	assert_int_equal(run("mc --family 6", "mc6"), 0);
	o = load("mc6", "mc/ipv6/observed.json");
	assert_string_equal(json_string_value(json_object_get(obs(o, "name"), "addr")),
	                    "mapped:client");
	json_decref(o);
	assert_int_equal(run("mc --family 4", "mc4"), 1);
	log = run_log("mc4");
	assert_non_null(strstr(log, "error"));
	assert_non_null(
	    strstr(log, "line 4: mapped is an IPv6 socket's: pin the case with family 6"));
	free(log);
}

/* A failing variant's line, and its line in the tally, say its first
 * failing check: observed, then expected. */
static void test_fail_line(void **state)
{
	static const char wr[] = "case wr\n"
	                         "title a table that expects the wrong error\n"
	                         "client connect c to server:9 as connect\n";
	char *log;

	(void)state;
	REQUIRE_NETNS();
	write_case("wr", wr);
	write_table("wr", "connect.ret | * | - | -1 | connect(2)\n"
	                  "connect.errno | * | - | ECONNRESET | deliberately wrong\n");
	assert_int_equal(run("wr --family 4", "wr"), 1);
	log = run_log("wr");
	assert_non_null(strstr(log, "] wr ipv4 ... fail "));
	assert_non_null(strstr(log, "s: connect.errno: ECONNREFUSED (expected ECONNRESET)\n"));
	assert_non_null(
	    strstr(log, "\n  fail: wr ipv4: connect.errno: ECONNREFUSED (expected ECONNRESET)\n"));
	free(log);
	/* The observation has rows, none for this kernel: said so, not
	 * "(expected )". */
	write_table("wr", "connect.ret | * | - | -1 | connect(2)\n"
	                  "connect.errno | <2.6 | - | ECONNREFUSED | a kernel never run\n");
	assert_int_equal(run("wr --family 4", "wr2"), 1);
	log = run_log("wr2");
	assert_non_null(strstr(
	    log, "\n  fail: wr ipv4: connect.errno: ECONNREFUSED (no table row covers it here)\n"));
	free(log);
	/* Two checks fail: the first is shown, and how many others did (a
	 * line naming one of several misleads). */
	write_table("wr", "connect.ret | * | - | 0 | deliberately wrong\n"
	                  "connect.errno | * | - | ECONNRESET | deliberately wrong\n");
	assert_int_equal(run("wr --family 4", "wr3"), 1);
	log = run_log("wr3");
	assert_non_null(strstr(log, "\n  fail: wr ipv4: connect.ret: -1 (expected 0); 1 more check "
	                            "failed\n"));
	free(log);
}

/* route peer rto_min: the route's metric sets the retransmission timeout
 * toward the peer (tcp_rto_min(), a locked RTAX_RTO_MIN): a dropped
 * segment goes again after 600 ms, not the 200 ms of TCP_RTO_MIN. */
static void test_route_rto_min(void **state)
{
	static const char rm[] = "case rm\n"
	                         "title rto_min on the route to the peer\n"
	                         "sysctl client net.ipv4.tcp_early_retrans 0\n"
	                         "vary rto plain long\n"
	                         "when rto=long client route peer rto_min 600ms\n"
	                         "server listen L port 8000\n"
	                         "client connect c to server:8000\n"
	                         "server accept s from L\n"
	                         "wire drop c>s len=100 count=1\n"
	                         "client send c 100\n"
	                         "server recv s 100 as got\n"
	                         "observe wire times c>s len=100 as times\n";
	const char *v[] = {"rm/ipv4-rto=plain/observed.json", "rm/ipv4-rto=long/observed.json"};
	double at[2];

	(void)state;
	REQUIRE_NETNS();
	write_case("rm", rm);
	write_table("rm", "got.ret | * | - | 100 | recv(2)\n"
	                  "times[1] | * | rto=plain | 200ms..500ms | TCP_RTO_MIN\n"
	                  "times[1] | * | rto=long | 600ms..900ms | the route's rto_min\n");
	assert_int_equal(run("rm --family 4", "rm"), 0);
	for (int i = 0; i < 2; i++) {
		json_t *o = load("rm", v[i]);

		at[i] = json_real_value(json_array_get(obs(o, "times"), 1));
		json_decref(o);
	}
	assert_true(at[0] >= 200 && at[0] < 500);
	assert_true(at[1] >= 600 && at[1] < 900);
}

/* "accept ... nonblock" with nothing queued returns EAGAIN at once (it
 * once waited: SOCK_NONBLOCK alone is for the new socket). */
static void test_accept_nonblock(void **state)
{
	json_t *o, *v;

	(void)state;
	REQUIRE_NETNS();
	assert_int_equal(run("acceptnb --family 4", "anb"), 0);
	o = load("anb", "acceptnb/ipv4/observed.json");
	v = obs(o, "accept");
	assert_int_equal(json_integer_value(json_object_get(v, "ret")), -1);
	assert_string_equal(json_string_value(json_object_get(v, "errno")), "EAGAIN");
	json_decref(o);
}

/* --variant GLOB runs only the variants so named (a mutant's kill is
 * confirmed on one variant); one that matches nothing is exit 2 with
 * nothing written.  --in-order keeps the cases in the order named. */
static void test_variant_filter_and_order(void **state)
{
	char path[256];
	struct stat st;
	json_t *sum, *vars;

	(void)state;
	REQUIRE_NETNS();
	assert_int_equal(run("plain --variant ipv6", "vf"), 0);
	sum = load("vf", "summary.json");
	vars = json_object_get(sum, "variants");
	assert_int_equal(json_array_size(vars), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(vars, 0), "variant")),
	                    "ipv6");
	json_decref(sum);
	assert_int_equal(run("plain --variant 'ipv5*'", "vf2"), 2);
	assert_true(log_has("vf2", "--variant: no variant of the cases named matches 'ipv5*'"));
	snprintf(path, sizeof(path), "%s/vf2", tmp);
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(run("refused plain --in-order -j 1 --family 4", "io"), 0);
	sum = load("io", "summary.json");
	vars = json_object_get(sum, "variants");
	assert_int_equal(json_array_size(vars), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(vars, 0), "case")),
	                    "refused");
	assert_string_equal(json_string_value(json_object_get(json_array_get(vars, 1), "case")),
	                    "plain");
	json_decref(sum);
}

/* A variant that waits 1.5 s: what a test does to the machine meanwhile
 * shows in its timer slip. */
static const char slow[] = "case slow\n"
                           "title a variant that waits\n"
                           "family 4\n"
                           "wait 1500ms\n";

/* `tcpconform run slow -o TMP/@out` in a child, its stdout to /dev/null;
 * its pid. */
static pid_t run_slow_behind(const char *out)
{
	char dir[256];
	pid_t pid;

	write_case("slow", slow);
	snprintf(dir, sizeof(dir), "%s/%s", tmp, out);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char cases[128];

		snprintf(cases, sizeof(cases), "TCPCONFORM_CASES=%s/cases", tmp);
		putenv(cases);
		freopen("/dev/null", "w", stdout);
		execl("build/tcpconform", "tcpconform", "run", "slow", "-o", dir, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* The lateness of the harness's own timers (run/slip.h) is measured in
 * every variant, and a variant whose process was stopped for 400 ms while
 * it played shows at least that much: observed.json timer_slip_ms, and the
 * run's largest in summary.json. */
static void test_timer_slip_measured(void **state)
{
	char cmd[512];
	json_t *o, *sum;
	double v, quiet;
	pid_t pid;
	int st;

	(void)state;
	REQUIRE_NETNS();
	write_case("slow", slow);
	assert_int_equal(run("slow", "slip-quiet"), 0);
	o = load("slip-quiet", "slow/ipv4/observed.json");
	quiet = json_number_value(json_object_get(o, "timer_slip_ms"));
	assert_true(json_is_real(json_object_get(o, "timer_slip_ms")));
	assert_true(quiet >= 0 && quiet < 1500);
	json_decref(o);

	pid = run_slow_behind("slip-stopped");
	usleep(600 * 1000); /* inside the wait */
	snprintf(cmd, sizeof(cmd), "pkill -STOP -f '^tcpconform run slow -o %s/slip-stopped'", tmp);
	assert_int_equal(system(cmd), 0);
	usleep(400 * 1000);
	snprintf(cmd, sizeof(cmd), "pkill -CONT -f '^tcpconform run slow -o %s/slip-stopped'", tmp);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	o = load("slip-stopped", "slow/ipv4/observed.json");
	v = json_number_value(json_object_get(o, "timer_slip_ms"));
	json_decref(o);
	if (v < 350)
		fail_msg("timer_slip_ms %.1f after a 400 ms stop", v);
	sum = load("slip-stopped", "summary.json");
	assert_true(json_number_value(json_object_get(sum, "timer_slip_ms")) >= v);
	json_decref(sum);
}

/* The runner holds the kernel's receive timestamps on for the whole run
 * (host/netstamp.h: no static key flipped under running scenarios): while
 * a variant plays, one of the runner's own descriptors is a socket with
 * SO_TIMESTAMPNS set, taken from it with pidfd_getfd(2) and asked. */
static void test_netstamp_held(void **state)
{
	char path[64];
	struct dirent *de;
	pid_t pid;
	int pidfd, held = 0;
	DIR *d;

	(void)state;
	REQUIRE_NETNS();
	pid = run_slow_behind("netstamp");
	usleep(700 * 1000); /* inside the wait: the runner is still pid */
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		print_message("skipped: pidfd_open: %s\n", strerror(errno));
		waitpid(pid, NULL, 0);
		skip();
	}
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	d = opendir(path);
	assert_non_null(d);
	while ((de = readdir(d))) {
		int fd, on = 0, type = 0;
		socklen_t len = sizeof(on), tlen = sizeof(type);

		if (de->d_name[0] == '.')
			continue;
		fd = (int)syscall(SYS_pidfd_getfd, pidfd, atoi(de->d_name), 0);
		if (fd < 0)
			continue;
		if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) == 0 && type == SOCK_DGRAM &&
		    getsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, &len) == 0 && on)
			held++;
		close(fd);
	}
	closedir(d);
	close(pidfd);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	if (held != 1)
		fail_msg("%d datagram socket(s) with SO_TIMESTAMPNS in the runner, 1 expected",
		         held);
}

/* Busy for @ms on @cpu at a real-time priority: every ordinary thread that
 * may run only there waits; one free to move does not.  In a child. */
static pid_t hog_cpu(int cpu, int ms)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct sched_param sp = {.sched_priority = 10};
		struct timespec t0, now;
		cpu_set_t one;

		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		if (sched_setaffinity(0, sizeof(one), &one) != 0 ||
		    sched_setscheduler(0, SCHED_FIFO, &sp) != 0)
			_exit(77);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		do
			clock_gettime(CLOCK_MONOTONIC, &now);
		while ((now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000 < ms);
		_exit(0);
	}
	return pid;
}

/* A kernel timer fires on the CPU that armed it, so a stall of one CPU
 * (a guest's vCPU the host deschedules) delays it while the others run
 * on: the slip is measured on every CPU, and a 400 ms stall of the last
 * one shows although the variant's own threads could move elsewhere. */
static void test_timer_slip_one_cpu(void **state)
{
	cpu_set_t mask;
	json_t *o;
	double v;
	pid_t pid, hog;
	int st, cpu, last = -1;

	(void)state;
	REQUIRE_NETNS();
	assert_int_equal(sched_getaffinity(0, sizeof(mask), &mask), 0);
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &mask))
			last = cpu;
	if (CPU_COUNT(&mask) < 2) {
		print_message("skipped: one CPU, nothing to stall apart\n");
		skip();
	}
	pid = run_slow_behind("slip-one-cpu");
	usleep(600 * 1000); /* inside the wait */
	hog = hog_cpu(last, 400);
	assert_true(hog > 0);
	assert_int_equal(waitpid(hog, &st, 0), hog);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77) {
		print_message("skipped: no SCHED_FIFO here (%s)\n", strerror(EPERM));
		skip();
	}
	o = load("slip-one-cpu", "slow/ipv4/observed.json");
	v = json_number_value(json_object_get(o, "timer_slip_ms"));
	json_decref(o);
	if (v < 300)
		fail_msg("timer_slip_ms %.1f after CPU %d stalled for 400 ms", v, last);
}

/* SYNs into a wire that drops them, counted 1.5 s after the first: two
 * (0 s and 1 s, RFC 6298 2.1's initial RTO), unless the harness stalls
 * past the third (2 s under net.ipv4.tcp_syn_linear_timeouts' linear first
 * retries, 3 s with the backoff of older kernels): then what was counted
 * is not the scenario's. */
static const char slipsyn[] = "case slipsyn\n"
                              "title SYNs counted 1.5 s after the first\n"
                              "family 4\n"
                              "wire drop c>s flags=S\n"
                              "client connect c to server:8000 nonblock\n"
                              "wait 1500ms\n"
                              "observe wire count c>s flags=S as syns\n";
static const char slipsyn_table[] =
    "syns | * | - | 2 | RFC 6298 2.1: initial RTO 1 s (include/net/tcp.h TCP_TIMEOUT_INIT), "
    "the next at 2 or 3 s\n";

/* `tcpconform run slipsyn --rerun-slipped @ms -o TMP/@out`, the whole run
 * stopped from 0.6 s to 3.6 s (the harness frozen as a descheduled guest
 * is, the kernel's SYN timer not); its exit status. */
static int run_slipsyn_stopped(int ms, const char *out)
{
	char cmd[1024];
	int st;

	snprintf(
	    cmd, sizeof(cmd),
	    "TCPCONFORM_CASES=%s/cases build/tcpconform run slipsyn --rerun-slipped %d "
	    "-o %s/%s > %s/%s.log 2>&1 & pid=$!; sleep 0.6; "
	    "pkill -STOP -f '^build/tcpconform run slipsyn --rerun-slipped %d -o %s/%s'; sleep 3; "
	    "pkill -CONT -f '^build/tcpconform run slipsyn --rerun-slipped %d -o %s/%s'; wait $pid",
	    tmp, ms, tmp, out, tmp, out, ms, tmp, out, ms, tmp, out);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* --rerun-slipped: a variant that failed while the harness's timers woke
 * seconds late runs again, alone, and its verdict is that run's; the
 * earlier run is kept (DIR/run-1, summary.json earlier_runs, KTAP's
 * diagnostic, JUnit's flakyFailure).  The control: with reruns off the
 * same stall fails the variant, so the stall is what failed it. */
static void test_rerun_slipped(void **state)
{
	char path[512], *text;
	json_t *sum, *v, *r;
	const char *why;
	struct stat st;
	int rc;

	(void)state;
	REQUIRE_NETNS();
	write_case("slipsyn", slipsyn);
	write_table("slipsyn", slipsyn_table);

	rc = run_slipsyn_stopped(0, "rerun-off");
	sum = load("rerun-off", "summary.json");
	v = json_array_get(json_object_get(sum, "variants"), 0);
	if (rc != 1 || strcmp(json_string_value(json_object_get(v, "verdict")), "fail") != 0)
		fail_msg("stopped 3 s without reruns: exit %d, verdict %s (three SYNs expected)",
		         rc, json_string_value(json_object_get(v, "verdict")));
	assert_null(json_object_get(v, "earlier_runs"));
	assert_int_equal(json_integer_value(json_object_get(sum, "rerun")), 0);
	json_decref(sum);

	rc = run_slipsyn_stopped(200, "rerun-on");
	sum = load("rerun-on", "summary.json");
	if (rc != 0) {
		snprintf(path, sizeof(path), "cat %s/rerun-on.log", tmp);
		if (system(path) != 0)
			print_message("no log\n");
		fail_msg("run again after the stall: exit %d", rc);
	}
	assert_int_equal(json_integer_value(json_object_get(sum, "rerun")), 1);
	assert_int_equal(json_real_value(json_object_get(sum, "rerun_slipped_ms")), 200);
	v = json_array_get(json_object_get(sum, "variants"), 0);
	assert_string_equal(json_string_value(json_object_get(v, "verdict")), "pass");
	assert_int_equal(json_array_size(json_object_get(v, "earlier_runs")), 1);
	r = json_array_get(json_object_get(v, "earlier_runs"), 0);
	assert_string_equal(json_string_value(json_object_get(r, "verdict")), "fail");
	assert_string_equal(json_string_value(json_object_get(r, "check")), "syns");
	/* the check is named once, apart: its reason starts at the value */
	why = json_string_value(json_object_get(r, "reason"));
	assert_non_null(why);
	assert_true(strncmp(why, "syns", 4) != 0);
	assert_non_null(strstr(why, " (expected 2)"));
	assert_true(json_real_value(json_object_get(r, "timer_slip_ms")) > 2000);
	/* the run's largest slip counts the earlier run's */
	assert_true(json_real_value(json_object_get(sum, "timer_slip_ms")) >=
	            json_real_value(json_object_get(r, "timer_slip_ms")));
	json_decref(sum);
	/* the earlier run's results, below the variant's own */
	snprintf(path, sizeof(path), "%s/rerun-on/slipsyn/ipv4/run-1/observed.json", tmp);
	assert_int_equal(stat(path, &st), 0);
	snprintf(path, sizeof(path), "%s/rerun-on/slipsyn/ipv4/observed.json", tmp);
	assert_int_equal(stat(path, &st), 0);
	snprintf(path, sizeof(path), "%s/rerun-on/results.ktap", tmp);
	assert_int_equal(tl_sh(&text, "cat %s", path), 0);
	assert_non_null(strstr(text, "    # run 1 of 2: fail under a timer slip of "));
	assert_non_null(strstr(text, "\n  ok 1 ipv4\n"));
	free(text);
	snprintf(path, sizeof(path), "%s/rerun-on/junit.xml", tmp);
	assert_int_equal(tl_sh(&text, "cat %s", path), 0);
	assert_non_null(strstr(text, "<flakyFailure message=\"run 1 of 2, under a timer slip of "));
	free(text);
	snprintf(path, sizeof(path), "%s/rerun-on/report.html", tmp);
	assert_int_equal(tl_sh(&text, "cat %s", path), 0);
	assert_non_null(
	    strstr(text, "run 1 of 2: <span class=\"fail\">fail</span> under a timer slip"));
	free(text);
	assert_true(log_has("rerun-on", "[run 2] slipsyn ipv4 ... pass"));
}

/* Each variant says where its time went (observed.json phases_ms), and the
 * phases account for its wall; `bench variant` prints them. */
static void test_phases(void **state)
{
	static const char *const names[] = {"addrblock", "topology",   "sysctls", "tracer",
	                                    "counters",  "wire_start", "steps",   "close",
	                                    "wire_stop", "events",     "finish"};
	static const char phased[] = "case phased\n"
	                             "title a variant that waits\n"
	                             "family 4\n"
	                             "wait 200ms\n";
	json_t *o, *ph;
	double sum = 0, wall;
	char *out;
	size_t i;

	(void)state;
	REQUIRE_NETNS();
	write_case("phased", phased);
	assert_int_equal(run("phased", "phases"), 0);
	o = load("phases", "phased/ipv4/observed.json");
	ph = json_object_get(o, "phases_ms");
	assert_true(json_is_object(ph));
	assert_int_equal(json_object_size(ph), sizeof(names) / sizeof(names[0]));
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		json_t *v = json_object_get(ph, names[i]);

		if (!json_is_real(v) || json_real_value(v) < 0)
			fail_msg("phases_ms.%s missing or negative", names[i]);
		sum += json_real_value(v);
	}
	wall = json_real_value(json_object_get(o, "wall_ms"));
	/* the wait is in the steps, the phases cover the wall but for the
	 * record itself */
	assert_true(json_real_value(json_object_get(ph, "steps")) >= 200);
	if (sum > wall || sum < wall - 5)
		fail_msg("phases sum to %.2f ms of a %.2f ms wall", sum, wall);
	json_decref(o);

	assert_int_equal(tl_sh(&out, "build/tcpconform bench variant -n 2 refused"), 0);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_non_null(strstr(out, names[i]));
	assert_non_null(strstr(out, "variants=4 "));
	assert_non_null(strstr(out, "overhead_median_ms="));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_layout_and_observations),
	    cmocka_unit_test(test_timeout_killed_others_run),
	    cmocka_unit_test(test_lingering_process_killed),
	    cmocka_unit_test(test_limit_bounds_scenario_only),
	    cmocka_unit_test(test_parallel_same_as_serial),
	    cmocka_unit_test(test_bad_case_runs_nothing),
	    cmocka_unit_test(test_variant_limits),
	    cmocka_unit_test(test_flood),
	    cmocka_unit_test(test_route_nowhere),
	    cmocka_unit_test(test_route_fwmark),
	    cmocka_unit_test(test_timer_slip_measured),
	    cmocka_unit_test(test_timer_slip_one_cpu),
	    cmocka_unit_test(test_phases),
	    cmocka_unit_test(test_variant_filter_and_order),
	    cmocka_unit_test(test_any_address),
	    cmocka_unit_test(test_accept_nonblock),
	    cmocka_unit_test(test_tsoffset),
	    cmocka_unit_test(test_sockstat),
	    cmocka_unit_test(test_timeline_reused_tuple),
	    cmocka_unit_test(test_connect_mapped),
	    cmocka_unit_test(test_route_rto_min),
	    cmocka_unit_test(test_fail_line),
	    cmocka_unit_test(test_slip_limit_holds),
	    cmocka_unit_test(test_rerun_slipped),
	    cmocka_unit_test(test_netstamp_held),
	    cmocka_unit_test(test_wait_lacking_counter_skips),
	};

	return cmocka_run_group_tests_name("runner", tests, setup, teardown);
}
