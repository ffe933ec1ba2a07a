/* promtext.h - the Prometheus text exposition format 0.0.4, parsed.
 *
 * What an application serves at /metrics (the world's backend at
 * /api/metrics, prom-client, node_exporter's textfile collector): lines of
 *
 *   # HELP name doc string (escapes \\ and \n)
 *   # TYPE name counter|gauge|histogram|summary|untyped
 *   name{label="value",...} value [timestamp_ms]
 *
 * Followed: https://prometheus.io/docs/instrumenting/exposition_formats/ and
 * prometheus/common expfmt/text_parse.go (what promtool and the textfile
 * collector use).  Label values unescape \\, \" and \n; a value is a float
 * as Go's ParseFloat reads it (NaN, +Inf, -Inf, 1e-3); a timestamp is an
 * int64 of milliseconds.  Refused as text_parse.go refuses them: a second
 * HELP or TYPE for one name, a TYPE after that family's samples, an unknown
 * type, a label given twice, a histogram bucket without a float `le`, a
 * summary sample without a float `quantile`, bad names.  Lenient where it
 * is harmless: blank lines, other comments, spaces/tabs around tokens, a
 * trailing comma in the label set, CR before LF, no final newline.
 *
 * A sample belongs to family F when TYPE F is histogram and it is F_bucket,
 * F_sum or F_count (summary: F, F_sum, F_count); otherwise to the family of
 * its own name.
 *
 * Bounds (DESIGN §9: network input is hostile): the caller passes at most
 * WM_PROM_TEXT_MAX bytes; a line is at most WM_PROM_LINE_MAX bytes and a
 * sample has at most WM_PROM_LABELS_MAX labels.  Errors are WM_EPROTO with
 * "line N: what" (WM_ETOOBIG past a bound); nothing is printed.
 */
#ifndef WM_PROMTEXT_H
#define WM_PROMTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define WM_PROM_TEXT_MAX (64u << 20) /* bytes of one exposition */
#define WM_PROM_LINE_MAX (64u << 10) /* bytes of one line */
#define WM_PROM_LABELS_MAX 64	     /* labels of one sample */

enum wm_prom_type {
	WM_PROM_UNTYPED = 0,
	WM_PROM_COUNTER,
	WM_PROM_GAUGE,
	WM_PROM_HISTOGRAM,
	WM_PROM_SUMMARY,
};

struct wm_prom_label {
	char *name;
	char *value; /* unescaped */
};

struct wm_prom_sample {
	char *name;		      /* as written: "x_bucket" */
	struct wm_prom_label *labels; /* in the order written */
	size_t nlabels;
	double value;
	bool has_ts;
	int64_t ts_ms;
	size_t line;   /* 1-based line of the input */
	size_t family; /* index into doc->families */
};

struct wm_prom_family {
	char *name;
	char *help; /* unescaped; NULL when there was no HELP */
	enum wm_prom_type type;
	bool has_type; /* a TYPE line was seen */
	size_t nsamples;
};

/* Everything of one exposition; owned by the doc, freed by wm_prom_free. */
struct wm_prom_doc {
	struct wm_prom_family *families; /* in order of first appearance */
	size_t nfamilies;
	struct wm_prom_sample *samples; /* in input order */
	size_t nsamples;
};

/* Parse len bytes of text (need not be NUL-terminated).  Returns a doc (the
 * caller frees it with wm_prom_free) or NULL with e filled. */
struct wm_prom_doc *wm_prom_parse(const char *text, size_t len, struct wm_err *e);
void wm_prom_free(struct wm_prom_doc *doc);

/* The family named name, or NULL. */
const struct wm_prom_family *wm_prom_family_find(const struct wm_prom_doc *doc, const char *name);
/* The value of label name of sample s, or NULL. */
const char *wm_prom_label(const struct wm_prom_sample *s, const char *name);
/* A float as the format writes it, n bytes at s ("NaN", "+Inf", "-Inf",
 * "1e-3", "0.5"); strtod's syntax less what Prometheus refuses (hex, a
 * signed NaN or one with a payload), no blank before.  0, or -1. */
int wm_prom_parse_float(const char *s, size_t n, double *v);
/* "counter", "gauge", ... */
const char *wm_prom_type_name(enum wm_prom_type t);

/* One classic histogram series: F_bucket/F_sum/F_count with the same labels
 * (apart from le), buckets sorted by their upper bound. */
struct wm_prom_bucket {
	double le;    /* +Inf for the last one, when present */
	double count; /* cumulative, as exposed */
};

struct wm_prom_hist {
	struct wm_prom_label *labels; /* sorted by name, without le; owned */
	size_t nlabels;
	struct wm_prom_bucket *buckets; /* sorted by le; owned */
	size_t nbuckets;
	double sum;   /* NAN when F_sum is absent */
	double count; /* NAN when F_count is absent */
};

/* The series of histogram family name (any TYPE: a missing TYPE line is
 * allowed, as PromQL allows it), in the order of their label sets.  *out is
 * malloc'd (free with wm_prom_hists_free); *n may be 0 when the family has
 * no samples.  -1 with WM_EPROTO "line N: ..." for a bucket without a float
 * le or one bound given twice in a series. */
int wm_prom_histograms(const struct wm_prom_doc *doc, const char *name, struct wm_prom_hist **out,
		       size_t *n, struct wm_err *e);
void wm_prom_hists_free(struct wm_prom_hist *h, size_t n);
/* The value of label name of series h, or NULL. */
const char *wm_prom_hist_label(const struct wm_prom_hist *h, const char *name);

#endif
