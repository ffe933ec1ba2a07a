#!/bin/bash
# growth.sh - B6: how wm-errors' cost grows with a service's log, over the
# Engine API of the test world's engine (loopback, its own socket).
#
#   WM_WORLD_DIR=... WM_WORLD_PORT_BASE=... bench/growth.sh BUILD_DIR [ROWS]
#
# (1) The window grows: a bench container logs N lines (BENCH_GROWTH_LINES,
#     default "10000 100000 1000000"), all inside --since 4h: wm-errors'
#     wall time, CPU and max RSS per size, beside the runbook's
#     `docker logs --since 4h C | grep -ciE` on the same container.
# (2) The log before the window grows: a container logs OLDER MiB
#     (BENCH_GROWTH_OLDER_MB, default "1 10 100"), pauses, then 10 000 lines;
#     the window starts after the pause.  wm-errors with the tail bound of
#     lib/clients/docker_logs.c against BENCH_BASE (a wm-errors without it,
#     e.g. built from main before it) when given: our time and dockerd's CPU
#     time (its /proc utime+stime around each run).
# The containers get json-file limits that hold it all (max-size=1g) and are
# removed at the end.  Runs interleaved, BENCH_GROWTH_RUNS (default 3)
# times; medians.  The world must be up.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=${1:?usage: growth.sh BUILD_DIR [ROWS]}
rows=${2:-}
bin=$build/src/wm-errors
base=${BENCH_BASE:-}
runs=${BENCH_GROWTH_RUNS:-3}
W=$top/tests/world/world
eval "$("$W" env)"
tmp=$(mktemp -d /var/tmp/wm-bench-growth.XXXXXX)
names=()
cleanup() {
	for c in "${names[@]}"; do docker rm -f "$c" >/dev/null 2>&1 || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT
"$W" config >"$tmp/wm.conf"
export WM_STATE_DIR=$tmp/state
dpid=$(cat "$WM_WORLD_DIR/docker.pid")
hz=$(getconf CLK_TCK)

# Log lines: the real logs without their compose prefix, cycled.
"$here/reallogs.sh" "$tmp/real" 8 >/dev/null
sed 's/^[^|]*| //' "$tmp/real" | tr -d '\r' | grep -v '^$' >"$tmp/lines"
rm -f "$tmp/real"
# lines N FILE: the first N lines of the cycle; mib M FILE: M MiB of them
lines() { awk -v n="$1" '{ a[NR] = $0 } END { for (i = 0; i < n; i++) print a[i % NR + 1] }' "$tmp/lines" >"$2"; }
mib() {
	awk -v b=$(($1 * 1048576)) '{ a[NR] = $0 }
		END { for (i = 0; t + length(a[i % NR + 1]) + 1 <= b; i++) { print a[i % NR + 1]; t += length(a[i % NR + 1]) + 1 } }' "$tmp/lines" >"$2"
}

# container NAME OLDER WINDOW: logs OLDER, sleeps 2 s, logs WINDOW and a mark
container() {
	local name=$1
	names+=("$name")
	docker rm -f "$name" >/dev/null 2>&1 || true
	echo "wm-bench-end" >>"$3"
	docker run -d --name "$name" --network none \
		--label com.docker.compose.project=warungin --label "com.docker.compose.service=$name" \
		--label com.docker.compose.oneoff=False \
		-v /usr:/usr:ro -v /lib:/lib:ro -v /lib64:/lib64:ro -v /bin:/bin:ro -v "$tmp:$tmp:ro" \
		--log-driver json-file --log-opt max-size=1g --log-opt max-file=1 \
		wm-world/empty:1 /bin/sh -c "cat $2; sleep 2; cat $3; exec sleep 100000" >/dev/null
	until docker logs --tail 1 "$name" 2>&1 | grep -q wm-bench-end; do sleep 1; done
}
cpu_dockerd() { awk '{ print $14 + $15 }' "/proc/$dpid/stat"; }
# measure LABEL CMD...: "wall cpu rss dockerd_cpu" (s s KiB s)
measure() {
	local d0 d1
	d0=$(cpu_dockerd)
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/t" "$@" >"$tmp/out" 2>"$tmp/err" || true
	d1=$(cpu_dockerd)
	tail -1 "$tmp/t" | awk -v d=$((d1 - d0)) -v hz="$hz" '{ printf "%s %.2f %s %.2f\n", $1, $2 + $3, $4, d / hz }'
}
med() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
row() { [ -z "$rows" ] || printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$rows"; }
# ours WM_ERRORS SINCE SERVICE: the command line
ours() { echo "$1 -t world --config $tmp/wm.conf --since=$2 --top 0 --format=json --timeout 120 $3"; }

printf '(1) the window grows: --since 4h, every line in it\n'
printf '%-10s %-28s %7s %7s %9s %8s  %s\n' lines command wall cpu "RSS KiB" dockerd load
: >"$tmp/empty"
for n in ${BENCH_GROWTH_LINES:-10000 100000 1000000}; do
	lines "$n" "$tmp/w$n"
	container "wm-bench-w$n" "$tmp/empty" "$tmp/w$n"
	: >"$tmp/res"
	for _ in $(seq "$runs"); do
		# shellcheck disable=SC2046 # the command line's words
		r=$(measure $(ours "$bin" 4h "wm-bench-w$n"))
		echo "ours $r" >>"$tmp/res"
		printf '%-10s %-28s %7s %7s %9s %8s  %s\n' "$n" "wm-errors --since 4h" $r "$(cut -d' ' -f1 /proc/loadavg)"
		grep -q "\"lines\"" "$tmp/out" || { echo "growth.sh: wm-errors said:"; cat "$tmp/err" "$tmp/out"; } >&2
		r=$(measure sh -c "docker logs --since 4h wm-bench-w$n 2>&1 | grep -ciE 'error|critical|fatal'")
		echo "grep $r" >>"$tmp/res"
		printf '%-10s %-28s %7s %7s %9s %8s  %s\n' "$n" "docker logs | grep -ciE" $r "$(cut -d' ' -f1 /proc/loadavg)"
	done
	m() { awk -v k="$1" -v f="$2" '$1 == k { print $f }' "$tmp/res" | med; }
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	row "growth: wm-errors --since 4h, $n lines in the window: wall / CPU / max RSS / dockerd CPU (load $load)" \
		"$(m ours 2) s / $(m ours 3) s / $(($(m ours 4) / 1024)) MiB / $(m ours 5) s" \
		"$(m grep 2) s / - / - / $(m grep 5) s (docker logs | grep)" "-" "linear in the window, constant memory" "-"
	docker rm -f "wm-bench-w$n" >/dev/null
	rm -f "$tmp/w$n"
done

printf '\n(2) the log before a fixed window grows (window: 10000 lines)\n'
printf '%-10s %-28s %7s %7s %9s %8s  %s\n' older command wall cpu "RSS KiB" dockerd load
lines 10000 "$tmp/window"
for mb in ${BENCH_GROWTH_OLDER_MB:-1 10 100}; do
	mib "$mb" "$tmp/o$mb"
	cp "$tmp/window" "$tmp/win$mb"
	container "wm-bench-o$mb" "$tmp/o$mb" "$tmp/win$mb"
	# the window starts after the last older line (the pause is 2 s)
	last=$(docker logs --timestamps --tail 10002 "wm-bench-o$mb" 2>&1 | awk 'NR == 1 { print $1 }')
	since=$(($(date -d "$last" +%s) + 1))
	: >"$tmp/res"
	for _ in $(seq "$runs"); do
		for b in ours ${base:+base}; do
			exe=$bin
			[ "$b" = base ] && exe=$base
			# shellcheck disable=SC2046
			r=$(measure $(ours "$exe" "$since" "wm-bench-o$mb"))
			lc=$(grep -o '"lines":[0-9]*' "$tmp/out" | tail -1 | cut -d: -f2)
			echo "$b $r $lc" >>"$tmp/res"
			printf '%-10s %-28s %7s %7s %9s %8s  %s  lines %s\n' "$mb MiB" "$b wm-errors --since" $r "$(cut -d' ' -f1 /proc/loadavg)" "$lc"
			grep -q '"lines"' "$tmp/out" || { echo "growth.sh: $b said:"; cat "$tmp/err" "$tmp/out"; } >&2
		done
	done
	m() { awk -v k="$1" -v f="$2" '$1 == k { print $f }' "$tmp/res" | med; }
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	alt="-"
	[ -z "$base" ] || alt="$(m base 2) s / $(m base 5) s (without the tail bound)"
	if [ -n "$base" ] && [ "$(m ours 6)" != "$(m base 6)" ]; then
		echo "growth.sh: lines in the window differ: ours $(m ours 6), base $(m base 6)" >&2
		alt="$alt; lines DIFFER: $(m ours 6) vs $(m base 6)"
	fi
	row "growth: fixed window of 10000 lines after $mb MiB of older log: wall / dockerd CPU (load $load)" \
		"$(m ours 2) s / $(m ours 5) s ($(m ours 6) lines)" "$alt" "-" "constant in the older log" "-"
	docker rm -f "wm-bench-o$mb" >/dev/null
	rm -f "$tmp/o$mb"
done
