/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sigio.h - signal-driven I/O on a variant's sockets (`watch S sigio`,
 * `observe SIDE S sigio`): which bands the kernel's sk_wake_async()
 * signalled, in order.
 *
 * A watched socket's owner is the thread that runs the steps
 * (F_SETOWN_EX, F_OWNER_TID), its signal a real-time one (F_SETSIG), so
 * that every kill_fasync() queues one siginfo whose si_code is the band
 * (fs/fcntl.c send_sigio_to_task(): POLL_IN, POLL_OUT, POLL_HUP, ...) and
 * si_fd the socket; the signal and SIGIO (what the kernel sends instead
 * when the real-time queue is full) are blocked in that thread and taken
 * with sigtimedwait(2), never delivered.
 */
#ifndef TC_SIGIO_H
#define TC_SIGIO_H

#include <stddef.h>

#include "base/error.h"
#include "run/sockets.h"

/* Ask for @se's signals, after taking what is already queued (so that a
 * closed socket's signals are not taken for those of a new one on the
 * same descriptor); 0, or -1 with @e set. */
int sigio_watch(struct sockets *ss, struct sockent *se, struct err *e);
/* Take every queued signal into its socket's bands (signals of no
 * watched socket are dropped); -1 with @e set when the kernel's queue
 * overflowed (a plain SIGIO was pending: bands were lost). */
int sigio_collect(struct sockets *ss, struct err *e);
/* @se's bands since the watch or the last look ("IN IN", "HUP IN",
 * "none"), which are then forgotten. */
void sigio_take(struct sockent *se, char *buf, size_t len);

#endif
