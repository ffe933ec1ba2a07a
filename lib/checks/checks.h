/* checks.h - the check units and the table of check definitions.
 *
 * A check unit is one entry point per area, wm_AREA_run(session, opts,
 * result): it reaches the target through the session (lib/session/session.h),
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

#include "logs/logstream.h"
#include "model/result.h"
#include "session/session.h"

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
 * evictions, rejected connections, memory, persistence (lib/checks/cache.h); the
 * address from the target's 'redis', the password from redis_password_file,
 * WM_REDIS_PASSWORD or REDISCLI_AUTH. */
struct wm_cache_check_opts {
	bool probe; /* also SET, GET and DEL a namespaced key with a TTL */
};
int wm_cache_run(struct wm_session *s, const struct wm_cache_check_opts *o, struct wm_result *r);

/* db: PostgreSQL readiness, connections, sessions, a timed query, latency
 * from pg_stat_statements since the previous run (sample "postgres"),
 * integrity and never-shrink tables (lib/checks/db.h). */
struct wm_db_check_opts {
	/* take the never_shrink tables' row counts now as their high-water marks */
	bool reset_high_water;
};
int wm_db_run(struct wm_session *s, const struct wm_db_check_opts *o, struct wm_result *r);

/* errors: errors and critical errors per service in a time window, grouped
 * by message (lib/checks/errors.h), from the Engine API of the target through the
 * log collector (lib/session/logcollect.h), or from a file or standard input in
 * `docker compose logs` form.  One check "errors.SERVICE" per service, with
 * per-service thresholds (errors.SERVICE / errors keys, -w/-c). */
struct wm_classify_set;
struct wm_errors;
struct wm_errors_check_opts {
	const char *file;	     /* a file, "-" for standard input; NULL: Docker */
	int64_t since_ms, until_ms;  /* the window, unix ms; -1: open */
	char window[96];	     /* the window in summaries ("in 1h") */
	const char *const *services; /* named services: only these; none: the target's */
	size_t nservices;
	size_t top;		/* groups per service (0: none) */
	size_t tail;		/* last lines kept per service */
	bool criticals;		/* keep the critical lines */
	int level;		/* lowest level grouped */
	const char *pattern[3]; /* critical, error, warn words; NULL: [errors NAME], defaults */
	/* made beforehand with wm_errors_classes (a program checks the patterns
	 * first); NULL: the unit makes them, a bad pattern an UNKNOWN check */
	struct wm_classify_set *classes;
	const volatile sig_atomic_t *stop; /* stop reading when set; may be NULL */
	struct wm_errors **keep;	   /* non-NULL: the analyzer for details (caller frees) */
};
/* What wm-errors does with no option: the hour before now_ms (unix ms). */
void wm_errors_check_defaults(struct wm_errors_check_opts *o, int64_t now_ms);
/* The window [since, until) of o from the texts since and until (as
 * wm_time_parse reads them: a duration before now, RFC 3339, unix seconds;
 * NULL: not given) at now_ms, and its name for summaries.  Docker input
 * defaults to the hour before now (not when following: from now); a file is
 * taken whole unless a bound is given.  -1 with err and *which: 1 since or
 * 2 until does not parse, 3 until is not later than since. */
int wm_errors_check_window(struct wm_errors_check_opts *o, const char *since, const char *until,
			   bool follow, int64_t now_ms, int *which, struct wm_err *err);
/* A classifier per service with an [errors SERVICE] section (the services
 * named, else the target's), [errors all] or the defaults for the rest; the
 * patterns of o win.  NULL with err (WM_EINVAL naming the section, WM_ENOMEM). */
struct wm_classify_set *wm_errors_classes(const struct wm_session *s,
					  const struct wm_errors_check_opts *o, struct wm_err *err);
struct wm_zone_overrides;
/* [general] time_zones of the session's configuration (what ambiguous zone
 * names in log lines mean here) into z; -1 with err when it does not parse. */
int wm_errors_zones(const struct wm_session *s, struct wm_zone_overrides *z, struct wm_err *err);
/* The analyzer the unit feeds, as it makes it for o (the expected services,
 * the compose project's names); NULL when out of memory.  For --follow. */
struct wm_errors *wm_errors_check_analyzer(const struct wm_session *s,
					   const struct wm_errors_check_opts *o);
int wm_errors_run(struct wm_session *s, const struct wm_errors_check_opts *o, struct wm_result *r);

/* perf: response-time percentiles, throughput and the DB query p95
 * (lib/checks/perf.h, perf_hist.h).  Sources, each figure naming its own:
 * the application's Prometheus histograms at the target's metrics_url over
 * the window since the previous run (sample "perf"), "perf.app"; the DB
 * query p95 from that histogram and from pg_stat_statements, "perf.db"; the
 * access log and the JSON durations of the logs of [perf] log_services over
 * the same window, "perf.nginx", "perf.upstream", "perf.log"; --sample's
 * timed requests, "perf.sample".
 * [perf] of the configuration names the families and labels. */
struct wm_perf_check_opts {
	bool no_app;	  /* leave the application's histograms out */
	bool no_db;	  /* leave the DB query p95 out */
	bool no_logs;	  /* leave the logs out */
	int sample;	  /* --sample N: N timed requests ([perf] sample_urls) */
	int64_t since_ms; /* the logs' window from here (unix ms); 0: since the previous run */
	/* wm-run: the logs source a shared read fed (wm_logs_check_run), made
	 * with wm_perf_logs_new for the same window; NULL: perf reads its own */
	struct wm_perf_logs *logs;
};
/* o NULL: the defaults (what wm-run asks for). */
int wm_perf_run(struct wm_session *s, const struct wm_perf_check_opts *o, struct wm_result *r);
/* One more reader of the log read of a check run (wm_logs_check_run): an
 * analyzer of another area fed the same lines as the errors analyzer, of
 * the services it names only, and told which services are read and which
 * could not be. */
struct wm_logs_reader {
	struct wm_log_analyzer analyzer;
	const char *const *services; /* the services it reads; none: every one */
	size_t nservices;
	void *arg;
	/* service svc is about to be read / could not be read (why); -1: ENOMEM */
	int (*service)(void *arg, const char *svc);
	int (*problem)(void *arg, const char *svc, const char *why);
};
/* wm_errors_run, feeding the readers from the same read of each log (at
 * most WM_LOGSTREAM_MAX_ANALYZERS - 1 of them).  Every service a reader
 * names must be read for errors too (wm_errors_check_reads). */
int wm_errors_run_with(struct wm_session *s, const struct wm_errors_check_opts *o,
		       struct wm_result *r, const struct wm_logs_reader *rd, size_t nrd);
/* Does the errors unit with o read service svc? */
bool wm_errors_check_reads(const struct wm_session *s, const struct wm_errors_check_opts *o,
			   const char *svc);

/* The time window [since, until) of a check from the texts since and until
 * (as wm_time_parse reads them: a duration before now, RFC 3339, unix
 * seconds; NULL: not given) at now_ms, and its name for summaries ("in 1h",
 * "since 30m").  Docker input (whole false) defaults to the hour before the
 * end (not when following: from now); whole input (a file) is taken whole
 * unless a bound is given.  -1 with err and *which: 1 since or 2 until does
 * not parse, 3 until is not later than since. */
int wm_check_window(int64_t *since_ms, int64_t *until_ms, char *name, size_t size,
		    const char *since, const char *until, bool whole, bool follow, int64_t now_ms,
		    int *which, struct wm_err *err);

/* security: the hourly security verification (lib/checks/security.h): the
 * logs of the access services (nginx's access log, or the file
 * [security] access_log on the target) and of the backend services in the
 * window, judged by the analyzer; then the active probes ([probe NAME],
 * else the Warungin defaults) through the target's base_url.  Checks
 * "security.*"; security.violations is what "zero security violations"
 * reads. */
struct wm_security;
/* A probe's login token kept between runs by a caller that probes often
 * (wm-run's watch: the 2FA probe every minute logs in once, not every
 * time).  The caller owns it and wipes it with wm_probe_token_wipe. */
struct wm_probe_token {
	char user[128];	  /* the account the token is for; "" : none kept */
	char token[4096]; /* the bearer token */
	uint64_t logins;  /* logins made through this cache (tests, -vv) */
};
void wm_probe_token_wipe(struct wm_probe_token *t);

struct wm_security_check_opts {
	int64_t since_ms, until_ms; /* the window, unix ms; -1: open */
	char window[96];	    /* its name in summaries ("in 1h") */
	bool no_logs;		    /* the probes only */
	bool no_probes;		    /* the logs only */
	const char *const *probes;  /* run only these probes (none: every enabled one) */
	size_t nprobes;
	const char *access_log;		   /* a file on the target; NULL: [security] access_log */
	const volatile sig_atomic_t *stop; /* stop reading when set; may be NULL */
	struct wm_probe_token *token;	   /* keep and reuse a login's token; NULL: never kept */
};
/* The hour before now_ms, logs and probes. */
void wm_security_check_defaults(struct wm_security_check_opts *o, int64_t now_ms);
/* o NULL: the defaults at the wall clock's now. */
int wm_security_run(struct wm_session *s, const struct wm_security_check_opts *o,
		    struct wm_result *r);

/* perf's logs source for window [since, until), to be fed by the errors
 * unit's read (wm_logs_check_opts.perf) and then reported by wm_perf_run
 * (wm_perf_check_opts.logs, the same window).  NULL when out of memory. */
struct wm_perf_logs;
struct wm_perf_logs *wm_perf_logs_new(struct wm_session *s, int64_t since_ms, int64_t until_ms);
void wm_perf_logs_free(struct wm_perf_logs *pl);

/* errors, security and perf's logs from one read of each log (DESIGN §6:
 * the hourly security tier's read also feeds the errors analyzer): the
 * errors unit with o->errors into re, the security unit with o->security
 * into rs (none when NULL; rs may then be NULL), the services security
 * reads fed to its analyzer from the errors unit's read, and those of
 * o->perf (when set) to perf's.  When errors does not read every service
 * one of them needs (services named on its command line), that one reads
 * its own (said at -v; perf when wm_perf_run reports it).  Thresholds as
 * wm_check_run, each area's for its own result (the command line's
 * overrides: of errors, then of security; either may be NULL).  0, or -1
 * with err as wm_check_run. */
struct wm_logs_check_opts {
	const struct wm_errors_check_opts *errors;
	const struct wm_security_check_opts *security;
	struct wm_perf_logs *perf;
};
struct wm_check_overrides;
int wm_logs_check_run(struct wm_session *s, const struct wm_logs_check_opts *o,
		      const struct wm_check_overrides *errors_over,
		      const struct wm_check_overrides *security_over, struct wm_result *re,
		      struct wm_result *rs, struct wm_err *err);

/* smoke: the runbook's functional spot checks as timed, chained steps
 * (lib/checks/smoke.h): the [step NAME] sections, else the Warungin
 * defaults.  One check "smoke.NAME" per step (its status, the reason it
 * failed, libcurl's timings, "not run: login failed" when a step it needs
 * did not pass), then the area check "smoke".  o may be NULL: every step. */
struct wm_smoke_check_opts {
	const char *const *steps; /* --step: only these and what they need */
	size_t nsteps;
};
int wm_smoke_run(struct wm_session *s, const struct wm_smoke_check_opts *o, struct wm_result *r);

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

/* The command line's threshold overrides, as given ("[METRIC=]RANGE"). */
struct wm_check_overrides {
	const char *const *warn;
	size_t nwarn;
	const char *const *crit;
	size_t ncrit;
};

/* Check the threshold names of o and of the configuration for def's area,
 * run def's unit on s with opts into r, then set every metric's thresholds
 * by the suite's resolver (threshold_policy.h: o, which may be NULL, then
 * the configuration's AREA.METRIC[.INSTANCE] keys, then the unit's
 * default), re-evaluate the checks, and when all is OK let the area check's
 * summary be the result's.  What a program and wm-run do alike.  0, or -1
 * with err: WM_EINVAL / WM_ECONFIG (an unknown threshold name, a bad range;
 * nothing was collected then), WM_ENOMEM. */
int wm_check_run(const struct wm_check_def *def, struct wm_session *s, const void *opts,
		 const struct wm_check_overrides *o, struct wm_result *r, struct wm_err *err);

/* The threshold policy of a run of def on s with o (may be NULL), as
 * wm_check_run sets it up. */
struct wm_thresholds;
void wm_check_thresholds(const struct wm_check_def *def, const struct wm_session *s,
			 const struct wm_check_overrides *o, struct wm_thresholds *th);

/* The table, *n rows; and one row by name (NULL: none). */
const struct wm_check_def *wm_checks(size_t *n);
const struct wm_check_def *wm_check_find(const char *name);
/* The range for metric of instance (NULL: none) in the current check run
 * of s (wm_session_thresholds), else def's default; NULL: none. */
const char *wm_check_threshold(struct wm_session *s, const struct wm_check_def *def,
			       const char *metric, const char *instance, bool critical);
/* The default of metric in def, or NULL (critical: the critical range). */
const char *wm_check_default(const struct wm_check_def *def, const char *metric, bool critical);

#endif
