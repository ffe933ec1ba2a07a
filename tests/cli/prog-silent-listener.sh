#!/bin/bash
# prog-silent-listener.sh - the programs against hostile surroundings, no
# services needed: a silent listener (the configuration's [general] timeout
# must bound the wait).  Each case states what it expects.
set -u
b=${WM_BUILDDIR:?run under make check}
s=${WM_SRCDIR:?run under make check}
tmp=$(mktemp -d) || exit 1
listener=
trap '[ -n "$listener" ] && kill "$listener"; rm -rf "$tmp"' EXIT
unset WM_CONFIG WM_TARGET
export WM_STATE_DIR=$tmp/state XDG_CONFIG_HOME=$tmp/xdg
. "${WM_SRCDIR:?run under make check}/tests/lib.sh"

python3 "$s/tests/cli/silent-listener.py" "$tmp/docker.sock" >"$tmp/port" &
listener=$!
for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")
[ -n "$port" ] || { echo "not ok - the silent listener started"; exit 1; }

# [general] timeout = 1s, no --timeout: each program answers UNKNOWN or
# CRITICAL within a few seconds, not after the built-in 10 s.
cat >"$tmp/c.conf" <<CONF
[general]
timeout = 1s
[target t]
docker_socket = $tmp/docker.sock
redis = 127.0.0.1:$port
postgres = host=127.0.0.1 port=$port dbname=x user=x
metrics_url = http://127.0.0.1:$port/api/metrics
base_url = http://127.0.0.1:$port
services = a
CONF
chmod 600 "$tmp/c.conf"
for p in wm-cache wm-db wm-services wm-errors "wm-perf --sample=3"; do
	start=$(date +%s)
	set -- $p
	p=$1
	"$b/src/$p" --config="$tmp/c.conf" -t t --format=nagios "${@:2}" >"$tmp/out" 2>"$tmp/err"
	rc=$? took=$(($(date +%s) - start))
	if [ "$took" -le 5 ] && { [ "$rc" = 2 ] || [ "$rc" = 3 ]; } && [ "$(wc -l <"$tmp/out")" -ge 1 ]; then
		ok "$p: [general] timeout = 1s bounds a silent listener (exit $rc in ${took}s)"
	else
		not_ok "$p: [general] timeout = 1s: exit $rc after ${took}s: $(head -1 "$tmp/out")"
	fi
done

# A reader that went away (| head -c 10, already gone): exit 3, never a death
# by SIGPIPE, and quiet on stderr as Unix tools are (warunginmon(7)).
# closed_pipe ARGS...: run with stdout a pipe whose read end is closed.
closed_pipe() {
	python3 -c '
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE, stdin=open(os.environ["IN"]))
err = p.stderr.decode(errors="replace").splitlines()
print(p.returncode, len(err), err[0] if err else "")
' "$@"
}
printf '2026-01-01T00:00:00Z ERROR boom\n%.0s' $(seq 200) >"$tmp/log"
printf '[target t]\nredis = 127.0.0.1:1\npostgres = host=127.0.0.1 port=1 dbname=x user=x\n' >"$tmp/closed.conf"
chmod 600 "$tmp/closed.conf"
export IN=$tmp/log
for f in text json ndjson nagios prometheus; do
	for cmd in "wm-errors --since=0 --file=$tmp/log" "wm-errors --since=0 --follow --file=-" \
		"wm-cache --config=$tmp/closed.conf -t t" "wm-db --config=$tmp/closed.conf -t t" \
		"wm-perf --config=$tmp/closed.conf -t t --no-logs"; do
		p=${cmd%% *}
		set -- $cmd
		got=$(timeout 20 bash -c "$(declare -f closed_pipe); closed_pipe \"\$@\"" _ "$b/src/$p" "${@:2}" --format=$f)
		if [ "$got" = "3 0 " ]; then
			ok "$cmd --format=$f into a closed pipe: exit 3, quiet"
		else
			not_ok "$cmd --format=$f into a closed pipe: got '$got'"
		fi
	done
done

# An empty --file is a usage error, as every other empty option value.
"$b/src/wm-errors" --file= >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" = 3 ] && [ "$(head -1 "$tmp/err")" = "wm-errors: empty --file name" ] && [ ! -s "$tmp/out" ]; then
	ok "wm-errors --file= is a usage error"
else
	not_ok "wm-errors --file=: exit $rc: $(head -1 "$tmp/err") $(head -1 "$tmp/out")"
fi
# A token in metrics_url's query never reaches an output or -vv (the URL is
# named by scheme, host and path, as the http client's messages name it).
mkdir -p "$tmp/www/api"
printf '# TYPE up gauge\nup 1\n' >"$tmp/www/api/metrics"
python3 -c '
import functools, http.server, sys
h = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), h)
print(s.server_address[1], flush=True)
s.serve_forever()' "$tmp/www" >"$tmp/hport" 2>/dev/null &
server=$!
trap '[ -n "$listener" ] && kill "$listener"; kill "$server"; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do [ -s "$tmp/hport" ] && break; sleep 0.1; done
printf '[target m]\nmetrics_url = http://127.0.0.1:%s/api/metrics?token=Metrics-Token-%s\n' \
	"$(cat "$tmp/hport")" $$ >"$tmp/m.conf"
chmod 600 "$tmp/m.conf"
for f in text json; do
	"$b/src/wm-perf" --config="$tmp/m.conf" -t m --no-logs --timeout=5 -vv --format=$f \
		>"$tmp/out" 2>"$tmp/err"
	if grep -q "/api/metrics" "$tmp/out" "$tmp/err" && ! grep -q "Metrics-Token" "$tmp/out" "$tmp/err"; then
		ok "wm-perf --format=$f -vv: metrics_url named without its query's token"
	else
		not_ok "wm-perf --format=$f -vv: $(grep -h -o ".\{0,40\}Metrics-Token.\{0,10\}" "$tmp/out" "$tmp/err" | head -1)"
	fi
done
finish
