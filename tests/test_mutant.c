// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_mutant.c - mutation points on a small C file whose every point is
 * counted by hand (tests/data/mutant/sample.c): comments, strings and
 * preprocessor lines are never mutated, declarations and case labels are
 * left alone, every operator class is found; each mutant, applied, still
 * compiles (cc -fsyntax-only); sampling is the same for the same seed; the
 * score counts killed / (killed + survived).  test_flow and
 * test_flow_baseline_crash run `bench mutants` end to end on a stub tree,
 * with a fake make and a fake vm (TCPCONFORM_BENCH_VM): every outcome, the
 * confirmations, crashes and hangs, and a resume.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

#include "base/infile.h"
#include "base/text.h"
#include "bench/ctoken.h"
#include "bench/mutant.h"

static char *text;
static size_t len;
static struct ctoks toks;

static int setup(void **state)
{
	struct err e;

	(void)state;
	text = infile_read("tests/data/mutant/sample.c", 1 << 20, &len, &e);
	if (!text || ctoken_lex(text, len, "sample.c", &toks, &e) < 0) {
		print_error("%s\n", e.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ctoken_free(&toks);
	free(text);
	return 0;
}

static unsigned count_op(const struct mutants *ms, enum mutant_op op)
{
	unsigned n = 0;

	for (size_t i = 0; i < ms->n; i++)
		n += ms->m[i].op == op;
	return n;
}

static const struct mutant *find(const struct mutants *ms, const char *id)
{
	for (size_t i = 0; i < ms->n; i++)
		if (strcmp(ms->m[i].id, id) == 0)
			return &ms->m[i];
	fail_msg("no mutant %s", id);
	return NULL;
}

static void test_tokens(void **state)
{
	(void)state;
	assert_true(toks.n > 80);
	assert_int_equal(toks.t[0].kind, CTOK_COMMENT);
	assert_int_equal(toks.t[0].line, 1);
}

/* target(), by hand: n * 2 (aor 1, crp 2 -> 0 1 3), if (neg 1), >= (ror 5),
 * 3 (crp 0 1 4 2), && (lcr 1), foo(sk); (sdl 1), x = 5; (sdl 1, crp 0 1 6 4),
 * return x + (s != 0) (rvr 1, aor + 1, ror != 5, crp 0 -> 1).  Not: the
 * declarations' '*', case 4, the comment, the string, the #define. */
static void test_points_of_one_function(void **state)
{
	const char *const fns[] = {"target", NULL};
	struct mutants ms = {0};
	struct err e;

	(void)state;
	assert_int_equal(mutant_find(text, len, &toks, "sample.c", fns, &ms, &e), 0);
	assert_int_equal(count_op(&ms, MOP_ROR), 10);
	assert_int_equal(count_op(&ms, MOP_LCR), 1);
	assert_int_equal(count_op(&ms, MOP_AOR), 2);
	assert_int_equal(count_op(&ms, MOP_CRP), 12);
	assert_int_equal(count_op(&ms, MOP_NEG), 1);
	assert_int_equal(count_op(&ms, MOP_SDL), 2);
	assert_int_equal(count_op(&ms, MOP_RVR), 1);
	assert_int_equal(ms.n, 29);
	find(&ms, "sample.c:target:16:12:aor:/");
	find(&ms, "sample.c:target:18:8:ror:<");
	find(&ms, "sample.c:target:18:13:lcr:||");
	find(&ms, "sample.c:target:18:2:neg:neg");
	find(&ms, "sample.c:target:19:3:sdl:sdl");
	find(&ms, "sample.c:target:22:3:sdl:sdl");
	find(&ms, "sample.c:target:22:7:crp:6");
	find(&ms, "sample.c:target:25:9:rvr:0");
	for (size_t i = 0; i < ms.n; i++) {
		assert_string_equal(ms.m[i].function, "target");
		assert_true(ms.m[i].line >= 14 && ms.m[i].line <= 26);
	}
	mutants_free(&ms);
	/* Every function: other() adds return a < 1 (ror 5, crp 0 2, rvr 1);
	 * checked() return a (rvr 1), nothing of its BUILD_BUG_ON(). */
	assert_int_equal(mutant_find(text, len, &toks, "sample.c", NULL, &ms, &e), 0);
	assert_int_equal(ms.n, 29 + 8 + 1);
	find(&ms, "sample.c:checked:33:9:rvr:0");
	assert_int_equal(mutant_has_function(text, &toks, "other"), 1);
	assert_int_equal(mutant_has_function(text, &toks, "MAX"), 0);
	assert_int_equal(mutant_has_function(text, &toks, "foo"), 0);
	mutants_free(&ms);
}

static void test_apply(void **state)
{
	const char *const fns[] = {"target", NULL};
	struct mutants ms = {0};
	struct err e;
	size_t n;
	char *out;

	(void)state;
	assert_int_equal(mutant_find(text, len, &toks, "sample.c", fns, &ms, &e), 0);
	out = mutant_apply(text, len, find(&ms, "sample.c:target:18:2:neg:neg"), &n);
	assert_non_null(strstr(out, "\tif (!(n >= 3 && p))\n"));
	assert_int_equal(n, len + 3);
	free(out);
	out = mutant_apply(text, len, find(&ms, "sample.c:target:19:3:sdl:sdl"), &n);
	assert_non_null(strstr(out, "\tif (n >= 3 && p)\n\t\t;\n\tswitch"));
	free(out);
	out = mutant_apply(text, len, find(&ms, "sample.c:target:25:9:rvr:0"), &n);
	assert_non_null(strstr(out, "\treturn 0;\n}"));
	free(out);
	mutants_free(&ms);
}

/* Every mutant of the file, applied, is still C the compiler takes. */
static void test_every_mutant_compiles(void **state)
{
	struct mutants ms = {0};
	struct err e;
	char path[] = "/tmp/tcpconform-mutant-XXXXXX.c", cmd[200];

	(void)state;
	if (!tl_have("cc")) {
		print_message("skipped: no cc to compile the mutants with\n");
		skip();
	}
	assert_int_equal(mutant_find(text, len, &toks, "sample.c", NULL, &ms, &e), 0);
	for (size_t i = 0; i < ms.n; i++) {
		size_t n;
		char *out = mutant_apply(text, len, &ms.m[i], &n);
		int fd = mkstemps(path, 2);

		assert_true(fd >= 0);
		assert_int_equal(write(fd, out, n), (ssize_t)n);
		close(fd);
		snprintf(cmd, sizeof(cmd), "cc -fsyntax-only -w %s", path);
		if (system(cmd) != 0)
			fail_msg("mutant %s does not compile", ms.m[i].id);
		unlink(path);
		strcpy(path, "/tmp/tcpconform-mutant-XXXXXX.c");
		free(out);
	}
	mutants_free(&ms);
}

static void test_sample(void **state)
{
	size_t a[100], b[100], c[100];

	(void)state;
	assert_int_equal(mutant_sample(100, 10, 42, a), 10);
	assert_int_equal(mutant_sample(100, 10, 42, b), 10);
	assert_memory_equal(a, b, 10 * sizeof(a[0]));
	for (size_t i = 1; i < 10; i++)
		assert_true(a[i - 1] < a[i] && a[i] < 100);
	mutant_sample(100, 10, 43, c);
	assert_memory_not_equal(a, c, 10 * sizeof(a[0]));
	assert_int_equal(mutant_sample(5, 10, 1, a), 5);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(a[i], i);
	/* Uniform: over many seeds every index is drawn about k/n of the time. */
	{
		unsigned hits[20] = {0};

		for (uint64_t s = 0; s < 2000; s++) {
			mutant_sample(20, 5, s, a);
			for (size_t i = 0; i < 5; i++)
				hits[a[i]]++;
		}
		for (size_t i = 0; i < 20; i++)
			assert_true(hits[i] > 400 && hits[i] < 600); /* 500 expected */
	}
}

static void test_score(void **state)
{
	struct mutant_tally t = {0};

	(void)state;
	assert_true(mutant_score(&t) < 0);
	t.n[MO_KILLED] = 3;
	t.n[MO_KILLED_CRASH] = 1;
	t.n[MO_SURVIVED] = 1;
	t.n[MO_NOT_COMPILED] = 7; /* excluded */
	t.n[MO_EQUIVALENT] = 2;   /* excluded */
	t.n[MO_SUSPECT] = 4;      /* excluded until tied to the mutant */
	assert_float_equal(mutant_score(&t), 0.8, 1e-9);
	t.n[MO_OUT_OF_SCOPE] = 3; /* excluded, with its reason; counted by the strict figure */
	assert_float_equal(mutant_score(&t), 0.8, 1e-9);
	assert_float_equal(mutant_score_all(&t), 0.5, 1e-9);
	for (int o = 0; o < MO_COUNT; o++)
		assert_int_equal(mutant_outcome_parse(mutant_outcome_name(o)), o);
	assert_int_equal(mutant_outcome_parse("dead"), -1);
}

static void test_scope(void **state)
{
	struct mscope sc;
	struct err e;
	size_t n;
	char *t = infile_read("fixtures/mutants/scope", 1 << 20, &n, &e);
	const char *bad[][2] = {
	    {"net/ipv4/tcp.c tcp_done\n/etc/x.c f\n", "s:2:1: a C file relative"},
	    {"net/ipv4/../x.c f\n", "s:1:1: a C file relative"},
	    {"net/ipv4/tcp.h f\n", "s:1:1: a C file relative"},
	    {"net/ipv4/tcp.c  tcp_done tcp$x\n", "s:1:29: unexpected '$' in a function name"},
	};

	(void)state;
	assert_non_null(t);
	assert_int_equal(mscope_parse(t, n, "scope", &sc, &e), 0);
	assert_true(sc.n >= 10);
	assert_string_equal(sc.files[0].path, "net/ipv4/tcp_minisocks.c");
	assert_string_equal(sc.files[0].funcs[0], "tcp_timewait_state_process");
	mscope_free(&sc);
	free(t);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(mscope_parse(bad[i][0], strlen(bad[i][0]), "s", &sc, &e), -1);
		if (strncmp(e.msg, bad[i][1], strlen(bad[i][1])) != 0)
			fail_msg("'%s': got '%s'", bad[i][0], e.msg);
	}
}

/* A failed vm run: the kernel's doing or the environment's (the messages
 * are vm.c's guest_failure() and find_static_harness()). */
static void test_vm_failure(void **state)
{
	char last[200];

	(void)state;
	assert_int_equal(mutant_vm_failure("tcpconform-vm: init 6.1.192 1.8\ntcpconform: src:x: "
	                                   "the guest kernel panicked: Kernel panic - not "
	                                   "syncing: Fatal exception\n",
	                                   last, sizeof(last)),
	                 VMF_CRASH);
	assert_non_null(strstr(last, "Fatal exception"));
	assert_int_equal(mutant_vm_failure("tcpconform: x: qemu exited before the guest reached "
	                                   "/init: \n",
	                                   last, sizeof(last)),
	                 VMF_CRASH);
	assert_int_equal(mutant_vm_failure("tcpconform: x: the run did not finish within 300 s; "
	                                   "last console line: [  3.1] rcu: stall\n",
	                                   last, sizeof(last)),
	                 VMF_CRASH);
	/* vm --stop-on-stall (what bench mutants passes): as vm.c says it */
	assert_int_equal(mutant_vm_failure("tcpconform: x: its kernel reported a stall "
	                                   "(--stop-on-stall) 31 s after qemu started: rcu: INFO: "
	                                   "rcu_preempt self-detected stall on CPU; last console "
	                                   "line: [  29.9] rcu: Stack dump\n",
	                                   last, sizeof(last)),
	                 VMF_CRASH);
	assert_int_equal(mutant_vm_failure("tcpconform: x: tcpconform run in the guest exited 3 "
	                                   "(see its console output above)\n",
	                                   last, sizeof(last)),
	                 VMF_GUEST_RUN);
	assert_int_equal(mutant_vm_failure("tcpconform: /w/build/tcpconform-static is older than "
	                                   "this tcpconform: run `make static`\n\n",
	                                   last, sizeof(last)),
	                 VMF_ENVIRONMENT);
	assert_string_equal(last, "tcpconform: /w/build/tcpconform-static is older than this "
	                          "tcpconform: run `make static`");
	assert_int_equal(mutant_vm_failure("", last, sizeof(last)), VMF_ENVIRONMENT);
	assert_string_equal(last, "");
}

/* mutants.json's array round trip: an interrupted run goes on where it
 * stopped; results are matched by mutant id, so another sample (seed) only
 * takes the mutants it shares. */
static void test_resume(void **state)
{
	struct mutants ms = {0};
	struct mutant_result res[8] = {0}, again[8] = {0}, other[8] = {0};
	struct mutant_tally t;
	size_t pick[64], pick2[64], n, n2, shared = 0;
	struct err e;
	json_t *arr;
	char *dumped;

	(void)state;
	assert_int_equal(mutant_find(text, len, &toks, "sample.c", NULL, &ms, &e), 0);
	n = mutant_sample(ms.n, 8, 7, pick);
	res[0].outcome = MO_KILLED;
	snprintf(res[0].detail, sizeof(res[0].detail), "handshake ipv4: fail, unmutated pass");
	res[0].build_s = 16.5;
	res[0].run_s = 4.25;
	res[1].outcome = MO_KILLED_CRASH;
	snprintf(res[1].detail, sizeof(res[1].detail), "crashed twice");
	snprintf(res[1].failure, sizeof(res[1].failure), "the guest kernel panicked");
	res[2].outcome = MO_NOT_COMPILED;
	/* res[3..7] still pending: interrupted there */
	arr = mutant_results_json(&ms, pick, res, n, &t);
	assert_int_equal(t.n[MO_KILLED], 1);
	assert_int_equal(t.n[MO_PENDING], 5);
	dumped = json_dumps(arr, 0);
	json_decref(arr);
	arr = json_loads(dumped, 0, NULL);
	free(dumped);
	assert_int_equal(mutant_results_resume(arr, &ms, pick, again, n), 3);
	for (size_t k = 0; k < n; k++)
		assert_int_equal(again[k].outcome, res[k].outcome);
	assert_string_equal(again[0].detail, res[0].detail);
	assert_string_equal(again[0].failure, "");
	assert_string_equal(again[1].failure, res[1].failure);
	assert_float_equal(again[0].build_s, 16.5, 1e-9);
	assert_float_equal(again[0].run_s, 4.25, 1e-9);
	/* Another seed: only the mutants both samples hold come back. */
	n2 = mutant_sample(ms.n, 8, 8, pick2);
	for (size_t a = 0; a < 3; a++)
		for (size_t b = 0; b < n2; b++)
			shared += pick[a] == pick2[b];
	assert_int_equal(mutant_results_resume(arr, &ms, pick2, other, n2), shared);
	json_decref(arr);
	mutants_free(&ms);
}

/* A kernel tree as small as `bench mutants` accepts, in a new directory
 * @tree (a mkdtemp template): Kconfig and Makefile stubs and one C file. */
static void fake_tree(char *tree)
{
	char cmd[1024];

	assert_non_null(mkdtemp(tree));
	snprintf(
	    cmd, sizeof(cmd),
	    "cd %s && mkdir -p arch/x86 net/ipv4 scripts/kconfig && touch Makefile Kconfig "
	    "arch/x86/Kconfig scripts/kconfig/merge_config.sh && cp %s/tests/data/mutant/sample.c "
	    "net/ipv4/",
	    tree, getenv("PWD"));
	assert_int_equal(system(cmd), 0);
}

/* `bench mutants --ids`: only the mutants named (a run's survivors, to
 * check the cases written against them); a name outside the scope and
 * --ids with --sample are command-line errors, before anything is built. */
static void test_ids(void **state)
{
	char tree[] = "/tmp/tcpconform-ids-XXXXXX", cmd[1024];
	char *out;
	size_t n;
	struct err e;
	int st;

	(void)state;
	fake_tree(tree);
	snprintf(cmd, sizeof(cmd),
	         "build/tcpconform bench mutants src:%s --files net/ipv4/sample.c --ids "
	         "net/ipv4/sample.c:nosuch:1:1:ror:== -o %s/out > %s/log 2>&1",
	         tree, tree, tree);
	st = system(cmd);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 2);
	snprintf(cmd, sizeof(cmd), "%s/log", tree);
	out = infile_read(cmd, 1 << 16, &n, &e);
	assert_non_null(out);
	assert_non_null(strstr(out, "--ids: 'net/ipv4/sample.c:nosuch:1:1:ror:==' is not a mutant "
	                            "of the scope"));
	free(out);
	snprintf(cmd, sizeof(cmd), "%s/out", tree);
	assert_int_not_equal(access(cmd, F_OK), 0); /* nothing made */
	snprintf(cmd, sizeof(cmd),
	         "build/tcpconform bench mutants src:%s --ids x --sample 3 > %s/log 2>&1", tree,
	         tree);
	st = system(cmd);
	assert_int_equal(WEXITSTATUS(st), 2);
	snprintf(cmd, sizeof(cmd), "%s/log", tree);
	out = infile_read(cmd, 1 << 16, &n, &e);
	assert_non_null(out);
	assert_non_null(strstr(out, "--ids and --sample choose the mutants two ways"));
	free(out);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tree);
	assert_int_equal(system(cmd), 0);
}

/* --list with --sample: the chosen mutants on stdout, "ID<TAB>BEFORE ->
 * AFTER" a line, the same for the same seed; with --ids: the ones named;
 * nothing built, no results directory made. Notes about the environment
 * (a rootless container, no tracefs) go to stderr and are not read: the
 * list is what a script pipes on. */
static void test_list_sample(void **state)
{
	char tree[] = "/tmp/tcpconform-lists-XXXXXX", cmd[1024];
	char *a, *b, *c, *tab, id[200];
	size_t n;
	struct err e;

	(void)state;
	fake_tree(tree);
	for (int i = 0; i < 2; i++) {
		snprintf(cmd, sizeof(cmd),
		         "build/tcpconform bench mutants src:%s --files net/ipv4/sample.c --list "
		         "--sample 3 --seed 7 -o %s/out > %s/log%d 2> %s/err%d",
		         tree, tree, tree, i, tree, i);
		assert_int_equal(system(cmd), 0);
	}
	snprintf(cmd, sizeof(cmd), "%s/log0", tree);
	a = infile_read(cmd, 1 << 16, &n, &e);
	snprintf(cmd, sizeof(cmd), "%s/log1", tree);
	b = infile_read(cmd, 1 << 16, &n, &e);
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a, b);
	/* Three lines, each a mutant of the file, with its change. */
	n = 0;
	for (const char *p = a; *p; p++)
		n += *p == '\n';
	assert_int_equal(n, 3);
	assert_int_equal(strncmp(a, "net/ipv4/sample.c:", 18), 0);
	tab = strchr(a, '\t');
	assert_non_null(tab);
	assert_non_null(strstr(tab, " -> "));
	snprintf(cmd, sizeof(cmd), "%s/out", tree);
	assert_int_not_equal(access(cmd, F_OK), 0);
	/* --ids lists the one named. */
	snprintf(id, sizeof(id), "%.*s", (int)(tab - a), a);
	snprintf(
	    cmd, sizeof(cmd),
	    "build/tcpconform bench mutants src:%s --files net/ipv4/sample.c --list --ids '%s' "
	    "> %s/log2 2> %s/err2",
	    tree, id, tree, tree);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/log2", tree);
	c = infile_read(cmd, 1 << 16, &n, &e);
	assert_non_null(c);
	assert_int_equal(strncmp(c, a, (size_t)(strchr(a, '\n') - a) + 1), 0);
	assert_int_equal(strlen(c), (size_t)(strchr(a, '\n') - a) + 1);
	free(a);
	free(b);
	free(c);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tree);
	assert_int_equal(system(cmd), 0);
}

/* A results directory begun on another catalogue is not resumed: its
 * baseline runs and outcomes would be mixed with this catalogue's. */
static void test_resume_other_catalogue(void **state)
{
	char tree[] = "/tmp/tcpconform-rcat-XXXXXX", cmd[1024];
	char *out;
	size_t n;
	struct err e;
	int st;

	(void)state;
	fake_tree(tree);
	snprintf(cmd, sizeof(cmd),
	         "mkdir %s/out && echo '{\"catalogue\": \"fnv1a64:0123456789abcdef\", "
	         "\"mutants\": []}' > %s/out/mutants.json",
	         tree, tree);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd),
	         "build/tcpconform bench mutants src:%s --files net/ipv4/sample.c --sample 1 "
	         "-o %s/out > %s/log 2>&1",
	         tree, tree, tree);
	st = system(cmd);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 2);
	snprintf(cmd, sizeof(cmd), "%s/log", tree);
	out = infile_read(cmd, 1 << 16, &n, &e);
	assert_non_null(out);
	assert_non_null(strstr(out, "was begun on another catalogue (fnv1a64:0123456789abcdef, "
	                            "now fnv1a64:"));
	free(out);
	snprintf(cmd, sizeof(cmd), "%s/out/baseline-1", tree);
	assert_int_not_equal(access(cmd, F_OK), 0); /* nothing run */
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tree);
	assert_int_equal(system(cmd), 0);
}

/* ---- the whole flow of `bench mutants`, on a stub tree ----
 *
 * build/tcpconform bench mutants src:TREE:OBJ --files net/ipv4/sample.c
 * --ids ..., with a fake `make` first on PATH and a fake `tcpconform vm`
 * (TCPCONFORM_BENCH_VM), so that building, booting, stopping at a change,
 * confirming it alone, crashes, hangs (TCPCONFORM_BENCH_RUN_LIMIT_S) and
 * resuming run in seconds.  What the stub tree needs: parse_src()'s four
 * files (Makefile, Kconfig, arch/x86/Kconfig,
 * scripts/kconfig/merge_config.sh), the C file mutated, and a .config in
 * OBJ with fixtures/kernel/config's options =y (ksrc_build() checks the
 * harness and guest ones; with a .config there it configures nothing, and
 * calls make only for bzImage). */

/* The make bench mutants calls (make -C TREE O=OBJ -jN bzImage, for the
 * baseline in OBJ, for a mutant in overlays over both): the "image" is the
 * sample.c the build sees, mutated or not, so the fake vm tells the
 * mutants apart by their text. */
static const char fake_make[] =
    "#!/bin/sh\n"
    "src= obj=\n"
    "while [ $# -gt 0 ]; do\n"
    "\tcase $1 in\n"
    "\t-C) src=$2; shift ;;\n"
    "\tO=*) obj=${1#O=} ;;\n"
    "\tesac\n"
    "\tshift\n"
    "done\n"
    "[ -n \"$obj\" ] || obj=$src\n"
    "echo make >> \"$FAKE_STATE/calls\"\n"
    "if grep -qF 'x = 6;' \"$src/net/ipv4/sample.c\"; then\n"
    "\techo 'net/ipv4/sample.c:22:7: error: the fake compiler refuses x = 6' >&2\n"
    "\texit 2\n"
    "fi\n"
    "mkdir -p \"$obj/arch/x86/boot\" &&\n"
    "\tcp \"$src/net/ipv4/sample.c\" \"$obj/arch/x86/boot/bzImage\"\n";

/* `tcpconform vm --timeout S --rerun-slipped 0 --kernel IMAGE -o OUT`, then [--in-order]
 * CASE... (a full run) or --variant V CASE (a change run again alone).
 * Four variants; the unmutated kernel fails handshake ipv6 (client_state
 * SYN_SENT) and passes the others.  The mutant in the image (its marker
 * text) says what changes; full runs are counted per mutant in
 * $FAKE_STATE/KEY.n, and every call is logged in $FAKE_STATE/calls. */
static const char fake_vm[] =
    "#!/bin/sh\n"
    "S=$FAKE_STATE\n"
    "[ \"$1\" = vm ] || { echo \"fake vm: $*\" >&2; exit 2; }\n"
    "shift\n"
    "img= out= only= var= first= inorder= stall= warn= rerun=\n"
    "while [ $# -gt 0 ]; do\n"
    "\tcase $1 in\n"
    "\t--timeout) echo \"$2\" >> \"$S/timeouts\"; shift ;;\n"
    "\t--stop-on-stall) stall=1 ;;\n"
    "\t--panic-on-warn) warn=1 ;;\n"
    "\t--rerun-slipped) rerun=$2; shift ;;\n"
    "\t--kernel) img=$2; shift ;;\n"
    "\t-o) out=$2; shift ;;\n"
    "\t--variant) var=$2; shift ;;\n"
    "\t--in-order) inorder=1 ;;\n"
    "\t*) if [ -n \"$var\" ]; then only=$1\n"
    "\t   elif [ -z \"$first\" ]; then first=$1; fi ;;\n"
    "\tesac\n"
    "\tshift\n"
    "done\n"
    "[ -n \"$stall\" ] || { echo 'fake vm: bench mutants must pass --stop-on-stall' >&2; exit 2; "
    "}\n"
    "[ -n \"$warn\" ] || { echo 'fake vm: bench mutants must pass --panic-on-warn' >&2; exit 2; "
    "}\n"
    "[ \"$rerun\" = 0 ] || { echo 'fake vm: bench mutants must pass --rerun-slipped 0' >&2; "
    "exit 2; }\n"
    "k=base\n"
    "grep -qF 'n / 2' \"$img\" && k=pass\n"
    "grep -qF '3 || p' \"$img\" && k=kill\n"
    "grep -qF '!(n >= 3' \"$img\" && k=flaky\n"
    "grep -qF 'n < 3' \"$img\" && k=observed\n"
    "grep -qF 'return 0;' \"$img\" && k=panic\n"
    "grep -qF 'foo(sk);' \"$img\" || k=hang\n"
    "grep -qF 'n > 3' \"$img\" && k=changecrash\n"
    "grep -qF 'n >= 4' \"$img\" && k=flakycrash\n"
    "grep -qF 'n >= 0' \"$img\" && k=guestrc\n"
    "grep -qF 'n >= 1' \"$img\" && k=tracecrash\n"
    "grep -qF 'n <= 3' \"$img\" && k=emuflaky\n"
    "grep -qF 'n * 3' \"$img\" && k=rank\n"
    "n=0\n"
    "if [ -z \"$var\" ]; then\n"
    "\tn=$(cat \"$S/$k.n\" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > \"$S/$k.n\"\n"
    "\techo \"$k full $first\" >> \"$S/calls\"\n"
    "else\n"
    "\tcase \"$only $var\" in\n"
    "\t'refused ipv4'|'refused ipv6'|'handshake ipv4'|'handshake ipv6') ;;\n"
    "\t'syn-backoff ipv4'|'syn-backoff ipv6'|'synack-backoff ipv4') ;;\n"
    "\t*) echo \"fake vm: no variant '$var' of case '$only'\" >&2; exit 2 ;;\n"
    "\tesac\n"
    "\techo \"$k confirm $only $var\" >> \"$S/calls\"\n"
    "fi\n"
    "mkdir -p \"$out\"\n"
    "i=0 sum= rc=0\n"
    "v() {\n"
    "\tif [ -n \"$var\" ] && { [ \"$1\" != \"$only\" ] || [ \"$2\" != \"$var\" ]; }; then return; "
    "fi\n"
    "\ti=$((i + 1))\n"
    "\twhy=; [ \"$3\" = pass ] || why=\": client_state: $4\"\n"
    "\techo \"[$i/7] $1 $2 ... $3 0.1s$why\"\n"
    "\t[ \"$3\" = pass ] || rc=1\n"
    "\tsum=\"$sum${sum:+,}{\\\"case\\\":\\\"$1\\\",\\\"variant\\\":\\\"$2\\\",\\\"verdict\\\":"
    "\\\"$3\\\",\\\"checks\\\":[{\\\"name\\\":\\\"client_state\\\",\\\"verdict\\\":\\\"$3\\\","
    "\\\"observed\\\":\\\"$4\\\",\\\"exact\\\":true}]}\"\n"
    "}\n"
    "crash() { echo \"tcpconform: $img: $1\" >&2; exit 3; }\n"
    "panic='the guest kernel panicked: Kernel panic - not syncing: Fatal exception'\n"
    "r4=pass r6=pass h4=pass h6=fail h6o=SYN_SENT s4=pass s6=pass k4=pass\n"
    "case $k in\n"
    "pass) h6=pass h6o=ESTABLISHED ;;\n"
    "kill) r6=fail ;;\n"
    "flaky) [ -z \"$var\" ] && r4=fail ;;\n"
    "observed) h6o=CLOSE ;;\n"
    "changecrash) [ $n = 1 ] && r4=fail; h4=fail ;;\n"
    "flakycrash) [ -z \"$var\" ] && h4=fail ;;\n"
    /* fails everywhere; alone it leaves a mark that makes the unmutated
     * kernel's next run alone of the variant fail too, once: a flake of
     * the emulator, not of the mutant */
    "emuflaky) h4=fail; [ -n \"$var\" ] && touch \"$S/emuflaky\" ;;\n"
    /* the run stopped at its first change: a slip of handshake ipv4;
     * the full run: three slips of slow cases (30 s and 25 s limits),
     * first in the summary, then a change in refused (no limit of its
     * own: a quick case), which comes back alone */
    "rank) [ \"$n\" = 1 ] && h4=fail\n"
    "\t[ \"$n\" = 2 ] && { s4=fail; s6=fail; k4=fail; }\n"
    "\t{ [ -n \"$var\" ] || [ \"$n\" = 2 ]; } && r6=fail ;;\n"
    "base) [ -n \"$var\" ] && [ -f \"$S/emuflaky\" ] && { h4=fail; rm -f \"$S/emuflaky\"; } ;;\n"
    "esac\n"
    "v syn-backoff ipv4 $s4 ESTABLISHED\n"
    "v syn-backoff ipv6 $s6 ESTABLISHED\n"
    "v synack-backoff ipv4 $k4 ESTABLISHED\n"
    "v refused ipv4 $r4 ESTABLISHED\n"
    "v refused ipv6 $r6 ESTABLISHED\n"
    "if [ -z \"$var\" ]; then\n"
    "\tcase $k in\n"
    "\tpanic) crash \"$panic\" ;;\n"
    "\ttracecrash) printf 'Call Trace:\\n target+0x1c/0x40\\n' > \"$out/console.log\"\n"
    "\t\tcrash \"$panic\" ;;\n"
    "\thang) sleep 60; exit 0 ;;\n"
    "\tguestrc) crash 'tcpconform run in the guest exited 3 (see its console output above)' ;;\n"
    "\tbase) [ -f \"$S/baseline-panics\" ] && [ $n = 1 ] && crash \"$panic\" ;;\n"
    "\tesac\n"
    "fi\n"
    "v handshake ipv4 $h4 ESTABLISHED\n"
    "v handshake ipv6 $h6 $h6o\n"
    "if [ -z \"$var\" ]; then\n"
    "\tcase $k in\n"
    "\tchangecrash) crash 'the run did not finish within 3 s; last console line: [ 3.1] rcu: "
    "INFO: rcu_preempt detected stalls' ;;\n"
    "\tflakycrash) crash \"$panic\" ;;\n"
    "\tesac\n"
    "fi\n"
    "echo \"{\\\"wall_ms\\\":${FAKE_WALL_MS:-1000},\\\"variants\\\":[$sum]}\" > "
    "\"$out/summary.json\"\n"
    "exit $rc\n";

struct flow {
	char dir[128];
	char path[512];
};

/* @f->dir/@name, in @f->path. */
static const char *fpath(struct flow *f, const char *name)
{
	snprintf(f->path, sizeof(f->path), "%s/%s", f->dir, name);
	return f->path;
}

static void write_file(const char *path, const char *body, mode_t mode)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_true(fputs(body, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, mode), 0);
}

/* Can this process do what the build child does: a private mount
 * namespace with an overlay?  NULL, or why not. */
static const char *no_overlay(void)
{
	char d[] = "/tmp/tcpconform-ovl-XXXXXX", lo[64], up[64], wk[64], mnt[64], opts[256];
	const char *why = NULL;
	pid_t pid;
	int st;

	if (geteuid() != 0)
		return "not root: bench mutants builds in overlays in a private mount namespace";
	if (!mkdtemp(d))
		return "no temporary directory";
	snprintf(lo, sizeof(lo), "%s/lo", d);
	snprintf(up, sizeof(up), "%s/up", d);
	snprintf(wk, sizeof(wk), "%s/wk", d);
	snprintf(mnt, sizeof(mnt), "%s/mnt", d);
	snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s", lo, up, wk);
	if (mkdir(lo, 0755) < 0 || mkdir(up, 0755) < 0 || mkdir(wk, 0755) < 0 ||
	    mkdir(mnt, 0755) < 0)
		why = "no temporary directory";
	fflush(NULL);
	pid = why ? -1 : fork();
	if (pid == 0)
		_exit(unshare(CLONE_NEWNS) < 0 ||
		              mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0
		          ? 1
		      : mount("overlay", mnt, "overlay", 0, opts) < 0 ? 2
		                                                      : 0);
	if (!why && (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)))
		why = pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 2
		          ? "no overlayfs mount in a private mount namespace"
		          : "no private mount namespace (unshare CLONE_NEWNS)";
	tl_rmtree(d);
	return why;
}

#define REQUIRE_OVERLAY()                                                                          \
	do {                                                                                       \
		const char *why_ = no_overlay();                                                   \
		if (why_) {                                                                        \
			print_message("skipped: %s\n", why_);                                      \
			skip();                                                                    \
		}                                                                                  \
	} while (0)

/* The stub tree, OBJ with its .config, the fake make and vm. */
static void flow_setup(struct flow *f)
{
	char *out;

	assert_int_equal(tl_tmpdir(f->dir, sizeof(f->dir), "flow"), 0);
	assert_int_equal(
	    tl_sh(&out,
	          "cd %s && mkdir -p tree/arch/x86 tree/net/ipv4 tree/scripts/kconfig obj bin "
	          "state && touch tree/Makefile tree/Kconfig tree/arch/x86/Kconfig "
	          "tree/scripts/kconfig/merge_config.sh && cp %s/tests/data/mutant/sample.c "
	          "tree/net/ipv4/ && sed -n 's/^\\(CONFIG_[A-Z0-9_]*=y\\).*/\\1/p' "
	          "%s/fixtures/kernel/config > obj/.config && test -s obj/.config",
	          f->dir, getenv("PWD"), getenv("PWD")),
	    0);
	free(out);
	write_file(fpath(f, "bin/make"), fake_make, 0755);
	write_file(fpath(f, "bin/vm"), fake_vm, 0755);
}

/* bench mutants on the stub tree: its exit status; its output in
 * DIR/log (ksrc's build log in DIR/cache, not the user's cache). */
static int flow_bench(struct flow *f, const char *ids, const char *extra)
{
	char *out;
	int st = tl_sh(&out,
	               "cd %s && PATH=%s/bin:$PATH FAKE_STATE=%s/state XDG_CACHE_HOME=%s/cache "
	               "TCPCONFORM_BENCH_VM=%s/bin/vm TCPCONFORM_BENCH_RUN_LIMIT_S=3 "
	               "build/tcpconform bench mutants src:%s/tree:%s/obj --files "
	               "net/ipv4/sample.c --ids %s -o %s/out %s > %s/log 2>&1",
	               getenv("PWD"), f->dir, f->dir, f->dir, f->dir, f->dir, f->dir, ids, f->dir,
	               extra, f->dir);

	free(out);
	if (st != 0) {
		char *log = NULL;

		tl_sh(&log, "cat %s/log", f->dir);
		print_message("bench mutants exited %d:\n%s\n", st, log ? log : "");
		free(log);
	}
	return st;
}

static json_t *flow_json(struct flow *f)
{
	json_t *j = json_load_file(fpath(f, "out/mutants.json"), 0, NULL);

	assert_non_null(j);
	return j;
}

static json_t *flow_mutant(json_t *j, const char *id)
{
	size_t i;
	json_t *m;

	json_array_foreach(json_object_get(j, "mutants"), i, m)
	{
		if (strcmp(json_string_value(json_object_get(m, "id")), id) == 0)
			return m;
	}
	fail_msg("mutants.json has no %s", id);
	return NULL;
}

static const char *jfield(json_t *m, const char *key)
{
	const char *s = json_string_value(json_object_get(m, key));

	assert_non_null(s);
	return s;
}

/* Lines of state/calls that start with @prefix. */
static unsigned flow_calls(struct flow *f, const char *prefix)
{
	char line[512];
	unsigned n = 0;
	FILE *fp = fopen(fpath(f, "state/calls"), "r");

	if (!fp)
		return 0;
	while (fgets(line, sizeof(line), fp))
		n += strncmp(line, prefix, strlen(prefix)) == 0;
	fclose(fp);
	return n;
}

#define SAMPLE "net/ipv4/sample.c:target:"

/* What each mutant does on the fake vm, and what the bench must make of it. */
static const struct flow_case {
	const char *id, *outcome, *detail, *failure; /* failure: a part of it */
} flow_cases[] = {
    /* a variant the unmutated kernel passed fails, and again alone */
    {SAMPLE "18:13:lcr:||", "killed",
     "refused ipv6: fail (client_state: ESTABLISHED), unmutated pass", ""},
    /* fails in full runs, passes alone: a slip, not a kill */
    {SAMPLE "18:2:neg:neg", "survived",
     "once, not again: refused ipv4: fail (client_state: ESTABLISHED), unmutated pass", ""},
    /* passes everything, even the check the unmutated kernel failed */
    {SAMPLE "16:12:aor:/", "survived", "", ""},
    /* the same verdicts, another exact observed value: compared check by check */
    {SAMPLE "18:8:ror:<", "killed",
     "handshake ipv6 client_state: fail (CLOSE), unmutated fail (SYN_SENT)", ""},
    /* panics every time; the unmutated kernel never did */
    {SAMPLE "25:9:rvr:0", "killed-crash",
     "crashed (vm exit 3) twice; the unmutated kernel never did in 2 run(s)",
     "the guest kernel panicked: Kernel panic"},
    /* silent past the run limit, every time */
    {SAMPLE "19:3:sdl:sdl", "killed-crash",
     "hung twice; the unmutated kernel never did in 2 run(s)", ""},
    /* a slip in the first run; in the full run a real change, then the vm
     * gives up on a stalled guest: the change is confirmed, the vm's words
     * stay out of the detail (a crash overwrote it once) */
    {SAMPLE "18:8:ror:>", "killed",
     "handshake ipv4: fail (client_state: ESTABLISHED), unmutated pass", ""},
    /* a change that never comes back alone, then a panic, in every full
     * run: the panic, seen twice after the slip (no summary to read, no
     * error string taken for a case) */
    {SAMPLE "18:11:crp:4", "killed-crash",
     "crashed (vm exit 3) twice; the unmutated kernel never did in 2 run(s)",
     "the guest kernel panicked"},
    {SAMPLE "22:7:crp:6", "not-compiled",
     "net/ipv4/sample.c:22:7: error: the fake compiler refuses x = 6", ""},
    /* the guest's harness could not run on this kernel */
    {SAMPLE "18:11:crp:0", "killed", "the guest's tcpconform run failed on this kernel",
     "tcpconform run in the guest exited 3"},
    /* fails in the full run and alone, and alone on the unmutated kernel
     * too (the control): not a kill */
    {SAMPLE "18:8:ror:<=", "survived",
     "again alone, and alone on the unmutated kernel too: handshake ipv4: fail "
     "(client_state: ESTABLISHED), unmutated pass",
     ""},
};
#define NFLOW (sizeof(flow_cases) / sizeof(flow_cases[0]))

static void flow_check(json_t *j)
{
	json_t *t = json_object_get(j, "tally");

	assert_int_equal(json_array_size(json_object_get(j, "mutants")), NFLOW);
	for (size_t i = 0; i < NFLOW; i++) {
		const struct flow_case *c = &flow_cases[i];
		json_t *m = flow_mutant(j, c->id);

		if (strcmp(jfield(m, "outcome"), c->outcome) != 0 ||
		    strcmp(jfield(m, "detail"), c->detail) != 0 ||
		    (c->failure[0] ? !strstr(jfield(m, "failure"), c->failure)
		                   : jfield(m, "failure")[0] != '\0'))
			fail_msg("%s: got %s '%s' (failure '%s'), want %s '%s' (failure '%s')",
			         c->id, jfield(m, "outcome"), jfield(m, "detail"),
			         jfield(m, "failure"), c->outcome, c->detail, c->failure);
		/* the vm's words are never a detail */
		assert_null(strstr(jfield(m, "detail"), "tcpconform:"));
		assert_null(strstr(jfield(m, "detail"), "the guest kernel panicked"));
	}
	assert_int_equal(json_integer_value(json_object_get(t, "killed")), 4);
	assert_int_equal(json_integer_value(json_object_get(t, "killed-crash")), 3);
	assert_int_equal(json_integer_value(json_object_get(t, "survived")), 3);
	assert_int_equal(json_integer_value(json_object_get(t, "not-compiled")), 1);
	assert_int_equal(json_integer_value(json_object_get(t, "suspect")), 0);
	assert_int_equal(json_integer_value(json_object_get(t, "pending")), 0);
	assert_float_equal(json_real_value(json_object_get(j, "score")), 7.0 / 10, 1e-9);
	assert_int_equal(json_integer_value(json_object_get(j, "baseline_runs")), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "baseline_crashes")), 0);
	assert_int_equal(json_integer_value(json_object_get(j, "done")), NFLOW);
}

/* Every outcome of the flow on fake kernels; then, with some results
 * deleted, the same command again runs only those, to the same ends. */
static void test_flow(void **state)
{
	struct flow f;
	char ids[2048] = "";
	const char *const again[] = {flow_cases[0].id, flow_cases[1].id, flow_cases[7].id,
	                             flow_cases[9].id};
	json_t *j, *j2, *ms;
	size_t i;
	char *out;

	(void)state;
	REQUIRE_OVERLAY();
	flow_setup(&f);
	for (i = 0; i < NFLOW; i++)
		snprintf(ids + strlen(ids), sizeof(ids) - strlen(ids), "%s'%s'", i ? "," : "",
		         flow_cases[i].id);
	assert_int_equal(flow_bench(&f, ids, ""), 0);
	/* the mutants were built in the child's own mounts: the tree and the
	 * baseline build (whose "image" is the text make saw) are as before */
	assert_int_equal(tl_sh(&out,
	                       "cmp %s/tree/net/ipv4/sample.c tests/data/mutant/sample.c && "
	                       "cmp %s/obj/arch/x86/boot/bzImage tests/data/mutant/sample.c && "
	                       "! test -e %s/out/work",
	                       f.dir, f.dir, f.dir),
	                 0);
	free(out);
	j = flow_json(&f);
	flow_check(j);
	/* two baseline runs, with no case order; each mutant built once */
	assert_int_equal(flow_calls(&f, "base full \n"), 2);
	assert_int_equal(flow_calls(&f, "make"), 1 + NFLOW);
	/* the case that killed goes first from then on */
	assert_int_equal(flow_calls(&f, "kill full refused"), 0);
	assert_int_equal(flow_calls(&f, "flaky full refused"), 2);
	/* a kill: one run stopped at the change, one run of it alone */
	assert_int_equal(flow_calls(&f, "kill full"), 1);
	assert_int_equal(flow_calls(&f, "kill confirm refused ipv6"), 1);
	/* a slip: stopped, refuted alone, then the whole catalogue */
	assert_int_equal(flow_calls(&f, "flaky full"), 2);
	assert_int_equal(flow_calls(&f, "flaky confirm refused ipv4"), 1);
	assert_int_equal(flow_calls(&f, "pass full"), 1);
	assert_int_equal(flow_calls(&f, "pass confirm"), 0);
	/* a crash, then again; a hang, then again */
	assert_int_equal(flow_calls(&f, "panic full"), 2);
	assert_int_equal(flow_calls(&f, "hang full"), 2);
	assert_int_equal(flow_calls(&f, "hang confirm"), 0);
	assert_int_equal(flow_calls(&f, "changecrash confirm handshake ipv4"), 1);
	/* seen in the full run, so a third attempt sees it again */
	assert_int_equal(flow_calls(&f, "flakycrash full"), 3);
	assert_int_equal(flow_calls(&f, "flakycrash confirm handshake ipv4"), 1);
	assert_int_equal(flow_calls(&f, "guestrc full"), 1);
	assert_int_equal(flow_calls(&f, "guestrc confirm"), 0);
	/* every change that came back alone, once on the unmutated kernel:
	 * kill's, observed's, changecrash's and emuflaky's (which fails there
	 * too: refuted, then the whole catalogue without it) */
	assert_int_equal(flow_calls(&f, "base confirm refused ipv6"), 1);
	assert_int_equal(flow_calls(&f, "base confirm handshake ipv6"), 1);
	assert_int_equal(flow_calls(&f, "base confirm handshake ipv4"), 2);
	assert_int_equal(flow_calls(&f, "base confirm"), 4);
	assert_int_equal(flow_calls(&f, "emuflaky full"), 2);
	assert_int_equal(flow_calls(&f, "emuflaky confirm handshake ipv4"), 1);
	/* each hang cost the run limit (3 s), not the fake vm's 60 s */
	assert_true(json_real_value(json_object_get(flow_mutant(j, flow_cases[5].id), "run_s")) <
	            30);

	/* Results of four deleted: only those run again, the baseline is
	 * resumed, and everything comes out the same. */
	ms = json_object_get(j, "mutants");
	for (size_t a = 0; a < sizeof(again) / sizeof(again[0]); a++)
		for (i = 0; i < json_array_size(ms); i++)
			if (strcmp(jfield(json_array_get(ms, i), "id"), again[a]) == 0) {
				json_array_remove(ms, i);
				break;
			}
	assert_int_equal(json_array_size(ms), NFLOW - 4);
	assert_int_equal(json_dump_file(j, fpath(&f, "out/mutants.json"), 0), 0);
	assert_int_equal(tl_sh(&out, "rm %s/state/*", f.dir), 0);
	free(out);
	assert_int_equal(flow_bench(&f, ids, ""), 0);
	j2 = flow_json(&f);
	flow_check(j2);
	json_array_foreach(json_object_get(j, "mutants"), i, ms)
	{
		json_t *m2 = flow_mutant(j2, jfield(ms, "id"));

		assert_string_equal(jfield(m2, "outcome"), jfield(ms, "outcome"));
		assert_string_equal(jfield(m2, "detail"), jfield(ms, "detail"));
		assert_string_equal(jfield(m2, "failure"), jfield(ms, "failure"));
	}
	assert_int_equal(flow_calls(&f, "base full"), 0);
	assert_int_equal(flow_calls(&f, "base confirm refused ipv6"), 1); /* kill's control */
	assert_int_equal(flow_calls(&f, "make"), 1 + 4);
	assert_int_equal(flow_calls(&f, "hang"), 0);
	assert_int_equal(flow_calls(&f, "panic"), 0);
	assert_int_equal(flow_calls(&f, "kill full"), 1);
	assert_int_equal(flow_calls(&f, "guestrc full"), 1);
	json_decref(j);
	json_decref(j2);
	assert_int_equal(tl_rmtree(f.dir), 0);
}

/* When the unmutated kernel crashed in one of its runs, a mutant's crash
 * is tied to it only by a call trace naming the mutated function;
 * otherwise it is a suspect, outside the score. */
/* Without the test hook the unmutated kernel's runs get 1800 s and each
 * mutant's twice the slowest of them (summary.json wall_ms) plus 60 s for
 * the boot, at least 300 s. */
static void test_flow_run_limit(void **state)
{
	struct flow f;
	char *out;

	(void)state;
	REQUIRE_OVERLAY();
	flow_setup(&f);
	assert_int_equal(
	    tl_sh(&out,
	          "cd %s && PATH=%s/bin:$PATH FAKE_STATE=%s/state XDG_CACHE_HOME=%s/cache "
	          "FAKE_WALL_MS=400000 TCPCONFORM_BENCH_VM=%s/bin/vm "
	          "build/tcpconform bench mutants src:%s/tree:%s/obj --files "
	          "net/ipv4/sample.c --ids '%s' --baseline-runs 1 -o %s/out > %s/log 2>&1",
	          getenv("PWD"), f.dir, f.dir, f.dir, f.dir, f.dir, f.dir, SAMPLE "16:12:aor:/",
	          f.dir, f.dir),
	    0);
	free(out);
	/* the baseline, then the mutant's full run: 2 x 400 s + 60 s */
	assert_int_equal(tl_sh(&out, "cat %s/state/timeouts", f.dir), 0);
	assert_string_equal(out, "1800\n860\n");
	free(out);
	assert_int_equal(tl_rmtree(f.dir), 0);
}

/* --first: the cases named start every mutant's guest, ahead of the kill
 * order; an unknown name is refused before anything is built. */
static void test_flow_first(void **state)
{
	struct flow f;
	char ids[300];
	char *out;

	(void)state;
	REQUIRE_OVERLAY();
	flow_setup(&f);
	snprintf(ids, sizeof(ids), "'%s'", SAMPLE "16:12:aor:/");
	assert_int_equal(flow_bench(&f, ids, "--first nosuch-case"), 2);
	assert_int_equal(
	    tl_sh(&out, "grep -q \"no case 'nosuch-case' in the catalogue\" %s/log", f.dir), 0);
	free(out);
	assert_int_equal(flow_calls(&f, "make"), 0);
	/* without --first the case with the longest time limit leads */
	assert_int_equal(flow_bench(&f, ids, ""), 0);
	assert_int_equal(flow_calls(&f, "pass full "), 1);
	assert_int_equal(flow_calls(&f, "pass full handshake\n"), 0);
	assert_int_equal(tl_sh(&out, "rm -r %s/out %s/state/*", f.dir, f.dir), 0);
	free(out);
	assert_int_equal(flow_bench(&f, ids, "--first refused,handshake"), 0);
	assert_int_equal(flow_calls(&f, "pass full handshake\n"), 1);
	assert_int_equal(tl_rmtree(f.dir), 0);
}

/* A full run changed four variants; the three of slow cases (syn-backoff,
 * synack-backoff: 30 s and 25 s limits) come first in its summary.  Only
 * three are confirmed alone: those of the cases with the shortest limits,
 * so the change in refused (no limit of its own: a quick case) is
 * confirmed, not the slips that would take all three places in summary
 * order. */
static void test_flow_confirm_order(void **state)
{
	struct flow f;
	char ids[300];
	json_t *j, *m;

	(void)state;
	REQUIRE_OVERLAY();
	flow_setup(&f);
	snprintf(ids, sizeof(ids), "'%s'", SAMPLE "16:14:crp:3");
	assert_int_equal(flow_bench(&f, ids, ""), 0);
	j = flow_json(&f);
	m = flow_mutant(j, SAMPLE "16:14:crp:3");
	assert_string_equal(jfield(m, "outcome"), "killed");
	assert_string_equal(jfield(m, "detail"),
	                    "refused ipv6 client_state: fail (ESTABLISHED), unmutated pass "
	                    "(ESTABLISHED)");
	assert_int_equal(flow_calls(&f, "rank confirm refused ipv6"), 1);
	assert_int_equal(flow_calls(&f, "rank confirm syn"), 0);
	json_decref(j);
	assert_int_equal(tl_rmtree(f.dir), 0);
}

static void test_flow_baseline_crash(void **state)
{
	struct flow f;
	const char *const killed = SAMPLE "18:13:lcr:||", *traced = SAMPLE "18:11:crp:1",
	                  *suspect = SAMPLE "25:9:rvr:0";
	char ids[600];
	json_t *j, *m, *t;
	char *out;

	(void)state;
	REQUIRE_OVERLAY();
	flow_setup(&f);
	write_file(fpath(&f, "state/baseline-panics"), "", 0644);
	snprintf(ids, sizeof(ids), "'%s','%s','%s'", killed, traced, suspect);
	assert_int_equal(flow_bench(&f, ids, ""), 0);
	j = flow_json(&f);
	assert_int_equal(json_integer_value(json_object_get(j, "baseline_runs")), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "baseline_crashes")), 1);
	m = flow_mutant(j, killed);
	assert_string_equal(jfield(m, "outcome"), "killed");
	assert_string_equal(jfield(m, "detail"),
	                    "refused ipv6: fail (client_state: ESTABLISHED), unmutated pass");
	m = flow_mutant(j, traced);
	assert_string_equal(jfield(m, "outcome"), "killed-crash");
	assert_string_equal(jfield(m, "detail"), "crashed twice; the call trace names target");
	assert_non_null(strstr(jfield(m, "failure"), "the guest kernel panicked"));
	m = flow_mutant(j, suspect);
	assert_string_equal(jfield(m, "outcome"), "suspect");
	assert_string_equal(jfield(m, "detail"), "crashed (vm exit 3), 2 time(s)");
	assert_non_null(strstr(jfield(m, "failure"), "the guest kernel panicked"));
	t = json_object_get(j, "tally");
	assert_int_equal(json_integer_value(json_object_get(t, "suspect")), 1);
	assert_float_equal(json_real_value(json_object_get(j, "score")), 1.0, 1e-9);
	/* the page shows the vm's words apart from the detail */
	assert_int_equal(tl_sh(&out,
	                       "grep -q 'crashed (vm exit 3), 2 time(s)<br>vm: <code>' "
	                       "%s/out/mutants.html",
	                       f.dir),
	                 0);
	free(out);
	json_decref(j);
	assert_int_equal(tl_rmtree(f.dir), 0);
}

/* `bench kernel-loop` on the stub tree with the fake vm, the cases @cases
 * ("" for all) after the tree; its exit status, its output in *@out. */
static int kernel_loop(struct flow *f, const char *cases, char **out)
{
	return tl_sh(out,
	             "cd %s && PATH=%s/bin:$PATH FAKE_STATE=%s/state XDG_CACHE_HOME=%s/cache "
	             "TCPCONFORM_BENCH_VM=%s/bin/vm TCPCONFORM_BENCH_RUN_LIMIT_S=3 "
	             "build/tcpconform bench kernel-loop src:%s/tree:%s/obj %s --file "
	             "net/ipv4/sample.c -o %s/loop 2>&1",
	             getenv("PWD"), f->dir, f->dir, f->dir, f->dir, f->dir, f->dir, cases, f->dir);
}

/* bench kernel-loop on the stub tree: the unmutated kernel's run fails
 * handshake ipv6 in the fake vm, and the loop names it, with its check,
 * after its figures; with cases named, the vm gets them. */
static void test_kernel_loop_names_failures(void **state)
{
	struct flow f;
	char *out;

	(void)state;
	REQUIRE_OVERLAY();
	flow_setup(&f);
	assert_int_equal(kernel_loop(&f, "", &out), 0);
	assert_non_null(strstr(out, "edit_to_verdicts_s="));
	assert_non_null(
	    strstr(out, "\n  fail: handshake ipv6: client_state: SYN_SENT (expected )\n"));
	assert_null(strstr(out, "refused ipv4:"));
	assert_non_null(strstr(out, "boot + catalogue in qemu"));
	assert_int_equal(flow_calls(&f, "base full \n"), 1);
	free(out);
	/* The cases named after the tree are all the loop runs. */
	assert_int_equal(kernel_loop(&f, "refused", &out), 0);
	assert_non_null(strstr(out, "boot + the cases named in qemu"));
	assert_int_equal(flow_calls(&f, "base full refused\n"), 1);
	free(out);
	assert_int_equal(tl_rmtree(f.dir), 0);
}

/* --reach: each mutant's line count from a reach.json, beside its outcome
 * in mutants.json and on the page, and in the survivors' lines; a file
 * that is not a reach.json is an input error. */
static void test_flow_reach(void **state)
{
	struct flow f;
	json_t *j;
	char ids[256], *out;

	(void)state;
	REQUIRE_OVERLAY();
	flow_setup(&f);
	write_file(fpath(&f, "reach.json"),
	           "{\"points\": [{\"id\": \"" SAMPLE "16:12:aor:/\", \"count\": 0},"
	           " {\"id\": \"" SAMPLE "18:13:lcr:||\", \"count\": 5},"
	           " {\"id\": 7, \"count\": \"x\"}]}",
	           0644);
	snprintf(ids, sizeof(ids), "'%s,%s'", SAMPLE "16:12:aor:/", SAMPLE "18:13:lcr:||");
	{
		char extra[300];

		snprintf(extra, sizeof(extra), "--reach %s/reach.json", f.dir);
		assert_int_equal(flow_bench(&f, ids, extra), 0);
	}
	j = flow_json(&f);
	assert_int_equal(
	    json_integer_value(json_object_get(flow_mutant(j, SAMPLE "16:12:aor:/"), "line_count")),
	    0);
	assert_int_equal(json_integer_value(
	                     json_object_get(flow_mutant(j, SAMPLE "18:13:lcr:||"), "line_count")),
	                 5);
	json_decref(j);
	assert_int_equal(tl_sh(&out, "cat %s/log", f.dir), 0);
	assert_non_null(strstr(out, "  survivor " SAMPLE "16:12:aor:/ (* -> /): line never ran\n"));
	free(out);
	assert_int_equal(tl_sh(&out, "grep -c 'line ran 5 times' %s/out/mutants.html", f.dir), 0);
	free(out);
	/* not a reach.json */
	write_file(fpath(&f, "reach.json"), "{\"mutants\": []}", 0644);
	{
		char extra[300];

		snprintf(extra, sizeof(extra), "--reach %s/reach.json", f.dir);
		assert_int_not_equal(flow_bench(&f, ids, extra), 0);
	}
	assert_int_equal(tl_sh(&out, "cat %s/log", f.dir), 0);
	assert_non_null(strstr(out, "no \"points\" array: not a reach.json of bench reach"));
	free(out);
	assert_int_equal(tl_rmtree(f.dir), 0);
}

/* ---- bench reach on a stub tree: real gcc --coverage, real gcov ----
 *
 * The fake make configures nothing (its merge_config.sh writes the two
 * fragments' options as the .config) and, when called with
 * GCOV_PROFILE_reach.o=y, compiles tests/data/mutant/reach.c with
 * --coverage and links it with a driver that calls reach_seen(1): the
 * "image".  The fake vm runs the image (its counters land beside the
 * object) and sends them as the guest's /init does, under
 * kernel-gcov/net/ipv4/. */
static const char reach_make[] =
    "#!/bin/sh\n"
    "src= obj= gcov=\n"
    "while [ $# -gt 0 ]; do\n"
    "\tcase $1 in\n"
    "\t-C) src=$2; shift ;;\n"
    "\tO=*) obj=${1#O=} ;;\n"
    "\tGCOV_PROFILE_reach.o=y) gcov=1 ;;\n"
    "\tesac\n"
    "\tshift\n"
    "done\n"
    "[ -n \"$gcov\" ] || exit 0\n"
    "mkdir -p \"$obj/net/ipv4\" \"$obj/arch/x86/boot\" &&\n"
    "cc -O0 --coverage -c \"$src/net/ipv4/reach.c\" -o \"$obj/net/ipv4/reach.o\" &&\n"
    "printf 'int reach_seen(int);\\nint main(void) { return reach_seen(1) != 2; }\\n' "
    "> \"$obj/driver.c\" &&\n"
    "cc -O0 -c \"$obj/driver.c\" -o \"$obj/driver.o\" &&\n"
    "cc --coverage -o \"$obj/arch/x86/boot/bzImage\" \"$obj/driver.o\" "
    "\"$obj/net/ipv4/reach.o\"\n";

static const char reach_merge[] =
    "#!/bin/sh\n"
    "# merge_config.sh -m -O OBJ OBJ/.config FRAGMENT...\n"
    "obj=$3; shift 4\n"
    "sed -n 's/^\\(CONFIG_[A-Z0-9_]*=y\\).*/\\1/p' \"$@\" > \"$obj/.config\"\n";

static const char reach_vm[] = "#!/bin/sh\n"
                               "img= out=\n"
                               "while [ $# -gt 0 ]; do\n"
                               "\tcase $1 in\n"
                               "\t--kernel) img=$2; shift ;;\n"
                               "\t-o) out=$2; shift ;;\n"
                               "\tesac\n"
                               "\tshift\n"
                               "done\n"
                               "obj=${img%/arch/x86/boot/bzImage}\n"
                               "\"$img\" || exit 3\n"
                               "mkdir -p \"$out/kernel-gcov/net/ipv4\" &&\n"
                               "cp \"$obj/net/ipv4/reach.gcda\" \"$out/kernel-gcov/net/ipv4/\"\n"
                               "echo '[1/1] refused ipv4 ... pass 0.1s'\n";

static void test_reach(void **state)
{
	char dir[128], json[200], *out;
	json_t *j, *p;
	size_t i;
	int seen = 0;

	(void)state;
	if (tl_sh(&out, "command -v gcov && command -v cc") != 0) {
		free(out);
		print_message("skipped: no gcov or cc (Debian's gcc)\n");
		skip();
	}
	free(out);
	assert_int_equal(tl_tmpdir(dir, sizeof(dir), "reach"), 0);
	assert_int_equal(tl_sh(&out,
	                       "cd %s && mkdir -p tree/arch/x86 tree/net/ipv4 tree/scripts/kconfig "
	                       "bin && touch tree/Makefile tree/Kconfig tree/arch/x86/Kconfig && "
	                       "cp %s/tests/data/mutant/reach.c tree/net/ipv4/",
	                       dir, getenv("PWD")),
	                 0);
	free(out);
	{
		struct flow f;

		snprintf(f.dir, sizeof(f.dir), "%s", dir);
		write_file(fpath(&f, "bin/make"), reach_make, 0755);
		write_file(fpath(&f, "bin/vm"), reach_vm, 0755);
		write_file(fpath(&f, "tree/scripts/kconfig/merge_config.sh"), reach_merge, 0755);
	}
	assert_int_equal(tl_sh(&out,
	                       "cd %s && PATH=%s/bin:$PATH XDG_CACHE_HOME=%s/cache "
	                       "TCPCONFORM_BENCH_VM=%s/bin/vm build/tcpconform bench reach "
	                       "src:%s/tree --files net/ipv4/reach.c -o %s/out 2>&1",
	                       getenv("PWD"), dir, dir, dir, dir, dir),
	                 0);
	/* line 9 (reach_seen's n > 3 branch) and line 15 (reach_never) never
	 * ran: 5 + 4 points; lines 8 and 10 ran: 10 + 4 */
	assert_non_null(
	    strstr(out, "not reached: reach.c:9 reach_seen (5 points): return n * 2;\n"));
	assert_non_null(
	    strstr(out, "not reached: reach.c:15 reach_never (4 points): return n - 1;\n"));
	assert_null(strstr(out, "reach.c:8 "));
	assert_null(strstr(out, "reach.c:10 "));
	assert_non_null(strstr(out, "points=23 reached=14 not_reached=9 no_line_record=0"));
	/* the functions' lines with code: which lines gcc gives code of their
	 * own is the compiler's, but of reach_seen's exactly one (line 9)
	 * never ran, and none of reach_never's did */
	{
		const char *a = strstr(out, "reach_seen                         14/19 "),
		           *b = strstr(out, "reach_never                         0/4 ");
		unsigned run, code;

		assert_non_null(a);
		assert_non_null(b);
		assert_int_equal(sscanf(a + 42, "%u/%u", &run, &code), 2);
		assert_int_equal(code - run, 1);
		assert_int_equal(sscanf(b + 42, "%u/%u", &run, &code), 2);
		assert_int_equal(run, 0);
		assert_true(code >= 1);
	}
	free(out);
	snprintf(json, sizeof(json), "%s/out/reach.json", dir);
	j = json_load_file(json, 0, NULL);
	assert_non_null(j);
	json_array_foreach(json_object_get(j, "points"), i, p)
	{
		const char *id = json_string_value(json_object_get(p, "id"));
		json_int_t c = json_integer_value(json_object_get(p, "count"));

		if (strstr(id, "reach_seen:8:") || strstr(id, "reach_seen:10:"))
			assert_int_equal(c, 1);
		else
			assert_int_equal(c, 0);
		seen++;
	}
	assert_int_equal(seen, 23);
	assert_int_equal(json_integer_value(json_object_get(j, "not_reached")), 9);
	json_decref(j);
	assert_int_equal(tl_rmtree(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tokens),
	    cmocka_unit_test(test_points_of_one_function),
	    cmocka_unit_test(test_apply),
	    cmocka_unit_test(test_every_mutant_compiles),
	    cmocka_unit_test(test_sample),
	    cmocka_unit_test(test_score),
	    cmocka_unit_test(test_scope),
	    cmocka_unit_test(test_vm_failure),
	    cmocka_unit_test(test_resume),
	    cmocka_unit_test(test_ids),
	    cmocka_unit_test(test_list_sample),
	    cmocka_unit_test(test_resume_other_catalogue),
	    cmocka_unit_test(test_flow),
	    cmocka_unit_test(test_flow_first),
	    cmocka_unit_test(test_flow_run_limit),
	    cmocka_unit_test(test_flow_confirm_order),
	    cmocka_unit_test(test_flow_baseline_crash),
	    cmocka_unit_test(test_kernel_loop_names_failures),
	    cmocka_unit_test(test_reach),
	    cmocka_unit_test(test_flow_reach),
	};

	return cmocka_run_group_tests_name("mutant", tests, setup, teardown);
}
