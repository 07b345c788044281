/* SPDX-License-Identifier: GPL-2.0-only
 *
 * resdir.h - the results directory: the one place that makes or opens a
 * path below a run's directory.
 *
 * The run directory is named once (by -o DIR, or results/RUN-ID, or the
 * argument of `diff` and `report`) and opened as a directory fd; every
 * directory and file below it is reached from that fd with the *at()
 * calls, one component at a time, never through a symbolic link.  A
 * component must be a plain name: not empty, not "." or "..", without '/'
 * or a control character, at most NAME_MAX bytes.  The case parser checks
 * the names it makes (variant values, case names); this is the second
 * wall, for the writer and for every reader of a results directory that
 * another machine may have made.
 */
#ifndef TC_RESDIR_H
#define TC_RESDIR_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

/* The largest file a reader takes from a results directory. */
#define RESDIR_MAX_FILE ((size_t)256 << 20)

/* 0 when @name can be one component below a results directory; otherwise
 * -1 with "@what 'NAME': why" (ERR_INPUT). */
int resdir_name_check(const char *name, const char *what, struct err *e);

enum {
	RESDIR_CREATE = 1, /* make @path (and its parents) when missing */
	RESDIR_FOLLOW = 2, /* @path itself may be a symbolic link (results/latest) */
};

/* Open the run directory @path (O_DIRECTORY, O_CLOEXEC; O_NOFOLLOW unless
 * RESDIR_FOLLOW).  Returns the fd, or -1: a path that is not a directory
 * is ERR_INPUT. */
int resdir_open(const char *path, int flags, struct err *e);

/* The directory @name (one component) below @dirfd, made first when
 * @create; never a symbolic link.  Returns an fd, or -1. */
int resdir_subdir(int dirfd, const char *name, bool create, struct err *e);

/* The directory of one variant: CASE/VARIANT below the run directory. */
int resdir_variant(int rootfd, const char *case_name, const char *variant, bool create,
                   struct err *e);

/* A variant run again keeps what its earlier run wrote: CASE/VARIANT is
 * moved to CASE/VARIANT/@as (a fresh, empty CASE/VARIANT made around it),
 * by renames below the run directory only.  Returns 0, or -1. */
int resdir_set_aside(int rootfd, const char *case_name, const char *variant, const char *as,
                     struct err *e);

/* A directory named by a results file ("case/variant" in summary.json):
 * each '/'-separated component checked and opened as resdir_subdir()
 * does.  Returns an fd, or -1. */
int resdir_open_rel(int rootfd, const char *rel, struct err *e);

/* The regular file @name in @dirfd (not a link, a FIFO or a device),
 * read whole and NUL-terminated; larger than @max is ERR_INPUT.  @label
 * names it in messages ("DIR/summary.json").  Returns a malloc'd buffer,
 * or NULL. */
char *resdir_read(int dirfd, const char *name, const char *label, size_t max, size_t *len,
                  struct err *e);

#endif
