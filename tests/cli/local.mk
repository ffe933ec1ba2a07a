# Programs run against fixtures: expected output compared byte for byte, exit code too.

# A tiny program that renders the unit tests' fixture results, for jq/promtool.
check_PROGRAMS += tests/cli/render-fixture
tests_cli_render_fixture_SOURCES = tests/cli/render-fixture.c \
	tests/unit/render_fixture.c tests/unit/render_fixture.h
tests_cli_render_fixture_CPPFLAGS = $(WM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_cli_render_fixture_LDADD = $(WM_LIBS)

# Shell tests (tests/cli/*.sh) run with bash and know where the build and the
# sources are: WM_BUILDDIR, WM_SRCDIR (absolute).
TEST_EXTENSIONS = .sh
# tests/lib.sh: the assertion helpers every shell test sources; the lint keeps
# every check/expect a whole condition (no `check MSG [ A ] && [ B ]`).
EXTRA_DIST += tests/lib.sh tests/cli/lint-tests.sh
TESTS += tests/cli/lint-tests.sh
SH_LOG_COMPILER = env WM_BUILDDIR='$(abs_top_builddir)' WM_SRCDIR='$(abs_top_srcdir)' bash
EXTRA_DIST += tests/cli/render-tools.sh
TESTS += tests/cli/render-tools.sh
# Every program's Prometheus file alone and merged in one textfile directory.
EXTRA_DIST += tests/cli/prom-textfile.sh tests/cli/textfile-merge.awk
TESTS += tests/cli/prom-textfile.sh

# --help, man page and completion agree for every program (and the template).
EXTRA_DIST += tests/cli/check-docs.sh tests/cli/prog.sh doc/boilerplate.1 doc/boilerplate.bash
TESTS += tests/cli/check-docs.sh tests/cli/prog.sh

# wm-errors on fixture logs: counts, groups, window, follow, exit codes.
EXTRA_DIST += tests/cli/errors.sh
TESTS += tests/cli/errors.sh
# wm-errors never reports "0 errors" for logs it did not read (issue 11).
EXTRA_DIST += tests/cli/errors-unknown.sh tests/cli/prog-one-story.sh tests/cli/no-such-host.sh \
	tests/cli/ca-file.sh
TESTS += tests/cli/errors-unknown.sh tests/cli/prog-one-story.sh tests/cli/no-such-host.sh \
	tests/cli/ca-file.sh
# Every [probe NAME] key is honoured or refused with its file and line.
EXTRA_DIST += tests/cli/probe-keys.sh
TESTS += tests/cli/probe-keys.sh

# How long each renderer takes on a large result (run by hand: bench/render N).
check_PROGRAMS += bench/render
bench_render_SOURCES = bench/render.c
bench_render_CPPFLAGS = $(WM_CPPFLAGS)
bench_render_LDADD = $(WM_LIBS)

# The CPU a held tunnel costs while idle (bench/tunnel-idle.sh runs it).
check_PROGRAMS += bench/tunnel
bench_tunnel_SOURCES = bench/tunnel.c
bench_tunnel_CPPFLAGS = $(WM_CPPFLAGS)
bench_tunnel_LDADD = $(WM_LIBS)

# wm-services -v against a fake engine: what it says on stderr.
EXTRA_DIST += tests/cli/services-verbose.sh
TESTS += tests/cli/services-verbose.sh

# Hostile surroundings (review): a silent listener, the configuration's timeout.
EXTRA_DIST += tests/cli/prog-silent-listener.sh tests/cli/silent-listener.py tests/cli/mute-postgres.py
TESTS += tests/cli/prog-silent-listener.sh
# Issue 11 items 14, 16, 17: --timeout against silent ssh/redis/postgres/docker,
# a hostile docker engine, hostile logs, configuration errors, no secret shown.
EXTRA_DIST += tests/cli/hostile-inputs.sh tests/cli/fake-engine.py
TESTS += tests/cli/hostile-inputs.sh

# Every program prints the configuration's warnings (unknown key, writable file).
EXTRA_DIST += tests/cli/config-warnings.sh
TESTS += tests/cli/config-warnings.sh
EXTRA_DIST += tests/cli/print-config.sh
TESTS += tests/cli/print-config.sh

# Benchmark B3's sketch side (bench/percentiles.sh runs it; by hand: bench/percentiles FILE).
check_PROGRAMS += bench/percentiles
bench_percentiles_SOURCES = bench/percentiles.c
bench_percentiles_CPPFLAGS = $(WM_CPPFLAGS)
bench_percentiles_LDADD = $(WM_LIBS)

# The bash completions driven as bash does (COMP_WORDS/COMP_CWORD), --version.
EXTRA_DIST += tests/cli/completions.sh
TESTS += tests/cli/completions.sh

# wm-run tick: a tier through the check units into a journal; --print-crontab.
EXTRA_DIST += tests/cli/run-tick.sh
TESTS += tests/cli/run-tick.sh
# wm-report on fixed journals: golden outputs in every format, the verdict as exit status.
EXTRA_DIST += tests/cli/report.sh
TESTS += tests/cli/report.sh
# wm-run start: a compressed day, one driver per run, the socket, signals,
# kill -9 and restarts, a full disk.
EXTRA_DIST += tests/cli/run-driver.sh
TESTS += tests/cli/run-driver.sh
# wm-run status --follow on a pseudo-terminal: the view, q, ^C, SIGTERM, the driver's end.
EXTRA_DIST += tests/cli/run-follow.sh tests/cli/pty-follow.py
TESTS += tests/cli/run-follow.sh

# make install into a DESTDIR tree (programs, man pages, bash and zsh
# completions, the example configuration, systemd units), make uninstall.
EXTRA_DIST += tests/cli/install.sh
TESTS += tests/cli/install.sh
# The zsh completion in a real zsh (pseudo-terminal, compinit, TAB).
EXTRA_DIST += tests/cli/zsh-completion.sh tests/cli/zsh-complete.zsh
TESTS += tests/cli/zsh-completion.sh
