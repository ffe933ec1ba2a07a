#!/bin/bash
# reallogs.sh - a `docker compose logs` stream built from every file of the
# real public logs (../shared/data/real-logs), each line under a compose
# prefix naming its source file, repeated up to a size.
#
#   bench/reallogs.sh OUT [MIB] [REAL_LOGS_DIR]     (default 1024 MiB)
#
# The prefix is the file's name without its extension, reduced to the bytes
# a compose name may hold ("honeypot_access-1  | "), padded as compose pads
# them.  Lines keep their bytes (CRLF too); a file without a final newline
# gets one.  Build it under /var/tmp, not in the tree.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$1
mb=${2:-1024}
src=${3:-$here/../../shared/data/real-logs}
[ -d "$src" ] || src=/work/shared/data/real-logs
[ -d "$src" ] || { echo "reallogs.sh: no real logs at $src" >&2; exit 1; }
block=$(mktemp "${out}.block.XXXXXX")
trap 'rm -f "$block"' EXIT
find "$src" -type f ! -name SOURCES.md | LC_ALL=C sort | while read -r f; do
	name=$(basename "$f")
	name=${name%%.*}
	name=$(printf '%s' "$name" | tr -c 'A-Za-z0-9_.-' _)
	# awk: no final newline is given one; every byte else kept (LC_ALL=C)
	LC_ALL=C awk -v p="$(printf '%-28s | ' "$name-1")" '{ print p $0 }' "$f"
done >"$block"
bsize=$(stat -c %s "$block")
want=$((mb * 1024 * 1024))
# whole blocks, then the block's first lines up to the size
rest=$((want % bsize))
for _ in $(seq $((want / bsize))); do cat "$block"; done >"$out"
head -c "$rest" "$block" | sed '$d' >>"$out"
printf 'reallogs.sh: %s: %s bytes, %s lines (block %s bytes)\n' "$out" "$(stat -c %s "$out")" "$(wc -l <"$out")" "$bsize"
