/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * transport.h - a results directory as one byte stream, so that a guest can
 * hand its results to the host over a serial port (or any pipe).
 *
 *   tcpconform-results 1\n
 *   file SIZE CRC32 PATH\n      one per regular file, PATH relative
 *   <SIZE bytes>\n
 *   ...
 *   end COUNT\n
 *
 * The receiver checks every frame (size, CRC-32, a path that stays inside the
 * destination) and the final count, and writes each file atomically; a
 * truncated, corrupted or hostile stream is an error that says where.
 */
#ifndef TC_TRANSPORT_H
#define TC_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/error.h"

#define TRANSPORT_MAGIC    "tcpconform-results 1"
#define TRANSPORT_MAX_FILE (256u << 20) /* one file of a run: far below this */

/* CRC-32 (IEEE 802.3, as zlib and cksum -a crc32b). Start with crc = 0. */
uint32_t transport_crc32(uint32_t crc, const void *buf, size_t len);

/* A path the receiver accepts: relative, no "." or ".." component, no empty
 * component, no control characters, shorter than 1024. */
int transport_path_ok(const char *path);

/* Write every regular file under @dir (sorted, recursively) as frames. */
int transport_send_dir(FILE *out, const char *dir, size_t *nfiles, struct err *e);

/* Read frames from @in and write the files under @dest (created when
 * missing); *nfiles is how many were written. */
int transport_receive(FILE *in, const char *dest, size_t *nfiles, struct err *e);

#endif
