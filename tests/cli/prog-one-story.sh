#!/bin/bash
# prog-one-story.sh - the same situation ends in the same state in every program
# and format (warunginmon(7), EXIT STATUS; issue 11 item 10): a failure
# before any check still prints an UNKNOWN result with its reason in every
# machine format; the rollup check never says OK over failed services; what
# was tried is named as it was (issue 11 items 6 and 10).
set -u
b=${WM_BUILDDIR:?run under make check}
fail=0
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; fail=1; }
expect() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1: want '$2', got '$3'"; fi; }
tmp=$(mktemp -d) || exit 1
srv=
trap '[ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$tmp"' EXIT
unset WM_CONFIG WM_TARGET DOCKER_HOST
export XDG_CONFIG_HOME=$tmp/xdg WM_STATE_DIR=$tmp/state
printf '[target t]\nservices = backend, nginx\n' >"$tmp/wm.conf"

for p in wm-services wm-errors wm-cache wm-db; do
	"$b/src/$p" -j --config "$tmp/missing.conf" >"$tmp/out" 2>"$tmp/err"
	expect "$p -j, missing configuration: exit 3, an UNKNOWN result naming the file" \
		"3 UNKNOWN setup 1" \
		"$? $(jq -r '"\(.state) \(.checks[0].name) \(.summary | contains("missing.conf") | if . then 1 else 0 end)"' "$tmp/out" 2>&1)"
	"$b/src/$p" --format=nagios --config "$tmp/wm.conf" -t nosuch >"$tmp/out" 2>/dev/null
	expect "$p --format=nagios, unknown target: the plugin line says why" \
		"3 ${p^^} UNKNOWN - unknown target 'nosuch'" "$? $(head -1 "$tmp/out" | cut -d'(' -f1 | sed 's/ $//')"
	"$b/src/$p" --format=prometheus --config "$tmp/wm.conf" -t nosuch >"$tmp/out" 2>/dev/null
	expect "$p --format=prometheus, unknown target: state 3" 3 \
		"$(awk '/^wm_result_state/ {print $2}' "$tmp/out")"
	"$b/src/$p" --config "$tmp/wm.conf" -t nosuch >"$tmp/out" 2>"$tmp/err"
	expect "$p text, unknown target: stderr only, one line" "3 0 1" \
		"$? $(wc -c <"$tmp/out") $(wc -l <"$tmp/err")"
done
"$b/src/wm-errors" --format=ndjson --tail=-1 - </dev/null >"$tmp/out" 2>/dev/null
expect "a bad option after --format: the reason in the format too" "UNKNOWN invalid --tail '-1'" \
	"$(jq -r '"\(.state) \(.summary)"' "$tmp/out" 2>&1 | head -1)"

# wm-db names what libpq really tried: a unix socket, not 127.0.0.1:5432.
printf '[target t]\npostgres = host=%s port=5999 dbname=x user=x\n' "$tmp/nopg" >"$tmp/pg.conf"
printf '[target t]\npostgres = port=5999 dbname=x user=x\n' >"$tmp/pg2.conf"
chmod 600 "$tmp/pg.conf" "$tmp/pg2.conf"
PGHOST= "$b/src/wm-db" -j --config "$tmp/pg.conf" -t t --timeout 3 >"$tmp/pg.json"
expect "wm-db, socket directory: the socket tried" \
	"PostgreSQL $tmp/nopg/.s.PGSQL.5999/x: no response" \
	"$(jq -r '.checks[] | select(.name=="pg.ready") | .summary' "$tmp/pg.json")"
PGHOST= "$b/src/wm-db" -j --config "$tmp/pg2.conf" -t t --timeout 3 >"$tmp/pg2.json"
expect "wm-db, no host: libpq's default socket, not 127.0.0.1" \
	"PostgreSQL unix socket .s.PGSQL.5999/x in libpq's default directory: no response" \
	"$(jq -r '.checks[] | select(.name=="pg.ready") | .summary' "$tmp/pg2.json")"

# The rollup: an engine with none of the expected containers.
python3 - "$tmp/docker.sock" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(8)
while True:
    c, _ = s.accept()
    with c:
        req = b""
        while b"\r\n\r\n" not in req:
            d = c.recv(4096)
            if not d:
                break
            req += d
        body = b"OK" if b"/_ping" in req.split(b"\r\n")[0] else b"[]"
        try:  # a bare connect (is the socket there?) sends nothing
            c.sendall(b"HTTP/1.1 200 OK\r\nApi-Version: 1.43\r\nContent-Type: application/json"
                      b"\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        except OSError:
            pass
PY
srv=$!
for _ in $(seq 50); do [ -S "$tmp/docker.sock" ] && break; sleep 0.1; done
printf '[target t]\ndocker_socket = %s\nproject = warungin\nservices = backend, nginx\n' \
	"$tmp/docker.sock" >"$tmp/engine.conf"
"$b/src/wm-services" -j --config "$tmp/engine.conf" -t t --timeout 5 >"$tmp/svc.json"
expect "services rollup: 0/2 up is not OK" "2 CRITICAL" \
	"$? $(jq -r '.checks[] | select(.name=="services") | .state' "$tmp/svc.json")"
expect "services rollup: its summary" "0/2 services OK (project warungin)" \
	"$(jq -r '.checks[] | select(.name=="services") | .summary' "$tmp/svc.json")"
exit $fail
