/* endpoint.c - where this process reaches a target's Redis and PostgreSQL. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session/endpoint.h"

int
wm_endpoint_redis(struct wm_session *s, struct wm_redis_endpoint *ep, char *label, size_t size,
		  struct wm_err *err)
{
	const struct wm_target *t = wm_session_target(s);
	const char *addr = t->redis ? t->redis : WM_REDIS_DEFAULT;
	char hostport[300], out[256];
	bool is_unix;

	if (wm_redis_endpoint_parse(addr, ep, err) < 0)
		return -1;
	wm_redis_endpoint_format(ep, hostport, sizeof(hostport));
	if (!t->host) {
		snprintf(label, size, "%s", hostport);
		return 0;
	}
	if (wm_session_reach(s, hostport, NULL, out, sizeof(out), &is_unix, err) < 0)
		return -1;
	if (is_unix) {
		snprintf(ep->path, sizeof(ep->path), "%s", out);
		ep->host[0] = '\0';
	}
	snprintf(label, size, "%s via ssh %s", hostport, t->host);
	snprintf(ep->label, sizeof(ep->label), "%s", label);
	return 0;
}
