#!/bin/bash
# run-follow.sh - `wm-run status --follow` on a pseudo-terminal
# (tests/cli/pty-follow.py) against a running driver whose Docker engine is
# tests/cli/fake-engine.py (one service, "a", then stopped): it redraws the
# view (services, the tick timeline, open incidents) and ends with exit 0 on
# q, on ^C and on SIGTERM, leaving the terminal as it found it (echo, line
# mode), and when the driver ends; with no driver at all it says so and
# exits 1 (wm-run(1), EXIT STATUS).
set -u
b=${WM_BUILDDIR:?run under make check}
s=${WM_SRCDIR:?run under make check}
prog=$b/src/wm-run
tmp=$(mktemp -d) || exit 1
pids=()
trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
unset WM_CONFIG WM_TARGET NO_COLOR
export XDG_CONFIG_HOME=$tmp/xdg WM_STATE_DIR=$tmp/state
export DOCKER_HOST=unix://$tmp/engine.sock WM_REDIS=127.0.0.1:1
. "$s/tests/lib.sh"
# the compose project is the working directory's name: the engine's is "p"
mkdir "$tmp/p" && cd "$tmp/p" || exit 1
echo good >"$tmp/mode"
python3 "$s/tests/cli/fake-engine.py" "$tmp/engine.sock" "$tmp/mode" >/dev/null &
pids+=("$!")

wait_for() {
	local n=$(($1 * 10))
	shift
	while [ $n -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
follow() { python3 "$s/tests/cli/pty-follow.py" "$1" "$tmp/$1.out" "$prog" --run="$run" status --follow; }
field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"; }
# last_view FILE: the last redraw the terminal showed
last_view() { awk 'BEGIN {RS = "\033\\[H\033\\[2J"} {v = $0} END {printf "%s", v}' "$1" | tr -d '\r'; }

# 1. No driver: the status once, a line saying so, exit 1.
run=$tmp/ended
"$prog" --timeout=1 --run="$run" --time-scale=86400 start >/dev/null 2>&1
"$prog" --run="$run" status --follow >out 2>err
expect "no driver (the run is over): exit 1" 1 "$?"
check "and says so" grep -q "no driver runs (ended): nothing to follow" err
check "after the status, once" eval '[ "$(grep -c "^run: " out)" = 1 ]'
"$prog" --run="$tmp/none" status --follow >out 2>err
expect "no run at all: exit 3" 3 "$?"

# 2. A driver: 24 h in 240 s (the test ends long before), a watch round
# every second.
run=$tmp/live
"$prog" --timeout=2 --run="$run" --time-scale=360 --watch-interval=1 start >drv.out 2>drv.err &
drv=$!
pids+=("$drv")
ended() { [ "$(jq -r 'select(.type=="tick_end") | .tier' "$run/journal.jsonl" 2>/dev/null | head -n 1)" = full ]; }
check "the driver runs T+0" wait_for 60 ended
echo down >"$tmp/mode" # the service stops: the watch opens an incident
open_inc() { "$prog" --run="$run" -j status 2>/dev/null | jq -e '.incidents | length > 0' >/dev/null; }
check "the watch opened an incident for the stopped service" wait_for 30 open_inc

r=$(follow q)
note <<<"q: $r"
expect "q: exit 0" 0 "$(field rc "$r")"
check "it redrew the view at least twice before q" [ "$(field redraws "$r")" -ge 2 ]
expect "and left the terminal echoing" 1 "$(field echo "$r")"
expect "in line mode" 1 "$(field icanon "$r")"
view=$(last_view "$tmp/q.out")
note 30 <<<"$view"
check "the view shows the driver running" grep -q "^target: .*running (driver pid $drv" <<<"$view"
check "the view shows the services, the stopped one named" grep -qE "^services: .* a( |$)" <<<"$view"
check "the view shows the tick timeline from T+0" grep -qE "^timeline: +T\+0 +full +[A-Z]+" <<<"$view"
check "the view shows the open incident" grep -qE "^incident: +INC-[0-9]+ " <<<"$view"

r=$(follow intr)
note <<<"^C: $r"
expect "^C (SIGINT from the terminal): exit 0" 0 "$(field rc "$r")"
expect "and the terminal echoes again" 1 "$(field echo "$r")"
expect "in line mode" 1 "$(field icanon "$r")"

r=$(follow term)
note <<<"SIGTERM: $r"
expect "SIGTERM: exit 0" 0 "$(field rc "$r")"
expect "and the terminal echoes again" 1 "$(field echo "$r")"

# 3. The driver ends while followed: exit 0, the last status shown.
(sleep 3 && "$prog" --run="$run" stop >/dev/null 2>&1) &
r=$(follow wait)
note <<<"driver stopped: $r"
expect "the driver stopped while followed: exit 0" 0 "$(field rc "$r")"
check "and the last view says stopped" grep -q "^target: .*, stopped" <<<"$(last_view "$tmp/wait.out")"
check "and a line says the driver is gone" grep -q "the driver is gone (stopped)" "$tmp/wait.out"
wait "$drv"
expect "the driver exited 0" 0 "$?"
finish
