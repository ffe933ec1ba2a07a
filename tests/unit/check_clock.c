/* check_clock.c - the clock seam: fixed clocks, the scaled timeline, spans. */
#include "config.h"

#include <stdint.h>

#include "base/clock.h"
#include "unit.h"

#define H (INT64_C(3600000))
#define T0 INT64_C(1795824000000) /* 2026-11-28T00:00:00Z */

START_TEST(test_fixed_clock_moves_only_when_told)
{
	struct wm_clock_fixed f = {T0, 5000};
	struct wm_clock c;

	wm_clock_init_fixed(&c, &f);
	ck_assert_int_eq(wm_clock_wall_ms(&c), T0);
	ck_assert_int_eq(wm_clock_mono_ms(&c), 5000);
	ck_assert_int_eq(wm_clock_offset_ms(&c), 0);
	wm_clock_fixed_advance(&f, 1500);
	ck_assert_int_eq(wm_clock_wall_ms(&c), T0 + 1500);
	ck_assert_int_eq(wm_clock_mono_ms(&c), 6500);
	ck_assert_int_eq(wm_clock_offset_ms(&c), 1500);
	ck_assert_int_eq(wm_clock_plan_ms(&c), T0 + 1500);
}
END_TEST

START_TEST(test_scaled_timeline)
{
	struct wm_clock_fixed f = {T0 + 1000, 0};
	struct wm_clock c;
	struct wm_err e = {0};

	wm_clock_init_fixed(&c, &f);
	ck_assert_int_eq(wm_clock_set(&c, 60, T0, &e), 0);
	/* One real second after T+0 at N = 60 is T+1 min on the plan. */
	ck_assert_int_eq(wm_clock_offset_ms(&c), 60000);
	ck_assert_int_eq(wm_clock_plan_ms(&c), T0 + 60000);
	/* T+1 h is one real minute after the start; T+24 h 24 real minutes. */
	ck_assert_int_eq(wm_clock_wall_at(&c, H), T0 + 60000);
	ck_assert_int_eq(wm_clock_wall_at(&c, 24 * H), T0 + 24 * 60000);
	/* An offset that does not divide rounds up: never early. */
	ck_assert_int_eq(wm_clock_wall_at(&c, 61), T0 + 2);
	ck_assert_int_eq(wm_clock_wall_at(&c, 60), T0 + 1);
	wm_clock_fixed_advance(&f, -2000);
	ck_assert_int_eq(wm_clock_offset_ms(&c), -60000); /* before the start */
}
END_TEST

/* Within one process the plan follows the monotonic clock: an NTP step or a
 * suspend that moves only the wall clock does not move the plan; a new clock
 * (a restarted run) places itself from the wall clock. */
START_TEST(test_wall_step_does_not_move_plan)
{
	struct wm_clock_fixed f = {T0 + 1000, 7000};
	struct wm_clock c, again;

	wm_clock_init_fixed(&c, &f);
	ck_assert_int_eq(wm_clock_set(&c, 1440, T0, NULL), 0);
	ck_assert_int_eq(wm_clock_offset_ms(&c), 1440000);
	f.wall_ms += 1000; /* stepped, mono unchanged: at N = 1440 that was 24 min */
	ck_assert_int_eq(wm_clock_offset_ms(&c), 1440000);
	f.wall_ms -= 5000;
	ck_assert_int_eq(wm_clock_offset_ms(&c), 1440000);
	f.mono_ms += 10; /* real time passing moves it */
	ck_assert_int_eq(wm_clock_offset_ms(&c), 1440000 + 14400);
	ck_assert_int_eq(wm_clock_plan_ms(&c), T0 + 1440000 + 14400);
	/* resuming after a restart: the wall clock places the run */
	f.wall_ms = T0 + 2000;
	wm_clock_init_fixed(&again, &f);
	ck_assert_int_eq(wm_clock_set(&again, 1440, T0, NULL), 0);
	ck_assert_int_eq(wm_clock_offset_ms(&again), 2880000);
}
END_TEST

START_TEST(test_spans)
{
	struct wm_clock_fixed f = {T0, 0};
	struct wm_clock c;

	wm_clock_init_fixed(&c, &f);
	ck_assert_int_eq(wm_clock_real_span(&c, 30 * 60000), 30 * 60000);
	ck_assert_int_eq(wm_clock_set(&c, 60, T0, NULL), 0);
	ck_assert_int_eq(wm_clock_real_span(&c, 30 * 60000), 30000); /* errors 30 min → 30 s */
	ck_assert_int_eq(wm_clock_real_span(&c, 1), 1);		     /* never 0 */
	ck_assert_int_eq(wm_clock_real_span(&c, 0), 0);
	ck_assert_int_eq(wm_clock_real_span(&c, -5), 0);
	ck_assert_int_eq(wm_clock_plan_span(&c, 5000), 300000);
	ck_assert_int_eq(wm_clock_set(&c, WM_CLOCK_SCALE_MAX, T0, NULL), 0);
	ck_assert_int_eq(wm_clock_real_span(&c, 24 * H), 1000);
}
END_TEST

START_TEST(test_scale_bounds)
{
	struct wm_clock_fixed f = {T0, 0};
	struct wm_clock c;
	struct wm_err e = {0};
	int64_t n = -1;

	wm_clock_init_fixed(&c, &f);
	ck_assert_int_eq(wm_clock_set(&c, 0, T0, &e), -1);
	ck_assert_int_eq(e.code, WM_EINVAL);
	ck_assert_int_eq(wm_clock_set(&c, WM_CLOCK_SCALE_MAX + 1, T0, NULL), -1);
	ck_assert_int_eq(c.scale, 1); /* untouched on error */
	ck_assert_int_eq(wm_clock_parse_scale("60", &n, &e), 0);
	ck_assert_int_eq(n, 60);
	ck_assert_int_eq(wm_clock_parse_scale("86400", &n, &e), 0);
	ck_assert_int_eq(n, 86400);
	n = -1;
	for (const char *const *s = (const char *const[]){"0", "-1", "", "1.5", "60x", " 60",
							  "86401", "99999999999999999999", NULL};
	     *s; s++) {
		e.code = 0;
		ck_assert_msg(wm_clock_parse_scale(*s, &n, &e) == -1, "'%s' accepted", *s);
		ck_assert_int_eq(e.code, WM_EINVAL);
		ck_assert_int_eq(n, -1);
	}
	ck_assert_int_eq(wm_clock_parse_scale(NULL, &n, NULL), -1);
}
END_TEST

START_TEST(test_real_clock)
{
	struct wm_clock c;
	int64_t a, b;

	wm_clock_init_real(&c);
	a = wm_clock_mono_ms(&c);
	b = wm_clock_mono_ms(&c);
	ck_assert(b >= a);
	ck_assert(wm_clock_wall_ms(&c) >= c.start_wall_ms);
	ck_assert(c.start_wall_ms > T0 - 400 * 24 * H); /* a plausible now */
}
END_TEST

static Suite *
clock_suite(void)
{
	Suite *s = suite_create("clock");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_fixed_clock_moves_only_when_told);
	tcase_add_test(tc, test_scaled_timeline);
	tcase_add_test(tc, test_wall_step_does_not_move_plan);
	tcase_add_test(tc, test_spans);
	tcase_add_test(tc, test_scale_bounds);
	tcase_add_test(tc, test_real_clock);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return wm_unit_run(clock_suite());
}
