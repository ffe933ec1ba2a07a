# Bash completions, one file per program.
