/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kernel.h - the version the tables judge: the upstream kernel version,
 * also where a distribution's release string hides its patch level.
 *
 * Debian calls 6.1.192 "6.1.0-57-amd64" (uname -r) and names the upstream
 * version in uname -v ("#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-3 (...)");
 * Ubuntu calls 5.15.143 "5.15.0-100-generic" and names it in
 * /proc/version_signature ("Ubuntu 5.15.0-100.110-generic 5.15.143").
 * A stable backport (3479c7549fb1 reached 6.1.125) is judged by the
 * upstream version, never by the distribution's x.y.0.
 */
#ifndef TC_KERNEL_H
#define TC_KERNEL_H

#include <stddef.h>

/* The running kernel's upstream version into @out ("6.1.192"), or its
 * release when nothing better is known; @from names where it came from
 * ("uname -r", "uname -v", "/proc/version_signature"). */
void kernel_version(char *out, size_t len, const char **from);

/* kernel.panic_on_warn of the running kernel (/proc/sys/kernel/
 * panic_on_warn): 1 when a warning panics it (a guest of `vm
 * --panic-on-warn`), 0 when not, -1 when unreadable. */
int kernel_panic_on_warn(void);

/* The same from the three strings (@version and @signature may be NULL). */
void kernel_version_of(const char *release, const char *version, const char *signature, char *out,
                       size_t len, const char **from);

#endif
