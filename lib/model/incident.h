/* incident.h - incidents: one per episode, notified, escalated, acknowledged, resolved.
 *
 * Pure: observations and acknowledgements go in with the time (plan ms,
 * clock.h, so --time-scale compresses response times too), actions come out
 * for the driver to journal and send.  No I/O, no clock of its own.
 *
 * The runbook's triggers (kinds), who each escalates to and how fast:
 *   service-down        tech lead       5 min   "Check logs immediately"
 *   database            database admin  5 min   "Verify connectivity"
 *   frontend            frontend lead   5 min   "Check Nginx and frontend service"
 *   2fa                 security lead   5 min   "Check security middleware"
 *   unauthorized        security lead   2 min   "Review access logs"
 *   data-loss           CTO             0       "Stop all writes"
 *   error-rate          tech lead       5 min   (high error rate or slow API)
 *   monitoring-lost     tech lead       5 min   (the monitor cannot see the target)
 * The chain of every kind is on-call → secondary on-call → the kind's lead →
 * CTO; an incident not acknowledged within the response time of its level
 * moves one level up (a response time of 0 goes up the whole chain at once:
 * data loss reaches the CTO immediately).  Each level is notified.
 *
 * Episodes: a failure of (kind, subject) opens an incident unless one is open;
 * an OK observation resolves it.  A failure within flap_window_ms of the
 * resolution reopens the same incident; at flap_threshold reopenings it is
 * flapping: one "flapping" notification, then reopenings and resolutions are
 * journaled but not notified, until it stays resolved for a whole window and
 * is closed (with one final notification).  An open, unacknowledged incident
 * is re-notified every renotify_ms.
 *
 * Root cause: services' dependencies (the compose depends_on label,
 * wm_depends_parse) let a failure of a dependent attach to the open incident
 * of a dependency (postgres down: the backend's failing health and error
 * burst are its consequences, not incidents of their own).  Any failure while
 * monitoring is lost attaches to that incident.  A consequence is never
 * notified or escalated; when its root resolves and it still has not
 * recovered after consequence_grace_ms, it is promoted to an incident of its own.
 */
#ifndef WM_INCIDENT_H
#define WM_INCIDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "base/err.h"

enum wm_incident_kind {
	WM_INC_SERVICE_DOWN,
	WM_INC_DATABASE,
	WM_INC_FRONTEND,
	WM_INC_2FA,
	WM_INC_UNAUTHORIZED,
	WM_INC_DATA_LOSS,
	WM_INC_ERROR_RATE,
	WM_INC_MONITORING_LOST,
	WM_INC_NKINDS
};

enum wm_chain_role {
	WM_ROLE_ONCALL,
	WM_ROLE_SECONDARY,
	WM_ROLE_TECH_LEAD,
	WM_ROLE_DBA,
	WM_ROLE_FRONTEND_LEAD,
	WM_ROLE_SECURITY_LEAD,
	WM_ROLE_CTO,
	WM_ROLE_N
};

#define WM_INCIDENT_LEVELS 4 /* on-call, secondary, lead, CTO */
#define WM_INCIDENT_ID_MAX 16
#define WM_INCIDENT_SUBJECT_MAX 64
#define WM_INCIDENT_DETAIL_MAX 200
#define WM_INCIDENT_KEY_MAX 48

enum wm_incident_state { WM_INC_OPEN, WM_INC_ACKED, WM_INC_RESOLVED };

struct wm_incident {
	char id[WM_INCIDENT_ID_MAX]; /* "INC-1", … in order of opening */
	enum wm_incident_kind kind;
	char subject[WM_INCIDENT_SUBJECT_MAX]; /* the service, or "frontend", "db", … */
	char detail[WM_INCIDENT_DETAIL_MAX];   /* the last failure's summary */
	char root[WM_INCIDENT_ID_MAX];	       /* set while a consequence of that incident */
	enum wm_incident_state state;
	int level;	   /* 0 .. WM_INCIDENT_LEVELS-1 */
	int notifications; /* sent so far (keys stay unique) */
	int reopenings;
	bool flapping;
	bool notified; /* was ever notified (a silent consequence was not) */
	int64_t opened_ms, level_ms, acked_ms, resolved_ms, last_notify_ms, last_fail_ms;
};

struct wm_incident_conf {
	int64_t response_ms[WM_INC_NKINDS];
	/* A role's own response time ([role NAME] response_time), -1 unset: a
	 * level waits the smaller of its kind's and its role's. */
	int64_t role_response_ms[WM_ROLE_N];
	int64_t renotify_ms;	      /* 30 min */
	int64_t flap_window_ms;	      /* 15 min */
	int flap_threshold;	      /* 3 reopenings */
	int64_t consequence_grace_ms; /* 2 min */
};

enum wm_incident_act {
	WM_ACT_OPEN,	 /* notify */
	WM_ACT_ATTACH,	 /* a consequence of root: silent */
	WM_ACT_PROMOTE,	 /* a consequence outlived its root: notify */
	WM_ACT_ESCALATE, /* notify the new level */
	WM_ACT_RENOTIFY, /* still open, not acknowledged: notify */
	WM_ACT_ACK,
	WM_ACT_REOPEN,	 /* notify unless flapping */
	WM_ACT_FLAPPING, /* notify once */
	WM_ACT_RESOLVE,	 /* notify unless flapping or never notified */
	WM_ACT_CLOSE,	 /* the episode is over; notify when it was flapping */
};

struct wm_incident_action {
	enum wm_incident_act act;
	char id[WM_INCIDENT_ID_MAX];
	char root[WM_INCIDENT_ID_MAX]; /* ATTACH: the root incident */
	enum wm_incident_kind kind;
	char subject[WM_INCIDENT_SUBJECT_MAX];
	int level;
	enum wm_chain_role role; /* who the level is */
	bool notify;
	char key[WM_INCIDENT_KEY_MAX]; /* idempotency key when notify: "INC-1/open/1" */
	int64_t at_ms;
};

struct wm_incident_actions {
	size_t n, cap;
	struct wm_incident_action *a;
};

struct wm_incidents;

void wm_incident_conf_default(struct wm_incident_conf *c);

/* Names: "service-down", …; "on-call", …; "open", …; and the action text. */
const char *wm_incident_kind_name(enum wm_incident_kind k);
int wm_incident_kind_parse(const char *name); /* -1 when unknown */
const char *wm_role_name(enum wm_chain_role r);
const char *wm_incident_act_name(enum wm_incident_act a);
const char *wm_incident_action_text(enum wm_incident_kind k);
/* The role at level (0..WM_INCIDENT_LEVELS-1) of kind's chain. */
enum wm_chain_role wm_incident_role(enum wm_incident_kind k, int level);

struct wm_incidents *wm_incidents_new(const struct wm_incident_conf *conf);
void wm_incidents_free(struct wm_incidents *set);
void wm_incident_actions_free(struct wm_incident_actions *acts);

/* service depends on the names in deps (replacing what was said before). */
int wm_incidents_set_deps(struct wm_incidents *set, const char *service, const char *const *deps,
			  size_t n, struct wm_err *err);

/* An observation at now: (kind, subject) is failing, with detail. */
int wm_incidents_fail(struct wm_incidents *set, int64_t now, enum wm_incident_kind kind,
		      const char *subject, const char *detail, struct wm_incident_actions *out);
/* An observation at now: (kind, subject) is fine. */
int wm_incidents_ok(struct wm_incidents *set, int64_t now, enum wm_incident_kind kind,
		    const char *subject, struct wm_incident_actions *out);
/* Someone acknowledged incident id (WM_ENOTFOUND, or WM_EINVAL when resolved). */
int wm_incidents_ack(struct wm_incidents *set, int64_t now, const char *id,
		     struct wm_incident_actions *out, struct wm_err *err);
/* Time passed: escalations, re-notifications, promotions, closings due by now. */
int wm_incidents_advance(struct wm_incidents *set, int64_t now, struct wm_incident_actions *out);

/* The incidents not yet closed (open, acknowledged, or resolved but still in
 * their flap window), in order of opening. */
size_t wm_incidents_count(const struct wm_incidents *set);
const struct wm_incident *wm_incidents_get(const struct wm_incidents *set, size_t i);
const struct wm_incident *wm_incidents_find(const struct wm_incidents *set, const char *id);

/* An incident as a JSON object (for the journal and status), and back into
 * set on resume (replacing one with the same id).  -1 on ENOMEM/EPROTO. */
cJSON *wm_incident_json(const struct wm_incident *inc);
int wm_incidents_restore(struct wm_incidents *set, const cJSON *obj, struct wm_err *err);
/* Resume from the journal: a wm_journal_record_fn over a struct wm_incidents
 * (ctx).  An "incident" record ({"event": wm_incident_act_name, "incident":
 * wm_incident_json of the incident after the event}) puts the incident back
 * as it was; "close" forgets it; other records are skipped.  Returns 0, or 2
 * for an incident record that cannot be restored (a damaged journal). */
int wm_incidents_replay(const cJSON *rec, void *ctx);
/* Put inc into set as it is (replacing one with the same id; the id must be
 * "INC-N"); later incidents get numbers after N.  Returns 0 or -1. */
int wm_incidents_put(struct wm_incidents *set, const struct wm_incident *inc, struct wm_err *err);

/* What the channels receive (incident_notify.c).  Times there are wall ms:
 * the caller maps plan times through its clock (clock.h).
 *
 * The hook's stdin and the webhook's body: {"version":1, "key", "event",
 * "drill", "target", "time", "incident": wm_incident_json}.  drill marks the
 * T+0 test notification so no one is paged for real. */
cJSON *wm_incident_hook_json(const struct wm_incident *inc, const struct wm_incident_action *a,
			     const char *target, int64_t now_wall_ms, bool drill);
/* One Alertmanager v2 alert (POST /api/v2/alerts takes an array of them):
 * labels alertname (WmIncident, or WmDrill), incident, kind, subject, target,
 * severity (critical, or drill), role; annotations summary, action;
 * startsAt = opened_wall_ms; endsAt = resolved_wall_ms when resolved (> 0),
 * else now + hold_ms (re-posted while open, so it never times out on its own;
 * Alertmanager's clients.md asks for a re-send every 30 s to 3 min). */
cJSON *wm_incident_am_alert(const struct wm_incident *inc, const char *target,
			    int64_t opened_wall_ms, int64_t resolved_wall_ms, int64_t now_wall_ms,
			    int64_t hold_ms, bool drill);

/* Dependencies from a compose depends_on label: "svc" (v2.0-2.2),
 * "svc:condition" (v2.3-2.16), "svc:condition:restart" (v2.17+), comma-joined
 * in any order, "" for none; also a configuration value for Compose v1
 * ("postgres, redis").  Writes up to cap names (each < WM_INCIDENT_SUBJECT_MAX)
 * into names and returns how many, or -1 (WM_EINVAL: an unknown condition,
 * a bad restart flag, an empty or overlong name; WM_ETOOBIG: more than cap). */
int wm_depends_parse(const char *label, char (*names)[WM_INCIDENT_SUBJECT_MAX], size_t cap,
		     struct wm_err *err);

#endif
