/* pg_query.c - the read-only queries behind wm-db (one function per fact). */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <stdint.h>
#include <time.h>

#include "base/duration.h"

#include "clients/pg.h"
#include "clients/pg_int.h"

/* Send sql and wait for its result until pg->deadline_ms: statement_timeout
 * bounds the server's work, but not a server or tunnel that stops answering,
 * so the client waits on the socket with poll() and gives up at the deadline
 * (WM_ETIMEDOUT; the connection, with a query in flight, is then unusable).
 * Without a deadline, libpq's blocking call as before. */
static PGresult *
exec_until(struct wm_pg *pg, const char *sql, int n, const char *const *params, bool *late)
{
	const struct wm_pq *pq = pg->pq;
	PGresult *res, *last = NULL;

	*late = false;
	if (pg->deadline_ms <= 0)
		return pq->execParams(pg->conn, sql, n, NULL, params, NULL, NULL, 0);
	if (!pq->sendQueryParams(pg->conn, sql, n, NULL, params, NULL, NULL, 0))
		return NULL;
	for (;;) {
		while (!pq->isBusy(pg->conn)) {
			res = pq->getResult(pg->conn);
			if (!res)
				return last;
			pq->clear(last);
			last = res;
		}
		int64_t left = pg->deadline_ms - wm_monotonic_ms();
		struct pollfd pfd = {.fd = pq->socket(pg->conn), .events = POLLIN};
		int rc;

		if (left <= 0 || pfd.fd < 0) {
			*late = left <= 0;
			break;
		}
		rc = poll(&pfd, 1, left > INT32_MAX ? INT32_MAX : (int)left);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0 || (rc > 0 && !pq->consumeInput(pg->conn)))
			break;
	}
	pq->clear(last);
	return NULL;
}

/* Run sql (tagged, with text parameters); a result with tuples, or NULL with
 * err: WM_ENOTFOUND for an undefined table or a pg_stat_statements that is
 * not loaded, WM_ETIMEDOUT for statement_timeout or no answer by the
 * deadline, WM_ECONN when the session broke, WM_EPROTO otherwise. */
static PGresult *
run(struct wm_pg *pg, const char *what, const char *sql, int n, const char *const *params,
    struct wm_err *err)
{
	PGresult *res;
	const char *state, *msg;
	int code = WM_EPROTO;
	bool late;

	if (pg->stuck) {
		wm_err_set(err, WM_ETIMEDOUT,
			   "%s on %s: not sent, an earlier query got no answer in time", what,
			   pg->where);
		return NULL;
	}
	res = exec_until(pg, sql, n, params, &late);
	if (late) {
		pg->stuck = true;
		wm_err_set(err, WM_ETIMEDOUT, "%s on %s: no answer in time", what, pg->where);
		return NULL;
	}
	if (res && pg->pq->resultStatus(res) == PGRES_TUPLES_OK)
		return res;
	state = res ? pg->pq->resultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	msg = res ? pg->pq->resultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (!msg)
		msg = pg->pq->errorMessage(pg->conn);
	if (state && (!strcmp(state, "42P01") || !strcmp(state, "55000")))
		code = WM_ENOTFOUND;
	else if (state && !strcmp(state, "57014"))
		code = WM_ETIMEDOUT;
	else if (pg->pq->status(pg->conn) != CONNECTION_OK)
		code = WM_ECONN;
	wm_err_set(err, code, "%s on %s: %.*s", what, pg->where, (int)strcspn(msg, "\n"), msg);
	pg->pq->clear(res);
	return NULL;
}

static double
num(const struct wm_pg *pg, const PGresult *res, int row, int col)
{
	const char *s;
	char *end;
	double v;

	if (row >= pg->pq->ntuples(res) || col >= pg->pq->nfields(res) ||
	    pg->pq->getisnull(res, row, col))
		return NAN;
	s = pg->pq->getvalue(res, row, col);
	errno = 0;
	v = strtod(s, &end);
	return errno || end == s ? NAN : v;
}

static long
lnum(const struct wm_pg *pg, const PGresult *res, int row, int col)
{
	double v = num(pg, res, row, col);

	return isnan(v) ? 0 : (long)v;
}

int
wm_pg_connections(struct wm_pg *pg, struct wm_pg_conns *out, struct wm_err *err)
{
	static const char sql[] =
	    WM_PG_TAG "SELECT count(*) FILTER (WHERE state = 'active'),"
		      " count(*) FILTER (WHERE state = 'idle'),"
		      " count(*) FILTER (WHERE state LIKE 'idle in transaction%'),"
		      " count(*) FILTER (WHERE state IS NULL OR state NOT IN ('active', 'idle')"
		      "   AND state NOT LIKE 'idle in transaction%'),"
		      " count(*), current_setting('max_connections')::int,"
		      " current_setting('superuser_reserved_connections')::int"
		      " FROM pg_stat_activity WHERE backend_type = 'client backend'";
	PGresult *res = run(pg, "counting connections", sql, 0, NULL, err);

	if (!res)
		return -1;
	out->active = lnum(pg, res, 0, 0);
	out->idle = lnum(pg, res, 0, 1);
	out->idle_in_xact = lnum(pg, res, 0, 2);
	out->other = lnum(pg, res, 0, 3);
	out->total = lnum(pg, res, 0, 4);
	out->max_connections = lnum(pg, res, 0, 5);
	out->superuser_reserved = lnum(pg, res, 0, 6);
	pg->pq->clear(res);
	return 0;
}

int
wm_pg_sessions(struct wm_pg *pg, double long_s, double idle_s, struct wm_pg_sessions *out,
	       struct wm_err *err)
{
	static const char sql[] = WM_PG_TAG
	    "SELECT count(*) FILTER (WHERE state = 'active' AND now() - query_start"
	    "   > make_interval(secs => $1::float8)),"
	    " coalesce(max(extract(epoch FROM now() - query_start))"
	    "   FILTER (WHERE state = 'active'), 0),"
	    " count(*) FILTER (WHERE state LIKE 'idle in transaction%' AND now() - state_change"
	    "   > make_interval(secs => $2::float8)),"
	    " coalesce(max(extract(epoch FROM now() - state_change))"
	    "   FILTER (WHERE state LIKE 'idle in transaction%'), 0)"
	    " FROM pg_stat_activity WHERE backend_type = 'client backend'"
	    " AND pid <> pg_backend_pid()";
	char a[32], b[32];
	const char *params[2] = {a, b};
	PGresult *res;

	snprintf(a, sizeof(a), "%.3f", long_s);
	snprintf(b, sizeof(b), "%.3f", idle_s);
	res = run(pg, "reading sessions", sql, 2, params, err);
	if (!res)
		return -1;
	out->long_running = lnum(pg, res, 0, 0);
	out->longest_s = num(pg, res, 0, 1);
	out->idle_in_xact = lnum(pg, res, 0, 2);
	out->longest_idle_s = num(pg, res, 0, 3);
	pg->pq->clear(res);
	return 0;
}

int
wm_pg_public_tables(struct wm_pg *pg, long *count, struct wm_err *err)
{
	static const char sql[] =
	    WM_PG_TAG "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'";
	PGresult *res = run(pg, "counting public tables", sql, 0, NULL, err);

	if (!res)
		return -1;
	*count = lnum(pg, res, 0, 0);
	pg->pq->clear(res);
	return 0;
}

int
wm_pg_probe(struct wm_pg *pg, double *ms, struct wm_err *err)
{
	struct timespec a, b;
	PGresult *res;

	clock_gettime(CLOCK_MONOTONIC, &a);
	res = run(pg, "probe query", WM_PG_TAG "SELECT 1", 0, NULL, err);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (!res)
		return -1;
	*ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	pg->pq->clear(res);
	return 0;
}

static void
text(const struct wm_pg *pg, const PGresult *res, int col, char *buf, size_t size)
{
	snprintf(buf, size, "%s",
		 pg->pq->getisnull(res, 0, col) ? "" : pg->pq->getvalue(res, 0, col));
}

int
wm_pg_dbstats(struct wm_pg *pg, struct wm_pg_dbstats *out, struct wm_err *err)
{
	static const char sql[] =
	    WM_PG_TAG "SELECT xact_commit, xact_rollback, deadlocks, checksum_failures,"
		      " stats_reset, pg_postmaster_start_time()"
		      " FROM pg_stat_database WHERE datname = current_database()";
	PGresult *res = run(pg, "reading pg_stat_database", sql, 0, NULL, err);

	if (!res)
		return -1;
	if (pg->pq->ntuples(res) != 1) {
		pg->pq->clear(res);
		return wm_err_set(err, WM_EPROTO, "pg_stat_database has no row for %s", pg->where);
	}
	out->xact_commit = num(pg, res, 0, 0);
	out->xact_rollback = num(pg, res, 0, 1);
	out->deadlocks = num(pg, res, 0, 2);
	out->checksum_failures = num(pg, res, 0, 3);
	text(pg, res, 4, out->stats_reset, sizeof(out->stats_reset));
	text(pg, res, 5, out->postmaster_start, sizeof(out->postmaster_start));
	pg->pq->clear(res);
	return 0;
}

/* "schema.table" or "table" as quoted identifiers into buf. */
static int
quote_table(struct wm_pg *pg, const char *table, char *buf, size_t size, struct wm_err *err)
{
	const char *dot = strchr(table, '.');
	char *a = NULL, *b = NULL;
	int rc = 0;

	if (!*table || (dot && (dot == table || !dot[1] || strchr(dot + 1, '.'))))
		return wm_err_set(err, WM_EINVAL, "bad table name '%s'", table);
	a = pg->pq->escapeIdentifier(pg->conn, table, dot ? (size_t)(dot - table) : strlen(table));
	if (dot)
		b = pg->pq->escapeIdentifier(pg->conn, dot + 1, strlen(dot + 1));
	if (!a || (dot && !b))
		rc = wm_err_set(err, WM_EINVAL, "bad table name '%s'", table);
	else if ((size_t)snprintf(buf, size, "%s%s%s", a, b ? "." : "", b ? b : "") >= size)
		rc = wm_err_set(err, WM_EINVAL, "table name too long '%s'", table);
	pg->pq->freemem(a);
	pg->pq->freemem(b);
	return rc;
}

int
wm_pg_table_rows(struct wm_pg *pg, const char *table, long long *rows, struct wm_err *err)
{
	char quoted[300], sql[400];
	PGresult *res;

	if (quote_table(pg, table, quoted, sizeof(quoted), err) < 0)
		return -1;
	snprintf(sql, sizeof(sql), WM_PG_TAG "SELECT count(*) FROM %s", quoted);
	res = run(pg, "counting rows", sql, 0, NULL, err);
	if (!res)
		return -1;
	*rows = (long long)num(pg, res, 0, 0);
	pg->pq->clear(res);
	return 0;
}

int
wm_pg_statements(struct wm_pg *pg, struct wm_pg_stmt **out, size_t *n, struct wm_err *err)
{
	/* PG 13 renamed total_time/stddev_time to total_exec_time/stddev_exec_time. */
	bool old = pg->pq->serverVersion(pg->conn) < 130000;
	char sql[600];
	struct wm_pg_stmt *s;
	PGresult *res;
	int rows;

	snprintf(sql, sizeof(sql),
		 WM_PG_TAG
		 "SELECT userid::text || ':' || dbid::text || ':' || queryid::text, calls, %s, %s,"
		 " left(regexp_replace(query, '\\s+', ' ', 'g'), 120)"
		 " FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database"
		 " WHERE datname = current_database()) AND queryid IS NOT NULL"
		 " AND query NOT LIKE '/* warunginmon */%%' ORDER BY calls DESC LIMIT %d",
		 old ? "total_time" : "total_exec_time", old ? "stddev_time" : "stddev_exec_time",
		 WM_PG_STMTS_MAX);
	res = run(pg, "reading pg_stat_statements", sql, 0, NULL, err);
	if (!res)
		return -1;
	rows = pg->pq->ntuples(res);
	s = calloc(rows ? (size_t)rows : 1, sizeof(*s));
	if (!s) {
		pg->pq->clear(res);
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	}
	for (int i = 0; i < rows; i++) {
		double sd = num(pg, res, i, 3);

		snprintf(s[i].key, sizeof(s[i].key), "%s", pg->pq->getvalue(res, i, 0));
		s[i].calls = num(pg, res, i, 1);
		s[i].total_ms = num(pg, res, i, 2);
		if (isnan(s[i].calls) || isnan(s[i].total_ms))
			s[i].calls = s[i].total_ms = 0;
		if (isnan(sd))
			sd = 0;
		/* population stddev: sum x^2 = n (sd^2 + mean^2) */
		s[i].sumsq_ms2 = s[i].calls > 0 ? s[i].calls * sd * sd +
						      s[i].total_ms * s[i].total_ms / s[i].calls
						: 0;
		snprintf(s[i].query, sizeof(s[i].query), "%s", pg->pq->getvalue(res, i, 4));
	}
	pg->pq->clear(res);
	*out = s;
	*n = (size_t)rows;
	return 0;
}
