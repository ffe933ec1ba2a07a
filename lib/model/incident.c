/* incident.c - the incident state machine (see incident.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/incident.h"

#define MIN_MS INT64_C(60000)
#define DEPTH_MAX 8 /* dependency chains longer than this are not followed */

struct dep {
	char service[WM_INCIDENT_SUBJECT_MAX];
	size_t n;
	char (*names)[WM_INCIDENT_SUBJECT_MAX];
};

struct wm_incidents {
	struct wm_incident_conf conf;
	size_t n, cap;
	struct wm_incident *inc;
	size_t n_deps, cap_deps;
	struct dep *deps;
	int next_id;
};

void
wm_incident_conf_default(struct wm_incident_conf *c)
{
	for (int k = 0; k < WM_INC_NKINDS; k++)
		c->response_ms[k] = 5 * MIN_MS;
	c->response_ms[WM_INC_UNAUTHORIZED] = 2 * MIN_MS;
	c->response_ms[WM_INC_DATA_LOSS] = 0;
	for (int r = 0; r < WM_ROLE_N; r++)
		c->role_response_ms[r] = -1;
	c->renotify_ms = 30 * MIN_MS;
	c->flap_window_ms = 15 * MIN_MS;
	c->flap_threshold = 3;
	c->consequence_grace_ms = 2 * MIN_MS;
}

struct wm_incidents *
wm_incidents_new(const struct wm_incident_conf *conf)
{
	struct wm_incidents *set = calloc(1, sizeof(*set));

	if (!set)
		return NULL;
	if (conf)
		set->conf = *conf;
	else
		wm_incident_conf_default(&set->conf);
	set->next_id = 1;
	return set;
}

void
wm_incidents_free(struct wm_incidents *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n_deps; i++)
		free(set->deps[i].names);
	free(set->deps);
	free(set->inc);
	free(set);
}

void
wm_incident_actions_free(struct wm_incident_actions *acts)
{
	free(acts->a);
	acts->a = NULL;
	acts->n = acts->cap = 0;
}

int
wm_incidents_set_deps(struct wm_incidents *set, const char *service, const char *const *deps,
		      size_t n, struct wm_err *err)
{
	struct dep *d = NULL;
	void *names;

	if (strlen(service) >= WM_INCIDENT_SUBJECT_MAX)
		return wm_err_set(err, WM_EINVAL, "service name too long");
	for (size_t i = 0; i < n; i++)
		if (!*deps[i] || strlen(deps[i]) >= WM_INCIDENT_SUBJECT_MAX)
			return wm_err_set(err, WM_EINVAL, "%s: empty or overlong dependency",
					  service);
	for (size_t i = 0; i < set->n_deps && !d; i++)
		if (!strcmp(set->deps[i].service, service))
			d = &set->deps[i];
	if (!(names = calloc(n ? n : 1, WM_INCIDENT_SUBJECT_MAX)))
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	if (!d) {
		if (set->n_deps == set->cap_deps) {
			size_t cap = set->cap_deps ? 2 * set->cap_deps : 8;
			void *p = realloc(set->deps, cap * sizeof(*set->deps));

			if (!p) {
				free(names);
				return wm_err_set(err, WM_ENOMEM, "out of memory");
			}
			set->deps = p;
			set->cap_deps = cap;
		}
		d = &set->deps[set->n_deps++];
		snprintf(d->service, sizeof(d->service), "%s", service);
		d->names = NULL;
	}
	free(d->names);
	d->names = names;
	d->n = n;
	for (size_t i = 0; i < n; i++)
		snprintf(d->names[i], WM_INCIDENT_SUBJECT_MAX, "%s", deps[i]);
	return 0;
}

const struct wm_incident *
wm_incidents_find(const struct wm_incidents *set, const char *id)
{
	for (size_t i = 0; i < set->n; i++)
		if (!strcmp(set->inc[i].id, id))
			return &set->inc[i];
	return NULL;
}

size_t
wm_incidents_count(const struct wm_incidents *set)
{
	return set->n;
}

const struct wm_incident *
wm_incidents_get(const struct wm_incidents *set, size_t i)
{
	return i < set->n ? &set->inc[i] : NULL;
}

static struct wm_incident *
episode(struct wm_incidents *set, enum wm_incident_kind kind, const char *subject)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->inc[i].kind == kind && !strcmp(set->inc[i].subject, subject))
			return &set->inc[i];
	return NULL;
}

/* The root incident a failure of subject is a consequence of, or NULL:
 * monitoring lost (not for 2FA, unauthorized access, data loss), an unresolved incident of another
 * kind about the same subject (postgres down and the database unavailable are one incident), or one
 * of a (transitive) dependency.  seen[i] marks set->deps[i] as followed already, so each service's
 * dependencies are walked once: cyclic or wide depends_on costs O(deps), not deps^DEPTH_MAX. */
static const struct wm_incident *
root_of(const struct wm_incidents *set, enum wm_incident_kind kind, const char *subject, int depth,
	bool *seen)
{
	const struct dep *d = NULL;
	size_t di = 0;

	/* Blindness explains what could not be seen, not what was: a probe that
	 * got through, a violation in the logs, rows fewer than counted before
	 * are their own incidents even while monitoring is lost. */
	if (depth == 0 && kind != WM_INC_MONITORING_LOST && kind != WM_INC_2FA &&
	    kind != WM_INC_UNAUTHORIZED && kind != WM_INC_DATA_LOSS)
		for (size_t i = 0; i < set->n; i++)
			if (set->inc[i].kind == WM_INC_MONITORING_LOST &&
			    set->inc[i].state != WM_INC_RESOLVED)
				return &set->inc[i];
	if (depth == 0)
		for (size_t i = 0; i < set->n; i++)
			if (set->inc[i].kind != kind && set->inc[i].state != WM_INC_RESOLVED &&
			    !set->inc[i].root[0] && !strcmp(set->inc[i].subject, subject))
				return &set->inc[i];
	if (depth >= DEPTH_MAX)
		return NULL;
	for (; di < set->n_deps && !d; di++)
		if (!strcmp(set->deps[di].service, subject))
			d = &set->deps[di];
	if (!d || seen[di - 1])
		return NULL;
	seen[di - 1] = true;
	for (size_t k = 0; k < d->n; k++) {
		const struct wm_incident *r;

		for (size_t i = 0; i < set->n; i++) {
			const struct wm_incident *c = &set->inc[i];

			if (c->state == WM_INC_RESOLVED || strcmp(c->subject, d->names[k]) != 0)
				continue;
			return c->root[0] ? wm_incidents_find(set, c->root) : c;
		}
		if ((r = root_of(set, kind, d->names[k], depth + 1, seen)))
			return r;
	}
	return NULL;
}

static int
emit(struct wm_incident_actions *out, enum wm_incident_act act, struct wm_incident *inc,
     bool notify, int64_t now)
{
	struct wm_incident_action *a;

	if (out->n == out->cap) {
		size_t cap = out->cap ? 2 * out->cap : 8;
		void *p = realloc(out->a, cap * sizeof(*out->a));

		if (!p)
			return -1;
		out->a = p;
		out->cap = cap;
	}
	a = &out->a[out->n++];
	memset(a, 0, sizeof(*a));
	a->act = act;
	memcpy(a->id, inc->id, sizeof(a->id));
	memcpy(a->root, inc->root, sizeof(a->root));
	a->kind = inc->kind;
	memcpy(a->subject, inc->subject, sizeof(a->subject));
	a->level = inc->level;
	a->role = wm_incident_role(inc->kind, inc->level);
	a->notify = notify;
	a->at_ms = now;
	if (notify) {
		inc->notifications++;
		inc->notified = true;
		inc->last_notify_ms = now;
		snprintf(a->key, sizeof(a->key), "%s/%s/%d", inc->id, wm_incident_act_name(act),
			 inc->notifications);
	}
	return 0;
}

/* How long inc may wait at its level: its kind's response time, or its
 * role's when that is shorter. */
static int64_t
level_response(const struct wm_incidents *set, const struct wm_incident *inc)
{
	int64_t resp = set->conf.response_ms[inc->kind];
	int64_t role = set->conf.role_response_ms[wm_incident_role(inc->kind, inc->level)];

	return role >= 0 && role < resp ? role : resp;
}

/* Up the chain while the level's response time has passed unacknowledged. */
static int
escalate(struct wm_incidents *set, struct wm_incident *inc, int64_t now,
	 struct wm_incident_actions *out)
{
	int64_t resp;

	while (inc->state == WM_INC_OPEN && !inc->root[0] && inc->level < WM_INCIDENT_LEVELS - 1 &&
	       now - inc->level_ms >= (resp = level_response(set, inc))) {
		inc->level++;
		inc->level_ms += resp;
		if (emit(out, WM_ACT_ESCALATE, inc, true, now))
			return -1;
	}
	return 0;
}

static struct wm_incident *
new_incident(struct wm_incidents *set)
{
	struct wm_incident *inc;

	if (set->n == set->cap) {
		size_t cap = set->cap ? 2 * set->cap : 8;
		void *p = realloc(set->inc, cap * sizeof(*set->inc));

		if (!p)
			return NULL;
		set->inc = p;
		set->cap = cap;
	}
	inc = &set->inc[set->n++];
	memset(inc, 0, sizeof(*inc));
	snprintf(inc->id, sizeof(inc->id), "INC-%d", set->next_id++);
	return inc;
}

int
wm_incidents_put(struct wm_incidents *set, const struct wm_incident *inc, struct wm_err *err)
{
	struct wm_incident *dst = (struct wm_incident *)wm_incidents_find(set, inc->id);
	char *end = NULL;
	long n = strncmp(inc->id, "INC-", 4) ? 0 : strtol(inc->id + 4, &end, 10);

	if (n < 1 || n > 1000000000 || !end || *end || (unsigned)inc->kind >= WM_INC_NKINDS ||
	    (unsigned)inc->state > WM_INC_RESOLVED || inc->level < 0 ||
	    inc->level >= WM_INCIDENT_LEVELS)
		return wm_err_set(err, WM_EPROTO, "incident '%.20s': bad id, kind, state or level",
				  inc->id);
	if (!dst) {
		int next = set->next_id;

		if (!(dst = new_incident(set)))
			return wm_err_set(err, WM_ENOMEM, "out of memory");
		set->next_id = next;
	}
	*dst = *inc;
	if (n >= set->next_id)
		set->next_id = (int)n + 1;
	return 0;
}

int
wm_incidents_replay(const cJSON *rec, void *ctx)
{
	struct wm_incidents *set = ctx;
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(rec, "type");
	const cJSON *ev = cJSON_GetObjectItemCaseSensitive(rec, "event");
	const cJSON *inc = cJSON_GetObjectItemCaseSensitive(rec, "incident");
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(inc, "id");

	if (!cJSON_IsString(type) || strcmp(type->valuestring, "incident") != 0)
		return 0;
	if (!cJSON_IsString(ev) || !cJSON_IsString(id))
		return 2;
	if (!strcmp(ev->valuestring, "close")) {
		size_t keep = 0;

		for (size_t i = 0; i < set->n; i++)
			if (strcmp(set->inc[i].id, id->valuestring) != 0)
				set->inc[keep++] = set->inc[i];
		set->n = keep;
		return 0;
	}
	return wm_incidents_restore(set, inc, NULL) ? 2 : 0;
}

int
wm_incidents_fail(struct wm_incidents *set, int64_t now, enum wm_incident_kind kind,
		  const char *subject, const char *detail, struct wm_incident_actions *out)
{
	struct wm_incident *inc = episode(set, kind, subject);
	const struct wm_incident *root;
	bool *seen;
	int rc;

	if ((unsigned)kind >= WM_INC_NKINDS)
		return -1;
	if (inc && inc->state != WM_INC_RESOLVED) {
		inc->last_fail_ms = now;
		snprintf(inc->detail, sizeof(inc->detail), "%s", detail ? detail : "");
		return 0;
	}
	seen = calloc(set->n_deps + 1, sizeof(*seen));
	if (!seen)
		return -1;
	root = root_of(set, kind, subject, 0, seen);
	free(seen);
	if (!inc) {
		char root_id[WM_INCIDENT_ID_MAX] = "";

		if (root) /* new_incident may move the array under root */
			memcpy(root_id, root->id, sizeof(root_id));
		if (!(inc = new_incident(set)))
			return -1;
		inc->kind = kind;
		snprintf(inc->subject, sizeof(inc->subject), "%s", subject);
		memcpy(inc->root, root_id, sizeof(inc->root));
		inc->opened_ms = now;
		rc = emit(out, root_id[0] ? WM_ACT_ATTACH : WM_ACT_OPEN, inc, !root_id[0], now);
	} else {
		/* A failure within the flap window: the same episode again. */
		snprintf(inc->root, sizeof(inc->root), "%s", root ? root->id : "");
		inc->reopenings++;
		if (root) {
			rc = emit(out, WM_ACT_ATTACH, inc, false, now);
		} else if (!inc->flapping && inc->reopenings >= set->conf.flap_threshold) {
			inc->flapping = true;
			rc = emit(out, WM_ACT_FLAPPING, inc, true, now);
		} else {
			rc = emit(out, WM_ACT_REOPEN, inc, !inc->flapping, now);
		}
	}
	inc->state = WM_INC_OPEN;
	inc->level_ms = now;
	inc->last_fail_ms = now;
	snprintf(inc->detail, sizeof(inc->detail), "%s", detail ? detail : "");
	return rc ? -1 : escalate(set, inc, now, out);
}

int
wm_incidents_ok(struct wm_incidents *set, int64_t now, enum wm_incident_kind kind,
		const char *subject, struct wm_incident_actions *out)
{
	struct wm_incident *inc = episode(set, kind, subject);

	if (!inc || inc->state == WM_INC_RESOLVED)
		return 0;
	inc->state = WM_INC_RESOLVED;
	inc->resolved_ms = now;
	return emit(out, WM_ACT_RESOLVE, inc, inc->notified && !inc->flapping && !inc->root[0],
		    now);
}

int
wm_incidents_ack(struct wm_incidents *set, int64_t now, const char *id,
		 struct wm_incident_actions *out, struct wm_err *err)
{
	struct wm_incident *inc = (struct wm_incident *)wm_incidents_find(set, id);

	if (!inc)
		return wm_err_set(err, WM_ENOTFOUND, "no incident %.20s", id);
	if (inc->state == WM_INC_RESOLVED)
		return wm_err_set(err, WM_EINVAL, "%s is resolved already", id);
	if (inc->state == WM_INC_ACKED)
		return 0; /* twice is once */
	inc->state = WM_INC_ACKED;
	inc->acked_ms = now;
	if (emit(out, WM_ACT_ACK, inc, false, now))
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	return 0;
}

int
wm_incidents_advance(struct wm_incidents *set, int64_t now, struct wm_incident_actions *out)
{
	size_t keep = 0;

	for (size_t i = 0; i < set->n; i++) {
		struct wm_incident *inc = &set->inc[i];

		if (inc->state != WM_INC_RESOLVED && inc->root[0]) {
			const struct wm_incident *r = wm_incidents_find(set, inc->root);

			if (!r || (r->state == WM_INC_RESOLVED &&
				   now - r->resolved_ms >= set->conf.consequence_grace_ms)) {
				inc->root[0] = '\0';
				inc->level_ms = now;
				if (emit(out, WM_ACT_PROMOTE, inc, true, now))
					return -1;
			}
		}
		if (inc->state == WM_INC_OPEN && !inc->root[0]) {
			if (escalate(set, inc, now, out))
				return -1;
			if (!inc->flapping && set->conf.renotify_ms > 0 &&
			    now - inc->last_notify_ms >= set->conf.renotify_ms &&
			    emit(out, WM_ACT_RENOTIFY, inc, true, now))
				return -1;
		}
	}
	for (size_t i = 0; i < set->n; i++) {
		struct wm_incident *inc = &set->inc[i];

		if (inc->state == WM_INC_RESOLVED &&
		    now - inc->resolved_ms >= set->conf.flap_window_ms) {
			if (emit(out, WM_ACT_CLOSE, inc, inc->flapping, now))
				return -1;
			continue; /* closed: dropped */
		}
		set->inc[keep++] = *inc;
	}
	set->n = keep;
	return 0;
}
