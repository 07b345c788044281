// SPDX-License-Identifier: GPL-2.0-only
/* fuzz_table.c - the expectation table parser on arbitrary input. */
#include "fuzz.h"

#include <math.h>
#include <stdbool.h>

#include "model/expr.h"
#include "model/table.h"

/* Every key stands for 1, as when the table loads. */
static int one(void *ctx, int side, const char *key, double *v, char *why, size_t wlen)
{
	(void)ctx;
	(void)side;
	(void)key;
	(void)why;
	(void)wlen;
	*v = 1;
	return 0;
}

/* A number as the table language writes it (num.h): at most 15 digits
 * before the point, below 1e15; below 1e18 once seconds are ms. */
static bool bounded(double x)
{
	return isfinite(x) && fabs(x) < 1e18;
}

/* What a loaded table holds: finite numbers in range, tolerances not
 * negative, expressions with a finite value, kernel versions that did not
 * wrap. */
static void check_rows(const struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows; i++) {
		const struct row *r = &t->rows[i];
		const struct matcher *m = &r->m;
		double x = 0;
		size_t pos;
		char why[200];

		if (m->kind == M_EXPR &&
		    (expr_eval(m->text, one, NULL, &x, &pos, why, sizeof(why)) < 0 ||
		     !isfinite(x))) {
			fprintf(stderr, "row %u: expression %s accepted\n", r->line, m->text);
			abort();
		}
		if (!bounded(m->value) || !bounded(m->tol) || m->tol < 0 || isnan(m->lo) ||
		    isnan(m->hi) || (isfinite(m->lo) && !bounded(m->lo)) ||
		    (isfinite(m->hi) && !bounded(m->hi)) || r->kernel.a.major < 0 ||
		    r->kernel.a.minor < 0 || r->kernel.a.patch < -1 || r->kernel.b.major < 0 ||
		    r->kernel.b.minor < 0 || r->kernel.b.patch < -1) {
			fprintf(stderr, "row %u: a number out of range was accepted\n", r->line);
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct table t;
	struct err e;

	if (table_parse((const char *)data, size, "f.table", &t, &e) == 0) {
		check_rows(&t);
		table_free(&t);
	} else if (e.kind == ERR_INPUT) {
		fuzz_check_place(e.msg, "f.table");
	}
	return 0;
}
