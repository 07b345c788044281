/* SPDX-License-Identifier: GPL-2.0-only
 *
 * profile_answer.h - what a sysctl profile changes, from the baseline's run
 * and the profile's (profile_plan.h says which variants ran where): the
 * operator's answer first, one paragraph per key of the profile (what the
 * key sets, what it changed here with the evidence: before -> after, the
 * case, the table row and its source; or why nothing, or why it could not
 * be applied), then the details (the case premises the profile left alone,
 * the axes it replaced, every behaviour that differs, every check not as
 * expected).  Printed, and returned as profile.json's content.
 */
#ifndef TC_PROFILE_ANSWER_H
#define TC_PROFILE_ANSWER_H

#include <jansson.h>
#include <stdio.h>

#include "run/profile_plan.h"

/* @base_root and @prof_root: the two runs' directories; @kernel: the
 * version the tables judge.  NULL when out of memory. */
json_t *profile_answer(const struct profile_plan *pl, const char *base_root, const char *prof_root,
                       const char *kernel, FILE *out);

#endif
