// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench_mutants.c - `tcpconform bench mutants src:PATH`: how much of the
 * connection-lifecycle code the catalogue really checks, as a mutation
 * score.
 *
 * For each mutant (mutant.h) of the scope, in a uniform sample or all:
 *   1. build: in a child in a private mount namespace, the tree and the
 *      (already built, unmutated) build directory are each covered by an
 *      overlay at their own paths, so kbuild sees the same paths and
 *      rebuilds only the mutated file and the link; the mutated file is
 *      written into the overlay; the user's tree and the baseline build are
 *      never written;
 *   2. run: `tcpconform vm --kernel IMAGE` on it, its progress lines read as
 *      they come; the first variant whose verdict differs from the
 *      unmutated kernel's stops the guest; it kills the mutant when, run
 *      again alone, it differs again on the mutant and not on the
 *      unmutated kernel (the control: a variant flaky under the emulator
 *      differs on both);
 *   3. a run that ends without a changed variant is compared check by check
 *      (summary.h); a panic, a failed boot or a hang is run again: when it
 *      comes back and the panic's call trace names the mutated function, or
 *      the unmutated kernel never showed one in as many runs, it is a kill
 *      by crash; otherwise a suspect, listed apart.
 * The state is DIR/mutants.json, rewritten after every mutant: a run
 * interrupted goes on where it stopped.  DIR/mutants.html shows it.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/afile.h"
#include "base/clock.h"
#include "base/dirs.h"
#include "base/infile.h"
#include "base/num.h"
#include "base/text.h"
#include "bench/bench.h"
#include "bench/ctoken.h"
#include "bench/gcov.h"
#include "bench/mutant.h"
#include "model/kconfig.h"
#include "model/scenario.h"
#include "out/summary.h"
#include "run/catalogue.h"
#include "vm/kspec.h"
#include "vm/ksrc.h"

#define BUILD_LIMIT_S 1800 /* an incremental build here: ~16 s */
/* A guest run's limit (a hang costs it): at least RUN_LIMIT_S, and twice
 * the catalogue's time on the unmutated kernel plus BOOT_ALLOWANCE_S, so
 * that a catalogue that grew (774 variants took ~380 s under TCG on 2
 * cores) is not cut short; the unmutated kernel's own runs get
 * BASELINE_LIMIT_S. */
#define RUN_LIMIT_S      300
#define BOOT_ALLOWANCE_S 60
#define BASELINE_LIMIT_S 1800

struct mrun {
	struct bench_mutants_config o; /* for kernel-loop: spec, k, outdir */
	char fixtures[4096];
	char obj[PATH_MAX], cache[PATH_MAX];
	/* The vm step: `self vm --timeout LIMIT ...` (vm_program()). */
	char self[PATH_MAX];
	int run_limit_s;
	char run_limit_str[16];
	bool run_limit_fixed; /* TCPCONFORM_BENCH_RUN_LIMIT_S: the same for every run */
	char dir[PATH_MAX];
	struct mutants all;
	size_t *pick, npick;
	struct mutant_result *res; /* per picked mutant */
	/* summary.json of each run of the unmutated kernel: a mutant changes a
	 * verdict only when no baseline run showed it (TCG timing slips). */
	struct summary base[BENCH_MAX_BASELINE_RUNS];
	unsigned nbase;
	unsigned baseline_crashes, baseline_runs;
	double t0;
	/* The catalogue's cases, in the order the guest starts them: those that
	 * killed most mutants so far first (a mutant costs its time to the
	 * first changed verdict), then the slowest; those --first names
	 * before them all. */
	struct mcase {
		char name[64];
		unsigned timeout_ms, kills;
		bool first;
	} * cases;
	size_t ncases;
	/* The catalogue's fingerprint (its cases' and tables' bytes): a run
	 * resumed on another catalogue would mix two measurements. */
	char catalogue[32];
	/* bench kernel-loop CASE...: the cases a developer's loop runs */
	char *const *loop_cases;
	size_t nloop_cases;
	/* --reach: each point's line count (index of @all), REACH_UNKNOWN when
	 * reach.json does not name it, GCOV_NO_CODE without a line record. */
	long *reach;
	/* The scope's files (paths in the tree) that have mutation points. */
	char (*paths)[128];
	size_t npaths;
};

/* FNV-1a, 64 bits, over @n bytes, from @h. */
static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* @h with the file at @path (its name, then its bytes, or a marker when it
 * cannot be read: a table that is absent is part of the catalogue too). */
static uint64_t fnv1a_file(uint64_t h, const char *path)
{
	const char *base = strrchr(path, '/');
	struct err e;
	size_t len;
	char *text;

	base = base ? base + 1 : path;
	h = fnv1a(h, base, strlen(base) + 1);
	text = infile_read(path, 8u << 20, &len, &e);
	if (!text)
		return fnv1a(h, "\0absent", 8);
	h = fnv1a(h, text, len);
	free(text);
	return h;
}

/* The catalogue's case names and time limits. */
static int load_cases(struct mrun *r, struct err *e)
{
	struct catalogue cat;
	uint64_t fp = 0xcbf29ce484222325ULL;

	if (catalogue_find(&cat, NULL, 0, e) < 0)
		return -1;
	r->cases = calloc(cat.n ? cat.n : 1, sizeof(*r->cases));
	if (!r->cases) {
		catalogue_free(&cat);
		return err_set(e, ERR_SYSTEM, "out of memory");
	}
	for (size_t i = 0; i < cat.n; i++) {
		struct scenario sc;

		if (scenario_load(cat.paths[i], &sc, e) < 0) {
			catalogue_free(&cat);
			return -1;
		}
		text_copy(r->cases[r->ncases].name, sizeof(r->cases[0].name), sc.name);
		r->cases[r->ncases++].timeout_ms = sc.timeout_set ? sc.timeout_ms : 0;
		{
			char table[4200];

			catalogue_table_path(&cat, sc.name, table, sizeof(table));
			fp = fnv1a_file(fnv1a_file(fp, cat.paths[i]), table);
		}
		scenario_free(&sc);
	}
	catalogue_free(&cat);
	snprintf(r->catalogue, sizeof(r->catalogue), "fnv1a64:%016llx", (unsigned long long)fp);
	return 0;
}

static int cmp_case(const void *a, const void *b)
{
	const struct mcase *x = a, *y = b;

	if (x->first != y->first)
		return x->first ? -1 : 1;
	if (x->kills != y->kills)
		return x->kills > y->kills ? -1 : 1;
	if (x->timeout_ms != y->timeout_ms)
		return x->timeout_ms > y->timeout_ms ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* --first CASE,...: each a case of the catalogue, marked to start first. */
static int mark_first(struct mrun *r, const char *list, struct err *e)
{
	const char *p = list;

	while (p && *p) {
		size_t n = strcspn(p, ",");
		size_t i;

		for (i = 0; i < r->ncases; i++)
			if (strlen(r->cases[i].name) == n && strncmp(r->cases[i].name, p, n) == 0)
				break;
		if (i == r->ncases)
			return err_set(e, ERR_INPUT, "--first: no case '%.*s' in the catalogue",
			               (int)(n < 64 ? n : 64), p);
		r->cases[i].first = true;
		p += n + (p[n] == ',');
	}
	return 0;
}

/* A killed mutant's detail starts with the case that killed it. */
static void count_kill(struct mrun *r, const char *detail)
{
	for (size_t i = 0; i < r->ncases; i++) {
		size_t n = strlen(r->cases[i].name);

		if (strncmp(detail, r->cases[i].name, n) == 0 && detail[n] == ' ') {
			r->cases[i].kills++;
			qsort(r->cases, r->ncases, sizeof(*r->cases), cmp_case);
			return;
		}
	}
}

/* @dir made absolute (the build child works from the build directory). */
static int absolute(char *dir, size_t len, struct err *e)
{
	char real[PATH_MAX];

	if (!realpath(dir, real))
		return err_sys(e, "%s", dir);
	if (strlen(real) >= len || strlen(real) > PATH_MAX - 300)
		return err_set(e, ERR_INPUT, "%s: path too long", real);
	strcpy(dir, real);
	return 0;
}

/* The program run for the vm step and its time limit: this binary and
 * BASELINE_LIMIT_S until the baseline sets the mutants' (set_run_limit()),
 * or, for tests/test_mutant.c (README names them as test hooks),
 * TCPCONFORM_BENCH_VM (a stand-in for `tcpconform vm`, given the same
 * arguments) and TCPCONFORM_BENCH_RUN_LIMIT_S (1 to 3600, for every run). */
static int vm_program(struct mrun *r, struct err *e)
{
	const char *vm = getenv("TCPCONFORM_BENCH_VM"),
	           *lim = getenv("TCPCONFORM_BENCH_RUN_LIMIT_S");
	long long s = BASELINE_LIMIT_S;
	ssize_t n;

	if (vm && *vm) {
		if (strlen(vm) >= sizeof(r->self))
			return err_set(e, ERR_INPUT, "TCPCONFORM_BENCH_VM: path too long");
		strcpy(r->self, vm);
	} else {
		n = readlink("/proc/self/exe", r->self, sizeof(r->self) - 1);
		if (n < 0)
			return err_sys(e, "readlink /proc/self/exe");
		r->self[n] = '\0';
	}
	if (lim && num_int(lim, strlen(lim), 1, 3600, &s, NULL) != NUM_OK)
		return err_set(
		    e, ERR_INPUT,
		    "TCPCONFORM_BENCH_RUN_LIMIT_S: '%.20s' is not a number of seconds, 1 "
		    "to 3600",
		    lim);
	r->run_limit_fixed = lim != NULL;
	r->run_limit_s = (int)s;
	snprintf(r->run_limit_str, sizeof(r->run_limit_str), "%d", r->run_limit_s);
	return 0;
}

/* The mutants' run limit from the unmutated kernel's runs: twice its
 * slowest catalogue (summary.json wall_ms) plus the boot, at least
 * RUN_LIMIT_S. */
static void set_run_limit(struct mrun *r)
{
	double slowest = 0;

	if (r->run_limit_fixed)
		return;
	for (unsigned i = 0; i < r->nbase; i++) {
		double ms = json_number_value(json_object_get(r->base[i].root, "wall_ms"));

		if (ms > slowest)
			slowest = ms;
	}
	r->run_limit_s = (int)(2 * slowest / 1e3) + BOOT_ALLOWANCE_S;
	if (r->run_limit_s < RUN_LIMIT_S)
		r->run_limit_s = RUN_LIMIT_S;
	if (r->run_limit_s > BASELINE_LIMIT_S)
		r->run_limit_s = BASELINE_LIMIT_S;
	snprintf(r->run_limit_str, sizeof(r->run_limit_str), "%d", r->run_limit_s);
}

/* ---- the scope ---- */

static int fixtures_dir(char *out, size_t len, struct err *e)
{
	struct catalogue cat;
	int r;

	if (catalogue_find(&cat, NULL, 0, e) < 0)
		return -1;
	r = catalogue_fixture_path(&cat, ".", out, len);
	catalogue_free(&cat);
	if (r < 0)
		return err_set(e, ERR_INPUT, "fixtures path too long");
	out[strlen(out) - 2] = '\0'; /* "/." */
	return 0;
}

static bool in_list(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p && *p;) {
		const char *c = strchr(p, ',');
		size_t l = c ? (size_t)(c - p) : strlen(p);

		if (l == n && strncmp(p, name, n) == 0)
			return true;
		p = c ? c + 1 : NULL;
	}
	return false;
}

/* Mutants of one file of the tree: @funcs (nfuncs 0: all; --functions
 * filters). */
static int file_mutants(struct mrun *r, const struct mscope_file *f, struct err *e)
{
	char path[PATH_MAX + 200], *text;
	const char *fn[MSCOPE_FUNCS + 1];
	struct ctoks toks;
	size_t len, n = 0;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", r->o.k.path, f->path);
	text = infile_read(path, 8u << 20, &len, e);
	if (!text)
		return -1;
	if (ctoken_lex(text, len, path, &toks, e) < 0) {
		free(text);
		return -1;
	}
	for (unsigned i = 0; i < f->nfuncs; i++) {
		if (r->o.functions && !in_list(r->o.functions, f->funcs[i]))
			continue;
		if (mutant_has_function(text, &toks, f->funcs[i]) != 1) {
			ctoken_free(&toks);
			free(text);
			return err_set(e, ERR_INPUT, "%s has no function %s (scope line %u)", path,
			               f->funcs[i], f->line);
		}
		fn[n++] = f->funcs[i];
	}
	fn[n] = NULL;
	rc = 0;
	if (n || !f->nfuncs) {
		size_t before = r->all.n;

		rc = mutant_find(text, len, &toks, f->path, n ? fn : NULL, &r->all, e);
		if (rc == 0 && r->all.n > before) {
			char(*np)[128] = realloc(r->paths, (r->npaths + 1) * sizeof(*r->paths));

			if (!np) {
				rc = err_set(e, ERR_SYSTEM, "out of memory");
			} else {
				r->paths = np;
				text_copy(r->paths[r->npaths++], sizeof(*r->paths), f->path);
			}
		}
	}
	ctoken_free(&toks);
	free(text);
	return rc;
}

static int enumerate(struct mrun *r, struct err *e)
{
	char path[4200];
	struct mscope sc = {0};
	size_t len;
	char *text;
	int rc = 0;

	if (r->o.files) {
		for (const char *p = r->o.files; p && *p && rc == 0;) {
			const char *c = strchr(p, ',');
			struct mscope_file f = {0};
			size_t l = c ? (size_t)(c - p) : strlen(p);

			if (l >= sizeof(f.path))
				return err_set(e, ERR_INPUT, "--files: name too long");
			memcpy(f.path, p, l);
			rc = file_mutants(r, &f, e);
			p = c ? c + 1 : NULL;
		}
		return rc;
	}
	snprintf(path, sizeof(path), "%s/mutants/scope", r->fixtures);
	text = infile_read(path, 1u << 20, &len, e);
	if (!text)
		return -1;
	rc = mscope_parse(text, len, path, &sc, e);
	free(text);
	for (size_t i = 0; rc == 0 && i < sc.n; i++)
		rc = file_mutants(r, &sc.files[i], e);
	if (rc == 0 && r->o.functions) /* every name asked for was found */
		for (const char *p = r->o.functions; p && *p;) {
			const char *c = strchr(p, ',');
			size_t l = c ? (size_t)(c - p) : strlen(p);
			bool found = false;

			for (size_t i = 0; i < r->all.n && !found; i++)
				found = strlen(r->all.m[i].function) == l &&
				        strncmp(r->all.m[i].function, p, l) == 0;
			if (!found) {
				rc = err_set(
				    e, ERR_INPUT,
				    "--functions: '%.*s' is not in the scope (%s), or has no "
				    "mutation point",
				    (int)l, p, path);
				break;
			}
			p = c ? c + 1 : NULL;
		}
	mscope_free(&sc);
	return rc;
}

static void print_list(const struct mrun *r)
{
	unsigned per_op[MOP_COUNT] = {0};
	const char *last = "";
	unsigned nf = 0;

	for (size_t i = 0; i < r->all.n; i++) {
		const struct mutant *m = &r->all.m[i];

		per_op[m->op]++;
		if (strcmp(m->function, last) != 0) {
			if (*last)
				printf(" %u\n", nf);
			printf("%-24s %-32s", m->file, m->function);
			last = m->function;
			nf = 0;
		}
		nf++;
	}
	if (*last)
		printf(" %u\n", nf);
	printf("mutants=%zu", r->all.n);
	for (int op = 0; op < MOP_COUNT; op++)
		printf(" %s=%u", mutant_op_name(op), per_op[op]);
	printf("\n");
}

/* ---- building one mutant in an overlay ---- */

/* Run a tool (cp, rm) to its end: its exit status, -1 when it could not. */
static int run_tool(const char *const argv[])
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int mount_overlay(const char *over, const char *work, const char *tag)
{
	char up[PATH_MAX + 32], wk[PATH_MAX + 32], opts[3 * PATH_MAX + 64];

	snprintf(up, sizeof(up), "%s/%s-up", work, tag);
	snprintf(wk, sizeof(wk), "%s/%s-work", work, tag);
	if ((mkdir(up, 0755) < 0 && errno != EEXIST) || (mkdir(wk, 0755) < 0 && errno != EEXIST))
		return -1;
	snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s", over, up, wk);
	return mount("overlay", over, "overlay", 0, opts);
}

/* The child: private mounts, overlays, the mutated file, make, the image
 * copied out.  Exit 0 built, 1 make failed, 2 set-up failed. */
static void build_child(const struct mrun *r, const char *work, const struct mutant *m,
                        const char *text, size_t len)
{
	char file[PATH_MAX + 200], log[PATH_MAX + 32], jobs[32];
	char o[PATH_MAX + 8];
	FILE *fp;
	int fd, status;
	pid_t pid;

	snprintf(log, sizeof(log), "%s/build.log", work);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		_exit(2);
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount_overlay(r->o.k.path, work, "src") < 0 ||
	    (strcmp(r->obj, r->o.k.path) != 0 && mount_overlay(r->obj, work, "obj") < 0)) {
		dprintf(fd, "tcpconform: overlay set-up: %s\n", strerror(errno));
		_exit(2);
	}
	snprintf(file, sizeof(file), "%s/%s", r->o.k.path, m->file);
	fp = fopen(file, "we");
	if (!fp || fwrite(text, 1, len, fp) != len || fclose(fp) != 0) {
		dprintf(fd, "tcpconform: writing %s: %s\n", file, strerror(errno));
		_exit(2);
	}
	snprintf(jobs, sizeof(jobs), "-j%ld", sysconf(_SC_NPROCESSORS_ONLN));
	snprintf(o, sizeof(o), "O=%s", r->obj);
	pid = fork();
	if (pid == 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (strcmp(r->obj, r->o.k.path) != 0)
			execlp("make", "make", "-C", r->o.k.path, o, jobs, "bzImage", (char *)NULL);
		else
			execlp("make", "make", "-C", r->o.k.path, jobs, "bzImage", (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		_exit(2);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		_exit(1);
	/* The image and its .config laid out as in a build directory, so that
	 * tcpconform vm checks the configuration. */
	snprintf(file, sizeof(file), "%s/image", work);
	if (mkdir(file, 0755) < 0 || chdir(r->obj) < 0)
		_exit(2);
	{
		const char *const cp[] = {"cp",      "--parents", "arch/x86/boot/bzImage",
		                          ".config", file,        NULL};

		if (run_tool(cp) != 0)
			_exit(2);
	}
	_exit(0);
}

/* Wait for @pid at most @limit_s; kill its group past that. */
static int wait_bounded(pid_t pid, int limit_s, int *status)
{
	double t0 = clock_ms();

	for (;;) {
		pid_t w = waitpid(pid, status, WNOHANG);
		struct timespec nap = {0, 100 * 1000 * 1000};

		if (w == pid)
			return 0;
		if (w < 0 && errno != EINTR)
			return -1;
		if (clock_ms() - t0 > limit_s * 1e3) {
			kill(-pid, SIGKILL);
			waitpid(pid, status, 0);
			return 1;
		}
		nanosleep(&nap, NULL);
	}
}

static int build_mutant(const struct mrun *r, const char *work, const struct mutant *m,
                        struct mutant_result *res, struct err *e)
{
	char file[PATH_MAX + 200], log[PATH_MAX + 32], first[400], *text, *mut, *logtext;
	size_t len, mlen, loglen;
	int status, t;
	pid_t pid;

	snprintf(file, sizeof(file), "%s/%s", r->o.k.path, m->file);
	text = infile_read(file, 8u << 20, &len, e);
	if (!text)
		return -1;
	mut = mutant_apply(text, len, m, &mlen);
	free(text);
	if (!mut)
		return err_set(e, ERR_SYSTEM, "out of memory");
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		free(mut);
		return err_sys(e, "fork");
	}
	if (pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		build_child(r, work, m, mut, mlen);
	}
	setpgid(pid, pid);
	free(mut);
	t = wait_bounded(pid, BUILD_LIMIT_S, &status);
	snprintf(log, sizeof(log), "%s/build.log", work);
	if (t != 0)
		return err_set(e, ERR_ENV, "the build of %s took over %d s (log: %s)", m->id,
		               BUILD_LIMIT_S, log);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	logtext = infile_read(log, 64u << 20, &loglen, e);
	ksrc_first_error(logtext ? logtext : "", logtext ? loglen : 0, first, sizeof(first));
	free(logtext);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 1) {
		res->outcome = MO_NOT_COMPILED;
		snprintf(res->detail, sizeof(res->detail), "%s", first);
		return 0;
	}
	return err_set(e, ERR_ENV, "building %s: the overlay build could not start (log: %s)",
	               m->id, log);
}

/* ---- running the catalogue on a kernel ---- */

/* "[12/120] CASE VARIANT ... VERDICT 0.3s[: WHY]": case, variant, verdict
 * and why (a failing check, "" when none is said). */
static bool progress_line(char *line, char **cs, char **var, char **verdict, char **why)
{
	char *p, *dots;

	*why = "";
	if (line[0] != '[' || !(p = strstr(line, "] ")) || !(dots = strstr(p, " ... ")))
		return false;
	*dots = '\0';
	*cs = p + 2;
	p = strchr(*cs, ' ');
	if (!p)
		return false;
	*p = '\0';
	*var = p + 1;
	*verdict = dots + 5;
	p = strchr(*verdict, ' ');
	if (p) {
		char *colon = strstr(p + 1, ": ");

		*p = '\0';
		if (colon)
			*why = colon + 2;
	}
	return **cs && **var && **verdict;
}

struct guest_run {
	int status;   /* the vm command's exit status; -1 killed */
	bool changed; /* stopped at a changed variant */
	bool timed_out;
	bool crashed;      /* a panic, a failed boot, a guest that stopped or hung */
	bool guest_rc;     /* tcpconform run in the guest exited 2 or 3 */
	char detail[512];  /* the first changed variant: "CASE VARIANT: verdict, ..." */
	char failure[512]; /* why vm exited 3: the crash, hang or guest run failure */
};

/* What the vm command's log says about a run that exited 3. */
static void classify(const char *log, struct guest_run *g)
{
	struct err e;
	size_t len;
	char *text = infile_read(log, 16u << 20, &len, &e);
	enum vm_failure f;

	if (!text)
		return;
	f = mutant_vm_failure(text, g->failure, sizeof(g->failure));
	g->crashed = f == VMF_CRASH;
	g->guest_rc = f == VMF_GUEST_RUN;
	free(text);
}

/* How run_guest() follows the guest's progress lines. */
enum watch {
	WATCH_NONE, /* the unmutated kernel: nothing to compare with */
	WATCH_STOP, /* stop the guest at the first variant that changed */
	WATCH_FULL, /* note the first change, let the catalogue finish */
};

/* The lines of a pipe, read with a deadline: a vm that prints nothing
 * more (a guest hung in silence) must not hold the bench past its limit. */
struct lines {
	int fd;
	size_t have;
	bool eof;
	char buf[4096];
};

/* The next line of @l into @line, without its newline (a longer line than
 * the buffer comes in pieces): 1; 0 at the end of the stream; -1 when the
 * clock (clock_ms()) passes @deadline_ms first. */
static int next_line(struct lines *l, char *line, size_t len, double deadline_ms)
{
	for (;;) {
		char *nl = memchr(l->buf, '\n', l->have);
		struct pollfd p = {.fd = l->fd, .events = POLLIN};
		double left;
		ssize_t got;
		int pr;

		if (nl || (l->have && (l->eof || l->have == sizeof(l->buf)))) {
			size_t n = nl ? (size_t)(nl - l->buf) : l->have;

			snprintf(line, len, "%.*s", (int)n, l->buf);
			n += nl != NULL;
			memmove(l->buf, l->buf + n, l->have - n);
			l->have -= n;
			return 1;
		}
		if (l->eof)
			return 0;
		left = deadline_ms - clock_ms();
		if (left <= 0)
			return -1;
		pr = poll(&p, 1, left > 1000 ? 1000 : (int)left + 1);
		if (pr < 0 && errno != EINTR)
			l->eof = true;
		if (pr <= 0)
			continue;
		got = read(l->fd, l->buf + l->have, sizeof(l->buf) - l->have);
		if (got < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (got <= 0)
			l->eof = true;
		else
			l->have += (size_t)got;
	}
}

/* The argv of a guest run (run_guest()), NULL-terminated, in one
 * allocation (the strings are @r's and the caller's); NULL when out of
 * memory. */
static const char **guest_argv(const struct mrun *r, const char *spec, const char *out,
                               enum watch watch, const char *only, const char *only_variant)
{
	/* --timeout: the guest's run ends at our limit (a mutant that hangs a
	 * variant and prints nothing more cannot hold us longer);
	 * --stop-on-stall: a mutant that stalls a CPU is broken (not 305 s
	 * more); --panic-on-warn: a kernel warning (WARN_ON(), refcount_t) is
	 * the kernel finding a broken invariant, a crash tied to the mutant as
	 * a panic is (the unmutated kernel runs with it too); --rerun-slipped
	 * 0: the bench confirms a kill itself, alone, on the mutant and on the
	 * unmutated kernel, and a guest's own reruns would triple that cost */
	const char *const head[] = {"tcpconform",
	                            "vm",
	                            "--timeout",
	                            r->run_limit_str,
	                            "--kernel",
	                            spec,
	                            "--stop-on-stall",
	                            "--panic-on-warn",
	                            "--rerun-slipped",
	                            "0",
	                            "-o",
	                            out};
	const size_t nhead = sizeof(head) / sizeof(head[0]);
	/* a kill seen once, run again to confirm it: [--variant V] CASE; a
	 * mutant: --in-order and the likeliest killers first; else the loop's
	 * cases (none: the whole catalogue) */
	bool ordered = !only && watch != WATCH_NONE && r->ncases;
	size_t ntail = only ? 3 : ordered ? 1 + r->ncases : r->nloop_cases;
	const char **argv = calloc(nhead + ntail + 1, sizeof(*argv));
	size_t n = nhead, i;

	if (!argv)
		return NULL;
	memcpy(argv, head, sizeof(head));
	if (only) {
		if (only_variant) {
			argv[n++] = "--variant";
			argv[n++] = only_variant;
		}
		argv[n++] = only;
	} else if (ordered) {
		argv[n++] = "--in-order";
		for (i = 0; i < r->ncases; i++)
			argv[n++] = r->cases[i].name;
	} else {
		for (i = 0; i < r->nloop_cases; i++)
			argv[n++] = r->loop_cases[i];
	}
	argv[n] = NULL;
	return argv;
}

/* `tcpconform vm --kernel @image -o @out`, its progress compared with the
 * baseline as @watch says. */
static int run_guest(const struct mrun *r, const char *image, const char *out, enum watch watch,
                     const char *only, const char *only_variant, struct guest_run *g, struct err *e)
{
	char spec[PATH_MAX + 8], log[PATH_MAX + 16], line[4096];
	const char **argv;
	int pfd[2], status = 0, got;
	double t0 = clock_ms();
	struct lines *lines;
	pid_t pid;

	memset(g, 0, sizeof(*g));
	snprintf(spec, sizeof(spec), "%s", image);
	snprintf(log, sizeof(log), "%s.log", out);
	if (!(argv = guest_argv(r, spec, out, watch, only, only_variant)))
		return err_set(e, ERR_SYSTEM, "out of memory");
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		free(argv);
		return err_sys(e, "pipe");
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		free(argv);
		close(pfd[0]);
		close(pfd[1]);
		return err_sys(e, "fork");
	}
	if (pid == 0) {
		int lfd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644);

		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(pfd[1], STDOUT_FILENO);
		if (lfd >= 0)
			dup2(lfd, STDERR_FILENO);
		execv(r->self, (char *const *)argv);
		_exit(127);
	}
	free(argv);
	setpgid(pid, pid);
	close(pfd[1]);
	lines = calloc(1, sizeof(*lines));
	if (!lines) {
		kill(-pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(pfd[0]);
		return err_set(e, ERR_SYSTEM, "out of memory");
	}
	lines->fd = pfd[0];
	while ((got = next_line(lines, line, sizeof(line), t0 + r->run_limit_s * 1e3)) != 0) {
		char *cs, *var, *verdict, *why;
		json_t *bv;

		if (got < 0 || clock_ms() - t0 > r->run_limit_s * 1e3) {
			g->timed_out = true;
			break;
		}
		if (watch == WATCH_NONE || g->changed ||
		    !progress_line(line, &cs, &var, &verdict, &why))
			continue;
		/* Only a failure detects the mutant: a pass where an unmutated
		 * run failed is that run's slip (or a known disagreement the
		 * mutant happens to mend), not a kill. */
		if (strcmp(verdict, "pass") == 0)
			continue;
		bv = NULL;
		for (unsigned b = 0; b < r->nbase; b++) {
			json_t *v = summary_variant(&r->base[b], cs, var);

			if (v && strcmp(summary_str(v, "verdict"), verdict) == 0)
				break; /* an unmutated run showed it too */
			bv = v ? v : bv;
			if (b + 1 == r->nbase) {
				snprintf(g->detail, sizeof(g->detail),
				         "%s %s: %s%s%.200s%s, unmutated %s", cs, var, verdict,
				         why[0] ? " (" : "", why, why[0] ? ")" : "",
				         bv ? summary_str(bv, "verdict") : "absent");
				g->changed = true;
			}
		}
		if (g->changed && watch == WATCH_STOP)
			break;
	}
	if ((g->changed && watch == WATCH_STOP) || g->timed_out) {
		kill(-pid, SIGTERM); /* vm stops its guest and exits */
		if (wait_bounded(pid, 20, &status) != 0)
			status = 0;
		g->status = -1;
	} else {
		if (wait_bounded(pid, 60, &status) != 0)
			g->timed_out = true;
		g->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	}
	free(lines);
	close(pfd[0]);
	if (!(g->changed && watch == WATCH_STOP) &&
	    (g->timed_out || (g->status != 0 && g->status != 1))) {
		classify(log, g);
		if (g->timed_out)
			g->crashed = true;
		else if (!g->crashed && !g->guest_rc)
			return err_set(e, ERR_ENV,
			               "tcpconform vm could not run the kernel: %s (log: %s)",
			               g->failure, log);
	}
	return 0;
}

/* Changed variants, at most this many confirmed per attempt: the first
 * to change may be a timing check that slipped once under load while a
 * later one is the mutant's real effect. */
#define MAX_SEEN  3
#define MAX_DIFFS 64 /* differing variants of one run ranked for MAX_SEEN */

struct seen {
	size_t n;
	char detail[MAX_SEEN][512]; /* "CASE VARIANT CHECK: verdict (observed), unmutated ..." */
};

/* The variant an entry names: "CASE VARIANT: verdict ..." (a progress
 * line's change) or "CASE VARIANT CHECK: ..." (a check's), so that both
 * forms of one variant are the same variant.  false when it names none. */
static bool seen_variant(const char *detail, char cs[64], char var[256])
{
	size_t n;

	if (sscanf(detail, "%63s %255s", cs, var) != 2)
		return false;
	n = strlen(var);
	if (n && var[n - 1] == ':')
		var[n - 1] = '\0';
	return true;
}

/* Does @s hold variant @cs @var? */
static bool seen_has(const struct seen *s, const char *cs, const char *var)
{
	char c2[64], v2[256];

	for (size_t i = 0; s && i < s->n; i++)
		if (seen_variant(s->detail[i], c2, v2) && strcmp(cs, c2) == 0 &&
		    strcmp(var, v2) == 0)
			return true;
	return false;
}

/* Add @detail to @s unless its variant is there already, is in @skip
 * (seen to change once and not again in an earlier attempt), or @s is
 * full. */
static void seen_add(struct seen *s, const char *detail, const struct seen *skip)
{
	char cs[64], var[256];

	if (s->n >= MAX_SEEN || !seen_variant(detail, cs, var))
		return;
	if (seen_has(s, cs, var) || seen_has(skip, cs, var))
		return;
	snprintf(s->detail[s->n++], sizeof(s->detail[0]), "%s", detail);
}

/* A case's time limit (0: the default), to rank what a run changed. */
static unsigned case_timeout(const struct mrun *r, const char *name)
{
	for (size_t i = 0; i < r->ncases; i++)
		if (strcmp(r->cases[i].name, name) == 0)
			return r->cases[i].timeout_ms;
	return 0;
}

struct diff {
	unsigned timeout_ms;
	size_t order;
	char detail[512];
};

static int cmp_diff(const void *a, const void *b)
{
	const struct diff *x = a, *y = b;

	if (x->timeout_ms != y->timeout_ms)
		return x->timeout_ms < y->timeout_ms ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* A finished (or stopped) run against the baseline, check by check: a
 * check differs when no run of the unmutated kernel showed the same.  The
 * first check that differs in each variant goes into @s (up to MAX_SEEN:
 * each entry names its case and variant, to be run again alone), those
 * of cases with the shortest time limits first (a case with no `timeout`
 * of its own counts as 0: it waits for no timer): a loaded guest slips the
 * long timers of the slow cases, and a mutant's own change, seen in a
 * quick case, would otherwise wait behind three slips (seed 1414213's
 * survivor, caught by ooo-completes-handshake in both families, was
 * called a survivor after keepalive-probes' slips took the three).  1 when
 * any differs, 0 when none, -1 when the run left no readable summary (a
 * run @stopped at a change, or cut by a hang, may not have written one:
 * the caller knows which; nothing is added to @s). */
static int checks_differ(const struct mrun *r, const char *dir, struct seen *s,
                         const struct seen *skip)
{
	struct summary sum;
	struct err e;
	json_t *v;
	size_t i, before = s->n, nd = 0;
	struct diff d[MAX_DIFFS];

	if (summary_load(&sum, dir, &e) < 0)
		return -1;
	json_array_foreach(sum.variants, i, v)
	{
		json_t *checks = json_object_get(v, "checks"), *c;
		size_t k;

		json_array_foreach(checks, k, c)
		{
			json_t *bc = NULL;
			bool same = false;
			char detail[512];

			if (strcmp(summary_str(c, "verdict"), "pass") == 0)
				continue; /* only a failure detects (see run_guest()) */

			for (unsigned b = 0; b < r->nbase && !same; b++) {
				json_t *bv = summary_variant(&r->base[b], summary_str(v, "case"),
				                             summary_str(v, "variant"));
				json_t *x = summary_check(&r->base[b], bv, summary_str(c, "name"));

				same = x && !summary_check_differs(x, c);
				bc = x ? x : bc;
			}
			if (same)
				continue;
			snprintf(detail, sizeof(detail), "%s %s %s: %s (%s), unmutated %s (%s)",
			         summary_str(v, "case"), summary_str(v, "variant"),
			         summary_str(c, "name"), summary_str(c, "verdict"),
			         summary_str(c, "observed"),
			         bc ? summary_str(bc, "verdict") : "absent",
			         bc ? summary_str(bc, "observed") : "");
			if (nd < MAX_DIFFS) {
				d[nd].timeout_ms = case_timeout(r, summary_str(v, "case"));
				d[nd].order = nd;
				text_copy(d[nd].detail, sizeof(d[nd].detail), detail);
				nd++;
			}
			break;
		}
	}
	summary_free(&sum);
	qsort(d, nd, sizeof(*d), cmp_diff);
	for (i = 0; i < nd; i++)
		seen_add(s, d[i].detail, skip);
	return s->n > before;
}

/* Does the console of a crashed run name @function in a call trace? */
static bool trace_names(const char *dir, const char *function)
{
	char path[PATH_MAX + 32], *text;
	size_t len;
	struct err e;
	bool yes;

	if (snprintf(path, sizeof(path), "%s/console.log", dir) >= (int)sizeof(path))
		return false;
	text = infile_read(path, 64u << 20, &len, &e);
	if (!text)
		return false;
	yes = strstr(text, "Call Trace") && strstr(text, function);
	free(text);
	return yes;
}

/* The control: variant @cs @var, which changed twice on the mutant, alone
 * on the unmutated kernel.  1 when it is there as in the baseline runs (the
 * change is the mutant's), 0 when it changes there too: the emulator's
 * timing, not the mutant (a case flaky under TCG once "killed" two mutants
 * that cannot touch what it checks). */
static int control(struct mrun *r, size_t k, unsigned attempt, size_t which, const char *cs,
                   const char *var, struct err *e)
{
	char img[PATH_MAX + 32], out[PATH_MAX + 64];
	struct guest_run g;
	struct seen again = {0};

	snprintf(img, sizeof(img), "%s/baseline-bzImage", r->dir);
	snprintf(out, sizeof(out), "%s/m%zu-%u-control%zu", r->dir, r->pick[k], attempt, which + 1);
	dirs_remove(out);
	if (run_guest(r, img, out, WATCH_STOP, cs, var, &g, e) < 0)
		return -1;
	if (g.changed || g.guest_rc || g.timed_out || (g.status != 0 && g.status != 1))
		return 0;
	/* no summary to read, or a check that differs: not as in the baseline */
	return checks_differ(r, out, &again, NULL) != 0 ? 0 : 1;
}

/* The variant that changed (the first two words of @seen, the @which-th
 * seen in this attempt) run again alone on the mutant, and, when it changes
 * again, alone on the unmutated kernel (control()): 1 when the change is
 * the mutant's, 0 when it does not come back, 2 when it comes back on the
 * unmutated kernel too. */
static int confirm(struct mrun *r, const char *img, size_t k, unsigned attempt, size_t which,
                   const char *seen, struct err *e)
{
	char cs[64], var[256], out[PATH_MAX + 64];
	struct guest_run g;
	struct seen again = {0};
	int c;

	/* "CASE VARIANT: ..." or "CASE VARIANT CHECK: ...": that variant alone. */
	if (!seen_variant(seen, cs, var))
		return 1;
	if (which)
		snprintf(out, sizeof(out), "%s/m%zu-%u-confirm%zu", r->dir, r->pick[k], attempt,
		         which + 1);
	else
		snprintf(out, sizeof(out), "%s/m%zu-%u-confirm", r->dir, r->pick[k], attempt);
	dirs_remove(out);
	if (run_guest(r, img, out, WATCH_STOP, cs, var, &g, e) < 0)
		return -1;
	/* changed, crashed this time (a change all the same), or a run that
	 * ended (0 or 1) with no summary to read */
	if (!(g.changed || (g.guest_rc && !g.crashed) || g.timed_out ||
	      (g.status != 0 && g.status != 1) || checks_differ(r, out, &again, NULL) != 0))
		return 0;
	c = control(r, k, attempt, which, cs, var, e);
	return c < 0 ? -1 : c ? 1 : 2;
}

static int one_mutant(struct mrun *r, size_t k, struct err *e)
{
	const struct mutant *m = &r->all.m[r->pick[k]];
	struct mutant_result *res = &r->res[k];
	char work[PATH_MAX + 16], img[PATH_MAX + 64], out[PATH_MAX + 64];
	struct guest_run g;
	double t;

	snprintf(work, sizeof(work), "%s/work", r->dir);
	dirs_remove(work);
	if (mkdir(work, 0755) < 0)
		return err_sys(e, "creating %s", work);
	t = clock_ms();
	memset(res, 0, sizeof(*res));
	if (build_mutant(r, work, m, res, e) < 0)
		return -1;
	res->build_s = (clock_ms() - t) / 1e3;
	if (res->outcome == MO_NOT_COMPILED) {
		dirs_remove(work);
		return 0;
	}
	snprintf(img, sizeof(img), "%s/image/arch/x86/boot/bzImage", work);
	t = clock_ms();
	/* Attempt 0 stops at the first change; if no change it saw comes back
	 * when run again alone, attempt 1 runs the whole catalogue with those
	 * variants set aside, so that a mutant is called a survivor only after
	 * every variant ran on it.  A crash or hang first seen in attempt 1 gets
	 * attempt 2, to be seen again (or not). */
	struct seen refuted = {0};

	for (unsigned attempt = 0;
	     attempt < 2 || (attempt == 2 && res->outcome == MO_SUSPECT && res->crashes == 1);
	     attempt++) {
		struct seen seen = {0};
		bool stopped, ended;
		int c = 0;

		snprintf(out, sizeof(out), "%s/m%zu-%u", r->dir, r->pick[k], attempt);
		dirs_remove(out);
		if (run_guest(r, img, out, attempt == 0 ? WATCH_STOP : WATCH_FULL, NULL, NULL, &g,
		              e) < 0)
			return -1;
		if (g.guest_rc && !g.crashed && !g.changed) {
			/* The guest's harness failed on this kernel (no namespaces,
			 * no sockets ...): the catalogue noticed. */
			res->outcome = MO_KILLED;
			snprintf(res->detail, sizeof(res->detail),
			         "the guest's tcpconform run failed on this kernel");
			text_copy(res->failure, sizeof(res->failure), g.failure);
			break;
		}
		/* stopped by us at a change, or came to its end by itself: else
		 * a panic, a failed boot or a hang */
		stopped = g.changed && attempt == 0;
		ended = stopped || (!g.timed_out && (g.status == 0 || g.status == 1));
		/* The change a run was stopped at first; then every variant that
		 * changed (before the stop), ranked by checks_differ(); a run that
		 * came to its end without a summary to read is a failure of the
		 * guest.  A full run's first change in time goes after the
		 * ranked ones: it is often a slip of a slow case, which the
		 * catalogue starts first. */
		if (stopped)
			seen_add(&seen, g.detail, &refuted);
		if (ended && checks_differ(r, out, &seen, &refuted) < 0 && !stopped)
			ended = false;
		if (g.changed && !stopped)
			seen_add(&seen, g.detail, &refuted);
		if (!seen.n && ended) {
			res->outcome = MO_SURVIVED;
			break;
		}
		/* A changed verdict counts when it comes back (a timing check can
		 * slip once under load): each changed variant, alone, once more. */
		bool flaky = false;

		for (size_t i = 0; i < seen.n && c != 1; i++) {
			c = confirm(r, img, k, attempt, i, seen.detail[i], e);
			if (c < 0)
				return -1;
			if (c == 1) {
				res->outcome = MO_KILLED;
				snprintf(res->detail, sizeof(res->detail), "%s", seen.detail[i]);
			}
			flaky |= c == 2 && i == 0;
		}
		if (c == 1)
			break;
		if (seen.n && ended) {
			res->outcome = MO_SURVIVED; /* unless the next attempt shows more */
			snprintf(res->detail, sizeof(res->detail),
			         flaky
			             ? "again alone, and alone on the unmutated kernel too: %.400s"
			             : "once, not again: %.400s",
			         seen.detail[0]);
			for (size_t i = 0; i < seen.n; i++)
				seen_add(&refuted, seen.detail[i], NULL);
			continue;
		}
		/* A panic, a failed boot, a hang: once more, to see it again.  What
		 * the vm said goes into its own field, never into the detail. */
		res->crashes++;
		text_copy(res->failure, sizeof(res->failure), g.failure);
		if (trace_names(out, m->function) && res->crashes == 2) {
			res->outcome = MO_KILLED_CRASH;
			snprintf(res->detail, sizeof(res->detail),
			         "crashed twice; the call trace names %s", m->function);
		} else if (res->crashes == 2 && r->baseline_crashes == 0) {
			res->outcome = MO_KILLED_CRASH;
			snprintf(res->detail, sizeof(res->detail),
			         "%s twice; the unmutated kernel never did in %u run(s)",
			         g.timed_out ? "hung" : "crashed (vm exit 3)", r->baseline_runs);
		} else {
			res->outcome = MO_SUSPECT;
			snprintf(res->detail, sizeof(res->detail), "%s (vm exit %d), %u time(s)",
			         g.timed_out ? "hung" : "crashed", g.status, res->crashes);
		}
	}
	res->run_s = (clock_ms() - t) / 1e3;
	dirs_remove(work);
	return 0;
}

/* ---- line counts from bench reach ---- */

#define REACH_UNKNOWN   (-2L)
#define REACH_MAX_BYTES (64u << 20)

/* reach.json's "points": [{"id": ID, "count": N}, ...] into r->reach. */
static int load_reach(struct mrun *r, struct err *e)
{
	size_t len, i;
	char *text = infile_read(r->o.reach, REACH_MAX_BYTES, &len, e);
	json_error_t je;
	json_t *root, *pts, *p;

	if (!text)
		return -1;
	root = json_loadb(text, len, 0, &je);
	free(text);
	if (!root)
		return err_set(e, ERR_INPUT, "%s:%d:%d: %s", r->o.reach, je.line, je.column,
		               je.text);
	pts = json_object_get(root, "points");
	r->reach = malloc(r->all.n * sizeof(*r->reach));
	if (!json_is_array(pts) || !r->reach) {
		json_decref(root);
		return err_set(e, r->reach ? ERR_INPUT : ERR_SYSTEM, "%s: %s", r->o.reach,
		               r->reach ? "no \"points\" array: not a reach.json of bench reach"
		                        : "out of memory");
	}
	for (size_t k = 0; k < r->all.n; k++)
		r->reach[k] = REACH_UNKNOWN;
	json_array_foreach(pts, i, p)
	{
		const char *id = json_string_value(json_object_get(p, "id"));
		json_t *c = json_object_get(p, "count");

		if (!id || !json_is_integer(c) || json_integer_value(c) < GCOV_NO_CODE)
			continue;
		for (size_t k = 0; k < r->all.n; k++)
			if (strcmp(r->all.m[k].id, id) == 0) {
				r->reach[k] = (long)json_integer_value(c);
				break;
			}
	}
	json_decref(root);
	return 0;
}

/* What reach.json says of mutant @k of @all, for people. */
static const char *reach_words(const struct mrun *r, size_t k, char *buf, size_t len)
{
	long c = r->reach ? r->reach[k] : REACH_UNKNOWN;

	if (c == REACH_UNKNOWN)
		snprintf(buf, len, "not in reach.json");
	else if (c == GCOV_NO_CODE)
		snprintf(buf, len, "no line record");
	else if (c == 0)
		snprintf(buf, len, "line never ran");
	else
		snprintf(buf, len, "line ran %ld times", c);
	return buf;
}

/* ---- the state file and the page ---- */

static json_t *state_json(const struct mrun *r, size_t done)
{
	json_t *root = json_object(), *ms;
	struct mutant_tally tally;

	json_object_set_new(root, "source", json_string(r->o.k.path));
	json_object_set_new(root, "seed", json_integer((json_int_t)r->o.seed));
	json_object_set_new(root, "sample", json_integer(r->o.sample));
	json_object_set_new(root, "catalogue", json_string(r->catalogue));
	json_object_set_new(root, "mutants_in_scope", json_integer((json_int_t)r->all.n));
	json_object_set_new(root, "baseline_runs", json_integer(r->baseline_runs));
	json_object_set_new(root, "baseline_crashes", json_integer(r->baseline_crashes));
	ms = mutant_results_json(&r->all, r->pick, r->res, r->npick, &tally);
	for (size_t k = 0; r->reach && k < r->npick && k < json_array_size(ms); k++)
		if (r->reach[r->pick[k]] != REACH_UNKNOWN)
			json_object_set_new(json_array_get(ms, k), "line_count",
			                    json_integer((json_int_t)r->reach[r->pick[k]]));
	json_object_set_new(root, "done", json_integer((json_int_t)done));
	{
		json_t *t = json_object();

		for (int o = 1; o < MO_COUNT; o++)
			json_object_set_new(t, mutant_outcome_name(o), json_integer(tally.n[o]));
		json_object_set_new(root, "tally", t);
		if (mutant_score(&tally) >= 0)
			json_object_set_new(root, "score", json_real(mutant_score(&tally)));
		if (mutant_score_all(&tally) >= 0)
			json_object_set_new(root, "score_out_of_scope_as_survived",
			                    json_real(mutant_score_all(&tally)));
	}
	json_object_set_new(root, "mutants", ms);
	return root;
}

static void html_page(const struct mrun *r, FILE *fp)
{
	fprintf(fp, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>tcpconform "
	            "mutants</title><style>body{font-family:sans-serif}td,th{padding:2px 8px;"
	            "text-align:left}tr.survived{background:#fdd}tr.killed{background:#dfd}"
	            "code{white-space:pre}</style></head><body><h1>Mutation score of the "
	            "catalogue</h1><p>Tree: ");
	text_escape_xml(fp, r->o.k.path);
	fprintf(fp, "; seed %llu, %zu of %zu mutants.</p>", r->o.seed, r->npick, r->all.n);
	fprintf(fp,
	        "<table><tr><th>mutant</th><th>operator</th><th>before</th><th>after</th>"
	        "<th>outcome</th><th>detail</th>%s</tr>",
	        r->reach ? "<th>line (bench reach)</th>" : "");
	for (size_t k = 0; k < r->npick; k++) {
		const struct mutant *m = &r->all.m[r->pick[k]];
		const struct mutant_result *res = &r->res[k];
		const char *cls = res->outcome == MO_SURVIVED ? "survived"
		                  : res->outcome == MO_KILLED || res->outcome == MO_KILLED_CRASH
		                      ? "killed"
		                      : "other";

		fprintf(fp, "<tr class=\"%s\"><td>", cls);
		text_escape_xml(fp, m->id);
		fprintf(fp, "</td><td>%s</td><td><code>", mutant_op_name(m->op));
		text_escape_xml(fp, m->before);
		fprintf(fp, "</code></td><td><code>");
		text_escape_xml(fp, m->after);
		fprintf(fp, "</code></td><td>%s</td><td>", mutant_outcome_name(res->outcome));
		text_escape_xml(fp, res->detail);
		if (res->failure[0]) {
			fprintf(fp, "<br>vm: <code>");
			text_escape_xml(fp, res->failure);
			fprintf(fp, "</code>");
		}
		if (r->reach) {
			char w[64];

			fprintf(fp, "</td><td>%s", reach_words(r, r->pick[k], w, sizeof(w)));
		}
		fprintf(fp, "</td></tr>\n");
	}
	fprintf(fp, "</table></body></html>\n");
}

/* @root as DIR/@name, whole or not at all (afile.h). */
static int write_json(const struct mrun *r, const char *name, json_t *root, struct err *e)
{
	char path[PATH_MAX + 32];
	struct afile af;

	snprintf(path, sizeof(path), "%s/%s", r->dir, name);
	if (afile_open(&af, path, e) < 0)
		return -1;
	if (json_dumpf(root, af.fp, JSON_INDENT(1)) < 0) {
		afile_abort(&af);
		return err_set(e, ERR_SYSTEM, "writing %s", path);
	}
	return afile_commit(&af, e);
}

static int save(const struct mrun *r, size_t done, struct err *e)
{
	char path[PATH_MAX + 32];
	struct afile af;
	json_t *st = state_json(r, done);
	int rc;

	rc = write_json(r, "mutants.json", st, e);
	json_decref(st);
	if (rc < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/mutants.html", r->dir);
	if (afile_open(&af, path, e) < 0)
		return -1;
	html_page(r, af.fp);
	return afile_commit(&af, e);
}

/* Outcomes already in DIR/mutants.json for the same tree and sample; an
 * input error when DIR was begun on another catalogue (its baseline runs
 * and outcomes are that catalogue's). */
static int resume(struct mrun *r, struct err *e)
{
	char path[PATH_MAX + 32];
	const char *was;
	json_t *st;
	size_t n;

	snprintf(path, sizeof(path), "%s/mutants.json", r->dir);
	st = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
	if (!st)
		return 0;
	was = json_string_value(json_object_get(st, "catalogue"));
	if (!was)
		fprintf(stderr,
		        "tcpconform: %s does not say which catalogue it was begun on: going on "
		        "with this one\n",
		        path);
	else if (strcmp(was, r->catalogue) != 0) {
		/* printed only when it looks like one: the file is anyone's */
		bool shown = strlen(was) < 40 && strspn(was, "abcdefnv0123456789:") == strlen(was);

		err_set(e, ERR_INPUT,
		        "%s was begun on another catalogue (%s, now %s: cases or tables changed "
		        "since): its baseline runs and outcomes would be mixed with this one's; "
		        "give a new -o DIR",
		        r->dir, shown ? was : "not a fingerprint", r->catalogue);
		json_decref(st);
		return -1;
	}
	n = mutant_results_resume(json_object_get(st, "mutants"), &r->all, r->pick, r->res,
	                          r->npick);
	if (n)
		fprintf(stderr, "tcpconform: %zu mutant(s) already done in %s\n", n, path);
	json_decref(st);
	return 0;
}

/* fixtures/mutants/@name: "ID  argument", a line each ("equivalent": why
 * no behaviour can change; "out-of-scope": why the catalogue cannot reach
 * it).  Those mutants are not run: @outcome, their argument as detail. */
static int mark_argued(struct mrun *r, const char *name, enum mutant_outcome outcome, struct err *e)
{
	char path[4200], *text, *p, *save = NULL;
	size_t len;

	snprintf(path, sizeof(path), "%s/mutants/%s", r->fixtures, name);
	if (access(path, F_OK) != 0)
		return 0;
	text = infile_read(path, 1u << 20, &len, e);
	if (!text)
		return -1;
	for (p = strtok_r(text, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		char *sp = strpbrk(p, " \t");

		if (*p == '#' || !sp)
			continue;
		*sp++ = '\0';
		sp += strspn(sp, " \t");
		for (size_t k = 0; k < r->npick; k++)
			if (strcmp(r->all.m[r->pick[k]].id, p) == 0) {
				r->res[k].outcome = outcome;
				text_copy(r->res[k].detail, sizeof(r->res[k].detail), sp);
			}
	}
	free(text);
	return 0;
}

/* ---- the command ---- */

/* Build and run the unmutated kernel @runs times: its verdicts are the
 * reference; its crashes tell whether a mutant's crash is its own. */
/* The unmutated kernel, configured and built (incrementally) with ksrc. */
static int baseline_build(struct mrun *r, struct kernel *kn, struct err *e)
{
	char frag[4200];
	struct kfrag f;
	int rc;

	snprintf(frag, sizeof(frag), "%s/kernel/config", r->fixtures);
	if (kfrag_load(frag, &f, e) < 0)
		return -1;
	rc = ksrc_build(&r->o.k, frag, &f, kn, e);
	kfrag_free(&f);
	return rc;
}

static int baseline(struct mrun *r, struct err *e)
{
	char out[PATH_MAX + 32], img[PATH_MAX + 32];
	struct kernel kn;

	if (baseline_build(r, &kn, e) < 0)
		return -1;
	snprintf(img, sizeof(img), "%s/baseline-bzImage", r->dir);
	{
		const char *const cp[] = {"cp", kn.image, img, NULL};

		if (run_tool(cp) != 0)
			return err_set(e, ERR_SYSTEM, "copying %s", kn.image);
	}
	for (int i = 0; i < r->o.baseline_runs; i++) {
		struct guest_run g;

		snprintf(out, sizeof(out), "%s/baseline-%d", r->dir, i + 1);
		if (access(out, F_OK) == 0) { /* resumed */
			r->baseline_runs++;
			if (summary_load(&r->base[r->nbase], out, e) == 0)
				r->nbase++;
			else
				r->baseline_crashes++;
			continue;
		}
		fprintf(stderr, "tcpconform: the unmutated kernel, run %d of %d\n", i + 1,
		        r->o.baseline_runs);
		if (run_guest(r, img, out, WATCH_NONE, NULL, NULL, &g, e) < 0)
			return -1;
		r->baseline_runs++;
		if (g.timed_out || (g.status != 0 && g.status != 1)) {
			r->baseline_crashes++;
			continue;
		}
		if (summary_load(&r->base[r->nbase], out, e) == 0)
			r->nbase++;
	}
	if (!r->nbase)
		return err_set(
		    e, ERR_ENV,
		    "the unmutated kernel did not complete a run (see %s/baseline-*.log)", r->dir);
	set_run_limit(r);
	return 0;
}

static void finish(const struct mrun *r)
{
	struct mutant_tally t = {0};
	struct samples killed = {0}, survived = {0};

	for (size_t k = 0; k < r->npick; k++) {
		const struct mutant_result *res = &r->res[k];

		t.n[res->outcome]++;
		if (res->outcome == MO_KILLED || res->outcome == MO_KILLED_CRASH)
			samples_add(&killed, res->build_s + res->run_s);
		if (res->outcome == MO_SURVIVED)
			samples_add(&survived, res->build_s + res->run_s);
	}
	printf("mutants: %zu of %zu (seed %llu)\n", r->npick, r->all.n, r->o.seed);
	/* Which cases killed: the case named first in each killed mutant's detail. */
	{
		char names[64][64];
		unsigned kills[64] = {0}, nn = 0;

		for (size_t k = 0; k < r->npick; k++) {
			const struct mutant_result *res = &r->res[k];
			char c[64];
			unsigned i;
			bool a_case = false;

			if (res->outcome != MO_KILLED || sscanf(res->detail, "%63s", c) != 1)
				continue;
			for (i = 0; i < r->ncases && !a_case; i++)
				a_case = strcmp(r->cases[i].name, c) == 0;
			if (!a_case) /* the guest's run failed: no case to name */
				continue;
			for (i = 0; i < nn && strcmp(names[i], c) != 0; i++)
				;
			if (i == nn && nn < 64)
				text_copy(names[nn++], sizeof(names[0]), c);
			if (i < 64)
				kills[i]++;
		}
		for (unsigned i = 0; i < nn; i++)
			printf("  killed by %-22s %u\n", names[i], kills[i]);
	}
	for (int o = 1; o < MO_COUNT; o++)
		printf("  %-13s %u\n", mutant_outcome_name(o), t.n[o]);
	if (mutant_score(&t) >= 0)
		printf("score=%.3f (out-of-scope counted as survived: %.3f)\n", mutant_score(&t),
		       mutant_score_all(&t));
	/* Each survivor, and with --reach whether its line ran at all: one
	 * that never ran wants a path, one that ran a sharper check. */
	for (size_t k = 0; k < r->npick; k++) {
		char w[64];

		if (r->res[k].outcome != MO_SURVIVED)
			continue;
		text_term_printf(stdout, "  survivor %s (%s -> %s)%s%s\n", r->all.m[r->pick[k]].id,
		                 r->all.m[r->pick[k]].before, r->all.m[r->pick[k]].after,
		                 r->reach ? ": " : "",
		                 r->reach ? reach_words(r, r->pick[k], w, sizeof(w)) : "");
	}
	printf("killed_cost_s_median=%.1f survived_cost_s_median=%.1f wall_s=%.0f\n",
	       killed.n ? samples_quantile(&killed, 0.5) : 0,
	       survived.n ? samples_quantile(&survived, 0.5) : 0, (clock_ms() - r->t0) / 1e3);
	printf("results: %s/mutants.json, %s/mutants.html\n", r->dir, r->dir);
	samples_free(&killed);
	samples_free(&survived);
}

/* The variants of the run in @dir that failed or erred, each with its
 * first failing check, as `tcpconform run` ends its output: a loop whose
 * catalogue did not pass says what did not. */
static void print_not_as_expected(const char *dir)
{
	struct summary s;
	struct err e;
	size_t i, shown = 0;
	json_t *v;

	if (summary_load(&s, dir, &e) < 0) {
		err_print(&e);
		return;
	}
	json_array_foreach(s.variants, i, v)
	{
		const char *verdict = summary_str(v, "verdict");
		json_t *ck, *first = NULL;
		size_t k;

		if (strcmp(verdict, "fail") != 0 && strcmp(verdict, "error") != 0)
			continue;
		json_array_foreach(json_object_get(v, "checks"), k, ck)
		{
			if (!strcmp(summary_str(ck, "verdict"), verdict)) {
				first = ck;
				break;
			}
		}
		if (shown++ == 20) {
			printf("  ...\n");
			break;
		}
		if (first)
			text_term_printf(stdout, "  %s: %s %s: %s: %s (expected %s)\n", verdict,
			                 summary_str(v, "case"), summary_str(v, "variant"),
			                 summary_str(first, "name"), summary_str(first, "observed"),
			                 summary_str(first, "expected"));
		else
			text_term_printf(stdout, "  %s: %s %s: %s\n", verdict,
			                 summary_str(v, "case"), summary_str(v, "variant"),
			                 summary_str(v, "reason"));
	}
	summary_free(&s);
}

/* `bench kernel-loop src:PATH [--file F]`: a kernel developer's loop, timed:
 * the full build (when the tree has none yet), then F rewritten unchanged
 * in an overlay (as an edit would leave it: newer than its object), the
 * incremental build, the boot and the whole catalogue. */
int bench_kernel_loop(const struct bench_kernel_loop_config *cfg)
{
	struct mrun r;
	struct mutant null = {0};
	struct mutant_result res = {0};
	struct guest_run g;
	struct kernel kn;
	struct err e;
	const char *file = cfg->file;
	char work[PATH_MAX + 16], img[PATH_MAX + 64], out[PATH_MAX + 64];
	double t, full_s, build_s, run_s;
	bool built;

	memset(&r, 0, sizeof(r));
	r.o.baseline_runs = 1;
	r.o.spec = cfg->spec;
	r.o.k = cfg->k;
	r.o.outdir = cfg->outdir;
	r.loop_cases = cfg->cases;
	r.nloop_cases = cfg->ncases;
	text_copy(null.file, sizeof(null.file), file);
	snprintf(null.id, sizeof(null.id), "%s (unchanged)", file);
	snprintf(r.dir, sizeof(r.dir), "%s", r.o.outdir ? r.o.outdir : "results/kernel-loop");
	if (strlen(r.dir) > PATH_MAX - 300)
		return EXIT_ENV;
	if (vm_program(&r, &e) < 0)
		goto fail;
	if ((mkdir(r.dir, 0755) < 0 && errno != EEXIST) || absolute(r.dir, sizeof(r.dir), &e) < 0 ||
	    fixtures_dir(r.fixtures, sizeof(r.fixtures), &e) < 0 ||
	    ksrc_dirs(&r.o.k, r.cache, sizeof(r.cache), r.obj, sizeof(r.obj), &e) < 0)
		goto fail;
	snprintf(img, sizeof(img), "%s/arch/x86/boot/bzImage", r.obj);
	built = access(img, F_OK) == 0;
	t = clock_ms();
	if (baseline_build(&r, &kn, &e) < 0)
		goto fail;
	full_s = (clock_ms() - t) / 1e3;
	snprintf(work, sizeof(work), "%s/work", r.dir);
	dirs_remove(work);
	if (mkdir(work, 0755) < 0) {
		err_sys(&e, "creating %s", work);
		goto fail;
	}
	t = clock_ms();
	if (build_mutant(&r, work, &null, &res, &e) < 0)
		goto fail;
	build_s = (clock_ms() - t) / 1e3;
	if (res.outcome == MO_NOT_COMPILED) {
		err_set(&e, ERR_ENV, "the unchanged tree does not build: %s", res.detail);
		goto fail;
	}
	snprintf(img, sizeof(img), "%s/image/arch/x86/boot/bzImage", work);
	snprintf(out, sizeof(out), "%s/run", r.dir);
	dirs_remove(out);
	t = clock_ms();
	if (run_guest(&r, img, out, WATCH_NONE, NULL, NULL, &g, &e) < 0)
		goto fail;
	run_s = (clock_ms() - t) / 1e3;
	dirs_remove(work);
	printf("%s: %.1f s%s\n", built ? "build (up to date)" : "first full build", full_s,
	       built ? " (make found nothing to do)" : "");
	printf("incremental build after an edit of %s: %.1f s\n", file, build_s);
	printf("boot + %s in qemu: %.1f s (tcpconform vm exit %d; results %s)\n",
	       cfg->ncases ? "the cases named" : "catalogue", run_s, g.status, out);
	printf("full_build_s=%.1f incremental_build_s=%.1f vm_s=%.1f edit_to_verdicts_s=%.1f\n",
	       built ? 0.0 : full_s, build_s, run_s, build_s + run_s);
	if (g.status == 1)
		print_not_as_expected(out);
	return g.status == 0 || g.status == 1 ? EXIT_PASS : EXIT_ENV;
fail:
	err_print(&e);
	return err_exit_status(&e);
}

/* --ids: the mutants named, in the order named; an id outside the scope
 * is an input error naming it. */
static int pick_ids(struct mrun *r, struct err *e)
{
	char *copy = strdup(r->o.ids), *id, *save = NULL;

	if (!copy)
		return err_set(e, ERR_SYSTEM, "out of memory");
	r->npick = 0;
	for (id = strtok_r(copy, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
		size_t k;

		for (k = 0; k < r->all.n && strcmp(r->all.m[k].id, id) != 0; k++)
			;
		if (k == r->all.n) {
			err_set(e, ERR_INPUT, "--ids: '%s' is not a mutant of the scope (--list)",
			        id);
			free(copy);
			return -1;
		}
		if (r->npick < r->all.n)
			r->pick[r->npick++] = k;
	}
	free(copy);
	if (!r->npick)
		return err_set(e, ERR_INPUT, "--ids names no mutant");
	return 0;
}

int bench_mutants(const struct bench_mutants_config *cfg)
{
	struct mrun r;
	struct err e;
	int rc = EXIT_ENV;
	double t_loop = 0;

	memset(&r, 0, sizeof(r));
	r.t0 = clock_ms();
	r.o = *cfg;
	if (fixtures_dir(r.fixtures, sizeof(r.fixtures), &e) < 0 || enumerate(&r, &e) < 0 ||
	    (r.o.reach && load_reach(&r, &e) < 0))
		goto fail;
	if (r.o.list && !r.o.sample && !r.o.ids) {
		print_list(&r);
		mutants_free(&r.all);
		return EXIT_PASS;
	}
	if (!r.all.n) {
		err_set(&e, ERR_INPUT, "no mutation point in the scope");
		goto fail;
	}
	r.pick = calloc(r.all.n, sizeof(*r.pick));
	r.res = calloc(r.all.n, sizeof(*r.res));
	if (!r.pick || !r.res) {
		err_set(&e, ERR_SYSTEM, "out of memory");
		goto fail;
	}
	if (r.o.ids) {
		if (pick_ids(&r, &e) < 0)
			goto fail;
	} else {
		r.npick = mutant_sample(r.all.n, r.o.sample ? (size_t)r.o.sample : r.all.n,
		                        r.o.seed, r.pick);
	}
	if (r.o.list) {
		/* --list with --sample or --ids: the chosen mutants, one a line,
		 * as a run would take them (ids for --ids). */
		for (size_t k = 0; k < r.npick; k++) {
			const struct mutant *m = &r.all.m[r.pick[k]];

			printf("%s\t%s -> %s\n", m->id, m->before, m->after);
		}
		rc = EXIT_PASS;
		goto out;
	}
	if (vm_program(&r, &e) < 0)
		goto fail;
	if (r.o.outdir)
		snprintf(r.dir, sizeof(r.dir), "%s", r.o.outdir);
	else
		snprintf(r.dir, sizeof(r.dir), "results/mutants-%s%llu-n%zu",
		         r.o.ids ? "ids" : "seed", r.o.ids ? 0ULL : r.o.seed, r.npick);
	if (strlen(r.dir) > PATH_MAX - 300) {
		err_set(&e, ERR_INPUT, "-o: path too long");
		goto fail;
	}
	if (mkdir(r.dir, 0755) < 0 && errno != EEXIST) {
		err_sys(&e, "creating %s", r.dir);
		goto fail;
	}
	if (absolute(r.dir, sizeof(r.dir), &e) < 0)
		goto fail;
	if (ksrc_dirs(&r.o.k, r.cache, sizeof(r.cache), r.obj, sizeof(r.obj), &e) < 0)
		goto fail;
	if (load_cases(&r, &e) < 0 || mark_first(&r, r.o.first, &e) < 0 || resume(&r, &e) < 0)
		goto fail;
	qsort(r.cases, r.ncases, sizeof(*r.cases), cmp_case);
	for (size_t k = 0; k < r.npick; k++)
		if (r.res[k].outcome == MO_KILLED)
			count_kill(&r, r.res[k].detail);
	/* mutants.json names the catalogue before the baseline runs. */
	if (mark_argued(&r, "equivalent", MO_EQUIVALENT, &e) < 0 ||
	    mark_argued(&r, "out-of-scope", MO_OUT_OF_SCOPE, &e) < 0 || save(&r, 0, &e) < 0 ||
	    baseline(&r, &e) < 0)
		goto fail;
	t_loop = clock_ms();
	for (size_t k = 0, ran = 0; k < r.npick; k++) {
		const struct mutant *m = &r.all.m[r.pick[k]];
		double eta;
		size_t left = 0;

		if (r.res[k].outcome != MO_PENDING)
			continue;
		fprintf(stderr, "tcpconform: [%zu/%zu] %s (%s -> %s)\n", k + 1, r.npick, m->id,
		        m->before, m->after);
		if (one_mutant(&r, k, &e) < 0 || save(&r, k + 1, &e) < 0)
			goto fail;
		if (r.res[k].outcome == MO_KILLED)
			count_kill(&r, r.res[k].detail);
		for (size_t j = k + 1; j < r.npick; j++)
			left += r.res[j].outcome == MO_PENDING;
		/* The time left: the mean of this session's mutants so far. */
		ran++;
		eta = (clock_ms() - t_loop) / 1e3 / (double)ran * (double)left;
		printf("[%zu/%zu] %s: %s%s%s%s%s (build %.0f s, run %.0f s; about %.0f min "
		       "left)\n",
		       k + 1, r.npick, m->id, mutant_outcome_name(r.res[k].outcome),
		       r.res[k].detail[0] ? ": " : "", r.res[k].detail,
		       r.res[k].failure[0] ? "; vm: " : "", r.res[k].failure, r.res[k].build_s,
		       r.res[k].run_s, eta / 60);
		fflush(stdout);
	}
	if (save(&r, r.npick, &e) < 0)
		goto fail;
	finish(&r);
	rc = EXIT_PASS;
	goto out;
fail:
	err_print(&e);
	rc = err_exit_status(&e);
out:
	for (unsigned b = 0; b < r.nbase; b++)
		summary_free(&r.base[b]);
	free(r.pick);
	free(r.res);
	free(r.cases);
	free(r.paths);
	free(r.reach);
	mutants_free(&r.all);
	return rc;
}

/* ---- bench reach: which mutation points the catalogue executes ---- */

/* Line @line of @text, its leading blanks skipped, at most @len - 1 bytes. */
static void source_line(const char *text, size_t tlen, unsigned line, char *out, size_t len)
{
	const char *p = text, *end = text + tlen, *nl;

	out[0] = '\0';
	for (unsigned l = 1; l < line && p < end; l++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
	snprintf(out, len, "%.*s", (int)((nl ? nl : end) - p), p);
	for (char *c = out; *c; c++) /* a tab inside the line: a space */
		if (*c == '\t')
			*c = ' ';
}

/* The counters of one scope file (@path in the tree): gcov on the build's
 * notes and the guest's counters. */
static int reach_file(const struct mrun *r, const char *obj, const char *run, const char *path,
                      struct gcov_lines *gl, struct err *e)
{
	char src[PATH_MAX], gcno[PATH_MAX], gcda[PATH_MAX], work[PATH_MAX], rel[160];
	const char *slash = strrchr(path, '/'), *dir2 = path;
	size_t pl = strlen(path);

	if (pl < 3 || strcmp(path + pl - 2, ".c") != 0)
		return err_set(e, ERR_INPUT, "%s: not a C file", path);
	/* the guest keeps the last two folders of a counter's path */
	for (const char *c = path, *prev = NULL; slash && c < slash; c++)
		if (*c == '/') {
			dir2 = prev ? prev + 1 : path;
			prev = c;
		}
	snprintf(rel, sizeof(rel), "%.*s", (int)(pl - 2), dir2);
	if (snprintf(src, sizeof(src), "%s/%s", r->o.k.path, path) >= (int)sizeof(src) ||
	    snprintf(gcno, sizeof(gcno), "%s/%.*s.gcno", obj, (int)(pl - 2), path) >=
	        (int)sizeof(gcno) ||
	    snprintf(gcda, sizeof(gcda), "%s/kernel-gcov/%s.gcda", run, rel) >= (int)sizeof(gcda) ||
	    snprintf(work, sizeof(work), "%s/gcov/%.*s", r->dir, (int)(pl - 2), path) >=
	        (int)sizeof(work))
		return err_set(e, ERR_INPUT, "%s: path too long", path);
	if (access(gcda, R_OK) < 0)
		return err_set(e, ERR_ENV,
		               "%s: the guest sent no counters for %s (was the kernel built with "
		               "gcov, its debugfs mounted?)",
		               gcda, path);
	if (dirs_make(work, e) < 0)
		return -1;
	return gcov_run(src, gcno, gcda, work, gl, e);
}

/* Each function's points and lines; then every point not reached, a line
 * of source per line. */
static int reach_report(struct mrun *r, const char *run, const char *obj, const char *release,
                        struct err *e)
{
	json_t *root = json_object(), *pts = json_array(), *fns = json_array();
	unsigned reached = 0, missed = 0, nocode = 0;
	int rc = 0;

	if (!root || !pts || !fns) {
		json_decref(root);
		json_decref(pts);
		json_decref(fns);
		return err_set(e, ERR_SYSTEM, "out of memory");
	}
	json_object_set_new(root, "kernel", json_string(release));
	json_object_set_new(root, "points", pts);
	json_object_set_new(root, "functions", fns);
	printf("%-24s %-32s %9s %9s\n", "file", "function", "points", "lines");
	for (size_t f = 0; f < r->npaths && rc == 0; f++) {
		const char *path = r->paths[f], *base = strrchr(path, '/');
		struct gcov_lines gl;
		char *text, srcpath[PATH_MAX + 160], code[200];
		size_t tlen;
		const char *fn = "";

		base = base ? base + 1 : path;
		if (reach_file(r, obj, run, path, &gl, e) < 0) {
			rc = -1;
			break;
		}
		snprintf(srcpath, sizeof(srcpath), "%s/%s", r->o.k.path, path);
		text = infile_read(srcpath, 8u << 20, &tlen, e);
		if (!text) {
			gcov_lines_free(&gl);
			rc = -1;
			break;
		}
		for (size_t i = 0; i < r->all.n; i++) {
			const struct mutant *m = &r->all.m[i];
			long c;

			if (strcmp(m->file, path) != 0)
				continue;
			c = gcov_count(&gl, m->line);
			json_array_append_new(pts,
			                      json_pack("{s:s,s:s,s:I}", "id", m->id, "function",
			                                m->function, "count", (json_int_t)c));
			if (strcmp(m->function, fn) != 0) { /* a function's first point */
				unsigned np = 0, nr = 0, lc, lr;
				bool has;

				fn = m->function;
				for (size_t j = i;
				     j < r->all.n && !strcmp(r->all.m[j].function, fn); j++) {
					np++;
					nr += gcov_count(&gl, r->all.m[j].line) > 0;
				}
				has = gcov_function_lines(&gl, fn, &lc, &lr);
				printf("%-24s %-32s %4u/%-4u ", base, fn, nr, np);
				if (has)
					printf("%4u/%-4u\n", lr, lc);
				else
					printf("(inlined)\n");
				json_array_append_new(
				    fns,
				    json_pack("{s:s,s:s,s:i,s:i,s:i,s:i}", "file", base, "function",
				              fn, "points", np, "points_reached", nr, "lines",
				              has ? lc : 0, "lines_executed", has ? lr : 0));
			}
			if (c > 0)
				reached++;
			else if (c == 0)
				missed++;
			else
				nocode++;
		}
		/* the points not reached, a line each */
		for (size_t i = 0; i < r->all.n; i++) {
			const struct mutant *m = &r->all.m[i];
			unsigned k = 0;

			if (strcmp(m->file, path) != 0 || gcov_count(&gl, m->line) != 0 ||
			    (i && r->all.m[i - 1].line == m->line &&
			     !strcmp(r->all.m[i - 1].file, path)))
				continue;
			for (size_t j = i; j < r->all.n && r->all.m[j].line == m->line &&
			                   !strcmp(r->all.m[j].file, path);
			     j++)
				k++;
			source_line(text, tlen, m->line, code, sizeof(code));
			text_term_printf(stdout, "  not reached: %s:%u %s (%u point%s): %s\n", base,
			                 m->line, m->function, k, k == 1 ? "" : "s", code);
		}
		free(text);
		gcov_lines_free(&gl);
	}
	if (rc == 0) {
		json_object_set_new(root, "reached", json_integer(reached));
		json_object_set_new(root, "not_reached", json_integer(missed));
		json_object_set_new(root, "no_line_record", json_integer(nocode));
		rc = write_json(r, "reach.json", root, e);
		printf("points=%zu reached=%u not_reached=%u no_line_record=%u reach=%.3f\n",
		       r->all.n, reached, missed, nocode,
		       reached + missed ? (double)reached / (reached + missed) : 0.0);
	}
	json_decref(root);
	return rc;
}

/* `bench reach src:PATH [CASE...]`: the kernel built again with gcov in
 * the scope's files, the catalogue (or CASE...) run on it once, and each
 * mutation point's line count: a point never executed is a mutant no run
 * can kill, and the cases it wants are named by its line. */
int bench_reach(const struct bench_reach_config *cfg)
{
	struct mrun r;
	struct err e;
	struct kernel kn;
	struct kfrag f;
	struct guest_run g;
	char frag[4200], gfrag[4200], obj[PATH_MAX], run[PATH_MAX + 8];
	const char **objs = NULL;
	char(*names)[80] = NULL;
	int rc = EXIT_ENV;

	memset(&r, 0, sizeof(r));
	r.o.spec = cfg->spec;
	r.o.k = cfg->k;
	r.o.functions = cfg->functions;
	r.o.files = cfg->files;
	r.loop_cases = cfg->cases;
	r.nloop_cases = cfg->ncases;
	if (fixtures_dir(r.fixtures, sizeof(r.fixtures), &e) < 0 || enumerate(&r, &e) < 0 ||
	    vm_program(&r, &e) < 0)
		goto fail;
	if (!r.all.n) {
		err_set(&e, ERR_INPUT, "no mutation point in the scope");
		goto fail;
	}
	snprintf(r.dir, sizeof(r.dir), "%s", cfg->outdir ? cfg->outdir : "results/reach");
	if (strlen(r.dir) > PATH_MAX - 300) {
		err_set(&e, ERR_INPUT, "-o: path too long");
		goto fail;
	}
	if ((mkdir(r.dir, 0755) < 0 && errno != EEXIST) || absolute(r.dir, sizeof(r.dir), &e) < 0)
		goto fail;
	objs = calloc(r.npaths + 1, sizeof(*objs));
	names = calloc(r.npaths + 1, sizeof(*names));
	if (!objs || !names) {
		err_set(&e, ERR_SYSTEM, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < r.npaths; i++) {
		const char *b = strrchr(r.paths[i], '/');

		b = b ? b + 1 : r.paths[i];
		snprintf(names[i], sizeof(names[i]), "%.*s.o", (int)(strlen(b) - 2), b);
		objs[i] = names[i];
	}
	snprintf(frag, sizeof(frag), "%s/kernel/config", r.fixtures);
	snprintf(gfrag, sizeof(gfrag), "%s/kernel/gcov.config", r.fixtures);
	if (kfrag_load(frag, &f, &e) < 0)
		goto fail;
	rc = ksrc_build_gcov(&r.o.k, frag, &f, gfrag, objs, &kn, obj, sizeof(obj), &e);
	kfrag_free(&f);
	if (rc < 0)
		goto fail;
	snprintf(run, sizeof(run), "%s/run", r.dir);
	dirs_remove(run);
	fprintf(stderr, "tcpconform: the %s on %s, counting lines\n",
	        cfg->ncases ? "cases named" : "catalogue", kn.image);
	if (run_guest(&r, kn.image, run, WATCH_NONE, NULL, NULL, &g, &e) < 0)
		goto fail;
	if (g.status != 0 && g.status != 1) {
		err_set(&e, ERR_ENV, "the guest run did not complete (vm exit %d; log %s.log)",
		        g.status, run);
		goto fail;
	}
	if (reach_report(&r, run, obj, kn.release, &e) < 0)
		goto fail;
	printf("results: %s/reach.json, the run in %s\n", r.dir, run);
	rc = EXIT_PASS;
	goto out;
fail:
	err_print(&e);
	rc = err_exit_status(&e);
out:
	free(objs);
	free(names);
	free(r.paths);
	mutants_free(&r.all);
	return rc;
}
