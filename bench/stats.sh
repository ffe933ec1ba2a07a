#!/bin/bash
# stats.sh - the cost of a container's CPU and memory numbers, three ways,
# on the test world's engine (20.10), each for all running containers of the
# project at once (as wm-services asks them, in parallel):
#   stream=false                 GET /containers/ID/stats?stream=false
#   one-shot                     ... &one-shot=true (API >= 1.41)
#   cgroup counters              cpuacct.usage + memory.usage_in_bytes (v1)
#                                or cpu.stat + memory.current (v2), read with
#                                one `cat` (over ssh: one exec channel)
# Wall time (medians of BENCH_STATS_RUNS, default 5) and dockerd's CPU.
#
#   WM_WORLD_DIR=... WM_WORLD_PORT_BASE=... bench/stats.sh [ROWS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
rows=${1:-}
runs=${BENCH_STATS_RUNS:-5}
eval "$("$top/tests/world/world" env)"
sock=$WM_WORLD_DOCKER_SOCKET
dpid=$(cat "$WM_WORLD_DIR/docker.pid")
hz=$(getconf CLK_TCK)
api=$(curl -s --unix-socket "$sock" http://d/version | jq -r .ApiVersion)
mapfile -t ids < <(curl -s --unix-socket "$sock" -G http://d/v"$api"/containers/json \
	--data-urlencode 'filters={"label":["com.docker.compose.project=warungin"]}' | jq -r '.[].Id')
# the cgroup files of each container (v1: per controller; v2: one directory)
files=()
for id in "${ids[@]}"; do
	if [ -d /sys/fs/cgroup/cpuacct/docker/"$id" ]; then
		files+=(/sys/fs/cgroup/cpuacct/docker/"$id"/cpuacct.usage /sys/fs/cgroup/memory/docker/"$id"/memory.usage_in_bytes)
	else
		g=$(find /sys/fs/cgroup -maxdepth 3 -type d -name "*$id*" | head -1)
		files+=("$g/cpu.stat" "$g/memory.current")
	fi
done
way() {
	case $1 in
	stream) for id in "${ids[@]}"; do curl -s --unix-socket "$sock" "http://d/v$api/containers/$id/stats?stream=false" >/dev/null & done; wait ;;
	oneshot) for id in "${ids[@]}"; do curl -s --unix-socket "$sock" "http://d/v$api/containers/$id/stats?stream=false&one-shot=true" >/dev/null & done; wait ;;
	cgroup) cat "${files[@]}" >/dev/null ;;
	esac
}
: >/tmp/wm-bench-stats.$$
trap 'rm -f /tmp/wm-bench-stats.$$' EXIT
printf '%-8s %8s %10s\n' way wall "dockerd CPU"
for _ in $(seq "$runs"); do
	for w in stream oneshot cgroup; do
		d0=$(awk '{ print $14 + $15 }' "/proc/$dpid/stat")
		s0=$(date +%s.%N)
		way "$w"
		s1=$(date +%s.%N)
		d1=$(awk '{ print $14 + $15 }' "/proc/$dpid/stat")
		r=$(awk -v a="$s0" -v b="$s1" -v d=$((d1 - d0)) -v hz="$hz" 'BEGIN { printf "%.3f %.2f", b - a, d / hz }')
		echo "$w $r" >>/tmp/wm-bench-stats.$$
		printf '%-8s %8s %10s\n' "$w" $r
	done
done
med() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
m() { awk -v w="$1" -v f="$2" '$1 == w { print $f }' /tmp/wm-bench-stats.$$ | med; }
load=$(cut -d' ' -f1-3 /proc/loadavg)
for w in stream oneshot cgroup; do
	case $w in
	stream) l="stats?stream=false" ;;
	oneshot) l="stats?stream=false&one-shot=true" ;;
	cgroup) l="cgroup counters (one cat of ${#files[@]} files)" ;;
	esac
	[ -z "$rows" ] || printf 'CPU/memory of %s containers at once: %s (load %s)\t%s s wall, dockerd %s s CPU\t-\t-\t-\t-\n' \
		"${#ids[@]}" "$l" "$load" "$(m "$w" 2)" "$(m "$w" 3)" >>"$rows"
done
