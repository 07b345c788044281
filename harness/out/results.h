/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * results.h - the results directory's one owner: the name of every file in
 * it, every path to it, and every read and write of its JSON files.
 *
 *   RUN/summary.json  results.ktap  junit.xml  report.html  [coverage.json] [profile.json]
 *   RUN/CASE/VARIANT/observed.json  events.txt  trace.pcap  trace.txt  log.txt
 *
 * results/README.md documents the format.  Below the run directory, every
 * file is reached from a directory fd (base/resdir.h: one checked name at a
 * time, no link followed) and written atomically (base/afile.h).  Paths are
 * only built for messages and for the user: results_path() makes them in
 * memory of their own size, so a path is never cut; one that is longer
 * than PATH_MAX is an error.
 */
#ifndef TC_RESULTS_H
#define TC_RESULTS_H

#include <jansson.h>
#include <stddef.h>

#include "base/error.h"

/* The run directory. */
#define RESULTS_SUMMARY  "summary.json"
#define RESULTS_KTAP     "results.ktap"
#define RESULTS_JUNIT    "junit.xml"
#define RESULTS_REPORT   "report.html"
#define RESULTS_PROFILE  "profile.json"  /* `tcpconform profile` */
#define RESULTS_COVERAGE "coverage.json" /* with report.html: model/coverage.h */
/* A variant's directory, CASE/VARIANT below the run directory. */
#define RESULTS_OBSERVED "observed.json"
#define RESULTS_EVENTS   "events.txt"
#define RESULTS_PCAP     "trace.pcap"
#define RESULTS_TRACE    "trace.txt"
#define RESULTS_LOG      "log.txt"

/* "@dir/@name" (either may hold further components) in malloc'd memory of
 * its own size; longer than PATH_MAX - 1 is ERR_INPUT, NULL. */
char *results_path(const char *dir, const char *name, struct err *e);

/* @buf as one JSON object; @label names it in messages ("DIR/summary.json":
 * file:line:col of what is wrong, never a quote of the input). */
json_t *results_json(const char *buf, size_t len, const char *label, struct err *e);
/* The JSON object in file @name below @dirfd, read whole (at most
 * RESDIR_MAX_FILE bytes, sized from the file). */
json_t *results_read_json(int dirfd, const char *name, const char *label, struct err *e);
/* Write @j to @name below @dirfd atomically (indented, keys sorted when
 * @sorted).  @label names it in messages (NULL: @name). */
int results_write_json(int dirfd, const char *name, const char *label, json_t *j, int sorted,
                       struct err *e);

/* A variant's observed.json. */
json_t *results_read_observed(int vfd, struct err *e);
int results_write_observed(int vfd, json_t *o, struct err *e);

/* A text file of a variant (events.txt ...), read whole up to @max bytes,
 * its buffer sized from the file.  NULL with ERR_INPUT when larger. */
char *results_read_text(int vfd, const char *name, size_t max, size_t *len, struct err *e);

#endif
