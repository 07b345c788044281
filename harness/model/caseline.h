/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * caseline.h - one line of a case file as the case parser reads it: its
 * words (with their columns, for errors at file:line:col), and the readers
 * of what every kind of line shares: numbers, durations, sides, names.
 *
 * scenario.c reads a file line by line into a struct lp and hands step
 * lines to step.c; both read the words through these.
 */
#ifndef TC_CASELINE_H
#define TC_CASELINE_H

#include <stdbool.h>

#include "base/error.h"
#include "model/tcp.h"

/* Sizes of a case's words, with their terminating NUL. */
#define SC_NAME_MAX  64  /* a socket, a mark, a case, a variable */
#define SC_KEY_MAX   128 /* a sysctl key, an observation, a field */
#define SC_VALUE_MAX 128 /* a value, a "text" */

#define LP_MAX_TOKENS  48 /* words on one line */
#define LP_MAX_SOCKETS 64 /* socket names on one side */

struct scenario;
struct step;

struct tok {
	char text[SC_VALUE_MAX * 2]; /* cut at that size */
	unsigned col;                /* 1-based column of its first character */
	bool quoted;
};

struct lp { /* line parser */
	const char *file;
	unsigned line;
	const char *raw; /* the line, for rule columns */
	struct tok t[LP_MAX_TOKENS];
	int n, i;            /* tokens, and the next one to read */
	const char *comment; /* after the '#' that ends the line, or NULL */
	struct err *e;
	struct scenario *sc; /* the case so far (scenario.c) */
	/* the steps so far, for step.c (set before each step line) */
	const struct step *steps;
	size_t nsteps;
	/* sockets created so far, per side (step.c) */
	char socks[2][LP_MAX_SOCKETS][SC_NAME_MAX];
	int nsocks[2];
};

/* An error at column @col of the line (ERR_INPUT); returns -1. */
int lp_at(struct lp *p, unsigned col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Split @line; '#' outside quotes ends it.  Returns -1 on a quoting error. */
int lp_tokenize(struct lp *p, const char *line);
/* The next token, NULL at the end; lp_next also moves past it. */
struct tok *lp_peek(struct lp *p);
struct tok *lp_next(struct lp *p);
/* Column just past the last token, for "expected ..." at end of line. */
unsigned lp_end_col(struct lp *p);
/* The next token into *@t, or "expected @what" at the end of the line. */
int lp_need(struct lp *p, struct tok **t, const char *what);
/* Is @t (may be NULL) the unquoted word @s? */
bool lp_is(const struct tok *t, const char *s);
/* The next token is the word @word, or an error. */
int lp_expect(struct lp *p, const char *word);
/* No token is left, or "unexpected '...'". */
int lp_no_more(struct lp *p);
/* @t as a decimal in [min, max] (num.h), or an error at it. */
int lp_number(struct lp *p, struct tok *t, long min, long max, long *out);
int lp_next_number(struct lp *p, const char *what, long min, long max, long *out);
/* 1500ms, 2s, 1.5s, 2min: at most an hour. */
int lp_duration(struct lp *p, struct tok *t, unsigned *ms);
/* client, server (or both when @allow_both). */
int lp_side(struct lp *p, struct tok *t, bool allow_both, enum side *s);
/* A name: a letter or '_', then letters, digits, '_', '-' (SC_NAME_MAX). */
bool lp_valid_name(const char *s);
/* The rest of the line from token @from on, as written (for rule
 * parsing), and its column in *@col. */
const char *lp_rest(struct lp *p, int from, unsigned *col);
/* A sysctl assignment: "KEY [=] VALUE..." from the next token on, the
 * value's words joined by one space ("32768 60999"); the key canonical
 * (dotted) into @key, the value into @val.  A key outside a network
 * namespace, or a value that would reach the host (sysctl_host_effect()),
 * is an error at it.  @kt and @vt (may be NULL) get the tokens. */
int lp_sysctl(struct lp *p, char *key, size_t keylen, char *val, size_t vallen, struct tok **kt,
              struct tok **vt);
/* Refuse @key (canonical), with @v its value token or NULL for an axis
 * whose values come later, when it would reach the host; the error at
 * @k or @v. */
int lp_sysctl_confined(struct lp *p, const char *key, struct tok *k, struct tok *v);

#endif
