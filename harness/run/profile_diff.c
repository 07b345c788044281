// SPDX-License-Identifier: GPL-2.0-only
/*
 * profile_diff.c - `tcpconform profile INPUT...`: the catalogue as written
 * (or under --against FILE2) and, at the same time, the variants a sysctl
 * profile changes under the profile; then what the profile changes, key by
 * key (profile_answer.c), printed and written to the profile run's
 * profile.json and report.html.  profile_plan.c decides which variants
 * run under the profile.
 */
#include "run/profile_diff.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/error.h"
#include "base/resdir.h"
#include "base/text.h"
#include "host/kernel.h"
#include "host/profile.h"
#include "out/report.h"
#include "out/results.h"
#include "run/profile_answer.h"
#include "run/profile_plan.h"
#include "run/runner.h"

/* ---- profile_diff(), step by step ---- */

/* One `profile` between its steps. */
struct pdiff {
	const struct profile_config *cfg;
	struct profile pr, against; /* the profile, and --against FILE2 */
	struct profile_plan plan;   /* which variants run under the profile */
	bool planned;
	struct run_config bo, po; /* the baseline's run and the profile's */
	/* -o DIR/baseline and DIR/profile: a DIR so long that these are cut
	 * is still longer than any path the runner takes, and refused there. */
	char base_out[PATH_MAX + 16], prof_out[PATH_MAX + 16];
	char base_root[PATH_MAX], prof_root[PATH_MAX];
	int logfd;                   /* the baseline's output */
	pid_t pid;                   /* the baseline's process */
	struct run_result *base_res; /* its result, shared with it */
	double wall_ms;              /* both runs */
};

/* The files read, and what became of the settings. */
static void print_inputs(const struct profile *pr)
{
	size_t i;

	for (i = 0; i < pr->nfiles; i++)
		text_term_printf(stdout, "  %s%s%s\n", pr->files[i].path,
		                 pr->files[i].note[0] ? ": " : "", pr->files[i].note);
	text_term_printf(stdout,
	                 "  %zu setting(s): %zu applied in both endpoints, %zu not applied (see "
	                 "below), %zu overridden by a later setting\n",
	                 pr->n - profile_count(pr, PS_EXCLUDE), profile_count(pr, PS_APPLIED),
	                 pr->n - profile_count(pr, PS_APPLIED) - profile_count(pr, PS_OVERRIDDEN) -
	                     profile_count(pr, PS_EXCLUDE),
	                 profile_count(pr, PS_OVERRIDDEN));
}

/* Both profiles read and checked by the kernel before anything runs.
 * Returns the exit status. */
static int load_profiles(struct pdiff *pd)
{
	const struct profile_config *cfg = pd->cfg;
	struct profile_inputs in = {
	    .paths = cfg->inputs, .npaths = cfg->ninputs, .system = cfg->system, .root = cfg->root};
	struct err e;

	if (profile_load_inputs(&in, &pd->pr, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return err_exit_status(&e);
	}
	pd->pr.strict = cfg->strict;
	if (profile_check(&pd->pr, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return err_exit_status(&e);
	}
	if (cfg->against) {
		if (profile_load(cfg->against, &pd->against, &e) < 0) {
			fprintf(stderr, "%s\n", e.msg);
			return err_exit_status(&e);
		}
		pd->against.strict = cfg->strict;
		if (profile_check(&pd->against, &e) < 0) {
			fprintf(stderr, "%s\n", e.msg);
			return err_exit_status(&e);
		}
	}
	text_term_printf(stdout, "profile %s against %s\n", pd->pr.file,
	                 cfg->against ? cfg->against : "kernel defaults");
	print_inputs(&pd->pr);
	return EXIT_PASS;
}

/* Which variants run under the profile.  Returns the exit status. */
static int plan_runs(struct pdiff *pd, struct profile_result *res)
{
	const struct profile_config *cfg = pd->cfg;
	struct err e;
	size_t runs;

	if (profile_plan_make(&pd->pr, cfg->against ? &pd->against : NULL, cfg->names, cfg->nnames,
	                      cfg->family, &pd->plan, &e) < 0) {
		if (pd->plan.bad) { /* a case name that matches nothing: cli/ points at it */
			res->profile.bad = e;
			res->profile.bad_value = pd->plan.bad;
			return EXIT_USAGE;
		}
		fprintf(stderr, "%s\n", e.msg);
		return err_exit_status(&e);
	}
	pd->planned = true;
	runs = pd->plan.nonly;
	printf("  %zu variant(s) under the profile: %zu run under it, %zu configured as a variant "
	       "the catalogue runs anyway (not run twice)\n",
	       pd->plan.nvariants, runs, pd->plan.nvariants - runs);
	return EXIT_PASS;
}

/* The two runs' configurations: the same cases and options; the baseline
 * the whole catalogue (under FILE2), the profile's only the variants it
 * changes; with -o DIR, DIR/baseline and DIR/profile instead of two runs
 * under results/. */
static void configure_runs(struct pdiff *pd)
{
	const struct profile_config *cfg = pd->cfg;

	memset(&pd->bo, 0, sizeof(pd->bo));
	pd->bo.names = cfg->names;
	pd->bo.nnames = cfg->nnames;
	pd->bo.parallel = cfg->parallel;
	pd->bo.family = cfg->family;
	pd->bo.color = cfg->color;
	pd->bo.profile = cfg->against ? &pd->against : NULL;
	pd->po = pd->bo;
	pd->po.profile = &pd->pr;
	pd->po.only = (const char *const *)pd->plan.only;
	pd->po.nonly = pd->plan.nonly;
	if (cfg->outdir) {
		snprintf(pd->base_out, sizeof(pd->base_out), "%s/baseline", cfg->outdir);
		snprintf(pd->prof_out, sizeof(pd->prof_out), "%s/profile", cfg->outdir);
		pd->bo.outdir = pd->base_out;
		pd->po.outdir = pd->prof_out;
	}
}

/* The baseline run in a child of its own (both runs go at once: most of
 * their time is kernel timers).  Its output goes to a memfd, no name in
 * /tmp that another user could plant a link at; its run_result to memory
 * shared with us.  Returns the exit status. */
static int start_baseline(struct pdiff *pd)
{
	pd->logfd = memfd_create("tcpconform-baseline", MFD_CLOEXEC);
	if (pd->logfd < 0) {
		perror("tcpconform: memfd_create");
		return EXIT_ENV;
	}
	pd->base_res = mmap(NULL, sizeof(*pd->base_res), PROT_READ | PROT_WRITE,
	                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (pd->base_res == MAP_FAILED) {
		pd->base_res = NULL;
		perror("tcpconform: mmap");
		return EXIT_ENV;
	}
	fflush(stdout);
	pd->pid = fork();
	if (pd->pid < 0) {
		perror("fork");
		return EXIT_ENV;
	}
	if (pd->pid > 0)
		return EXIT_PASS;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (dup2(pd->logfd, STDOUT_FILENO) < 0)
		_exit(EXIT_ENV);
	{
		int r = runner_run(&pd->bo, pd->base_res);

		fflush(stdout);
		_exit(r == EXIT_ENV ? EXIT_ENV : 0);
	}
}

/* A run's error names DIR/baseline or DIR/profile, made here and no
 * argument of the command line: it points at none (column 1). */
static void unpoint(struct run_result *res, const struct run_config *rc)
{
	if (res->bad_value && res->bad_value == rc->outdir)
		res->bad_value = NULL;
}

/* The baseline's end, and its results directory: the last line of its
 * output. */
static void wait_baseline(struct pdiff *pd, struct profile_result *res)
{
	int ws, rfd;
	FILE *f;
	char line[PATH_MAX + 16];

	while (waitpid(pd->pid, &ws, 0) < 0 && errno == EINTR)
		;
	pd->pid = -1;
	res->baseline = *pd->base_res;
	unpoint(&res->baseline, &pd->bo);
	rfd = lseek(pd->logfd, 0, SEEK_SET) == 0 ? dup(pd->logfd) : -1;
	f = rfd >= 0 ? fdopen(rfd, "r") : NULL;
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "results: ", 9) == 0) {
			line[strcspn(line, "\n")] = '\0';
			text_copy(pd->base_root, sizeof(pd->base_root), line + 9);
		}
	if (f)
		fclose(f);
	else if (rfd >= 0)
		close(rfd);
}

/* The baseline's run and the profile's, at once.  Returns the exit status:
 * EXIT_PASS or EXIT_UNEXPECTED when both left results to compare. */
static int run_both(struct pdiff *pd, struct profile_result *res)
{
	int rc = start_baseline(pd);

	if (rc != EXIT_PASS)
		return rc;
	printf("== the profile's run\n");
	rc = runner_run(&pd->po, &res->profile);
	unpoint(&res->profile, &pd->po);
	snprintf(pd->prof_root, sizeof(pd->prof_root), "%s", res->profile.root);
	wait_baseline(pd, res);
	if (rc == EXIT_USAGE || rc == EXIT_ENV || rc == 130 || !pd->base_root[0]) {
		if (!pd->base_root[0] && rc != 130)
			err_set(&res->stop, ERR_ENV, "the baseline run wrote no results");
		return rc == EXIT_PASS || rc == EXIT_UNEXPECTED ? EXIT_ENV : rc;
	}
	return rc;
}

/* What the profile changes, printed and as profile.json; NULL when no
 * memory is left. */
static json_t *compare_runs(struct pdiff *pd)
{
	const char *against = pd->cfg->against ? pd->cfg->against : "kernel defaults";
	char kernel[128];
	const char *from;
	json_t *report, *v;

	kernel_version(kernel, sizeof(kernel), &from);
	printf("\nbaseline (%s): %s\nprofile: %s\nboth runs at once: %.1f s\n", against,
	       pd->base_root, pd->prof_root, pd->wall_ms / 1e3);
	report = profile_answer(&pd->plan, pd->base_root, pd->prof_root, kernel, stdout);
	if (!report)
		return NULL;
	json_object_set_new(report, "profile", json_string(pd->pr.file));
	json_object_set_new(report, "against", json_string(against));
	json_object_set_new(report, "baseline_run", json_string(pd->base_root));
	json_object_set_new(report, "profile_run", json_string(pd->prof_root));
	json_object_set_new(report, "wall_ms", json_real(pd->wall_ms));
	json_object_set_new(report, "lines", profile_json(&pd->pr));
	json_object_set_new(report, "baseline_lines",
	                    pd->cfg->against ? profile_json(&pd->against) : json_null());
	v = json_object();
	json_object_set_new(v, "total", json_integer((json_int_t)pd->plan.nvariants));
	json_object_set_new(v, "run", json_integer((json_int_t)pd->plan.nonly));
	json_object_set_new(v, "same",
	                    json_integer((json_int_t)(pd->plan.nvariants - pd->plan.nonly)));
	json_object_set_new(report, "variants", v);
	return report;
}

/* The profile run's directory gets profile.json, and its report.html the
 * section "what the profile changes". */
static void write_report(struct pdiff *pd, json_t *report)
{
	struct err e;
	char *path = results_path(pd->prof_root, RESULTS_PROFILE, &e);
	int fd = path ? resdir_open(pd->prof_root, RESDIR_FOLLOW, &e) : -1;

	if (fd >= 0) {
		results_write_json(fd, RESULTS_PROFILE, path, report, 0, &e);
		close(fd);
	}
	free(path);
	if (report_write_run(pd->prof_root, &e) < 0)
		err_print(&e);
	printf("report: %s/report.html\n", pd->prof_root);
}

int profile_diff(const struct profile_config *cfg, struct profile_result *res)
{
	struct pdiff pd;
	json_t *report;
	int rc;

	memset(&pd, 0, sizeof(pd));
	memset(res, 0, sizeof(*res));
	pd.cfg = cfg;
	pd.logfd = -1;
	pd.pid = -1;
	rc = load_profiles(&pd);
	if (rc == EXIT_PASS)
		rc = plan_runs(&pd, res);
	if (rc == EXIT_PASS) {
		double t0 = clock_ms();

		configure_runs(&pd);
		rc = run_both(&pd, res);
		pd.wall_ms = clock_ms() - t0;
	}
	if (rc == EXIT_PASS || rc == EXIT_UNEXPECTED) {
		report = compare_runs(&pd);
		if (report) {
			/* 1 when a check of either run is not as expected. */
			rc = json_array_size(json_object_get(report, "unexpected")) ||
			             json_integer_value(
			                 json_object_get(report, "baseline_unexpected"))
			         ? EXIT_UNEXPECTED
			         : EXIT_PASS;
			write_report(&pd, report);
			json_decref(report);
		} else {
			rc = EXIT_ENV;
		}
	}
	if (pd.logfd >= 0)
		close(pd.logfd);
	if (pd.base_res)
		munmap(pd.base_res, sizeof(*pd.base_res));
	if (pd.planned)
		profile_plan_free(&pd.plan);
	profile_free(&pd.pr);
	profile_free(&pd.against);
	return rc;
}
