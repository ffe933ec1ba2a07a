# The in-process proof (issue 9): built by make check, run against the world
# by tests/integration/inprocess.test (tests/integration/run).
check_PROGRAMS += tests/integration/inprocess
tests_integration_inprocess_SOURCES = tests/integration/inprocess.c
tests_integration_inprocess_CPPFLAGS = $(WM_CPPFLAGS)
tests_integration_inprocess_LDADD = $(WM_LIBS) -lpthread

# The watch of wm-run against the world: tests/integration/watch-world.test.
check_PROGRAMS += tests/integration/watch-probe
tests_integration_watch_probe_SOURCES = tests/integration/watch-probe.c
tests_integration_watch_probe_CPPFLAGS = $(WM_CPPFLAGS)
tests_integration_watch_probe_LDADD = $(WM_LIBS) -lpthread
