/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * progress.h - a long transfer's progress on stderr (a kernel package's
 * download): on a terminal one line redrawn in place with the bytes, the
 * share and the rate; otherwise (a log, a pipe) a line per 10%, so a log
 * stays short and still shows that something moves.
 */
#ifndef TC_PROGRESS_H
#define TC_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

struct progress {
	FILE *fp;
	char label[256];
	long long total; /* bytes expected; 0: unknown (a line per 10 MB then) */
	long long bytes;
	bool tty;
	double t0, drawn_ms; /* start; the last redraw (terminal) */
	int step;            /* the last 10% (or 10 MB) step written */
	bool drawn;          /* a terminal line is open */
};

/* Start on @fp (stderr): a terminal when isatty() says so. */
void progress_start(struct progress *p, FILE *fp, const char *label, long long total);
/* @bytes so far. */
void progress_update(struct progress *p, long long bytes);
/* Done: the last line, with the total and the mean rate; @ok false says
 * the transfer stopped. */
void progress_end(struct progress *p, long long bytes, bool ok);

#endif
