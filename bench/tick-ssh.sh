#!/bin/bash
# bench/tick-ssh.sh - a comprehensive check over ssh (wm-services --stats
# --disk, wm-errors --since 4h, wm-cache, wm-db) against the runbook's way of
# asking the same questions: (a) one `ssh` per command, (b) the same commands
# over a reused OpenSSH ControlMaster connection.  Loopback world only.
#
#   WM_WORLD_DIR=/var/tmp/wm-world-bench WM_WORLD_PORT_BASE=26000 \
#       bench/tick-ssh.sh BUILD_DIR [ROWS_FILE]
#
# The world must be up (bench/run brings it up and down).  Needs hyperfine.
# Prints hyperfine's tables; with ROWS_FILE, appends one tab-separated row per
# comparison (what, ours, alternative, ratio, budget, met) for bench/run.
# BENCH_RUNS (default 3, after one warm-up) runs of the whole tick, BENCH_AREA_RUNS (default 1, no warm-up)
# of each area.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=${1:?usage: tick-ssh.sh BUILD_DIR [ROWS_FILE]}
rows=${2:-/dev/null}
runs=${BENCH_RUNS:-3}
area_runs=${BENCH_AREA_RUNS:-1}
W=$top/tests/world/world
for p in wm-services wm-errors wm-cache wm-db; do
	[ -x "$build/src/$p" ] || { echo "tick-ssh.sh: no $build/src/$p (build first)" >&2; exit 1; }
done
command -v hyperfine >/dev/null || { echo "tick-ssh.sh: hyperfine is missing (scripts/deps)" >&2; exit 1; }
eval "$("$W" env)"
tmp=$(mktemp -d /tmp/wm-bench-tick.XXXXXX)
ctl=$tmp/ctl
cleanup() {
	ssh -S "$ctl" -O exit x >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
"$W" config >"$tmp/wm.conf"
export WM_STATE_DIR=$tmp/state

ssh_opts="-i $WM_WORLD_SSH_KEY -p $WM_WORLD_SSH_PORT -o UserKnownHostsFile=$WM_WORLD_SSH_KNOWN_HOSTS
	-o StrictHostKeyChecking=yes -o BatchMode=yes -o IdentitiesOnly=yes"
dest=$WM_WORLD_SSH_USER@$WM_WORLD_SSH_HOST
# shellcheck source=bench/runbook.sh
. "$here/runbook.sh"

# shell_script NAME EXTRA_SSH_OPTS CMDS...: one ssh per command, in sequence.
shell_script() {
	local f=$tmp/$1 extra=$2 c; shift 2
	{
		echo "#!/bin/bash"
		echo "set -e"
		for c in "$@"; do
			# shellcheck disable=SC2086
			printf 'ssh %s %s %q %q >/dev/null\n' "$(echo $ssh_opts)" "$extra" "$dest" "$c"
		done
	} >"$f"
	chmod +x "$f"
}
# ours_script NAME COMMANDS...: our programs in sequence, exit status ignored
# (a CRITICAL finding is a result, not a failure of the benchmark).
ours_script() {
	local f=$tmp/$1 c; shift
	{
		echo "#!/bin/bash"
		for c in "$@"; do
			echo "$build/src/$c --config $tmp/wm.conf -t world-ssh --format=nagios >/dev/null; [ \$? -lt 3 ] || exit 3"
		done
	} >"$f"
	chmod +x "$f"
}
for area in services errors cache db all nostats; do
	eval 'cmds=("${'"$area"'_cmds[@]}")'
	shell_script "$area-ssh" "" "${cmds[@]}"
	shell_script "$area-cm" "-S $ctl" "${cmds[@]}"
done
ours_script services-ours "wm-services --stats --disk"
ours_script errors-ours "wm-errors --since 4h"
ours_script cache-ours "wm-cache"
ours_script db-ours "wm-db"
ours_script all-ours "wm-services --stats --disk" "wm-errors --since 4h" "wm-cache" "wm-db"
ours_script nostats-ours "wm-services --disk" "wm-errors --since 4h" "wm-cache" "wm-db"

# The ControlMaster is set up once, outside the timing (its best case).
# shellcheck disable=SC2086
ssh $ssh_opts -M -S "$ctl" -o ControlPersist=900 -fN "$dest"
# Every command must work before it is timed, else we would time failures.
for f in "$tmp"/all-ssh "$tmp"/all-cm "$tmp"/all-ours; do
	"$f" || { echo "tick-ssh.sh: $f failed" >&2; exit 1; }
done

# bench AREA RUNS: hyperfine of ours, (a) and (b); rows for bench/run.
bench() {
	local area=$1 n=$2 label=$3 json=$tmp/$1.json warm=1
	[ -n "$4" ] || warm=0
	hyperfine -N --warmup "$warm" --runs "$n" --export-json "$json" \
		-n "ours: $label" "$tmp/$area-ours" \
		-n "(a) ssh per command (${#cmds[@]} ssh)" "$tmp/$area-ssh" \
		-n "(b) same over ControlMaster" "$tmp/$area-cm"
	local o a b
	o=$(jq '.results[0].median' "$json")
	a=$(jq '.results[1].median' "$json")
	b=$(jq '.results[2].median' "$json")
	awk -v l="$label" -v o="$o" -v a="$a" -v b="$b" -v full="$4" 'BEGIN {
		ra = a / o; rb = b / o
		if (full) {
			printf "tick over ssh vs (a) ssh per command: %s\t%.2f s\t%.2f s\t%.1fx\t>= 10x\t%s\n", l, o, a, ra, (ra >= 10 ? "yes" : "NO")
			printf "tick over ssh vs (b) ControlMaster: %s\t%.2f s\t%.2f s\t%.1fx\t>= 2x\t%s\n", l, o, b, rb, (rb >= 2 ? "yes" : "NO")
		} else {
			printf "area: %s vs (a) / (b)\t%.2f s\t%.2f s / %.2f s\t%.1fx / %.1fx\t-\t-\n", l, o, a, b, ra, rb
		}
	}' >>"$rows"
}
eval 'cmds=("${all_cmds[@]}")'
bench all "$runs" "all four programs" 1
for area in services errors cache db nostats; do
	eval 'cmds=("${'"$area"'_cmds[@]}")'
	case $area in
	services) l="wm-services --stats --disk" ;;
	errors) l="wm-errors --since 4h" ;;
	nostats) l="all four, no --stats (and no docker stats)" ;;
	*) l="wm-$area" ;;
	esac
	bench "$area" "$area_runs" "$l" ""
done
