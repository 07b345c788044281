// SPDX-License-Identifier: GPL-2.0-only
/*
 * profile_diff.c - `tcpconform profile FILE`: the catalogue under the
 * kernel's defaults (or another profile) and under FILE, run side by side,
 * and per behaviour what FILE changes.  Also checks the profile run against
 * the tables, with expectations computed from the profile's own values.
 */
#include "run/profile_diff.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/afile.h"
#include "base/error.h"
#include "base/resdir.h"
#include "base/text.h"
#include "host/profile.h"
#include "out/report.h"
#include "out/results.h"
#include "out/summary.h"
#include "run/runner.h"

/* Times jitter from run to run: only a change beyond 20% (and 100 ms)
 * counts.  Everything else must match exactly. */
static bool is_time(const char *check)
{
	return strstr(check, ".ms") || strstr(check, "time") || strstr(check, "_ms");
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

/* "ipv4-when=now" -> family 4, rest "when=now" ("" for plain "ipv4"). */
static const char *variant_rest(const char *v, int *fam)
{
	*fam = strncmp(v, "ipv6", 4) == 0 ? 6 : 4;
	return v[4] == '-' ? v + 5 : v + 4;
}

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
		char base[256];

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
		{
			const char *had = summary_str(out, base);
			char v[600];
			bool errno_part = name[n - 1] == 'o';

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
	}
	return out;
}

/* The step an observation named @obs came from ("line 22: client connect
 * c2 ..."), from the variant's observed.json. */
static void step_of(int rootfd, json_t *var, const char *obs, char *out, size_t len)
{
	char name[256];
	struct err e;
	json_t *o = NULL, *ob;
	char *dot;
	int vfd;

	out[0] = '\0';
	text_copy(name, sizeof(name), obs);
	dot = strchr(name, '.');
	if (dot)
		*dot = '\0';
	dot = strchr(name, '[');
	if (dot)
		*dot = '\0';
	vfd = rootfd < 0 ? -1 : resdir_open_rel(rootfd, summary_str(var, "dir"), &e);
	if (vfd >= 0) {
		o = results_read_observed(vfd, &e);
		close(vfd);
	}
	ob = json_object_get(json_object_get(o, "observations"), name);
	if (ob) {
		json_t *v = json_object_get(ob, "value");
		const char *step = json_is_object(v) ? summary_str(v, "step") : "";

		if (*step)
			snprintf(out, len, "line %d: %s",
			         (int)json_integer_value(json_object_get(ob, "line")), step);
		else
			snprintf(out, len, "line %d (%s)",
			         (int)json_integer_value(json_object_get(ob, "line")),
			         summary_str(ob, "source"));
	}
	json_decref(o);
}

#define MAX_LABELS 32

struct change {
	char cas[128], obs[256], before[300], after[300], step[300];
	char label[MAX_LABELS][160]; /* the variant without its family */
	unsigned fams[MAX_LABELS];   /* 4 and 6 as bits 1 and 2 */
	size_t nlabels;
};

static void add_variant(struct change *c, const char *rest, int fam)
{
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

/* @pvar's checks that failed under the profile, added to @unexpected. */
static void add_unexpected(json_t *unexpected, json_t *pvar)
{
	json_t *ck;
	size_t k;

	json_array_foreach(json_object_get(pvar, "checks"), k, ck)
	{
		const char *v = summary_str(ck, "verdict");
		json_t *u;

		if (strcmp(v, "fail") && strcmp(v, "error"))
			continue;
		u = json_object();
		json_object_set_new(u, "case", json_string(summary_str(pvar, "case")));
		json_object_set_new(u, "variant", json_string(summary_str(pvar, "variant")));
		json_object_set_new(u, "check", json_string(summary_str(ck, "name")));
		json_object_set_new(u, "observed", json_string(summary_str(ck, "observed")));
		json_object_set_new(u, "expected", json_string(summary_str(ck, "expected")));
		json_object_set_new(u, "reason", json_string(summary_str(ck, "reason")));
		json_array_append_new(unexpected, u);
	}
}

/* The changes grouped, printed on @out and added to @changes. */
static void print_changes(const struct change *ch, size_t nch, json_t *changes, FILE *out)
{
	const char *last = "";
	size_t k;

	for (k = 0; k < nch; k++) {
		json_t *o = json_object();
		char vs[2048];

		variants_str(&ch[k], vs, sizeof(vs));
		if (strcmp(last, ch[k].cas)) {
			text_term_printf(out, "%s\n", ch[k].cas);
			last = ch[k].cas;
		}
		text_term_printf(out, "  %s [%s]%s%s%s: %s -> %s\n", ch[k].obs, vs,
		                 ch[k].step[0] ? " (" : "", ch[k].step, ch[k].step[0] ? ")" : "",
		                 ch[k].before, ch[k].after);
		json_object_set_new(o, "case", json_string(ch[k].cas));
		json_object_set_new(o, "observation", json_string(ch[k].obs));
		json_object_set_new(o, "step", json_string(ch[k].step));
		json_object_set_new(o, "variants", json_string(vs));
		json_object_set_new(o, "before", json_string(ch[k].before));
		json_object_set_new(o, "after", json_string(ch[k].after));
		json_array_append_new(changes, o);
	}
}

/* Compare the two runs: every behaviour that differs, grouped over variants
 * that show the same change. */
static json_t *compare(const char *base_root, const char *prof_root, FILE *out)
{
	struct summary bs = {0}, ps = {0};
	struct err e;
	json_t *bvar, *pvar, *report = json_object(), *changes = json_array(),
	                     *unexpected = json_array();
	struct change *ch = NULL;
	size_t nch = 0, i, k;
	int prof_fd = resdir_open(prof_root, RESDIR_FOLLOW, &e);

	if (prof_fd < 0 || summary_load_at(&ps, prof_fd, prof_root, &e) < 0 ||
	    summary_load(&bs, base_root, &e) < 0)
		err_print(&e);
	json_array_foreach(ps.variants, i, pvar)
	{
		json_t *pres, *bres = NULL;
		const char *key;
		json_t *val;

		bvar =
		    summary_variant(&bs, summary_str(pvar, "case"), summary_str(pvar, "variant"));
		if (bvar)
			bres = results_of(bvar);
		add_unexpected(unexpected, pvar);
		if (!bres)
			continue;
		pres = results_of(pvar);
		json_object_foreach(pres, key, val)
		{
			const char *a = summary_str(bres, key), *b = json_string_value(val);
			struct change *c = NULL;
			const char *rest;
			int fam;

			if (!json_object_get(bres, key) || !differs(key, a, b))
				continue;
			rest = variant_rest(summary_str(pvar, "variant"), &fam);
			for (k = 0; k < nch; k++) {
				/* Times differ in every digit: group them by name only. */
				if (!strcmp(ch[k].cas, summary_str(pvar, "case")) &&
				    !strcmp(ch[k].obs, key) &&
				    (is_time(key) ||
				     (!strcmp(ch[k].before, a) && !strcmp(ch[k].after, b)))) {
					c = &ch[k];
					break;
				}
			}
			if (!c) {
				struct change *n = realloc(ch, (nch + 1) * sizeof(*n));

				if (!n)
					break;
				ch = n;
				c = &ch[nch++];
				memset(c, 0, sizeof(*c));
				text_copy(c->cas, sizeof(c->cas), summary_str(pvar, "case"));
				text_copy(c->obs, sizeof(c->obs), key);
				text_copy(c->before, sizeof(c->before), a);
				text_copy(c->after, sizeof(c->after), b);
				step_of(prof_fd, pvar, key, c->step, sizeof(c->step));
			}
			add_variant(c, rest, fam);
		}
		json_decref(pres);
		json_decref(bres);
	}
	print_changes(ch, nch, changes, out);
	json_object_set_new(report, "changes", changes);
	json_object_set_new(report, "unexpected", unexpected);
	free(ch);
	summary_free(&bs);
	summary_free(&ps);
	if (prof_fd >= 0)
		close(prof_fd);
	return report;
}

static void print_lines(const struct profile *base, const struct profile *pr, FILE *out)
{
	size_t i, k;

	for (i = 0; i < pr->n; i++) {
		const struct profile_line *l = &pr->lines[i];
		const char *was = "?";

		if (l->skipped) {
			text_term_printf(out, "  %s:%u: skipped ('-'): %s\n", pr->file, l->line,
			                 l->note);
			continue;
		}
		for (k = 0; k < base->n; k++)
			if (!strcmp(base->lines[k].key, l->key) && base->lines[k].side == l->side)
				was = base->lines[k].value;
		text_term_printf(out, "  %s%s%s = %s (was %s)\n",
		                 l->side == SIDE_BOTH ? "" : side_name(l->side),
		                 l->side == SIDE_BOTH ? "" : ":", l->key, l->value, was);
	}
}

/* @extra's lines appended to @into (later lines win when applied). */
static int append(struct profile *into, const struct profile *extra, struct err *e)
{
	size_t i;

	for (i = 0; i < extra->n; i++) {
		struct profile_line *n = realloc(into->lines, (into->n + 1) * sizeof(*n));

		if (!n)
			return err_set(e, ERR_SYSTEM, "out of memory");
		into->lines = n;
		into->lines[into->n++] = extra->lines[i];
	}
	return 0;
}

/* ---- profile_diff(), step by step ---- */

/* One `profile` between its steps. */
struct pdiff {
	const struct profile_config *cfg;
	struct profile pr, against; /* FILE and FILE2, as loaded */
	struct profile base, prof;  /* what each run sets */
	struct run_config bo, po;   /* the baseline's run and the profile's */
	/* -o DIR/baseline and DIR/profile: a DIR so long that these are cut
	 * is still longer than any path the runner takes, and refused there. */
	char base_out[PATH_MAX + 16], prof_out[PATH_MAX + 16];
	char base_root[PATH_MAX], prof_root[PATH_MAX];
	int logfd;                   /* the baseline's output */
	pid_t pid;                   /* the baseline's process */
	struct run_result *base_res; /* its result, shared with it */
};

/* Both profiles checked by the kernel before anything runs; what each run
 * sets (every key either names: the other's at kernel defaults); the lines
 * FILE changes printed.  Returns the exit status. */
static int load_profiles(struct pdiff *pd)
{
	const struct profile_config *cfg = pd->cfg;
	struct err e;

	if (profile_load(cfg->file, &pd->pr, &e) < 0 || profile_check(&pd->pr, &e) < 0 ||
	    (cfg->against && (profile_load(cfg->against, &pd->against, &e) < 0 ||
	                      profile_check(&pd->against, &e) < 0))) {
		fprintf(stderr, "%s\n", e.msg);
		return err_exit_status(&e);
	}
	if (profile_defaults(&pd->pr, &pd->base, &e) < 0 ||
	    append(&pd->base, &pd->against, &e) < 0 ||
	    profile_defaults(&pd->against, &pd->prof, &e) < 0 ||
	    append(&pd->prof, &pd->pr, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return err_exit_status(&e);
	}
	if (cfg->against)
		text_copy(pd->base.file, sizeof(pd->base.file), cfg->against);
	text_copy(pd->prof.file, sizeof(pd->prof.file), pd->pr.file);
	text_term_printf(stdout, "profile %s against %s\n", pd->pr.file,
	                 cfg->against ? cfg->against : "kernel defaults");
	print_lines(&pd->base, &pd->pr, stdout);
	return EXIT_PASS;
}

/* The two runs' configurations: the same cases and options, each its
 * profile; with -o DIR, DIR/baseline and DIR/profile instead of two runs
 * under results/. */
static void configure_runs(struct pdiff *pd)
{
	const struct profile_config *cfg = pd->cfg;

	memset(&pd->bo, 0, sizeof(pd->bo));
	pd->bo.names = cfg->names;
	pd->bo.nnames = cfg->nnames;
	pd->bo.parallel = cfg->parallel;
	pd->bo.family = cfg->family;
	pd->bo.color = cfg->color;
	pd->bo.profile = &pd->base;
	pd->po = pd->bo;
	pd->po.profile = &pd->prof;
	if (cfg->outdir) {
		snprintf(pd->base_out, sizeof(pd->base_out), "%s/baseline", cfg->outdir);
		snprintf(pd->prof_out, sizeof(pd->prof_out), "%s/profile", cfg->outdir);
		pd->bo.outdir = pd->base_out;
		pd->po.outdir = pd->prof_out;
	}
}

/* The baseline run in a child of its own (both runs go at once: most of
 * their time is kernel timers).  Its output goes to a memfd, no name in
 * /tmp that another user could plant a link at; its run_result to memory
 * shared with us.  Returns the exit status. */
static int start_baseline(struct pdiff *pd)
{
	pd->logfd = memfd_create("tcpconform-baseline", MFD_CLOEXEC);
	if (pd->logfd < 0) {
		perror("tcpconform: memfd_create");
		return EXIT_ENV;
	}
	pd->base_res = mmap(NULL, sizeof(*pd->base_res), PROT_READ | PROT_WRITE,
	                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (pd->base_res == MAP_FAILED) {
		pd->base_res = NULL;
		perror("tcpconform: mmap");
		return EXIT_ENV;
	}
	fflush(stdout);
	pd->pid = fork();
	if (pd->pid < 0) {
		perror("fork");
		return EXIT_ENV;
	}
	if (pd->pid > 0)
		return EXIT_PASS;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (dup2(pd->logfd, STDOUT_FILENO) < 0)
		_exit(EXIT_ENV);
	{
		int r = runner_run(&pd->bo, pd->base_res);

		fflush(stdout);
		_exit(r == EXIT_ENV ? EXIT_ENV : 0);
	}
}

/* A run's error names DIR/baseline or DIR/profile, made here and no
 * argument of the command line: it points at none (column 1). */
static void unpoint(struct run_result *res, const struct run_config *rc)
{
	if (res->bad_value && res->bad_value == rc->outdir)
		res->bad_value = NULL;
}

/* The baseline's end, and its results directory: the last line of its
 * output. */
static void wait_baseline(struct pdiff *pd, struct profile_result *res)
{
	int ws, rfd;
	FILE *f;
	char line[PATH_MAX + 16];

	while (waitpid(pd->pid, &ws, 0) < 0 && errno == EINTR)
		;
	pd->pid = -1;
	res->baseline = *pd->base_res;
	unpoint(&res->baseline, &pd->bo);
	rfd = lseek(pd->logfd, 0, SEEK_SET) == 0 ? dup(pd->logfd) : -1;
	f = rfd >= 0 ? fdopen(rfd, "r") : NULL;
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "results: ", 9) == 0) {
			line[strcspn(line, "\n")] = '\0';
			text_copy(pd->base_root, sizeof(pd->base_root), line + 9);
		}
	if (f)
		fclose(f);
	else if (rfd >= 0)
		close(rfd);
}

/* The baseline's run and the profile's, at once.  Returns the exit status:
 * EXIT_PASS or EXIT_UNEXPECTED when both left results to compare. */
static int run_both(struct pdiff *pd, struct profile_result *res)
{
	int rc = start_baseline(pd);

	if (rc != EXIT_PASS)
		return rc;
	printf("== the profile's run\n");
	rc = runner_run(&pd->po, &res->profile);
	unpoint(&res->profile, &pd->po);
	snprintf(pd->prof_root, sizeof(pd->prof_root), "%s", res->profile.root);
	wait_baseline(pd, res);
	if (rc == EXIT_USAGE || rc == EXIT_ENV || rc == 130 || !pd->base_root[0]) {
		if (!pd->base_root[0] && rc != 130)
			err_set(&res->stop, ERR_ENV, "the baseline run wrote no results");
		return rc == EXIT_PASS || rc == EXIT_UNEXPECTED ? EXIT_ENV : rc;
	}
	return rc;
}

/* What the profile changes, printed and as profile.json's start; NULL
 * when no memory is left. */
static json_t *compare_runs(struct pdiff *pd)
{
	const char *against = pd->cfg->against ? pd->cfg->against : "kernel defaults";
	json_t *report;
	char *buf = NULL;
	size_t blen = 0;
	FILE *txt;

	printf("baseline (%s): %s\n\nwhat the profile changes:\n", against, pd->base_root);
	txt = open_memstream(&buf, &blen);
	if (!txt)
		return NULL;
	report = compare(pd->base_root, pd->prof_root, txt);
	fclose(txt);
	fputs(blen ? buf : "  nothing\n", stdout);
	free(buf);
	json_object_set_new(report, "profile", json_string(pd->pr.file));
	json_object_set_new(report, "against", json_string(against));
	json_object_set_new(report, "baseline_run", json_string(pd->base_root));
	json_object_set_new(report, "lines", profile_json(&pd->pr));
	json_object_set_new(report, "baseline_lines", profile_json(&pd->base));
	{
		size_t nu = json_array_size(json_object_get(report, "unexpected"));

		printf("\nunder the profile, against the tables: %zu check(s) not as expected%s\n",
		       nu,
		       nu ? " (see the report: a value no table row covers is listed too)" : "");
	}
	return report;
}

/* The profile run's directory gets profile.json, and its report.html the
 * section "what the profile changes". */
static void write_report(struct pdiff *pd, json_t *report)
{
	struct err e;
	char *path = results_path(pd->prof_root, RESULTS_PROFILE, &e);
	int fd = path ? resdir_open(pd->prof_root, RESDIR_FOLLOW, &e) : -1;

	if (fd >= 0) {
		results_write_json(fd, RESULTS_PROFILE, path, report, 0, &e);
		close(fd);
	}
	free(path);
	if (report_write_run(pd->prof_root, &e) < 0)
		err_print(&e);
	printf("report: %s/report.html\n", pd->prof_root);
}

int profile_diff(const struct profile_config *cfg, struct profile_result *res)
{
	struct pdiff pd;
	json_t *report;
	int rc;

	memset(&pd, 0, sizeof(pd));
	memset(res, 0, sizeof(*res));
	pd.cfg = cfg;
	pd.logfd = -1;
	pd.pid = -1;
	rc = load_profiles(&pd);
	if (rc == EXIT_PASS) {
		configure_runs(&pd);
		rc = run_both(&pd, res);
	}
	if (rc == EXIT_PASS || rc == EXIT_UNEXPECTED) {
		report = compare_runs(&pd);
		if (report) {
			write_report(&pd, report);
			json_decref(report);
		} else {
			rc = EXIT_ENV;
		}
	}
	if (pd.logfd >= 0)
		close(pd.logfd);
	if (pd.base_res)
		munmap(pd.base_res, sizeof(*pd.base_res));
	profile_free(&pd.pr);
	profile_free(&pd.against);
	profile_free(&pd.base);
	profile_free(&pd.prof);
	return rc;
}
