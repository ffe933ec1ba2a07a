/* render_fixture.c - hand-built results for the renderer tests. */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "render_fixture.h"

static void
stamp(struct wm_result *r)
{
	r->time_ms = FIXTURE_TIME_MS;
	r->duration_ms = 1234;
}

struct wm_result *
fixture_full(void)
{
	struct wm_result *r = wm_result_new("wm-cache", "1.2.3", "prod \"eu\"\\1\n");
	struct wm_check *c;
	struct wm_metric *m;
	cJSON *data;

	if (!r)
		abort();
	stamp(r);
	c = wm_result_add_check(r, "redis.hit_rate");
	wm_check_set(c, WM_OK, "hit rate 91.2%%");
	m = wm_check_add_metric(c, "hit_rate", 91.2, "%");
	wm_metric_set_thresholds(m, "85:", "70:");
	m->min = 0;
	m->max = 100;
	m = wm_check_add_metric(c, "used_memory", 1.5, "MB");

	c = wm_result_add_check(r, "redis.ping");
	wm_check_set(c, WM_CRITICAL, "connection refused");
	m = wm_check_add_metric(c, "latency", NAN, "ms");
	wm_metric_set_thresholds(m, "~:100", "~:500");

	c = wm_result_add_check(r, "logs.errors");
	wm_check_set(c, WM_WARNING, "say \"hi\" \\ back\nline\t\x01 \xff end | pipe");
	wm_check_add_metric(c, "errors 'now'", 3, "c");
	m = wm_check_add_metric(c, "latency", 0.25, "s");
	wm_metric_set_thresholds(m, "@0:0.1", NULL);
	data = wm_check_data(c);
	cJSON_AddStringToObject(data, "sample", "x\"y\xc3\x28");
	cJSON_AddNumberToObject(data, "count", 3);
	return r;
}

struct wm_result *
fixture_collide(void)
{
	struct wm_result *r = wm_result_new("wm-x", "1", "t");
	struct wm_check *c;

	if (!r)
		abort();
	stamp(r);
	wm_check_add_metric(wm_result_add_check(r, "redis.db0"), "keys", 1, "");
	wm_check_add_metric(wm_result_add_check(r, "redis_db0"), "keys", 2, "");
	c = wm_result_add_check(r, "cache");
	wm_check_add_metric(c, "entries", 3, "");
	wm_check_add_metric(c, "entries", 4, "");
	wm_check_add_metric(wm_result_add_check(r, "check"), "state", 1e300, "");
	return r;
}

struct wm_result *
fixture_empty(void)
{
	struct wm_result *r = wm_result_new("wm-db", "1.2.3", NULL);

	if (!r)
		abort();
	stamp(r);
	return r;
}
