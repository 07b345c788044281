// SPDX-License-Identifier: GPL-2.0-only
/* debapt.c - tcpconform's own apt: configuration, lists, lookups, downloads. */
#include "vm/debapt.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/afile.h"
#include "base/dirs.h"
#include "base/infile.h"
#include "base/progress.h"
#include "base/spawn.h"
#include "base/text.h"

#define APT_TIMEOUT_MS   (600 * 1000)
#define QUERY_TIMEOUT_MS (120 * 1000)
#define HOST_CONF_LINES  200

/* ---- suites ---- */

static bool suite_word_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n >= 64)
		return false;
	for (i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '-')
			return false;
	return true;
}

int debapt_suites(char *out, size_t len, struct err *e)
{
	const char *env = getenv("TCPCONFORM_DEBIAN_SUITES"), *s;
	size_t used = 0;

	s = env && *env ? env : DEBAPT_SUITES;
	out[0] = '\0';
	while (*s) {
		size_t n;

		s += strspn(s, " ,");
		n = strcspn(s, " ,");
		if (n == 0)
			break;
		if (!suite_word_ok(s, n))
			return err_set(e, ERR_INPUT,
			               "TCPCONFORM_DEBIAN_SUITES: '%.*s' is not a suite name "
			               "(lower-case letters, digits, '-')",
			               (int)(n < 64 ? n : 64), s);
		if (used + n + 2 > len)
			return err_set(e, ERR_INPUT, "TCPCONFORM_DEBIAN_SUITES: too many suites");
		used +=
		    (size_t)snprintf(out + used, len - used, "%s%.*s", used ? " " : "", (int)n, s);
		s += n;
	}
	if (!out[0])
		return err_set(e, ERR_INPUT, "TCPCONFORM_DEBIAN_SUITES names no suite");
	return 0;
}

bool debapt_has_suite(const char *suites, const char *suite)
{
	size_t n = strlen(suite);
	const char *s = suites;

	if (n == 0)
		return false;
	while ((s = strstr(s, suite))) {
		if ((s == suites || s[-1] == ' ') && (s[n] == '\0' || s[n] == ' '))
			return true;
		s += n;
	}
	return false;
}

/* ---- running apt ---- */

/* env APT_CONFIG=CONF ARGS... in @cwd, @tick every 100 ms (NULL: none). */
static int apt_run_tick(const struct debapt *a, const char *const args[], const char *cwd,
                        int timeout_ms, struct spawn_out *o, int merge, void (*tick)(void *),
                        void *arg, struct err *e)
{
	char env[4300];
	const char **argv;
	size_t n = 0, i;
	int r;

	while (args[n])
		n++;
	if (!(argv = calloc(n + 3, sizeof(*argv)))) {
		o->data = NULL;
		return err_sys(e, "running %s", args[0]);
	}
	dirs_pathf(env, sizeof(env), "APT_CONFIG=%s", a->conf);
	argv[0] = "env";
	argv[1] = env;
	for (i = 0; i < n; i++)
		argv[2 + i] = args[i];
	r = spawn_run_tick(argv, cwd, timeout_ms, o, merge, 100, tick, arg, e);
	free(argv);
	if (r == 127) /* env's: the program is not there */
		return err_set(e, ERR_ENV,
		               "%s: not found (tcpconform fetches Debian's kernels with apt: "
		               "apt-get install apt)",
		               args[0]);
	return r;
}

static int apt_run(const struct debapt *a, const char *const args[], const char *cwd,
                   int timeout_ms, struct spawn_out *o, int merge, struct err *e)
{
	return apt_run_tick(a, args, cwd, timeout_ms, o, merge, NULL, NULL, e);
}

static bool url_ok(const char *s)
{
	if (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0 &&
	    strncmp(s, "file:/", 6) != 0)
		return false;
	if (strlen(s) >= 500)
		return false;
	for (; *s; s++)
		if (!isgraph((unsigned char)*s) || strchr("\"'[]\\", *s))
			return false;
	return true;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && strcmp(s + n - t, tail) == 0;
}

/* The Debian mirror and security mirror of the host's sources, read with
 * the host's own apt (`apt-get indextargets`, which changes nothing). */
static void host_mirrors(char *mirror, size_t mlen, char *security, size_t slen)
{
	const char *argv[] = {"apt-get", "indextargets", "--format", "$(SITE) $(LABEL)", NULL};
	struct spawn_out o;
	struct err e;
	char *line, *save = NULL;

	mirror[0] = security[0] = '\0';
	if (spawn_run(argv, NULL, QUERY_TIMEOUT_MS, &o, 0, &e) != 0) {
		spawn_out_free(&o);
		return;
	}
	for (line = strtok_r(o.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *label = strchr(line, ' ');

		if (label)
			*label++ = '\0';
		else
			label = "";
		while (strlen(line) > 1 && line[strlen(line) - 1] == '/')
			line[strlen(line) - 1] = '\0';
		if (!url_ok(line))
			continue;
		if (strcmp(label, "Debian-Security") == 0 || ends_with(line, "/debian-security")) {
			if (!security[0])
				text_copy(security, slen, line);
		} else if (strcmp(label, "Debian") == 0 || ends_with(line, "/debian")) {
			if (!mirror[0])
				text_copy(mirror, mlen, line);
		}
	}
	spawn_out_free(&o);
}

/* The host's settings for reaching a mirror (proxies, timeouts, release
 * validity), as `apt-config dump` prints them, into @fp. */
static void host_acquire(FILE *fp)
{
	static const char *const keep[] = {
	    "Acquire::http",       "Acquire::https",          "Acquire::socks",
	    "Acquire::ftp",        "Acquire::Retries",        "Acquire::ForceIPv4",
	    "Acquire::ForceIPv6",  "Acquire::Queue-Mode",     "Acquire::Check-Valid-Until",
	    "Acquire::Check-Date", "Acquire::Max-FutureTime",
	};
	const char *argv[] = {"apt-config", "dump", NULL};
	struct spawn_out o;
	struct err e;
	char *line, *save = NULL;
	int n = 0;

	if (spawn_run(argv, NULL, QUERY_TIMEOUT_MS, &o, 0, &e) != 0) {
		spawn_out_free(&o);
		return;
	}
	for (line = strtok_r(o.data, "\n", &save); line && n < HOST_CONF_LINES;
	     line = strtok_r(NULL, "\n", &save)) {
		char *q = strchr(line, '"');
		size_t i, len = strlen(line);

		/* KEY "VALUE"; with no other quote nor backslash. */
		if (!q || len < 4 || strcmp(line + len - 2, "\";") != 0 || q[-1] != ' ' ||
		    strchr(q + 1, '"') != line + len - 2 || strchr(line, '\\'))
			continue;
		for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
			size_t k = strlen(keep[i]);

			if (strncmp(line, keep[i], k) == 0 && (line[k] == ':' || line[k] == ' '))
				break;
		}
		if (i == sizeof(keep) / sizeof(keep[0]))
			continue;
		for (i = 0; line + i < q - 1; i++)
			if (!isalnum((unsigned char)line[i]) && !strchr(":_.-/", line[i]))
				break;
		if (line + i != q - 1)
			continue;
		fprintf(fp, "%s\n", line);
		n++;
	}
	spawn_out_free(&o);
}

/* ---- the configuration ---- */

static bool same_text(const char *path, const char *text);

/* Write @path with @text, when it holds something else: 1 when written. */
static int write_if_changed(const char *path, const char *text, struct err *e)
{
	struct afile af;

	if (same_text(path, text))
		return 0;
	if (afile_open(&af, path, e) < 0)
		return -1;
	fputs(text, af.fp);
	if (afile_commit(&af, e) < 0)
		return -1;
	return 1;
}

static bool same_text(const char *path, const char *text)
{
	struct err ignore;
	size_t len;
	char *old = infile_read(path, 1 << 20, &len, &ignore);
	bool same = old && strcmp(old, text) == 0;

	free(old);
	return same;
}

static int config_text(const struct debapt *a, char **text, struct err *e);
static int sources_text(const struct debapt *a, char **text, struct err *e);
static void stamp_path(const struct debapt *a, char *out, size_t len);

/* The configuration and sources, rewritten when they change (new sources
 * make the lists stale), under the exclusive lock only then; the shared
 * lock taken. */
static int write_setup(struct debapt *a, struct err *e)
{
	char src[4400], stamp[4400], *conf = NULL, *sources = NULL;
	int r = -1;

	dirs_pathf(src, sizeof(src), "%s/etc/sources.list", a->dir);
	if (config_text(a, &conf, e) < 0 || sources_text(a, &sources, e) < 0)
		goto out;
	if (!same_text(a->conf, conf) || !same_text(src, sources)) {
		if (flock(a->lock_fd, LOCK_EX) < 0) {
			err_sys(e, "locking %s/lock", a->dir);
			goto out;
		}
		if (write_if_changed(a->conf, conf, e) < 0 ||
		    (r = write_if_changed(src, sources, e)) < 0)
			goto out;
		if (r == 1) {
			stamp_path(a, stamp, sizeof(stamp));
			unlink(stamp);
		}
	}
	r = flock(a->lock_fd, LOCK_SH) < 0 ? err_sys(e, "locking %s/lock", a->dir) : 0;
out:
	free(conf);
	free(sources);
	return r < 0 ? -1 : 0;
}

static int config_text(const struct debapt *a, char **text, struct err *e)
{
	size_t len = 0;
	FILE *fp = open_memstream(text, &len);
	const char *d = a->dir;

	if (!fp)
		return err_sys(e, "writing apt.conf");
	fprintf(fp,
	        "// tcpconform's own apt (APT_CONFIG, read before anything else): nothing\n"
	        "// of /etc/apt is read but the settings below \"host\".  Written by\n"
	        "// tcpconform; a change here is undone.\n"
	        "Dir::Etc \"%s/etc/\";\n"
	        "Dir::Etc::main \"apt.conf\";\n"
	        "Dir::Etc::parts \"apt.conf.d\";\n"
	        "Dir::Etc::sourcelist \"sources.list\";\n"
	        "Dir::Etc::sourceparts \"sources.list.d\";\n"
	        "Dir::Etc::preferences \"preferences\";\n"
	        "Dir::Etc::preferencesparts \"preferences.d\";\n"
	        "Dir::Etc::trusted \"trusted.gpg\";\n"
	        "Dir::Etc::trustedparts \"trusted.gpg.d\";\n"
	        "Dir::Etc::netrc \"auth.conf\";\n"
	        "Dir::Etc::netrcparts \"auth.conf.d\";\n"
	        "Dir::State \"%s/state/\";\n"
	        "Dir::State::lists \"lists/\";\n"
	        "Dir::State::status \"%s/state/status\";\n"
	        "Dir::State::extended_states \"extended_states\";\n"
	        "Dir::Cache \"%s/cache/\";\n"
	        "Dir::Cache::archives \"archives/\";\n"
	        "Dir::Cache::pkgcache \"pkgcache.bin\";\n"
	        "Dir::Cache::srcpkgcache \"\";\n"
	        "Dir::Log \"%s/log/\";\n"
	        "APT::Architecture \"amd64\";\n"
	        "APT::Architectures { \"amd64\"; };\n"
	        "Acquire::Languages { \"none\"; };\n"
	        "Acquire::GzipIndexes \"true\";\n"
	        "Acquire::CompressionTypes::Order { \"lz4\"; \"xz\"; \"gz\"; };\n",
	        d, d, d, d, d);
	/* As root apt hands downloads to _apt, which cannot enter a home
	 * directory: apt falls back to root with a warning; say so at once. */
	if (geteuid() == 0)
		fprintf(fp, "APT::Sandbox::User \"root\";\n");
	fprintf(fp, "// host\n");
	host_acquire(fp);
	if (fclose(fp) != 0) {
		free(*text);
		*text = NULL;
		return err_sys(e, "writing apt.conf");
	}
	return 0;
}

static int sources_text(const struct debapt *a, char **text, struct err *e)
{
	size_t len = 0;
	FILE *fp = open_memstream(text, &len);
	const char *s = a->suites;

	if (!fp)
		return err_sys(e, "writing sources.list");
	fprintf(fp, "# tcpconform's own sources (written by tcpconform)\n");
	while (*s) {
		size_t n = strcspn(s, " ");
		bool sec = n > 9 && strncmp(s + n - 9, "-security", 9) == 0;

		fprintf(fp, "deb [signed-by=%s] %s %.*s main\n", DEBAPT_KEYRING,
		        sec ? a->security : a->mirror, (int)n, s);
		s += n;
		s += strspn(s, " ");
	}
	if (fclose(fp) != 0) {
		free(*text);
		*text = NULL;
		return err_sys(e, "writing sources.list");
	}
	return 0;
}

static int make_tree(const struct debapt *a, struct err *e)
{
	static const char *const sub[] = {
	    "etc/apt.conf.d",  "etc/preferences.d",   "etc/sources.list.d",     "etc/trusted.gpg.d",
	    "etc/auth.conf.d", "state/lists/partial", "cache/archives/partial", "log",
	};
	char path[4400];
	size_t i;
	int fd;

	for (i = 0; i < sizeof(sub) / sizeof(sub[0]); i++) {
		dirs_pathf(path, sizeof(path), "%s/%s", a->dir, sub[i]);
		if (dirs_make(path, e) < 0)
			return -1;
	}
	dirs_pathf(path, sizeof(path), "%s/state/status", a->dir);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return err_sys(e, "creating %s", path);
	close(fd);
	return 0;
}

static void stamp_path(const struct debapt *a, char *out, size_t len)
{
	dirs_pathf(out, len, "%s/state/updated", a->dir);
}

int debapt_open(struct debapt *a, const char *dir, const char *mirror, const char *security,
                struct err *e)
{
	char path[4400];

	memset(a, 0, sizeof(*a));
	a->lock_fd = -1;
	text_copy(a->dir, sizeof(a->dir), dir);
	dirs_pathf(a->conf, sizeof(a->conf), "%s/apt.conf", dir);
	if (access(DEBAPT_KEYRING, R_OK) != 0)
		return err_set(e, ERR_ENV,
		               "no %s to check Debian's Release files with: apt-get install "
		               "debian-archive-keyring",
		               DEBAPT_KEYRING);
	if (debapt_suites(a->suites, sizeof(a->suites), e) < 0)
		return -1;
	if (!mirror || !security)
		host_mirrors(a->mirror, sizeof(a->mirror), a->security, sizeof(a->security));
	if (mirror)
		text_copy(a->mirror, sizeof(a->mirror), mirror);
	if (security)
		text_copy(a->security, sizeof(a->security), security);
	if (!a->mirror[0])
		text_copy(a->mirror, sizeof(a->mirror), "http://deb.debian.org/debian");
	if (!a->security[0])
		dirs_pathf(a->security, sizeof(a->security), "%s-security", a->mirror);
	if (!url_ok(a->mirror) || !url_ok(a->security))
		return err_set(e, ERR_INPUT, "not a mirror URL: %s",
		               url_ok(a->mirror) ? a->security : a->mirror);
	if (dirs_make(dir, e) < 0 || make_tree(a, e) < 0)
		return -1;
	dirs_pathf(path, sizeof(path), "%s/lock", dir);
	a->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (a->lock_fd < 0)
		return err_sys(e, "opening %s", path);
	if (write_setup(a, e) < 0) {
		debapt_close(a);
		return -1;
	}
	return 0;
}

void debapt_close(struct debapt *a)
{
	if (a->lock_fd >= 0)
		close(a->lock_fd);
	a->lock_fd = -1;
}

/* ---- lists ---- */

/* Seconds since the last update, or -1 when there was none; its answered
 * suites into a->answered. */
static long long lists_age(struct debapt *a)
{
	char path[4400], *text;
	size_t len;
	struct stat st;
	struct err e;

	stamp_path(a, path, sizeof(path));
	if (stat(path, &st) < 0 || !(text = infile_read(path, 4096, &len, &e)))
		return -1;
	text[strcspn(text, "\n")] = '\0';
	text_copy(a->answered, sizeof(a->answered), text);
	free(text);
	a->lists_at = (long long)st.st_mtime;
	return (long long)(time(NULL) - st.st_mtime);
}

/* The suites apt holds lists of (`apt-cache policy`: " 500 URI SUITE/main
 * amd64 Packages"), in the order of a->suites. */
static int answered_suites(struct debapt *a, struct err *e)
{
	const char *args[] = {"apt-cache", "policy", NULL};
	struct spawn_out o;
	char *line, *save = NULL, got[1024] = "";
	const char *s;
	size_t used = 0;

	if (apt_run(a, args, NULL, QUERY_TIMEOUT_MS, &o, 0, e) != 0) {
		spawn_out_free(&o);
		return err_set(e, ERR_ENV, "apt-cache policy failed (tcpconform's apt in %s)",
		               a->dir);
	}
	for (line = strtok_r(o.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char uri[512], suite[128];

		if (sscanf(line, " %*d %511s %127[^/ ]/", uri, suite) == 2 &&
		    strstr(line, " Packages") && !debapt_has_suite(got, suite) &&
		    strlen(got) + strlen(suite) + 2 < sizeof(got)) {
			size_t n = strlen(got);

			snprintf(got + n, sizeof(got) - n, "%s%s", n ? " " : "", suite);
		}
	}
	spawn_out_free(&o);
	a->answered[0] = '\0';
	for (s = a->suites; *s;) {
		size_t n = strcspn(s, " ");
		char word[64];

		dirs_pathf(word, sizeof(word), "%.*s", (int)n, s);
		if (debapt_has_suite(got, word))
			used += (size_t)snprintf(a->answered + used, sizeof(a->answered) - used,
			                         "%s%s", used ? " " : "", word);
		s += n;
		s += strspn(s, " ");
	}
	return 0;
}

static int update(struct debapt *a, struct err *e)
{
	const char *args[] = {"apt-get", "update", "-q", NULL};
	struct spawn_out o;
	char last[300], path[4400], missing[1024] = "";
	const char *s;
	size_t used = 0;
	int r;
	FILE *fp;

	fprintf(stderr, "tcpconform: fetching the lists of the Debian suites %s (%s), into %s\n",
	        a->suites, a->mirror, a->dir);
	r = apt_run(a, args, NULL, APT_TIMEOUT_MS, &o, 1, e);
	if (r < 0) {
		spawn_out_free(&o);
		return -1;
	}
	spawn_last_line(&o, last, sizeof(last));
	spawn_out_free(&o);
	a->updated = true;
	if (answered_suites(a, e) < 0)
		return -1;
	if (!a->answered[0])
		return err_set(
		    e, ERR_ENV,
		    "apt-get update (tcpconform's own apt, %s) reached no Debian suite at "
		    "%s (exit %d): %s",
		    a->dir, a->mirror, r, last);
	for (s = a->suites; *s;) {
		size_t n = strcspn(s, " ");
		char word[64];

		dirs_pathf(word, sizeof(word), "%.*s", (int)n, s);
		if (!debapt_has_suite(a->answered, word))
			used +=
			    (size_t)snprintf(missing + used, sizeof(missing) - used, " %s", word);
		s += n;
		s += strspn(s, " ");
	}
	if (missing[0])
		fprintf(stderr, "tcpconform: not served by the mirror:%s\n", missing);
	stamp_path(a, path, sizeof(path));
	fp = fopen(path, "w");
	if (!fp || fprintf(fp, "%s\n", a->answered) < 0 || fclose(fp) != 0)
		return err_sys(e, "writing %s", path);
	a->lists_at = (long long)time(NULL);
	return 0;
}

int debapt_refresh(struct debapt *a, bool force, struct err *e)
{
	long long age = lists_age(a);
	int r;

	if (age >= 0 && age < DEBAPT_MAX_AGE_S && (!force || a->updated))
		return 0;
	/* Exclusive while apt writes the lists; then look again: another
	 * tcpconform may have just fetched them. */
	if (flock(a->lock_fd, LOCK_EX) < 0)
		return err_sys(e, "locking %s/lock", a->dir);
	age = lists_age(a);
	if (age >= 0 && age < (force ? 60 : DEBAPT_MAX_AGE_S))
		r = 0;
	else
		r = update(a, e);
	if (flock(a->lock_fd, LOCK_SH) < 0 && r == 0)
		r = err_sys(e, "locking %s/lock", a->dir);
	return r;
}

/* ---- lookups ---- */

/* `apt-cache pkgnames linux-`: the kernel packages of @flavour. */
static int kernel_names(struct debapt *a, const char *flavour, char ***names, size_t *n,
                        struct err *e)
{
	const char *args[] = {"apt-cache", "pkgnames", "linux-", NULL};
	struct spawn_out o;
	char *line, *save = NULL;
	int r = 0;

	*names = NULL;
	*n = 0;
	if (apt_run(a, args, NULL, QUERY_TIMEOUT_MS, &o, 0, e) != 0) {
		spawn_out_free(&o);
		return err_set(e, ERR_ENV, "apt-cache pkgnames failed (tcpconform's apt in %s)",
		               a->dir);
	}
	for (line = strtok_r(o.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char **nn;

		if (!deb_name_ok(line) || !deb_kernel_abi(line, flavour, NULL))
			continue;
		if (*n == DEB_INDEX_MAX) {
			r = err_set(e, ERR_ENV, "apt lists more than %d kernel packages",
			            DEB_INDEX_MAX);
			break;
		}
		if (!(nn = realloc(*names, (*n + 1) * sizeof(*nn))) || !(nn[*n] = strdup(line))) {
			if (nn)
				*names = nn;
			r = err_sys(e, "listing kernel packages");
			break;
		}
		*names = nn;
		(*n)++;
	}
	spawn_out_free(&o);
	return r;
}

static void free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* apt-cache CMD NAME... into @ix through @parse. */
static int query(struct debapt *a, const char *cmd, char **names, size_t n, struct deb_index *ix,
                 int (*parse)(struct deb_index *, const char *, struct err *), struct err *e)
{
	const char **args = calloc(n + 3, sizeof(*args));
	struct spawn_out o;
	size_t i;
	int r;

	if (!args)
		return err_sys(e, "running apt-cache %s", cmd);
	args[0] = "apt-cache";
	args[1] = cmd;
	for (i = 0; i < n; i++)
		args[2 + i] = names[i];
	r = apt_run(a, args, NULL, QUERY_TIMEOUT_MS, &o, 0, e);
	free(args);
	if (r < 0) {
		spawn_out_free(&o);
		return -1;
	}
	r = r != 0 ? err_set(e, ERR_ENV, "apt-cache %s failed (exit %d)", cmd, r)
	           : parse(ix, o.data, e);
	spawn_out_free(&o);
	return r;
}

int debapt_index(struct debapt *a, const char *flavour, struct deb_index *ix, struct err *e)
{
	char **names;
	size_t n;
	int r;

	memset(ix, 0, sizeof(*ix));
	if (kernel_names(a, flavour, &names, &n, e) < 0) {
		free_names(names, n);
		return -1;
	}
	r = 0;
	if (n)
		r = query(a, "madison", names, n, ix, deb_index_madison, e);
	if (r == 0 && n)
		r = query(a, "show", names, n, ix, deb_index_show, e);
	free_names(names, n);
	if (r < 0)
		deb_index_free(ix);
	return r;
}

/* ---- downloads ---- */

int debapt_sha256_check(const char *file, const char *hex, struct err *e)
{
	const char *argv[] = {"sha256sum", "--", file, NULL};
	struct spawn_out o;
	int r = spawn_run(argv, NULL, APT_TIMEOUT_MS, &o, 0, e);

	if (r != 0 || o.len < 64) {
		spawn_out_free(&o);
		return r < 0 ? -1 : err_set(e, ERR_ENV, "sha256sum %s failed (exit %d)", file, r);
	}
	r = strlen(hex) == 64 && strncasecmp(o.data, hex, 64) == 0 ? 0 : -1;
	if (r < 0)
		err_set(e, ERR_ENV,
		        "%s: SHA256 %.64s, but the Debian lists say %s: a damaged download", file,
		        o.data, hex[0] ? hex : "nothing");
	spawn_out_free(&o);
	return r;
}

/* The bytes of the .deb files in @dir so far. */
static long long debs_bytes(const char *dir)
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
		dirs_pathf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			n += st.st_size;
	}
	closedir(d);
	return n;
}

struct fetch_watch {
	const char *dir;
	struct progress p;
};

static void fetch_tick(void *arg)
{
	struct fetch_watch *w = arg;

	progress_update(&w->p, debs_bytes(w->dir));
}

/* The file apt-get download wrote for @p in @dir ("NAME_VERSION_ARCH.deb",
 * the epoch's colon as %3a). */
static int downloaded(const char *dir, const struct deb_pkg *p, char *out, size_t len,
                      struct err *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = strlen(p->name);

	out[0] = '\0';
	if (!d)
		return err_sys(e, "reading %s", dir);
	while ((de = readdir(d)))
		if (strncmp(de->d_name, p->name, n) == 0 && de->d_name[n] == '_' &&
		    ends_with(de->d_name, ".deb"))
			dirs_pathf(out, len, "%s/%s", dir, de->d_name);
	closedir(d);
	if (!out[0])
		return err_set(e, ERR_ENV, "apt-get download %s=%s left no .deb file in %s",
		               p->name, p->version, dir);
	return 0;
}

int debapt_download(struct debapt *a, const struct deb_kernel *k, const char *dir, struct err *e)
{
	const char *args[4 + DEB_PARTS_MAX] = {"apt-get", "download", "-q"};
	char specs[DEB_PARTS_MAX][DEB_NAME_MAX + DEB_VER_MAX + 2], last[300], file[4400];
	struct fetch_watch w = {.dir = dir};
	struct spawn_out o;
	long long total = 0;
	int i, r;

	for (i = 0; i < k->nparts; i++) {
		dirs_pathf(specs[i], sizeof(specs[i]), "%s=%s", k->parts[i]->name,
		           k->parts[i]->version);
		args[3 + i] = specs[i];
		total += k->parts[i]->size;
	}
	fprintf(stderr,
	        "tcpconform: fetching %s %s (%d package%s, %s, apt-get download, %.1f MB)\n",
	        k->parts[0]->name, k->parts[0]->version, k->nparts, k->nparts > 1 ? "s" : "",
	        deb_kernel_layout(k), (double)total / 1e6);
	progress_start(&w.p, stderr, k->parts[0]->name, total);
	r = apt_run_tick(a, args, dir, APT_TIMEOUT_MS, &o, 1, fetch_tick, &w, e);
	progress_end(&w.p, debs_bytes(dir), r == 0);
	if (r > 0)
		err_set(e, ERR_ENV, "apt-get download failed (exit %d): %s", r,
		        spawn_last_line(&o, last, sizeof(last)));
	spawn_out_free(&o);
	if (r != 0)
		return -1;
	for (i = 0; i < k->nparts; i++) {
		if (downloaded(dir, k->parts[i], file, sizeof(file), e) < 0 ||
		    debapt_sha256_check(file, k->parts[i]->sha256, e) < 0)
			return -1;
	}
	return 0;
}
