/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kspec.h - which kernel to run the catalogue on, and getting it.
 *
 *   host                     the running kernel (no VM)
 *   debian:VERSION[:FLAVOUR][@SUITE]
 *                            the newest Debian kernel VERSION* of that flavour
 *                            (default amd64; e.g. cloud) in every suite
 *                            debapt.h searches, or in SUITE; fetched with
 *                            tcpconform's own apt, never installed
 *   debian:list[:FLAVOUR][@SUITE]  lists them (kspec_list)
 *   FILE.deb[:FILE.deb...]   Debian kernel package files (classic, or the
 *                            split layout's parts, found beside FILE too)
 *   DIR                      a directory of one kernel's package files
 *   BZIMAGE[:MODDIR]         a kernel image, with an optional modules
 *                            directory (lib/modules/RELEASE or a tree that
 *                            holds lib/modules/RELEASE)
 *   src:PATH[:BUILDDIR]      a kernel source tree, built out of tree (ksrc.h)
 *
 * Packages are unpacked (dpkg-deb -x) under $XDG_CACHE_HOME/tcpconform/kernels
 * (default ~/.cache/...), depmod is run on the unpacked tree, and the result is
 * reused by later runs.
 */
#ifndef TC_KSPEC_H
#define TC_KSPEC_H

#include <stddef.h>
#include <stdio.h>

#include "base/error.h"

enum kspec_kind {
	KSPEC_HOST,
	KSPEC_DEBIAN,
	KSPEC_DEBIAN_LIST,
	KSPEC_DEB,
	KSPEC_IMAGE,
	KSPEC_SRC,
};

struct kspec {
	enum kspec_kind kind;
	char version[64];  /* debian: "6.1" */
	char flavour[64];  /* debian: "amd64", "cloud-amd64" */
	char suite[64];    /* debian: "bookworm-security", or "": every one */
	char path[4096];   /* deb files (A.deb:B.deb) or directory, kernel image, source tree */
	char moddir[4096]; /* image: modules directory; src: build directory; or "" */
	char label[128];   /* for file names: "debian-6.1", "host" */
};

/* Parse @s.  On error returns -1, sets @e (ERR_INPUT) and *bad to the
 * offset in @s of the offending character, for a command-line column. */
int kspec_parse(const char *s, struct kspec *k, size_t *bad, struct err *e);

/* A kernel ready to boot. */
struct kernel {
	char image[4096];  /* bzImage / vmlinuz */
	char moddir[4096]; /* .../lib/modules/RELEASE with modules.dep, or "" */
	char release[128]; /* "6.1.0-56-amd64", or "" when unknown before boot */
	char origin[512];  /* "linux-image-6.1.0-56-amd64 6.1.192-2", or the path */
	char suite[256];   /* debian: its suites ("bookworm bookworm-security"), or "" */
	char layout[16];   /* packages: "classic" or "split"; or "" */
	char config[4096]; /* its .config (boot/config-RELEASE, a build's), or "" */
};

/* $XDG_CACHE_HOME/tcpconform/NAME (or ~/.cache/...): the project's cache. */
int kspec_cache_path(const char *name, char *out, size_t len, struct err *e);
/* Where fetched kernels are kept: kspec_cache_path("kernels"). */
int kspec_cache_dir(char *out, size_t len, struct err *e);

/* Fetch and unpack as needed (not for KSPEC_HOST, nor KSPEC_SRC: ksrc.h). */
int kspec_fetch(const struct kspec *k, struct kernel *kn, struct err *e);

/* debian:list: every Debian kernel of the flavour (in the suite), newest
 * first, one line per version with its suites and layout, on @out. */
int kspec_list(const struct kspec *k, FILE *out, struct err *e);

#endif
