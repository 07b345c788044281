// SPDX-License-Identifier: GPL-2.0-only
/* checksum.c - the Internet checksum, whole and incremental. */
#include "model/checksum.h"

#include <netinet/in.h>
#include <string.h>

uint32_t csum_add(uint32_t sum, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		sum += (uint32_t)(b[n - 1] << 8);
	return sum;
}

uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t csum_tcp4(const uint8_t *src, const uint8_t *dst, const uint8_t *seg, size_t len)
{
	uint8_t ph[12]; /* the pseudo header */

	memcpy(ph, src, 4);
	memcpy(ph + 4, dst, 4);
	ph[8] = 0;
	ph[9] = IPPROTO_TCP;
	ph[10] = (uint8_t)(len >> 8);
	ph[11] = (uint8_t)len;
	return csum_fold(csum_add(csum_add(0, ph, 12), seg, len));
}

uint16_t csum_replace(uint16_t hc, uint16_t old, uint16_t new)
{
	uint32_t sum = (uint16_t)~hc + (uint16_t)~old + new;

	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}
