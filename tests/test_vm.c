// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_vm.c - the pieces of `tcpconform vm` that need no VM: kernel specs,
 * Debian package matching, module dependency resolution from depmod's
 * files, the results stream (round trip, truncation, corruption, hostile
 * paths), the newc archive (read back by an independent cpio) and the
 * console watcher, the choice of accelerator.  `make check-vm` boots a
 * real kernel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"

#include "model/kconfig.h"
#include "out/transport.h"
#include "vm/accel.h"
#include "vm/cpio.h"
#include "vm/debindex.h"
#include "vm/initramfs.h"
#include "vm/kmod.h"
#include "vm/kspec.h"
#include "vm/ksrc.h"
#include "vm/matrix.h"
#include "vm/vm.h"

static char tmp[64];

static int setup(void **state)
{
	(void)state;
	return tl_tmpdir(tmp, sizeof(tmp), "vm");
}

static int teardown(void **state)
{
	(void)state;
	return tl_rmtree(tmp);
}

static void put(const char *rel, const char *text)
{
	char path[512], cmd[600];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname %s)\"", path);
	assert_int_equal(system(cmd), 0);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* ---- kernel specs ---- */

static void test_kspec_good(void **state)
{
	struct kspec k;
	struct err e;
	size_t bad;

	(void)state;
	assert_int_equal(kspec_parse("host", &k, &bad, &e), 0);
	assert_int_equal(k.kind, KSPEC_HOST);
	assert_int_equal(kspec_parse("debian:6.1", &k, &bad, &e), 0);
	assert_int_equal(k.kind, KSPEC_DEBIAN);
	assert_string_equal(k.version, "6.1");
	assert_string_equal(k.flavour, "amd64");
	assert_string_equal(k.label, "debian-6.1");
	assert_int_equal(kspec_parse("debian:6.1:cloud", &k, &bad, &e), 0);
	assert_string_equal(k.flavour, "cloud-amd64");
	assert_int_equal(kspec_parse("debian:6.1.0-56", &k, &bad, &e), 0);
	assert_string_equal(k.version, "6.1.0-56");

	put("bzImage", "not really a kernel");
	put("mods/lib/modules/6.1.0-x/modules.dep", "");
	{
		char spec[256];

		snprintf(spec, sizeof(spec), "%s/bzImage", tmp);
		assert_int_equal(kspec_parse(spec, &k, &bad, &e), 0);
		assert_int_equal(k.kind, KSPEC_IMAGE);
		assert_string_equal(k.moddir, "");
		snprintf(spec, sizeof(spec), "%s/bzImage:%s/mods", tmp, tmp);
		assert_int_equal(kspec_parse(spec, &k, &bad, &e), 0);
		assert_int_equal(k.kind, KSPEC_IMAGE);
		assert_true(strstr(k.moddir, "/mods") != NULL);
	}
}

static void check_bad(const char *spec, size_t want_off, const char *want_msg)
{
	struct kspec k;
	struct err e;
	size_t bad = 999;

	assert_int_equal(kspec_parse(spec, &k, &bad, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	if (bad != want_off || !strstr(e.msg, want_msg))
		fail_msg("%s: offset %zu (want %zu), message '%s' (want '%s')", spec, bad, want_off,
		         e.msg, want_msg);
}

static void test_kspec_bad(void **state)
{
	(void)state;
	check_bad("", 0, "empty");
	check_bad("debian:", 7, "no version");
	check_bad("debian:6.x", 9, "digits and dots");
	check_bad("debian:6..1", 9, "digits and dots");
	check_bad("debian:6.1:", 11, "empty flavour");
	check_bad("debian:6.1:Cloud", 11, "flavour");
	check_bad("ubuntu:22.04", 0, "unknown kernel source 'ubuntu'");
	check_bad("/nonexistent/linux.deb", 0, "no such package file");
	check_bad("/nonexistent/bzImage", 0, "is not host");
}

static void test_kspec_bad_moddir(void **state)
{
	char spec[256];

	(void)state;
	put("bzImage", "x");
	snprintf(spec, sizeof(spec), "%s/bzImage:/nonexistent", tmp);
	check_bad(spec, strlen(tmp) + strlen("/bzImage:"), "no such modules directory");
}

/* A directory that looks like an x86 kernel tree to kspec_parse(). */
static void fake_tree(const char *rel)
{
	static const char *const marks[] = {"Makefile", "Kconfig", "arch/x86/Kconfig",
	                                    "scripts/kconfig/merge_config.sh"};
	char p[256];

	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", rel, marks[i]);
		put(p, "# x\n");
	}
}

static void test_kspec_src(void **state)
{
	struct kspec k, k2;
	struct err e;
	size_t bad;
	char spec[512], c1[4096], o1[4096], c2[4096], o2[4096], link[300];

	(void)state;
	fake_tree("linux-6.1");
	fake_tree("other/linux-6.1");
	put("obj/.keep", "");
	snprintf(spec, sizeof(spec), "src:%s/linux-6.1", tmp);
	assert_int_equal(kspec_parse(spec, &k, &bad, &e), 0);
	assert_int_equal(k.kind, KSPEC_SRC);
	assert_string_equal(k.label, "src-linux-6.1");
	assert_string_equal(k.moddir, "");
	/* The build directory is keyed by the tree's real path: a symlink to
	 * the same tree shares it, another tree of the same name does not. */
	setenv("XDG_CACHE_HOME", tmp, 1);
	assert_int_equal(ksrc_dirs(&k, c1, sizeof(c1), o1, sizeof(o1), &e), 0);
	assert_non_null(strstr(c1, "/tcpconform/builds/src-linux-6.1-"));
	assert_non_null(strstr(o1, c1));
	snprintf(link, sizeof(link), "%s/alias", tmp);
	snprintf(spec, sizeof(spec), "%s/linux-6.1", tmp);
	assert_int_equal(symlink(spec, link), 0);
	snprintf(spec, sizeof(spec), "src:%s", link);
	assert_int_equal(kspec_parse(spec, &k2, &bad, &e), 0);
	assert_int_equal(ksrc_dirs(&k2, c2, sizeof(c2), o2, sizeof(o2), &e), 0);
	assert_string_equal(c1, c2);
	snprintf(spec, sizeof(spec), "src:%s/other/linux-6.1", tmp);
	assert_int_equal(kspec_parse(spec, &k2, &bad, &e), 0);
	assert_int_equal(ksrc_dirs(&k2, c2, sizeof(c2), o2, sizeof(o2), &e), 0);
	assert_string_not_equal(c1, c2);
	/* src:PATH:BUILDDIR builds there. */
	snprintf(spec, sizeof(spec), "src:%s/linux-6.1:%s/obj", tmp, tmp);
	assert_int_equal(kspec_parse(spec, &k, &bad, &e), 0);
	assert_int_equal(ksrc_dirs(&k, c1, sizeof(c1), o1, sizeof(o1), &e), 0);
	assert_non_null(strstr(o1, "/obj"));
	assert_null(strstr(o1, "/builds/"));
	unsetenv("XDG_CACHE_HOME");
}

static void test_kspec_src_bad(void **state)
{
	char spec[512];

	(void)state;
	check_bad("src:", 4, "needs a kernel source tree");
	check_bad("src:/nonexistent/linux", 4, "no such directory");
	put("notlinux/Makefile", "x");
	snprintf(spec, sizeof(spec), "src:%s/notlinux", tmp);
	check_bad(spec, 4, "not an x86 kernel source tree (no Kconfig)");
	fake_tree("linux");
	snprintf(spec, sizeof(spec), "src:%s/linux:/nonexistent", tmp);
	check_bad(spec, strlen(tmp) + strlen("src:/linux:"), "no such build directory");
}

/* A build directory the user configured without what the catalogue needs:
 * refused before make runs, naming each missing option. */
static void test_ksrc_user_config_checked(void **state)
{
	struct kspec k;
	struct kernel kn;
	struct kfrag f;
	struct err e;
	size_t bad;
	char spec[512];
	const char frag[] = "CONFIG_VETH=y # harness: the links\n"
	                    "CONFIG_PACKET=y # harness: the wire\n"
	                    "CONFIG_SYN_COOKIES=y # cases: syn-flood (cookies)\n";

	(void)state;
	fake_tree("linux");
	put("obj/.config", "CONFIG_PACKET=y\n# CONFIG_VETH is not set\n");
	assert_int_equal(kfrag_parse(frag, strlen(frag), "frag", &f, &e), 0);
	snprintf(spec, sizeof(spec), "src:%s/linux:%s/obj", tmp, tmp);
	assert_int_equal(kspec_parse(spec, &k, &bad, &e), 0);
	setenv("XDG_CACHE_HOME", tmp, 1);
	assert_int_equal(ksrc_build(&k, "frag", &f, &kn, &e), -1);
	unsetenv("XDG_CACHE_HOME");
	assert_int_equal(e.kind, ERR_ENV);
	assert_non_null(strstr(e.msg, "lacks what the catalogue needs: CONFIG_VETH (the links)"));
	assert_null(strstr(e.msg, "SYN_COOKIES"));
	kfrag_free(&f);
}

static void test_ksrc_first_error(void **state)
{
	const char log[] = "  CC      net/ipv4/tcp.o\n"
	                   "net/ipv4/tcp_minisocks.c: In function 'tcp_time_wait':\n"
	                   "net/ipv4/tcp_minisocks.c:270:9: error: 'tw' undeclared\n"
	                   "make[3]: *** [scripts/Makefile.build:250: net/ipv4/tcp_minisocks.o] "
	                   "Error 1\n";
	const char log2[] = "make[1]: *** [Makefile:1234: vmlinux] Error 2\n";
	char buf[200];

	(void)state;
	assert_string_equal(ksrc_first_error(log, strlen(log), buf, sizeof(buf)),
	                    "net/ipv4/tcp_minisocks.c:270:9: error: 'tw' undeclared");
	assert_string_equal(ksrc_first_error(log2, strlen(log2), buf, sizeof(buf)),
	                    "make[1]: *** [Makefile:1234: vmlinux] Error 2");
	assert_string_equal(ksrc_first_error("", 0, buf, sizeof(buf)), "");
	{
		const char link[] = "  LD      vmlinux.o\n"
		                    "ld: vmlinux.o: in function `inet_csk_accept':\n"
		                    "inet_connection_sock.c:(.text+0x1b2): undefined reference to "
		                    "`x'\n"
		                    "make[2]: *** [scripts/Makefile.vmlinux:34: vmlinux] Error 1\n";

		assert_string_equal(ksrc_first_error(link, strlen(link), buf, sizeof(buf)),
		                    "ld: vmlinux.o: in function `inet_csk_accept':");
	}
}

static void test_debian_match(void **state)
{
	(void)state;
	assert_true(deb_image_match("linux-image-6.1.0-56-amd64", "6.1", "amd64"));
	assert_true(deb_image_match("linux-image-6.12.117+deb12-amd64", "6.12", "amd64"));
	assert_true(deb_image_match("linux-image-6.1.0-56-cloud-amd64", "6.1", "cloud-amd64"));
	assert_true(deb_image_match("linux-image-6.1.0-56-amd64", "6.1.0-56", "amd64"));
	/* 6.1 is not 6.12, and other flavours, debug and unsigned packages are out. */
	assert_false(deb_image_match("linux-image-6.12.117+deb12-amd64", "6.1", "amd64"));
	assert_false(deb_image_match("linux-image-6.1.0-56-cloud-amd64", "6.1", "amd64"));
	assert_false(deb_image_match("linux-image-6.1.0-56-rt-amd64", "6.1", "amd64"));
	assert_false(deb_image_match("linux-image-6.1.0-56-amd64-dbg", "6.1", "amd64"));
	assert_false(deb_image_match("linux-image-6.1.0-56-amd64-unsigned", "6.1", "amd64"));
	assert_false(deb_image_match("linux-image-amd64", "6.1", "amd64"));
	assert_false(deb_image_match("linux-headers-6.1.0-56-amd64", "6.1", "amd64"));
}

static void test_cache_dir(void **state)
{
	char dir[4096], *old = getenv("XDG_CACHE_HOME") ? strdup(getenv("XDG_CACHE_HOME")) : NULL;
	struct err e;

	(void)state;
	setenv("XDG_CACHE_HOME", "/var/tmp/xdg", 1);
	assert_int_equal(kspec_cache_dir(dir, sizeof(dir), &e), 0);
	assert_string_equal(dir, "/var/tmp/xdg/tcpconform/kernels");
	unsetenv("XDG_CACHE_HOME");
	assert_int_equal(kspec_cache_dir(dir, sizeof(dir), &e), 0);
	assert_true(strstr(dir, "/.cache/tcpconform/kernels") != NULL);
	if (old) {
		setenv("XDG_CACHE_HOME", old, 1);
		free(old);
	}
}

/* ---- accelerator ---- */

static void test_accel_parse(void **state)
{
	enum accel a = ACCEL_TCG;

	(void)state;
	assert_int_equal(accel_parse("auto", &a), 0);
	assert_int_equal(a, ACCEL_AUTO);
	assert_int_equal(accel_parse("kvm", &a), 0);
	assert_int_equal(a, ACCEL_KVM);
	assert_int_equal(accel_parse("tcg", &a), 0);
	assert_int_equal(a, ACCEL_TCG);
	assert_int_equal(accel_parse("KVM", &a), -1);
	assert_int_equal(accel_parse("", &a), -1);
}

/* A KVM failure is remembered for this host boot only: a memo from another
 * boot is ignored, one from this boot makes KVM unusable with its reason. */
static void test_accel_memo(void **state)
{
	char why[700] = "", path[256], id[64] = "", line[256];
	char *old = getenv("XDG_CACHE_HOME") ? strdup(getenv("XDG_CACHE_HOME")) : NULL;
	bool before;
	FILE *fp;

	(void)state;
	setenv("XDG_CACHE_HOME", tmp, 1);
	before = accel_kvm_usable(why, sizeof(why));
	put("tcpconform/kvm-unusable", "00000000-0000-0000-0000-000000000000\nan older boot\n");
	assert_int_equal(accel_kvm_usable(why, sizeof(why)), before);
	assert_null(strstr(why, "an older boot"));

	accel_kvm_failed("qemu under KVM exited: test");
	snprintf(path, sizeof(path), "%s/tcpconform/kvm-unusable", tmp);
	fp = fopen(path, "r");
	assert_non_null(fp);
	assert_non_null(fgets(line, sizeof(line), fp));
	fclose(fp);
	fp = fopen("/proc/sys/kernel/random/boot_id", "r");
	assert_non_null(fp);
	assert_non_null(fgets(id, sizeof(id), fp));
	fclose(fp);
	assert_string_equal(line, id);
	assert_false(accel_kvm_usable(why, sizeof(why)));
	/* Without KVM the probe's own reason comes first; with it, the memo's. */
	if (before)
		assert_non_null(strstr(why, "qemu under KVM exited: test"));
	else
		assert_true(strstr(why, "KVM") || strstr(why, "kvm"));
	if (old) {
		setenv("XDG_CACHE_HOME", old, 1);
		free(old);
	} else {
		unsetenv("XDG_CACHE_HOME");
	}
}

/* ---- modules ---- */

/* The shape of a real Debian 6.1 tree: veth alone, tcp_diag on inet_diag,
 * 9pnet_virtio on 9pnet and virtio (which needs virtio_ring), af_packet
 * built in, and one compressed module. */
static void fake_modules(void)
{
	put("m/modules.dep",
	    "kernel/drivers/net/veth.ko:\n"
	    "kernel/net/ipv4/inet_diag.ko:\n"
	    "kernel/net/ipv4/tcp_diag.ko: kernel/net/ipv4/inet_diag.ko\n"
	    "kernel/net/9p/9pnet_virtio.ko: kernel/net/9p/9pnet.ko "
	    "kernel/drivers/virtio/virtio.ko "
	    "kernel/drivers/virtio/virtio_ring.ko\n"
	    "kernel/net/9p/9pnet.ko:\n"
	    "kernel/drivers/virtio/virtio.ko: kernel/drivers/virtio/virtio_ring.ko\n"
	    "kernel/drivers/virtio/virtio_ring.ko:\n"
	    "kernel/fs/fscache/fs-cache.ko.xz:\n");
	put("m/modules.builtin", "kernel/net/packet/af_packet.ko\nkernel/net/ipv6/ipv6.ko\n");
}

static size_t index_of(const struct kmod_list *l, const char *name)
{
	size_t i;
	char n[256];

	for (i = 0; i < l->n; i++) {
		kmod_name(l->paths[i], n, sizeof(n));
		if (strcmp(n, name) == 0)
			return i;
	}
	fail_msg("%s is not in the list", name);
	return 0;
}

static void test_kmod_resolve(void **state)
{
	const char *want[] = {"veth", "af_packet", "tcp_diag", "9pnet_virtio", "ipv6"};
	char dir[256];
	struct kmod_list l;
	struct err e;

	(void)state;
	fake_modules();
	snprintf(dir, sizeof(dir), "%s/m", tmp);
	assert_int_equal(kmod_resolve(dir, want, 5, &l, &e), 0);
	assert_int_equal(l.nbuiltin, 2); /* af_packet, ipv6 */
	/* veth inet_diag tcp_diag virtio_ring 9pnet virtio 9pnet_virtio */
	assert_int_equal(l.n, 7);
	assert_true(index_of(&l, "inet_diag") < index_of(&l, "tcp_diag"));
	assert_true(index_of(&l, "virtio_ring") < index_of(&l, "virtio"));
	assert_true(index_of(&l, "virtio") < index_of(&l, "9pnet_virtio"));
	assert_true(index_of(&l, "9pnet") < index_of(&l, "9pnet_virtio"));
	kmod_list_free(&l);
}

static void test_kmod_dedup_and_names(void **state)
{
	const char *want[] = {"inet_diag", "tcp_diag", "tcp-diag", "fs_cache"};
	char dir[256], n[64];
	struct kmod_list l;
	struct err e;

	(void)state;
	fake_modules();
	snprintf(dir, sizeof(dir), "%s/m", tmp);
	assert_int_equal(kmod_resolve(dir, want, 4, &l, &e), 0);
	assert_int_equal(l.n, 3); /* inet_diag once, tcp_diag once, fs-cache */
	assert_string_equal(l.paths[2], "kernel/fs/fscache/fs-cache.ko.xz");
	kmod_list_free(&l);
	kmod_name("kernel/fs/fscache/fs-cache.ko.zst", n, sizeof(n));
	assert_string_equal(n, "fs_cache");
}

static void test_kmod_missing(void **state)
{
	const char *want[] = {"veth", "sch_netem"};
	char dir[256];
	struct kmod_list l;
	struct err e;

	(void)state;
	fake_modules();
	snprintf(dir, sizeof(dir), "%s/m", tmp);
	assert_int_equal(kmod_resolve(dir, want, 2, &l, &e), -1);
	assert_int_equal(e.kind, ERR_ENV);
	assert_non_null(strstr(e.msg, "sch_netem"));
	assert_int_equal(l.n, 0);
	/* No metadata at all: says to run depmod. */
	snprintf(dir, sizeof(dir), "%s/none", tmp);
	assert_int_equal(kmod_resolve(dir, want, 1, &l, &e), -1);
	assert_non_null(strstr(e.msg, "depmod"));
}

static void test_kmod_bad_dep(void **state)
{
	const char *want[] = {"a"};
	char dir[256];
	struct kmod_list l;
	struct err e;

	(void)state;
	put("loop/modules.dep", "a.ko: b.ko\nb.ko: a.ko\n");
	put("loop/modules.builtin", "");
	snprintf(dir, sizeof(dir), "%s/loop", tmp);
	assert_int_equal(kmod_resolve(dir, want, 1, &l, &e), -1);
	assert_non_null(strstr(e.msg, "loop"));
	put("dangling/modules.dep", "a.ko: gone.ko\n");
	put("dangling/modules.builtin", "");
	snprintf(dir, sizeof(dir), "%s/dangling", tmp);
	assert_int_equal(kmod_resolve(dir, want, 1, &l, &e), -1);
	assert_non_null(strstr(e.msg, "gone.ko"));
}

/* ---- the results stream ---- */

static void stream_of(const char *dir, char **buf, size_t *len)
{
	FILE *fp = open_memstream(buf, len);
	struct err e;
	size_t n;

	assert_non_null(fp);
	assert_int_equal(transport_send_dir(fp, dir, &n, &e), 0);
	fclose(fp);
}

static int receive(const char *buf, size_t len, const char *dest, size_t *n, struct err *e)
{
	FILE *fp = fmemopen((void *)buf, len ? len : 1, "r");
	int r;

	assert_non_null(fp);
	if (!len)
		fgetc(fp);
	r = transport_receive(fp, dest, n, e);
	fclose(fp);
	return r;
}

static void test_transport_crc(void **state)
{
	(void)state;
	/* The CRC-32 check value of "123456789" (IEEE 802.3). */
	assert_int_equal(transport_crc32(0, "123456789", 9), 0xcbf43926u);
	assert_int_equal(transport_crc32(transport_crc32(0, "1234", 4), "56789", 5), 0xcbf43926u);
}

static void test_transport_round_trip(void **state)
{
	char src[256], dst[256], cmd[700], *buf = NULL;
	size_t len = 0, n;
	struct err e;
	unsigned char bin[300];
	FILE *fp;
	int i;

	(void)state;
	put("src/summary.json", "{\"kernel\": \"6.1\"}\n");
	put("src/refused/ipv4/observed.json", "{}");
	put("src/refused/ipv4/empty", "");
	put("src/a=b.c/ipv6-x=1/log.txt", "line\nline\n");
	snprintf(src, sizeof(src), "%s/src/refused/ipv4/trace.pcap", tmp);
	fp = fopen(src, "wb");
	for (i = 0; i < 300; i++)
		bin[i] = (unsigned char)(i * 7); /* every byte value, \n and \r among them */
	fwrite(bin, 1, sizeof(bin), fp);
	fclose(fp);
	snprintf(src, sizeof(src), "%s/src", tmp);
	snprintf(dst, sizeof(dst), "%s/dst", tmp);
	stream_of(src, &buf, &len);
	assert_int_equal(receive(buf, len, dst, &n, &e), 0);
	assert_int_equal(n, 5);
	snprintf(cmd, sizeof(cmd), "diff -r %s %s", src, dst);
	assert_int_equal(system(cmd), 0);
	free(buf);
}

static void test_transport_damaged(void **state)
{
	char src[256], dst[256], *buf = NULL, *p;
	size_t len = 0, n;
	struct err e;

	(void)state;
	put("s/one", "hello world\n");
	put("s/two", "second file\n");
	snprintf(src, sizeof(src), "%s/s", tmp);
	snprintf(dst, sizeof(dst), "%s/d", tmp);
	stream_of(src, &buf, &len);

	/* Nothing at all. */
	assert_int_equal(receive(buf, 0, dst, &n, &e), -1);
	assert_non_null(strstr(e.msg, "sent no results"));
	/* Cut inside the second file. */
	p = strstr(buf, "second");
	assert_int_equal(receive(buf, (size_t)(p - buf) + 3, dst, &n, &e), -1);
	assert_non_null(strstr(e.msg, "ends inside two"));
	/* Cut before the end marker. */
	p = strstr(buf, "end 2");
	assert_int_equal(receive(buf, (size_t)(p - buf), dst, &n, &e), -1);
	assert_non_null(strstr(e.msg, "without its end marker"));
	/* A flipped byte in a file's data. */
	p = strstr(buf, "hello");
	*p = 'j';
	assert_int_equal(receive(buf, len, dst, &n, &e), -1);
	assert_non_null(strstr(e.msg, "one is corrupted"));
	*p = 'h';
	/* An end marker that counts wrong. */
	p = strstr(buf, "end 2");
	p[4] = '3';
	assert_int_equal(receive(buf, len, dst, &n, &e), -1);
	assert_non_null(strstr(e.msg, "end marker"));
	p[4] = '2';
	assert_int_equal(receive(buf, len, dst, &n, &e), 0);
	free(buf);
}

static void test_transport_paths(void **state)
{
	static const char *const hostile[] = {
	    "../escape", "a/../../b", "/etc/passwd", "a//b", "./a", "a/.", "", "a\nb", "a/..",
	};
	char dst[256], frame[256], outside[300];
	size_t i, n;
	struct err e;

	(void)state;
	assert_true(transport_path_ok("refused/ipv4/observed.json"));
	assert_true(transport_path_ok("a..b/..c/d.."));
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		if (transport_path_ok(hostile[i]))
			fail_msg("'%s' was accepted", hostile[i]);
	}
	snprintf(dst, sizeof(dst), "%s/in", tmp);
	snprintf(frame, sizeof(frame), TRANSPORT_MAGIC "\nfile 2 %08x ../escape\nhi\nend 1\n",
	         transport_crc32(0, "hi", 2));
	assert_int_equal(receive(frame, strlen(frame), dst, &n, &e), -1);
	assert_non_null(strstr(e.msg, "refusing the path"));
	snprintf(outside, sizeof(outside), "%s/escape", tmp);
	assert_int_not_equal(access(outside, F_OK), 0);
}

/* ---- the initramfs archive ---- */

static void test_cpio_readback(void **state)
{
	char arch[256], cmd[800], out[64];
	struct cpio c;
	struct err e;
	FILE *fp;

	(void)state;
	if (!tl_have("busybox")) {
		print_message("skipped: no busybox to read the archive back\n");
		skip();
	}
	snprintf(arch, sizeof(arch), "%s/a.cpio", tmp);
	fp = fopen(arch, "wb");
	cpio_start(&c, fp);
	assert_int_equal(cpio_dir(&c, "etc", 0755), 0);
	assert_int_equal(cpio_data(&c, "etc/odd-name", 0640, "abc", 3), 0);
	assert_int_equal(cpio_data(&c, "init", 0755, "#!/bin/sh\n", 10), 0);
	assert_int_equal(cpio_symlink(&c, "sh", "init"), 0);
	assert_int_equal(cpio_finish(&c, &e), 0);
	fclose(fp);
	/* An independent reader: busybox cpio unpacks it. */
	snprintf(cmd, sizeof(cmd), "mkdir %s/x && cd %s/x && busybox cpio -id < %s 2>/dev/null",
	         tmp, tmp, arch);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/x/etc/odd-name", tmp);
	fp = fopen(cmd, "r");
	assert_non_null(fp);
	assert_non_null(fgets(out, sizeof(out), fp));
	fclose(fp);
	assert_string_equal(out, "abc");
	snprintf(cmd, sizeof(cmd), "test -x %s/x/init && test -L %s/x/sh", tmp, tmp);
	assert_int_equal(system(cmd), 0);
}

static void test_sh_quote(void **state)
{
	char q[64];

	(void)state;
	sh_quote(q, sizeof(q), "tw-*");
	assert_string_equal(q, "'tw-*'");
	sh_quote(q, sizeof(q), "it's");
	assert_string_equal(q, "'it'\\''s'");
}

/* ---- the console watcher ---- */

/* Kernel messages stay in console.log; the run's progress lines go on to
 * stdout, where bench mutants reads them to stop a guest at the first
 * changed verdict (a "[43/271] ..." line was once taken for a kernel
 * message, so no guest was ever stopped early). */
static void test_kernel_message(void **state)
{
	(void)state;
	assert_true(vm_kernel_message("[    1.290678] platform regulatory.0: firmware"));
	assert_true(vm_kernel_message("[18.78] x"));
	assert_true(vm_kernel_message("[12345.000001]"));
	assert_false(vm_kernel_message("[43/271] fin-wait2-peer-fin ipv4 ... fail 3.2s"));
	assert_false(vm_kernel_message("[1/4] connect-close ipv4 ... pass 0.0s\r"));
	assert_false(vm_kernel_message("[    1.2x] not a time"));
	assert_false(vm_kernel_message("[ .5] no integer part"));
	assert_false(vm_kernel_message("[7.] no fraction"));
	assert_false(vm_kernel_message("run 2026: 4 variant(s)"));
	assert_false(vm_kernel_message(""));
}

static void test_watch(void **state)
{
	struct vm_watch w;

	(void)state;
	memset(&w, 0, sizeof(w));
	vm_watch_line(&w, "[    0.000000] Linux version 6.1.0-56-amd64");
	assert_false(w.init);
	vm_watch_line(&w, VM_MARK_INIT "6.1.0-56-amd64 2.47\r");
	assert_true(w.init);
	assert_string_equal(w.release, "6.1.0-56-amd64");
	vm_watch_line(&w, VM_MARK_START "2.54");
	assert_true(w.start);
	assert_true(w.guest_start_s > 2.5 && w.guest_start_s < 2.6);
	vm_watch_line(&w, VM_MARK_DONE "1 25.0");
	assert_int_equal(w.run_rc, 1);
	vm_watch_line(&w, VM_MARK_SENT "0 26.0");
	assert_true(w.sent);
	assert_int_equal(w.sent_rc, 0);
	assert_false(w.panic);

	memset(&w, 0, sizeof(w));
	vm_watch_line(&w, "[    1.2] Kernel panic - not syncing: VFS: Unable to mount root fs");
	assert_true(w.panic);
	assert_non_null(strstr(w.cause, "Unable to mount root fs"));
	/* A stall report, as kernel/rcu/tree_stall.h, kernel/watchdog.c and
	 * kernel/hung_task.c print it: the cause from the message on, not a
	 * panic; the first one is kept. */
	memset(&w, 0, sizeof(w));
	vm_watch_line(&w, "[  256.7] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:");
	assert_true(w.stall);
	assert_false(w.panic);
	assert_string_equal(w.cause, "rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:");
	vm_watch_line(&w, "[  260.1] watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [a:1]");
	assert_string_equal(w.cause, "rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:");
	memset(&w, 0, sizeof(w));
	vm_watch_line(&w, "[   30.0] watchdog: BUG: soft lockup - CPU#0 stuck for 23s! [x:9]");
	assert_true(w.stall);
	memset(&w, 0, sizeof(w));
	vm_watch_line(&w, "[  150.0] rcu: INFO: rcu_sched self-detected stall on CPU");
	assert_true(w.stall);
	memset(&w, 0, sizeof(w));
	vm_watch_line(&w, "[  243.0] INFO: task tcpconform:301 blocked for more than 120 seconds.");
	assert_true(w.stall);
	assert_non_null(strstr(w.cause, "blocked for more than 120 seconds"));
	memset(&w, 0, sizeof(w));
	vm_watch_line(&w, "[  80.2] unregister_netdevice: waiting for c0 to become free. Usage "
	                  "count = 2");
	assert_true(w.stall);
	memset(&w, 0, sizeof(w));
	vm_watch_line(&w, "[    4.1] rcu: Hierarchical RCU implementation."); /* boot chatter */
	vm_watch_line(&w, "[2/9] rcu-stall-case ipv4 ... pass 0.1s");         /* a run line */
	assert_false(w.stall);
	memset(&w, 0, sizeof(w));
	vm_watch_line(&w,
	              VM_MARK_MISSING "01-veth.ko: insmod: can't insert: Invalid module format");
	assert_true(w.missing);
	assert_non_null(strstr(w.cause, "veth"));
}

/* Progress lines count once the run started, not before, not after it
 * ended, and a kernel message is not one; a guest that died before the
 * first (a panic, or a stage timed out) boots once more, one that got
 * further, or lacked a module, does not. */
static void test_died_early(void **state)
{
	struct vm_watch w;

	(void)state;
	memset(&w, 0, sizeof(w));
	vm_watch_line(&w, "[1/291] syn-backoff ipv4 ... pass 1.2s"); /* before start */
	vm_watch_line(&w, VM_MARK_INIT "5.10.0-46-amd64 1.47");
	vm_watch_line(&w, VM_MARK_START "3.57");
	assert_int_equal(w.progress, 0);
	assert_false(vm_died_early(&w, false));
	assert_true(vm_died_early(&w, true)); /* silent from its start */
	vm_watch_line(&w, "[    4.100000] random: crng init done");
	vm_watch_line(&w, "[1/291 syn-backoff: not a progress line");
	vm_watch_line(&w, "[/291] neither");
	assert_int_equal(w.progress, 0);
	vm_watch_line(&w, "[1/291] syn-backoff ipv4 ... pass 1.2s\r");
	assert_int_equal(w.progress, 1);
	assert_false(vm_died_early(&w, true)); /* a hang after the first: no */
	vm_watch_line(&w, "[    9.2] Kernel panic - not syncing: Fatal exception");
	assert_true(w.panic);
	assert_false(vm_died_early(&w, false));
	assert_false(vm_died_of_text_patch(&w)); /* no int3: the failure stands */
	/* an int3 of text patching, mid-run (session 17's 6.12 guest) */
	memset(&w, 0, sizeof(w));
	vm_watch_line(&w, VM_MARK_START "3.1");
	vm_watch_line(&w, "[452/792] fastopen-blackhole ipv4 ... pass 1.3s");
	vm_watch_line(&w, "[   94.438924] Oops: int3: 0000 [#1] PREEMPT SMP NOPTI");
	assert_false(vm_died_of_text_patch(&w)); /* not dead yet */
	vm_watch_line(&w,
	              "[   94.442319] Kernel panic - not syncing: Fatal exception in interrupt");
	assert_false(vm_died_early(&w, false));
	assert_true(vm_died_of_text_patch(&w));
	/* an int3 after the panic is not its cause */
	memset(&w, 0, sizeof(w));
	vm_watch_line(&w, "[    9.2] Kernel panic - not syncing: Fatal exception");
	vm_watch_line(&w, "[    9.3] Oops: int3: 0000 [#2] PREEMPT SMP NOPTI");
	assert_false(vm_died_of_text_patch(&w));

	memset(&w, 0, sizeof(w));
	vm_watch_line(&w,
	              "[    1.171702] Kernel panic - not syncing: Fatal exception in interrupt");
	assert_true(vm_died_early(&w, false)); /* at boot */
	memset(&w, 0, sizeof(w));
	vm_watch_line(&w, VM_MARK_MISSING "01-veth.ko: insmod: can't insert");
	assert_false(vm_died_early(&w, true)); /* a module: the same every boot */
	memset(&w, 0, sizeof(w));
	vm_watch_line(&w, VM_MARK_START "2.0");
	vm_watch_line(&w, VM_MARK_DONE "0 25.0");
	vm_watch_line(&w, "[2/2] x ... pass 1.0s"); /* after the end */
	assert_int_equal(w.progress, 0);
	assert_false(vm_died_early(&w, true));
}

/* How many guests a matrix runs at once: one per CPU with KVM, one per two
 * under TCG (two TCG guests on 2 CPUs slipped their timers by over a
 * second), as memory allows, at least one, at most the kernels given. */
static void test_matrix_slots(void **state)
{
	(void)state;
	assert_int_equal(vm_matrix_slots_for(4, 2, 24000, 1024, true), 1);
	assert_int_equal(vm_matrix_slots_for(4, 2, 24000, 1024, false), 2);
	assert_int_equal(vm_matrix_slots_for(4, 8, 24000, 1024, true), 4);
	assert_int_equal(vm_matrix_slots_for(3, 16, 24000, 1024, false), 3); /* at most n */
	assert_int_equal(vm_matrix_slots_for(4, 8, 512 + 2 * (1024 + 256), 1024, false),
	                 2);                                              /* memory */
	assert_int_equal(vm_matrix_slots_for(4, 8, 100, 1024, false), 1); /* at least 1 */
	assert_int_equal(vm_matrix_slots_for(4, 1, 24000, 1024, true), 1);
	assert_int_equal(vm_matrix_slots_for(4, 0, -1, 1024, true), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_matrix_slots),
	    cmocka_unit_test(test_died_early),
	    cmocka_unit_test_setup_teardown(test_kspec_good, setup, teardown),
	    cmocka_unit_test(test_kspec_bad),
	    cmocka_unit_test_setup_teardown(test_kspec_bad_moddir, setup, teardown),
	    cmocka_unit_test(test_debian_match),
	    cmocka_unit_test(test_cache_dir),
	    cmocka_unit_test(test_accel_parse),
	    cmocka_unit_test_setup_teardown(test_accel_memo, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_kmod_resolve, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_kmod_dedup_and_names, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_kmod_missing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_kmod_bad_dep, setup, teardown),
	    cmocka_unit_test(test_transport_crc),
	    cmocka_unit_test_setup_teardown(test_transport_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_transport_damaged, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_transport_paths, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cpio_readback, setup, teardown),
	    cmocka_unit_test(test_sh_quote),
	    cmocka_unit_test_setup_teardown(test_kspec_src, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_kspec_src_bad, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ksrc_user_config_checked, setup, teardown),
	    cmocka_unit_test(test_ksrc_first_error),
	    cmocka_unit_test(test_kernel_message),
	    cmocka_unit_test(test_watch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
