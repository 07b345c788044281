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
 * A guest that dies before its first scenario (a panic, or silence once the
 * run started) boots once more: under TCG a kernel patching its text while
 * the other vCPU runs it can die so, at random (summary.json vm.retried says
 * why).  A run that goes silent for VM_SILENCE_S is cut as a hang.
 *
 * Several kernels: one run each (the host's with `tcpconform run`), then
 * `tcpconform report` over them all and `tcpconform diff` of each against
 * the host (or the first).
 */
#ifndef TC_VM_H
#define TC_VM_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "vm/accel.h"
#include "vm/kspec.h"

/* What `vm` does, as cli/cmd_vm.c fills it in. */
struct vm_config {
	const char *kernel; /* --kernel SPEC as given, for messages; or NULL */
	const char *outdir; /* -o DIR, or NULL: results/<the guest's run id> */
	int boot_timeout_s; /* to /init */
	int timeout_s;      /* first scenario to the end of the run; 0 in a
	                     * matrix: each VM's default */
	int memory_mb;
	enum accel accel;   /* --accel */
	int vms;            /* a matrix's VMs at once (--vms); 0: vm_matrix_slots() */
	bool stop_on_stall; /* --stop-on-stall: a stall report ends the guest */
	bool panic_on_warn; /* --panic-on-warn: a kernel warning panics the guest */
	char **pass;        /* options and cases for `tcpconform run` */
	int npass;
};

/* One VM's outcome. */
struct vm_result {
	char dir[4096];
	double boot_ms; /* qemu start to the first scenario */
	double run_ms;  /* first scenario to the end of the run */
	double wall_ms; /* qemu start to qemu exit */
	int rc;         /* the guest run's exit status, or the failure's (vm_run()) */
};

/* Kernel @k (@cfg->kernel as given) in one VM, its results landed in
 * results/ or @cfg->outdir.  Returns 0 (res->rc: the guest run's exit
 * status), or -1 with @e and the exit status in res->rc (130 when
 * interrupted). */
int vm_run(const struct vm_config *cfg, const struct kspec *k, struct vm_result *res,
           struct err *e);

/* Lines of a console log: the stage the guest reached and what went wrong. */
struct vm_watch {
	int init, start, done, sent; /* markers seen */
	int missing;                 /* a module did not load */
	int panic;                   /* "Kernel panic" */
	int int3;                    /* "Oops: int3": a breakpoint of text patching hit */
	int stall;                   /* an RCU stall, soft lockup or hung task report */
	int progress;                /* run progress lines ("[43/271] ...") */
	int run_rc, sent_rc;         /* from the done and sent markers */
	double guest_start_s;        /* guest uptime at the first scenario */
	char release[128];           /* uname -r in the guest */
	char cause[512];             /* panic, stall or missing-module line */
	char last[512];              /* last non-empty line */
};

/* No progress line for this long once the run started: a hang.  A
 * variant's own time limit is 25 s at most (cases/), and the guest's run
 * prints a line as each variant ends. */
#define VM_SILENCE_S 180

/* Feed one console line (without newline). */
void vm_watch_line(struct vm_watch *w, const char *line);
/* A guest that panicked (or whose stage timed out: a hang, @timed_out)
 * before the run's first progress line: worth one more boot (vm.c). */
bool vm_died_early(const struct vm_watch *w, bool timed_out);
/* A guest that panicked after an "Oops: int3", whenever: the trap of the
 * kernel's own text patching (text_poke_bp(): an int3 is written first,
 * then removed) executed by a vCPU after the patch was done, which TCG's
 * cross-vCPU code invalidation allows (vm.c died_early()). */
bool vm_died_of_text_patch(const struct vm_watch *w);
/* A kernel message as the console prints it ("[   18.780512] ..."), not a
 * line of the run ("[43/271] case variant ... pass 1.2s"). */
bool vm_kernel_message(const char *line);

#endif
