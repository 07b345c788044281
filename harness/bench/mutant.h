/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mutant.h - first-order mutants of C functions, for measuring what the
 * catalogue catches (`tcpconform bench mutants`).
 *
 * Pure: a file's text and its tokens (ctoken.h) in, mutants out.  Points are
 * found on tokens only inside the bodies of the functions asked for;
 * comments, string and character literals and preprocessor lines are never
 * mutated.  The operators (Offutt's set, as in mutation tools for C):
 *
 *   ror   relational operator replacement: < <= > >= == != each to the others
 *   lcr   logical connector replacement: && <-> ||
 *   aor   arithmetic operator replacement (binary only): + <-> -, * <-> /,
 *         % -> *, << <-> >>
 *   crp   constant replacement: an integer literal c to 0, 1, c+1, c-1
 *         (not in case labels: duplicate labels do not compile)
 *   neg   negation of an if or while condition
 *   sdl   statement deletion: a call or an assignment statement
 *   rvr   return value replacement: return E -> return 0 (E 0: return 1)
 */
#ifndef TC_MUTANT_H
#define TC_MUTANT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "bench/ctoken.h"

#define MUTANT_MAX_EDITS 2
#define MUTANT_TEXT_MAX  64

enum mutant_op { MOP_ROR, MOP_LCR, MOP_AOR, MOP_CRP, MOP_NEG, MOP_SDL, MOP_RVR, MOP_COUNT };

struct mutant_edit {
	size_t start, end;          /* bytes replaced */
	char text[MUTANT_TEXT_MAX]; /* by this */
};

struct mutant {
	char id[160]; /* "tcp_minisocks.c:tcp_time_wait:270:12:ror:>=" - stable */
	char file[64];
	char function[64];
	unsigned line, col;
	enum mutant_op op;
	struct mutant_edit edit[MUTANT_MAX_EDITS];
	unsigned nedits;
	char before[MUTANT_TEXT_MAX], after[MUTANT_TEXT_MAX]; /* for people */
};

struct mutants {
	struct mutant *m;
	size_t n, cap;
};

const char *mutant_op_name(enum mutant_op op);

/* Every mutant of @functions (NULL-terminated; NULL: every function) in
 * @text, appended to @out.  @file is the name recorded (its base name). */
int mutant_find(const char *text, size_t len, const struct ctoks *toks, const char *file,
                const char *const *functions, struct mutants *out, struct err *e);
void mutants_free(struct mutants *ms);

/* The functions of @text defined at top level, for --functions checks:
 * true when @name has a body in it. */
int mutant_has_function(const char *text, const struct ctoks *toks, const char *name);

/* @text with @m applied, malloc'd (its length in *outlen). */
char *mutant_apply(const char *text, size_t len, const struct mutant *m, size_t *outlen);

/* A uniform sample of @k of @n indices, the same for the same seed on any
 * machine (splitmix64 and a partial Fisher-Yates shuffle); @idx gets them
 * in ascending order.  k >= n: all. */
size_t mutant_sample(size_t n, size_t k, uint64_t seed, size_t *idx);

/* Outcomes and the score. */
enum mutant_outcome {
	MO_PENDING,
	MO_KILLED,       /* a verdict changed */
	MO_KILLED_CRASH, /* a panic, a failed boot or a hang, reproduced and tied to it */
	MO_SUSPECT,      /* a crash not (yet) tied to the mutant */
	MO_SURVIVED,
	MO_NOT_COMPILED,
	MO_EQUIVALENT,   /* with a written argument */
	MO_OUT_OF_SCOPE, /* with a written reason the catalogue cannot reach it */
	MO_COUNT
};

const char *mutant_outcome_name(enum mutant_outcome o);
int mutant_outcome_parse(const char *s); /* -1 if unknown */

struct mutant_tally {
	unsigned n[MO_COUNT];
};

/* killed (by a verdict or a crash) / (killed + survived); -1 when none.
 * Out-of-scope mutants are not in it; mutant_score_all() counts them as
 * survivors (the stricter figure, printed beside it). */
double mutant_score(const struct mutant_tally *t);
double mutant_score_all(const struct mutant_tally *t);

/* What became of one mutant. */
struct mutant_result {
	enum mutant_outcome outcome;
	/* what happened: for a kill, the variant (and check) that changed,
	 * "CASE VARIANT[ CHECK]: verdict ..., unmutated ..."; for a crash, how
	 * often and why it is tied to the mutant */
	char detail[512];
	/* why the vm exited 3, as it said (a panic, a hang, a failed boot or
	 * guest run), for a crash or a guest run failure; never in @detail */
	char failure[512];
	double build_s, run_s;
	unsigned crashes; /* runs that crashed */
};

/* The picked mutants (@pick indexes @all) with their results, as the
 * "mutants" array of mutants.json; @tally gets the counts. */
json_t *mutant_results_json(const struct mutants *all, const size_t *pick,
                            const struct mutant_result *res, size_t n, struct mutant_tally *tally);
/* Results of an earlier mutants.json's array, by mutant id, into @res
 * (those still pending there stay pending); returns how many. */
size_t mutant_results_resume(json_t *array, const struct mutants *all, const size_t *pick,
                             struct mutant_result *res, size_t n);

/* Why `tcpconform vm` exited 3 on a mutant, from its stderr (@log): the
 * kernel's doing, or the environment's (no qemu, a stale static harness:
 * the bench stops).  @last gets the log's last line. */
enum vm_failure {
	VMF_CRASH,      /* a panic, a failed boot, a guest that stopped or hung */
	VMF_GUEST_RUN,  /* the guest's harness could not run on this kernel (exit 2, 3) */
	VMF_ENVIRONMENT /* not the kernel's */
};
enum vm_failure mutant_vm_failure(const char *log, char *last, size_t len);

/* The default scope (fixtures/mutants/scope): a kernel file per line, then
 * its functions. */
#define MSCOPE_FUNCS 16
struct mscope_file {
	char path[128];
	char funcs[MSCOPE_FUNCS][64];
	unsigned nfuncs; /* 0: every function of the file */
	unsigned line;
};
struct mscope {
	struct mscope_file *files;
	size_t n;
};
int mscope_parse(const char *text, size_t len, const char *file, struct mscope *s, struct err *e);
void mscope_free(struct mscope *s);

#endif
