// SPDX-License-Identifier: GPL-2.0-only
/* version.c - the one version string. */
#include "base/version.h"

#ifndef TC_GIT
#define TC_GIT "unknown"
#endif

const char *tc_version(void)
{
	return "tcpconform " TC_VERSION " (git " TC_GIT ")";
}
