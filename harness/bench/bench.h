/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bench.h - `tcpconform bench ...`: the project's own performance figures.
 *
 * Each benchmark prints human-readable lines and ends with key=value lines
 * that scripts and notes quote.
 */
#ifndef TC_BENCH_H
#define TC_BENCH_H

#include <stdbool.h>
#include <stddef.h>

#include "host/topology.h"
#include "vm/kspec.h"

/* Each benchmark takes what cli/cmd_bench.c parsed and returns the exit
 * status, its errors said on stderr. */

/* `bench topology`: @n topologies built and torn down by the harness,
 * @nip with ip(8) commands, interleaved. */
struct bench_topology_config {
	long n, nip;
	enum topo_shape shape;
};
int bench_topology(const struct bench_topology_config *cfg);

/* `bench wire`: @n round trips through the wire and direct, or with @rate
 * @mb MiB of bulk transfer. */
struct bench_wire_config {
	long n, mb;
	bool rate;
};
int bench_wire(const struct bench_wire_config *cfg);

/* `bench variant`: the fixed cost of a variant of case @cas, by phase,
 * over @n runs at -j 1. */
struct bench_variant_config {
	long n;
	const char *cas;
};
int bench_variant(const struct bench_variant_config *cfg);

/* `bench mutants`: the catalogue's mutation score on a kernel tree. */
#define BENCH_MAX_BASELINE_RUNS 5
struct bench_mutants_config {
	const char *spec;      /* src:PATH[:BUILDDIR] as given */
	struct kspec k;        /* parsed: a source tree */
	const char *functions; /* --functions a,b */
	const char *files;     /* --files a.c,b.c */
	const char *ids;       /* --ids ID,...: exactly these mutants (a run's survivors) */
	const char *reach;     /* --reach FILE: bench reach's reach.json */
	const char *first;     /* --first CASE,...: started first in every guest */
	long sample;           /* 0: all */
	unsigned long long seed;
	const char *outdir;
	bool list;
	int baseline_runs; /* 1 to BENCH_MAX_BASELINE_RUNS */
};
int bench_mutants(const struct bench_mutants_config *cfg);

/* `bench kernel-loop`: a kernel developer's loop, timed, with @file (a C
 * file of the tree, shorter than struct mutant's, without "..") as the
 * file edited. */
struct bench_kernel_loop_config {
	const char *spec; /* src:PATH[:BUILDDIR] as given */
	struct kspec k;   /* parsed: a source tree */
	const char *file;
	const char *outdir;
	char *const *cases; /* the cases the loop runs (argv), all when ncases is 0 */
	size_t ncases;
};
int bench_kernel_loop(const struct bench_kernel_loop_config *cfg);

/* `bench reach`: the kernel built with gcov in the scope's files, the
 * catalogue (or @cases) run on it once, each mutation point's line count. */
struct bench_reach_config {
	const char *spec;      /* src:PATH[:BUILDDIR] as given */
	struct kspec k;        /* parsed: a source tree */
	const char *functions; /* --functions a,b */
	const char *files;     /* --files a.c,b.c */
	const char *outdir;
	char *const *cases;
	size_t ncases;
};
int bench_reach(const struct bench_reach_config *cfg);

/* Sample sets in milliseconds (or any unit). */
struct samples {
	double *v;
	size_t n, cap;
};
int samples_add(struct samples *s, double v);
/* Sorts in place; q in [0,1]; nearest-rank. */
double samples_quantile(struct samples *s, double q);
double samples_min(struct samples *s);
double samples_max(struct samples *s);
void samples_free(struct samples *s);

#endif
