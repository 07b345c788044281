/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kconfig.h - a kernel's configuration against the options the catalogue
 * needs (fixtures/kernel/config, a kselftest-style fragment).
 *
 * Pure: text in, verdicts out.  The fragment's lines are CONFIG_X=y, each
 * with a comment that starts with who needs it:
 *
 *   # harness: ...          every case: a kernel without it cannot run any
 *   # guest: ...            the VM's /init and transport: the same in a VM
 *   # observations: ...     one kind of observation, needed like the harness
 *   # cases: A B: ...       only the cases named: they are skipped
 *   # optional: ...         checks that need it skip with a declared reason
 */
#ifndef TC_KCONFIG_H
#define TC_KCONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

#define KCONFIG_NAME_MAX    64
#define KCONFIG_MAX_CASES   16
#define KCONFIG_MAX_OPTIONS 8192 /* a full .config has ~5000 lines */

/* A kernel's .config: the options set, with their values ("y", "m", "0x10"). */
struct kconfig {
	struct kconfig_opt {
		char name[KCONFIG_NAME_MAX];
		char value[32];
	} * opts;
	size_t n;
};

int kconfig_parse(const char *text, size_t len, const char *file, struct kconfig *kc,
                  struct err *e);
void kconfig_free(struct kconfig *kc);
/* The value of @name ("CONFIG_VETH"), or NULL when not set. */
const char *kconfig_get(const struct kconfig *kc, const char *name);

enum kneed {
	KNEED_HARNESS,
	KNEED_GUEST,
	KNEED_OBSERVATIONS,
	KNEED_CASES,
	KNEED_OPTIONAL,
};

struct kfrag_entry {
	char name[KCONFIG_NAME_MAX];
	enum kneed need;
	char cases[KCONFIG_MAX_CASES][64];
	unsigned ncases;
	char why[256]; /* the rest of the comment */
	unsigned line;
};

struct kfrag {
	struct kfrag_entry *entries;
	size_t n;
};

/* Parse the fragment; every error names file:line:col (ERR_INPUT). */
int kfrag_parse(const char *text, size_t len, const char *file, struct kfrag *f, struct err *e);
void kfrag_free(struct kfrag *f);

/* The same, read from a file (a .config at most 4 MiB, a fragment 1 MiB). */
int kconfig_load(const char *path, struct kconfig *kc, struct err *e);
int kfrag_load(const char *path, struct kfrag *f, struct err *e);

/* An option the kernel lacks: set to neither y nor (with @modules) m. */
bool kfrag_lacks(const struct kfrag_entry *fe, const struct kconfig *kc, bool modules);

/* For @vm (a guest is booted: guest options count), the options the
 * kernel lacks that stop the whole run, as "CONFIG_A (why), CONFIG_B (why)"
 * in @out; returns how many. */
size_t kfrag_blocking(const struct kfrag *f, const struct kconfig *kc, bool modules, bool vm,
                      char *out, size_t len);
/* Why case @name cannot run on this kernel ("the kernel lacks
 * CONFIG_SYN_COOKIES (...)"), or NULL when it can. */
const char *kfrag_case_skip(const struct kfrag *f, const struct kconfig *kc, bool modules,
                            const char *name, char *buf, size_t len);

#endif
