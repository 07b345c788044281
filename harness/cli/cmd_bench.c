// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_bench.c - `tcpconform bench BENCHMARK [OPTIONS]`: the benchmarks'
 * table, and each one's options into its configuration struct (bench.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "bench/bench.h"
#include "bench/mutant.h"
#include "cli/cmdline.h"
#include "cli/commands.h"
#include "host/topology.h"
#include "vm/kspec.h"

#define STR_(x) #x
#define STR(x)  STR_(x)

enum {
	B_IPN = 256,
	B_SHAPE,
	B_RATE,
	B_MB,
	B_FUNCTIONS,
	B_FILES,
	B_IDS,
	B_SAMPLE,
	B_SEED,
	B_LIST,
	B_BASELINE_RUNS,
	B_FILE,
	B_REACH,
	B_FIRST,
};

static const struct opt topology_opts[] = {
    {'n', 'n', "count", "N", "topologies to build and tear down, 1 to 100000", "200", 0},
    {B_IPN, 0, "ip-n", "M", "of them configured with ip(8) commands, 1 to 100000", "20", 0},
    {B_SHAPE, 0, "shape", "wire|direct", "two veth pairs and the wire, or one pair", "wire", 0},
    {0, 0, NULL, NULL, NULL, NULL, 0},
};

static int cmd_bench_topology(int argc, char **argv)
{
	struct bench_topology_config cfg = {.n = 200, .nip = 20, .shape = TOPO_WIRE};
	struct cmdline cl;
	int c;

	cmdline_start(&cl, topology_opts, NULL, argc, argv);
	while ((c = cmdline_next(&cl)) > 0) {
		switch (c) {
		case 'n':
			if ((cfg.n = cmdline_positive("-n", cl.val, 100000)) < 0)
				return EXIT_USAGE;
			break;
		case B_IPN:
			if ((cfg.nip = cmdline_positive("--ip-n", cl.val, 100000)) < 0)
				return EXIT_USAGE;
			break;
		case B_SHAPE:
			if (strcmp(cl.val, "wire") == 0)
				cfg.shape = TOPO_WIRE;
			else if (strcmp(cl.val, "direct") == 0)
				cfg.shape = TOPO_DIRECT;
			else
				return cmdline_bad(cl.val, "--shape: '%s' is not wire or direct",
				                   cl.val);
			break;
		}
	}
	if (c != CMDLINE_END)
		return c == CMDLINE_HELP ? EXIT_PASS : EXIT_USAGE;
	if (cl.nops)
		return cmdline_bad(argv[1], "unexpected argument '%s'", argv[1]);
	return bench_topology(&cfg);
}

static const struct opt variant_opts[] = {
    {'n', 'n', "runs", "N", "runs of the case, one variant at a time, 1 to 10000", "20", 0},
    {0, 0, NULL, NULL, NULL, NULL, 0},
};

static int cmd_bench_variant(int argc, char **argv)
{
	struct bench_variant_config cfg = {.n = 20, .cas = "refused"};
	struct cmdline cl;
	int c;

	cmdline_start(&cl, variant_opts, NULL, argc, argv);
	while ((c = cmdline_next(&cl)) > 0)
		if (c == 'n' && (cfg.n = cmdline_positive("-n", cl.val, 10000)) < 0)
			return EXIT_USAGE;
	if (c != CMDLINE_END)
		return c == CMDLINE_HELP ? EXIT_PASS : EXIT_USAGE;
	if (cl.nops > 1)
		return cmdline_bad(argv[2], "bench variant: one case, not '%s'", argv[2]);
	if (cl.nops == 1)
		cfg.cas = argv[1];
	return bench_variant(&cfg);
}

static const struct opt wire_opts[] = {
    {'n', 'n', "count", "ROUNDTRIPS", "1-byte round trips, 1 to 10000000", "10000", 0},
    {B_RATE, 0, "rate", NULL, "measure one bulk transfer instead", NULL, 0},
    {B_MB, 0, "mb", "MB", "the bulk transfer's size (--rate), 1 to 100000", "256", 0},
    {0, 0, NULL, NULL, NULL, NULL, 0},
};

static int cmd_bench_wire(int argc, char **argv)
{
	struct bench_wire_config cfg = {.n = 10000, .mb = 256};
	struct cmdline cl;
	int c;

	cmdline_start(&cl, wire_opts, NULL, argc, argv);
	while ((c = cmdline_next(&cl)) > 0) {
		switch (c) {
		case 'n':
			if ((cfg.n = cmdline_positive("-n", cl.val, 10000000)) < 0)
				return EXIT_USAGE;
			break;
		case B_MB:
			if ((cfg.mb = cmdline_positive("--mb", cl.val, 100000)) < 0)
				return EXIT_USAGE;
			break;
		case B_RATE:
			cfg.rate = true;
			break;
		}
	}
	if (c != CMDLINE_END)
		return c == CMDLINE_HELP ? EXIT_PASS : EXIT_USAGE;
	if (cl.nops)
		return cmdline_bad(argv[1], "unexpected argument '%s'", argv[1]);
	return bench_wire(&cfg);
}

/* src:PATH[:BUILDDIR], the one kernel tree of mutants and kernel-loop:
 * 0, or the exit status after a command-line error. */
static int tree_arg(const char *a, const char **spec, struct kspec *k, const char *need)
{
	size_t bad;
	struct err e;

	if (*spec)
		return cmdline_bad(a, "one kernel tree only");
	*spec = a;
	if (kspec_parse(a, k, &bad, &e) < 0)
		return cmdline_bad(a + bad, "%s", e.msg);
	if (k->kind != KSPEC_SRC)
		return cmdline_bad(a, "%s", need);
	return 0;
}

static const struct opt mutants_opts[] = {
    {B_FUNCTIONS, 0, "functions", "F,...", "mutate these functions", "fixtures/mutants/scope's", 0},
    {B_FILES, 0, "files", "FILE,...", "mutate these files of the tree", "the scope's", 0},
    {B_SAMPLE, 0, "sample", "N", "a uniform sample of N points, 1 to 1000000", "every point", 0},
    {B_SEED, 0, "seed", "S", "the sample's seed, a decimal number", "0", 0},
    {B_IDS, 0, "ids", "ID,...", "exactly these mutants (not with --sample)", NULL, 0},
    {B_REACH, 0, "reach", "FILE",
     "a reach.json of bench reach: each mutant's line count beside its outcome", NULL, 0},
    {B_FIRST, 0, "first", "CASE,...",
     "start these cases first in every guest (only the order changes: the cases written "
     "against --ids)",
     NULL, 0},
    {'o', 'o', "output", "DIR", "the results directory", "results/mutants-seedS-nN", 0},
    {B_LIST, 0, "list", NULL,
     "list the points per function and operator (with --sample or --ids: each chosen mutant), "
     "build nothing",
     NULL, 0},
    {B_BASELINE_RUNS, 0, "baseline-runs", "N",
     "runs of the unmutated kernel, 1 to " STR(BENCH_MAX_BASELINE_RUNS), "2", 0},
    {0, 0, NULL, NULL, NULL, NULL, 0},
};

/* Returns 0, 1 after --help, or the exit status of a bad command line. */
static int mutants_opts_read(int argc, char **argv, struct bench_mutants_config *o)
{
	struct cmdline cl;
	int c, rc;

	memset(o, 0, sizeof(*o));
	o->baseline_runs = 2;
	cmdline_start(&cl, mutants_opts, NULL, argc, argv);
	while ((c = cmdline_next(&cl)) > 0) {
		const char *v = cl.val;

		switch (c) {
		case B_LIST:
			o->list = true;
			break;
		case B_FUNCTIONS:
			o->functions = v;
			break;
		case B_FILES:
			o->files = v;
			break;
		case B_IDS:
			o->ids = v;
			break;
		case B_REACH:
			o->reach = v;
			break;
		case B_FIRST:
			o->first = v;
			break;
		case 'o':
			o->outdir = v;
			break;
		case B_SAMPLE:
			if ((o->sample = cmdline_positive("--sample", v, 1000000)) < 0)
				return EXIT_USAGE;
			break;
		case B_SEED: {
			char *end;

			errno = 0;
			o->seed = strtoull(v, &end, 10);
			if (errno || *end || v[0] == '-' || !v[0])
				return cmdline_bad(v, "--seed takes a decimal number");
			break;
		}
		case B_BASELINE_RUNS: {
			long n = cmdline_positive("--baseline-runs", v, BENCH_MAX_BASELINE_RUNS);

			if (n < 0)
				return EXIT_USAGE;
			o->baseline_runs = (int)n;
			break;
		}
		}
	}
	if (c != CMDLINE_END)
		return c == CMDLINE_HELP ? 1 : EXIT_USAGE;
	for (int i = 1; i <= cl.nops; i++)
		if ((rc = tree_arg(argv[i], &o->spec, &o->k,
		                   "mutants need a kernel source tree: src:PATH")) != 0)
			return rc;
	if (!o->spec)
		return cmdline_bad(argv[0], "bench mutants needs src:PATH");
	if (o->ids && o->sample)
		return cmdline_bad(argv[0],
		                   "--ids and --sample choose the mutants two ways: one of them");
	return 0;
}

static int cmd_bench_mutants(int argc, char **argv)
{
	struct bench_mutants_config cfg;
	int rc = mutants_opts_read(argc, argv, &cfg);

	if (rc != 0)
		return rc == 1 ? EXIT_PASS : rc; /* 1: --help */
	return bench_mutants(&cfg);
}

static const struct opt kernel_loop_opts[] = {
    {B_FILE, 0, "file", "FILE", "the C file of the tree edited", "net/ipv4/tcp_minisocks.c", 0},
    {'o', 'o', "output", "DIR", "the results directory", "results/kernel-loop", 0},
    {0, 0, NULL, NULL, NULL, NULL, 0},
};

static int cmd_bench_kernel_loop(int argc, char **argv)
{
	struct bench_kernel_loop_config cfg;
	const struct mutant *m = NULL;
	struct cmdline cl;
	int c, rc;

	memset(&cfg, 0, sizeof(cfg));
	cfg.file = "net/ipv4/tcp_minisocks.c";
	cmdline_start(&cl, kernel_loop_opts, NULL, argc, argv);
	while ((c = cmdline_next(&cl)) > 0) {
		if (c == B_FILE)
			cfg.file = cl.val;
		else
			cfg.outdir = cl.val;
	}
	if (c != CMDLINE_END)
		return c == CMDLINE_HELP ? EXIT_PASS : EXIT_USAGE;
	if (cl.nops >= 1 && (rc = tree_arg(argv[1], &cfg.spec, &cfg.k,
	                                   "kernel-loop needs a source tree: src:PATH")) != 0)
		return rc;
	if (!cfg.spec)
		return cmdline_bad(argv[0], "bench kernel-loop needs src:PATH");
	/* the cases after the tree, checked by the vm before its boot */
	cfg.cases = argv + 2;
	cfg.ncases = cl.nops > 1 ? (size_t)(cl.nops - 1) : 0;
	if (strlen(cfg.file) >= sizeof(m->file) || strstr(cfg.file, ".."))
		return cmdline_bad(cfg.file, "--file: a C file of the tree, without '..'");
	return bench_kernel_loop(&cfg);
}

static const struct opt reach_opts[] = {
    {B_FUNCTIONS, 0, "functions", "F,...", "count these functions' points",
     "fixtures/mutants/scope's", 0},
    {B_FILES, 0, "files", "FILE,...", "count these files of the tree", "the scope's", 0},
    {'o', 'o', "output", "DIR", "the results directory", "results/reach", 0},
    {0, 0, NULL, NULL, NULL, NULL, 0},
};

static int cmd_bench_reach(int argc, char **argv)
{
	struct bench_reach_config cfg;
	struct cmdline cl;
	int c, rc;

	memset(&cfg, 0, sizeof(cfg));
	cmdline_start(&cl, reach_opts, NULL, argc, argv);
	while ((c = cmdline_next(&cl)) > 0) {
		if (c == B_FUNCTIONS)
			cfg.functions = cl.val;
		else if (c == B_FILES)
			cfg.files = cl.val;
		else
			cfg.outdir = cl.val;
	}
	if (c != CMDLINE_END)
		return c == CMDLINE_HELP ? EXIT_PASS : EXIT_USAGE;
	if (cl.nops >= 1 &&
	    (rc = tree_arg(argv[1], &cfg.spec, &cfg.k, "reach needs a source tree: src:PATH")) != 0)
		return rc;
	if (!cfg.spec)
		return cmdline_bad(argv[0], "bench reach needs src:PATH");
	/* the cases after the tree, checked by the vm before its boot */
	cfg.cases = argv + 2;
	cfg.ncases = cl.nops > 1 ? (size_t)(cl.nops - 1) : 0;
	return bench_reach(&cfg);
}

const struct cmd bench_cmds[] = {
    {.name = "topology",
     .run = cmd_bench_topology,
     .args = "",
     .help = "build and tear down N topologies; compare with ip(8)",
     .opts = topology_opts},
    {.name = "wire",
     .run = cmd_bench_wire,
     .args = "",
     .help = "round-trip time and throughput through the wire vs direct",
     .opts = wire_opts},
    {.name = "variant",
     .run = cmd_bench_variant,
     .args = "[CASE]",
     .help = "a variant's fixed cost, phase by phase (default case: refused)",
     .opts = variant_opts},
    {.name = "kernel-loop",
     .run = cmd_bench_kernel_loop,
     .args = "src:PATH[:BUILDDIR] [CASE...]",
     .help = "a kernel developer's loop: incremental build, boot, catalogue (or the cases named)",
     .opts = kernel_loop_opts},
    {.name = "mutants",
     .run = cmd_bench_mutants,
     .args = "src:PATH[:BUILDDIR]",
     .help = "the catalogue's mutation score on a kernel tree",
     .opts = mutants_opts},
    {.name = "reach",
     .run = cmd_bench_reach,
     .args = "src:PATH [CASE...]",
     .help = "which mutation points the catalogue executes (a kernel built with gcov)",
     .opts = reach_opts},
    {.name = NULL},
};

int cmd_bench(int argc, char **argv)
{
	const struct cmd *c;

	if (argc < 2 || argv[1][0] == '-') {
		if (argc < 2)
			fprintf(stderr,
			        "tcpconform bench: which benchmark? (tcpconform bench --help)\n");
		else
			return cmdline_bad(argv[1], "unknown option '%s' (a benchmark first)",
			                   argv[1]);
		return EXIT_USAGE;
	}
	c = cmd_find(bench_cmds, argv[1]);
	if (!c)
		return cmdline_bad(argv[1], "unknown benchmark '%s'", argv[1]);
	return c->run(argc - 1, argv + 1);
}
