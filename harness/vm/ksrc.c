// SPDX-License-Identifier: GPL-2.0-only
/* ksrc.c - build a kernel tree out of tree for `--kernel src:PATH`. */
#include "vm/ksrc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/dirs.h"
#include "base/infile.h"
#include "base/text.h"
#include "vm/kspec.h"

#define BUILD_LIMIT_S  (4 * 3600) /* a full build here takes ~9 min */
#define CONFIG_LIMIT_S 600
#define TICK_S         30

/* snprintf that fails instead of cutting a path short. */
static int __attribute__((format(printf, 4, 5)))
fit(char *out, size_t len, struct err *e, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len)
		return err_set(e, ERR_INPUT, "path too long: %.80s...", out);
	return 0;
}

static bool exists(const char *dir, const char *name)
{
	char p[PATH_MAX + 64];
	struct stat st;

	if (snprintf(p, sizeof(p), "%s/%s", dir, name) >= (int)sizeof(p))
		return false;
	return stat(p, &st) == 0;
}

/* FNV-1a: a stable key for a tree's path, the same on every machine. */
static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

int ksrc_dirs(const struct kspec *k, char *cache, size_t clen, char *obj, size_t olen,
              struct err *e)
{
	char name[600];
	const char *base = strrchr(k->path, '/');
	int n;

	base = base && base[1] ? base + 1 : k->path;
	snprintf(name, sizeof(name), "builds/src-%.200s-%016llx", base,
	         (unsigned long long)fnv1a(k->path));
	for (char *c = name + 7; *c; c++)
		if (*c == '/' || *c == ' ')
			*c = '_';
	if (kspec_cache_path(name, cache, clen, e) < 0)
		return -1;
	if (k->moddir[0]) /* src:PATH:BUILDDIR */
		n = snprintf(obj, olen, "%s", k->moddir);
	else if (exists(k->path, ".config")) /* the user's own in-tree build */
		n = snprintf(obj, olen, "%s", k->path);
	else
		n = snprintf(obj, olen, "%s/obj", cache);
	if (n < 0 || (size_t)n >= olen)
		return err_set(e, ERR_INPUT, "build directory path too long");
	return 0;
}

/* Run make (or a script) with its output appended to @log; progress every
 * TICK_S seconds when @what is a build. */
static int run_logged(const char *const argv[], const char *log, const char *what, int limit_s,
                      bool ticks, struct err *e)
{
	double t0 = (clock_ms() / 1e3), next = t0 + TICK_S;
	int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644), status;
	pid_t pid, r;

	if (fd < 0)
		return err_sys(e, "opening %s", log);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fd);
		return err_sys(e, "fork");
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (null >= 0)
			dup2(null, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		execvp(argv[0], (char *const *)argv);
		dprintf(fd, "tcpconform: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(fd);
	setpgid(pid, pid);
	for (;;) {
		struct timespec nap = {0, 200 * 1000 * 1000};

		r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			kill(-pid, SIGKILL);
			return err_sys(e, "waiting for %s", argv[0]);
		}
		if ((clock_ms() / 1e3) - t0 > limit_s) {
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
			return err_set(e, ERR_ENV, "%s took over %d s: stopped (log: %s)", what,
			               limit_s, log);
		}
		if (ticks && (clock_ms() / 1e3) >= next) {
			fprintf(stderr, "tcpconform: %s: %.0f s\n", what, (clock_ms() / 1e3) - t0);
			next += TICK_S;
		}
		nanosleep(&nap, NULL);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	{
		size_t len;
		struct err e2;
		char *text = infile_read(log, 64u << 20, &len, &e2), first[400];

		ksrc_first_error(text ? text : "", text ? len : 0, first, sizeof(first));
		free(text);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			return err_set(e, ERR_ENV, "%s: cannot run %s (log: %s)", what, argv[0],
			               log);
		return err_set(e, ERR_ENV, "%s failed (%s %d)%s%s; full log: %s", what,
		               WIFEXITED(status) ? "exit" : "signal",
		               WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
		               first[0] ? ": " : "", first, log);
	}
}

const char *ksrc_first_error(const char *log, size_t len, char *buf, size_t blen)
{
	const char *p = log, *end = log + len, *make_err = NULL;
	size_t make_len = 0;

	buf[0] = '\0';
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);

		if ((memmem(p, n, ": error: ", 9) || memmem(p, n, ": fatal error: ", 15) ||
		     memmem(p, n, "undefined reference to", 22) ||
		     (n > 4 && !memcmp(p, "ld: ", 4))) &&
		    blen) {
			snprintf(buf, blen, "%.*s", (int)(n < blen ? n : blen - 1), p);
			return buf;
		}
		if (n > 6 && memmem(p, n, "] Error ", 8) && !make_err) {
			make_err = p;
			make_len = n;
		}
		p = nl ? nl + 1 : end;
	}
	if (make_err && blen)
		snprintf(buf, blen, "%.*s", (int)(make_len < blen ? make_len : blen - 1), make_err);
	return buf;
}

/* make -C SRC [O=OBJ] ARGS... */
static int make(const struct kspec *k, const char *obj, const char *log, const char *what,
                const char *const args[], int limit_s, bool ticks, struct err *e)
{
	char o[PATH_MAX + 8], jobs[32];
	const char *argv[KSRC_MAX_MAKE_ARGS + 8];
	int n = 0;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	snprintf(o, sizeof(o), "O=%s", obj);
	snprintf(jobs, sizeof(jobs), "-j%ld", cpus > 0 ? cpus : 1);
	argv[n++] = "make";
	argv[n++] = "-C";
	argv[n++] = k->path;
	if (strcmp(obj, k->path) != 0)
		argv[n++] = o;
	argv[n++] = jobs;
	while (*args && n < KSRC_MAX_MAKE_ARGS + 7)
		argv[n++] = *args++;
	argv[n] = NULL;
	return run_logged(argv, log, what, limit_s, ticks, e);
}

static int configure(const struct kspec *k, const char *obj, const char *log,
                     const char *const fragments[], struct err *e)
{
	const char *def[] = {"x86_64_defconfig", "kvm_guest.config", NULL};
	const char *m2y[] = {"mod2yesconfig", NULL};
	const char *old[] = {"olddefconfig", NULL};
	char script[PATH_MAX + 64], cfg[PATH_MAX + 16];
	const char *merge[12] = {script, "-m", "-O", obj, cfg};
	char names[2 * PATH_MAX] = "";
	double t0 = (clock_ms() / 1e3);
	int n = 5;

	for (int i = 0; fragments[i] && n < 11; i++) {
		size_t used = strlen(names);

		merge[n++] = fragments[i];
		snprintf(names + used, sizeof(names) - used, "%s%s", i ? " + " : "", fragments[i]);
	}
	merge[n] = NULL;
	fprintf(stderr,
	        "tcpconform: configuring %s in %s: x86_64_defconfig + kvm_guest.config + %s, "
	        "everything built in\n",
	        k->path, obj, names);
	snprintf(script, sizeof(script), "%s/scripts/kconfig/merge_config.sh", k->path);
	snprintf(cfg, sizeof(cfg), "%s/.config", obj);
	if (make(k, obj, log, "make x86_64_defconfig kvm_guest.config", def, CONFIG_LIMIT_S, false,
	         e) < 0 ||
	    run_logged(merge, log, "merge_config.sh", CONFIG_LIMIT_S, false, e) < 0 ||
	    make(k, obj, log, "make mod2yesconfig", m2y, CONFIG_LIMIT_S, false, e) < 0 ||
	    make(k, obj, log, "make olddefconfig", old, CONFIG_LIMIT_S, false, e) < 0) {
		unlink(cfg); /* half a configuration: start again next time */
		return -1;
	}
	fprintf(stderr, "tcpconform: configured in %.1f s\n", (clock_ms() / 1e3) - t0);
	return 0;
}

static int read_config(const char *obj, struct kconfig *kc, struct err *e)
{
	char path[PATH_MAX + 16];

	if (fit(path, sizeof(path), e, "%s/.config", obj) < 0)
		return -1;
	return kconfig_load(path, kc, e);
}

static void read_release(const char *obj, char *out, size_t len)
{
	char path[PATH_MAX + 48];
	FILE *fp;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/include/config/kernel.release", obj);
	fp = fopen(path, "re");
	if (!fp)
		return;
	if (fgets(out, (int)len, fp))
		out[strcspn(out, "\n")] = '\0';
	fclose(fp);
}

/* Configure @obj from @fragments when it has no .config (@ours: a build
 * of tcpconform's own), check @frag, make bzImage with @vars. */
static int build_in(const struct kspec *k, const char *obj, const char *log,
                    const char *const fragments[], const char *fragment_path,
                    const struct kfrag *frag, const char *const vars[], bool ours,
                    struct kernel *kn, struct err *e)
{
	char missing[2048], what[128];
	const char *bz[KSRC_MAX_MAKE_ARGS + 2];
	struct kconfig kc;
	double t0;
	int n = 0;

	bz[n++] = "bzImage";
	for (; vars && *vars && n <= KSRC_MAX_MAKE_ARGS; vars++)
		bz[n++] = *vars;
	bz[n] = NULL;
	if (!exists(obj, ".config")) {
		if (!ours)
			return err_set(e, ERR_INPUT,
			               "%s has no .config: configure it, or use src:%s "
			               "alone and tcpconform configures a build of its own",
			               obj, k->path);
		if (configure(k, obj, log, fragments, e) < 0)
			return -1;
	}
	if (read_config(obj, &kc, e) < 0)
		return -1;
	if (kfrag_blocking(frag, &kc, false, true, missing, sizeof(missing))) {
		kconfig_free(&kc);
		return err_set(e, ERR_ENV,
		               "%s/.config lacks what the catalogue needs: %s; merge %s into it "
		               "(scripts/kconfig/merge_config.sh), built in (=y)",
		               obj, missing, fragment_path);
	}
	kconfig_free(&kc);
	t0 = (clock_ms() / 1e3);
	snprintf(what, sizeof(what), "building bzImage (make -j%ld)",
	         sysconf(_SC_NPROCESSORS_ONLN));
	fprintf(stderr, "tcpconform: %s in %s; log: %s\n", what, obj, log);
	if (make(k, obj, log, what, bz, BUILD_LIMIT_S, true, e) < 0)
		return -1;
	memset(kn, 0, sizeof(*kn));
	if (fit(kn->image, sizeof(kn->image), e, "%s/arch/x86/boot/bzImage", obj) < 0 ||
	    fit(kn->config, sizeof(kn->config), e, "%s/.config", obj) < 0)
		return -1;
	read_release(obj, kn->release, sizeof(kn->release));
	snprintf(kn->origin, sizeof(kn->origin), "%.200s built in %.200s", k->path, obj);
	if (!exists(obj, "arch/x86/boot/bzImage"))
		return err_set(e, ERR_ENV, "make bzImage left no %s (log: %s)", kn->image, log);
	fprintf(stderr, "tcpconform: built %s in %.1f s\n",
	        kn->release[0] ? kn->release : "the kernel", (clock_ms() / 1e3) - t0);
	return 0;
}

int ksrc_build(const struct kspec *k, const char *fragment_path, const struct kfrag *frag,
               struct kernel *kn, struct err *e)
{
	char cache[PATH_MAX], obj[PATH_MAX], log[PATH_MAX + 16];
	const char *fragments[] = {fragment_path, NULL};

	if (ksrc_dirs(k, cache, sizeof(cache), obj, sizeof(obj), e) < 0 ||
	    dirs_make(cache, e) < 0 || dirs_make(obj, e) < 0 ||
	    fit(log, sizeof(log), e, "%s/build.log", cache) < 0)
		return -1;
	return build_in(k, obj, log, fragments, fragment_path, frag, NULL,
	                !k->moddir[0] && strcmp(obj, k->path) != 0, kn, e);
}

int ksrc_build_gcov(const struct kspec *k, const char *fragment_path, const struct kfrag *frag,
                    const char *gcov_fragment, const char *const objs[], struct kernel *kn,
                    char *obj, size_t olen, struct err *e)
{
	char cache[PATH_MAX], log[PATH_MAX + 16], vars[KSRC_MAX_MAKE_ARGS][96];
	const char *fragments[] = {fragment_path, gcov_fragment, NULL};
	const char *v[KSRC_MAX_MAKE_ARGS + 1];
	size_t n = 0;

	if (ksrc_dirs(k, cache, sizeof(cache), obj, olen, e) < 0 ||
	    fit(obj, olen, e, "%s/obj-gcov", cache) < 0 ||
	    fit(log, sizeof(log), e, "%s/build-gcov.log", cache) < 0 || dirs_make(cache, e) < 0 ||
	    dirs_make(obj, e) < 0)
		return -1;
	for (; objs && objs[n]; n++) {
		if (n == KSRC_MAX_MAKE_ARGS)
			return err_set(e, ERR_INPUT, "more than %d files to profile",
			               KSRC_MAX_MAKE_ARGS);
		/* scripts/Makefile.lib: GCOV_PROFILE_<basetarget>.o=y */
		if (fit(vars[n], sizeof(vars[n]), e, "GCOV_PROFILE_%s=y", objs[n]) < 0)
			return -1;
		v[n] = vars[n];
	}
	v[n] = NULL;
	return build_in(k, obj, log, fragments, fragment_path, frag, v, true, kn, e);
}
