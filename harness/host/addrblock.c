// SPDX-License-Identifier: GPL-2.0-only
/* addrblock.c - address blocks and their host-wide reservation. */
#include "host/addrblock.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* Where the next search for a free block starts; ADDRBLOCK_COUNT until the
 * first search sets it from the clock. */
static unsigned cursor = ADDRBLOCK_COUNT;

static unsigned search_start(void)
{
	if (cursor == ADDRBLOCK_COUNT) {
		struct timespec ts;

		clock_gettime(CLOCK_BOOTTIME, &ts);
		cursor = (unsigned)(((unsigned long long)ts.tv_sec * 100 +
		                     (unsigned long long)ts.tv_nsec / 10000000) %
		                    ADDRBLOCK_COUNT);
	}
	return cursor;
}

void addrblock_advance(void)
{
	cursor = (search_start() + 1) % ADDRBLOCK_COUNT;
}

static int try_lock(unsigned index)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	socklen_t len;
	int fd, n;

	/* Abstract name: sun_path[0] == 0, no file is created. */
	n = snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1, "tcpconform/block/%u", index);
	len = offsetof(struct sockaddr_un, sun_path) + 1 + n;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sun, len) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

int addrblock_acquire_index(struct addrblock *b, unsigned index, struct err *e)
{
	int fd;

	b->lockfd = -1;
	if (index >= ADDRBLOCK_COUNT)
		return err_set(e, ERR_INPUT, "address block %u out of range (0..%u)", index,
		               ADDRBLOCK_COUNT - 1);
	fd = try_lock(index);
	if (fd < 0) {
		if (errno == EADDRINUSE)
			return err_set(e, ERR_ENV, "address block %u is held by another run",
			               index);
		return err_sys(e, "reserving address block %u", index);
	}
	b->index = index;
	b->lockfd = fd;
	return 0;
}

int addrblock_acquire(struct addrblock *b, struct err *e)
{
	unsigned k, start = search_start();

	b->lockfd = -1;
	for (k = 0; k < ADDRBLOCK_COUNT; k++) {
		unsigned i = (start + k) % ADDRBLOCK_COUNT;
		int fd = try_lock(i);

		if (fd >= 0) {
			b->index = i;
			b->lockfd = fd;
			cursor = (i + 1) % ADDRBLOCK_COUNT;
			return 0;
		}
		if (errno != EADDRINUSE)
			return err_sys(e, "reserving address block %u", i);
	}
	return err_set(e, ERR_ENV, "all %u address blocks are in use", ADDRBLOCK_COUNT);
}

void addrblock_release(struct addrblock *b)
{
	if (b->lockfd >= 0)
		close(b->lockfd);
	b->lockfd = -1;
}

void addrblock_ip4(unsigned index, enum addr_role role, struct in_addr *out)
{
	/* 198.18.0.0/15 holds 2^15 blocks of four addresses (a /30 each). */
	uint32_t base = 198u << 24 | 18u << 16 | (index % ADDRBLOCK_COUNT) << 2;

	out->s_addr = htonl(base | (role == ROLE_SERVER ? 2u : 1u));
}

void addrblock_ip6(unsigned index, enum addr_role role, struct in6_addr *out)
{
	/* 2001:2:0:N::/64 below 2001:2::/48, N the block (in hex). */
	uint16_t n = (uint16_t)(index % ADDRBLOCK_COUNT);

	memset(out, 0, sizeof(*out));
	out->s6_addr[0] = 0x20;
	out->s6_addr[1] = 0x01;
	out->s6_addr[2] = 0x00;
	out->s6_addr[3] = 0x02;
	out->s6_addr[6] = n >> 8;
	out->s6_addr[7] = n & 0xff;
	out->s6_addr[15] = role == ROLE_SERVER ? 2 : 1;
}

void addrblock_mac(unsigned index, enum addr_role role, uint8_t mac[6])
{
	/* 02: locally administered unicast; 74:63 = "tc". */
	mac[0] = 0x02;
	mac[1] = 0x74;
	mac[2] = 0x63;
	mac[3] = (index >> 8) & 0xff;
	mac[4] = index & 0xff;
	mac[5] = (uint8_t)role;
}

void addr_nowhere4(struct in_addr *out)
{
	out->s_addr = htonl(0xc0000201u); /* 192.0.2.1 */
}

void addr_nowhere6(struct in6_addr *out)
{
	static const struct in6_addr a = {
	    .s6_addr = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}};

	*out = a;
}
