#!/bin/bash
# percentiles.sh - benchmark B3 (DESIGN §8): the p99 of N samples with the
# sketch (bench/percentiles, lib/model/sketch.h) against `sort -n | awk` on the
# same file, in one run: wall and CPU time, the relative error of the
# sketch's p99 against the exact one that sort gives, and the peak RSS of
# both at two sizes (ours must not grow with N).
#
#   bench/percentiles.sh [BUILD_DIR] [ROWS]   (BUILD_DIR default: ., a build
#                                              without sanitizers)
#   BENCH_N="1000000 10000000" BENCH_DIR=/var/tmp
#
# The input: lognormal response times in ms, three decimals, one per line
# (bench/percentiles --generate; ~8 bytes a line).  sort runs with LC_ALL=C
# (its fastest comparison) and its default buffer and threads; awk prints
# the line of nearest rank ceil(0.99 N), the same element as the sketch's
# rank floor(0.99 (N-1)) (0-based).  Page cache warm for both: the file is
# read once before timing.  For bench/run: ROWS gets tab-separated rows.
set -eu
build=${1:-.}
rows=${2:-/dev/null}
bin=$build/bench/percentiles
sizes=${BENCH_N:-1000000 10000000}
dir=${BENCH_DIR:-/var/tmp}
[ -x "$bin" ] || { echo "percentiles.sh: no $bin (make check builds it)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "percentiles.sh: /usr/bin/time is missing (Debian package time)" >&2; exit 1; }
work=$(mktemp -d "$dir/wm-bench-pct.XXXXXX")
trap 'rm -rf "$work"' EXIT

# time_of OUT CMD...: run CMD (stdout to OUT.out), "wall user+sys maxrss_kib" to OUT.
time_of() {
	local out=$1; shift
	/usr/bin/time -f '%e %U %S %M' -o "$out.t" "$@" >"$out.out"
	awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$out.t" >"$out"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }'; }

for n in $sizes; do
	f=$work/samples.$n
	"$bin" --generate "$n" 42 >"$f"
	cat "$f" >/dev/null
	k=$(awk -v n="$n" 'BEGIN { k = 0.99 * n; if (k > int(k)) k = int(k) + 1; print k }')
	time_of "$work/ours.$n" "$bin" "$f" 0.99
	time_of "$work/sort.$n" env LC_ALL=C bash -c 'sort -n "$1" | awk -v k="$2" "NR == k { print; exit }"' _ "$f" "$k"
	read -r ow oc orss <"$work/ours.$n"
	read -r sw sc srss <"$work/sort.$n"
	mine=$(awk '{ print $4 }' "$work/ours.$n.out")
	exact=$(cat "$work/sort.$n.out")
	err=$(awk -v a="$mine" -v b="$exact" 'BEGIN { d = (a - b) / b; if (d < 0) d = -d; printf "%.3f", 100 * d }')
	# the budget is stated for 10 M samples: judge that size only
	met=$(awk -v r="$(awk -v a="$sw" -v b="$ow" 'BEGIN { print (b > 0 ? a / b : 0) }')" -v n="$n" \
		'BEGIN { print (n < 1e7 ? "-" : r >= 20 ? "yes" : "NO") }')
	budget=$([ "$n" -ge 10000000 ] && echo ">= 20x" || echo "-")
	label=$(awk -v n="$n" 'BEGIN { if (n >= 1e6) printf "%g M", n / 1e6; else printf "%d", n }')
	echo "N=$n: sketch p99 $mine ms in ${ow} s (cpu ${oc} s, rss ${orss} KiB); sort|awk p99 $exact ms in ${sw} s (cpu ${sc} s, rss ${srss} KiB); error ${err} %"
	printf 'percentiles: p99 of %s samples, wall, sketch vs sort -n | awk\t%s s\t%s s\t%s\t%s\t%s\n' \
		"$label" "$ow" "$sw" "$(ratio "$sw" "$ow")" "$budget" "$met" >>"$rows"
	printf 'percentiles: p99 of %s samples, user+sys CPU, same\t%s s\t%s s\t%s\t-\t-\n' \
		"$label" "$oc" "$sc" "$(ratio "$sc" "$oc")" >>"$rows"
	printf 'percentiles: p99 of %s samples, value (relative error)\t%s ms (%s %%)\t%s ms (exact)\t-\t<= 1 %%\t%s\n' \
		"$label" "$mine" "$err" "$exact" "$(awk -v e="$err" 'BEGIN { print (e <= 1 ? "yes" : "NO") }')" >>"$rows"
	printf 'percentiles: p99 of %s samples, max RSS\t%.1f MiB\t%.1f MiB\t-\tconstant in N\t-\n' \
		"$label" "$(awk -v k="$orss" 'BEGIN { print k / 1024 }')" \
		"$(awk -v k="$srss" 'BEGIN { print k / 1024 }')" >>"$rows"
	rm -f "$f"
done
