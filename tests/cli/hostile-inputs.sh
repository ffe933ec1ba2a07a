#!/bin/bash
# hostile-inputs.sh - issue 11 items 14, 16, 17 without services: the four
# programs against a silent ssh/redis/postgres/docker listener given --timeout
# on the command line (prog-silent-listener.sh covers the [general] timeout), a
# hostile docker engine (tests/cli/fake-engine.py), hostile log files,
# configuration errors, and secrets in the configuration that no output may
# show.  Every case: its documented state, exactly one line, no sanitizer
# report, no hang.
set -u
b=${WM_BUILDDIR:?run under make check}
s=${WM_SRCDIR:?run under make check}
tmp=$(mktemp -d) || exit 1
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
unset WM_CONFIG WM_TARGET DOCKER_HOST WM_REDIS_PASSWORD PGPASSWORD
export WM_STATE_DIR=$tmp/state XDG_CONFIG_HOME=$tmp/xdg HOME=$tmp/home
mkdir -p "$tmp/home"
. "$s/tests/lib.sh"

# wait_port FILE: the first line of FILE once a listener has written it
wait_port() {
	for _ in $(seq 100); do [ -s "$1" ] && break; sleep 0.1; done
	head -n 1 "$1"
}
python3 "$s/tests/cli/silent-listener.py" "$tmp/silent.sock" >"$tmp/silent.port" &
pids+=($!)
echo good >"$tmp/mode"
python3 "$s/tests/cli/fake-engine.py" "$tmp/engine.sock" "$tmp/mode" >"$tmp/engine.port" &
pids+=($!)
python3 "$s/tests/cli/mute-postgres.py" >"$tmp/mute.port" &
pids+=($!)
silent=$(wait_port "$tmp/silent.port")
engine=$(wait_port "$tmp/engine.port")
[ -n "$silent" ] && [ -n "$engine" ] || { echo "not ok - the listeners started"; exit 1; }

# run LIMIT PROG ARGS...: run a program, at most LIMIT seconds (a hang is
# killed by timeout(1): exit 124); sets rc, took; stdout in out, stderr in err.
run() {
	local limit=$1 start
	shift
	start=$(date +%s%N)
	timeout -s KILL "$limit" "$b/src/$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	took=$((($(date +%s%N) - start) / 1000000))
}
# sane: no sanitizer report, no death by signal
sane() { [ "$rc" -le 3 ] && ! grep -qE 'Sanitizer|runtime error|LeakSanitizer' "$tmp/err"; }
# one_line: one status line (the nagios first line) whose state is the exit
# status and which gives a reason, and at most one line on stderr
one_line() {
	local st=(OK WARNING CRITICAL UNKNOWN)
	head -n 1 "$tmp/out" | grep -qE "^WM-[A-Z]+ ${st[$rc]} - [^ ]" &&
		[ "$(grep -c . "$tmp/err")" -le 1 ]
}
what() { echo "exit $rc in ${took}ms; out: $(head -c 300 "$tmp/out" | tr '\n' '|'); err: $(head -c 300 "$tmp/err" | tr '\n' '|')"; }

# --- item 14: a listener that accepts and never answers, --timeout=1 --------
# warunginmon(7) EXIT STATUS: redis or postgres silent: CRITICAL (2); the
# means of looking silent (the docker engine, the ssh host): UNKNOWN (3).
: >"$tmp/known_hosts"
cat >"$tmp/silent.conf" <<CONF
[target local]
docker_socket = $tmp/silent.sock
project = p
services = a
redis = 127.0.0.1:$silent
postgres = host=127.0.0.1 port=$silent dbname=x user=x connect_timeout=30
[target ssh]
host = 127.0.0.1
port = $silent
user = nobody
known_hosts = $tmp/known_hosts
project = p
services = a
redis = 127.0.0.1:6379
postgres = host=127.0.0.1 port=5432 dbname=x user=x
CONF
chmod 600 "$tmp/silent.conf"
# silent PROG TARGET STATE-EXIT TRIED: within 1 s + 5 s, exit STATE-EXIT, one
# line naming TRIED (what was tried: the endpoint or the host).
silent() {
	local want=$3 tried=$4 limit=$((${5:-1} + 5))
	run 15 "$1" --config="$tmp/silent.conf" -t "$2" --timeout="${5:-1}" --format=nagios
	check "$1 -t $2 --timeout=${5:-1}: a silent listener ends in exit $want within $limit s, one line naming $tried ($(what))" \
		eval '[ "$rc" = "$want" ] && [ "$took" -le $((limit * 1000)) ] && one_line && head -n 1 "$tmp/out" | grep -qF -- "$tried" && sane'
}
silent wm-cache local 2 "127.0.0.1:$silent"
# wm-db with --timeout=1: libpq's connect_timeout would wait 2 s at least and
# the watchdog's UNKNOWN would come first (lib/clients/pg.c polls to a deadline in ms)
silent wm-db local 2 "$silent"
silent wm-services local 3 docker
silent wm-errors local 3 docker
for p in wm-services wm-errors wm-cache wm-db; do
	silent "$p" ssh 3 "ssh 127.0.0.1:$silent"
done

# A PostgreSQL that lets wm-db in and then answers no query (a server or a
# tunnel gone mute after the connection): each query waits on the socket to
# the deadline (lib/clients/pg_query.c), not only on statement_timeout, so
# --timeout=2 ends in CRITICAL within 2 s + 5 s, the queries after the first
# are not sent, and the pg_stat_statements check is UNKNOWN, not OK.
mute=$(wait_port "$tmp/mute.port")
printf '[target m]\npostgres = host=127.0.0.1 port=%s dbname=x user=x\nproject = p\nservices = a\n' \
	"$mute" >"$tmp/mute.conf"
chmod 600 "$tmp/mute.conf"
run 20 wm-db --config="$tmp/mute.conf" -t m --timeout=2 --format=text
check "wm-db: a PostgreSQL mute after connect is CRITICAL within 7 s, not the watchdog's UNKNOWN ($(what))" \
	eval '[ "$rc" = 2 ] && [ "$took" -le 7000 ] && sane'
check "wm-db: the first query on the mute PostgreSQL says 'no answer in time' ($(what))" \
	grep -qE 'pg.connections +counting connections on 127.0.0.1:[0-9]+/x: no answer in time' "$tmp/out"
check "wm-db: pg.statements is UNKNOWN, not OK, when its query was not answered ($(what))" \
	grep -qE '^UNKNOWN +pg.statements +query latency unavailable' "$tmp/out"

# --- item 16: a hostile docker engine ---------------------------------------
printf '[target t]\ndocker_socket = %s\nproject = p\nservices = a\n' "$tmp/engine.sock" >"$tmp/engine.conf"
run 20 wm-services --config="$tmp/engine.conf" -t t --timeout=3 --format=nagios
check "wm-services: the fake engine's good answer is OK, one line ($(what))" \
	eval '[ "$rc" = 0 ] && one_line && sane'
for mode in malformed notjson empty object numbers wrongtypes nulls deep \
	oversized truncated badstatus nostatus badchunk status500 reset; do
	echo "$mode" >"$tmp/mode"
	for p in wm-services wm-errors; do
		run 20 "$p" --config="$tmp/engine.conf" -t t --timeout=3 --format=nagios
		check "$p: engine answer '$mode' is UNKNOWN, one line, within 8 s ($(what))" \
			eval '[ "$rc" = 3 ] && [ "$took" -le 8000 ] && one_line && sane'
	done
done

# a 4 MiB container name: any state, but a status line, not 4 MiB of it
echo hugestring >"$tmp/mode"
for p in wm-services wm-errors; do
	run 20 "$p" --config="$tmp/engine.conf" -t t --timeout=3 --format=nagios
	check "$p: a 4 MiB container name gives a status line under 4 KiB ($(what))" \
		eval 'one_line && [ "$(head -n 1 "$tmp/out" | wc -c)" -lt 4096 ] && sane'
done

# redis and postgres: half an answer then a TCP reset, or binary garbage: the
# service is not serving (CRITICAL), one line.
printf '[target t]\nredis = 127.0.0.1:%s\npostgres = host=127.0.0.1 port=%s dbname=x user=x\n' \
	"$engine" "$engine" >"$tmp/tcp.conf"
for mode in reset garbage; do
	echo "$mode" >"$tmp/mode"
	for p in wm-cache wm-db; do
		run 20 "$p" --config="$tmp/tcp.conf" -t t --timeout=3 --format=nagios
		check "$p: a server answering '$mode' is CRITICAL, one line ($(what))" \
			eval '[ "$rc" = 2 ] && one_line && sane'
	done
done

# --- item 16: hostile logs for wm-errors ------------------------------------
python3 - "$tmp" <<'PY'
import random, sys
d = sys.argv[1]
r = random.Random(11)
open(d + "/garbage.log", "wb").write(bytes(r.getrandbits(8) for _ in range(1 << 20)))
# a 20 MiB line with an ERROR in the middle, then an ordinary error line
open(d + "/giant.log", "wb").write(b"2026-01-01T00:00:00Z INFO " + b"x" * (10 << 20) + b" ERROR "
                                    + b"y" * (10 << 20) + b"\n2026-01-01T00:00:01Z ERROR after the giant\n")
open(d + "/nul.log", "wb").write(b"2026-01-01T00:00:00Z ERROR a\x00b\xff\xfe\n" * 1000 + b"\r\r\r" + b"\n" * 100000)
open(d + "/noeol.log", "wb").write(b"2026-01-01T00:00:00Z ERROR no newline at the end " * 1000)
PY
for f in garbage giant nul noeol; do
	run 60 wm-errors --since=0 --file="$tmp/$f.log" --timeout=30 --format=nagios
	check "wm-errors --file=$f.log: a state, one line, no crash ($(what))" \
		eval 'one_line && sane'
	run 60 wm-errors --since=0 --follow --file=- --timeout=30 --format=ndjson <"$tmp/$f.log"
	check "wm-errors --follow --file=- <$f.log: exit 0 at the end of input, valid ndjson, no crash ($(what))" \
		eval '[ "$rc" = 0 ] && python3 -c "import json, sys; [json.loads(l) for l in open(sys.argv[1], encoding=\"utf-8\")]" "$tmp/out" && sane'
done

# --- item 16: configuration errors: UNKNOWN (exit 3), one line, no crash ----
printf '[target t\nredis = \n' >"$tmp/syntax.conf"
head -c 4096 "$tmp/garbage.log" >"$tmp/binary.conf"
printf '[target t]\nredis = 127.0.0.1:1\nredis_password_file = %s/missing\npostgres = host=127.0.0.1 port=1 dbname=x user=x\npostgres_password_file = %s/missing\n' \
	"$tmp" "$tmp" >"$tmp/nopass.conf"
printf 's3cr3t\n' >"$tmp/open.pass"
chmod 644 "$tmp/open.pass"
printf '[target t]\nredis = 127.0.0.1:1\nredis_password_file = %s/open.pass\npostgres = host=127.0.0.1 port=1 dbname=x user=x\npostgres_password_file = %s/open.pass\n' \
	"$tmp" "$tmp" >"$tmp/openpass.conf"
printf '[general]\ntimeout = forever\n[target t]\nredis = 127.0.0.1:1\n' >"$tmp/badtimeout.conf"
printf '[target t]\nredis = %s\n' "$(head -c 5000 /dev/zero | tr '\0' x)" >"$tmp/longvalue.conf"
chmod 600 "$tmp"/*.conf
for p in wm-services wm-errors wm-cache wm-db wm-perf; do
	cases="syntax binary badtimeout longvalue missing"
	case $p in wm-cache | wm-db) cases+=" nopass openpass" ;; esac
	for c in $cases; do
		run 20 "$p" --config="$tmp/$c.conf" -t t --timeout=2 --format=nagios
		check "$p: configuration '$c' is UNKNOWN with one line ($(what))" \
			eval '[ "$rc" = 3 ] && one_line && sane'
	done
	for bad in --timeout=abc --timeout=-1 --timeout= "-t nosuch"; do
		run 20 "$p" --config="$tmp/silent.conf" $bad --format=nagios
		check "$p $bad: exit 3, no crash ($(what))" eval '[ "$rc" = 3 ] && sane'
	done
done

# --- item 17: secrets in the configuration never in any output --------------
add_secret "Redis-Pass-$$-q7" "Pg-Pass-$$-z9" "Conninfo-Pass-$$-k3"
printf 'Redis-Pass-%s-q7\n' $$ >"$tmp/redis.pass"
printf 'Pg-Pass-%s-z9\n' $$ >"$tmp/pg.pass"
chmod 600 "$tmp/redis.pass" "$tmp/pg.pass"
cat >"$tmp/secret.conf" <<CONF
[target silent]
docker_socket = $tmp/silent.sock
project = p
services = a
redis = 127.0.0.1:$silent
redis_password_file = $tmp/redis.pass
postgres = host=127.0.0.1 port=$silent dbname=x user=x
postgres_password_file = $tmp/pg.pass
[target refused]
docker_socket = $tmp/engine.sock
project = p
services = a
redis = 127.0.0.1:1
redis_password_file = $tmp/redis.pass
postgres = host=127.0.0.1 port=1 dbname=x user=x
postgres_password_file = $tmp/pg.pass
[target reset]
docker_socket = $tmp/engine.sock
project = p
redis = 127.0.0.1:$engine
redis_password_file = $tmp/redis.pass
postgres = host=127.0.0.1 port=$engine dbname=x user=x password=Conninfo-Pass-$$-k3
CONF
chmod 600 "$tmp/secret.conf"
echo reset >"$tmp/mode"
outs=()
for p in wm-services wm-errors wm-cache wm-db wm-perf; do
	for t in silent refused reset; do
		for f in text json ndjson nagios prometheus; do
			run 20 "$p" --config="$tmp/secret.conf" -t "$t" --timeout=1 --format="$f" -vv
			cp "$tmp/out" "$tmp/o.$p.$t.$f"
			cp "$tmp/err" "$tmp/e.$p.$t.$f"
			outs+=("$tmp/o.$p.$t.$f" "$tmp/e.$p.$t.$f")
			sane || not_ok "$p -t $t --format=$f -vv: $(what)"
		done
	done
	run 20 "$p" --config="$tmp/secret.conf" -t reset --print-config
	cp "$tmp/out" "$tmp/pc.$p"
	cp "$tmp/err" "$tmp/pce.$p"
	outs+=("$tmp/pc.$p" "$tmp/pce.$p")
done
assert_no_secrets "no password in any output or -vv stderr of the five programs (${#outs[@]} files)" "${outs[@]}"
finish
