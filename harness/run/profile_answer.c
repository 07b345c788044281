// SPDX-License-Identifier: GPL-2.0-only
/*
 * profile_answer.c - what a sysctl profile changes, key by key, from the
 * baseline's run and the profile's (profile_answer.h).
 */
#include "run/profile_answer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/resdir.h"
#include "base/text.h"
#include "model/sysctl_facts.h"
#include "model/verdict.h"
#include "out/results.h"
#include "out/summary.h"

/* ---- values as a reader says them ---------------------------------------- */

/* A time in ms, by the observation's name: "orphan_gone.ms", "syn_times[1]",
 * "time_wait_timer" (not "timeouts", a count, nor "time_wait", sockets).
 * Times jitter from run to run: only a change beyond 20% (and 100 ms)
 * counts.  Everything else must match exactly. */
static bool is_time(const char *check)
{
	size_t n = strlen(check);

	return (n > 3 && (!strcmp(check + n - 3, ".ms") || !strcmp(check + n - 3, "_ms"))) ||
	       strstr(check, "timer") || strstr(check, "times");
}

static bool differs(const char *check, const char *a, const char *b)
{
	char *ea, *eb;
	double x = strtod(a, &ea), y = strtod(b, &eb);

	if (*a && *b && !*ea && !*eb && is_time(check)) {
		double d = fabs(x - y), m = fmax(fabs(x), fabs(y));

		return d > 100 && d > 0.2 * m;
	}
	return strcmp(a, b) != 0;
}

static void fmt_ms(double ms, char *out, size_t len)
{
	if (fabs(ms) >= 1000)
		snprintf(out, len, "%.2f s", ms / 1000);
	else
		snprintf(out, len, "%.0f ms", ms);
}

/* An observed value: a time (in ms) in seconds when long, else as is. */
static void fmt_value(const char *obs, const char *v, char *out, size_t len)
{
	char *end;
	double x = strtod(v, &end);

	if (*v && !*end && is_time(obs))
		fmt_ms(x, out, len);
	else
		text_copy(out, len, v);
}

/* An expectation: "60000 ms ±15%" -> "60 s ±15%". */
static void fmt_expect(const char *e, char *out, size_t len)
{
	char *end;
	double x = strtod(e, &end);

	if (end != e && !strncmp(end, " ms", 3)) {
		fmt_ms(x, out, len);
		text_copy(out + strlen(out), len - strlen(out), end + 3);
	} else {
		text_copy(out, len, e);
	}
}

/* ---- the two runs -------------------------------------------------------- */

#define MAX_LABELS 32

struct change {
	const struct pp_case *c;
	char obs[256], before[300], after[300], step[300];
	char source[600];
	unsigned row;
	bool predicted;              /* before: the table's expectation, not a measurement */
	char keys[512];              /* the profile's keys the variants change */
	char label[MAX_LABELS][160]; /* the variant without its family */
	unsigned fams[MAX_LABELS];   /* 4 and 6 as bits 1 and 2 */
	size_t nlabels;
};

struct answer {
	const struct profile_plan *pl;
	const char *kernel;
	struct summary bs, ps;
	int base_fd, prof_fd;
	struct change *ch;
	size_t nch;
	json_t *unexpected;
	size_t base_bad; /* checks of the baseline run not as expected */
};

/* The checks of @var, with NAME.ret and NAME.errno of one step merged into
 * NAME -> "-1 EADDRNOTAVAIL" as a reader would say it. */
static json_t *results_of(json_t *var)
{
	json_t *out = json_object(), *ck;
	size_t i;

	json_array_foreach(json_object_get(var, "checks"), i, ck)
	{
		const char *name = summary_str(ck, "name"), *obs = summary_str(ck, "observed");
		size_t n = strlen(name);
		char base[256], v[600];
		bool errno_part;
		const char *had;

		/* Only values a table pins exactly, and times, are compared: a
		 * range (how connections spread over reuseport listeners) varies
		 * from run to run without any change in behaviour. */
		if (!json_is_true(json_object_get(ck, "exact")) && !is_time(name))
			continue;
		if (n > 4 && strcmp(name + n - 4, ".ret") == 0) {
			snprintf(base, sizeof(base), "%.*s", (int)(n - 4), name);
		} else if (n > 6 && strcmp(name + n - 6, ".errno") == 0) {
			snprintf(base, sizeof(base), "%.*s", (int)(n - 6), name);
		} else {
			json_object_set_new(out, name, json_string(obs));
			continue;
		}
		had = summary_str(out, base);
		errno_part = name[n - 1] == 'o';
		if (errno_part && (!strcmp(obs, "null") || !*obs))
			snprintf(v, sizeof(v), "%s", had);
		else if (!*had)
			snprintf(v, sizeof(v), "%s", obs);
		else if (errno_part)
			snprintf(v, sizeof(v), "%s %s", had, obs);
		else
			snprintf(v, sizeof(v), "%s %s", obs, had);
		json_object_set_new(out, base, json_string(v));
	}
	return out;
}

static json_t *read_observed(int rootfd, json_t *var)
{
	struct err e;
	json_t *o = NULL;
	int vfd = rootfd < 0 ? -1 : resdir_open_rel(rootfd, summary_str(var, "dir"), &e);

	if (vfd >= 0) {
		o = results_read_observed(vfd, &e);
		close(vfd);
	}
	return o;
}

/* The step an observation named @obs came from ("line 22: client connect
 * c2 ..."), from the variant's observed.json. */
static void step_of(json_t *observed, const char *obs, char *out, size_t len)
{
	char name[256];
	json_t *ob, *v;
	const char *step;

	out[0] = '\0';
	text_copy(name, sizeof(name), obs);
	name[strcspn(name, ".[")] = '\0';
	ob = json_object_get(json_object_get(observed, "observations"), name);
	if (!ob)
		return;
	v = json_object_get(ob, "value");
	step = json_is_object(v) ? summary_str(v, "step") : "";
	if (*step)
		snprintf(out, len, "line %d: %s",
		         (int)json_integer_value(json_object_get(ob, "line")), step);
	else
		snprintf(out, len, "line %d (%s)",
		         (int)json_integer_value(json_object_get(ob, "line")),
		         summary_str(ob, "source"));
}

static void add_variant(struct change *c, const char *vname)
{
	int fam = strncmp(vname, "ipv6", 4) == 0 ? 6 : 4;
	const char *rest = vname[4] == '-' ? vname + 5 : vname + 4;
	size_t i;

	for (i = 0; i < c->nlabels; i++)
		if (!strcmp(c->label[i], rest))
			break;
	if (i == c->nlabels) {
		if (i == MAX_LABELS)
			return;
		text_copy(c->label[i], sizeof(c->label[i]), rest);
		c->nlabels++;
	}
	c->fams[i] |= fam == 4 ? 1u : 2u;
}

/* "when=now (IPv4, IPv6); when=later (IPv6)", or "IPv4, IPv6" alone. */
static void variants_str(const struct change *c, char *out, size_t len)
{
	size_t i, n;

	out[0] = '\0';
	for (i = 0; i < c->nlabels; i++) {
		const char *f = c->fams[i] == 3 ? "IPv4, IPv6" : c->fams[i] == 1 ? "IPv4" : "IPv6";

		n = strlen(out);
		if (c->label[i][0])
			snprintf(out + n, len - n, "%s%s (%s)", i ? "; " : "", c->label[i], f);
		else
			snprintf(out + n, len - n, "%s%s", i ? "; " : "", f);
	}
}

/* One behaviour that differs in variant @vname, grouped with the same
 * change in the case's other variants. */
static void add_change(struct answer *a, const struct pp_case *c, const struct pp_var *v,
                       const char *obs, const char *before, const char *after, bool predicted,
                       json_t *ck, json_t *observed)
{
	struct change *x = NULL;
	size_t k;

	for (k = 0; k < a->nch; k++) {
		struct change *y = &a->ch[k];

		/* Times differ in every digit: grouped by name only. */
		if (y->c == c && !strcmp(y->obs, obs) && y->predicted == predicted &&
		    !strcmp(y->keys, v->changed_keys) &&
		    (is_time(obs) || (!strcmp(y->before, before) && !strcmp(y->after, after)))) {
			x = y;
			break;
		}
	}
	if (!x) {
		struct change *n = realloc(a->ch, (a->nch + 1) * sizeof(*n));

		if (!n)
			return;
		a->ch = n;
		x = &a->ch[a->nch++];
		memset(x, 0, sizeof(*x));
		x->c = c;
		x->predicted = predicted;
		text_copy(x->obs, sizeof(x->obs), obs);
		text_copy(x->before, sizeof(x->before), before);
		text_copy(x->after, sizeof(x->after), after);
		text_copy(x->keys, sizeof(x->keys), v->changed_keys);
		text_copy(x->source, sizeof(x->source), summary_str(ck, "source"));
		x->row = (unsigned)json_integer_value(json_object_get(ck, "table_line"));
		step_of(observed, obs, x->step, sizeof(x->step));
	}
	add_variant(x, v->name);
}

/* The check of @var behind result @obs ("reconnect": reconnect.ret). */
static json_t *check_of(json_t *var, const char *obs)
{
	json_t *ck;
	size_t i, n = strlen(obs);

	json_array_foreach(json_object_get(var, "checks"), i, ck)
	{
		const char *name = summary_str(ck, "name");

		if (!strcmp(name, obs) || (!strncmp(name, obs, n) && name[n] == '.'))
			return ck;
	}
	return NULL;
}

/* Both measured: every behaviour that differs. */
static void compare_measured(struct answer *a, const struct pp_case *c, const struct pp_var *v,
                             json_t *after, json_t *before, json_t *observed)
{
	json_t *ra = results_of(after), *rb = results_of(before), *val;
	const char *key;

	json_object_foreach(ra, key, val)
	{
		const char *x = summary_str(rb, key), *y = json_string_value(val);

		if (json_object_get(rb, key) && differs(key, x, y))
			add_change(a, c, v, key, x, y, false, check_of(after, key), observed);
	}
	json_decref(ra);
	json_decref(rb);
}

/* @observed with the sysctls of @ref ("client:KEY=V KEY=V") put back. */
static json_t *without_profile(json_t *observed, const char *ref)
{
	json_t *o = json_deep_copy(observed), *s = json_object_get(o, "sysctls");
	char buf[1024], *tok, *save = NULL;

	text_copy(buf, sizeof(buf), ref);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');
		int side = 2;

		if (!eq)
			continue;
		*eq = '\0';
		if (!strncmp(tok, "client:", 7) || !strncmp(tok, "server:", 7)) {
			side = tok[0] == 'c' ? 0 : 1;
			tok += 7;
		}
		if (side != 1)
			json_object_set_new(json_object_get(s, "client"), tok, json_string(eq + 1));
		if (side != 0)
			json_object_set_new(json_object_get(s, "server"), tok, json_string(eq + 1));
	}
	return o;
}

struct names_ctx {
	const char *keys; /* ' '-separated */
	bool found;
};

static void names_key(void *ctx, const char *key, int side)
{
	struct names_ctx *n = ctx;
	const char *p = n->keys;
	size_t len = strlen(key);

	(void)side;
	for (; (p = strstr(p, key)); p += len)
		if ((p == n->keys || p[-1] == ' ') && (p[len] == ' ' || !p[len]))
			n->found = true;
}

/* Does the row at table line @line choose or compute its expectation by
 * one of @keys?  Only such a row says what happens at another value of
 * them: a row that names none was written for the values the case runs. */
static bool row_names(const struct table *t, unsigned line, const char *keys)
{
	struct names_ctx n = {keys, false};
	size_t i;

	for (i = 0; i < t->nrows; i++)
		if (t->rows[i].line == line)
			verdict_row_keys(&t->rows[i], names_key, &n);
	return n.found;
}

/* The catalogue runs no variant without the profile (the case keeps the
 * default out of its axis): what its table expects there, against what
 * the profile's variant showed, where a row says so for those values. */
static void compare_predicted(struct answer *a, const struct pp_case *c, const struct pp_var *v,
                              json_t *after, json_t *observed)
{
	json_t *ref, *ck;
	size_t i;

	if (!c->has_table || !observed || !v->ref[0])
		return;
	ref = without_profile(observed, v->ref);
	json_array_foreach(json_object_get(after, "checks"), i, ck)
	{
		const char *name = summary_str(ck, "name");
		char ex_ref[300], ex_now[300], src[600], fb[320], fe[300];
		unsigned row;

		/* Every row the catalogue checked: what it computes at the
		 * values without the profile is an expectation, not a range
		 * that varies from run to run. */
		if (!json_integer_value(json_object_get(ck, "table_line")))
			continue;
		row = verdict_expect(&c->table, name, ref, a->kernel, ex_ref, sizeof(ex_ref), src,
		                     sizeof(src));
		if (!row || !row_names(&c->table, row, v->changed_keys) ||
		    !verdict_expect(&c->table, name, observed, a->kernel, ex_now, sizeof(ex_now),
		                    src, sizeof(src)) ||
		    !strcmp(ex_ref, ex_now))
			continue;
		fmt_expect(ex_ref, fe, sizeof(fe));
		snprintf(fb, sizeof(fb), "%s (expected)", fe);
		add_change(a, c, v, name, fb, summary_str(ck, "observed"), true, ck, observed);
	}
	json_decref(ref);
}

/* @var's checks that failed, added to @into. */
static size_t add_unexpected(json_t *into, json_t *var, const char *ran_as)
{
	json_t *ck;
	size_t k, n = 0;

	json_array_foreach(json_object_get(var, "checks"), k, ck)
	{
		const char *v = summary_str(ck, "verdict");
		json_t *u;

		if (strcmp(v, "fail") && strcmp(v, "error"))
			continue;
		n++;
		if (!into)
			continue;
		u = json_object();
		json_object_set_new(u, "case", json_string(summary_str(var, "case")));
		json_object_set_new(u, "variant", json_string(summary_str(var, "variant")));
		json_object_set_new(u, "run", json_string(ran_as));
		json_object_set_new(u, "check", json_string(summary_str(ck, "name")));
		json_object_set_new(u, "observed", json_string(summary_str(ck, "observed")));
		json_object_set_new(u, "expected", json_string(summary_str(ck, "expected")));
		json_object_set_new(u, "reason", json_string(summary_str(ck, "reason")));
		json_array_append_new(into, u);
	}
	return n;
}

/* Every variant under the profile against its baseline variant. */
static void compare_all(struct answer *a)
{
	const struct profile_plan *pl = a->pl;
	json_t *var;
	size_t i, k;

	json_array_foreach(a->bs.variants, i, var) a->base_bad +=
	    add_unexpected(NULL, var, "baseline");
	for (i = 0; i < pl->n; i++) {
		const struct pp_case *c = &pl->c[i];

		for (k = 0; k < c->nv; k++) {
			const struct pp_var *v = &c->v[k];
			json_t *after = v->runs ? summary_variant(&a->ps, c->prof.name, v->name)
			                        : summary_variant(&a->bs, c->base.name, v->same);
			json_t *before =
			    v->before[0] ? summary_variant(&a->bs, c->base.name, v->before) : NULL;
			json_t *observed;

			if (!after)
				continue;
			add_unexpected(a->unexpected, after, v->runs ? "profile" : "baseline");
			if (!v->changed[0] || (before && !v->runs && !strcmp(v->same, v->before)))
				continue;
			observed = read_observed(v->runs ? a->prof_fd : a->base_fd, after);
			if (before)
				compare_measured(a, c, v, after, before, observed);
			else
				compare_predicted(a, c, v, after, observed);
			json_decref(observed);
		}
	}
}

/* ---- the operator's answer ------------------------------------------------ */

static bool keys_have(const char *keys, const char *key)
{
	size_t n = strlen(key);
	const char *p;

	for (p = keys; (p = strstr(p, key)); p += n)
		if ((p == keys || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

/* Does @key change the value of a sysctl of some variant of @c?  What it
 * changes there in *@changed. */
static bool case_changes(const struct pp_case *c, const char *key, const char **changed)
{
	size_t k;

	for (k = 0; k < c->nv; k++)
		if (keys_have(c->v[k].changed_keys, key)) {
			*changed = c->v[k].changed;
			return true;
		}
	return false;
}

/* One case's evidence for @key, into @ev and @f. */
static void case_evidence(struct answer *a, const struct pp_case *c, const char *key,
                          const char *changed, json_t *ev, json_t *same, FILE *f)
{
	size_t k, shown = 0;

	for (k = 0; k < a->nch; k++) {
		const struct change *x = &a->ch[k];
		char b[320], af[300], vs[2048];
		json_t *o;

		if (x->c != c || !keys_have(x->keys, key))
			continue;
		if (!shown++)
			text_term_printf(f, "    %s (\"%s\"), run with %s:\n", c->prof.name,
			                 c->prof.title, changed);
		fmt_value(x->obs, x->before, b, sizeof(b));
		if (x->predicted)
			text_copy(b, sizeof(b), x->before);
		fmt_value(x->obs, x->after, af, sizeof(af));
		variants_str(x, vs, sizeof(vs));
		text_term_printf(f, "      %s: %s -> %s [%s]; %s.table:%u: %.160s%s\n", x->obs, b,
		                 af, vs, c->prof.name, x->row, x->source,
		                 strlen(x->source) > 160 ? "..." : "");
		o = json_object();
		json_object_set_new(o, "case", json_string(c->prof.name));
		json_object_set_new(o, "title", json_string(c->prof.title));
		json_object_set_new(o, "run_with", json_string(changed));
		json_object_set_new(o, "observation", json_string(x->obs));
		json_object_set_new(o, "before", json_string(b));
		json_object_set_new(o, "after", json_string(af));
		json_object_set_new(o, "predicted", json_boolean(x->predicted));
		json_object_set_new(o, "variants", json_string(vs));
		json_object_set_new(o, "row", json_integer(x->row));
		json_object_set_new(o, "source", json_string(x->source));
		json_array_append_new(ev, o);
	}
	if (!shown) {
		json_t *o = json_object();

		text_term_printf(f, "    %s (\"%s\"), run with %s: nothing it observes changed\n",
		                 c->prof.name, c->prof.title, changed);
		json_object_set_new(o, "case", json_string(c->prof.name));
		json_object_set_new(o, "title", json_string(c->prof.title));
		json_object_set_new(o, "run_with", json_string(changed));
		json_array_append_new(same, o);
	}
}

/* The cases that keep @key as a premise, into @kept and @f. */
static size_t premises_of(const struct profile_plan *pl, const char *key, json_t *kept, FILE *f)
{
	size_t i, k, n = 0;

	for (i = 0; i < pl->n; i++)
		for (k = 0; k < pl->c[i].prof.nnotes; k++) {
			const struct sc_profile_note *x = &pl->c[i].prof.notes[k];
			json_t *o;

			if (x->replaced || strcmp(x->key, key))
				continue;
			n++;
			text_term_printf(
			    f,
			    "    %s keeps its own %s (%s.case:%u%s%s): a premise of the "
			    "scenario\n",
			    pl->c[i].prof.name, x->kept, pl->c[i].prof.name, x->line,
			    x->why[0] ? ": " : "", x->why);
			o = json_object();
			json_object_set_new(o, "case", json_string(pl->c[i].prof.name));
			json_object_set_new(o, "kept", json_string(x->kept));
			json_object_set_new(o, "line", json_integer(x->line));
			json_object_set_new(o, "why", json_string(x->why));
			json_array_append_new(kept, o);
		}
	return n;
}

/* One paragraph: what applied line @l does, and the evidence. */
static json_t *paragraph(struct answer *a, const struct profile_line *l, FILE *f)
{
	const struct profile_plan *pl = a->pl;
	const char *doc = sysctl_doc(l->l.key), *changed = NULL;
	json_t *o = json_object(), *ev = json_array(), *same = json_array(), *kept = json_array();
	char where[PATH_MAX + 16];
	size_t i, cases = 0, declared = 0;
	char *text = NULL;
	size_t tlen = 0;
	FILE *t = open_memstream(&text, &tlen);

	if (!t)
		t = f;
	text_term_printf(t, "%s%s%s = %s (%s%s; %s)\n",
	                 l->l.side == SIDE_BOTH ? "" : side_name(l->l.side),
	                 l->l.side == SIDE_BOTH ? "" : ":", l->l.key, l->l.value,
	                 l->l.glob ? "a glob over keys of each endpoint" : "kernel default ",
	                 l->l.glob ? "" : l->def, profile_where(pl->p, l, where, sizeof(where)));
	if (doc)
		text_term_printf(t, "  %s.\n", doc);
	for (i = 0; i < pl->n; i++) {
		declared += profile_plan_declares(&pl->c[i], l->l.key);
		if (!case_changes(&pl->c[i], l->l.key, &changed))
			continue;
		cases++;
		case_evidence(a, &pl->c[i], l->l.key, changed, ev, same, t);
	}
	premises_of(pl, l->l.key, kept, t);
	if (!declared)
		text_term_printf(t,
		                 "    not exercised by the catalogue: no case sets, varies or is "
		                 "judged by it\n");
	else if (!cases && !json_array_size(kept))
		text_term_printf(t, "    changes nothing the catalogue runs: %s\n",
		                 sysctl_value_equal(l->l.value, l->def)
		                     ? "it is the kernel's default"
		                     : "every case that depends on it runs this value already");
	if (t != f) {
		fclose(t);
		fputs(text ? text : "", f);
	}
	json_object_set_new(o, "key", json_string(l->l.key));
	json_object_set_new(o, "side", json_string(side_name(l->l.side)));
	json_object_set_new(o, "value", json_string(l->l.value));
	json_object_set_new(o, "default", json_string(l->def));
	json_object_set_new(o, "where", json_string(where));
	json_object_set_new(o, "doc", doc ? json_string(doc) : json_null());
	json_object_set_new(o, "exercised", json_boolean(declared > 0));
	json_object_set_new(o, "evidence", ev);
	json_object_set_new(o, "unchanged", same);
	json_object_set_new(o, "kept", kept);
	json_object_set_new(o, "text", json_string(text ? text : ""));
	free(text);
	return o;
}

/* A line not applied, and for a global key the cases its host value could
 * change. */
static json_t *not_applied(const struct profile_plan *pl, const struct profile_line *l, FILE *f)
{
	json_t *o = json_object(), *reach = json_array();
	char where[PATH_MAX + 16], names[1024] = "";
	size_t i, n = 0;

	text_term_printf(f, "  %s (%s)%s: %s\n", l->l.key,
	                 profile_where(pl->p, l, where, sizeof(where)),
	                 l->l.may_fail ? " skipped ('-')" : "", l->note);
	if ((l->state == PS_GLOBAL || l->state == PS_READONLY) && l->global) {
		for (i = 0; i < pl->n; i++) {
			size_t len = strlen(names);

			if (!sysctl_global_reaches(l->global, &pl->c[i].base))
				continue;
			json_array_append_new(reach, json_string(pl->c[i].base.name));
			if (n++ < 8)
				snprintf(names + len, sizeof(names) - len, "%s%s", len ? ", " : "",
				         pl->c[i].base.name);
		}
		text_term_printf(f, "    it is %s; its host value could change %s%s%s (%s)\n",
		                 l->global->what, n ? "what these cases observe: " : "no case here",
		                 names, n > 8 ? ", ..." : "", l->global->why);
		json_object_set_new(o, "what", json_string(l->global->what));
		json_object_set_new(o, "reach_why", json_string(l->global->why));
	}
	json_object_set_new(o, "key", json_string(l->l.key));
	json_object_set_new(o, "value", json_string(l->l.value));
	json_object_set_new(o, "where", json_string(where));
	json_object_set_new(o, "state", json_string(pstate_name(l->state)));
	json_object_set_new(o, "may_fail", json_boolean(l->l.may_fail));
	json_object_set_new(o, "why", json_string(l->note));
	json_object_set_new(o, "reaches", reach);
	return o;
}

static void answer_keys(struct answer *a, json_t *report, FILE *f)
{
	const struct profile *p = a->pl->p;
	json_t *ans = json_array(), *na = json_array();
	size_t i, nna = 0;

	text_term_printf(f, "\nwhat the profile changes, key by key:\n");
	for (i = 0; i < p->n; i++)
		if (p->lines[i].state == PS_APPLIED)
			json_array_append_new(ans, paragraph(a, &p->lines[i], f));
	for (i = 0; i < p->n; i++)
		nna += p->lines[i].state != PS_APPLIED && p->lines[i].state != PS_EXCLUDE;
	if (nna)
		text_term_printf(f, "\nnot applied (%zu):\n", nna);
	for (i = 0; i < p->n; i++)
		if (p->lines[i].state != PS_APPLIED && p->lines[i].state != PS_EXCLUDE)
			json_array_append_new(na, not_applied(a->pl, &p->lines[i], f));
	json_object_set_new(report, "answer", ans);
	json_object_set_new(report, "not_applied", na);
}

/* ---- the details ----------------------------------------------------------- */

static void details_notes(const struct profile_plan *pl, json_t *report, FILE *f)
{
	json_t *prem = json_array(), *repl = json_array();
	size_t i, k;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		bool said = false;

		for (i = 0; i < pl->n; i++)
			for (k = 0; k < pl->c[i].prof.nnotes; k++) {
				const struct sc_profile_note *x = &pl->c[i].prof.notes[k];
				json_t *o;

				if (x->replaced != (pass == 1))
					continue;
				if (!said)
					text_term_printf(
					    f, "\n%s\n",
					    pass ? "axes the profile replaced (the case lets "
					           "a profile set them):"
					         : "case premises the profile leaves alone (the "
					           "case's own value stays):");
				said = true;
				text_term_printf(f, "  %s: %s%s%s %s (%s.case:%u%s%s) %s %s\n",
				                 pl->c[i].prof.name,
				                 x->side == SIDE_BOTH ? "" : side_name(x->side),
				                 x->side == SIDE_BOTH ? "" : ":", x->key, x->kept,
				                 pl->c[i].prof.name, x->line, x->why[0] ? ": " : "",
				                 x->why, pass ? "replaced by" : "kept, not",
				                 x->value);
				o = json_object();
				json_object_set_new(o, "case", json_string(pl->c[i].prof.name));
				json_object_set_new(o, "key", json_string(x->key));
				json_object_set_new(o, "side", json_string(side_name(x->side)));
				json_object_set_new(o, "profile", json_string(x->value));
				json_object_set_new(o, "case_value", json_string(x->kept));
				json_object_set_new(o, "line", json_integer(x->line));
				json_object_set_new(o, "why", json_string(x->why));
				json_array_append_new(pass ? repl : prem, o);
			}
	}
	json_object_set_new(report, "premises", prem);
	json_object_set_new(report, "replaced", repl);
}

static void details_changes(struct answer *a, json_t *report, FILE *f)
{
	json_t *changes = json_array();
	const char *last = "";
	size_t k;

	text_term_printf(f, "\nwhat differs, case by case (before -> after):\n");
	for (k = 0; k < a->nch; k++) {
		const struct change *x = &a->ch[k];
		json_t *o = json_object();
		char vs[2048];

		variants_str(x, vs, sizeof(vs));
		if (strcmp(last, x->c->prof.name)) {
			text_term_printf(f, "%s\n", x->c->prof.name);
			last = x->c->prof.name;
		}
		text_term_printf(f, "  %s [%s]%s%s%s: %s -> %s\n", x->obs, vs,
		                 x->step[0] ? " (" : "", x->step, x->step[0] ? ")" : "", x->before,
		                 x->after);
		json_object_set_new(o, "case", json_string(x->c->prof.name));
		json_object_set_new(o, "observation", json_string(x->obs));
		json_object_set_new(o, "step", json_string(x->step));
		json_object_set_new(o, "variants", json_string(vs));
		json_object_set_new(o, "before", json_string(x->before));
		json_object_set_new(o, "after", json_string(x->after));
		json_object_set_new(o, "predicted", json_boolean(x->predicted));
		json_object_set_new(o, "keys", json_string(x->keys));
		json_object_set_new(o, "row", json_integer(x->row));
		json_object_set_new(o, "source", json_string(x->source));
		json_array_append_new(changes, o);
	}
	if (!a->nch)
		text_term_printf(f, "  nothing\n");
	json_object_set_new(report, "changes", changes);
}

json_t *profile_answer(const struct profile_plan *pl, const char *base_root, const char *prof_root,
                       const char *kernel, FILE *out)
{
	struct answer a;
	struct err e;
	json_t *report = json_object();
	size_t nu;

	memset(&a, 0, sizeof(a));
	a.pl = pl;
	a.kernel = kernel;
	a.unexpected = json_array();
	a.base_fd = resdir_open(base_root, RESDIR_FOLLOW, &e);
	a.prof_fd = resdir_open(prof_root, RESDIR_FOLLOW, &e);
	if (a.base_fd < 0 || summary_load_at(&a.bs, a.base_fd, base_root, &e) < 0 ||
	    a.prof_fd < 0 || summary_load_at(&a.ps, a.prof_fd, prof_root, &e) < 0)
		err_print(&e);
	compare_all(&a);
	answer_keys(&a, report, out);
	details_notes(pl, report, out);
	details_changes(&a, report, out);
	nu = json_array_size(a.unexpected);
	text_term_printf(out,
	                 "\nunder the profile, against the tables: %zu check(s) not as expected%s\n"
	                 "the catalogue as written (the baseline): %zu check(s) not as expected\n",
	                 nu, nu ? " (see the report)" : "", a.base_bad);
	json_object_set_new(report, "unexpected", a.unexpected);
	json_object_set_new(report, "baseline_unexpected", json_integer((json_int_t)a.base_bad));
	free(a.ch);
	summary_free(&a.bs);
	summary_free(&a.ps);
	if (a.base_fd >= 0)
		close(a.base_fd);
	if (a.prof_fd >= 0)
		close(a.prof_fd);
	return report;
}
