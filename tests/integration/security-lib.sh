# security-lib.sh - shared by security-*.test: wm-security against the world
# for one target (sourced; the caller sets TARGET and calls the checks).
# Needs what tests/integration/run exports: WM_WORLD_*, WM_CONFIG, PATH.
# Every window starts at its own t0, after the previous run's probes, so each
# run counts only the traffic of its own case; the login limiter of the
# address the store-less probe comes from (the world's config gives it
# X-Forwarded-For 192.0.2.77) is reset before each run, since every run's
# store-less probe is a failed login.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
W=$here/../world/world
WM_T_PREFIX="$TARGET: "
. "$here/../lib.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wm-security-test.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

reset_limiter() {
	curl -s -m 10 -o /dev/null -X POST "$WM_WORLD_BACKEND_URL/__world/reset-ratelimit?ip=${1:-127.0.0.1}"
}
window_start() {
	sleep 1
	date +%s.%3N
}
# sec ARGS...: wm-security -j for $TARGET; JSON in $tmp/out, exit code in $rc;
# every output kept in $tmp/transcript for check_no_secrets.
sec() {
	reset_limiter 192.0.2.77
	wm-security -t "$TARGET" -j "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	cat "$tmp/out" "$tmp/err" >>"$tmp/transcript"
}
q() { jq -r "$@" "$tmp/out"; }
state() { q --arg c "$1" '.checks[] | select(.name == $c) | .state'; }
summary() { q --arg c "$1" '.checks[] | select(.name == $c) | .summary'; }
metric() { q --arg c "$1" --arg m "$2" '.checks[] | select(.name == $c) | .metrics[] | select(.name == $m) | .value'; }

# Traffic for 3 s: its 401s are the only refusals of the window; every probe
# refused as it must be.
check_clean() {
	local t0 n401 n403
	t0=$(window_start)
	"$W" traffic --rate 10 --duration 3 >"$tmp/traffic" || not_ok "traffic"
	n401=$(grep -o ' 401:[0-9]*' "$tmp/traffic" | cut -d: -f2)
	n403=$(grep -o ' 403:[0-9]*' "$tmp/traffic" | cut -d: -f2)
	sec --since "$t0"
	check "clean: exit 0 (got $rc: $(head -c 300 "$tmp/err"))" [ "$rc" = 0 ]
	check "clean: violations 0" [ "$(metric security.violations violations)" = 0 ]
	check "clean: 401 answers = the traffic's (${n401:-0})" [ "$(metric security.auth unauthorized)" = "${n401:-0}" ]
	check "clean: 403 answers = the traffic's (${n403:-0})" [ "$(metric security.auth forbidden)" = "${n403:-0}" ]
	check "clean: access and backend lines read" \
		[ "$(summary security.logs | grep -cE '^[1-9][0-9]* access lines, [1-9][0-9]* backend lines')" = 1 ]
	check "clean: 7 probes, each refused as expected" \
		[ "$(q '[.checks[] | select(.name | startswith("security.probe.")) | select(.state == "OK")] | length')" = 7 ]
	check "clean: the 2FA probe saw 403 requires2FA" [ "$(q '.checks[] | select(.name == "security.probe.2fa") | .data.status')" = 403 ]
	check "clean: the store guard probe saw 403" [ "$(q '.checks[] | select(.name == "security.probe.store-guard") | .data.status')" = 403 ]
}

check_2fa_bypass() {
	"$W" fault 2fa-bypass >/dev/null || not_ok "fault 2fa-bypass"
	sec --no-logs
	check "2fa-bypass: exit 2 (got $rc)" [ "$rc" = 2 ]
	check "2fa-bypass: CRITICAL '2FA enforcement failing' ($(summary security.probe.2fa))" \
		[ "$(summary security.probe.2fa | grep -c '^2FA enforcement failing: PUT /api/tenants/.* answered 200, expected 403')" = 1 ]
	check "2fa-bypass: one violation" [ "$(metric security.violations violations)" = 1 ]
	check "2fa-bypass: the other probes still refused" [ "$(metric security.probes probe_failures)" = 1 ]
	"$W" heal 2fa-bypass >/dev/null
}

# nginx reloads on SIGHUP after the fault returns, and its old workers may
# answer a little longer: wait until five answers in a row come without
# (want 0) or with (want 1) the header.
headers_now() {
	local i run=0
	for i in $(seq 100); do
		if [ "$(curl -s -m 5 -o /dev/null -D - "$WM_WORLD_BASE_URL/" | grep -ci '^x-content-type-options')" = "$1" ]; then
			run=$((run + 1))
			[ $run -ge 5 ] && return 0
		else
			run=0
		fi
		sleep 0.2
	done
	return 1
}

check_headers() {
	"$W" fault no-security-headers >/dev/null || not_ok "fault no-security-headers"
	headers_now 0 || not_ok "nginx reloaded without the headers"
	sec --no-logs --probe headers
	check "no-security-headers: exit 2 (got $rc)" [ "$rc" = 2 ]
	expect "no-security-headers: the first missing header named" "security headers failing: GET / no X-Content-Type-Options header" \
		"$(summary security.probe.headers)"
	"$W" heal no-security-headers >/dev/null
	headers_now 1 || not_ok "nginx reloaded with the headers"
}

# unauth-flood:120 from 203.0.113.66: 60 401 (no token) + 60 403 (store guard)
check_flood() {
	local t0
	t0=$(window_start)
	"$W" fault unauth-flood:120 >/dev/null || not_ok "fault unauth-flood"
	sec --since "$t0" --no-probes
	check "unauth-flood: exit 1 (got $rc)" [ "$rc" = 1 ]
	check "unauth-flood: security.auth WARNING" [ "$(state security.auth)" = WARNING ]
	check "unauth-flood: 60 answers 401" [ "$(metric security.auth unauthorized)" = 60 ]
	check "unauth-flood: 60 answers 403" [ "$(metric security.auth forbidden)" = 60 ]
	check "unauth-flood: the source address and its count ($(summary security.auth))" \
		[ "$(summary security.auth | grep -c 'most from 203.0.113.66 (120)')" = 1 ]
	check "unauth-flood: 60 store-guard denials counted" [ "$(metric security.store_guard store_denied)" = 60 ]
	check "unauth-flood: store-guard denials named" \
		[ "$(summary security.store_guard | grep -c '^60 supervisor store denials')" = 1 ]
	"$W" heal unauth-flood >/dev/null
}

# bruteforce:25 from 198.51.100.23: 20 x 401 "Password salah", then 5 x 429
check_bruteforce() {
	local t0
	t0=$(window_start)
	"$W" fault bruteforce:25 >/dev/null || not_ok "fault bruteforce"
	sec --since "$t0" --no-probes
	check "bruteforce: exit 2 (got $rc)" [ "$rc" = 2 ]
	check "bruteforce: security.brute_force CRITICAL" [ "$(state security.brute_force)" = CRITICAL ]
	check "bruteforce: the address and its 25 failed logins ($(summary security.brute_force))" \
		[ "$(summary security.brute_force | grep -c 'from 198.51.100.23: 25 failed logins')" = 1 ]
	check "bruteforce: the account tried, masked" \
		[ "$(q '.checks[] | select(.name == "security.brute_force") | .data.incidents[0].accounts[0]')" = "a***@warungin.com" ]
	check "bruteforce: 5 answers 429" [ "$(metric security.rate_limit rate_limited)" = 5 ]
	check "bruteforce: 20 failed logins of the backend" [ "$(metric security.auth failed_logins)" = 20 ]
	"$W" heal bruteforce >/dev/null
}

# No password, token or cookie in any format, nor in -vv.
check_no_secrets() {
	local f
	for f in text json ndjson nagios prometheus; do
		reset_limiter 192.0.2.77
		wm-security -t "$TARGET" --since 1m --format=$f -vv >"$tmp/fmt-$f" 2>&1
	done
	assert_no_secrets "no secret in any format or -vv" "$tmp"/fmt-* "$tmp/transcript"
	check "no bearer token (JWT) in any output" [ "$(cat "$tmp"/fmt-* "$tmp/transcript" | grep -c 'eyJ')" = 0 ]
	check "-vv names each probe it ran" [ "$(grep -c 'probe 2fa: PUT' "$tmp/fmt-text")" = 1 ]
}
