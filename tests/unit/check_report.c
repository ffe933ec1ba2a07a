/* check_report.c - the report model on the fixed journals of
 * tests/fixtures/journals (made by its make-journals): the verdict, its
 * reasons, the criteria's figures, downtime, incidents, the hourly log. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "conf/conf.h"
#include "run/report.h"
#include "unit.h"

#define H INT64_C(3600000)
#define MIN INT64_C(60000)

/* The report of fixture name, finished. */
static struct wm_report *
report_of(const char *name)
{
	char path[512];
	char *buf = NULL;
	size_t len = 0;
	struct wm_err e = {0};
	struct wm_report *r = wm_report_new(NULL);

	ck_assert_ptr_nonnull(r);
	snprintf(path, sizeof(path), "%s/tests/fixtures/journals/%s/journal.jsonl", WM_TEST_SRCDIR,
		 name);
	ck_assert_msg(wm_file_read(path, 64u << 20, &buf, &len, &e) == 0, "%s: %s", path, e.msg);
	ck_assert_msg(wm_report_read_journal(r, buf, len, &e) == 0, "%s", e.msg);
	free(buf);
	ck_assert_msg(wm_report_finish(r, &e) == 0, "%s", e.msg);
	return r;
}

static const struct wm_report_criterion *
crit(const struct wm_report *r, const char *key)
{
	for (int i = 0; i < WM_CRIT_N; i++)
		if (!strcmp(r->crit[i].key, key))
			return &r->crit[i];
	ck_abort_msg("no criterion %s", key);
	return NULL;
}

START_TEST(clean_day_passes)
{
	struct wm_report *r = report_of("clean");

	ck_assert_msg(r->verdict == WM_VERDICT_PASS, "verdict %s, first reason: %s",
		      wm_verdict_name(r->verdict), r->n_reasons ? r->reasons[0] : "-");
	ck_assert_uint_eq(r->n_reasons, 0);
	for (int i = 0; i < WM_CRIT_N; i++)
		ck_assert_msg(r->crit[i].status == WM_REPORT_MET, "%s: %s", r->crit[i].key,
			      wm_report_status_name(r->crit[i].status));
	ck_assert(!r->partial);
	ck_assert(r->go_live);
	ck_assert_int_eq(r->downtime_ms, 0);
	/* T+24's 24-hour read is the one counted: 2+1+1 errors an hour */
	ck_assert_double_eq(r->total_errors, 96);
	ck_assert_double_eq(r->critical_errors, 0);
	/* the merged sketches' p99 within 1 %: 8 of every 608 values are
	 * 0.4116..0.4119 s (1.3 %), the rank of the p99 falls among them */
	ck_assert_msg(fabs(crit(r, "p99")->value - 0.4116) < 0.01 * 0.4116, "p99 %g",
		      crit(r, "p99")->value);
	ck_assert_msg(r->day_hit_rate > 85 && r->day_hit_rate < 100, "%g", r->day_hit_rate);
	ck_assert_uint_eq(r->n_drill, 3);
	ck_assert(r->drill[0].ok && r->drill[1].ok && r->drill[2].ok);
	for (size_t i = 0; i < r->n_approvals; i++)
		ck_assert_msg(*r->approvals[i].name, "%s not signed", r->approvals[i].role);
	ck_assert_str_eq(r->hours[3].notes, "traffic normal after the morning peak");
	ck_assert_str_eq(r->hours[5].status, "ALL UP");
	ck_assert_double_eq(r->hours[5].errors, 4);
	ck_assert_str_eq(r->hours[5].critical, "NONE");
	wm_report_free(r);
}
END_TEST

START_TEST(downtime_and_security_incident_fail)
{
	struct wm_report *r = report_of("fail");
	const struct wm_report_service *be = NULL;

	ck_assert_int_eq(r->verdict, WM_VERDICT_FAIL);
	ck_assert(!r->go_live);
	/* exactly those two criteria fail, uptime first in the criteria's order */
	for (int i = 0; i < WM_CRIT_N; i++)
		ck_assert_msg(r->crit[i].status == (i == WM_CRIT_UPTIME || i == WM_CRIT_SECURITY
							? WM_REPORT_FAILED
							: WM_REPORT_MET),
			      "%s: %s", r->crit[i].key, wm_report_status_name(r->crit[i].status));
	ck_assert_msg(!strncmp(r->reasons[0], "security: 3 violations", 22), "%s", r->reasons[0]);
	ck_assert_msg(strstr(r->reasons[0], "INC-2 (unauthorized backend, opened T+8h40m)"), "%s",
		      r->reasons[0]);
	ck_assert_str_eq(r->reasons[1], "uptime: backend down 7 min (T+5h10m-T+5h17m, documented "
					"by INC-1); over the 5 min allowed");
	/* then the incidents, as warnings */
	ck_assert_uint_eq(r->n_reasons, 4);
	ck_assert_int_eq(r->downtime_ms, 7 * MIN);
	ck_assert_int_eq(r->documented_ms, 7 * MIN);
	for (size_t i = 0; i < r->n_services; i++)
		if (!strcmp(r->services[i].name, "backend"))
			be = &r->services[i];
	ck_assert_ptr_nonnull(be);
	ck_assert_str_eq(be->source,
			 "container events, watch samples, service-down incidents, ticks");
	ck_assert_uint_eq(be->n_down, 1);
	ck_assert_int_eq(be->down[0].from_ms, 5 * H + 10 * MIN);
	ck_assert(be->down[0].documented);
	ck_assert_str_eq(be->down[0].incident, "INC-1");
	ck_assert_uint_eq(r->n_incidents, 2);
	ck_assert_str_eq(r->incidents[1].role, "secondary");
	ck_assert_str_eq(r->incidents[1].ack_user, "sari");
	ck_assert_str_eq(r->hours[5].status, "ISSUES: backend down 7.0 min (from T+5h10m)");
	ck_assert_msg(strstr(r->hours[5].critical, "INC-1 service-down backend"), "%s",
		      r->hours[5].critical);
	/* only the tech lead signed */
	ck_assert_str_eq(r->approvals[0].name, "Budi Santoso");
	ck_assert_str_eq(r->approvals[1].name, "");
	wm_report_free(r);
}
END_TEST

START_TEST(missing_perf_is_not_measured)
{
	struct wm_report *r = report_of("noperf");

	ck_assert_int_eq(r->verdict, WM_VERDICT_UNKNOWN);
	ck_assert_int_eq(crit(r, "p99")->status, WM_REPORT_NOT_MEASURED);
	ck_assert(isnan(crit(r, "p99")->value));
	ck_assert_str_eq(r->reasons[0], "p99: not measured: no wm-perf result with a p99");
	ck_assert_uint_eq(r->n_reasons, 1);
	ck_assert(!r->go_live);
	wm_report_free(r);
}
END_TEST

START_TEST(torn_last_line_is_said_not_fatal)
{
	struct wm_report *r = report_of("torn");

	ck_assert_uint_gt(r->torn_bytes, 0);
	ck_assert_str_eq(r->invalid, "");
	/* the cut record was an approval: the product manager's is missing */
	ck_assert_int_eq(r->verdict, WM_VERDICT_PASS);
	ck_assert(!r->go_live);
	wm_report_free(r);
}
END_TEST

START_TEST(empty_journal_cannot_be_judged)
{
	struct wm_report *r = report_of("empty");

	ck_assert_int_eq(r->verdict, WM_VERDICT_UNKNOWN);
	ck_assert_str_eq(r->reasons[0], "the journal holds no record");
	ck_assert(!r->started);
	wm_report_free(r);
}
END_TEST

START_TEST(partial_run_is_a_report_so_far)
{
	struct wm_report *r = report_of("partial");

	ck_assert(r->partial);
	ck_assert_int_eq(r->verdict, WM_VERDICT_UNKNOWN);
	ck_assert_msg(!strncmp(r->reasons[0], "partial run: a report so far, up to T+6h", 40), "%s",
		      r->reasons[0]);
	ck_assert_msg(strstr(r->reasons[0], "17.8 hours to come"), "%s", r->reasons[0]);
	ck_assert(!r->hours[6].to_come);
	ck_assert(r->hours[7].to_come);
	ck_assert_str_eq(r->hours[7].status, "to come");
	/* without T+24, the hourly reads are counted: T+1..T+6 security reads */
	ck_assert_double_eq(r->total_errors, 24);
	wm_report_free(r);
}
END_TEST

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

/* What wm-run calls after each tick: the run's HTML, written atomically. */
START_TEST(write_run_html)
{
	char dir[512], out[] = "/tmp/wm-check-report-XXXXXX", path[600], *buf = NULL;
	struct wm_err e = {0};
	size_t len = 0;

	snprintf(dir, sizeof(dir), "%s/tests/fixtures/journals/fail", WM_TEST_SRCDIR);
	ck_assert_ptr_nonnull(mkdtemp(out));
	snprintf(path, sizeof(path), "%s/report.html", out);
	ck_assert_msg(wm_report_write_run(dir, NULL, WM_REPORT_HTML, path, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(wm_file_read(path, 1u << 20, &buf, &len, &e), 0);
	ck_assert_ptr_nonnull(strstr(buf, "<svg id=\"chart-availability\""));
	ck_assert_ptr_nonnull(strstr(buf, ">FAIL</p>"));
	free(buf);
	snprintf(dir, sizeof(dir), "%s/no-such-run", out);
	ck_assert_int_eq(wm_report_write_run(dir, NULL, WM_REPORT_TEXT, path, &e), -1);
	ck_assert_int_eq(e.code, WM_ENOTFOUND);
	wm_unit_rm_tree(out);
}
END_TEST

static const struct wm_report_service *
service(const struct wm_report *r, const char *name)
{
	for (size_t i = 0; i < r->n_services; i++)
		if (!strcmp(r->services[i].name, name))
			return &r->services[i];
	ck_abort_msg("no service %s", name);
	return NULL;
}

/* The events stream was cut during redis's fault: a die event and no start.
 * The first watch sample that found redis running ends the interval (not
 * "still down" to T+24h), and the report says within what the end is known. */
START_TEST(cut_events_interval_ended_by_other_source)
{
	struct wm_report *r = report_of("cut");
	const struct wm_report_service *rd = service(r, "redis");

	ck_assert_uint_eq(rd->n_down, 1);
	ck_assert(!rd->down[0].open);
	ck_assert_int_eq(rd->down[0].from_ms, 6 * H + 10 * MIN);
	ck_assert_str_eq(rd->down[0].began_by, "container event");
	/* the last sample that saw it down, the first that saw it up */
	ck_assert_int_eq(rd->down[0].seen_down_ms, 6 * H + 55 * MIN + 30000);
	ck_assert_int_eq(rd->down[0].to_ms, 7 * H + 30000);
	ck_assert_str_eq(rd->down[0].ended_by, "watch sample");
	ck_assert_int_eq(r->downtime_ms, 50 * MIN + 30000);
	ck_assert_int_eq(crit(r, "uptime")->status, WM_REPORT_FAILED);
	ck_assert_msg(strstr(crit(r, "uptime")->evidence,
			     "ended between T+6h55m30s and T+7h30s (a watch sample saw it up)"),
		      "%s", crit(r, "uptime")->evidence);
	ck_assert_ptr_null(strstr(crit(r, "uptime")->evidence, "still down"));
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

/* A consequence (attached to its root via depends_on) follows its root's
 * acknowledgement: it is no "never acknowledged" reason of its own. */
START_TEST(consequence_follows_root_ack)
{
	struct wm_report *r = report_of("cut");
	bool root_said = false;

	for (size_t i = 0; i < r->n_reasons; i++) {
		ck_assert_msg(!strstr(r->reasons[i], "never acknowledged"), "%s", r->reasons[i]);
		ck_assert_msg(strncmp(r->reasons[i], "incident INC-2", 14) != 0, "%s",
			      r->reasons[i]);
		root_said =
		    root_said || !strcmp(r->reasons[i], "incident INC-1: service-down redis "
							"acknowledged; consequences: INC-2 "
							"backend");
	}
	ck_assert(root_said);
	wm_report_free(r);
}
END_TEST

/* wm-run's cron mode: ticks only, no watch, no drill.  Uptime is not judged
 * on silence: the ticks observe 3.8 % of the day. */
START_TEST(ticks_only_uptime_not_measured)
{
	struct wm_report *r = report_of("nowatch");

	ck_assert_int_eq(r->downtime_ms, 0);
	ck_assert_msg(r->coverage < 10, "%g", r->coverage);
	ck_assert_int_eq(crit(r, "uptime")->status, WM_REPORT_NOT_MEASURED);
	ck_assert_msg(strstr(crit(r, "uptime")->evidence, "observed 3.8 % of the run"), "%s",
		      crit(r, "uptime")->evidence);
	ck_assert_int_eq(crit(r, "monitoring")->status, WM_REPORT_WARN);
	ck_assert_int_eq(crit(r, "incident_response")->status, WM_REPORT_NOT_MEASURED);
	ck_assert_str_eq(crit(r, "incident_response")->evidence, "no drill in the journal");
	ck_assert_int_eq(r->verdict, WM_VERDICT_UNKNOWN);
	wm_report_free(r);
}
END_TEST

/* The monitor blind for 70 minutes (a monitoring-lost incident): uptime is
 * not measured, the gap is named and matched to the incident; a drill that
 * reached no channel fails incident_response, naming each channel. */
START_TEST(blind_hour_and_failed_drill)
{
	struct wm_report *r = report_of("lost");

	ck_assert_int_eq(r->downtime_ms, 0);
	ck_assert_int_eq(crit(r, "uptime")->status, WM_REPORT_NOT_MEASURED);
	ck_assert_uint_eq(r->n_gaps, 1);
	ck_assert_int_eq(r->gaps[0].from_ms, 3 * H + 10 * MIN + 30000);
	ck_assert_int_eq(r->gaps[0].to_ms, 4 * H + 20 * MIN + 30000);
	ck_assert(r->gaps[0].lost);
	ck_assert_int_eq(crit(r, "monitoring")->status, WM_REPORT_FAILED);
	ck_assert_int_eq(crit(r, "incident_response")->status, WM_REPORT_FAILED);
	ck_assert_str_eq(
	    crit(r, "incident_response")->evidence,
	    "the drill reached no channel: hook: exit 127: no such file; webhook: "
	    "HTTP 503; alertmanager: connecting to 127.0.0.1:9093: Connection refused");
	ck_assert_int_eq(r->verdict, WM_VERDICT_FAIL);
	/* the clean day: every moment observed */
	wm_report_free(r);
	r = report_of("clean");
	ck_assert_msg(r->coverage == 100, "%g", r->coverage);
	ck_assert_uint_eq(r->n_gaps, 0);
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

int
main(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("journals");

	tcase_add_test(tc, clean_day_passes);
	tcase_add_test(tc, downtime_and_security_incident_fail);
	tcase_add_test(tc, missing_perf_is_not_measured);
	tcase_add_test(tc, torn_last_line_is_said_not_fatal);
	tcase_add_test(tc, empty_journal_cannot_be_judged);
	tcase_add_test(tc, partial_run_is_a_report_so_far);
	tcase_add_test(tc, bare_results);
	tcase_add_test(tc, critical_limit_configurable);
	tcase_add_test(tc, bare_results_not_all_measured_cannot_pass);
	tcase_add_test(tc, unknown_security_read_is_not_zero);
	tcase_add_test(tc, single_read_finding_not_covered_away);
	tcase_add_test(tc, write_run_html);
	tcase_add_test(tc, downtime_from_incidents);
	tcase_add_test(tc, incident_times_from_the_plan_clock);
	tcase_add_test(tc, p99_from_merged_buckets);
	tcase_add_test(tc, cut_events_interval_ended_by_other_source);
	tcase_add_test(tc, tick_ends_event_interval);
	tcase_add_test(tc, consequence_follows_root_ack);
	tcase_add_test(tc, ticks_only_uptime_not_measured);
	tcase_add_test(tc, blind_hour_and_failed_drill);
	tcase_add_test(tc, drill_without_channel_fails);
	tcase_add_test(tc, db_p95_source_of_record);
	tcase_add_test(tc, critical_errors_evidence_names_the_line);
	tcase_add_test(tc, opts_from_configuration);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
