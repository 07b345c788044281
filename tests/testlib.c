// SPDX-License-Identifier: GPL-2.0-only
/* testlib.c - shared test helpers and independent observers. */
#include "testlib.h"

#include "host/netns.h"
#include "host/tracer.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int can = -1;
static char reason[200];

/* Those of CAP_NET_ADMIN (12), CAP_NET_RAW (13) and CAP_SYS_ADMIN (21)
 * missing from CapEff in /proc/self/status, named into @out. */
static void missing_caps(char *out, size_t len)
{
	static const struct {
		int bit;
		const char *name;
	} caps[] = {{12, "CAP_NET_ADMIN"}, {13, "CAP_NET_RAW"}, {21, "CAP_SYS_ADMIN"}};
	unsigned long long eff = ~0ULL;
	char line[128];
	FILE *f = fopen("/proc/self/status", "r");

	out[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		if (!(eff & (1ULL << caps[i].bit)))
			snprintf(out + strlen(out), len - strlen(out), "%s%s", out[0] ? ", " : "",
			         caps[i].name);
}

/* Root of a user namespace that does not own this network namespace (a
 * rootless container): a test that left it for a test namespace could
 * never come back (setns needs CAP_SYS_ADMIN over its owner).  As the
 * harness does (host/userns.c), the test moves into one of its own. */
static void own_netns_if_foreign(void)
{
	int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (setns(fd, CLONE_NEWNET) < 0 && errno == EPERM && unshare(CLONE_NEWNET) == 0) {
		struct ifreq ifr = {.ifr_name = "lo"};
		int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

		/* Its loopback up and used once (its neighbour entry made), as a
		 * host's is: test_host sends on it and compares its state. */
		if (s >= 0 && ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
			struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(9)};

			ifr.ifr_flags |= IFF_UP;
			ioctl(s, SIOCSIFFLAGS, &ifr);
			to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			sendto(s, "", 0, 0, (struct sockaddr *)&to, sizeof(to));
		}
		if (s >= 0)
			close(s);
		netns_rehome(); /* as the harness's own, never configured */
		print_message("note: root of a user namespace that does not own this network "
		              "namespace: this test runs in one of its own\n");
	}
	close(fd);
}

bool tl_can_netns(void)
{
	char missing[80];

	if (can < 0 && geteuid() == 0)
		own_netns_if_foreign();
	if (can < 0 && geteuid() == 0) {
		missing_caps(missing, sizeof(missing));
		if (missing[0]) {
			can = 0;
			snprintf(reason, sizeof(reason),
			         "root without %s (CapEff in /proc/self/status), which the harness "
			         "needs",
			         missing);
		}
	}
	if (can < 0) {
		pid_t pid = fork();
		int status = 0;

		if (pid == 0)
			_exit(unshare(CLONE_NEWNET) == 0 ? 0 : errno);
		waitpid(pid, &status, 0);
		can = WIFEXITED(status) && WEXITSTATUS(status) == 0;
		if (!can)
			snprintf(reason, sizeof(reason),
			         "cannot create network namespaces here (%s); run as root",
			         strerror(WEXITSTATUS(status)));
	}
	return can;
}

const char *tl_netns_reason(void)
{
	return reason;
}

/* A tiny set of inode numbers. */
struct inoset {
	unsigned long v[4096];
	int n;
};

static void inoset_add(struct inoset *s, unsigned long ino)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (s->v[i] == ino)
			return;
	if (s->n < (int)(sizeof(s->v) / sizeof(s->v[0])))
		s->v[s->n++] = ino;
}

static void add_link(struct inoset *s, const char *path)
{
	char buf[64];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	unsigned long ino;

	if (n <= 0)
		return;
	buf[n] = '\0';
	if (sscanf(buf, "net:[%lu]", &ino) == 1)
		inoset_add(s, ino);
}

static bool numeric(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

static void scan_dir_links(struct inoset *s, const char *dir, const char *suffix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[512];

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (!numeric(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s%s", dir, de->d_name, suffix);
		add_link(s, path);
	}
	closedir(d);
}

int tl_count_netns(void)
{
	static struct inoset s;
	DIR *d = opendir("/proc");
	struct dirent *de;
	char path[512];

	s.n = 0;
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (!numeric(de->d_name))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", de->d_name);
		add_link(&s, path);
		snprintf(path, sizeof(path), "/proc/%s/task", de->d_name);
		scan_dir_links(&s, path, "/ns/net");
		snprintf(path, sizeof(path), "/proc/%s/fd", de->d_name);
		scan_dir_links(&s, path, "");
	}
	closedir(d);
	return s.n;
}

int tl_wait_netns_count(int target, int ms)
{
	int n = tl_count_netns(), waited = 0;

	/* At most @target: namespaces of other processes on the machine may
	 * go away meanwhile (a leak only ever adds). */
	while (n > target && waited < ms) {
		usleep(20 * 1000);
		waited += 20;
		n = tl_count_netns();
	}
	return n;
}

int tl_count_host_veth(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct nl_cache *cache = NULL;
	struct nl_object *o;
	int n = 0;

	if (!sk || nl_connect(sk, NETLINK_ROUTE) < 0 ||
	    rtnl_link_alloc_cache(sk, AF_UNSPEC, &cache) < 0) {
		nl_socket_free(sk);
		return -1;
	}
	for (o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		const char *type = rtnl_link_get_type((struct rtnl_link *)o);

		if (type && strcmp(type, "veth") == 0)
			n++;
	}
	nl_cache_free(cache);
	nl_socket_free(sk);
	return n;
}

bool tl_userns_nested(void)
{
	FILE *f = fopen("/proc/self/uid_map", "r");
	unsigned long a = 1, b = 1, n = 0;
	int got;

	assert_non_null(f);
	got = fscanf(f, "%lu %lu %lu", &a, &b, &n);
	fclose(f);
	return !(got == 3 && a == 0 && b == 0 && n == 4294967295UL);
}

bool tl_tracepoints(char *why, size_t len)
{
	int fds[2], st = 0;
	ssize_t got;
	pid_t pid;

	if (geteuid() != 0 || tl_userns_nested()) {
		snprintf(why, len, "not root of the initial user namespace");
		return false;
	}
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct tracer t;
		struct err e;
		int r;

		close(fds[0]);
		r = tracer_start(&t, &e);
		if (r == 0)
			tracer_stop(&t);
		else if (r == 1 && write(fds[1], t.unavailable, strlen(t.unavailable)) < 0)
			_exit(2);
		else if (r < 0 && write(fds[1], e.msg, strlen(e.msg)) < 0)
			_exit(2);
		_exit(r == 0 ? 0 : 1);
	}
	close(fds[1]);
	got = read(fds[0], why, len - 1);
	close(fds[0]);
	why[got > 0 ? got : 0] = '\0';
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

bool tl_have(const char *cmd)
{
	char path[512], *p, *save = NULL;
	const char *env = getenv("PATH");
	char *copy = strdup(env ? env : "/usr/sbin:/usr/bin:/sbin:/bin");
	bool found = false;

	for (p = strtok_r(copy, ":", &save); p && !found; p = strtok_r(NULL, ":", &save)) {
		snprintf(path, sizeof(path), "%s/%s", p, cmd);
		found = access(path, X_OK) == 0;
	}
	free(copy);
	return found;
}

int tl_sh(char **out, const char *fmt, ...)
{
	char *cmd = NULL, *full = NULL, *buf = NULL;
	size_t len = 0;
	va_list ap;
	FILE *p;
	int n, status;

	*out = NULL;
	va_start(ap, fmt);
	n = vasprintf(&cmd, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	n = asprintf(&full, "exec 2>&1; %s", cmd);
	free(cmd);
	if (n < 0)
		return -1;
	fflush(stdout);
	p = popen(full, "r");
	free(full);
	if (!p)
		return -1;
	{
		FILE *mem = open_memstream(&buf, &len);
		char chunk[4096];
		size_t r;

		if (!mem) {
			pclose(p);
			return -1;
		}
		while ((r = fread(chunk, 1, sizeof(chunk), p)) > 0)
			fwrite(chunk, 1, r, mem);
		fclose(mem);
	}
	*out = buf;
	status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int tl_nsenter(int nsfd, const char *const argv[], char **out)
{
	char nsarg[64];
	const char *full[32];
	int pipefd[2], status, i, n = 0;
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	pid_t pid;
	ssize_t r;

	*out = buf;
	buf[0] = '\0';
	snprintf(nsarg, sizeof(nsarg), "--net=/proc/%d/fd/%d", (int)getpid(), nsfd);
	full[n++] = "nsenter";
	full[n++] = nsarg;
	for (i = 0; argv[i] && n < 31; i++)
		full[n++] = argv[i];
	full[n] = NULL;
	if (pipe(pipefd) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		execvp("nsenter", (char *const *)full);
		_exit(127);
	}
	close(pipefd[1]);
	while ((r = read(pipefd[0], buf + len, cap - len - 1)) > 0) {
		len += (size_t)r;
		if (cap - len < 1024) {
			cap *= 2;
			buf = realloc(buf, cap);
			*out = buf;
		}
	}
	buf[len] = '\0';
	close(pipefd[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void tl_host_cc(char *out, size_t len)
{
	static const char *const files[] = {"/proc/sys/net/ipv4/tcp_allowed_congestion_control",
	                                    "/proc/sys/net/ipv4/tcp_available_congestion_control",
	                                    "/proc/sys/net/ipv4/tcp_congestion_control"};
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		FILE *f = fopen(files[i], "r");

		assert_non_null(f);
		if (!fgets(out + n, (int)(len - n), f))
			out[n] = '\0';
		fclose(f);
		n = strlen(out);
	}
}

int tl_tmpdir(char *dir, size_t len, const char *tag)
{
	int n = snprintf(dir, len, "/tmp/tcpconform-%s-XXXXXX", tag);

	if (n < 0 || (size_t)n >= len)
		return -1;
	return mkdtemp(dir) ? 0 : -1;
}

int tl_rmtree(const char *dir)
{
	char *out = NULL;
	int st = tl_sh(&out, "rm -rf '%s'", dir);

	free(out);
	return st == 0 ? 0 : -1;
}
