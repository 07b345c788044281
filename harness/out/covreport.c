// SPDX-License-Identifier: GPL-2.0-only
/* covreport.c - coverage read from results directories, as text, JSON and HTML. */
#include "out/covreport.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/afile.h"
#include "base/resdir.h"
#include "base/text.h"
#include "out/results.h"

/* events.txt larger than this is left out (as the report does). */
#define COV_MAX_EVENTS ((size_t)16 << 20)

/* ---- reading -------------------------------------------------------------- */

int covreport_add(struct coverage *c, int rootfd, json_t *var)
{
	json_t *obs = NULL;
	char *events = NULL;
	struct err e;
	size_t len;
	int vfd = resdir_open_rel(rootfd, summary_str(var, "dir"), &e), r;

	if (vfd >= 0) {
		obs = results_read_observed(vfd, &e);
		if (obs)
			events = results_read_text(vfd, RESULTS_EVENTS, COV_MAX_EVENTS, &len, &e);
		close(vfd);
	}
	r = cov_add_variant(c, var, obs, events);
	json_decref(obs);
	free(events);
	return r;
}

int covreport_read(struct coverage *c, const char *dir, struct err *e)
{
	struct summary sum;
	json_t *var;
	size_t i;
	int fd = resdir_open(dir, RESDIR_FOLLOW, e), r = 0;

	if (fd < 0) {
		e->kind = ERR_INPUT;
		return -1;
	}
	if (summary_load_at(&sum, fd, dir, e) < 0) {
		close(fd);
		return -1;
	}
	json_array_foreach(sum.variants, i, var)
	{
		if (covreport_add(c, fd, var) < 0) {
			r = err_set(e, ERR_SYSTEM, "%s: out of memory", dir);
			break;
		}
	}
	summary_free(&sum);
	close(fd);
	return r;
}

/* ---- text ------------------------------------------------------------------- */

static double pct(size_t a, size_t b)
{
	return b ? 100.0 * (double)a / (double)b : 0;
}

/* @s escaped for the terminal, then spaces up to @width. */
static void padded(FILE *fp, const char *s, size_t width)
{
	size_t n = strlen(s);

	text_escape_term(fp, s);
	while (n++ < width)
		fputc(' ', fp);
}

/* At most @max of @s, then "(+N)". */
static void set_text(FILE *fp, const struct cov_set *s, size_t max)
{
	size_t i;

	for (i = 0; i < s->n && i < max; i++)
		text_term_printf(fp, "%s%s", i ? " " : "", s->s[i]);
	if (s->n > max)
		fprintf(fp, " (+%zu)", s->n - max);
}

/* The cases that made @cell (six unless @verbose) and, when @verbose, the
 * rows that checked it, each list ending its line. */
static void cell_cases_text(FILE *fp, const struct cov_cell *cell, int verbose)
{
	set_text(fp, &cell->cases, verbose ? SIZE_MAX : 6);
	fprintf(fp, "\n");
	if (verbose && cell->rows.n) {
		fprintf(fp, "      checked by: ");
		set_text(fp, &cell->rows, SIZE_MAX);
		fprintf(fp, "\n");
	}
}

static void transition_text(FILE *fp, const struct coverage *c, const struct cov_transition *t,
                            int verbose)
{
	const struct cov_cell *cell = &c->cell[t->from][t->to];

	fprintf(fp, "  %-13s %-13s ", cov_state_name(t->from), cov_state_name(t->to));
	if (!cell->variants) {
		fprintf(fp, "%-10s %-9s not seen (%s)\n", "-", "-", cov_seen_name(t->seen));
		return;
	}
	fprintf(fp, "%-10lu %-9zu ", cell->variants, cell->rows.n);
	cell_cases_text(fp, cell, verbose);
}

static void transitions_text(FILE *fp, const struct coverage *c, int verbose)
{
	struct cov_totals t;
	size_t i;
	int a, b;

	cov_totals(c, &t);
	text_term_printf(fp,
	                 "transitions (%s): %zu of %zu reachable seen (%.0f%%), %zu checked by a "
	                 "row (%.0f%%); %zu unreachable\n",
	                 c->tr->file, t.seen, t.reachable, pct(t.seen, t.reachable), t.checked,
	                 pct(t.checked, t.reachable), t.unreachable);
	fprintf(fp, "  %-13s %-13s %-10s %-9s %s\n", "FROM", "TO", "VARIANTS", "ROWS", "CASES");
	for (i = 0; i < c->tr->n; i++)
		if (c->tr->t[i].reachable)
			transition_text(fp, c, &c->tr->t[i], verbose);
	for (i = 0; i < c->tr->n; i++)
		if (!c->tr->t[i].reachable)
			text_term_printf(fp, "  %s %s unreachable: %s\n",
			                 cov_state_name(c->tr->t[i].from),
			                 cov_state_name(c->tr->t[i].to), c->tr->t[i].reason);
	for (a = 0; a < CS_COUNT; a++)
		for (b = 0; b < CS_COUNT; b++)
			if (c->cell[a][b].variants && !cov_transition_find(c->tr, a, b)) {
				fprintf(fp, "  %-13s %-13s %-10lu NOT LISTED: ", cov_state_name(a),
				        cov_state_name(b), c->cell[a][b].variants);
				set_text(fp, &c->cell[a][b].cases, 6);
				fprintf(fp, "\n");
			}
}

static void timers_text(FILE *fp, const struct coverage *c, int verbose)
{
	struct cov_totals t;
	size_t i;

	if (!c->tm)
		return;
	cov_totals(c, &t);
	text_term_printf(fp, "timers (%s): %zu of %zu seen, %zu checked by a row\n", c->tm->file,
	                 t.timers_seen, t.timers, t.timers_checked);
	for (i = 0; i < c->tm->nnames; i++) {
		const struct cov_cell *cell = &c->timer[i];

		fprintf(fp, "  ");
		padded(fp, c->tm->names[i], 19);
		if (!cell->variants) {
			fprintf(fp, "not seen\n");
			continue;
		}
		fprintf(fp, "%lu variant(s), %zu row(s): ", cell->variants, cell->rows.n);
		cell_cases_text(fp, cell, verbose);
	}
}

static void counters_text(FILE *fp, const struct coverage *c, int verbose)
{
	struct cov_totals t;
	size_t i;

	cov_totals(c, &t);
	fprintf(fp, "counters: %zu observed, %zu moved, %zu checked moving by a row\n", t.counters,
	        t.counters_moved, t.counters_checked);
	for (i = 0; i < c->nctr; i++) {
		const struct cov_counter *k = &c->ctr[i];

		fprintf(fp, "  ");
		padded(fp, k->name, 31);
		fprintf(fp, "moved in %lu of %lu variant(s), %zu row(s)%s", k->moved.variants,
		        k->observed, k->moved.rows.n, k->moved.variants ? ": " : "");
		set_text(fp, &k->moved.cases, verbose ? SIZE_MAX : 4);
		fprintf(fp, "\n");
	}
}

void covreport_text(FILE *fp, const struct coverage *c, size_t nruns, int verbose)
{
	fprintf(fp,
	        "coverage of %zu run(s): %lu variant(s), %lu ran, %lu with tracepoint events "
	        "(%lu state event(s) of sockets not theirs left out)\n",
	        nruns, c->variants, c->ran, c->with_events, c->stale);
	transitions_text(fp, c, verbose);
	timers_text(fp, c, verbose);
	counters_text(fp, c, verbose);
}

int covreport_write_json(const struct coverage *c, const char *const *runs, size_t nruns,
                         const char *path, struct err *e)
{
	json_t *j = cov_json(c, runs, nruns);
	struct afile af;

	if (!j)
		return err_set(e, ERR_SYSTEM, "%s: out of memory", path);
	if (afile_open(&af, path, e) < 0) {
		json_decref(j);
		return -1;
	}
	if (json_dumpf(j, af.fp, JSON_INDENT(1) | JSON_ENSURE_ASCII) < 0 ||
	    fputc('\n', af.fp) == EOF) {
		json_decref(j);
		afile_abort(&af);
		return err_set(e, ERR_SYSTEM, "%s: out of memory", path);
	}
	json_decref(j);
	return afile_commit(&af, e);
}

/* ---- HTML -------------------------------------------------------------------- */

/* Where each state stands in the diagram: CLOSE twice, as the origin at
 * the top and as the end at the bottom (index CS_COUNT). */
static const struct {
	int x, y;
} pos[CS_COUNT + 1] = {
    [CS_CLOSE] = {430, 30},         [CS_LISTEN] = {150, 110},     [CS_SYN_SENT] = {710, 110},
    [CS_NEW_SYN_RECV] = {150, 200}, [CS_SYN_RECV] = {430, 200},   [CS_ESTABLISHED] = {430, 290},
    [CS_FIN_WAIT1] = {210, 380},    [CS_CLOSE_WAIT] = {710, 380}, [CS_FIN_WAIT2] = {110, 470},
    [CS_CLOSING] = {330, 470},      [CS_LAST_ACK] = {710, 470},   [CS_TW_FIN_WAIT2] = {110, 570},
    [CS_TIME_WAIT] = {330, 570},    [CS_COUNT] = {560, 660},
};
#define BOX_W 124
#define BOX_H 28

/* The point where the line from (x,y) towards (tx,ty) leaves the box
 * around (x,y). */
static void leave_box(double x, double y, double tx, double ty, double *ox, double *oy)
{
	double dx = tx - x, dy = ty - y, k = INFINITY;

	if (fabs(dx) > 1e-9)
		k = (BOX_W / 2.0 + 3) / fabs(dx);
	if (fabs(dy) > 1e-9 && (BOX_H / 2.0 + 3) / fabs(dy) < k)
		k = (BOX_H / 2.0 + 3) / fabs(dy);
	if (!isfinite(k) || k > 1)
		k = 0;
	*ox = x + dx * k;
	*oy = y + dy * k;
}

/* The colour and dashes of an edge, by what became of it. */
static void edge_style(const struct coverage *c, int a, int b, const char **cls)
{
	const struct cov_transition *t = cov_transition_find(c->tr, a, b);
	const struct cov_cell *cell = &c->cell[a][b];

	if (!t)
		*cls = "cv-unlisted";
	else if (!t->reachable)
		*cls = "cv-unreach";
	else if (cell->rows.n)
		*cls = "cv-checked";
	else if (cell->variants)
		*cls = "cv-seen";
	else
		*cls = "cv-missing";
}

static void edge_svg(FILE *fp, const struct coverage *c, int a, int b)
{
	int pa = a, pb = b == CS_CLOSE ? CS_COUNT : b;
	double x1 = pos[pa].x, y1 = pos[pa].y, x2 = pos[pb].x, y2 = pos[pb].y;
	double mx = (x1 + x2) / 2, my = (y1 + y2) / 2, len = hypot(x2 - x1, y2 - y1);
	double bend = len > 300 ? 40 : 16, cx = mx - (y2 - y1) / len * bend,
	       cy = my + (x2 - x1) / len * bend, sx, sy, ex, ey;
	const char *cls;

	edge_style(c, a, b, &cls);
	leave_box(x1, y1, cx, cy, &sx, &sy);
	leave_box(x2, y2, cx, cy, &ex, &ey);
	fprintf(fp, "<g class=\"%s\"><title>%s &#8594; %s: ", cls, cov_state_name(a),
	        cov_state_name(b));
	if (!strcmp(cls, "cv-unreach"))
		fprintf(fp, "unreachable");
	else
		fprintf(fp, "seen in %lu variant(s), checked by %zu row(s)", c->cell[a][b].variants,
		        c->cell[a][b].rows.n);
	fprintf(fp,
	        "</title><path d=\"M%.1f,%.1f Q%.1f,%.1f %.1f,%.1f\" fill=\"none\" "
	        "marker-end=\"url(#cva)\"/></g>\n",
	        sx, sy, cx, cy, ex, ey);
}

static void diagram(FILE *fp, const struct coverage *c)
{
	int s, a, b;
	size_t i;

	fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"860\" height=\"700\" "
	            "class=\"cvdiag\"><defs><marker id=\"cva\" viewBox=\"0 0 10 10\" refX=\"10\" "
	            "refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path "
	            "d=\"M0,0L10,5L0,10z\" fill=\"context-stroke\"/></marker></defs>\n");
	for (i = 0; i < c->tr->n; i++)
		edge_svg(fp, c, c->tr->t[i].from, c->tr->t[i].to);
	for (a = 0; a < CS_COUNT; a++)
		for (b = 0; b < CS_COUNT; b++)
			if (c->cell[a][b].variants && !cov_transition_find(c->tr, a, b))
				edge_svg(fp, c, a, b);
	for (s = 0; s <= CS_COUNT; s++) {
		const char *name = cov_state_name(s == CS_COUNT ? CS_CLOSE : s);

		fprintf(fp,
		        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\" "
		        "fill=\"#fff\" stroke=\"#333\"/><text x=\"%d\" y=\"%d\" "
		        "text-anchor=\"middle\">%s</text>\n",
		        pos[s].x - BOX_W / 2, pos[s].y - BOX_H / 2, BOX_W, BOX_H, pos[s].x,
		        pos[s].y + 4, name);
	}
	fprintf(fp, "<g font-size=\"11\"><line x1=\"600\" y1=\"560\" x2=\"640\" y2=\"560\" "
	            "class=\"cv-checked\"/><text x=\"646\" y=\"564\">seen, checked by a row</text>"
	            "<line x1=\"600\" y1=\"578\" x2=\"640\" y2=\"578\" class=\"cv-seen\"/><text "
	            "x=\"646\" y=\"582\">seen, not checked</text><line x1=\"600\" y1=\"596\" "
	            "x2=\"640\" y2=\"596\" class=\"cv-missing\"/><text x=\"646\" y=\"600\">not "
	            "seen</text><line x1=\"600\" y1=\"614\" x2=\"640\" y2=\"614\" "
	            "class=\"cv-unreach\"/><text x=\"646\" y=\"618\">unreachable</text></g>\n"
	            "</svg>\n");
}

static const char cov_css[] =
    ".cvdiag g path,.cvdiag line{stroke-width:1.8}.cv-checked{stroke:#2e7d32}"
    ".cv-seen{stroke:#e07b00}.cv-missing{stroke:#c62828;stroke-dasharray:6 4}"
    ".cv-unreach{stroke:#999;stroke-dasharray:2 3}.cv-unlisted{stroke:#7b1fa2}"
    "td.cv-checked{background:#d7f5d7}td.cv-seen{background:#fbe3c2}"
    "td.cv-missing{background:#f9d0d0}td.cv-unreach{background:#eee}";

static void set_html(FILE *fp, const struct cov_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (i)
			fprintf(fp, ", ");
		text_escape_xml(fp, s->s[i]);
	}
}

static void transition_row(FILE *fp, const struct coverage *c, int a, int b,
                           const struct cov_transition *t)
{
	const struct cov_cell *cell = &c->cell[a][b];
	const char *cls;

	edge_style(c, a, b, &cls);
	fprintf(fp, "<tr><td class=\"mono\">%s</td><td class=\"mono\">%s</td><td class=\"%s\">",
	        cov_state_name(a), cov_state_name(b), cls);
	if (t && !t->reachable) {
		fprintf(fp, "unreachable</td><td colspan=\"2\">");
		text_escape_xml(fp, t->reason);
	} else {
		fprintf(fp, "%lu</td><td>", cell->variants);
		set_html(fp, &cell->cases);
		fprintf(fp, "</td><td class=\"mono\">");
		set_html(fp, &cell->rows);
	}
	fprintf(fp, "</td><td>");
	if (t) {
		fprintf(fp, "<small>%s; line %u:</small> ", cov_seen_name(t->seen), t->line);
		text_escape_xml(fp, t->source);
	} else {
		fprintf(fp, "<b>not listed</b>");
	}
	fprintf(fp, "</td></tr>\n");
}

static void timers_html(FILE *fp, const struct coverage *c)
{
	size_t i, k;

	fprintf(fp, "<h3>Timers</h3>\n<table><tr><th>timer</th><th>variants</th><th>cases</th>"
	            "<th>checked by</th><th>evidence</th></tr>\n");
	for (i = 0; c->tm && i < c->tm->nnames; i++) {
		const struct cov_cell *cell = &c->timer[i];

		fprintf(fp, "<tr><td class=\"mono\">");
		text_escape_xml(fp, c->tm->names[i]);
		fprintf(fp, "</td><td class=\"%s\">%lu</td><td>",
		        cell->rows.n     ? "cv-checked"
		        : cell->variants ? "cv-seen"
		                         : "cv-missing",
		        cell->variants);
		set_html(fp, &cell->cases);
		fprintf(fp, "</td><td class=\"mono\">");
		set_html(fp, &cell->rows);
		fprintf(fp, "</td><td>");
		for (k = 0; k < c->tm->n; k++) {
			if (strcmp(c->tm->ev[k].timer, c->tm->names[i]))
				continue;
			fprintf(fp, "<div><span class=\"mono\">");
			text_escape_xml(fp, c->tm->ev[k].evidence);
			fprintf(fp, "</span> (%lu): <small>", c->ev_seen[k]);
			text_escape_xml(fp, c->tm->ev[k].source);
			fprintf(fp, "</small></div>");
		}
		fprintf(fp, "</td></tr>\n");
	}
	fprintf(fp, "</table>\n");
}

static void counters_html(FILE *fp, const struct coverage *c)
{
	size_t i;

	fprintf(fp, "<h3>Counters</h3>\n<table><tr><th>counter</th><th>observed in</th>"
	            "<th>moved in</th><th>cases</th><th>checked moving by</th></tr>\n");
	for (i = 0; i < c->nctr; i++) {
		const struct cov_counter *k = &c->ctr[i];

		fprintf(fp, "<tr><td class=\"mono\">");
		text_escape_xml(fp, k->name);
		fprintf(fp, "</td><td>%lu</td><td class=\"%s\">%lu</td><td>", k->observed,
		        k->moved.rows.n     ? "cv-checked"
		        : k->moved.variants ? "cv-seen"
		                            : "cv-missing",
		        k->moved.variants);
		set_html(fp, &k->moved.cases);
		fprintf(fp, "</td><td class=\"mono\">");
		set_html(fp, &k->moved.rows);
		fprintf(fp, "</td></tr>\n");
	}
	fprintf(fp, "</table>\n");
}

void covreport_html(FILE *fp, const struct coverage *c)
{
	struct cov_totals t;
	size_t i;
	int a, b;

	cov_totals(c, &t);
	fprintf(fp, "<style>%s</style><h2 id=\"coverage\">Coverage</h2>\n<p>", cov_css);
	fprintf(fp,
	        "Transitions: %zu of %zu reachable seen, %zu checked by a row; %zu unreachable "
	        "(<span class=\"mono\">",
	        t.seen, t.reachable, t.checked, t.unreachable);
	text_escape_xml(fp, c->tr->file);
	fprintf(fp,
	        "</span>). Timers: %zu of %zu seen, %zu checked. Counters: %zu observed, %zu "
	        "moved, %zu checked moving. %lu variant(s), %lu with tracepoint events.</p>\n",
	        t.timers_seen, t.timers, t.timers_checked, t.counters, t.counters_moved,
	        t.counters_checked, c->variants, c->with_events);
	diagram(fp, c);
	fprintf(fp, "<h3>Transitions</h3>\n<table><tr><th>from</th><th>to</th><th>variants</th>"
	            "<th>cases</th><th>checked by</th><th>how seen; source</th></tr>\n");
	for (i = 0; i < c->tr->n; i++)
		transition_row(fp, c, c->tr->t[i].from, c->tr->t[i].to, &c->tr->t[i]);
	for (a = 0; a < CS_COUNT; a++)
		for (b = 0; b < CS_COUNT; b++)
			if (c->cell[a][b].variants && !cov_transition_find(c->tr, a, b))
				transition_row(fp, c, a, b, NULL);
	fprintf(fp, "</table>\n");
	if (c->tm)
		timers_html(fp, c);
	counters_html(fp, c);
}
