// SPDX-License-Identifier: GPL-2.0-only
/* progress.c - bytes, share and rate of a transfer, on a terminal or a log. */
#include "base/progress.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/text.h"

#define REDRAW_MS 200
#define MB        1e6

static double rate_mbs(const struct progress *p)
{
	double s = (clock_ms() - p->t0) / 1e3;

	return s > 0.05 ? (double)p->bytes / MB / s : 0;
}

/* "12.3 of 26.7 MB (46%), 5.0 MB/s" */
static void state(const struct progress *p, char *out, size_t len)
{
	if (p->total > 0)
		snprintf(out, len, "%.1f of %.1f MB (%d%%), %.1f MB/s", (double)p->bytes / MB,
		         (double)p->total / MB, (int)(p->bytes * 100 / p->total), rate_mbs(p));
	else
		snprintf(out, len, "%.1f MB, %.1f MB/s", (double)p->bytes / MB, rate_mbs(p));
}

void progress_start(struct progress *p, FILE *fp, const char *label, long long total)
{
	memset(p, 0, sizeof(*p));
	p->fp = fp;
	text_copy(p->label, sizeof(p->label), label);
	p->total = total > 0 ? total : 0;
	p->tty = isatty(fileno(fp));
	p->t0 = clock_ms();
}

void progress_update(struct progress *p, long long bytes)
{
	char s[128];

	if (bytes <= p->bytes)
		return;
	p->bytes = p->total && bytes > p->total ? p->total : bytes;
	if (p->tty) {
		double t = clock_ms();

		if (p->drawn && t - p->drawn_ms < REDRAW_MS)
			return;
		state(p, s, sizeof(s));
		fprintf(p->fp, "\rtcpconform: %s: %s\033[K", p->label, s);
		fflush(p->fp);
		p->drawn = true;
		p->drawn_ms = t;
		return;
	}
	{
		/* A line for each 10% reached (10 MB when the size is unknown);
		 * 100% is the end's line. */
		int step = p->total ? (int)(p->bytes * 10 / p->total) : (int)(p->bytes / (10 * MB));

		if (step <= p->step || (p->total && step >= 10))
			return;
		p->step = step;
		state(p, s, sizeof(s));
		fprintf(p->fp, "tcpconform: %s: %s\n", p->label, s);
		fflush(p->fp);
	}
}

void progress_end(struct progress *p, long long bytes, bool ok)
{
	double s = (clock_ms() - p->t0) / 1e3;

	if (bytes > p->bytes)
		p->bytes = bytes;
	if (p->drawn)
		fputs("\r\033[K", p->fp);
	if (ok)
		fprintf(p->fp, "tcpconform: %s: %.1f MB%s in %.1f s, %.1f MB/s\n", p->label,
		        (double)p->bytes / MB, p->total ? " (100%)" : "", s, rate_mbs(p));
	else
		fprintf(p->fp, "tcpconform: %s: stopped after %.1f MB\n", p->label,
		        (double)p->bytes / MB);
	fflush(p->fp);
}
