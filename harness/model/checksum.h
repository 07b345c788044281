/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * checksum.h - the Internet checksum (RFC 1071) of crafted segments and
 * its incremental update (RFC 1624) when the wire rewrites a header word.
 */
#ifndef TC_CHECKSUM_H
#define TC_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/* @sum plus @n bytes read as big-endian 16-bit words (an odd last byte
 * padded with zero): a partial sum, not yet folded. */
uint32_t csum_add(uint32_t sum, const uint8_t *b, size_t n);
/* A partial sum folded to 16 bits and complemented: the checksum field. */
uint16_t csum_fold(uint32_t sum);
/* The TCP checksum of @len bytes of segment (its checksum field zero) sent
 * from IPv4 address @src to @dst (4 bytes each, network order). */
uint16_t csum_tcp4(const uint8_t *src, const uint8_t *dst, const uint8_t *seg, size_t len);
/* Checksum @hc after one 16-bit word changes from @old to @new (RFC 1624
 * eqn. 3: HC' = ~(~HC + ~m + m')). */
uint16_t csum_replace(uint16_t hc, uint16_t old, uint16_t new);

#endif
