/* check_report.c - the report model on the fixed journals of
 * tests/fixtures/journals (made by its make-journals): the verdict, its
 * reasons, the criteria's figures, downtime, incidents, the hourly log.
 * check_report_input.c has the inputs written in the tests, check_report_plan.c
 * the plan. */
#include "config.h"

#include <math.h>

#include "report_test.h"

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
	tcase_add_test(tc, write_run_html);
	tcase_add_test(tc, cut_events_interval_ended_by_other_source);
	tcase_add_test(tc, consequence_follows_root_ack);
	tcase_add_test(tc, ticks_only_uptime_not_measured);
	tcase_add_test(tc, blind_hour_and_failed_drill);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
