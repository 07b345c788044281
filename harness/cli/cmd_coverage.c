// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_coverage.c - `tcpconform coverage [RESULTS...] [-o FILE]
 * [--transitions FILE] [--timers FILE] [-v]`: which TCP state transitions,
 * timers and counters the runs exercised and which a table row checked
 * (model/coverage.h), printed, and written to coverage.json
 * (out/covreport.h).
 */
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/text.h"
#include "cli/cmdline.h"
#include "cli/commands.h"
#include "model/coverage.h"
#include "out/covreport.h"
#include "run/catalogue.h"

enum { COV_TRANSITIONS = 256, COV_TIMERS };

const struct opt coverage_opts[] = {
    {'o', 'o', "output", "FILE", "write the coverage as JSON to FILE", "results/coverage.json", 0},
    {COV_TRANSITIONS, 0, "transitions", "FILE", "the transitions Linux can make",
     "fixtures/coverage/transitions", 0},
    {COV_TIMERS, 0, "timers", "FILE", "what shows that each timer fired",
     "fixtures/coverage/timers", 0},
    {'v', 'v', "verbose", NULL, "every case and every row, not the first few", NULL, 0},
    {0, 0, NULL, NULL, NULL, NULL, 0},
};

/* @given, or the fixture @rel beside the cases directory. */
static int spec_path(const char *given, const char *rel, char *out, size_t len)
{
	if (given) {
		snprintf(out, len, "%s", given);
		return strlen(given) < len ? 0 : -1;
	}
	return catalogue_default_fixture(rel, out, len);
}

static int load_specs(const char *trp, const char *tmp, struct cov_transitions *tr,
                      struct cov_timers *tm)
{
	char path[4600];
	struct err e;

	if (spec_path(trp, "coverage/transitions", path, sizeof(path)) < 0)
		return cmdline_bad(trp ? trp : "", "--transitions: the path is too long");
	if (cov_transitions_load(path, tr, &e) < 0) {
		err_print(&e);
		return err_exit_status(&e);
	}
	if (spec_path(tmp, "coverage/timers", path, sizeof(path)) < 0) {
		cov_transitions_free(tr);
		return cmdline_bad(tmp ? tmp : "", "--timers: the path is too long");
	}
	if (cov_timers_load(path, tm, &e) < 0) {
		cov_transitions_free(tr);
		err_print(&e);
		return err_exit_status(&e);
	}
	return EXIT_PASS;
}

int cmd_coverage(int argc, char **argv)
{
	const char *out = "results/coverage.json", *trp = NULL, *tmp = NULL;
	const char *latest[] = {"results/latest"};
	const char *const *runs;
	struct cov_transitions tr;
	struct cov_timers tm;
	struct coverage cov;
	struct cmdline cl;
	size_t nruns, i;
	struct err e;
	int c, verbose = 0, rc;

	cmdline_start(&cl, coverage_opts, NULL, argc, argv);
	while ((c = cmdline_next(&cl)) > 0) {
		if (c == 'o') {
			if (!*cl.val)
				return cmdline_bad(cl.val, "-o: an empty file name");
			out = cl.val;
		} else if (c == COV_TRANSITIONS) {
			trp = cl.val;
		} else if (c == COV_TIMERS) {
			tmp = cl.val;
		} else if (c == 'v') {
			verbose = 1;
		}
	}
	if (c != CMDLINE_END)
		return c == CMDLINE_HELP ? EXIT_PASS : EXIT_USAGE;
	runs = cl.nops ? (const char *const *)argv + 1 : latest;
	nruns = cl.nops ? (size_t)cl.nops : 1;
	rc = load_specs(trp, tmp, &tr, &tm);
	if (rc != EXIT_PASS)
		return rc;
	if (cov_init(&cov, &tr, &tm) < 0) {
		fprintf(stderr, "tcpconform: out of memory\n");
		rc = EXIT_ENV;
		goto done;
	}
	for (i = 0; i < nruns && rc == EXIT_PASS; i++)
		if (covreport_read(&cov, runs[i], &e) < 0) {
			err_print(&e);
			rc = err_exit_status(&e);
		}
	if (rc == EXIT_PASS) {
		covreport_text(stdout, &cov, nruns, verbose);
		if (covreport_write_json(&cov, runs, nruns, out, &e) < 0) {
			err_print(&e);
			rc = EXIT_ENV;
		} else {
			text_term_printf(stdout, "coverage: %s\n", out);
		}
	}
	cov_free(&cov);
done:
	cov_transitions_free(&tr);
	cov_timers_free(&tm);
	return rc;
}
