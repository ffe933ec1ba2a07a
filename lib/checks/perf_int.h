/* perf_int.h - the parts of the perf check unit (check_perf.c) in other files. */
#ifndef WM_PERF_INT_H
#define WM_PERF_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "model/result.h"
#include "model/sketch.h"
#include "session/session.h"

/* Defaults of [perf] (warunginmon.conf(5)). */
#define WM_PERF_LOG_SERVICES "nginx, backend" /* whose logs hold durations */
#define WM_PERF_SAMPLE_URLS "/api/health"     /* what --sample asks */

/* Sources 2 and 3: the logs of [perf] log_services in [since, until) through
 * the log collector into the log analyzer (perf.h): checks perf.nginx,
 * perf.upstream, perf.log, and perf.logs UNKNOWN for what could not be read.
 * 0, or -1 when out of memory. */
int wm_perf_logs_source(struct wm_session *s, struct wm_result *r, int64_t since_ms,
			int64_t until_ms, const char *window);
/* The same in steps, so that the logs can be read once with the errors
 * (wm_logs_check_run): a source (wm_perf_logs_new in checks.h; a [perf]
 * the analyzer cannot use is kept and reported as perf.config), then its
 * report, which reads the logs itself unless a shared read fed it. */
/* pl as a reader of the errors unit's read with eo, when that read covers
 * every service pl needs (then pl counts as fed); false otherwise. */
struct wm_errors_check_opts;
struct wm_perf_logs;
struct wm_logs_reader;
bool wm_perf_logs_reader(struct wm_perf_logs *pl, struct wm_session *s,
			 const struct wm_errors_check_opts *eo, struct wm_logs_reader *rd);
int wm_perf_logs_report(struct wm_session *s, struct wm_perf_logs *pl, struct wm_result *r,
			int64_t since_ms, int64_t until_ms, const char *window);
/* Source 4: n timed GETs of [perf] sample_urls (paths join the target's
 * base_url) in turn: check perf.sample.  0, or -1 when out of memory. */
int wm_perf_sample_source(struct wm_session *s, struct wm_result *r, int n);
/* requests, p50, p95, p99 (warning WM_PERF_P99_WARN), max, mean (s) and
 * error_ratio (errors of the requests) of sk on c.  -1 when out of memory. */
int wm_perf_sketch_metrics(struct wm_check *c, const struct wm_sketch *sk, double errors);

#endif
