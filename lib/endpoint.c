/* endpoint.c - where this process reaches a target's Redis and PostgreSQL. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint.h"
#include "endpoint_int.h"
#include "target.h"


struct wm_endpoints *
wm_endpoints_open(struct wm_cli *cli, struct wm_err *err)
{
	struct wm_endpoints *e = calloc(1, sizeof(*e));
	const struct wm_target *t;

	if (!e) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		return NULL;
	}
	e->cfg = wm_config_load(cli->config, err);
	if (!e->cfg)
		goto out_close;
	wm_cli_config_timeout(cli, e->cfg);
	e->timeout_s = cli->timeout;
	t = wm_config_target(e->cfg, cli->target, err);
	if (!t)
		goto out_close;
	e->t = wm_target_dup(t);
	if (!e->t) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		goto out_close;
	}
	if (cli->host && wm_target_from_hostspec(e->t, cli->host, err) < 0)
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
	wm_target_close(e->conn);
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

int
wm_endpoints_reach(struct wm_endpoints *e, const char *hostport, const char *sockname, char *out,
		   size_t size, bool *is_unix, struct wm_err *err)
{
	if (!e->conn) {
		e->conn = wm_target_connect(e->t, (long)(e->timeout_s * 1000));
		if (!e->conn)
			return wm_err_set(err, WM_ENOMEM, "out of memory");
	}
	if (!wm_target_ok(e->conn) ||
	    wm_target_tcp_endpoint(e->conn, hostport, sockname, out, size, is_unix) < 0) {
		*err = e->conn->err;
		return -1;
	}
	return 0;
}

int
wm_endpoints_redis(struct wm_endpoints *e, struct wm_redis_endpoint *ep, char *label,
		   size_t size, struct wm_err *err)
{
	const char *addr = e->t->redis ? e->t->redis : WM_REDIS_DEFAULT;
	char hostport[300], out[256];
	bool is_unix;

	if (wm_redis_endpoint_parse(addr, ep, err) < 0)
		return -1;
	wm_redis_endpoint_format(ep, hostport, sizeof(hostport));
	if (!e->t->host) {
		snprintf(label, size, "%s", hostport);
		return 0;
	}
	if (wm_endpoints_reach(e, hostport, NULL, out, sizeof(out), &is_unix, err) < 0)
		return -1;
	if (is_unix) {
		snprintf(ep->path, sizeof(ep->path), "%s", out);
		ep->host[0] = '\0';
	}
	snprintf(label, size, "%s via ssh %s", hostport, e->t->host);
	snprintf(ep->label, sizeof(ep->label), "%s", label);
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

static int
add_failure(struct wm_result *r, const char *name, enum wm_state state, const struct wm_err *e)
{
	struct wm_check *c = wm_result_add_check(r, name);

	if (!c)
		return -1;
	wm_check_set(c, state, "%s", e->msg);
	cJSON_AddStringToObject(wm_check_data(c), "error", wm_err_name(e->code));
	return 0;
}

int
wm_endpoints_fail(struct wm_result *r, const char *name, const struct wm_err *e)
{
	return add_failure(r, name, wm_endpoints_failure_state(e), e);
}

int
wm_endpoints_unknown(struct wm_result *r, const char *name, const struct wm_err *e)
{
	return add_failure(r, name, WM_UNKNOWN, e);
}
