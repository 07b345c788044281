// SPDX-License-Identifier: GPL-2.0-only
/*
 * offload.c - offloads off through the ethtool ioctl (every kernel from 4.9 on).
 *
 * The features are switched by name (ETHTOOL_SFEATURES with the kernel's own
 * feature strings), not with the legacy ETHTOOL_STSO-style calls: those know
 * only the feature bits of their time, and newer segmentation features
 * (tx-tcp-accecn-segmentation, 6.18) would stay on behind them.
 */
#include "host/offload.h"

#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

/* A feature is turned off when its name contains one of these. */
static const char *const off_patterns[] = {
    "segmentation", /* tx-tcp-segmentation, tx-generic-segmentation, ... */
    "tx-checksum",  /* tx-checksum-ip-generic, ... */
    "tx-scatter-gather",
    "tx-gso", /* tx-gso-partial, tx-gso-list, tx-gso-robust */
    "rx-gro", /* rx-gro, rx-gro-hw, rx-gro-list */
    "rx-udp-gro",
    "rx-lro",
    "rx-checksum",
};

static bool wanted_off(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(off_patterns) / sizeof(off_patterns[0]); i++)
		if (strstr(name, off_patterns[i]))
			return true;
	return false;
}

static int ethtool(int sockfd, const char *ifname, void *cmd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
	ifr.ifr_data = cmd;
	return ioctl(sockfd, SIOCETHTOOL, &ifr);
}

/* The feature names, in bit order, as this kernel calls them. */
static struct ethtool_gstrings *feature_names(int sockfd, const char *ifname, struct err *e)
{
	/* The header and room for the one length it returns. */
	union {
		struct ethtool_sset_info hdr;
		char room[sizeof(struct ethtool_sset_info) + sizeof(__u32)];
	} info;
	struct ethtool_gstrings *gs;
	__u32 len;

	memset(&info, 0, sizeof(info));
	info.hdr.cmd = ETHTOOL_GSSET_INFO;
	info.hdr.sset_mask = 1ULL << ETH_SS_FEATURES;
	if (ethtool(sockfd, ifname, &info) < 0) {
		err_sys(e, "%s: ethtool GSSET_INFO", ifname);
		return NULL;
	}
	len = info.hdr.data[0];
	gs = calloc(1, sizeof(*gs) + (size_t)len * ETH_GSTRING_LEN);
	if (!gs) {
		err_set(e, ERR_SYSTEM, "out of memory");
		return NULL;
	}
	gs->cmd = ETHTOOL_GSTRINGS;
	gs->string_set = ETH_SS_FEATURES;
	gs->len = len;
	if (ethtool(sockfd, ifname, gs) < 0) {
		err_sys(e, "%s: ethtool GSTRINGS", ifname);
		free(gs);
		return NULL;
	}
	return gs;
}

static struct ethtool_gfeatures *get_features(int sockfd, const char *ifname, unsigned blocks,
                                              struct err *e)
{
	struct ethtool_gfeatures *gf;

	gf = calloc(1, sizeof(*gf) + blocks * sizeof(gf->features[0]));
	if (!gf) {
		err_set(e, ERR_SYSTEM, "out of memory");
		return NULL;
	}
	gf->cmd = ETHTOOL_GFEATURES;
	gf->size = blocks;
	if (ethtool(sockfd, ifname, gf) < 0) {
		err_sys(e, "%s: ethtool GFEATURES", ifname);
		free(gf);
		return NULL;
	}
	return gf;
}

int offload_disable(int sockfd, const char *ifname, struct err *e)
{
	struct ethtool_gstrings *gs = feature_names(sockfd, ifname, e);
	struct ethtool_sfeatures *sf = NULL;
	struct ethtool_gfeatures *gf = NULL;
	unsigned blocks, i;
	int r = -1;

	if (!gs)
		return -1;
	blocks = (gs->len + 31) / 32;
	sf = calloc(1, sizeof(*sf) + blocks * sizeof(sf->features[0]));
	if (!sf) {
		err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	sf->cmd = ETHTOOL_SFEATURES;
	sf->size = blocks;
	for (i = 0; i < gs->len; i++) {
		const char *name = (const char *)gs->data + (size_t)i * ETH_GSTRING_LEN;

		if (wanted_off(name))
			sf->features[i / 32].valid |= 1u << (i % 32); /* requested bit stays 0 */
	}
	/* A positive return only says some features could not be changed
	 * (fixed ones): the read-back below decides. */
	if (ethtool(sockfd, ifname, sf) < 0) {
		err_sys(e, "%s: turning offloads off", ifname);
		goto out;
	}
	gf = get_features(sockfd, ifname, blocks, e);
	if (!gf)
		goto out;
	for (i = 0; i < gs->len; i++) {
		const char *name = (const char *)gs->data + (size_t)i * ETH_GSTRING_LEN;

		if (wanted_off(name) && (gf->features[i / 32].active & (1u << (i % 32)))) {
			err_set(e, ERR_ENV, "%s: offload %.*s stays on", ifname, ETH_GSTRING_LEN,
			        name);
			goto out;
		}
	}
	r = 0;
out:
	free(gs);
	free(sf);
	free(gf);
	return r;
}
