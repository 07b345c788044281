// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_results.c - results directories as hostile input and as output:
 * the writer's wall (resdir.h: no name that leaves the run directory, no
 * symbolic link followed), atomic files (afile.h: no planted link
 * followed, no temporary left), the reader of summary.json (summary.h: no
 * file content quoted, no link out, indexed lookups), and text escaped
 * for a terminal (text.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#include "base/afile.h"
#include "base/error.h"
#include "base/resdir.h"
#include "base/text.h"
#include "out/diff.h"
#include "out/report.h"
#include "out/results.h"
#include "out/summary.h"

extern bool afile_no_tmpfile;

static char tmp[64];

static int setup(void **state)
{
	(void)state;
	return tl_tmpdir(tmp, sizeof(tmp), "results");
}

static int teardown(void **state)
{
	(void)state;
	return tl_rmtree(tmp);
}

static void put(const char *rel, const char *text)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static char *get(const char *rel)
{
	char path[512], *buf = calloc(1, 1 << 16);
	FILE *fp;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	fp = fopen(path, "r");
	if (!fp) {
		free(buf);
		return NULL;
	}
	n = fread(buf, 1, (1 << 16) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static bool exists(const char *rel)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	return lstat(path, &st) == 0;
}

static bool is_link(const char *rel)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

static void link_to(const char *target, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	assert_int_equal(symlink(target, path), 0);
}

/* Entries of @rel (not . and ..). */
static int entries(const char *rel)
{
	char cmd[600];
	FILE *p;
	int n = 0, c;

	snprintf(cmd, sizeof(cmd), "ls -A %s/%s", tmp, rel);
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((c = fgetc(p)) != EOF)
		n += c == '\n';
	pclose(p);
	return n;
}

/* ---- the writer's wall ---------------------------------------------------- */

static void test_names(void **state)
{
	static const char *const bad[] = {
	    "",    ".", "..", "a/b", "../../x", "x\033]0;T\a", "ipv4-x=/../../../../tmp/ESCAPED",
	    "a\nb"};
	char longname[NAME_MAX + 2];
	struct err e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(resdir_name_check(bad[i], "the variant name", &e), -1);
		assert_int_equal(e.kind, ERR_INPUT);
		assert_null(strchr(e.msg, '\033'));
		assert_null(strchr(e.msg, '\n'));
	}
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(resdir_name_check(longname, "the name", &e), -1);
	longname[NAME_MAX] = '\0';
	assert_int_equal(resdir_name_check(longname, "the name", &e), 0);
	assert_int_equal(resdir_name_check("ipv4-when=now", "the name", &e), 0);
	assert_int_equal(resdir_name_check("ipv6-client.tcp_syn_retries=2", "the name", &e), 0);
}

/* A variant whose name would leave the run directory is refused by the
 * writer itself, whatever the case parser let through. */
static void test_variant_escape(void **state)
{
	struct err e;
	int root, fd;

	(void)state;
	assert_int_equal(mkdir(strcat(strcpy((char[128]){0}, tmp), "/w"), 0755), 0);
	root = resdir_open(strcat(strcpy((char[128]){0}, tmp), "/w/run"), RESDIR_CREATE, &e);
	assert_true(root >= 0);
	fd = resdir_variant(root, "c", "../../x", true, &e);
	assert_int_equal(fd, -1);
	assert_int_equal(e.kind, ERR_INPUT);
	assert_non_null(strstr(e.msg, "../../x"));
	fd = resdir_variant(root, "c", "ipv4-x=/../../../../esc", true, &e);
	assert_int_equal(fd, -1);
	fd = resdir_variant(root, "../..", "ipv4", true, &e);
	assert_int_equal(fd, -1);
	fd = resdir_variant(root, "a/b", "ipv4", true, &e);
	assert_int_equal(fd, -1);
	/* nothing was made anywhere: not even the case directory */
	assert_int_equal(entries("w/run"), 0);
	assert_int_equal(entries("w"), 1);
	assert_false(exists("x"));
	/* an ordinary one is made, below the run directory */
	fd = resdir_variant(root, "handshake", "ipv4-when=now", true, &e);
	assert_true(fd >= 0);
	close(fd);
	assert_true(exists("w/run/handshake/ipv4-when=now"));
	/* a reader's relative path: each component checked the same way */
	assert_int_equal(resdir_open_rel(root, "handshake/../handshake", &e), -1);
	assert_int_equal(resdir_open_rel(root, "/etc", &e), -1);
	assert_int_equal(resdir_open_rel(root, "handshake//ipv4-when=now", &e), -1);
	fd = resdir_open_rel(root, "handshake/ipv4-when=now", &e);
	assert_true(fd >= 0);
	close(fd);
	close(root);
}

/* The same through `tcpconform run`: a `vary` value that names a path out
 * of the run directory (the case parser may catch it first; either way
 * the run stops with exit 2 and nothing is written outside). */
static void test_run_vary_escape(void **state)
{
	char cmd[1024];
	int st;

	(void)state;
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/cases %s/w2", tmp, tmp);
	assert_int_equal(system(cmd), 0);
	put("cases/esc.case", "case esc\ntitle a value that is a path\nfamily 4\n"
	                      "vary x a /../../../escaped\n"
	                      "client connect c to server:8000 as connect\n");
	snprintf(cmd, sizeof(cmd),
	         "TCPCONFORM_CASES=%s/cases build/tcpconform run -o %s/w2/run > %s/esc.log 2>&1",
	         tmp, tmp, tmp);
	st = system(cmd);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 2);
	assert_false(exists("w2/escaped"));
	assert_false(exists("escaped"));
	assert_false(exists("w2/run")); /* refused before anything is made */
}

/* A results path is never cut to fit a buffer: an -o longer than PATH_MAX
 * is refused, and results_path() builds any shorter path whole. */
static void test_long_paths(void **state)
{
	static char dir[PATH_MAX + 100], cmd[PATH_MAX + 300];
	char *log, *p;
	struct err e;
	size_t i;
	int st;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/", tmp);
	for (i = strlen(dir); i < PATH_MAX + 10; i += 2)
		memcpy(dir + i, "d/", 3);
	snprintf(cmd, sizeof(cmd), "build/tcpconform run refused -o %s > %s/long.log 2>&1", dir,
	         tmp);
	st = system(cmd);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 2);
	log = get("long.log");
	assert_non_null(strstr(log, "-o: a path longer than 4095 bytes"));
	free(log);

	dir[PATH_MAX - 40] = '\0'; /* 4055 bytes: with "/summary.json", 4068 */
	p = results_path(dir, RESULTS_SUMMARY, &e);
	assert_non_null(p);
	assert_int_equal(strlen(p), strlen(dir) + 1 + strlen(RESULTS_SUMMARY));
	assert_string_equal(p + strlen(dir), "/summary.json");
	free(p);
	memset(dir + PATH_MAX - 40, 'x', 36); /* 4092 bytes: with "/summary.json", 4105 */
	dir[PATH_MAX - 4] = '\0';
	assert_null(results_path(dir, RESULTS_SUMMARY, &e));
	assert_non_null(strstr(e.msg, "a path longer than 4095 bytes"));
}

/* A symbolic link planted where a variant directory, a case directory,
 * the run directory or a file goes is never followed. */
static void test_planted_links(void **state)
{
	struct afile af;
	struct err e;
	char path[256];
	int root, fd;
	char *text;

	(void)state;
	assert_int_equal(mkdir(strcat(strcpy((char[128]){0}, tmp), "/target"), 0755), 0);
	put("victim", "precious\n");
	snprintf(path, sizeof(path), "%s/target", tmp);
	/* the run directory itself */
	link_to(path, "runlink");
	snprintf(path, sizeof(path), "%s/runlink", tmp);
	assert_int_equal(resdir_open(path, RESDIR_CREATE, &e), -1);
	assert_non_null(strstr(e.msg, "symbolic link"));
	/* a case directory, a variant directory */
	snprintf(path, sizeof(path), "%s/run", tmp);
	root = resdir_open(path, RESDIR_CREATE, &e);
	assert_true(root >= 0);
	snprintf(path, sizeof(path), "%s/target", tmp);
	link_to(path, "run/c1");
	assert_int_equal(resdir_variant(root, "c1", "ipv4", true, &e), -1);
	assert_int_equal(mkdir(strcat(strcpy((char[128]){0}, tmp), "/run/c2"), 0755), 0);
	link_to(path, "run/c2/ipv4");
	assert_int_equal(resdir_variant(root, "c2", "ipv4", true, &e), -1);
	assert_int_equal(resdir_variant(root, "c2", "ipv4", false, &e), -1);
	assert_int_equal(entries("target"), 0);
	/* a file: replaced by the writer, its target untouched */
	fd = resdir_variant(root, "c3", "ipv4", true, &e);
	assert_true(fd >= 0);
	snprintf(path, sizeof(path), "%s/victim", tmp);
	link_to(path, "run/c3/ipv4/observed.json");
	assert_int_equal(afile_openat(&af, fd, "observed.json", NULL, &e), 0);
	fputs("{}\n", af.fp);
	assert_int_equal(afile_commit(&af, &e), 0);
	text = get("victim");
	assert_string_equal(text, "precious\n");
	free(text);
	assert_false(is_link("run/c3/ipv4/observed.json"));
	text = get("run/c3/ipv4/observed.json");
	assert_string_equal(text, "{}\n");
	free(text);
	/* a reader does not follow one either */
	link_to(path, "run/c3/ipv4/events.txt");
	{
		size_t len;

		assert_null(resdir_read(fd, "events.txt", "events.txt", 1 << 20, &len, &e));
		assert_null(strstr(e.msg, "precious"));
	}
	/* nor does a name with a '/' reach anything */
	assert_int_equal(afile_openat(&af, fd, "../../../victim", NULL, &e), -1);
	close(fd);
	close(root);
	text = get("victim");
	assert_string_equal(text, "precious\n");
	free(text);
}

/* ---- atomic files ------------------------------------------------------- */

/* The name the old writer used (NAME.tmp.PID) and the final name, both
 * planted as links to a victim: neither is followed, nothing is left. */
static void planted_temp(bool no_tmpfile)
{
	char path[256], old_tmp[256], dir[64];
	struct afile af;
	struct err e;
	char *text;

	afile_no_tmpfile = no_tmpfile;
	snprintf(dir, sizeof(dir), "t%d", no_tmpfile);
	snprintf(path, sizeof(path), "%s/%s", tmp, dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/%s/victim", tmp, dir);
	put(path + strlen(tmp) + 1, "precious\n");
	snprintf(old_tmp, sizeof(old_tmp), "%s/m.html.tmp.%d", dir, (int)getpid());
	link_to(path, old_tmp);
	/* through a path (report -o DIR/m.html) */
	snprintf(path, sizeof(path), "%s/%s/m.html", tmp, dir);
	assert_int_equal(afile_open(&af, path, &e), 0);
	fputs("<html>new</html>\n", af.fp);
	assert_int_equal(afile_commit(&af, &e), 0);
	text = get(strcat(strcpy((char[128]){0}, dir), "/victim"));
	assert_string_equal(text, "precious\n");
	free(text);
	text = get(strcat(strcpy((char[128]){0}, dir), "/m.html"));
	assert_string_equal(text, "<html>new</html>\n");
	free(text);
	/* victim, the planted link, m.html: no temporary left */
	assert_int_equal(entries(dir), 3);
	/* the final name planted as a link: replaced, not followed */
	snprintf(path, sizeof(path), "%s/%s/victim", tmp, dir);
	link_to(path, strcat(strcpy((char[128]){0}, dir), "/r.html"));
	snprintf(path, sizeof(path), "%s/%s/r.html", tmp, dir);
	assert_int_equal(afile_open(&af, path, &e), 0);
	fputs("r\n", af.fp);
	assert_int_equal(afile_commit(&af, &e), 0);
	text = get(strcat(strcpy((char[128]){0}, dir), "/victim"));
	assert_string_equal(text, "precious\n");
	free(text);
	assert_false(is_link(strcat(strcpy((char[128]){0}, dir), "/r.html")));
	/* aborted: nothing left either */
	snprintf(path, sizeof(path), "%s/%s/a.html", tmp, dir);
	assert_int_equal(afile_open(&af, path, &e), 0);
	fputs("half\n", af.fp);
	afile_abort(&af);
	assert_false(exists(strcat(strcpy((char[128]){0}, dir), "/a.html")));
	assert_int_equal(entries(dir), 4);
	afile_no_tmpfile = false;
}

static void test_afile_planted_tmpfile(void **state)
{
	(void)state;
	planted_temp(false);
}

static void test_afile_planted_named(void **state)
{
	(void)state;
	planted_temp(true);
}

/* ---- the reader of summary.json ------------------------------------------- */

static void test_summary_no_quote(void **state)
{
	struct summary s;
	struct err e;
	char path[256];

	(void)state;
	assert_int_equal(mkdir(strcat(strcpy((char[128]){0}, tmp), "/r1"), 0755), 0);
	assert_int_equal(mkdir(strcat(strcpy((char[128]){0}, tmp), "/r2"), 0755), 0);
	put("shadow", "root:$6$secretsalt$hash:19000:0:99999:7:::\n");
	/* a link to another file (/etc/shadow in the report): refused, unread */
	snprintf(path, sizeof(path), "%s/shadow", tmp);
	link_to(path, "r1/summary.json");
	snprintf(path, sizeof(path), "%s/r1", tmp);
	assert_int_equal(summary_load(&s, path, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	assert_null(strstr(e.msg, "root"));
	assert_null(strstr(e.msg, "secret"));
	assert_non_null(strstr(e.msg, "symbolic link"));
	/* the same text as a file: not JSON, said by position, never quoted */
	put("r2/summary.json", "root:$6$secretsalt$hash:19000:0:99999:7:::\n");
	snprintf(path, sizeof(path), "%s/r2", tmp);
	assert_int_equal(summary_load(&s, path, &e), -1);
	assert_null(strstr(e.msg, "root"));
	assert_null(strstr(e.msg, "secret"));
	assert_non_null(strstr(e.msg, "summary.json:1:"));
	assert_non_null(strstr(e.msg, ": not valid JSON (a syntax error)"));
	put("r2/summary.json", "{\"variants\": [\n{\"case\": \"x\"}\n,]}");
	assert_int_equal(summary_load(&s, path, &e), -1);
	assert_non_null(strstr(e.msg, "summary.json:3:"));
	/* a missing directory: no made-up position */
	assert_int_equal(summary_load(&s, "/nonexistent-tcpconform-dir", &e), -1);
	assert_null(strstr(e.msg, "-1"));
	assert_non_null(strstr(e.msg, "No such file"));
	/* a FIFO does not hang the reader */
	unlink(strcat(strcpy((char[128]){0}, path), "/summary.json"));
	assert_int_equal(mkfifo(strcat(strcpy((char[128]){0}, path), "/summary.json"), 0644), 0);
	assert_int_equal(summary_load(&s, path, &e), -1);
	assert_non_null(strstr(e.msg, "not a regular file"));
}

/* @n variants of 5 checks each; @flip: every 97th has a failing first check. */
static char *big_summary(size_t n, bool flip, size_t *len)
{
	json_t *root = json_object(), *vars = json_array();
	char *text;
	size_t i, k;

	for (i = 0; i < n; i++) {
		json_t *v = json_object(), *checks = json_array();
		char c[64], vn[64], dir[160];

		snprintf(c, sizeof(c), "case%zu", i / 10);
		snprintf(vn, sizeof(vn), "ipv4-x=%zu", i % 10);
		snprintf(dir, sizeof(dir), "%s/%s", c, vn);
		for (k = 0; k < 5; k++) {
			json_t *ck = json_object();
			char name[16], val[16];

			snprintf(name, sizeof(name), "obs%zu", k);
			snprintf(val, sizeof(val), "%zu", k);
			json_object_set_new(ck, "name", json_string(name));
			json_object_set_new(
			    ck, "verdict",
			    json_string(flip && i % 97 == 0 && !k ? "fail" : "pass"));
			json_object_set_new(ck, "observed", json_string(val));
			json_object_set_new(ck, "exact", json_true());
			json_array_append_new(checks, ck);
		}
		json_object_set_new(v, "case", json_string(c));
		json_object_set_new(v, "variant", json_string(vn));
		json_object_set_new(v, "dir", json_string(dir));
		json_object_set_new(v, "verdict", json_string("pass"));
		json_object_set_new(v, "checks", checks);
		json_array_append_new(vars, v);
	}
	json_object_set_new(root, "kernel", json_string("6.1"));
	json_object_set_new(root, "variants", vars);
	text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	assert_non_null(text);
	*len = strlen(text);
	return text;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 20000 variants: diff and the matrix finish (they took 41 s and over
 * 120 s when every lookup was a walk over every variant); the figures are
 * printed, not asserted.  Under memcheck (`make valgrind` sets
 * TCPCONFORM_TEST_SMALL) 500: the same code, its memory checked, without
 * the hundredfold slowdown of 40000 parsed variants (~6 min). */
static void test_summary_large(void **state)
{
	size_t la, lb, n = getenv("TCPCONFORM_TEST_SMALL") ? 500 : 20000;
	char *ta = big_summary(n, false, &la), *tb = big_summary(n, true, &lb);
	struct summary s[2];
	const char *dirs[] = {"a", "b"};
	struct err e;
	FILE *null = fopen("/dev/null", "w");
	double t;
	unsigned d;
	char last[32];

	(void)state;
	assert_non_null(null);
	assert_int_equal(summary_parse(&s[0], ta, la, "a/summary.json", &e), 0);
	assert_int_equal(summary_parse(&s[1], tb, lb, "b/summary.json", &e), 0);
	snprintf(last, sizeof(last), "case%zu", n / 10 - 1);
	assert_non_null(summary_variant(&s[0], last, "ipv4-x=9"));
	assert_null(summary_variant(&s[0], last, "ipv4-x=10"));
	assert_non_null(summary_check(&s[0], summary_variant(&s[0], "case0", "ipv4-x=3"), "obs4"));
	t = now_s();
	d = diff_summaries(null, &s[0], &s[1], "a", "b");
	print_message("diff of %zu variants: %.2f s\n", n, now_s() - t);
	assert_int_equal(d, (n + 96) / 97); /* every 97th variant's obs0 */
	t = now_s();
	assert_int_equal(report_matrix_html(null, s, 2, dirs), 0);
	print_message("matrix of %zu variants: %.2f s\n", n, now_s() - t);
	summary_free(&s[0]);
	summary_free(&s[1]);
	free(ta);
	free(tb);
	fclose(null);
}

/* ---- text for a terminal ---------------------------------------------------- */

static void test_term_escape(void **state)
{
	char buf[256];
	struct err e;
	char *out = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	text_escape_term_buf(buf, sizeof(buf), "\033]0;TITLE\a\033[2J");
	assert_string_equal(buf, "\\x1b]0;TITLE\\x07\\x1b[2J");
	text_escape_term_buf(buf, sizeof(buf), "caf\xc3\xa9 \xe2\x86\x92 ok");
	assert_string_equal(buf, "caf\xc3\xa9 \xe2\x86\x92 ok"); /* UTF-8 stays */
	text_escape_term_buf(buf, sizeof(buf),
	                     "a\xc2\x9b"
	                     "2Jb\x9b\xff\n");
	assert_string_equal(buf, "a\\xc2\\x9b2Jb\\x9b\\xff\\x0a"); /* C1, bad bytes, newline */
	fp = open_memstream(&out, &len);
	assert_non_null(fp);
	text_term_printf(fp, "%s/%s %u %zu %.1f%%\n", "c\033[31m", "v", 7u, (size_t)9, 1.25);
	fclose(fp);
	assert_string_equal(out, "c\\x1b[31m/v 7 9 1.2%\n");
	free(out);
	/* every error message, whatever it quotes */
	err_at(&e, "f.case", 1, 2, "unknown word '%s'", "\033]0;owned\a");
	assert_null(strchr(e.msg, '\033'));
	assert_null(strchr(e.msg, '\a'));
	err_set(&e, ERR_INPUT, "x %s", "\n0 difference(s)");
	assert_null(strchr(e.msg, '\n'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_variant_escape),
	    cmocka_unit_test(test_run_vary_escape),
	    cmocka_unit_test(test_long_paths),
	    cmocka_unit_test(test_planted_links),
	    cmocka_unit_test(test_afile_planted_tmpfile),
	    cmocka_unit_test(test_afile_planted_named),
	    cmocka_unit_test(test_summary_no_quote),
	    cmocka_unit_test(test_summary_large),
	    cmocka_unit_test(test_term_escape),
	};

	return cmocka_run_group_tests_name("results", tests, setup, teardown);
}
