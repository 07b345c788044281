// SPDX-License-Identifier: GPL-2.0-only
/* diag.c - inet_diag dumps through libnl-idiag-3, from inside a namespace. */
#include "host/diag.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <netlink/cache.h>
#include <netlink/idiag/idiagnl.h>
#include <netlink/idiag/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include "host/netns.h"

/* The netlink socket is made here rather than by idiagnl_connect(), which
 * folds socket(2)'s errno into NLE_FAILURE ("Unspecific failure"): running
 * out of descriptors must say EMFILE, and only a kernel without sock_diag
 * (EPROTONOSUPPORT: net/netlink/af_netlink.c netlink_create()) is an
 * absence. */
static int diag_connect(struct nl_sock *sk, int nsfd, struct err *e)
{
	int fd = netns_netlink(nsfd, NETLINK_INET_DIAG, e), rc;

	if (fd < 0) {
		if (e->errnum == EPROTONOSUPPORT) {
			err_set(e, ERR_ENV, "this kernel has no sock_diag netlink (socket: %s)",
			        strerror(EPROTONOSUPPORT));
			return DIAG_ABSENT;
		}
		return err_wrap(e, "inet_diag");
	}
	rc = nl_socket_set_fd(sk, NETLINK_INET_DIAG, fd);
	if (rc < 0) {
		close(fd);
		return err_set(e, ERR_SYSTEM, "inet_diag: %s", nl_geterror(rc));
	}
	return 0;
}

int diag_query(int nsfd, int family, int state, int port, struct diag_result *r, struct err *e)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct nl_cache *cache = NULL;
	struct nl_object *o;
	int rc;

	r->count = 0;
	r->timer_ms = -1;
	r->timer = 0;
	r->peer_port = -1;
	if (!sk) {
		errno = ENOMEM;
		return err_sys(e, "inet_diag: nl_socket_alloc");
	}
	rc = diag_connect(sk, nsfd, e);
	if (rc != 0) {
		nl_socket_free(sk);
		return rc;
	}
	rc = idiagnl_msg_alloc_cache(sk, family, 1 << state, &cache);
	if (rc < 0) {
		nl_socket_free(sk);
		/* No handler for the request, none loadable: EOPNOTSUPP without
		 * inet_diag, ENOENT without tcp_diag (net/core/sock_diag.c
		 * sock_diag_rcv_msg(), net/ipv4/inet_diag.c inet_diag_lock_handler()). */
		if (rc == -NLE_OPNOTSUPP || rc == -NLE_OBJ_NOTFOUND) {
			err_set(e, ERR_ENV, "this kernel has no %s (inet_diag dump: %s)",
			        rc == -NLE_OPNOTSUPP ? "inet_diag" : "tcp_diag", nl_geterror(rc));
			return DIAG_ABSENT;
		}
		return err_set(e, ERR_SYSTEM, "inet_diag dump: %s", nl_geterror(rc));
	}
	for (o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct idiagnl_msg *m = (struct idiagnl_msg *)o;

		if (idiagnl_msg_get_state(m) != state)
			continue;
		/* libnl-idiag hands the port over as the kernel sent it: network order. */
		if (port > 0 && ntohs(idiagnl_msg_get_sport(m)) != port)
			continue;
		if (r->count == 0)
			r->peer_port = ntohs(idiagnl_msg_get_dport(m));
		if (r->count == 0 && idiagnl_msg_get_timer(m)) {
			r->timer = idiagnl_msg_get_timer(m);
			r->timer_ms = idiagnl_msg_get_expires(m);
		}
		r->count++;
	}
	nl_cache_free(cache);
	nl_socket_free(sk);
	return 0;
}
