// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_mutant.c - mutation points on a small C file whose every point is
 * counted by hand (tests/data/mutant/sample.c): comments, strings and
 * preprocessor lines are never mutated, declarations and case labels are
 * left alone, every operator class is found; each mutant, applied, still
 * compiles (cc -fsyntax-only); sampling is the same for the same seed; the
 * score counts killed / (killed + survived).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	/* Every function: other() adds return a < 1 (ror 5, crp 0 2, rvr 1). */
	assert_int_equal(mutant_find(text, len, &toks, "sample.c", NULL, &ms, &e), 0);
	assert_int_equal(ms.n, 29 + 8);
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
	    cmocka_unit_test(test_resume_other_catalogue),
	};

	return cmocka_run_group_tests_name("mutant", tests, setup, teardown);
}
