/* check_report_plan.c - the plan a report judges a run by: the one the run
 * journaled (store/journal_plan.h), else the configuration's, else the
 * runbook's; on the fixtures short and short-partial of
 * tests/fixtures/journals (a 12-hour plan, standard every 3 h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "conf/conf.h"
#include "run/report.h"
#include "store/journal_plan.h"
#include "unit.h"

#define H INT64_C(3600000)

/* The journal text of fixture name (malloc'd, NUL-terminated). */
static char *
journal_of(const char *name, size_t *len)
{
	char path[512], *buf = NULL;
	struct wm_err e = {0};

	snprintf(path, sizeof(path), "%s/tests/fixtures/journals/%s/journal.jsonl", WM_TEST_SRCDIR,
		 name);
	ck_assert_msg(wm_file_read(path, 64u << 20, &buf, len, &e) == 0, "%s: %s", path, e.msg);
	return buf;
}

/* The run_start without its plan: a journal of a wm-run that did not
 * journal it (the plan is run_start's last member). */
static void
strip_plan(char *buf, size_t *len)
{
	char *p = strstr(buf, ",\"plan\":"), *nl = strchr(buf, '\n');

	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(nl);
	ck_assert(p < nl);
	memmove(p, nl - 1, (size_t)(buf + *len - (nl - 1)) + 1);
	*len -= (size_t)(nl - 1 - p);
}

/* The finished report of journal text buf with options o (NULL: defaults). */
static struct wm_report *
report_text(const char *buf, size_t len, const struct wm_report_opts *o)
{
	struct wm_err e = {0};
	struct wm_report *r = wm_report_new(o);

	ck_assert_ptr_nonnull(r);
	ck_assert_msg(wm_report_read_journal(r, buf, len, &e) == 0, "%s", e.msg);
	ck_assert_msg(wm_report_finish(r, &e) == 0, "%s", e.msg);
	return r;
}

static struct wm_report *
report_of(const char *name, bool without_plan, const struct wm_report_opts *o)
{
	size_t len = 0;
	char *buf = journal_of(name, &len);
	struct wm_report *r;

	if (without_plan)
		strip_plan(buf, &len);
	r = report_text(buf, len, o);
	free(buf);
	return r;
}

/* The 12-hour run is judged on its 12 hours: the old report judged it on
 * 24, found it observed half the time and could not judge it. */
START_TEST(journaled_plan_is_the_runs)
{
	struct wm_report *r = report_of("short", false, NULL);

	ck_assert_int_eq(r->opts.plan_from, WM_REPORT_PLAN_JOURNAL);
	ck_assert_int_eq(r->opts.plan_ms, 12 * H);
	ck_assert_int_eq(r->n_hours, 12);
	ck_assert_msg(r->verdict == WM_VERDICT_PASS, "%s: %s", wm_verdict_name(r->verdict),
		      r->n_reasons ? r->reasons[0] : "-");
	ck_assert_int_eq(r->crit[WM_CRIT_UPTIME].status, WM_REPORT_MET);
	ck_assert_int_eq(r->crit[WM_CRIT_MONITORING].status, WM_REPORT_MET);
	ck_assert_uint_eq(r->ticks_planned, 26);
	ck_assert_uint_eq(r->ticks_unrun, 0);
	wm_report_free(r);
}
END_TEST

START_TEST(partial_hours_to_come_of_the_plan)
{
	struct wm_report *r = report_of("short-partial", false, NULL);

	ck_assert(r->partial);
	ck_assert_msg(strstr(r->reasons[0], "; 5.8 hours to come"), "%s", r->reasons[0]);
	ck_assert(!r->hours[6].to_come);
	ck_assert(r->hours[11].to_come);
	ck_assert_int_eq(r->n_hours, 12);
	wm_report_free(r);
}
END_TEST

/* A later record's plan is the run's from then on: a reload accepted, a
 * driver resumed on a changed configuration; a refused reload has none. */
START_TEST(later_plan_replaces_the_first)
{
	static const char *const rec[] = {
	    "{\"v\":1,\"seq\":151,\"type\":\"reload\",\"wall_ms\":1795846230000,\"mono_ms\":"
	    "22235000,\"ok\":true,\"digest\":\"x\",\"tiers\":{},\"plan\":[{\"tier\":\"full\","
	    "\"checks\":[\"services\"],\"window_ms\":3600000,\"grace_ms\":300000,\"at_ms\":[0,"
	    "28800000]}]}\n",
	    "{\"v\":1,\"seq\":151,\"type\":\"driver\",\"wall_ms\":1795846230000,\"mono_ms\":"
	    "22235000,\"pid\":1,\"version\":\"x\",\"resumed\":true,\"plan\":[{\"tier\":\"full\","
	    "\"checks\":[\"services\"],\"window_ms\":3600000,\"grace_ms\":300000,\"at_ms\":[0,"
	    "28800000]}]}\n",
	    "{\"v\":1,\"seq\":151,\"type\":\"reload\",\"wall_ms\":1795846230000,\"mono_ms\":"
	    "22235000,\"ok\":false,\"error\":\"x.conf:3: bad\"}\n",
	};
	static const char *const want[] = {"; 1.8 hours to come", "; 1.8 hours to come",
					   "; 5.8 hours to come"};

	for (size_t i = 0; i < sizeof(rec) / sizeof(rec[0]); i++) {
		size_t len = 0, n = strlen(rec[i]);
		char *buf = journal_of("short-partial", &len), *all = malloc(len + n + 1);
		struct wm_report *r;

		ck_assert_ptr_nonnull(all);
		memcpy(all, buf, len);
		memcpy(all + len, rec[i], n + 1);
		r = report_text(all, len + n, NULL);
		ck_assert_msg(!*r->invalid, "%s", r->invalid);
		ck_assert_int_eq(r->opts.plan_from, WM_REPORT_PLAN_JOURNAL);
		ck_assert_msg(strstr(r->reasons[0], want[i]), "%zu: %s", i, r->reasons[0]);
		wm_report_free(r);
		free(all);
		free(buf);
	}
}
END_TEST

/* A journal without its plan: the configuration's [tier]s, said so. */
START_TEST(no_journaled_plan_uses_the_configuration)
{
	static const char conf[] = "[tier full]\nat = 0, 12h\nwindow = 12h\n"
				   "[tier standard]\nat = 6h..9h/3h\nwindow = 3h\n"
				   "[tier comprehensive]\nat = none\n"
				   "[tier security]\nat = 1h..11h/1h\n"
				   "[tier performance]\nat = 2h..10h/2h\n"
				   "[tier smoke]\nat = 4h, 8h\n";
	struct wm_err e = {0};
	struct wm_config *cfg = wm_config_parse("short.conf", conf, sizeof(conf) - 1, &e);
	struct wm_report_opts *o = malloc(sizeof(*o));
	struct wm_report *r;
	char text[1024];

	ck_assert_msg(cfg != NULL, "%s", e.msg);
	ck_assert_ptr_nonnull(o);
	ck_assert_msg(wm_report_opts_config(cfg, o, &e) == 0, "%s", e.msg);
	r = report_of("short", true, o);
	ck_assert_int_eq(r->opts.plan_from, WM_REPORT_PLAN_CONFIG);
	ck_assert_int_eq(r->opts.plan_ms, 12 * H);
	ck_assert_uint_eq(r->ticks_unrun, 0);
	ck_assert_msg(r->verdict == WM_VERDICT_PASS, "%s: %s", wm_verdict_name(r->verdict),
		      r->n_reasons ? r->reasons[0] : "-");
	wm_report_plan_text(r, text, sizeof(text));
	ck_assert_msg(strstr(text, "the configuration's, short.conf"), "%s", text);
	ck_assert_msg(strstr(text, "(the journal does not hold its plan)"), "%s", text);
	wm_report_free(r);
	wm_config_free(cfg);
	free(o);
}
END_TEST

/* Neither: the runbook's plan, whose ticks the run did not have. */
START_TEST(no_plan_at_all_uses_the_default)
{
	struct wm_report *r = report_of("short", true, NULL);
	char text[1024];

	ck_assert_int_eq(r->opts.plan_from, WM_REPORT_PLAN_DEFAULT);
	ck_assert_int_eq(r->opts.plan_ms, 24 * H);
	/* standard T+8h, T+10h, T+12h; security, performance, smoke T+12h */
	ck_assert_uint_eq(r->ticks_unrun, 6);
	ck_assert_int_eq(r->crit[WM_CRIT_MONITORING].status, WM_REPORT_WARN);
	wm_report_plan_text(r, text, sizeof(text));
	ck_assert_msg(strstr(text, "the runbook's default (the journal does not hold its plan)"),
		      "%s", text);
	wm_report_free(r);
}
END_TEST

/* The old journals (no plan) of a run on the runbook's plan: every tick is
 * there, none is counted missing. */
START_TEST(default_run_has_every_tick)
{
	struct wm_report *r = report_of("clean", false, NULL);

	ck_assert_uint_eq(r->ticks_planned, 51);
	ck_assert_uint_eq(r->ticks_unrun, 0);
	wm_report_free(r);
}
END_TEST

/* A plan that cannot be read is said, and the fallback used. */
START_TEST(damaged_plan_is_said)
{
	size_t len = 0;
	char *buf = journal_of("short", &len);
	char *at = strstr(buf, "\"at_ms\":[0,43200000]");
	struct wm_report *r;

	ck_assert_ptr_nonnull(at);
	memcpy(at, "\"at_ms\":[43200000,0]", 20);
	r = report_text(buf, len, NULL);
	ck_assert_int_eq(r->opts.plan_from, WM_REPORT_PLAN_DEFAULT);
	ck_assert_msg(strstr(r->plan_bad, "the run_start record's plan: tier full: at_ms"), "%s",
		      r->plan_bad);
	wm_report_free(r);
	free(buf);
}
END_TEST

/* What wm-run journals reads back as the same plan. */
START_TEST(journal_plan_round_trip)
{
	struct wm_schedule *a = malloc(sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct wm_err e = {0};
	cJSON *j;

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	wm_schedule_default(a);
	ck_assert_int_eq(wm_schedule_configure(a, "standard", "at", "6h..12h/3h", &e), 0);
	j = wm_journal_plan_json(a);
	ck_assert_ptr_nonnull(j);
	ck_assert_msg(wm_journal_plan_parse(j, b, &e) == 0, "%s", e.msg);
	ck_assert_uint_eq(b->n_tiers, a->n_tiers);
	for (size_t i = 0; i < a->n_tiers; i++) {
		ck_assert_str_eq(b->tier[i].name, a->tier[i].name);
		ck_assert_uint_eq(b->tier[i].checks, a->tier[i].checks);
		ck_assert_int_eq(b->tier[i].window_ms, a->tier[i].window_ms);
		ck_assert_int_eq(b->tier[i].grace_ms, a->tier[i].grace_ms);
		ck_assert_uint_eq(b->tier[i].n_at, a->tier[i].n_at);
		ck_assert_mem_eq(b->tier[i].at, a->tier[i].at, a->tier[i].n_at * sizeof(int64_t));
	}
	cJSON_Delete(j);
	free(a);
	free(b);
}
END_TEST

START_TEST(journal_plan_refuses_what_is_not_a_plan)
{
	static const char *const bad[] = {
	    "{}",
	    "[1]",
	    "[{\"tier\":\"x\",\"checks\":[],\"window_ms\":1,\"grace_ms\":0}]",
	    "[{\"tier\":\"x\",\"checks\":[\"nope\"],\"window_ms\":1,\"grace_ms\":0,\"at_ms\":[]}]",
	    "[{\"tier\":\"x\",\"checks\":[],\"window_ms\":0,\"grace_ms\":0,\"at_ms\":[]}]",
	    "[{\"tier\":\"x\",\"checks\":[],\"window_ms\":1,\"grace_ms\":0,\"at_ms\":[-1]}]",
	    "[{\"tier\":\"x\",\"checks\":[],\"window_ms\":1,\"grace_ms\":0,\"at_ms\":[0.5]}]",
	    "[{\"tier\":\"x\",\"checks\":[],\"window_ms\":1,\"grace_ms\":0,\"at_ms\":[]},"
	    "{\"tier\":\"x\",\"checks\":[],\"window_ms\":1,\"grace_ms\":0,\"at_ms\":[]}]",
	};
	struct wm_schedule *p = malloc(sizeof(*p));

	ck_assert_ptr_nonnull(p);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cJSON *j = cJSON_Parse(bad[i]);
		struct wm_err e = {0};

		ck_assert_ptr_nonnull(j);
		ck_assert_msg(wm_journal_plan_parse(j, p, &e) == -1, "accepted %s", bad[i]);
		ck_assert_msg(e.code == WM_EINVAL, "%s: %d", bad[i], e.code);
		cJSON_Delete(j);
	}
	free(p);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("report_plan");
	TCase *tc = tcase_create("plan");

	tcase_add_test(tc, journaled_plan_is_the_runs);
	tcase_add_test(tc, partial_hours_to_come_of_the_plan);
	tcase_add_test(tc, later_plan_replaces_the_first);
	tcase_add_test(tc, no_journaled_plan_uses_the_configuration);
	tcase_add_test(tc, no_plan_at_all_uses_the_default);
	tcase_add_test(tc, default_run_has_every_tick);
	tcase_add_test(tc, damaged_plan_is_said);
	tcase_add_test(tc, journal_plan_round_trip);
	tcase_add_test(tc, journal_plan_refuses_what_is_not_a_plan);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
