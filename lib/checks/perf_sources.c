/* perf_sources.c - wm-perf's sources 2 to 4: the access log and the JSON
 * durations of the shared log stream (lib/checks/perf.h), and --sample's
 * timed requests through the HTTP client. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "checks/checks.h"
#include "checks/perf.h"
#include "checks/perf_int.h"
#include "clients/http.h"
#include "conf/conf.h"
#include "logs/logstream.h"
#include "model/sketch.h"
#include "session/endpoint.h"
#include "session/logcollect.h"

/* A [perf] list, else the default (a list text).  The caller frees *list
 * with wm_config_list_free. */
static int
list_of(const struct wm_session *s, const char *key, const char *dflt, char ***list, size_t *n)
{
	const struct wm_config *cfg = wm_session_config(s);
	const char *v = cfg ? wm_config_get(cfg, "perf", key) : NULL;

	return wm_config_split_list(v && *v ? v : dflt, list, n);
}

/* The logs source of one run: the analyzer, the services it reads, and
 * what the collector (or the read it rides on) said could not be read. */
struct wm_perf_logs {
	struct wm_perf *p;
	char fields[512]; /* [perf] duration_fields "a,b,c": the analyzer keeps a pointer */
	char **svcs;
	size_t nsvcs;
	char config_error[WM_ERR_MSG_MAX]; /* [perf] cannot be used: perf.config */
	unsigned char *state;		   /* per service: SVC_UNSEEN, SVC_READ or SVC_FAILED */
	char problems[512];
	char failed[WM_ERR_MSG_MAX]; /* the read as a whole failed: why */
	bool fed;		     /* a shared read fed it (wm_logs_check_run) */
};

enum { SVC_UNSEEN, SVC_READ, SVC_FAILED };

/* Mark service svc (the collector's exact compose name) as st; a failure
 * stays a failure. */
static void
mark(struct wm_perf_logs *pl, const char *svc, unsigned char st)
{
	for (size_t i = 0; i < pl->nsvcs; i++)
		if (strcmp(pl->svcs[i], svc) == 0 && pl->state[i] != SVC_FAILED)
			pl->state[i] = st;
}

static int
on_service(void *arg, const char *svc)
{
	mark(arg, svc, SVC_READ);
	return 0;
}

static int
on_problem(void *arg, const char *svc, const char *why)
{
	struct wm_perf_logs *pl = arg;

	mark(pl, svc, SVC_FAILED);
	wm_why_append(pl->problems, sizeof pl->problems, svc, why);
	return 0;
}

/* An UNKNOWN check name: "prefix: what". */
static int
unknown(struct wm_result *r, const char *name, const char *prefix, const char *what)
{
	struct wm_check *c = wm_result_add_check(r, name);

	if (!c)
		return -1;
	wm_check_set(c, WM_UNKNOWN, "%s: %s", prefix, what);
	return 0;
}

struct wm_perf_logs *
wm_perf_logs_new(struct wm_session *s, int64_t since_ms, int64_t until_ms)
{
	const struct wm_config *cfg = wm_session_config(s);
	struct wm_perf_opts po = {
	    .access_format = cfg ? wm_config_get(cfg, "perf", "access_format") : NULL,
	    .window_ms = (until_ms > 0 ? until_ms : wm_now_ms()) - since_ms,
	};
	char **fl = NULL;
	size_t nfl = 0;
	struct wm_err err = {0};
	struct wm_perf_logs *pl = calloc(1, sizeof *pl);
	char *fields = pl ? pl->fields : NULL;

	/* the analyzer takes "a,b,c" */
	if (!pl || list_of(s, "duration_fields", WM_PERF_FIELDS, &fl, &nfl) < 0) {
		free(pl);
		return NULL;
	}
	for (size_t i = 0; i < nfl; i++) {
		size_t l = strlen(fields);

		snprintf(fields + l, sizeof pl->fields - l, "%s%s", i ? "," : "", fl[i]);
	}
	wm_config_list_free(fl);
	po.fields = fields;
	if (!(pl->p = wm_perf_new(&po, &err))) {
		if (err.code == WM_ENOMEM) {
			free(pl);
			return NULL;
		}
		snprintf(pl->config_error, sizeof pl->config_error, "%s", err.msg);
		return pl;
	}
	if (list_of(s, "log_services", WM_PERF_LOG_SERVICES, &pl->svcs, &pl->nsvcs) < 0 ||
	    !(pl->state = calloc(pl->nsvcs + 1, 1))) {
		wm_perf_logs_free(pl);
		return NULL;
	}
	return pl;
}

void
wm_perf_logs_free(struct wm_perf_logs *pl)
{
	if (!pl)
		return;
	wm_config_list_free(pl->svcs);
	wm_perf_free(pl->p);
	free(pl->state);
	free(pl);
}

bool
wm_perf_logs_reader(struct wm_perf_logs *pl, struct wm_session *s,
		    const struct wm_errors_check_opts *eo, struct wm_logs_reader *rd)
{
	if (!pl || pl->config_error[0])
		return false;
	for (size_t i = 0; i < pl->nsvcs; i++)
		if (!wm_errors_check_reads(s, eo, pl->svcs[i])) {
			wm_session_log(s, WM_LOG_VERBOSE,
				       "perf reads %s apart: errors does not read it", pl->svcs[i]);
			return false;
		}
	pl->fed = true;
	*rd = (struct wm_logs_reader){
	    .analyzer = wm_perf_analyzer(pl->p),
	    .services = (const char *const *)pl->svcs,
	    .nservices = pl->nsvcs,
	    .arg = pl,
	    .service = on_service,
	    .problem = on_problem,
	};
	return true;
}

/* Read pl's services' logs in [since, until) through the log collector. */
static int
collect(struct wm_session *s, struct wm_perf_logs *pl, int64_t since_ms, int64_t until_ms)
{
	struct wm_logcollect_opts co = {.since_ms = since_ms,
					.until_ms = until_ms,
					.expected = (const char *const *)pl->svcs,
					.nexpected = pl->nsvcs};
	const struct wm_logcollect_hooks h = {pl, on_service, on_problem};
	struct wm_log_analyzer a = wm_perf_analyzer(pl->p);
	enum wm_logcollect_stage stage;
	struct wm_logstream *ls = wm_logstream_new(NULL, 0);
	struct wm_err err = {0};
	int rc = 0;

	if (!ls || wm_logstream_add(ls, &a, NULL) < 0) {
		wm_logstream_free(ls);
		return -1;
	}
	wm_logstream_set_window(ls, since_ms, until_ms);
	if (wm_logcollect_docker(s, ls, &co, &h, &stage, &err) < 0)
		rc = stage == WM_LOGCOLLECT_OK ? -1 : 1;
	wm_logstream_free(ls);
	if (rc > 0)
		snprintf(pl->failed, sizeof pl->failed, "%s", err.msg);
	return rc < 0 ? -1 : 0;
}

int
wm_perf_logs_report(struct wm_session *s, struct wm_perf_logs *pl, struct wm_result *r,
		    int64_t since_ms, int64_t until_ms, const char *window)
{
	size_t read = 0, told = 0;

	if (pl->config_error[0])
		return unknown(r, "perf.config", "[perf]", pl->config_error);
	for (size_t i = 0; i < pl->nsvcs; i++)
		told += pl->state[i] != SVC_UNSEEN;
	/* a shared read that never reached perf's services (the errors unit
	 * gave up before reading: its configuration) did not feed it */
	if (pl->fed && told == 0)
		pl->fed = false;
	if (!pl->fed && collect(s, pl, since_ms, until_ms) < 0)
		return -1;
	if (pl->failed[0]) /* nothing read: no figures, not zeros */
		return unknown(r, "perf.logs", "logs not read", pl->failed);
	for (size_t i = 0; i < pl->nsvcs; i++) {
		/* the shared read lists only the containers it found */
		if (pl->state[i] == SVC_UNSEEN)
			on_problem(pl, pl->svcs[i], "no container for this service");
		read += pl->state[i] == SVC_READ;
	}
	if (pl->nsvcs && read == 0)
		return unknown(r, "perf.logs", "logs not read", pl->problems);
	if (pl->problems[0] && unknown(r, "perf.logs", "logs not read", pl->problems) < 0)
		return -1;
	return wm_perf_report(pl->p, r, window, NULL, NULL);
}

int
wm_perf_logs_source(struct wm_session *s, struct wm_result *r, int64_t since_ms, int64_t until_ms,
		    const char *window)
{
	struct wm_perf_logs *pl = wm_perf_logs_new(s, since_ms, until_ms);
	int rc;

	if (!pl)
		return -1;
	rc = wm_perf_logs_report(s, pl, r, since_ms, until_ms, window);
	wm_perf_logs_free(pl);
	return rc;
}

/* URL i of --sample: a path is joined to the target's base_url. */
static int
sample_url(const struct wm_target *t, const char *u, char *out, size_t size, struct wm_err *err)
{
	char *url;

	if (!t->base_url && strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0)
		return wm_err_set(err, WM_ECONFIG, "%s: no base_url for the target", u);
	if (!(url = wm_endpoint_url(t->base_url ? t->base_url : "", u)))
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	snprintf(out, size, "%s", url);
	free(url);
	return 0;
}

/* One timed GET of url into sk (seconds); -1 with err when it got no answer. */
static int
timed_get(struct wm_session *s, struct wm_http *h, const char *url, struct wm_sketch *sk,
	  long *status, struct wm_err *err)
{
	char sock[256], label[512], ca[1024];
	struct wm_http_req req = {.url = url, .body_max = 1u << 20};
	struct wm_http_resp resp;
	int rc;

	if (wm_endpoint_http(s, url, sock, sizeof sock, label, sizeof label, err) < 0)
		return -1;
	req.unix_socket = sock[0] ? sock : NULL;
	req.timeout_ms = wm_session_budget_ms(s, 0);
	wm_endpoint_http_tls(s, &req, ca, sizeof ca);
	rc = wm_http_request(h, &req, &resp, err);
	if (rc == 0) {
		*status = resp.status;
		wm_sketch_add(sk, resp.t.total_ms / 1000.0, NULL);
	}
	wm_http_resp_free(&resp);
	return rc;
}

int
wm_perf_sample_source(struct wm_session *s, struct wm_result *r, int n)
{
	struct wm_check *c = wm_result_add_check(r, "perf.sample");
	struct wm_sketch *sk = wm_sketch_new_default(NULL);
	struct wm_http *h = NULL;
	struct wm_err err = {0}, last = {0};
	char **urls = NULL, url[1024], *text = NULL;
	size_t nurls = 0;
	double fails = 0, errors = 0;
	cJSON *d;
	int rc = -1;

	if (!c || !sk || !(d = wm_check_data(c)) ||
	    list_of(s, "sample_urls", WM_PERF_SAMPLE_URLS, &urls, &nurls) < 0 || nurls == 0)
		goto out;
	if (!(h = wm_endpoint_http_client(s, &err))) {
		wm_check_set(c, WM_UNKNOWN, "%s", err.msg);
		rc = 0;
		goto out;
	}
	for (int i = 0; i < n; i++) {
		long status = 0;

		if (sample_url(wm_session_target(s), urls[(size_t)i % nurls], url, sizeof url,
			       &err) < 0) {
			wm_check_set(c, WM_UNKNOWN, "--sample: %s", err.msg);
			rc = 0;
			goto out;
		}
		if (timed_get(s, h, url, sk, &status, &err) < 0) {
			fails++;
			last = err;
			if (err.code == WM_ETIMEDOUT && wm_session_budget_ms(s, 0) <= 1)
				break; /* the check's deadline: what was timed stands */
			continue;
		}
		errors += status >= 500;
	}
	cJSON *arr = cJSON_AddArrayToObject(d, "urls");

	for (size_t i = 0; arr && i < nurls; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(urls[i]));
	if (!cJSON_AddStringToObject(d, "source", "timed requests by wm-perf (--sample)") ||
	    !cJSON_AddNumberToObject(d, "failed", fails))
		goto out;
	if (wm_sketch_count(sk) == 0) {
		wm_check_set(c, WM_UNKNOWN, "--sample: none of %d requests was answered: %s", n,
			     last.msg);
		rc = 0;
		goto out;
	}
	if (wm_perf_sketch_metrics(c, sk, errors) < 0 || !(text = wm_sketch_format(sk, NULL)) ||
	    !cJSON_AddStringToObject(d, "sketch", text))
		goto out;
	wm_check_set(c, fails > 0 ? WM_WARNING : WM_OK,
		     "p99 %.3g s, p95 %.3g s, p50 %.3g s, max %.3g s over %llu timed requests to "
		     "%s%s (--sample)%s%s",
		     wm_sketch_quantile(sk, 0.99), wm_sketch_quantile(sk, 0.95),
		     wm_sketch_quantile(sk, 0.5), wm_sketch_max(sk),
		     (unsigned long long)wm_sketch_count(sk), urls[0], nurls > 1 ? " and more" : "",
		     fails > 0 ? "; unanswered: " : "", fails > 0 ? last.msg : "");
	rc = 0;
out:
	free(text);
	wm_config_list_free(urls);
	wm_http_free(h);
	wm_sketch_free(sk);
	return rc;
}
