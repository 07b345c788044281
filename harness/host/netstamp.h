/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * netstamp.h - the kernel's receive timestamps held on for a whole run.
 *
 * Every variant's wire asks for receive timestamps (SO_TIMESTAMPNS on its
 * packet sockets), and the kernel turns the static key that gates them
 * (netstamp_needed_key, net/core/dev.c net_enable_timestamp()) on when the
 * first user comes and off when the last goes, patching its own text each
 * time (text_poke_bp(): an int3 first, the new bytes, then the int3
 * removed).  A run's variants come and go, so the key flips many times.
 * Under TCG another vCPU can still execute the int3 after the patch is
 * done: a Debian 6.12.118 guest died so mid-run ("Oops: int3" in
 * __netif_receive_skb_core(), the key's first branch, 94 s into the
 * catalogue; session 17's matrix).  One user held from before the first
 * variant to after the last leaves one flip at each end of the run, none
 * under running scenarios.  Nothing a case observes depends on the key:
 * it only says whether received skbs are stamped, as every variant's wire
 * has them stamped anyway.
 */
#ifndef TC_NETSTAMP_H
#define TC_NETSTAMP_H

#include "base/error.h"

/* A socket of no network (AF_INET datagram, never bound) with
 * SO_TIMESTAMPNS set: the fd to close at the run's end, or -1 with @e. */
int netstamp_hold(struct err *e);

#endif
