// SPDX-License-Identifier: GPL-2.0-only
/* clock.c - the monotonic clock in milliseconds. */
#include "base/clock.h"

#include <time.h>

double clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}
