/* endpoint_int.h - what endpoint.c and endpoint_pg.c share (private to them). */
#ifndef WM_ENDPOINT_INT_H
#define WM_ENDPOINT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "endpoint.h"
#include "err.h"

struct wm_endpoints {
	struct wm_config *cfg;
	struct wm_target *t;	/* our copy, -H applied */
	double timeout_s;
	struct wm_target_conn *conn;	/* opened on first use */
};

/* Where this process connects for hostport (as seen from the target):
 * itself locally, a tunnel socket through the target's SSH session. */
int wm_endpoints_reach(struct wm_endpoints *e, const char *hostport, const char *sockname,
		       char *out, size_t size, bool *is_unix, struct wm_err *err);

#endif
