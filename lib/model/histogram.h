/* histogram.h - quantiles of classic Prometheus histograms, the way PromQL
 * computes them, from the increase between two samples.
 *
 * wm-perf keeps the previous /api/metrics sample in the state directory and
 * answers "p99 of the last hour" from the bucket increases; a test asks the
 * real Prometheus the same question and expects the same number.  So this
 * follows Prometheus 2.42 to the letter (promql/quantile.go bucketQuantile,
 * promql/functions.go extrapolatedRate; research/next-programs.md §1):
 *
 *   q NaN -> NaN, q < 0 -> -Inf, q > 1 -> +Inf (before any bucket check);
 *   buckets sorted by bound; highest bound not +Inf -> NaN; equal bounds
 *   merged (counts summed); counts made monotonic (running maximum); fewer
 *   than 2 buckets -> NaN; observations = the +Inf bucket's count (not
 *   _count), 0 -> NaN; rank = q * observations; b = first finite bucket
 *   with count >= rank (Go's sort.Search over all but +Inf); none -> the
 *   second-highest bound; b = 0 with bound <= 0 -> that bound; otherwise
 *   start + (end - start) * (rank - count[b-1]) / (count[b] - count[b-1]),
 *   start = the previous bound, or 0 for the lowest bucket.
 *
 * Increases between two samples are what increase()/rate() give over a
 * window whose edges are exactly the two samples (no extrapolation): per
 * bucket series, cur - prev, or cur when cur < prev (a counter reset: the
 * process restarted, so everything since is the increase).  A bucket present
 * in only one of the samples is dropped, as PromQL drops a series with a
 * single sample in the range.  (Prometheus's extrapolation multiplies every
 * bucket of a group by one factor, which cancels in the quantile, except
 * when its zero clamp shortens one bucket's extrapolation: see §1.)
 *
 * Aggregation is `sum by (le, LABELS)`: series grouped by the values of the
 * named labels (none: one group), counts summed per bound.
 *
 * Pure functions: no I/O, no printing; errors in struct wm_err.
 */
#ifndef WM_HISTOGRAM_H
#define WM_HISTOGRAM_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "model/promtext.h"

/* A quantile and the bucket the rank fell in. */
struct wm_hist_q {
	double value; /* histogram_quantile(q, ...) */
	double lower; /* the bucket (lower, upper] holding the rank; NAN when the */
	double upper; /* answer came from no bucket (NaN/+-Inf cases) */
};

/* histogram_quantile(q, buckets) of Prometheus 2.42 on n buckets in any
 * order (cumulative counts, as exposed or as increases).  The buckets are
 * not modified. */
struct wm_hist_q wm_hist_quantile(double q, const struct wm_prom_bucket *b, size_t n);

/* The increase of series cur since prev (same labels): buckets, _sum and
 * _count each cur - prev, or cur where cur < prev.  prev NULL: cur as it is
 * (the first sample: since the process started).  *out gets its own copies
 * (free its members with wm_hist_series_free).  *reset (may be NULL) tells
 * whether any value went down.  -1 only on ENOMEM. */
int wm_hist_delta(const struct wm_prom_hist *prev, const struct wm_prom_hist *cur,
		  struct wm_prom_hist *out, bool *reset, struct wm_err *e);

/* The series of prev matching cur's labels exactly, or NULL. */
const struct wm_prom_hist *wm_hist_match(const struct wm_prom_hist *prev, size_t nprev,
					 const struct wm_prom_hist *cur);

/* sum by (le, by[0..nby)) over series h[0..n): one output series per
 * distinct combination of those label values (an absent label counts as
 * the empty value and is left out of the output's labels), sorted by them;
 * buckets summed per bound, _sum and _count summed (NAN if any series lacks
 * them).  *out is malloc'd; free with wm_prom_hists_free(*out, *nout). */
int wm_hist_aggregate(const struct wm_prom_hist *h, size_t n, const char *const *by, size_t nby,
		      struct wm_prom_hist **out, size_t *nout, struct wm_err *e);

/* The mean observation: _sum / _count (NAN when _count is 0 or unknown). */
double wm_hist_mean(const struct wm_prom_hist *h);

/* The bucket of a quantile in words: "(1, 3]", "(10, +Inf]", "" when none. */
void wm_hist_bucket_format(const struct wm_hist_q *q, char *buf, size_t size);

/* Free the members of one series (not the series itself). */
void wm_hist_series_free(struct wm_prom_hist *h);

#endif
