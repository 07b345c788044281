/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * flood.h - the flood step: crafted SYNs from a raw socket of the client,
 * from source ports FLOOD_PORT0 on, at a steady rate; the wire drops the
 * SYN-ACKs they draw, so the client's kernel never answers them with RSTs.
 */
#ifndef TC_FLOOD_H
#define TC_FLOOD_H

#include "run/player.h"

#define FLOOD_PORT0 20000 /* below every default ephemeral range (32768-60999) */

/* The runner of ST_FLOOD (run/steps.h): the SYNs sent in *@ret, the errno
 * of the sendto(2) that stopped it in *@err. */
int flood_run(struct player *p, const struct step *st, long *ret, int *err);

#endif
