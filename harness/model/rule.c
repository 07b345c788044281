// SPDX-License-Identifier: GPL-2.0-only
/* rule.c - parse, match and print wire fault rules. */
#include "model/rule.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/num.h"

static const char *const action_names[] = {
    [RULE_DROP] = "drop",           [RULE_HOLD] = "hold",       [RULE_DELAY] = "delay",
    [RULE_DUPLICATE] = "duplicate", [RULE_REORDER] = "reorder", [RULE_REPLAY] = "replay",
    [RULE_REWRITE] = "rewrite",
};

const char *rule_action_name(enum rule_action a)
{
	return action_names[a];
}

const char *dir_name(int dir)
{
	return dir == DIR_C2S ? "c>s" : dir == DIR_S2C ? "s>c" : "any";
}

/* A token of the rule text: [start, start+len). */
struct tok {
	const char *s;
	size_t len;
};

struct parser {
	const char *text, *file;
	unsigned line, col;
	const char *pos;
	struct err *e;
};

static bool next_tok(struct parser *p, struct tok *t)
{
	while (*p->pos && isspace((unsigned char)*p->pos))
		p->pos++;
	if (!*p->pos || *p->pos == '#')
		return false;
	t->s = p->pos;
	while (*p->pos && !isspace((unsigned char)*p->pos))
		p->pos++;
	t->len = (size_t)(p->pos - t->s);
	return true;
}

__attribute__((format(printf, 3, 4))) static int fail(struct parser *p, const char *at,
                                                      const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_at(p->e, p->file, p->line, p->col + (unsigned)(at - p->text), "%s", msg);
}

static bool tok_is(const struct tok *t, const char *s)
{
	return t->len == strlen(s) && strncmp(t->s, s, t->len) == 0;
}

static int parse_dir(const char *s, size_t n)
{
	if (n == 3 && strncmp(s, "c>s", 3) == 0)
		return DIR_C2S;
	if (n == 3 && strncmp(s, "s>c", 3) == 0)
		return DIR_S2C;
	return -1;
}

/* An unsigned decimal of exactly @n characters at @s, at most @max (num.h). */
static int parse_uint(struct parser *p, const char *s, size_t n, unsigned long max,
                      const char *what, unsigned long *out)
{
	long long v;
	size_t bad;

	if (n == 0)
		return fail(p, s, "%s: expected a number", what);
	switch (num_int(s, n, 0, (long long)max, &v, &bad)) {
	case NUM_OK:
		*out = (unsigned long)v;
		return 0;
	case NUM_RANGE:
		return fail(p, s, "%s: %.*s is larger than %lu", what, (int)n, s, max);
	case NUM_SYNTAX:
		break;
	}
	return fail(p, s + bad, "%s: expected a number, found '%c'", what, s[bad]);
}

/* "+N" or "-N" (the sign is required: the number moves something), N at
 * most 2^31 - 1. */
static int parse_offset(struct parser *p, const char *s, size_t n, const char *what, int32_t *out)
{
	unsigned long v;

	if (n == 0 || (s[0] != '+' && s[0] != '-'))
		return fail(p, s, "%s: expected +N or -N", what);
	if (parse_uint(p, s + 1, n - 1, 2147483647UL, what, &v) < 0)
		return -1;
	*out = s[0] == '-' ? -(int32_t)v : (int32_t)v;
	return 0;
}

static int parse_flags(struct parser *p, const char *s, size_t n, uint8_t *flags)
{
	size_t bad;

	if (frame_flags_parse(s, n, flags, &bad) < 0) {
		if (n == 0)
			return fail(p, s, "flags: expected tcpdump letters such as S, S., F., R");
		return fail(p, s + bad, "flags: unknown letter '%c' (letters: F S R P . U E W)",
		            s[bad]);
	}
	return 0;
}

static int parse_time_ms(struct parser *p, const struct tok *t, unsigned *ms)
{
	unsigned long v;
	size_t n = t->len;

	if (!isdigit((unsigned char)t->s[0]))
		return fail(p, t->s, "delay: expected a time such as 200ms or 2s");
	if (n > 2 && strncmp(t->s + n - 2, "ms", 2) == 0) {
		if (parse_uint(p, t->s, n - 2, 3600000, "delay", &v) < 0)
			return -1;
	} else if (n > 1 && t->s[n - 1] == 's') {
		if (parse_uint(p, t->s, n - 1, 3600, "delay", &v) < 0)
			return -1;
		v *= 1000;
	} else {
		return fail(p, t->s, "delay: expected a time such as 200ms or 2s");
	}
	*ms = (unsigned)v;
	return 0;
}

/* key=value, key~value, key<value, key>value */
static int parse_match_tok(struct parser *p, const struct tok *t, struct rule *r, bool *nth_given,
                           bool *count_given)
{
	const char *op = t->s;
	const char *end = t->s + t->len;
	size_t klen, vlen;
	const char *v;
	unsigned long n;

	while (op < end && (isalnum((unsigned char)*op) || *op == '_'))
		op++;
	if (op == end || op == t->s)
		return fail(p, t->s,
		            "unexpected '%.*s' (expected c>s, s>c, flags=, port=, len=, "
		            "nth=, count=, after, as)",
		            (int)t->len, t->s);
	klen = (size_t)(op - t->s);
	v = op + 1;
	vlen = (size_t)(end - v);
#define KEY(k) (klen == strlen(k) && strncmp(t->s, k, klen) == 0)
	if (!KEY("flags") && !KEY("len") && !KEY("port") && !KEY("sport") && !KEY("dport") &&
	    !KEY("seq") && !KEY("nth") && !KEY("count")) {
		if (*op == '=' || *op == '~')
			return fail(
			    p, t->s,
			    "unknown match '%.*s' (flags, port, sport, dport, len, seq, nth, "
			    "count)",
			    (int)klen, t->s);
		return fail(p, t->s,
		            "unexpected '%.*s' (expected c>s, s>c, flags=, port=, len=, nth=, "
		            "count=, after, as)",
		            (int)t->len, t->s);
	}
	if (KEY("flags")) {
		if (*op != '=' && *op != '~')
			return fail(p, op,
			            "flags: use flags=SPEC (exact) or flags~SPEC (contains)");
		r->m.has_flags = true;
		r->m.flags_exact = *op == '=';
		return parse_flags(p, v, vlen, &r->m.flags);
	}
	if (KEY("len")) {
		if (*op != '=' && *op != '<' && *op != '>')
			return fail(p, op, "len: use len=N, len<N or len>N");
		r->m.len_op = *op == '=' ? LEN_EQ : *op == '<' ? LEN_LT : LEN_GT;
		if (parse_uint(p, v, vlen, 65535, "len", &n) < 0)
			return -1;
		r->m.len = (unsigned)n;
		return 0;
	}
	if (*op != '=')
		return fail(p, op, "%.*s: expected '='", (int)klen, t->s);
	if (KEY("seq")) {
		if (parse_uint(p, v, vlen, 4294967295UL, "seq", &n) < 0)
			return -1;
		r->m.has_seq = true;
		r->m.seq = (uint32_t)n;
		return 0;
	}
	if (KEY("port") || KEY("sport") || KEY("dport")) {
		const char *dash = memchr(v, '-', vlen);
		unsigned long hi;
		int *lo_p = KEY("port") ? &r->m.port : KEY("sport") ? &r->m.sport : &r->m.dport;
		int *hi_p = KEY("port")    ? &r->m.port_hi
		            : KEY("sport") ? &r->m.sport_hi
		                           : &r->m.dport_hi;

		if (parse_uint(p, v, dash ? (size_t)(dash - v) : vlen, 65535, "port", &n) < 0)
			return -1;
		hi = n;
		if (dash) {
			if (parse_uint(p, dash + 1, (size_t)(v + vlen - dash - 1), 65535, "port",
			               &hi) < 0)
				return -1;
			if (hi < n)
				return fail(p, v, "port range %.*s runs backwards", (int)vlen, v);
		}
		*lo_p = (int)n;
		*hi_p = (int)hi;
		return 0;
	}
	if (KEY("count") && vlen == 3 && strncmp(v, "all", 3) == 0) {
		r->count = 0;
		*count_given = true;
		return 0;
	}
	if (KEY("nth") || KEY("count")) {
		if (parse_uint(p, v, vlen, 1000000, KEY("nth") ? "nth" : "count", &n) < 0)
			return -1;
		if (n == 0)
			return fail(p, v, "%.*s: must be at least 1", (int)klen, t->s);
		if (KEY("nth")) {
			r->nth = (unsigned)n;
			*nth_given = true;
		} else {
			r->count = (unsigned)n;
			*count_given = true;
		}
		return 0;
	}
#undef KEY
	return fail(p, t->s, "unknown match '%.*s'", (int)klen, t->s);
}

void rule_init(struct rule *r, enum rule_action action)
{
	memset(r, 0, sizeof(*r));
	r->action = action;
	r->m.dir = DIR_ANY;
	r->m.port = r->m.sport = r->m.dport = -1;
	r->nth = 1;
}

static int parse_impl(const char *text, const char *file, unsigned line, unsigned col,
                      struct rule *r, struct err *e, bool match_only);

int rule_parse(const char *text, const char *file, unsigned line, unsigned col, struct rule *r,
               struct err *e)
{
	return parse_impl(text, file, line, col, r, e, false);
}

int rule_parse_match(const char *text, const char *file, unsigned line, unsigned col,
                     struct rule *r, struct err *e)
{
	return parse_impl(text, file, line, col, r, e, true);
}

static int parse_impl(const char *text, const char *file, unsigned line, unsigned col,
                      struct rule *r, struct err *e, bool match_only)
{
	struct parser p = {
	    .text = text, .file = file, .line = line, .col = col, .pos = text, .e = e};
	bool nth_given = false, count_given = false, dir_given = false, window_given = false;
	struct tok t;
	size_t i;

	rule_init(r, RULE_DROP);
	if (match_only)
		goto matchers;
	if (!next_tok(&p, &t))
		return fail(&p, text,
		            "empty wire rule (drop, hold, delay, duplicate, reorder, "
		            "replay, rewrite)");
	for (i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++)
		if (tok_is(&t, action_names[i]))
			break;
	if (i == sizeof(action_names) / sizeof(action_names[0]))
		return fail(&p, t.s,
		            "unknown wire action '%.*s' (drop, hold, delay, duplicate, "
		            "reorder, replay, rewrite)",
		            (int)t.len, t.s);
	r->action = (enum rule_action)i;
	if (r->action == RULE_DELAY) {
		if (!next_tok(&p, &t))
			return fail(&p, p.pos, "delay: expected a time such as 200ms");
		if (parse_time_ms(&p, &t, &r->delay_ms) < 0)
			return -1;
	}
matchers:
	while (next_tok(&p, &t)) {
		int d = parse_dir(t.s, t.len);

		if (d >= 0) {
			if (dir_given)
				return fail(&p, t.s, "direction given twice");
			r->m.dir = d;
			dir_given = true;
		} else if (match_only && (tok_is(&t, "after") || tok_is(&t, "as"))) {
			return fail(&p, t.s, "'%.*s' belongs to wire rules, not to a frame match",
			            (int)t.len, t.s);
		} else if (tok_is(&t, "after")) {
			const char *colon;

			if (!next_tok(&p, &t))
				return fail(&p, p.pos, "after: expected DIR:FLAGS such as s>c:F");
			colon = memchr(t.s, ':', t.len);
			if (!colon || (r->after_dir = parse_dir(t.s, (size_t)(colon - t.s))) < 0)
				return fail(&p, t.s, "after: expected DIR:FLAGS such as s>c:F");
			if (parse_flags(&p, colon + 1, (size_t)(t.s + t.len - colon - 1),
			                &r->after_flags) < 0)
				return -1;
			r->has_after = true;
		} else if (tok_is(&t, "covers=ack") ||
		           (t.len >= 6 && strncmp(t.s, "at=ack", 6) == 0)) {
			bool at = !tok_is(&t, "covers=ack");

			if (r->action != RULE_REPLAY || match_only)
				return fail(&p, t.s, "%.*s belongs to replay", (int)t.len, t.s);
			if (at ? r->covers_ack : r->at_ack)
				return fail(&p, t.s, "covers=ack and at=ack exclude each other");
			if (at && t.len > 6 &&
			    parse_offset(&p, t.s + 6, t.len - 6, "at=ack", &r->at_off) < 0)
				return -1;
			*(at ? &r->at_ack : &r->covers_ack) = true;
		} else if (t.len >= 10 && strncmp(t.s, "shift-ack=", 10) == 0) {
			if (r->action != RULE_REPLAY || match_only)
				return fail(&p, t.s, "shift-ack= belongs to replay");
			if (parse_offset(&p, t.s + 10, t.len - 10, "shift-ack", &r->ack_shift) < 0)
				return -1;
			r->shift_ack = true;
		} else if (t.len >= 4 && strncmp(t.s, "dst=", 4) == 0) {
			if (r->action != RULE_REPLAY || match_only)
				return fail(&p, t.s, "dst= belongs to replay");
			if (t.len == 13 && strncmp(t.s + 4, "broadcast", 9) == 0)
				r->set_dst = RULE_DST_BROADCAST;
			else if (t.len == 13 && strncmp(t.s + 4, "multicast", 9) == 0)
				r->set_dst = RULE_DST_MULTICAST;
			else
				return fail(&p, t.s + 4, "dst=: expected broadcast or multicast");
		} else if (t.len >= 7 && strncmp(t.s, "window=", 7) == 0) {
			char num[8];
			long v;
			char *end;

			if (r->action != RULE_REWRITE || match_only)
				return fail(&p, t.s, "window= belongs to rewrite");
			if (window_given)
				return fail(&p, t.s, "window= given twice");
			if (t.len - 7 == 0 || t.len - 7 >= sizeof(num))
				return fail(&p, t.s + 7, "window=: expected 0 to 65535");
			memcpy(num, t.s + 7, t.len - 7);
			num[t.len - 7] = '\0';
			v = strtol(num, &end, 10);
			if (*end || !isdigit((unsigned char)num[0]) || v > 65535)
				return fail(&p, t.s + 7, "window=: expected 0 to 65535");
			r->new_window = (uint16_t)v;
			window_given = true;
		} else if (t.len >= 10 && strncmp(t.s, "set-flags=", 10) == 0) {
			if (r->action != RULE_REPLAY || match_only)
				return fail(&p, t.s, "set-flags= belongs to replay");
			if (parse_flags(&p, t.s + 10, t.len - 10, &r->new_flags) < 0)
				return -1;
			r->set_flags = true;
		} else if (tok_is(&t, "as")) {
			size_t k;

			if (!next_tok(&p, &t))
				return fail(&p, p.pos, "as: expected a rule name");
			if (t.len >= RULE_NAME_MAX)
				return fail(&p, t.s, "as: name longer than %d characters",
				            RULE_NAME_MAX - 1);
			for (k = 0; k < t.len; k++)
				if (!isalnum((unsigned char)t.s[k]) && t.s[k] != '_' &&
				    t.s[k] != '-')
					return fail(&p, t.s + k,
					            "as: names use letters, digits, '_' and '-'");
			memcpy(r->name, t.s, t.len);
			r->name[t.len] = '\0';
		} else if (parse_match_tok(&p, &t, r, &nth_given, &count_given) < 0) {
			return -1;
		}
	}
	if (nth_given && !count_given)
		r->count = 1;
	if (r->action == RULE_REPLAY && !nth_given)
		r->nth = 0; /* replay: the last matching segment */
	if (r->action == RULE_REPLAY && (r->has_after || count_given))
		return fail(&p, text, "replay acts once, at its step: no after= or count=");
	if (r->action == RULE_REWRITE && !window_given)
		return fail(&p, p.pos, "rewrite: expected window=N, the window it forwards");
	return 0;
}

bool match_frame(const struct match *m, int dir, const struct frame_info *fi)
{
	if (fi->kind == FRAME_OTHER)
		return false;
	if (m->dir != DIR_ANY && m->dir != dir)
		return false;
	if (m->has_flags) {
		if (m->flags_exact ? fi->flags != m->flags : (fi->flags & m->flags) != m->flags)
			return false;
	}
	if (m->port >= 0 && !(fi->sport >= m->port && fi->sport <= m->port_hi) &&
	    !(fi->dport >= m->port && fi->dport <= m->port_hi))
		return false;
	if (m->sport >= 0 && !(fi->sport >= m->sport && fi->sport <= m->sport_hi))
		return false;
	if (m->dport >= 0 && !(fi->dport >= m->dport && fi->dport <= m->dport_hi))
		return false;
	if (m->has_seq && fi->seq != m->seq)
		return false;
	switch (m->len_op) {
	case LEN_ANY:
		break;
	case LEN_EQ:
		return fi->payload == m->len;
	case LEN_LT:
		return fi->payload < m->len;
	case LEN_GT:
		return fi->payload > m->len;
	}
	return true;
}

bool rule_arms(const struct rule *r, int dir, const struct frame_info *fi)
{
	return fi->kind != FRAME_OTHER && dir == r->after_dir &&
	       (fi->flags & r->after_flags) == r->after_flags;
}

void rule_format(const struct rule *r, char *out, size_t len)
{
	char flags[16];
	size_t n;

#define ADD(...)                                                                                   \
	do {                                                                                       \
		n = strlen(out);                                                                   \
		if (n < len)                                                                       \
			snprintf(out + n, len - n, __VA_ARGS__);                                   \
	} while (0)
	out[0] = '\0';
	ADD("%s", action_names[r->action]);
	if (r->action == RULE_DELAY)
		ADD(" %ums", r->delay_ms);
	if (r->action == RULE_REWRITE)
		ADD(" window=%u", (unsigned)r->new_window);
	if (r->m.dir != DIR_ANY)
		ADD(" %s", dir_name(r->m.dir));
	if (r->m.has_flags) {
		frame_flags_str(r->m.flags, flags, sizeof(flags));
		ADD(" flags%c%s", r->m.flags_exact ? '=' : '~', flags);
	}
#define PORT(key, lo, hi)                                                                          \
	do {                                                                                       \
		if ((lo) >= 0 && (hi) != (lo))                                                     \
			ADD(" " key "=%d-%d", lo, hi);                                             \
		else if ((lo) >= 0)                                                                \
			ADD(" " key "=%d", lo);                                                    \
	} while (0)
	PORT("port", r->m.port, r->m.port_hi);
	PORT("sport", r->m.sport, r->m.sport_hi);
	PORT("dport", r->m.dport, r->m.dport_hi);
	if (r->m.has_seq)
		ADD(" seq=%" PRIu32, r->m.seq);
#undef PORT
	if (r->m.len_op != LEN_ANY)
		ADD(" len%c%u",
		    r->m.len_op == LEN_EQ   ? '='
		    : r->m.len_op == LEN_LT ? '<'
		                            : '>',
		    r->m.len);
	if (r->action == RULE_REPLAY) {
		if (r->nth)
			ADD(" nth=%u", r->nth);
		if (r->covers_ack)
			ADD(" covers=ack");
		if (r->at_ack && r->at_off)
			ADD(" at=ack%+" PRId32, r->at_off);
		else if (r->at_ack)
			ADD(" at=ack");
		if (r->set_flags) {
			frame_flags_str(r->new_flags, flags, sizeof(flags));
			ADD(" set-flags=%s", flags);
		}
		if (r->shift_ack)
			ADD(" shift-ack=%+" PRId32, r->ack_shift);
		if (r->set_dst)
			ADD(" dst=%s",
			    r->set_dst == RULE_DST_BROADCAST ? "broadcast" : "multicast");
	} else if (r->nth != 1) {
		ADD(" nth=%u", r->nth);
		if (r->count == 0)
			ADD(" count=all");
		else if (r->count != 1)
			ADD(" count=%u", r->count);
	} else if (r->count) {
		ADD(" count=%u", r->count);
	}
	if (r->has_after) {
		frame_flags_str(r->after_flags, flags, sizeof(flags));
		ADD(" after %s:%s", dir_name(r->after_dir), flags);
	}
	if (r->name[0])
		ADD(" as %s", r->name);
#undef ADD
}
