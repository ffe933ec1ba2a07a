/* report_record.c - the journal's record types into the report model
 * (warunginmon(7), RUN DIRECTORY).  A type the report does not use is
 * skipped, as every reader of the journal does. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "run/report_int.h"
#include "store/journal_plan.h"

/* Results wait for their tick's end: only the attempt that ended counts
 * (a tick killed midway is run again; its first results are dropped). */
static int
pending_key(const cJSON *rec, char *key, size_t len)
{
	const char *tier = wm_report_str(rec, "tier");
	double at = wm_report_num(rec, "at_ms"), attempt = wm_report_num(rec, "attempt");

	if (!tier || isnan(at))
		return -1;
	snprintf(key, len, "%s@%.0f#%.0f", tier, at, isnan(attempt) ? 1.0 : attempt);
	return 0;
}

/* A tick of the plan has a record: it is not missing (wm_report_plan_ticks). */
static int
tick_seen(struct wm_report *r, const cJSON *rec)
{
	char key[WM_REPORT_NAME_MAX * 2];

	snprintf(key, sizeof(key), "%s@%.0f", wm_report_str(rec, "tier"),
		 wm_report_num(rec, "at_ms"));
	if (cJSON_GetObjectItemCaseSensitive(r->in->ticks, key))
		return 0;
	return cJSON_AddTrueToObject(r->in->ticks, key) ? 0 : -1;
}

static int
tick_record(struct wm_report *r, const cJSON *rec, const char *type)
{
	cJSON *pending = r->in->pending, *list, *item;
	char key[WM_REPORT_NAME_MAX * 2];

	if (pending_key(rec, key, sizeof(key)))
		return 0;
	if (strcmp(type, "result") != 0 && tick_seen(r, rec))
		return -1;
	if (!strcmp(type, "tick_missed")) {
		r->ticks_missed++;
		return 0;
	}
	if (!strcmp(type, "result")) {
		if (!(list = cJSON_GetObjectItemCaseSensitive(pending, key)) &&
		    !(list = cJSON_AddArrayToObject(pending, key)))
			return -1;
		if (!(item = cJSON_Duplicate(rec, 1)))
			return -1;
		cJSON_AddItemToArray(list, item);
		return 0;
	}
	if (!strcmp(type, "tick_end")) {
		struct wm_report_hour *h =
		    &r->hours[wm_report_hour_of(r, wm_report_plan_ms(r, rec))];
		const char *tier = wm_report_str(rec, "tier");

		r->ticks_ended++;
		h->ticks++;
		if (!strstr(h->tiers, tier)) {
			size_t n = strlen(h->tiers);

			snprintf(h->tiers + n, sizeof(h->tiers) - n, "%s%s", n ? " " : "", tier);
		}
		if ((list = cJSON_DetachItemFromObjectCaseSensitive(pending, key))) {
			int rc = 0;

			cJSON_ArrayForEach(item, list) rc =
			    rc ? rc : wm_report_apply_result(r, item);
			cJSON_Delete(list);
			return rc;
		}
	}
	return 0;
}

static struct wm_report_incident *
incident(struct wm_report *r, const char *id)
{
	struct wm_report_incident *inc;

	for (size_t i = 0; i < r->n_incidents; i++)
		if (!strcmp(r->incidents[i].id, id))
			return &r->incidents[i];
	if (wm_report_grow((void **)&r->incidents, &r->cap_incidents, r->n_incidents,
			   sizeof(*r->incidents)))
		return NULL;
	inc = &r->incidents[r->n_incidents++];
	memset(inc, 0, sizeof(*inc));
	snprintf(inc->id, sizeof(inc->id), "%s", id);
	return inc;
}

static int timeline(struct wm_report_incident *inc, int64_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int
timeline(struct wm_report_incident *inc, int64_t at, const char *fmt, ...)
{
	struct wm_report_event *e;
	va_list ap;

	if (inc->n_events >= 64)
		return 0; /* a flapping incident: the first 64 steps tell it */
	if (wm_report_grow((void **)&inc->events, &inc->cap_events, inc->n_events,
			   sizeof(*inc->events)))
		return -1;
	e = &inc->events[inc->n_events++];
	e->at_ms = at;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof(e->text), fmt, ap);
	va_end(ap);
	return 0;
}

#define COPY(dst, o, key)                                                                          \
	do {                                                                                       \
		const char *s_ = wm_report_str(o, key);                                            \
		if (s_)                                                                            \
			snprintf(dst, sizeof(dst), "%s", s_);                                      \
	} while (0)

static int64_t
ms_of(const cJSON *o, const char *key)
{
	double v = wm_report_num(o, key);

	return isnan(v) || fabs(v) > 9e15 ? 0 : (int64_t)v;
}

/* An incident's time as an offset from T+0: wm-run writes plan ms since the
 * epoch (clock.h, T+0 = start_wall_ms); an offset as such (a journal written
 * by hand, a tool) is taken as it is; 0 stays "not yet". */
static int64_t
incident_offset(const struct wm_report *r, int64_t ms)
{
	return ms >= INT64_C(1000000000000) && r->start_wall_ms > 0 ? ms - r->start_wall_ms : ms;
}

static int
incident_record(struct wm_report *r, const cJSON *rec, int64_t at)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(rec, "incident");
	const char *id = wm_report_str(o, "id"), *ev = wm_report_str(rec, "event");
	struct wm_report_incident *inc;
	char level[16];

	if (!id || !*id || !ev)
		return 0;
	if (!(inc = incident(r, id)))
		return -1;
	COPY(inc->kind, o, "kind");
	COPY(inc->subject, o, "subject");
	COPY(inc->state, o, "state");
	COPY(inc->role, o, "role");
	COPY(inc->root, o, "root");
	COPY(inc->detail, o, "detail");
	inc->level = (int)ms_of(o, "level");
	inc->opened_ms = incident_offset(r, ms_of(o, "opened_ms"));
	inc->acked_ms = incident_offset(r, ms_of(o, "acked_ms"));
	inc->resolved_ms = incident_offset(r, ms_of(o, "resolved_ms"));
	snprintf(level, sizeof(level), "%d", inc->level + 1);
	if (!strcmp(ev, "open")) {
		struct wm_report_int *in = r->in;

		if (wm_report_grow((void **)&in->issues, &in->cap_issues, in->n_issues,
				   sizeof(*in->issues)))
			return -1;
		in->issues[in->n_issues].at_ms = at;
		snprintf(in->issues[in->n_issues++].text, sizeof(in->issues[0].text),
			 "%.16s %.24s %.80s", inc->id, inc->kind, inc->subject);
		return timeline(inc, at, "opened: %s (%s)", inc->detail, inc->role);
	}
	if (!strcmp(ev, "escalate"))
		return timeline(inc, at, "escalated to %s (level %s)", inc->role, level);
	if (!strcmp(ev, "attach")) {
		struct wm_report_incident *root = *inc->root ? incident(r, inc->root) : NULL;

		if (root) {
			size_t n = strlen(root->consequences);

			inc = incident(r, id); /* incident() may have moved the array */
			snprintf(root->consequences + n, sizeof(root->consequences) - n, "%s%s %s",
				 n ? ", " : "", inc->id, inc->subject);
		}
		return timeline(inc, at, "attached to %s as a consequence", inc->root);
	}
	if (!strcmp(ev, "ack"))
		return 0; /* the ack record says who and why */
	return timeline(inc, at, "%s%s", ev, !strcmp(ev, "resolve") ? "d" : "");
}

/* The drill's answer from channel ch (answer NULL: sent, no answer yet). */
static void
drill_answer(struct wm_report *r, const char *ch, const cJSON *answer)
{
	struct wm_report_drill *d = NULL;
	const char *detail = wm_report_str(answer, "detail");

	for (size_t i = 0; i < r->n_drill; i++)
		if (!strcmp(r->drill[i].channel, ch))
			d = &r->drill[i];
	if (!d && r->n_drill < sizeof(r->drill) / sizeof(r->drill[0])) {
		d = &r->drill[r->n_drill++];
		snprintf(d->channel, sizeof(d->channel), "%s", ch);
		snprintf(d->detail, sizeof(d->detail), "sent, no answer journaled");
	}
	if (d && answer) {
		d->ok = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(answer, "ok"));
		snprintf(d->detail, sizeof(d->detail), "%s", detail ? detail : "");
	}
}

/* One channel's notification of inc (answer: its answer, or NULL). */
static int
notified(struct wm_report_incident *inc, int64_t at, const char *ch, const cJSON *answer)
{
	const char *detail = wm_report_str(answer, "detail");

	if (!answer)
		return timeline(inc, at, "notified by %s", ch);
	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(answer, "ok")))
		return timeline(inc, at, "notification by %s failed: %s", ch, detail ? detail : "");
	return 0;
}

/* notify / notify_answer: one channel per record ("channel", and "ok" in
 * the answer), or the watch's one record for all ("channels": [{channel,
 * ok, detail}]); "drill" records and drill notifications are the drill. */
static int
notify_record(struct wm_report *r, const cJSON *rec, int64_t at, bool answer)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(rec, "incident"), *c;
	const cJSON *chans = cJSON_GetObjectItemCaseSensitive(rec, "channels");
	const char *id = cJSON_IsString(o) ? o->valuestring : wm_report_str(o, "id");
	const char *ch = wm_report_str(rec, "channel"), *key = wm_report_str(rec, "key");
	const char *type = wm_report_str(rec, "type");
	bool drill = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "drill")) ||
		     (type && !strcmp(type, "drill"));
	struct wm_report_incident *inc = NULL;
	char buf[WM_REPORT_NAME_MAX];

	if (!drill) {
		if (!id && key) { /* "INC-1/open/1": the incident is the key's first part */
			snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(key, "/"), key);
			id = buf;
		}
		if (!id || !*id)
			return 0;
		if (!(inc = incident(r, id)))
			return -1;
	}
	if (ch) {
		if (drill)
			drill_answer(r, ch, answer ? rec : NULL);
		return drill ? 0 : notified(inc, at, ch, answer ? rec : NULL);
	}
	if (!cJSON_IsArray(chans))
		return 0;
	cJSON_ArrayForEach(c, chans)
	{
		const char *name = wm_report_str(c, "channel");

		if (!name)
			continue;
		if (drill)
			drill_answer(r, name, c);
		else if (notified(inc, at, name,
				  cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "ok")) ? NULL
											  : c))
			return -1;
	}
	return 0;
}

static int
people_record(struct wm_report *r, const cJSON *rec, const char *type, int64_t at)
{
	struct wm_report_int *in = r->in;

	if (!strcmp(type, "ack")) {
		const char *id = wm_report_str(rec, "id"), *note = wm_report_str(rec, "note");
		const char *user = wm_report_str(rec, "user");
		struct wm_report_incident *inc;

		if (!id || !(inc = incident(r, id)))
			return id ? -1 : 0;
		COPY(inc->ack_user, rec, "user");
		if (note && *note)
			snprintf(inc->ack_note, sizeof(inc->ack_note), "%s", note);
		if (!inc->acked_ms)
			inc->acked_ms = at;
		if (timeline(inc, at, "acknowledged by %s", user ? user : "someone"))
			return -1;
		return note && *note ? timeline(inc, at, "note: %s", note) : 0;
	}
	if (!strcmp(type, "note")) {
		const char *text = wm_report_str(rec, "text");
		bool user = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "user_issue"));

		if (!text)
			return 0;
		if (user) {
			char when[32];

			r->user_issues++;
			wm_report_offset(at, when, sizeof(when));
			if (!*in->user_issue)
				snprintf(in->user_issue, sizeof(in->user_issue), "%s %s", when,
					 text);
		}
		if (wm_report_grow((void **)&in->notes, &in->cap_notes, in->n_notes,
				   sizeof(*in->notes)))
			return -1;
		in->notes[in->n_notes].at_ms = at;
		snprintf(in->notes[in->n_notes++].text, sizeof(in->notes[0].text), "%s%s",
			 user ? "user issue: " : "", text);
		return 0;
	}
	if (!strcmp(type, "approve")) {
		const char *role = wm_report_str(rec, "role"), *name = wm_report_str(rec, "name");
		struct wm_report_approval *a = NULL;

		if (!role || !name)
			return 0;
		for (size_t i = 0; i < r->n_approvals; i++)
			if (!strcasecmp(r->approvals[i].role, role) ||
			    !strcasecmp(r->approvals[i].title, role))
				a = &r->approvals[i];
		if (!a && r->n_approvals < WM_REPORT_APPROVERS_MAX) {
			a = &r->approvals[r->n_approvals++];
			snprintf(a->role, sizeof(a->role), "%s", role);
			snprintf(a->title, sizeof(a->title), "%s", role);
		}
		if (a) {
			snprintf(a->name, sizeof(a->name), "%s", name);
			a->wall_ms = ms_of(rec, "wall_ms");
		}
	}
	return 0;
}

/* A container event: die, stop, kill and oom take a service down, start
 * brings it up; health_status says unhealthy (down) or healthy (up). */
static int
container_record(struct wm_report *r, const cJSON *rec, int64_t at)
{
	const char *svc = wm_report_str(rec, "service"), *act = wm_report_str(rec, "action");
	const char *health = wm_report_str(rec, "health");

	if (!svc || !act)
		return 0;
	if (!strcmp(act, "die") || !strcmp(act, "stop") || !strcmp(act, "kill") ||
	    !strcmp(act, "oom"))
		return wm_report_seen(r, svc, at, false, SEEN_EVENT);
	if (!strcmp(act, "start"))
		return wm_report_seen(r, svc, at, true, SEEN_EVENT);
	if (!strncmp(act, "health_status", 13)) {
		if (!health) /* the Engine's own spelling: "health_status: unhealthy" */
			health = strchr(act, ':') ? strchr(act, ':') + 1 : "";
		health += strspn(health, " ");
		if (!strcmp(health, "unhealthy") || !strcmp(health, "healthy"))
			return wm_report_seen(r, svc, at, health[0] == 'h', SEEN_EVENT);
	}
	return 0;
}

/* A container event's plan time: the Engine's own (event_wall_ms, or
 * time_ms), else the record's. */
static int64_t
event_time(const struct wm_report *r, const cJSON *rec, int64_t at)
{
	double w = wm_report_num(rec, "event_wall_ms");

	if (isnan(w))
		w = wm_report_num(rec, "time_ms");
	if (!isnan(wm_report_num(rec, "at_ms")) || isnan(w) || fabs(w) > 9e15 || !r->started)
		return at;
	return ((int64_t)w - r->start_wall_ms) * r->scale;
}

/* A watch round: {"services": {"NAME": "up" | "down" | "unhealthy" | "missing"}}
 * (an object with "up" is read too). */
static int
watch_record(struct wm_report *r, const cJSON *rec, int64_t at)
{
	const cJSON *s, *all = cJSON_GetObjectItemCaseSensitive(rec, "services");

	if (cJSON_IsObject(all) && all->child)
		r->watched = true;
	cJSON_ArrayForEach(s, all)
	{
		int up = -1;

		if (cJSON_IsString(s))
			up = !strcmp(s->valuestring, "up") || !strcmp(s->valuestring, "running") ||
			     !strcmp(s->valuestring, "healthy");
		else if (cJSON_IsBool(s))
			up = cJSON_IsTrue(s);
		else if (cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(s, "up")))
			up = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "up"));
		if (up >= 0 && s->string && wm_report_seen(r, s->string, at, up, SEEN_WATCH))
			return -1;
	}
	return 0;
}

/* The plan a run_start, driver (a driver started or resumed) or reload
 * record carries (journal_plan.h) is the run's from then on; a journal without one keeps the
 * configuration's or the runbook's (wm_report_opts_config), and a plan that cannot be read is said.
 */
static int
plan_record(struct wm_report *r, const cJSON *rec, const char *type)
{
	const cJSON *json = cJSON_GetObjectItemCaseSensitive(rec, "plan");
	struct wm_err e = {0};

	if (!json)
		return 0;
	if (wm_journal_plan_parse(json, &r->opts.plan, &e) != 0) {
		if (e.code == WM_ENOMEM)
			return -1;
		wm_report_fmt(r->plan_bad, sizeof(r->plan_bad), "the %s record's plan: %s", type,
			      e.msg);
		return 0;
	}
	r->opts.plan_from = WM_REPORT_PLAN_JOURNAL;
	*r->plan_bad = '\0';
	wm_report_use_plan(r);
	return 0;
}

int
wm_report_record(const cJSON *rec, void *ctx)
{
	struct wm_report *r = ctx;
	const char *type = wm_report_str(rec, "type");
	int64_t at;
	int rc = 0;

	if (!type)
		return 0;
	if (!strcmp(type, "run_start")) {
		double s = wm_report_num(rec, "start_wall_ms"), k = wm_report_num(rec, "scale");

		r->started = true;
		r->start_wall_ms = isnan(s) ? 0 : (int64_t)s;
		r->scale = isnan(k) || k < 1 ? 1 : (int64_t)k;
		COPY(r->target, rec, "target");
		return plan_record(r, rec, "run_start") ? 2 : 0;
	}
	at = wm_report_plan_ms(r, rec);
	if (at > r->last_ms && strcmp(type, "approve") != 0)
		r->last_ms = at;
	if (!strncmp(type, "tick_", 5) || !strcmp(type, "result"))
		rc = tick_record(r, rec, type);
	else if (!strcmp(type, "incident"))
		rc = incident_record(r, rec, at);
	else if (!strcmp(type, "notify") || !strcmp(type, "notify_answer") ||
		 !strcmp(type, "drill"))
		rc = notify_record(r, rec, at, !strcmp(type, "notify_answer"));
	else if (!strcmp(type, "ack") || !strcmp(type, "note") || !strcmp(type, "approve"))
		rc = people_record(r, rec, type, at);
	else if (!strcmp(type, "container") || !strcmp(type, "container_event"))
		rc = container_record(r, rec, event_time(r, rec, at));
	else if (!strcmp(type, "watch"))
		rc = watch_record(r, rec, at);
	else if (!strcmp(type, "reload") || !strcmp(type, "driver"))
		rc = plan_record(r, rec, type);
	else if (!strcmp(type, "run_end"))
		r->ended = true;
	else if (!strcmp(type, "baseline") && !r->baseline &&
		 cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(rec, "baseline")))
		rc = (r->baseline =
			  cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(rec, "baseline"), 1))
			 ? 0
			 : -1;
	return rc ? 2 : 0;
}
