/* check_redis.c - the INFO parser on real and constructed replies, endpoints. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/file.h"
#include "clients/redis.h"
#include "unit.h"

static struct wm_redis_info *
parse_fixture(const char *name, struct wm_err *err)
{
	char path[512], *buf = NULL;
	struct wm_redis_info *info;
	struct wm_err ferr = {0};
	size_t len = 0;

	snprintf(path, sizeof(path), "%s/tests/fixtures/redis/%s", WM_TEST_SRCDIR, name);
	ck_assert_msg(wm_file_read(path, 1u << 20, &buf, &len, &ferr) == 0, "%s: %s", path,
		      ferr.msg);
	info = wm_redis_info_parse(buf, len, err);
	free(buf);
	return info;
}

static long long
ll(const struct wm_redis_info *info, const char *key)
{
	long long v = -12345;

	ck_assert_msg(wm_redis_info_ll(info, key, &v) == 0, "%s missing", key);
	return v;
}

START_TEST(test_real_7_0)
{
	struct wm_err err = {0};
	struct wm_redis_info *info = parse_fixture("info-7.0.15.txt", &err);

	ck_assert_ptr_nonnull(info);
	ck_assert(!info->truncated);
	ck_assert_str_eq(wm_redis_info_get(info, "redis_version"), "7.0.15");
	/* CRLF stripped: the value has no '\r'. */
	ck_assert_str_eq(wm_redis_info_get(info, "rdb_last_bgsave_status"), "ok");
	ck_assert_int_eq(ll(info, "keyspace_hits"), 3);
	ck_assert_int_eq(ll(info, "keyspace_misses"), 3);
	ck_assert_int_eq(info->ndbs, 2);
	ck_assert_int_eq(info->dbs[0].index, 0);
	ck_assert_int_eq(info->dbs[0].keys, 4);
	ck_assert_int_eq(info->dbs[0].expires, 1);
	ck_assert_int_eq(info->dbs[0].avg_ttl, 3599898);
	ck_assert_int_eq(info->dbs[0].subexpiry, -1);
	ck_assert_int_eq(info->dbs[1].index, 2);
	/* Fields keep their section. */
	for (size_t i = 0; i < info->nfields; i++)
		if (!strcmp(info->fields[i].key, "used_memory"))
			ck_assert_str_eq(info->fields[i].section, "Memory");
	ck_assert_ptr_null(wm_redis_info_get(info, "no_such_field"));
	wm_redis_info_free(info);
}
END_TEST

START_TEST(test_7_2_colon_values)
{
	struct wm_err err = {0};
	struct wm_redis_info *info = parse_fixture("info-7.2.4.txt", &err);
	double d = 0;

	ck_assert_ptr_nonnull(info);
	/* Split on the first colon only. */
	ck_assert_str_eq(wm_redis_info_get(info, "listener0"),
			 "name=tcp,bind=*,bind=-::*,port=6379");
	ck_assert_str_eq(wm_redis_info_get(info, "redis_version"), "7.2.4");
	ck_assert_int_eq(info->ndbs, 2);
	ck_assert_int_eq(info->dbs[0].keys, 18234);
	ck_assert_int_eq(info->dbs[0].expires, 1203);
	ck_assert_int_eq(info->dbs[1].keys, 4);
	ck_assert_int_eq(wm_redis_info_double(info, "mem_fragmentation_ratio", &d), 0);
	ck_assert(d > 0);
	/* Not a number: refused, not misread. */
	ck_assert_int_eq(wm_redis_info_double(info, "redis_version", &d), -1);
	wm_redis_info_free(info);
}
END_TEST

START_TEST(test_7_4_subexpiry)
{
	struct wm_err err = {0};
	struct wm_redis_info *info = parse_fixture("info-7.4.1-persist-err.txt", &err);

	ck_assert_ptr_nonnull(info);
	ck_assert_int_eq(info->ndbs, 2);
	ck_assert_int_eq(info->dbs[0].keys, 18234);
	ck_assert_int_eq(info->dbs[0].avg_ttl, 3519286);
	ck_assert_int_eq(info->dbs[0].subexpiry, 0);
	ck_assert_int_eq(info->dbs[1].subexpiry, 2);
	ck_assert_str_eq(wm_redis_info_get(info, "rdb_last_bgsave_status"), "err");
	ck_assert_int_eq(ll(info, "pubsub_clients"), 0);
	wm_redis_info_free(info);
}
END_TEST

START_TEST(test_real_6_0_9_resp)
{
	struct wm_err err = {0};
	struct wm_redis_info *info = parse_fixture("info-6.0.9-resp.txt", &err);

	ck_assert_ptr_nonnull(info);
	/* The "$4050" RESP header is skipped, not taken for a field or garbage. */
	ck_assert_str_eq(info->fields[0].key, "redis_version");
	ck_assert_str_eq(info->fields[0].section, "Server");
	ck_assert_str_eq(wm_redis_info_get(info, "redis_version"), "6.0.9");
	ck_assert_str_eq(wm_redis_info_get(info, "config_file"), "");
	ck_assert_str_eq(wm_redis_info_get(info, "cmdstat_info"),
			 "calls=132,usec=37296,usec_per_call=282.55");
	ck_assert_int_eq(ll(info, "uptime_in_seconds"), 252812);
	ck_assert_int_eq(info->ndbs, 1);
	ck_assert_int_eq(info->dbs[0].keys, 4);
	ck_assert_int_eq(info->nskipped, 0);
	wm_redis_info_free(info);
}
END_TEST

START_TEST(test_truncated)
{
	struct wm_err err = {0};
	struct wm_redis_info *info = parse_fixture("info-truncated.txt", &err);

	ck_assert_ptr_nonnull(info);
	ck_assert(info->truncated);
	ck_assert_str_eq(wm_redis_info_get(info, "redis_version"), "7.0.15");
	/* The cut line "used_memory_" is dropped, not kept half. */
	ck_assert_ptr_null(wm_redis_info_get(info, "used_memory_"));
	ck_assert_ptr_null(wm_redis_info_get(info, "keyspace_hits"));
	wm_redis_info_free(info);
}
END_TEST

START_TEST(test_garbage)
{
	struct wm_err err = {0};
	struct wm_redis_info *info = parse_fixture("info-garbage.bin", &err);

	ck_assert_ptr_null(info);
	ck_assert_int_eq(err.code, WM_EPROTO);
	ck_assert_ptr_null(wm_redis_info_parse("", 0, &err));
	ck_assert_ptr_null(wm_redis_info_parse("$", 1, &err));
	ck_assert_ptr_null(wm_redis_info_parse("# Server\r\n\r\n", 12, &err));
}
END_TEST

START_TEST(test_small_inputs)
{
	static const char lf[] = "# Stats\nkeyspace_hits:10\nbad line\nkeyspace_misses:x\n"
				 "# Keyspace\ndb0:keys=1,expires=0,avg_ttl=0,future=7\ndbx:keys=1\n"
				 "db1:expires=3\n";
	struct wm_err err = {0};
	struct wm_redis_info *info = wm_redis_info_parse(lf, strlen(lf), &err);
	long long v = 0;

	ck_assert_ptr_nonnull(info);
	ck_assert_int_eq(ll(info, "keyspace_hits"), 10);
	ck_assert_int_eq(wm_redis_info_ll(info, "keyspace_misses", &v), -1);
	/* Unknown sub-field tolerated; dbx and a line without keys= skipped. */
	ck_assert_int_eq(info->ndbs, 1);
	ck_assert_int_eq(info->dbs[0].keys, 1);
	ck_assert_int_eq(info->nskipped, 3);
	wm_redis_info_free(info);
}
END_TEST

START_TEST(test_endpoints)
{
	struct wm_redis_endpoint ep;
	struct wm_err err = {0};
	char buf[300];

	ck_assert_int_eq(wm_redis_endpoint_parse("127.0.0.1:23500", &ep, &err), 0);
	ck_assert_str_eq(ep.host, "127.0.0.1");
	ck_assert_int_eq(ep.port, 23500);
	ck_assert_int_eq(wm_redis_endpoint_parse("redis://localhost", &ep, &err), 0);
	ck_assert_int_eq(ep.port, 6379);
	ck_assert_int_eq(wm_redis_endpoint_parse("[::1]:7000", &ep, &err), 0);
	ck_assert_str_eq(ep.host, "::1");
	wm_redis_endpoint_format(&ep, buf, sizeof(buf));
	ck_assert_str_eq(buf, "[::1]:7000");
	ck_assert_int_eq(wm_redis_endpoint_parse("unix:/run/t/redis.sock", &ep, &err), 0);
	ck_assert_str_eq(ep.path, "/run/t/redis.sock");
	ck_assert_str_eq(ep.host, "");
	ck_assert_int_eq(wm_redis_endpoint_parse("host:0", &ep, &err), -1);
	ck_assert_int_eq(wm_redis_endpoint_parse("host:99999", &ep, &err), -1);
	ck_assert_int_eq(wm_redis_endpoint_parse("host:", &ep, &err), -1);
	ck_assert_int_eq(wm_redis_endpoint_parse("", &ep, &err), -1);
	ck_assert_int_eq(err.code, WM_EINVAL);
	/* a password in the address is refused and never echoed */
	ck_assert_int_eq(wm_redis_endpoint_parse("redis://:hunter8@127.0.0.1:1", &ep, &err), -1);
	ck_assert_int_eq(err.code, WM_EINVAL);
	ck_assert_msg(!strstr(err.msg, "hunter8"), "%s", err.msg);
	ck_assert_int_eq(wm_redis_endpoint_parse("u:hunter8@[::1]:1", &ep, &err), -1);
	ck_assert_msg(!strstr(err.msg, "hunter8"), "%s", err.msg);
}
END_TEST

START_TEST(test_probe_key)
{
	char key[256], host[128] = "", want[256];

	/* warunginmon:probe:HOST:PID, HOST as gethostname gives it */
	wm_redis_probe_key(key, sizeof(key));
	ck_assert_int_eq(gethostname(host, sizeof(host) - 1), 0);
	snprintf(want, sizeof(want), "warunginmon:probe:%s:%d", host, (int)getpid());
	ck_assert_str_eq(key, want);
}
END_TEST

START_TEST(test_hostile_input)
{
	/* Every prefix of a real reply, and mutated copies, under ASan/UBSan:
	 * a result or a clean error, never a crash, and bounded counts. */
	char path[512], *buf = NULL, *copy;
	struct wm_err err = {0};
	unsigned seed = 12345;
	size_t len = 0;

	snprintf(path, sizeof(path), "%s/tests/fixtures/redis/info-6.0.9-resp.txt", WM_TEST_SRCDIR);
	ck_assert_int_eq(wm_file_read(path, 1u << 20, &buf, &len, &err), 0);
	copy = malloc(len);
	ck_assert_ptr_nonnull(copy);
	for (size_t cut = 0; cut <= len; cut += 7) {
		struct wm_redis_info *info = wm_redis_info_parse(buf, cut, &err);

		if (info)
			ck_assert(info->nfields <= WM_REDIS_FIELDS_MAX && info->ndbs <= 1);
		wm_redis_info_free(info);
	}
	for (int round = 0; round < 500; round++) {
		struct wm_redis_info *info;

		memcpy(copy, buf, len);
		for (int k = 0; k < 16; k++) {
			seed = seed * 1103515245u + 12345u;
			copy[(seed >> 8) % len] = (char)(seed >> 16);
		}
		info = wm_redis_info_parse(copy, len, &err);
		if (!info)
			ck_assert(err.code == WM_EPROTO);
		wm_redis_info_free(info);
	}
	free(copy);
	free(buf);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("redis");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_real_7_0);
	tcase_add_test(tc, test_7_2_colon_values);
	tcase_add_test(tc, test_7_4_subexpiry);
	tcase_add_test(tc, test_real_6_0_9_resp);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_garbage);
	tcase_add_test(tc, test_small_inputs);
	tcase_add_test(tc, test_endpoints);
	tcase_add_test(tc, test_probe_key);
	tcase_add_test(tc, test_hostile_input);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
