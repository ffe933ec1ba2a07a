/* watch_apply.c - observations into incidents, incidents into records and
 * notifications (see watch.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "run/watch_int.h"

void
wm_watch_obs_add(struct wm_watch_obs_list *l, enum wm_incident_kind kind, const char *subject,
		 bool fail, const char *fmt, ...)
{
	struct wm_watch_obs *o = NULL;
	va_list ap;

	for (size_t i = 0; i < l->n && !o; i++)
		if (l->o[i].kind == kind && !strcmp(l->o[i].subject, subject))
			o = &l->o[i];
	if (o && (o->fail || !fail))
		return; /* the first failure's detail stays */
	if (!o) {
		if (l->n == WATCH_OBS_MAX)
			return;
		o = &l->o[l->n++];
	}
	o->kind = kind;
	snprintf(o->subject, sizeof(o->subject), "%s", subject);
	o->fail = fail;
	va_start(ap, fmt);
	vsnprintf(o->detail, sizeof(o->detail), fmt, ap);
	va_end(ap);
}

int
wm_watch_event_obs(const struct wm_docker_event *e, struct wm_watch_obs *o)
{
	const char *svc = *e->service ? e->service : e->name;

	memset(o, 0, sizeof(*o));
	o->kind = WM_INC_SERVICE_DOWN;
	snprintf(o->subject, sizeof(o->subject), "%.63s", svc);
	if (!strcmp(e->action, "die")) {
		o->fail = true;
		snprintf(o->detail, sizeof(o->detail), "%s exited (code %ld)", svc, e->exit_code);
	} else if (!strcmp(e->action, "stop")) {
		o->fail = true;
		snprintf(o->detail, sizeof(o->detail), "%s was stopped", svc);
	} else if (!strcmp(e->action, "oom")) {
		o->fail = true;
		snprintf(o->detail, sizeof(o->detail), "%s ran out of memory (OOM killed)", svc);
	} else if (!strcmp(e->action, "health_status") && !strcmp(e->health, "unhealthy")) {
		o->fail = true;
		snprintf(o->detail, sizeof(o->detail), "%s is unhealthy", svc);
	} else if (!strcmp(e->action, "start") ||
		   (!strcmp(e->action, "health_status") && !strcmp(e->health, "healthy"))) {
		snprintf(o->detail, sizeof(o->detail), "%s %s", svc,
			 *e->health ? "is healthy" : "started");
	} else {
		return 1; /* kill (a die follows), health "starting" */
	}
	return 0;
}

int64_t
wm_watch_wall(const struct wm_watch *w, int64_t plan_ms)
{
	return wm_clock_wall_at(w->clk, plan_ms - w->clk->start_wall_ms);
}

int
wm_watch_journal(struct wm_watch *w, const char *type, cJSON *fields, struct wm_err *err)
{
	if (!fields)
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	if (!w->j)
		return 0;
	/* at_ms: the plan offset from T+0, as the driver's records have it. */
	if (!cJSON_GetObjectItemCaseSensitive(fields, "at_ms") &&
	    !cJSON_AddNumberToObject(fields, "at_ms", (double)wm_clock_offset_ms(w->clk)))
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	return wm_journal_append(w->j, type, fields, err);
}

bool
wm_watch_sent(const struct wm_watch *w, const char *key)
{
	for (size_t i = 0; i < w->nsent; i++)
		if (!strcmp(w->sent[i], key))
			return true;
	return false;
}

int
wm_watch_mark_sent(struct wm_watch *w, const char *key)
{
	if (wm_watch_sent(w, key))
		return 0;
	if (w->nsent == w->capsent) {
		size_t cap = w->capsent ? 2 * w->capsent : 32;
		void *p = realloc(w->sent, cap * sizeof(*w->sent));

		if (!p)
			return -1;
		w->sent = p;
		w->capsent = cap;
	}
	if (!(w->sent[w->nsent] = strdup(key)))
		return -1;
	w->nsent++;
	return 0;
}

/* The Alertmanager alert of inc now (resolved: ends at its resolution). */
static cJSON *
am_alert(const struct wm_watch *w, const struct wm_incident *inc, bool drill)
{
	int64_t now = wm_clock_wall_ms(w->clk);
	int64_t resolved = inc->state == WM_INC_RESOLVED ? wm_watch_wall(w, inc->resolved_ms) : 0;

	/* Held 4 resend periods: a driver that died lets it time out on its own. */
	return wm_incident_am_alert(inc, w->target, wm_watch_wall(w, inc->opened_ms), resolved, now,
				    4 * WM_WATCH_AM_RESEND_MS, drill);
}

void
wm_watch_am_refresh(struct wm_watch *w, bool force)
{
	int64_t mono = wm_clock_mono_ms(w->clk);

	if (!w->nt || !wm_notifier_has_am(w->nt) ||
	    (!force && w->am_last_mono && mono - w->am_last_mono < WM_WATCH_AM_RESEND_MS))
		return;
	w->am_last_mono = mono;
	for (size_t i = 0; i < wm_incidents_count(w->inc); i++) {
		const struct wm_incident *inc = wm_incidents_get(w->inc, i);
		struct wm_notify_answer ans;
		cJSON *a;

		if (inc->state == WM_INC_RESOLVED || inc->root[0] || !inc->notified)
			continue;
		if ((a = am_alert(w, inc, false))) {
			wm_notify_am(w->nt, a, &ans);
			cJSON_Delete(a);
		}
	}
}

/* Journal one action with the incident after it; notify when it says so. */
static int
act(struct wm_watch *w, const struct wm_incident_action *a, const struct wm_incident *inc,
    struct wm_err *err)
{
	cJSON *f = cJSON_CreateObject(), *p, *al;
	struct wm_notify_answer ans[WM_NOTIFY_CHANNELS];
	size_t n = 0;
	int rc;

	if (f && (!cJSON_AddStringToObject(f, "event", wm_incident_act_name(a->act)) ||
		  !cJSON_AddItemToObject(f, "incident", wm_incident_json(inc)) ||
		  !cJSON_AddBoolToObject(f, "notify", a->notify) ||
		  (a->notify && !cJSON_AddStringToObject(f, "key", a->key)))) {
		cJSON_Delete(f);
		f = NULL;
	}
	rc = wm_watch_journal(w, "incident", f, err);
	cJSON_Delete(f);
	if (rc || !a->notify || wm_watch_sent(w, a->key))
		return rc;
	p = wm_incident_hook_json(inc, a, w->target, wm_clock_wall_ms(w->clk), false);
	/* Alertmanager hears of the episode, not of each step of the chain. */
	al =
	    a->act == WM_ACT_ESCALATE || a->act == WM_ACT_RENOTIFY ? NULL : am_alert(w, inc, false);
	rc = p ? wm_watch_deliver(w, a->key, wm_incident_act_name(a->act), a->id, a->role, false, p,
				  al, ans, &n, err)
	       : wm_err_set(err, WM_ENOMEM, "out of memory");
	cJSON_Delete(p);
	cJSON_Delete(al);
	if (rc == 0 && wm_watch_mark_sent(w, a->key))
		rc = wm_err_set(err, WM_ENOMEM, "out of memory");
	return rc;
}

/* One notify or notify_answer record (ans NULL: the former). */
static int
notify_record(struct wm_watch *w, const char *key, const char *event, const char *incident,
	      enum wm_chain_role role, bool drill, enum wm_channel ch,
	      const struct wm_notify_answer *ans, struct wm_err *err)
{
	cJSON *f = cJSON_CreateObject();
	int rc;

	if (f && (!cJSON_AddStringToObject(f, "key", key) ||
		  !cJSON_AddStringToObject(f, "channel", wm_channel_name(ch)) ||
		  !cJSON_AddStringToObject(f, "incident", incident) ||
		  !cJSON_AddStringToObject(f, "event", event) ||
		  !cJSON_AddStringToObject(f, "role", wm_role_name(role)) ||
		  !cJSON_AddBoolToObject(f, "drill", drill) ||
		  (ans && (!cJSON_AddBoolToObject(f, "ok", ans->ok) ||
			   !cJSON_AddStringToObject(f, "detail", ans->detail))))) {
		cJSON_Delete(f);
		f = NULL;
	}
	rc = wm_watch_journal(w, ans ? "notify_answer" : "notify", f, err);
	cJSON_Delete(f);
	return rc;
}

int
wm_watch_deliver(struct wm_watch *w, const char *key, const char *event, const char *incident,
		 enum wm_chain_role role, bool drill, const cJSON *payload, const cJSON *alert,
		 struct wm_notify_answer *ans, size_t *n, struct wm_err *err)
{
	enum wm_channel ch[WM_NOTIFY_CHANNELS];

	*n = wm_notify_route(w->nt, role, alert != NULL, ch);
	for (size_t i = 0; i < *n; i++) {
		/* Journaled before it is tried: a resumed run never pages twice. */
		if (notify_record(w, key, event, incident, role, drill, ch[i], NULL, err))
			return -1;
		wm_notify_one(w->nt, ch[i], role, payload, alert, &ans[i]);
		if (notify_record(w, key, event, incident, role, drill, ch[i], &ans[i], err))
			return -1;
	}
	return 0;
}

/* Act on every action of acts; closed incidents are found in snap. */
static int
act_all(struct wm_watch *w, const struct wm_incident_actions *acts, const struct wm_incident *snap,
	size_t nsnap, struct wm_err *err)
{
	for (size_t i = 0; i < acts->n; i++) {
		const struct wm_incident *inc = wm_incidents_find(w->inc, acts->a[i].id);

		for (size_t k = 0; !inc && k < nsnap; k++)
			if (!strcmp(snap[k].id, acts->a[i].id))
				inc = &snap[k];
		if (inc && act(w, &acts->a[i], inc, err))
			return -1;
	}
	return 0;
}

int
wm_watch_apply(struct wm_watch *w, int64_t now_ms, const struct wm_watch_obs_list *l,
	       struct wm_err *err)
{
	struct wm_incident_actions acts = {0};
	struct wm_incident *snap = NULL;
	size_t nsnap;
	int rc = 0;

	/* Failures first, so a root opens before its consequences are seen
	 * and a consequence seen fine again in the same round is not left;
	 * monitoring lost before any (every other failure is its consequence). */
	for (int pass = 0; pass < 3 && rc == 0; pass++)
		for (size_t i = 0; i < l->n && rc == 0; i++) {
			const struct wm_watch_obs *o = &l->o[i];
			bool lost = o->kind == WM_INC_MONITORING_LOST;

			if (o->fail != (pass < 2) || (o->fail && lost != (pass == 0)))
				continue;
			rc = o->fail ? wm_incidents_fail(w->inc, now_ms, o->kind, o->subject,
							 o->detail, &acts)
				     : wm_incidents_ok(w->inc, now_ms, o->kind, o->subject, &acts);
		}
	if (rc == 0)
		rc = act_all(w, &acts, NULL, 0, err);
	else
		wm_err_set(err, WM_ENOMEM, "out of memory");
	wm_incident_actions_free(&acts);
	if (rc)
		return -1;
	/* Time: escalations, re-notifications, promotions, closings. */
	nsnap = wm_incidents_count(w->inc);
	if (nsnap && !(snap = malloc(nsnap * sizeof(*snap))))
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	for (size_t i = 0; i < nsnap; i++)
		snap[i] = *wm_incidents_get(w->inc, i);
	if (wm_incidents_advance(w->inc, now_ms, &acts))
		rc = wm_err_set(err, WM_ENOMEM, "out of memory");
	else
		rc = act_all(w, &acts, snap, nsnap, err);
	wm_incident_actions_free(&acts);
	free(snap);
	if (rc == 0)
		wm_watch_am_refresh(w, false);
	return rc;
}
