/* check_lazylib.c - libcurl and libpq loaded on first use (lazylib.c,
 * curl_lazy.c, pq_lazy.c): a missing library or function gives a clear
 * error, the loaded tables work, and concurrent first calls all get the one
 * table. */
#include "config.h"

#include <check.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "transport/curl_lazy.h"
#include "transport/pq_lazy.h"
#include "unit.h"

START_TEST(test_missing_library)
{
	struct wm_err err = {0};
	struct wm_curl t;

	ck_assert_int_eq(wm_curl_load("libwm-no-such-curl.so.4", &t, &err), -1);
	ck_assert_int_eq(err.code, WM_ENOTFOUND);
	ck_assert_msg(strstr(err.msg, "libwm-no-such-curl.so.4: cannot open shared object file"),
		      "%s", err.msg);
	ck_assert_msg(strstr(err.msg, "(install libcurl4)"), "%s", err.msg);
	ck_assert_ptr_null(t.easy_init);
}
END_TEST

START_TEST(test_missing_function)
{
	struct wm_err err = {0};
	struct wm_curl t;

	/* A library that exists but is not libcurl. */
	ck_assert_int_eq(wm_curl_load("libm.so.6", &t, &err), -1);
	ck_assert_int_eq(err.code, WM_ENOTFOUND);
	ck_assert_str_eq(err.msg, "libm.so.6: no function curl_global_init (install libcurl4)");
	ck_assert_ptr_null(t.global_init);
}
END_TEST

START_TEST(test_calls_work)
{
	struct wm_err err = {0};
	const struct wm_curl *cu = wm_curl_get(&err);
	char ebuf[CURL_ERROR_SIZE] = "";
	CURL *h;
	char *enc;

	ck_assert_msg(cu != NULL, "%s", err.msg);
	ck_assert_ptr_eq(wm_curl_get(NULL), cu);
	ck_assert_str_eq(cu->easy_strerror(CURLE_COULDNT_CONNECT), "Couldn't connect to server");
	h = cu->easy_init();
	ck_assert_ptr_nonnull(h);
	enc = cu->easy_escape(h, "{\"a b\"}", 0);
	ck_assert_str_eq(enc, "%7B%22a%20b%22%7D");
	cu->free(enc);
	/* Variadic setopt through the pointer: a socket that does not exist. */
	ck_assert_int_eq(cu->easy_setopt(h, CURLOPT_URL, "http://docker/_ping"), CURLE_OK);
	ck_assert_int_eq(cu->easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, "/nonexistent/wm.sock"),
			 CURLE_OK);
	ck_assert_int_eq(cu->easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 2000L), CURLE_OK);
	ck_assert_int_eq(cu->easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf), CURLE_OK);
	ck_assert_int_eq(cu->easy_perform(h), CURLE_COULDNT_CONNECT);
	ck_assert_msg(*ebuf, "no error text");
	cu->easy_reset(h);
	cu->easy_cleanup(h);
}
END_TEST

START_TEST(test_pq_missing)
{
	struct wm_err err = {0};
	struct wm_pq t;

	ck_assert_int_eq(wm_pq_load("libwm-no-such-pq.so.5", &t, &err), -1);
	ck_assert_int_eq(err.code, WM_ENOTFOUND);
	ck_assert_msg(strstr(err.msg, "libwm-no-such-pq.so.5: cannot open shared object file"),
		      "%s", err.msg);
	ck_assert_msg(strstr(err.msg, "(install libpq5)"), "%s", err.msg);
	ck_assert_int_eq(wm_pq_load("libm.so.6", &t, &err), -1);
	ck_assert_str_eq(err.msg, "libm.so.6: no function PQconnectdbParams (install libpq5)");
	ck_assert_ptr_null(t.connectdbParams);
}
END_TEST

START_TEST(test_pq_calls_work)
{
	struct wm_err err = {0};
	const struct wm_pq *pq = wm_pq_get(&err);
	PQconninfoOption *opts, *o;
	char *msg = NULL;
	int seen = 0;

	ck_assert_msg(pq != NULL, "%s", err.msg);
	ck_assert_ptr_eq(wm_pq_get(NULL), pq);
	opts = pq->conninfoParse("host=db.example port=6543 dbname=warungin", &msg);
	ck_assert_ptr_nonnull(opts);
	for (o = opts; o->keyword; o++)
		if (o->val && (!strcmp(o->keyword, "port") || !strcmp(o->keyword, "dbname")))
			seen += !strcmp(o->val, "6543") + !strcmp(o->val, "warungin");
	ck_assert_int_eq(seen, 2);
	pq->conninfoFree(opts);
	ck_assert_ptr_null(pq->conninfoParse("nonsense", &msg));
	ck_assert_ptr_nonnull(msg);
	pq->freemem(msg);
}
END_TEST

/* Every dlopen of the program goes through here (the executable's definition
 * comes first in symbol lookup): loads of libcurl are counted, then the
 * next dlopen (the sanitizer's or libc's) does the work. */
static void *(*real_dlopen)(const char *, int);
static atomic_int curl_loads;

void *
dlopen(const char *file, int mode)
{
	if (file && !strcmp(file, WM_CURL_SONAME))
		atomic_fetch_add(&curl_loads, 1);
	return real_dlopen(file, mode);
}

static void *
get_in_thread(void *arg)
{
	(void)arg;
	return (void *)wm_curl_get(NULL);
}

START_TEST(test_threads_share_one_table)
{
	pthread_t th[4];
	void *got[4];
	int i;

	ck_assert_int_eq(atomic_load(&curl_loads), 0); /* nothing loaded it before */
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, get_in_thread, NULL), 0);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_join(th[i], &got[i]), 0);
	for (i = 0; i < 4; i++)
		ck_assert_ptr_nonnull(got[i]);
	ck_assert_ptr_nonnull(wm_curl_get(NULL));
	/* Four concurrent first calls and one more: libcurl was opened once. */
	ck_assert_int_eq(atomic_load(&curl_loads), 1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("lazylib");
	TCase *tc = tcase_create("core");

	real_dlopen = (void *(*)(const char *, int))dlsym(RTLD_NEXT, "dlopen");
	if (!real_dlopen)
		return 99;

	/* The threads test first in its own process: the first call loads. */
	tcase_add_test(tc, test_threads_share_one_table);
	tcase_add_test(tc, test_missing_library);
	tcase_add_test(tc, test_missing_function);
	tcase_add_test(tc, test_calls_work);
	tcase_add_test(tc, test_pq_missing);
	tcase_add_test(tc, test_pq_calls_work);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
