// SPDX-License-Identifier: GPL-2.0-only
/* vm.c - run the catalogue on another kernel in qemu; several kernels. */
#include "vm/vm.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/afile.h"
#include "base/clock.h"
#include "base/dirs.h"
#include "base/error.h"
#include "base/paths.h"
#include "base/resdir.h"
#include "base/spawn.h"
#include "base/text.h"
#include "model/kconfig.h"
#include "out/results.h"
#include "out/transport.h"
#include "run/catalogue.h"
#include "vm/accel.h"
#include "vm/initramfs.h"
#include "vm/kmod.h"
#include "vm/kspec.h"
#include "vm/ksrc.h"

#define CONSOLE_MAX      (16u << 20) /* console.log kept up to this size */
#define KVM_BOOT_LIMIT_S 30          /* to /init under KVM before trying TCG */
#define STRINGIFY(x)     #x
#define SILENCE_TEXT_(x) STRINGIFY(x)
#define SILENCE_TEXT     SILENCE_TEXT_(VM_SILENCE_S)

/* Modules the catalogue needs: veth pairs, AF_PACKET for the wire,
 * inet_diag for TIME_WAIT/SYN_RECV dumps. */
static const char *const needed_modules[] = {"veth", "af_packet", "inet_diag", "tcp_diag",
                                             "virtio_rng"};
/* The last one is wanted, not needed: entropy from the host (-device
 * virtio-rng-pci) makes the CRNG ready at once; /init waits for it either
 * way (initramfs.c). */
#define WANTED_MODULES 1

static volatile int interrupted; /* SIGINT/SIGTERM while a guest ran */

/* ---- console watching ---- */

/* A line of the run's progress: "[N/M] ...". */
static bool progress_line(const char *line)
{
	size_t d = line[0] == '[' ? strspn(line + 1, "0123456789") : 0;

	if (!d || line[1 + d] != '/')
		return false;
	line += 2 + d;
	d = strspn(line, "0123456789");
	return d && line[d] == ']';
}

/* The kernel's reports of a CPU or a task that no longer makes progress
 * (kernel/rcu/tree_stall.h, kernel/watchdog.c, kernel/hung_task.c) or of a
 * namespace's cleanup stuck on a leaked reference (net/core/dev.c): where
 * in @line one begins, or NULL. */
static const char *stall_report(const char *line)
{
	static const char *const says[] = {
	    "detected stalls on CPUs/tasks",
	    "self-detected stall on CPU",
	    "BUG: soft lockup",
	    "blocked for more than",
	    /* net/core/dev.c netdev_wait_allrefs_any(): a device of a closed
	     * namespace still referenced 10 s on (a leaked route or socket
	     * reference): the namespace's cleanup waits for ever */
	    "unregister_netdevice: waiting for",
	};
	const char *m;

	for (size_t i = 0; i < sizeof(says) / sizeof(says[0]); i++)
		if ((m = strstr(line, says[i]))) {
			/* from the message's start: after the "[  12.345] " stamp */
			const char *b = line[0] == '[' ? strchr(line, ']') : NULL;

			return b && b < m ? b + 1 + strspn(b + 1, " ") : m;
		}
	return NULL;
}

void vm_watch_line(struct vm_watch *w, const char *line)
{
	const char *m;
	size_t n = strlen(line);

	while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
		n--;
	if (n)
		snprintf(w->last, sizeof(w->last), "%.*s", (int)(n < 500 ? n : 500), line);
	if ((m = strstr(line, VM_MARK_INIT))) {
		w->init = 1;
		sscanf(m + strlen(VM_MARK_INIT), "%127s", w->release);
	} else if ((m = strstr(line, VM_MARK_MISSING))) {
		w->missing = 1;
		snprintf(w->cause, sizeof(w->cause), "%s", m + strlen(VM_MARK_MISSING));
	} else if ((m = strstr(line, VM_MARK_START))) {
		w->start = 1;
		w->guest_start_s = atof(m + strlen(VM_MARK_START));
	} else if ((m = strstr(line, VM_MARK_DONE))) {
		w->done = 1;
		w->run_rc = atoi(m + strlen(VM_MARK_DONE));
	} else if ((m = strstr(line, VM_MARK_SENT))) {
		w->sent = 1;
		w->sent_rc = atoi(m + strlen(VM_MARK_SENT));
	} else if (!w->panic && strstr(line, "Oops: int3")) {
		w->int3 = 1;
	} else if (!w->panic && (m = strstr(line, "Kernel panic - not syncing"))) {
		w->panic = 1;
		snprintf(w->cause, sizeof(w->cause), "%s", m);
	} else if (!w->panic && !w->stall && (m = stall_report(line))) {
		w->stall = 1;
		snprintf(w->cause, sizeof(w->cause), "%s", m);
	} else if (w->start && !w->done && progress_line(line)) {
		w->progress++;
	}
}

bool vm_died_early(const struct vm_watch *w, bool timed_out)
{
	return !w->progress && !w->done && !w->missing && (w->panic || timed_out);
}

bool vm_died_of_text_patch(const struct vm_watch *w)
{
	return w->panic && w->int3 && !w->sent;
}

/* ---- finding what goes into the guest ---- */

#ifndef TC_LIBEXECDIR
#define TC_LIBEXECDIR "/usr/local/libexec/tcpconform"
#endif

/* The harness the guest runs: $TCPCONFORM_STATIC, else the one beside us
 * (build/tcpconform-static in the build tree), else the install's
 * (PREFIX/libexec/tcpconform: ours first, base/paths.h, then the compiled
 * prefix's).  One older than us would be another harness: refused. */
static int find_static_harness(char *out, size_t len, struct err *e)
{
	const char *env = getenv("TCPCONFORM_STATIC");
	char dir[4096], beside[4200], installed[4200];
	struct stat self, st;

	if (env && *env) {
		text_copy(out, len, env);
		if (access(out, X_OK) != 0)
			return err_set(e, ERR_ENV, "no static harness at %s (TCPCONFORM_STATIC)",
			               out);
		return 0;
	}
	if (!paths_self_dir(dir, sizeof(dir)))
		return err_set(e, ERR_ENV, "cannot tell where this tcpconform is (/proc/self/exe)");
	snprintf(beside, sizeof(beside), "%s/tcpconform-static", dir);
	if (access(beside, X_OK) == 0)
		text_copy(out, len, beside);
	else if (paths_installed("libexec/tcpconform/tcpconform-static",
	                         TC_LIBEXECDIR "/tcpconform-static", installed,
	                         sizeof(installed)) &&
	         access(installed, X_OK) == 0)
		text_copy(out, len, installed);
	else
		return err_set(e, ERR_ENV,
		               "no static harness at %s or %s: run `make static` (or `make "
		               "install`, or set TCPCONFORM_STATIC)",
		               beside, installed);
	if (stat("/proc/self/exe", &self) == 0 && stat(out, &st) == 0 &&
	    st.st_mtime < self.st_mtime)
		return err_set(e, ERR_ENV,
		               "%s is older than this tcpconform: run `make static` (or "
		               "`make all static`, or install both again)",
		               out);
	return 0;
}

static int find_busybox(char *out, size_t len, struct err *e)
{
	static const char *const places[] = {"/bin/busybox", "/usr/bin/busybox",
	                                     "/usr/local/bin/busybox", NULL};
	const char *env = getenv("TCPCONFORM_BUSYBOX");
	size_t i;

	if (env && *env) {
		text_copy(out, len, env);
		return 0;
	}
	for (i = 0; places[i]; i++)
		if (elf_is_static(places[i])) {
			text_copy(out, len, places[i]);
			return 0;
		}
	return err_set(e, ERR_ENV,
	               "no static busybox: apt-get install busybox-static (or set "
	               "TCPCONFORM_BUSYBOX)");
}

static int find_catalogue(char *cases, char *fixtures, size_t len, struct err *e)
{
	struct catalogue cat;
	int r;

	if (catalogue_find(&cat, NULL, 0, e) < 0)
		return -1;
	text_copy(cases, len, cat.dir);
	r = catalogue_fixture_path(&cat, ".", fixtures, len);
	catalogue_free(&cat);
	if (r < 0)
		return err_set(e, ERR_INPUT, "the fixtures' path is too long");
	fixtures[strlen(fixtures) - 2] = '\0'; /* "/." */
	return 0;
}

/* ---- the guest ---- */

struct guest {
	struct kernel kn;
	struct kmod_list mods;
	int initrd_fd, serial_fd, console_fd;
	pid_t pid;
	bool kvm;
	int boot_limit_s;     /* to /init, this attempt */
	char accel_note[600]; /* why not KVM */
	char *console;
	size_t console_len;
	struct vm_watch w;
	double t0, t_start, t_done, t_end;
	double t_line; /* the run's start or its last progress line */
	int status;
	char phase_err[600];
	char retried[700]; /* why the first boot was not the one kept */
};

static int build_initrd(struct guest *g, const struct vm_config *o, struct err *e)
{
	char harness[4096], busybox[4096], cases[4096], fixtures[4096];
	struct initramfs in;
	FILE *fp;
	int r;

	if (find_static_harness(harness, sizeof(harness), e) < 0 ||
	    find_busybox(busybox, sizeof(busybox), e) < 0 ||
	    find_catalogue(cases, fixtures, sizeof(cases), e) < 0)
		return -1;
	if (g->kn.moddir[0]) {
		size_t n = sizeof(needed_modules) / sizeof(needed_modules[0]);
		struct kmod_list probe = {0};
		struct err e2;

		/* A kernel without virtio-rng still runs: /init waits for its CRNG. */
		if (kmod_resolve(g->kn.moddir, needed_modules + n - WANTED_MODULES, WANTED_MODULES,
		                 &probe, &e2) < 0)
			n -= WANTED_MODULES;
		kmod_list_free(&probe);
		if (kmod_resolve(g->kn.moddir, needed_modules, n, &g->mods, e) < 0)
			return err_wrap(e, "kernel %s", g->kn.release);
	}
	g->initrd_fd = memfd_create("tcpconform-initramfs", 0);
	if (g->initrd_fd < 0)
		return err_sys(e, "memfd_create");
	fp = fdopen(dup(g->initrd_fd), "w");
	if (!fp)
		return err_sys(e, "fdopen");
	memset(&in, 0, sizeof(in));
	in.harness = harness;
	in.busybox = busybox;
	in.cases = cases;
	in.fixtures = fixtures;
	in.moddir = g->kn.moddir[0] ? g->kn.moddir : NULL;
	in.kconfig = g->kn.config[0] ? g->kn.config : NULL;
	in.mods = &g->mods;
	in.run_args = o->pass;
	in.nrun_args = o->npass;
	r = initramfs_write(fp, &in, e);
	if (fclose(fp) != 0 && r == 0)
		r = err_sys(e, "writing the initramfs");
	return r;
}

static void qemu_child(struct guest *g, const struct vm_config *o, int out_fd)
{
	char initrd[64], serial1[80], mem[32];
	const char *argv[40];
	int n = 0, null = open("/dev/null", O_RDONLY);

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(126);
	if (null >= 0)
		dup2(null, STDIN_FILENO);
	dup2(out_fd, STDOUT_FILENO);
	dup2(out_fd, STDERR_FILENO);
	snprintf(initrd, sizeof(initrd), "/proc/self/fd/%d", g->initrd_fd);
	snprintf(serial1, sizeof(serial1), "file:/proc/self/fd/%d", g->serial_fd);
	snprintf(mem, sizeof(mem), "%d", o->memory_mb);
	argv[n++] = "qemu-system-x86_64";
	argv[n++] = "-nodefaults";
	argv[n++] = "-no-reboot";
	argv[n++] = "-display";
	argv[n++] = "none";
	argv[n++] = "-monitor";
	argv[n++] = "none";
	argv[n++] = "-accel";
	argv[n++] = g->kvm ? "kvm" : "tcg";
	if (g->kvm) {
		argv[n++] = "-cpu";
		argv[n++] = "host";
	}
	argv[n++] = "-m";
	argv[n++] = mem;
	argv[n++] = "-smp";
	argv[n++] = "2";
	argv[n++] = "-kernel";
	argv[n++] = g->kn.image;
	argv[n++] = "-initrd";
	argv[n++] = initrd;
	argv[n++] = "-append";
	/* the guest's run records kernel.panic_on_warn in summary.json */
	argv[n++] =
	    o->panic_on_warn
	        ? "console=ttyS0 panic=-1 oops=panic panic_on_warn=1 quiet loglevel=4 rdinit=/init"
	        : "console=ttyS0 panic=-1 oops=panic quiet loglevel=4 rdinit=/init";
	argv[n++] = "-chardev";
	argv[n++] = "stdio,id=con,signal=off";
	argv[n++] = "-serial";
	argv[n++] = "chardev:con";
	argv[n++] = "-serial";
	argv[n++] = serial1;
	argv[n++] = "-device";
	argv[n++] = "virtio-rng-pci";
	argv[n] = NULL;
	execvp(argv[0], (char *const *)argv);
	fprintf(stderr, "tcpconform: cannot run qemu-system-x86_64: %s\n", strerror(errno));
	_exit(127);
}

static void console_add(struct guest *g, const char *buf, size_t n)
{
	char *nc;

	if (g->console_len + n > CONSOLE_MAX)
		return;
	nc = realloc(g->console, g->console_len + n + 1);
	if (!nc)
		return;
	g->console = nc;
	memcpy(g->console + g->console_len, buf, n);
	g->console_len += n;
	g->console[g->console_len] = '\0';
}

bool vm_kernel_message(const char *line)
{
	size_t i = 1, d;

	if (line[0] != '[')
		return false;
	i += strspn(line + i, " ");
	d = strspn(line + i, "0123456789");
	if (d == 0 || line[i + d] != '.')
		return false;
	i += d + 1;
	d = strspn(line + i, "0123456789");
	return d > 0 && line[i + d] == ']';
}

/* Lines of the guest's run output go to our stdout, as a local run's do. */
static void show_line(const struct guest *g, const char *line)
{
	if (strstr(line, VM_MARK)) {
		fprintf(stderr, "%s\n", line);
		return;
	}
	/* Kernel messages ("[   18.780512] ...") stay in console.log: they
	 * would break the run's progress lines ("[43/271] ..."), which they
	 * interleave with and which must come through: bench mutants stops a
	 * guest at the first changed verdict they show. */
	if (vm_kernel_message(line))
		return;
	if (g->w.start && !g->w.done)
		printf("%s\n", line);
	fflush(stdout);
}

/* The deadline of the stage the guest is in. */
static double stage_deadline(const struct guest *g, const struct vm_config *o, const char **what)
{
	if (!g->w.init) {
		*what = "the guest did not reach /init (a boot that hangs)";
		return g->t0 + g->boot_limit_s * 1e3;
	}
	if (!g->w.start) {
		*what = "the guest's /init did not start the run (module loading hangs)";
		return g->t0 + (o->boot_timeout_s + 60) * 1e3;
	}
	if (!g->w.done) {
		double end = g->t_start + o->timeout_s * 1e3;
		double quiet = g->t_line + VM_SILENCE_S * 1e3;

		if (quiet < end) {
			*what = g->w.progress ? "the run in the guest went silent (no progress "
			                        "line for " SILENCE_TEXT " s: a hang)"
			                      : "the run in the guest went silent before its first "
			                        "scenario ended (nothing for " SILENCE_TEXT " s)";
			return quiet;
		}
		*what = "the run in the guest did not finish";
		return end;
	}
	*what = "the guest did not send its results and power off";
	return g->t_done + 180e3;
}

static int supervise(struct guest *g, const struct vm_config *o, int sfd, struct err *e)
{
	char line[4096];
	size_t ll = 0;
	double panic_at = 0;
	bool eof = false;

	while (!eof) {
		struct pollfd p[2] = {{.fd = g->console_fd, .events = POLLIN},
		                      {.fd = sfd, .events = POLLIN}};
		const char *what;
		double deadline = stage_deadline(g, o, &what), now = clock_ms();
		char buf[8192];
		ssize_t n, i;

		if (panic_at && now > panic_at + 2000) {
			/* the panic's (or stall's) backtrace is in; qemu may not exit */
			if (!g->w.panic)
				snprintf(
				    g->phase_err, sizeof(g->phase_err),
				    "its kernel reported a stall (--stop-on-stall) %.0f s after "
				    "qemu started: %s",
				    (panic_at - g->t0) / 1e3, g->w.cause);
			break;
		}
		if (now >= deadline) {
			snprintf(g->phase_err, sizeof(g->phase_err), "%s within %.0f s", what,
			         (now - g->t0) / 1e3);
			break;
		}
		poll(p, 2, (int)(deadline - now) + 1 < 500 ? (int)(deadline - now) + 1 : 500);
		if (p[1].revents) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				snprintf(g->phase_err, sizeof(g->phase_err),
				         "interrupted by signal %u", si.ssi_signo);
				interrupted = 1;
				return err_set(e, ERR_ENV, "interrupted");
			}
		}
		if (!p[0].revents)
			continue;
		n = read(g->console_fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			eof = true;
			n = 0;
		}
		console_add(g, buf, (size_t)n);
		for (i = 0; i <= n; i++) {
			if (i < n && buf[i] != '\n') {
				if (ll < sizeof(line) - 1)
					line[ll++] = buf[i];
				continue;
			}
			if (i == n && !eof)
				break;
			line[ll] = '\0';
			if (ll) {
				int was_start = g->w.start, was_done = g->w.done;
				int was_progress = g->w.progress;

				vm_watch_line(&g->w, line);
				show_line(g, line);
				if (!was_start && g->w.start)
					g->t_start = g->t_line = clock_ms();
				if (g->w.progress != was_progress)
					g->t_line = clock_ms();
				if (!was_done && g->w.done)
					g->t_done = clock_ms();
				if ((g->w.panic || (g->w.stall && o->stop_on_stall)) && !panic_at)
					panic_at = clock_ms();
			}
			ll = 0;
		}
	}
	return 0;
}

static void stop_qemu(struct guest *g)
{
	int ws = 0;

	if (g->pid <= 0)
		return;
	/* qemu normally exits by itself (poweroff -f, -no-reboot on panic);
	 * give it a moment, then kill its group.  Always reaped. */
	for (int i = 0; i < 50; i++) {
		pid_t r = waitpid(g->pid, &ws, WNOHANG);

		if (r == g->pid) {
			g->status = ws;
			g->pid = 0;
			break;
		}
		usleep(20000);
	}
	if (g->pid > 0) {
		kill(-g->pid, SIGKILL);
		while (waitpid(g->pid, &ws, 0) < 0 && errno == EINTR)
			;
		g->status = ws;
	}
	g->pid = 0;
	g->t_end = clock_ms();
}

/* Why the guest failed, from what its console said. */
static int guest_failure(const struct guest *g, const char *spec, struct err *e)
{
	if (g->w.panic)
		return err_set(e, ERR_ENV, "%s: the guest kernel panicked: %s", spec, g->w.cause);
	if (g->w.missing)
		return err_set(e, ERR_ENV, "%s: a kernel module the run needs did not load: %s",
		               spec, g->w.cause);
	if (g->phase_err[0])
		return err_set(e, ERR_ENV, "%s: %s; last console line: %s", spec, g->phase_err,
		               g->w.last[0] ? g->w.last : "(nothing on the console)");
	if (!g->w.init)
		return err_set(e, ERR_ENV, "%s: qemu exited before the guest reached /init: %s",
		               spec, g->w.last);
	if (!g->w.done)
		return err_set(e, ERR_ENV,
		               "%s: the guest stopped before the run finished; last console "
		               "line: %s",
		               spec, g->w.last);
	if (g->w.run_rc >= 2)
		return err_set(e, g->w.run_rc == EXIT_USAGE ? ERR_INPUT : ERR_ENV,
		               "%s: tcpconform run in the guest exited %d (see its console "
		               "output above)",
		               spec, g->w.run_rc);
	if (!g->w.sent || g->w.sent_rc != 0)
		return err_set(e, ERR_ENV, "%s: the guest could not send its results (%s)", spec,
		               g->w.sent ? "guest-send failed" : "no report");
	return 0;
}

/* ---- results ---- */

/* The serial stream, gunzipped when the guest compressed it. */
static int serial_stream(const struct guest *g, struct spawn_out *o, struct err *e)
{
	unsigned char magic[2] = {0, 0};
	char path[64];
	const char *argv[] = {"gzip", "-dc", path, NULL};
	int r;

	memset(o, 0, sizeof(*o));
	if (pread(g->serial_fd, magic, 2, 0) != 2)
		return err_set(e, ERR_ENV, "the guest sent nothing on its second serial port");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", g->serial_fd);
	if (magic[0] != 0x1f || magic[1] != 0x8b) {
		const char *cat[] = {"cat", path, NULL};

		return spawn_run(cat, NULL, 60000, o, 0, e) == 0 ? 0 : -1;
	}
	r = spawn_run(argv, NULL, 120000, o, 0, e);
	if (r > 0)
		return err_set(e, ERR_ENV,
		               "the results stream from the guest is cut short or corrupted "
		               "(gzip exit %d)",
		               r);
	return r;
}

static int write_text(const char *dir, const char *name, const char *data, size_t len,
                      struct err *e)
{
	char *path = results_path(dir, name, e);
	struct afile af;
	int r;

	if (!path)
		return -1;
	r = afile_open(&af, path, e);
	free(path);
	if (r < 0)
		return -1;
	fwrite(data, 1, len, af.fp);
	return afile_commit(&af, e);
}

/* summary.json gains what a local run cannot know: how the VM went. */
static int add_vm_summary(const char *dir, const struct guest *g, const char *spec,
                          struct vm_result *res, struct err *e)
{
	char *path = results_path(dir, RESULTS_SUMMARY, e);
	json_t *root, *vm;
	int fd, r;

	/* The guest wrote it: read as any results directory is (results.h). */
	fd = path ? resdir_open(dir, 0, e) : -1;
	if (fd < 0) {
		free(path);
		return -1;
	}
	root = results_read_json(fd, RESULTS_SUMMARY, path, e);
	if (!root) {
		close(fd);
		free(path);
		e->kind = ERR_ENV;
		return -1;
	}
	vm = json_object();
	json_object_set_new(vm, "spec", json_string(spec));
	json_object_set_new(vm, "origin", json_string(g->kn.origin));
	if (g->kn.suite[0])
		json_object_set_new(vm, "suite", json_string(g->kn.suite));
	if (g->kn.layout[0])
		json_object_set_new(vm, "layout", json_string(g->kn.layout));
	json_object_set_new(vm, "accel", json_string(g->kvm ? "kvm" : "tcg"));
	if (!g->kvm)
		json_object_set_new(vm, "why_not_kvm", json_string(g->accel_note));
	json_object_set_new(vm, "kernel_release", json_string(g->w.release));
	json_object_set_new(vm, "boot_ms", json_real(res->boot_ms));
	json_object_set_new(vm, "guest_uptime_at_start_s", json_real(g->w.guest_start_s));
	json_object_set_new(vm, "run_ms", json_real(res->run_ms));
	json_object_set_new(vm, "vm_wall_ms", json_real(res->wall_ms));
	json_object_set_new(vm, "modules", json_integer((json_int_t)g->mods.n));
	if (g->retried[0])
		json_object_set_new(vm, "retried", json_string(g->retried));
	json_object_set_new(root, "vm", vm);
	r = results_write_json(fd, RESULTS_SUMMARY, path, root, 0, e);
	close(fd);
	free(path);
	json_decref(root);
	return r;
}

static void link_latest(const char *id)
{
	char tmp[256];

	snprintf(tmp, sizeof(tmp), "results/.latest.%d", (int)getpid());
	unlink(tmp);
	if (symlink(id, tmp) == 0 && rename(tmp, "results/latest") < 0)
		unlink(tmp);
}

/* Receive into results/.incoming-PID, then name it after the guest's run. */
static int land_results(struct guest *g, const struct vm_config *o, const char *spec,
                        struct vm_result *res, struct err *e)
{
	struct spawn_out s;
	char tmpdir[128], id[128] = "";
	const char *dest;
	FILE *in;
	size_t nfiles;
	int r;

	if (serial_stream(g, &s, e) < 0)
		return err_wrap(e, "%s", spec);
	snprintf(tmpdir, sizeof(tmpdir), "results/.incoming-%d", (int)getpid());
	dest = o->outdir ? o->outdir : tmpdir;
	if (dirs_make(dest, e) < 0) {
		spawn_out_free(&s);
		return err_sys(e, "creating %s", dest);
	}
	in = fmemopen(s.data, s.len ? s.len : 1, "r");
	if (!in) {
		spawn_out_free(&s);
		return err_sys(e, "fmemopen");
	}
	r = transport_receive(in, dest, &nfiles, e);
	fclose(in);
	spawn_out_free(&s);
	if (r < 0)
		return err_wrap(e, "%s", spec);
	if (write_text(dest, "console.log", g->console ? g->console : "", g->console_len, e) < 0 ||
	    add_vm_summary(dest, g, spec, res, e) < 0)
		return -1;
	if (!o->outdir) {
		struct err e2;
		json_t *sum = NULL;
		const char *rid;
		int dfd = resdir_open(dest, 0, &e2);

		if (dfd >= 0) {
			sum = results_read_json(dfd, RESULTS_SUMMARY, RESULTS_SUMMARY, &e2);
			close(dfd);
		}
		/* The guest names the run: a plain name, or none (resdir.h). */
		rid = json_string_value(json_object_get(sum, "run_id"));
		snprintf(id, sizeof(id), "%s",
		         rid && strlen(rid) < 100 && resdir_name_check(rid, "run_id", &e2) == 0
		             ? rid
		             : "vm");
		json_decref(sum);
		snprintf(res->dir, sizeof(res->dir), "results/%s", id);
		if (access(res->dir, F_OK) == 0) {
			snprintf(id + strlen(id), sizeof(id) - strlen(id), "-vm%d", (int)getpid());
			snprintf(res->dir, sizeof(res->dir), "results/%s", id);
		}
		if (rename(dest, res->dir) < 0)
			return err_sys(e, "renaming %s", dest);
		link_latest(id);
	} else {
		text_copy(res->dir, sizeof(res->dir), o->outdir);
	}
	return 0;
}

/* Keep the console of a failed guest where the user can read it. */
static void keep_failed_console(const struct guest *g, const char *label)
{
	char path[300];
	struct err e;

	if (dirs_make("results", &e) < 0)
		return;
	snprintf(path, sizeof(path), "vm-%.100s-console.log", label);
	if (write_text("results", path, g->console ? g->console : "", g->console_len, &e) == 0)
		fprintf(stderr, "tcpconform: the guest's console is in results/%s\n", path);
}

/* One boot of qemu, supervised to its end; the outcome is in @g. */
static int boot(struct guest *g, const struct vm_config *o, int sfd, struct err *e)
{
	sigset_t none;
	int p[2], r;

	if (pipe2(p, O_CLOEXEC) < 0)
		return err_sys(e, "pipe");
	fprintf(stderr, "tcpconform: booting %s (%s%s%s%s%s) under %s\n", g->kn.origin,
	        g->kn.release[0] ? g->kn.release : "release known at boot",
	        g->kn.suite[0] ? ", " : "", g->kn.suite, g->kn.layout[0] ? ", layout " : "",
	        g->kn.layout, g->kvm ? "KVM" : "TCG");
	g->t0 = clock_ms();
	g->pid = fork();
	if (g->pid < 0) {
		close(p[0]);
		close(p[1]);
		return err_sys(e, "fork");
	}
	if (g->pid == 0) {
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		qemu_child(g, o, p[1]);
	}
	setpgid(g->pid, g->pid);
	close(p[1]);
	g->console_fd = p[0];
	r = supervise(g, o, sfd, e);
	stop_qemu(g);
	close(g->console_fd);
	g->console_fd = -1;
	return r;
}

/* Forget a boot whose outcome is not kept, ready for the next one. */
static bool forget_boot(struct guest *g)
{
	free(g->console);
	g->console = NULL;
	g->console_len = 0;
	memset(&g->w, 0, sizeof(g->w));
	g->phase_err[0] = '\0';
	g->t_start = g->t_done = g->t_line = 0;
	return ftruncate(g->serial_fd, 0) == 0;
}

/* KVM that could not bring the guest to /init: say why, forget this boot. */
static bool kvm_failed(struct guest *g, const struct vm_config *o, const char *spec)
{
	if (!g->kvm || g->w.init || interrupted || o->accel == ACCEL_KVM)
		return false;
	if (g->phase_err[0])
		snprintf(g->accel_note, sizeof(g->accel_note),
		         "a guest did not reach /init under KVM within %d s", g->boot_limit_s);
	else
		snprintf(g->accel_note, sizeof(g->accel_note), "qemu under KVM exited: %.400s",
		         g->w.last[0] ? g->w.last : "(nothing on the console)");
	fprintf(stderr, "tcpconform: %s: %s; booting again under TCG\n", spec, g->accel_note);
	accel_kvm_failed(g->accel_note);
	g->kvm = false;
	g->boot_limit_s = o->boot_timeout_s;
	return forget_boot(g);
}

/* A guest that panicked, or hung, before its first scenario ended: under
 * TCG a kernel patching its own text (static keys, alternatives) while the
 * other vCPU runs it has died so at random (an int3 in sched_clock_cpu() at
 * 1.2 s on 6.12, in get_random_u32() at 2.0 s on 6.1; a 5.10 run silent
 * from its start), never twice in a row.  Boot once more, and say so.  A
 * kernel that dies so every time still fails, on its second boot.
 * Under TCG the same int3 can come later: a 6.12.118 guest died of it
 * mid-catalogue in __netif_receive_skb_core() (the receive-timestamp key,
 * since held on for a run: host/netstamp.h) and at 172 s in
 * ttwu_do_activate() (the sched_wakeup tracepoint's key, which enabling
 * trace events flips for their pid recording); so a TCG guest that panicked
 * after an "Oops: int3", at any time, runs once more too.  Under KVM, or
 * any other panic after the first scenario, the failure stands. */
static bool died_early(struct guest *g, const char *label, const char *spec)
{
	bool early, patched;

	if (interrupted || g->retried[0])
		return false;
	early = vm_died_early(&g->w, g->phase_err[0] != '\0');
	patched = !early && !g->kvm && vm_died_of_text_patch(&g->w);
	if (!early && !patched)
		return false;
	snprintf(g->retried, sizeof(g->retried), "%s%s",
	         patched ? "an int3 of the kernel's text patching under TCG: " : "",
	         g->w.panic ? g->w.cause : g->phase_err);
	fprintf(stderr, "tcpconform: %s: %s, %s; booting once more (%s)\n", spec, g->retried,
	        early ? "before its first scenario ended" : "during the catalogue",
	        g->kvm ? "KVM" : "TCG");
	keep_failed_console(g, label);
	return forget_boot(g);
}

static void choose_accel(struct guest *g, const struct vm_config *o)
{
	g->boot_limit_s = o->boot_timeout_s;
	if (o->accel == ACCEL_TCG) {
		snprintf(g->accel_note, sizeof(g->accel_note), "--accel tcg");
		return;
	}
	g->kvm = o->accel == ACCEL_KVM || accel_kvm_usable(g->accel_note, sizeof(g->accel_note));
	/* Under KVM a kernel reaches /init in a few seconds; a nested host's
	 * KVM that hangs the guest must not cost the whole boot limit. */
	if (g->kvm && o->accel == ACCEL_AUTO && g->boot_limit_s > KVM_BOOT_LIMIT_S)
		g->boot_limit_s = KVM_BOOT_LIMIT_S;
}

/* fixtures/kernel/config of the catalogue in use, parsed. */
static int load_fragment(char *path, size_t len, struct kfrag *f, struct err *e)
{
	struct catalogue cat;
	int r;

	if (catalogue_find(&cat, NULL, 0, e) < 0)
		return -1;
	r = catalogue_fixture_path(&cat, "kernel/config", path, len);
	catalogue_free(&cat);
	if (r < 0)
		return err_set(e, ERR_INPUT, "the fixtures' path is too long");
	return kfrag_load(path, f, e);
}

/* The kernel's configuration against the fragment, before any boot: an
 * option no case can do without is ERR_ENV naming every one of them. */
static int check_config(const struct kernel *kn, const struct kfrag *f, const char *frag_path,
                        struct err *e)
{
	struct kconfig kc;
	char missing[2048];
	size_t n;

	if (!kn->config[0]) {
		fprintf(stderr,
		        "tcpconform: no configuration found for %s: its options are not checked "
		        "before the boot (%s lists them)\n",
		        kn->image, frag_path);
		return 0;
	}
	if (kconfig_load(kn->config, &kc, e) < 0)
		return -1;
	n = kfrag_blocking(f, &kc, kn->moddir[0] != '\0', true, missing, sizeof(missing));
	kconfig_free(&kc);
	if (n)
		return err_set(
		    e, ERR_ENV, "the kernel lacks %s: %s (%s lists what the catalogue needs)",
		    n == 1 ? "an option the catalogue needs" : "options the catalogue needs",
		    missing, frag_path);
	return 0;
}

/* Fetch, unpack or build the kernel, then check its configuration. */
static int prepare_kernel(const struct kspec *k, struct kernel *kn, struct err *e)
{
	char frag_path[4096];
	struct kfrag f;
	int r;

	if (load_fragment(frag_path, sizeof(frag_path), &f, e) < 0)
		return -1;
	if (k->kind == KSPEC_SRC)
		r = ksrc_build(k, frag_path, &f, kn, e);
	else
		r = kspec_fetch(k, kn, e);
	if (r == 0)
		r = check_config(kn, &f, frag_path, e);
	kfrag_free(&f);
	return r;
}

static int vm_one(const struct kspec *k, const char *spec, const struct vm_config *o,
                  struct vm_result *res, struct err *e)
{
	struct guest g;
	sigset_t mask, old;
	int sfd = -1, r = -1;

	memset(&g, 0, sizeof(g));
	memset(res, 0, sizeof(*res));
	g.initrd_fd = g.serial_fd = g.console_fd = -1;
	{
		char harness[4096];

		/* Before any download or build: the guest needs it. */
		if (find_static_harness(harness, sizeof(harness), e) < 0)
			return -1;
	}
	if (prepare_kernel(k, &g.kn, e) < 0)
		return -1;
	if (build_initrd(&g, o, e) < 0)
		goto out;
	g.serial_fd = memfd_create("tcpconform-serial1", 0);
	if (g.serial_fd < 0) {
		err_sys(e, "memfd_create");
		goto out;
	}
	choose_accel(&g, o);
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, &old);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	r = boot(&g, o, sfd, e);
	if (r == 0 && kvm_failed(&g, o, spec))
		r = boot(&g, o, sfd, e);
	if (r == 0 && died_early(&g, k->label, spec))
		r = boot(&g, o, sfd, e);
	res->wall_ms = g.t_end - g.t0;
	res->boot_ms = g.t_start ? g.t_start - g.t0 : 0;
	res->run_ms = g.t_done && g.t_start ? g.t_done - g.t_start : 0;
	if (r == 0)
		r = guest_failure(&g, spec, e);
	if (r == 0)
		r = land_results(&g, o, spec, res, e);
	if (r < 0)
		keep_failed_console(&g, k->label);
	else
		res->rc = g.w.run_rc;
	if (sfd >= 0)
		close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
out:
	if (g.initrd_fd >= 0)
		close(g.initrd_fd);
	if (g.serial_fd >= 0)
		close(g.serial_fd);
	kmod_list_free(&g.mods);
	free(g.console);
	return r;
}

int vm_run(const struct vm_config *o, const struct kspec *k, struct vm_result *res, struct err *e)
{
	memset(res, 0, sizeof(*res));
	if (dirs_make("results", e) < 0 && !o->outdir) {
		res->rc = EXIT_ENV;
		return err_set(e, ERR_ENV, "creating results: %s", strerror(errno));
	}
	if (vm_one(k, o->kernel, o, res, e) < 0) {
		res->rc = interrupted                       ? 130
		          : err_exit_status(e) == EXIT_PASS ? EXIT_UNEXPECTED
		                                            : err_exit_status(e);
		return -1;
	}
	return 0;
}
