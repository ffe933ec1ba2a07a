/* endpoint.c - where this process reaches a target's Redis and PostgreSQL. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "endpoint.h"
#include "target.h"

struct wm_endpoints {
	struct wm_config *cfg;
	struct wm_target *t;	/* our copy, -H applied */
	double timeout_s;
	struct wm_target_conn *conn;	/* opened on first use */
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

/* Where this process connects for hostport (as seen from the target):
 * itself locally, a tunnel socket through the target's SSH session. */
static int
reach(struct wm_endpoints *e, const char *hostport, const char *sockname, char *out,
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
	if (reach(e, hostport, NULL, out, sizeof(out), &is_unix, err) < 0)
		return -1;
	if (is_unix) {
		snprintf(ep->path, sizeof(ep->path), "%s", out);
		ep->host[0] = '\0';
	}
	snprintf(label, size, "%s via ssh %s", hostport, e->t->host);
	snprintf(ep->label, sizeof(ep->label), "%s", label);
	return 0;
}

/* host and port of a conninfo; a unix socket directory or nothing means the
 * target's loopback (only TCP is tunnelled; a local target still uses the
 * conninfo as it is, this is only its name then). */
static int
conninfo_hostport(const char *conninfo, char *host, size_t hsize, char *port, size_t psize,
		  char *db, size_t dsize, struct wm_err *err)
{
	PQconninfoOption *opts, *o;
	char *msg = NULL;

	snprintf(host, hsize, "127.0.0.1");
	snprintf(port, psize, "5432");
	snprintf(db, dsize, "%s", "");
	opts = PQconninfoParse(conninfo ? conninfo : "", &msg);
	if (!opts) {
		wm_err_set(err, WM_ECONFIG, "bad postgres conninfo: %.*s",
			   msg ? (int)strcspn(msg, "\n") : 13, msg ? msg : "out of memory");
		PQfreemem(msg);
		return -1;
	}
	for (o = opts; o->keyword; o++) {
		if (!o->val || !*o->val)
			continue;
		if (!strcmp(o->keyword, "host") && o->val[0] != '/' && !strchr(o->val, ','))
			snprintf(host, hsize, "%s", o->val);
		else if (!strcmp(o->keyword, "port") && !strchr(o->val, ','))
			snprintf(port, psize, "%s", o->val);
		else if (!strcmp(o->keyword, "dbname"))
			snprintf(db, dsize, "/%s", o->val);
	}
	PQconninfoFree(opts);
	return 0;
}

int
wm_endpoints_pg(struct wm_endpoints *e, char *host, size_t hsize, char *port, size_t psize,
		char *label, size_t lsize, struct wm_err *err)
{
	char rhost[256], rport[16], db[80], hostport[300], sockname[32], out[256], *slash;
	bool is_unix;

	host[0] = port[0] = '\0';
	if (conninfo_hostport(e->t->postgres, rhost, sizeof(rhost), rport, sizeof(rport), db,
			      sizeof(db), err) < 0)
		return -1;
	if (!e->t->host) {
		snprintf(label, lsize, strchr(rhost, ':') ? "PostgreSQL [%s]:%s%s" : "PostgreSQL %s:%s%s",
			 rhost, rport, db);
		return 0;
	}
	snprintf(hostport, sizeof(hostport), strchr(rhost, ':') ? "[%s]:%s" : "%s:%s", rhost,
		 rport);
	snprintf(sockname, sizeof(sockname), ".s.PGSQL.%s", rport);
	if (reach(e, hostport, sockname, out, sizeof(out), &is_unix, err) < 0)
		return -1;
	/* libpq takes the socket's directory as host and finds .s.PGSQL.<port> in it. */
	slash = strrchr(out, '/');
	if (!is_unix || !slash)
		return wm_err_set(err, WM_EIO, "no tunnel socket for %s", hostport);
	*slash = '\0';
	snprintf(host, hsize, "%s", out);
	snprintf(port, psize, "%s", rport);
	snprintf(label, lsize, "PostgreSQL %s%s via ssh %s", hostport, db, e->t->host);
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
