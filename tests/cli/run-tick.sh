#!/bin/bash
# run-tick.sh - wm-run in cron mode against a target it cannot reach (no
# world needed): the journal's records and their order, idempotent ticks,
# a forced tier, one process per run, a torn last record, --print-crontab.
set -u
b=${WM_BUILDDIR:?run under make check}
prog=$b/src/wm-run
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
unset WM_CONFIG WM_TARGET NO_COLOR
export XDG_CONFIG_HOME=$tmp/xdg WM_STATE_DIR=$tmp/state
# Nothing answers: every area fails fast, which is all a tick needs here.
export DOCKER_HOST=unix://$tmp/no-docker.sock WM_REDIS=127.0.0.1:1
cd "$tmp" || exit 1
. "${WM_SRCDIR:?run under make check}/tests/lib.sh"
run=$tmp/run
j=$run/journal.jsonl

"$prog" --timeout=2 --run="$run" --tier=quick -j tick >out.json 2>err
rc=$?
check "a forced quick tick ends with a state (exit $rc)" -- grep -qx '[123]' <<<"$rc"
expect "the journal's record types, in order" "run_start tick_start result result tick_end" \
	"$(jq -r .type "$j" | tr '\n' ' ' | sed 's/ $//')"
expect "seq counts 1..5 without a gap" "1 2 3 4 5" "$(jq -r .seq "$j" | tr '\n' ' ' | sed 's/ $//')"
expect "the results are the areas' -j objects" "wm-services wm-errors" \
	"$(jq -r 'select(.type=="result") | .result.tool' "$j" | tr '\n' ' ' | sed 's/ $//')"
expect "tick_end carries the worst state of its areas" "$rc" \
	"$(jq -r 'select(.type=="tick_end") | .state' "$j")"
expect "the output has one check per area" "quick.services quick.errors" \
	"$(jq -r '.checks[].name' out.json | tr '\n' ' ' | sed 's/ $//')"

"$prog" --timeout=2 --run="$run" tick >out 2>err
expect "T+0 of the new run: the full tier runs every area" "7" \
	"$(jq -r 'select(.type=="result" and .tier=="full") | .area' "$j" | wc -l)"
# An area whose program is built runs in-process; one not built yet is said,
# never skipped in silence (which areas those are changes as programs land).
for area in security perf smoke; do
	if [ -x "$b/src/wm-$area" ]; then
		check "full.$area runs in-process" eval "grep -q '^[A-Z]* *full\.$area ' out && ! grep -q 'full\.$area .*not available' out"
	else
		check "full.$area, not built yet, is said, not skipped" -- grep -q "full\.$area .*not available" out
	fi
done
"$prog" --timeout=2 --run="$run" tick >out 2>err
rc=$?
expect "a second tick in the same hour runs nothing (exit 0)" 0 "$rc"
check "and says when the next one is" -- grep -q 'nothing due; next at T+1h' out
expect "no tick has two end records" "" \
	"$(jq -r 'select(.type=="tick_end") | "\(.tier)@\(.at_ms)"' "$j" | sort | uniq -d)"

(
	flock 9
	"$prog" --timeout=2 --run="$run" tick >out 2>err
	echo $? >rc
) 9>"$run/lock"
expect "a second process on the run exits 3" 3 "$(cat rc)"
# (the redirection emptied the lock file, so the holder's pid reads "?")
check "and says another process drives it" -- grep -q 'another process (pid [0-9?]*) drives this run' err

printf '{"v":1,"seq":99,"type":"no' >>"$j"
"$prog" --timeout=2 --run="$run" tick >out 2>err
check "a record cut mid-write is reported" -- grep -q 'cut mid-write (26 bytes dropped)' err
expect "and repaired in the journal" "26" "$(jq -r 'select(.type=="repair") | .dropped_bytes' "$j")"

TZ=UTC "$prog" --print-crontab --at=2026-11-28T00:00:00Z >cron 2>err
check "--print-crontab: one line per hour of the plan" -- [ "$(grep -vc '^#' cron)" = 25 ]
check "--print-crontab: T+2h runs quick, security and performance" -- \
	grep -qx '0 2 28 11 \* wm-run tick  # T+2h quick security performance' cron

"$prog" --run="$run" --tier=hourly tick >out 2>err
expect "an unknown tier is a usage error" 3 "$?"
"$prog" --time-scale=0 tick >out 2>err
expect "a time scale of 0 is a usage error" 3 "$?"
"$prog" >out 2>err
expect "no command is a usage error" 3 "$?"

finish
