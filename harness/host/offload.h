/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * offload.h - turn off segmentation, receive-coalescing and checksum offloads.
 *
 * With them off, one frame on a veth is one TCP segment with a complete
 * checksum: what the wire sees is what a real NIC would put on the cable,
 * and a frame it re-sends through AF_PACKET is accepted by the receiver.
 */
#ifndef TC_OFFLOAD_H
#define TC_OFFLOAD_H

#include "base/error.h"

/* Disable TSO, GSO, GRO, scatter-gather and tx/rx checksumming on @ifname,
 * using @sockfd (any socket in the link's namespace), then read them back:
 * a feature that stays on is an error naming it. */
int offload_disable(int sockfd, const char *ifname, struct err *e);

#endif
