/* check_cache.c - the cache check unit: the secret, the endpoint and the
 * sample around wm_cache_collect (lib/checks/cache_collect.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/cache.h"
#include "checks/checks.h"
#include "session/endpoint.h"

/* The Redis password: the target's file, WM_REDIS_PASSWORD, REDISCLI_AUTH. */
static int
password(const struct wm_target *t, char *buf, size_t size, struct wm_err *err)
{
	const char *env;

	if (wm_secret_get(t, t->redis_password_file, "WM_REDIS_PASSWORD", buf, size, err) < 0)
		return -1;
	env = getenv("REDISCLI_AUTH");
	if (!buf[0] && env)
		snprintf(buf, size, "%s", env);
	return 0;
}

int
wm_cache_conn_params(struct wm_session *s, struct wm_cache_conn *c, struct wm_err *err)
{
	memset(c, 0, sizeof(*c));
	if (password(wm_session_target(s), c->pw, sizeof(c->pw), err) < 0 ||
	    wm_endpoint_redis(s, &c->ep, c->label, sizeof(c->label), err) < 0)
		return -1;
	return 0;
}

/* Over SSH a Redis that does not listen is a channel the SSH server could
 * not open: hiredis only sees its connection closed ("Connection reset by
 * peer" while authenticating).  Say what really happened. */
static void
tunnel_why(struct wm_session *s, const struct wm_cache_conn *c, struct wm_result *r)
{
	struct wm_check *k = wm_result_find_check(r, "redis.ping");
	char why[200];

	if (k && k->state != WM_OK && c->ep.path[0] &&
	    wm_session_tunnel_refused(s, c->ep.path, why, sizeof why))
		wm_check_set(k, k->state, "Redis %s: the SSH server could not connect to it (%s)",
			     c->label, why);
}

int
wm_cache_run(struct wm_session *s, const struct wm_cache_check_opts *o, struct wm_result *r)
{
	struct wm_cache_opts co = {.timeout_ms = (int)wm_session_budget_ms(s, 0),
				   .probe = o->probe};
	struct wm_err err = {0};
	struct wm_cache_conn c;
	cJSON *prev, *next = NULL;
	int rc;

	/* failures before Redis was asked are UNKNOWN */
	if (wm_cache_conn_params(s, &c, &err) < 0) {
		memset(c.pw, 0, sizeof(c.pw));
		return wm_result_unknown(r, "redis.ping", &err);
	}
	co.ep = c.ep;
	co.label = c.label;
	co.password = c.pw;
	prev = wm_session_sample_load(s, WM_CACHE_STATE_NAME);
	rc = wm_cache_collect(r, &co, prev, &next);
	memset(c.pw, 0, sizeof(c.pw));
	if (rc == 0)
		tunnel_why(s, &c, r);
	if (rc == 0)
		wm_session_sample_save(s, WM_CACHE_STATE_NAME, next);
	cJSON_Delete(prev);
	cJSON_Delete(next);
	return rc;
}
