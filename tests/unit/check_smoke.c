/* check_smoke.c - lib/checks/smoke*: the plan (defaults, order from
 * captures and after, what it refuses, --step), {{NAME}} expansion and
 * masking, judging answers and captures with fixtures, and the unit end to
 * end against a loopback server (http_server.h): a capture used by the next
 * step, a failure whose dependents are "not run", max_time WARNING, a
 * timeout, and no captured value in the result. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "checks/smoke.h"
#include "conf/conf.h"
#include "http_server.h"
#include "model/threshold.h"
#include "render/render.h"
#include "session/session.h"
#include "unit.h"

static struct wm_config *
load(const char *text)
{
	struct wm_err err = {0};
	struct wm_config *cfg = wm_config_parse("s.conf", text, strlen(text), &err);

	ck_assert_msg(cfg != NULL, "%s", err.msg);
	return cfg;
}

/* The plan of text, or -1 with err. */
static int
plan_of(const char *text, struct wm_smoke_plan *p, struct wm_err *err)
{
	struct wm_config *cfg = load(text);
	int rc = wm_smoke_plan_load(cfg, p, err);

	wm_config_free(cfg);
	return rc;
}

/* The run order as "a b c". */
static const char *
order(const struct wm_smoke_plan *p)
{
	static char buf[256];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < p->n; k++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", k ? " " : "",
					p->steps[k].spec->name);
	return buf;
}

START_TEST(test_defaults)
{
	struct wm_smoke_plan p;
	struct wm_err err = {0};
	const struct wm_smoke_step *st;
	char line[512];

	ck_assert_int_eq(plan_of("[smoke]\ntimeout = 5s\n", &p, &err), 0);
	ck_assert(p.defaults);
	ck_assert_str_eq(order(&p), "login products api-health health frontend db cache");
	st = wm_smoke_plan_find(&p, "login");
	ck_assert_msg(st->cannot && strstr(st->cannot, "login_user"), "no account is said");
	st = wm_smoke_plan_find(&p, "products");
	ck_assert_uint_eq(st->ndeps, 1);
	ck_assert_str_eq(p.steps[st->deps[0]].spec->name, "login");
	ck_assert_int_eq(wm_smoke_plan_find(&p, "db")->type, WM_STEP_DB);
	wm_smoke_step_describe(&p, 1, line, sizeof(line));
	ck_assert_str_eq(line, "GET /api/products?page=1&limit=1; expects status 200, JSON data; "
			       "needs login");
	wm_smoke_plan_free(&p);

	ck_assert_int_eq(
	    plan_of("[smoke]\nlogin_user = a@b.test\nlogin_password_file = /x\n", &p, &err), 0);
	st = wm_smoke_plan_find(&p, "login");
	ck_assert_ptr_null(st->cannot);
	ck_assert_str_eq(st->spec->user, "a@b.test");
	wm_smoke_plan_free(&p);
}
END_TEST

/* A step that uses a capture runs after the step that takes it, whatever
 * the file order; after = orders too; the rest keeps file order. */
START_TEST(test_order)
{
	struct wm_smoke_plan p;
	struct wm_err err = {0};

	ck_assert_int_eq(plan_of("[step me]\nurl = /me\nheader = Authorization: Bearer {{token}}\n"
				 "[step health]\nurl = /health\n"
				 "[step logout]\nmethod = POST\nurl = /logout\nafter = me\n"
				 "[step login]\nmethod = POST\nurl = /login\nbody = {}\n"
				 "capture token = json:token\n"
				 "[step db]\ntype = db\nmax_time = 1s\n",
				 &p, &err),
			 0);
	ck_assert(!p.defaults);
	ck_assert_str_eq(order(&p), "health login me logout db");
	ck_assert_uint_eq(wm_smoke_plan_find(&p, "me")->ndeps, 1);
	/* --step logout: logout, me and login; not health nor db */
	ck_assert_int_eq(wm_smoke_plan_select(&p, (const char *[]){"logout"}, 1, &err), 0);
	ck_assert(!wm_smoke_plan_find(&p, "health")->run);
	ck_assert(wm_smoke_plan_find(&p, "login")->run);
	ck_assert(wm_smoke_plan_find(&p, "me")->run);
	ck_assert(!wm_smoke_plan_find(&p, "db")->run);
	ck_assert_int_eq(wm_smoke_plan_select(&p, (const char *[]){"nosuch"}, 1, &err), -1);
	ck_assert_int_eq(err.code, WM_EINVAL);
	ck_assert_msg(strstr(err.msg, "no step 'nosuch' (the plan has: health, login, me"), "%s",
		      err.msg);
	wm_smoke_plan_free(&p);
}
END_TEST

static void
plan_refused(const char *text, const char *want)
{
	struct wm_smoke_plan p;
	struct wm_err err = {0};

	ck_assert_msg(plan_of(text, &p, &err) == -1, "accepted: %s", text);
	ck_assert_int_eq(err.code, WM_ECONFIG);
	ck_assert_msg(strstr(err.msg, want), "%s (want %s)", err.msg, want);
	ck_assert_ptr_null(p.steps);
}

START_TEST(test_refused)
{
	plan_refused("[step a]\nurl = /a?t={{tokn}}\n", "s.conf:2: [step a]: {{tokn}}: no step "
							"captures it");
	plan_refused("[step a]\nurl = /a\ncapture t = json:t\n[step b]\nurl = /b\n"
		     "capture t = header:T\n",
		     "[step b]: capture t: also captured by step a");
	plan_refused("[step a]\nurl = /a\ncapture t = json:t\nheader = X: {{t}}\n",
		     "{{t}} is its own capture");
	plan_refused("[step a]\nurl = /a\nheader = X: {{u}}\ncapture t = json:t\n"
		     "[step b]\nurl = /b\nheader = Y: {{t}}\ncapture u = json:u\n",
		     "its dependencies make a cycle");
	plan_refused("[step a]\ntype = db\nurl = /x\n", "type = db takes only after and max_time");
	plan_refused("[step a]\nmethod = POST\n", "[step a]: no url");
	plan_refused("[step a]\nurl = ftp://x/\n", "url: a path (/api/x) or an http(s) URL");
	plan_refused("[step a]\nurl = /a\ncredentials_file = /p\n",
		     "credentials_file without a body needs user = ACCOUNT");
	plan_refused("[step a]\nurl = /a\nbody = {\"p\":\"{{password}}\"}\n",
		     "{{password}} without credentials_file");
	plan_refused("[step a]\nurl = /a\nexpect_json = data..x\n", "bad JSON path 'data..x'");
	plan_refused("[step a]\nurl = /a\nexpect_body = (unclosed\n", "expect_body: pattern");
	plan_refused("[step a]\nurl = /a\ncapture password = json:p\n",
		     "capture password: a reserved name");
	plan_refused("[step a]\nurl = /a\ncapture t = json:a[x]\n", "bad JSON path 'a[x]'");
}
END_TEST

START_TEST(test_expand_and_mask)
{
	struct wm_smoke_vars v = {0};
	struct wm_err err = {0};
	const char *pos = "a {{ token }} {{x y}} {{ok}}", *name;
	size_t len;
	char *s, buf[128];

	ck_assert(wm_smoke_ref_next(&pos, &name, &len));
	ck_assert_int_eq((int)len, 5);
	ck_assert(wm_smoke_ref_next(&pos, &name, &len)); /* {{x y}} is text */
	ck_assert_int_eq(strncmp(name, "ok", len), 0);
	ck_assert(!wm_smoke_ref_next(&pos, &name, &len));

	ck_assert_int_eq(wm_smoke_vars_set(&v, "token", "abc.DEF-123456", WM_MASK_LONG), 0);
	ck_assert_int_eq(wm_smoke_vars_set(&v, "id", "42", WM_MASK_LONG), 0);
	ck_assert_int_eq(wm_smoke_vars_set(&v, "password", "p\"w\\1", WM_MASK_ALWAYS), 0);
	ck_assert_int_eq(wm_smoke_vars_set(&v, "user", "cashier@warungin.test", WM_MASK_NEVER), 0);
	s = wm_smoke_expand("Bearer {{token}} /x/{{ id }}", &v, false, &err);
	ck_assert_str_eq(s, "Bearer abc.DEF-123456 /x/42");
	free(s);
	s = wm_smoke_expand("{\"e\":\"{{user}}\",\"p\":\"{{password}}\"}", &v, true, &err);
	ck_assert_str_eq(s, "{\"e\":\"cashier@warungin.test\",\"p\":\"p\\\"w\\\\1\"}");
	free(s);
	ck_assert_ptr_null(wm_smoke_expand("{{nope}}", &v, false, &err));
	ck_assert_int_eq(err.code, WM_ENOTFOUND);
	ck_assert_str_eq(err.msg, "{{nope}} has no value");

	s = wm_smoke_mask("got abc.DEF-123456 for id 42 as cashier@warungin.test with p\"w\\1", &v);
	ck_assert_str_eq(s, "got *** for id 42 as cashier@warungin.test with ***");
	free(s);
	snprintf(buf, sizeof(buf), "Authorization: Bearer xyz");
	wm_smoke_mask_buf(buf, sizeof(buf), &v);
	ck_assert_msg(!strstr(buf, "xyz"), "%s", buf);
	wm_smoke_vars_free(&v);
}
END_TEST

/* An answer as the client would get it. */
static struct wm_http_resp
answer(long status, const char *body, const char *hname, const char *hvalue)
{
	static struct wm_http_header h;
	struct wm_http_resp r = {.status = status, .body = (char *)body, .body_len = strlen(body)};

	if (hname) {
		h.name = (char *)hname;
		h.value = (char *)hvalue;
		r.headers = &h;
		r.nheaders = 1;
	}
	return r;
}

/* The verdict of spec (from a [step x] text) on an answer; reason into why. */
static int
judged(const char *text, const struct wm_http_resp *r, char *why, size_t size)
{
	struct wm_config *cfg = load(text);
	struct wm_http_spec *v;
	size_t n;
	cJSON *json = wm_smoke_json(r);
	int rc;

	ck_assert_int_eq(wm_config_steps(cfg, &v, &n, NULL), 0);
	rc = wm_smoke_judge(&v[0], r, json, why, size);
	cJSON_Delete(json);
	wm_http_specs_free(v, n);
	wm_config_free(cfg);
	return rc;
}

START_TEST(test_judge)
{
	struct wm_http_resp ok = answer(200,
					" {\"status\":\"ok\",\"n\":3,\"b\":true,\"d\":{\"x\":[1,"
					"{\"id\":\"7\"}]}}",
					"Content-Type", "application/json");
	struct wm_http_resp denied = answer(401,
					    "{\"error\":\"Password salah\",\"message\":"
					    "\"Password salah\"}",
					    NULL, NULL);
	struct wm_http_resp html = answer(200, "<div id=\"root\">x</div>", NULL, NULL);
	char why[256];

	ck_assert_int_eq(judged("[step a]\nurl = /\n", &ok, why, sizeof(why)), 0);
	ck_assert_int_eq(judged("[step a]\nurl = /\nexpect_status = 201, 2xx\n"
				"expect_header = content-type: application/json\n"
				"expect_json = status = ok\nexpect_json = n = 3.0\n"
				"expect_json = b = true\nexpect_json = $.d.x[1].id = \"7\"\n"
				"expect_json = d.x[0]\n",
				&ok, why, sizeof(why)),
			 0);
	ck_assert_int_eq(
	    judged("[step a]\nurl = /\nexpect_status = 200\n", &denied, why, sizeof(why)), 1);
	ck_assert_str_eq(why, "expected status 200, got 401: Password salah");
	ck_assert_int_eq(judged("[step a]\nurl = /\n", &denied, why, sizeof(why)), 1);
	ck_assert_str_eq(why, "expected status 2xx, got 401: Password salah");
	ck_assert_int_eq(judged("[step a]\nurl = /\nexpect_json = token\n", &ok, why, sizeof(why)),
			 1);
	ck_assert_str_eq(why, "JSON token missing");
	ck_assert_int_eq(
	    judged("[step a]\nurl = /\nexpect_json = status = healthy\n", &ok, why, sizeof(why)),
	    1);
	ck_assert_str_eq(why, "JSON status: expected 'healthy', got 'ok'");
	ck_assert_int_eq(judged("[step a]\nurl = /\nexpect_json = d = 1\n", &ok, why, sizeof(why)),
			 1);
	ck_assert_str_eq(why, "JSON d: expected '1', got an object");
	ck_assert_int_eq(
	    judged("[step a]\nurl = /\nexpect_json = token\n", &html, why, sizeof(why)), 1);
	ck_assert_str_eq(why, "the answer is not JSON (expected token)");
	ck_assert_int_eq(
	    judged("[step a]\nurl = /\nexpect_header = X-Frame-Options\n", &ok, why, sizeof(why)),
	    1);
	ck_assert_str_eq(why, "header X-Frame-Options missing");
	ck_assert_int_eq(judged("[step a]\nurl = /\nexpect_header = Content-Type: text/html\n", &ok,
				why, sizeof(why)),
			 1);
	ck_assert_str_eq(why, "header Content-Type: expected 'text/html', got 'application/json'");
	ck_assert_int_eq(
	    judged("[step a]\nurl = /\nexpect_body = id=\"root\"\n", &html, why, sizeof(why)), 0);
	ck_assert_int_eq(
	    judged("[step a]\nurl = /\nexpect_body = ^healthy\n", &html, why, sizeof(why)), 1);
	ck_assert_str_eq(why, "the body (22 bytes) does not match '^healthy'");
	ck_assert(wm_smoke_status_ok(NULL, 0, 204));
	ck_assert(!wm_smoke_status_ok(NULL, 0, 302));
	ck_assert(wm_smoke_status_ok((char *[]){"4xx"}, 1, 404));
	ck_assert(!wm_smoke_status_ok((char *[]){"401"}, 1, 403));
}
END_TEST

START_TEST(test_capture)
{
	struct wm_http_resp r = answer(200, "{\"token\":\"t0k3n\",\"n\":12,\"o\":{},\"z\":null}",
				       "X-Request-Id", "rid-1");
	cJSON *json = wm_smoke_json(&r);
	struct wm_capture c = {.name = "t", .from = "token"};
	char *v, why[128];

	ck_assert_int_eq(wm_smoke_capture(&c, &r, json, &v, why, sizeof(why)), 0);
	ck_assert_str_eq(v, "t0k3n");
	free(v);
	c.from = "n";
	ck_assert_int_eq(wm_smoke_capture(&c, &r, json, &v, why, sizeof(why)), 0);
	ck_assert_str_eq(v, "12");
	free(v);
	c.from = "o";
	ck_assert_int_eq(wm_smoke_capture(&c, &r, json, &v, why, sizeof(why)), 1);
	ck_assert_str_eq(why, "capture t: JSON o is not a value");
	c.from = "z";
	ck_assert_int_eq(wm_smoke_capture(&c, &r, json, &v, why, sizeof(why)), 1);
	c.from = "missing";
	ck_assert_int_eq(wm_smoke_capture(&c, &r, json, &v, why, sizeof(why)), 1);
	ck_assert_str_eq(why, "capture t: JSON missing missing");
	c.header = true;
	c.from = "x-request-id";
	ck_assert_int_eq(wm_smoke_capture(&c, &r, json, &v, why, sizeof(why)), 0);
	ck_assert_str_eq(v, "rid-1");
	free(v);
	c.from = "X-Other";
	ck_assert_int_eq(wm_smoke_capture(&c, &r, json, &v, why, sizeof(why)), 1);
	ck_assert_str_eq(why, "capture t: header X-Other missing");
	cJSON_Delete(json);
}
END_TEST

static char dir[] = "/tmp/wm-check-smoke-XXXXXX";

/* Run the smoke unit over a session of the configuration text; the result. */
static struct wm_result *
run_unit(const char *text, const struct wm_smoke_check_opts *o)
{
	char path[512];
	FILE *f;
	struct wm_session_opts so = {.config = path, .timeout_ms = 5000};
	struct wm_err err = {0};
	struct wm_session *s;
	struct wm_result *r = wm_result_new("wm-smoke", "0", NULL);

	snprintf(path, sizeof(path), "%s/wm.conf", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
	chmod(path, 0600);
	ck_assert_msg((s = wm_session_open(&so, &err)) != NULL, "%s", err.msg);
	ck_assert_int_eq(wm_check_run(wm_check_find("smoke"), s, o, NULL, r, &err), 0);
	wm_session_close(s);
	return r;
}

static const char *
state_of(const struct wm_result *r, const char *check)
{
	const struct wm_check *c = wm_result_find_check(r, check);

	return c ? wm_state_name(c->state) : "(none)";
}

static const char *
summary_of(const struct wm_result *r, const char *check)
{
	const struct wm_check *c = wm_result_find_check(r, check);

	return c ? c->summary : "(none)";
}

START_TEST(test_unit)
{
	int port;
	pid_t srv = ts_start_tcp(&port);
	char conf[2048], *json;
	struct wm_result *r;
	size_t len;
	FILE *f;

	ck_assert_int_gt(srv, 0);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(
	    conf, sizeof(conf),
	    "[target t]\nbase_url = http://127.0.0.1:%d/\n"
	    "[smoke]\ntimeout = 1s\nheader = X-Forwarded-For: 192.0.2.7\n"
	    "[step echo]\nurl = /echo\nheader = Authorization: Bearer {{token}}\n"
	    "expect_body = (?s)^(?=.*Bearer s3cr3t-T0KEN-v4lue)(?=.*X-Forwarded-For: 192.0.2.7)\n"
	    "[step login]\nmethod = POST\nurl = /json\n"
	    "body = {\"token\":\"s3cr3t-T0KEN-v4lue\",\"n\":1}\n"
	    "expect_json = n = 1\ncapture token = json:token\n"
	    "[step slow]\nurl = /slow\nmax_time = 100ms\n"
	    "[step broken]\nurl = /status/500\n"
	    "[step after-broken]\nurl = /echo\nafter = broken\n"
	    "[step after-after]\nurl = /echo\nafter = after-broken\n"
	    "[step silent]\nurl = /silent\n",
	    port);
	r = run_unit(conf, NULL);
	ck_assert_str_eq(state_of(r, "smoke.login"), "OK");
	ck_assert_msg(strstr(summary_of(r, "smoke.login"), "POST /json: 200 in "), "%s",
		      summary_of(r, "smoke.login"));
	ck_assert_msg(strstr(summary_of(r, "smoke.login"), "DNS "), "timings are given");
	ck_assert_str_eq(state_of(r, "smoke.echo"), "OK");
	ck_assert_str_eq(state_of(r, "smoke.slow"), "WARNING");
	ck_assert_str_eq(state_of(r, "smoke.broken"), "CRITICAL");
	ck_assert_msg(strstr(summary_of(r, "smoke.broken"), "expected status 2xx, got 500"), "%s",
		      summary_of(r, "smoke.broken"));
	ck_assert_str_eq(summary_of(r, "smoke.after-broken"), "not run: broken failed");
	ck_assert_str_eq(summary_of(r, "smoke.after-after"), "not run: broken failed");
	ck_assert_str_eq(state_of(r, "smoke.after-after"), "UNKNOWN");
	ck_assert_str_eq(state_of(r, "smoke.silent"), "CRITICAL");
	ck_assert_msg(strstr(summary_of(r, "smoke.silent"), "no answer within"), "%s",
		      summary_of(r, "smoke.silent"));
	ck_assert_str_eq(state_of(r, "smoke"), "CRITICAL");
	ck_assert_str_eq(summary_of(r, "smoke"), "3/7 steps OK; failed: broken, silent; not run: "
						 "after-broken, after-after");
	/* the captured token is nowhere in the result */
	f = open_memstream(&json, &len);
	ck_assert_int_eq(wm_render(r, WM_FORMAT_JSON, f, 0), 0);
	fclose(f);
	ck_assert_msg(!strstr(json, "s3cr3t-T0KEN"), "the token leaked: %s", json);
	ck_assert_msg(strstr(json, "\"captures\":[\"token\"]"), "%s", json);
	free(json);
	wm_result_free(r);

	/* --step echo: echo and login only */
	r = run_unit(conf, &(struct wm_smoke_check_opts){(const char *[]){"echo"}, 1});
	ck_assert_str_eq(state_of(r, "smoke.echo"), "OK");
	ck_assert_str_eq(state_of(r, "smoke.broken"), "(none)");
	ck_assert_str_eq(summary_of(r, "smoke"), wm_result_find_check(r, "smoke")->summary);
	ck_assert_msg(strstr(summary_of(r, "smoke"), "2/2 steps OK in "), "%s",
		      summary_of(r, "smoke"));
	wm_result_free(r);
	ts_stop(srv);
	wm_unit_rm_tree(dir);
	(void)ts_start_unix; /* the other half of http_server.h */
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("smoke");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_order);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_expand_and_mask);
	tcase_add_test(tc, test_judge);
	tcase_add_test(tc, test_capture);
	tcase_add_test(tc, test_unit);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
