// SPDX-License-Identifier: GPL-2.0-only
/* report.c - report.html with ladder diagrams; the multi-run matrix. */
#include "report.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "cmdline.h"
#include "scenario.h"
#include "summary.h"
#include "text.h"
#include "tracer.h"

#define X_CLIENT 170
#define X_WIRE   400
#define X_SERVER 630
#define ROW      34
#define TOP      56

/* " (upstream 6.1.192)" when the tables judged another version than the
 * release shows (kernel.h). */
static void upstream_note(FILE *fp, json_t *sum)
{
	const char *kv = summary_str(sum, "kernel_version");

	if (kv[0] && strcmp(kv, summary_str(sum, "kernel")) != 0) {
		fprintf(fp, " (upstream ");
		text_escape_xml(fp, kv);
		fprintf(fp, ")");
	}
}

static const char *css =
    "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}"
    "h1{font-size:22px}h2{font-size:17px;margin-top:36px;border-top:1px solid #ccc;"
    "padding-top:12px}table{border-collapse:collapse;margin:8px 0}"
    "td,th{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top;"
    "font-size:13px}th{background:#f4f4f4}.pass{background:#d7f5d7}.fail{background:#f9d0d0}"
    ".error{background:#f3b0b0}.skip{background:#f1ecc8}.xfail{background:#e6dcf5}"
    ".mono{font-family:ui-monospace,monospace}svg text{font:12px ui-monospace,monospace}"
    ".why{color:#555;font-style:italic}";

/* Relative sequence numbers per direction, as tcpdump shows them. */
struct rel {
	bool known[2];
	long long isn[2];
};

static void label(json_t *f, struct rel *r, char *out, size_t len)
{
	const char *flags = summary_str(f, "flags");
	int d = strcmp(summary_str(f, "dir"), "c>s") == 0 ? 0 : 1;
	long long seq = json_integer_value(json_object_get(f, "seq"));
	long long ack = json_integer_value(json_object_get(f, "ack"));
	long long l = json_integer_value(json_object_get(f, "len"));
	bool syn = strchr(flags, 'S') != NULL, hasack = strchr(flags, '.') != NULL;
	size_t n;

	if (syn) {
		r->known[d] = true;
		r->isn[d] = seq;
	}
	snprintf(out, len, "%s", flags);
	n = strlen(out);
	if (r->known[d] && (l || syn || strchr(flags, 'F') || strchr(flags, 'R'))) {
		long long s = (seq - r->isn[d]) & 0xffffffffLL;

		n += (size_t)snprintf(out + n, len - n, l ? " %lld:%lld" : " seq %lld", s, s + l);
	}
	if (hasack && r->known[!d])
		n += (size_t)snprintf(out + n, len - n, " ack %lld",
		                      (ack - r->isn[!d]) & 0xffffffffLL);
	if (l)
		snprintf(out + n, len - n, " (%lld)", l);
}

static bool is_client_addr(const struct trace_event *ev, json_t *addrs)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(ev->family, ev->saddr, a, sizeof(a));
	return !strcmp(a, summary_str(addrs, "client4")) ||
	       !strcmp(a, summary_str(addrs, "client6"));
}

static bool is_ours(const struct trace_event *ev, json_t *addrs)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(ev->family, ev->saddr, a, sizeof(a));
	return !strcmp(a, summary_str(addrs, "client4")) ||
	       !strcmp(a, summary_str(addrs, "client6")) ||
	       !strcmp(a, summary_str(addrs, "server4")) ||
	       !strcmp(a, summary_str(addrs, "server6"));
}

/* The ladder: frames from observed.json, state changes from events.txt. */
static void ladder(FILE *fp, json_t *obs, const char *vdir)
{
	json_t *frames = json_object_get(obs, "frames"), *addrs = json_object_get(obs, "addresses");
	json_t *clocks = json_object_get(obs, "clocks");
	double mono2real = json_real_value(json_object_get(clocks, "realtime")) -
	                   json_real_value(json_object_get(clocks, "monotonic"));
	struct trace_event *ev = NULL;
	size_t nf = json_array_size(frames), ne = 0, i, k, shown = 0;
	double t0 = nf ? json_real_value(json_object_get(json_array_get(frames, 0), "t")) : 0;
	struct rel *rels = calloc(nf ? nf : 1, sizeof(*rels));
	long *keys = calloc(nf ? nf : 1, sizeof(*keys));
	size_t nrel = 0;
	char path[4200], *text = NULL;
	int height;

	snprintf(path, sizeof(path), "%.4000s/events.txt", vdir);
	{
		FILE *ef = fopen(path, "r");

		if (ef) {
			text = calloc(1, 1 << 20);
			if (text && fread(text, 1, (1 << 20) - 1, ef) > 0)
				ne = tracer_parse(text, &ev);
			fclose(ef);
		}
	}
	for (i = 0; i < nf; i++)
		shown += json_is_true(json_object_get(json_array_get(frames, i), "tcp"));
	height = TOP + (int)(shown + 1) * ROW + 30;
	fprintf(
	    fp,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"%d\" "
	    "class=\"ladder\"><defs><marker id=\"a\" viewBox=\"0 0 10 10\" refX=\"10\" "
	    "refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\"><path "
	    "d=\"M0,0L10,5L0,10z\" fill=\"context-stroke\"/></marker></defs>\n"
	    "<text x=\"%d\" y=\"20\" text-anchor=\"middle\" font-weight=\"bold\">client</text>"
	    "<text x=\"%d\" y=\"20\" text-anchor=\"middle\" fill=\"#888\">wire</text>"
	    "<text x=\"%d\" y=\"20\" text-anchor=\"middle\" font-weight=\"bold\">server</text>\n"
	    "<line x1=\"%d\" y1=\"30\" x2=\"%d\" y2=\"%d\" stroke=\"#333\" stroke-width=\"2\"/>"
	    "<line x1=\"%d\" y1=\"30\" x2=\"%d\" y2=\"%d\" stroke=\"#ccc\" stroke-dasharray=\"4 "
	    "4\"/>"
	    "<line x1=\"%d\" y1=\"30\" x2=\"%d\" y2=\"%d\" stroke=\"#333\" stroke-width=\"2\"/>\n",
	    height, X_CLIENT, X_WIRE, X_SERVER, X_CLIENT, X_CLIENT, height - 10, X_WIRE, X_WIRE,
	    height - 10, X_SERVER, X_SERVER, height - 10);
	/* Frames, one row each, in the order the wire saw them. */
	for (i = 0, k = 0; i < nf; i++) {
		json_t *f = json_array_get(frames, i);
		bool c2s = !strcmp(summary_str(f, "dir"), "c>s");
		int kind = (int)json_integer_value(json_object_get(f, "kind"));
		double t = json_real_value(json_object_get(f, "t")) - t0;
		int y = TOP + (int)k * ROW, xs = c2s ? X_CLIENT : X_SERVER,
		    xd = c2s ? X_SERVER : X_CLIENT;
		const char *colour = "#1f4e9c", *dash = "";
		char lab[128];

		if (!json_is_true(json_object_get(f, "tcp")))
			continue;
		k++;
		{
			/* per connection: the client's port and the server's */
			long key = c2s ? json_integer_value(json_object_get(f, "sport")) << 16 |
			                     json_integer_value(json_object_get(f, "dport"))
			               : json_integer_value(json_object_get(f, "dport")) << 16 |
			                     json_integer_value(json_object_get(f, "sport"));
			size_t r;

			for (r = 0; r < nrel && keys[r] != key; r++)
				;
			if (r == nrel)
				keys[nrel++] = key;
			label(f, &rels[r], lab, sizeof(lab));
		}
		switch (kind) {
		case 1: /* dropped */
			colour = "#c62828";
			break;
		case 2: /* held */
		case 3: /* delayed */
		case 5: /* reordered */
			colour = "#e07b00";
			dash = " stroke-dasharray=\"6 3\"";
			break;
		case 6: /* duplicate */
		case 7: /* replay */
			colour = "#7b1fa2";
			break;
		case 8:
		case 9:
			colour = "#c62828";
			break;
		default:
			break;
		}
		fprintf(fp, "<text x=\"8\" y=\"%d\" fill=\"#666\">%.6f</text>", y + 4, t);
		if (kind == 1 || kind >= 8) {
			int xm = X_WIRE;

			fprintf(fp,
			        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
			        "stroke-width=\"1.6\"/><text x=\"%d\" y=\"%d\" fill=\"%s\" "
			        "text-anchor=\"middle\" font-size=\"16\">&#x2715;</text>",
			        xs, y, xm, y + 11, colour, xm, y + 17, colour);
		} else {
			fprintf(fp,
			        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
			        "stroke-width=\"1.6\" marker-end=\"url(#a)\"%s/>",
			        xs, y, xd, y + 22, colour, dash);
		}
		fprintf(fp, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\">",
		        (X_CLIENT + X_SERVER) / 2 + (c2s ? -60 : 60), y + 6, colour);
		text_escape_xml(fp, lab);
		fprintf(fp, "</text>");
		if (kind != 0) {
			fprintf(fp,
			        "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\" "
			        "font-size=\"10\">",
			        X_WIRE, y + 28, colour);
			text_escape_xml(fp, summary_str(f, "verdict"));
			fprintf(fp, "</text>");
		}
		fprintf(fp, "\n");
	}
	/* State changes beside their column, at the time they happened; several
	 * between the same two frames stack downwards. */
	int last_row[2] = {-1, -1}, stack[2] = {0, 0};

	for (i = 0; i < ne; i++) {
		double tr = ev[i].ts + mono2real;
		bool client;
		int y, row = 0;

		if (ev[i].kind != TE_STATE || !is_ours(&ev[i], addrs))
			continue;
		client = is_client_addr(&ev[i], addrs);
		for (k = 0; k < nf; k++) {
			json_t *f = json_array_get(frames, k);

			if (!json_is_true(json_object_get(f, "tcp")))
				continue;
			if (json_real_value(json_object_get(f, "t")) > tr)
				break;
			row++;
		}
		if (last_row[client] == row) {
			stack[client]++;
		} else {
			last_row[client] = row;
			stack[client] = 0;
		}
		y = TOP + row * ROW - 14 + stack[client] * 13;
		fprintf(fp,
		        "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\" fill=\"#2e7d32\" "
		        "font-weight=\"bold\">%s</text>\n",
		        client ? X_CLIENT - 8 : X_SERVER + 8, y, client ? "end" : "start",
		        tcp_state_name(ev[i].newstate));
	}
	fprintf(fp, "</svg>\n");
	free(ev);
	free(text);
	free(rels);
	free(keys);
}

static void checks_table(FILE *fp, json_t *var)
{
	json_t *c;
	size_t i;

	fprintf(fp, "<table><tr><th>observation</th><th>verdict</th><th>expected</th>"
	            "<th>observed</th><th>source</th></tr>\n");
	json_array_foreach(json_object_get(var, "checks"), i, c)
	{
		fprintf(fp, "<tr><td class=\"mono\">");
		text_escape_xml(fp, summary_str(c, "name"));
		fprintf(fp, "</td><td class=\"%s\">%s", summary_str(c, "verdict"),
		        summary_str(c, "verdict"));
		if (*summary_str(c, "reason")) {
			fprintf(fp, "<div class=\"why\">");
			text_escape_xml(fp, summary_str(c, "reason"));
			fprintf(fp, "</div>");
		}
		fprintf(fp, "</td><td class=\"mono\">");
		text_escape_xml(fp, summary_str(c, "expected"));
		fprintf(fp, "</td><td class=\"mono\">");
		text_escape_xml(fp, summary_str(c, "observed"));
		fprintf(fp, "</td><td>");
		text_escape_xml(fp, summary_str(c, "source"));
		fprintf(fp, "</td></tr>\n");
	}
	fprintf(fp, "</table>\n");
}

/* `tcpconform profile` leaves profile.json in its run: what the profile
 * changes, behaviour by behaviour. */
static void profile_section(FILE *f, const char *rundir)
{
	char path[4200];
	json_error_t je;
	json_t *p, *x;
	size_t i;

	snprintf(path, sizeof(path), "%s/profile.json", rundir);
	p = json_load_file(path, 0, &je);
	if (!p)
		return;
	fprintf(f,
	        "<h2 id=\"profile\">What the profile changes</h2>\n<p>profile <b class=\"mono\">");
	text_escape_xml(f, summary_str(p, "profile"));
	fprintf(f, "</b> against <b class=\"mono\">");
	text_escape_xml(f, summary_str(p, "against"));
	fprintf(f, "</b> (baseline run <span class=\"mono\">");
	text_escape_xml(f, summary_str(p, "baseline_run"));
	fprintf(f, "</span>)</p>\n<table><tr><th>line</th><th>sysctl</th><th>value</th></tr>\n");
	json_array_foreach(json_object_get(json_object_get(p, "lines"), "lines"), i, x)
	{
		fprintf(f, "<tr><td>%d</td><td class=\"mono\">",
		        (int)json_integer_value(json_object_get(x, "line")));
		if (strcmp(summary_str(x, "side"), "both")) {
			text_escape_xml(f, summary_str(x, "side"));
			fprintf(f, ":");
		}
		text_escape_xml(f, summary_str(x, "key"));
		fprintf(f, "</td><td class=\"mono\">");
		text_escape_xml(f, summary_str(x, "value"));
		if (json_is_string(json_object_get(x, "skipped"))) {
			fprintf(f, " (skipped: ");
			text_escape_xml(f, summary_str(x, "skipped"));
			fprintf(f, ")");
		}
		fprintf(f, "</td></tr>\n");
	}
	fprintf(f, "</table>\n<table><tr><th>case</th><th>behaviour</th><th>variants</th>"
	           "<th>baseline</th><th>profile</th></tr>\n");
	json_array_foreach(json_object_get(p, "changes"), i, x)
	{
		fprintf(f, "<tr><td>");
		text_escape_xml(f, summary_str(x, "case"));
		fprintf(f, "</td><td><span class=\"mono\">");
		text_escape_xml(f, summary_str(x, "observation"));
		fprintf(f, "</span><br><small>");
		text_escape_xml(f, summary_str(x, "step"));
		fprintf(f, "</small></td><td>");
		text_escape_xml(f, summary_str(x, "variants"));
		fprintf(f, "</td><td class=\"mono\">");
		text_escape_xml(f, summary_str(x, "before"));
		fprintf(f, "</td><td class=\"mono\">");
		text_escape_xml(f, summary_str(x, "after"));
		fprintf(f, "</td></tr>\n");
	}
	if (!json_array_size(json_object_get(p, "changes")))
		fprintf(f, "<tr><td colspan=\"5\">no behaviour changed</td></tr>\n");
	fprintf(f, "</table>\n");
	json_decref(p);
}

int report_write_run(const char *rundir, struct err *e)
{
	char path[4200];
	json_error_t je;
	json_t *sum, *var;
	struct afile af;
	size_t i;
	unsigned counts[6] = {0};
	static const char *const verdicts[] = {"pass", "xfail", "skip", "fail", "error"};

	snprintf(path, sizeof(path), "%s/summary.json", rundir);
	sum = json_load_file(path, 0, &je);
	if (!sum)
		return err_set(e, ERR_INPUT, "%s:%d:%d: %s", path, je.line, je.column, je.text);
	snprintf(path, sizeof(path), "%s/report.html", rundir);
	if (afile_open(&af, path, e) < 0) {
		json_decref(sum);
		return -1;
	}
	json_array_foreach(json_object_get(sum, "variants"), i, var)
	{
		json_t *c;
		size_t k, v;

		json_array_foreach(json_object_get(var, "checks"), k,
		                   c) for (v = 0; v < 5; v++) if (!strcmp(summary_str(c, "verdict"),
		                                                          verdicts[v])) counts[v]++;
	}
	fprintf(af.fp, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	               "<title>tcpconform ");
	text_escape_xml(af.fp, summary_str(sum, "run_id"));
	fprintf(af.fp, "</title><style>%s</style></head><body>\n<h1>tcpconform run ", css);
	text_escape_xml(af.fp, summary_str(sum, "run_id"));
	fprintf(af.fp, "</h1>\n<p>kernel <b class=\"mono\">");
	text_escape_xml(af.fp, summary_str(sum, "kernel"));
	upstream_note(af.fp, sum);
	fprintf(af.fp,
	        "</b>, %zu variant(s), %.2f s%s</p>\n<table><tr><th class=\"pass\">pass</th>"
	        "<th class=\"xfail\">xfail</th><th class=\"skip\">skip</th><th class=\"fail\">fail"
	        "</th><th class=\"error\">error</th></tr><tr><td>%u</td><td>%u</td><td>%u</td>"
	        "<td>%u</td><td>%u</td></tr></table>\n<table><tr><th>case</th><th>variant</th>"
	        "<th>verdict</th><th>time</th></tr>\n",
	        json_array_size(json_object_get(sum, "variants")),
	        json_real_value(json_object_get(sum, "wall_ms")) / 1e3,
	        json_is_true(json_object_get(sum, "interrupted")) ? ", <b>interrupted</b>" : "",
	        counts[0], counts[1], counts[2], counts[3], counts[4]);
	json_array_foreach(json_object_get(sum, "variants"), i, var)
	{
		fprintf(af.fp, "<tr><td>");
		text_escape_xml(af.fp, summary_str(var, "case"));
		fprintf(af.fp, "</td><td><a href=\"#");
		text_escape_xml(af.fp, summary_str(var, "dir"));
		fprintf(af.fp, "\">");
		text_escape_xml(af.fp, summary_str(var, "variant"));
		fprintf(af.fp, "</a></td><td class=\"%s\">%s</td><td>%.2f s</td></tr>\n",
		        summary_str(var, "verdict"), summary_str(var, "verdict"),
		        json_real_value(json_object_get(var, "wall_ms")) / 1e3);
	}
	fprintf(af.fp, "</table>\n");
	profile_section(af.fp, rundir);
	json_array_foreach(json_object_get(sum, "variants"), i, var)
	{
		char vdir[3000];
		json_t *obs;

		snprintf(vdir, sizeof(vdir), "%s/%s", rundir, summary_str(var, "dir"));
		snprintf(path, sizeof(path), "%s/observed.json", vdir);
		obs = json_load_file(path, 0, &je);
		fprintf(af.fp, "<h2 id=\"");
		text_escape_xml(af.fp, summary_str(var, "dir"));
		fprintf(af.fp, "\">");
		text_escape_xml(af.fp, summary_str(var, "case"));
		fprintf(af.fp, " &middot; ");
		text_escape_xml(af.fp, summary_str(var, "variant"));
		fprintf(af.fp, " &middot; <span class=\"%s\">%s</span></h2>\n<p>",
		        summary_str(var, "verdict"), summary_str(var, "verdict"));
		{
			static const char *const files[] = {"trace.pcap", "trace.txt", "events.txt",
			                                    "log.txt", "observed.json"};
			size_t f;

			for (f = 0; f < 5; f++) {
				fprintf(af.fp, "%s<a href=\"", f ? " &middot; " : "");
				text_escape_xml(af.fp, summary_str(var, "dir"));
				fprintf(af.fp, "/%s\">%s</a>", files[f], files[f]);
			}
		}
		fprintf(af.fp, "</p>\n");
		checks_table(af.fp, var);
		if (obs && json_array_size(json_object_get(obs, "frames")))
			ladder(af.fp, obs, vdir);
		json_decref(obs);
	}
	fprintf(af.fp, "</body></html>\n");
	json_decref(sum);
	return afile_commit(&af, e);
}

/* ---- the matrix ------------------------------------------------------------ */

/* The variant @key ("case/variant": case names hold no '/') of a run. */
static json_t *variant_of(json_t *sum, const char *key)
{
	const char *slash = strchr(key, '/');
	char c[256];

	if (!slash || (size_t)(slash - key) >= sizeof(c))
		return NULL;
	memcpy(c, key, (size_t)(slash - key));
	c[slash - key] = '\0';
	return summary_variant(sum, c, slash + 1);
}

/* The rows of one observation @c (as a run that checked it saw it), when
 * its value or verdict differs between the runs; returns 1 if shown. */
static size_t difference_rows(FILE *fp, json_t **sums, int n, const char *const *dirs,
                              const char *key, json_t *c)
{
	const char *name = summary_str(c, "name");
	bool differ = false;
	int i;

	for (i = 0; i < n; i++) {
		json_t *o = summary_check(variant_of(sums[i], key), name);

		/* A run without the observation differs too (a skipped variant,
		 * an observation only one kernel can make); otherwise the rule
		 * of `tcpconform diff`. */
		if (!o || summary_check_differs(o, c))
			differ = true;
	}
	if (!differ)
		return 0;
	for (i = 0; i < n; i++) {
		json_t *v = variant_of(sums[i], key), *o = summary_check(v, name);

		fprintf(fp, "<tr><td class=\"mono\">");
		if (i == 0)
			text_escape_xml(fp, key);
		fprintf(fp, "</td><td class=\"mono\">");
		if (i == 0)
			text_escape_xml(fp, name);
		fprintf(fp, "</td><td class=\"mono\">");
		text_escape_xml(fp, summary_str(sums[i], "kernel"));
		fprintf(fp, "<div class=\"why\">");
		text_escape_xml(fp, dirs[i]);
		fprintf(fp, "</div></td>");
		if (!o) {
			fprintf(fp, "<td colspan=\"4\">not checked: ");
			text_escape_xml(fp, !v ? "no such variant in this run"
			                    : *summary_str(v, "reason")
			                        ? summary_str(v, "reason")
			                        : summary_str(v, "verdict"));
			fprintf(fp, "</td></tr>\n");
			continue;
		}
		fprintf(fp, "<td class=\"mono\">");
		text_escape_xml(fp, summary_str(o, "observed"));
		fprintf(fp, "</td><td class=\"%s\">%s</td><td class=\"mono\">",
		        summary_str(o, "verdict"), summary_str(o, "verdict"));
		text_escape_xml(fp, summary_str(o, "expected"));
		fprintf(fp, "</td><td>");
		text_escape_xml(fp, summary_str(o, "source"));
		fprintf(fp, "</td></tr>\n");
	}
	return 1;
}

/* Every observation whose value or verdict is not the same in all runs
 * that checked it, with the row that judged it in each: where kernels (or
 * profiles) differ, and the source that says why. */
static void differences(FILE *fp, json_t **sums, int n, json_t *rows, const char *const *dirs)
{
	json_t *r;
	size_t m, shown = 0;

	fprintf(
	    fp,
	    "<h2>Differences between the runs</h2>\n<p class=\"why\">Observations with "
	    "another verdict in some run, with another value where the row wants an exact "
	    "one, or made in some runs only (times within a row's tolerance are not "
	    "listed), each with the row that judged it in every run.</p>\n<table><tr><th>case / "
	    "variant</th><th>observation</th>"
	    "<th>run</th><th>observed</th><th>verdict</th><th>expected</th>"
	    "<th>source</th></tr>\n");
	json_array_foreach(rows, m, r)
	{
		const char *key = json_string_value(r);
		json_t *names = json_object(), *c;
		int j;

		for (j = 0; j < n; j++) {
			size_t k;

			json_array_foreach(json_object_get(variant_of(sums[j], key), "checks"), k,
			                   c)
			{
				if (json_object_get(names, summary_str(c, "name")))
					continue; /* an earlier run had it */
				json_object_set_new(names, summary_str(c, "name"), json_true());
				shown += difference_rows(fp, sums, n, dirs, key, c);
			}
		}
		json_decref(names);
	}
	if (!shown)
		fprintf(fp, "<tr><td colspan=\"7\">none</td></tr>\n");
	fprintf(fp, "</table>\n");
}

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {NULL, 0, NULL, 0},
	};
	const char *out = "results/matrix.html";
	json_t **sums;
	struct afile af;
	struct err e;
	int c, n, i, rc = EXIT_PASS;
	json_t *rows = json_array(); /* unique "case/variant" in first-seen order */

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (c != 'o')
			return cmdline_bad(argv[optind - 1], "unknown option '%s'",
			                   argv[optind - 1]);
		out = optarg;
	}
	n = argc - optind;
	if (n < 1) {
		json_decref(rows);
		return cmdline_bad(argv[argc - 1], "report needs one or more result directories");
	}
	sums = calloc((size_t)n, sizeof(*sums));
	for (i = 0; i < n; i++) {
		json_t *v;
		size_t k;

		sums[i] = summary_load(argv[optind + i]);
		if (!sums[i]) {
			rc = EXIT_USAGE;
			goto done;
		}
		json_array_foreach(json_object_get(sums[i], "variants"), k, v)
		{
			char key[600];
			json_t *r;
			size_t m;
			bool seen = false;

			snprintf(key, sizeof(key), "%s/%s", summary_str(v, "case"),
			         summary_str(v, "variant"));
			json_array_foreach(rows, m, r) seen |= !strcmp(json_string_value(r), key);
			if (!seen)
				json_array_append_new(rows, json_string(key));
		}
	}
	if (afile_open(&af, out, &e) < 0) {
		err_print(&e);
		rc = EXIT_ENV;
		goto done;
	}
	fprintf(af.fp,
	        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	        "<title>tcpconform matrix</title><style>%s</style></head><body>\n"
	        "<h1>tcpconform: %d run(s)</h1>\n<table><tr><th>case / variant</th>",
	        css, n);
	for (i = 0; i < n; i++) {
		fprintf(af.fp, "<th>");
		text_escape_xml(af.fp, summary_str(sums[i], "kernel"));
		upstream_note(af.fp, sums[i]);
		fprintf(af.fp, "<div class=\"why\">");
		text_escape_xml(af.fp, argv[optind + i]);
		fprintf(af.fp, "</div></th>");
	}
	fprintf(af.fp, "</tr>\n");
	{
		json_t *r;
		size_t m;

		json_array_foreach(rows, m, r)
		{
			const char *key = json_string_value(r);

			fprintf(af.fp, "<tr><td class=\"mono\">");
			text_escape_xml(af.fp, key);
			fprintf(af.fp, "</td>");
			for (i = 0; i < n; i++) {
				json_t *found = variant_of(sums[i], key);

				if (!found) {
					fprintf(af.fp, "<td>&mdash;</td>");
					continue;
				}
				fprintf(af.fp, "<td class=\"%s\"><a href=\"",
				        summary_str(found, "verdict"));
				text_escape_xml(af.fp, argv[optind + i]);
				fprintf(af.fp, "/report.html#");
				text_escape_xml(af.fp, summary_str(found, "dir"));
				fprintf(af.fp, "\">%s</a></td>", summary_str(found, "verdict"));
			}
			fprintf(af.fp, "</tr>\n");
		}
	}
	fprintf(af.fp, "</table>\n");
	differences(af.fp, sums, n, rows, (const char *const *)argv + optind);
	fprintf(af.fp, "</body></html>\n");
	if (afile_commit(&af, &e) < 0) {
		err_print(&e);
		rc = EXIT_ENV;
	} else {
		printf("%s\n", out);
	}
done:
	for (i = 0; i < n; i++)
		json_decref(sums[i]);
	free(sums);
	json_decref(rows);
	return rc;
}
