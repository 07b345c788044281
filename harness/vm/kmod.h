/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kmod.h - which kernel modules a guest must load, from the kernel's own
 * metadata: modules.builtin (built in, nothing to load) and modules.dep
 * (written by depmod: "kernel/x.ko: kernel/dep1.ko kernel/dep2.ko").
 * Names compare as the kernel does, '-' and '_' alike; compressed modules
 * (.ko.xz, .ko.zst, .ko.gz) count as modules of their base name.
 */
#ifndef TC_KMOD_H
#define TC_KMOD_H

#include <stddef.h>

#include "base/error.h"

struct kmod_list {
	char **paths; /* relative to the modules directory, dependencies first */
	size_t n;
	size_t nbuiltin; /* how many of the requested names are built in */
};

/* Resolve @names (plain module names, "veth") against the metadata in
 * @moddir (lib/modules/RELEASE).  A name neither built in nor in
 * modules.dep is an ERR_ENV error naming it. */
int kmod_resolve(const char *moddir, const char *const *names, size_t nnames, struct kmod_list *out,
                 struct err *e);
void kmod_list_free(struct kmod_list *l);

/* "kernel/net/ipv4/tcp_diag.ko.xz" -> "tcp_diag" (with '-' as '_'). */
void kmod_name(const char *path, char *name, size_t len);

#endif
