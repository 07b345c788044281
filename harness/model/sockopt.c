// SPDX-License-Identifier: GPL-2.0-only
/* sockopt.c - socket option names and values of the case language. */
#include "model/sockopt.h"

#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
/* after netinet/in.h, which it defers to: IPV6_FLOWLABEL_MGR and
 * IPV6_FLOWINFO_SEND, which glibc lacks */
#include <ctype.h>
#include <linux/in6.h>
#include <string.h>
#include <sys/socket.h>

#include "base/num.h"
#include "base/text.h"

/* intval: getsockopt(2) gives an int (observe ... sockopt NAME) */
static const struct {
	const char *name;
	int level, opt;
	bool intval;
} sockopts[] = {
    {"SO_REUSEADDR", SOL_SOCKET, SO_REUSEADDR, true},
    {"SO_REUSEPORT", SOL_SOCKET, SO_REUSEPORT, true},
    {"SO_LINGER", SOL_SOCKET, SO_LINGER, false},
    {"SO_KEEPALIVE", SOL_SOCKET, SO_KEEPALIVE, true},
    {"SO_RCVBUF", SOL_SOCKET, SO_RCVBUF, true},
    {"SO_SNDBUF", SOL_SOCKET, SO_SNDBUF, true},
    {"TCP_NODELAY", IPPROTO_TCP, TCP_NODELAY, true},
    {"TCP_LINGER2", IPPROTO_TCP, TCP_LINGER2, true},
    {"TCP_SYNCNT", IPPROTO_TCP, TCP_SYNCNT, true},
    {"TCP_QUICKACK", IPPROTO_TCP, TCP_QUICKACK, true},
    {"TCP_MAXSEG", IPPROTO_TCP, TCP_MAXSEG, true},
    {"TCP_USER_TIMEOUT", IPPROTO_TCP, TCP_USER_TIMEOUT, true},
    {"TCP_DEFER_ACCEPT", IPPROTO_TCP, TCP_DEFER_ACCEPT, true},
    {"TCP_KEEPIDLE", IPPROTO_TCP, TCP_KEEPIDLE, true},
    {"TCP_KEEPINTVL", IPPROTO_TCP, TCP_KEEPINTVL, true},
    {"TCP_KEEPCNT", IPPROTO_TCP, TCP_KEEPCNT, true},
    {"IPV6_FLOWINFO_SEND", IPPROTO_IPV6, IPV6_FLOWINFO_SEND, true},
    {"IPV6_V6ONLY", IPPROTO_IPV6, IPV6_V6ONLY, true},
    {"IPV6_FLOWLABEL_MGR", IPPROTO_IPV6, IPV6_FLOWLABEL_MGR, false},
    {"TCP_FASTOPEN", IPPROTO_TCP, TCP_FASTOPEN, true},
    {"TCP_FASTOPEN_CONNECT", IPPROTO_TCP, TCP_FASTOPEN_CONNECT, true},
    {"IP_BIND_ADDRESS_NO_PORT", IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, true},
    {"TCP_MD5SIG", IPPROTO_TCP, TCP_MD5SIG, false},
    {"IP_OPTIONS", IPPROTO_IP, IP_OPTIONS, false},
    {"IP_TOS", IPPROTO_IP, IP_TOS, true},
    {"IPV6_TCLASS", IPPROTO_IPV6, IPV6_TCLASS, true},
    {"SO_MARK", SOL_SOCKET, SO_MARK, true},
    {"SO_BINDTOIFINDEX", SOL_SOCKET, SO_BINDTOIFINDEX, true},
    {"IPV6_HOPOPTS", IPPROTO_IPV6, IPV6_HOPOPTS, false},
    {"TCP_CONGESTION", IPPROTO_TCP, TCP_CONGESTION, false},
    {"TCP_WINDOW_CLAMP", IPPROTO_TCP, TCP_WINDOW_CLAMP, true},
    {"TCP_REPAIR", IPPROTO_TCP, TCP_REPAIR, true},
    {"TCP_SAVE_SYN", IPPROTO_TCP, TCP_SAVE_SYN, true},
};

_Static_assert(SOCKOPT_MD5_KEY_MAX == TCP_MD5SIG_MAXKEYLEN, "TCP_MD5SIG_MAXKEYLEN");

static int level_of(const char *s, int *level)
{
	long long n;

	if (strcmp(s, "SOL_SOCKET") == 0)
		*level = SOL_SOCKET;
	else if (strcmp(s, "IPPROTO_TCP") == 0 || strcmp(s, "SOL_TCP") == 0)
		*level = IPPROTO_TCP;
	else if (strcmp(s, "IPPROTO_IP") == 0)
		*level = IPPROTO_IP;
	else if (strcmp(s, "IPPROTO_IPV6") == 0)
		*level = IPPROTO_IPV6;
	else if (num_int(s, strlen(s), INT_MIN, INT_MAX, &n, NULL) == NUM_OK)
		*level = (int)n;
	else
		return -1;
	return 0;
}

/* LEVEL:OPTNAME, numbers or level names: options Linux lacks. */
static int numeric_option(struct lp *p, struct tok *o, struct sockopt *so)
{
	char *colon = strchr(o->text, ':');
	long long num;
	enum num_status r;

	if (!colon)
		return lp_at(p, o->col,
		             "unknown socket option '%s' (SO_REUSEADDR, SO_REUSEPORT, "
		             "SO_LINGER, TCP_NODELAY, TCP_LINGER2, TCP_SYNCNT, TCP_QUICKACK, "
		             "... or LEVEL:NUMBER)",
		             o->text);
	*colon = '\0';
	if (level_of(o->text, &so->level) < 0) {
		*colon = ':';
		return lp_at(p, o->col, "unknown option level '%.*s'", (int)(colon - o->text),
		             o->text);
	}
	*colon = ':';
	r = num_int(colon + 1, strlen(colon + 1), INT_MIN, INT_MAX, &num, NULL);
	if (r == NUM_RANGE)
		return lp_at(p, o->col + (unsigned)(colon + 1 - o->text),
		             "option number out of range (%d..%d)", INT_MIN, INT_MAX);
	if (r != NUM_OK)
		return lp_at(p, o->col + (unsigned)(colon + 1 - o->text),
		             "expected an option number after ':'");
	so->name = (int)num;
	return 0;
}

/* SO_LINGER's value: on,SECONDS | off | 1,0 */
static int linger_value(struct lp *p, struct tok *v, struct sockopt *so)
{
	char *comma = strchr(v->text, ',');
	long n;

	if (strcmp(v->text, "off") == 0) {
		so->value = 0;
		so->value2 = 0;
		return 0;
	}
	if (!comma)
		return lp_at(p, v->col, "SO_LINGER takes ONOFF,SECONDS (as 1,0) or off");
	*comma = '\0';
	if (strcmp(v->text, "on") == 0)
		so->value = 1;
	else if (strcmp(v->text, "off") == 0 || strcmp(v->text, "0") == 0)
		so->value = 0;
	else if (strcmp(v->text, "1") == 0)
		so->value = 1;
	else {
		*comma = ',';
		return lp_at(p, v->col, "SO_LINGER: l_onoff is on, off, 1 or 0");
	}
	*comma = ',';
	{
		struct tok secs = *v;

		text_copy(secs.text, sizeof(secs.text), comma + 1);
		secs.col = v->col + (unsigned)(comma + 1 - v->text);
		if (lp_number(p, &secs, 0, 65535, &n) < 0)
			return -1;
	}
	so->value2 = (int)n;
	return 0;
}

/* A word value kept in so->key (its length checked by the caller): every
 * byte one @ok accepts, or @msg at the first that is not. */
static int key_chars(struct lp *p, struct tok *v, struct sockopt *so, bool (*ok)(unsigned char),
                     const char *msg)
{
	size_t i;

	for (i = 0; v->text[i]; i++)
		if (!ok((unsigned char)v->text[i]))
			return lp_at(p, v->col + (unsigned)i + (v->quoted ? 1 : 0), "%s", msg);
	text_copy(so->key, sizeof(so->key), v->text);
	return 0;
}

static bool key_char_md5(unsigned char c)
{
	return isgraph(c);
}

static bool key_char_ca(unsigned char c)
{
	return islower(c) || isdigit(c) || c == '_';
}

/* TCP_MD5SIG's key: 1 to 80 printable bytes without space (a word, or
 * quoted); a key of length 0 would delete the key (tcp_v4_parse_md5_keys()),
 * which a case does not need. */
static int md5_key(struct lp *p, struct tok *v, struct sockopt *so)
{
	size_t len = strlen(v->text);

	if (len == 0)
		return lp_at(p, v->col, "TCP_MD5SIG: the key is empty (1 to %d bytes)",
		             SOCKOPT_MD5_KEY_MAX);
	if (len > SOCKOPT_MD5_KEY_MAX)
		return lp_at(p, v->col,
		             "TCP_MD5SIG: the key is longer than %d bytes (TCP_MD5SIG_MAXKEYLEN)",
		             SOCKOPT_MD5_KEY_MAX);
	return key_chars(p, v, so, key_char_md5,
	                 "TCP_MD5SIG: a key is printable characters without space");
}

/* TCP_CONGESTION's algorithm: a kernel module's name, 1 to 15 bytes of
 * [a-z0-9_] (TCP_CA_NAME_MAX; tcp_cong.c finds it by name, and as root
 * any algorithm the kernel has is allowed, tcp_set_congestion_control()). */
static int ca_name(struct lp *p, struct tok *v, struct sockopt *so)
{
	size_t len = strlen(v->text);

	if (len == 0 || len > SOCKOPT_CA_NAME_MAX)
		return lp_at(p, v->col, "TCP_CONGESTION: a name of 1 to %d bytes (TCP_CA_NAME_MAX)",
		             SOCKOPT_CA_NAME_MAX);
	return key_chars(p, v, so, key_char_ca,
	                 "TCP_CONGESTION: a name is lower-case letters, digits and '_' "
	                 "(cubic, reno, bbr)");
}

int sockopt_int_option(const char *name, int *level, int *opt)
{
	for (size_t i = 0; i < sizeof(sockopts) / sizeof(sockopts[0]); i++)
		if (strcmp(name, sockopts[i].name) == 0 && sockopts[i].intval) {
			*level = sockopts[i].level;
			*opt = sockopts[i].opt;
			return 0;
		}
	return -1;
}

int dev_ref_parse(struct lp *p, struct tok *t, enum dev_ref *d)
{
	if (lp_is(t, "link"))
		*d = DEV_LINK;
	else if (lp_is(t, "lo"))
		*d = DEV_LO;
	else
		return lp_at(p, t->col, "expected link (the side's own link) or lo, found '%s'",
		             t->text);
	return 0;
}

int sockopt_parse(struct lp *p, struct sockopt *so)
{
	struct tok *o, *v;
	size_t i;
	long n;

	if (lp_need(p, &o, "a socket option such as SO_REUSEADDR") < 0)
		return -1;
	text_copy(so->text, sizeof(so->text), o->text);
	for (i = 0; i < sizeof(sockopts) / sizeof(sockopts[0]); i++)
		if (strcmp(o->text, sockopts[i].name) == 0)
			break;
	if (i < sizeof(sockopts) / sizeof(sockopts[0])) {
		so->level = sockopts[i].level;
		so->name = sockopts[i].opt;
		so->is_linger = so->name == SO_LINGER && so->level == SOL_SOCKET;
		so->is_flowlabel = so->name == IPV6_FLOWLABEL_MGR && so->level == IPPROTO_IPV6;
		so->is_md5 = so->name == TCP_MD5SIG && so->level == IPPROTO_TCP;
		so->is_lsrr = so->name == IP_OPTIONS && so->level == IPPROTO_IP;
		so->is_cong = so->name == TCP_CONGESTION && so->level == IPPROTO_TCP;
	} else if (numeric_option(p, o, so) < 0) {
		return -1;
	}
	if (lp_need(p, &v, "a value") < 0)
		return -1;
	if (so->is_linger)
		return linger_value(p, v, so);
	if (so->is_md5)
		return md5_key(p, v, so);
	if (so->is_cong)
		return ca_name(p, v, so);
	/* SO_BINDTOIFINDEX: a device by what it is to the case, its ifindex
	 * looked up when the step runs (a namespace's may differ, issue 16) */
	if (so->name == SO_BINDTOIFINDEX && so->level == SOL_SOCKET)
		return dev_ref_parse(p, v, &so->dev);
	/* IPV6_HOPOPTS: a header the run builds (RFC 8200 4.3), or none */
	if (so->name == IPV6_HOPOPTS && so->level == IPPROTO_IPV6) {
		so->is_hopopts = true;
		if (strcmp(v->text, "pad8") == 0)
			so->value = 1;
		else if (strcmp(v->text, "none") != 0)
			return lp_at(p, v->col,
			             "IPV6_HOPOPTS takes pad8 (an 8-byte hop-by-hop options header "
			             "of padding) or none, found '%s'",
			             v->text);
		return 0;
	}
	/* IP_OPTIONS: one form, the option the run builds from the peer's
	 * address (raw bytes could not name an address block's server) */
	if (so->is_lsrr) {
		if (strcmp(v->text, "lsrr:peer") != 0)
			return lp_at(p, v->col,
			             "IP_OPTIONS takes lsrr:peer (a loose source route whose "
			             "first hop is the peer)");
		return 0;
	}
	/* a flow label: 20 bits, 0 (none) excluded (RFC 6437) */
	if (so->is_flowlabel) {
		if (lp_number(p, v, 1, 0xfffff, &n) < 0)
			return -1;
		so->value = (int)n;
		return 0;
	}
	if (lp_number(p, v, -2147483647L - 1, 2147483647L, &n) < 0)
		return -1;
	so->value = (int)n;
	return 0;
}
