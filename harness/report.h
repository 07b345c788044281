/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * report.h - report.html for one run, and `tcpconform report DIR...`, the
 * matrix over several runs (kernels, profiles).  Self-contained HTML: no
 * external asset, opens from disk.  Each variant gets its checks table and
 * a ladder diagram drawn in SVG from the wire's frames and the tracepoints'
 * state changes: client and server columns, time running down, one arrow
 * per segment labelled with flags, seq/ack and length; dropped, held,
 * delayed, duplicated and replayed frames marked.
 */
#ifndef TC_REPORT_H
#define TC_REPORT_H

#include "error.h"

int report_write_run(const char *rundir, struct err *e);
int cmd_report(int argc, char **argv);

#endif
