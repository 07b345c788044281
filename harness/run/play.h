/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * play.h - play one variant of a scenario, in the calling process: build
 * its topology, set its sysctls (and read them back), start the wire, run
 * the steps in order, take the observations, and write the variant's
 * directory, open as @dirfd (resdir.h): observed.json, events.txt,
 * trace.pcap, trace.txt, each atomically, and log.txt: into @log when
 * given (the runner opens it, so that a variant killed at its time limit
 * still leaves its log), else into a file of its own committed at the end.
 *
 * The runner calls this in a forked child of its own; nothing it makes
 * outlives that child.  @shared is the run's tracefs instance (events are
 * told apart by the variant's own address block); NULL makes one for this
 * variant alone.
 */
#ifndef TC_PLAY_H
#define TC_PLAY_H

#include <stddef.h>
#include <stdio.h>

#include "base/error.h"
#include "host/tracer.h"
#include "model/scenario.h"

/* Returns 0 when the variant ran (its observations are written), 1 when it
 * was skipped (a requirement is missing: written with the reason), -1 when
 * the harness could not run it (written with the error, when possible). */
int play_variant(const struct scenario *sc, size_t variant, int dirfd, FILE *log,
                 const struct tracer *shared, struct err *e);

/* Marks of the variant's phases, one byte each on @fd (the runner's pipe:
 * its deadlines are per phase) or nowhere with -1, the default:
 * PLAY_MARK_SCENARIO when the set-up is done and the steps begin,
 * PLAY_MARK_COLLECT when they have ended (or the set-up failed) and the
 * results are being taken and written.  Both are above any exit status the
 * runner's child writes on the same pipe. */
#define PLAY_MARK_SCENARIO 0xf0
#define PLAY_MARK_COLLECT  0xf1
void play_set_marks(int fd);

/* For tests only: sleep the milliseconds environment variable @env names
 * (0 to 600000), nothing when it is unset.  TCPCONFORM_TEST_COLLECT_MS
 * pauses play_variant() once its steps have ended, as a slow reading of
 * its events would (tests/test_runner.c). */
void play_pause_for_tests(const char *env);

#endif
