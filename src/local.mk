# The programs: one file each (a program that outgrows one file gets src/wm-x/).

# The program side of the common command line (prints, exits): every program
# links WM_PROG_LIBS.
noinst_LIBRARIES += src/libwmprog.a
src_libwmprog_a_CPPFLAGS = $(WM_CPPFLAGS)
src_libwmprog_a_SOURCES = src/common/prog.c src/common/prog.h src/common/cli.c src/common/cli.h
WM_PROG_LIBS = src/libwmprog.a $(WM_LIBS) -lpthread

# The template for a new program, built so that it cannot rot (never installed).
check_PROGRAMS += doc/boilerplate
doc_boilerplate_SOURCES = doc/boilerplate.c
doc_boilerplate_CPPFLAGS = $(WM_CPPFLAGS)
doc_boilerplate_LDADD = $(WM_PROG_LIBS)

bin_PROGRAMS += src/wm-cache
src_wm_cache_SOURCES = src/wm-cache.c
src_wm_cache_CPPFLAGS = $(WM_CPPFLAGS)
src_wm_cache_LDADD = $(WM_PROG_LIBS)

bin_PROGRAMS += src/wm-db
src_wm_db_SOURCES = src/wm-db.c
src_wm_db_CPPFLAGS = $(WM_CPPFLAGS)
src_wm_db_LDADD = $(WM_PROG_LIBS)

bin_PROGRAMS += src/wm-security
src_wm_security_SOURCES = src/wm-security.c
src_wm_security_CPPFLAGS = $(WM_CPPFLAGS)
src_wm_security_LDADD = $(WM_PROG_LIBS)

bin_PROGRAMS += src/wm-perf
src_wm_perf_SOURCES = src/wm-perf.c
src_wm_perf_CPPFLAGS = $(WM_CPPFLAGS)
src_wm_perf_LDADD = $(WM_PROG_LIBS)

bin_PROGRAMS += src/wm-smoke
src_wm_smoke_SOURCES = src/wm-smoke.c
src_wm_smoke_CPPFLAGS = $(WM_CPPFLAGS)
src_wm_smoke_LDADD = $(WM_PROG_LIBS)

bin_PROGRAMS += src/wm-services
src_wm_services_SOURCES = src/wm-services.c
src_wm_services_CPPFLAGS = $(WM_CPPFLAGS)
src_wm_services_LDADD = $(WM_PROG_LIBS)
bin_PROGRAMS += src/wm-errors
src_wm_errors_SOURCES = src/errors/main.c src/errors/follow.c \
	src/errors/details.c src/errors/wm-errors.h
src_wm_errors_CPPFLAGS = $(WM_CPPFLAGS) -I$(top_srcdir)/src
src_wm_errors_LDADD = $(WM_PROG_LIBS)

# wm-run: the driver (start), cron mode (tick), status and people's input
# over the run directory's socket (src/run/wm-run.h says which file does what).
bin_PROGRAMS += src/wm-run
src_wm_run_SOURCES = src/run/main.c src/run/rundir.c src/run/tick.c \
	src/run/driver.c src/run/ctl.c src/run/follow.c src/run/status.c src/run/wm-run.h
src_wm_run_CPPFLAGS = $(WM_CPPFLAGS) -I$(top_srcdir)/src
src_wm_run_LDADD = $(WM_PROG_LIBS)

bin_PROGRAMS += src/wm-report
src_wm_report_SOURCES = src/wm-report.c
src_wm_report_CPPFLAGS = $(WM_CPPFLAGS)
src_wm_report_LDADD = $(WM_PROG_LIBS)
