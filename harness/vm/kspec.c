// SPDX-License-Identifier: GPL-2.0-only
/* kspec.c - kernel specs: parsing, Debian package lookup, fetch and unpack. */
#include "vm/kspec.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/dirs.h"
#include "base/spawn.h"
#include "base/text.h"
#include "vm/debapt.h"
#include "vm/debindex.h"
#include "vm/debpkg.h"

#define UNPACK_TIMEOUT_MS (300 * 1000)

static int bad_at(size_t *bad, size_t off, struct err *e, const char *fmt, const char *arg)
{
	*bad = off;
	return err_set(e, ERR_INPUT, fmt, arg);
}

static void label_from(struct kspec *k, const char *prefix, const char *name)
{
	char *s;

	snprintf(k->label, sizeof(k->label), "%s%.100s", prefix, name);
	for (s = k->label; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '-' && *s != '_')
			*s = '_';
}

/* debian:VERSION[:FLAVOUR] or debian:list[:FLAVOUR]: the version or list. */
static int debian_version(const char *s, const char *v, size_t vlen, struct kspec *k, size_t *bad,
                          struct err *e)
{
	const char *p;
	bool dash = false;

	if (vlen == 0)
		return bad_at(bad, (size_t)(v - s), e,
		              "%s: no version after 'debian:' (e.g. debian:6.1, or debian:list)",
		              "debian");
	if (vlen >= sizeof(k->version))
		return bad_at(bad, (size_t)(v - s), e, "%s: version too long", "debian");
	if (vlen == 4 && strncmp(v, "list", 4) == 0) {
		k->kind = KSPEC_DEBIAN_LIST;
		return 0;
	}
	for (p = v; p < v + vlen; p++) {
		bool ok = isdigit((unsigned char)*p) ||
		          ((*p == '.' || *p == '-') && p > v && isdigit((unsigned char)p[-1]) &&
		           p + 1 < v + vlen);

		if (*p == '-') {
			ok = ok && !dash;
			dash = true;
		}
		if (!ok)
			return bad_at(bad, (size_t)(p - s), e,
			              "%s: a Debian kernel version is digits and dots, with an "
			              "optional ABI (6.1, 6.12, 6.1.0-56, 6.1.192)",
			              "debian");
	}
	k->kind = KSPEC_DEBIAN;
	memcpy(k->version, v, vlen);
	k->version[vlen] = '\0';
	return 0;
}

/* The flavour, between @f and @end. */
static int debian_flavour(const char *s, const char *f, const char *end, struct kspec *k,
                          size_t *bad, struct err *e)
{
	size_t n = (size_t)(end - f);
	const char *p;

	if (n == 0)
		return bad_at(bad, (size_t)(f - s), e, "%s: empty flavour", "debian");
	for (p = f; p < end; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-')
			return bad_at(bad, (size_t)(p - s), e,
			              "%s: a flavour is lower-case letters, digits and '-' "
			              "(cloud, rt)",
			              "debian");
	if (n + 7 >= sizeof(k->flavour))
		return bad_at(bad, (size_t)(f - s), e, "%s: flavour too long", "debian");
	if ((n == 5 && strncmp(f, "amd64", 5) == 0) ||
	    (n > 6 && strncmp(end - 6, "-amd64", 6) == 0))
		snprintf(k->flavour, sizeof(k->flavour), "%.*s", (int)n, f);
	else
		snprintf(k->flavour, sizeof(k->flavour), "%.*s-amd64", (int)n, f);
	return 0;
}

/* @SUITE: one of the suites searched (debapt_suites()). */
static int debian_suite(const char *s, const char *at, struct kspec *k, size_t *bad, struct err *e)
{
	char suites[1024];
	const char *p;

	if (!at[1])
		return bad_at(bad, (size_t)(at - s), e, "%s: no suite after '@' (e.g. @bookworm)",
		              "debian");
	for (p = at + 1; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-')
			return bad_at(
			    bad, (size_t)(p - s), e,
			    "%s: a suite is lower-case letters, digits and '-' (bookworm, "
			    "trixie-backports)",
			    "debian");
	if (strlen(at + 1) >= sizeof(k->suite))
		return bad_at(bad, (size_t)(at + 1 - s), e, "%s: suite too long", "debian");
	if (debapt_suites(suites, sizeof(suites), e) < 0) {
		*bad = (size_t)(at + 1 - s);
		return -1;
	}
	if (!debapt_has_suite(suites, at + 1)) {
		*bad = (size_t)(at + 1 - s);
		return err_set(e, ERR_INPUT,
		               "debian: %s is not a suite tcpconform searches (%s; "
		               "TCPCONFORM_DEBIAN_SUITES sets them)",
		               at + 1, suites);
	}
	text_copy(k->suite, sizeof(k->suite), at + 1);
	return 0;
}

/* debian:VERSION[:FLAVOUR][@SUITE], debian:list[:FLAVOUR][@SUITE]. */
static int parse_debian(const char *s, size_t at, struct kspec *k, size_t *bad, struct err *e)
{
	const char *v = s + at, *suite = strchr(v, '@');
	const char *end = suite ? suite : v + strlen(v);
	const char *colon = memchr(v, ':', (size_t)(end - v));

	if (debian_version(s, v, (size_t)((colon ? colon : end) - v), k, bad, e) < 0)
		return -1;
	text_copy(k->flavour, sizeof(k->flavour), "amd64");
	if (colon && debian_flavour(s, colon + 1, end, k, bad, e) < 0)
		return -1;
	if (suite && debian_suite(s, suite, k, bad, e) < 0)
		return -1;
	label_from(k, "debian-", v);
	return 0;
}

/* src:PATH[:BUILDDIR]: PATH a kernel tree (its real path keys the build). */
static int parse_src(const char *s, size_t at, struct kspec *k, size_t *bad, struct err *e)
{
	char path[4096], real[PATH_MAX];
	const char *colon = strchr(s + at, ':');
	size_t n = colon ? (size_t)(colon - s - at) : strlen(s + at);
	static const char *const marks[] = {"Makefile", "Kconfig", "arch/x86/Kconfig",
	                                    "scripts/kconfig/merge_config.sh"};

	if (n == 0)
		return bad_at(bad, at, e, "%ssrc: needs a kernel source tree", "");
	memcpy(path, s + at, n);
	path[n] = '\0';
	if (!dirs_is_dir(path) || !realpath(path, real))
		return bad_at(bad, at, e, "no such directory: %s", path);
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		char m[PATH_MAX + 64];

		dirs_pathf(m, sizeof(m), "%s/%s", real, marks[i]);
		if (!dirs_is_file(m))
			return bad_at(bad, at, e, "not an x86 kernel source tree (no %s)",
			              marks[i]);
	}
	k->kind = KSPEC_SRC;
	text_copy(k->path, sizeof(k->path), real);
	if (colon) {
		if (!colon[1])
			return bad_at(bad, at + n + 1, e, "%sempty build directory", "");
		if (!dirs_is_dir(colon + 1))
			return bad_at(bad, at + n + 1, e, "no such build directory: %s", colon + 1);
		if (!realpath(colon + 1, k->moddir))
			return bad_at(bad, at + n + 1, e, "no such build directory: %s", colon + 1);
	}
	{
		const char *base = strrchr(real, '/');

		label_from(k, "src-", base && base[1] ? base + 1 : real);
	}
	return 0;
}

/* FILE.deb[:FILE.deb...]: every one a file. */
static int parse_debs(const char *s, struct kspec *k, size_t *bad, struct err *e)
{
	const char *p = s, *base;
	char first[4096] = "";

	while (*p) {
		size_t n = strcspn(p, ":");
		char file[4096];

		dirs_pathf(file, sizeof(file), "%.*s", (int)n, p);
		if (n < 5 || strcmp(file + n - 4, ".deb") != 0)
			return bad_at(bad, (size_t)(p - s), e, "not a .deb file: '%s'", file);
		if (!dirs_is_file(file))
			return bad_at(bad, (size_t)(p - s), e, "no such package file: %s", file);
		if (!first[0])
			text_copy(first, sizeof(first), file);
		p += n;
		if (*p == ':' && !*++p)
			return bad_at(bad, (size_t)(p - s), e, "%sno package file after ':'", "");
	}
	k->kind = KSPEC_DEB;
	text_copy(k->path, sizeof(k->path), s);
	base = strrchr(first, '/');
	label_from(k, "", base ? base + 1 : first);
	k->label[strlen(k->label) >= 4 ? strlen(k->label) - 4 : 0] = '\0';
	return 0;
}

/* DIR: a directory holding Debian kernel packages (linux-*.deb). */
static int parse_deb_dir(const char *s, struct kspec *k, size_t *bad, struct err *e)
{
	DIR *d = opendir(s);
	struct dirent *de;
	bool any = false;
	char copy[4096], *base;

	if (!d)
		return bad_at(bad, 0, e, "cannot read the directory %s", s);
	while (!any && (de = readdir(d))) {
		size_t n = strlen(de->d_name);

		any = strncmp(de->d_name, "linux-", 6) == 0 && n > 4 &&
		      strcmp(de->d_name + n - 4, ".deb") == 0;
	}
	closedir(d);
	if (!any)
		return bad_at(bad, 0, e,
		              "%s: a directory without Debian kernel packages (linux-*.deb)", s);
	k->kind = KSPEC_DEB;
	text_copy(k->path, sizeof(k->path), s);
	text_copy(copy, sizeof(copy), s);
	while (strlen(copy) > 1 && copy[strlen(copy) - 1] == '/')
		copy[strlen(copy) - 1] = '\0';
	base = strrchr(copy, '/');
	label_from(k, "debs-", base && base[1] ? base + 1 : copy);
	return 0;
}

int kspec_parse(const char *s, struct kspec *k, size_t *bad, struct err *e)
{
	size_t len = strlen(s);
	const char *colon;

	memset(k, 0, sizeof(*k));
	*bad = 0;
	if (len == 0)
		return bad_at(bad, 0, e, "%sempty kernel spec", "");
	if (len >= sizeof(k->path))
		return bad_at(bad, 0, e, "%skernel spec too long", "");
	if (strcmp(s, "host") == 0) {
		k->kind = KSPEC_HOST;
		text_copy(k->label, sizeof(k->label), "host");
		return 0;
	}
	if (strncmp(s, "debian:", 7) == 0)
		return parse_debian(s, 7, k, bad, e);
	if (strncmp(s, "src:", 4) == 0)
		return parse_src(s, 4, k, bad, e);
	if (len > 4 && strcmp(s + len - 4, ".deb") == 0)
		return parse_debs(s, k, bad, e);
	if (dirs_is_dir(s))
		return parse_deb_dir(s, k, bad, e);
	if (dirs_is_file(s)) {
		k->kind = KSPEC_IMAGE;
		text_copy(k->path, sizeof(k->path), s);
	} else if ((colon = strchr(s, ':'))) {
		size_t n = (size_t)(colon - s);
		const char *p;
		bool scheme = n > 0;

		for (p = s; p < colon; p++)
			if (!isalpha((unsigned char)*p))
				scheme = false;
		if (scheme && !dirs_is_file(s)) {
			*bad = 0;
			return err_set(e, ERR_INPUT,
			               "unknown kernel source '%.*s': use host, debian:VERSION, "
			               "src:PATH, a .deb file or a kernel image path",
			               (int)n, s);
		}
		memcpy(k->path, s, n);
		k->path[n] = '\0';
		if (!dirs_is_file(k->path))
			return bad_at(bad, 0, e, "no such kernel image: %s", k->path);
		if (!dirs_is_dir(colon + 1))
			return bad_at(bad, n + 1, e, "no such modules directory: %s", colon + 1);
		text_copy(k->moddir, sizeof(k->moddir), colon + 1);
		k->kind = KSPEC_IMAGE;
	} else {
		return bad_at(bad, 0, e,
		              "'%s' is not host, debian:VERSION, a .deb file or a kernel image", s);
	}
	{
		const char *base = strrchr(k->path, '/');

		label_from(k, "image-", base ? base + 1 : k->path);
	}
	return 0;
}

int kspec_cache_path(const char *name, char *out, size_t len, struct err *e)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int n;

	if (xdg && xdg[0] == '/')
		n = snprintf(out, len, "%s/tcpconform/%s", xdg, name);
	else if (home && home[0] == '/')
		n = snprintf(out, len, "%s/.cache/tcpconform/%s", home, name);
	else
		return err_set(e, ERR_ENV, "no cache directory: set HOME or XDG_CACHE_HOME");
	if (n < 0 || (size_t)n >= len)
		return err_set(e, ERR_INPUT, "cache directory path too long");
	return 0;
}

int kspec_cache_dir(char *out, size_t len, struct err *e)
{
	return kspec_cache_path("kernels", out, len, e);
}

static int run_tool(const char *const argv[], const char *cwd, int timeout_ms, struct err *e)
{
	struct spawn_out o;
	char last[300];
	int r = spawn_run(argv, cwd, timeout_ms, &o, 1, e);

	if (r > 0)
		err_set(e, ERR_ENV, "%s %s failed (exit %d): %s", argv[0], argv[1] ? argv[1] : "",
		        r, spawn_last_line(&o, last, sizeof(last)));
	spawn_out_free(&o);
	return r == 0 ? 0 : -1;
}

/* .partial-PID directories of fetches that died. */
static void clean_partials(const char *cache)
{
	DIR *d = opendir(cache);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		int pid;
		char path[4400];

		if (sscanf(de->d_name, ".partial-%d", &pid) != 1 || pid == getpid())
			continue;
		if (kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		dirs_pathf(path, sizeof(path), "%s/%s", cache, de->d_name);
		dirs_remove(path);
	}
	closedir(d);
}

/* Unpack @set into @dir/root; depmod; record the release. */
static int unpack(const struct debpkg_set *set, const char *dir, struct debpkg_tree *t,
                  struct err *e)
{
	char root[4200], file[4300];
	const char *dep[] = {"depmod", "-b", root, t->release, NULL};
	FILE *fp;

	dirs_pathf(root, sizeof(root), "%s/root", dir);
	if (debpkg_unpack(set, root, e) < 0 || debpkg_find(root, NULL, t, e) < 0)
		return err_wrap(e, "%s", set->pkgs[0].path);
	if (run_tool(dep, NULL, UNPACK_TIMEOUT_MS, e) < 0)
		return -1;
	dirs_pathf(file, sizeof(file), "%s/release", dir);
	fp = fopen(file, "w");
	if (!fp || fprintf(fp, "%s\n", t->release) < 0 || fclose(fp) != 0)
		return err_sys(e, "writing %s", file);
	return 0;
}

/* Fill @kn from an unpacked cache entry; 1 when it is complete. */
static int from_cache(const char *dir, struct kernel *kn)
{
	char file[4300], root[4200];
	struct debpkg_tree t;
	struct err e;
	FILE *fp;

	dirs_pathf(file, sizeof(file), "%s/release", dir);
	fp = fopen(file, "r");
	if (!fp)
		return 0;
	if (!fgets(kn->release, sizeof(kn->release), fp)) {
		fclose(fp);
		return 0;
	}
	fclose(fp);
	kn->release[strcspn(kn->release, "\n")] = '\0';
	dirs_pathf(root, sizeof(root), "%s/root", dir);
	if (debpkg_find(root, kn->release, &t, &e) < 0)
		return 0;
	text_copy(kn->image, sizeof(kn->image), t.image);
	text_copy(kn->moddir, sizeof(kn->moddir), t.moddir);
	text_copy(kn->config, sizeof(kn->config), t.config);
	text_copy(kn->layout, sizeof(kn->layout), t.layout);
	return 1;
}

/* The packages of @set, or (NULL) those of @dk fetched with @apt, unpacked
 * into cache/@key. */
static int fill_locked(const char *cache, const char *key, const char *final,
                       const struct debpkg_set *set, struct debapt *apt,
                       const struct deb_kernel *dk, struct kernel *kn, struct err *e)
{
	char partial[4400], debs[4500];
	struct debpkg_set got;
	struct debpkg_tree t;
	int r = -1;

	clean_partials(cache);
	dirs_pathf(partial, sizeof(partial), "%s/.partial-%d", cache, (int)getpid());
	dirs_remove(partial);
	if (mkdir(partial, 0755) < 0)
		return err_sys(e, "creating %s", partial);
	if (!set) {
		dirs_pathf(debs, sizeof(debs), "%s/debs", partial);
		if (mkdir(debs, 0755) < 0) {
			err_sys(e, "creating %s", debs);
			goto out;
		}
		if (debapt_download(apt, dk, debs, e) < 0 || debpkg_collect(debs, &got, e) < 0)
			goto out;
		if (strcmp(got.pkgs[0].abi, deb_part_abi(dk->parts[0]->name, NULL)) != 0 ||
		    strcmp(got.pkgs[0].version, dk->parts[0]->version) != 0) {
			err_set(e, ERR_ENV, "apt-get download of %s %s gave %s %s",
			        dk->parts[0]->name, dk->parts[0]->version, got.pkgs[0].name,
			        got.pkgs[0].version);
			goto out;
		}
		set = &got;
	}
	fprintf(stderr, "tcpconform: unpacking %s %s (%d package%s) into %s\n", set->pkgs[0].abi,
	        set->pkgs[0].version, set->n, set->n > 1 ? "s" : "", final);
	if (unpack(set, partial, &t, e) < 0)
		goto out;
	if (set == &got)
		dirs_remove(debs);
	dirs_remove(final);
	if (rename(partial, final) < 0) {
		err_sys(e, "renaming %s", partial);
		goto out;
	}
	r = from_cache(final, kn) ? 0 : err_set(e, ERR_INPUT, "%s: unpacked, but no kernel", key);
out:
	dirs_remove(partial);
	return r;
}

static int fill_cache(const char *cache, const char *key, const struct debpkg_set *set,
                      struct debapt *apt, const struct deb_kernel *dk, struct kernel *kn,
                      struct err *e)
{
	char final[4400], lock[4400];
	int fd, r;

	dirs_pathf(final, sizeof(final), "%s/%s", cache, key);
	if (from_cache(final, kn))
		return 0;
	if (dirs_make(cache, e) < 0)
		return -1;
	/* One fetch of a kernel at a time: a tcpconform that fetches the same
	 * one (VMs started together) is waited for, and its result taken. */
	dirs_pathf(lock, sizeof(lock), "%s/.lock-%s", cache, key);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return err_sys(e, "opening %s", lock);
	if (flock(fd, LOCK_EX) < 0)
		r = err_sys(e, "locking %s", lock);
	else
		r = from_cache(final, kn) ? 0 : fill_locked(cache, key, final, set, apt, dk, kn, e);
	close(fd);
	return r;
}

/* Open tcpconform's apt, its lists fresh enough (when they cannot be
 * fetched again, the old ones do, with a warning). */
static int apt_ready(struct debapt *a, struct err *e)
{
	char dir[4096];
	struct err up;

	if (kspec_cache_path("apt", dir, sizeof(dir), e) < 0 ||
	    debapt_open(a, dir, NULL, NULL, e) < 0)
		return -1;
	if (debapt_refresh(a, false, &up) == 0)
		return 0;
	if (a->answered[0]) {
		fprintf(stderr, "tcpconform: %s; using the Debian lists fetched before\n", up.msg);
		return 0;
	}
	debapt_close(a);
	*e = up;
	return -1;
}

/* The kernels of @k in tcpconform's lists; none matching: fetch the lists
 * again once. */
static int debian_kernels(struct debapt *a, const struct kspec *k, const char *version,
                          struct deb_index *ix, struct deb_kernel **ks, size_t *n, struct err *e)
{
	int tries;

	for (tries = 0; tries < 2; tries++) {
		if (debapt_index(a, k->flavour, ix, e) < 0)
			return -1;
		if (deb_index_kernels(ix, version, k->flavour, k->suite[0] ? k->suite : NULL, ks, n,
		                      e) < 0) {
			deb_index_free(ix);
			return -1;
		}
		if (*n || !version || a->updated || tries)
			return 0;
		free(*ks);
		deb_index_free(ix);
		fprintf(stderr,
		        "tcpconform: no linux-image-%s*-%s in the Debian lists: fetching "
		        "them again\n",
		        version, k->flavour);
		if (debapt_refresh(a, true, e) < 0)
			return -1;
	}
	return 0;
}

/* The newest complete kernel of @ks (the archive may have dropped the
 * parts of older split kernels), or NULL with @e set. */
static const struct deb_kernel *newest_complete(const struct kspec *k, const struct debapt *a,
                                                const struct deb_kernel *ks, size_t n,
                                                struct err *e)
{
	size_t i;

	for (i = 0; i < n && ks[i].missing[0]; i++)
		;
	if (i == n && n)
		return err_set(e, ERR_ENV,
		               "no Debian kernel %s*-%s can be fetched whole: the newest, %s %s, "
		               "needs %s, which no suite holds (`tcpconform vm --list-kernels` "
		               "shows the complete ones)",
		               k->version, k->flavour, ks[0].parts[0]->name,
		               ks[0].parts[0]->version, ks[0].missing),
		       NULL;
	if (i == n)
		return err_set(e, ERR_ENV,
		               "no Debian package linux-image-%s*-%s in %s (suites answering: %s); "
		               "`tcpconform vm --list-kernels` lists them",
		               k->version, k->flavour, k->suite[0] ? k->suite : "any suite",
		               a->answered[0] ? a->answered : "none"),
		       NULL;
	if (i > 0)
		fprintf(stderr, "tcpconform: %s %s needs %s, which no suite holds: taking %s %s\n",
		        ks[0].parts[0]->name, ks[0].parts[0]->version, ks[0].missing,
		        ks[i].parts[0]->name, ks[i].parts[0]->version);
	return &ks[i];
}

static int fetch_debian(const struct kspec *k, const char *cache, struct kernel *kn, struct err *e)
{
	struct debapt a;
	struct deb_index ix;
	struct deb_kernel *ks = NULL;
	const struct deb_kernel *dk;
	size_t n;
	int r = -1;

	if (apt_ready(&a, e) < 0)
		return -1;
	if (debian_kernels(&a, k, k->version, &ix, &ks, &n, e) < 0) {
		debapt_close(&a);
		return -1;
	}
	if ((dk = newest_complete(k, &a, ks, n, e))) {
		const struct deb_pkg *img = dk->parts[0];
		char key[400];

		dirs_pathf(key, sizeof(key), "%s_%s", img->name, img->version);
		dirs_pathf(kn->origin, sizeof(kn->origin), "%s %s", img->name, img->version);
		r = fill_cache(cache, key, NULL, &a, dk, kn, e);
		text_copy(kn->suite, sizeof(kn->suite), img->suites);
	}
	free(ks);
	deb_index_free(&ix);
	debapt_close(&a);
	return r;
}

/* "  incomplete: no linux-base, linux-modules in any suite" */
static void list_missing(FILE *out, const struct deb_kernel *k)
{
	const struct deb_pkg *img = k->parts[0];
	int i, j, n = 0;

	for (i = 0; i < img->ndeps; i++) {
		const char *kind = "part";

		for (j = 1; j < k->nparts; j++)
			if (strcmp(k->parts[j]->name, img->deps[i].name) == 0)
				break;
		if (j < k->nparts)
			continue;
		deb_part_abi(img->deps[i].name, &kind);
		fprintf(out, "%slinux-%s", n++ ? ", " : "  incomplete: no ", kind);
	}
	if (n)
		fprintf(out, " in any suite");
}

int kspec_list(const struct kspec *k, FILE *out, struct err *e)
{
	struct debapt a;
	struct deb_index ix;
	struct deb_kernel *ks = NULL;
	size_t n, i;

	if (apt_ready(&a, e) < 0)
		return -1;
	if (debian_kernels(&a, k, NULL, &ix, &ks, &n, e) < 0) {
		debapt_close(&a);
		return -1;
	}
	{
		time_t at = (time_t)a.lists_at;
		char when[64] = "?";
		struct tm tm;

		if (at && gmtime_r(&at, &tm))
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
		fprintf(out, "# Debian's %s kernels in %s (lists of %s from %s and %s)\n",
		        k->flavour, k->suite[0] ? k->suite : a.answered, when, a.mirror,
		        a.security);
	}
	fprintf(out, "%-22s %-34s %-10s %s\n", "VERSION", "SUITES", "LAYOUT", "PACKAGE");
	for (i = 0; i < n; i++) {
		const struct deb_pkg *img = ks[i].parts[0];
		char suites[DEB_SUITES_MAX], *p;

		text_copy(suites, sizeof(suites), img->suites);
		for (p = suites; *p; p++)
			if (*p == ' ')
				*p = ',';
		fprintf(out, "%-22s %-34s %-10s %s", img->version, suites,
		        deb_kernel_layout(&ks[i]), img->name);
		list_missing(out, &ks[i]);
		fputc('\n', out);
	}
	if (!n)
		fprintf(out, "(none)\n");
	free(ks);
	deb_index_free(&ix);
	debapt_close(&a);
	return 0;
}

static int image_moddir(const struct kspec *k, struct kernel *kn, struct err *e)
{
	char dep[4400], base[4096];
	const char *slash;

	text_copy(kn->image, sizeof(kn->image), k->path);
	text_copy(kn->origin, sizeof(kn->origin), k->path);
	{
		/* A build directory's image: its .config is the kernel's. */
		static const char tail[] = "arch/x86/boot/bzImage";
		size_t n = strlen(k->path), t = sizeof(tail) - 1;

		if (n >= t && strcmp(k->path + n - t, tail) == 0) {
			dirs_pathf(kn->config, sizeof(kn->config), "%.*s.config", (int)(n - t),
			           k->path);
			if (!dirs_is_file(kn->config))
				kn->config[0] = '\0';
		}
	}
	if (!k->moddir[0])
		return 0;
	text_copy(kn->moddir, sizeof(kn->moddir), k->moddir);
	while (strlen(kn->moddir) > 1 && kn->moddir[strlen(kn->moddir) - 1] == '/')
		kn->moddir[strlen(kn->moddir) - 1] = '\0';
	/* A tree that holds lib/modules/RELEASE: take the one release in it. */
	dirs_pathf(dep, sizeof(dep), "%s/lib/modules", kn->moddir);
	if (dirs_is_dir(dep)) {
		DIR *d = opendir(dep);
		struct dirent *de;
		char found[256] = "";

		while (d && (de = readdir(d)))
			if (de->d_name[0] != '.')
				text_copy(found, sizeof(found), de->d_name);
		if (d)
			closedir(d);
		if (!found[0])
			return err_set(e, ERR_INPUT, "%s is empty", dep);
		dirs_pathf(base, sizeof(base), "%s/%s", dep, found);
		text_copy(kn->moddir, sizeof(kn->moddir), base);
	}
	slash = strrchr(kn->moddir, '/');
	text_copy(kn->release, sizeof(kn->release), slash ? slash + 1 : kn->moddir);
	dirs_pathf(dep, sizeof(dep), "%s/modules.dep", kn->moddir);
	if (!dirs_is_file(dep)) {
		size_t blen = slash ? (size_t)(slash - kn->moddir) : 0;
		const char *argv[] = {"depmod", "-b", base, kn->release, NULL};

		/* depmod -b BASE wants BASE/lib/modules/RELEASE. */
		if (blen < 12 || strncmp(kn->moddir + blen - 12, "/lib/modules", 12) != 0)
			return err_set(e, ERR_INPUT,
			               "%s has no modules.dep and is not .../lib/modules/RELEASE "
			               "(run depmod on it)",
			               kn->moddir);
		memcpy(base, kn->moddir, blen - 12);
		base[blen - 12] = '\0';
		if (run_tool(argv, NULL, UNPACK_TIMEOUT_MS, e) < 0)
			return -1;
	}
	return 0;
}

/* Is package @i the split layout's linux-image (beside a linux-binary)? */
static bool split_meta(const struct debpkg_set *set, int i)
{
	int j;

	if (strcmp(set->pkgs[i].kind, "image") != 0)
		return false;
	for (j = 0; j < set->n; j++)
		if (strcmp(set->pkgs[j].kind, "binary") == 0)
			return true;
	return false;
}

int kspec_fetch(const struct kspec *k, struct kernel *kn, struct err *e)
{
	char cache[4096];

	memset(kn, 0, sizeof(*kn));
	switch (k->kind) {
	case KSPEC_HOST:
		return err_set(e, ERR_INPUT, "the host kernel is not fetched");
	case KSPEC_IMAGE:
		return image_moddir(k, kn, e);
	case KSPEC_SRC:
		return err_set(e, ERR_INPUT, "a source tree is built, not fetched (ksrc_build)");
	case KSPEC_DEBIAN_LIST:
		return err_set(e, ERR_INPUT, "debian:list lists kernels, it is not one");
	case KSPEC_DEBIAN:
		if (kspec_cache_dir(cache, sizeof(cache), e) < 0)
			return -1;
		return fetch_debian(k, cache, kn, e);
	case KSPEC_DEB: {
		struct debpkg_set set;
		char key[600];
		long long bytes = 0;
		struct stat st;
		int i;

		if (kspec_cache_dir(cache, sizeof(cache), e) < 0 ||
		    debpkg_collect(k->path, &set, e) < 0)
			return -1;
		/* The kernel's packages, and their size: a rebuilt one is another
		 * (the split layout's linux-image metapackage holds nothing). */
		for (i = 0; i < set.n; i++)
			if (!split_meta(&set, i) && stat(set.pkgs[i].path, &st) == 0)
				bytes += st.st_size;
		dirs_pathf(key, sizeof(key), "deb-%s_%s-%lld", set.pkgs[0].abi, set.pkgs[0].version,
		           bytes);
		text_copy(kn->origin, sizeof(kn->origin), k->path);
		return fill_cache(cache, key, &set, NULL, NULL, kn, e);
	}
	}
	return -1;
}
