/* check_cache.c - the Redis checks from INFO and the previous sample: the
 * window, restarts, statistics resets, thresholds, persistence. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/cache.h"
#include "base/file.h"
#include "store/sample.h"
#include "model/threshold.h"
#include "unit.h"

#define NOW 1764288000000LL

/* A minimal INFO reply with the fields the checks read. */
static struct wm_redis_info *
info(const char *run_id, long uptime, long hits, long misses, long cmds)
{
	char buf[1024];
	struct wm_err err = {0};
	int n = snprintf(buf, sizeof(buf),
			 "# Server\r\nrun_id:%s\r\nuptime_in_seconds:%ld\r\n\r\n"
			 "# Clients\r\nconnected_clients:3\r\nmaxclients:10000\r\n\r\n"
			 "# Memory\r\nused_memory:1048576\r\nmaxmemory:0\r\n"
			 "maxmemory_policy:noeviction\r\n\r\n"
			 "# Persistence\r\nrdb_last_bgsave_status:ok\r\naof_enabled:0\r\n"
			 "rdb_last_save_time:1764287000\r\nrdb_changes_since_last_save:2\r\n\r\n"
			 "# Stats\r\ntotal_commands_processed:%ld\r\nkeyspace_hits:%ld\r\n"
			 "keyspace_misses:%ld\r\nevicted_keys:0\r\nexpired_keys:1\r\n"
			 "rejected_connections:0\r\ntotal_connections_received:9\r\n\r\n"
			 "# Keyspace\r\ndb0:keys=7,expires=1,avg_ttl=100\r\n",
			 run_id, uptime, cmds, hits, misses);
	struct wm_redis_info *i = wm_redis_info_parse(buf, (size_t)n, &err);

	ck_assert_msg(i != NULL, "%s", err.msg);
	return i;
}

/* Evaluate, apply the defaults (as the program does), return the result. */
static struct wm_result *
run(const struct wm_redis_info *in, const cJSON *prev, cJSON **next)
{
	struct wm_result *r = wm_result_new("wm-cache", "0", "test");

	ck_assert_int_eq(wm_cache_evaluate(r, in, prev, NOW, "127.0.0.1:6379", next), 0);
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

START_TEST(test_first_sample)
{
	struct wm_redis_info *in = info("aaa", 7200, 90, 10, 500);
	cJSON *next = NULL;
	struct wm_result *r = run(in, NULL, &next);
	const struct wm_check *c = check(r, "redis.hit_rate");

	ck_assert_double_eq_tol(c->metrics[0].value, 90.0, 1e-9);
	ck_assert_int_eq(c->state, WM_OK);
	ck_assert_ptr_nonnull(strstr(c->summary, "since Redis started 2h 0m ago (first sample)"));
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(c->data, "first_sample")));
	/* ops/s over the uptime. */
	ck_assert_double_eq_tol(check(r, "redis.load")->metrics[0].value, 500.0 / 7200, 1e-9);
	/* The next sample carries the counters and the identity of the server. */
	ck_assert_double_eq(wm_sample_num(next, "hits"), 90);
	ck_assert_double_eq(wm_sample_num(next, "time_ms"), (double)NOW);
	ck_assert_str_eq(wm_sample_str(next, "run_id"), "aaa");
	ck_assert_int_eq(wm_result_state(r), WM_OK);
	cJSON_Delete(next);
	wm_result_free(r);
	wm_redis_info_free(in);
}
END_TEST

START_TEST(test_window_warns)
{
	struct wm_redis_info *a = info("aaa", 3600, 100, 0, 1000), *b;
	cJSON *prev = NULL, *next = NULL;
	struct wm_result *r = run(a, NULL, &prev);
	const struct wm_check *c;

	wm_result_free(r);
	/* One hour later: 90 hits, 30 misses in the window = 75 % < 85 %. */
	cJSON_ReplaceItemInObject(prev, "time_ms", cJSON_CreateNumber((double)(NOW - 3600000)));
	b = info("aaa", 7200, 190, 30, 4600);
	r = run(b, prev, &next);
	c = check(r, "redis.hit_rate");
	ck_assert_double_eq_tol(c->metrics[0].value, 75.0, 1e-9);
	ck_assert_int_eq(c->state, WM_WARNING);
	ck_assert_ptr_nonnull(strstr(c->summary, "over the last 1h 0m"));
	ck_assert_double_eq_tol(check(r, "redis.load")->metrics[0].value, 1.0, 1e-9);
	ck_assert_int_eq(wm_result_exit_code(r), WM_WARNING);
	cJSON_Delete(prev);
	cJSON_Delete(next);
	wm_result_free(r);
	wm_redis_info_free(a);
	wm_redis_info_free(b);
}
END_TEST

START_TEST(test_restart_and_reset)
{
	struct wm_redis_info *a = info("aaa", 86400, 1000, 5, 9000), *b, *c2;
	cJSON *prev = NULL, *next = NULL;
	struct wm_result *r = run(a, NULL, &prev);
	const struct wm_check *c;

	wm_result_free(r);
	/* Restarted (new run_id, small uptime): the window is since the restart. */
	b = info("bbb", 60, 6, 4, 20);
	r = run(b, prev, &next);
	c = check(r, "redis.hit_rate");
	ck_assert_double_eq_tol(c->metrics[0].value, 60.0, 1e-9);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(c->data, "restarted")));
	ck_assert_ptr_nonnull(strstr(c->summary, "since Redis restarted 1m 0s ago"));
	wm_result_free(r);
	cJSON_Delete(next);
	/* Same server, CONFIG RESETSTAT: hits went back, so every counter counts
	 * from zero, misses too although 10 is above the previous 5. */
	c2 = info("aaa", 90000, 40, 10, 100);
	r = run(c2, prev, &next);
	c = check(r, "redis.hit_rate");
	ck_assert_double_eq_tol(c->metrics[0].value, 80.0, 1e-9);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(c->data, "counters_reset")));
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(c->data, "restarted")));
	ck_assert_int_eq(c->state, WM_WARNING);
	wm_result_free(r);
	cJSON_Delete(next);
	cJSON_Delete(prev);
	wm_redis_info_free(a);
	wm_redis_info_free(b);
	wm_redis_info_free(c2);
}
END_TEST

START_TEST(test_other_endpoint_and_idle)
{
	struct wm_redis_info *a = info("aaa", 100, 5, 5, 10);
	struct wm_result *r = wm_result_new("wm-cache", "0", "test");
	cJSON *prev = NULL, *next = NULL;
	const struct wm_check *c;

	ck_assert_int_eq(wm_cache_evaluate(r, a, NULL, NOW, "other:6379", &prev), 0);
	wm_result_free(r);
	/* A sample of another endpoint is not a previous sample of this one. */
	r = run(a, prev, &next);
	ck_assert(
	    cJSON_IsTrue(cJSON_GetObjectItem(check(r, "redis.hit_rate")->data, "first_sample")));
	wm_result_free(r);
	cJSON_Delete(prev);
	/* No lookups in the window: no rate, and no alert on a value that is not there. */
	r = run(a, next, &prev);
	c = check(r, "redis.hit_rate");
	ck_assert_int_eq(c->nmetrics, 0);
	ck_assert_int_eq(c->state, WM_OK);
	ck_assert_ptr_nonnull(strstr(c->summary, "no key lookups"));
	wm_result_free(r);
	cJSON_Delete(prev);
	cJSON_Delete(next);
	wm_redis_info_free(a);
}
END_TEST

START_TEST(test_persistence_failure)
{
	char path[512], *buf = NULL;
	struct wm_err err = {0};
	struct wm_redis_info *in;
	struct wm_result *r;
	cJSON *next = NULL;
	size_t len;

	snprintf(path, sizeof(path), "%s/tests/fixtures/redis/info-7.4.1-persist-err.txt",
		 WM_TEST_SRCDIR);
	ck_assert_int_eq(wm_file_read(path, 1u << 20, &buf, &len, &err), 0);
	in = wm_redis_info_parse(buf, len, &err);
	free(buf);
	r = run(in, NULL, &next);
	ck_assert_int_eq(check(r, "redis.persistence")->state, WM_CRITICAL);
	ck_assert_ptr_nonnull(strstr(check(r, "redis.persistence")->summary, "data-loss risk"));
	ck_assert_double_eq(check(r, "redis.memory")->metrics[1].value, 18234 + 4);
	ck_assert_int_eq(wm_result_exit_code(r), WM_CRITICAL);
	wm_result_free(r);
	cJSON_Delete(next);
	wm_redis_info_free(in);
}
END_TEST

START_TEST(test_sample_helpers)
{
	char b[32];
	double d;

	ck_assert_int_eq(wm_sample_delta(10, 25, &d), 0);
	ck_assert_double_eq(d, 15);
	ck_assert_int_eq(wm_sample_delta(10, 4, &d), 1);
	ck_assert_double_eq(d, 4);
	ck_assert_int_eq(wm_sample_delta(NAN, 4, &d), 0);
	ck_assert_double_eq(d, 4);
	wm_sample_fmt_duration(93784, b, sizeof(b));
	ck_assert_str_eq(b, "1d 2h");
	wm_sample_fmt_duration(3720, b, sizeof(b));
	ck_assert_str_eq(b, "1h 2m");
	wm_sample_fmt_duration(42, b, sizeof(b));
	ck_assert_str_eq(b, "42s");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cache");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_first_sample);
	tcase_add_test(tc, test_window_warns);
	tcase_add_test(tc, test_restart_and_reset);
	tcase_add_test(tc, test_other_endpoint_and_idle);
	tcase_add_test(tc, test_persistence_failure);
	tcase_add_test(tc, test_sample_helpers);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
