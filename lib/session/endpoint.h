/* endpoint.h - the Redis and PostgreSQL endpoints of a session's target, as
 * this process reaches them: unchanged for a local target; for a remote one,
 * through the session's SSH tunnels.
 */
#ifndef WM_ENDPOINT_H
#define WM_ENDPOINT_H

#include <stddef.h>

#include "base/err.h"
#include "clients/http.h"
#include "clients/redis.h"
#include "session/session.h"

#define WM_REDIS_DEFAULT "127.0.0.1:6379"

/* The Redis to connect to (the target's 'redis', else WM_REDIS_DEFAULT), and
 * a label naming it for people. */
int wm_endpoint_redis(struct wm_session *s, struct wm_redis_endpoint *ep, char *label, size_t size,
		      struct wm_err *err);
/* Host and port overrides for the target's postgres conninfo ("" = keep the
 * conninfo's), and a label. */
int wm_endpoint_pg(struct wm_session *s, char *host, size_t hsize, char *port, size_t psize,
		   char *label, size_t lsize, struct wm_err *err);
/* An http:// or https:// URL as seen from the target: where this process
 * connects for it.  sock "" for a local target (the URL's own host and
 * port); for a remote one the tunnel socket to the URL's host and port
 * through the SSH connection (lib/clients/http.h: unix_socket), so the URL,
 * its Host header and TLS name stay as they are.  label names it for people
 * (the URL without user:password@).  -1 with err: WM_EINVAL for a URL that
 * is not http(s)://HOST[:PORT]..., else the tunnel's error. */
int wm_endpoint_http(struct wm_session *s, const char *url, char *sock, size_t ssize, char *label,
		     size_t lsize, struct wm_err *err);
/* A URL of the target: url itself when it is http:// or https://, else the
 * path joined to base with one '/' between, whatever slashes base ends with
 * ("http://h/" + "/api" is "http://h/api").  NULL on ENOMEM (caller frees). */
char *wm_endpoint_url(const char *base, const char *url);
/* The target's HTTPS settings on a request to one of its URLs (every
 * program's: wm-smoke's steps, wm-security's probes, wm-perf's metrics and
 * --sample): tls_verify (default yes) and ca_file, "~/" expanded into ca
 * (size bytes, which must outlive the request). */
void wm_endpoint_http_tls(const struct wm_session *s, struct wm_http_req *req, char *ca,
			  size_t size);
/* An HTTP client for the target's URLs whose requests carry the suite's
 * mark (wm_session_agent), so that the log analyzers know them for ours.
 * NULL with err (clients/http.h wm_http_new). */
struct wm_http *wm_endpoint_http_client(struct wm_session *s, struct wm_err *err);

#endif
