/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * userns.h - rootless mode.  Not root, the harness moves itself into a user
 * namespace of its own, with the user mapped to root there, and a network
 * namespace of its own next to it (the host's cannot be re-entered from a
 * user namespace).  Everything else then works as for root, inside
 * namespaces the user owns; what needs real root (tracefs) is skipped with
 * its reason.
 */
#ifndef TC_USERNS_H
#define TC_USERNS_H

#include <stdbool.h>

#include "base/error.h"

/* Returns 0 when already root (nothing done, or a network namespace of
 * its own: userns_own_netns()), 1 when now in a user
 * namespace of its own, -1 (ERR_ENV, saying why) when the kernel refuses.
 * Must be called while the process has one thread. */
int userns_enter(struct err *e);
/* True after userns_enter() returned 1. */
bool userns_active(void);
/* True in any user namespace but the initial one (one of the harness's
 * own, or a container's whose root runs it). */
bool userns_nested(void);
/* True when userns_enter(), as root of a user namespace that does not own
 * the network namespace it started in, moved into one of its own. */
bool userns_own_netns(void);

#endif
