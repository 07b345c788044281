// SPDX-License-Identifier: GPL-2.0-only
/* tracer.c - a private tracefs instance and its events. */
#include "host/tracer.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "host/userns.h"
#include "model/tcp.h"

#define TRACEFS_MAGIC_ 0x74726163

/* In the order of enum trace_kind (tracer_missing() indexes it). */
static const char *const events[] = {
    "sock/inet_sock_set_state", "tcp/tcp_send_reset",        "tcp/tcp_receive_reset",
    "tcp/tcp_retransmit_skb",   "tcp/tcp_retransmit_synack",
};

static bool is_tracefs(const char *path)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 && (unsigned long)sf.f_type == TRACEFS_MAGIC_;
}

/* A failure that says tracefs cannot be had here (no privilege, a kernel
 * without it) rather than that something went wrong. */
static bool declared_absence(int errnum)
{
	return errnum == EPERM || errnum == EACCES || errnum == ENODEV || errnum == ENOENT ||
	       errnum == EROFS;
}

/* Stop mounts made at @point from propagating out of this new mount
 * namespace: every mount private, from "/" down.  In a chroot "/" may be
 * no mount point (EINVAL: a directory inside a file system): then from the
 * nearest mount above @point ("/sys", as a package build's chroot has it).
 * 0, or -1 with errno set. */
static int make_private(const char *point)
{
	char path[64];
	char *slash;

	/* Type and source are ignored for a propagation change. */
	if (mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0)
		return 0;
	if (errno != EINVAL)
		return -1;
	snprintf(path, sizeof(path), "%s", point);
	while ((slash = strrchr(path, '/')) && slash != path) {
		*slash = '\0';
		if (mount("none", path, "none", MS_REC | MS_PRIVATE, NULL) == 0)
			return 0;
		if (errno != EINVAL)
			return -1;
	}
	/* No mount above it: no sysfs in this chroot, so no @point either. */
	errno = ENOENT;
	return -1;
}

/* Where tracefs is; mounted privately when nowhere.  0, 1 (unavailable:
 * @why says why) or -1 (an unexpected failure, in @e). */
static int find_tracefs(char *out, size_t len, char *why, size_t wlen, struct err *e)
{
	if (is_tracefs("/sys/kernel/tracing")) {
		snprintf(out, len, "/sys/kernel/tracing");
		return 0;
	}
	if (is_tracefs("/sys/kernel/debug/tracing")) {
		snprintf(out, len, "/sys/kernel/debug/tracing");
		return 0;
	}
	/* A mount namespace of our own: the mount dies with this process. */
	if (unshare(CLONE_NEWNS) < 0) {
		if (!declared_absence(errno))
			return err_sys(e, "tracefs: unshare(CLONE_NEWNS)");
		snprintf(why, wlen, "tracefs is not mounted and cannot be (unshare: %s)",
		         strerror(errno));
		return 1;
	}
	if (make_private("/sys/kernel/tracing") < 0 ||
	    mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL) < 0) {
		if (!declared_absence(errno))
			return err_sys(e, "tracefs: mount");
		snprintf(why, wlen, "tracefs is not mounted and cannot be (mount: %s)",
		         strerror(errno));
		return 1;
	}
	snprintf(out, len, "/sys/kernel/tracing");
	return 0;
}

/* 0, or -1 with errno set by the call that failed. */
static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), saved;
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	saved = n < 0 ? errno : EIO;
	close(fd);
	if (n == (ssize_t)strlen(s))
		return 0;
	errno = saved;
	return -1;
}

/*
 * Who owns an instance is proven by the kernel, never guessed from a name:
 * an instance cannot be removed while any of its files is open (rmdir
 * fails with EBUSY: kernel/trace/trace.c __remove_instance() refuses while
 * tr->ref > 1, and opening tracing_on takes a reference through
 * tracing_open_generic_tr()).  A run holds its instance's tracing_on open
 * for the instance's whole life, so an instance that rmdir can remove has
 * no live owner, in whatever PID or mount namespace that owner ran.
 * (Instance directories take no regular files, so no lock file can live in
 * one; a lock file elsewhere would not be seen from another mount
 * namespace.)
 */
static void remove_stale(const char *root)
{
	char path[700];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/instances", root);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "tcpconform-", 11) != 0)
			continue;
		/* EBUSY: its owner (or its watcher) holds it; leave it. */
		snprintf(path, sizeof(path), "%s/instances/%s", root, de->d_name);
		rmdir(path);
	}
	closedir(d);
}

/* A name no other instance had: the pid for people, and a random token,
 * as the pid alone may be another PID namespace's pid too. */
static void instance_name(char *out, size_t len, const char *root)
{
	unsigned long long token = 0;
	struct timespec ts;

	if (getrandom(&token, sizeof(token), GRND_NONBLOCK) != (ssize_t)sizeof(token)) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		token ^=
		    (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
	}
	snprintf(out, len, "%s/instances/tcpconform-%d-%016llx", root, (int)getpid(), token);
}

/* Create a new instance and take its owner's reference.  A concurrent
 * remove_stale() of another run may remove it between mkdir and open: then
 * open fails and another name is tried. */
static int make_instance(struct tracer *t, const char *root)
{
	char path[700];
	int tries;

	for (tries = 0; tries < 8; tries++) {
		instance_name(t->dir, sizeof(t->dir), root);
		if (mkdir(t->dir, 0700) < 0) {
			if (errno == EEXIST)
				continue; /* never adopt an instance this run did not make */
			return -1;
		}
		snprintf(path, sizeof(path), "%s/tracing_on", t->dir);
		t->fd = open(path, O_RDWR | O_CLOEXEC);
		if (t->fd >= 0)
			return 0;
		if (errno != ENOENT) {
			int saved = errno;

			rmdir(t->dir);
			errno = saved;
			return -1;
		}
	}
	errno = EEXIST;
	return -1;
}

/* Stop recording: tracing off and every event of the instance disabled. */
static void instance_off(const char *dir, int fd)
{
	char path[700];
	size_t i;

	if (fd >= 0 && write(fd, "0", 1) != 1) {
		/* the events are disabled below all the same */
	}
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		snprintf(path, sizeof(path), "%s/events/%s/enable", dir, events[i]);
		write_str(path, "0");
	}
}

/* Remove the instance once nobody reads it any more (a variant child of a
 * killed run may still be dying with the trace open): up to 2 s. */
static void instance_remove(const char *dir)
{
	int i;

	for (i = 0; i < 40 && rmdir(dir) < 0 && errno == EBUSY; i++)
		usleep(50 * 1000);
}

static void close_fds_but(int keep)
{
	long fd, max = sysconf(_SC_OPEN_MAX);

#ifdef SYS_close_range
	if ((keep <= 3 || syscall(SYS_close_range, 3U, (unsigned)keep - 1, 0U) == 0) &&
	    syscall(SYS_close_range, (unsigned)keep + 1, ~0U, 0U) == 0)
		return;
#endif
	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = 3; fd < max; fd++)
		if (fd != keep)
			close((int)fd);
}

/*
 * The watcher: a process of its own that outlives a run killed by SIGKILL
 * (nothing runs in the run itself then) and stops its tracing at once, so
 * that the instance never goes on recording the host's TCP state changes
 * for nobody.  It waits for the run's death (PR_SET_PDEATHSIG), in a process
 * group of its own and with every signal blocked, so that a Ctrl-C meant
 * for the run does not end it; a run that stops normally ends it first
 * (tracer_stop()).
 */
static void watcher(const struct tracer *t, pid_t run)
{
	sigset_t all, death;
	int null, fd = t->fd;

	if (fd < 3) /* a run started with stdin closed: keep it off 0..2 */
		fd = fcntl(t->fd, F_DUPFD_CLOEXEC, 3);
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	setpgid(0, 0);
	prctl(PR_SET_NAME, "tcpconform-trw");
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	/* No descriptor of the run's (its stdout pipe, the lock on its
	 * results directory) stays open because of the watcher. */
	null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
	}
	close_fds_but(fd);
	sigemptyset(&death);
	sigaddset(&death, SIGTERM);
	while (getppid() == run)
		sigwaitinfo(&death, NULL);
	instance_off(t->dir, fd);
	close(fd);
	instance_remove(t->dir);
	_exit(0);
}

int tracer_start(struct tracer *t, struct err *e)
{
	char root[256], path[700];
	pid_t run = getpid();
	size_t i;
	int r;

	memset(t, 0, sizeof(*t));
	t->fd = -1;
	t->watcher = -1;
	if (userns_active()) {
		/* tracefs answers to the initial user namespace only. */
		snprintf(t->unavailable, sizeof(t->unavailable),
		         "tracepoints need real root: the run is in the rootless mode (a user "
		         "namespace of its own)");
		return 1;
	}
	if (userns_nested()) {
		snprintf(t->unavailable, sizeof(t->unavailable),
		         "tracepoints need real root: this is root of a user namespace, not of the "
		         "initial one (a rootless container), and tracefs answers to the initial "
		         "one only");
		return 1;
	}
	r = find_tracefs(root, sizeof(root), t->unavailable, sizeof(t->unavailable), e);
	if (r)
		return r;
	remove_stale(root);
	for (i = 0;; i++) {
		if (make_instance(t, root) < 0) {
			if (!declared_absence(errno)) {
				err_sys(e, "creating a tracefs instance under %s/instances", root);
				t->dir[0] = '\0';
				return -1;
			}
			snprintf(t->unavailable, sizeof(t->unavailable),
			         "cannot create a tracefs instance: %s", strerror(errno));
			t->dir[0] = '\0';
			return 1;
		}
		/* Monotonic time: comparable with the steps' clock.  Room for a
		 * whole run's events: every variant reads the shared buffer.
		 * Neither may fail quietly: another clock, or a smaller buffer
		 * that drops events, would make the observations wrong rather
		 * than absent. */
		snprintf(path, sizeof(path), "%s/trace_clock", t->dir);
		if (write_str(path, "mono") == 0)
			break;
		/* ENOENT: another run's remove_stale() passed the instance's
		 * busy check just before our open took its reference, and
		 * removed it under us (two runs starting at once, as
		 * `tcpconform profile` starts them): make another. */
		if (errno != ENOENT || i == 3) {
			err_sys(e, "tracefs: setting %s to mono", path);
			goto fail;
		}
		close(t->fd);
		t->fd = -1;
		rmdir(t->dir);
	}
	snprintf(path, sizeof(path), "%s/buffer_size_kb", t->dir);
	if (write_str(path, "8192") < 0) {
		err_sys(e, "tracefs: setting %s to 8192", path);
		goto fail;
	}
	/* Before the first event is enabled: from then on a killed run's
	 * tracing is stopped by its watcher.  Without one (fork failed), the
	 * next run removes the instance. */
	fflush(NULL);
	t->watcher = fork();
	if (t->watcher == 0)
		watcher(t, run);
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		snprintf(path, sizeof(path), "%s/events/%s/enable", t->dir, events[i]);
		if (write_str(path, "1") == 0)
			continue;
		/* ENOENT: this kernel has no such tracepoint (older than
		 * it); the observations that need it are skipped, saying so. */
		if (errno == ENOENT && i > 0) {
			t->missing |= 1u << i;
			continue;
		}
		if (!declared_absence(errno)) {
			err_sys(e, "tracefs: enabling %s", events[i]);
			goto fail;
		}
		snprintf(t->unavailable, sizeof(t->unavailable), "cannot enable %s: %s", events[i],
		         strerror(errno));
		tracer_stop(t);
		return 1;
	}
	t->active = true;
	return 0;
fail:
	tracer_stop(t);
	return -1;
}

_Static_assert(sizeof(events) / sizeof(events[0]) == TE_RETRANS_SYNACK + 1,
               "one event per trace_kind");

const char *tracer_missing(const struct tracer *t, enum trace_kind k)
{
	return t->missing & (1u << k) ? events[k] : NULL;
}

char *tracer_read(struct tracer *t)
{
	char path[700];
	size_t cap = 1 << 16, len = 0;
	char *buf;
	ssize_t n = 0;
	int fd, saved;

	if (!t->active) {
		errno = ENODEV;
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/trace", t->dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = malloc(cap);
	while (buf && (n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	saved = buf ? errno : ENOMEM;
	if (buf && n < 0) {
		/* Part of the buffer is no trace: nothing rather than a part. */
		free(buf);
		buf = NULL;
	}
	close(fd);
	if (buf)
		buf[len] = '\0';
	else
		errno = saved;
	return buf;
}

void tracer_stop(struct tracer *t)
{
	if (!t->dir[0])
		return;
	if (t->watcher > 0) {
		kill(t->watcher, SIGKILL);
		while (waitpid(t->watcher, NULL, 0) < 0 && errno == EINTR)
			;
	}
	instance_off(t->dir, t->fd);
	if (t->fd >= 0)
		close(t->fd);
	instance_remove(t->dir);
	t->fd = -1;
	t->watcher = -1;
	t->active = false;
	t->dir[0] = '\0';
}
