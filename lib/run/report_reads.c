/* report_reads.c - the reads a criterion counts (see report.h, "Windows
 * counted once"): the reads of one kind in time order, the non-overlapping
 * ones covering most of the run, the worst window, and how to say them. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/report_int.h"

/* The reads of kind (and check, when given) with a value, in time order. */
size_t
wm_report_reads_of(const struct wm_report *r, enum wm_read_kind kind, const char *check,
		   const struct wm_report_read **v)
{
	size_t n = 0;

	for (size_t i = 0; i < r->in->n_reads; i++) {
		const struct wm_report_read *d = &r->in->reads[i];

		if (d->kind == kind && !isnan(d->a) && (!check || !strcmp(d->check, check)))
			v[n++] = d;
	}
	for (size_t i = 1; i < n; i++) /* insertion sort: reads come nearly sorted */
		for (size_t k = i; k > 0 && v[k - 1]->at_ms > v[k]->at_ms; k--) {
			const struct wm_report_read *t = v[k];

			v[k] = v[k - 1];
			v[k - 1] = t;
		}
	return n;
}

/* Weighted interval scheduling: of v[0..n) (sorted by end), keep the
 * non-overlapping reads covering most of [0, plan): v is compacted to them.
 * Returns how many, and the covered ms in *covered. */
size_t
wm_report_cover(const struct wm_report *r, const struct wm_report_read **v, size_t n,
		int64_t *covered)
{
	int64_t *best = calloc(n + 1, sizeof(*best));
	size_t *prev = calloc(n + 1, sizeof(*prev)), k = 0;
	const struct wm_report_read **out;

	*covered = 0;
	if (!best || !prev || !(out = malloc((n + 1) * sizeof(*out)))) {
		free(best);
		free(prev);
		return 0; /* out of memory: nothing measured, said so */
	}
	for (size_t j = 1; j <= n; j++) {
		const struct wm_report_read *d = v[j - 1];
		int64_t lo = d->since_ms > 0 ? d->since_ms : 0;
		int64_t hi = d->at_ms < r->opts.plan_ms ? d->at_ms : r->opts.plan_ms;
		int64_t w = hi > lo ? hi - lo : 0;
		size_t p = j - 1;

		while (p > 0 && v[p - 1]->at_ms > d->since_ms)
			p--;
		prev[j] = p;
		best[j] = w > 0 && w + best[p] >= best[j - 1] ? w + best[p] : best[j - 1];
	}
	*covered = best[n];
	for (size_t j = n; j > 0;) {
		if (best[j] != best[j - 1]) {
			out[k++] = v[j - 1];
			j = prev[j];
		} else {
			j--;
		}
	}
	for (size_t i = 0; i < k; i++)
		v[i] = out[k - 1 - i];
	free(out);
	free(best);
	free(prev);
	return k;
}

void
wm_report_when(const struct wm_report_read *d, char *buf, size_t len)
{
	char off[32];

	wm_report_offset(d->at_ms, off, sizeof(off));
	wm_report_fmt(buf, len, "%s%s%s%s", off, *d->tier ? " (" : "", d->tier,
		      *d->tier ? ")" : "");
}

/* "a worst window": the read with the largest (or smallest) a. */
const struct wm_report_read *
wm_report_worst(const struct wm_report_read **v, size_t n, bool lowest)
{
	const struct wm_report_read *w = NULL;

	for (size_t i = 0; i < n; i++)
		if (!w || (lowest ? v[i]->a < w->a : v[i]->a > w->a))
			w = v[i];
	return w;
}

void
wm_report_coverage(const struct wm_report *r, char *buf, size_t len, const char *what, size_t n,
		   int64_t covered, const struct wm_report_read **v)
{
	char w[64];

	wm_report_when(v[0], w, sizeof(w));
	if (n == 1)
		wm_report_fmt(buf, len, "%s, the read at %s covering %.3g h of %.3g", what, w,
			      (double)covered / WM_HOUR_MS, (double)r->opts.plan_ms / WM_HOUR_MS);
	else
		wm_report_fmt(buf, len, "%s, %zu reads covering %.3g h of %.3g", what, n,
			      (double)covered / WM_HOUR_MS, (double)r->opts.plan_ms / WM_HOUR_MS);
}
