#!/usr/bin/env bash
# check-layers: the one-way rule of docs/ARCHITECTURE.md, enforced.
#
#   tests/check-layers.sh [-C DIR] LAYER...     (lowest layer first)
#
# Fails, naming the file, the line and the include, on:
#   1. an #include "LAYER/x.h" of a layer above the includer's own layer,
#      or an #include "x.h" that names no layer folder;
#   2. a cycle between modules (MODULE.c/MODULE.h), found with tsort(1);
#   3. argv parsed outside cli/ (getopt, or a cmd_* command function);
#   4. a model/ object that calls into the system: every symbol a model/
#      object needs must be defined in model/, in base/error.o, base/text.o,
#      base/num.o, base/array.o or base/infile.o (reading the one file a
#      parser is given), or be one of the pure library calls listed below (checked
#      when the objects are built: BUILD=DIR, default build);
#   5. a module that docs/ARCHITECTURE.md does not name in its layer table
#      (as `module`; cli/'s cmd_NAME.c are named by their pattern there).
# Exit 0 when the tree keeps the rule, 1 otherwise, 2 on bad usage.
set -uo pipefail

dir=.
if [ "${1:-}" = "-C" ]; then
	dir=$2
	shift 2
fi
[ $# -gt 0 ] || {
	echo "usage: check-layers.sh [-C DIR] LAYER..." >&2
	exit 2
}
cd "$dir" || exit 2
build=${BUILD:-build}

declare -A rank
i=0
for l in "$@"; do
	rank[$l]=$i
	i=$((i + 1))
done
# Build support for the static binary sits above every layer.
rank[static]=$i

bad=0
fail() {
	echo "check-layers: $*"
	bad=$((bad + 1))
}

edges=$(mktemp)
trap 'rm -f "$edges"' EXIT

# 1. includes go down (or stay in the layer), never up.  One grep and one
# awk over every file (a process per include made this the slowest part).
for f in harness/*/*.c harness/*/*.h; do
	layer=${f#harness/}
	layer=${layer%%/*}
	[ -n "${rank[$layer]+x}" ] || fail "$f: folder '$layer' is not a layer (Makefile LAYERS)"
done
ranks=
for l in "${!rank[@]}"; do
	ranks="$ranks $l ${rank[$l]}"
done
while read -r kind rest; do
	case $kind in
	F) fail "$rest" ;;
	E) echo "$rest" >>"$edges" ;;
	esac
done < <(grep -Hn '^#include "' harness/*/*.c harness/*/*.h | awk -v ranks="$ranks" '
	BEGIN { n = split(ranks, a, " "); for (i = 1; i < n; i += 2) rank[a[i]] = a[i + 1] + 0 }
	{
		f = $0; sub(/:.*/, "", f)
		rest = substr($0, length(f) + 2); line = rest; sub(/:.*/, "", line)
		text = substr(rest, length(line) + 2)
		layer = f; sub(/^harness\//, "", layer); sub(/\/.*/, "", layer)
		if (!(layer in rank))
			next # named by the loop above
		mod = f; sub(/^harness\//, "", mod); sub(/\.[^.\/]*$/, "", mod)
		inc = text; sub(/^[^"]*"/, "", inc); sub(/"[^"]*$/, "", inc)
		if (inc !~ /\//) {
			printf "F %s:%s: #include \"%s\" names no layer folder\n", f, line, inc
			next
		}
		to = inc; sub(/\/.*/, "", to)
		if (!(to in rank)) {
			printf "F %s:%s: #include \"%s\": \047%s\047 is not a layer\n", f, line, inc, to
			next
		}
		if (rank[to] > rank[layer])
			printf "F %s:%s: #include \"%s\": %s/ may not include %s/ (a higher layer)\n",
				f, line, inc, layer, to
		target = inc; sub(/\.h$/, "", target)
		if (target != mod)
			print "E " mod " " target
	}')

# 2. no cycle between modules
loops=$(sort -u "$edges" | tsort 2>&1 >/dev/null)
if [ -n "$loops" ]; then
	fail "a cycle between modules:"
	echo "$loops" | sed 's/^/    /'
fi

# 3. only cli/ parses argv
while IFS=: read -r f line text; do
	fail "$f:$line: argv parsed outside cli/: ${text#"${text%%[![:space:]]*}"}"
done < <(grep -nE 'getopt(_long)?[[:space:]]*\(|#include <getopt.h>|^(static )?int cmd_[a-z_]+\(int argc' \
	$(ls harness/*/*.c harness/*/*.h | grep -v '^harness/cli/'))

# 4. model/ never touches the system
pure='^(abort|calloc|free|malloc|realloc|reallocarray|strdup|strndup|memchr|memcmp|memcpy|memmove|memset|str[a-z_]*|snprintf|vsnprintf|__isoc99_sscanf|__isoc23_sscanf|sscanf|__ctype_b_loc|__ctype_tolower_loc|__ctype_toupper_loc|tolower|toupper|inet_ntop|inet_pton|ntohs|htons|ntohl|htonl|qsort|bsearch|fnmatch|fmax|fmin|fabs|pow|floor|ceil|round|lround|llround|sqrt|log|log2|exp|isnan|isinf|__errno_location|__stack_chk_fail|json_[a-z_]*|__assert_fail|__printf_chk|__snprintf_chk|__vsnprintf_chk|__memcpy_chk|__memmove_chk|__memset_chk|__strcpy_chk|__strcat_chk|__strncpy_chk|__fprintf_chk|__sprintf_chk|__ubsan_[a-z_0-9]*|__asan_[a-z_0-9]*|__sanitizer_[a-z_0-9]*|__sancov_[a-z_0-9]*)$'
if ls "$build"/obj/model/*.o >/dev/null 2>&1; then
	defined=$(nm --defined-only -g "$build"/obj/model/*.o "$build"/obj/base/error.o \
		"$build"/obj/base/text.o "$build"/obj/base/num.o "$build"/obj/base/array.o \
		"$build"/obj/base/infile.o 2>/dev/null |
		awk 'NF == 3 { print $3 }' | sort -u)
	# every undefined symbol of every model/ object, in one nm and one awk
	while read -r o sym; do
		fail "${o#"$build"/obj/}: model/ calls $sym, outside model/ and the pure library calls"
	done < <(nm -A -u "$build"/obj/model/*.o | PURE=$pure DEFINED=$defined awk '
		BEGIN { n = split(ENVIRON["DEFINED"], d, "\n"); for (i = 1; i <= n; i++) def[d[i]] = 1 }
		{
			o = $0; sub(/:.*/, "", o)
			if ($NF ~ ENVIRON["PURE"] || ($NF in def))
				next
			print o, $NF
		}')
else
	echo "check-layers: $build/obj/model not built; the model/ purity check was not made"
fi

# 5. docs/ARCHITECTURE.md names every module
if [ -f docs/ARCHITECTURE.md ]; then
	doc=$(<docs/ARCHITECTURE.md)
	for f in harness/*/*.c; do
		layer=${f#harness/}
		layer=${layer%%/*}
		[ "$layer" = static ] && continue
		m=${f##*/}
		m=${m%.c}
		[ "$layer" = cli ] && [[ $m == cmd_* ]] && continue
		[[ $doc == *"\`$m\`"* ]] ||
			fail "$f: module '$m' is not named in docs/ARCHITECTURE.md"
	done
else
	echo "check-layers: no docs/ARCHITECTURE.md; its module list was not checked"
fi

if [ "$bad" -gt 0 ]; then
	echo "check-layers: $bad violation(s)"
	exit 1
fi
n=$(ls harness/*/*.c harness/*/*.h | wc -l)
echo "check-layers: $n files in $# layers ($*): every include goes down, no cycle, argv only in cli/, model/ pure, every module in docs/ARCHITECTURE.md"
