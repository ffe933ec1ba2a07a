/* probe_run.c - send the probes through the session and judge them (see
 * probe.h).  Passwords and tokens live in stack buffers for one request
 * and are wiped after it; nothing of them reaches a check, a log line or
 * an error message. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/clock.h"
#include "checks/probe.h"
#include "checks/security.h"
#include "conf/conf.h"
#include "session/endpoint.h"

#define SEC "security"

static void
wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
}

/* s with {{user}} and {{password}} replaced, JSON-escaped, into out; false
 * when the result did not fit (out then holds what did). */
static bool
expand(const char *s, const char *user, const char *pw, char *out, size_t size)
{
	size_t k = 0;
	bool cut = false;

	while (*s && k + 1 < size && !cut) {
		const char *v = NULL;

		if (strncmp(s, "{{user}}", 8) == 0)
			v = user, s += 8;
		else if (strncmp(s, "{{password}}", 12) == 0)
			v = pw, s += 12;
		if (!v) {
			out[k++] = *s++;
			continue;
		}
		for (; *v && k + 2 < size; v++) {
			if (*v == '"' || *v == '\\')
				out[k++] = '\\';
			out[k++] = (unsigned char)*v < ' ' ? ' ' : *v;
		}
		cut = *v != '\0';
	}
	out[k] = '\0';
	return !cut && !*s;
}

struct conn {
	struct wm_probe_token *keep; /* the caller's kept token, or NULL */
	struct wm_session *s;
	struct wm_http *h;
	const char *base;
};

/* One request of method to path (below base, or absolute) with headers
 * (NULL-terminated) and body; -1 with err when there was no answer. */
static int
send_req(struct conn *c, const char *method, const char *path, const char *const *headers,
	 const char *body, int64_t max_ms, struct wm_http_resp *resp, struct wm_err *err)
{
	char *url, sock[256], label[512], ca[1024];
	struct wm_http_req req = {
	    .method = method, .headers = headers, .body_max = WM_PROBE_BODY_MAX};
	int rc;

	memset(resp, 0, sizeof *resp);
	if (!(url = wm_endpoint_url(c->base, path)))
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	if (wm_endpoint_http(c->s, url, sock, sizeof sock, label, sizeof label, err) < 0) {
		free(url);
		return -1;
	}
	req.url = url;
	req.unix_socket = sock[0] ? sock : NULL;
	wm_endpoint_http_tls(c->s, &req, ca, sizeof ca);
	req.timeout_ms = wm_session_budget_ms(c->s, 0);
	if (max_ms >= 0 && (req.timeout_ms <= 0 || max_ms < req.timeout_ms))
		req.timeout_ms = max_ms > 0 ? max_ms : 1; /* [probe] max_time */
	if (body && *body) {
		req.body = body;
		req.body_len = strlen(body);
	}
	rc = wm_http_request(c->h, &req, resp, err);
	free(url);
	return rc;
}

/* Log in as user: the token into tok, or -1 with why. */
static int
login(struct conn *c, const char *user, const char *pw, char *tok, size_t size, char *why,
      size_t wsize)
{
	static const char *const hdr[] = {"Content-Type: application/json", NULL};
	const char *path = NULL;
	char body[2 * WM_SECRET_MAX + 64], masked[64]; /* escaping may double them */
	struct wm_http_resp resp = {0};
	struct wm_err err = {0};
	cJSON *doc = NULL, *t;
	int rc = -1;

	if (wm_session_config(c->s))
		path = wm_config_get(wm_session_config(c->s), SEC, "login_path");
	wm_security_mask_email(user, strlen(user), masked, sizeof masked);
	if (!expand("{\"email\":\"{{user}}\",\"password\":\"{{password}}\"}", user, pw, body,
		    sizeof body))
		snprintf(why, wsize, "login as %s: the login body does not fit", masked);
	else if (send_req(c, "POST", path ? path : "/api/auth/login", hdr, body, -1, &resp, &err) <
		 0)
		snprintf(why, wsize, "login as %s: %s", masked, err.msg);
	else if (resp.status != 200)
		snprintf(why, wsize, "login as %s answered %ld", masked, resp.status);
	else if (!(doc = cJSON_ParseWithLength(resp.body, resp.body_len)) ||
		 !cJSON_IsString(t = cJSON_GetObjectItemCaseSensitive(doc, "token")) ||
		 strlen(t->valuestring) + 1 > size)
		snprintf(why, wsize, "login as %s: no token in the answer", masked);
	else {
		snprintf(tok, size, "%s", t->valuestring);
		wipe(t->valuestring, strlen(t->valuestring));
		rc = 0;
	}
	wipe(body, sizeof body);
	if (resp.body)
		wipe(resp.body, resp.body_len);
	cJSON_Delete(doc);
	wm_http_resp_free(&resp);
	return rc;
}

void
wm_probe_token_wipe(struct wm_probe_token *t)
{
	if (t)
		wipe(t->token, sizeof t->token), t->user[0] = '\0';
}

/* The token for p into tok: the kept one when it is p's user's (*kept set),
 * or a new login (kept when the caller keeps one).  -1 with why. */
static int
token_for(struct conn *c, const struct wm_probe *p, const char *pw, char *tok, size_t size,
	  bool *kept, char *why, size_t wsize)
{
	struct wm_probe_token *k = c->keep;

	*kept = false;
	if (k && k->token[0] && strcmp(k->user, p->user) == 0 && strlen(k->token) < size) {
		snprintf(tok, size, "%s", k->token);
		*kept = true;
		return 0;
	}
	if (login(c, p->user, pw, tok, size, why, wsize) < 0)
		return -1;
	if (k && strlen(tok) < sizeof k->token && strlen(p->user) < sizeof k->user) {
		wm_probe_token_wipe(k);
		snprintf(k->user, sizeof k->user, "%s", p->user);
		snprintf(k->token, sizeof k->token, "%s", tok);
	}
	if (k)
		k->logins++;
	return 0;
}

/* Run probe p: the state, why, the status and the time of its answer. */
static enum wm_state
run_one(struct conn *c, const struct wm_probe *p, char *why, size_t wsize, long *status, double *ms)
{
	char pw[WM_SECRET_MAX], tok[4096] = "", auth[4200] = "", body[WM_SECRET_MAX],
				raw[WM_SECRET_MAX];
	const char *hdr[3 + WM_PROBE_NHDR] = {NULL};
	const char *text = p->body;
	size_t nh = 0;
	struct wm_err err = {0};
	struct wm_http_resp resp = {0};
	enum wm_state st = WM_UNKNOWN;
	int j = 2;
	bool kept = false, login;

	*status = -1;
	*ms = NAN;
	pw[0] = '\0';
	if (p->needs_user && (!p->user[0] || !p->password_file[0])) {
		snprintf(why, wsize, "%s", p->not_configured);
		return WM_UNKNOWN;
	}
	if (p->password_file[0] && wm_secret_read(p->password_file, pw, sizeof pw, &err) < 0) {
		snprintf(why, wsize, "password: %s", err.msg);
		return WM_UNKNOWN;
	}
	/* body_file is a secrets file (0600): it may hold the password */
	if (p->body_file[0] && wm_secret_read(p->body_file, raw, sizeof raw, &err) < 0) {
		snprintf(why, wsize, "body_file: %s", err.msg);
		wipe(pw, sizeof pw);
		wipe(raw, sizeof raw);
		return WM_UNKNOWN;
	}
	if (p->body_file[0])
		text = raw;
	/* a body_file that fills in {{password}} logs in itself */
	login = p->login && !(p->body_file[0] && strstr(text, "{{password}}"));
again:
	nh = 0;
	if (login && token_for(c, p, pw, tok, sizeof tok, &kept, why, wsize) < 0)
		goto out;
	if (tok[0]) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok);
		hdr[nh++] = auth;
	}
	if (text[0])
		hdr[nh++] = "Content-Type: application/json";
	for (size_t i = 0; i < WM_PROBE_NHDR && p->header[i][0]; i++)
		hdr[nh++] = p->header[i];
	hdr[nh] = NULL;
	if (!expand(text, p->user, pw, body, sizeof body)) {
		snprintf(why, wsize,
			 "its body is over %zu bytes with {{user}} and {{password}} filled in",
			 sizeof body - 1);
		goto out;
	}
	for (unsigned a = 0; a < (p->attempts ? p->attempts : 1); a++) {
		wm_http_resp_free(&resp);
		if (send_req(c, p->method, p->url, hdr, body, p->max_ms, &resp, &err) < 0) {
			if (p->max_ms >= 0 && err.code == WM_ETIMEDOUT)
				snprintf(why, wsize, "%.200s (max_time %lld ms)", err.msg,
					 (long long)p->max_ms);
			else
				snprintf(why, wsize, "%.200s", err.msg);
			goto out;
		}
		if (kept && resp.status == 401) { /* the kept token expired: log in again, once */
			wm_probe_token_wipe(c->keep);
			wipe(tok, sizeof tok);
			kept = false;
			goto again;
		}
		j = wm_probe_judge(p, resp.status, resp.headers, resp.nheaders, resp.body,
				   resp.body_len, why, wsize);
		if (j == 0)
			break;
	}
	*status = resp.status;
	*ms = resp.t.total_ms;
	st = j == 0 ? WM_OK : j == 1 ? WM_CRITICAL : WM_UNKNOWN;
out:
	wipe(pw, sizeof pw);
	wipe(tok, sizeof tok);
	wipe(auth, sizeof auth);
	wipe(body, sizeof body);
	wipe(raw, sizeof raw);
	if (resp.body)
		wipe(resp.body, resp.body_len);
	wm_http_resp_free(&resp);
	return st;
}

/* Is probe name one o asks for (none named: all)? */
static bool
selected(const struct wm_security_check_opts *o, const char *name)
{
	if (!o || o->nprobes == 0)
		return true;
	for (size_t i = 0; i < o->nprobes; i++)
		if (strcmp(o->probes[i], name) == 0)
			return true;
	return false;
}

static int
probe_check(struct wm_result *r, const struct wm_probe *p, enum wm_state st, const char *why,
	    long status, double ms)
{
	char name[96];
	struct wm_check *k;
	struct wm_metric *m;
	cJSON *d;

	snprintf(name, sizeof name, "security.probe.%s", p->name);
	if (!(k = wm_result_add_check(r, name)))
		return -1;
	if (!(m = wm_check_add_metric(k, "probe_passed",
				      st == WM_OK	  ? 1
				      : st == WM_CRITICAL ? 0
							  : NAN,
				      "")) ||
	    !wm_check_add_metric(k, "probe_time", ms, "ms") || !(d = wm_check_data(k)))
		return -1;
	m->min = 0;
	m->max = 1;
	cJSON_AddStringToObject(d, "protection", p->protection);
	cJSON_AddStringToObject(d, "method", p->method);
	cJSON_AddStringToObject(d, "url", p->url);
	if (status >= 0)
		cJSON_AddNumberToObject(d, "status", (double)status);
	else
		cJSON_AddNullToObject(d, "status");
	cJSON_AddStringToObject(d, "expected", p->status[0] ? p->status : "2xx");
	if (st == WM_CRITICAL)
		wm_check_set(k, st, "%s failing: %s %s %s", p->protection, p->method, p->url, why);
	else if (st == WM_OK)
		wm_check_set(k, st, "%s: %s %s %s", p->protection, p->method, p->url, why);
	else
		wm_check_set(k, st, "%s not verified: %s", p->protection, why);
	return 0;
}

int
wm_probes_run(struct wm_session *s, const struct wm_security_check_opts *o, struct wm_result *r,
	      uint64_t *failures)
{
	struct wm_probe *v = calloc(WM_PROBE_MAX, sizeof *v);
	const struct wm_target *t = wm_session_target(s);
	struct conn c = {.keep = o ? o->token : NULL, .s = s, .base = t->base_url};
	struct wm_err err = {0};
	uint64_t through = 0, unknown = 0, ok = 0, off = 0, matched = 0;
	struct wm_check *k;
	char names[256] = "";
	size_t n = 0;
	int rc = -1;

	*failures = 0;
	if (!v || !(k = wm_result_add_check(r, "security.probes")))
		goto out;
	if (wm_probes_load(s, v, &n, &err) < 0) {
		wm_check_set(k, WM_UNKNOWN, "probes not run: %s", err.msg);
		rc = 0;
		goto out;
	}
	if (!c.base) {
		wm_check_set(k, WM_UNKNOWN, "probes not run: the target has no base_url");
		rc = 0;
		goto out;
	}
	if (!(c.h = wm_endpoint_http_client(s, &err))) {
		wm_check_set(k, WM_UNKNOWN, "probes not run: %s", err.msg);
		rc = 0;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		char why[512];
		long status;
		double ms;
		enum wm_state st;

		if (!selected(o, v[i].name))
			continue;
		matched++;
		if (!v[i].enabled) {
			off++;
			continue;
		}
		st = run_one(&c, &v[i], why, sizeof why, &status, &ms);
		wm_session_log(s, WM_LOG_VERBOSE, "probe %s: %s %s: %s", v[i].name, v[i].method,
			       v[i].url, why);
		if (probe_check(r, &v[i], st, why, status, ms) < 0)
			goto out;
		through += st == WM_CRITICAL;
		unknown += st == WM_UNKNOWN;
		ok += st == WM_OK;
		if (st == WM_CRITICAL) {
			size_t l = strlen(names);

			snprintf(names + l, sizeof names - l, "%s%s", l ? ", " : "",
				 v[i].protection);
		}
	}
	if (!wm_check_add_metric(k, "probe_failures", (double)through, "") ||
	    !wm_check_add_metric(k, "probes_not_run", (double)unknown, ""))
		goto out;
	if (o && o->nprobes > 0 && matched == 0)
		wm_check_set(k, WM_UNKNOWN, "no probe named %s", o->probes[0]);
	else if (through)
		wm_check_set(k, WM_CRITICAL, "%llu of %llu probes got through: %s failing",
			     (unsigned long long)through,
			     (unsigned long long)(through + unknown + ok), names);
	else if (unknown)
		wm_check_set(k, WM_UNKNOWN, "%llu probes refused as expected, %llu not run",
			     (unsigned long long)ok, (unsigned long long)unknown);
	else
		wm_check_set(k, WM_OK, "%llu probes refused as expected%s", (unsigned long long)ok,
			     off ? " (some off: opt-in)" : "");
	*failures = through;
	rc = 0;
out:
	wm_http_free(c.h);
	free(v);
	return rc;
}
