// SPDX-License-Identifier: GPL-2.0-only
/* kspec.c - kernel specs: parsing, Debian package lookup, fetch and unpack. */
#include "vm/kspec.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/dirs.h"
#include "base/progress.h"
#include "base/spawn.h"
#include "base/text.h"

#define APT_TIMEOUT_MS    (600 * 1000)
#define UNPACK_TIMEOUT_MS (300 * 1000)

/* snprintf for paths: a path that does not fit is cut (and then not found);
 * vsnprintf keeps gcc's truncation analysis for real bugs elsewhere. */
static void pathf(char *out, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void pathf(char *out, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, len, fmt, ap);
	va_end(ap);
}

static int bad_at(size_t *bad, size_t off, struct err *e, const char *fmt, const char *arg)
{
	*bad = off;
	return err_set(e, ERR_INPUT, fmt, arg);
}

static bool is_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void label_from(struct kspec *k, const char *prefix, const char *name)
{
	char *s;

	snprintf(k->label, sizeof(k->label), "%s%.100s", prefix, name);
	for (s = k->label; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '-' && *s != '_')
			*s = '_';
}

static int parse_debian(const char *s, size_t at, struct kspec *k, size_t *bad, struct err *e)
{
	const char *v = s + at, *colon = strchr(v, ':'), *p;
	size_t vlen = colon ? (size_t)(colon - v) : strlen(v);
	bool dash = false;

	if (vlen == 0)
		return bad_at(bad, at, e, "%s: no version after 'debian:' (e.g. debian:6.1)",
		              "debian");
	if (vlen >= sizeof(k->version))
		return bad_at(bad, at, e, "%s: version too long", "debian");
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
			              "optional ABI (6.1, 6.12, 6.1.0-56)",
			              "debian");
	}
	k->kind = KSPEC_DEBIAN;
	memcpy(k->version, v, vlen);
	k->version[vlen] = '\0';
	text_copy(k->flavour, sizeof(k->flavour), "amd64");
	if (colon) {
		const char *f = colon + 1;

		if (!*f)
			return bad_at(bad, (size_t)(f - s), e, "%s: empty flavour", "debian");
		for (p = f; *p; p++)
			if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-')
				return bad_at(bad, (size_t)(p - s), e,
				              "%s: a flavour is lower-case letters, digits and '-' "
				              "(cloud, rt)",
				              "debian");
		if (strlen(f) + 7 >= sizeof(k->flavour))
			return bad_at(bad, (size_t)(f - s), e, "%s: flavour too long", "debian");
		if (strcmp(f, "amd64") == 0 ||
		    (strlen(f) > 6 && strcmp(f + strlen(f) - 6, "-amd64") == 0))
			text_copy(k->flavour, sizeof(k->flavour), f);
		else
			snprintf(k->flavour, sizeof(k->flavour), "%s-amd64", f);
	}
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
	if (!is_dir(path) || !realpath(path, real))
		return bad_at(bad, at, e, "no such directory: %s", path);
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		char m[PATH_MAX + 64];

		pathf(m, sizeof(m), "%s/%s", real, marks[i]);
		if (!is_file(m))
			return bad_at(bad, at, e, "not an x86 kernel source tree (no %s)",
			              marks[i]);
	}
	k->kind = KSPEC_SRC;
	text_copy(k->path, sizeof(k->path), real);
	if (colon) {
		if (!colon[1])
			return bad_at(bad, at + n + 1, e, "%sempty build directory", "");
		if (!is_dir(colon + 1))
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
	if (len > 4 && strcmp(s + len - 4, ".deb") == 0) {
		const char *base = strrchr(s, '/');

		if (!is_file(s))
			return bad_at(bad, 0, e, "no such package file: %s", s);
		k->kind = KSPEC_DEB;
		text_copy(k->path, sizeof(k->path), s);
		base = base ? base + 1 : s;
		label_from(k, "", base);
		k->label[strlen(k->label) >= 4 ? strlen(k->label) - 4 : 0] = '\0';
		return 0;
	}
	if (is_file(s)) {
		k->kind = KSPEC_IMAGE;
		text_copy(k->path, sizeof(k->path), s);
	} else if ((colon = strchr(s, ':'))) {
		size_t n = (size_t)(colon - s);
		const char *p;
		bool scheme = n > 0;

		for (p = s; p < colon; p++)
			if (!isalpha((unsigned char)*p))
				scheme = false;
		if (scheme && !is_file(s)) {
			*bad = 0;
			return err_set(e, ERR_INPUT,
			               "unknown kernel source '%.*s': use host, debian:VERSION, "
			               "src:PATH, a .deb file or a kernel image path",
			               (int)n, s);
		}
		memcpy(k->path, s, n);
		k->path[n] = '\0';
		if (!is_file(k->path))
			return bad_at(bad, 0, e, "no such kernel image: %s", k->path);
		if (!is_dir(colon + 1))
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

int kspec_debian_match(const char *pkg, const char *version, const char *flavour)
{
	static const char pre[] = "linux-image-";
	size_t plen = strlen(pkg), vlen = strlen(version), flen = strlen(flavour);
	const char *mid, *p;
	size_t mlen;

	if (strncmp(pkg, pre, sizeof(pre) - 1) != 0)
		return 0;
	mid = pkg + sizeof(pre) - 1;
	if (plen < sizeof(pre) - 1 + vlen + 1 + flen)
		return 0;
	if (strcmp(pkg + plen - flen, flavour) != 0 || pkg[plen - flen - 1] != '-')
		return 0;
	mlen = (size_t)(pkg + plen - flen - 1 - mid);
	if (mlen < vlen || strncmp(mid, version, vlen) != 0)
		return 0;
	if (mlen > vlen && mid[vlen] != '.' && mid[vlen] != '-' && mid[vlen] != '+')
		return 0;
	/* No other flavour inside: "-cloud", "-rt" are '-' then a letter. */
	for (p = mid; p < mid + mlen; p++)
		if (*p == '-' && p + 1 < mid + mlen && isalpha((unsigned char)p[1]))
			return 0;
	return 1;
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

static void remove_tree(const char *path)
{
	const char *argv[] = {"rm", "-rf", "--one-file-system", path, NULL};
	struct err e;

	spawn_run(argv, NULL, 120 * 1000, NULL, 0, &e);
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
		pathf(path, sizeof(path), "%s/%s", cache, de->d_name);
		remove_tree(path);
	}
	closedir(d);
}

/* Find boot/vmlinuz-RELEASE in an unpacked package. */
static int find_vmlinuz(const char *root, char *release, size_t len, struct err *e)
{
	char boot[4200];
	DIR *d;
	struct dirent *de;

	pathf(boot, sizeof(boot), "%s/boot", root);
	d = opendir(boot);
	if (!d)
		return err_set(e, ERR_INPUT,
		               "the package has no /boot: not a kernel image package");
	release[0] = '\0';
	while ((de = readdir(d)))
		if (strncmp(de->d_name, "vmlinuz-", 8) == 0)
			text_copy(release, len, de->d_name + 8);
	closedir(d);
	if (!release[0])
		return err_set(e, ERR_INPUT, "the package has no /boot/vmlinuz-*");
	return 0;
}

/* dpkg-deb -x DEB DIR/root; depmod; record the release. */
static int unpack(const char *deb, const char *dir, struct err *e)
{
	char root[4200], mods[4400], usrmods[4400], lib[4300], rel[128], file[4300];
	const char *x[] = {"dpkg-deb", "-x", deb, root, NULL};
	const char *dep[] = {"depmod", "-b", root, rel, NULL};
	FILE *fp;

	pathf(root, sizeof(root), "%s/root", dir);
	if (run_tool(x, NULL, UNPACK_TIMEOUT_MS, e) < 0)
		return -1;
	if (find_vmlinuz(root, rel, sizeof(rel), e) < 0)
		return err_wrap(e, "%s", deb);
	pathf(mods, sizeof(mods), "%s/lib/modules/%s", root, rel);
	pathf(usrmods, sizeof(usrmods), "%s/usr/lib/modules/%s", root, rel);
	pathf(lib, sizeof(lib), "%s/lib", root);
	/* A merged-/usr package keeps its modules in usr/lib/modules. */
	if (!is_dir(mods) && is_dir(usrmods) && !is_dir(lib) && symlink("usr/lib", lib) < 0)
		return err_sys(e, "linking %s", lib);
	if (!is_dir(mods))
		return err_set(e, ERR_INPUT, "%s: no lib/modules/%s in the package", deb, rel);
	if (run_tool(dep, NULL, UNPACK_TIMEOUT_MS, e) < 0)
		return -1;
	pathf(file, sizeof(file), "%s/release", dir);
	fp = fopen(file, "w");
	if (!fp || fprintf(fp, "%s\n", rel) < 0 || fclose(fp) != 0)
		return err_sys(e, "writing %s", file);
	return 0;
}

/* Fill @kn from an unpacked cache entry; 1 when it is complete. */
static int from_cache(const char *dir, struct kernel *kn)
{
	char file[4300];
	FILE *fp;

	pathf(file, sizeof(file), "%s/release", dir);
	fp = fopen(file, "r");
	if (!fp)
		return 0;
	if (!fgets(kn->release, sizeof(kn->release), fp)) {
		fclose(fp);
		return 0;
	}
	fclose(fp);
	kn->release[strcspn(kn->release, "\n")] = '\0';
	pathf(kn->image, sizeof(kn->image), "%s/root/boot/vmlinuz-%s", dir, kn->release);
	pathf(kn->moddir, sizeof(kn->moddir), "%s/root/lib/modules/%s", dir, kn->release);
	pathf(kn->config, sizeof(kn->config), "%s/root/boot/config-%s", dir, kn->release);
	if (!is_file(kn->config))
		kn->config[0] = '\0';
	return is_file(kn->image);
}

/* A download's progress: the size of the .deb apt-get writes in @dir. */
struct fetch_watch {
	const char *dir;
	struct progress p;
};

static long long deb_bytes(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	long long n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char path[4400];
		struct stat st;

		if (!strstr(de->d_name, ".deb"))
			continue;
		pathf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) == 0 && st.st_size > n)
			n = st.st_size;
	}
	closedir(d);
	return n;
}

static void fetch_tick(void *arg)
{
	struct fetch_watch *w = arg;

	progress_update(&w->p, deb_bytes(w->dir));
}

/* apt-get download PKG=VERSION into @dir, its progress on stderr (@size:
 * the package's size from the apt lists, 0 when unknown). */
static int download(const char *pkg, long long size, const char *dir, struct err *e)
{
	const char *dl[] = {"apt-get", "download", "-q", pkg, NULL};
	struct fetch_watch w = {.dir = dir};
	struct spawn_out o;
	char last[300], label[300];
	int r;

	fprintf(stderr, "tcpconform: fetching %s (apt-get download, %.1f MB)\n", pkg,
	        (double)size / 1e6);
	pathf(label, sizeof(label), "%.*s", (int)strcspn(pkg, "="), pkg);
	progress_start(&w.p, stderr, label, size);
	r = spawn_run_tick(dl, dir, APT_TIMEOUT_MS, &o, 1, 100, fetch_tick, &w, e);
	progress_end(&w.p, deb_bytes(dir), r == 0);
	if (r > 0)
		err_set(e, ERR_ENV, "apt-get download failed (exit %d): %s", r,
		        spawn_last_line(&o, last, sizeof(last)));
	spawn_out_free(&o);
	return r == 0 ? 0 : -1;
}

/* Unpack @deb (fetching PKG=VERSION, @size bytes, first when @deb is NULL)
 * into cache/@key. */
static int fill_cache(const char *cache, const char *key, const char *deb, const char *pkg,
                      long long size, struct kernel *kn, struct err *e)
{
	char final[4400], partial[4400], debpath[4800];
	int r = -1;

	pathf(final, sizeof(final), "%s/%s", cache, key);
	if (from_cache(final, kn))
		return 0;
	if (dirs_make(cache, e) < 0)
		return -1;
	clean_partials(cache);
	pathf(partial, sizeof(partial), "%s/.partial-%d", cache, (int)getpid());
	remove_tree(partial);
	if (mkdir(partial, 0755) < 0)
		return err_sys(e, "creating %s", partial);
	if (!deb) {
		DIR *d;
		struct dirent *de;

		if (download(pkg, size, partial, e) < 0)
			goto out;
		debpath[0] = '\0';
		if ((d = opendir(partial))) {
			while ((de = readdir(d)))
				if (strstr(de->d_name, ".deb"))
					pathf(debpath, sizeof(debpath), "%s/%s", partial,
					      de->d_name);
			closedir(d);
		}
		if (!debpath[0]) {
			err_set(e, ERR_ENV, "apt-get download %s left no .deb file", pkg);
			goto out;
		}
		deb = debpath;
	}
	fprintf(stderr, "tcpconform: unpacking %s into %s\n", deb, final);
	if (unpack(deb, partial, e) < 0)
		goto out;
	if (deb == debpath)
		unlink(debpath);
	remove_tree(final);
	if (rename(partial, final) < 0) {
		err_sys(e, "renaming %s", partial);
		goto out;
	}
	r = from_cache(final, kn) ? 0 : err_set(e, ERR_INPUT, "%s: unpacked, but no kernel", key);
out:
	remove_tree(partial);
	return r;
}

static int cmp_desc(const void *a, const void *b)
{
	return -strverscmp(*(char *const *)a, *(char *const *)b);
}

/* Names of matching packages in the apt lists, newest first. */
static int debian_candidates(const struct kspec *k, char ***names, size_t *n, struct err *e)
{
	char prefix[128];
	const char *argv[] = {"apt-cache", "pkgnames", prefix, NULL};
	struct spawn_out o;
	char *line, *save = NULL;
	int r;

	*names = NULL;
	*n = 0;
	pathf(prefix, sizeof(prefix), "linux-image-%s", k->version);
	r = spawn_run(argv, NULL, APT_TIMEOUT_MS, &o, 0, e);
	if (r < 0)
		return -1;
	for (line = strtok_r(o.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char **nn;

		if (!kspec_debian_match(line, k->version, k->flavour))
			continue;
		nn = realloc(*names, (*n + 1) * sizeof(*nn));
		if (!nn)
			break;
		*names = nn;
		if (!((*names)[*n] = strdup(line)))
			break;
		(*n)++;
	}
	spawn_out_free(&o);
	if (*n)
		qsort(*names, *n, sizeof(**names), cmp_desc);
	return 0;
}

static void free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* The candidate version apt would download and its size (0 when the
 * lists do not say), or -1. */
static int debian_version(const char *pkg, char *out, size_t len, long long *size, struct err *e)
{
	const char *argv[] = {"apt-cache", "show", "--no-all-versions", pkg, NULL};
	struct spawn_out o;
	char *v;
	int r = spawn_run(argv, NULL, APT_TIMEOUT_MS, &o, 0, e);

	if (r != 0 || !(v = strstr(o.data, "\nVersion: "))) {
		spawn_out_free(&o);
		return -1;
	}
	{
		const char *sz = strstr(o.data, "\nSize: ");

		*size = sz ? strtoll(sz + 7, NULL, 10) : 0;
	}
	v += 10;
	v[strcspn(v, "\n")] = '\0';
	text_copy(out, len, v);
	spawn_out_free(&o);
	return 0;
}

static int fetch_debian(const struct kspec *k, const char *cache, struct kernel *kn, struct err *e)
{
	char **names;
	size_t n, i;
	int tries;

	for (tries = 0; tries < 2; tries++) {
		if (debian_candidates(k, &names, &n, e) < 0)
			return -1;
		for (i = 0; i < n; i++) {
			char ver[128], key[400], spec[400];
			long long size;
			int r;

			if (debian_version(names[i], ver, sizeof(ver), &size, e) < 0)
				continue;
			pathf(key, sizeof(key), "%s_%s", names[i], ver);
			pathf(spec, sizeof(spec), "%s=%s", names[i], ver);
			pathf(kn->origin, sizeof(kn->origin), "%s %s", names[i], ver);
			r = fill_cache(cache, key, NULL, spec, size, kn, e);
			free_names(names, n);
			return r;
		}
		free_names(names, n);
		if (tries == 0) {
			const char *up[] = {"apt-get", "update", "-q", NULL};

			fprintf(stderr,
			        "tcpconform: no linux-image-%s*-%s in the apt lists: "
			        "apt-get update\n",
			        k->version, k->flavour);
			if (run_tool(up, NULL, APT_TIMEOUT_MS, e) < 0)
				return err_wrap(e, "looking for linux-image-%s*-%s", k->version,
				                k->flavour);
		}
	}
	return err_set(e, ERR_ENV, "no Debian package linux-image-%s*-%s in the apt lists",
	               k->version, k->flavour);
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
			pathf(kn->config, sizeof(kn->config), "%.*s.config", (int)(n - t), k->path);
			if (!is_file(kn->config))
				kn->config[0] = '\0';
		}
	}
	if (!k->moddir[0])
		return 0;
	text_copy(kn->moddir, sizeof(kn->moddir), k->moddir);
	while (strlen(kn->moddir) > 1 && kn->moddir[strlen(kn->moddir) - 1] == '/')
		kn->moddir[strlen(kn->moddir) - 1] = '\0';
	/* A tree that holds lib/modules/RELEASE: take the one release in it. */
	pathf(dep, sizeof(dep), "%s/lib/modules", kn->moddir);
	if (is_dir(dep)) {
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
		pathf(base, sizeof(base), "%s/%s", dep, found);
		text_copy(kn->moddir, sizeof(kn->moddir), base);
	}
	slash = strrchr(kn->moddir, '/');
	text_copy(kn->release, sizeof(kn->release), slash ? slash + 1 : kn->moddir);
	pathf(dep, sizeof(dep), "%s/modules.dep", kn->moddir);
	if (!is_file(dep)) {
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
	case KSPEC_DEBIAN:
		if (kspec_cache_dir(cache, sizeof(cache), e) < 0)
			return -1;
		return fetch_debian(k, cache, kn, e);
	case KSPEC_DEB: {
		char key[600];
		struct stat st;

		if (kspec_cache_dir(cache, sizeof(cache), e) < 0)
			return -1;
		if (stat(k->path, &st) < 0)
			return err_sys(e, "%s", k->path);
		pathf(key, sizeof(key), "%s-%lld", k->label, (long long)st.st_size);
		text_copy(kn->origin, sizeof(kn->origin), k->path);
		return fill_cache(cache, key, k->path, NULL, 0, kn, e);
	}
	}
	return -1;
}
