/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * wire.h - the forwarder between w0 and w1, with fault rules and capture.
 *
 * A thread reads every frame that arrives on w0 (sent by the client) or w1
 * (sent by the server) through AF_PACKET, records it with its kernel
 * receive time, applies the first rule that acts on it and writes it out
 * the other side.  It never sees the frames it sends itself
 * (PACKET_IGNORE_OUTGOING, and the packet type where that option is
 * missing), and it sleeps in poll() when nothing happens: an idle wire
 * costs no CPU.
 *
 * All calls below are safe while the thread runs; the frame list returned
 * by wire_frames() is stable only after wire_stop().
 */
#ifndef TC_WIRE_H
#define TC_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/error.h"
#include "model/frame.h"
#include "model/rule.h"

enum wire_verdict {
	WV_PASSED,
	WV_DROPPED,
	WV_HELD,
	WV_DELAYED,
	WV_DUPLICATED,   /* passed, and a copy follows */
	WV_REORDERED,    /* sent after the next segment in its direction */
	WV_INJECTED_DUP, /* the copy made by a duplicate rule */
	WV_INJECTED_REPLAY,
	WV_REWRITTEN, /* forwarded with its window replaced (new_win); recorded as received */
	WV_OVERSIZE,  /* larger than the MTU: an error, never forwarded */
	WV_SEND_FAILED,
};

struct wframe {
	unsigned no;            /* 1-based frame number, as in trace.txt */
	struct timespec ts;     /* received (or injected), CLOCK_REALTIME */
	struct timespec out_ts; /* sent on, when later than ts (held, delayed) */
	uint32_t len, caplen;
	uint8_t *data;
	int dir; /* DIR_C2S or DIR_S2C */
	enum wire_verdict verdict;
	unsigned rule;    /* id of the rule that acted, 0 if none */
	unsigned ref;     /* frame number this one copies or follows */
	uint16_t new_win; /* WV_REWRITTEN: the window field forwarded */
	bool sent;        /* went out to the other side (at ts or out_ts) */
	int send_errno;
	struct frame_info fi;
};

/* A variant's capture is bounded: at most WIRE_MAX_FRAMES frames (then
 * the wire forwards nothing more and the variant is an error: a segment
 * storm), and WIRE_MAX_KEPT_BYTES bytes of frame data (then headers only:
 * a replay of a later segment fails, said as a failed send).  bench wire
 * --rate's 256 MiB transfer is ~280,000 frames. */
#define WIRE_MAX_FRAMES     1000000
#define WIRE_MAX_KEPT_BYTES (512UL << 20)

struct wire_opts {
	int nsfd;          /* the wire namespace */
	int ifindex_c;     /* w0: faces the client */
	int ifindex_s;     /* w1: faces the server */
	bool keep_payload; /* keep whole frames (else headers only: 128 bytes) */
	size_t max_frames; /* 0: WIRE_MAX_FRAMES */
	/* Unit tests: two datagram sockets stand in for w0 and w1 (the wire
	 * takes them over); frames are whatever the test writes to their peers. */
	bool use_fds;
	int fd_c, fd_s;
	unsigned mtu;
};

struct wire;

int wire_start(struct wire **w, const struct wire_opts *o, struct err *e);
/* Stop the thread; frames still held or delayed stay unsent (and say so). */
int wire_stop(struct wire *w, struct err *e);
void wire_free(struct wire *w);

/* Add a rule; *id receives its number (rules are numbered from 1 in the
 * order added).  A replay rule acts at once and is not kept. */
int wire_add(struct wire *w, const struct rule *r, unsigned *id, struct err *e);
/* Remove the rule named @name (or "#N" for rule N), sending what it holds,
 * in order.  "all" removes every rule ("wire pass"). */
int wire_remove(struct wire *w, const char *name, struct err *e);

/* Frames that match @m and are in verdict set @verdicts (bit per
 * enum wire_verdict; 0 = any) received so far. */
unsigned wire_count(struct wire *w, const struct match *m, unsigned verdicts);
/* Wait until wire_count(w, m, verdicts) >= n or @timeout_ms passes;
 * returns the last count. */
unsigned wire_wait_count(struct wire *w, const struct match *m, unsigned verdicts, unsigned n,
                         int timeout_ms);
/* The same, counting only the frames after the first @after. */
unsigned wire_wait_count_after(struct wire *w, const struct match *m, unsigned verdicts,
                               unsigned after, unsigned n, int timeout_ms);

/* What the wire has seen so far that matches @m (safe while it runs). */
struct wire_hit {
	unsigned no;
	struct timespec ts;
	int dir;
	uint8_t flags;
	uint16_t payload;
	uint32_t seq;
	uint32_t ack;            /* the ACK number as sent */
	uint32_t peer_isn;       /* the other direction's ISN on these ports ... */
	bool has_peer_isn;       /* ... when the wire saw that SYN (copies it injected aside) */
	uint32_t peer_syn_tsval; /* that SYN's TSval ... */
	bool has_peer_syn_ts;    /* ... when it had the option */
	enum wire_verdict verdict;
	bool has_ts;                  /* a timestamps option (RFC 7323) ... */
	uint32_t tsval, tsecr;        /* ... and its TSval and TSecr */
	uint16_t win;                 /* the window field as sent (before scaling) */
	bool v6;                      /* over IPv6: */
	uint8_t tos, ttl;             /* TOS / Traffic Class, TTL / Hop Limit */
	uint32_t flowlabel;           /* the IPv6 Flow Label */
	uint8_t opts[FRAME_MAX_OPTS]; /* its TCP option kinds (frame_info's) */
	uint8_t nopts;
	bool opts_bad;
};
/* Fills up to @max hits, returns how many matched in all.  Only frames
 * after the first @after (their numbers are above it: 0 for all). */
/* The kernel timestamp of the last frame matching @m after the first
 * @after into @ts: true, or false when none matched. */
bool wire_last_ts(struct wire *w, const struct match *m, unsigned after, struct timespec *ts);
size_t wire_collect(struct wire *w, const struct match *m, unsigned after, struct wire_hit *out,
                    size_t max);
/* How many frames the wire has recorded so far (the latest one's number). */
unsigned wire_frame_count(struct wire *w);
/* A barrier: return once the forwarder has taken in every frame its
 * sockets held when this was called (a frame the kernel timestamped before
 * an observation is counted by it, however late the forwarder thread gets
 * the CPU: under load it may lag by milliseconds).  0, or -1 when it did
 * not answer within @timeout_ms (the frames are then counted as they are). */
int wire_sync(struct wire *w, int timeout_ms);
#define WIRE_SYNC_MS 2000 /* how long an observation waits for it */

/* After wire_stop(): every frame in order, and the wire's own errors
 * (oversize frames, failed sends, frames lost in the socket buffer, a
 * forwarder that stopped before it was told to). */
const struct wframe *wire_frames(struct wire *w, size_t *n);
unsigned wire_errors(struct wire *w, char *msg, size_t len);
struct timespec wire_t0(struct wire *w);

/* Scheduling policy of the forwarder thread (pthread_setschedparam). */
int wire_set_sched(struct wire *w, int policy, int priority);

/* CPU time the forwarder thread has used, in ms (-1 when not running). */
double wire_cpu_ms(struct wire *w);

/* The rules added so far (numbered from 1), for the trace header. */
size_t wire_rule_count(struct wire *w);
const struct rule *wire_rule_by_id(struct wire *w, unsigned id);

#endif
