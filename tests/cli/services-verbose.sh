#!/bin/bash
# services-verbose.sh - wm-services -v says on stderr what it does: the docker
# socket it talks to, the API version negotiated, how many containers it
# listed, the state files it read and wrote.  Against a fake engine (a unix
# socket that answers /_ping and the container list), no docker needed.
set -u
b=${WM_BUILDDIR:?run under make check}
tmp=$(mktemp -d) || exit 1
srv=
trap '[ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$tmp"' EXIT
unset WM_CONFIG WM_TARGET DOCKER_HOST
export WM_STATE_DIR=$tmp/state XDG_CONFIG_HOME=$tmp/xdg
. "${WM_SRCDIR:?run under make check}/tests/lib.sh"
has() { # has WHAT TEXT: stderr holds the line TEXT
	if grep -qxF "$2" "$tmp/err"; then ok "$1"; else not_ok "$1: want '$2', stderr: $(cat "$tmp/err")"; fi
}

python3 - "$tmp/docker.sock" <<'PY' &
import json, socket, sys
ct = [{"Id": "c1", "Names": ["/warungin-redis-1"], "State": "running", "Status": "Up",
       "Labels": {"com.docker.compose.project": "warungin", "com.docker.compose.service": "redis"}}]
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(8)
for _ in range(64):
    c, _ = s.accept()
    with c:
        req = b""
        while b"\r\n\r\n" not in req:
            d = c.recv(4096)
            if not d:
                break
            req += d
        line = req.split(b"\r\n")[0].decode(errors="replace")
        path = line.split(" ")[1] if " " in line else ""
        if path == "/_ping":
            body, status = b"OK", "200 OK"
        elif "/containers/json" in path:
            body, status = json.dumps(ct).encode(), "200 OK"
        else:
            body, status = b'{"message": "not here"}', "404 Not Found"
        try:
            c.sendall(b"HTTP/1.1 %s\r\nApi-Version: 1.43\r\nContent-Type: application/json\r\n"
                      b"Connection: close\r\nContent-Length: %d\r\n\r\n%s"
                      % (status.encode(), len(body), body))
        except OSError:
            pass
PY
srv=$!
for _ in $(seq 50); do [ -S "$tmp/docker.sock" ] && break; sleep 0.1; done
printf '[target t]\ndocker_socket = %s\nproject = warungin\n' "$tmp/docker.sock" >"$tmp/wm.conf"

WM_STATE_DIR=$tmp/state0 "$b/src/wm-services" --config "$tmp/wm.conf" --timeout 5 >/dev/null 2>"$tmp/err"
if [ -s "$tmp/err" ]; then not_ok "without -v nothing on stderr: $(cat "$tmp/err")"; else ok "without -v nothing on stderr"; fi
"$b/src/wm-services" --config "$tmp/wm.conf" --timeout 5 -v >/dev/null 2>"$tmp/err"
has "-v names the docker socket" "wm-services: docker socket $tmp/docker.sock (local)"
has "-v gives the API version and the container count" \
	"wm-services: docker API 1.43; 1 container of project warungin"
has "-v says a first run has no previous sample" \
	"wm-services: $tmp/state/t/services.json: no previous sample"
has "-v names the sample written" "wm-services: sample saved to $tmp/state/t/services.json"
"$b/src/wm-services" --config "$tmp/wm.conf" --timeout 5 -v >/dev/null 2>"$tmp/err"
has "-v names the previous sample read" \
	"wm-services: previous sample loaded from $tmp/state/t/services.json"
finish
