/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * afile.h - files written atomically.  The data go to an unnamed file in
 * the target's directory (O_TMPFILE) that is synced, linked under a fresh
 * random name and renamed over the target on commit; a reader never sees
 * half a file, an interrupted writer leaves the old file (or none) and,
 * where the filesystem has O_TMPFILE, no temporary either.  Elsewhere the
 * temporary is created with O_EXCL|O_NOFOLLOW under a random name.  No
 * symbolic link planted beside the target is ever followed, and no exit
 * path of afile_* leaves a temporary behind.
 */
#ifndef TC_AFILE_H
#define TC_AFILE_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include "base/error.h"

struct afile {
	FILE *fp;   /* write through this (on its own descriptor) */
	int fd;     /* the file being written */
	int dirfd;  /* its directory, owned */
	bool named; /* the temporary has a name (tmp) to remove on failure */
	bool anon;  /* made with O_TMPFILE */
	char name[NAME_MAX + 1];
	char tmp[NAME_MAX + 1];
	char path[4096]; /* for messages */
};

/* Open a temporary file for @path (its directory is the caller's to name:
 * links in it are followed; the last component is a plain name). */
int afile_open(struct afile *af, const char *path, struct err *e);
/* The same for @name (one plain component, resdir.h) in directory @dirfd;
 * @label names the file in messages (NULL: @name). */
int afile_openat(struct afile *af, int dirfd, const char *name, const char *label, struct err *e);
/* Flush, sync, close and rename into place. */
int afile_commit(struct afile *af, struct err *e);
/* The same when af->fp was closed by its user (pcap_dump_close). */
int afile_rename(struct afile *af, struct err *e);
/* Close and remove the temporary file. */
void afile_abort(struct afile *af);

#endif
