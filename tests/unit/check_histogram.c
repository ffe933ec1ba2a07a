/* check_histogram.c - histogram_quantile, increases and sum by (le, ...)
 * against values computed by hand with PromQL 2.42's rules (histogram.h);
 * each computation is written beside its assertion. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "model/histogram.h"
#include "model/promtext.h"
#include "unit.h"

#define NB(a) (sizeof(a) / sizeof((a)[0]))
#define EQ(x, y) eq((x), (y), __LINE__)

static void
eq(double x, double y, int line)
{
	ck_assert_msg(fabs(x - y) <= 1e-12 * fabs(y), "line %d: %.17g != %.17g", line, x, y);
}

/* le: 0.1 0.3 0.5 1 3 +Inf, cumulative 10 50 80 95 99 100 */
static const struct wm_prom_bucket base[] = {
    {0.1, 10}, {0.3, 50}, {0.5, 80}, {1, 95}, {3, 99}, {INFINITY, 100},
};

START_TEST(test_hist_interpolation)
{
	struct wm_hist_q q;
	char buf[64];

	/* q=0.5: rank 50; first count >= 50 is le=0.3 (50); start 0.1, below 10:
	 * 0.1 + (0.3-0.1) * (50-10)/(50-10) = 0.3 */
	q = wm_hist_quantile(0.5, base, NB(base));
	EQ(q.value, 0.3);
	ck_assert(q.lower == 0.1 && q.upper == 0.3);
	/* q=0.9: rank 90 -> le=1 (95); 0.5 + 0.5 * (90-80)/(95-80) = 0.8333... */
	EQ(wm_hist_quantile(0.9, base, NB(base)).value, 0.5 + 0.5 * 10.0 / 15.0);
	/* q=0.99: rank 99 -> le=3 (99); 1 + 2 * (99-95)/(99-95) = 3 */
	q = wm_hist_quantile(0.99, base, NB(base));
	EQ(q.value, 3);
	wm_hist_bucket_format(&q, buf, sizeof(buf));
	ck_assert_str_eq(buf, "(1, 3]");
	/* q=0.05: rank 5 -> le=0.1 (10), lowest bucket starts at 0:
	 * 0 + 0.1 * 5/10 = 0.05 */
	q = wm_hist_quantile(0.05, base, NB(base));
	EQ(q.value, 0.05);
	ck_assert(q.lower == 0 && q.upper == 0.1);
	/* q=0: rank 0 -> le=0.1 (10 >= 0); 0 + 0.1 * 0/10 = 0 */
	ck_assert(wm_hist_quantile(0, base, NB(base)).value == 0);
	/* q=0.995: rank 99.5 > 99 of every finite bucket -> the second-highest
	 * bound, 3, in (3, +Inf] */
	q = wm_hist_quantile(0.995, base, NB(base));
	ck_assert(q.value == 3);
	wm_hist_bucket_format(&q, buf, sizeof(buf));
	ck_assert_str_eq(buf, "(3, +Inf]");
	/* q=1: rank 100, same: 3 */
	ck_assert(wm_hist_quantile(1, base, NB(base)).value == 3);
}
END_TEST

/* The runbook's threshold (p99 < 2 s) against the world's buckets
 * 0.1 0.3 0.5 0.7 1 3 5 7 10 +Inf and fault slow:2500. */
START_TEST(test_hist_world_slow)
{
	struct wm_prom_bucket b[] = {{0.1, 98}, {0.3, 98}, {0.5, 98}, {0.7, 98}, {1, 98},
				     {3, 100},	{5, 100},  {7, 100},  {10, 100}, {INFINITY, 100}};
	struct wm_hist_q q;
	char buf[64];

	/* 2 of 100 at 2.5 s: rank 99 -> le=3 (100); 1 + 2 * (99-98)/(100-98) = 2.0
	 * exactly (the issue: "a 2 % slow share lands on 2.0 s exactly") */
	q = wm_hist_quantile(0.99, b, NB(b));
	ck_assert(q.value == 2.0);
	/* 10 of 100 slow: cumulative 90 up to le=1; rank 99 -> 1 + 2 * 9/10 = 2.8 */
	for (int i = 0; i < 5; i++)
		b[i].count = 90;
	q = wm_hist_quantile(0.99, b, NB(b));
	EQ(q.value, 2.8);
	wm_hist_bucket_format(&q, buf, sizeof(buf));
	ck_assert_str_eq(buf, "(1, 3]");
	/* p50: rank 50 -> le=0.1 (90); 0 + 0.1 * 50/90 */
	EQ(wm_hist_quantile(0.5, b, NB(b)).value, 0.1 * 50 / 90);
}
END_TEST

START_TEST(test_hist_nan_cases)
{
	const struct wm_prom_bucket no_inf[] = {{0.1, 1}, {1, 2}};
	const struct wm_prom_bucket only_inf[] = {{INFINITY, 5}};
	const struct wm_prom_bucket empty[] = {{0.1, 0}, {1, 0}, {INFINITY, 0}};
	const struct wm_prom_bucket first_empty[] = {{0.1, 0}, {1, 4}, {INFINITY, 4}};
	const struct wm_prom_bucket negative[] = {{-1, 5}, {0, 5}, {1, 10}, {INFINITY, 10}};

	/* q outside [0, 1] is answered before looking at any bucket */
	ck_assert(isnan(wm_hist_quantile(NAN, base, NB(base)).value));
	ck_assert(wm_hist_quantile(-0.1, base, NB(base)).value == -INFINITY);
	ck_assert(wm_hist_quantile(1.5, base, NB(base)).value == INFINITY);
	ck_assert(wm_hist_quantile(1.5, no_inf, NB(no_inf)).value == INFINITY);
	ck_assert(isnan(wm_hist_quantile(0.5, no_inf, NB(no_inf)).value)); /* no +Inf */
	ck_assert(isnan(wm_hist_quantile(0.5, only_inf, 1).value));	   /* < 2 buckets */
	ck_assert(isnan(wm_hist_quantile(0.5, empty, NB(empty)).value));   /* 0 observations */
	ck_assert(isnan(wm_hist_quantile(0.5, base, 0).value));
	/* q=0 with an empty first bucket of bound 0.1 > 0: rank 0 -> bucket 0;
	 * 0 + 0.1 * (0/0) = NaN */
	ck_assert(isnan(wm_hist_quantile(0, first_empty, NB(first_empty)).value));
	/* ... but q=0.5: rank 2 -> le=1 (4); 0.1 + 0.9 * (2-0)/(4-0) = 0.55 */
	EQ(wm_hist_quantile(0.5, first_empty, NB(first_empty)).value, 0.55);
	/* lowest bound <= 0: q=0.2, rank 2 -> bucket 0 (5) -> its bound, -1 */
	ck_assert(wm_hist_quantile(0.2, negative, NB(negative)).value == -1);
	/* q=0.75: rank 7.5 -> le=1 (10); 0 + 1 * (7.5-5)/(10-5) = 0.5 */
	EQ(wm_hist_quantile(0.75, negative, NB(negative)).value, 0.5);
}
END_TEST

START_TEST(test_hist_monotonic_and_coalesce)
{
	/* out of order, le=0.3 lower than le=0.1 (scraped mid-update) */
	const struct wm_prom_bucket b[] = {{0.5, 20}, {INFINITY, 20}, {0.3, 8}, {0.1, 10}};
	/* le=1 twice ("1" and "1.0" after sum by (le)): counts summed */
	const struct wm_prom_bucket d[] = {{1, 3}, {INFINITY, 10}, {0.5, 2}, {1, 4}};

	/* sorted 0.1:10 0.3:8 0.5:20 +Inf:20; monotonic: 0.3 -> 10.
	 * q=0.5: rank 10 -> le=0.1 (10 >= 10); 0 + 0.1 * 10/10 = 0.1
	 * (without the fix the bisection lands on 0.5: 0.3 + 0.2 * 2/12) */
	EQ(wm_hist_quantile(0.5, b, NB(b)).value, 0.1);
	/* q=0.75: rank 15 -> le=0.5 (20); 0.3 + 0.2 * (15-10)/(20-10) = 0.4 */
	EQ(wm_hist_quantile(0.75, b, NB(b)).value, 0.4);
	/* coalesced 0.5:2 1:7 +Inf:10; q=0.5: rank 5 -> le=1 (7);
	 * 0.5 + 0.5 * (5-2)/(7-2) = 0.8 */
	EQ(wm_hist_quantile(0.5, d, NB(d)).value, 0.8);
	/* the input is left as it was */
	ck_assert(b[0].le == 0.5 && b[2].count == 8);
}
END_TEST

static struct wm_prom_hist
series(const struct wm_prom_bucket *b, size_t n, double sum, double count)
{
	struct wm_prom_hist h = {0};

	h.buckets = (struct wm_prom_bucket *)b;
	h.nbuckets = n;
	h.sum = sum;
	h.count = count;
	return h;
}

START_TEST(test_hist_delta)
{
	const struct wm_prom_bucket p[] = {{0.1, 10}, {1, 15}, {INFINITY, 20}};
	const struct wm_prom_bucket c[] = {{0.1, 30}, {1, 40}, {5, 44}, {INFINITY, 50}};
	const struct wm_prom_bucket r[] = {{0.1, 3}, {1, 4}, {INFINITY, 5}};
	struct wm_prom_hist prev = series(p, NB(p), 5, 20), cur = series(c, NB(c), 12, 50);
	struct wm_prom_hist rs = series(r, NB(r), 1.5, 5), d;
	struct wm_err e = {0};
	bool reset = true;

	/* 30-10, 40-15, (le=5 only in cur: dropped), 50-20; sum 12-5, count 50-20 */
	ck_assert_int_eq(wm_hist_delta(&prev, &cur, &d, &reset, &e), 0);
	ck_assert(!reset);
	ck_assert_uint_eq(d.nbuckets, 3);
	ck_assert(d.buckets[0].count == 20 && d.buckets[1].count == 25 && d.buckets[2].count == 30);
	ck_assert(d.sum == 7 && d.count == 30);
	/* p50 of the window: rank 15; le=0.1 holds 20 >= 15 -> 0 + 0.1 * 15/20 */
	EQ(wm_hist_quantile(0.5, d.buckets, d.nbuckets).value, 0.075);
	EQ(wm_hist_mean(&d), 7.0 / 30.0);
	wm_hist_series_free(&d);
	/* a restart between the samples: every value went down -> the later
	 * values are the increase (rate()'s reset rule) */
	ck_assert_int_eq(wm_hist_delta(&prev, &rs, &d, &reset, &e), 0);
	ck_assert(reset);
	ck_assert(d.buckets[0].count == 3 && d.buckets[2].count == 5 && d.count == 5);
	ck_assert(d.sum == 1.5);
	wm_hist_series_free(&d);
	/* only one bucket reset (le=0.1 went 10 -> 9, others grew): per-bucket
	 * series, as PromQL sees them: 9, 40-15, 50-20 -> then made monotonic */
	{
		const struct wm_prom_bucket c2[] = {{0.1, 9}, {1, 40}, {INFINITY, 50}};
		struct wm_prom_hist cur2 = series(c2, NB(c2), 12, 50);

		ck_assert_int_eq(wm_hist_delta(&prev, &cur2, &d, &reset, &e), 0);
		ck_assert(reset);
		ck_assert(d.buckets[0].count == 9 && d.buckets[1].count == 25);
		wm_hist_series_free(&d);
	}
	/* no previous sample: since the process started */
	ck_assert_int_eq(wm_hist_delta(NULL, &cur, &d, NULL, &e), 0);
	ck_assert_uint_eq(d.nbuckets, 4);
	ck_assert(d.buckets[2].count == 44 && d.count == 50 && d.sum == 12);
	wm_hist_series_free(&d);
	/* _sum missing earlier: unknown, not the whole later sum */
	prev.sum = NAN;
	ck_assert_int_eq(wm_hist_delta(&prev, &cur, &d, NULL, &e), 0);
	ck_assert(isnan(d.sum) && d.count == 30);
	ck_assert(isnan(wm_hist_mean(&d)));
	wm_hist_series_free(&d);
}
END_TEST

static const char exposition_t1[] = "# TYPE h histogram\n"
				    "h_bucket{route=\"/a\",status=\"200\",le=\"0.5\"} 10\n"
				    "h_bucket{route=\"/a\",status=\"200\",le=\"1\"} 10\n"
				    "h_bucket{route=\"/a\",status=\"200\",le=\"+Inf\"} 10\n"
				    "h_sum{route=\"/a\",status=\"200\"} 2\n"
				    "h_count{route=\"/a\",status=\"200\"} 10\n"
				    "h_bucket{route=\"/a\",status=\"500\",le=\"0.5\"} 0\n"
				    "h_bucket{route=\"/a\",status=\"500\",le=\"1\"} 1\n"
				    "h_bucket{route=\"/a\",status=\"500\",le=\"+Inf\"} 1\n"
				    "h_sum{route=\"/a\",status=\"500\"} 0.9\n"
				    "h_count{route=\"/a\",status=\"500\"} 1\n"
				    "h_bucket{route=\"/b\",status=\"200\",le=\"0.5\"} 4\n"
				    "h_bucket{route=\"/b\",status=\"200\",le=\"1\"} 4\n"
				    "h_bucket{route=\"/b\",status=\"200\",le=\"+Inf\"} 6\n"
				    "h_sum{route=\"/b\",status=\"200\"} 5\n"
				    "h_count{route=\"/b\",status=\"200\"} 6\n";

/* The same three series later: /a 200 +20 fast, /a 500 +3 in (0.5, 1],
 * /b 200 +4 slow (> 1 s). */
static const char exposition_t2[] = "# TYPE h histogram\n"
				    "h_bucket{route=\"/a\",status=\"200\",le=\"0.5\"} 30\n"
				    "h_bucket{route=\"/a\",status=\"200\",le=\"1\"} 30\n"
				    "h_bucket{route=\"/a\",status=\"200\",le=\"+Inf\"} 30\n"
				    "h_sum{route=\"/a\",status=\"200\"} 6\n"
				    "h_count{route=\"/a\",status=\"200\"} 30\n"
				    "h_bucket{route=\"/a\",status=\"500\",le=\"0.5\"} 0\n"
				    "h_bucket{route=\"/a\",status=\"500\",le=\"1\"} 4\n"
				    "h_bucket{route=\"/a\",status=\"500\",le=\"+Inf\"} 4\n"
				    "h_sum{route=\"/a\",status=\"500\"} 3.3\n"
				    "h_count{route=\"/a\",status=\"500\"} 4\n"
				    "h_bucket{route=\"/b\",status=\"200\",le=\"0.5\"} 4\n"
				    "h_bucket{route=\"/b\",status=\"200\",le=\"1\"} 4\n"
				    "h_bucket{route=\"/b\",status=\"200\",le=\"+Inf\"} 10\n"
				    "h_sum{route=\"/b\",status=\"200\"} 15\n"
				    "h_count{route=\"/b\",status=\"200\"} 10\n";

static struct wm_prom_hist *
hists(const char *text, size_t *n)
{
	struct wm_err e = {0};
	struct wm_prom_doc *d = wm_prom_parse(text, strlen(text), &e);
	struct wm_prom_hist *h;

	ck_assert_msg(d != NULL, "%s", e.msg);
	ck_assert_int_eq(wm_prom_histograms(d, "h", &h, n, &e), 0);
	wm_prom_free(d);
	return h;
}

/* Two scrapes, their increases, then sum by (le), by (route), by (status):
 * what histogram_quantile(q, sum by (le, L) (h_bucket - h_bucket offset W))
 * gives at the later scrape. */
START_TEST(test_hist_two_samples_aggregated)
{
	size_t n1, n2, na;
	struct wm_prom_hist *h1 = hists(exposition_t1, &n1), *h2 = hists(exposition_t2, &n2);
	struct wm_prom_hist d[3], *a;
	const char *by_route[] = {"route"}, *by_status[] = {"status"};
	struct wm_err e = {0};

	ck_assert_uint_eq(n2, 3);
	for (size_t i = 0; i < n2; i++)
		ck_assert_int_eq(
		    wm_hist_delta(wm_hist_match(h1, n1, &h2[i]), &h2[i], &d[i], NULL, &e), 0);
	/* increases: /a 200: 20 20 20 (sum 4); /a 500: 0 3 3 (sum 2.4);
	 * /b 200: 0 0 4 (sum 10) */
	ck_assert_int_eq(wm_hist_aggregate(d, 3, NULL, 0, &a, &na, &e), 0);
	ck_assert_uint_eq(na, 1);
	ck_assert_uint_eq(a[0].nlabels, 0);
	/* sum by (le): 0.5: 20, 1: 23, +Inf: 27; count 27, sum 16.4 */
	ck_assert(a[0].buckets[0].count == 20 && a[0].buckets[1].count == 23 &&
		  a[0].buckets[2].count == 27);
	ck_assert(a[0].count == 27);
	EQ(a[0].sum, 16.4);
	/* p50: rank 13.5 -> le=0.5 (20); 0 + 0.5 * 13.5/20 = 0.3375 */
	EQ(wm_hist_quantile(0.5, a[0].buckets, a[0].nbuckets).value, 0.3375);
	/* p80: rank 21.6 -> le=1 (23); 0.5 + 0.5 * (21.6-20)/(23-20) = 0.7666... */
	EQ(wm_hist_quantile(0.8, a[0].buckets, a[0].nbuckets).value, 0.5 + 0.5 * 1.6 / 3);
	/* p99: rank 26.73 > 23 -> +Inf bucket -> second-highest bound 1 */
	ck_assert(wm_hist_quantile(0.99, a[0].buckets, a[0].nbuckets).value == 1);
	EQ(wm_hist_mean(&a[0]), 16.4 / 27);
	wm_prom_hists_free(a, na);

	/* sum by (le, route): /a 0.5: 20, 1: 23, +Inf: 23; /b 0, 0, 4 */
	ck_assert_int_eq(wm_hist_aggregate(d, 3, by_route, 1, &a, &na, &e), 0);
	ck_assert_uint_eq(na, 2);
	ck_assert_str_eq(wm_prom_hist_label(&a[0], "route"), "/a");
	ck_assert_ptr_null(wm_prom_hist_label(&a[0], "status"));
	ck_assert(a[0].buckets[1].count == 23 && a[0].count == 23);
	/* /a p95: rank 21.85 -> le=1 (23); 0.5 + 0.5 * 1.85/3 */
	EQ(wm_hist_quantile(0.95, a[0].buckets, a[0].nbuckets).value, 0.5 + 0.5 * 1.85 / 3);
	ck_assert_str_eq(wm_prom_hist_label(&a[1], "route"), "/b");
	/* /b: all 4 above 1 s: any q > 0 lands in +Inf -> 1 */
	ck_assert(wm_hist_quantile(0.5, a[1].buckets, a[1].nbuckets).value == 1);
	wm_prom_hists_free(a, na);

	/* sum by (le, status): 200: 20 20 24; 500: 0 3 3 */
	ck_assert_int_eq(wm_hist_aggregate(d, 3, by_status, 1, &a, &na, &e), 0);
	ck_assert_uint_eq(na, 2);
	ck_assert_str_eq(wm_prom_hist_label(&a[0], "status"), "200");
	ck_assert(a[0].buckets[2].count == 24 && a[1].buckets[1].count == 3);
	/* 500 p50: rank 1.5 -> le=1 (3); 0.5 + 0.5 * 1.5/3 = 0.75 */
	EQ(wm_hist_quantile(0.5, a[1].buckets, a[1].nbuckets).value, 0.75);
	wm_prom_hists_free(a, na);

	for (int i = 0; i < 3; i++)
		wm_hist_series_free(&d[i]);
	wm_prom_hists_free(h1, n1);
	wm_prom_hists_free(h2, n2);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("histogram");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_hist_interpolation);
	tcase_add_test(tc, test_hist_world_slow);
	tcase_add_test(tc, test_hist_nan_cases);
	tcase_add_test(tc, test_hist_monotonic_and_coalesce);
	tcase_add_test(tc, test_hist_delta);
	tcase_add_test(tc, test_hist_two_samples_aggregated);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
