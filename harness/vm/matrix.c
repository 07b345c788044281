// SPDX-License-Identifier: GPL-2.0-only
/*
 * matrix.c - `tcpconform vm --kernels A,B,...`: one run of ourselves per
 * kernel (`vm --kernel SPEC`, or `run` for the host), several at once,
 * then `report` over all of them (the matrix page) and `diff` of each
 * against the host.
 *
 * Each run is a child process of its own, so one kernel's failure (a
 * download, a panic, a hang cut by its timeout) is that row's exit status
 * and the others go on.  With one run at a time the children write to our
 * terminal as before; with more, each writes to its LABEL.log beside its
 * results, and a line here says when each starts and ends.
 */
#include "vm/matrix.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/dirs.h"
#include "base/error.h"
#include "base/text.h"
#include "out/results.h"

/* Start ourselves with @argv (argv[0] is the command); stdout (and, with
 * @both, stderr) to @out_path when given.  Returns the pid, or -1. */
static pid_t spawn_self(const char *const argv[], const char *out_path, bool both)
{
	const char *full[64];
	pid_t pid;
	int i;

	full[0] = "tcpconform";
	for (i = 0; argv[i] && i < 62; i++)
		full[i + 1] = argv[i];
	full[i + 1] = NULL;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid != 0)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (out_path) {
		int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644);

		if (fd < 0)
			_exit(EXIT_ENV);
		dup2(fd, STDOUT_FILENO);
		if (both)
			dup2(fd, STDERR_FILENO);
		close(fd);
	}
	execv("/proc/self/exe", (char *const *)full);
	_exit(127);
}

static int exit_status(int ws)
{
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : EXIT_UNEXPECTED;
}

/* Run ourselves with @argv, stdout to @out_path when given; returns the
 * exit status. */
static int run_self(const char *const argv[], const char *out_path)
{
	pid_t pid = spawn_self(argv, out_path, false);
	int ws = 0;

	if (pid < 0)
		return EXIT_ENV;
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	return exit_status(ws);
}

/* Did the run in @dir leave its summary.json? */
static bool has_summary(const char *dir)
{
	struct err e;
	char *path = results_path(dir, RESULTS_SUMMARY, &e);
	bool r = path && access(path, F_OK) == 0;

	free(path);
	return r;
}

/* MemAvailable of /proc/meminfo in MB, or -1. */
static long mem_available_mb(void)
{
	FILE *f = fopen("/proc/meminfo", "re");
	char line[256];
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb < 0 ? -1 : kb / 1024;
}

int vm_matrix_slots_for(int n, long cpus, long avail_mb, int memory_mb, bool tcg)
{
	/* A guest takes its memory and qemu's own (~256 MB under TCG, its
	 * translation cache); 512 MB stay for the host. */
	long by_mem = avail_mb < 0 ? 1 : (avail_mb - 512) / (memory_mb + 256);
	/* Under TCG a guest keeps a CPU busy translating, and its timers run
	 * late when it shares one: two guests on 2 CPUs, beside the host's
	 * own run, were measured at 0.9-1.3 s of timer slip and 5 failed
	 * timing checks (check-matrix, 2026-12-05); one guest per two CPUs
	 * stayed below 0.4 s.  With KVM a guest needs a CPU. */
	long slots = cpus < 1 ? 1 : tcg ? cpus / 2 : cpus;

	if (by_mem < slots)
		slots = by_mem;
	if (slots > n)
		slots = n;
	if (slots < 1)
		slots = 1;
	return (int)slots;
}

int vm_matrix_slots(int n, int memory_mb, bool tcg, char *why, size_t whylen)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN), avail = mem_available_mb();
	int slots = vm_matrix_slots_for(n, cpus, avail, memory_mb, tcg);

	snprintf(why, whylen, "%d at once: %ld CPU(s)%s, %ld MB available for guests of %d MB",
	         slots, cpus, tcg ? " under TCG (one guest per two)" : "", avail, memory_mb);
	return slots;
}

/* Where one matrix puts its files. */
struct layout {
	char base[512];  /* results, or -o DIR */
	char prefix[80]; /* "STAMP-", or "" below -o DIR */
	char dirs[VM_MAX_KERNELS][700];
	char logs[VM_MAX_KERNELS][720];
};

static void layout_make(struct layout *l, const struct vm_config *o, const struct vm_kernel *ks,
                        int n)
{
	time_t now = time(NULL);
	struct tm tm;
	struct err e; /* a missing directory shows in each run's own error */
	int i;

	text_copy(l->base, sizeof(l->base), o->outdir ? o->outdir : "results");
	if (o->outdir) {
		l->prefix[0] = '\0';
	} else {
		localtime_r(&now, &tm);
		snprintf(l->prefix, sizeof(l->prefix), "%04d%02d%02d-%02d%02d%02d-%d-",
		         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		         tm.tm_sec, (int)getpid());
	}
	for (i = 0; i < n; i++) {
		/* dirs_pathf(): a path too long is cut (and then not found) */
		dirs_pathf(l->dirs[i], sizeof(l->dirs[i]), "%s/%s%s", l->base, l->prefix,
		           ks[i].label);
		dirs_pathf(l->logs[i], sizeof(l->logs[i]), "%s.log", l->dirs[i]);
	}
	dirs_make(l->base, &e);
}

/* The arguments of kernel @k's run into @argv (room for 80), with the
 * buffers they point at in @buf. */
struct run_argv {
	const char *argv[80];
	char ts[32], bs[32], ms[32];
};

static void run_argv_make(struct run_argv *r, const struct vm_config *o, const struct vm_kernel *k,
                          const char *dir)
{
	int a = 0, j;

	if (k->host) {
		r->argv[a++] = "run";
	} else {
		r->argv[a++] = "vm";
		r->argv[a++] = "--kernel";
		r->argv[a++] = k->spec;
		if (o->timeout_s) {
			snprintf(r->ts, sizeof(r->ts), "--timeout=%d", o->timeout_s);
			r->argv[a++] = r->ts;
		}
		snprintf(r->bs, sizeof(r->bs), "--boot-timeout=%d", o->boot_timeout_s);
		r->argv[a++] = r->bs;
		snprintf(r->ms, sizeof(r->ms), "--memory=%d", o->memory_mb);
		r->argv[a++] = r->ms;
		if (o->accel != ACCEL_AUTO)
			r->argv[a++] = o->accel == ACCEL_KVM ? "--accel=kvm" : "--accel=tcg";
	}
	r->argv[a++] = "-o";
	r->argv[a++] = dir;
	for (j = 0; j < o->npass && a < 78; j++)
		r->argv[a++] = o->pass[j];
	r->argv[a] = NULL;
}

/* The last @lines lines of a failed run's log, so the failure shows here
 * (the log is the child's output: escaped for the terminal). */
static void log_tail(const char *path, int lines)
{
	char buf[4096];
	FILE *f = fopen(path, "re");
	size_t got, i;
	long size;
	int seen = 0;

	if (!f)
		return;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, size > (long)sizeof(buf) - 1 ? size - (long)sizeof(buf) + 1 : 0, SEEK_SET);
	got = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[got] = '\0';
	for (i = got; i > 0; i--)
		if (buf[i - 1] == '\n' && i < got && ++seen == lines)
			break;
	for (char *line = buf + i, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		fputs("   ", stderr);
		text_escape_term(stderr, line);
		fputc('\n', stderr);
		if (!nl)
			break;
	}
}

/* Order: the guests first (they take longest), the host last. */
static void run_order(const struct vm_kernel *ks, int n, int *order)
{
	int i, k = 0;

	for (i = 0; i < n; i++)
		if (!ks[i].host)
			order[k++] = i;
	for (i = 0; i < n; i++)
		if (ks[i].host)
			order[k++] = i;
}

/* Every kernel's run, @slots at once: @rcs and @walls per kernel. */
static int run_all(const struct vm_config *o, const struct vm_kernel *ks, int n, int slots,
                   const struct layout *l, int *rcs, double *walls)
{
	pid_t pids[VM_MAX_KERNELS];
	double t0[VM_MAX_KERNELS];
	int order[VM_MAX_KERNELS], next = 0, running = 0, done = 0, i, ws;
	bool logs = slots > 1;

	run_order(ks, n, order);
	while (done < n) {
		while (running < slots && next < n) {
			struct run_argv ra;

			i = order[next++];
			run_argv_make(&ra, o, &ks[i], l->dirs[i]);
			if (logs)
				fprintf(stderr, "== %s: started (log %s)\n", ks[i].spec,
				        l->logs[i]);
			else
				fprintf(stderr, "== %s\n", ks[i].spec);
			t0[i] = clock_ms();
			pids[i] = spawn_self(ra.argv, logs ? l->logs[i] : NULL, true);
			if (pids[i] < 0) {
				rcs[i] = EXIT_ENV;
				done++;
				continue;
			}
			running++;
		}
		pid_t pid = waitpid(-1, &ws, 0);

		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < n && pids[i] != pid; i++)
			;
		if (i == n)
			continue;
		pids[i] = 0;
		running--;
		done++;
		rcs[i] = exit_status(ws);
		walls[i] = clock_ms() - t0[i];
		if (logs) {
			fprintf(stderr, "== %s: exit %d after %.1f s (%d of %d done)\n", ks[i].spec,
			        rcs[i], walls[i] / 1e3, done, n);
			if (rcs[i] > EXIT_UNEXPECTED)
				log_tail(l->logs[i], 8);
		}
	}
	return 0;
}

int vm_matrix(const struct vm_config *o, const struct vm_kernel *ks, int n)
{
	static struct layout l;
	double walls[VM_MAX_KERNELS] = {0};
	int rcs[VM_MAX_KERNELS] = {0}, i, worst = EXIT_PASS, host = -1, slots;
	char matrix[700], why[200];
	double t0 = clock_ms();

	if (n > VM_MAX_KERNELS)
		n = VM_MAX_KERNELS;
	layout_make(&l, o, ks, n);
	for (i = 0; i < n; i++)
		if (ks[i].host && host < 0)
			host = i;
	if (o->vms) {
		slots = o->vms < n ? o->vms : n;
		snprintf(why, sizeof(why), "%d at once (--vms)", slots);
	} else {
		char kvm_why[200];
		bool tcg = o->accel == ACCEL_TCG ||
		           (o->accel == ACCEL_AUTO && !accel_kvm_usable(kvm_why, sizeof(kvm_why)));

		slots = vm_matrix_slots(n, o->memory_mb, tcg, why, sizeof(why));
	}
	fprintf(stderr, "== %d kernel(s), %s\n", n, why);
	run_all(o, ks, n, slots, &l, rcs, walls);
	for (i = 0; i < n; i++)
		if (rcs[i] > worst)
			worst = rcs[i];
	/* The matrix over every kernel that produced results. */
	{
		const char *argv[40];
		int a = 0;

		argv[a++] = "report";
		for (i = 0; i < n; i++)
			if (has_summary(l.dirs[i]))
				argv[a++] = l.dirs[i];
		dirs_pathf(matrix, sizeof(matrix), "%s/%smatrix.html", l.base, l.prefix);
		argv[a++] = "-o";
		argv[a++] = matrix;
		argv[a] = NULL;
		if (a > 3 && run_self(argv, NULL) == 0)
			printf("matrix: %s\n", matrix);
	}
	if (host < 0)
		host = 0;
	for (i = 0; i < n; i++) {
		char out[1400];
		const char *argv[] = {"diff", l.dirs[host], l.dirs[i], NULL};
		int rc;

		if (i == host || !has_summary(l.dirs[host]) || !has_summary(l.dirs[i]))
			continue;
		dirs_pathf(out, sizeof(out), "%s/%sdiff-%s-%s.txt", l.base, l.prefix,
		           ks[host].label, ks[i].label);
		rc = run_self(argv, out);
		printf("diff %s -> %s: %s (%s)\n", ks[host].label, ks[i].label,
		       rc == 0   ? "no difference"
		       : rc == 1 ? "differences"
		                 : "failed",
		       out);
	}
	for (i = 0; i < n; i++)
		printf("%-24s exit %d, %.1f s, results %s\n", ks[i].label, rcs[i], walls[i] / 1e3,
		       l.dirs[i]);
	printf("matrix of %d kernel(s), %d at once: %.1f s\n", n, slots, (clock_ms() - t0) / 1e3);
	return worst;
}
