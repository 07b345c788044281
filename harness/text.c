// SPDX-License-Identifier: GPL-2.0-only
/* text.c - reading input files, escaping output text. */
#include "text.h"

#include <stdio.h>
#include <stdlib.h>

char *text_read_file(const char *path, size_t max, size_t *len, struct err *e)
{
	FILE *fp = fopen(path, "r");
	char *buf;

	if (!fp) {
		err_sys(e, "%s", path);
		e->kind = ERR_INPUT;
		return NULL;
	}
	buf = malloc(max + 1);
	if (!buf) {
		fclose(fp);
		err_set(e, ERR_SYSTEM, "out of memory");
		return NULL;
	}
	*len = fread(buf, 1, max, fp);
	if (!feof(fp)) {
		fclose(fp);
		free(buf);
		err_at(e, path, 1, 1, "larger than %zu bytes: not an input file", max);
		return NULL;
	}
	fclose(fp);
	buf[*len] = '\0';
	return buf;
}

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
