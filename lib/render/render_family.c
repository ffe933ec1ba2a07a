/* render_family.c - the table of Prometheus families (see render_family.h).
 *
 * Naming (https://prometheus.io/docs/practices/naming/, promtool's lint):
 * wm_ prefix, one family per measured thing with the instance in labels,
 * base units with their plural suffix (_seconds, _bytes, _ratio for 0-1),
 * _total only on counters.  Most of our figures are counts over the window
 * since the previous sample, which go up and down from run to run: gauges
 * without _total.  A HELP text is written once here, so two programs writing
 * the same family say the same thing (node_exporter 1.5 drops a family whose
 * HELP differs between files).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "render/render_family.h"

/* What the part of a check name after the area is, and who has a project. */
struct area {
	const char *name;
	char sep;	      /* between the area and the instance */
	const char *instance; /* the label of the rest; NULL: no instance */
	bool project;
};

static const struct area areas[] = {
    {"services", '.', "service", true},
    {"errors", '.', "service", true},
    {"disk", ':', "path", false},
    {"redis", '.', NULL, false},
    {"pg", '.', NULL, false},
    /* "security.probe.NAME" before "security.auth": the probe is the instance */
    {"security.probe", '.', "probe", false},
    {"security", '.', NULL, false},
    {"smoke", '.', "step", false},
};

enum { SERVICES, ERRORS, DISK, REDIS, PG, PROBE, SECURITY, SMOKE };

struct entry {
	int area;
	const char *metric;	 /* exact name, or "*_rows": any name with that suffix */
	struct wm_family family; /* name NULL: hidden (in another family) */
	const char *label;	 /* "*" metric: label of the rest; expand: of the keys */
	const char *expand;	 /* data object of the check with one number per key */
};

#define G WM_FAMILY_GAUGE
#define C WM_FAMILY_COUNTER
#define WINDOW " in the window (since the previous sample)"

static const struct entry table[] = {
    {SERVICES,
     "restart_count",
     {"wm_service_restarts_total", C,
      "Restarts of the service's container as Docker counts them (RestartCount); "
      "0 again when the container is recreated."},
     NULL,
     NULL},
    {SERVICES,
     "restarts",
     {"wm_service_restarts_since_previous_run", G,
      "Restarts of the service's container since the previous run (0 on the first run)."},
     NULL,
     NULL},
    {SERVICES,
     "uptime",
     {"wm_service_uptime_seconds", G, "Time since the service's container started."},
     NULL,
     NULL},
    {SERVICES,
     "unhealthy",
     {"wm_service_unhealthy", G,
      "1 when the container's health check says unhealthy, 0 when healthy; "
      "absent without a health check."},
     NULL,
     NULL},
    {SERVICES,
     "cpu",
     {"wm_service_cpu_ratio", G,
      "CPU the container used between two samples, in CPUs (1 = one CPU busy)."},
     NULL,
     NULL},
    {SERVICES,
     "memory",
     {"wm_service_memory_used_ratio", G, "Memory the container uses as a fraction of its limit."},
     NULL,
     NULL},
    {SERVICES,
     "memory_used",
     {"wm_service_memory_used_bytes", G,
      "Memory the container uses, without the page cache (as docker stats)."},
     NULL,
     NULL},
    {SERVICES,
     "memory_limit",
     {"wm_service_memory_limit_bytes", G,
      "The container's memory limit (the host's memory without one)."},
     NULL,
     NULL},
    {SERVICES,
     "pids",
     {"wm_service_pids", G, "Processes and threads in the container."},
     NULL,
     NULL},

    {DISK,
     "disk",
     {"wm_disk_used_ratio", G, "Used fraction of the filesystem holding the path, as df shows it."},
     NULL,
     NULL},
    {DISK,
     "disk_free",
     {"wm_disk_available_bytes", G,
      "Space available to unprivileged users on the filesystem holding the path."},
     NULL,
     NULL},
    {DISK,
     "disk_size",
     {"wm_disk_size_bytes", G, "Size of the filesystem holding the path."},
     NULL,
     NULL},

    {ERRORS,
     "lines",
     {"wm_log_lines", G,
      "Log lines of the service in the window (--since), by level "
      "(unknown: no level recognised)."},
     "level",
     "counts"},
    {ERRORS, "errors", {NULL, G, NULL}, NULL, NULL},
    {ERRORS, "critical_lines", {NULL, G, NULL}, NULL, NULL},
    {ERRORS, "warnings", {NULL, G, NULL}, NULL, NULL},

    {REDIS,
     "ping_time",
     {"wm_redis_ping_duration_seconds", G, "Round trip of a PING."},
     NULL,
     NULL},
    {REDIS,
     "probe_time",
     {"wm_redis_probe_duration_seconds", G, "Round trip of the SET, GET and DEL probe."},
     NULL,
     NULL},
    {REDIS,
     "hit_rate",
     {"wm_redis_hit_ratio", G, "Keyspace hits / (hits + misses)" WINDOW "."},
     NULL,
     NULL},
    {REDIS,
     "ops_per_sec",
     {"wm_redis_commands_per_second", G,
      "Commands processed per second, averaged over the window."},
     NULL,
     NULL},
    {REDIS,
     "commands",
     {"wm_redis_commands_processed", G, "Commands processed" WINDOW "."},
     NULL,
     NULL},
    {REDIS,
     "evicted_keys",
     {"wm_redis_evicted_keys", G, "Keys evicted because of maxmemory" WINDOW "."},
     NULL,
     NULL},
    {REDIS, "expired_keys", {"wm_redis_expired_keys", G, "Keys expired" WINDOW "."}, NULL, NULL},
    {REDIS,
     "rejected_connections",
     {"wm_redis_rejected_connections", G, "Connections refused because of maxclients" WINDOW "."},
     NULL,
     NULL},
    {REDIS,
     "connected_clients",
     {"wm_redis_connected_clients", G, "Clients connected."},
     NULL,
     NULL},
    {REDIS,
     "used_memory",
     {"wm_redis_memory_used_bytes", G, "Memory allocated by Redis (used_memory)."},
     NULL,
     NULL},
    {REDIS,
     "memory_used",
     {"wm_redis_memory_used_ratio", G,
      "used_memory as a fraction of maxmemory; absent without maxmemory."},
     NULL,
     NULL},
    {REDIS, "keys", {"wm_redis_keys", G, "Keys in all databases."}, NULL, NULL},
    {REDIS,
     "rdb_changes_since_last_save",
     {"wm_redis_rdb_changes_since_last_save", G, "Writes not yet in the RDB file."},
     NULL,
     NULL},

    {PG,
     "connect_time",
     {"wm_pg_connect_duration_seconds", G, "Time to connect and authenticate."},
     NULL,
     NULL},
    {PG, "probe_time", {"wm_pg_query_duration_seconds", G, "Round trip of SELECT 1."}, NULL, NULL},
    {PG, "public_tables", {"wm_pg_public_tables", G, "Tables in schema public."}, NULL, NULL},
    {PG,
     "connections",
     {"wm_pg_connections", G, "Connections to the server, in every state."},
     NULL,
     NULL},
    {PG,
     "connections_used",
     {"wm_pg_connections_used_ratio", G,
      "Connections as a fraction of max_connections minus the superuser reserve."},
     NULL,
     NULL},
    {PG,
     "long_running",
     {"wm_pg_long_running_sessions", G,
      "Sessions running one statement for longer than the limit."},
     NULL,
     NULL},
    {PG,
     "idle_in_transaction",
     {"wm_pg_idle_in_transaction_sessions", G,
      "Sessions idle in an open transaction for longer than the limit."},
     NULL,
     NULL},
    {PG,
     "calls",
     {"wm_pg_statement_calls", G, "Statements executed" WINDOW " (pg_stat_statements)."},
     NULL,
     NULL},
    {PG, "mean", {"wm_pg_statement_mean_seconds", G, "Mean statement time" WINDOW "."}, NULL, NULL},
    {PG,
     "p95",
     {"wm_pg_statement_p95_seconds", G, "Estimated 95th percentile of statement time" WINDOW "."},
     NULL,
     NULL},
    {PG,
     "checksum_failures",
     {"wm_pg_checksum_failures", G, "Data checksum failures" WINDOW "; absent with checksums off."},
     NULL,
     NULL},
    {PG, "deadlocks", {"wm_pg_deadlocks", G, "Deadlocks" WINDOW "."}, NULL, NULL},
    {PG,
     "rollback_ratio",
     {"wm_pg_rollback_ratio", G, "Rolled back transactions as a fraction of all" WINDOW "."},
     NULL,
     NULL},
    {PG,
     "*_rows",
     {"wm_pg_table_rows", G, "Rows of a watched table; the table label as in the perfdata label."},
     "table",
     NULL},
    {SECURITY,
     "violations",
     {"wm_security_violations", G,
      "Security violations in the window: probes that got through, brute forces, "
      "attack-shaped requests the application answered 2xx, intrusion words."},
     NULL,
     NULL},
    {SECURITY,
     "refused_per_hour",
     {"wm_security_refused_per_hour", G,
      "401 and 403 answers per hour over the window (at least an hour)."},
     NULL,
     NULL},
    {SECURITY,
     "unauthorized",
     {"wm_security_refused_requests", G,
      "401 and 403 answers of the access log in the window, by status."},
     "status",
     "refused"},
    {SECURITY, "forbidden", {NULL, G, NULL}, NULL, NULL},
    {SECURITY,
     "backend_unauthorized",
     {"wm_security_backend_refusals", G,
      "401 and 403 lines of the backend in the window, by status."},
     "status",
     "backend_refused"},
    {SECURITY, "backend_forbidden", {NULL, G, NULL}, NULL, NULL},
    {SECURITY,
     "failed_logins",
     {"wm_security_failed_logins", G, "Failed logins the backend logged in the window."},
     NULL,
     NULL},
    {SECURITY,
     "brute_forces",
     {"wm_security_brute_forces", G, "Clients over the failed-login limit in the window."},
     NULL,
     NULL},
    {SECURITY,
     "brute_force_accounts",
     {"wm_security_brute_force_accounts", G,
      "Accounts over the failed-login limit in the window (backend lines)."},
     NULL,
     NULL},
    {SECURITY,
     "attacks",
     {"wm_security_attack_requests", G, "Attack-shaped requests in the window, by kind."},
     "kind",
     "kinds"},
    {SECURITY,
     "attacks_2xx",
     {"wm_security_attack_requests_answered", G,
      "Attack-shaped requests the application answered 2xx in the window, by kind."},
     "kind",
     "kinds_2xx"},
    {SECURITY,
     "attacks_static_2xx",
     {"wm_security_attack_requests_static", G,
      "Attack-shaped requests nginx itself answered 2xx (no upstream), by kind."},
     "kind",
     "kinds_static_2xx"},
    {SECURITY,
     "2fa_refused",
     {"wm_security_2fa_events", G,
      "2FA events of the backend in the window: refused (2FA required but not enabled), "
      "enabled, verify_failed."},
     "event",
     "events"},
    {SECURITY, "2fa_enabled", {NULL, G, NULL}, NULL, NULL},
    {SECURITY, "2fa_verify_failed", {NULL, G, NULL}, NULL, NULL},
    {SECURITY,
     "store_denied",
     {"wm_security_store_denials", G,
      "Store-guard denials in the window, by kind (supervisor, bulk, not_assigned, "
      "code_only)."},
     "kind",
     "denials"},
    {SECURITY, "store_bulk_denied", {NULL, G, NULL}, NULL, NULL},
    {SECURITY, "store_not_assigned", {NULL, G, NULL}, NULL, NULL},
    {SECURITY, "store_access_denied_code", {NULL, G, NULL}, NULL, NULL},
    {SECURITY,
     "rate_limited",
     {"wm_security_rate_limited", G,
      "Rate-limit hits in the window: 429 answers (nginx), rate-limit lines (backend)."},
     "source",
     "sources"},
    {SECURITY, "backend_rate_limited", {NULL, G, NULL}, NULL, NULL},
    {SECURITY,
     "intrusion_words",
     {"wm_security_intrusion_word_lines", G, "Log lines with an intrusion word in the window."},
     NULL,
     NULL},
    {SECURITY,
     "probe_failures",
     {"wm_security_probe_failures", G, "Active probes that got through."},
     NULL,
     NULL},
    {SECURITY,
     "probes_not_run",
     {"wm_security_probes_not_run", G, "Active probes that could not run or be judged."},
     NULL,
     NULL},
    {PROBE,
     "probe_passed",
     {"wm_security_probe_passed", G,
      "1 when the probe was refused as the protection must, 0 when it got through; "
      "absent when it could not run."},
     NULL,
     NULL},
    {PROBE,
     "probe_time",
     {"wm_security_probe_duration_seconds", G, "Time of the probe's answer."},
     NULL,
     NULL},
    {SMOKE,
     "step_time",
     {"wm_smoke_step_duration_seconds", G,
      "Time of a smoke step: its HTTP request (libcurl's total), or the database or cache "
      "probe; absent when it did not run."},
     NULL,
     NULL},
    {SMOKE,
     "step_failures",
     {"wm_smoke_step_failures", G, "Smoke steps that failed in the run."},
     NULL,
     NULL},
    {SMOKE,
     "steps_not_run",
     {"wm_smoke_steps_not_run", G, "Smoke steps not run because a step they need did not pass."},
     NULL,
     NULL},
};

/* The area of check name n, and where its instance starts; -1 when none. */
static int
area_of(const char *n, const char **instance)
{
	for (size_t i = 0; i < sizeof(areas) / sizeof(areas[0]); i++) {
		size_t len = strlen(areas[i].name);

		if (strncmp(n, areas[i].name, len) == 0 &&
		    (n[len] == '\0' || n[len] == areas[i].sep)) {
			*instance = n[len] ? n + len + 1 : "";
			return (int)i;
		}
	}
	return -1;
}

/* Whether metric name m matches pattern p; *rest the length before p's suffix. */
static bool
metric_matches(const char *p, const char *m, size_t *rest)
{
	size_t pl, ml = strlen(m);

	if (p[0] != '*')
		return strcmp(p, m) == 0;
	pl = strlen(p + 1);
	if (ml <= pl || strcmp(m + ml - pl, p + 1) != 0)
		return false;
	*rest = ml - pl;
	return true;
}

void
wm_family_find(const struct wm_check *c, const struct wm_metric *m, struct wm_family_use *u)
{
	const char *instance = "";
	int a = area_of(c->name, &instance);

	memset(u, 0, sizeof(*u));
	if (a < 0)
		return;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct entry *e = &table[i];
		size_t rest = 0;

		if (e->area != a || !metric_matches(e->metric, m->name, &rest))
			continue;
		u->hidden = e->family.name == NULL;
		u->family = u->hidden ? NULL : &e->family;
		u->project = areas[a].project;
		u->instance_label = areas[a].instance;
		u->instance = instance;
		u->extra_label = e->label;
		u->extra_len = rest;
		u->expand = e->expand;
		return;
	}
}

const struct wm_family *
wm_family_at(size_t i, char *labels, size_t cap)
{
	const struct entry *e;
	const struct area *a;

	for (size_t k = 0; k < sizeof(table) / sizeof(table[0]); k++) {
		if (!table[k].family.name || i-- > 0)
			continue;
		e = &table[k];
		a = &areas[e->area];
		snprintf(labels, cap, "%s%s%s%s%s", a->project ? "project" : "",
			 a->project && a->instance ? "," : "", a->instance ? a->instance : "",
			 (a->project || a->instance) && e->label ? "," : "",
			 e->label ? e->label : "");
		return &e->family;
	}
	return NULL;
}
