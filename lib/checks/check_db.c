/* check_db.c - the db check unit: the secret, the endpoint, the timeouts
 * and the sample around wm_db_collect (lib/checks/db_collect.c). */
#include "config.h"

#include <string.h>

#include "checks/checks.h"
#include "conf/conf.h"
#include "checks/db.h"
#include "base/duration.h"
#include "session/endpoint.h"

int
wm_db_run(struct wm_session *s, const struct wm_db_check_opts *o, struct wm_result *r)
{
	const struct wm_target *t = wm_session_target(s);
	int64_t budget = wm_session_budget_ms(s, 0);
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

	/* The file only: libpq reads PGPASSWORD, ~/.pgpass and PGPASSFILE itself. */
	if (wm_secret_get(t, t->postgres_password_file, NULL, pw, sizeof(pw), &err) < 0 ||
	    wm_endpoint_pg(s, host, sizeof(host), port, sizeof(port), label, sizeof(label), &err) <
		0)
		return wm_result_unknown(r, "pg.ready", &err);
	dbo.params.conninfo = t->postgres;
	dbo.params.host = host[0] ? host : NULL;
	dbo.params.port = port[0] ? port : NULL;
	dbo.params.password = pw[0] ? pw : NULL;
	dbo.params.deadline_ms = wm_monotonic_ms() + budget;
	dbo.params.statement_timeout_ms = (int)budget;
	prev = wm_session_sample_load(s, WM_DB_STATE_NAME);
	rc = wm_db_collect(r, &dbo, prev, &next);
	memset(pw, 0, sizeof(pw));
	if (rc == 0)
		wm_session_sample_save(s, WM_DB_STATE_NAME, next);
	cJSON_Delete(prev);
	cJSON_Delete(next);
	return rc;
}
