/* db.h - the PostgreSQL checks of wm-db (and of wm-run's ticks).
 *
 * Readiness (PQping, pg_isready's meanings), connect latency, connections
 * against max_connections, long-running and idle-in-transaction sessions,
 * the runbook's database test (tables in public, a timed query), query
 * latency from pg_stat_statements over the window since the previous sample,
 * and integrity: checksum failures, deadlocks, the rollback ratio, and
 * tables that must never shrink.
 *
 * Counters are cumulative since the statistics were reset or the server
 * started; the previous sample (a JSON document the caller keeps in the
 * state directory) gives the window.  A changed stats_reset or postmaster
 * start time means the window is "since the reset/restart".  As in cache.h,
 * metrics carry their runbook defaults and the caller evaluates them.
 */
#ifndef WM_DB_H
#define WM_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "base/err.h"
#include "clients/pg.h"
#include "conf/conf.h"
#include "model/result.h"

#define WM_DB_P95_WARN "~:0.5" /* runbook: DB p95 < 500 ms (metric in seconds) */
#define WM_DB_STATE_NAME "postgres"
#define WM_DB_LONG_QUERY_S 60.0 /* an active query older than this is long-running */
#define WM_DB_IDLE_XACT_S 300.0 /* idle in transaction longer than this holds locks */

struct wm_db_opts {
	struct wm_pg_params params;
	const char *label;	   /* how to name the server in summaries */
	char *const *never_shrink; /* tables whose row count must never drop */
	size_t nnever_shrink;
	bool reset_high_water; /* the operator accepts the current counts */
};

/* One never-shrink table as counted now. */
struct wm_db_table {
	const char *name;
	long long rows;
	int err;		  /* WM_EOK, WM_ENOTFOUND (no such table), or another code */
	char msg[WM_ERR_MSG_MAX]; /* why it could not be counted */
};

/* The cumulative facts the window checks need. */
struct wm_db_facts {
	struct wm_pg_dbstats db;
	bool have_db;
	char db_msg[WM_ERR_MSG_MAX]; /* why pg_stat_database could not be read */
	struct wm_db_table *tables;
	size_t ntables;
	struct wm_pg_stmt *stmts;
	size_t nstmts;
	bool have_stmts;
	char stmts_msg[WM_ERR_MSG_MAX]; /* why pg_stat_statements is unavailable */
	int stmts_err;			/* its error: WM_ENOTFOUND (not installed) or a failure */
	/* A never-shrink table is judged against its high-water mark, the most
	 * rows ever counted (the sample's "tables"), not against the last run,
	 * so a run missed by cron does not forget a loss; this takes the
	 * current counts as the new marks (wm-db --reset-high-water). */
	bool reset_high_water;
};

/* Ping, connect, query, and add the pg.* checks to r.  prev: the previous
 * sample or NULL; *next: the sample to save (NULL when none was taken).
 * Returns 0, or -1 on ENOMEM only. */
int wm_db_collect(struct wm_result *r, const struct wm_db_opts *o, const cJSON *prev, cJSON **next);

/* The pure part: pg.statements, pg.integrity and pg.data_loss from facts and
 * the previous sample at time now (unix ms).  Returns 0, or -1 on ENOMEM. */
int wm_db_evaluate(struct wm_result *r, const struct wm_db_facts *f, const cJSON *prev,
		   int64_t now_ms, const char *label, cJSON **next);

/* The statements of a sample ("statements": the previous run's cumulative
 * pg_stat_statements rows), and back: what wm-db and wm-perf keep.  Load:
 * malloc'd (NULL only when out of memory), *n 0 when there are none.
 * Save: -1 when out of memory. */
struct wm_pg_stmt *wm_db_stmts_load(const cJSON *prev, size_t *n);
int wm_db_stmts_save(cJSON *next, const struct wm_pg_stmt *st, size_t n);

struct wm_session;
/* The target's PostgreSQL as this process reaches it: the conninfo, host
 * and port overrides (a tunnel for a remote target), the password from
 * postgres_password_file (libpq reads PGPASSWORD, ~/.pgpass itself), the
 * session's budget as deadline and statement timeout; host, port and pw are
 * the caller's buffers that p points into.  -1 with err. */
int wm_db_params(struct wm_session *s, struct wm_pg_params *p, char *pw, size_t pwsize, char *host,
		 size_t hsize, char *port, size_t psize, char *label, size_t lsize,
		 struct wm_err *err);

#endif
