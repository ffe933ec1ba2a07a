# Bash completions, one file per program.
dist_bashcompletion_DATA += completions/wm-cache completions/wm-db

dist_bashcompletion_DATA += completions/wm-services
dist_bashcompletion_DATA += completions/wm-errors
