// SPDX-License-Identifier: GPL-2.0-only
/* table.c - parse expected-behaviour tables; kernel versions and ranges. */
#include "model/table.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/infile.h"
#include "base/num.h"
#include "base/text.h"
#include "model/expr.h"
#include "model/scenario.h"
#include "model/sysctl_key.h"

/* ---- kernel versions ------------------------------------------------------ */

/* One component of a version: the digits at *s, that fit an int. */
static int kver_part(const char **s, int *out)
{
	size_t n = strspn(*s, "0123456789");
	long long v;

	if (n == 0 || num_int(*s, n, 0, INT_MAX, &v, NULL) != NUM_OK)
		return -1;
	*out = (int)v;
	*s += n;
	return 0;
}

int kver_parse(const char *s, struct kver *v)
{
	v->major = v->minor = v->patch = 0;
	if (kver_part(&s, &v->major) < 0 || *s != '.')
		return -1;
	s++;
	if (kver_part(&s, &v->minor) < 0)
		return -1;
	if (*s == '.' && isdigit((unsigned char)s[1])) {
		s++;
		if (kver_part(&s, &v->patch) < 0)
			return -1;
	}
	return 0;
}

static int kcmp(const struct kver *a, const struct kver *b)
{
	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor < b->minor ? -1 : 1;
	if (a->patch != b->patch)
		return a->patch < b->patch ? -1 : 1;
	return 0;
}

/* "4.18" in a range means every 4.18.x: compare major.minor only when the
 * bound has no patch level. */
static int kcmp_bound(const struct kver *v, const struct kver *bound, bool bound_has_patch)
{
	struct kver x = *v;

	if (!bound_has_patch)
		x.patch = 0;
	return kcmp(&x, bound);
}

bool krange_match(const struct krange *r, const struct kver *v)
{
	bool pa = r->a.patch >= 0, pb = r->b.patch >= 0;
	struct kver a = r->a, b = r->b;

	if (a.patch < 0)
		a.patch = 0;
	if (b.patch < 0)
		b.patch = 0;
	switch (r->op) {
	case K_ANY:
		return true;
	case K_GE:
		return kcmp_bound(v, &a, pa) >= 0;
	case K_GT:
		return kcmp_bound(v, &a, pa) > 0;
	case K_LT:
		return kcmp_bound(v, &a, pa) < 0;
	case K_LE:
		return kcmp_bound(v, &a, pa) <= 0;
	case K_RANGE:
		return kcmp_bound(v, &a, pa) >= 0 && kcmp_bound(v, &b, pb) <= 0;
	}
	return false;
}

/* A bound: N.N or N.N.N, nothing after. patch = -1 when not given. */
static int bound(const char *s, size_t n, struct kver *v)
{
	char buf[32];
	int dots = 0;
	size_t i;

	if (n == 0 || n >= sizeof(buf))
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] == '.')
			dots++;
		else if (!isdigit((unsigned char)s[i]))
			return -1;
	}
	if (dots < 1 || dots > 2 || s[0] == '.' || s[n - 1] == '.')
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (kver_parse(buf, v) < 0)
		return -1;
	if (dots == 1)
		v->patch = -1;
	return 0;
}

int krange_parse(const char *s, struct krange *r)
{
	const char *dd = strstr(s, "..");
	size_t n = strlen(s);

	memset(r, 0, sizeof(*r));
	r->a.patch = r->b.patch = -1;
	if (strcmp(s, "*") == 0) {
		r->op = K_ANY;
		return 0;
	}
	if (dd) {
		r->op = K_RANGE;
		if (bound(s, (size_t)(dd - s), &r->a) < 0 ||
		    bound(dd + 2, strlen(dd + 2), &r->b) < 0)
			return -1;
		return 0;
	}
	if (n > 2 && s[0] == '>' && s[1] == '=') {
		r->op = K_GE;
		return bound(s + 2, n - 2, &r->a);
	}
	if (n > 2 && s[0] == '<' && s[1] == '=') {
		r->op = K_LE;
		return bound(s + 2, n - 2, &r->a);
	}
	if (n > 1 && s[0] == '>') {
		r->op = K_GT;
		return bound(s + 1, n - 1, &r->a);
	}
	if (n > 1 && s[0] == '<') {
		r->op = K_LT;
		return bound(s + 1, n - 1, &r->a);
	}
	return -1;
}

/* ---- rows ----------------------------------------------------------------- */

#define TB_LINE_MAX 2048

struct cell {
	char text[TB_LINE_MAX]; /* as long as a line: never cut */
	unsigned col;           /* of its first non-blank character */
};

static void trim_cell(const char *line, size_t from, size_t to, struct cell *c)
{
	while (from < to && isspace((unsigned char)line[from]))
		from++;
	while (to > from && isspace((unsigned char)line[to - 1]))
		to--;
	if (to - from >= sizeof(c->text))
		to = from + sizeof(c->text) - 1;
	memcpy(c->text, line + from, to - from);
	c->text[to - from] = '\0';
	c->col = (unsigned)from + 1;
}

static bool valid_obs(const char *s)
{
	size_t i;

	if (!isalpha((unsigned char)s[0]) && s[0] != '_')
		return false;
	for (i = 0; s[i]; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_-.[]", s[i]))
			return false;
	return true;
}

static int parse_side_key(const char *s, int *side, char *key, size_t len, struct err *e2)
{
	char canon[128];

	*side = 2;
	if (strncmp(s, "client:", 7) == 0) {
		*side = 0;
		s += 7;
	} else if (strncmp(s, "server:", 7) == 0) {
		*side = 1;
		s += 7;
	}
	if (sysctl_canonical(s, canon, sizeof(canon), e2) < 0)
		return -1;
	text_copy(key, len, canon);
	return 0;
}

static int parse_conds(const char *file, unsigned line, struct cell *c, struct row *r,
                       struct err *e)
{
	char *s = c->text, *save = NULL, *item;

	if (strcmp(s, "-") == 0 || !*s)
		return 0;
	for (item = strtok_r(s, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *eq, *k = item;
		struct cond *n;
		struct err e2;
		unsigned col = c->col + (unsigned)(item - c->text);

		while (isspace((unsigned char)*k)) {
			k++;
			col++;
		}
		eq = strchr(k, '=');
		if (!eq)
			return err_at(e, file, line, col,
			              "a condition is KEY=VALUE, as "
			              "net.ipv4.tcp_tw_reuse=1");
		*eq = '\0';
		while (eq > k && isspace((unsigned char)eq[-1]))
			eq[-1] = '\0';
		n = realloc(r->conds, (r->nconds + 1) * sizeof(*n));
		if (!n)
			return err_set(e, ERR_SYSTEM, "out of memory");
		r->conds = n;
		n = &r->conds[r->nconds++];
		n->col = col;
		if (!strchr(k, '.') && !strchr(k, '/') && !strchr(k, ':')) {
			/* a plain axis of the case ("vary linger on off") */
			n->side = 3;
			if (strlen(k) >= sizeof(n->key))
				return err_at(e, file, line, col,
				              "axis name longer than %zu characters",
				              sizeof(n->key) - 1);
			text_copy(n->key, sizeof(n->key), k);
		} else if (parse_side_key(k, &n->side, n->key, sizeof(n->key), &e2) < 0) {
			return err_at(e, file, line, col, "%s", e2.msg);
		}
		k = eq + 1;
		while (isspace((unsigned char)*k))
			k++;
		if (strlen(k) >= sizeof(n->value))
			return err_at(e, file, line, c->col + (unsigned)(k - c->text),
			              "value longer than %zu characters", sizeof(n->value) - 1);
		text_copy(n->value, sizeof(n->value), k);
		{
			size_t l = strlen(n->value);

			while (l && isspace((unsigned char)n->value[l - 1]))
				n->value[--l] = '\0';
		}
		if (!n->value[0])
			return err_at(e, file, line, col, "condition on %s has no value", n->key);
		if (strchr(n->value, '='))
			return err_at(e, file, line, c->col + (unsigned)(k - c->text),
			              "'%s' holds a second condition: separate conditions with ','",
			              n->value);
	}
	return 0;
}

/* Expressions at load time: every key must be a sysctl key (it stands
 * for 1 until a verdict reads the real value). */
static int check_key(void *ctx, int side, const char *key, double *v, char *why, size_t wlen)
{
	char canon[160];
	struct err e2;

	(void)ctx;
	if (side == EXPR_OBSERVED) {
		size_t n =
		    strspn(key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.");

		if (key[n] == '[') /* expr.c let through only [DIGITS] at the end */
			n += strlen(key + n);
		if (!*key || key[n] || key[0] == '.') {
			snprintf(why, wlen,
			         "observed:%s: an observation's name is letters, digits, "
			         "'_', one '.FIELD' and one '[N]'",
			         key);
			return -1;
		}
		*v = 1;
		return 0;
	}
	if (sysctl_canonical(key, canon, sizeof(canon), &e2) < 0) {
		snprintf(why, wlen, "%s", e2.msg);
		return -1;
	}
	*v = 1;
	return 0;
}

/* A number with an optional unit: "1000ms", "1.5s", "3" (ms when @time);
 * decimal as num.h says.  NUM_SYNTAX or NUM_RANGE (more than
 * NUM_DIGITS_MAX digits) when not. */
static int number_unit(const char *s, double *v, const char **end, bool *had_unit)
{
	const char *e;
	enum num_status r = num_decimal(s, true, v, &e);

	*end = e;
	if (r != NUM_OK)
		return r;
	*had_unit = false;
	if (strncmp(e, "ms", 2) == 0) {
		e += 2;
		*had_unit = true;
	} else if (*e == 's' && !isalpha((unsigned char)e[1])) {
		*v *= 1000;
		e += 1;
		*had_unit = true;
	}
	*end = e;
	return 0;
}

/* "±15%", "+-15%", "±100ms" after a value: NULL, or what is wrong and
 * where (*off from @s). */
static const char *tolerance(const char *s, struct matcher *m, size_t *off)
{
	const char *p = s, *end;
	bool unit;
	int r;

	*off = 0;
	while (isspace((unsigned char)*p))
		p++;
	if (!*p) {
		m->tol = 0;
		return NULL;
	}
	*off = (size_t)(p - s);
	if (strncmp(p, "±", strlen("±")) == 0)
		p += strlen("±");
	else if (strncmp(p, "+-", 2) == 0)
		p += 2;
	else
		return "expected a tolerance such as ±15% or ±100ms";
	while (isspace((unsigned char)*p))
		p++;
	*off = (size_t)(p - s);
	if (*p == '-')
		return "a tolerance cannot be negative";
	r = number_unit(p, &m->tol, &end, &unit);
	if (r == NUM_RANGE)
		return "tolerance out of range";
	if (r != NUM_OK)
		return "expected a tolerance such as ±15% or ±100ms";
	if (*end == '%') {
		m->tol_pct = true;
		end++;
	}
	while (isspace((unsigned char)*end))
		end++;
	*off = (size_t)(end - s);
	return *end ? "unexpected text after the tolerance" : NULL;
}

/* Where a matcher's text is: errors are at its column @col, plus an
 * offset. */
struct mpos {
	const char *file;
	unsigned line, col;
	struct err *e;
};

/* s, ms (scale 1000, 1: a time) or x (1): false for another unit. */
static bool unit_scale(const char *unitw, struct matcher *m)
{
	if (strcmp(unitw, "s") == 0)
		m->scale = 1000;
	else if (strcmp(unitw, "ms") == 0 || strcmp(unitw, "x") == 0)
		m->scale = 1;
	else
		return false;
	m->time = strcmp(unitw, "x") != 0;
	return true;
}

/* {A, B, C} */
static int matcher_set(const struct mpos *at, char *s, struct matcher *m)
{
	char *close = strchr(s, '}'), *save = NULL, *item;
	size_t n = 0;

	if (!close || close[1])
		return err_at(at->e, at->file, at->line, at->col, "a set is {A, B, C}");
	*close = '\0';
	m->kind = M_SET;
	for (item = strtok_r(s + 1, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *a = item, *b;

		while (isspace((unsigned char)*a))
			a++;
		b = a + strlen(a);
		while (b > a && isspace((unsigned char)b[-1]))
			*--b = '\0';
		if (!*a)
			return err_at(at->e, at->file, at->line, at->col, "empty item in a set");
		n += (size_t)snprintf(m->text + n, sizeof(m->text) - n, "%s\n", a);
		if (n >= sizeof(m->text))
			return err_at(at->e, at->file, at->line, at->col, "set too long");
	}
	if (!n)
		return err_at(at->e, at->file, at->line, at->col, "empty set");
	return 0;
}

/* = (EXPR) UNIT [±TOL] */
static int matcher_expr(const struct mpos *at, const char *s, struct matcher *m)
{
	const char *open = s + 1 + strspn(s + 1, " \t"), *close = NULL, *q, *why2;
	char unitw[16], why[200];
	int depth = 0, used = 0;
	size_t pos, off;
	double dummy;

	for (q = open; *q; q++) {
		depth += *q == '(' ? 1 : *q == ')' ? -1 : 0;
		if (depth > EXPR_MAX_DEPTH)
			return err_at(at->e, at->file, at->line, at->col + (unsigned)(q - s),
			              "nesting deeper than %d", EXPR_MAX_DEPTH);
		if (depth == 0) {
			close = q;
			break;
		}
	}
	if (!close)
		return err_at(at->e, at->file, at->line, at->col + (unsigned)(open - s),
		              "unbalanced '('");
	if ((size_t)(close - open + 1) >= sizeof(m->text))
		return err_at(at->e, at->file, at->line, at->col, "expression too long");
	m->kind = M_EXPR;
	snprintf(m->text, sizeof(m->text), "%.*s", (int)(close - open + 1), open);
	/* Checked now, keys included, with every key standing for 1. */
	if (expr_eval(m->text, check_key, NULL, &dummy, &pos, why, sizeof(why)) < 0)
		return err_at(at->e, at->file, at->line, at->col + (unsigned)(open - s + (long)pos),
		              "%s", why);
	if (sscanf(close + 1, " %15s %n", unitw, &used) < 1)
		return err_at(at->e, at->file, at->line, at->col + (unsigned)(close + 1 - s),
		              "expected a unit after the expression: s, ms or x");
	if (!unit_scale(unitw, m))
		return err_at(at->e, at->file, at->line, at->col + (unsigned)(close + 1 - s),
		              "unit '%s': use s, ms or x", unitw);
	if ((why2 = tolerance(close + 1 + used, m, &off)))
		return err_at(at->e, at->file, at->line,
		              at->col + (unsigned)(close + 1 + used - s + off), "%s", why2);
	return 0;
}

/* = [side:]KEY UNIT [±TOL] */
static int matcher_sysctl(const struct mpos *at, const char *s, struct matcher *m)
{
	char key[160], unitw[16];
	const char *why2;
	int used = 0;
	struct err e2;
	size_t off;

	m->kind = M_SYSCTL;
	if (sscanf(s + 1, " %159s %15s %n", key, unitw, &used) < 2)
		return err_at(at->e, at->file, at->line, at->col,
		              "a computed value is '= KEY UNIT [±TOL]', as "
		              "'= net.ipv4.tcp_fin_timeout s ±10%%'");
	if (parse_side_key(key, &m->side, m->key, sizeof(m->key), &e2) < 0)
		return err_at(at->e, at->file, at->line, at->col + 2, "%s", e2.msg);
	if (!unit_scale(unitw, m))
		return err_at(at->e, at->file, at->line, at->col, "unit '%s': use s, ms or x",
		              unitw);
	if ((why2 = tolerance(s + 1 + used, m, &off)))
		return err_at(at->e, at->file, at->line, at->col + 1 + (unsigned)(used + off), "%s",
		              why2);
	return 0;
}

/* >N, >=N, <N, <=N */
static int matcher_bound(const struct mpos *at, const char *s, struct matcher *m)
{
	bool eq = s[1] == '=', unit;
	const char *num = s + (eq ? 2 : 1), *end;
	double v;
	int r = number_unit(num, &v, &end, &unit);

	if (r == NUM_RANGE)
		return err_at(at->e, at->file, at->line, at->col + (unsigned)(num - s),
		              "number out of range (at most %d digits)", NUM_DIGITS_MAX);
	if (r != NUM_OK || *end)
		return err_at(at->e, at->file, at->line, at->col + (unsigned)(num - s),
		              "expected a number after %.*s", eq ? 2 : 1, s);
	m->kind = M_RANGE;
	m->time = unit;
	m->lo = -INFINITY;
	m->hi = INFINITY;
	if (s[0] == '>') {
		m->lo = v;
		m->lo_open = !eq;
	} else {
		m->hi = v;
		m->hi_open = !eq;
	}
	return 0;
}

/* N..M: strtod would read "5." of "5..3", so split at ".." first. */
static int matcher_range(const struct mpos *at, const char *s, struct matcher *m)
{
	const char *dd = strstr(s, ".."), *e2;
	char lo[64];
	bool u2;
	int r;

	snprintf(lo, sizeof(lo), "%.*s", (int)(dd - s < 63 ? dd - s : 63), s);
	r = number_unit(lo, &m->lo, &e2, &u2);
	if (r == NUM_RANGE)
		return err_at(at->e, at->file, at->line, at->col,
		              "number out of range (at most %d digits)", NUM_DIGITS_MAX);
	if (r != NUM_OK || *e2)
		return err_at(at->e, at->file, at->line, at->col, "expected a number before '..'");
	m->kind = M_RANGE;
	m->time = u2;
	r = number_unit(dd + 2, &m->hi, &e2, &u2);
	m->time = m->time || u2;
	if (r == NUM_RANGE)
		return err_at(at->e, at->file, at->line, at->col + (unsigned)(dd + 2 - s),
		              "number out of range (at most %d digits)", NUM_DIGITS_MAX);
	if (r != NUM_OK || *e2)
		return err_at(at->e, at->file, at->line, at->col + (unsigned)(dd + 2 - s),
		              "expected a number after '..'");
	if (m->hi < m->lo)
		return err_at(at->e, at->file, at->line, at->col, "range runs backwards");
	return 0;
}

/* a time with a tolerance, or an exact value */
static int matcher_value(const struct mpos *at, const char *s, struct matcher *m)
{
	const char *end, *why2;
	bool unit;
	double v;
	size_t off;
	int r = number_unit(s, &v, &end, &unit);

	if (r == NUM_RANGE && (strncmp(end, "ms", 2) == 0 || *end == 's'))
		return err_at(at->e, at->file, at->line, at->col,
		              "time out of range (at most %d digits)", NUM_DIGITS_MAX);
	if (r == NUM_OK) {
		if (unit) {
			m->kind = M_TIME;
			m->time = true;
			m->value = v;
			if ((why2 = tolerance(end, m, &off)))
				return err_at(at->e, at->file, at->line,
				              at->col + (unsigned)(end - s + off), "%s", why2);
			return 0;
		}
	}
	m->kind = M_EXACT;
	if (strlen(s) >= sizeof(m->text))
		return err_at(at->e, at->file, at->line, at->col,
		              "expected value longer than %zu characters", sizeof(m->text) - 1);
	text_copy(m->text, sizeof(m->text), s);
	return 0;
}

/* A matcher after its prefixes (xfail, not). */
static int parse_plain_matcher(struct mpos *pos, char *s, struct matcher *m)
{
	struct mpos at = *pos;
	const char *file = at.file;
	unsigned line = at.line;
	struct err *e = at.e;

	if (!*s)
		return err_at(e, file, line, at.col, "expected a value to expect");
	if (strncmp(s, "skip ", 5) == 0 || strcmp(s, "skip") == 0) {
		m->kind = M_SKIP;
		text_copy(m->text, sizeof(m->text), s[4] ? s + 5 : "");
		if (!m->text[0])
			return err_at(e, file, line, at.col, "skip needs a reason");
		return 0;
	}
	if (s[0] == '{')
		return matcher_set(&at, s, m);
	if (s[0] == '=' && s[1 + strspn(s + 1, " \t")] == '(')
		return matcher_expr(&at, s, m);
	if (s[0] == '=')
		return matcher_sysctl(&at, s, m);
	if ((s[0] == '>' || s[0] == '<'))
		return matcher_bound(&at, s, m);
	if (isdigit((unsigned char)s[0]) && strstr(s, ".."))
		return matcher_range(&at, s, m);
	return matcher_value(&at, s, m);
}

static int parse_matcher(const char *file, unsigned line, struct cell *c, struct matcher *m,
                         struct err *e)
{
	struct mpos at = {.file = file, .line = line, .col = c->col, .e = e};
	char *s = c->text;

	memset(m, 0, sizeof(*m));
	if (strncmp(s, "xfail ", 6) == 0) {
		m->xfail = true;
		s += 6;
		at.col += 6;
		while (isspace((unsigned char)*s)) {
			s++;
			at.col++;
		}
	}
	if (strncmp(s, "not ", 4) == 0 || strcmp(s, "not") == 0) {
		unsigned col = at.col;
		int r;

		s += 3;
		at.col += 3;
		while (isspace((unsigned char)*s)) {
			s++;
			at.col++;
		}
		r = parse_plain_matcher(&at, s, m);
		if (r < 0)
			return r;
		if ((m->kind != M_EXACT && m->kind != M_SET && m->kind != M_RANGE) || m->time)
			return err_at(
			    e, file, line, col,
			    "'not' takes a value, a set {a, b} or a range (A..B, >=N), not "
			    "a time or a computed value (whose tolerance a slip widens)");
		m->negated = true;
		return 0;
	}
	return parse_plain_matcher(&at, s, m);
}

int table_parse(const char *text, size_t len, const char *file, struct table *t, struct err *e)
{
	const char *s = text, *endp = text + len;
	unsigned lineno = 0;

	memset(t, 0, sizeof(*t));
	text_copy(t->file, sizeof(t->file), file);
	while (s < endp) {
		const char *nl = memchr(s, '\n', (size_t)(endp - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(endp - s);
		char line[2048];
		size_t bars[8], nb = 0, i;
		struct cell cells[5];
		struct row *r;
		bool blank = true;

		lineno++;
		if (n >= sizeof(line)) {
			err_at(e, file, lineno, 1, "line too long");
			goto fail;
		}
		memcpy(line, s, n);
		line[n] = '\0';
		s = nl ? nl + 1 : endp;
		for (i = 0; i < n; i++) {
			if (line[i] == '#' && blank)
				break;
			if (!isspace((unsigned char)line[i]))
				blank = false;
		}
		if (blank)
			continue;
		for (i = 0; i < n && nb < 8; i++)
			if (line[i] == '|')
				bars[nb++] = i;
		if (nb != 4) {
			err_at(e, file, lineno, nb > 4 ? (unsigned)bars[4] + 1 : (unsigned)n + 1,
			       nb < 4
			           ? "a row has 5 columns: observation | kernel | when | expect | "
			             "source (a row without a source is not allowed)"
			           : "too many '|': a row has 5 columns");
			goto fail;
		}
		trim_cell(line, 0, bars[0], &cells[0]);
		for (i = 1; i < 4; i++)
			trim_cell(line, bars[i - 1] + 1, bars[i], &cells[i]);
		trim_cell(line, bars[3] + 1, n, &cells[4]);
		r = realloc(t->rows, (t->nrows + 1) * sizeof(*r));
		if (!r) {
			err_set(e, ERR_SYSTEM, "out of memory");
			goto fail;
		}
		t->rows = r;
		r = &t->rows[t->nrows++];
		memset(r, 0, sizeof(*r));
		r->line = lineno;
		if (!valid_obs(cells[0].text)) {
			err_at(e, file, lineno, cells[0].col, "'%s' is not an observation name",
			       cells[0].text);
			goto fail;
		}
		if (strlen(cells[0].text) >= sizeof(r->obs)) {
			err_at(e, file, lineno, cells[0].col,
			       "observation name longer than %zu characters", sizeof(r->obs) - 1);
			goto fail;
		}
		text_copy(r->obs, sizeof(r->obs), cells[0].text);
		snprintf(r->obs_base, sizeof(r->obs_base), "%.*s",
		         (int)strcspn(cells[0].text, ".["), cells[0].text);
		if (krange_parse(cells[1].text, &r->kernel) < 0) {
			err_at(e, file, lineno, cells[1].col,
			       "kernel range '%s': use *, >=4.18, <4.12, <=6.1, >5.4 or 5.6..6.13",
			       cells[1].text);
			goto fail;
		}
		if (parse_conds(file, lineno, &cells[2], r, e) < 0)
			goto fail;
		text_copy(r->expect_text, sizeof(r->expect_text), cells[3].text);
		if (parse_matcher(file, lineno, &cells[3], &r->m, e) < 0)
			goto fail;
		if (strlen(cells[4].text) < 4) {
			err_at(e, file, lineno, cells[4].col,
			       "every row names its source: kernel file and function, commit, RFC "
			       "section or ip-sysctl.rst");
			goto fail;
		}
		text_copy(r->source, sizeof(r->source), cells[4].text);
	}
	return 0;
fail:
	table_free(t);
	return -1;
}

int table_load(const char *path, struct table *t, struct err *e)
{
	size_t len;
	char *buf;
	int r;

	memset(t, 0, sizeof(*t));
	buf = infile_read(path, 1 << 20, &len, e);
	if (!buf)
		return -1;
	r = table_parse(buf, len, path, t, e);
	free(buf);
	return r;
}

void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows; i++)
		free(t->rows[i].conds);
	free(t->rows);
	t->rows = NULL;
	t->nrows = 0;
}

int table_check_case(const struct table *t, const struct scenario *sc, struct err *e)
{
	for (size_t i = 0; i < t->nrows; i++) {
		const struct row *r = &t->rows[i];

		for (size_t c = 0; c < r->nconds; c++) {
			const struct cond *n = &r->conds[c];
			const struct sc_axis *a = NULL;
			bool value = false;

			if (n->side != 3)
				continue;
			if (strcmp(n->key, "family") == 0) {
				if (strcmp(n->value, "4") == 0 || strcmp(n->value, "6") == 0)
					continue;
				return err_at(e, t->file, r->line, n->col,
				              "family is 4 or 6, not '%s'", n->value);
			}
			for (size_t k = 0; k < sc->naxes && !a; k++)
				if (!sc->axes[k].is_sysctl && strcmp(sc->axes[k].name, n->key) == 0)
					a = &sc->axes[k];
			if (!a)
				return err_at(
				    e, t->file, r->line, n->col,
				    "'%s' is not an axis of case %s (a 'vary' line of its "
				    "own), so no variant meets this row",
				    n->key, sc->name);
			for (unsigned k = 0; k < a->nvalues && !value; k++)
				value = strcmp(a->values[k], n->value) == 0;
			if (!value)
				return err_at(
				    e, t->file, r->line, n->col,
				    "'%s' is not a value of %s in case %s, so no variant meets "
				    "this row",
				    n->value, n->key, sc->name);
		}
	}
	return 0;
}
