/* endpoint.h - the Redis and PostgreSQL endpoints of a target, as this
 * process reaches them.
 *
 * Loads the configuration, selects the target (-t, $WM_TARGET, ...), applies
 * -H, and hands out the addresses of the target's services: unchanged for a
 * local target; for a remote one, through the target's SSH tunnels.
 */
#ifndef WM_ENDPOINT_H
#define WM_ENDPOINT_H

#include <stddef.h>

#include "conf.h"
#include "err.h"
#include "cli.h"
#include "redis.h"
#include "result.h"

#define WM_REDIS_DEFAULT "127.0.0.1:6379"

struct wm_endpoints;

/* The configuration, target and -H of cli.  NULL with err (a configuration
 * problem, an unknown target, a bad -H).  Unless --timeout was given,
 * cli->timeout becomes [general] timeout of the configuration. */
struct wm_endpoints *wm_endpoints_open(struct wm_cli *cli, struct wm_err *err);
void wm_endpoints_close(struct wm_endpoints *e);
const struct wm_target *wm_endpoints_target(const struct wm_endpoints *e);
const struct wm_config *wm_endpoints_config(const struct wm_endpoints *e);

/* The Redis to connect to, and a label naming it for people. */
int wm_endpoints_redis(struct wm_endpoints *e, struct wm_redis_endpoint *ep, char *label,
		       size_t size, struct wm_err *err);
/* Host and port overrides for the target's postgres conninfo ("" = keep the
 * conninfo's), and a label. */
int wm_endpoints_pg(struct wm_endpoints *e, char *host, size_t hsize, char *port, size_t psize,
		    char *label, size_t lsize, struct wm_err *err);

/* The state a failure means: UNKNOWN when we could not perform the check
 * (bad password, configuration, our own problem), CRITICAL when the service
 * refused, dropped or did not answer (DESIGN §3). */
enum wm_state wm_endpoints_failure_state(const struct wm_err *e);
/* Add check name with that state and e->msg as summary; -1 on ENOMEM. */
int wm_endpoints_fail(struct wm_result *r, const char *name, const struct wm_err *e);
/* The same, always UNKNOWN: for failures before the service was asked
 * (a secrets file, the SSH session or tunnel to the target). */
int wm_endpoints_unknown(struct wm_result *r, const char *name, const struct wm_err *e);

#endif
