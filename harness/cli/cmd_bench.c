// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_bench.c - `tcpconform bench BENCHMARK [OPTIONS]`: the benchmarks'
 * table, and each one's options into its configuration struct (bench.h).
 */
#include <errno.h>
#include <getopt.h>
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

static int cmd_bench_topology(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"count", required_argument, NULL, 'n'},
	    {"ip-n", required_argument, NULL, 'i'},
	    {"shape", required_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct bench_topology_config cfg = {.n = 200, .nip = 20, .shape = TOPO_WIRE};
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if ((cfg.n = cmdline_positive("-n", optarg, 100000)) < 0)
				return EXIT_USAGE;
			break;
		case 'i':
			if ((cfg.nip = cmdline_positive("--ip-n", optarg, 100000)) < 0)
				return EXIT_USAGE;
			break;
		case 's':
			if (strcmp(optarg, "wire") == 0)
				cfg.shape = TOPO_WIRE;
			else if (strcmp(optarg, "direct") == 0)
				cfg.shape = TOPO_DIRECT;
			else
				return cmdline_bad(optarg, "--shape: '%s' is not wire or direct",
				                   optarg);
			break;
		case 'h':
			printf("usage: tcpconform bench topology [-n N] [--ip-n M] "
			       "[--shape wire|direct]\n");
			return EXIT_PASS;
		default:
			return cmdline_bad(argv[optind - 1], "unknown option '%s'",
			                   argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmdline_bad(argv[optind], "unexpected argument '%s'", argv[optind]);
	return bench_topology(&cfg);
}

static int cmd_bench_wire(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"count", required_argument, NULL, 'n'},
	    {"rate", no_argument, NULL, 'r'},
	    {"mb", required_argument, NULL, 'm'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct bench_wire_config cfg = {.n = 10000, .mb = 256};
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if ((cfg.n = cmdline_positive("-n", optarg, 10000000)) < 0)
				return EXIT_USAGE;
			break;
		case 'm':
			if ((cfg.mb = cmdline_positive("--mb", optarg, 100000)) < 0)
				return EXIT_USAGE;
			break;
		case 'r':
			cfg.rate = true;
			break;
		case 'h':
			printf("usage: tcpconform bench wire [-n ROUNDTRIPS] [--rate [--mb MB]]\n");
			return EXIT_PASS;
		default:
			return cmdline_bad(argv[optind - 1], "unknown option '%s'",
			                   argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmdline_bad(argv[optind], "unexpected argument '%s'", argv[optind]);
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

/* Returns 0, 1 after --help, or the exit status of a bad command line. */
static int mutants_opts(int argc, char **argv, struct bench_mutants_config *o)
{
	int rc;

	memset(o, 0, sizeof(*o));
	o->baseline_runs = 2;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool more = i + 1 < argc;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf("usage: tcpconform bench mutants src:PATH[:BUILDDIR] [--functions "
			       "F,...] "
			       "[--files FILE,...] [--sample N [--seed S] | --ids ID,...] [-o DIR] "
			       "[--list] [--baseline-runs N]\n");
			return 1;
		} else if (!strcmp(a, "--list")) {
			o->list = true;
		} else if ((!strcmp(a, "--functions") || !strcmp(a, "--files") ||
		            !strcmp(a, "--ids") || !strcmp(a, "-o") || !strcmp(a, "--sample") ||
		            !strcmp(a, "--seed") || !strcmp(a, "--baseline-runs")) &&
		           !more) {
			return cmdline_bad(a, "%s needs a value", a);
		} else if (!strcmp(a, "--functions")) {
			o->functions = argv[++i];
		} else if (!strcmp(a, "--files")) {
			o->files = argv[++i];
		} else if (!strcmp(a, "--ids")) {
			o->ids = argv[++i];
		} else if (!strcmp(a, "-o")) {
			o->outdir = argv[++i];
		} else if (!strcmp(a, "--sample")) {
			if ((o->sample = cmdline_positive(a, argv[++i], 1000000)) < 0)
				return EXIT_USAGE;
		} else if (!strcmp(a, "--seed")) {
			char *end;

			errno = 0;
			o->seed = strtoull(argv[++i], &end, 10);
			if (errno || *end || argv[i][0] == '-' || !argv[i][0])
				return cmdline_bad(argv[i], "--seed takes a decimal number");
		} else if (!strcmp(a, "--baseline-runs")) {
			long n = cmdline_positive(a, argv[++i], BENCH_MAX_BASELINE_RUNS);

			if (n < 0)
				return EXIT_USAGE;
			o->baseline_runs = (int)n;
		} else if (a[0] == '-') {
			return cmdline_bad(a, "unknown option '%s'", a);
		} else if ((rc = tree_arg(a, &o->spec, &o->k,
		                          "mutants need a kernel source tree: src:PATH")) != 0) {
			return rc;
		}
	}
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
	int rc = mutants_opts(argc, argv, &cfg);

	if (rc != 0)
		return rc == 1 ? EXIT_PASS : rc; /* 1: --help */
	return bench_mutants(&cfg);
}

static int cmd_bench_kernel_loop(int argc, char **argv)
{
	struct bench_kernel_loop_config cfg;
	const struct mutant *m = NULL;
	int rc;

	memset(&cfg, 0, sizeof(cfg));
	cfg.file = "net/ipv4/tcp_minisocks.c";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: tcpconform bench kernel-loop src:PATH[:BUILDDIR] [--file "
			       "FILE] [-o DIR]\n");
			return EXIT_PASS;
		} else if ((!strcmp(argv[i], "--file") || !strcmp(argv[i], "-o")) &&
		           i + 1 >= argc) {
			return cmdline_bad(argv[i], "%s needs a value", argv[i]);
		} else if (!strcmp(argv[i], "--file")) {
			cfg.file = argv[++i];
		} else if (!strcmp(argv[i], "-o")) {
			cfg.outdir = argv[++i];
		} else if (argv[i][0] == '-') {
			return cmdline_bad(argv[i], "unknown option '%s'", argv[i]);
		} else if ((rc = tree_arg(argv[i], &cfg.spec, &cfg.k,
		                          "kernel-loop needs a source tree: src:PATH")) != 0) {
			return rc;
		}
	}
	if (!cfg.spec)
		return cmdline_bad(argv[0], "bench kernel-loop needs src:PATH");
	if (strlen(cfg.file) >= sizeof(m->file) || strstr(cfg.file, ".."))
		return cmdline_bad(cfg.file, "--file: a C file of the tree, without '..'");
	return bench_kernel_loop(&cfg);
}

static const struct cmd bench_cmds[] = {
    {"topology", cmd_bench_topology, "[-n N] [--ip-n M] [--shape wire|direct]",
     "build and tear down N topologies; compare with ip(8)"},
    {"wire", cmd_bench_wire, "[-n ROUNDTRIPS] [--rate [--mb MB]]",
     "round-trip time and throughput through the wire vs direct"},
    {"kernel-loop", cmd_bench_kernel_loop, "src:PATH [--file FILE]",
     "a kernel developer's loop: incremental build, boot, catalogue"},
    {"mutants", cmd_bench_mutants, "src:PATH [--sample N --seed S] [--functions F,...] [--list]",
     "the catalogue's mutation score on a kernel tree"},
    {NULL, NULL, NULL, NULL},
};

int cmd_bench(int argc, char **argv)
{
	const struct cmd *c;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		printf("usage:\n");
		cmd_usage(stdout, "tcpconform bench", bench_cmds);
		return argc < 2 ? EXIT_USAGE : EXIT_PASS;
	}
	c = cmd_find(bench_cmds, argv[1]);
	if (!c)
		return cmdline_bad(argv[1], "unknown benchmark '%s'", argv[1]);
	return c->run(argc - 1, argv + 1);
}
