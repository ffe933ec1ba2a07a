/* http.h - the suite's one HTTP(S) client (libcurl, loaded on first use:
 * curl_lazy.h).
 *
 * For wm-smoke's spot checks, wm-security's probes, wm-perf's --sample and
 * /api/metrics, and wm-run's webhooks and Alertmanager: method, URL,
 * headers and body in; status, headers, body and libcurl's timings out.
 *
 * Where it connects: the URL's host and port, or a unix socket when
 * unix_socket is set: what an SSH tunnel gives (lib/session/target.h
 * wm_target_tcp_endpoint), so a remote endpoint is reached with its own URL
 * (Host header, TLS name) through the tunnel.
 *
 * What it refuses to do by default (DESIGN §9): skip TLS verification (only
 * with insecure, which the configuration must say), follow redirects (only
 * with follow_redirects, at most max_redirects, http/https only; a probe
 * that expects a 302 must see it), speak anything but http/https, keep more
 * than body_max bytes of a body (WM_ETOOBIG) or WM_HTTP_HEADERS_MAX bytes /
 * WM_HTTP_HEADERS_COUNT lines of response headers (the rest is dropped and
 * headers_truncated set), or wait longer than the smaller of timeout_ms and
 * what remains before deadline_ms.
 *
 * An HTTP status is an answer, not an error: 404 and 500 return 0 with
 * resp->status set; the caller judges.  Errors (-1, err filled, never
 * printed): WM_ETIMEDOUT (no full answer in time), WM_ENOHOST (the host
 * name did not resolve), WM_ECONN (refused, unreachable, reset, closed
 * before any answer), WM_EPROTO (not HTTP, cut
 * short, TLS handshake or certificate refused), WM_ETOOBIG, WM_EINVAL (bad
 * request options), WM_ENOTFOUND/WM_ENOMEM (libcurl missing, memory).
 *
 * Every request says who sent it: User-Agent WM_HTTP_AGENT, or what
 * wm_http_set_agent set (session/session.h wm_session_agent: the mark by
 * which the suite's own requests are told apart in the target's access log,
 * warunginmon(7) "The suite's own requests").  A "User-Agent:" in
 * req->headers replaces it.
 *
 * A client keeps one CURL handle, so consecutive requests to one server
 * reuse the connection; it is not thread-safe (one per thread).
 */
#ifndef WM_HTTP_H
#define WM_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define WM_HTTP_BODY_MAX (8u << 20)	/* default bound of a response body */
#define WM_HTTP_HEADERS_MAX (64u << 10) /* bytes of response headers kept */
#define WM_HTTP_HEADERS_COUNT 128	/* response header lines kept */
#define WM_HTTP_TIMEOUT_MS 10000	/* when timeout_ms is 0 */
#define WM_HTTP_AGENT "warunginmon/" PACKAGE_VERSION
#define WM_HTTP_AGENT_MAX 128

struct wm_http;

struct wm_http_req {
	const char *method;	    /* "GET" when NULL; HEAD reads no body */
	const char *url;	    /* http:// or https:// */
	const char *const *headers; /* "Name: value", NULL-terminated; may be NULL */
	const char *body;	    /* sent when not NULL (POST when method is NULL) */
	size_t body_len;
	const char *unix_socket; /* connect here instead of the URL's host:port */
	const char *ca_file;	 /* trust these CAs instead of the system's */
	bool insecure;		 /* no TLS verification (say so in the output) */
	bool fresh_connect;	 /* a new connection, closed after: the timings of a first visit */
	bool follow_redirects;
	long max_redirects;  /* 0: 5 */
	size_t body_max;     /* 0: WM_HTTP_BODY_MAX */
	int64_t timeout_ms;  /* 0: WM_HTTP_TIMEOUT_MS */
	int64_t deadline_ms; /* CLOCK_MONOTONIC ms (wm_monotonic_ms); 0: none */
};

/* libcurl's clock, in ms from the start of the request, cumulative
 * (research/next-programs.md §8): name lookup done, TCP connected, TLS done
 * (0 without TLS), first byte of the answer, all done. */
struct wm_http_timing {
	double dns_ms, connect_ms, tls_ms, first_byte_ms, total_ms;
	double redirect_ms; /* time spent in redirects before the last request */
};

struct wm_http_header {
	char *name;  /* as sent */
	char *value; /* without surrounding blanks */
};

struct wm_http_resp {
	long status; /* of the last response (after redirects) */
	char *body;  /* NUL-terminated (also when empty); owned */
	size_t body_len;
	struct wm_http_header *headers; /* of the last response, in order; owned */
	size_t nheaders;
	bool headers_truncated;
	long redirects; /* redirects followed */
	struct wm_http_timing t;
};

/* A new client; NULL only on ENOMEM or when libcurl cannot be loaded (err
 * says which). */
struct wm_http *wm_http_new(struct wm_err *err);
void wm_http_free(struct wm_http *h);
/* Send agent as the User-Agent from now on (copied, cut at
 * WM_HTTP_AGENT_MAX - 1 bytes; NULL or "": WM_HTTP_AGENT). */
void wm_http_set_agent(struct wm_http *h, const char *agent);

/* Perform req; 0 with *resp filled (free with wm_http_resp_free, also after
 * an error: it is zeroed first), or -1 with err set. */
int wm_http_request(struct wm_http *h, const struct wm_http_req *req, struct wm_http_resp *resp,
		    struct wm_err *err);
void wm_http_resp_free(struct wm_http_resp *resp);

/* The first response header named name (case-insensitive), or NULL. */
const char *wm_http_resp_header(const struct wm_http_resp *resp, const char *name);

#endif
