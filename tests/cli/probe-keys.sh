#!/bin/bash
# probe-keys.sh - every key of a [probe NAME] section (warunginmon.conf(5)) is
# honoured or refused, never dropped in silence: several header lines are all
# sent, body_file is the request's body, max_time bounds the wait (a probe
# without an answer by then is UNKNOWN and says the limit), and what a probe
# cannot hold (a fifth header, body with body_file) is refused with the file
# and line (that of the section's first key).  A plain HTTP server on loopback
# records what it was sent.
set -u
b=${WM_BUILDDIR:?run under make check}
src=${WM_SRCDIR:?}
. "$src/tests/lib.sh"
tmp=$(mktemp -d) || exit 1
srv=
trap '[ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$tmp"' EXIT
unset WM_CONFIG WM_TARGET DOCKER_HOST WM_BASE_URL WM_METRICS_URL
export XDG_CONFIG_HOME=$tmp/xdg WM_STATE_DIR=$tmp/state HOME=$tmp/home
mkdir -p "$HOME"

# /slow answers after 4 s; everything else at once; every answer is 401 but
# the login's (200 with a token); each request's path, headers and body are
# appended to req.log.
python3 - "$tmp" <<'PY' &
import http.server, sys, time
tmp = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def do_GET(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode() if n else ""
        with open(tmp + "/req.log", "a") as f:
            f.write("%s %s\n%sbody=%s\n\n" % (self.command, self.path, self.headers, body))
        if self.path.startswith("/slow"):
            time.sleep(4)
        out, code = b'{"error":"Unauthorized"}', 401
        if self.path == "/api/auth/login":
            out, code = b'{"token":"tok-from-login"}', 200
        self.send_response(code)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)
    do_POST = do_GET
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
open(tmp + "/port.tmp", "w").write(str(s.server_address[1]))
__import__("os").rename(tmp + "/port.tmp", tmp + "/port")
s.serve_forever()
PY
srv=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port" 2>/dev/null)
check "the HTTP server listens (port ${port:-none})" test -n "$port"

printf '{"email":"probe@example.test","marker":"from-the-file"}' >"$tmp/body.json"
printf 'not-a-real-password' >"$tmp/pw"
chmod 600 "$tmp/body.json" "$tmp/pw"
# conf FILE SECTIONS: target t on the server, no default probe, SECTIONS appended.
conf() {
	printf '[target t]\ndocker_socket = %s/none.sock\nbase_url = http://127.0.0.1:%s\n[security]\ndefault_probes = no\n%s' \
		"$tmp" "$port" "$2" >"$1"
	chmod 600 "$1"
}
field() { jq -r --arg n "$1" ".checks[] | select(.name == \$n) | .$2" "$tmp/out.json"; }

conf "$tmp/keys.conf" "[probe headers4]
url = /headers
header = X-Probe-A: 1
header = X-Probe-B: 2
header = X-Probe-C: 3
header = X-Probe-D: 4
expect_status = 401
[probe fromfile]
method = POST
url = /fromfile
body_file = $tmp/body.json
expect_status = 401
[probe slow]
url = /slow
max_time = 1s
expect_status = 401
[probe authed]
method = POST
url = /authed
user = probe@example.test
credentials_file = $tmp/pw
body_file = $tmp/body.json
expect_status = 401
[probe json4]
url = /json4
expect_status = 401
expect_json = error
expect_json = error = Unauthorized
expect_json = error
expect_json = no_such_field
"
"$b/src/wm-security" -j --config "$tmp/keys.conf" -t t --timeout 20 --no-logs \
	>"$tmp/out.json" 2>"$tmp/err"
sed -n '/^GET \/headers/,/^$/p' "$tmp/req.log" >"$tmp/headers.req"
check "header: the first of four header lines was sent" grep -q '^X-Probe-A: 1' "$tmp/headers.req"
check "header: the fourth of four header lines was sent" grep -q '^X-Probe-D: 4' "$tmp/headers.req"
expect "header: the probe was judged ($(field security.probe.headers4 summary))" OK \
	"$(field security.probe.headers4 state)"
check "body_file: the file's text was the request's body" \
	grep -q '^body={"email":"probe@example.test","marker":"from-the-file"}$' "$tmp/req.log"
expect "body_file: the probe was judged ($(field security.probe.fromfile summary))" OK \
	"$(field security.probe.fromfile state)"
expect "max_time 1s against a 4 s answer: UNKNOWN ($(field security.probe.slow summary))" \
	UNKNOWN "$(field security.probe.slow state)"
check "max_time: the summary says the limit" \
	grep -q 'max_time 1000 ms' <<<"$(field security.probe.slow summary)"
sed -n '/^POST \/authed/,/^$/p' "$tmp/req.log" >"$tmp/authed.req"
check "credentials_file with body_file (no {{password}}): logged in first" \
	grep -q '^POST /api/auth/login' "$tmp/req.log"
check "credentials_file with body_file: the request carried the login's token" \
	grep -q '^Authorization: Bearer tok-from-login' "$tmp/authed.req"
expect "expect_json: a fourth line is judged too ($(field security.probe.json4 summary))" \
	CRITICAL "$(field security.probe.json4 state)"

conf "$tmp/five.conf" "[probe five]
url = /five
header = A: 1
header = B: 2
header = C: 3
header = D: 4
header = E: 5
"
"$b/src/wm-security" -j --config "$tmp/five.conf" -t t --timeout 20 --no-logs \
	>"$tmp/out.json" 2>"$tmp/err"
expect "a fifth header line: the probes are UNKNOWN" UNKNOWN "$(field security.probes state)"
check "a fifth header line: refused with the file and line ($(field security.probes summary))" \
	grep -qF "$tmp/five.conf:7: [probe five]: more than 4 header lines" <<<"$(field security.probes summary)"
check "a fifth header line: nothing was sent" eval '! grep -q "^GET /five" "$tmp/req.log"'

conf "$tmp/both.conf" "[probe both]
url = /both
body = {}
body_file = $tmp/body.json
"
"$b/src/wm-security" -j --config "$tmp/both.conf" -t t --timeout 20 --no-logs \
	>"$tmp/out.json" 2>"$tmp/err"
check "body and body_file: refused ($(field security.probes summary))" \
	grep -qF "[probe both]: body and body_file: one of them" <<<"$(field security.probes summary)"
finish
