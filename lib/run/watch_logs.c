/* watch_logs.c - the watch's triggers that live in the logs and behind the
 * 2FA guard, looked at every round instead of only by the hourly security
 * tier (see watch.h):
 *
 *   errors        more than [watch] errors_per_min lines at level error or
 *                 above within one minute in a service's log (the runbook's
 *                 "more than 10 errors/minute"; error-rate, subject the
 *                 service, so a backend failing because postgres is down is
 *                 attached to postgres' incident);
 *   unauthorized  a security violation in the followed lines (a brute force,
 *                 an attack-shaped request answered 2xx, an intrusion word:
 *                 checks/security.h) or more than [watch] denied_per_min
 *                 401/403 answers within one minute in a security service's
 *                 log (unauthorized, subject "access");
 *   2FA           wm-security's "2fa" probe (checks/probe.h) getting through
 *                 (2fa, subject "2fa"), every round but at most once a
 *                 minute.
 *
 * The logs are followed with a cursor per container (session/logfollow.h):
 * each round asks the Engine for the lines since the last one read of each
 * container (GET /containers/{id}/logs?since=...), classified by the errors
 * unit's classifiers and fed to the security unit's analyzer.  A poll, not a
 * held stream: one list and one request per container per round, no thread
 * and no connection held between rounds, and the lines of a minute are read
 * once either way; the detection bound is one round.
 *
 * A burst is judged by the lines' own Docker times: limit + 1 lines within
 * 60 s.  A round whose lines hold one fails; a round without one is fine
 * again (each burst is an episode; model/incident.h joins episodes that
 * come back within 15 minutes).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/errors.h"
#include "checks/probe.h"
#include "checks/security_follow.h"
#include "logs/accesslog.h"
#include "logs/classify.h"
#include "session/logfollow.h"
#include "run/watch_int.h"

#define BURST_SPAN_MS 60000
#define TFA_EVERY_MS 60000 /* the probe at most once a minute (real time) */
#define TFA_SUBJECT "2fa"
#define ACCESS_SUBJECT "access"

/* A ring of the last limit + 1 times of one kind of line of one service. */
struct burst {
	int64_t t[WATCH_BURST_MAX + 1];
	size_t n, next;
	long round; /* lines of this round in the ring's newest */
	long hit;   /* the round in which a burst was seen */
	int64_t span_ms;
};

struct logsvc {
	char name[WM_INCIDENT_SUBJECT_MAX];
	bool security; /* one of the security unit's services */
	bool access;   /* one of its access services (nginx) */
	uint64_t lines;
	struct burst err, denied;
};

struct wm_watch_logs {
	struct wm_watch *w;
	struct wm_logfollow *cursor;
	struct wm_logstream *ls;
	struct wm_classify_set *classes;
	struct wm_errors *names; /* compose names to services, nothing else */
	struct wm_zone_overrides zones;
	struct wm_security_follow *sec;
	struct wm_security *an; /* its analyzer, NULL when off */
	struct wm_log_analyzer sec_an;
	struct wm_security_counts prev;
	size_t nsvc;
	struct logsvc svc[WATCH_LOG_SVCS];
	uint64_t round_lines;
	const char *mark;		 /* the suite's requests' mark (wm_session_self_mark) */
	bool access_followed;		 /* an access service's log is followed */
	uint64_t self_denied;		 /* refused requests of our own, left out */
	int64_t tfa_last;		 /* monotonic ms of the last probe, 0: never */
	struct wm_probe_token tfa_token; /* the probe's login, kept between rounds */
};

static struct logsvc *
logsvc(struct wm_watch_logs *g, const char *name)
{
	struct logsvc *v;

	for (size_t i = 0; i < g->nsvc; i++)
		if (!strcmp(g->svc[i].name, name))
			return &g->svc[i];
	if (g->nsvc == WATCH_LOG_SVCS)
		return NULL;
	v = &g->svc[g->nsvc++];
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->security = g->sec && wm_security_follow_reads(g->sec, name, &v->access);
	return v;
}

/* One line of kind b at t: a burst when limit + 1 lines fit in a minute. */
static void
burst_add(struct burst *b, int64_t t, int limit, long round)
{
	size_t cap = (size_t)limit + 1, oldest;

	if (t < 0)
		return;
	b->t[b->next] = t;
	b->next = (b->next + 1) % cap;
	if (b->n < cap)
		b->n++;
	if (b->n < cap)
		return;
	oldest = b->next; /* the ring is full: the next slot holds the oldest */
	if (t - b->t[oldest] < BURST_SPAN_MS) {
		b->hit = round;
		b->span_ms = t - b->t[oldest];
	}
}

static void
on_line(void *ctx, const struct wm_logline *ll)
{
	struct wm_watch_logs *g = ctx;
	const struct wm_watch *w = g->w;
	struct wm_errors_service *es = wm_errors_service(g->names, ll->service ? ll->service : "-",
							 ll->service ? ll->service_len : 1);
	struct logsvc *v = es ? logsvc(g, es->name) : NULL;
	int64_t t = ll->docker_ts_ms >= 0 ? ll->docker_ts_ms : ll->ts_ms;

	g->round_lines++;
	if (!v)
		return;
	v->lines++;
	if (ll->level >= WM_LVL_ERROR)
		burst_add(&v->err, t, w->errors_per_min, w->rounds);
	if (!v->security)
		return;
	g->sec_an.line(g->sec_an.ctx, ll);
	if (ll->status != 401 && ll->status != 403)
		return;
	/* each refusal once: nginx's line when nginx's log is followed (the
	 * backend's line of the same request cannot say who sent it) */
	if (ll->format == WM_LOGFMT_NGINX_ACCESS ? !v->access : g->access_followed)
		return;
	if (wm_accesslog_self(ll->agent, ll->agent_len, g->mark)) {
		g->self_denied++; /* our probes' refusals are by design */
		return;
	}
	burst_add(&v->denied, t, w->denied_per_min, w->rounds);
}

void
wm_watch_logs_free(struct wm_watch_logs *g)
{
	if (!g)
		return;
	wm_logfollow_free(g->cursor);
	wm_logstream_free(g->ls);
	wm_classify_set_free(g->classes);
	wm_errors_free(g->names);
	wm_security_follow_free(g->sec);
	wm_probe_token_wipe(&g->tfa_token);
	free(g);
}

struct wm_watch_logs *
wm_watch_logs_new(struct wm_watch *w, struct wm_err *err)
{
	struct wm_watch_logs *g = calloc(1, sizeof(*g));
	struct wm_errors_check_opts eo;
	struct wm_log_analyzer a;

	if (!g) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		return NULL;
	}
	g->w = w;
	wm_errors_check_defaults(&eo, wm_clock_wall_ms(w->clk));
	if (!(g->classes = wm_errors_classes(w->s, &eo, err)) ||
	    wm_errors_zones(w->s, &g->zones, err) < 0)
		goto fail;
	if (!(g->names = wm_errors_check_analyzer(w->s, &eo)) ||
	    !(g->cursor = wm_logfollow_new(wm_clock_wall_ms(w->clk))) ||
	    !(g->ls = wm_logstream_new(g->classes, 0)) ||
	    !(g->sec = wm_security_follow_new(w->s, err))) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		goto fail;
	}
	if (!(g->an = wm_security_follow_analyzer(g->sec))) {
		wm_session_log(w->s, WM_LOG_WARNING,
			       "watch: the logs' security analyzer is off: %s",
			       wm_security_follow_problem(g->sec));
	} else {
		g->sec_an = wm_security_analyzer(g->an);
		g->access_followed = wm_security_follow_access(g->sec);
	}
	g->mark = wm_session_self_mark(w->s);
	wm_logstream_set_zones(g->ls, &g->zones);
	a = wm_logfollow_analyzer(g->cursor);
	if (wm_logstream_add(g->ls, &a, err) < 0)
		goto fail;
	a = (struct wm_log_analyzer){on_line, g};
	if (wm_logstream_add(g->ls, &a, err) < 0)
		goto fail;
	return g;
fail:
	if (!err->code)
		wm_err_set(err, WM_ENOMEM, "out of memory");
	wm_watch_logs_free(g);
	return NULL;
}

/* What the security analyzer counted as a violation since the last round. */
static uint64_t
violations(const struct wm_security_counts *c)
{
	uint64_t n = c->brute_forces + c->words + (c->access_lines ? 0 : c->brute_accounts);

	for (int k = 0; k < WM_ATTACK_COUNT; k++)
		n += c->attacks_2xx[k];
	return n;
}

static void
judge_security(struct wm_watch_logs *g, struct wm_watch_obs_list *l, cJSON *rec)
{
	const struct wm_security_counts *c;
	const struct logsvc *flood = NULL;
	uint64_t now, before;

	if (!g->an)
		return;
	c = wm_security_counts(g->an);
	now = violations(c);
	before = violations(&g->prev);
	for (size_t i = 0; i < g->nsvc; i++)
		if (g->svc[i].security && g->svc[i].denied.hit == g->w->rounds)
			flood = &g->svc[i];
	if (now > before)
		wm_watch_obs_add(
		    l, WM_INC_UNAUTHORIZED, ACCESS_SUBJECT, true,
		    "unauthorized access: %llu security violations in the logs since the "
		    "last round (brute force %llu, intrusion words %llu)",
		    (unsigned long long)(now - before),
		    (unsigned long long)(c->brute_forces - g->prev.brute_forces),
		    (unsigned long long)(c->words - g->prev.words));
	else if (flood)
		wm_watch_obs_add(l, WM_INC_UNAUTHORIZED, ACCESS_SUBJECT, true,
				 "unauthorized access: more than %d requests refused (401/403) "
				 "within a minute in %s's log (%d within %.1f s)",
				 g->w->denied_per_min, flood->name, g->w->denied_per_min + 1,
				 (double)flood->denied.span_ms / 1000.0);
	else
		wm_watch_obs_add(l, WM_INC_UNAUTHORIZED, ACCESS_SUBJECT, false,
				 "no unauthorized access in the logs");
	cJSON_AddNumberToObject(rec, "violations", (double)(now - before));
	cJSON_AddNumberToObject(rec, "self_denied", (double)g->self_denied);
	cJSON_AddNumberToObject(
	    rec, "denied",
	    (double)(c->unauthorized + c->forbidden + c->backend_unauthorized +
		     c->backend_forbidden -
		     (g->prev.unauthorized + g->prev.forbidden + g->prev.backend_unauthorized +
		      g->prev.backend_forbidden)));
	g->prev = *c;
}

/* Follow the logs one round further and judge what came. */
static void
follow(struct wm_watch_logs *g, struct wm_watch_obs_list *l, cJSON *rec)
{
	struct wm_watch *w = g->w;
	struct wm_err e = {0};
	int64_t t0 = wm_clock_mono_ms(w->clk);
	cJSON *bursts;

	g->round_lines = 0;
	if (wm_logfollow_poll(g->cursor, w->s, g->ls, NULL, NULL, NULL, &e) < 0) {
		wm_watch_sight(w, SIGHT_LOGS, rec, e.msg);
		return;
	}
	wm_watch_sight(w, SIGHT_LOGS, rec, NULL);
	cJSON_AddNumberToObject(rec, "log_lines", (double)g->round_lines);
	cJSON_AddNumberToObject(rec, "logs_ms", (double)(wm_clock_mono_ms(w->clk) - t0));
	bursts = cJSON_AddObjectToObject(rec, "error_bursts");
	for (size_t i = 0; i < g->nsvc; i++) {
		struct logsvc *v = &g->svc[i];

		if (v->err.hit == w->rounds) {
			wm_watch_obs_add(l, WM_INC_ERROR_RATE, v->name, true,
					 "more than %d errors/minute in %s's log (%d error lines "
					 "within %.1f s)",
					 w->errors_per_min, v->name, w->errors_per_min + 1,
					 (double)v->err.span_ms / 1000.0);
			cJSON_AddNumberToObject(bursts, v->name, (double)v->err.span_ms);
		} else {
			wm_watch_obs_add(l, WM_INC_ERROR_RATE, v->name, false,
					 "%s: errors under %d/minute", v->name, w->errors_per_min);
		}
	}
	judge_security(g, l, rec);
}

/* The 2FA probe: CRITICAL is the incident; UNKNOWN (the backend down, the
 * login refused) is said in the record and judged by the other checks. */
static void
tfa(struct wm_watch_logs *g, struct wm_watch_obs_list *l, cJSON *rec)
{
	static const char *const only[] = {"2fa"};
	struct wm_security_check_opts o = {
	    .no_logs = true, .probes = only, .nprobes = 1, .token = &g->tfa_token};
	struct wm_watch *w = g->w;
	int64_t mono = wm_clock_mono_ms(w->clk);
	struct wm_result *r;
	uint64_t through = 0;

	if (!wm_session_target(w->s)->base_url ||
	    (g->tfa_last && mono - g->tfa_last < TFA_EVERY_MS))
		return;
	g->tfa_last = mono;
	if (!(r = wm_result_new("wm-run", PACKAGE_VERSION, w->target)))
		return;
	if (wm_probes_run(w->s, &o, r, &through) == 0)
		for (size_t i = 0; i < r->nchecks; i++) {
			const struct wm_check *k = r->checks[i];

			if (strcmp(k->name, "security.probe.2fa") != 0)
				continue;
			cJSON_AddStringToObject(rec, "tfa", wm_state_name(k->state));
			cJSON_AddNumberToObject(rec, "tfa_logins", (double)g->tfa_token.logins);
			if (k->state == WM_CRITICAL)
				wm_watch_obs_add(l, WM_INC_2FA, TFA_SUBJECT, true, "%s",
						 k->summary);
			else if (k->state == WM_OK)
				wm_watch_obs_add(l, WM_INC_2FA, TFA_SUBJECT, false, "%s",
						 k->summary);
			else
				cJSON_AddStringToObject(rec, "tfa_unknown", k->summary);
		}
	wm_result_free(r);
}

void
wm_watch_logs_round(struct wm_watch *w, struct wm_watch_obs_list *l, cJSON *rec)
{
	if (!w->logs)
		return;
	follow(w->logs, l, rec);
	if (w->tfa)
		tfa(w->logs, l, rec);
}
