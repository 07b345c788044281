// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_vm.c - `tcpconform vm --kernel SPEC | --kernels SPEC,... [OPTIONS]
 * [RUN-OPTIONS] [CASE...]`: the options into a struct vm_config, every
 * kernel spec parsed (a bad one is a command-line error that points at it),
 * then one VM (vm_run()) or a matrix of them (vm_matrix()).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "base/text.h"
#include "cli/cmdline.h"
#include "cli/commands.h"
#include "host/profile.h"
#include "run/catalogue.h"
#include "vm/accel.h"
#include "vm/kspec.h"
#include "vm/matrix.h"
#include "vm/vm.h"

enum {
	VM_KERNEL = 300,
	VM_KERNELS,
	VM_VMS,
	VM_LIST,
	VM_TIMEOUT,
	VM_BOOT_TIMEOUT,
	VM_MEMORY,
	VM_ACCEL,
	VM_STOP_ON_STALL,
	VM_PANIC_ON_WARN
};

const struct opt vm_opts[] = {
    {VM_KERNEL, 0, "kernel", "SPEC", "boot this kernel (SPEC below)", NULL, 0},
    {VM_KERNELS, 0, "kernels", "SPEC,...",
     "each kernel in its own run (host: this one, with run), several at once, then the "
     "matrix and the diffs",
     NULL, 0},
    {VM_VMS, 0, "vms", "N",
     "--kernels: runs at once, 1 to 16 (default one per CPU, as memory allows)", NULL, 0},
    {'o', 'o', "output", "DIR",
     "the results directory (--kernel); with --kernels, the directory that gets one per "
     "kernel, their logs, matrix.html and the diffs",
     "results/RUN-ID", 0},
    {VM_LIST, 0, "list-kernels", NULL,
     "list Debian's kernels in every suite, newest first (= --kernel debian:list)", NULL, 0},
    {VM_TIMEOUT, 0, "timeout", "S", "from the first scenario to the end of the run, seconds",
     "1800", 0},
    {VM_BOOT_TIMEOUT, 0, "boot-timeout", "S", "from qemu's start to /init, seconds", "120", 0},
    {VM_MEMORY, 0, "memory", "MB", "the guest's memory", "1024", 0},
    {VM_ACCEL, 0, "accel", "auto|kvm|tcg", "KVM or TCG; auto: KVM when a test guest runs", "auto",
     0},
    {VM_STOP_ON_STALL, 0, "stop-on-stall", NULL,
     "stop the guest, as after a panic, once its kernel reports an RCU stall, a soft lockup, "
     "a hung task or a device a closed namespace cannot free (bench mutants: such a kernel "
     "is broken)",
     "wait for the run's time limit", 0},
    {VM_PANIC_ON_WARN, 0, "panic-on-warn", NULL,
     "boot with panic_on_warn=1: a kernel warning (WARN_ON(), a refcount_t underflow) is a "
     "panic, as in syzbot's kernels; a warning is a bug the kernel found in itself (bench "
     "mutants passes it)",
     "a warning is only logged", 0},
    {0, 0, NULL, NULL, NULL, NULL, 0},
};

struct vm_args {
	struct vm_config cfg;
	const char *kernels; /* --kernels */
	const char *vms;     /* --vms, as typed */
	bool list;           /* --list-kernels */
};

/* One of vm's own options into @va: 0, or the exit status of a bad value. */
static int vm_option(const struct cmdline *cl, struct vm_args *va)
{
	struct vm_config *o = &va->cfg;
	const char *v = cl->val;
	char name[40];
	long n;

	switch (cl->o->id) {
	case VM_KERNEL:
		o->kernel = v;
		return 0;
	case VM_KERNELS:
		va->kernels = v;
		return 0;
	case VM_LIST:
		va->list = true;
		return 0;
	case VM_STOP_ON_STALL:
		o->stop_on_stall = true;
		return 0;
	case VM_PANIC_ON_WARN:
		o->panic_on_warn = true;
		return 0;
	case 'o':
		o->outdir = v;
		return 0;
	case VM_ACCEL:
		if (accel_parse(v, &o->accel) < 0)
			return cmdline_bad(v, "--accel: want auto, kvm or tcg, not '%s'", v);
		return 0;
	}
	snprintf(name, sizeof(name), "--%s", cl->o->lng);
	n = cmdline_positive(name, v, 36000);
	if (n < 0)
		return EXIT_USAGE;
	if (cl->o->id == VM_VMS) {
		if (n > 16)
			return cmdline_bad(v, "--vms: at most 16, not '%s'", v);
		o->vms = (int)n;
		va->vms = cl->arg;
	} else if (cl->o->id == VM_TIMEOUT)
		o->timeout_s = (int)n;
	else if (cl->o->id == VM_BOOT_TIMEOUT)
		o->boot_timeout_s = (int)n;
	else
		o->memory_mb = (int)n;
	return 0;
}

/* --slip-limit for a guest's run when none is given, in ms.  Under TCG on
 * 2 CPUs, with stress-ng --cpu 2 on the host, the catalogue at 16 at once
 * failed 11 checks without it (timers up to 2.3 s late, 1078 s) and 4
 * with it (745 s); the host's own run keeps none: there it only cost time
 * (57 s without, 70 s at 20 ms) and changed no verdict (README). */
#define VM_SLIP_LIMIT "100"

/* run's options and the case names, checked here as `run` checks them,
 * before any kernel is fetched or booted, then handed to the guest's run
 * (o->pass).  Returns 0, or the exit status of a bad command line. */
static int parse_opts(int argc, char **argv, struct vm_args *va)
{
	struct vm_config *o = &va->cfg;
	struct run_args ra;
	struct catalogue cat;
	struct cmdline cl;
	struct err e;
	int c, i;
	bool dash = false, slip_given = false;

	o->boot_timeout_s = 120;
	o->timeout_s = 0;
	o->memory_mb = 1024;
	o->pass = calloc((size_t)argc + 3, sizeof(*o->pass));
	if (!o->pass)
		return EXIT_ENV;
	run_args_init(&ra);
	cmdline_start(&cl, vm_opts, run_opts, argc, argv);
	while ((c = cmdline_next(&cl)) > 0) {
		if (!cl.inherited) {
			if ((c = vm_option(&cl, va)) != 0)
				return c;
			continue;
		}
		if (cl.o->flags & OPT_HOST_ONLY)
			return cmdline_bad(cl.arg,
			                   "vm: --%s is for runs on the host (tcpconform run), "
			                   "not in a guest",
			                   cl.o->lng);
		if (run_option(&cl, &ra) != 0)
			return EXIT_USAGE;
		if (strcmp(cl.o->lng, "color") == 0)
			continue; /* decided here, below */
		slip_given |= strcmp(cl.o->lng, "slip-limit") == 0;
		/* As typed: the guest's run reads it with the same table. */
		o->pass[o->npass++] = (char *)cl.arg;
		if (cl.apart)
			o->pass[o->npass++] = (char *)cl.val;
	}
	if (c != CMDLINE_END)
		return c == CMDLINE_HELP ? -1 : EXIT_USAGE;
	if (va->list && (o->kernel || va->kernels))
		return cmdline_bad(argv[0],
		                   "vm: --list-kernels lists, it boots nothing: give it alone");
	if (va->list)
		o->kernel = "debian:list";
	if (!o->kernel == !va->kernels)
		return cmdline_bad(argv[0],
		                   "vm: give --kernel SPEC, --kernels SPEC,SPEC or --list-kernels");
	if (o->vms && !va->kernels)
		return cmdline_bad(va->vms, "vm: --vms is for --kernels");
	/* The guest's lines come out on our stdout: coloured as ours would be. */
	ra.cfg.color = color_choice(ra.cfg.color);
	if (ra.cfg.color == RUN_COLOR_AUTO)
		ra.cfg.color = isatty(STDOUT_FILENO) ? RUN_COLOR_ALWAYS : RUN_COLOR_NEVER;
	o->pass[o->npass++] = ra.cfg.color == RUN_COLOR_ALWAYS ? "--color=always" : "--color=never";
	/* A guest (not the host's run in a matrix) holds its starts while its
	 * timers run late, unless told otherwise: VM_SLIP_LIMIT. */
	if (o->kernel && !slip_given)
		o->pass[o->npass++] = "--slip-limit=" VM_SLIP_LIMIT;
	/* A profile parses here; the guest's kernel checks its lines (a
	 * relative path reaches the guest's copy of cases/ and fixtures/). */
	if (ra.profile_path) {
		struct profile pr;

		if (profile_load(ra.profile_path, &pr, &e) < 0) {
			fprintf(stderr, "%s\n", e.msg);
			return err_exit_status(&e);
		}
		profile_free(&pr);
	}
	/* The guest has the same cases (the initramfs holds this catalogue). */
	if (catalogue_find(&cat, argv + 1, cl.nops, &e) < 0) {
		if (cat.bad)
			return cmdline_bad(cat.bad, "%s", e.msg);
		fprintf(stderr, "%s\n", e.msg);
		return err_exit_status(&e);
	}
	catalogue_free(&cat);
	for (i = 1; i <= cl.nops; i++)
		dash = dash || argv[i][0] == '-';
	if (dash)
		o->pass[o->npass++] = "--";
	for (i = 1; i <= cl.nops; i++)
		o->pass[o->npass++] = argv[i];
	return 0;
}

/* --kernels SPEC,SPEC,...: every spec parses before anything runs. */
static int parse_kernels(const char *kernels, struct vm_kernel *ks, int *n)
{
	char *list = strdup(kernels), *tok, *save = NULL;
	int rc = EXIT_PASS;

	if (!list)
		return EXIT_ENV;
	*n = 0;
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		struct kspec k;
		struct err e;
		size_t bad;

		if (*n == VM_MAX_KERNELS) {
			rc = cmdline_bad(kernels, "--kernels: at most 16 kernels");
			break;
		}
		if (kspec_parse(tok, &k, &bad, &e) < 0) {
			rc = cmdline_bad(kernels + (tok - list) + bad, "--kernels: %s", e.msg);
			break;
		}
		if (k.kind == KSPEC_DEBIAN_LIST) {
			rc = cmdline_bad(kernels + (tok - list),
			                 "--kernels: debian:list lists kernels, it is not one "
			                 "(tcpconform vm --list-kernels)");
			break;
		}
		for (int j = 0; j < *n; j++)
			if (strcmp(ks[j].label, k.label) == 0)
				rc = cmdline_bad(kernels + (tok - list),
				                 "--kernels: %s is given twice (as %s)", k.label,
				                 ks[j].spec);
		if (rc != EXIT_PASS)
			break;
		text_copy(ks[*n].label, sizeof(ks[*n].label), k.label);
		text_copy(ks[*n].spec, sizeof(ks[*n].spec), tok);
		ks[*n].host = k.kind == KSPEC_HOST;
		(*n)++;
	}
	free(list);
	return rc;
}

static int one_kernel(struct vm_config *o)
{
	struct vm_result res;
	struct kspec k;
	struct err e;
	size_t bad;

	if (kspec_parse(o->kernel, &k, &bad, &e) < 0)
		return cmdline_bad(o->kernel + bad, "--kernel: %s", e.msg);
	if (k.kind == KSPEC_HOST)
		return cmdline_bad(o->kernel, "--kernel host: use `tcpconform run`");
	if (k.kind == KSPEC_DEBIAN_LIST) {
		if (kspec_list(&k, stdout, &e) < 0) {
			err_print(&e);
			return err_exit_status(&e);
		}
		return EXIT_PASS;
	}
	if (!o->timeout_s)
		o->timeout_s = 1800;
	if (vm_run(o, &k, &res, &e) < 0) {
		err_print(&e);
		return res.rc;
	}
	printf("vm %s: boot to first scenario %.1f s, catalogue %.1f s, VM in all %.1f s\n"
	       "results: %s\n",
	       o->kernel, res.boot_ms / 1e3, res.run_ms / 1e3, res.wall_ms / 1e3, res.dir);
	return res.rc;
}

int cmd_vm(int argc, char **argv)
{
	struct vm_kernel ks[VM_MAX_KERNELS];
	struct vm_args va;
	int rc, n;

	memset(&va, 0, sizeof(va));
	rc = parse_opts(argc, argv, &va);
	if (rc != 0) {
		rc = rc < 0 ? EXIT_PASS : rc; /* -1: --help */
	} else if (va.kernels) {
		rc = parse_kernels(va.kernels, ks, &n);
		if (rc == EXIT_PASS)
			rc = vm_matrix(&va.cfg, ks, n);
	} else {
		rc = one_kernel(&va.cfg);
	}
	free(va.cfg.pass);
	return rc;
}
