// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_table.c - expected-behaviour tables: every matcher, every error with
 * file:line:col, kernel ranges on real release strings, verdict logic, and
 * the structure of results.ktap (the KTAP rules) and junit.xml.
 */
#include <fcntl.h>
#include <glob.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"

#include "model/expr.h"
#include "model/table.h"
#include "model/verdict.h"
#include "out/outputs.h"

static void kv(const char *rel, int a, int b, int c)
{
	struct kver v;

	assert_int_equal(kver_parse(rel, &v), 0);
	assert_int_equal(v.major, a);
	assert_int_equal(v.minor, b);
	assert_int_equal(v.patch, c);
}

static bool in(const char *range, const char *rel)
{
	struct krange r;
	struct kver v;

	assert_int_equal(krange_parse(range, &r), 0);
	assert_int_equal(kver_parse(rel, &v), 0);
	return krange_match(&r, &v);
}

static void test_versions(void **state)
{
	struct krange r;
	struct kver v;

	(void)state;
	kv("6.1.0-56-amd64", 6, 1, 0);
	kv("6.12.117+deb12-amd64", 6, 12, 117);
	kv("6.18.44-custom", 6, 18, 44);
	kv("5.4.0-200-generic", 5, 4, 0);
	kv("4.9", 4, 9, 0);
	assert_int_equal(kver_parse("linux-6.1", &v), -1);
	assert_true(in("*", "4.9.0"));
	assert_true(in(">=4.18", "6.1.0-56-amd64"));
	assert_false(in(">=4.18", "4.17.19"));
	assert_true(in(">=4.18", "4.18.0-553.el8"));
	assert_true(in("<4.12", "4.11.12"));
	assert_false(in("<4.12", "4.12.0"));
	assert_true(in("5.6..6.13", "6.13.12")); /* every 6.13.x is in */
	assert_true(in("5.6..6.13", "5.6.0"));
	assert_false(in("5.6..6.13", "6.14.0"));
	assert_false(in("5.6..6.13", "5.5.19"));
	assert_true(in("<=6.1", "6.1.0-56-amd64"));
	assert_true(in("<=6.1", "6.1.159"));
	assert_false(in("<=6.1", "6.2.0"));
	assert_true(in(">6.1", "6.2.0"));
	assert_false(in(">6.1", "6.1.100"));
	assert_true(in(">=6.12.100", "6.12.117+deb12-amd64"));
	assert_false(in(">=6.12.118", "6.12.117+deb12-amd64"));
	assert_int_equal(krange_parse("6", &r), -1);
	assert_int_equal(krange_parse(">=6.x", &r), -1);
	assert_int_equal(krange_parse("6.1..", &r), -1);
}

static struct table parse_ok(const char *text)
{
	struct table t;
	struct err e;

	if (table_parse(text, strlen(text), "t.table", &t, &e) < 0)
		fail_msg("should parse: %s", e.msg);
	return t;
}

static void bad(const char *text, const char *want)
{
	struct table t;
	struct err e;

	if (table_parse(text, strlen(text), "t.table", &t, &e) == 0) {
		table_free(&t);
		fail_msg("should not parse:\n%s", text);
	}
	assert_int_equal(e.kind, ERR_INPUT);
	if (strcmp(e.msg, want) != 0)
		fail_msg("\n got  %s\n want %s", e.msg, want);
}

static void test_parse_rows(void **state)
{
	struct table t;

	(void)state;
	t = parse_ok(
	    "# comment\n"
	    "\n"
	    "a.errno | * | - | ECONNREFUSED | net/ipv4/tcp_input.c tcp_reset\n"
	    "b | >=4.9 | net.ipv4.tcp_syncookies=1, server:net.core.somaxconn=8 | {1, 2} | "
	    "RFC 9293 3.5\n"
	    "c | 5.6..6.13 | - | 3..5 | src-0\n"
	    "d | * | - | >=3 | src!\n"
	    "e | * | - | 1000ms ±15% | RFC 6298 2.1\n"
	    "f | * | - | 1s +-100ms | RFC 6298\n"
	    "g | * | - | = net.ipv4.tcp_fin_timeout s ±10% | ip-sysctl.rst tcp_fin_timeout\n"
	    "h | * | - | xfail 2 | commit abcdef0 \"tcp: fix x\"\n"
	    "i | <4.16 | - | skip no tracepoint before 4.16 | 563e0bb0dc74\n"
	    "j | * | client:net.ipv4.tcp_tw_reuse=2 | SYN_SENT ESTABLISHED CLOSE | RFC 9293\n"
	    "k[1] | * | - | <2s | src1\n");
	assert_int_equal(t.nrows, 11);
	assert_string_equal(t.rows[0].obs, "a.errno");
	assert_string_equal(t.rows[0].obs_base, "a");
	assert_int_equal(t.rows[0].m.kind, M_EXACT);
	assert_int_equal(t.rows[1].nconds, 2);
	assert_int_equal(t.rows[1].conds[0].side, 2);
	assert_int_equal(t.rows[1].conds[1].side, 1);
	assert_string_equal(t.rows[1].conds[1].key, "net.core.somaxconn");
	assert_int_equal(t.rows[1].m.kind, M_SET);
	assert_int_equal(t.rows[2].m.kind, M_RANGE);
	assert_int_equal(t.rows[4].m.kind, M_TIME);
	assert_true(t.rows[4].m.tol_pct);
	assert_true(t.rows[5].m.value == 1000 && t.rows[5].m.tol == 100);
	assert_int_equal(t.rows[6].m.kind, M_SYSCTL);
	assert_true(t.rows[6].m.scale == 1000);
	assert_true(t.rows[7].m.xfail);
	assert_int_equal(t.rows[8].m.kind, M_SKIP);
	assert_int_equal(t.rows[9].conds[0].side, 0);
	assert_string_equal(t.rows[10].obs_base, "k");
	assert_true(t.rows[10].m.hi == 2000 && t.rows[10].m.hi_open);
	table_free(&t);
}

static void test_parse_errors(void **state)
{
	(void)state;
	bad("a | * | - | 1\n", "t.table:1:14: a row has 5 columns: observation | kernel | when | "
	                       "expect | source (a row without a source is not allowed)");
	bad("a | * | - | 1 | \n", "t.table:1:17: every row names its source: kernel file and "
	                          "function, commit, RFC section or ip-sysctl.rst");
	bad("a | * | - | 1 | x | y\n", "t.table:1:19: too many '|': a row has 5 columns");
	bad("9a | * | - | 1 | src1\n", "t.table:1:1: '9a' is not an observation name");
	bad("a | 4 | - | 1 | src1\n",
	    "t.table:1:5: kernel range '4': use *, >=4.18, <4.12, <=6.1, >5.4 or 5.6..6.13");
	bad("a | * | tcp_tw_reuse | 1 | src1\n",
	    "t.table:1:9: a condition is KEY=VALUE, as net.ipv4.tcp_tw_reuse=1");
	bad("a | * | kernel.panic=1 | 1 | src1\n", "t.table:1:9: sysctl key 'kernel.panic': only "
	                                           "net.* keys belong to a network namespace");
	bad("a | * | - | {1, 2 | src1\n", "t.table:1:13: a set is {A, B, C}");
	bad("a | * | - | 5..3 | src1\n", "t.table:1:13: range runs backwards");
	bad("a | * | - | >=x | src1\n", "t.table:1:15: expected a number after >=");
	bad("a | * | - | 100ms ~5 | src1\n",
	    "t.table:1:19: expected a tolerance such as ±15% or ±100ms");
	bad("a | * | - | = net.ipv4.tcp_fin_timeout h | src1\n",
	    "t.table:1:13: unit 'h': use s, ms or x");
	bad("a | * | - | skip | src1\n", "t.table:1:13: skip needs a reason");
	bad("a | * | net.ipv4.tcp_syn_retries=1 net.ipv4.tcp_ecn=1 | 1 | src1\n",
	    "t.table:1:34: '1 net.ipv4.tcp_ecn=1' holds a second condition: separate "
	    "conditions with ','");
	bad("ok | * | - | 1 | src1\nb | * | - | | src1\n",
	    "t.table:2:13: expected a value to expect");
}

/* Issue 14: numbers in tables are decimal (num.h), overflow-checked and in
 * range.  Before, the kernel range >=99999999999999999999.1 wrapped and
 * matched 6.18; "± -15%" and "= (2^99999) x" (inf) loaded; 300 balanced
 * parentheses (a cell cut at 511 characters) were "unbalanced '('". */
static void test_hostile_numbers(void **state)
{
	struct krange r;
	struct kver v;
	char text[1024], want[128];
	int i, n = 0;

	(void)state;
	bad("a | >=99999999999999999999.1 | - | 1 | src1\n",
	    "t.table:1:5: kernel range '>=99999999999999999999.1': use *, >=4.18, <4.12, "
	    "<=6.1, >5.4 or 5.6..6.13");
	assert_int_equal(krange_parse(">=99999999999999999999.1", &r), -1);
	assert_int_equal(krange_parse("4.4294967302..6.1", &r), -1);
	assert_int_equal(kver_parse("99999999999999999999.1", &v), -1);
	assert_int_equal(kver_parse("6.18.4294967297-foo", &v), -1);
	assert_int_equal(kver_parse("6.2147483647", &v), 0);
	assert_int_equal(v.minor, 2147483647);
	/* columns count bytes: '±' is two */
	bad("a | * | - | 1000ms ± -15% | src1\n", "t.table:1:23: a tolerance cannot be negative");
	bad("a | * | - | 1000ms ±-15% | src1\n", "t.table:1:22: a tolerance cannot be negative");
	bad("a | * | - | 1s +--100ms | src1\n", "t.table:1:18: a tolerance cannot be negative");
	bad("a | * | - | = net.ipv4.tcp_fin_timeout s ±-10% | src1\n",
	    "t.table:1:44: a tolerance cannot be negative");
	bad("a | * | - | = (1) x ±-10% | src1\n", "t.table:1:23: a tolerance cannot be negative");
	bad("a | * | - | 1000ms ±1e3% | src1\n",
	    "t.table:1:23: unexpected text after the tolerance");
	bad("a | * | - | = (2^99999) x | src1\n",
	    "t.table:1:17: result out of range (not finite, or beyond 2^53)");
	bad("a | * | - | = (0 - 2^99999) x | src1\n",
	    "t.table:1:21: result out of range (not finite, or beyond 2^53)");
	bad("a | * | - | = (0^-1) x | src1\n",
	    "t.table:1:17: result out of range (not finite, or beyond 2^53)");
	bad("a | * | - | = (99999999 * 99999999 * 99999999) x | src1\n",
	    "t.table:1:25: result out of range (not finite, or beyond 2^53)");
	bad("a | * | - | = (0x10 + 1) x | src1\n",
	    "t.table:1:17: expected a number (decimal, at most 15 digits)");
	bad("a | * | - | = (1e3) x | src1\n",
	    "t.table:1:17: expected a number (decimal, at most 15 digits)");
	bad("a | * | - | >=0x10 | src1\n", "t.table:1:15: expected a number after >=");
	bad("a | * | - | >=1e3 | src1\n", "t.table:1:15: expected a number after >=");
	bad("a | * | - | <9999999999999999 | src1\n",
	    "t.table:1:14: number out of range (at most 15 digits)");
	bad("a | * | - | 99999999999999999999ms | src1\n",
	    "t.table:1:13: time out of range (at most 15 digits)");
	/* 300 balanced parentheses: the nesting is the error, not balance */
	n = snprintf(text, sizeof(text), "a | * | - | = ");
	for (i = 0; i < 300; i++)
		text[n++] = '(';
	text[n++] = '1';
	for (i = 0; i < 300; i++)
		text[n++] = ')';
	snprintf(text + n, sizeof(text) - (size_t)n, " x | src1\n");
	snprintf(want, sizeof(want), "t.table:1:%d: nesting deeper than %d", 15 + EXPR_MAX_DEPTH,
	         EXPR_MAX_DEPTH);
	bad(text, want);
	/* 64 levels: allowed */
	n = snprintf(text, sizeof(text), "a | * | - | = ");
	for (i = 0; i < EXPR_MAX_DEPTH; i++)
		text[n++] = '(';
	text[n++] = '1';
	for (i = 0; i < EXPR_MAX_DEPTH; i++)
		text[n++] = ')';
	snprintf(text + n, sizeof(text) - (size_t)n, " x | src1\n");
	{
		struct table t = parse_ok(text);

		table_free(&t);
	}
	/* Cells are never cut: a long value is an error, not a prefix. */
	n = snprintf(text, sizeof(text), "a | * | - | ");
	for (i = 0; i < 300; i++)
		text[n++] = 'x';
	snprintf(text + n, sizeof(text) - (size_t)n, " | src1\n");
	bad(text, "t.table:1:13: expected value longer than 255 characters");
	/* deep in an expression itself: min( and unary minus nest too */
	n = snprintf(text, sizeof(text), "a | * | - | = (");
	for (i = 0; i < 70; i++)
		text[n++] = '-';
	snprintf(text + n, sizeof(text) - (size_t)n, "1) x | src1\n");
	snprintf(want, sizeof(want), "t.table:1:%d: nesting deeper than %d", 15 + EXPR_MAX_DEPTH,
	         EXPR_MAX_DEPTH);
	bad(text, want);
}

/* A variant's observed.json, built by hand. */
static json_t *observed(const char *obs_json)
{
	char text[4096];
	json_error_t je;
	json_t *j;

	snprintf(
	    text, sizeof(text),
	    "{\"status\": \"ran\", \"sysctls\": {\"client\": {\"net.ipv4.tcp_fin_timeout\": \"5\", "
	    "\"net.ipv4.tcp_tw_reuse\": \"2\"}, \"server\": {\"net.ipv4.tcp_fin_timeout\": "
	    "\"5\", \"net.ipv4.tcp_tw_reuse\": \"0\"}}, \"observations\": %s}",
	    obs_json);
	j = json_loads(text, 0, &je);
	if (!j)
		fail_msg("bad test json: %s", je.text);
	return j;
}

static enum verdict verdict_of(struct judgement *jd, const char *name)
{
	size_t i;

	for (i = 0; i < jd->n; i++)
		if (strcmp(jd->checks[i].name, name) == 0)
			return jd->checks[i].v;
	fail_msg("no check %s", name);
	return V_ERROR;
}

static const struct check *check_of(struct judgement *jd, const char *name)
{
	for (size_t i = 0; i < jd->n; i++)
		if (strcmp(jd->checks[i].name, name) == 0)
			return &jd->checks[i];
	fail_msg("no check %s", name);
	return NULL;
}

/* The reason the judgement gave check @name ("" when it gave none). */
static const char *reason_of(const struct judgement *jd, const char *name)
{
	size_t i;

	for (i = 0; i < jd->n; i++)
		if (strcmp(jd->checks[i].name, name) == 0)
			return jd->checks[i].reason;
	fail_msg("no check %s", name);
	return "";
}

static void test_verdicts(void **state)
{
	struct table t = parse_ok("conn.errno | * | - | ECONNREFUSED | src-1\n"
	                          "conn.ret | * | - | -1 | src-1\n"
	                          "state | * | - | {LAST_ACK, CLOSING} | src-2\n"
	                          "n | * | - | 3..5 | src-3\n"
	                          "big | * | - | >=3 | src-3\n"
	                          "t | * | - | 1000ms ±15% | src-4\n"
	                          "gone | * | - | = net.ipv4.tcp_fin_timeout s ±10% | src-5\n"
	                          "bug | * | - | xfail 7 | src-6\n"
	                          "fixed | * | - | xfail 7 | src-6\n"
	                          "reuse | * | client:net.ipv4.tcp_tw_reuse=2 | yes | src-7\n"
	                          "reuse2 | * | net.ipv4.tcp_tw_reuse=2 | yes | src-7\n"
	                          "reuse2 | * | - | no | src-7\n"
	                          "old | <4.0 | - | 1 | src-8\n"
	                          "times[1] | * | - | 1s ±5% | src-9\n"
	                          "nosrc | * | - | skip needs a feature | src-10\n"
	                          "seq | * | - | SYN_SENT  ESTABLISHED | src-11\n");
	json_t *o = observed(
	    "{\"conn\": {\"value\": {\"ret\": -1, \"errno\": \"ECONNREFUSED\", \"ms\": 1.2}},"
	    " \"state\": {\"value\": \"CLOSING\"}, \"n\": {\"value\": 6}, \"big\": {\"value\": 3},"
	    " \"t\": {\"value\": 1140.0}, \"gone\": {\"value\": 5400},"
	    " \"bug\": {\"value\": 7}, \"fixed\": {\"value\": 8}, \"reuse\": {\"value\": \"yes\"},"
	    " \"reuse2\": {\"value\": \"no\"}, \"old\": {\"value\": 1},"
	    " \"times\": {\"value\": [0.0, 1030.0]}, \"nosrc\": {\"value\": 1},"
	    " \"skipped\": {\"value\": null, \"skip\": \"no tracefs\"},"
	    " \"seq\": {\"value\": \"SYN_SENT ESTABLISHED\"}, \"orphan\": {\"value\": 1}}");
	struct judgement jd;

	(void)state;
	assert_int_equal(judge_variant(&t, o, "6.18.44-custom", &jd), 0);
	assert_int_equal(verdict_of(&jd, "conn.errno"), V_PASS);
	assert_int_equal(verdict_of(&jd, "conn.ret"), V_PASS);
	assert_int_equal(verdict_of(&jd, "state"), V_PASS);
	/* One exact value pins behaviour (diff compares it); a set names the
	 * values a run may show, as a range does. */
	assert_true(check_of(&jd, "conn.errno")->exact);
	assert_false(check_of(&jd, "state")->exact);
	assert_false(check_of(&jd, "t")->exact);
	assert_int_equal(verdict_of(&jd, "n"), V_FAIL);
	assert_int_equal(verdict_of(&jd, "big"), V_PASS);
	assert_int_equal(verdict_of(&jd, "t"), V_PASS);    /* 1140 within 1000 ±15% */
	assert_int_equal(verdict_of(&jd, "gone"), V_PASS); /* 5400 within 5 s ±10% */
	assert_int_equal(verdict_of(&jd, "bug"), V_XFAIL);
	assert_int_equal(verdict_of(&jd, "fixed"), V_FAIL); /* the known bug did not show */
	assert_int_equal(verdict_of(&jd, "reuse"), V_PASS);
	/* Bare key: must hold on both sides; server has 0, so the next row decides. */
	assert_int_equal(verdict_of(&jd, "reuse2"), V_PASS);
	/* No row for this kernel: a failure labelled "no expectation". */
	assert_int_equal(verdict_of(&jd, "old"), V_FAIL);
	assert_int_equal(verdict_of(&jd, "times[1]"), V_PASS);
	assert_int_equal(verdict_of(&jd, "nosrc"), V_SKIP);
	assert_int_equal(verdict_of(&jd, "skipped"), V_FAIL); /* no row at all */
	assert_int_equal(verdict_of(&jd, "seq"), V_PASS);
	assert_int_equal(verdict_of(&jd, "orphan"), V_FAIL);
	assert_int_equal(jd.overall, V_FAIL);
	assert_non_null(strstr(reason_of(&jd, "orphan"), "no expectation"));
	judgement_free(&jd);
	json_decref(o);
	table_free(&t);

	/* An observation the source could not give: skip, with the reason. */
	t = parse_ok("skipped | * | - | 1 | src-0\n");
	o = observed("{\"skipped\": {\"value\": null, \"skip\": \"no tracefs\"}}");
	assert_int_equal(judge_variant(&t, o, "6.1.0-1-amd64", &jd), 0);
	assert_int_equal(jd.checks[0].v, V_SKIP);
	assert_string_equal(jd.checks[0].reason, "no tracefs");
	assert_int_equal(jd.overall, V_SKIP);
	judgement_free(&jd);
	json_decref(o);
	/* A variant that could not run: one error check. */
	o = json_loads("{\"status\": \"error\", \"reason\": \"boom\"}", 0, NULL);
	assert_int_equal(judge_variant(&t, o, "6.1.0", &jd), 0);
	assert_int_equal(jd.overall, V_ERROR);
	judgement_free(&jd);
	json_decref(o);
	table_free(&t);
}

/* The KTAP rules (Documentation/dev-tools/ktap.rst): a version line opens
 * every level, a plan follows, results are numbered 1..N per level and
 * their count matches the plan, subtests indent two spaces, directives are
 * SKIP/XFAIL/ERROR, "not ok" with ERROR. */
static void check_ktap(const char *text)
{
	int plan[8] = {0}, count[8] = {0}, depth = -1;
	const char *line = text;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line), ind = 0;
		char l[1024];
		int lvl;

		snprintf(l, sizeof(l), "%.*s", (int)len, line);
		line = nl ? nl + 1 : line + len;
		while (l[ind] == ' ')
			ind++;
		assert_int_equal(ind % 2, 0);
		lvl = (int)ind / 2;
		if (strcmp(l + ind, "KTAP version 1") == 0) {
			assert_int_equal(lvl, depth + 1);
			depth = lvl;
			plan[lvl] = -1;
			count[lvl] = 0;
			continue;
		}
		if (l[ind] == '#')
			continue; /* diagnostics */
		if (strncmp(l + ind, "1..", 3) == 0) {
			assert_int_equal(lvl, depth);
			assert_int_equal(plan[lvl], -1);
			plan[lvl] = atoi(l + ind + 3);
			continue;
		}
		/* A result one level up closes the nested list before it. */
		if (lvl < depth) {
			assert_int_equal(lvl, depth - 1);
			assert_int_equal(count[depth], plan[depth]);
			depth = lvl;
		}
		assert_int_equal(lvl, depth);
		if (strncmp(l + ind, "ok ", 3) == 0 || strncmp(l + ind, "not ok ", 7) == 0) {
			const char *num = l + ind + (l[ind] == 'o' ? 3 : 7), *hash = strchr(l, '#');

			assert_int_equal(atoi(num), ++count[lvl]);
			if (hash) {
				assert_true(!strncmp(hash, "# SKIP", 6) ||
				            !strncmp(hash, "# XFAIL", 7) ||
				            !strncmp(hash, "# ERROR", 7));
				if (!strncmp(hash, "# ERROR", 7))
					assert_int_equal(strncmp(l + ind, "not ok", 6), 0);
			}
			continue;
		}
		fail_msg("not a KTAP line: '%s'", l);
	}
	assert_int_equal(depth, 0);
	assert_int_equal(count[0], plan[0]);
}

/* Computed expectations: arithmetic over the sysctls read back. */
/* = (... observed:NAME ...): a value computed from another observation of
 * the same variant (a retransmission timeout from the measured RTT); an
 * observation that is absent or not a number fails the check, saying so. */
static void test_observed_in_expressions(void **state)
{
	struct table t = parse_ok("rto | * | - | = (3 * observed:rtt / 1000) ms ±15% | RFC 6298\n"
	                          "dead | * | - | = (observed:conn.ms * 2) ms ±1 | src-2\n"
	                          "lone | * | - | = (observed:nothing) x | src-3\n"
	                          "same[1] | * | - | = (observed:labels[1]) x | src-4\n"
	                          "past | * | - | = (observed:labels[2]) x | src-5\n");
	json_t *o = observed("{\"rtt\": {\"value\": 200000}, \"rto\": {\"value\": 640},"
	                     " \"conn\": {\"value\": {\"ret\": 0, \"ms\": 10.5}},"
	                     " \"dead\": {\"value\": 21}, \"lone\": {\"value\": 1},"
	                     " \"labels\": {\"value\": [5, 77]}, \"same\": {\"value\": [0, 77]},"
	                     " \"past\": {\"value\": 0}}");
	struct judgement jd;

	(void)state;
	assert_int_equal(judge_variant(&t, o, "6.18.44", &jd), 0);
	assert_int_equal(verdict_of(&jd, "rto"), V_PASS); /* 600 ± 90 */
	assert_int_equal(verdict_of(&jd, "dead"), V_PASS);
	assert_int_equal(verdict_of(&jd, "lone"), V_FAIL);
	assert_non_null(strstr(reason_of(&jd, "lone"), "observation nothing has no number"));
	assert_int_equal(verdict_of(&jd, "same[1]"), V_PASS); /* an element of a list */
	assert_int_equal(verdict_of(&jd, "past"), V_FAIL);    /* beyond its end */
	assert_non_null(strstr(reason_of(&jd, "past"), "observation labels[2] has no number"));
	judgement_free(&jd);
	json_decref(o);
	o = observed("{\"rtt\": {\"value\": 200000}, \"rto\": {\"value\": 700}}");
	assert_int_equal(judge_variant(&t, o, "6.18.44", &jd), 0);
	assert_int_equal(verdict_of(&jd, "rto"), V_FAIL); /* beyond 690 */
	assert_non_null(strstr(reason_of(&jd, "rto"), "rtt=200000"));
	judgement_free(&jd);
	json_decref(o);
	table_free(&t);
}

/* family=4 / family=6 in the when column: the variant's address family,
 * which run/record.c writes among the axes of every variant. */
static void test_family_condition(void **state)
{
	struct table t = parse_ok("n | * | family=4 | any | src-1\n"
	                          "n | * | family=6 | client | src-2\n");
	json_t *o = observed("{\"n\": {\"value\": \"client\"}}");
	json_t *axes = json_object();
	struct judgement jd;

	(void)state;
	json_object_set_new(o, "axes", axes);
	json_object_set_new(axes, "family", json_string("6"));
	assert_int_equal(judge_variant(&t, o, "6.18.44", &jd), 0);
	assert_int_equal(verdict_of(&jd, "n"), V_PASS);
	judgement_free(&jd);
	json_object_set_new(axes, "family", json_string("4"));
	assert_int_equal(judge_variant(&t, o, "6.18.44", &jd), 0);
	assert_int_equal(verdict_of(&jd, "n"), V_FAIL);
	judgement_free(&jd);
	json_decref(o);
	table_free(&t);
}

static void test_expressions(void **state)
{
	struct table t =
	    parse_ok("a | * | - | = (2^(client:net.ipv4.tcp_fin_timeout + 1) - 1) s ±10% | src-1\n"
	             "b | * | - | = (min(4, server:net.ipv4.tcp_tw_reuse) + 1) x | src-2\n"
	             "c | * | - | = (max(2, 3) * -2 + 10 / 4) x | src-3\n"
	             "d | * | - | = (net.ipv4.tcp_tw_reuse) x | src-4\n"
	             "e | * | - | = (2 ^ 3 ^ 2) x | src-5\n");
	/* fin_timeout 5 on both: 63 s; server tw_reuse 0: 1; -6 + 2.5; the
	 * sides disagree on tw_reuse: no value; 2^(3^2) = 512. */
	json_t *o = observed("{\"a\": {\"value\": 64000}, \"b\": {\"value\": 1},"
	                     " \"c\": {\"value\": -3.5}, \"d\": {\"value\": 2},"
	                     " \"e\": {\"value\": 512}}");
	struct judgement jd;

	(void)state;
	assert_int_equal(judge_variant(&t, o, "6.18.44", &jd), 0);
	assert_int_equal(verdict_of(&jd, "a"), V_PASS);
	assert_int_equal(verdict_of(&jd, "b"), V_PASS);
	assert_int_equal(verdict_of(&jd, "c"), V_PASS);
	assert_int_equal(verdict_of(&jd, "d"), V_FAIL);
	assert_int_equal(verdict_of(&jd, "e"), V_PASS);
	assert_non_null(strstr(reason_of(&jd, "d"), "differs between sides"));
	judgement_free(&jd);
	json_decref(o);
	table_free(&t);

	bad("a | * | - | = (1 + ) x | s1\n",
	    "t.table:1:20: expected a number, a sysctl key, observed:NAME, min( or max(");
	bad("a | * | - | = (observed:a/b) ms | s1\n",
	    "t.table:1:16: observed:a/b: an observation's name is letters, digits, '_', one "
	    "'.FIELD' and one '[N]'");
	bad("a | * | - | = (observed:a[12345]) x | s1\n",
	    "t.table:1:26: expected [N], a list index of 1 to 4 digits");
	bad("a | * | - | = (observed:a[]) x | s1\n",
	    "t.table:1:26: expected [N], a list index of 1 to 4 digits");
	bad("a | * | - | = (min(1 2)) x | s1\n",
	    "t.table:1:22: expected ',' between the two arguments");
	bad("a | * | - | = (kernel.pid_max) x | s1\n",
	    "t.table:1:16: sysctl key 'kernel.pid_max': "
	    "only net.* keys belong to a network namespace");
	bad("a | * | - | = (1 + (2) x | s1\n", "t.table:1:15: unbalanced '('");
	bad("a | * | - | = (1) h | s1\n", "t.table:1:18: unit 'h': use s, ms or x");
	bad("a | * | - | = (1 / 0) x | s1\n", "t.table:1:21: division by zero");
}

/* The judge of one observation @name = @value with a variant whose own
 * timers were @slip ms late (observed.json timer_slip_ms). */
static enum verdict judged(const struct table *t, const char *name, const char *value, double slip,
                           char *reason, size_t rlen)
{
	char obs[256];
	json_t *o;
	struct judgement jd;
	enum verdict v;

	reason[0] = '\0';
	snprintf(obs, sizeof(obs), "{\"%s\": {\"value\": %s}}", name, value);
	o = observed(obs);
	json_object_set_new(o, "timer_slip_ms", json_real(slip));
	assert_int_equal(judge_variant(t, o, "6.18.44", &jd), 0);
	v = verdict_of(&jd, name);
	snprintf(reason, rlen, "%s", reason_of(&jd, name));
	judgement_free(&jd);
	json_decref(o);
	return v;
}

/* not MATCHER: the exact value, set or range inverted; never a bound, a
 * time or a computed value, whose tolerance a slip widens. */
static void test_negated(void **state)
{
	struct table t = parse_ok("o | * | - | not {-1, 0, 1} | net/core/secure_seq.c\n"
	                          "s | * | - | not CLOSE | RFC 9293 3.6\n"
	                          "r | * | - | xfail not 2..5 | commit abcdef0\n");
	char why[600];

	(void)state;
	assert_true(t.rows[0].m.negated && t.rows[0].m.kind == M_SET);
	assert_true(t.rows[1].m.negated && t.rows[1].m.kind == M_EXACT);
	assert_true(t.rows[2].m.negated && t.rows[2].m.xfail && t.rows[2].m.kind == M_RANGE);
	static const struct {
		const char *name, *value;
		enum verdict v;
	} seen[] = {
	    {"o", "-1283617", V_PASS},  {"o", "0", V_FAIL},  {"s", "\"ESTABLISHED\"", V_PASS},
	    {"s", "\"CLOSE\"", V_FAIL}, {"r", "7", V_XFAIL}, {"r", "3", V_FAIL},
	};

	for (size_t i = 0; i < sizeof(seen) / sizeof(seen[0]); i++)
		assert_int_equal(judged(&t, seen[i].name, seen[i].value, 0, why, sizeof(why)),
		                 seen[i].v);
	assert_int_equal(judged(&t, "o", "1", 0, why, sizeof(why)), V_FAIL);
	assert_non_null(strstr(why, "expected not {-1, 0, 1}, observed 1"));
	table_free(&t);
	bad("t | * | - | not 200ms ±10% | RFC 6298\n",
	    "t.table:1:13: 'not' takes a value, a set {a, b} or a range (A..B, >=N), not a time or "
	    "a computed value (whose tolerance a slip widens)");
	bad("t | * | - | not >=3s | RFC 6298\n",
	    "t.table:1:13: 'not' takes a value, a set {a, b} or a range (A..B, >=N), not a time or "
	    "a computed value (whose tolerance a slip widens)");
	bad("t | * | - | not = (2 * net.ipv4.tcp_fin_timeout) x | RFC 6298\n",
	    "t.table:1:13: 'not' takes a value, a set {a, b} or a range (A..B, >=N), not a time or "
	    "a computed value (whose tolerance a slip widens)");
	bad("t | * | - | not  | RFC 6298\n", "t.table:1:16: expected a value to expect");
}

/* A time misses its tolerance only by the variant's measured timer slip:
 * a pass whose reason says so; beyond it, a fail; values that are not
 * times are never widened. */
static void test_timer_slip(void **state)
{
	struct table t =
	    parse_ok("t | * | - | 1000ms ±10% | RFC 6298 2.1\n"
	             "g | * | - | = net.ipv4.tcp_fin_timeout s ±10% | src-1\n"
	             "e | * | - | = (client:net.ipv4.tcp_fin_timeout + 1) ms ±1 | src-2\n"
	             "x | * | - | = (client:net.ipv4.tcp_fin_timeout) x ±1 | src-3\n");
	char why[600];

	(void)state;
	assert_int_equal(judged(&t, "t", "1090", 0, why, sizeof(why)), V_PASS);
	assert_string_equal(why, "");
	assert_int_equal(judged(&t, "t", "1150", 0, why, sizeof(why)), V_FAIL);
	assert_int_equal(judged(&t, "t", "1150", 60, why, sizeof(why)), V_PASS);
	assert_string_equal(why, "1150 is outside 1000 ± 100, inside it widened by the variant's "
	                         "measured timer slip of 60.0 ms");
	assert_int_equal(judged(&t, "t", "840", 60, why, sizeof(why)), V_PASS);
	assert_int_equal(judged(&t, "t", "1161", 60, why, sizeof(why)), V_FAIL);
	assert_non_null(strstr(why, "expected 1000ms ±10%, observed 1161"));
	/* = KEY s: 5000 ± 500, then the slip */
	assert_int_equal(judged(&t, "g", "5550", 0, why, sizeof(why)), V_FAIL);
	assert_int_equal(judged(&t, "g", "5550", 100, why, sizeof(why)), V_PASS);
	assert_non_null(strstr(why, "net.ipv4.tcp_fin_timeout = 5 -> 5000; 5550 is outside"));
	/* = (expr) ms */
	assert_int_equal(judged(&t, "e", "9", 2.5, why, sizeof(why)), V_PASS);
	assert_non_null(strstr(why, "timer slip of 2.5 ms"));
	/* x: not a time, never widened */
	assert_int_equal(judged(&t, "x", "9", 1000, why, sizeof(why)), V_FAIL);
	table_free(&t);
}

/* A time range or bound (<200ms, 1s..2s, >=40ms) widens by the slip too,
 * each bound outward; a range without a unit is not a time. */
static void test_timer_slip_ranges(void **state)
{
	struct table t = parse_ok("lt | * | - | <200ms | src-1\n"
	                          "ge | * | - | >=40ms | src-2\n"
	                          "in | * | - | 1s..2s | src-3\n"
	                          "n | * | - | 166000..233000 | src-4\n");
	char why[600];

	(void)state;
	assert_int_equal(judged(&t, "lt", "199", 0, why, sizeof(why)), V_PASS);
	assert_int_equal(judged(&t, "lt", "206.5", 0, why, sizeof(why)), V_FAIL);
	assert_int_equal(judged(&t, "lt", "206.5", 10, why, sizeof(why)), V_PASS);
	assert_string_equal(why, "206.5 is outside the range, inside it widened by the variant's "
	                         "measured timer slip of 10.0 ms");
	assert_int_equal(judged(&t, "lt", "210", 10, why, sizeof(why)), V_FAIL); /* < stays open */
	assert_int_equal(judged(&t, "ge", "35", 0, why, sizeof(why)), V_FAIL);
	assert_int_equal(judged(&t, "ge", "35", 5, why, sizeof(why)), V_PASS);
	assert_int_equal(judged(&t, "in", "2300", 0, why, sizeof(why)), V_FAIL);
	assert_int_equal(judged(&t, "in", "2300", 300, why, sizeof(why)), V_PASS);
	assert_int_equal(judged(&t, "in", "700", 300, why, sizeof(why)), V_PASS);
	assert_int_equal(judged(&t, "in", "600", 300, why, sizeof(why)), V_FAIL);
	assert_int_equal(judged(&t, "n", "233001", 1000, why, sizeof(why)), V_FAIL);
	table_free(&t);
}

static void test_ktap_and_junit(void **state)
{
	struct table t =
	    parse_ok("a | * | - | 1 | src-1\nb | * | - | 2 | src-2\nc | * | - | xfail 3 | src-3\n");
	json_t *o1 =
	    observed("{\"a\": {\"value\": 1}, \"b\": {\"value\": 5}, \"c\": {\"value\": 3}}");
	json_t *o2 = observed("{\"a\": {\"value\": null, \"skip\": \"no # tracefs\"}}");
	json_t *o3 = json_loads(
	    "{\"status\": \"error\", \"reason\": \"a <bad> & \\\"odd\\\" one\"}", 0, NULL);
	struct judged_variant v[3] = {
	    {.case_name = "one", .variant = "ipv4", .dir = "one/ipv4", .wall_ms = 300},
	    {.case_name = "one", .variant = "ipv6", .dir = "one/ipv6", .wall_ms = 100},
	    {.case_name = "two", .variant = "ipv4", .dir = "two/ipv4", .wall_ms = 50},
	};
	char dir[] = "/tmp/tcpconform-ktap-XXXXXX", path[128], *text, cmd[256];
	struct err e;
	FILE *fp;
	long n;
	int dfd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	judge_variant(&t, o1, "6.1.0", &v[0].j);
	judge_variant(&t, o2, "6.1.0", &v[1].j);
	judge_variant(&t, o3, "6.1.0", &v[2].j);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dfd >= 0);
	snprintf(path, sizeof(path), "%s/results.ktap", dir);
	assert_int_equal(write_ktap(dfd, "results.ktap", v, 3, &e), 0);
	fp = fopen(path, "r");
	text = calloc(1, 65536);
	n = (long)fread(text, 1, 65535, fp);
	fclose(fp);
	assert_true(n > 0);
	check_ktap(text);
	assert_non_null(strstr(text, "not ok 2 b\n"));
	assert_non_null(strstr(text, "ok 3 c # XFAIL src-3"));
	assert_non_null(strstr(text, "# b: expected 2, observed 5"));
	assert_non_null(strstr(text, "# SKIP no _ tracefs")); /* no '#' inside */
	assert_non_null(strstr(text, "not ok 1 variant # ERROR"));
	assert_non_null(strstr(text, "not ok 1 one\n"));
	free(text);
	snprintf(path, sizeof(path), "%s/junit.xml", dir);
	assert_int_equal(write_junit(dfd, "junit.xml", v, 3, "6.1.0", &e), 0);
	close(dfd);
	if (tl_have("xmllint")) {
		snprintf(cmd, sizeof(cmd), "xmllint --noout %s", path);
		assert_int_equal(system(cmd), 0);
	} else {
		print_message("note: xmllint missing, junit.xml not validated\n");
	}
	fp = fopen(path, "r");
	text = calloc(1, 65536);
	n = (long)fread(text, 1, 65535, fp);
	fclose(fp);
	assert_non_null(strstr(text, "tests=\"4\" failures=\"1\" errors=\"0\" skipped=\"1\""));
	assert_non_null(strstr(text, "a &lt;bad&gt; &amp; &quot;odd&quot; one"));
	/* times in seconds: a check its share of its variant's wall time, a
	 * suite its variants', all of them on <testsuites> */
	assert_non_null(strstr(text, "classname=\"one.ipv4\" name=\"a\" time=\"0.100\""));
	assert_non_null(strstr(text, "skipped=\"1\" time=\"0.400\""));
	assert_non_null(strstr(text, "<testsuites name=\"tcpconform\" tests=\"5\" failures=\"1\" "
	                             "errors=\"1\" time=\"0.450\">"));
	free(text);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	judgement_free(&v[0].j);
	judgement_free(&v[1].j);
	judgement_free(&v[2].j);
	json_decref(o1);
	json_decref(o2);
	json_decref(o3);
	table_free(&t);
}

/* Issue 14: names written into results.ktap and junit.xml are sanitised
 * whatever their source (a case, or a summary or observed.json another
 * machine wrote): no '#' (a name with "# SKIP" turned a failed variant
 * into a skip: "not ok 1 ipv4-x=a # SKIP injected"), no line break (a
 * name with "\nok 2 z" added a result line), printable ASCII only. */
static void test_ktap_hostile_names(void **state)
{
	struct table t = parse_ok("a | * | - | 1 | src-1\n");
	json_t *o = observed("{\"a\": {\"value\": 2}, \"b # SKIP x\\nok 7 y\\r\": {\"value\": 1}}");
	/* an earlier run (--rerun-slipped) names a check and says why */
	static const struct attempt earlier[1] = {
	    {.v = V_FAIL,
	     .slip_ms = 1234.5,
	     .check = "b # SKIP x\nok 7 y\r",
	     .why = "3 # SKIP\nok 9 w (expected \"<1>\")"},
	};
	struct judged_variant v[1] = {
	    {.case_name = "c # SKIP\nok 1 c",
	     .variant = "ipv4-x=a # SKIP injected\nok 2 z\x1b]0;T\a",
	     .dir = "c/ipv4",
	     .earlier = earlier,
	     .nearlier = 1},
	};
	char dir[] = "/tmp/tcpconform-ktap-XXXXXX", path[128], *text, cmd[256];
	struct err e;
	FILE *fp;
	long n;
	int dfd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(judge_variant(&t, o, "6.1.0", &v[0].j), 0);
	assert_int_equal(v[0].j.n, 2);
	snprintf(path, sizeof(path), "%s/results.ktap", dir);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dfd >= 0);
	assert_int_equal(write_ktap(dfd, "results.ktap", v, 1, &e), 0);
	fp = fopen(path, "r");
	assert_non_null(fp);
	text = calloc(1, 65536);
	assert_non_null(text);
	n = (long)fread(text, 1, 65535, fp);
	fclose(fp);
	assert_true(n > 0);
	check_ktap(text); /* one case, one variant, two checks: plans hold */
	assert_null(strstr(text, "# SKIP"));
	assert_null(strstr(text, "\x1b"));
	assert_null(strstr(text, "\r"));
	assert_non_null(strstr(text, "  # Subtest: c _ SKIP?ok 1 c\n"));
	assert_non_null(strstr(text, "  not ok 1 ipv4-x=a _ SKIP injected?ok 2 z?]0;T?\n"));
	assert_non_null(strstr(text, "    not ok 2 b _ SKIP x?ok 7 y?\n"));
	assert_non_null(strstr(text, "\nnot ok 1 c _ SKIP?ok 1 c\n"));
	/* the earlier run: a diagnostic line of the variant, sanitised too */
	assert_non_null(strstr(text,
	                       "    # run 1 of 2: fail under a timer slip of 1234.5 ms, run "
	                       "again: b _ SKIP x?ok 7 y?: 3 _ SKIP ok 9 w (expected \"<1>\")\n"));
	free(text);
	snprintf(path, sizeof(path), "%s/junit.xml", dir);
	assert_int_equal(write_junit(dfd, "junit.xml", v, 1, "6.1.0", &e), 0);
	close(dfd);
	if (tl_have("xmllint")) {
		snprintf(cmd, sizeof(cmd), "xmllint --noout %s", path);
		assert_int_equal(system(cmd), 0);
	}
	fp = fopen(path, "r");
	assert_non_null(fp);
	text = calloc(1, 65536);
	assert_non_null(text);
	n = (long)fread(text, 1, 65535, fp);
	fclose(fp);
	assert_true(n > 0);
	assert_non_null(strstr(text, "<testsuite name=\"c _ SKIP?ok 1 c\""));
	assert_non_null(
	    strstr(text, "classname=\"c _ SKIP?ok 1 c.ipv4-x=a _ SKIP injected?ok 2 z?]0;T?\" "
	                 "name=\"b _ SKIP x?ok 7 y?\""));
	assert_null(strstr(text, "\x1b"));
	/* b failed again: Surefire's rerunFailure on b's testcase, escaped */
	assert_non_null(strstr(text,
	                       "name=\"b _ SKIP x?ok 7 y?\" time=\"0.000\">\n      "
	                       "<rerunFailure message=\"run 1 of 2, under a timer slip of "
	                       "1234.5 ms: 3 # SKIP\nok 9 w (expected &quot;&lt;1&gt;&quot;)\" "
	                       "type=\"timer-slip\"/>"));
	assert_null(strstr(text, "flakyFailure"));
	free(text);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	judgement_free(&v[0].j);
	json_decref(o);
	table_free(&t);
}

/* The shipped tables parse. */
static void test_shipped_tables(void **state)
{
	static const char *const files[] = {"fixtures/refused.table",
	                                    "fixtures/connect-close.table"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct table t;
		struct err e;

		if (table_load(files[i], &t, &e) < 0)
			fail_msg("%s", e.msg);
		assert_true(t.nrows > 3);
		table_free(&t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_versions),         cmocka_unit_test(test_parse_rows),
	    cmocka_unit_test(test_parse_errors),     cmocka_unit_test(test_verdicts),
	    cmocka_unit_test(test_expressions),      cmocka_unit_test(test_observed_in_expressions),
	    cmocka_unit_test(test_family_condition), cmocka_unit_test(test_negated),
	    cmocka_unit_test(test_timer_slip),       cmocka_unit_test(test_timer_slip_ranges),
	    cmocka_unit_test(test_ktap_and_junit),   cmocka_unit_test(test_shipped_tables),
	    cmocka_unit_test(test_hostile_numbers),  cmocka_unit_test(test_ktap_hostile_names),
	};

	return cmocka_run_group_tests_name("table", tests, NULL, NULL);
}
