# bash completion for tcpconform(1)                 -*- shell-script -*-
# SPDX-License-Identifier: GPL-2.0-only
#
# Commands, their options (the lists below and whatever `tcpconform CMD
# --help` names), option values, and case names, which come from
# `tcpconform list` when you press TAB: the catalogue that binary would run
# (./cases, $TCPCONFORM_CASES or the installed one).  Needs plain bash only,
# not the bash-completion package.  Installed as
# PREFIX/share/bash-completion/completions/tcpconform.

# Options that take a value (the next word, or after '='), any command.
_tcpconform_argopts=" -j --jobs -o --output --family --sysctl --repeat --kernel-config --variant
	--against --kernel --kernels --vms --timeout --boot-timeout --memory --accel -n --count --runs --ip-n
	--shape --mb --functions --files --sample --seed --ids --first --baseline-runs --file --color
	--transitions --timers --root "

_tcpconform_opts() {
	local bin=$1 cmd=$2 sub=$3 known
	case $cmd in
	run) known="-j --jobs -o --output --family --sysctl --repeat --kernel-config --in-order --variant
		--color --slip-limit --rerun-slipped" ;;
	profile) known="--against -j --jobs -o --output --family --system --root --strict" ;;
	vm) known="--kernel --kernels --vms --list-kernels -o --output --timeout --boot-timeout --memory --accel --stop-on-stall -j --jobs
		--family --sysctl --kernel-config --in-order --variant --color --slip-limit --rerun-slipped" ;;
	report) known="-o --output" ;;
	coverage) known="-o --output --transitions --timers -v --verbose" ;;
	bench)
		case $sub in
		topology) known="-n --count --ip-n --shape" ;;
		wire) known="-n --count --rate --mb" ;;
		variant) known="-n --runs" ;;
		mutants) known="--functions --files --sample --seed --ids --first -o --list --baseline-runs" ;;
		kernel-loop) known="--file -o" ;;
		esac
		;;
	esac
	# The binary's own word for it: options added since are offered too.
	if [ "$cmd" = bench ] && [ -n "$sub" ]; then
		known+=" $("$bin" bench "$sub" --help 2>/dev/null | grep -o -- '--[a-z][a-z0-9-]*')"
	elif [ -n "$cmd" ] && [ "$cmd" != bench ]; then
		known+=" $("$bin" "$cmd" --help 2>/dev/null | grep -o -- '--[a-z][a-z0-9-]*')"
	fi
	printf '%s\n' $known --help | sort -u
}

_tcpconform_commands() {
	local cmds
	# `tcpconform help` lists them ("  tcpconform CMD ..."); guest-send is
	# the VM guests' own.
	cmds=$("$1" help 2>/dev/null | sed -n 's/^  tcpconform \([a-z][a-z-]*\).*/\1/p' | grep -v '^guest-send$')
	[ -n "$cmds" ] || cmds="run profile vm diff report coverage list check bench version help"
	printf '%s\n' $cmds
}

_tcpconform_cases() {
	"$1" list 2>/dev/null | awk '$1 != "CASE" && $2 ~ /^[0-9]+$/ { print $1 }'
}

_tcpconform() {
	local bin=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev='' opt=''
	local cmd='' sub='' npos=0 i w skip=0

	bin=${bin/#\~/$HOME}

	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# bash splits --opt=value at '=': "--opt" "=" "value".
	if [ "$cur" = "=" ]; then
		opt=$prev cur=''
	elif [ "$prev" = "=" ] && [ "$COMP_CWORD" -gt 1 ]; then
		opt=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $_tcpconform_argopts == *" $prev "* ]]; then
		opt=$prev
	fi
	# The command (and a benchmark's name) before the cursor; the other
	# words are options, their values and positional arguments.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [ "$w" = "=" ]; then
			skip=1
			continue
		fi
		if [ $skip = 1 ]; then
			skip=0
			continue
		fi
		case $w in
		-*) [[ $_tcpconform_argopts == *" $w "* ]] && [ "${COMP_WORDS[i + 1]}" != "=" ] && skip=1 ;;
		*)
			if [ -z "$cmd" ]; then
				cmd=$w
			elif [ "$cmd" = bench ] && [ -z "$sub" ]; then
				sub=$w
			else
				npos=$((npos + 1))
			fi
			;;
		esac
	done

	COMPREPLY=()
	if [ -n "$opt" ]; then
		case $opt in
		--family) COMPREPLY=($(compgen -W "4 6" -- "$cur")) ;;
		--accel) COMPREPLY=($(compgen -W "auto kvm tcg" -- "$cur")) ;;
		--shape) COMPREPLY=($(compgen -W "wire direct" -- "$cur")) ;;
		--color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")) ;;
		--kernel | --kernels)
			COMPREPLY=($(compgen -W "debian:5.10 debian:6.1 debian:6.12 debian:list host src:" -- "$cur") $(compgen -f -- "$cur"))
			compopt -o nospace 2>/dev/null
			;;
		--root)
			COMPREPLY=($(compgen -d -- "$cur"))
			compopt -o filenames 2>/dev/null
			;;
		-o | --output)
			if [ "$cmd" = report ] || [ "$cmd" = coverage ]; then
				COMPREPLY=($(compgen -f -- "$cur"))
			else
				COMPREPLY=($(compgen -d -- "$cur"))
			fi
			compopt -o filenames 2>/dev/null
			;;
		--first)
			# case names, comma-separated: complete the last one
			local done=${cur%"${cur##*,}"}
			COMPREPLY=($(compgen -P "$done" -W "$(_tcpconform_cases "$bin")" -- "${cur##*,}"))
			compopt -o nospace 2>/dev/null
			;;
		--sysctl | --against | --kernel-config | --file | --files | --transitions | --timers)
			COMPREPLY=($(compgen -f -- "$cur"))
			compopt -o filenames 2>/dev/null
			;;
		esac
		return 0
	fi
	if [ -z "$cmd" ]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--help --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_tcpconform_commands "$bin")" -- "$cur"))
		fi
		return 0
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_tcpconform_opts "$bin" "$cmd" "$sub")" -- "$cur"))
		return 0
	fi
	case $cmd in
	run | list | check | vm)
		if [[ $cur == */* ]]; then
			COMPREPLY=($(compgen -f -- "$cur"))
			compopt -o filenames 2>/dev/null
		else
			COMPREPLY=($(compgen -W "$(_tcpconform_cases "$bin")" -- "$cur"))
		fi
		;;
	profile)
		if [ $npos -eq 0 ] || [[ $cur == */* ]]; then
			COMPREPLY=($(compgen -f -- "$cur"))
			compopt -o filenames 2>/dev/null
		else
			COMPREPLY=($(compgen -W "$(_tcpconform_cases "$bin")" -- "$cur"))
		fi
		;;
	diff | report | coverage)
		COMPREPLY=($(compgen -d -- "$cur"))
		compopt -o filenames 2>/dev/null
		;;
	bench)
		[ -z "$sub" ] && COMPREPLY=($(compgen -W "topology wire variant mutants kernel-loop" -- "$cur"))
		;;
	help)
		COMPREPLY=($(compgen -W "$(_tcpconform_commands "$bin")" -- "$cur"))
		;;
	esac
	return 0
}
complete -F _tcpconform tcpconform
