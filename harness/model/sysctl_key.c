// SPDX-License-Identifier: GPL-2.0-only
/* sysctl_key.c - sysctl keys and values: their forms, their paths, and the
 * keys whose write reaches the host.  Pure: the one fact of the host it
 * needs is handed in (sysctl_key_set_allowed_cc()). */
#include "model/sysctl_key.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROC_SYS "/proc/sys/"

/* Split @key into components in @out ('/'-separated), following sysctl(8):
 * when the first separator is '/', dots are literal; otherwise '.' separates
 * and '/' stands for a literal dot.  With @net, a key outside net.* is an
 * error. */
static int key_to_relpath(const char *key, char *out, size_t len, bool net, struct err *e)
{
	const char *first = strpbrk(key, "./");
	bool slash_form = first && *first == '/';
	size_t n = strlen(key), i;
	const char *comp;

	if (n == 0)
		return err_set(e, ERR_INPUT, "empty sysctl key");
	if (n + 1 > len)
		return err_set(e, ERR_INPUT, "sysctl key too long: %.64s...", key);
	for (i = 0; i < n; i++) {
		char c = key[i];

		if (!isgraph((unsigned char)c))
			return err_set(e, ERR_INPUT, "sysctl key '%s': invalid character at %zu",
			               key, i + 1);
		if (slash_form)
			out[i] = c;
		else
			out[i] = c == '.' ? '/' : c == '/' ? '.' : c;
	}
	out[n] = '\0';
	/* Every component must be a plain name: no empty, "." or ".." parts. */
	comp = out;
	for (;;) {
		const char *end = strchr(comp, '/');
		size_t clen = end ? (size_t)(end - comp) : strlen(comp);

		if (clen == 0 || (clen == 1 && comp[0] == '.') ||
		    (clen == 2 && comp[0] == '.' && comp[1] == '.'))
			return err_set(e, ERR_INPUT, "sysctl key '%s': empty or relative component",
			               key);
		if (!end)
			break;
		comp = end + 1;
	}
	if (net && strncmp(out, "net/", 4) != 0)
		return err_set(e, ERR_INPUT,
		               "sysctl key '%s': only net.* keys belong to a network namespace",
		               key);
	return 0;
}

int sysctl_path(const char *key, char *path, size_t len, struct err *e)
{
	char rel[512];

	if (key_to_relpath(key, rel, sizeof(rel), true, e) < 0)
		return -1;
	if ((size_t)snprintf(path, len, PROC_SYS "%s", rel) >= len)
		return err_set(e, ERR_INPUT, "sysctl key too long: %.64s...", key);
	return 0;
}

int sysctl_path_any(const char *key, char *path, size_t len, struct err *e)
{
	char rel[512];

	if (key_to_relpath(key, rel, sizeof(rel), false, e) < 0)
		return -1;
	if ((size_t)snprintf(path, len, PROC_SYS "%s", rel) >= len)
		return err_set(e, ERR_INPUT, "sysctl key too long: %.64s...", key);
	return 0;
}

static int canonical(const char *key, char *out, size_t len, bool net, struct err *e)
{
	char rel[512];
	size_t i;

	if (key_to_relpath(key, rel, sizeof(rel), net, e) < 0)
		return -1;
	if (strlen(rel) + 1 > len)
		return err_set(e, ERR_INPUT, "sysctl key too long: %.64s...", key);
	for (i = 0; rel[i]; i++)
		out[i] = rel[i] == '/' ? '.' : rel[i] == '.' ? '/' : rel[i];
	out[i] = '\0';
	return 0;
}

int sysctl_canonical(const char *key, char *out, size_t len, struct err *e)
{
	return canonical(key, out, len, true, e);
}

int sysctl_normalize(const char *key, char *out, size_t len, struct err *e)
{
	return canonical(key, out, len, false, e);
}

bool sysctl_is_net(const char *key)
{
	return strncmp(key, "net.", 4) == 0;
}

bool sysctl_is_glob(const char *key)
{
	return strpbrk(key, "*?[") != NULL;
}

bool sysctl_glob_match(const char *pattern, const char *key)
{
	char p[512], k[512];
	struct err e;

	/* Component by component, as glob(7) expands a path: '*' never
	 * crosses a separator. */
	if (key_to_relpath(pattern, p, sizeof(p), false, &e) < 0 ||
	    key_to_relpath(key, k, sizeof(k), false, &e) < 0)
		return false;
	return fnmatch(p, k, FNM_PATHNAME) == 0;
}

/* ---- writes that reach the host ------------------------------------------ */

/* Sysctls a new network namespace shows and lets root write, whose handler
 * changes state every namespace shares.  Keys outside every namespace's
 * table are not here: a new namespace does not show them, so a write there
 * finds no file (profile.c calls them global).  Found by going through
 * the keys a new namespace shows writable on 6.18 for handlers known to
 * reach shared state (tcp_child_ehash_entries and udp_child_hash_entries
 * only size the tables of namespaces made from the test namespace: still
 * confined); a key found later belongs here.  Cases, profiles and
 * sysctl_write() all refuse them. */
static const struct host_effect {
	const char *key;
	bool unless_allowed; /* confined when the value names one algorithm the
	                      * host has loaded and allowed already */
	const char *what;    /* what a write does beyond the namespace, with the
	                      * kernel source that shows it */
} host_effects[] = {
    {"net.ipv4.tcp_allowed_congestion_control", false,
     "it rewrites the host-wide list of allowed congestion control algorithms "
     "(net/ipv4/tcp_cong.c tcp_set_allowed_congestion_control() via net/ipv4/sysctl_net_ipv4.c "
     "proc_allowed_congestion_control(); writable in a namespace from 9cb8e048e5d9 until "
     "2021)"},
    {"net.ipv4.tcp_congestion_control", true,
     "setting it loads that algorithm's module for the whole host, and before 8d432592f30f "
     "(2021) marks it allowed host-wide (net/ipv4/tcp_cong.c "
     "tcp_set_default_congestion_control(): tcp_ca_find_autoload() -> request_module(), "
     "TCP_CONG_NON_RESTRICTED)"},
};

/* The host's tcp_allowed_congestion_control, as host/sysctl.c read it last
 * (sysctl_learn_host()); "" until then or when unreadable. */
static char allowed_cc[SYSCTL_VALUE_MAX];

void sysctl_key_set_allowed_cc(const char *list)
{
	snprintf(allowed_cc, sizeof(allowed_cc), "%s", list ? list : "");
}

/* Is @name one word of the host's allowed list?  Allowed implies loaded. */
static bool cc_allowed(const char *name, char *list, size_t len)
{
	char *w, *save = NULL, copy[SYSCTL_VALUE_MAX];

	snprintf(list, len, "%s", allowed_cc);
	snprintf(copy, sizeof(copy), "%s", allowed_cc);
	for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		if (strcmp(w, name) == 0)
			return true;
	return false;
}

int sysctl_host_effect(const char *key, const char *value, char *why, size_t len)
{
	size_t i;

	why[0] = '\0';
	for (i = 0; i < sizeof(host_effects) / sizeof(host_effects[0]); i++) {
		const struct host_effect *h = &host_effects[i];
		char list[SYSCTL_VALUE_MAX] = "";

		if (strcmp(h->key, key) != 0)
			continue;
		if (!h->unless_allowed) {
			snprintf(why, len,
			         "%s would change the host, not only the test namespace: %s", key,
			         h->what);
			return SYSCTL_HOST_KEY;
		}
		if (!value)
			return SYSCTL_CONFINED;
		if (!strpbrk(value, " \t") && cc_allowed(value, list, sizeof(list)))
			return SYSCTL_CONFINED;
		snprintf(
		    why, len,
		    "%s = %s would change the host (not loaded and allowed here; allowed: %s): %s",
		    key, value, list[0] ? list : "unreadable", h->what);
		return SYSCTL_HOST_VALUE;
	}
	return SYSCTL_CONFINED;
}

/* One whitespace-separated token of a value: numbers compare by value. */
static bool token_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	char ta[64], tb[64], *ea, *eb;
	long long na, nb;

	if (alen < sizeof(ta) && blen < sizeof(tb)) {
		memcpy(ta, a, alen);
		ta[alen] = '\0';
		memcpy(tb, b, blen);
		tb[blen] = '\0';
		errno = 0;
		na = strtoll(ta, &ea, 0);
		nb = strtoll(tb, &eb, 0);
		if (!errno && *ta && *tb && !*ea && !*eb)
			return na == nb;
	}
	return alen == blen && memcmp(a, b, alen) == 0;
}

int sysctl_value_equal(const char *a, const char *b)
{
	for (;;) {
		size_t alen, blen;

		while (isspace((unsigned char)*a))
			a++;
		while (isspace((unsigned char)*b))
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		alen = strcspn(a, " \t\n");
		blen = strcspn(b, " \t\n");
		if (!token_equal(a, alen, b, blen))
			return 0;
		a += alen;
		b += blen;
	}
}
