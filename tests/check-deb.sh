#!/usr/bin/env bash
# check-deb.sh DEB - `make check-deb`: the Debian package installs cleanly in
# a fresh Debian 12 chroot and works there.
#
# The chroot is debootstrap's minbase of bookworm from the mirror apt uses
# here, made once and kept as a tarball ($TCPCONFORM_CHROOT_CACHE, default
# /var/cache/tcpconform/debian12-minbase.tar); each run unpacks a fresh copy
# under /tmp, installs the package with `apt-get install ./DEB` (which
# fetches its dependencies), runs `tcpconform check` and `list` there, checks
# the package's files, removes it with `apt-get purge`, and deletes the
# chroot.  Nothing is mounted in it: no process of it outlives the script.
# Prints each step's time.  By hand (root, network to the mirror); not part
# of make check.
set -euo pipefail

[ $# -eq 1 ] && [ -f "$1" ] || {
	echo "usage: tests/check-deb.sh PACKAGE.deb" >&2
	exit 2
}
[ "$(id -u)" = 0 ] || {
	echo "check-deb: needs root (debootstrap, chroot)" >&2
	exit 3
}
deb=$(realpath "$1")
. "$(dirname "$0")/debian-chroot.sh"

t() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(t)" 'BEGIN { printf "%.1f s", b - a }'; }

echo "== the package's files"
files=$(dpkg-deb -c "$deb" | awk '{ print $6 }')
for f in ./usr/bin/tcpconform ./usr/libexec/tcpconform/tcpconform-static \
	./usr/libexec/tcpconform/kselftest/tcpconform.sh ./usr/share/man/man1/tcpconform.1.gz \
	./usr/share/bash-completion/completions/tcpconform \
	./usr/share/tcpconform/cases/refused.case ./usr/share/tcpconform/fixtures/refused.table; do
	grep -qx -- "$f" <<<"$files" || {
		echo "check-deb: $deb has no $f" >&2
		exit 1
	}
done
echo "$(wc -l <<<"$files") entries, the binary, static harness, kselftest wrapper, man page, completion and catalogue among them"

chroot_tarball

root=$(mktemp -d /tmp/tcpconform-chroot.XXXXXX)
trap 'rm -rf --one-file-system "$root"' EXIT
echo "== a fresh chroot: $root"
t0=$(t)
chroot_unpack "$root"
cp "$deb" "$root/tmp/"
echo "unpacked: $(took "$t0")"
in_root() { chroot_run "$root" "$@"; }

echo "== apt-get install ./$(basename "$deb")"
t0=$(t)
in_root apt-get update -q >"$root/tmp/apt.log" 2>&1 || { cat "$root/tmp/apt.log" >&2; exit 1; }
if ! in_root apt-get install -y -q --no-install-recommends "/tmp/$(basename "$deb")" >>"$root/tmp/apt.log" 2>&1; then
	tail -30 "$root/tmp/apt.log" >&2
	echo "check-deb: apt-get install failed" >&2
	exit 1
fi
grep -E '^(Setting up|[0-9]+ upgraded)' "$root/tmp/apt.log" | sed 's/^/  /'
echo "installed: $(took "$t0")"
in_root dpkg --audit
in_root tcpconform --version

echo "== tcpconform check (in /, no cases there: the installed catalogue)"
out=$(in_root sh -c 'cd / && tcpconform check') || {
	echo "$out"
	echo "check-deb: tcpconform check failed in the chroot" >&2
	exit 1
}
# every line "...case: ok, N variant(s)", then the two coverage files'
echo "$(grep -c '\.case: ok, ' <<<"$out") case(s) ok, $(grep -c '^/usr/share/tcpconform/fixtures/coverage/[a-z]*: ok, ' <<<"$out") coverage file(s) ok"
head -2 <<<"$out"
in_root tcpconform list | tail -3
in_root sh -c 'test -x /usr/libexec/tcpconform/tcpconform-static &&
	test -f /usr/share/man/man1/tcpconform.1.gz &&
	test -f /usr/share/bash-completion/completions/tcpconform' ||
	{ echo "check-deb: an installed file is missing" >&2; exit 1; }

echo "== apt-get purge tcpconform"
in_root apt-get purge -y -q tcpconform >"$root/tmp/purge.log" 2>&1 || { cat "$root/tmp/purge.log" >&2; exit 1; }
left=$(in_root sh -c 'ls -d /usr/share/tcpconform /usr/libexec/tcpconform /usr/bin/tcpconform 2>/dev/null' || true)
[ -z "$left" ] || {
	echo "check-deb: left after purge: $left" >&2
	exit 1
}
echo "check-deb: $(basename "$deb") installs, checks its catalogue and purges cleanly in Debian 12"
