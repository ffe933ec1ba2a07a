/* endpoint_pg.c - where this process reaches a target's PostgreSQL.
 *
 * Apart from endpoint.c so that only the programs that talk to PostgreSQL
 * link libpq (PQconninfoParse): its dependencies (krb5, ldap, sasl, gnutls,
 * ...) cost ~8 M instructions of dynamic loading at every start-up.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session/endpoint.h"
#include "transport/pq_lazy.h"

/* host and port of a conninfo; a unix socket directory or nothing means the
 * target's loopback (only TCP is tunnelled; a local target still uses the
 * conninfo as it is, this is only its name then).  sockdir: the socket
 * directory the conninfo names ("/run/postgresql"), "" when it names a TCP
 * host, "-" when it names none (libpq's default directory, or $PGHOST). */
static int
conninfo_hostport(const char *conninfo, char *host, size_t hsize, char *port, size_t psize,
		  char *db, size_t dsize, char *sockdir, size_t ssize, struct wm_err *err)
{
	const struct wm_pq *pq = wm_pq_get(err);
	PQconninfoOption *opts, *o;
	char *msg = NULL;

	snprintf(host, hsize, "127.0.0.1");
	snprintf(port, psize, "5432");
	snprintf(db, dsize, "%s", "");
	snprintf(sockdir, ssize, "-");
	if (!pq)
		return -1;
	opts = pq->conninfoParse(conninfo ? conninfo : "", &msg);
	if (!opts) {
		wm_err_set(err, WM_ECONFIG, "bad postgres conninfo: %.*s",
			   msg ? (int)strcspn(msg, "\n") : 13, msg ? msg : "out of memory");
		pq->freemem(msg);
		return -1;
	}
	for (o = opts; o->keyword; o++) {
		if (!o->val || !*o->val)
			continue;
		if (!strcmp(o->keyword, "host") && (o->val[0] == '/' || o->val[0] == '@'))
			snprintf(sockdir, ssize, "%s", o->val);
		else if ((!strcmp(o->keyword, "host") || !strcmp(o->keyword, "hostaddr")) &&
			 !strchr(o->val, ','))
			snprintf(host, hsize, "%s", o->val), sockdir[0] = '\0';
		else if (!strcmp(o->keyword, "port") && !strchr(o->val, ','))
			snprintf(port, psize, "%s", o->val);
		else if (!strcmp(o->keyword, "dbname"))
			snprintf(db, dsize, "/%s", o->val);
	}
	pq->conninfoFree(opts);
	return 0;
}

int
wm_endpoint_pg(struct wm_session *s, char *host, size_t hsize, char *port, size_t psize,
	       char *label, size_t lsize, struct wm_err *err)
{
	const struct wm_target *t = wm_session_target(s);
	char rhost[256], rport[16], db[80], hostport[300], sockname[32], out[256], *slash;
	char sockdir[256];
	const char *env;
	bool is_unix;

	host[0] = port[0] = '\0';
	if (conninfo_hostport(t->postgres, rhost, sizeof(rhost), rport, sizeof(rport), db,
			      sizeof(db), sockdir, sizeof(sockdir), err) < 0)
		return -1;
	/* the label names what libpq really tries: a unix socket is not 127.0.0.1 */
	if (!t->host && sockdir[0] == '-' && (env = getenv("PGHOST")) && *env)
		snprintf(sockdir, sizeof(sockdir), "%s", env[0] == '/' || env[0] == '@' ? env : "");
	if (!t->host && sockdir[0] == '-') {
		snprintf(label, lsize,
			 "PostgreSQL unix socket .s.PGSQL.%s%s in libpq's default "
			 "directory",
			 rport, db);
		return 0;
	}
	if (!t->host && sockdir[0]) {
		snprintf(label, lsize, "PostgreSQL %s/.s.PGSQL.%s%s", sockdir, rport, db);
		return 0;
	}
	if (!t->host) {
		snprintf(label, lsize,
			 strchr(rhost, ':') ? "PostgreSQL [%s]:%s%s" : "PostgreSQL %s:%s%s", rhost,
			 rport, db);
		return 0;
	}
	snprintf(hostport, sizeof(hostport), strchr(rhost, ':') ? "[%s]:%s" : "%s:%s", rhost,
		 rport);
	snprintf(sockname, sizeof(sockname), ".s.PGSQL.%s", rport);
	if (wm_session_reach(s, hostport, sockname, out, sizeof(out), &is_unix, err) < 0)
		return -1;
	/* libpq takes the socket's directory as host and finds .s.PGSQL.<port> in it. */
	slash = strrchr(out, '/');
	if (!is_unix || !slash)
		return wm_err_set(err, WM_EIO, "no tunnel socket for %s", hostport);
	*slash = '\0';
	snprintf(host, hsize, "%s", out);
	snprintf(port, psize, "%s", rport);
	snprintf(label, lsize, "PostgreSQL %s%s via ssh %s", hostport, db, t->host);
	return 0;
}
