// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_kconfig.c - kernel configurations against fixtures/kernel/config:
 * the shipped fragment parses and names only real cases; sample configs
 * (complete, lacking a harness option, a guest option, a case's option,
 * an optional one, with modules) give the right blocking list and skips;
 * every malformed line is refused at its column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "testlib.h"

#include "base/infile.h"
#include "base/text.h"
#include "model/kconfig.h"

static struct kfrag frag;

static int load_fragment(void **state)
{
	struct err e;
	size_t len;
	char *text = infile_read("fixtures/kernel/config", 65536, &len, &e);

	(void)state;
	if (!text) {
		print_error("%s\n", e.msg);
		return -1;
	}
	if (kfrag_parse(text, len, "fixtures/kernel/config", &frag, &e) < 0) {
		print_error("%s\n", e.msg);
		free(text);
		return -1;
	}
	free(text);
	return 0;
}

static int free_fragment(void **state)
{
	(void)state;
	kfrag_free(&frag);
	return 0;
}

/* A .config with every option of the fragment at @value, except @drop
 * (written "# CONFIG_X is not set") and @as_module (=m). */
static void sample(struct kconfig *kc, const char *drop, const char *as_module)
{
	char *text = malloc(65536);
	size_t used = 0;
	struct err e;

	assert_non_null(text);
	used += (size_t)snprintf(text + used, 65536 - used,
	                         "#\n# Automatically generated file; DO NOT EDIT.\n#\n"
	                         "CONFIG_CC_VERSION_TEXT=\"gcc (Debian 12.2.0-14) 12.2.0\"\n"
	                         "CONFIG_HZ=250\n\n");
	for (size_t i = 0; i < frag.n; i++) {
		const char *n = frag.entries[i].name;

		if (drop && strcmp(n, drop) == 0)
			used += (size_t)snprintf(text + used, 65536 - used, "# %s is not set\n", n);
		else
			used +=
			    (size_t)snprintf(text + used, 65536 - used, "%s=%s\n", n,
			                     as_module && strcmp(n, as_module) == 0 ? "m" : "y");
	}
	assert_int_equal(kconfig_parse(text, used, "sample", kc, &e), 0);
	free(text);
}

static void test_fragment_names_real_cases(void **state)
{
	bool saw_cases = false, saw_harness = false;

	(void)state;
	assert_true(frag.n >= 20);
	for (size_t i = 0; i < frag.n; i++) {
		const struct kfrag_entry *fe = &frag.entries[i];

		assert_true(fe->why[0] != '\0');
		saw_harness |= fe->need == KNEED_HARNESS;
		for (unsigned c = 0; c < fe->ncases; c++) {
			char path[128];
			struct stat st;

			saw_cases = true;
			snprintf(path, sizeof(path), "cases/%s.case", fe->cases[c]);
			if (stat(path, &st) != 0)
				fail_msg("fixtures/kernel/config:%u names case '%s', which does "
				         "not exist",
				         fe->line, fe->cases[c]);
		}
	}
	assert_true(saw_cases && saw_harness);
	assert_non_null(strstr(frag.entries[0].name, "CONFIG_"));
}

static void test_complete_config(void **state)
{
	struct kconfig kc;
	char out[2048], buf[256];

	(void)state;
	sample(&kc, NULL, NULL);
	assert_string_equal(kconfig_get(&kc, "CONFIG_HZ"), "250");
	assert_string_equal(kconfig_get(&kc, "CONFIG_VETH"), "y");
	assert_null(kconfig_get(&kc, "CONFIG_NO_SUCH_THING"));
	assert_int_equal(kfrag_blocking(&frag, &kc, false, true, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_null(kfrag_case_skip(&frag, &kc, false, "syn-flood", buf, sizeof(buf)));
	kconfig_free(&kc);
}

static void test_lacking_harness_option(void **state)
{
	struct kconfig kc;
	char out[2048];

	(void)state;
	sample(&kc, "CONFIG_VETH", NULL);
	assert_int_equal(kfrag_blocking(&frag, &kc, false, false, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "CONFIG_VETH ("));
	assert_non_null(strstr(out, "topology"));
	kconfig_free(&kc);
}

static void test_lacking_guest_option(void **state)
{
	struct kconfig kc;
	char out[2048];

	(void)state;
	sample(&kc, "CONFIG_BLK_DEV_INITRD", NULL);
	/* Only a VM needs it. */
	assert_int_equal(kfrag_blocking(&frag, &kc, false, false, out, sizeof(out)), 0);
	assert_int_equal(kfrag_blocking(&frag, &kc, false, true, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "CONFIG_BLK_DEV_INITRD"));
	kconfig_free(&kc);
}

static void test_lacking_case_option(void **state)
{
	struct kconfig kc;
	char out[2048], buf[256];
	const char *why;

	(void)state;
	sample(&kc, "CONFIG_SYN_COOKIES", NULL);
	assert_int_equal(kfrag_blocking(&frag, &kc, false, true, out, sizeof(out)), 0);
	why = kfrag_case_skip(&frag, &kc, false, "syn-flood", buf, sizeof(buf));
	assert_non_null(why);
	assert_non_null(strstr(why, "the kernel lacks CONFIG_SYN_COOKIES"));
	assert_null(kfrag_case_skip(&frag, &kc, false, "handshake", buf, sizeof(buf)));
	kconfig_free(&kc);
}

static void test_optional_and_modules(void **state)
{
	struct kconfig kc;
	char out[2048];

	(void)state;
	sample(&kc, "CONFIG_TRACING", NULL);
	assert_int_equal(kfrag_blocking(&frag, &kc, false, true, out, sizeof(out)), 0);
	kconfig_free(&kc);
	/* =m is enough where modules can be loaded (a Debian package), not in a
	 * kernel built with everything in and no modules (src:). */
	sample(&kc, NULL, "CONFIG_INET_DIAG");
	assert_int_equal(kfrag_blocking(&frag, &kc, true, true, out, sizeof(out)), 0);
	assert_int_equal(kfrag_blocking(&frag, &kc, false, true, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "CONFIG_INET_DIAG"));
	kconfig_free(&kc);
}

static void expect_error(int (*parse)(const char *, size_t, const char *, void *, struct err *),
                         const char *text, const char *want)
{
	union {
		struct kconfig kc;
		struct kfrag f;
	} u;
	struct err e;

	assert_int_equal(parse(text, strlen(text), "x", &u, &e), -1);
	if (strncmp(e.msg, want, strlen(want)) != 0)
		fail_msg("for '%s': got '%s', want '%s...'", text, e.msg, want);
}

static int parse_config(const char *t, size_t n, const char *f, void *o, struct err *e)
{
	return kconfig_parse(t, n, f, o, e);
}

static int parse_frag(const char *t, size_t n, const char *f, void *o, struct err *e)
{
	return kfrag_parse(t, n, f, o, e);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error(parse_config, "CONFIG_A=y\nVETH=y\n", "x:2:1: not a kernel configuration");
	expect_error(parse_config, "CONFIG_A y\n", "x:1:9: not a kernel configuration");
	expect_error(parse_frag, "CONFIG_A=n # harness: x\n", "x:1:9: expected CONFIG_NAME=y");
	expect_error(parse_frag, "CONFIG_A=y\n", "x:1:11: every option says who needs it");
	expect_error(parse_frag, "CONFIG_A=y   # who: x\n", "x:1:16: unknown need");
	expect_error(parse_frag, "\nCONFIG_A=y # cases: (why)\n", "x:2:21: 'cases:' names no case");
	expect_error(parse_frag, "CONFIG_A=y # cases: a/b (why)\n", "x:1:22: a case name has");
}

/* A .config file like sample()'s, written to @path. */
static void write_sample(const char *path, const char *drop)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	for (size_t i = 0; i < frag.n; i++) {
		if (drop && strcmp(frag.entries[i].name, drop) == 0)
			fprintf(fp, "# %s is not set\n", drop);
		else
			fprintf(fp, "%s=y\n", frag.entries[i].name);
	}
	fclose(fp);
}

/* `run --kernel-config`: a case needing an option the kernel lacks is
 * skipped with the option's name (exit 0); an option every case needs
 * stops the run before anything runs (exit 3, named). */
static void test_run_kernel_config(void **state)
{
	char dir[] = "/tmp/tcpconform-kconfig-XXXXXX", cfg[128], cmd[512], out[128];
	char *text;
	size_t len;
	struct err e;

	(void)state;
	REQUIRE_NETNS(); /* a run probes for namespaces first, even with every case skipped */
	assert_non_null(mkdtemp(dir));
	snprintf(cfg, sizeof(cfg), "%s/config", dir);
	write_sample(cfg, "CONFIG_SYN_COOKIES");
	snprintf(out, sizeof(out), "%s/run", dir);
	snprintf(cmd, sizeof(cmd),
	         "build/tcpconform run syn-flood --kernel-config %s -o %s > %s/log 2>&1", cfg, out,
	         dir);
	assert_int_equal(WEXITSTATUS(system(cmd)), 0);
	snprintf(cmd, sizeof(cmd), "%s/summary.json", out);
	text = infile_read(cmd, 1 << 20, &len, &e);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"status\": \"skip\""));
	assert_non_null(strstr(text, "the kernel lacks CONFIG_SYN_COOKIES"));
	assert_null(strstr(text, "\"status\": \"ran\""));
	free(text);
	write_sample(cfg, "CONFIG_VETH");
	snprintf(cmd, sizeof(cmd),
	         "build/tcpconform run handshake --kernel-config %s -o %s/run2 > %s/log 2>&1", cfg,
	         dir, dir);
	assert_int_equal(WEXITSTATUS(system(cmd)), 3);
	snprintf(cmd, sizeof(cmd), "grep -q 'lacks what the catalogue needs: CONFIG_VETH' %s/log",
	         dir);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "test ! -e %s/run2/summary.json", dir);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fragment_names_real_cases),
	    cmocka_unit_test(test_complete_config),
	    cmocka_unit_test(test_lacking_harness_option),
	    cmocka_unit_test(test_lacking_guest_option),
	    cmocka_unit_test(test_lacking_case_option),
	    cmocka_unit_test(test_optional_and_modules),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_run_kernel_config),
	};

	return cmocka_run_group_tests_name("kconfig", tests, load_fragment, free_fragment);
}
