/* smoke_probe.c - wm-smoke's database and cache steps: the wm-db probe (a
 * read-only count of the public tables) and the wm-cache SET/GET/DEL round
 * trip, through the session's tunnels like wm-db and wm-cache, instead of
 * the runbook's `sudo psql` and `redis-cli GET test_key || echo 'Cache
 * operational'` (smoke_int.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/duration.h"
#include "checks/cache.h"
#include "checks/db.h"
#include "checks/smoke_int.h"

int
smoke_db_step(struct smoke_run *run, const struct wm_smoke_step *st, struct smoke_out *out)
{
	int64_t t0 = wm_monotonic_ms();
	struct wm_err err = {0};
	struct wm_pg_params params;
	char pw[WM_SECRET_MAX], host[256], port[16], label[300];
	struct wm_pg *pg;
	double connect_ms = 0, query_ms = 0;
	long tables = 0;

	out->where = wm_session_is_remote(run->s) ? "SSH tunnel" : "direct";
	out->tunnel = wm_session_is_remote(run->s);
	if (wm_db_params(run->s, &params, pw, sizeof(pw), host, sizeof(host), port, sizeof(port),
			 label, sizeof(label), &err) < 0) {
		memset(pw, 0, sizeof(pw));
		smoke_say(run, out, WM_UNKNOWN, "PostgreSQL: %s", err.msg);
		return err.code == WM_ENOMEM ? -1 : 0;
	}
	snprintf(out->label, sizeof(out->label), "%s", label);
	smoke_log(run, WM_LOG_VERBOSE, "step %s: %s", st->spec->name, label);
	pg = wm_pg_connect(&params, &connect_ms, &err);
	memset(pw, 0, sizeof(pw));
	if (!pg || wm_pg_probe(pg, &query_ms, &err) < 0 ||
	    wm_pg_public_tables(pg, &tables, &err) < 0) {
		wm_pg_free(pg);
		if (wm_err_state(&err) != WM_UNKNOWN) /* nothing timed when nothing was asked */
			out->ms = (double)(wm_monotonic_ms() - t0);
		smoke_say(run, out, wm_err_state(&err), "%s: %s", label, err.msg);
		return err.code == WM_ENOMEM ? -1 : 0;
	}
	wm_pg_free(pg);
	out->ms = (double)(wm_monotonic_ms() - t0);
	smoke_say(run, out, tables > 0 ? WM_OK : WM_CRITICAL,
		  "%s: %ld tables in schema public, SELECT 1 in %.1f ms (connect %.1f, "
		  "total %.1f ms%s)",
		  label, tables, query_ms, connect_ms, out->ms,
		  out->tunnel ? "; through the SSH tunnel" : "");
	return 0;
}

int
smoke_cache_step(struct smoke_run *run, const struct wm_smoke_step *st, struct smoke_out *out)
{
	int64_t t0 = wm_monotonic_ms();
	struct wm_err err = {0};
	struct wm_cache_conn c;
	struct wm_redis *redis;
	double ms = 0;
	char key[300];

	out->where = wm_session_is_remote(run->s) ? "SSH tunnel" : "direct";
	out->tunnel = wm_session_is_remote(run->s);
	if (wm_cache_conn_params(run->s, &c, &err) < 0) {
		memset(c.pw, 0, sizeof(c.pw));
		smoke_say(run, out, WM_UNKNOWN, "Redis: %s", err.msg);
		return err.code == WM_ENOMEM ? -1 : 0;
	}
	snprintf(out->label, sizeof(out->label), "%s", c.label);
	smoke_log(run, WM_LOG_VERBOSE, "step %s: Redis %s", st->spec->name, c.label);
	redis = wm_redis_connect(&c.ep, c.pw[0] ? c.pw : NULL,
				 (int)wm_session_budget_ms(run->s, run->timeout_ms), &err);
	memset(c.pw, 0, sizeof(c.pw));
	wm_redis_probe_key(key, sizeof(key));
	if (!redis || wm_redis_probe(redis, key, 60, &ms, &err) < 0) {
		char why[200];

		wm_redis_free(redis);
		if (wm_err_state(&err) != WM_UNKNOWN)
			out->ms = (double)(wm_monotonic_ms() - t0);
		/* over SSH, hiredis only sees its connection closed */
		if (c.ep.path[0] && wm_session_tunnel_refused(run->s, c.ep.path, why, sizeof why))
			smoke_say(run, out, wm_err_state(&err),
				  "Redis %s: the SSH server could not connect to it (%s)", c.label,
				  why);
		else
			smoke_say(run, out, wm_err_state(&err), "Redis %s: %s", c.label, err.msg);
		return err.code == WM_ENOMEM ? -1 : 0;
	}
	wm_redis_free(redis);
	out->ms = (double)(wm_monotonic_ms() - t0);
	smoke_say(run, out, WM_OK, "Redis %s: SET/GET/DEL round trip in %.1f ms (total %.1f ms%s)",
		  c.label, ms, out->ms, out->tunnel ? "; through the SSH tunnel" : "");
	return 0;
}
