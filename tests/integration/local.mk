# The in-process proof (issue 9): built by make check, run against the world
# by tests/integration/inprocess.test (tests/integration/run).
check_PROGRAMS += tests/integration/inprocess
tests_integration_inprocess_SOURCES = tests/integration/inprocess.c
tests_integration_inprocess_CPPFLAGS = $(WM_CPPFLAGS)
tests_integration_inprocess_LDADD = $(WM_LIBS) -lpthread
