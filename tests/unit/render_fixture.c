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
fixture_labels(void)
{
	struct wm_result *r = wm_result_new("wm-services", "1.2.3", "prod");
	struct wm_check *c;
	cJSON *counts;

	if (!r || wm_result_set_project(r, "shop \"eu\"") < 0)
		abort();
	stamp(r);
	c = wm_result_add_check(r, "services.auth-ms");
	wm_check_add_metric(c, "restarts", 1, "");
	wm_check_add_metric(c, "restart_count", 3, "c");
	wm_check_add_metric(c, "uptime", 12.5, "s");
	wm_check_add_metric(c, "cpu", 150, "%");
	wm_check_add_metric(c, "memory_used", 1048576, "B");
	c = wm_result_add_check(r, "services.odd.name\"q\\");
	wm_check_set(c, WM_CRITICAL, "exited");
	wm_check_add_metric(c, "restart_count", 0, "c");
	wm_check_add_metric(c, "unhealthy", 1, "");
	/* the same service twice: the first series wins */
	wm_check_add_metric(wm_result_add_check(r, "services.auth-ms"), "restart_count", 9, "c");
	wm_check_add_metric(wm_result_add_check(r, "disk:/var/lib"), "disk", 45.5, "%");
	c = wm_result_add_check(r, "errors.backend");
	wm_check_add_metric(c, "errors", 2, "");
	wm_check_add_metric(c, "lines", 10, "");
	counts = cJSON_AddObjectToObject(wm_check_data(c), "counts");
	cJSON_AddNumberToObject(counts, "info", 8);
	cJSON_AddNumberToObject(counts, "error", 2);
	c = wm_result_add_check(r, "pg.data_loss");
	wm_check_add_metric(c, "orders_rows", 100, "");
	wm_check_add_metric(c, "shop_items_rows", 5, "");
	wm_check_add_metric(wm_result_add_check(r, "redis.load"), "ops_per_sec", 12.5, "");
	c = wm_result_add_check(r, "custom.thing");
	wm_check_add_metric(c, "count", 4, "");
	wm_check_add_metric(c, "wait", 250, "ms");
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
