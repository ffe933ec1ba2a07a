#!/bin/bash
# install.sh - `make install` into a DESTDIR temporary tree, then `make
# uninstall`, as a packager or an admin would run them:
#   - every program the build makes (src/wm-*) is installed, runs from there
#     (--version), and comes with its man page, its bash completion (which
#     loads from the installed directory and registers the program) and the
#     zsh completion (#compdef -p wm-*, so new programs are covered);
#   - warunginmon(7) and warunginmon.conf(5), the annotated example
#     configuration as an example (the same bytes as contrib/), the systemd
#     units with the installed paths (no @placeholder@ left, ExecStart names an
#     installed program);
#   - a live configuration already in place is never touched, by install or by
#     uninstall;
#   - uninstall leaves no file but that live configuration.
# The directories are the configured ones (the prefix and the --with-*dir
# options), under DESTDIR.
set -u
b=${WM_BUILDDIR:?run under make check}
s=${WM_SRCDIR:?run under make check}
. "$s/tests/lib.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root

# makevar NAME: the value of a variable of the build's Makefile, expanded.
makevar() {
	printf 'wm-print-var:\n\t@echo $(%s)\n' "$1" | make -s -C "$b" -f Makefile -f - wm-print-var
}
prefix=$(makevar prefix)
bindir=$root$(makevar bindir) man=$root$(makevar mandir)
bashdir=$root$(makevar bashcompletiondir) zshdir=$root$(makevar zshcompletiondir)
etc=$root$(makevar sysconfdir)/warunginmon unitdir=$root$(makevar systemdunitdir)
live=$etc/config
mkdir -p "$etc"
printf '; the admin'"'"'s own settings\n[general]\ntimeout = 7s\n' >"$live"
cp "$live" "$tmp/live.orig"

make -s -C "$b" install DESTDIR="$root" >"$tmp/install.log" 2>&1
rc=$?
note <"$tmp/install.log"
expect "make install DESTDIR=... exits 0" 0 "$rc"
outside=$(cd "$root" && find . -type f | grep -v "^\.$prefix/" | head -n 3)
expect "nothing installed outside the prefix $prefix" "" "$outside"

progs=$(makevar bin_PROGRAMS)
n=0
for prog in $progs; do
	name=${prog##*/} n=$((n + 1))
	bin=$bindir/$name
	check "$name: installed and executable" test -x "$bin"
	check "$name: --version runs from the installed tree" eval '"$bin" --version | head -n 1 | grep -q "^$name (warunginmon) "'
	check "$name: man page man1/$name.1" test -s "$man/man1/$name.1"
	bc=$bashdir/$name
	check "$name: bash completion installed" test -s "$bc"
	check "$name: the installed bash completion loads (with the shared _warunginmon beside it) and registers $name" \
		eval 'bash -c ". \"\$1\" && complete -p \"\$2\"" _ "$bc" "$name" 2>&1 | grep -q -- "-F [^ ]* $name\$"'
	check "$name: the installed zsh completion covers it (#compdef -p wm-*)" \
		eval 'head -n 1 "$zshdir/_warunginmon" | grep -qx "#compdef -p wm-\\*" && [[ $name == wm-* ]]'
done
check "make install installed $n programs (5 at least: services, errors, cache, db, run)" [ "$n" -ge 5 ]
# What the build made is what was installed: a program added to src/ without
# bin_PROGRAMS would be missing here.
for f in "$b"/src/wm-*; do
	[ -x "$f" ] && [ -f "$f" ] || continue
	check "${f##*/} (built) is installed" test -x "$bindir/${f##*/}"
done

check "warunginmon(7) installed" test -s "$man/man7/warunginmon.7"
check "warunginmon.conf(5) installed" test -s "$man/man5/warunginmon.conf.5"
check "the example configuration installed as an example, the same bytes as contrib/" \
	cmp -s "$s/contrib/warunginmon.conf.example" "$etc/warunginmon.conf.example"
check "the live configuration is untouched by make install" cmp -s "$tmp/live.orig" "$live"

units=$(makevar systemdunit_DATA)
nu=0
for u in $units; do
	f=$unitdir/${u##*/} nu=$((nu + 1))
	check "unit ${u##*/} installed" test -s "$f"
	left=$(grep -o '@[a-zA-Z_]*@' "$f" 2>/dev/null | head -n 1)
	expect "unit ${u##*/}: every @placeholder@ replaced" "" "$left"
	exe=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$f")
	case $u in
	*.service)
		# wm-check@.service runs the program its instance names (%i)
		exe=${exe/\%i/wm-services}
		check "unit ${u##*/}: ExecStart $exe is an installed program" test -x "$root$exe"
		;;
	esac
done
check "5 units installed (wm-run@ and wm-check@, service and timer; wm-run-day@.service)" [ "$nu" = 5 ]

make -s -C "$b" uninstall DESTDIR="$root" >"$tmp/uninstall.log" 2>&1
rc=$?
note <"$tmp/uninstall.log"
expect "make uninstall exits 0" 0 "$rc"
left=$(cd "$root" && find . ! -type d | sort | paste -sd ' ')
expect "make uninstall leaves no file but the live configuration" ".${live#"$root"}" "$left"
check "the live configuration is untouched by make uninstall" cmp -s "$tmp/live.orig" "$live"
finish
