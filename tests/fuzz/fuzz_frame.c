// SPDX-License-Identifier: GPL-2.0-only
/* fuzz_frame.c - the wire's rule parser and matcher, and its frame decoder
 * and printer: a first line "RULE\n" is parsed as a rule, the bytes after
 * it (or the whole input) are decoded as an Ethernet frame, and as the IP
 * headers of a saved SYN (frame_decode_headers(), which the kernel's
 * TCP_SAVED_SYN feeds). */
#include "fuzz.h"

#include "model/frame.h"
#include "model/rule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct frame_info fi;
	struct seq_base base = {0};
	char line[2048];
	const uint8_t *nl = memchr(data, '\n', size);
	size_t rlen = nl ? (size_t)(nl - data) : 0;

	const uint8_t *frame = nl ? nl + 1 : data;
	size_t flen = nl ? size - rlen - 1 : size;

	if (frame_decode_headers(frame, flen, &fi) == 0) {
		char opts[FRAME_OPTS_STR];

		frame_opts_str(fi.opts, fi.nopts, fi.opts_bad, opts, sizeof(opts));
	}
	frame_decode(frame, flen, &fi);
	frame_format(frame, flen, &fi, 0, &base, line, sizeof(line));
	frame_format(frame, flen, &fi, 1, &base, line, sizeof(line));
	if (rlen && rlen < 512) {
		char text[512];
		struct rule r;
		struct err e;

		memcpy(text, data, rlen);
		text[rlen] = '\0';
		if (rule_parse(text, "f.case", 1, 1, &r, &e) == 0) {
			match_frame(&r.m, 0, &fi);
			rule_format(&r, line, sizeof(line));
		} else if (e.kind == ERR_INPUT) {
			fuzz_check_place(e.msg, "f.case");
		}
	}
	return 0;
}
