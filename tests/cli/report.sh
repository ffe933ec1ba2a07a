#!/bin/bash
# report.sh - wm-report on the fixed journals of tests/fixtures/journals:
# every format compared byte for byte with tests/fixtures/report/NAME.FORMAT,
# the exit status (the verdict), the verdict and first reasons first, the
# HTML self-contained, --stdin with a journal and with wm-* results, runs
# side by side.  WM_REPORT_BLESS=1 rewrites the golden files (then read the
# diff before committing it).
set -u
b=${WM_BUILDDIR:?run under make check}
s=${WM_SRCDIR:?run under make check}
. "$s/tests/lib.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
rep=$b/src/wm-report j=$s/tests/fixtures/journals gold=$s/tests/fixtures/report
# No configuration of the machine's: the runbook's approvers, a private state directory.
: >"$tmp/none"
export WM_CONFIG=$tmp/none XDG_STATE_HOME=$tmp/state
unset WM_STATE_DIR WM_TARGET
mkdir -p "$gold"

# golden NAME FORMAT WANT_RC: wm-report --format FORMAT on fixture NAME.
golden() {
	local name=$1 fmt=$2 want=$3 rc
	"$rep" --format="$fmt" "$j/$name" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	expect "$name.$fmt: exit status" "$want" "$rc"
	check "$name.$fmt: nothing on stderr" [ ! -s "$tmp/err" ]
	[ "${WM_REPORT_BLESS:-}" = 1 ] && cp "$tmp/out" "$gold/$name.$fmt"
	if cmp -s "$gold/$name.$fmt" "$tmp/out"; then
		ok "$name.$fmt: as tests/fixtures/report/$name.$fmt"
	else
		not_ok "$name.$fmt differs from tests/fixtures/report/$name.$fmt"
		diff "$gold/$name.$fmt" "$tmp/out" | note 20
	fi
}

for f in text markdown json html; do
	golden clean "$f" 0
	golden fail "$f" 2
done
for n in noperf partial torn empty; do
	golden "$n" text "$(case $n in torn) echo 0 ;; *) echo 3 ;; esac)"
done
golden partial html 3
golden cut text 2
golden nowatch text 3
golden lost text 2
golden lost html 2

# The verdict and the first three reasons first: a person reads the answer
# in the first lines.
"$rep" "$j/fail" >"$tmp/fail.txt"
expect "text: the verdict is on the second line" "VERDICT: FAIL (exit 2)" "$(sed -n 2p "$tmp/fail.txt")"
expect "text: FAIL names exactly the two failed criteria first" \
	"  1. security:|  2. uptime: backend down 7 min (T+5h10m-T+5h17m, documented by INC-1); over the 5 min allowed" \
	"$(sed -n '3s/ 3 violations.*//p;4p' "$tmp/fail.txt" | paste -sd '|')"
"$rep" "$j/noperf" >"$tmp/np.txt"
expect "text: missing perf data is 'not measured', not PASS" \
	"VERDICT: CANNOT JUDGE (exit 3)|  1. p99: not measured: no wm-perf result with a p99" \
	"$(sed -n '2,3p' "$tmp/np.txt" | paste -sd '|')"
check "text: a torn last line is said" grep -q 'the last one was cut mid-write' <("$rep" "$j/torn")
"$rep" "$j/partial" >"$tmp/p.txt"
check "text: a partial run is a report so far, with the hours to come" \
	grep -q '^Monitoring End: .*(a report so far: up to T+6h10m30s, 17.8 hours to come)$' "$tmp/p.txt"

# A run on a plan of its own (12 hours, standard every 3 h), journaled in its
# run_start: judged on that plan, and the report says which plan it used.
golden short text 0
"$rep" "$j/short-partial" >"$tmp/sp.txt"
check "text: a partial run's hours to come are its own plan's" \
	grep -q '^Monitoring End: .*(a report so far: up to T+6h10m30s, 5.8 hours to come)$' "$tmp/sp.txt"
check "text: the plan used is said: the run's own" \
	grep -q "^Plan: the run's own, from its journal, 6 tiers, 26 ticks, T+0 to T+12h$" "$tmp/sp.txt"
check "text: an older journal's plan is said: the runbook's" \
	grep -q "^Plan: the runbook's default (the journal does not hold its plan)" "$tmp/p.txt"
sed '1s/,"plan":.*}$/}/' "$j/short/journal.jsonl" >"$tmp/noplan.jsonl"
printf '[tier full]\nat = 0, 12h\n[tier standard]\nat = 6h, 9h\nwindow = 3h\n[tier comprehensive]\nat = none\n[tier security]\nat = 1h..11h/1h\n[tier performance]\nat = 2h..10h/2h\n[tier smoke]\nat = 4h, 8h\n' >"$tmp/tiers.conf"
WM_CONFIG=$tmp/tiers.conf "$rep" "$tmp/noplan.jsonl" >"$tmp/np-conf.txt"
expect "a journal without its plan: the configuration's [tier]s judge it (exit)" 0 "$?"
check "a journal without its plan: the configuration's plan is said" \
	grep -q "^Plan: the configuration's, $tmp/tiers.conf (the journal does not hold its plan)" "$tmp/np-conf.txt"
"$rep" "$tmp/noplan.jsonl" >"$tmp/np-default.txt"
expect "a journal without its plan and no [tier]: the runbook's 24 hours, half unobserved (exit)" 3 "$?"
check "the runbook's plan: 6 of its ticks not in the journal" \
	grep -q '6 of the plan.s ticks have no record in the journal at all' "$tmp/np-default.txt"

# The HTML: one file, no script, no external resource, the four charts.
"$rep" --format=html "$j/fail" >"$tmp/r.html"
for id in chart-availability chart-errors chart-p99 chart-hit-rate; do
	check "html: <svg id=\"$id\">" grep -q "<svg id=\"$id\"" "$tmp/r.html"
done
check "html: no script" eval '! grep -qi "<script" "$tmp/r.html"'
check "html: no URL but the SVG namespace" \
	eval '! grep -oiE "(https?|ftp)://[^\" ]*|src=|href=|@import|url\(" "$tmp/r.html" | grep -v "^http://www.w3.org/2000/svg$"'
check "html: a CSP forbidding every fetch" grep -q "default-src 'none'" "$tmp/r.html"
check "html: print CSS" grep -q '@media print' "$tmp/r.html"
"$rep" --format=html "$j/lost" >"$tmp/lost.html"
check "html: the monitor's blind hour is grey (unobserved) in the availability chart, not green" \
	grep -q 'class="unknown"><title>unobserved 70 min</title>' "$tmp/lost.html"

# --output writes the file atomically; the exit status is still the verdict.
"$rep" --format=html --output="$tmp/o.html" "$j/fail"
rc=$?
check "--output: exit 2 and the same HTML" eval '[ "$rc" = 2 ] && cmp -s "$tmp/o.html" "$tmp/r.html"'

# The latest run of the target in the state directory, and --run ID.
mkdir -p "$tmp/state/warunginmon/runs/local/20261128T000000Z" "$tmp/state/warunginmon/runs/local/20261101T000000Z"
cp "$j/fail/journal.jsonl" "$tmp/state/warunginmon/runs/local/20261128T000000Z/"
cp "$j/clean/journal.jsonl" "$tmp/state/warunginmon/runs/local/20261101T000000Z/"
"$rep" >/dev/null 2>"$tmp/err"
rc=$?
expect "no RUN_DIR: the latest run (the failed one)" 2 "$rc"
"$rep" --run=20261101T000000Z >/dev/null 2>"$tmp/err"
rc=$?
expect "--run ID: that run (the clean one)" 0 "$rc"
"$rep" --run=../x >/dev/null 2>"$tmp/err"
rc=$?
expect "--run with a slash is refused" 3 "$rc"

# --stdin: a journal, and wm-* results.
"$rep" --stdin <"$j/fail/journal.jsonl" >"$tmp/stdin.txt"
rc=$?
check "--stdin with a journal: the same verdict as the directory" \
	eval '[ "$rc" = 2 ] && [ "$(sed -n 2,4p "$tmp/stdin.txt")" = "$(sed -n 2,4p "$tmp/fail.txt")" ]'
printf '%s\n' \
	'{"schema":1,"tool":"wm-services","time":"2026-11-28T00:00:00Z","state":"CRITICAL","checks":[{"name":"services.backend","state":"CRITICAL","summary":"exited (1)","metrics":[],"data":{"state":"exited"}}]}' \
	'{"schema":1,"tool":"wm-cache","time":"2026-11-28T01:00:00Z","state":"OK","checks":[{"name":"redis.hit_rate","state":"OK","summary":"","metrics":[{"name":"hit_rate","value":90,"unit":"%"}],"data":{"hits":90,"misses":10}}]}' |
	"$rep" --stdin -j >"$tmp/res.json"
rc=$?
expect "--stdin with results: FAIL (a service down)" 2 "$rc"
expect "--stdin with results: uptime failed, hit rate read" "FAILED 90" \
	"$(jq -r '[(.criteria[] | select(.key == "uptime") | .status), .hit_rate] | join(" ")' "$tmp/res.json")"
echo '{"not":"a result"}' | "$rep" --stdin >/dev/null 2>"$tmp/err"
rc=$?
check "--stdin: something else is refused with exit 3 and one line" \
	eval '[ "$rc" = 3 ] && [ "$(wc -l <"$tmp/err")" = 1 ]'

# Side by side: this deployment's verdict is the exit status.
"$rep" "$j/fail" "$j/clean" >"$tmp/side.txt"
rc=$?
check "two runs side by side: the first run's exit status, both verdicts in a row" \
	eval '[ "$rc" = 2 ] && grep -qE "^verdict +FAIL +PASS" "$tmp/side.txt"'
# Side by side in every format: per criterion each run's status and value,
# each run's verdict (golden, run from the fixtures' directory so the names
# are the same everywhere), then each report.
for f in text markdown json html; do
	(cd "$j" && "$rep" --format="$f" fail clean) >"$tmp/cmp.$f" 2>"$tmp/err"
	rc=$?
	expect "fail clean side by side as $f: the first run's verdict" 2 "$rc"
	[ "${WM_REPORT_BLESS:-}" = 1 ] && cp "$tmp/cmp.$f" "$gold/compare.$f"
	if cmp -s "$gold/compare.$f" "$tmp/cmp.$f"; then
		ok "compare.$f: as tests/fixtures/report/compare.$f"
	else
		not_ok "compare.$f differs from tests/fixtures/report/compare.$f"
		diff "$gold/compare.$f" "$tmp/cmp.$f" | note 20
	fi
done
expect "json side by side: each criterion's status per run" "FAILED MET" \
	"$(jq -r '.criteria[] | select(.key == "uptime") | [.runs[].status] | join(" ")' "$tmp/cmp.json")"
expect "json side by side: each run's verdict" "FAIL PASS" \
	"$(jq -r '[.runs[].verdict] | join(" ")' "$tmp/cmp.json")"
check "html side by side: one document" eval '[ "$(grep -ci "<!doctype" "$tmp/cmp.html")" = 1 ]'
check "html side by side: the comparison table first" grep -q '<section id="compare">' "$tmp/cmp.html"
for id in chart-availability-1 chart-availability-2 chart-p99-2; do
	check "html side by side: <svg id=\"$id\">" grep -q "<svg id=\"$id\"" "$tmp/cmp.html"
done
check "html side by side: no id twice" \
	eval '[ -z "$(grep -o "id=\"[^\"]*\"" "$tmp/cmp.html" | sort | uniq -d)" ]'
check "html side by side: no script" eval '! grep -qi "<script" "$tmp/cmp.html"'
# Several journals on stdin, one after another; stdin with RUNs; journal files.
cat "$j/fail/journal.jsonl" "$j/clean/journal.jsonl" | "$rep" --stdin -j >"$tmp/two.json"
rc=$?
expect "two journals on stdin: two runs, the first one's exit" 2 "$rc"
expect "two journals on stdin: named stdin#1 and stdin#2" "stdin#1 FAIL|stdin#2 PASS" \
	"$(jq -r '.runs[] | "\(.run) \(.verdict)"' "$tmp/two.json" | paste -sd '|')"
"$rep" --stdin -j "$j/clean" <"$j/cut/journal.jsonl" >"$tmp/sr.json"
expect "--stdin and a RUN: stdin first" "stdin FAIL|$j/clean PASS" \
	"$(jq -r '.runs[] | "\(.run) \(.verdict)"' "$tmp/sr.json" | paste -sd '|')"
"$rep" -j "$j/fail/journal.jsonl" >"$tmp/file.json"
rc=$?
expect "a journal file as RUN: that run's verdict" 2 "$rc"
expect "a run's journal.jsonl as RUN: its directory's baseline too" true \
	"$(jq -r '.baseline != null' "$tmp/file.json")"
"$rep" --stdin - <"$j/fail/journal.jsonl" >/dev/null 2>"$tmp/err"
rc=$?
expect "--stdin and - together are refused" 3 "$rc"
"$rep" --format=pdf "$j/fail" >/dev/null 2>"$tmp/err"
rc=$?
check "an unknown format: exit 3, the formats named" \
	eval '[ "$rc" = 3 ] && grep -q "expected text, markdown, json or html" "$tmp/err"'
"$rep" --critical-limit=-1 "$j/fail" >/dev/null 2>&1
rc=$?
expect "a negative critical limit is refused" 3 "$rc"
# The critical-line limit: 0 by default, [report] critical_limit, --critical-limit first.
crit='{"schema":1,"tool":"wm-errors","time":"2026-11-28T02:00:00Z","state":"CRITICAL","checks":[{"name":"errors.backend","state":"CRITICAL","summary":"","metrics":[{"name":"errors","value":9},{"name":"critical_lines","value":4}],"data":{}}]}'
status() { jq -r '.criteria[] | select(.key == "critical_errors") | .status' "$tmp/crit.json"; }
echo "$crit" | "$rep" --stdin -j >"$tmp/crit.json"
expect "4 critical lines: failed by default (limit 0)" FAILED "$(status)"
printf '[report]\ncritical_limit = 4\n' >"$tmp/limit.conf"
echo "$crit" | "$rep" --config="$tmp/limit.conf" --stdin -j >"$tmp/crit.json"
expect "4 critical lines: met with [report] critical_limit = 4" MET "$(status)"
echo "$crit" | "$rep" --config="$tmp/limit.conf" --critical-limit=0 --stdin -j >"$tmp/crit.json"
expect "--critical-limit=0 before the configuration's 4" FAILED "$(status)"
printf '[report]\ncritical_limit = few\n' >"$tmp/bad.conf"
echo "$crit" | "$rep" --config="$tmp/bad.conf" --stdin >/dev/null 2>"$tmp/err"
rc=$?
expect "[report] critical_limit that is not a number: exit 3" 3 "$rc"
expect "[report] critical_limit that is not a number: one line naming file:line" \
	"wm-report: $tmp/bad.conf:2: critical_limit: expected a number >= 0, got 'few'" "$(cat "$tmp/err")"

# The uptime coverage rules: [report] observation_window (what one
# observation of the services covers, 5m) and coverage_min (99%).  The clean
# day's watch samples every 5 minutes: with 1m windows it is observed 20 %.
cover() { printf '[report]\n%s\n' "$@" >"$tmp/cover.conf"; "$rep" --config="$tmp/cover.conf" "$j/clean" >"$tmp/cover.txt" 2>"$tmp/err"; }
cover 'observation_window = 5m' 'coverage_min = 99%'
expect "[report] the documented defaults written out: PASS" 0 "$?"
cover 'observation_window = 1m'
expect "[report] observation_window = 1m: uptime not measured, cannot judge" 3 "$?"
check "[report] observation_window = 1m: the reason is the coverage" \
	grep -q '^  1. uptime: not measured: the services were observed 20.4 % of the run, under the 99 % needed' "$tmp/cover.txt"
cover 'observation_window = 1m' 'coverage_min = 15%'
expect "[report] observation_window = 1m, coverage_min = 15%: PASS again" 0 "$?"
cover 'observation_window = 1m' 'coverage_min = 15'
expect "[report] coverage_min without %: the same" 0 "$?"
# bad values: exit 3 (a configuration that cannot be loaded), one line with FILE:LINE
for bad in 'coverage_min = 101%|coverage_min: expected a percentage 0-100 such as 99%' \
	'coverage_min = most|coverage_min: expected a percentage 0-100 such as 99%' \
	'observation_window = 0s|observation_window: expected a duration above 0' \
	'observation_window = soon|observation_window: invalid duration'; do
	cover "${bad%%|*}"
	expect "[report] ${bad%%|*}: exit 3" 3 "$?"
	expect "[report] ${bad%%|*}: one line" 1 "$(wc -l <"$tmp/err")"
	check "[report] ${bad%%|*}: names $tmp/cover.conf:2 and the key" \
		grep -q "^wm-report: $tmp/cover.conf:2: ${bad#*|}" "$tmp/err"
done

# A journal the real wm-run wrote (cron mode, a target that answers nothing):
# the report reads it in every format, as a report so far.
(
	export XDG_CONFIG_HOME=$tmp/xdg WM_STATE_DIR=$tmp/runstate DOCKER_HOST=unix://$tmp/no.sock \
		WM_REDIS=127.0.0.1:1
	unset WM_CONFIG
	"$b/src/wm-run" --timeout=2 --run="$tmp/real" tick >/dev/null 2>&1
)
check "wm-run wrote a journal" [ -s "$tmp/real/journal.jsonl" ]
check "wm-run tick (cron mode) wrote the report so far: report.html" [ -s "$tmp/real/report.html" ]
"$rep" "$tmp/real" >"$tmp/real-now.txt" 2>/dev/null
check "and report.txt, the same as wm-report's text of the run" cmp -s "$tmp/real-now.txt" "$tmp/real/report.txt"
for f in text markdown json html; do
	"$rep" --format="$f" "$tmp/real" >"$tmp/real.$f" 2>"$tmp/err"
	rc=$?
	check "wm-run's own journal as $f: cannot judge or FAIL (exit $rc), nothing on stderr" \
		eval '{ [ "$rc" = 2 ] || [ "$rc" = 3 ]; } && [ ! -s "$tmp/err" ] && [ -s "$tmp/real.$f" ]'
done
expect "wm-run's own journal: a partial run, its full tick read" "true full" \
	"$(jq -r '[.partial, .hours[0].tiers] | map(tostring) | join(" ")' "$tmp/real.json")"
finish
