#!/bin/bash
# tick.sh - B1 and B5: `wm-run tick --tier T` over one ssh session against
# the runbook's commands of the same tier (bench/runbook.sh), (a) one `ssh`
# per command, (b) the same over an OpenSSH ControlMaster set up before the
# timing; for each, the wall time and the CPU time spent on the monitored
# side (bench/hostcpu.sh: the world's sshd, dockerd, containerd, shims,
# postgres, redis ... with their children), minus the idle world's rate over
# the same time.  And wm-run's own CPU and peak RSS per tick.
#
#   WM_WORLD_DIR=... WM_WORLD_PORT_BASE=... bench/tick.sh BUILD_DIR [ROWS]
#
# BENCH_TICK_RUNS (default 3) rounds, each running every tier's three ways
# in turn; medians.  BENCH_TIERS (default "quick standard comprehensive").
# The world must be up; loopback only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=${1:?usage: tick.sh BUILD_DIR [ROWS]}
rows=${2:-}
runs=${BENCH_TICK_RUNS:-3}
tiers=${BENCH_TIERS:-quick standard comprehensive}
W=$top/tests/world/world
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
hz=$(getconf CLK_TCK)
ssh_opts="-i $WM_WORLD_SSH_KEY -p $WM_WORLD_SSH_PORT -o UserKnownHostsFile=$WM_WORLD_SSH_KNOWN_HOSTS
	-o StrictHostKeyChecking=yes -o BatchMode=yes -o IdentitiesOnly=yes"
dest=$WM_WORLD_SSH_USER@$WM_WORLD_SSH_HOST
# shellcheck source=bench/runbook.sh
. "$here/runbook.sh"
# shellcheck source=bench/hostcpu.sh
. "$here/hostcpu.sh"

# shell_script NAME EXTRA_SSH_OPTS CMDS...: one ssh per command, in sequence.
shell_script() {
	local f=$tmp/$1 extra=$2 c
	shift 2
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
for t in $tiers; do
	eval 'cmds=("${'"$t"'_cmds[@]}")'
	shell_script "$t-ssh" "" "${cmds[@]}"
	shell_script "$t-cm" "-S $ctl" "${cmds[@]}"
	printf '#!/bin/bash\n%s/src/wm-run tick --tier %s -t world-ssh --config %s --format=nagios >/dev/null\n[ $? -lt 3 ]\n' \
		"$build" "$t" "$tmp/wm.conf" >"$tmp/$t-ours"
	chmod +x "$tmp/$t-ours"
	echo "${#cmds[@]}" >"$tmp/$t-n"
done
# shellcheck disable=SC2086
ssh $ssh_opts -M -S "$ctl" -o ControlPersist=1800 -fN "$dest"
for t in $tiers; do # every way must work before it is timed
	for w in ours ssh cm; do "$tmp/$t-$w" || { echo "tick.sh: $t-$w failed" >&2; exit 1; }; done
done

# idle: the world's own rate (ticks per second) over 10 s
idle_rate() {
	local a b
	a=$(host_cpu)
	sleep 10
	b=$(host_cpu)
	awk -v d=$((b - a)) 'BEGIN { printf "%.3f\n", d / 10 }'
}
rate0=$(idle_rate)
: >"$tmp/res"
printf '%-14s %-6s %8s %10s %9s %9s  %s\n' tier way wall "host CPU" "our CPU" "our RSS" load
for _ in $(seq "$runs"); do
	for t in $tiers; do
		for w in ours ssh cm; do
			h0=$(host_cpu)
			s0=$(date +%s.%N)
			/usr/bin/time -f '%U %S %M' -o "$tmp/t" "$tmp/$t-$w" || true
			s1=$(date +%s.%N)
			h1=$(host_cpu)
			load=$(cut -d' ' -f1 /proc/loadavg)
			res=$(tail -1 "$tmp/t" | awk -v s0="$s0" -v s1="$s1" -v h=$((h1 - h0)) -v hz="$hz" -v rate="$rate0" '{
				wall = s1 - s0; host = (h - rate * wall) / hz
				printf "%.2f %.2f %.2f %d", wall, host, $1 + $2, $3 }')
			echo "$t $w $res $load" >>"$tmp/res"
			printf '%-14s %-6s %8s %10s %9s %9s  %s\n' "$t" "$w" $res "$load"
		done
	done
done
rate1=$(idle_rate)
med() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
m() { awk -v t="$1" -v w="$2" -v f="$3" '$1 == t && $2 == w { print $f }' "$tmp/res" | med; }
row() { [ -z "$rows" ] || printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$rows"; }
loads=$(awk '{ print $7 }' "$tmp/res" | sort -n | sed -n '1p;$p' | paste -sd' ' - | sed 's/ / to /')
printf 'idle world: %s ticks/s before, %s after (%s ticks a second)\n' "$rate0" "$rate1" "$hz"
for t in $tiers; do
	o=$(m "$t" ours 3) a=$(m "$t" ssh 3) b=$(m "$t" cm 3)
	ho=$(m "$t" ours 4) ha=$(m "$t" ssh 4) hb=$(m "$t" cm 4)
	n=$(cat "$tmp/$t-n")
	budget="-" met="-"
	read -r ra rb <<<"$(awk -v o="$o" -v a="$a" -v b="$b" 'BEGIN { printf "%.1f %.1f", a / o, b / o }')"
	if [ "$t" = comprehensive ]; then
		budget=">= 10x (a), >= 2x (b)"
		met=$(awk -v a="$ra" -v b="$rb" 'BEGIN { print (a >= 10 ? "yes" : "NO") " / " (b >= 2 ? "yes" : "NO") }')
	fi
	row "B1 tick --tier $t over ssh vs runbook's $n commands (a) ssh each / (b) ControlMaster ($runs runs, load $loads)" \
		"$o s" "$a s / $b s" "${ra}x / ${rb}x" "$budget" "$met"
	read -r hra hrb <<<"$(awk -v o="$ho" -v a="$ha" -v b="$hb" 'BEGIN { if (o <= 0) o = 0.005; printf "%.1f %.1f", a / o, b / o }')"
	budget="-" met="-"
	if [ "$t" = comprehensive ]; then
		budget=">= 5x less than (a)"
		met=$(awk -v a="$hra" 'BEGIN { print (a >= 5 ? "yes" : "NO") }')
	fi
	row "B5 host CPU of tick --tier $t (sshd, dockerd, containerd, shims, servers, children; idle subtracted) vs (a) / (b)" \
		"$ho s" "$ha s / $hb s" "${hra}x / ${hrb}x" "$budget" "$met"
	row "wm-run tick --tier $t: its own CPU, peak RSS" "$(m "$t" ours 5) s, $(($(m "$t" ours 6) / 1024)) MiB" \
		"ssh clients: $(m "$t" ssh 5) s / $(m "$t" cm 5) s" "-" "-" "-"
done
row "idle world (8 containers, healthchecks every 5 s): host CPU rate" \
	"$(awk -v a="$rate0" -v b="$rate1" -v hz="$hz" 'BEGIN { printf "%.1f %% / %.1f %% of a core (before / after)", 100 * a / hz, 100 * b / hz }')" "-" "-" "-" "-"
