/* incident_notify.c - what the hook, the webhook and Alertmanager receive (see incident.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/duration.h"
#include "model/incident.h"

/* Add s as an RFC 3339 time (UTC, ms); false on failure. */
static bool
add_time(cJSON *o, const char *key, int64_t ms)
{
	char t[WM_TIME_BUF];

	return wm_time_format(ms, t, sizeof(t)) == 0 && cJSON_AddStringToObject(o, key, t);
}

cJSON *
wm_incident_hook_json(const struct wm_incident *inc, const struct wm_incident_action *a,
		      const char *target, int64_t now_wall_ms, bool drill)
{
	cJSON *o = cJSON_CreateObject(), *i = wm_incident_json(inc);
	bool ok = o && i;

	ok = ok && cJSON_AddNumberToObject(o, "version", 1);
	ok = ok && cJSON_AddStringToObject(o, "key", a->key);
	ok = ok && cJSON_AddStringToObject(o, "event", wm_incident_act_name(a->act));
	ok = ok && cJSON_AddBoolToObject(o, "drill", drill);
	ok = ok && cJSON_AddStringToObject(o, "target", target ? target : "local");
	ok = ok && add_time(o, "time", now_wall_ms);
	if (ok && cJSON_AddItemToObject(o, "incident", i))
		return o;
	cJSON_Delete(i);
	cJSON_Delete(o);
	return NULL;
}

cJSON *
wm_incident_am_alert(const struct wm_incident *inc, const char *target, int64_t opened_wall_ms,
		     int64_t resolved_wall_ms, int64_t now_wall_ms, int64_t hold_ms, bool drill)
{
	cJSON *o = cJSON_CreateObject(), *l = cJSON_CreateObject(), *an = cJSON_CreateObject();
	const char *role = wm_role_name(wm_incident_role(inc->kind, inc->level));
	bool ok = o && l && an;
	int64_t ends = resolved_wall_ms > 0 ? resolved_wall_ms : now_wall_ms + hold_ms;

	/* Empty label values are dropped by Alertmanager: every one here is set. */
	ok = ok && cJSON_AddStringToObject(l, "alertname", drill ? "WmDrill" : "WmIncident");
	ok = ok && cJSON_AddStringToObject(l, "incident", inc->id);
	ok = ok && cJSON_AddStringToObject(l, "kind", wm_incident_kind_name(inc->kind));
	ok = ok && cJSON_AddStringToObject(l, "subject", *inc->subject ? inc->subject : "-");
	ok = ok && cJSON_AddStringToObject(l, "target", target && *target ? target : "local");
	ok = ok && cJSON_AddStringToObject(l, "severity", drill ? "drill" : "critical");
	ok = ok && cJSON_AddStringToObject(l, "role", role);
	ok = ok && cJSON_AddStringToObject(an, "summary", *inc->detail ? inc->detail : inc->id);
	ok = ok && cJSON_AddStringToObject(an, "action", wm_incident_action_text(inc->kind));
	if (!ok || !cJSON_AddItemToObject(o, "labels", l)) {
		cJSON_Delete(l);
		cJSON_Delete(an);
		cJSON_Delete(o);
		return NULL;
	}
	if (!cJSON_AddItemToObject(o, "annotations", an)) {
		cJSON_Delete(an);
		cJSON_Delete(o);
		return NULL;
	}
	/* endsAt before startsAt is a 400: a resolution never precedes the start. */
	if (!add_time(o, "startsAt", opened_wall_ms) ||
	    !add_time(o, "endsAt", ends < opened_wall_ms ? opened_wall_ms : ends)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}
