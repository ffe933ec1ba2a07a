/* smoke_plan.c - the plan of wm-smoke's steps (smoke.h): the Warungin
 * defaults, the checks of a configured plan, the order of its dependencies,
 * and --step's selection. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/http_expect.h"
#include "checks/smoke.h"

/* The runbook's spot checks done properly (research/warungin.md): the login
 * and an authenticated request with its token, the backend's /api/health,
 * nginx's own /health, the SPA's root element, then the wm-db and wm-cache
 * probes through the session's tunnels (no sudo, no docker exec).  Written
 * as the configuration would say it, so that the defaults go through the
 * same parser and checks as a configured plan; %s is the login's account. */
static const char default_plan[] = "[step login]\nmethod = POST\nurl = /api/auth/login\n"
				   "header = Content-Type: application/json\n"
				   "expect_status = 200\nexpect_json = token\n"
				   "capture token = json:token\n%s"
				   "[step products]\nurl = /api/products?page=1&limit=1\n"
				   "header = Authorization: Bearer {{token}}\n"
				   "expect_status = 200\nexpect_json = data\n"
				   "[step api-health]\nurl = /api/health\nexpect_status = 200\n"
				   "expect_json = status = ok\n"
				   "[step health]\nurl = /health\nexpect_status = 200\n"
				   "expect_body = ^healthy\n"
				   "[step frontend]\nurl = /\nexpect_status = 200\n"
				   "expect_body = <div id=\"root\"\n"
				   "[step db]\ntype = db\n"
				   "[step cache]\ntype = cache\n";

static const char no_account[] = "no account to log in with: set [smoke] login_user and "
				 "login_password_file (warunginmon.conf(5))";

static int
plan_fail(struct wm_err *err, const char *file, const struct wm_http_spec *s, const char *fmt, ...)
{
	char msg[WM_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (file && s->line > 0)
		return wm_err_set(err, WM_ECONFIG, "%s:%d: [step %s]: %s", file, s->line, s->name,
				  msg);
	return wm_err_set(err, WM_ECONFIG, "[step %s]: %s", s->name, msg);
}

static int
spec_index(const struct wm_http_spec *v, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(v[i].name) == len && strncmp(v[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

/* The step capturing name[0..len), or -1. */
static int
capturer(const struct wm_http_spec *v, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		for (size_t c = 0; c < v[i].ncaptures; c++)
			if (strlen(v[i].captures[c].name) == len &&
			    strncmp(v[i].captures[c].name, name, len) == 0)
				return (int)i;
	return -1;
}

/* Direct dependencies as a matrix of file indexes: need[i * n + j]. */
struct deps {
	char *need;
	size_t n;
};

static void
need(struct deps *d, size_t i, size_t j)
{
	d->need[i * d->n + j] = 1;
}

/* The {{NAME}}s of text in step i: each a capture of another step, or the
 * step's own user/password. */
static int
refs_of(const struct wm_http_spec *v, size_t n, size_t i, const char *text, struct deps *d,
	const char *file, struct wm_err *err)
{
	const char *pos = text, *name;
	size_t len;

	while (pos && wm_smoke_ref_next(&pos, &name, &len)) {
		int c;

		if (len == 4 && strncmp(name, "user", 4) == 0) {
			if (!v[i].user)
				return plan_fail(err, file, &v[i],
						 "{{user}} without user = ACCOUNT");
			continue;
		}
		if (len == 8 && strncmp(name, "password", 8) == 0) {
			if (!v[i].credentials_file)
				return plan_fail(err, file, &v[i],
						 "{{password}} without credentials_file");
			continue;
		}
		c = capturer(v, n, name, len);
		if (c < 0)
			return plan_fail(err, file, &v[i], "{{%.*s}}: no step captures it",
					 (int)len, name);
		if ((size_t)c == i)
			return plan_fail(err, file, &v[i], "{{%.*s}} is its own capture", (int)len,
					 name);
		need(d, i, (size_t)c);
	}
	return 0;
}

static int
type_of(const struct wm_http_spec *s, enum wm_step_type *t)
{
	if (!s->type || strcmp(s->type, "http") == 0)
		*t = WM_STEP_HTTP;
	else if (strcmp(s->type, "db") == 0)
		*t = WM_STEP_DB;
	else if (strcmp(s->type, "cache") == 0)
		*t = WM_STEP_CACHE;
	else
		return -1;
	return 0;
}

/* What one step may say, alone. */
static int
check_step(const struct wm_http_spec *s, enum wm_step_type t, const char *file, struct wm_err *err)
{
	char msg[WM_ERR_MSG_MAX];

	if (t != WM_STEP_HTTP) {
		if (s->url || s->nheaders || s->body || s->body_file || s->credentials_file ||
		    s->nexpect_status || s->nexpect_headers || s->nexpect_json || s->expect_body ||
		    s->ncaptures || s->user)
			return plan_fail(err, file, s, "type = %s takes only after and max_time",
					 s->type);
		return 0;
	}
	if (!s->url || !*s->url)
		return plan_fail(err, file, s, "no url");
	if (s->url[0] != '/' && strncmp(s->url, "http://", 7) && strncmp(s->url, "https://", 8))
		return plan_fail(err, file, s,
				 "url: a path (/api/x) or an http(s) URL, got '%.60s'", s->url);
	if (s->body && s->body_file)
		return plan_fail(err, file, s, "body and body_file: one of them");
	for (size_t j = 0; j < s->nexpect_json; j++)
		if (wm_smoke_expect_json_check(s->expect_json[j], msg, sizeof(msg)) < 0)
			return plan_fail(err, file, s, "expect_json: %s", msg);
	if (s->expect_body && wm_smoke_pattern_check(s->expect_body, msg, sizeof(msg)) < 0)
		return plan_fail(err, file, s, "expect_body: %s", msg);
	for (size_t c = 0; c < s->ncaptures; c++) {
		bool bad = false;

		if (strcmp(s->captures[c].name, "user") == 0 ||
		    strcmp(s->captures[c].name, "password") == 0)
			return plan_fail(err, file, s, "capture %s: a reserved name",
					 s->captures[c].name);
		if (!s->captures[c].header)
			wm_expect_json_path(NULL, s->captures[c].from, &bad);
		if (bad)
			return plan_fail(err, file, s, "capture %s: bad JSON path '%s'",
					 s->captures[c].name, s->captures[c].from);
	}
	if (s->credentials_file && !s->body && !s->body_file && !s->user)
		return plan_fail(err, file, s,
				 "credentials_file without a body needs user = ACCOUNT");
	return 0;
}

/* Every check of one step and its dependencies into d. */
static int
step_deps(const struct wm_http_spec *v, size_t n, size_t i, struct deps *d, const char *file,
	  struct wm_err *err)
{
	const struct wm_http_spec *s = &v[i];

	for (size_t c = 0; c < s->ncaptures; c++) {
		int o = capturer(v, n, s->captures[c].name, strlen(s->captures[c].name));

		if (o >= 0 && (size_t)o != i)
			return plan_fail(err, file, s, "capture %s: also captured by step %s",
					 s->captures[c].name, v[o].name);
		for (size_t k = c + 1; k < s->ncaptures; k++)
			if (strcmp(s->captures[c].name, s->captures[k].name) == 0)
				return plan_fail(err, file, s, "capture %s: given twice",
						 s->captures[c].name);
	}
	for (size_t a = 0; a < s->nafter; a++) {
		int o = spec_index(v, n, s->after[a], strlen(s->after[a]));

		if (o < 0)
			return plan_fail(err, file, s, "after = %s: no such step", s->after[a]);
		if ((size_t)o == i)
			return plan_fail(err, file, s, "after = %s: itself", s->after[a]);
		need(d, i, (size_t)o);
	}
	if (refs_of(v, n, i, s->url, d, file, err) < 0 ||
	    refs_of(v, n, i, s->body, d, file, err) < 0)
		return -1;
	for (size_t h = 0; h < s->nheaders; h++)
		if (refs_of(v, n, i, s->headers[h], d, file, err) < 0)
			return -1;
	return 0;
}

/* Kahn's order, the lowest file index first among the ready: order[k] is
 * the file index of the k-th step to run.  -1 with a cycle. */
static int
order_steps(const struct wm_http_spec *v, const struct deps *d, size_t *order, const char *file,
	    struct wm_err *err)
{
	size_t n = d->n, done = 0;
	char *placed = calloc(n + 1, 1);

	if (!placed)
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	while (done < n) {
		size_t i;

		for (i = 0; i < n; i++) {
			bool ready = !placed[i];

			for (size_t j = 0; ready && j < n; j++)
				if (d->need[i * n + j] && !placed[j])
					ready = false;
			if (ready)
				break;
		}
		if (i == n) {
			for (i = 0; placed[i]; i++)
				;
			free(placed);
			return plan_fail(err, file, &v[i], "its dependencies make a cycle");
		}
		placed[i] = 1;
		order[done++] = i;
	}
	free(placed);
	return 0;
}

/* The steps in run order, their dependencies as run-order indexes. */
static int
make_steps(struct wm_smoke_plan *p, const struct deps *d, const size_t *order,
	   const enum wm_step_type *types, struct wm_err *err)
{
	size_t n = p->nspecs, *pos = calloc(n + 1, sizeof(*pos));

	if (!pos || !(p->steps = calloc(n + 1, sizeof(*p->steps)))) {
		free(pos);
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	}
	p->n = n;
	for (size_t k = 0; k < n; k++)
		pos[order[k]] = k;
	for (size_t k = 0; k < n; k++) {
		struct wm_smoke_step *st = &p->steps[k];
		size_t i = order[k];

		st->spec = &p->specs[i];
		st->type = types[i];
		st->run = true;
		if (!(st->deps = calloc(n + 1, sizeof(*st->deps)))) {
			free(pos);
			return wm_err_set(err, WM_ENOMEM, "out of memory");
		}
		for (size_t j = 0; j < n; j++)
			if (d->need[i * n + j])
				st->deps[st->ndeps++] = pos[j];
	}
	free(pos);
	return 0;
}

int
wm_smoke_plan_build(struct wm_smoke_plan *p, struct wm_http_spec *specs, size_t n, const char *file,
		    struct wm_err *err)
{
	struct deps d = {.need = calloc(n * n + 1, 1), .n = n};
	enum wm_step_type *types = calloc(n + 1, sizeof(*types));
	size_t *order = calloc(n + 1, sizeof(*order));
	int rc = -1;

	memset(p, 0, sizeof(*p));
	p->specs = specs;
	p->nspecs = n;
	if (!d.need || !types || !order) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (spec_index(specs, i, specs[i].name, strlen(specs[i].name)) >= 0) {
			plan_fail(err, file, &specs[i], "a second step of that name");
			goto out;
		}
		if (type_of(&specs[i], &types[i]) < 0) {
			plan_fail(err, file, &specs[i], "type = %s: expected http, db or cache",
				  specs[i].type);
			goto out;
		}
		if (check_step(&specs[i], types[i], file, err) < 0 ||
		    step_deps(specs, n, i, &d, file, err) < 0)
			goto out;
	}
	if (order_steps(specs, &d, order, file, err) < 0 ||
	    make_steps(p, &d, order, types, err) < 0)
		goto out;
	rc = 0;
out:
	free(d.need);
	free(types);
	free(order);
	if (rc < 0)
		wm_smoke_plan_free(p);
	return rc;
}

/* The default plan, the login's account from cfg's [smoke] (both keys, or
 * the step cannot run). */
static int
default_plan_load(const struct wm_config *cfg, struct wm_smoke_plan *p, struct wm_err *err)
{
	const char *user = wm_config_get(cfg, "smoke", "login_user");
	const char *file = wm_config_get(cfg, "smoke", "login_password_file");
	char account[1024] = "", text[sizeof(default_plan) + sizeof(account)];
	struct wm_config *dc;
	struct wm_http_spec *v;
	size_t n;
	int rc;

	if (user && file)
		snprintf(account, sizeof(account), "user = %.400s\ncredentials_file = %.500s\n",
			 user, file);
	snprintf(text, sizeof(text), default_plan, account);
	if (!(dc = wm_config_parse("(the default steps)", text, strlen(text), err)))
		return -1;
	rc = wm_config_steps(dc, &v, &n, err);
	wm_config_free(dc);
	if (rc < 0 || wm_smoke_plan_build(p, v, n, NULL, err) < 0)
		return -1;
	p->defaults = true;
	for (size_t k = 0; k < p->n; k++)
		if (strcmp(p->steps[k].spec->name, "login") == 0 &&
		    !p->steps[k].spec->credentials_file)
			p->steps[k].cannot = no_account;
	return 0;
}

int
wm_smoke_plan_load(const struct wm_config *cfg, struct wm_smoke_plan *p, struct wm_err *err)
{
	struct wm_http_spec *v = NULL;
	size_t n = 0;

	memset(p, 0, sizeof(*p));
	if (wm_config_steps(cfg, &v, &n, err) < 0)
		return -1;
	if (n > 0)
		return wm_smoke_plan_build(p, v, n, wm_config_path(cfg), err);
	free(v);
	return default_plan_load(cfg, p, err);
}

/* Mark step k and everything it needs. */
static void
mark(struct wm_smoke_plan *p, size_t k)
{
	if (p->steps[k].run)
		return;
	p->steps[k].run = true;
	for (size_t d = 0; d < p->steps[k].ndeps; d++)
		mark(p, p->steps[k].deps[d]);
}

int
wm_smoke_plan_select(struct wm_smoke_plan *p, const char *const *names, size_t n,
		     struct wm_err *err)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!wm_smoke_plan_find(p, names[i])) {
			char known[WM_ERR_MSG_MAX] = "";
			size_t len = 0;

			for (size_t k = 0; k < p->n && len < sizeof(known); k++)
				len += (size_t)snprintf(known + len, sizeof(known) - len, "%s%s",
							k ? ", " : "", p->steps[k].spec->name);
			return wm_err_set(err, WM_EINVAL, "no step '%.60s' (the plan has: %.160s)",
					  names[i], known);
		}
	}
	for (size_t k = 0; k < p->n; k++)
		p->steps[k].run = false;
	for (size_t i = 0; i < n; i++)
		mark(p, (size_t)(wm_smoke_plan_find(p, names[i]) - p->steps));
	return 0;
}

/* Append to buf at *len, bounded. */
static void add(char *buf, size_t size, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
add(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	*len += n > 0 ? (size_t)n : 0;
}

static void
add_list(char *buf, size_t size, size_t *len, const char *what, char *const *v, size_t n,
	 bool *first)
{
	for (size_t i = 0; i < n; i++) {
		add(buf, size, len, "%s%s %s", *first ? "; expects " : ", ", what, v[i]);
		*first = false;
	}
}

void
wm_smoke_step_describe(const struct wm_smoke_plan *p, size_t k, char *buf, size_t size)
{
	const struct wm_smoke_step *st = &p->steps[k];
	const struct wm_http_spec *s = st->spec;
	size_t len = 0;
	bool first = true;

	buf[0] = '\0';
	if (st->type == WM_STEP_DB)
		add(buf, size, &len, "PostgreSQL: connect, SELECT 1, count the public tables");
	else if (st->type == WM_STEP_CACHE)
		add(buf, size, &len, "Redis: SET, GET and DEL a key with a TTL");
	else
		add(buf, size, &len, "%s %s", s->method ? s->method : "GET", s->url);
	if (st->type == WM_STEP_HTTP) {
		if (s->nexpect_status)
			add_list(buf, size, &len, "status", s->expect_status, s->nexpect_status,
				 &first);
		else
			add_list(buf, size, &len, "status", (char *[]){"2xx"}, 1, &first);
		add_list(buf, size, &len, "header", s->expect_headers, s->nexpect_headers, &first);
		add_list(buf, size, &len, "JSON", s->expect_json, s->nexpect_json, &first);
		if (s->expect_body)
			add_list(buf, size, &len, "body", &s->expect_body, 1, &first);
	}
	if (s->max_time_ms >= 0)
		add(buf, size, &len, "; at most %lld ms", (long long)s->max_time_ms);
	for (size_t c = 0; c < s->ncaptures; c++)
		add(buf, size, &len, "%s%s", c ? ", " : "; captures ", s->captures[c].name);
	for (size_t d = 0; d < st->ndeps; d++)
		add(buf, size, &len, "%s%s", d ? ", " : "; needs ",
		    p->steps[st->deps[d]].spec->name);
	if (s->direct)
		add(buf, size, &len, "; direct");
	if (st->cannot)
		add(buf, size, &len, "; %s", st->cannot);
	wm_redact(buf); /* a literal ?api_key= in a url */
}

const struct wm_smoke_step *
wm_smoke_plan_find(const struct wm_smoke_plan *p, const char *name)
{
	for (size_t k = 0; name && k < p->n; k++)
		if (strcmp(p->steps[k].spec->name, name) == 0)
			return &p->steps[k];
	return NULL;
}

void
wm_smoke_plan_free(struct wm_smoke_plan *p)
{
	if (!p)
		return;
	for (size_t k = 0; p->steps && k < p->n; k++)
		free(p->steps[k].deps);
	free(p->steps);
	wm_http_specs_free(p->specs, p->nspecs);
	memset(p, 0, sizeof(*p));
}
