/* check_pg.c - pg_stat_statements windows (resets included) and the p95 estimate. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clients/pg.h"
#include "unit.h"

/* A cumulative row built from the real per-execution times it summarises. */
static struct wm_pg_stmt
stmt(const char *key, const double *times, size_t n)
{
	struct wm_pg_stmt s;

	memset(&s, 0, sizeof(s));
	snprintf(s.key, sizeof(s.key), "%s", key);
	for (size_t i = 0; i < n; i++) {
		s.calls += 1;
		s.total_ms += times[i];
		s.sumsq_ms2 += times[i] * times[i];
	}
	return s;
}

START_TEST(test_window_mean_and_stddev)
{
	double first[10], all[30];
	struct wm_pg_stmt prev, cur;
	struct wm_pg_stmt_delta *d;
	size_t n;

	for (int i = 0; i < 10; i++)
		first[i] = all[i] = 10;
	for (int i = 10; i < 30; i++)
		all[i] = i % 2 ? 30 : 10; /* the window: mean 20, stddev 10 */
	prev = stmt("10:1:42", first, 10);
	cur = stmt("10:1:42", all, 30);
	ck_assert_int_eq(wm_pg_stmt_deltas(&prev, 1, &cur, 1, &d, &n), 0);
	ck_assert_int_eq(n, 1);
	ck_assert_double_eq_tol(d[0].calls, 20, 1e-9);
	ck_assert_double_eq_tol(d[0].mean_ms, 20, 1e-9);
	ck_assert_double_eq_tol(d[0].stddev_ms, 10, 1e-6);
	free(d);
}
END_TEST

START_TEST(test_window_resets_and_new)
{
	double t5[5] = {1, 2, 3, 4, 5}, t50[50], t8[8] = {7, 7, 7, 7, 7, 7, 7, 7};
	struct wm_pg_stmt prev[3], cur[3];
	struct wm_pg_stmt_delta *d;
	size_t n;

	for (int i = 0; i < 50; i++)
		t50[i] = 100;
	prev[0] = stmt("1:1:1", t50, 50); /* reset since: now 5 calls */
	prev[1] = stmt("1:1:2", t8, 8);	  /* unchanged: no calls in the window */
	prev[2] = stmt("1:1:9", t8, 8);	  /* gone (deallocated): ignored */
	cur[0] = stmt("1:1:1", t5, 5);
	cur[1] = stmt("1:1:2", t8, 8);
	cur[2] = stmt("1:1:3", t8, 8); /* new statement */
	ck_assert_int_eq(wm_pg_stmt_deltas(prev, 3, cur, 3, &d, &n), 0);
	ck_assert_int_eq(n, 2);
	ck_assert_double_eq_tol(d[0].calls, 5, 1e-9); /* counted since the reset */
	ck_assert_double_eq_tol(d[0].mean_ms, 3, 1e-9);
	ck_assert_double_eq_tol(d[0].stddev_ms, sqrt(2), 1e-6);
	ck_assert_double_eq_tol(d[1].calls, 8, 1e-9);
	ck_assert_double_eq_tol(d[1].mean_ms, 7, 1e-9);
	ck_assert_double_eq_tol(wm_pg_stmt_mean(d, n), (15 + 56) / 13.0, 1e-9);
	free(d);
	/* First sample: everything since the reset counts. */
	ck_assert_int_eq(wm_pg_stmt_deltas(NULL, 0, cur, 3, &d, &n), 0);
	ck_assert_int_eq(n, 3);
	free(d);
}
END_TEST

START_TEST(test_window_rounded_state)
{
	/* The previous sample went through JSON: 15 significant digits. */
	struct wm_pg_stmt prev = {.key = "1:1:7",
				  .calls = 1203,
				  .total_ms = 80.510355000000004,
				  .sumsq_ms2 = 4234.268788605263};
	struct wm_pg_stmt cur = prev;
	struct wm_pg_stmt_delta *d;
	size_t n;

	cur.total_ms = 80.51035499999999; /* the same total, as the server prints it */
	ck_assert_int_eq(wm_pg_stmt_deltas(&prev, 1, &cur, 1, &d, &n), 0);
	ck_assert_int_eq(n, 0); /* not a reset, and no calls in the window */
	free(d);
	cur.calls = 1205;
	cur.total_ms = 80.51035499999999 + 2;
	ck_assert_int_eq(wm_pg_stmt_deltas(&prev, 1, &cur, 1, &d, &n), 0);
	ck_assert_int_eq(n, 1);
	ck_assert_double_eq_tol(d[0].calls, 2, 1e-9);
	ck_assert_double_eq_tol(d[0].mean_ms, 1, 1e-9);
	free(d);
}
END_TEST

START_TEST(test_quantile_point_masses)
{
	struct wm_pg_stmt_delta d[2] = {{90, 1, 0}, {10, 100, 0}};

	ck_assert_double_eq_tol(wm_pg_stmt_quantile(d, 2, 0.95), 100, 1e-6);
	ck_assert_double_eq_tol(wm_pg_stmt_quantile(d, 2, 0.50), 1, 1e-6);
	ck_assert_double_eq_tol(wm_pg_stmt_quantile(d, 1, 0.95), 1, 1e-6);
	ck_assert(isnan(wm_pg_stmt_quantile(d, 0, 0.95)));
	ck_assert(isnan(wm_pg_stmt_quantile(d, 2, 1.5)));
	ck_assert(isnan(wm_pg_stmt_mean(d, 0)));
}
END_TEST

START_TEST(test_quantile_lognormal)
{
	/* One statement: the analytic lognormal quantile exp(mu + z * sigma). */
	struct wm_pg_stmt_delta d[2] = {{1000, 100, 50}, {1000, 100, 50}};
	double s2 = log(1 + 0.25), mu = log(100) - s2 / 2;
	double want = exp(mu + 1.6448536269514722 * sqrt(s2));

	ck_assert_double_eq_tol(wm_pg_stmt_quantile(d, 1, 0.95), want, want * 1e-6);
	/* The same statement twice: the mixture is the same distribution. */
	ck_assert_double_eq_tol(wm_pg_stmt_quantile(d, 2, 0.95), want, want * 1e-6);
	/* A long tail: p95 above the mean, p50 below it. */
	ck_assert(wm_pg_stmt_quantile(d, 1, 0.5) < 100);
	ck_assert(wm_pg_stmt_quantile(d, 1, 0.95) > 100);
}
END_TEST

START_TEST(test_ping_names)
{
	ck_assert_str_eq(wm_pg_ping_name(WM_PG_PING_OK), "accepting connections");
	ck_assert_str_eq(wm_pg_ping_name(WM_PG_PING_REJECT), "rejecting connections");
	ck_assert_str_eq(wm_pg_ping_name(WM_PG_PING_NO_RESPONSE), "no response");
	ck_assert_str_eq(wm_pg_ping_name(WM_PG_PING_NO_ATTEMPT), "no attempt");
	/* pg_isready's exit codes are the enum values. */
	ck_assert_int_eq(WM_PG_PING_NO_ATTEMPT, 3);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("pg");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_window_mean_and_stddev);
	tcase_add_test(tc, test_window_resets_and_new);
	tcase_add_test(tc, test_window_rounded_state);
	tcase_add_test(tc, test_quantile_point_masses);
	tcase_add_test(tc, test_quantile_lognormal);
	tcase_add_test(tc, test_ping_names);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
