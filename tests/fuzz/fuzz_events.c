// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_events.c - a variant's events.txt from another machine, as
 * `tcpconform report` reads it: the variant's section of report.html,
 * whose ladder places the state changes trace_event_parse() finds in it
 * beside a real run's frames.
 */
#include "fuzz.h"

#include "out/report.h"
#include "out/results.h"
#include "out/summary.h"

static const char var_text[] =
    "{\"case\": \"refused\", \"variant\": \"ipv4\", \"dir\": \"refused/ipv4\", \"verdict\": "
    "\"pass\", \"checks\": []}";

/* refused/ipv4/observed.json of a run: its addresses, clocks and frames */
static const char obs_text[] =
    "{\"addresses\":{\"client4\":\"10.128.3.1\",\"client6\":\"fd00:128:3::1\","
    "\"server4\":\"10.128.3.2\",\"server6\":\"fd00:128:3::2\"},\"clocks\":{\"monotonic\":1484."
    "274020823,"
    "\"realtime\":1796409871.7954297},\"frames\":[{\"ack\":0,\"dir\":\"c>s\","
    "\"dport\":8000,\"flags\":\"S\",\"kind\":0,\"len\":0,\"no\":1,\"seq\":107147713,"
    "\"sport\":44176,\"t\":1796409871.75112,\"tcp\":true,\"verdict\":\"passed\"},"
    "{\"ack\":107147714,\"dir\":\"s>c\",\"dport\":44176,\"flags\":\"R.\",\"kind\":0,"
    "\"len\":0,\"no\":2,\"seq\":0,\"sport\":8000,\"t\":1796409871.7512472,\"tcp\":true,"
    "\"verdict\":\"passed\"}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	static json_t *var, *obs;
	struct err e;
	char *text;

	if (!null)
		null = fopen("/dev/null", "w");
	if (!var && !(var = results_json(var_text, sizeof(var_text) - 1, "var", &e)))
		abort();
	if (!obs && !(obs = results_json(obs_text, sizeof(obs_text) - 1, "obs", &e)))
		abort();
	/* resdir_read() hands the report a NUL-terminated copy of the file */
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	report_variant_html(null, var, obs, text);
	free(text);
	return 0;
}
