/* SPDX-License-Identifier: GPL-2.0-only */
/* diff.h - `tcpconform diff DIR_A DIR_B`. */
#ifndef TC_DIFF_H
#define TC_DIFF_H

int cmd_diff(int argc, char **argv);

#endif
