# Helpers for cache-*.test and db-*.test (sourced).  Environment from
# tests/integration/run: the world's settings, WM_CONFIG, PATH with the build.
W=$(cd "$(dirname "${BASH_SOURCE[0]}")/../world" && pwd)/world
fails=0
# A private state directory: every test starts without previous samples.
WM_STATE_DIR=$(mktemp -d /tmp/wm-cachedb-state.XXXXXX)
export WM_STATE_DIR
tmpfiles=("$WM_STATE_DIR")
trap 'rm -rf "${tmpfiles[@]}"' EXIT

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; fails=$((fails + 1)); }
# check COND-COMMAND... -- DESCRIPTION
expect() {
	local desc=$1; shift
	if "$@"; then ok "$desc"; else notok "$desc"; fi
}
# run PROGRAM ARGS...: JSON output in $out, exit code in $rc.
run() {
	out=$("$@" -j 2>"$WM_STATE_DIR/stderr")
	rc=$?
}
# jqv FILTER: a value of the last output.
jqv() { jq -r "$1" <<<"$out"; }
state_of() { jqv ".checks[] | select(.name==\"$1\") | .state"; }
metric() { jqv "[.checks[].metrics[] | select(.name==\"$1\") | .value][0]"; }
summary_of() { jqv ".checks[] | select(.name==\"$1\") | .summary"; }
# A number strictly between two bounds (awk: floating point).
between() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v != "null" && v + 0 > lo && v + 0 < hi) }'; }
# A config identical to WM_CONFIG but with KEY = VALUE in every target.
config_with() {
	local f
	f=$(mktemp /tmp/wm-cachedb-conf.XXXXXX)
	tmpfiles+=("$f")
	sed -E "s|^$1 = .*|$1 = $2|" "$WM_CONFIG" >"$f"
	echo "$f"
}
secret_file() {
	local f
	f=$(mktemp /tmp/wm-cachedb-secret.XXXXXX)
	tmpfiles+=("$f")
	printf '%s\n' "$1" >"$f"
	chmod 600 "$f"
	echo "$f"
}
lacks() { ! grep -q "$1" <<<"$2"; }
# wait_ok PROGRAM: a healed world may still be starting a service (Redis
# loading its AOF): wait up to 15 s for PROGRAM to say OK, outside our state.
wait_ok() {
	local i
	for ((i = 0; i < 30; i++)); do
		WM_STATE_DIR=$WM_STATE_DIR/wait "$1" -t world >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	return 1
}
finish() { [ "$fails" = 0 ]; }
