/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * spawn.h - run a helper program (apt-get, dpkg-deb, depmod, xz) to
 * completion, bounded in time, its output captured.  The child gets its own
 * process group and dies with us (PR_SET_PDEATHSIG); on timeout the whole
 * group is killed; it is always reaped.
 */
#ifndef TC_SPAWN_H
#define TC_SPAWN_H

#include <stddef.h>

#include "base/error.h"

struct spawn_out {
	char *data; /* stdout (and stderr unless split), NUL-terminated */
	size_t len;
};

/* Run argv (PATH searched) in @cwd (NULL: ours).  Returns the exit status
 * (0..255), or -1 with @e set when it could not run or overran @timeout_ms
 * (the message names the program).  @out may be NULL (output discarded);
 * with @merge_stderr, stderr goes to @out too. */
int spawn_run(const char *const argv[], const char *cwd, int timeout_ms, struct spawn_out *out,
              int merge_stderr, struct err *e);
/* The same, calling @tick(@arg) every @tick_ms while the program runs (a
 * download's progress, say). */
int spawn_run_tick(const char *const argv[], const char *cwd, int timeout_ms, struct spawn_out *out,
                   int merge_stderr, int tick_ms, void (*tick)(void *), void *arg, struct err *e);
void spawn_out_free(struct spawn_out *o);

/* The last non-empty line of @o (for error messages), in @buf. */
const char *spawn_last_line(const struct spawn_out *o, char *buf, size_t len);

#endif
