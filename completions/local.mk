# Bash completions, one file per program, each sourcing the shared _warunginmon.
dist_bashcompletion_DATA += completions/_warunginmon
dist_bashcompletion_DATA += completions/wm-cache completions/wm-db

dist_bashcompletion_DATA += completions/wm-security

dist_bashcompletion_DATA += completions/wm-services
dist_bashcompletion_DATA += completions/wm-errors
dist_bashcompletion_DATA += completions/wm-run
dist_bashcompletion_DATA += completions/wm-perf
dist_bashcompletion_DATA += completions/wm-report
