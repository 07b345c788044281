// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_summary.c - summary.json from another machine, as `tcpconform diff`
 * and `tcpconform report` read it: summary_parse() (what summary_load()
 * runs on the file), then the diff against itself and against a small
 * real run, the matrix over both, and the run's own report page.
 */
#include "fuzz.h"

#include "out/diff.h"
#include "out/report.h"
#include "out/summary.h"

static const char other[] =
    "{\"run_id\": \"r\", \"kernel\": \"6.1.0\", \"variants\": [{\"case\": \"refused\", "
    "\"variant\": \"ipv4\", \"dir\": \"refused/ipv4\", \"verdict\": \"pass\", \"checks\": "
    "[{\"name\": \"connect.errno\", \"verdict\": \"pass\", \"observed\": \"ECONNREFUSED\", "
    "\"expected\": \"ECONNREFUSED\", \"source\": \"connect(2)\", \"exact\": true}]}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct summary s[2];
	const char *dirs[] = {"a", "b"};
	struct err e;

	if (!null)
		null = fopen("/dev/null", "w");
	if (summary_parse(&s[0], (const char *)data, size, "f/summary.json", &e) < 0) {
		fuzz_check_message(e.msg, "f/summary.json");
		return 0;
	}
	if (summary_parse(&s[1], other, sizeof(other) - 1, "other", &e) < 0)
		abort();
	diff_summaries(null, &s[0], &s[0], "a", "a");
	diff_summaries(null, &s[0], &s[1], "a", "b");
	diff_summaries(null, &s[1], &s[0], "b", "a");
	if (report_matrix_html(null, s, 2, dirs) < 0)
		abort();
	report_run_html(null, &s[0], -1);
	summary_free(&s[0]);
	summary_free(&s[1]);
	return 0;
}
