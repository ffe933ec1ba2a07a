/* check_perf.c - the perf check unit: the [perf] settings, the
 * application's metrics through the session (a tunnel for a remote
 * target), the sample, and the checks of perf_hist.c. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "checks/checks.h"
#include "checks/db.h"
#include "checks/perf.h"
#include "checks/perf_hist.h"
#include "checks/perf_int.h"
#include "clients/http.h"
#include "model/promtext.h"
#include "conf/conf.h"
#include "session/endpoint.h"
#include "store/sample.h"

/* A [perf] setting, or NULL. */
static const char *
setting(const struct wm_session *s, const char *key)
{
	const struct wm_config *cfg = wm_session_config(s);

	return cfg ? wm_config_get(cfg, "perf", key) : NULL;
}

/* [perf] db_p95_source: worse (default), app or pg.  -1 when it is none of them. */
static int
db_source(const struct wm_session *s, enum wm_perf_db_source *out)
{
	const char *v = setting(s, "db_p95_source");

	*out = WM_PERF_DB_WORSE;
	if (!v || strcmp(v, "worse") == 0)
		return 0;
	if (strcmp(v, "app") == 0)
		*out = WM_PERF_DB_APP;
	else if (strcmp(v, "pg") == 0)
		*out = WM_PERF_DB_PG;
	else
		return -1;
	return 0;
}

/* GET the metrics URL through the session into *resp.  -1 with err (the
 * client's error, or an answer other than 200). */
static int
fetch(struct wm_session *s, const char *url, struct wm_http_resp *resp, char *label, size_t lsize,
      struct wm_err *err)
{
	char sock[256], ca[1024];
	struct wm_http *h;
	struct wm_http_req req = {.url = url};
	int rc;

	memset(resp, 0, sizeof *resp);
	if (wm_endpoint_http(s, url, sock, sizeof sock, label, lsize, err) < 0)
		return -1;
	if (!(h = wm_endpoint_http_client(s, err)))
		return -1;
	req.unix_socket = sock[0] ? sock : NULL;
	req.body_max = WM_PROM_TEXT_MAX;
	wm_endpoint_http_tls(s, &req, ca, sizeof ca);
	req.timeout_ms = wm_session_budget_ms(s, 0);
	rc = wm_http_request(h, &req, resp, err);
	wm_http_free(h);
	if (rc == 0 && resp->status != 200)
		rc = wm_err_set(err, WM_EPROTO, "%s answered HTTP %ld", label, resp->status);
	return rc;
}

/* Source 1: the application's histograms over the window since prev (the
 * sample kept); *next the sample to keep, *db the DB query time. */
static int
app_source(struct wm_session *s, struct wm_result *r, const cJSON *prev, cJSON **next,
	   struct wm_perf_db_app *db)
{
	const struct wm_target *t = wm_session_target(s);
	struct wm_perf_hist_opts ho = {
	    .http_family = setting(s, "http_metric"),
	    .db_family = setting(s, "db_metric"),
	    .route_label = setting(s, "route_label"),
	    .method_label = setting(s, "method_label"),
	    .status_label = setting(s, "status_label"),
	};
	struct wm_http_resp resp;
	struct wm_err err = {0};
	char label[512];
	int rc;

	memset(db, 0, sizeof *db);
	snprintf(db->why, sizeof db->why, "the application's metrics could not be read");
	if (!t->metrics_url) {
		struct wm_check *c = wm_result_add_check(r, "perf.app");

		if (!c)
			return -1;
		wm_check_set(c, WM_UNKNOWN,
			     "no metrics_url for target %s: the application's histograms were not "
			     "read (warunginmon.conf(5))",
			     wm_session_target_name(s));
		return 0;
	}
	if (fetch(s, t->metrics_url, &resp, label, sizeof label, &err) < 0) {
		wm_http_resp_free(&resp);
		wm_err_prefix(&err, "metrics");
		return wm_result_unknown(r, "perf.app", &err);
	}
	wm_session_log(s, WM_LOG_VERBOSE, "metrics: %zu bytes from %s", resp.body_len, label);
	ho.url = label;
	rc = wm_perf_hist_report(r, &ho, resp.body, resp.body_len, prev, wm_now_ms(), next, db);
	wm_http_resp_free(&resp);
	return rc;
}

/* wm-db's estimate of the DB query p95 over the window since prev from
 * pg_stat_statements (lib/clients/pg.h); the rows go into next. */
static int
db_pg(struct wm_session *s, const cJSON *prev, cJSON *next, struct wm_perf_db_pg *out)
{
	char pw[WM_SECRET_MAX], host[256], port[16], label[300];
	struct wm_pg_params p;
	struct wm_pg *pg = NULL;
	struct wm_pg_stmt *cur = NULL, *old = NULL;
	struct wm_pg_stmt_delta *d = NULL;
	size_t ncur = 0, nold = 0, nd = 0;
	struct wm_err err = {0};
	double ms;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (!wm_session_target(s)->postgres) {
		snprintf(out->why, sizeof out->why, "no postgres conninfo for the target");
		return 0;
	}
	if (wm_db_params(s, &p, pw, sizeof pw, host, sizeof host, port, sizeof port, label,
			 sizeof label, &err) < 0 ||
	    !(pg = wm_pg_connect(&p, &ms, &err)) || wm_pg_statements(pg, &cur, &ncur, &err) < 0) {
		memset(pw, 0, sizeof pw);
		snprintf(out->why, sizeof out->why, "%s", err.msg);
		rc = err.code == WM_ENOMEM ? -1 : 0;
		goto out;
	}
	memset(pw, 0, sizeof pw);
	if (!(old = wm_db_stmts_load(prev, &nold)) ||
	    wm_pg_stmt_deltas(old, nold, cur, ncur, &d, &nd) < 0 ||
	    (next && wm_db_stmts_save(next, cur, ncur) < 0))
		goto out;
	for (size_t i = 0; i < nd; i++)
		out->calls += d[i].calls;
	out->p95 = wm_pg_stmt_quantile(d, nd, 0.95) / 1000.0;
	out->valid = out->calls > 0 && !isnan(out->p95);
	if (!out->valid)
		snprintf(out->why, sizeof out->why, "no statements run in the window");
	else if (nold == 0)
		snprintf(out->why, sizeof out->why,
			 "since the statistics were reset (first sample)");
	rc = 0;
out:
	free(d);
	free(old);
	free(cur);
	wm_pg_free(pg);
	return rc;
}

/* The logs' window: since the previous run (the sample's time), else
 * o->since_ms, else the hour before now. */
static int64_t
logs_since(const struct wm_perf_check_opts *o, const cJSON *prev, int64_t now, char *words,
	   size_t size)
{
	double t = wm_sample_num(prev, "time_ms");
	char d[32];

	if (o->since_ms > 0) {
		wm_sample_fmt_duration((double)(now - o->since_ms) / 1000.0, d, sizeof d);
		snprintf(words, size, "in the last %s", d);
		return o->since_ms;
	}
	if (!isnan(t) && t < (double)now) {
		wm_sample_fmt_duration(((double)now - t) / 1000.0, d, sizeof d);
		snprintf(words, size, "over the last %s", d);
		return (int64_t)t;
	}
	snprintf(words, size, "in the last hour (first sample)");
	return now - 3600 * 1000;
}

int
wm_perf_run(struct wm_session *s, const struct wm_perf_check_opts *opts, struct wm_result *r)
{
	static const struct wm_perf_check_opts none = {0};
	const struct wm_perf_check_opts *o = opts ? opts : &none; /* wm-run: the defaults */
	struct wm_perf_db_app dba = {0};
	struct wm_perf_db_pg dbp = {0};
	enum wm_perf_db_source record;
	int64_t now = wm_now_ms(), since;
	cJSON *prev = NULL, *next = NULL;
	char words[96];
	int rc = -1;

	if (db_source(s, &record) < 0) {
		struct wm_check *c = wm_result_add_check(r, "perf.config");

		if (!c)
			return -1;
		wm_check_set(c, WM_UNKNOWN,
			     "[perf] db_p95_source must be worse, app or pg, not '%s'",
			     setting(s, "db_p95_source"));
		return 0;
	}
	if (wm_result_set_project(r, wm_session_project(s)) < 0)
		return -1;
	prev = wm_session_sample_load(s, WM_PERF_STATE_NAME);
	since = logs_since(o, prev, now, words, sizeof words);
	snprintf(dba.why, sizeof dba.why, "not read (--no-app)");
	if (!o->no_app && app_source(s, r, prev, &next, &dba) < 0)
		goto out;
	if (!o->no_db) {
		/* no new histogram sample: the previous one stays, with new statements */
		if (!next && !(next = prev ? cJSON_Duplicate(prev, true) : cJSON_CreateObject()))
			goto out;
		cJSON_DeleteItemFromObjectCaseSensitive(next, "statements");
		if (db_pg(s, prev, next, &dbp) < 0 || wm_perf_db_report(r, &dba, &dbp, record) < 0)
			goto out;
	}
	if (!o->no_logs && (o->logs ? wm_perf_logs_report(s, o->logs, r, since, -1, words)
				    : wm_perf_logs_source(s, r, since, -1, words)) < 0)
		goto out;
	if (o->sample > 0 && wm_perf_sample_source(s, r, o->sample) < 0)
		goto out;
	if (next && !cJSON_GetObjectItemCaseSensitive(next, "time_ms"))
		cJSON_AddNumberToObject(next, "time_ms", (double)now);
	if (next)
		wm_session_sample_save(s, WM_PERF_STATE_NAME, next);
	rc = 0;
out:
	cJSON_Delete(prev);
	cJSON_Delete(next);
	return rc;
}
