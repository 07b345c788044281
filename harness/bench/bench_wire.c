// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench_wire.c - `tcpconform bench wire`: what the forwarder costs.
 *
 * Latency: N round trips of 1 byte (TCP_NODELAY) through the wire and,
 * in the same run, through a direct veth; the difference of the medians is
 * what the wire adds to one round trip (two traversals).
 * --rate: one bulk transfer each way of measuring, wire versus direct.
 * The wire captures as in a real run (headers only for --rate).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/clock.h"
#include "bench/bench.h"
#include "host/addrblock.h"
#include "host/netns.h"
#include "host/topology.h"
#include "wire/wire.h"

#define PORT 9000

struct server {
	int lfd;
	long rounds; /* >0: echo this many bytes one at a time; 0: sink */
	long long got;
	int error;
};

static void *serve(void *arg)
{
	struct server *s = arg;
	static char buf[1 << 16];
	int fd = accept(s->lfd, NULL, NULL), one = 1;
	ssize_t r;

	if (fd < 0) {
		s->error = errno;
		return NULL;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &(struct timeval){.tv_sec = 10},
	           sizeof(struct timeval));
	while ((r = recv(fd, buf, s->rounds ? 1 : sizeof(buf), 0)) > 0) {
		s->got += r;
		if (s->rounds && send(fd, buf, 1, 0) != 1) {
			s->error = errno;
			break;
		}
	}
	close(fd);
	return NULL;
}

struct side {
	struct topology t;
	struct wire *w;
	int lfd, cfd;
	pthread_t th;
	struct server srv;
};

static int connect_pair(struct side *sd, long rounds, struct err *e)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(PORT)};
	struct timeval tv = {.tv_sec = 5};
	int one = 1;

	sa.sin_addr = sd->t.server.ip4;
	sd->lfd = netns_socket(sd->t.server.nsfd, AF_INET, SOCK_STREAM, 0, e);
	if (sd->lfd < 0)
		return -1;
	if (bind(sd->lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(sd->lfd, 1) < 0)
		return err_sys(e, "server socket");
	sd->srv.lfd = sd->lfd;
	sd->srv.rounds = rounds;
	if (pthread_create(&sd->th, NULL, serve, &sd->srv) != 0)
		return err_set(e, ERR_SYSTEM, "pthread_create failed");
	sd->cfd = netns_socket(sd->t.client.nsfd, AF_INET, SOCK_STREAM, 0, e);
	if (sd->cfd < 0)
		return -1;
	setsockopt(sd->cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(sd->cfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(sd->cfd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(sd->cfd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return err_sys(e, "connect");
	return 0;
}

static int side_up(struct side *sd, enum topo_shape shape, unsigned block, bool keep, struct err *e)
{
	struct topology_opts o = {.shape = shape, .block = block};
	struct wire_opts wo = {.keep_payload = keep};

	memset(sd, 0, sizeof(*sd));
	sd->lfd = sd->cfd = -1;
	if (topology_build(&sd->t, &o, e) < 0)
		return -1;
	if (shape == TOPO_WIRE) {
		wo.nsfd = sd->t.wire_nsfd;
		wo.ifindex_c = sd->t.wire_c.ifindex;
		wo.ifindex_s = sd->t.wire_s.ifindex;
		if (wire_start(&sd->w, &wo, e) < 0)
			return -1;
	}
	return 0;
}

static void side_down(struct side *sd)
{
	if (sd->cfd >= 0) {
		shutdown(sd->cfd, SHUT_WR);
		pthread_join(sd->th, NULL);
		close(sd->cfd);
	}
	if (sd->lfd >= 0)
		close(sd->lfd);
	if (sd->w) {
		struct err e;

		wire_stop(sd->w, &e);
		wire_free(sd->w);
	}
	topology_destroy(&sd->t);
}

static int round_trips(struct side *sd, long n, struct samples *us, struct err *e)
{
	char c = 'x';
	long i;

	if (connect_pair(sd, n, e) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		double t0 = clock_ms();

		if (send(sd->cfd, &c, 1, 0) != 1 || recv(sd->cfd, &c, 1, 0) != 1)
			return err_sys(e, "round trip %ld", i);
		samples_add(us, (clock_ms() - t0) * 1000.0);
	}
	return 0;
}

static int bulk(struct side *sd, long mb, double *mbit, struct err *e)
{
	static char buf[1 << 16];
	long long total = (long long)mb << 20, sent = 0;
	double t0;

	if (connect_pair(sd, 0, e) < 0)
		return -1;
	memset(buf, 'y', sizeof(buf));
	t0 = clock_ms();
	while (sent < total) {
		ssize_t r = send(sd->cfd, buf, sizeof(buf), 0);

		if (r <= 0)
			return err_sys(e, "bulk send");
		sent += r;
	}
	shutdown(sd->cfd, SHUT_WR);
	pthread_join(sd->th, NULL);
	close(sd->cfd);
	sd->cfd = -1;
	if (sd->srv.got != sent)
		return err_set(e, ERR_SYSTEM, "bulk: sent %lld, received %lld", sent, sd->srv.got);
	*mbit = (double)sent * 8 / ((clock_ms() - t0) / 1e3) / 1e6;
	return 0;
}

static void print_rtt(const char *label, struct samples *s)
{
	printf("%-7s n=%zu  median=%.1f us  p99=%.1f us  min=%.1f us\n", label, s->n,
	       samples_quantile(s, 0.5), samples_quantile(s, 0.99), samples_min(s));
}

int bench_wire(const struct bench_wire_config *cfg)
{
	struct samples direct = {0}, wired = {0};
	struct side sd;
	struct addrblock block;
	long n = cfg->n, mb = cfg->mb;
	bool rate = cfg->rate;
	struct err e;
	int rc = EXIT_PASS;

	if (addrblock_acquire(&block, &e) < 0) {
		err_print(&e);
		return err_exit_status(&e);
	}
	if (!rate) {
		double idle0, idle1;

		printf("bench wire: %ld round trips of 1 byte over TCP (TCP_NODELAY), IPv4\n", n);
		fflush(stdout);
		if (side_up(&sd, TOPO_DIRECT, block.index, true, &e) < 0 ||
		    round_trips(&sd, n, &direct, &e) < 0)
			goto fail;
		side_down(&sd);
		if (side_up(&sd, TOPO_WIRE, block.index, true, &e) < 0)
			goto fail;
		/* An idle wire sleeps: its thread's CPU time over 500 ms, once
		 * it has started. */
		usleep(100 * 1000);
		idle0 = wire_cpu_ms(sd.w);
		usleep(500 * 1000);
		idle1 = wire_cpu_ms(sd.w);
		if (round_trips(&sd, n, &wired, &e) < 0)
			goto fail;
		side_down(&sd);
		print_rtt("direct", &direct);
		print_rtt("wire", &wired);
		printf("idle wire: %.3f ms CPU in 500 ms\n", idle1 - idle0);
		printf("wire_overhead_us=%.1f\n",
		       samples_quantile(&wired, 0.5) - samples_quantile(&direct, 0.5));
	} else {
		double d_mbit = 0, w_mbit = 0;

		printf("bench wire --rate: %ld MiB client to server, IPv4\n", mb);
		fflush(stdout);
		if (side_up(&sd, TOPO_DIRECT, block.index, false, &e) < 0 ||
		    bulk(&sd, mb, &d_mbit, &e) < 0)
			goto fail;
		side_down(&sd);
		if (side_up(&sd, TOPO_WIRE, block.index, false, &e) < 0 ||
		    bulk(&sd, mb, &w_mbit, &e) < 0)
			goto fail;
		side_down(&sd);
		printf("direct  %.0f Mbit/s\n", d_mbit);
		printf("wire    %.0f Mbit/s (%.0f%% of direct)\n", w_mbit, 100.0 * w_mbit / d_mbit);
		printf("direct_mbit_s=%.0f\nwire_mbit_s=%.0f\n", d_mbit, w_mbit);
	}
	goto out;
fail:
	err_print(&e);
	rc = err_exit_status(&e);
	side_down(&sd);
out:
	samples_free(&direct);
	samples_free(&wired);
	addrblock_release(&block);
	return rc;
}
