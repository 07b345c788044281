// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_vm.c - `tcpconform vm --kernel SPEC | --kernels SPEC,... [OPTIONS]
 * [RUN-OPTIONS] [CASE...]`: the options into a struct vm_config, every
 * kernel spec parsed (a bad one is a command-line error that points at it),
 * then one VM (vm_run()) or a matrix of them (vm_matrix()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/text.h"
#include "cli/cmdline.h"
#include "cli/commands.h"
#include "vm/accel.h"
#include "vm/kspec.h"
#include "vm/vm.h"

struct vm_args {
	struct vm_config cfg;
	const char *kernels; /* --kernels */
};

/* Returns 0, -1 after --help, or the exit status of a bad command line. */
static int parse_opts(int argc, char **argv, struct vm_args *va)
{
	struct vm_config *o = &va->cfg;
	int i;

	o->boot_timeout_s = 120;
	o->timeout_s = 0;
	o->memory_mb = 1024;
	o->pass = calloc((size_t)argc + 1, sizeof(*o->pass));
	if (!o->pass)
		return EXIT_ENV;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		size_t len = strlen(a);
		const char *eq = strchr(a, '=');
		size_t name_len = eq && a[0] == '-' && a[1] == '-' ? (size_t)(eq - a) : len;

#define OPT(name) (name_len == strlen(name) && strncmp(a, name, name_len) == 0)
		if (OPT("--kernel") || OPT("--kernels") || OPT("--timeout") ||
		    OPT("--boot-timeout") || OPT("--memory") || OPT("-o") || OPT("--output") ||
		    OPT("--accel")) {
			if (eq && name_len < len)
				v = eq + 1;
			else if (i + 1 < argc)
				v = argv[++i];
			else
				return cmdline_bad(a, "%s needs a value", a);
			if (OPT("--kernel"))
				o->kernel = v;
			else if (OPT("--kernels"))
				va->kernels = v;
			else if (OPT("-o") || OPT("--output"))
				o->outdir = v;
			else if (OPT("--accel")) {
				if (accel_parse(v, &o->accel) < 0)
					return cmdline_bad(
					    v, "--accel: want auto, kvm or tcg, not '%s'", v);
			} else {
				long n = cmdline_positive(a, v, 36000);

				if (n < 0)
					return EXIT_USAGE;
				if (OPT("--timeout"))
					o->timeout_s = (int)n;
				else if (OPT("--boot-timeout"))
					o->boot_timeout_s = (int)n;
				else
					o->memory_mb = (int)n;
			}
		} else if (OPT("-h") || OPT("--help")) {
			printf("usage: tcpconform vm --kernel SPEC [-o DIR] [--timeout S] "
			       "[--boot-timeout S] [--memory MB] [--accel auto|kvm|tcg]\n"
			       "                     [RUN-OPTIONS] [CASE...]\n"
			       "       tcpconform vm --kernels SPEC,SPEC,... [RUN-OPTIONS] "
			       "[CASE...]\n"
			       "SPEC: host | debian:VERSION[:FLAVOUR] | src:PATH[:BUILDDIR] | "
			       "FILE.deb | BZIMAGE[:MODDIR]\n");
			return -1;
		} else if (OPT("--repeat")) {
			return cmdline_bad(a, "vm: --repeat runs on the host only; boot the VM "
			                      "once per repeat");
		} else {
			o->pass[o->npass++] = argv[i];
		}
#undef OPT
	}
	if (!o->kernel == !va->kernels)
		return cmdline_bad(argv[0], "vm: give --kernel SPEC or --kernels SPEC,SPEC");
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
