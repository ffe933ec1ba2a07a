/* redis.h - Redis INFO parser and a small hiredis client.
 *
 * The parser is a pure function of the bytes Redis sent: CRLF or LF lines,
 * "# Section" headers, "key:value" fields split on the first colon (values
 * may contain ':'), keyspace lines "db0:keys=1,expires=0,avg_ttl=0" with the
 * 7.4 ",subexpiry=0" and any later sub-field tolerated.  A leading RESP bulk
 * header ("$4050") is skipped, a final line without its terminator is
 * dropped and flagged as truncated.  Unknown fields are kept, never
 * interpreted.
 *
 * The client wraps hiredis 0.14 (the old API, Debian 12): connect and
 * command timeouts, AUTH, PING latency, INFO and the SET/GET/DEL probe.
 */
#ifndef WM_REDIS_H
#define WM_REDIS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

#define WM_REDIS_INFO_MAX (4u << 20) /* bytes of INFO we accept */
#define WM_REDIS_FIELDS_MAX 8192     /* fields kept from one reply */
#define WM_REDIS_DBS_MAX 1024	     /* keyspace lines kept */

struct wm_redis_field {
	char *section; /* "Stats"; "" before the first header */
	char *key;
	char *value;
};

struct wm_redis_db {
	long index; /* N of dbN */
	long long keys;
	long long expires;
	long long avg_ttl;   /* ms */
	long long subexpiry; /* 7.4+; -1 when the server did not send it */
};

struct wm_redis_info {
	struct wm_redis_field *fields;
	size_t nfields;
	struct wm_redis_db *dbs;
	size_t ndbs;
	size_t nskipped; /* lines that were neither header nor field */
	bool truncated;	 /* input ended inside a line or short of its RESP length */
};

/* Parse an INFO payload.  NULL with err set (WM_EPROTO for input that holds
 * no field at all, WM_ETOOBIG above WM_REDIS_INFO_MAX, WM_ENOMEM). */
struct wm_redis_info *wm_redis_info_parse(const char *buf, size_t len, struct wm_err *err);
void wm_redis_info_free(struct wm_redis_info *info);
/* The value of key (the last one when repeated); NULL when absent. */
const char *wm_redis_info_get(const struct wm_redis_info *info, const char *key);
/* key as a whole integer; -1 when absent or not a number. */
int wm_redis_info_ll(const struct wm_redis_info *info, const char *key, long long *out);
/* key as a real number; -1 when absent or not a number. */
int wm_redis_info_double(const struct wm_redis_info *info, const char *key, double *out);

/* Where a Redis listens: a unix socket path, or host and port. */
struct wm_redis_endpoint {
	char host[256]; /* "" when unix */
	int port;
	char path[256];	 /* unix socket path; "" when TCP */
	char label[300]; /* names it in messages when set (a tunnel's far end) */
};

/* Parse "host:port", "[v6]:port", "host" (port 6379), "redis://host:port",
 * "unix:/path", "/path" into ep. */
int wm_redis_endpoint_parse(const char *s, struct wm_redis_endpoint *ep, struct wm_err *err);
/* "127.0.0.1:6379" or "/run/redis.sock", for messages. */
void wm_redis_endpoint_format(const struct wm_redis_endpoint *ep, char *buf, size_t size);

struct wm_redis;

/* Connect within timeout_ms (also used for every command afterwards) and
 * AUTH when password is not NULL or empty.  NULL with err: WM_ECONN
 * (refused, unreachable), WM_ETIMEDOUT, WM_ENOHOST (the host name did not
 * resolve), WM_EAUTH (password refused or required), WM_EPROTO. */
struct wm_redis *wm_redis_connect(const struct wm_redis_endpoint *ep, const char *password,
				  int timeout_ms, struct wm_err *err);
void wm_redis_free(struct wm_redis *r);
/* PING; *ms is the round trip. */
int wm_redis_ping(struct wm_redis *r, double *ms, struct wm_err *err);
/* INFO (section NULL = default sections; "all" adds commandstats). */
struct wm_redis_info *wm_redis_info(struct wm_redis *r, const char *section, struct wm_err *err);
/* The cache round trip: SET key value EX ttl_s, GET (must match), DEL.
 * *ms covers the three commands. */
int wm_redis_probe(struct wm_redis *r, const char *key, int ttl_s, double *ms, struct wm_err *err);
/* The namespaced probe key for this host and process:
 * "warunginmon:probe:<host>:<pid>". */
void wm_redis_probe_key(char *buf, size_t size);

#endif
