/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * debapt.h - tcpconform's own apt, for Debian's kernels from every suite.
 *
 * Its own configuration (apt.conf, passed as APT_CONFIG, read before
 * anything else, so that apt reads no file of /etc/apt), sources list,
 * lists, status and cache, all under one directory
 * ($XDG_CACHE_HOME/tcpconform/apt).  The host's apt configuration, sources
 * and lists are never changed, and only read for two things: the Debian
 * mirror its sources use (`apt-get indextargets`), and its Acquire settings
 * for reaching it (proxies, Check-Valid-Until).  Release files are checked
 * against debian-archive-keyring, packages against the SHA256 of the lists.
 */
#ifndef TC_DEBAPT_H
#define TC_DEBAPT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "vm/debindex.h"

/* The suites searched, unless TCPCONFORM_DEBIAN_SUITES names others.  The
 * -security suites come from the security mirror. */
#define DEBAPT_SUITES                                                                              \
	"bullseye bullseye-security bookworm bookworm-security bookworm-backports trixie "         \
	"trixie-security trixie-backports forky sid"
#define DEBAPT_KEYRING "/usr/share/keyrings/debian-archive-keyring.gpg"
/* Lists older than this are fetched again before a lookup. */
#define DEBAPT_MAX_AGE_S (24 * 3600)

struct debapt {
	char dir[4096];      /* its root */
	char conf[4200];     /* dir/apt.conf, APT_CONFIG of every apt program run */
	char suites[1024];   /* searched, space-separated */
	char mirror[512];    /* "http://deb.debian.org/debian" */
	char security[512];  /* "http://deb.debian.org/debian-security" */
	char answered[1024]; /* the suites whose lists it holds, after debapt_refresh() */
	long long lists_at;  /* when they were fetched (seconds since the epoch), or 0 */
	int lock_fd;         /* flock()ed: shared to read, exclusive to update */
	bool updated;        /* apt-get update ran in this process */
};

/* The suites to search (TCPCONFORM_DEBIAN_SUITES or DEBAPT_SUITES) into
 * @out; ERR_INPUT when the variable holds something else than suite names. */
int debapt_suites(char *out, size_t len, struct err *e);
/* Whether @suite is a word of @suites. */
bool debapt_has_suite(const char *suites, const char *suite);

/* Set up @a in @dir: its configuration and sources written (when they
 * changed), the lock taken (shared).  @mirror/@security NULL: the host's. */
int debapt_open(struct debapt *a, const char *dir, const char *mirror, const char *security,
                struct err *e);
void debapt_close(struct debapt *a);

/* `apt-get update` with the private configuration when the lists are
 * missing or older than DEBAPT_MAX_AGE_S, or when @force and it has not run
 * in this process.  Missing suites are named on stderr; no suite at all is
 * ERR_ENV.  Fills a->answered. */
int debapt_refresh(struct debapt *a, bool force, struct err *e);

/* Every kernel package of @flavour in the lists, with its suites, size,
 * SHA256 and parts. */
int debapt_index(struct debapt *a, const char *flavour, struct deb_index *ix, struct err *e);

/* `apt-get download` of the packages of @k into @dir, each file's SHA256
 * checked against the lists; its progress on stderr. */
int debapt_download(struct debapt *a, const struct deb_kernel *k, const char *dir, struct err *e);

/* Whether @file's SHA256 is @hex (64 hex digits): 0, or -1 with ERR_ENV
 * naming the two. */
int debapt_sha256_check(const char *file, const char *hex, struct err *e);

#endif
