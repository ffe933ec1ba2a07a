/* pg.c - the read-only libpq client: ping, connect, and the queries wm-db runs. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/duration.h"
#include "clients/pg.h"
#include "clients/pg_int.h"
#include "transport/resolve.h"

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
	case WM_PG_PING_OK:
		return "accepting connections";
	case WM_PG_PING_REJECT:
		return "rejecting connections";
	case WM_PG_PING_NO_RESPONSE:
		return "no response";
	case WM_PG_PING_NO_ATTEMPT:
		return "no attempt";
	}
	return "unknown";
}

/* The keyword arrays for PQconnectStartParams/PQpingParams.  dbname comes
 * first and is expanded as a conninfo, so the later entries override it. */
struct params {
	const char *k[11];
	const char *v[11];
	char addr[WM_RESOLVE_ADDR_MAX]; /* hostaddr, when we resolved the host */
	char timeout[24];
	char options[96];
};

/* libpq resolves a host name with a blocking getaddrinfo before its own
 * timeouts start: resolve it here by the deadline and hand libpq the address
 * as hostaddr (host stays for TLS and messages).  -1 with err (WM_ENOHOST,
 * naming the host) when the name does not resolve or the resolver does not
 * answer by the deadline: the server was never asked (warunginmon(7)). */
static int
resolve_host(const struct wm_pq *pq, const struct wm_pg_params *p, struct params *o,
	     struct wm_err *err)
{
	const char *host = p->host;
	PQconninfoOption *opts = NULL, *opt;
	struct wm_err e = {0};
	int rc = 0;

	o->addr[0] = '\0';
	if (!host && p->conninfo && *p->conninfo) {
		opts = pq->conninfoParse(p->conninfo, NULL);
		for (opt = opts; opt && opt->keyword; opt++) {
			if (!strcmp(opt->keyword, "hostaddr") && opt->val && *opt->val)
				goto out; /* the caller gave the address */
			if (!strcmp(opt->keyword, "host"))
				host = opt->val;
		}
	}
	if (!host || strchr(host, ',')) /* several hosts: libpq tries each */
		goto out;
	if (wm_resolve(host, p->deadline_ms, NULL, o->addr, sizeof(o->addr), &e) < 0) {
		o->addr[0] = '\0';
		wm_err_set(err, e.code, "%s", e.msg);
		rc = -1;
	} else if (!strcmp(o->addr, host)) {
		o->addr[0] = '\0'; /* numeric or a socket directory: nothing to add */
	}
out:
	if (opts)
		pq->conninfoFree(opts);
	return rc;
}

static void
build_params(const struct wm_pg_params *p, struct params *o)
{
	int64_t left = p->deadline_ms > 0 ? p->deadline_ms - wm_monotonic_ms() : 0;
	int i = 0;

	snprintf(o->options, sizeof(o->options),
		 "-c statement_timeout=%d -c default_transaction_read_only=on",
		 p->statement_timeout_ms > 0 ? p->statement_timeout_ms : 5000);
	o->k[i] = "dbname", o->v[i++] = p->conninfo && *p->conninfo ? p->conninfo : "";
	/* Only the blocking PQpingParams of ping_at_start reads connect_timeout
	 * (whole seconds, 2 at least); the polling in start_until keeps the
	 * deadline itself. */
	if (p->deadline_ms > 0) {
		snprintf(o->timeout, sizeof(o->timeout), "%lld",
			 (long long)(left > 0 ? (left + 999) / 1000 : 1));
		o->k[i] = "connect_timeout", o->v[i++] = o->timeout;
	}
	o->k[i] = "options", o->v[i++] = o->options;
	o->k[i] = "application_name", o->v[i++] = "warunginmon";
	if (p->host)
		o->k[i] = "host", o->v[i++] = p->host;
	if (p->port)
		o->k[i] = "port", o->v[i++] = p->port;
	if (p->password && *p->password)
		o->k[i] = "password", o->v[i++] = p->password;
	if (o->addr[0])
		o->k[i] = "hostaddr", o->v[i++] = o->addr;
	o->k[i] = NULL, o->v[i] = NULL;
}

static const char *
or_empty(const char *s)
{
	return s ? s : "";
}

enum start { START_MADE, START_FAILED, START_FAILED_AT_ONCE, START_TIMEDOUT, START_NOHOST };

/* Start a connection and drive it with PQconnectPoll, waiting in poll(2) on
 * its socket, until it is made, fails, or p->deadline_ms passes (0: no
 * limit of ours).  libpq's connect_timeout would not do: it counts whole
 * seconds, means 2 s when 1 is asked, and the polling calls ignore it.
 * *conn is NULL when out of memory, else the caller's to PQfinish. */
static enum start
start_until(const struct wm_pq *pq, const struct wm_pg_params *p, PGVerbosity verbosity,
	    PGconn **conn, struct wm_err *why)
{
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	struct params o;

	*conn = NULL;
	if (resolve_host(pq, p, &o, why) < 0)
		return START_NOHOST;
	build_params(p, &o);
	*conn = pq->connectStartParams(o.k, o.v, 1);
	if (!*conn || pq->status(*conn) == CONNECTION_BAD)
		return START_FAILED_AT_ONCE;
	pq->setErrorVerbosity(*conn, verbosity);
	while (st != PGRES_POLLING_OK && st != PGRES_POLLING_FAILED) {
		/* the socket changes when libpq moves on to the next address */
		struct pollfd pfd = {.fd = pq->socket(*conn),
				     .events = st == PGRES_POLLING_READING ? POLLIN : POLLOUT};
		int64_t left = p->deadline_ms > 0 ? p->deadline_ms - wm_monotonic_ms() : -1;
		int n;

		if (p->deadline_ms > 0 && left <= 0)
			return START_TIMEDOUT;
		if (pfd.fd < 0)
			return START_FAILED;
		n = poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (n < 0 && errno != EINTR)
			return START_FAILED;
		if (n > 0)
			st = pq->connectPoll(*conn);
	}
	return pq->status(*conn) == CONNECTION_OK ? START_MADE : START_FAILED;
}

/* The last SQLSTATE in a message written with PQERRORS_SQLSTATE
 * ("...failed: FATAL:  57P03\n"; the severity may be translated). */
static bool
last_sqlstate(const char *msg, char state[6])
{
	const char *p;
	bool found = false;

	for (p = strstr(msg, ":  "); p; p = strstr(p + 1, ":  ")) {
		size_t n = strspn(p + 3, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");

		if (n == 5 && (p[8] == '\n' || p[8] == '\0')) {
			memcpy(state, p + 3, 5);
			state[5] = '\0';
			found = true;
		}
	}
	return found;
}

/* Whether the server asked for authentication before the failure (which
 * PQping counts as the server being up): it asked for a password, or libpq
 * refused its method itself (unsupported, SCRAM, GSSAPI, channel binding). */
static bool
auth_asked(const struct wm_pq *pq, PGconn *conn, const char *msg)
{
	return pq->connectionNeedsPassword(conn) || pq->connectionUsedPassword(conn) ||
	       strstr(msg, "fe_sendauth") || strstr(msg, "SCRAM") || strstr(msg, "SASL") ||
	       strstr(msg, "channel binding") || strstr(msg, "GSSAPI continuation") ||
	       strstr(msg, "SSPI") || strstr(msg, "Kerberos") ||
	       (strstr(msg, "authentication") && !strstr(msg, "expected authentication request"));
}

/* A connection that failed at once: bad parameters (NO_ATTEMPT) or nothing
 * there.  Only libpq knows which; it costs no wait when nothing listens. */
static enum wm_pg_ping
ping_at_start(const struct wm_pq *pq, const struct wm_pg_params *p, struct wm_err *why)
{
	struct params o;

	if (p->deadline_ms > 0 && p->deadline_ms <= wm_monotonic_ms())
		return WM_PG_PING_NO_RESPONSE;
	if (resolve_host(pq, p, &o, why) < 0)
		return WM_PG_PING_NO_RESPONSE;
	build_params(p, &o);
	switch (pq->pingParams(o.k, o.v, 1)) {
	case PQPING_OK:
		return WM_PG_PING_OK;
	case PQPING_REJECT:
		return WM_PG_PING_REJECT;
	case PQPING_NO_RESPONSE:
		return WM_PG_PING_NO_RESPONSE;
	default:
		return WM_PG_PING_NO_ATTEMPT;
	}
}

/* As PQpingParams classifies (libpq's internal_ping): made, or any answer
 * after the server asked for authentication, is OK; the server's SQLSTATE
 * 57P03 (cannot_connect_now: starting up, shutting down, recovering) is
 * REJECT, any other SQLSTATE OK; otherwise (no answer by the deadline, a
 * refusal, garbage) NO_RESPONSE. */
enum wm_pg_ping
wm_pg_ping_why(const struct wm_pg_params *p, struct wm_err *why)
{
	const struct wm_pq *pq = wm_pq_get(NULL);
	enum wm_pg_ping ret = WM_PG_PING_NO_RESPONSE;
	PGconn *conn;
	char state[6];

	/* Without libpq nothing is attempted; wm_endpoints_pg and
	 * wm_pg_connect say why. */
	if (!pq)
		return WM_PG_PING_NO_ATTEMPT;
	switch (start_until(pq, p, PQERRORS_SQLSTATE, &conn, why)) {
	case START_NOHOST: /* why names the host */
		break;
	case START_MADE:
		ret = WM_PG_PING_OK;
		break;
	case START_TIMEDOUT:
		/* silent after asking for authentication: PQping says OK too */
		if (conn && auth_asked(pq, conn, ""))
			ret = WM_PG_PING_OK;
		break;
	case START_FAILED_AT_ONCE:
		ret = conn ? ping_at_start(pq, p, why) : WM_PG_PING_NO_ATTEMPT;
		break;
	case START_FAILED: {
		const char *msg = or_empty(pq->errorMessage(conn));

		if (last_sqlstate(msg, state))
			ret = strcmp(state, "57P03") ? WM_PG_PING_OK : WM_PG_PING_REJECT;
		else if (auth_asked(pq, conn, msg))
			ret = WM_PG_PING_OK;
		break;
	}
	}
	if (conn)
		pq->finish(conn);
	return ret;
}

enum wm_pg_ping
wm_pg_ping(const struct wm_pg_params *p)
{
	return wm_pg_ping_why(p, NULL);
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
	if (strstr(msg, "could not translate host name")) /* one of several hosts */
		return WM_ENOHOST;
	if (strstr(msg, "invalid connection option") || strstr(msg, "missing \"=\"") ||
	    strstr(msg, "invalid URI") ||
	    (strstr(msg, "does not exist") && (strstr(msg, "database") || strstr(msg, "role"))))
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
	struct wm_err why = {0};
	enum start how;
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
	t0 = now_ms();
	how = start_until(pg->pq, p, PQERRORS_DEFAULT, &pg->conn, &why);
	*connect_ms = now_ms() - t0;
	if (how == START_NOHOST) {
		wm_err_set(err, why.code, "%s", why.msg);
		goto out_free_pg;
	}
	if (!pg->conn) {
		wm_err_set(err, WM_ENOMEM, "out of memory connecting to PostgreSQL");
		goto out_free_pg;
	}
	if (how == START_TIMEDOUT) {
		wm_err_set(err, WM_ETIMEDOUT, "timeout expired: no answer in time");
		goto out_free_pg;
	}
	if (how != START_MADE) {
		const char *msg = pg->pq->errorMessage(pg->conn);

		one_line(msg, line, sizeof(line));
		wm_err_set(err, connect_code(msg), "%s", line);
		goto out_free_pg;
	}
	pg->deadline_ms = p->deadline_ms;
	snprintf(pg->where, sizeof(pg->where), "%s:%s/%s", or_empty(pg->pq->host(pg->conn)),
		 or_empty(pg->pq->port(pg->conn)), or_empty(pg->pq->db(pg->conn)));
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
