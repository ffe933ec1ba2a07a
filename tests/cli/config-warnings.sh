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
fail=0
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; fail=1; }

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
	if grep -q 'writable' "$tmp/err"; then not_ok "$p: a 0600 file is not writable by anyone"; else ok "$p: no warning for a 0600 file"; fi
	[ "$rc" -le 3 ] && [ -s "$tmp/out" ] && ok "$p: the check still ran (exit $rc)" ||
		not_ok "$p: exit $rc, no result: $(cat "$tmp/err")"
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
if grep -q 'warning' "$tmp/err"; then not_ok "a clean file: no warning, got $(cat "$tmp/err")"; else ok "a clean file: no warning"; fi
exit $fail
