/* curl_lazy.c - dlopen libcurl on first use (see curl_lazy.h for why). */
#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

#include "curl_lazy.h"

/* Each pointer's type must be the type of the function in <curl/curl.h>.
 * _Generic does not evaluate &fn, so no reference to libcurl is emitted;
 * the parentheses keep curl's type-checking macros (curl_easy_setopt,
 * curl_easy_getinfo) from expanding. */
#define SAME_TYPE(field, fn)                                                                   \
	_Static_assert(_Generic(&(fn), __typeof__(((struct wm_curl *)0)->field): 1, default: 0), \
		       #fn " does not match struct wm_curl." #field)
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

static const struct {
	const char *name;
	size_t off;
} syms[] = {
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
};

int
wm_curl_load(const char *soname, struct wm_curl *out, struct wm_err *err)
{
	void *h, *sym;
	const char *why;
	CURLcode rc;
	size_t i;

	memset(out, 0, sizeof(*out));
	h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		why = dlerror();
		return wm_err_set(err, WM_ENOTFOUND, "%s (install %s)",
				  why ? why : soname, WM_CURL_PACKAGE);
	}
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		sym = dlsym(h, syms[i].name);
		if (!sym) {
			wm_err_set(err, WM_ENOTFOUND, "%s: no function %s (install %s)", soname,
				   syms[i].name, WM_CURL_PACKAGE);
			goto close_lib;
		}
		/* POSIX: a data pointer from dlsym converts to a function pointer. */
		memcpy((char *)out + syms[i].off, &sym, sizeof(sym));
	}
	rc = out->global_init(CURL_GLOBAL_DEFAULT);
	if (rc != CURLE_OK) {
		wm_err_set(err, WM_EIO, "curl_global_init: %s", out->easy_strerror(rc));
		goto close_lib;
	}
	return 0;

close_lib:
	memset(out, 0, sizeof(*out));
	dlclose(h);
	return -1;
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
