// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_env.c - an environment that cannot run the harness is named for
 * what it is.  Each test makes the environment for real, for one run of
 * build/tcpconform, without changing anything on the host:
 *  - a chroot (a directory with /usr, /etc, /dev, /proc, /tmp and this tree
 *    bound into it, /sys without its submounts where that is allowed (in a
 *    user namespace it is not: locked submounts), in a mount namespace of
 *    its own): not root, the rootless mode is refused and the message says
 *    "running in a chroot"; as root the run passes (tracefs mounted
 *    privately even though / is no mount point there);
 *  - a chroot into a mount point (all of / bound on a directory): named as
 *    one where pid 1 shares the mount namespace (a new PID namespace),
 *    "perhaps" where it does not;
 *  - a user namespace whose user.max_user_namespaces is 0 (the limit is
 *    each user namespace's own: kernel/ucount.c), mapping uids 0-65535 to
 *    themselves: not root there, the message names the sysctl and its value;
 *  - root of such a user namespace without the limit (a rootless
 *    container): the run goes on in a network namespace of its own, the
 *    tracepoints skipped with the reason;
 *  - root without CAP_NET_ADMIN, CAP_NET_RAW or CAP_SYS_ADMIN (setpriv
 *    drops it from the bounding set): exit 3 naming the capability, where
 *    a missing CAP_NET_ADMIN used to fail every variant;
 *  - no tracefs (/sys/kernel hidden by an empty tmpfs, as on a kernel
 *    without it): the run passes and the timelines are skipped, saying why.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/envcheck.h"
#include "testlib.h"

#define TEST_UID 4242 /* no account: setpriv switches to it directly */

#define REQUIRE_ROOT_AND(tool)                                                                     \
	do {                                                                                       \
		if (geteuid() != 0 || !tl_have(tool) || !tl_have("unshare")) {                     \
			print_message("skipped: needs root, unshare and %s\n", tool);              \
			skip();                                                                    \
		}                                                                                  \
		REQUIRE_NETNS();                                                                   \
	} while (0)

/* A chroot for @cmd (run from this directory), in a mount namespace of
 * its own: its mounts die with it and the host never sees them; the
 * directory is removed after (empty directories and links only: the
 * host's view of it has nothing else). */
static const char chroot_sh[] =
    "unshare -m --propagation private true 2>/dev/null || {\n"
    "  echo \"no private mount namespace here (unshare --propagation private: / is no mount \"\\\n"
    "\"point, as in a chroot): the test chroot's mounts could reach the host\"; exit 91; }\n"
    "r=$(mktemp -d /tmp/tcpconform-chroot-XXXXXX) && chmod 755 \"$r\" || exit 90\n"
    /* The tree bound in: this directory, widened to hold what its links
     * point at (make sanitize runs from build-san/root, whose entries
     * link back into the checkout). */
    "top=$(pwd -P)\n"
    "for f in ./* ./.[!.]*; do\n"
    "  [ -L \"$f\" ] || continue; t=$(readlink -f \"$f\") || continue\n"
    "  while [ -n \"$top\" ] && case \"$t/\" in \"$top\"/*) false;; *) true;; esac; do\n"
    "    top=${top%/*}; done\n"
    "done\n"
    "[ -n \"$top\" ] || exit 90\n"
    "unshare -m --propagation private sh -c '\n"
    "  r=$1 tree=$2 here=$3\n"
    "  for d in usr etc dev proc tmp; do\n"
    "    mkdir -p \"$r/$d\" && mount --rbind \"/$d\" \"$r/$d\" || exit 91\n"
    "  done\n"
    "  mkdir -p \"$r/sys\" \"$r$tree\" &&\n"
    "    { mount --bind /sys \"$r/sys\" 2>/dev/null || mount --rbind /sys \"$r/sys\"; } &&\n"
    "    mount --rbind \"$tree\" \"$r$tree\" || exit 91\n"
    "  for l in bin sbin lib lib32 lib64 libx32; do\n"
    "    [ -e \"/$l\" ] && ln -s \"usr/$l\" \"$r/$l\"\n"
    "  done\n"
    "  exec chroot \"$r\" sh -c \"cd \\\"$here\\\" && $TC_CMD\"' sh \"$r\" \"$top\" \"$(pwd -P)\"\n"
    "rc=$?\n"
    "find \"$r\" -depth \\( -type l -o -type d -empty \\) -delete\n"
    "exit $rc\n";

/* Whether @uid may make a user namespace here, tried in a child: 0, or
 * unshare's errno. */
static int userns_refused(uid_t uid)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		if (uid != geteuid() && (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 ||
		                         setresuid(uid, uid, uid) < 0))
			_exit(255);
		_exit(unshare(CLONE_NEWUSER) == 0 ? 0 : errno);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) != 255);
	return WEXITSTATUS(status);
}

/* Skip unless @uid may make user namespaces here (outside any chroot the
 * test makes): the test needs that to see what else refuses them. */
#define REQUIRE_USERNS(uid)                                                                        \
	do {                                                                                       \
		int refused_ = userns_refused(uid);                                                \
		if (refused_) {                                                                    \
			char why_[400];                                                            \
			envcheck_userns_why(refused_, why_, sizeof(why_));                         \
			print_message("skipped: uid %d may make no user namespace here "           \
			              "(unshare: %s): %s\n",                                       \
			              (int)(uid), strerror(refused_), why_);                       \
			skip();                                                                    \
		}                                                                                  \
	} while (0)

/* Exit status of a shell command that could not make its environment. */
#define NO_ENV 91

/* Skip the test when @r says the environment could not be made (a mount
 * refused: in a user namespace, /sys has locked submounts). */
static void skip_if_no_env(int r, char *out)
{
	if (r != NO_ENV)
		return;
	out[strcspn(out, "\n")] = '\0';
	print_message("skipped: the test's environment cannot be made here: %s\n", out);
	free(out);
	skip();
}

static int in_chroot(char **out, const char *cmd)
{
	int r;

	setenv("TC_CMD", cmd, 1);
	r = tl_sh(out, "%s", chroot_sh);
	unsetenv("TC_CMD");
	print_message("%s", *out);
	skip_if_no_env(r, *out);
	return r;
}

#define AS_USER "setpriv --reuid=4242 --regid=4242 --clear-groups "
#define RUN                                                                                        \
	"build/tcpconform run handshake -o /tmp/tcpconform-env-out-$$; r=$?; rm -rf "              \
	"/tmp/tcpconform-env-out-$$; exit $r"

static void test_chroot_not_root(void **state)
{
	char *out;

	(void)state;
	REQUIRE_ROOT_AND("setpriv");
	REQUIRE_USERNS(TEST_UID);
	assert_int_equal(in_chroot(&out, AS_USER RUN), 3);
	assert_non_null(strstr(out, "running in a chroot"));
	assert_non_null(strstr(out, "no mount is at / in /proc/self/mountinfo"));
	/* Not the other causes. */
	assert_null(strstr(out, "max_user_namespaces"));
	free(out);
}

static void test_chroot_root(void **state)
{
	char *out;

	(void)state;
	REQUIRE_ROOT_AND("setpriv");
	/* / is no mount point in the chroot: tracefs is mounted privately
	 * all the same (or, where it cannot be, skipped with the reason),
	 * and the run passes. */
	assert_int_equal(in_chroot(&out, "grep -c tracefs /proc/self/mounts; " RUN), 0);
	assert_true(!strncmp(out, "0\n", 2)); /* not mounted before the run */
	assert_null(strstr(out, "EINVAL"));
	free(out);
}

/* A chroot into a mount point (all of / bound on a directory), made in a
 * new mount namespace, with @pidns a new PID namespace too (its pid 1, the
 * shell, in that mount namespace and outside the chroot: no exec), and a
 * run as uid 4242 there: its exit status (3, before it writes anything)
 * and its output into *out. */
static const char mount_point_sh[] =
    "unshare -m --propagation private true 2>/dev/null || {\n"
    "  echo \"no private mount namespace here\"; exit 91; }\n"
    "r=$(mktemp -d /tmp/tcpconform-chroot-XXXXXX) && chmod 755 \"$r\" || exit 90\n"
    "unshare -m $TC_PIDNS --propagation private sh -c '\n"
    "  mount --rbind / \"$0\" || exit 91\n"
    "  cd \"$0\" && chroot \"$0\" sh -c \"cd \\\"$1\\\" && $TC_CMD\"' \"$r\" \"$PWD\"\n"
    "rc=$?\n"
    "rmdir \"$r\"\n"
    "exit $rc\n";

static int in_mount_point_chroot(char **out, bool pidns)
{
	int r;

	setenv("TC_PIDNS", pidns ? "-p -f --mount-proc" : "", 1);
	setenv("TC_CMD", AS_USER "build/tcpconform run handshake -o /tmp/tcpconform-env-out-$$", 1);
	r = tl_sh(out, "%s", mount_point_sh);
	unsetenv("TC_PIDNS");
	unsetenv("TC_CMD");
	print_message("%s", *out);
	skip_if_no_env(r, *out);
	return r;
}

/* The second way envcheck_chroot() tells a chroot: / is a mount point, and
 * pid 1, in the same mount namespace, has another mount there; with pid 1
 * in another mount namespace it cannot tell, and says so. */
static void test_chroot_mount_point(void **state)
{
	char *out;

	(void)state;
	REQUIRE_ROOT_AND("setpriv");
	REQUIRE_USERNS(TEST_UID);
	assert_int_equal(in_mount_point_chroot(&out, true), 3);
	assert_non_null(strstr(out, "running in a chroot (/ is mount "));
	assert_non_null(strstr(out, "for pid 1, in the same mount namespace"));
	free(out);
	assert_int_equal(in_mount_point_chroot(&out, false), 3);
	assert_non_null(strstr(out, "perhaps a chroot (cannot tell: pid 1 is in another mount "
	                            "namespace, and / is a mount point here)"));
	free(out);
}

/* Write @text to /proc/@pid/@file. */
static void write_map(pid_t pid, const char *file, const char *text)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

/* @cmd run by sh in a new user namespace that maps uids and gids 0-65535
 * to themselves (written from here, the parent, as host root), as root
 * there (every capability in it, none outside: a rootless container),
 * after setting its user.max_user_namespaces to 0 when @limit0.  Its
 * output into *out (free it); returns its exit status. */
static int in_userns(char **out, bool limit0, const char *cmd)
{
	int go[2], ready[2], pout[2], status;
	size_t len = 0;
	char c = 0, chunk[4096];
	ssize_t n;
	pid_t pid;
	FILE *mem;

	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(pout), 0);
	fflush(stdout);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		FILE *f;

		close(go[1]);
		close(ready[0]);
		close(pout[0]);
		if (dup2(pout[1], STDOUT_FILENO) < 0 || dup2(pout[1], STDERR_FILENO) < 0)
			_exit(90);
		if (unshare(CLONE_NEWUSER) < 0)
			_exit(91);
		if (write(ready[1], "u", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(92);
		if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
			_exit(93);
		f = limit0 ? fopen("/proc/sys/user/max_user_namespaces", "w") : NULL;
		if (limit0 && (!f || fputs("0\n", f) < 0 || fclose(f) != 0))
			_exit(94);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(go[0]);
	close(ready[1]);
	close(pout[1]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	write_map(pid, "uid_map", "0 0 65536\n");
	write_map(pid, "gid_map", "0 0 65536\n");
	assert_int_equal(write(go[1], "g", 1), 1);
	close(go[1]);
	close(ready[0]);
	*out = NULL;
	mem = open_memstream(out, &len);
	assert_non_null(mem);
	while ((n = read(pout[0], chunk, sizeof(chunk))) > 0)
		fwrite(chunk, 1, (size_t)n, mem);
	fclose(mem);
	close(pout[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	print_message("%s", *out);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static long host_userns_limit(void)
{
	FILE *f = fopen("/proc/sys/user/max_user_namespaces", "r");
	long v = -1;

	assert_non_null(f);
	assert_int_equal(fscanf(f, "%ld", &v), 1);
	fclose(f);
	return v;
}

static void test_userns_limit(void **state)
{
	long host = host_userns_limit();
	char *out;

	(void)state;
	REQUIRE_ROOT_AND("setpriv");
	REQUIRE_USERNS(0);
	assert_int_equal(
	    in_userns(&out, true, "cat /proc/sys/user/max_user_namespaces; " AS_USER RUN), 3);
	assert_true(!strncmp(out, "0\n", 2));
	assert_non_null(strstr(out, "(unshare(CLONE_NEWUSER): No space left on device (ENOSPC)): "
	                            "user.max_user_namespaces is 0 here"));
	assert_null(strstr(out, "chroot"));
	free(out);
	/* The host's own limit is untouched. */
	assert_int_equal(host_userns_limit(), host);
}

/* Root of a user namespace that does not own the network namespace it
 * starts in: the run goes on in one of its own (it could leave the
 * host's but never come back: it used to abort), and the tracepoints are
 * skipped saying why. */
static void test_userns_root(void **state)
{
	char *out;

	(void)state;
	REQUIRE_ROOT_AND("unshare");
	REQUIRE_USERNS(0);
	assert_int_equal(
	    in_userns(&out, false,
	              "build/tcpconform run handshake -o /tmp/tcpconform-env-out-$$ "
	              "&& grep -o \"tracepoints need real root: this is root of a "
	              "user namespace[^\\\"]*\" "
	              "/tmp/tcpconform-env-out-$$/summary.json | sort -u; r=$?; rm -rf "
	              "/tmp/tcpconform-env-out-$$; exit $r"),
	    0);
	assert_non_null(strstr(out, "running in a network namespace of its own"));
	assert_non_null(strstr(out, "\ntracepoints need real root: this is root of a user "
	                            "namespace, not of the initial one"));
	free(out);
}

static void test_caps(void **state)
{
	static const char *const caps[] = {"net_admin", "net_raw", "sys_admin"};
	char *out, upper[32];

	(void)state;
	REQUIRE_ROOT_AND("setpriv");
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		size_t k;

		assert_int_equal(tl_sh(&out,
		                       "setpriv --inh-caps=-%s --bounding-set=-%s build/tcpconform "
		                       "run handshake -o /tmp/tcpconform-env-out-$$; r=$?; "
		                       "rm -rf /tmp/tcpconform-env-out-$$; exit $r",
		                       caps[i], caps[i]),
		                 3);
		print_message("%s", out);
		for (k = 0; caps[i][k] && k < sizeof(upper) - 1; k++)
			upper[k] = caps[i][k] == '_' ? '_' : (char)(caps[i][k] - 'a' + 'A');
		upper[k] = '\0';
		assert_non_null(strstr(out, "this process lacks CAP_"));
		assert_non_null(strstr(out, upper));
		free(out);
	}
}

static void test_no_tracefs(void **state)
{
	char *out;
	int r;

	(void)state;
	REQUIRE_ROOT_AND("unshare");
	/* An empty tmpfs over /sys/kernel: no tracing directory, as on a
	 * kernel built without tracefs.  /sys made private first (not /: in
	 * a chroot it may be no mount point), so nothing reaches the host. */
	r = tl_sh(&out, "o=/tmp/tcpconform-env-out-$$\n"
	                "unshare -m --propagation unchanged sh -c '(mount --make-rprivate /sys "
	                "&& mount -t tmpfs none /sys/kernel || exit 91) && build/tcpconform run "
	                "handshake -o \"$0\" && grep -o \"\\(tracefs is not mounted and "
	                "cannot be\\|tracepoints need real root\\)[^\\\"]*\" "
	                "\"$0/summary.json\" | sort -u' \"$o\"\nr=$?\nrm -rf \"$o\"\nexit $r\n");
	print_message("%s", out);
	skip_if_no_env(r, out);
	assert_int_equal(r, 0);
	/* Root of the initial user namespace: tracefs is missing; root of
	 * another (nested in a rootless container) cannot have it anyway. */
	assert_non_null(
	    strstr(out, geteuid() == 0 && !tl_userns_nested()
	                    ? "\ntracefs is not mounted and cannot be (mount: No such file"
	                    : "\ntracepoints need real root: this is root of a user"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_chroot_not_root),    cmocka_unit_test(test_chroot_root),
	    cmocka_unit_test(test_chroot_mount_point), cmocka_unit_test(test_userns_limit),
	    cmocka_unit_test(test_userns_root),        cmocka_unit_test(test_caps),
	    cmocka_unit_test(test_no_tracefs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
