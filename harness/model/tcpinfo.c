// SPDX-License-Identifier: GPL-2.0-only
/* tcpinfo.c - the fields of the kernel's struct tcp_info, by name. */
#include "model/tcpinfo.h"

#include <linux/tcp.h>
#include <stddef.h>
#include <string.h>

_Static_assert(sizeof(struct tcp_info) <= TCPINFO_BYTES, "TCPINFO_BYTES below the kernel's struct");

static const struct tcp_info *kernel_struct(const struct tcpinfo *ti)
{
	return (const struct tcp_info *)(const void *)ti->raw;
}

int tcpinfo_state(const struct tcpinfo *ti)
{
	return ti->len > offsetof(struct tcp_info, tcpi_state) ? kernel_struct(ti)->tcpi_state : 0;
}

/* Each field and the member whose end the kernel must have filled for it
 * (the field itself, or for a bitfield, which offsetof cannot name, the
 * byte member before it plus one: tcpi_snd_wscale and tcpi_rcv_wscale
 * share the byte after tcpi_options). */
#define TCPI_FIELDS(X, B)                                                                          \
	X(state)                                                                                   \
	X(ca_state)                                                                                \
	X(retransmits)                                                                             \
	X(probes)                                                                                  \
	X(backoff)                                                                                 \
	X(rto)                                                                                     \
	X(ato)                                                                                     \
	X(snd_mss)                                                                                 \
	X(rcv_mss)                                                                                 \
	X(unacked)                                                                                 \
	X(sacked)                                                                                  \
	X(lost)                                                                                    \
	X(retrans)                                                                                 \
	X(fackets)                                                                                 \
	X(rtt)                                                                                     \
	X(rttvar)                                                                                  \
	X(snd_ssthresh)                                                                            \
	X(snd_cwnd)                                                                                \
	X(total_retrans)                                                                           \
	X(last_data_recv)                                                                          \
	X(pmtu)                                                                                    \
	X(options)                                                                                 \
	B(snd_wscale, options)                                                                     \
	B(rcv_wscale, options)                                                                     \
	X(advmss)                                                                                  \
	X(last_data_sent)                                                                          \
	X(snd_wnd)

#define TCPI_END(m) (offsetof(struct tcp_info, tcpi_##m) + sizeof(kernel_struct(NULL)->tcpi_##m))
#define TCPI_READER(f)                                                                             \
	static int tcpi_##f(const struct tcpinfo *ti, long long *value)                            \
	{                                                                                          \
		if (ti->len < TCPI_END(f))                                                         \
			return -1;                                                                 \
		*value = (long long)kernel_struct(ti)->tcpi_##f;                                   \
		return 0;                                                                          \
	}
#define TCPI_BIT_READER(f, before)                                                                 \
	static int tcpi_##f(const struct tcpinfo *ti, long long *value)                            \
	{                                                                                          \
		if (ti->len < TCPI_END(before) + 1)                                                \
			return -1;                                                                 \
		*value = (long long)kernel_struct(ti)->tcpi_##f;                                   \
		return 0;                                                                          \
	}
TCPI_FIELDS(TCPI_READER, TCPI_BIT_READER)
#undef TCPI_READER
#undef TCPI_BIT_READER

static const struct {
	const char *name;
	tcpinfo_reader read;
} tcpi_fields[] = {
#define TCPI_ENTRY(f)             {#f, tcpi_##f},
#define TCPI_BIT_ENTRY(f, before) {#f, tcpi_##f},
    TCPI_FIELDS(TCPI_ENTRY, TCPI_BIT_ENTRY)
#undef TCPI_ENTRY
#undef TCPI_BIT_ENTRY
};

tcpinfo_reader tcpinfo_field(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(tcpi_fields) / sizeof(tcpi_fields[0]); i++)
		if (strcmp(name, tcpi_fields[i].name) == 0)
			return tcpi_fields[i].read;
	return NULL;
}
