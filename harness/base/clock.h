/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * clock.h - the monotonic clock every bound and duration of the harness
 * is measured on (CLOCK_MONOTONIC: never set back, unlike the wall clock).
 */
#ifndef TC_CLOCK_H
#define TC_CLOCK_H

/* Milliseconds of CLOCK_MONOTONIC, with the nanoseconds as a fraction. */
double clock_ms(void);

#endif
