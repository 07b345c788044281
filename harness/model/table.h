/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * table.h - expected-behaviour tables: fixtures/NAME.table, one per case.
 *
 *   # observation | kernel  | when                     | expect        | source
 *   connect.errno | *       | -                        | ECONNREFUSED  | net/ipv4/tcp_input.c
 * tcp_reset syns          | >=4.9   | net.ipv4.tcp_syn_retries=2 | 3           | ip-sysctl.rst
 * tcp_syn_retries
 *
 * Columns are separated by '|'.  A row applies when the kernel is in its
 * range and every condition holds for the sysctl values read back in the
 * namespaces; the first row that applies decides.  Every row names its
 * source; a row without one is a syntax error.
 *
 * kernel:  *  >=4.18  >4.18  <4.12  <=6.1  5.6..6.13 (both ends included)
 * when:    -  or  KEY=VALUE[, KEY=VALUE...]  (client:KEY / server:KEY for
 *          one side; a bare KEY must hold on both; a name without dots is
 *          a plain axis of the case, as linger=on)
 * expect:  VALUE                 exact (text compared with spaces folded)
 *          {A, B, C}             one of
 *          >=N  >N  <=N  <N  N..M    numeric range
 *          1000ms ±15%   1s ±100ms   (or +-): a time, observed in ms
 *          = KEY UNIT ±TOL       computed from a sysctl read back
 *                                (UNIT: ms, s, x; "= client:KEY s ±10%")
 *          = (EXPR) UNIT [±TOL]  computed from an expression over sysctls
 *                                read back (expr.h): "= (2^(client:KEY+1)-1) s ±10%"
 *          xfail MATCHER         a known kernel bug: the observation shows
 *                                it (verdict xfail); the source names it
 *          skip REASON           never checked here, with the reason
 */
#ifndef TC_TABLE_H
#define TC_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"

#define TB_TEXT 256

struct kver {
	int major, minor, patch;
};

enum kop { K_ANY, K_GE, K_GT, K_LT, K_LE, K_RANGE };

struct krange {
	enum kop op;
	struct kver a, b;
};

struct cond {
	int side; /* 0 client, 1 server, 2 both, 3 a plain axis of the case */
	char key[128];
	char value[128];
	unsigned col; /* of the condition in its row */
};

enum mkind { M_EXACT, M_SET, M_RANGE, M_TIME, M_SYSCTL, M_EXPR, M_SKIP };

struct matcher {
	enum mkind kind;
	bool xfail;
	bool negated; /* "not MATCHER": passes when the exact value, set or range does not match */
	char text[TB_TEXT]; /* exact text, set items joined by '\n', skip reason */
	double lo, hi;      /* ranges; lo/hi may be -inf/+inf */
	bool lo_open, hi_open;
	double value, tol; /* times and computed values, in ms (or plain) */
	bool tol_pct;
	int side;      /* M_SYSCTL */
	char key[128]; /* M_SYSCTL */
	double scale;  /* M_SYSCTL, M_EXPR: 1000 for s, 1 for ms/x */
	bool time;     /* a time (M_TIME, s/ms, or a range in s/ms): its tolerance widens by the
	                * run's measured timer slip (verdict.c) */
};

struct row {
	unsigned line;
	char obs[128];      /* "connect.errno", "timeline", "syn_times[1]" */
	char obs_base[128]; /* "connect" */
	struct krange kernel;
	struct cond *conds;
	size_t nconds;
	struct matcher m;
	char expect_text[TB_TEXT]; /* as written, for reports */
	char source[TB_TEXT * 2];
};

struct table {
	char file[512];
	struct row *rows;
	size_t nrows;
};

int table_load(const char *path, struct table *t, struct err *e);
/* Every plain-axis condition of @t names an axis of the case @sc (or
 * family) and one of its values: a row that no variant can reach is an
 * error at its condition, not a row that silently never applies. */
struct scenario;
int table_check_case(const struct table *t, const struct scenario *sc, struct err *e);
int table_parse(const char *text, size_t len, const char *file, struct table *t, struct err *e);
void table_free(struct table *t);

/* "6.12.117+deb12-amd64" -> 6.12.117; -1 when it does not start with N.N */
int kver_parse(const char *release, struct kver *v);
bool krange_match(const struct krange *r, const struct kver *v);
int krange_parse(const char *s, struct krange *r); /* -1 on bad syntax */

#endif
