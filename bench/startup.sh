#!/bin/bash
# bench/startup.sh - start-up time of every program: --version and --help,
# hyperfine -N (no shell) with many runs.  DESIGN §8: under 5 ms each.
#
#   bench/startup.sh BUILD_DIR [ROWS_FILE]     BENCH_STARTUP_RUNS (default 200)
#
# The row gives the median (the machine is shared: the mean carries other
# jobs' preemptions) and the minimum; the budget is judged on the median.
# With valgrind installed, the row also gives callgrind's instruction count
# of one run, which does not depend on the load.
set -euo pipefail
build=${1:?usage: startup.sh BUILD_DIR [ROWS_FILE]}
rows=${2:-/dev/null}
runs=${BENCH_STARTUP_RUNS:-200}
tmp=$(mktemp -d /tmp/wm-bench-startup.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
progs=$(cd "$build/src" && ls wm-* | grep -v '\.o$' | sort)
[ -n "$progs" ] || { echo "startup.sh: no programs in $build/src" >&2; exit 1; }
for p in $progs; do
	[ -x "$build/src/$p" ] || continue
	for opt in --version --help; do
		hyperfine -N --warmup 10 --runs "$runs" --export-json "$tmp/j" -n "$p $opt" \
			"$build/src/$p $opt" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
		med=$(jq '.results[0].median * 1000' "$tmp/j")
		min=$(jq '.results[0].min * 1000' "$tmp/j")
		ir=""
		if command -v valgrind >/dev/null; then
			ir=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$build/src/$p" "$opt" 2>&1 >"$tmp/out" |
				sed -n 's/.*Collected : *\([0-9]*\).*/\1/p')
			ir=$(awk -v i="$ir" 'BEGIN { printf ", %.2f M instr", i / 1e6 }')
		fi
		awk -v w="start-up: $p $opt" -v med="$med" -v min="$min" -v ir="$ir" 'BEGIN {
			printf "%s\t%.2f ms median (min %.2f%s)\t-\t-\t< 5 ms\t%s\n", w, med, min, ir, (med < 5 ? "yes" : "NO")
		}' | tee -a "$rows"
	done
done
