// SPDX-License-Identifier: GPL-2.0-only
/* runner.c - schedule variants in children, collect, summarise. */
#include "run/runner.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/afile.h"
#include "base/clock.h"
#include "base/error.h"
#include "base/num.h"
#include "base/resdir.h"
#include "base/text.h"
#include "host/addrblock.h"
#include "host/envcheck.h"
#include "host/kernel.h"
#include "host/netns.h"
#include "host/netstamp.h"
#include "host/profile.h"
#include "host/sysctl.h"
#include "host/tracer.h"
#include "host/userns.h"
#include "model/covspec.h"
#include "model/kconfig.h"
#include "model/scenario.h"
#include "model/table.h"
#include "model/verdict.h"
#include "out/outputs.h"
#include "out/report.h"
#include "out/results.h"
#include "out/summary.h"
#include "run/catalogue.h"
#include "run/play.h"
#include "run/slip.h"

#define GRACE_MS 2000 /* beyond a case's own timeout, for its scenario */
/* The set-up and the writing of the results have limits of their own, so
 * that a case's time limit bounds its scenario alone: a TCG guest under
 * stress-ng took 3.6 s to set a variant up and over 8 s to read its
 * tracepoint events (the trace file's readers share one lock), and killed
 * 52 variants whose scenarios had ended in time. */
#define PHASE_LIMIT_MS 60000u
#define END_MS                                                                                     \
	10000 /* for a variant's process to end once done (then killed), and                       \
	       * again once killed */
/* Under a sysctl profile a case's timers may be the kernel's defaults
 * (tcp_syn_retries 6: 131 s): every variant may take this long. */
#define PROFILE_TIMEOUT_MS 300000

struct job {
	struct scenario *sc;
	size_t variant;
	char name[512];
	char dir[3072];   /* CASE/VARIANT, below the run directory */
	int vfd;          /* that directory while the child starts (resdir.h) */
	struct afile log; /* its log.txt: committed when the child is gone */
	bool has_log;
	pid_t pid;
	int donefd;  /* the child says its exit status here once its results are
	              * written (see start()); -1 once read or closed */
	bool reaped; /* pid waited for */
	double start_ms, end_ms;
	double scenario_ms, collect_ms; /* its phase marks (play.h), 0 before */
	bool marked;                    /* it has the pipe the marks come on */
	const char *overdue;            /* the phase whose limit ran out, or NULL */
	int done;
	char status[16];
	char reason[512];
	char wchan[64]; /* where the kernel held it when its time ran out, or "" */
	double overhead_ms, step_ms;
	double slip_ms;      /* observed.json timer_slip_ms */
	struct table *table; /* its case's, or NULL */
	struct judgement j;
	/* its earlier runs, when it was run again after a slip (rerun_slipped()) */
	struct attempt earlier[RUN_RERUNS];
	unsigned nearlier;
};

struct run {
	struct scenario *cases;
	struct table *tables;
	bool *has_table;
	size_t ncases;
	struct job *jobs;
	size_t *order; /* the order jobs start in: longest time limit first */
	size_t njobs;
	int parallel;
	double slip_limit_ms; /* --slip-limit: 0, none */
	unsigned held;        /* starts held back by it */
	double held_ms;       /* and for how long, in all */
	double peak_slip_ms;  /* the latest the runner's own probe woke (0: no probe) */
	double rerun_slip_ms; /* --rerun-slipped: 0, never */
	unsigned reruns;      /* variants run again */
	size_t rerun_left;    /* slipped failures not run again: over RUN_RERUN_MAX_VARIANTS */
	int family;           /* 0: as the case says */
	char root[PATH_MAX];  /* -o DIR (longer: refused) or results/<run-id> */
	int rootfd;           /* root, opened once: everything below goes through it */
	int lockfd;           /* root again, locked while the run writes (lock_outdir()) */
	char id[128];
	char kernel_version[128];        /* what the tables judge (kernel.h) */
	const char *kernel_version_from; /* and where it came from */
	bool colour;                     /* colour the verdicts: --color, or stdout a terminal */
	bool interrupted;
	bool stdout_pipe;              /* stdout is a pipe */
	bool stdout_gone;              /* its reader went away: nothing more is printed */
	char write_err[512];           /* the first results file that could not be written */
	struct tracer tr;              /* one tracefs instance for the whole run */
	int netstamp_fd;               /* receive timestamps held on (host/netstamp.h), or -1 */
	const struct profile *profile; /* --sysctl, recorded in summary.json */
	/* fixtures/coverage/{transitions,timers}: report.html's coverage */
	struct cov_transitions cov_tr;
	struct cov_timers cov_tm;
	bool has_cov, has_cov_timers;
	double t0;
	size_t finished;
};

/* For tests/test_runner.c only: TCPCONFORM_TEST_HOLD_MS makes a variant's
 * process stay that long after its done byte, as one that the kernel holds
 * in a close() would, so that the bounded reap (reap_bounded()) is
 * exercised.  Not a user's option: README does not name it. */
static void hold_for_tests(void)
{
	play_pause_for_tests("TCPCONFORM_TEST_HOLD_MS");
}

static void child(struct run *rn, struct job *j, int donefd)
{
	struct err e;
	int r;
	sigset_t none;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(1);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL); /* the run ignores it, a variant does not */
	if (j->vfd < 0)
		_exit(1);

	play_set_marks(donefd);
	r = play_variant(j->sc, j->variant, j->vfd, j->has_log ? j->log.fp : NULL, &rn->tr, &e);
	r = r == 0 ? 0 : r == 1 ? 10 : 1;
	/* Done: the run goes on while this process ends (its exit waits for
	 * the wire's sockets to close: an RCU grace period, wire.c). */
	if (donefd >= 0) {
		unsigned char c = (unsigned char)r; /* below the phase marks */

		if (write(donefd, &c, 1) != 1)
			r = 1;
	}
	hold_for_tests();
	_exit(r);
}

static unsigned start_weight(const struct job *j)
{
	return j->sc->timeout_set ? j->sc->timeout_ms : 0;
}

static int start(struct run *rn, struct job *j)
{
	struct err e;
	int saved, done[2];

	/* Its directory, made at the start: if it is not one any more (a link
	 * planted there), the child writes nothing and the variant is an error. */
	j->vfd = resdir_variant(rn->rootfd, j->sc->name, j->name, false, &e);
	if (j->vfd < 0)
		err_print(&e);
	/* log.txt is ours: written by the child, put in place once it is gone,
	 * however it ended. */
	j->has_log = j->vfd >= 0 && afile_openat(&j->log, j->vfd, RESULTS_LOG, NULL, &e) == 0;
	fflush(NULL); /* a child must not write our buffered output again */
	/* Without the pipe the run waits for the child's exit, as before. */
	if (pipe2(done, O_CLOEXEC) < 0)
		done[0] = done[1] = -1;
	j->start_ms = clock_ms();
	j->marked = done[0] >= 0;
	j->pid = fork();
	if (j->pid == 0) {
		if (done[0] >= 0)
			close(done[0]);
		child(rn, j, done[1]);
	}
	saved = errno;       /* for perror("fork") */
	addrblock_advance(); /* the next child searches from the next block */
	if (done[1] >= 0)
		close(done[1]);
	j->donefd = done[0];
	if (j->vfd >= 0)
		close(j->vfd);
	j->vfd = -1;
	if (j->has_log) {
		/* the child writes through its copy of the stream */
		fclose(j->log.fp);
		j->log.fp = NULL;
	}
	if (j->pid < 0) {
		if (j->donefd >= 0)
			close(j->donefd);
		j->donefd = -1;
		if (j->has_log)
			afile_abort(&j->log);
		j->has_log = false;
		errno = saved;
		return -1;
	}
	setpgid(j->pid, j->pid);
	return 0;
}

static void kill_all(struct run *rn);

/* Stop: the variants running are killed, none is started any more. */
static void interrupt(struct run *rn)
{
	if (!rn->interrupted)
		kill_all(rn);
	rn->interrupted = true;
}

/* A progress line was printed.  When stdout's reader has gone away (EPIPE:
 * `run | head`), nobody follows the run any more: it stops as if
 * interrupted, and prints nothing more. */
static void progress_flush(struct run *rn)
{
	if (fflush(stdout) == 0)
		return;
	if (errno == EPIPE) {
		rn->stdout_gone = true;
		interrupt(rn);
	}
	clearerr(stdout);
}

/* A results file that could not be written (a full disk): said once on
 * stderr, and the run exits 3. */
static void write_failed(struct run *rn, const struct err *e)
{
	err_print(e);
	if (!rn->write_err[0])
		snprintf(rn->write_err, sizeof(rn->write_err), "%s", e->msg);
}

/* The first failing (or erring) check of job @j, NULL when none; *@more
 * (when not NULL) how many failed after it. */
static const struct check *first_failing(const struct job *j, size_t *more)
{
	const struct check *first = NULL;
	size_t c, n = 0;

	for (c = 0; c < j->j.n; c++) {
		if (j->j.checks[c].v != V_FAIL && j->j.checks[c].v != V_ERROR)
			continue;
		if (!first)
			first = &j->j.checks[c];
		else
			n++;
	}
	if (more)
		*more = n;
	return first;
}

/* Why job @j is not as expected, for its progress line and the tally: its
 * reason (an error's), or its first failing check, "NAME:
 * OBSERVED (expected EXPECTED)" ("NAME: " left out unless @named: a
 * record that names the check apart), each value cut to 60 bytes, and how
 * many more checks failed, since the first one shown is often a
 * consequence of the same event; "" when it passed. */
static void not_expected(const struct job *j, bool named, char *out, size_t len)
{
	const struct check *ck;
	size_t more, used;

	out[0] = '\0';
	if (j->reason[0]) {
		snprintf(out, len, "%s", j->reason);
		return;
	}
	if (!(ck = first_failing(j, &more)))
		return;
	/* No row applies: the check has no expectation to name. */
	if (!ck->expected[0])
		snprintf(out, len, "%s%s%.60s%s (no table row covers it here)",
		         named ? ck->name : "", named ? ": " : "",
		         ck->observed[0] ? ck->observed : "nothing",
		         strlen(ck->observed) > 60 ? "..." : "");
	else
		snprintf(out, len, "%s%s%.60s%s (expected %.60s%s)", named ? ck->name : "",
		         named ? ": " : "", ck->observed[0] ? ck->observed : "nothing",
		         strlen(ck->observed) > 60 ? "..." : "", ck->expected,
		         strlen(ck->expected) > 60 ? "..." : "");
	used = strlen(out);
	if (more)
		snprintf(out + used, len - used, "; %zu more check%s failed", more,
		         more == 1 ? "" : "s");
}

/* Job @j failed or erred while the harness's own timers woke later than
 * --rerun-slipped: what it observed may not be the exchange its case
 * describes (runner.h). */
static bool slipped(const struct run *rn, const struct job *j)
{
	return rn->rerun_slip_ms > 0 && j->done &&
	       (j->j.overall == V_FAIL || j->j.overall == V_ERROR) &&
	       j->slip_ms > rn->rerun_slip_ms;
}

/* What the child wrote; a child that died without writing gets it from us. */
static void collect(struct run *rn, struct job *j, int wstatus, bool timed_out)
{
	struct err e;
	json_t *root;
	const char *shown, *colour;
	int vfd;
	bool written = false;

	j->end_ms = clock_ms();
	j->done = 1;
	rn->finished++;
	if (j->has_log && afile_rename(&j->log, &e) < 0)
		err_print(&e);
	j->has_log = false;
	vfd = resdir_variant(rn->rootfd, j->sc->name, j->name, false, &e);
	root = timed_out || vfd < 0 ? NULL : results_read_observed(vfd, &e);
	if (root) {
		const char *st = json_string_value(json_object_get(root, "status"));
		const char *why = json_string_value(json_object_get(root, "reason"));

		snprintf(j->status, sizeof(j->status), "%s", st ? st : "error");
		snprintf(j->reason, sizeof(j->reason), "%s", why ? why : "");
		j->overhead_ms = json_real_value(json_object_get(root, "overhead_ms"));
		j->step_ms = json_real_value(json_object_get(root, "step_ms"));
		j->slip_ms = json_real_value(json_object_get(root, "timer_slip_ms"));
	} else {
		json_t *o = json_object();

		snprintf(j->status, sizeof(j->status), "error");
		if (timed_out && j->overdue)
			snprintf(j->reason, sizeof(j->reason),
			         "%s took over %u ms and the variant was killed%s%s%s", j->overdue,
			         PHASE_LIMIT_MS,
			         j->wchan[0] ? " (it waited in the kernel, in " : "", j->wchan,
			         j->wchan[0] ? "())" : "");
		else if (timed_out)
			snprintf(j->reason, sizeof(j->reason),
			         "exceeded its time limit of %u ms and was killed%s%s%s",
			         j->sc->timeout_ms + GRACE_MS,
			         j->wchan[0] ? " (it waited in the kernel, in " : "", j->wchan,
			         j->wchan[0] ? "())" : "");
		else if (rn->interrupted)
			snprintf(j->reason, sizeof(j->reason), "interrupted: the run was stopped");
		else if (WIFSIGNALED(wstatus))
			snprintf(j->reason, sizeof(j->reason),
			         "the variant's process died of signal %d", WTERMSIG(wstatus));
		else
			snprintf(j->reason, sizeof(j->reason),
			         "the variant's process exited (%d) without writing its results",
			         WEXITSTATUS(wstatus));
		json_object_set_new(o, "case", json_string(j->sc->name));
		json_object_set_new(o, "variant", json_string(j->name));
		json_object_set_new(o, "status", json_string("error"));
		json_object_set_new(o, "reason", json_string(j->reason));
		json_object_set_new(o, "observations", json_object());
		if (vfd < 0)
			err_set(&e, ERR_SYSTEM, "its directory could not be opened");
		else
			written = results_write_observed(vfd, o, &e) == 0;
		if (written) {
			root = o; /* judged as written */
		} else {
			json_decref(o);
			/* Nor can we: the disk is full or failing; say so. */
			snprintf(j->reason, sizeof(j->reason),
			         "the variant's results cannot be written: %.400s", e.msg);
			write_failed(rn, &e);
		}
	}
	/* observed.json, read once: judged against the case's table. */
	if (!root || judge_variant(j->table, root, rn->kernel_version, &j->j) < 0)
		j->j.overall = V_ERROR;
	json_decref(root);
	if (vfd >= 0)
		close(vfd);
	shown = strcmp(j->status, "ran") == 0 ? verdict_name(j->j.overall) : j->status;
	if (rn->stdout_gone)
		return;
	colour = !strcmp(shown, "pass")                              ? "\033[32m"
	         : !strcmp(shown, "skip") || !strcmp(shown, "xfail") ? "\033[33m"
	                                                             : "\033[31m";
	/* Names and reasons come from case files: escaped for the terminal. */
	/* a run again: "[run 2] CASE VARIANT ... VERDICT", as bench mutants
	 * reads progress lines */
	if (j->nearlier)
		text_term_printf(stdout, "[run %u] %s %s ... ", j->nearlier + 1, j->sc->name,
		                 j->name);
	else
		text_term_printf(stdout, "[%zu/%zu] %s %s ... ", rn->finished, rn->njobs,
		                 j->sc->name, j->name);
	if (rn->colour)
		fputs(colour, stdout);
	text_term_printf(stdout, "%s", shown);
	if (rn->colour)
		fputs("\033[0m", stdout);
	{
		char why[512];

		not_expected(j, true, why, sizeof(why));
		text_term_printf(stdout, " %.1fs%s%s", (j->end_ms - j->start_ms) / 1e3,
		                 why[0] ? ": " : "", why);
		if (slipped(rn, j))
			text_term_printf(stdout, " (under a timer slip of %.1f ms)", j->slip_ms);
		text_term_printf(stdout, "\n");
	}
	progress_flush(rn);
}

/* The end of the run's output, as kselftest ends its own: how many of each
 * verdict, then every variant that was not as expected, once more, so a
 * CI log's tail tells what failed without the lines before it. */
static void print_tally(struct run *rn)
{
	size_t count[V_ERROR + 1] = {0}, notrun = 0, i;
	enum verdict v;

	for (i = 0; i < rn->njobs; i++) {
		if (rn->jobs[i].done)
			count[rn->jobs[i].j.overall]++;
		else
			notrun++;
	}
	text_term_printf(stdout, "totals:");
	for (v = V_PASS; v <= V_ERROR; v++)
		text_term_printf(stdout, " %s %zu%s", verdict_name(v), count[v],
		                 v < V_ERROR || notrun ? "," : "");
	if (notrun)
		text_term_printf(stdout, " not run %zu", notrun);
	text_term_printf(stdout, "\n");
	for (i = 0; i < rn->njobs; i++) {
		const struct job *j = &rn->jobs[i];

		char why[512];

		if (j->done && j->j.overall != V_FAIL && j->j.overall != V_ERROR)
			continue;
		not_expected(j, true, why, sizeof(why));
		text_term_printf(stdout, "  %s: %s %s%s%s\n",
		                 j->done ? verdict_name(j->j.overall) : "not run", j->sc->name,
		                 j->name, why[0] ? ": " : "", why);
	}
}

static int write_summary(struct run *rn, double wall_ms)
{
	json_t *root = json_object(), *vars = json_array();
	struct utsname u;
	char *path;
	struct err e;
	double slowest = 0, maxover = 0, maxslip = 0;
	size_t i, bad = 0;

	uname(&u);
	for (i = 0; i < rn->njobs; i++) {
		struct job *j = &rn->jobs[i];
		json_t *v = json_object();
		double ms = j->done ? j->end_ms - j->start_ms : 0;

		json_object_set_new(v, "case", json_string(j->sc->name));
		json_object_set_new(v, "title", json_string(j->sc->title));
		json_object_set_new(v, "why", json_string(j->sc->why));
		json_object_set_new(v, "variant", json_string(j->name));
		json_object_set_new(v, "dir", json_string(j->dir));
		json_object_set_new(v, "status", json_string(j->done ? j->status : "not run"));
		json_object_set_new(v, "reason",
		                    j->reason[0] ? json_string(j->reason) : json_null());
		json_object_set_new(v, "wall_ms", json_real(ms));
		json_object_set_new(v, "overhead_ms", json_real(j->overhead_ms));
		json_object_set_new(v, "verdict",
		                    json_string(j->done ? verdict_name(j->j.overall) : "error"));
		{
			json_t *checks = json_array();
			size_t c;

			for (c = 0; c < j->j.n; c++) {
				const struct check *ck = &j->j.checks[c];
				json_t *o = json_object();

				json_object_set_new(o, "name", json_string(ck->name));
				json_object_set_new(o, "verdict", json_string(verdict_name(ck->v)));
				json_object_set_new(o, "expected", json_string(ck->expected));
				json_object_set_new(o, "observed", json_string(ck->observed));
				json_object_set_new(o, "source", json_string(ck->source));
				json_object_set_new(o, "reason", json_string(ck->reason));
				json_object_set_new(o, "table_line", json_integer(ck->row));
				json_object_set_new(o, "exact", json_boolean(ck->exact));
				json_array_append_new(checks, o);
			}
			json_object_set_new(v, "checks", checks);
		}
		if (j->nearlier) {
			/* the runs before the last: its results in DIR/run-N */
			json_t *runs = json_array();
			unsigned a;

			for (a = 0; a < j->nearlier; a++) {
				const struct attempt *t = &j->earlier[a];
				json_t *o = json_object();

				json_object_set_new(o, "verdict", json_string(verdict_name(t->v)));
				json_object_set_new(o, "timer_slip_ms", json_real(t->slip_ms));
				json_object_set_new(o, "wall_ms", json_real(t->wall_ms));
				json_object_set_new(
				    o, "check", t->check[0] ? json_string(t->check) : json_null());
				json_object_set_new(o, "reason", json_string(t->why));
				json_array_append_new(runs, o);
			}
			json_object_set_new(v, "earlier_runs", runs);
		}
		json_array_append_new(vars, v);
		if (ms > slowest)
			slowest = ms;
		if (j->overhead_ms > maxover)
			maxover = j->overhead_ms;
		if (j->slip_ms > maxslip)
			maxslip = j->slip_ms;
		for (unsigned a = 0; a < j->nearlier; a++) /* its earlier runs too */
			maxslip = fmax(maxslip, j->earlier[a].slip_ms);
		if (!j->done || j->j.overall == V_FAIL || j->j.overall == V_ERROR)
			bad++;
	}
	json_object_set_new(root, "run_id", json_string(rn->id));
	json_object_set_new(root, "kernel", json_string(u.release));
	/* a warning panics this kernel: 1 in a guest of `vm --panic-on-warn` */
	json_object_set_new(root, "panic_on_warn", json_integer(kernel_panic_on_warn()));
	{
		/* the congestion control every variant's namespaces start with
		 * (net/ipv4/tcp_ipv4.c tcp_sk_init() copies the initial
		 * namespace's): cubic on Debian's kernels, bbr on some hosts; a
		 * case that depends on it sets its own (TCP_CONGESTION) */
		char cc[64];
		struct err ce;

		if (sysctl_read_here("net.ipv4.tcp_congestion_control", cc, sizeof(cc), &ce) !=
		    SYSCTL_OK)
			cc[0] = '\0';
		json_object_set_new(root, "tcp_congestion_control",
		                    cc[0] ? json_string(cc) : json_null());
	}
	/* What the tables' kernel ranges were matched against. */
	json_object_set_new(root, "kernel_version", json_string(rn->kernel_version));
	json_object_set_new(root, "kernel_version_from", json_string(rn->kernel_version_from));
	json_object_set_new(root, "machine", json_string(u.machine));
	json_object_set_new(root, "parallel", json_integer(rn->parallel));
	/* --slip-limit: how often, and how long, a start waited for the
	 * machine's timers to catch up */
	json_object_set_new(root, "slip_limit_ms", json_real(rn->slip_limit_ms));
	json_object_set_new(root, "starts_held", json_integer(rn->held));
	json_object_set_new(root, "starts_held_ms", json_real(rn->held_ms));
	json_object_set_new(root, "runner_slip_ms", json_real(rn->peak_slip_ms));
	/* --rerun-slipped: the threshold, how many variants ran again, and how
	 * many slipped failures did not (more than RUN_RERUN_MAX_VARIANTS) */
	json_object_set_new(root, "rerun_slipped_ms", json_real(rn->rerun_slip_ms));
	json_object_set_new(root, "rerun", json_integer(rn->reruns));
	json_object_set_new(root, "rerun_refused", json_integer((json_int_t)rn->rerun_left));
	json_object_set_new(root, "interrupted", json_boolean(rn->interrupted));
	json_object_set_new(root, "user_namespace", json_boolean(userns_active()));
	json_object_set_new(root, "wall_ms", json_real(wall_ms));
	json_object_set_new(root, "slowest_variant_ms", json_real(slowest));
	json_object_set_new(root, "max_overhead_ms", json_real(maxover));
	/* the latest our own timers woke in any variant (run/slip.h): what
	 * timing checks were widened by, at most */
	json_object_set_new(root, "timer_slip_ms", json_real(maxslip));
	json_object_set_new(root, "variants", vars);
	if (rn->profile)
		json_object_set_new(root, "profile", profile_json(rn->profile));
	json_object_set_new(root, "unexpected", json_integer((json_int_t)bad));
	path = results_path(rn->root, RESULTS_SUMMARY, &e);
	if (!path || results_write_json(rn->rootfd, RESULTS_SUMMARY, path, root, 0, &e) < 0) {
		free(path);
		json_decref(root);
		write_failed(rn, &e);
		return -1;
	}
	free(path);
	json_decref(root);
	if (rn->stdout_gone)
		return (int)bad;
	print_tally(rn);
	if (rn->reruns || rn->rerun_left) {
		size_t passed = 0;

		for (i = 0; i < rn->njobs; i++)
			passed += rn->jobs[i].nearlier && rn->jobs[i].done &&
			          rn->jobs[i].j.overall != V_FAIL &&
			          rn->jobs[i].j.overall != V_ERROR;
		text_term_printf(stdout,
		                 "run again after failing under a timer slip over %.0f ms: %u "
		                 "variant(s), %zu as expected then",
		                 rn->rerun_slip_ms, rn->reruns, passed);
		if (rn->rerun_left)
			text_term_printf(stdout,
			                 "; %zu slipped failures not run again (over %d: not "
			                 "the machine's timers)",
			                 rn->rerun_left, RUN_RERUN_MAX_VARIANTS);
		text_term_printf(stdout, "\n");
	}
	text_term_printf(stdout,
	                 "run %s: %zu variant(s) in %.2f s (slowest %.2f s, harness overhead at "
	                 "most %.1f ms per variant)%s\nresults: %s\n",
	                 rn->id, rn->finished, wall_ms / 1e3, slowest / 1e3, maxover,
	                 rn->interrupted ? ", INTERRUPTED" : "", rn->root);
	if (fflush(stdout) != 0)
		clearerr(stdout); /* its reader has gone: the run is over anyway */
	return (int)bad;
}

static int write_outputs(struct run *rn)
{
	struct judged_variant *jv = calloc(rn->njobs ? rn->njobs : 1, sizeof(*jv));
	struct utsname u;
	struct err e;
	size_t i, n = 0;
	int r;

	if (!jv)
		return -1;
	uname(&u);
	for (i = 0; i < rn->njobs; i++) {
		struct job *j = &rn->jobs[i];

		if (!j->done)
			continue;
		jv[n].case_name = j->sc->name;
		jv[n].variant = j->name;
		jv[n].dir = j->dir;
		jv[n].wall_ms = j->end_ms - j->start_ms;
		jv[n].j = j->j;
		jv[n].earlier = j->earlier;
		jv[n].nearlier = j->nearlier;
		n++;
	}
	r = write_ktap(rn->rootfd, RESULTS_KTAP, jv, n, &e);
	if (r == 0)
		r = write_junit(rn->rootfd, RESULTS_JUNIT, jv, n, u.release, &e);
	if (r == 0)
		r = report_write_run_cov(rn->rootfd, rn->root, rn->has_cov ? &rn->cov_tr : NULL,
		                         rn->has_cov_timers ? &rn->cov_tm : NULL, &e);
	if (r < 0)
		write_failed(rn, &e);
	free(jv);
	return r;
}

/* results/latest -> <run-id>, replaced atomically. */
static void link_latest(const char *base, const char *id)
{
	char tmp[64];
	char *tpath, *dst;
	struct err e;

	snprintf(tmp, sizeof(tmp), ".latest.%d", (int)getpid());
	tpath = results_path(base, tmp, &e);
	dst = results_path(base, "latest", &e);
	if (tpath && dst) {
		unlink(tpath);
		if (symlink(id, tpath) == 0 && rename(tpath, dst) < 0)
			unlink(tpath);
	}
	free(tpath);
	free(dst);
}

static void kill_all(struct run *rn)
{
	size_t i;

	for (i = 0; i < rn->njobs; i++)
		if (rn->jobs[i].pid > 0 && !rn->jobs[i].reaped)
			kill(-rn->jobs[i].pid, SIGKILL);
}

/* The signals that stop a run: each kills the variants running, marks
 * the summary interrupted and exits 130.  SIGHUP: the terminal has gone;
 * SIGPIPE: sent, or stdout's reader has gone (progress_flush()). */
static void stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGPIPE);
}

static void read_signals(struct run *rn, int sfd)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == sizeof(si))
		if (si.ssi_signo != SIGCHLD)
			interrupt(rn);
}

/* Job @j's child said where it is (a phase mark, play.h) or that it is
 * done (its exit status, on the same pipe): collect it then; its process
 * is reaped when it has ended (reap()).  EOF without a status: it died
 * first, and reap() collects it with how it died. */
static bool read_done(struct run *rn, struct job *j)
{
	unsigned char c[8];
	ssize_t n = read(j->donefd, c, sizeof(c));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return false;
	for (ssize_t i = 0; i < n; i++) {
		if (c[i] == PLAY_MARK_SCENARIO) {
			j->scenario_ms = clock_ms();
			continue;
		}
		if (c[i] == PLAY_MARK_COLLECT) {
			j->collect_ms = clock_ms();
			continue;
		}
		close(j->donefd);
		j->donefd = -1;
		collect(rn, j, c[i] << 8, false); /* as waitpid() says an exit(c) */
		return true;
	}
	if (n > 0)
		return false; /* marks only: the status comes later */
	close(j->donefd);
	j->donefd = -1;
	return false;
}

/* When job @j is overdue, and in which phase (NULL: its scenario, bound
 * by the case's time limit; the set-up and the writing of the results have
 * PHASE_LIMIT_MS each). */
static double deadline_of(const struct job *j, const char **phase)
{
	if (!j->marked) { /* no pipe (out of descriptors): its phases unknown */
		*phase = NULL;
		return j->start_ms + 2.0 * PHASE_LIMIT_MS + j->sc->timeout_ms + GRACE_MS;
	}
	if (j->collect_ms > 0) {
		*phase = "taking and writing its results";
		return j->collect_ms + PHASE_LIMIT_MS;
	}
	if (j->scenario_ms > 0) {
		*phase = NULL;
		return j->scenario_ms + j->sc->timeout_ms + GRACE_MS;
	}
	*phase = "its set-up";
	return j->start_ms + PHASE_LIMIT_MS;
}

/* Wait for job @j's process (@flags: WNOHANG or 0); collect it if it was
 * not collected yet.  True when it was collected now. */
static bool reap(struct run *rn, struct job *j, int flags)
{
	int ws;
	pid_t pid;

	if (j->pid <= 0 || j->reaped)
		return false;
	pid = waitpid(j->pid, &ws, flags);
	if (pid != j->pid)
		return false;
	j->reaped = true;
	if (j->donefd >= 0) {
		close(j->donefd);
		j->donefd = -1;
	}
	if (j->done)
		return false;
	collect(rn, j, ws, false);
	return true;
}

/* Wait at most @ms for job @j's process to end (reap()); true when it did. */
static bool reap_within(struct run *rn, struct job *j, int ms)
{
	for (int waited = 0;; waited += 10) {
		reap(rn, j, WNOHANG);
		if (j->reaped || waited >= ms)
			return j->reaped;
		usleep(10 * 1000);
	}
}

/* A killed process that did not end within END_MS: the kernel holds it (a
 * close that never returns).  Said on stderr, then no longer waited for. */
static void give_up(struct job *j)
{
	fprintf(stderr,
	        "tcpconform: the process of %s %s (pid %d) did not end %d s after it was "
	        "killed: stuck in the kernel; not waited for\n",
	        j->sc->name, j->name, (int)j->pid, END_MS / 1000);
	j->reaped = true;
}

/* The end of job @j's process, bounded: END_MS to end by itself, then
 * killed and END_MS more, then given up on (give_up()). */
static void reap_bounded(struct run *rn, struct job *j)
{
	if (j->pid <= 0 || j->reaped || reap_within(rn, j, END_MS))
		return;
	kill(-j->pid, SIGKILL);
	if (!reap_within(rn, j, END_MS))
		give_up(j);
}

/* Where in the kernel process @pid sleeps (/proc/PID/wchan: a function
 * name, "0" when it runs), into @out; "" when unknown.  A variant stuck
 * there (creating a namespace behind a slow cleanup_net(), closing a
 * socket) says so in its reason: the kernel's doing, not a scenario's. */
static void read_wchan(pid_t pid, char *out, size_t len)
{
	char path[64], buf[64];
	ssize_t n;
	size_t i;
	int fd;

	out[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/wchan", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (i = 0; buf[i]; i++)
		if (!isalnum((unsigned char)buf[i]) && buf[i] != '_' && buf[i] != '.')
			return; /* not a symbol name: nothing said */
	if (strcmp(buf, "0") != 0)
		snprintf(out, len, "%s", buf);
}

/* Job @j past its hard limit: killed at once, END_MS to end, collected as
 * timed out whether or not it ended. */
static void kill_overdue(struct run *rn, struct job *j)
{
	int ws = 0;

	read_wchan(j->pid, j->wchan, sizeof(j->wchan));
	kill(-j->pid, SIGKILL);
	for (int waited = 0; !j->reaped; waited += 10) {
		if (waitpid(j->pid, &ws, WNOHANG) == j->pid)
			j->reaped = true;
		else if (waited >= END_MS)
			give_up(j);
		else
			usleep(10 * 1000);
	}
	if (j->donefd >= 0)
		close(j->donefd);
	j->donefd = -1;
	collect(rn, j, ws, true);
}

/* Up to @max running jobs' pipes into @p (from index 2), their jobs in
 * @who; returns how many. */
static size_t done_fds(struct run *rn, size_t next, struct pollfd *p, struct job **who, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < next && n < max; i++) {
		struct job *j = &rn->jobs[rn->order[i]];

		if (j->done || j->donefd < 0)
			continue;
		p[2 + n] = (struct pollfd){.fd = j->donefd, .events = POLLIN};
		who[n++] = j;
	}
	return n;
}

/* --slip-limit: at least this many variants at once, however late timers
 * run (one alone would make a loaded run last for hours); a held start
 * looks at the probe again this often. */
#define SLIP_FLOOR      2
#define SLIP_RECHECK_MS 50

/* Run the @count jobs @order names, @parallel at once, to their ends. */
static int schedule(struct run *rn, const size_t *order, size_t count, int parallel)
{
	sigset_t mask, old;
	int sfd;
	size_t next = 0, running = 0, i, max = (size_t)parallel;
	struct slip_monitor slip;
	bool probing;
	double held_since = -1, last_start = -1e9;
	struct pollfd *p = calloc(max + 2, sizeof(*p));
	struct job **who = calloc(max, sizeof(*who));

	stop_signals(&mask);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, &old);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0 || !p || !who) {
		int saved = sfd < 0 ? errno : ENOMEM;

		if (sfd >= 0)
			close(sfd);
		free(p);
		free(who);
		sigprocmask(SIG_SETMASK, &old, NULL);
		errno = saved; /* for the caller's message: EMFILE named */
		return -1;
	}
	read_signals(rn, sfd); /* one that came before the first variant started */
	/* --slip-limit: probes in a process of their own (run/slip.h): the
	 * runner forks its variants and stays single-threaded */
	probing = rn->slip_limit_ms > 0 && slip_monitor_start(&slip);
	while (next < count || running) {
		double now = clock_ms(), soonest = -1;
		bool hold = false, paced = false;
		size_t nd;

		while (!rn->interrupted && next < count && running < max) {
			/* As make -l holds jobs while the load is high: no new
			 * variant while timers run later than the limit, so that
			 * those running keep their timing; never fewer than
			 * SLIP_FLOOR at once.  Beyond the floor, one start per
			 * SLIP_RECHECK_MS: all at once, the probe would have seen
			 * nothing of what they cost before the last started. */
			if (probing && running >= SLIP_FLOOR) {
				hold = slip_monitor_recent(&slip) > rn->slip_limit_ms;
				paced = !hold && now - last_start < SLIP_RECHECK_MS;
				if (hold || paced)
					break;
			}
			if (start(rn, &rn->jobs[order[next]]) < 0) {
				perror("fork");
				rn->interrupted = true;
				break;
			}
			last_start = now;
			next++;
			running++;
		}
		if (hold && held_since < 0) {
			held_since = now;
			rn->held++;
		} else if (!hold && held_since >= 0) {
			rn->held_ms += now - held_since;
			held_since = -1;
		}
		/* Hard limits. */
		for (i = 0; i < next; i++) {
			struct job *j = &rn->jobs[order[i]];
			const char *phase;
			double deadline = deadline_of(j, &phase);

			if (j->done || j->pid <= 0)
				continue;
			/* A mark, or the status, may wait unread in its pipe
			 * (written while the others were collected): read it
			 * before deciding. */
			if (now >= deadline && j->donefd >= 0) {
				struct pollfd q = {.fd = j->donefd, .events = POLLIN};

				if (poll(&q, 1, 0) > 0 && read_done(rn, j)) {
					running--;
					continue;
				}
				deadline = deadline_of(j, &phase);
			}
			if (now >= deadline) {
				j->overdue = phase;
				kill_overdue(rn, j);
				running--;
				continue;
			}
			if (soonest < 0 || deadline - now < soonest)
				soonest = deadline - now;
		}
		if (!running && (rn->interrupted || next >= count))
			break;
		/* held or paced: look at the probe again soon */
		if ((hold || paced) && (soonest < 0 || soonest > SLIP_RECHECK_MS))
			soonest = SLIP_RECHECK_MS;
		/* stdout, when a pipe: POLLERR as soon as its reader has gone. */
		p[0] = (struct pollfd){.fd = sfd, .events = POLLIN};
		p[1] = (struct pollfd){.fd = rn->stdout_pipe && !rn->stdout_gone ? 1 : -1};
		nd = done_fds(rn, next, p, who, max);
		poll(p, 2 + nd, soonest < 0 ? -1 : (int)soonest + 1);
		read_signals(rn, sfd);
		if (p[1].revents & POLLERR) {
			rn->stdout_gone = true;
			interrupt(rn);
		}
		for (i = 0; i < nd; i++)
			if (p[2 + i].revents && !who[i]->done && read_done(rn, who[i]))
				running--;
		/* Only our own children: the caller may have others (the
		 * baseline run of `tcpconform profile`). */
		for (i = 0; i < next; i++)
			if (reap(rn, &rn->jobs[order[i]], WNOHANG))
				running--;
	}
	/* The processes still ending (collected from their pipes). */
	for (i = 0; i < next; i++)
		reap_bounded(rn, &rn->jobs[order[i]]);
	if (held_since >= 0)
		rn->held_ms += clock_ms() - held_since;
	if (probing)
		rn->peak_slip_ms = fmax(rn->peak_slip_ms, slip_monitor_stop(&slip));
	close(sfd);
	free(p);
	free(who);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return 0;
}

/* A value of the configuration at fault (runner.h): the message as the
 * command line's errors have it (unescaped), for cli/ to print. */
static int bad_value(struct run_result *res, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int bad_value(struct run_result *res, const char *value, const char *fmt, ...)
{
	va_list ap;

	res->bad.kind = ERR_INPUT;
	res->bad.errnum = 0;
	va_start(ap, fmt);
	vsnprintf(res->bad.msg, sizeof(res->bad.msg), fmt, ap);
	va_end(ap);
	res->bad_value = value;
	return EXIT_USAGE;
}

/* A results directory that cannot be made or opened: bad input when it is
 * -o's (exit 2), unless the disk is full or failing; the environment's
 * fault (exit 3) for the default results/. */
static int outdir_failed(const struct run_config *cfg, struct run_result *res, const char *path,
                         int errnum)
{
	if (cfg->outdir && errnum != ENOSPC && errnum != EDQUOT && errnum != EIO &&
	    errnum != ENOMEM && errnum != EMFILE && errnum != ENFILE)
		return bad_value(res, cfg->outdir, "-o %s: cannot create %s: %s (%s)", cfg->outdir,
		                 path, strerror(errnum), err_errno_name(errnum));
	fprintf(stderr, "tcpconform: creating %s: %s (%s)\n", path, strerror(errnum),
	        err_errno_name(errnum));
	return EXIT_ENV;
}

/* The results directory (or a variant's below it) could not be made:
 * a bad -o is the user's (exit 2), a full or failing disk the
 * environment's (exit 3). */
static int resdir_failed(const struct run_config *cfg, struct run_result *res, const char *path,
                         const struct err *e)
{
	if (e->errnum)
		return outdir_failed(cfg, res, path, e->errnum);
	if (e->kind == ERR_INPUT && cfg->outdir)
		return bad_value(res, cfg->outdir, "-o %s: %s", cfg->outdir, e->msg);
	err_print(e);
	return e->kind == ERR_INPUT ? EXIT_USAGE : EXIT_ENV;
}

/* One run writes into a results directory at a time: it holds a lock on
 * the directory (flock(2) on the directory itself, so nothing is added to
 * it) until it ends, and a second run into it is refused (exit 2).
 * Returns 0 with the descriptor in *fd, or the exit status. */
static int lock_outdir(const struct run_config *cfg, struct run_result *res, const char *root,
                       int *fd)
{
	*fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*fd < 0)
		return outdir_failed(cfg, res, root, errno);
	if (flock(*fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno == EWOULDBLOCK) {
		close(*fd);
		*fd = -1;
		/* Without -o, @root is no argument: the error's column is 1. */
		return bad_value(res, cfg->outdir,
		                 "-o %s: another run is writing into this directory", root);
	}
	/* A filesystem without locks: the run goes on, unguarded. */
	fprintf(stderr,
	        "tcpconform: warning: cannot lock %s (%s): nothing keeps another run "
	        "from writing into it\n",
	        root, strerror(errno));
	return 0;
}

/* --kernel-config FILE: the kernel's configuration against the catalogue's
 * fixtures/kernel/config.  A case that needs an option the kernel lacks is
 * skipped with the option as the reason; an option no case can do without
 * stops the run (exit 3, every one named).  =m counts: modules may load. */
static int apply_kernel_config(const struct run_config *cfg, const struct catalogue *cat,
                               struct run *rn)
{
	char frag[4600], missing[2048];
	struct kconfig kc;
	struct kfrag f;
	struct err e;
	int r;

	if (!cfg->kconfig)
		return EXIT_PASS;
	if (catalogue_fixture_path(cat, "kernel/config", frag, sizeof(frag)) < 0) {
		fprintf(stderr, "tcpconform: the fixtures' path is too long\n");
		return EXIT_USAGE;
	}
	if (kfrag_load(frag, &f, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return err_exit_status(&e);
	}
	if (kconfig_load(cfg->kconfig, &kc, &e) < 0) {
		kfrag_free(&f);
		fprintf(stderr, "%s\n", e.msg);
		return err_exit_status(&e);
	}
	r = EXIT_PASS;
	if (kfrag_blocking(&f, &kc, true, false, missing, sizeof(missing))) {
		fprintf(stderr, "tcpconform: the kernel (%s) lacks what the catalogue needs: %s\n",
		        cfg->kconfig, missing);
		r = EXIT_ENV;
	}
	for (size_t i = 0; r == EXIT_PASS && i < rn->ncases; i++)
		kfrag_case_skip(&f, &kc, true, rn->cases[i].name, rn->cases[i].skip_reason,
		                sizeof(rn->cases[i].skip_reason));
	kconfig_free(&kc);
	kfrag_free(&f);
	return r;
}

/* ---- runner_run(), step by step ---- */

/* fixtures/coverage/transitions and timers, for the coverage section of
 * report.html: checked before anything runs, as the tables are (absent
 * files: no section). */
static int load_coverage(const struct catalogue *cat, struct run *rn)
{
	char path[4600];
	struct stat st;
	struct err e;

	if (catalogue_fixture_path(cat, "coverage/transitions", path, sizeof(path)) < 0 ||
	    stat(path, &st) < 0)
		return EXIT_PASS;
	if (cov_transitions_load(path, &rn->cov_tr, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return EXIT_USAGE;
	}
	rn->has_cov = true;
	if (catalogue_fixture_path(cat, "coverage/timers", path, sizeof(path)) < 0 ||
	    stat(path, &st) < 0)
		return EXIT_PASS;
	if (cov_timers_load(path, &rn->cov_tm, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return EXIT_USAGE;
	}
	rn->has_cov_timers = true;
	return EXIT_PASS;
}

/* Every case named, parsed (under the profile, if any), and its table:
 * all of them before anything runs. */
static int load_cases(const struct run_config *cfg, struct run *rn, struct run_result *res)
{
	struct catalogue cat;
	struct err e;
	size_t i;
	int rc = EXIT_PASS;

	if (catalogue_find(&cat, cfg->names, cfg->nnames, &e) < 0) {
		if (cat.bad) /* a case name that matches nothing: cli/ points at it */
			return bad_value(res, cat.bad, "%s", e.msg);
		fprintf(stderr, "%s\n", e.msg);
		return err_exit_status(&e);
	}
	if (!cat.n) {
		fprintf(stderr, "no cases found in %s\n", cat.dir);
		catalogue_free(&cat);
		return EXIT_USAGE;
	}
	rn->cases = calloc(cat.n, sizeof(*rn->cases));
	if (!rn->cases) {
		catalogue_free(&cat);
		fprintf(stderr, "tcpconform: out of memory\n");
		return EXIT_UNEXPECTED;
	}
	for (i = 0; i < cat.n; i++) {
		if (scenario_load(cat.paths[i], &rn->cases[i], &e) < 0 ||
		    (cfg->profile && profile_apply(cfg->profile, &rn->cases[i], &e) < 0)) {
			fprintf(stderr, "%s\n", e.msg);
			rc = EXIT_USAGE;
		}
		/* A profile may lengthen any timer: a generous hard limit. */
		if (cfg->profile && rn->cases[i].timeout_ms < PROFILE_TIMEOUT_MS)
			rn->cases[i].timeout_ms = PROFILE_TIMEOUT_MS;
		rn->ncases++;
	}
	rn->tables = calloc(rn->ncases ? rn->ncases : 1, sizeof(*rn->tables));
	rn->has_table = calloc(rn->ncases ? rn->ncases : 1, sizeof(*rn->has_table));
	if (!rn->tables || !rn->has_table) {
		fprintf(stderr, "tcpconform: out of memory\n");
		rc = EXIT_UNEXPECTED;
	}
	for (i = 0; rc == EXIT_PASS && i < rn->ncases; i++) {
		char tpath[4600];
		struct stat tst;

		catalogue_table_path(&cat, rn->cases[i].name, tpath, sizeof(tpath));
		if (stat(tpath, &tst) < 0)
			continue; /* no table: every observation fails as "no expectation" */
		if (table_load(tpath, &rn->tables[i], &e) < 0 ||
		    table_check_case(&rn->tables[i], &rn->cases[i], &e) < 0) {
			fprintf(stderr, "%s\n", e.msg);
			rc = EXIT_USAGE;
		}
		rn->has_table[i] = true;
	}
	if (rc == EXIT_PASS)
		rc = apply_kernel_config(cfg, &cat, rn);
	if (rc == EXIT_PASS)
		rc = load_coverage(&cat, rn);
	catalogue_free(&cat);
	return rc;
}

/* --family, and how many variants the run holds (bounded). */
static int count_variants(struct run *rn)
{
	size_t i, nv;

	for (i = 0; i < rn->ncases; i++) {
		if (rn->family == 4)
			rn->cases[i].family6 = false;
		if (rn->family == 6)
			rn->cases[i].family4 = false;
		if (!rn->cases[i].family4 && !rn->cases[i].family6)
			continue; /* pinned to the other family */
		/* The parser bounds each case; the run is bounded too. */
		nv = scenario_variants(&rn->cases[i]);
		if (nv > SC_MAX_VARIANTS || __builtin_add_overflow(rn->njobs, nv, &rn->njobs) ||
		    rn->njobs > RUN_MAX_VARIANTS) {
			fprintf(stderr,
			        "tcpconform: a run holds at most %d variants: the cases named "
			        "make more (name fewer cases)\n",
			        RUN_MAX_VARIANTS);
			return EXIT_USAGE;
		}
	}
	return EXIT_PASS;
}

/* The run's id (unique in this process) and its directory's name. */
static void name_run(const struct run_config *cfg, struct run *rn)
{
	static unsigned runs; /* runs made by this process: ids stay unique */
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	snprintf(rn->id, sizeof(rn->id), "%04d%02d%02d-%02d%02d%02d-%d", tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)getpid());
	if (runs++) {
		size_t n = strlen(rn->id);

		snprintf(rn->id + n, sizeof(rn->id) - n, "-%u", runs);
	}
	if (cfg->outdir && strlen(cfg->outdir) < sizeof(rn->root))
		snprintf(rn->root, sizeof(rn->root), "%s", cfg->outdir);
	else if (!cfg->outdir)
		snprintf(rn->root, sizeof(rn->root), "results/%s", rn->id);
}

/* Is CASE/VARIANT in @cfg->only? */
static bool in_only(const struct run_config *cfg, const char *cas, const char *var)
{
	size_t i, n = strlen(cas);

	for (i = 0; i < cfg->nonly; i++)
		if (!strncmp(cfg->only[i], cas, n) && cfg->only[i][n] == '/' &&
		    !strcmp(cfg->only[i] + n + 1, var))
			return true;
	return false;
}

/* One job per variant (--variant: those it names), each name checked. */
static int make_jobs(const struct run_config *cfg, struct run *rn, struct run_result *res)
{
	struct err e;
	size_t i, v, k = 0;

	rn->jobs = calloc(rn->njobs ? rn->njobs : 1, sizeof(*rn->jobs));
	rn->order = calloc(rn->njobs ? rn->njobs : 1, sizeof(*rn->order));
	if (!rn->jobs || !rn->order) {
		fprintf(stderr, "tcpconform: out of memory for %zu variants\n", rn->njobs);
		return EXIT_UNEXPECTED;
	}
	for (i = 0; i < rn->ncases; i++) {
		struct scenario *sc = &rn->cases[i];

		if (!sc->family4 && !sc->family6)
			continue;
		for (v = 0; v < scenario_variants(sc); v++) {
			struct job *j = &rn->jobs[k];
			unsigned axes[SC_MAX_AXES];
			int fam;

			memset(j, 0, sizeof(*j));
			j->sc = sc;
			j->table = rn->has_table[i] ? &rn->tables[i] : NULL;
			j->variant = v;
			j->vfd = -1;
			scenario_variant(sc, v, &fam, axes, j->name, sizeof(j->name));
			if (cfg->variant && fnmatch(cfg->variant, j->name, 0) != 0)
				continue; /* --variant: not this one */
			if (cfg->only && !in_only(cfg, sc->name, j->name))
				continue;
			k++;
			snprintf(j->dir, sizeof(j->dir), "%s/%s", sc->name, j->name);
			/* Each name is one plain directory below the run's, or the
			 * run stops before anything is made (resdir.h). */
			if (resdir_name_check(sc->name, "the case name", &e) < 0 ||
			    resdir_name_check(j->name, "the variant name", &e) < 0) {
				fprintf(stderr, "%s: %s\n", sc->file, e.msg);
				return EXIT_USAGE;
			}
		}
	}
	rn->njobs = k;
	if (!rn->njobs && !cfg->only)
		return bad_value(res, cfg->variant,
		                 "--variant: no variant of the cases named matches '%s'",
		                 cfg->variant);
	return EXIT_PASS;
}

/* The run directory, opened once (every path below it goes through this
 * fd, one checked name at a time) and locked, and every variant's. */
static int make_dirs(const struct run_config *cfg, struct run *rn, struct run_result *res)
{
	struct err e;
	size_t k;
	int rc;

	rn->rootfd = resdir_open(rn->root, RESDIR_CREATE, &e);
	if (rn->rootfd < 0)
		return resdir_failed(cfg, res, rn->root, &e);
	rc = lock_outdir(cfg, res, rn->root, &rn->lockfd);
	if (rc != EXIT_PASS)
		return rc;
	for (k = 0; k < rn->njobs; k++) {
		int vfd =
		    resdir_variant(rn->rootfd, rn->jobs[k].sc->name, rn->jobs[k].name, true, &e);

		if (vfd < 0)
			return resdir_failed(cfg, res, rn->jobs[k].dir, &e);
		close(vfd);
	}
	return EXIT_PASS;
}

/* The suite takes little more than its slowest variant only if that one
 * starts first: cases that declare a time limit (the slow ones) first,
 * longest limit first; ties keep the catalogue's order. */
static void order_jobs(const struct run_config *cfg, struct run *rn)
{
	size_t i, k;

	for (i = 0; i < rn->njobs; i++)
		rn->order[i] = i;
	for (i = 1; !cfg->in_order && i < rn->njobs; i++) {
		size_t x = rn->order[i];

		for (k = i; k > 0 &&
		            start_weight(&rn->jobs[rn->order[k - 1]]) < start_weight(&rn->jobs[x]);
		     k--)
			rn->order[k] = rn->order[k - 1];
		rn->order[k] = x;
	}
}

/* What the run needs of its environment, said once before anything runs:
 * network namespaces at all (exit 3, rather than failing every variant),
 * and the tracepoints (enabling them costs tens of ms of probe
 * registration: once per run, not per variant; unavailable, the
 * observations say why). */
static int start_env(struct run *rn)
{
	struct stat so;
	struct err e;
	int probe;

	rn->stdout_pipe = fstat(STDOUT_FILENO, &so) == 0 && S_ISFIFO(so.st_mode);
	/* Root without CAP_NET_ADMIN or CAP_NET_RAW still gets a namespace,
	 * then fails every variant: say which capability, once. */
	if (envcheck_caps(&e) < 0) {
		err_print(&e);
		return EXIT_ENV;
	}
	probe = netns_create(&e);
	if (probe < 0) {
		err_print(&e);
		return EXIT_ENV;
	}
	close(probe);
	if (tracer_start(&rn->tr, &e) < 0) {
		err_print(&e);
		return EXIT_ENV;
	}
	/* the static key the wires flip, on for the whole run: no text
	 * patching under running scenarios (netstamp.h); without it the run
	 * goes on as before */
	rn->netstamp_fd = netstamp_hold(&e);
	if (rn->netstamp_fd < 0)
		err_print(&e);
	kernel_version(rn->kernel_version, sizeof(rn->kernel_version), &rn->kernel_version_from);
	return EXIT_PASS;
}

/* Job @j, done, is to run again: its run so far becomes an earlier one
 * (its directory CASE/VARIANT/run-N, its verdict and slip in @j->earlier),
 * and it starts afresh. */
static int set_aside(struct run *rn, struct job *j)
{
	struct attempt *t = &j->earlier[j->nearlier];
	char as[32];
	const struct check *ck;
	struct err e;

	snprintf(as, sizeof(as), "run-%u", j->nearlier + 1);
	if (resdir_set_aside(rn->rootfd, j->sc->name, j->name, as, &e) < 0) {
		write_failed(rn, &e);
		return -1;
	}
	memset(t, 0, sizeof(*t));
	t->v = j->j.overall;
	t->slip_ms = j->slip_ms;
	t->wall_ms = j->end_ms - j->start_ms;
	if ((ck = first_failing(j, NULL)))
		snprintf(t->check, sizeof(t->check), "%s", ck->name);
	not_expected(j, false, t->why, sizeof(t->why)); /* t->check names it */
	j->nearlier++;
	judgement_free(&j->j);
	memset(&j->j, 0, sizeof(j->j));
	j->done = 0;
	j->reaped = false;
	j->pid = 0;
	j->donefd = -1;
	j->marked = false;
	j->overdue = NULL;
	j->status[0] = j->reason[0] = j->wchan[0] = '\0';
	j->scenario_ms = j->collect_ms = j->overhead_ms = j->step_ms = j->slip_ms = 0;
	rn->finished--;
	return 0;
}

/* --rerun-slipped: the variants that failed or erred under a timer slip
 * run again, alone, once the others are done; up to RUN_RERUNS times, as
 * long as they fail under a slip.  No more than RUN_RERUN_MAX_VARIANTS of
 * them: beyond that it is not the machine. */
static int rerun_slipped(struct run *rn)
{
	size_t *again, n, i;
	unsigned round;
	int rc = 0;

	if (rn->rerun_slip_ms <= 0 || !rn->njobs)
		return 0;
	again = calloc(rn->njobs, sizeof(*again));
	if (!again)
		return 0; /* no reruns: the first verdicts stand */
	for (round = 0; round < RUN_RERUNS && !rn->interrupted && !rn->write_err[0]; round++) {
		for (n = i = 0; i < rn->njobs; i++)
			if (slipped(rn, &rn->jobs[i]) && rn->jobs[i].nearlier == round)
				again[n++] = i;
		if (n > RUN_RERUN_MAX_VARIANTS) {
			rn->rerun_left = n;
			break;
		}
		for (i = 0; i < n; i++)
			if (set_aside(rn, &rn->jobs[again[i]]) < 0)
				break;
		if (!(n = i))
			break;
		if (round == 0)
			rn->reruns = (unsigned)n;
		if (!rn->stdout_gone)
			text_term_printf(stdout,
			                 "%zu variant(s) failed under a timer slip over %.0f ms: "
			                 "running them again, one at a time\n",
			                 n, rn->rerun_slip_ms);
		if ((rc = schedule(rn, again, n, 1)) < 0)
			break;
	}
	free(again);
	return rc;
}

/* Every variant run, then summary.json and the other outputs; the exit
 * status of the run. */
static int run_jobs(const struct run_config *cfg, struct run *rn)
{
	int bad;

	rn->t0 = clock_ms();
	if (schedule(rn, rn->order, rn->njobs, rn->parallel) < 0 || rerun_slipped(rn) < 0) {
		struct err e;

		err_sys(&e, "scheduling the variants: signalfd");
		err_print(&e);
		return EXIT_ENV;
	}
	tracer_stop(&rn->tr);
	bad = write_summary(rn, clock_ms() - rn->t0);
	write_outputs(rn);
	if (!cfg->outdir)
		link_latest("results", rn->id);
	if (rn->write_err[0]) {
		/* A full disk: the results are incomplete, whatever the verdicts. */
		fprintf(stderr, "tcpconform: the results in %s are incomplete: %s\n", rn->root,
		        rn->write_err);
		return EXIT_ENV;
	}
	if (rn->interrupted)
		return 130;
	return bad ? EXIT_UNEXPECTED : EXIT_PASS;
}

/* A stop signal after the last variant: the run is complete, its caller
 * (--repeat, profile) stops all the same.  (A SIGPIPE now only says that
 * the last line found no reader.) */
static int late_signals(const sigset_t *stop, int rc)
{
	struct timespec zero = {0, 0};
	int sig;

	while ((sig = sigtimedwait(stop, NULL, &zero)) > 0)
		if (sig != SIGPIPE && (rc == EXIT_PASS || rc == EXIT_UNEXPECTED))
			rc = 130;
	return rc;
}

static void free_run(struct run *rn)
{
	size_t i;

	tracer_stop(&rn->tr); /* when an error came first */
	if (rn->netstamp_fd >= 0)
		close(rn->netstamp_fd);
	if (rn->lockfd >= 0)
		close(rn->lockfd);
	for (i = 0; i < rn->ncases; i++) {
		scenario_free(&rn->cases[i]);
		if (rn->tables)
			table_free(&rn->tables[i]);
	}
	for (i = 0; rn->jobs && i < rn->njobs; i++)
		judgement_free(&rn->jobs[i].j);
	cov_transitions_free(&rn->cov_tr);
	cov_timers_free(&rn->cov_tm);
	free(rn->cases);
	free(rn->tables);
	free(rn->has_table);
	free(rn->jobs);
	free(rn->order);
	if (rn->rootfd >= 0)
		close(rn->rootfd);
}

int runner_run(const struct run_config *cfg, struct run_result *res)
{
	struct run rn;
	sigset_t stop, oldmask;
	int rc;

	memset(&rn, 0, sizeof(rn));
	rn.rootfd = -1;
	rn.lockfd = -1;
	rn.netstamp_fd = -1;
	rn.parallel = cfg->parallel > 0 ? cfg->parallel : RUN_JOBS_DEFAULT;
	rn.slip_limit_ms = cfg->slip_limit_ms;
	rn.rerun_slip_ms = cfg->rerun_slip_ms;
	rn.family = cfg->family;
	rn.colour = cfg->color == RUN_COLOR_ALWAYS ||
	            (cfg->color == RUN_COLOR_AUTO && isatty(STDOUT_FILENO));
	res->root[0] = '\0';
	err_clear(&res->bad);
	res->bad_value = NULL;
	rc = load_cases(cfg, &rn, res);
	if (rc == EXIT_PASS)
		rc = count_variants(&rn);
	if (rc != EXIT_PASS) {
		free_run(&rn);
		return rc;
	}
	name_run(cfg, &rn);
	rn.profile = cfg->profile;
	stop_signals(&stop);
	sigprocmask(SIG_BLOCK, &stop, &oldmask);
	signal(SIGPIPE, SIG_IGN); /* for the rest of the process */
	if (cfg->outdir && strlen(cfg->outdir) >= sizeof(rn.root))
		rc = bad_value(res, cfg->outdir, "-o: a path longer than %zu bytes",
		               sizeof(rn.root) - 1);
	else if (!rn.root[0])
		rc = bad_value(res, cfg->outdir, "-o: an empty directory name");
	if (rc == EXIT_PASS)
		rc = make_jobs(cfg, &rn, res);
	if (rc == EXIT_PASS)
		rc = make_dirs(cfg, &rn, res);
	if (rc == EXIT_PASS) {
		order_jobs(cfg, &rn);
		rc = start_env(&rn);
	}
	if (rc == EXIT_PASS)
		rc = run_jobs(cfg, &rn);
	free_run(&rn);
	rc = late_signals(&stop, rc);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	snprintf(res->root, sizeof(res->root), "%s", rn.root);
	return rc;
}
