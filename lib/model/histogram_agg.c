/* histogram_agg.c - sum by (le, LABELS) over histogram series: the grouping
 * PromQL does before histogram_quantile (overall, per route, per status). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/histogram.h"

struct agg_ctx {
	const struct wm_prom_hist *h;
	const char *const *by;
	size_t nby;
};

struct agg_item {
	const struct agg_ctx *ctx;
	size_t idx;
};

static const char *
value_of(const struct wm_prom_hist *h, const char *name)
{
	const char *v = wm_prom_hist_label(h, name);

	return v ? v : "";
}

static int
cmp_item(const void *a, const void *b)
{
	const struct agg_item *x = a, *y = b;
	const struct agg_ctx *c = x->ctx;

	for (size_t i = 0; i < c->nby; i++) {
		int r =
		    strcmp(value_of(&c->h[x->idx], c->by[i]), value_of(&c->h[y->idx], c->by[i]));

		if (r)
			return r;
	}
	return (x->idx > y->idx) - (x->idx < y->idx);
}

static int
same_group(const struct agg_ctx *c, size_t a, size_t b)
{
	for (size_t i = 0; i < c->nby; i++)
		if (strcmp(value_of(&c->h[a], c->by[i]), value_of(&c->h[b], c->by[i])))
			return 0;
	return 1;
}

static int
cmp_bound(const void *a, const void *b)
{
	double x = ((const struct wm_prom_bucket *)a)->le,
	       y = ((const struct wm_prom_bucket *)b)->le;

	return (x > y) - (x < y);
}

/* One output series from the group items[0..n). */
static int
build_group(const struct agg_ctx *c, const struct agg_item *items, size_t n,
	    struct wm_prom_hist *out)
{
	const struct wm_prom_hist *first = &c->h[items[0].idx];
	size_t nb = 0, k = 0;

	out->sum = out->count = 0;
	for (size_t i = 0; i < n; i++)
		nb += c->h[items[i].idx].nbuckets;
	out->labels = calloc(c->nby + 1, sizeof(*out->labels));
	out->buckets = calloc(nb + 1, sizeof(*out->buckets));
	if (!out->labels || !out->buckets)
		return -1;
	for (size_t i = 0; i < c->nby; i++) {
		const char *v = value_of(first, c->by[i]);

		if (!*v)
			continue; /* absent (or empty): not an output label */
		out->labels[out->nlabels].name = strdup(c->by[i]);
		out->labels[out->nlabels].value = strdup(v);
		out->nlabels++;
		if (!out->labels[out->nlabels - 1].name || !out->labels[out->nlabels - 1].value)
			return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const struct wm_prom_hist *s = &c->h[items[i].idx];

		memcpy(out->buckets + k, s->buckets, s->nbuckets * sizeof(*s->buckets));
		k += s->nbuckets;
		out->sum += s->sum; /* NaN if any lacks it */
		out->count += s->count;
	}
	qsort(out->buckets, k, sizeof(*out->buckets), cmp_bound);
	out->nbuckets = 0;
	for (size_t i = 0; i < k; i++) {
		if (out->nbuckets && out->buckets[out->nbuckets - 1].le == out->buckets[i].le)
			out->buckets[out->nbuckets - 1].count += out->buckets[i].count;
		else
			out->buckets[out->nbuckets++] = out->buckets[i];
	}
	return 0;
}

int
wm_hist_aggregate(const struct wm_prom_hist *h, size_t n, const char *const *by, size_t nby,
		  struct wm_prom_hist **out, size_t *nout, struct wm_err *e)
{
	struct agg_ctx c = {h, by, nby};
	struct agg_item *items = calloc(n + 1, sizeof(*items));
	struct wm_prom_hist *o = calloc(n + 1, sizeof(*o));
	size_t no = 0;

	*out = NULL;
	*nout = 0;
	if (!items || !o)
		goto out_nomem;
	for (size_t i = 0; i < n; i++) {
		items[i].ctx = &c;
		items[i].idx = i;
	}
	qsort(items, n, sizeof(*items), cmp_item);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && same_group(&c, items[i].idx, items[j].idx); j++)
			;
		if (build_group(&c, items + i, j - i, &o[no++]) < 0)
			goto out_nomem;
	}
	free(items);
	*out = o;
	*nout = no;
	return 0;
out_nomem:
	free(items);
	wm_prom_hists_free(o, no);
	return wm_err_set(e, WM_ENOMEM, "out of memory");
}
