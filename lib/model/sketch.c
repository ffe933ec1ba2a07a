/* sketch.c - DDSketch: log buckets, the collapsing store, quantiles, merge.
 * See sketch.h for the choice and the guarantees. */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/sketch.h"
#include "model/sketch_int.h"

struct wm_sketch *
wm_sketch_new(double alpha, int max_bins, struct wm_err *e)
{
	struct wm_sketch *s;

	if (!(alpha >= 1e-4 && alpha <= 0.5)) {
		wm_err_set(e, WM_EINVAL, "sketch accuracy %g outside 0.0001..0.5", alpha);
		return NULL;
	}
	if (max_bins < 16 || max_bins > 65536) {
		wm_err_set(e, WM_EINVAL, "sketch bucket bound %d outside 16..65536", max_bins);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		wm_err_set(e, WM_ENOMEM, "out of memory");
		return NULL;
	}
	s->alpha = alpha;
	s->gamma = (1 + alpha) / (1 - alpha);
	s->ln_gamma = log(s->gamma);
	s->inv_ln_gamma = 1 / s->ln_gamma;
	s->max_bins = max_bins;
	s->key_min = (int)ceil(log(DBL_MIN) * s->inv_ln_gamma);
	s->key_max = (int)ceil(log(DBL_MAX) * s->inv_ln_gamma) + 1;
	wm_sketch_clear(s);
	return s;
}

struct wm_sketch *
wm_sketch_new_default(struct wm_err *e)
{
	return wm_sketch_new(WM_SKETCH_ALPHA, WM_SKETCH_BINS, e);
}

void
wm_sketch_free(struct wm_sketch *s)
{
	if (!s)
		return;
	free(s->pos.bins);
	free(s->neg.bins);
	free(s);
}

void
wm_sketch_clear(struct wm_sketch *s)
{
	free(s->pos.bins);
	free(s->neg.bins);
	memset(&s->pos, 0, sizeof(s->pos));
	memset(&s->neg, 0, sizeof(s->neg));
	s->zero = 0;
	s->count = 0;
	s->min = INFINITY;
	s->max = -INFINITY;
	s->sum = 0;
}

/* The key of |x| >= DBL_MIN: ceil(log_gamma |x|), kept within the range. */
static int
sketch_key(const struct wm_sketch *s, double ax)
{
	double l = log(ax) * s->inv_ln_gamma; /* within +-4e5: DBL_MIN <= ax <= DBL_MAX */
	int k = (int)l;

	if (l > k)
		k++; /* ceil, without the libm call (this is the hot path) */

	if (k < s->key_min)
		k = s->key_min;
	if (k > s->key_max)
		k = s->key_max;
	return k;
}

/* The value a key answers: 2 gamma^k / (gamma + 1), the point of the bucket
 * (gamma^(k-1), gamma^k] within alpha of both ends. */
static double
sketch_value(const struct wm_sketch *s, int k)
{
	return exp(k * s->ln_gamma) * (2 / (s->gamma + 1));
}

/* Re-lay store st so that the window holds lo .. hi, folding the keys below
 * lo into lo.  The new window is centred on the span so that the next few
 * keys on either side need no move. */
static int
store_relayout(struct wm_sketch_store *st, int lo, int hi, int max_bins)
{
	int need = hi - lo + 1;
	int cap = st->cap ? st->cap : 32;
	uint64_t *bins;
	int offset;

	while (cap < need || cap < 2 * need)
		cap *= 2;
	if (cap > max_bins)
		cap = max_bins;
	if (cap < need)
		cap = need;
	bins = calloc((size_t)cap, sizeof(*bins));
	if (!bins)
		return -1;
	offset = lo - (cap - need) / 2;
	if (st->total > 0) {
		for (int k = st->lo; k <= st->hi; k++) {
			uint64_t c = st->bins[k - st->offset];
			int to = k < lo ? lo : k;

			bins[to - offset] += c;
		}
	}
	free(st->bins);
	st->bins = bins;
	st->cap = cap;
	st->offset = offset;
	return 0;
}

int
wm_sketch_store_add(struct wm_sketch *s, struct wm_sketch_store *st, int k, uint64_t n)
{
	int lo, hi;
	bool collapse = false;

	if (st->total && k >= st->lo && k <= st->hi) { /* the common case */
		st->bins[k - st->offset] += n;
		st->total += n;
		return 0;
	}
	lo = st->total ? (k < st->lo ? k : st->lo) : k;
	hi = st->total ? (k > st->hi ? k : st->hi) : k;
	if (hi - lo + 1 > s->max_bins) {
		/* keep the max_bins buckets of the largest magnitudes */
		lo = hi - s->max_bins + 1;
		collapse = true;
		if (k < lo)
			k = lo;
	}
	if (!st->bins || lo < st->offset || hi >= st->offset + st->cap ||
	    (st->total && lo > st->lo)) {
		if (store_relayout(st, lo, hi, s->max_bins) < 0)
			return -1;
	}
	st->bins[k - st->offset] += n;
	st->lo = lo;
	st->hi = hi;
	st->total += n;
	if (collapse)
		st->collapsed = true;
	return 0;
}

int
wm_sketch_add_n(struct wm_sketch *s, double x, uint64_t n, struct wm_err *e)
{
	double ax = fabs(x);
	int rc = 0;

	if (!isfinite(x))
		return wm_err_set(e, WM_EINVAL, "sketch: %g is not a finite value", x);
	if (n == 0)
		return 0;
	if (ax < DBL_MIN)
		s->zero += n;
	else if (x > 0)
		rc = wm_sketch_store_add(s, &s->pos, sketch_key(s, ax), n);
	else
		rc = wm_sketch_store_add(s, &s->neg, sketch_key(s, ax), n);
	if (rc < 0)
		return wm_err_set(e, WM_ENOMEM, "out of memory");
	s->count += n;
	s->sum += x * (double)n;
	if (x < s->min)
		s->min = x;
	if (x > s->max)
		s->max = x;
	return 0;
}

int
wm_sketch_add(struct wm_sketch *s, double x, struct wm_err *e)
{
	return wm_sketch_add_n(s, x, 1, e);
}

static int
store_merge(struct wm_sketch *dst, struct wm_sketch_store *to, const struct wm_sketch_store *from)
{
	if (from->total == 0)
		return 0;
	/* the highest key first: the collapse then happens at most once */
	for (int k = from->hi; k >= from->lo; k--) {
		uint64_t c = from->bins[k - from->offset];

		if (c && wm_sketch_store_add(dst, to, k, c) < 0)
			return -1;
	}
	if (from->collapsed)
		to->collapsed = true;
	return 0;
}

int
wm_sketch_merge(struct wm_sketch *dst, const struct wm_sketch *src, struct wm_err *e)
{
	if (dst == src)
		return wm_err_set(e, WM_EINVAL, "sketch: cannot merge a sketch into itself");
	if (dst->alpha != src->alpha)
		return wm_err_set(e, WM_EINVAL, "sketch: cannot merge accuracy %g into %g",
				  src->alpha, dst->alpha);
	if (src->count == 0)
		return 0;
	if (store_merge(dst, &dst->pos, &src->pos) < 0 ||
	    store_merge(dst, &dst->neg, &src->neg) < 0)
		return wm_err_set(e, WM_ENOMEM, "out of memory");
	dst->zero += src->zero;
	dst->count += src->count;
	dst->sum += src->sum;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	return 0;
}

double
wm_sketch_quantile(const struct wm_sketch *s, double q)
{
	double rank, v = NAN;
	uint64_t seen = 0;

	if (s->count == 0 || !(q >= 0 && q <= 1))
		return NAN;
	/* the value of 0-based rank floor(q (n-1)): the first bucket whose
	 * cumulative count exceeds it, in increasing order of value */
	rank = floor(q * (double)(s->count - 1));
	if (rank <= 0)
		return s->min; /* the ends are known exactly */
	if (rank >= (double)(s->count - 1))
		return s->max;
	for (int k = s->neg.hi; s->neg.total && k >= s->neg.lo; k--) {
		seen += s->neg.bins[k - s->neg.offset];
		if ((double)seen > rank) {
			v = -sketch_value(s, k);
			goto out_clamp;
		}
	}
	seen += s->zero;
	if ((double)seen > rank) {
		v = 0;
		goto out_clamp;
	}
	for (int k = s->pos.lo; s->pos.total && k <= s->pos.hi; k++) {
		seen += s->pos.bins[k - s->pos.offset];
		if ((double)seen > rank) {
			v = sketch_value(s, k);
			goto out_clamp;
		}
	}
	v = s->max; /* counts rounded in double: the last value */
out_clamp:
	if (v < s->min)
		v = s->min;
	if (v > s->max)
		v = s->max;
	return v;
}

uint64_t
wm_sketch_count(const struct wm_sketch *s)
{
	return s->count;
}

double
wm_sketch_min(const struct wm_sketch *s)
{
	return s->count ? s->min : NAN;
}

double
wm_sketch_max(const struct wm_sketch *s)
{
	return s->count ? s->max : NAN;
}

double
wm_sketch_sum(const struct wm_sketch *s)
{
	return s->sum;
}

double
wm_sketch_alpha(const struct wm_sketch *s)
{
	return s->alpha;
}

size_t
wm_sketch_bins(const struct wm_sketch *s)
{
	size_t n = s->zero ? 1 : 0;

	if (s->pos.total)
		n += (size_t)(s->pos.hi - s->pos.lo + 1);
	if (s->neg.total)
		n += (size_t)(s->neg.hi - s->neg.lo + 1);
	return n;
}

bool
wm_sketch_collapsed(const struct wm_sketch *s)
{
	return s->pos.collapsed || s->neg.collapsed;
}
