#!/bin/bash
# logs.sh - B2: wm-errors' classification against the runbook's grep on the
# same bytes, in CPU time on one core, on two inputs: the generated stream of
# genlogs.sh and a stream of the real public logs (reallogs.sh).  The
# commands run interleaved (grep, ours, ours with groups, grep, ...),
# BENCH_LOGS_RUNS times each; medians, and the load average at each run.
#
#   bench/logs.sh BUILD_DIR [ROWS]
#
# Environment: BENCH_LOGS_RUNS (5), BENCH_DIR (/var/tmp: where the inputs
# are built and kept between runs), BENCH_GEN_MB (200), BENCH_REAL_MB (1024),
# BENCH_BASE (another wm-errors, e.g. main's, measured in the same loop),
# BENCH_CALLGRIND (1: instruction counts on 10 MiB of each input).
# grep's output goes to a file: to /dev/null GNU grep stops at the first match.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$1
rows=${2:-}
bin=$build/src/wm-errors
base=${BENCH_BASE:-}
runs=${BENCH_LOGS_RUNS:-5}
dir=${BENCH_DIR:-/var/tmp}
[ -x "$bin" ] || { echo "logs.sh: no wm-errors at $bin" >&2; exit 1; }
tmp=$(mktemp -d "$dir/wm-bench-logs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

gen=$dir/wm-bench-gen-${BENCH_GEN_MB:-200}.log
real=$dir/wm-bench-real-${BENCH_REAL_MB:-1024}.log
[ -s "$gen" ] || "$here/genlogs.sh" "$gen" "${BENCH_GEN_MB:-200}"
[ -s "$real" ] || "$here/reallogs.sh" "$real" "${BENCH_REAL_MB:-1024}" >/dev/null

# one run: "wall cpu rss" (s, s, KiB)
one() {
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/t" "$@" >"$tmp/out" 2>/dev/null || true
	tail -1 "$tmp/t" | awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }'
}
med() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b ? "yes" : "NO") }'; }
row() { [ -z "$rows" ] || printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$rows"; }

for input in "$gen" "$real"; do
	name=generated
	[ "$input" = "$real" ] && name=real
	mb=$(($(stat -L -c %s "$input") / 1048576))
	lines=$(wc -l <"$input")
	cat "$input" >/dev/null # page cache, for all alike
	printf '\n%s: %s (%s MiB, %s lines), %s runs interleaved\n' "$name" "$input" "$mb" "$lines" "$runs"
	printf '%-5s %-34s %8s %8s %9s   %s\n' run command wall user+sys "RSS KiB" "load average"
	: >"$tmp/res"
	for r in $(seq "$runs"); do
		for c in "grep|grep -ciE 'error|critical|fatal'|grep -ciE error|critical|fatal" \
			"top0|wm-errors --top 0|$bin --file $input --format=nagios --top 0" \
			"groups|wm-errors (groups)|$bin --file $input --format=nagios" \
			${base:+"base|base wm-errors --top 0|$base --file $input --format=nagios --top 0"}; do
			key=${c%%|*}
			rest=${c#*|}
			label=${rest%%|*}
			cmd=${rest#*|}
			if [ "$key" = grep ]; then
				res=$(one grep -ciE 'error|critical|fatal' "$input")
			else
				# shellcheck disable=SC2086 # the command's words
				res=$(one $cmd)
			fi
			load=$(cut -d' ' -f1 /proc/loadavg)
			echo "$key $res $load" >>"$tmp/res"
			printf '%-5s %-34s %8s %8s %9s   %s\n' "$r" "$label" $res "$load"
		done
	done
	m() { awk -v k="$1" -v f="$2" '$1 == k { print $f }' "$tmp/res" | med; }
	loads=$(awk '{ print $5 }' "$tmp/res" | sort -n | sed -n '1p;$p' | paste -sd- - | sed 's/-/ to /')
	g_cpu=$(m grep 3) c_cpu=$(m top0 3) k_cpu=$(m groups 3)
	g_wall=$(m grep 2) c_wall=$(m top0 2)
	g_rss=$(m grep 4) k_rss=$(m groups 4)
	printf 'medians: grep %s s, --top 0 %s s, groups %s s CPU; load %s\n' "$g_cpu" "$c_cpu" "$k_cpu" "$loads"
	what="logs $name $mb MiB ($runs runs, load $loads)"
	row "$what: user+sys CPU, wm-errors --top 0 vs grep -ciE" "$c_cpu s" "$g_cpu s" \
		"$(ratio "$g_cpu" "$c_cpu")" "<= grep" "$(le "$c_cpu" "$g_cpu")"
	row "$what: user+sys CPU, wm-errors with groups vs grep" "$k_cpu s" "$g_cpu s" \
		"$(ratio "$g_cpu" "$k_cpu")" "-" "-"
	if [ -n "$base" ]; then
		b_cpu=$(m base 3)
		row "$what: user+sys CPU, wm-errors --top 0 vs BENCH_BASE's" "$c_cpu s" "$b_cpu s" \
			"$(ratio "$b_cpu" "$c_cpu")" "-" "-"
	fi
	row "$what: wall, wm-errors --top 0 vs grep" "$c_wall s" "$g_wall s" \
		"$(ratio "$g_wall" "$c_wall")" "-" "-"
	row "$what: max RSS, wm-errors with groups vs grep" "$((k_rss / 1024)) MiB" "$((g_rss / 1024)) MiB" \
		"-" "< 16 MiB" "$([ "$k_rss" -lt 16384 ] && echo yes || echo NO)"
	# every core: one stream per service (as the Engine API gives them),
	# one wm-errors each, all at once; the wall time of the whole
	awk -v d="$tmp" -F ' *[|] ' '{ n = $1; gsub(/[^A-Za-z0-9_.-]/, "_", n); print > (d "/svc-" n) }' "$input"
	nsvc=$(find "$tmp" -name 'svc-*' | wc -l)
	cat "$tmp"/svc-* >/dev/null
	: >"$tmp/par"
	for _ in $(seq "$runs"); do
		s0=$(date +%s.%N)
		for f in "$tmp"/svc-*; do "$bin" --file "$f" --format=nagios --top 0 >/dev/null 2>&1 & done
		wait
		s1=$(date +%s.%N)
		g=$(one grep -ciE 'error|critical|fatal' "$input")
		awk -v a="$s0" -v b="$s1" -v g="$g" 'BEGIN { split(g, x, " "); printf "%.2f %s\n", b - a, x[1] }' >>"$tmp/par"
	done
	p_wall=$(awk '{ print $1 }' "$tmp/par" | med) pg_wall=$(awk '{ print $2 }' "$tmp/par" | med)
	printf 'one wm-errors per service (%s streams) at once: %s s wall; grep %s s\n' "$nsvc" "$p_wall" "$pg_wall"
	row "$what: wall, one wm-errors --top 0 per service ($nsvc streams) on $(nproc) cores vs grep on one" \
		"$p_wall s" "$pg_wall s" "$(ratio "$pg_wall" "$p_wall")" "-" "-"
	rm -f "$tmp"/svc-*
	if [ "${BENCH_CALLGRIND:-1}" = 1 ]; then
		head -c $((10 * 1048576)) "$input" | sed '$d' >"$tmp/small"
		irs() {
			valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >"$tmp/out" |
				sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
		}
		g_ir=$(irs grep -ciE 'error|critical|fatal' "$tmp/small")
		c_ir=$(irs "$bin" --file "$tmp/small" --format=nagios --top 0)
		k_ir=$(irs "$bin" --file "$tmp/small" --format=nagios)
		printf 'instructions on 10 MiB: grep %s, --top 0 %s, groups %s\n' "$g_ir" "$c_ir" "$k_ir"
		mi() { awk -v i="$1" 'BEGIN { printf "%.1f M", i / 1e6 }'; }
		row "logs $name, first 10 MiB: instructions (callgrind), wm-errors --top 0 vs grep" \
			"$(mi "$c_ir")" "$(mi "$g_ir")" "$(ratio "$g_ir" "$c_ir")" "<= grep" "$(le "$c_ir" "$g_ir")"
		row "logs $name, first 10 MiB: instructions, wm-errors with groups vs grep" \
			"$(mi "$k_ir")" "$(mi "$g_ir")" "$(ratio "$g_ir" "$k_ir")" "-" "-"
	fi
done
