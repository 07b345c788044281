// SPDX-License-Identifier: GPL-2.0-only
/* debindex.c - Debian kernel packages from apt's output: version order,
 * madison and show parsed, kernels and their layouts. */
#include "vm/debindex.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/array.h"
#include "base/text.h"

/* ---- versions ---- */

/* dpkg's order of a non-digit: '~' first, then the end, letters, others. */
static int order(int c)
{
	if (isdigit(c))
		return 0;
	if (isalpha(c))
		return c;
	if (c == '~')
		return -1;
	if (c)
		return c + 256;
	return 0;
}

/* dpkg's verrevcmp(): alternate non-digit and digit runs. */
static int verrevcmp(const char *a, const char *b)
{
	while (*a || *b) {
		int first_diff = 0;

		while ((*a && !isdigit((unsigned char)*a)) || (*b && !isdigit((unsigned char)*b))) {
			int ac = order((unsigned char)*a), bc = order((unsigned char)*b);

			if (ac != bc)
				return ac - bc;
			a++;
			b++;
		}
		while (*a == '0')
			a++;
		while (*b == '0')
			b++;
		while (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			if (!first_diff)
				first_diff = *a - *b;
			a++;
			b++;
		}
		if (isdigit((unsigned char)*a))
			return 1;
		if (isdigit((unsigned char)*b))
			return -1;
		if (first_diff)
			return first_diff;
	}
	return 0;
}

struct debver {
	unsigned long epoch;
	char upstream[DEB_VER_MAX], revision[DEB_VER_MAX];
};

static void debver_split(const char *v, struct debver *d)
{
	const char *colon = strchr(v, ':'), *dash;
	size_t n;

	d->epoch = 0;
	if (colon) {
		d->epoch = strtoul(v, NULL, 10);
		v = colon + 1;
	}
	dash = strrchr(v, '-');
	n = dash ? (size_t)(dash - v) : strlen(v);
	if (n >= sizeof(d->upstream))
		n = sizeof(d->upstream) - 1;
	memcpy(d->upstream, v, n);
	d->upstream[n] = '\0';
	text_copy(d->revision, sizeof(d->revision), dash ? dash + 1 : "");
}

int debver_cmp(const char *a, const char *b)
{
	struct debver x, y;
	int r;

	debver_split(a, &x);
	debver_split(b, &y);
	if (x.epoch != y.epoch)
		return x.epoch < y.epoch ? -1 : 1;
	r = verrevcmp(x.upstream, y.upstream);
	return r ? r : verrevcmp(x.revision, y.revision);
}

bool deb_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 2 || n >= DEB_NAME_MAX ||
	    !(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    !strchr("+.-", *s))
			return false;
	return true;
}

bool deb_version_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= DEB_VER_MAX || !isdigit((unsigned char)s[0]))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr(".+~:-", *s))
			return false;
	return true;
}

/* ---- names ---- */

const char *deb_part_abi(const char *pkg, const char **kind)
{
	static const char *const kinds[] = {"image", "binary", "modules", "base"};
	size_t i;

	if (strncmp(pkg, "linux-", 6) != 0)
		return NULL;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t k = strlen(kinds[i]);

		if (strncmp(pkg + 6, kinds[i], k) == 0 && pkg[6 + k] == '-' &&
		    isdigit((unsigned char)pkg[6 + k + 1])) {
			if (kind)
				*kind = kinds[i];
			return pkg + 6 + k + 1;
		}
	}
	return NULL;
}

const char *deb_kernel_abi(const char *pkg, const char *flavour, const char **kind)
{
	size_t plen = strlen(pkg), flen = strlen(flavour);
	const char *abi = deb_part_abi(pkg, kind), *p;

	if (!abi || flen == 0 || (size_t)(abi - pkg) + flen + 1 >= plen)
		return NULL;
	if (strcmp(pkg + plen - flen, flavour) != 0 || pkg[plen - flen - 1] != '-')
		return NULL;
	/* No other flavour inside: "-cloud", "-rt" are '-' then a letter. */
	for (p = abi; p < pkg + plen - flen - 1; p++)
		if (*p == '-' && isalpha((unsigned char)p[1]))
			return NULL;
	return abi;
}

int deb_image_match(const char *pkg, const char *version, const char *flavour)
{
	const char *kind, *abi = deb_kernel_abi(pkg, flavour, &kind);
	size_t vlen = strlen(version);

	if (!abi || strcmp(kind, "image") != 0 || strncmp(abi, version, vlen) != 0)
		return 0;
	/* The ABI goes on with a separator, or is the version and the flavour. */
	return abi[vlen] == '.' || abi[vlen] == '-' || abi[vlen] == '+';
}

/* Does package version @v ("6.1.192-3") match @want ("6.1", "6.1.192")? */
static bool version_match(const char *v, const char *want)
{
	size_t n = strlen(want);

	return strncmp(v, want, n) == 0 && (v[n] == '\0' || strchr(".-+~", v[n]));
}

/* ---- the index ---- */

static struct deb_pkg *find(struct deb_index *ix, const char *name, const char *version)
{
	size_t i;

	for (i = 0; i < ix->n; i++)
		if (strcmp(ix->pkgs[i].name, name) == 0 &&
		    strcmp(ix->pkgs[i].version, version) == 0)
			return &ix->pkgs[i];
	return NULL;
}

const struct deb_pkg *deb_index_find(const struct deb_index *ix, const char *name,
                                     const char *version)
{
	return find((struct deb_index *)ix, name, version);
}

void deb_index_free(struct deb_index *ix)
{
	free(ix->pkgs);
	memset(ix, 0, sizeof(*ix));
}

bool deb_in_suite(const struct deb_pkg *p, const char *suite)
{
	size_t n = strlen(suite);
	const char *s = p->suites;

	while ((s = strstr(s, suite))) {
		if ((s == p->suites || s[-1] == ' ') && (s[n] == '\0' || s[n] == ' '))
			return true;
		s += n;
	}
	return false;
}

static int add_suite(struct deb_pkg *p, const char *suite)
{
	size_t len = strlen(p->suites);

	if (deb_in_suite(p, suite))
		return 0;
	if (len + 1 + strlen(suite) >= sizeof(p->suites))
		return -1;
	snprintf(p->suites + len, sizeof(p->suites) - len, "%s%s", len ? " " : "", suite);
	return 0;
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

static bool suite_ok(const char *s)
{
	if (!*s || strlen(s) >= 64)
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && !strchr("-.", *s))
			return false;
	return true;
}

/* " NAME | VERSION | URI SUITE/COMPONENT ARCH Packages": 0, or -1 when the
 * line is not one. */
static int madison_line(char *line, char **name, char **version, char **suite)
{
	char *bar1 = strchr(line, '|'), *bar2, *w, *save = NULL, *words[5];
	int n = 0;

	if (!bar1 || !(bar2 = strchr(bar1 + 1, '|')) || strchr(bar2 + 1, '|'))
		return -1;
	*bar1 = *bar2 = '\0';
	*name = trim(line);
	*version = trim(bar1 + 1);
	for (w = strtok_r(bar2 + 1, " \t", &save); w && n < 5; w = strtok_r(NULL, " \t", &save))
		words[n++] = w;
	if (n != 4 || strcmp(words[3], "Packages") != 0)
		return -1;
	*suite = words[1];
	(*suite)[strcspn(*suite, "/")] = '\0';
	if (!deb_name_ok(*name) || !deb_version_ok(*version) || !suite_ok(*suite))
		return -1;
	return 0;
}

int deb_index_madison(struct deb_index *ix, const char *text, struct err *e)
{
	char *copy, *line, *save = NULL;
	int r = 0;

	if (strlen(text) > DEB_TEXT_MAX)
		return err_set(e, ERR_ENV, "apt-cache madison: more than %u bytes", DEB_TEXT_MAX);
	if (!(copy = strdup(text)))
		return err_sys(e, "reading apt-cache madison");
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *name, *version, *suite;
		struct deb_pkg *p;

		if (madison_line(line, &name, &version, &suite) < 0)
			continue;
		if (!(p = find(ix, name, version))) {
			if (ix->n == DEB_INDEX_MAX) {
				r = err_set(e, ERR_ENV, "apt lists more than %d kernel packages",
				            DEB_INDEX_MAX);
				break;
			}
			if (ARRAY_RESERVE(&ix->pkgs, &ix->cap, ix->n + 1, 64)) {
				r = err_sys(e, "reading apt-cache madison");
				break;
			}
			p = &ix->pkgs[ix->n++];
			memset(p, 0, sizeof(*p));
			text_copy(p->name, sizeof(p->name), name);
			text_copy(p->version, sizeof(p->version), version);
		}
		add_suite(p, suite); /* a package in more suites than fit: the first ones */
	}
	free(copy);
	return r;
}

/* One item of a Depends line, "NAME (= VERSION)" or "NAME": into @d (the
 * version "" when none or not "="); -1 when it is no such item. */
static int dep_item(char *item, struct deb_dep *d)
{
	char *paren, *v;

	item = trim(item);
	if (strchr(item, '|'))
		return -1;
	paren = strchr(item, '(');
	d->version[0] = '\0';
	if (paren) {
		*paren = '\0';
		v = trim(paren + 1);
		if (v[0] == '=' && v[1] == ' ') {
			v = trim(v + 2);
			v[strcspn(v, ") ")] = '\0';
			if (!deb_version_ok(v))
				return -1;
			text_copy(d->version, sizeof(d->version), v);
		}
	}
	item = trim(item);
	item[strcspn(item, ": ")] = '\0'; /* an architecture qualifier */
	if (!deb_name_ok(item))
		return -1;
	text_copy(d->name, sizeof(d->name), item);
	return 0;
}

void deb_depends(struct deb_pkg *p, char *line)
{
	const char *abi = deb_part_abi(p->name, NULL);
	char *item, *save = NULL;

	p->ndeps = 0;
	p->meta = false;
	if (!abi)
		return;
	for (item = strtok_r(line, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		struct deb_dep d;
		const char *kind, *dabi;

		if (dep_item(item, &d) < 0 || !(dabi = deb_part_abi(d.name, &kind)))
			continue;
		if (strcmp(kind, "image") == 0) {
			p->meta = p->meta || strcmp(dabi, abi) != 0;
			continue;
		}
		if (strcmp(dabi, abi) != 0 || p->ndeps == DEB_DEPS_MAX)
			continue;
		if (!d.version[0])
			text_copy(d.version, sizeof(d.version), p->version);
		p->deps[p->ndeps++] = d;
	}
}

/* A field "Name: value" of a stanza line, or NULL. */
static char *field(char *line, const char *name)
{
	size_t n = strlen(name);

	if (strncasecmp(line, name, n) != 0 || line[n] != ':')
		return NULL;
	return trim(line + n + 1);
}

struct stanza {
	char name[DEB_NAME_MAX], version[DEB_VER_MAX], sha256[65];
	long long size;
	char *depends; /* inside the text being parsed, or NULL */
};

static void stanza_end(struct deb_index *ix, struct stanza *s)
{
	struct deb_pkg *p = s->name[0] && s->version[0] ? find(ix, s->name, s->version) : NULL;

	if (p) {
		p->size = s->size;
		text_copy(p->sha256, sizeof(p->sha256), s->sha256);
		if (s->depends)
			deb_depends(p, s->depends);
	}
	memset(s, 0, sizeof(*s));
}

static bool hex64(const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return s[64] == '\0';
}

int deb_index_show(struct deb_index *ix, const char *text, struct err *e)
{
	struct stanza s;
	char *copy, *line, *next;

	if (strlen(text) > DEB_TEXT_MAX)
		return err_set(e, ERR_ENV, "apt-cache show: more than %u bytes", DEB_TEXT_MAX);
	if (!(copy = strdup(text)))
		return err_sys(e, "reading apt-cache show");
	memset(&s, 0, sizeof(s));
	for (line = copy; line; line = next) {
		char *v;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!*trim(line)) {
			stanza_end(ix, &s);
			continue;
		}
		if ((v = field(line, "Package")) && deb_name_ok(v))
			text_copy(s.name, sizeof(s.name), v);
		else if ((v = field(line, "Version")) && deb_version_ok(v))
			text_copy(s.version, sizeof(s.version), v);
		else if ((v = field(line, "Size")))
			s.size = strtoll(v, NULL, 10) > 0 ? strtoll(v, NULL, 10) : 0;
		else if ((v = field(line, "SHA256")) && hex64(v))
			text_copy(s.sha256, sizeof(s.sha256), v);
		else if ((v = field(line, "Depends")))
			s.depends = v;
	}
	stanza_end(ix, &s);
	free(copy);
	return 0;
}

/* ---- kernels ---- */

const char *deb_kernel_layout(const struct deb_kernel *k)
{
	int i;

	if (k->nparts <= 1 && !k->missing[0])
		return "classic";
	for (i = 0; i < k->parts[0]->ndeps; i++)
		if (strncmp(k->parts[0]->deps[i].name, "linux-binary-", 13) == 0)
			return "split";
	return "image+base";
}

static int newest_first(const void *a, const void *b)
{
	const struct deb_kernel *x = a, *y = b;
	int r = debver_cmp(y->parts[0]->version, x->parts[0]->version);

	return r ? r : strcmp(x->parts[0]->name, y->parts[0]->name);
}

static void resolve(const struct deb_index *ix, const struct deb_pkg *img, struct deb_kernel *k)
{
	int i;

	memset(k, 0, sizeof(*k));
	k->parts[k->nparts++] = img;
	for (i = 0; i < img->ndeps; i++) {
		const struct deb_pkg *p =
		    deb_index_find(ix, img->deps[i].name, img->deps[i].version);
		size_t len = strlen(k->missing);

		if (p) {
			k->parts[k->nparts++] = p;
			continue;
		}
		snprintf(k->missing + len, sizeof(k->missing) - len, "%s%s (= %s)", len ? ", " : "",
		         img->deps[i].name, img->deps[i].version);
	}
}

int deb_index_kernels(const struct deb_index *ix, const char *version, const char *flavour,
                      const char *suite, struct deb_kernel **out, size_t *n, struct err *e)
{
	size_t i;

	*out = NULL;
	*n = 0;
	for (i = 0; i < ix->n; i++) {
		const struct deb_pkg *p = &ix->pkgs[i];
		const char *kind;

		if (!deb_kernel_abi(p->name, flavour, &kind) || strcmp(kind, "image") != 0 ||
		    p->meta)
			continue;
		if (version && !deb_image_match(p->name, version, flavour) &&
		    !version_match(p->version, version))
			continue;
		if (suite && !deb_in_suite(p, suite))
			continue;
		if (!*out && !(*out = calloc(ix->n, sizeof(**out))))
			return err_sys(e, "listing Debian kernels");
		resolve(ix, p, &(*out)[(*n)++]);
	}
	if (*n)
		qsort(*out, *n, sizeof(**out), newest_first);
	return 0;
}
