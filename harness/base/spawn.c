// SPDX-License-Identifier: GPL-2.0-only
/* spawn.c - bounded helper programs with captured output. */
#include "base/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/text.h"

static void child(const char *const argv[], const char *cwd, int wfd, int merge)
{
	int null = open("/dev/null", O_RDWR);

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		if (!merge)
			dup2(null, STDERR_FILENO);
	}
	dup2(wfd, STDOUT_FILENO);
	if (merge)
		dup2(wfd, STDERR_FILENO);
	if (cwd && chdir(cwd) < 0)
		_exit(126);
	execvp(argv[0], (char *const *)argv);
	_exit(127);
}

static int append(struct spawn_out *o, const char *buf, size_t n)
{
	char *nd = realloc(o->data, o->len + n + 1);

	if (!nd)
		return -1;
	o->data = nd;
	memcpy(o->data + o->len, buf, n);
	o->len += n;
	o->data[o->len] = '\0';
	return 0;
}

int spawn_run(const char *const argv[], const char *cwd, int timeout_ms, struct spawn_out *out,
              int merge_stderr, struct err *e)
{
	return spawn_run_tick(argv, cwd, timeout_ms, out, merge_stderr, 0, NULL, NULL, e);
}

int spawn_run_tick(const char *const argv[], const char *cwd, int timeout_ms, struct spawn_out *out,
                   int merge_stderr, int tick_ms, void (*tick)(void *), void *arg, struct err *e)
{
	double next_tick = clock_ms() + tick_ms;
	struct spawn_out sink = {NULL, 0};
	struct spawn_out *o = out ? out : &sink;
	double deadline = clock_ms() + timeout_ms;
	int p[2], ws = 0, timed_out = 0;
	pid_t pid;

	o->data = NULL;
	o->len = 0;
	if (append(o, "", 0) < 0)
		return err_set(e, ERR_SYSTEM, "out of memory");
	if (pipe2(p, O_CLOEXEC) < 0)
		return err_sys(e, "pipe for %s", argv[0]);
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return err_sys(e, "fork for %s", argv[0]);
	}
	if (pid == 0)
		child(argv, cwd, p[1], merge_stderr);
	setpgid(pid, pid);
	close(p[1]);
	for (;;) {
		struct pollfd pfd = {.fd = p[0], .events = POLLIN};
		double left = deadline - clock_ms();
		char buf[65536];
		ssize_t n;

		int wait;

		if (left <= 0) {
			timed_out = 1;
			break;
		}
		wait = (int)left + 1;
		if (tick) {
			double to_tick = next_tick - clock_ms();

			if (to_tick <= 0) {
				tick(arg);
				next_tick = clock_ms() + tick_ms;
				to_tick = tick_ms;
			}
			if (to_tick < wait)
				wait = (int)to_tick + 1;
		}
		if (poll(&pfd, 1, wait) < 0 && errno != EINTR)
			break;
		if (!pfd.revents)
			continue;
		n = read(p[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (out && append(o, buf, (size_t)n) < 0) {
			timed_out = -1;
			break;
		}
	}
	close(p[0]);
	if (timed_out)
		kill(-pid, SIGKILL);
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	kill(-pid, SIGKILL); /* anything it left behind in its group */
	spawn_out_free(&sink);
	if (timed_out > 0)
		return err_set(e, ERR_ENV, "%s did not finish within %d s and was killed", argv[0],
		               timeout_ms / 1000);
	if (timed_out < 0)
		return err_set(e, ERR_SYSTEM, "out of memory reading the output of %s", argv[0]);
	if (WIFSIGNALED(ws))
		return err_set(e, ERR_SYSTEM, "%s died of signal %d", argv[0], WTERMSIG(ws));
	if (WEXITSTATUS(ws) == 127)
		return err_set(e, ERR_ENV, "%s: not found (is it installed?)", argv[0]);
	return WEXITSTATUS(ws);
}

void spawn_out_free(struct spawn_out *o)
{
	free(o->data);
	o->data = NULL;
	o->len = 0;
}

const char *spawn_last_line(const struct spawn_out *o, char *buf, size_t len)
{
	const char *end, *start;

	buf[0] = '\0';
	if (!o->data)
		return buf;
	end = o->data + o->len;
	while (end > o->data && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	start = end;
	while (start > o->data && start[-1] != '\n')
		start--;
	if ((size_t)(end - start) >= len)
		start = end - (len - 1);
	memcpy(buf, start, (size_t)(end - start));
	buf[end - start] = '\0';
	return buf;
}
