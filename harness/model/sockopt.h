/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sockopt.h - the socket options a case sets: "setsockopt S OPTION VALUE"
 * with OPTION a name Linux knows (SO_REUSEADDR, TCP_SYNCNT, ...) or
 * LEVEL:NUMBER for options it lacks (SOL_SOCKET:-5), SO_LINGER's
 * ONOFF,SECONDS, IPV6_FLOWLABEL_MGR's LABEL (an exclusive lease of that
 * flow label towards the peer, made when the step runs) and TCP_MD5SIG's
 * KEY (an RFC 2385 key for the peer's address, a struct tcp_md5sig made
 * when the step runs) and IP_OPTIONS's lsrr:peer (an RFC 791 loose source
 * route whose one hop is the peer's address, IPv4, made when the step runs)
 * and TCP_CONGESTION's NAME (the congestion control algorithm) and
 * SO_BINDTOIFINDEX's link or lo (the side's own link or its loopback,
 * whose ifindex the run looks up) and IPV6_HOPOPTS's pad8 or none (an
 * 8-byte hop-by-hop options header holding padding, or none).
 */
#ifndef TC_SOCKOPT_H
#define TC_SOCKOPT_H

#include <stdbool.h>

#include "model/caseline.h"

/* The longest TCP_MD5SIG key: include/uapi/linux/tcp.h TCP_MD5SIG_MAXKEYLEN
 * (sockopt.c checks that they agree). */
#define SOCKOPT_MD5_KEY_MAX 80
/* The longest congestion control name: include/net/tcp.h TCP_CA_NAME_MAX
 * (16, with its NUL). */
#define SOCKOPT_CA_NAME_MAX 15

/* A device a case names: its side's own link (c0, s0) or lo. */
enum dev_ref { DEV_NONE = 0, DEV_LINK, DEV_LO };

struct sockopt {
	int level, name;
	char text[SC_NAME_MAX]; /* the option as written */
	int value, value2;      /* SO_LINGER: l_onoff, l_linger */
	bool is_linger;         /* SO_LINGER: a struct linger, not an int */
	bool is_flowlabel;      /* IPV6_FLOWLABEL_MGR: value is the label to lease */
	bool is_md5;            /* TCP_MD5SIG: key is the key for the peer's address */
	bool is_lsrr;           /* IP_OPTIONS lsrr:peer: a loose source route via the peer */
	bool is_cong;           /* TCP_CONGESTION: key is the algorithm's name */
	enum dev_ref dev;       /* SO_BINDTOIFINDEX: the device whose ifindex is the value */
	bool is_hopopts;        /* IPV6_HOPOPTS: value 1 pad8, 0 none */
	char key[SOCKOPT_MD5_KEY_MAX + 1]; /* TCP_MD5SIG's key, TCP_CONGESTION's name */
};

/* An option by its name whose getsockopt(2) value is an int (SO_RCVBUF,
 * TCP_WINDOW_CLAMP, ...): 0 with its level and number, or -1. */
int sockopt_int_option(const char *name, int *level, int *opt);
/* "link" or "lo" at @t into @d, or an error there. */
int dev_ref_parse(struct lp *p, struct tok *t, enum dev_ref *d);
/* "OPTION VALUE", the rest of a setsockopt line, into @o. */
int sockopt_parse(struct lp *p, struct sockopt *o);

#endif
