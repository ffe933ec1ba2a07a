/* perf.h - the log side of wm-perf: response times from the logs, per source
 * and per route, into quantile sketches (lib/model/sketch.h, within 1 %).
 *
 * Sources, each reported apart, since they measure different things:
 *   nginx     $request_time of every access line: the whole request as the
 *             client saw it, every request (the throughput comes from here);
 *   upstream  $upstream_response_time: the backend's share ("-" when nginx
 *             answered alone: not counted);
 *   log       durations in the backend's JSON lines: the configured fields
 *             ("duration":"1532ms", "responseTime":87, "took 2.3s" in the
 *             message, NestJS "SLOW REQUEST: GET /x - 1532ms (200)").
 *             Warungin logs only requests over 1000 ms ("Slow request
 *             detected", with a "threshold" field): those percentiles
 *             describe a tail, and the report says so (tail, threshold).
 * Routes are the method and the path with its ids masked ("GET
 * /api/orders/:id": digits, UUIDs, long hex), the query dropped; at most
 * max_routes of them, the rest counted as "(other)".  Throughput: requests
 * per minute over the window, and the busiest and quietest minutes seen.
 */
#ifndef WM_PERF_H
#define WM_PERF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logs/logstream.h"
#include "model/result.h"
#include "model/sketch.h"

/* Defaults (man/warunginmon.conf.5, [perf]). */
#define WM_PERF_FIELDS "duration,responseTime,response_time,elapsed,latency,took"
#define WM_PERF_NUMBER_UNIT_S 0.001 /* a bare number in a JSON field: milliseconds */
#define WM_PERF_MAX_ROUTES 200	    /* routes kept per source, the rest "(other)" */
#define WM_PERF_TOP 10		    /* routes in the output, slowest p99 first */
#define WM_PERF_P99_WARN "2"	    /* seconds: the runbook's "p99 < 2 s" */
#define WM_PERF_ROUTE_MAX 128	    /* bytes of a route name */

enum wm_perf_source { WM_PERF_NGINX = 0, WM_PERF_UPSTREAM, WM_PERF_LOG, WM_PERF_NSOURCES };

struct wm_perf_opts {
	const char *access_format; /* nginx log_format; NULL: WM_ACCESSLOG_WORLD */
	const char *fields;	   /* JSON duration fields, comma list; NULL: the default */
	double number_unit_s;	   /* seconds per unit of a bare number; 0: ms */
	size_t max_routes;	   /* 0: WM_PERF_MAX_ROUTES */
	size_t top;		   /* 0: WM_PERF_TOP */
	int64_t window_ms;	   /* for the rates; 0: the lines' span (at least a minute) */
	unsigned expect;	   /* WM_PERF_EXPECT(source) bits the caller reads; 0: any */
};

/* The sources a caller says it reads (opts.expect): an expected source with
 * no requests gets perf.SOURCE UNKNOWN "no requests read from SOURCE" (an
 * absent log is not a fast one).  With expect 0, when no source has a
 * request, perf.nginx is UNKNOWN "no requests read from nginx, upstream or
 * log".  Expect log only from a backend that logs every request: Warungin
 * logs only slow ones, and none may be the normal case. */
#define WM_PERF_EXPECT(source) (1u << (source))

struct wm_perf_route {
	char name[WM_PERF_ROUTE_MAX];
	struct wm_sketch *sk; /* seconds */
	uint64_t errors;      /* answered 5xx */
};

struct wm_perf_stats {
	uint64_t count, errors; /* durations, 5xx among them */
	bool tail;		/* the log source held only slow-request lines */
	double threshold_s;	/* their logged threshold, NAN when none */
	int64_t first_ms, last_ms;
	uint64_t minute_max, minute_min; /* requests in the busiest/quietest full minute */
	size_t nroutes;
};

struct wm_perf;

/* NULL with err when out of memory or the format does not compile. */
struct wm_perf *wm_perf_new(const struct wm_perf_opts *o, struct wm_err *err);
void wm_perf_free(struct wm_perf *p);
struct wm_log_analyzer wm_perf_analyzer(struct wm_perf *p);
const struct wm_perf_opts *wm_perf_options(const struct wm_perf *p);
/* Per source: the stats, the overall sketch (NULL when nothing), the routes. */
const struct wm_perf_stats *wm_perf_stats(const struct wm_perf *p, int source);
const struct wm_sketch *wm_perf_sketch(const struct wm_perf *p, int source);
const struct wm_perf_route *wm_perf_routes(const struct wm_perf *p, int source, size_t *n);
const char *wm_perf_source_name(int source); /* "nginx", "upstream", "log" */

/* Threshold lookup: range text for METRIC of SOURCE, NULL for the default. */
typedef const char *(*wm_perf_threshold_fn)(void *arg, const char *source, const char *metric,
					    bool critical);

/* One check per source that has durations (or is expected), "perf.SOURCE", with p50, p95,
 * p99, max (s), mean (s), requests, throughput, error_ratio, and the
 * slowest routes as data; p99 judged against WM_PERF_P99_WARN.  -1 on ENOMEM. */
int wm_perf_report(struct wm_perf *p, struct wm_result *r, const char *window,
		   wm_perf_threshold_fn fn, void *arg);

/* ---- pure helpers (perf_parse.c) ---- */

/* "1532ms", "2.3s", "850us", "1.5 min", "87" (bare: unit_s seconds each) in
 * seconds; false when it is not a duration. */
bool wm_perf_duration(const char *s, size_t n, double unit_s, double *sec);
/* The route of method and a request target into out: ids masked, query
 * dropped.  Returns the length. */
size_t wm_perf_route(const char *method, size_t ml, const char *target, size_t tl, char *out,
		     size_t cap);

#endif
