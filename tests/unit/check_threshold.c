/* check_threshold.c - Nagios ranges: every form of the plugin guidelines'
 * table, the invalid ones, and the evaluation of metrics and checks. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/threshold.h"
#include "unit.h"

/* The guidelines' table, probed at and around every bound. */
static const struct {
	const char *range;
	double value;
	bool alerts;
} table[] = {
    {"10", -0.001, true},
    {"10", 0, false},
    {"10", 5, false},
    {"10", 10, false},
    {"10", 10.001, true},
    {"10", -5, true},
    {"10:", 9.999, true},
    {"10:", 10, false},
    {"10:", 1e12, false},
    {"~:10", -1e12, false},
    {"~:10", 10, false},
    {"~:10", 10.5, true},
    {"10:20", 9, true},
    {"10:20", 10, false},
    {"10:20", 15, false},
    {"10:20", 20, false},
    {"10:20", 21, true},
    {"@10:20", 9.99, false},
    {"@10:20", 10, true},
    {"@10:20", 15, true},
    {"@10:20", 20, true},
    {"@10:20", 20.01, false},
    {"@10", 0, true},
    {"@10", 11, false},
    {"@10", -1, false},
    {"@~:10", 3, true},
    {"@~:10", 11, false},
    {"@10:", 9, false},
    {"@10:", 10, true},
    {"-5:-1", -3, false},
    {"-5:-1", 0, true},
    {"-5:-1", -6, true},
    {"0.5:1.5", 0.49, true},
    {"0.5:1.5", 1.5, false},
    {"1e3", 999, false},
    {"1e3", 1001, true},
    {"~:", -1e300, false},
    {"~:", 1e300, false},
    {"@~:", 0, true},
    {"0", 0, false},
    {"0", 0.1, true},
    {"5:5", 5, false},
    {"5:5", 5.0001, true},
    /* monitoring-plugins' own cases (issue 11 item 7): empty start, trailing % */
    {":5.75", 5.75, false},
    {":5.75", 5.76, true},
    {":5.75", -0.1, true},
    {"@:5", 3, true},
    {"@:5", 6, false},
    {"1:12%", 12, false},
    {"1:12%", 12.5, true},
    {"1:12%", 0.5, true},
    {"85%", 85, false},
    {"~:2%", 3, true},
};

START_TEST(test_table)
{
	struct wm_range r;
	struct wm_err err = {0};

	ck_assert_msg(wm_range_parse(table[_i].range, &r, &err) == 0, "%s: %s", table[_i].range,
		      err.msg);
	ck_assert_msg(wm_range_alerts(&r, table[_i].value) == table[_i].alerts,
		      "range %s value %g: expected %s", table[_i].range, table[_i].value,
		      table[_i].alerts ? "alert" : "no alert");
}
END_TEST

START_TEST(test_parsed_fields)
{
	struct wm_range r;

	ck_assert_int_eq(wm_range_parse("@-1.5:~", &r, NULL), -1); /* ~ only as start */
	ck_assert_int_eq(wm_range_parse("@-1.5:2", &r, NULL), 0);
	ck_assert(r.inside && !r.start_inf && !r.end_inf);
	ck_assert(r.start == -1.5 && r.end == 2);
	ck_assert_int_eq(wm_range_parse("10", &r, NULL), 0);
	ck_assert(!r.inside && r.start == 0 && r.end == 10);
	ck_assert_int_eq(wm_range_parse("10:", &r, NULL), 0);
	ck_assert(r.end_inf && r.start == 10);
	ck_assert_int_eq(wm_range_parse("~:10", &r, NULL), 0);
	ck_assert(r.start_inf && !r.end_inf && r.end == 10);
}
END_TEST

static const char *const invalid[] = {
    "",	      "@",     "~",    ":",    "%",	 "@:",	  "abc",   "abc%",     "10%%",
    "10%:",   ":abc",  "x:5%", "10x",  "10:20x", " 10",	  "10 ",   "10:20:30", "20:10",
    "@20:10", "-1:-2", "inf",  "nan",  "0x10",	 "1e999", "~:~",   "10::",     "+",
    "-",      ".",     "1-2",  "10,5", "@@10",	 "~10",	  "5:nan",
};

START_TEST(test_invalid)
{
	struct wm_range r = {.start = 42};
	struct wm_err err = {0};

	ck_assert_msg(wm_range_parse(invalid[_i], &r, &err) == -1, "accepted '%s'", invalid[_i]);
	ck_assert_int_eq(err.code, WM_EINVAL);
	ck_assert_msg(strstr(err.msg, "range") != NULL, "message: %s", err.msg);
	ck_assert(r.start == 42); /* untouched on failure */
}
END_TEST

START_TEST(test_messages)
{
	struct wm_err err = {0};
	struct wm_range r;

	wm_range_parse("20:10", &r, &err);
	ck_assert_str_eq(err.msg, "invalid threshold range '20:10': start is greater than end");
	wm_range_parse("1O", &r, &err);
	ck_assert_str_eq(err.msg,
			 "invalid threshold range '1O' (expected N, N:, ~:N, N:M or @N:M)");
	wm_range_parse(NULL, &r, &err);
	ck_assert_str_eq(err.msg, "empty threshold range");
}
END_TEST

START_TEST(test_nan_never_alerts)
{
	struct wm_range r;

	wm_range_parse("@~:", &r, NULL);
	ck_assert(!wm_range_alerts(&r, NAN));
}
END_TEST

static enum wm_state
eval(double v, const char *warn, const char *crit)
{
	struct wm_result *res = wm_result_new("t", "0", NULL);
	struct wm_check *c = wm_result_add_check(res, "c");
	struct wm_metric *m = wm_check_add_metric(c, "m", v, "");
	enum wm_state s;

	wm_metric_set_thresholds(m, warn, crit);
	s = wm_metric_eval(m);
	wm_result_free(res);
	return s;
}

START_TEST(test_metric_eval)
{
	/* hit rate: warn below 85, critical below 70 */
	ck_assert_int_eq(eval(91.2, "85:", "70:"), WM_OK);
	ck_assert_int_eq(eval(85, "85:", "70:"), WM_OK);
	ck_assert_int_eq(eval(80, "85:", "70:"), WM_WARNING);
	ck_assert_int_eq(eval(60, "85:", "70:"), WM_CRITICAL);
	ck_assert_int_eq(eval(60, NULL, "70:"), WM_CRITICAL);
	ck_assert_int_eq(eval(80, NULL, "70:"), WM_OK);
	ck_assert_int_eq(eval(80, "85:", NULL), WM_WARNING);
	/* nothing to judge: OK whatever the value */
	ck_assert_int_eq(eval(NAN, NULL, NULL), WM_OK);
	ck_assert_int_eq(eval(-1e9, NULL, NULL), WM_OK);
	/* a threshold and no value: cannot judge */
	ck_assert_int_eq(eval(NAN, "85:", "70:"), WM_UNKNOWN);
	/* a broken range text cannot be judged either */
	ck_assert_int_eq(eval(5, "bogus", NULL), WM_UNKNOWN);
	ck_assert_int_eq(eval(5, "1:", "bogus"), WM_UNKNOWN);
	/* critical is decided first, even when warn is broken */
	ck_assert_int_eq(eval(0, "bogus", "1:"), WM_CRITICAL);
}
END_TEST

START_TEST(test_check_eval)
{
	struct wm_result *r = wm_result_new("t", "0", NULL);
	struct wm_check *c = wm_result_add_check(r, "db.latency");
	struct wm_metric *p95 = wm_check_add_metric(c, "p95", 300, "ms");
	struct wm_metric *p99 = wm_check_add_metric(c, "p99", 2500, "ms");

	wm_metric_set_thresholds(p95, "~:500", "~:1000");
	wm_metric_set_thresholds(p99, "~:2000", "~:5000");
	ck_assert_int_eq(wm_check_eval(c), WM_WARNING);
	ck_assert_int_eq(c->state, WM_WARNING);
	/* never lowers a state the collector set */
	wm_check_set(c, WM_CRITICAL, "connection refused");
	ck_assert_int_eq(wm_check_eval(c), WM_CRITICAL);
	wm_result_free(r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("threshold");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_table, 0, (int)(sizeof(table) / sizeof(table[0])));
	tcase_add_test(tc, test_parsed_fields);
	tcase_add_loop_test(tc, test_invalid, 0, (int)(sizeof(invalid) / sizeof(invalid[0])));
	tcase_add_test(tc, test_messages);
	tcase_add_test(tc, test_nan_never_alerts);
	tcase_add_test(tc, test_metric_eval);
	tcase_add_test(tc, test_check_eval);
	/* generous: the machine running the tests may be busy (ASan, -j) */
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
