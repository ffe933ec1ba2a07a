/* fuzz_redis.c - the Redis INFO reply parser (the bytes the server sends). */
#include "config.h"

#include "fuzz.h"
#include "clients/redis.h"

static const char *const keys[] = {
    "redis_version",	       "keyspace_hits",		 "used_memory",
    "mem_fragmentation_ratio", "rdb_last_bgsave_status", ""};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wm_err err = {0};
	struct wm_redis_info *info = wm_redis_info_parse((const char *)data, size, &err);
	long long ll;
	double d;

	if (!info)
		return 0;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		(void)wm_redis_info_get(info, keys[i]);
		(void)wm_redis_info_ll(info, keys[i], &ll);
		(void)wm_redis_info_double(info, keys[i], &d);
	}
	for (size_t i = 0; i < info->nfields; i++)
		(void)wm_redis_info_get(info, info->fields[i].key);
	wm_redis_info_free(info);
	return 0;
}
