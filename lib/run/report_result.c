/* report_result.c - what a wm-* result says, into the report model: the
 * reads the criteria count (errors, security, perf, cache, db), the
 * services seen up or down, the hour's errors and critical issues, the
 * smoke, data-loss and drill checks (see report.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/schedule.h"
#include "run/report_int.h"

static int
add_read(struct wm_report *r, enum wm_read_kind kind, const char *check, int64_t at, int64_t since,
	 const char *tier, double a, double b, const char *sketch)
{
	struct wm_report_int *in = r->in;
	struct wm_report_read *d;

	if (wm_report_grow((void **)&in->reads, &in->cap_reads, in->n_reads, sizeof(*in->reads)))
		return -1;
	d = &in->reads[in->n_reads];
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->at_ms = at;
	d->since_ms = since;
	d->a = a;
	d->b = b;
	snprintf(d->tier, sizeof(d->tier), "%s", tier ? tier : "");
	snprintf(d->check, sizeof(d->check), "%s", check);
	if (sketch && !(d->sketch = strdup(sketch)))
		return -1;
	in->n_reads++;
	return 0;
}

static int
add_point(struct wm_report_series *s, int64_t at, double v)
{
	if (isnan(v))
		return 0;
	if (wm_report_grow((void **)&s->p, &s->cap, s->n, sizeof(*s->p)))
		return -1;
	s->p[s->n].at_ms = at;
	s->p[s->n++].value = v;
	return 0;
}

/* A CRITICAL check for its hour's "critical issues". */
static int
add_issue(struct wm_report_int *in, int64_t at, const char *name, const char *sum)
{
	if (wm_report_grow((void **)&in->issues, &in->cap_issues, in->n_issues,
			   sizeof(*in->issues)))
		return -1;
	in->issues[in->n_issues].at_ms = at;
	snprintf(in->issues[in->n_issues++].text, sizeof(in->issues[0].text), "%.40s: %s", name,
		 sum);
	return 0;
}

int
wm_report_seen(struct wm_report *r, const char *svc, int64_t at, bool up, enum wm_seen_how how)
{
	struct wm_report_int *in = r->in;
	struct wm_report_seen *s;

	if (!svc || !*svc)
		return 0; /* a nameless service: nothing to say about it */
	if (!wm_report_service(r, svc) ||
	    wm_report_grow((void **)&in->seen, &in->cap_seen, in->n_seen, sizeof(*in->seen)))
		return -1;
	s = &in->seen[in->n_seen++];
	snprintf(s->service, sizeof(s->service), "%s", svc);
	s->at_ms = at;
	s->up = up;
	s->how = how;
	return 0;
}

/* The value of metric name of check c, NAN when absent or null. */
static double
metric(const cJSON *c, const char *name)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(c, "metrics"))
	{
		const char *n = wm_report_str(m, "name");

		if (n && !strcmp(n, name))
			return wm_report_num(m, "value");
	}
	return NAN;
}

/* errors.SERVICE of one read into the service's hour: per hour the read
 * whose window is nearest an hour wins (the hourly log's "error count"). */
static int
service_errors(struct wm_report *r, const char *svc, int64_t at, int64_t window, double n)
{
	struct wm_report_service *s = wm_report_service(r, svc);
	int h = wm_report_hour_of(r, at);
	int64_t d = window > WM_HOUR_MS ? window - WM_HOUR_MS : WM_HOUR_MS - window;

	if (!s)
		return -1;
	if (isnan(n))
		return 0;
	if (isnan(s->errors[h]) || d < s->errors_from[h] ||
	    (d == s->errors_from[h] && n > s->errors[h])) {
		s->errors[h] = n;
		s->errors_from[h] = d;
	}
	return 0;
}

/* Is a services.NAME check up: running and not unhealthy (else its state). */
static int
service_up(const cJSON *c, const char *state)
{
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(c, "data");
	const char *st = wm_report_str(data, "state"), *health = wm_report_str(data, "health");

	if (st)
		return !strcmp(st, "running") && !(health && !strcmp(health, "unhealthy"));
	if (!strcmp(state, "UNKNOWN"))
		return -1;
	return strcmp(state, "CRITICAL") != 0;
}

/* The window of tier in the run's plan (an hour when it has no such tier). */
static int64_t
tier_window(struct wm_report *r, const char *tier)
{
	const struct wm_schedule_tier *t = tier ? wm_schedule_find(&r->opts.plan, tier) : NULL;

	return t ? t->window_ms : WM_HOUR_MS;
}

static int
apply_check(struct wm_report *r, const cJSON *res, const cJSON *c, int64_t at, int64_t since,
	    const char *tier, double *errs)
{
	struct wm_report_int *in = r->in;
	const char *name = wm_report_str(c, "name"), *state = wm_report_str(c, "state");
	const char *tool = wm_report_str(res, "tool"), *sum = wm_report_str(c, "summary");
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(c, "data");
	char when[32], line[WM_REPORT_TEXT_MAX];
	double v;

	if (!name || !state)
		return 0;
	sum = sum ? sum : "";
	wm_report_offset(at, when, sizeof(when));
	snprintf(line, sizeof(line), "%s %s", when, sum);
	if (!strcmp(state, "CRITICAL") && add_issue(in, at, name, sum))
		return -1;
	if (!strncmp(name, "services.", 9) && !strchr(name + 9, ':')) {
		int up = service_up(c, state);

		if (up >= 0 && wm_report_seen(r, name + 9, at, up, SEEN_TICK))
			return -1;
	} else if (!strncmp(name, "errors.", 7)) {
		errs[0] += metric(c, "errors");
		errs[1] += metric(c, "critical_lines");
	} else if (!strcmp(name, "security.violations")) {
		v = metric(c, "violations");
		/* UNKNOWN keeps its count of the lines it did read: 0 there is
		 * "not looked", not "no violation" */
		if (!strcmp(state, "UNKNOWN") && !(v > 0))
			v = NAN;
		if (!isnan(v) && add_read(r, READ_SECURITY, name, at, since, tier, v, 0, NULL))
			return -1;
	} else if (!strcmp(name, "redis.hit_rate")) {
		double hits = wm_report_num(data, "hits"), misses = wm_report_num(data, "misses");
		const cJSON *first = cJSON_GetObjectItemCaseSensitive(data, "first_sample");

		if (!isnan(hits) && !isnan(misses) &&
		    (add_read(r, READ_CACHE, name, at, since, tier, hits, misses, NULL) ||
		     add_point(&r->hit_rate, at, metric(c, "hit_rate"))))
			return -1;
		if (!isnan(hits) && !isnan(misses))
			in->reads[in->n_reads - 1].first = cJSON_IsTrue(first);
	} else if (!strcmp(name, "pg.statements") ||
		   (!strncmp(name, "perf.", 5) && strstr(name, "db"))) {
		const char *judged = wm_report_str(data, "judged");

		v = metric(c, "p95");
		v = isnan(v) ? metric(c, "db_p95") : v; /* wm-perf's perf.db: the one it judged */
		if (!isnan(v) && add_read(r, READ_DB, name, at, since, tier, v, 0,
					  wm_report_str(data, "sketch")))
			return -1;
		if (!isnan(v) && judged)
			snprintf(in->reads[in->n_reads - 1].judged, sizeof(in->reads[0].judged),
				 "%s", judged);
	} else if (!strncmp(name, "perf.", 5) && strcmp(name, "perf.log") != 0) {
		v = metric(c, "p99");
		const cJSON *b = cJSON_GetObjectItemCaseSensitive(data, "buckets");

		if (!isnan(v) && (add_read(r, READ_PERF, name, at, since, tier, v,
					   metric(c, "requests"), wm_report_str(data, "sketch")) ||
				  add_point(&r->p99, at, v)))
			return -1;
		if (!isnan(v) && cJSON_IsArray(b) &&
		    !(in->reads[in->n_reads - 1].buckets = cJSON_Duplicate(b, 1)))
			return -1;
	} else if (!strcmp(name, "watch.drill")) {
		/* the T+0 drill's check: when no channel answered, why */
		if (strcmp(state, "OK") != 0 && !*in->drill_fail)
			snprintf(in->drill_fail, sizeof(in->drill_fail), "%s", line);
	} else if (!strcmp(name, "pg.data_loss")) {
		if (strcmp(state, "UNKNOWN") != 0)
			in->dataloss_seen = true;
		if (!strcmp(state, "CRITICAL") && !*in->dataloss_fail)
			snprintf(in->dataloss_fail, sizeof(in->dataloss_fail), "%s", line);
	}
	if ((tool && !strcmp(tool, "wm-smoke")) || !strncmp(name, "smoke.", 6)) {
		if (strcmp(state, "UNKNOWN") != 0)
			in->smoke_seen = true;
		if (!strcmp(state, "CRITICAL") && !*in->smoke_fail)
			snprintf(in->smoke_fail, sizeof(in->smoke_fail), "%.40s: %.200s", name,
				 line);
	}
	return 0;
}

/* The first critical group of an errors.SERVICE check: "svc: example (x3)". */
static void
critical_line(const cJSON *c, const char *svc, char *buf, size_t len)
{
	const cJSON *g, *data = cJSON_GetObjectItemCaseSensitive(c, "data");

	cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(data, "groups"))
	{
		const char *lvl = wm_report_str(g, "level"), *ex = wm_report_str(g, "example");
		double n = wm_report_num(g, "count");

		if (lvl && ex && !strcmp(lvl, "critical")) {
			snprintf(buf, len, "%.40s: %.90s (x%.0f)", svc, ex, isnan(n) ? 1.0 : n);
			return;
		}
	}
}

static int
apply_result(struct wm_report *r, const cJSON *res, int64_t at, int64_t window, const char *tier)
{
	const cJSON *checks = cJSON_GetObjectItemCaseSensitive(res, "checks"), *c;
	double errs[2] = {0, 0};
	bool any_errors = false;
	char line[160] = "";

	if (!cJSON_IsArray(checks))
		return 0;
	if (window <= 0)
		window = tier_window(r, tier);
	cJSON_ArrayForEach(c, checks)
	{
		const char *name = wm_report_str(c, "name");

		if (apply_check(r, res, c, at, at - window, tier, errs))
			return -1;
		if (name && !strncmp(name, "errors.", 7) && name[7]) {
			any_errors = true;
			if (!*line)
				critical_line(c, name + 7, line, sizeof(line));
			if (service_errors(r, name + 7, at, window, metric(c, "errors")))
				return -1;
		}
	}
	if (any_errors &&
	    add_read(r, READ_ERRORS, "errors", at, at - window, tier, errs[0], errs[1], NULL))
		return -1;
	if (any_errors)
		snprintf(r->in->reads[r->in->n_reads - 1].line, sizeof(line), "%s", line);
	return 0;
}

int
wm_report_add_result(struct wm_report *r, const cJSON *result, int64_t at_ms, int64_t window_ms,
		     struct wm_err *err)
{
	if (!cJSON_IsObject(result) || !cJSON_IsArray(cJSON_GetObjectItem(result, "checks")) ||
	    !wm_report_str(result, "tool"))
		return wm_err_set(err, WM_EINVAL, "not a wm-* result (no tool or checks)");
	if (at_ms > r->last_ms)
		r->last_ms = at_ms;
	if (apply_result(r, result, at_ms, window_ms ? window_ms : WM_HOUR_MS, NULL))
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	return 0;
}

/* A journal "result" record: its result read at its tick's time, over the
 * tier's window. */
int
wm_report_apply_result(struct wm_report *r, const cJSON *rec)
{
	const cJSON *res = cJSON_GetObjectItemCaseSensitive(rec, "result");
	double w = wm_report_num(rec, "window_ms");

	if (!cJSON_IsObject(res))
		return 0;
	return apply_result(r, res, wm_report_plan_ms(r, rec), isnan(w) ? 0 : (int64_t)w,
			    wm_report_str(rec, "tier"));
}
