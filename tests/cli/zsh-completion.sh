#!/bin/bash
# zsh-completion.sh - completions/zsh/_warunginmon driven by a real zsh
# (tests/cli/zsh-complete.zsh: a pseudo-terminal, compinit, TAB), for every
# program the build makes:
#   - "PROG --" offers every long option of the program's own --help;
#   - "PROG --format=" offers exactly the formats of warunginmon(7);
#   - "PROG -t " and "PROG --target=" offer the [target] sections of $WM_CONFIG;
#   - "PROG --config=" completes paths;
# and wm-run offers its command `tick`, while a plain argument of another
# program completes nothing (no stray file names).
set -u
b=${WM_BUILDDIR:?run under make check}
s=${WM_SRCDIR:?run under make check}
. "$s/tests/lib.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
command -v zsh >/dev/null || { not_ok "zsh is installed (scripts/deps: zsh)"; finish; exit; }
printf '[target prod]\nhost = a\n[target stage]\nhost = b\n' >"$tmp/conf"
mkdir "$tmp/dir" && touch "$tmp/dir/some.conf"
export WM_CONFIG=$tmp/conf PATH=$b/src:$PATH
fp=$s/completions/zsh

# comp LINE: the matches for LINE, sorted, space-joined ("(no answer)" when
# zsh gave none: a broken harness is never an empty match list).
comp() {
	(cd "$tmp/dir" && timeout 30 zsh -f "$s/tests/cli/zsh-complete.zsh" "$fp" "$1") >"$tmp/matches" ||
		{ echo "(no answer)"; return; }
	sort "$tmp/matches" | paste -sd ' '
}

n=0
for prog in "$b"/src/wm-*; do
	[ -x "$prog" ] && [ -f "$prog" ] || continue
	name=${prog##*/} n=$((n + 1))
	want=$("$prog" --help | grep -oE -- '--[a-z0-9][a-z0-9-]*' | sort -u | paste -sd ' ')
	got=$(comp "$name --" | tr ' ' '\n' | grep -- '^--' | sort -u | paste -sd ' ')
	expect "$name --<TAB>: every long option of its --help" "$want" "$got"
	expect "$name --format=<TAB>: the formats" "json nagios ndjson openmetrics prometheus text" "$(comp "$name --format=")"
	expect "$name -t <TAB>: the configuration's targets" "prod stage" "$(comp "$name -t ")"
	expect "$name --target=<TAB>: the configuration's targets" "prod stage" "$(comp "$name --target=")"
	expect "$name --config=so<TAB>: a file" "some.conf" "$(comp "$name --config=so")"
done
check "zsh completion checked for $n programs (5 at least)" [ "$n" -ge 5 ]
expect "wm-run <TAB>: its command" "tick" "$(comp "wm-run ")"
expect "wm-cache <TAB>: no stray file names for a plain argument" "" "$(comp "wm-cache ")"
finish
