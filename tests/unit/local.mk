# One Check suite per library module.
UNIT_CPPFLAGS = $(WM_CPPFLAGS) $(CHECK_CFLAGS) -DWM_TEST_SRCDIR='"$(abs_top_srcdir)"'
UNIT_LDADD = $(WM_LIBS) $(CHECK_LIBS)

check_PROGRAMS += tests/unit/check_result
tests_unit_check_result_SOURCES = tests/unit/check_result.c
tests_unit_check_result_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_result_LDADD = $(UNIT_LDADD)

TESTS += tests/unit/check_result

check_PROGRAMS += tests/unit/check_docker
tests_unit_check_docker_SOURCES = tests/unit/check_docker.c  tests/unit/unit.h
tests_unit_check_docker_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_docker_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_docker

check_PROGRAMS += tests/unit/check_redis
tests_unit_check_redis_SOURCES = tests/unit/check_redis.c
tests_unit_check_redis_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_redis_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_redis

check_PROGRAMS += tests/unit/check_pg
tests_unit_check_pg_SOURCES = tests/unit/check_pg.c
tests_unit_check_pg_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_pg_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_pg

check_PROGRAMS += tests/unit/check_ssh
tests_unit_check_ssh_SOURCES = tests/unit/check_ssh.c  tests/unit/unit.h
tests_unit_check_ssh_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_ssh_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_ssh

check_PROGRAMS += tests/unit/check_threshold
tests_unit_check_threshold_SOURCES = tests/unit/check_threshold.c tests/unit/unit.h
tests_unit_check_threshold_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_threshold_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_threshold

check_PROGRAMS += tests/unit/check_threshold_policy
tests_unit_check_threshold_policy_SOURCES = tests/unit/check_threshold_policy.c tests/unit/unit.h
tests_unit_check_threshold_policy_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_threshold_policy_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_threshold_policy

check_PROGRAMS += tests/unit/check_conf_sections
tests_unit_check_conf_sections_SOURCES = tests/unit/check_conf_sections.c tests/unit/unit.h
tests_unit_check_conf_sections_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_conf_sections_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_conf_sections

check_PROGRAMS += tests/unit/check_render
tests_unit_check_render_SOURCES = tests/unit/check_render.c tests/unit/unit.h \
	tests/unit/render_fixture.c tests/unit/render_fixture.h
tests_unit_check_render_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_render_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_render

check_PROGRAMS += tests/unit/check_cli
tests_unit_check_cli_SOURCES = tests/unit/check_cli.c tests/unit/unit.h
tests_unit_check_cli_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_cli_LDADD = src/libwmprog.a $(UNIT_LDADD)
TESTS += tests/unit/check_cli

check_PROGRAMS += tests/unit/check_duration
tests_unit_check_duration_SOURCES = tests/unit/check_duration.c tests/unit/unit.h
tests_unit_check_duration_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_duration_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_duration

check_PROGRAMS += tests/unit/check_state
tests_unit_check_state_SOURCES = tests/unit/check_state.c tests/unit/unit.h
tests_unit_check_state_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_state_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_state

check_PROGRAMS += tests/unit/check_exec
tests_unit_check_exec_SOURCES = tests/unit/check_exec.c tests/unit/unit.h
tests_unit_check_exec_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_exec_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_exec

check_PROGRAMS += tests/unit/check_config
tests_unit_check_config_SOURCES = tests/unit/check_config.c tests/unit/unit.h
tests_unit_check_config_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_config_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_config

check_PROGRAMS += tests/unit/check_cache
tests_unit_check_cache_SOURCES = tests/unit/check_cache.c
tests_unit_check_cache_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_cache_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_cache

check_PROGRAMS += tests/unit/check_db
tests_unit_check_db_SOURCES = tests/unit/check_db.c
tests_unit_check_db_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_db_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_db

check_PROGRAMS += tests/unit/check_disk
tests_unit_check_disk_SOURCES = tests/unit/check_disk.c tests/unit/unit.h
tests_unit_check_disk_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_disk_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_disk
check_PROGRAMS += tests/unit/check_logline
tests_unit_check_logline_SOURCES = tests/unit/check_logline.c
tests_unit_check_logline_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_logline_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_logline
check_PROGRAMS += tests/unit/check_logline_text
tests_unit_check_logline_text_SOURCES = tests/unit/check_logline_text.c
tests_unit_check_logline_text_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_logline_text_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_logline_text

check_PROGRAMS += tests/unit/check_classify
tests_unit_check_classify_SOURCES = tests/unit/check_classify.c
tests_unit_check_classify_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_classify_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_classify

check_PROGRAMS += tests/unit/check_groups
tests_unit_check_groups_SOURCES = tests/unit/check_groups.c
tests_unit_check_groups_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_groups_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_groups

check_PROGRAMS += tests/unit/check_fastpath
tests_unit_check_fastpath_SOURCES = tests/unit/check_fastpath.c
tests_unit_check_fastpath_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_fastpath_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_fastpath

check_PROGRAMS += tests/unit/check_lazylib
tests_unit_check_lazylib_SOURCES = tests/unit/check_lazylib.c tests/unit/unit.h
tests_unit_check_lazylib_CPPFLAGS = $(UNIT_CPPFLAGS) $(CURL_CFLAGS) $(PQ_CFLAGS)
tests_unit_check_lazylib_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_lazylib

check_PROGRAMS += tests/unit/check_err
tests_unit_check_err_SOURCES = tests/unit/check_err.c tests/unit/unit.h
tests_unit_check_err_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_err_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_err

check_PROGRAMS += tests/unit/check_clock
tests_unit_check_clock_SOURCES = tests/unit/check_clock.c tests/unit/unit.h
tests_unit_check_clock_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_clock_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_clock

check_PROGRAMS += tests/unit/check_accesslog
tests_unit_check_accesslog_SOURCES = tests/unit/check_accesslog.c tests/unit/unit.h tests/unit/stream.h
tests_unit_check_accesslog_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_accesslog_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_accesslog

check_PROGRAMS += tests/unit/check_schedule
tests_unit_check_schedule_SOURCES = tests/unit/check_schedule.c tests/unit/unit.h
tests_unit_check_schedule_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_schedule_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_schedule

check_PROGRAMS += tests/unit/check_journal
tests_unit_check_journal_SOURCES = tests/unit/check_journal.c tests/unit/unit.h
tests_unit_check_journal_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_journal_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_journal

check_PROGRAMS += tests/unit/check_incident
tests_unit_check_incident_SOURCES = tests/unit/check_incident.c tests/unit/unit.h
tests_unit_check_incident_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_incident_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_incident

check_PROGRAMS += tests/unit/check_sketch
tests_unit_check_sketch_SOURCES = tests/unit/check_sketch.c tests/unit/unit.h
tests_unit_check_sketch_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_sketch_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_sketch

check_PROGRAMS += tests/unit/check_security
tests_unit_check_security_SOURCES = tests/unit/check_security.c tests/unit/unit.h tests/unit/stream.h
tests_unit_check_security_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_security_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_security

check_PROGRAMS += tests/unit/check_logs
tests_unit_check_logs_SOURCES = tests/unit/check_logs.c tests/unit/unit.h
tests_unit_check_logs_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_logs_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_logs

check_PROGRAMS += tests/unit/check_promtext
tests_unit_check_promtext_SOURCES = tests/unit/check_promtext.c tests/unit/unit.h
tests_unit_check_promtext_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_promtext_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_promtext

check_PROGRAMS += tests/unit/check_histogram
tests_unit_check_histogram_SOURCES = tests/unit/check_histogram.c tests/unit/unit.h
tests_unit_check_histogram_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_histogram_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_histogram

check_PROGRAMS += tests/unit/check_perf
tests_unit_check_perf_SOURCES = tests/unit/check_perf.c tests/unit/unit.h tests/unit/stream.h
tests_unit_check_perf_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_perf_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_perf

check_PROGRAMS += tests/unit/check_http
tests_unit_check_http_SOURCES = tests/unit/check_http.c tests/unit/http_server.h tests/unit/unit.h
tests_unit_check_http_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_http_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_http
# The HTTP client's driver for tests/integration/http-world.test (not a test itself).
check_PROGRAMS += tests/integration/http-probe
tests_integration_http_probe_SOURCES = tests/integration/http-probe.c
tests_integration_http_probe_CPPFLAGS = $(WM_CPPFLAGS)
tests_integration_http_probe_LDADD = $(WM_LIBS)

check_PROGRAMS += tests/unit/check_session
tests_unit_check_session_SOURCES = tests/unit/check_session.c tests/unit/unit.h
tests_unit_check_session_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_session_LDADD = $(UNIT_LDADD) -lpthread
TESTS += tests/unit/check_session

check_PROGRAMS += tests/unit/check_perf_hist
tests_unit_check_perf_hist_SOURCES = tests/unit/check_perf_hist.c tests/unit/unit.h
tests_unit_check_perf_hist_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_perf_hist_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_perf_hist
check_PROGRAMS += tests/unit/check_resolve
tests_unit_check_resolve_SOURCES = tests/unit/check_resolve.c tests/unit/unit.h
tests_unit_check_resolve_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_resolve_LDADD = $(UNIT_LDADD) -lpthread
TESTS += tests/unit/check_resolve

check_PROGRAMS += tests/unit/check_report
tests_unit_check_report_SOURCES = tests/unit/check_report.c tests/unit/report_test.h tests/unit/unit.h
tests_unit_check_report_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_report_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_report

check_PROGRAMS += tests/unit/check_report_input
tests_unit_check_report_input_SOURCES = tests/unit/check_report_input.c tests/unit/report_test.h \
	tests/unit/unit.h
tests_unit_check_report_input_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_report_input_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_report_input

check_PROGRAMS += tests/unit/check_report_plan
tests_unit_check_report_plan_SOURCES = tests/unit/check_report_plan.c tests/unit/unit.h
tests_unit_check_report_plan_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_report_plan_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_report_plan


check_PROGRAMS += tests/unit/check_watch
tests_unit_check_watch_SOURCES = tests/unit/check_watch.c tests/unit/unit.h
tests_unit_check_watch_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_watch_LDADD = $(UNIT_LDADD) -lpthread
TESTS += tests/unit/check_watch
check_PROGRAMS += tests/unit/check_smoke
tests_unit_check_smoke_SOURCES = tests/unit/check_smoke.c tests/unit/http_server.h tests/unit/unit.h
tests_unit_check_smoke_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_smoke_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_smoke

check_PROGRAMS += tests/unit/check_cgroup
tests_unit_check_cgroup_SOURCES = tests/unit/check_cgroup.c tests/unit/unit.h
tests_unit_check_cgroup_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_cgroup_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_cgroup

check_PROGRAMS += tests/unit/check_sdnotify
tests_unit_check_sdnotify_SOURCES = tests/unit/check_sdnotify.c tests/unit/unit.h
tests_unit_check_sdnotify_CPPFLAGS = $(UNIT_CPPFLAGS)
tests_unit_check_sdnotify_LDADD = $(UNIT_LDADD)
TESTS += tests/unit/check_sdnotify
