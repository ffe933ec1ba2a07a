#!/bin/bash
# config-warnings.sh - every program says the configuration's warnings on
# stderr (warunginmon.conf(5)): an unknown key (a typo such as
# redis_pasword_file would otherwise pass in silence) and a file anyone may
# write.  The check itself still runs: a warning is not a failure.
set -u
b=${WM_BUILDDIR:?run under make check}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
unset WM_CONFIG WM_TARGET DOCKER_HOST
export WM_STATE_DIR=$tmp/state XDG_CONFIG_HOME=$tmp/xdg
. "${WM_SRCDIR:?run under make check}/tests/lib.sh"

# Nothing listens on port 1 and there is no docker socket: every program
# answers at once, without any service.
cat >"$tmp/wm.conf" <<CONF
[general]
timeout = 2s
[target t]
redis = 127.0.0.1:1
redis_pasword_file = $tmp/pw
postgres = host=127.0.0.1 port=1 dbname=x
docker_socket = $tmp/no-docker.sock
project = wm-none
CONF

run() { # run PROG ARGS...: stderr into $tmp/err, exit code into $rc
	"$b/src/$1" --config "$tmp/wm.conf" -t t "${@:2}" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}
has() { # has WHAT REGEX
	if grep -qE "$2" "$tmp/err"; then ok "$1"; else not_ok "$1: want /$2/, stderr: $(cat "$tmp/err")"; fi
}

chmod 600 "$tmp/wm.conf"
for p in wm-services wm-errors wm-cache wm-db; do
	args=()
	[ $p = wm-errors ] && args=(--file /dev/null)
	run $p "${args[@]}"
	has "$p: the typo'd key is named" \
		"^$p: warning: .*wm\.conf:5: unknown key 'redis_pasword_file' in \[target t\]\$"
	check "$p: no 'writable' warning for a 0600 file" eval '! grep -q writable "$tmp/err"'
	check "$p: the check still ran: exit 0-3 (got $rc) and a result on stdout" \
		eval '[ "$rc" -le 3 ] && [ -s "$tmp/out" ]'
done

chmod 666 "$tmp/wm.conf"
for p in wm-services wm-errors wm-cache wm-db; do
	args=()
	[ $p = wm-errors ] && args=(--file /dev/null)
	run $p "${args[@]}"
	has "$p: a 0666 file is warned about" "^$p: warning: .*wm\.conf: writable by anyone \(mode 0666\)\$"
done

# -v does not repeat them; a clean file says nothing
sed -i 's/redis_pasword_file/redis_password_file/' "$tmp/wm.conf"
chmod 600 "$tmp/wm.conf"
run wm-cache
check "a clean file: no warning on stderr ($(head -c 200 "$tmp/err"))" eval '! grep -q warning "$tmp/err"'
finish
