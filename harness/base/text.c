// SPDX-License-Identifier: GPL-2.0-only
/* text.c - escaping output text for HTML, XML, URLs and terminals. */
#include "base/text.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

void text_escape_xml(FILE *fp, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '&':
			fputs("&amp;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		default:
			/* XML 1.0 has no place for most control characters */
			fputc((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t' ? ' ' : *s, fp);
		}
	}
}

void text_escape_url(FILE *fp, const char *s)
{
	static const char safe[] = "-._~=,+/";

	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr(safe, c))
			fputc(c, fp);
		else
			fprintf(fp, "%%%02X", c);
	}
}

/* The length of the valid UTF-8 character at @s that is not a control
 * character (1 for printable ASCII), or 0: escape its first byte. */
static size_t term_char(const unsigned char *s)
{
	unsigned cp, min;
	size_t n, i;

	if (s[0] < 0x80)
		return s[0] >= 0x20 && s[0] != 0x7f ? 1 : 0;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1fu;
		min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0fu;
		min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07u;
		min = 0x10000;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) /* also stops at the terminating NUL */
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (cp >= 0x80 && cp <= 0x9f) /* C1 controls: CSI is 0x9b */
		return 0;
	return n;
}

void text_escape_term(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (p && *p) {
		size_t n = term_char(p);

		if (n) {
			fwrite(p, 1, n, fp);
			p += n;
		} else {
			fprintf(fp, "\\x%02x", *p++);
		}
	}
}

void text_escape_term_buf(char *dst, size_t len, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	if (!len)
		return;
	while (p && *p) {
		size_t n = term_char(p);

		if (n) {
			if (o + n >= len)
				break;
			memcpy(dst + o, p, n);
			o += n;
			p += n;
		} else {
			if (o + 4 >= len)
				break;
			snprintf(dst + o, 5, "\\x%02x", *p++);
			o += 4;
		}
	}
	dst[o] = '\0';
}

void text_term_printf(FILE *fp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	while (*fmt) {
		char spec[32];
		size_t n = 0;
		bool l = false, z = false;

		if (*fmt != '%') {
			fputc(*fmt++, fp);
			continue;
		}
		spec[n++] = *fmt++;
		/* flags, width, precision, length: copied as they are */
		while (*fmt && strchr("-+ #0123456789.lz", *fmt) && n < sizeof(spec) - 2) {
			l |= *fmt == 'l';
			z |= *fmt == 'z';
			spec[n++] = *fmt++;
		}
		if (!*fmt)
			break;
		spec[n++] = *fmt;
		spec[n] = '\0';
		switch (*fmt++) {
		case 's':
			text_escape_term(fp, va_arg(ap, const char *));
			break;
		case 'c': {
			char c[2] = {(char)va_arg(ap, int), '\0'};

			text_escape_term(fp, c);
			break;
		}
		case 'd':
		case 'i':
			if (z)
				fprintf(fp, spec, va_arg(ap, ssize_t));
			else if (l)
				fprintf(fp, spec, va_arg(ap, long));
			else
				fprintf(fp, spec, va_arg(ap, int));
			break;
		case 'u':
		case 'x':
			if (z)
				fprintf(fp, spec, va_arg(ap, size_t));
			else if (l)
				fprintf(fp, spec, va_arg(ap, unsigned long));
			else
				fprintf(fp, spec, va_arg(ap, unsigned));
			break;
		case 'f':
		case 'g':
			fprintf(fp, spec, va_arg(ap, double));
			break;
		case '%':
			fputc('%', fp);
			break;
		default: /* not supported: shown, not interpreted */
			fputs(spec, fp);
			break;
		}
	}
	va_end(ap);
}
