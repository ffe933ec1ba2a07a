/* endpoint.h - the Redis and PostgreSQL endpoints of a session's target, as
 * this process reaches them: unchanged for a local target; for a remote one,
 * through the session's SSH tunnels.
 */
#ifndef WM_ENDPOINT_H
#define WM_ENDPOINT_H

#include <stddef.h>

#include "base/err.h"
#include "clients/redis.h"
#include "session/session.h"

#define WM_REDIS_DEFAULT "127.0.0.1:6379"

/* The Redis to connect to (the target's 'redis', else WM_REDIS_DEFAULT), and
 * a label naming it for people. */
int wm_endpoint_redis(struct wm_session *s, struct wm_redis_endpoint *ep, char *label, size_t size,
		      struct wm_err *err);
/* Host and port overrides for the target's postgres conninfo ("" = keep the
 * conninfo's), and a label. */
int wm_endpoint_pg(struct wm_session *s, char *host, size_t hsize, char *port, size_t psize,
		   char *label, size_t lsize, struct wm_err *err);

#endif
