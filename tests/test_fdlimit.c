// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_fdlimit.c - running out of file descriptors is never a pass.
 *
 * `tcpconform run` of a case that uses every observation source (tcp_info,
 * inet_diag, counters with a mark, tracepoints, the wire, a sysctl) under
 * RLIMIT_NOFILE from 4 to 40.  At every limit either the run is exactly as
 * without a limit (exit 0, the same verdicts), or it exits 1 or 3 naming
 * EMFILE, and never with a skip that the unlimited run does not have: a
 * skip may only come from a declared reason, not from a failed open.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

static char tmp[64];

/* Every observation is taken while the most descriptors are open (both
 * sockets and the listener), so that one limit fails them all. */
static const char every[] = "case every\n"
                            "title every observation source once\n"
                            "server listen L port 8000\n"
                            "mark start\n"
                            "client connect c to server:8000 as connect\n"
                            "server accept s from L as accept\n"
                            "wait until wire c>s flags=. count 1 within 2s\n"
                            "observe client c state as cstate\n"
                            "observe client c tcpinfo rto as rto\n"
                            "observe server diag ESTABLISHED as est\n"
                            "observe client c states as timeline\n"
                            "observe client resets sent as rsts\n"
                            "observe server retransmits as rtx\n"
                            "observe wire count c>s flags=S as syns\n"
                            "observe client counter Tcp.ActiveOpens as opens\n"
                            "observe client counter Tcp.ActiveOpens since start as opens_since\n"
                            "observe server sysctl net.ipv4.tcp_syn_retries as synret\n"
                            "client close c\n"
                            "server close s\n"
                            "wait until wire c>s flags=. count 2 within 2s\n"
                            "observe client diag TIME_WAIT timer as tw_timer\n";

/* No row depends on timing: a failure here is the harness's, not the load's
 * (rtx counts retransmissions, which a busy host may cause: any count). */
static const char every_table[] =
    "connect.ret | * | - | 0 | connect(2)\n"
    "accept.ret | * | - | 0 | accept(2)\n"
    "cstate | * | - | ESTABLISHED | RFC 9293 3.5\n"
    "rto | * | - | >=1 | tcp_info\n"
    "est | * | - | 1 | the accepted socket\n"
    "timeline | <4.16 | - | skip sock:inet_sock_set_state does not exist before 4.16 | v4.16\n"
    "timeline | * | - | SYN_SENT ESTABLISHED | RFC 9293 3.5\n"
    "rsts | * | - | 0 | no reset\n"
    "rtx | * | - | >=0 | counted (a loaded host may retransmit: the count is no concern here)\n"
    "syns | * | - | 1 | one connect\n"
    "opens | * | - | 1 | TCP_MIB_ACTIVEOPENS\n"
    "opens_since | * | - | 1 | the open came after the mark\n"
    "synret | * | - | 6 | TCP_SYN_RETRIES\n"
    "tw_timer | * | - | >=1 | include/net/tcp.h TCP_TIMEWAIT_LEN\n";

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

static int setup(void **state)
{
	char path[128];

	(void)state;
	strcpy(tmp, "/tmp/tcpconform-fd-XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	snprintf(path, sizeof(path), "%s/cases", tmp);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/fixtures", tmp);
	mkdir(path, 0755);
	write_file("cases/every.case", every);
	write_file("fixtures/every.table", every_table);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return tl_rmtree(tmp);
}

/* build/tcpconform run every -o TMP/OUT under RLIMIT_NOFILE @limit (set in
 * the child before exec, with only 0, 1 and 2 open), stdout and stderr to
 * TMP/OUT.log.  Returns the exit status, or 128 + signal. */
static int run_limited(unsigned limit, const char *out)
{
	char dir[256], log[256], cases[256];
	pid_t pid;
	int st;

	snprintf(dir, sizeof(dir), "%s/%s", tmp, out);
	snprintf(log, sizeof(log), "%s/%s.log", tmp, out);
	snprintf(cases, sizeof(cases), "%s/cases", tmp);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char nofile[64];
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (fd < 0 || nul < 0 || dup2(nul, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(125);
		close_range(3, ~0U, 0);
		setenv("TCPCONFORM_CASES", cases, 1);
		/* prlimit(1) sets the limit after the exec: under valgrind the
		 * test's own process may not lower it (valgrind keeps fds of its
		 * own above the limit). */
		snprintf(nofile, sizeof(nofile), "--nofile=%u:%u", limit, limit);
		execlp("prlimit", "prlimit", nofile, "build/tcpconform", "run", "every", "-o", dir,
		       (char *)NULL);
		_exit(126);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	long n;

	if (!fp)
		return strdup("");
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	if (fread(buf, 1, (size_t)n, fp) != (size_t)n)
		buf[0] = '\0';
	fclose(fp);
	return buf;
}

/* "variant/check verdict reason" per line, sorted as the summary lists them. */
static char *verdicts(const char *out, size_t *check_errors, char **skips)
{
	char path[256], *text = NULL;
	size_t len = 0, i, c;
	json_error_t je;
	json_t *sum, *vars;
	FILE *mem = open_memstream(&text, &len);

	assert_non_null(mem);
	*check_errors = 0;
	snprintf(path, sizeof(path), "%s/%s/summary.json", tmp, out);
	sum = json_load_file(path, 0, &je);
	vars = json_object_get(sum, "variants");
	for (i = 0; i < json_array_size(vars); i++) {
		json_t *v = json_array_get(vars, i), *checks = json_object_get(v, "checks");
		const char *vn = json_string_value(json_object_get(v, "variant"));

		for (c = 0; c < json_array_size(checks); c++) {
			json_t *ck = json_array_get(checks, c);
			const char *name = json_string_value(json_object_get(ck, "name"));
			const char *verdict = json_string_value(json_object_get(ck, "verdict"));
			const char *reason = json_string_value(json_object_get(ck, "reason"));

			fprintf(mem, "%s/%s %s", vn, name, verdict);
			if (strcmp(verdict, "pass") != 0)
				fprintf(mem, " (%.200s)", reason);
			fputc('\n', mem);
			if (strcmp(verdict, "error") == 0 && strcmp(name, "variant") != 0)
				(*check_errors)++;
			if (skips && strcmp(verdict, "skip") == 0) {
				size_t n = strlen(*skips) + strlen(name) + strlen(reason) + 8;
				char *s = realloc(*skips, n);

				assert_non_null(s);
				*skips = s;
				snprintf(s + strlen(s), n - strlen(s), "%s: %s\n", name, reason);
			}
		}
	}
	json_decref(sum);
	fclose(mem);
	return text;
}

static void test_fd_limits_never_pass_or_skip(void **state)
{
	char *baseline, *declared = strdup(""), out[32];

	size_t errs, observation_errors = 0;
	unsigned limit, failed = 0;

	(void)state;
	REQUIRE_NETNS();
	assert_non_null(declared);
	assert_int_equal(run_limited(1024, "base"), 0);
	baseline = verdicts("base", &errs, &declared);
	assert_int_equal(errs, 0);
	for (limit = 4; limit <= 40; limit++) {
		char *now, *skips = strdup(""), *log, *sum, path[256];
		int st;

		assert_non_null(skips);
		snprintf(out, sizeof(out), "n%u", limit);
		st = run_limited(limit, out);
		now = verdicts(out, &errs, &skips);
		snprintf(path, sizeof(path), "%s/%s.log", tmp, out);
		log = slurp(path);
		snprintf(path, sizeof(path), "%s/%s/summary.json", tmp, out);
		sum = slurp(path);
		if (st == 0) {
			/* Unhurt by the limit: exactly the unlimited run. */
			if (strcmp(now, baseline) != 0)
				fail_msg(
				    "limit %u: exit 0 but verdicts differ:\n%s\nunlimited:\n%s",
				    limit, now, baseline);
		} else {
			if (st != 1 && st != 3)
				fail_msg("limit %u: exit %d\n%s", limit, st, log);
			if (!strstr(log, "EMFILE") && !strstr(sum, "EMFILE"))
				fail_msg("limit %u: exit %d without naming EMFILE:\n%s\n%s", limit,
				         st, log, now);
			failed++;
			observation_errors += errs;
		}
		/* Every skip is one the unlimited run has too: a declared reason. */
		{
			char *line = skips, *nl;

			for (; *line; line = nl + 1) {
				nl = strchr(line, '\n');
				*nl = '\0';
				if (!strstr(declared, line))
					fail_msg("limit %u: skip not declared: %s", limit, line);
			}
		}
		free(now);
		free(skips);
		free(log);
		free(sum);
	}
	/* The range reached the observations themselves, not only set-up. */
	assert_true(failed > 0);
	assert_true(observation_errors > 0);
	free(baseline);
	free(declared);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fd_limits_never_pass_or_skip),
	};

	return cmocka_run_group_tests_name("fdlimit", tests, setup, teardown);
}
