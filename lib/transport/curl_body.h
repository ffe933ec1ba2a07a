/* curl_body.h - a response body with a bound, for libcurl's write callback.
 *
 * Every client that reads a body from the network (the Docker Engine API,
 * the HTTP client) keeps it in one of these: at most max bytes, always
 * NUL-terminated for the parsers that want a C string, and a flag that says
 * the peer sent more (the transfer is then aborted by returning 0 to
 * libcurl, which fails it with CURLE_WRITE_ERROR: check toobig first).
 */
#ifndef WM_CURL_BODY_H
#define WM_CURL_BODY_H

#include <stdbool.h>
#include <stddef.h>

struct wm_curl_body {
	char *buf; /* NUL-terminated when not NULL; the owner frees it */
	size_t len, cap, max;
	bool toobig; /* the peer sent more than max bytes */
	bool nomem;  /* growing the buffer failed */
};

/* CURLOPT_WRITEFUNCTION with CURLOPT_WRITEDATA = struct wm_curl_body *. */
size_t wm_curl_body_write(char *p, size_t size, size_t nmemb, void *arg);

#endif
