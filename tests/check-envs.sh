#!/usr/bin/env bash
# check-envs.sh [ENV...] - `make check-envs`: `make check` where the
# environment lacks something; each must pass or skip with the reason,
# never fail.  The environments (default: all, in this order):
#
#   host       nothing taken away: the control
#   chroot     a fresh Debian 12 chroot (tests/debian-chroot.sh, the one
#              `make check-deb` uses) with a copy of the tree in
#              /build/tcpconform; /proc, /sys, /dev, /dev/pts and a tmpfs
#              /dev/shm mounted as a package build's chroot has them (sbuild's
#              schroot: /sys bound without its submounts, so no tracefs);
#              `./run.sh --setup` (apt-get there, from this machine's mirror),
#              then `./run.sh` (build and catalogue) and `make check`
#   nocaps     root without CAP_NET_ADMIN and CAP_SYS_ADMIN
#              (capsh --drop=cap_net_admin,cap_sys_admin)
#   notracefs  a mount namespace where /sys/kernel/tracing and
#              /sys/kernel/debug do not exist (a tmpfs over /sys/kernel with
#              every other entry bound back), as on a kernel without them
#   nokvm      a mount namespace where /dev/kvm does not exist (the same over /dev)
#   nouserns   root of a user namespace mapping uids and gids 0-65535 to
#              themselves, whose user.max_user_namespaces is 0 (the limit is
#              each user namespace's own: kernel/ucount.c; the host's is never
#              touched): unprivileged user namespaces disabled, and a rootless
#              container's root besides
#   busy       stress-ng --cpu 2 --sock 1 --udp 1 beside it (CPU load and the
#              host's own TCP and UDP traffic on loopback)
#
# Each `make check` runs under `flock /tmp/tcpconform-vm.lock`, so that no two
# whole-suite runs (nor a VM job) overlap.  Logs: build/check-envs/ENV.log.
# The summary (also build/check-envs/summary.txt) gives per environment what
# was verified of it, the counts, the time, and every skip's reason once.
# Exit 1 when a test failed, a skip had no reason or an environment could
# not be made.  By hand, as root; not part of make check.
set -uo pipefail

here=${TCPCONFORM_ENVS_TREE:-$(cd "$(dirname "$0")/.." && pwd)}
lock=${TCPCONFORM_VM_LOCK:-/tmp/tcpconform-vm.lock}
build=${BUILD:-build}
out=$here/$build/check-envs
# bash reads a script as it goes: run from a copy, so that the tree may
# be edited during the run's 40 minutes.
self=$out/check-envs.sh
if [ "${1:-}" != --inside ] && [ "$0" != "$self" ]; then
	mkdir -p "$out" && cp "$0" "$self" || exit 3
	TCPCONFORM_ENVS_TREE=$here exec bash "$self" "$@"
fi
export TCPCONFORM_ENVS_TREE=$here
all=(host chroot nocaps notracefs nokvm nouserns busy)

# hide DIR NAME...: a tmpfs over DIR holding every entry of it but NAME...,
# each bound back from the original (directories with their submounts).
# In a mount namespace of its own only.
hide() {
	local dir=$1 keep e n name skip
	shift
	keep=$(mktemp -d /tmp/tcpconform-envs-keep.XXXXXX)
	mount --rbind "$dir" "$keep" || return 1
	mount -t tmpfs -o mode=755 tcpconform-hide "$dir" || return 1
	for e in "$keep"/* "$keep"/.[!.]*; do
		[ -e "$e" ] || [ -L "$e" ] || continue
		n=${e##*/} skip=0
		for name in "$@"; do [ "$n" = "$name" ] && skip=1; done
		[ $skip = 1 ] && continue
		if [ -L "$e" ]; then
			cp -P "$e" "$dir/$n"
		elif [ "$dir/$n" = /dev/ptmx ]; then
			# A bound ptmx node would open devtmpfs's pts, not devpts:
			# the link a /dev on tmpfs has (filesystems/devpts.rst).
			ln -s pts/ptmx /dev/ptmx
		elif [ -d "$e" ]; then
			mkdir "$dir/$n" && mount --rbind "$e" "$dir/$n"
		else
			touch "$dir/$n" && mount --bind "$e" "$dir/$n"
		fi || return 1
	done
	umount -l "$keep" && rmdir "$keep"
}

# The suite (TCPCONFORM_ENVS_SUITE, a shell command, replaces it: to try
# one test program in every environment, "tests/run-tests.sh PROGRAM",
# whose "tests:" line the verdict reads), in whatever environment the
# caller made.
suite_cmd=${TCPCONFORM_ENVS_SUITE:-make --no-print-directory BUILD=$build check}
# Timed from when it starts (the lock may keep it waiting), as
# "check-envs: the suite took N s".
# shellcheck disable=SC2089,SC2090 # a command for sh -c, quotes and all
timed='t0=$(date +%s); sh -c "$0"; rc=$?; echo "check-envs: the suite took $(($(date +%s) - t0)) s"; exit $rc'
# shellcheck disable=SC2090
export suite_cmd timed
suite() {
	cd "$here" && exec sh -c "$timed" "$suite_cmd"
}

# --inside ENV [ARG]: the part that runs inside the namespaces made for ENV.
inside() {
	local env=$1
	case $env in
	notracefs)
		hide /sys/kernel tracing debug || exit 3
		[ ! -e /sys/kernel/tracing ] && [ ! -e /sys/kernel/debug ] || exit 3
		echo "env: no /sys/kernel/tracing, no /sys/kernel/debug; $(grep -c ' /sys/kernel/' /proc/self/mountinfo) other mounts under /sys/kernel bound back"
		suite
		;;
	nokvm)
		hide /dev kvm || exit 3
		[ ! -e /dev/kvm ] || exit 3
		echo "env: no /dev/kvm; /dev/null, /dev/pts, /dev/shm there"
		[ -c /dev/null ] && [ -d /dev/pts ] || exit 3
		suite
		;;
	nouserns)
		echo 0 >/proc/sys/user/max_user_namespaces || exit 3
		if unshare -U true 2>/dev/null; then
			echo "check-envs: a user namespace could still be made" >&2
			exit 3
		fi
		echo "env: uid_map $(awk '{ print $1, $2, $3 }' /proc/self/uid_map); user.max_user_namespaces $(cat /proc/sys/user/max_user_namespaces) here (host: $2)"
		suite
		;;
	chroot-setup | chroot)
		local root=$2
		# shellcheck disable=SC2154 # $cache: tests/debian-chroot.sh
		mount -t proc proc "$root/proc" &&
			mount --bind /sys "$root/sys" &&
			mount --bind /dev "$root/dev" &&
			mount --bind /dev/pts "$root/dev/pts" &&
			mount -t tmpfs -o mode=1777 shm "$root/dev/shm" &&
			mount --bind "$cache/apt-archives" "$root/var/cache/apt/archives" || exit 3
		if [ "$env" = chroot-setup ]; then
			chroot_run "$root" sh -c 'apt-get update -q >/dev/null &&
				cd /build/tcpconform && ./run.sh --setup' || exit 3
			exit 0
		fi
		# ./run.sh: set-up (nothing left to install), build, the catalogue
		# (with TCPCONFORM_ENVS_SUITE, "run.sh" is only the build).
		chroot_run "$root" bash -c 'cd /build/tcpconform || exit 3
			if [ -n "$1" ]; then run=(make -s); else run=(./run.sh); fi
			t0=$(date +%s)
			"${run[@]}" 2>&1 | tee /tmp/run.sh.log
			echo "check-envs: ./run.sh exit ${PIPESTATUS[0]} in $(($(date +%s) - t0)) s: $(grep "^run [0-9-]*: " /tmp/run.sh.log | tail -1)"
			exec sh -c "$2" "$0"' "${TCPCONFORM_ENVS_SUITE:-make --no-print-directory check}" \
			"${TCPCONFORM_ENVS_SUITE:-}" "$timed"
		;;
	*) exit 2 ;;
	esac
}

# run_env ENV: make the environment, run the suite in it into its log.
run_env() {
	local env=$1 host rx0 rx1
	case $env in
	chroot)
		. "$here/tests/debian-chroot.sh"
		chroot_tarball || return 3
		mkdir -p "$cache/apt-archives"
		root=$(mktemp -d /tmp/tcpconform-envs-chroot.XXXXXX)
		# Its mounts are those of a mount namespace of its own: from
		# here it is a plain tree, whatever happened.
		trap 'rm -rf "$root"' EXIT
		chmod 755 "$root"
		chroot_unpack "$root"
		mkdir -p "$root/build/tcpconform"
		(cd "$here" && git ls-files -z --cached --others --exclude-standard |
			xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
			tar --null -T - -cf -) | tar -C "$root/build/tcpconform" -xf -
		echo "env: $root, Debian $(cat "$root/etc/debian_version") minbase, the tree copied to /build/tcpconform"
		echo "== ./run.sh --setup in the chroot (apt-get from $(chroot_mirror))"
		unshare -m --propagation private "$self" --inside chroot-setup "$root" || return 3
		flock "$lock" unshare -m --propagation private "$self" --inside chroot "$root"
		local rc=$?
		rm -rf "$root"
		trap - EXIT
		return $rc
		;;
	nocaps)
		command -v capsh >/dev/null || {
			echo "check-envs: capsh is missing (apt-get install libcap2-bin)" >&2
			return 3
		}
		flock "$lock" capsh --drop=cap_net_admin,cap_sys_admin -- -c \
			'echo "env: CapEff $(sed -n "s/^CapEff:\t//p" /proc/self/status) (no CAP_NET_ADMIN, CAP_SYS_ADMIN)"; cd "$0" && exec sh -c "$timed" "$suite_cmd"' \
			"$here"
		;;
	host)
		echo "env: this machine as it is (the control)"
		flock "$lock" sh -c 'cd "$0" && exec sh -c "$timed" "$suite_cmd"' "$here"
		;;
	notracefs | nokvm)
		flock "$lock" unshare -m --propagation private "$self" --inside "$env"
		;;
	nouserns)
		# The map is written from here (root of the initial namespace):
		# util-linux's --map-users needs newuidmap.
		local fifo pid rc
		host=$(cat /proc/sys/user/max_user_namespaces)
		fifo=$(mktemp -u /tmp/tcpconform-envs-fifo.XXXXXX)
		mkfifo "$fifo"
		flock "$lock" unshare -U sh -c 'read _ <"$0"; exec "$@"' "$fifo" \
			"$self" --inside nouserns "$host" &
		pid=$!
		# flock, then unshare: wait for the process in the new namespace.
		local me n=0 p
		me=$(readlink /proc/self/ns/user)
		while :; do
			p=$(pgrep -P "$pid" -x unshare || pgrep -P "$pid" -x sh || true)
			[ -n "$p" ] && [ "$(readlink "/proc/$p/ns/user" 2>/dev/null)" != "$me" ] &&
				[ -n "$(readlink "/proc/$p/ns/user" 2>/dev/null)" ] && break
			sleep 0.05
		done
		echo "0 0 65536" >"/proc/$p/uid_map" && echo "0 0 65536" >"/proc/$p/gid_map" || {
			kill "$pid"
			rm -f "$fifo"
			return 3
		}
		echo go >"$fifo"
		wait "$pid"
		rc=$?
		rm -f "$fifo"
		[ "$(cat /proc/sys/user/max_user_namespaces)" = "$host" ] || {
			echo "check-envs: the host's user.max_user_namespaces changed" >&2
			return 3
		}
		return $rc
		;;
	busy)
		command -v stress-ng >/dev/null || {
			echo "check-envs: stress-ng is missing (apt-get install stress-ng)" >&2
			return 3
		}
		rx0=$(cat /sys/class/net/lo/statistics/rx_packets)
		flock "$lock" sh -c '
			stress-ng --cpu 2 --sock 1 --udp 1 --timeout 2h --quiet & sp=$!
			sleep 2
			echo "env: stress-ng (pid $sp) --cpu 2 --sock 1 --udp 1; load $(cut -d" " -f1-3 /proc/loadavg)"
			cd "$0" && sh -c "$timed" "$suite_cmd"; rc=$?
			echo "env: load at the end $(cut -d" " -f1-3 /proc/loadavg)"
			kill "$sp"; wait "$sp"
			exit $rc' "$here"
		local rc=$?
		rx1=$(cat /sys/class/net/lo/statistics/rx_packets)
		echo "env: loopback carried $((rx1 - rx0)) packets meanwhile"
		return $rc
		;;
	*)
		echo "check-envs: unknown environment '$env' (${all[*]})" >&2
		return 2
		;;
	esac
}

if [ "${1:-}" = "--inside" ]; then
	shift
	. "$here/tests/debian-chroot.sh"
	inside "$@"
	exit $?
fi

[ "$(id -u)" = 0 ] || {
	echo "check-envs: needs root (namespaces, chroot, capsh)" >&2
	exit 3
}
envs=("$@")
[ ${#envs[@]} -gt 0 ] || envs=("${all[@]}")
mkdir -p "$out"
summary=$out/summary.txt
: >"$summary"
bad=0
for env in "${envs[@]}"; do
	log=$out/$env.log
	echo "== check-envs: $env (log: $build/check-envs/$env.log)"
	t0=$(date +%s.%N)
	run_env "$env" >"$log" 2>&1
	rc=$?
	secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')
	totals=$(grep '^tests: ' "$log" | tail -1)
	took=$(sed -n 's/^check-envs: the suite took \([0-9]*\) s$/\1/p' "$log" | tail -1)
	{
		printf '%-10s %s (make check: %s s, exit %s; %s s in all, with set-up and waiting for the lock)\n' \
			"$env" "${totals:-tests: NO TOTAL}" "${took:-?}" "$rc" "$secs"
		grep -E '^env: |^check-envs: \./run\.sh exit' "$log" | sed 's/^/           /'
		grep '^skipped (' "$log" | sed 's/^/           /'
	} | tee -a "$summary"
	if [ -z "$totals" ]; then
		echo "           NO RESULT: the environment could not be made or the suite did not finish" | tee -a "$summary"
		tail -5 "$log" | sed 's/^/           | /'
		bad=1
	elif ! grep -q '^tests: [0-9]* passed, 0 failed' <<<"$totals" || [ "$rc" != 0 ]; then
		grep -E '^\[  FAILED  \] [a-z]|^\[  ERROR   \]|^run-tests: ' "$log" | sort -u | sed 's/^/           /' | tee -a "$summary"
		bad=1
	fi
	grep -q 'WITHOUT A REASON' "$log" && bad=1
	if [ "$env" = chroot ] && ! grep -q '^check-envs: \./run\.sh exit 0 in ' "$log"; then
		echo "           ./run.sh did not pass in the chroot" | tee -a "$summary"
		bad=1
	fi
done
if [ $bad = 0 ]; then
	echo "check-envs: no failure in ${envs[*]}; every skip has its reason" | tee -a "$summary"
else
	echo "check-envs: FAILED (a test failed, a skip had no reason, ./run.sh failed in the chroot or an environment could not be made)" | tee -a "$summary"
fi
exit $bad
