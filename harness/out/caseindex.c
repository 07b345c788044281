// SPDX-License-Identifier: GPL-2.0-only
/* caseindex.c - report.html's index by case, failures first. */
#include "out/caseindex.h"

#include <stdlib.h>
#include <string.h>

#include "base/text.h"

enum { V_PASS, V_XFAIL, V_SKIP, V_FAIL, V_ERROR, V_N };

static const char *const verdicts[V_N] = {"pass", "xfail", "skip", "fail", "error"};

const char caseindex_css[] =
    "#f-all,#f-bad{margin-left:12px}#f-bad:checked~* .ok,#f-bad:checked~.ok{display:none}"
    ".claim{color:#444;font-size:12px}td.n{text-align:right}";

struct group {
	const char *name, *title, *why; /* borrowed from the summaries */
	json_t *first;                  /* its first variant, for the link */
	int first_run;
	size_t order;         /* first seen */
	bool bad;             /* a fail or an error in any run */
	unsigned long *count; /* [run * V_N + verdict] */
};

static int verdict_index(const char *v)
{
	for (int i = 0; i < V_N; i++)
		if (!strcmp(v, verdicts[i]))
			return i;
	return V_ERROR; /* anything else is not a pass */
}

const char *caseindex_class(json_t *var)
{
	int v = verdict_index(summary_str(var, "verdict"));

	return v == V_FAIL || v == V_ERROR ? "bad" : "ok";
}

void caseindex_filter(FILE *fp)
{
	/* Straight in <body>, not in a <p>: the radios must be siblings of what
	 * they hide. */
	fprintf(fp, "show <input type=\"radio\" name=\"f\" id=\"f-all\" checked>"
	            "<label for=\"f-all\">every case</label>"
	            "<input type=\"radio\" name=\"f\" id=\"f-bad\">"
	            "<label for=\"f-bad\">failures and errors only</label>\n");
}

static int group_cmp(const void *pa, const void *pb)
{
	const struct group *a = pa, *b = pb;

	if (a->bad != b->bad)
		return a->bad ? -1 : 1;
	return (a->order > b->order) - (a->order < b->order);
}

/* The groups of @n runs' variants, in first-seen order; NULL when out of memory. */
static struct group *collect(const struct summary *sums, int n, size_t *ngroups)
{
	size_t total = 0, ng = 0;
	struct group *g;

	for (int i = 0; i < n; i++)
		total += sums[i].nvars;
	g = calloc(total ? total : 1, sizeof(*g));
	if (!g)
		return NULL;
	for (int i = 0; i < n; i++) {
		json_t *v;
		size_t k;

		json_array_foreach(sums[i].variants, k, v)
		{
			const char *name = summary_str(v, "case");
			int vd = verdict_index(summary_str(v, "verdict"));
			size_t j;

			/* cases are few and their variants adjacent: the last group first */
			for (j = ng; j > 0 && strcmp(g[j - 1].name, name) != 0; j--)
				;
			if (j == 0) {
				g[ng] = (struct group){
				    .name = name, .first = v, .first_run = i, .order = ng};
				g[ng].count = calloc((size_t)n * V_N, sizeof(*g[ng].count));
				if (!g[ng].count) {
					for (j = 0; j < ng; j++)
						free(g[j].count);
					free(g);
					return NULL;
				}
				j = ++ng;
			}
			struct group *c = &g[j - 1];
			if (!c->title || !*c->title)
				c->title = summary_str(v, "title");
			if (!c->why || !*c->why)
				c->why = summary_str(v, "why");
			c->count[(size_t)i * V_N + (size_t)vd]++;
			if (vd == V_FAIL || vd == V_ERROR)
				c->bad = true;
		}
	}
	*ngroups = ng;
	return g;
}

int caseindex_html(FILE *fp, const struct summary *sums, int n, const char *const *dirs)
{
	size_t ng = 0;
	struct group *g = collect(sums, n, &ng);

	if (!g)
		return -1;
	qsort(g, ng, sizeof(*g), group_cmp);
	fprintf(fp, "<table class=\"index\"><tr><th>case</th><th>what it shows</th>");
	for (int i = 0; i < n; i++) {
		fprintf(fp, "<th>");
		if (dirs) {
			text_escape_xml(fp, summary_str(sums[i].root, "kernel"));
			fprintf(fp, "<br>");
		}
		for (int v = 0; v < V_N; v++)
			fprintf(fp, "%s<span class=\"%s\">%s</span>", v ? " " : "", verdicts[v],
			        verdicts[v]);
		fprintf(fp, "</th>");
	}
	fprintf(fp, "</tr>\n");
	for (size_t k = 0; k < ng; k++) {
		fprintf(fp, "<tr class=\"%s\"><td class=\"mono\"><a href=\"",
		        g[k].bad ? "bad" : "ok");
		if (dirs) { /* directories named on the command line, as the matrix links them */
			text_escape_xml(fp, dirs[g[k].first_run]);
			fprintf(fp, "/report.html");
		}
		fprintf(fp, "#");
		text_escape_url(fp, summary_str(g[k].first, "dir"));
		fprintf(fp, "\">");
		text_escape_xml(fp, g[k].name);
		fprintf(fp, "</a></td><td>");
		text_escape_xml(fp, g[k].title ? g[k].title : "");
		if (g[k].why && *g[k].why) {
			fprintf(fp, "<div class=\"claim\">");
			text_escape_xml(fp, g[k].why);
			fprintf(fp, "</div>");
		}
		fprintf(fp, "</td>");
		for (int i = 0; i < n; i++) {
			fprintf(fp, "<td class=\"n\">");
			for (int v = 0; v < V_N; v++) {
				unsigned long c = g[k].count[(size_t)i * V_N + (size_t)v];

				if (c)
					fprintf(fp, " <span class=\"%s\">%lu %s</span>",
					        verdicts[v], c, verdicts[v]);
			}
			fprintf(fp, "</td>");
		}
		fprintf(fp, "</tr>\n");
	}
	fprintf(fp, "</table>\n");
	for (size_t k = 0; k < ng; k++)
		free(g[k].count);
	free(g);
	return 0;
}
