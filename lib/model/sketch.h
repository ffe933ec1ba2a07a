/* sketch.h - a streaming, mergeable quantile sketch with a relative-error bound.
 *
 * What: DDSketch (Masson, Rim, Lee, "DDSketch: a fast and fully-mergeable
 * quantile sketch with relative-error guarantees", PVLDB 12(12), 2019,
 * arXiv:1908.10693), with the bounded "collapsing lowest" store of
 * DataDog/sketches-go.  Value x > 0 goes to bucket i = ceil(log_g x) with
 * g = (1+a)/(1-a), i.e. (g^(i-1), g^i]; the bucket answers 2 g^i / (g+1),
 * which is within a relative a of every value of the bucket.  A quantile q
 * is the value of 0-based rank floor(q (n-1)) of the n values added (the
 * nearest-rank answer of `sort -n | awk 'NR==...'`), returned within a
 * relative a (default 1 %) of it.
 *
 * Why this one (research/next-programs.md §5): a relative bound at every
 * quantile is what a latency needs (p99 of 2.00 s must not read 1.8 s);
 * t-digest bounds the *rank* error and its merge depends on order; HDR
 * Histogram needs a value range fixed in advance and ~3x the counters for
 * the same accuracy.  DDSketch adds counts per bucket, so merging two
 * sketches is exact: merge(a, b) holds the same buckets as one sketch fed
 * both inputs, whatever the order (wm-run adds windows together).  At 1 %,
 * 1 us .. 1 h needs 1,101 buckets; the default bound of 2,048 spans a ratio
 * of 6e17 between the smallest and largest value kept exactly.
 *
 * Values: finite doubles.  Negatives go to a mirrored store; |x| below
 * DBL_MIN (~2.2e-308: 0 and the subnormals) counts as 0.
 * NaN and +-Inf are refused.  The answer is clamped to the exact minimum and
 * maximum seen, so q = 0 and q = 1 are exact and DBL_MAX never overflows.
 *
 * Bounded memory (the collapse): each store keeps at most max_bins adjacent
 * buckets, the ones of the largest magnitudes; when a value would widen the
 * span past max_bins, every bucket below the new lowest kept one is folded
 * into it (for the negative store: the values nearest 0).  A quantile that
 * falls in that folded bucket loses the bound (it reads too high in
 * magnitude); every quantile above it keeps it.  The folding depends only on
 * the largest bucket ever seen, so merge == union holds even after a
 * collapse.  wm_sketch_collapsed() says whether it happened.
 *
 * The library never prints; errors go to struct wm_err.  One sketch is not
 * safe for concurrent use.
 */
#ifndef WM_SKETCH_H
#define WM_SKETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define WM_SKETCH_ALPHA 0.01	      /* the default relative accuracy (1 %) */
#define WM_SKETCH_BINS 2048	      /* the default bound on buckets per store */
#define WM_SKETCH_TEXT_MAX (1u << 20) /* wm_sketch_parse refuses longer text */

struct wm_sketch;

/* A new empty sketch with relative accuracy alpha (1e-4 .. 0.5) and at most
 * max_bins buckets per sign (16 .. 65536); NULL with e filled if not. */
struct wm_sketch *wm_sketch_new(double alpha, int max_bins, struct wm_err *e);
/* wm_sketch_new(WM_SKETCH_ALPHA, WM_SKETCH_BINS, e). */
struct wm_sketch *wm_sketch_new_default(struct wm_err *e);
void wm_sketch_free(struct wm_sketch *s);
/* Forget every value, keep alpha and the bound. */
void wm_sketch_clear(struct wm_sketch *s);

/* Add x (n times).  -1 (WM_EINVAL) for NaN or +-Inf, -1 (WM_ENOMEM) if the
 * store could not grow; the sketch is unchanged on error. */
int wm_sketch_add(struct wm_sketch *s, double x, struct wm_err *e);
int wm_sketch_add_n(struct wm_sketch *s, double x, uint64_t n, struct wm_err *e);

/* Add every value of src into dst.  Both need the same alpha (WM_EINVAL
 * otherwise); dst keeps its own bucket bound (the smaller of the two gives
 * merge == union).  src may be dst's equal but not dst itself. */
int wm_sketch_merge(struct wm_sketch *dst, const struct wm_sketch *src, struct wm_err *e);

/* The q-quantile (0 <= q <= 1) within alpha of the exact one; NAN when the
 * sketch is empty or q is outside [0, 1] or NaN. */
double wm_sketch_quantile(const struct wm_sketch *s, double q);

uint64_t wm_sketch_count(const struct wm_sketch *s);
double wm_sketch_min(const struct wm_sketch *s); /* NAN when empty */
double wm_sketch_max(const struct wm_sketch *s); /* NAN when empty */
double wm_sketch_sum(const struct wm_sketch *s); /* 0 when empty */
double wm_sketch_alpha(const struct wm_sketch *s);
/* Buckets in use (both signs, plus one for zero if any): the memory bound. */
size_t wm_sketch_bins(const struct wm_sketch *s);
/* Whether low-magnitude buckets were ever folded (see the top of this file). */
bool wm_sketch_collapsed(const struct wm_sketch *s);

/* The sketch as one line of text for the journal (no newline, no quotes or
 * backslashes, so it drops into a JSON string as it is):
 *   dds1 a=0.01 b=2048 c=0 n=COUNT z=ZEROS min=X max=Y sum=S p=KEY:C,C,,C m=KEY:C
 * c: 1 once collapsed; min/max/sum: absent when n is 0; p/m: the positive
 * and negative (|x|) stores, dense from their lowest key, an
 * empty count meaning 0; absent when empty.  Doubles are printed with 17
 * significant digits, so parse(format(s)) answers exactly as s.
 * Returns a malloc'd string (the caller frees it) or NULL (WM_ENOMEM). */
char *wm_sketch_format(const struct wm_sketch *s, struct wm_err *e);
/* Read what wm_sketch_format wrote: text of len bytes (not necessarily
 * NUL-terminated, at most WM_SKETCH_TEXT_MAX).  Everything is checked (the
 * journal may be damaged): the keys within the range of alpha, the span of
 * a store within the bound, n equal to the sum of the counts, min <= max.
 * NULL with WM_EINVAL and the offending field in e on error. */
struct wm_sketch *wm_sketch_parse(const char *text, size_t len, struct wm_err *e);

#endif
