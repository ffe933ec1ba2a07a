/* fuzz_promtext.c - the Prometheus text format (wm_prom_parse) on any bytes,
 * not NUL-terminated as an HTTP body is; then every family grouped as a
 * histogram (wm_prom_histograms): buckets sorted with distinct bounds,
 * every refusal says why. */
#include "config.h"

#include <math.h>

#include "fuzz.h"
#include "promtext.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wm_err e = { 0 };
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
		for (size_t k = 0; k < n; k++)
			for (size_t b = 1; b < h[k].nbuckets; b++)
				if (!(h[k].buckets[b].le > h[k].buckets[b - 1].le))
					abort();
		wm_prom_hists_free(h, n);
	}
	wm_prom_free(d);
	free(copy);
	return 0;
}
