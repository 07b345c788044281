// SPDX-License-Identifier: GPL-2.0-only
/* sockets.c - a variant's sockets by name. */
#include "run/sockets.h"

#include "base/clock.h"
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct sockent *sockets_find(struct sockets *ss, enum side s, const char *name)
{
	int i;

	for (i = 0; i < ss->n; i++)
		if (ss->e[i].side == s && strcmp(ss->e[i].name, name) == 0 && ss->e[i].fd >= 0)
			return &ss->e[i];
	return NULL;
}

struct sockent *sockets_find_any(struct sockets *ss, enum side s, const char *name)
{
	int i;

	for (i = ss->n; i-- > 0;)
		if (ss->e[i].side == s && strcmp(ss->e[i].name, name) == 0)
			return &ss->e[i];
	return NULL;
}

void sockets_note_tuple(struct sockets *ss, enum side s, const char *name,
                        const struct sockaddr_storage *to)
{
	struct sockent *se = sockets_find(ss, s, name);
	socklen_t len = sizeof(se->local);

	if (!se)
		return;
	if (getsockname(se->fd, (struct sockaddr *)&se->local, &len) == 0)
		se->have_local = true;
	len = sizeof(se->peer);
	if (getpeername(se->fd, (struct sockaddr *)&se->peer, &len) == 0)
		se->have_peer = true;
	else if (to) {
		se->peer = *to;
		se->have_peer = true;
	}
}

struct sockent *sockets_put(struct sockets *ss, enum side s, const char *name, int fd)
{
	struct sockent *se = sockets_find(ss, s, name);

	if (se) {
		sockets_close_one(se);
		se->fd = fd;
		se->nbands = se->bands_over = 0;
		se->born = (clock_ms() / 1e3);
		return se;
	}
	if (ss->n == SOCKETS_MAX)
		return NULL;
	se = &ss->e[ss->n++];
	memset(se, 0, sizeof(*se));
	se->side = s;
	snprintf(se->name, sizeof(se->name), "%s", name);
	se->fd = fd;
	se->epfd = -1;
	se->born = (clock_ms() / 1e3);
	return se;
}

int sockets_tcp_info(struct sockets *ss, enum side s, const char *name, struct tcpinfo *ti)
{
	struct sockent *se = sockets_find(ss, s, name);
	socklen_t len = sizeof(ti->raw);

	memset(ti, 0, sizeof(*ti));
	if (!se)
		return 1;
	if (getsockopt(se->fd, IPPROTO_TCP, TCP_INFO, ti->raw, &len) < 0)
		return -1;
	ti->len = len;
	return 0;
}

void sockets_close_one(struct sockent *se)
{
	if (se->fd >= 0)
		close(se->fd);
	if (se->epfd >= 0)
		close(se->epfd);
	se->fd = se->epfd = -1;
	se->sigio = false;
}

void sockets_close_all(struct sockets *ss)
{
	int i;

	for (i = 0; i < ss->n; i++)
		sockets_close_one(&ss->e[i]);
}
