/* check_sketch.c - the DDSketch against exact percentiles, merge == union,
 * the collapse, the edges, and the journal text form. */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/sketch.h"
#include "unit.h"

#define N 100000

/* splitmix64: a fixed, portable sequence (the data must not depend on libc). */
static uint64_t rng_state;

static uint64_t
rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* uniform in (0, 1) */
static double
unif(void)
{
	return ((double)(rng_next() >> 11) + 0.5) / 9007199254740992.0;
}

static double
normal(void)
{
	return sqrt(-2 * log(unif())) * cos(2 * M_PI * unif());
}

enum dist { UNIFORM, LOGNORMAL, BIMODAL, PARETO, MIXED_SIGN };

static double
draw(enum dist d)
{
	switch (d) {
	case UNIFORM:
		return 1000 * unif(); /* ms */
	case LOGNORMAL:
		return exp(3 + 1.2 * normal());
	case BIMODAL: /* fast cache hits and slow DB trips */
		return unif() < 0.7 ? fabs(20 + 3 * normal()) : fabs(1800 + 400 * normal());
	case PARETO: /* heavy tail: shape 1.1, scale 5 ms (infinite variance) */
		return 5 / pow(unif(), 1 / 1.1);
	case MIXED_SIGN: /* deltas of a gauge: negative, zero and positive */
		return unif() < 0.1 ? 0 : 100 * normal();
	}
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The exact q-quantile as the sketch defines it: 0-based rank floor(q (n-1))
 * of the sorted values (what `sort -n | awk 'NR==ceil(q n)'` prints). */
static double
exact(const double *sorted, size_t n, double q)
{
	return sorted[(size_t)floor(q * (double)(n - 1))];
}

static double *
fill(enum dist d, uint64_t seed, struct wm_sketch *s)
{
	double *v = malloc(N * sizeof(*v));
	struct wm_err e = {0};

	ck_assert_ptr_nonnull(v);
	rng_state = seed;
	for (size_t i = 0; i < N; i++) {
		v[i] = draw(d);
		ck_assert_int_eq(wm_sketch_add(s, v[i], &e), 0);
	}
	qsort(v, N, sizeof(*v), cmp_double);
	return v;
}

static void
check_accuracy(enum dist d, const char *name)
{
	static const double qs[] = {0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1};
	struct wm_err e = {0};
	struct wm_sketch *s = wm_sketch_new_default(&e);
	double *v;

	ck_assert_ptr_nonnull(s);
	v = fill(d, 42 + (uint64_t)d, s);
	ck_assert_uint_eq(wm_sketch_count(s), N);
	ck_assert(!wm_sketch_collapsed(s));
	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		double want = exact(v, N, qs[i]), got = wm_sketch_quantile(s, qs[i]);
		double rel = want == 0 ? fabs(got) : fabs(got - want) / fabs(want);

		ck_assert_msg(rel <= 0.01, "%s q=%g: got %.9g want %.9g (%.4f %%)", name, qs[i],
			      got, want, 100 * rel);
	}
	ck_assert(wm_sketch_quantile(s, 0) == v[0]); /* clamped to the exact ends */
	ck_assert(wm_sketch_quantile(s, 1) == v[N - 1]);
	ck_assert(wm_sketch_min(s) == v[0] && wm_sketch_max(s) == v[N - 1]);
	ck_assert(wm_sketch_bins(s) <= 2 * WM_SKETCH_BINS + 1);
	free(v);
	wm_sketch_free(s);
}

START_TEST(test_sketch_uniform)
{
	check_accuracy(UNIFORM, "uniform");
}
END_TEST

START_TEST(test_sketch_lognormal)
{
	check_accuracy(LOGNORMAL, "lognormal");
}
END_TEST

START_TEST(test_sketch_bimodal)
{
	check_accuracy(BIMODAL, "bimodal");
}
END_TEST

START_TEST(test_sketch_pareto)
{
	check_accuracy(PARETO, "pareto");
}
END_TEST

START_TEST(test_sketch_mixed_sign)
{
	check_accuracy(MIXED_SIGN, "mixed sign");
}
END_TEST

/* The relative error is below alpha at every rank, not just the usual ones,
 * and a coarser alpha is honoured too. */
START_TEST(test_sketch_every_rank)
{
	struct wm_err e = {0};
	struct wm_sketch *s = wm_sketch_new(0.05, 4096, &e);
	double *v = fill(LOGNORMAL, 7, s);
	double worst = 0;

	for (int i = 0; i <= 1000; i++) {
		double q = i / 1000.0, want = exact(v, N, q);
		double rel = fabs(wm_sketch_quantile(s, q) - want) / want;

		if (rel > worst)
			worst = rel;
	}
	ck_assert_msg(worst <= 0.05, "worst %.4f", worst);
	ck_assert_msg(worst > 0.01, "worst %.4f: alpha not used?", worst); /* can fail */
	free(v);
	wm_sketch_free(s);
}
END_TEST

static void
assert_same_answers(const struct wm_sketch *a, const struct wm_sketch *b)
{
	ck_assert_uint_eq(wm_sketch_count(a), wm_sketch_count(b));
	ck_assert(wm_sketch_min(a) == wm_sketch_min(b));
	ck_assert(wm_sketch_max(a) == wm_sketch_max(b));
	ck_assert_uint_eq(wm_sketch_bins(a), wm_sketch_bins(b));
	ck_assert_int_eq(wm_sketch_collapsed(a), wm_sketch_collapsed(b));
	ck_assert(fabs(wm_sketch_sum(a) - wm_sketch_sum(b)) <= 1e-9 * fabs(wm_sketch_sum(a)));
	for (int i = 0; i <= 10000; i++) {
		double q = i / 10000.0;

		ck_assert_msg(wm_sketch_quantile(a, q) == wm_sketch_quantile(b, q),
			      "q=%g: %.17g %.17g", q, wm_sketch_quantile(a, q),
			      wm_sketch_quantile(b, q));
	}
}

/* merge(a, b, c) answers exactly as one sketch fed everything, in any order,
 * with values of both signs, zeros and disjoint ranges. */
static void
check_merge_union(int bins)
{
	struct wm_err e = {0};
	struct wm_sketch *all = wm_sketch_new(0.01, bins, &e), *part[3], *m1, *m2;

	for (int i = 0; i < 3; i++)
		part[i] = wm_sketch_new(0.01, bins, &e);
	m1 = wm_sketch_new(0.01, bins, &e);
	m2 = wm_sketch_new(0.01, bins, &e);
	rng_state = 99;
	for (int i = 0; i < N; i++) {
		/* part 0 small values, part 1 large ones, part 2 both signs */
		int p = (int)(rng_next() % 3);
		double x = p == 0 ? unif() : p == 1 ? 1e6 * draw(PARETO) : draw(MIXED_SIGN);

		ck_assert_int_eq(wm_sketch_add(all, x, &e), 0);
		ck_assert_int_eq(wm_sketch_add(part[p], x, &e), 0);
	}
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(wm_sketch_merge(m1, part[i], &e), 0);
	for (int i = 2; i >= 0; i--)
		ck_assert_int_eq(wm_sketch_merge(m2, part[i], &e), 0);
	assert_same_answers(all, m1);
	assert_same_answers(all, m2);
	ck_assert_int_eq(wm_sketch_merge(m1, m1, &e), -1);
	wm_sketch_free(all);
	wm_sketch_free(m1);
	wm_sketch_free(m2);
	for (int i = 0; i < 3; i++)
		wm_sketch_free(part[i]);
}

START_TEST(test_sketch_merge_union)
{
	check_merge_union(WM_SKETCH_BINS);
}
END_TEST

START_TEST(test_sketch_merge_union_collapsed)
{
	check_merge_union(64);
}
END_TEST

/* The bound: 1e-6 .. 1e6 needs ~1,382 buckets at 1 %; with 256 the lowest
 * magnitudes fold, high quantiles keep the bound, low ones read high. */
START_TEST(test_sketch_collapse)
{
	struct wm_err e = {0};
	struct wm_sketch *s = wm_sketch_new(0.01, 256, &e);
	double *v = malloc(N * sizeof(*v));

	rng_state = 5;
	for (int i = 0; i < N; i++) {
		v[i] = pow(10, -6 + 12 * unif());
		ck_assert_int_eq(wm_sketch_add(s, v[i], &e), 0);
	}
	qsort(v, N, sizeof(*v), cmp_double);
	ck_assert(wm_sketch_collapsed(s));
	ck_assert_uint_eq(wm_sketch_bins(s), 256);
	/* 256 buckets of ln(1.0202) keep 1e6 / e^(256*0.02) = ~6,000 and up,
	 * i.e. roughly the top 1 - 9.8/12 = 18 % of the log-uniform values */
	for (double q = 0.85; q <= 1; q += 0.01) {
		double want = exact(v, N, q);

		ck_assert_msg(fabs(wm_sketch_quantile(s, q) - want) <= 0.01 * want, "q=%g", q);
	}
	ck_assert(wm_sketch_quantile(s, 0.5) > 1.5 * exact(v, N, 0.5));
	ck_assert(wm_sketch_quantile(s, 0) == v[0]);
	free(v);
	wm_sketch_free(s);
}
END_TEST

START_TEST(test_sketch_edges)
{
	struct wm_err e = {0};
	struct wm_sketch *s = wm_sketch_new_default(&e), *t;
	char *txt;

	ck_assert(isnan(wm_sketch_quantile(s, 0.5)));
	ck_assert(isnan(wm_sketch_min(s)));
	ck_assert_int_eq(wm_sketch_add(s, NAN, &e), -1);
	ck_assert_int_eq(e.code, WM_EINVAL);
	ck_assert_int_eq(wm_sketch_add(s, INFINITY, &e), -1);
	ck_assert_int_eq(wm_sketch_add(s, -INFINITY, &e), -1);
	ck_assert_uint_eq(wm_sketch_count(s), 0);
	ck_assert_int_eq(wm_sketch_add(s, 0, &e), 0);
	ck_assert(wm_sketch_quantile(s, 0.5) == 0);
	ck_assert_int_eq(wm_sketch_add(s, DBL_MAX, &e), 0);
	ck_assert_int_eq(wm_sketch_add(s, -DBL_MAX, &e), 0);
	ck_assert_int_eq(wm_sketch_add(s, 4.9e-324, &e), 0); /* subnormal: zero */
	ck_assert_int_eq(wm_sketch_add(s, DBL_MIN, &e), 0);
	ck_assert_uint_eq(wm_sketch_count(s), 5);
	ck_assert(wm_sketch_quantile(s, 1) == DBL_MAX);
	ck_assert(wm_sketch_quantile(s, 0) == -DBL_MAX);
	ck_assert(wm_sketch_quantile(s, 0.5) == 0); /* ranks 1, 2 are zeros */
	/* DBL_MIN .. DBL_MAX spans ~70,900 buckets: DBL_MIN was folded upwards */
	ck_assert(wm_sketch_collapsed(s));
	ck_assert(wm_sketch_quantile(s, 0.75) > 1e280); /* DBL_MAX / 6e17 */
	t = wm_sketch_new_default(&e);
	ck_assert_int_eq(wm_sketch_add(t, DBL_MIN, &e), 0);
	ck_assert_int_eq(wm_sketch_add(t, 3 * DBL_MIN, &e), 0);
	ck_assert_int_eq(wm_sketch_add(t, 5 * DBL_MIN, &e), 0);
	ck_assert(fabs(wm_sketch_quantile(t, 0.5) - 3 * DBL_MIN) <= 0.01 * 3 * DBL_MIN);
	ck_assert(!wm_sketch_collapsed(t));
	wm_sketch_free(t);
	ck_assert(isnan(wm_sketch_quantile(s, -0.1)));
	ck_assert(isnan(wm_sketch_quantile(s, 1.1)));
	ck_assert(isnan(wm_sketch_quantile(s, NAN)));
	/* add_n: in the collapsed sketch 3 reads as the lowest kept bucket */
	ck_assert_int_eq(wm_sketch_add_n(s, 3, 1000, &e), 0);
	ck_assert_uint_eq(wm_sketch_count(s), 1005);
	ck_assert(wm_sketch_quantile(s, 0.5) > 1e280);
	t = wm_sketch_new_default(&e);
	ck_assert_int_eq(wm_sketch_add_n(t, 3, 1000, &e), 0);
	ck_assert_int_eq(wm_sketch_add_n(t, 30, 10, &e), 0);
	ck_assert_int_eq(wm_sketch_add_n(t, 7, 0, &e), 0);
	ck_assert_uint_eq(wm_sketch_count(t), 1010);
	ck_assert(fabs(wm_sketch_quantile(t, 0.5) - 3) <= 0.03);
	ck_assert(fabs(wm_sketch_quantile(t, 0.995) - 30) <= 0.3);
	ck_assert(wm_sketch_sum(t) == 3300);
	wm_sketch_free(t);
	/* the text form keeps the extremes */
	txt = wm_sketch_format(s, &e);
	ck_assert_ptr_nonnull(txt);
	t = wm_sketch_parse(txt, strlen(txt), &e);
	ck_assert_msg(t != NULL, "%s: %s", txt, e.msg);
	assert_same_answers(s, t);
	free(txt);
	wm_sketch_free(t);
	/* bad construction */
	ck_assert_ptr_null(wm_sketch_new(0, 2048, &e));
	ck_assert_ptr_null(wm_sketch_new(0.6, 2048, &e));
	ck_assert_ptr_null(wm_sketch_new(0.01, 8, &e));
	ck_assert_ptr_null(wm_sketch_new(NAN, 2048, &e));
	/* merging different accuracies */
	t = wm_sketch_new(0.02, 2048, &e);
	ck_assert_int_eq(wm_sketch_merge(s, t, &e), -1);
	ck_assert_int_eq(e.code, WM_EINVAL);
	wm_sketch_free(t);
	wm_sketch_clear(s);
	ck_assert_uint_eq(wm_sketch_count(s), 0);
	ck_assert_uint_eq(wm_sketch_bins(s), 0);
	wm_sketch_free(s);
	wm_sketch_free(NULL);
}
END_TEST

START_TEST(test_sketch_text_roundtrip)
{
	struct wm_err e = {0};
	struct wm_sketch *s = wm_sketch_new(0.01, 64, &e), *t;
	double *v = fill(MIXED_SIGN, 3, s);
	char *a, *b;

	free(v);
	free(fill(PARETO, 4, s)); /* wide enough to collapse the 64-bucket stores */
	ck_assert(wm_sketch_collapsed(s));
	a = wm_sketch_format(s, &e);
	ck_assert(strncmp(a, "dds1 a=0.01", 11) == 0);
	ck_assert(strstr(a, " c=1 ") != NULL);
	ck_assert(strchr(a, '"') == NULL && strchr(a, '\\') == NULL && strchr(a, '\n') == NULL);
	t = wm_sketch_parse(a, strlen(a), &e);
	ck_assert_msg(t != NULL, "%s", e.msg);
	b = wm_sketch_format(t, &e);
	ck_assert_str_eq(a, b);
	assert_same_answers(s, t);
	free(a);
	free(b);
	wm_sketch_free(s);
	wm_sketch_free(t);

	s = wm_sketch_new_default(&e);
	a = wm_sketch_format(s, &e);
	ck_assert_str_eq(a, "dds1 a=0.01 b=2048 c=0 n=0 z=0");
	t = wm_sketch_parse(a, strlen(a), &e);
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(wm_sketch_count(t), 0);
	free(a);
	wm_sketch_free(t);
	wm_sketch_add_n(s, 1, 2, &e);
	wm_sketch_add(s, 1.5, &e);
	a = wm_sketch_format(s, &e);
	/* 1 -> key 0, 1.5 -> key ceil(ln 1.5 / ln(1.01/0.99)) = ceil(20.27) = 21 */
	ck_assert_str_eq(a, "dds1 a=0.01 b=2048 c=0 n=3 z=0 min=1 max=1.5 sum=3.5 "
			    "p=0:2,,,,,,,,,,,,,,,,,,,,,1");
	free(a);
	wm_sketch_free(s);
}
END_TEST

static void
parse_bad(const char *txt, const char *what)
{
	struct wm_err e = {0};
	struct wm_sketch *s = wm_sketch_parse(txt, strlen(txt), &e);

	ck_assert_msg(s == NULL, "accepted %s: %s", what, txt);
	ck_assert_int_eq(e.code, WM_EINVAL);
	ck_assert(e.msg[0] != '\0');
}

START_TEST(test_sketch_text_bad)
{
	parse_bad("", "empty");
	parse_bad("dds2 a=0.01 b=2048 c=0 n=0 z=0", "version");
	parse_bad("dds1 a=0.01 b=2048 c=0 n=0 z=0 ", "trailing space");
	parse_bad("dds1 a=0.9 b=2048 c=0 n=0 z=0", "alpha");
	parse_bad("dds1 a=nan b=2048 c=0 n=0 z=0", "alpha nan");
	parse_bad("dds1 a=0.01 b=1 c=0 n=0 z=0", "bins");
	parse_bad("dds1 a=0.01 b=2048 c=2 n=0 z=0", "collapse flag");
	parse_bad("dds1 a=0.01 b=2048 c=0 n=1 z=0", "n without min");
	parse_bad("dds1 a=0.01 b=2048 c=0 n=2 z=1 min=0 max=0 sum=0", "n != sum");
	parse_bad("dds1 a=0.01 b=2048 c=0 n=1 z=0 min=1 max=1 sum=1 p=0:", "empty store");
	parse_bad("dds1 a=0.01 b=2048 c=0 n=1 z=0 min=1 max=1 sum=1 p=0:1,", "trailing zero");
	parse_bad("dds1 a=0.01 b=2048 c=0 n=1 z=0 min=1 max=1 sum=1 p=0:0,1", "leading zero");
	parse_bad("dds1 a=0.01 b=2048 c=0 n=1 z=0 min=1 max=1 sum=1 p=999999:1", "key range");
	parse_bad("dds1 a=0.01 b=2048 c=0 n=1 z=0 min=2 max=1 sum=1 p=0:1", "min > max");
	parse_bad("dds1 a=0.01 b=2048 c=0 n=1 z=0 min=-1 max=-1 sum=1 p=0:1", "max outside");
	parse_bad("dds1 a=0.01 b=2048 c=0 n=1 z=0 min=inf max=inf sum=1 p=0:1", "inf");
	parse_bad("dds1 a=0.01 b=16 c=0 n=2 z=0 min=1 max=1e9 sum=1 p=0:1,,,,,,,,,,,,,,,,1",
		  "wider than the bound");
	parse_bad("dds1 a=0.01 b=2048 c=0 n=18446744073709551615 z=18446744073709551615 "
		  "min=1 max=1 sum=1 p=0:1",
		  "overflow");
	parse_bad("dds1 a=0.01 b=2048 c=0 n=99999999999999999999 z=0", "u64 overflow");
	parse_bad("dds1 a=0.01 b=2048 c=0 n=-1 z=0", "negative n");
	parse_bad("dds1 a=0.01 b=2048 c=0 n=1 z=0 min=1 max=1 sum=1 m=0:1 p=0:1", "order");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sketch");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_sketch_uniform);
	tcase_add_test(tc, test_sketch_lognormal);
	tcase_add_test(tc, test_sketch_bimodal);
	tcase_add_test(tc, test_sketch_pareto);
	tcase_add_test(tc, test_sketch_mixed_sign);
	tcase_add_test(tc, test_sketch_every_rank);
	tcase_add_test(tc, test_sketch_merge_union);
	tcase_add_test(tc, test_sketch_merge_union_collapsed);
	tcase_add_test(tc, test_sketch_collapse);
	tcase_add_test(tc, test_sketch_edges);
	tcase_add_test(tc, test_sketch_text_roundtrip);
	tcase_add_test(tc, test_sketch_text_bad);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
