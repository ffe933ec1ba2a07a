#!/bin/bash
# prog.sh - the program side of the contract (src/common/prog.c), through the
# template program: exit codes, usage errors, close_stdout, --output,
# colour and NO_COLOR, configuration errors.  Each case states what it
# expects; nothing is skipped.
set -u
b=${WM_BUILDDIR:?run under make check}
prog=$b/doc/boilerplate
tmp=$(mktemp -d) || exit 1
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
# no configuration from the environment of whoever runs the tests
unset WM_CONFIG WM_TARGET NO_COLOR
export XDG_CONFIG_HOME=$tmp/xdg
cd "$tmp" || exit 1
. "${WM_SRCDIR:?run under make check}/tests/lib.sh"

# expect_run NAME RC STDERR-FIRST-LINE -- ARGS...: exit status and first stderr line
expect_run() {
	local name=$1 rc=$2 err=$3 got
	shift 4
	"$prog" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" = "$rc" ] && [ "$(head -1 "$tmp/err")" = "$err" ]; then
		ok "$name"
	else
		not_ok "$name: exit $got (want $rc), stderr: $(head -2 "$tmp/err")"
	fi
}

try="Try 'boilerplate --help' for more information."
expect_run "OK exits 0" 0 "" --
expect_run "a crossed critical threshold exits 2" 2 "" -- -c 1
expect_run "a crossed warning threshold exits 1" 1 "" -- -w length=3
expect_run "a bad range is a usage error" 3 \
	"boilerplate: invalid threshold range 'bogus' (expected N, N:, ~:N, N:M or @N:M)" -- -w bogus
[ "$(tail -1 "$tmp/err")" = "$try" ] && ok "usage error ends with the Try line" ||
	not_ok "usage error ends with the Try line: $(cat "$tmp/err")"
expect_run "an unknown format is a usage error" 3 \
	"boilerplate: invalid format 'xml' (expected text, json, ndjson, nagios, prometheus or openmetrics)" -- --format=xml
expect_run "getopt's own message names the program" 3 "boilerplate: unrecognized option '--bogus'" -- --bogus
expect_run "an argument is a usage error" 3 "boilerplate: unexpected argument 'extra'" -- extra
expect_run "a zero timeout is a usage error" 3 \
	"boilerplate: invalid timeout '0' (expected a duration > 0, e.g. 10, 2.5, 500ms, 1m)" -- --timeout=0
expect_run "a missing --config file is UNKNOWN" 3 \
	"boilerplate: $tmp/none (from --config): No such file or directory" -- --config="$tmp/none"
expect_run "an unknown target is UNKNOWN" 3 "boilerplate: unknown target 'nosuch' (known: local)" \
	-- -t nosuch

# the exit code is the same in every format
for f in text json ndjson nagios prometheus openmetrics; do
	"$prog" -c 1 --format=$f >/dev/null 2>&1
	rc=$?
	[ $rc = 2 ] && ok "--format=$f exits 2 for CRITICAL" || not_ok "--format=$f exited $rc"
done

# configuration thresholds, and a bad one
printf '[thresholds]\nlength.critical = 4\n' >"$tmp/c1"
expect_run "a threshold from --config applies" 2 "" -- --config="$tmp/c1"
expect_run "-c on the command line beats the file" 0 "" -- --config="$tmp/c1" -c length=10
printf '[thresholds]\nlength.warning = x\n' >"$tmp/c2"
expect_run "a bad range in the file is UNKNOWN" 3 \
	"boilerplate: $tmp/c2: length.warning: invalid threshold range 'x' (expected N, N:, ~:N, N:M or @N:M)" \
	-- --config="$tmp/c2"
printf '[thresholds]\nlength.warning = 1:\n[bogus]\nx = 1\n' >"$tmp/c3"
expect_run "an unknown section is a warning, not an error" 0 \
	"boilerplate: warning: $tmp/c3:3: unknown section [bogus]" -- --config="$tmp/c3"

# -H names the host the check ran against
"$prog" -H ops@db1.example:2222 >"$tmp/out" 2>&1
grep -q "hello on db1.example" "$tmp/out" && ok "-H applies to the target" ||
	not_ok "-H applies to the target: $(cat "$tmp/out")"
expect_run "-H refuses an ssh option" 3 \
	"boilerplate: invalid host in '-oProxyCommand=x' (expected [user@]host[:port])" \
	-- -H -oProxyCommand=x

# close_stdout: a failed write is exit 3 with one message
"$prog" >/dev/full 2>"$tmp/err"
rc=$?
if [ $rc = 3 ] && [ "$(cat "$tmp/err")" = "boilerplate: write error: No space left on device" ]; then
	ok "a write error on stdout exits 3 with one message"
else
	not_ok "a write error on stdout: exit $rc, stderr: $(cat "$tmp/err")"
fi
"$prog" --help >/dev/full 2>/dev/null
rc=$?
[ $rc = 3 ] && ok "--help to a full disk exits 3" || not_ok "--help to a full disk exited $rc"

# --output: atomic, mode 0644, nothing on stdout, nothing left behind
"$prog" -c 1 --format=prometheus --output="$tmp/o/wm.prom" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 3 ] && grep -q "$tmp/o/wm.prom" "$tmp/err" && ok "--output into a missing directory is UNKNOWN" ||
	not_ok "--output into a missing directory: exit $rc, $(cat "$tmp/err")"
mkdir "$tmp/o"
"$prog" -c 1 --format=prometheus --output="$tmp/o/wm.prom" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc = 2 ] && [ ! -s "$tmp/out" ] && [ "$(ls "$tmp/o")" = wm.prom ] &&
	[ "$(stat -c %a "$tmp/o/wm.prom")" = 644 ] && promtool check metrics <"$tmp/o/wm.prom" &&
	tail -1 "$tmp/o/wm.prom" | grep -q '^wm_'; then
	ok "--output writes the file alone, mode 0644, valid for promtool, exit 2"
else
	not_ok "--output: exit $rc, dir: $(ls "$tmp/o"), stderr: $(cat "$tmp/err")"
fi

# the watchdog: past --timeout (+1 s grace) an UNKNOWN result, exit 3
start=$(date +%s%N)
"$prog" --delay=30 --timeout=0.2 -j >"$tmp/out" 2>"$tmp/err"
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
if [ $rc = 3 ] && [ $ms -lt 10000 ] && jq -e '.state == "UNKNOWN" and .summary == "timed out after 0.2 s"' \
	"$tmp/out" >/dev/null && [ "$(cat "$tmp/err")" = "boilerplate: timed out after 0.2 s" ]; then
	ok "the watchdog ends a slow run with an UNKNOWN result ($ms ms)"
else
	not_ok "the watchdog: exit $rc after $ms ms, out: $(cat "$tmp/out"), err: $(cat "$tmp/err")"
fi
"$prog" --delay=30 --timeout=0.2 --format=prometheus --output="$tmp/o/wm.prom" >"$tmp/out" 2>/dev/null
rc=$?
if [ $rc = 3 ] && grep -qx 'wm_result_state{tool="boilerplate",target="local"} 3' "$tmp/o/wm.prom" &&
	[ "$(ls "$tmp/o")" = wm.prom ]; then
	ok "the watchdog replaces the --output file with the UNKNOWN result"
else
	not_ok "the watchdog with --output: exit $rc, $(cat "$tmp/o/wm.prom")"
fi
"$prog" --delay=0.1 --timeout=3 >/dev/null
rc=$?
[ $rc = 0 ] && ok "a run within --timeout is not disturbed" || not_ok "a run within --timeout exited $rc"

# the example of the template's man page is what the template prints
s=${WM_SRCDIR:?run under make check}
example=$(sed -n '/^\.EX/,/^\.EE/p' "$s/doc/boilerplate.1" | sed '1d;$d' |
	sed -e 's/\\-/-/g' -e "s/\\\\(aq/'/g")
cmd=$(printf '%s\n' "$example" | sed -n '1s/^\$ boilerplate //p')
want=$(printf '%s\n' "$example" | sed 1d)
# shellcheck disable=SC2086
got=$("$prog" $cmd)
[ -n "$cmd" ] && [ "$got" = "$want" ] && ok "the man page example is what the program prints" ||
	not_ok "the man page example: ran '$cmd', got '$got', the page says '$want'"

# colour and pretty JSON only on a terminal; NO_COLOR wins
esc=$(printf '\033')
script -qec "$prog" /dev/null >"$tmp/tty" 2>&1
grep -q "$esc\\[32mOK" "$tmp/tty" && ok "text on a terminal is coloured" ||
	not_ok "text on a terminal is coloured: $(head -1 "$tmp/tty" | od -c | head -2)"
NO_COLOR=1 script -qec "$prog" /dev/null >"$tmp/tty" 2>&1
grep -q "$esc" "$tmp/tty" && not_ok "NO_COLOR turns colour off" || ok "NO_COLOR turns colour off"
"$prog" >"$tmp/out"
grep -q "$esc" "$tmp/out" && not_ok "no colour into a pipe or file" || ok "no colour into a pipe or file"
TERM=dumb script -qec "$prog" /dev/null >"$tmp/tty" 2>&1
check "TERM=dumb turns colour off" eval '! grep -q "$esc" "$tmp/tty" && grep -q "^OK  " "$tmp/tty"'
# one row per check, cut (not wrapped) at COLUMNS; -l adds the metrics
COLUMNS=24 "$prog" -c 1 >"$tmp/out"
check "COLUMNS=24: no line longer, some cut to 24, one row per check" \
	eval '[ "$(awk "length > 24" "$tmp/out" | wc -l)" = 0 ] && grep -qx "CRITICAL  boilerplate.gr" "$tmp/out"'
"$prog" -c 1 -l >"$tmp/out"
check "-l: the metric with its thresholds under its row" eval 'grep -qE "^ {10}length=[0-9]+ \(warn ~:40, crit 1\)$" "$tmp/out"'
script -qec "$prog -j" /dev/null >"$tmp/tty" 2>&1
[ "$(wc -l <"$tmp/tty")" -gt 5 ] && ok "json on a terminal is indented" ||
	not_ok "json on a terminal is indented: $(cat "$tmp/tty")"
"$prog" -j >"$tmp/out"
[ "$(wc -l <"$tmp/out")" = 1 ] && jq -e . "$tmp/out" >/dev/null && ok "json into a pipe is one line" ||
	not_ok "json into a pipe is one line"
finish
