/* check_duration.c - durations, times and their formatting. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/duration.h"
#include "unit.h"

static int64_t
dur(const char *s)
{
	int64_t ms = -42;
	struct wm_err e = {0};

	ck_assert_msg(wm_duration_parse(s, &ms, &e) == 0, "'%s' rejected: %s", s, e.msg);
	return ms;
}

static void
dur_bad(const char *s)
{
	int64_t ms = -42;
	struct wm_err e = {0};

	ck_assert_msg(wm_duration_parse(s, &ms, &e) == -1, "'%s' accepted", s ? s : "(null)");
	ck_assert_int_eq(e.code, WM_EINVAL);
	ck_assert(e.msg[0] != '\0');
	ck_assert_int_eq(ms, -42); /* untouched on error */
}

START_TEST(test_duration_units)
{
	ck_assert_int_eq(dur("90s"), 90000);
	ck_assert_int_eq(dur("30m"), 1800000);
	ck_assert_int_eq(dur("4h"), 14400000);
	ck_assert_int_eq(dur("1d"), 86400000);
	ck_assert_int_eq(dur("2w"), 1209600000);
	ck_assert_int_eq(dur("500ms"), 500);
	ck_assert_int_eq(dur("0s"), 0);
	ck_assert_int_eq(dur("90"), 90000); /* bare number = seconds */
	ck_assert_int_eq(dur("1h30m"), 5400000);
	ck_assert_int_eq(dur("1d2h3m4s5ms"), 93784005);
	ck_assert_int_eq(dur("1m1m"), 120000);
}
END_TEST

START_TEST(test_duration_garbage)
{
	dur_bad(NULL);
	dur_bad("");
	dur_bad("-5s");
	dur_bad("+5s");
	dur_bad("5x");
	dur_bad("5 s");
	dur_bad(" 5s");
	dur_bad("s");
	dur_bad("1h30"); /* a bare number only on its own */
	dur_bad("1.5h");
	dur_bad("5sec");
	dur_bad("5S");
	dur_bad("ms");
	dur_bad("5s junk");
	dur_bad("99999999999999999999s"); /* digits overflow */
	dur_bad("9223372036854775807s");  /* unit multiplication overflows */
	dur_bad("106751991168d");
	dur_bad("9223372036854775807ms1ms"); /* the sum overflows */
}
END_TEST

static int64_t
when(const char *s, int64_t now)
{
	int64_t ms = -42;
	struct wm_err e = {0};

	ck_assert_msg(wm_time_parse(s, now, &ms, &e) == 0, "'%s' rejected: %s", s, e.msg);
	return ms;
}

static void
when_bad(const char *s)
{
	int64_t ms = -42;
	struct wm_err e = {0};

	ck_assert_msg(wm_time_parse(s, 1000000, &ms, &e) == -1, "'%s' accepted", s);
	ck_assert_int_eq(e.code, WM_EINVAL);
	ck_assert_ptr_nonnull(strstr(e.msg, "time"));
}

START_TEST(test_time_rfc3339)
{
	/* date -u -d 2026-11-28T00:13:41Z +%s = 1795824821 */
	ck_assert_int_eq(when("2026-11-28T00:13:41Z", 0), INT64_C(1795824821000));
	ck_assert_int_eq(when("2026-11-28t00:13:41z", 0), INT64_C(1795824821000));
	ck_assert_int_eq(when("2026-11-28 00:13:41Z", 0), INT64_C(1795824821000));
	ck_assert_int_eq(when("2026-11-28T07:13:41+07:00", 0), INT64_C(1795824821000));
	ck_assert_int_eq(when("2026-11-27T20:43:41-03:30", 0), INT64_C(1795824821000));
	ck_assert_int_eq(when("2026-11-28T00:13:41.123Z", 0), INT64_C(1795824821123));
	ck_assert_int_eq(when("2026-11-28T00:13:41.5Z", 0), INT64_C(1795824821500));
	ck_assert_int_eq(when("2026-11-28T00:13:41.123456789Z", 0), INT64_C(1795824821123));
	ck_assert_int_eq(when("2026-11-28T07:13:41.25+07:00", 0), INT64_C(1795824821250));
	ck_assert_int_eq(when("1970-01-01T00:00:00Z", 5), 0);
	ck_assert_int_eq(when("2024-02-29T23:59:59Z", 0), INT64_C(1709251199000));
	ck_assert_int_eq(when("1969-12-31T23:59:59Z", 0), -1000);
}
END_TEST

START_TEST(test_time_other_forms)
{
	int64_t now = INT64_C(1795824821000);

	ck_assert_int_eq(when("now", now), now);
	ck_assert_int_eq(when("1795824821", 0), INT64_C(1795824821000));
	ck_assert_int_eq(when("1795824821.25", 0), INT64_C(1795824821250));
	ck_assert_int_eq(when("0", 7), 0);
	ck_assert_int_eq(when("1h", now), now - 3600000);
	ck_assert_int_eq(when("1h30m", now), now - 5400000);
	ck_assert_int_eq(when("500ms", now), now - 500);
}
END_TEST

START_TEST(test_time_garbage)
{
	when_bad("");
	when_bad("yesterday");
	when_bad("NOW");
	when_bad("-1h");
	when_bad("2026-11-28");		 /* no time of day */
	when_bad("2026-11-28T00:13:41"); /* no offset */
	when_bad("2026-11-28T00:13Z");
	when_bad("2026-13-01T00:00:00Z");
	when_bad("2026-02-29T00:00:00Z"); /* not a leap year */
	when_bad("2026-11-31T00:00:00Z");
	when_bad("2026-11-28T24:00:00Z");
	when_bad("2026-11-28T00:60:00Z");
	when_bad("2026-11-28T00:13:41.Z");
	when_bad("2026-11-28T00:13:41+0700");
	when_bad("2026-11-28T00:13:41+24:00");
	when_bad("2026-11-28T00:13:41Zjunk");
	when_bad("1795824821.");
	when_bad("1795824821x");
	when_bad("99999999999999999999");
	when_bad("1h ago");
}
END_TEST

START_TEST(test_time_format)
{
	char buf[WM_TIME_BUF], tiny[8];
	int64_t back;

	ck_assert_int_eq(wm_time_format(INT64_C(1795824821123), buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "2026-11-28T00:13:41.123Z");
	ck_assert_int_eq(wm_time_format(0, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "1970-01-01T00:00:00.000Z");
	ck_assert_int_eq(wm_time_format(-1, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "1969-12-31T23:59:59.999Z");
	ck_assert_int_eq(wm_time_format(INT64_C(1709251199000), buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "2024-02-29T23:59:59.000Z");
	ck_assert_int_eq(wm_time_format(0, tiny, sizeof(tiny)), -1);
	ck_assert_int_eq(wm_time_format(INT64_C(253402300800000), buf, sizeof(buf)), -1);
	ck_assert_int_eq(wm_time_format(INT64_C(253402300799999), buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "9999-12-31T23:59:59.999Z");
	ck_assert_int_eq(wm_time_format(INT64_C(-62167219200000), buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "0000-01-01T00:00:00.000Z");
	ck_assert_int_eq(wm_time_format(INT64_MIN, buf, sizeof(buf)), -1);
	ck_assert_int_eq(wm_time_format(INT64_MAX, buf, sizeof(buf)), -1);
	/* parse(format(t)) == t */
	ck_assert_int_eq(wm_time_format(INT64_C(1795824821007), buf, sizeof(buf)), 0);
	ck_assert_int_eq(wm_time_parse(buf, 0, &back, NULL), 0);
	ck_assert_int_eq(back, INT64_C(1795824821007));
}
END_TEST

/* Random short strings over the characters the parsers care about: never a
 * crash or sanitizer report, and a success always yields a sane value. */
START_TEST(test_garbage_does_not_crash)
{
	static const char alphabet[] = "0123456789-+:.TZtz smhdw";
	unsigned seed = 12345;
	char s[24];

	for (int i = 0; i < 20000; i++) {
		size_t n = (seed = seed * 1103515245u + 12345u) >> 16 & 15;
		int64_t ms = 0;

		for (size_t k = 0; k < n; k++) {
			seed = seed * 1103515245u + 12345u;
			s[k] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		s[n] = '\0';
		if (wm_duration_parse(s, &ms, NULL) == 0)
			ck_assert_msg(ms >= 0, "'%s' -> %lld", s, (long long)ms);
		(void)wm_time_parse(s, INT64_C(1795824821000), &ms, NULL);
	}
}
END_TEST

START_TEST(test_clocks)
{
	int64_t now = wm_now_ms(), m1 = wm_monotonic_ms(), m2;

	/* the wall clock in ms is time(NULL) in s (within 2 s) */
	ck_assert(llabs(now / 1000 - (long long)time(NULL)) <= 2);
	/* the monotonic clock counts 30 ms slept (and not minutes) */
	nanosleep(&(struct timespec){.tv_nsec = 30 * 1000000L}, NULL);
	m2 = wm_monotonic_ms();
	ck_assert_int_ge(m2 - m1, 25);
	ck_assert_int_lt(m2 - m1, 60000);
}
END_TEST

/* The one calendar both time parsers (duration.c, logline.c) use. */
START_TEST(test_days_from_civil)
{
	ck_assert_int_eq(wm_days_from_civil(1970, 1, 1), 0);
	ck_assert_int_eq(wm_days_from_civil(1969, 12, 31), -1);
	ck_assert_int_eq(wm_days_from_civil(2000, 3, 1), 11017);   /* after a 400-year leap day */
	ck_assert_int_eq(wm_days_from_civil(2024, 2, 29), 19782);  /* a leap day */
	ck_assert_int_eq(wm_days_from_civil(2100, 3, 1), 47541);   /* 2100 is no leap year */
	ck_assert_int_eq(wm_days_from_civil(1600, 1, 1), -135140); /* before the epoch */
}
END_TEST

static Suite *
duration_suite(void)
{
	Suite *s = suite_create("duration");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_duration_units);
	tcase_add_test(tc, test_duration_garbage);
	tcase_add_test(tc, test_time_rfc3339);
	tcase_add_test(tc, test_time_other_forms);
	tcase_add_test(tc, test_time_garbage);
	tcase_add_test(tc, test_time_format);
	tcase_add_test(tc, test_garbage_does_not_crash);
	tcase_add_test(tc, test_clocks);
	tcase_add_test(tc, test_days_from_civil);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return wm_unit_run(duration_suite());
}
