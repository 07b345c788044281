// SPDX-License-Identifier: GPL-2.0-only
/* diag.c - inet_diag dumps through libnl-idiag-3, from inside a namespace. */
#include "diag.h"

#include <arpa/inet.h>

#include <netlink/cache.h>
#include <netlink/idiag/idiagnl.h>
#include <netlink/idiag/msg.h>
#include <netlink/netlink.h>
#include <sys/socket.h>

#include "netns.h"

int diag_query(int nsfd, int family, int state, int port, struct diag_result *r, struct err *e)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct nl_cache *cache = NULL;
	struct nl_object *o;
	int saved, rc;

	r->count = 0;
	r->timer_ms = -1;
	r->timer = 0;
	if (!sk)
		return err_set(e, ERR_SYSTEM, "out of memory");
	if (netns_switch(nsfd, &saved, e) < 0) {
		nl_socket_free(sk);
		return -1;
	}
	rc = idiagnl_connect(sk);
	netns_restore(saved);
	if (rc < 0) {
		nl_socket_free(sk);
		return err_set(e, ERR_ENV, "inet_diag: %s (is tcp_diag available?)",
		               nl_geterror(rc));
	}
	rc = idiagnl_msg_alloc_cache(sk, family, 1 << state, &cache);
	if (rc < 0) {
		nl_socket_free(sk);
		return err_set(e, ERR_ENV, "inet_diag dump: %s", nl_geterror(rc));
	}
	for (o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct idiagnl_msg *m = (struct idiagnl_msg *)o;

		if (idiagnl_msg_get_state(m) != state)
			continue;
		/* libnl-idiag hands the port over as the kernel sent it: network order. */
		if (port > 0 && ntohs(idiagnl_msg_get_sport(m)) != port)
			continue;
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
