/* curl_lazy.c - dlopen libcurl on first use (see curl_lazy.h for why). */
#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

#include "transport/curl_lazy.h"
#include "base/lazylib.h"

#define SAME_TYPE(field, fn) WM_LAZYLIB_SAME_TYPE(struct wm_curl, field, fn)
SAME_TYPE(global_init, curl_global_init);
SAME_TYPE(easy_init, curl_easy_init);
SAME_TYPE(easy_cleanup, curl_easy_cleanup);
SAME_TYPE(easy_reset, curl_easy_reset);
SAME_TYPE(easy_setopt, curl_easy_setopt);
SAME_TYPE(easy_perform, curl_easy_perform);
SAME_TYPE(easy_getinfo, curl_easy_getinfo);
SAME_TYPE(easy_strerror, curl_easy_strerror);
SAME_TYPE(easy_escape, curl_easy_escape);
SAME_TYPE(free, curl_free);
SAME_TYPE(slist_append, curl_slist_append);
SAME_TYPE(slist_free_all, curl_slist_free_all);

static const struct wm_lazylib_sym syms[] = {
    {"curl_global_init", offsetof(struct wm_curl, global_init)},
    {"curl_easy_init", offsetof(struct wm_curl, easy_init)},
    {"curl_easy_cleanup", offsetof(struct wm_curl, easy_cleanup)},
    {"curl_easy_reset", offsetof(struct wm_curl, easy_reset)},
    {"curl_easy_setopt", offsetof(struct wm_curl, easy_setopt)},
    {"curl_easy_perform", offsetof(struct wm_curl, easy_perform)},
    {"curl_easy_getinfo", offsetof(struct wm_curl, easy_getinfo)},
    {"curl_easy_strerror", offsetof(struct wm_curl, easy_strerror)},
    {"curl_easy_escape", offsetof(struct wm_curl, easy_escape)},
    {"curl_free", offsetof(struct wm_curl, free)},
    {"curl_slist_append", offsetof(struct wm_curl, slist_append)},
    {"curl_slist_free_all", offsetof(struct wm_curl, slist_free_all)},
};

int
wm_curl_load(const char *soname, struct wm_curl *out, struct wm_err *err)
{
	void *h = wm_lazylib_open(soname, WM_CURL_PACKAGE, syms, sizeof(syms) / sizeof(syms[0]),
				  out, sizeof(*out), err);
	CURLcode rc;

	if (!h)
		return -1;
	rc = out->global_init(CURL_GLOBAL_DEFAULT);
	if (rc != CURLE_OK) {
		wm_err_set(err, WM_EIO, "curl_global_init: %s", out->easy_strerror(rc));
		memset(out, 0, sizeof(*out));
		dlclose(h);
		return -1;
	}
	return 0;
}

/* The process-wide table (see curl_lazy.h): written once, then read-only. */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct wm_curl table;
static struct wm_err load_err;
static int load_rc = -1;

static void
load_once(void)
{
	load_rc = wm_curl_load(WM_CURL_SONAME, &table, &load_err);
}

const struct wm_curl *
wm_curl_get(struct wm_err *err)
{
	pthread_once(&once, load_once);
	if (load_rc < 0) {
		if (err)
			*err = load_err;
		return NULL;
	}
	return &table;
}
