#!/bin/bash
# check-docs.sh - the options in --help, the man page and the bash completion
# agree, and every program follows the command-line contract:
#   - `PROG --help` exits 0, prints "Usage: PROG" on stdout and nothing on stderr;
#   - every long option --help shows appears in man/PROG.1 and completions/PROG
#     (or completions/_warunginmon, which it sources);
#   - `PROG --version` prints "PROG (warunginmon) VERSION";
#   - a bad option exits 3 with "Try 'PROG --help' for more information.";
#   - every man page renders with `man --warnings` silently;
#   - every key of lib/conf/conf_keys.c's table is documented in warunginmon.conf(5).
# The template program doc/boilerplate is always checked (with doc/boilerplate.1
# and doc/boilerplate.bash), so the test is never vacuous.
# WM_CHECK_DOCS_PROGS="path ..." checks those programs instead (for proving
# the test fails, by hand).
set -u
b=${WM_BUILDDIR:?run under make check}
s=${WM_SRCDIR:?run under make check}
. "$s/tests/lib.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

command -v man >/dev/null || { not_ok "man is installed (scripts/deps: man-db)"; exit 1; }

# Does FILE mention WORD (letters, digits, '_') as a whole word?
mentions_word() {
	sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$1" | grep -qw -- "$2"
}

# Does FILE mention option OPT (roff "\-\-opt" or plain "--opt") as a whole word?
mentions() {
	sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$1" |
		grep -qE -- "(^|[^a-zA-Z0-9-])$2([^a-zA-Z0-9-]|\$)"
}

check_prog() {
	local prog=$1 manpage=$2 comp=$3 name opt missing=0
	name=${prog##*/}
	"$prog" --help >"$tmp/out" 2>"$tmp/err"
	local rc=$?
	if [ $rc = 0 ] && [ ! -s "$tmp/err" ] && head -1 "$tmp/out" | grep -q "^Usage: $name "; then
		ok "$name: --help exits 0 with the usage on stdout"
	else
		not_ok "$name: --help exited $rc, stderr: $(head -c 200 "$tmp/err")"
	fi
	[ -f "$manpage" ] || { not_ok "$name: no man page $manpage"; return; }
	[ -f "$comp" ] || { not_ok "$name: no completion $comp"; return; }
	# a completion knows its own options, and the common ones through the
	# shared file it sources
	cat "$comp" "$s/completions/_warunginmon" >"$tmp/comp"
	local nopt=0
	for opt in $(grep -oE -- '--[a-z0-9][a-z0-9-]*' "$tmp/out" | sort -u); do
		nopt=$((nopt + 1))
		mentions "$manpage" "$opt" || { not_ok "$name: $opt missing from ${manpage#"$s"/}"; missing=1; }
		mentions "$tmp/comp" "$opt" || { not_ok "$name: $opt missing from ${comp#"$s"/} and _warunginmon"; missing=1; }
	done
	# every program has --help and --version at least: fewer means the pattern broke
	check "$name: --help lists $nopt long options (2 at least)" [ "$nopt" -ge 2 ]
	[ $missing = 0 ] && ok "$name: every one of the $nopt long options of --help is in its man page and completion"
	bash -n "$comp" 2>"$tmp/err" || not_ok "$name: completion does not parse: $(cat "$tmp/err")"

	"$prog" --version >"$tmp/out" 2>&1
	rc=$?
	if [ $rc = 0 ] && grep -qE "^$name \\(warunginmon\\) [0-9]" "$tmp/out"; then
		ok "$name: --version"
	else
		not_ok "$name: --version exited $rc: $(head -c 200 "$tmp/out")"
	fi

	"$prog" --no-such-option >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc = 3 ] && [ ! -s "$tmp/out" ] &&
		grep -qxF "Try '$name --help' for more information." "$tmp/err"; then
		ok "$name: a bad option exits 3 with the Try line"
	else
		not_ok "$name: a bad option exited $rc, stderr: $(head -c 200 "$tmp/err")"
	fi
}

if [ -n "${WM_CHECK_DOCS_PROGS:-}" ]; then
	for p in $WM_CHECK_DOCS_PROGS; do
		n=${p##*/}
		check_prog "$p" "$s/man/$n.1" "$s/completions/$n"
	done
else
	check_prog "$b/doc/boilerplate" "$s/doc/boilerplate.1" "$s/doc/boilerplate.bash"
	for p in "$b"/src/wm-*; do
		[ -f "$p" ] && [ -x "$p" ] || continue
		n=${p##*/}
		check_prog "$p" "$s/man/$n.1" "$s/completions/$n"
	done
fi

# Man pages render without warnings.
for page in "$s"/man/*.[1-8] "$s/doc/boilerplate.1"; do
	[ -f "$page" ] || continue
	warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
	if [ -z "$warnings" ]; then
		ok "${page#"$s"/} renders without warnings"
	else
		not_ok "${page#"$s"/}: $warnings"
	fi
done

# The configuration keys the code knows are the ones the manual describes.
conf5=$s/man/warunginmon.conf.5
keys_c=$s/lib/conf/conf_keys.c
# Both files must be there: a moved table must fail here, not pass unchecked.
check "the key table ${keys_c#"$s"/} exists" [ -f "$keys_c" ]
check "man/warunginmon.conf.5 exists" [ -f "$conf5" ]
if [ -f "$keys_c" ] && [ -f "$conf5" ]; then
	missing=0 nkeys=0
	# every {"key", K_KIND ...} and {"section", true|false ...}, also two on a line
	for key in $(grep -oE '\{ ?"[a-z0-9_]+", ?(K_[A-Z]+|true|false)' "$keys_c" |
		sed -E 's/\{ ?"([a-z0-9_]+)".*/\1/' | sort -u); do
		nkeys=$((nkeys + 1))
		mentions_word "$conf5" "$key" || { not_ok "configuration key or section '$key' missing from man/warunginmon.conf.5"; missing=1; }
	done
	# The pattern must find the table: 10 keys at least (there are ~80),
	# else a reshaped lib/conf/conf_keys.c would make this test check nothing.
	check "lib/conf/conf_keys.c's key table was found ($nkeys keys, 10 at least)" [ "$nkeys" -ge 10 ]
	[ $missing = 0 ] && ok "every one of the $nkeys configuration keys of lib/conf/conf_keys.c is in warunginmon.conf(5)"
fi
finish
