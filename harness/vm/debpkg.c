// SPDX-License-Identifier: GPL-2.0-only
/* debpkg.c - a kernel from Debian package files: read, checked, unpacked,
 * found. */
#include "vm/debpkg.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/afile.h"
#include "base/dirs.h"
#include "base/spawn.h"
#include "base/text.h"

#define DPKG_TIMEOUT_MS   (300 * 1000)
#define DEB_FILE_MAX      (2LL << 30) /* bytes of one .deb */
#define DEB_INSTALLED_MAX (4LL << 20) /* KiB unpacked, per package */
#define MD5SUMS_MAX       (16u << 20)

/* A regular file, not reached through a link at its last component. */
static bool is_plain_file(const char *p)
{
	struct stat st;

	return lstat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && strcmp(s + n - t, tail) == 0;
}

/* dpkg-deb runs a path that starts with '-' as an option. */
static void arg_path(const char *path, char *out, size_t len)
{
	dirs_pathf(out, len, "%s%s", path[0] == '-' ? "./" : "", path);
}

/* ---- reading one package ---- */

static char *ctl_field(char *line, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(line, name, n) != 0 || line[n] != ':')
		return NULL;
	line += n + 1;
	while (*line == ' ')
		line++;
	return line;
}

/* The fields dpkg-deb -f printed, into @p (its Depends into a scratch
 * deb_pkg for deb_depends()). */
static void read_fields(char *text, struct debpkg *p, char *arch, size_t alen)
{
	struct deb_pkg dp;
	char *line, *save = NULL, *v, *depends = NULL;

	memset(&dp, 0, sizeof(dp));
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if ((v = ctl_field(line, "Package")))
			text_copy(p->name, sizeof(p->name), v);
		else if ((v = ctl_field(line, "Version")))
			text_copy(p->version, sizeof(p->version), v);
		else if ((v = ctl_field(line, "Architecture")))
			text_copy(arch, alen, v);
		else if ((v = ctl_field(line, "Installed-Size")))
			p->installed_kb = strtoll(v, NULL, 10);
		else if ((v = ctl_field(line, "Depends")))
			depends = v;
	}
	if (depends && deb_name_ok(p->name) && deb_version_ok(p->version)) {
		text_copy(dp.name, sizeof(dp.name), p->name);
		text_copy(dp.version, sizeof(dp.version), p->version);
		deb_depends(&dp, depends);
		memcpy(p->deps, dp.deps, sizeof(p->deps));
		p->ndeps = dp.ndeps;
	}
}

int debpkg_read(const char *path, struct debpkg *p, struct err *e)
{
	char arg[4200], arch[64] = "";
	const char *argv[] = {"dpkg-deb", "-f",           arg,       "Package",
	                      "Version",  "Architecture", "Depends", "Installed-Size",
	                      NULL};
	struct spawn_out o;
	struct stat st;
	const char *abi;
	int r;

	memset(p, 0, sizeof(*p));
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return err_set(e, ERR_INPUT, "no such package file: %s", path);
	if (st.st_size > DEB_FILE_MAX)
		return err_set(e, ERR_INPUT, "%s: %lld bytes, more than a kernel package", path,
		               (long long)st.st_size);
	text_copy(p->path, sizeof(p->path), path);
	arg_path(path, arg, sizeof(arg));
	r = spawn_run(argv, NULL, DPKG_TIMEOUT_MS, &o, 0, e);
	if (r != 0 || o.len > 65536) {
		spawn_out_free(&o);
		return r < 0
		           ? -1
		           : err_set(e, ERR_INPUT, "%s: not a Debian package (dpkg-deb -f)", path);
	}
	read_fields(o.data, p, arch, sizeof(arch));
	spawn_out_free(&o);
	if (!deb_name_ok(p->name) || !deb_version_ok(p->version))
		return err_set(e, ERR_INPUT, "%s: no valid Package and Version in its control file",
		               path);
	abi = deb_part_abi(p->name, &p->kind);
	if (!abi || ends_with(p->name, "-dbg"))
		return err_set(e, ERR_INPUT,
		               "%s: %s is not a kernel package (linux-image-*, or linux-binary-*, "
		               "linux-modules-* and linux-base-*)",
		               path, p->name);
	if (strcmp(arch, "amd64") != 0)
		return err_set(e, ERR_INPUT,
		               "%s: a package for %s, not amd64: tcpconform boots x86-64 "
		               "kernels",
		               path, arch[0] ? arch : "no architecture");
	text_copy(p->abi, sizeof(p->abi), abi);
	return 0;
}

/* ---- a kernel's packages ---- */

static bool same_kernel(const struct debpkg *a, const struct debpkg *b)
{
	return strcmp(a->abi, b->abi) == 0 && strcmp(a->version, b->version) == 0;
}

static bool has(const struct debpkg_set *s, const char *name, const char *version)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->pkgs[i].name, name) == 0 && strcmp(s->pkgs[i].version, version) == 0)
			return true;
	return false;
}

static int add(struct debpkg_set *s, const struct debpkg *p, struct err *e)
{
	if (has(s, p->name, p->version))
		return 0;
	if (s->n > 0 && !same_kernel(&s->pkgs[0], p))
		return err_set(e, ERR_INPUT,
		               "%s is %s %s, %s is %s %s: give the packages of one kernel",
		               s->pkgs[0].path, s->pkgs[0].name, s->pkgs[0].version, p->path,
		               p->name, p->version);
	if (s->n == DEB_PARTS_MAX)
		return err_set(e, ERR_INPUT, "more than %d packages for one kernel (%s)",
		               DEB_PARTS_MAX, p->path);
	s->pkgs[s->n++] = *p;
	return 0;
}

/* What the set needs: the parts its packages name, and without an image
 * package, the split layout's three. */
static int needed(const struct debpkg_set *s, struct deb_dep *need, int max)
{
	static const char *const split[] = {"binary", "modules", "base"};
	bool image = false;
	int i, j, n = 0;

	for (i = 0; i < s->n; i++) {
		image = image || strcmp(s->pkgs[i].kind, "image") == 0;
		for (j = 0; j < s->pkgs[i].ndeps && n < max; j++)
			need[n++] = s->pkgs[i].deps[j];
	}
	for (i = 0; !image && s->n && i < 3 && n < max; i++) {
		dirs_pathf(need[n].name, sizeof(need[n].name), "linux-%s-%s", split[i],
		           s->pkgs[0].abi);
		text_copy(need[n].version, sizeof(need[n].version), s->pkgs[0].version);
		n++;
	}
	return n;
}

/* Look for NAME_*.deb of version @d->version in @dir. */
static void look_beside(struct debpkg_set *s, const char *dir, const struct deb_dep *d)
{
	DIR *dh = opendir(dir);
	struct dirent *de;
	size_t n = strlen(d->name);

	if (!dh)
		return;
	while ((de = readdir(dh))) {
		char path[4400];
		struct debpkg p;
		struct err e;

		if (strncmp(de->d_name, d->name, n) != 0 || de->d_name[n] != '_' ||
		    !ends_with(de->d_name, ".deb"))
			continue;
		dirs_pathf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (debpkg_read(path, &p, &e) == 0 && strcmp(p.name, d->name) == 0 &&
		    strcmp(p.version, d->version) == 0 && add(s, &p, &e) == 0)
			break;
	}
	closedir(dh);
}

/* Every part the set needs, from @dir when not given; else ERR_INPUT. */
static int complete(struct debpkg_set *s, const char *dir, const char *spec, struct err *e)
{
	struct deb_dep need[DEB_PARTS_MAX * DEB_DEPS_MAX];
	char missing[600] = "", fetch[600] = "";
	int n = needed(s, need, (int)(sizeof(need) / sizeof(need[0]))), i;
	size_t m = 0, f = 0;

	for (i = 0; i < n; i++)
		if (!has(s, need[i].name, need[i].version))
			look_beside(s, dir, &need[i]);
	for (i = 0; i < n; i++) {
		if (has(s, need[i].name, need[i].version) || strstr(missing, need[i].name))
			continue;
		m += (size_t)snprintf(missing + m, m < sizeof(missing) ? sizeof(missing) - m : 0,
		                      "%s%s (= %s)", m ? ", " : "", need[i].name, need[i].version);
		f += (size_t)snprintf(fetch + f, f < sizeof(fetch) ? sizeof(fetch) - f : 0,
		                      " %s=%s", need[i].name, need[i].version);
		if (m >= sizeof(missing) || f >= sizeof(fetch))
			break;
	}
	if (!missing[0])
		return 0;
	return err_set(e, ERR_INPUT,
	               "%s: the kernel also needs %s: put the files in %s (apt-get download%s) "
	               "or name them (A.deb:B.deb), or take the kernel with debian:%.*s",
	               spec, missing, dir, fetch, (int)strcspn(s->pkgs[0].version, "-~+"),
	               s->pkgs[0].version);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The kernel packages in @dir (sorted names, at most DEBPKG_DIR_MAX). */
static int dir_debs(const char *dir, char ***names, size_t *n, struct err *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int r = 0;

	*names = NULL;
	*n = 0;
	if (!d)
		return err_sys(e, "reading %s", dir);
	while ((de = readdir(d))) {
		char **nn;

		if (strncmp(de->d_name, "linux-", 6) != 0 || !ends_with(de->d_name, ".deb"))
			continue;
		if (*n == DEBPKG_DIR_MAX) {
			r = err_set(e, ERR_INPUT,
			            "%s: more than %d linux-*.deb files: keep one kernel's", dir,
			            DEBPKG_DIR_MAX);
			break;
		}
		if (!(nn = realloc(*names, (*n + 1) * sizeof(*nn))) ||
		    !(nn[*n] = strdup(de->d_name))) {
			if (nn)
				*names = nn;
			r = err_sys(e, "reading %s", dir);
			break;
		}
		*names = nn;
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof(**names), cmp_str);
	return r;
}

static int collect_dir(const char *dir, struct debpkg_set *s, struct err *e)
{
	char **names, kernels[600] = "";
	size_t n, i, k = 0;
	int r, nkernels = 0;

	if ((r = dir_debs(dir, &names, &n, e)) == 0) {
		for (i = 0; i < n; i++) {
			char path[4400];
			struct debpkg p;
			struct err skip;

			dirs_pathf(path, sizeof(path), "%s/%s", dir, names[i]);
			if (debpkg_read(path, &p, &skip) < 0)
				continue; /* linux-headers-*, -dbg: not for booting */
			if (s->n && !same_kernel(&s->pkgs[0], &p)) {
				if (!strstr(kernels, p.abi) && k < sizeof(kernels))
					k += (size_t)snprintf(kernels + k, sizeof(kernels) - k,
					                      ", %s %s", p.abi, p.version);
				nkernels++;
				continue;
			}
			if (!s->n)
				k += (size_t)snprintf(kernels + k, sizeof(kernels) - k, "%s %s",
				                      p.abi, p.version);
			if ((r = add(s, &p, e)) < 0)
				break;
		}
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (r < 0)
		return -1;
	if (!s->n)
		return err_set(e, ERR_INPUT,
		               "%s: no Debian kernel package in it (linux-image-*.deb, or "
		               "linux-binary-*, linux-modules-* and linux-base-*)",
		               dir);
	if (nkernels)
		return err_set(e, ERR_INPUT,
		               "%s holds the packages of more than one kernel (%s): name the files "
		               "(A.deb:B.deb) or keep one kernel's in the directory",
		               dir, kernels);
	return complete(s, dir, dir, e);
}

int debpkg_collect(const char *spec, struct debpkg_set *s, struct err *e)
{
	char *list, *tok, *save = NULL, dir[4096];
	int r = 0;

	memset(s, 0, sizeof(*s));
	if (dirs_is_dir(spec))
		return collect_dir(spec, s, e);
	if (!(list = strdup(spec)))
		return err_sys(e, "reading %s", spec);
	for (tok = strtok_r(list, ":", &save); tok && r == 0; tok = strtok_r(NULL, ":", &save)) {
		struct debpkg p;

		if (!ends_with(tok, ".deb"))
			r = err_set(e, ERR_INPUT, "%s: not a .deb file", tok);
		else if ((r = debpkg_read(tok, &p, e)) == 0)
			r = add(s, &p, e);
	}
	free(list);
	if (r < 0)
		return -1;
	if (!s->n)
		return err_set(e, ERR_INPUT, "no package file in '%s'", spec);
	/* The parts not named are looked for beside the first file. */
	text_copy(dir, sizeof(dir), s->pkgs[0].path);
	if (strrchr(dir, '/'))
		*strrchr(dir, '/') = '\0';
	else
		text_copy(dir, sizeof(dir), ".");
	return complete(s, dir, s->pkgs[0].path, e);
}

/* ---- unpacking ---- */

/* md5sums lines: 32 hex digits, two spaces, a relative path that stays in
 * the tree. */
static bool md5_line_ok(const char *l)
{
	const char *p = l + 34;
	int i;

	for (i = 0; i < 32; i++)
		if (!isxdigit((unsigned char)l[i]))
			return false;
	if (l[32] != ' ' || l[33] != ' ' || !*p || *p == '/' || strchr(p, '\\'))
		return false;
	for (; *p; p++)
		if (p[0] == '.' && p[1] == '.' && (p == l + 34 || p[-1] == '/') &&
		    (p[2] == '/' || p[2] == '\0'))
			return false;
	return true;
}

/* Every file of @p in @root against its md5sums (a package without one is
 * not checked); the list is written beside @root. */
static int check_md5sums(const struct debpkg *p, const char *root, struct err *e)
{
	char arg[4200], list[4400], last[300];
	const char *info[] = {"dpkg-deb", "-I", arg, "md5sums", NULL};
	const char *check[] = {"md5sum", "--check", "--quiet", "--strict", list, NULL};
	struct spawn_out o;
	struct afile af;
	char *line, *save = NULL;
	int r, lines = 0;

	arg_path(p->path, arg, sizeof(arg));
	r = spawn_run(info, NULL, DPKG_TIMEOUT_MS, &o, 0, e);
	if (r != 0 || o.len > MD5SUMS_MAX) {
		spawn_out_free(&o);
		return r < 0 ? -1 : 0;
	}
	dirs_pathf(list, sizeof(list), "%s.md5sums", root);
	if (afile_open(&af, list, e) < 0) {
		spawn_out_free(&o);
		return -1;
	}
	for (line = strtok_r(o.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!md5_line_ok(line)) {
			err_set(e, ERR_INPUT, "%s: a bad line in its md5sums: %.80s", p->path,
			        line);
			afile_abort(&af);
			spawn_out_free(&o);
			return -1;
		}
		fprintf(af.fp, "%s\n", line);
		lines++;
	}
	spawn_out_free(&o);
	if (afile_commit(&af, e) < 0)
		return -1;
	if (lines == 0) {
		unlink(list);
		return 0;
	}
	r = spawn_run(check, root, DPKG_TIMEOUT_MS, &o, 1, e);
	if (r > 0)
		err_set(e, ERR_INPUT, "%s: unpacked files differ from the package's md5sums: %s",
		        p->path, spawn_last_line(&o, last, sizeof(last)));
	spawn_out_free(&o);
	unlink(list);
	return r == 0 ? 0 : -1;
}

/* nftw() takes no argument: the root being walked. */
static char walk_root[PATH_MAX];
static size_t walk_root_len;

/* nftw: a link whose target is absolute or climbs out is removed (the
 * build and source links of old packages lead to /usr/src). */
static int drop_escaping_link(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	char target[PATH_MAX];
	ssize_t n;

	(void)st;
	(void)f;
	if (flag != FTW_SL && flag != FTW_SLN)
		return 0;
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return 0;
	target[n] = '\0';
	if (target[0] == '/' || strstr(target, "..")) {
		char real[PATH_MAX];

		if (target[0] == '/' || !realpath(path, real) ||
		    strncmp(real, walk_root, walk_root_len) != 0 ||
		    (real[walk_root_len] != '/' && real[walk_root_len] != '\0'))
			unlink(path);
	}
	return 0;
}

static void drop_escaping_links(const char *root)
{
	static const char *const dirs[] = {"lib/modules", "usr/lib/modules"};
	char dir[PATH_MAX + 32];
	size_t i;

	if (!realpath(root, walk_root))
		return;
	walk_root_len = strlen(walk_root);
	for (i = 0; i < 2; i++) {
		struct stat st;

		dirs_pathf(dir, sizeof(dir), "%s/%s", walk_root, dirs[i]);
		if (lstat(dir, &st) == 0 && S_ISDIR(st.st_mode))
			nftw(dir, drop_escaping_link, 16, FTW_PHYS);
	}
}

int debpkg_unpack(const struct debpkg_set *s, const char *root, struct err *e)
{
	char lib[4200], usrlib[4200], arg[4200];
	const char *x[] = {"dpkg-deb", "-x", arg, root, NULL};
	struct spawn_out o;
	int i;

	if (dirs_make(root, e) < 0)
		return -1;
	for (i = 0; i < s->n; i++) {
		char last[300];
		int r;

		if (s->pkgs[i].installed_kb > DEB_INSTALLED_MAX)
			return err_set(e, ERR_INPUT,
			               "%s: Installed-Size %lld KiB, more than a kernel",
			               s->pkgs[i].path, s->pkgs[i].installed_kb);
		arg_path(s->pkgs[i].path, arg, sizeof(arg));
		r = spawn_run(x, NULL, DPKG_TIMEOUT_MS, &o, 1, e);
		if (r > 0)
			err_set(e, ERR_INPUT, "dpkg-deb -x %s failed (exit %d): %s",
			        s->pkgs[i].path, r, spawn_last_line(&o, last, sizeof(last)));
		spawn_out_free(&o);
		if (r != 0 || check_md5sums(&s->pkgs[i], root, e) < 0)
			return -1;
	}
	/* A merged-/usr package keeps its modules in usr/lib/modules. */
	dirs_pathf(lib, sizeof(lib), "%s/lib", root);
	dirs_pathf(usrlib, sizeof(usrlib), "%s/usr/lib", root);
	if (access(lib, F_OK) != 0 && dirs_is_dir(usrlib) && symlink("usr/lib", lib) < 0)
		return err_sys(e, "linking %s", lib);
	drop_escaping_links(root);
	return 0;
}

/* ---- the kernel in the tree ---- */

static bool release_ok(const char *s)
{
	if (!*s || strlen(s) >= 128 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr(".+_-~", *s))
			return false;
	return true;
}

/* Add @rel to the releases found (space-separated). */
static void found(char *list, size_t len, const char *rel)
{
	size_t n = strlen(list), r = strlen(rel);
	const char *p;

	if (!release_ok(rel) || n + r + 2 > len)
		return;
	for (p = list; *p; p += strcspn(p, " "), p += strspn(p, " "))
		if (strncmp(p, rel, r) == 0 && (p[r] == ' ' || p[r] == '\0'))
			return;
	snprintf(list + n, len - n, "%s%s", n ? " " : "", rel);
}

/* The releases with a vmlinuz: boot/vmlinuz-REL, MODULES/REL/vmlinuz. */
static void releases(const char *root, char *list, size_t len)
{
	static const char *const mods[] = {"lib/modules", "usr/lib/modules"};
	char dir[4200], f[4600];
	DIR *d;
	struct dirent *de;
	size_t i;

	list[0] = '\0';
	dirs_pathf(dir, sizeof(dir), "%s/boot", root);
	if ((d = opendir(dir))) {
		while ((de = readdir(d))) {
			dirs_pathf(f, sizeof(f), "%s/%s", dir, de->d_name);
			if (strncmp(de->d_name, "vmlinuz-", 8) == 0 && is_plain_file(f))
				found(list, len, de->d_name + 8);
		}
		closedir(d);
	}
	for (i = 0; i < 2; i++) {
		dirs_pathf(dir, sizeof(dir), "%s/%s", root, mods[i]);
		if (!(d = opendir(dir)))
			continue;
		while ((de = readdir(d))) {
			dirs_pathf(f, sizeof(f), "%s/%s/vmlinuz", dir, de->d_name);
			if (de->d_name[0] != '.' && is_plain_file(f))
				found(list, len, de->d_name);
		}
		closedir(d);
	}
}

int debpkg_find(const char *root, const char *release, struct debpkg_tree *t, struct err *e)
{
	char list[1024], alt[4400];

	memset(t, 0, sizeof(*t));
	if (!release) {
		releases(root, list, sizeof(list));
		if (!list[0])
			return err_set(
			    e, ERR_INPUT,
			    "no kernel image in the packages (neither /boot/vmlinuz-RELEASE "
			    "nor /usr/lib/modules/RELEASE/vmlinuz; in the split layout "
			    "linux-binary-* holds it)");
		if (strchr(list, ' '))
			return err_set(e, ERR_INPUT, "the packages hold several kernels: %s", list);
		release = list;
	}
	if (!release_ok(release))
		return err_set(e, ERR_INPUT, "not a kernel release: '%.100s'", release);
	text_copy(t->release, sizeof(t->release), release);
	dirs_pathf(t->image, sizeof(t->image), "%s/boot/vmlinuz-%s", root, release);
	t->layout = "classic";
	if (!is_plain_file(t->image)) {
		t->layout = "split";
		dirs_pathf(t->image, sizeof(t->image), "%s/lib/modules/%s/vmlinuz", root, release);
		dirs_pathf(alt, sizeof(alt), "%s/usr/lib/modules/%s/vmlinuz", root, release);
		if (!is_plain_file(t->image) && is_plain_file(alt))
			text_copy(t->image, sizeof(t->image), alt);
		if (!is_plain_file(t->image))
			return err_set(e, ERR_INPUT, "no vmlinuz of %s in the packages", release);
	}
	dirs_pathf(t->moddir, sizeof(t->moddir), "%s/lib/modules/%s", root, release);
	if (!dirs_is_dir(t->moddir))
		return err_set(e, ERR_INPUT,
		               "no lib/modules/%s in the packages (in the split layout "
		               "linux-modules-%s holds it)",
		               release, release);
	dirs_pathf(t->config, sizeof(t->config), "%s/boot/config-%s", root, release);
	if (!is_plain_file(t->config))
		dirs_pathf(t->config, sizeof(t->config), "%s/config", t->moddir);
	if (!is_plain_file(t->config))
		t->config[0] = '\0';
	return 0;
}
