# bash completion for boilerplate: the template of completions/wm-NAME.
# Every long option of --help must be listed here (tests/cli/check-docs.sh).
_boilerplate()
{
	local cur prev
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	case $prev in
	--format)
		mapfile -t COMPREPLY < <(compgen -W 'text json ndjson nagios prometheus openmetrics' -- "$cur")
		return ;;
	--config | --output)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return ;;
	-H | --host)
		mapfile -t COMPREPLY < <(compgen -A hostname -- "$cur")
		return ;;
	-t | --target | -w | --warning | -c | --critical | --timeout | --greeting | --delay)
		return ;;
	esac
	mapfile -t COMPREPLY < <(compgen -W '--greeting --delay
		--target --host --config --warning --critical --timeout
		--format --json --output --print-config --long --verbose --help --version' -- "$cur")
}
complete -F _boilerplate boilerplate
