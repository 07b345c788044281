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
	bool exact;       /* the row expects an exact value (or one of a set):
	                   * a changed value is a change in behaviour */
};

struct judgement {
	struct check *checks;
	size_t n;
	enum verdict overall; /* worst of the checks: error > fail > pass/xfail/skip */
};

/* @observed: the variant's observed.json; @table may be NULL (no table). */
int judge_variant(const struct table *table, json_t *observed, const char *kernel_release,
                  struct judgement *j);
void judgement_free(struct judgement *j);

const char *verdict_name(enum verdict v);

#endif
