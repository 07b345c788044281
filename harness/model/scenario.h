/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scenario.h - the case language: one scenario per cases/NAME.case.
 *
 * A case file is line-oriented; '#' starts a comment.  Header lines say
 * what the case is and how it varies; step lines are the exchange, in
 * order; each line may end in "as KEY" to record its result as a named
 * observation.  The grammar is in README.md ("The case language").
 * Steps and their verbs are step.h's; the sizes of words caseline.h's.
 */
#ifndef TC_SCENARIO_H
#define TC_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "model/step.h"
#include "model/tcp.h"

/* Limits of one case's variants, enforced where the case is parsed (an
 * error at the vary line that crosses them) and documented in README.md
 * ("The case language"): */
#define SC_MAX_VALUES   16   /* values of one vary line */
#define SC_MAX_AXES     32   /* vary lines */
#define SC_MAX_VARIANTS 4096 /* families times the values of every axis */
/* A vary value, or the part of an axis's name its variants are named by,
 * is a word: [A-Za-z0-9._:+-], not starting with '.', at most
 * SC_WORD_MAX characters.  Variant names are directory names: at most
 * SC_VARIANT_NAME_MAX (NAME_MAX) characters. */
#define SC_WORD_MAX         64
#define SC_VARIANT_NAME_MAX 255

/* What a case says about a sysctl, beside its value: why it is there (the
 * comment on its line), for the output of a sysctl profile. */
#define SC_WHY_MAX 200

/* A sysctl a case sets (a "sysctl" line), or a sysctl profile's line. */
struct sc_sysctl {
	enum side side;
	char key[SC_KEY_MAX];
	char value[SC_VALUE_MAX];
	unsigned line;
	/* "sysctl axis ...": a sysctl profile's value replaces it; otherwise
	 * it is a premise of the scenario and the case's value stays. */
	bool axis;
	char why[SC_WHY_MAX];
	/* A profile's line only: KEY is a glob, expanded in each endpoint
	 * namespace, except the keys in @skip ('\n'-separated patterns, owned
	 * by the profile). */
	bool glob;
	const char *skip;
};

/* What a sysctl profile's line did in a case (profile_apply()): a premise
 * the case keeps, or an axis the profile replaced. */
struct sc_profile_note {
	char key[SC_KEY_MAX];
	enum side side;           /* the sides it concerns */
	char value[SC_VALUE_MAX]; /* the profile's */
	char kept[SC_VALUE_MAX];  /* the case's value (an axis: its values) */
	unsigned line;            /* the case's line */
	char why[SC_WHY_MAX];     /* that line's comment */
	bool replaced;            /* an axis the profile replaced; else a premise kept */
	unsigned pfile, pline;    /* the profile's file (its index) and line */
};

struct sc_axis {
	char name[SC_KEY_MAX]; /* a sysctl key (is_sysctl) or a plain variable */
	bool is_sysctl;
	enum side side;
	char values[SC_MAX_VALUES][SC_VALUE_MAX];
	unsigned nvalues;
	unsigned line, col; /* of the vary line, its key or name */
	bool from_profile;  /* collapsed to a sysctl profile's value: not in names */
	/* "vary premise ...": a sysctl profile leaves this axis alone (by
	 * default a profile's value replaces an axis). */
	bool premise;
	char why[SC_WHY_MAX];
};

struct scenario {
	char file[512];
	char name[SC_NAME_MAX];
	char title[256];
	char why[2048];
	bool family4, family6;
	unsigned timeout_ms;
	bool timeout_set; /* a "timeout" line: the case knows it is slow */
	struct sc_sysctl *sysctls;
	size_t nsysctls;
	struct sc_axis *axes;
	size_t naxes;
	struct sc_sysctl *overrides; /* a sysctl profile's lines: set last */
	size_t noverrides;
	struct sc_profile_note *notes; /* what the profile's lines did here */
	size_t nnotes;
	struct step *steps;
	size_t nsteps;
	/* Set by the runner, not the file: why every variant is skipped on
	 * this kernel ("the kernel lacks CONFIG_SYN_COOKIES (...)"), or "". */
	char skip_reason[256];
};

/* Parse @path.  Every error is "file:line:col: message" (ERR_INPUT). */
int scenario_load(const char *path, struct scenario *sc, struct err *e);
/* Parse text already in memory (tests, fuzzing); @file names it in errors. */
int scenario_parse(const char *text, size_t len, const char *file, struct scenario *sc,
                   struct err *e);
void scenario_free(struct scenario *sc);

/* Variants: the cartesian product of the axes, times the families (at
 * most SC_MAX_VARIANTS for a parsed case; SIZE_MAX if it overflowed). */
size_t scenario_variants(const struct scenario *sc);
/* Variant @i: its family (4 or 6) and the value index per axis
 * (@axis_values holds SC_MAX_AXES); @name gets "ipv4" or
 * "ipv4-tcp_tw_reuse=1-linger=on" style. */
void scenario_variant(const struct scenario *sc, size_t i, int *family, unsigned *axis_values,
                      char *name, size_t len);

/* True when @s is a word (see SC_WORD_MAX): text that may become part
 * of a variant's name. */
bool scenario_word_ok(const char *s);

#endif
