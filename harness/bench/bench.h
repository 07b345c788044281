/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bench.h - `tcpconform bench ...`: the project's own performance figures.
 *
 * Each benchmark prints human-readable lines and ends with key=value lines
 * that scripts and notes quote.
 */
#ifndef TC_BENCH_H
#define TC_BENCH_H

#include <stddef.h>

int cmd_bench(int argc, char **argv);

int bench_topology(int argc, char **argv);
int bench_wire(int argc, char **argv);
int bench_mutants(int argc, char **argv);
int bench_kernel_loop(int argc, char **argv);

/* Sample sets in milliseconds (or any unit). */
struct samples {
	double *v;
	size_t n, cap;
};
int samples_add(struct samples *s, double v);
/* Sorts in place; q in [0,1]; nearest-rank. */
double samples_quantile(struct samples *s, double q);
double samples_min(struct samples *s);
double samples_max(struct samples *s);
void samples_free(struct samples *s);

double now_ms(void);

#endif
