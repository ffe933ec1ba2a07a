# services-lib.sh - shared by services-*.test: wm-services against the world,
# for one target (sourced; the caller sets TARGET and calls the checks).
# Needs what tests/integration/run exports: WM_WORLD_*, WM_CONFIG, PATH.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
W=$here/../world/world
WM_T_PREFIX="$TARGET: "
. "$here/../lib.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wm-services-test.XXXXXX") || exit 1
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
# Restart counts are compared between runs: a state directory of our own.
export WM_STATE_DIR=$tmp/state

# svc ARGS...: run wm-services -j for $TARGET; JSON in $tmp/out, exit code in
# $rc; every output is kept in $tmp/transcript for check_no_secrets.
svc() {
	wm-services -t "$TARGET" -j "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	cat "$tmp/out" "$tmp/err" >>"$tmp/transcript"
}
q() { jq -r "$@" "$tmp/out"; }
state_of() { q --arg n "$1" '.checks[] | select(.name == $n) | .state'; }

check_all_healthy() {
	svc
	check "all healthy: exit 0 (got $rc: $(head -c 200 "$tmp/err"))" [ "$rc" = 0 ]
	check "all healthy: state OK" [ "$(q .state)" = OK ]
	check "all healthy: JSON lists 8 services" \
		[ "$(q '[.checks[] | select(.name | startswith("services."))] | length')" = 8 ]
	check "all healthy: each is running and healthy" \
		[ "$(q '[.checks[] | select(.name | startswith("services.")) | select(.data.state == "running" and .data.health == "healthy")] | length')" = 8 ]
	check "all healthy: the expected set is declared" [ "$(q '.checks[] | select(.name == "services") | .data.expected_declared')" = true ]
}

check_stop() {
	"$W" fault stop:redis >/dev/null || not_ok "fault stop:redis"
	svc
	check "stop:redis: exit 2 (got $rc)" [ "$rc" = 2 ]
	check "stop:redis: services.redis CRITICAL" [ "$(state_of services.redis)" = CRITICAL ]
	check "stop:redis: the summary names redis" grep -q 'redis' <<<"$(q .summary)"
	check "stop:redis: postgres still OK" [ "$(state_of services.postgres)" = OK ]
	"$W" heal stop:redis >/dev/null || not_ok "heal stop:redis"
}

check_kill_counted() {
	svc # the sample before
	"$W" fault kill:backend >/dev/null || not_ok "fault kill:backend"
	svc
	local n
	n=$(q '.checks[] | select(.name == "services.backend") | .data.restarts_since_last_run')
	check "kill:backend: the restart is counted on the next run (restarts_since_last_run=$n)" \
		[ "$n" -ge 1 ] 2>/dev/null
	check "kill:backend: exit 1 or 2, WARNING or CRITICAL (got $rc)" eval '[ "$rc" = 1 ] || [ "$rc" = 2 ]'
	svc
	n=$(q '.checks[] | select(.name == "services.backend") | .data.restarts_since_last_run')
	check "kill:backend: counted once, not again on the run after ($n)" [ "$n" = 0 ]
	"$W" heal kill:backend >/dev/null || not_ok "heal kill:backend"
}

check_unhealthy() {
	"$W" fault unhealthy:frontend >/dev/null || not_ok "fault unhealthy:frontend"
	svc
	check "unhealthy:frontend: CRITICAL by default, exit 2 (got $rc)" [ "$rc" = 2 ]
	check "unhealthy:frontend: services.frontend CRITICAL" [ "$(state_of services.frontend)" = CRITICAL ]
	check "unhealthy:frontend: summary says unhealthy" \
		grep -q 'unhealthy' <<<"$(q '.checks[] | select(.name == "services.frontend") | .summary')"
	# the configuration can make it a WARNING
	{ cat "$WM_CONFIG"; printf '[thresholds]\nunhealthy.critical = 1\nunhealthy.warning = 0\n'; } >"$tmp/warn.conf"
	svc --config "$tmp/warn.conf"
	check "unhealthy:frontend: WARNING with unhealthy.critical = 1 (got $rc)" [ "$rc" = 1 ]
	"$W" heal unhealthy:frontend >/dev/null || not_ok "heal unhealthy:frontend"
}

check_missing() {
	sed 's/^services = .*/&,ghost/' "$WM_CONFIG" >"$tmp/ghost.conf"
	svc --config "$tmp/ghost.conf"
	check "expected service without container: exit 2 (got $rc)" [ "$rc" = 2 ]
	check "expected service without container: CRITICAL missing" \
		[ "$(q '.checks[] | select(.name == "services.ghost") | .state + " " + .data.state')" = "CRITICAL missing" ]
	# without a declared set, every service seen is expected, and it says so
	grep -v '^services = ' "$WM_CONFIG" >"$tmp/undeclared.conf"
	svc --config "$tmp/undeclared.conf"
	check "undeclared expected set: OK with the 8 seen (rc $rc)" \
		[ "$rc/$(q '[.checks[] | select(.name | startswith("services."))] | length')" = 0/8 ]
	check "undeclared expected set: the summary says so" grep -q undeclared <<<"$(q '.checks[] | select(.name == "services") | .summary')"
}

check_stats_disk() {
	svc --stats --disk
	check "--stats --disk: exit 0 (got $rc)" [ "$rc" = 0 ]
	check "--stats: CPU % is a number for 8 services" \
		[ "$(q '[.checks[] | .metrics[]? | select(.name == "cpu" and (.value | type) == "number")] | length')" = 8 ]
	check "--stats: memory used is a positive number for 8 services" \
		[ "$(q '[.checks[] | .metrics[]? | select(.name == "memory_used" and .value > 0)] | length')" = 8 ]
	check "--disk: a disk check with a number" \
		[ "$(q '[.checks[] | select(.name | startswith("disk:")) | .metrics[] | select(.name == "disk" and (.value | type) == "number")] | length')" -ge 1 ]
	check_cgroup_stats
	"$W" fault disk:95 >/dev/null || not_ok "fault disk:95"
	svc --disk
	check "disk:95: exit 2 (got $rc)" [ "$rc" = 2 ]
	check "disk:95: the disk check is CRITICAL" \
		[ "$(q '.checks[] | select(.name | startswith("disk:")) | .state')" = CRITICAL ]
	"$W" heal disk >/dev/null || not_ok "heal disk"
}

# --stats reads the cgroup counters (this machine: v1), and they agree with
# the Engine API's on the same container (generous bounds: a busy machine).
check_cgroup_stats() {
	local id api ns mem api_mem
	check "--stats: the source is the cgroup counters for 8 services" \
		[ "$(q '[.checks[] | select(.data.stats_source? // "" | test("^cgroup v[12]$"))] | length')" = 8 ]
	check "--stats: a first run's CPU is since the container started" \
		grep -q '^since the container started' <<<"$(q '.checks[] | select(.name == "services.redis") | .data.cpu_window')"
	id=$(q '.checks[] | select(.name == "services.redis") | .data.id')
	ns=$(jq -r '.redis.cpu_ns' "$WM_STATE_DIR/$TARGET/services.json")
	mem=$(q '.checks[] | select(.name == "services.redis") | .metrics[] | select(.name == "memory_used") | .value')
	api=$(curl -s --max-time 20 --unix-socket "$WM_WORLD_DOCKER_SOCKET" "http://d/containers/$id/stats?stream=false&one-shot=true")
	# the engine's counter read just after ours: not below it, at most 10 s of CPU above
	check "--stats: redis's CPU counter ($ns ns) is the engine's (then $(jq -r .cpu_stats.cpu_usage.total_usage <<<"$api") ns)" \
		jq -e --argjson ns "$ns" '.cpu_stats.cpu_usage.total_usage - $ns | . >= 0 and . < 1e10' <<<"$api"
	api_mem=$(jq -r '.memory_stats | .usage - (.stats.total_inactive_file // .stats.inactive_file // 0)' <<<"$api")
	check "--stats: redis's memory used ($mem B) is docker stats' ($api_mem B) within 16 MiB" \
		jq -en --argjson a "$mem" --argjson b "$api_mem" '($a - $b) | fabs < 16777216'
	svc --stats
	check "--stats again: CPU over the window since the previous sample for 8 services" \
		[ "$(q '[.checks[] | select(.data.cpu_window? // "" | startswith("over the last"))] | length')" = 8 ]
	check "--stats again: CPU % of an idle world's redis is within 0-100" \
		jq -e '.checks[] | select(.name == "services.redis") | .metrics[] | select(.name == "cpu") | .value >= 0 and .value <= 100' "$tmp/out"
}

check_formats() {
	local f
	for f in text nagios prometheus ndjson; do
		wm-services -t "$TARGET" --format=$f >"$tmp/fmt" 2>&1
		rc=$?
		cat "$tmp/fmt" >>"$tmp/transcript"
		expect "--format=$f: exit 0" 0 "$rc"
		check "--format=$f: a non-empty output" test -s "$tmp/fmt"
	done
	# text: a table, one row per service with its state and the figures it is judged by
	COLUMNS=200 wm-services -t "$TARGET" >"$tmp/fmt" 2>&1
	cat "$tmp/fmt" >>"$tmp/transcript"
	check "text: a header row and one row per service (8), OK with restarts=0" \
		eval 'grep -qE "^STATE +CHECK +FIGURES +SUMMARY$" "$tmp/fmt" &&
			[ "$(grep -cE "^OK +services\.[a-z]+ +restarts=0 unhealthy=0 +[a-z]+: running" "$tmp/fmt")" = 8 ]'
	COLUMNS=200 wm-services -t "$TARGET" --long >"$tmp/fmt" 2>&1
	check "text --long: each service's restart counter under its row" \
		eval '[ "$(grep -cE "^ {10}restart_count=[0-9]+$" "$tmp/fmt")" = 8 ]'
}

# No output of any run above holds a world secret.
check_no_secrets() {
	assert_no_secrets "no world secret in any output of wm-services" "$tmp/transcript"
}
