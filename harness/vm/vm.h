/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vm.h - `tcpconform vm`: the catalogue on another kernel, in qemu.
 *
 *   tcpconform vm --kernel SPEC [-o DIR] [--timeout S] [RUN-OPTIONS]
 *   tcpconform vm --kernels SPEC,SPEC,... [RUN-OPTIONS]
 *
 * One VM: the kernel (kspec.h) boots an initramfs (initramfs.h) under KVM
 * when /dev/kvm is usable, else TCG.  The console (ttyS0) comes back
 * through a pipe and is kept as console.log; the results come back over
 * ttyS1 as a framed stream (transport.h) held in a memory file, so nothing
 * is left on disk if we are killed, and land in results/ as a local run's
 * do, with a "vm" object in summary.json.  Every stage has a time limit and
 * a failure names its cause (boot hang, panic, missing module, no report);
 * qemu runs in its own process group, dies with us and is always reaped.
 *
 * Several kernels: one run each (the host's with `tcpconform run`), then
 * `tcpconform report` over them all and `tcpconform diff` of each against
 * the host (or the first).
 */
#ifndef TC_VM_H
#define TC_VM_H

#include <stddef.h>

/* Lines of a console log: the stage the guest reached and what went wrong. */
struct vm_watch {
	int init, start, done, sent; /* markers seen */
	int missing;                 /* a module did not load */
	int panic;                   /* "Kernel panic" */
	int run_rc, sent_rc;         /* from the done and sent markers */
	double guest_start_s;        /* guest uptime at the first scenario */
	char release[128];           /* uname -r in the guest */
	char cause[512];             /* panic or missing-module line */
	char last[512];              /* last non-empty line */
};

/* Feed one console line (without newline). */
void vm_watch_line(struct vm_watch *w, const char *line);

int cmd_vm(int argc, char **argv);

#endif
