# zsh-complete.zsh FPATH LINE: the matches zsh's completion system offers for
# LINE (completed at its end, as TAB would), one a line; exit 1 when zsh gave
# no answer.  This script runs itself (--inner) as an interactive zsh under a
# pseudo-terminal (zsh/zpty), with FPATH first in $fpath and compinit; there
# vared edits the line (it says ^A once the line editor is up: what is typed
# before could be flushed) and TAB is a completion widget that runs the
# normal completion (_main_complete), prints what compadd was given between
# ^B and ^C, and exits.
if [[ $1 == --inner ]]; then
	# No job control: a subshell of an interactive shell with MONITOR on
	# fights for the terminal's process group and can stop on SIGTTOU.
	unsetopt monitor
	fpath=($WMC_FPATH $fpath)
	autoload -U compinit && compinit -u -D  # -D: no dump file (with -d /dev/null compdump mv's its dump over /dev/null)
	typeset -aU wmc_got
	compadd() {
		# -O/-A/-D: a completion function asking what would match, not adding
		if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
			builtin compadd "$@"
			return
		fi
		local -a got
		builtin compadd -O got "$@"
		wmc_got+=("$got[@]")
		builtin compadd "$@"
	}
	wmc-complete() {
		unset 'compstate[vared]'
		_main_complete "$@"
		print -rn -- $'\C-B'"${(pj:\n:)wmc_got}"$'\C-C'
		exit
	}
	zle -C wmc-complete complete-word wmc-complete
	wmc-ready() { print -rn -- $'\C-A'; }
	zle -N wmc-ready
	bindkey '^I' wmc-complete
	vared -i wmc-ready -c wmc_line
	exit
fi
zmodload zsh/zpty || exit 1
export WMC_FPATH=$1
zpty wmc zsh -f -i $0 --inner
# The inner zsh is in a session of its own and, being interactive, ignores
# SIGTERM: when this script ends or is timed out, hang it up (zpty -d sends
# SIGHUP) so no shell outlives the test holding its parent's descriptors.
TRAPEXIT() { zpty -d wmc 2>/dev/null; }
TRAPTERM() { zpty -d wmc 2>/dev/null; exit 143; }
# read_until CHAR: $out gets everything up to CHAR; a read may stop short of
# the pattern on a busy machine, so read again (the caller's timeout bounds it)
read_until() {
	local chunk
	out=
	while [[ $out != *$1* ]]; do
		chunk=
		zpty -r wmc chunk "*$1"
		(( $? > 1 )) && return 1
		out+=$chunk
		[[ -z $chunk ]] && ! zpty -t wmc && return 1
	done
	return 0
}
read_until $'\C-A' || exit 1
zpty -w -n wmc "$2"$'\t'
read_until $'\C-C' || exit 1
zpty -d wmc
[[ $out == *$'\C-B'*$'\C-C'* ]] || exit 1
out=${out#*$'\C-B'}
out=${out%%$'\C-C'*}
[[ -n $out ]] && print -r -- "${out//$'\r'/}"
exit 0
