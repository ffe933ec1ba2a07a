/* check_ssh.c - remote shell quoting, and failures that need no server. */
#include "config.h"

#include <check.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "transport/ssh.h"
#include "unit.h"

START_TEST(test_quote)
{
	const char *const a1[] = {"df", "-P", "/var/lib/docker", NULL};
	const char *const a2[] = {"echo", "it's", "$(rm -rf /)", "a b", "", NULL};
	const char *const a3[] = {"x", NULL};
	char buf[256], small[8];
	struct wm_err e = {0};

	ck_assert_int_eq(wm_ssh_quote(a1, buf, sizeof(buf), &e), 0);
	ck_assert_str_eq(buf, "'df' '-P' '/var/lib/docker'");
	ck_assert_int_eq(wm_ssh_quote(a2, buf, sizeof(buf), &e), 0);
	ck_assert_str_eq(buf, "'echo' 'it'\\''s' '$(rm -rf /)' 'a b' ''");
	ck_assert_int_eq(wm_ssh_quote(a3, small, 4, &e), 0); /* 'x' + NUL fits exactly */
	ck_assert_str_eq(small, "'x'");
	ck_assert_int_eq(wm_ssh_quote(a3, small, 3, &e), -1);
	ck_assert_int_eq(e.code, WM_ETOOBIG);
	ck_assert_int_eq(wm_ssh_quote(a2, small, sizeof(small), &e), -1);
}
END_TEST

START_TEST(test_connect_refused_fast)
{
	/* Port 1 on loopback: nothing listens, the answer comes within the timeout. */
	struct wm_ssh_opts o = {.host = "127.0.0.1",
				.port = 1,
				.config = "",
				.known_hosts = "/dev/null",
				.timeout_ms = 2000};
	time_t t0 = time(NULL);
	struct wm_ssh *s = wm_ssh_connect(&o);
	char path[128];

	ck_assert_ptr_nonnull(s);
	ck_assert(!wm_ssh_ok(s));
	ck_assert_int_eq(s->err.code, WM_ECONN);
	ck_assert_ptr_nonnull(strstr(s->err.msg, "127.0.0.1:1"));
	ck_assert_int_le(time(NULL) - t0, 3);
	ck_assert_int_eq(wm_ssh_tunnel_tcp(s, "127.0.0.1", 6379, NULL, path, sizeof(path)), -1);
	ck_assert_ptr_null(wm_ssh_tunnel_dir(s));
	wm_ssh_close(s);
	wm_ssh_close(NULL);
}
END_TEST

static void *
ok_thread(void *arg)
{
	struct wm_ssh *s = arg;
	static bool ok;

	ok = wm_ssh_ok(s);
	return &ok;
}

/* wm_ssh_ok reads the session and s->err under s->lock, which the tunnel
 * pump holds while it uses them: with the lock held elsewhere it waits.  On
 * the old code the thread returned during the 300 ms (never a false failure:
 * with the lock taken it cannot return early). */
START_TEST(test_ok_takes_the_lock)
{
	struct wm_ssh_opts o = {.host = "127.0.0.1",
				.port = 1,
				.config = "",
				.known_hosts = "/dev/null",
				.timeout_ms = 2000};
	struct wm_ssh *s = wm_ssh_connect(&o);
	pthread_t th;
	void *ret;

	ck_assert_ptr_nonnull(s);
	pthread_mutex_lock(&s->lock);
	ck_assert_int_eq(pthread_create(&th, NULL, ok_thread, s), 0);
	usleep(300000);
	ck_assert_msg(pthread_tryjoin_np(th, &ret) != 0, "wm_ssh_ok did not wait for the lock");
	pthread_mutex_unlock(&s->lock);
	ck_assert_int_eq(pthread_join(th, &ret), 0);
	ck_assert(!*(bool *)ret);
	wm_ssh_close(s);
}
END_TEST

START_TEST(test_no_host)
{
	struct wm_ssh_opts o = {.host = NULL, .timeout_ms = 100};
	struct wm_ssh *s = wm_ssh_connect(&o);

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->err.code, WM_EINVAL);
	wm_ssh_close(s);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ssh");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_quote);
	tcase_add_test(tc, test_connect_refused_fast);
	tcase_add_test(tc, test_ok_takes_the_lock);
	tcase_add_test(tc, test_no_host);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
