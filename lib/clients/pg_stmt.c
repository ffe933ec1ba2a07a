/* pg_stmt.c - pg_stat_statements between two samples, and the p95 estimate (pure). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clients/pg.h"

static int
cmp_key(const void *a, const void *b)
{
	return strcmp(((const struct wm_pg_stmt *)a)->key, ((const struct wm_pg_stmt *)b)->key);
}

/* The window of one statement from its cumulative rows (p NULL: all of c). */
static void
window(const struct wm_pg_stmt *p, const struct wm_pg_stmt *c, struct wm_pg_stmt_delta *d)
{
	double calls = c->calls, total = c->total_ms, sumsq = c->sumsq_ms2, var;

	/* Only calls, an integer, tells a reset: the times come back from the
	 * state file rounded (cJSON prints 15 significant digits), so an
	 * unchanged total may read a hair lower than before. */
	if (p && c->calls >= p->calls) {
		calls -= p->calls;
		total -= p->total_ms;
		sumsq -= p->sumsq_ms2;
	}
	d->calls = calls;
	d->mean_ms = calls > 0 && total > 0 ? total / calls : 0;
	var = calls > 0 ? sumsq / calls - d->mean_ms * d->mean_ms : 0;
	/* Rounding in the cumulative sums can leave a tiny negative variance. */
	d->stddev_ms = var > 0 ? sqrt(var) : 0;
}

int
wm_pg_stmt_deltas(const struct wm_pg_stmt *prev, size_t nprev, const struct wm_pg_stmt *cur,
		  size_t ncur, struct wm_pg_stmt_delta **out, size_t *n)
{
	struct wm_pg_stmt *sorted = NULL;
	struct wm_pg_stmt_delta *d;

	*out = NULL;
	*n = 0;
	d = calloc(ncur ? ncur : 1, sizeof(*d));
	if (!d)
		return -1;
	if (prev && nprev) {
		sorted = malloc(nprev * sizeof(*sorted));
		if (!sorted) {
			free(d);
			return -1;
		}
		memcpy(sorted, prev, nprev * sizeof(*sorted));
		qsort(sorted, nprev, sizeof(*sorted), cmp_key);
	}
	for (size_t i = 0; i < ncur; i++) {
		const struct wm_pg_stmt *p = NULL;

		if (sorted)
			p = bsearch(&cur[i], sorted, nprev, sizeof(*sorted), cmp_key);
		window(p, &cur[i], &d[*n]);
		if (d[*n].calls > 0)
			(*n)++;
	}
	free(sorted);
	*out = d;
	return 0;
}

double
wm_pg_stmt_mean(const struct wm_pg_stmt_delta *d, size_t n)
{
	double calls = 0, total = 0;

	for (size_t i = 0; i < n; i++) {
		calls += d[i].calls;
		total += d[i].calls * d[i].mean_ms;
	}
	return calls > 0 ? total / calls : NAN;
}

/* Lognormal parameters matching a mean and a standard deviation. */
static void
lognormal(const struct wm_pg_stmt_delta *d, double *mu, double *sigma)
{
	double s2 = log1p((d->stddev_ms * d->stddev_ms) / (d->mean_ms * d->mean_ms));

	*sigma = sqrt(s2);
	*mu = log(d->mean_ms) - s2 / 2;
}

/* P(time <= x) for one statement. */
static double
cdf_one(const struct wm_pg_stmt_delta *d, double x)
{
	double mu, sigma;

	if (d->mean_ms <= 0 || d->stddev_ms <= 0)
		return x >= d->mean_ms ? 1.0 : 0.0;
	if (x <= 0)
		return 0.0;
	lognormal(d, &mu, &sigma);
	return 0.5 * erfc(-(log(x) - mu) / (sigma * M_SQRT2));
}

static double
cdf_mix(const struct wm_pg_stmt_delta *d, size_t n, double calls, double x)
{
	double acc = 0;

	for (size_t i = 0; i < n; i++)
		acc += d[i].calls * cdf_one(&d[i], x);
	return acc / calls;
}

double
wm_pg_stmt_quantile(const struct wm_pg_stmt_delta *d, size_t n, double q)
{
	double calls = 0, lo = 0, hi = 0;

	for (size_t i = 0; i < n; i++) {
		double top = d[i].mean_ms, mu, sigma;

		if (d[i].calls <= 0)
			continue;
		calls += d[i].calls;
		if (d[i].mean_ms > 0 && d[i].stddev_ms > 0) {
			lognormal(&d[i], &mu, &sigma);
			top = exp(mu + 9 * sigma); /* beyond any quantile we ask for */
		}
		if (top > hi)
			hi = top;
	}
	if (calls <= 0 || !(q > 0 && q < 1))
		return NAN;
	/* Smallest x with F(x) >= q; F is monotone, 200 halvings reach any precision. */
	for (int i = 0; i < 200 && hi - lo > 1e-9 * (hi > 1 ? hi : 1); i++) {
		double mid = lo + (hi - lo) / 2;

		if (cdf_mix(d, n, calls, mid) >= q)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}
