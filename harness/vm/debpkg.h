/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * debpkg.h - a kernel from Debian package files, in either layout
 * (debindex.h): the classic linux-image-ABI package, or the split one's
 * linux-image-ABI, linux-binary-ABI, linux-modules-ABI and linux-base-ABI.
 *
 * The packages are read (dpkg-deb -f) and checked (x86-64 kernel packages
 * of one ABI and version, every part they name present), unpacked
 * (dpkg-deb -x, never installed) with every file checked against the
 * package's md5sums, and the kernel is found in the tree: the image
 * (/boot/vmlinuz-RELEASE, or /usr/lib/modules/RELEASE/vmlinuz), the modules
 * directory and the configuration (/boot/config-RELEASE, or the modules
 * directory's config).
 */
#ifndef TC_DEBPKG_H
#define TC_DEBPKG_H

#include <stddef.h>

#include "base/error.h"
#include "vm/debindex.h"

/* At most this many .deb files are read from a directory. */
#define DEBPKG_DIR_MAX 64

struct debpkg {
	char path[4096];
	char name[DEB_NAME_MAX], version[DEB_VER_MAX];
	const char *kind; /* "image", "binary", "modules", "base" */
	char abi[DEB_NAME_MAX];
	struct deb_dep deps[DEB_DEPS_MAX]; /* the parts it names */
	int ndeps;
	long long installed_kb; /* Installed-Size */
};

/* One kernel's packages. */
struct debpkg_set {
	struct debpkg pkgs[DEB_PARTS_MAX];
	int n;
};

/* Read one package's control fields: ERR_INPUT when it is not an x86-64
 * kernel package. */
int debpkg_read(const char *path, struct debpkg *p, struct err *e);

/* The packages of @spec: FILE.deb (with the parts it needs, found beside it),
 * FILE.deb:FILE.deb... (the same), or a directory holding one kernel's
 * packages.  A part that is missing is ERR_INPUT naming it. */
int debpkg_collect(const char *spec, struct debpkg_set *s, struct err *e);

/* Unpack the set into @root (created), each package checked against its
 * md5sums; /lib made a link to usr/lib in a merged-/usr tree; links in
 * the modules directory that lead out of it removed. */
int debpkg_unpack(const struct debpkg_set *s, const char *root, struct err *e);

struct debpkg_tree {
	char release[128];  /* "7.3.4+deb13-amd64" */
	char image[4400];   /* the vmlinuz */
	char moddir[4400];  /* ROOT/lib/modules/RELEASE */
	char config[4400];  /* or "" */
	const char *layout; /* "classic" (/boot) or "split" (vmlinuz beside the modules) */
};

/* The kernel in an unpacked @root: of @release, or (NULL) the one there. */
int debpkg_find(const char *root, const char *release, struct debpkg_tree *t, struct err *e);

#endif
