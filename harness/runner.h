/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * runner.h - `tcpconform run`: every variant of every chosen case in its own
 * forked child and process group, -j at a time, each with a hard time
 * limit; results/<run-id>/ written as README and results/README.md say.
 */
#ifndef TC_RUNNER_H
#define TC_RUNNER_H

int cmd_run(int argc, char **argv);

#endif
