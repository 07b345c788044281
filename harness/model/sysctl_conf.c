// SPDX-License-Identifier: GPL-2.0-only
/* sysctl_conf.c - the lines of a sysctl.conf (sysctl.d(5), sysctl.conf(5)). */
#include "model/sysctl_conf.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "base/text.h"

/* A problem at column @col: the line is kept, as no setting. */
static void problem(struct sysctl_entry *l, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void problem(struct sysctl_entry *l, unsigned col, const char *fmt, ...)
{
	va_list ap;

	l->pcol = col;
	va_start(ap, fmt);
	vsnprintf(l->problem, sizeof(l->problem), fmt, ap);
	va_end(ap);
}

/* [-][client:|server:] at @p; returns what follows. */
static const char *prefixes(struct sysctl_entry *l, const char *p)
{
	if (*p == '-') {
		l->may_fail = true;
		p++;
	}
	if (strncmp(p, "client:", 7) == 0) {
		l->side = SIDE_CLIENT;
		p += 7;
	} else if (strncmp(p, "server:", 7) == 0) {
		l->side = SIDE_SERVER;
		p += 7;
	}
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

/* The key from @p to @end (trimmed), normalized into l->key; false with
 * the problem set when it is none. */
static bool take_key(struct sysctl_entry *l, const char *p, const char *end)
{
	char key[SC_KEY_MAX + 8];
	struct err e2;
	size_t klen;

	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	klen = (size_t)(end - p);
	if (klen == 0) {
		problem(l, l->col, "expected a sysctl key before '='");
		return false;
	}
	if (klen >= SC_KEY_MAX) {
		snprintf(l->key, sizeof(l->key), "%.*s...", SC_KEY_MAX - 8, p);
		problem(l, l->col, "sysctl key too long");
		return false;
	}
	memcpy(key, p, klen);
	key[klen] = '\0';
	text_copy(l->key, sizeof(l->key), key);
	if (sysctl_normalize(key, l->key, sizeof(l->key), &e2) < 0) {
		text_copy(l->key, sizeof(l->key), key);
		problem(l, l->col, "%s", e2.msg);
		return false;
	}
	l->glob = sysctl_is_glob(l->key);
	return true;
}

/* The value from @v on (trimmed), into l->value. */
static void take_value(struct sysctl_entry *l, const char *s, const char *v)
{
	size_t vlen;
	const char *hash;

	while (isspace((unsigned char)*v))
		v++;
	l->vcol = (unsigned)(v - s) + 1;
	vlen = strlen(v);
	while (vlen && isspace((unsigned char)v[vlen - 1]))
		vlen--;
	snprintf(l->value, sizeof(l->value), "%.*s", (int)vlen, v);
	/* Only a network setting is written: what is wrong with the value of
	 * another one does not matter (it is listed as not net.* first). */
	if (!sysctl_is_net(l->key))
		return;
	if (vlen == 0) {
		problem(l, l->vcol, "%s: expected a value after '='", l->key);
		return;
	}
	if (vlen >= sizeof(l->value)) {
		problem(l, l->vcol, "%s: value too long", l->key);
		return;
	}
	/* sysctl(8) would write the "comment" into the sysctl too. */
	hash = strpbrk(l->value, "#;");
	if (hash)
		problem(l, l->vcol + (unsigned)(hash - l->value),
		        "sysctl.conf has no comments after a value: put it on a line of its own");
}

/* One line, NUL-terminated: appended when it is not blank or a comment. */
static int parse_line(const char *s, unsigned lineno, struct sysctl_entry *l)
{
	const char *p = s, *eq;

	memset(l, 0, sizeof(*l));
	l->line = lineno;
	l->side = SIDE_BOTH;
	while (isspace((unsigned char)*p))
		p++;
	if (!*p || *p == '#' || *p == ';')
		return 0;
	p = prefixes(l, p);
	l->col = (unsigned)(p - s) + 1;
	eq = strchr(p, '=');
	if (!eq) {
		/* systemd-sysctl (v245): "-KEY" keeps KEY out of every glob. */
		if (l->may_fail && *p && take_key(l, p, p + strlen(p))) {
			l->exclude = true;
			l->may_fail = false;
			return 1;
		}
		if (!l->problem[0]) {
			snprintf(l->key, sizeof(l->key), "%.*s", (int)strcspn(p, " \t"), p);
			problem(l, (unsigned)strlen(s) + 1,
			        "expected 'key = value' (sysctl.conf syntax)");
		}
		return 1;
	}
	if (take_key(l, p, eq))
		take_value(l, s, eq + 1);
	return 1;
}

int sysctl_conf_parse(const char *text, size_t len, const char *file, unsigned fileidx, size_t max,
                      struct sysctl_entries *to, struct err *e)
{
	size_t at = 0;
	unsigned lineno = 0;

	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t ln = nl ? (size_t)(nl - (text + at)) : len - at;
		struct sysctl_entry l;
		char *line;
		int r;

		lineno++;
		if (memchr(text + at, '\0', ln))
			return err_at(e, file, lineno, 1, "a NUL byte: not a text file");
		line = malloc(ln + 1);
		if (!line)
			return err_set(e, ERR_SYSTEM, "out of memory");
		memcpy(line, text + at, ln);
		line[ln] = '\0';
		if (ln && line[ln - 1] == '\r')
			line[ln - 1] = '\0';
		r = parse_line(line, lineno, &l);
		free(line);
		at += ln + (nl ? 1 : 0);
		if (!r)
			continue;
		if (to->n >= max)
			return err_at(e, file, lineno, 1,
			              "more than %zu settings in the profile's files: not a "
			              "sysctl configuration tcpconform takes",
			              max);
		if (ARRAY_RESERVE(&to->v, &to->cap, to->n + 1, 16) < 0)
			return err_set(e, ERR_SYSTEM, "out of memory");
		l.file = fileidx;
		to->v[to->n++] = l;
	}
	return 0;
}
