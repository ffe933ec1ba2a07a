/* cache_collect.c - talk to Redis (connect, PING, INFO, probe) and hand the
 * reply to wm_cache_evaluate. */
#include "config.h"

#include <stdlib.h>

#include "checks/cache.h"
#include "base/duration.h"
#include "session/endpoint.h"

static int
probe(struct wm_result *r, struct wm_redis *redis, const struct wm_cache_opts *o)
{
	struct wm_err err = {0};
	char key[300];
	double ms = 0;
	struct wm_check *c;

	wm_redis_probe_key(key, sizeof(key));
	if (wm_redis_probe(redis, key, 60, &ms, &err) < 0)
		return wm_result_fail(r, "redis.probe", &err);
	c = wm_result_add_check(r, "redis.probe");
	if (!c || !wm_check_add_metric(c, "probe_time", ms, "ms"))
		return -1;
	wm_check_set(c, WM_OK, "SET/GET/DEL round trip in %.1f ms on %s", ms, o->label);
	cJSON_AddStringToObject(wm_check_data(c), "key", key);
	return 0;
}

int
wm_cache_collect(struct wm_result *r, const struct wm_cache_opts *o, const cJSON *prev,
		 cJSON **next)
{
	struct wm_err err = {0};
	struct wm_redis *redis;
	struct wm_redis_info *info;
	struct wm_check *c;
	double ms = 0;
	int rc = -1;

	*next = NULL;
	redis = wm_redis_connect(&o->ep, o->password, o->timeout_ms, &err);
	if (!redis || wm_redis_ping(redis, &ms, &err) < 0) {
		rc = wm_result_fail(r, "redis.ping", &err);
		goto out_free_redis;
	}
	c = wm_result_add_check(r, "redis.ping");
	if (!c || !wm_check_add_metric(c, "ping_time", ms, "ms"))
		goto out_free_redis;
	wm_check_set(c, WM_OK, "PONG in %.1f ms from %s", ms, o->label);
	info = wm_redis_info(redis, NULL, &err);
	if (!info) {
		rc = wm_result_fail(r, "redis.info", &err);
		goto out_free_redis;
	}
	rc = wm_cache_evaluate(r, info, prev, wm_now_ms(), o->label, next);
	wm_redis_info_free(info);
	if (rc == 0 && o->probe)
		rc = probe(r, redis, o);

out_free_redis:
	wm_redis_free(redis);
	return rc;
}
