/* check_session.c - lib/session: opening (configuration, target, -H,
 * timeout), the log hook, the deadline and budgets, a local connection, the
 * mark of the suite's requests, the check table's runner over a fake unit,
 * and the security analyzer's services read from a session's configuration. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks/checks.h"
#include "checks/security_follow.h"
#include "base/duration.h"
#include "session/session.h"
#include "unit.h"

static char dir[] = "/tmp/wm-check-session-XXXXXX";
static char path[512];
static char said[4096];
static int nsaid;

static void
hook(void *arg, enum wm_log_level level, const char *msg)
{
	size_t n = strlen(said);

	(void)arg;
	nsaid++;
	snprintf(said + n, sizeof(said) - n, "%d:%s\n", (int)level, msg);
}

/* Write the configuration text with mode. */
static void
config(const char *text, mode_t mode)
{
	FILE *f;

	snprintf(path, sizeof(path), "%s/wm.conf", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
	said[0] = '\0';
	nsaid = 0;
}

static struct wm_session *
open_with(const char *target, const char *host, int64_t timeout_ms, int verbose, struct wm_err *err)
{
	struct wm_session_opts o = {.config = path,
				    .target = target,
				    .host = host,
				    .timeout_ms = timeout_ms,
				    .log = hook,
				    .verbose = verbose};

	return wm_session_open(&o, err);
}

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("WM_STATE_DIR", dir, 1);
	unsetenv("WM_TARGET");
}

static void
teardown(void)
{
	wm_unit_rm_tree(dir);
	memcpy(dir + strlen(dir) - 6, "XXXXXX", 6);
}

START_TEST(test_warnings_through_the_hook)
{
	struct wm_err err = {0};
	struct wm_session *s;

	config("[target t]\nredis_pasword_file = /x\nproject = p\n", 0666);
	s = open_with("t", NULL, 0, 0, &err);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(strstr(said, "unknown key 'redis_pasword_file'"));
	ck_assert_ptr_nonnull(strstr(said, "writable by anyone (mode 0666)"));
	ck_assert_ptr_null(strstr(said, "1:")); /* nothing below WARNING at verbose 0 */
	wm_session_close(s);
}
END_TEST

START_TEST(test_target_host_and_timeout)
{
	struct wm_err err = {0};
	struct wm_session *s;

	config("[general]\ntimeout = 2500ms\n[target t]\nproject = shop\n", 0600);
	s = open_with("t", NULL, 0, 0, &err);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(nsaid, 0);
	ck_assert_str_eq(wm_session_target_name(s), "t");
	ck_assert_str_eq(wm_session_project(s), "shop");
	ck_assert(!wm_session_is_remote(s));
	ck_assert_int_eq(wm_session_timeout_ms(s), 2500); /* [general] timeout */
	wm_session_close(s);

	s = open_with("t", "deploy@10.0.0.5:2222", 700, 0, &err);
	ck_assert_ptr_nonnull(s);
	ck_assert(wm_session_is_remote(s));
	ck_assert_str_eq(wm_session_target(s)->host, "10.0.0.5");
	ck_assert_int_eq(wm_session_target(s)->port, 2222);
	ck_assert_int_eq(wm_session_timeout_ms(s), 700); /* --timeout wins */
	wm_session_close(s);

	ck_assert_ptr_null(open_with("nosuch", NULL, 0, 0, &err));
	ck_assert_int_ne(err.code, WM_EOK);
}
END_TEST

START_TEST(test_deadline_and_budget)
{
	struct wm_err err = {0};
	struct wm_session *s;
	int64_t b;

	config("[target t]\n", 0600);
	s = open_with("t", NULL, 4000, 0, &err);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(wm_session_budget_ms(s, 0), 4000); /* no deadline: own */
	ck_assert_int_eq(wm_session_budget_ms(s, 250), 250);
	wm_session_set_deadline(s, wm_monotonic_ms() + 1000);
	b = wm_session_budget_ms(s, 0);
	ck_assert(b > 900 && b <= 1000);		     /* what remains */
	ck_assert_int_eq(wm_session_budget_ms(s, 300), 300); /* the smaller */
	wm_session_set_deadline(s, wm_monotonic_ms() - 5);
	ck_assert_int_eq(wm_session_budget_ms(s, 0), 1); /* past: fail at once */
	wm_session_start(s, 500);
	b = wm_session_budget_ms(s, 10000);
	ck_assert(b > 4400 && b <= 4500);	      /* timeout + extra */
	ck_assert_int_eq(wm_session_keepalive(s), 0); /* nothing open */
	wm_session_close(s);
}
END_TEST

START_TEST(test_local_reach_and_samples)
{
	struct wm_err err = {0};
	struct wm_session *s;
	char out[256];
	bool is_unix;
	cJSON *doc, *back;

	config("[target t]\n", 0600);
	s = open_with("t", NULL, 0, WM_LOG_VERBOSE, &err);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(
	    wm_session_reach(s, "127.0.0.1:6379", NULL, out, sizeof(out), &is_unix, &err), 0);
	ck_assert_str_eq(out, "127.0.0.1:6379");
	ck_assert(!is_unix);
	ck_assert_ptr_null(wm_session_sample_load(s, "x")); /* first run */
	ck_assert_ptr_nonnull(strstr(said, "1:"));	    /* said at -v */
	doc = cJSON_CreateObject();
	cJSON_AddNumberToObject(doc, "n", 7);
	wm_session_sample_save(s, "x", doc);
	back = wm_session_sample_load(s, "x");
	ck_assert_ptr_nonnull(back);
	ck_assert_int_eq(cJSON_GetObjectItem(back, "n")->valueint, 7);
	cJSON_Delete(doc);
	cJSON_Delete(back);
	wm_session_close(s);
}
END_TEST

/* A unit that gives metric "errors" of check "errors.api" the value 7 and
 * the default warning, and says whether the run's policy was on the session. */
static bool saw_policy;
static int
fake_unit(struct wm_session *s, const void *opts, struct wm_result *r)
{
	struct wm_check *c = wm_result_add_check(r, "errors.api");
	struct wm_metric *m = c ? wm_check_add_metric(c, "errors", 7, "") : NULL;

	(void)opts;
	saw_policy = wm_session_thresholds(s) != NULL;
	if (!m)
		return -1;
	wm_check_set(c, WM_OK, "7 errors");
	return wm_metric_set_thresholds(m, "4", NULL);
}

START_TEST(test_check_run_thresholds)
{
	static const struct wm_check_def def = {"errors",  "errors", "errors",
						fake_unit, NULL,     false};
	const char *w10[] = {"10"}, *bad[] = {"error=5"};
	struct wm_err err = {0};
	struct wm_session *s;
	struct wm_result *r;

	config("[target t]\n[thresholds]\nerrors.errors.api.critical = 6\n", 0600);
	s = open_with("t", NULL, 0, 0, &err);
	ck_assert_ptr_nonnull(s);
	r = wm_result_new("wm-errors", "0", "t");
	ck_assert_int_eq(wm_check_run(&def, s, NULL, NULL, r, &err), 0);
	ck_assert(saw_policy);
	ck_assert_ptr_null(wm_session_thresholds(s));	    /* only during the run */
	ck_assert_int_eq(r->checks[0]->state, WM_CRITICAL); /* the instance key */
	wm_result_free(r);

	r = wm_result_new("wm-errors", "0", "t");
	ck_assert_int_eq(
	    wm_check_run(&def, s, NULL, &(struct wm_check_overrides){w10, 1, NULL, 0}, r, &err), 0);
	ck_assert_str_eq(r->checks[0]->metrics[0].warn, "10"); /* a bare -w: the primary */
	wm_result_free(r);

	r = wm_result_new("wm-errors", "0", "t");
	saw_policy = false;
	ck_assert_int_eq(
	    wm_check_run(&def, s, NULL, &(struct wm_check_overrides){bad, 1, NULL, 0}, r, &err),
	    -1);
	ck_assert(!saw_policy); /* an unknown name: nothing collected */
	ck_assert_int_eq(r->nchecks, 0);
	wm_result_free(r);
	wm_session_close(s);
}
END_TEST

START_TEST(test_table)
{
	size_t n;
	const struct wm_check_def *t = wm_checks(&n);
	const char *names[] = {"services", "errors", "cache", "db", "perf", "security"};

	/* these first, in this order; the areas that land later after them */
	ck_assert_uint_ge(n, 7);
	for (size_t i = 0; i < n; i++) {
		if (i < sizeof(names) / sizeof(names[0]))
			ck_assert_str_eq(t[i].name, names[i]);
		ck_assert_ptr_eq(wm_check_find(t[i].name), &t[i]);
		ck_assert_ptr_nonnull(t[i].run);
		ck_assert_ptr_nonnull(t[i].primary);
		/* the primary metric has a runbook default */
		ck_assert(wm_check_default(&t[i], t[i].primary, false) ||
			  wm_check_default(&t[i], t[i].primary, true));
	}
	ck_assert_ptr_null(wm_check_find("nosuch"));
	ck_assert_str_eq(wm_check_find("smoke")->primary, "step_failures");
	ck_assert_str_eq(wm_check_default(wm_check_find("services"), "cpu", true), "95");
}
END_TEST

/* The mark of the suite's requests: the target's token, kept in the state
 * directory, the same for a second session; another target has another. */
START_TEST(test_self_mark)
{
	struct wm_err err = {0};
	struct wm_session *s, *s2, *u;
	char mark[32], file[600];
	struct stat st;

	config("[target t]\n[target u]\n", 0600);
	s = open_with("t", NULL, 0, 0, &err);
	ck_assert_ptr_nonnull(s);
	snprintf(mark, sizeof(mark), "%s", wm_session_self_mark(s));
	ck_assert_int_eq(strlen(mark), 8 + 16);
	ck_assert_int_eq(strncmp(mark, "wm-self=", 8), 0);
	ck_assert_ptr_nonnull(strstr(wm_session_agent(s), mark));
	ck_assert_int_eq(strncmp(wm_session_agent(s), "warunginmon/", 12), 0);
	snprintf(file, sizeof(file), "%s/t/agent.json", dir);
	ck_assert_int_eq(stat(file, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	s2 = open_with("t", NULL, 0, 0, &err);
	ck_assert_ptr_nonnull(s2);
	ck_assert_str_eq(wm_session_self_mark(s2), mark);
	u = open_with("u", NULL, 0, 0, &err);
	ck_assert_ptr_nonnull(u);
	ck_assert_str_ne(wm_session_self_mark(u), mark);
	wm_session_close(s);
	wm_session_close(s2);
	wm_session_close(u);
}
END_TEST

/* checks/security_follow.h: the services whose logs the security analyzer
 * wants, from [security], as wm-security reads them. */
START_TEST(test_security_follow)
{
	struct wm_err err = {0};
	struct wm_session *s;
	struct wm_security_follow *f;
	bool access = false;

	config("[target t]\n[security]\naccess_services = nginx\nbackend_services = api\n", 0600);
	ck_assert_ptr_nonnull(s = open_with("t", NULL, 0, 0, &err));
	ck_assert_ptr_nonnull(f = wm_security_follow_new(s, &err));
	ck_assert_ptr_nonnull(wm_security_follow_analyzer(f));
	ck_assert_str_eq(wm_security_follow_problem(f), "");
	ck_assert(wm_security_follow_reads(f, "nginx", &access));
	ck_assert(access);
	ck_assert(wm_security_follow_reads(f, "api", &access));
	ck_assert(!access);
	ck_assert(!wm_security_follow_reads(f, "redis", NULL));
	ck_assert(wm_security_follow_access(f));
	wm_security_follow_free(f);
	wm_session_close(s);
	/* nginx's log from a file instead: its container log is not wanted */
	config("[target t]\n[security]\naccess_services = nginx\nbackend_services = api\n"
	       "access_log = /var/log/nginx/access.log\n",
	       0600);
	ck_assert_ptr_nonnull(s = open_with("t", NULL, 0, 0, &err));
	ck_assert_ptr_nonnull(f = wm_security_follow_new(s, &err));
	ck_assert(!wm_security_follow_reads(f, "nginx", NULL));
	ck_assert(!wm_security_follow_access(f));
	wm_security_follow_free(f);
	wm_session_close(s);
	/* a value the unit refuses: no analyzer, and why */
	config("[target t]\n[security]\nbrute_force_attempts = 0\n", 0600);
	ck_assert_ptr_nonnull(s = open_with("t", NULL, 0, 0, &err));
	ck_assert_ptr_nonnull(f = wm_security_follow_new(s, &err));
	ck_assert_ptr_null(wm_security_follow_analyzer(f));
	ck_assert_ptr_nonnull(strstr(wm_security_follow_problem(f), "brute_force_attempts"));
	ck_assert(!wm_security_follow_reads(f, "backend", NULL));
	wm_security_follow_free(f);
	wm_session_close(s);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("session");
	TCase *tc = tcase_create("session");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_warnings_through_the_hook);
	tcase_add_test(tc, test_target_host_and_timeout);
	tcase_add_test(tc, test_deadline_and_budget);
	tcase_add_test(tc, test_local_reach_and_samples);
	tcase_add_test(tc, test_check_run_thresholds);
	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_self_mark);
	tcase_add_test(tc, test_security_follow);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
