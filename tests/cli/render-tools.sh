#!/bin/bash
# render-tools.sh - the renderers' output is accepted by the tools that read
# it: JSON and NDJSON by jq, Prometheus text by `promtool check metrics`; and
# the exit code of a result is the same in every format.  A missing jq or
# promtool is a failure (scripts/deps installs both), never a skip.
set -u
b=${WM_BUILDDIR:?run under make check}
fixture=$b/tests/cli/render-fixture
fail=0
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; fail=1; }

for tool in jq promtool; do
	command -v "$tool" >/dev/null || { not_ok "$tool is installed (scripts/deps)"; exit 1; }
done

for which in full empty collide; do
	codes=
	for f in text json ndjson nagios prometheus openmetrics; do
		"$fixture" "$which" "$f" >/dev/null
		codes="$codes $?"
	done
	set -- $codes
	if [ "$1" = "$2" ] && [ "$1" = "$3" ] && [ "$1" = "$4" ] && [ "$1" = "$5" ] &&
		[ "$1" = "$6" ]; then
		ok "$which: exit code $1 in every format"
	else
		not_ok "$which: exit codes differ between formats:$codes"
	fi

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
exit $fail
