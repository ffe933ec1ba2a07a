/* check_threshold_policy.c - the threshold key grammar, the suite-wide table
 * of metrics, the resolver's precedence, the old keys' migration warnings and
 * the unknown names that end a program with exit 3. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "conf/threshold_policy.h"
#include "unit.h"

static struct wm_config *
load(const char *text)
{
	struct wm_err err = {0};
	struct wm_config *cfg = wm_config_parse("t.conf", text, strlen(text), &err);

	ck_assert_msg(cfg != NULL, "%s", err.msg);
	return cfg;
}

/* File keys: AREA.METRIC[.INSTANCE], the instance being everything after
 * METRIC (compose service names with dots), and the old forms. */
static const struct {
	const char *key;
	int rc;
	const char *area, *metric, *instance;
} keys[] = {
    {"cache.hit_rate", 0, "cache", "hit_rate", ""},
    {"errors.errors.backend", 0, "errors", "errors", "backend"},
    {"errors.errors.api.v2.backend", 0, "errors", "errors", "api.v2.backend"},
    {"services.restarts.web.internal", 0, "services", "restarts", "web.internal"},
    {"services.disk./var/lib/docker", 0, "services", "disk", "/var/lib/docker"},
    {"db.orders_rows", 0, "db", "orders_rows", ""},
    {"perf.p99", 0, "perf", "p99", ""},
    {"security.violations", 0, "security", "violations", ""},
    {"smoke.step_time.login", 0, "smoke", "step_time", "login"},
    {"errors.lines", 0, "errors", "lines", ""}, /* metric lines, not service lines */
    /* the old forms */
    {"hit_rate", 1, "", "hit_rate", ""},
    {"errors.backend", 1, "", "errors", "backend"},
    {"restarts.web.internal", 1, "", "restarts", "web.internal"},
    {"p95", 1, "", "p95", ""},
    /* unknown */
    {"http.p99", -1, NULL, NULL, NULL},
    {"cache.hitrate", -1, NULL, NULL, NULL},
    {"cache.p99", -1, NULL, NULL, NULL},
    {"length", -1, NULL, NULL, NULL},
    {"cache", -1, NULL, NULL, NULL},
    {"errors.errors.", -1, NULL, NULL, NULL},
    {"", -1, NULL, NULL, NULL},
};

START_TEST(test_key_grammar)
{
	struct wm_threshold_name n;
	struct wm_err err = {0};
	const char *k = keys[_i].key;
	int rc = wm_threshold_key_parse(k, strlen(k), &n, &err);

	ck_assert_msg(rc == keys[_i].rc, "%s: %d (%s)", k, rc, err.msg);
	if (rc < 0) {
		ck_assert_int_eq(err.code, WM_ECONFIG);
		return;
	}
	ck_assert_str_eq(n.area, keys[_i].area);
	ck_assert_str_eq(n.metric, keys[_i].metric);
	ck_assert_str_eq(n.instance, keys[_i].instance);
	ck_assert(n.old == (rc == 1));
}
END_TEST

/* The messages name what is known. */
START_TEST(test_key_messages)
{
	struct wm_threshold_name n;
	struct wm_err err = {0};

	ck_assert_int_eq(wm_threshold_key_parse("cache.hitrate", 13, &n, &err), -1);
	ck_assert_msg(strstr(err.msg, "cache knows: ") && strstr(err.msg, "hit_rate"), "%s",
		      err.msg);
	ck_assert_int_eq(wm_threshold_key_parse("http.p99", 8, &n, &err), -1);
	ck_assert_msg(strstr(err.msg, WM_THRESHOLD_AREAS), "%s", err.msg);
}
END_TEST

/* Command-line names: [AREA.]METRIC[.INSTANCE] for the program's area. */
START_TEST(test_arg_grammar)
{
	struct wm_threshold_name n;
	struct wm_err err = {0};

	ck_assert_int_eq(wm_threshold_arg_parse("errors", "errors", 6, &n, &err), 0);
	ck_assert_str_eq(n.metric, "errors");
	ck_assert_str_eq(n.instance, "");
	ck_assert_int_eq(wm_threshold_arg_parse("errors", "errors.backend", 14, &n, &err), 0);
	ck_assert_str_eq(n.metric, "errors");
	ck_assert_str_eq(n.instance, "backend");
	ck_assert_int_eq(wm_threshold_arg_parse("errors", "errors.errors.a.b", 17, &n, &err), 0);
	ck_assert_str_eq(n.metric, "errors");
	ck_assert_str_eq(n.instance, "a.b");
	ck_assert_int_eq(wm_threshold_arg_parse("errors", "critical_lines.x.y", 18, &n, &err), 0);
	ck_assert_str_eq(n.metric, "critical_lines");
	ck_assert_str_eq(n.instance, "x.y");
	ck_assert_int_eq(wm_threshold_arg_parse("cache", "cache.hit_rate", 14, &n, &err), 0);
	ck_assert_str_eq(n.metric, "hit_rate");
	/* -c error=5 for wm-errors was silently ignored: now an error naming the known */
	ck_assert_int_eq(wm_threshold_arg_parse("errors", "error", 5, &n, &err), -1);
	ck_assert_int_eq(err.code, WM_EINVAL);
	ck_assert_msg(strstr(err.msg, "'error'") && strstr(err.msg, "critical_lines"), "%s",
		      err.msg);
	ck_assert_int_eq(wm_threshold_arg_parse("db", "cache.hit_rate", 14, &n, &err), -1);
	ck_assert_msg(strstr(err.msg, "another program"), "%s", err.msg);
	ck_assert_int_eq(wm_threshold_arg_parse("db", "hit_rate", 8, &n, &err), -1);
}
END_TEST

START_TEST(test_table)
{
	size_t n;
	const struct wm_metric_def *t = wm_metric_table(&n);
	const char *reserved[][2] = {{"perf", "p99"},
				     {"perf", "db_p95"},
				     {"security", "violations"},
				     {"security", "2fa_refused"},
				     {"smoke", "step_failures"}};

	ck_assert_uint_gt(n, 40);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(wm_threshold_area_known(t[i].area, strlen(t[i].area)), "%s",
			      t[i].area);
	for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
		ck_assert_ptr_nonnull(
		    wm_metric_find(reserved[i][0], reserved[i][1], strlen(reserved[i][1])));
	ck_assert_ptr_null(wm_metric_find("cache", "_rows", 5)); /* a suffix needs a stem */
	ck_assert_ptr_nonnull(wm_metric_find("db", "users_rows", 10));
	ck_assert(!wm_threshold_area_known("http", 4));
}
END_TEST

/* command line > instance key > area.metric key > default; within a level
 * the target's section over [thresholds]; the old keys below the new ones. */
START_TEST(test_precedence)
{
	struct wm_config *cfg = load("[thresholds]\n"
				     "errors.errors.warning = 10\n"
				     "errors.errors.api.v2.warning = 20\n"
				     "errors.warning = 99\n"
				     "errors.backend.warning = 30\n"
				     "critical_lines.critical = 7\n"
				     "[target prod]\n"
				     "errors.errors.critical = 40\n"
				     "errors.errors.web.critical = 50\n");
	const struct wm_target *t = wm_config_target(cfg, "prod", NULL);
	const char *w[] = {"errors.db=1", "2", "errors.db=3"};
	struct wm_thresholds th = {.cfg = cfg, .target = t, .area = "errors", .primary = "errors"};
	struct wm_threshold_origin o;

	/* defaults: nothing set */
	ck_assert_ptr_null(wm_thresholds_get(&th, "warnings", "x", false, &o));
	ck_assert_int_eq(o.from, WM_THRESHOLD_DEFAULT);
	/* area.metric key, over the old bare key */
	ck_assert_str_eq(wm_thresholds_get(&th, "errors", "nginx", false, &o), "10");
	ck_assert_int_eq(o.from, WM_THRESHOLD_FILE);
	ck_assert_str_eq(o.key, "errors.errors.warning");
	ck_assert_int_eq(o.line, 2);
	/* instance key, with a dotted service name */
	ck_assert_str_eq(wm_thresholds_get(&th, "errors", "api.v2", false, &o), "20");
	/* the old instance key (errors.backend.warning) still reads */
	ck_assert_str_eq(wm_thresholds_get(&th, "errors", "backend", false, &o), "30");
	ck_assert(o.old);
	/* the old bare key, for the metric it names */
	ck_assert_str_eq(wm_thresholds_get(&th, "critical_lines", "web", true, &o), "7");
	/* the target's area.metric over [thresholds]; its instance key over that */
	ck_assert_str_eq(wm_thresholds_get(&th, "errors", "db", true, &o), "40");
	ck_assert_str_eq(o.section, "target prod");
	ck_assert_str_eq(wm_thresholds_get(&th, "errors", "web", true, NULL), "50");
	/* the command line over everything: instance, then the bare RANGE */
	th.warn = w;
	th.nwarn = 3;
	ck_assert_str_eq(wm_thresholds_get(&th, "errors", "db", false, &o), "3"); /* last wins */
	ck_assert_int_eq(o.from, WM_THRESHOLD_CLI);
	ck_assert_str_eq(wm_thresholds_get(&th, "errors", "api.v2", false, NULL), "2");
	ck_assert_ptr_null(wm_thresholds_get(&th, "warnings", "db", false, NULL)); /* not primary */
	/* another program's area reads only the old area-less key */
	th.area = "cache";
	th.nwarn = 0;
	ck_assert_str_eq(wm_thresholds_get(&th, "errors", "api.v2", false, NULL), "99");
	wm_config_free(cfg);
}
END_TEST

START_TEST(test_instance_of_check)
{
	ck_assert_str_eq(wm_thresholds_instance("services", "services.web.internal"),
			 "web.internal");
	ck_assert_str_eq(wm_thresholds_instance("services", "disk:/var"), "/var");
	ck_assert_str_eq(wm_thresholds_instance("errors", "errors.backend"), "backend");
	ck_assert_ptr_null(wm_thresholds_instance("services", "services"));
	ck_assert_ptr_null(wm_thresholds_instance("cache", "redis.hit_rate"));
	ck_assert_ptr_null(wm_thresholds_instance(NULL, "x.y"));
}
END_TEST

/* wm_thresholds_set: every metric, the instance from the check's name. */
START_TEST(test_set_result)
{
	struct wm_config *cfg = load("[thresholds]\nservices.restarts.web.internal.warning = 5\n"
				     "services.cpu.critical = 50\n");
	struct wm_thresholds th = {.cfg = cfg, .area = "services", .primary = "restarts"};
	struct wm_result *r = wm_result_new("wm-services", "1", "local");
	struct wm_check *a = wm_result_add_check(r, "services.web.internal");
	struct wm_check *b = wm_result_add_check(r, "services.db");
	struct wm_metric *ra = wm_check_add_metric(a, "restarts", 3, "");
	struct wm_metric *rb = wm_check_add_metric(b, "restarts", 3, "");
	struct wm_metric *cpu = wm_check_add_metric(b, "cpu", 60, "%");
	struct wm_err err = {0};

	wm_metric_set_thresholds(ra, "0", NULL);
	wm_metric_set_thresholds(rb, "0", NULL);
	ck_assert_int_eq(wm_thresholds_set(&th, r, &err), 0);
	ck_assert_str_eq(ra->warn, "5");
	ck_assert_str_eq(rb->warn, "0"); /* the default */
	ck_assert_str_eq(cpu->crit, "50");
	ck_assert_int_eq(a->state, WM_OK);
	ck_assert_int_eq(b->state, WM_CRITICAL);
	wm_result_free(r);
	wm_config_free(cfg);
}
END_TEST

/* Unknown names: exit 3 material, naming what is known. */
START_TEST(test_check_unknown)
{
	struct wm_config *cfg = load("[thresholds]\ncache.hit_rate.warning = 85:\n"
				     "[target prod]\nhttp.p99.warning = ~:2\n");
	struct wm_thresholds th = {.cfg = cfg, .area = "db", .primary = "p95"};
	const char *bad[] = {"error=5"};
	const char *good[] = {"p95=~:1", "~:2", "db.orders_rows=100:"};
	struct wm_err err = {0};

	/* the file: one file serves every program, so any program refuses it */
	ck_assert_int_eq(wm_thresholds_check(&th, &err), -1);
	ck_assert_int_eq(err.code, WM_ECONFIG);
	ck_assert_msg(strstr(err.msg, "t.conf:4: http.p99.warning: unknown threshold"), "%s",
		      err.msg);
	wm_config_free(cfg);
	/* a bad range in the file, with its line */
	cfg = load("[thresholds]\ndb.p95.critical = ~:x\n");
	th.cfg = cfg;
	ck_assert_int_eq(wm_thresholds_check(&th, &err), -1);
	ck_assert_msg(strstr(err.msg, "t.conf:2: db.p95.critical: invalid threshold range"), "%s",
		      err.msg);
	wm_config_free(cfg);
	th.cfg = NULL;
	/* the command line */
	th.crit = bad;
	th.ncrit = 1;
	ck_assert_int_eq(wm_thresholds_check(&th, &err), -1);
	ck_assert_int_eq(err.code, WM_EINVAL);
	ck_assert_msg(strstr(err.msg, "unknown metric 'error'") && strstr(err.msg, "p95"), "%s",
		      err.msg);
	th.crit = good;
	th.ncrit = 3;
	ck_assert_msg(wm_thresholds_check(&th, &err) == 0, "%s", err.msg);
	/* outside the table (area NULL) nothing is checked by name */
	th.area = NULL;
	th.crit = bad;
	th.ncrit = 1;
	ck_assert_int_eq(wm_thresholds_check(&th, &err), 0);
}
END_TEST

/* The old keys load with a warning naming the new form. */
START_TEST(test_migration_warnings)
{
	struct wm_config *cfg =
	    load("[thresholds]\nhit_rate.warning = 85:\n"
		 "cache.hit_rate.critical = 70:\n"
		 "[target prod]\nerrors.backend.critical = 3\np95.warning = 1\n");
	size_t n;
	const char *const *w = wm_config_warnings(cfg, &n);

	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(w[0], "t.conf:2: 'hit_rate.warning' is an old threshold key; write "
			       "'cache.hit_rate.warning' (see MIGRATION in warunginmon.conf(5))");
	ck_assert_msg(strstr(w[1], "t.conf:5: 'errors.backend.critical'") &&
			  strstr(w[1], "write 'errors.errors.backend.critical'"),
		      "%s", w[1]);
	ck_assert_msg(strstr(w[2], "'db.p95.warning' or 'perf.p95.warning'"), "%s", w[2]);
	wm_config_free(cfg);
}
END_TEST

/* The shipped example uses the new grammar only: no migration warning, and
 * every program accepts its thresholds. */
START_TEST(test_example_new_form)
{
	struct wm_err err = {0};
	struct wm_config *cfg =
	    wm_config_load(WM_TEST_SRCDIR "/contrib/warunginmon.conf.example", &err);
	const char *areas[] = {"services", "errors", "cache", "db", "security", "perf", "smoke"};
	size_t n, nthr = 0;
	const char *const *w;

	ck_assert_msg(cfg != NULL, "%s", err.msg);
	w = wm_config_warnings(cfg, &n);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(!strstr(w[i], "threshold"), "%s", w[i]);
	for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++) {
		struct wm_thresholds th = {.cfg = cfg, .area = areas[i]};

		ck_assert_msg(wm_thresholds_check(&th, &err) == 0, "%s: %s", areas[i], err.msg);
	}
	for (const char *a = "cache\0perf\0db\0errors\0services\0"; *a; a += strlen(a) + 1) {
		struct wm_thresholds th = {.cfg = cfg, .area = a};
		size_t nrows;
		const struct wm_metric_def *t = wm_metric_table(&nrows);

		for (size_t i = 0; i < nrows; i++)
			if (strcmp(t[i].area, a) == 0 && !t[i].suffix)
				nthr +=
				    wm_thresholds_get(&th, t[i].name, NULL, false, NULL) != NULL;
	}
	ck_assert_uint_ge(nthr, 5); /* one example per area that has a program today */
	wm_config_free(cfg);
}
END_TEST

/* Every metric of the table is in warunginmon.conf(5). */
START_TEST(test_man_lists_every_metric)
{
	FILE *f = fopen(WM_TEST_SRCDIR "/man/warunginmon.conf.5", "r");
	static char page[256 * 1024];
	size_t len, n;
	const struct wm_metric_def *t = wm_metric_table(&n);

	ck_assert_ptr_nonnull(f);
	len = fread(page, 1, sizeof page - 1, f);
	fclose(f);
	page[len] = '\0';
	for (size_t i = 0; i < n; i++) {
		char row[128];

		snprintf(row, sizeof row, "\n%s\t%s%s\t", t[i].area, t[i].suffix ? "TABLE" : "",
			 t[i].name);
		ck_assert_msg(strstr(page, row), "warunginmon.conf(5) lacks the row %s.%s",
			      t[i].area, t[i].name);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("threshold_policy");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_key_grammar, 0, (int)(sizeof(keys) / sizeof(keys[0])));
	tcase_add_test(tc, test_key_messages);
	tcase_add_test(tc, test_arg_grammar);
	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_precedence);
	tcase_add_test(tc, test_instance_of_check);
	tcase_add_test(tc, test_set_result);
	tcase_add_test(tc, test_check_unknown);
	tcase_add_test(tc, test_migration_warnings);
	tcase_add_test(tc, test_example_new_form);
	tcase_add_test(tc, test_man_lists_every_metric);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
