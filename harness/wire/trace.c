// SPDX-License-Identifier: GPL-2.0-only
/* trace.c - trace.pcap through libpcap, trace.txt in tcpdump notation. */
#include "wire/trace.h"

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/afile.h"

#define SNAPLEN 262144

static double rel_s(const struct timespec *t, const struct timespec *t0)
{
	return (double)(t->tv_sec - t0->tv_sec) + (double)(t->tv_nsec - t0->tv_nsec) / 1e9;
}

static int write_pcap(struct wire *w, int dirfd, const char *path, struct err *e)
{
	size_t n, k;
	const struct wframe *f = wire_frames(w, &n);
	struct afile af;
	pcap_dumper_t *d;
	pcap_t *p;

	p = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, SNAPLEN, PCAP_TSTAMP_PRECISION_NANO);
	if (!p)
		return err_set(e, ERR_SYSTEM, "pcap_open_dead failed");
	if (afile_openat(&af, dirfd, path, NULL, e) < 0) {
		pcap_close(p);
		return -1;
	}
	d = pcap_dump_fopen(p, af.fp);
	if (!d) {
		err_set(e, ERR_SYSTEM, "pcap_dump_fopen %s: %s", path, pcap_geterr(p));
		afile_abort(&af);
		pcap_close(p);
		return -1;
	}
	for (k = 0; k < n; k++) {
		struct pcap_pkthdr h;

		/* With nanosecond precision, tv_usec carries nanoseconds. */
		h.ts.tv_sec = f[k].ts.tv_sec;
		h.ts.tv_usec = f[k].ts.tv_nsec;
		h.caplen = f[k].caplen;
		h.len = f[k].len;
		pcap_dump((u_char *)d, &h, f[k].data);
	}
	if (pcap_dump_flush(d) < 0) {
		err_sys(e, "writing %s", path);
		pcap_dump_close(d); /* closes af.fp */
		af.fp = NULL;
		afile_abort(&af);
		pcap_close(p);
		return -1;
	}
	pcap_dump_close(d); /* closes af.fp */
	pcap_close(p);
	return afile_rename(&af, e);
}

static const char *verdict_names[] = {
    [WV_PASSED] = "passed",
    [WV_DROPPED] = "dropped",
    [WV_HELD] = "held",
    [WV_DELAYED] = "delayed",
    [WV_DUPLICATED] = "duplicated",
    [WV_REORDERED] = "reordered",
    [WV_INJECTED_DUP] = "duplicate",
    [WV_INJECTED_REPLAY] = "replay",
    [WV_REWRITTEN] = "rewritten",
    [WV_OVERSIZE] = "ERROR oversize",
    [WV_SEND_FAILED] = "ERROR send failed",
};

void trace_verdict(const struct wframe *f, const struct timespec *t0, char *out, size_t len)
{
	size_t n;

	snprintf(out, len, "%s", verdict_names[f->verdict]);
	n = strlen(out);
	switch (f->verdict) {
	case WV_PASSED:
		break;
	case WV_DROPPED:
	case WV_DUPLICATED:
		snprintf(out + n, len - n, " by rule %u", f->rule);
		break;
	case WV_HELD:
	case WV_DELAYED:
		if (f->sent)
			snprintf(out + n, len - n, " by rule %u, sent at %.6f", f->rule,
			         rel_s(&f->out_ts, t0));
		else
			snprintf(out + n, len - n, " by rule %u, never sent", f->rule);
		break;
	case WV_REORDERED:
		if (f->sent && f->ref)
			snprintf(out + n, len - n, " by rule %u, sent after #%u at %.6f", f->rule,
			         f->ref, rel_s(&f->out_ts, t0));
		else if (f->sent)
			snprintf(out + n, len - n,
			         " by rule %u, no later segment: sent alone at %.6f", f->rule,
			         rel_s(&f->out_ts, t0));
		else
			snprintf(out + n, len - n, " by rule %u, never sent", f->rule);
		break;
	case WV_INJECTED_DUP:
	case WV_INJECTED_REPLAY:
		snprintf(out + n, len - n, " of #%u, injected by rule %u", f->ref, f->rule);
		break;
	case WV_REWRITTEN:
		snprintf(out + n, len - n,
		         " by rule %u: forwarded with win %u (recorded as received)", f->rule,
		         (unsigned)f->new_win);
		break;
	case WV_OVERSIZE:
		snprintf(out + n, len - n, ": %u bytes, larger than the MTU (an offload is on)",
		         f->len);
		break;
	case WV_SEND_FAILED:
		break;
	}
	if (f->send_errno) {
		n = strlen(out);
		snprintf(out + n, len - n, " (send failed: %s)", strerror(f->send_errno));
	}
}

#define MAX_CONNS 512

/* One connection's numbering: client port and server port identify it
 * within a variant (one client address, one server address). */
struct conn {
	bool used;
	uint16_t cport, sport;
	struct seq_base base;
};

static struct seq_base *conn_base(struct conn *c, const struct wframe *f)
{
	uint16_t cport = f->dir == DIR_C2S ? f->fi.sport : f->fi.dport;
	uint16_t sport = f->dir == DIR_C2S ? f->fi.dport : f->fi.sport;
	size_t i;

	if (!c || f->fi.kind == FRAME_OTHER)
		return NULL;
	for (i = 0; i < MAX_CONNS && c[i].used; i++)
		if (c[i].cport == cport && c[i].sport == sport)
			return &c[i].base;
	if (i == MAX_CONNS)
		return NULL;
	c[i].used = true;
	c[i].cport = cport;
	c[i].sport = sport;
	return &c[i].base;
}

static int write_text(struct wire *w, int dirfd, const char *path, struct err *e)
{
	size_t n, k, nrules = wire_rule_count(w);
	const struct wframe *f = wire_frames(w, &n);
	struct timespec t0 = wire_t0(w);
	struct conn *conns = calloc(MAX_CONNS, sizeof(*conns));
	char line[1024], verdict[200], rule[200], errs[300];
	struct afile af;

	if (!conns)
		return err_set(e, ERR_SYSTEM, "out of memory");
	if (afile_openat(&af, dirfd, path, NULL, e) < 0) {
		free(conns);
		return -1;
	}
	fprintf(af.fp, "# tcpconform wire trace: c>s = client to server (w0 -> w1), "
	               "s>c = server to client; times in seconds since the wire started\n");
	for (k = 1; k <= nrules; k++) {
		rule_format(wire_rule_by_id(w, (unsigned)k), rule, sizeof(rule));
		fprintf(af.fp, "# rule %zu: %s\n", k, rule);
	}
	if (wire_errors(w, errs, sizeof(errs)))
		fprintf(af.fp, "# ERROR %s\n", errs);
	/* Relative numbers per connection (4-tuple), restarting at each SYN,
	 * as tcpdump shows them. */
	for (k = 0; k < n; k++) {
		frame_format(f[k].data, f[k].caplen, &f[k].fi, f[k].dir, conn_base(conns, &f[k]),
		             line, sizeof(line));
		trace_verdict(&f[k], &t0, verdict, sizeof(verdict));
		fprintf(af.fp, "#%-4u %10.6f %s %s | %s\n", f[k].no, rel_s(&f[k].ts, &t0),
		        dir_name(f[k].dir), line, verdict);
	}
	free(conns);
	return afile_commit(&af, e);
}

int trace_write(struct wire *w, int dirfd, const char *pcap, const char *text, struct err *e)
{
	if (write_pcap(w, dirfd, pcap, e) < 0)
		return -1;
	return write_text(w, dirfd, text, e);
}
