/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sockets.h - the sockets of one variant, by the names its case gives them
 * ("client c", "server L"), with the 4-tuple each had, which the state
 * timelines of the tracepoints need after the socket is closed.
 */
#ifndef TC_SOCKETS_H
#define TC_SOCKETS_H

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <sys/socket.h>

#include "model/caseline.h"
#include "model/tcp.h"
#include "model/tcpinfo.h"

#define SOCKETS_MAX      128
#define SOCKET_BANDS_MAX 32

struct sockent {
	enum side side;
	char name[SC_NAME_MAX];
	int fd;   /* -1 once closed */
	int epfd; /* its watch (an edge-triggered epoll), or -1 */
	/* watch S sigio (run/sigio.h): the bands (si_code POLL_IN, POLL_HUP,
	 * ...) of its signals taken and not yet observed, in order; those
	 * beyond SOCKET_BANDS_MAX counted in bands_over */
	bool sigio;
	unsigned char bands[SOCKET_BANDS_MAX];
	unsigned nbands, bands_over;
	/* Its 4-tuple as last known, kept after close for the tracepoints. */
	bool have_local, have_peer;
	struct sockaddr_storage local, peer;
	/* When the harness made it (s, CLOCK_MONOTONIC, the trace clock): an
	 * earlier socket of the same 4-tuple ended before it. */
	double born;
};

struct sockets {
	struct sockent e[SOCKETS_MAX];
	int n;
};

/* The open socket of that name, or NULL. */
struct sockent *sockets_find(struct sockets *ss, enum side s, const char *name);
/* The latest socket of that name, open or closed, or NULL. */
struct sockent *sockets_find_any(struct sockets *ss, enum side s, const char *name);
/* @fd under that name (closing an open one of the same name); NULL when
 * SOCKETS_MAX are taken. */
struct sockent *sockets_put(struct sockets *ss, enum side s, const char *name, int fd);
/* Remember where the socket is bound and connected to (@to: the address
 * a connect was given, for one that has no peer yet). */
void sockets_note_tuple(struct sockets *ss, enum side s, const char *name,
                        const struct sockaddr_storage *to);
/* TCP_INFO of the open socket of that name: 0, 1 when the socket is closed
 * (the case closed it, or never had it), or -1 when getsockopt(2) failed
 * (errno set). */
int sockets_tcp_info(struct sockets *ss, enum side s, const char *name, struct tcpinfo *ti);
/* Close @se's socket and its watch. */
void sockets_close_one(struct sockent *se);
/* Close every socket still open. */
void sockets_close_all(struct sockets *ss);

#endif
