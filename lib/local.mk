# libwarunginmon: private, not installed.  One module per concern, its header beside it.
noinst_LIBRARIES += lib/libwarunginmon.a
lib_libwarunginmon_a_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS) $(CURL_CFLAGS) $(LIBSSH_CFLAGS) \
	$(PQ_CFLAGS) $(HIREDIS_CFLAGS) $(INIH_CFLAGS) $(PCRE2_CFLAGS)
lib_libwarunginmon_a_SOURCES = \
	lib/err.c lib/err.h \
	lib/file.c lib/file.h \
	lib/result.c lib/result.h \
	lib/threshold.c lib/threshold.h lib/threshold_policy.c lib/threshold_table.c \
	lib/threshold_policy.h \
	lib/render.c lib/render.h lib/render_impl.h \
	lib/render_text.c lib/render_json.c lib/render_nagios.c lib/render_prom.c \
	lib/render_family.c lib/render_family.h \
	lib/cli.c lib/cli.h

lib_libwarunginmon_a_SOURCES += \
	lib/logline.c lib/logline.h lib/logline-int.h lib/logformats.c lib/logline_zone.c \
	lib/classify.c lib/classify.h \
	lib/groups.c lib/groups.h \
	lib/logstream.c lib/logstream.h \
	lib/errors.c lib/errors_report.c lib/errors.h

# What a program links against the library for (each program may add less).
# Not $(CURL_LIBS) nor $(PQ_LIBS): libcurl and libpq are dlopen()ed on first
# use (lib/curl_lazy.h, lib/pq_lazy.h).
WM_LIBS = lib/libwarunginmon.a $(CJSON_LIBS) $(LIBSSH_LIBS) \
	$(HIREDIS_LIBS) $(INIH_LIBS) $(PCRE2_LIBS) -lm
WM_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src $(CJSON_CFLAGS)
lib_libwarunginmon_a_SOURCES += \
	lib/docker.c lib/docker.h lib/docker_parse.c lib/docker_demux.c lib/docker_logs.c \
	lib/curl_lazy.c lib/curl_lazy.h lib/curl_body.c lib/curl_body.h lib/lazylib.c lib/lazylib.h lib/pq_lazy.c lib/pq_lazy.h
lib_libwarunginmon_a_SOURCES += \
	lib/redis.c lib/redis_info.c lib/redis.h \
	lib/pg.c lib/pg_query.c lib/pg_stmt.c lib/pg.h lib/pg_conn.h
lib_libwarunginmon_a_SOURCES += \
	lib/conf.c lib/conf_keys.c lib/conf.h lib/conf_int.h lib/conf_target.c lib/conf_secret.c lib/conf_check.c \
	lib/conf_sections.c lib/conf_sections.h lib/conf_print.c lib/conf_print.h \
	lib/duration.c lib/duration.h \
	lib/state.c lib/state.h \
	lib/exec.c lib/exec.h
lib_libwarunginmon_a_SOURCES += \
	lib/ssh.c lib/ssh.h lib/ssh_exec.c lib/ssh_tunnel.c \
	lib/target.c lib/target.h
lib_libwarunginmon_a_SOURCES += \
	lib/sample.c lib/sample.h \
	lib/cache.c lib/cache_collect.c lib/cache.h
lib_libwarunginmon_a_SOURCES += \
	lib/session.c lib/session.h \
	lib/endpoint.c lib/endpoint.h lib/endpoint_pg.c
# The check units and the table of check definitions (lib/checks.h).
lib_libwarunginmon_a_SOURCES += \
	lib/checks.c lib/checks.h \
	lib/check_services.c lib/check_services_svc.c lib/check_services_extras.c \
	lib/check_services_int.h lib/check_cache.c lib/check_db.c \
	lib/check_errors.c \
	lib/logcollect.c lib/logcollect.h lib/logfollow.c lib/logfollow.h
lib_libwarunginmon_a_SOURCES += \
	lib/db.c lib/db_collect.c lib/db.h
lib_libwarunginmon_a_SOURCES += \
	lib/disk.c lib/disk.h
# wm-run's foundations: the clock seam, the schedule, the journal, incidents.
lib_libwarunginmon_a_SOURCES += \
	lib/clock.c lib/clock.h \
	lib/schedule.c lib/schedule_cron.c lib/schedule.h \
	lib/journal.c lib/journal_read.c lib/journal.h \
	lib/incident.c lib/incident_data.c lib/incident_notify.c lib/incident.h

lib_libwarunginmon_a_SOURCES += \
	lib/accesslog.c lib/accesslog.h

lib_libwarunginmon_a_SOURCES += \
	lib/sketch.c lib/sketch_text.c lib/sketch.h lib/sketch_int.h

lib_libwarunginmon_a_SOURCES += \
	lib/security.c lib/security_match.c lib/security_table.c lib/security_report.c \
	lib/security.h lib/security_int.h

lib_libwarunginmon_a_SOURCES += \
	lib/promtext.c lib/promtext_hist.c lib/promtext.h
lib_libwarunginmon_a_SOURCES += \
	lib/histogram.c lib/histogram_agg.c lib/histogram.h


lib_libwarunginmon_a_SOURCES += \
	lib/jsonfield.c lib/jsonfield.h \
	lib/perf.c lib/perf_parse.c lib/perf_report.c lib/perf.h

lib_libwarunginmon_a_SOURCES += \
	lib/http.c lib/http.h
