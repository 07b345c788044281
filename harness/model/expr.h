/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * expr.h - arithmetic for computed expectations in tables, over sysctl
 * values read back:
 *
 *   (2^(client:net.ipv4.tcp_syn_retries + 1) - 1)
 *   (min(4, server:net.core.somaxconn) + 1)
 *
 * Numbers (decimal, num.h), sysctl keys (with an optional client: or
 * server: side), observed:NAME or observed:NAME.FIELD (a number the same
 * variant observed: "3 * observed:syn_rtt / 1000", a retransmission
 * timeout from the round trip the kernel measured), + - * /, ^ (power,
 * right-associative), unary minus, parentheses, min(a, b) and max(a, b).
 */
#ifndef TC_EXPR_H
#define TC_EXPR_H

#include <stddef.h>

/* Parentheses (and min/max calls, '^' chains, unary minus chains) nest at
 * most this deep. */
#define EXPR_MAX_DEPTH 64
/* Every number, key value and intermediate result is finite and at most
 * this large in magnitude (2^53: doubles are exact up to it); beyond, the
 * expression is an error ("out of range"), never inf or nan. */
#define EXPR_MAX_VALUE 9007199254740992.0

/* The side of an observed:NAME lookup. */
#define EXPR_OBSERVED 3

/* Resolve a key: side 0 client, 1 server, 2 both (they must agree),
 * EXPR_OBSERVED an observation's name (NAME or NAME.FIELD).
 * Returns 0 and the value, or -1 with a reason in @why. */
typedef int (*expr_lookup)(void *ctx, int side, const char *key, double *v, char *why, size_t wlen);

/* Evaluate @text.  On error returns -1, *errpos is the offset in @text and
 * @why says what is wrong. */
int expr_eval(const char *text, expr_lookup look, void *ctx, double *out, size_t *errpos, char *why,
              size_t wlen);

#endif
