/* pg.c - the read-only libpq client: ping, connect, and the queries wm-db runs. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pg.h"
#include "pg_conn.h"


static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

const char *
wm_pg_ping_name(enum wm_pg_ping p)
{
	switch (p) {
	case WM_PG_PING_OK: return "accepting connections";
	case WM_PG_PING_REJECT: return "rejecting connections";
	case WM_PG_PING_NO_RESPONSE: return "no response";
	case WM_PG_PING_NO_ATTEMPT: return "no attempt";
	}
	return "unknown";
}

/* The keyword arrays for PQconnectdbParams/PQpingParams.  dbname comes first
 * and is expanded as a conninfo, so the later entries override it. */
struct params {
	const char *k[10];
	const char *v[10];
	char timeout[16];
	char options[96];
};

static void
build_params(const struct wm_pg_params *p, struct params *o)
{
	int i = 0;

	snprintf(o->timeout, sizeof(o->timeout), "%d", p->timeout_s > 0 ? p->timeout_s : 1);
	snprintf(o->options, sizeof(o->options),
		 "-c statement_timeout=%d -c default_transaction_read_only=on",
		 p->statement_timeout_ms > 0 ? p->statement_timeout_ms : 5000);
	o->k[i] = "dbname", o->v[i++] = p->conninfo && *p->conninfo ? p->conninfo : "";
	o->k[i] = "connect_timeout", o->v[i++] = o->timeout;
	o->k[i] = "options", o->v[i++] = o->options;
	o->k[i] = "application_name", o->v[i++] = "warunginmon";
	if (p->host)
		o->k[i] = "host", o->v[i++] = p->host;
	if (p->port)
		o->k[i] = "port", o->v[i++] = p->port;
	if (p->password && *p->password)
		o->k[i] = "password", o->v[i++] = p->password;
	o->k[i] = NULL, o->v[i] = NULL;
}

static const char *
or_empty(const char *s)
{
	return s ? s : "";
}

enum wm_pg_ping
wm_pg_ping(const struct wm_pg_params *p)
{
	const struct wm_pq *pq = wm_pq_get(NULL);
	struct params o;

	/* Without libpq nothing is attempted; wm_endpoints_pg and
	 * wm_pg_connect say why. */
	if (!pq)
		return WM_PG_PING_NO_ATTEMPT;
	build_params(p, &o);
	switch (pq->pingParams(o.k, o.v, 1)) {
	case PQPING_OK: return WM_PG_PING_OK;
	case PQPING_REJECT: return WM_PG_PING_REJECT;
	case PQPING_NO_RESPONSE: return WM_PG_PING_NO_RESPONSE;
	default: return WM_PG_PING_NO_ATTEMPT;
	}
}

/* libpq gives no SQLSTATE for a failed connection: classify its message. */
static int
connect_code(const char *msg)
{
	if (strstr(msg, "password authentication failed") || strstr(msg, "no password supplied") ||
	    strstr(msg, "authentication failed") || strstr(msg, "pg_hba.conf"))
		return WM_EAUTH;
	if (strstr(msg, "timeout expired"))
		return WM_ETIMEDOUT;
	if (strstr(msg, "invalid connection option") || strstr(msg, "missing \"=\"") ||
	    strstr(msg, "invalid URI") || (strstr(msg, "does not exist") &&
					   (strstr(msg, "database") || strstr(msg, "role"))))
		return WM_ECONFIG;
	return WM_ECONN;
}

/* The first line of a libpq message, without "FATAL:  " and the newline. */
static void
one_line(const char *msg, char *buf, size_t size)
{
	const char *p = msg ? msg : "";
	size_t n;

	/* "connection to server at "h" (a), port 5432 failed: " or "... on socket
	 * "/x/.s.PGSQL.5432" failed: ": our caller names the server itself. */
	if (!strncmp(p, "connection to server ", 21) && strstr(p, " failed: "))
		p = strstr(p, " failed: ") + 9;
	if (!strncmp(p, "FATAL:  ", 8))
		p += 8;
	n = strcspn(p, "\n");
	snprintf(buf, size, "%.*s", (int)n, p);
}

struct wm_pg *
wm_pg_connect(const struct wm_pg_params *p, double *connect_ms, struct wm_err *err)
{
	struct wm_pg *pg = calloc(1, sizeof(*pg));
	struct params o;
	char line[200];
	double t0;

	if (!pg) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		return NULL;
	}
	*connect_ms = 0;
	pg->pq = wm_pq_get(err);
	if (!pg->pq)
		goto out_free_pg;
	build_params(p, &o);
	t0 = now_ms();
	pg->conn = pg->pq->connectdbParams(o.k, o.v, 1);
	*connect_ms = now_ms() - t0;
	if (!pg->conn) {
		wm_err_set(err, WM_ENOMEM, "out of memory connecting to PostgreSQL");
		goto out_free_pg;
	}
	if (pg->pq->status(pg->conn) != CONNECTION_OK) {
		const char *msg = pg->pq->errorMessage(pg->conn);

		one_line(msg, line, sizeof(line));
		wm_err_set(err, connect_code(msg), "%s", line);
		goto out_free_pg;
	}
	snprintf(pg->where, sizeof(pg->where), "%s:%s/%s",
		 or_empty(pg->pq->host(pg->conn)), or_empty(pg->pq->port(pg->conn)),
		 or_empty(pg->pq->db(pg->conn)));
	return pg;

out_free_pg:
	wm_pg_free(pg);
	return NULL;
}

void
wm_pg_free(struct wm_pg *pg)
{
	if (!pg)
		return;
	if (pg->conn)
		pg->pq->finish(pg->conn);
	free(pg);
}

const char *
wm_pg_where(const struct wm_pg *pg)
{
	return pg->where;
}
