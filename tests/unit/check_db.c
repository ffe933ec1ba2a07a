/* check_db.c - wm-db's window checks: never-shrink tables, restarts and
 * resets of pg_stat_database, pg_stat_statements windows, the p95 threshold. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/db.h"
#include "store/sample.h"
#include "model/threshold.h"
#include "unit.h"

#define NOW 1764288000000LL
#define LABEL "PostgreSQL 127.0.0.1:5432"

static void
facts(struct wm_db_facts *f, struct wm_db_table *tables, size_t ntables, double deadlocks,
      const char *start)
{
	memset(f, 0, sizeof(*f));
	f->have_db = true;
	f->db.xact_commit = 1000;
	f->db.xact_rollback = 10;
	f->db.deadlocks = deadlocks;
	f->db.checksum_failures = 0;
	snprintf(f->db.postmaster_start, sizeof(f->db.postmaster_start), "%s", start);
	f->tables = tables;
	f->ntables = ntables;
	snprintf(f->stmts_msg, sizeof(f->stmts_msg), "not installed");
}

static struct wm_result *
run(const struct wm_db_facts *f, const cJSON *prev, int64_t now, cJSON **next)
{
	struct wm_result *r = wm_result_new("wm-db", "0", "test");

	ck_assert_int_eq(wm_db_evaluate(r, f, prev, now, LABEL, next), 0);
	for (size_t i = 0; i < r->nchecks; i++)
		wm_check_eval(r->checks[i]);
	return r;
}

static const struct wm_check *
check(const struct wm_result *r, const char *name)
{
	const struct wm_check *c = wm_result_find_check(r, name);

	ck_assert_msg(c != NULL, "no check %s", name);
	return c;
}

static const struct wm_metric *
metric(const struct wm_check *c, const char *name)
{
	for (size_t i = 0; i < c->nmetrics; i++)
		if (!strcmp(c->metrics[i].name, name))
			return &c->metrics[i];
	ck_abort_msg("no metric %s in %s", name, c->name);
	return NULL;
}

START_TEST(test_data_loss_named)
{
	struct wm_db_table t[2] = {{.name = "orders", .rows = 120}, {.name = "users", .rows = 5}};
	struct wm_db_facts f;
	cJSON *prev = NULL, *next = NULL;
	struct wm_result *r;

	facts(&f, t, 2, 0, "2026-11-27 10:00:00+00");
	r = run(&f, NULL, NOW - 3600000, &prev);
	ck_assert_int_eq(check(r, "pg.data_loss")->state, WM_OK);
	ck_assert_ptr_nonnull(
	    strstr(check(r, "pg.data_loss")->summary, "orders: 120 rows (first count)"));
	ck_assert_ptr_nonnull(strstr(check(r, "pg.statements")->summary, "unavailable"));
	ck_assert_ptr_nonnull(strstr(check(r, "pg.integrity")->summary, "(first sample)"));
	wm_result_free(r);
	/* An hour later orders lost 40 rows; users grew. */
	t[0].rows = 80;
	t[1].rows = 6;
	r = run(&f, prev, NOW, &next);
	ck_assert_int_eq(check(r, "pg.data_loss")->state, WM_CRITICAL);
	ck_assert_ptr_nonnull(strstr(check(r, "pg.data_loss")->summary,
				     "possible data loss: orders went from 120 to 80 rows"));
	ck_assert_ptr_null(strstr(check(r, "pg.data_loss")->summary, "users went"));
	ck_assert_int_eq(wm_result_exit_code(r), WM_CRITICAL);
	wm_result_free(r);
	cJSON_Delete(next);
	/* The table is gone: CRITICAL, and the old count is kept so it keeps alerting. */
	t[0].err = WM_ENOTFOUND;
	r = run(&f, prev, NOW, &next);
	ck_assert_int_eq(check(r, "pg.data_loss")->state, WM_CRITICAL);
	ck_assert_ptr_nonnull(strstr(check(r, "pg.data_loss")->summary, "table orders is gone"));
	ck_assert_double_eq(wm_sample_num(cJSON_GetObjectItem(next, "tables"), "orders"), 120);
	wm_result_free(r);
	cJSON_Delete(next);
	cJSON_Delete(prev);
	/* Configured but never seen: we cannot judge it. */
	r = run(&f, NULL, NOW, &next);
	ck_assert_int_eq(check(r, "pg.data_loss")->state, WM_UNKNOWN);
	wm_result_free(r);
	cJSON_Delete(next);
}
END_TEST

/* A loss is not forgotten on the next run (the count that dropped does not
 * become the new reference): CRITICAL, with since when, until the rows are
 * back or the operator resets the high-water mark. */
START_TEST(test_data_loss_high_water)
{
	struct wm_db_table t[1] = {{.name = "orders", .rows = 1200}};
	struct wm_db_facts f;
	cJSON *s1 = NULL, *s2 = NULL, *s3 = NULL, *s4 = NULL;
	struct wm_result *r;
	const char *sum;

	facts(&f, t, 1, 0, "2026-11-27 10:00:00+00");
	wm_result_free(run(&f, NULL, NOW - 7200000, &s1));
	t[0].rows = 120; /* 90 % deleted */
	r = run(&f, s1, NOW - 3600000, &s2);
	ck_assert_int_eq(check(r, "pg.data_loss")->state, WM_CRITICAL);
	wm_result_free(r);
	/* the next run: still 120 rows, still CRITICAL, since the first sighting */
	r = run(&f, s2, NOW, &s3);
	sum = check(r, "pg.data_loss")->summary;
	ck_assert_int_eq(check(r, "pg.data_loss")->state, WM_CRITICAL);
	ck_assert_msg(strstr(sum, "orders went from 1200 to 120 rows (-1080), since "
				  "2025-11-27T23:00:00.000Z") != NULL,
		      "%s", sum);
	wm_result_free(r);
	/* the operator resets it: OK, and 120 is the new mark */
	f.reset_high_water = true;
	r = run(&f, s3, NOW, &s4);
	ck_assert_int_eq(check(r, "pg.data_loss")->state, WM_OK);
	ck_assert_ptr_nonnull(strstr(check(r, "pg.data_loss")->summary, "reset by the operator"));
	ck_assert_double_eq(wm_sample_num(cJSON_GetObjectItem(s4, "tables"), "orders"), 120);
	wm_result_free(r);
	cJSON_Delete(s4);
	/* or the rows come back: OK again */
	f.reset_high_water = false;
	t[0].rows = 1200;
	r = run(&f, s3, NOW, &s4);
	ck_assert_int_eq(check(r, "pg.data_loss")->state, WM_OK);
	wm_result_free(r);
	cJSON_Delete(s1);
	cJSON_Delete(s2);
	cJSON_Delete(s3);
	cJSON_Delete(s4);
}
END_TEST

START_TEST(test_restart_resets_window)
{
	struct wm_db_facts f;
	cJSON *prev = NULL, *next = NULL;
	struct wm_result *r;
	const struct wm_check *c;

	facts(&f, NULL, 0, 7, "2026-11-27 10:00:00+00");
	r = run(&f, NULL, NOW - 60000, &prev);
	wm_result_free(r);
	/* Same server: 2 more deadlocks in the window -> WARNING. */
	f.db.deadlocks = 9;
	r = run(&f, prev, NOW, &next);
	c = check(r, "pg.integrity");
	ck_assert_double_eq(metric(c, "deadlocks")->value, 2);
	ck_assert_int_eq(c->state, WM_WARNING);
	ck_assert_ptr_nonnull(strstr(c->summary, "over the last 1m 0s"));
	wm_result_free(r);
	cJSON_Delete(next);
	/* Restarted: counters restart from zero, 1 deadlock since the restart. */
	facts(&f, NULL, 0, 1, "2026-11-28 00:00:00+00");
	f.db.xact_commit = 5;
	r = run(&f, prev, NOW, &next);
	c = check(r, "pg.integrity");
	ck_assert_double_eq(metric(c, "deadlocks")->value, 1);
	ck_assert_ptr_nonnull(strstr(c->summary, "restart or reset since the previous sample"));
	/* Fewer than 100 transactions: the rollback ratio is shown, not judged. */
	ck_assert_ptr_null(metric(c, "rollback_ratio")->warn);
	wm_result_free(r);
	cJSON_Delete(next);
	cJSON_Delete(prev);
}
END_TEST

START_TEST(test_statements_window_and_p95)
{
	struct wm_pg_stmt s[2] = {{.key = "1:1:1", .calls = 100, .total_ms = 100, .sumsq_ms2 = 100},
				  {.key = "1:1:2", .calls = 10, .total_ms = 50, .sumsq_ms2 = 250}};
	struct wm_db_facts f;
	cJSON *prev = NULL, *next = NULL;
	struct wm_result *r;
	const struct wm_check *c;

	facts(&f, NULL, 0, 0, "2026-11-27 10:00:00+00");
	f.have_stmts = true;
	f.stmts = s;
	f.nstmts = 2;
	r = run(&f, NULL, NOW - 600000, &prev);
	ck_assert_double_eq(metric(check(r, "pg.statements"), "calls")->value, 110);
	wm_result_free(r);
	/* Traffic: 95 fast calls of 1 ms, 5 slow calls of 900 ms. */
	s[0].calls += 95, s[0].total_ms += 95, s[0].sumsq_ms2 += 95;
	s[1].calls += 5, s[1].total_ms += 4500, s[1].sumsq_ms2 += 5 * 810000.0;
	r = run(&f, prev, NOW, &next);
	c = check(r, "pg.statements");
	ck_assert_double_eq(metric(c, "calls")->value, 100);
	/* Seconds: the configuration's latency thresholds are in seconds. */
	ck_assert_double_eq_tol(metric(c, "mean")->value, (95 + 4500) / 100.0 / 1000, 1e-12);
	/* 5 % of calls at 900 ms: the 95th percentile is still a fast one. */
	ck_assert_double_eq_tol(metric(c, "p95")->value, 0.001, 1e-9);
	ck_assert_int_eq(c->state, WM_OK);
	wm_result_free(r);
	cJSON_Delete(next);
	s[1].calls += 10, s[1].total_ms += 9000, s[1].sumsq_ms2 += 10 * 810000.0;
	r = run(&f, prev, NOW, &next);
	c = check(r, "pg.statements");
	ck_assert_double_eq_tol(metric(c, "p95")->value, 0.9, 1e-9);
	ck_assert_str_eq(metric(c, "p95")->warn, "~:0.5");
	ck_assert_int_eq(c->state, WM_WARNING);
	ck_assert_ptr_nonnull(strstr(c->summary, "(estimate)"));
	wm_result_free(r);
	cJSON_Delete(next);
	cJSON_Delete(prev);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("db");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_data_loss_named);
	tcase_add_test(tc, test_data_loss_high_water);
	tcase_add_test(tc, test_restart_resets_window);
	tcase_add_test(tc, test_statements_window_and_p95);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
