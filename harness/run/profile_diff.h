/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * profile_diff.h - `tcpconform profile FILE [--against FILE2] [CASE...]`:
 * what a sysctl profile changes, behaviour by behaviour, compared with the
 * kernel's defaults (or FILE2).  Both runs go at once; the profile run's
 * results directory gets profile.json and a section in report.html.
 */
#ifndef TC_PROFILE_DIFF_H
#define TC_PROFILE_DIFF_H

int cmd_profile(int argc, char **argv);

#endif
