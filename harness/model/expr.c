// SPDX-License-Identifier: GPL-2.0-only
/* expr.c - a small recursive-descent evaluator for computed expectations. */
#include "model/expr.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/num.h"

struct ev {
	const char *s, *p;
	expr_lookup look;
	void *ctx;
	const char *err_at;
	char *why;
	size_t wlen;
	int depth;
};

static int fail(struct ev *v, const char *at, const char *msg)
{
	if (!v->err_at) {
		v->err_at = at;
		snprintf(v->why, v->wlen, "%s", msg);
	}
	return -1;
}

static void skip_space(struct ev *v)
{
	while (isspace((unsigned char)*v->p))
		v->p++;
}

static int expr(struct ev *v, double *out);

/* One more level of nesting, at @at. */
static int deeper(struct ev *v, const char *at)
{
	if (++v->depth > EXPR_MAX_DEPTH) {
		char msg[64];

		snprintf(msg, sizeof(msg), "nesting deeper than %d", EXPR_MAX_DEPTH);
		return fail(v, at, msg);
	}
	return 0;
}

/* Every value the evaluation makes stays finite and in range. */
static int in_range(struct ev *v, const char *at, double x)
{
	if (!isfinite(x) || fabs(x) > EXPR_MAX_VALUE)
		return fail(v, at, "result out of range (not finite, or beyond 2^53)");
	return 0;
}

static bool is_key_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == ':' || c == '/';
}

static int primary(struct ev *v, double *out)
{
	skip_space(v);
	if (*v->p == '(') {
		if (deeper(v, v->p) < 0)
			return -1;
		v->p++;
		if (expr(v, out) < 0)
			return -1;
		skip_space(v);
		if (*v->p != ')')
			return fail(v, v->p, "expected ')'");
		v->p++;
		v->depth--;
		return 0;
	}
	if (isdigit((unsigned char)*v->p) || *v->p == '.') {
		const char *end;

		if (num_decimal(v->p, false, out, &end) != NUM_OK)
			return fail(v, v->p, "expected a number (decimal, at most 15 digits)");
		if (isalnum((unsigned char)*end) || *end == '.')
			return fail(v, end, "expected a number (decimal, at most 15 digits)");
		v->p = end;
		return 0;
	}
	if (isalpha((unsigned char)*v->p)) {
		const char *start = v->p;
		char name[160];
		size_t n;

		while (is_key_char(*v->p))
			v->p++;
		if (!strncmp(start, "observed:", 9) && *v->p == '[') {
			/* an element of a list: observed:NAME[N] */
			const char *q = v->p + 1;

			while (isdigit((unsigned char)*q) && q - v->p <= 4)
				q++;
			if (q == v->p + 1 || *q != ']')
				return fail(v, v->p, "expected [N], a list index of 1 to 4 digits");
			v->p = q + 1;
		}
		n = (size_t)(v->p - start);
		if (n >= sizeof(name))
			return fail(v, start, "name too long");
		memcpy(name, start, n);
		name[n] = '\0';
		skip_space(v);
		if ((!strcmp(name, "min") || !strcmp(name, "max")) && *v->p == '(') {
			double a, b;

			if (deeper(v, v->p) < 0)
				return -1;
			v->p++;
			if (expr(v, &a) < 0)
				return -1;
			skip_space(v);
			if (*v->p != ',')
				return fail(v, v->p, "expected ',' between the two arguments");
			v->p++;
			if (expr(v, &b) < 0)
				return -1;
			skip_space(v);
			if (*v->p != ')')
				return fail(v, v->p, "expected ')'");
			v->p++;
			v->depth--;
			*out = !strcmp(name, "min") ? fmin(a, b) : fmax(a, b);
			return 0;
		}
		{
			int side = 2;
			const char *key = name;
			char why[200] = "";

			if (!strncmp(name, "client:", 7)) {
				side = 0;
				key = name + 7;
			} else if (!strncmp(name, "server:", 7)) {
				side = 1;
				key = name + 7;
			} else if (!strncmp(name, "observed:", 9)) {
				side = EXPR_OBSERVED;
				key = name + 9;
			}
			if (v->look(v->ctx, side, key, out, why, sizeof(why)) < 0)
				return fail(v, start, why[0] ? why : "unknown name");
		}
		return in_range(v, start, *out);
	}
	return fail(v, v->p,
	            *v->p ? "expected a number, a sysctl key, observed:NAME, min( or max("
	                  : "unexpected end");
}

static int unary(struct ev *v, double *out)
{
	skip_space(v);
	if (*v->p == '-') {
		if (deeper(v, v->p) < 0)
			return -1;
		v->p++;
		if (unary(v, out) < 0)
			return -1;
		v->depth--;
		*out = -*out;
		return 0;
	}
	return primary(v, out);
}

static int power(struct ev *v, double *out)
{
	const char *op;
	double e;

	if (unary(v, out) < 0)
		return -1;
	skip_space(v);
	if (*v->p != '^')
		return 0;
	op = v->p;
	if (deeper(v, op) < 0)
		return -1;
	v->p++;
	if (power(v, &e) < 0)
		return -1;
	v->depth--;
	*out = pow(*out, e);
	return in_range(v, op, *out);
}

static int term(struct ev *v, double *out)
{
	const char *at;
	double r;

	if (power(v, out) < 0)
		return -1;
	for (;;) {
		char op;

		skip_space(v);
		op = *v->p;
		if (op != '*' && op != '/')
			return 0;
		at = v->p++;
		if (power(v, &r) < 0)
			return -1;
		if (op == '/' && r == 0)
			return fail(v, v->p, "division by zero");
		*out = op == '*' ? *out * r : *out / r;
		if (in_range(v, at, *out) < 0)
			return -1;
	}
}

static int expr(struct ev *v, double *out)
{
	const char *at;
	double r;

	if (term(v, out) < 0)
		return -1;
	for (;;) {
		char op;

		skip_space(v);
		op = *v->p;
		if (op != '+' && op != '-')
			return 0;
		at = v->p++;
		if (term(v, &r) < 0)
			return -1;
		*out = op == '+' ? *out + r : *out - r;
		if (in_range(v, at, *out) < 0)
			return -1;
	}
}

int expr_eval(const char *text, expr_lookup look, void *ctx, double *out, size_t *errpos, char *why,
              size_t wlen)
{
	struct ev v = {.s = text, .p = text, .look = look, .ctx = ctx, .why = why, .wlen = wlen};

	why[0] = '\0';
	if (expr(&v, out) == 0) {
		skip_space(&v);
		if (!*v.p)
			return 0;
		fail(&v, v.p, "unexpected text");
	}
	*errpos = (size_t)((v.err_at ? v.err_at : v.p) - text);
	return -1;
}
