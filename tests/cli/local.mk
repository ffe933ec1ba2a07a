# Programs run against fixtures: expected output compared byte for byte, exit code too.
