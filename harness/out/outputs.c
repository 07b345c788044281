// SPDX-License-Identifier: GPL-2.0-only
/* outputs.c - results.ktap and junit.xml. */
#include "out/outputs.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/afile.h"
#include "base/text.h"

/* Every string written here may come from a results directory another
 * machine wrote: a KTAP line holds no '#' but the directive's (a name with
 * "# SKIP" would turn a failure into a skip) and no line break or other
 * control character; names are printable ASCII in KTAP and JUnit alike. */

/* KTAP text (reasons, sources): one line, no '#'. */
static void ktap_text(FILE *fp, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		fputc(c == '#' ? '_' : c < 0x20 || c == 0x7f ? ' ' : c, fp);
	}
}

static char name_char(char ch)
{
	unsigned char c = (unsigned char)ch;

	return c == '#' ? '_' : c < 0x20 || c >= 0x7f ? '?' : ch;
}

/* A name (case, variant, check) in KTAP. */
static void ktap_name(FILE *fp, const char *s)
{
	for (; *s; s++)
		fputc(name_char(*s), fp);
}

/* A name in a JUnit attribute. */
static void junit_name(FILE *fp, const char *s)
{
	char one[2] = "";

	for (; *s; s++) {
		one[0] = name_char(*s);
		text_escape_xml(fp, one);
	}
}

static void ktap_check(FILE *fp, unsigned no, const struct check *c)
{
	const char *ind = "    ";

	if (c->v == V_FAIL || c->v == V_ERROR) {
		fprintf(fp, "%s# ", ind);
		ktap_name(fp, c->name);
		fputs(": ", fp);
		ktap_text(fp, c->reason);
		fputc('\n', fp);
		if (c->source[0]) {
			fprintf(fp, "%s# source: ", ind);
			ktap_text(fp, c->source);
			fputc('\n', fp);
		}
	}
	fprintf(fp, "%s%s %u ", ind, c->v == V_FAIL || c->v == V_ERROR ? "not ok" : "ok", no);
	ktap_name(fp, c->name);
	switch (c->v) {
	case V_PASS:
		break;
	case V_XFAIL:
		fputs(" # XFAIL ", fp);
		ktap_text(fp, c->source);
		break;
	case V_SKIP:
		fputs(" # SKIP ", fp);
		ktap_text(fp, c->reason);
		break;
	case V_ERROR:
		fputs(" # ERROR ", fp);
		ktap_text(fp, c->reason);
		break;
	case V_FAIL:
		break;
	}
	fputc('\n', fp);
}

static bool failed(enum verdict v)
{
	return v == V_FAIL || v == V_ERROR;
}

/* "# run 1 of 2: fail under a timer slip of 1234.5 ms: CHECK: WHY", for
 * each earlier run of a variant run again (before its checks). */
static void ktap_earlier(FILE *fp, const struct judged_variant *v)
{
	size_t a;

	for (a = 0; a < v->nearlier; a++) {
		const struct attempt *t = &v->earlier[a];

		fprintf(fp, "    # run %zu of %zu: %s under a timer slip of %.1f ms, run again: ",
		        a + 1, v->nearlier + 1, verdict_name(t->v), t->slip_ms);
		if (t->check[0]) {
			ktap_name(fp, t->check);
			fputs(": ", fp);
		}
		ktap_text(fp, t->why);
		fputc('\n', fp);
	}
}

/* The earlier runs of @v whose first failing check was @c (the first
 * check for an error without one), as Surefire writes reruns: flaky* when
 * @c passed in the end, rerun* when it did not. */
static void junit_earlier(FILE *fp, const struct judged_variant *v, size_t c)
{
	const struct check *ck = &v->j.checks[c];
	size_t a;

	for (a = 0; a < v->nearlier; a++) {
		const struct attempt *t = &v->earlier[a];
		const char *kind = t->v == V_FAIL ? "Failure" : "Error";

		if (t->check[0] ? strcmp(t->check, ck->name) != 0 : c != 0)
			continue;
		fprintf(
		    fp, "\n      <%s%s message=\"run %zu of %zu, under a timer slip of %.1f ms: ",
		    failed(ck->v) ? "rerun" : "flaky", kind, a + 1, v->nearlier + 1, t->slip_ms);
		text_escape_xml(fp, t->why);
		fprintf(fp, "\" type=\"timer-slip\"/>");
	}
}

int write_ktap(int dirfd, const char *name, const struct judged_variant *v, size_t n, struct err *e)
{
	struct afile af;
	size_t i, k, ncases = 0, casno = 0;

	if (afile_openat(&af, dirfd, name, NULL, e) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(v[i].case_name, v[i - 1].case_name) != 0)
			ncases++;
	fprintf(af.fp, "KTAP version 1\n1..%zu\n", ncases);
	for (i = 0; i < n;) {
		size_t end = i, nv;
		bool case_failed = false;

		while (end < n && strcmp(v[end].case_name, v[i].case_name) == 0)
			end++;
		nv = end - i;
		fputs("  KTAP version 1\n  # Subtest: ", af.fp);
		ktap_name(af.fp, v[i].case_name);
		fprintf(af.fp, "\n  1..%zu\n", nv);
		for (k = i; k < end; k++) {
			const struct judgement *j = &v[k].j;
			size_t c;

			fputs("    KTAP version 1\n    # Subtest: ", af.fp);
			ktap_name(af.fp, v[k].variant);
			fprintf(af.fp, "\n    1..%zu\n", j->n);
			ktap_earlier(af.fp, &v[k]);
			for (c = 0; c < j->n; c++)
				ktap_check(af.fp, (unsigned)c + 1, &j->checks[c]);
			fprintf(af.fp, "  %s %zu ", failed(j->overall) ? "not ok" : "ok",
			        k - i + 1);
			ktap_name(af.fp, v[k].variant);
			if (j->n == 1 && j->checks[0].v == V_SKIP &&
			    !strcmp(j->checks[0].name, "variant")) {
				fputs(" # SKIP ", af.fp);
				ktap_text(af.fp, j->checks[0].reason);
			}
			fputc('\n', af.fp);
			case_failed |= failed(j->overall);
		}
		fprintf(af.fp, "%s %zu ", case_failed ? "not ok" : "ok", ++casno);
		ktap_name(af.fp, v[i].case_name);
		fputc('\n', af.fp);
		i = end;
	}
	return afile_commit(&af, e);
}

int write_junit(int dirfd, const char *name, const struct judged_variant *v, size_t n,
                const char *kernel, struct err *e)
{
	struct afile af;
	size_t i, k, c, all_tests = 0, all_fails = 0, all_errors = 0;
	double all_ms = 0;

	if (afile_openat(&af, dirfd, name, NULL, e) < 0)
		return -1;
	/* The totals first, as <testsuites> carries them. */
	for (k = 0; k < n; k++) {
		all_ms += v[k].wall_ms;
		for (c = 0; c < v[k].j.n; c++) {
			all_tests++;
			all_fails += v[k].j.checks[c].v == V_FAIL;
			all_errors += v[k].j.checks[c].v == V_ERROR;
		}
	}
	fprintf(af.fp,
	        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"tcpconform\" "
	        "tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"%.3f\">\n",
	        all_tests, all_fails, all_errors, all_ms / 1e3);
	for (i = 0; i < n;) {
		size_t end = i, tests = 0, fails = 0, errors = 0, skips = 0;
		double ms = 0;

		while (end < n && strcmp(v[end].case_name, v[i].case_name) == 0)
			end++;
		for (k = i; k < end; k++) {
			ms += v[k].wall_ms;
			for (c = 0; c < v[k].j.n; c++) {
				tests++;
				fails += v[k].j.checks[c].v == V_FAIL;
				errors += v[k].j.checks[c].v == V_ERROR;
				skips += v[k].j.checks[c].v == V_SKIP;
			}
		}
		fprintf(af.fp, "  <testsuite name=\"");
		junit_name(af.fp, v[i].case_name);
		fprintf(af.fp,
		        "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" "
		        "time=\"%.3f\">\n    <properties><property name=\"kernel\" value=\"",
		        tests, fails, errors, skips, ms / 1e3);
		text_escape_xml(af.fp, kernel);
		fprintf(af.fp, "\"/></properties>\n");
		for (k = i; k < end; k++) {
			for (c = 0; c < v[k].j.n; c++) {
				const struct check *ck = &v[k].j.checks[c];

				fprintf(af.fp, "    <testcase classname=\"");
				junit_name(af.fp, v[k].case_name);
				fputc('.', af.fp);
				junit_name(af.fp, v[k].variant);
				fprintf(af.fp, "\" name=\"");
				junit_name(af.fp, ck->name);
				/* A check's share of its variant's wall time: a
				 * suite's testcases add up to the suite's time. */
				fprintf(af.fp, "\" time=\"%.3f\">",
				        v[k].wall_ms / 1e3 / (double)v[k].j.n);
				junit_earlier(af.fp, &v[k], c);
				if (ck->v == V_FAIL || ck->v == V_ERROR) {
					fprintf(af.fp, "\n      <%s message=\"",
					        ck->v == V_FAIL ? "failure" : "error");
					text_escape_xml(af.fp, ck->reason);
					fprintf(af.fp, "\">expected: ");
					text_escape_xml(af.fp, ck->expected);
					fprintf(af.fp, "\nobserved: ");
					text_escape_xml(af.fp, ck->observed);
					fprintf(af.fp, "\nsource: ");
					text_escape_xml(af.fp, ck->source);
					fprintf(af.fp, "</%s>\n    ",
					        ck->v == V_FAIL ? "failure" : "error");
				} else if (ck->v == V_SKIP) {
					fprintf(af.fp, "<skipped message=\"");
					text_escape_xml(af.fp, ck->reason);
					fprintf(af.fp, "\"/>");
				} else if (ck->v == V_XFAIL) {
					fprintf(af.fp, "<system-out>xfail: known kernel bug: ");
					text_escape_xml(af.fp, ck->source);
					fprintf(af.fp, "</system-out>");
				}
				fprintf(af.fp, "</testcase>\n");
			}
		}
		fprintf(af.fp, "  </testsuite>\n");
		i = end;
	}
	fprintf(af.fp, "</testsuites>\n");
	return afile_commit(&af, e);
}
