/* smoke_http.c - one HTTP step of wm-smoke: the request from its spec and
 * the captures so far, sent directly or through the session's SSH tunnel,
 * the answer judged, its captures kept (smoke_int.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/smoke_int.h"
#include "session/endpoint.h"

/* What a step with credentials and no body sends: Warungin's login. */
static const char login_body[] = "{\"email\":\"{{user}}\",\"password\":\"{{password}}\"}";

/* Headers whose values are never shown, not even at -vv. */
static bool
secret_header(const char *line)
{
	static const char *const names[] = {"authorization", "proxy-authorization", "cookie",
					    "set-cookie"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t n = strlen(names[i]);

		if (strncasecmp(line, names[i], n) == 0 && (line[n] == ':' || line[n] == ' '))
			return true;
	}
	return false;
}

/* "host:port" of an http(s) URL (the scheme's port when none), for the
 * tunnel; -1 when it cannot be told. */
static int
url_hostport(const char *url, char *out, size_t size)
{
	bool tls = strncasecmp(url, "https://", 8) == 0;
	const char *h = strstr(url, "://"), *end, *at, *hend;
	int n;

	if (!h)
		return -1;
	h += 3;
	end = h + strcspn(h, "/?#");
	if ((at = memchr(h, '@', (size_t)(end - h))))
		h = at + 1;
	if (*h == '[') {
		const char *close = memchr(h, ']', (size_t)(end - h));

		if (!close)
			return -1;
		hend = close + 1;
	} else {
		hend = memchr(h, ':', (size_t)(end - h));
		if (!hend)
			hend = end;
	}
	if (hend == h)
		return -1;
	if (hend < end && *hend == ':' && hend + 1 < end)
		n = snprintf(out, size, "%.*s", (int)(end - h), h);
	else
		n = snprintf(out, size, "%.*s:%s", (int)(hend - h), h, tls ? "443" : "80");
	return n > 0 && (size_t)n < size ? 0 : -1;
}

/* The step's URL: absolute, or the target's base_url + the path. */
static char *
full_url(const struct smoke_run *run, const char *url)
{
	const char *base = wm_session_target(run->s)->base_url;

	return wm_endpoint_url(base && *base ? base : WM_SMOKE_BASE_URL, url);
}

/* A request being put together; everything owned. */
struct req {
	char *url, *body;
	char *headers[64]; /* NULL-terminated */
	size_t nheaders;
	bool json; /* the body is JSON: values go in escaped */
	char sock[256];
};

static void
req_free(struct req *q)
{
	free(q->url);
	if (q->body) /* may hold the password */
		memset(q->body, 0, strlen(q->body));
	free(q->body);
	for (size_t i = 0; i < q->nheaders; i++)
		free(q->headers[i]);
}

static int
add_header(struct req *q, const char *tmpl, const struct wm_smoke_vars *v, struct wm_err *err)
{
	if (q->nheaders + 1 >= sizeof(q->headers) / sizeof(q->headers[0]))
		return wm_err_set(err, WM_EINVAL, "more than %zu headers",
				  sizeof(q->headers) / sizeof(q->headers[0]) - 2);
	if (!(q->headers[q->nheaders] = wm_smoke_expand(tmpl, v, false, err)))
		return -1;
	q->nheaders++;
	return 0;
}

/* The body's text before expansion: body, body_file (a secrets file: it
 * may hold the password), or the login body of a step with credentials. */
static int
body_text(const struct wm_http_spec *sp, char *buf, size_t size, const char **text,
	  struct wm_err *err)
{
	*text = sp->body;
	if (sp->body_file) {
		if (wm_secret_read(sp->body_file, buf, size, err) < 0)
			return -1;
		*text = buf;
	} else if (!sp->body && sp->credentials_file) {
		*text = login_body;
	}
	return 0;
}

/* The request of step sp.  -1 with err: WM_ENOMEM, or what makes the step
 * UNKNOWN (a secrets file, a {{NAME}} without a value). */
static int
make_req(struct smoke_run *run, const struct wm_http_spec *sp, struct req *q, struct wm_err *err)
{
	char secret[WM_SECRET_MAX], file[WM_SECRET_MAX];
	const char *text;
	bool typed = false;
	int rc = -1;

	if (sp->credentials_file) {
		if (wm_secret_read(sp->credentials_file, secret, sizeof(secret), err) < 0)
			goto out;
		if (wm_smoke_vars_set(&run->vars, "password", secret, WM_MASK_ALWAYS) < 0)
			goto out_nomem;
	}
	if (sp->user && wm_smoke_vars_set(&run->vars, "user", sp->user, WM_MASK_NEVER) < 0)
		goto out_nomem;
	if (!(q->url = wm_smoke_expand(sp->url, &run->vars, false, err)))
		goto out;
	if (q->url[0] == '/') {
		char *u = full_url(run, q->url);

		free(q->url);
		if (!(q->url = u))
			goto out_nomem;
	}
	for (size_t i = 0; i < run->nheaders; i++)
		if (add_header(q, run->headers[i], &run->vars, err) < 0)
			goto out;
	for (size_t i = 0; i < sp->nheaders; i++)
		if (add_header(q, sp->headers[i], &run->vars, err) < 0)
			goto out;
	for (size_t i = 0; i < q->nheaders; i++) {
		if (strncasecmp(q->headers[i], "content-type:", 13) == 0) {
			typed = true;
			q->json = strstr(q->headers[i], "json") != NULL;
		}
	}
	if (body_text(sp, file, sizeof(file), &text, err) < 0)
		goto out;
	if (text && !typed &&
	    (text[strspn(text, " \t\r\n")] == '{' || text[strspn(text, " \t\r\n")] == '[')) {
		q->json = true;
		if (add_header(q, "Content-Type: application/json", NULL, err) < 0)
			goto out;
	}
	if (text && !(q->body = wm_smoke_expand(text, &run->vars, q->json, err)))
		goto out;
	rc = 0;
	goto out;
out_nomem:
	wm_err_set(err, WM_ENOMEM, "out of memory");
out:
	memset(secret, 0, sizeof(secret));
	memset(file, 0, sizeof(file));
	return rc;
}

/* libcurl's cumulative times as phases: DNS, connect, TLS, first byte
 * (the server's wait), and the total. */
static void
timing_text(const struct wm_http_timing *t, const char *route, char *buf, size_t size)
{
	double ready = t->tls_ms > 0 ? t->tls_ms : t->connect_ms;
	char tls[32] = "-";

	if (t->tls_ms > 0)
		snprintf(tls, sizeof(tls), "%.1f", t->tls_ms - t->connect_ms);
	snprintf(buf, size, "DNS %.1f, connect %.1f, TLS %s, first byte %.1f, total %.1f ms%s",
		 t->dns_ms, fmax(0, t->connect_ms - t->dns_ms), tls,
		 fmax(0, t->first_byte_ms - ready), t->total_ms, route);
}

/* The answer: judge it, keep its captures. */
static int
judge(struct smoke_run *run, const struct wm_http_spec *sp, const struct wm_http_resp *resp,
      const char *what, const char *timing, struct smoke_out *out)
{
	char reason[512];
	cJSON *json = wm_smoke_json(resp);
	int rc = wm_smoke_judge(sp, resp, json, reason, sizeof(reason));

	for (size_t c = 0; rc == 0 && c < sp->ncaptures; c++) {
		char *value = NULL;

		rc = wm_smoke_capture(&sp->captures[c], resp, json, &value, reason, sizeof(reason));
		if (rc == 0 &&
		    wm_smoke_vars_set(&run->vars, sp->captures[c].name, value, WM_MASK_LONG) < 0)
			rc = -2;
		if (value)
			memset(value, 0, strlen(value));
		free(value);
	}
	cJSON_Delete(json);
	if (rc == -2 || (rc < 0 && !reason[0]))
		return -1;
	if (rc == 0)
		smoke_say(run, out, WM_OK, "%s: %ld in %.1f ms (%s)", what, resp->status,
			  resp->t.total_ms, timing);
	else
		smoke_say(run, out, rc > 0 ? WM_CRITICAL : WM_UNKNOWN, "%s: %s (in %.1f ms)", what,
			  reason, resp->t.total_ms);
	return 0;
}

/* Where to connect: directly, or the tunnel's socket. */
static int
route(struct smoke_run *run, const struct wm_http_spec *sp, struct req *q, struct smoke_out *out,
      struct wm_err *err)
{
	char hostport[300];
	bool is_unix = false;

	out->where = "direct";
	if (!wm_session_is_remote(run->s) || sp->direct)
		return 0;
	if (url_hostport(q->url, hostport, sizeof(hostport)) < 0)
		return wm_err_set(err, WM_EINVAL, "no host:port in the URL");
	if (wm_session_reach(run->s, hostport, NULL, q->sock, sizeof(q->sock), &is_unix, err) < 0)
		return -1;
	out->tunnel = is_unix;
	out->where = is_unix ? "SSH tunnel" : "direct";
	return 0;
}

static void
log_exchange(const struct smoke_run *run, const char *name, const struct req *q,
	     const struct wm_http_resp *resp)
{
	for (size_t i = 0; i < q->nheaders; i++)
		smoke_log(run, WM_LOG_DEBUG, "step %s: > %s", name,
			  secret_header(q->headers[i]) ? "(a secret header)" : q->headers[i]);
	if (!resp)
		return;
	smoke_log(run, WM_LOG_DEBUG, "step %s: < %ld, %zu bytes", name, resp->status,
		  resp->body_len);
	for (size_t i = 0; i < resp->nheaders; i++) {
		char line[600];

		snprintf(line, sizeof(line), "%s: %s", resp->headers[i].name,
			 resp->headers[i].value);
		smoke_log(run, WM_LOG_DEBUG, "step %s: < %s", name,
			  secret_header(line) ? "(a secret header)" : line);
	}
}

int
smoke_http_step(struct smoke_run *run, const struct wm_smoke_step *st, struct smoke_out *out)
{
	const struct wm_http_spec *sp = st->spec;
	struct req q = {0};
	struct wm_http_req hr = {0};
	struct wm_http_resp resp = {0};
	struct wm_err err = {0};
	char what[300], timing[160], ca[4096];
	int rc = 0;

	snprintf(what, sizeof(what), "%s %s", sp->method ? sp->method : "GET", sp->url);
	if (!run->http_tried) {
		run->http_tried = true;
		run->http = wm_endpoint_http_client(run->s, &run->http_err);
	}
	if (!run->http) {
		smoke_say(run, out, WM_UNKNOWN, "%s: %s", what, run->http_err.msg);
		return run->http_err.code == WM_ENOMEM ? -1 : 0;
	}
	if (make_req(run, sp, &q, &err) < 0 || route(run, sp, &q, out, &err) < 0) {
		smoke_say(run, out, WM_UNKNOWN, "%s: %s", what, err.msg);
		rc = err.code == WM_ENOMEM ? -1 : 0;
		goto out;
	}
	snprintf(out->url, sizeof(out->url), "%s", q.url);
	wm_smoke_mask_buf(out->url, sizeof(out->url), &run->vars);
	smoke_log(run, WM_LOG_VERBOSE, "step %s: %s %s, %s%s", sp->name,
		  sp->method ? sp->method : "GET", out->url,
		  out->tunnel ? "through the SSH tunnel at " : "direct", out->tunnel ? q.sock : "");
	hr.method = sp->method;
	hr.url = q.url;
	hr.headers = (const char *const *)q.headers;
	hr.body = q.body;
	hr.body_len = q.body ? strlen(q.body) : 0;
	hr.unix_socket = out->tunnel ? q.sock : NULL;
	hr.fresh_connect = true; /* each step's timings are a first visit's */
	hr.timeout_ms = wm_session_budget_ms(run->s, run->timeout_ms);
	wm_endpoint_http_tls(run->s, &hr, ca, sizeof(ca));
	if (wm_http_request(run->http, &hr, &resp, &err) < 0) {
		log_exchange(run, sp->name, &q, NULL);
		smoke_say(run, out, wm_err_state(&err), "%s: %s", what, err.msg);
		rc = err.code == WM_ENOMEM ? -1 : 0;
		goto out;
	}
	log_exchange(run, sp->name, &q, &resp);
	out->status = resp.status;
	out->have_timing = true;
	out->t = resp.t;
	out->ms = resp.t.total_ms;
	timing_text(&resp.t, out->tunnel ? "; through the SSH tunnel" : "", timing, sizeof(timing));
	rc = judge(run, sp, &resp, what, timing, out);
out:
	wm_http_resp_free(&resp);
	req_free(&q);
	return rc;
}
