// SPDX-License-Identifier: GPL-2.0-only
/* scenario.c - parse case files into scenarios: the file, its header lines,
 * the frame of its step lines (step.c reads the steps); enumerate variants. */
#include "model/scenario.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/infile.h"
#include "base/num.h"
#include "base/text.h"
#include "model/caseline.h"
#include "model/sysctl_key.h"

/* ---- words ------------------------------------------------------------------ */

/* Observation names: a name, or names joined by '.'; they name checks in
 * results.ktap and junit.xml. */
static bool valid_obs_name(const char *s)
{
	size_t i;

	if (strlen(s) >= SC_KEY_MAX || !(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	for (i = 0; s[i]; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-' && s[i] != '.')
			return false;
	return true;
}

static bool word_char(char ch)
{
	unsigned char c = (unsigned char)ch;

	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == ':' || c == '+' || c == '-';
}

/* Whether @s is a word (scenario.h); if not, why in @why and where, at
 * offset *bad. */
static bool word_check(const char *s, size_t *bad, char *why, size_t wlen)
{
	size_t i;

	*bad = 0;
	if (!*s) {
		snprintf(why, wlen, "is empty");
		return false;
	}
	if (s[0] == '.') {
		snprintf(why, wlen, "cannot start with '.'");
		return false;
	}
	for (i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (word_char(s[i]))
			continue;
		*bad = i;
		if (c >= ' ' && c < 0x7f)
			snprintf(why, wlen, "cannot hold '%c'", c);
		else
			snprintf(why, wlen, "cannot hold byte 0x%02x", c);
		return false;
	}
	if (i > SC_WORD_MAX) {
		*bad = SC_WORD_MAX;
		snprintf(why, wlen, "is longer than %d characters", SC_WORD_MAX);
		return false;
	}
	return true;
}

bool scenario_word_ok(const char *s)
{
	char why[64];
	size_t bad;

	return word_check(s, &bad, why, sizeof(why));
}

/* @s (written at column @col) becomes part of variant names: a word. */
static int need_word(struct lp *p, const char *s, unsigned col, const char *what)
{
	char why[64];
	size_t bad;

	if (word_check(s, &bad, why, sizeof(why)))
		return 0;
	return lp_at(p, col + (unsigned)bad,
	             "%s %s: it names variants, so it is a word of letters, digits, '.', '_', "
	             "':', '+' and '-' (at most %d characters, not starting with '.')",
	             what, why, SC_WORD_MAX);
}
/* ---- headers -------------------------------------------------------------- */

/* A sysctl whose write would change the host (sysctl.c host_effects):
 * refused where it is written, at the key or at the value. */
/* The comment on the line, trimmed: why the case sets a sysctl. */
static void line_why(const struct lp *p, char *why, size_t len)
{
	const char *c = p->comment ? p->comment : "";
	size_t n;

	c += strspn(c, " \t");
	n = strlen(c);
	while (n && isspace((unsigned char)c[n - 1]))
		n--;
	if (n >= len)
		n = len - 1;
	memcpy(why, c, n);
	why[n] = '\0';
}

/* "axis" or "premise" after "sysctl" or "vary": how a sysctl profile's
 * value of the key meets the case's (README, "Sysctl profiles"). */
static int profile_role(struct lp *p, bool *axis, bool *premise)
{
	struct tok *t = lp_peek(p);

	*axis = *premise = false;
	if (lp_is(t, "axis"))
		*axis = true;
	else if (lp_is(t, "premise"))
		*premise = true;
	else
		return 0;
	lp_next(p);
	return 1;
}

static int header_sysctl(struct lp *p)
{
	struct scenario *sc = p->sc;
	struct sc_sysctl *n;
	struct tok *t;
	enum side side = SIDE_BOTH;
	bool axis, premise;
	char key[SC_KEY_MAX], val[SC_VALUE_MAX];

	profile_role(p, &axis, &premise);
	t = lp_peek(p);
	if (lp_is(t, "client") || lp_is(t, "server") || lp_is(t, "both"))
		lp_side(p, lp_next(p), true, &side);
	else if (!t)
		return lp_at(p, lp_end_col(p), "expected client, server, both or a key");
	if (lp_sysctl(p, key, sizeof(key), val, sizeof(val), &t, NULL) < 0)
		return -1;
	n = realloc(sc->sysctls, (sc->nsysctls + 1) * sizeof(*n));
	if (!n)
		return lp_at(p, t->col, "out of memory");
	sc->sysctls = n;
	n = &sc->sysctls[sc->nsysctls++];
	memset(n, 0, sizeof(*n));
	n->side = side;
	n->line = p->line;
	n->axis = axis;
	line_why(p, n->why, sizeof(n->why));
	text_copy(n->key, sizeof(n->key), key);
	text_copy(n->value, sizeof(n->value), val);
	return 0;
}

static int header_vary(struct lp *p)
{
	struct scenario *sc = p->sc;
	struct sc_axis *a;
	struct tok *t, *key = NULL, *role = lp_peek(p);
	enum side side = SIDE_BOTH;
	bool axis, premise;
	size_t i;

	if (profile_role(p, &axis, &premise) && !lp_peek(p))
		return lp_at(p, role->col,
		             "'%s' is a word of the case language, not a variable name (it says "
		             "how a sysctl profile meets a sysctl axis)",
		             role->text);
	if (lp_need(p, &t, "a sysctl key or a variable name") < 0)
		return -1;
	if (lp_is(t, "client") || lp_is(t, "server") || lp_is(t, "both")) {
		lp_side(p, t, true, &side);
		if (lp_need(p, &t, "a sysctl key") < 0)
			return -1;
	}
	if (sc->naxes == SC_MAX_AXES)
		return lp_at(p, p->t[0].col, "more than %d vary lines: a case has at most %d axes",
		             SC_MAX_AXES, SC_MAX_AXES);
	a = realloc(sc->axes, (sc->naxes + 1) * sizeof(*a));
	if (!a)
		return lp_at(p, t->col, "out of memory");
	sc->axes = a;
	a = &sc->axes[sc->naxes];
	memset(a, 0, sizeof(*a));
	a->side = side;
	a->line = p->line;
	a->col = t->col;
	a->premise = premise;
	line_why(p, a->why, sizeof(a->why));
	a->is_sysctl = strchr(t->text, '.') || strchr(t->text, '/');
	if (a->is_sysctl) {
		struct err e2;
		const char *last;

		if (sysctl_canonical(t->text, a->name, sizeof(a->name), &e2) < 0)
			return lp_at(p, t->col, "%s", e2.msg);
		/* Variants are named by the key's last component (the
		 * canonical form maps one character to one). */
		last = strrchr(a->name, '.');
		last = last ? last + 1 : a->name;
		key = t;
		if (need_word(p, last, t->col + t->quoted + (unsigned)(last - a->name),
		              "the last component of a vary key") < 0 ||
		    lp_sysctl_confined(p, a->name, key, NULL) < 0)
			return -1;
	} else {
		if (side != SIDE_BOTH)
			return lp_at(p, t->col, "a side applies to sysctl axes only");
		if (axis || premise)
			return lp_at(p, role->col, "'%s' applies to sysctl axes only", role->text);
		if (!lp_valid_name(t->text))
			return lp_at(p, t->col, "'%s' is neither a sysctl key nor a variable name",
			             t->text);
		if (strcmp(t->text, "family") == 0)
			return lp_at(p, t->col,
			             "'family' is every case's address family axis (4 or 6): "
			             "choose it with a 'family' line");
		text_copy(a->name, sizeof(a->name), t->text);
	}
	for (i = 0; i < sc->naxes; i++)
		if (strcmp(sc->axes[i].name, a->name) == 0 && sc->axes[i].side == a->side)
			return lp_at(p, t->col, "'%s' already varies (line %u)", a->name,
			             sc->axes[i].line);
	while ((t = lp_next(p))) {
		size_t k;

		if (a->nvalues == SC_MAX_VALUES)
			return lp_at(p, t->col, "more than %d values on one vary line",
			             SC_MAX_VALUES);
		if (need_word(p, t->text, t->col + t->quoted, "a vary value") < 0)
			return -1;
		for (k = 0; k < a->nvalues; k++)
			if (strcmp(a->values[k], t->text) == 0)
				return lp_at(p, t->col, "value '%s' given twice", t->text);
		/* "default" writes nothing. */
		if (a->is_sysctl && strcmp(t->text, "default") != 0 &&
		    lp_sysctl_confined(p, a->name, key, t) < 0)
			return -1;
		text_copy(a->values[a->nvalues++], SC_VALUE_MAX, t->text);
	}
	if (a->nvalues < 1)
		return lp_at(p, lp_end_col(p), "expected at least one value");
	sc->naxes++;
	return 0;
}

/* After the last line: the variants the axes make, in the order they are
 * declared, stay within SC_MAX_VARIANTS and their names within
 * SC_VARIANT_NAME_MAX; the axis that crosses a limit is the error. */
static int check_variants(struct lp *p)
{
	const struct scenario *sc = p->sc;
	size_t n = (size_t)sc->family4 + (size_t)sc->family6, len = strlen("ipv4"), i, k;

	for (i = 0; i < sc->naxes; i++) {
		const struct sc_axis *a = &sc->axes[i];
		const char *last = strrchr(a->name, '.');
		size_t longest = 0;

		/* n <= SC_MAX_VARIANTS and nvalues <= SC_MAX_VALUES: no overflow */
		n *= a->nvalues;
		if (n > SC_MAX_VARIANTS)
			return err_at(p->e, p->file, a->line, a->col,
			              "%zu variants with this axis: a case has at most %d "
			              "(the families times the values of every vary line)",
			              n, SC_MAX_VARIANTS);
		for (k = 0; k < a->nvalues; k++)
			if (strlen(a->values[k]) > longest)
				longest = strlen(a->values[k]);
		/* "-client.tcp_timestamps=VALUE" */
		len += 1 + (a->side == SIDE_BOTH ? 0 : strlen(side_name(a->side)) + 1) +
		       strlen(last ? last + 1 : a->name) + 1 + longest;
		if (len > SC_VARIANT_NAME_MAX)
			return err_at(p->e, p->file, a->line, a->col,
			              "variant names longer than %d characters with this axis",
			              SC_VARIANT_NAME_MAX);
	}
	return 0;
}

static int append_text(struct lp *p, char *dst, size_t len)
{
	struct tok *t;
	size_t n = strlen(dst);

	if (!lp_peek(p))
		return lp_at(p, lp_end_col(p), "expected text");
	if (n && n + 1 < len)
		dst[n++] = ' ';
	dst[n] = '\0';
	/* The text as written, from the first word to the end of the line. */
	t = lp_peek(p);
	text_copy(dst + n, len - n, p->raw + t->col - 1);
	/* Drop a trailing comment and spaces. */
	{
		char *hash = strchr(dst + n, '#');

		if (hash)
			*hash = '\0';
		n = strlen(dst);
		while (n && isspace((unsigned char)dst[n - 1]))
			dst[--n] = '\0';
	}
	p->i = p->n;
	return 0;
}

static int header_line(struct lp *p, struct tok *kw)
{
	struct scenario *sc = p->sc;
	struct tok *t;

	if (lp_is(kw, "case")) {
		if (lp_need(p, &t, "the case name") < 0)
			return -1;
		if (!lp_valid_name(t->text))
			return lp_at(p, t->col, "'%s' is not a case name", t->text);
		text_copy(sc->name, sizeof(sc->name), t->text);
		return lp_no_more(p);
	}
	if (lp_is(kw, "title"))
		return append_text(p, sc->title, sizeof(sc->title));
	if (lp_is(kw, "why"))
		return append_text(p, sc->why, sizeof(sc->why));
	if (lp_is(kw, "family")) {
		sc->family4 = sc->family6 = false;
		while ((t = lp_next(p))) {
			if (lp_is(t, "4") || lp_is(t, "ipv4"))
				sc->family4 = true;
			else if (lp_is(t, "6") || lp_is(t, "ipv6"))
				sc->family6 = true;
			else
				return lp_at(p, t->col, "expected 4 or 6, found '%s'", t->text);
		}
		if (!sc->family4 && !sc->family6)
			return lp_at(p, lp_end_col(p), "expected 4, 6 or both");
		return 0;
	}
	if (lp_is(kw, "timeout")) {
		sc->timeout_set = true;
		if (lp_need(p, &t, "a duration") < 0 || lp_duration(p, t, &sc->timeout_ms) < 0)
			return -1;
		if (sc->timeout_ms < 100)
			return lp_at(p, t->col, "a time limit under 100ms cannot run a scenario");
		return lp_no_more(p);
	}
	if (lp_is(kw, "sysctl"))
		return header_sysctl(p);
	return header_vary(p);
}

/* ---- one line ------------------------------------------------------------- */

static int check_when(struct lp *p, struct step *st, struct tok *cond)
{
	char *eq = strchr(cond->text, '=');
	size_t i, k;

	if (!eq || eq == cond->text)
		return lp_at(p, cond->col, "expected VARIABLE=VALUE after 'when'");
	*eq = '\0';
	text_copy(st->when_var, sizeof(st->when_var), cond->text);
	text_copy(st->when_value, sizeof(st->when_value), eq + 1);
	*eq = '=';
	for (i = 0; i < p->sc->naxes; i++) {
		if (strcmp(p->sc->axes[i].name, st->when_var) != 0)
			continue;
		for (k = 0; k < p->sc->axes[i].nvalues; k++)
			if (strcmp(p->sc->axes[i].values[k], st->when_value) == 0)
				return 0;
		return lp_at(p, cond->col + (unsigned)(eq - cond->text) + 1,
		             "'%s' is not a value of '%s'", st->when_value, st->when_var);
	}
	return lp_at(p, cond->col, "'%s' does not vary in this case (declare it with 'vary')",
	             st->when_var);
}

/* "as KEY" at the end of a step line names its result as an observation:
 * taken off the tokens into st->as.  A name is once per variant: two lines
 * may share it only when their conditions cannot both hold ("when v=a" and
 * "when v=b": one axis, two values), so one variant runs one of them. */
static int take_as(struct lp *p, struct step *st)
{
	const struct scenario *sc = p->sc;
	struct tok *t;
	size_t i;

	if (p->n < 2 || !lp_is(&p->t[p->n - 2], "as"))
		return 0;
	t = &p->t[p->n - 1];
	if (!valid_obs_name(t->text))
		return lp_at(p, t->col, "'%s' is not an observation name", t->text);
	text_copy(st->as, sizeof(st->as), t->text);
	for (i = 0; i < sc->nsteps; i++) {
		const struct step *o = &sc->steps[i];

		if (strcmp(o->as, st->as) != 0)
			continue;
		if (st->when_var[0] && strcmp(o->when_var, st->when_var) == 0 &&
		    strcmp(o->when_value, st->when_value) != 0)
			continue; /* never in the same variant */
		return lp_at(p, t->col, "observation '%s' already named on line %u", st->as,
		             o->line);
	}
	p->n -= 2;
	return 0;
}

static const char *const headers[] = {"case",    "title",  "why", "family",
                                      "timeout", "sysctl", "vary"};

static bool is_header(const struct tok *kw)
{
	size_t i;

	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++)
		if (lp_is(kw, headers[i]))
			return true;
	return false;
}

/* A line that is neither a header nor a step. */
static int unknown_line(struct lp *p, const struct tok *kw)
{
	char words[256] = "", steps[200];
	size_t i, n;

	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		n = strlen(words);
		snprintf(words + n, sizeof(words) - n, "%s, ", headers[i]);
	}
	step_keywords(steps, sizeof(steps));
	return lp_at(p, kw->col, "unknown line '%s' (%s%s, when)", kw->text, words, steps);
}

/* A step line: its frame ("when VAR=VALUE" before, "as KEY" after, the
 * text for logs) here, the step itself in step.c. */
static int step_line(struct lp *p, struct tok *kw)
{
	struct scenario *sc = p->sc;
	struct step *st, *n;
	struct tok *t;
	int r;

	n = realloc(sc->steps, (sc->nsteps + 1) * sizeof(*n));
	if (!n)
		return lp_at(p, kw->col, "out of memory");
	sc->steps = n;
	st = &sc->steps[sc->nsteps];
	memset(st, 0, sizeof(*st));
	st->line = p->line;
	st->side = SIDE_NONE;
	text_copy(st->src, sizeof(st->src), p->raw + kw->col - 1);
	if (lp_is(kw, "when")) {
		if (lp_need(p, &t, "VARIABLE=VALUE") < 0 || check_when(p, st, t) < 0)
			return -1;
		if (lp_need(p, &kw, "a step") < 0)
			return -1;
	}
	/* "as KEY" closes any step but a wire rule (whose "as" names the rule). */
	if (!step_owns_as(kw) && take_as(p, st) < 0)
		return -1;
	/* The step as written, without its comment and "as KEY". */
	{
		size_t stop = lp_end_col(p) - 1, from = kw->col - 1;

		if (stop > from && stop - from < sizeof(st->src)) {
			memcpy(st->src, p->raw + from, stop - from);
			st->src[stop - from] = '\0';
		}
	}
	p->steps = sc->steps;
	p->nsteps = sc->nsteps;
	r = step_parse(p, st, kw);
	if (r > 0)
		return unknown_line(p, kw);
	if (r < 0)
		return -1;
	sc->nsteps++;
	return 0;
}

/* ---- the file --------------------------------------------------------------- */

/* title and why lines are prose: quotes in them are text, appended to
 * the title or the why.  1 when @line is one, 0 when not, -1 on an error. */
static int prose_line(struct lp *p, const char *line, bool steps_begun)
{
	struct scenario *sc = p->sc;
	const char *w = line + strspn(line, " \t"), *txt, *h;
	size_t wl = strcspn(w, " \t"), cap, dl, tl;
	char *dst;

	if (!(wl == 5 && !strncmp(w, "title", 5)) && !(wl == 3 && !strncmp(w, "why", 3)))
		return 0;
	dst = wl == 5 ? sc->title : sc->why;
	cap = wl == 5 ? sizeof(sc->title) : sizeof(sc->why);
	txt = w + wl + strspn(w + wl, " \t");
	dl = strlen(dst);
	tl = strlen(txt);
	if (!*txt)
		return err_at(p->e, p->file, p->line, (unsigned)(w - line + wl) + 1,
		              "expected text");
	if (steps_begun && wl == 5)
		return err_at(p->e, p->file, p->line, (unsigned)(w - line) + 1,
		              "'title' belongs before the first step");
	/* " # ..." ends the prose as it ends any line */
	for (h = txt; (h = strchr(h, '#')); h++)
		if (h > txt && isspace((unsigned char)h[-1])) {
			tl = (size_t)(h - txt);
			break;
		}
	while (tl && isspace((unsigned char)txt[tl - 1]))
		tl--;
	if (dl && dl + 1 < cap)
		dst[dl++] = ' ';
	if (tl > cap - dl - 1)
		tl = cap - dl - 1;
	memcpy(dst + dl, txt, tl);
	dst[dl + tl] = '\0';
	return 1;
}

/* One line of the file, @n bytes at @s, copied into @line (LINE_MAX_ bytes,
 * a CR before its end dropped) and read. */
#define LINE_MAX_ 1024
static int one_line(struct lp *p, const char *s, size_t n, char *line, bool *steps_begun)
{
	struct tok *kw;
	int r;

	if (n >= LINE_MAX_)
		return err_at(p->e, p->file, p->line, LINE_MAX_, "line longer than %d characters",
		              LINE_MAX_ - 1);
	if (memchr(s, '\0', n))
		return err_at(p->e, p->file, p->line,
		              (unsigned)((const char *)memchr(s, '\0', n) - s) + 1,
		              "NUL byte in a case file");
	memcpy(line, s, n);
	line[n] = '\0';
	if (n && line[n - 1] == '\r')
		line[--n] = '\0';
	p->raw = line;
	r = prose_line(p, line, *steps_begun);
	if (r != 0)
		return r < 0 ? -1 : 0;
	if (lp_tokenize(p, line) < 0)
		return -1;
	if (!p->n)
		return 0;
	kw = lp_next(p);
	if (is_header(kw)) {
		if (*steps_begun && !lp_is(kw, "why"))
			return lp_at(p, kw->col, "'%s' belongs before the first step", kw->text);
		return header_line(p, kw);
	}
	*steps_begun = true;
	return step_line(p, kw);
}

/* After the last line (@lineno): what every case has. */
static int check_complete(struct lp *p, unsigned lineno)
{
	const struct scenario *sc = p->sc;

	if (!sc->name[0])
		return err_at(p->e, p->file, 1, 1, "missing 'case NAME' line");
	if (!sc->title[0])
		return err_at(p->e, p->file, 1, 1, "missing 'title' line: say what the case shows");
	if (!sc->nsteps)
		return err_at(p->e, p->file, lineno ? lineno : 1, 1, "the case has no steps");
	return check_variants(p);
}

int scenario_parse(const char *text, size_t len, const char *file, struct scenario *sc,
                   struct err *e)
{
	struct lp *p = calloc(1, sizeof(*p));
	const char *s = text, *end = text + len;
	bool steps_begun = false;
	unsigned lineno = 0;
	char line[LINE_MAX_];

	memset(sc, 0, sizeof(*sc));
	text_copy(sc->file, sizeof(sc->file), file);
	sc->family4 = sc->family6 = true;
	sc->timeout_ms = 30000;
	if (!p)
		return err_set(e, ERR_SYSTEM, "out of memory");
	p->file = file;
	p->e = e;
	p->sc = sc;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

		p->line = ++lineno;
		if (one_line(p, s, n, line, &steps_begun) < 0)
			goto fail;
		s = nl ? nl + 1 : end;
	}
	if (check_complete(p, lineno) < 0)
		goto fail;
	free(p);
	return 0;
fail:
	free(p);
	scenario_free(sc);
	return -1;
}

int scenario_load(const char *path, struct scenario *sc, struct err *e)
{
	const char *base, *dot;
	size_t len;
	char *buf;
	int r;

	memset(sc, 0, sizeof(*sc));
	buf = infile_read(path, 1 << 20, &len, e);
	if (!buf)
		return -1;
	r = scenario_parse(buf, len, path, sc, e);
	free(buf);
	if (r < 0)
		return -1;
	/* The case is named after its file. */
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	if (!dot || strcmp(dot, ".case") != 0 || (size_t)(dot - base) != strlen(sc->name) ||
	    strncmp(base, sc->name, strlen(sc->name)) != 0) {
		err_at(e, path, 1, 1, "case '%s' must live in %s.case", sc->name, sc->name);
		scenario_free(sc);
		return -1;
	}
	return 0;
}

void scenario_free(struct scenario *sc)
{
	free(sc->sysctls);
	free(sc->axes);
	free(sc->overrides);
	free(sc->notes);
	free(sc->steps);
	sc->overrides = NULL;
	sc->noverrides = 0;
	sc->notes = NULL;
	sc->nnotes = 0;
	sc->sysctls = NULL;
	sc->axes = NULL;
	sc->steps = NULL;
	sc->nsysctls = sc->naxes = sc->nsteps = 0;
}

/* ---- variants ------------------------------------------------------------- */

static size_t families(const struct scenario *sc)
{
	return (size_t)sc->family4 + (size_t)sc->family6;
}

size_t scenario_variants(const struct scenario *sc)
{
	size_t n = families(sc), i;

	for (i = 0; i < sc->naxes; i++)
		if (__builtin_mul_overflow(n, (size_t)sc->axes[i].nvalues, &n))
			return SIZE_MAX;
	return n;
}

void scenario_variant(const struct scenario *sc, size_t i, int *family, unsigned *axis_values,
                      char *name, size_t len)
{
	size_t nf = families(sc), k, n;
	size_t rest = i / nf;

	if (sc->naxes > SC_MAX_AXES)
		abort(); /* not a case the parser made: it bounds the axes */
	*family = !sc->family4 ? 6 : !sc->family6 ? 4 : (i % nf == 0 ? 4 : 6);
	snprintf(name, len, "ipv%d", *family);
	/* The last axis varies fastest. */
	for (k = sc->naxes; k-- > 0;) {
		axis_values[k] = (unsigned)(rest % sc->axes[k].nvalues);
		rest /= sc->axes[k].nvalues;
	}
	for (k = 0; k < sc->naxes; k++) {
		const char *nm = sc->axes[k].name, *last = strrchr(nm, '.');

		if (sc->axes[k].from_profile)
			continue;
		n = strlen(name);
		snprintf(name + n, len - n, "-%s%s%s=",
		         sc->axes[k].side == SIDE_BOTH ? "" : side_name(sc->axes[k].side),
		         sc->axes[k].side == SIDE_BOTH ? "" : ".", last ? last + 1 : nm);
		n = strlen(name);
		text_copy(name + n, len - n, sc->axes[k].values[axis_values[k]]);
	}
}
