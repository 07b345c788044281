// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench_variant.c - `tcpconform bench variant [-n N] [CASE]`: the fixed
 * cost of a variant, and where it goes.
 *
 * Runs CASE (default refused: one connect, a few observations) N times,
 * one variant at a time (-j 1), each run a real one into a directory of
 * its own, then reads what each variant recorded: its phases (observed.json
 * "phases_ms", run/player.h: address block, topology, sysctls, tracer,
 * counters, wire start, steps, close, wire stop, events, finish) and its
 * wall time as the runner saw it (summary.json: fork to its results
 * collected).  The rest, the runner's wall less the variant's own, is the
 * fork, the child's start and the collection of its results.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/dirs.h"
#include "base/resdir.h"
#include "bench/bench.h"
#include "out/results.h"
#include "run/player.h"
#include "run/runner.h"

#define NROWS (PHASE_N + 4)

/* One variant's figures into @rows: its phases, its own wall, the
 * runner's. */
static int add_variant(struct samples *rows, json_t *obs, double job_ms)
{
	json_t *ph = json_object_get(obs, "phases_ms");
	double wall = json_real_value(json_object_get(obs, "wall_ms"));
	double steps = json_real_value(json_object_get(ph, "steps"));
	int r = 0;

	for (int i = 0; i < PHASE_N; i++)
		r |= samples_add(&rows[i], json_real_value(json_object_get(ph, phase_names[i])));
	r |= samples_add(&rows[PHASE_N], wall);
	r |= samples_add(&rows[PHASE_N + 1], job_ms - wall);
	r |= samples_add(&rows[PHASE_N + 2], job_ms);
	r |= samples_add(&rows[PHASE_N + 3], job_ms - steps);
	return r;
}

/* The variants of the run in @dir into @s (at most @max in all). */
static int read_run(const char *dir, struct samples *rows, struct err *e)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	json_t *sum, *vs, *v;
	size_t i;

	if (fd < 0)
		return err_sys(e, "opening %s", dir);
	sum = results_read_json(fd, RESULTS_SUMMARY, "summary.json", e);
	if (!sum) {
		close(fd);
		return -1;
	}
	vs = json_object_get(sum, "variants");
	json_array_foreach(vs, i, v)
	{
		const char *c = json_string_value(json_object_get(v, "case"));
		const char *n = json_string_value(json_object_get(v, "variant"));
		int vfd;
		json_t *obs;

		if (!c || !n)
			continue;
		vfd = resdir_variant(fd, c, n, false, e);
		if (vfd < 0)
			continue;
		obs = results_read_observed(vfd, e);
		close(vfd);
		if (obs && json_object_get(obs, "phases_ms") &&
		    add_variant(rows, obs, json_real_value(json_object_get(v, "wall_ms"))) < 0) {
			json_decref(obs);
			json_decref(sum);
			close(fd);
			return err_set(e, ERR_SYSTEM, "out of memory");
		}
		json_decref(obs);
	}
	json_decref(sum);
	close(fd);
	return 0;
}

/* One run of the case into @dir, its progress lines not shown. */
static int run_once(const struct bench_variant_config *cfg, const char *dir)
{
	char *names[] = {(char *)cfg->cas, NULL};
	struct run_config rc = {.names = names, .nnames = 1, .parallel = 1, .outdir = dir};
	struct run_result res;
	int out = dup(STDOUT_FILENO), null = open("/dev/null", O_WRONLY | O_CLOEXEC), r;

	fflush(stdout);
	if (null >= 0)
		dup2(null, STDOUT_FILENO);
	r = runner_run(&rc, &res);
	fflush(stdout);
	if (out >= 0) {
		dup2(out, STDOUT_FILENO);
		close(out);
	}
	if (null >= 0)
		close(null);
	if (res.bad.kind != ERR_NONE)
		fprintf(stderr, "bench variant: %s\n", res.bad.msg);
	return r;
}

static void print_table(struct samples *rows)
{
	static const char *const extra[] = {"the variant's own wall", "fork, start, collection",
	                                    "the runner's wall", "overhead (wall less steps)"};

	printf("%-28s %9s %9s %9s\n", "phase (ms)", "median", "p90", "max");
	for (int i = 0; i < NROWS; i++) {
		const char *name = i < PHASE_N ? phase_names[i] : extra[i - PHASE_N];

		if (i == PHASE_N)
			printf("%-28s\n", "--");
		printf("%-28s %9.2f %9.2f %9.2f\n", name, samples_quantile(&rows[i], 0.5),
		       samples_quantile(&rows[i], 0.9), samples_max(&rows[i]));
	}
}

int bench_variant(const struct bench_variant_config *cfg)
{
	char tmp[] = "/tmp/tcpconform-bench-variant-XXXXXX", dir[64];
	struct samples rows[NROWS];
	struct err e;
	int rc = EXIT_PASS, i;
	bool made;

	memset(rows, 0, sizeof(rows));
	if (!(made = mkdtemp(tmp) != NULL)) {
		perror("bench variant: mkdtemp");
		rc = EXIT_ENV;
	}
	for (i = 0; rc == EXIT_PASS && i < cfg->n; i++) {
		int r;

		snprintf(dir, sizeof(dir), "%s/%d", tmp, i);
		r = run_once(cfg, dir);
		if (r != EXIT_PASS && r != EXIT_UNEXPECTED) {
			fprintf(stderr, "bench variant: run %d of %s exited %d\n", i + 1, cfg->cas,
			        r);
			rc = r;
		} else if (read_run(dir, rows, &e) < 0) {
			err_print(&e);
			rc = EXIT_ENV;
		}
		dirs_remove(dir);
	}
	if (rows[0].n) {
		printf("bench variant: %s, %ld run(s) at -j 1, %zu variant(s)\n", cfg->cas, cfg->n,
		       rows[0].n);
		print_table(rows);
		printf("variants=%zu own_wall_median_ms=%.2f runner_wall_median_ms=%.2f "
		       "overhead_median_ms=%.2f\n",
		       rows[0].n, samples_quantile(&rows[PHASE_N], 0.5),
		       samples_quantile(&rows[PHASE_N + 2], 0.5),
		       samples_quantile(&rows[PHASE_N + 3], 0.5));
	}
	if (made)
		dirs_remove(tmp);
	for (i = 0; i < NROWS; i++)
		samples_free(&rows[i]);
	return rc;
}
