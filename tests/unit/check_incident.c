/* check_incident.c - the incident state machine, driven by exact event sequences
 * on a fixed plan clock; and the compose depends_on label. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "model/incident.h"
#include "unit.h"

#define M (INT64_C(60000))
#define T0 INT64_C(1795824000000)

static struct wm_incidents *set;
static struct wm_incident_actions acts;
static char log_buf[4096];

static void
setup(void)
{
	set = wm_incidents_new(NULL);
	ck_assert_ptr_nonnull(set);
	memset(&acts, 0, sizeof(acts));
}

static void
teardown(void)
{
	wm_incidents_free(set);
	wm_incident_actions_free(&acts);
}

/* The actions so far as "act:id:subject:role[!key]" words, then cleared:
 * "!" marks a notification and shows its idempotency key. */
static const char *
drain(void)
{
	size_t len = 0;

	log_buf[0] = '\0';
	for (size_t i = 0; i < acts.n; i++) {
		const struct wm_incident_action *a = &acts.a[i];

		len += (size_t)snprintf(log_buf + len, sizeof(log_buf) - len, "%s%s:%s:%s:%s%s%s",
					i ? " " : "", wm_incident_act_name(a->act), a->id,
					a->subject, wm_role_name(a->role), a->notify ? "!" : "",
					a->notify ? a->key : "");
		if (a->act == WM_ACT_ATTACH)
			len +=
			    (size_t)snprintf(log_buf + len, sizeof(log_buf) - len, "<%s", a->root);
	}
	acts.n = 0;
	return log_buf;
}

static void
down(int64_t t, enum wm_incident_kind k, const char *subject)
{
	ck_assert_int_eq(wm_incidents_fail(set, T0 + t, k, subject, "failing", &acts), 0);
}

static void
up(int64_t t, enum wm_incident_kind k, const char *subject)
{
	ck_assert_int_eq(wm_incidents_ok(set, T0 + t, k, subject, &acts), 0);
}

static void
advance(int64_t t)
{
	ck_assert_int_eq(wm_incidents_advance(set, T0 + t, &acts), 0);
}

START_TEST(test_open_escalate_ack_resolve)
{
	struct wm_err e = {0};
	const struct wm_incident *inc;

	down(0, WM_INC_SERVICE_DOWN, "backend");
	ck_assert_str_eq(drain(), "open:INC-1:backend:on-call!INC-1/open/1");
	down(M, WM_INC_SERVICE_DOWN, "backend"); /* the same episode */
	advance(5 * M - 1);
	ck_assert_str_eq(drain(), "");
	advance(5 * M); /* not acknowledged within 5 minutes */
	ck_assert_str_eq(drain(), "escalate:INC-1:backend:secondary!INC-1/escalate/2");
	advance(10 * M);
	ck_assert_str_eq(drain(), "escalate:INC-1:backend:tech-lead!INC-1/escalate/3");
	ck_assert_int_eq(wm_incidents_ack(set, T0 + 11 * M, "INC-1", &acts, &e), 0);
	ck_assert_str_eq(drain(), "ack:INC-1:backend:tech-lead");
	ck_assert_int_eq(wm_incidents_ack(set, T0 + 11 * M, "INC-1", &acts, &e), 0);
	ck_assert_str_eq(drain(), ""); /* twice is once */
	advance(60 * M);	       /* acknowledged: no escalation, no re-notification */
	ck_assert_str_eq(drain(), "");
	inc = wm_incidents_find(set, "INC-1");
	ck_assert_int_eq(inc->state, WM_INC_ACKED);
	ck_assert_int_eq(inc->acked_ms, T0 + 11 * M);
	up(61 * M, WM_INC_SERVICE_DOWN, "backend");
	ck_assert_str_eq(drain(), "resolve:INC-1:backend:tech-lead!INC-1/resolve/4");
	ck_assert_int_eq(wm_incidents_ack(set, T0 + 62 * M, "INC-1", &acts, &e), -1);
	ck_assert_int_eq(e.code, WM_EINVAL);
	advance(61 * M + 15 * M);
	ck_assert_str_eq(drain(), "close:INC-1:backend:tech-lead");
	ck_assert_int_eq(wm_incidents_count(set), 0);
	ck_assert_int_eq(wm_incidents_ack(set, T0, "INC-1", &acts, &e), -1);
	ck_assert_int_eq(e.code, WM_ENOTFOUND);
	/* A new failure later is a new episode. */
	down(90 * M, WM_INC_SERVICE_DOWN, "backend");
	ck_assert_str_eq(drain(), "open:INC-2:backend:on-call!INC-2/open/1");
}
END_TEST

START_TEST(test_chains_and_response_times)
{
	/* Unauthorized access: 2 minutes per level, security lead at level 2. */
	down(0, WM_INC_UNAUTHORIZED, "backend");
	advance(2 * M);
	advance(4 * M);
	advance(6 * M);
	advance(60 * M - 1); /* the CTO is the top: no further escalation */
	ck_assert_str_eq(drain(), "open:INC-1:backend:on-call!INC-1/open/1 "
				  "escalate:INC-1:backend:secondary!INC-1/escalate/2 "
				  "escalate:INC-1:backend:security-lead!INC-1/escalate/3 "
				  "escalate:INC-1:backend:cto!INC-1/escalate/4 "
				  "renotify:INC-1:backend:cto!INC-1/renotify/5");
	/* Data loss: immediate, up the whole chain at once. */
	down(0, WM_INC_DATA_LOSS, "postgres");
	ck_assert_str_eq(drain(), "open:INC-2:postgres:on-call!INC-2/open/1 "
				  "escalate:INC-2:postgres:secondary!INC-2/escalate/2 "
				  "escalate:INC-2:postgres:tech-lead!INC-2/escalate/3 "
				  "escalate:INC-2:postgres:cto!INC-2/escalate/4");
	ck_assert_str_eq(wm_incident_action_text(WM_INC_DATA_LOSS), "Stop all writes");
	ck_assert_int_eq(wm_incident_role(WM_INC_DATABASE, 2), WM_ROLE_DBA);
	ck_assert_int_eq(wm_incident_role(WM_INC_FRONTEND, 2), WM_ROLE_FRONTEND_LEAD);
	ck_assert_int_eq(wm_incident_role(WM_INC_2FA, 2), WM_ROLE_SECURITY_LEAD);
	ck_assert_int_eq(wm_incident_role(WM_INC_SERVICE_DOWN, 2), WM_ROLE_TECH_LEAD);
	ck_assert_int_eq(wm_incident_role(WM_INC_MONITORING_LOST, 3), WM_ROLE_CTO);
}
END_TEST

START_TEST(test_late_advance_catches_up)
{
	/* The driver was busy for 12 minutes: both missed escalations happen. */
	down(0, WM_INC_DATABASE, "postgres");
	advance(12 * M);
	ck_assert_str_eq(drain(), "open:INC-1:postgres:on-call!INC-1/open/1 "
				  "escalate:INC-1:postgres:secondary!INC-1/escalate/2 "
				  "escalate:INC-1:postgres:database-admin!INC-1/escalate/3");
	ck_assert_int_eq(wm_incidents_find(set, "INC-1")->level_ms, T0 + 10 * M);
}
END_TEST

START_TEST(test_renotify_interval)
{
	struct wm_incident_conf c;

	wm_incidents_free(set);
	wm_incident_conf_default(&c);
	c.response_ms[WM_INC_FRONTEND] = 1000 * M; /* keep escalation out of the way */
	c.renotify_ms = 10 * M;
	set = wm_incidents_new(&c);
	down(0, WM_INC_FRONTEND, "frontend");
	advance(9 * M);
	advance(10 * M);
	advance(15 * M);
	advance(20 * M);
	ck_assert_str_eq(drain(), "open:INC-1:frontend:on-call!INC-1/open/1 "
				  "renotify:INC-1:frontend:on-call!INC-1/renotify/2 "
				  "renotify:INC-1:frontend:on-call!INC-1/renotify/3");
}
END_TEST

START_TEST(test_flapping)
{
	/* down/up every minute: opened, reopened twice, then flapping and quiet */
	down(0, WM_INC_SERVICE_DOWN, "redis");
	up(1 * M, WM_INC_SERVICE_DOWN, "redis");
	down(2 * M, WM_INC_SERVICE_DOWN, "redis");
	up(3 * M, WM_INC_SERVICE_DOWN, "redis");
	down(4 * M, WM_INC_SERVICE_DOWN, "redis");
	up(5 * M, WM_INC_SERVICE_DOWN, "redis");
	down(6 * M, WM_INC_SERVICE_DOWN, "redis");
	up(7 * M, WM_INC_SERVICE_DOWN, "redis");
	down(8 * M, WM_INC_SERVICE_DOWN, "redis");
	up(9 * M, WM_INC_SERVICE_DOWN, "redis");
	ck_assert_str_eq(drain(), "open:INC-1:redis:on-call!INC-1/open/1 "
				  "resolve:INC-1:redis:on-call!INC-1/resolve/2 "
				  "reopen:INC-1:redis:on-call!INC-1/reopen/3 "
				  "resolve:INC-1:redis:on-call!INC-1/resolve/4 "
				  "reopen:INC-1:redis:on-call!INC-1/reopen/5 "
				  "resolve:INC-1:redis:on-call!INC-1/resolve/6 "
				  "flapping:INC-1:redis:on-call!INC-1/flapping/7 "
				  "resolve:INC-1:redis:on-call "
				  "reopen:INC-1:redis:on-call "
				  "resolve:INC-1:redis:on-call");
	ck_assert_int_eq(wm_incidents_count(set), 1); /* one incident for the episode */
	advance(9 * M + 15 * M - 1);
	ck_assert_str_eq(drain(), "");
	advance(9 * M + 15 * M); /* stable for a whole window: closed, and said so */
	ck_assert_str_eq(drain(), "close:INC-1:redis:on-call!INC-1/close/8");
}
END_TEST

START_TEST(test_root_cause_postgres)
{
	static const char *const backend_deps[] = {"postgres", "redis"};
	static const char *const nginx_deps[] = {"backend", "frontend"};
	struct wm_err e = {0};

	ck_assert_int_eq(wm_incidents_set_deps(set, "backend", backend_deps, 2, &e), 0);
	ck_assert_int_eq(wm_incidents_set_deps(set, "nginx", nginx_deps, 2, &e), 0);
	/* postgres stops: the database, the backend's health, its errors, nginx's 502s */
	down(0, WM_INC_DATABASE, "postgres");
	down(0, WM_INC_SERVICE_DOWN, "postgres");
	down(10000, WM_INC_SERVICE_DOWN, "backend");
	down(20000, WM_INC_ERROR_RATE, "backend");
	down(30000, WM_INC_ERROR_RATE, "nginx");
	down(40000, WM_INC_SERVICE_DOWN, "redis"); /* unrelated to postgres: its own */
	ck_assert_str_eq(drain(), "open:INC-1:postgres:on-call!INC-1/open/1 "
				  "attach:INC-2:postgres:on-call<INC-1 "
				  "attach:INC-3:backend:on-call<INC-1 "
				  "attach:INC-4:backend:on-call<INC-1 "
				  "attach:INC-5:nginx:on-call<INC-1 "
				  "open:INC-6:redis:on-call!INC-6/open/1");
	/* Consequences are never escalated. */
	advance(5 * M);
	ck_assert_str_eq(drain(), "escalate:INC-1:postgres:secondary!INC-1/escalate/2");
	/* postgres back; the backend recovers within the grace, nginx does not. */
	up(6 * M, WM_INC_DATABASE, "postgres");
	up(6 * M, WM_INC_SERVICE_DOWN, "postgres");
	up(6 * M + 30000, WM_INC_SERVICE_DOWN, "backend");
	up(6 * M + 30000, WM_INC_ERROR_RATE, "backend");
	advance(8 * M - 1);
	ck_assert_str_eq(drain(), "resolve:INC-1:postgres:secondary!INC-1/resolve/3 "
				  "resolve:INC-2:postgres:on-call "
				  "resolve:INC-3:backend:on-call "
				  "resolve:INC-4:backend:on-call "
				  "escalate:INC-6:redis:secondary!INC-6/escalate/2");
	advance(8 * M);
	ck_assert_str_eq(drain(), "promote:INC-5:nginx:on-call!INC-5/promote/1");
	advance(13 * M);
	ck_assert_str_eq(drain(), "escalate:INC-5:nginx:secondary!INC-5/escalate/2 "
				  "escalate:INC-6:redis:tech-lead!INC-6/escalate/3");
}
END_TEST

/* Every service depends on every other (a cycle, and wide): each service's
 * dependencies are walked once.  Without a visited set root_of followed
 * 15^8 paths here (minutes); the case's timeout ends it. */
START_TEST(test_root_cause_cyclic_deps)
{
	enum { NSVC = 16 };
	char names[NSVC][8];
	const char *deps[NSVC - 1];
	struct wm_err e = {0};
	int64_t t0 = wm_monotonic_ms();

	for (int i = 0; i < NSVC; i++)
		snprintf(names[i], sizeof(names[i]), "s%d", i);
	for (int i = 0; i < NSVC; i++) {
		for (int j = 0, n = 0; j < NSVC; j++)
			if (j != i)
				deps[n++] = names[j];
		ck_assert_int_eq(wm_incidents_set_deps(set, names[i], deps, NSVC - 1, &e), 0);
	}
	down(0, WM_INC_SERVICE_DOWN, "s0"); /* no incident anywhere in the graph: its own */
	down(0, WM_INC_ERROR_RATE, "s1");   /* s0 is a dependency of s1: attached */
	ck_assert_str_eq(drain(), "open:INC-1:s0:on-call!INC-1/open/1 "
				  "attach:INC-2:s1:on-call<INC-1");
	ck_assert_msg(wm_monotonic_ms() - t0 < 5000, "took %lld ms",
		      (long long)(wm_monotonic_ms() - t0));
}
END_TEST

START_TEST(test_monitoring_lost_absorbs)
{
	down(0, WM_INC_MONITORING_LOST, "ssh");
	down(M, WM_INC_SERVICE_DOWN, "backend");
	down(M, WM_INC_FRONTEND, "frontend");
	ck_assert_str_eq(drain(), "open:INC-1:ssh:on-call!INC-1/open/1 "
				  "attach:INC-2:backend:on-call<INC-1 "
				  "attach:INC-3:frontend:on-call<INC-1");
	/* What was seen failing is no consequence of blindness: its own. */
	down(M, WM_INC_2FA, "2fa");
	down(M, WM_INC_UNAUTHORIZED, "access");
	ck_assert_str_eq(drain(), "open:INC-4:2fa:on-call!INC-4/open/1 "
				  "open:INC-5:access:on-call!INC-5/open/1");
	up(2 * M, WM_INC_2FA, "2fa");
	up(2 * M, WM_INC_UNAUTHORIZED, "access");
	(void)drain();
	/* Seen again, and the backend is really down: promoted after the grace. */
	up(3 * M, WM_INC_MONITORING_LOST, "ssh");
	up(3 * M, WM_INC_FRONTEND, "frontend");
	advance(5 * M);
	ck_assert_str_eq(drain(), "resolve:INC-1:ssh:on-call!INC-1/resolve/2 "
				  "resolve:INC-3:frontend:on-call "
				  "promote:INC-2:backend:on-call!INC-2/promote/1");
}
END_TEST

START_TEST(test_json_roundtrip_resume)
{
	struct wm_incidents *again = wm_incidents_new(NULL);
	struct wm_err e = {0};
	cJSON *j;

	down(0, WM_INC_2FA, "backend");
	advance(5 * M);
	drain();
	j = wm_incident_json(wm_incidents_find(set, "INC-1"));
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(cJSON_GetObjectItem(j, "kind")->valuestring, "2fa");
	ck_assert_str_eq(cJSON_GetObjectItem(j, "role")->valuestring, "secondary");
	ck_assert_str_eq(cJSON_GetObjectItem(j, "action")->valuestring,
			 "Check security middleware");
	/* A resumed driver continues where the journal left off. */
	ck_assert_int_eq(wm_incidents_restore(again, j, &e), 0);
	cJSON_Delete(j);
	wm_incidents_free(set);
	set = again;
	advance(10 * M);
	down(10 * M, WM_INC_FRONTEND, "frontend");
	ck_assert_str_eq(drain(), "escalate:INC-1:backend:security-lead!INC-1/escalate/3 "
				  "open:INC-2:frontend:on-call!INC-2/open/1");
	j = cJSON_Parse("{\"id\":\"INC-x\",\"kind\":\"2fa\"}");
	ck_assert_int_eq(wm_incidents_restore(set, j, &e), -1);
	ck_assert_int_eq(e.code, WM_EPROTO);
	cJSON_Delete(j);
}
END_TEST

START_TEST(test_depends_label)
{
	char names[4][WM_INCIDENT_SUBJECT_MAX];
	struct wm_err e = {0};

	/* Compose v2.17+: svc:condition:restart, in any order. */
	ck_assert_int_eq(wm_depends_parse("postgres:service_healthy:false,redis:service_started:"
					  "true",
					  names, 4, &e),
			 2);
	ck_assert_str_eq(names[0], "postgres");
	ck_assert_str_eq(names[1], "redis");
	/* v2.3-2.16 */
	ck_assert_int_eq(wm_depends_parse("backend:service_completed_successfully", names, 4, &e),
			 1);
	ck_assert_str_eq(names[0], "backend");
	/* v2.0-2.2, and a configuration value for Compose v1 */
	ck_assert_int_eq(wm_depends_parse("postgres, redis", names, 4, &e), 2);
	ck_assert_str_eq(names[1], "redis");
	ck_assert_int_eq(wm_depends_parse("", names, 4, &e), 0);
	ck_assert_int_eq(wm_depends_parse("  ", names, 4, &e), 0);
	static const char *const bad[] = {
	    "postgres:service_ready",
	    "postgres:service_healthy:maybe",
	    ",redis",
	    "postgres,",
	    "postgres:service_healthy:",
	    ":service_started",
	    "a:service_started:false:extra",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e.code = 0;
		ck_assert_msg(wm_depends_parse(bad[i], names, 4, &e) == -1, "'%s' accepted",
			      bad[i]);
		ck_assert_int_eq(e.code, WM_EINVAL);
	}
	ck_assert_int_eq(wm_depends_parse("a,b,c", names, 2, &e), -1);
	ck_assert_int_eq(e.code, WM_ETOOBIG);
}
END_TEST

START_TEST(test_names)
{
	for (int k = 0; k < WM_INC_NKINDS; k++)
		ck_assert_int_eq(wm_incident_kind_parse(wm_incident_kind_name(k)), k);
	ck_assert_int_eq(wm_incident_kind_parse("meteor"), -1);
	ck_assert_str_eq(wm_role_name(WM_ROLE_DBA), "database-admin");
	ck_assert_str_eq(wm_incident_act_name(WM_ACT_CLOSE), "close");
}
END_TEST

/* Journal every action as the driver does, replay into a fresh set: same state. */
START_TEST(test_replay)
{
	struct wm_incidents *again = wm_incidents_new(NULL);
	cJSON *recs = cJSON_CreateArray(), *r;
	size_t n;

	down(0, WM_INC_DATABASE, "postgres");
	down(0, WM_INC_SERVICE_DOWN, "redis");
	up(M, WM_INC_SERVICE_DOWN, "redis");
	advance(5 * M);
	advance(20 * M); /* redis closed after its flap window */
	for (size_t i = 0; i < acts.n; i++) {
		const struct wm_incident *inc = wm_incidents_find(set, acts.a[i].id);
		struct wm_incident gone = {0};

		if (!inc) { /* closed: the record carries what it was */
			snprintf(gone.id, sizeof(gone.id), "%s", acts.a[i].id);
			inc = &gone;
		}
		r = cJSON_CreateObject();
		cJSON_AddStringToObject(r, "type", "incident");
		cJSON_AddStringToObject(r, "event", wm_incident_act_name(acts.a[i].act));
		cJSON_AddItemToObject(r, "incident", wm_incident_json(inc));
		cJSON_AddItemToArray(recs, r);
	}
	r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "type", "note");
	cJSON_AddItemToArray(recs, r);
	drain();
	cJSON_ArrayForEach(r, recs) ck_assert_int_eq(wm_incidents_replay(r, again), 0);
	n = wm_incidents_count(again);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(memcmp(wm_incidents_get(again, 0), wm_incidents_find(set, "INC-1"),
				sizeof(struct wm_incident)),
			 0);
	/* Numbering continues after the replayed incidents. */
	wm_incidents_free(set);
	set = again;
	down(30 * M, WM_INC_FRONTEND, "frontend");
	ck_assert_str_eq(drain(), "open:INC-3:frontend:on-call!INC-3/open/1");
	r = cJSON_Parse(
	    "{\"type\":\"incident\",\"event\":\"open\",\"incident\":{\"id\":\"INC-9\"}}");
	ck_assert_int_eq(wm_incidents_replay(r, set), 2);
	cJSON_Delete(r);
	cJSON_Delete(recs);
}
END_TEST

static const char *
jstr(const cJSON *o, const char *path)
{
	char key[32];
	const char *dot = strchr(path, '.');

	if (dot) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		return jstr(cJSON_GetObjectItemCaseSensitive(o, key), dot + 1);
	}
	o = cJSON_GetObjectItemCaseSensitive(o, path);
	ck_assert_msg(cJSON_IsString(o), "%s is not a string", path);
	return o->valuestring;
}

START_TEST(test_payloads)
{
	const struct wm_incident *inc;
	cJSON *h, *a;

	down(0, WM_INC_DATA_LOSS, "postgres");
	inc = wm_incidents_find(set, "INC-1");
	h = wm_incident_hook_json(inc, &acts.a[0], "prod", T0 + 1500, false);
	ck_assert_ptr_nonnull(h);
	ck_assert_str_eq(jstr(h, "key"), "INC-1/open/1");
	ck_assert_str_eq(jstr(h, "event"), "open");
	ck_assert_str_eq(jstr(h, "time"), "2026-11-28T00:00:01.500Z");
	ck_assert_str_eq(jstr(h, "incident.action"), "Stop all writes");
	ck_assert_str_eq(jstr(h, "incident.role"), "cto");
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(h, "drill")));
	cJSON_Delete(h);
	a = wm_incident_am_alert(inc, "prod", T0, 0, T0 + 60000, 4 * 60000, false);
	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(jstr(a, "labels.alertname"), "WmIncident");
	ck_assert_str_eq(jstr(a, "labels.severity"), "critical");
	ck_assert_str_eq(jstr(a, "labels.kind"), "data-loss");
	ck_assert_str_eq(jstr(a, "labels.incident"), "INC-1");
	ck_assert_str_eq(jstr(a, "annotations.action"), "Stop all writes");
	ck_assert_str_eq(jstr(a, "startsAt"), "2026-11-28T00:00:00.000Z");
	ck_assert_str_eq(jstr(a, "endsAt"), "2026-11-28T00:05:00.000Z"); /* held while open */
	cJSON_Delete(a);
	a = wm_incident_am_alert(inc, NULL, T0, T0 + 120000, T0 + 180000, 60000, true);
	ck_assert_str_eq(jstr(a, "labels.alertname"), "WmDrill");
	ck_assert_str_eq(jstr(a, "labels.severity"), "drill");
	ck_assert_str_eq(jstr(a, "labels.target"), "local");
	ck_assert_str_eq(jstr(a, "endsAt"), "2026-11-28T00:02:00.000Z"); /* resolved */
	cJSON_Delete(a);
}
END_TEST

static Suite *
incident_suite(void)
{
	Suite *s = suite_create("incident");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_open_escalate_ack_resolve);
	tcase_add_test(tc, test_chains_and_response_times);
	tcase_add_test(tc, test_late_advance_catches_up);
	tcase_add_test(tc, test_renotify_interval);
	tcase_add_test(tc, test_flapping);
	tcase_add_test(tc, test_root_cause_postgres);
	tcase_add_test(tc, test_root_cause_cyclic_deps);
	tcase_add_test(tc, test_monitoring_lost_absorbs);
	tcase_add_test(tc, test_json_roundtrip_resume);
	tcase_add_test(tc, test_depends_label);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_payloads);
	tcase_add_test(tc, test_replay);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return wm_unit_run(incident_suite());
}
