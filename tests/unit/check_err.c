/* check_err.c - the error record: set, prefix, names, and the "what: why"
 * list the checks build when several services could not be read. */
#include "config.h"

#include <string.h>

#include "base/err.h"
#include "unit.h"

START_TEST(test_set_and_prefix)
{
	struct wm_err e = {0};

	ck_assert_int_eq(wm_err_set(&e, WM_ETIMEDOUT, "no answer within %d ms", 500), -1);
	ck_assert_int_eq(e.code, WM_ETIMEDOUT);
	wm_err_prefix(&e, "redis %s", "127.0.0.1:6379");
	ck_assert_str_eq(e.msg, "redis 127.0.0.1:6379: no answer within 500 ms");
	ck_assert_str_eq(wm_err_name(WM_ETIMEDOUT), "timeout");
	ck_assert_str_eq(wm_err_name(9999), "error");
	wm_err_clear(&e);
	ck_assert_int_eq(e.code, WM_EOK);
}
END_TEST

START_TEST(test_why_append)
{
	char buf[48] = "";

	wm_why_append(buf, sizeof buf, "backend", "no such container");
	ck_assert_str_eq(buf, "backend: no such container");
	wm_why_append(buf, sizeof buf, "redis", "timeout");
	ck_assert_str_eq(buf, "backend: no such container; redis: timeout");
	/* Full: cut at the buffer, always terminated, never past it. */
	wm_why_append(buf, sizeof buf, "postgres", "connection refused");
	ck_assert_uint_eq(strlen(buf), sizeof buf - 1);
	ck_assert(strncmp(buf, "backend: no such container; redis: timeout; po", 46) == 0);
	wm_why_append(buf, sizeof buf, "nginx", "more");
	ck_assert_uint_eq(strlen(buf), sizeof buf - 1);
}
END_TEST

static Suite *
err_suite(void)
{
	Suite *s = suite_create("err");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_set_and_prefix);
	tcase_add_test(tc, test_why_append);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return wm_unit_run(err_suite());
}
