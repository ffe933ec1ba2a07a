/* check_db.c - the db check unit: the secret, the endpoint, the timeouts
 * and the sample around wm_db_collect (lib/checks/db_collect.c). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "checks/checks.h"
#include "conf/conf.h"
#include "checks/db.h"
#include "base/duration.h"
#include "session/endpoint.h"

int
wm_db_params(struct wm_session *s, struct wm_pg_params *p, char *pw, size_t pwsize, char *host,
	     size_t hsize, char *port, size_t psize, char *label, size_t lsize, struct wm_err *err)
{
	const struct wm_target *t = wm_session_target(s);
	int64_t budget = wm_session_budget_ms(s, 0);

	/* The file only: libpq reads PGPASSWORD, ~/.pgpass and PGPASSFILE itself. */
	if (wm_secret_get(t, t->postgres_password_file, NULL, pw, pwsize, err) < 0 ||
	    wm_endpoint_pg(s, host, hsize, port, psize, label, lsize, err) < 0)
		return -1;
	memset(p, 0, sizeof(*p));
	p->conninfo = t->postgres;
	p->host = host[0] ? host : NULL;
	p->port = port[0] ? port : NULL;
	p->password = pw[0] ? pw : NULL;
	p->deadline_ms = wm_monotonic_ms() + budget;
	p->statement_timeout_ms = (int)budget;
	return 0;
}

/* Over SSH a PostgreSQL that does not listen is a channel the SSH server
 * could not open: libpq only sees its connection closed ("no response").
 * Say what really happened. */
static void
tunnel_why(struct wm_session *s, const char *host, const char *port, const char *label,
	   struct wm_result *r)
{
	struct wm_check *k = wm_result_find_check(r, "pg.ready");
	char local[400], why[200];

	snprintf(local, sizeof local, "%s/.s.PGSQL.%s", host, port);
	if (k && k->state != WM_OK && wm_session_is_remote(s) && host[0] == '/' &&
	    wm_session_tunnel_refused(s, local, why, sizeof why))
		wm_check_set(k, k->state,
			     "%s: no response: the SSH server could not connect to it (%s)", label,
			     why);
}

int
wm_db_run(struct wm_session *s, const struct wm_db_check_opts *o, struct wm_result *r)
{
	const struct wm_target *t = wm_session_target(s);
	char pw[WM_SECRET_MAX], host[256], port[16], label[300];
	struct wm_db_opts dbo = {
	    .never_shrink = t->never_shrink,
	    .nnever_shrink = t->nnever_shrink,
	    .label = label,
	    .reset_high_water = o->reset_high_water,
	};
	struct wm_err err = {0};
	cJSON *prev, *next = NULL;
	int rc;

	if (wm_db_params(s, &dbo.params, pw, sizeof(pw), host, sizeof(host), port, sizeof(port),
			 label, sizeof(label), &err) < 0)
		return wm_result_unknown(r, "pg.ready", &err);
	prev = wm_session_sample_load(s, WM_DB_STATE_NAME);
	rc = wm_db_collect(r, &dbo, prev, &next);
	memset(pw, 0, sizeof(pw));
	if (rc == 0)
		tunnel_why(s, host, port, label, r);
	if (rc == 0)
		wm_session_sample_save(s, WM_DB_STATE_NAME, next);
	cJSON_Delete(prev);
	cJSON_Delete(next);
	return rc;
}
