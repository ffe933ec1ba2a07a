/* watch_tick.c - what the watch adds to a tick: the cross-checks only a
 * driver can make, the baseline of the first hours and the drift from it,
 * and the T+0 drill (see watch.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "run/watch_int.h"

/* Metrics the baseline keeps, and whether a fall (not a rise) is the drift. */
static const struct {
	const char *metric;
	bool lower_is_worse;
} base_metrics[] = {
    {"errors", false},	    {"hit_rate", true}, {"p99", false},	     {"cpu", false},
    {"cpu_percent", false}, {"memory", false},	{"mem_used", false}, {"mem_percent", false},
};

static const struct wm_metric *
metric(const struct wm_check *c, const char *name)
{
	for (size_t i = 0; i < c->nmetrics; i++)
		if (!strcmp(c->metrics[i].name, name))
			return &c->metrics[i];
	return NULL;
}

/* The first check named name (or, with a trailing '.', starting so) of results. */
static const struct wm_check *
find(const struct wm_result *const *r, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; r[i] && k < r[i]->nchecks; k++)
			if (!strcmp(r[i]->checks[k]->name, name))
				return r[i]->checks[k];
	return NULL;
}

static struct wm_check *
warn(struct wm_result *out, const char *name, const char *msg)
{
	struct wm_check *c = wm_result_add_check(out, name);

	if (c)
		wm_check_set(c, WM_WARNING, "%s", msg);
	return c;
}

/* "crash-looping": a service restarted in each of the last two ticks or
 * more (the services unit's restarts since its previous sample, or die
 * events seen by the watch), rather than N separate restarts. */
static void
crash_loops(struct wm_watch *w, const struct wm_result *const *r, size_t n, struct wm_result *out)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; r[i] && k < r[i]->nchecks; k++) {
			const struct wm_check *c = r[i]->checks[k];
			const struct wm_metric *m = metric(c, "restarts");

			if (!strncmp(c->name, "services.", 9) && m && !isnan(m->value) &&
			    m->value > 0) {
				struct watch_svc *sv = NULL;

				for (size_t s = 0; s < w->nsvc && !sv; s++)
					if (!strcmp(w->svc[s].name, c->name + 9))
						sv = &w->svc[s];
				if (!sv && w->nsvc < WATCH_SERVICES_MAX) {
					sv = &w->svc[w->nsvc++];
					snprintf(sv->name, sizeof(sv->name), "%s", c->name + 9);
				}
				if (sv)
					sv->dies += (int)m->value;
			}
		}
	for (size_t s = 0; s < w->nsvc; s++) {
		struct watch_svc *sv = &w->svc[s];
		char name[96], msg[200];

		sv->loop_ticks = sv->dies > 0 ? sv->loop_ticks + 1 : 0;
		sv->dies = 0;
		if (sv->loop_ticks < 2)
			continue;
		snprintf(name, sizeof(name), "watch.crash_looping.%s", sv->name);
		snprintf(msg, sizeof(msg),
			 "crash-looping: %s restarted in each of the last %d ticks", sv->name,
			 sv->loop_ticks);
		warn(out, name, msg);
	}
}

/* "cache bypassed": Redis saw no key lookups in a window in which the app
 * served requests (its hit rate alone says nothing then). */
static void
cache_bypass(const struct wm_result *const *r, size_t n, struct wm_result *out)
{
	const struct wm_check *hr = find(r, n, "redis.hit_rate"), *c;
	const cJSON *hits, *misses;
	double served = 0;

	if (!hr || !hr->data)
		return;
	hits = cJSON_GetObjectItemCaseSensitive(hr->data, "hits");
	misses = cJSON_GetObjectItemCaseSensitive(hr->data, "misses");
	if (!cJSON_IsNumber(hits) || !cJSON_IsNumber(misses) ||
	    hits->valuedouble + misses->valuedouble > 0)
		return;
	/* Requests: the perf unit's count, else the front proxy's log lines. */
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; r[i] && k < r[i]->nchecks; k++) {
			const struct wm_metric *m;

			c = r[i]->checks[k];
			if ((m = metric(c, "requests")) && !isnan(m->value))
				served += m->value;
			else if (!strcmp(c->name, "errors.nginx") && (m = metric(c, "lines")) &&
				 !isnan(m->value))
				served += m->value;
		}
	if (served > 0) {
		char msg[160];

		snprintf(
		    msg, sizeof(msg),
		    "cache bypassed: no key lookups in Redis while the app served %.0f requests",
		    served);
		warn(out, "watch.cache_bypassed", msg);
	}
}

static struct watch_base *
base_of(struct wm_watch *w, const char *name, bool add)
{
	for (size_t i = 0; i < w->nbase; i++)
		if (!strcmp(w->base[i].name, name))
			return &w->base[i];
	if (!add || w->nbase == sizeof(w->base) / sizeof(w->base[0]))
		return NULL;
	memset(&w->base[w->nbase], 0, sizeof(w->base[0]));
	snprintf(w->base[w->nbase].name, sizeof(w->base[0].name), "%s", name);
	return &w->base[w->nbase++];
}

static int
baseline_write(struct wm_watch *w, int64_t now_ms, struct wm_err *err)
{
	cJSON *doc = cJSON_CreateObject(), *m = cJSON_AddObjectToObject(doc, "metrics"), *f;
	char path[4200], *text;
	int rc = 0;

	for (size_t i = 0; m && i < w->nbase; i++) {
		w->base[i].value = w->base[i].sum / (double)w->base[i].n;
		cJSON_AddNumberToObject(m, w->base[i].name, w->base[i].value);
	}
	if (!m || !cJSON_AddNumberToObject(doc, "schema", 1) ||
	    !cJSON_AddStringToObject(doc, "target", w->target) ||
	    !cJSON_AddNumberToObject(doc, "until_wall_ms", (double)wm_watch_wall(w, now_ms)) ||
	    !(text = cJSON_Print(doc))) {
		cJSON_Delete(doc);
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	}
	w->base_done = true;
	if (*w->run_dir) {
		snprintf(path, sizeof(path), "%s/%s", w->run_dir, WM_JOURNAL_BASELINE);
		rc = wm_file_write_atomic(path, text, strlen(text), 0600, err);
	}
	free(text);
	f = cJSON_CreateObject();
	if (rc == 0 && f && cJSON_AddItemToObject(f, "baseline", cJSON_Duplicate(m, true)))
		rc = wm_watch_journal(w, "baseline", f, err);
	cJSON_Delete(f);
	cJSON_Delete(doc);
	return rc;
}

int wm_watch_baseline_load(struct wm_watch *w, const char *path, struct wm_err *err);
int
wm_watch_baseline_load(struct wm_watch *w, const char *path, struct wm_err *err)
{
	char *text = NULL;
	size_t len = 0;
	cJSON *doc, *m;
	const cJSON *it;

	if (wm_file_read(path, 1 << 20, &text, &len, err) < 0)
		return -1;
	doc = cJSON_ParseWithLength(text, len);
	free(text);
	m = cJSON_GetObjectItemCaseSensitive(doc, "metrics");
	if (!cJSON_IsObject(m)) {
		cJSON_Delete(doc);
		return wm_err_set(err, WM_EPROTO, "%s: not a baseline (no \"metrics\" object)",
				  path);
	}
	cJSON_ArrayForEach(it, m)
	{
		struct watch_base *b;

		if (!cJSON_IsNumber(it) || !(b = base_of(w, it->string, true)))
			continue;
		b->value = it->valuedouble;
		b->n = 1;
		b->sum = it->valuedouble;
		b->lower_is_worse = strstr(it->string, "hit_rate") != NULL;
	}
	cJSON_Delete(doc);
	w->base_done = true;
	return 0;
}

/* Learn the baseline during the first hours; then flag a drift past the
 * factor as WARNING "degradation". */
static int
baseline(struct wm_watch *w, int64_t now_ms, const struct wm_result *const *r, size_t n,
	 struct wm_result *out, struct wm_err *err)
{
	bool learning = !w->base_done && now_ms - w->clk->start_wall_ms < w->baseline_ms;

	if (!w->base_done && !learning && w->nbase && baseline_write(w, now_ms, err))
		return -1;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; r[i] && k < r[i]->nchecks; k++)
			for (size_t q = 0; q < sizeof(base_metrics) / sizeof(base_metrics[0]);
			     q++) {
				const struct wm_check *c = r[i]->checks[k];
				const struct wm_metric *m = metric(c, base_metrics[q].metric);
				struct watch_base *b;
				char name[128], what[300];

				if (!m || isnan(m->value))
					continue;
				snprintf(name, sizeof(name), "%.60s.%s", c->name, m->name);
				if (!(b = base_of(w, name, learning)))
					continue;
				if (learning) {
					b->sum += m->value;
					b->n++;
					b->lower_is_worse = base_metrics[q].lower_is_worse;
					continue;
				}
				if (!w->base_done || b->value <= 0 ||
				    (b->lower_is_worse ? m->value >= b->value / w->drift
						       : m->value <= b->value * w->drift))
					continue;
				snprintf(what, sizeof(what),
					 "degradation: %.60s %s %g against %g in the baseline",
					 c->name, m->name, m->value, b->value);
				snprintf(name, sizeof(name), "watch.degradation.%.60s.%.20s",
					 c->name, m->name);
				warn(out, name, what);
			}
	return 0;
}

int
wm_watch_on_tick(struct wm_watch *w, int64_t now_ms, const struct wm_result *const *results,
		 size_t n, struct wm_result *out, struct wm_err *err)
{
	size_t before = out->nchecks;
	cJSON *f, *names;

	crash_loops(w, results, n, out);
	cache_bypass(results, n, out);
	if (baseline(w, now_ms, results, n, out, err))
		return -1;
	if (out->nchecks == before)
		return 0;
	f = cJSON_CreateObject();
	names = cJSON_AddArrayToObject(f, "warnings");
	for (size_t i = before; names && i < out->nchecks; i++)
		cJSON_AddItemToArray(names, cJSON_CreateString(out->checks[i]->summary));
	{
		int rc = wm_watch_journal(w, "crosscheck", names ? f : NULL, err);

		cJSON_Delete(f);
		return rc;
	}
}

int
wm_watch_drill(struct wm_watch *w, int64_t now_ms, struct wm_result *out, struct wm_err *err)
{
	struct wm_check *c = wm_result_add_check(out, "watch.drill");
	struct wm_incident inc = {.kind = WM_INC_SERVICE_DOWN, .opened_ms = now_ms};
	struct wm_incident_action a = {.act = WM_ACT_OPEN, .notify = true, .at_ms = now_ms};
	struct wm_notify_answer ans[WM_NOTIFY_CHANNELS];
	cJSON *p, *al, *f;
	size_t n = 0, ok = 0;
	char failed[400] = "";
	int rc;

	if (!c)
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	if (w->drilled) {
		wm_check_set(c, WM_OK, "drill: sent earlier in this run");
		return 0;
	}
	if (wm_notifier_channels(w->nt) == 0) {
		wm_check_set(c, WM_WARNING,
			     "drill: no notification channel is configured "
			     "([escalation] command, webhook, alertmanager)");
		return 0;
	}
	/* One id per run: Alertmanager would fold a second run's drill into the
	 * group it notified already (repeat_interval) and stay silent. */
	snprintf(inc.id, sizeof(inc.id), "DRILL-%08lld",
		 (long long)(w->clk->start_wall_ms / 1000 % 100000000));
	snprintf(inc.subject, sizeof(inc.subject), "drill");
	snprintf(inc.detail, sizeof(inc.detail),
		 "DRILL: a test notification of wm-run at T+0; no action needed");
	memcpy(a.id, inc.id, sizeof(a.id));
	snprintf(a.key, sizeof(a.key), "drill/%.40s", w->target);
	a.role = WM_ROLE_ONCALL;
	p = wm_incident_hook_json(&inc, &a, w->target, wm_clock_wall_ms(w->clk), true);
	al = wm_incident_am_alert(&inc, w->target, wm_watch_wall(w, now_ms), 0,
				  wm_clock_wall_ms(w->clk), 5 * 60000, true);
	rc = p ? wm_watch_deliver(w, a.key, "drill", inc.id, WM_ROLE_ONCALL, true, p, al, ans, &n,
				  err)
	       : wm_err_set(err, WM_ENOMEM, "out of memory");
	cJSON_Delete(p);
	cJSON_Delete(al);
	if (rc)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (ans[i].ok)
			ok++;
		else
			wm_why_append(failed, sizeof(failed), wm_channel_name(ans[i].channel),
				      ans[i].detail);
	}
	if (ok == n)
		wm_check_set(c, WM_OK, "drill: delivered through %zu channel%s", n,
			     n == 1 ? "" : "s");
	else
		wm_check_set(c, WM_WARNING, "drill: %zu of %zu channels failed: %s", n - ok, n,
			     failed);
	f = cJSON_CreateObject();
	if (f && (!cJSON_AddStringToObject(f, "key", a.key) ||
		  !cJSON_AddItemToObject(f, "channels", wm_notify_answers_json(ans, n)))) {
		cJSON_Delete(f);
		f = NULL;
	}
	rc = wm_watch_journal(w, "drill", f, err);
	cJSON_Delete(f);
	w->drilled = rc == 0;
	return rc;
}
