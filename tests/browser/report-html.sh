#!/bin/bash
# report-html.sh - wm-report's HTML report in headless Chromium (Debian's
# chromium, research/next-programs.md §12): a screenshot is taken and is not
# blank, the four charts are in the DOM after loading, and the page makes no
# network request; the same for the side-by-side page of two runs
# (report_compare.c: the comparison table, then each run with its own
# charts, ids ending in -1 and -2).  The evidence is the browser's own net log
# (--log-net-log): every URL request it started, with its initiator.  A
# control page with an <img> and a stylesheet on made-up hosts must show up
# there as two requests, so the check is known to see a request when there is
# one.  Background networking and component updates are off and every host
# name resolves to nothing (--host-resolver-rules), so even the browser's own
# background requests (the component updater, account checks: initiator "not
# an origin", still attempted by Chromium 156 with these flags) reach no one.
# A proxy alone would prove nothing: Chromium bypasses proxies for loopback.
# Chromium missing is a failure, never a skip (scripts/deps installs it).
# Run by scripts/test (stage "browser"); by hand:
#   WM_BUILDDIR=build WM_SRCDIR=. bash tests/browser/report-html.sh
set -u
b=${WM_BUILDDIR:?set WM_BUILDDIR to the build tree}
s=${WM_SRCDIR:?set WM_SRCDIR to the source tree}
. "$s/tests/lib.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

chrome=/usr/lib/chromium/chromium # the binary: the Debian wrapper turns background networking on
[ -x "$chrome" ] || chrome=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chrome" ]; then
	not_ok "chromium is installed (scripts/deps installs it)"
	finish
	exit 1
fi
ok "chromium is installed: $chrome"

# browser NAME URL ARG...: Chromium headless on URL with its own profile and
# net log ($tmp/NAME.netlog), stdout to $tmp/NAME.out.
browser() {
	local name=$1 url=$2 sandbox=()
	shift 2
	[ "$(id -u)" = 0 ] && sandbox=(--no-sandbox) # Chromium refuses root otherwise
	timeout 120 "$chrome" --headless "${sandbox[@]}" --disable-dev-shm-usage \
		--user-data-dir="$tmp/profile-$name" --no-first-run --disable-sync --disable-default-apps \
		--disable-background-networking --disable-component-update \
		--disable-features=NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,Translate \
		--host-resolver-rules='MAP * ~NOTFOUND' --log-net-log="$tmp/$name.netlog" \
		--hide-scrollbars "$@" "$url" >"$tmp/$name.out" 2>"$tmp/$name.err"
}

# page_requests NAME: the URL requests a page started (not the browser's own).
page_requests() {
	python3 "$s/tests/browser/evidence.py" requests "$tmp/$1.netlog" | grep -v '^not an origin '
}

"$b/src/wm-report" --format=html "$s/tests/fixtures/journals/fail" >"$tmp/report.html"
check "wm-report wrote the HTML report of the failed day" grep -q '<svg id="chart-p99"' "$tmp/report.html"

# The negative control: a page that does fetch.
printf '%s\n' '<!DOCTYPE html><html><body><p>control</p>' \
	'<img src="http://report-control.invalid/x.png">' \
	'<link rel="stylesheet" href="https://fonts.report-control.invalid/a.css"></body></html>' \
	>"$tmp/control.html"
browser control "file://$tmp/control.html" --dump-dom
rc=$?
check "control: chromium ran (exit 0)" [ "$rc" = 0 ]
page_requests control >"$tmp/control.req"
expect "control: the net log shows the page's two requests" \
	"null http://report-control.invalid/x.png|null https://fonts.report-control.invalid/a.css" \
	"$(sort "$tmp/control.req" | paste -sd '|')"

# The DOM after loading: the four charts and the verdict.
browser dom "file://$tmp/report.html" --dump-dom
rc=$?
check "dom: chromium ran (exit 0)" [ "$rc" = 0 ]
for id in chart-availability chart-errors chart-p99 chart-hit-rate; do
	check "dom: the chart $id is in the DOM" grep -q "<svg id=\"$id\"" "$tmp/dom.out"
done
check "dom: the verdict FAIL is in the DOM" grep -q '<p class="verdict v2" id="verdict">FAIL</p>' "$tmp/dom.out"
page_requests dom >"$tmp/dom.req"
check "dom: the report made no network request (net log)" [ ! -s "$tmp/dom.req" ]
note <"$tmp/dom.req"

# A screenshot, not blank: many colours (the charts), ink on a tenth of it.
browser shot "file://$tmp/report.html" --window-size=800,2000 --screenshot="$tmp/shot.png"
rc=$?
expect "screenshot: chromium ran (exit 0)" 0 "$rc"
check "screenshot: chromium wrote a PNG" test -s "$tmp/shot.png"
read -r w h colours ink < <(python3 "$s/tests/browser/evidence.py" png "$tmp/shot.png" 2>/dev/null)
expect "screenshot: 800 x 2000" "800 2000" "${w:-?} ${h:-?}"
check "screenshot: not blank (${colours:-?} colours, ${ink:-?} per mille not background)" \
	eval '[ "${colours:-0}" -ge 16 ] && [ "${ink:-0}" -ge 30 ]'
page_requests shot >"$tmp/shot.req"
check "screenshot: the report made no network request (net log)" [ ! -s "$tmp/shot.req" ]
note <"$tmp/shot.req"

# Two runs side by side: the failed day against the clean one.
"$b/src/wm-report" --format=html "$s/tests/fixtures/journals/fail" \
	"$s/tests/fixtures/journals/clean" >"$tmp/compare.html"
expect "compare: wm-report's exit status is the first run's verdict (FAIL)" 2 "$?"
check "compare: a CSP forbidding every fetch" grep -q "default-src 'none'" "$tmp/compare.html"
browser cmpdom "file://$tmp/compare.html" --dump-dom
expect "compare dom: chromium ran (exit 0)" 0 "$?"
check "compare dom: the comparison table is in the DOM" grep -q '<section id="compare">' "$tmp/cmpdom.out"
for k in 1 2; do
	for id in chart-availability chart-errors chart-p99 chart-hit-rate; do
		expect "compare dom: the chart $id-$k is in the DOM, once" 1 \
			"$(grep -o "<svg id=\"$id-$k\"" "$tmp/cmpdom.out" | wc -l)"
	done
done
check "compare dom: the first run's verdict FAIL is in the DOM" \
	grep -q '<p class="verdict v2" id="verdict-1">FAIL</p>' "$tmp/cmpdom.out"
check "compare dom: the second run's verdict PASS is in the DOM" \
	grep -q '<p class="verdict v0" id="verdict-2">PASS</p>' "$tmp/cmpdom.out"
page_requests cmpdom >"$tmp/cmpdom.req"
check "compare dom: the page made no network request (net log)" [ ! -s "$tmp/cmpdom.req" ]
note <"$tmp/cmpdom.req"
browser cmpshot "file://$tmp/compare.html" --window-size=800,2000 --screenshot="$tmp/cmpshot.png"
expect "compare screenshot: chromium ran (exit 0)" 0 "$?"
check "compare screenshot: chromium wrote a PNG" test -s "$tmp/cmpshot.png"
read -r w h colours ink < <(python3 "$s/tests/browser/evidence.py" png "$tmp/cmpshot.png" 2>/dev/null)
expect "compare screenshot: 800 x 2000" "800 2000" "${w:-?} ${h:-?}"
check "compare screenshot: many colours (${colours:-?}, 16 at least: the charts)" [ "${colours:-0}" -ge 16 ]
check "compare screenshot: not blank (${ink:-?} per mille not background, 30 at least)" [ "${ink:-0}" -ge 30 ]
page_requests cmpshot >"$tmp/cmpshot.req"
check "compare screenshot: the page made no network request (net log)" [ ! -s "$tmp/cmpshot.req" ]
note <"$tmp/cmpshot.req"
finish
