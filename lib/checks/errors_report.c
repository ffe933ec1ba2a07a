/* errors_report.c - one check per service from the error analyzer. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "checks/errors.h"
#include "model/threshold.h"

static bool
add_lines(cJSON *data, const char *key, const struct wm_errors_line *r, size_t cap, size_t n,
	  size_t next)
{
	cJSON *arr = cJSON_AddArrayToObject(data, key);

	if (!arr)
		return false;
	/* oldest first: the ring's oldest entry is at next when it is full */
	for (size_t i = 0; i < n; i++) {
		const struct wm_errors_line *l = &r[(n < cap ? i : next + i) % cap];
		cJSON *o = cJSON_CreateObject();

		if (!o)
			return false;
		cJSON_AddItemToArray(arr, o);
		cJSON_AddItemToObject(o, "time", wm_json_time(l->ts_ms));
		if (!cJSON_AddStringToObject(o, "level", wm_level_name(l->level)) ||
		    !cJSON_AddStringToObject(o, "line", l->text ? l->text : ""))
			return false;
	}
	return true;
}

static bool
add_groups(cJSON *data, const struct wm_group **g, size_t n)
{
	cJSON *arr = cJSON_AddArrayToObject(data, "groups");

	if (!arr)
		return false;
	for (size_t i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();

		if (!o)
			return false;
		cJSON_AddItemToArray(arr, o);
		cJSON_AddNumberToObject(o, "count", (double)g[i]->count);
		cJSON_AddNumberToObject(o, "count_error", (double)g[i]->error);
		cJSON_AddStringToObject(o, "level", wm_level_name(g[i]->level));
		cJSON_AddItemToObject(o, "first_seen", wm_json_time(g[i]->first_ms));
		cJSON_AddItemToObject(o, "last_seen", wm_json_time(g[i]->last_ms));
		cJSON_AddStringToObject(o, "signature", g[i]->signature);
		if (!cJSON_AddStringToObject(o, "example", g[i]->example))
			return false;
	}
	return true;
}

/* A count, or null when the service's logs could not (all) be read: a
 * partial count is not "0 errors". */
static bool
add_count(cJSON *o, const char *key, const struct wm_errors_service *s, uint64_t v)
{
	return cJSON_AddItemToObject(
	    o, key, s->problem ? cJSON_CreateNull() : cJSON_CreateNumber((double)v));
}

static bool
add_data(struct wm_errors *e, struct wm_check *c, const struct wm_errors_service *s,
	 const struct wm_errors_opts *o, const struct wm_group **g, size_t ng)
{
	cJSON *data = wm_check_data(c), *counts;

	if (!data || !cJSON_AddStringToObject(data, "service", s->name) ||
	    !cJSON_AddBoolToObject(data, "expected", s->expected) ||
	    !cJSON_AddItemToObject(data, "problem",
				   s->problem ? cJSON_CreateString(s->problem)
					      : cJSON_CreateNull()) ||
	    !add_count(data, "lines", s, s->lines) ||
	    !add_count(data, "truncated", s, s->truncated) ||
	    !add_count(data, "untimed", s, s->untimed) ||
	    !(counts = cJSON_AddObjectToObject(data, "counts")))
		return false;
	for (int l = WM_LVL_UNKNOWN; l < WM_LVL_COUNT; l++)
		if (!add_count(counts, wm_level_name(l), s, s->count[l]))
			return false;
	(void)e;
	return add_groups(data, g, ng) &&
	       (!o->criticals ||
		add_lines(data, "critical", s->crit, o->criticals, s->crit_n, s->crit_next)) &&
	       (!o->tail || add_lines(data, "tail", s->tail, o->tail, s->tail_n, s->tail_next));
}

/* A metric; NAN (null, U, NaN) when the logs were not read. */
static int
add_metric(struct wm_check *c, const char *name, double v, const char *warn, const char *crit)
{
	struct wm_metric *m = wm_check_add_metric(c, name, v, "");

	if (!m || wm_metric_set_thresholds(m, warn, crit) < 0)
		return -1;
	m->min = 0;
	return 0;
}

/* "; 83 lines without a time not counted (25 errors; zone CST is
 * ambiguous: see time_zones)": the window could not take them, say so. */
static void
untimed_note(const struct wm_errors_service *s, char *buf, size_t size)
{
	int n;

	if (s->untimed == 0)
		return;
	n = snprintf(buf, size, "; %llu line%s without a time not counted (%llu error%s",
		     (unsigned long long)s->untimed, s->untimed == 1 ? "" : "s",
		     (unsigned long long)s->untimed_errors, s->untimed_errors == 1 ? "" : "s");
	if (n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, "%s%s%s)", s->untimed_zone[0] ? "; zone " : "",
			 s->untimed_zone,
			 s->untimed_zone[0] ? " is ambiguous: set time_zones" : "");
}

static double
known(const struct wm_errors_service *s, uint64_t v)
{
	return s->problem ? NAN : (double)v;
}

static int
service_check(struct wm_errors *e, struct wm_result *r, const struct wm_errors_service *s,
	      const char *window, wm_errors_threshold_fn fn, void *arg)
{
	char name[sizeof s->name + 8];
	uint64_t errs = s->count[WM_LVL_ERROR] + s->count[WM_LVL_CRITICAL];
	uint64_t crits = s->count[WM_LVL_CRITICAL];
	const char *ew = fn ? fn(arg, s->name, "errors", false) : NULL;
	const char *ec = fn ? fn(arg, s->name, "errors", true) : NULL;
	const char *cw = fn ? fn(arg, s->name, "critical_lines", false) : NULL;
	const char *cc = fn ? fn(arg, s->name, "critical_lines", true) : NULL;
	struct wm_check *c;
	const struct wm_group **g;
	size_t ng;
	int rc = -1;

	snprintf(name, sizeof name, "errors.%s", s->name);
	if (!(c = wm_result_add_check(r, name)))
		return -1;
	g = wm_errors_groups(e, s->name, &ng);
	if (add_metric(c, "errors", known(s, errs), ew ? ew : WM_ERRORS_DEFAULT_WARN, ec) < 0 ||
	    add_metric(c, "critical_lines", known(s, crits), cw,
		       cc ? cc : WM_ERRORS_DEFAULT_CRIT_LINES) < 0 ||
	    add_metric(c, "warnings", known(s, s->count[WM_LVL_WARN]), NULL, NULL) < 0 ||
	    add_metric(c, "lines", known(s, s->lines), NULL, NULL) < 0 ||
	    !add_data(e, c, s, wm_errors_options(e), g, ng))
		goto out_free;
	if (s->problem) {
		wm_check_set(c, WM_UNKNOWN, "%s", s->problem);
	} else {
		char untimed[160] = "";

		wm_check_eval(c);
		untimed_note(s, untimed, sizeof untimed);
		if (ng > 0)
			wm_check_set(c, c->state,
				     "%llu error%s, %llu critical %s%s; top: %llu x %s",
				     (unsigned long long)errs, errs == 1 ? "" : "s",
				     (unsigned long long)crits, window, untimed,
				     (unsigned long long)g[0]->count, g[0]->signature);
		else
			wm_check_set(c, c->state, "%llu error%s, %llu critical %s%s",
				     (unsigned long long)errs, errs == 1 ? "" : "s",
				     (unsigned long long)crits, window, untimed);
	}
	rc = 0;
out_free:
	free(g);
	return rc;
}

int
wm_errors_report(struct wm_errors *e, struct wm_result *r, const char *window,
		 wm_errors_threshold_fn fn, void *arg)
{
	size_t n;
	struct wm_errors_service *s = wm_errors_services(e, &n);

	for (size_t i = 0; i < n; i++)
		if (service_check(e, r, &s[i], window, fn, arg) < 0)
			return -1;
	return 0;
}
