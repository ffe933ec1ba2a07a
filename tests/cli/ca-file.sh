#!/bin/bash
# ca-file.sh - a target's URLs are asked one way by every program (wm-perf's
# metrics and --sample, wm-security's probes, wm-smoke's steps): ca_file and
# tls_verify (warunginmon.conf(5); wm_endpoint_http_tls) hold for all of
# them, and a path joins a base_url ending in '/' with one slash
# (wm_endpoint_url).  An HTTPS server on loopback with a certificate of a CA
# made here: verified with ca_file, refused without it; it answers 404 to a
# path starting with "//".
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

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/ca.key" -out "$tmp/ca.pem" -days 1 \
	-subj /CN=wm-test-ca >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -keyout "$tmp/srv.key" -out "$tmp/srv.csr" \
	-subj /CN=127.0.0.1 >/dev/null 2>&1
printf 'subjectAltName = IP:127.0.0.1\n' >"$tmp/ext"
openssl x509 -req -in "$tmp/srv.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -CAcreateserial \
	-extfile "$tmp/ext" -out "$tmp/srv.pem" -days 1 >/dev/null 2>&1
check "a CA and a certificate for 127.0.0.1 (openssl)" test -s "$tmp/srv.pem"

# /metrics: the world's histograms; /api/orders: 401 (the no-token probe's
# refusal); anything else 200.
python3 - "$tmp" "$src/tests/fixtures/prom/world-metrics.prom" <<'PY' &
import http.server, ssl, sys
tmp, metrics = sys.argv[1], open(sys.argv[2], "rb").read()
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def do_GET(self):
        code, body = 200, b"ok"
        if self.requestline.split(" ")[1].startswith("//"):  # (self.path: collapsed)
            code, body = 404, b"not found"
        elif self.path.startswith("/metrics"):
            body = metrics
        elif self.path.startswith("/api/orders"):
            code, body = 401, b'{"error":"Unauthorized"}'
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_PUT = do_POST = do_GET
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(tmp + "/srv.pem", tmp + "/srv.key")
s.socket = ctx.wrap_socket(s.socket, server_side=True)
open(tmp + "/port.tmp", "w").write(str(s.server_address[1]))
__import__("os").rename(tmp + "/port.tmp", tmp + "/port")
s.serve_forever()
PY
srv=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port" 2>/dev/null)
check "the HTTPS server listens (port ${port:-none})" test -n "$port"
u=https://127.0.0.1:$port

# conf FILE EXTRA: target t on the server, tls_verify on, EXTRA appended.
conf() {
	printf '[target t]\ndocker_socket = %s/none.sock\nbase_url = %s\nmetrics_url = %s/metrics\ntls_verify = yes\n%s' \
		"$tmp" "$u" "$u" "$2" >"$1"
	chmod 600 "$1"
}
conf "$tmp/ca.conf" "ca_file = $tmp/ca.pem
"
conf "$tmp/noca.conf" ""
field() { jq -r ".checks[] | select(.name == \"$1\") | .$2" "$tmp/out.json"; }

for c in ca noca; do
	"$b/src/wm-perf" -j --config "$tmp/$c.conf" -t t --timeout 10 --no-db --no-logs --sample=1 \
		>"$tmp/out.json" 2>/dev/null
	if [ $c = ca ]; then
		check "wm-perf, ca_file: the metrics were read ($(field perf.app summary))" \
			[ "$(field perf.app state)" != UNKNOWN ]
		expect "wm-perf, ca_file: --sample timed its request" 1 \
			"$(jq -r '.checks[] | select(.name == "perf.sample") | .metrics[] | select(.name == "requests") | .value' "$tmp/out.json")"
	else
		check "wm-perf, no ca_file: the certificate is refused ($(field perf.app summary))" \
			grep -qi 'certificate' <<<"$(field perf.app summary)"
	fi
	"$b/src/wm-security" -j --config "$tmp/$c.conf" -t t --timeout 10 --no-logs \
		>"$tmp/out.json" 2>/dev/null
	if [ $c = ca ]; then
		expect "wm-security, ca_file: the no-token probe was refused as expected ($(field security.probe.no-token summary))" \
			OK "$(field security.probe.no-token state)"
	else
		check "wm-security, no ca_file: the certificate is refused ($(field security.probe.no-token summary))" \
			grep -qi 'certificate' <<<"$(field security.probe.no-token summary)"
	fi
	printf '[step health]\nurl = /health\nexpect_status = 200\n' >>"$tmp/$c.conf"
	"$b/src/wm-smoke" -j --config "$tmp/$c.conf" -t t --timeout 10 >"$tmp/out.json" 2>/dev/null
	if [ $c = ca ]; then
		expect "wm-smoke, ca_file: the step passed ($(field smoke.health summary))" OK \
			"$(field smoke.health state)"
	else
		check "wm-smoke, no ca_file: the certificate is refused ($(field smoke.health summary))" \
			grep -qi 'certificate' <<<"$(field smoke.health summary)"
	fi
done

# base_url with a trailing slash: the same answers.
conf "$tmp/slash.conf" "ca_file = $tmp/ca.pem
[step health]
url = /health
expect_status = 200
"
sed -i "s|^base_url = .*|&/|" "$tmp/slash.conf"
"$b/src/wm-security" -j --config "$tmp/slash.conf" -t t --timeout 10 --no-logs >"$tmp/out.json" 2>/dev/null
expect "wm-security, base_url ending in '/': the probe's path joined with one slash ($(field security.probe.no-token summary))" \
	OK "$(field security.probe.no-token state)"
"$b/src/wm-perf" -j --config "$tmp/slash.conf" -t t --timeout 10 --no-db --no-logs --sample=1 \
	>"$tmp/out.json" 2>/dev/null
expect "wm-perf --sample, base_url ending in '/': answered 200 ($(field perf.sample summary))" \
	OK "$(field perf.sample state)"
"$b/src/wm-smoke" -j --config "$tmp/slash.conf" -t t --timeout 10 >"$tmp/out.json" 2>/dev/null
expect "wm-smoke, base_url ending in '/': the step passed ($(field smoke.health summary))" OK \
	"$(field smoke.health state)"
finish
