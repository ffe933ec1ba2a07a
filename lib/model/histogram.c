/* histogram.c - PromQL's histogram_quantile, increases between two samples,
 * sum by (le, ...).  See histogram.h for the rules, step by step. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/histogram.h"

static int
cmp_bound(const void *a, const void *b)
{
	double x = ((const struct wm_prom_bucket *)a)->le,
	       y = ((const struct wm_prom_bucket *)b)->le;

	return (x > y) - (x < y);
}

/* Sorted and coalesced buckets (equal bounds summed): the new count. */
static size_t
sort_coalesce(struct wm_prom_bucket *b, size_t n)
{
	size_t k = 0;

	if (n == 0)
		return 0;
	qsort(b, n, sizeof(*b), cmp_bound);
	for (size_t i = 1; i < n; i++) {
		if (b[i].le == b[k].le)
			b[k].count += b[i].count;
		else
			b[++k] = b[i];
	}
	return k + 1;
}

struct wm_hist_q
wm_hist_quantile(double q, const struct wm_prom_bucket *in, size_t n)
{
	struct wm_hist_q r = {NAN, NAN, NAN};
	struct wm_prom_bucket *b;
	double max = -INFINITY, obs, rank, start = 0, count;
	size_t lo = 0, hi;

	if (isnan(q))
		return r;
	if (q < 0 || q > 1) {
		r.value = q < 0 ? -INFINITY : INFINITY;
		return r;
	}
	if (n == 0)
		return r;
	b = malloc(n * sizeof(*b));
	if (!b)
		return r; /* NaN: no answer without memory */
	memcpy(b, in, n * sizeof(*b));
	n = sort_coalesce(b, n);
	if (!(isinf(b[n - 1].le) && b[n - 1].le > 0))
		goto out;
	for (size_t i = 0; i < n; i++) { /* ensureMonotonic */
		if (b[i].count > max)
			max = b[i].count;
		else if (b[i].count < max)
			b[i].count = max;
	}
	if (n < 2)
		goto out;
	obs = b[n - 1].count;
	if (obs == 0)
		goto out;
	rank = q * obs;
	/* sort.Search(n-1, count >= rank): the same bisection, NaN and all */
	hi = n - 1;
	while (lo < hi) {
		size_t h = (lo + hi) / 2;

		if (!(b[h].count >= rank))
			lo = h + 1;
		else
			hi = h;
	}
	if (lo == n - 1) {
		r.value = b[n - 2].le;
		r.lower = b[n - 2].le;
		r.upper = INFINITY;
		goto out;
	}
	if (lo == 0 && b[0].le <= 0) {
		r.value = b[0].le;
		r.lower = -INFINITY;
		r.upper = b[0].le;
		goto out;
	}
	count = b[lo].count;
	if (lo > 0) {
		start = b[lo - 1].le;
		count -= b[lo - 1].count;
		rank -= b[lo - 1].count;
	}
	r.value = start + (b[lo].le - start) * (rank / count);
	r.lower = start;
	r.upper = b[lo].le;
out:
	free(b);
	return r;
}

static double
increase(double prev, double cur, bool *reset)
{
	if (isnan(prev))
		return cur;
	if (cur < prev) {
		*reset = true;
		return cur;
	}
	return cur - prev;
}

static struct wm_prom_label *
labels_copy(const struct wm_prom_label *l, size_t n)
{
	struct wm_prom_label *c = calloc(n + 1, sizeof(*c));

	if (!c)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		c[i].name = strdup(l[i].name);
		c[i].value = strdup(l[i].value);
		if (!c[i].name || !c[i].value) {
			for (size_t k = 0; k <= i; k++) {
				free(c[k].name);
				free(c[k].value);
			}
			free(c);
			return NULL;
		}
	}
	return c;
}

void
wm_hist_series_free(struct wm_prom_hist *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->nlabels; i++) {
		free(h->labels[i].name);
		free(h->labels[i].value);
	}
	free(h->labels);
	free(h->buckets);
	memset(h, 0, sizeof(*h));
}

int
wm_hist_delta(const struct wm_prom_hist *prev, const struct wm_prom_hist *cur,
	      struct wm_prom_hist *out, bool *reset, struct wm_err *e)
{
	bool r = false;

	memset(out, 0, sizeof(*out));
	out->labels = labels_copy(cur->labels, cur->nlabels);
	out->buckets = calloc(cur->nbuckets + 1, sizeof(*out->buckets));
	if (!out->labels || !out->buckets) {
		free(out->buckets);
		out->buckets = NULL;
		wm_hist_series_free(out);
		return wm_err_set(e, WM_ENOMEM, "out of memory");
	}
	out->nlabels = cur->nlabels;
	for (size_t i = 0; i < cur->nbuckets; i++) {
		const struct wm_prom_bucket *c = &cur->buckets[i];
		double p = NAN;

		if (prev) {
			size_t k;

			for (k = 0; k < prev->nbuckets && prev->buckets[k].le != c->le; k++)
				;
			if (k == prev->nbuckets)
				continue; /* a bucket that appeared: PromQL has one sample */
			p = prev->buckets[k].count;
		}
		out->buckets[out->nbuckets].le = c->le;
		out->buckets[out->nbuckets].count = increase(p, c->count, &r);
		out->nbuckets++;
	}
	/* _sum and _count: unknown when the earlier sample lacked them */
	out->sum = prev && isnan(prev->sum) ? NAN : increase(prev ? prev->sum : NAN, cur->sum, &r);
	out->count =
	    prev && isnan(prev->count) ? NAN : increase(prev ? prev->count : NAN, cur->count, &r);
	if (reset)
		*reset = r;
	return 0;
}

static bool
same_labels(const struct wm_prom_hist *a, const struct wm_prom_hist *b)
{
	if (a->nlabels != b->nlabels)
		return false;
	for (size_t i = 0; i < a->nlabels; i++) /* both sorted by name */
		if (strcmp(a->labels[i].name, b->labels[i].name) ||
		    strcmp(a->labels[i].value, b->labels[i].value))
			return false;
	return true;
}

const struct wm_prom_hist *
wm_hist_match(const struct wm_prom_hist *prev, size_t nprev, const struct wm_prom_hist *cur)
{
	for (size_t i = 0; i < nprev; i++)
		if (same_labels(&prev[i], cur))
			return &prev[i];
	return NULL;
}

double
wm_hist_mean(const struct wm_prom_hist *h)
{
	if (!(h->count > 0) || isnan(h->sum))
		return NAN;
	return h->sum / h->count;
}

static void
fmt_bound(double v, char *buf, size_t size)
{
	if (isinf(v))
		snprintf(buf, size, "%sInf", v > 0 ? "+" : "-");
	else
		snprintf(buf, size, "%g", v);
}

void
wm_hist_bucket_format(const struct wm_hist_q *q, char *buf, size_t size)
{
	char lo[32], hi[32];

	if (size == 0)
		return;
	buf[0] = '\0';
	if (isnan(q->lower) || isnan(q->upper))
		return;
	fmt_bound(q->lower, lo, sizeof(lo));
	fmt_bound(q->upper, hi, sizeof(hi));
	snprintf(buf, size, "(%s, %s]", lo, hi);
}
