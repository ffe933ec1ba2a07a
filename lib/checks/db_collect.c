/* db_collect.c - talk to PostgreSQL (ping, connect, read-only queries) and
 * hand the cumulative facts to wm_db_evaluate. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/db.h"
#include "base/duration.h"
#include "session/endpoint.h"

static int
check_ready(struct wm_result *r, const struct wm_db_opts *o, enum wm_pg_ping *ping)
{
	struct wm_check *c = wm_result_add_check(r, "pg.ready");
	static const enum wm_state states[] = {WM_OK, WM_CRITICAL, WM_CRITICAL, WM_UNKNOWN};
	struct wm_err why = {0};

	if (!c)
		return -1;
	*ping = wm_pg_ping_why(&o->params, &why);
	if (why.code) /* the name did not resolve: the server was never asked */
		wm_check_set(c, wm_err_state(&why), "%s: %s", o->label, why.msg);
	else
		wm_check_set(c, states[*ping], "%s: %s%s", o->label, wm_pg_ping_name(*ping),
			     *ping == WM_PG_PING_NO_ATTEMPT ? " (bad connection parameters)" : "");
	cJSON_AddNumberToObject(wm_check_data(c), "pg_isready", (double)*ping);
	return 0;
}

static int
check_connections(struct wm_result *r, struct wm_pg *pg)
{
	struct wm_err err = {0};
	struct wm_pg_conns n;
	struct wm_metric *m, *pct;
	struct wm_check *c;
	double usable;

	if (wm_pg_connections(pg, &n, &err) < 0)
		return wm_result_fail(r, "pg.connections", &err);
	c = wm_result_add_check(r, "pg.connections");
	usable = (double)(n.max_connections - n.superuser_reserved);
	if (!c || !(m = wm_check_add_metric(c, "connections", (double)n.total, "")) ||
	    !(pct =
		  wm_check_add_metric(c, "connections_used",
				      usable > 0 ? 100.0 * (double)n.total / usable : NAN, "%")) ||
	    wm_metric_set_thresholds(pct, "80", "95") < 0)
		return -1;
	m->max = (double)n.max_connections;
	wm_check_set(c, WM_OK,
		     "%ld of %ld connections (%ld reserved for superusers): %ld active, "
		     "%ld idle, %ld idle in transaction",
		     n.total, n.max_connections, n.superuser_reserved, n.active, n.idle,
		     n.idle_in_xact);
	return 0;
}

static int
check_sessions(struct wm_result *r, struct wm_pg *pg)
{
	struct wm_err err = {0};
	struct wm_pg_sessions s;
	struct wm_metric *a, *b;
	struct wm_check *c;

	if (wm_pg_sessions(pg, WM_DB_LONG_QUERY_S, WM_DB_IDLE_XACT_S, &s, &err) < 0)
		return wm_result_fail(r, "pg.sessions", &err);
	c = wm_result_add_check(r, "pg.sessions");
	if (!c || !(a = wm_check_add_metric(c, "long_running", (double)s.long_running, "")) ||
	    !(b = wm_check_add_metric(c, "idle_in_transaction", (double)s.idle_in_xact, "")) ||
	    wm_metric_set_thresholds(a, "0", NULL) < 0 ||
	    wm_metric_set_thresholds(b, "0", NULL) < 0)
		return -1;
	wm_check_set(c, WM_OK,
		     "%ld queries running over %.0fs (longest %.1fs), %ld sessions idle "
		     "in transaction over %.0fs (longest %.1fs)",
		     s.long_running, WM_DB_LONG_QUERY_S, s.longest_s, s.idle_in_xact,
		     WM_DB_IDLE_XACT_S, s.longest_idle_s);
	return 0;
}

/* The runbook's database test: the public tables are there, a query answers. */
static int
check_query(struct wm_result *r, struct wm_pg *pg)
{
	struct wm_err err = {0};
	struct wm_metric *t;
	struct wm_check *c;
	double ms = 0;
	long tables = 0;

	if (wm_pg_probe(pg, &ms, &err) < 0 || wm_pg_public_tables(pg, &tables, &err) < 0)
		return wm_result_fail(r, "pg.query", &err);
	c = wm_result_add_check(r, "pg.query");
	if (!c || !wm_check_add_metric(c, "probe_time", ms, "ms") ||
	    !(t = wm_check_add_metric(c, "public_tables", (double)tables, "")) ||
	    wm_metric_set_thresholds(t, NULL, "1:") < 0)
		return -1;
	wm_check_set(c, WM_OK, "SELECT 1 in %.1f ms; %ld tables in schema public", ms, tables);
	return 0;
}

static void
gather(struct wm_pg *pg, const struct wm_db_opts *o, struct wm_db_facts *f)
{
	struct wm_err err = {0};

	f->have_db = wm_pg_dbstats(pg, &f->db, &err) == 0;
	if (!f->have_db)
		snprintf(f->db_msg, sizeof(f->db_msg), "%s", err.msg);
	for (size_t i = 0; f->tables && i < o->nnever_shrink; i++) {
		struct wm_db_table *t = &f->tables[f->ntables++];

		t->name = o->never_shrink[i];
		memset(&err, 0, sizeof(err));
		if (wm_pg_table_rows(pg, t->name, &t->rows, &err) < 0) {
			t->err = err.code ? err.code : WM_EIO;
			snprintf(t->msg, sizeof(t->msg), "%s", err.msg);
		}
	}
	memset(&err, 0, sizeof(err));
	f->have_stmts = wm_pg_statements(pg, &f->stmts, &f->nstmts, &err) == 0;
	f->stmts_err = f->have_stmts ? 0 : err.code ? err.code : WM_EIO;
	if (!f->have_stmts)
		snprintf(f->stmts_msg, sizeof(f->stmts_msg), "%s",
			 err.code == WM_ENOTFOUND
			     ? "the pg_stat_statements extension is not "
			       "installed in this database (or not in shared_preload_libraries)"
			     : err.msg);
}

int
wm_db_collect(struct wm_result *r, const struct wm_db_opts *o, const cJSON *prev, cJSON **next)
{
	struct wm_db_facts f;
	struct wm_err err = {0};
	enum wm_pg_ping ping;
	struct wm_check *c;
	struct wm_pg *pg;
	double ms = 0;
	int rc = -1;

	*next = NULL;
	memset(&f, 0, sizeof(f));
	if (check_ready(r, o, &ping) < 0)
		return -1;
	if (ping != WM_PG_PING_OK)
		return 0;
	pg = wm_pg_connect(&o->params, &ms, &err);
	if (!pg) {
		wm_err_prefix(&err, "connecting to %s", o->label);
		return wm_result_fail(r, "pg.connect", &err);
	}
	c = wm_result_add_check(r, "pg.connect");
	if (!c || !wm_check_add_metric(c, "connect_time", ms, "ms"))
		goto out_free_pg;
	wm_check_set(c, WM_OK, "connected to %s in %.1f ms", o->label, ms);
	f.tables = calloc(o->nnever_shrink ? o->nnever_shrink : 1, sizeof(*f.tables));
	if (!f.tables || check_connections(r, pg) < 0 || check_sessions(r, pg) < 0 ||
	    check_query(r, pg) < 0)
		goto out_free_facts;
	gather(pg, o, &f);
	f.reset_high_water = o->reset_high_water;
	rc = wm_db_evaluate(r, &f, prev, wm_now_ms(), o->label, next);

out_free_facts:
	free(f.tables);
	free(f.stmts);
out_free_pg:
	wm_pg_free(pg);
	return rc;
}
