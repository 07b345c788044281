/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * error.h - one way to carry and print errors.
 *
 * Functions that can fail take a `struct err *` and return -1 after filling
 * it with a complete message; the caller decides whether to print it, add
 * context or go on.  The exit statuses are those of docs/ARCHITECTURE.md
 * ("Exit statuses") and of the README.
 */
#ifndef TC_ERROR_H
#define TC_ERROR_H

#include <stddef.h>

enum exit_status {
	EXIT_PASS = 0,       /* all expectations met */
	EXIT_UNEXPECTED = 1, /* an unexpected outcome */
	EXIT_USAGE = 2,      /* bad input or usage */
	EXIT_ENV = 3,        /* the environment cannot run the suite */
};

/* Why an operation failed: decides the exit status of a command. */
enum err_kind {
	ERR_NONE = 0,
	ERR_SYSTEM, /* a syscall or library call failed unexpectedly */
	ERR_INPUT,  /* bad input: case file, table, profile, command line */
	ERR_ENV,    /* the environment lacks something (privilege, kernel feature) */
};

struct err {
	enum err_kind kind;
	int errnum; /* errno of the failed call, 0 if none */
	char msg[512];
};

/* Fill @e and return -1.  err_sys appends strerror(errno) and the errno's
 * name ("Too many open files (EMFILE)") and records errno in e->errnum. */
int err_set(struct err *e, enum err_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int err_sys(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prefix existing message with more context ("building topology: ..."). */
int err_wrap(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A parse error at file:line:col (1-based line and column; 0 when not
 * known: "file:line: ", or "file: " without a line). */
int err_at(struct err *e, const char *file, unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void err_clear(struct err *e);
/* The symbolic name of an errno value ("EMFILE"), "E?" when unknown. */
const char *err_errno_name(int errnum);

/* The exit status that matches an error kind. */
int err_exit_status(const struct err *e);
/* Print "tcpconform: <msg>" on stderr. */
void err_print(const struct err *e);

#endif
