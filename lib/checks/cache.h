/* cache.h - the Redis checks of wm-cache (and of wm-run's ticks).
 *
 * Counters in INFO are cumulative since Redis started (or CONFIG RESETSTAT),
 * so the hit rate, ops/s, evictions and rejected connections are computed
 * over the window since the previous sample, a small JSON document the
 * caller keeps in the state directory.  Without a previous sample the window
 * is "since Redis started" and the summaries say so; a restart between
 * samples (run_id changed or uptime went back) makes the window "since the
 * restart".
 *
 * Metrics get their runbook default thresholds (hit_rate warning "85:") but
 * checks are not evaluated against them here: the caller applies config and
 * command-line overrides first, then evaluates (wm_check_run, lib/checks/checks.h).
 * States that do not come from a metric (unreachable, persistence failing)
 * are set here.
 */
#ifndef WM_CACHE_H
#define WM_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "base/err.h"
#include "clients/redis.h"
#include "conf/conf.h"
#include "model/result.h"

#define WM_CACHE_HIT_RATE_WARN "85:" /* runbook: cache hit rate > 85 % */
#define WM_CACHE_STATE_NAME "redis"  /* state file of the previous sample */

struct wm_cache_opts {
	struct wm_redis_endpoint ep; /* where to connect (local, or the tunnel) */
	const char *label;	     /* how to name it in summaries, e.g. "127.0.0.1:6379" */
	const char *password;	     /* NULL or "": no AUTH */
	int timeout_ms;
	bool probe; /* the SET/GET/DEL round trip */
};

/* Connect, PING, INFO (and the probe) and add the redis.* checks to r.  prev
 * is the previous sample (NULL on a first run); *next receives the sample
 * to save (NULL when INFO could not be read: keep the old one).  Returns 0,
 * or -1 on ENOMEM only: every other failure is a check. */
int wm_cache_collect(struct wm_result *r, const struct wm_cache_opts *o, const cJSON *prev,
		     cJSON **next);

/* The pure part: checks from one INFO reply, the previous sample and the
 * time now (unix ms); *next as above.  Returns 0, or -1 on ENOMEM. */
int wm_cache_evaluate(struct wm_result *r, const struct wm_redis_info *info, const cJSON *prev,
		      int64_t now_ms, const char *label, cJSON **next);

struct wm_session;
/* How this process reaches the target's Redis through s (its tunnel when
 * remote), the password (redis_password_file, WM_REDIS_PASSWORD,
 * REDISCLI_AUTH) and a label.  For the cache unit and wm-smoke's cache step.
 * 0, or -1 with err (a secrets file refused, the tunnel).  Clear c->pw
 * after use. */
struct wm_cache_conn {
	struct wm_redis_endpoint ep;
	char pw[WM_SECRET_MAX], label[300];
};
int wm_cache_conn_params(struct wm_session *s, struct wm_cache_conn *c, struct wm_err *err);

#endif
