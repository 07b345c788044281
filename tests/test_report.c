// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_report.c - what people read: report.html with its ladder diagrams
 * (rendered in headless Chromium when it is installed: a screenshot is
 * taken and the DOM after rendering holds the diagrams), the matrix over
 * two runs, and `tcpconform diff` on two hand-made result directories.
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

static char tmp[64];

static int setup(void **state)
{
	(void)state;
	strcpy(tmp, "/tmp/tcpconform-report-XXXXXX");
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	return system(cmd) == 0 ? 0 : -1;
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
	assert_int_equal(count(out, "/report.html#tw-reuse/ipv4\""), 2);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_report_html),
	    cmocka_unit_test(test_diff_and_matrix),
	};

	return cmocka_run_group_tests_name("report", tests, setup, teardown);
}
