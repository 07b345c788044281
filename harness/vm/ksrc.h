/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ksrc.h - a kernel built from a source tree (`--kernel src:PATH`).
 *
 * The tree at PATH is built out of tree (make O=DIR), so it is never
 * written: DIR is $XDG_CACHE_HOME/tcpconform/builds/src-NAME-HASH/obj,
 * keyed by the tree's real path, and later runs rebuild only what changed.
 * The configuration is x86_64_defconfig + kvm_guest.config +
 * fixtures/kernel/config, then mod2yesconfig (everything built in, no
 * modules).  A tree the user configured is used as it is, after the
 * fragment check: `src:PATH:BUILDDIR` (its .config in BUILDDIR), or a .config
 * in PATH itself (an in-tree build, which is the user's own).
 *
 * Progress goes to stderr, a line per stage and elapsed time; make's whole
 * output to build.log beside the build directory, named on failure with the
 * first compiler error.
 */
#ifndef TC_KSRC_H
#define TC_KSRC_H

#include <stddef.h>

#include "base/error.h"
#include "model/kconfig.h"

struct kernel;
struct kspec;

/* Where the build of @k goes: @cache gets the per-tree cache directory (logs),
 * @obj the build directory. */
int ksrc_dirs(const struct kspec *k, char *cache, size_t clen, char *obj, size_t olen,
              struct err *e);

/* Configure (when the build directory has no .config), check the fragment
 * @frag (an option the kernel lacks that no case can do without is ERR_ENV),
 * build bzImage, and fill @kn (image, config, release).  @fragment_path is
 * the fragment's file, merged into a new configuration. */
int ksrc_build(const struct kspec *k, const char *fragment_path, const struct kfrag *frag,
               struct kernel *kn, struct err *e);

/* The same kernel with gcov (Documentation/dev-tools/gcov.rst) in
 * profiling only the objects @objs (NULL-terminated base names, "tcp_input.o",
 * at most KSRC_MAX_MAKE_ARGS), in a build directory of its own beside the
 * other (@obj gets it: CACHE/obj-gcov), configured from @fragment_path and
 * @gcov_fragment; make gets GCOV_PROFILE_<obj>=y for each, so the tree is
 * never written. */
#define KSRC_MAX_MAKE_ARGS 24
int ksrc_build_gcov(const struct kspec *k, const char *fragment_path, const struct kfrag *frag,
                    const char *gcov_fragment, const char *const objs[], struct kernel *kn,
                    char *obj, size_t olen, struct err *e);

/* The first compiler error in a build log ("file:line:col: error: ..."), or
 * else its last "Error N" line from make, into @buf; "" when none. */
const char *ksrc_first_error(const char *log, size_t len, char *buf, size_t blen);

#endif
