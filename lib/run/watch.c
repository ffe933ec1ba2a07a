/* watch.c - the watch's life: configuration, resume, events, rounds, ack
 * (see watch.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "conf/conf_sections.h"
#include "session/endpoint.h"
#include "run/watch_int.h"

/* A [watch] duration, else dflt. */
static int64_t
conf_ms(const struct wm_config *cfg, const char *key, int64_t dflt)
{
	int64_t ms;

	return cfg && wm_config_duration(cfg, "watch", key, &ms) == 0 && ms > 0 ? ms : dflt;
}

/* A [watch] count of 1 to WATCH_BURST_MAX, else dflt. */
static int
conf_count(const struct wm_config *cfg, const char *key, int dflt)
{
	const char *v = cfg ? wm_config_get(cfg, "watch", key) : NULL;
	char *end;
	long n = v ? strtol(v, &end, 10) : 0;

	return v && end != v && !*end && n >= 1 && n <= WATCH_BURST_MAX ? (int)n : dflt;
}

/* Response times of the chain's roles from [role NAME] response_time: an
 * incident waits at a level the smaller of its kind's and its role's. */
static int
role_times(struct wm_watch *w, struct wm_incident_conf *c, struct wm_err *err)
{
	const struct wm_config *cfg = wm_session_config(w->s);
	struct wm_role *roles = NULL;
	size_t n = 0;

	for (int r = 0; r < WM_ROLE_N; r++)
		c->role_response_ms[r] = -1;
	if (!cfg || wm_config_roles(cfg, &roles, &n, err) < 0)
		return cfg ? -1 : 0;
	for (size_t i = 0; i < n; i++) {
		int r = wm_notify_chain_role(roles[i].name);

		if (r >= 0 && roles[i].response_ms >= 0)
			c->role_response_ms[r] = roles[i].response_ms;
	}
	wm_roles_free(roles, n);
	return 0;
}

/* depends_on of the target's configuration (Compose v1 writes no label):
 * "SERVICE:DEP" items, e.g. "backend:postgres, backend:redis". */
static int
conf_deps(struct wm_watch *w, struct wm_err *err)
{
	const struct wm_config *cfg = wm_session_config(w->s);
	const struct wm_target *t = wm_session_target(w->s);
	char **list = NULL;
	size_t n = 0;
	int rc = 0;

	if (!cfg || !t->section || wm_config_list(cfg, t->section, "depends_on", &list, &n) != 0)
		return 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char svc[WM_INCIDENT_SUBJECT_MAX], dep[WM_INCIDENT_SUBJECT_MAX];
		const char *c = strchr(list[i], ':'), *deps[64];
		size_t k = 0;

		if (!c || c == list[i] || !c[1] || (size_t)(c - list[i]) >= sizeof(svc) ||
		    strlen(c + 1) >= sizeof(dep)) {
			rc = wm_err_set(err, WM_ECONFIG,
					"depends_on: '%.60s' is not SERVICE:DEPENDENCY", list[i]);
			break;
		}
		snprintf(svc, sizeof(svc), "%.*s", (int)(c - list[i]), list[i]);
		/* every item of the same service, gathered */
		for (size_t m = 0; m < n && k < 64; m++)
			if (!strncmp(list[m], svc, strlen(svc)) && list[m][strlen(svc)] == ':')
				deps[k++] = list[m] + strlen(svc) + 1;
		rc = wm_incidents_set_deps(w->inc, svc, deps, k, err);
	}
	wm_config_list_free(list);
	w->deps_from_conf = n > 0 && rc == 0;
	return rc;
}

/* A journaled container event: the latest is where a resumed stream
 * starts (since= its time; that event itself is not delivered again). */
static void
replay_event(struct wm_watch *w, const cJSON *rec)
{
	const char *ns = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "time_ns"));
	const cJSON *ms = cJSON_GetObjectItemCaseSensitive(rec, "time_ms");
	const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "id"));
	const char *act = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "action"));
	int64_t t = ns			 ? strtoll(ns, NULL, 10)
		    : cJSON_IsNumber(ms) ? (int64_t)ms->valuedouble * 1000000
					 : 0;

	if (t <= 0 || t < w->evfrom.since_ns)
		return;
	w->evfrom.since_ns = t;
	snprintf(w->evfrom.last_id, sizeof(w->evfrom.last_id), "%s", id ? id : "");
	snprintf(w->evfrom.last_action, sizeof(w->evfrom.last_action), "%s", act ? act : "");
}

/* Resume: what the journal says happened before this process. */
static int
replay(const cJSON *rec, void *ctx)
{
	struct wm_watch *w = ctx;
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(rec, "type");
	const cJSON *tables, *t;

	if (!cJSON_IsString(type))
		return 0;
	if (!strcmp(type->valuestring, "incident"))
		return wm_incidents_replay(rec, w->inc);
	if (!strcmp(type->valuestring, "drill"))
		w->drilled = true;
	if (!strcmp(type->valuestring, "container"))
		replay_event(w, rec);
	if (!strcmp(type->valuestring, "watch") &&
	    (tables = cJSON_GetObjectItemCaseSensitive(rec, "tables")))
		cJSON_ArrayForEach(t, tables)
		{
			for (size_t i = 0; i < w->ntables; i++)
				if (cJSON_IsNumber(t) && !strcmp(w->tables[i].name, t->string) &&
				    t->valuedouble > (double)w->tables[i].high)
					w->tables[i].high = (long long)t->valuedouble;
		}
	return 0;
}

static int
resume(struct wm_watch *w, struct wm_err *err)
{
	struct wm_journal_state st;
	int rc;

	if (!*w->run_dir)
		return 0;
	rc = wm_journal_read(w->run_dir, &st, replay, w, err);
	if (rc == 2)
		rc = wm_err_set(err, WM_EPROTO, "%s: an incident record cannot be restored",
				w->run_dir);
	for (size_t i = 0; rc == 0 && i < st.n_keys; i++)
		if (wm_watch_mark_sent(w, st.keys[i]))
			rc = wm_err_set(err, WM_ENOMEM, "out of memory");
	/* A journal without an event yet: every event of the project since the
	 * run began is one this run has not seen. */
	if (rc == 0 && st.started && !w->evfrom.since_ns && st.start_wall_ms > 0)
		w->evfrom.since_ns = st.start_wall_ms * 1000000;
	wm_journal_state_free(&st);
	return rc;
}

int wm_watch_baseline_load(struct wm_watch *w, const char *path, struct wm_err *err);

struct wm_watch *
wm_watch_new(struct wm_session *s, const struct wm_watch_opts *o, struct wm_journal *j,
	     struct wm_err *err)
{
	const struct wm_config *cfg = wm_session_config(s);
	const struct wm_target *t = wm_session_target(s);
	struct wm_incident_conf ic;
	struct wm_watch *w;
	const char *project = wm_session_project(s), *v;
	int64_t ms;

	if (!o || !o->clock) {
		wm_err_set(err, WM_EINVAL, "watch: no clock");
		return NULL;
	}
	if (!(w = calloc(1, sizeof(*w)))) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		return NULL;
	}
	w->s = s;
	w->clk = o->clock;
	w->j = j;
	snprintf(w->target, sizeof(w->target), "%s", wm_session_target_name(s));
	snprintf(w->project, sizeof(w->project), "%s", project ? project : "");
	snprintf(w->run_dir, sizeof(w->run_dir), "%s", o->run_dir ? o->run_dir : "");
	w->interval_ms =
	    o->interval_ms > 0 ? o->interval_ms : conf_ms(cfg, "interval", WM_WATCH_INTERVAL_MS);
	w->api_slow_ms =
	    o->api_slow_ms > 0 ? o->api_slow_ms : conf_ms(cfg, "api_slow", WM_WATCH_API_SLOW_MS);
	w->baseline_ms = conf_ms(cfg, "baseline", WM_WATCH_BASELINE_MS);
	w->lost_rounds = o->lost_rounds > 0 ? o->lost_rounds : WM_WATCH_LOST_ROUNDS;
	if (o->lost_rounds <= 0 && cfg && (v = wm_config_get(cfg, "watch", "lost_rounds"))) {
		long r = strtol(v, NULL, 10);

		w->lost_rounds = r > 0 && r < 1000 ? (int)r : WM_WATCH_LOST_ROUNDS;
	}
	w->errors_per_min = conf_count(cfg, "errors_per_min", WM_WATCH_ERRORS_PER_MIN);
	w->denied_per_min = conf_count(cfg, "denied_per_min", WM_WATCH_DENIED_PER_MIN);
	w->tfa = !cfg || wm_config_bool(cfg, "watch", "tfa_probe", true);
	w->drift = WM_WATCH_DRIFT_FACTOR;
	if (cfg && (v = wm_config_get(cfg, "watch", "drift_factor")) && strtod(v, NULL) > 1.0)
		w->drift = strtod(v, NULL);
	for (size_t i = 0; i < t->nnever_shrink && w->ntables < WATCH_TABLES_MAX; i++) {
		snprintf(w->tables[w->ntables].name, sizeof(w->tables[0].name), "%s",
			 t->never_shrink[i]);
		w->tables[w->ntables++].high = -1;
	}
	wm_incident_conf_default(&ic);
	if (cfg && wm_config_duration(cfg, "escalation", "renotify", &ms) == 0)
		ic.renotify_ms = ms;
	if (role_times(w, &ic, err) < 0 || !(w->inc = wm_incidents_new(&ic)))
		goto fail;
	if (conf_deps(w, err) < 0 || !(w->nt = wm_notifier_new(cfg, err)) ||
	    !(w->http = wm_endpoint_http_client(w->s, err)) || resume(w, err) < 0)
		goto fail;
	if (o->baseline_from && wm_watch_baseline_load(w, o->baseline_from, err) < 0)
		goto fail;
	if (!o->no_logs && *w->project &&
	    (!cfg || wm_config_bool(cfg, "watch", "follow_logs", true)) &&
	    !(w->logs = wm_watch_logs_new(w, err)))
		goto fail;
	if (!o->no_events && *w->project) {
		struct wm_err e = {0};

		/* The socket is known once the session made its Docker client. */
		if (wm_session_docker(s, &e)) {
			w->evfrom.backoff_max_ms = wm_events_backoff_max(w->interval_ms);
			w->ev =
			    wm_events_start(wm_session_docker_path(s), w->project, &w->evfrom, &e);
		}
		if (!w->ev)
			wm_session_log(s, WM_LOG_WARNING, "watch: no container events yet: %s",
				       e.msg);
	}
	return w;
fail:
	if (!err || !err->code)
		wm_err_set(err, WM_ENOMEM, "out of memory");
	wm_watch_free(w);
	return NULL;
}

void
wm_watch_free(struct wm_watch *w)
{
	if (!w)
		return;
	wm_events_stop(w->ev);
	wm_watch_logs_free(w->logs);
	wm_incidents_free(w->inc);
	wm_notifier_free(w->nt);
	wm_http_free(w->http);
	for (size_t i = 0; i < w->nsent; i++)
		free(w->sent[i]);
	free(w->sent);
	free(w);
}

int64_t
wm_watch_interval_ms(const struct wm_watch *w)
{
	return w->interval_ms;
}

int
wm_watch_events_fd(const struct wm_watch *w)
{
	return w->ev ? wm_events_fd(w->ev) : -1;
}

const struct wm_incidents *
wm_watch_incidents(const struct wm_watch *w)
{
	return w->inc;
}

static struct watch_svc *
svc_of(struct wm_watch *w, const char *name)
{
	for (size_t i = 0; i < w->nsvc; i++)
		if (!strcmp(w->svc[i].name, name))
			return &w->svc[i];
	if (w->nsvc == WATCH_SERVICES_MAX)
		return NULL;
	snprintf(w->svc[w->nsvc].name, sizeof(w->svc[0].name), "%s", name);
	w->svc[w->nsvc].restarts_prev = -1;
	return &w->svc[w->nsvc++];
}

/* Journal each event with its detection latency and apply its observation,
 * one at a time and in order (a die then a start is a failure, then a
 * recovery, not whichever a merge would keep); l is scratch space. */
static int
take_events(struct wm_watch *w, int64_t now_ms, struct wm_watch_obs_list *l, struct wm_err *err)
{
	struct wm_docker_event evs[64];
	struct wm_events_status st;
	size_t n;

	if (!w->ev)
		return 0;
	do {
		n = wm_events_drain(w->ev, evs, sizeof(evs) / sizeof(evs[0]), &st);
		for (size_t i = 0; i < n; i++) {
			const struct wm_docker_event *e = &evs[i];
			int64_t wall = wm_clock_wall_ms(w->clk), at = e->time_ns / 1000000;
			struct wm_watch_obs o;
			struct watch_svc *sv;
			cJSON *f = cJSON_CreateObject();
			char tns[24];
			int rc;

			snprintf(tns, sizeof(tns), "%lld", (long long)e->time_ns);
			if (f &&
			    (!cJSON_AddStringToObject(f, "service", e->service) ||
			     !cJSON_AddStringToObject(f, "container", e->name) ||
			     !cJSON_AddStringToObject(f, "action", e->action) ||
			     (*e->health && !cJSON_AddStringToObject(f, "health", e->health)) ||
			     (e->exit_code >= 0 &&
			      !cJSON_AddNumberToObject(f, "exit_code", (double)e->exit_code)) ||
			     !cJSON_AddNumberToObject(f, "time_ms", (double)at) ||
			     /* exact, as a string (a double holds 53 bits): the since= of
			      * a resumed stream */
			     !cJSON_AddStringToObject(f, "time_ns", tns) ||
			     !cJSON_AddStringToObject(f, "id", e->id) ||
			     /* the plan time the Engine saw it at */
			     !cJSON_AddNumberToObject(
				 f, "at_ms",
				 (double)(wm_clock_offset_ms(w->clk) -
					  wm_clock_plan_span(w->clk, wall > at ? wall - at : 0))) ||
			     !cJSON_AddNumberToObject(f, "detect_ms", (double)(wall - at)))) {
				cJSON_Delete(f);
				f = NULL;
			}
			rc = wm_watch_journal(w, "container", f, err);
			cJSON_Delete(f);
			if (rc)
				return -1;
			if (!strcmp(e->action, "die") && (sv = svc_of(w, e->service)))
				sv->dies++;
			if (wm_watch_event_obs(e, &o) != 0)
				continue;
			l->n = 0;
			wm_watch_obs_add(l, o.kind, o.subject, o.fail, "%s", o.detail);
			if (wm_watch_apply(w, now_ms, l, err))
				return -1;
		}
	} while (n == sizeof(evs) / sizeof(evs[0]));
	return 0;
}

int
wm_watch_events(struct wm_watch *w, int64_t now_ms, struct wm_err *err)
{
	struct wm_watch_obs_list *l = calloc(1, sizeof(*l));
	int rc;

	if (!l)
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	rc = take_events(w, now_ms, l, err);
	if (rc == 0) {
		l->n = 0;
		rc = wm_watch_apply(w, now_ms, l, err); /* what time made due */
	}
	free(l);
	return rc;
}

int
wm_watch_round(struct wm_watch *w, int64_t now_ms, struct wm_err *err)
{
	struct wm_watch_obs_list *l = calloc(1, sizeof(*l));
	cJSON *rec = cJSON_CreateObject();
	int rc = -1;

	if (!l || !rec) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		goto out;
	}
	w->rounds++;
	if (take_events(w, now_ms, l, err))
		goto out;
	l->n = 0;
	wm_watch_probe(w, l, rec);
	if (wm_watch_apply(w, now_ms, l, err))
		goto out;
	/* The logs and the 2FA probe after what the quick checks found is
	 * acted on: their requests (a login, every container's log) must not
	 * delay a service-down incident. */
	l->n = 0;
	wm_watch_logs_round(w, l, rec);
	if (wm_watch_apply(w, now_ms, l, err))
		goto out;
	if (!cJSON_AddNumberToObject(rec, "round", (double)w->rounds) ||
	    !cJSON_AddNumberToObject(rec, "open_incidents", (double)wm_incidents_count(w->inc))) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		goto out;
	}
	rc = wm_watch_journal(w, "watch", rec, err);
out:
	cJSON_Delete(rec);
	free(l);
	return rc;
}

int
wm_watch_ack(struct wm_watch *w, int64_t now_ms, const char *id, const char *who, const char *note,
	     struct wm_err *err)
{
	struct wm_incident_actions acts = {0};
	int rc = wm_incidents_ack(w->inc, now_ms, id, &acts, err);

	for (size_t i = 0; rc == 0 && i < acts.n; i++) {
		const struct wm_incident *inc = wm_incidents_find(w->inc, acts.a[i].id);
		cJSON *f = cJSON_CreateObject();

		if (f &&
		    (!cJSON_AddStringToObject(f, "event", wm_incident_act_name(acts.a[i].act)) ||
		     !cJSON_AddItemToObject(f, "incident", wm_incident_json(inc)) ||
		     !cJSON_AddBoolToObject(f, "notify", false) ||
		     (who && !cJSON_AddStringToObject(f, "who", who)) ||
		     (note && !cJSON_AddStringToObject(f, "note", note)))) {
			cJSON_Delete(f);
			f = NULL;
		}
		rc = wm_watch_journal(w, "incident", f, err);
		cJSON_Delete(f);
	}
	wm_incident_actions_free(&acts);
	return rc;
}
