// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_leakcheck.c - `tcpconform run` as a whole leaves nothing behind:
 * after a normal run, SIGINT, SIGTERM, SIGHUP and SIGPIPE mid-run, stdout's
 * reader going away, SIGKILL of the parent mid-run, a variant that hangs
 * past its limit and a variant child that crashes (SIGSEGV from outside),
 * the counts of network namespaces, host veths, tcpconform processes,
 * tracefs instances and temporary files are what they were before; and the
 * results say which variants finished.  A stale tracefs instance of a dead
 * run is removed by the next run, a live one in another PID namespace is
 * not.  One run at a time writes into a results directory; a bad -o is
 * bad input (exit 2), a full disk the environment's fault (exit 3).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

static char tmp[64];

static const char quick[] = "case quick\ntitle q\ntimeout 5s\n"
                            "server listen L port 8000\n"
                            "client connect c to server:8000 as connect\n";
static const char slow[] = "case slow\ntitle s\ntimeout 20s\n"
                           "server listen L port 8000\n"
                           "client connect c to server:8000\n"
                           "wait 4000ms\n";
/* A slow variant whose verdict needs the tracefs instance at its end. */
static const char traced[] = "case traced\ntitle t\ntimeout 20s\n"
                             "server listen L port 8000\n"
                             "client connect c to server:8000\n"
                             "wait 3000ms\n"
                             "observe client c states as timeline\n";
static const char stuck[] = "case stuck\ntitle h\ntimeout 1s\n"
                            "server listen L port 8000\n"
                            "client connect c to server:8000\n"
                            "wait 30s\n";

struct counts {
	int netns, veth, procs, instances, tmpfiles;
};

/* tcpconform processes of this test: the runs it starts and, as this
 * process is their subreaper (set up below), anything they leave behind.
 * Other tcpconform runs on the machine do not count. */
static int count_procs(void)
{
	char me[32];
	DIR *d = opendir("/proc");
	struct dirent *de;
	int n = 0;

	snprintf(me, sizeof(me), "%d", (int)getpid());
	while (waitpid(-1, NULL, WNOHANG) > 0) /* orphans handed to us, dead */
		;
	while (d && (de = readdir(d))) {
		char path[300], comm[64] = "";
		FILE *f;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		{
			int ppid = 0;

			char state = 0;

			/* "PID (COMM) STATE PPID": comm is "tcpconform"; a zombie
			 * (dead, not yet reaped) is not running. */
			if (fscanf(f, "%*d (%63[^)]) %c %d", comm, &state, &ppid) == 3 &&
			    strncmp(comm, "tcpconform", 10) == 0 && ppid == atoi(me) &&
			    state != 'Z')
				n++;
		}
		fclose(f);
	}
	if (d)
		closedir(d);
	return n;
}

static int count_matching(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d)))
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	if (d)
		closedir(d);
	return n;
}

/* The runs this test started (their pids as their instances name them),
 * and the pid of the made-up stale instance: other runs on the machine
 * (tests of other trees) make and remove instances too, and do not count. */
#define STALE_PID 4194303
static pid_t ours[64] = {STALE_PID};
static size_t nours = 1;

static pid_t remember(pid_t pid)
{
	if (pid > 0 && nours < sizeof(ours) / sizeof(ours[0]))
		ours[nours++] = pid;
	return pid;
}

/* Instances "tcpconform-PID" or "tcpconform-PID-TOKEN" of our runs. */
static int count_our_instances(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0, pid;
	size_t i;

	while (d && (de = readdir(d)))
		if (sscanf(de->d_name, "tcpconform-%d", &pid) == 1)
			for (i = 0; i < nours; i++)
				if (ours[i] == pid)
					n++;
	if (d)
		closedir(d);
	return n;
}

/* tracefs instances are kernel objects, whatever mount shows them: look
 * through a mount of our own in a child's private mount namespace.  With
 * @make_stale, also create an instance named for a pid that cannot exist. */
/* Mounts made in this process's new mount namespace stay in it: every
 * mount private from "/" (0), or, in a chroot whose "/" is no mount point
 * (EINVAL), from /proc and /sys, the mount points such a chroot has (1:
 * a mount on a directory of the root file system itself could still reach
 * the mounts outside).  -1 when neither can be done. */
static int private_mounts(void)
{
	if (mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0)
		return 0;
	if (errno == EINVAL && mount("none", "/proc", "none", MS_REC | MS_PRIVATE, NULL) == 0 &&
	    mount("none", "/sys", "none", MS_REC | MS_PRIVATE, NULL) == 0)
		return 1;
	return -1;
}

static int tracefs_instances(bool make_stale)
{
	int fds[2], n = -1;
	pid_t pid;

	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		const char *dir = "/sys/kernel/tracing";
		char inst[128];
		int c = -1;

		close(fds[0]);
		/* Where the harness has it (host/tracer.c), in a mount namespace
		 * of this child's: without /sys/kernel/tracing the harness has
		 * no tracepoints, and these tests have nothing to count. */
		if (unshare(CLONE_NEWNS) == 0 && private_mounts() >= 0 &&
		    mount("tracefs", dir, "tracefs", 0, NULL) == 0) {
			snprintf(inst, sizeof(inst), "%s/instances/tcpconform-%d", dir, STALE_PID);
			if (make_stale)
				mkdir(inst, 0700);
			snprintf(inst, sizeof(inst), "%s/instances", dir);
			c = count_our_instances(inst);
			umount(dir);
		}
		if (write(fds[1], &c, sizeof(c)) != sizeof(c))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &n, sizeof(n)) != sizeof(n))
		n = -1;
	close(fds[0]);
	waitpid(pid, NULL, 0);
	return n;
}

static struct counts count(void)
{
	struct counts c;

	c.netns = tl_count_netns();
	c.veth = tl_count_host_veth();
	c.procs = count_procs();
	c.instances = tracefs_instances(false);
	/* The harness's own temporary files: afile's "NAME.tmp.PID" beside
	 * each result (counted below, per run), the baseline log of
	 * `tcpconform profile`, and anything in /dev/shm. */
	c.tmpfiles =
	    count_matching("/tmp", "tcpconform-baseline-") + count_matching("/dev/shm", "");
	return c;
}

/* Back to @base within 3 s (namespaces go when the kernel's cleanup work
 * has run). */
static void assert_back_to(const struct counts *base, const char *after_what)
{
	struct counts now;
	int i;

	for (i = 0; i < 60; i++) {
		now = count();
		if (!memcmp(&now, base, sizeof(now)))
			return;
		usleep(50 * 1000);
	}
	fail_msg("after %s: netns %d->%d, veth %d->%d, processes %d->%d, tracefs instances "
	         "%d->%d, temporary files %d->%d",
	         after_what, base->netns, now.netns, base->veth, now.veth, base->procs, now.procs,
	         base->instances, now.instances, base->tmpfiles, now.tmpfiles);
}

static void write_file(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	char path[128];

	(void)state;
	/* Orphans of the runs become our children, where count_procs() sees them. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	strcpy(tmp, "/tmp/tcpconform-leakcheck-XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	snprintf(path, sizeof(path), "%s/cases", tmp);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/fixtures", tmp);
	mkdir(path, 0755);
	write_file("cases/quick.case", quick);
	write_file("cases/slow.case", slow);
	write_file("cases/stuck.case", stuck);
	write_file("cases/traced.case", traced);
	write_file(
	    "fixtures/traced.table",
	    "timeline | * | - | SYN_SENT ESTABLISHED | tcp_v4_connect(), tcp_finish_connect()\n");
	write_file("fixtures/quick.table", "connect.ret | * | - | 0 | connect(2)\n"
	                                   "connect.errno | * | - | null | connect(2)\n"
	                                   "connect.ms | * | - | >=0 | connect(2)\n");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return tl_rmtree(tmp);
}

/* Start `tcpconform run CASE [CASE2] -o tmp/OUT` in the background. */
static pid_t start_run2(const char *cas, const char *cas2, const char *out)
{
	pid_t pid = fork();

	if (pid == 0) {
		char dir[128], casedir[128], log[128];
		int fd;

		snprintf(dir, sizeof(dir), "%s/%s", tmp, out);
		snprintf(casedir, sizeof(casedir), "%s/cases", tmp);
		snprintf(log, sizeof(log), "%s/%s.log", tmp, out);
		setenv("TCPCONFORM_CASES", casedir, 1);
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		dup2(fd, 2);
		if (cas2)
			execl("build/tcpconform", "tcpconform", "run", cas, cas2, "-o", dir,
			      (char *)NULL);
		else
			execl("build/tcpconform", "tcpconform", "run", cas, "-o", dir,
			      (char *)NULL);
		_exit(127);
	}
	return remember(pid);
}

static pid_t start_run(const char *cas, const char *out)
{
	return start_run2(cas, NULL, out);
}

static json_t *summary(const char *out)
{
	char path[256];
	json_error_t je;

	snprintf(path, sizeof(path), "%s/%s/summary.json", tmp, out);
	return json_load_file(path, 0, &je);
}

static const char *status_of(json_t *sum, const char *cas, const char *key)
{
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(sum, "variants"), i, v)
	{
		if (!strcmp(json_string_value(json_object_get(v, "case")), cas))
			return json_string_value(json_object_get(v, key));
	}
	return NULL;
}

/* The first variant child of run @pid (its process group leader). */
static pid_t variant_child(pid_t run)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	pid_t found = 0;

	while (d && (de = readdir(d)) && !found) {
		char path[300];
		FILE *f;
		int ppid = 0, pgrp = 0, p;
		char comm[64];

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		/* Not the tracer's watcher (tcpconform-trw, a group of its own). */
		if (fscanf(f, "%d %63s %*c %d %d", &p, comm, &ppid, &pgrp) == 4 && ppid == run &&
		    pgrp == p && strcmp(comm, "(tcpconform)") == 0)
			found = p;
		fclose(f);
	}
	if (d)
		closedir(d);
	return found;
}

static void test_normal_run(void **state)
{
	struct counts base;
	json_t *sum;
	int st;

	(void)state;
	REQUIRE_NETNS();
	base = count();
	st = 0;
	waitpid(start_run("quick", "normal"), &st, 0);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_back_to(&base, "a normal run");
	sum = summary("normal");
	assert_non_null(sum);
	assert_string_equal(status_of(sum, "quick", "verdict"), "pass");
	json_decref(sum);
}

/* SIGINT, SIGTERM, SIGHUP or SIGPIPE while slow runs: exit 130,
 * interrupted, and the summary says quick finished and slow did not.
 * Before, SIGHUP and SIGPIPE killed the run: no summary, a live tracer. */
static void interrupted_by(int sig, const char *out)
{
	struct counts base;
	json_t *sum;
	pid_t pid;
	int st = 0;

	REQUIRE_NETNS();
	base = count();
	pid = start_run2("quick", "slow", out);
	usleep(1500 * 1000); /* quick has finished, slow waits 4 s */
	kill(pid, sig);
	waitpid(pid, &st, 0);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 130);
	assert_back_to(&base, strsignal(sig));
	sum = summary(out);
	assert_non_null(sum);
	assert_true(json_is_true(json_object_get(sum, "interrupted")));
	assert_string_equal(status_of(sum, "quick", "verdict"), "pass");
	assert_string_equal(status_of(sum, "slow", "status"), "error");
	assert_non_null(strstr(status_of(sum, "slow", "reason"), "interrupted"));
	json_decref(sum);
}

static void test_sigint(void **state)
{
	(void)state;
	interrupted_by(SIGINT, "int");
}

static void test_sigterm(void **state)
{
	(void)state;
	interrupted_by(SIGTERM, "term");
}

static void test_sighup(void **state)
{
	(void)state;
	interrupted_by(SIGHUP, "hup");
}

static void test_sigpipe(void **state)
{
	(void)state;
	interrupted_by(SIGPIPE, "pipe");
}

/* `run | head -n1`: once the reader of stdout has gone, the run stops as
 * if interrupted (exit 130, a summary), at once.  Before, it died of
 * SIGPIPE at its next line: no summary, and the variants after never ran. */
static void test_stdout_reader_gone(void **state)
{
	struct counts base;
	char c = 0, dir[128];
	json_t *sum;
	int fds[2], st = 0;
	pid_t pid;

	(void)state;
	REQUIRE_NETNS();
	base = count();
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		char casedir[128];

		snprintf(dir, sizeof(dir), "%s/head", tmp);
		snprintf(casedir, sizeof(casedir), "%s/cases", tmp);
		setenv("TCPCONFORM_CASES", casedir, 1);
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		/* IPv4 only: the first line is quick's only variant. */
		execl("build/tcpconform", "tcpconform", "run", "quick", "slow", "--family", "4",
		      "-o", dir, (char *)NULL);
		_exit(127);
	}
	remember(pid);
	close(fds[1]);
	while (c != '\n' && read(fds[0], &c, 1) == 1) /* the first line: quick */
		;
	close(fds[0]);
	waitpid(pid, &st, 0);
	if (WIFSIGNALED(st))
		fail_msg("the run died of %s", strsignal(WTERMSIG(st)));
	assert_int_equal(WEXITSTATUS(st), 130);
	assert_back_to(&base, "stdout's reader went away");
	sum = summary("head");
	assert_non_null(sum);
	assert_true(json_is_true(json_object_get(sum, "interrupted")));
	assert_string_equal(status_of(sum, "quick", "verdict"), "pass");
	assert_non_null(strstr(status_of(sum, "slow", "reason"), "interrupted"));
	json_decref(sum);
}

/* SIGKILL of the run itself: its children die with it (PR_SET_PDEATHSIG),
 * and so do their namespaces; its tracefs instance stops recording and goes
 * at once (the tracer's watcher), not at the next run; what finished is on
 * disk, what did not is not.  Before, the instance stayed, tracing on. */
static void test_sigkill_parent(void **state)
{
	struct counts base;
	char path[256];
	struct stat sb;
	pid_t pid;

	(void)state;
	REQUIRE_NETNS();
	base = count();
	pid = start_run2("quick", "slow", "kill");
	usleep(1500 * 1000);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	assert_back_to(&base, "SIGKILL of the run");
	snprintf(path, sizeof(path), "%s/kill/quick/ipv4/observed.json", tmp);
	assert_int_equal(stat(path, &sb), 0);
	snprintf(path, sizeof(path), "%s/kill/slow/ipv4/observed.json", tmp);
	assert_int_equal(stat(path, &sb), -1);
	waitpid(start_run("quick", "after-kill"), NULL, 0);
	assert_back_to(&base, "the run after a SIGKILLed one");
}

static void test_hang_past_limit(void **state)
{
	struct counts base;
	json_t *sum;
	int st = 0;

	(void)state;
	REQUIRE_NETNS();
	base = count();
	waitpid(start_run("stuck", "stuck"), &st, 0);
	assert_int_equal(WEXITSTATUS(st), 1);
	assert_back_to(&base, "a variant killed at its time limit");
	sum = summary("stuck");
	assert_non_null(sum);
	assert_non_null(strstr(status_of(sum, "stuck", "reason"), "exceeded its time limit"));
	json_decref(sum);
}

/* A variant child that crashes: the run goes on and says how it died. */
static void test_child_crash(void **state)
{
	struct counts base;
	json_t *sum;
	pid_t pid, child = 0;
	int st = 0, i;

	(void)state;
	REQUIRE_NETNS();
	base = count();
	pid = start_run("slow", "crash");
	for (i = 0; i < 100 && !child; i++) {
		usleep(50 * 1000);
		child = variant_child(pid);
	}
	assert_true(child > 0);
	usleep(500 * 1000);
	kill(child, SIGSEGV);
	waitpid(pid, &st, 0);
	assert_int_equal(WEXITSTATUS(st), 1);
	assert_back_to(&base, "a crashed variant");
	sum = summary("crash");
	assert_non_null(sum);
	assert_non_null(strstr(status_of(sum, "slow", "reason"), "signal 11"));
	json_decref(sum);
}

/* An instance left by a run that died without cleaning up is removed. */
static void test_stale_tracefs_instance(void **state)
{
	struct counts base;
	int st = 0, before;

	(void)state;
	REQUIRE_NETNS();
	base = count();
	if (base.instances < 0) {
		print_message("skipped: tracefs cannot be mounted at /sys/kernel/tracing here, "
		              "where the harness has it\n");
		skip();
	}
	before = tracefs_instances(true);
	assert_int_equal(before, base.instances + 1);
	waitpid(start_run("quick", "stale"), &st, 0);
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_back_to(&base, "a run after a stale instance");
}

/* A run in another PID namespace (`unshare -p -f --mount-proc`) owns a
 * tracefs instance named for a pid that does not exist on the host: a run
 * on the host meanwhile must leave it alone.  Before, it removed it (its
 * pid was not alive here) and the first run's timeline was "skip: cannot
 * read the tracefs instance". */
static void test_instance_of_other_pid_namespace(void **state)
{
	struct counts base;
	json_t *sum, *v, *ck;
	pid_t outer, host_pid = 0, p;
	size_t i, k;
	int st = 0;

	(void)state;
	REQUIRE_NETNS();
	base = count();
	if (base.instances < 0) {
		print_message("skipped: tracefs cannot be mounted at /sys/kernel/tracing here, "
		              "where the harness has it\n");
		skip();
	}
	/* A pid free on the host, for the run in the new namespace. */
	for (p = 30000; p > 1000 && !host_pid; p -= 97)
		if (kill(p, 0) < 0 && errno == ESRCH && kill(p + 1, 0) < 0 && errno == ESRCH)
			host_pid = p;
	assert_true(host_pid > 0);
	remember(host_pid);
	outer = fork();
	if (outer == 0) {
		pid_t init;

		if (unshare(CLONE_NEWPID | CLONE_NEWNS) < 0 || private_mounts() < 0)
			_exit(125);
		init = fork(); /* pid 1 of the new namespace */
		if (init == 0) {
			char dir[128], casedir[128], log[128], last[32];
			pid_t run;
			int fd;

			if (mount("proc", "/proc", "proc", 0, NULL) < 0)
				_exit(125);
			/* The run's pid in its namespace: free on the host. */
			fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
			snprintf(last, sizeof(last), "%d", (int)host_pid - 1);
			if (fd < 0 || write(fd, last, strlen(last)) < 0)
				_exit(125);
			close(fd);
			run = fork();
			if (run == 0) {
				snprintf(dir, sizeof(dir), "%s/pidns", tmp);
				snprintf(casedir, sizeof(casedir), "%s/cases", tmp);
				snprintf(log, sizeof(log), "%s/pidns.log", tmp);
				setenv("TCPCONFORM_CASES", casedir, 1);
				fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
				dup2(fd, 1);
				dup2(fd, 2);
				execl("build/tcpconform", "tcpconform", "run", "traced", "-o", dir,
				      (char *)NULL);
				_exit(127);
			}
			if (run != host_pid || waitpid(run, &st, 0) < 0)
				_exit(126);
			_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 124);
		}
		if (init < 0 || waitpid(init, &st, 0) < 0)
			_exit(125);
		_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 124);
	}
	usleep(1000 * 1000); /* the first run has its instance and waits 3 s */
	waitpid(start_run("quick", "pidns-host"), &st, 0);
	assert_int_equal(WEXITSTATUS(st), 0);
	waitpid(outer, &st, 0);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_back_to(&base, "a run in another PID namespace");
	sum = summary("pidns");
	assert_non_null(sum);
	json_array_foreach(json_object_get(sum, "variants"), i, v)
	{
		json_array_foreach(json_object_get(v, "checks"), k, ck)
		{
			const char *name = json_string_value(json_object_get(ck, "name"));
			const char *verdict = json_string_value(json_object_get(ck, "verdict"));

			if (strcmp(name, "timeline") == 0 && strcmp(verdict, "pass") != 0)
				fail_msg("%s: timeline %s: %s",
				         json_string_value(json_object_get(v, "variant")), verdict,
				         json_string_value(json_object_get(ck, "reason")));
		}
	}
	json_decref(sum);
}

/* run_tc()'s status when its @prep cannot be run: this is a chroot whose
 * "/" is no mount point. */
#define NO_PRIVATE_ROOT 120

/* Skip the test when run_tc() said NO_PRIVATE_ROOT. */
static void skip_if_no_private_root(int rc)
{
	if (rc != NO_PRIVATE_ROOT)
		return;
	print_message("skipped: the test mounts a tmpfs under /tmp, and in a chroot whose / is "
	              "no mount point (as here) / cannot be made private: the mount could reach "
	              "the mounts outside the chroot\n");
	skip();
}

/* Run tcpconform with @argv (after "tcpconform"), stdout and stderr into
 * tmp/@log; with @prep, in a private mount namespace that @prep sets up
 * first.  Returns the exit status (128 + signal when killed). */
static int run_tc(const char *log, void (*prep)(void), const char *const argv[])
{
	char path[256], casedir[128];
	pid_t pid;
	int st = 0, fd;

	snprintf(path, sizeof(path), "%s/%s", tmp, log);
	pid = fork();
	if (pid == 0) {
		const char *args[16] = {"tcpconform"};
		int i;

		if (prep) {
			/* prep mounts under tmp, on the root file system. */
			int p = unshare(CLONE_NEWNS) < 0 ? -1 : private_mounts();

			if (p != 0)
				_exit(p > 0 ? NO_PRIVATE_ROOT : 125);
			prep();
		}
		snprintf(casedir, sizeof(casedir), "%s/cases", tmp);
		setenv("TCPCONFORM_CASES", casedir, 1);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		dup2(fd, 2);
		for (i = 0; argv[i] && i < 14; i++)
			args[i + 1] = argv[i];
		args[i + 1] = NULL;
		execv("build/tcpconform", (char *const *)args);
		_exit(127);
	}
	remember(pid);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The output of run_tc() (malloc'd). */
static char *log_of(const char *log)
{
	char path[256], *text;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", tmp, log);
	f = fopen(path, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return text;
}

/* Two runs into one -o directory: the second is refused (exit 2) and
 * writes nothing there; the first is undisturbed.  Before, both exited 0,
 * the last summary won and the other run's directories stayed. */
static void test_outdir_locked(void **state)
{
	char dir[128], path[256], *text;
	const char *argv[] = {"run", "quick", "-o", dir, NULL};
	struct stat sb;
	json_t *sum;
	pid_t first;
	int st = 0;

	(void)state;
	REQUIRE_NETNS();
	snprintf(dir, sizeof(dir), "%s/shared", tmp);
	first = start_run("slow", "shared");
	usleep(1000 * 1000);
	assert_int_equal(run_tc("shared-second.log", NULL, argv), 2);
	text = log_of("shared-second.log");
	if (!strstr(text, "command line:1:") || !strstr(text, "another run is writing"))
		fail_msg("the second run said: %s", text);
	free(text);
	waitpid(first, &st, 0);
	assert_int_equal(WEXITSTATUS(st), 0);
	snprintf(path, sizeof(path), "%s/quick", dir);
	assert_int_equal(stat(path, &sb), -1);
	sum = summary("shared");
	assert_non_null(sum);
	assert_int_equal(json_array_size(json_object_get(sum, "variants")), 2);
	assert_string_equal(status_of(sum, "slow", "status"), "ran");
	json_decref(sum);
}

static void mount_ro(void)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/ro", tmp);
	mkdir(path, 0755);
	if (mount("tmpfs", path, "tmpfs", MS_RDONLY, "size=64k") < 0)
		_exit(125);
}

/* A -o that cannot be a results directory is bad input: exit 2 with
 * "command line:1:COL", before anything runs.  Before: exit 3 (and the
 * column of '' was wrong: getopt_long() permutes argv). */
static void test_bad_outdir(void **state)
{
	char file[128], *text;
	const char *const outs[] = {"", file, "/proc/x", "/proc"};
	size_t i;

	(void)state;
	REQUIRE_NETNS();
	snprintf(file, sizeof(file), "%s/cases/quick.case", tmp);
	for (i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		const char *argv[] = {"run", "quick", "-o", outs[i], NULL};
		int rc = run_tc("badout.log", NULL, argv);

		text = log_of("badout.log");
		if (rc != 2 || !strstr(text, "command line:1:25: -o"))
			fail_msg("-o '%s': exit %d: %s", outs[i], rc, text);
		free(text);
	}
	{
		/* profile -o '': before, DIR/baseline was /baseline. */
		const char *argv[] = {
		    "profile", "fixtures/profiles/time-wait-fix.conf", "quick", "-o", "", NULL};
		int rc = run_tc("badout.log", NULL, argv);

		text = log_of("badout.log");
		if (rc != 2 || !strstr(text, "command line:1:66: -o"))
			fail_msg("profile -o '': exit %d: %s", rc, text);
		free(text);
	}
}

/* The same for a -o on a read-only file system. */
static void test_readonly_outdir(void **state)
{
	char ro[128], *text;
	const char *argv[] = {"run", "quick", "-o", ro, NULL};
	int rc;

	(void)state;
	REQUIRE_NETNS();
	snprintf(ro, sizeof(ro), "%s/ro/out", tmp);
	rc = run_tc("badout.log", mount_ro, argv);
	skip_if_no_private_root(rc);
	text = log_of("badout.log");
	if (rc != 2 || !strstr(text, "command line:1:25: -o"))
		fail_msg("-o '%s': exit %d: %s", ro, rc, text);
	free(text);
}

/* A results directory on a full filesystem (a tmpfs of 256 KB, filled):
 * exit 3, and the error says "No space left on device".  Before: exit 1,
 * "the variant's process exited (0) without writing its results". */
static void mount_full(void)
{
	char path[128], block[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/full", tmp);
	mkdir(path, 0755);
	if (mount("tmpfs", path, "tmpfs", 0, "size=256k") < 0)
		_exit(125);
	snprintf(path, sizeof(path), "%s/full/filler", tmp);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	memset(block, 'x', sizeof(block));
	while (fd >= 0 && write(fd, block, sizeof(block)) > 0)
		;
	if (fd < 0 || errno != ENOSPC)
		_exit(125);
	close(fd);
}

static void test_full_disk(void **state)
{
	char dir[128], *text;
	const char *argv[] = {"run", "quick", "-o", dir, NULL};
	int rc;

	(void)state;
	REQUIRE_NETNS();
	snprintf(dir, sizeof(dir), "%s/full/out", tmp);
	rc = run_tc("full.log", mount_full, argv);
	skip_if_no_private_root(rc);
	text = log_of("full.log");
	if (rc != 3 || !strstr(text, strerror(ENOSPC)))
		fail_msg("exit %d: %s", rc, text);
	free(text);
}

/* No "NAME.tmp.PID" left in any results directory of the tests above. */
static void test_no_temporary_files_left(void **state)
{
	char cmd[256], found[512] = "";
	FILE *f;

	(void)state;
	snprintf(cmd, sizeof(cmd), "find %s -name '*.tmp.*'", tmp);
	f = popen(cmd, "r");
	assert_non_null(f);
	if (!fgets(found, sizeof(found), f))
		found[0] = '\0';
	pclose(f);
	if (found[0])
		fail_msg("left behind: %s", found);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_normal_run),
	    cmocka_unit_test(test_sigint),
	    cmocka_unit_test(test_sigterm),
	    cmocka_unit_test(test_sighup),
	    cmocka_unit_test(test_sigpipe),
	    cmocka_unit_test(test_stdout_reader_gone),
	    cmocka_unit_test(test_sigkill_parent),
	    cmocka_unit_test(test_hang_past_limit),
	    cmocka_unit_test(test_child_crash),
	    cmocka_unit_test(test_stale_tracefs_instance),
	    cmocka_unit_test(test_instance_of_other_pid_namespace),
	    cmocka_unit_test(test_outdir_locked),
	    cmocka_unit_test(test_bad_outdir),
	    cmocka_unit_test(test_readonly_outdir),
	    cmocka_unit_test(test_full_disk),
	    cmocka_unit_test(test_no_temporary_files_left),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
