#!/bin/bash
# completions.sh - the bash completions, driven the way bash drives them
# (COMP_WORDS, COMP_CWORD, then COMPREPLY): --opt=value with '=' split off
# as bash does by default, and kept whole when COMP_WORDBREAKS lacks it;
# --opt value; every format the program accepts (from its own error message)
# offered by every completion; every long option of --help offered for "--";
# targets from the configuration; the program's own option values.  Also
# --version's copyright and licence lines.
set -u
b=${WM_BUILDDIR:?run under make check}
s=${WM_SRCDIR:?run under make check}
. "$s/tests/lib.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
printf '[target prod]\nhost = a\n[target stage]\nhost = b\nservices = api, worker\n' >"$tmp/conf"
export WM_CONFIG=$tmp/conf

# comp PROG WORD...: the sorted, space-joined COMPREPLY of PROG's completion
# for the command line PROG WORD... (the last word is the one completed).
comp() {
	local prog=$1
	shift
	bash -c '
		. "$1/completions/$2" || exit 1
		COMP_WORDS=("$2" "${@:3}")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		f=$(complete -p "$2" | sed -n "s/.*-F \([^ ]*\) .*/\1/p")
		"$f" || exit 1
		printf "%s\n" "${COMPREPLY[@]}" | sort | paste -sd " "
	' _ "$s" "$prog" "$@"
}

expect "wm-errors --format=n (bash splits '=') completes formats" "nagios ndjson" \
	"$(comp wm-errors --format = n)"
expect "wm-errors --level=e completes a level" "error" "$(comp wm-errors --level = e)"
expect "wm-errors --level= offers every level" "critical debug error info trace warn" \
	"$(comp wm-errors --level =)"
expect "wm-errors --format n (two words)" "nagios ndjson" "$(comp wm-errors --format n)"
expect "wm-errors --format=n as one word (no '=' in COMP_WORDBREAKS)" \
	"--format=nagios --format=ndjson" "$(comp wm-errors --format=n)"
expect "wm-cache -t completes the configuration's targets" "prod stage" "$(comp wm-cache -t '')"
expect "wm-db --target=s completes a target" "stage" "$(comp wm-db --target = s)"
expect "wm-errors completes services from the configuration" "api worker" "$(comp wm-errors '')"
expect "wm-services --fo completes --format=" "--format=" "$(comp wm-services --fo)"
expect "wm-services --wai offers --wait and --wait=" "--wait --wait=" "$(comp wm-services --wai)"
expect "wm-services --wait takes no separate value: the next word is an option" "--format=" \
	"$(comp wm-services --wait --fo)"
expect "wm-services --timeout= offers nothing" "" "$(comp wm-services --timeout =)"

for p in wm-cache wm-db wm-errors wm-services wm-report; do
	# the formats the program accepts, from its own message about a bad one
	want=$("$b/src/$p" --format=bogus 2>&1 | sed -n 's/.*(expected \(.*\))$/\1/p' |
		sed 's/,//g; s/ or / /' | tr ' ' '\n' | sort | paste -sd ' ')
	check "$p: its error message lists formats" [ -n "$want" ]
	expect "$p: --format= offers every format the program accepts" "$want" "$(comp "$p" --format =)"
	# every long option of --help, as --opt or --opt=
	want=$("$b/src/$p" --help | grep -oE -- '--[a-z0-9][a-z0-9-]*' | sort -u | paste -sd ' ')
	got=$(comp "$p" -- | tr ' ' '\n' | sed 's/=$//' | sort -u | paste -sd ' ')
	expect "$p: '--' offers every long option of --help" "$want" "$got"
	"$b/src/$p" --version >"$tmp/out"
	check "$p: --version gives the copyright and the GPLv3+ licence" \
		eval 'grep -q "^Copyright (C) [0-9]\{4\} " "$tmp/out" && grep -qF "License GPLv3+: GNU GPL version 3 or later" "$tmp/out"'
done

# The test must be able to fail: the old completion, which looked at the
# previous word only, completes a service after "--format=n" when driven so.
old='_f() { local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	case $prev in
	--format) mapfile -t COMPREPLY < <(compgen -W "text nagios ndjson" -- "$cur") ;;
	*) mapfile -t COMPREPLY < <(compgen -W "nginx backend" -- "$cur") ;;
	esac; }'
expect "the old completion, driven the same way, offers a service after --format=n" "nginx" \
	"$(bash -c "$old"'; COMP_WORDS=(wm-errors --format = n); COMP_CWORD=3; _f; echo "${COMPREPLY[*]}"')"
finish
