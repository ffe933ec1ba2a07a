#!/bin/bash
# genlogs.sh - generated `docker compose logs --timestamps` of five services,
# cycled from the line formats of tests/fixtures/logs (winston JSON with
# escaped stack traces, pino, nginx access/error, PostgreSQL, Redis, plain
# text), the numbers varied within a 4 MiB block that is then repeated.
#
#   bench/genlogs.sh OUT [MIB]        (default 200 MiB)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
fix=$here/../tests/fixtures/logs
input=$1
mb=${2:-200}

# One seed per line: "SERVICE<TAB>LINE".
seeds() {
	sed -n 's/^warungin-\([a-z]*\) *| [^ ]* \(.*\)$/\1\t\2/p' "$fix/compose-warungin.log"
	sed 's/^/backend\t/' "$fix/warungin-backend.jsonl"
	head -100 "$fix/nginx_access_200.log" | sed 's/^/nginx\t/'
	head -30 "$fix/nginx_error.log" | sed 's/^/nginx\t/'
	tr -d '\r' <"$fix/postgres_fr.log" | sed 's/^/postgres\t/'
	head -100 "$fix/redis.log" | sed 's/^/redis\t/'
	sed 's/^/backend\t/' "$fix/pino_wikiactivity.log"
}
seeds >"$input.seeds"
# A 4 MiB block with varied numbers and times (awk is slow: strftime once per
# second of log time), then the block repeated up to the size.
awk -v bytes=$((4 * 1024 * 1024)) -F '\t' '
	{ svc[NR] = $1; line[NR] = $2; n = NR }
	END {
		total = 0; i = 0; t = 1767171600
		while (total < bytes) {
			if (i % 500 == 0)
				stamp = strftime("%Y-%m-%dT%H:%M:%S", t + int(i / 500), 1)
			k = i % n + 1; l = line[k]
			sub(/ [0-9]+/, " " i, l)	# vary one number (after a space) per line
			out = sprintf("%-12s | %s.%09dZ %s", svc[k] "-1", stamp, i, l)
			print out; total += length(out) + 1; i++
		}
	}' "$input.seeds" >"$input.block"
for _ in $(seq $((mb / 4))); do cat "$input.block"; done >"$input"
rm -f "$input.block" "$input.seeds"
