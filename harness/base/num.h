/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * num.h - numbers in the input languages: cases (and their wire rules),
 * tables and their expressions, kernel versions.  One syntax everywhere:
 * plain decimal, an optional '-' only where the caller allows it, digits,
 * and for a decimal a '.' followed by digits.  No '+', no spaces, no hex
 * (0x10), no octal, no exponent (1e3), no inf or nan; every value is
 * range-checked and no arithmetic on the way overflows.
 */
#ifndef TC_NUM_H
#define TC_NUM_H

#include <stdbool.h>
#include <stddef.h>

/* Decimals (num_decimal) have at most this many digits before the point
 * and after it: 999999999999999 is the largest, and every such number is
 * exact in a double. */
#define NUM_DIGITS_MAX 15

enum num_status {
	NUM_OK = 0,
	NUM_SYNTAX = -1, /* not a number in the syntax above */
	NUM_RANGE = -2,  /* a number, outside min..max (or too many digits) */
};

/* An integer that is all of s[0..n), in @min..@max.  On NUM_SYNTAX *bad
 * (when not NULL) is the offset of the first character that is wrong. */
enum num_status num_int(const char *s, size_t n, long long min, long long max, long long *out,
                        size_t *bad);

/* A decimal at the start of @s, [-]DIGITS[.DIGITS] ('-' only when
 * @allow_minus); *end is set past it ("5..7" reads 5, "2s" reads 2).
 * NUM_SYNTAX when @s does not start with one. */
enum num_status num_decimal(const char *s, bool allow_minus, double *out, const char **end);

#endif
