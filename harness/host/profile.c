// SPDX-License-Identifier: GPL-2.0-only
/* profile.c - sysctl profiles: their files, their settings, applying them
 * to a case.  The kernel is asked about them in profile_check.c. */
#include "host/profile.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/infile.h"
#include "base/text.h"
#include "model/sysctl_facts.h"

const char *pstate_name(enum pstate s)
{
	static const char *const names[PS_NSTATES] = {
	    "applied",   "overridden", "exclude", "syntax",   "not-net", "global",
	    "read-only", "interface",  "absent",  "rejected", "host",    "no-match",
	};

	return s < PS_NSTATES ? names[s] : "?";
}

void profile_free(struct profile *pr)
{
	size_t i;

	for (i = 0; pr->lines && i < pr->n; i++)
		free(pr->lines[i].skip);
	free(pr->lines);
	free(pr->files);
	pr->lines = NULL;
	pr->files = NULL;
	pr->n = pr->nfiles = 0;
}

const char *profile_where(const struct profile *pr, const struct profile_line *l, char *buf,
                          size_t len)
{
	snprintf(buf, len, "%s:%u", l->l.file < pr->nfiles ? pr->files[l->l.file].path : pr->file,
	         l->l.line);
	return buf;
}

size_t profile_count(const struct profile *pr, enum pstate s)
{
	size_t i, n = 0;

	for (i = 0; i < pr->n; i++)
		n += pr->lines[i].state == s;
	return n;
}

/* ---- the files -------------------------------------------------------------- */

/* What loading gathers before the lines become the profile's. */
struct loading {
	struct profile *pr;
	struct sysctl_entries got;
};

static int add_file(struct loading *ld, const char *path, const char *note, struct err *e)
{
	struct profile *pr = ld->pr;
	struct profile_file *f;

	if (pr->nfiles >= PROFILE_MAX_FILES)
		return err_set(e, ERR_INPUT, "%s: more than %d files in the profile", path,
		               PROFILE_MAX_FILES);
	if (strlen(path) >= sizeof(f->path))
		return err_set(e, ERR_INPUT, "%.200s...: a path too long", path);
	f = realloc(pr->files, (pr->nfiles + 1) * sizeof(*f));
	if (!f)
		return err_set(e, ERR_SYSTEM, "out of memory");
	pr->files = f;
	f = &pr->files[pr->nfiles++];
	text_copy(f->path, sizeof(f->path), path);
	text_copy(f->note, sizeof(f->note), note ? note : "");
	return 0;
}

/* The settings of file @path. */
static int read_file(struct loading *ld, const char *path, struct err *e)
{
	size_t len;
	char *text;
	int r;

	if (add_file(ld, path, NULL, e) < 0)
		return -1;
	text = infile_read(path, PROFILE_FILE_MAX, &len, e);
	if (!text)
		return -1;
	r = sysctl_conf_parse(text, len, path, (unsigned)(ld->pr->nfiles - 1), PROFILE_MAX_LINES,
	                      &ld->got, e);
	free(text);
	return r;
}

/* A link to /dev/null masks a file of that name (sysctl.d(5)). */
static bool masked(const char *path)
{
	char target[64];
	ssize_t n = readlink(path, target, sizeof(target) - 1);

	if (n < 0)
		return false;
	target[n] = '\0';
	return strcmp(target, "/dev/null") == 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.conf names in @dir, sorted ("" list when it does not exist and
 * @missing_ok). */
static int conf_names(const char *dir, bool missing_ok, char ***names, size_t *n, struct err *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	*names = NULL;
	*n = 0;
	if (!d) {
		if (missing_ok && errno == ENOENT)
			return 0;
		err_sys(e, "%s", dir);
		e->kind = ERR_INPUT;
		return -1;
	}
	errno = 0;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		char **nn;

		if (l < 6 || strcmp(de->d_name + l - 5, ".conf") != 0 || de->d_name[0] == '.')
			continue;
		if (*n >= PROFILE_MAX_FILES) {
			closedir(d);
			return err_set(e, ERR_INPUT, "%s: more than %d files", dir,
			               PROFILE_MAX_FILES);
		}
		nn = realloc(*names, (*n + 1) * sizeof(*nn));
		if (!nn || !(nn[*n] = strdup(de->d_name))) {
			free(nn ? nn : *names);
			*names = NULL;
			closedir(d);
			return err_set(e, ERR_SYSTEM, "out of memory");
		}
		*names = nn;
		(*n)++;
	}
	closedir(d);
	qsort(*names, *n, sizeof(**names), cmp_names);
	return 0;
}

static void free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Read @name from the first of @dirs (@ndirs, in precedence order) that
 * has it; the same name in the others is listed as hidden. */
static int read_name(struct loading *ld, const char *const *dirs, size_t ndirs, char **const *names,
                     const size_t *nnames, const char *name, struct err *e)
{
	char path[PATH_MAX], first[PATH_MAX] = "", note[PATH_MAX + 64];
	size_t d, k;

	for (d = 0; d < ndirs; d++) {
		for (k = 0; k < nnames[d] && strcmp(names[d][k], name); k++)
			;
		if (k == nnames[d])
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dirs[d], name) >= sizeof(path))
			return err_set(e, ERR_INPUT, "%.200s...: a path too long", dirs[d]);
		if (first[0]) {
			snprintf(note, sizeof(note),
			         "hidden by %s (the same name, earlier directory)", first);
			if (add_file(ld, path, note, e) < 0)
				return -1;
			continue;
		}
		text_copy(first, sizeof(first), path);
		if (masked(path)) {
			if (add_file(ld, path, "masked: a link to /dev/null", e) < 0)
				return -1;
		} else if (read_file(ld, path, e) < 0) {
			return -1;
		}
	}
	return 0;
}

/* Directories read as one sysctl.d set (sysctl.d(5)): names merged, the
 * earliest directory's file of a name read, all in lexical name order. */
static int read_dirs(struct loading *ld, const char *const *dirs, size_t ndirs, bool missing_ok,
                     struct err *e)
{
	char **names[8] = {NULL}, **all = NULL;
	size_t nnames[8] = {0}, nall = 0, d, k;
	int r = 0;

	if (ndirs > 8)
		return err_set(e, ERR_INPUT, "too many directories");
	for (d = 0; d < ndirs && r == 0; d++)
		r = conf_names(dirs[d], missing_ok, &names[d], &nnames[d], e);
	for (d = 0; d < ndirs && r == 0; d++)
		for (k = 0; k < nnames[d] && r == 0; k++) {
			size_t j;
			char **na;

			for (j = 0; j < nall && strcmp(all[j], names[d][k]); j++)
				;
			if (j < nall)
				continue;
			na = realloc(all, (nall + 1) * sizeof(*na));
			if (!na) {
				r = err_set(e, ERR_SYSTEM, "out of memory");
				break;
			}
			all = na;
			all[nall++] = names[d][k];
		}
	if (r == 0)
		qsort(all, nall, sizeof(*all), cmp_names);
	for (k = 0; r == 0 && k < nall; k++)
		r = read_name(ld, dirs, ndirs, names, nnames, all[k], e);
	free(all);
	for (d = 0; d < ndirs; d++)
		free_names(names[d], nnames[d]);
	return r;
}

/* The directories systemd-sysctl reads, in precedence order (sysctl.d(5)). */
static const char *const system_dirs[] = {"/etc/sysctl.d", "/run/sysctl.d",
                                          "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d"};

static int read_system(struct loading *ld, const char *root, struct err *e)
{
	char bufs[4][PATH_MAX];
	const char *dirs[4];
	size_t d;

	for (d = 0; d < 4; d++) {
		if ((size_t)snprintf(bufs[d], sizeof(bufs[d]), "%s%s", root ? root : "",
		                     system_dirs[d]) >= sizeof(bufs[d]))
			return err_set(e, ERR_INPUT, "--root: a path too long");
		dirs[d] = bufs[d];
	}
	return read_dirs(ld, dirs, 4, true, e);
}

/* ---- the settings --------------------------------------------------------- */

static int cmp_lines(const void *a, const void *b, void *arg)
{
	const struct profile_line *v = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(v[x].l.key, v[y].l.key);

	return c ? c : x < y ? -1 : x > y;
}

static bool is_setting(const struct profile_line *l)
{
	return !l->l.problem[0] && !l->l.exclude;
}

/* Later settings win: an earlier one of the same key on the same side
 * (or any side, when the later one sets both) is overridden. */
static int resolve_overrides(struct profile *pr, struct err *e)
{
	size_t *ix = malloc((pr->n ? pr->n : 1) * sizeof(*ix)), i, g;

	if (!ix)
		return err_set(e, ERR_SYSTEM, "out of memory");
	for (i = 0; i < pr->n; i++)
		ix[i] = i;
	qsort_r(ix, pr->n, sizeof(*ix), cmp_lines, pr->lines);
	for (g = 0; g < pr->n;) {
		size_t end = g, win[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX};

		while (end < pr->n && !strcmp(pr->lines[ix[end]].l.key, pr->lines[ix[g]].l.key))
			end++;
		for (i = end; i-- > g;) {
			struct profile_line *l = &pr->lines[ix[i]];
			size_t by = win[SIDE_BOTH];
			char where[PATH_MAX + 16];

			if (!is_setting(l))
				continue;
			/* Going backwards: win[] holds the latest setting per side. */
			if (l->l.side != SIDE_BOTH && win[l->l.side] != SIZE_MAX &&
			    (by == SIZE_MAX || win[l->l.side] > by))
				by = win[l->l.side];
			if (by != SIZE_MAX) {
				l->state = PS_OVERRIDDEN;
				snprintf(l->note, sizeof(l->note),
				         "%.560s sets it again (later settings win)",
				         profile_where(pr, &pr->lines[by], where, sizeof(where)));
			}
			if (win[l->l.side] == SIZE_MAX)
				win[l->l.side] = ix[i];
		}
		g = end;
	}
	free(ix);
	return 0;
}

/* The entries loaded become the profile's lines. */
static int take_lines(struct loading *ld, struct err *e)
{
	struct profile *pr = ld->pr;
	size_t i;

	pr->lines = calloc(ld->got.n ? ld->got.n : 1, sizeof(*pr->lines));
	if (!pr->lines)
		return err_set(e, ERR_SYSTEM, "out of memory");
	for (i = 0; i < ld->got.n; i++) {
		struct profile_line *l = &pr->lines[i];

		l->l = ld->got.v[i];
		l->state = l->l.exclude ? PS_EXCLUDE : l->l.problem[0] ? PS_SYNTAX : PS_APPLIED;
		if (l->state == PS_SYNTAX)
			text_copy(l->note, sizeof(l->note), l->l.problem);
		if (l->state == PS_APPLIED && !sysctl_is_net(l->l.key)) {
			l->state = PS_NOT_NET;
			l->l.pcol = l->l.col;
			snprintf(l->note, sizeof(l->note),
			         "sysctl key '%s': only net.* keys belong to a network namespace; "
			         "this one is the whole host's, which is never changed",
			         l->l.key);
		}
		if (l->state == PS_EXCLUDE)
			snprintf(l->note, sizeof(l->note),
			         "keeps %s out of every glob (sysctl.d(5) '-KEY')", l->l.key);
	}
	pr->n = ld->got.n;
	return resolve_overrides(pr, e);
}

static void label(struct profile *pr, const struct profile_inputs *in)
{
	size_t i, n = 0;

	pr->file[0] = '\0';
	if (in->system)
		n += (size_t)snprintf(pr->file, sizeof(pr->file), "--system%s%s",
		                      in->root && *in->root ? " --root " : "",
		                      in->root && *in->root ? in->root : "");
	for (i = 0; i < in->npaths && n < sizeof(pr->file); i++)
		n += (size_t)snprintf(pr->file + n, sizeof(pr->file) - n, "%s%s", n ? " " : "",
		                      in->paths[i]);
}

int profile_load_inputs(const struct profile_inputs *in, struct profile *pr, struct err *e)
{
	struct loading ld = {.pr = pr};
	size_t i;
	int r = 0;

	memset(pr, 0, sizeof(*pr));
	label(pr, in);
	if (in->system)
		r = read_system(&ld, in->root, e);
	for (i = 0; r == 0 && i < in->npaths; i++) {
		struct stat st;
		const char *p = in->paths[i];

		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode))
			r = read_dirs(&ld, &p, 1, false, e);
		else
			r = read_file(&ld, p, e);
	}
	if (r == 0)
		r = take_lines(&ld, e);
	free(ld.got.v);
	if (r < 0)
		profile_free(pr);
	return r;
}

int profile_load(const char *path, struct profile *pr, struct err *e)
{
	struct profile_inputs in = {.paths = &path, .npaths = 1};

	return profile_load_inputs(&in, pr, e);
}

int profile_parse(const char *text, size_t len, const char *file, struct profile *pr, struct err *e)
{
	struct loading ld = {.pr = pr};
	int r;

	memset(pr, 0, sizeof(*pr));
	text_copy(pr->file, sizeof(pr->file), file);
	r = add_file(&ld, file, NULL, e);
	if (r == 0)
		r = sysctl_conf_parse(text, len, file, 0, PROFILE_MAX_LINES, &ld.got, e);
	if (r == 0)
		r = take_lines(&ld, e);
	free(ld.got.v);
	if (r < 0)
		profile_free(pr);
	return r;
}

/* ---- reporting ---------------------------------------------------------- */

int profile_strict(const struct profile *pr, struct err *e)
{
	size_t i;

	for (i = 0; i < pr->n; i++) {
		const struct profile_line *l = &pr->lines[i];

		if (l->state == PS_APPLIED || l->state == PS_OVERRIDDEN || l->state == PS_EXCLUDE ||
		    l->l.may_fail)
			continue;
		return err_at(e, l->l.file < pr->nfiles ? pr->files[l->l.file].path : pr->file,
		              l->l.line, l->l.pcol ? l->l.pcol : l->l.col, "%s", l->note);
	}
	return 0;
}

json_t *profile_json(const struct profile *pr)
{
	json_t *o = json_object(), *lines = json_array(), *files = json_array();
	size_t i;

	json_object_set_new(o, "file", json_string(pr->file));
	for (i = 0; i < pr->nfiles; i++) {
		json_t *f = json_object();

		json_object_set_new(f, "path", json_string(pr->files[i].path));
		json_object_set_new(f, "note", json_string(pr->files[i].note));
		json_array_append_new(files, f);
	}
	for (i = 0; i < pr->n; i++) {
		const struct profile_line *l = &pr->lines[i];
		json_t *x = json_object();

		json_object_set_new(
		    x, "file",
		    json_string(l->l.file < pr->nfiles ? pr->files[l->l.file].path : pr->file));
		json_object_set_new(x, "line", json_integer(l->l.line));
		json_object_set_new(x, "side", json_string(side_name(l->l.side)));
		json_object_set_new(x, "key", json_string(l->l.key));
		json_object_set_new(x, "value", json_string(l->l.value));
		json_object_set_new(x, "may_fail", json_boolean(l->l.may_fail));
		json_object_set_new(x, "state", json_string(pstate_name(l->state)));
		json_object_set_new(x, "why", json_string(l->note));
		json_object_set_new(x, "default",
		                    l->state == PS_APPLIED ? json_string(l->def) : json_null());
		json_array_append_new(lines, x);
	}
	json_object_set_new(o, "files", files);
	json_object_set_new(o, "lines", lines);
	return o;
}

void profile_print_unapplied(const struct profile *pr, FILE *f)
{
	char where[PATH_MAX + 16];
	size_t i;

	for (i = 0; i < pr->n; i++) {
		const struct profile_line *l = &pr->lines[i];

		if (l->state == PS_APPLIED || l->state == PS_EXCLUDE)
			continue;
		text_term_printf(f, "%s: %s%s: %s\n", profile_where(pr, l, where, sizeof(where)),
		                 l->l.may_fail ? "skipped ('-'): " : "not applied: ", l->l.key,
		                 l->note);
	}
}

/* ---- applying ----------------------------------------------------------- */

static int add_note(struct scenario *sc, const struct profile_line *l, enum side side,
                    const char *kept, unsigned line, const char *why, bool replaced)
{
	struct sc_profile_note *n = realloc(sc->notes, (sc->nnotes + 1) * sizeof(*n));

	if (!n)
		return -1;
	sc->notes = n;
	n = &sc->notes[sc->nnotes++];
	memset(n, 0, sizeof(*n));
	text_copy(n->key, sizeof(n->key), l->l.key);
	n->side = side;
	text_copy(n->value, sizeof(n->value), l->l.value);
	text_copy(n->kept, sizeof(n->kept), kept);
	n->line = line;
	text_copy(n->why, sizeof(n->why), why);
	n->replaced = replaced;
	n->pfile = l->l.file;
	n->pline = l->l.line;
	return 0;
}

static bool covers(enum side a, int s)
{
	return a == SIDE_BOTH || (int)a == s;
}

/* The case's premise on @key for side @s: a "sysctl" line not marked axis,
 * or a "vary premise" axis (the last that covers the side), or NULL. */
static bool premise_of(const struct scenario *sc, const char *key, int s, char *kept, size_t klen,
                       unsigned *line, const char **why)
{
	bool found = false;
	size_t i, k;

	for (i = 0; i < sc->nsysctls; i++) {
		const struct sc_sysctl *c = &sc->sysctls[i];

		if (c->axis || !covers(c->side, s) || strcmp(c->key, key))
			continue;
		text_copy(kept, klen, c->value);
		*line = c->line;
		*why = c->why;
		found = true;
	}
	for (i = 0; i < sc->naxes; i++) {
		const struct sc_axis *a = &sc->axes[i];

		if (!a->is_sysctl || !a->premise || !covers(a->side, s) || strcmp(a->name, key))
			continue;
		kept[0] = '\0';
		for (k = 0; k < a->nvalues; k++) {
			size_t n = strlen(kept);

			snprintf(kept + n, klen - n, "%s%s", k ? " " : "", a->values[k]);
		}
		*line = a->line;
		*why = a->why;
		found = true;
	}
	return found;
}

/* The case's "sysctl axis" lines and axes that @l replaces: noted. */
static int note_replaced(struct scenario *sc, const struct profile_line *l, enum side side)
{
	size_t i, k;

	for (i = 0; i < sc->nsysctls; i++) {
		const struct sc_sysctl *c = &sc->sysctls[i];

		if (c->axis && !strcmp(c->key, l->l.key) &&
		    (side == SIDE_BOTH || covers(c->side, side)) &&
		    add_note(sc, l, side == SIDE_BOTH ? c->side : side, c->value, c->line, c->why,
		             true) < 0)
			return -1;
	}
	for (k = 0; k < sc->naxes; k++) {
		struct sc_axis *a = &sc->axes[k];
		char vals[SC_VALUE_MAX] = "";

		if (!a->is_sysctl || a->premise || strcmp(a->name, l->l.key))
			continue;
		if (side != SIDE_BOTH && side != a->side)
			continue; /* the axis still varies its other side */
		for (i = 0; i < a->nvalues; i++) {
			size_t n = strlen(vals);

			snprintf(vals + n, sizeof(vals) - n, "%s%s", i ? " " : "", a->values[i]);
		}
		if (add_note(sc, l, a->side, vals, a->line, a->why, true) < 0)
			return -1;
		text_copy(a->values[0], sizeof(a->values[0]), l->l.value);
		a->nvalues = 1;
		a->from_profile = true;
	}
	return 0;
}

static int add_override(struct scenario *sc, const struct profile_line *l, enum side side)
{
	struct sc_sysctl *o = realloc(sc->overrides, (sc->noverrides + 1) * sizeof(*o));

	if (!o)
		return -1;
	sc->overrides = o;
	o = &sc->overrides[sc->noverrides++];
	memset(o, 0, sizeof(*o));
	o->side = side;
	o->line = l->l.line;
	o->glob = l->l.glob;
	o->skip = l->skip;
	text_copy(o->key, sizeof(o->key), l->l.key);
	text_copy(o->value, sizeof(o->value), l->l.value);
	return 0;
}

/* One applied line in @sc: per side, the case's premise stays, else the
 * profile's value is written (last). */
static int apply_line(struct scenario *sc, const struct profile_line *l)
{
	bool keep[2] = {false, false};
	int s;

	for (s = SIDE_CLIENT; s <= SIDE_SERVER; s++) {
		char kept[SC_VALUE_MAX];
		const char *why = "";
		unsigned line = 0;

		if (!covers(l->l.side, s) || l->l.glob ||
		    !premise_of(sc, l->l.key, s, kept, sizeof(kept), &line, &why))
			continue;
		keep[s] = true;
		if (sysctl_value_equal(kept, l->l.value))
			continue; /* the same value: nothing to say */
		if (sc->nnotes && !strcmp(sc->notes[sc->nnotes - 1].key, l->l.key) &&
		    sc->notes[sc->nnotes - 1].line == line &&
		    !strcmp(sc->notes[sc->nnotes - 1].kept, kept)) {
			sc->notes[sc->nnotes - 1].side = SIDE_BOTH; /* one line, both sides */
			continue;
		}
		if (add_note(sc, l, (enum side)s, kept, line, why, false) < 0)
			return -1;
	}
	if (keep[SIDE_CLIENT] && keep[SIDE_SERVER])
		return 0;
	if (keep[SIDE_CLIENT] || keep[SIDE_SERVER]) {
		enum side other = keep[SIDE_CLIENT] ? SIDE_SERVER : SIDE_CLIENT;

		if (!covers(l->l.side, other))
			return 0;
		return note_replaced(sc, l, other) < 0 ? -1 : add_override(sc, l, other);
	}
	return note_replaced(sc, l, l->l.side) < 0 ? -1 : add_override(sc, l, l->l.side);
}

int profile_apply(const struct profile *pr, struct scenario *sc, struct err *e)
{
	size_t i;

	for (i = 0; i < pr->n; i++)
		if (pr->lines[i].state == PS_APPLIED && apply_line(sc, &pr->lines[i]) < 0)
			return err_set(e, ERR_SYSTEM, "out of memory");
	return 0;
}
