// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_observed.c - a variant's observed.json from another machine, as
 * `tcpconform report` reads it: results_json() (what results_read_json()
 * runs on the file), then the variant's section of report.html with its
 * ladder diagram, with a real events.txt beside it.
 */
#include "fuzz.h"

#include "out/report.h"
#include "out/results.h"
#include "out/summary.h"

static const char var_text[] =
    "{\"case\": \"refused\", \"variant\": \"ipv4\", \"dir\": \"refused/ipv4\", \"verdict\": "
    "\"pass\", \"checks\": [{\"name\": \"syns\", \"verdict\": \"pass\", \"observed\": \"1\", "
    "\"expected\": \"1\", \"source\": \"RFC 9293\", \"exact\": true}]}";

static const char events[] =
    "tcpconform-11385 [001] ..... 1484.229681: inet_sock_set_state: family=AF_INET "
    "protocol=IPPROTO_TCP sport=0 dport=8000 saddr=10.128.3.1 daddr=10.128.3.2 "
    "saddrv6=::ffff:10.128.3.1 daddrv6=::ffff:10.128.3.2 oldstate=TCP_CLOSE "
    "newstate=TCP_SYN_SENT\n"
    "tcpconform-11402 [001] ..s1. 1484.229865: inet_sock_set_state: family=AF_INET "
    "protocol=IPPROTO_TCP sport=44176 dport=8000 saddr=10.128.3.1 daddr=10.128.3.2 "
    "saddrv6=::ffff:10.128.3.1 daddrv6=::ffff:10.128.3.2 oldstate=TCP_SYN_SENT "
    "newstate=TCP_CLOSE\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	static json_t *var;
	struct err e;
	json_t *obs;

	if (!null)
		null = fopen("/dev/null", "w");
	if (!var && !(var = results_json(var_text, sizeof(var_text) - 1, "var", &e)))
		abort();
	obs = results_json((const char *)data, size, "observed.json", &e);
	if (!obs) {
		fuzz_check_message(e.msg, "observed.json");
		return 0;
	}
	report_variant_html(null, var, obs, events);
	report_variant_html(null, var, obs, NULL);
	json_decref(obs);
	return 0;
}
