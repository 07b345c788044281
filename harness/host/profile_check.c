// SPDX-License-Identifier: GPL-2.0-only
/*
 * profile_check.c - ask the running kernel about a profile's settings, in a
 * throwaway network namespace: which are per namespace (a new namespace
 * shows the key), which are global (only the host's /proc/sys/net shows
 * it), which this kernel lacks, which values it refuses.  The host's own
 * sysctls are only ever read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/text.h"
#include "host/netns.h"
#include "host/profile.h"
#include "host/sysctl.h"
#include "host/userns.h"
#include "model/sysctl_facts.h"

static void set_state(struct profile_line *l, enum pstate s, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void set_state(struct profile_line *l, enum pstate s, unsigned col, const char *fmt, ...)
{
	va_list ap;

	l->state = s;
	l->l.pcol = col;
	va_start(ap, fmt);
	vsnprintf(l->note, sizeof(l->note), fmt, ap);
	va_end(ap);
}

/* "net.ipv4.conf.eth0.rp_filter" -> "eth0": a key of one interface (not
 * "all" or "default"), or "" when @key is none. */
static void interface_of(const char *key, char *ifname, size_t len)
{
	static const char *const dirs[] = {"net.ipv4.conf.", "net.ipv6.conf.", "net.ipv4.neigh.",
	                                   "net.ipv6.neigh."};
	size_t i;

	ifname[0] = '\0';
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		size_t n = strlen(dirs[i]), k;

		if (strncmp(key, dirs[i], n) != 0)
			continue;
		k = strcspn(key + n, ".");
		if (!key[n + k] || k == 0 || k >= len)
			return;
		snprintf(ifname, len, "%.*s", (int)k, key + n);
		if (!strcmp(ifname, "all") || !strcmp(ifname, "default"))
			ifname[0] = '\0';
		return;
	}
}

/* A key a new namespace does not show: global, an interface of the host's,
 * removed, or unknown. */
static void not_in_namespace(struct profile_line *l, const char *path)
{
	const struct sysctl_removed *rm = sysctl_removed_find(l->l.key);
	const char *key = l->l.key, *where;
	char ifname[64];

	interface_of(key, ifname, sizeof(ifname));
	/* In a user namespace (rootless, a container) the harness runs in a
	 * network namespace of its own or its container's, never the initial
	 * one, where a global sysctl would show. */
	if (userns_nested() && !rm) {
		set_state(
		    l, PS_ABSENT, l->l.col,
		    "%s is in no network namespace here: global on this kernel, or unknown "
		    "(the initial network namespace, where a global sysctl would show, cannot "
		    "be seen from this user namespace)",
		    key);
		return;
	}
	if (access(path, F_OK) == 0) {
		if (ifname[0]) {
			set_state(
			    l, PS_INTERFACE, l->l.col,
			    "%s is an interface of this host: the test namespaces have only lo "
			    "and their veth, whose settings come from the 'all' and 'default' "
			    "keys",
			    ifname);
			return;
		}
		l->global = sysctl_global_find(key);
		where = sysctl_global_where(key);
		set_state(l, PS_GLOBAL, l->l.col,
		          "%s is global on this kernel, not per network namespace: it cannot be "
		          "applied to the test endpoints alone (and the host is never changed); "
		          "learned here: the host's /proc/sys/net has it, a new namespace's has "
		          "not%s%s%s",
		          key, *where ? " (" : "", where, *where ? ")" : "");
		return;
	}
	if (rm)
		set_state(l, PS_ABSENT, l->l.col, "%s is absent on this kernel: removed in %s (%s)",
		          key, rm->release, rm->source);
	else if (ifname[0])
		set_state(l, PS_ABSENT, l->l.col,
		          "no interface %s on this host or in a test "
		          "namespace",
		          ifname);
	else
		set_state(l, PS_ABSENT, l->l.col, "unknown key %s: this kernel has no such sysctl",
		          key);
}

/* Write @l's value to the key at @path in @ns, as a run will: the state
 * when the kernel refuses it. */
static bool try_write(int ns, struct profile_line *l, const char *key, const char *path)
{
	char back[SYSCTL_VALUE_MAX];
	struct err e2;
	struct stat st;
	int fd = netns_open(ns, path, O_WRONLY, &e2);

	if (fd < 0) {
		if (e2.errnum == EACCES && stat(path, &st) == 0 && !(st.st_mode & 0222))
			set_state(l, PS_READONLY, l->l.col,
			          "%s is read-only: a value the kernel reports, not a setting",
			          key);
		else if (e2.errnum == EACCES && (l->global = sysctl_global_find(key), true))
			set_state(l, PS_READONLY, l->l.col,
			          "%s is read-only in a network namespace: only the host's may be "
			          "set, so it is global on this kernel",
			          key);
		else
			set_state(l, PS_REJECTED, l->l.col, "%s: %s", key, e2.msg);
		return false;
	}
	if (write(fd, l->l.value, strlen(l->l.value)) < 0) {
		set_state(l, PS_REJECTED, l->l.vcol, "%s: the kernel rejects '%s': %s", key,
		          l->l.value, strerror(errno));
		close(fd);
		return false;
	}
	close(fd);
	if (sysctl_read(ns, key, back, sizeof(back), &e2) == SYSCTL_OK &&
	    !sysctl_value_equal(back, l->l.value)) {
		set_state(l, PS_REJECTED, l->l.vcol, "%s: the kernel keeps '%s' when given '%s'",
		          key, back, l->l.value);
		return false;
	}
	return true;
}

/* An explicit key. */
static void check_key(int ns, struct profile_line *l)
{
	char path[600];
	struct err e2;
	int fd;

	if (sysctl_path(l->l.key, path, sizeof(path), &e2) < 0) {
		set_state(l, PS_SYNTAX, l->l.col, "%s", e2.msg);
		return;
	}
	fd = netns_open(ns, path, O_RDONLY, &e2);
	if (fd < 0 && e2.errnum == ENOENT) {
		not_in_namespace(l, path);
		return;
	}
	if (fd >= 0) {
		close(fd);
		if (sysctl_read(ns, l->l.key, l->def, sizeof(l->def), &e2) != SYSCTL_OK)
			l->def[0] = '\0';
	}
	if (try_write(ns, l, l->l.key, path))
		l->state = PS_APPLIED;
}

/* Is @key set explicitly, or kept out of globs, by some line of @pr? */
static bool explicit(const struct profile *pr, const char *key)
{
	size_t i;

	for (i = 0; i < pr->n; i++) {
		const struct profile_line *o = &pr->lines[i];

		if (o->l.problem[0] || !sysctl_is_net(o->l.key))
			continue;
		if (o->l.exclude ? sysctl_glob_match(o->l.key, key)
		                 : !o->l.glob && !strcmp(o->l.key, key))
			return true;
	}
	return false;
}

/* The patterns kept out of glob @l: explicit keys it matches (on the host
 * or in a namespace, any of them) and "-KEY" lines. */
static int glob_skip(const struct profile *pr, struct profile_line *l)
{
	size_t i, len = 1, n = 0;

	for (i = 0; i < pr->n; i++) {
		const struct profile_line *o = &pr->lines[i];

		if (!o->l.problem[0] && sysctl_is_net(o->l.key) && (o->l.exclude || !o->l.glob))
			len += strlen(o->l.key) + 1;
	}
	l->skip = malloc(len);
	if (!l->skip)
		return -1;
	l->skip[0] = '\0';
	for (i = 0; i < pr->n; i++) {
		const struct profile_line *o = &pr->lines[i];

		if (!o->l.problem[0] && sysctl_is_net(o->l.key) && (o->l.exclude || !o->l.glob))
			n += (size_t)snprintf(l->skip + n, len - n, "%s\n", o->l.key);
	}
	return 0;
}

/* A glob: the keys it matches in a new namespace, less the explicit ones
 * and the exclusions; each written as a run will. */
static int check_glob(int ns, const struct profile *pr, struct profile_line *l)
{
	char **keys = NULL, why[700], path[600];
	size_t n = 0, i;
	struct err e2;
	bool ok = true;

	if (glob_skip(pr, l) < 0 || sysctl_glob(ns, l->l.key, &keys, &n, &e2) < 0)
		return -1;
	l->matches = 0;
	for (i = 0; ok && i < n; i++) {
		if (sysctl_host_effect(keys[i], l->l.value, why, sizeof(why)) != SYSCTL_CONFINED) {
			set_state(l, PS_HOST, l->l.col, "%s (matched by the glob)", why);
			ok = false;
			break;
		}
		if (explicit(pr, keys[i]) || sysctl_path(keys[i], path, sizeof(path), &e2) < 0)
			continue;
		if (!l->matches &&
		    sysctl_read(ns, keys[i], l->def, sizeof(l->def), &e2) != SYSCTL_OK)
			l->def[0] = '\0';
		ok = try_write(ns, l, keys[i], path);
		l->matches++;
	}
	/* Every key it matches here is set on its own or kept out: its value
	 * is still tried, on the first (the endpoints' veths come on top). */
	if (ok && n && !l->matches && sysctl_path(keys[0], path, sizeof(path), &e2) == 0)
		ok = try_write(ns, l, keys[0], path);
	if (!ok || n) {
		sysctl_glob_free(keys, n);
		return 0;
	}
	sysctl_glob_free(keys, n);
	/* None here: what does the host's /proc/sys/net have? */
	if (sysctl_glob(-1, l->l.key, &keys, &n, &e2) < 0)
		return -1;
	if (n)
		set_state(l, PS_NO_MATCH, l->l.col,
		          "%s matches no key of a new network namespace, only the host's (%s%s): "
		          "interfaces of the host, or global keys",
		          l->l.key, keys[0], n > 1 ? ", ..." : "");
	else
		set_state(l, PS_NO_MATCH, l->l.col, "%s matches no key on this kernel", l->l.key);
	sysctl_glob_free(keys, n);
	return 0;
}

/* One setting: its state and why. */
static int check_line(int ns, struct profile *pr, struct profile_line *l)
{
	char why[700];
	int h;

	if (l->l.glob)
		return check_glob(ns, pr, l);
	/* Before the kernel is asked: asking writes the value. */
	h = sysctl_host_effect(l->l.key, l->l.value, why, sizeof(why));
	if (h != SYSCTL_CONFINED) {
		set_state(l, PS_HOST, h == SYSCTL_HOST_VALUE ? l->l.vcol : l->l.col, "%s", why);
		return 0;
	}
	check_key(ns, l);
	return 0;
}

int profile_check(struct profile *pr, struct err *e)
{
	int ns = netns_create(e);
	size_t i;

	if (ns < 0)
		return -1;
	sysctl_learn_host();
	for (i = 0; i < pr->n; i++) {
		struct profile_line *l = &pr->lines[i];

		if (l->state != PS_APPLIED)
			continue;
		if (check_line(ns, pr, l) < 0) {
			close(ns);
			return err_set(e, ERR_SYSTEM, "out of memory");
		}
	}
	close(ns);
	return pr->strict ? profile_strict(pr, e) : 0;
}

int profile_defaults(const struct profile *pr, struct profile *out, struct err *e)
{
	size_t i, n = 0;

	memset(out, 0, sizeof(*out));
	snprintf(out->file, sizeof(out->file), "kernel defaults");
	out->lines = calloc(pr->n ? pr->n : 1, sizeof(*out->lines));
	if (!out->lines)
		return err_set(e, ERR_SYSTEM, "out of memory");
	/* The values profile_check() read in a new namespace before writing. */
	for (i = 0; i < pr->n; i++) {
		const struct profile_line *l = &pr->lines[i];

		if (l->state != PS_APPLIED || l->l.glob || !l->def[0])
			continue;
		out->lines[n] = *l;
		out->lines[n].skip = NULL;
		text_copy(out->lines[n].l.value, sizeof(out->lines[n].l.value), l->def);
		n++;
	}
	out->n = n;
	return 0;
}
