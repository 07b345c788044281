/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * matrix.h - several kernels, one run each (VMs in parallel), then the
 * matrix report over them all and the diff of each against the host.
 */
#ifndef TCPCONFORM_VM_MATRIX_H
#define TCPCONFORM_VM_MATRIX_H

#include <stdbool.h>

#include "vm/vm.h"

/* A matrix: one kernel per row. */
#define VM_MAX_KERNELS 16
struct vm_kernel {
	char spec[512];  /* as given: "host", "debian:6.1", ... */
	char label[128]; /* kspec's, for file names */
	bool host;       /* the running kernel: what the others are compared with */
};

/* How many of @n runs go at once when --vms is not given, for guests of
 * @memory_mb each: one per CPU with KVM, one per two CPUs under TCG (@tcg),
 * as memory allows (MemAvailable), at least one.  @why gets the reason in
 * words. */
int vm_matrix_slots(int n, int memory_mb, bool tcg, char *why, size_t whylen);
/* The rule itself, pure: @cpus online, @avail_mb of MemAvailable (-1:
 * unknown), guests of @memory_mb, under TCG (one guest per two CPUs) or
 * KVM (one per CPU); at least 1, at most @n. */
int vm_matrix_slots_for(int n, long cpus, long avail_mb, int memory_mb, bool tcg);

/* Each of @ks (parsed, at most VM_MAX_KERNELS) in its own run of
 * ourselves (`vm --kernel`, or `run` for the host), cfg->vms (or
 * vm_matrix_slots()) at once, then `report` over them all and `diff` of
 * each against the host (or the first).  Results go to
 * results/STAMP-LABEL, or below cfg->outdir when given (DIR/LABEL,
 * DIR/matrix.html, DIR/diff-A-B.txt); with more than one at once each
 * run's output goes to its LABEL.log there.  Returns the worst exit
 * status. */
int vm_matrix(const struct vm_config *cfg, const struct vm_kernel *ks, int n);

#endif
