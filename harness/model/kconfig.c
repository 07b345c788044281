// SPDX-License-Identifier: GPL-2.0-only
/* kconfig.c - a kernel's .config against fixtures/kernel/config. */
#include "model/kconfig.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/infile.h"
#include "base/text.h"

/* One line of @text at a time: [*p, end) without the newline. */
static bool next_line(const char **p, const char *end, const char **s, size_t *n)
{
	const char *nl;

	if (*p >= end)
		return false;
	*s = *p;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	*n = (size_t)((nl ? nl : end) - *p);
	*p = nl ? nl + 1 : end;
	return true;
}

/* "CONFIG_[A-Z0-9_]+" at @s: its length, 0 if none or too long. */
static size_t option_name(const char *s, size_t n)
{
	size_t i = 7;

	if (n < 8 || strncmp(s, "CONFIG_", 7) != 0)
		return 0;
	while (i < n && (isupper((unsigned char)s[i]) || isdigit((unsigned char)s[i]) ||
	                 s[i] == '_' || islower((unsigned char)s[i])))
		i++;
	return i == 7 || i >= KCONFIG_NAME_MAX ? 0 : i;
}

static int add_opt(struct kconfig *kc, const char *name, size_t nlen, const char *val, size_t vlen,
                   const char *file, unsigned line, struct err *e)
{
	struct kconfig_opt *o;

	if (kc->n >= KCONFIG_MAX_OPTIONS)
		return err_at(e, file, line, 1, "more than %d options", KCONFIG_MAX_OPTIONS);
	if (kc->n % 256 == 0) {
		o = realloc(kc->opts, (kc->n + 256) * sizeof(*o));
		if (!o)
			return err_set(e, ERR_SYSTEM, "out of memory reading %s", file);
		kc->opts = o;
	}
	o = &kc->opts[kc->n++];
	memcpy(o->name, name, nlen);
	o->name[nlen] = '\0';
	if (vlen >= sizeof(o->value))
		vlen = sizeof(o->value) - 1; /* long strings: only y/m/n are ever compared */
	memcpy(o->value, val, vlen);
	o->value[vlen] = '\0';
	return 0;
}

int kconfig_parse(const char *text, size_t len, const char *file, struct kconfig *kc, struct err *e)
{
	const char *p = text, *end = text + len, *s;
	unsigned line = 0;
	size_t n, nl;

	memset(kc, 0, sizeof(*kc));
	while (next_line(&p, end, &s, &n)) {
		line++;
		if (n == 0)
			continue;
		if (s[0] == '#')
			continue; /* comments, and "# CONFIG_X is not set" */
		nl = option_name(s, n);
		if (!nl || nl >= n || s[nl] != '=') {
			kconfig_free(kc);
			return err_at(e, file, line, (unsigned)(nl ? nl + 1 : 1),
			              "not a kernel configuration line (CONFIG_NAME=value)");
		}
		if (add_opt(kc, s, nl, s + nl + 1, n - nl - 1, file, line, e) < 0) {
			kconfig_free(kc);
			return -1;
		}
	}
	return 0;
}

void kconfig_free(struct kconfig *kc)
{
	free(kc->opts);
	kc->opts = NULL;
	kc->n = 0;
}

const char *kconfig_get(const struct kconfig *kc, const char *name)
{
	for (size_t i = 0; i < kc->n; i++)
		if (strcmp(kc->opts[i].name, name) == 0)
			return kc->opts[i].value;
	return NULL;
}

static const struct {
	const char *word;
	enum kneed need;
} needs[] = {
    {"harness:", KNEED_HARNESS},           {"guest:", KNEED_GUEST},
    {"observations:", KNEED_OBSERVATIONS}, {"cases:", KNEED_CASES},
    {"optional:", KNEED_OPTIONAL},
};

static const char *skip_space(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

/* "cases: a b (why)" after the word: the case names, then the rest. */
static int parse_cases(struct kfrag_entry *fe, const char *s, const char *end, const char *file,
                       const char *line0, struct err *e)
{
	for (;;) {
		const char *w;

		s = skip_space(s, end);
		if (s >= end || *s == '(')
			break;
		for (w = s; s < end && *s != ' ' && *s != '\t'; s++)
			if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
				return err_at(e, file, fe->line, (unsigned)(s - line0 + 1),
				              "a case name has letters, digits, '-' and '_'");
		if (fe->ncases >= KCONFIG_MAX_CASES || (size_t)(s - w) >= sizeof(fe->cases[0]))
			return err_at(e, file, fe->line, (unsigned)(w - line0 + 1),
			              "at most %d case names of 63 characters", KCONFIG_MAX_CASES);
		memcpy(fe->cases[fe->ncases], w, (size_t)(s - w));
		fe->cases[fe->ncases++][s - w] = '\0';
	}
	if (!fe->ncases)
		return err_at(e, file, fe->line, (unsigned)(s - line0 + 1),
		              "'cases:' names no case");
	return 0;
}

static int frag_line(struct kfrag_entry *fe, const char *s, size_t n, const char *file,
                     struct err *e)
{
	const char *end = s + n, *c;
	size_t nl = option_name(s, n), i;

	if (!nl || nl + 2 > n || s[nl] != '=' || (s[nl + 1] != 'y' && s[nl + 1] != 'm'))
		return err_at(e, file, fe->line, (unsigned)(nl ? nl + 1 : 1),
		              "expected CONFIG_NAME=y (or =m)");
	memcpy(fe->name, s, nl);
	fe->name[nl] = '\0';
	c = skip_space(s + nl + 2, end);
	if (c >= end || *c != '#')
		return err_at(e, file, fe->line, (unsigned)(c - s + 1),
		              "every option says who needs it: '# harness:', '# guest:', "
		              "'# observations:', '# cases: NAME...' or '# optional:'");
	c = skip_space(c + 1, end);
	for (i = 0; i < sizeof(needs) / sizeof(needs[0]); i++) {
		size_t wl = strlen(needs[i].word);

		if ((size_t)(end - c) >= wl && strncmp(c, needs[i].word, wl) == 0) {
			fe->need = needs[i].need;
			c += wl;
			if (fe->need == KNEED_CASES && parse_cases(fe, c, end, file, s, e) < 0)
				return -1;
			c = skip_space(c, end);
			while (end > c && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
				end--;
			n = (size_t)(end - c) < sizeof(fe->why) ? (size_t)(end - c)
			                                        : sizeof(fe->why) - 1;
			memcpy(fe->why, c, n);
			fe->why[n] = '\0';
			return 0;
		}
	}
	return err_at(e, file, fe->line, (unsigned)(c - s + 1),
	              "unknown need: say 'harness:', 'guest:', 'observations:', 'cases: NAME...' "
	              "or 'optional:'");
}

int kfrag_parse(const char *text, size_t len, const char *file, struct kfrag *f, struct err *e)
{
	const char *p = text, *end = text + len, *s;
	unsigned line = 0;
	size_t n;

	memset(f, 0, sizeof(*f));
	while (next_line(&p, end, &s, &n)) {
		struct kfrag_entry *fe;
		const char *t = skip_space(s, s + n);

		line++;
		if (t == s + n || *t == '#')
			continue;
		if (f->n >= 512) {
			kfrag_free(f);
			return err_at(e, file, line, 1, "more than 512 options");
		}
		fe = realloc(f->entries, (f->n + 1) * sizeof(*fe));
		if (!fe) {
			kfrag_free(f);
			return err_set(e, ERR_SYSTEM, "out of memory reading %s", file);
		}
		f->entries = fe;
		fe = &f->entries[f->n];
		memset(fe, 0, sizeof(*fe));
		fe->line = line;
		if (frag_line(fe, s, n, file, e) < 0) {
			kfrag_free(f);
			return -1;
		}
		f->n++;
	}
	return 0;
}

void kfrag_free(struct kfrag *f)
{
	free(f->entries);
	f->entries = NULL;
	f->n = 0;
}

bool kfrag_lacks(const struct kfrag_entry *fe, const struct kconfig *kc, bool modules)
{
	const char *v = kconfig_get(kc, fe->name);

	return !v || !(strcmp(v, "y") == 0 || (modules && strcmp(v, "m") == 0));
}

static void append(char *out, size_t len, size_t *used, const char *fmt, const char *a,
                   const char *b)
{
	int w;

	if (*used >= len)
		return;
	w = snprintf(out + *used, len - *used, fmt, a, b);
	if (w > 0)
		*used += (size_t)w < len - *used ? (size_t)w : len - *used;
}

size_t kfrag_blocking(const struct kfrag *f, const struct kconfig *kc, bool modules, bool vm,
                      char *out, size_t len)
{
	size_t count = 0, used = 0;

	if (len)
		out[0] = '\0';
	for (size_t i = 0; i < f->n; i++) {
		const struct kfrag_entry *fe = &f->entries[i];

		if (fe->need == KNEED_CASES || fe->need == KNEED_OPTIONAL ||
		    (fe->need == KNEED_GUEST && !vm) || !kfrag_lacks(fe, kc, modules))
			continue;
		append(out, len, &used, count ? ", %s (%s)" : "%s (%s)", fe->name, fe->why);
		count++;
	}
	return count;
}

const char *kfrag_case_skip(const struct kfrag *f, const struct kconfig *kc, bool modules,
                            const char *name, char *buf, size_t len)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct kfrag_entry *fe = &f->entries[i];

		if (fe->need != KNEED_CASES || !kfrag_lacks(fe, kc, modules))
			continue;
		for (unsigned c = 0; c < fe->ncases; c++)
			if (strcmp(fe->cases[c], name) == 0) {
				snprintf(buf, len, "the kernel lacks %s (%s)", fe->name, fe->why);
				return buf;
			}
	}
	return NULL;
}

int kconfig_load(const char *path, struct kconfig *kc, struct err *e)
{
	size_t len;
	char *text = infile_read(path, 4u << 20, &len, e);
	int r;

	memset(kc, 0, sizeof(*kc));
	if (!text)
		return -1;
	r = kconfig_parse(text, len, path, kc, e);
	free(text);
	return r;
}

int kfrag_load(const char *path, struct kfrag *f, struct err *e)
{
	size_t len;
	char *text = infile_read(path, 1u << 20, &len, e);
	int r;

	memset(f, 0, sizeof(*f));
	if (!text)
		return -1;
	r = kfrag_parse(text, len, path, f, e);
	free(text);
	return r;
}
