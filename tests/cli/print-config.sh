#!/bin/bash
# print-config.sh - --print-config, a common option of every program: the
# effective configuration of the chosen target with where each value came
# from (file:line, environment, command line, default), secrets masked, and
# exit 0 without checking anything.
set -u
b=${WM_BUILDDIR:?run under make check}
s=${WM_SRCDIR:?run under make check}
. "$s/tests/lib.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
unset WM_CONFIG WM_TARGET DOCKER_HOST WM_REDIS WM_POSTGRES WM_BASE_URL WM_METRICS_URL PGPASSWORD
export WM_STATE_DIR=$tmp/state XDG_CONFIG_HOME=$tmp/xdg HOME=$tmp/home
add_secret hunter2 s3cret-env

cat >"$tmp/wm.conf" <<CONF
[general]
default_target = prod
[target prod]
host = 127.0.0.1
identity = ~/.ssh/id_prod
postgres = host=127.0.0.1 port=1 dbname=x password=hunter2
[target other]
host = ::1
[thresholds]
hit_rate.warning = 85:
CONF
chmod 600 "$tmp/wm.conf"

for p in wm-services wm-errors wm-cache wm-db; do
	WM_REDIS=127.0.0.1:7 WM_REDIS_PASSWORD=s3cret-env "$b/src/$p" --config "$tmp/wm.conf" \
		--print-config -H deploy@10.9.8.7:2222 --timeout 3 -w hit_rate=90: \
		>"$tmp/$p.out" 2>"$tmp/$p.err"
	rc=$?
	o=$tmp/$p.out
	expect "$p --print-config: exit 0" 0 "$rc"
	check "$p: the target and how it was chosen" \
		grep -qE "^\[target prod\] +; chosen by default_target \(.*wm\.conf:2\)$" "$o"
	check "$p: host from -H" grep -qE "^host = 10\.9\.8\.7 +; command line \(-H\)$" "$o"
	check "$p: port from -H" grep -qE "^port = 2222 +; command line \(-H\)$" "$o"
	check "$p: identity from the file, ~ expanded" \
		grep -qE "^identity = $tmp/home/\.ssh/id_prod +; .*wm\.conf:5$" "$o"
	check "$p: redis from the environment" grep -qE "^redis = 127\.0\.0\.1:7 +; environment WM_REDIS$" "$o"
	check "$p: the docker socket by default" grep -qE "^docker_socket = /var/run/docker\.sock +; default$" "$o"
	check "$p: timeout from the command line" grep -qE "^timeout = 3s +; command line \(--timeout\)$" "$o"
	check "$p: the postgres password masked" grep -qE "^postgres = .* password=\*\*\* +; .*wm\.conf:6$" "$o"
	check "$p: an old threshold key marked" grep -qE "^hit_rate\.warning = 85: +; .*:10 \(old form\)$" "$o"
	check "$p: -w shown" grep -qxF "; -w hit_rate=90: (command line, wins)" "$o"
	check "$p: a password from the environment is only said to be set" \
		grep -qF "WM_REDIS_PASSWORD, set" "$o"
	check "$p: nothing checked (no result on stdout)" eval "! grep -q '^\[OK\]\|^OK\|CRITICAL\|UNKNOWN' '$o'"
	assert_no_secrets "$p: no secret in the output" "$o" "$tmp/$p.err"
done

# Several targets and no default: the choice is the command line's
sed -i '/default_target/d' "$tmp/wm.conf"
"$b/src/wm-cache" --config "$tmp/wm.conf" -t other --print-config >"$tmp/o" 2>&1
expect "-t other: exit 0" 0 $?
check "-t other: chosen on the command line" grep -qE "^\[target other\] +; chosen on the command line \(-t\)$" "$tmp/o"
"$b/src/wm-cache" --config "$tmp/wm.conf" --print-config >"$tmp/o" 2>&1
expect "several targets and none chosen: exit 3" 3 $?
check "several targets and none chosen: says how to choose" grep -qF "and none is chosen: name one with -t NAME" "$tmp/o"
finish
