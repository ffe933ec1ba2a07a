# Bash completions, one file per program, each sourcing the shared _warunginmon.
dist_bashcompletion_DATA += completions/_warunginmon
# zsh: one function for every wm-* program (#compdef -p), options from --help.
dist_zshcompletion_DATA = completions/zsh/_warunginmon
dist_bashcompletion_DATA += completions/wm-cache completions/wm-db

dist_bashcompletion_DATA += completions/wm-security

dist_bashcompletion_DATA += completions/wm-services
dist_bashcompletion_DATA += completions/wm-errors
dist_bashcompletion_DATA += completions/wm-run
dist_bashcompletion_DATA += completions/wm-perf
dist_bashcompletion_DATA += completions/wm-report
dist_bashcompletion_DATA += completions/wm-smoke
