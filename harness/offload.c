// SPDX-License-Identifier: GPL-2.0-only
/* offload.c - offloads off through the ethtool ioctl (works on every kernel from 4.9 on). */
#include "offload.h"

#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>

struct offload {
	const char *name; /* as `ethtool -k` calls it */
	unsigned set, get;
};

/* Checksumming first: TSO depends on it and the kernel drops it along. */
static const struct offload offloads[] = {
	{"tx-checksumming", ETHTOOL_STXCSUM, ETHTOOL_GTXCSUM},
	{"tcp-segmentation-offload", ETHTOOL_STSO, ETHTOOL_GTSO},
	{"generic-segmentation-offload", ETHTOOL_SGSO, ETHTOOL_GGSO},
	{"generic-receive-offload", ETHTOOL_SGRO, ETHTOOL_GGRO},
	{"scatter-gather", ETHTOOL_SSG, ETHTOOL_GSG},
	{"rx-checksumming", ETHTOOL_SRXCSUM, ETHTOOL_GRXCSUM},
};

static int ethtool_value(int sockfd, const char *ifname, unsigned cmd, unsigned *data)
{
	struct ethtool_value ev = {.cmd = cmd, .data = *data};
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
	ifr.ifr_data = (void *)&ev;
	if (ioctl(sockfd, SIOCETHTOOL, &ifr) < 0)
		return -1;
	*data = ev.data;
	return 0;
}

int offload_disable(int sockfd, const char *ifname, struct err *e)
{
	size_t i;

	for (i = 0; i < sizeof(offloads) / sizeof(offloads[0]); i++) {
		unsigned v = 0;

		/* EOPNOTSUPP: the device cannot change it; the read-back decides. */
		if (ethtool_value(sockfd, ifname, offloads[i].set, &v) < 0 && errno != EOPNOTSUPP)
			return err_sys(e, "%s: turning %s off", ifname, offloads[i].name);
	}
	for (i = 0; i < sizeof(offloads) / sizeof(offloads[0]); i++) {
		unsigned v = 0;

		if (ethtool_value(sockfd, ifname, offloads[i].get, &v) < 0)
			return err_sys(e, "%s: reading %s", ifname, offloads[i].name);
		if (v)
			return err_set(e, ERR_ENV, "%s: %s stays on", ifname, offloads[i].name);
	}
	return 0;
}
