// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench_topology.c - `tcpconform bench topology`: what one topology costs.
 *
 * Builds and tears down N topologies through the harness (libnl), then the
 * same topology configured with the equivalent ip(8) and ethtool(8)
 * commands, one process each, run inside the namespace they configure
 * (fork, setns, exec: what `nsenter --net=... ip ...` does; `ip -n NAME`
 * would add a mount-namespace set-up per command and need named
 * namespaces).  Both ways create the namespaces and write the sysctls with
 * the same code, so the ratio compares only the link configuration.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/clock.h"
#include "bench/bench.h"
#include "host/addrblock.h"
#include "host/topology.h"

/* Run argv inside namespace @nsfd; 0 when it exits 0. */
static int run_in_ns(int nsfd, char *const argv[], struct err *e)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return err_sys(e, "fork");
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (setns(nsfd, CLONE_NEWNET) < 0)
			_exit(126);
		if (null >= 0)
			dup2(null, STDOUT_FILENO);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return err_sys(e, "waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char cmd[512] = "";
		size_t i;

		for (i = 0; argv[i] && strlen(cmd) + strlen(argv[i]) + 2 < sizeof(cmd); i++) {
			strcat(cmd, argv[i]);
			strcat(cmd, " ");
		}
		return err_set(
		    e, WIFEXITED(status) && WEXITSTATUS(status) == 127 ? ERR_ENV : ERR_SYSTEM,
		    "'%s' failed (status %d)", cmd, status);
	}
	return 0;
}

static void fmt_mac(const uint8_t m[6], char *out)
{
	sprintf(out, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static int ip_veth(int nsfd, const struct topo_end *near, const struct topo_end *far, struct err *e)
{
	char nidx[16], fidx[16], nmac[20], fmac[20], fns[64];

	snprintf(nidx, sizeof(nidx), "%d", near->ifindex);
	snprintf(fidx, sizeof(fidx), "%d", far->ifindex);
	fmt_mac(near->mac, nmac);
	fmt_mac(far->mac, fmac);
	snprintf(fns, sizeof(fns), "/proc/%d/fd/%d", (int)getpid(), far->nsfd);
	char *argv[] = {"ip",      "link",
	                "add",     (char *)near->ifname,
	                "index",   nidx,
	                "address", nmac,
	                "up",      "type",
	                "veth",    "peer",
	                "name",    (char *)far->ifname,
	                "index",   fidx,
	                "address", fmac,
	                "netns",   fns,
	                NULL};
	char *up[] = {"ip", "link", "set", "dev", (char *)far->ifname, "up", "arp", "off", NULL};

	if (run_in_ns(nsfd, argv, e) < 0)
		return -1;
	return run_in_ns(far->nsfd, up, e);
}

static int ip_lo_up(int nsfd, struct err *e)
{
	char *argv[] = {"ip", "link", "set", "dev", "lo", "up", NULL};

	return run_in_ns(nsfd, argv, e);
}

static int ethtool_off(const struct topo_end *end, struct err *e)
{
	char *argv[] = {"ethtool", "-K",  (char *)end->ifname,
	                "tx",      "off", "tso",
	                "off",     "gso", "off",
	                "gro",     "off", "sg",
	                "off",     "rx",  "off",
	                NULL};

	return run_in_ns(end->nsfd, argv, e);
}

static int ip_endpoint(const struct topology *t, const struct topo_end *end,
                       const struct topo_end *peer, struct err *e)
{
	char a4[64], a6[80], p4[INET_ADDRSTRLEN], p6[INET6_ADDRSTRLEN], mac[20];
	char *dev = (char *)end->ifname;

	inet_ntop(AF_INET, &end->ip4, a4, sizeof(a4));
	strcat(a4, "/24");
	inet_ntop(AF_INET6, &end->ip6, a6, sizeof(a6));
	strcat(a6, "/64");
	inet_ntop(AF_INET, &peer->ip4, p4, sizeof(p4));
	inet_ntop(AF_INET6, &peer->ip6, p6, sizeof(p6));
	fmt_mac(peer->mac, mac);
	{
		char *addr4[] = {"ip", "addr", "add", a4, "dev", dev, NULL};
		char *neigh4[] = {"ip",  "neigh", "add", p4,          "lladdr", mac,
		                  "dev", dev,     "nud", "permanent", NULL};
		char *addr6[] = {"ip", "-6", "addr", "add", a6, "dev", dev, "nodad", NULL};
		char *neigh6[] = {"ip", "-6",  "neigh", "add", p6,          "lladdr",
		                  mac,  "dev", dev,     "nud", "permanent", NULL};

		if (ip_lo_up(end->nsfd, e) < 0 || ethtool_off(end, e) < 0 ||
		    run_in_ns(end->nsfd, addr4, e) < 0 || run_in_ns(end->nsfd, neigh4, e) < 0)
			return -1;
		if (t->ipv6 &&
		    (run_in_ns(end->nsfd, addr6, e) < 0 || run_in_ns(end->nsfd, neigh6, e) < 0))
			return -1;
	}
	return 0;
}

/* The ip(8) equivalent of topology_configure(). */
static int configure_with_ip(struct topology *t, struct err *e)
{
	if (topology_pick_ifindexes(t, e) < 0)
		return -1;
	if (t->shape == TOPO_WIRE) {
		if (ip_veth(t->wire_nsfd, &t->wire_c, &t->client, e) < 0 ||
		    ip_veth(t->wire_nsfd, &t->wire_s, &t->server, e) < 0 ||
		    ip_lo_up(t->wire_nsfd, e) < 0 || ethtool_off(&t->wire_c, e) < 0 ||
		    ethtool_off(&t->wire_s, e) < 0)
			return -1;
	} else if (ip_veth(t->client.nsfd, &t->client, &t->server, e) < 0) {
		return -1;
	}
	if (ip_endpoint(t, &t->client, &t->server, e) < 0 ||
	    ip_endpoint(t, &t->server, &t->client, e) < 0)
		return -1;
	return 0;
}

static int one_round(const struct topology_opts *o, int with_ip, double *ms, struct err *e)
{
	struct topology t;
	double t0 = clock_ms();

	if (!with_ip) {
		if (topology_build(&t, o, e) < 0)
			return -1;
	} else {
		if (topology_create_namespaces(&t, o, e) < 0)
			return -1;
		if (configure_with_ip(&t, e) < 0) {
			topology_destroy(&t);
			return err_wrap(e, "ip(8) way");
		}
	}
	topology_destroy(&t);
	*ms = clock_ms() - t0;
	return 0;
}

static void print_line(const char *label, struct samples *s, const char *extra)
{
	printf("%-16s n=%-4zu min=%.3f median=%.3f max=%.3f ms per topology%s\n", label, s->n,
	       samples_min(s), samples_quantile(s, 0.5), samples_max(s), extra);
}

int bench_topology(const struct bench_topology_config *cfg)
{
	struct topology_opts o = {.shape = cfg->shape};
	struct samples mine = {0}, ip = {0};
	long n = cfg->n, nip = cfg->nip;
	struct addrblock block;
	struct err e;
	int rc = EXIT_PASS;
	long i;

	if (addrblock_acquire(&block, &e) < 0) {
		err_print(&e);
		return err_exit_status(&e);
	}
	o.block = block.index;
	printf("bench topology: %s shape, address block %u\n", topo_shape_name(o.shape), o.block);
	fflush(stdout);
	for (i = 0; i < n + nip && rc == EXIT_PASS; i++) {
		/* Interleave the two ways so both see the same machine state. */
		long every = (n + nip) / nip;
		int with_ip = ip.n < (size_t)nip && (mine.n >= (size_t)n || i % every == every - 1);
		double ms = 0;

		if (one_round(&o, with_ip, &ms, &e) < 0 ||
		    samples_add(with_ip ? &ip : &mine, ms) < 0) {
			err_print(&e);
			rc = err_exit_status(&e);
		}
	}
	if (rc == EXIT_PASS) {
		double med = samples_quantile(&mine, 0.5);
		double ipmed = samples_quantile(&ip, 0.5);

		print_line("harness (libnl)", &mine, "");
		print_line("ip(8) commands", &ip, " (one ip/ethtool process per step)");
		printf("topology_ms_median=%.3f\n", med);
		printf("ip_vs_harness_ratio=%.1f\n", ipmed / med);
	}
	samples_free(&mine);
	samples_free(&ip);
	addrblock_release(&block);
	return rc;
}
