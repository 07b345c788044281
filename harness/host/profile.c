// SPDX-License-Identifier: GPL-2.0-only
/* profile.c - sysctl profiles: parse, ask the kernel, apply to a case. */
#include "host/profile.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/infile.h"
#include "base/text.h"
#include "host/netns.h"
#include "host/sysctl.h"
#include "host/userns.h"

/* Keys Linux once had and removed: a profile naming them gets the history,
 * not "unknown key". */
static const struct {
	const char *key, *removed, *source;
} removed_keys[] = {
    {"net.ipv4.tcp_tw_recycle", "4.12",
     "4396e46187ca \"tcp: remove tcp_tw_recycle\"; tcp(7): Linux 2.4 to Linux 4.11"},
};

void profile_free(struct profile *pr)
{
	free(pr->lines);
	pr->lines = NULL;
	pr->n = 0;
}

static int add_line(struct profile *pr, struct profile_line *l, struct err *e)
{
	struct profile_line *n = realloc(pr->lines, (pr->n + 1) * sizeof(*n));

	if (!n)
		return err_set(e, ERR_SYSTEM, "out of memory");
	pr->lines = n;
	pr->lines[pr->n++] = *l;
	return 0;
}

/* One line: [-][client:|server:]KEY = VALUE.  @s is NUL-terminated. */
static int parse_line(struct profile *pr, const char *s, unsigned lineno, struct err *e)
{
	const char *file = pr->file, *p = s, *eq, *v, *end;
	struct profile_line l;
	char key[SC_KEY_MAX + 8];
	struct err e2;
	size_t klen, vlen;

	memset(&l, 0, sizeof(l));
	l.line = lineno;
	l.side = SIDE_BOTH;
	while (isspace((unsigned char)*p))
		p++;
	if (!*p || *p == '#' || *p == ';')
		return 0;
	if (*p == '-') {
		l.may_fail = true;
		p++;
	}
	if (strncmp(p, "client:", 7) == 0) {
		l.side = SIDE_CLIENT;
		p += 7;
	} else if (strncmp(p, "server:", 7) == 0) {
		l.side = SIDE_SERVER;
		p += 7;
	}
	while (isspace((unsigned char)*p))
		p++;
	l.col = (unsigned)(p - s) + 1;
	eq = strchr(p, '=');
	if (!eq)
		return err_at(e, file, lineno, (unsigned)strlen(s) + 1,
		              "expected 'key = value' (sysctl.conf syntax)");
	end = eq;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	klen = (size_t)(end - p);
	if (klen == 0)
		return err_at(e, file, lineno, l.col, "expected a sysctl key before '='");
	if (klen >= sizeof(key))
		return err_at(e, file, lineno, l.col, "sysctl key too long");
	memcpy(key, p, klen);
	key[klen] = '\0';
	if (strpbrk(key, "*?["))
		return err_at(e, file, lineno, l.col,
		              "'%s': patterns are not supported, name each key", key);
	if (sysctl_canonical(key, l.key, sizeof(l.key), &e2) < 0)
		return err_at(e, file, lineno, l.col, "%s", e2.msg);
	v = eq + 1;
	while (isspace((unsigned char)*v))
		v++;
	l.vcol = (unsigned)(v - s) + 1;
	vlen = strlen(v);
	while (vlen && isspace((unsigned char)v[vlen - 1]))
		vlen--;
	if (vlen == 0)
		return err_at(e, file, lineno, l.vcol, "%s: expected a value after '='", l.key);
	if (vlen >= sizeof(l.value))
		return err_at(e, file, lineno, l.vcol, "%s: value too long", l.key);
	memcpy(l.value, v, vlen);
	l.value[vlen] = '\0';
	{
		/* sysctl(8) would write the "comment" into the sysctl too. */
		const char *hash = strpbrk(l.value, "#;");

		if (hash)
			return err_at(e, file, lineno, l.vcol + (unsigned)(hash - l.value),
			              "sysctl.conf has no comments after a value: put it on a line "
			              "of its own");
	}
	return add_line(pr, &l, e);
}

int profile_parse(const char *text, size_t len, const char *file, struct profile *pr, struct err *e)
{
	size_t at = 0;
	unsigned lineno = 0;

	memset(pr, 0, sizeof(*pr));
	text_copy(pr->file, sizeof(pr->file), file);
	while (at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
		char *line;
		int r;

		lineno++;
		if (memchr(text + at, '\0', n)) {
			profile_free(pr);
			return err_at(e, file, lineno, 1, "a NUL byte: not a text file");
		}
		line = malloc(n + 1);
		if (!line) {
			profile_free(pr);
			return err_set(e, ERR_SYSTEM, "out of memory");
		}
		memcpy(line, text + at, n);
		line[n] = '\0';
		if (n && line[n - 1] == '\r')
			line[n - 1] = '\0';
		r = parse_line(pr, line, lineno, e);
		free(line);
		if (r < 0) {
			profile_free(pr);
			return -1;
		}
		at += n + (nl ? 1 : 0);
	}
	return 0;
}

int profile_load(const char *path, struct profile *pr, struct err *e)
{
	char *text;
	size_t len;
	int r;

	text = infile_read(path, 1 << 20, &len, e);
	if (!text)
		return -1;
	r = profile_parse(text, len, path, pr, e);
	free(text);
	return r;
}

/* Why @l cannot be applied in namespace @ns, or "" when it can. */
static void ask_kernel(int ns, const struct profile_line *l, char *why, size_t wlen)
{
	char path[512];
	struct err e2;
	size_t k;
	int fd;

	why[0] = '\0';
	if (sysctl_path(l->key, path, sizeof(path), &e2) < 0) {
		text_copy(why, wlen, e2.msg);
		return;
	}
	fd = netns_open(ns, path, O_WRONLY | O_CLOEXEC, &e2);
	if (fd < 0) {
		int in_ns = e2.errnum != ENOENT;

		/* /proc/sys here shows the namespace we run in: the host's. */
		if (in_ns || access(path, F_OK) == 0) {
			snprintf(why, wlen,
			         "%s is global on this kernel, not per network namespace: it "
			         "cannot be applied to the test endpoints alone (and the host is "
			         "never changed)",
			         l->key);
			return;
		}
		for (k = 0; k < sizeof(removed_keys) / sizeof(removed_keys[0]); k++) {
			if (strcmp(removed_keys[k].key, l->key) == 0) {
				snprintf(why, wlen,
				         "%s is absent on this kernel: removed in %s (%s)", l->key,
				         removed_keys[k].removed, removed_keys[k].source);
				return;
			}
		}
		/* In a user namespace (rootless, a container) the harness runs in
		 * a network namespace of its own or its container's, never the
		 * initial one, where a global sysctl would show. */
		if (userns_nested())
			snprintf(why, wlen,
			         "%s is in no network namespace here: global on this kernel, "
			         "or unknown (the initial network namespace, where a global "
			         "sysctl would show, cannot be seen from this user namespace)",
			         l->key);
		else
			snprintf(why, wlen, "unknown key %s: this kernel has no such sysctl",
			         l->key);
		return;
	}
	if (write(fd, l->value, strlen(l->value)) < 0)
		snprintf(why, wlen, "%s: the kernel rejects '%s': %s", l->key, l->value,
		         strerror(errno));
	close(fd);
}

int profile_check(struct profile *pr, struct err *e)
{
	int ns = netns_create(e);
	size_t i;

	if (ns < 0)
		return -1;
	sysctl_learn_host();
	for (i = 0; i < pr->n; i++) {
		struct profile_line *l = &pr->lines[i];
		char why[700];
		/* Before the kernel is asked: asking writes the value. */
		int h = sysctl_host_effect(l->key, l->value, why, sizeof(why));
		unsigned col;

		if (h == SYSCTL_CONFINED)
			ask_kernel(ns, l, why, sizeof(why));
		if (!why[0])
			continue;
		col = h == SYSCTL_HOST_VALUE || (h == SYSCTL_CONFINED && strstr(why, "rejects"))
		          ? l->vcol
		          : l->col;
		if (l->may_fail) {
			l->skipped = true;
			text_copy(l->note, sizeof(l->note), why);
			continue;
		}
		close(ns);
		return err_at(e, pr->file, l->line, col, "%s", why);
	}
	close(ns);
	return 0;
}

int profile_defaults(const struct profile *pr, struct profile *out, struct err *e)
{
	int ns = netns_create(e);
	size_t i;

	if (ns < 0)
		return -1;
	memset(out, 0, sizeof(*out));
	snprintf(out->file, sizeof(out->file), "kernel defaults");
	for (i = 0; i < pr->n; i++) {
		struct profile_line l = pr->lines[i];
		char v[SYSCTL_VALUE_MAX];

		if (l.skipped)
			continue;
		if (sysctl_read(ns, l.key, v, sizeof(v), e) != SYSCTL_OK) {
			close(ns);
			profile_free(out);
			return err_set(e, ERR_ENV, "reading the default of %s failed", l.key);
		}
		text_copy(l.value, sizeof(l.value), v);
		if (add_line(out, &l, e) < 0) {
			close(ns);
			profile_free(out);
			return -1;
		}
	}
	close(ns);
	return 0;
}

int profile_apply(const struct profile *pr, struct scenario *sc, struct err *e)
{
	size_t i, k;

	for (i = 0; i < pr->n; i++) {
		const struct profile_line *l = &pr->lines[i];
		struct sc_sysctl *o;

		if (l->skipped)
			continue;
		for (k = 0; k < sc->naxes; k++) {
			struct sc_axis *a = &sc->axes[k];

			if (!a->is_sysctl || strcmp(a->name, l->key) != 0)
				continue;
			if (l->side != SIDE_BOTH && l->side != a->side)
				continue; /* the axis still varies its other side */
			text_copy(a->values[0], sizeof(a->values[0]), l->value);
			a->nvalues = 1;
			a->from_profile = true;
		}
		o = realloc(sc->overrides, (sc->noverrides + 1) * sizeof(*o));
		if (!o)
			return err_set(e, ERR_SYSTEM, "out of memory");
		sc->overrides = o;
		o = &sc->overrides[sc->noverrides++];
		memset(o, 0, sizeof(*o));
		o->side = l->side;
		o->line = l->line;
		text_copy(o->key, sizeof(o->key), l->key);
		text_copy(o->value, sizeof(o->value), l->value);
	}
	return 0;
}

json_t *profile_json(const struct profile *pr)
{
	json_t *o = json_object(), *lines = json_array();
	size_t i;

	json_object_set_new(o, "file", json_string(pr->file));
	for (i = 0; i < pr->n; i++) {
		const struct profile_line *l = &pr->lines[i];
		json_t *x = json_object();

		json_object_set_new(x, "line", json_integer(l->line));
		json_object_set_new(x, "side", json_string(side_name(l->side)));
		json_object_set_new(x, "key", json_string(l->key));
		json_object_set_new(x, "value", json_string(l->value));
		json_object_set_new(x, "skipped", l->skipped ? json_string(l->note) : json_null());
		json_array_append_new(lines, x);
	}
	json_object_set_new(o, "lines", lines);
	return o;
}

void profile_print_skipped(const struct profile *pr, FILE *f)
{
	size_t i;

	for (i = 0; i < pr->n; i++)
		if (pr->lines[i].skipped)
			fprintf(f, "%s:%u: skipped ('-'): %s\n", pr->file, pr->lines[i].line,
			        pr->lines[i].note);
}
