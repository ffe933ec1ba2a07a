#!/bin/bash
# errors.sh - wm-errors on fixture input through stdin and --file: counts per
# service and level, groups, window, tail, criticals, follow, hostile input
# and the exit codes (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
set -u
b=${WM_BUILDDIR:?run under make check}
s=${WM_SRCDIR:?run under make check}
W=$b/src/wm-errors
F=$s/tests/fixtures/logs
. "$s/tests/lib.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
command -v jq >/dev/null || { not_ok "jq is installed (scripts/deps)"; exit 1; }
# A fixed compose project and no configuration of the user's: reproducible.
export COMPOSE_PROJECT_NAME=warungin XDG_CONFIG_HOME=$tmp/none WM_CONFIG=
unset WM_TARGET DOCKER_HOST

# Counts per service and level, from stdin in a pipe.
cat "$F/compose-warungin.log" | "$W" -j - >"$tmp/all.json"
expect "compose input: exit CRITICAL (a postgres FATAL)" 2 $?
q() { jq -r "$1" "$tmp/all.json"; }
expect "services from the compose prefixes" "-,backend,nginx,postgres,redis" \
	"$(q '[.checks[].data.service] | sort | join(",")')"
expect "backend: 6 Password salah + 1 Prisma error" "7 0 1 2" \
	"$(q '.checks[] | select(.name=="errors.backend") | [.data.counts.error, .data.counts.critical, .data.counts.warn, .data.counts.info] | map(tostring) | join(" ")')"
expect "backend: WARNING at 7 errors" WARNING "$(q '.checks[] | select(.name=="errors.backend") | .state')"
expect "nginx: a 502 and an [error] line, the 401 is info" "2 1" \
	"$(q '.checks[] | select(.name=="errors.nginx") | [.data.counts.error, .data.counts.info] | map(tostring) | join(" ")')"
expect "postgres: FATAL is critical, ERROR an error" "2 1 CRITICAL" \
	"$(q '.checks[] | select(.name=="errors.postgres") | [(.metrics[] | select(.name=="errors") | .value), (.metrics[] | select(.name=="critical_lines") | .value), .state] | map(tostring) | join(" ")')"
expect "redis: the # line is a warning, not an error" "0 1" \
	"$(q '.checks[] | select(.name=="errors.redis") | [.data.counts.error, .data.counts.warn] | map(tostring) | join(" ")')"
expect "top group: 6 x Password salah" "6 Auth route error [LOGIN]: Password salah 2025-12-31T10:20:11.000Z 2025-12-31T10:20:16.000Z" \
	"$(q '.checks[] | select(.name=="errors.backend") | .data.groups[0] | "\(.count) \(.signature) \(.first_seen) \(.last_seen)"')"

# The window: [10:00, 11:00) drops the 11:30 Prisma error and the 09:59 lines.
"$W" -j --since 2025-12-31T10:00:00Z --until 2025-12-31T11:00:00Z --file "$F/compose-warungin.log" >"$tmp/win.json"
expect "window: backend has 6 errors" 6 "$(jq '.checks[] | select(.name=="errors.backend") | .data.counts.error' "$tmp/win.json")"
expect "window: postgres lost its 09:59 LOG line" 2 "$(jq '.checks[] | select(.name=="errors.postgres") | .data.lines' "$tmp/win.json")"

# Services named on the command line: only those.
"$W" -j - backend nginx <"$F/compose-warungin.log" >"$tmp/sel.json"
rc=$?
expect "selected services only" "backend nginx" "$(jq -r '[.checks[].data.service] | join(" ")' "$tmp/sel.json")"
expect "selected services: exit 1 and state WARNING (no postgres)" "1 WARNING" "$rc $(jq -r '.state' "$tmp/sel.json")"

# Thresholds: -w on errors, -c critical_lines=.
"$W" -w 10 -c critical_lines=5 - <"$F/compose-warungin.log" >/dev/null
expect "-w 10 -c critical_lines=5: OK" 0 $?
"$W" -c 6 - backend <"$F/compose-warungin.log" >/dev/null
expect "-c 6 (bare: errors): CRITICAL at 7 errors" 2 $?
# A misspelt metric (-c error=5) was ignored; now exit 3 naming the known ones.
"$W" -c error=5 - <"$F/compose-warungin.log" >/dev/null 2>"$tmp/err"
expect "-c error=5: exit 3" 3 $?
expect "-c error=5: names the metric and the known ones" 1 \
	"$(grep -c "unknown metric 'error'.*errors, critical_lines" "$tmp/err")"
"$W" -c errors.backend=6 - <"$F/compose-warungin.log" >/dev/null
expect "-c errors.backend=6 (instance): CRITICAL at 7 errors" 2 $?
printf '[thresholds]\nerrors.errors.backend.critical = 6\n' >"$tmp/inst.conf"
"$W" --config="$tmp/inst.conf" - <"$F/compose-warungin.log" >/dev/null
expect "errors.errors.backend.critical = 6 in the file: CRITICAL" 2 $?
printf '[thresholds]\nerors.errors.critical = 6\n' >"$tmp/typo.conf"
"$W" --config="$tmp/typo.conf" - <"$F/compose-warungin.log" >/dev/null 2>&1
expect "an unknown threshold key in the file: exit 3" 3 $?

# --tail and --criticals.
"$W" -j --tail 2 --criticals - <"$F/compose-warungin.log" >"$tmp/tail.json"
expect "--tail 2: the last two backend lines" "plain text with no level at all|Prisma Error" \
	"$(jq -r '.checks[] | select(.name=="errors.backend") | .data.tail | map(.line | if startswith("{") then (fromjson.message) else . end) | join("|")' "$tmp/tail.json")"
expect "--criticals: the postgres FATAL line" 1 "$(jq '.checks[] | select(.name=="errors.postgres") | .data.critical | length' "$tmp/tail.json")"
"$W" --criticals - <"$F/compose-warungin.log" >"$tmp/text.out"
check "text output has a 'critical lines' part and the group '6 x error    Auth route error'" \
	eval 'grep -q "critical lines" "$tmp/text.out" && grep -q "6 x error    Auth route error" "$tmp/text.out"'

# The backend's own stdout (no compose prefix): emoji lines, stack traces, pino.
"$W" -j --file "$F/warungin-backend.jsonl" >"$tmp/be.json"
expect "backend stdout: 4 errors, 1 critical, 6 warnings, exit 2" "4 1 6 CRITICAL" \
	"$(jq -r '.checks[0] | [.data.counts.error, .data.counts.critical, .data.counts.warn, .state] | map(tostring) | join(" ")' "$tmp/be.json")"
expect "the stack trace groups by its first line" 1 \
	"$(jq '[.checks[0].data.groups[] | select(.signature=="Error [orders]:")] | length' "$tmp/be.json")"

# A clean window is OK; empty input is OK.
grep -v -e error -e FATAL -e 502 -e '\[error\]' "$F/compose-warungin.log" | "$W" - >/dev/null
expect "clean input: exit OK" 0 $?
"$W" - </dev/null >/dev/null
expect "empty input: exit OK" 0 $?

# Hostile input: invalid UTF-8, NULs, a 1 MiB line; the JSON stays valid.
{ printf 'backend-1  | \xff\xfe error \x00 nul \xc3\x28\n'
  printf 'backend-1  | error '; head -c 1048576 /dev/zero | tr '\0' x; printf '\n'
  printf 'backend-1  | fatal end\n'; } >"$tmp/bad.log"
"$W" -j --tail 3 - <"$tmp/bad.log" >"$tmp/bad.json"
expect "hostile input: exit CRITICAL" 2 $?
expect "hostile input: valid JSON, 2 errors, 1 critical, 1 truncated" "2 1 1" \
	"$(jq -r '.checks[] | select(.name=="errors.backend") | [.data.counts.error, .data.counts.critical, .data.truncated] | map(tostring) | join(" ")' "$tmp/bad.json")"

# --follow on stdin: matching lines as ndjson, clean exit at end of input.
"$W" --follow --format=ndjson - <"$F/compose-warungin.log" >"$tmp/follow.ndjson"
expect "--follow: exit 0 at end of input" 0 $?
expect "--follow: 11 lines at error or above" 11 "$(jq -s 'length' "$tmp/follow.ndjson")"
expect "--follow: records are errors.line checks" "errors.line postgres critical" \
	"$(jq -rs 'map(select(.data.level=="critical"))[0] | "\(.name) \(.data.service) \(.data.level)"' "$tmp/follow.ndjson")"
# --follow stops cleanly on SIGTERM while waiting for input.
mkfifo "$tmp/fifo"
"$W" --follow - <"$tmp/fifo" >"$tmp/follow.txt" &
pid=$!
exec 9>"$tmp/fifo"
printf 'backend-1  | fatal: first\n' >&9
for _ in $(seq 100); do [ -s "$tmp/follow.txt" ] && break; sleep 0.1; done
kill -TERM "$pid"
wait "$pid"
expect "--follow: SIGTERM while waiting for input exits 0" 0 $?
exec 9>&-
expect "--follow: the line appears before end of input" "backend | - critical fatal: first" \
	"$(cat "$tmp/follow.txt")"

# Patterns per service from the configuration: [errors SERVICE], [errors all].
cat >"$tmp/pat.conf" <<'CONF'
[target t]
services = backend, nginx
[errors backend]
error_pattern = \bgagal\b
[errors all]
warn_pattern =
CONF
printf 'backend-1  | Koneksi gagal\nnginx-1    | Koneksi gagal\nnginx-1    | disk warning x\nbackend-1  | an error\n' |
	"$W" -j --config "$tmp/pat.conf" -t t - >"$tmp/pat.json"
expect "[errors backend] error_pattern: 'gagal' is an error there only" "1 0" \
	"$(jq -r '[.checks[] | select(.name=="errors.backend" or .name=="errors.nginx") | .data.counts.error] | map(tostring) | join(" ")' "$tmp/pat.json")"
expect "[errors all] warn_pattern empty: no warnings" 0 \
	"$(jq '[.checks[].data.counts.warn] | add' "$tmp/pat.json")"
printf 'backend-1  | an error\n' | "$W" -j --config "$tmp/pat.conf" -t t --error-pattern='\berror\b' - >"$tmp/pat2.json"
expect "--error-pattern wins over the configuration" 1 \
	"$(jq '.checks[] | select(.name=="errors.backend") | .data.counts.error' "$tmp/pat2.json")"

# Exit codes of bad use: UNKNOWN (3).
"$W" --no-such-option >/dev/null 2>&1
expect "bad option: exit 3" 3 $?
"$W" --tail=-1 - </dev/null >/dev/null 2>&1
expect "bad --tail: exit 3" 3 $?
"$W" --since=yesterday - </dev/null >/dev/null 2>&1
expect "bad --since: exit 3" 3 $?
"$W" --error-pattern='(' - </dev/null >"$tmp/out" 2>&1
expect "bad pattern: exit 3" 3 $?
"$W" -j --file "$tmp/does-not-exist" >"$tmp/nofile.json" 2>&1
rc=$?
expect "missing file: exit 3 with an UNKNOWN check" "3 UNKNOWN" "$rc $(jq -r '.checks[0].state' "$tmp/nofile.json")"

# --long reaches --output too: the file holds the result as stdout (no
# terminal) shows it; the top messages after it are for people at stdout only.
"$W" --long --file "$F/compose-warungin.log" >"$tmp/long.out"
"$W" --long --file "$F/compose-warungin.log" --output "$tmp/long.file"
"$W" --file "$F/compose-warungin.log" --output "$tmp/short.file"
check "--long --output writes the result as --long prints it" \
	eval 'head -n "$(wc -l <"$tmp/long.file")" "$tmp/long.out" | cmp -s - "$tmp/long.file"'
check "--long adds the metrics' lines to the file" \
	eval '[ "$(wc -l <"$tmp/long.file")" -gt "$(wc -l <"$tmp/short.file")" ]'

finish
