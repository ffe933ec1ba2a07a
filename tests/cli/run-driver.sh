#!/bin/bash
# run-driver.sh - wm-run start, the driver, against a target it cannot reach
# (no world needed: every area fails fast, or slowly against a listener that
# never answers): a compressed day tick by tick, one driver per run, the
# control socket and its commands with and without a driver, signals, kill -9
# at random moments followed by restarts, and a full disk.
# Bounds are generous and about occurrence and order, never tight timing.
set -u
b=${WM_BUILDDIR:?run under make check}
s=${WM_SRCDIR:?run under make check}
prog=$b/src/wm-run
tmp=$(mktemp -d) || exit 1
pids=()
trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
unset WM_CONFIG WM_TARGET NO_COLOR
export XDG_CONFIG_HOME=$tmp/xdg WM_STATE_DIR=$tmp/state
export DOCKER_HOST=unix://$tmp/no-docker.sock WM_REDIS=127.0.0.1:1
cd "$tmp" || exit 1
. "$s/tests/lib.sh"

# The runbook's plan: ticks per tier, and the areas each tier runs.
plan_counts='comprehensive 2 full 2 performance 11 quick 4 security 23 smoke 5 standard 4'
declare -A areas=(
	[full]='cache db errors perf security services smoke' [quick]='errors services'
	[standard]='cache db errors services' [comprehensive]='cache db errors services'
	[security]='errors security' [performance]='perf' [smoke]='smoke')
# (security's log read feeds the errors analyzer too: every hour has an error count)

# wait_for SECONDS CMD...: until CMD succeeds (polling every 0.1 s).
wait_for() {
	local n=$(($1 * 10))
	shift
	while [ $n -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# ends J: "tier@at" of every tick_end, sorted.
ends() { jq -r 'select(.type=="tick_end") | "\(.tier)@\(.at_ms)"' "$1" | sort; }
# settled J: every tick ended or missed, one line each.
settled() { jq -r 'select(.type=="tick_end" or .type=="tick_missed") | "\(.tier)@\(.at_ms)"' "$1" | sort; }
per_tier() { sed 's/@.*//' | sort | uniq -c | awk '{printf "%s%s %s", (NR > 1 ? " " : ""), $2, $1}'; }

# 1. A compressed day (24 h in 10 s): every tick of the plan settled once
# (ended; on a loaded machine a tick overtaken by the next hour's is
# journaled missed, so only most must end), at or after its planned time
# (never early, within 20 s), with its tier's areas.
run=$tmp/day
t0=$SECONDS
"$prog" --timeout=2 --run="$run" --time-scale=8640 start >out 2>err
rc=$?
j=$run/journal.jsonl
expect "the compressed day ends with exit 0" 0 "$rc"
check "and takes 10 to 60 s ($((SECONDS - t0)) s)" eval '[ $((SECONDS - t0)) -ge 9 ] && [ $((SECONDS - t0)) -le 60 ]'
expect "every tick of the plan settled once" "$plan_counts" "$(settled "$j" | per_tier)"
nend=$(ends "$j" | wc -l)
check "most ticks ended, not missed ($nend of 51)" [ "$nend" -ge 45 ]
expect "no tick has two end records" "" "$(ends "$j" | uniq -d)"
expect "the journal ends with run_end" run_end "$(jq -r .type "$j" | tail -n 1)"
early=$(jq -r -s '(.[0].start_wall_ms) as $t0 | (.[0].scale) as $n | .[] |
	select(.type=="tick_start") | select(.wall_ms < $t0 + (.at_ms / $n) - 1 or
	.wall_ms > $t0 + (.at_ms / $n) + 20000) | "\(.tier)@\(.at_ms)"' "$j")
expect "each tick started at its planned time (not early, at most 20 s late)" "" "$early"
wrong=''
for tier in "${!areas[@]}"; do
	got=$(jq -r --arg t "$tier" 'select(.type=="result" and .tier==$t and .area!="watch") | "\(.at_ms) \(.area)"' "$j" |
		sort -k1,1n -k2 | awk '{a[$1] = a[$1] " " $2} END {for (k in a) print a[k]}' | sort -u)
	[ "$got" = " ${areas[$tier]}" ] || wrong="$wrong $tier:[$got]"
done
expect "each tick ran its tier's planned areas (and the watch's checks may add one)" "" "$wrong"
check "a line per ended tick on stderr" eval '[ "$(grep -c "^wm-run: [a-z]* T+" err)" = "$nend" ]'
# the report so far after every tick, the final one after the last (warunginmon(7))
check "the driver wrote the run's report.html (one html document with its charts)" \
	eval 'grep -qi "^<!doctype html" "$run/report.html" && grep -q "</html>" "$run/report.html" && grep -q "<svg" "$run/report.html"'
check "and report.txt, the same report as wm-report's text" \
	eval '"$b/src/wm-report" "$run" >wr.txt 2>/dev/null; cmp -s wr.txt "$run/report.txt"'
"$prog" --run="$run" -j status >st.json 2>err
expect "status of an ended run: ended, 51 done or missed" "ended 51 null" "$(jq -r '"\(.state) \(.ticks.done + .ticks.missed) \(.driver)"' st.json)"

# 2. One driver per run; the socket; signals.
run=$tmp/live
printf '# no tier of its own yet\n' >hup.conf
WM_CONFIG=$tmp/hup.conf "$prog" --timeout=2 --run="$run" start >drv.out 2>drv.err &
drv=$!
pids+=("$drv")
check "the driver opens its socket" wait_for 20 test -S "$run/sock"
ended_full() { [ "$(jq -r 'select(.type=="tick_end") | .tier' "$run/journal.jsonl")" = full ]; }
check "and runs T+0 (full)" wait_for 20 ended_full
"$prog" --timeout=2 --run="$run" start >out 2>err
expect "a second driver on the run exits 4" 4 "$?"
check "and names the first one's pid" grep -q "another process (pid $drv) drives this run" err
"$prog" --run="$run" -j status >st.json 2>err
expect "status through the socket: running, the driver's pid, T+0 done, next T+1h" \
	"running $drv full 3600000 quick,security" \
	"$(jq -r '"\(.state) \(.driver.pid) \(.last.tier) \(.next.at_ms) \(.next.tiers | join(","))"' st.json)"
"$prog" --run="$run" note --user-issue "checkout is slow" >out 2>err
expect "note through the socket" 0 "$?"
"$prog" --run="$run" approve qa_lead --name "Sari" >out 2>err
expect "approve through the socket" 0 "$?"
"$prog" --run="$run" ack INC-7 >out 2>err
expect "ack of an incident that does not exist exits 1" 1 "$?"
check "and says so" grep -q 'no incident INC-7' err
printf '{"cmd":"reboot"}\n' >req
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(open("req","rb").read()); print(s.makefile().readline().strip())' "$run/sock" >reply
expect "an unknown request is refused as invalid" "false invalid" "$(jq -r '"\(.ok) \(.code)"' reply)"
expect "the people's records carry who and what" "note checkout is slow true approve qa_lead Sari" \
	"$(jq -r 'select(.type=="note" or .type=="approve") | "\(.type) \(.text // .role) \(.user_issue // .name)"' "$run/journal.jsonl" | tr '\n' ' ' | sed 's/ $//')"
# SIGHUP re-reads the configuration and the plan ([tier NAME]); a bad new
# file is refused loudly and the old plan goes on.
reloads() { jq -c 'select(.type=="reload")' "$run/journal.jsonl" | wc -l; }
hup() { # hup N: SIGHUP, then wait for the Nth reload record
	local want=$1
	kill -HUP "$drv"
	wait_for 10 eval '[ "$(reloads)" -ge "$want" ]'
}
planned() { "$prog" --run="$run" -j status 2>/dev/null | jq -r '.ticks.planned'; }
expect "the runbook's plan: 51 ticks" 51 "$(planned)"
printf '[tier extra]\nat = 1h..23h/1h\nchecks = services, errors\n' >hup.conf
check "SIGHUP: a reload record" hup 1
rec=$(jq -c 'select(.type=="reload")' "$run/journal.jsonl" | tail -n 1)
expect "which says ok with the plan's new tier (23 ticks)" "true 23" "$(jq -r '"\(.ok) \(.tiers.extra)"' <<<"$rec")"
check "and the new configuration's digest, not the run_start's" eval \
	'[ "$(jq -r .digest <<<"$rec")" != "$(jq -r "select(.type==\"run_start\") | .digest" "$run/journal.jsonl")" ]'
expect "the driver's plan has the new tier: 74 ticks" 74 "$(planned)"
check "and says it reloaded the plan" grep -q "SIGHUP: the configuration and the plan reloaded (fnv1a64:" drv.err
printf '[tier extra]\nat = soon\nchecks = services\n' >hup.conf
check "SIGHUP with a bad tier: a reload record" hup 2
rec=$(jq -c 'select(.type=="reload")' "$run/journal.jsonl" | tail -n 1)
expect "which says refused" false "$(jq -r .ok <<<"$rec")"
check "and why, with the file and the line of the bad key" grep -q "hup.conf:2: \[tier extra\]" <<<"$(jq -r .error <<<"$rec")"
check "the driver says so on stderr" grep -q "SIGHUP: the new configuration is refused, the old one stays: .*hup.conf:2: \[tier extra\]" drv.err
expect "and keeps the plan it had: 74 ticks" 74 "$(planned)"
printf '[tier extra\n' >hup.conf
check "SIGHUP with a file that does not parse: a reload record" hup 3
expect "which says refused" false "$(jq -r 'select(.type=="reload") | .ok' "$run/journal.jsonl" | tail -n 1)"
expect "the plan stays: 74 ticks" 74 "$(planned)"
printf '[tier extra]\nat = 2h\nchecks = services\n' >hup.conf
check "a good file again: a reload record" hup 4
expect "which says ok" true "$(jq -r 'select(.type=="reload") | .ok' "$run/journal.jsonl" | tail -n 1)"
expect "and the plan follows it: 52 ticks" 52 "$(planned)"
kill -TERM "$drv"
wait "$drv"
expect "SIGTERM: the driver exits 0" 0 "$?"
expect "with a stop record naming the signal" SIGTERM "$(jq -r 'select(.type=="stop") | .reason' "$run/journal.jsonl")"
check "and removes its socket" test ! -e "$run/sock"
"$prog" --run="$run" note "after the stop" >out 2>err
expect "note without a driver: appended under the lock" "0 after the stop" \
	"$? $(jq -r 'select(.type=="note") | .text' "$run/journal.jsonl" | tail -n 1)"
"$prog" --run="$run" stop >out 2>err
expect "stop without a driver exits 1" 1 "$?"
"$prog" --run="$run" -j status >st.json 2>err
expect "status without a driver reads the journal" "stopped null 2 1" \
	"$(jq -r '"\(.state) \(.driver) \(.notes) \(.user_issues)"' st.json)"
"$prog" --timeout=2 --run="$run" start >drv.out 2>drv.err &
drv=$!
pids+=("$drv")
check "a restarted driver resumes (driver record, resumed)" \
	wait_for 20 grep -q '"type":"driver".*"resumed":true' "$run/journal.jsonl"
check "and answers on its socket" wait_for 20 test -S "$run/sock"
"$prog" --run="$run" stop >out 2>err
expect "stop through the socket exits 0" 0 "$?"
wait "$drv"
expect "and the driver exits 0" 0 "$?"
expect "T+0 ran once across the restarts" 1 "$(ends "$run/journal.jsonl" | grep -c '^full@0$')"

# 3. kill -9 at random moments of a compressed day, each followed by a
# restart.  The Docker socket accepts and never answers (each area waits its
# 1 s timeout), so many kills land inside a tick.
python3 "$s/tests/cli/silent-listener.py" "$tmp/silent.sock" >silent.port &
pids+=("$!")
wait_for 10 test -S "$tmp/silent.sock"
run=$tmp/kills
j=$run/journal.jsonl
RANDOM=${WM_TEST_SEED:-20261129}
kills=0 midtick=0 t0=$SECONDS
while [ $((SECONDS - t0)) -lt 150 ]; do
	DOCKER_HOST=unix://$tmp/silent.sock "$prog" --timeout=1 --run="$run" --time-scale=2880 \
		start >>kill.out 2>>kill.err &
	drv=$!
	pids+=("$drv")
	if [ $kills -ge 8 ]; then
		wait "$drv"
		rc=$?
		break
	fi
	sleep "$((RANDOM % 25 / 10)).$((RANDOM % 10))"
	kill -0 "$drv" 2>/dev/null || { wait "$drv"; rc=$?; break; }
	case $(tail -c 300 "$j" 2>/dev/null | tail -n 1 | jq -r .type 2>/dev/null) in
	tick_start | result) midtick=$((midtick + 1)) ;;
	esac
	kill -9 "$drv"
	wait "$drv" 2>/dev/null
	kills=$((kills + 1))
done
expect "after $kills kills ($midtick inside a tick) the day ends with exit 0" 0 "${rc:-timeout}"
check "some kills landed inside a tick" [ "$midtick" -ge 1 ]
"$prog" --run="$run" -j status >st.json 2>err
expect "the journal stays valid (status reads it)" 0 "$?"
expect "no tick has two end records" "" "$(ends "$j" | uniq -d)"
expect "every tick of the plan is settled: ended or journaled missed, once" "$plan_counts" \
	"$(settled "$j" | per_tier)"
expect "no tick both ended and missed" "" "$(settled "$j" | uniq -d)"
expect "no notification journaled twice on one channel" "" \
	"$(jq -r 'select(.type=="notify") | "\(.key) \(.channel)"' "$j" | sort | uniq -d)"
expect "seq has no gap" "" "$(jq -s -r '[.[].seq] as $s | range(1; $s | length) | select($s[.] != $s[. - 1] + 1)' "$j")"
check "a killed tick was attempted again" eval '[ "$(jq -r "select(.type==\"tick_start\" and .attempt > 1) | .tier" "$j" | wc -l)" -ge 1 ] || [ "$midtick" = 0 ]'

# 4. A full disk: the journal on a tiny tmpfs (a mount namespace of its own;
# without the privilege for one, a file size limit does the same).
run=$tmp/full/run
mkdir -p "$tmp/full"
if unshare -m true 2>/dev/null || unshare -rm true 2>/dev/null; then
	how=tmpfs
	u=-m
	unshare -m true 2>/dev/null || u=-rm
	unshare $u bash -c 'mount -t tmpfs -o size=48k tmpfs "$1/full" || exit 99
		"$2" --timeout=2 --run="$1/full/run" --time-scale=8640 start >"$1/full.out" 2>"$1/full.err"
		echo $? >"$1/full.rc"; cp "$1/full/run/journal.jsonl" "$1/full.jsonl"' _ "$tmp" "$prog"
else
	how='ulimit -f 48'
	(ulimit -f 48 && "$prog" --timeout=2 --run="$run" --time-scale=8640 start >full.out 2>full.err; echo $? >full.rc)
	cp "$run/journal.jsonl" full.jsonl
fi
note <<<"full disk: $how"
expect "a full disk ($how) stops the run with exit 5" 5 "$(cat full.rc 2>/dev/null)"
check "and says the journal cannot be written" grep -q 'the journal cannot be written' full.err
check "before the plan's end" eval '! grep -q run_end full.jsonl'
check "the journal holds only whole records" eval 'jq -e . full.jsonl >/dev/null && [ "$(tail -c 1 full.jsonl | od -An -c | tr -d " ")" = "\n" ]'

finish
