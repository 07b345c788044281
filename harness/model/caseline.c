// SPDX-License-Identifier: GPL-2.0-only
/* caseline.c - one line of a case file: its words and their readers. */
#include "model/caseline.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/num.h"
#include "base/text.h"
#include "model/sysctl_key.h"

int lp_at(struct lp *p, unsigned col, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_at(p->e, p->file, p->line, col, "%s", msg);
}

/* Split @line; '#' outside quotes ends it.  Returns -1 on a quoting error. */
int lp_tokenize(struct lp *p, const char *line)
{
	const char *s = line;

	p->n = 0;
	p->i = 0;
	p->comment = NULL;
	for (;;) {
		struct tok *t;
		size_t k = 0;

		while (*s && isspace((unsigned char)*s))
			s++;
		if (*s == '#')
			p->comment = s + 1;
		if (!*s || *s == '#')
			return 0;
		if (p->n == LP_MAX_TOKENS)
			return lp_at(p, (unsigned)(s - line) + 1, "too many words on one line");
		t = &p->t[p->n++];
		t->col = (unsigned)(s - line) + 1;
		t->quoted = *s == '"';
		if (t->quoted) {
			s++;
			while (*s && *s != '"') {
				if (*s == '\\' && s[1])
					s++;
				if (k + 1 < sizeof(t->text))
					t->text[k++] = *s;
				s++;
			}
			if (*s != '"')
				return lp_at(p, t->col, "unterminated string");
			s++;
		} else {
			while (*s && !isspace((unsigned char)*s)) {
				if (k + 1 < sizeof(t->text))
					t->text[k++] = *s;
				s++;
			}
		}
		t->text[k] = '\0';
	}
}

struct tok *lp_peek(struct lp *p)
{
	return p->i < p->n ? &p->t[p->i] : NULL;
}

struct tok *lp_next(struct lp *p)
{
	return p->i < p->n ? &p->t[p->i++] : NULL;
}

/* Column just past the last token, for "expected ..." at end of line. */
unsigned lp_end_col(struct lp *p)
{
	if (!p->n)
		return 1;
	return p->t[p->n - 1].col + (unsigned)strlen(p->t[p->n - 1].text) +
	       (p->t[p->n - 1].quoted ? 2 : 0);
}

int lp_need(struct lp *p, struct tok **t, const char *what)
{
	*t = lp_next(p);
	if (!*t)
		return lp_at(p, lp_end_col(p), "expected %s", what);
	return 0;
}

bool lp_is(const struct tok *t, const char *s)
{
	return t && !t->quoted && strcmp(t->text, s) == 0;
}

int lp_expect(struct lp *p, const char *word)
{
	struct tok *t = lp_next(p);

	if (!t)
		return lp_at(p, lp_end_col(p), "expected '%s'", word);
	if (!lp_is(t, word))
		return lp_at(p, t->col, "expected '%s', found '%s'", word, t->text);
	return 0;
}

int lp_no_more(struct lp *p)
{
	struct tok *t = lp_peek(p);

	if (t)
		return lp_at(p, t->col, "unexpected '%s'", t->text);
	return 0;
}

/* Every number of the language goes through num.h: decimal, range-checked. */
int lp_number(struct lp *p, struct tok *t, long min, long max, long *out)
{
	long long v;
	enum num_status r =
	    t->quoted ? NUM_SYNTAX : num_int(t->text, strlen(t->text), min, max, &v, NULL);

	if (r == NUM_SYNTAX)
		return lp_at(p, t->col, "expected a number, found '%s'", t->text);
	if (r == NUM_RANGE)
		return lp_at(p, t->col, "%s is out of range (%ld..%ld)", t->text, min, max);
	*out = (long)v;
	return 0;
}

int lp_next_number(struct lp *p, const char *what, long min, long max, long *out)
{
	struct tok *t;

	if (lp_need(p, &t, what) < 0)
		return -1;
	return lp_number(p, t, min, max, out);
}

/* 1500ms, 2s, 1.5s, 2min */
int lp_duration(struct lp *p, struct tok *t, unsigned *ms)
{
	const char *end;
	double v;
	enum num_status r = t->quoted ? NUM_SYNTAX : num_decimal(t->text, false, &v, &end);

	if (r == NUM_SYNTAX)
		return lp_at(p, t->col, "expected a duration such as 500ms or 2s, found '%s'",
		             t->text);
	if (r == NUM_RANGE)
		return lp_at(p, t->col, "duration longer than an hour");
	if (strcmp(end, "ms") == 0)
		;
	else if (strcmp(end, "s") == 0)
		v *= 1000;
	else if (strcmp(end, "min") == 0)
		v *= 60000;
	else
		return lp_at(p, t->col + (unsigned)(end - t->text),
		             "expected a unit: ms, s or min (as in 500ms or 2s)");
	if (v > 3600000)
		return lp_at(p, t->col, "duration longer than an hour");
	*ms = (unsigned)(v + 0.5);
	return 0;
}

int lp_side(struct lp *p, struct tok *t, bool allow_both, enum side *s)
{
	if (lp_is(t, "client"))
		*s = SIDE_CLIENT;
	else if (lp_is(t, "server"))
		*s = SIDE_SERVER;
	else if (allow_both && lp_is(t, "both"))
		*s = SIDE_BOTH;
	else
		return lp_at(p, t->col, "expected client, server%s; found '%s'",
		             allow_both ? " or both" : "", t->text);
	return 0;
}

bool lp_valid_name(const char *s)
{
	size_t i;

	if (!*s || strlen(s) >= SC_NAME_MAX || !(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	for (i = 0; s[i]; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return false;
	return true;
}

/* The rest of the line from token @from on, as written (for rule parsing). */
const char *lp_rest(struct lp *p, int from, unsigned *col)
{
	if (from >= p->n) {
		*col = lp_end_col(p);
		return "";
	}
	*col = p->t[from].col;
	return p->raw + p->t[from].col - 1;
}

int lp_sysctl_confined(struct lp *p, const char *key, struct tok *k, struct tok *v)
{
	char why[400];
	int h = sysctl_host_effect(key, v ? v->text : NULL, why, sizeof(why));

	if (h == SYSCTL_CONFINED)
		return 0;
	return lp_at(p, h == SYSCTL_HOST_KEY || !v ? k->col : v->col, "%s", why);
}

int lp_sysctl(struct lp *p, char *key, size_t keylen, char *val, size_t vallen, struct tok **kt,
              struct tok **vt)
{
	struct tok *k, *v, *w;
	struct err e2;

	if (lp_need(p, &k, "a sysctl key") < 0)
		return -1;
	if (sysctl_canonical(k->text, key, keylen, &e2) < 0)
		return lp_at(p, k->col, "%s", e2.msg);
	if (lp_is(lp_peek(p), "="))
		lp_next(p);
	if (lp_need(p, &v, "a value") < 0)
		return -1;
	/* multi-word values, as "32768 60999" or 32768 60999 */
	text_copy(val, vallen, v->text);
	if (strlen(v->text) >= vallen)
		return lp_at(p, v->col, "value longer than %zu characters", vallen - 1);
	while ((w = lp_next(p))) {
		size_t n = strlen(val);

		if (n + 1 + strlen(w->text) >= vallen)
			return lp_at(p, w->col, "value longer than %zu characters", vallen - 1);
		val[n] = ' ';
		text_copy(val + n + 1, vallen - n - 1, w->text);
	}
	text_copy(v->text, sizeof(v->text), val);
	if (lp_sysctl_confined(p, key, k, v) < 0)
		return -1;
	if (kt)
		*kt = k;
	if (vt)
		*vt = v;
	return 0;
}
