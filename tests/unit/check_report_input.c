/* check_report_input.c - the report model on inputs written in the tests:
 * wm-* results piped in (wm_report_add_result), journal records made by
 * hand for one case each, and the options (limit, configuration). */
#include "config.h"

#include <math.h>

#include "conf/conf.h"

#include "report_test.h"

/* Results piped in (wm-report --stdin): no journal, so no monitoring
 * criterion, but the services and cache figures are read. */
START_TEST(bare_results)
{
	struct wm_report *r = wm_report_new(NULL);
	struct wm_err e = {0};
	cJSON *svc = cJSON_Parse(
	    "{\"tool\":\"wm-services\",\"state\":\"CRITICAL\",\"checks\":["
	    "{\"name\":\"services.backend\",\"state\":\"CRITICAL\",\"summary\":\"exited\","
	    "\"metrics\":[],\"data\":{\"state\":\"exited\"}},"
	    "{\"name\":\"services.redis\",\"state\":\"OK\",\"metrics\":[],\"data\":{}}]}");
	cJSON *bad = cJSON_Parse("{\"checks\":3}");

	ck_assert_ptr_nonnull(svc);
	ck_assert_int_eq(wm_report_add_result(r, svc, 0, 0, &e), 0);
	ck_assert_int_eq(wm_report_add_result(r, bad, 0, 0, &e), -1);
	ck_assert_int_eq(e.code, WM_EINVAL);
	ck_assert_int_eq(wm_report_finish(r, &e), 0);
	ck_assert_int_eq(r->verdict, WM_VERDICT_FAIL);
	ck_assert_int_eq(crit(r, "uptime")->status, WM_REPORT_FAILED);
	ck_assert_int_eq(crit(r, "monitoring")->status, WM_REPORT_NOT_MEASURED);
	ck_assert(!r->partial);
	cJSON_Delete(svc);
	cJSON_Delete(bad);
	wm_report_free(r);
}
END_TEST

/* The critical-error limit is a setting (the runbook says both 0 and < 5). */
START_TEST(critical_limit_configurable)
{
	struct wm_report_opts o;
	struct wm_report *r;
	struct wm_err e = {0};
	cJSON *res = cJSON_Parse("{\"tool\":\"wm-errors\",\"checks\":[{\"name\":\"errors.backend\","
				 "\"state\":\"CRITICAL\",\"metrics\":[{\"name\":\"errors\","
				 "\"value\":9},{\"name\":\"critical_lines\",\"value\":4}]}]}");

	wm_report_opts_default(&o);
	for (int limit = 0; limit <= 4; limit += 4) {
		o.critical_limit = limit;
		r = wm_report_new(&o);
		ck_assert_int_eq(wm_report_add_result(r, res, 2 * H, H, &e), 0);
		ck_assert_int_eq(wm_report_finish(r, &e), 0);
		ck_assert_int_eq(crit(r, "critical_errors")->status,
				 limit ? WM_REPORT_MET : WM_REPORT_FAILED);
		ck_assert_double_eq(r->critical_errors, 4);
		wm_report_free(r);
	}
	cJSON_Delete(res);
}
END_TEST

/* Results piped in that measure one criterion (no critical lines) leave the
 * others not measured: the verdict cannot be PASS (wm-report(1)). */
START_TEST(bare_results_not_all_measured_cannot_pass)
{
	struct wm_report *r = wm_report_new(NULL);
	struct wm_err e = {0};
	cJSON *res = cJSON_Parse("{\"tool\":\"wm-errors\",\"checks\":[{\"name\":\"errors.backend\","
				 "\"state\":\"OK\",\"metrics\":[{\"name\":\"errors\","
				 "\"value\":0},{\"name\":\"critical_lines\",\"value\":0}]}]}");

	ck_assert_int_eq(wm_report_add_result(r, res, H, H, &e), 0);
	ck_assert_int_eq(wm_report_finish(r, &e), 0);
	ck_assert_int_eq(crit(r, "critical_errors")->status, WM_REPORT_MET);
	ck_assert_int_eq(crit(r, "p99")->status, WM_REPORT_NOT_MEASURED);
	ck_assert_int_eq(r->verdict, WM_VERDICT_UNKNOWN);
	ck_assert(!r->go_live);
	cJSON_Delete(res);
	wm_report_free(r);
}
END_TEST

/* security.violations UNKNOWN (no log line read) still carries its count 0:
 * that is not "0 violations", and a count found is counted all the same. */
START_TEST(unknown_security_read_is_not_zero)
{
	struct wm_err e = {0};

	for (int v = 0; v <= 2; v += 2) {
		struct wm_report *r = wm_report_new(NULL);
		char text[512];
		cJSON *res;

		snprintf(text, sizeof(text),
			 "{\"tool\":\"wm-security\",\"checks\":[{\"name\":"
			 "\"security.violations\",\"state\":\"UNKNOWN\",\"metrics\":[{"
			 "\"name\":\"violations\",\"value\":%d}]}]}",
			 v);
		res = cJSON_Parse(text);
		ck_assert_int_eq(wm_report_add_result(r, res, H, H, &e), 0);
		ck_assert_int_eq(wm_report_finish(r, &e), 0);
		ck_assert_int_eq(crit(r, "security")->status,
				 v ? WM_REPORT_FAILED : WM_REPORT_NOT_MEASURED);
		cJSON_Delete(res);
		wm_report_free(r);
	}
}
END_TEST

/* The day's 24-hour read wins the covering, but it can miss lines an hourly
 * read saw (containers recreated in between: their old logs are gone): a
 * critical line or a violation any read saw is never judged away. */
START_TEST(single_read_finding_not_covered_away)
{
#define ERRORS(n)                                                                                  \
	"{\"tool\":\"wm-errors\",\"checks\":[{\"name\":\"errors.backend\",\"state\":\"OK\","       \
	"\"metrics\":[{\"name\":\"errors\",\"value\":" n "},{\"name\":\"critical_lines\","         \
	"\"value\":" n "}]}]}"
#define SECURITY(n)                                                                                \
	"{\"tool\":\"wm-security\",\"checks\":[{\"name\":\"security.violations\",\"state\":"       \
	"\"OK\",\"metrics\":[{\"name\":\"violations\",\"value\":" n "}]}]}"
	/* T+5h's hourly read saw 3; T+24h's 24-hour read saw none */
	static const char *const hourly_text[] = {ERRORS("3"), SECURITY("3")};
	static const char *const day_text[] = {ERRORS("0"), SECURITY("0")};
	const char *names[] = {"critical_errors", "security"};

	for (size_t t = 0; t < 2; t++) {
		struct wm_report *r = wm_report_new(NULL);
		struct wm_err e = {0};
		cJSON *hourly = cJSON_Parse(hourly_text[t]), *day = cJSON_Parse(day_text[t]);

		ck_assert_int_eq(wm_report_add_result(r, hourly, 5 * H, H, &e), 0);
		ck_assert_int_eq(wm_report_add_result(r, day, 24 * H, 24 * H, &e), 0);
		ck_assert_int_eq(wm_report_finish(r, &e), 0);
		ck_assert_int_eq(crit(r, names[t])->status, WM_REPORT_FAILED);
		ck_assert(crit(r, names[t])->value >= 3);
		cJSON_Delete(hourly);
		cJSON_Delete(day);
		wm_report_free(r);
	}
}
END_TEST

/* A journal as the watch writes it without per-service samples: the
 * service-down incident is the downtime (opened to resolved). */
START_TEST(downtime_from_incidents)
{
	static const char journal[] =
	    "{\"v\":1,\"seq\":1,\"type\":\"run_start\",\"wall_ms\":1000,\"mono_ms\":1,"
	    "\"start_wall_ms\":1000,\"scale\":60,\"digest\":\"x\",\"target\":\"t\"}\n"
	    "{\"v\":1,\"seq\":2,\"type\":\"watch\",\"wall_ms\":2000,\"mono_ms\":2,"
	    "\"round\":1,\"services_up\":7,\"seen\":true}\n"
	    "{\"v\":1,\"seq\":3,\"type\":\"incident\",\"wall_ms\":3000,\"mono_ms\":3,"
	    "\"event\":\"open\",\"incident\":{\"id\":\"INC-1\",\"kind\":\"service-down\","
	    "\"subject\":\"redis\",\"state\":\"open\",\"opened_ms\":7200000}}\n"
	    "{\"v\":1,\"seq\":4,\"type\":\"incident\",\"wall_ms\":4000,\"mono_ms\":4,"
	    "\"event\":\"resolve\",\"incident\":{\"id\":\"INC-1\",\"kind\":\"service-down\","
	    "\"subject\":\"redis\",\"state\":\"resolved\",\"opened_ms\":7200000,"
	    "\"resolved_ms\":7380000}}\n";
	struct wm_report *r = wm_report_new(NULL);
	struct wm_err e = {0};

	ck_assert_int_eq(wm_report_read_journal(r, journal, sizeof(journal) - 1, &e), 0);
	ck_assert_str_eq(r->invalid, "");
	ck_assert_int_eq(wm_report_finish(r, &e), 0);
	ck_assert_uint_eq(r->n_services, 1);
	ck_assert_str_eq(r->services[0].source, "service-down incidents");
	ck_assert_int_eq(r->downtime_ms, 3 * MIN);
	ck_assert_int_eq(crit(r, "uptime")->status, WM_REPORT_FAILED);
	wm_report_free(r);
}
END_TEST

/* wm-run writes an incident's times as plan ms since the epoch (T+0 =
 * start_wall_ms): the report reads them as offsets from T+0 (a demo day
 * said "opened T+498903h" and judged no downtime from such incidents). */
START_TEST(incident_times_from_the_plan_clock)
{
	static const char journal[] =
	    "{\"v\":1,\"seq\":1,\"type\":\"run_start\",\"wall_ms\":1795824000000,\"mono_ms\":1,"
	    "\"start_wall_ms\":1795824000000,\"scale\":60,\"digest\":\"x\",\"target\":\"t\"}\n"
	    "{\"v\":1,\"seq\":2,\"type\":\"watch\",\"wall_ms\":1795824002000,\"mono_ms\":2,"
	    "\"round\":1,\"services_up\":7,\"seen\":true}\n"
	    "{\"v\":1,\"seq\":3,\"type\":\"incident\",\"wall_ms\":1795824120000,\"mono_ms\":3,"
	    "\"event\":\"open\",\"incident\":{\"id\":\"INC-1\",\"kind\":\"service-down\","
	    "\"subject\":\"redis\",\"state\":\"open\",\"opened_ms\":1795831200000}}\n"
	    "{\"v\":1,\"seq\":4,\"type\":\"incident\",\"wall_ms\":1795824123000,\"mono_ms\":4,"
	    "\"event\":\"resolve\",\"incident\":{\"id\":\"INC-1\",\"kind\":\"service-down\","
	    "\"subject\":\"redis\",\"state\":\"resolved\",\"opened_ms\":1795831200000,"
	    "\"resolved_ms\":1795831380000}}\n"
	    "{\"v\":1,\"seq\":5,\"type\":\"incident\",\"wall_ms\":1795824180000,\"mono_ms\":5,"
	    "\"event\":\"open\",\"incident\":{\"id\":\"INC-2\",\"kind\":\"unauthorized\","
	    "\"subject\":\"access\",\"state\":\"open\",\"opened_ms\":1795834800000}}\n";
	struct wm_report *r = wm_report_new(NULL);
	struct wm_err e = {0};

	ck_assert_int_eq(wm_report_read_journal(r, journal, sizeof(journal) - 1, &e), 0);
	ck_assert_int_eq(wm_report_finish(r, &e), 0);
	ck_assert_int_eq(r->downtime_ms, 3 * MIN);
	ck_assert_msg(strstr(crit(r, "security")->evidence, "opened T+3h") != NULL, "%s",
		      crit(r, "security")->evidence);
	wm_report_free(r);
}
END_TEST

/* wm-perf's perf.app carries each window's histogram buckets: the day's p99
 * is histogram_quantile over their sum, not the worst window's.  A quiet
 * window with 2 slow requests (p99 2.98 s) beside 1000 fast ones: the day's
 * rank 991.98 falls in (1, 3] at 1 + 2 * 1.98 / 12 = 1.33 s. */
START_TEST(p99_from_merged_buckets)
{
	static const char *const res[] = {
	    "{\"tool\":\"wm-perf\",\"checks\":[{\"name\":\"perf.app\",\"state\":\"OK\","
	    "\"metrics\":[{\"name\":\"p99\",\"value\":0.99}],\"data\":{\"buckets\":"
	    "[[\"0.1\",900],[\"1\",990],[\"3\",1000],[\"+Inf\",1000]]}}]}",
	    "{\"tool\":\"wm-perf\",\"checks\":[{\"name\":\"perf.app\",\"state\":\"WARNING\","
	    "\"metrics\":[{\"name\":\"p99\",\"value\":2.98}],\"data\":{\"buckets\":"
	    "[[\"0.1\",0],[\"1\",0],[\"3\",2],[\"+Inf\",2]]}}]}",
	};
	struct wm_report *r = wm_report_new(NULL);
	struct wm_err e = {0};

	for (int i = 0; i < 2; i++) {
		cJSON *j = cJSON_Parse(res[i]);

		ck_assert_ptr_nonnull(j);
		ck_assert_int_eq(wm_report_add_result(r, j, (i + 1) * 2 * H, 2 * H, &e), 0);
		cJSON_Delete(j);
	}
	ck_assert_int_eq(wm_report_finish(r, &e), 0);
	ck_assert_int_eq(crit(r, "p99")->status, WM_REPORT_MET);
	ck_assert_msg(fabs(crit(r, "p99")->value - (1 + 2 * 1.98 / 12)) < 1e-9, "%.12g",
		      crit(r, "p99")->value);
	ck_assert_str_eq(crit(r, "p99")->worst, "T+4h: 2.98 s");
	wm_report_free(r);
}
END_TEST

/* Without the watch's samples a tick alone ends the interval. */
START_TEST(tick_ends_event_interval)
{
	static const char journal[] =
	    "{\"v\":1,\"seq\":1,\"type\":\"run_start\",\"wall_ms\":0,\"mono_ms\":1,"
	    "\"start_wall_ms\":0,\"scale\":1,\"digest\":\"x\",\"target\":\"t\"}\n"
	    "{\"v\":1,\"seq\":2,\"type\":\"container\",\"wall_ms\":1,\"mono_ms\":2,"
	    "\"service\":\"redis\",\"action\":\"die\",\"at_ms\":3600000}\n"
	    "{\"v\":1,\"seq\":3,\"type\":\"tick_start\",\"wall_ms\":1,\"mono_ms\":2,"
	    "\"tier\":\"quick\",\"at_ms\":7200000,\"attempt\":1}\n"
	    "{\"v\":1,\"seq\":4,\"type\":\"result\",\"wall_ms\":2,\"mono_ms\":3,"
	    "\"tier\":\"quick\",\"at_ms\":7200000,\"attempt\":1,\"area\":\"services\","
	    "\"result\":{\"tool\":\"wm-services\",\"checks\":[{\"name\":\"services.redis\","
	    "\"state\":\"OK\",\"data\":{\"state\":\"running\"}}]}}\n"
	    "{\"v\":1,\"seq\":5,\"type\":\"tick_end\",\"wall_ms\":3,\"mono_ms\":4,"
	    "\"tier\":\"quick\",\"at_ms\":7200000,\"attempt\":1,\"state\":0}\n";
	struct wm_report *r = wm_report_new(NULL);
	struct wm_err e = {0};

	ck_assert_int_eq(wm_report_read_journal(r, journal, sizeof(journal) - 1, &e), 0);
	ck_assert_str_eq(r->invalid, "");
	ck_assert_int_eq(wm_report_finish(r, &e), 0);
	ck_assert_uint_eq(service(r, "redis")->n_down, 1);
	ck_assert(!service(r, "redis")->down[0].open);
	ck_assert_str_eq(service(r, "redis")->down[0].ended_by, "tick");
	ck_assert_int_eq(r->downtime_ms, H);
	wm_report_free(r);
}
END_TEST

/* A T+0 tick whose watch.drill check says no channel was drilled. */
START_TEST(drill_without_channel_fails)
{
	static const char journal[] =
	    "{\"v\":1,\"seq\":1,\"type\":\"run_start\",\"wall_ms\":0,\"mono_ms\":1,"
	    "\"start_wall_ms\":0,\"scale\":1,\"digest\":\"x\",\"target\":\"t\"}\n"
	    "{\"v\":1,\"seq\":2,\"type\":\"tick_start\",\"wall_ms\":1,\"mono_ms\":2,"
	    "\"tier\":\"full\",\"at_ms\":0,\"attempt\":1}\n"
	    "{\"v\":1,\"seq\":3,\"type\":\"result\",\"wall_ms\":2,\"mono_ms\":3,"
	    "\"tier\":\"full\",\"at_ms\":0,\"attempt\":1,\"area\":\"watch\","
	    "\"result\":{\"tool\":\"wm-run\",\"checks\":[{\"name\":\"watch.drill\","
	    "\"state\":\"WARNING\",\"summary\":\"drill: no notification channel is "
	    "configured\"}]}}\n"
	    "{\"v\":1,\"seq\":4,\"type\":\"tick_end\",\"wall_ms\":3,\"mono_ms\":4,"
	    "\"tier\":\"full\",\"at_ms\":0,\"attempt\":1,\"state\":1}\n";
	struct wm_report *r = wm_report_new(NULL);
	struct wm_err e = {0};

	ck_assert_int_eq(wm_report_read_journal(r, journal, sizeof(journal) - 1, &e), 0);
	ck_assert_int_eq(wm_report_finish(r, &e), 0);
	ck_assert_int_eq(crit(r, "incident_response")->status, WM_REPORT_FAILED);
	ck_assert_str_eq(crit(r, "incident_response")->evidence,
			 "T+0 drill: no notification channel is configured");
	wm_report_free(r);
}
END_TEST

/* wm-perf names its DB p95 source of record (data.judged): the report judges
 * perf.db's db_p95, not wm-db's pg_stat_statements estimate beside it. */
START_TEST(db_p95_source_of_record)
{
	static const char *const res[] = {
	    "{\"tool\":\"wm-db\",\"checks\":[{\"name\":\"pg.statements\",\"state\":"
	    "\"CRITICAL\",\"metrics\":[{\"name\":\"p95\",\"value\":0.7}]}]}",
	    "{\"tool\":\"wm-perf\",\"checks\":[{\"name\":\"perf.db\",\"state\":\"OK\","
	    "\"metrics\":[{\"name\":\"db_p95\",\"value\":0.3}],\"data\":{\"judged\":"
	    "\"app histogram\",\"pg_stat_statements\":0.7}}]}",
	};
	struct wm_report *r = wm_report_new(NULL);
	struct wm_err e = {0};

	for (int i = 0; i < 2; i++) {
		cJSON *j = cJSON_Parse(res[i]);

		ck_assert_int_eq(wm_report_add_result(r, j, 2 * H, 2 * H, &e), 0);
		cJSON_Delete(j);
	}
	ck_assert_int_eq(wm_report_finish(r, &e), 0);
	ck_assert_int_eq(crit(r, "db_p95")->status, WM_REPORT_MET);
	ck_assert_double_eq(crit(r, "db_p95")->value, 0.3);
	ck_assert_msg(strstr(crit(r, "db_p95")->source, "its source of record: app histogram"),
		      "%s", crit(r, "db_p95")->source);
	wm_report_free(r);
}
END_TEST

/* A FAIL names the lines: the critical group wm-errors found is the evidence. */
START_TEST(critical_errors_evidence_names_the_line)
{
	struct wm_report *r = wm_report_new(NULL);
	struct wm_err e = {0};
	cJSON *res = cJSON_Parse(
	    "{\"tool\":\"wm-errors\",\"checks\":[{\"name\":\"errors.backend\",\"state\":"
	    "\"CRITICAL\",\"metrics\":[{\"name\":\"errors\",\"value\":5},{\"name\":"
	    "\"critical_lines\",\"value\":2}],\"data\":{\"groups\":[{\"level\":\"error\","
	    "\"count\":3,\"example\":\"Password salah\"},{\"level\":\"critical\",\"count\":2,"
	    "\"example\":\"FATAL: the database system is shutting down\"}]}}]}");

	ck_assert_int_eq(wm_report_add_result(r, res, 3 * H, H, &e), 0);
	ck_assert_int_eq(wm_report_finish(r, &e), 0);
	ck_assert_int_eq(crit(r, "critical_errors")->status, WM_REPORT_FAILED);
	ck_assert_msg(strstr(crit(r, "critical_errors")->evidence,
			     "e.g. backend: FATAL: the database system is shutting down (x2)"),
		      "%s", crit(r, "critical_errors")->evidence);
	cJSON_Delete(res);
	wm_report_free(r);
}
END_TEST

/* What wm-run writes after each tick uses the configuration's approvers and
 * critical limit, as wm-report does (wm_report_opts_config). */
START_TEST(opts_from_configuration)
{
	static const char conf[] = "[report]\ncritical_limit = 4\n"
				   "coverage_min = 90.5%\nobservation_window = 10m\n"
				   "[approver ops]\ntitle = Ops Lead\n"
				   "[approver cto]\nrequired = no\n";
	static const char bad[] = "[report]\ncritical_limit = few\n";
	struct wm_err e = {0};
	struct wm_config *cfg = wm_config_parse("t.conf", conf, sizeof(conf) - 1, &e);
	struct wm_report_opts o;

	ck_assert_msg(cfg != NULL, "%s", e.msg);
	ck_assert_int_eq(wm_report_opts_config(cfg, &o, &e), 0);
	ck_assert_double_eq(o.critical_limit, 4);
	ck_assert_double_eq(o.cover_min, 90.5);
	ck_assert_int_eq(o.cover_gap_ms, 10 * MIN);
	ck_assert_uint_eq(o.n_approvers, 2);
	ck_assert_str_eq(o.approvers[0].title, "Ops Lead");
	ck_assert(!o.approvers[1].required);
	wm_config_free(cfg);
	/* a bad value is refused when the file is loaded, with its line */
	cfg = wm_config_parse("bad.conf", bad, sizeof(bad) - 1, &e);
	ck_assert_ptr_null(cfg);
	ck_assert_str_eq(e.msg, "bad.conf:2: critical_limit: expected a number >= 0, got 'few'");
	ck_assert_int_eq(wm_report_opts_config(NULL, &o, &e), 0);
	ck_assert_uint_eq(o.n_approvers, 4);
}
END_TEST

/* The reports wm-run writes (wm_report_write_files) follow the
 * configuration's [report] coverage keys as wm-report does: the clean day,
 * watched every 5 minutes, is PASS; with 1-minute observation windows it is
 * observed 20 % and cannot be judged. */
START_TEST(write_files_follow_the_coverage_keys)
{
	static const char *const conf[] = {"[report]\ncoverage_min = 99%\n",
					   "[report]\nobservation_window = 1m\n"};
	static const char *const want[] = {"VERDICT: PASS (exit 0)\n",
					   "VERDICT: CANNOT JUDGE (exit 3)\n"};
	char src[512], dir[] = "/tmp/wm-check-report-XXXXXX", path[600], *buf = NULL;
	struct wm_err e = {0};
	size_t len = 0;

	snprintf(src, sizeof(src), "%s/tests/fixtures/journals/clean/journal.jsonl",
		 WM_TEST_SRCDIR);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(wm_file_read(src, 64u << 20, &buf, &len, &e), 0);
	snprintf(path, sizeof(path), "%s/journal.jsonl", dir);
	ck_assert_msg(wm_file_write_atomic(path, buf, len, 0644, &e) == 0, "%s", e.msg);
	free(buf);
	for (size_t i = 0; i < 2; i++) {
		struct wm_config *cfg = wm_config_parse("r.conf", conf[i], strlen(conf[i]), &e);

		ck_assert_msg(cfg != NULL, "%s", e.msg);
		ck_assert_msg(wm_report_write_files(dir, cfg, &e) == 0, "%s", e.msg);
		snprintf(path, sizeof(path), "%s/report.txt", dir);
		ck_assert_int_eq(wm_file_read(path, 1u << 20, &buf, &len, &e), 0);
		ck_assert_msg(strstr(buf, want[i]), "%zu: %.200s", i, buf);
		free(buf);
		wm_config_free(cfg);
	}
	wm_unit_rm_tree(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("report_input");
	TCase *tc = tcase_create("inputs");

	tcase_add_test(tc, bare_results);
	tcase_add_test(tc, critical_limit_configurable);
	tcase_add_test(tc, bare_results_not_all_measured_cannot_pass);
	tcase_add_test(tc, unknown_security_read_is_not_zero);
	tcase_add_test(tc, single_read_finding_not_covered_away);
	tcase_add_test(tc, downtime_from_incidents);
	tcase_add_test(tc, incident_times_from_the_plan_clock);
	tcase_add_test(tc, p99_from_merged_buckets);
	tcase_add_test(tc, tick_ends_event_interval);
	tcase_add_test(tc, drill_without_channel_fails);
	tcase_add_test(tc, db_p95_source_of_record);
	tcase_add_test(tc, critical_errors_evidence_names_the_line);
	tcase_add_test(tc, opts_from_configuration);
	tcase_add_test(tc, write_files_follow_the_coverage_keys);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
