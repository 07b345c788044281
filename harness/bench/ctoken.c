// SPDX-License-Identifier: GPL-2.0-only
/* ctoken.c - tokens of a C file through libclang (clang_tokenize). */
#include "bench/ctoken.h"

#include <clang-c/Index.h>
#include <stdlib.h>
#include <string.h>

static enum ctok_kind kind_of(CXTokenKind k)
{
	switch (k) {
	case CXToken_Punctuation:
		return CTOK_PUNCT;
	case CXToken_Keyword:
		return CTOK_KEYWORD;
	case CXToken_Identifier:
		return CTOK_IDENT;
	case CXToken_Literal:
		return CTOK_LITERAL;
	case CXToken_Comment:
	default:
		return CTOK_COMMENT;
	}
}

int ctoken_lex(const char *text, size_t len, const char *file, struct ctoks *out, struct err *e)
{
	/* The file is lexed alone: no includes are read, no macro expanded;
	 * only its own tokens are wanted. */
	const char *args[] = {"-x", "c", "-std=gnu11"};
	struct CXUnsavedFile uf = {.Filename = file, .Contents = text, .Length = len};
	CXIndex idx;
	CXTranslationUnit tu = NULL;
	CXToken *toks = NULL;
	unsigned n = 0;
	enum CXErrorCode rc;
	CXFile f;

	memset(out, 0, sizeof(*out));
	if (len > 64u << 20)
		return err_set(e, ERR_INPUT, "%s: larger than 64 MiB", file);
	idx = clang_createIndex(0, 0);
	if (!idx)
		return err_set(e, ERR_SYSTEM, "libclang: clang_createIndex failed");
	rc = clang_parseTranslationUnit2(idx, file, args, 3, &uf, 1,
	                                 CXTranslationUnit_SingleFileParse |
	                                     CXTranslationUnit_KeepGoing |
	                                     CXTranslationUnit_Incomplete,
	                                 &tu);
	if (rc != CXError_Success || !tu) {
		clang_disposeIndex(idx);
		return err_set(e, ERR_SYSTEM, "libclang could not read %s (error %d)", file,
		               (int)rc);
	}
	f = clang_getFile(tu, file);
	if (f) {
		CXSourceRange r = clang_getRange(clang_getLocationForOffset(tu, f, 0),
		                                 clang_getLocationForOffset(tu, f, (unsigned)len));

		clang_tokenize(tu, r, &toks, &n);
	}
	if (n) {
		out->t = calloc(n, sizeof(*out->t));
		if (!out->t) {
			clang_disposeTokens(tu, toks, n);
			clang_disposeTranslationUnit(tu);
			clang_disposeIndex(idx);
			return err_set(e, ERR_SYSTEM, "out of memory tokenizing %s", file);
		}
	}
	for (unsigned i = 0; i < n; i++) {
		CXSourceRange ext = clang_getTokenExtent(tu, toks[i]);
		unsigned line, col, off, endoff;

		clang_getSpellingLocation(clang_getRangeStart(ext), NULL, &line, &col, &off);
		clang_getSpellingLocation(clang_getRangeEnd(ext), NULL, NULL, NULL, &endoff);
		if (endoff > len || off > endoff)
			continue;
		out->t[out->n].kind = kind_of(clang_getTokenKind(toks[i]));
		out->t[out->n].start = off;
		out->t[out->n].end = endoff;
		out->t[out->n].line = line;
		out->t[out->n].col = col;
		out->n++;
	}
	if (toks)
		clang_disposeTokens(tu, toks, n);
	clang_disposeTranslationUnit(tu);
	clang_disposeIndex(idx);
	return 0;
}

void ctoken_free(struct ctoks *t)
{
	free(t->t);
	t->t = NULL;
	t->n = 0;
}
