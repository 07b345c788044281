// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_profile.c - sysctl profiles as operators deploy them: every syntax
 * form, lines that are no setting kept with their problem (and refused at
 * file:line:col under --strict), later settings winning, directories read
 * as sysctl.d(5) reads them (lexical order; /etc over /run over /usr/lib
 * with --system; a link to /dev/null masking), globs with their
 * exclusions, the output of `sysctl -a`, files mixing keys of every kind;
 * the kernel's verdict on each key asked in a real throwaway namespace;
 * case premises against axes; and `tcpconform profile` end to end.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* The line of @pr that sets @key (the last one). */
static const struct profile_line *line_of(const struct profile *pr, const char *key)
{
	const struct profile_line *l = NULL;
	size_t i;

	for (i = 0; i < pr->n; i++)
		if (!strcmp(pr->lines[i].l.key, key))
			l = &pr->lines[i];
	if (!l)
		fail_msg("no line sets %s", key);
	return l;
}

static void expect_state(const struct profile *pr, const char *key, enum pstate s,
                         const char *note_part)
{
	const struct profile_line *l = line_of(pr, key);

	if (l->state != s)
		fail_msg("%s: state %s, want %s (%s)", key, pstate_name(l->state), pstate_name(s),
		         l->note);
	if (note_part && !strstr(l->note, note_part))
		fail_msg("%s: '%s' lacks '%s'", key, l->note, note_part);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
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
	              "net.ipv4.ip_local_port_range = 32768   60999\n"
	              "net.ipv4.conf.*.rp_filter = 2\n"
	              "-net.ipv4.conf.all.rp_filter\n");
	assert_int_equal(pr.n, 8);
	assert_string_equal(pr.lines[0].l.key, "net.ipv4.tcp_tw_reuse");
	assert_string_equal(pr.lines[0].l.value, "1");
	assert_int_equal(pr.lines[0].l.line, 4);
	assert_int_equal(pr.lines[0].l.side, SIDE_BOTH);
	assert_string_equal(pr.lines[1].l.key, "net.ipv4.tcp_fin_timeout"); /* slash form */
	assert_string_equal(pr.lines[1].l.value, "15");
	assert_true(pr.lines[2].l.may_fail);
	assert_int_equal(pr.lines[2].l.col, 4);
	assert_int_equal(pr.lines[3].l.side, SIDE_CLIENT);
	assert_int_equal(pr.lines[4].l.side, SIDE_SERVER);
	assert_string_equal(pr.lines[4].l.value, "1024");
	assert_int_equal(pr.lines[4].l.vcol, 30);
	assert_string_equal(pr.lines[5].l.value, "32768   60999");
	assert_true(pr.lines[6].l.glob); /* sysctl.d(5) globs */
	assert_int_equal(pr.lines[6].state, PS_APPLIED);
	assert_true(pr.lines[7].l.exclude); /* "-KEY": kept out of the globs */
	assert_int_equal(pr.lines[7].state, PS_EXCLUDE);
	profile_free(&pr);
}

/* A line that is no setting is kept with its problem, and --strict refuses
 * it where it is. */
static void problem(const char *text, const char *want)
{
	struct profile pr = parse_ok(text);
	struct err e;
	size_t i, bad = 0;

	for (i = 0; i < pr.n; i++)
		bad += pr.lines[i].state != PS_APPLIED;
	assert_int_equal(bad, 1);
	assert_int_equal(profile_strict(&pr, &e), -1);
	if (strcmp(e.msg, want) != 0)
		fail_msg("\n got  %s\n want %s", e.msg, want);
	assert_int_equal(e.kind, ERR_INPUT);
	profile_free(&pr);
}

static void test_problems(void **state)
{
	struct profile pr;
	struct err e;

	(void)state;
	problem("net.ipv4.tcp_tw_reuse 1\n",
	        "p.conf:1:24: expected 'key = value' (sysctl.conf syntax)");
	problem("# ok\n = 1\n", "p.conf:2:2: expected a sysctl key before '='");
	problem("net.ipv4.tcp_tw_reuse =   \n",
	        "p.conf:1:27: net.ipv4.tcp_tw_reuse: expected a value "
	        "after '='");
	problem(
	    "net.ipv4.tcp_tw_reuse = 1   # reuse\n",
	    "p.conf:1:29: sysctl.conf has no comments after a value: put it on a line of its own");
	problem("vm.swappiness = 10\n", "p.conf:1:1: sysctl key 'vm.swappiness': only net.* keys "
	                                "belong to a network namespace; this one is the whole "
	                                "host's, which is never changed");
	problem("client:  net..x = 1\n",
	        "p.conf:1:10: sysctl key 'net..x': empty or relative component");
	/* A '-' line is skipped with its reason even under --strict; what is
	 * wrong with the value of a key outside net.* does not matter. */
	pr = parse_ok("-net.ipv4.tcp_fin_timeout = 1 # x\nkernel.core_pattern = |/bin/x # y\n");
	assert_int_equal(pr.lines[0].state, PS_SYNTAX);
	assert_int_equal(pr.lines[1].state, PS_NOT_NET);
	assert_int_equal(profile_strict(&pr, &e), -1);
	assert_non_null(strstr(e.msg, "p.conf:2:1: sysctl key 'kernel.core_pattern'"));
	profile_free(&pr);
	/* A NUL byte is no text at all: an error even when taken whole. */
	assert_int_equal(profile_parse("a = 1\n\0x", 8, "p.conf", &pr, &e), -1);
	assert_string_equal(e.msg, "p.conf:2:1: a NUL byte: not a text file");
}

/* Later settings win: the same key on the same side, or any side when the
 * later one sets both; an earlier both-sides line still holds for the side
 * a later one-side line leaves. */
static void test_overrides(void **state)
{
	struct profile pr;

	(void)state;
	pr = parse_ok("net.ipv4.tcp_fin_timeout = 30\n"
	              "net.ipv4.tcp_syn_retries = 4\n"
	              "client:net.ipv4.tcp_syn_retries = 3\n"
	              "net/ipv4/tcp_fin_timeout = 20\n"
	              "server:net.ipv4.tcp_synack_retries = 1\n"
	              "net.ipv4.tcp_synack_retries = 2\n");
	assert_int_equal(pr.lines[0].state, PS_OVERRIDDEN);
	assert_string_equal(pr.lines[0].note, "p.conf:4 sets it again (later settings win)");
	assert_int_equal(pr.lines[1].state, PS_APPLIED); /* still the server's */
	assert_int_equal(pr.lines[2].state, PS_APPLIED);
	assert_int_equal(pr.lines[3].state, PS_APPLIED);
	assert_int_equal(pr.lines[4].state, PS_OVERRIDDEN);
	assert_int_equal(pr.lines[5].state, PS_APPLIED);
	profile_free(&pr);
}

/* The kernel is asked in a throwaway namespace, as --strict and `run
 * --sysctl` refuse; the host is only read. */
static void refused(const char *text, const char *want)
{
	struct profile pr = parse_ok(text);
	struct err e;

	pr.strict = true;
	assert_int_equal(profile_check(&pr, &e), -1);
	if (!strstr(e.msg, want))
		fail_msg("\n got  %s\n want ...%s...", e.msg, want);
	assert_int_equal(e.kind, ERR_INPUT);
	profile_free(&pr);
}

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
	pr.strict = true;
	assert_int_equal(profile_check(&pr, &e), 0);
	assert_int_equal(pr.lines[0].state, PS_ABSENT);
	assert_non_null(strstr(pr.lines[0].note, "removed in 4.12"));
	assert_int_equal(pr.lines[1].state, PS_APPLIED);
	assert_string_equal(pr.lines[1].def, "60"); /* ip-sysctl.rst tcp_fin_timeout */
	profile_free(&pr);
}

/* The web server's file of issue 20, whole: every key ends in a state with
 * its reason, none stops the profile. */
static const char web[] = "# web\n"
                          "fs.file-max = 2097152\n"
                          "vm.swappiness = 10\n"
                          "net.core.somaxconn = 65535\n"
                          "net.core.netdev_max_backlog = 65536\n"
                          "net.ipv4.tcp_max_syn_backlog = 65535\n"
                          "net.ipv4.ip_local_port_range = 1024 65535\n"
                          "net.ipv4.tcp_fin_timeout = 15\n"
                          "net.ipv4.tcp_tw_reuse = 1\n"
                          "net.ipv4.tcp_tw_recycle = 1\n"
                          "net.ipv4.tcp_keepalive_time = 300\n"
                          "net.ipv4.tcp_keepalive_probes = 5\n"
                          "net.ipv4.tcp_keepalive_intvl = 15\n"
                          "net.ipv4.tcp_syncookies = 1\n"
                          "net.ipv4.tcp_synack_retries = 2\n"
                          "net.ipv4.tcp_syn_retries = 200\n"
                          "net.ipv4.tcp_rmem = 4096 87380 16777216\n"
                          "net.ipv4.tcp_wmem = 4096 65536 16777216\n"
                          "net.core.rmem_max = 16777216\n"
                          "net.core.wmem_max = 16777216\n"
                          "net.ipv4.tcp_max_tw_buckets = 1440000\n"
                          "net.ipv4.tcp_slow_start_after_idle = 0\n"
                          "net.ipv4.tcp_mtu_probing = 1\n"
                          "net.ipv4.tcp_no_such_thing = 1\n";

static void test_mixed_keys(void **state)
{
	struct profile pr = parse_ok(web);
	char *out = NULL;
	size_t len = 0, i;
	struct err e;
	FILE *f;

	(void)state;
	REQUIRE_NETNS();
	assert_int_equal(profile_check(&pr, &e), 0);
	expect_state(&pr, "fs.file-max", PS_NOT_NET, "only net.* keys");
	expect_state(&pr, "vm.swappiness", PS_NOT_NET, "the whole host's");
	expect_state(&pr, "net.ipv4.tcp_tw_recycle", PS_ABSENT, "removed in 4.12 (4396e46187ca");
	expect_state(&pr, "net.ipv4.tcp_syn_retries", PS_REJECTED, "rejects '200'");
	expect_state(&pr, "net.ipv4.tcp_fin_timeout", PS_APPLIED, NULL);
	expect_state(&pr, "net.ipv4.ip_local_port_range", PS_APPLIED, NULL);
	expect_state(&pr, "net.ipv4.tcp_keepalive_time", PS_APPLIED, NULL);
	if (!tl_userns_nested()) {
		const struct profile_line *l = line_of(&pr, "net.core.netdev_max_backlog");

		/* Learned from this kernel, with where it is registered and
		 * what it governs. */
		expect_state(&pr, "net.core.netdev_max_backlog", PS_GLOBAL,
		             "a new namespace's has not (net/core/sysctl_net_core.c");
		assert_non_null(l->global);
		assert_non_null(strstr(l->global->what, "enqueue_to_backlog()"));
		expect_state(&pr, "net.ipv4.tcp_no_such_thing", PS_ABSENT, "unknown key");
	}
	/* Every key not applied is named with its reason. */
	f = open_memstream(&out, &len);
	profile_print_unapplied(&pr, f);
	fclose(f);
	for (i = 0; i < pr.n; i++)
		if (pr.lines[i].state != PS_APPLIED)
			assert_non_null(strstr(out, pr.lines[i].l.key));
	assert_non_null(strstr(out, "p.conf:2: not applied: fs.file-max: sysctl key"));
	free(out);
	profile_free(&pr);
}

/* A directory: its *.conf files in lexical order (others ignored), later
 * settings winning; several inputs at once, later ones winning. */
static void test_directory(void **state)
{
	char dir[] = "/tmp/tcpconform-pdir-XXXXXX", p[512];
	const char *inputs[2];
	struct profile_inputs in = {.paths = inputs, .npaths = 2};
	struct profile pr;
	struct err e;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/d", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/d/20-b.conf", dir);
	write_file(p, "net.ipv4.tcp_fin_timeout = 20\n");
	snprintf(p, sizeof(p), "%s/d/10-a.conf", dir);
	write_file(p, "net.ipv4.tcp_fin_timeout = 10\nnet.ipv4.tcp_syn_retries = 3\n");
	snprintf(p, sizeof(p), "%s/d/30-c.conf.disabled", dir);
	write_file(p, "net.ipv4.tcp_fin_timeout = 99\n");
	snprintf(p, sizeof(p), "%s/last.conf", dir);
	write_file(p, "net.ipv4.tcp_syn_retries = 4\n");
	snprintf(p, sizeof(p), "%s/d", dir);
	inputs[0] = p;
	{
		char q[512];

		snprintf(q, sizeof(q), "%s/last.conf", dir);
		inputs[1] = q;
		assert_int_equal(profile_load_inputs(&in, &pr, &e), 0);
	}
	assert_int_equal(pr.nfiles, 3);
	assert_non_null(strstr(pr.files[0].path, "/d/10-a.conf"));
	assert_non_null(strstr(pr.files[1].path, "/d/20-b.conf"));
	assert_int_equal(pr.n, 4);
	assert_int_equal(pr.lines[0].state, PS_OVERRIDDEN); /* fin_timeout 10 */
	assert_non_null(strstr(pr.lines[0].note, "20-b.conf:1 sets it again"));
	assert_int_equal(pr.lines[1].state, PS_OVERRIDDEN); /* syn_retries 3: last.conf */
	assert_string_equal(line_of(&pr, "net.ipv4.tcp_fin_timeout")->l.value, "20");
	assert_string_equal(line_of(&pr, "net.ipv4.tcp_syn_retries")->l.value, "4");
	profile_free(&pr);
	/* A path that is not there is bad input. */
	snprintf(p, sizeof(p), "%s/none.conf", dir);
	assert_int_equal(profile_load(p, &pr, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	snprintf(p, sizeof(p), "rm -rf %s", dir);
	assert_int_equal(system(p), 0);
}

/* --system under a root: systemd-sysctl's directories merged by file name,
 * /etc over /run over /usr/local/lib over /usr/lib, a link to /dev/null
 * masking, every name in lexical order whatever its directory. */
static void test_system_precedence(void **state)
{
	static const char *const dirs[] = {"etc/sysctl.d", "run/sysctl.d", "usr/local/lib/sysctl.d",
	                                   "usr/lib/sysctl.d"};
	char root[] = "/tmp/tcpconform-proot-XXXXXX", p[512];
	struct profile_inputs in = {.system = true};
	struct profile pr;
	struct err e;
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(root));
	for (i = 0; i < 4; i++) {
		snprintf(p, sizeof(p), "mkdir -p %s/%s", root, dirs[i]);
		assert_int_equal(system(p), 0);
	}
	/* 50-x: in all four, /etc's is read. */
	for (i = 0; i < 4; i++) {
		char text[64];

		snprintf(p, sizeof(p), "%s/%s/50-x.conf", root, dirs[i]);
		snprintf(text, sizeof(text), "net.ipv4.tcp_fin_timeout = %zu\n", 10 + i);
		write_file(p, text);
	}
	/* 40-y: in /run and /usr/lib: /run's. */
	snprintf(p, sizeof(p), "%s/run/sysctl.d/40-y.conf", root);
	write_file(p, "net.ipv4.tcp_syn_retries = 2\n");
	snprintf(p, sizeof(p), "%s/usr/lib/sysctl.d/40-y.conf", root);
	write_file(p, "net.ipv4.tcp_syn_retries = 5\n");
	/* 60-z: the vendor's, masked in /etc. */
	snprintf(p, sizeof(p), "%s/usr/lib/sysctl.d/60-z.conf", root);
	write_file(p, "net.ipv4.tcp_synack_retries = 1\n");
	snprintf(p, sizeof(p), "%s/etc/sysctl.d/60-z.conf", root);
	assert_int_equal(symlink("/dev/null", p), 0);
	/* 70-w: /usr/local/lib's only; it comes after 50-x whatever the
	 * directory, so it wins on tcp_fin_timeout. */
	snprintf(p, sizeof(p), "%s/usr/local/lib/sysctl.d/70-w.conf", root);
	write_file(p, "net.ipv4.tcp_fin_timeout = 70\n");
	in.root = root;
	assert_int_equal(profile_load_inputs(&in, &pr, &e), 0);
	for (i = 0; i < pr.nfiles; i++)
		printf("  %s %s\n", pr.files[i].path, pr.files[i].note);
	/* 40-y (run read, usr/lib hidden), 50-x (etc read, three hidden),
	 * 60-z (etc masked, usr/lib hidden), 70-w: nine files named. */
	assert_int_equal(pr.nfiles, 9);
	assert_non_null(strstr(pr.files[0].path, "/run/sysctl.d/40-y.conf"));
	assert_string_equal(pr.files[0].note, "");
	assert_non_null(strstr(pr.files[1].note, "hidden by"));
	assert_non_null(strstr(pr.files[1].note, "/run/sysctl.d/40-y.conf"));
	assert_non_null(strstr(pr.files[2].path, "/etc/sysctl.d/50-x.conf"));
	assert_non_null(strstr(pr.files[3].note, "/etc/sysctl.d/50-x.conf (the same name"));
	assert_non_null(strstr(pr.files[6].path, "/etc/sysctl.d/60-z.conf"));
	assert_string_equal(pr.files[6].note, "masked: a link to /dev/null");
	assert_non_null(strstr(pr.files[7].note, "hidden by"));
	assert_non_null(strstr(pr.files[8].path, "/usr/local/lib/sysctl.d/70-w.conf"));
	assert_string_equal(line_of(&pr, "net.ipv4.tcp_syn_retries")->l.value, "2");
	assert_int_equal(pr.n, 3);                          /* 40-y, 50-x, 70-w: nothing of 60-z */
	assert_int_equal(pr.lines[1].state, PS_OVERRIDDEN); /* 50-x's 10 */
	assert_string_equal(pr.lines[1].l.value, "10");
	assert_string_equal(line_of(&pr, "net.ipv4.tcp_fin_timeout")->l.value, "70");
	assert_non_null(strstr(pr.file, "--system --root /tmp/tcpconform-proot-"));
	profile_free(&pr);
	snprintf(p, sizeof(p), "rm -rf %s", root);
	assert_int_equal(system(p), 0);
}

/* Globs: every matching key of a new namespace but the explicit ones and
 * the "-KEY" exclusions; one that matches only the host's keys, or none,
 * says so; a key of an interface only the host has says so. */
static void test_globs(void **state)
{
	struct profile pr;
	const struct profile_line *g;
	char hostif[64] = "", text[512];
	struct err e;
	FILE *f;

	(void)state;
	REQUIRE_NETNS();
	pr = parse_ok("net.ipv4.conf.default.rp_filter = 2\n"
	              "net.ipv4.conf.*.rp_filter = 2\n"
	              "-net.ipv4.conf.all.rp_filter\n"
	              "net.ipv4.conf.lo.rp_filter = 1\n"
	              "net.ipv4.conf.nosuchif*.rp_filter = 1\n");
	assert_int_equal(profile_check(&pr, &e), 0);
	g = &pr.lines[1];
	assert_int_equal(g->state, PS_APPLIED);
	/* all, default and lo are set otherwise: what remains in a new
	 * namespace is its tunnel devices, if the kernel has any built in;
	 * the endpoints' veths come on top at run time. */
	assert_non_null(g->skip);
	assert_non_null(strstr(g->skip, "net.ipv4.conf.all.rp_filter\n"));
	assert_non_null(strstr(g->skip, "net.ipv4.conf.lo.rp_filter\n"));
	assert_non_null(strstr(g->skip, "net.ipv4.conf.default.rp_filter\n"));
	assert_int_equal(pr.lines[2].state, PS_EXCLUDE);
	assert_int_equal(pr.lines[3].state, PS_APPLIED);
	assert_int_equal(pr.lines[4].state, PS_NO_MATCH);
	assert_non_null(strstr(pr.lines[4].note, "matches no key on this kernel"));
	profile_free(&pr);
	/* A key of an interface only the host has. */
	f = popen("ls /proc/sys/net/ipv4/conf | grep -vx 'all\\|default\\|lo' | head -n1", "r");
	if (f && fgets(hostif, sizeof(hostif), f))
		hostif[strcspn(hostif, "\n")] = '\0';
	if (f)
		pclose(f);
	if (hostif[0] && !tl_userns_nested() && !strchr(hostif, '.')) {
		snprintf(text, sizeof(text), "net.ipv4.conf.%s.rp_filter = 1\n", hostif);
		pr = parse_ok(text);
		assert_int_equal(profile_check(&pr, &e), 0);
		assert_int_equal(pr.lines[0].state, PS_INTERFACE);
		assert_non_null(strstr(pr.lines[0].note, "is an interface of this host"));
		profile_free(&pr);
	}
}

/* A glob at work: `run --sysctl` writes it to each endpoint's own
 * interfaces (the veth too), not to the excluded key, not over an
 * explicit one. */
static void test_glob_run(void **state)
{
	char dir[] = "/tmp/tcpconform-pglob-XXXXXX", p[512], *out = NULL;
	json_t *o, *c;
	json_error_t je;
	int st;

	(void)state;
	REQUIRE_NETNS();
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/g.conf", dir);
	write_file(p, "net.ipv4.conf.*.rp_filter = 2\n"
	              "-net.ipv4.conf.all.rp_filter\n"
	              "net.ipv4.conf.lo.rp_filter = 1\n");
	st = tl_sh(&out, "build/tcpconform run --sysctl %s -o %s/out handshake --family 4", p, dir);
	if (st != 0)
		fail_msg("exit %d: %s", st, out);
	free(out);
	snprintf(p, sizeof(p), "%s/out/handshake/ipv4/observed.json", dir);
	o = json_load_file(p, 0, &je);
	assert_non_null(o);
	c = json_object_get(json_object_get(o, "sysctls"), "client");
	assert_string_equal(json_string_value(json_object_get(c, "net.ipv4.conf.c0.rp_filter")),
	                    "2");
	assert_string_equal(
	    json_string_value(json_object_get(c, "net.ipv4.conf.default.rp_filter")), "2");
	assert_string_equal(json_string_value(json_object_get(c, "net.ipv4.conf.lo.rp_filter")),
	                    "1");
	assert_null(json_object_get(c, "net.ipv4.conf.all.rp_filter"));
	json_decref(o);
	snprintf(p, sizeof(p), "rm -rf %s", dir);
	assert_int_equal(system(p), 0);
}

/* The output of `sysctl -a`, as an operator saves it (2>&1 included):
 * hundreds of keys of every kind, tabs in values, read-only keys, lines
 * that are no setting; none stops the profile, each gets its state. */
static void test_sysctl_a(void **state)
{
	char dir[] = "/tmp/tcpconform-pall-XXXXXX", p[512], *out = NULL;
	struct profile pr;
	struct err e;
	size_t applied, i;
	int st;

	(void)state;
	REQUIRE_NETNS();
	if (!tl_have("sysctl")) {
		print_message(
		    "skipped: sysctl(8) (procps) is not installed: no sysctl -a to read\n");
		skip();
	}
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/all.txt", dir);
	st = tl_sh(&out,
	           "sysctl -a > %s 2>&1; printf 'sysctl: permission denied on key "
	           "\"net.ipv6.conf.all.stable_secret\"\\nnet.ipv4.tcp_fin_timeout = 3\\n' >> %s",
	           p, p);
	free(out);
	assert_int_equal(st, 0);
	assert_int_equal(profile_load(p, &pr, &e), 0);
	assert_true(pr.n > 300);
	assert_int_equal(profile_check(&pr, &e), 0);
	applied = profile_count(&pr, PS_APPLIED);
	printf("  %zu lines: %zu applied, %zu not net.*, %zu global, %zu read-only, %zu interface, "
	       "%zu syntax\n",
	       pr.n, applied, profile_count(&pr, PS_NOT_NET), profile_count(&pr, PS_GLOBAL),
	       profile_count(&pr, PS_READONLY), profile_count(&pr, PS_INTERFACE),
	       profile_count(&pr, PS_SYNTAX));
	assert_true(applied > 100);
	assert_true(profile_count(&pr, PS_NOT_NET) > 50);
	expect_state(&pr, "net.ipv4.tcp_fin_timeout", PS_APPLIED, NULL);
	expect_state(&pr, "net.ipv4.tcp_rmem", PS_APPLIED, NULL); /* tabs in the value */
	expect_state(&pr, "net.ipv4.tcp_available_congestion_control", PS_READONLY,
	             "a value the kernel reports");
	for (i = 0; i < pr.n; i++)
		if (pr.lines[i].state != PS_APPLIED && pr.lines[i].state != PS_OVERRIDDEN)
			assert_true(pr.lines[i].note[0]);
	assert_int_equal(line_of(&pr, "sysctl:")->state, PS_SYNTAX);
	profile_free(&pr);
	/* Run under it: every variant the last line changes writes all of
	 * it, hundreds of keys, in both endpoints, and behaves as its table
	 * says with the profile's tcp_fin_timeout. */
	st = tl_sh(&out, "build/tcpconform profile %s fin-wait2-timeout --family 4 -o %s/out", p,
	           dir);
	printf("%s", out);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "run under it"));
	assert_non_null(strstr(out, "orphan_timer: 60.00 s ±10% (expected) -> "));
	free(out);
	snprintf(p, sizeof(p), "rm -rf %s", dir);
	assert_int_equal(system(p), 0);
}

/* A case's own sysctl lines are its premises: the profile's value does not
 * replace them (the other side still gets it); "sysctl axis" and "vary"
 * are axes it replaces; "vary premise" keeps an axis.  Each is noted with
 * the case's comment. */
static void test_premise_and_axis(void **state)
{
	static const char case_text[] =
	    "case t\ntitle t\n"
	    "sysctl client net.ipv4.ip_local_port_range 40000 40000   # one port\n"
	    "sysctl axis client net.ipv4.tcp_fin_timeout 5\n"
	    "vary premise server net.core.somaxconn 2 8   # small on purpose\n"
	    "vary client net.ipv4.tcp_tw_reuse 0 1 2\n"
	    "vary mode a b\n"
	    "client socket c\n";
	struct profile pr;
	struct scenario sc;
	struct err e;
	size_t i;
	int found = 0;

	(void)state;
	pr = parse_ok("net.ipv4.ip_local_port_range = 1024 65535\n"
	              "net.ipv4.tcp_fin_timeout = 15\n"
	              "net.core.somaxconn = 65535\n"
	              "net.ipv4.tcp_tw_reuse = 1\n");
	assert_int_equal(scenario_parse(case_text, strlen(case_text), "t.case", &sc, &e), 0);
	assert_true(sc.sysctls[1].axis);
	assert_string_equal(sc.sysctls[0].why, "one port");
	assert_true(sc.axes[0].premise);
	assert_int_equal(scenario_variants(&sc), 24);
	assert_int_equal(profile_apply(&pr, &sc, &e), 0);
	/* tw_reuse collapsed; somaxconn still varies (a premise) */
	assert_int_equal(scenario_variants(&sc), 8);
	assert_false(sc.axes[0].from_profile);
	assert_true(sc.axes[1].from_profile);
	for (i = 0; i < sc.noverrides; i++) {
		const struct sc_sysctl *o = &sc.overrides[i];

		if (!strcmp(o->key, "net.ipv4.ip_local_port_range")) {
			assert_int_equal(o->side, SIDE_SERVER); /* the client keeps its own */
			found |= 1;
		}
		if (!strcmp(o->key, "net.core.somaxconn")) {
			assert_int_equal(o->side, SIDE_CLIENT);
			found |= 2;
		}
		if (!strcmp(o->key, "net.ipv4.tcp_fin_timeout")) {
			assert_int_equal(o->side, SIDE_BOTH); /* an axis: replaced */
			found |= 4;
		}
	}
	assert_int_equal(found, 7);
	found = 0;
	for (i = 0; i < sc.nnotes; i++) {
		const struct sc_profile_note *n = &sc.notes[i];

		if (!strcmp(n->key, "net.ipv4.ip_local_port_range")) {
			assert_false(n->replaced);
			assert_string_equal(n->kept, "40000 40000");
			assert_string_equal(n->why, "one port");
			assert_int_equal(n->line, 3);
			found |= 1;
		}
		if (!strcmp(n->key, "net.core.somaxconn")) {
			assert_false(n->replaced);
			assert_string_equal(n->kept, "2 8");
			found |= 2;
		}
		if (!strcmp(n->key, "net.ipv4.tcp_fin_timeout") && n->replaced)
			found |= 4;
		if (!strcmp(n->key, "net.ipv4.tcp_tw_reuse") && n->replaced)
			found |= 8;
	}
	assert_int_equal(found, 15);
	scenario_free(&sc);
	profile_free(&pr);
	/* The words are the language's. */
	{
		static const char bad_case[] =
		    "case t\ntitle t\nvary premise on off\nclient socket c\n";

		assert_int_equal(scenario_parse(bad_case, strlen(bad_case), "t.case", &sc, &e), -1);
	}
	assert_string_equal(e.msg, "t.case:3:6: 'premise' applies to sysctl axes only");
}

/* `tcpconform profile --against`: tcp_tw_reuse 0 -> 1 makes the reconnect
 * after the reuse delay succeed (net/ipv4/tcp_ipv4.c tcp_twsk_unique():
 * reuse=1 and a TIME_WAIT older than 1 s), and tcp_fin_timeout 5 -> 3
 * shortens the orphan's timer to 3000 ms. */
static void test_profile_command(void **state)
{
	char dir[] = "/tmp/tcpconform-profile-XXXXXX", path[256], *out = NULL;
	json_t *p, *c;
	json_error_t je;
	size_t i;
	int st, seen = 0;

	(void)state;
	REQUIRE_NETNS();
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/new.conf", dir);
	write_file(path, "net.ipv4.tcp_fin_timeout = 3\nclient:net.ipv4.tcp_tw_reuse = 1\n");
	snprintf(path, sizeof(path), "%s/old.conf", dir);
	write_file(path, "net.ipv4.tcp_fin_timeout = 5\nclient:net.ipv4.tcp_tw_reuse = 0\n");
	st = tl_sh(&out,
	           "build/tcpconform profile %s/new.conf --against %s/old.conf tw-reuse "
	           "fin-wait2-timeout -o %s/out",
	           dir, dir, dir);
	fputs(out, stdout);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "client:net.ipv4.tcp_tw_reuse = 1 (kernel default 2;"));
	/* The line number follows the case file; the rest is the claim. */
	assert_non_null(strstr(out, "reconnect [client.tcp_timestamps=1-when=later (IPv4, IPv6)] "
	                            "(line "));
	assert_non_null(strstr(out, ": client connect c2 to server:8000): -1 "
	                            "EADDRNOTAVAIL -> 0"));
	assert_non_null(strstr(out, "orphan_timer [IPv4, IPv6] (line "));
	free(out);
	snprintf(path, sizeof(path), "%s/out/profile/profile.json", dir);
	p = json_load_file(path, 0, &je);
	assert_non_null(p);
	assert_true(json_array_size(json_object_get(p, "changes")) >= 3);
	/* The orphan's timer as inet_diag reads it, a little after it started:
	 * tcp_fin_timeout 5 s, then 3 s. */
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
		assert_false(json_is_true(json_object_get(c, "predicted")));
	}
	assert_true(seen);
	assert_int_equal(json_array_size(json_object_get(p, "unexpected")), 0);
	json_decref(p);
	/* The report carries the section. */
	snprintf(path, sizeof(path),
	         "grep -q 'What the profile changes' %s/out/profile/report.html", dir);
	assert_int_equal(system(path), 0);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	assert_int_equal(system(path), 0);
}

/* A profile over a case's premises runs it with the case's own values:
 * time-wait-length's tcp_rfc1337 1 stays on both sides, its tcp_fin_timeout
 * (an axis the case lets a profile set) takes the profile's value, and the
 * rest of the profile is written too. */
static void test_premises_kept(void **state)
{
	char dir[] = "/tmp/tcpconform-pprem-XXXXXX", path[256], *out = NULL;
	json_t *o, *c;
	json_error_t je;
	int st;

	(void)state;
	REQUIRE_NETNS();
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/p.conf", dir);
	write_file(path, "net.ipv4.tcp_rfc1337 = 0\n"
	                 "net.ipv4.tcp_fin_timeout = 7\n"
	                 "net.ipv4.ip_local_port_range = 1024 65535\n");
	st = tl_sh(&out, "build/tcpconform profile %s time-wait-length --family 4 -o %s/out", path,
	           dir);
	fputs(out, stdout);
	assert_int_equal(st, 0);
	assert_non_null(strstr(out, "time-wait-length: net.ipv4.tcp_rfc1337 1 "
	                            "(time-wait-length.case:12: TIME_WAIT ignores RSTs"));
	assert_non_null(strstr(out, "kept, not 0"));
	assert_non_null(strstr(out, "time-wait-length: client:net.ipv4.tcp_fin_timeout 5 "
	                            "(time-wait-length.case:10"));
	free(out);
	snprintf(
	    path, sizeof(path),
	    "%s/out/profile/time-wait-length/ipv4-client.tcp_max_tw_buckets=131072/observed.json",
	    dir);
	o = json_load_file(path, 0, &je);
	assert_non_null(o);
	c = json_object_get(json_object_get(o, "sysctls"), "client");
	assert_string_equal(json_string_value(json_object_get(c, "net.ipv4.tcp_rfc1337")), "1");
	assert_string_equal(json_string_value(json_object_get(c, "net.ipv4.tcp_fin_timeout")), "7");
	assert_string_equal(json_string_value(json_object_get(c, "net.ipv4.ip_local_port_range")),
	                    "1024 65535");
	c = json_object_get(json_object_get(o, "sysctls"), "server");
	assert_string_equal(json_string_value(json_object_get(c, "net.ipv4.tcp_rfc1337")), "1");
	json_decref(o);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	assert_int_equal(system(path), 0);
}

/* Issue 20's "done when": the web server's file runs whole, exits 0 (every
 * check as its table says), names every key with what it did or why not,
 * and changes no case premise.  --strict refuses it at its first line
 * that cannot be applied. */
static void test_web_server(void **state)
{
	char dir[] = "/tmp/tcpconform-pweb-XXXXXX", cmd[512], *out = NULL, line[256];
	FILE *f;
	int st;

	(void)state;
	REQUIRE_NETNS();
	assert_non_null(mkdtemp(dir));
	st = tl_sh(&out, "build/tcpconform profile --strict fixtures/profiles/web-server.conf "
	                 "refused");
	assert_int_equal(st, 2);
	assert_non_null(strstr(out, "fixtures/profiles/web-server.conf:10:1: sysctl key "
	                            "'fs.file-max': only net.* keys"));
	free(out);
	st = tl_sh(&out,
	           "build/tcpconform profile fixtures/profiles/web-server.conf tw-reuse "
	           "port-range-parity time-wait-length fin-wait2-timeout -o %s/out",
	           dir);
	fputs(out, stdout);
	assert_int_equal(st, 0);
	/* Every key of the file is named, with a paragraph or a reason. */
	f = fopen("fixtures/profiles/web-server.conf", "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char key[128];

		if (sscanf(line, "%127[a-z0-9_.-] =", key) != 1)
			continue;
		snprintf(cmd, sizeof(cmd), "\n%s = ", key);
		if (!strstr(out, cmd)) {
			snprintf(cmd, sizeof(cmd),
			         "\n  %s (fixtures/profiles/web-server.conf:", key);
			if (!strstr(out, cmd))
				fail_msg("%s is not named", key);
		}
	}
	fclose(f);
	assert_non_null(strstr(out, "net.ipv4.tcp_tw_recycle is absent on this kernel: removed "
	                            "in 4.12"));
	assert_non_null(strstr(out, "tw-reuse: client:net.ipv4.ip_local_port_range 40000 40000 "
	                            "(tw-reuse.case:19"));
	assert_non_null(strstr(out, "orphan_gone.ms: 60.00 s ±15% (expected) -> 1"));
	assert_non_null(strstr(out, "time-wait-length (\"TIME_WAIT lasts 60 s"));
	assert_non_null(strstr(out, "under the profile, against the tables: 0 check(s)"));
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
	pr.strict = true;
	if (profile_check(&pr, &e) < 0)
		fail_msg("%s", e.msg);
	profile_free(&pr);
	/* Taken whole (not --strict): listed with the reason, like a key the
	 * kernel refuses. */
	pr = parse_ok("net.ipv4.tcp_allowed_congestion_control = reno\n");
	assert_int_equal(profile_check(&pr, &e), 0);
	assert_int_equal(pr.lines[0].state, PS_HOST);
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
	write_file(cmd, "net.ipv4.tcp_congestion_control = nosuchcc\n"
	                "net.ipv4.tcp_allowed_congestion_control = reno nosuchcc\n");
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

/* Every shipped example: the kernel takes the clean ones whole (--strict);
 * the real-world ones end every line in a state with its reason. */
static void test_shipped_profiles(void **state)
{
	static const char *const clean[] = {"fixtures/profiles/kernel-defaults.conf",
	                                    "fixtures/profiles/time-wait-fix.conf"};
	static const char *const real[] = {"fixtures/profiles/web-server.conf",
	                                   "fixtures/profiles/database.conf",
	                                   "fixtures/profiles/load-balancer.conf"};
	size_t i, k;

	(void)state;
	REQUIRE_NETNS();
	for (i = 0; i < 2; i++) {
		struct profile pr;
		struct err e;

		if (profile_load(clean[i], &pr, &e) < 0)
			fail_msg("%s", e.msg);
		pr.strict = true;
		if (profile_check(&pr, &e) < 0)
			fail_msg("%s", e.msg);
		assert_true(pr.n >= 4);
		profile_free(&pr);
	}
	for (i = 0; i < 3; i++) {
		struct profile pr;
		struct err e;

		if (profile_load(real[i], &pr, &e) < 0 || profile_check(&pr, &e) < 0)
			fail_msg("%s", e.msg);
		assert_true(pr.n >= 15);
		assert_true(profile_count(&pr, PS_APPLIED) >= 8);
		for (k = 0; k < pr.n; k++)
			if (pr.lines[k].state != PS_APPLIED)
				assert_true(pr.lines[k].note[0]);
		profile_free(&pr);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_syntax),
	    cmocka_unit_test(test_problems),
	    cmocka_unit_test(test_overrides),
	    cmocka_unit_test(test_kernel_refusals),
	    cmocka_unit_test(test_mixed_keys),
	    cmocka_unit_test(test_directory),
	    cmocka_unit_test(test_system_precedence),
	    cmocka_unit_test(test_globs),
	    cmocka_unit_test(test_glob_run),
	    cmocka_unit_test(test_sysctl_a),
	    cmocka_unit_test(test_premise_and_axis),
	    cmocka_unit_test(test_shipped_profiles),
	    cmocka_unit_test(test_profile_command),
	    cmocka_unit_test(test_premises_kept),
	    cmocka_unit_test(test_web_server),
	    cmocka_unit_test(test_host_effects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
