/* pq_lazy.h - libpq, loaded on first use instead of at start-up.
 *
 * libpq5 brings ~24 shared libraries (krb5, gssapi, ldap, sasl, gnutls,
 * ...); linked directly they cost wm-db ~8 M instructions of dynamic loading
 * at every start-up, --version included.  As with curl_lazy.h, the first
 * user (endpoint_pg.c, pg.c) loads WM_PQ_SONAME once (pthread_once) and
 * calls through this table, whose types pq_lazy.c checks against
 * <libpq-fe.h> at compile time.
 */
#ifndef WM_PQ_LAZY_H
#define WM_PQ_LAZY_H

#include <libpq-fe.h>

#include "base/err.h"

#define WM_PQ_SONAME "libpq.so.5"
#define WM_PQ_PACKAGE "libpq5"

/* The libpq functions the suite calls, as pointers (named without "PQ"). */
struct wm_pq {
	PGconn *(*connectdbParams)(const char *const *keywords, const char *const *values,
				   int expand_dbname);
	PGPing (*pingParams)(const char *const *keywords, const char *const *values,
			     int expand_dbname);
	PGconn *(*connectStartParams)(const char *const *keywords, const char *const *values,
				      int expand_dbname);
	PostgresPollingStatusType (*connectPoll)(PGconn *conn);
	int (*socket)(const PGconn *conn);
	PGVerbosity (*setErrorVerbosity)(PGconn *conn, PGVerbosity verbosity);
	int (*connectionNeedsPassword)(const PGconn *conn);
	int (*connectionUsedPassword)(const PGconn *conn);
	void (*finish)(PGconn *conn);
	ConnStatusType (*status)(const PGconn *conn);
	char *(*errorMessage)(const PGconn *conn);
	char *(*host)(const PGconn *conn);
	char *(*port)(const PGconn *conn);
	char *(*db)(const PGconn *conn);
	int (*serverVersion)(const PGconn *conn);
	PGresult *(*execParams)(PGconn *conn, const char *command, int nParams,
				const Oid *paramTypes, const char *const *paramValues,
				const int *paramLengths, const int *paramFormats, int resultFormat);
	int (*sendQueryParams)(PGconn *conn, const char *command, int nParams,
			       const Oid *paramTypes, const char *const *paramValues,
			       const int *paramLengths, const int *paramFormats, int resultFormat);
	int (*consumeInput)(PGconn *conn);
	int (*isBusy)(PGconn *conn);
	PGresult *(*getResult)(PGconn *conn);
	ExecStatusType (*resultStatus)(const PGresult *res);
	char *(*resultErrorField)(const PGresult *res, int fieldcode);
	void (*clear)(PGresult *res);
	int (*ntuples)(const PGresult *res);
	int (*nfields)(const PGresult *res);
	int (*getisnull)(const PGresult *res, int tup_num, int field_num);
	char *(*getvalue)(const PGresult *res, int tup_num, int field_num);
	char *(*escapeIdentifier)(PGconn *conn, const char *str, size_t len);
	void (*freemem)(void *ptr);
	PQconninfoOption *(*conninfoParse)(const char *conninfo, char **errmsg);
	void (*conninfoFree)(PQconninfoOption *connOptions);
};

/* The process's libpq table, loaded on the first call (thread-safe).  NULL
 * with err set (WM_ENOTFOUND, "libpq.so.5: cannot open shared object file:
 * ... (install libpq5)") when the library or a function is missing. */
const struct wm_pq *wm_pq_get(struct wm_err *err);

/* The loader itself, for tests: 0, or -1 with err set. */
int wm_pq_load(const char *soname, struct wm_pq *out, struct wm_err *err);

#endif
