// SPDX-License-Identifier: GPL-2.0-only
/* sockstat.c - /proc/net/sockstat and sockstat6, per namespace. */
#include "host/sockstat.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/num.h"
#include "host/netns.h"

/* Both files are a few lines; anything near this is not them. */
#define SOCKSTAT_FILE_MAX 4096

int sockstat_field(const char *text, const char *label, const char *key, int64_t *v)
{
	size_t ll = strlen(label), kl = strlen(key);
	const char *s = text;

	while (*s) {
		const char *nl = strchr(s, '\n');
		const char *end = nl ? nl : s + strlen(s);

		if ((size_t)(end - s) > ll + 1 && strncmp(s, label, ll) == 0 && s[ll] == ':') {
			const char *p = s + ll + 1;

			/* "name value" pairs, separated by single spaces */
			while (p < end) {
				const char *name, *val;
				size_t nlen, vlen;
				long long n;

				while (p < end && *p == ' ')
					p++;
				name = p;
				nlen = strcspn(p, " \n");
				p += nlen;
				while (p < end && *p == ' ')
					p++;
				val = p;
				vlen = strcspn(p, " \n");
				p += vlen;
				if (nlen == 0 || vlen == 0)
					return -1;
				if (nlen == kl && strncmp(name, key, kl) == 0) {
					/* inuse may go below 0 in a sum of per-CPU parts */
					if (num_int(val, vlen, INT64_MIN, INT64_MAX, &n, NULL) !=
					    NUM_OK)
						return -1;
					*v = n;
					return 0;
				}
			}
			return -1;
		}
		s = nl ? nl + 1 : end;
	}
	return -1;
}

static int field_of(int nsfd, const char *path, const char *label, const char *key, int64_t *v,
                    struct err *e)
{
	/* thread-self: the calling thread's namespace, which netns_open() set. */
	char *text = netns_read(nsfd, path, SOCKSTAT_FILE_MAX, e);

	if (!text)
		return -1;
	if (sockstat_field(text, label, key, v) < 0) {
		free(text);
		return err_set(e, ERR_SYSTEM, "%s has no '%s: ... %s N' line", path, label, key);
	}
	free(text);
	return 0;
}

int sockstat_read(int nsfd, int family, struct sockstat *s, struct err *e)
{
	if (field_of(nsfd, "/proc/thread-self/net/sockstat", "TCP", "tw", &s->tw, e) < 0)
		return -1;
	if (family == 6)
		return field_of(nsfd, "/proc/thread-self/net/sockstat6", "TCP6", "inuse", &s->inuse,
		                e);
	return field_of(nsfd, "/proc/thread-self/net/sockstat", "TCP", "inuse", &s->inuse, e);
}
