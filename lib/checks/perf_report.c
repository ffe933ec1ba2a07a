/* perf_report.c - one judged check per source of durations. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/perf.h"
#include "checks/perf_int.h"
#include "model/threshold.h"

static const char *const what[WM_PERF_NSOURCES] = {
    "nginx $request_time: every request, as the client saw it",
    "nginx $upstream_response_time: the backend's share of proxied requests",
    "durations in the backend's log lines",
};

static const char *const short_what[WM_PERF_NSOURCES] = {
    "nginx access log, $request_time",
    "nginx access log, $upstream_response_time",
    "backend log durations",
};

struct ranked {
	const struct wm_perf_route *r;
	double p99;
};

static int
slowest_first(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->p99 != y->p99)
		return x->p99 < y->p99 ? 1 : -1;
	return strcmp(x->r->name, y->r->name);
}

static int
metric(struct wm_check *c, const char *src, const char *name, double v, const char *unit,
       wm_perf_threshold_fn fn, void *arg, const char *dwarn)
{
	const char *w = fn ? fn(arg, src, name, false) : NULL;
	const char *k = fn ? fn(arg, src, name, true) : NULL;
	struct wm_metric *m = wm_check_add_metric(c, name, v, unit);

	if (!m || wm_metric_set_thresholds(m, w ? w : dwarn, k) < 0)
		return -1;
	m->min = 0;
	return 0;
}

/* p50, p95, p99, max and mean of sk, named with prefix pfx; p99 judged
 * by the runbook's default unless tail. */
static int
quantiles(struct wm_check *c, const char *src, const struct wm_sketch *sk, const char *pfx,
	  wm_perf_threshold_fn fn, void *arg, bool tail)
{
	static const char *const names[5] = {"p50", "p95", "p99", "max", "mean"};
	double v[5] = {wm_sketch_quantile(sk, 0.5), wm_sketch_quantile(sk, 0.95),
		       wm_sketch_quantile(sk, 0.99), wm_sketch_max(sk),
		       wm_sketch_sum(sk) / (double)wm_sketch_count(sk)};
	char name[32];

	for (int i = 0; i < 5; i++) {
		snprintf(name, sizeof name, "%s%s", pfx, names[i]);
		if (metric(c, src, name, v[i], "s", fn, arg,
			   i == 2 && !tail ? WM_PERF_P99_WARN : NULL) < 0)
			return -1;
	}
	return 0;
}

/* The slowest routes by p99, at most top, as data. */
static bool
add_routes(const struct wm_perf *p, int s, cJSON *data, const char **worst, double *worst_p99)
{
	size_t n;
	const struct wm_perf_route *r = wm_perf_routes(p, s, &n);
	struct ranked *v = calloc(n ? n : 1, sizeof *v);
	cJSON *arr = cJSON_AddArrayToObject(data, "routes");

	*worst = NULL;
	if (!v || !arr) {
		free(v);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		v[i].r = &r[i];
		v[i].p99 = wm_sketch_quantile(r[i].sk, 0.99);
	}
	qsort(v, n, sizeof *v, slowest_first);
	for (size_t i = 0; i < n && i < wm_perf_options(p)->top; i++) {
		cJSON *o = cJSON_CreateObject();
		const struct wm_sketch *sk = v[i].r->sk;

		if (!o)
			break;
		cJSON_AddItemToArray(arr, o);
		cJSON_AddStringToObject(o, "route", v[i].r->name);
		cJSON_AddNumberToObject(o, "count", (double)wm_sketch_count(sk));
		cJSON_AddNumberToObject(o, "errors_5xx", (double)v[i].r->errors);
		cJSON_AddNumberToObject(o, "p50", wm_sketch_quantile(sk, 0.5));
		cJSON_AddNumberToObject(o, "p95", wm_sketch_quantile(sk, 0.95));
		cJSON_AddNumberToObject(o, "p99", v[i].p99);
		cJSON_AddNumberToObject(o, "max", wm_sketch_max(sk));
	}
	if (n > 0) {
		*worst = v[0].r->name;
		*worst_p99 = v[0].p99;
	}
	free(v);
	return true;
}

/* The sketch as text in the data, for wm-run and wm-report to merge windows. */
static int
add_sketch(cJSON *d, const struct wm_sketch *sk)
{
	char *text = wm_sketch_format(sk, NULL);
	int rc = text && cJSON_AddStringToObject(d, "sketch", text) ? 0 : -1;

	free(text);
	return rc;
}

static double
minutes(const struct wm_perf *p, const struct wm_perf_stats *st)
{
	double span = st->first_ms >= 0 ? (double)(st->last_ms - st->first_ms) / 60000.0 : 0;

	if (wm_perf_options(p)->window_ms > 0)
		return (double)wm_perf_options(p)->window_ms / 60000.0;
	return span > 1 ? span : 1;
}

/* No requests from source s: UNKNOWN when the caller expected it (opts.expect),
 * or, expecting any, on perf.nginx when no source had one; else no check. */
static int
unread(struct wm_perf *p, int s, struct wm_result *r, const char *name, const char *window)
{
	unsigned ex = wm_perf_options(p)->expect;
	struct wm_check *c;
	bool none = true;

	for (int i = 0; i < WM_PERF_NSOURCES; i++)
		none = none && wm_perf_stats(p, i)->count == 0;
	if (ex ? !(ex & WM_PERF_EXPECT(s)) : !(none && s == WM_PERF_NGINX))
		return 0;
	if (!(c = wm_result_add_check(r, name)))
		return -1;
	wm_check_set(c, WM_UNKNOWN, "no requests read from %s %s",
		     ex ? wm_perf_source_name(s) : "nginx, upstream or log", window);
	return 0;
}

static int
source_check(struct wm_perf *p, int s, struct wm_result *r, const char *window,
	     wm_perf_threshold_fn fn, void *arg)
{
	const struct wm_perf_stats *st = wm_perf_stats(p, s);
	const struct wm_sketch *sk = wm_perf_sketch(p, s);
	const char *src = wm_perf_source_name(s), *worst = NULL;
	double worst_p99 = NAN, rpm = (double)st->count / minutes(p, st);
	char name[32];
	struct wm_check *c;
	cJSON *d;

	snprintf(name, sizeof name, "perf.%s", src);
	if (st->count == 0)
		return unread(p, s, r, name, window);
	if (!(c = wm_result_add_check(r, name)) || !(d = wm_check_data(c)) ||
	    !cJSON_AddStringToObject(d, "source", what[s]) ||
	    !cJSON_AddBoolToObject(d, "tail", st->tail) ||
	    !cJSON_AddStringToObject(d, "accuracy", "quantiles within 1 % (DDSketch)"))
		return -1;
	if (st->tail && !isnan(st->threshold_s))
		cJSON_AddNumberToObject(d, "tail_threshold_s", st->threshold_s);
	if (s == WM_PERF_NGINX) {
		cJSON_AddNumberToObject(d, "busiest_minute", (double)st->minute_max);
		cJSON_AddNumberToObject(d, "quietest_minute", (double)st->minute_min);
	}
	/* A tail (only slow requests logged) is not the requests' distribution:
	 * its figures are named tail_* and judged by no default. */
	if (st->tail ? metric(c, src, "tail_requests", (double)st->count, "", fn, arg, NULL) < 0
		     : metric(c, src, "requests", (double)st->count, "", fn, arg, NULL) < 0 ||
			   metric(c, src, "throughput", rpm, "", fn, arg, NULL) < 0 ||
			   metric(c, src, "error_ratio", (double)st->errors / (double)st->count, "",
				  fn, arg, NULL) < 0)
		return -1;
	if (!sk) {
		wm_check_set(c, WM_OK,
			     "%llu requests %s, %.1f/min; no durations in this log format (%s)",
			     (unsigned long long)st->count, window, rpm, short_what[s]);
		return 0;
	}
	if (quantiles(c, src, sk, st->tail ? "tail_" : "", fn, arg, st->tail) < 0 ||
	    !add_routes(p, s, d, &worst, &worst_p99) || add_sketch(d, sk) < 0)
		return -1;
	wm_check_eval(c);
	wm_check_set(c, c->state, "%sp99 %.3g s, p95 %.3g s, p50 %.3g s over %llu %s %s (%s)%s",
		     st->tail ? "tail only (slow requests): " : "", wm_sketch_quantile(sk, 0.99),
		     wm_sketch_quantile(sk, 0.95), wm_sketch_quantile(sk, 0.5),
		     (unsigned long long)wm_sketch_count(sk),
		     st->tail ? "slow-request lines" : "requests", window, short_what[s],
		     st->tail ? ", not judged as the requests' p99" : "");
	if (worst && wm_perf_stats(p, s)->nroutes > 1) {
		size_t len = strlen(c->summary);
		char *more = malloc(len + WM_PERF_ROUTE_MAX + 48);

		if (!more)
			return -1;
		snprintf(more, len + WM_PERF_ROUTE_MAX + 48, "%s; slowest %s, p99 %.3g s",
			 c->summary, worst, worst_p99);
		wm_check_set(c, c->state, "%s", more);
		free(more);
	}
	return 0;
}

int
wm_perf_sketch_metrics(struct wm_check *c, const struct wm_sketch *sk, double errors)
{
	double n = (double)wm_sketch_count(sk);

	if (metric(c, "", "requests", n, "", NULL, NULL, NULL) < 0 ||
	    metric(c, "", "p50", wm_sketch_quantile(sk, 0.5), "s", NULL, NULL, NULL) < 0 ||
	    metric(c, "", "p95", wm_sketch_quantile(sk, 0.95), "s", NULL, NULL, NULL) < 0 ||
	    metric(c, "", "p99", wm_sketch_quantile(sk, 0.99), "s", NULL, NULL, WM_PERF_P99_WARN) <
		0 ||
	    metric(c, "", "max", wm_sketch_max(sk), "s", NULL, NULL, NULL) < 0 ||
	    metric(c, "", "mean", n > 0 ? wm_sketch_sum(sk) / n : NAN, "s", NULL, NULL, NULL) < 0 ||
	    metric(c, "", "error_ratio", n > 0 ? errors / n : NAN, "", NULL, NULL, NULL) < 0)
		return -1;
	return 0;
}

int
wm_perf_report(struct wm_perf *p, struct wm_result *r, const char *window, wm_perf_threshold_fn fn,
	       void *arg)
{
	for (int s = 0; s < WM_PERF_NSOURCES; s++)
		if (source_check(p, s, r, window, fn, arg) < 0)
			return -1;
	return 0;
}
