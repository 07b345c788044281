/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * debindex.h - Debian's kernel packages as apt lists them, and the kernels
 * they make.  Pure: text in (`apt-cache madison`, `apt-cache show`), structs
 * out; debapt.h runs apt.
 *
 * A kernel is either one package (the classic layout: linux-image-ABI with
 * /boot/vmlinuz-ABI and /lib/modules/ABI), or the linux-image-ABI package
 * with the parts it depends on at its own version: linux-binary-ABI (the
 * vmlinuz, under /usr/lib/modules/ABI), linux-modules-ABI and linux-base-ABI
 * (System.map, config, modules.builtin*): the split layout of trixie-backports
 * and sid since 6.19.  ABI is "6.1.0-56-amd64", "7.3.4+deb13-amd64".
 */
#ifndef TC_DEBINDEX_H
#define TC_DEBINDEX_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

#define DEB_NAME_MAX   128
#define DEB_VER_MAX    96
#define DEB_SUITES_MAX 256
#define DEB_DEPS_MAX   4 /* parts one image package may name */
#define DEB_PARTS_MAX  (1 + DEB_DEPS_MAX)
/* Bounds on what apt hands us: packages in an index, bytes of its output. */
#define DEB_INDEX_MAX 20000
#define DEB_TEXT_MAX  (64u << 20)

/* Debian version order (dpkg's: epoch, upstream, revision; '~' sorts
 * first): <0, 0 or >0. */
int debver_cmp(const char *a, const char *b);
/* A package name ([a-z0-9][a-z0-9+.-]+) and a version as Debian allows. */
bool deb_name_ok(const char *s);
bool deb_version_ok(const char *s);

/* A kernel package: linux-KIND-ABI, KIND one of image, binary, modules,
 * base, ABI a digit first.  Returns ABI (inside @pkg) and the kind in @kind
 * (may be NULL), or NULL. */
const char *deb_part_abi(const char *pkg, const char **kind);
/* A kernel package of @flavour: linux-KIND-ABI, KIND one of image, binary,
 * modules, base, ABI a digit first and "-FLAVOUR" last with no other flavour
 * inside (not -cloud-, -rt-, nor -dbg, -unsigned).  Returns ABI (inside
 * @pkg) and the kind in @kind (may be NULL), or NULL. */
const char *deb_kernel_abi(const char *pkg, const char *flavour, const char **kind);
/* Does image package @pkg match @version ("6.1", "6.1.0-56") and
 * @flavour?  linux-image-6.1.0-56-amd64 matches 6.1, not 6.12. */
int deb_image_match(const char *pkg, const char *version, const char *flavour);

struct deb_dep {
	char name[DEB_NAME_MAX];
	char version[DEB_VER_MAX];
};

/* One version of one package. */
struct deb_pkg {
	char name[DEB_NAME_MAX];
	char version[DEB_VER_MAX];
	char suites[DEB_SUITES_MAX];       /* "bookworm bookworm-security" */
	long long size;                    /* bytes, 0: not known */
	char sha256[65];                   /* "" : not known */
	struct deb_dep deps[DEB_DEPS_MAX]; /* its linux-{binary,modules,base,image}-ABI parts */
	int ndeps;
	bool meta; /* depends on another kernel's linux-image (linux-image-6.1-amd64) */
};

/* @p's kernel parts from its Depends line (changed in place): the
 * linux-{binary,modules,base}-ABI of its own ABI, at their version; another
 * kernel's linux-image makes it a metapackage. */
void deb_depends(struct deb_pkg *p, char *line);

struct deb_index {
	struct deb_pkg *pkgs;
	size_t n, cap;
};

/* `apt-cache madison NAME...` output: one entry per package version, its
 * suites gathered (lines that do not parse are skipped). */
int deb_index_madison(struct deb_index *ix, const char *text, struct err *e);
/* `apt-cache show NAME...` output: the size, SHA256 and kernel parts of the
 * entries madison gave (other stanzas are ignored). */
int deb_index_show(struct deb_index *ix, const char *text, struct err *e);
const struct deb_pkg *deb_index_find(const struct deb_index *ix, const char *name,
                                     const char *version);
void deb_index_free(struct deb_index *ix);

/* A kernel: its image package and the parts it names. */
struct deb_kernel {
	const struct deb_pkg *parts[DEB_PARTS_MAX]; /* [0] the image package */
	int nparts;
	char missing[256]; /* parts no suite holds ("linux-base-X (= V)"), or "" */
};

/* "classic" (one package), "split" (with linux-binary), "image+base". */
const char *deb_kernel_layout(const struct deb_kernel *k);
/* Whether the kernel is in @suite (a word of its image's suites). */
bool deb_in_suite(const struct deb_pkg *p, const char *suite);

/* The kernels of @flavour whose image matches @version (NULL: every one) by
 * its name or its version (6.1.192 matches 6.1.192-3), in @suite (NULL:
 * any), newest first.  *out is freed with free(). */
int deb_index_kernels(const struct deb_index *ix, const char *version, const char *flavour,
                      const char *suite, struct deb_kernel **out, size_t *n, struct err *e);

#endif
