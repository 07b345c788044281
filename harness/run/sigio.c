// SPDX-License-Identifier: GPL-2.0-only
/* sigio.c - signal-driven I/O on a variant's sockets: the bands of the
 * kernel's SIGIOs, queued as real-time signals and taken, never delivered. */
#include "run/sigio.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The real-time signal asked for; SIGRTMIN is not a constant in glibc. */
static int sigio_signal(void)
{
	return SIGRTMIN + 2;
}

static void sigio_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, sigio_signal());
	sigaddset(set, SIGIO);
}

int sigio_watch(struct sockets *ss, struct sockent *se, struct err *e)
{
	struct f_owner_ex own = {.type = F_OWNER_TID, .pid = gettid()};
	sigset_t set;
	int fl;

	sigio_set(&set);
	if ((errno = pthread_sigmask(SIG_BLOCK, &set, NULL)) != 0)
		return err_sys(e, "pthread_sigmask");
	if (sigio_collect(ss, e) < 0)
		return -1;
	se->nbands = se->bands_over = 0;
	if (fcntl(se->fd, F_SETOWN_EX, &own) < 0)
		return err_sys(e, "fcntl(%s, F_SETOWN_EX)", se->name);
	if (fcntl(se->fd, F_SETSIG, sigio_signal()) < 0)
		return err_sys(e, "fcntl(%s, F_SETSIG)", se->name);
	if ((fl = fcntl(se->fd, F_GETFL)) < 0 || fcntl(se->fd, F_SETFL, fl | O_ASYNC) < 0)
		return err_sys(e, "fcntl(%s, F_SETFL, O_ASYNC)", se->name);
	se->sigio = true;
	return 0;
}

static struct sockent *by_fd(struct sockets *ss, int fd)
{
	for (int i = 0; i < ss->n; i++)
		if (ss->e[i].fd == fd && ss->e[i].sigio)
			return &ss->e[i];
	return NULL;
}

int sigio_collect(struct sockets *ss, struct err *e)
{
	static const struct timespec zero = {0, 0};
	bool overflow = false;
	sigset_t set;
	siginfo_t si;
	int sig;

	sigio_set(&set);
	while ((sig = sigtimedwait(&set, &si, &zero)) > 0) {
		struct sockent *se;

		if (sig == SIGIO) {
			overflow = true;
			continue;
		}
		se = by_fd(ss, si.si_fd);
		if (!se)
			continue;
		if (se->nbands < SOCKET_BANDS_MAX)
			se->bands[se->nbands++] = (unsigned char)si.si_code;
		else
			se->bands_over++;
	}
	if (sig < 0 && errno != EAGAIN)
		return err_sys(e, "sigtimedwait");
	if (overflow)
		return err_set(e, ERR_SYSTEM,
		               "the real-time signal queue overflowed (RLIMIT_SIGPENDING): the "
		               "kernel sent a plain SIGIO and bands were lost");
	return 0;
}

static const char *band_name(int code)
{
	switch (code) {
	case POLL_IN:
		return "IN";
	case POLL_OUT:
		return "OUT";
	case POLL_MSG:
		return "MSG";
	case POLL_ERR:
		return "ERR";
	case POLL_PRI:
		return "PRI";
	case POLL_HUP:
		return "HUP";
	}
	return "?";
}

void sigio_take(struct sockent *se, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < se->nbands && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? " " : "",
		                       band_name(se->bands[i]));
	if (se->bands_over && at < len)
		snprintf(buf + at, len - at, " (+%u)", se->bands_over);
	if (!buf[0])
		snprintf(buf, len, "none");
	se->nbands = se->bands_over = 0;
}
