/* promtext_hist.c - classic histograms out of a parsed exposition: the
 * F_bucket / F_sum / F_count samples grouped into one series per label set
 * (le aside), as PromQL groups them for histogram_quantile.  Sorting the
 * samples by a canonical key keeps it O(n log n) on hostile input. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/promtext.h"

struct entry {
	char *key;  /* the labels but le, sorted, length-prefixed */
	size_t idx; /* the sample */
	int kind;   /* 0 bucket, 1 sum, 2 count */
};

static int
cmp_label(const void *a, const void *b)
{
	return strcmp(((const struct wm_prom_label *)a)->name,
		      ((const struct wm_prom_label *)b)->name);
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

static int
cmp_bucket(const void *a, const void *b)
{
	double x = ((const struct wm_prom_bucket *)a)->le,
	       y = ((const struct wm_prom_bucket *)b)->le;

	return (x > y) - (x < y);
}

/* The sample's labels but le, copied and sorted by name (*n of them). */
static struct wm_prom_label *
labels_sorted(const struct wm_prom_sample *s, size_t *n)
{
	struct wm_prom_label *l = calloc(s->nlabels + 1, sizeof(*l));
	size_t k = 0;

	if (!l)
		return NULL;
	for (size_t i = 0; i < s->nlabels; i++) {
		if (!strcmp(s->labels[i].name, "le"))
			continue;
		l[k].name = strdup(s->labels[i].name);
		l[k].value = strdup(s->labels[i].value);
		k++;
		if (!l[k - 1].name || !l[k - 1].value)
			goto out_free;
	}
	qsort(l, k, sizeof(*l), cmp_label);
	*n = k;
	return l;
out_free:
	for (size_t i = 0; i < k; i++) {
		free(l[i].name);
		free(l[i].value);
	}
	free(l);
	return NULL;
}

static char *
make_key(const struct wm_prom_sample *s)
{
	size_t n = 0, len = 1;
	struct wm_prom_label *l = labels_sorted(s, &n);
	char *key, *o;

	if (!l)
		return NULL;
	for (size_t i = 0; i < n; i++)
		len += strlen(l[i].name) + strlen(l[i].value) + 48;
	key = o = malloc(len);
	if (key) {
		for (size_t i = 0; i < n; i++)
			o += snprintf(o, len - (size_t)(o - key), "%zu:%s%zu:%s", strlen(l[i].name),
				      l[i].name, strlen(l[i].value), l[i].value);
		*o = '\0';
	}
	for (size_t i = 0; i < n; i++) {
		free(l[i].name);
		free(l[i].value);
	}
	free(l);
	return key;
}

void
wm_prom_hists_free(struct wm_prom_hist *h, size_t n)
{
	if (!h)
		return;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < h[i].nlabels; j++) {
			free(h[i].labels[j].name);
			free(h[i].labels[j].value);
		}
		free(h[i].labels);
		free(h[i].buckets);
	}
	free(h);
}

const char *
wm_prom_hist_label(const struct wm_prom_hist *h, const char *name)
{
	for (size_t i = 0; i < h->nlabels; i++)
		if (!strcmp(h->labels[i].name, name))
			return h->labels[i].value;
	return NULL;
}

/* Which of F_bucket (0), F_sum (1), F_count (2) name is, or -1. */
static int
kind_of(const char *name, const char *family, size_t flen)
{
	if (strncmp(name, family, flen) != 0)
		return -1;
	name += flen;
	if (!strcmp(name, "_bucket"))
		return 0;
	if (!strcmp(name, "_sum"))
		return 1;
	if (!strcmp(name, "_count"))
		return 2;
	return -1;
}

/* Fill series h from entries e[0..n) (one label set). */
static int
build_series(const struct wm_prom_doc *doc, const struct entry *e, size_t n, struct wm_prom_hist *h,
	     struct wm_err *err)
{
	const struct wm_prom_sample *first = &doc->samples[e[0].idx];

	h->sum = h->count = NAN;
	h->labels = labels_sorted(first, &h->nlabels);
	h->buckets = calloc(n, sizeof(*h->buckets));
	if (!h->labels || !h->buckets)
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const struct wm_prom_sample *s = &doc->samples[e[i].idx];
		const char *le;
		struct wm_prom_bucket *b;

		if (e[i].kind == 1) {
			h->sum = s->value;
			continue;
		}
		if (e[i].kind == 2) {
			h->count = s->value;
			continue;
		}
		le = wm_prom_label(s, "le");
		b = &h->buckets[h->nbuckets];
		if (!le || wm_prom_parse_float(le, strlen(le), &b->le) < 0 || isnan(b->le))
			return wm_err_set(err, WM_EPROTO, "line %zu: %s without a float le label",
					  s->line, s->name);
		b->count = s->value;
		h->nbuckets++;
	}
	qsort(h->buckets, h->nbuckets, sizeof(*h->buckets), cmp_bucket);
	for (size_t i = 1; i < h->nbuckets; i++)
		if (h->buckets[i].le == h->buckets[i - 1].le)
			return wm_err_set(err, WM_EPROTO,
					  "line %zu: %s: le=%g given twice in one series",
					  first->line, first->name, h->buckets[i].le);
	return 0;
}

int
wm_prom_histograms(const struct wm_prom_doc *doc, const char *name, struct wm_prom_hist **out,
		   size_t *n, struct wm_err *e)
{
	size_t flen = strlen(name), ne = 0, nh = 0;
	struct entry *ent = calloc(doc->nsamples + 1, sizeof(*ent));
	struct wm_prom_hist *h = NULL;
	int rc = -1;

	*out = NULL;
	*n = 0;
	if (!ent)
		return wm_err_set(e, WM_ENOMEM, "out of memory");
	for (size_t i = 0; i < doc->nsamples; i++) {
		int k = kind_of(doc->samples[i].name, name, flen);

		if (k < 0)
			continue;
		ent[ne].key = make_key(&doc->samples[i]);
		if (!ent[ne].key) {
			wm_err_set(e, WM_ENOMEM, "out of memory");
			goto out_free;
		}
		ent[ne].idx = i;
		ent[ne].kind = k;
		ne++;
	}
	qsort(ent, ne, sizeof(*ent), cmp_entry);
	h = calloc(ne + 1, sizeof(*h));
	if (!h) {
		wm_err_set(e, WM_ENOMEM, "out of memory");
		goto out_free;
	}
	for (size_t i = 0, j; i < ne; i = j) {
		for (j = i + 1; j < ne && !strcmp(ent[i].key, ent[j].key); j++)
			;
		if (build_series(doc, ent + i, j - i, &h[nh++], e) < 0)
			goto out_free;
	}
	*out = h;
	*n = nh;
	h = NULL;
	rc = 0;
out_free:
	wm_prom_hists_free(h, nh);
	for (size_t i = 0; i < ne; i++)
		free(ent[i].key);
	free(ent);
	return rc;
}
