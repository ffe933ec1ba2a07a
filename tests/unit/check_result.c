/* check_result.c - the result model: worst wins, exit codes, ownership. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "model/result.h"
#include "unit.h"

START_TEST(test_worst_order)
{
	/* CRITICAL > WARNING > UNKNOWN > OK, in both argument orders. */
	ck_assert_int_eq(wm_state_worst(WM_OK, WM_UNKNOWN), WM_UNKNOWN);
	ck_assert_int_eq(wm_state_worst(WM_UNKNOWN, WM_WARNING), WM_WARNING);
	ck_assert_int_eq(wm_state_worst(WM_WARNING, WM_UNKNOWN), WM_WARNING);
	ck_assert_int_eq(wm_state_worst(WM_CRITICAL, WM_WARNING), WM_CRITICAL);
	ck_assert_int_eq(wm_state_worst(WM_UNKNOWN, WM_CRITICAL), WM_CRITICAL);
	ck_assert_int_eq(wm_state_worst(WM_OK, WM_OK), WM_OK);
}
END_TEST

START_TEST(test_result_state)
{
	struct wm_result *r = wm_result_new("wm-test", "0", NULL);
	struct wm_check *a, *b;

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(wm_result_state(r), WM_OK);
	a = wm_result_add_check(r, "a");
	b = wm_result_add_check(r, "b");
	wm_check_set(a, WM_UNKNOWN, "could not %s", "connect");
	ck_assert_str_eq(a->summary, "could not connect");
	ck_assert_int_eq(wm_result_exit_code(r), 3);
	wm_check_set(b, WM_WARNING, NULL);
	ck_assert_int_eq(wm_result_exit_code(r), 1);
	wm_check_raise(b, WM_OK);
	ck_assert_int_eq(b->state, WM_WARNING);
	wm_check_raise(a, WM_CRITICAL);
	ck_assert_int_eq(wm_result_exit_code(r), 2);
	ck_assert_ptr_eq(wm_result_find_check(r, "b"), b);
	ck_assert_ptr_null(wm_result_find_check(r, "c"));
	wm_result_free(r);
}
END_TEST

START_TEST(test_metrics_and_data)
{
	struct wm_result *r = wm_result_new("wm-test", "0", "prod");
	struct wm_check *c = wm_result_add_check(r, "redis.hit_rate");
	struct wm_metric *m;

	/* Many metrics force the array to grow; earlier ones stay intact. */
	for (int i = 0; i < 20; i++)
		ck_assert_ptr_nonnull(wm_check_add_metric(c, "x", i, NULL));
	m = wm_check_add_metric(c, "hit_rate", 91.2, "%");
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(wm_metric_set_thresholds(m, "85:", "70:"), 0);
	ck_assert_str_eq(c->metrics[20].warn, "85:");
	ck_assert_str_eq(c->metrics[0].unit, "");
	ck_assert(isnan(c->metrics[0].min));
	ck_assert_double_eq(c->metrics[19].value, 19);
	cJSON_AddNumberToObject(wm_check_data(c), "keys", 3);
	ck_assert_ptr_eq(wm_check_data(c), c->data);
	ck_assert_str_eq(r->target, "prod");
	/* The duration is measured: 30 ms spent before finishing are counted
	 * (and a run of a few ms is not reported as minutes). */
	nanosleep(&(struct timespec){.tv_nsec = 30 * 1000000L}, NULL);
	wm_result_finish(r);
	ck_assert_int_ge(r->duration_ms, 25);
	ck_assert_int_lt(r->duration_ms, 60000);
	wm_result_free(r);
	wm_result_free(NULL);
}
END_TEST

START_TEST(test_state_parse)
{
	ck_assert_int_eq(wm_state_parse("critical"), WM_CRITICAL);
	ck_assert_int_eq(wm_state_parse("OK"), WM_OK);
	ck_assert_int_eq(wm_state_parse("bad"), -1);
	ck_assert_int_eq(wm_state_parse(NULL), -1);
	ck_assert_str_eq(wm_state_name(WM_UNKNOWN), "UNKNOWN");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("result");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_worst_order);
	tcase_add_test(tc, test_result_state);
	tcase_add_test(tc, test_metrics_and_data);
	tcase_add_test(tc, test_state_parse);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
