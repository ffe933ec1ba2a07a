/* watch_probe.c - the polled checks of a round: containers, the frontend,
 * the API, the database, the never-shrink tables, and the monitor's own
 * sight of the target (see watch.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "clients/pg.h"
#include "session/endpoint.h"
#include "run/watch_int.h"

#define FRONTEND_SUBJECT "/"
#define API_SUBJECT "/api/health"
#define DB_SUBJECT "postgres"

static bool
expected(const struct wm_target *t, const char *svc)
{
	if (!t->nservices)
		return true;
	for (size_t i = 0; i < t->nservices; i++)
		if (!strcmp(t->services[i], svc))
			return true;
	return false;
}

/* The URL checks depend on every service of the project: a page that fails
 * while a container is down is that container's consequence. */
static void
url_deps(struct wm_watch *w, const struct wm_container *c, size_t n)
{
	const char *names[WATCH_SERVICES_MAX];
	size_t k = 0;

	for (size_t i = 0; i < n && k < WATCH_SERVICES_MAX; i++)
		if (c[i].service)
			names[k++] = c[i].service;
	(void)wm_incidents_set_deps(w->inc, FRONTEND_SUBJECT, names, k, NULL);
	(void)wm_incidents_set_deps(w->inc, API_SUBJECT, names, k, NULL);
}

/* The compose depends_on labels (unless the configuration gives them). */
static void
label_deps(struct wm_watch *w, const struct wm_container *c)
{
	char names[16][WM_INCIDENT_SUBJECT_MAX];
	const char *p[16];
	struct wm_err e = {0};
	int n;

	if (w->deps_from_conf || !c->service || !c->depends_on)
		return;
	if ((n = wm_depends_parse(c->depends_on, names, 16, &e)) < 0) {
		wm_session_log(w->s, WM_LOG_VERBOSE, "watch: %s: depends_on label: %s", c->service,
			       e.msg);
		return;
	}
	for (int i = 0; i < n; i++)
		p[i] = names[i];
	(void)wm_incidents_set_deps(w->inc, c->service, p, (size_t)n, NULL);
}

/* Every expected service running and not unhealthy; false when Docker
 * could not be asked. */
static bool
containers(struct wm_watch *w, struct wm_watch_obs_list *l, cJSON *rec)
{
	const struct wm_target *t = wm_session_target(w->s);
	struct wm_container *c = NULL;
	struct wm_docker *d;
	struct wm_err e = {0};
	size_t n = 0, up = 0;
	cJSON *svcs;

	wm_session_start(w->s, 0);
	if (!(d = wm_session_docker(w->s, &e)) || wm_docker_list(d, w->project, &c, &n) < 0) {
		cJSON_AddStringToObject(rec, "docker_error", d ? d->err.msg : e.msg);
		wm_watch_sight(w, SIGHT_DOCKER, rec, d ? d->err.msg : e.msg);
		return false;
	}
	wm_watch_sight(w, SIGHT_DOCKER, rec, NULL);
	if (w->ev)
		wm_events_set_path(w->ev, wm_session_docker_path(w->s));
	url_deps(w, c, n);
	/* What wm-report reads: each expected service up, down, unhealthy or missing. */
	svcs = cJSON_AddObjectToObject(rec, "services");
	for (size_t i = 0; i < n; i++)
		label_deps(w, &c[i]);
	for (size_t k = 0; k < (t->nservices ? t->nservices : n); k++) {
		const char *svc = t->nservices ? t->services[k] : c[k].service;
		const struct wm_container *best = NULL;

		if (!svc || !expected(t, svc))
			continue;
		for (size_t i = 0; i < n; i++)
			if (c[i].service && !strcmp(c[i].service, svc) &&
			    (!best || !strcmp(c[i].state, "running")))
				best = &c[i];
		if (!best) {
			wm_watch_obs_add(l, WM_INC_SERVICE_DOWN, svc, true, "%s has no container",
					 svc);
			cJSON_AddStringToObject(svcs, svc, "missing");
		} else if (strcmp(best->state, "running") != 0) {
			wm_watch_obs_add(l, WM_INC_SERVICE_DOWN, svc, true, "%s is %s (%s)", svc,
					 best->state, best->status);
			cJSON_AddStringToObject(svcs, svc, "down");
		} else if (strstr(best->status, "(unhealthy)")) {
			wm_watch_obs_add(l, WM_INC_SERVICE_DOWN, svc, true, "%s is unhealthy", svc);
			cJSON_AddStringToObject(svcs, svc, "unhealthy");
		} else {
			wm_watch_obs_add(l, WM_INC_SERVICE_DOWN, svc, false, "%s is up", svc);
			cJSON_AddStringToObject(svcs, svc, "up");
			up++;
		}
	}
	cJSON_AddNumberToObject(rec, "services_up", (double)up);
	wm_docker_containers_free(c, n);
	return true;
}

/* GET base_url+path: status and time; -1 with why when there is no answer,
 * -2 when the URL could not be reached through the session (the tunnel, a
 * base_url that is not http(s)://HOST[:PORT]: not looked at, not a failure
 * of the page).  The URL, its tunnel and TLS settings as every program's
 * (session/endpoint.h). */
static int
get(struct wm_watch *w, const char *path, long *status, double *ms, char *why, size_t wlen)
{
	char *url = wm_endpoint_url(wm_session_target(w->s)->base_url, path);
	char sock[256], label[300], ca[1024];
	struct wm_http_req req = {.body_max = 1 << 20};
	struct wm_http_resp resp;
	struct wm_err e = {0};
	int rc;

	if (!url || wm_endpoint_http(w->s, url, sock, sizeof(sock), label, sizeof(label), &e) < 0) {
		snprintf(why, wlen, "%s", url ? e.msg : "out of memory");
		free(url);
		return -2;
	}
	req.url = url;
	req.unix_socket = sock[0] ? sock : NULL;
	wm_endpoint_http_tls(w->s, &req, ca, sizeof(ca));
	/* Long enough to measure a slow answer past the bound, never unbounded. */
	req.timeout_ms = 2 * w->api_slow_ms;
	rc = wm_http_request(w->http, &req, &resp, &e);
	if (rc == 0) {
		*status = resp.status;
		*ms = resp.t.total_ms;
	} else {
		snprintf(why, wlen, "%s", e.msg);
	}
	wm_http_resp_free(&resp);
	free(url);
	return rc;
}

static void
urls(struct wm_watch *w, struct wm_watch_obs_list *l, cJSON *rec)
{
	long st = 0;
	double ms = NAN;
	char why[WM_ERR_MSG_MAX];
	int rc;

	if (!wm_session_target(w->s)->base_url)
		return;
	if ((rc = get(w, "/", &st, &ms, why, sizeof(why))) == -2)
		wm_watch_sight(w, SIGHT_FRONTEND, rec, why);
	else if (rc < 0)
		wm_watch_obs_add(l, WM_INC_FRONTEND, FRONTEND_SUBJECT, true,
				 "frontend not loading: %s", why);
	else if (st >= 400)
		wm_watch_obs_add(l, WM_INC_FRONTEND, FRONTEND_SUBJECT, true,
				 "frontend not loading: HTTP %ld", st);
	else
		wm_watch_obs_add(l, WM_INC_FRONTEND, FRONTEND_SUBJECT, false, "frontend loads");
	if (rc != -2)
		wm_watch_sight(w, SIGHT_FRONTEND, rec, NULL);
	cJSON_AddNumberToObject(rec, "frontend_ms", isnan(ms) ? -1 : ms);
	ms = NAN;
	if ((rc = get(w, "/api/health", &st, &ms, why, sizeof(why))) == -2)
		wm_watch_sight(w, SIGHT_API, rec, why);
	else if (rc < 0)
		wm_watch_obs_add(l, WM_INC_ERROR_RATE, API_SUBJECT, true,
				 "API /api/health not answering: %s", why);
	else if (st < 200 || st >= 300)
		wm_watch_obs_add(l, WM_INC_ERROR_RATE, API_SUBJECT, true,
				 "API /api/health: HTTP %ld", st);
	else if (ms > (double)w->api_slow_ms)
		wm_watch_obs_add(l, WM_INC_ERROR_RATE, API_SUBJECT, true,
				 "API over %lld ms (/api/health took %.0f ms)",
				 (long long)w->api_slow_ms, ms);
	else
		wm_watch_obs_add(l, WM_INC_ERROR_RATE, API_SUBJECT, false, "API answers");
	if (rc != -2)
		wm_watch_sight(w, SIGHT_API, rec, NULL);
	cJSON_AddNumberToObject(rec, "api_ms", isnan(ms) ? -1 : ms);
}

/* One never-shrink table against its high-water mark; -1 with why when its
 * rows could not be counted (neither lost nor fine: unknown). */
static int
table(struct wm_watch *w, struct wm_pg *pg, struct watch_table *tb, struct wm_watch_obs_list *l,
      cJSON *counts, char *why, size_t wlen)
{
	char subject[WM_INCIDENT_SUBJECT_MAX];
	struct wm_err e = {0};
	long long rows;

	(void)w;
	snprintf(subject, sizeof(subject), "table:%.50s", tb->name);
	if (wm_pg_table_rows(pg, tb->name, &rows, &e) < 0) {
		snprintf(why, wlen, "%.20s: rows not counted: %.50s", tb->name, e.msg);
		return -1;
	}
	cJSON_AddNumberToObject(counts, tb->name, (double)(rows > tb->high ? rows : tb->high));
	if (tb->high >= 0 && rows < tb->high) {
		wm_watch_obs_add(l, WM_INC_DATA_LOSS, subject, true,
				 "%s: %lld rows, %lld fewer than its high-water mark %lld",
				 tb->name, rows, tb->high - rows, tb->high);
		return 0;
	}
	tb->high = rows;
	wm_watch_obs_add(l, WM_INC_DATA_LOSS, subject, false, "%s: %lld rows", tb->name, rows);
	return 0;
}

/* The never-shrink tables over a connection of their own (p: the ready
 * database's parameters).  What cannot be counted is unknown for the round
 * and counts toward "monitoring lost", never skipped in silence. */
static void
tables(struct wm_watch *w, struct wm_pg_params *p, struct wm_watch_obs_list *l, cJSON *rec)
{
	const struct wm_target *t = wm_session_target(w->s);
	char pw[WM_SECRET_MAX] = "", why[WM_INCIDENT_DETAIL_MAX / 2] = "";
	struct wm_err e = {0};
	struct wm_pg *pg;
	cJSON *counts;
	double ms = NAN;

	if (wm_secret_get(t, t->postgres_password_file, NULL, pw, sizeof(pw), &e) < 0) {
		snprintf(why, sizeof(why), "the database password: %.70s", e.msg);
		wm_watch_sight(w, SIGHT_TABLES, rec, why);
		return;
	}
	p->password = *pw ? pw : NULL;
	pg = wm_pg_connect(p, &ms, &e);
	memset(pw, 0, sizeof(pw));
	p->password = NULL;
	if (!pg) {
		snprintf(why, sizeof(why), "tables not counted: %.70s", e.msg);
		wm_watch_sight(w, SIGHT_TABLES, rec, why);
		return;
	}
	counts = cJSON_AddObjectToObject(rec, "tables");
	for (size_t i = 0; counts && i < w->ntables; i++) {
		char one[sizeof(why)];

		if (table(w, pg, &w->tables[i], l, counts, one, sizeof(one)) < 0 && !*why)
			snprintf(why, sizeof(why), "%s", one); /* the first one says why */
	}
	wm_pg_free(pg);
	wm_watch_sight(w, SIGHT_TABLES, rec, *why ? why : NULL);
}

static void
database(struct wm_watch *w, struct wm_watch_obs_list *l, cJSON *rec)
{
	const struct wm_target *t = wm_session_target(w->s);
	char host[256], port[16], label[300], why[sizeof(label) + WM_ERR_MSG_MAX + 2];
	struct wm_pg_params p = {.conninfo = t->postgres};
	struct wm_err e = {0};
	enum wm_pg_ping ping;
	int64_t budget;

	if (!t->postgres)
		return;
	wm_session_start(w->s, 0);
	budget = wm_session_budget_ms(w->s, 0);
	if (wm_endpoint_pg(w->s, host, sizeof(host), port, sizeof(port), label, sizeof(label), &e) <
	    0) {
		/* the way to it (the tunnel) failed: not looked at */
		wm_watch_sight(w, SIGHT_DATABASE, rec, e.msg);
		return;
	}
	p.host = *host ? host : NULL;
	p.port = *port ? port : NULL;
	p.deadline_ms = wm_monotonic_ms() + budget;
	p.statement_timeout_ms = (int)budget;
	ping = wm_pg_ping_why(&p, &e); /* as wm-db's pg.ready */
	cJSON_AddStringToObject(rec, "db", wm_pg_ping_name(ping));
	if (e.code) { /* the name did not resolve: the server was never asked */
		snprintf(why, sizeof(why), "%s: %s", label, e.msg);
		wm_watch_sight(w, SIGHT_DATABASE, rec, why);
		return;
	}
	wm_watch_sight(w, SIGHT_DATABASE, rec, NULL);
	if (ping != WM_PG_PING_OK) {
		wm_watch_obs_add(l, WM_INC_DATABASE, DB_SUBJECT, true,
				 "database unavailable: %s: %s%s", label, wm_pg_ping_name(ping),
				 ping == WM_PG_PING_NO_ATTEMPT ? " (bad connection parameters)"
							       : "");
		return;
	}
	wm_watch_obs_add(l, WM_INC_DATABASE, DB_SUBJECT, false, "database ready");
	if (w->ntables)
		tables(w, &p, l, rec);
}

static const char *const sight_names[SIGHT_N] = {"docker", "frontend", "api", "database", "tables"};

void
wm_watch_sight(struct wm_watch *w, enum watch_sight k, cJSON *rec, const char *why)
{
	cJSON *u;

	if (!why) {
		w->unknown[k] = 0;
		return;
	}
	w->unknown[k]++;
	w->unknown_now = true;
	snprintf(w->why[k], sizeof(w->why[k]), "%s", why);
	if ((u = cJSON_GetObjectItemCaseSensitive(rec, "unknown")) ||
	    (u = cJSON_AddObjectToObject(rec, "unknown")))
		cJSON_AddStringToObject(u, sight_names[k], why);
}

/* Monitoring lost: a sight unknown lost_rounds rounds in a row (the Docker
 * API, the database, its tables, the URLs through the tunnel).  A monitor
 * that cannot see must say so, after lost_rounds rounds so that one slow
 * answer does not page; fine again only after a round that saw everything
 * it looked at. */
static void
lost(struct wm_watch *w, struct wm_watch_obs_list *l)
{
	int worst = -1;

	for (int k = 0; k < SIGHT_N; k++)
		if (w->unknown[k] >= w->lost_rounds &&
		    (worst < 0 || w->unknown[k] > w->unknown[worst]))
			worst = k;
	if (worst >= 0)
		wm_watch_obs_add(l, WM_INC_MONITORING_LOST, w->target, true,
				 "the monitor cannot see %s for %d rounds: %s: %s", w->target,
				 w->unknown[worst], sight_names[worst], w->why[worst]);
	else if (!w->unknown_now)
		wm_watch_obs_add(l, WM_INC_MONITORING_LOST, w->target, false, "the monitor sees %s",
				 w->target);
}

void
wm_watch_probe(struct wm_watch *w, struct wm_watch_obs_list *l, cJSON *rec)
{
	bool seen;

	w->unknown_now = false;
	seen = containers(w, l, rec);
	cJSON_AddBoolToObject(rec, "seen", seen);
	urls(w, l, rec);
	database(w, l, rec);
	lost(w, l);
}
