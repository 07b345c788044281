// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_coverage.c - what `tcpconform coverage` reads: the transitions and
 * timers files (every error at file:line:col), and a variant's
 * observed.json and events.txt from another machine (each fuzzed with a
 * real other half), through the rules of model/coverage.c, coverage.json
 * and the coverage section of report.html.
 */
#include "fuzz.h"

#include "model/coverage.h"
#include "model/covspec.h"
#include "out/covreport.h"
#include "out/results.h"

static const char var_text[] =
    "{\"case\": \"handshake\", \"variant\": \"ipv4\", \"dir\": \"handshake/ipv4\", \"status\": "
    "\"ran\", \"checks\": [{\"name\": \"client_timeline\", \"verdict\": \"pass\", \"observed\": "
    "\"SYN_SENT CLOSE\", \"table_line\": 4}, {\"name\": \"n\", \"verdict\": \"pass\", "
    "\"observed\": \"1\", \"table_line\": 5}, {\"name\": \"w.ms\", \"verdict\": \"pass\", "
    "\"observed\": \"3\", \"table_line\": 6}]}";

static const char obs_text[] =
    "{\"family\": 4, \"addresses\": {\"client4\": \"10.128.3.1\", \"server4\": \"10.128.3.2\"}, "
    "\"clocks\": {\"realtime\": 1000.5, \"monotonic\": 1484.0}, \"sysctls\": {\"server\": "
    "{\"net.ipv4.tcp_syncookies\": \"1\"}}, \"observations\": {\"client_timeline\": {\"line\": "
    "9, \"step\": \"observe client c states\", \"value\": \"SYN_SENT CLOSE\"}, \"n\": "
    "{\"line\": 10, \"step\": \"observe client diag TIME_WAIT\", \"value\": 1}, \"w\": "
    "{\"line\": 11, \"value\": {\"ret\": 0, \"step\": \"wait until client diag TIME_WAIT "
    "count 0 within 2s\"}}}, \"steps\": [{\"line\": 11, \"ret\": 0, \"step\": \"wait until "
    "client diag TIME_WAIT count 0 within 2s\"}], \"frames\": [{\"t\": 1000.6, \"dir\": "
    "\"s>c\", \"tcp\": true, \"flags\": \"F.\", \"sport\": 8000, \"dport\": 44176, \"kind\": "
    "0}]}";

static const char events[] =
    "tcpconform-11385 [001] ..... 1484.229681: inet_sock_set_state: family=AF_INET "
    "protocol=IPPROTO_TCP sport=0 dport=8000 saddr=10.128.3.1 daddr=10.128.3.2 "
    "saddrv6=::ffff:10.128.3.1 daddrv6=::ffff:10.128.3.2 oldstate=TCP_CLOSE "
    "newstate=TCP_SYN_SENT\n"
    "tcpconform-11402 [001] ..s1. 1484.229865: inet_sock_set_state: family=AF_INET "
    "protocol=IPPROTO_TCP sport=44176 dport=8000 saddr=10.128.3.1 daddr=10.128.3.2 "
    "saddrv6=::ffff:10.128.3.1 daddrv6=::ffff:10.128.3.2 oldstate=TCP_SYN_SENT "
    "newstate=TCP_ESTABLISHED\n"
    "tcpconform-11402 [001] ..s1. 1484.329865: inet_sock_set_state: family=AF_INET "
    "protocol=IPPROTO_TCP sport=44176 dport=8000 saddr=10.128.3.1 daddr=10.128.3.2 "
    "saddrv6=::ffff:10.128.3.1 daddrv6=::ffff:10.128.3.2 oldstate=TCP_FIN_WAIT2 "
    "newstate=TCP_CLOSE\n";

static struct cov_transitions tr;
static struct cov_timers tm;
static json_t *var, *obs;
static FILE *null;

static void once(void)
{
	struct err e;

	if (null)
		return;
	null = fopen("/dev/null", "w");
	if (!null || cov_transitions_load("fixtures/coverage/transitions", &tr, &e) < 0 ||
	    cov_timers_load("fixtures/coverage/timers", &tm, &e) < 0 ||
	    !(var = results_json(var_text, sizeof(var_text) - 1, "var", &e)) ||
	    !(obs = results_json(obs_text, sizeof(obs_text) - 1, "obs", &e)))
		abort();
}

static void add(json_t *o, const char *ev)
{
	struct coverage c;
	json_t *j;

	if (cov_init(&c, &tr, &tm) < 0 || cov_add_variant(&c, var, o, ev) < 0)
		abort();
	j = cov_json(&c, (const char *const[]){"r"}, 1);
	if (!j)
		abort();
	json_decref(j);
	covreport_html(null, &c);
	covreport_text(null, &c, 1, 1);
	cov_free(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cov_transitions t;
	struct cov_timers m;
	struct err e;
	json_t *o;
	char *text;

	once();
	if (cov_transitions_parse((const char *)data, size, "f", &t, &e) == 0)
		cov_transitions_free(&t);
	else if (e.kind == ERR_INPUT)
		fuzz_check_place(e.msg, "f");
	if (cov_timers_parse((const char *)data, size, "f", &m, &e) == 0)
		cov_timers_free(&m);
	else if (e.kind == ERR_INPUT)
		fuzz_check_place(e.msg, "f");
	o = results_json((const char *)data, size, "observed.json", &e);
	if (o) {
		add(o, events);
		json_decref(o);
	}
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	add(obs, text);
	free(text);
	return 0;
}
