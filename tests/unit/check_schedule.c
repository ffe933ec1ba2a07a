/* check_schedule.c - the plan, what is due, late and missed, and the crontab. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/schedule.h"
#include "unit.h"

#define MIN (INT64_C(60000))
#define H (60 * MIN)
#define T0 INT64_C(1795824000000) /* 2026-11-28T00:00:00Z */

/* The settled ticks of a test: "tier@offset" strings. */
struct settled {
	size_t n;
	struct {
		const char *tier;
		int64_t at;
	} t[64];
};

static bool
is_settled(const char *tier, int64_t at, void *ctx)
{
	const struct settled *s = ctx;

	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->t[i].tier, tier) && s->t[i].at == at)
			return true;
	return false;
}

static void
settle(struct settled *s, const char *tier, int64_t at)
{
	s->t[s->n].tier = tier;
	s->t[s->n++].at = at;
}

/* The due list at now as "tier@min:STATUS " words, for exact comparison. */
static const char *
due_str(const struct wm_schedule *p, int64_t now, struct settled *st)
{
	static char buf[2048];
	static const char *const names[] = {"due", "late", "missed"};
	struct wm_due d[64];
	size_t n = wm_schedule_due(p, now, is_settled, st, d, 64), len = 0;

	ck_assert(n <= 64);
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s@%lld:%s", i ? " " : "",
					p->tier[d[i].tier].name, (long long)(d[i].at_ms / MIN),
					names[d[i].status]);
	return buf;
}

static struct wm_schedule *
plan(void)
{
	struct wm_schedule *p = malloc(sizeof(*p));

	ck_assert_ptr_nonnull(p);
	wm_schedule_default(p);
	return p;
}

START_TEST(test_default_plan_is_the_runbook)
{
	struct wm_schedule *p = plan();
	struct wm_schedule_tier *t;
	int64_t at;

	ck_assert_int_eq(p->n_tiers, 7);
	t = wm_schedule_find(p, "quick");
	ck_assert_int_eq(t->n_at, 4);
	ck_assert_int_eq(t->at[0], H);
	ck_assert_int_eq(t->at[3], 4 * H);
	ck_assert_int_eq(t->window_ms, 30 * MIN);
	ck_assert_uint_eq(t->checks, (1u << WM_SCHED_SERVICES) | (1u << WM_SCHED_ERRORS) |
					 (1u << WM_SCHED_LOGS));
	t = wm_schedule_find(p, "standard");
	ck_assert_int_eq(t->n_at, 4); /* 6, 8, 10, 12 */
	ck_assert_int_eq(t->at[3], 12 * H);
	ck_assert_int_eq(t->window_ms, H);
	t = wm_schedule_find(p, "comprehensive");
	ck_assert_int_eq(t->n_at, 2);
	ck_assert_int_eq(t->at[0], 16 * H);
	ck_assert_int_eq(t->at[1], 20 * H);
	ck_assert_int_eq(t->window_ms, 4 * H);
	ck_assert(t->checks & (1u << WM_SCHED_DB)); /* data loss after T+12 not unseen */
	ck_assert(t->checks & (1u << WM_SCHED_CACHE));
	t = wm_schedule_find(p, "full");
	ck_assert_uint_eq(t->checks, WM_SCHED_ALL);
	ck_assert_int_eq(t->n_at, 2);
	ck_assert_int_eq(t->at[1], 24 * H);
	ck_assert_int_eq(wm_schedule_find(p, "security")->n_at, 23);
	ck_assert_int_eq(wm_schedule_find(p, "performance")->n_at, 11);
	ck_assert_int_eq(wm_schedule_find(p, "smoke")->n_at, 5);
	ck_assert_ptr_null(wm_schedule_find(p, "hourly"));
	ck_assert_int_eq(wm_schedule_end(p), 24 * H);
	ck_assert_int_eq(wm_schedule_next(p, 0, &at), 1);
	ck_assert_int_eq(at, H);
	ck_assert_int_eq(wm_schedule_next(p, 4 * H, &at), 1);
	ck_assert_int_eq(at, 5 * H); /* security at T+5 h */
	ck_assert_int_eq(wm_schedule_next(p, 24 * H, &at), 0);
	free(p);
}
END_TEST

START_TEST(test_due_on_time)
{
	struct wm_schedule *p = plan();
	struct settled st = {0};

	ck_assert_str_eq(due_str(p, -1, &st), ""); /* before the start */
	ck_assert_str_eq(due_str(p, 0, &st), "full@0:due");
	settle(&st, "full", 0);
	ck_assert_str_eq(due_str(p, 1, &st), "");
	ck_assert_str_eq(due_str(p, H - 1, &st), "");
	ck_assert_str_eq(due_str(p, H, &st), "quick@60:due security@60:due");
	ck_assert_str_eq(due_str(p, H + 5 * MIN, &st), "quick@60:due security@60:due");
	settle(&st, "quick", H);
	settle(&st, "security", H);
	ck_assert_str_eq(due_str(p, 2 * H + 1000, &st),
			 "quick@120:due security@120:due performance@120:due");
	free(p);
}
END_TEST

START_TEST(test_late_after_grace)
{
	struct wm_schedule *p = plan();
	struct settled st = {0};

	settle(&st, "full", 0);
	ck_assert_str_eq(due_str(p, H + 5 * MIN + 1, &st), "quick@60:late security@60:late");
	/* The driver came up 10 minutes late at T+0: full runs, late. */
	st.n = 0;
	ck_assert_str_eq(due_str(p, 10 * MIN, &st), "full@0:late");
	free(p);
}
END_TEST

START_TEST(test_outage_runs_latest_misses_others)
{
	struct wm_schedule *p = plan();
	struct settled st = {0};

	settle(&st, "full", 0);
	settle(&st, "quick", H);
	settle(&st, "security", H);
	/* Down from T+1:10 to T+4:30: of each tier the most recent tick runs, late. */
	ck_assert_str_eq(due_str(p, 4 * H + 30 * MIN, &st),
			 "quick@120:missed security@120:missed performance@120:missed "
			 "quick@180:missed security@180:missed "
			 "quick@240:late security@240:late performance@240:late smoke@240:late");
	/* The driver journals the missed ones and ends the late ones: nothing left. */
	settle(&st, "quick", 2 * H);
	settle(&st, "quick", 3 * H);
	settle(&st, "quick", 4 * H);
	settle(&st, "security", 2 * H);
	settle(&st, "security", 3 * H);
	settle(&st, "security", 4 * H);
	settle(&st, "performance", 2 * H);
	settle(&st, "performance", 4 * H);
	settle(&st, "smoke", 4 * H);
	ck_assert_str_eq(due_str(p, 4 * H + 31 * MIN, &st), "");
	free(p);
}
END_TEST

START_TEST(test_due_capacity)
{
	struct wm_schedule *p = plan();
	struct wm_due d[2];

	/* Nothing settled at T+24 h: 2+4+4+2+23+11+5 ticks, two written. */
	ck_assert_int_eq(wm_schedule_due(p, 24 * H, NULL, NULL, d, 2), 51);
	ck_assert_int_eq(d[0].at_ms, 0);
	ck_assert_int_eq(d[0].status, WM_TICK_MISSED);
	ck_assert_int_eq(wm_schedule_due(p, 24 * H, NULL, NULL, NULL, 0), 51);
	free(p);
}
END_TEST

START_TEST(test_configure)
{
	struct wm_schedule *p = plan();
	struct wm_schedule_tier *t;
	struct wm_err e = {0};

	ck_assert_int_eq(wm_schedule_configure(p, "quick", "at", "30m..2h/30m, 10m, 1h", &e), 0);
	t = wm_schedule_find(p, "quick");
	ck_assert_int_eq(t->n_at, 5); /* 10, 30, 60, 90, 120 min: sorted, unique */
	ck_assert_int_eq(t->at[0], 10 * MIN);
	ck_assert_int_eq(t->at[1], 30 * MIN);
	ck_assert_int_eq(t->at[4], 2 * H);
	ck_assert_int_eq(wm_schedule_configure(p, "quick", "checks", "services, cache", &e), 0);
	ck_assert_uint_eq(t->checks, (1u << WM_SCHED_SERVICES) | (1u << WM_SCHED_CACHE));
	ck_assert_int_eq(wm_schedule_configure(p, "quick", "window", "15m", &e), 0);
	ck_assert_int_eq(t->window_ms, 15 * MIN);
	ck_assert_int_eq(wm_schedule_configure(p, "quick", "grace", "1m", &e), 0);
	ck_assert_int_eq(t->grace_ms, MIN);
	ck_assert_int_eq(wm_schedule_configure(p, "smoke", "at", "none", &e), 0);
	ck_assert_int_eq(wm_schedule_find(p, "smoke")->n_at, 0);
	ck_assert_int_eq(wm_schedule_configure(p, "nightly", "checks", "all", &e), 0);
	ck_assert_int_eq(p->n_tiers, 8);
	ck_assert_uint_eq(wm_schedule_find(p, "nightly")->checks, WM_SCHED_ALL);
	ck_assert_int_eq(wm_schedule_find(p, "nightly")->grace_ms, 5 * MIN);
	free(p);
}
END_TEST

START_TEST(test_configure_errors_leave_plan)
{
	static const char *const bad[][3] = {
	    {"quick", "at", "1h..4h"},	       {"quick", "at", "4h..1h/1h"},
	    {"quick", "at", "1h..4h/0"},       {"quick", "at", "soon"},
	    {"quick", "at", "1h,,2h"},	       {"quick", "at", "0..24h/1m"},
	    {"quick", "checks", "services,x"}, {"quick", "window", "-1h"},
	    {"quick", "colour", "red"},	       {"Bad Tier", "at", "1h"},
	};
	struct wm_schedule *p = plan(), *orig = plan();
	struct wm_err e;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e.code = 0;
		ck_assert_msg(wm_schedule_configure(p, bad[i][0], bad[i][1], bad[i][2], &e) == -1,
			      "%s %s '%s' accepted", bad[i][0], bad[i][1], bad[i][2]);
		ck_assert(e.code == WM_EINVAL || e.code == WM_ETOOBIG);
		ck_assert_int_eq(memcmp(p, orig, sizeof(*p)), 0);
	}
	ck_assert_int_eq(wm_schedule_configure(p, "quick", "at", "0..24h/1m", &e), -1);
	ck_assert_int_eq(e.code, WM_ETOOBIG);
	ck_assert_ptr_nonnull(strstr(e.msg, "schedule quick at"));
	free(p);
	free(orig);
}
END_TEST

START_TEST(test_crontab)
{
	struct wm_schedule *p = plan();
	struct wm_err e = {0};
	char *c = wm_schedule_crontab(p, T0, 0, "wm-run tick --target prod", &e);
	const char *l;
	size_t lines = 0;

	ck_assert_ptr_nonnull(c);
	for (l = c; (l = strchr(l, '\n')); l++)
		lines++;
	ck_assert_int_eq(lines, 3 + 25); /* a 3-line header, T+0 … T+24 h: one line per hour */
	ck_assert_ptr_nonnull(strstr(c, "\n0 0 28 11 * wm-run tick --target prod  # T+0 full\n"));
	ck_assert_ptr_nonnull(strstr(c, "\n0 2 28 11 * wm-run tick --target prod  # T+2h quick "
					"security performance\n"));
	ck_assert_ptr_nonnull(strstr(c, "\n0 0 29 11 * wm-run tick --target prod  # T+24h full\n"));
	free(c);
	/* UTC+7 (the deployment's zone), '%' escaped, a tick at T+90 s fires at T+2 min. */
	wm_schedule_configure(p, "quick", "at", "90s", &e);
	c = wm_schedule_crontab(p, T0, 7 * 60, "wm-run tick 100%", &e);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(strstr(c, "UTC+7:00"));
	ck_assert_ptr_nonnull(strstr(c, "\n0 7 28 11 * wm-run tick 100\\%  # T+0 full\n"));
	ck_assert_ptr_nonnull(strstr(c, "\n2 7 28 11 * wm-run tick 100\\%  # T+1m30s quick\n"));
	free(c);
	ck_assert_ptr_null(wm_schedule_crontab(p, T0, 0, "a\nb", &e));
	ck_assert_int_eq(e.code, WM_EINVAL);
	free(p);
}
END_TEST

START_TEST(test_offset_str)
{
	char b[32];

	wm_schedule_offset_str(0, b, sizeof(b));
	ck_assert_str_eq(b, "T+0");
	wm_schedule_offset_str(2 * H, b, sizeof(b));
	ck_assert_str_eq(b, "T+2h");
	wm_schedule_offset_str(H + 30 * MIN, b, sizeof(b));
	ck_assert_str_eq(b, "T+1h30m");
	wm_schedule_offset_str(45000, b, sizeof(b));
	ck_assert_str_eq(b, "T+45s");
	wm_schedule_offset_str(-5, b, sizeof(b));
	ck_assert_str_eq(b, "T-5ms");
}
END_TEST

START_TEST(test_check_names)
{
	for (int c = 0; c < WM_SCHED_NCHECKS; c++)
		ck_assert_int_eq(wm_sched_check_parse(wm_sched_check_name(c)), c);
	ck_assert_ptr_null(wm_sched_check_name(WM_SCHED_NCHECKS));
	ck_assert_ptr_null(wm_sched_check_name(-1));
	ck_assert_int_eq(wm_sched_check_parse("everything"), -1);
}
END_TEST

static Suite *
schedule_suite(void)
{
	Suite *s = suite_create("schedule");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_default_plan_is_the_runbook);
	tcase_add_test(tc, test_due_on_time);
	tcase_add_test(tc, test_late_after_grace);
	tcase_add_test(tc, test_outage_runs_latest_misses_others);
	tcase_add_test(tc, test_due_capacity);
	tcase_add_test(tc, test_configure);
	tcase_add_test(tc, test_configure_errors_leave_plan);
	tcase_add_test(tc, test_crontab);
	tcase_add_test(tc, test_offset_str);
	tcase_add_test(tc, test_check_names);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return wm_unit_run(schedule_suite());
}
