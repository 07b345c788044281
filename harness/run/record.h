/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * record.h - what a variant leaves behind: each step's result (as the
 * "steps" of observed.json, and as an observation when the step is named),
 * observed.json itself, the wire's frames in it, and events.txt.
 */
#ifndef TC_RECORD_H
#define TC_RECORD_H

#include <jansson.h>

#include "run/player.h"

/* A step that made a call: its return value, errno (0: none) and time. */
void record_step(struct player *p, const struct step *st, long ret, int err, double ms);
/* observed.json in @dirfd; said on stderr when it fails (the runner only
 * sees that the file is missing): 0 or -1. */
int record_observed(struct player *p, int dirfd, const char *variant, const char *status,
                    const char *reason, double wall_ms, double setup_ms);
/* The wire's frames, for the ladder diagram: time (real-time clock),
 * direction, flags, seq/ack, payload, verdict and when it was sent. */
json_t *record_frames(struct wire *w);
/* events.txt: the tracepoint lines that concern this variant's addresses.
 * -1 (in @e) when the buffer cannot be read or the file written. */
int record_events(struct player *p, int dirfd, struct err *e);

#endif
