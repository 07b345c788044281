// SPDX-License-Identifier: GPL-2.0-only
/* mutant.c - mutation points in C function bodies, found on tokens. */
#include "bench/mutant.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MUTANTS_MAX 200000

static const char *const op_names[MOP_COUNT] = {"ror", "lcr", "aor", "crp", "neg", "sdl", "rvr"};
static const char *const outcome_names[MO_COUNT] = {"pending",    "killed",      "killed-crash",
                                                    "suspect",    "survived",    "not-compiled",
                                                    "equivalent", "out-of-scope"};

const char *mutant_op_name(enum mutant_op op)
{
	return op < MOP_COUNT ? op_names[op] : "?";
}

const char *mutant_outcome_name(enum mutant_outcome o)
{
	return o < MO_COUNT ? outcome_names[o] : "?";
}

int mutant_outcome_parse(const char *s)
{
	for (int i = 0; i < MO_COUNT; i++)
		if (strcmp(s, outcome_names[i]) == 0)
			return i;
	return -1;
}

double mutant_score(const struct mutant_tally *t)
{
	unsigned k = t->n[MO_KILLED] + t->n[MO_KILLED_CRASH], all = k + t->n[MO_SURVIVED];

	return all ? (double)k / all : -1;
}

double mutant_score_all(const struct mutant_tally *t)
{
	unsigned k = t->n[MO_KILLED] + t->n[MO_KILLED_CRASH],
	         all = k + t->n[MO_SURVIVED] + t->n[MO_OUT_OF_SCOPE];

	return all ? (double)k / all : -1;
}

/* ---- the significant tokens ---- */

/* A view of the file: tokens that are neither comments nor inside a
 * preprocessor directive, by index into toks. */
struct view {
	const char *text;
	const struct ctok *t; /* all tokens */
	size_t *sig;          /* indices of the significant ones */
	size_t n;
};

static const struct ctok *tk(const struct view *v, size_t i)
{
	return &v->t[v->sig[i]];
}

static bool is(const struct view *v, size_t i, const char *s)
{
	const struct ctok *t;
	size_t n = strlen(s);

	if (i >= v->n)
		return false;
	t = tk(v, i);
	return t->end - t->start == n && memcmp(v->text + t->start, s, n) == 0;
}

static bool is_kind(const struct view *v, size_t i, enum ctok_kind k)
{
	return i < v->n && tk(v, i)->kind == k;
}

static bool line_continues(const char *text, size_t len, size_t from)
{
	const char *nl = memchr(text + from, '\n', len - from);
	size_t e = nl ? (size_t)(nl - text) : len;

	while (e > from && (text[e - 1] == '\r' || text[e - 1] == ' ' || text[e - 1] == '\t'))
		e--;
	return e > from && text[e - 1] == '\\';
}

/* The offset where line @line (1-based) of @text starts, scanning from a known
 * (line, offset) pair. */
static size_t next_line_start(const char *text, size_t len, size_t from)
{
	const char *nl = memchr(text + from, '\n', len - from);

	return nl ? (size_t)(nl - text) + 1 : len;
}

static int view_build(struct view *v, const char *text, size_t len, const struct ctoks *toks,
                      struct err *e)
{
	size_t i = 0;

	v->text = text;
	v->t = toks->t;
	v->n = 0;
	v->sig = malloc((toks->n + 1) * sizeof(*v->sig));
	if (!v->sig)
		return err_set(e, ERR_SYSTEM, "out of memory");
	while (i < toks->n) {
		const struct ctok *t = &toks->t[i];

		if (t->kind == CTOK_COMMENT) {
			i++;
			continue;
		}
		/* '#' first on its line: a directive, to the end of its last
		 * backslash-continued line. */
		if (t->kind == CTOK_PUNCT && t->end - t->start == 1 && text[t->start] == '#' &&
		    (i == 0 || toks->t[i - 1].line < t->line)) {
			size_t at = t->start;
			unsigned last = t->line;

			while (line_continues(text, len, at)) {
				at = next_line_start(text, len, at);
				last++;
			}
			while (i < toks->n && toks->t[i].line <= last)
				i++;
			continue;
		}
		v->sig[v->n++] = i++;
	}
	return 0;
}

/* The index of the bracket matching the opener at @i, or v->n. */
static size_t match(const struct view *v, size_t i)
{
	int depth = 0;

	for (; i < v->n; i++) {
		if (is(v, i, "(") || is(v, i, "{") || is(v, i, "["))
			depth++;
		else if (is(v, i, ")") || is(v, i, "}") || is(v, i, "]"))
			if (--depth == 0)
				return i;
	}
	return v->n;
}

struct func {
	size_t name, open, close; /* token indices: name, body '{' and '}' */
};

/* The next function definition at top level from @i: NAME ( ... )
 * [ATTR ( ... )]... { ... }. */
static bool next_function(const struct view *v, size_t *i, struct func *f)
{
	while (*i < v->n) {
		size_t j = *i, k;

		if (is(v, j, "{")) { /* an initializer or a struct at top level */
			*i = match(v, j) + 1;
			continue;
		}
		if (!is_kind(v, j, CTOK_IDENT) || !is(v, j + 1, "(")) {
			(*i)++;
			continue;
		}
		k = match(v, j + 1) + 1;
		while (is_kind(v, k, CTOK_IDENT) && is(v, k + 1, "("))
			k = match(v, k + 1) + 1;
		if (!is(v, k, "{")) {
			*i = j + 1;
			continue;
		}
		f->name = j;
		f->open = k;
		f->close = match(v, k);
		*i = f->close + 1;
		return f->close < v->n;
	}
	return false;
}

static bool name_is(const struct view *v, size_t i, const char *name)
{
	return is(v, i, name);
}

int mutant_has_function(const char *text, const struct ctoks *toks, const char *name)
{
	struct view v;
	struct func f;
	struct err e;
	size_t i = 0;
	int found = 0;

	if (view_build(&v, text, strlen(text), toks, &e) < 0)
		return -1;
	while (!found && next_function(&v, &i, &f))
		found = name_is(&v, f.name, name);
	free(v.sig);
	return found;
}

/* ---- adding mutants ---- */

struct ctx {
	const struct view *v;
	const char *file;
	char function[64];
	struct mutants *out;
	struct err *e;
};

static void shorten(char *dst, const char *src, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 4 < MUTANT_TEXT_MAX; i++) {
		char c = src[i];

		if (c == '\n' || c == '\t' || c == '\r')
			c = ' ';
		if (c == ' ' && o && dst[o - 1] == ' ')
			continue;
		dst[o++] = c;
	}
	if (o + 4 >= MUTANT_TEXT_MAX && n > o) {
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o] = '\0';
}

/* A mutant at token @at: edits [(s0,e0)->r0, (s1,e1)->r1 when r1]. */
static int add(struct ctx *c, size_t at, enum mutant_op op, size_t s0, size_t e0, const char *r0,
               size_t s1, size_t e1, const char *r1, const char *tag)
{
	struct mutant *m;
	const struct ctok *t = tk(c->v, at);

	if (c->out->n >= MUTANTS_MAX)
		return err_set(c->e, ERR_INPUT, "more than %d mutants: choose fewer functions",
		               MUTANTS_MAX);
	if (c->out->n == c->out->cap) {
		size_t cap = c->out->cap ? c->out->cap * 2 : 256;
		struct mutant *nm = realloc(c->out->m, cap * sizeof(*nm));

		if (!nm)
			return err_set(c->e, ERR_SYSTEM, "out of memory");
		c->out->m = nm;
		c->out->cap = cap;
	}
	m = &c->out->m[c->out->n++];
	memset(m, 0, sizeof(*m));
	snprintf(m->file, sizeof(m->file), "%s", c->file);
	snprintf(m->function, sizeof(m->function), "%s", c->function);
	m->line = t->line;
	m->col = t->col;
	m->op = op;
	m->edit[0].start = s0;
	m->edit[0].end = e0;
	snprintf(m->edit[0].text, sizeof(m->edit[0].text), "%s", r0);
	m->nedits = 1;
	if (r1) {
		m->edit[1].start = s1;
		m->edit[1].end = e1;
		snprintf(m->edit[1].text, sizeof(m->edit[1].text), "%s", r1);
		m->nedits = 2;
	}
	shorten(m->before, c->v->text + s0, (r1 ? e1 : e0) - s0);
	if (r1)
		snprintf(m->after, sizeof(m->after), "%s...%s", r0, r1);
	else
		snprintf(m->after, sizeof(m->after), "%s", r0);
	snprintf(m->id, sizeof(m->id), "%s:%s:%u:%u:%s:%s", m->file, m->function, m->line, m->col,
	         mutant_op_name(op), tag ? tag : r0);
	return 0;
}

/* A token replaced by @r. */
static int replace(struct ctx *c, size_t i, enum mutant_op op, const char *r)
{
	const struct ctok *t = tk(c->v, i);

	return add(c, i, op, t->start, t->end, r, 0, 0, NULL, NULL);
}

static bool is_type_keyword(const struct view *v, size_t i)
{
	static const char *const kw[] = {"struct", "union",  "enum",   "const",      "volatile",
	                                 "int",    "char",   "long",   "short",      "unsigned",
	                                 "signed", "void",   "_Bool",  "static",     "register",
	                                 "inline", "extern", "typeof", "__typeof__", NULL};

	for (size_t k = 0; kw[k]; k++)
		if (is(v, i, kw[k]))
			return true;
	return false;
}

/* Is the operator at @i binary?  Its left is an operand: a name (not a
 * keyword), a literal, ')' or ']'. */
static bool binary(const struct view *v, size_t i)
{
	if (i == 0)
		return false;
	if (!(is_kind(v, i - 1, CTOK_IDENT) || is_kind(v, i - 1, CTOK_LITERAL) ||
	      is(v, i - 1, ")") || is(v, i - 1, "]")))
		return false;
	if (is(v, i, "*")) {
		/* "struct sock *sk", "u32 *p = ...", "(struct x *)": declarations
		 * and casts, not products. */
		if (is(v, i + 1, ")") || is(v, i + 1, "*") || is(v, i + 1, ","))
			return false;
		if (is_kind(v, i - 1, CTOK_IDENT) && i >= 2 &&
		    (is_type_keyword(v, i - 2) || is(v, i - 2, ";") || is(v, i - 2, "{") ||
		     is(v, i - 2, "}") || is(v, i - 2, "(") || is(v, i - 2, ",")) &&
		    is_kind(v, i + 1, CTOK_IDENT) &&
		    (is(v, i + 2, "=") || is(v, i + 2, ";") || is(v, i + 2, ",") ||
		     is(v, i + 2, ")") || is(v, i + 2, "[")))
			return false;
	}
	return true;
}

static int ror_lcr_aor(struct ctx *c, size_t i)
{
	static const char *const rel[] = {"<", "<=", ">", ">=", "==", "!="};
	static const char *const arith[][2] = {{"+", "-"},   {"-", "+"},   {"*", "/"},
	                                       {"/", "*"},   {"%", "*"},   {"<<", ">>"},
	                                       {">>", "<<"}, {"+=", "-="}, {"-=", "+="}};
	const struct view *v = c->v;

	for (size_t a = 0; a < 6; a++)
		if (is(v, i, rel[a])) {
			for (size_t b = 0; b < 6; b++)
				if (b != a && replace(c, i, MOP_ROR, rel[b]) < 0)
					return -1;
			return 0;
		}
	if (is(v, i, "&&"))
		return replace(c, i, MOP_LCR, "||");
	if (is(v, i, "||"))
		return replace(c, i, MOP_LCR, "&&");
	for (size_t a = 0; a < sizeof(arith) / sizeof(arith[0]); a++)
		if (is(v, i, arith[a][0]))
			return arith[a][0][1] == '=' || binary(v, i)
			           ? replace(c, i, MOP_AOR, arith[a][1])
			           : 0;
	return 0;
}

/* An integer literal: its value (suffixes U and L allowed). */
static bool int_literal(const struct view *v, size_t i, unsigned long long *val)
{
	const struct ctok *t = tk(v, i);
	char buf[40], *end;
	size_t n = t->end - t->start;

	if (t->kind != CTOK_LITERAL || n == 0 || n >= sizeof(buf) ||
	    !(v->text[t->start] >= '0' && v->text[t->start] <= '9'))
		return false;
	memcpy(buf, v->text + t->start, n);
	buf[n] = '\0';
	errno = 0;
	*val = strtoull(buf, &end, 0);
	if (errno || end == buf)
		return false;
	while (*end == 'u' || *end == 'U' || *end == 'l' || *end == 'L')
		end++;
	return *end == '\0';
}

static int crp(struct ctx *c, size_t i)
{
	unsigned long long v, cand[4];
	size_t n = 0;

	if (!int_literal(c->v, i, &v) || (i > 0 && is(c->v, i - 1, "case")))
		return 0;
	cand[n++] = 0;
	cand[n++] = 1;
	cand[n++] = v + 1;
	if (v > 0)
		cand[n++] = v - 1;
	for (size_t a = 0; a < n; a++) {
		char r[32];
		bool dup = cand[a] == v;

		for (size_t b = 0; b < a; b++)
			dup |= cand[b] == cand[a];
		if (dup)
			continue;
		snprintf(r, sizeof(r), "%llu", cand[a]);
		if (replace(c, i, MOP_CRP, r) < 0)
			return -1;
	}
	return 0;
}

static int neg(struct ctx *c, size_t i, size_t close)
{
	const struct view *v = c->v;
	size_t j;

	if (!(is(v, i, "if") || is(v, i, "while")) || !is(v, i + 1, "("))
		return 0;
	j = match(v, i + 1);
	if (j >= close)
		return 0;
	return add(c, i, MOP_NEG, tk(v, i + 1)->end, tk(v, i + 1)->end, "!(", tk(v, j)->start,
	           tk(v, j)->start, ")", "neg");
}

/* The ';' ending the statement starting at @i (depth 0), or @close. */
static size_t statement_end(const struct view *v, size_t i, size_t close, bool *block)
{
	*block = false;
	for (; i < close; i++) {
		if (is(v, i, ";"))
			return i;
		if (is(v, i, "{")) {
			*block = true;
			return close;
		}
		if (is(v, i, "(") || is(v, i, "["))
			i = match(v, i);
	}
	return close;
}

static bool assignment_op(const struct view *v, size_t i)
{
	static const char *const ops[] = {
	    "=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", NULL};

	for (size_t k = 0; ops[k]; k++)
		if (is(v, i, ops[k]))
			return true;
	return false;
}

/* Where statements start in the body (open, close): after '{', '}' and ';'
 * outside parentheses, after "else", after the condition of if, while, for
 * and switch, and after a case, default or goto label. */
static bool *statement_starts(const struct view *v, size_t open, size_t close)
{
	bool *st = calloc(close - open + 1, sizeof(*st));

	if (!st)
		return NULL;
	for (size_t i = open; i < close; i++) {
		size_t next = 0;

		if (is(v, i, "{") || is(v, i, "}") || is(v, i, ";") || is(v, i, "else")) {
			next = i + 1;
		} else if ((is(v, i, "if") || is(v, i, "while") || is(v, i, "for") ||
		            is(v, i, "switch")) &&
		           is(v, i + 1, "(")) {
			size_t j = match(v, i + 1);

			next = j + 1;
			if (is(v, i, "for"))
				i = j; /* its ';' do not start statements */
		} else if (is(v, i, "(") || is(v, i, "[")) {
			i = match(v, i);
		} else if (is(v, i, "case") || is(v, i, "default")) {
			size_t j = i;

			while (j < close && !is(v, j, ":"))
				j = is(v, j, "(") ? match(v, j) + 1 : j + 1;
			next = j + 1;
			i = j;
		} else if (i > open && st[i - open] && is_kind(v, i, CTOK_IDENT) &&
		           is(v, i + 1, ":")) {
			next = i + 2;
		}
		if (next > open && next < close)
			st[next - open] = true;
	}
	return st;
}

static int sdl(struct ctx *c, size_t i, size_t close, bool starts)
{
	const struct view *v = c->v;
	bool block, call = false, assign = false;
	size_t end;

	if (!starts)
		return 0;
	if (!is_kind(v, i, CTOK_IDENT) || is_kind(v, i + 1, CTOK_IDENT) || is(v, i + 1, ":") ||
	    (is(v, i + 1, "*") && is_kind(v, i + 2, CTOK_IDENT) &&
	     (is(v, i + 3, "=") || is(v, i + 3, ";"))))
		return 0; /* a declaration or a label */
	end = statement_end(v, i, close, &block);
	if (block || end >= close)
		return 0;
	for (size_t k = i; k < end; k++) {
		if (is(v, k, "(")) {
			call = true;
			k = match(v, k);
		} else if (is(v, k, "[")) {
			k = match(v, k);
		} else if (assignment_op(v, k)) {
			assign = true;
		}
	}
	if (!call && !assign)
		return 0;
	return add(c, i, MOP_SDL, tk(v, i)->start, tk(v, end)->end, ";", 0, 0, NULL, "sdl");
}

static int rvr(struct ctx *c, size_t i, size_t close)
{
	const struct view *v = c->v;
	bool block;
	size_t end;
	const char *r;

	if (!is(v, i, "return") || is(v, i + 1, ";"))
		return 0;
	end = statement_end(v, i + 1, close, &block);
	if (block || end >= close)
		return 0;
	r = end == i + 2 && (is(v, i + 1, "0") || is(v, i + 1, "false") || is(v, i + 1, "NULL"))
	        ? "1"
	        : "0";
	return add(c, i + 1, MOP_RVR, tk(v, i + 1)->start, tk(v, end - 1)->end, r, 0, 0, NULL,
	           NULL);
}

/* A compile-time assertion (BUILD_BUG_ON(...) and its kin, static_assert)
 * at @i: it generates no code, so a mutant inside it either fails to build
 * or builds the same kernel. */
static bool compile_time_assertion(const struct view *v, size_t i)
{
	static const char *const names[] = {"BUILD_BUG_ON",         "BUILD_BUG_ON_MSG",
	                                    "BUILD_BUG_ON_ZERO",    "BUILD_BUG_ON_NOT_POWER_OF_2",
	                                    "BUILD_BUG_ON_INVALID", "static_assert",
	                                    "_Static_assert",       NULL};

	if (!is_kind(v, i, CTOK_IDENT) || !is(v, i + 1, "("))
		return false;
	for (size_t k = 0; names[k]; k++)
		if (is(v, i, names[k]))
			return true;
	return false;
}

static int body(struct ctx *c, const struct func *f)
{
	bool *starts = statement_starts(c->v, f->open, f->close);
	int r = 0;

	if (!starts)
		return err_set(c->e, ERR_SYSTEM, "out of memory");
	for (size_t i = f->open + 1; i < f->close && r == 0; i++)
		if (compile_time_assertion(c->v, i))
			i = match(c->v, i + 1);
		else if (ror_lcr_aor(c, i) < 0 || crp(c, i) < 0 || neg(c, i, f->close) < 0 ||
		         sdl(c, i, f->close, starts[i - f->open]) < 0 || rvr(c, i, f->close) < 0)
			r = -1;
	free(starts);
	return r;
}

int mutant_find(const char *text, size_t len, const struct ctoks *toks, const char *file,
                const char *const *functions, struct mutants *out, struct err *e)
{
	struct view v;
	struct func f;
	struct ctx c = {.v = &v, .file = file, .out = out, .e = e};
	size_t i = 0;
	int r = 0;

	if (view_build(&v, text, len, toks, e) < 0)
		return -1;
	while (r == 0 && next_function(&v, &i, &f)) {
		const struct ctok *nt = tk(&v, f.name);
		size_t nl = nt->end - nt->start;
		bool want = !functions;

		for (size_t k = 0; functions && functions[k] && !want; k++)
			want = name_is(&v, f.name, functions[k]);
		if (!want || nl >= sizeof(c.function))
			continue;
		memcpy(c.function, text + nt->start, nl);
		c.function[nl] = '\0';
		r = body(&c, &f);
	}
	free(v.sig);
	return r;
}

void mutants_free(struct mutants *ms)
{
	free(ms->m);
	memset(ms, 0, sizeof(*ms));
}

char *mutant_apply(const char *text, size_t len, const struct mutant *m, size_t *outlen)
{
	size_t extra = 0, o = 0, at = 0;
	char *out;

	for (unsigned k = 0; k < m->nedits; k++)
		extra += strlen(m->edit[k].text);
	out = malloc(len + extra + 1);
	if (!out)
		return NULL;
	for (unsigned k = 0; k < m->nedits; k++) {
		const struct mutant_edit *ed = &m->edit[k];
		size_t n = strlen(ed->text);

		memcpy(out + o, text + at, ed->start - at);
		o += ed->start - at;
		memcpy(out + o, ed->text, n);
		o += n;
		at = ed->end;
	}
	memcpy(out + o, text + at, len - at);
	o += len - at;
	out[o] = '\0';
	*outlen = o;
	return out;
}

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

size_t mutant_sample(size_t n, size_t k, uint64_t seed, size_t *idx)
{
	uint64_t s = seed;

	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	if (k >= n)
		return n;
	for (size_t i = 0; i < k; i++) {
		/* Unbiased index in [i, n): rejection of the short last range. */
		uint64_t range = n - i, lim = UINT64_MAX - UINT64_MAX % range, r;
		size_t j, tmp;

		do
			r = splitmix64(&s);
		while (r >= lim);
		j = i + (size_t)(r % range);
		tmp = idx[i];
		idx[i] = idx[j];
		idx[j] = tmp;
	}
	qsort(idx, k, sizeof(*idx), cmp_size);
	return k;
}

/* ---- the scope file ---- */

static int scope_word(const char *s, size_t n, const char *file, unsigned line, size_t col,
                      bool path, struct err *e)
{
	if (n >= (path ? 128 : 64))
		return err_at(e, file, line, (unsigned)col, "name longer than %d characters",
		              path ? 127 : 63);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || (path && (c == '/' || c == '.' || c == '-'))))
			return err_at(e, file, line, (unsigned)(col + i), "unexpected '%c' in a %s",
			              c >= ' ' && c < 127 ? c : '?',
			              path ? "path" : "function name");
	}
	if (path &&
	    (n < 3 || strncmp(s + n - 2, ".c", 2) != 0 || s[0] == '/' || memmem(s, n, "..", 2)))
		return err_at(e, file, line, (unsigned)col,
		              "a C file relative to the kernel tree, without '..'");
	return 0;
}

int mscope_parse(const char *text, size_t len, const char *file, struct mscope *sc, struct err *e)
{
	const char *p = text, *end = text + len;
	unsigned line = 0;

	memset(sc, 0, sizeof(*sc));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end, *q = p;
		struct mscope_file *f = NULL;
		const char *ls = p;

		line++;
		p = nl ? nl + 1 : end;
		while (q < le) {
			const char *w;

			while (q < le && (*q == ' ' || *q == '\t' || *q == '\r'))
				q++;
			if (q >= le || *q == '#')
				break;
			for (w = q; q < le && *q != ' ' && *q != '\t' && *q != '\r'; q++)
				;
			if (scope_word(w, (size_t)(q - w), file, line, (size_t)(w - ls + 1), !f,
			               e) < 0)
				goto bad;
			if (!f) {
				struct mscope_file *nf;

				if (sc->n >= 256) {
					err_at(e, file, line, 1, "more than 256 files");
					goto bad;
				}
				nf = realloc(sc->files, (sc->n + 1) * sizeof(*nf));
				if (!nf) {
					err_set(e, ERR_SYSTEM, "out of memory");
					goto bad;
				}
				sc->files = nf;
				f = &sc->files[sc->n++];
				memset(f, 0, sizeof(*f));
				f->line = line;
				memcpy(f->path, w, (size_t)(q - w));
			} else {
				if (f->nfuncs >= MSCOPE_FUNCS) {
					err_at(e, file, line, (unsigned)(w - ls + 1),
					       "more than %d functions for one file", MSCOPE_FUNCS);
					goto bad;
				}
				memcpy(f->funcs[f->nfuncs++], w, (size_t)(q - w));
			}
		}
	}
	return 0;
bad:
	mscope_free(sc);
	return -1;
}

void mscope_free(struct mscope *s)
{
	free(s->files);
	memset(s, 0, sizeof(*s));
}

enum vm_failure mutant_vm_failure(const char *log, char *last, size_t len)
{
	const char *end = log + strlen(log), *l = end;

	while (l > log && (l[-1] == '\n' || l[-1] == ' '))
		l--;
	while (l > log && l[-1] != '\n')
		l--;
	snprintf(last, len, "%.*s", (int)strcspn(l, "\n"), l);
	if (strstr(log, "the guest kernel panicked") ||
	    strstr(log, "before the guest reached /init") ||
	    strstr(log, "the guest stopped before the run finished") ||
	    strstr(log, "its kernel reported a stall") ||
	    (strstr(log, " within ") && strstr(log, "last console line")))
		return VMF_CRASH;
	if (strstr(log, "tcpconform run in the guest exited"))
		return VMF_GUEST_RUN;
	return VMF_ENVIRONMENT;
}

json_t *mutant_results_json(const struct mutants *all, const size_t *pick,
                            const struct mutant_result *res, size_t n, struct mutant_tally *tally)
{
	json_t *ms = json_array();

	memset(tally, 0, sizeof(*tally));
	for (size_t k = 0; ms && k < n; k++) {
		const struct mutant *m = &all->m[pick[k]];
		json_t *o = json_object();

		tally->n[res[k].outcome < MO_COUNT ? res[k].outcome : MO_PENDING]++;
		json_object_set_new(o, "id", json_string(m->id));
		json_object_set_new(o, "file", json_string(m->file));
		json_object_set_new(o, "function", json_string(m->function));
		json_object_set_new(o, "line", json_integer(m->line));
		json_object_set_new(o, "col", json_integer(m->col));
		json_object_set_new(o, "operator", json_string(mutant_op_name(m->op)));
		json_object_set_new(o, "before", json_string(m->before));
		json_object_set_new(o, "after", json_string(m->after));
		json_object_set_new(o, "outcome", json_string(mutant_outcome_name(res[k].outcome)));
		json_object_set_new(o, "detail", json_string(res[k].detail));
		json_object_set_new(o, "failure", json_string(res[k].failure));
		json_object_set_new(o, "build_s", json_real(res[k].build_s));
		json_object_set_new(o, "run_s", json_real(res[k].run_s));
		json_array_append_new(ms, o);
	}
	return ms;
}

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

size_t mutant_results_resume(json_t *array, const struct mutants *all, const size_t *pick,
                             struct mutant_result *res, size_t n)
{
	json_t *o;
	size_t i, done = 0;

	json_array_foreach(array, i, o)
	{
		int out = mutant_outcome_parse(jstr(o, "outcome"));

		if (out <= MO_PENDING)
			continue;
		for (size_t k = 0; k < n; k++) {
			if (strcmp(all->m[pick[k]].id, jstr(o, "id")) != 0 ||
			    res[k].outcome != MO_PENDING)
				continue;
			res[k].outcome = (enum mutant_outcome)out;
			snprintf(res[k].detail, sizeof(res[k].detail), "%s", jstr(o, "detail"));
			snprintf(res[k].failure, sizeof(res[k].failure), "%s", jstr(o, "failure"));
			res[k].build_s = json_number_value(json_object_get(o, "build_s"));
			res[k].run_s = json_number_value(json_object_get(o, "run_s"));
			done++;
		}
	}
	return done;
}
