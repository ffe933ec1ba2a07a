/* perf_int.h - the parts of the perf check unit (check_perf.c) in other files. */
#ifndef WM_PERF_INT_H
#define WM_PERF_INT_H

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
/* Source 4: n timed GETs of [perf] sample_urls (paths join the target's
 * base_url) in turn: check perf.sample.  0, or -1 when out of memory. */
int wm_perf_sample_source(struct wm_session *s, struct wm_result *r, int n);
/* requests, p50, p95, p99 (warning WM_PERF_P99_WARN), max, mean (s) and
 * error_ratio (errors of the requests) of sk on c.  -1 when out of memory. */
int wm_perf_sketch_metrics(struct wm_check *c, const struct wm_sketch *sk, double errors);

#endif
