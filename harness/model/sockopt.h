/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sockopt.h - the socket options a case sets: "setsockopt S OPTION VALUE"
 * with OPTION a name Linux knows (SO_REUSEADDR, TCP_SYNCNT, ...) or
 * LEVEL:NUMBER for options it lacks (SOL_SOCKET:-5), SO_LINGER's
 * ONOFF,SECONDS, and IPV6_FLOWLABEL_MGR's LABEL (an exclusive lease of that
 * flow label towards the peer, made when the step runs).
 */
#ifndef TC_SOCKOPT_H
#define TC_SOCKOPT_H

#include <stdbool.h>

#include "model/caseline.h"

struct sockopt {
	int level, name;
	char text[SC_NAME_MAX]; /* the option as written */
	int value, value2;      /* SO_LINGER: l_onoff, l_linger */
	bool is_linger;         /* SO_LINGER: a struct linger, not an int */
	bool is_flowlabel;      /* IPV6_FLOWLABEL_MGR: value is the label to lease */
};

/* "OPTION VALUE", the rest of a setsockopt line, into @o. */
int sockopt_parse(struct lp *p, struct sockopt *o);

#endif
