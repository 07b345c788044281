// SPDX-License-Identifier: GPL-2.0-only
/* error.c - error messages and exit statuses. */
#include "base/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/text.h"

/* Messages quote files (a token of a case, a field of a results
 * directory): whoever prints one prints it to a terminal, so no control
 * character survives in it (text.h). */
static void clean(struct err *e)
{
	char tmp[sizeof(e->msg)];

	text_escape_term_buf(tmp, sizeof(tmp), e->msg);
	memcpy(e->msg, tmp, sizeof(tmp));
}

static void vset(struct err *e, const char *fmt, va_list ap)
{
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	clean(e);
}

int err_set(struct err *e, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;

	e->kind = kind;
	e->errnum = 0;
	va_start(ap, fmt);
	vset(e, fmt, ap);
	va_end(ap);
	return -1;
}

int err_sys(struct err *e, const char *fmt, ...)
{
	int saved = errno;
	size_t n;
	va_list ap;

	e->kind = ERR_SYSTEM;
	e->errnum = saved;
	va_start(ap, fmt);
	vset(e, fmt, ap);
	va_end(ap);
	n = strlen(e->msg);
	/* The symbolic name too: "Too many open files" is EMFILE. */
	snprintf(e->msg + n, sizeof(e->msg) - n, ": %s (%s)", strerror(saved),
	         err_errno_name(saved));
	clean(e);
	/* No privilege is an environment problem, not a harness failure. */
	if (saved == EPERM || saved == EACCES)
		e->kind = ERR_ENV;
	errno = saved;
	return -1;
}

int err_wrap(struct err *e, const char *fmt, ...)
{
	char prefix[256];
	size_t plen, mlen, cap = sizeof(e->msg) - 1;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix) - 2, fmt, ap);
	va_end(ap);
	strcat(prefix, ": ");
	plen = strlen(prefix);
	mlen = strnlen(e->msg, cap);
	if (plen + mlen > cap)
		mlen = cap - plen;
	memmove(e->msg + plen, e->msg, mlen);
	memcpy(e->msg, prefix, plen);
	e->msg[plen + mlen] = '\0';
	clean(e);
	return -1;
}

int err_at(struct err *e, const char *file, unsigned line, unsigned col, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	e->kind = ERR_INPUT;
	e->errnum = 0;
	/* No position is none: never "file:0:0" (nor jansson's -1). */
	if (!line)
		snprintf(e->msg, sizeof(e->msg), "%s: ", file);
	else if (!col)
		snprintf(e->msg, sizeof(e->msg), "%s:%u: ", file, line);
	else
		snprintf(e->msg, sizeof(e->msg), "%s:%u:%u: ", file, line, col);
	n = strlen(e->msg);
	va_start(ap, fmt);
	vsnprintf(e->msg + n, sizeof(e->msg) - n, fmt, ap);
	va_end(ap);
	clean(e);
	return -1;
}

void err_clear(struct err *e)
{
	e->kind = ERR_NONE;
	e->errnum = 0;
	e->msg[0] = '\0';
}

const char *err_errno_name(int errnum)
{
	const char *n = errnum ? strerrorname_np(errnum) : NULL;

	return n ? n : "E?";
}

int err_exit_status(const struct err *e)
{
	switch (e->kind) {
	case ERR_NONE:
		return EXIT_PASS;
	case ERR_INPUT:
		return EXIT_USAGE;
	case ERR_ENV:
		return EXIT_ENV;
	case ERR_SYSTEM:
		break;
	}
	return EXIT_UNEXPECTED;
}

void err_print(const struct err *e)
{
	fprintf(stderr, "tcpconform: %s\n", e->msg);
}
