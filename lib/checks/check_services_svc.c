/* check_services_svc.c - the state of each expected compose service. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "conf/threshold_policy.h"
#include "base/duration.h"
#include "checks/check_services_int.h"
#include "model/threshold.h"

int
svc_thresholds(const struct svc_ctx *x, const struct wm_check *chk, struct wm_metric *m)
{
	const struct wm_check_def *def = wm_check_find("services");
	const char *inst = wm_thresholds_instance("services", chk->name);

	return wm_metric_set_thresholds(m, wm_check_threshold(x->s, def, m->name, inst, false),
					wm_check_threshold(x->s, def, m->name, inst, true));
}

const struct wm_container *
svc_container(const struct svc_ctx *x, const char *svc)
{
	const struct wm_container *found = NULL;

	for (size_t i = 0; i < x->ncs; i++) {
		if (!x->cs[i].service || strcmp(x->cs[i].service, svc) != 0)
			continue;
		if (strcmp(x->cs[i].state, "running") == 0)
			return &x->cs[i];
		if (!found)
			found = &x->cs[i];
	}
	return found;
}

static const char *
prev_string(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

long
svc_restarts_since(struct svc_ctx *x, const char *svc, const char *id, const struct wm_inspect *in)
{
	const cJSON *p = x->prev ? cJSON_GetObjectItemCaseSensitive(x->prev, svc) : NULL;
	const cJSON *prc = p ? cJSON_GetObjectItemCaseSensitive(p, "restart_count") : NULL;
	const char *pid = prev_string(p, "id"), *pstart = prev_string(p, "started_at");
	cJSON *s = cJSON_AddObjectToObject(x->next, svc);
	bool started_changed;
	long prev_rc, d;

	if (s) {
		cJSON_AddStringToObject(s, "id", id);
		cJSON_AddNumberToObject(s, "restart_count", (double)in->restart_count);
		cJSON_AddStringToObject(s, "started_at", in->started_at ? in->started_at : "");
	}
	/* a hand-edited or damaged sample (huge, negative, not finite) is no
	 * sample: (long) of it would be undefined */
	if (!pid || !pstart || !cJSON_IsNumber(prc) ||
	    !(prc->valuedouble >= 0 && prc->valuedouble <= 1e9))
		return -1;
	prev_rc = (long)prc->valuedouble;
	started_changed = strcmp(pstart, in->started_at ? in->started_at : "") != 0;
	if (strcmp(pid, id) != 0) /* recreated: one start, plus its own restarts */
		return 1 + in->restart_count;
	if (in->restart_count >= prev_rc) {
		d = in->restart_count - prev_rc;
		/* a manual docker start leaves the counter alone (or resets it) */
		return d == 0 && started_changed ? 1 : d;
	}
	/* the counter was reset by a manual start: that start, then the new count */
	return in->restart_count + (started_changed ? 1 : 0);
}

static void
format_uptime(double s, char *buf, size_t size)
{
	long v = (long)s;

	if (v >= 86400)
		snprintf(buf, size, "%ldd%ldh", v / 86400, v % 86400 / 3600);
	else if (v >= 3600)
		snprintf(buf, size, "%ldh%ldm", v / 3600, v % 3600 / 60);
	else if (v >= 60)
		snprintf(buf, size, "%ldm%lds", v / 60, v % 60);
	else
		snprintf(buf, size, "%lds", v);
}

/* The probe output's last non-empty line, trimmed (curl progress meters put
 * the reason last). */
static void
probe_reason(const char *out, char *buf, size_t size)
{
	const char *best = NULL, *p = out;
	size_t blen = 0;

	buf[0] = '\0';
	while (p && *p) {
		size_t len = strcspn(p, "\r\n");

		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len > 0) {
			best = p;
			blen = len;
		}
		p += strcspn(p, "\r\n");
		p += strspn(p, "\r\n");
	}
	if (best)
		snprintf(buf, size, "%.*s", (int)(blen < 160 ? blen : 160), best);
}

/* Facts of a present container into data; returns the summary's health part. */
static void
add_facts(cJSON *data, const struct wm_container *ct, const struct wm_inspect *in, long since,
	  double uptime)
{
	cJSON_AddStringToObject(data, "container", ct->name);
	cJSON_AddStringToObject(data, "id", ct->id);
	cJSON_AddStringToObject(data, "state", in->status);
	cJSON_AddStringToObject(data, "status", ct->status ? ct->status : "");
	if (in->health)
		cJSON_AddStringToObject(data, "health", in->health);
	else
		cJSON_AddNullToObject(data, "health");
	cJSON_AddNumberToObject(data, "restart_count", (double)in->restart_count);
	if (since >= 0)
		cJSON_AddNumberToObject(data, "restarts_since_last_run", (double)since);
	else
		cJSON_AddNullToObject(data, "restarts_since_last_run");
	cJSON_AddStringToObject(data, "started_at", in->started_at ? in->started_at : "");
	if (!isnan(uptime))
		cJSON_AddNumberToObject(data, "uptime_s", floor(uptime));
	cJSON_AddBoolToObject(data, "oom_killed", in->oom_killed);
	cJSON_AddNumberToObject(data, "exit_code", (double)in->exit_code);
	if (in->health && strcmp(in->health, "unhealthy") == 0) {
		cJSON_AddStringToObject(data, "probe_output",
					in->probe_output ? in->probe_output : "");
		cJSON_AddNumberToObject(data, "probe_exit_code", (double)in->probe_exit);
		cJSON_AddNumberToObject(data, "failing_streak", (double)in->failing_streak);
	}
}

static double
uptime_of(const struct wm_inspect *in)
{
	int64_t started;

	if (!in->running || !in->started_at || strncmp(in->started_at, "0001-", 5) == 0 ||
	    wm_time_parse(in->started_at, wm_now_ms(), &started, NULL) < 0)
		return NAN;
	return (double)(wm_now_ms() - started) / 1000.0;
}

/* State and summary of a present container. */
static void
judge(struct wm_check *c, const char *svc, const struct wm_inspect *in, double uptime, long since)
{
	char up[80] = "", why[200];

	if (!isnan(uptime))
		format_uptime(uptime, up, sizeof(up));
	if (since > 0) /* the restarts metric makes this a WARNING; say why */
		snprintf(up + strlen(up), sizeof(up) - strlen(up),
			 ", %ld restart%s since the last run", since, since == 1 ? "" : "s");
	if (in->restarting)
		wm_check_set(c, WM_CRITICAL, "%s: restarting (last exit code %ld%s)", svc,
			     in->exit_code, in->oom_killed ? ", OOM killed" : "");
	else if (in->paused)
		wm_check_set(c, WM_WARNING, "%s: paused", svc);
	else if (!in->running)
		wm_check_set(c, WM_CRITICAL, "%s: %s (exit code %ld%s)", svc, in->status,
			     in->exit_code, in->oom_killed ? ", OOM killed" : "");
	else if (in->health && strcmp(in->health, "unhealthy") == 0) {
		probe_reason(in->probe_output, why, sizeof(why));
		if (!*why)
			snprintf(why, sizeof(why), "probe exit code %ld, %ld failures in a row",
				 in->probe_exit, in->failing_streak);
		/* the state comes from the "unhealthy" metric's thresholds */
		wm_check_set(c, WM_OK, "%s: running, unhealthy: %s", svc, why);
	} else if (in->health && strcmp(in->health, "starting") == 0)
		wm_check_set(c, WM_WARNING, "%s: running, health check starting, up %s", svc, up);
	else
		wm_check_set(c, in->oom_killed ? WM_WARNING : WM_OK, "%s: running%s, up %s%s", svc,
			     in->health ? ", healthy" : "", up,
			     in->oom_killed ? ", OOM killed before its last start" : "");
}

static int
add_metrics(struct svc_ctx *x, struct wm_check *c, const struct wm_inspect *in, long since,
	    double uptime)
{
	struct wm_metric *m;

	/* the first run has nothing to compare with: 0, and data says null */
	m = wm_check_add_metric(c, "restarts", since >= 0 ? (double)since : 0.0, "");
	if (!m || svc_thresholds(x, c, m) < 0)
		return -1;
	if (!wm_check_add_metric(c, "restart_count", (double)in->restart_count, "c") ||
	    !wm_check_add_metric(c, "uptime", uptime, "s"))
		return -1;
	if (in->health && in->running) { /* a stopped container reads unhealthy too */
		m = wm_check_add_metric(c, "unhealthy", strcmp(in->health, "unhealthy") == 0, "");
		/* unhealthy is CRITICAL by default; "unhealthy.critical = 1" with
		 * "unhealthy.warning = 0" in the config makes it a WARNING */
		if (!m || svc_thresholds(x, c, m) < 0)
			return -1;
	}
	return 0;
}

static int
one_service(struct svc_ctx *x, struct wm_result *r, const char *svc)
{
	const struct wm_container *ct = svc_container(x, svc);
	struct wm_check *c;
	struct wm_inspect in;
	char name[300];
	long since;
	double uptime;
	cJSON *data;
	int rc;

	snprintf(name, sizeof(name), "services.%s", svc);
	if (!(c = wm_result_add_check(r, name)) || !(data = wm_check_data(c)))
		return -1;
	cJSON_AddStringToObject(data, "service", svc);
	if (!ct) {
		wm_check_set(c, WM_CRITICAL, "%s: missing (no container)", svc);
		cJSON_AddStringToObject(data, "state", "missing");
		return 0;
	}
	if (wm_docker_inspect(x->d, ct->id, &in) < 0) {
		wm_check_set(c, WM_UNKNOWN, "%s: %s", svc, x->d->err.msg);
		return 0;
	}
	since = svc_restarts_since(x, svc, ct->id, &in);
	uptime = uptime_of(&in);
	add_facts(data, ct, &in, since, uptime);
	judge(c, svc, &in, uptime, since);
	rc = add_metrics(x, c, &in, since, uptime);
	wm_check_eval(c); /* thresholds, e.g. unhealthy, count in the summary */
	wm_docker_inspect_clear(&in);
	return rc;
}

int
svc_collect_services(struct svc_ctx *x, struct wm_result *r)
{
	for (size_t i = 0; i < x->nexpected; i++)
		if (one_service(x, r, x->expected[i]) < 0)
			return -1;
	return 0;
}
