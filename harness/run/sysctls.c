// SPDX-License-Identifier: GPL-2.0-only
/* sysctls.c - write a variant's sysctls, read every TCP sysctl back. */
#include "run/sysctls.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "host/netns.h"
#include "host/sysctl.h"

struct want_sysctl {
	enum side side;
	const char *key, *value;
	const struct sc_sysctl *glob; /* a profile's glob line, expanded per side */
};

/* Does the case hold @key itself on side @s (a premise a profile's glob
 * must leave alone)? */
static bool case_holds(const struct scenario *sc, const char *key, int s)
{
	size_t i;

	for (i = 0; i < sc->nsysctls; i++)
		if (!sc->sysctls[i].axis && !strcmp(sc->sysctls[i].key, key) &&
		    (sc->sysctls[i].side == SIDE_BOTH || (int)sc->sysctls[i].side == s))
			return true;
	for (i = 0; i < sc->naxes; i++)
		if (sc->axes[i].is_sysctl && sc->axes[i].premise &&
		    !strcmp(sc->axes[i].name, key) &&
		    (sc->axes[i].side == SIDE_BOTH || (int)sc->axes[i].side == s))
			return true;
	return false;
}

/* Is @key one of the '\n'-separated patterns in @skip? */
static bool skipped(const char *skip, const char *key)
{
	char pat[SC_KEY_MAX];

	while (skip && *skip) {
		size_t n = strcspn(skip, "\n");

		if (n < sizeof(pat)) {
			memcpy(pat, skip, n);
			pat[n] = '\0';
			if (sysctl_glob_match(pat, key))
				return true;
		}
		skip += n + (skip[n] ? 1 : 0);
	}
	return false;
}

/* Write one key on side @s, read it back, record it: 0, 1 (absent: the
 * variant is skipped, why in @skip), -1. */
static int set_one(struct player *p, json_t *obj, int s, const char *key, const char *value,
                   char *skip, size_t skiplen)
{
	char rb[SYSCTL_VALUE_MAX];
	int r = sysctl_set(player_end(p, (enum side)s)->nsfd, key, value, rb, sizeof(rb), p->e);

	if (r == SYSCTL_ABSENT) {
		snprintf(skip, skiplen, "sysctl %s is absent on this kernel", key);
		return 1;
	}
	if (r < 0)
		return -1;
	json_object_set_new(obj, key, json_string(rb));
	player_log(p, "%s: %s = %s", side_name((enum side)s), key, rb);
	return 0;
}

/* A profile's glob on side @s: every key it matches in that namespace
 * (its veth's too), but those set on their own or kept out, and the
 * case's premises. */
static int set_glob(struct player *p, json_t *obj, int s, const struct sc_sysctl *o)
{
	char **keys, skip[256];
	size_t n, i;
	int r = 0;

	if (sysctl_glob(player_end(p, (enum side)s)->nsfd, o->key, &keys, &n, p->e) < 0)
		return -1;
	for (i = 0; i < n && r >= 0; i++)
		if (!skipped(o->skip, keys[i]) && !case_holds(p->sc, keys[i], s))
			r = set_one(p, obj, s, keys[i], o->value, skip, sizeof(skip)) < 0 ? -1 : 0;
	sysctl_glob_free(keys, n);
	return r;
}

/* The @i-th sysctl to write: the case's lines, the axes, the profile's. */
static bool want(const struct player *p, size_t i, struct want_sysctl *w)
{
	const struct scenario *sc = p->sc;

	memset(w, 0, sizeof(*w));
	if (i < sc->nsysctls) {
		w->side = sc->sysctls[i].side;
		w->key = sc->sysctls[i].key;
		w->value = sc->sysctls[i].value;
	} else if (i >= sc->nsysctls + sc->naxes) {
		/* A sysctl profile's line: last, so it wins. */
		const struct sc_sysctl *o = &sc->overrides[i - sc->nsysctls - sc->naxes];

		w->side = o->side;
		w->key = o->key;
		w->value = o->value;
		w->glob = o->glob ? o : NULL;
	} else {
		const struct sc_axis *a = &sc->axes[i - sc->nsysctls];

		if (!a->is_sysctl)
			return false;
		w->side = a->side;
		w->key = a->name;
		w->value = a->values[p->axes[i - sc->nsysctls]];
		/* "default" keeps the kernel's own value (recorded with the
		 * others as read back), so the variant also runs on kernels
		 * that lack the key. */
		if (strcmp(w->value, "default") == 0)
			return false;
	}
	return true;
}

int sysctls_apply(struct player *p, char *skip, size_t skiplen)
{
	const struct scenario *sc = p->sc;
	json_t *side_obj[2] = {json_object(), json_object()};
	size_t i;
	int s, rc = 0;

	json_object_set_new(p->sysctls, "client", side_obj[0]);
	json_object_set_new(p->sysctls, "server", side_obj[1]);
	for (i = 0; i < sc->nsysctls + sc->naxes + sc->noverrides && rc == 0; i++) {
		struct want_sysctl w;

		if (!want(p, i, &w))
			continue;
		for (s = SIDE_CLIENT; s <= SIDE_SERVER && rc == 0; s++) {
			if (w.side != SIDE_BOTH && (int)w.side != s)
				continue;
			rc = w.glob ? set_glob(p, side_obj[s], s, w.glob)
			            : set_one(p, side_obj[s], s, w.key, w.value, skip, skiplen);
		}
	}
	return rc;
}

int sysctls_read_back(struct player *p)
{
	static const char *const extra[] = {"net.core.somaxconn", "net.ipv4.ip_local_port_range"};
	int s;

	/* Tables choose their rows by these values: one missing for a reason
	 * other than the kernel lacking the key would choose another row. */
	for (s = SIDE_CLIENT; s <= SIDE_SERVER; s++) {
		json_t *obj = json_object_get(p->sysctls, s == SIDE_CLIENT ? "client" : "server");
		char names[256][64];
		size_t n = 0, i;
		struct dirent *de;
		int saved;
		DIR *d;

		if (netns_switch(player_end(p, (enum side)s)->nsfd, &saved, p->e) < 0)
			return err_wrap(p->e, "reading the TCP sysctls");
		d = opendir("/proc/sys/net/ipv4");
		if (!d) {
			err_sys(p->e, "reading the TCP sysctls: opendir /proc/sys/net/ipv4");
			netns_restore(saved);
			return -1;
		}
		errno = 0;
		while ((de = readdir(d)) && n < 256)
			if (strncmp(de->d_name, "tcp_", 4) == 0)
				snprintf(names[n++], sizeof(names[0]), "net.ipv4.%.50s",
				         de->d_name);
		if (!de && errno) {
			err_sys(p->e, "reading the TCP sysctls: readdir /proc/sys/net/ipv4");
			closedir(d);
			netns_restore(saved);
			return -1;
		}
		closedir(d);
		for (i = 0; i < n + 2; i++) {
			const char *key = i < n ? names[i] : extra[i - n];
			char v[SYSCTL_VALUE_MAX];
			int r;

			if (json_object_get(obj, key))
				continue;
			r = sysctl_read_here(key, v, sizeof(v), p->e);
			if (r < 0) {
				netns_restore(saved);
				return err_wrap(p->e, "reading the TCP sysctls");
			}
			if (r == SYSCTL_OK)
				json_object_set_new(obj, key, json_string(v));
		}
		netns_restore(saved);
	}
	return 0;
}
