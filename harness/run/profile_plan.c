// SPDX-License-Identifier: GPL-2.0-only
/* profile_plan.c - which variants a sysctl profile changes (profile_plan.h). */
#include "run/profile_plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/text.h"
#include "host/netns.h"
#include "host/sysctl.h"
#include "model/step.h"
#include "model/sysctl_key.h"
#include "model/verdict.h"
#include "run/catalogue.h"

/* ---- a case's sysctls --------------------------------------------------- */

static void add_key(void *ctx, const char *key, int side)
{
	struct pp_case *c = ctx;
	unsigned bits = side == SIDE_CLIENT ? 1u : side == SIDE_SERVER ? 2u : 3u;
	struct pp_key *k;
	size_t i;

	if (!sysctl_is_net(key))
		return;
	for (i = 0; i < c->nkeys; i++)
		if (!strcmp(c->keys[i].key, key)) {
			c->keys[i].sides |= bits;
			return;
		}
	k = realloc(c->keys, (c->nkeys + 1) * sizeof(*k));
	if (!k)
		return; /* out of memory: the key is missed, the plan runs more */
	c->keys = k;
	text_copy(c->keys[c->nkeys].key, SC_KEY_MAX, key);
	c->keys[c->nkeys++].sides = bits;
}

bool profile_plan_declares(const struct pp_case *c, const char *key)
{
	size_t i;

	for (i = 0; i < c->nkeys; i++)
		if (!strcmp(c->keys[i].key, key))
			return true;
	return false;
}

static void declared_keys(struct pp_case *c)
{
	const struct scenario *sc = &c->base;
	size_t i;

	for (i = 0; i < sc->nsysctls; i++)
		add_key(c, sc->sysctls[i].key, (int)sc->sysctls[i].side);
	for (i = 0; i < sc->naxes; i++)
		if (sc->axes[i].is_sysctl)
			add_key(c, sc->axes[i].name, (int)sc->axes[i].side);
	for (i = 0; i < sc->nsteps; i++)
		if (sc->steps[i].kind == ST_OBSERVE && sc->steps[i].observe.obs == OB_SYSCTL)
			add_key(c, sc->steps[i].observe.field, (int)sc->steps[i].side);
	for (i = 0; c->has_table && i < c->table.nrows; i++)
		verdict_row_keys(&c->table.rows[i], add_key, c);
}

/* ---- the values a variant's sysctls take -------------------------------- */

const char *profile_plan_default(const struct profile_plan *pl, const char *key)
{
	size_t i;

	for (i = 0; i < pl->ndefs; i++)
		if (!strcmp(pl->defs[i].key, key))
			return pl->defs[i].value;
	return "";
}

static int need_default(struct profile_plan *pl, int ns, const char *key)
{
	struct pp_default *d;
	struct err e2;

	if (!sysctl_is_net(key) || sysctl_is_glob(key))
		return 0;
	for (size_t i = 0; i < pl->ndefs; i++)
		if (!strcmp(pl->defs[i].key, key))
			return 0;
	d = realloc(pl->defs, (pl->ndefs + 1) * sizeof(*d));
	if (!d)
		return -1;
	pl->defs = d;
	d = &pl->defs[pl->ndefs++];
	text_copy(d->key, sizeof(d->key), key);
	if (sysctl_read(ns, key, d->value, sizeof(d->value), &e2) != SYSCTL_OK)
		d->value[0] = '\0';
	return 0;
}

/* The values a new namespace starts with, for every key the plan compares. */
static int read_defaults(struct profile_plan *pl, struct err *e)
{
	const struct profile *ps[2] = {pl->p, pl->q};
	int ns = netns_create(e), r = 0;
	size_t i, k;

	if (ns < 0)
		return -1;
	for (i = 0; r == 0 && i < pl->n; i++)
		for (k = 0; r == 0 && k < pl->c[i].nkeys; k++)
			r = need_default(pl, ns, pl->c[i].keys[k].key);
	for (i = 0; i < 2; i++)
		for (k = 0; r == 0 && ps[i] && k < ps[i]->n; k++)
			if (ps[i]->lines[k].state == PS_APPLIED)
				r = need_default(pl, ns, ps[i]->lines[k].l.key);
	close(ns);
	return r < 0 ? err_set(e, ERR_SYSTEM, "out of memory") : 0;
}

static bool covers(enum side a, int s)
{
	return a == SIDE_BOTH || (int)a == s;
}

enum origin { O_DEFAULT, O_CASE, O_PROFILE };

/* Key @key on side @s of variant @axes of @sc, as sysctls.c writes them:
 * the default, the case's lines, its axes (but those in @mask), the
 * profile's lines; where the value came from in *@o. */
static const char *effective(const struct profile_plan *pl, const struct scenario *sc,
                             const unsigned *axes, unsigned long long mask, const char *key, int s,
                             enum origin *o)
{
	const char *v = profile_plan_default(pl, key);
	size_t i;

	*o = O_DEFAULT;
	for (i = 0; i < sc->nsysctls; i++)
		if (covers(sc->sysctls[i].side, s) && !strcmp(sc->sysctls[i].key, key)) {
			v = sc->sysctls[i].value;
			*o = O_CASE;
		}
	for (i = 0; i < sc->naxes; i++) {
		const struct sc_axis *a = &sc->axes[i];

		if (!a->is_sysctl || (mask >> i & 1) || !covers(a->side, s) ||
		    strcmp(a->name, key) || !strcmp(a->values[axes[i]], "default"))
			continue;
		v = a->values[axes[i]];
		*o = a->from_profile ? O_PROFILE : O_CASE;
	}
	for (i = 0; i < sc->noverrides; i++) {
		const struct sc_sysctl *w = &sc->overrides[i];

		if (!covers(w->side, s) ||
		    (w->glob ? !sysctl_glob_match(w->key, key) : strcmp(w->key, key) != 0))
			continue;
		v = w->value;
		*o = O_PROFILE;
	}
	return v;
}

/* Do variant @a of @sa and @b of @sb (each with its axes, @mb masked) hold
 * the same family, plain axes and sysctl values? */
static bool same_config(const struct profile_plan *pl, const struct pp_case *c,
                        const struct scenario *sa, const unsigned *a, const struct scenario *sb,
                        const unsigned *b, unsigned long long mb)
{
	enum origin o;
	size_t k;
	int s;

	for (k = 0; k < sa->naxes; k++)
		if (!sa->axes[k].is_sysctl &&
		    strcmp(sa->axes[k].values[a[k]], sb->axes[k].values[b[k]]) != 0)
			return false;
	for (k = 0; k < c->nkeys; k++)
		for (s = SIDE_CLIENT; s <= SIDE_SERVER; s++)
			if ((c->keys[k].sides >> s & 1) &&
			    !sysctl_value_equal(effective(pl, sa, a, 0, c->keys[k].key, s, &o),
			                        effective(pl, sb, b, mb, c->keys[k].key, s, &o)))
				return false;
	return true;
}

/* The baseline variant of family @fam configured as @want (of @sw, @mw
 * masked), into @name; false when the catalogue runs none. */
static bool find_base(const struct profile_plan *pl, const struct pp_case *c, int fam,
                      const struct scenario *sw, const unsigned *want, unsigned long long mw,
                      char *name, size_t len)
{
	size_t i, n = scenario_variants(&c->base);

	for (i = 0; i < n; i++) {
		unsigned axes[SC_MAX_AXES];
		char vname[SC_VARIANT_NAME_MAX + 1];
		int f;

		scenario_variant(&c->base, i, &f, axes, vname, sizeof(vname));
		if (f == fam && same_config(pl, c, &c->base, axes, sw, want, mw)) {
			text_copy(name, len, vname);
			return true;
		}
	}
	return false;
}

static void append(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

/* What the profile changes in variant @v: its sysctls against the same
 * variant without the profile (@ref of the baseline, @mask masked). */
static void describe(const struct profile_plan *pl, const struct pp_case *c, struct pp_var *v,
                     const unsigned *ref, unsigned long long mask)
{
	size_t k;

	for (k = 0; k < c->nkeys; k++) {
		const char *key = c->keys[k].key, *last = strrchr(key, '.');
		unsigned sides = c->keys[k].sides;
		const char *a[2], *b[2], *from[2];
		enum origin oa[2], ob[2];
		int s;

		for (s = 0; s < 2; s++) {
			a[s] = effective(pl, &c->base, ref, mask, key, s, &oa[s]);
			b[s] = effective(pl, &c->prof, v->axes, 0, key, s, &ob[s]);
			from[s] = oa[s] == O_DEFAULT ? "default"
			          : oa[s] == O_CASE  ? "the case's"
			                             : pl->q->file;
		}
		for (s = 0; s < 2; s++) {
			bool both = s == 0 && sides == 3 && sysctl_value_equal(a[0], a[1]) &&
			            sysctl_value_equal(b[0], b[1]) && oa[0] == oa[1];

			if (!(sides >> s & 1) || sysctl_value_equal(a[s], b[s]))
				continue;
			append(v->changed, sizeof(v->changed), "%s%s%s %s (%s) -> %s",
			       v->changed[0] ? ", " : "",
			       both ? ""
			       : s  ? "server:"
			            : "client:",
			       last ? last + 1 : key, a[s][0] ? a[s] : "absent", from[s], b[s]);
			if (!strstr(v->changed_keys, key))
				append(v->changed_keys, sizeof(v->changed_keys), "%s%s",
				       v->changed_keys[0] ? " " : "", key);
			append(v->ref, sizeof(v->ref), "%s%s%s=%s", v->ref[0] ? " " : "",
			       both ? ""
			       : s  ? "server:"
			            : "client:",
			       key, a[s]);
			if (both)
				break;
		}
	}
}

/* One variant under the profile: the same, or run; compared with what. */
static void plan_variant(const struct profile_plan *pl, const struct pp_case *c, struct pp_var *v)
{
	unsigned ref[SC_MAX_AXES];
	unsigned long long mask = 0;
	size_t k;

	/* Without the profile: the axes it collapsed take the baseline's
	 * values (the default, unless FILE2 collapsed them too). */
	for (k = 0; k < c->base.naxes; k++) {
		ref[k] = c->base.axes[k].nvalues == c->prof.axes[k].nvalues ? v->axes[k] : 0;
		if (c->prof.axes[k].from_profile && !c->base.axes[k].from_profile)
			mask |= 1ull << k;
	}
	v->runs = !find_base(pl, c, v->family, &c->prof, v->axes, 0, v->same, sizeof(v->same));
	find_base(pl, c, v->family, &c->base, ref, mask, v->before, sizeof(v->before));
	describe(pl, c, v, ref, mask);
}

/* ---- the plan -------------------------------------------------------------- */

static int load_case(const struct profile_plan *pl, const struct catalogue *cat, const char *path,
                     int family, struct pp_case *c, struct err *e)
{
	char tpath[4600];
	struct stat st;

	if (scenario_load(path, &c->base, e) < 0)
		return -1;
	if (scenario_load(path, &c->prof, e) < 0)
		return -1;
	if ((pl->q && profile_apply(pl->q, &c->base, e) < 0) ||
	    profile_apply(pl->p, &c->prof, e) < 0)
		return -1;
	if (family == 4)
		c->base.family6 = c->prof.family6 = false;
	if (family == 6)
		c->base.family4 = c->prof.family4 = false;
	catalogue_table_path(cat, c->base.name, tpath, sizeof(tpath));
	if (stat(tpath, &st) == 0) {
		if (table_load(tpath, &c->table, e) < 0)
			return -1;
		c->has_table = true;
	}
	declared_keys(c);
	return 0;
}

static int plan_case(struct profile_plan *pl, struct pp_case *c, struct err *e)
{
	size_t i, n = c->prof.family4 || c->prof.family6 ? scenario_variants(&c->prof) : 0;

	c->v = calloc(n ? n : 1, sizeof(*c->v));
	if (!c->v)
		return err_set(e, ERR_SYSTEM, "out of memory");
	for (i = 0; i < n; i++) {
		struct pp_var *v = &c->v[i];

		scenario_variant(&c->prof, i, &v->family, v->axes, v->name, sizeof(v->name));
		plan_variant(pl, c, v);
		if (v->runs) {
			char **o = realloc(pl->only, (pl->nonly + 1) * sizeof(*o));
			size_t len = strlen(c->prof.name) + strlen(v->name) + 2;

			if (!o)
				return err_set(e, ERR_SYSTEM, "out of memory");
			pl->only = o;
			if (!(o[pl->nonly] = malloc(len)))
				return err_set(e, ERR_SYSTEM, "out of memory");
			snprintf(o[pl->nonly++], len, "%s/%s", c->prof.name, v->name);
		}
	}
	c->nv = n;
	pl->nvariants += n;
	return 0;
}

int profile_plan_make(const struct profile *p, const struct profile *q, char **names, int nnames,
                      int family, struct profile_plan *pl, struct err *e)
{
	struct catalogue cat;
	size_t i;
	int r = 0;

	memset(pl, 0, sizeof(*pl));
	pl->p = p;
	pl->q = q;
	if (catalogue_find(&cat, names, nnames, e) < 0) {
		pl->bad = cat.bad;
		return -1;
	}
	pl->c = calloc(cat.n ? cat.n : 1, sizeof(*pl->c));
	if (!pl->c) {
		catalogue_free(&cat);
		return err_set(e, ERR_SYSTEM, "out of memory");
	}
	for (i = 0; r == 0 && i < cat.n; i++) {
		r = load_case(pl, &cat, cat.paths[i], family, &pl->c[i], e);
		pl->n++;
	}
	catalogue_free(&cat);
	if (r == 0)
		r = read_defaults(pl, e);
	for (i = 0; r == 0 && i < pl->n; i++)
		r = plan_case(pl, &pl->c[i], e);
	if (r < 0)
		profile_plan_free(pl);
	return r;
}

void profile_plan_free(struct profile_plan *pl)
{
	size_t i;

	for (i = 0; pl->c && i < pl->n; i++) {
		scenario_free(&pl->c[i].base);
		scenario_free(&pl->c[i].prof);
		if (pl->c[i].has_table)
			table_free(&pl->c[i].table);
		free(pl->c[i].keys);
		free(pl->c[i].v);
	}
	for (i = 0; i < pl->nonly; i++)
		free(pl->only[i]);
	free(pl->only);
	free(pl->c);
	free(pl->defs);
	memset(pl, 0, sizeof(*pl));
}
