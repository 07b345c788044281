// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_layers.c - the one-way rule between harness/'s layers
 * (docs/ARCHITECTURE.md) holds, and tests/check-layers.sh catches each kind
 * of breach: an include that goes up, an include without a layer folder, a
 * cycle between modules, argv parsed outside cli/, a model/ object that
 * calls into the system.  Each breach is planted in a copy of the tree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

static char layers[256];

/* The layer list, lowest first, as the Makefile gives it. */
static void read_layers(void)
{
	FILE *fp = fopen("Makefile", "r");
	char line[512];

	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		char *p;

		if (strncmp(line, "LAYERS", 6) != 0 || !(p = strstr(line, ":=")))
			continue;
		p += 2;
		p += strspn(p, " \t");
		p[strcspn(p, "\n")] = '\0';
		snprintf(layers, sizeof(layers), "%s", p);
	}
	fclose(fp);
	assert_true(layers[0] != '\0');
}

/* Run check-layers on @dir with BUILD=@build; its output in @out. */
static int check_layers(const char *dir, const char *build, char *out, size_t len)
{
	char cmd[1024];
	FILE *fp;
	size_t n = 0;
	int st;

	snprintf(cmd, sizeof(cmd), "BUILD=%s tests/check-layers.sh -C %s %s 2>&1", build, dir,
	         layers);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	while (n + 1 < len && fgets(out + n, (int)(len - n), fp))
		n += strlen(out + n);
	out[n] = '\0';
	st = pclose(fp);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* A copy of harness/ (only what check-layers reads) in a new directory. */
static void copy_tree(char *dir, size_t len)
{
	char cwd[1024];

	snprintf(dir, len, "/tmp/tc-layers-XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(
	    sh("cp -RL harness %s/ && mkdir -p %s/tests %s/docs && "
	       "cp tests/check-layers.sh %s/tests/ && cp docs/ARCHITECTURE.md %s/docs/",
	       dir, dir, dir, dir, dir),
	    0);
}

static void remove_tree(const char *dir)
{
	assert_int_equal(sh("rm -rf %s", dir), 0);
}

/* Put @line after the first #include of @file (relative to the copy). */
static void plant(const char *dir, const char *file, const char *line)
{
	assert_int_equal(
	    sh("sed -i '0,/^#include/s||%s\\n#include|' %s/harness/%s", line, dir, file), 0);
}

static void test_tree_keeps_the_rule(void **state)
{
	char out[8192];
	const char *build = getenv("BUILD");

	(void)state;
	assert_int_equal(check_layers(".", build && *build ? build : "build", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "every include goes down"));
	assert_null(strstr(out, "not built"));
}

static void test_upward_include(void **state)
{
	char dir[64], out[8192];

	(void)state;
	copy_tree(dir, sizeof(dir));
	plant(dir, "model/frame.c", "#include \"cli/cmdline.h\"");
	assert_int_equal(check_layers(dir, "/nonexistent", out, sizeof(out)), 1);
	assert_non_null(strstr(out, "harness/model/frame.c:"));
	assert_non_null(strstr(out, "#include \"cli/cmdline.h\": model/ may not include cli/"));
	remove_tree(dir);
}

static void test_include_without_layer(void **state)
{
	char dir[64], out[8192];

	(void)state;
	copy_tree(dir, sizeof(dir));
	plant(dir, "host/netns.c", "#include \"frame.h\"");
	assert_int_equal(check_layers(dir, "/nonexistent", out, sizeof(out)), 1);
	assert_non_null(strstr(out, "harness/host/netns.c:"));
	assert_non_null(strstr(out, "names no layer folder"));
	remove_tree(dir);
}

static void test_cycle(void **state)
{
	char dir[64], out[8192];

	(void)state;
	copy_tree(dir, sizeof(dir));
	/* same layer, so only the cycle rule can see it */
	plant(dir, "base/error.h", "#include \"base/afile.h\"");
	assert_int_equal(check_layers(dir, "/nonexistent", out, sizeof(out)), 1);
	assert_non_null(strstr(out, "a cycle between modules"));
	assert_non_null(strstr(out, "base/afile"));
	assert_non_null(strstr(out, "base/error"));
	remove_tree(dir);
}

static void test_argv_outside_cli(void **state)
{
	char dir[64], out[8192];

	(void)state;
	copy_tree(dir, sizeof(dir));
	plant(dir, "out/summary.c", "#include <getopt.h>");
	assert_int_equal(check_layers(dir, "/nonexistent", out, sizeof(out)), 1);
	assert_non_null(strstr(out, "harness/out/summary.c:"));
	assert_non_null(strstr(out, "argv parsed outside cli/"));
	remove_tree(dir);
}

/* A module the architecture does not name: a newcomer would not find it. */
static void test_module_not_documented(void **state)
{
	char dir[64], out[8192];

	(void)state;
	copy_tree(dir, sizeof(dir));
	assert_int_equal(sh("echo '#include \"run/runner.h\"' > %s/harness/run/stray.c", dir), 0);
	assert_int_equal(check_layers(dir, "/nonexistent", out, sizeof(out)), 1);
	assert_non_null(strstr(out, "harness/run/stray.c: module 'stray' is not named in "
	                            "docs/ARCHITECTURE.md"));
	remove_tree(dir);
}

static void test_model_calls_the_system(void **state)
{
	char dir[64], out[8192];

	(void)state;
	copy_tree(dir, sizeof(dir));
	assert_int_equal(sh("mkdir -p %s/build/obj/model && printf '#include <fcntl.h>\\n"
	                    "int model_peek(void);\\nint model_peek(void) "
	                    "{ return open(\"/etc/hostname\", O_RDONLY); }\\n' > %s/peek.c && "
	                    "cc -c -o %s/build/obj/model/peek.o %s/peek.c",
	                    dir, dir, dir, dir),
	                 0);
	assert_int_equal(check_layers(dir, "build", out, sizeof(out)), 1);
	assert_non_null(strstr(out, "model/peek.o: model/ calls open"));
	remove_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tree_keeps_the_rule),
	    cmocka_unit_test(test_upward_include),
	    cmocka_unit_test(test_include_without_layer),
	    cmocka_unit_test(test_cycle),
	    cmocka_unit_test(test_argv_outside_cli),
	    cmocka_unit_test(test_model_calls_the_system),
	    cmocka_unit_test(test_module_not_documented),
	};

	read_layers();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
