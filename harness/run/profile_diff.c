// SPDX-License-Identifier: GPL-2.0-only
/*
 * profile_diff.c - `tcpconform profile FILE`: the catalogue under the
 * kernel's defaults (or another profile) and under FILE, run side by side,
 * and per behaviour what FILE changes.  Also checks the profile run against
 * the tables, with expectations computed from the profile's own values.
 */
#include "run/profile_diff.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
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
#include "cli/cmdline.h"
#include "host/profile.h"
#include "out/report.h"
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
		o = summary_json_at(vfd, "observed.json", "observed.json", &e);
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
		json_t *pres, *bres = NULL, *ck;
		const char *key;
		json_t *val;

		bvar =
		    summary_variant(&bs, summary_str(pvar, "case"), summary_str(pvar, "variant"));
		if (bvar)
			bres = results_of(bvar);
		json_array_foreach(json_object_get(pvar, "checks"), k, ck)
		{
			const char *v = summary_str(ck, "verdict");

			if (strcmp(v, "fail") && strcmp(v, "error"))
				continue;
			{
				json_t *u = json_object();

				json_object_set_new(u, "case",
				                    json_string(summary_str(pvar, "case")));
				json_object_set_new(u, "variant",
				                    json_string(summary_str(pvar, "variant")));
				json_object_set_new(u, "check",
				                    json_string(summary_str(ck, "name")));
				json_object_set_new(u, "observed",
				                    json_string(summary_str(ck, "observed")));
				json_object_set_new(u, "expected",
				                    json_string(summary_str(ck, "expected")));
				json_object_set_new(u, "reason",
				                    json_string(summary_str(ck, "reason")));
				json_array_append_new(unexpected, u);
			}
		}
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
	{
		const char *last = "";

		for (k = 0; k < nch; k++) {
			json_t *o = json_object();
			char vs[2048];

			variants_str(&ch[k], vs, sizeof(vs));
			if (strcmp(last, ch[k].cas)) {
				text_term_printf(out, "%s\n", ch[k].cas);
				last = ch[k].cas;
			}
			text_term_printf(out, "  %s [%s]%s%s%s: %s -> %s\n", ch[k].obs, vs,
			                 ch[k].step[0] ? " (" : "", ch[k].step,
			                 ch[k].step[0] ? ")" : "", ch[k].before, ch[k].after);
			json_object_set_new(o, "case", json_string(ch[k].cas));
			json_object_set_new(o, "observation", json_string(ch[k].obs));
			json_object_set_new(o, "step", json_string(ch[k].step));
			json_object_set_new(o, "variants", json_string(vs));
			json_object_set_new(o, "before", json_string(ch[k].before));
			json_object_set_new(o, "after", json_string(ch[k].after));
			json_array_append_new(changes, o);
		}
	}
	json_object_set_new(report, "changes", changes);
	json_object_set_new(report, "unexpected", unexpected);
	free(ch);
	summary_free(&bs);
	summary_free(&ps);
	if (prof_fd >= 0)
		close(prof_fd);
	return report;
}

/* The baseline run in a child of its own (both runs go at once: most of
 * their time is kernel timers).  Its output goes to @logfd: a memfd, no
 * name in /tmp that another user could plant a link at. */
static pid_t run_baseline(const struct run_config *o, int logfd)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (dup2(logfd, STDOUT_FILENO) < 0)
		_exit(EXIT_ENV);
	{
		struct run_result res;
		int r = runner_run(o, &res);

		if (res.bad.kind != ERR_NONE)
			cmdline_bad(res.bad_value, "%s", res.bad.msg);
		fflush(stdout);
		_exit(r == EXIT_ENV ? EXIT_ENV : 0);
	}
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

int cmd_profile(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"against", required_argument, NULL, 'a'}, {"jobs", required_argument, NULL, 'j'},
	    {"output", required_argument, NULL, 'o'},  {"family", required_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
	};
	struct profile pr = {0}, against = {0}, base = {0}, prof = {0};
	struct run_config bo = {.parallel = 16}, po;
	struct run_result res;
	const char *against_path = NULL, *outdir = NULL;
	char base_root[2048] = "", prof_root[2048] = "", path[4200];
	char base_out[2300], prof_out[2300];
	struct err e;
	int c, rc = EXIT_PASS, ws, logfd = -1;
	pid_t pid;
	json_t *report;
	FILE *txt;
	char *buf = NULL;
	size_t blen = 0;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "j:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (!*optarg) /* "" would put DIR/baseline at /baseline */
				return cmdline_bad(optarg, "-o: an empty directory name");
			outdir = optarg;
			break;
		case 'a':
			against_path = optarg;
			break;
		case 'j':
			if ((bo.parallel = (int)cmdline_positive("-j", optarg, 256)) < 0)
				return EXIT_USAGE;
			break;
		case 'f':
			if (strcmp(optarg, "4") && strcmp(optarg, "6"))
				return cmdline_bad(optarg, "--family: '%s' is not 4 or 6", optarg);
			bo.family = optarg[0] - '0';
			break;
		case 'h':
			printf("usage: tcpconform profile FILE [--against FILE2] [CASE...] [-j N] "
			       "[-o DIR] [--family 4|6]\n");
			return EXIT_PASS;
		default:
			return cmdline_bad(argv[optind - 1], "unknown option '%s'",
			                   argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cmdline_bad(argv[argc - 1] + strlen(argv[argc - 1]),
		                   "profile: expected a sysctl profile FILE");
	/* Both profiles are checked by the kernel before anything runs. */
	if (profile_load(argv[optind], &pr, &e) < 0 || profile_check(&pr, &e) < 0 ||
	    (against_path &&
	     (profile_load(against_path, &against, &e) < 0 || profile_check(&against, &e) < 0))) {
		fprintf(stderr, "%s\n", e.msg);
		rc = err_exit_status(&e);
		goto out;
	}
	/* Each run sets every key either names: the other's at kernel defaults. */
	if (profile_defaults(&pr, &base, &e) < 0 || append(&base, &against, &e) < 0 ||
	    profile_defaults(&against, &prof, &e) < 0 || append(&prof, &pr, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		rc = err_exit_status(&e);
		goto out;
	}
	if (against_path)
		text_copy(base.file, sizeof(base.file), against_path);
	text_copy(prof.file, sizeof(prof.file), pr.file);
	text_term_printf(stdout, "profile %s against %s\n", pr.file,
	                 against_path ? against_path : "kernel defaults");
	print_lines(&base, &pr, stdout);
	bo.names = argv + optind + 1;
	bo.nnames = argc - optind - 1;
	bo.profile = &base;
	po = bo;
	po.profile = &prof;
	if (outdir) {
		/* DIR/baseline and DIR/profile instead of two runs under results/. */
		snprintf(base_out, sizeof(base_out), "%s/baseline", outdir);
		snprintf(prof_out, sizeof(prof_out), "%s/profile", outdir);
		bo.outdir = base_out;
		po.outdir = prof_out;
	}
	logfd = memfd_create("tcpconform-baseline", MFD_CLOEXEC);
	if (logfd < 0) {
		perror("tcpconform: memfd_create");
		rc = EXIT_ENV;
		goto out;
	}
	fflush(stdout);
	pid = run_baseline(&bo, logfd);
	if (pid < 0) {
		perror("fork");
		rc = EXIT_ENV;
		goto out;
	}
	printf("== the profile's run\n");
	rc = runner_run(&po, &res);
	if (res.bad.kind != ERR_NONE)
		cmdline_bad(res.bad_value, "%s", res.bad.msg);
	snprintf(prof_root, sizeof(prof_root), "%s", res.root);
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	{
		/* The baseline's results directory: the last line of its output. */
		int rfd = lseek(logfd, 0, SEEK_SET) == 0 ? dup(logfd) : -1;
		FILE *f = rfd >= 0 ? fdopen(rfd, "r") : NULL;
		char line[2300];

		while (f && fgets(line, sizeof(line), f))
			if (strncmp(line, "results: ", 9) == 0)
				sscanf(line + 9, "%2047s", base_root);
		if (f)
			fclose(f);
		else if (rfd >= 0)
			close(rfd);
	}
	if (rc == EXIT_USAGE || rc == EXIT_ENV || rc == 130 || !base_root[0]) {
		if (!base_root[0] && rc != 130)
			fprintf(stderr, "tcpconform: the baseline run wrote no results\n");
		rc = rc == EXIT_PASS || rc == EXIT_UNEXPECTED ? EXIT_ENV : rc;
		goto out;
	}
	printf("baseline (%s): %s\n\nwhat the profile changes:\n",
	       against_path ? against_path : "kernel defaults", base_root);
	txt = open_memstream(&buf, &blen);
	if (!txt) {
		rc = EXIT_ENV;
		goto out;
	}
	report = compare(base_root, prof_root, txt);
	fclose(txt);
	fputs(blen ? buf : "  nothing\n", stdout);
	json_object_set_new(report, "profile", json_string(pr.file));
	json_object_set_new(report, "against",
	                    json_string(against_path ? against_path : "kernel defaults"));
	json_object_set_new(report, "baseline_run", json_string(base_root));
	json_object_set_new(report, "lines", profile_json(&pr));
	json_object_set_new(report, "baseline_lines", profile_json(&base));
	{
		size_t nu = json_array_size(json_object_get(report, "unexpected"));

		printf("\nunder the profile, against the tables: %zu check(s) not as expected%s\n",
		       nu,
		       nu ? " (see the report: a value no table row covers is listed too)" : "");
	}
	snprintf(path, sizeof(path), "%s/profile.json", prof_root);
	{
		struct afile af;

		if (afile_open(&af, path, &e) == 0) {
			json_dumpf(report, af.fp, JSON_INDENT(2));
			fputc('\n', af.fp);
			afile_commit(&af, &e);
		}
	}
	json_decref(report);
	/* The report gains its "what the profile changes" section. */
	if (report_write_run(prof_root, &e) < 0)
		err_print(&e);
	printf("report: %s/report.html\n", prof_root);
out:
	if (logfd >= 0)
		close(logfd);
	free(buf);
	profile_free(&pr);
	profile_free(&against);
	profile_free(&base);
	profile_free(&prof);
	return rc;
}
