// SPDX-License-Identifier: GPL-2.0-only
/*
 * sd_stubs.c - only for `make static`.
 *
 * libpcap.a carries its D-Bus capture module, so a static link pulls in
 * libdbus-1.a, which calls two systemd socket-activation helpers that
 * Debian ships only in a shared libsystemd.  They are reached only when a
 * D-Bus server is socket-activated, which tcpconform never does (it writes
 * pcap files; it captures through AF_PACKET itself).  These stand-ins
 * answer "no activation sockets", as libsystemd does outside systemd.
 */
#include <errno.h>

int sd_listen_fds(int unset_environment);
int sd_is_socket(int fd, int family, int type, int listening);

int sd_listen_fds(int unset_environment)
{
	(void)unset_environment;
	return 0;
}

int sd_is_socket(int fd, int family, int type, int listening)
{
	(void)fd;
	(void)family;
	(void)type;
	(void)listening;
	return -ENOSYS;
}
