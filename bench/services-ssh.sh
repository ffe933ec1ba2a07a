#!/bin/bash
# bench/services-ssh.sh - one wm-services run over ssh against the runbook's
# way of asking the same questions: one `ssh` per command, and the same
# commands over a reused OpenSSH ControlMaster connection.  Loopback only.
#
#   WM_WORLD_DIR=/var/tmp/wm-world-bench WM_WORLD_PORT_BASE=23000 \
#       bench/services-ssh.sh [BUILD_DIR]
#
# Brings the world up if needed (and leaves it up).  Needs hyperfine
# (apt-get install hyperfine); without it, a plain loop of 10 runs is timed.
# Two questions are compared: "status" (containers, state, restarts) and
# "full" (status plus CPU/memory of every container and disk use).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
build=${1:-$top/build}
W=$top/tests/world/world
export WM_WORLD_DIR=${WM_WORLD_DIR:-/var/tmp/wm-world-bench}
export WM_WORLD_PORT_BASE=${WM_WORLD_PORT_BASE:-23000}
[ -x "$build/src/wm-services" ] || { echo "no $build/src/wm-services (build first)" >&2; exit 1; }
"$W" up >/dev/null
eval "$("$W" env)"
tmp=$(mktemp -d /tmp/wm-bench.XXXXXX)
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
dh="DOCKER_HOST=unix://$WM_WORLD_DOCKER_SOCKET"
filter="--filter label=com.docker.compose.project=warungin"
# The runbook's commands (seeds/000: docker compose ps; docker inspect
# RestartCount; docker stats --no-stream; df -h), with docker ps for the
# missing compose plugin.
status_cmds=(
	"$dh docker ps -a $filter"
	"$dh docker inspect --format='{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}} {{.RestartCount}}' \$($dh docker ps -aq $filter)"
)
full_cmds=("${status_cmds[@]}"
	"$dh docker stats --no-stream --format '{{.Container}} {{.CPUPerc}} {{.MemUsage}}' \$($dh docker ps -q $filter)"
	"df -h | grep -E '^/dev|^Filesystem'"
)
# runbook_script NAME EXTRA_SSH_OPTS CMDS...: a script running each command over its own ssh.
runbook_script() {
	local f=$tmp/$1 extra=$2 c; shift 2
	{
		echo "#!/bin/bash"
		echo "set -e"
		for c in "$@"; do
			printf 'ssh %s %s %q %q >/dev/null\n' "$(echo $ssh_opts)" "$extra" "$dest" "$c"
		done
	} >"$f"
	chmod +x "$f"
}
runbook_script status-ssh "" "${status_cmds[@]}"
runbook_script full-ssh "" "${full_cmds[@]}"
runbook_script status-cm "-S $ctl" "${status_cmds[@]}"
runbook_script full-cm "-S $ctl" "${full_cmds[@]}"
# The ControlMaster is set up once, outside the timing (its best case).
ssh $ssh_opts -M -S "$ctl" -o ControlPersist=600 -fN "$dest"

wm="$build/src/wm-services --config $tmp/wm.conf -t world-ssh -j"
for f in "$tmp"/*-ssh "$tmp"/*-cm; do "$f" || { echo "runbook command failed: $f" >&2; exit 1; }; done
$wm >/dev/null || [ $? -lt 3 ] || { echo "wm-services failed" >&2; exit 1; }

if command -v hyperfine >/dev/null; then
	hyperfine -N --warmup 2 --runs 15 -i \
		-n "wm-services (status)" "$wm" \
		-n "runbook ssh per command (status)" "$tmp/status-ssh" \
		-n "runbook over ControlMaster (status)" "$tmp/status-cm"
	hyperfine -N --warmup 1 --runs 8 -i \
		-n "wm-services --stats --disk (full)" "$wm --stats --disk" \
		-n "runbook ssh per command (full)" "$tmp/full-ssh" \
		-n "runbook over ControlMaster (full)" "$tmp/full-cm"
else
	for c in "$wm" "$tmp/status-ssh" "$tmp/status-cm" "$wm --stats --disk" "$tmp/full-ssh" "$tmp/full-cm"; do
		t0=$(date +%s%N)
		for _ in $(seq 10); do $c >/dev/null 2>&1 || true; done
		echo "$(( ($(date +%s%N) - t0) / 10000000 )) ms per run: ${c#"$tmp"/}"
	done
fi
