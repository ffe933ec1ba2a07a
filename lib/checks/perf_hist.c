/* perf_hist.c - response times and DB query times from the application's
 * Prometheus histograms over the window between two samples (perf_hist.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/perf.h"
#include "checks/perf_hist.h"
#include "model/histogram.h"
#include "model/promtext.h"
#include "store/sample.h"

/* The window between the previous sample and now. */
struct window {
	bool first;	/* no (usable) previous sample */
	bool restarted; /* the process started again between the samples */
	double seconds; /* NAN: unknown (a first run without a start time) */
	char words[128];
};

/* One family's increase over the window. */
struct fam {
	struct wm_prom_hist *d; /* per series */
	size_t nd;
	size_t fresh; /* series new since the previous sample */
	bool reset;   /* some counter went back */
	bool found;   /* the family is in the current text */
};

static const double qs[3] = {0.5, 0.95, 0.99};

/* The process's start time (unix s) exported as *process_start_time_seconds
 * without labels, else NAN. */
static double
start_time(const struct wm_prom_doc *doc)
{
	static const char suffix[] = "process_start_time_seconds";

	for (size_t i = 0; doc && i < doc->nsamples; i++) {
		const char *n = doc->samples[i].name;
		size_t l = strlen(n);

		if (l >= sizeof suffix - 1 && strcmp(n + l - (sizeof suffix - 1), suffix) == 0 &&
		    doc->samples[i].nlabels == 0)
			return doc->samples[i].value;
	}
	return NAN;
}

/* A label value in the exposition's escapes. */
static void
put_escaped(FILE *f, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fprintf(f, "\\%c", *v);
		else if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
}

static void
put_labels(FILE *f, const struct wm_prom_hist *h, const char *le)
{
	fputc('{', f);
	for (size_t i = 0; i < h->nlabels; i++) {
		fprintf(f, "%s%s=\"", i ? "," : "", h->labels[i].name);
		put_escaped(f, h->labels[i].value);
		fputc('"', f);
	}
	if (le)
		fprintf(f, "%sle=\"%s\"", h->nlabels ? "," : "", le);
	fputc('}', f);
}

/* The series of family as exposition text: what the next run subtracts. */
static void
put_family(FILE *f, const char *family, const struct wm_prom_hist *h, size_t n)
{
	fprintf(f, "# TYPE %s histogram\n", family);
	for (size_t i = 0; i < n; i++) {
		for (size_t b = 0; b < h[i].nbuckets; b++) {
			char le[32];

			if (isinf(h[i].buckets[b].le))
				snprintf(le, sizeof le, "%sInf",
					 h[i].buckets[b].le > 0 ? "+" : "-");
			else
				snprintf(le, sizeof le, "%.17g", h[i].buckets[b].le);
			fprintf(f, "%s_bucket", family);
			put_labels(f, &h[i], le);
			fprintf(f, " %.17g\n", h[i].buckets[b].count);
		}
		if (!isnan(h[i].sum)) {
			fprintf(f, "%s_sum", family);
			put_labels(f, &h[i], NULL);
			fprintf(f, " %.17g\n", h[i].sum);
		}
		if (!isnan(h[i].count)) {
			fprintf(f, "%s_count", family);
			put_labels(f, &h[i], NULL);
			fprintf(f, " %.17g\n", h[i].count);
		}
	}
}

/* The increase of family from prev (NULL: none) to cur into *f.  -1 with
 * err (WM_ENOMEM, or the text's error). */
static int
family_delta(const struct wm_prom_doc *prev, const struct wm_prom_doc *cur, const char *family,
	     struct fam *f, struct wm_prom_hist **curh, size_t *ncur, struct wm_err *err)
{
	struct wm_prom_hist *ph = NULL;
	size_t np = 0;
	int rc = -1;

	memset(f, 0, sizeof *f);
	*curh = NULL;
	*ncur = 0;
	f->found = wm_prom_family_find(cur, family) != NULL;
	if (wm_prom_histograms(cur, family, curh, ncur, err) < 0)
		return -1;
	if (prev && wm_prom_histograms(prev, family, &ph, &np, err) < 0) {
		np = 0; /* a damaged sample: every series counts whole */
		ph = NULL;
	}
	if (!(f->d = calloc(*ncur + 1, sizeof *f->d))) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < *ncur; i++) {
		const struct wm_prom_hist *m = prev ? wm_hist_match(ph, np, &(*curh)[i]) : NULL;
		bool reset = false;

		if (prev && !m)
			f->fresh++;
		if (wm_hist_delta(m, &(*curh)[i], &f->d[f->nd], &reset, err) < 0)
			goto out;
		f->nd++;
		f->reset |= reset;
	}
	rc = 0;
out:
	wm_prom_hists_free(ph, np);
	return rc;
}

static void
fam_free(struct fam *f)
{
	wm_prom_hists_free(f->d, f->nd);
	f->d = NULL;
	f->nd = 0;
}

/* Observations of an aggregated series: the +Inf bucket, else _count. */
static double
observations(const struct wm_prom_hist *h)
{
	if (h->nbuckets && isinf(h->buckets[h->nbuckets - 1].le))
		return h->buckets[h->nbuckets - 1].count;
	return isnan(h->count) ? 0 : h->count;
}

/* The highest non-empty bucket (lower, upper] of an aggregated series: the
 * lowest one holding every observation.  upper NAN when empty. */
static void
max_bucket(const struct wm_prom_hist *h, double *lower, double *upper)
{
	double total = observations(h);

	*lower = *upper = NAN;
	for (size_t i = 0; total > 0 && i < h->nbuckets; i++)
		if (h->buckets[i].count >= total) {
			*lower = i ? h->buckets[i - 1].le : 0;
			*upper = h->buckets[i].le;
			return;
		}
}

static void
fmt_bucket(double lower, double upper, char *buf, size_t size)
{
	struct wm_hist_q q = {.value = upper, .lower = lower, .upper = upper};

	wm_hist_bucket_format(&q, buf, size);
}

/* The window's words and length. */
static void
window_of(struct window *w, const cJSON *prev, double start_now, double start_prev, int64_t now_ms)
{
	double prev_ms = wm_sample_num(prev, "time_ms");
	char d[32];

	w->restarted = !isnan(start_prev) && !isnan(start_now) && start_now != start_prev;
	if (!w->first && !isnan(prev_ms) && prev_ms < (double)now_ms) {
		w->seconds = ((double)now_ms - prev_ms) / 1000.0;
		wm_sample_fmt_duration(w->seconds, d, sizeof d);
		if (w->restarted) {
			/* The start time changed between the samples, so the process
			 * restarted inside the window.  Start times are often whole
			 * seconds (prom-client rounds them) and come from the target's
			 * clock: a restart within a second of the previous sample, or
			 * a clock ahead of ours, reads as before it; the span since the
			 * restart is then at most the window. */
			double up_s = (double)now_ms / 1000.0 - start_now;
			char up[32];

			if (!(up_s > 0) || up_s > w->seconds)
				up_s = w->seconds;
			wm_sample_fmt_duration(up_s, up, sizeof up);
			snprintf(w->words, sizeof w->words,
				 "since the process restarted %s ago (window %s)", up, d);
			w->seconds = up_s;
		} else {
			snprintf(w->words, sizeof w->words, "over the last %s", d);
		}
		return;
	}
	w->first = true;
	if (!isnan(start_now) && start_now * 1000.0 < (double)now_ms) {
		w->seconds = (double)now_ms / 1000.0 - start_now;
		wm_sample_fmt_duration(w->seconds, d, sizeof d);
		snprintf(w->words, sizeof w->words,
			 "since the process started %s ago (first sample)", d);
	} else {
		w->seconds = NAN;
		snprintf(w->words, sizeof w->words, "since the process started (first sample)");
	}
}

static int
metric(struct wm_check *c, const char *name, double v, const char *unit, const char *warn)
{
	struct wm_metric *m = wm_check_add_metric(c, name, v, unit);

	if (!m || wm_metric_set_thresholds(m, warn, NULL) < 0)
		return -1;
	m->min = 0;
	return 0;
}

struct ranked {
	const struct wm_prom_hist *h;
	struct wm_hist_q q[3];
	double n;
};

static int
slowest_first(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	double px = isnan(x->q[2].value) ? -1 : x->q[2].value;
	double py = isnan(y->q[2].value) ? -1 : y->q[2].value;

	if (px != py)
		return px < py ? 1 : -1;
	return (x->n < y->n) - (x->n > y->n);
}

/* "GET /api/orders" of a route series. */
static void
route_name(const struct wm_perf_hist_opts *o, const struct wm_prom_hist *h, char *buf, size_t size)
{
	const char *m = wm_prom_hist_label(h, o->method_label);
	const char *r = wm_prom_hist_label(h, o->route_label);

	snprintf(buf, size, "%s%s%s", m ? m : "", m ? " " : "", r ? r : "(no route label)");
}

static cJSON *
quantile_json(const struct wm_hist_q *q)
{
	cJSON *o = cJSON_CreateObject();
	char b[64];

	wm_hist_bucket_format(q, b, sizeof b);
	if (o && (!cJSON_AddNumberToObject(o, "value", q->value) ||
		  !cJSON_AddStringToObject(o, "bucket", b))) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* The routes, slowest p99 first, into data; the slowest into worst. */
static int
add_routes(const struct wm_perf_hist_opts *o, const struct fam *f, cJSON *data, char *worst,
	   size_t wsize)
{
	const char *by[2] = {o->route_label, o->method_label};
	struct wm_prom_hist *a = NULL;
	struct ranked *v = NULL;
	size_t na = 0, k = 0;
	cJSON *arr = cJSON_AddArrayToObject(data, "routes");
	struct wm_err err = {0};
	int rc = -1;

	worst[0] = '\0';
	if (!arr || wm_hist_aggregate(f->d, f->nd, by, 2, &a, &na, &err) < 0 ||
	    !(v = calloc(na + 1, sizeof *v)))
		goto out;
	for (size_t i = 0; i < na; i++) {
		if (!((v[k].n = observations(&a[i])) > 0))
			continue;
		v[k].h = &a[i];
		for (int j = 0; j < 3; j++)
			v[k].q[j] = wm_hist_quantile(qs[j], a[i].buckets, a[i].nbuckets);
		k++;
	}
	qsort(v, k, sizeof *v, slowest_first);
	for (size_t i = 0; i < k && i < o->top; i++) {
		cJSON *r = cJSON_CreateObject();
		char name[300], b[64];

		if (!r)
			goto out;
		cJSON_AddItemToArray(arr, r);
		route_name(o, v[i].h, name, sizeof name);
		wm_hist_bucket_format(&v[i].q[2], b, sizeof b);
		if (i == 0)
			snprintf(worst, wsize, "%s, p99 %.3g s in %s", name, v[i].q[2].value, b);
		if (!cJSON_AddStringToObject(r, "route", name) ||
		    !cJSON_AddNumberToObject(r, "count", v[i].n) ||
		    !cJSON_AddItemToObject(r, "p50", quantile_json(&v[i].q[0])) ||
		    !cJSON_AddItemToObject(r, "p95", quantile_json(&v[i].q[1])) ||
		    !cJSON_AddItemToObject(r, "p99", quantile_json(&v[i].q[2])) ||
		    !cJSON_AddNumberToObject(r, "mean", wm_hist_mean(v[i].h)))
			goto out;
	}
	rc = 0;
out:
	free(v);
	wm_prom_hists_free(a, na);
	return rc;
}

/* Answers per status label value into data; the 5xx share into *ratio
 * (NAN when no series has the label). */
static int
add_statuses(const struct wm_perf_hist_opts *o, const struct fam *f, double total, cJSON *data,
	     double *ratio)
{
	struct wm_prom_hist *a = NULL;
	size_t na = 0;
	cJSON *st = cJSON_AddObjectToObject(data, "statuses");
	struct wm_err err = {0};
	double errors = 0;
	bool any = false;

	*ratio = NAN;
	if (!st || wm_hist_aggregate(f->d, f->nd, &o->status_label, 1, &a, &na, &err) < 0)
		return -1;
	for (size_t i = 0; i < na; i++) {
		const char *v = wm_prom_hist_label(&a[i], o->status_label);
		double n = observations(&a[i]);

		if (!v || n <= 0)
			continue;
		any = true;
		errors += v[0] == '5' ? n : 0;
		if (!cJSON_AddNumberToObject(st, v, n)) {
			wm_prom_hists_free(a, na);
			return -1;
		}
	}
	wm_prom_hists_free(a, na);
	if (any && total > 0)
		*ratio = errors / total;
	return 0;
}

/* The window's buckets, [[le, cumulative count], ...] (le "+Inf" for the
 * last), so that wm-run and wm-report can add windows and take quantiles of
 * the sum as PromQL would. */
static int
add_buckets(cJSON *d, const struct wm_prom_hist *h)
{
	cJSON *arr = cJSON_AddArrayToObject(d, "buckets");

	for (size_t i = 0; arr && i < h->nbuckets; i++) {
		cJSON *pair = cJSON_CreateArray();
		char le[32];

		if (isinf(h->buckets[i].le))
			snprintf(le, sizeof le, "+Inf");
		else
			snprintf(le, sizeof le, "%.17g", h->buckets[i].le);
		if (!pair)
			return -1;
		cJSON_AddItemToArray(arr, pair);
		if (!cJSON_AddItemToArray(pair, cJSON_CreateString(le)) ||
		    !cJSON_AddItemToArray(pair, cJSON_CreateNumber(h->buckets[i].count)))
			return -1;
	}
	return arr ? 0 : -1;
}

/* perf.app from the window's histogram of the requests. */
static int
http_check(struct wm_check *c, const struct wm_perf_hist_opts *o, const struct fam *f,
	   const struct window *w, const cJSON *prev, cJSON *next)
{
	struct wm_prom_hist *a = NULL;
	size_t na = 0;
	struct wm_err err = {0};
	struct wm_hist_q q[3];
	double n, lo, hi, ratio, rpm, prev_p99 = wm_sample_num(prev, "p99");
	double prev_n = wm_sample_num(prev, "requests");
	char b99[64], bmax[64], worst[400], rate[48] = "";
	cJSON *d = wm_check_data(c);
	int rc = -1;

	if (wm_hist_aggregate(f->d, f->nd, NULL, 0, &a, &na, &err) < 0)
		return -1;
	n = na ? observations(&a[0]) : 0;
	rpm = w->seconds > 0 ? n / (w->seconds / 60.0) : NAN;
	if (!isnan(rpm))
		snprintf(rate, sizeof rate, ", %.1f/min", rpm);
	if (metric(c, "requests", n, "", NULL) < 0 ||
	    (!isnan(rpm) && metric(c, "throughput", rpm, "", NULL) < 0) ||
	    !cJSON_AddNumberToObject(next, "requests", n))
		goto out;
	if (n <= 0) {
		wm_check_set(c, WM_OK, "no requests %s (app histogram %s)", w->words,
			     o->http_family);
		rc = 0;
		goto out;
	}
	for (int j = 0; j < 3; j++)
		q[j] = wm_hist_quantile(qs[j], a[0].buckets, a[0].nbuckets);
	max_bucket(&a[0], &lo, &hi);
	fmt_bucket(lo, hi, bmax, sizeof bmax);
	wm_hist_bucket_format(&q[2], b99, sizeof b99);
	if (metric(c, "p50", q[0].value, "s", NULL) < 0 ||
	    metric(c, "p95", q[1].value, "s", NULL) < 0 ||
	    metric(c, "p99", q[2].value, "s", WM_PERF_P99_WARN) < 0 ||
	    metric(c, "max", isinf(hi) ? NAN : hi, "s", NULL) < 0 ||
	    metric(c, "mean", wm_hist_mean(&a[0]), "s", NULL) < 0 ||
	    add_statuses(o, f, n, d, &ratio) < 0 ||
	    (!isnan(ratio) && metric(c, "error_ratio", ratio, "", NULL) < 0) ||
	    !cJSON_AddItemToObject(d, "p50", quantile_json(&q[0])) ||
	    !cJSON_AddItemToObject(d, "p95", quantile_json(&q[1])) ||
	    !cJSON_AddItemToObject(d, "p99", quantile_json(&q[2])) ||
	    !cJSON_AddStringToObject(d, "max_bucket", bmax) || add_buckets(d, &a[0]) < 0 ||
	    add_routes(o, f, d, worst, sizeof worst) < 0)
		goto out;
	if ((!isnan(q[2].value) && !cJSON_AddNumberToObject(next, "p99", q[2].value)) ||
	    (!isnan(ratio) && !cJSON_AddNumberToObject(next, "error_ratio", ratio)))
		goto out;
	/* degradation: against the previous window, when both say enough: the
	 * p99's ratio, or the 5xx share's (each plus one point, so that 0 -> 0.2 %
	 * is not infinitely worse), whichever is worse */
	if (!w->first && n >= WM_PERF_DEGRADATION_MIN && prev_n >= WM_PERF_DEGRADATION_MIN &&
	    prev_p99 > 0 && !isnan(q[2].value)) {
		double deg = q[2].value / prev_p99, prev_err = wm_sample_num(prev, "error_ratio");

		if (!isnan(ratio) && !isnan(prev_err) &&
		    (ratio + WM_PERF_ERR_FLOOR) / (prev_err + WM_PERF_ERR_FLOOR) > deg)
			deg = (ratio + WM_PERF_ERR_FLOOR) / (prev_err + WM_PERF_ERR_FLOOR);
		if (metric(c, "degradation", deg, "", WM_PERF_DEGRADATION_WARN) < 0 ||
		    !cJSON_AddNumberToObject(d, "previous_p99", prev_p99) ||
		    (!isnan(prev_err) &&
		     !cJSON_AddNumberToObject(d, "previous_error_ratio", prev_err)))
			goto out;
	}
	wm_check_set(c, WM_OK,
		     "p99 %.3g s in %s, p95 %.3g s, p50 %.3g s, mean %.3g s, max in %s; %.0f "
		     "requests%s %s (app histogram)%s%s",
		     q[2].value, b99, q[1].value, q[0].value, wm_hist_mean(&a[0]), bmax, n, rate,
		     w->words, worst[0] ? "; slowest " : "", worst);
	rc = 0;
out:
	wm_prom_hists_free(a, na);
	return rc;
}

/* The DB query time over the window into *db. */
static void
db_app(const struct wm_perf_hist_opts *o, const struct fam *f, const struct window *w,
       struct wm_perf_db_app *db)
{
	struct wm_prom_hist *a = NULL;
	size_t na = 0;
	struct wm_err err = {0};
	struct wm_hist_q q;

	memset(db, 0, sizeof *db);
	if (!f->found) {
		snprintf(db->why, sizeof db->why, "no %s in the application's metrics",
			 o->db_family);
		return;
	}
	if (wm_hist_aggregate(f->d, f->nd, NULL, 0, &a, &na, &err) < 0) {
		snprintf(db->why, sizeof db->why, "%s", err.msg);
		return;
	}
	db->count = na ? observations(&a[0]) : 0;
	if (db->count > 0) {
		q = wm_hist_quantile(0.95, a[0].buckets, a[0].nbuckets);
		db->valid = !isnan(q.value);
		db->p95 = q.value;
		db->lower = q.lower;
		db->upper = q.upper;
	}
	if (!db->valid)
		snprintf(db->why, sizeof db->why, "no queries in %s %s", o->db_family, w->words);
	wm_prom_hists_free(a, na);
}

static void
defaults(struct wm_perf_hist_opts *o)
{
	if (!o->http_family)
		o->http_family = WM_PERF_HTTP_FAMILY;
	if (!o->db_family)
		o->db_family = WM_PERF_DB_FAMILY;
	if (!o->route_label)
		o->route_label = WM_PERF_ROUTE_LABEL;
	if (!o->method_label)
		o->method_label = WM_PERF_METHOD_LABEL;
	if (!o->status_label)
		o->status_label = WM_PERF_STATUS_LABEL;
	if (!o->top)
		o->top = WM_PERF_TOP;
	if (!o->url)
		o->url = "the metrics URL";
}

/* The sample to keep: the families as text, the time, the start time. */
static cJSON *
sample_of(const struct wm_perf_hist_opts *o, const struct wm_prom_doc *cur, int64_t now_ms,
	  double start)
{
	const char *fams[2] = {o->http_family, o->db_family};
	cJSON *next = cJSON_CreateObject();
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	bool ok = f != NULL;

	for (int i = 0; ok && i < 2; i++) {
		struct wm_prom_hist *h = NULL;
		size_t n = 0;
		struct wm_err err = {0};

		if (!*fams[i] || wm_prom_histograms(cur, fams[i], &h, &n, &err) < 0)
			continue;
		put_family(f, fams[i], h, n);
		wm_prom_hists_free(h, n);
	}
	if (f && fclose(f) != 0)
		ok = false;
	if (!ok || !next || !cJSON_AddNumberToObject(next, "time_ms", (double)now_ms) ||
	    !cJSON_AddStringToObject(next, "text", buf ? buf : "") ||
	    (!isnan(start) && !cJSON_AddNumberToObject(next, "start", start))) {
		cJSON_Delete(next);
		next = NULL;
	}
	free(buf);
	return next;
}

int
wm_perf_hist_report(struct wm_result *r, const struct wm_perf_hist_opts *opts, const char *text,
		    size_t len, const cJSON *prev, int64_t now_ms, cJSON **next,
		    struct wm_perf_db_app *db)
{
	struct wm_perf_hist_opts o = *opts;
	struct wm_prom_doc *cur, *pd = NULL;
	struct wm_err err = {0}, perr = {0};
	struct window w = {0};
	struct fam hf = {0}, df = {0};
	struct wm_prom_hist *ch = NULL, *cd = NULL;
	size_t nch = 0, ncd = 0;
	const char *ptext = wm_sample_str(prev, "text");
	struct wm_check *c = wm_result_add_check(r, "perf.app");
	cJSON *d;
	int rc = -1;

	defaults(&o);
	*next = NULL;
	if (prev && !cJSON_GetObjectItemCaseSensitive(prev, "text"))
		prev = NULL; /* a sample of the other sources only */
	memset(db, 0, sizeof *db);
	snprintf(db->why, sizeof db->why, "the application's metrics could not be read");
	if (!c || !(d = wm_check_data(c)))
		return -1;
	if (!(cur = wm_prom_parse(text, len, &err))) {
		if (err.code == WM_ENOMEM)
			return -1;
		wm_check_set(c, WM_UNKNOWN, "the metrics from %s do not parse: %s", o.url, err.msg);
		return 0;
	}
	if (prev && !(pd = wm_prom_parse(ptext, strlen(ptext), &perr)) && perr.code == WM_ENOMEM)
		goto out;
	w.first = !pd;
	if (prev && !pd && !cJSON_AddStringToObject(d, "previous_sample", "unreadable: ignored"))
		goto out;
	window_of(&w, prev, start_time(cur), wm_sample_num(prev, "start"), now_ms);
	if (family_delta(pd, cur, o.http_family, &hf, &ch, &nch, &err) < 0 ||
	    (*o.db_family && family_delta(pd, cur, o.db_family, &df, &cd, &ncd, &err) < 0)) {
		if (err.code == WM_ENOMEM)
			goto out;
		wm_check_set(c, WM_UNKNOWN, "the metrics from %s: %s", o.url, err.msg);
		rc = 0;
		goto out;
	}
	if (!(*next = sample_of(&o, cur, now_ms, start_time(cur))))
		goto out;
	if (!cJSON_AddStringToObject(d, "source", "app histogram") ||
	    !cJSON_AddStringToObject(d, "family", o.http_family) ||
	    !cJSON_AddStringToObject(d, "url", o.url) ||
	    !cJSON_AddStringToObject(d, "window", w.words) ||
	    (!isnan(w.seconds) && !cJSON_AddNumberToObject(d, "window_s", w.seconds)) ||
	    !cJSON_AddBoolToObject(d, "first_sample", w.first) ||
	    !cJSON_AddBoolToObject(d, "counter_reset", hf.reset || w.restarted) ||
	    !cJSON_AddNumberToObject(d, "new_series", (double)hf.fresh) ||
	    !cJSON_AddStringToObject(d, "accuracy",
				     "histogram_quantile: linear within the bucket, exact only to "
				     "the bucket's width; max is the highest non-empty bucket"))
		goto out;
	if (!hf.found) {
		wm_check_set(c, WM_UNKNOWN, "no histogram %s in the metrics from %s", o.http_family,
			     o.url);
	} else if (http_check(c, &o, &hf, &w, prev, *next) < 0) {
		goto out;
	}
	if (*o.db_family)
		db_app(&o, &df, &w, db);
	else
		snprintf(db->why, sizeof db->why, "no DB histogram configured");
	rc = 0;
out:
	if (rc < 0) {
		cJSON_Delete(*next);
		*next = NULL;
	}
	fam_free(&hf);
	fam_free(&df);
	wm_prom_hists_free(ch, nch);
	wm_prom_hists_free(cd, ncd);
	wm_prom_free(pd);
	wm_prom_free(cur);
	return rc;
}

int
wm_perf_db_report(struct wm_result *r, const struct wm_perf_db_app *app,
		  const struct wm_perf_db_pg *pg, enum wm_perf_db_source record)
{
	struct wm_check *c = wm_result_add_check(r, "perf.db");
	struct wm_hist_q q = {app->p95, app->lower, app->upper};
	char b[64], a_txt[320], p_txt[320];
	const char *judged;
	bool use_app;
	double v;
	cJSON *d;

	if (!c || !(d = wm_check_data(c)))
		return -1;
	wm_hist_bucket_format(&q, b, sizeof b);
	if (app->valid)
		snprintf(a_txt, sizeof a_txt, "%.3g s in %s (app histogram, %.0f queries)",
			 app->p95, b, app->count);
	else
		snprintf(a_txt, sizeof a_txt, "none from the app histogram (%s)", app->why);
	if (pg->valid)
		snprintf(p_txt, sizeof p_txt, "%.3g s (pg_stat_statements estimate, %.0f calls)",
			 pg->p95, pg->calls);
	else
		snprintf(p_txt, sizeof p_txt, "none from pg_stat_statements (%s)", pg->why);
	/* the source of record, else the other when it has no figure */
	if (record == WM_PERF_DB_APP)
		use_app = app->valid || !pg->valid;
	else if (record == WM_PERF_DB_PG)
		use_app = !pg->valid && app->valid;
	else
		use_app = app->valid && (!pg->valid || app->p95 >= pg->p95);
	judged = use_app ? (app->valid ? "app histogram" : NULL)
			 : (pg->valid ? "pg_stat_statements" : NULL);
	if (!cJSON_AddItemToObject(d, "app_histogram",
				   app->valid ? quantile_json(&q) : cJSON_CreateString(app->why)) ||
	    !cJSON_AddItemToObject(d, "pg_stat_statements",
				   pg->valid ? cJSON_CreateNumber(pg->p95)
					     : cJSON_CreateString(pg->why)) ||
	    !cJSON_AddItemToObject(d, "judged",
				   judged ? cJSON_CreateString(judged) : cJSON_CreateNull()))
		return -1;
	if (!judged) {
		wm_check_set(c, WM_UNKNOWN, "no DB query p95: %s; %s", a_txt, p_txt);
		return 0;
	}
	v = strcmp(judged, "app histogram") == 0 ? app->p95 : pg->p95;
	if (metric(c, "db_p95", v, "s", WM_PERF_DB_P95_WARN) < 0)
		return -1;
	wm_check_set(c, WM_OK, "DB query p95 %s; %s; judged: %s", a_txt, p_txt, judged);
	return 0;
}
