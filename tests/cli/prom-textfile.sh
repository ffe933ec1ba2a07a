#!/bin/bash
# prom-textfile.sh - every program's --format=prometheus --output file, put in
# one textfile directory as node_exporter reads it, is accepted: each file by
# `promtool check metrics`, and the directory merged the collector's way
# (tests/cli/textfile-merge.awk: one HELP and TYPE per family across files,
# no series twice) by promtool too.  No services needed: wm-errors reads a log
# with odd service names (a dash, a dot), the others fail against
# closed ports (their UNKNOWN/CRITICAL output is what a cron job writes on a
# bad night).  Also: every family of the table is documented in warunginmon(7).
set -u
b=${WM_BUILDDIR:?run under make check}
s=${WM_SRCDIR:?run under make check}
. "$s/tests/lib.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
unset WM_CONFIG WM_TARGET DOCKER_HOST
export WM_STATE_DIR=$tmp/state XDG_CONFIG_HOME=$tmp/xdg
merge="awk -f $s/tests/cli/textfile-merge.awk"
command -v promtool >/dev/null || { not_ok "promtool is installed (scripts/deps)"; exit 1; }

cat >"$tmp/c.conf" <<CONF
[general]
timeout = 1s
[target t]
project = shop
docker_socket = $tmp/nothing.sock
redis = 127.0.0.1:1
postgres = host=127.0.0.1 port=1 dbname=x user=x
services = auth-ms odd.name
CONF
chmod 600 "$tmp/c.conf"
{
	printf 'auth-ms-1   | 2026-01-01T00:00:0%dZ ERROR boom %d\n' 1 1 2 2 3 3
	printf 'odd.name    | 2026-01-01T00:00:04Z WARN "quoted" \\ thing\n'
} >"$tmp/compose.log"

d=$tmp/textfile
mkdir "$d"
for p in wm-services wm-cache wm-db; do
	"$b/src/$p" --config="$tmp/c.conf" -t t --format=prometheus --output="$d/$p.prom" 2>/dev/null
done
"$b/src/wm-errors" --config="$tmp/c.conf" -t t --format=prometheus --output="$d/wm-errors.prom" \
	--file="$tmp/compose.log" 2>/dev/null
"$b/tests/cli/render-fixture" labels prometheus >"$d/labels.prom"
"$b/tests/cli/render-fixture" full prometheus >"$d/full.prom"

for f in "$d"/*.prom; do
	if out=$(promtool check metrics <"$f" 2>&1) && [ -s "$f" ]; then
		ok "${f##*/}: promtool check metrics is clean"
	else
		not_ok "${f##*/}: promtool check metrics: $out"
	fi
done
if grep -q '^wm_log_lines{tool="wm-errors",target="t",project="",service="odd.name",level="warn"} 1$' "$d/wm-errors.prom" &&
	grep -q '^wm_log_lines{.*,service="auth-ms",level="error"} 3$' "$d/wm-errors.prom"; then
	ok "wm-errors: log lines per service and level, odd service names in labels"
else
	not_ok "wm-errors: log lines: $(grep wm_log_lines "$d/wm-errors.prom")"
fi
if grep -E '^wm_' "$d"/*.prom | grep -Eq '^[^{]*(auth|odd|weird|shop)'; then
	not_ok "no service, project or check name in a family name: $(grep -E '^wm_[^{]*(auth|odd)' "$d"/*.prom)"
else
	ok "no service, project or check name in a family name"
fi

if $merge "$d"/*.prom >"$tmp/merged" 2>"$tmp/err" && promtool check metrics <"$tmp/merged" >"$tmp/out" 2>&1; then
	ok "the textfile directory merged: one HELP and TYPE per family, promtool clean"
else
	not_ok "the textfile directory merged: $(cat "$tmp/err" "$tmp/out")"
fi
expect "the merged directory holds the run state of all 6 files" 6 "$(grep -c '^wm_result_state{' "$tmp/merged")"

# The merge must be able to fail: a family whose HELP differs between files.
sed 's/^# HELP wm_check_state .*/# HELP wm_check_state Something else./' "$d/wm-cache.prom" >"$tmp/other.prom"
if $merge "$d/wm-db.prom" "$tmp/other.prom" >/dev/null 2>&1; then
	not_ok "a family with two HELP texts is refused"
else
	ok "a family with two HELP texts is refused"
fi
if $merge "$d/wm-db.prom" "$d/wm-db.prom" >/dev/null 2>&1; then
	not_ok "the same series in two files is refused"
else
	ok "the same series in two files is refused"
fi

# Every family of the table is in warunginmon(7)'s table, with its type and
# labels: an entry ".B NAME" and then "TYPE; LABELS.".
missing=
while IFS=$'\t' read -r name type labels _; do
	[ "$labels" = - ] && labels='\(em'
	got=$(grep -A1 -xF ".B $name" "$s/man/warunginmon.7" | sed -n 2p)
	[ "$got" = "$type; ${labels//,/, }." ] || missing="$missing $name"
done < <("$b/tests/cli/render-fixture" families)
expect "every family is documented in warunginmon(7) (missing ones listed)" "" "$missing"
finish
