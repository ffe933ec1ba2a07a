# textfile-merge.awk - merge Prometheus text files the way node_exporter's
# textfile collector does (1.5, collector/textfile.go): the samples of a
# family from every file under one # HELP and # TYPE.  Prints the merged
# exposition on stdout, for `promtool check metrics`, and on stderr one line
# per thing the collector would refuse, exiting 1 when there is any:
#   - a family whose HELP or TYPE differs between files (1.5 drops it),
#   - the same series (name and labels) twice,
#   - a sample line before any # TYPE of its family (no family to join).
# Usage: awk -f textfile-merge.awk FILE...
/^# HELP / {
	name = $3
	text = substr($0, length("# HELP " name " ") + 1)
	if (name in help && help[name] != text) {
		print FILENAME ": family " name " has a second HELP: '" text "' (was '" help[name] "')" > "/dev/stderr"
		bad = 1
	}
	if (!(name in help)) help[name] = text
	if (!(name in seen)) { seen[name] = 1; order[n++] = name }
	next
}
/^# TYPE / {
	name = $3
	if (name in type && type[name] != $4) {
		print FILENAME ": family " name " has a second TYPE: " $4 " (was " type[name] ")" > "/dev/stderr"
		bad = 1
	}
	if (!(name in type)) type[name] = $4
	if (!(name in seen)) { seen[name] = 1; order[n++] = name }
	next
}
/^#/ || /^$/ { next }
{
	series = $0
	sub(/ [^ ]+$/, "", series)
	name = series
	sub(/\{.*$/, "", name)
	if (!(name in type)) {
		print FILENAME ": sample of " name " without a # TYPE" > "/dev/stderr"
		bad = 1
	}
	if (series in have) {
		print FILENAME ": series " series " given twice" > "/dev/stderr"
		bad = 1
	}
	have[series] = 1
	samples[name] = samples[name] $0 "\n"
	if (!(name in seen)) { seen[name] = 1; order[n++] = name }
}
END {
	for (i = 0; i < n; i++) {
		name = order[i]
		if (name in help) print "# HELP " name " " help[name]
		if (name in type) print "# TYPE " name " " type[name]
		printf "%s", samples[name]
	}
	exit bad
}
