/* pq_lazy.c - dlopen libpq on first use (see pq_lazy.h for why). */
#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

#include "base/lazylib.h"
#include "transport/pq_lazy.h"

#define SAME_TYPE(field, fn) WM_LAZYLIB_SAME_TYPE(struct wm_pq, field, fn)
SAME_TYPE(connectdbParams, PQconnectdbParams);
SAME_TYPE(pingParams, PQpingParams);
SAME_TYPE(connectStartParams, PQconnectStartParams);
SAME_TYPE(connectPoll, PQconnectPoll);
SAME_TYPE(socket, PQsocket);
SAME_TYPE(setErrorVerbosity, PQsetErrorVerbosity);
SAME_TYPE(connectionNeedsPassword, PQconnectionNeedsPassword);
SAME_TYPE(connectionUsedPassword, PQconnectionUsedPassword);
SAME_TYPE(finish, PQfinish);
SAME_TYPE(status, PQstatus);
SAME_TYPE(errorMessage, PQerrorMessage);
SAME_TYPE(host, PQhost);
SAME_TYPE(port, PQport);
SAME_TYPE(db, PQdb);
SAME_TYPE(serverVersion, PQserverVersion);
SAME_TYPE(execParams, PQexecParams);
SAME_TYPE(sendQueryParams, PQsendQueryParams);
SAME_TYPE(consumeInput, PQconsumeInput);
SAME_TYPE(isBusy, PQisBusy);
SAME_TYPE(getResult, PQgetResult);
SAME_TYPE(resultStatus, PQresultStatus);
SAME_TYPE(resultErrorField, PQresultErrorField);
SAME_TYPE(clear, PQclear);
SAME_TYPE(ntuples, PQntuples);
SAME_TYPE(nfields, PQnfields);
SAME_TYPE(getisnull, PQgetisnull);
SAME_TYPE(getvalue, PQgetvalue);
SAME_TYPE(escapeIdentifier, PQescapeIdentifier);
SAME_TYPE(freemem, PQfreemem);
SAME_TYPE(conninfoParse, PQconninfoParse);
SAME_TYPE(conninfoFree, PQconninfoFree);

static const struct wm_lazylib_sym syms[] = {
    {"PQconnectdbParams", offsetof(struct wm_pq, connectdbParams)},
    {"PQpingParams", offsetof(struct wm_pq, pingParams)},
    {"PQconnectStartParams", offsetof(struct wm_pq, connectStartParams)},
    {"PQconnectPoll", offsetof(struct wm_pq, connectPoll)},
    {"PQsocket", offsetof(struct wm_pq, socket)},
    {"PQsetErrorVerbosity", offsetof(struct wm_pq, setErrorVerbosity)},
    {"PQconnectionNeedsPassword", offsetof(struct wm_pq, connectionNeedsPassword)},
    {"PQconnectionUsedPassword", offsetof(struct wm_pq, connectionUsedPassword)},
    {"PQfinish", offsetof(struct wm_pq, finish)},
    {"PQstatus", offsetof(struct wm_pq, status)},
    {"PQerrorMessage", offsetof(struct wm_pq, errorMessage)},
    {"PQhost", offsetof(struct wm_pq, host)},
    {"PQport", offsetof(struct wm_pq, port)},
    {"PQdb", offsetof(struct wm_pq, db)},
    {"PQserverVersion", offsetof(struct wm_pq, serverVersion)},
    {"PQexecParams", offsetof(struct wm_pq, execParams)},
    {"PQsendQueryParams", offsetof(struct wm_pq, sendQueryParams)},
    {"PQconsumeInput", offsetof(struct wm_pq, consumeInput)},
    {"PQisBusy", offsetof(struct wm_pq, isBusy)},
    {"PQgetResult", offsetof(struct wm_pq, getResult)},
    {"PQresultStatus", offsetof(struct wm_pq, resultStatus)},
    {"PQresultErrorField", offsetof(struct wm_pq, resultErrorField)},
    {"PQclear", offsetof(struct wm_pq, clear)},
    {"PQntuples", offsetof(struct wm_pq, ntuples)},
    {"PQnfields", offsetof(struct wm_pq, nfields)},
    {"PQgetisnull", offsetof(struct wm_pq, getisnull)},
    {"PQgetvalue", offsetof(struct wm_pq, getvalue)},
    {"PQescapeIdentifier", offsetof(struct wm_pq, escapeIdentifier)},
    {"PQfreemem", offsetof(struct wm_pq, freemem)},
    {"PQconninfoParse", offsetof(struct wm_pq, conninfoParse)},
    {"PQconninfoFree", offsetof(struct wm_pq, conninfoFree)},
};

int
wm_pq_load(const char *soname, struct wm_pq *out, struct wm_err *err)
{
	return wm_lazylib_open(soname, WM_PQ_PACKAGE, syms, sizeof(syms) / sizeof(syms[0]), out,
			       sizeof(*out), err)
		   ? 0
		   : -1;
}

/* The process-wide table (see pq_lazy.h): written once, then read-only. */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct wm_pq table;
static struct wm_err load_err;
static int load_rc = -1;

static void
load_once(void)
{
	load_rc = wm_pq_load(WM_PQ_SONAME, &table, &load_err);
}

const struct wm_pq *
wm_pq_get(struct wm_err *err)
{
	pthread_once(&once, load_once);
	if (load_rc < 0) {
		if (err)
			*err = load_err;
		return NULL;
	}
	return &table;
}
