#!/bin/bash
# errors-unknown.sh - wm-errors never says "0 errors" about logs it did not
# read: Docker unreachable, a service absent from the input, the window the
# summary names, times in named zones (issue 11 items 1, 2, 3, 5), in every
# output format.
set -u
b=${WM_BUILDDIR:?run under make check}
s=${WM_SRCDIR:?run under make check}
W=$b/src/wm-errors
F=$s/tests/fixtures/logs
fail=0
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; fail=1; }
expect() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1: want '$2', got '$3'"; fi; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
export COMPOSE_PROJECT_NAME=warungin XDG_CONFIG_HOME=$tmp/none WM_CONFIG=
unset WM_TARGET DOCKER_HOST

# 1. Docker unreachable: every configured service UNKNOWN, values unknown.
cat >"$tmp/dead.conf" <<CONF
[target t]
services = backend, nginx
docker_socket = $tmp/no-docker.sock
CONF
"$W" -j --config "$tmp/dead.conf" -t t >"$tmp/dead.json"
expect "docker unreachable: exit UNKNOWN" 3 $?
expect "docker unreachable: every service UNKNOWN" "errors.backend=UNKNOWN errors.docker=UNKNOWN errors.nginx=UNKNOWN" \
	"$(jq -r '[.checks[] | "\(.name)=\(.state)"] | sort | join(" ")' "$tmp/dead.json")"
expect "docker unreachable: the reason names the socket tried" 1 \
	"$(jq '[.checks[] | select(.name=="errors.backend") | .summary | select(contains("no-docker.sock"))] | length' "$tmp/dead.json")"
expect "docker unreachable: json values null, not 0" "null" \
	"$(jq -c '[.checks[] | select(.name!="errors.docker") | .metrics[].value, .data.counts.error] | unique | .[]' "$tmp/dead.json")"
"$W" --format=nagios --config "$tmp/dead.conf" -t t >"$tmp/dead.nagios"
expect "docker unreachable: nagios perfdata U" "U U" \
	"$(grep -o "'errors.[a-z]*.errors'=[^;]*" "$tmp/dead.nagios" | cut -d= -f2 | tr '\n' ' ' | sed 's/ $//')"
"$W" --format=prometheus --config "$tmp/dead.conf" -t t >"$tmp/dead.prom"
# Prometheus: the service's state is 3 and no count is given (NaN or absent).
expect "docker unreachable: prometheus has state 3 and no numeric count" "3 3 0" \
	"$(awk '/^wm_check_state.*check="errors.(backend|nginx)"/ {printf "%s ", $2}
		/service="(backend|nginx)"/ && $2 != "NaN" {n++} END {print n + 0}' "$tmp/dead.prom")"
"$W" --config "$tmp/dead.conf" -t t >"$tmp/dead.txt"
grep -q '^OK ' "$tmp/dead.txt"
expect "docker unreachable: no OK row in text" 1 $?
"$W" --config "$tmp/dead.conf" -t t backend >"$tmp/dead1.txt"
grep -qE '^UNKNOWN +errors\.backend +.*logs not read' "$tmp/dead1.txt"
expect "docker unreachable, service named: UNKNOWN" 0 $?

# 2. A service named but absent from the input: UNKNOWN "not in the input".
"$W" -j --file "$F/compose-warungin.log" nosuch >"$tmp/nosuch.json"
expect "absent service: exit UNKNOWN" 3 $?
expect "absent service: says so, no value" "UNKNOWN null" \
	"$(jq -r '.checks[] | select(.name=="errors.nosuch") | "\(.state) \(.metrics[0].value)"' "$tmp/nosuch.json")"
jq -r '.checks[0].summary' "$tmp/nosuch.json" | grep -q 'not in the input'
expect "absent service: the summary says 'not in the input'" 0 $?
"$W" -j --file "$F/compose-warungin.log" --since 2030-01-01T00:00:00Z redis >"$tmp/quiet.json"
expect "present but quiet in the window: OK 0" "OK 0" \
	"$(jq -r '.checks[] | select(.name=="errors.redis") | "\(.state) \(.metrics[0].value)"' "$tmp/quiet.json")"
# --since with no line in the window: the services stay, with 0.
"$W" -j --file "$F/compose-warungin.log" --since 1h >"$tmp/empty.json"
expect "--since 1h, no line in it: every service shown with 0" "backend=0 nginx=0 postgres=0 redis=0" \
	"$(jq -r '[.checks[] | select(.data.service != "-") | "\(.data.service)=\(.metrics[0].value)"] | sort | join(" ")' "$tmp/empty.json")"

# 5. --until alone: the summary names the real window; Docker takes the
# hour before it instead of refusing.
"$W" -j --file "$F/compose-warungin.log" --until 2025-12-31T10:00:00Z backend >"$tmp/until.json"
expect "--until alone on a file: the summary says so" "0 errors, 0 critical until 2025-12-31T10:00:00Z" \
	"$(jq -r '.checks[0].summary' "$tmp/until.json")"
"$W" -j --config "$tmp/dead.conf" -t t --until=2h >"$tmp/until2.json" 2>"$tmp/until2.err"
expect "--until=2h over Docker without --since: no usage error" "" "$(cat "$tmp/until2.err")"
"$W" --file "$F/compose-warungin.log" --since 2025-12-31T11:00:00Z --until 2025-12-31T10:00:00Z >/dev/null 2>"$tmp/order.err"
expect "--until before --since: still refused" "3 1" "$? $(grep -c 'later than --since' "$tmp/order.err")"

# 3. Times with zone names (the real log of postgres_fr.log: CET and MSK,
# 2021-22): placed, so --since 1h holds none of them; CST is ambiguous: the
# lines are "without a time", said so, never inside the window.
P=$F/postgres_fr.log
"$W" -j --top 0 --file "$P" --since 1h >"$tmp/pg1h.json"
expect "CET lines of 2021 are not in the last hour" "OK 0 0" \
	"$(jq -r '.checks[0] | "\(.state) \(.metrics[0].value) \(.data.untimed)"' "$tmp/pg1h.json")"
"$W" -j --top 0 --file "$P" --since 2022-12-03T22:36:00Z --until 2022-12-03T22:37:00Z >"$tmp/pgwin.json"
expect "23:36 CET is 22:36 UTC" 24 "$(jq '.checks[0].data.lines' "$tmp/pgwin.json")"
sed 's/ CET / CST /' "$P" >"$tmp/cst.log"
"$W" -j --top 0 --file "$tmp/cst.log" --since 1h >"$tmp/cst.json"
expect "CST: no time, not counted, said so" "0 73 1" \
	"$(jq -r '.checks[0] | "\(.metrics[0].value) \(.data.untimed) \(.summary | contains("73 lines without a time not counted (18 errors; zone CST") | if . then 1 else 0 end)"' "$tmp/cst.json")"
printf '[general]\ntime_zones = CST=+01:00\n' >"$tmp/tz.conf"
"$W" -j --top 0 --config "$tmp/tz.conf" --file "$tmp/cst.log" --since 2022-12-03T22:36:00Z --until 2022-12-03T22:37:00Z >"$tmp/tz.json"
expect "time_zones = CST=+01:00 places them" "24 0" "$(jq -r '.checks[0].data | "\(.lines) \(.untimed)"' "$tmp/tz.json")"

# Smaller: one error is "1 error".
printf 'backend-1  | error: one\n' | "$W" -j --top 0 - >"$tmp/one.json"
expect "1 error, singular" "1 error, 0 critical in the input" "$(jq -r '.checks[0].summary' "$tmp/one.json")"
exit $fail
