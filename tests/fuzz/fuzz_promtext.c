/* fuzz_promtext.c - the Prometheus text format (wm_prom_parse) on any bytes,
 * not NUL-terminated as an HTTP body is; then every family grouped as a
 * histogram (wm_prom_histograms): buckets sorted with distinct bounds,
 * every refusal says why; each series' quantiles (lib/model/histogram.h) lie
 * within its bounds, its increase over itself is zero, and the series
 * aggregate (sum by (le) and by their first label). */
#include "config.h"

#include <math.h>

#include "fuzz.h"
#include "model/histogram.h"
#include "model/promtext.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wm_err e = {0};
	char *copy = malloc(size ? size : 1);
	struct wm_prom_doc *d;

	if (!copy)
		abort();
	memcpy(copy, data, size); /* exactly size bytes: ASan sees any over-read */
	d = wm_prom_parse(copy, size, &e);
	if (!d) {
		if (e.code == WM_EOK || e.msg[0] == '\0')
			abort();
		free(copy);
		return 0;
	}
	for (size_t i = 0; i < d->nsamples; i++)
		if (d->samples[i].family >= d->nfamilies || !d->samples[i].name[0])
			abort();
	for (size_t i = 0; i < d->nfamilies; i++) {
		struct wm_prom_hist *h;
		size_t n;

		if (wm_prom_histograms(d, d->families[i].name, &h, &n, &e) < 0) {
			if (e.msg[0] == '\0')
				abort();
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			struct wm_prom_hist dd;
			struct wm_hist_q q;

			for (size_t b = 1; b < h[k].nbuckets; b++)
				if (!(h[k].buckets[b].le > h[k].buckets[b - 1].le))
					abort();
			q = wm_hist_quantile(0.99, h[k].buckets, h[k].nbuckets);
			if (!isnan(q.value) && h[k].nbuckets &&
			    (q.value > h[k].buckets[h[k].nbuckets - 1].le ||
			     (q.value < h[k].buckets[0].le && q.value < 0)))
				abort();
			if (wm_hist_delta(&h[k], &h[k], &dd, NULL, &e) < 0)
				abort();
			for (size_t b = 0; b < dd.nbuckets; b++)
				if (dd.buckets[b].count != 0 && !isnan(dd.buckets[b].count) &&
				    !isinf(h[k].buckets[b].count))
					abort();
			wm_hist_series_free(&dd);
		}
		{
			struct wm_prom_hist *a;
			size_t na;
			const char *by[1] = {n && h[0].nlabels ? h[0].labels[0].name : "x"};

			if (wm_hist_aggregate(h, n, NULL, 0, &a, &na, &e) < 0 || na > 1)
				abort();
			wm_prom_hists_free(a, na);
			if (wm_hist_aggregate(h, n, by, 1, &a, &na, &e) < 0 || na > n)
				abort();
			wm_prom_hists_free(a, na);
		}
		wm_prom_hists_free(h, n);
	}
	wm_prom_free(d);
	free(copy);
	return 0;
}
