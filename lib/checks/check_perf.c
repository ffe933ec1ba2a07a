/* check_perf.c - the perf check unit: the [perf] settings, the
 * application's metrics through the session (a tunnel for a remote
 * target), the sample, and the checks of perf_hist.c. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/duration.h"
#include "checks/checks.h"
#include "checks/perf.h"
#include "checks/perf_hist.h"
#include "clients/http.h"
#include "model/promtext.h"
#include "conf/conf.h"
#include "session/endpoint.h"

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
	char sock[256];
	struct wm_http *h;
	struct wm_http_req req = {.url = url};
	int rc;

	memset(resp, 0, sizeof *resp);
	if (wm_endpoint_http(s, url, sock, sizeof sock, label, lsize, err) < 0)
		return -1;
	if (!(h = wm_http_new(err)))
		return -1;
	req.unix_socket = sock[0] ? sock : NULL;
	req.body_max = WM_PROM_TEXT_MAX;
	req.insecure = wm_session_config(s) && wm_session_target(s)->section &&
		       !wm_config_bool(wm_session_config(s), wm_session_target(s)->section,
				       "tls_verify", true);
	req.timeout_ms = wm_session_budget_ms(s, 0);
	rc = wm_http_request(h, &req, resp, err);
	wm_http_free(h);
	if (rc == 0 && resp->status != 200)
		rc = wm_err_set(err, WM_EPROTO, "%s answered HTTP %ld", label, resp->status);
	return rc;
}

/* Source 1: the application's histograms; *db gets its DB query time. */
static int
app_source(struct wm_session *s, struct wm_result *r, struct wm_perf_db_app *db)
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
	cJSON *prev, *next = NULL;
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
	prev = wm_session_sample_load(s, WM_PERF_STATE_NAME);
	rc = wm_perf_hist_report(r, &ho, resp.body, resp.body_len, prev, wm_now_ms(), &next, db);
	if (rc == 0 && next)
		wm_session_sample_save(s, WM_PERF_STATE_NAME, next);
	cJSON_Delete(prev);
	cJSON_Delete(next);
	wm_http_resp_free(&resp);
	return rc;
}

int
wm_perf_run(struct wm_session *s, const struct wm_perf_check_opts *opts, struct wm_result *r)
{
	static const struct wm_perf_check_opts none = {0};
	const struct wm_perf_check_opts *o = opts ? opts : &none; /* wm-run: the defaults */
	struct wm_perf_db_app dba = {0};
	struct wm_perf_db_pg dbp = {0};
	enum wm_perf_db_source record;

	if (db_source(s, &record) < 0) {
		struct wm_check *c = wm_result_add_check(r, "perf.config");

		if (!c)
			return -1;
		wm_check_set(c, WM_UNKNOWN,
			     "[perf] db_p95_source must be worse, app or pg, not '%s'",
			     setting(s, "db_p95_source"));
		return 0;
	}
	snprintf(dba.why, sizeof dba.why, "not read (--no-app)");
	if (!o->no_app && app_source(s, r, &dba) < 0)
		return -1;
	snprintf(dbp.why, sizeof dbp.why, "not read by wm-perf yet");
	if (!o->no_db && wm_perf_db_report(r, &dba, &dbp, record) < 0)
		return -1;
	return 0;
}
