/* pg.h - a read-only PostgreSQL client over libpq, and the facts wm-db reads.
 *
 * Every session is opened with connect_timeout and the server options
 * "-c statement_timeout=N -c default_transaction_read_only=on", so nothing
 * it runs can write or hang.  Passwords come from the caller (a password
 * file), or from libpq itself (PGPASSWORD, ~/.pgpass, PGPASSFILE); never
 * from a command line.  Our own statements start with the comment
 * WM_PG_TAG so they can be told apart in pg_stat_statements.
 */
#ifndef WM_PG_H
#define WM_PG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define WM_PG_TAG "/* warunginmon */ "
#define WM_PG_STMTS_MAX 1000 /* pg_stat_statements rows read per sample */

/* PQping's answers, with pg_isready's meanings and exit codes (0..3). */
enum wm_pg_ping {
	WM_PG_PING_OK = 0,	    /* accepting connections */
	WM_PG_PING_REJECT = 1,	    /* alive but rejecting connections */
	WM_PG_PING_NO_RESPONSE = 2, /* could not establish a connection */
	WM_PG_PING_NO_ATTEMPT = 3,  /* connection not attempted (bad parameters) */
};

/* How to reach the server: conninfo (keyword=value or URI, may be NULL or "")
 * with host and port overridden when set (the SSH tunnel: host is then the
 * directory of the socket ".s.PGSQL.<port>"). */
struct wm_pg_params {
	const char *conninfo;
	const char *host;     /* NULL: keep conninfo's */
	const char *port;     /* NULL: keep conninfo's */
	const char *password; /* NULL: libpq's own sources */
	int64_t deadline_ms;  /* CLOCK_MONOTONIC ms (wm_monotonic_ms): ping and
			       * connect give up then; 0: libpq's connect_timeout */
	int statement_timeout_ms;
};

/* pg_isready's words for a ping answer: "accepting connections", ... */
const char *wm_pg_ping_name(enum wm_pg_ping p);
/* PQpingParams's answer, but bounded by p->deadline_ms (no answer in time:
 * WM_PG_PING_NO_RESPONSE). */
enum wm_pg_ping wm_pg_ping(const struct wm_pg_params *p);
/* The same; why (may be NULL) gets WM_ENOHOST naming the host when the answer
 * is NO_RESPONSE because the host name did not resolve (or the resolver did
 * not answer by the deadline): the server was never asked, which the caller
 * reports as UNKNOWN, not as a server that does not respond. */
enum wm_pg_ping wm_pg_ping_why(const struct wm_pg_params *p, struct wm_err *why);

struct wm_pg;

/* Connect; *connect_ms is the time it took.  NULL with err (the server's
 * one-line answer, without libpq's "connection to server ... failed:" and
 * "FATAL:", for the caller to prefix with its name): WM_EAUTH (password
 * refused or missing), WM_ECONN (refused, too many clients, shutting down),
 * WM_ETIMEDOUT (no answer by p->deadline_ms), WM_ENOHOST (the host name did
 * not resolve), WM_ECONFIG (bad conninfo, unknown database or role). */
struct wm_pg *wm_pg_connect(const struct wm_pg_params *p, double *connect_ms, struct wm_err *err);
void wm_pg_free(struct wm_pg *pg);
/* "127.0.0.1:5432/warungin", for messages. */
const char *wm_pg_where(const struct wm_pg *pg);

struct wm_pg_conns {
	long active, idle, idle_in_xact, other; /* client backends by state */
	long total;
	long max_connections;
	long superuser_reserved;
};
int wm_pg_connections(struct wm_pg *pg, struct wm_pg_conns *out, struct wm_err *err);

struct wm_pg_sessions {
	long long_running; /* active longer than long_s */
	double longest_s;  /* the longest active query, seconds */
	long idle_in_xact; /* idle in transaction longer than idle_s */
	double longest_idle_s;
};
int wm_pg_sessions(struct wm_pg *pg, double long_s, double idle_s, struct wm_pg_sessions *out,
		   struct wm_err *err);

/* Tables in schema public (the runbook's database test). */
int wm_pg_public_tables(struct wm_pg *pg, long *count, struct wm_err *err);
/* A timed trivial query; *ms is its round trip. */
int wm_pg_probe(struct wm_pg *pg, double *ms, struct wm_err *err);

struct wm_pg_dbstats {
	double xact_commit, xact_rollback, deadlocks;
	double checksum_failures; /* NAN when data checksums are off */
	char stats_reset[64];	  /* "" when never reset */
	char postmaster_start[64];
};
int wm_pg_dbstats(struct wm_pg *pg, struct wm_pg_dbstats *out, struct wm_err *err);

/* Exact row count of a table ("orders" or "schema.orders"); WM_ENOTFOUND when
 * the table does not exist. */
int wm_pg_table_rows(struct wm_pg *pg, const char *table, long long *rows, struct wm_err *err);

/* One pg_stat_statements row, cumulative. */
struct wm_pg_stmt {
	char key[48]; /* "userid:dbid:queryid" */
	double calls;
	double total_ms;  /* total_exec_time */
	double sumsq_ms2; /* sum of squared times = calls * (stddev^2 + mean^2) */
	char query[128];  /* the normalised text, shortened */
};
/* Rows of the current database, busiest first, without our own statements.
 * WM_ENOTFOUND when the extension is not installed or not preloaded. */
int wm_pg_statements(struct wm_pg *pg, struct wm_pg_stmt **out, size_t *n, struct wm_err *err);

/* One statement over the window between two samples. */
struct wm_pg_stmt_delta {
	double calls;
	double mean_ms;
	double stddev_ms;
};
/* Per-statement window figures: for each cur row, the difference with the
 * prev row of the same key (prev may be NULL: the first sample), or cur
 * itself when the statement is new or its counters went back (a reset).
 * Rows without calls in the window are dropped.  *out is malloc'd. */
int wm_pg_stmt_deltas(const struct wm_pg_stmt *prev, size_t nprev, const struct wm_pg_stmt *cur,
		      size_t ncur, struct wm_pg_stmt_delta **out, size_t *n);

/* Mean over all executions of the window (calls-weighted), NAN with no calls. */
double wm_pg_stmt_mean(const struct wm_pg_stmt_delta *d, size_t n);
/* An ESTIMATE of quantile q (0.95 for p95) of the execution times of the
 * window.  pg_stat_statements keeps no distribution, only per statement
 * the count, mean and standard deviation; each statement is modelled as a
 * lognormal with that mean and standard deviation (a point mass when the
 * deviation is 0), the statements are mixed weighted by their calls, and
 * the quantile of the mixture is found by bisection.  NAN with no calls. */
double wm_pg_stmt_quantile(const struct wm_pg_stmt_delta *d, size_t n, double q);

#endif
