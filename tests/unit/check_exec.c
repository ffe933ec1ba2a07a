/* check_exec.c - argv execution: capture, exit codes, timeouts, bounds, no shell. */
#include "config.h"

#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/duration.h"
#include "base/exec.h"
#include "unit.h"

START_TEST(test_capture)
{
	char *argv[] = {"sh", "-c", "printf 'out\\n'; printf 'err' >&2; exit 3", NULL};
	struct wm_exec_result r;
	struct wm_err e = {0};

	ck_assert_int_eq(wm_exec(argv, NULL, 5000, 1024, &r, &e), 0);
	ck_assert_int_eq(r.status, 3);
	ck_assert(!r.timed_out);
	ck_assert(!r.truncated);
	ck_assert_str_eq(r.out, "out\n");
	ck_assert_uint_eq(r.out_len, 4);
	ck_assert_str_eq(r.err_out, "err");
	ck_assert_uint_eq(r.err_len, 3);
	wm_exec_result_free(&r);
	wm_exec_result_free(&r); /* idempotent */
}
END_TEST

START_TEST(test_exit_codes)
{
	char *t[] = {"true", NULL}, *f[] = {"false", NULL};
	char *sig[] = {"sh", "-c", "kill -TERM $$", NULL};
	struct wm_exec_result r;

	ck_assert_int_eq(wm_exec(t, NULL, 5000, 64, &r, NULL), 0);
	ck_assert_int_eq(r.status, 0);
	ck_assert_uint_eq(r.out_len, 0);
	ck_assert_str_eq(r.out, "");
	wm_exec_result_free(&r);
	ck_assert_int_eq(wm_exec(f, NULL, 5000, 64, &r, NULL), 0);
	ck_assert_int_eq(r.status, 1);
	wm_exec_result_free(&r);
	ck_assert_int_eq(wm_exec(sig, NULL, 5000, 64, &r, NULL), 0);
	ck_assert_int_eq(r.status, 128 + SIGTERM);
	ck_assert(!r.timed_out);
	wm_exec_result_free(&r);
}
END_TEST

START_TEST(test_exit_noticed_at_once)
{
	/* The exit is seen when it happens, not at the next periodic wake-up:
	 * 30 runs of true take a fraction of a second. */
	char *argv[] = {"true", NULL};
	int64_t t0 = wm_monotonic_ms(), took;

	for (int i = 0; i < 30; i++) {
		struct wm_exec_result r;

		ck_assert_int_eq(wm_exec(argv, NULL, 5000, 64, &r, NULL), 0);
		ck_assert_int_eq(r.status, 0);
		wm_exec_result_free(&r);
	}
	took = wm_monotonic_ms() - t0;
	ck_assert_msg(took < 1000, "30 runs took %lld ms", (long long)took);
}
END_TEST

START_TEST(test_not_found)
{
	char *argv[] = {"wm-no-such-program-xyz", NULL};
	char *empty[] = {NULL};
	struct wm_exec_result r;
	struct wm_err e = {0};

	ck_assert_int_eq(wm_exec(argv, NULL, 1000, 64, &r, &e), -1);
	ck_assert_int_eq(e.code, WM_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(e.msg, "wm-no-such-program-xyz"));
	wm_exec_result_free(&r);
	ck_assert_int_eq(wm_exec(empty, NULL, 1000, 64, &r, &e), -1);
	ck_assert_int_eq(e.code, WM_EINVAL);
	wm_exec_result_free(&r);
}
END_TEST

/* Run argv (64-byte bound) and check how it ended and that it took less than
 * max_ms (and, on a timeout, at least the timeout). */
static void
expect_run(char *argv[], int64_t timeout_ms, bool timed_out, int status, const char *out,
	   int64_t max_ms)
{
	struct wm_exec_result r;
	int64_t t0 = wm_monotonic_ms(), took;

	ck_assert_int_eq(wm_exec(argv, NULL, timeout_ms, 64, &r, NULL), 0);
	took = wm_monotonic_ms() - t0;
	ck_assert_int_eq(r.timed_out, timed_out);
	ck_assert_int_eq(r.status, status);
	ck_assert_str_eq(r.out, out);
	ck_assert_msg(took < max_ms && (!timed_out || took >= timeout_ms), "took %lld ms",
		      (long long)took);
	wm_exec_result_free(&r);
}

START_TEST(test_timeout_kills_group)
{
	/* sleep runs as a grandchild: killing only sh would leave it holding the
	 * pipe and the call would last 10 s. */
	char *argv[] = {"sh", "-c", "sleep 10; echo late", NULL};

	expect_run(argv, 300, true, 128 + SIGTERM, "", 300 + 900);
}
END_TEST

START_TEST(test_timeout_sigterm_ignored)
{
	/* A process that ignores SIGTERM gets SIGKILL after the grace period. */
	char *argv[] = {"sh", "-c", "trap '' TERM; sleep 10", NULL};

	expect_run(argv, 200, true, 128 + SIGKILL, "", 1200);
}
END_TEST

START_TEST(test_timeout_after_closing_output)
{
	/* Closing stdout and stderr does not escape the timeout. */
	char *argv[] = {"sh", "-c", "exec >&- 2>&-; sleep 10", NULL};

	expect_run(argv, 300, true, 128 + SIGTERM, "", 300 + 900);
}
END_TEST

START_TEST(test_background_holder)
{
	/* The command exits but leaves a process holding stdout: we return soon
	 * after the exit, not at the timeout (the sleeper ends by itself). */
	char *argv[] = {"sh", "-c", "sleep 3 & echo done", NULL};

	expect_run(argv, 10000, false, 0, "done\n", 2500);
}
END_TEST

START_TEST(test_output_bound)
{
	char *argv[] = {"yes", NULL};
	char *both[] = {"sh", "-c", "head -c 5000 /dev/zero | tr '\\0' e >&2; echo ok", NULL};
	struct wm_exec_result r;

	/* yes never ends by itself: the bound is kept, the rest drained until
	 * the timeout. */
	ck_assert_int_eq(wm_exec(argv, NULL, 300, 1000, &r, NULL), 0);
	ck_assert(r.truncated);
	ck_assert(r.timed_out);
	ck_assert_uint_eq(r.out_len, 1000);
	ck_assert_uint_eq(strlen(r.out), 1000);
	ck_assert_int_eq(strspn(r.out, "y\n"), 1000);
	wm_exec_result_free(&r);
	ck_assert_int_eq(wm_exec(both, NULL, 5000, 100, &r, NULL), 0);
	ck_assert(r.truncated);
	ck_assert(!r.timed_out);
	ck_assert_int_eq(r.status, 0);
	ck_assert_uint_eq(r.err_len, 100);
	ck_assert_str_eq(r.out, "ok\n");
	wm_exec_result_free(&r);
}
END_TEST

START_TEST(test_large_output)
{
	char *argv[] = {"sh", "-c", "head -c 200000 /dev/zero | tr '\\0' z", NULL};
	struct wm_exec_result r;

	ck_assert_int_eq(wm_exec(argv, NULL, 5000, 1 << 20, &r, NULL), 0);
	ck_assert(!r.truncated);
	ck_assert_uint_eq(r.out_len, 200000);
	ck_assert_int_eq(strspn(r.out, "z"), 200000);
	wm_exec_result_free(&r);
}
END_TEST

START_TEST(test_no_shell)
{
	char *argv[] = {"echo", "a;", "touch", "/tmp/wm-exec-pwned", "$HOME", "`id`", "'q'", NULL};
	struct wm_exec_result r;

	ck_assert_int_eq(wm_exec(argv, NULL, 5000, 1024, &r, NULL), 0);
	ck_assert_str_eq(r.out, "a; touch /tmp/wm-exec-pwned $HOME `id` 'q'\n");
	ck_assert_int_eq(access("/tmp/wm-exec-pwned", F_OK), -1);
	wm_exec_result_free(&r);
}
END_TEST

START_TEST(test_stdin)
{
	char *cat[] = {"cat", NULL};
	char *ignore[] = {"true", NULL};
	struct wm_exec_result r;
	char *big = malloc(1 << 20);

	ck_assert_int_eq(wm_exec(cat, "hello\nworld", 5000, 64, &r, NULL), 0);
	ck_assert_str_eq(r.out, "hello\nworld");
	wm_exec_result_free(&r);
	ck_assert_int_eq(wm_exec(cat, NULL, 5000, 64, &r, NULL), 0); /* /dev/null */
	ck_assert_str_eq(r.out, "");
	wm_exec_result_free(&r);
	/* A child that never reads a large input must not hang or SIGPIPE us. */
	memset(big, 'x', (1 << 20) - 1);
	big[(1 << 20) - 1] = '\0';
	ck_assert_int_eq(wm_exec(ignore, big, 5000, 64, &r, NULL), 0);
	ck_assert_int_eq(r.status, 0);
	ck_assert(!r.timed_out);
	wm_exec_result_free(&r);
	free(big);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("exec");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_capture);
	tcase_add_test(tc, test_exit_codes);
	tcase_add_test(tc, test_exit_noticed_at_once);
	tcase_add_test(tc, test_not_found);
	tcase_add_test(tc, test_timeout_kills_group);
	tcase_add_test(tc, test_timeout_sigterm_ignored);
	tcase_add_test(tc, test_output_bound);
	tcase_add_test(tc, test_large_output);
	tcase_add_test(tc, test_timeout_after_closing_output);
	tcase_add_test(tc, test_background_holder);
	tcase_add_test(tc, test_no_shell);
	tcase_add_test(tc, test_stdin);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
