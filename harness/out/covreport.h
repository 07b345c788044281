/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * covreport.h - coverage (model/coverage.h) read from results directories
 * and shown: as text (`tcpconform coverage`), as coverage.json, and as a
 * section of report.html (the state diagram with its covered and
 * uncovered edges, the transitions, timers and counters as tables).
 *
 * A results directory may come from another machine: its files are read
 * as summary.h and resdir.h read them (no link followed, regular files,
 * bounded), and every string from it is escaped where it is printed.
 */
#ifndef TC_COVREPORT_H
#define TC_COVREPORT_H

#include <jansson.h>
#include <stdio.h>

#include "base/error.h"
#include "model/coverage.h"
#include "out/summary.h"

/* Every variant of the run in @dir into @c.  -1 with @e: not a run
 * (ERR_INPUT), or out of memory. */
int covreport_read(struct coverage *c, const char *dir, struct err *e);
/* One variant's files below the run directory @rootfd (its "dir" in
 * summary.json), into @c; a variant whose files cannot be read is counted
 * without them.  -1: out of memory. */
int covreport_add(struct coverage *c, int rootfd, json_t *var);

/* The text `tcpconform coverage` prints; @verbose lists every row. */
void covreport_text(FILE *fp, const struct coverage *c, size_t nruns, int verbose);
/* coverage.json at @path, written atomically. */
int covreport_write_json(const struct coverage *c, const char *const *runs, size_t nruns,
                         const char *path, struct err *e);
/* The coverage section of a report page (id "coverage"). */
void covreport_html(FILE *fp, const struct coverage *c);

#endif
