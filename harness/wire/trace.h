/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * trace.h - what the wire saw, written for people and tools:
 *   trace.pcap  every frame either endpoint sent, as the wire received it,
 *               with its kernel receive time (nanosecond pcap, Ethernet),
 *               plus the copies the wire injected (duplicates, replays);
 *   trace.txt   one line per frame: number, time since the wire started,
 *               direction, the tcpdump line, and the wire's verdict.
 */
#ifndef TC_TRACE_H
#define TC_TRACE_H

#include <stddef.h>

#include "base/error.h"
#include "wire/wire.h"

/* Both files into the directory open as @dirfd, atomically, under the
 * names the results directory gives them (out/results.h RESULTS_PCAP and
 * RESULTS_TRACE).  Call after wire_stop(). */
int trace_write(struct wire *w, int dirfd, const char *pcap, const char *text, struct err *e);

/* The verdict column of trace.txt for frame @f. */
void trace_verdict(const struct wframe *f, const struct timespec *t0, char *out, size_t len);

#endif
