# runbook.sh - the runbook's commands (seeds/000: hour 0, hours 4-12 and
# 12-24 blocks), with `docker` on the world's socket and container names for
# the compose plugin Debian lacks; secrets are read on the far side, as
# sudo -S was.  Sourced by tick-ssh.sh and tick.sh after `world env`.
D="docker -H unix://$WM_WORLD_DOCKER_SOCKET"
F="--filter label=com.docker.compose.project=warungin"
redis_port=${WM_WORLD_REDIS##*:}
pg_port=$((WM_WORLD_PORT_BASE + 32))
rcli="$D exec -e REDISCLI_AUTH=\$(cat $WM_WORLD_REDIS_PASSWORD_FILE) warungin-redis redis-cli -p $redis_port"
# logs_since WINDOW: every service's log over the window
logs_since() { echo "for c in \$($D ps -aq $F); do $D logs --since $1 \$c 2>&1; done"; }
services_cmds=(
	"$D ps -a $F --format 'table {{.Names}}\t{{.Status}}'"
	"$D inspect --format='{{.Name}} {{json .RestartCount}}' \$($D ps -aq $F)"
	"$D stats --no-stream --format 'table {{.Container}}\t{{.CPUPerc}}\t{{.MemUsage}}' | head -10"
	"df -h | grep -E '^/dev|^Filesystem'"
)
# errors_for WINDOW: the runbook's two greps over the window
errors_for() {
	echo "$(logs_since "$1") | grep -i 'error' | wc -l"
	echo "$(logs_since "$1") | grep -i 'critical\|fatal\|panic' || echo None"
}
mapfile -t errors_cmds < <(errors_for 4h)
cache_cmds=(
	"$rcli ping"
	"$rcli info stats | grep -E 'total_commands_processed|keyspace_hits|keyspace_misses'"
)
db_cmds=(
	"$D exec warungin-postgres pg_isready -h 127.0.0.1 -p $pg_port"
	"$D exec -e PGPASSWORD=\$(cat $WM_WORLD_PG_PASSWORD_FILE) warungin-postgres psql -h 127.0.0.1 -p $pg_port -U warungin warungin -c 'SELECT count(*) FROM pg_stat_activity;'"
)
all_cmds=("${services_cmds[@]}" "${errors_cmds[@]}" "${cache_cmds[@]}" "${db_cmds[@]}")
# The same without CPU/memory stats: the engine answers a stats request only
# after its collection ticks (~2 s, whoever asks), which no client can save.
nostats_cmds=("${services_cmds[0]}" "${services_cmds[1]}" "${services_cmds[3]}"
	"${errors_cmds[@]}" "${cache_cmds[@]}" "${db_cmds[@]}")
# The tiers of wm-run's plan (lib/model/schedule.c), as the runbook asks them:
# quick: status, errors over 30 min, the last lines of each log;
# standard: status, errors over 1 h, cache, db;
# comprehensive: all of the above over 4 h with restarts, stats and disk.
mapfile -t quick_cmds < <(echo "${services_cmds[0]}"; errors_for 30m
	echo "for c in \$($D ps -aq $F); do $D logs --tail 20 \$c 2>&1; done")
mapfile -t standard_cmds < <(echo "${services_cmds[0]}"; errors_for 1h
	printf '%s\n' "${cache_cmds[@]}" "${db_cmds[@]}")
comprehensive_cmds=("${all_cmds[@]}")
