/* check_perf_hist.c - wm-perf's application-histogram source (perf_hist.h):
 * the window between two samples against values computed by hand with
 * PromQL 2.42's histogram_quantile (each computation beside its
 * assertion), the first run, a counter reset, a new series, the
 * degradation, malformed text, and perf.db's choice of source. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "checks/perf_hist.h"
#include "model/result.h"
#include "model/threshold.h"
#include "unit.h"

#define EQ(x, y) ck_assert_msg(fabs((x) - (y)) <= 1e-12 * fabs(y), "%.17g != %.17g", (x), (y))

#define F "warungin_http_request_duration_seconds"
#define A "{method=\"GET\",route=\"/a\",status_code=\"200\""
#define B "{method=\"GET\",route=\"/b\",status_code=\"500\""

/* One series' lines: le 0.1 0.3 0.5 1 3 +Inf, then _sum and _count. */
#define SERIES(L, c1, c2, c3, c4, c5, c6, sum)                                                     \
	F "_bucket" L ",le=\"0.1\"} " #c1 "\n" F "_bucket" L ",le=\"0.3\"} " #c2 "\n" F            \
	  "_bucket" L ",le=\"0.5\"} " #c3 "\n" F "_bucket" L ",le=\"1\"} " #c4 "\n" F "_bucket" L  \
	  ",le=\"3\"} " #c5 "\n" F "_bucket" L ",le=\"+Inf\"} " #c6 "\n" F "_sum" L "} " #sum      \
	  "\n" F "_count" L "} " #c6 "\n"

#define HEAD "# TYPE " F " histogram\n"
#define START "process_start_time_seconds 1000\n"

static const char t1[] =
    HEAD SERIES(A, 10, 20, 30, 40, 40, 40, 4) SERIES(B, 0, 0, 0, 0, 5, 5, 10) START;
static const char t2[] =
    HEAD SERIES(A, 20, 60, 90, 100, 100, 100, 14) SERIES(B, 0, 0, 0, 0, 45, 45, 110) START;

#define T1 (1000000 + 3600000) /* unix ms: an hour after the start */
#define T2 (T1 + 60000)

static struct wm_result *
run(const char *text, const cJSON *prev, int64_t now, cJSON **next, struct wm_perf_db_app *db)
{
	struct wm_result *r = wm_result_new("wm-perf", "0", "t");
	struct wm_perf_hist_opts o = {.url = "http://x/api/metrics"};

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(wm_perf_hist_report(r, &o, text, strlen(text), prev, now, next, db), 0);
	for (size_t i = 0; i < r->nchecks; i++)
		wm_check_eval(r->checks[i]);
	return r;
}

static double
metric(const struct wm_check *c, const char *name)
{
	for (size_t i = 0; i < c->nmetrics; i++)
		if (strcmp(c->metrics[i].name, name) == 0)
			return c->metrics[i].value;
	return NAN;
}

START_TEST(test_first_run)
{
	struct wm_perf_db_app db;
	cJSON *next = NULL;
	struct wm_result *r = run(t1, NULL, T1, &next, &db);
	const struct wm_check *c = wm_result_find_check(r, "perf.app");

	ck_assert_ptr_nonnull(c);
	ck_assert_msg(strstr(c->summary, "since the process started 1h 0m ago (first sample)"),
		      "%s", c->summary);
	/* all of it since the start: 10 20 30 40 45 45, n 45 */
	EQ(metric(c, "requests"), 45.0);
	EQ(metric(c, "throughput"), 45.0 / 60.0); /* 45 over the 60 minutes since the start */
	ck_assert_ptr_nonnull(next);
	ck_assert(strstr(cJSON_GetObjectItem(next, "text")->valuestring, F "_bucket"));
	EQ(cJSON_GetObjectItem(next, "time_ms")->valuedouble, (double)T1);
	ck_assert(isnan(metric(c, "degradation")));
	ck_assert(!db.valid); /* no DB family in the text */
	cJSON_Delete(next);
	wm_result_free(r);
}
END_TEST

START_TEST(test_window)
{
	struct wm_perf_db_app db;
	cJSON *s1 = NULL, *s2 = NULL;
	struct wm_result *r1 = run(t1, NULL, T1, &s1, &db);
	struct wm_result *r = run(t2, s1, T2, &s2, &db);
	const struct wm_check *c = wm_result_find_check(r, "perf.app");
	cJSON *d = c->data, *routes = cJSON_GetObjectItem(d, "routes");

	/* deltas: A 10 40 60 60 60 60, B 0 0 0 0 40 40; sum 10 40 60 60 100 100 */
	EQ(metric(c, "requests"), 100.0);
	/* p50: rank 50 in le=0.5 (60): 0.3 + 0.2 * (50 - 40) / (60 - 40) = 0.4 */
	EQ(metric(c, "p50"), 0.4);
	/* p95: rank 95 in le=3 (100): 1 + 2 * (95 - 60) / (100 - 60) = 2.75 */
	EQ(metric(c, "p95"), 2.75);
	/* p99: 1 + 2 * 39 / 40 = 2.95, over the runbook's 2 s */
	EQ(metric(c, "p99"), 2.95);
	ck_assert_int_eq(c->state, WM_WARNING);
	EQ(metric(c, "max"), 3.0);	    /* the highest non-empty bucket (1, 3] */
	EQ(metric(c, "mean"), 1.1);	    /* (10 + 100) / (60 + 40) */
	EQ(metric(c, "throughput"), 100.0); /* 100 in one minute */
	EQ(metric(c, "error_ratio"), 0.4);  /* 40 answered 500 */
	ck_assert_msg(strstr(c->summary, "p99 2.95 s in (1, 3]") &&
			  strstr(c->summary, "(app histogram)") &&
			  strstr(c->summary, "over the last 1m 0s"),
		      "%s", c->summary);
	/* the slowest route: B alone, rank 39.6 in (1, 3]: 1 + 2 * 39.6 / 40 = 2.98 */
	ck_assert_msg(strstr(c->summary, "slowest GET /b, p99 2.98 s in (1, 3]"), "%s", c->summary);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(routes, 0), "route")->valuestring,
			 "GET /b");
	/* the window's buckets for merging: 10 40 60 60 100 100, +Inf last */
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(d, "buckets")), 6);
	ck_assert_str_eq(
	    cJSON_GetArrayItem(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "buckets"), 5), 0)
		->valuestring,
	    "+Inf");
	EQ(cJSON_GetArrayItem(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "buckets"), 2), 1)
	       ->valuedouble,
	   60.0);
	ck_assert(!cJSON_IsTrue(cJSON_GetObjectItem(d, "counter_reset")));
	ck_assert(!cJSON_IsTrue(cJSON_GetObjectItem(d, "first_sample")));
	cJSON_Delete(s1);
	cJSON_Delete(s2);
	wm_result_free(r1);
	wm_result_free(r);
}
END_TEST

START_TEST(test_reset_and_new_series)
{
	static const char t3[] =
	    HEAD SERIES(A, 20, 60, 90, 100, 100, 100, 14) SERIES(B, 0, 0, 0, 0, 3, 3, 7)
		SERIES("{method=\"POST\",route=\"/c\",status_code=\"201\"", 1, 1, 1, 1, 1, 1, 0.05)
		    START;
	struct wm_perf_db_app db;
	cJSON *s1 = NULL, *s2 = NULL;
	struct wm_result *r1 = run(t1, NULL, T1, &s1, &db);
	struct wm_result *r = run(t3, s1, T2, &s2, &db);
	const struct wm_check *c = wm_result_find_check(r, "perf.app");

	/* A: +60; B went back 5 -> 3: a reset, its 3 count (rate()'s rule); C new: 1 */
	EQ(metric(c, "requests"), 64.0);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(c->data, "counter_reset")));
	EQ(cJSON_GetObjectItem(c->data, "new_series")->valuedouble, 1.0);
	cJSON_Delete(s1);
	cJSON_Delete(s2);
	wm_result_free(r1);
	wm_result_free(r);
}
END_TEST

START_TEST(test_degradation)
{
	struct wm_perf_db_app db;
	cJSON *s1 = NULL, *s2 = NULL;
	struct wm_result *r1 = run(t1, NULL, T1, &s1, &db), *r;
	const struct wm_check *c;

	/* the previous window: 200 requests, p99 1 s */
	cJSON_ReplaceItemInObject(s1, "requests", cJSON_CreateNumber(200));
	cJSON_ReplaceItemInObject(s1, "p99", cJSON_CreateNumber(1.0));
	cJSON_DeleteItemFromObject(s1, "error_ratio"); /* the p99 alone first */
	r = run(t2, s1, T2, &s2, &db);
	c = wm_result_find_check(r, "perf.app");
	EQ(metric(c, "degradation"), 2.95); /* 2.95 s / 1 s, over the default 2 */
	ck_assert_str_eq(c->metrics[c->nmetrics - 1].warn, WM_PERF_DEGRADATION_WARN);
	/* the 5xx share: 0.4 now; 0.1 before -> (0.4 + 0.01) / (0.1 + 0.01) = 3.727 */
	cJSON_AddNumberToObject(s1, "error_ratio", 0.1);
	wm_result_free(r);
	cJSON_Delete(s2);
	r = run(t2, s1, T2, &s2, &db);
	c = wm_result_find_check(r, "perf.app");
	EQ(metric(c, "degradation"), 0.41 / 0.11);
	/* the next window compares with this one */
	EQ(cJSON_GetObjectItem(s2, "p99")->valuedouble, 2.95);
	EQ(cJSON_GetObjectItem(s2, "requests")->valuedouble, 100.0);
	cJSON_Delete(s1);
	cJSON_Delete(s2);
	wm_result_free(r1);
	wm_result_free(r);
}
END_TEST

START_TEST(test_malformed)
{
	static const char *bad[] = {
	    F "_bucket{le=\"0.1\" 3\n",		    /* unterminated label set */
	    HEAD F "_bucket{le=\"x\"} 3\n",	    /* le not a float */
	    "# TYPE x histogram\n# TYPE x gauge\n", /* TYPE twice */
	};
	struct wm_perf_db_app db;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cJSON *prev = cJSON_CreateObject(), *next = (cJSON *)1;
		struct wm_result *r = run(bad[i], prev, T2, &next, &db);
		const struct wm_check *c = wm_result_find_check(r, "perf.app");

		ck_assert_int_eq(c->state, WM_UNKNOWN);
		ck_assert_msg(strchr(c->summary, '\n') == NULL, "one line: %s", c->summary);
		ck_assert_msg(strstr(c->summary, "http://x/api/metrics"), "%s", c->summary);
		ck_assert_ptr_null(next); /* the previous sample stays */
		cJSON_Delete(prev);
		wm_result_free(r);
	}
}
END_TEST

START_TEST(test_no_family)
{
	struct wm_perf_db_app db;
	cJSON *next = NULL;
	struct wm_result *r = run("up 1\n", NULL, T1, &next, &db);
	const struct wm_check *c = wm_result_find_check(r, "perf.app");

	ck_assert_int_eq(c->state, WM_UNKNOWN);
	ck_assert_msg(strstr(c->summary, "no histogram " F), "%s", c->summary);
	cJSON_Delete(next);
	wm_result_free(r);
}
END_TEST

static const struct wm_check *
db_check(struct wm_result *r, const struct wm_perf_db_app *a, const struct wm_perf_db_pg *p,
	 enum wm_perf_db_source src)
{
	const struct wm_check *c;

	ck_assert_int_eq(wm_perf_db_report(r, a, p, src), 0);
	c = r->checks[r->nchecks - 1];
	wm_check_eval(r->checks[r->nchecks - 1]);
	return c;
}

START_TEST(test_db_source)
{
	struct wm_result *r = wm_result_new("wm-perf", "0", "t");
	struct wm_perf_db_app app = {
	    .valid = true, .p95 = 0.6, .lower = 0.5, .upper = 1, .count = 9};
	struct wm_perf_db_pg pg = {.valid = true, .p95 = 0.012, .calls = 40};
	struct wm_perf_db_app none = {.why = "no queries"};
	struct wm_perf_db_pg pnone = {.why = "no pg_stat_statements"};
	const struct wm_check *c;

	c = db_check(r, &app, &pg, WM_PERF_DB_WORSE); /* the worse: the app's */
	EQ(metric(c, "db_p95"), 0.6);
	ck_assert_int_eq(c->state, WM_WARNING); /* over 500 ms */
	ck_assert_msg(strstr(c->summary, "judged: app histogram") &&
			  strstr(c->summary, "(0.5, 1]") &&
			  strstr(c->summary, "0.012 s (pg_stat_statements"),
		      "%s", c->summary);
	c = db_check(r, &app, &pg, WM_PERF_DB_PG); /* configured: pg */
	EQ(metric(c, "db_p95"), 0.012);
	ck_assert_int_eq(c->state, WM_OK);
	c = db_check(r, &none, &pg, WM_PERF_DB_APP); /* app has none: pg, said so */
	ck_assert_msg(strstr(c->summary, "judged: pg_stat_statements"), "%s", c->summary);
	c = db_check(r, &none, &pnone, WM_PERF_DB_WORSE);
	ck_assert_int_eq(c->state, WM_UNKNOWN);
	ck_assert(isnan(metric(c, "db_p95")));
	wm_result_free(r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("perf_hist");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_first_run);
	tcase_add_test(tc, test_window);
	tcase_add_test(tc, test_reset_and_new_series);
	tcase_add_test(tc, test_degradation);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_no_family);
	tcase_add_test(tc, test_db_source);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
