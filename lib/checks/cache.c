/* cache.c - the Redis checks: reachability, hit rate over a window, load,
 * memory, persistence, and the SET/GET/DEL probe. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks/cache.h"
#include "store/sample.h"

/* The cumulative INFO counters kept between samples. */
static const struct {
	const char *key;   /* in the sample */
	const char *field; /* in INFO */
} counters[] = {
    {"hits", "keyspace_hits"},
    {"misses", "keyspace_misses"},
    {"commands", "total_commands_processed"},
    {"evicted", "evicted_keys"},
    {"expired", "expired_keys"},
    {"rejected", "rejected_connections"},
    {"connections", "total_connections_received"},
};
#define NCOUNTERS (sizeof(counters) / sizeof(counters[0]))

struct window {
	double seconds;
	bool first;
	bool restarted;
	bool reset;	 /* a counter went back without a restart */
	char words[128]; /* "over the last 1h 2m" */
	double delta[NCOUNTERS];
};

static double
field(const struct wm_redis_info *info, const char *name)
{
	double v;

	return wm_redis_info_double(info, name, &v) == 0 ? v : NAN;
}

/* Work out the window and every counter's delta. */
static void
make_window(const struct wm_redis_info *info, const cJSON *prev, int64_t now_ms, struct window *w)
{
	const char *run_id = wm_redis_info_get(info, "run_id");
	double uptime = field(info, "uptime_in_seconds");
	char dur[48];

	memset(w, 0, sizeof(*w));
	w->first = prev == NULL;
	w->restarted = prev && ((run_id && strcmp(run_id, wm_sample_str(prev, "run_id"))) ||
				uptime < wm_sample_num(prev, "uptime_s"));
	if (w->first || w->restarted) {
		w->seconds = uptime;
		wm_sample_fmt_duration(uptime, dur, sizeof(dur));
		snprintf(w->words, sizeof(w->words), "since Redis %s %s ago (%s)",
			 w->first ? "started" : "restarted", dur,
			 w->first ? "first sample" : "restart since the previous sample");
	} else {
		w->seconds = (double)(now_ms - (int64_t)wm_sample_num(prev, "time_ms")) / 1000.0;
		wm_sample_fmt_duration(w->seconds, dur, sizeof(dur));
		snprintf(w->words, sizeof(w->words), "over the last %s", dur);
	}
	for (size_t i = 0; i < NCOUNTERS; i++) {
		double p = w->first || w->restarted ? NAN : wm_sample_num(prev, counters[i].key);

		if (wm_sample_delta(p, field(info, counters[i].field), &w->delta[i]))
			w->reset = true;
	}
	/* CONFIG RESETSTAT zeroes every counter at once: one that went back means
	 * the others, even those now above their old value, count from zero too. */
	for (size_t i = 0; w->reset && i < NCOUNTERS; i++)
		w->delta[i] = field(info, counters[i].field);
	if (w->reset) {
		size_t n = strlen(w->words);

		snprintf(w->words + n, sizeof(w->words) - n, " (statistics were reset)");
	}
}

static cJSON *
make_sample(const struct wm_redis_info *info, int64_t now_ms, const char *label)
{
	cJSON *s = cJSON_CreateObject();
	const char *run_id = wm_redis_info_get(info, "run_id");
	bool ok = s != NULL;

	ok = ok && cJSON_AddStringToObject(s, "label", label ? label : "");
	ok = ok && cJSON_AddNumberToObject(s, "time_ms", (double)now_ms);
	ok = ok && cJSON_AddStringToObject(s, "run_id", run_id ? run_id : "");
	ok = ok && cJSON_AddNumberToObject(s, "uptime_s", field(info, "uptime_in_seconds"));
	for (size_t i = 0; ok && i < NCOUNTERS; i++) {
		double v = field(info, counters[i].field);

		if (!isnan(v))
			ok = cJSON_AddNumberToObject(s, counters[i].key, v) != NULL;
	}
	if (!ok) {
		cJSON_Delete(s);
		return NULL;
	}
	return s;
}

static void
window_data(struct wm_check *c, const struct window *w)
{
	cJSON *d = wm_check_data(c);

	if (!d)
		return;
	cJSON_AddNumberToObject(d, "window_s", w->seconds);
	cJSON_AddBoolToObject(d, "first_sample", w->first);
	cJSON_AddBoolToObject(d, "restarted", w->restarted);
	cJSON_AddBoolToObject(d, "counters_reset", w->reset);
}

static int
check_hit_rate(struct wm_result *r, const struct window *w)
{
	struct wm_check *c = wm_result_add_check(r, "redis.hit_rate");
	double hits = w->delta[0], misses = w->delta[1];
	struct wm_metric *m;

	if (!c)
		return -1;
	window_data(c, w);
	if (isnan(hits) || isnan(misses)) {
		wm_check_set(c, WM_UNKNOWN, "INFO has no keyspace_hits/keyspace_misses");
		return 0;
	}
	cJSON_AddNumberToObject(wm_check_data(c), "hits", hits);
	cJSON_AddNumberToObject(wm_check_data(c), "misses", misses);
	/* No lookups, no rate: no metric either, so no threshold (ours, the
	 * configuration's or -w) can turn "nothing to judge" into UNKNOWN. */
	if (hits + misses <= 0) {
		wm_check_set(c, WM_OK, "no key lookups %s", w->words);
		return 0;
	}
	m = wm_check_add_metric(c, "hit_rate", 100.0 * hits / (hits + misses), "%");
	if (!m || wm_metric_set_thresholds(m, WM_CACHE_HIT_RATE_WARN, NULL) < 0)
		return -1;
	m->min = 0;
	m->max = 100;
	wm_check_set(c, WM_OK, "hit rate %.1f %% (%.0f hits, %.0f misses) %s", m->value, hits,
		     misses, w->words);
	return 0;
}

static int
check_load(struct wm_result *r, const struct window *w, const struct wm_redis_info *info)
{
	struct wm_check *c = wm_result_add_check(r, "redis.load");
	double ops = w->seconds > 0 ? w->delta[2] / w->seconds : NAN;
	struct wm_metric *m;

	if (!c || !wm_check_add_metric(c, "ops_per_sec", ops, "") ||
	    !wm_check_add_metric(c, "commands", w->delta[2], "") ||
	    !wm_check_add_metric(c, "evicted_keys", w->delta[3], "") ||
	    !wm_check_add_metric(c, "expired_keys", w->delta[4], "") ||
	    !(m = wm_check_add_metric(c, "rejected_connections", w->delta[5], "")) ||
	    !wm_check_add_metric(c, "connected_clients", field(info, "connected_clients"), ""))
		return -1;
	/* Any refused client means maxclients was hit: the application saw errors. */
	if (wm_metric_set_thresholds(m, "0", NULL) < 0)
		return -1;
	c->metrics[5].max = field(info, "maxclients");
	window_data(c, w);
	wm_check_set(c, WM_OK,
		     "%.1f ops/s, %.0f evicted keys, %.0f rejected connections %s; "
		     "connected clients: %.0f",
		     ops, w->delta[3], w->delta[5], w->words, field(info, "connected_clients"));
	return 0;
}

static void
human_bytes(double b, char *buf, size_t size)
{
	static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	int i = 0;

	while (b >= 1024 && i < 4)
		b /= 1024, i++;
	snprintf(buf, size, i ? "%.1f %s" : "%.0f %s", b, unit[i]);
}

static int
check_memory(struct wm_result *r, const struct wm_redis_info *info)
{
	struct wm_check *c = wm_result_add_check(r, "redis.memory");
	double used = field(info, "used_memory"), max = field(info, "maxmemory"), keys = 0;
	const char *policy = wm_redis_info_get(info, "maxmemory_policy");
	char u[32], x[32];
	cJSON *d, *ks;

	if (!c || !wm_check_add_metric(c, "used_memory", used, "B"))
		return -1;
	human_bytes(used, u, sizeof(u));
	d = wm_check_data(c);
	ks = d ? cJSON_AddArrayToObject(d, "keyspace") : NULL;
	for (size_t i = 0; i < info->ndbs; i++) {
		cJSON *o = cJSON_CreateObject();

		keys += (double)info->dbs[i].keys;
		cJSON_AddNumberToObject(o, "db", (double)info->dbs[i].index);
		cJSON_AddNumberToObject(o, "keys", (double)info->dbs[i].keys);
		cJSON_AddNumberToObject(o, "expires", (double)info->dbs[i].expires);
		cJSON_AddItemToArray(ks, o);
	}
	if (!wm_check_add_metric(c, "keys", keys, ""))
		return -1;
	if (max > 0) {
		struct wm_metric *m = wm_check_add_metric(c, "memory_used", 100 * used / max, "%");

		if (!m)
			return -1;
		/* Under noeviction a full Redis refuses writes; other policies evict. */
		if (policy && !strcmp(policy, "noeviction") &&
		    wm_metric_set_thresholds(m, "90", "98") < 0)
			return -1;
		human_bytes(max, x, sizeof(x));
		wm_check_set(c, WM_OK, "%s used of %s (%.1f %%, %s), %.0f keys", u, x, m->value,
			     policy ? policy : "?", keys);
	} else {
		wm_check_set(c, WM_OK, "%s used, no maxmemory limit, %.0f keys", u, keys);
	}
	return 0;
}

static bool
status_bad(const struct wm_redis_info *info, const char *name)
{
	const char *v = wm_redis_info_get(info, name);

	return v && strcmp(v, "ok");
}

static int
check_persistence(struct wm_result *r, const struct wm_redis_info *info, int64_t now_ms)
{
	struct wm_check *c = wm_result_add_check(r, "redis.persistence");
	bool aof = field(info, "aof_enabled") == 1;
	double last = field(info, "rdb_last_save_time");
	double changes = field(info, "rdb_changes_since_last_save");
	char age[48];

	if (!c || !wm_check_add_metric(c, "rdb_changes_since_last_save", changes, ""))
		return -1;
	wm_sample_fmt_duration((double)now_ms / 1000.0 - last, age, sizeof(age));
	if (status_bad(info, "rdb_last_bgsave_status"))
		wm_check_set(c, WM_CRITICAL,
			     "data-loss risk: the last RDB save failed "
			     "(%.0f changes not on disk)",
			     changes);
	else if (aof && status_bad(info, "aof_last_write_status"))
		wm_check_set(c, WM_CRITICAL, "data-loss risk: the last AOF write failed");
	else if (aof && status_bad(info, "aof_last_bgrewrite_status"))
		wm_check_set(c, WM_WARNING, "the last AOF rewrite failed");
	else if (field(info, "loading") == 1)
		wm_check_set(c, WM_WARNING, "Redis is loading its dataset");
	else
		wm_check_set(c, WM_OK, "RDB last save ok %s ago, %.0f changes since; AOF %s", age,
			     changes, aof ? "on, writes ok" : "off");
	return 0;
}

int
wm_cache_evaluate(struct wm_result *r, const struct wm_redis_info *info, const cJSON *prev,
		  int64_t now_ms, const char *label, cJSON **next)
{
	struct window w;

	/* A sample of another endpoint says nothing about this one. */
	if (prev && strcmp(wm_sample_str(prev, "label"), label ? label : ""))
		prev = NULL;
	make_window(info, prev, now_ms, &w);
	*next = make_sample(info, now_ms, label);
	if (!*next || check_hit_rate(r, &w) < 0 || check_load(r, &w, info) < 0 ||
	    check_memory(r, info) < 0 || check_persistence(r, info, now_ms) < 0)
		return -1;
	if (info->truncated) {
		struct wm_check *c = wm_result_add_check(r, "redis.info");

		if (!c)
			return -1;
		wm_check_set(c, WM_UNKNOWN, "the INFO reply was cut short");
	}
	return 0;
}
