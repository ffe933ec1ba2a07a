/* endpoint.c - where this process reaches a target's Redis and PostgreSQL. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint.h"

struct wm_endpoints {
	struct wm_config *cfg;
	struct wm_target *t;	/* our copy, -H applied */
	double timeout_s;
};

struct wm_endpoints *
wm_endpoints_open(const char *config, const char *target, const char *hostspec,
		  double timeout_s, struct wm_err *err)
{
	struct wm_endpoints *e = calloc(1, sizeof(*e));
	const struct wm_target *t;

	if (!e) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		return NULL;
	}
	e->timeout_s = timeout_s;
	e->cfg = wm_config_load(config, err);
	if (!e->cfg)
		goto out_close;
	t = wm_config_target(e->cfg, target, err);
	if (!t)
		goto out_close;
	e->t = wm_target_dup(t);
	if (!e->t) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		goto out_close;
	}
	if (hostspec && wm_target_from_hostspec(e->t, hostspec, err) < 0)
		goto out_close;
	return e;

out_close:
	wm_endpoints_close(e);
	return NULL;
}

void
wm_endpoints_close(struct wm_endpoints *e)
{
	if (!e)
		return;
	wm_target_free(e->t);
	wm_config_free(e->cfg);
	free(e);
}

const struct wm_target *
wm_endpoints_target(const struct wm_endpoints *e)
{
	return e->t;
}

const struct wm_config *
wm_endpoints_config(const struct wm_endpoints *e)
{
	return e->cfg;
}

static int
remote_unsupported(const struct wm_endpoints *e, struct wm_err *err)
{
	return wm_err_set(err, WM_ECONFIG, "target '%s' is remote (%s): the SSH tunnel is not "
			  "available in this build", e->t->name, e->t->host);
}

int
wm_endpoints_redis(struct wm_endpoints *e, struct wm_redis_endpoint *ep, char *label,
		   size_t size, struct wm_err *err)
{
	const char *addr = e->t->redis ? e->t->redis : WM_REDIS_DEFAULT;

	if (wm_redis_endpoint_parse(addr, ep, err) < 0)
		return -1;
	if (e->t->host)
		return remote_unsupported(e, err);
	wm_redis_endpoint_format(ep, label, size);
	return 0;
}

int
wm_endpoints_pg(struct wm_endpoints *e, char *host, size_t hsize, char *port, size_t psize,
		char *label, size_t lsize, struct wm_err *err)
{
	host[0] = port[0] = '\0';
	if (e->t->host)
		return remote_unsupported(e, err);
	snprintf(label, lsize, "%s", "PostgreSQL");
	return 0;
}

enum wm_state
wm_endpoints_failure_state(const struct wm_err *e)
{
	switch (e->code) {
	case WM_EAUTH:
	case WM_EINVAL:
	case WM_ECONFIG:
	case WM_ENOMEM:
	case WM_EPERM:
	case WM_EHOSTKEY:
	case WM_EIO:
		return WM_UNKNOWN;
	default:
		return WM_CRITICAL;
	}
}

int
wm_endpoints_fail(struct wm_result *r, const char *name, const struct wm_err *e)
{
	struct wm_check *c = wm_result_add_check(r, name);

	if (!c)
		return -1;
	wm_check_set(c, wm_endpoints_failure_state(e), "%s", e->msg);
	cJSON_AddStringToObject(wm_check_data(c), "error", wm_err_name(e->code));
	return 0;
}
