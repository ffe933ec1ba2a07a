# bash completion for boilerplate: the template of completions/wm-NAME.
# The common options, formats, targets and --opt=value forms are in
# completions/_warunginmon; a program names its own options (every long
# option of --help must be here or there: tests/cli/check-docs.sh) and how
# to complete their values.
. "${BASH_SOURCE[0]%/*}/_warunginmon" || return

# The values of the program's own options: _wm_reply WORDS "$2" for a fixed
# set, compgen -f for a file; free text and numbers get nothing.
_boilerplate_value()
{
	case $1 in
	--greeting | --delay) ;;
	esac
}

_boilerplate()
{
	# own options: without a value, with one, with an optional one
	_wm_complete '' '--greeting --delay' '' _boilerplate_value
}
complete -F _boilerplate boilerplate
