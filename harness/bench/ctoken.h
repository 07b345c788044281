/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ctoken.h - C source as the compiler's own lexer sees it (libclang's
 * clang_tokenize), for finding mutation points: never a regex over text.
 */
#ifndef TC_CTOKEN_H
#define TC_CTOKEN_H

#include <stddef.h>

#include "base/error.h"

enum ctok_kind {
	CTOK_PUNCT,
	CTOK_KEYWORD,
	CTOK_IDENT,
	CTOK_LITERAL,
	CTOK_COMMENT,
};

struct ctok {
	enum ctok_kind kind;
	size_t start, end; /* byte offsets in the buffer */
	unsigned line, col;
};

struct ctoks {
	struct ctok *t;
	size_t n;
};

/* Tokenize @len bytes of C at @text (named @file in messages). */
int ctoken_lex(const char *text, size_t len, const char *file, struct ctoks *out, struct err *e);
void ctoken_free(struct ctoks *t);

#endif
