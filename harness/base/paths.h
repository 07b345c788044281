/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * paths.h - where an install put tcpconform's files.  Each has a path
 * compiled in from the install prefix (TC_DATADIR, TC_LIBEXECDIR: `make
 * install` and the Debian package) and the same path relative to the
 * running binary (BINDIR/../share/tcpconform, ...), which is looked at
 * first: an install staged with DESTDIR, or moved, finds its own files
 * rather than another install's.
 */
#ifndef TC_PATHS_H
#define TC_PATHS_H

#include <stdbool.h>
#include <stddef.h>

/* The directory of the running binary (/proc/self/exe); false when it
 * cannot be read or does not fit in @len. */
bool paths_self_dir(char *out, size_t len);

/* The installed @rel below the prefix (e.g. "share/tcpconform/cases"):
 * SELF/../@rel when it exists, else @compiled (the prefix's path, built
 * in).  @out is always set; returns true when the path exists. */
bool paths_installed(const char *rel, const char *compiled, char *out, size_t len);

#endif
