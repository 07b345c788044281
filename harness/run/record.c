// SPDX-License-Identifier: GPL-2.0-only
/* record.c - a variant's results: step results, observed.json, events.txt. */
#include "run/record.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "base/error.h"
#include "out/results.h"
#include "wire/trace.h"

void record_step(struct player *p, const struct step *st, long ret, int err, double ms)
{
	json_t *j = json_object();

	json_object_set_new(j, "line", json_integer(st->line));
	json_object_set_new(j, "step", json_string(st->src));
	json_object_set_new(j, "ret", json_integer(ret));
	json_object_set_new(j, "errno",
	                    ret < 0 && err ? json_string(err_errno_name(err)) : json_null());
	json_object_set_new(j, "ms", json_real(ms));
	json_array_append(p->steps, j);
	if (st->as[0]) {
		json_t *o = json_object();

		json_object_set_new(o, "source", json_string("syscall"));
		json_object_set_new(o, "line", json_integer(st->line));
		json_object_set(o, "value", j);
		json_object_set_new(p->obs, st->as, o);
	}
	json_decref(j);
	if (ret < 0 && err)
		player_log(p, "line %u: %s -> %ld %s (%.3f ms)", st->line, st->src, ret,
		           err_errno_name(err), ms);
	else
		player_log(p, "line %u: %s -> %ld (%.3f ms)", st->line, st->src, ret, ms);
}

int record_observed(struct player *p, int dirfd, const char *variant, const char *status,
                    const char *reason, double wall_ms, double setup_ms)
{
	json_t *root = json_object();
	struct utsname u;
	struct err e2;
	int r;

	uname(&u);
	json_object_set_new(root, "case", json_string(p->sc->name));
	json_object_set_new(root, "variant", json_string(variant));
	json_object_set_new(root, "family", json_integer(p->family));
	json_object_set_new(root, "kernel", json_string(u.release));
	json_object_set_new(root, "status", json_string(status));
	json_object_set_new(root, "reason", reason ? json_string(reason) : json_null());
	json_object_set_new(root, "address_block", json_integer(p->block.index));
	{
		/* Both clocks at one instant: tracepoints use the monotonic clock,
		 * the wire's kernel timestamps the real-time one. */
		struct timespec rt, mt;
		json_t *ck = json_object();

		clock_gettime(CLOCK_REALTIME, &rt);
		clock_gettime(CLOCK_MONOTONIC, &mt);
		json_object_set_new(ck, "realtime",
		                    json_real((double)rt.tv_sec + rt.tv_nsec / 1e9));
		json_object_set_new(ck, "monotonic",
		                    json_real((double)mt.tv_sec + mt.tv_nsec / 1e9));
		json_object_set_new(root, "clocks", ck);
	}
	{
		char a[INET6_ADDRSTRLEN];
		json_t *ad = json_object();

		inet_ntop(AF_INET, &p->t.client.ip4, a, sizeof(a));
		json_object_set_new(ad, "client4", json_string(a));
		inet_ntop(AF_INET, &p->t.server.ip4, a, sizeof(a));
		json_object_set_new(ad, "server4", json_string(a));
		inet_ntop(AF_INET6, &p->t.client.ip6, a, sizeof(a));
		json_object_set_new(ad, "client6", json_string(a));
		inet_ntop(AF_INET6, &p->t.server.ip6, a, sizeof(a));
		json_object_set_new(ad, "server6", json_string(a));
		json_object_set_new(root, "addresses", ad);
	}
	json_object_set(root, "sysctls", p->sysctls);
	{
		json_t *ax = json_object();
		size_t i;

		for (i = 0; i < p->sc->naxes; i++)
			json_object_set_new(ax, p->sc->axes[i].name,
			                    json_string(p->sc->axes[i].values[p->axes[i]]));
		/* every variant is IPv4 or IPv6: "family=4" in a row's when
		 * column is an axis like any other */
		json_object_set_new(ax, "family", json_string(p->family == 6 ? "6" : "4"));
		json_object_set_new(root, "axes", ax);
	}
	json_object_set(root, "observations", p->obs);
	json_object_set(root, "steps", p->steps);
	/* A variant whose wire never started has no frames: an empty array,
	 * owned by root alone. */
	json_object_set_new(root, "frames", p->frames ? json_incref(p->frames) : json_array());
	json_object_set_new(root, "wall_ms", json_real(wall_ms));
	json_object_set_new(root, "setup_ms", json_real(setup_ms));
	json_object_set_new(root, "step_ms", json_real(p->step_ms));
	/* how late our own timers woke while it played (slip.h) */
	json_object_set_new(root, "timer_slip_ms", json_real(p->slip_ms));
	json_object_set_new(root, "overhead_ms", json_real(wall_ms - p->step_ms));
	{
		json_t *ph = json_object();

		for (int i = 0; i < PHASE_N; i++)
			json_object_set_new(ph, phase_names[i], json_real(p->phase_ms[i]));
		json_object_set_new(root, "phases_ms", ph);
	}
	/* Said on stderr when it fails: the runner only sees that the file is
	 * missing. */
	r = results_write_observed(dirfd, root, &e2);
	json_decref(root);
	if (r < 0)
		err_print(&e2);
	return r;
}

json_t *record_frames(struct wire *w)
{
	json_t *arr = json_array();
	const struct wframe *f;
	size_t n, k;

	f = wire_frames(w, &n);
	for (k = 0; k < n; k++) {
		json_t *o = json_object();
		char flags[16], v[200];
		struct timespec t0 = {0, 0};

		frame_flags_str(f[k].fi.flags, flags, sizeof(flags));
		trace_verdict(&f[k], &t0, v, sizeof(v));
		json_object_set_new(o, "no", json_integer(f[k].no));
		json_object_set_new(o, "t", json_real(ts_sec(f[k].ts)));
		json_object_set_new(o, "dir", json_string(dir_name(f[k].dir)));
		json_object_set_new(o, "tcp", json_boolean(f[k].fi.kind != FRAME_OTHER));
		json_object_set_new(o, "flags", json_string(flags));
		json_object_set_new(o, "seq", json_integer(f[k].fi.seq));
		json_object_set_new(o, "ack", json_integer(f[k].fi.ack));
		json_object_set_new(o, "len", json_integer(f[k].fi.payload));
		json_object_set_new(o, "sport", json_integer(f[k].fi.sport));
		json_object_set_new(o, "dport", json_integer(f[k].fi.dport));
		json_object_set_new(o, "verdict", json_string(v));
		json_object_set_new(o, "kind", json_integer(f[k].verdict));
		if (f[k].out_ts.tv_sec)
			json_object_set_new(o, "sent_t", json_real(ts_sec(f[k].out_ts)));
		json_array_append_new(arr, o);
	}
	return arr;
}

int record_events(struct player *p, int dirfd, struct err *e)
{
	char *text, *line, *save = NULL, a[4][INET6_ADDRSTRLEN + 2];
	struct afile af;

	if (!p->tr.active)
		return 0;
	text = tracer_read(&p->tr);
	if (!text)
		return err_sys(e, "events.txt: reading the tracefs instance %s", p->tr.dir);
	inet_ntop(AF_INET, &p->t.client.ip4, a[0], INET6_ADDRSTRLEN);
	inet_ntop(AF_INET, &p->t.server.ip4, a[1], INET6_ADDRSTRLEN);
	inet_ntop(AF_INET6, &p->t.client.ip6, a[2], INET6_ADDRSTRLEN);
	inet_ntop(AF_INET6, &p->t.server.ip6, a[3], INET6_ADDRSTRLEN);
	/* "198.18.0.1" must not match "198.18.0.13": end the v4 ones with a
	 * character that follows an address in every event format. */
	if (afile_openat(&af, dirfd, RESULTS_EVENTS, NULL, e) < 0) {
		free(text);
		return -1;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int k;

		if (trace_event_ts(line) < p->mono_start)
			continue;
		for (k = 0; k < 4; k++) {
			const char *hit = strstr(line, a[k]);

			if (hit && !isdigit((unsigned char)hit[strlen(a[k])])) {
				fprintf(af.fp, "%s\n", line);
				break;
			}
		}
	}
	free(text);
	return afile_commit(&af, e);
}
