// SPDX-License-Identifier: GPL-2.0-only
/* initramfs.c - the guest's root file system and its /init. */
#include "vm/initramfs.h"

#include <dirent.h>
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/spawn.h"
#include "base/text.h"
#include "vm/cpio.h"

#define GUEST_DIR "/opt/tcpconform"
#define GUEST_REL "opt/tcpconform" /* the same, as an archive name */

/* The guest's init.  Every stage says where it is on the console; a
 * module that does not load stops the run with its name.  @ARGS@ is the
 * quoted argument list of `tcpconform run`. */
static const char init_head[] =
    "#!/bin/sh\n"
    "/bin/busybox --install -s /bin\n"
    "export PATH=/bin\n"
    "mount -t proc proc /proc\n"
    "mount -t sysfs sysfs /sys\n"
    "mount -t devtmpfs devtmpfs /dev 2>/dev/null\n"
    "mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null ||\n"
    "    mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null\n"
    /* No pid-to-name recording by the tracer: the run's trace events,
     * enabled at its start and disabled at its end, would hook the
     * scheduler's tracepoints for it (kernel/trace/trace_events.c
     * tracing_start_cmdline_record()), flipping sched_wakeup's static key:
     * text patching under a running vCPU, which killed a 6.12 guest under
     * TCG ("Oops: int3" in ttwu_do_activate()).  The guest is ours; the
     * trace lines then name tasks "<...>", which nothing reads. */
    "for t in /sys/kernel/tracing /sys/kernel/debug/tracing; do\n"
    "    [ -w $t/options/record-cmd ] && echo 0 > $t/options/record-cmd\n"
    "done\n"
    "echo \"" VM_MARK_INIT "$(uname -r) $(cut -d' ' -f1 /proc/uptime)\"\n"
    "bye() { sync; poweroff -f; sleep 5; echo o > /proc/sysrq-trigger; }\n"
    "while read -r m; do\n"
    "    out=$(insmod \"/lib/modules/$m\" 2>&1) || {\n"
    "        echo \"" VM_MARK_MISSING "$m: $out\"; bye; }\n"
    "done < /etc/tcpconform-modules\n"
    "ip link set lo up 2>/dev/null\n"
    /* The CRNG ready before the run: when it becomes ready the kernel flips
     * static keys (random.c crng_set_ready()), patching its text; under TCG
     * that once panicked a guest in get_random_u32() mid-run.  Reading
     * /dev/random blocks until then (since 5.6; virtio-rng or the jitter
     * entropy of try_to_generate_entropy() end the wait). */
    "timeout 60 dd if=/dev/random of=/dev/null bs=1 count=1 2>/dev/null ||\n"
    "    echo \"tcpconform-guest: the CRNG was not ready within 60 s\"\n"
    "cd " GUEST_DIR "\n"
    "echo \"" VM_MARK_START "$(cut -d' ' -f1 /proc/uptime)\"\n"
    /* -j 16 first, so that a -j among the arguments wins: the guests'
     * timing figures under TCG were measured with 16 at once */
    "( ./tcpconform run -j 16 -o /results/run";

static const char init_tail[] =
    "; echo $? > /tmp/rc ) 2>&1 | cat\n"
    "echo \"" VM_MARK_DONE "$(cat /tmp/rc) $(cut -d' ' -f1 /proc/uptime)\"\n"
    /* A kernel built with gcov (`bench reach`): the counters of its
     * profiled files join the results, as DIR/FILE.gcda under
     * kernel-gcov/ (the last two folders of the build's path). */
    "if [ -d /sys/kernel/debug/gcov ] ||\n"
    "    mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null; then\n"
    "    find /sys/kernel/debug/gcov -name '*.gcda' 2>/dev/null | while read -r f; do\n"
    "        rel=$(echo \"$f\" | awk -F/ '{print $(NF-2) \"/\" $(NF-1) \"/\" $NF}')\n"
    "        mkdir -p \"/results/run/kernel-gcov/${rel%/*}\" &&\n"
    "            cat \"$f\" > \"/results/run/kernel-gcov/$rel\"\n"
    "    done\n"
    "fi\n"
    "stty -F /dev/ttyS1 raw -echo cs8 -parenb -istrip -opost 2>/dev/null\n"
    "set -o pipefail\n"
    "./tcpconform guest-send /results/run | gzip -6 > /dev/ttyS1\n"
    "echo \"" VM_MARK_SENT "$? $(cut -d' ' -f1 /proc/uptime)\"\n"
    "bye\n";

void sh_quote(char *out, size_t len, const char *arg)
{
	size_t o = 0;

	if (len < 3) {
		out[0] = '\0';
		return;
	}
	out[o++] = '\'';
	for (; *arg && o + 6 < len; arg++) {
		if (*arg == '\'') {
			memcpy(out + o, "'\\''", 4);
			o += 4;
		} else {
			out[o++] = *arg;
		}
	}
	out[o++] = '\'';
	out[o] = '\0';
}

int elf_is_static(const char *path)
{
	FILE *fp = fopen(path, "rb");
	Elf64_Ehdr eh;
	int i, is_static = 0;

	if (!fp)
		return 0;
	if (fread(&eh, sizeof(eh), 1, fp) == 1 && memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 &&
	    eh.e_ident[EI_CLASS] == ELFCLASS64) {
		is_static = 1;
		for (i = 0; i < eh.e_phnum; i++) {
			Elf64_Phdr ph;

			if (fseek(fp, (long)(eh.e_phoff + (Elf64_Off)i * eh.e_phentsize),
			          SEEK_SET) < 0 ||
			    fread(&ph, sizeof(ph), 1, fp) != 1) {
				is_static = 0;
				break;
			}
			if (ph.p_type == PT_INTERP)
				is_static = 0;
		}
	}
	fclose(fp);
	return is_static;
}

static int add_tree(struct cpio *c, const char *dir, const char *dest, struct err *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int r = 0;

	if (!d)
		return err_sys(e, "opening %s", dir);
	if (cpio_dir(c, dest, 0755) < 0)
		r = err_sys(e, "writing the initramfs");
	while (r == 0 && (de = readdir(d))) {
		char src[4400], dst[4400];
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(src, sizeof(src), "%s/%s", dir, de->d_name) >= sizeof(src) ||
		    (size_t)snprintf(dst, sizeof(dst), "%s/%s", dest, de->d_name) >= sizeof(dst)) {
			r = err_set(e, ERR_INPUT, "path too long: %s", de->d_name);
			break;
		}
		if (stat(src, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			r = add_tree(c, src, dst, e);
		else if (S_ISREG(st.st_mode))
			r = cpio_file(c, dst, 0644, src, e);
	}
	closedir(d);
	return r;
}

/* A module, decompressed when it is .ko.xz, .ko.zst or .ko.gz: busybox
 * insmod takes plain ELF only. */
static int add_module(struct cpio *c, const char *moddir, const char *rel, const char *name,
                      struct err *e)
{
	char src[4400], dst[320];
	const char *tool = NULL;
	size_t len = strlen(rel);

	snprintf(src, sizeof(src), "%s/%s", moddir, rel);
	snprintf(dst, sizeof(dst), "lib/modules/%s", name);
	if (len > 3 && strcmp(rel + len - 3, ".xz") == 0)
		tool = "xz";
	else if (len > 4 && strcmp(rel + len - 4, ".zst") == 0)
		tool = "zstd";
	else if (len > 3 && strcmp(rel + len - 3, ".gz") == 0)
		tool = "gzip";
	if (!tool)
		return cpio_file(c, dst, 0644, src, e);
	{
		const char *argv[] = {tool, "-dc", src, NULL};
		struct spawn_out o;
		int r = spawn_run(argv, NULL, 60 * 1000, &o, 0, e);

		if (r > 0)
			err_set(e, ERR_ENV, "%s -dc %s failed (exit %d)", tool, src, r);
		if (r == 0 && cpio_data(c, dst, 0644, o.data, o.len) < 0)
			r = err_sys(e, "writing the initramfs");
		spawn_out_free(&o);
		return r == 0 ? 0 : -1;
	}
}

static int add_modules(struct cpio *c, const struct initramfs *in, struct err *e)
{
	char *list = NULL;
	size_t llen = 0, i;
	FILE *lf = open_memstream(&list, &llen);
	int r = 0;

	if (!lf)
		return err_sys(e, "open_memstream");
	for (i = 0; in->mods && i < in->mods->n && r == 0; i++) {
		char name[300], base[256];

		kmod_name(in->mods->paths[i], base, sizeof(base));
		snprintf(name, sizeof(name), "%02zu-%s.ko", i, base);
		r = add_module(c, in->moddir, in->mods->paths[i], name, e);
		fprintf(lf, "%s\n", name);
	}
	fclose(lf);
	if (r == 0 && cpio_data(c, "etc/tcpconform-modules", 0644, list, llen) < 0)
		r = err_sys(e, "writing the initramfs");
	free(list);
	return r;
}

static int add_init(struct cpio *c, const struct initramfs *in, struct err *e)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);
	int i, r;

	if (!f)
		return err_sys(e, "open_memstream");
	fputs(init_head, f);
	/* Cases that need an option this kernel lacks are skipped, naming it. */
	if (in->kconfig)
		fputs(" --kernel-config kernel.config", f);
	for (i = 0; i < in->nrun_args; i++) {
		char q[2048];

		sh_quote(q, sizeof(q), in->run_args[i]);
		fprintf(f, " %s", q);
	}
	fputs(init_tail, f);
	fclose(f);
	r = cpio_data(c, "init", 0755, s, len);
	free(s);
	return r < 0 ? err_sys(e, "writing the initramfs") : 0;
}

int initramfs_write(FILE *out, const struct initramfs *in, struct err *e)
{
	static const char *const dirs[] = {"bin", "dev", "etc",     "lib", "lib/modules", "proc",
	                                   "sys", "tmp", "results", "opt", NULL};
	struct cpio c;
	size_t i;

	if (!elf_is_static(in->busybox))
		return err_set(e, ERR_ENV, "%s is not a static executable: install busybox-static",
		               in->busybox);
	if (!elf_is_static(in->harness))
		return err_set(e, ERR_ENV, "%s is not a static executable: run make static",
		               in->harness);
	cpio_start(&c, out);
	for (i = 0; dirs[i]; i++)
		cpio_dir(&c, dirs[i], 0755);
	cpio_chardev(&c, "dev/console", 0600, 5, 1);
	cpio_symlink(&c, "bin/sh", "busybox");
	if (cpio_file(&c, "bin/busybox", 0755, in->busybox, e) < 0 ||
	    cpio_dir(&c, GUEST_REL, 0755) < 0 ||
	    cpio_file(&c, GUEST_REL "/tcpconform", 0755, in->harness, e) < 0 ||
	    add_tree(&c, in->cases, GUEST_REL "/cases", e) < 0 ||
	    add_tree(&c, in->fixtures, GUEST_REL "/fixtures", e) < 0 ||
	    (in->kconfig && cpio_file(&c, GUEST_REL "/kernel.config", 0644, in->kconfig, e) < 0) ||
	    add_modules(&c, in, e) < 0 || add_init(&c, in, e) < 0)
		return -1;
	return cpio_finish(&c, e);
}
