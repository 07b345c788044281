/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tcpinfo.h - TCP_INFO as the running kernel fills it.
 *
 * glibc's struct tcp_info (netinet/tcp.h) stops at tcpi_total_retrans;
 * the kernel's (include/uapi/linux/tcp.h) has grown since (tcpi_snd_wnd,
 * v5.4). Both headers define struct tcp_info, so only tcpinfo.c includes
 * the kernel's, and the rest of the harness holds its bytes here: what
 * getsockopt(TCP_INFO) returned, and how many (an older kernel fills a
 * shorter struct, and a field beyond it is absent, not 0).
 */
#ifndef TC_TCPINFO_H
#define TC_TCPINFO_H

#define TCPINFO_BYTES 512 /* at least sizeof the kernel's struct (checked in tcpinfo.c) */

struct tcpinfo {
	_Alignas(8) unsigned char raw[TCPINFO_BYTES];
	unsigned int len; /* bytes the kernel filled */
};

/* The socket's TCP state (tcpi_state, the kernel's enum: TCP_ESTABLISHED
 * ...). */
int tcpinfo_state(const struct tcpinfo *ti);

/* A field by its name without the tcpi_ prefix ("retransmits", "advmss",
 * "snd_wnd"): its reader, or NULL when the harness knows no such field.
 * One table, read by the case parser (which names are valid) and by the
 * observer. A reader stores the value and returns 0, or returns -1 when
 * the kernel's struct was too short to hold the field. */
typedef int (*tcpinfo_reader)(const struct tcpinfo *ti, long long *value);
tcpinfo_reader tcpinfo_field(const char *name);

#endif
