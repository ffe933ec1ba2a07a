/* sketch_int.h - the inside of struct wm_sketch, shared by sketch.c (the
 * arithmetic) and sketch_text.c (the journal form).  Not for other modules. */
#ifndef WM_SKETCH_INT_H
#define WM_SKETCH_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "model/sketch.h"

/* One sign's buckets: counts of keys offset .. offset+cap-1, non-zero only
 * within lo .. hi (when total > 0).  hi - lo < max_bins always. */
struct wm_sketch_store {
	uint64_t *bins;
	int cap;
	int offset;
	int lo, hi;
	uint64_t total;
	bool collapsed;
};

struct wm_sketch {
	double alpha;
	double gamma;
	double ln_gamma;
	double inv_ln_gamma;
	int max_bins;
	int key_min, key_max; /* the keys DBL_MIN .. DBL_MAX map to */
	struct wm_sketch_store pos, neg;
	uint64_t zero;
	uint64_t count;
	double min, max, sum;
};

/* Add n to key k of store st (folding per the collapse rule); -1 on ENOMEM. */
int wm_sketch_store_add(struct wm_sketch *s, struct wm_sketch_store *st, int k, uint64_t n);

#endif
