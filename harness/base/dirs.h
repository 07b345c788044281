/* SPDX-License-Identifier: GPL-2.0-only */
/* dirs.h - making a directory and its parents (mkdir -p), outside a results
 * directory: caches, the results/ root, a guest's incoming files.  Below a
 * run's own directory, base/resdir.h makes each component instead. */
#ifndef TC_DIRS_H
#define TC_DIRS_H

#include "base/error.h"

/* Every component of @path that is missing, mode 0755.  A path longer than
 * PATH_MAX - 1 is ERR_INPUT; a failed mkdir is an error naming the
 * component, errno left as mkdir set it. */
int dirs_make(const char *path, struct err *e);
/* The same for the directories above the file @path (not @path itself). */
int dirs_make_parents(const char *path, struct err *e);

/* Remove the tree at @path (rm -rf, not following links nor crossing
 * mounts), as far as it can: for trees the harness made itself. */
void dirs_remove(const char *path);

#endif
