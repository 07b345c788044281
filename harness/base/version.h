/* SPDX-License-Identifier: GPL-2.0-only */
/* version.h - the version string, set by the Makefile from git. */
#ifndef TC_VERSION_H
#define TC_VERSION_H

#ifndef TC_VERSION
#define TC_VERSION "0.1.0"
#endif

/* "tcpconform 0.1.0 (g1234abc)" style, without a newline. */
const char *tc_version(void);

#endif
