# errors-lib.sh - shared by errors-*.test: wm-errors against the world for one
# target (sourced; the caller sets TARGET and calls the checks).  Needs what
# tests/integration/run exports: WM_WORLD_*, WM_CONFIG, PATH.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
W=$here/../world/world
WM_T_PREFIX="$TARGET: "
. "$here/../lib.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wm-errors-test.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# errs ARGS...: wm-errors -j for $TARGET; JSON in $tmp/out, exit code in $rc;
# every output is kept in $tmp/transcript for check_no_secrets.
errs() {
	wm-errors -t "$TARGET" -j "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	cat "$tmp/out" "$tmp/err" >>"$tmp/transcript"
}
q() { jq -r "$@" "$tmp/out"; }
metric() { q --arg c "errors.$1" --arg m "$2" '.checks[] | select(.name == $c) | .metrics[] | select(.name == $m) | .value'; }

# A window starting now (unix seconds with milliseconds), after a pause so
# that no earlier line shares its millisecond.
window_start() {
	sleep 1
	date +%s.%3N
}

check_clean_window() {
	local t0
	t0=$(window_start)
	sleep 2
	errs --since "$t0"
	check "clean window: exit 0 (got $rc: $(head -c 200 "$tmp/err"))" [ "$rc" = 0 ]
	check "clean window: one check per expected service (8)" \
		[ "$(q '[.checks[] | select(.name | startswith("errors."))] | length')" = 8 ]
	check "clean window: no errors anywhere" \
		[ "$(q '[.checks[].metrics[] | select(.name == "errors") | .value] | add')" = 0 ]
}

# fault errors:10 -> 10 "Error [api.orders]:" lines: 8 error, 2 critical (one
# n%10==4, one n%10==9 in any 10 consecutive), and 10 nginx 500 lines.
check_error_burst() {
	local t0
	t0=$(window_start)
	"$W" fault errors:10 >/dev/null || not_ok "fault errors:10"
	sleep 1
	errs --since "$t0" --criticals --tail 3
	check "errors:10: exit 2, critical lines (got $rc)" [ "$rc" = 2 ]
	check "errors:10: backend errors = 10 (got $(metric backend errors))" [ "$(metric backend errors)" = 10 ]
	check "errors:10: backend critical lines = 2 (got $(metric backend critical_lines))" \
		[ "$(metric backend critical_lines)" = 2 ]
	check "errors:10: backend levels 8 error + 2 critical" \
		[ "$(q '.checks[] | select(.name == "errors.backend") | "\(.data.counts.error) \(.data.counts.critical)"')" = "8 2" ]
	check "errors:10: backend CRITICAL" \
		[ "$(q '.checks[] | select(.name == "errors.backend") | .state')" = CRITICAL ]
	check "errors:10: one group of 10 'Error [api.orders]: ...'" \
		[ "$(q '.checks[] | select(.name == "errors.backend") | .data.groups | "\(length) \(.[0].count) \(.[0].signature | startswith("Error [api.orders]: "))"')" = "1 10 true" ]
	check "errors:10: nginx logged 10 answers >= 500 (got $(metric nginx errors))" \
		[ "$(metric nginx errors)" = 10 ]
	check "errors:10: --criticals lists the 2 critical lines" \
		[ "$(q '.checks[] | select(.name == "errors.backend") | .data.critical | length')" = 2 ]
	check "errors:10: --tail 3 gives 3 lines" \
		[ "$(q '.checks[] | select(.name == "errors.backend") | .data.tail | length')" = 3 ]
	check "errors:10: postgres and redis stay clean" \
		[ "$(metric postgres errors) $(metric redis errors)" = "0 0" ]
	errs --since "$t0" -w 20 -c critical_lines=5 backend
	check "errors:10: thresholds from the command line: exit 0 (got $rc)" [ "$rc" = 0 ]
	"$W" heal errors >/dev/null || not_ok "heal errors"
}

# --follow sees a burst within seconds and stops cleanly on SIGTERM.
check_follow() {
	local pid n=0 i
	wm-errors -t "$TARGET" --follow --format=ndjson >"$tmp/follow" 2>"$tmp/ferr" &
	pid=$!
	sleep 2
	"$W" fault errors:5 >/dev/null || not_ok "fault errors:5"
	# 30 s: docker's log stream and a sanitizer build on a loaded machine;
	# a healthy run sees the lines within a second.
	for i in $(seq 60); do
		n=$(jq -s '[.[] | select(.data.service == "backend")] | length' "$tmp/follow" 2>/dev/null)
		[ "${n:-0}" -ge 5 ] && break
		sleep 0.5
	done
	check "follow: exactly 5 backend lines appear within 30 s (got $n after $((i / 2)) s)" \
		[ "${n:-0}" = 5 ]
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	cat "$tmp/follow" "$tmp/ferr" >>"$tmp/transcript"
	check "follow: SIGTERM ends it with exit 0 (got $rc: $(head -c 200 "$tmp/ferr"))" [ "$rc" = 0 ]
	"$W" heal errors >/dev/null || not_ok "heal errors"
}

check_missing_service() {
	local t0
	t0=$(window_start)
	errs --since "$t0" nosuch redis
	check "a service without container: exit 3 (got $rc)" [ "$rc" = 3 ]
	check "a service without container: UNKNOWN, reported not skipped" \
		[ "$(q '.checks[] | select(.name == "errors.nosuch") | .state')" = UNKNOWN ]
}

check_formats() {
	wm-errors -t "$TARGET" --since 1m --format=nagios >"$tmp/nagios" 2>"$tmp/err"
	cat "$tmp/nagios" "$tmp/err" >>"$tmp/transcript"
	check "nagios format: the first line of stdout starts with 'WM-ERRORS ' ($(head -n 1 "$tmp/nagios"))" \
		grep -q '^WM-ERRORS ' <<<"$(head -n 1 "$tmp/nagios")"
	wm-errors -t "$TARGET" --since 1m --format=prometheus >"$tmp/prom" 2>"$tmp/err"
	cat "$tmp/prom" "$tmp/err" >>"$tmp/transcript"
	check "prometheus format: promtool check metrics is clean" \
		eval 'promtool check metrics <"$tmp/prom"'
	check "prometheus format: log lines per service and level, the project in a label" \
		grep -Eq '^wm_log_lines\{tool="wm-errors",target="'"$TARGET"'",project="[^"]+",service="[^"]+",level="info"\} [0-9]+$' "$tmp/prom"
	check "prometheus format: no service name in a family name" \
		eval '! grep -Eq "^wm_errors_" "$tmp/prom"'
}

# No output of any run above holds a world secret.
check_no_secrets() {
	assert_no_secrets "no world secret in any output of wm-errors" "$tmp/transcript"
}
