// SPDX-License-Identifier: GPL-2.0-only
/* wire.c - the forwarder thread, its rules and its frame record. */
#include "wire/wire.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/array.h"
#include "host/netns.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

#define SLOT                                                                                       \
	16384 /* bytes read per frame: above any MTU here; a larger (GSO) frame is still known by  \
	         its length (MSG_TRUNC) */
#define HEADERS_ONLY       128  /* bytes kept per frame without keep_payload */
#define REORDER_TIMEOUT_MS 1000 /* a reordered segment waits this long for a partner */
#define DRAIN_BATCH        16

struct wire_rule {
	struct rule r;
	unsigned id;
	bool armed;
	bool removed;
	unsigned matched, acted;
	unsigned *held; /* frame indexes, in arrival order */
	size_t nheld, capheld;
	long pending; /* reorder: frame index waiting for a partner, or -1 */
};

struct delayed {
	size_t frame;
	struct timespec due;
};

struct wire {
	int fd[2];   /* fd[DIR_C2S] reads w0 (client's frames), fd[DIR_S2C] reads w1 */
	bool packet; /* AF_PACKET sockets of our own (not a test's socket pairs) */
	int stopfd;
	int syncfd;                          /* wire_sync(): drain what the sockets hold */
	unsigned long sync_asked, sync_done; /* under mu */
	unsigned mtu[2];
	bool keep_payload;
	pthread_t thread;
	bool running;
	pthread_t closer[2]; /* closing fd[]: see close_async() */
	bool closing[2];
	pthread_mutex_t mu;
	pthread_cond_t cond;
	struct timespec t0;

	struct wframe *frames;
	size_t nframes, capframes;
	size_t kept_bytes; /* of frames' data, for WIRE_MAX_KEPT_BYTES */
	struct wire_rule *rules;
	size_t nrules, caprules;
	struct delayed *dq;
	size_t ndq, capdq;

	unsigned oversize, sendfail;
	unsigned long sockdrops;
	/* What made the capture untrustworthy (the forwarder ended before it
	 * was told to, its drops could not be counted) and its errno.
	 * Written by the thread or wire_stop(), read after the join. */
	const char *fault;
	int fault_errno;
	char fault_msg[96];
	size_t max_frames;
};

/* ---- time -------------------------------------------------------------- */

static struct timespec now_real(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts;
}

static struct timespec ts_add_ms(struct timespec t, unsigned ms)
{
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

static long ts_diff_ms(struct timespec a, struct timespec b)
{
	return (long)(a.tv_sec - b.tv_sec) * 1000 + (a.tv_nsec - b.tv_nsec) / 1000000L;
}

static bool ts_before(struct timespec a, struct timespec b)
{
	return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

/* ---- frames ------------------------------------------------------------- */

/* Append a frame record (called with mu held).  Returns its index or -1. */
static long record(struct wire *w, int dir, const uint8_t *buf, uint32_t len, uint32_t have,
                   struct timespec ts)
{
	struct wframe *f;
	uint32_t keep = have;

	/* Bounded: a variant that never stops sending (an ACK storm, a
	 * scenario that loops) would hold the machine's memory.  Past the
	 * payload budget only headers are kept; past the frame limit nothing
	 * more is recorded or forwarded, and the variant is an error that
	 * says so (wire_errors()). */
	if (w->nframes >= w->max_frames) {
		if (!w->fault) {
			snprintf(
			    w->fault_msg, sizeof(w->fault_msg),
			    "more than %zu frames, a segment storm? (nothing more was forwarded)",
			    w->max_frames);
			w->fault = w->fault_msg;
			w->fault_errno = E2BIG;
		}
		return -1;
	}
	if ((!w->keep_payload || w->kept_bytes > WIRE_MAX_KEPT_BYTES) && keep > HEADERS_ONLY)
		keep = HEADERS_ONLY;
	w->kept_bytes += keep;
	if (ARRAY_RESERVE(&w->frames, &w->capframes, w->nframes + 1, 256))
		return -1;
	f = &w->frames[w->nframes];
	memset(f, 0, sizeof(*f));
	f->data = malloc(keep ? keep : 1);
	if (!f->data)
		return -1;
	memcpy(f->data, buf, keep);
	f->no = (unsigned)w->nframes + 1;
	f->ts = ts;
	f->len = len;
	f->caplen = keep;
	f->dir = dir;
	/* Decode from the bytes received, not only the ones kept. */
	frame_decode(buf, have, &f->fi);
	return (long)w->nframes++;
}

/* Send frame @i out of the side facing its destination (mu held), from
 * @src (the receive buffer) when given, else from the record. */
static void send_frame_from(struct wire *w, size_t i, bool late, const uint8_t *src)
{
	struct wframe *f = &w->frames[i];
	int out = w->fd[f->dir == DIR_C2S ? DIR_S2C : DIR_C2S];

	if (!src && f->caplen < f->len) {
		/* Only headers kept: nothing whole to send. */
		f->send_errno = EMSGSIZE;
		w->sendfail++;
		return;
	}
	if (late)
		f->out_ts = now_real();
	if (send(out, src ? src : f->data, f->len, 0) < 0) {
		f->send_errno = errno;
		w->sendfail++;
		return;
	}
	f->sent = true;
}

static void send_frame(struct wire *w, size_t i, bool late)
{
	send_frame_from(w, i, late, NULL);
}

/* A frame that will be sent later (or copied) is kept whole, whatever
 * keep_payload says. */
static int keep_whole(struct wire *w, size_t i, const uint8_t *src)
{
	struct wframe *f = &w->frames[i];
	uint8_t *d;

	if (f->caplen == f->len)
		return 0;
	d = realloc(f->data, f->len);
	if (!d)
		return -1;
	memcpy(d, src, f->len);
	f->data = d;
	f->caplen = f->len;
	return 0;
}

/* The non-unicast address a replay's dst= names, for frame kind @kind. */
static const uint8_t *dst_addr(enum rule_dst d, enum frame_kind kind)
{
	static const uint8_t bcast4[4] = {255, 255, 255, 255}, mcast4[4] = {224, 0, 0, 1};
	static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 1};

	if (kind == FRAME_TCP6)
		return all_nodes; /* IPv6 has no broadcast (RFC 4291 2.7) */
	return d == RULE_DST_BROADCAST ? bcast4 : mcast4;
}

/* Send a copy of frame @i as a new frame (duplicate or replay); with @seq,
 * its TCP sequence number moved there; with @flags, its flags replaced;
 * with @ack_shift, its ACK number moved by that much; with @dst, its
 * destination address replaced by that non-unicast one. */
static void inject_at(struct wire *w, size_t i, enum wire_verdict v, unsigned rule,
                      const uint32_t *seq, const uint8_t *flags, const int32_t *ack_shift,
                      enum rule_dst dst)
{
	long j;

	if (w->frames[i].caplen < w->frames[i].len) {
		w->sendfail++;
		return;
	}
	/* record() may move the array: copy what we need first. */
	{
		uint32_t len = w->frames[i].len;
		int dir = w->frames[i].dir;
		unsigned no = w->frames[i].no;
		uint8_t *copy = malloc(len);

		if (!copy)
			return;
		memcpy(copy, w->frames[i].data, len);
		if (seq || flags || ack_shift || dst) {
			struct frame_info fi = w->frames[i].fi;

			if (seq)
				frame_set_seq(copy, len, &fi, *seq);
			if (flags)
				frame_set_flags(copy, len, &fi, *flags);
			if (ack_shift)
				frame_set_ack(copy, len, &fi, fi.ack + (uint32_t)*ack_shift);
			if (dst)
				frame_set_daddr(copy, len, &fi, dst_addr(dst, fi.kind));
		}
		j = record(w, dir, copy, len, len, now_real());
		free(copy);
		if (j < 0)
			return;
		w->frames[j].verdict = v;
		w->frames[j].rule = rule;
		w->frames[j].ref = no;
		send_frame(w, (size_t)j, false);
	}
}

static void inject(struct wire *w, size_t i, enum wire_verdict v, unsigned rule)
{
	inject_at(w, i, v, rule, NULL, NULL, NULL, RULE_DST_AS_SENT);
}

/* ---- rules -------------------------------------------------------------- */

static int hold_push(struct wire_rule *wr, size_t frame)
{
	if (ARRAY_RESERVE(&wr->held, &wr->capheld, wr->nheld + 1, 16))
		return -1;
	wr->held[wr->nheld++] = (unsigned)frame;
	return 0;
}

static int delay_push(struct wire *w, size_t frame, struct timespec due)
{
	if (ARRAY_RESERVE(&w->dq, &w->capdq, w->ndq + 1, 16))
		return -1;
	/* Kept in the order frames fall due, queue order among equals, so
	 * that release_due() sends them so (a hold released now goes before
	 * a delay that ran out after it, however late the thread looks). */
	{
		size_t j = w->ndq;

		for (; j > 0 && ts_before(due, w->dq[j - 1].due); j--)
			w->dq[j] = w->dq[j - 1];
		w->dq[j].frame = frame;
		w->dq[j].due = due;
	}
	w->ndq++;
	return 0;
}

/* Send a reorder rule's waiting segment, after frame @after (0: timeout). */
static void flush_pending(struct wire *w, struct wire_rule *wr, unsigned after)
{
	if (wr->pending < 0)
		return;
	w->frames[wr->pending].ref = after;
	send_frame(w, (size_t)wr->pending, true);
	wr->pending = -1;
}

/* A removed rule's held frames (and a reorder's waiting one) go to the
 * delay queue, due now: the wire's thread sends them, before it forwards
 * anything newer (wire_thread()), from the one CPU it is pinned to.  Sent
 * from the caller's thread, on another CPU, a frame was overtaken by one
 * the wire forwarded after it: a TCG guest's server took the client's ACK
 * before the client's SYN-ACK the same release had sent first, and answered
 * that SYN-ACK with a challenge ACK (simultaneous-open). */
static size_t release_held(struct wire *w, struct wire_rule *wr)
{
	struct timespec now = now_real();
	/* No thread to send them (not started, or stopped by a fault): sent
	 * here, as before the thread did it. */
	bool here = !w->running || w->fault;
	size_t k, queued = 0;

	for (k = 0; k < wr->nheld; k++) {
		if (!here && delay_push(w, wr->held[k], now) == 0)
			queued++;
		else
			send_frame(w, wr->held[k], true);
	}
	wr->nheld = 0;
	if (wr->pending >= 0) {
		w->frames[wr->pending].ref = 0;
		if (!here && delay_push(w, (size_t)wr->pending, now) == 0)
			queued++;
		else
			send_frame(w, (size_t)wr->pending, true);
		wr->pending = -1;
	}
	return queued;
}

/* Decide what happens to frame @i, received in @buf (mu held). */
static void apply_rules(struct wire *w, size_t i, const uint8_t *buf)
{
	struct wframe *f = &w->frames[i];
	struct wire_rule *chosen = NULL;
	bool pending_here = false;
	size_t k;

	for (k = 0; k < w->nrules; k++) {
		struct wire_rule *wr = &w->rules[k];

		if (wr->removed)
			continue;
		if (wr->pending >= 0 && w->frames[wr->pending].dir == f->dir)
			pending_here = true;
		if (!wr->armed || !match_frame(&wr->r.m, f->dir, &f->fi))
			continue;
		wr->matched++;
		if (!chosen && wr->matched >= wr->r.nth &&
		    (!wr->r.count || wr->acted < wr->r.count))
			chosen = wr;
	}
	/* A segment that arrives while another waits for it is its partner. */
	if (chosen && chosen->r.action == RULE_REORDER && pending_here)
		chosen = NULL;

	if (!chosen) {
		f->verdict = WV_PASSED;
		send_frame_from(w, i, false, buf);
	} else {
		chosen->acted++;
		f->rule = chosen->id;
		if (chosen->r.action != RULE_DROP && keep_whole(w, i, buf) < 0) {
			send_frame_from(w, i, false, buf);
			chosen = NULL;
		}
	}
	if (chosen) {
		switch (chosen->r.action) {
		case RULE_DROP:
			f->verdict = WV_DROPPED;
			break;
		case RULE_HOLD:
			f->verdict = WV_HELD;
			if (hold_push(chosen, i) < 0)
				send_frame(w, i, false);
			break;
		case RULE_DELAY:
			f->verdict = WV_DELAYED;
			if (delay_push(w, i, ts_add_ms(now_real(), chosen->r.delay_ms)) < 0)
				send_frame(w, i, false);
			break;
		case RULE_DUPLICATE:
			f->verdict = WV_DUPLICATED;
			send_frame(w, i, false);
			inject(w, i, WV_INJECTED_DUP, chosen->id);
			f = &w->frames[i];
			break;
		case RULE_REORDER:
			f->verdict = WV_REORDERED;
			chosen->pending = (long)i;
			break;
		case RULE_REPLAY:
			break;
		case RULE_REWRITE: {
			/* sent changed, recorded as the endpoint sent it */
			uint8_t *copy = malloc(f->len);
			struct frame_info fi = f->fi;

			f->verdict = WV_REWRITTEN;
			f->new_win = chosen->r.new_window;
			if (!copy) {
				f->send_errno = ENOMEM;
				w->sendfail++;
				break;
			}
			memcpy(copy, f->data, f->len);
			frame_set_window(copy, f->len, &fi, chosen->r.new_window);
			send_frame_from(w, i, false, copy);
			free(copy);
			break;
		}
		}
	}
	/* Partners: this segment went first, the waiting one follows. */
	if (pending_here) {
		for (k = 0; k < w->nrules; k++) {
			struct wire_rule *wr = &w->rules[k];

			if (wr->pending >= 0 && (size_t)wr->pending != i &&
			    w->frames[wr->pending].dir == w->frames[i].dir)
				flush_pending(w, wr, w->frames[i].no);
		}
	}
	/* Arm "after" rules once their trigger has been seen. */
	for (k = 0; k < w->nrules; k++) {
		struct wire_rule *wr = &w->rules[k];

		if (!wr->armed && !wr->removed &&
		    rule_arms(&wr->r, w->frames[i].dir, &w->frames[i].fi))
			wr->armed = true;
	}
}

static void process(struct wire *w, int dir, const uint8_t *buf, uint32_t len, uint32_t have,
                    struct timespec ts)
{
	long i = record(w, dir, buf, len, have, ts);

	if (i < 0)
		return;
	/* Larger than the MTU plus the Ethernet header: a segmentation offload
	 * is on somewhere.  An error, reported, never forwarded or cut. */
	if (len > w->mtu[dir] + ETH_HLEN + 4 ||
	    (len > w->mtu[dir] + ETH_HLEN && w->frames[i].fi.ethertype != 0x8100)) {
		w->frames[i].verdict = WV_OVERSIZE;
		w->oversize++;
		return;
	}
	apply_rules(w, (size_t)i, buf);
}

/* Send delayed frames whose time has come; flush stale reorders. */
static void release_due(struct wire *w, struct timespec now)
{
	size_t k, kept = 0;

	for (k = 0; k < w->ndq; k++) {
		if (ts_before(now, w->dq[k].due))
			w->dq[kept++] = w->dq[k];
		else
			send_frame(w, w->dq[k].frame, true);
	}
	w->ndq = kept;
	for (k = 0; k < w->nrules; k++) {
		struct wire_rule *wr = &w->rules[k];

		if (wr->pending >= 0 &&
		    ts_diff_ms(now, w->frames[wr->pending].ts) >= REORDER_TIMEOUT_MS)
			flush_pending(w, wr, 0);
	}
}

/* Milliseconds until the next timed event, -1 if none (mu held). */
static int next_timeout(struct wire *w, struct timespec now)
{
	long best = -1, d;
	size_t k;

	for (k = 0; k < w->ndq; k++) {
		d = ts_diff_ms(w->dq[k].due, now) + 1;
		if (best < 0 || d < best)
			best = d;
	}
	for (k = 0; k < w->nrules; k++) {
		if (w->rules[k].pending < 0)
			continue;
		d = REORDER_TIMEOUT_MS - ts_diff_ms(now, w->frames[w->rules[k].pending].ts) + 1;
		if (best < 0 || d < best)
			best = d;
	}
	if (best < 0)
		return -1;
	return best < 0 ? 0 : (int)(best > 60000 ? 60000 : best);
}

/* ---- the thread ------------------------------------------------------- */

/* One received frame waiting to be processed. */
struct rx {
	struct timespec ts;
	uint32_t len, have;
	int dir;
	uint8_t *data;
};

/* Read what one side has, up to DRAIN_BATCH frames, into @slots. */
static int receive(struct wire *w, int dir, struct rx *slots, int n, uint8_t *mem)
{
	int got = 0;

	while (got < DRAIN_BATCH) {
		char ctrl[CMSG_SPACE(sizeof(struct timespec))];
		struct sockaddr_ll sll;
		struct rx *x = &slots[n + got];
		struct iovec iov = {mem + (size_t)(n + got) * SLOT, SLOT};
		struct msghdr msg = {
		    .msg_name = &sll,
		    .msg_namelen = sizeof(sll),
		    .msg_iov = &iov,
		    .msg_iovlen = 1,
		    .msg_control = ctrl,
		    .msg_controllen = sizeof(ctrl),
		};
		struct cmsghdr *c;
		ssize_t r;

		memset(&sll, 0, sizeof(sll));
		r = recvmsg(w->fd[dir], &msg, MSG_DONTWAIT | MSG_TRUNC);
		if (r < 0)
			break;
		if (msg.msg_namelen >= sizeof(sll) && sll.sll_pkttype == PACKET_OUTGOING)
			continue; /* our own send, on a kernel without IGNORE_OUTGOING */
		x->ts.tv_sec = 0;
		for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS)
				memcpy(&x->ts, CMSG_DATA(c), sizeof(x->ts));
		if (!x->ts.tv_sec)
			x->ts = now_real();
		x->dir = dir;
		x->len = (uint32_t)r;
		x->have = (uint32_t)(r > SLOT ? SLOT : r);
		x->data = iov.iov_base;
		got++;
	}
	return got;
}

/* Frames from both sides, handled in the order they reached the wire
 * (kernel receive time), not in the order the sockets were read. */
static int drain(struct wire *w, bool c2s, bool s2c, struct rx *slots, uint8_t *mem)
{
	int n = 0, i, j;

	if (c2s)
		n += receive(w, DIR_C2S, slots, n, mem);
	if (s2c)
		n += receive(w, DIR_S2C, slots, n, mem);
	for (i = 1; i < n; i++) {
		struct rx x = slots[i];

		for (j = i; j > 0 && ts_before(x.ts, slots[j - 1].ts); j--)
			slots[j] = slots[j - 1];
		slots[j] = x;
	}
	if (!n)
		return 0;
	pthread_mutex_lock(&w->mu);
	/* What a removed rule released, or a delay let go, since the thread
	 * last looked goes before these: a frame read now may have come in
	 * after the release (abort-on-overflow: d2's ACK, forwarded before
	 * the d1 ACK released just before it, took d1's place in the queue). */
	release_due(w, now_real());
	for (i = 0; i < n; i++)
		process(w, slots[i].dir, slots[i].data, slots[i].len, slots[i].have, slots[i].ts);
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->mu);
	return n;
}

/* wire_sync()'s other half: everything both sockets hold now, then the
 * answer.  Bounded: a sender faster than the drain cannot keep it here
 * for more than a few batches beyond what was queued. */
static void sync_now(struct wire *w, struct rx *slots, uint8_t *mem)
{
	unsigned long asked;
	uint64_t v;
	int rounds = 0;

	if (read(w->syncfd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		return;
	pthread_mutex_lock(&w->mu);
	asked = w->sync_asked;
	release_due(w, now_real()); /* released frames before newer ones */
	pthread_mutex_unlock(&w->mu);
	while (drain(w, true, true, slots, mem) > 0 && ++rounds < 64)
		;
	pthread_mutex_lock(&w->mu);
	release_due(w, now_real());
	w->sync_done = asked;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->mu);
}

static void *wire_thread(void *arg)
{
	struct wire *w = arg;
	uint8_t *buf = malloc((size_t)2 * DRAIN_BATCH * SLOT);
	struct rx slots[2 * DRAIN_BATCH];
	struct pollfd pfd[4] = {
	    {.fd = w->fd[DIR_C2S], .events = POLLIN},
	    {.fd = w->fd[DIR_S2C], .events = POLLIN},
	    {.fd = w->stopfd, .events = POLLIN},
	    {.fd = w->syncfd, .events = POLLIN},
	};

	/* One queue: the thread stays on the CPU it starts on, so the frames
	 * it sends are received (veth_xmit() -> the per-CPU backlog) one after
	 * the other on one CPU, as from a single-queue NIC.  Otherwise a
	 * migration lets two CPUs process consecutive frames at once, and
	 * racy limits overshoot: the SYN queue check of the lockless listener
	 * (inet_csk_reqsk_queue_is_full() before the request is added, v4.4)
	 * queued 10 requests for a backlog of 8 in a 2-CPU guest. */
	{
		int cpu = sched_getcpu();
		cpu_set_t one;

		CPU_ZERO(&one);
		if (cpu >= 0) {
			CPU_SET(cpu, &one);
			pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
		}
	}
	if (!buf) {
		w->fault = "malloc";
		w->fault_errno = ENOMEM;
		return NULL;
	}
	for (;;) {
		int timeout;

		pthread_mutex_lock(&w->mu);
		timeout = next_timeout(w, now_real());
		pthread_mutex_unlock(&w->mu);
		if (poll(pfd, 4, timeout) < 0 && errno != EINTR) {
			w->fault = "poll";
			w->fault_errno = errno;
			break;
		}
		if (pfd[2].revents)
			break;
		/* What is due (a delay run out, a hold released) goes before
		 * the frames that came in meanwhile. */
		pthread_mutex_lock(&w->mu);
		release_due(w, now_real());
		pthread_mutex_unlock(&w->mu);
		if ((pfd[0].revents | pfd[1].revents) & POLLIN)
			drain(w, pfd[0].revents & POLLIN, pfd[1].revents & POLLIN, slots, buf);
		if (pfd[3].revents & POLLIN)
			sync_now(w, slots, buf);
		pthread_mutex_lock(&w->mu);
		release_due(w, now_real());
		pthread_mutex_unlock(&w->mu);
	}
	free(buf);
	return NULL;
}

/* ---- set-up ------------------------------------------------------------ */

static int open_side(struct wire *w, int nsfd, int dir, int ifindex, struct err *e)
{
	struct sockaddr_ll sll = {
	    .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = ifindex};
	int one = 1, size = 4 << 20, fd;
	struct ifreq ifr;

	/* Protocol 0: the socket receives nothing until bound to its one
	 * interface, so no frame of the other side can slip in before. */
	fd = netns_socket(nsfd, AF_PACKET, SOCK_RAW, 0, e);
	if (fd < 0)
		return -1;
	w->fd[dir] = fd;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return err_sys(e, "wire: binding to ifindex %d", ifindex);
	/* 4.20+; older kernels: outgoing frames are skipped by packet type. */
	setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)) < 0)
		return err_sys(e, "wire: SO_TIMESTAMPNS");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_ifindex = ifindex;
	if (ioctl(fd, SIOCGIFNAME, &ifr) < 0 || ioctl(fd, SIOCGIFMTU, &ifr) < 0)
		return err_sys(e, "wire: reading the MTU of ifindex %d", ifindex);
	w->mtu[dir] = (unsigned)ifr.ifr_mtu;
	return 0;
}

int wire_start(struct wire **wp, const struct wire_opts *o, struct err *e)
{
	struct wire *w = calloc(1, sizeof(*w));
	int r;

	*wp = NULL;
	if (!w)
		return err_set(e, ERR_SYSTEM, "out of memory");
	w->fd[0] = w->fd[1] = w->stopfd = w->syncfd = -1;
	w->keep_payload = o->keep_payload;
	w->max_frames = o->max_frames ? o->max_frames : WIRE_MAX_FRAMES;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cond, NULL);
	if (o->use_fds) {
		w->fd[DIR_C2S] = o->fd_c;
		w->fd[DIR_S2C] = o->fd_s;
		w->mtu[0] = w->mtu[1] = o->mtu;
		setsockopt(o->fd_c, SOL_SOCKET, SO_TIMESTAMPNS, &(int){1}, sizeof(int));
		setsockopt(o->fd_s, SOL_SOCKET, SO_TIMESTAMPNS, &(int){1}, sizeof(int));
	} else if (open_side(w, o->nsfd, DIR_C2S, o->ifindex_c, e) < 0 ||
	           open_side(w, o->nsfd, DIR_S2C, o->ifindex_s, e) < 0) {
		goto fail;
	} else {
		w->packet = true;
	}
	w->stopfd = eventfd(0, EFD_CLOEXEC);
	w->syncfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w->stopfd < 0 || w->syncfd < 0) {
		err_sys(e, "wire: eventfd");
		goto fail;
	}
	w->t0 = now_real();
	r = pthread_create(&w->thread, NULL, wire_thread, w);
	if (r) {
		errno = r;
		err_sys(e, "wire: starting the forwarder thread");
		goto fail;
	}
	w->running = true;
	*wp = w;
	return 0;
fail:
	wire_free(w);
	return -1;
}

static void *close_fd(void *arg)
{
	close((int)(intptr_t)arg);
	return NULL;
}

/* Closing a packet socket waits for an RCU grace period (packet_release()
 * calls synchronize_net(): 10-20 ms at HZ=250), more than all the rest of
 * a short variant.  Once the wire has stopped its sockets are closed by
 * threads of their own, both at once (one grace period serves both), while
 * the caller writes the traces and the results; wire_free() joins them. */
static void close_async(struct wire *w)
{
	for (int dir = 0; dir < 2; dir++) {
		if (w->fd[dir] < 0)
			continue;
		w->closing[dir] = pthread_create(&w->closer[dir], NULL, close_fd,
		                                 (void *)(intptr_t)w->fd[dir]) == 0;
		if (!w->closing[dir])
			close(w->fd[dir]);
		w->fd[dir] = -1;
	}
}

int wire_stop(struct wire *w, struct err *e)
{
	uint64_t one = 1;
	struct tpacket_stats st;
	socklen_t len;
	int dir;

	if (!w->running)
		return 0;
	if (write(w->stopfd, &one, sizeof(one)) != sizeof(one))
		return err_sys(e, "wire: stopping the forwarder");
	pthread_join(w->thread, NULL);
	w->running = false;
	/* Frames the kernel could not queue for us: the capture would lie. */
	for (dir = 0; w->packet && dir < 2; dir++) {
		len = sizeof(st);
		if (getsockopt(w->fd[dir], SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0) {
			w->sockdrops += st.tp_drops;
		} else if (!w->fault) {
			/* Drops that cannot be counted may have happened. */
			w->fault = "getsockopt(PACKET_STATISTICS)";
			w->fault_errno = errno;
		}
	}
	if (w->packet)
		close_async(w);
	return 0;
}

void wire_free(struct wire *w)
{
	size_t k;

	if (!w)
		return;
	if (w->running) {
		struct err e;

		wire_stop(w, &e);
	}
	for (k = 0; k < 2; k++) {
		if (w->closing[k])
			pthread_detach(w->closer[k]);
		if (w->fd[k] >= 0)
			close(w->fd[k]);
	}
	if (w->stopfd >= 0)
		close(w->stopfd);
	if (w->syncfd >= 0)
		close(w->syncfd);
	for (k = 0; k < w->nframes; k++)
		free(w->frames[k].data);
	free(w->frames);
	for (k = 0; k < w->nrules; k++)
		free(w->rules[k].held);
	free(w->rules);
	free(w->dq);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cond);
	free(w);
}

/* ---- the scenario's side ---------------------------------------------- */

/* The ACK number of the latest segment sent against @dir on the ports of
 * @m (any ports when it names none).  False when there is none. */
static bool latest_ack(const struct wire *w, const struct rule *r, uint32_t *ack)
{
	size_t k = w->nframes;

	while (k-- > 0) {
		const struct wframe *f = &w->frames[k];
		struct frame_info fi = f->fi;

		if (fi.kind == FRAME_OTHER || !(fi.flags & TCPF_ACK) || f->dir == r->m.dir)
			continue;
		/* Seen from the replayed direction, the ports swap. */
		fi.sport = f->fi.dport;
		fi.dport = f->fi.sport;
		fi.flags = 0;
		fi.payload = 0;
		{
			struct match m = r->m;

			m.has_flags = false;
			m.len_op = LEN_ANY;
			m.has_seq = false;
			if (!match_frame(&m, r->m.dir, &fi))
				continue;
		}
		*ack = f->fi.ack;
		return true;
	}
	return false;
}

static int replay(struct wire *w, const struct rule *r, unsigned id, struct err *e)
{
	size_t k, pick = (size_t)-1;
	unsigned seen = 0;
	uint32_t ack = 0;

	if ((r->covers_ack || r->at_ack) && (r->m.dir == DIR_ANY || !latest_ack(w, r, &ack)))
		return err_set(
		    e, ERR_SYSTEM, "wire: replay %s: %s", r->covers_ack ? "covers=ack" : "at=ack",
		    r->m.dir == DIR_ANY ? "give a direction" : "the other side has sent no ACK");
	for (k = 0; k < w->nframes; k++) {
		const struct wframe *f = &w->frames[k];

		if (f->verdict == WV_INJECTED_DUP || f->verdict == WV_INJECTED_REPLAY)
			continue;
		if (!match_frame(&r->m, f->dir, &f->fi))
			continue;
		if (r->covers_ack && (uint32_t)(ack - f->fi.seq) >= f->fi.payload)
			continue;
		seen++;
		if (r->nth == 0 || seen == r->nth)
			pick = k;
		if (r->nth && seen == r->nth)
			break;
	}
	if (pick == (size_t)-1)
		return err_set(e, ERR_SYSTEM, "wire: replay: no earlier segment matches%s%s",
		               r->nth ? " at that ordinal" : "",
		               r->covers_ack ? " and covers the other side's ACK number" : "");
	if (w->frames[pick].caplen < w->frames[pick].len)
		return err_set(e, ERR_SYSTEM, "wire: replay: frame #%u was kept headers-only",
		               w->frames[pick].no);
	ack += (uint32_t)r->at_off;
	inject_at(w, pick, WV_INJECTED_REPLAY, id, r->at_ack ? &ack : NULL,
	          r->set_flags ? &r->new_flags : NULL, r->shift_ack ? &r->ack_shift : NULL,
	          (enum rule_dst)r->set_dst);
	pthread_cond_broadcast(&w->cond);
	return 0;
}

int wire_add(struct wire *w, const struct rule *r, unsigned *id, struct err *e)
{
	struct wire_rule *wr;
	int ret = 0;
	size_t k;

	pthread_mutex_lock(&w->mu);
	if (r->name[0]) {
		for (k = 0; k < w->nrules; k++) {
			if (!w->rules[k].removed && strcmp(w->rules[k].r.name, r->name) == 0) {
				ret = err_set(e, ERR_INPUT, "wire: a rule named '%s' is active",
				              r->name);
				goto out;
			}
		}
	}
	if (ARRAY_RESERVE(&w->rules, &w->caprules, w->nrules + 1, 8)) {
		ret = err_set(e, ERR_SYSTEM, "out of memory");
		goto out;
	}
	wr = &w->rules[w->nrules];
	memset(wr, 0, sizeof(*wr));
	wr->r = *r;
	wr->id = (unsigned)w->nrules + 1;
	wr->armed = !r->has_after;
	wr->pending = -1;
	w->nrules++;
	if (id)
		*id = wr->id;
	if (r->action == RULE_REPLAY) {
		wr->removed = true;
		ret = replay(w, r, wr->id, e);
	}
out:
	pthread_mutex_unlock(&w->mu);
	return ret;
}

int wire_remove(struct wire *w, const char *name, struct err *e)
{
	bool all = strcmp(name, "all") == 0, found = false;
	unsigned num = 0;
	size_t k, queued = 0;

	if (name[0] == '#')
		num = (unsigned)strtoul(name + 1, NULL, 10);
	pthread_mutex_lock(&w->mu);
	for (k = 0; k < w->nrules; k++) {
		struct wire_rule *wr = &w->rules[k];

		if (wr->removed)
			continue;
		if (!all && !(num ? wr->id == num : strcmp(wr->r.name, name) == 0))
			continue;
		queued += release_held(w, wr);
		wr->removed = true;
		found = true;
	}
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->mu);
	/* What was released is out, by the wire's thread (sync_now()), when
	 * this returns, as when this thread sent it itself. */
	if (queued && wire_sync(w, WIRE_SYNC_MS) < 0)
		return err_set(e, ERR_SYSTEM,
		               "wire: the released frames were not sent within %d ms",
		               WIRE_SYNC_MS);
	if (!found && !all)
		return err_set(e, ERR_INPUT, "wire: no active rule '%s'", name);
	return 0;
}

static unsigned count_locked(struct wire *w, const struct match *m, unsigned verdicts,
                             unsigned after)
{
	unsigned n = 0;
	size_t k;

	for (k = after < w->nframes ? after : w->nframes; k < w->nframes; k++) {
		const struct wframe *f = &w->frames[k];

		if (verdicts && !(verdicts & (1u << f->verdict)))
			continue;
		if (match_frame(m, f->dir, &f->fi))
			n++;
	}
	return n;
}

unsigned wire_count(struct wire *w, const struct match *m, unsigned verdicts)
{
	unsigned n;

	pthread_mutex_lock(&w->mu);
	n = count_locked(w, m, verdicts, 0);
	pthread_mutex_unlock(&w->mu);
	return n;
}

unsigned wire_wait_count_after(struct wire *w, const struct match *m, unsigned verdicts,
                               unsigned after, unsigned n, int timeout_ms)
{
	struct timespec deadline;
	unsigned have;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline = ts_add_ms(deadline, (unsigned)(timeout_ms < 0 ? 0 : timeout_ms));
	pthread_mutex_lock(&w->mu);
	while ((have = count_locked(w, m, verdicts, after)) < n) {
		if (pthread_cond_timedwait(&w->cond, &w->mu, &deadline) == ETIMEDOUT) {
			have = count_locked(w, m, verdicts, after);
			break;
		}
	}
	pthread_mutex_unlock(&w->mu);
	return have;
}

unsigned wire_wait_count(struct wire *w, const struct match *m, unsigned verdicts, unsigned n,
                         int timeout_ms)
{
	return wire_wait_count_after(w, m, verdicts, 0, n, timeout_ms);
}

/* The SYN of the direction opposite to frame @k's, on its ports, into
 * @hit: peer_isn from the latest SYN the other side sent before it (not a
 * copy the wire made); peer_syn_tsval from the latest such SYN that went
 * through to this side (a copy the wire dropped was never echoed) and, in
 * a simultaneous open, a SYN without ACK before a SYN-ACK: the TSval the
 * other side's SYN gave, which frame @k's side took into TS.Recent. */
static bool peer_syn(const struct wire *w, size_t k, struct wire_hit *hit)
{
	const struct wframe *f = &w->frames[k];
	bool isn = false, pure = false;

	while (k-- > 0 && !pure) {
		const struct wframe *g = &w->frames[k];

		if (g->fi.kind == FRAME_OTHER || g->dir == f->dir || !(g->fi.flags & TCPF_SYN) ||
		    g->verdict == WV_INJECTED_DUP || g->verdict == WV_INJECTED_REPLAY ||
		    g->fi.sport != f->fi.dport || g->fi.dport != f->fi.sport)
			continue;
		if (!isn) {
			hit->peer_isn = g->fi.seq;
			isn = true;
		}
		if (!g->sent || !g->fi.has_ts || (hit->has_peer_syn_ts && (g->fi.flags & TCPF_ACK)))
			continue;
		hit->peer_syn_tsval = g->fi.tsval;
		hit->has_peer_syn_ts = true;
		pure = !(g->fi.flags & TCPF_ACK);
	}
	return isn;
}

bool wire_last_ts(struct wire *w, const struct match *m, unsigned after, struct timespec *ts)
{
	bool found = false;
	size_t k;

	pthread_mutex_lock(&w->mu);
	for (k = w->nframes; !found && k > after; k--) {
		const struct wframe *f = &w->frames[k - 1];

		if (match_frame(m, f->dir, &f->fi)) {
			*ts = f->ts;
			found = true;
		}
	}
	pthread_mutex_unlock(&w->mu);
	return found;
}

size_t wire_collect(struct wire *w, const struct match *m, unsigned after, struct wire_hit *out,
                    size_t max)
{
	size_t k, n = 0;

	pthread_mutex_lock(&w->mu);
	for (k = after < w->nframes ? after : w->nframes; k < w->nframes; k++) {
		const struct wframe *f = &w->frames[k];

		if (!match_frame(m, f->dir, &f->fi))
			continue;
		if (n < max) {
			out[n].no = f->no;
			out[n].ts = f->ts;
			out[n].dir = f->dir;
			out[n].flags = f->fi.flags;
			out[n].payload = f->fi.payload;
			out[n].seq = f->fi.seq;
			out[n].ack = f->fi.ack;
			out[n].has_peer_syn_ts = false;
			out[n].has_peer_isn = peer_syn(w, k, &out[n]);
			out[n].verdict = f->verdict;
			out[n].has_ts = f->fi.has_ts;
			out[n].v6 = f->fi.kind == FRAME_TCP6;
			out[n].tos = f->fi.tos;
			out[n].ttl = f->fi.ttl;
			out[n].flowlabel = f->fi.flowlabel;
			out[n].tsval = f->fi.tsval;
			out[n].tsecr = f->fi.tsecr;
			out[n].win = f->fi.win;
			memcpy(out[n].opts, f->fi.opts, sizeof(out[n].opts));
			out[n].nopts = f->fi.nopts;
			out[n].opts_bad = f->fi.opts_bad;
		}
		n++;
	}
	pthread_mutex_unlock(&w->mu);
	return n;
}

int wire_sync(struct wire *w, int timeout_ms)
{
	struct timespec deadline;
	unsigned long gen;
	uint64_t one = 1;
	int r = 0;

	if (!w->running)
		return 0;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline = ts_add_ms(deadline, (unsigned)(timeout_ms < 0 ? 0 : timeout_ms));
	pthread_mutex_lock(&w->mu);
	gen = ++w->sync_asked;
	pthread_mutex_unlock(&w->mu);
	if (write(w->syncfd, &one, sizeof(one)) != sizeof(one))
		return -1;
	pthread_mutex_lock(&w->mu);
	while (w->sync_done < gen && r != ETIMEDOUT)
		r = pthread_cond_timedwait(&w->cond, &w->mu, &deadline);
	r = w->sync_done >= gen ? 0 : -1;
	pthread_mutex_unlock(&w->mu);
	return r;
}

unsigned wire_frame_count(struct wire *w)
{
	unsigned n;

	pthread_mutex_lock(&w->mu);
	n = (unsigned)w->nframes;
	pthread_mutex_unlock(&w->mu);
	return n;
}

const struct wframe *wire_frames(struct wire *w, size_t *n)
{
	*n = w->nframes;
	return w->frames;
}

struct timespec wire_t0(struct wire *w)
{
	return w->t0;
}

unsigned wire_errors(struct wire *w, char *msg, size_t len)
{
	unsigned n = w->oversize + w->sendfail + (unsigned)w->sockdrops + (w->fault ? 1 : 0);

	if (msg && len) {
		msg[0] = '\0';
		if (w->fault)
			snprintf(msg, len, "wire: the capture cannot be trusted: %s: %s (%s)",
			         w->fault, strerror(w->fault_errno),
			         err_errno_name(w->fault_errno));
		else if (n)
			snprintf(msg, len,
			         "wire: %u frame(s) larger than the MTU, %u failed send(s), "
			         "%lu frame(s) lost in the socket buffer",
			         w->oversize, w->sendfail, w->sockdrops);
	}
	return n;
}

const struct rule *wire_rule_by_id(struct wire *w, unsigned id)
{
	return id >= 1 && id <= w->nrules ? &w->rules[id - 1].r : NULL;
}

int wire_set_sched(struct wire *w, int policy, int priority)
{
	struct sched_param sp = {.sched_priority = priority};

	return w->running ? pthread_setschedparam(w->thread, policy, &sp) : -1;
}

double wire_cpu_ms(struct wire *w)
{
	struct timespec ts;
	clockid_t cid;

	if (!w->running || pthread_getcpuclockid(w->thread, &cid) != 0 ||
	    clock_gettime(cid, &ts) != 0)
		return -1;
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

size_t wire_rule_count(struct wire *w)
{
	return w->nrules;
}
