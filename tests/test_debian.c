// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_debian.c - Debian's kernels: version order (against dpkg's own),
 * apt's madison and show output into kernels (classic, split, incomplete,
 * metapackages, hostile lines), debian: specs with @SUITE and debian:list,
 * tcpconform's private apt configuration (read back by apt-config: nothing
 * of the host's), SHA256 checks, and both package layouts from .deb files
 * built here with dpkg-deb: one file with its parts found beside it, a list,
 * a directory, missing parts, damaged files, foreign packages.  One test
 * reaches the Debian registry through the private apt and is skipped, with
 * the reason, when it cannot.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"

#include "vm/debapt.h"
#include "vm/debindex.h"
#include "vm/debpkg.h"
#include "vm/kspec.h"

static char tmp[64];

static int setup(void **state)
{
	(void)state;
	return tl_tmpdir(tmp, sizeof(tmp), "deb");
}

static int teardown(void **state)
{
	(void)state;
	unsetenv("TCPCONFORM_DEBIAN_SUITES");
	return tl_rmtree(tmp);
}

/* Run a shell command that must succeed. */
static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	char cmd[4096], *out;
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	r = tl_sh(&out, "%s", cmd);
	if (r != 0)
		fail_msg("%s: exit %d: %s", cmd, r, out);
	free(out);
}

/* ---- versions and names ---- */

static void test_debver(void **state)
{
	static const char *const v[] = {
	    "5.10.218-1",
	    "5.10.262-1",
	    "6.1.170-3",
	    "6.1.180-1~deb11u1",
	    "6.1.180-1",
	    "6.1.192-2",
	    "6.1.192-3",
	    "6.12.90-1~bpo12+1",
	    "6.12.90-1",
	    "6.12.90-2~bpo12+1",
	    "6.12.90-2",
	    "6.12.118-1~deb12u1",
	    "6.12.118-1",
	    "7.3~rc7-1~exp1",
	    "7.3",
	    "7.3-1",
	    "7.3.4-1~bpo13+1",
	    "7.3.4-1",
	    "7.3.4a-1",
	    "7.3.4+b1-1",
	    "1:0.1",
	    "1.0~~",
	    "1.0~",
	    "1.0",
	};
	size_t n = sizeof(v) / sizeof(v[0]), i, j;

	(void)state;
	assert_true(debver_cmp("1.0-1", "1.0-1") == 0);
	assert_true(debver_cmp("6.12.90-2~bpo12+1", "6.12.90-2") < 0);
	assert_true(debver_cmp("7.3~rc7-1~exp1", "7.3.4-1~bpo13+1") < 0);
	assert_true(debver_cmp("1:0.1", "9.9") > 0);
	if (!tl_have("dpkg")) {
		print_message("skipped: no dpkg to compare the order with\n");
		skip();
	}
	/* Every pair against dpkg --compare-versions, the order's owner: one
	 * shell runs all n * n, a line each, "1" when dpkg says lt (not a
	 * fork of this process per pair: under valgrind each took 30 ms). */
	{
		char path[] = "/tmp/tcpconform-debver-XXXXXX", *out, *p;
		int fd = mkstemp(path);
		FILE *f;

		assert_true(fd >= 0);
		f = fdopen(fd, "w");
		assert_non_null(f);
		for (i = 0; i < n; i++)
			fprintf(f, "%s\n", v[i]);
		assert_int_equal(fclose(f), 0);
		assert_int_equal(tl_sh(&out,
		                       "for a in $(cat %s); do for b in $(cat %s); do "
		                       "if dpkg --compare-versions \"$a\" lt \"$b\"; then echo 1; "
		                       "else echo 0; fi; done; done",
		                       path, path),
		                 0);
		unlink(path);
		p = out;
		for (i = 0; i < n; i++)
			for (j = 0; j < n; j++) {
				int ours = debver_cmp(v[i], v[j]);

				assert_true(p[0] == '0' || p[0] == '1');
				assert_int_equal(p[1], '\n');
				if ((ours < 0) != (p[0] == '1'))
					fail_msg("%s vs %s: ours %d, dpkg says %s", v[i], v[j],
					         ours, p[0] == '1' ? "lt" : "not lt");
				p += 2;
			}
		assert_int_equal(*p, '\0');
		free(out);
	}
}

static void test_names(void **state)
{
	const char *kind = NULL;

	(void)state;
	assert_string_equal(deb_part_abi("linux-binary-7.3.4+deb13-amd64", &kind),
	                    "7.3.4+deb13-amd64");
	assert_string_equal(kind, "binary");
	assert_string_equal(
	    deb_kernel_abi("linux-base-7.3.4+deb13-cloud-amd64", "cloud-amd64", &kind),
	    "7.3.4+deb13-cloud-amd64");
	assert_string_equal(kind, "base");
	assert_null(deb_kernel_abi("linux-base-7.3.4+deb13-cloud-amd64", "amd64", NULL));
	assert_null(deb_kernel_abi("linux-binary-unsigned-7.3.4+deb13-amd64", "amd64", NULL));
	assert_null(deb_kernel_abi("linux-headers-7.3.4+deb13-amd64", "amd64", NULL));
	assert_null(deb_kernel_abi("linux-image-amd64", "amd64", NULL));
	assert_null(deb_part_abi("linux-image-amd64", NULL));
	assert_true(deb_image_match("linux-image-7.3.4+deb13-amd64", "7.3", "amd64"));
	assert_true(deb_image_match("linux-image-7.3-amd64", "7.3", "amd64"));
	assert_false(deb_image_match("linux-image-7.3.4+deb13-amd64", "7.31", "amd64"));
	assert_false(deb_image_match("linux-binary-7.3.4+deb13-amd64", "7.3", "amd64"));
	assert_true(deb_name_ok("linux-image-6.1.0-0.deb11.52-amd64"));
	assert_false(deb_name_ok("linux-image/../x"));
	assert_false(deb_name_ok("Linux-image"));
	assert_true(deb_version_ok("6.1.180-1~deb11u1"));
	assert_false(deb_version_ok("6.1 180"));
	assert_false(deb_version_ok("~1"));
}

/* ---- apt's output into kernels ---- */

/* As apt-cache madison prints it, with lines that must be skipped. */
static const char madison[] =
    " linux-image-5.10.0-46-amd64 | 5.10.262-1 | http://deb.debian.org/debian-security "
    "bullseye-security/main amd64 Packages\n"
    " linux-image-6.1.0-50-amd64 | 6.1.176-1 | http://deb.debian.org/debian bookworm/main amd64 "
    "Packages\n"
    " linux-image-6.1.0-50-amd64 | 6.1.176-1 | http://deb.debian.org/debian-security "
    "bookworm-security/main amd64 Packages\n"
    " linux-image-6.1.0-57-amd64 | 6.1.192-3 | http://deb.debian.org/debian-security "
    "bookworm-security/main amd64 Packages\n"
    " linux-image-6.1-amd64 | 6.1.180-1~deb11u1 | http://deb.debian.org/debian-security "
    "bullseye-security/main amd64 Packages\n"
    " linux-image-6.1.0-0.deb11.52-amd64 | 6.1.180-1~deb11u1 | "
    "http://deb.debian.org/debian-security bullseye-security/main amd64 Packages\n"
    " linux-image-7.3.4+deb13-amd64 | 7.3.4-1~bpo13+1 | http://deb.debian.org/debian "
    "trixie-backports/main amd64 Packages\n"
    " linux-binary-7.3.4+deb13-amd64 | 7.3.4-1~bpo13+1 | http://deb.debian.org/debian "
    "trixie-backports/main amd64 Packages\n"
    " linux-modules-7.3.4+deb13-amd64 | 7.3.4-1~bpo13+1 | http://deb.debian.org/debian "
    "trixie-backports/main amd64 Packages\n"
    " linux-base-7.3.4+deb13-amd64 | 7.3.4-1~bpo13+1 | http://deb.debian.org/debian "
    "trixie-backports/main amd64 Packages\n"
    " linux-image-7.1.13+deb13-amd64 | 7.1.13-1~bpo13+1 | http://deb.debian.org/debian "
    "trixie-backports/main amd64 Packages\n"
    " linux-binary-7.1.13+deb13-amd64 | 7.1.13-1~bpo13+1 | http://deb.debian.org/debian "
    "trixie-backports/main amd64 Packages\n"
    /* hostile or foreign: skipped */
    " linux-image-9.9-amd64 | 9.9-1 | http://x bad|suite/main amd64 Packages\n"
    " ../../etc/passwd | 9.9-1 | http://x sid/main amd64 Packages\n"
    " linux-image-9.8-amd64 | 9.8 1 | http://x sid/main amd64 Packages\n"
    " linux-image-9.7-amd64 | 9.7-1 | http://x SID/main amd64 Packages\n"
    " linux-image-9.6-amd64 | 9.6-1 | http://x sid/main amd64 Sources\n"
    "garbage\n";

static const char show[] =
    "Package: linux-image-7.3.4+deb13-amd64\n"
    "Version: 7.3.4-1~bpo13+1\n"
    "Depends: dracut | initramfs-tools (>= 0.120+deb8u2) | linux-initramfs-tool, "
    "linux-base-7.3.4+deb13-amd64 (= 7.3.4-1~bpo13+1), linux-binary-7.3.4+deb13-amd64 (= "
    "7.3.4-1~bpo13+1), linux-modules-7.3.4+deb13-amd64 (= 7.3.4-1~bpo13+1)\n"
    "Size: 1900\n"
    "SHA256: 7a6ff1ee63d0aafedbab6a507939ab6bce618f8fda1b3f0c42b78678ec661844\n"
    "Description: Linux 7.3.4 for 64-bit PCs (meta-package)\n"
    " Package: linux-image-5.10.0-46-amd64\n"
    "\n"
    "Package: linux-binary-7.3.4+deb13-amd64\n"
    "Version: 7.3.4-1~bpo13+1\n"
    "Depends: linux-base-7.3.4+deb13-amd64 (= 7.3.4-1~bpo13+1)\n"
    "Size: 14138336\n"
    "\n"
    "Package: linux-image-7.1.13+deb13-amd64\n"
    "Version: 7.1.13-1~bpo13+1\n"
    "Depends: linux-base-7.1.13+deb13-amd64 (= 7.1.13-1~bpo13+1), "
    "linux-binary-7.1.13+deb13-amd64 (= 7.1.13-1~bpo13+1), linux-modules-7.1.13+deb13-amd64 "
    "(= 7.1.13-1~bpo13+1)\n"
    "\n"
    "Package: linux-image-6.1-amd64\n"
    "Version: 6.1.180-1~deb11u1\n"
    "Depends: linux-image-6.1.0-0.deb11.52-amd64 (= 6.1.180-1~deb11u1)\n"
    "\n"
    "Package: linux-image-5.10.0-46-amd64\n"
    "Version: 5.10.262-1\n"
    "Depends: kmod, linux-base (>= 4.3~), initramfs-tools (>= 0.120+deb8u2) | "
    "linux-initramfs-tool\n"
    "Size: 56995900\n"
    "SHA256: NOT-HEX\n";

static void index_of(struct deb_index *ix)
{
	struct err e;

	memset(ix, 0, sizeof(*ix));
	assert_int_equal(deb_index_madison(ix, madison, &e), 0);
	assert_int_equal(deb_index_show(ix, show, &e), 0);
}

static void test_index(void **state)
{
	struct deb_index ix;
	const struct deb_pkg *p;

	(void)state;
	index_of(&ix);
	assert_int_equal(ix.n, 11); /* the six bad lines skipped, 6.1.0-50 once */
	p = deb_index_find(&ix, "linux-image-6.1.0-50-amd64", "6.1.176-1");
	assert_non_null(p);
	assert_string_equal(p->suites, "bookworm bookworm-security");
	p = deb_index_find(&ix, "linux-image-7.3.4+deb13-amd64", "7.3.4-1~bpo13+1");
	assert_int_equal(p->size, 1900);
	assert_int_equal(strlen(p->sha256), 64);
	assert_int_equal(p->ndeps, 3);
	assert_false(p->meta);
	assert_true(deb_index_find(&ix, "linux-image-6.1-amd64", "6.1.180-1~deb11u1")->meta);
	p = deb_index_find(&ix, "linux-image-5.10.0-46-amd64", "5.10.262-1");
	assert_int_equal(p->ndeps, 0); /* linux-base (>= 4.3~) is no part */
	assert_string_equal(p->sha256, "");
	/* The description's " Package:" line changed nothing. */
	assert_int_equal(p->size, 56995900);
	assert_null(deb_index_find(&ix, "../../etc/passwd", "9.9-1"));
	deb_index_free(&ix);
}

static void test_kernels(void **state)
{
	struct deb_index ix;
	struct deb_kernel *ks;
	size_t n, i;
	struct err e;

	(void)state;
	index_of(&ix);
	/* Every amd64 kernel, newest first; the metapackage is not one. */
	assert_int_equal(deb_index_kernels(&ix, NULL, "amd64", NULL, &ks, &n, &e), 0);
	assert_int_equal(n, 6);
	for (i = 1; i < n; i++)
		assert_true(debver_cmp(ks[i - 1].parts[0]->version, ks[i].parts[0]->version) >= 0);
	assert_string_equal(ks[0].parts[0]->name, "linux-image-7.3.4+deb13-amd64");
	assert_int_equal(ks[0].nparts, 4);
	assert_string_equal(ks[0].missing, "");
	assert_string_equal(deb_kernel_layout(&ks[0]), "split");
	assert_string_equal(ks[1].parts[0]->name, "linux-image-7.1.13+deb13-amd64");
	assert_string_equal(deb_kernel_layout(&ks[1]), "split");
	assert_non_null(
	    strstr(ks[1].missing, "linux-base-7.1.13+deb13-amd64 (= 7.1.13-1~bpo13+1)"));
	assert_non_null(strstr(ks[1].missing, "linux-modules-7.1.13+deb13-amd64"));
	assert_null(strstr(ks[1].missing, "linux-binary"));
	assert_string_equal(deb_kernel_layout(&ks[n - 1]), "classic");
	free(ks);
	/* 6.1: name or version; the newest wins across suites. */
	assert_int_equal(deb_index_kernels(&ix, "6.1", "amd64", NULL, &ks, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_string_equal(ks[0].parts[0]->version, "6.1.192-3");
	assert_string_equal(ks[2].parts[0]->name, "linux-image-6.1.0-50-amd64");
	free(ks);
	assert_int_equal(deb_index_kernels(&ix, "6.1.192", "amd64", NULL, &ks, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(ks[0].parts[0]->name, "linux-image-6.1.0-57-amd64");
	free(ks);
	/* @SUITE pins. */
	assert_int_equal(deb_index_kernels(&ix, "6.1", "amd64", "bullseye-security", &ks, &n, &e),
	                 0);
	assert_int_equal(n, 1);
	assert_string_equal(ks[0].parts[0]->name, "linux-image-6.1.0-0.deb11.52-amd64");
	free(ks);
	assert_int_equal(deb_index_kernels(&ix, "6.1", "amd64", "bookworm", &ks, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(ks[0].parts[0]->version, "6.1.176-1");
	free(ks);
	assert_int_equal(deb_index_kernels(&ix, "6.12", "amd64", NULL, &ks, &n, &e), 0);
	assert_int_equal(n, 0);
	free(ks);
	assert_int_equal(deb_index_kernels(&ix, NULL, "cloud-amd64", NULL, &ks, &n, &e), 0);
	assert_int_equal(n, 0);
	free(ks);
	deb_index_free(&ix);
}

/* ---- specs ---- */

static void spec_bad(const char *spec, size_t want_off, const char *want_msg)
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

static void test_specs(void **state)
{
	struct kspec k;
	struct err e;
	size_t bad;

	(void)state;
	unsetenv("TCPCONFORM_DEBIAN_SUITES");
	assert_int_equal(kspec_parse("debian:6.1@bookworm-security", &k, &bad, &e), 0);
	assert_int_equal(k.kind, KSPEC_DEBIAN);
	assert_string_equal(k.version, "6.1");
	assert_string_equal(k.flavour, "amd64");
	assert_string_equal(k.suite, "bookworm-security");
	assert_int_equal(kspec_parse("debian:7.3:cloud@sid", &k, &bad, &e), 0);
	assert_string_equal(k.flavour, "cloud-amd64");
	assert_string_equal(k.suite, "sid");
	assert_int_equal(kspec_parse("debian:6.1", &k, &bad, &e), 0);
	assert_string_equal(k.suite, "");
	assert_int_equal(kspec_parse("debian:list", &k, &bad, &e), 0);
	assert_int_equal(k.kind, KSPEC_DEBIAN_LIST);
	assert_int_equal(kspec_parse("debian:list:rt@trixie-backports", &k, &bad, &e), 0);
	assert_int_equal(k.kind, KSPEC_DEBIAN_LIST);
	assert_string_equal(k.flavour, "rt-amd64");
	assert_string_equal(k.suite, "trixie-backports");
	spec_bad("debian:6.1@", 10, "no suite after '@'");
	spec_bad("debian:6.1@Sid", 11, "a suite is lower-case");
	spec_bad("debian:6.1@woody", 11, "woody is not a suite tcpconform searches");
	spec_bad("debian:6.1:@sid", 11, "empty flavour");
	spec_bad("debian:@sid", 7, "no version");
	spec_bad("debian:lists", 7, "digits and dots");
	/* The suites searched come from TCPCONFORM_DEBIAN_SUITES when set. */
	setenv("TCPCONFORM_DEBIAN_SUITES", "woody, sarge", 1);
	assert_int_equal(kspec_parse("debian:2.4@woody", &k, &bad, &e), 0);
	spec_bad("debian:6.1@sid", 11, "(woody sarge;");
	setenv("TCPCONFORM_DEBIAN_SUITES", "woody $(reboot)", 1);
	spec_bad("debian:6.1@woody", 11, "TCPCONFORM_DEBIAN_SUITES: '$(reboot)'");
	unsetenv("TCPCONFORM_DEBIAN_SUITES");
}

/* ---- the private apt ---- */

static bool have_keyring(void)
{
	if (access(DEBAPT_KEYRING, R_OK) == 0 && tl_have("apt-config"))
		return true;
	print_message("skipped: no apt with %s here\n", DEBAPT_KEYRING);
	return false;
}

static void test_private_apt(void **state)
{
	char dir[256], path[512], *out, *line, *save = NULL;
	struct debapt a;
	struct stat st1, st2;
	struct err e;
	int n;

	(void)state;
	if (!have_keyring())
		skip();
	snprintf(dir, sizeof(dir), "%s/apt", tmp);
	setenv("TCPCONFORM_DEBIAN_SUITES", "bookworm bookworm-security sid", 1);
	assert_int_equal(debapt_open(&a, dir, "http://mirror.test/debian",
	                             "http://mirror.test/debian-security", &e),
	                 0);
	/* The sources: one line per suite, -security from the security mirror,
	 * each checked with Debian's keyring. */
	snprintf(path, sizeof(path), "%s/etc/sources.list", dir);
	assert_int_equal(tl_sh(&out, "grep -v '^#' %s", path), 0);
	assert_string_equal(
	    out, "deb [signed-by=" DEBAPT_KEYRING "] http://mirror.test/debian bookworm "
	         "main\n"
	         "deb [signed-by=" DEBAPT_KEYRING "] http://mirror.test/debian-security "
	         "bookworm-security main\n"
	         "deb [signed-by=" DEBAPT_KEYRING "] http://mirror.test/debian sid main\n");
	free(out);
	/* apt itself reads the configuration: every directory is ours, and no
	 * file of /etc/apt was read (no hook, no host path). */
	assert_int_equal(tl_sh(&out, "env APT_CONFIG=%s apt-config dump", a.conf), 0);
	n = 0;
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strstr(line, "/etc/apt") || strstr(line, "/var/lib/apt") ||
		    strstr(line, "/var/cache/apt") || strstr(line, "/var/lib/dpkg") ||
		    strstr(line, "Post-Invoke") || strstr(line, "Pre-Invoke") ||
		    strstr(line, "Pre-Install-Pkgs"))
			fail_msg("the private apt reads the host's: %s", line);
		if (strncmp(line, "Dir::Etc \"", 10) == 0 ||
		    strncmp(line, "Dir::State \"", 12) == 0 ||
		    strncmp(line, "Dir::Cache \"", 12) == 0 ||
		    strncmp(line, "Dir::State::status \"", 20) == 0) {
			if (!strstr(line, dir))
				fail_msg("not under %s: %s", dir, line);
			n++;
		}
	}
	assert_int_equal(n, 4);
	free(out);
	/* What apt would read and write, resolved by apt. */
	assert_int_equal(
	    tl_sh(&out,
	          "env APT_CONFIG=%s apt-config shell L Dir::State::lists/d S "
	          "Dir::Etc::sourcelist/f P Dir::Etc::parts/d C Dir::Cache::archives/d",
	          a.conf),
	    0);
	{
		char want[2048];

		snprintf(want, sizeof(want),
		         "L='%s/state/lists/'\nS='%s/etc/sources.list'\nP='%s/etc/apt.conf.d/'\n"
		         "C='%s/cache/archives/'\n",
		         dir, dir, dir, dir);
		assert_string_equal(out, want);
	}
	free(out);
	/* Opened again unchanged, nothing is rewritten; other suites rewrite
	 * the sources and make the lists stale. */
	debapt_close(&a);
	assert_int_equal(stat(path, &st1), 0);
	sleep(1);
	assert_int_equal(debapt_open(&a, dir, "http://mirror.test/debian",
	                             "http://mirror.test/debian-security", &e),
	                 0);
	debapt_close(&a);
	assert_int_equal(stat(path, &st2), 0);
	assert_int_equal(st1.st_mtime, st2.st_mtime);
	snprintf(path, sizeof(path), "%s/state/updated", dir);
	sh("echo bookworm > %s", path);
	setenv("TCPCONFORM_DEBIAN_SUITES", "trixie", 1);
	assert_int_equal(debapt_open(&a, dir, "http://mirror.test/debian",
	                             "http://mirror.test/debian-security", &e),
	                 0);
	debapt_close(&a);
	assert_int_equal(access(path, F_OK), -1);
	unsetenv("TCPCONFORM_DEBIAN_SUITES");
	/* A mirror that is no URL is refused. */
	assert_int_equal(debapt_open(&a, dir, "http://x\" y", "http://x", &e), -1);
	debapt_close(&a);
}

static void test_sha256(void **state)
{
	char file[128];
	struct err e;

	(void)state;
	snprintf(file, sizeof(file), "%s/abc", tmp);
	sh("printf abc > %s", file);
	assert_int_equal(
	    debapt_sha256_check(
	        file, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", &e),
	    0);
	assert_int_equal(
	    debapt_sha256_check(
	        file, "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", &e),
	    0);
	assert_int_equal(
	    debapt_sha256_check(
	        file, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ae", &e),
	    -1);
	assert_int_equal(e.kind, ERR_ENV);
	assert_non_null(strstr(e.msg, "a damaged download"));
	assert_int_equal(debapt_sha256_check(file, "", &e), -1);
	assert_non_null(strstr(e.msg, "say nothing"));
}

/* ---- package files, both layouts ---- */

#define ABI         "9.9.9+deb99-amd64"
#define VER         "9.9.9-1~bpo99+1"
#define FILE_(name) name "-" ABI "_" VER "_amd64.deb"

/* Build package @name (version @ver, @arch) from shell commands that fill
 * $R, with md5sums computed (or @md5 as given) into @dir. */
static void build_deb(const char *dir, const char *name, const char *ver, const char *arch,
                      const char *depends, const char *fill, const char *md5)
{
	sh("set -e; R=%s/build-%s; rm -rf $R; mkdir -p $R/DEBIAN; cd $R; %s; "
	   "printf 'Package: %s\\nVersion: %s\\nArchitecture: %s\\nMaintainer: t <t@t>\\n"
	   "%s%s%sDescription: test\\n' > DEBIAN/control; "
	   "if [ -n '%s' ]; then printf '%%s\\n' '%s' > DEBIAN/md5sums; else "
	   "find . -path ./DEBIAN -prune -o -type f -printf '%%P\\0' | sort -z | "
	   "xargs -0r md5sum > DEBIAN/md5sums; fi; "
	   "dpkg-deb --root-owner-group -Zgzip -b $R %s/%s_%s_%s.deb >/dev/null",
	   tmp, name, fill, name, ver, arch, depends[0] ? "Depends: " : "", depends,
	   depends[0] ? "\\n" : "", md5 ? md5 : "", md5 ? md5 : "", dir, name, ver, arch);
}

static void split_debs(const char *dir)
{
	sh("mkdir -p %s", dir);
	build_deb(dir, "linux-image-" ABI, VER, "amd64",
	          "dracut | initramfs-tools, linux-base-" ABI " (= " VER "), linux-binary-" ABI
	          " (= " VER "), linux-modules-" ABI " (= " VER ")",
	          "mkdir -p usr/share/doc/x; echo meta > usr/share/doc/x/README", NULL);
	build_deb(dir, "linux-binary-" ABI, VER, "amd64", "linux-base-" ABI " (= " VER ")",
	          "mkdir -p usr/lib/modules/" ABI "; echo vmlinuz > usr/lib/modules/" ABI
	          "/vmlinuz",
	          NULL);
	build_deb(dir, "linux-modules-" ABI, VER, "amd64", "",
	          "M=usr/lib/modules/" ABI
	          "; mkdir -p $M/kernel/net; echo ko > $M/kernel/net/x.ko; "
	          "ln -s /usr/src/linux-headers-" ABI " $M/build; ln -s ../../../../../etc $M/up; "
	          "ln -s kernel/net $M/net",
	          NULL);
	build_deb(dir, "linux-base-" ABI, VER, "amd64", "",
	          "M=usr/lib/modules/" ABI "; mkdir -p $M; echo CONFIG_NET=y > $M/config; "
	          ": > $M/modules.builtin; : > $M/modules.order; echo map > $M/System.map",
	          NULL);
}

static void collect_ok(const char *spec, int want_n)
{
	struct debpkg_set s;
	struct err e;

	if (debpkg_collect(spec, &s, &e) < 0)
		fail_msg("%s: %s", spec, e.msg);
	assert_int_equal(s.n, want_n);
	assert_string_equal(s.pkgs[0].abi, ABI);
	assert_string_equal(s.pkgs[0].version, VER);
}

static void collect_bad(const char *spec, const char *want)
{
	struct debpkg_set s;
	struct err e;

	assert_int_equal(debpkg_collect(spec, &s, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	if (!strstr(e.msg, want))
		fail_msg("%s: '%s' (want '%s')", spec, e.msg, want);
}

static void test_split_layout(void **state)
{
	char dir[128], spec[1024], root[256], path[512], *out;
	struct debpkg_set s;
	struct debpkg_tree t;
	struct err e;

	(void)state;
	if (!tl_have("dpkg-deb") || !tl_have("md5sum")) {
		print_message("skipped: no dpkg-deb to build packages with\n");
		skip();
	}
	snprintf(dir, sizeof(dir), "%s/split", tmp);
	split_debs(dir);
	/* One file (the issue's: the linux-binary), its parts beside it. */
	snprintf(spec, sizeof(spec), "%s/" FILE_("linux-binary"), dir);
	collect_ok(spec, 3);
	snprintf(spec, sizeof(spec), "%s/" FILE_("linux-image"), dir);
	collect_ok(spec, 4);
	collect_ok(dir, 4);
	snprintf(spec, sizeof(spec), "%s/" FILE_("linux-modules") ":%s/" FILE_("linux-base"), dir,
	         dir);
	collect_ok(spec, 3);
	/* Unpacked: the vmlinuz beside the modules, the config in linux-base. */
	assert_int_equal(debpkg_collect(dir, &s, &e), 0);
	snprintf(root, sizeof(root), "%s/root", tmp);
	if (debpkg_unpack(&s, root, &e) < 0)
		fail_msg("unpack: %s", e.msg);
	assert_int_equal(debpkg_find(root, NULL, &t, &e), 0);
	assert_string_equal(t.release, ABI);
	assert_string_equal(t.layout, "split");
	snprintf(path, sizeof(path), "%s/lib/modules/" ABI "/vmlinuz", root);
	assert_string_equal(t.image, path);
	snprintf(path, sizeof(path), "%s/lib/modules/" ABI "/config", root);
	assert_string_equal(t.config, path);
	/* Links that leave the tree are gone, the one inside kept. */
	snprintf(path, sizeof(path), "%s/usr/lib/modules/" ABI "/build", root);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(tl_sh(&out, "test -L %s/usr/lib/modules/" ABI "/up", root), 1);
	free(out);
	sh("test -L %s/usr/lib/modules/" ABI "/net", root);
	/* A missing part is named, with how to get it. */
	snprintf(path, sizeof(path), "rm %s/" FILE_("linux-modules"), dir);
	sh("%s", path);
	snprintf(spec, sizeof(spec), "%s/" FILE_("linux-binary"), dir);
	collect_bad(spec, "also needs linux-modules-" ABI " (= " VER ")");
	collect_bad(spec, "apt-get download linux-modules-" ABI "=" VER ")");
	collect_bad(dir, "also needs linux-modules-" ABI);
	snprintf(spec, sizeof(spec), "%s/" FILE_("linux-image"), dir);
	collect_bad(spec, "or take the kernel with debian:9.9.9");
}

static void test_classic_layout(void **state)
{
	char dir[128], spec[1024], root[256], path[512];
	struct debpkg_set s;
	struct debpkg_tree t;
	struct err e;

	(void)state;
	if (!tl_have("dpkg-deb") || !tl_have("md5sum")) {
		print_message("skipped: no dpkg-deb to build packages with\n");
		skip();
	}
	snprintf(dir, sizeof(dir), "%s/classic", tmp);
	sh("mkdir -p %s", dir);
	build_deb(dir, "linux-image-" ABI, VER, "amd64", "kmod, linux-base (>= 4.3~)",
	          "mkdir -p boot lib/modules/" ABI "/kernel; echo k > boot/vmlinuz-" ABI "; "
	          "echo CONFIG_NET=y > boot/config-" ABI "; : > lib/modules/" ABI "/modules.order",
	          NULL);
	snprintf(spec, sizeof(spec), "%s/" FILE_("linux-image"), dir);
	collect_ok(spec, 1);
	assert_int_equal(debpkg_collect(spec, &s, &e), 0);
	snprintf(root, sizeof(root), "%s/croot", tmp);
	assert_int_equal(debpkg_unpack(&s, root, &e), 0);
	assert_int_equal(debpkg_find(root, NULL, &t, &e), 0);
	assert_string_equal(t.layout, "classic");
	snprintf(path, sizeof(path), "%s/boot/vmlinuz-" ABI, root);
	assert_string_equal(t.image, path);
	snprintf(path, sizeof(path), "%s/boot/config-" ABI, root);
	assert_string_equal(t.config, path);
	/* The release named: found again (a cache entry). */
	assert_int_equal(debpkg_find(root, ABI, &t, &e), 0);
	assert_int_equal(debpkg_find(root, "9.9.8-amd64", &t, &e), -1);
	assert_int_equal(debpkg_find(root, "../..", &t, &e), -1);
	/* Two kernels in one directory: the user chooses. */
	build_deb(dir, "linux-image-9.9.8-amd64", "9.9.8-1", "amd64", "",
	          "mkdir -p boot; echo k > boot/vmlinuz-9.9.8-amd64", NULL);
	collect_bad(dir, "more than one kernel (9.9.8-amd64 9.9.8-1, " ABI " " VER ")");
}

static void test_bad_packages(void **state)
{
	char dir[128], spec[1024], root[256];
	struct debpkg_set s;
	struct err e;

	(void)state;
	if (!tl_have("dpkg-deb") || !tl_have("md5sum")) {
		print_message("skipped: no dpkg-deb to build packages with\n");
		skip();
	}
	snprintf(dir, sizeof(dir), "%s/bad", tmp);
	sh("mkdir -p %s/other %s/arm", dir, dir);
	/* A file whose md5sums do not match is refused after unpacking. */
	build_deb(dir, "linux-image-" ABI, VER, "amd64", "",
	          "mkdir -p boot; echo k > boot/vmlinuz-" ABI,
	          "00000000000000000000000000000000  boot/vmlinuz-" ABI);
	snprintf(spec, sizeof(spec), "%s/" FILE_("linux-image"), dir);
	assert_int_equal(debpkg_collect(spec, &s, &e), 0);
	snprintf(root, sizeof(root), "%s/broot", tmp);
	assert_int_equal(debpkg_unpack(&s, root, &e), -1);
	assert_non_null(strstr(e.msg, "differ from the package's md5sums"));
	/* md5sums that reach out of the tree are refused before any check. */
	build_deb(dir, "linux-image-" ABI, VER, "amd64", "", "mkdir -p boot; echo k > boot/x",
	          "d41d8cd98f00b204e9800998ecf8427e  ../../../../dev/zero");
	assert_int_equal(debpkg_collect(spec, &s, &e), 0);
	assert_int_equal(debpkg_unpack(&s, root, &e), -1);
	assert_non_null(strstr(e.msg, "a bad line in its md5sums"));
	/* Not a kernel, not x86-64, not a package at all. */
	build_deb(dir, "linux-headers-" ABI, VER, "amd64", "", "true", NULL);
	snprintf(spec, sizeof(spec), "%s/" FILE_("linux-headers"), dir);
	collect_bad(spec, "is not a kernel package");
	build_deb(dir, "linux-image-9.9-arm64", "9.9-1", "arm64", "", "true", NULL);
	snprintf(spec, sizeof(spec), "%s/linux-image-9.9-arm64_9.9-1_arm64.deb", dir);
	collect_bad(spec, "a package for arm64");
	snprintf(spec, sizeof(spec), "%s/linux-image-bogus.deb", dir);
	sh("echo no > %s", spec);
	collect_bad(spec, "not a Debian package");
	snprintf(spec, sizeof(spec), "%s/other", dir);
	collect_bad(spec, "no Debian kernel package in it");
}

/* kspec_fetch on package files: unpacked once into the cache, then reused. */
static void test_fetch_debs(void **state)
{
	char dir[128], cache[128], *out;
	struct kspec k;
	struct kernel kn, again;
	struct err e;
	size_t bad;

	(void)state;
	if (!tl_have("dpkg-deb") || !tl_have("depmod")) {
		print_message("skipped: no dpkg-deb or depmod here\n");
		skip();
	}
	snprintf(dir, sizeof(dir), "%s/split", tmp);
	split_debs(dir);
	snprintf(cache, sizeof(cache), "%s/xdg", tmp);
	setenv("XDG_CACHE_HOME", cache, 1);
	assert_int_equal(kspec_parse(dir, &k, &bad, &e), 0);
	assert_int_equal(k.kind, KSPEC_DEB);
	assert_string_equal(k.label, "debs-split");
	if (kspec_fetch(&k, &kn, &e) < 0)
		fail_msg("fetch: %s", e.msg);
	assert_string_equal(kn.layout, "split");
	assert_string_equal(kn.release, ABI);
	assert_non_null(strstr(kn.image, "/tcpconform/kernels/deb-" ABI "_" VER "-"));
	assert_non_null(strstr(kn.config, "/lib/modules/" ABI "/config"));
	assert_int_equal(tl_sh(&out, "test -s %s/modules.dep", kn.moddir), 0);
	free(out);
	/* The linux-binary file alone: the same kernel, from the cache. */
	snprintf(dir, sizeof(dir), "%s/split/" FILE_("linux-binary"), tmp);
	assert_int_equal(kspec_parse(dir, &k, &bad, &e), 0);
	assert_int_equal(kspec_fetch(&k, &again, &e), 0);
	assert_string_equal(again.image, kn.image);
	assert_int_equal(tl_sh(&out, "ls %s/tcpconform/kernels | wc -l", cache), 0);
	assert_string_equal(out, "1\n");
	free(out);
	unsetenv("XDG_CACHE_HOME");
}

/* ---- the registry ---- */

static long long mtime(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0
	           ? (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec
	           : -1;
}

/* One small suite through the private apt: lists, kernels, one verified
 * download; the host's apt untouched. */
static void test_registry(void **state)
{
	static const char *const host[] = {"/var/lib/apt/lists", "/etc/apt/sources.list.d",
	                                   "/etc/apt/sources.list", "/var/cache/apt"};
	long long before[4];
	char dir[256], *out;
	struct debapt a;
	struct deb_index ix;
	struct deb_kernel *ks, one;
	size_t n, i, complete = 0, split = -1;
	struct err e;

	(void)state;
	if (!have_keyring())
		skip();
	for (i = 0; i < 4; i++)
		before[i] = mtime(host[i]);
	snprintf(dir, sizeof(dir), "%s/apt", tmp);
	setenv("TCPCONFORM_DEBIAN_SUITES", "trixie-backports", 1);
	assert_int_equal(debapt_open(&a, dir, NULL, NULL, &e), 0);
	if (debapt_refresh(&a, false, &e) < 0) {
		debapt_close(&a);
		print_message("skipped: the Debian registry is unreachable: %s\n", e.msg);
		skip();
	}
	for (i = 0; i < 4; i++)
		if (mtime(host[i]) != before[i])
			fail_msg("%s changed", host[i]);
	assert_string_equal(a.answered, "trixie-backports");
	assert_int_equal(tl_sh(&out, "ls %s/state/lists | grep -c trixie-backports", dir), 0);
	free(out);
	assert_int_equal(debapt_index(&a, "amd64", &ix, &e), 0);
	assert_int_equal(deb_index_kernels(&ix, NULL, "amd64", NULL, &ks, &n, &e), 0);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		assert_true(deb_in_suite(ks[i].parts[0], "trixie-backports"));
		if (i)
			assert_true(
			    debver_cmp(ks[i - 1].parts[0]->version, ks[i].parts[0]->version) >= 0);
		complete += !ks[i].missing[0];
		if (split == (size_t)-1 && !ks[i].missing[0] &&
		    strcmp(deb_kernel_layout(&ks[i]), "split") == 0)
			split = i;
		assert_int_equal(strlen(ks[i].parts[0]->sha256), 64);
	}
	assert_true(complete > 0);
	print_message("trixie-backports: %zu kernels, %zu complete, newest %s %s (%s)\n", n,
	              complete, ks[0].parts[0]->name, ks[0].parts[0]->version,
	              deb_kernel_layout(&ks[0]));
	if (split == (size_t)-1) {
		print_message("no complete split kernel in trixie-backports: no download tried\n");
	} else {
		/* The split layout's linux-image holds no kernel: a 2 kB download. */
		char dl[300];

		one = ks[split];
		one.nparts = 1;
		snprintf(dl, sizeof(dl), "%s/dl", tmp);
		assert_int_equal(mkdir(dl, 0755), 0);
		if (debapt_download(&a, &one, dl, &e) < 0)
			fail_msg("download: %s", e.msg);
		assert_int_equal(
		    tl_sh(&out, "ls %s | grep -c '^%s_.*\\.deb$'", dl, one.parts[0]->name), 0);
		free(out);
	}
	for (i = 0; i < 4; i++)
		if (mtime(host[i]) != before[i])
			fail_msg("%s changed", host[i]);
	free(ks);
	deb_index_free(&ix);
	debapt_close(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_debver),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_index),
	    cmocka_unit_test(test_kernels),
	    cmocka_unit_test(test_specs),
	    cmocka_unit_test_setup_teardown(test_private_apt, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sha256, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_split_layout, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_classic_layout, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_packages, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fetch_debs, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_registry, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
