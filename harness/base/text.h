/* SPDX-License-Identifier: GPL-2.0-only */
/* text.h - bounded copies, and text escaped for where it is printed. */
#ifndef TC_TEXT_H
#define TC_TEXT_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* Bounded copy that always terminates; truncation is the caller's choice
 * (lengths that matter are checked before). */
static inline void text_copy(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (n >= len)
		n = len - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Text for XML and HTML: & < > " escaped, control characters as spaces. */
void text_escape_xml(FILE *fp, const char *s);

/* A path for a URL (an href, a fragment): every byte outside
 * A-Z a-z 0-9 - . _ ~ = , + / as %XX, so safe in an attribute as it is.
 * A relative link starts with "./" written before it: a first segment
 * such as "javascript:x" is then never read as a scheme. */
void text_escape_url(FILE *fp, const char *s);

/*
 * Text for a terminal.  Every string read from a file (a results directory,
 * a case, a table, a profile) may hold escape sequences that retitle,
 * clear or rewrite the terminal, or a newline that forges a line of
 * output: control characters (C0, DEL, and C1 as UTF-8 or as bare bytes)
 * and bytes that are not UTF-8 are written as \xNN; valid UTF-8 text is
 * written as it is.
 */
void text_escape_term(FILE *fp, const char *s);
/* The same into @dst (always terminated; cut at a whole character). */
void text_escape_term_buf(char *dst, size_t len, const char *s);
/* printf for terminal output whose every %s argument is untrusted text:
 * each is escaped as text_escape_term() does.  Conversions: %s, %c (as
 * text), %d %u %ld %lu %zu %x (with flags, width), %f %g (with precision),
 * %%. */
void text_term_printf(FILE *fp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
