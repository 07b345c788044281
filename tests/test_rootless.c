// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_rootless.c - the rootless mode, for real: `tcpconform run` started
 * as an unprivileged user (a uid made up for the test, with no account:
 * nothing on the host is changed) must run the cases inside a user
 * namespace of its own, skip what needs real root (tracepoints) with the
 * reason, write results the user owns, and leave no namespace behind.
 * Where that user may make no user namespace (tried first, for real: a
 * chroot, user.max_user_namespaces=0), the harness must exit 3 and the
 * test is skipped with the harness's reason.
 */
#include <errno.h>
#include <grp.h>
#include <jansson.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

#define TEST_UID 4242 /* no account: setpriv switches to it directly */

/* Whether uid TEST_UID may make a user namespace here, tried for real in
 * a child (not as the harness does it): 0, or unshare's errno. */
static int userns_refused(void)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		if (setgroups(0, NULL) < 0 || setresgid(TEST_UID, TEST_UID, TEST_UID) < 0 ||
		    setresuid(TEST_UID, TEST_UID, TEST_UID) < 0)
			_exit(255);
		_exit(unshare(CLONE_NEWUSER) == 0 ? 0 : errno);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) != 255);
	return WEXITSTATUS(status);
}

/* The first line of @path that starts with "tcpconform: ", without it. */
static void harness_says(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "r");
	char line[1024];

	snprintf(out, len, "(no message)");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "tcpconform: ", 12)) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(out, len, "%s", line + 12);
			break;
		}
	fclose(f);
}

static void test_run_as_user(void **state)
{
	char dir[] = "/tmp/tcpconform-rootless-XXXXXX", cmd[1024], path[256], why[1024];
	json_t *sum, *v, *ck;
	json_error_t je;
	struct stat st;
	size_t i, k;
	int status, before, refused, skipped_tracepoints = 0, passed = 0;

	(void)state;
	if (geteuid() != 0 || !tl_have("setpriv")) {
		print_message("skipped: needs root (to become uid %d) and setpriv\n", TEST_UID);
		skip();
	}
	refused = userns_refused();
	before = tl_count_netns();
	assert_non_null(mkdtemp(dir));
	assert_int_equal(chmod(dir, 0777), 0);
	snprintf(cmd, sizeof(cmd),
	         "setpriv --reuid=%d --regid=%d --clear-groups build/tcpconform run handshake "
	         "refused fin-wait2-timeout -o %s/out > %s/log 2>&1",
	         TEST_UID, TEST_UID, dir, dir);
	status = system(cmd);
	snprintf(cmd, sizeof(cmd), "cat %s/log", dir);
	assert_int_equal(system(cmd), 0);
	assert_true(WIFEXITED(status));
	if (refused) {
		/* No user namespace for a user here (a chroot, a sysctl, a
		 * seccomp filter): the harness must say so as the environment's
		 * fault (exit 3), and this test is skipped with its reason. */
		snprintf(path, sizeof(path), "%s/log", dir);
		harness_says(path, why, sizeof(why));
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		assert_int_equal(system(cmd), 0);
		assert_int_equal(WEXITSTATUS(status), 3);
		print_message(
		    "skipped: uid %d cannot make a user namespace here (unshare: %s): %s\n",
		    TEST_UID, strerror(refused), why);
		skip();
	}
	assert_int_equal(WEXITSTATUS(status), 0);

	snprintf(path, sizeof(path), "%s/out/summary.json", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_uid, TEST_UID); /* the user's own files */
	sum = json_load_file(path, 0, &je);
	assert_non_null(sum);
	assert_true(json_is_true(json_object_get(sum, "user_namespace")));
	json_array_foreach(json_object_get(sum, "variants"), i, v)
	{
		json_array_foreach(json_object_get(v, "checks"), k, ck)
		{
			const char *name = json_string_value(json_object_get(ck, "name"));
			const char *verdict = json_string_value(json_object_get(ck, "verdict"));
			const char *reason = json_string_value(json_object_get(ck, "reason"));

			if (strstr(name, "timeline") && !strcmp(verdict, "skip") && reason &&
			    strstr(reason, "tracepoints need real root"))
				skipped_tracepoints++;
			if (!strcmp(verdict, "pass"))
				passed++;
		}
	}
	/* handshake observes two state timelines, refused one, per family:
	 * each skipped, with why. */
	assert_int_equal(skipped_tracepoints, 6);
	assert_true(passed > 20);
	json_decref(sum);
	/* Everything the run made died with it. */
	assert_true(tl_wait_netns_count(before, 2000) <= before);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_run_as_user),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
