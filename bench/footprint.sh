#!/bin/bash
# footprint.sh - what wm-run costs while it runs for a day (B1's watch row,
# B5's footprint rows), against the world through its sshd (target
# world-ssh, loopback):
#   tunnel idle   bench/tunnel holding Docker's /events stream through the
#                 session's tunnel for BENCH_IDLE_S (default 60) s: its CPU
#                 (the pump's); BENCH_BASE_TUNNEL: the same program linked
#                 with another build's library (the "before")
#   watch         `wm-run start` after its T+0 tick: its own CPU per minute
#                 (children included) and peak RSS, and the world's host CPU
#                 over the same minute against a minute without it
#   compressed    `wm-run start --time-scale=480` (24 h in ~3 min): CPU, peak
#                 RSS, ticks run
#
#   WM_WORLD_DIR=... WM_WORLD_PORT_BASE=... bench/footprint.sh BUILD_DIR [ROWS]
#
# The world must be up; loopback only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=${1:?usage: footprint.sh BUILD_DIR [ROWS]}
rows=${2:-}
idle_s=${BENCH_IDLE_S:-60}
W=$top/tests/world/world
eval "$("$W" env)"
tmp=$(mktemp -d /tmp/wm-bench-fp.XXXXXX)
pid=""
cleanup() {
	[ -z "$pid" ] || kill "$pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
"$W" config >"$tmp/wm.conf"
export WM_STATE_DIR=$tmp/state
hz=$(getconf CLK_TCK)
# shellcheck source=bench/hostcpu.sh
. "$here/hostcpu.sh"
row() { [ -z "$rows" ] || printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$rows"; }
load() { cut -d' ' -f1 /proc/loadavg; }
# a process's own CPU with its reaped children, in clock ticks
proc_cpu() { awk '{ sub(/.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$1/stat"; }

# 1. the tunnel pump, idle with a stream open
l0=$(load)
ours=$("$build/bench/tunnel" "$tmp/wm.conf" world-ssh "$idle_s")
echo "ours: $ours"
base="-"
if [ -n "${BENCH_BASE_TUNNEL:-}" ]; then
	base=$("$BENCH_BASE_TUNNEL" "$tmp/wm.conf" world-ssh "$idle_s")
	echo "base: $base"
	base=$(sed 's/.*: //' <<<"$base")
fi
row "tunnel pump: CPU holding Docker's /events through the ssh tunnel for $idle_s s, idle (load $l0 to $(load))" \
	"$(sed 's/.*: //' <<<"$ours")" "$base (BENCH_BASE_TUNNEL: before)" "-" "near zero" "-"

# 2. the driver between ticks (the watch running every 60 s)
"$build/src/wm-run" start -t world-ssh --config "$tmp/wm.conf" >"$tmp/start.out" 2>&1 &
pid=$!
sleep 45 # its T+0 tick (the full tier) and the first watch round
h0=$(host_cpu) c0=$(proc_cpu "$pid") l0=$(load)
sleep 60
h1=$(host_cpu) c1=$(proc_cpu "$pid")
rss=$(awk '/^VmHWM/ { print int($2 / 1024) }' "/proc/$pid/status")
"$build/src/wm-run" stop -t world-ssh --config "$tmp/wm.conf" >/dev/null 2>&1 || kill "$pid"
wait "$pid" 2>/dev/null || true
pid=""
a0=$(host_cpu)
sleep 60
a1=$(host_cpu)
per_min=$(awk -v c=$((c1 - c0)) -v hz="$hz" 'BEGIN { printf "%.2f", c / hz }')
echo "watch: $per_min s CPU per minute, $rss MiB peak RSS; host $((h1 - h0)) / $((a1 - a0)) ticks"
row "wm-run start between ticks (the watch every 60 s): its CPU per minute, peak RSS (load $l0)" \
	"$per_min s, $rss MiB" "-" "-" "-" "-"
row "wm-run start: the world's host CPU over 60 s, with it / without it" \
	"$(awk -v a=$((h1 - h0)) -v b=$((a1 - a0)) -v hz="$hz" 'BEGIN { printf "%.2f s / %.2f s", a / hz, b / hz }')" \
	"-" "-" "-" "-"

# 3. a compressed day
rm -rf "$WM_STATE_DIR"
l0=$(load)
/usr/bin/time -f '%e %U %S %M' -o "$tmp/day" \
	"$build/src/wm-run" start -t world-ssh --config "$tmp/wm.conf" --time-scale=480 \
	>"$tmp/day.out" 2>&1 || true
ticks=$(grep -c '"type":"tick_end"' "$WM_STATE_DIR"/runs/*/*/journal* 2>/dev/null || echo "?")
read -r wall u s m <"$tmp/day"
echo "compressed day: $wall s wall, $u + $s s CPU, $((m / 1024)) MiB, ticks $ticks"
row "wm-run start --time-scale=480: a compressed day ($wall s wall, load $l0 to $(load)), CPU and peak RSS" \
	"$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f s", u + s }'), $((m / 1024)) MiB" "-" "-" "-" "-"
