#!/bin/bash
# render-tools.sh - the renderers' output is accepted by the tools that read
# it: JSON and NDJSON by jq, Prometheus text by `promtool check metrics`; and
# the exit code of a result is the same in every format.  A missing jq or
# promtool is a failure (scripts/deps installs both), never a skip.
set -u
b=${WM_BUILDDIR:?run under make check}
s=${WM_SRCDIR:?run under make check}
fixture=$b/tests/cli/render-fixture
. "$s/tests/lib.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

for tool in jq promtool; do
	command -v "$tool" >/dev/null || { not_ok "$tool is installed (scripts/deps)"; exit 1; }
done

for which in full empty collide labels; do
	# The exit code the result's own state gives (OK 0 ... UNKNOWN 3), from the JSON.
	want=$("$fixture" "$which" json | jq -r '{"OK":0,"WARNING":1,"CRITICAL":2,"UNKNOWN":3}[.state] // "none"')
	# ndjson is one line per check: nothing at all for a result without checks.
	nchecks=$("$fixture" "$which" json | jq '.checks | length')
	codes= empty= want_empty=
	[ "$nchecks" = 0 ] && want_empty=" ndjson"
	for f in text json ndjson nagios prometheus openmetrics; do
		"$fixture" "$which" "$f" >"$tmp/out"
		codes="$codes $?"
		[ -s "$tmp/out" ] || empty="$empty $f"
	done
	expect "$which: exit code of each of the 6 formats is the JSON state's ($want)" \
		"$want $want $want $want $want $want" "${codes# }"
	expect "$which: the formats with an empty output ($nchecks checks)" "$want_empty" "$empty"

	if "$fixture" "$which" json | jq -e '.schema == 1 and (.checks | type == "array")' >/dev/null; then
		ok "$which: json parses with jq and has the schema keys"
	else
		not_ok "$which: json rejected by jq"
	fi
	lines=$("$fixture" "$which" ndjson | wc -l)
	parsed=$("$fixture" "$which" ndjson | jq -c 'select(.schema == 1 and .name and .state)' | wc -l)
	if [ "$lines" = "$parsed" ]; then
		ok "$which: ndjson $lines lines, each an object with schema, name, state"
	else
		not_ok "$which: ndjson $lines lines, $parsed accepted by jq"
	fi
	if out=$("$fixture" "$which" prometheus | promtool check metrics 2>&1); then
		ok "$which: promtool check metrics accepts the prometheus output"
	else
		not_ok "$which: promtool check metrics: $out"
	fi
done

# The check must be able to fail: promtool rejects a broken exposition.
if printf 'wm_x{a="\xff"} 1\n' | promtool check metrics >/dev/null 2>&1; then
	not_ok "promtool rejects invalid UTF-8 in a label value"
else
	ok "promtool rejects invalid UTF-8 in a label value"
fi
finish
