# libwarunginmon: private, not installed.  One module per concern, its header beside it.
noinst_LIBRARIES += lib/libwarunginmon.a
lib_libwarunginmon_a_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS) $(CURL_CFLAGS) $(LIBSSH_CFLAGS) \
	$(PQ_CFLAGS) $(HIREDIS_CFLAGS) $(INIH_CFLAGS) $(PCRE2_CFLAGS)
lib_libwarunginmon_a_SOURCES = \
	lib/base/err.c lib/base/err.h \
	lib/base/file.c lib/base/file.h \
	lib/model/result.c lib/model/result.h \
	lib/model/threshold.c lib/model/threshold.h lib/conf/threshold_policy.c lib/conf/threshold_table.c \
	lib/conf/threshold_policy.h \
	lib/render/render.c lib/render/render.h lib/render/render_int.h \
	lib/render/render_text.c lib/render/render_json.c lib/render/render_nagios.c lib/render/render_prom.c \
	lib/render/render_family.c lib/render/render_family.h

lib_libwarunginmon_a_SOURCES += \
	lib/logs/logline.c lib/logs/logline.h lib/logs/logline_int.h lib/logs/logformats.c lib/logs/logline_zone.c \
	lib/logs/classify.c lib/logs/classify.h lib/logs/classify_int.h \
	lib/logs/groups.c lib/logs/groups.h \
	lib/logs/logstream.c lib/logs/logstream.h \
	lib/checks/errors.c lib/checks/errors_report.c lib/checks/errors.h

# What a program links against the library for (each program may add less).
# Not $(CURL_LIBS) nor $(PQ_LIBS): libcurl and libpq are dlopen()ed on first
# use (lib/transport/curl_lazy.h, lib/transport/pq_lazy.h).
WM_LIBS = lib/libwarunginmon.a $(CJSON_LIBS) $(LIBSSH_LIBS) \
	$(HIREDIS_LIBS) $(INIH_LIBS) $(PCRE2_LIBS) -lm
WM_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src $(CJSON_CFLAGS)
lib_libwarunginmon_a_SOURCES += \
	lib/clients/docker.c lib/clients/docker.h lib/clients/docker_parse.c lib/clients/docker_demux.c lib/clients/docker_logs.c \
	lib/transport/curl_lazy.c lib/transport/curl_lazy.h lib/transport/curl_body.c lib/transport/curl_body.h lib/base/lazylib.c lib/base/lazylib.h lib/transport/pq_lazy.c lib/transport/pq_lazy.h \
	lib/transport/resolve.c lib/transport/resolve.h
lib_libwarunginmon_a_SOURCES += \
	lib/clients/redis.c lib/clients/redis_info.c lib/clients/redis.h \
	lib/clients/pg.c lib/clients/pg_query.c lib/clients/pg_stmt.c lib/clients/pg.h lib/clients/pg_int.h \
	lib/clients/cgroup.c lib/clients/cgroup.h
lib_libwarunginmon_a_SOURCES += \
	lib/conf/conf.c lib/conf/conf_keys.c lib/conf/conf.h lib/conf/conf_int.h lib/conf/conf_target.c lib/conf/conf_secret.c lib/conf/conf_check.c \
	lib/conf/conf_sections.c lib/conf/conf_sections.h lib/conf/conf_plan.c lib/conf/conf_print.c lib/conf/conf_print.h \
	lib/base/duration.c lib/base/duration.h \
	lib/store/statedir.c lib/store/statedir.h \
	lib/base/exec.c lib/base/exec.h
lib_libwarunginmon_a_SOURCES += \
	lib/transport/ssh.c lib/transport/ssh.h lib/transport/ssh_exec.c lib/transport/ssh_tunnel.c \
	lib/session/target.c lib/session/target.h
lib_libwarunginmon_a_SOURCES += \
	lib/store/sample.c lib/store/sample.h \
	lib/checks/cache.c lib/checks/cache_collect.c lib/checks/cache.h
lib_libwarunginmon_a_SOURCES += \
	lib/session/session.c lib/session/session.h \
	lib/session/endpoint.c lib/session/endpoint.h lib/session/endpoint_pg.c
# The check units and the table of check definitions (lib/checks/checks.h).
lib_libwarunginmon_a_SOURCES += \
	lib/checks/checks.c lib/checks/checks.h \
	lib/checks/check_services.c lib/checks/check_services_svc.c lib/checks/check_services_extras.c \
	lib/checks/check_services_stats.c \
	lib/checks/check_services_int.h lib/checks/check_cache.c lib/checks/check_db.c \
	lib/checks/check_errors.c \
	lib/session/logcollect.c lib/session/logcollect.h lib/session/logfollow.c lib/session/logfollow.h
lib_libwarunginmon_a_SOURCES += \
	lib/checks/db.c lib/checks/db_collect.c lib/checks/db.h
# wm-smoke: the plan, {{captures}}, judging answers (pure); the unit and its steps.
lib_libwarunginmon_a_SOURCES += \
	lib/checks/smoke.h lib/checks/smoke_plan.c lib/checks/smoke_vars.c lib/checks/smoke_expect.c \
	lib/checks/smoke_int.h lib/checks/check_smoke.c lib/checks/smoke_http.c lib/checks/smoke_probe.c
lib_libwarunginmon_a_SOURCES += \
	lib/checks/disk.c lib/checks/disk.h
# wm-perf: the check unit and its application-histogram source.
lib_libwarunginmon_a_SOURCES += \
	lib/checks/check_perf.c lib/checks/perf_hist.c lib/checks/perf_hist.h \
	lib/checks/perf_sources.c lib/checks/perf_int.h \
	lib/session/endpoint_http.c
# wm-run's foundations: the clock seam, the schedule, the journal, incidents.
lib_libwarunginmon_a_SOURCES += \
	lib/base/clock.c lib/base/clock.h \
	lib/model/schedule.c lib/model/schedule_cron.c lib/model/schedule.h \
	lib/store/journal.c lib/store/journal_read.c lib/store/journal.h \
	lib/store/journal_int.h lib/store/journal_ctl.c lib/store/journal_ctl.h \
	lib/store/journal_plan.c lib/store/journal_plan.h \
	lib/model/incident.c lib/model/incident_data.c lib/model/incident_notify.c lib/model/incident.h

lib_libwarunginmon_a_SOURCES += \
	lib/logs/accesslog.c lib/logs/accesslog.h

lib_libwarunginmon_a_SOURCES += \
	lib/model/sketch.c lib/model/sketch_text.c lib/model/sketch.h lib/model/sketch_int.h

lib_libwarunginmon_a_SOURCES += \
	lib/checks/security.c lib/checks/security_match.c lib/checks/security_table.c lib/checks/security_report.c \
	lib/checks/security.h lib/checks/security_int.h \
	lib/checks/check_security.c lib/checks/check_security_int.h lib/checks/check_logs.c \
	lib/checks/security_follow.c lib/checks/security_follow.h \
	lib/checks/probe.c lib/checks/probe.h lib/checks/probe_judge.c lib/checks/probe_run.c \
	lib/checks/http_expect.c lib/checks/http_expect.h

lib_libwarunginmon_a_SOURCES += \
	lib/model/promtext.c lib/model/promtext_hist.c lib/model/promtext.h
lib_libwarunginmon_a_SOURCES += \
	lib/model/histogram.c lib/model/histogram_agg.c lib/model/histogram.h


lib_libwarunginmon_a_SOURCES += \
	lib/base/jsonfield.c lib/base/jsonfield.h \
	lib/checks/perf.c lib/checks/perf_parse.c lib/checks/perf_report.c lib/checks/perf.h

lib_libwarunginmon_a_SOURCES += \
	lib/clients/http.c lib/clients/http.h

# wm-report's model: a run's journal judged against the runbook's criteria, and its formats.
lib_libwarunginmon_a_SOURCES += \
	lib/run/report.c lib/run/report_result.c lib/run/report_record.c lib/run/report_downtime.c \
	lib/run/report_hours.c lib/run/report_reads.c lib/run/report_judge.c \
	lib/run/report_verdict.c lib/run/report_compare.c \
	lib/run/report_text.c lib/run/report_json.c lib/run/report_html.c lib/run/report_svg.c \
	lib/run/report_file.c \
	lib/run/report.h lib/run/report_int.h

# wm-run's watch: container events, the polled round, incidents' channels.
lib_libwarunginmon_a_SOURCES += \
	lib/clients/docker_events.c lib/clients/docker_events.h \
	lib/run/events.c lib/run/events.h lib/run/notify.c lib/run/notify.h \
	lib/run/watch.c lib/run/watch.h lib/run/watch_int.h lib/run/watch_apply.c \
	lib/run/watch_probe.c lib/run/watch_tick.c lib/run/watch_logs.c \
	lib/run/sdnotify.c lib/run/sdnotify.h
