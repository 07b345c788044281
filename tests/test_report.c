// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_report.c - what people read: report.html with its ladder diagrams
 * (rendered in headless Chromium when it is installed: a screenshot is
 * taken and the DOM after rendering holds the diagrams), the matrix over
 * two runs, and `tcpconform diff` on two hand-made result directories; and
 * result directories made by someone hostile: markup and terminal escapes
 * in every field, a link to another file, a directory outside the run.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

#include "out/report.h"

static char tmp[64];

static int setup(void **state)
{
	(void)state;
	return tl_tmpdir(tmp, sizeof(tmp), "report");
}

static int teardown(void **state)
{
	(void)state;
	return tl_rmtree(tmp);
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	size_t n;

	if (!fp)
		return NULL;
	buf = calloc(1, 4 << 20);
	n = fread(buf, 1, (4 << 20) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)); hay++)
		n++;
	return n;
}

/* A case with a lost SYN, so the diagram has a dropped frame. */
static const char lost_syn[] = "case lost-syn\n"
                               "title the first SYN is lost\n"
                               "family 4\n"
                               "server listen L port 8000\n"
                               "wire drop c>s flags=S count=1\n"
                               "client connect c to server:8000 as connect\n"
                               "observe wire count c>s flags=S as syns\n";
static const char lost_syn_table[] =
    "connect.ret | * | - | 0 | connect(2)\n"
    "syns | * | - | 2 | RFC 6298 2.1: the SYN is sent again after the initial RTO\n";

static void write_file(const char *rel, const char *text)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void test_report_html(void **state)
{
	char path[256], *html, *dom;
	json_t *obs;
	json_error_t je;
	size_t frames;

	(void)state;
	REQUIRE_NETNS();
	sh("mkdir -p %s/cases %s/fixtures", tmp, tmp);
	write_file("cases/lost-syn.case", lost_syn);
	write_file("fixtures/lost-syn.table", lost_syn_table);
	assert_int_equal(
	    sh("TCPCONFORM_CASES=%s/cases build/tcpconform run -o %s/run >/dev/null", tmp, tmp), 0);
	snprintf(path, sizeof(path), "%s/run/report.html", tmp);
	html = slurp(path);
	assert_non_null(html);
	assert_non_null(strstr(html, "<!DOCTYPE html>"));
	/* Self-contained: nothing fetched from anywhere. */
	assert_null(strstr(html, "src=\"http"));
	assert_null(strstr(html, "href=\"http"));
	assert_null(strstr(html, "<link "));
	assert_null(strstr(html, "<script src"));
	/* One diagram, one arrow or cross per TCP frame, the drop marked. */
	snprintf(path, sizeof(path), "%s/run/lost-syn/ipv4/observed.json", tmp);
	obs = json_load_file(path, 0, &je);
	assert_non_null(obs);
	frames = json_array_size(json_object_get(obs, "frames"));
	assert_true(frames >= 4); /* S (dropped), S, S., . */
	assert_int_equal(count(html, "<svg"), 1);
	assert_int_equal(count(html, "marker-end=\"url(#a)\""), (int)frames - 1);
	assert_int_equal(count(html, "&#x2715;"), 1);
	assert_non_null(strstr(html, "dropped by rule 1"));
	if (!strstr(html, ">SYN_SENT<")) /* state changes, where tracefs is there */
		print_message("note: no state changes in the diagram (tracepoints unavailable?)\n");
	assert_non_null(strstr(html, "RFC 6298 2.1"));
	json_decref(obs);

	if (!tl_have("chromium")) {
		print_message("note: chromium not installed: report not rendered in a browser\n");
		free(html);
		return;
	}
	/* Rendered: a screenshot exists and is a PNG of the window's size, and
	 * the DOM after rendering still holds the diagram's arrows. */
	assert_int_equal(sh("cd %s && timeout 120 chromium --headless --no-sandbox --disable-gpu "
	                    "--disable-background-networking --no-first-run --disable-sync "
	                    "--disable-component-update --user-data-dir=%s/profile "
	                    "--window-size=900,1200 --screenshot=%s/shot.png "
	                    "file://%s/run/report.html >/dev/null 2>&1",
	                    tmp, tmp, tmp, tmp),
	                 0);
	snprintf(path, sizeof(path), "%s/shot.png", tmp);
	{
		unsigned char h[24];
		FILE *fp = fopen(path, "rb");
		struct stat st;

		assert_non_null(fp);
		assert_int_equal(fread(h, 1, 24, fp), 24);
		fclose(fp);
		assert_memory_equal(h, "\x89PNG\r\n\x1a\n", 8);
		assert_int_equal((h[16] << 24 | h[17] << 16 | h[18] << 8 | h[19]), 900);
		assert_int_equal(stat(path, &st), 0);
		assert_true(st.st_size > 20000); /* not a blank page */
	}
	assert_int_equal(sh("cd %s && timeout 120 chromium --headless --no-sandbox --disable-gpu "
	                    "--disable-background-networking --no-first-run --disable-sync "
	                    "--disable-component-update --user-data-dir=%s/profile --dump-dom "
	                    "file://%s/run/report.html > %s/dom.html 2>/dev/null",
	                    tmp, tmp, tmp, tmp),
	                 0);
	snprintf(path, sizeof(path), "%s/dom.html", tmp);
	dom = slurp(path);
	assert_non_null(dom);
	assert_int_equal(count(dom, "<svg"), 1);
	assert_int_equal(count(dom, "marker-end=\"url(#a)\""), (int)frames - 1);
	free(dom);
	free(html);
}

/* Two hand-made result directories. */
static void make_run(const char *name, const char *kernel, const char *observed,
                     const char *verdict)
{
	char rel[128], text[2048];

	snprintf(rel, sizeof(rel), "mkdir -p %s/%s", tmp, name);
	assert_int_equal(system(rel), 0);
	snprintf(text, sizeof(text),
	         "{\"run_id\": \"%s\", \"kernel\": \"%s\", \"variants\": [{\"case\": \"tw-reuse\", "
	         "\"variant\": \"ipv4\", \"dir\": \"tw-reuse/ipv4\", \"verdict\": \"%s\", "
	         "\"checks\": [{\"name\": \"reconnect.errno\", \"verdict\": \"%s\", \"observed\": "
	         "\"%s\", \"exact\": true, \"source\": \"row of %s\"}, {\"name\": \"wait_ms\", "
	         "\"verdict\": \"pass\", \"observed\": \"%s\", \"exact\": false}]}]}",
	         name, kernel, verdict, verdict, observed, name,
	         observed[0] == 'E' ? "1001" : "1003");
	snprintf(rel, sizeof(rel), "%s/summary.json", name);
	write_file(rel, text);
}

/* `tcpconform report A B`, its HTML (malloc'd). */
static char *matrix(const char *a, const char *b)
{
	char path[256];
	char *html;

	assert_int_equal(sh("build/tcpconform report %s/%s %s/%s -o %s/m-%s%s.html > /dev/null",
	                    tmp, a, tmp, b, tmp, a, b),
	                 0);
	snprintf(path, sizeof(path), "%s/m-%s%s.html", tmp, a, b);
	html = slurp(path);
	assert_non_null(html);
	return html;
}

static void test_diff_and_matrix(void **state)
{
	char path[256], *out;

	(void)state;
	make_run("a", "6.1.0-26-amd64", "EADDRNOTAVAIL", "pass");
	make_run("b", "6.12.9-amd64", "null", "fail");
	make_run("c", "6.1.0-26-amd64", "EADDRNOTAVAIL", "pass");
	/* a -> b: the errno and the verdict differ; wait_ms differs too, but a
	 * time judged by a range is not a change of behaviour. */
	assert_int_equal(sh("build/tcpconform diff %s/a %s/b > %s/d1.txt", tmp, tmp, tmp), 1);
	snprintf(path, sizeof(path), "%s/d1.txt", tmp);
	out = slurp(path);
	assert_non_null(strstr(out, "tw-reuse/ipv4 reconnect.errno: EADDRNOTAVAIL (pass) -> null "
	                            "(fail)"));
	assert_null(strstr(out, "wait_ms"));
	assert_non_null(strstr(out, "1 difference(s)"));
	free(out);
	assert_int_equal(sh("build/tcpconform diff %s/a %s/c > /dev/null", tmp, tmp), 0);
	assert_int_equal(sh("build/tcpconform diff %s/a %s/nothere > /dev/null 2>&1", tmp, tmp), 2);
	/* The matrix: one row per case/variant, one column per run, linked. */
	out = matrix("a", "b");
	assert_non_null(strstr(out, "6.1.0-26-amd64"));
	assert_non_null(strstr(out, "6.12.9-amd64"));
	/* a cell per run, and the index's link to the case's first variant */
	assert_int_equal(count(out, "/report.html#tw-reuse/ipv4\""), 3);
	assert_non_null(strstr(out, "class=\"fail\""));
	/* Below it, the differences, each with the row that judged it in each
	 * run; a time within its range is not one. */
	{
		const char *d = strstr(out, "Differences between the runs");

		assert_non_null(d);
		assert_non_null(strstr(d, "reconnect.errno"));
		assert_non_null(strstr(d, "row of a"));
		assert_non_null(strstr(d, "row of b"));
		assert_null(strstr(d, "wait_ms"));
	}
	free(out);
	out = matrix("a", "c");
	assert_non_null(strstr(out, "<td colspan=\"7\">none</td>"));
	free(out);
}

static void classes_fixed(const char *html);

/* A run of three cases, @bad_case with a failed variant, "c" with an error. */
static void make_index_run(const char *name, const char *kernel, const char *bad_case)
{
	char rel[128], text[4096];

	snprintf(rel, sizeof(rel), "mkdir -p %s/%s", tmp, name);
	assert_int_equal(system(rel), 0);
	snprintf(text, sizeof(text),
	         "{\"run_id\": \"%s\", \"kernel\": \"%s\", \"variants\": ["
	         "{\"case\": \"a\", \"title\": \"Case A\", \"why\": \"A holds & is checked\", "
	         "\"variant\": \"ipv4\", \"dir\": \"a/ipv4\", \"verdict\": \"%s\"},"
	         "{\"case\": \"a\", \"title\": \"Case A\", \"why\": \"A holds & is checked\", "
	         "\"variant\": \"ipv6\", \"dir\": \"a/ipv6\", \"verdict\": \"pass\"},"
	         "{\"case\": \"b\", \"title\": \"Case B\", \"why\": \"B <claims>\", "
	         "\"variant\": \"ipv4\", \"dir\": \"b/ipv4\", \"verdict\": \"%s\"},"
	         "{\"case\": \"c\", \"title\": \"Case C\", \"why\": \"C too\", "
	         "\"variant\": \"ipv4\", \"dir\": \"c/ipv4\", \"verdict\": \"error\"},"
	         "{\"case\": \"c\", \"title\": \"Case C\", \"why\": \"C too\", "
	         "\"variant\": \"ipv6\", \"dir\": \"c/ipv6\", \"verdict\": \"skip\"}]}",
	         name, kernel, strcmp(bad_case, "a") ? "pass" : "fail",
	         strcmp(bad_case, "b") ? "pass" : "fail");
	snprintf(rel, sizeof(rel), "%s/summary.json", name);
	write_file(rel, text);
}

/* The index by case: title and claim, counts by verdict, the cases with a
 * fail or an error first (then in run order), a filter that needs no
 * script (radios beside what they hide); in the matrix, one count column
 * per run. */
static void test_case_index(void **state)
{
	char path[256], *html, *idx;
	struct err e;

	(void)state;
	make_index_run("ix1", "6.1.0", "b");
	snprintf(path, sizeof(path), "%s/ix1", tmp);
	assert_int_equal(report_write_run(path, &e), 0);
	snprintf(path, sizeof(path), "%s/ix1/report.html", tmp);
	html = slurp(path);
	assert_non_null(html);
	idx = strstr(html, "<table class=\"index\">");
	assert_non_null(idx);
	/* b (a fail) and c (an error) before a, which passed */
	assert_true(strstr(idx, ">b</a>") < strstr(idx, ">c</a>"));
	assert_true(strstr(idx, ">c</a>") < strstr(idx, ">a</a>"));
	assert_non_null(
	    strstr(idx, "<tr class=\"bad\"><td class=\"mono\"><a href=\"#b/ipv4\">b</a>"));
	assert_non_null(strstr(idx, "Case B<div class=\"claim\">B &lt;claims&gt;</div>"));
	assert_non_null(strstr(idx, "A holds &amp; is checked"));
	assert_non_null(strstr(idx, "<span class=\"pass\">2 pass</span>"));
	assert_non_null(strstr(idx, "<span class=\"error\">1 error</span>"));
	assert_non_null(strstr(idx, "<span class=\"skip\">1 skip</span>"));
	/* the filter: radios straight in <body>, before the index; CSS hides .ok */
	assert_non_null(strstr(html, "#f-bad:checked~* .ok"));
	assert_true(strstr(html, "id=\"f-bad\"") < idx);
	assert_null(strstr(html, "<p>show"));
	assert_null(strstr(html, "<script"));
	/* the variants table and sections carry the class the filter hides by */
	assert_non_null(strstr(html, "<tr class=\"ok\"><td>a</td>"));
	assert_non_null(strstr(html, "<div class=\"bad\">\n<h2 id=\"b/ipv4\""));
	classes_fixed(html);
	free(html);

	/* the matrix: a failed in the second run only */
	make_index_run("ix2", "6.12.0", "a");
	html = matrix("ix1", "ix2");
	idx = strstr(html, "<table class=\"index\">");
	assert_non_null(idx);
	assert_non_null(strstr(idx, "6.1.0<br>"));
	assert_non_null(strstr(idx, "6.12.0<br>"));
	/* every case has a fail or an error somewhere: run order */
	assert_true(strstr(idx, ">a</a>") < strstr(idx, ">b</a>"));
	assert_non_null(strstr(idx, "/ix1/report.html#a/ipv4\">a</a>"));
	assert_non_null(strstr(html, "<tr class=\"bad\"><td class=\"mono\">a/ipv4"));
	free(html);
}

/* A run made by someone else: every string a trap for HTML or a terminal. */
static void make_hostile(const char *name, const char *observed)
{
	json_t *root = json_object(), *var = json_object(), *ck = json_object();
	json_t *vars = json_array(), *checks = json_array();
	char path[256];

	snprintf(path, sizeof(path), "mkdir -p %s/%s", tmp, name);
	assert_int_equal(system(path), 0);
	json_object_set_new(ck, "name", json_string("<img src=x onerror=alert(1)>\033[2J"));
	json_object_set_new(ck, "verdict", json_string("fail\"><script>alert(2)</script>"));
	json_object_set_new(ck, "observed", json_string(observed));
	json_object_set_new(ck, "expected", json_string("<script>alert(3)</script>"));
	json_object_set_new(ck, "source", json_string("<img src=x onerror=alert(4)>\033]0;T\a"));
	json_object_set_new(ck, "reason", json_string("<script>alert(5)</script>"));
	json_object_set_new(ck, "exact", json_true());
	json_array_append_new(checks, ck);
	json_object_set_new(var, "case", json_string("<img src=x onerror=alert(6)>\033[31m"));
	json_object_set_new(var, "title", json_string("<script>alert(14)</script>\033[2J"));
	json_object_set_new(var, "why", json_string("<img src=x onerror=alert(15)>\033]0;T\a"));
	json_object_set_new(var, "variant", json_string("ipv4-\033]0;TITLE\a\033[2J"));
	json_object_set_new(var, "dir", json_string("javascript:alert(7)"));
	json_object_set_new(
	    var, "verdict",
	    json_string("pass\" onmouseover=\"alert(8)\"><script>alert(9)</script>"));
	json_object_set_new(var, "reason", json_string("<img src=x onerror=alert(10)>"));
	json_object_set_new(var, "checks", checks);
	{
		/* an earlier run (--rerun-slipped) with traps of its own */
		json_t *runs = json_array(), *r = json_object();

		json_object_set_new(r, "verdict", json_string("fail\"><script>alert(16)</script>"));
		json_object_set_new(r, "timer_slip_ms", json_string("<b>"));
		json_object_set_new(r, "check", json_string("<img src=x onerror=alert(17)>"));
		json_object_set_new(r, "reason", json_string("\033[2J<script>alert(18)</script>"));
		json_array_append_new(runs, r);
		json_object_set_new(var, "earlier_runs", runs);
	}
	json_array_append_new(vars, var);
	/* a variant whose directory is outside the run */
	var = json_object();
	json_object_set_new(var, "case", json_string("out"));
	json_object_set_new(var, "variant", json_string("side"));
	json_object_set_new(var, "dir", json_string("../outside"));
	json_object_set_new(var, "verdict", json_string("pass"));
	json_array_append_new(vars, var);
	json_object_set_new(root, "run_id", json_string("<script>alert(11)</script>"));
	json_object_set_new(root, "kernel",
	                    json_string("\033]0;TITLE\a\033[2J<img src=x onerror=alert(12)>"));
	json_object_set_new(root, "kernel_version", json_string("<script>alert(13)</script>"));
	json_object_set_new(root, "variants", vars);
	snprintf(path, sizeof(path), "%s/%s/summary.json", tmp, name);
	assert_int_equal(json_dump_file(root, path, 0), 0);
	json_decref(root);
}

/* Only the verdict classes, nothing else, in class="..." of a cell. */
static void classes_fixed(const char *html)
{
	static const char *const ok[] = {"pass",    "xfail", "skip",  "fail",   "error",
	                                 "unknown", "mono",  "why",   "ladder", "ok",
	                                 "bad",     "index", "claim", "n"};
	const char *p = html;

	while ((p = strstr(p, "class=\""))) {
		size_t i, n;
		bool found = false;

		p += 7;
		n = strcspn(p, "\"");
		for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
			found |= strlen(ok[i]) == n && !strncmp(p, ok[i], n);
		if (!found)
			fail_msg("class=\"%.*s\"", (int)n, p);
	}
}

static void no_markup(const char *html)
{
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "onmouseover=\""));
	assert_null(strstr(html, "href=\"javascript"));
	assert_null(strchr(html, '\033'));
	assert_null(strstr(html, "OUTSIDE-MARKER"));
	classes_fixed(html);
}

static void test_hostile_results(void **state)
{
	char path[256], *out;
	struct err e;

	(void)state;
	make_hostile("h1", "\033]0;TITLE\a\033[2J<script>alert(14)</script>");
	make_hostile("h2", "other\033[31m");
	/* a file outside the run that "../outside" would reach */
	sh("mkdir -p %s/outside", tmp);
	write_file("outside/observed.json",
	           "{\"frames\": [{\"tcp\": true, \"kind\": 1, \"dir\": \"c>s\", "
	           "\"flags\": \"S\", \"verdict\": \"OUTSIDE-MARKER\"}]}");
	/* diff: no escape sequence reaches the terminal, from any field */
	assert_int_equal(sh("build/tcpconform diff %s/h1 %s/h2 > %s/hd.txt 2>&1", tmp, tmp, tmp),
	                 1);
	snprintf(path, sizeof(path), "%s/hd.txt", tmp);
	out = slurp(path);
	assert_non_null(out);
	assert_null(strchr(out, '\033'));
	assert_null(strchr(out, '\a'));
	assert_non_null(strstr(out, "\\x1b]0;TITLE\\x07"));
	assert_non_null(strstr(out, "1 difference(s)"));
	free(out);
	/* the matrix */
	assert_int_equal(
	    sh("build/tcpconform report %s/h1 %s/h2 -o %s/hm.html > /dev/null", tmp, tmp, tmp), 0);
	snprintf(path, sizeof(path), "%s/hm.html", tmp);
	out = slurp(path);
	assert_non_null(out);
	no_markup(out);
	assert_non_null(strstr(out, "&lt;script&gt;"));
	assert_non_null(strstr(out, "report.html#javascript%3Aalert%287%29\""));
	free(out);
	/* the run's own report: its links stay relative, nothing read outside */
	snprintf(path, sizeof(path), "%s/h1", tmp);
	if (report_write_run(path, &e) < 0)
		fail_msg("%s", e.msg);
	snprintf(path, sizeof(path), "%s/h1/report.html", tmp);
	out = slurp(path);
	assert_non_null(out);
	no_markup(out);
	assert_non_null(strstr(out, "href=\"./javascript%3Aalert%287%29/trace.pcap\""));
	/* the earlier run is shown, escaped, its link relative too */
	assert_non_null(strstr(out, "run 1 of 2: "));
	assert_non_null(strstr(out, "href=\"./javascript%3Aalert%287%29/run-1/trace.pcap\""));
	free(out);
}

/* A summary.json that is a link out of its directory (to /etc/shadow, say)
 * is not read, and no file content is ever quoted in an error. */
static void test_diff_no_quote(void **state)
{
	char path[256], *out;

	(void)state;
	make_run("q", "6.1.0-26-amd64", "EADDRNOTAVAIL", "pass");
	write_file("shadow", "root:$6$secretsalt$hash:19000:0:99999:7:::\n");
	sh("mkdir -p %s/s && ln -s %s/shadow %s/s/summary.json", tmp, tmp, tmp);
	assert_int_equal(sh("build/tcpconform diff %s/q %s/s > %s/qs.txt 2>&1", tmp, tmp, tmp), 2);
	snprintf(path, sizeof(path), "%s/qs.txt", tmp);
	out = slurp(path);
	assert_null(strstr(out, "root"));
	assert_null(strstr(out, "secret"));
	assert_non_null(strstr(out, "symbolic link"));
	free(out);
	sh("mkdir -p %s/t && cp %s/shadow %s/t/summary.json", tmp, tmp, tmp);
	assert_int_equal(sh("build/tcpconform diff %s/q %s/t > %s/qt.txt 2>&1", tmp, tmp, tmp), 2);
	snprintf(path, sizeof(path), "%s/qt.txt", tmp);
	out = slurp(path);
	assert_null(strstr(out, "root"));
	assert_non_null(strstr(out, "not valid JSON"));
	free(out);
	assert_int_equal(
	    sh("build/tcpconform diff /nonexistent-tc %s/q > %s/qn.txt 2>&1", tmp, tmp), 2);
	snprintf(path, sizeof(path), "%s/qn.txt", tmp);
	out = slurp(path);
	assert_null(strstr(out, ":-1:-1:"));
	assert_non_null(strstr(out, "/nonexistent-tc"));
	free(out);
}

/* `report -o DIR/m.html` with a link planted at the name the old writer
 * used for its temporary: the link's target is untouched, nothing left. */
static void test_report_planted_temp(void **state)
{
	char path[256], *out;

	(void)state;
	make_run("p", "6.1.0-26-amd64", "EADDRNOTAVAIL", "pass");
	sh("mkdir -p %s/po", tmp);
	write_file("po/victim", "precious\n");
	/* exec keeps the shell's pid: the harness runs as $$ */
	assert_int_equal(sh("ln -s %s/po/victim %s/po/m.html.tmp.$$ && exec build/tcpconform "
	                    "report %s/p -o %s/po/m.html > /dev/null",
	                    tmp, tmp, tmp, tmp),
	                 0);
	snprintf(path, sizeof(path), "%s/po/victim", tmp);
	out = slurp(path);
	assert_string_equal(out, "precious\n");
	free(out);
	/* no other temporary: victim, the link, m.html */
	assert_int_equal(sh("test $(ls -A %s/po | wc -l) -eq 3", tmp), 0);
}

/* A variant in one run only is named with the run that has it, whichever
 * side that is (the second run's were named with the first's). */
static void test_diff_only_in(void **state)
{
	char path[256], *out;

	(void)state;
	make_run("oa", "6.1.0", "EADDRNOTAVAIL", "pass");
	make_index_run("ob", "6.1.0", "b");
	assert_int_equal(sh("build/tcpconform diff %s/oa %s/ob > %s/only.txt", tmp, tmp, tmp), 1);
	snprintf(path, sizeof(path), "%s/only.txt", tmp);
	out = slurp(path);
	assert_non_null(out);
	snprintf(path, sizeof(path), "tw-reuse/ipv4: only in %s/oa\n", tmp);
	assert_non_null(strstr(out, path));
	snprintf(path, sizeof(path), "a/ipv4: only in %s/ob\n", tmp);
	assert_non_null(strstr(out, path));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_report_html),         cmocka_unit_test(test_diff_and_matrix),
	    cmocka_unit_test(test_hostile_results),     cmocka_unit_test(test_diff_no_quote),
	    cmocka_unit_test(test_report_planted_temp), cmocka_unit_test(test_case_index),
	    cmocka_unit_test(test_diff_only_in),
	};

	return cmocka_run_group_tests_name("report", tests, setup, teardown);
}
