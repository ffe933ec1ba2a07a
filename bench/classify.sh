#!/bin/bash
# classify.sh - wm-errors' classification against the runbook's grep on the
# same bytes: time and maximum RSS, one run of each, side by side.
#
#   bench/classify.sh [WM_ERRORS]      (default: ./src/wm-errors of the cwd)
#   BENCH_MB=200 BENCH_DIR=/tmp        size and place of the generated input
#
# The input is `docker compose logs --timestamps` of five services, cycled
# from the line formats of tests/fixtures/logs (winston JSON with escaped
# stack traces, pino, nginx access/error, PostgreSQL, Redis, plain text),
# with the numbers varied within a 4 MiB block that is then repeated.
# Build wm-errors without sanitizers for this (./configure without
# --enable-sanitizers; the default -O2).
# For bench/run: BENCH_ROWS=FILE appends tab-separated rows (what, ours,
# alternative, ratio, budget, met); BENCH_CALLGRIND=1 adds instruction counts
# (valgrind --tool=callgrind) on the first 4 MiB, repeatable on a busy machine.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-./src/wm-errors}
mb=${BENCH_MB:-200}
dir=${BENCH_DIR:-/tmp}
[ -x "$bin" ] || { echo "classify.sh: no wm-errors at $bin" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "classify.sh: /usr/bin/time is missing (Debian package time)" >&2; exit 1; }
input=$(mktemp "$dir/wm-bench-logs.XXXXXX")
trap 'rm -f "$input" "$input".*' EXIT

"$here/genlogs.sh" "$input" "$mb"
size=$(stat -c %s "$input")
lines=$(wc -l <"$input")
cat "$input" >/dev/null # warm the page cache for both

measure() {
	local label=$1; shift
	/usr/bin/time -v "$@" >"$input.out" 2>"$input.time" || true
	local wall cpu rss
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$input.time")
	cpu=$(awk -F': ' '/User time|System time/ { t += $2 } END { printf "%.2f", t }' "$input.time")
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$input.time")
	printf '%-46s %8s %8s s %8s KiB   %s\n' "$label" "$wall" "$cpu" "$rss" "$(head -c 40 "$input.out" | tr '\n' ' ')"
	# For the rows: wall in seconds (time -v prints m:ss.ss), CPU, RSS.
	m_wall=$(echo "$wall" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }')
	m_cpu=$cpu m_rss=$rss
}

printf 'input: %s bytes, %s lines (%s MiB)\n' "$size" "$lines" "$mb"
printf '%-46s %8s %10s %12s\n' "command" "wall" "user+sys" "max RSS"
measure "grep -ciE 'error|critical|fatal'" grep -ciE 'error|critical|fatal' "$input"
g_wall=$m_wall g_cpu=$m_cpu g_rss=$m_rss
measure "wm-errors --top 0 (counts per service, level)" "$bin" --file "$input" --format=nagios --top 0
c_wall=$m_wall c_cpu=$m_cpu c_rss=$m_rss
measure "wm-errors (counts + top-k groups)" "$bin" --file "$input" --format=nagios
rm -f "$input.out" "$input.time"
[ -n "${BENCH_ROWS:-}" ] || exit 0

# row WHAT OURS ALT BUDGET-TEXT RATIO MET
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$5" "$4" "$6" >>"$BENCH_ROWS"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b ? "yes" : "NO") }'; }
row "classify ${mb} MiB: wall, wm-errors --top 0 vs grep -ciE" "${c_wall} s" "${g_wall} s" \
	"<= grep" "$(ratio "$g_wall" "$c_wall")" "$(le "$c_wall" "$g_wall")"
row "classify ${mb} MiB: user+sys CPU, same" "${c_cpu} s" "${g_cpu} s" \
	"<= grep" "$(ratio "$g_cpu" "$c_cpu")" "$(le "$c_cpu" "$g_cpu")"
row "classify ${mb} MiB: wall, wm-errors with top-k groups vs grep" "${m_wall} s" "${g_wall} s" \
	"-" "$(ratio "$g_wall" "$m_wall")" "-"
row "classify ${mb} MiB: max RSS, wm-errors (counts + groups) vs grep" "$((m_rss / 1024)).$((m_rss % 1024 * 10 / 1024)) MiB" \
	"$((g_rss / 1024)).$((g_rss % 1024 * 10 / 1024)) MiB" "< 16 MiB" "-" "$( [ "$m_rss" -lt 16384 ] && [ "$c_rss" -lt 16384 ] && echo yes || echo NO)"
[ "${BENCH_CALLGRIND:-0}" = 1 ] || exit 0
# Instructions on the first 4 MiB (the repeated block): independent of load.
# Output to a file, not /dev/null: grep stops at the first match for that.
head -c $((4 * 1024 * 1024)) "$input" | sed '$d' >"$input.small"
irs() {
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >"$input.out" |
		sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}
g_ir=$(irs grep -ciE 'error|critical|fatal' "$input.small")
c_ir=$(irs "$bin" --file "$input.small" --format=nagios --top 0)
row "classify 4 MiB: instructions (callgrind), wm-errors --top 0 vs grep" \
	"$(awk -v i="$c_ir" 'BEGIN { printf "%.0f M", i / 1e6 }')" "$(awk -v i="$g_ir" 'BEGIN { printf "%.0f M", i / 1e6 }')" \
	"<= grep" "$(ratio "$g_ir" "$c_ir")" "$(le "$c_ir" "$g_ir")"
