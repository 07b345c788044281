// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_profile.c - sysctl profiles: every syntax form and every parse error
 * at file:line:col; the kernel's refusals (global key, removed key, unknown
 * key, rejected value) asked in a real throwaway namespace; applying a
 * profile to a case; and `tcpconform profile` end to end on tw-reuse and
 * fin-wait2-timeout, whose outcomes must move as the values predict.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

#include "host/netns.h"
#include "host/profile.h"
#include "host/sysctl.h"
#include "model/scenario.h"

static struct profile parse_ok(const char *text)
{
	struct profile pr;
	struct err e;

	if (profile_parse(text, strlen(text), "p.conf", &pr, &e) < 0)
		fail_msg("unexpected error: %s", e.msg);
	return pr;
}

static void bad(const char *text, const char *want)
{
	struct profile pr;
	struct err e;

	assert_int_equal(profile_parse(text, strlen(text), "p.conf", &pr, &e), -1);
	if (strcmp(e.msg, want) != 0)
		fail_msg("\n got  %s\n want %s", e.msg, want);
	assert_int_equal(e.kind, ERR_INPUT);
}

static void test_syntax(void **state)
{
	struct profile pr;

	(void)state;
	pr = parse_ok("# a comment\n"
	              "; another\n"
	              "\n"
	              "net.ipv4.tcp_tw_reuse = 1\n"
	              "net/ipv4/tcp_fin_timeout=15\n"
	              "  -net.ipv4.tcp_tw_recycle = 1\n"
	              "client:net.ipv4.tcp_syn_retries = 3\n"
	              "server: net.core.somaxconn\t=\t1024   \r\n"
	              "net.ipv4.ip_local_port_range = 32768   60999\n");
	assert_int_equal(pr.n, 6);
	assert_string_equal(pr.lines[0].key, "net.ipv4.tcp_tw_reuse");
	assert_string_equal(pr.lines[0].value, "1");
	assert_int_equal(pr.lines[0].line, 4);
	assert_int_equal(pr.lines[0].side, SIDE_BOTH);
	assert_string_equal(pr.lines[1].key, "net.ipv4.tcp_fin_timeout"); /* slash form */
	assert_string_equal(pr.lines[1].value, "15");
	assert_true(pr.lines[2].may_fail);
	assert_int_equal(pr.lines[2].col, 4);
	assert_int_equal(pr.lines[3].side, SIDE_CLIENT);
	assert_int_equal(pr.lines[4].side, SIDE_SERVER);
	assert_string_equal(pr.lines[4].value, "1024");
	assert_int_equal(pr.lines[4].vcol, 30);
	assert_string_equal(pr.lines[5].value, "32768   60999");
	profile_free(&pr);
}

static void test_parse_errors(void **state)
{
	(void)state;
	bad("net.ipv4.tcp_tw_reuse 1\n",
	    "p.conf:1:24: expected 'key = value' (sysctl.conf syntax)");
	bad("# ok\n = 1\n", "p.conf:2:2: expected a sysctl key before '='");
	bad("net.ipv4.tcp_tw_reuse =   \n", "p.conf:1:27: net.ipv4.tcp_tw_reuse: expected a value "
	                                    "after '='");
	bad("net.ipv4.tcp_tw_reuse = 1   # reuse\n",
	    "p.conf:1:29: sysctl.conf has no comments after a value: put it on a line of its own");
	bad("vm.swappiness = 10\n", "p.conf:1:1: sysctl key 'vm.swappiness': only net.* keys "
	                            "belong to a network namespace");
	bad("net.ipv4.conf.*.rp_filter = 1\n",
	    "p.conf:1:1: 'net.ipv4.conf.*.rp_filter': patterns are not supported, name each key");
	bad("client:  net..x = 1\n",
	    "p.conf:1:10: sysctl key 'net..x': empty or relative component");
}

static void refused(const char *text, const char *want)
{
	struct profile pr = parse_ok(text);
	struct err e;

	assert_int_equal(profile_check(&pr, &e), -1);
	if (!strstr(e.msg, want))
		fail_msg("\n got  %s\n want ...%s...", e.msg, want);
	assert_int_equal(e.kind, ERR_INPUT);
	profile_free(&pr);
}

/* The kernel is asked in a throwaway namespace; the host is only read. */
static void test_kernel_refusals(void **state)
{
	struct profile pr;
	struct err e;

	(void)state;
	REQUIRE_NETNS();
	if (!tl_userns_nested()) {
		refused("# x\nnet.ipv4.tcp_mem = 1 2 3\n",
		        "p.conf:2:1: net.ipv4.tcp_mem is global on "
		        "this kernel, not per network namespace");
		refused("net.ipv4.tcp_max_orphans = 10\n",
		        "p.conf:1:1: net.ipv4.tcp_max_orphans is global");
		refused("net.ipv4.tcp_no_such_thing = 1\n", "p.conf:1:1: unknown key");
	} else {
		/* Root of a user namespace (a rootless container): the initial
		 * network namespace cannot be seen, global is not told from
		 * unknown, and the message says so. */
		refused("# x\nnet.ipv4.tcp_mem = 1 2 3\n",
		        "p.conf:2:1: net.ipv4.tcp_mem is in no network namespace here: global on "
		        "this kernel, or unknown (the initial network namespace");
		refused("net.ipv4.tcp_no_such_thing = 1\n",
		        "p.conf:1:1: net.ipv4.tcp_no_such_thing is in no network namespace here");
	}
	refused("net.ipv4.tcp_tw_recycle = 1\n",
	        "p.conf:1:1: net.ipv4.tcp_tw_recycle is absent on this kernel: removed in 4.12");
	refused(
	    "net.ipv4.tcp_fin_timeout = soon\n",
	    "p.conf:1:28: net.ipv4.tcp_fin_timeout: the kernel rejects 'soon': Invalid argument");
	/* include/net/tcp.h MAX_TCP_SYNCNT 127 is the sysctl's maximum. */
	refused("net.ipv4.tcp_syn_retries = 200\n",
	        "p.conf:1:28: net.ipv4.tcp_syn_retries: the kernel "
	        "rejects '200'");
	/* '-': the line is skipped with the reason, the rest stands. */
	pr = parse_ok("-net.ipv4.tcp_tw_recycle = 1\nnet.ipv4.tcp_fin_timeout = 7\n");
	assert_int_equal(profile_check(&pr, &e), 0);
	assert_true(pr.lines[0].skipped);
	assert_non_null(strstr(pr.lines[0].note, "removed in 4.12"));
	assert_false(pr.lines[1].skipped);
	profile_free(&pr);
}

static void test_defaults_and_apply(void **state)
{
	static const char case_text[] = "case t\ntitle t\n"
	                                "vary client net.ipv4.tcp_fin_timeout 2 4\n"
	                                "vary net.ipv4.tcp_timestamps 0 1\n"
	                                "vary mode a b\n"
	                                "client socket c\n";
	struct profile pr, d;
	struct scenario sc;
	struct err e;
	unsigned axes[8];
	char name[256];
	int fam;

	(void)state;
	REQUIRE_NETNS();
	pr = parse_ok("net.ipv4.tcp_fin_timeout = 15\nclient:net.ipv4.tcp_timestamps = 0\n");
	assert_int_equal(profile_check(&pr, &e), 0);
	/* A new namespace starts from the kernel's defaults (ip-sysctl.rst):
	 * tcp_fin_timeout 60, tcp_timestamps 1. */
	assert_int_equal(profile_defaults(&pr, &d, &e), 0);
	assert_string_equal(d.lines[0].value, "60");
	assert_string_equal(d.lines[1].value, "1");
	profile_free(&d);

	assert_int_equal(scenario_parse(case_text, strlen(case_text), "t.case", &sc, &e), 0);
	assert_int_equal(scenario_variants(&sc), 16);
	assert_int_equal(profile_apply(&pr, &sc, &e), 0);
	/* fin_timeout (client axis, profile on both sides): collapsed; the
	 * timestamps axis is on both sides, the profile on the client only:
	 * it still varies. */
	assert_int_equal(scenario_variants(&sc), 8);
	assert_true(sc.axes[0].from_profile);
	assert_string_equal(sc.axes[0].values[0], "15");
	assert_false(sc.axes[1].from_profile);
	assert_int_equal(sc.noverrides, 2);
	assert_string_equal(sc.overrides[1].key, "net.ipv4.tcp_timestamps");
	assert_int_equal(sc.overrides[1].side, SIDE_CLIENT);
	scenario_variant(&sc, 1, &fam, axes, name, sizeof(name));
	assert_string_equal(name, "ipv6-tcp_timestamps=0-mode=a"); /* no fin_timeout in it */
	scenario_free(&sc);
	profile_free(&pr);
}

/* `tcpconform profile` on two shipped cases: tcp_tw_reuse 0 -> 1 makes
 * the reconnect after the reuse delay succeed (net/ipv4/tcp_ipv4.c
 * tcp_twsk_unique(): reuse=1 and a TIME_WAIT older than 1 s), and
 * tcp_fin_timeout 5 -> 3 shortens the orphan's timer to 3000 ms. */
static void test_profile_command(void **state)
{
	char dir[] = "/tmp/tcpconform-profile-XXXXXX", cmd[1024], path[256], *out = NULL;
	FILE *f;
	size_t len = 0;
	int st;
	json_t *p;
	json_error_t je;

	(void)state;
	REQUIRE_NETNS();
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/new.conf", dir);
	f = fopen(path, "w");
	fputs("net.ipv4.tcp_fin_timeout = 3\nclient:net.ipv4.tcp_tw_reuse = 1\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/old.conf", dir);
	f = fopen(path, "w");
	fputs("net.ipv4.tcp_fin_timeout = 5\nclient:net.ipv4.tcp_tw_reuse = 0\n", f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
	         "build/tcpconform profile %s/new.conf --against %s/old.conf tw-reuse "
	         "fin-wait2-timeout -o %s/out",
	         dir, dir, dir);
	f = popen(cmd, "r");
	assert_non_null(f);
	{
		char buf[4096];
		size_t n;
		FILE *m = open_memstream(&out, &len);

		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, n, m);
		fclose(m);
	}
	st = pclose(f);
	fputs(out, stdout);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_non_null(strstr(out, "client:net.ipv4.tcp_tw_reuse = 1 (was 0)"));
	/* The line number follows the case file; the rest is the claim. */
	assert_non_null(strstr(out, "reconnect [client.tcp_timestamps=1-when=later (IPv4, IPv6)] "
	                            "(line "));
	assert_non_null(strstr(out, ": client connect c2 to server:8000): -1 "
	                            "EADDRNOTAVAIL -> 0"));
	assert_non_null(strstr(out, "orphan_timer [IPv4, IPv6] (line "));
	snprintf(path, sizeof(path), "%s/out/profile/profile.json", dir);
	p = json_load_file(path, 0, &je);
	assert_non_null(p);
	assert_true(json_array_size(json_object_get(p, "changes")) >= 3);
	{
		/* The orphan's timer as inet_diag reads it, a little after it
		 * started: tcp_fin_timeout 5 s, then 3 s. */
		json_t *c;
		size_t i;
		int seen = 0;

		json_array_foreach(json_object_get(p, "changes"), i, c)
		{
			const char *obs = json_string_value(json_object_get(c, "observation"));
			double before = atof(json_string_value(json_object_get(c, "before")));
			double after = atof(json_string_value(json_object_get(c, "after")));

			if (strcmp(obs, "orphan_timer") != 0)
				continue;
			seen = 1;
			assert_true(before > 4500 && before <= 5000);
			assert_true(after > 2700 && after <= 3000);
		}
		assert_true(seen);
	}
	assert_int_equal(json_array_size(json_object_get(p, "unexpected")), 0);
	json_decref(p);
	/* The report carries the section. */
	snprintf(cmd, sizeof(cmd), "grep -q 'What the profile changes' %s/out/profile/report.html",
	         dir);
	assert_int_equal(system(cmd), 0);
	free(out);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* Lines whose write would reach the host are refused before the kernel is
 * asked (asking writes the value in the throwaway namespace), also by
 * sysctl_write() itself; `run --sysctl` exits 2 and the host's lists of
 * allowed and loaded algorithms and its default stay as they were. */
static void test_host_effects(void **state)
{
	char before[1024], after[1024], dir[] = "/tmp/tcpconform-hostfx-XXXXXX", cmd[512];
	struct profile pr;
	struct err e;
	FILE *f;
	int st, ns;

	(void)state;
	REQUIRE_NETNS();
	tl_host_cc(before, sizeof(before));
	refused("net.ipv4.tcp_fin_timeout = 7\nnet.ipv4.tcp_allowed_congestion_control = reno\n",
	        "p.conf:2:1: net.ipv4.tcp_allowed_congestion_control would change the host");
	refused("net.ipv4.tcp_congestion_control = nosuchcc\n",
	        "p.conf:1:35: net.ipv4.tcp_congestion_control = nosuchcc would change the host");
	refused("server:net.ipv4.tcp_congestion_control = reno nosuchcc\n",
	        "tcp_set_default_congestion_control()");
	/* reno is always allowed (tcp_reno: TCP_CONG_NON_RESTRICTED). */
	pr = parse_ok("net.ipv4.tcp_congestion_control = reno\n");
	if (profile_check(&pr, &e) < 0)
		fail_msg("%s", e.msg);
	profile_free(&pr);
	/* '-': skipped with the reason, like a key the kernel refuses. */
	pr = parse_ok("-net.ipv4.tcp_allowed_congestion_control = reno\n");
	assert_int_equal(profile_check(&pr, &e), 0);
	assert_true(pr.lines[0].skipped);
	assert_non_null(strstr(pr.lines[0].note, "would change the host"));
	profile_free(&pr);
	/* The one write path refuses them too. */
	ns = netns_create(&e);
	assert_true(ns >= 0);
	assert_int_equal(sysctl_write(ns, "net/ipv4/tcp_congestion_control", "nosuchcc", &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	assert_non_null(strstr(e.msg, "would change the host"));
	assert_int_equal(sysctl_write(ns, "net.ipv4.tcp_allowed_congestion_control", "reno", &e),
	                 -1);
	assert_non_null(strstr(e.msg, "would change the host"));
	close(ns);
	/* End to end. */
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "%s/p.conf", dir);
	f = fopen(cmd, "w");
	assert_non_null(f);
	fputs("net.ipv4.tcp_congestion_control = nosuchcc\n"
	      "net.ipv4.tcp_allowed_congestion_control = reno nosuchcc\n",
	      f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
	         "build/tcpconform run --sysctl %s/p.conf -o %s/out handshake > %s/log 2>&1", dir,
	         dir, dir);
	st = system(cmd);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 2);
	snprintf(cmd, sizeof(cmd), "grep -q 'p.conf:1:35: .*would change the host' %s/log", dir);
	assert_int_equal(system(cmd), 0);
	tl_host_cc(after, sizeof(after));
	assert_string_equal(before, after);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* Every shipped example profile parses and the kernel takes every line
 * (or skips a '-' line with a reason). */
static void test_shipped_profiles(void **state)
{
	static const char *const files[] = {"fixtures/profiles/kernel-defaults.conf",
	                                    "fixtures/profiles/web-server.conf",
	                                    "fixtures/profiles/time-wait-fix.conf"};
	size_t i;

	(void)state;
	REQUIRE_NETNS();
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct profile pr;
		struct err e;

		if (profile_load(files[i], &pr, &e) < 0 || profile_check(&pr, &e) < 0)
			fail_msg("%s", e.msg);
		assert_true(pr.n >= 4);
		profile_free(&pr);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_syntax),           cmocka_unit_test(test_parse_errors),
	    cmocka_unit_test(test_kernel_refusals),  cmocka_unit_test(test_defaults_and_apply),
	    cmocka_unit_test(test_shipped_profiles), cmocka_unit_test(test_profile_command),
	    cmocka_unit_test(test_host_effects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
