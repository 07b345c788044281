// SPDX-License-Identifier: GPL-2.0-only
/* verdict.c - observations against table rows. */
#include "model/verdict.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "base/text.h"
#include "model/expr.h"
#include "model/sysctl_key.h"
#include "model/tcp.h"

const char *verdict_name(enum verdict v)
{
	static const char *const names[] = {"pass", "xfail", "skip", "fail", "error"};

	return names[v];
}

static int add(struct judgement *j, const struct check *c)
{
	if (ARRAY_RESERVE(&j->checks, &j->cap, j->n + 1, 16))
		return -1;
	j->checks[j->n++] = *c;
	if (c->v > j->overall)
		j->overall = c->v;
	return 0;
}

/* Text of a JSON value, as tables write it. */
static void value_text(json_t *v, char *out, size_t len)
{
	size_t i, n = 0;

	out[0] = '\0';
	if (!v || json_is_null(v)) {
		text_copy(out, len, "null");
	} else if (json_is_string(v)) {
		text_copy(out, len, json_string_value(v));
	} else if (json_is_integer(v)) {
		snprintf(out, len, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		snprintf(out, len, "%.6g", json_real_value(v));
	} else if (json_is_true(v) || json_is_false(v)) {
		text_copy(out, len, json_is_true(v) ? "true" : "false");
	} else if (json_is_array(v)) {
		for (i = 0; i < json_array_size(v) && n + 2 < len; i++) {
			char item[64];

			value_text(json_array_get(v, i), item, sizeof(item));
			n += (size_t)snprintf(out + n, len - n, "%s%s", i ? " " : "", item);
		}
	} else {
		char *d = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);

		text_copy(out, len, d ? d : "?");
		free(d);
	}
}

/* The value a row names: "connect.errno", "times[1]", "flags". */
static json_t *select_value(json_t *obs_value, const char *name)
{
	const char *dot = strchr(name, '.'), *br = strchr(name, '[');
	json_t *v = obs_value;

	if (dot && (!br || dot < br)) {
		char field[64];

		snprintf(field, sizeof(field), "%.*s", (int)strcspn(dot + 1, "["), dot + 1);
		v = json_object_get(v, field);
	}
	if (br && v)
		v = json_array_get(v, (size_t)atoi(br + 1));
	return v;
}

static bool numeric(const char *s, double *v)
{
	char *end;

	if (!*s)
		return false;
	*v = strtod(s, &end);
	return *end == '\0';
}

static void fold(const char *in, char *out, size_t len)
{
	size_t n = 0;
	bool space = false;

	while (*in && isspace((unsigned char)*in))
		in++;
	for (; *in && n + 1 < len; in++) {
		if (isspace((unsigned char)*in)) {
			space = true;
			continue;
		}
		if (space && n + 2 < len)
			out[n++] = ' ';
		space = false;
		out[n++] = *in;
	}
	out[n] = '\0';
}

/* States (or a timeline of them) observed as "SYN_SENT CLOSE" are the
 * table's "SYN-SENT UNCONN": ss's names, or the kernel's (tcp.h). */
static bool same_states(const char *a, const char *b)
{
	char wa[32], wb[32];
	size_t na, nb;
	int sa;

	for (;;) {
		a += strspn(a, " \t");
		b += strspn(b, " \t");
		if (!*a || !*b)
			return !*a && !*b;
		na = strcspn(a, " \t");
		nb = strcspn(b, " \t");
		if (na >= sizeof(wa) || nb >= sizeof(wb))
			return false;
		snprintf(wa, sizeof(wa), "%.*s", (int)na, a);
		snprintf(wb, sizeof(wb), "%.*s", (int)nb, b);
		sa = tcp_state_parse(wa);
		if (sa < 0 || sa != tcp_state_parse(wb))
			return false;
		a += na;
		b += nb;
	}
}

static bool same(const char *a, const char *b)
{
	char fa[512], fb[512];
	double x, y;

	if (numeric(a, &x) && numeric(b, &y))
		return x == y;
	if (same_states(a, b))
		return true;
	fold(a, fa, sizeof(fa));
	fold(b, fb, sizeof(fb));
	return strcmp(fa, fb) == 0;
}

/* The sysctl value read back on @side (0, 1; 2: both, and they agree). */
static const char *sysctl_of(json_t *observed, int side, const char *key)
{
	json_t *s = json_object_get(observed, "sysctls");
	const char *c = json_string_value(json_object_get(json_object_get(s, "client"), key));
	const char *v = json_string_value(json_object_get(json_object_get(s, "server"), key));

	if (side == 0)
		return c;
	if (side == 1)
		return v;
	if (c && v && !same(c, v))
		return NULL;
	return c ? c : v;
}

static bool row_applies(const struct row *r, json_t *observed, const struct kver *k)
{
	size_t i;

	if (!krange_match(&r->kernel, k))
		return false;
	for (i = 0; i < r->nconds; i++) {
		const struct cond *c = &r->conds[i];

		if (c->side == 3) {
			const char *a = json_string_value(
			    json_object_get(json_object_get(observed, "axes"), c->key));

			if (!a || strcmp(a, c->value) != 0)
				return false;
		} else if (c->side == 2) {
			const char *a = sysctl_of(observed, 0, c->key),
			           *b = sysctl_of(observed, 1, c->key);

			if (!a || !b || !same(a, c->value) || !same(b, c->value))
				return false;
		} else {
			const char *a = sysctl_of(observed, c->side, c->key);

			if (!a || !same(a, c->value))
				return false;
		}
	}
	return true;
}

struct lookup_ctx {
	json_t *observed;
	char shown[200]; /* "tcp_syn_retries=3" of the keys used, for the message */
};

static int lookup_sysctl(void *ctx, int side, const char *key, double *v, char *why, size_t wlen)
{
	struct lookup_ctx *lc = ctx;
	char canon[160];
	struct err e2;
	const char *sv;
	size_t n;

	if (side == EXPR_OBSERVED) {
		char base[128];
		json_t *o, *val;

		snprintf(base, sizeof(base), "%.*s", (int)strcspn(key, ".["), key);
		o = json_object_get(json_object_get(lc->observed, "observations"), base);
		val = o ? select_value(json_object_get(o, "value"), key) : NULL;
		if (!json_is_number(val) || !isfinite(json_number_value(val))) {
			snprintf(why, wlen, "observation %s has no number", key);
			return -1;
		}
		*v = json_number_value(val);
		n = strlen(lc->shown);
		snprintf(lc->shown + n, sizeof(lc->shown) - n, "%s%s=%g", n ? ", " : "", key, *v);
		return 0;
	}
	if (sysctl_canonical(key, canon, sizeof(canon), &e2) < 0) {
		snprintf(why, wlen, "%s", e2.msg);
		return -1;
	}
	sv = sysctl_of(lc->observed, side, canon);
	if (!sv || !numeric(sv, v)) {
		snprintf(why, wlen, "sysctl %s was not read back (or differs between sides)",
		         canon);
		return -1;
	}
	n = strlen(lc->shown);
	snprintf(lc->shown + n, sizeof(lc->shown) - n, "%s%s=%s", n ? ", " : "",
	         strrchr(canon, '.') ? strrchr(canon, '.') + 1 : canon, sv);
	return 0;
}

/* How a value met its row. */
enum match { NO_MATCH = 0, MATCH = 1, MATCH_WITH_SLIP = 2 };

/* The timer slip measured while the variant played (run/slip.h), in ms. */
static double slip_of(json_t *observed)
{
	double s = json_number_value(json_object_get(observed, "timer_slip_ms"));

	return isfinite(s) && s > 0 ? s : 0;
}

/* @v within @want ± @tol (a percentage of @want when @pct); a time (@m->time)
 * that misses only by the variant's measured timer slip still matches,
 * MATCH_WITH_SLIP, and *why says by how much it was widened. */
static enum match within(const struct matcher *m, double v, double want, double tol, bool pct,
                         json_t *observed, char *why, size_t wlen)
{
	double d = pct ? fabs(want) * tol / 100.0 : tol, slip;

	if (v >= want - d && v <= want + d)
		return MATCH;
	slip = m->time ? slip_of(observed) : 0;
	if (slip > 0 && v >= want - d - slip && v <= want + d + slip) {
		snprintf(why, wlen,
		         "%g is outside %g ± %g, inside it widened by the variant's measured "
		         "timer slip of %.1f ms",
		         v, want, d, slip);
		return MATCH_WITH_SLIP;
	}
	return NO_MATCH;
}

/* @v in @m's range (N..M, <N, >=N ...); a time range (in ms or s) that
 * @v misses only by the variant's measured timer slip still matches,
 * MATCH_WITH_SLIP: each bound moves out by the slip. */
static enum match in_range(const struct matcher *m, double v, json_t *observed, char *why,
                           size_t wlen)
{
	double slip;

	if (!(m->lo_open ? v <= m->lo : v < m->lo) && !(m->hi_open ? v >= m->hi : v > m->hi))
		return MATCH;
	slip = m->time ? slip_of(observed) : 0;
	if (slip > 0 && !(m->lo_open ? v <= m->lo - slip : v < m->lo - slip) &&
	    !(m->hi_open ? v >= m->hi + slip : v > m->hi + slip)) {
		snprintf(why, wlen,
		         "%g is outside the range, inside it widened by the variant's measured "
		         "timer slip of %.1f ms",
		         v, slip);
		return MATCH_WITH_SLIP;
	}
	return NO_MATCH;
}

/* Does @text match @m?  *why says what was expected when it does not. */
static enum match matches(const struct matcher *m, const char *text, json_t *observed, char *why,
                          size_t wlen)
{
	double v;
	const char *p;

	why[0] = '\0';
	switch (m->kind) {
	case M_SKIP:
		return MATCH;
	case M_EXACT:
		return same(text, m->text) ? MATCH : NO_MATCH;
	case M_SET:
		for (p = m->text; *p;) {
			size_t n = strcspn(p, "\n");
			char item[256];

			snprintf(item, sizeof(item), "%.*s", (int)n, p);
			if (same(text, item))
				return MATCH;
			p += n + (p[n] ? 1 : 0);
		}
		return NO_MATCH;
	case M_RANGE:
		if (!numeric(text, &v))
			return NO_MATCH;
		return in_range(m, v, observed, why, wlen);
	case M_TIME:
		return numeric(text, &v)
		           ? within(m, v, m->value, m->tol, m->tol_pct, observed, why, wlen)
		           : NO_MATCH;
	case M_EXPR: {
		struct lookup_ctx lc = {.observed = observed};
		double want;
		size_t pos;
		char ewhy[200];

		if (expr_eval(m->text, lookup_sysctl, &lc, &want, &pos, ewhy, sizeof(ewhy)) < 0) {
			snprintf(why, wlen, "%.120s: %.120s", m->text, ewhy);
			return NO_MATCH;
		}
		snprintf(why, wlen, "%.200s -> %g", lc.shown[0] ? lc.shown : m->text,
		         want * m->scale);
		if (!numeric(text, &v))
			return NO_MATCH;
		{
			enum match r = within(m, v, want * m->scale, m->tol, m->tol_pct, observed,
			                      ewhy, sizeof(ewhy));

			if (r == MATCH_WITH_SLIP)
				snprintf(why, wlen, "%.200s -> %g; %.200s",
				         lc.shown[0] ? lc.shown : m->text, want * m->scale, ewhy);
			return r;
		}
	}
	case M_SYSCTL: {
		const char *sv = sysctl_of(observed, m->side, m->key);
		double base;

		if (!sv || !numeric(sv, &base)) {
			snprintf(why, wlen,
			         "sysctl %s was not read back (or differs between sides)", m->key);
			return NO_MATCH;
		}
		if (!numeric(text, &v))
			return NO_MATCH;
		{
			char swhy[200];
			enum match r = within(m, v, base * m->scale, m->tol, m->tol_pct, observed,
			                      swhy, sizeof(swhy));

			snprintf(why, wlen, "%s = %s -> %g%s%s", m->key, sv, base * m->scale,
			         r == MATCH_WITH_SLIP ? "; " : "",
			         r == MATCH_WITH_SLIP ? swhy : "");
			return r;
		}
	}
	}
	return NO_MATCH;
}

/* One check for the row key @name (e.g. "connect.errno"). */
static void judge_key(const struct table *t, const char *name, json_t *obs, json_t *observed,
                      const struct kver *k, struct check *c)
{
	size_t i;
	json_t *val;

	memset(c, 0, sizeof(*c));
	text_copy(c->name, sizeof(c->name), name);
	val = select_value(json_object_get(obs, "value"), name);
	value_text(val, c->observed, sizeof(c->observed));
	/* The harness failed to observe (out of descriptors, a read that
	 * failed): an error whatever the table says, never a skip. */
	if (json_is_string(json_object_get(obs, "error"))) {
		c->v = V_ERROR;
		snprintf(c->reason, sizeof(c->reason), "observing failed: %.480s",
		         json_string_value(json_object_get(obs, "error")));
		return;
	}

	for (i = 0; t && i < t->nrows; i++) {
		const struct row *r = &t->rows[i];
		char why[512];
		enum match ok;

		if (strcmp(r->obs, name) != 0 || !row_applies(r, observed, k))
			continue;
		c->row = r->line;
		c->exact = r->m.kind == M_EXACT && !r->m.negated;
		text_copy(c->expected, sizeof(c->expected), r->expect_text);
		text_copy(c->source, sizeof(c->source), r->source);
		if (r->m.kind == M_SKIP) {
			c->v = V_SKIP;
			text_copy(c->reason, sizeof(c->reason), r->m.text);
			return;
		}
		/* The row is there, the observation could not be had here. */
		if (json_is_string(json_object_get(obs, "skip"))) {
			c->v = V_SKIP;
			text_copy(c->reason, sizeof(c->reason),
			          json_string_value(json_object_get(obs, "skip")));
			return;
		}
		ok = matches(&r->m, c->observed, observed, why, sizeof(why));
		if (r->m.negated) /* exact, set or range: no slip to carry */
			ok = ok ? NO_MATCH : MATCH;
		if (r->m.xfail)
			c->v = ok ? V_XFAIL : V_FAIL;
		else
			c->v = ok ? V_PASS : V_FAIL;
		if (ok == MATCH_WITH_SLIP)
			snprintf(c->reason, sizeof(c->reason), "%.480s", why);
		if (c->v == V_FAIL)
			snprintf(c->reason, sizeof(c->reason),
			         "expected %.100s, observed %.200s%s%.150s%s", r->expect_text,
			         c->observed, why[0] ? " (" : "", why, why[0] ? ")" : "");
		if (r->m.xfail && !ok)
			snprintf(c->reason, sizeof(c->reason),
			         "the known bug (%.100s) did not show: observed %.200s",
			         r->expect_text, c->observed);
		return;
	}
	c->v = V_FAIL;
	snprintf(c->reason, sizeof(c->reason),
	         "no expectation: no table row covers %s on this "
	         "kernel with these sysctls",
	         name);
}

int judge_variant(const struct table *t, json_t *observed, const char *release, struct judgement *j)
{
	const char *status = json_string_value(json_object_get(observed, "status"));
	const char *reason = json_string_value(json_object_get(observed, "reason"));
	json_t *obsv = json_object_get(observed, "observations"), *obs;
	const char *name;
	struct kver k;
	struct check c;

	memset(j, 0, sizeof(*j));
	j->overall = V_PASS;
	if (kver_parse(release, &k) < 0)
		memset(&k, 0, sizeof(k));
	if (!status || strcmp(status, "ran") != 0) {
		memset(&c, 0, sizeof(c));
		text_copy(c.name, sizeof(c.name), "variant");
		c.v = status && strcmp(status, "skip") == 0 ? V_SKIP : V_ERROR;
		text_copy(c.reason, sizeof(c.reason), reason ? reason : "the variant did not run");
		return add(j, &c);
	}
	json_object_foreach(obsv, name, obs)
	{
		size_t i, keys = 0;

		/* Every row key for this observation ("connect.errno", "connect.ms"). */
		for (i = 0; t && i < t->nrows; i++) {
			size_t k2;
			bool dup = false;

			if (strcmp(t->rows[i].obs_base, name) != 0)
				continue;
			for (k2 = 0; k2 < i; k2++)
				if (strcmp(t->rows[k2].obs, t->rows[i].obs) == 0)
					dup = true;
			if (dup)
				continue;
			judge_key(t, t->rows[i].obs, obs, observed, &k, &c);
			if (add(j, &c) < 0)
				return -1;
			keys++;
		}
		if (!keys) {
			judge_key(NULL, name, obs, observed, &k, &c);
			if (add(j, &c) < 0)
				return -1;
		}
	}
	return 0;
}

void judgement_free(struct judgement *j)
{
	free(j->checks);
	j->checks = NULL;
	j->n = j->cap = 0;
}

unsigned verdict_expect(const struct table *t, const char *name, json_t *observed,
                        const char *release, char *expect, size_t elen, char *source, size_t slen)
{
	struct kver k;
	size_t i;

	expect[0] = source[0] = '\0';
	if (kver_parse(release, &k) < 0)
		memset(&k, 0, sizeof(k));
	for (i = 0; t && i < t->nrows; i++) {
		const struct row *r = &t->rows[i];
		struct lookup_ctx lc = {.observed = observed};
		char why[200];
		size_t pos;
		double want;

		if (strcmp(r->obs, name) != 0 || !row_applies(r, observed, &k))
			continue;
		text_copy(source, slen, r->source);
		text_copy(expect, elen, r->expect_text);
		if (r->m.kind == M_EXPR &&
		    expr_eval(r->m.text, lookup_sysctl, &lc, &want, &pos, why, sizeof(why)) == 0)
			want *= r->m.scale;
		else if (r->m.kind == M_SYSCTL) {
			const char *sv = sysctl_of(observed, r->m.side, r->m.key);

			if (!sv || !numeric(sv, &want))
				return r->line;
			want *= r->m.scale;
		} else {
			return r->line;
		}
		if (r->m.tol > 0)
			snprintf(expect, elen, "%g%s ±%g%s", want, r->m.time ? " ms" : "", r->m.tol,
			         r->m.tol_pct ? "%"
			         : r->m.time  ? " ms"
			                      : "");
		else
			snprintf(expect, elen, "%g%s", want, r->m.time ? " ms" : "");
		return r->line;
	}
	return 0;
}

struct key_rec {
	void (*fn)(void *ctx, const char *key, int side);
	void *ctx;
};

static int record_key(void *ctx, int side, const char *key, double *v, char *why, size_t wlen)
{
	struct key_rec *kr = ctx;
	char canon[160];
	struct err e2;

	(void)why;
	(void)wlen;
	if (side != EXPR_OBSERVED && sysctl_canonical(key, canon, sizeof(canon), &e2) == 0)
		kr->fn(kr->ctx, canon, side);
	*v = 1;
	return 0;
}

void verdict_row_keys(const struct row *r, void (*fn)(void *ctx, const char *key, int side),
                      void *ctx)
{
	struct key_rec kr = {fn, ctx};
	size_t i, pos;
	char why[200];
	double v;

	for (i = 0; i < r->nconds; i++)
		if (r->conds[i].side != 3)
			fn(ctx, r->conds[i].key, r->conds[i].side);
	if (r->m.kind == M_SYSCTL)
		fn(ctx, r->m.key, r->m.side);
	if (r->m.kind == M_EXPR)
		expr_eval(r->m.text, record_key, &kr, &v, &pos, why, sizeof(why));
}
