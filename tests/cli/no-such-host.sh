#!/bin/bash
# no-such-host.sh - a host name that does not resolve is "could not look":
# UNKNOWN in every program, with the name tried in the text; a connection
# refused by an address that did resolve is a service not serving: CRITICAL
# in the programs that ask the service itself (warunginmon(7), EXIT STATUS;
# issue 11).  Names under .invalid never resolve (RFC 2606); port 1 of
# 127.0.0.1 refuses.
set -u
b=${WM_BUILDDIR:?run under make check}
. "${WM_SRCDIR:?}/tests/lib.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
unset WM_CONFIG WM_TARGET DOCKER_HOST PGHOST WM_REDIS WM_POSTGRES WM_BASE_URL WM_METRICS_URL
export XDG_CONFIG_HOME=$tmp/xdg WM_STATE_DIR=$tmp/state HOME=$tmp/home
mkdir -p "$HOME"
h=nosuch.invalid
# conf FILE HOST PORT-REDIS PORT-PG PORT-HTTP: one target t on HOST.
conf() {
	cat >"$1" <<EOF
[target t]
docker_socket = $tmp/no-docker.sock
project = warungin
services = backend
redis = $2:$3
postgres = host=$2 port=$4 dbname=x user=x
base_url = http://$2:$5
metrics_url = http://$2:$5/metrics
[perf]
sample_urls = /api/health
EOF
	chmod 600 "$1"
}
conf "$tmp/nohost.conf" "$h" 6379 5432 8080
conf "$tmp/refused.conf" 127.0.0.1 1 1 1

# run PROGRAM CONF ARGS...: its JSON in $tmp/out.json.
run() {
	local p=$1 c=$2
	shift 2
	"$b/src/$p" -j --config "$c" -t t --timeout 10 "$@" >"$tmp/out.json" 2>"$tmp/err"
}
field() { jq -r ".checks[] | select(.name == \"$1\") | .$2" "$tmp/out.json"; }
# unknown_naming CHECK: CHECK is UNKNOWN and its summary names the host.
unknown_naming() {
	expect "$p: $1 is UNKNOWN" UNKNOWN "$(field "$1" state)"
	check "$p: $1 names $h ($(field "$1" summary))" grep -qF "$h" <<<"$(field "$1" summary)"
}

p=wm-db
run $p "$tmp/nohost.conf"
expect "$p: exit 3" 3 $?
unknown_naming pg.ready
check "$p: not 'no response' (the server was never asked)" \
	eval '! grep -q "no response" <<<"$(field pg.ready summary)"'
run $p "$tmp/refused.conf"
expect "$p: refused by 127.0.0.1:1: pg.ready CRITICAL" CRITICAL "$(field pg.ready state)"

p=wm-cache
run $p "$tmp/nohost.conf"
expect "$p: exit 3" 3 $?
unknown_naming redis.ping
expect "$p: the error names resolution" resolve "$(field redis.ping data.error)"
run $p "$tmp/refused.conf"
expect "$p: refused by 127.0.0.1:1: redis.ping CRITICAL" CRITICAL "$(field redis.ping state)"

p=wm-smoke
run $p "$tmp/nohost.conf"
expect "$p: exit 3" 3 $?
for s in health api-health frontend db cache; do
	unknown_naming "smoke.$s"
done
expect "$p: the db step has no time (nothing was timed)" null \
	"$(jq -r '.checks[] | select(.name == "smoke.db") | .metrics[0].value' "$tmp/out.json")"
expect "$p: the rollup is UNKNOWN, not a failure" UNKNOWN "$(field smoke state)"
check "$p: the rollup says the steps were not checked ($(field smoke summary))" \
	grep -q "not checked: .*health" <<<"$(field smoke summary)"
run $p "$tmp/refused.conf"
for s in health db cache; do
	expect "$p: refused by 127.0.0.1:1: smoke.$s CRITICAL" CRITICAL "$(field "smoke.$s" state)"
done

p=wm-perf
run $p "$tmp/nohost.conf" --sample=2
expect "$p: exit 3" 3 $?
unknown_naming perf.app
unknown_naming perf.sample

p=wm-security
run $p "$tmp/nohost.conf"
expect "$p: exit 3" 3 $?
unknown_naming security.probe.no-token
unknown_naming security.probe.headers

# Through ssh: the target host itself does not resolve.
for p in wm-services wm-errors; do
	"$b/src/$p" -j -H "mon@$h" --timeout 10 >"$tmp/out.json" 2>"$tmp/err"
	expect "$p -H mon@$h: exit 3" 3 $?
	expect "$p -H mon@$h: UNKNOWN" UNKNOWN "$(jq -r .state "$tmp/out.json")"
	check "$p -H mon@$h: the summary names the host" grep -qF "$h" <<<"$(jq -r .summary "$tmp/out.json")"
done
finish
