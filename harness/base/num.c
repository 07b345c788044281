// SPDX-License-Identifier: GPL-2.0-only
/* num.c - strict decimal numbers, range-checked without overflow. */
#include "base/num.h"

#include <stdlib.h>
#include <string.h>

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

enum num_status num_int(const char *s, size_t n, long long min, long long max, long long *out,
                        size_t *bad)
{
	bool neg = n > 0 && s[0] == '-' && min < 0;
	/* The magnitude's limit: max, or -min for a negative number (as an
	 * unsigned value, so that LLONG_MIN has one). */
	unsigned long long lim, v = 0;
	size_t i = neg ? 1 : 0;

	if (bad)
		*bad = i;
	if (i == n)
		return NUM_SYNTAX;
	if (neg)
		lim = min < 0 ? (unsigned long long)(-(min + 1)) + 1 : 0;
	else
		lim = max < 0 ? 0 : (unsigned long long)max;
	for (; i < n; i++) {
		unsigned d;

		if (!digit(s[i])) {
			if (bad)
				*bad = i;
			return NUM_SYNTAX;
		}
		d = (unsigned)(s[i] - '0');
		if (d > lim || v > (lim - d) / 10) {
			/* Out of range: still a syntax error if a non-digit follows. */
			for (; i < n; i++)
				if (!digit(s[i])) {
					if (bad)
						*bad = i;
					return NUM_SYNTAX;
				}
			return NUM_RANGE;
		}
		v = v * 10 + d;
	}
	/* v <= lim: it fits; v may be 2^63 for LLONG_MIN. */
	*out = !neg ? (long long)v : v == 0 ? 0 : -(long long)(v - 1) - 1;
	return *out < min || *out > max ? NUM_RANGE : NUM_OK;
}

enum num_status num_decimal(const char *s, bool allow_minus, double *out, const char **end)
{
	const char *p = s;
	size_t ip, fp = 0;
	char buf[2 * NUM_DIGITS_MAX + 3];

	*end = s;
	if (allow_minus && *p == '-')
		p++;
	ip = strspn(p, "0123456789");
	if (ip == 0)
		return NUM_SYNTAX;
	p += ip;
	if (*p == '.' && digit(p[1])) {
		fp = strspn(p + 1, "0123456789");
		p += 1 + fp;
	}
	*end = p;
	if (ip > NUM_DIGITS_MAX || fp > NUM_DIGITS_MAX)
		return NUM_RANGE;
	/* Only [-]digits[.digits] reach strtod: it cannot see hex, an
	 * exponent or inf, and the value is finite. */
	memcpy(buf, s, (size_t)(p - s));
	buf[p - s] = '\0';
	*out = strtod(buf, NULL);
	return NUM_OK;
}
