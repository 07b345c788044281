# shellcheck shell=bash
# debian-chroot.sh - sourced by check-deb.sh and check-envs.sh: a fresh
# Debian 12 chroot, debootstrap's minbase of bookworm from the mirror apt
# uses here, made once and kept as a tarball ($TCPCONFORM_CHROOT_CACHE,
# default /var/cache/tcpconform/debian12-minbase.tar).
#
#   chroot_tarball        make the tarball when there is none (says so, and its time)
#   chroot_unpack DIR     a fresh copy of it in DIR, with this machine's resolv.conf
#   chroot_run DIR CMD... CMD in the chroot DIR with a clean environment
#
# Needs root and debootstrap (the first time).

cache=${TCPCONFORM_CHROOT_CACHE:-/var/cache/tcpconform}
tarball=$cache/debian12-minbase.tar

chroot_mirror() {
	local mirror
	# The first Debian mirror apt uses here (deb822 or one-line sources).
	mirror=$(sed -n 's/^URIs: *\([^ ]*\/debian\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
	[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $2 ~ /\/debian\/?$/ { print $2; exit }' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
	echo "${mirror:-http://deb.debian.org/debian}"
}

chroot_tarball() {
	local mirror boot t0
	[ -f "$tarball" ] && return 0
	mirror=$(chroot_mirror)
	echo "== debootstrap --variant=minbase bookworm from $mirror (once: kept as $tarball)"
	mkdir -p "$cache"
	boot=$cache/debootstrap.$$
	t0=$(date +%s.%N)
	if ! debootstrap --variant=minbase bookworm "$boot" "$mirror" >"$cache/debootstrap.log" 2>&1; then
		tail -20 "$cache/debootstrap.log" >&2
		rm -rf --one-file-system "$boot"
		echo "debian-chroot: debootstrap failed ($cache/debootstrap.log)" >&2
		exit 3
	fi
	awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "debootstrap: %.1f s\n", b - a }'
	tar -C "$boot" -cf "$tarball.tmp" .
	mv "$tarball.tmp" "$tarball"
	rm -rf --one-file-system "$boot"
}

chroot_unpack() {
	tar -C "$1" -xf "$tarball"
	cp /etc/resolv.conf "$1/etc/resolv.conf" 2>/dev/null || true
}

chroot_run() {
	local root=$1
	shift
	chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		DEBIAN_FRONTEND=noninteractive "$@"
}
