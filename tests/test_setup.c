// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_setup.c - no implicit system changes (issue 17 item 7): `make` and
 * `make check` on a machine that lacks packages name them and the command
 * that installs them, and never run apt-get; `./run.sh --setup` says what
 * it installs, then installs it.  A bare machine is made by hiding the
 * pkg-config modules (PKG_CONFIG_LIBDIR), and apt-get is a stand-in that
 * records its arguments and fails: nothing is installed on this machine.
 * And a kernel package's download shows its progress on stderr: a line per
 * 10% into a pipe, one line redrawn on a terminal (a real download from
 * the apt mirror, slowed with apt's own Acquire::http::Dl-Limit).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"

static char tmp[64];

static const char *build_dir(void)
{
	const char *b = getenv("BUILD");

	return b && *b ? b : "build";
}

static int setup(void **state)
{
	char path[128];
	FILE *f;

	(void)state;
	strcpy(tmp, "/tmp/tcpconform-setup-XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	/* apt-get that installs nothing: it says it was called, and fails. */
	snprintf(path, sizeof(path), "%s/bin", tmp);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/bin/apt-get", tmp);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "#!/bin/sh\necho \"$*\" >> %s/apt-get.called\nexit 100\n", tmp);
	fclose(f);
	return chmod(path, 0755);
}

static int teardown(void **state)
{
	char *out;

	(void)state;
	tl_sh(&out, "rm -rf %s", tmp);
	free(out);
	return 0;
}

static bool apt_called(void)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/apt-get.called", tmp);
	return access(path, F_OK) == 0;
}

/* make TARGET with the stand-in apt-get first on PATH, a build directory of
 * its own and @env; the parent make's jobserver is not passed on. */
static int make_bare(char **out, const char *env, const char *target)
{
	return tl_sh(out,
	             "env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS PATH=%s/bin:$PATH %s "
	             "make --no-print-directory BUILD=%s/build %s",
	             tmp, env, tmp, target);
}

static void test_make_names_missing(void **state)
{
	static const char *const targets[] = {"all", "check"};
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		char *out, want[64];
		int rc = make_bare(&out, "PKG_CONFIG_LIBDIR=/nonexistent", targets[i]);
		char built[128];

		print_message("make %s on a bare machine: exit %d\n%s", targets[i], rc, out);
		snprintf(want, sizeof(want), "make %s: missing Debian packages: ", targets[i]);
		assert_non_null(strstr(out, want));
		assert_non_null(strstr(out, "libnl-3-dev"));
		assert_non_null(strstr(out, "libjansson-dev"));
		assert_non_null(strstr(out, "./run.sh --setup"));
		assert_non_null(strstr(out, "apt-get install -y "));
		/* The check exits 3; make reports it ("Error 3") and exits 2,
		 * make's own status for a failed recipe. */
		assert_non_null(strstr(out, "Error 3"));
		assert_int_not_equal(rc, 0);
		assert_false(apt_called());
		/* Nothing was built either. */
		snprintf(built, sizeof(built), "%s/build", tmp);
		assert_int_not_equal(access(built, F_OK), 0);
		free(out);
	}
}

/* The build's packages there, cmocka not: `make check` names cmocka's
 * package alone, before building anything for the tests. */
static void test_make_check_names_cmocka(void **state)
{
	char *out, *pcdir;
	int rc;

	(void)state;
	rc = tl_sh(&pcdir, "pkg-config --variable pc_path pkg-config | tr -d '\\n'");
	assert_int_equal(rc, 0);
	rc = tl_sh(&out,
	           "mkdir -p %s/pc && p='%s' && IFS=: && for d in $p; do for f in \"$d\"/*.pc; do "
	           "[ -e \"$f\" ] && [ \"${f##*/}\" != cmocka.pc ] && ln -sf \"$f\" %s/pc/; "
	           "done; done; true",
	           tmp, pcdir, tmp);
	free(pcdir);
	assert_int_equal(rc, 0);
	free(out);
	{
		char env[128];

		snprintf(env, sizeof(env), "PKG_CONFIG_LIBDIR=%s/pc", tmp);
		rc = make_bare(&out, env, "check");
	}
	print_message("make check without cmocka: exit %d\n%s", rc, out);
	assert_non_null(strstr(out, "make check: missing Debian packages: libcmocka-dev\n"));
	assert_non_null(strstr(out, "Error 3"));
	assert_false(apt_called());
	{
		char tests[128];

		snprintf(tests, sizeof(tests), "%s/build/tests", tmp);
		assert_int_not_equal(access(tests, F_OK), 0);
	}
	free(out);
}

/* ./run.sh --setup is the one that installs: it says what, then runs
 * apt-get (the stand-in, which fails: exit 3 with apt's message). */
static void test_run_sh_setup_installs(void **state)
{
	char *out, *called, *say;
	int rc;

	(void)state;
	if (geteuid() != 0) {
		print_message("skipped: run.sh installs as root only\n");
		skip();
	}
	rc = tl_sh(&out, "PATH=%s/bin:$PATH PKG_CONFIG_LIBDIR=/nonexistent ./run.sh --setup", tmp);
	print_message("./run.sh --setup on a bare machine: exit %d\n%s", rc, out);
	assert_int_equal(rc, 3);
	say = strstr(out, "run.sh: installing libnl-3-dev ");
	assert_non_null(say);
	assert_non_null(strstr(say, "libcmocka-dev")); /* make check's needs too */
	assert_non_null(strstr(out, "apt-get install failed"));
	assert_true(apt_called());
	rc = tl_sh(&called, "cat %s/apt-get.called", tmp);
	assert_non_null(strstr(called, "install -y -q --no-install-recommends libnl-3-dev"));
	free(called);
	free(out);
	tl_sh(&out, "rm -f %s/apt-get.called", tmp);
	free(out);
}

/* .ci/run sets the machine up itself before make check and make check-vm. */
static void test_ci_sets_up(void **state)
{
	char *out;

	(void)state;
	assert_int_equal(
	    tl_sh(&out,
	          "grep -nE -e '^\\./run.sh --setup' -e '^make (-j\"\\$jobs\" )?check' .ci/run"),
	    0);
	print_message("%s", out);
	{
		char *setup = strstr(out, ":./run.sh --setup\n"),
		     *check = strstr(out, ":make check ");
		char *vmsetup = strstr(out, ":./run.sh --setup-vm\n"),
		     *checkvm = strstr(out, ":make check-vm\n");

		assert_non_null(setup);
		assert_non_null(check);
		assert_true(setup < check);
		assert_non_null(vmsetup);
		assert_non_null(checkvm);
		assert_true(vmsetup < checkvm);
	}
	free(out);
}

/* One real download of Debian's 6.1 cloud kernel (27 MB) into a cache of
 * the test's own, its output to @how ("pipe" or "tty", through script(1));
 * the second fetch keeps the first one's apt lists (15 s of the 25) and
 * downloads the package again;
 * the run stops after the unpack on a busybox that is not there (any
 * executable passes for the static harness: none is built under make
 * sanitize). */
static int fetch(char **out, const char *how)
{
	char top[4096], *cmd;
	int rc;

	assert_non_null(getcwd(top, sizeof(top)));
	assert_true(
	    asprintf(&cmd,
	             "cd %s && rm -rf cache/tcpconform/kernels && mkdir -p run && cd run && "
	             "XDG_CACHE_HOME=%s/cache APT_CONFIG=%s/apt.conf TCPCONFORM_CASES=%s/cases "
	             /* one suite's lists, not every suite's: the download is the subject */
	             "TCPCONFORM_DEBIAN_SUITES=bookworm-security "
	             "TCPCONFORM_STATIC=/bin/sh TCPCONFORM_BUSYBOX=/nonexistent/busybox "
	             "%s/%s/tcpconform vm --kernel "
	             "debian:6.1:cloud refused",
	             tmp, tmp, tmp, top, top, build_dir()) > 0);
	if (strcmp(how, "tty") == 0)
		rc = tl_sh(out, "script -qec '%s' /dev/null", cmd);
	else
		rc = tl_sh(out, "%s 2>&1 | cat", cmd);
	free(cmd);
	return rc;
}

static void test_download_progress(void **state)
{
	char *out, *line, *save = NULL, path[128];
	int pct[32], n = 0, done = 0, i;
	FILE *f;

	(void)state;
	if (!tl_have("apt-get") || !tl_have("apt-cache") || !tl_have("script") ||
	    !tl_have("dpkg-deb")) {
		print_message("skipped: needs apt-get, apt-cache, dpkg-deb and script\n");
		skip();
	}
	tl_sh(&out, "apt-cache pkgnames linux-image-6.1.0 | grep -c 'cloud-amd64$'");
	if (atoi(out) == 0) {
		print_message("skipped: no linux-image-6.1.0-*-cloud-amd64 in the apt lists\n");
		free(out);
		skip();
	}
	free(out);
	/* apt's own rate limit (KB/s): about 5 s for 27 MB. */
	snprintf(path, sizeof(path), "%s/apt.conf", tmp);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "Acquire::http::Dl-Limit \"5000\";\n");
	fclose(f);

	fetch(&out, "pipe");
	print_message("%s", out);
	if (strstr(out, "apt-get download failed")) {
		print_message("skipped: the apt mirror cannot be reached\n");
		free(out);
		skip();
	}
	assert_null(strchr(out, '\r'));
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *p;
		double got, total, rate;
		int pc;

		if (strncmp(line, "tcpconform: linux-image-6.1.0-", 30) != 0 ||
		    !(p = strstr(line, "-cloud-amd64: ")))
			continue;
		p += 14;
		if (sscanf(p, "%lf of %lf MB (%d%%), %lf MB/s", &got, &total, &pc, &rate) == 4) {
			assert_true(n < 32);
			assert_true(rate > 0 && got <= total && total > 20);
			pct[n++] = pc;
		} else if (strstr(p, " MB (100%) in ") && strstr(p, " MB/s")) {
			done++;
		}
	}
	/* A line per 10% reached (one poll may cross two), then the end. */
	print_message("%d progress line(s) into a pipe\n", n);
	assert_true(n >= 5 && n <= 9);
	for (i = 1; i < n; i++)
		assert_true(pct[i] / 10 > pct[i - 1] / 10);
	assert_int_equal(done, 1);
	free(out);

	fetch(&out, "tty");
	{
		const char *p = out;
		int redraws = 0;

		while ((p = strstr(p, "\rtcpconform: linux-image-6.1.0-"))) {
			redraws++;
			p++;
		}
		print_message("%d redraw(s) on a terminal\n", redraws);
		assert_true(redraws >= 10);
		assert_non_null(strstr(out, "\033[K"));
		assert_non_null(strstr(out, " MB (100%) in "));
	}
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_make_names_missing),
	    cmocka_unit_test(test_make_check_names_cmocka),
	    cmocka_unit_test(test_run_sh_setup_installs),
	    cmocka_unit_test(test_ci_sets_up),
	    cmocka_unit_test(test_download_progress),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
