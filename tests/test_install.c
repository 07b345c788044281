// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_install.c - a complete install (issue 17 item 6): `make install
 * DESTDIR=...` into a directory under /tmp, then the INSTALLED files at
 * work, from a directory with no cases of its own: the binary lists,
 * checks and runs a case from its installed catalogue; `vm` finds the
 * installed static harness (and fails later, on a busybox that is not
 * there); the kselftest wrapper prints KTAP; the man page renders; the
 * bash completion completes commands, options and case names.  Then `make
 * uninstall DESTDIR=...` leaves no file behind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"

static char dest[64], bin[256], cwd[128];
static const char *prefix = "/usr/local"; /* the Makefile's default */
static bool installed, install_failed;
static char why_not[4400];

static const char *build_dir(void)
{
	const char *b = getenv("BUILD");

	return b && *b ? b : "build";
}

/* make TARGET DESTDIR=dest, the parent make's jobserver not passed on. */
static int make_dest(char **out, const char *target)
{
	return tl_sh(
	    out,
	    "env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s --no-print-directory BUILD=%s "
	    "%s DESTDIR=%s",
	    build_dir(), target, dest);
}

static int setup(void **state)
{
	char path[4200], *out;
	int rc;

	(void)state;
	strcpy(dest, "/tmp/tcpconform-install-XXXXXX");
	if (!mkdtemp(dest))
		return -1;
	snprintf(cwd, sizeof(cwd), "%s/elsewhere", dest);
	/* The sanitizer build has no static harness (no static ASan). */
	snprintf(path, sizeof(path), "%s/tcpconform-static", build_dir());
	if (access(path, X_OK) != 0) {
		snprintf(why_not, sizeof(why_not), "no %s to install (make static)", path);
		return 0;
	}
	rc = make_dest(&out, "install");
	print_message("make install DESTDIR=%s: exit %d\n%s", dest, rc, out);
	free(out);
	if (rc != 0) {
		install_failed = true;
		return 0;
	}
	installed = true;
	snprintf(bin, sizeof(bin), "%s%s/bin/tcpconform", dest, prefix);
	return mkdir(cwd, 0755);
}

static int teardown(void **state)
{
	char *out;

	(void)state;
	tl_sh(&out, "rm -rf %s", dest);
	free(out);
	return 0;
}

#define REQUIRE_INSTALLED()                                                                        \
	do {                                                                                       \
		if (!installed) {                                                                  \
			if (install_failed)                                                        \
				fail_msg("make install failed");                                   \
			print_message("skipped: %s\n", why_not);                                   \
			skip();                                                                    \
		}                                                                                  \
	} while (0)

/* Run the installed @what (printf-style) in a directory with no cases,
 * with none of the variables that would point it elsewhere. */
static int installed_sh(char **out, const char *what)
{
	return tl_sh(out,
	             "cd %s && env -u TCPCONFORM_CASES -u TCPCONFORM_FIXTURES -u TCPCONFORM_STATIC "
	             "-u TCPCONFORM %s",
	             cwd, what);
}

static void test_files(void **state)
{
	static const struct {
		const char *path;
		mode_t mode;
	} files[] = {
	    {"bin/tcpconform", 0755},
	    {"libexec/tcpconform/tcpconform-static", 0755},
	    {"libexec/tcpconform/kselftest/tcpconform.sh", 0755},
	    {"share/man/man1/tcpconform.1", 0644},
	    {"share/bash-completion/completions/tcpconform", 0644},
	    {"share/tcpconform/cases/refused.case", 0},
	    {"share/tcpconform/fixtures/refused.table", 0},
	    {"share/tcpconform/fixtures/kernel/config", 0},
	    {"share/tcpconform/fixtures/coverage/transitions", 0},
	    {"share/tcpconform/fixtures/coverage/timers", 0},
	};
	size_t i;

	(void)state;
	REQUIRE_INSTALLED();
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[4400];
		struct stat st;

		snprintf(path, sizeof(path), "%s%s/%s", dest, prefix, files[i].path);
		print_message("%s\n", path);
		assert_int_equal(stat(path, &st), 0);
		assert_true(S_ISREG(st.st_mode));
		if (files[i].mode)
			assert_int_equal(st.st_mode & 07777, files[i].mode);
	}
}

/* list and check read the installed catalogue: the one beside the
 * binary's prefix (DESTDIR's), not the compiled prefix's. */
static void test_list_check(void **state)
{
	char *out, cmd[4400], want[200];

	(void)state;
	REQUIRE_INSTALLED();
	snprintf(cmd, sizeof(cmd), "%s list", bin);
	assert_int_equal(installed_sh(&out, cmd), 0);
	assert_non_null(strstr(out, "\nrefused "));
	assert_non_null(strstr(out, "\ntw-reuse "));
	free(out);
	snprintf(cmd, sizeof(cmd), "%s check", bin);
	assert_int_equal(installed_sh(&out, cmd), 0);
	snprintf(want, sizeof(want), "%s%s/share/tcpconform/cases/refused.case: ok", dest, prefix);
	assert_non_null(strstr(out, want));
	free(out);
}

static void test_run_case(void **state)
{
	char *out, cmd[4400], path[200];

	(void)state;
	REQUIRE_INSTALLED();
	REQUIRE_NETNS();
	snprintf(cmd, sizeof(cmd), "%s run refused -o %s/run", bin, cwd);
	assert_int_equal(installed_sh(&out, cmd), 0);
	print_message("%s", out);
	free(out);
	snprintf(path, sizeof(path), "%s/run/summary.json", cwd);
	assert_int_equal(access(path, F_OK), 0);
}

/* The wrapper kselftest users run: KTAP on stdout, exit 0, with the
 * binary found from the installed layout. */
static void test_kselftest(void **state)
{
	char *out, cmd[4400];

	(void)state;
	REQUIRE_INSTALLED();
	REQUIRE_NETNS();
	snprintf(
	    cmd, sizeof(cmd),
	    "PATH=/usr/sbin:/usr/bin:/sbin:/bin %s%s/libexec/tcpconform/kselftest/tcpconform.sh "
	    "refused 2>/dev/null",
	    dest, prefix);
	assert_int_equal(installed_sh(&out, cmd), 0);
	print_message("%s", out);
	assert_memory_equal(out, "KTAP version 1\n", 15);
	assert_non_null(strstr(out, "ok 1 refused"));
	free(out);
}

/* vm --help; then a vm run that gets past the static harness and stops
 * on the busybox (before any boot); without the installed static harness
 * the same run stops on it, naming the places it looked. */
static void test_vm_static_harness(void **state)
{
	char *out, cmd[4400], kernel[200], harness[4400], moved[4400];

	(void)state;
	REQUIRE_INSTALLED();
	snprintf(cmd, sizeof(cmd), "%s vm --help", bin);
	assert_int_equal(installed_sh(&out, cmd), 0);
	assert_non_null(strstr(out, "usage: tcpconform vm [OPTION...] [CASE...]"));
	assert_non_null(strstr(out, "--kernel SPEC"));
	free(out);

	snprintf(kernel, sizeof(kernel), "%s/bzImage", cwd);
	assert_int_equal(tl_sh(&out, "echo not-a-kernel > %s", kernel), 0);
	free(out);
	snprintf(cmd, sizeof(cmd),
	         "TCPCONFORM_BUSYBOX=/nonexistent/busybox %s vm --kernel %s refused", bin, kernel);
	assert_int_equal(installed_sh(&out, cmd), 3);
	print_message("%s", out);
	assert_null(strstr(out, "static harness"));
	assert_non_null(strstr(out, "/nonexistent/busybox is not a static executable"));
	free(out);

	snprintf(harness, sizeof(harness), "%s%s/libexec/tcpconform/tcpconform-static", dest,
	         prefix);
	snprintf(moved, sizeof(moved), "%s/static.away", dest);
	assert_int_equal(rename(harness, moved), 0);
	installed_sh(&out, cmd);
	assert_int_equal(rename(moved, harness), 0);
	print_message("%s", out);
	assert_non_null(strstr(out, "no static harness at "));
	assert_non_null(strstr(out, "libexec/tcpconform/tcpconform-static"));
	free(out);
}

/* The man page renders without warnings and names every command that
 * `tcpconform help` lists (but the guests' own guest-send). */
static void test_man_page(void **state)
{
	char *out, *cmds, *line, *save = NULL, page[4400];
	bool raw = false;

	(void)state;
	REQUIRE_INSTALLED();
	snprintf(page, sizeof(page), "%s%s/share/man/man1/tcpconform.1", dest, prefix);
	if (tl_have("groff")) {
		assert_int_equal(tl_sh(&out, "groff -man -Tutf8 -ww -z %s", page), 0);
		assert_string_equal(out, ""); /* no warning */
		free(out);
	}
	if (tl_have("man")) {
		assert_int_equal(tl_sh(&out, "MANWIDTH=80 man -l %s | col -b", page), 0);
	} else if (tl_have("groff")) {
		assert_int_equal(tl_sh(&out, "groff -man -Tutf8 -P-cbou -rLL=80n %s", page), 0);
	} else {
		print_message("no man(1), no groff: the roff source is checked instead\n");
		assert_int_equal(tl_sh(&out, "cat %s", page), 0);
		raw = true;
	}
	assert_non_null(strstr(out, "NAME"));
	assert_non_null(strstr(out, "tcpconform"));
	assert_non_null(strstr(out, "EXIT STATUS"));
	assert_int_equal(
	    tl_sh(&cmds, "%s help | sed -n 's/^  tcpconform \\([a-z-]*\\).*/\\1/p'", bin), 0);
	{
		/* The COMMANDS section: each command is a tag at its start. */
		char *sect = strstr(out, raw ? "\n.SH COMMANDS\n" : "\nCOMMANDS\n"), *end;

		assert_non_null(sect);
		end = strstr(sect, raw ? "\n.SH EXIT STATUS\n" : "\nEXIT STATUS\n");
		assert_non_null(end);
		*end = '\0';
		for (line = strtok_r(cmds, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char tag[64], also[64];

			if (strcmp(line, "guest-send") == 0)
				continue;
			/* rendered: a tag at the line's start, or "help, version";
			 * roff (no formatter here): the name in the section */
			snprintf(tag, sizeof(tag), raw ? "%s" : "\n       %s", line);
			snprintf(also, sizeof(also), raw ? "%s" : ", %s\n", line);
			print_message("man page: %s\n", line);
			assert_true(strstr(sect, tag) || strstr(sect, also));
		}
	}
	free(cmds);
	free(out);
}

/* Sourced in a bare bash (no bash-completion package), the completion
 * completes a command, an option, an option's value and a case name (from
 * the installed binary's `list`). */
static void test_completion(void **state)
{
	static const struct {
		const char *words, *want;
	} cases[] = {
	    {"ru", "run"},
	    {"run --fam", "--family"},
	    {"run --family \"\"", "4 6"},
	    {"run -j 4 refu", "refused"},
	    {"vm --accel \"\"", "auto kvm tcg"},
	    {"bench to", "topology"},
	};
	char script[4400];
	size_t i;

	(void)state;
	REQUIRE_INSTALLED();
	snprintf(script, sizeof(script), "%s%s/share/bash-completion/completions/tcpconform", dest,
	         prefix);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out, cmd[9000];

		snprintf(
		    cmd, sizeof(cmd),
		    "bash --norc --noprofile -c 'source %s && complete -p tcpconform >/dev/null "
		    "&& COMP_WORDS=(%s %s) && COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) && "
		    "_tcpconform && echo \"${COMPREPLY[*]}\"'",
		    script, bin, cases[i].words);
		assert_int_equal(installed_sh(&out, cmd), 0);
		print_message("tcpconform %s<TAB> -> %s", cases[i].words, out);
		out[strcspn(out, "\n")] = '\0';
		assert_string_equal(out, cases[i].want);
		free(out);
	}
}

/* Last: make uninstall removes every file install put, and tcpconform's
 * own directories. */
static void test_uninstall(void **state)
{
	char *out;

	(void)state;
	REQUIRE_INSTALLED();
	assert_int_equal(tl_sh(&out, "rm -rf %s", cwd), 0);
	free(out);
	assert_int_equal(make_dest(&out, "uninstall"), 0);
	free(out);
	assert_int_equal(
	    tl_sh(&out, "find %s -mindepth 1 \\( -type f -o -name '*tcpconform*' \\)", dest), 0);
	print_message("left after make uninstall: '%s'\n", out);
	assert_string_equal(out, "");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_files),
	    cmocka_unit_test(test_list_check),
	    cmocka_unit_test(test_run_case),
	    cmocka_unit_test(test_kselftest),
	    cmocka_unit_test(test_vm_static_harness),
	    cmocka_unit_test(test_man_page),
	    cmocka_unit_test(test_completion),
	    cmocka_unit_test(test_uninstall),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
