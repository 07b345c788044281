/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * report.h - report.html for one run, and `tcpconform report DIR...`, the
 * matrix over several runs (kernels, profiles).  Self-contained HTML: no
 * external asset, opens from disk.  Each variant gets its checks table and
 * a ladder diagram drawn in SVG from the wire's frames and the tracepoints'
 * state changes: client and server columns, time running down, one arrow
 * per segment labelled with flags, seq/ack and length; dropped, held,
 * delayed, duplicated and replayed frames marked.
 *
 * A results directory may come from another machine: every string from it
 * is escaped (text.h), links are relative and percent-encoded, class names
 * come from a fixed set, and its files are read as resdir.h reads them.
 */
#ifndef TC_REPORT_H
#define TC_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "base/error.h"
#include "model/covspec.h"
#include "out/summary.h"

/* DIR/report.html for the run in DIR. */
int report_write_run(const char *rundir, struct err *e);
/* The same for the open run directory @dirfd, named @label in messages. */
int report_write_run_at(int dirfd, const char *label, struct err *e);
/* The same with a coverage section (covreport.h) against the transitions
 * @tr and the timers @tm (NULL: none), and coverage.json beside it; no
 * section when @tr is NULL. */
int report_write_run_cov(int dirfd, const char *label, const struct cov_transitions *tr,
                         const struct cov_timers *tm, struct err *e);

/* `report`: the matrix over the @n runs in @dirs written to @out, whose name
 * is printed.  Returns the exit status (2: a directory that is no run; 3:
 * @out cannot be written), its errors said on stderr. */
int report_write_matrix(const char *out, const char *const *dirs, int n);

/* The pieces, as report_write_run() and report_write_matrix() use them (and the
 * fuzz targets): the page of run @sum, whose variants' files are read
 * below @dirfd (-1: none read); */
void report_run_html(FILE *fp, const struct summary *sum, int dirfd);
/* one variant's section, from its summary entry @var, its observed.json
 * @obs and its events.txt @events (NULL: absent); */
void report_variant_html(FILE *fp, json_t *var, json_t *obs, const char *events);
/* the matrix over @n runs, labelled by @dirs (-1: out of memory). */
int report_matrix_html(FILE *fp, const struct summary *sums, int n, const char *const *dirs);

#endif
