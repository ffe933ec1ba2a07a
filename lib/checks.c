/* checks.c - the table of check definitions the programs and wm-run share. */
#include "config.h"

#include <string.h>

#include "cache.h"
#include "checks.h"
#include "db.h"

/* The units behind one signature (their opts as void). */
static int
run_services(struct wm_session *s, const void *o, struct wm_result *r)
{
	return wm_services_run(s, o, r);
}

static int
run_cache(struct wm_session *s, const void *o, struct wm_result *r)
{
	return wm_cache_run(s, o, r);
}

static int
run_db(struct wm_session *s, const void *o, struct wm_result *r)
{
	return wm_db_run(s, o, r);
}

/* The runbook's criteria (DESIGN §3), as the units set them. */
static const struct wm_check_default services_defaults[] = {
    {"restarts", "0", NULL}, {"unhealthy", NULL, "0"}, {"cpu", "80", "95"},
    {"memory", "80", "90"},  {"disk", "80", "90"},     {NULL, NULL, NULL},
};
static const struct wm_check_default cache_defaults[] = {
    {"hit_rate", WM_CACHE_HIT_RATE_WARN, NULL},
    {"rejected_connections", "0", NULL},
    {"memory_used", "90", "98"}, /* under noeviction only */
    {NULL, NULL, NULL},
};
static const struct wm_check_default db_defaults[] = {
    {"p95", WM_DB_P95_WARN, NULL},
    {NULL, NULL, NULL},
};

static const struct wm_check_def table[] = {
    {"services", "services", "restarts", run_services, services_defaults, true},
    {"cache", "cache", "hit_rate", run_cache, cache_defaults, false},
    {"db", "db", "p95", run_db, db_defaults, false},
};

const struct wm_check_def *
wm_checks(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

const struct wm_check_def *
wm_check_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

const char *
wm_check_default(const struct wm_check_def *def, const char *metric, bool critical)
{
	for (const struct wm_check_default *d = def->defaults; d && d->metric; d++)
		if (strcmp(d->metric, metric) == 0)
			return critical ? d->crit : d->warn;
	return NULL;
}
