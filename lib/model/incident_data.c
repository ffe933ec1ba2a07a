/* incident_data.c - incidents' names, chains, JSON form, and the compose depends_on label. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/incident.h"

static const char *const kind_names[WM_INC_NKINDS] = {
    [WM_INC_SERVICE_DOWN] = "service-down", [WM_INC_DATABASE] = "database",
    [WM_INC_FRONTEND] = "frontend",	    [WM_INC_2FA] = "2fa",
    [WM_INC_UNAUTHORIZED] = "unauthorized", [WM_INC_DATA_LOSS] = "data-loss",
    [WM_INC_ERROR_RATE] = "error-rate",	    [WM_INC_MONITORING_LOST] = "monitoring-lost",
};

/* The runbook's "Action" line per trigger. */
static const char *const kind_text[WM_INC_NKINDS] = {
    [WM_INC_SERVICE_DOWN] = "Check logs immediately",
    [WM_INC_DATABASE] = "Verify connectivity",
    [WM_INC_FRONTEND] = "Check Nginx and frontend service",
    [WM_INC_2FA] = "Check security middleware",
    [WM_INC_UNAUTHORIZED] = "Review access logs",
    [WM_INC_DATA_LOSS] = "Stop all writes",
    [WM_INC_ERROR_RATE] = "Review error logs and response times",
    [WM_INC_MONITORING_LOST] = "Restore the monitor's access (SSH, Docker, tunnels)",
};

/* Level 2 of each kind's chain: who the runbook escalates it to. */
static const enum wm_chain_role kind_lead[WM_INC_NKINDS] = {
    [WM_INC_SERVICE_DOWN] = WM_ROLE_TECH_LEAD,	   [WM_INC_DATABASE] = WM_ROLE_DBA,
    [WM_INC_FRONTEND] = WM_ROLE_FRONTEND_LEAD,	   [WM_INC_2FA] = WM_ROLE_SECURITY_LEAD,
    [WM_INC_UNAUTHORIZED] = WM_ROLE_SECURITY_LEAD, [WM_INC_DATA_LOSS] = WM_ROLE_TECH_LEAD,
    [WM_INC_ERROR_RATE] = WM_ROLE_TECH_LEAD,	   [WM_INC_MONITORING_LOST] = WM_ROLE_TECH_LEAD,
};

static const char *const role_names[WM_ROLE_N] = {
    [WM_ROLE_ONCALL] = "on-call",
    [WM_ROLE_SECONDARY] = "secondary",
    [WM_ROLE_TECH_LEAD] = "tech-lead",
    [WM_ROLE_DBA] = "database-admin",
    [WM_ROLE_FRONTEND_LEAD] = "frontend-lead",
    [WM_ROLE_SECURITY_LEAD] = "security-lead",
    [WM_ROLE_CTO] = "cto",
};

static const char *const act_names[] = {
    [WM_ACT_OPEN] = "open",	    [WM_ACT_ATTACH] = "attach",	    [WM_ACT_PROMOTE] = "promote",
    [WM_ACT_ESCALATE] = "escalate", [WM_ACT_RENOTIFY] = "renotify", [WM_ACT_ACK] = "ack",
    [WM_ACT_REOPEN] = "reopen",	    [WM_ACT_FLAPPING] = "flapping", [WM_ACT_RESOLVE] = "resolve",
    [WM_ACT_CLOSE] = "close",
};

static const char *const state_names[] = {
    [WM_INC_OPEN] = "open", [WM_INC_ACKED] = "acknowledged", [WM_INC_RESOLVED] = "resolved"};

const char *
wm_incident_kind_name(enum wm_incident_kind k)
{
	return (unsigned)k < WM_INC_NKINDS ? kind_names[k] : "unknown";
}

int
wm_incident_kind_parse(const char *name)
{
	for (int k = 0; k < WM_INC_NKINDS; k++)
		if (!strcmp(name, kind_names[k]))
			return k;
	return -1;
}

const char *
wm_role_name(enum wm_chain_role r)
{
	return (unsigned)r < WM_ROLE_N ? role_names[r] : "unknown";
}

const char *
wm_incident_act_name(enum wm_incident_act a)
{
	return (unsigned)a < sizeof(act_names) / sizeof(act_names[0]) ? act_names[a] : "unknown";
}

const char *
wm_incident_action_text(enum wm_incident_kind k)
{
	return (unsigned)k < WM_INC_NKINDS ? kind_text[k] : "";
}

enum wm_chain_role
wm_incident_role(enum wm_incident_kind k, int level)
{
	switch (level) {
	case 0:
		return WM_ROLE_ONCALL;
	case 1:
		return WM_ROLE_SECONDARY;
	case 2:
		return (unsigned)k < WM_INC_NKINDS ? kind_lead[k] : WM_ROLE_TECH_LEAD;
	default:
		return WM_ROLE_CTO;
	}
}

cJSON *
wm_incident_json(const struct wm_incident *inc)
{
	cJSON *o = cJSON_CreateObject();
	bool ok = o != NULL;

	ok = ok && cJSON_AddStringToObject(o, "id", inc->id);
	ok = ok && cJSON_AddStringToObject(o, "kind", wm_incident_kind_name(inc->kind));
	ok = ok && cJSON_AddStringToObject(o, "subject", inc->subject);
	ok = ok && cJSON_AddStringToObject(o, "detail", inc->detail);
	ok = ok && cJSON_AddStringToObject(o, "root", inc->root);
	ok = ok && cJSON_AddStringToObject(o, "state", state_names[inc->state]);
	ok = ok && cJSON_AddNumberToObject(o, "level", inc->level);
	ok = ok && cJSON_AddStringToObject(o, "role",
					   wm_role_name(wm_incident_role(inc->kind, inc->level)));
	ok = ok && cJSON_AddStringToObject(o, "action", wm_incident_action_text(inc->kind));
	ok = ok && cJSON_AddNumberToObject(o, "notifications", inc->notifications);
	ok = ok && cJSON_AddNumberToObject(o, "reopenings", inc->reopenings);
	ok = ok && cJSON_AddBoolToObject(o, "flapping", inc->flapping);
	ok = ok && cJSON_AddBoolToObject(o, "notified", inc->notified);
#define T(f) ok = ok && cJSON_AddNumberToObject(o, #f, (double)inc->f)
	T(opened_ms);
	T(level_ms);
	T(acked_ms);
	T(resolved_ms);
	T(last_notify_ms);
	T(last_fail_ms);
#undef T
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static int
get_str(const cJSON *o, const char *key, char *buf, size_t len)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsString(s) || strlen(s->valuestring) >= len)
		return -1;
	memcpy(buf, s->valuestring, strlen(s->valuestring) + 1);
	return 0;
}

static int
get_num(const cJSON *o, const char *key, double lo, double hi, double *v)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(n) || !(n->valuedouble >= lo && n->valuedouble <= hi))
		return -1;
	*v = n->valuedouble;
	return 0;
}

int
wm_incidents_restore(struct wm_incidents *set, const cJSON *obj, struct wm_err *err)
{
	struct wm_incident in = {0};
	char kind[32] = "", state[16] = "";
	const cJSON *b;
	double v[9];
	int k, st = -1;

	if (get_str(obj, "id", in.id, sizeof(in.id)) || get_str(obj, "kind", kind, sizeof(kind)) ||
	    get_str(obj, "subject", in.subject, sizeof(in.subject)) ||
	    get_str(obj, "root", in.root, sizeof(in.root)) ||
	    get_str(obj, "state", state, sizeof(state)) || (k = wm_incident_kind_parse(kind)) < 0 ||
	    get_num(obj, "level", 0, WM_INCIDENT_LEVELS - 1, &v[0]) ||
	    get_num(obj, "notifications", 0, 1e9, &v[1]) ||
	    get_num(obj, "reopenings", 0, 1e9, &v[2]) ||
	    get_num(obj, "opened_ms", -9e15, 9e15, &v[3]) ||
	    get_num(obj, "level_ms", -9e15, 9e15, &v[4]) ||
	    get_num(obj, "acked_ms", -9e15, 9e15, &v[5]) ||
	    get_num(obj, "resolved_ms", -9e15, 9e15, &v[6]) ||
	    get_num(obj, "last_notify_ms", -9e15, 9e15, &v[7]) ||
	    get_num(obj, "last_fail_ms", -9e15, 9e15, &v[8]))
		return wm_err_set(err, WM_EPROTO, "incident record: missing or bad member");
	for (int s = 0; s < 3; s++)
		if (!strcmp(state, state_names[s]))
			st = s;
	if (st < 0)
		return wm_err_set(err, WM_EPROTO, "incident record: bad state '%s'", state);
	in.kind = (enum wm_incident_kind)k;
	in.state = (enum wm_incident_state)st;
	in.level = (int)v[0];
	in.notifications = (int)v[1];
	in.reopenings = (int)v[2];
	in.opened_ms = (int64_t)v[3];
	in.level_ms = (int64_t)v[4];
	in.acked_ms = (int64_t)v[5];
	in.resolved_ms = (int64_t)v[6];
	in.last_notify_ms = (int64_t)v[7];
	in.last_fail_ms = (int64_t)v[8];
	b = cJSON_GetObjectItemCaseSensitive(obj, "flapping");
	in.flapping = cJSON_IsTrue(b);
	b = cJSON_GetObjectItemCaseSensitive(obj, "notified");
	in.notified = cJSON_IsTrue(b);
	(void)get_str(obj, "detail", in.detail, sizeof(in.detail));
	return wm_incidents_put(set, &in, err);
}

/* One name of a depends_on label, p..end: "svc[:condition[:restart]]". */
static int
dep_item(const char *p, const char *end, char *name, struct wm_err *err)
{
	static const char *const conds[] = {"service_started", "service_healthy",
					    "service_completed_successfully"};
	const char *c1, *c2 = NULL;
	size_t n;

	while (p < end && *p == ' ')
		p++;
	while (end > p && end[-1] == ' ')
		end--;
	c1 = memchr(p, ':', (size_t)(end - p));
	if (c1)
		c2 = memchr(c1 + 1, ':', (size_t)(end - c1 - 1));
	n = (size_t)((c1 ? c1 : end) - p);
	if (n == 0 || n >= WM_INCIDENT_SUBJECT_MAX)
		return wm_err_set(err, WM_EINVAL, "depends_on: empty or overlong service name");
	if (c1) {
		const char *ce = c2 ? c2 : end;
		bool known = false;

		for (size_t i = 0; i < sizeof(conds) / sizeof(conds[0]); i++)
			if ((size_t)(ce - c1 - 1) == strlen(conds[i]) &&
			    !memcmp(c1 + 1, conds[i], strlen(conds[i])))
				known = true;
		if (!known)
			return wm_err_set(err, WM_EINVAL, "depends_on: unknown condition '%.*s'",
					  (int)(ce - c1 - 1 > 40 ? 40 : ce - c1 - 1), c1 + 1);
	}
	if (c2 && !((end - c2 - 1 == 4 && !memcmp(c2 + 1, "true", 4)) ||
		    (end - c2 - 1 == 5 && !memcmp(c2 + 1, "false", 5))))
		return wm_err_set(err, WM_EINVAL, "depends_on: restart is true or false");
	memcpy(name, p, n);
	name[n] = '\0';
	return 0;
}

int
wm_depends_parse(const char *label, char (*names)[WM_INCIDENT_SUBJECT_MAX], size_t cap,
		 struct wm_err *err)
{
	size_t n = 0;

	if (strspn(label, " ") == strlen(label))
		return 0; /* "": no dependencies */
	for (const char *p = label;;) {
		const char *c = strchr(p, ',');
		const char *end = c ? c : p + strlen(p);
		char name[WM_INCIDENT_SUBJECT_MAX];

		if (dep_item(p, end, name, err))
			return -1;
		if (n >= cap)
			return wm_err_set(err, WM_ETOOBIG, "depends_on: more than %zu services",
					  cap);
		memcpy(names[n++], name, sizeof(name));
		if (!c)
			return (int)n;
		p = c + 1;
	}
}
