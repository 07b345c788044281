// SPDX-License-Identifier: GPL-2.0-only
/* counters.c - /proc/net/snmp and /proc/net/netstat, per namespace. */
#include "host/counters.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "host/netns.h"

static int add(struct counters *c, const char *mib, size_t mlen, const char *name, size_t nlen,
               int64_t v)
{
	if (ARRAY_RESERVE(&c->v, &c->cap, c->n + 1, 256))
		return -1;
	snprintf(c->v[c->n].name, sizeof(c->v[c->n].name), "%.*s.%.*s", (int)mlen, mib, (int)nlen,
	         name);
	c->v[c->n].value = v;
	c->n++;
	return 0;
}

int counters_parse(const char *text, struct counters *c)
{
	const char *s = text;

	while (*s) {
		const char *l1 = s, *l2, *e1, *e2, *colon;
		size_t mlen;

		e1 = strchr(l1, '\n');
		if (!e1)
			break;
		l2 = e1 + 1;
		e2 = strchr(l2, '\n');
		if (!e2)
			e2 = l2 + strlen(l2);
		s = *e2 ? e2 + 1 : e2;
		colon = memchr(l1, ':', (size_t)(e1 - l1));
		if (!colon)
			continue;
		mlen = (size_t)(colon - l1);
		if ((size_t)(e2 - l2) < mlen + 1 || strncmp(l2, l1, mlen) != 0 || l2[mlen] != ':')
			continue;
		/* Walk names and values together. */
		{
			const char *np = colon + 1, *vp = l2 + mlen + 1;

			for (;;) {
				size_t nl, vl;
				char num[32];

				while (np < e1 && *np == ' ')
					np++;
				while (vp < e2 && *vp == ' ')
					vp++;
				if (np >= e1 || vp >= e2)
					break;
				nl = strcspn(np, " \n");
				vl = strcspn(vp, " \n");
				if (np + nl > e1)
					nl = (size_t)(e1 - np);
				if (vl >= sizeof(num))
					vl = sizeof(num) - 1;
				memcpy(num, vp, vl);
				num[vl] = '\0';
				if (add(c, l1, mlen, np, nl, strtoll(num, NULL, 10)) < 0)
					return -1;
				np += nl;
				vp += vl;
			}
		}
	}
	return 0;
}

/* /proc/net/snmp6: "Ip6InReceives   12" per line -> "Ip6.InReceives". */
int counters_parse6(const char *text, struct counters *c)
{
	static const char *const mibs[] = {"UdpLite6", "Icmp6", "Udp6", "Ip6"};
	const char *s = text;

	while (*s) {
		const char *nl = strchr(s, '\n'), *sp;
		size_t len = nl ? (size_t)(nl - s) : strlen(s), i, nlen;
		char num[32];

		sp = memchr(s, ' ', len);
		if (sp) {
			nlen = (size_t)(sp - s);
			for (i = 0; i < sizeof(mibs) / sizeof(mibs[0]); i++) {
				size_t ml = strlen(mibs[i]);

				if (nlen > ml && strncmp(s, mibs[i], ml) == 0) {
					const char *v = sp;

					while (*v == ' ')
						v++;
					snprintf(num, sizeof(num), "%.*s", (int)(s + len - v), v);
					if (add(c, s, ml, s + ml, nlen - ml,
					        strtoll(num, NULL, 10)) < 0)
						return -1;
					break;
				}
			}
		}
		s = nl ? nl + 1 : s + len;
	}
	return 0;
}

#define COUNTERS_FILE_MAX (1 << 16)

static int read_file(int nsfd, const char *path, struct counters *c, struct err *e)
{
	char *buf = netns_read(nsfd, path, COUNTERS_FILE_MAX, e);
	int r;

	if (!buf)
		return -1;
	r = strstr(path, "snmp6") ? counters_parse6(buf, c) : counters_parse(buf, c);
	free(buf);
	if (r < 0) {
		errno = ENOMEM;
		return err_sys(e, "parsing %s", path);
	}
	return 0;
}

int counters_read(int nsfd, struct counters *c, struct err *e)
{
	c->v = NULL;
	c->n = c->cap = 0;
	/* thread-self: the calling thread's namespace, which netns_open() set. */
	if (read_file(nsfd, "/proc/thread-self/net/snmp", c, e) < 0 ||
	    read_file(nsfd, "/proc/thread-self/net/netstat", c, e) < 0)
		goto fail;
	/* IPv6 counters, where the kernel has IPv6: only the file's absence
	 * (ENOENT, a kernel without IPv6) is not an error. */
	if (read_file(nsfd, "/proc/thread-self/net/snmp6", c, e) < 0 && e->errnum != ENOENT)
		goto fail;
	return 0;
fail:
	counters_free(c);
	return -1;
}

int counters_get(const struct counters *c, const char *name, int64_t *v)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		if (strcmp(c->v[i].name, name) == 0) {
			*v = c->v[i].value;
			return 0;
		}
	}
	return -1;
}

void counters_free(struct counters *c)
{
	free(c->v);
	c->v = NULL;
	c->n = c->cap = 0;
}
