/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verdict.h - judge one variant's observations against its case's table.
 *
 * Per observation: pass, fail, xfail (a known kernel bug, with its source),
 * skip (the observation or the variant could not be had here for a declared
 * reason: observed.json's "skip") or error (the harness could not run the
 * variant, or could not take the observation: observed.json's "error", with
 * "errno").  An observation that no row covers fails as "no expectation".
 */
#ifndef TC_VERDICT_H
#define TC_VERDICT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "model/table.h"

enum verdict { V_PASS, V_XFAIL, V_SKIP, V_FAIL, V_ERROR };

struct check {
	char name[160]; /* "connect.errno" */
	enum verdict v;
	char expected[256]; /* as the row writes it, or "" */
	char observed[512];
	char source[512];
	char reason[512]; /* skip/error reason, or what failed */
	unsigned row;     /* table line, 0 if none */
	bool exact;       /* the row expects one exact value: a changed value is a
	                   * change in behaviour (a set names the values a run
	                   * may show, as a range does: not exact) */
};

struct judgement {
	struct check *checks;
	size_t n;
	size_t cap;           /* checks allocated: grown by doubling (a check is ~2 KB) */
	enum verdict overall; /* worst of the checks: error > fail > pass/xfail/skip */
};

/* @observed: the variant's observed.json; @table may be NULL (no table). */
int judge_variant(const struct table *table, json_t *observed, const char *kernel_release,
                  struct judgement *j);
void judgement_free(struct judgement *j);

/* What @table expects of observation row key @name (e.g. "connect.ms") in
 * a variant whose observed.json is @observed (its sysctls read back, its
 * axes), on @kernel_release: the row that applies, its expectation as a
 * reader would say it ("60000 ms ±15%" for a computed one) in @expect,
 * its source in @source.  Returns the row's line, 0 when no row applies. */
unsigned verdict_expect(const struct table *t, const char *name, json_t *observed,
                        const char *kernel_release, char *expect, size_t elen, char *source,
                        size_t slen);
/* The sysctl keys row @r depends on (its conditions, its computed
 * expectation), each passed to @fn with its side (0 client, 1 server, 2
 * both). */
void verdict_row_keys(const struct row *r, void (*fn)(void *ctx, const char *key, int side),
                      void *ctx);

const char *verdict_name(enum verdict v);

#endif
