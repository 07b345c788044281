/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * initramfs.h - the guest's whole root file system, built from what this
 * machine has: a static busybox, the static harness, the cases and
 * fixtures, the kernel modules the run needs (decompressed) and an /init
 * that loads them, runs the catalogue and sends the results back over the
 * second serial port (/dev/ttyS1), reporting each stage on the console.
 */
#ifndef TC_INITRAMFS_H
#define TC_INITRAMFS_H

#include <stdio.h>

#include "base/error.h"
#include "vm/kmod.h"

/* Console lines the host watches for (each followed by details). */
#define VM_MARK         "tcpconform-vm:"
#define VM_MARK_INIT    "tcpconform-vm: init "
#define VM_MARK_MISSING "tcpconform-vm: missing-module "
#define VM_MARK_START   "tcpconform-vm: start "
#define VM_MARK_DONE    "tcpconform-vm: done "
#define VM_MARK_SENT    "tcpconform-vm: sent "

struct initramfs {
	const char *harness;  /* static tcpconform */
	const char *busybox;  /* static busybox */
	const char *cases;    /* directory */
	const char *fixtures; /* directory */
	const char *moddir;   /* lib/modules/RELEASE, or NULL */
	const struct kmod_list *mods;
	const char *kconfig; /* the kernel's .config, or NULL: run --kernel-config */
	char **run_args;     /* passed to `tcpconform run` in the guest */
	int nrun_args;
};

/* Write the archive (newc cpio) to @out. */
int initramfs_write(FILE *out, const struct initramfs *in, struct err *e);

/* Is @path a statically linked ELF executable (no PT_INTERP)? */
int elf_is_static(const char *path);

/* @arg single-quoted for sh, into @out. */
void sh_quote(char *out, size_t len, const char *arg);

#endif
