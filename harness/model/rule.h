/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rule.h - wire fault rules: the data, the one parser, the one matcher.
 *
 *   RULE  := ACTION [DIR] [MATCH...] [nth=N] [count=N] [after DIR:FLAGS] [as NAME]
 *   ACTION:= drop | hold | delay TIME | duplicate | reorder | replay
 *          | rewrite window=N   forward with the TCP window field set to N
 *                     (0 to 65535, as sent: before the peer's window scaling),
 *                     checksum updated: a receiver that shrinks its window, or
 *                     closes it with data in flight, which Linux never does
 *                     (net/ipv4/tcp_output.c tcp_select_window())
 *   DIR   := c>s | s>c                (default: both directions)
 *   MATCH := flags=SPEC   exactly these flags, tcpdump letters (S  S.  .  F.  P.  R  R.)
 *          | flags~SPEC   at least these flags (flags~F: any FIN)
 *          | port=N | sport=N | dport=N    (or a range: dport=20000-20999)
 *          | len=N | len>N | len<N    TCP payload bytes (len=0: pure control segment)
 *          | seq=N    this absolute sequence number (seq=0: a reset answering a
 *                     segment without ACK, RFC 9293 3.10.7.1)
 *   nth=N    act from the Nth matching segment on (1-based, default 1);
 *            with nth= and no count=, only the Nth ("the 2nd FIN from the server")
 *   count=N  act on N segments, then the rule retires (default: until removed;
 *            count=all says so explicitly, for use with nth=)
 *   after DIR:FLAGS  the rule arms once a segment in DIR carrying FLAGS has
 *            passed ("after s>c:F": from the server's first FIN on)
 *   TIME   := Nms | Ns
 *
 * replay re-sends, at once, an earlier segment the wire received: the Nth
 * that matches with nth=N, else the last that matches.  With covers=ack it
 * only considers segments whose sequence range holds the ACK number of the latest
 * segment the other side sent on the same ports: the receiver's next
 * expected byte, so the stale segment lies in the current window.  With
 * at=ack the chosen segment is sent with its sequence number moved to that
 * ACK number (TCP checksum updated), all else as it was: an old duplicate
 * that lands in the window even when the sequence space the earlier
 * connection used is behind the new one's.  With set-flags=SPEC the copy
 * is sent with its TCP flags replaced by SPEC (tcpdump letters, or none),
 * checksum updated: a segment no stack of the endpoints would send, such as
 * one with no flag at all (a port scanner's NULL probe).  at=ack+N and
 * at=ack-N put the sequence number N after or before that ACK number (a
 * segment N bytes into the window, or before it); shift-ack=+N and
 * shift-ack=-N move the copy's own ACK number by N (modulo 2^32): an
 * acknowledgement of data never sent, or one older than the window.
 * Together with set-flags=R they make the resets and segments of RFC 5961.
 * dst=broadcast and dst=multicast send the copy to a non-unicast address
 * (IP and TCP checksums updated, the Ethernet header as it was, so the
 * receiver takes it as its own frame): 255.255.255.255 (RFC 919) and
 * 224.0.0.1 (all hosts, RFC 1112) for IPv4; ff02::1 (all nodes, RFC 4291
 * 2.7.1) for both with IPv6, which has no broadcast (RFC 4291 2.7).
 *   RULE := replay [DIR] [MATCH...] [nth=N] [covers=ack | at=ack[+N|-N]]
 *           [set-flags=SPEC] [shift-ack=+N|-N] [dst=broadcast|multicast]
 *
 * Rules act on TCP segments only; anything else always passes.  Ordinals
 * count the segments an endpoint sent (retransmissions included), as the
 * wire received them, whatever other rules did to them.
 */
#ifndef TC_RULE_H
#define TC_RULE_H

enum rule_dst {
	RULE_DST_AS_SENT = 0,
	RULE_DST_BROADCAST,
	RULE_DST_MULTICAST,
};

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "model/frame.h"

enum rule_action {
	RULE_DROP,
	RULE_HOLD,      /* until released by a later step; released in order */
	RULE_DELAY,     /* by delay_ms */
	RULE_DUPLICATE, /* forward twice */
	RULE_REORDER,   /* swap with the next segment in the same direction */
	RULE_REPLAY,    /* immediate: re-send an earlier captured segment */
	RULE_REWRITE,   /* forwarded with its window field replaced by new_window */
};

enum { DIR_C2S = 0, DIR_S2C = 1, DIR_ANY = 2 };

enum len_op { LEN_ANY = 0, LEN_EQ, LEN_LT, LEN_GT };

struct match {
	int dir;
	bool has_flags, flags_exact;
	uint8_t flags;
	int port, sport, dport;          /* -1: any */
	int port_hi, sport_hi, dport_hi; /* the end of a range (= the start for one port) */
	enum len_op len_op;
	unsigned len;
	bool has_seq; /* seq=N: the segment's absolute sequence number */
	uint32_t seq;
};

#define RULE_NAME_MAX 32

struct rule {
	enum rule_action action;
	struct match m;
	unsigned delay_ms;
	unsigned nth;   /* >= 1 */
	unsigned count; /* 0: until removed */
	bool has_after;
	bool covers_ack; /* replay: the segment holding the peer's latest ACK number */
	bool at_ack;     /* replay: sent with its seq moved to that ACK number */
	int32_t at_off;  /* ... plus this (at=ack+N, at=ack-N) */
	bool set_flags;  /* replay: sent with its flags replaced by new_flags */
	uint8_t new_flags;
	uint8_t set_dst;     /* replay: RULE_DST_*, the copy's destination */
	uint16_t new_window; /* rewrite: the window field as forwarded */
	bool shift_ack;      /* replay: sent with its ACK number moved by ack_shift */
	int32_t ack_shift;   /* (shift-ack=+N, shift-ack=-N; modulo 2^32) */
	int after_dir;
	uint8_t after_flags;
	char name[RULE_NAME_MAX]; /* "" when unnamed */
};

/* A rule with @action that matches every segment, from the first on, until
 * removed: what a rule's text leaves unsaid.  Code that builds a rule sets
 * the rest by hand. */
void rule_init(struct rule *r, enum rule_action action);

/* Parse one rule.  Errors are "file:line:col: ..." with @col the column of
 * @text's first character in its file. */
int rule_parse(const char *text, const char *file, unsigned line, unsigned col, struct rule *r,
               struct err *e);

/* Only the match part ([DIR] [MATCH...] [nth=] [count=]), as wait and
 * observe steps use it. */
int rule_parse_match(const char *text, const char *file, unsigned line, unsigned col,
                     struct rule *r, struct err *e);

/* Does a segment in direction @dir match?  (Not ordinals, not arming.) */
bool match_frame(const struct match *m, int dir, const struct frame_info *fi);
/* Does it arm a rule's "after" condition? */
bool rule_arms(const struct rule *r, int dir, const struct frame_info *fi);

/* Canonical text of a rule, parseable again. */
void rule_format(const struct rule *r, char *out, size_t len);

const char *rule_action_name(enum rule_action a);
const char *dir_name(int dir); /* "c>s", "s>c", "any" */

#endif
