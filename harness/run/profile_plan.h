/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * profile_plan.h - before `tcpconform profile` runs anything: which
 * variants a sysctl profile changes, and what each is compared with.
 *
 * A case's sysctls are the keys its outcome is declared to depend on: those
 * its file sets ("sysctl"), varies ("vary") or observes ("observe ...
 * sysctl"), and those its table chooses rows by or computes expectations
 * from.  A variant under the profile whose sysctls all hold the values of
 * a variant the catalogue runs anyway (the baseline: the catalogue as
 * written, or under --against FILE2) is that variant: it is not run again.
 * Every other one runs under the whole profile.  Each is compared with the
 * baseline variant configured as it would be without the profile (the
 * profile's keys at the baseline's values: the kernel's defaults, the
 * case's own, FILE2's), when the catalogue runs one; when it does not (the
 * case keeps the default out of its axis because it is slow: tcp_fin_timeout
 * 60), the tables say what to expect there.
 */
#ifndef TC_PROFILE_PLAN_H
#define TC_PROFILE_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "host/profile.h"
#include "model/scenario.h"
#include "model/table.h"

struct pp_var {
	char name[SC_VARIANT_NAME_MAX + 1]; /* under the profile */
	int family;
	unsigned axes[SC_MAX_AXES];
	bool runs;                            /* in the profile's run */
	char same[SC_VARIANT_NAME_MAX + 1];   /* the baseline variant it is, or "" */
	char before[SC_VARIANT_NAME_MAX + 1]; /* the baseline variant it is compared with, or "" */
	char changed[1024]; /* its sysctls the profile changes: "tcp_fin_timeout 60 (default) -> 15"
	                     */
	char changed_keys[512]; /* the same keys, ' '-separated */
	char ref[1024];         /* "KEY=VALUE ..." of those keys without the profile */
};

/* One of a case's sysctls: a key, on the sides it matters on. */
struct pp_key {
	char key[SC_KEY_MAX];
	unsigned sides; /* bit 0: the client, bit 1: the server */
};

struct pp_case {
	struct scenario base, prof; /* under the baseline, and under the profile */
	struct table table;
	bool has_table;
	struct pp_key *keys; /* its sysctls (see above) */
	size_t nkeys;
	struct pp_var *v; /* its variants under the profile */
	size_t nv;
};

struct pp_default {
	char key[SC_KEY_MAX];
	char value[SYSCTL_VALUE_MAX]; /* "" when absent on this kernel */
};

struct profile_plan {
	struct pp_case *c;
	size_t n;
	struct pp_default *defs;
	size_t ndefs;
	char **only; /* CASE/VARIANT of the profile's run */
	size_t nonly;
	size_t nvariants; /* under the profile, in all */
	const struct profile *p, *q;
	const char *bad; /* after a failure: the case name that matched nothing, or NULL */
};

/* The plan for the cases @names (all when @nnames is 0) under @p against
 * @q (NULL: the catalogue as written), --family @family (0: as each case
 * says).  ERR_INPUT for a case that does not parse. */
int profile_plan_make(const struct profile *p, const struct profile *q, char **names, int nnames,
                      int family, struct profile_plan *pl, struct err *e);
void profile_plan_free(struct profile_plan *pl);

/* The value a new namespace starts with for @key ("" if absent or unread). */
const char *profile_plan_default(const struct profile_plan *pl, const char *key);
/* Is @key one of case @c's sysctls (on some side)? */
bool profile_plan_declares(const struct pp_case *c, const char *key);

#endif
