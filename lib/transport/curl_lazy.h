/* curl_lazy.h - libcurl, loaded on first use instead of at start-up.
 *
 * libcurl4 (OpenSSL flavour) drags in ~32 shared libraries (nghttp2, idn2,
 * rtmp, ssh2, psl, gssapi, ldap, brotli, zstd, ...).  Linked directly, the
 * dynamic loader spends most of every program's start-up (~12 M of ~15 M
 * instructions of `wm-cache --version`) resolving their symbols, although
 * only the Docker client (docker.c, docker_logs.c) and the HTTP client
 * (http.c) use libcurl.  So the programs do not link it: the first client
 * dlopen()s WM_CURL_SONAME and resolves exactly the functions below, with their real
 * prototypes (curl_lazy.c checks each against <curl/curl.h> at compile time).
 *
 * One of the library's two process-wide states (pq_lazy.h the other): the table,
 * filled once (pthread_once; the ssh tunnel pump and parallel docker stats
 * are threads) and never unloaded.  curl_global_init runs in that one-time
 * initialisation, before any other curl call.
 */
#ifndef WM_CURL_LAZY_H
#define WM_CURL_LAZY_H

#include <curl/curl.h>

#include "base/err.h"

#define WM_CURL_SONAME "libcurl.so.4"
#define WM_CURL_PACKAGE "libcurl4" /* named in the error when it is missing */

/* The libcurl functions the suite calls, as pointers. */
struct wm_curl {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *curl);
	void (*easy_reset)(CURL *curl);
	CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
	CURLcode (*easy_perform)(CURL *curl);
	CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
	const char *(*easy_strerror)(CURLcode code);
	char *(*easy_escape)(CURL *curl, const char *string, int length);
	void (*free)(void *p);
	struct curl_slist *(*slist_append)(struct curl_slist *list, const char *string);
	void (*slist_free_all)(struct curl_slist *list);
};

/* The process's libcurl table, loaded and initialised on the first call
 * (thread-safe).  NULL with err set (WM_ENOTFOUND, e.g. "libcurl.so.4:
 * cannot open shared object file: No such file or directory (install
 * libcurl4)") when the library or one of its functions is missing; every
 * later call gives the same answer. */
const struct wm_curl *wm_curl_get(struct wm_err *err);

/* The loader itself, for tests: dlopen soname, fill *out, and call
 * curl_global_init.  0, or -1 with err set; a handle that fails is closed. */
int wm_curl_load(const char *soname, struct wm_curl *out, struct wm_err *err);

#endif
