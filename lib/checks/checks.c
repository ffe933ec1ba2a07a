/* checks.c - the table of check definitions the programs and wm-run share. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/duration.h"

#include "checks/cache.h"
#include "checks/checks.h"
#include "conf/threshold_policy.h"
#include "checks/db.h"
#include "checks/errors.h"
#include "checks/perf.h"
#include "checks/perf_hist.h"

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
run_errors(struct wm_session *s, const void *o, struct wm_result *r)
{
	return wm_errors_run(s, o, r);
}

static int
run_perf(struct wm_session *s, const void *o, struct wm_result *r)
{
	return wm_perf_run(s, o, r);
}

static int
run_security(struct wm_session *s, const void *o, struct wm_result *r)
{
	return wm_security_run(s, o, r);
}

static int
run_db(struct wm_session *s, const void *o, struct wm_result *r)
{
	return wm_db_run(s, o, r);
}

static int
run_smoke(struct wm_session *s, const void *o, struct wm_result *r)
{
	return wm_smoke_run(s, o, r);
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
static const struct wm_check_default errors_defaults[] = {
    {"errors", WM_ERRORS_DEFAULT_WARN, NULL},
    {"critical_lines", NULL, WM_ERRORS_DEFAULT_CRIT_LINES},
    {NULL, NULL, NULL},
};
static const struct wm_check_default db_defaults[] = {
    {"p95", WM_DB_P95_WARN, NULL},
    {NULL, NULL, NULL},
};

static const struct wm_check_default perf_defaults[] = {
    {"p99", WM_PERF_P99_WARN, NULL},
    {"db_p95", WM_PERF_DB_P95_WARN, NULL},
    {"degradation", WM_PERF_DEGRADATION_WARN, NULL},
    {NULL, NULL, NULL},
};

/* "zero security violations"; 401/403 WARNING above 100 an hour */
static const struct wm_check_default security_defaults[] = {
    {"violations", NULL, "0"},	{"refused_per_hour", "100", NULL}, {"brute_forces", NULL, "0"},
    {"attacks_2xx", NULL, "0"}, {"intrusion_words", NULL, "0"},	   {"probe_failures", NULL, "0"},
    {NULL, NULL, NULL},
};

/* "all users can access the primary features": any failed step */
static const struct wm_check_default smoke_defaults[] = {
    {"step_failures", NULL, "0"},
    {NULL, NULL, NULL},
};

static const struct wm_check_def table[] = {
    {"services", "services", "restarts", run_services, services_defaults, true},
    {"errors", "errors", "errors", run_errors, errors_defaults, false},
    {"cache", "cache", "hit_rate", run_cache, cache_defaults, false},
    {"db", "db", "p95", run_db, db_defaults, false},
    {"perf", "perf", "p99", run_perf, perf_defaults, false},
    {"security", "security", "violations", run_security, security_defaults, false},
    {"smoke", "smoke", "step_failures", run_smoke, smoke_defaults, true},
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
wm_check_threshold(struct wm_session *s, const struct wm_check_def *def, const char *metric,
		   const char *instance, bool critical)
{
	const struct wm_thresholds *th = wm_session_thresholds(s);
	const char *v = th ? wm_thresholds_get(th, metric, instance, critical, NULL) : NULL;

	return v ? v : wm_check_default(def, metric, critical);
}

const char *
wm_check_default(const struct wm_check_def *def, const char *metric, bool critical)
{
	for (const struct wm_check_default *d = def->defaults; d && d->metric; d++)
		if (strcmp(d->metric, metric) == 0)
			return critical ? d->crit : d->warn;
	return NULL;
}

void
wm_check_thresholds(const struct wm_check_def *def, const struct wm_session *s,
		    const struct wm_check_overrides *o, struct wm_thresholds *th)
{
	*th = (struct wm_thresholds){.cfg = wm_session_config(s),
				     .target = wm_session_target(s),
				     .area = def->area,
				     .primary = def->primary,
				     .warn = o ? o->warn : NULL,
				     .nwarn = o ? o->nwarn : 0,
				     .crit = o ? o->crit : NULL,
				     .ncrit = o ? o->ncrit : 0};
}

int
wm_check_run(const struct wm_check_def *def, struct wm_session *s, const void *opts,
	     const struct wm_check_overrides *o, struct wm_result *r, struct wm_err *err)
{
	struct wm_thresholds th;
	const struct wm_check *sum;
	int rc;

	wm_check_thresholds(def, s, o, &th);

	/* an unknown threshold name (-c error=5) is an error before collecting */
	if (wm_thresholds_check(&th, err) < 0)
		return -1;
	wm_session_set_thresholds(s, &th);
	rc = def->run(s, opts, r);
	wm_session_set_thresholds(s, NULL);
	if (rc < 0)
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	if (wm_thresholds_set(&th, r, err) < 0)
		return -1;
	/* all well: say so in the area check's own words ("8/8 services OK ...") */
	if (def->area_summary && wm_result_state(r) == WM_OK &&
	    (sum = wm_result_find_check(r, def->area)) &&
	    wm_result_set_summary(r, "%s", sum->summary) < 0)
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	return 0;
}

int
wm_check_window(int64_t *since_ms, int64_t *until_ms, char *name, size_t size, const char *since,
		const char *until, bool whole, bool follow, int64_t now_ms, int *which,
		struct wm_err *err)
{
	*since_ms = *until_ms = -1;
	*which = 1;
	if (since && wm_time_parse(since, now_ms, since_ms, err) < 0)
		return -1;
	*which = 2;
	if (until && wm_time_parse(until, now_ms, until_ms, err) < 0)
		return -1;
	/* Docker's default: the hour before the end (now, or until) */
	if (!since && !whole && !follow)
		*since_ms = (until ? *until_ms : now_ms) - 3600 * 1000;
	*which = 3;
	if (since && until && *until_ms <= *since_ms)
		return wm_err_set(err, WM_EINVAL, "--until must be later than --since");
	if (since && until)
		snprintf(name, size, "since %s until %s", since, until);
	else if (since)
		snprintf(name, size, "since %s", since);
	else if (until && *since_ms >= 0)
		snprintf(name, size, "in 1h until %s", until);
	else if (until)
		snprintf(name, size, "until %s", until);
	else if (*since_ms >= 0)
		snprintf(name, size, "in 1h");
	else
		snprintf(name, size, "in the input");
	*which = 0;
	return 0;
}
