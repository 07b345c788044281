// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_cli.c - the command line as a user meets it, through the real
 * binary (build/tcpconform, run from the top directory): every command's
 * --help (each option, its value, its default; exit 0 and nothing else
 * done), `help CMD` the same text, the top-level usage whole, a missing
 * option value named at its column, no "-1" (nor 0) position in an error
 * without one, --color and NO_COLOR on a real run, nstat's counter names
 * and ss's state names in a case and its table, JUnit times, and `vm`
 * refusing a bad case name or run option before any kernel is looked up.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#include "base/error.h"

#define BIN "build/tcpconform"

static char tmp[64];

static int setup(void **state)
{
	(void)state;
	return tl_tmpdir(tmp, sizeof(tmp), "cli");
}

static int teardown(void **state)
{
	(void)state;
	return tl_rmtree(tmp);
}

/* What one command did. */
struct res {
	int rc;
	char *out, *err;
	double secs;
};

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = calloc(1, 1 << 20);
	size_t n;

	assert_non_null(buf);
	if (!fp)
		return buf;
	n = fread(buf, 1, (1 << 20) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* sh -c "@fmt", stdout and stderr kept apart. */
static struct res sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static struct res sh(const char *fmt, ...)
{
	char cmd[4096], full[4400], o[128], e[128];
	struct timespec t0, t1;
	struct res r;
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(o, sizeof(o), "%s/out", tmp);
	snprintf(e, sizeof(e), "%s/err", tmp);
	snprintf(full, sizeof(full), "( %s ) >%s 2>%s", cmd, o, e);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	st = system(full);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r.rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	r.out = slurp(o);
	r.err = slurp(e);
	r.secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return r;
}

static void res_free(struct res *r)
{
	free(r->out);
	free(r->err);
}

static void has(const char *text, const char *what, const char *where)
{
	if (!strstr(text, what))
		fail_msg("%s: no \"%s\" in:\n%s", where, what, text);
}

/* Every command, each of its options as its usage writes them, and the
 * defaults it must state. */
static const struct {
	const char *cmd;
	const char *opts[20];
} commands[] = {
    {"run",
     {"-j, --jobs N", "(default 24)", "1 to 256", "-o, --output DIR", "--family 4|6",
      "--sysctl FILE", "--repeat N", "(default 1)", "--kernel-config FILE", "--in-order",
      "--variant GLOB", "--color[=WHEN]", "(default auto)", "-h, --help", NULL}},
    {"profile",
     {"--against FILE2", "-j, --jobs N", "(default 24)", "-o, --output DIR", "--family 4|6",
      "--color[=WHEN]", "--system", "--root DIR", "--strict", "-h, --help", NULL}},
    {"vm",
     {"--kernel SPEC", "--kernels SPEC,...", "--vms N", "--list-kernels", "-o, --output DIR",
      "--timeout S", "(default 1800)", "--boot-timeout S", "(default 120)", "--memory MB",
      "(default 1024)", "--accel auto|kvm|tcg", "-j, --jobs N", "--variant GLOB", "--in-order",
      "--color[=WHEN]", "-h, --help", NULL}},
    {"guest-send", {"DIR", "-h, --help", NULL}},
    {"diff", {"DIR_A DIR_B", "-h, --help", NULL}},
    {"report", {"-o, --output FILE", "(default results/matrix.html)", "-h, --help", NULL}},
    {"coverage",
     {"[RESULTS...]", "-o, --output FILE", "(default results/coverage.json)", "--transitions FILE",
      "(default fixtures/coverage/transitions)", "--timers FILE",
      "(default fixtures/coverage/timers)", "-v, --verbose", "-h, --help", NULL}},
    {"list", {"[CASE...]", "-h, --help", NULL}},
    {"check", {"[CASE...]", "-h, --help", NULL}},
    {"bench", {"topology", "wire", "variant", "kernel-loop", "mutants", "-h, --help", NULL}},
    {"bench variant", {"[CASE]", "-n, --runs N", "(default 20)", "-h, --help", NULL}},
    {"bench topology",
     {"-n, --count N", "(default 200)", "--ip-n M", "(default 20)", "--shape wire|direct",
      "(default wire)", "-h, --help", NULL}},
    {"bench wire",
     {"-n, --count ROUNDTRIPS", "(default 10000)", "--rate", "--mb MB", "(default 256)",
      "-h, --help", NULL}},
    {"bench kernel-loop",
     {"src:PATH", "--file FILE", "(default net/ipv4/tcp_minisocks.c)", "-o, --output DIR",
      "-h, --help", NULL}},
    {"bench mutants",
     {"src:PATH", "--functions F,...", "--files FILE,...", "--sample N", "--seed S", "--ids ID,...",
      "--first CASE,...", "-o, --output DIR", "--list", "--baseline-runs N", "(default 2)",
      "-h, --help", NULL}},
    {"version", {"-h, --help", NULL}},
    {"help", {"[COMMAND [SUBCOMMAND]]", "-h, --help", NULL}},
};

/* CMD --help and -h: the usage with every option, exit 0, nothing on
 * stderr; `help CMD` prints the same. */
static void test_help_every_command(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const char *c = commands[i].cmd;
		struct res a = sh(BIN " %s --help", c), b = sh(BIN " %s -h", c),
		           h = sh(BIN " help %s", c);
		char head[128];

		if (a.rc != 0)
			fail_msg("%s --help: exit %d: %s%s", c, a.rc, a.out, a.err);
		assert_int_equal(b.rc, 0);
		assert_int_equal(h.rc, 0);
		assert_string_equal(a.err, "");
		snprintf(head, sizeof(head), "usage: tcpconform %s ", c);
		if (strncmp(a.out, head, strlen(head)) != 0)
			fail_msg("%s --help starts: %.80s", c, a.out);
		for (k = 0; commands[i].opts[k]; k++)
			has(a.out, commands[i].opts[k], c);
		assert_string_equal(a.out, b.out);
		if (strcmp(a.out, h.out) != 0)
			fail_msg("help %s differs from %s --help:\n%s\n---\n%s", c, c, h.out,
			         a.out);
		res_free(&a);
		res_free(&b);
		res_free(&h);
	}
}

/* --help does nothing else: no results directory, no stream on stdout,
 * wherever it stands among the other arguments. */
static void test_help_does_nothing_else(void **state)
{
	struct res r;
	struct stat st;
	char dir[128];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/never", tmp);
	r = sh(BIN " run refused -o %s --help", dir);
	assert_int_equal(r.rc, 0);
	assert_int_not_equal(stat(dir, &st), 0);
	res_free(&r);
	r = sh(BIN " guest-send %s --help | head -c 6", tmp);
	assert_string_equal(r.out, "usage:");
	res_free(&r);
	r = sh(BIN " diff --help /a /b");
	assert_int_equal(r.rc, 0);
	has(r.out, "usage: tcpconform diff", "diff --help");
	res_free(&r);
	/* "-o -h": -h is -o's value, not a request for help */
	r = sh(BIN " report -o -h");
	assert_int_equal(r.rc, 2);
	has(r.err, "report needs one or more result directories", "report -o -h");
	res_free(&r);
}

/* The top-level usage names every command with its whole synopsis. */
static void test_top_usage_whole(void **state)
{
	static const char *const lines[] = {"run [OPTION...] [CASE...]",
	                                    "profile [OPTION...] INPUT... [CASE...]",
	                                    "vm [OPTION...] [CASE...]",
	                                    "guest-send DIR",
	                                    "diff DIR_A DIR_B",
	                                    "report [OPTION...] DIR...",
	                                    "coverage [OPTION...] [RESULTS...]",
	                                    "list [CASE...]",
	                                    "check [CASE...]",
	                                    "bench COMMAND",
	                                    "version",
	                                    "help [COMMAND [SUBCOMMAND]]",
	                                    NULL};
	struct res a = sh(BIN " --help"), b = sh(BIN " help"), c = sh(BIN);
	size_t i;

	(void)state;
	assert_int_equal(a.rc, 0);
	assert_int_equal(b.rc, 0);
	assert_int_equal(c.rc, 2);
	for (i = 0; lines[i]; i++)
		has(a.out, lines[i], "tcpconform --help");
	assert_string_equal(a.out, b.out);
	assert_string_equal(a.out, c.err);
	res_free(&a);
	res_free(&b);
	res_free(&c);
}

/* "OPTION needs a value", at the option's column. */
static void test_missing_value(void **state)
{
	static const struct {
		const char *args, *msg;
	} cases[] = {
	    /* "build/tcpconform " is 17 columns: the command starts at 18 */
	    {"run -j", "command line:1:22: -j needs a value"},
	    {"run refused --jobs", "command line:1:30: --jobs needs a value"},
	    {"run --variant", "command line:1:22: --variant needs a value"},
	    {"profile p --against", "command line:1:28: --against needs a value"},
	    {"report -o", "command line:1:25: -o needs a value"},
	    {"coverage --timers", "command line:1:27: --timers needs a value"},
	    {"vm --kernel", "command line:1:21: --kernel needs a value"},
	    {"vm --kernel debian:6.1 -j", "command line:1:41: -j needs a value"},
	    {"bench wire -n", "command line:1:29: -n needs a value"},
	    {"bench mutants src:/x --seed", "command line:1:39: --seed needs a value"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct res r = sh(BIN " %s", cases[i].args);

		if (r.rc != 2 || !strstr(r.err, cases[i].msg))
			fail_msg("%s: exit %d, stderr:\n%s(wanted %s)", cases[i].args, r.rc, r.err,
			         cases[i].msg);
		res_free(&r);
	}
}

/* Other command-line errors the same way: unknown options (not taken for
 * case names), values given to flags, case names that match nothing. */
static void test_bad_options(void **state)
{
	static const struct {
		const char *args, *msg;
	} cases[] = {
	    {"check --frob", "command line:1:24: unknown option '--frob'"},
	    {"list -x", "command line:1:23: unknown option '-x'"},
	    {"list no-such-case", "command line:1:23: no case matches 'no-such-case'"},
	    {"run --in-order=yes", "command line:1:32: --in-order takes no value"},
	    {"run --color=blue", "--color: 'blue' is not auto, always or never"},
	    {"run --fam 5", "command line:1:28: --family: '5' is not 4 or 6"},
	    {"run --rep 2 -o x", "-o and --repeat"},
	    {"run --re 2", "command line:1:22: ambiguous option '--re'"},
	    {"run --rerun-slipped 10001",
	     "command line:1:38: --rerun-slipped: '10001' is not a number from 0 to 10000"},
	    {"help frob", "command line:1:23: unknown command 'frob'"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct res r = sh(BIN " %s", cases[i].args);

		if (r.rc != 2 || !strstr(r.err, cases[i].msg))
			fail_msg("%s: exit %d, stderr:\n%s(wanted %s)", cases[i].args, r.rc, r.err,
			         cases[i].msg);
		assert_string_equal(r.out, "");
		res_free(&r);
	}
}

/* An error without a position has none: never -1 (jansson's "none"), nor 0. */
static void test_no_bogus_position(void **state)
{
	struct res r;
	struct err e;
	char path[128];
	FILE *fp;

	(void)state;
	err_at(&e, "f.json", 0, 0, "no position");
	assert_string_equal(e.msg, "f.json: no position");
	err_at(&e, "f.json", 3, 0, "a line only");
	assert_string_equal(e.msg, "f.json:3: a line only");
	err_at(&e, "f.json", 3, 7, "both");
	assert_string_equal(e.msg, "f.json:3:7: both");

	r = sh(BIN " diff /nonexist /x");
	assert_int_equal(r.rc, 2);
	assert_null(strstr(r.err, "-1"));
	has(r.err, "/nonexist", "diff /nonexist /x");
	res_free(&r);
	/* an empty summary.json: jansson has no column for it */
	snprintf(path, sizeof(path), "%s/empty/summary.json", tmp);
	r = sh("mkdir -p %s/empty", tmp);
	res_free(&r);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fclose(fp);
	r = sh(BIN " diff %s/empty %s/empty", tmp, tmp);
	assert_int_equal(r.rc, 2);
	has(r.err, "summary.json:1: not valid JSON", "diff of an empty summary.json");
	/* ":-1", not "-1": the temporary directory's name may hold a "-1". */
	assert_null(strstr(r.err, ":-1"));
	assert_null(strstr(r.err, ":0:"));
	res_free(&r);
}

/* --color and NO_COLOR on a real run of `refused`: piped, no colour;
 * forced, colour; on a terminal (script(1)), colour unless NO_COLOR. */
static void test_color(void **state)
{
	char plain[64], coloured[64], why[256];
	struct res r;
	bool pass;

	(void)state;
	REQUIRE_NETNS();
	/* "skip" where its timeline cannot be observed (no tracefs, a user
	 * namespace): the colours are what this test is about. */
	pass = tl_tracepoints(why, sizeof(why));
	r = sh(BIN " run refused --family 4 -o %s/c1", tmp);
	assert_int_equal(r.rc, 0);
	snprintf(plain, sizeof(plain), "refused ipv4 ... %s", pass ? "pass" : "skip");
	snprintf(coloured, sizeof(coloured), "\033[%sm%s\033[0m", pass ? "32" : "33",
	         pass ? "pass" : "skip");
	has(r.out, plain, "piped");
	assert_null(strchr(r.out, '\033'));
	res_free(&r);
	r = sh(BIN " run refused --family 4 -o %s/c2 --color=always", tmp);
	has(r.out, coloured, "--color=always");
	res_free(&r);
	r = sh("NO_COLOR=1 " BIN " run refused --family 4 -o %s/c3 --color", tmp);
	has(r.out, coloured, "NO_COLOR=1 --color");
	res_free(&r);
	r = sh(BIN " run refused --family 4 -o %s/c4 --color=never", tmp);
	assert_null(strchr(r.out, '\033'));
	res_free(&r);
	if (!tl_have("script")) {
		print_message("note: script(1) missing: colour on a terminal not tested\n");
		return;
	}
	r = sh("script -qec '" BIN " run refused --family 4 -o %s/c5' /dev/null", tmp);
	has(r.out, coloured, "a terminal");
	res_free(&r);
	r = sh("NO_COLOR= script -qec '" BIN " run refused --family 4 -o %s/c6' /dev/null", tmp);
	has(r.out, coloured, "a terminal, NO_COLOR empty");
	res_free(&r);
	r = sh("NO_COLOR=1 script -qec '" BIN " run refused --family 4 -o %s/c7' /dev/null", tmp);
	has(r.out, plain, "a terminal, NO_COLOR=1");
	assert_null(strchr(r.out, '\033'));
	res_free(&r);
}

static void put(const char *rel, const char *text)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* nstat's counter names and ss's state names in a case, ss's in its
 * table; the results keep the harness's own names. */
static const char spell_case[] = "case spell\n"
                                 "title nstat and ss spellings\n"
                                 "server listen  L port 8000\n"
                                 "client connect c to server:8000\n"
                                 "server accept  s from L\n"
                                 "wait until client c state ESTAB within 2s\n"
                                 "client shutdown c wr\n"
                                 "server recv    s                          as eof\n"
                                 "wait until server s state CLOSE-WAIT within 2s\n"
                                 "wait until client c state FIN-WAIT-2 within 2s\n"
                                 "observe client c state                    as client_state\n"
                                 "observe server s state                    as server_state\n"
                                 "observe server diag CLOSE-WAIT count      as close_waits\n"
                                 "observe server diag TCP_LISTEN count      as listeners\n"
                                 "observe client counter TcpActiveOpens     as opens\n"
                                 "observe server counter TcpPassiveOpens    as passive\n"
                                 "observe server counter TcpExtListenDrops  as drops\n"
                                 "observe server counter IpExtInOctets      as octets\n"
                                 "observe server counter TcpExtNoSuchThing  as nosuch\n";
static const char spell_table[] =
    "eof.ret      | * | - | 0          | RFC 9293 3.6: the FIN\n"
    "client_state | * | - | FIN-WAIT-2 | RFC 9293 3.6, in ss(8)'s words\n"
    "server_state | * | - | CLOSE-WAIT | RFC 9293 3.6, in ss(8)'s words\n"
    "close_waits  | * | - | 1          | net/ipv4/inet_diag.c inet_diag_dump_icsk()\n"
    "listeners    | * | - | 1          | net/ipv4/inet_diag.c inet_diag_dump_icsk()\n"
    "opens        | * | - | 1          | RFC 4022 tcpActiveOpens\n"
    "passive      | * | - | 1          | RFC 4022 tcpPassiveOpens\n"
    "drops        | * | - | 0          | net/ipv4/tcp_ipv4.c tcp_v4_syn_recv_sock()\n"
    "octets       | * | - | >0         | net/ipv4/ip_input.c ip_rcv_core() IPSTATS_MIB_INOCTETS\n"
    "nosuch       | * | - | 0          | no such counter: a skip, named canonically\n";

static void test_nstat_and_ss_names(void **state)
{
	struct res r;
	char *obs, *sum;
	char path[256];

	(void)state;
	r = sh("mkdir -p %s/spell/cases %s/spell/fixtures", tmp, tmp);
	res_free(&r);
	put("spell/cases/spell.case", spell_case);
	put("spell/fixtures/spell.table", spell_table);
	r = sh("TCPCONFORM_CASES=%s/spell/cases " BIN " check spell", tmp);
	if (r.rc != 0)
		fail_msg("check spell: exit %d: %s", r.rc, r.err);
	res_free(&r);
	/* a name neither way is still refused, at its column */
	put("spell/cases/bad.case", "case bad\ntitle t\nobserve client counter NoMib as x\n"
	                            "observe client diag TIME-WAITING as y\n");
	r = sh("TCPCONFORM_CASES=%s/spell/cases " BIN " check bad", tmp);
	assert_int_equal(r.rc, 2);
	has(r.err, "bad.case:3:24: counters are MIB.Name", "NoMib");
	res_free(&r);
	REQUIRE_NETNS();
	r = sh("TCPCONFORM_CASES=%s/spell/cases " BIN " run spell --family 4 -o %s/spell/out", tmp,
	       tmp);
	if (r.rc != 0)
		fail_msg("run spell: exit %d:\n%s%s", r.rc, r.out, r.err);
	res_free(&r);
	snprintf(path, sizeof(path), "%s/spell/out/spell/ipv4/observed.json", tmp);
	obs = slurp(path);
	/* canonical names in the results */
	has(obs, "\"FIN_WAIT2\"", "observed.json");
	has(obs, "\"CLOSE_WAIT\"", "observed.json");
	has(obs, "this kernel has no counter TcpExt.NoSuchThing", "observed.json");
	free(obs);
	snprintf(path, sizeof(path), "%s/spell/out/summary.json", tmp);
	sum = slurp(path);
	assert_null(strstr(sum, "\"fail\""));
	free(sum);
}

/* junit.xml: a time on every testcase, testsuite and on testsuites, from
 * the variants' wall time; xmllint still reads it. */
static void test_junit_time(void **state)
{
	struct res r;
	char path[256], *x, *p;
	size_t cases = 0;

	(void)state;
	REQUIRE_NETNS();
	r = sh(BIN " run refused -o %s/j", tmp);
	assert_int_equal(r.rc, 0);
	res_free(&r);
	snprintf(path, sizeof(path), "%s/j/junit.xml", tmp);
	x = slurp(path);
	has(x, "<testsuites name=\"tcpconform\" tests=\"", "junit.xml");
	p = strstr(x, "<testsuites ");
	assert_non_null(strstr(p, "time=\""));
	assert_true(strstr(p, "time=\"") < strchr(p, '>'));
	for (p = x; (p = strstr(p, "<testsuite ")) != NULL; p++)
		assert_true(strstr(p, " time=\"") && strstr(p, " time=\"") < strchr(p, '>'));
	for (p = x; (p = strstr(p, "<testcase ")) != NULL; p++) {
		char *t = strstr(p, " time=\"");

		assert_non_null(t);
		assert_true(t < strchr(p, '>'));
		assert_true(atof(t + 7) >= 0);
		cases++;
	}
	assert_true(cases >= 2);
	free(x);
	if (tl_have("xmllint")) {
		r = sh("xmllint --noout %s", path);
		assert_int_equal(r.rc, 0);
		res_free(&r);
	}
}

/* vm checks run's options and the case names on the host, before any
 * kernel is looked up (apt-cache and apt-get are fakes that say when they
 * ran; the kernel cache is empty), and at once. */
static void test_vm_checks_first(void **state)
{
	static const struct {
		const char *args, *msg;
	} cases[] = {
	    {"--kernel debian:9.99 no-such-case",
	     "command line:1:42: no case matches 'no-such-case'"},
	    {"no-such-case --kernel debian:9.99",
	     "command line:1:21: no case matches 'no-such-case'"},
	    {"--kernels debian:9.99,host refused nope",
	     "command line:1:56: no case matches 'nope'"},
	    {"--kernel debian:9.99 -j 0 refused", "command line:1:45: -j: '0' is not a number"},
	    {"--kernel debian:9.99 --jobs", "command line:1:42: --jobs needs a value"},
	    {"--kernel debian:9.99 --color=blue", "'blue' is not auto, always or never"},
	    {"--kernel debian:9.99 --frob", "command line:1:42: unknown option '--frob'"},
	    {"--kernel debian:9.99 --repeat 2", "command line:1:42: vm: --repeat is for runs on"},
	    {"--kernel debian:9.99 --kernel-config f",
	     "command line:1:42: vm: --kernel-config is for"},
	    {"--kernel debian:9.99 --sysctl /nonexistent/p.conf", "/nonexistent/p.conf"},
	    {"--kernel debian:9.99 --family 5", "command line:1:51: --family: '5' is not 4 or 6"},
	    {"--list-kernels --kernel debian:9.99", "vm: --list-kernels lists, it boots nothing"},
	    {"--kernels host,debian:list",
	     "command line:1:36: --kernels: debian:list lists kernels"},
	    {"--kernel debian:9.99@woody",
	     "command line:1:42: --kernel: debian: woody is not a suite"},
	};
	char log[128];
	struct res r;
	struct stat st;
	size_t i;

	(void)state;
	r = sh("mkdir -p %s/fake %s/cache && for t in apt-get apt-cache; do "
	       "printf '#!/bin/sh\\necho \"$0 $*\" >> %s/apt.log\\nexit 1\\n' > %s/fake/$t; "
	       "chmod +x %s/fake/$t; done",
	       tmp, tmp, tmp, tmp, tmp);
	assert_int_equal(r.rc, 0);
	res_free(&r);
	snprintf(log, sizeof(log), "%s/apt.log", tmp);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = sh("PATH=%s/fake:$PATH XDG_CACHE_HOME=%s/cache " BIN " vm %s", tmp, tmp,
		       cases[i].args);
		if (r.rc != 2 || !strstr(r.err, cases[i].msg))
			fail_msg("vm %s: exit %d, stderr:\n%s(wanted %s)", cases[i].args, r.rc,
			         r.err, cases[i].msg);
		if (stat(log, &st) == 0)
			fail_msg("vm %s looked the kernel up before refusing its command line",
			         cases[i].args);
		assert_true(r.secs < 2.0);
		res_free(&r);
	}
	/* The control: with a good command line the fake apt is asked (and
	 * fails, so nothing is fetched or booted). */
	r = sh("PATH=%s/fake:$PATH XDG_CACHE_HOME=%s/cache " BIN " vm --kernel debian:9.99 refused",
	       tmp, tmp);
	assert_int_equal(r.rc, 3);
	/* where no static harness is built (make sanitize), vm stops at that,
	 * before the kernel: the fake apt is then not reached either */
	if (!strstr(r.err, "static harness") && !strstr(r.err, "tcpconform-static"))
		assert_int_equal(stat(log, &st), 0);
	res_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_help_every_command),
	    cmocka_unit_test(test_help_does_nothing_else),
	    cmocka_unit_test(test_top_usage_whole),
	    cmocka_unit_test(test_missing_value),
	    cmocka_unit_test(test_bad_options),
	    cmocka_unit_test(test_no_bogus_position),
	    cmocka_unit_test(test_color),
	    cmocka_unit_test(test_nstat_and_ss_names),
	    cmocka_unit_test(test_junit_time),
	    cmocka_unit_test(test_vm_checks_first),
	};

	return cmocka_run_group_tests_name("cli", tests, setup, teardown);
}
