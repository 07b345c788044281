// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_leak.c - nothing outlives the process that built it.
 *
 * A child builds 10 wire topologies (30 namespaces, 20 veth pairs) and then
 * ends: by SIGKILL, SIGINT, SIGTERM, a normal exit without any teardown, or
 * an error in the middle of a build.  Afterwards the number of network
 * namespaces any process refers to, and the host's veth links, are back to
 * their baseline.  The counts are first seen to rise, so the observer is
 * known to see what it counts.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

#include "host/addrblock.h"
#include "host/topology.h"

#define TOPOLOGIES      10
#define NS_PER_TOPOLOGY 3

enum ending { END_SIGNAL, END_EXIT, END_MIDSETUP };

/* In the child: build, say so, then wait to be ended (or end). */
static void builder(int readyfd, enum ending how)
{
	struct addrblock blocks[TOPOLOGIES];
	struct topology t[TOPOLOGIES];
	struct err e;
	int i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* Started in the background by a script, this process inherited
	 * SIGINT ignored (POSIX: a non-interactive shell's asynchronous
	 * lists ignore SIGINT and SIGQUIT); the test sends it. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	alarm(30); /* never outlive a broken test */
	for (i = 0; i < TOPOLOGIES; i++) {
		struct topology_opts o = {.shape = TOPO_WIRE};

		if (addrblock_acquire(&blocks[i], &e) < 0)
			_exit(2);
		o.block = blocks[i].index;
		if (how == END_MIDSETUP && i == TOPOLOGIES - 1)
			o.fail_after = 9; /* after the veths exist */
		if (topology_build(&t[i], &o, &e) < 0) {
			if (write(readyfd, "F", 1) != 1)
				_exit(3);
			_exit(1); /* the error path exits, the other 9 are still held */
		}
	}
	if (write(readyfd, "R", 1) != 1)
		_exit(3);
	if (how == END_EXIT)
		exit(0); /* no topology_destroy(): the kernel must clean up */
	for (;;)
		pause();
}

/* Start a builder; returns its pid once it has reported (@report set). */
static pid_t start_builder(enum ending how, char *report)
{
	int p[2];
	struct pollfd pfd;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		builder(p[1], how);
	}
	close(p[1]);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	assert_int_equal(poll(&pfd, 1, 20000), 1);
	assert_int_equal(read(p[0], report, 1), 1);
	close(p[0]);
	return pid;
}

static void run_ending(enum ending how, int sig)
{
	int base_ns, base_veth, during, after, status;
	char report = 0;
	pid_t pid;

	REQUIRE_NETNS();
	base_ns = tl_count_netns();
	base_veth = tl_count_host_veth();
	assert_true(base_ns > 0);
	assert_true(base_veth >= 0);

	pid = start_builder(how, &report);
	if (how == END_SIGNAL) {
		assert_int_equal(report, 'R');
		during = tl_count_netns();
		/* The observer sees the child's 30 namespaces. */
		assert_true(during >= base_ns + TOPOLOGIES * NS_PER_TOPOLOGY);
		assert_int_equal(kill(pid, sig), 0);
	} else {
		assert_int_equal(report, how == END_EXIT ? 'R' : 'F');
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (how == END_SIGNAL) {
		assert_true(WIFSIGNALED(status));
		assert_int_equal(WTERMSIG(status), sig);
	} else {
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), how == END_EXIT ? 0 : 1);
	}
	/* The kernel frees namespaces asynchronously: poll, bounded. */
	after = tl_wait_netns_count(base_ns, 5000);
	if (after > base_ns)
		fail_msg("%d network namespace(s) left (%d before the run)", after - base_ns,
		         base_ns);
	assert_int_equal(tl_count_host_veth(), base_veth);
}

static void test_sigkill(void **state)
{
	(void)state;
	run_ending(END_SIGNAL, SIGKILL);
}

static void test_sigint(void **state)
{
	(void)state;
	run_ending(END_SIGNAL, SIGINT);
}

static void test_sigterm(void **state)
{
	(void)state;
	run_ending(END_SIGNAL, SIGTERM);
}

static void test_exit_without_teardown(void **state)
{
	(void)state;
	run_ending(END_EXIT, 0);
}

static void test_error_mid_setup(void **state)
{
	(void)state;
	run_ending(END_MIDSETUP, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sigkill),         cmocka_unit_test(test_sigint),
	    cmocka_unit_test(test_sigterm),         cmocka_unit_test(test_exit_without_teardown),
	    cmocka_unit_test(test_error_mid_setup),
	};

	return cmocka_run_group_tests_name("leak", tests, NULL, NULL);
}
