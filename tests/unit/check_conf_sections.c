/* check_conf_sections.c - [probe], [step], [role], [approver], [general]
 * state_dir: what the accessors gather, what loading refuses, and what became
 * of the keys they replaced. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "conf/conf_print.h"
#include "conf/conf_sections.h"
#include "model/schedule.h"
#include "unit.h"

static struct wm_config *
load(const char *text)
{
	struct wm_err err = {0};
	struct wm_config *cfg = wm_config_parse("s.conf", text, strlen(text), &err);

	ck_assert_msg(cfg != NULL, "%s", err.msg);
	return cfg;
}

static void
refused(const char *text, const char *msg)
{
	struct wm_err err = {0};
	struct wm_config *cfg = wm_config_parse("s.conf", text, strlen(text), &err);

	ck_assert_msg(cfg == NULL, "accepted: %s", text);
	ck_assert_int_eq(err.code, WM_ECONFIG);
	ck_assert_msg(strstr(err.msg, msg), "%s (want %s)", err.msg, msg);
}

START_TEST(test_probes)
{
	struct wm_config *cfg = load("[probe no-token]\nurl = /api/products\nexpect_status = 401\n"
				     "protection = authentication\n"
				     "[probe admin-2fa]\nmethod = PUT\nurl = /api/tenants/x\n"
				     "header = Content-Type: application/json\n"
				     "header = X-Test: a, b\nbody = {}\n"
				     "expect_status = 403, 4xx\nexpect_json = requires2FA = true\n"
				     "credentials_file = ~/admin.cred\nmax_time = 1500ms\n"
				     "enabled = no\n");
	struct wm_http_spec *p;
	size_t n;
	struct wm_err err = {0};

	ck_assert_int_eq(wm_config_probes(cfg, &p, &n, &err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(p[0].name, "no-token");
	ck_assert_str_eq(p[0].method, "GET"); /* the default */
	ck_assert_str_eq(p[0].url, "/api/products");
	ck_assert_uint_eq(p[0].nexpect_status, 1);
	ck_assert_str_eq(p[0].expect_status[0], "401");
	ck_assert_str_eq(p[0].protection, "authentication");
	ck_assert(p[0].enabled);
	ck_assert_int_eq(p[0].max_time_ms, -1);
	ck_assert_int_eq(p[0].line, 2);
	ck_assert_str_eq(p[1].method, "PUT");
	/* a repeated header adds a line; commas stay inside the header */
	ck_assert_uint_eq(p[1].nheaders, 2);
	ck_assert_str_eq(p[1].headers[0], "Content-Type: application/json");
	ck_assert_str_eq(p[1].headers[1], "X-Test: a, b");
	ck_assert_str_eq(p[1].body, "{}");
	ck_assert_uint_eq(p[1].nexpect_status, 2);
	ck_assert_str_eq(p[1].expect_status[1], "4xx");
	ck_assert_uint_eq(p[1].nexpect_json, 1);
	ck_assert_str_eq(p[1].expect_json[0], "requires2FA = true");
	ck_assert_str_eq(p[1].credentials_file, "~/admin.cred");
	ck_assert_int_eq(p[1].max_time_ms, 1500);
	ck_assert(!p[1].enabled);
	wm_http_specs_free(p, n);
	wm_config_free(cfg);
	/* none: the program's defaults */
	cfg = load("[general]\ntimeout = 1s\n");
	ck_assert_int_eq(wm_config_probes(cfg, &p, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(p);
	wm_config_free(cfg);
}
END_TEST

START_TEST(test_steps)
{
	struct wm_config *cfg =
	    load("[step login]\nmethod = POST\nurl = /api/auth/login\n"
		 "body_file = ~/login.json\nexpect_json = token\n"
		 "capture token = json:token\ncapture rid = header:X-Request-Id\n"
		 "[step products]\nurl = /api/products\n"
		 "header = Authorization: Bearer {{token}}\nafter = login\n"
		 "expect_header = Content-Type: application/json\n"
		 "expect_body = \"id\":\\s*\\d+\ndirect = yes\n");
	struct wm_http_spec *s;
	size_t n, nw;
	struct wm_err err = {0};

	wm_config_warnings(cfg, &nw);
	ck_assert_uint_eq(nw, 0); /* a {{capture}} header is no secret */
	ck_assert_int_eq(wm_config_steps(cfg, &s, &n, &err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(s[0].body_file, "~/login.json");
	ck_assert_uint_eq(s[0].ncaptures, 2);
	ck_assert_str_eq(s[0].captures[0].name, "token");
	ck_assert(!s[0].captures[0].header);
	ck_assert_str_eq(s[0].captures[0].from, "token");
	ck_assert_str_eq(s[0].captures[1].name, "rid");
	ck_assert(s[0].captures[1].header);
	ck_assert_str_eq(s[0].captures[1].from, "X-Request-Id");
	ck_assert_uint_eq(s[1].nafter, 1);
	ck_assert_str_eq(s[1].after[0], "login");
	ck_assert_str_eq(s[1].headers[0], "Authorization: Bearer {{token}}");
	ck_assert_str_eq(s[1].expect_headers[0], "Content-Type: application/json");
	ck_assert_str_eq(s[1].expect_body, "\"id\":\\s*\\d+");
	ck_assert(s[1].direct && !s[0].direct);
	wm_http_specs_free(s, n);
	wm_config_free(cfg);
}
END_TEST

START_TEST(test_step_order_errors)
{
	struct wm_config *cfg =
	    load("[step a]\nurl = /a\nafter = b\n[step b]\nurl = /b\nafter = a\n");
	struct wm_http_spec *s;
	size_t n;
	struct wm_err err = {0};

	ck_assert_int_eq(wm_config_steps(cfg, &s, &n, &err), -1);
	ck_assert_int_eq(err.code, WM_ECONFIG);
	ck_assert_msg(strstr(err.msg, "'after' makes a cycle"), "%s", err.msg);
	ck_assert_ptr_null(s);
	wm_config_free(cfg);
	cfg = load("[step a]\nurl = /a\nafter = nosuch\n");
	ck_assert_int_eq(wm_config_steps(cfg, &s, &n, &err), -1);
	ck_assert_msg(strstr(err.msg, "s.conf:2: [step a]: after = nosuch: no such step"), "%s",
		      err.msg);
	wm_config_free(cfg);
}
END_TEST

/* Values that cannot be right are refused when the file is loaded. */
START_TEST(test_bad_values)
{
	refused("[probe p]\nmethod = get\n", "method: expected an HTTP method");
	refused("[probe p]\nexpect_status = 200, 600\n", "expected HTTP statuses");
	refused("[step s]\nexpect_status = ok\n", "expected HTTP statuses");
	refused("[step s]\ncapture t = body:x\n", "expected json:PATH or header:NAME");
	refused("[step s]\nheader = no colon\n", "header: expected 'Name: value'");
	refused("[role r]\nlevel = 10\n", "expected a level 1-9");
	refused("[role r]\nresponse_time = soon\n", "response_time");
	refused("[step]\nurl = /\n", "[step] needs a name");
	refused("[step s]\nmax_time = x\n", "max_time");
}
END_TEST

/* The runbook's escalation chain, sorted by level. */
START_TEST(test_roles_and_approvers)
{
	struct wm_config *cfg = load("[role cto]\nlevel = 4\nresponse_time = 0\n"
				     "handles = pg.data_loss\n"
				     "[role oncall]\ntitle = Primary on-call\nlevel = 1\n"
				     "contacts = a@x.test, +62-1\nresponse_time = 5m\n"
				     "[role observer]\ncontacts = o@x.test\n"
				     "[role security_lead]\nlevel = 3\nresponse_time = 2m\n"
				     "command = /bin/page\n"
				     "[approver qa]\ntitle = QA Lead\nsigns_for = smoke\n"
				     "[approver pm]\nrequired = no\n");
	struct wm_role *r;
	struct wm_approver *a;
	size_t n;
	struct wm_err err = {0};

	ck_assert_int_eq(wm_config_roles(cfg, &r, &n, &err), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(r[0].name, "oncall");
	ck_assert_str_eq(r[0].title, "Primary on-call");
	ck_assert_uint_eq(r[0].ncontacts, 2);
	ck_assert_str_eq(r[0].contacts[1], "+62-1");
	ck_assert_int_eq(r[0].response_ms, 300000);
	ck_assert_str_eq(r[1].name, "security_lead");
	ck_assert_str_eq(r[1].command, "/bin/page");
	ck_assert_str_eq(r[2].name, "cto");
	ck_assert_int_eq(r[2].response_ms, 0); /* immediately */
	ck_assert_str_eq(r[2].handles[0], "pg.data_loss");
	ck_assert_str_eq(r[3].name, "observer"); /* no level: last */
	ck_assert_str_eq(r[3].title, "observer");
	ck_assert_int_eq(r[3].level, 0);
	ck_assert_int_eq(r[3].response_ms, -1);
	wm_roles_free(r, n);
	ck_assert_int_eq(wm_config_approvers(cfg, &a, &n, &err), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(a[0].title, "QA Lead");
	ck_assert_str_eq(a[0].signs_for[0], "smoke");
	ck_assert(a[0].required);
	ck_assert(!a[1].required);
	wm_approvers_free(a, n);
	wm_config_free(cfg);
}
END_TEST

/* The keys the new sections replaced still read, with a warning naming the
 * replacement; the ones that stay do not warn. */
START_TEST(test_replaced_keys)
{
	struct wm_config *cfg = load("[smoke]\nhealth_path = /health\ntimeout = 5s\n"
				     "[security]\nprobes = /a\nrequire_2fa = yes\n"
				     "[escalation]\ncontacts = a@x.test\napprovers = b@x.test\n"
				     "command = /bin/true\n");
	size_t n;
	const char *const *w = wm_config_warnings(cfg, &n);

	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(w[0], "s.conf:2: [smoke] health_path is replaced by a [step NAME] "
			       "section (url = PATH) (warunginmon.conf(5))");
	ck_assert_msg(strstr(w[1], "[security] probes is replaced by one [probe NAME]"), "%s",
		      w[1]);
	ck_assert_msg(strstr(w[2], "[escalation] contacts is replaced by the contacts of [role"),
		      "%s", w[2]);
	ck_assert_msg(strstr(w[3], "[escalation] approvers is replaced by one [approver"), "%s",
		      w[3]);
	ck_assert_str_eq(wm_config_get(cfg, "smoke", "health_path"), "/health");
	ck_assert_ptr_nonnull(wm_config_key_replaced("escalation", "approvers"));
	ck_assert_ptr_null(wm_config_key_replaced("escalation", "command"));
	wm_config_free(cfg);
}
END_TEST

/* WM_STATE_DIR, then [general] state_dir, then the XDG default. */
START_TEST(test_state_dir)
{
	struct wm_config *cfg = load("[general]\nstate_dir = ~/st\n");
	struct wm_config *none = load("[general]\ntimeout = 1s\n");
	char buf[256];
	enum wm_origin from;

	setenv("HOME", "/home/u", 1);
	setenv("XDG_STATE_HOME", "/xdg", 1);
	setenv("WM_STATE_DIR", "/env/st", 1);
	ck_assert_int_eq(wm_config_state_dir(cfg, buf, sizeof buf, &from, NULL), 0);
	ck_assert_str_eq(buf, "/env/st");
	ck_assert_int_eq(from, WM_FROM_ENV);
	unsetenv("WM_STATE_DIR");
	ck_assert_int_eq(wm_config_state_dir(cfg, buf, sizeof buf, &from, NULL), 0);
	ck_assert_str_eq(buf, "/home/u/st");
	ck_assert_int_eq(from, WM_FROM_FILE);
	ck_assert_int_eq(wm_config_state_dir(none, buf, sizeof buf, &from, NULL), 0);
	ck_assert_str_eq(buf, "/xdg/warunginmon");
	ck_assert_int_eq(from, WM_FROM_DEFAULT);
	ck_assert_int_eq(wm_config_state_dir(NULL, buf, sizeof buf, &from, NULL), 0);
	ck_assert_int_eq(wm_config_state_dir(cfg, buf, 4, &from, NULL), -1);
	wm_config_free(cfg);
	wm_config_free(none);
}
END_TEST

/* wm_config_print writes to the caller's FILE*: origins, masking, errors. */
START_TEST(test_print)
{
	struct wm_config *cfg = load("[target a]\nredis = 127.0.0.1:6379\n"
				     "postgres = host=x password=hunter2\n"
				     "[thresholds]\nerrors.errors.web.warning = 3\n"
				     "[step s]\nheader = Authorization: Bearer {{token}}\n"
				     "body = {\"password\":\"hunter3\",\"otp\":\"{{otp}}\"}\n");
	const struct wm_target *t = wm_config_target(cfg, "a", NULL);
	const char *w[] = {"hit_rate=90:"};
	struct wm_print_opts o = {.timeout_ms = 2500, .target = "a", .warn = w, .nwarn = 1};
	struct wm_err err = {0};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	unsetenv("WM_REDIS");
	setenv("WM_POSTGRES", "host=y", 1); /* not applied: the target was built before */
	ck_assert_int_eq(wm_config_print(cfg, t, &o, f, &err), 0);
	fclose(f);
	unsetenv("WM_POSTGRES");
	ck_assert_msg(strstr(buf, "; configuration file: s.conf\n"), "%s", buf);
	ck_assert_msg(strstr(buf, "timeout = 2.5s") && strstr(buf, "; command line (--timeout)"),
		      "%s", buf);
	ck_assert_msg(strstr(buf, "redis = 127.0.0.1:6379") && strstr(buf, "; s.conf:2\n"), "%s",
		      buf);
	ck_assert_msg(strstr(buf, "postgres = host=x password=***"), "%s", buf);
	ck_assert_ptr_null(strstr(buf, "hunter2"));
	ck_assert_msg(strstr(buf, "errors.errors.web.warning = 3"), "%s", buf);
	ck_assert_msg(strstr(buf, "; -w hit_rate=90: (command line, wins)"), "%s", buf);
	ck_assert_msg(strstr(buf, "header = Authorization: Bearer {{token}}"), "%s", buf);
	/* a capture in the value does not unmask a literal secret beside it */
	ck_assert_msg(strstr(buf, "\"password\":\"***\",\"otp\":\"{{otp}}\""), "%s", buf);
	ck_assert_msg(!strstr(buf, "hunter3"), "%s", buf);
	ck_assert_msg(strstr(buf, "; warning: s.conf:8: 'body' holds a password"), "%s", buf);
	ck_assert_msg(strstr(buf, "; chosen on the command line (-t)"), "%s", buf);
	free(buf);
	/* no target: an error, nothing written */
	buf = NULL;
	f = open_memstream(&buf, &len);
	ck_assert_int_eq(wm_config_print(cfg, NULL, NULL, f, &err), -1);
	fclose(f);
	ck_assert_uint_eq(len, 0);
	free(buf);
	wm_config_free(cfg);
}
END_TEST

/* wm-run's plan: the runbook's with [tier NAME] sections over it. */
START_TEST(test_plan)
{
	static const struct {
		const char *text, *err; /* err NULL: accepted */
	} bad[] = {
	    {"[tier extra]\nat = 1h\n", "s.conf:2: [tier extra]: a new tier needs at and checks"},
	    {"[tier quick]\nwindow = 1h\nat = soon\n", "s.conf:3: [tier quick]: schedule quick at"},
	    {"[tier quick]\nchecks = services, bogus\n", "unknown check 'bogus'"},
	    {"[tier Big]\nat = 1h\nchecks = services\n", "tier name 'Big'"},
	};
	struct wm_schedule *p = malloc(sizeof(*p));
	struct wm_config *cfg;
	struct wm_err err = {0};
	const struct wm_schedule_tier *t;

	ck_assert_ptr_nonnull(p);
	cfg = load("[tier quick]\nat = none\n[tier extra]\nat = 30m, 2h..4h/1h\n"
		   "checks = services errors\n[tier smoke]\nwindow = 1h\ngrace = 1m\n");
	ck_assert_int_eq(wm_config_plan(cfg, p, &err), 0);
	ck_assert_uint_eq(p->n_tiers, 8);
	ck_assert_uint_eq(wm_schedule_find(p, "quick")->n_at, 0);
	t = wm_schedule_find(p, "extra");
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(t->n_at, 4);
	ck_assert_int_eq(t->at[0], 30 * 60000);
	ck_assert_uint_eq(t->checks, (1u << WM_SCHED_SERVICES) | (1u << WM_SCHED_ERRORS));
	ck_assert_int_eq(t->window_ms, 3600000); /* a new tier's default */
	t = wm_schedule_find(p, "smoke");
	ck_assert_uint_eq(t->n_at, 5); /* its ticks stay the runbook's */
	ck_assert_int_eq(t->window_ms, 3600000);
	ck_assert_int_eq(t->grace_ms, 60000);
	wm_config_free(cfg);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = (struct wm_err){0};
		cfg = load(bad[i].text);
		ck_assert_int_eq(wm_config_plan(cfg, p, &err), -1);
		ck_assert_msg(strstr(err.msg, bad[i].err), "%s (want %s)", err.msg, bad[i].err);
		wm_config_free(cfg);
	}
	free(p);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("conf_sections");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_probes);
	tcase_add_test(tc, test_steps);
	tcase_add_test(tc, test_step_order_errors);
	tcase_add_test(tc, test_bad_values);
	tcase_add_test(tc, test_roles_and_approvers);
	tcase_add_test(tc, test_replaced_keys);
	tcase_add_test(tc, test_state_dir);
	tcase_add_test(tc, test_print);
	tcase_add_test(tc, test_plan);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
