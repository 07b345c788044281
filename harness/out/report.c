// SPDX-License-Identifier: GPL-2.0-only
/* report.c - report.html with ladder diagrams; the multi-run matrix. */
#include "out/report.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/afile.h"
#include "base/resdir.h"
#include "base/text.h"
#include "host/tracer.h"
#include "model/tcp.h"
#include "model/trace_event.h"
#include "out/caseindex.h"
#include "out/covreport.h"
#include "out/results.h"
#include "out/summary.h"

#define X_CLIENT 170
#define X_WIRE   400
#define X_SERVER 630
#define ROW      34
#define TOP      56
/* Connections a diagram numbers relatively (a run makes a handful). */
#define MAX_CONNS 512
/* events.txt larger than this is left out of the diagram. */
#define MAX_EVENTS_FILE ((size_t)16 << 20)

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
    ".why{color:#555;font-style:italic}.unknown{background:#ddd}";

/* The class of a verdict: one of a fixed set, whatever the file says. */
static const char *verdict_class(const char *v)
{
	static const char *const known[] = {"pass", "xfail", "skip", "fail", "error"};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(v, known[i]))
			return known[i];
	return "unknown";
}

/* <td class="CLASS">VERDICT</td>, or with another tag. */
static void verdict_cell(FILE *fp, const char *tag, const char *v)
{
	fprintf(fp, "<%s class=\"%s\">", tag, verdict_class(v));
	text_escape_xml(fp, v);
	fprintf(fp, "</%s>", tag);
}

/* Relative sequence numbers per direction, as tcpdump shows them. */
struct rel {
	bool known[2];
	long long isn[2];
};

/* printf at @*n into @out, never past its end. */
static void append(char *out, size_t len, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void append(char *out, size_t len, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (*n >= len - 1)
		return;
	va_start(ap, fmt);
	r = vsnprintf(out + *n, len - *n, fmt, ap);
	va_end(ap);
	if (r > 0)
		*n = *n + (size_t)r < len ? *n + (size_t)r : len - 1;
}

static void label(json_t *f, struct rel *r, char *out, size_t len)
{
	const char *flags = summary_str(f, "flags");
	int d = strcmp(summary_str(f, "dir"), "c>s") == 0 ? 0 : 1;
	/* Sequence space is modulo 2^32: unsigned, whatever the file holds. */
	unsigned long long seq = (unsigned long long)json_integer_value(json_object_get(f, "seq"));
	unsigned long long ack = (unsigned long long)json_integer_value(json_object_get(f, "ack"));
	long long l = json_integer_value(json_object_get(f, "len"));
	bool syn = strchr(flags, 'S') != NULL, hasack = strchr(flags, '.') != NULL;
	size_t n = 0;

	if (syn) {
		r->known[d] = true;
		r->isn[d] = (long long)(seq & 0xffffffffULL);
	}
	out[0] = '\0';
	append(out, len, &n, "%s", flags);
	if (r->known[d] && (l || syn || strchr(flags, 'F') || strchr(flags, 'R'))) {
		unsigned long long s = (seq - (unsigned long long)r->isn[d]) & 0xffffffffULL;

		if (l)
			append(out, len, &n, " %llu:%llu", s, s + (unsigned long long)l);
		else
			append(out, len, &n, " seq %llu", s);
	}
	if (hasack && r->known[!d])
		append(out, len, &n, " ack %llu",
		       (ack - (unsigned long long)r->isn[!d]) & 0xffffffffULL);
	if (l)
		append(out, len, &n, " (%lld)", l);
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

/* One ladder diagram while it is drawn. */
struct ladder {
	FILE *fp;
	json_t *addrs;
	double t0;
	struct rel *rels; /* per connection (MAX_CONNS, then one spare) */
	uint32_t *keys;   /* its ports: client's << 16 | server's */
	size_t nrel;
	size_t row; /* TCP frames drawn */
};

/* How the wire's verdict on a frame (observed.json "kind") is drawn. */
static void frame_style(json_int_t kind, const char **colour, const char **dash)
{
	*colour = "#1f4e9c";
	*dash = "";
	switch (kind) {
	case 1: /* dropped */
		*colour = "#c62828";
		break;
	case 2: /* held */
	case 3: /* delayed */
	case 5: /* reordered */
		*colour = "#e07b00";
		*dash = " stroke-dasharray=\"6 3\"";
		break;
	case 6: /* duplicate */
	case 7: /* replay */
		*colour = "#7b1fa2";
		break;
	case 8:
	case 9:
		*colour = "#c62828";
		break;
	default:
		break;
	}
}

static void ladder_head(FILE *fp, long height)
{
	fprintf(
	    fp,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"%ld\" "
	    "class=\"ladder\"><defs><marker id=\"a\" viewBox=\"0 0 10 10\" refX=\"10\" "
	    "refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\"><path "
	    "d=\"M0,0L10,5L0,10z\" fill=\"context-stroke\"/></marker></defs>\n"
	    "<text x=\"%d\" y=\"20\" text-anchor=\"middle\" font-weight=\"bold\">client</text>"
	    "<text x=\"%d\" y=\"20\" text-anchor=\"middle\" fill=\"#888\">wire</text>"
	    "<text x=\"%d\" y=\"20\" text-anchor=\"middle\" font-weight=\"bold\">server</text>\n"
	    "<line x1=\"%d\" y1=\"30\" x2=\"%d\" y2=\"%ld\" stroke=\"#333\" stroke-width=\"2\"/>"
	    "<line x1=\"%d\" y1=\"30\" x2=\"%d\" y2=\"%ld\" stroke=\"#ccc\" stroke-dasharray=\"4 "
	    "4\"/>"
	    "<line x1=\"%d\" y1=\"30\" x2=\"%d\" y2=\"%ld\" stroke=\"#333\" stroke-width=\"2\"/>\n",
	    height, X_CLIENT, X_WIRE, X_SERVER, X_CLIENT, X_CLIENT, height - 10, X_WIRE, X_WIRE,
	    height - 10, X_SERVER, X_SERVER, height - 10);
}

/* The label of TCP frame @f, numbered relative to its connection's ISNs. */
static void frame_label(struct ladder *l, json_t *f, bool c2s, char *lab, size_t len)
{
	/* per connection: the client's port and the server's */
	uint16_t sport = (uint16_t)json_integer_value(json_object_get(f, "sport"));
	uint16_t dport = (uint16_t)json_integer_value(json_object_get(f, "dport"));
	uint32_t key = c2s ? (uint32_t)sport << 16 | dport : (uint32_t)dport << 16 | sport;
	size_t r;

	for (r = 0; r < l->nrel && l->keys[r] != key; r++)
		;
	if (r == l->nrel && l->nrel < MAX_CONNS) {
		l->keys[l->nrel++] = key;
	} else if (r == l->nrel) {
		/* beyond MAX_CONNS: numbered from a SYN of its own only */
		r = MAX_CONNS;
		memset(&l->rels[r], 0, sizeof(l->rels[r]));
	}
	label(f, &l->rels[r], lab, len);
}

/* One TCP frame, one row, in the order the wire saw it. */
static void ladder_frame(struct ladder *l, json_t *f)
{
	FILE *fp = l->fp;
	bool c2s = !strcmp(summary_str(f, "dir"), "c>s");
	json_int_t kind = json_integer_value(json_object_get(f, "kind"));
	double t = json_real_value(json_object_get(f, "t")) - l->t0;
	long y = TOP + (long)l->row * ROW;
	int xs = c2s ? X_CLIENT : X_SERVER, xd = c2s ? X_SERVER : X_CLIENT;
	const char *colour, *dash;
	char lab[128];

	l->row++;
	frame_label(l, f, c2s, lab, sizeof(lab));
	frame_style(kind, &colour, &dash);
	fprintf(fp, "<text x=\"8\" y=\"%ld\" fill=\"#666\">%.6f</text>", y + 4, t);
	if (kind == 1 || kind >= 8) {
		int xm = X_WIRE;

		fprintf(fp,
		        "<line x1=\"%d\" y1=\"%ld\" x2=\"%d\" y2=\"%ld\" stroke=\"%s\" "
		        "stroke-width=\"1.6\"/><text x=\"%d\" y=\"%ld\" fill=\"%s\" "
		        "text-anchor=\"middle\" font-size=\"16\">&#x2715;</text>",
		        xs, y, xm, y + 11, colour, xm, y + 17, colour);
	} else {
		fprintf(fp,
		        "<line x1=\"%d\" y1=\"%ld\" x2=\"%d\" y2=\"%ld\" stroke=\"%s\" "
		        "stroke-width=\"1.6\" marker-end=\"url(#a)\"%s/>",
		        xs, y, xd, y + 22, colour, dash);
	}
	fprintf(fp, "<text x=\"%d\" y=\"%ld\" text-anchor=\"middle\" fill=\"%s\">",
	        (X_CLIENT + X_SERVER) / 2 + (c2s ? -60 : 60), y + 6, colour);
	text_escape_xml(fp, lab);
	fprintf(fp, "</text>");
	if (kind != 0) {
		fprintf(fp,
		        "<text x=\"%d\" y=\"%ld\" text-anchor=\"middle\" fill=\"%s\" "
		        "font-size=\"10\">",
		        X_WIRE, y + 28, colour);
		text_escape_xml(fp, summary_str(f, "verdict"));
		fprintf(fp, "</text>");
	}
	fprintf(fp, "\n");
}

/* State changes beside their column, at the time they happened; several
 * between the same two frames stack downwards.  @latest[i]: the latest
 * time of the first i+1 TCP frames, so a change's row is found by
 * bisection, not by a walk over every frame. */
static void ladder_states(struct ladder *l, const struct trace_event *ev, size_t ne,
                          double mono2real, const double *latest, size_t shown)
{
	long last_row[2] = {-1, -1}, stack[2] = {0, 0};
	size_t i;

	for (i = 0; i < ne; i++) {
		double tr = ev[i].ts + mono2real;
		bool client;
		size_t lo = 0, hi = shown;
		long y, row;

		if (ev[i].kind != TE_STATE || !is_ours(&ev[i], l->addrs))
			continue;
		client = is_client_addr(&ev[i], l->addrs);
		/* the row: TCP frames before the first one later than the change */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (latest[mid] > tr)
				hi = mid;
			else
				lo = mid + 1;
		}
		row = (long)lo;
		if (last_row[client] == row) {
			stack[client]++;
		} else {
			last_row[client] = row;
			stack[client] = 0;
		}
		y = TOP + row * ROW - 14 + stack[client] * 13;
		fprintf(l->fp,
		        "<text x=\"%d\" y=\"%ld\" text-anchor=\"%s\" fill=\"#2e7d32\" "
		        "font-weight=\"bold\">%s</text>\n",
		        client ? X_CLIENT - 8 : X_SERVER + 8, y, client ? "end" : "start",
		        tcp_state_name(ev[i].newstate));
	}
}

/* The ladder: frames from observed.json, state changes from events.txt. */
static void ladder(FILE *fp, json_t *obs, const char *events)
{
	json_t *frames = json_object_get(obs, "frames");
	json_t *clocks = json_object_get(obs, "clocks");
	double mono2real = json_real_value(json_object_get(clocks, "realtime")) -
	                   json_real_value(json_object_get(clocks, "monotonic"));
	struct trace_event *ev = NULL;
	size_t nf = json_array_size(frames), ne = 0, i, shown = 0;
	struct ladder l = {
	    .fp = fp,
	    .addrs = json_object_get(obs, "addresses"),
	    .t0 = nf ? json_real_value(json_object_get(json_array_get(frames, 0), "t")) : 0,
	    .rels = calloc(MAX_CONNS + 1, sizeof(*l.rels)),
	    .keys = calloc(MAX_CONNS, sizeof(*l.keys)),
	};
	double *latest = calloc(nf ? nf : 1, sizeof(*latest));

	if (!l.rels || !l.keys || !latest) {
		fprintf(fp, "<p class=\"why\">(no diagram: out of memory)</p>\n");
		goto out;
	}
	if (events)
		ne = trace_event_parse(events, &ev);
	for (i = 0; i < nf; i++) {
		json_t *f = json_array_get(frames, i);
		double t = json_real_value(json_object_get(f, "t"));

		if (!json_is_true(json_object_get(f, "tcp")))
			continue;
		latest[shown] = shown && latest[shown - 1] > t ? latest[shown - 1] : t;
		shown++;
	}
	ladder_head(fp, TOP + (long)(shown + 1) * ROW + 30);
	for (i = 0; i < nf; i++)
		if (json_is_true(json_object_get(json_array_get(frames, i), "tcp")))
			ladder_frame(&l, json_array_get(frames, i));
	ladder_states(&l, ev, ne, mono2real, latest, shown);
	fprintf(fp, "</svg>\n");
out:
	free(ev);
	free(l.rels);
	free(l.keys);
	free(latest);
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
		fprintf(fp, "</td><td class=\"%s\">", verdict_class(summary_str(c, "verdict")));
		text_escape_xml(fp, summary_str(c, "verdict"));
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

/* One string member of @o, escaped for HTML. */
static void esc(FILE *f, json_t *o, const char *key)
{
	text_escape_xml(f, summary_str(o, key));
}

/* One key of the profile: what it sets, and the evidence. */
static void profile_key_html(FILE *f, json_t *k)
{
	json_t *x;
	size_t i;

	fprintf(f, "<div class=\"pkey\"><p><b class=\"mono\">");
	if (strcmp(summary_str(k, "side"), "both")) {
		esc(f, k, "side");
		fprintf(f, ":");
	}
	esc(f, k, "key");
	fprintf(f, " = ");
	esc(f, k, "value");
	fprintf(f, "</b> (kernel default <span class=\"mono\">");
	esc(f, k, "default");
	fprintf(f, "</span>; ");
	esc(f, k, "where");
	fprintf(f, ")%s", json_is_string(json_object_get(k, "doc")) ? ": " : "");
	esc(f, k, "doc");
	fprintf(f, "</p><ul>\n");
	json_array_foreach(json_object_get(k, "evidence"), i, x)
	{
		fprintf(f, "<li>");
		esc(f, x, "case");
		fprintf(f, " (&ldquo;");
		esc(f, x, "title");
		fprintf(f, "&rdquo;), run with ");
		esc(f, x, "run_with");
		fprintf(f, ": <span class=\"mono\">");
		esc(f, x, "observation");
		fprintf(f, "</span> <b>");
		esc(f, x, "before");
		fprintf(f, " &rarr; ");
		esc(f, x, "after");
		fprintf(f, "</b> [");
		esc(f, x, "variants");
		fprintf(f, "]<br><small>");
		esc(f, x, "case");
		fprintf(f,
		        ".table:%lld: ", (long long)json_integer_value(json_object_get(x, "row")));
		esc(f, x, "source");
		fprintf(f, "</small></li>\n");
	}
	json_array_foreach(json_object_get(k, "unchanged"), i, x)
	{
		fprintf(f, "<li>");
		esc(f, x, "case");
		fprintf(f, " (&ldquo;");
		esc(f, x, "title");
		fprintf(f, "&rdquo;), run with ");
		esc(f, x, "run_with");
		fprintf(f, ": nothing it observes changed</li>\n");
	}
	json_array_foreach(json_object_get(k, "kept"), i, x)
	{
		fprintf(f, "<li>");
		esc(f, x, "case");
		fprintf(f, " keeps its own <span class=\"mono\">");
		esc(f, x, "kept");
		fprintf(f, "</span> (a premise of the scenario");
		if (*summary_str(x, "why")) {
			fprintf(f, ": ");
			esc(f, x, "why");
		}
		fprintf(f, ")</li>\n");
	}
	if (!json_is_true(json_object_get(k, "exercised")))
		fprintf(f,
		        "<li>not exercised by the catalogue: no case sets, varies or is judged by "
		        "it</li>\n");
	fprintf(f, "</ul></div>\n");
}

/* The lines not applied, the premises kept, the axes replaced. */
static void profile_lists_html(FILE *f, json_t *p)
{
	json_t *x;
	size_t i;

	fprintf(f,
	        "<h3>Not applied</h3>\n<table><tr><th>key</th><th>where</th><th>why</th></tr>\n");
	json_array_foreach(json_object_get(p, "not_applied"), i, x)
	{
		fprintf(f, "<tr><td class=\"mono\">");
		esc(f, x, "key");
		fprintf(f, "</td><td>");
		esc(f, x, "where");
		fprintf(f, "</td><td>");
		esc(f, x, "why");
		if (*summary_str(x, "what")) {
			json_t *c;
			size_t k;

			fprintf(f, "<br>It is ");
			esc(f, x, "what");
			fprintf(f, "; its host value could change %s",
			        json_array_size(json_object_get(x, "reaches")) ? ""
			                                                       : "no case here");
			json_array_foreach(json_object_get(x, "reaches"), k, c)
			{
				fprintf(f, "%s", k ? ", " : "");
				text_escape_xml(f, json_string_value(c));
			}
			fprintf(f, " (");
			esc(f, x, "reach_why");
			fprintf(f, ")");
		}
		fprintf(f, "</td></tr>\n");
	}
	fprintf(f, "</table>\n<h3>Case premises and axes</h3>\n<table><tr><th>case</th>"
	           "<th>sysctl</th><th>the case's</th><th>the profile's</th><th>why</th></tr>\n");
	for (int pass = 0; pass < 2; pass++)
		json_array_foreach(json_object_get(p, pass ? "replaced" : "premises"), i, x)
		{
			fprintf(f, "<tr><td>");
			esc(f, x, "case");
			fprintf(f, " (line %lld)</td><td class=\"mono\">",
			        (long long)json_integer_value(json_object_get(x, "line")));
			esc(f, x, "key");
			fprintf(f, "</td><td class=\"mono\">");
			esc(f, x, "case_value");
			fprintf(f, "%s</td><td class=\"mono\">", pass ? " (replaced)" : " (kept)");
			esc(f, x, "profile");
			fprintf(f, "</td><td>");
			esc(f, x, "why");
			fprintf(f, "</td></tr>\n");
		}
	fprintf(f, "</table>\n");
}

/* Every behaviour that differs, and every check not as expected. */
static void profile_changes_html(FILE *f, json_t *p)
{
	json_t *x;
	size_t i;

	fprintf(f, "<h3>What differs, case by case</h3>\n<table><tr><th>case</th><th>behaviour</th>"
	           "<th>variants</th><th>before</th><th>after</th><th>row</th></tr>\n");
	json_array_foreach(json_object_get(p, "changes"), i, x)
	{
		fprintf(f, "<tr><td>");
		esc(f, x, "case");
		fprintf(f, "</td><td><span class=\"mono\">");
		esc(f, x, "observation");
		fprintf(f, "</span><br><small>");
		esc(f, x, "step");
		fprintf(f, "</small></td><td>");
		esc(f, x, "variants");
		fprintf(f, "</td><td class=\"mono\">");
		esc(f, x, "before");
		fprintf(f, "</td><td class=\"mono\">");
		esc(f, x, "after");
		fprintf(f, "</td><td><small>line %lld: ",
		        (long long)json_integer_value(json_object_get(x, "row")));
		esc(f, x, "source");
		fprintf(f, "</small></td></tr>\n");
	}
	if (!json_array_size(json_object_get(p, "changes")))
		fprintf(f, "<tr><td colspan=\"6\">no behaviour changed</td></tr>\n");
	fprintf(f,
	        "</table>\n<h3>Not as expected under the profile (%zu)</h3>\n<table><tr>"
	        "<th>case</th><th>variant</th><th>check</th><th>why</th></tr>\n",
	        json_array_size(json_object_get(p, "unexpected")));
	json_array_foreach(json_object_get(p, "unexpected"), i, x)
	{
		fprintf(f, "<tr><td>");
		esc(f, x, "case");
		fprintf(f, "</td><td class=\"mono\">");
		esc(f, x, "variant");
		fprintf(f, "</td><td class=\"mono\">");
		esc(f, x, "check");
		fprintf(f, "</td><td>");
		esc(f, x, "reason");
		fprintf(f, "</td></tr>\n");
	}
	fprintf(f, "</table>\n");
}

/* `tcpconform profile` leaves profile.json in its run: the operator's
 * answer, key by key, then the details. */
static void profile_section(FILE *f, int dirfd)
{
	struct err e;
	json_t *p, *x, *v;
	size_t i;

	if (dirfd < 0)
		return;
	p = results_read_json(dirfd, RESULTS_PROFILE, RESULTS_PROFILE, &e);
	if (!p)
		return;
	v = json_object_get(p, "variants");
	fprintf(f,
	        "<h2 id=\"profile\">What the profile changes</h2>\n<p>profile <b class=\"mono\">");
	esc(f, p, "profile");
	fprintf(f, "</b> against <b class=\"mono\">");
	esc(f, p, "against");
	fprintf(f, "</b> (baseline run <span class=\"mono\">");
	esc(f, p, "baseline_run");
	fprintf(f,
	        "</span>; %lld variant(s) under the profile, %lld run under it, %lld configured "
	        "as the baseline's; both runs in %.1f s)</p>\n",
	        (long long)json_integer_value(json_object_get(v, "total")),
	        (long long)json_integer_value(json_object_get(v, "run")),
	        (long long)json_integer_value(json_object_get(v, "same")),
	        json_number_value(json_object_get(p, "wall_ms")) / 1e3);
	json_array_foreach(json_object_get(p, "answer"), i, x) profile_key_html(f, x);
	profile_lists_html(f, p);
	profile_changes_html(f, p);
	json_decref(p);
}

/* The runs of a variant before its last (summary.json earlier_runs: run
 * again after failing under a timer slip), each with its files in
 * DIR/run-N.  summary.json may come from another machine: at most
 * EARLIER_SHOWN, every string escaped. */
#define EARLIER_SHOWN 8
static void earlier_runs(FILE *fp, json_t *var)
{
	json_t *runs = json_object_get(var, "earlier_runs"), *r;
	const char *dir = summary_str(var, "dir");
	size_t i, n = json_array_size(runs);

	json_array_foreach(runs, i, r)
	{
		if (i == EARLIER_SHOWN)
			break;
		fprintf(fp, "<p class=\"why\">run %zu of %zu: ", i + 1, n + 1);
		verdict_cell(fp, "span", summary_str(r, "verdict"));
		fprintf(fp, " under a timer slip of %.1f ms, run again: ",
		        json_number_value(json_object_get(r, "timer_slip_ms")));
		if (*summary_str(r, "check")) {
			text_escape_xml(fp, summary_str(r, "check"));
			fprintf(fp, ": ");
		}
		text_escape_xml(fp, summary_str(r, "reason"));
		fprintf(fp, " &middot; <a href=\"./");
		text_escape_url(fp, dir);
		fprintf(fp, "/run-%zu/%s\">its %s</a></p>\n", i + 1, RESULTS_PCAP, RESULTS_PCAP);
	}
}

void report_variant_html(FILE *fp, json_t *var, json_t *obs, const char *events)
{
	static const char *const files[] = {RESULTS_PCAP, RESULTS_TRACE, RESULTS_EVENTS,
	                                    RESULTS_LOG, RESULTS_OBSERVED};
	const char *dir = summary_str(var, "dir");
	size_t f;

	fprintf(fp, "<h2 id=\"");
	text_escape_xml(fp, dir);
	fprintf(fp, "\">");
	text_escape_xml(fp, summary_str(var, "case"));
	fprintf(fp, " &middot; ");
	text_escape_xml(fp, summary_str(var, "variant"));
	fprintf(fp, " &middot; ");
	verdict_cell(fp, "span", summary_str(var, "verdict"));
	fprintf(fp, "</h2>\n<p>");
	for (f = 0; f < 5; f++) {
		fprintf(fp, "%s<a href=\"./", f ? " &middot; " : "");
		text_escape_url(fp, dir);
		fprintf(fp, "/%s\">%s</a>", files[f], files[f]);
	}
	fprintf(fp, "</p>\n");
	earlier_runs(fp, var);
	checks_table(fp, var);
	if (obs && json_array_size(json_object_get(obs, "frames")))
		ladder(fp, obs, events);
}

/* A variant's observed.json and events.txt, from its directory (named by
 * summary.json: checked, component by component). */
static void variant_files(int rootfd, json_t *var, json_t **obs, char **events)
{
	struct err e;
	size_t len;
	int vfd;

	*obs = NULL;
	*events = NULL;
	if (rootfd < 0)
		return;
	vfd = resdir_open_rel(rootfd, summary_str(var, "dir"), &e);
	if (vfd < 0)
		return;
	*obs = results_read_observed(vfd, &e);
	if (*obs)
		*events = results_read_text(vfd, RESULTS_EVENTS, MAX_EVENTS_FILE, &len, &e);
	close(vfd);
}

/* The page; with @cov, each variant is added to it as it is read, and its
 * section ends the page. */
static void run_html(FILE *fp, const struct summary *sum, int dirfd, struct coverage *cov)
{
	static const char *const verdicts[] = {"pass", "xfail", "skip", "fail", "error"};
	unsigned long counts[5] = {0};
	json_t *var;
	size_t i;

	json_array_foreach(sum->variants, i, var)
	{
		json_t *c;
		size_t k, v;

		json_array_foreach(json_object_get(var, "checks"), k, c)
		{
			for (v = 0; v < 5; v++)
				if (!strcmp(summary_str(c, "verdict"), verdicts[v]))
					counts[v]++;
		}
	}
	fprintf(fp, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	            "<title>tcpconform ");
	text_escape_xml(fp, summary_str(sum->root, "run_id"));
	fprintf(fp, "</title><style>%s%s</style></head><body>\n<h1>tcpconform run ", css,
	        caseindex_css);
	text_escape_xml(fp, summary_str(sum->root, "run_id"));
	fprintf(fp, "</h1>\n<p>kernel <b class=\"mono\">");
	text_escape_xml(fp, summary_str(sum->root, "kernel"));
	upstream_note(fp, sum->root);
	fprintf(fp,
	        "</b>, %zu variant(s), %.2f s%s</p>\n<table><tr><th class=\"pass\">pass</th>"
	        "<th class=\"xfail\">xfail</th><th class=\"skip\">skip</th><th class=\"fail\">fail"
	        "</th><th class=\"error\">error</th></tr><tr><td>%lu</td><td>%lu</td><td>%lu</td>"
	        "<td>%lu</td><td>%lu</td></tr></table>\n",
	        json_array_size(sum->variants),
	        json_real_value(json_object_get(sum->root, "wall_ms")) / 1e3,
	        json_is_true(json_object_get(sum->root, "interrupted")) ? ", <b>interrupted</b>"
	                                                                : "",
	        counts[0], counts[1], counts[2], counts[3], counts[4]);
	if (cov)
		fprintf(fp,
		        "<p><a href=\"#coverage\">Coverage</a>: the TCP state transitions, "
		        "timers and counters of this run, and the rows that checked them</p>\n");
	caseindex_filter(fp);
	if (caseindex_html(fp, sum, 1, NULL) < 0)
		fprintf(fp, "<p class=\"why\">(no index: out of memory)</p>\n");
	fprintf(fp, "<table><tr><th>case</th><th>variant</th><th>verdict</th><th>time</th></tr>\n");
	json_array_foreach(sum->variants, i, var)
	{
		fprintf(fp, "<tr class=\"%s\"><td>", caseindex_class(var));
		text_escape_xml(fp, summary_str(var, "case"));
		fprintf(fp, "</td><td><a href=\"#");
		text_escape_url(fp, summary_str(var, "dir"));
		fprintf(fp, "\">");
		text_escape_xml(fp, summary_str(var, "variant"));
		fprintf(fp, "</a></td>");
		verdict_cell(fp, "td", summary_str(var, "verdict"));
		fprintf(fp, "<td>%.2f s", json_real_value(json_object_get(var, "wall_ms")) / 1e3);
		if (json_array_size(json_object_get(var, "earlier_runs")))
			fprintf(fp, " (run %zu times: a timer slip)",
			        json_array_size(json_object_get(var, "earlier_runs")) + 1);
		fprintf(fp, "</td></tr>\n");
	}
	fprintf(fp, "</table>\n");
	profile_section(fp, dirfd);
	json_array_foreach(sum->variants, i, var)
	{
		json_t *obs;
		char *events;

		variant_files(dirfd, var, &obs, &events);
		fprintf(fp, "<div class=\"%s\">\n", caseindex_class(var));
		report_variant_html(fp, var, obs, events);
		fprintf(fp, "</div>\n");
		if (cov && cov_add_variant(cov, var, obs, events) < 0) {
			fprintf(fp, "<p class=\"why\">(no coverage: out of memory)</p>\n");
			cov = NULL;
		}
		json_decref(obs);
		free(events);
	}
	if (cov)
		covreport_html(fp, cov);
	fprintf(fp, "</body></html>\n");
}

void report_run_html(FILE *fp, const struct summary *sum, int dirfd)
{
	run_html(fp, sum, dirfd, NULL);
}

/* coverage.json beside the report. */
static int coverage_json(int dirfd, const char *label, struct coverage *cov, struct err *e)
{
	json_t *j = cov_json(cov, &label, 1);
	int r;

	if (!j)
		return err_set(e, ERR_SYSTEM, "%s: out of memory", label);
	r = results_write_json(dirfd, RESULTS_COVERAGE, NULL, j, 0, e);
	json_decref(j);
	return r;
}

int report_write_run_cov(int dirfd, const char *label, const struct cov_transitions *tr,
                         const struct cov_timers *tm, struct err *e)
{
	struct coverage cov, *cp = NULL;
	struct summary sum;
	struct afile af;
	char *path;
	int r;

	if (summary_load_at(&sum, dirfd, label, e) < 0)
		return -1;
	path = results_path(label, RESULTS_REPORT, e);
	if (!path || afile_openat(&af, dirfd, RESULTS_REPORT, path, e) < 0) {
		free(path);
		summary_free(&sum);
		return -1;
	}
	if (tr && cov_init(&cov, tr, tm) == 0)
		cp = &cov;
	run_html(af.fp, &sum, dirfd, cp);
	summary_free(&sum);
	r = afile_commit(&af, e);
	if (r == 0 && cp)
		r = coverage_json(dirfd, label, cp, e);
	if (cp)
		cov_free(cp);
	free(path);
	return r;
}

int report_write_run_at(int dirfd, const char *label, struct err *e)
{
	return report_write_run_cov(dirfd, label, NULL, NULL, e);
}

int report_write_run(const char *rundir, struct err *e)
{
	int fd = resdir_open(rundir, RESDIR_FOLLOW, e), r;

	if (fd < 0)
		return -1;
	r = report_write_run_at(fd, rundir, e);
	close(fd);
	return r;
}

/* ---- the matrix ------------------------------------------------------------ */

/* One row of the matrix: a case/variant pair that some run has. */
struct row {
	const char *c, *v;
};

static void row_key(FILE *fp, const struct row *r)
{
	text_escape_xml(fp, r->c);
	fputc('/', fp);
	text_escape_xml(fp, r->v);
}

/* The rows of one observation @c (as a run that checked it saw it), when
 * its value or verdict differs between the runs; returns 1 if shown. */
static size_t difference_rows(FILE *fp, const struct summary *sums, int n, const char *const *dirs,
                              const struct row *row, json_t *c)
{
	const char *name = summary_str(c, "name");
	bool differ = false;
	int i;

	for (i = 0; i < n; i++) {
		json_t *o =
		    summary_check(&sums[i], summary_variant(&sums[i], row->c, row->v), name);

		/* A run without the observation differs too (a skipped variant,
		 * an observation only one kernel can make); otherwise the rule
		 * of `tcpconform diff`. */
		if (!o || summary_check_differs(o, c))
			differ = true;
	}
	if (!differ)
		return 0;
	for (i = 0; i < n; i++) {
		json_t *v = summary_variant(&sums[i], row->c, row->v);
		json_t *o = summary_check(&sums[i], v, name);

		fprintf(fp, "<tr><td class=\"mono\">");
		if (i == 0)
			row_key(fp, row);
		fprintf(fp, "</td><td class=\"mono\">");
		if (i == 0)
			text_escape_xml(fp, name);
		fprintf(fp, "</td><td class=\"mono\">");
		text_escape_xml(fp, summary_str(sums[i].root, "kernel"));
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
		fprintf(fp, "</td>");
		verdict_cell(fp, "td", summary_str(o, "verdict"));
		fprintf(fp, "<td class=\"mono\">");
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
static int differences(FILE *fp, const struct summary *sums, int n, const struct row *rows,
                       size_t nrows, const char *const *dirs)
{
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
	for (m = 0; m < nrows; m++) {
		json_t *names = json_object(), *c;
		int j;

		if (!names)
			return -1;
		for (j = 0; j < n; j++) {
			json_t *v = summary_variant(&sums[j], rows[m].c, rows[m].v);
			size_t k;

			json_array_foreach(json_object_get(v, "checks"), k, c)
			{
				const char *name = summary_str(c, "name");

				if (json_object_get(names, name))
					continue; /* an earlier run had it */
				if (json_object_set_new(names, name, json_true()) < 0) {
					json_decref(names);
					return -1;
				}
				shown += difference_rows(fp, sums, n, dirs, &rows[m], c);
			}
		}
		json_decref(names);
	}
	if (!shown)
		fprintf(fp, "<tr><td colspan=\"7\">none</td></tr>\n");
	fprintf(fp, "</table>\n");
	return 0;
}

int report_matrix_html(FILE *fp, const struct summary *sums, int n, const char *const *dirs)
{
	struct row *rows;
	size_t total = 0, nrows = 0, m;
	int i, r;

	for (i = 0; i < n; i++)
		total += sums[i].nvars;
	rows = calloc(total ? total : 1, sizeof(*rows));
	if (!rows)
		return -1;
	/* Unique case/variant pairs in first-seen order. */
	for (i = 0; i < n; i++) {
		json_t *v;
		size_t k;

		json_array_foreach(sums[i].variants, k, v)
		{
			const char *c = summary_str(v, "case"), *vn = summary_str(v, "variant");
			int j;
			bool seen = summary_variant(&sums[i], c, vn) != v;

			for (j = 0; j < i && !seen; j++)
				seen = summary_variant(&sums[j], c, vn) != NULL;
			if (!seen)
				rows[nrows++] = (struct row){c, vn};
		}
	}
	fprintf(fp,
	        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	        "<title>tcpconform matrix</title><style>%s%s</style></head><body>\n"
	        "<h1>tcpconform: %d run(s)</h1>\n",
	        css, caseindex_css, n);
	caseindex_filter(fp);
	if (caseindex_html(fp, sums, n, dirs) < 0) {
		free(rows);
		return -1;
	}
	fprintf(fp, "<table><tr><th>case / variant</th>");
	for (i = 0; i < n; i++) {
		fprintf(fp, "<th>");
		text_escape_xml(fp, summary_str(sums[i].root, "kernel"));
		upstream_note(fp, sums[i].root);
		fprintf(fp, "<div class=\"why\">");
		text_escape_xml(fp, dirs[i]);
		fprintf(fp, "</div></th>");
	}
	fprintf(fp, "</tr>\n");
	for (m = 0; m < nrows; m++) {
		bool bad = false;

		for (i = 0; i < n; i++) {
			json_t *found = summary_variant(&sums[i], rows[m].c, rows[m].v);

			bad |= found && !strcmp(caseindex_class(found), "bad");
		}
		fprintf(fp, "<tr class=\"%s\"><td class=\"mono\">", bad ? "bad" : "ok");
		row_key(fp, &rows[m]);
		fprintf(fp, "</td>");
		for (i = 0; i < n; i++) {
			json_t *found = summary_variant(&sums[i], rows[m].c, rows[m].v);
			const char *verdict = summary_str(found, "verdict");

			if (!found) {
				fprintf(fp, "<td>&mdash;</td>");
				continue;
			}
			fprintf(fp, "<td class=\"%s\"><a href=\"", verdict_class(verdict));
			text_escape_xml(fp, dirs[i]);
			fprintf(fp, "/report.html#");
			text_escape_url(fp, summary_str(found, "dir"));
			fprintf(fp, "\">");
			text_escape_xml(fp, verdict);
			fprintf(fp, "</a></td>");
		}
		fprintf(fp, "</tr>\n");
	}
	fprintf(fp, "</table>\n");
	r = differences(fp, sums, n, rows, nrows, dirs);
	fprintf(fp, "</body></html>\n");
	free(rows);
	return r;
}

int report_write_matrix(const char *out, const char *const *dirs, int n)
{
	struct summary *sums;
	struct afile af;
	struct err e;
	int i, loaded = 0, rc = EXIT_PASS;

	sums = calloc((size_t)n, sizeof(*sums));
	if (!sums) {
		fprintf(stderr, "tcpconform: out of memory\n");
		return EXIT_ENV;
	}
	for (loaded = 0; loaded < n; loaded++) {
		if (summary_load(&sums[loaded], dirs[loaded], &e) < 0) {
			err_print(&e);
			rc = EXIT_USAGE;
			goto done;
		}
	}
	if (afile_open(&af, out, &e) < 0) {
		err_print(&e);
		rc = EXIT_ENV;
		goto done;
	}
	if (report_matrix_html(af.fp, sums, n, dirs) < 0) {
		afile_abort(&af);
		fprintf(stderr, "tcpconform: out of memory writing %s\n", out);
		rc = EXIT_ENV;
	} else if (afile_commit(&af, &e) < 0) {
		err_print(&e);
		rc = EXIT_ENV;
	} else {
		text_term_printf(stdout, "%s\n", out);
	}
done:
	for (i = 0; i < loaded; i++)
		summary_free(&sums[i]);
	free(sums);
	return rc;
}
