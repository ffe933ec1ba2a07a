/* checks.h - the check units and the table of check definitions.
 *
 * A check unit is one entry point per area, wm_AREA_run(session, opts,
 * result): it reaches the target through the session (lib/session.h),
 * loads and saves its samples through it, adds its checks to the result,
 * and never prints nor exits, so that a program (src/wm-AREA.c) and the
 * driver (wm-run) run the same code.  Each returns 0, or -1 only when out of
 * memory: every other failure is a check (UNKNOWN when it could not be
 * performed, CRITICAL when the target refused; wm_err_state).
 *
 * Thresholds: a unit gives each metric the runbook's default (the table's
 * defaults); wm_check_finish then applies the configuration and the
 * command line and re-evaluates (the caller's part, as in wm_prog_run).
 */
#ifndef WM_CHECKS_H
#define WM_CHECKS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "result.h"
#include "session.h"

/* services: are the compose project's expected services up and healthy?
 * Per expected service (the target's list, else every service seen) a check
 * "services.NAME": state, health, restarts in total and since the previous
 * run (sample "services"), uptime, OOM kills, exit code; a service without a
 * container is CRITICAL "missing".  Then "disk:PATH" checks with disk, and
 * the project check "services" ("8/8 services OK ..."). */
#define WM_SERVICES_STATE_NAME "services"
#define WM_SERVICES_WAIT_DEFAULT_MS (5 * 60 * 1000)
struct wm_services_check_opts {
	bool stats;	 /* CPU and memory per running service */
	bool disk;	 /* use of the target's file systems */
	bool wait;	 /* poll until every service is up and healthy */
	int64_t wait_ms; /* for at most this long */
};
int wm_services_run(struct wm_session *s, const struct wm_services_check_opts *o,
		    struct wm_result *r);

/* cache: Redis PING, hit rate since the previous run (sample "redis"), ops/s,
 * evictions, rejected connections, memory, persistence (lib/cache.h); the
 * address from the target's 'redis', the password from redis_password_file,
 * WM_REDIS_PASSWORD or REDISCLI_AUTH. */
struct wm_cache_check_opts {
	bool probe; /* also SET, GET and DEL a namespaced key with a TTL */
};
int wm_cache_run(struct wm_session *s, const struct wm_cache_check_opts *o, struct wm_result *r);

/* db: PostgreSQL readiness, connections, sessions, a timed query, latency
 * from pg_stat_statements since the previous run (sample "postgres"),
 * integrity and never-shrink tables (lib/db.h). */
struct wm_db_check_opts {
	/* take the never_shrink tables' row counts now as their high-water marks */
	bool reset_high_water;
};
int wm_db_run(struct wm_session *s, const struct wm_db_check_opts *o, struct wm_result *r);

/* The runbook's default threshold of one metric. */
struct wm_check_default {
	const char *metric;
	const char *warn, *crit; /* range texts, NULL: none */
};

/* One check definition: what a program and wm-run need to run a unit. */
struct wm_check_def {
	const char *name;    /* "services": the program wm-services */
	const char *area;    /* thresholds: AREA.METRIC keys */
	const char *primary; /* the metric a bare -w/-c RANGE sets */
	/* the unit, its opts as void (the area's wm_AREA_check_opts) */
	int (*run)(struct wm_session *s, const void *opts, struct wm_result *r);
	const struct wm_check_default *defaults; /* ends with {NULL} */
	bool area_summary;			 /* when all is OK, the check named area says it */
};

/* The table, *n rows; and one row by name (NULL: none). */
const struct wm_check_def *wm_checks(size_t *n);
const struct wm_check_def *wm_check_find(const char *name);
/* The default of metric in def, or NULL (critical: the critical range). */
const char *wm_check_default(const struct wm_check_def *def, const char *metric, bool critical);

#endif
