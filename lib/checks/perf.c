/* perf.c - response times from the log stream (see perf.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logs/accesslog.h"
#include "base/jsonfield.h"
#include "checks/perf.h"

struct perf_src {
	struct wm_perf_stats st;
	struct wm_sketch *all;
	struct wm_perf_route *routes; /* max_routes + 1 ("(other)") */
	size_t last;		      /* the route of the previous line */
	uint64_t tail_lines;	      /* log: slow-request lines among the durations */
	int64_t minute, first_minute; /* throughput: the minute being counted */
	uint64_t minute_n;
	bool minute_seen, full_minute_seen;
};

struct wm_perf {
	struct wm_perf_opts o;
	struct wm_accesslog_format fmt;
	struct perf_src src[WM_PERF_NSOURCES];
	char msg[1024];
};

static const char *const source_names[WM_PERF_NSOURCES] = {"nginx", "upstream", "log"};

const char *
wm_perf_source_name(int source)
{
	return source >= 0 && source < WM_PERF_NSOURCES ? source_names[source] : "?";
}

struct wm_perf *
wm_perf_new(const struct wm_perf_opts *o, struct wm_err *err)
{
	struct wm_perf *p = calloc(1, sizeof *p);

	if (!p) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		return NULL;
	}
	p->o = *o;
	if (!p->o.access_format)
		p->o.access_format = WM_ACCESSLOG_WORLD;
	if (!p->o.fields)
		p->o.fields = WM_PERF_FIELDS;
	if (p->o.number_unit_s <= 0)
		p->o.number_unit_s = WM_PERF_NUMBER_UNIT_S;
	if (!p->o.max_routes)
		p->o.max_routes = WM_PERF_MAX_ROUTES;
	if (!p->o.top)
		p->o.top = WM_PERF_TOP;
	if (wm_accesslog_format_parse(&p->fmt, p->o.access_format, err) < 0)
		goto out_free;
	for (int s = 0; s < WM_PERF_NSOURCES; s++) {
		struct perf_src *src = &p->src[s];

		src->st.first_ms = src->st.last_ms = -1;
		src->st.threshold_s = NAN;
		if (!(src->routes = calloc(p->o.max_routes + 1, sizeof *src->routes)) ||
		    !(src->all = wm_sketch_new_default(err)))
			goto out_free;
	}
	return p;
out_free:
	if (!err || err->code == WM_EOK)
		wm_err_set(err, WM_ENOMEM, "out of memory");
	wm_perf_free(p);
	return NULL;
}

void
wm_perf_free(struct wm_perf *p)
{
	if (!p)
		return;
	for (int s = 0; s < WM_PERF_NSOURCES; s++) {
		for (size_t i = 0; p->src[s].routes && i < p->src[s].st.nroutes; i++)
			wm_sketch_free(p->src[s].routes[i].sk);
		free(p->src[s].routes);
		wm_sketch_free(p->src[s].all);
	}
	free(p);
}

const struct wm_perf_opts *
wm_perf_options(const struct wm_perf *p)
{
	return &p->o;
}

static struct wm_perf_route *
route(struct wm_perf *p, struct perf_src *src, const char *name)
{
	struct wm_perf_route *r;

	if (src->st.nroutes > 0 && strcmp(src->routes[src->last].name, name) == 0)
		return &src->routes[src->last];
	for (size_t i = 0; i < src->st.nroutes; i++)
		if (strcmp(src->routes[i].name, name) == 0)
			return &src->routes[src->last = i];
	if (src->st.nroutes >= p->o.max_routes) {
		name = "(other)";
		for (size_t i = 0; i < src->st.nroutes; i++)
			if (strcmp(src->routes[i].name, name) == 0)
				return &src->routes[src->last = i];
	}
	r = &src->routes[src->st.nroutes];
	if (!(r->sk = wm_sketch_new_default(NULL)))
		return NULL;
	snprintf(r->name, sizeof r->name, "%s", name);
	src->last = src->st.nroutes++;
	return r;
}

/* One full minute of n requests into the busiest and the quietest. */
static void
minute_done(struct perf_src *src, uint64_t n)
{
	if (n > src->st.minute_max)
		src->st.minute_max = n;
	if (!src->full_minute_seen || n < src->st.minute_min)
		src->st.minute_min = n;
	src->full_minute_seen = true;
}

/* Minutes of traffic: the busiest and quietest full minute (the first and
 * the last minute seen are partial and not judged). */
static void
minute_count(struct perf_src *src, int64_t ts)
{
	int64_t m;

	if (ts < 0)
		return;
	m = ts / 60000;
	if (!src->minute_seen) {
		src->minute_seen = true;
		src->minute = src->first_minute = m;
	}
	if (m != src->minute) {
		if (src->minute != src->first_minute)
			minute_done(src, src->minute_n);
		if (m > src->minute + 1) /* a silent minute in between, full */
			minute_done(src, 0);
		src->minute = m;
		src->minute_n = 0;
	}
	src->minute_n++;
}

static void
record(struct wm_perf *p, int s, const char *rname, double sec, int status, int64_t ts)
{
	struct perf_src *src = &p->src[s];
	struct wm_perf_route *r;

	if (!(sec >= 0) || !isfinite(sec))
		return;
	src->st.count++;
	src->st.errors += status >= 500;
	if (ts >= 0) {
		if (src->st.first_ms < 0 || ts < src->st.first_ms)
			src->st.first_ms = ts;
		if (ts > src->st.last_ms)
			src->st.last_ms = ts;
	}
	wm_sketch_add(src->all, sec, NULL);
	if ((r = route(p, src, rname))) {
		wm_sketch_add(r->sk, sec, NULL);
		r->errors += status >= 500;
	}
}

static void
access_line(struct wm_perf *p, const struct wm_accesslog_entry *a, int64_t ts)
{
	char rname[WM_PERF_ROUTE_MAX];
	struct perf_src *ng = &p->src[WM_PERF_NGINX];

	if (a->path.p)
		wm_perf_route(a->method.p, a->method.len, a->path.p, a->path.len, rname,
			      sizeof rname);
	else
		snprintf(rname, sizeof rname, "(no request line)");
	minute_count(ng, ts);
	if (a->request_time >= 0) {
		record(p, WM_PERF_NGINX, rname, a->request_time, a->status, ts);
	} else { /* a request without timing still counts for the throughput */
		ng->st.count++;
		ng->st.errors += a->status >= 500;
		if (ts >= 0 && (ng->st.first_ms < 0 || ts < ng->st.first_ms))
			ng->st.first_ms = ts;
		if (ts > ng->st.last_ms)
			ng->st.last_ms = ts;
	}
	if (a->upstream_time >= 0)
		record(p, WM_PERF_UPSTREAM, rname, a->upstream_time, a->status, ts);
}

/* Three digits at p, else 0. */
static int
atoi_3(const char *p)
{
	for (int i = 0; i < 3; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
}

/* NestJS: "SLOW REQUEST: GET /api/orders - 1532ms (200)". */
static bool
nest_slow(const char *m, size_t n, char *rname, size_t cap, double *sec, int *status)
{
	const char *sp, *dash, *par;
	size_t pre = strlen("SLOW REQUEST: ");

	if (n <= pre || memcmp(m, "SLOW REQUEST: ", pre) != 0 ||
	    !(sp = memchr(m + pre, ' ', n - pre)))
		return false;
	/* " - " after the path (a path may hold '-') */
	for (dash = sp + 2; dash + 2 <= m + n; dash++)
		if (dash[0] == '-' && dash[-1] == ' ' && dash + 1 < m + n && dash[1] == ' ')
			break;
	if (dash + 2 > m + n)
		return false;
	if (!wm_perf_duration(dash + 1, n - (size_t)(dash + 1 - m), 1e-3, sec)) {
		const char *end = memchr(dash, '(', n - (size_t)(dash - m));

		if (!end || !wm_perf_duration(dash + 1, (size_t)(end - dash - 1), 1e-3, sec))
			return false;
	}
	wm_perf_route(m + pre, (size_t)(sp - m) - pre, sp + 1, (size_t)(dash - sp) - 2, rname, cap);
	par = memchr(dash, '(', n - (size_t)(dash - m));
	*status = par && (size_t)(m + n - par) >= 4 ? atoi_3(par + 1) : 0;
	return true;
}

/* "took 2.3s" anywhere in the message. */
static bool
took(const char *m, size_t n, double *sec)
{
	for (size_t i = 0; i + 6 <= n; i++)
		if (m[i] == 't' && memcmp(m + i, "took ", 5) == 0 && (i == 0 || m[i - 1] == ' ')) {
			size_t e = i + 5;

			while (e < n && m[e] != ' ' && m[e] != ',' && m[e] != ')')
				e++;
			if (wm_perf_duration(m + i + 5, e - i - 5, 1e-3, sec))
				return true;
		}
	return false;
}

static void
log_line(struct wm_perf *p, const struct wm_logline *ll, int64_t ts)
{
	struct perf_src *src = &p->src[WM_PERF_LOG];
	const char *m, *f = p->o.fields, *v;
	char rname[WM_PERF_ROUTE_MAX];
	size_t n = wm_logline_message(ll, p->msg, sizeof p->msg, &m), vl;
	double sec = NAN, thr;
	int status = ll->status;
	bool str, tail, found = false;

	if (nest_slow(m, n, rname, sizeof rname, &sec, &status)) {
		tail = true;
		found = true;
	} else {
		while (f && *f && !found) {
			const char *comma = strchr(f, ',');
			char key[64];
			size_t kl = comma ? (size_t)(comma - f) : strlen(f);

			if (kl > 0 && kl < sizeof key) {
				memcpy(key, f, kl);
				key[kl] = '\0';
				found = ll->format == WM_LOGFMT_JSON &&
					wm_jsonfield(ll->text, ll->text_len, key, &v, &vl, &str) &&
					wm_perf_duration(v, vl, p->o.number_unit_s, &sec);
			}
			f = comma ? comma + 1 : NULL;
		}
		if (!found)
			found = took(m, n, &sec);
		if (!found)
			return;
		tail = (n >= 21 && memcmp(m, "Slow request detected", 21) == 0);
		if (ll->format == WM_LOGFMT_JSON &&
		    wm_jsonfield(ll->text, ll->text_len, "threshold", &v, &vl, &str) &&
		    wm_perf_duration(v, vl, p->o.number_unit_s, &thr)) {
			tail = true;
			src->st.threshold_s = thr;
		}
		if (ll->path)
			wm_perf_route(ll->method, ll->method ? ll->method_len : 0, ll->path,
				      ll->path_len, rname, sizeof rname);
		else
			snprintf(rname, sizeof rname, "(no route)");
	}
	if (tail && isnan(src->st.threshold_s) && n >= 14 && memcmp(m, "SLOW REQUEST: ", 14) == 0)
		src->st.threshold_s = 1.0; /* the NestJS interceptor's fixed 1000 ms */
	src->tail_lines += tail;
	record(p, WM_PERF_LOG, rname, sec, status, ts);
	src->st.tail = src->tail_lines == src->st.count;
}

static void
on_line(void *ctx, const struct wm_logline *ll)
{
	struct wm_perf *p = ctx;
	struct wm_accesslog_entry a;

	if ((ll->format == WM_LOGFMT_NGINX_ACCESS || ll->format == WM_LOGFMT_TEXT) &&
	    wm_accesslog_parse(&p->fmt, &a, ll->text, ll->text_len)) {
		access_line(p, &a, ll->ts_ms >= 0 ? ll->ts_ms : a.ts_ms);
		return;
	}
	log_line(p, ll, ll->ts_ms);
}

struct wm_log_analyzer
wm_perf_analyzer(struct wm_perf *p)
{
	struct wm_log_analyzer a = {on_line, p};

	return a;
}

const struct wm_perf_stats *
wm_perf_stats(const struct wm_perf *p, int source)
{
	return source >= 0 && source < WM_PERF_NSOURCES ? &p->src[source].st : NULL;
}

const struct wm_sketch *
wm_perf_sketch(const struct wm_perf *p, int source)
{
	if (source < 0 || source >= WM_PERF_NSOURCES || wm_sketch_count(p->src[source].all) == 0)
		return NULL;
	return p->src[source].all;
}

const struct wm_perf_route *
wm_perf_routes(const struct wm_perf *p, int source, size_t *n)
{
	*n = 0;
	if (source < 0 || source >= WM_PERF_NSOURCES)
		return NULL;
	*n = p->src[source].st.nroutes;
	return p->src[source].routes;
}
