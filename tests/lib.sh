# tests/lib.sh - the one assertion vocabulary of every shell test (sourced by
# tests/cli/*.sh, tests/integration/*, tests/world/test-world).
#
#   check MSG [--] CMD [ARG...]
#       Runs CMD once; "ok - MSG" when it exits 0, else "not ok - MSG".  The
#       whole condition is ONE command.  A condition of several parts is one
#       `eval` of a string (evaluated in the caller's scope, functions and
#       locals visible), never `check MSG [ A ] && [ B ]`, which would assert
#       A alone (scripts/test rejects that form):
#           check "exit 2 and CRITICAL" eval '[ "$rc" = 2 ] && [ "$(state)" = CRITICAL ]'
#       MSG says exactly what the condition checks, nothing more.
#   expect MSG WANT GOT
#       "ok - MSG" when the strings WANT and GOT are equal; else "not ok - MSG:
#       want 'WANT', got 'GOT'".
#   ok MSG / not_ok MSG
#       A verdict computed by the caller (with the reason in MSG).
#   note [N]
#       Copies stdin as "# " comment lines (at most N, default 10).  Keeps the
#       exit status of nothing: use it as `cmd >"$f"; rc=$?; note <"$f"`.
#   add_secret STRING...
#       Adds secrets (e.g. a captured bearer token) to what assert_no_secrets looks for.
#   assert_no_secrets MSG [FILE...] [-s STRING...]
#       ok when none of the secrets occurs in any FILE or STRING given.  The
#       secrets: every file of $WM_WORLD_DIR/secrets/ (the world's PostgreSQL,
#       Redis, JWT and login passwords) when a world is set, $WM_SECRETS (one a
#       line) and what add_secret added.  No secret known at all is a failure
#       (the assertion would be vacuous); no input given is a failure too.
#   finish
#       Prints "N passed, M failed" and returns 0 only when nothing failed and
#       something passed: end a test with `finish; exit` (or `finish` last).
#
# WM_T_PREFIX (e.g. "$TARGET: ") is put before every message.  Counts are in
# t_pass and t_fail.
t_pass=0 t_fail=0
t_secrets=()
: "${WM_T_PREFIX:=}"

ok() {
	echo "ok - $WM_T_PREFIX$*"
	t_pass=$((t_pass + 1))
}
not_ok() {
	echo "not ok - $WM_T_PREFIX$*"
	t_fail=$((t_fail + 1))
}

check() {
	local msg=$1
	shift
	[ "${1-}" = -- ] && shift
	if [ $# = 0 ]; then
		not_ok "$msg (check was given no condition)"
	elif "$@"; then
		ok "$msg"
	else
		not_ok "$msg"
	fi
}

expect() {
	if [ $# != 3 ]; then
		not_ok "$1 (expect takes MSG WANT GOT, got $# arguments)"
	elif [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1: want '$2', got '$3'"
	fi
}

note() { sed 's/^/# /' | head -n "${1:-10}"; }

add_secret() {
	local s
	for s in "$@"; do
		[ -n "$s" ] && t_secrets+=("$s")
	done
	return 0
}

# The secrets known now (one a line): the world's files, $WM_SECRETS, add_secret's.
t_secret_list() {
	local f
	if [ -n "${WM_WORLD_DIR:-}" ] && [ -d "$WM_WORLD_DIR/secrets" ]; then
		for f in "$WM_WORLD_DIR"/secrets/*; do
			# pgpass holds pg.password inside a host:port line: the password alone counts
			case ${f##*/} in pgpass) continue ;; esac
			# (printf: a secret file without a final newline must not run into the next)
			[ -f "$f" ] && printf '%s\n' "$(head -n 1 "$f")"
		done
	fi
	[ -n "${WM_SECRETS:-}" ] && printf '%s\n' "$WM_SECRETS"
	[ ${#t_secrets[@]} -gt 0 ] && printf '%s\n' "${t_secrets[@]}"
	return 0
}

assert_no_secrets() {
	local msg=$1 secrets inputs=() found= s i n=0
	shift
	secrets=$(t_secret_list | grep -v '^$' | sort -u)
	while [ $# -gt 0 ]; do
		if [ "$1" = -s ]; then
			inputs+=("s:${2-}")
			shift 2 || shift
		else
			inputs+=("f:$1")
			shift
		fi
	done
	if [ -z "$secrets" ]; then
		not_ok "$msg (no secret known: nothing to look for)"
		return
	fi
	if [ ${#inputs[@]} = 0 ]; then
		not_ok "$msg (nothing given to scan)"
		return
	fi
	for i in "${inputs[@]}"; do
		case $i in
		f:*)
			[ -r "${i#f:}" ] || { found+=" ${i#f:} (unreadable)"; continue; }
			while IFS= read -r s; do
				grep -qaF -- "$s" "${i#f:}" && found+=" ${i#f:}"
			done <<<"$secrets"
			;;
		s:*)
			while IFS= read -r s; do
				[[ ${i#s:} == *"$s"* ]] && found+=" a string"
			done <<<"$secrets"
			;;
		esac
		n=$((n + 1))
	done
	if [ -z "$found" ]; then
		ok "$msg ($(wc -l <<<"$secrets") secrets, $n inputs)"
	else
		not_ok "$msg: a secret occurs in:$found"
	fi
}

finish() {
	echo "$t_pass passed, $t_fail failed"
	[ "$t_fail" = 0 ] && [ "$t_pass" -gt 0 ]
}
