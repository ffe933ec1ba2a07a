/* perf_hist.h - wm-perf's source 1: the application's own Prometheus
 * histograms (/api/metrics), over the window between two samples.
 *
 * Response times: the family http_family (Warungin's
 * warungin_http_request_duration_seconds{method,route,status_code}).  The
 * previous sample of its series is kept in the state directory (as
 * exposition text); the window's histogram is, per series, the increase
 * since then (lib/model/histogram.h: cur - prev, or cur after a counter
 * reset, so a backend restarted between the samples gives "since it
 * restarted"); a series new since the previous sample counts whole (it was
 * created by its first observation, inside the window; PromQL's
 * x - x offset W drops it instead).  On the first run there is no previous
 * sample: the window is since the process started (its
 * process_start_time_seconds when it exports one), and the output says so.
 *
 * From the window's histogram, summed over every series (PromQL's
 * sum by (le)): p50, p95, p99 exactly as histogram_quantile computes them
 * (linear within the bucket, so exact only to the bucket's width: the bucket
 * is shown, "p99 2.6 s, in (1, 3]"), the max as the upper bound of the
 * highest non-empty bucket (a histogram has no true maximum), the mean from
 * _sum/_count, the requests per minute from the _count increase, the share
 * of 5xx answers (status label), the same per route and method, and the
 * degradation: this window's p99 over the previous window's, or its 5xx
 * share (plus WM_PERF_ERR_FLOOR) over the previous one's, whichever is
 * larger (when both windows hold at least WM_PERF_DEGRADATION_MIN requests).
 * DB query time: the family db_family's p95 over the same window, handed
 * back for perf.db (wm_perf_db_report), which also weighs wm-db's
 * pg_stat_statements estimate.
 *
 * Pure: no I/O; errors as checks (UNKNOWN), -1 only when out of memory.
 */
#ifndef WM_PERF_HIST_H
#define WM_PERF_HIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "model/result.h"

/* Defaults ([perf] in warunginmon.conf(5)). */
#define WM_PERF_HTTP_FAMILY "warungin_http_request_duration_seconds"
#define WM_PERF_DB_FAMILY "warungin_db_query_duration_seconds"
#define WM_PERF_ROUTE_LABEL "route"
#define WM_PERF_METHOD_LABEL "method"
#define WM_PERF_STATUS_LABEL "status_code"
#define WM_PERF_STATE_NAME "perf"    /* the sample in the state directory */
#define WM_PERF_DB_P95_WARN "0.5"    /* seconds: the runbook's "DB query p95 < 500 ms" */
#define WM_PERF_DEGRADATION_WARN "2" /* p99 twice the previous window's */
#define WM_PERF_DEGRADATION_MIN 50   /* requests in each window to compare them */
#define WM_PERF_ERR_FLOOR 0.01	     /* added to both 5xx shares before comparing them */

struct wm_perf_hist_opts {
	const char *http_family; /* NULL: WM_PERF_HTTP_FAMILY */
	const char *db_family;	 /* NULL: WM_PERF_DB_FAMILY; "": none */
	const char *route_label, *method_label, *status_label; /* NULL: the defaults */
	const char *url;				       /* where the text came from */
	size_t top;					       /* routes shown; 0: 10 */
};

/* The application's DB query time over the window, for perf.db. */
struct wm_perf_db_app {
	bool valid;	     /* a p95 was computed */
	double p95;	     /* seconds */
	double lower, upper; /* its bucket */
	double count;	     /* queries in the window */
	char why[256];	     /* when not valid: why */
};

/* Judge the window from the sample prev (NULL: the first run) to the
 * exposition text (len bytes) taken at now_ms (unix ms): the check
 * "perf.app" and, in *db, the DB query time.  *next: the sample to keep
 * (NULL when the text did not parse: the previous one stays).  Text that
 * does not parse, or without the family, makes perf.app UNKNOWN with one
 * line.  0, or -1 when out of memory. */
int wm_perf_hist_report(struct wm_result *r, const struct wm_perf_hist_opts *o, const char *text,
			size_t len, const cJSON *prev, int64_t now_ms, cJSON **next,
			struct wm_perf_db_app *db);

/* wm-db's pg_stat_statements estimate of the DB query p95 over the window. */
struct wm_perf_db_pg {
	bool valid;
	double p95;   /* seconds */
	double calls; /* statements run in the window */
	char why[256];
};

/* Which DB p95 is judged ([perf] db_p95_source). */
enum wm_perf_db_source { WM_PERF_DB_WORSE = 0, WM_PERF_DB_APP, WM_PERF_DB_PG };

/* The check "perf.db": metric db_p95 (seconds, warning WM_PERF_DB_P95_WARN)
 * from the source of record, both figures in the summary and the data, the
 * one judged named.  No figure at all: UNKNOWN saying why for each.  0, or
 * -1 when out of memory. */
int wm_perf_db_report(struct wm_result *r, const struct wm_perf_db_app *app,
		      const struct wm_perf_db_pg *pg, enum wm_perf_db_source record);

#endif
