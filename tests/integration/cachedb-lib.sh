# Helpers for cache-*.test and db-*.test (sourced).  Environment from
# tests/integration/run: the world's settings, WM_CONFIG, PATH with the build.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
W=$here/../world/world
. "$here/../lib.sh"
# A private state directory: every test starts without previous samples.
# Beside it, the generated configurations and secrets (made in $(...)
# subshells, so they go into a directory removed as a whole at exit).
scratch=$(mktemp -d "${TMPDIR:-/tmp}/wm-cachedb.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT
export WM_STATE_DIR=$scratch/state
mkdir -p "$WM_STATE_DIR"
transcript=$scratch/transcript

# run PROGRAM ARGS...: JSON output in $out, exit code in $rc; every output is
# kept in $transcript for assert_no_secrets.
run() {
	out=$("$@" -j 2>"$WM_STATE_DIR/stderr")
	rc=$?
	printf '%s\n' "$out" >>"$transcript"
	cat "$WM_STATE_DIR/stderr" >>"$transcript"
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
	f=$(mktemp "$scratch/conf.XXXXXX")
	sed -E "s|^$1 = .*|$1 = $2|" "$WM_CONFIG" >"$f"
	echo "$f"
}
secret_file() {
	local f
	f=$(mktemp "$scratch/secret.XXXXXX")
	printf '%s\n' "$1" >"$f"
	chmod 600 "$f"
	echo "$f"
}
# wait_ok PROGRAM: a healed world may still be starting a service (Redis
# loading its AOF): wait up to 60 s for PROGRAM to say OK, outside our state.
# (A few seconds when idle; 60 s covers a container restart plus its first
# healthcheck on a machine with load 5-7, where one run of a sanitizer build
# alone can take several seconds.)
wait_ok() {
	local i
	for ((i = 0; i < 120; i++)); do
		WM_STATE_DIR=$WM_STATE_DIR/wait "$1" -t world >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	return 1
}
# nagios_line PROGRAM ARGS...: the first line of PROGRAM's nagios output (kept in the transcript).
nagios_line() {
	"$@" --format=nagios 2>&1 | tee -a "$transcript" | head -n 1
}
