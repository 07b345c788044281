/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * caseindex.h - the index a reader of report.html wants first: one row per
 * case (its title and its claim, the `why` of the case file, as summary.json
 * records them) with the count of its variants by verdict, the cases with a
 * fail or an error first, and a filter (failures only) that needs no script:
 * two radio buttons and CSS.  For one run or, in the matrix, one count
 * column per run.
 */
#ifndef TC_CASEINDEX_H
#define TC_CASEINDEX_H

#include <stdbool.h>
#include <stdio.h>

#include "out/summary.h"

/* The filter's radio buttons; put them before everything the filter hides,
 * as siblings (CSS's general sibling combinator). */
void caseindex_filter(FILE *fp);
/* The CSS the filter and the index need. */
extern const char caseindex_css[];
/* The index of @n runs (@dirs name them in the matrix; NULL for one run).
 * Rows link to the first variant of the case (#CASE/VARIANT in one run).
 * Returns 0, or -1 out of memory. */
int caseindex_html(FILE *fp, const struct summary *sums, int n, const char *const *dirs);
/* "bad" when @var has a fail or an error, else "ok": the class the filter
 * hides by. */
const char *caseindex_class(json_t *var);

#endif
