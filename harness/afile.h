/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * afile.h - files written atomically: a temporary name beside the target,
 * renamed over it on commit, removed on abort.  A reader never sees half a
 * file; an interrupted writer leaves the old file (or none).
 */
#ifndef TC_AFILE_H
#define TC_AFILE_H

#include <stdio.h>

#include "error.h"

struct afile {
	FILE *fp;
	char path[4096];
	char tmp[4096 + 32];
};

/* Open a temporary file for @path; write through af->fp. */
int afile_open(struct afile *af, const char *path, struct err *e);
/* Flush, close and rename into place. */
int afile_commit(struct afile *af, struct err *e);
/* Rename into place when af->fp was closed by its user (pcap_dump_close). */
int afile_rename(struct afile *af, struct err *e);
/* Close and remove the temporary file. */
void afile_abort(struct afile *af);

#endif
