/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * accel.h - KVM or TCG for the guest.
 *
 * /dev/kvm opening is not enough: nested hosts hand out a /dev/kvm on
 * which qemu aborts setting MSRs or a Linux guest hangs in its
 * decompressor.  So KVM counts as usable when a one-instruction guest runs
 * to HLT through the KVM API, and no Linux guest failed to boot under KVM
 * since the host last booted (a memo kept in the cache directory, keyed by
 * /proc/sys/kernel/random/boot_id).  vm.c boots again under TCG when KVM
 * fails and records why with accel_kvm_failed().
 */
#ifndef TC_ACCEL_H
#define TC_ACCEL_H

#include <stdbool.h>
#include <stddef.h>

enum accel { ACCEL_AUTO, ACCEL_KVM, ACCEL_TCG };

/* "auto", "kvm" or "tcg"; -1 for anything else. */
int accel_parse(const char *s, enum accel *a);

/* Whether to try KVM; @why says why not when it returns false. */
bool accel_kvm_usable(char *why, size_t len);

/* Remember, until the host reboots, that KVM did not boot a guest. */
void accel_kvm_failed(const char *why);

#endif
