/* threshold_table.c - the suite-wide table of metrics and the threshold key
 * grammar (threshold_policy.h).  warunginmon.conf(5) lists the same rows;
 * tests/cli/check-docs.sh keeps the two in agreement. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "conf/threshold_policy.h"

static const char *const areas[] = {"services", "errors", "cache", "db",
				    "security", "perf",	  "smoke"};

/* Today's programs' metrics as they report them, then the names reserved for
 * the programs of issues 13-15 (read from their issues: the runbook's
 * "p99 < 2 s", "DB query p95 < 500 ms", "zero security violations", "all
 * users can access the primary features"). */
static const struct wm_metric_def table[] = {
    {"services", "restarts", false, "wm-services", "restarts since the previous run"},
    {"services", "restart_count", false, "wm-services", "the engine's restart counter"},
    {"services", "uptime", false, "wm-services", "seconds since the container started"},
    {"services", "unhealthy", false, "wm-services", "1 when the healthcheck fails"},
    {"services", "cpu", false, "wm-services", "CPU use, percent"},
    {"services", "memory", false, "wm-services", "memory use, percent of the limit"},
    {"services", "memory_used", false, "wm-services", "memory used, bytes"},
    {"services", "memory_limit", false, "wm-services", "memory limit, bytes"},
    {"services", "pids", false, "wm-services", "processes in the container"},
    {"services", "disk", false, "wm-services", "file system use, percent"},
    {"services", "disk_free", false, "wm-services", "file system space left, bytes"},
    {"services", "disk_size", false, "wm-services", "file system size, bytes"},
    {"errors", "errors", false, "wm-errors", "error and critical lines in the window"},
    {"errors", "critical_lines", false, "wm-errors", "critical lines in the window"},
    {"errors", "warnings", false, "wm-errors", "warning lines in the window"},
    {"errors", "lines", false, "wm-errors", "lines in the window"},
    {"cache", "probe_time", false, "wm-cache", "SET/GET/DEL round trip, ms"},
    {"cache", "ping_time", false, "wm-cache", "PING round trip, ms"},
    {"cache", "hit_rate", false, "wm-cache", "keyspace hits, percent of lookups"},
    {"cache", "ops_per_sec", false, "wm-cache", "commands per second"},
    {"cache", "commands", false, "wm-cache", "commands since the previous run"},
    {"cache", "evicted_keys", false, "wm-cache", "keys evicted since the previous run"},
    {"cache", "expired_keys", false, "wm-cache", "keys expired since the previous run"},
    {"cache", "rejected_connections", false, "wm-cache", "connections refused (maxclients)"},
    {"cache", "connected_clients", false, "wm-cache", "clients connected"},
    {"cache", "used_memory", false, "wm-cache", "memory used, bytes"},
    {"cache", "memory_used", false, "wm-cache", "memory used, percent of maxmemory"},
    {"cache", "keys", false, "wm-cache", "keys in the databases"},
    {"cache", "rdb_changes_since_last_save", false, "wm-cache", "writes not yet saved"},
    {"db", "connect_time", false, "wm-db", "connection time, ms"},
    {"db", "connections", false, "wm-db", "server connections"},
    {"db", "connections_used", false, "wm-db", "connections, percent of those usable"},
    {"db", "long_running", false, "wm-db", "queries running longer than 5 minutes"},
    {"db", "idle_in_transaction", false, "wm-db", "sessions idle in a transaction"},
    {"db", "probe_time", false, "wm-db", "read-only probe query, ms"},
    {"db", "public_tables", false, "wm-db", "tables in the public schema"},
    {"db", "calls", false, "wm-db", "statements run since the previous run"},
    {"db", "mean", false, "wm-db", "mean statement time, seconds"},
    {"db", "p95", false, "wm-db", "statement time p95 estimate, seconds"},
    {"db", "checksum_failures", false, "wm-db", "data checksum failures"},
    {"db", "deadlocks", false, "wm-db", "deadlocks since the previous run"},
    {"db", "rollback_ratio", false, "wm-db", "rolled back, percent of transactions"},
    {"db", "_rows", true, "wm-db", "TABLE_rows: rows of a never_shrink table"},
    {"security", "violations", false, "wm-security", "security violations, all kinds"},
    {"security", "refused_per_hour", false, "wm-security", "401 and 403 answers per hour"},
    {"security", "unauthorized", false, "wm-security", "401 answers (nginx)"},
    {"security", "forbidden", false, "wm-security", "403 answers (nginx)"},
    {"security", "backend_unauthorized", false, "wm-security", "401 lines of the backend"},
    {"security", "backend_forbidden", false, "wm-security", "403 lines of the backend"},
    {"security", "failed_logins", false, "wm-security", "failed logins (backend)"},
    {"security", "brute_forces", false, "wm-security", "clients over the failed-login limit"},
    {"security", "brute_force_accounts", false, "wm-security",
     "accounts over the failed-login limit"},
    {"security", "attacks_2xx", false, "wm-security", "attack-shaped requests answered 2xx"},
    {"security", "attacks", false, "wm-security", "attack-shaped requests"},
    {"security", "attacks_static_2xx", false, "wm-security",
     "attack-shaped requests nginx answered"},
    {"security", "2fa_refused", false, "wm-security", "admin requests refused for lacking 2FA"},
    {"security", "2fa_enabled", false, "wm-security", "2FA enabled"},
    {"security", "2fa_verify_failed", false, "wm-security", "bad 2FA codes"},
    {"security", "store_denied", false, "wm-security", "supervisor store denials"},
    {"security", "store_bulk_denied", false, "wm-security", "supervisor bulk denials"},
    {"security", "store_not_assigned", false, "wm-security", "store-less logins refused"},
    {"security", "store_access_denied_code", false, "wm-security", "STORE_ACCESS_DENIED alone"},
    {"security", "rate_limited", false, "wm-security", "429 answers (nginx)"},
    {"security", "backend_rate_limited", false, "wm-security", "rate-limit lines (backend)"},
    {"security", "intrusion_words", false, "wm-security", "lines with an intrusion word"},
    {"security", "probe_failures", false, "wm-security", "active probes that got through"},
    {"security", "probes_not_run", false, "wm-security", "active probes that could not run"},
    {"security", "probe_time", false, "wm-security", "time of a probe, ms"},
    {"perf", "p50", false, "wm-perf", "response time p50, seconds"},
    {"perf", "p95", false, "wm-perf", "response time p95, seconds"},
    {"perf", "p99", false, "wm-perf", "response time p99, seconds"},
    {"perf", "max", false, "wm-perf", "slowest response, seconds"},
    {"perf", "mean", false, "wm-perf", "mean response time, seconds"},
    {"perf", "requests", false, "wm-perf", "requests in the window"},
    {"perf", "throughput", false, "wm-perf", "requests per minute"},
    {"perf", "error_ratio", false, "wm-perf", "5xx answers, fraction of requests (0-1)"},
    {"perf", "degradation", false, "wm-perf", "p99 over the previous window's, ratio"},
    {"perf", "db_p95", false, "wm-perf", "database query time p95, seconds"},
    {"smoke", "step_failures", false, "wm-smoke", "steps that failed"},
    {"smoke", "steps_not_run", false, "wm-smoke", "steps not run (a dependency failed)"},
    {"smoke", "step_time", false, "wm-smoke", "time of a step, seconds"},
};

#define NTABLE (sizeof(table) / sizeof(table[0]))

const struct wm_metric_def *
wm_metric_table(size_t *n)
{
	*n = NTABLE;
	return table;
}

bool
wm_threshold_area_known(const char *area, size_t len)
{
	for (size_t i = 0; i < sizeof(areas) / sizeof(areas[0]); i++) {
		if (strlen(areas[i]) == len && strncmp(areas[i], area, len) == 0)
			return true;
	}
	return false;
}

static bool
row_matches(const struct wm_metric_def *d, const char *name, size_t len)
{
	size_t n = strlen(d->name);

	if (!d->suffix)
		return n == len && strncmp(d->name, name, len) == 0;
	return len > n && strncmp(name + len - n, d->name, n) == 0;
}

const struct wm_metric_def *
wm_metric_find(const char *area, const char *name, size_t len)
{
	for (size_t i = 0; i < NTABLE; i++) {
		if ((!area || strcmp(table[i].area, area) == 0) &&
		    row_matches(&table[i], name, len))
			return &table[i];
	}
	return NULL;
}

void
wm_metric_names(const char *area, char *buf, size_t len)
{
	size_t off = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < NTABLE && off < len; i++) {
		if (area && strcmp(table[i].area, area) != 0)
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s%s%s", off ? ", " : "",
					table[i].suffix ? "TABLE" : "", table[i].name);
	}
}

/* Copy text[0..n) into a fixed field; false when it does not fit. */
static bool
put(char *field, size_t size, const char *text, size_t n)
{
	if (n >= size)
		return false;
	memcpy(field, text, n);
	field[n] = '\0';
	return true;
}

/* METRIC[.INSTANCE] of area (NULL: any area) into out: the metric is the
 * first word, the rest (dots and all) the instance.  False when the metric is
 * unknown or a part does not fit. */
static bool
split_metric(const char *area, const char *s, size_t len, struct wm_threshold_name *out)
{
	const char *dot = memchr(s, '.', len);
	size_t mlen = dot ? (size_t)(dot - s) : len;

	if (!wm_metric_find(area, s, mlen) || !put(out->metric, sizeof out->metric, s, mlen))
		return false;
	if (!dot)
		out->instance[0] = '\0';
	else if (dot + 1 == s + len || s[len - 1] == '.' ||
		 !put(out->instance, sizeof out->instance, dot + 1, len - mlen - 1))
		return false;
	return true;
}

int
wm_threshold_key_parse(const char *key, size_t len, struct wm_threshold_name *out,
		       struct wm_err *err)
{
	const char *dot = memchr(key, '.', len);
	size_t alen = dot ? (size_t)(dot - key) : len;
	char known[WM_ERR_MSG_MAX / 2];

	memset(out, 0, sizeof(*out));
	if (dot && wm_threshold_area_known(key, alen)) {
		put(out->area, sizeof out->area, key, alen);
		if (split_metric(out->area, dot + 1, len - alen - 1, out))
			return 0;
	}
	/* the old forms: METRIC or METRIC.INSTANCE, METRIC of any area */
	memset(out, 0, sizeof(*out));
	if (split_metric(NULL, key, len, out)) {
		out->old = true;
		return 1;
	}
	if (dot && wm_threshold_area_known(key, alen)) {
		char area[16];

		put(area, sizeof area, key, alen);
		wm_metric_names(area, known, sizeof known);
		return wm_err_set(err, WM_ECONFIG, "unknown metric in '%.*s' (%s knows: %s)",
				  (int)len, key, area, known);
	}
	return wm_err_set(err, WM_ECONFIG,
			  "unknown threshold '%.*s' (expected AREA.METRIC[.INSTANCE], AREA one "
			  "of " WM_THRESHOLD_AREAS ")",
			  (int)len, key);
}

int
wm_threshold_arg_parse(const char *area, const char *name, size_t len,
		       struct wm_threshold_name *out, struct wm_err *err)
{
	const char *dot = memchr(name, '.', len);
	size_t alen = dot ? (size_t)(dot - name) : len;
	char known[WM_ERR_MSG_MAX / 2];

	memset(out, 0, sizeof(*out));
	if (area)
		put(out->area, sizeof out->area, area, strlen(area));
	/* AREA.METRIC... when the first word is the area and what follows is
	 * one of its metrics ("errors.errors.backend"); else METRIC... */
	if (dot && area && strlen(area) == alen && strncmp(name, area, alen) == 0 &&
	    split_metric(area, dot + 1, len - alen - 1, out))
		return 0;
	if (split_metric(area, name, len, out))
		return 0;
	if (dot && area && wm_threshold_area_known(name, alen) &&
	    !(strlen(area) == alen && strncmp(name, area, alen) == 0))
		return wm_err_set(err, WM_EINVAL,
				  "threshold '%.*s' is for another program (this one's area is %s)",
				  (int)len, name, area);
	wm_metric_names(area, known, sizeof known);
	return wm_err_set(err, WM_EINVAL, "unknown metric '%.*s' in -w/-c (%s knows: %s)", (int)len,
			  name, area ? area : "this program", known);
}
