/* report_judge.c - the success criteria judged on counted reads (see
 * report.h and wm-report(1), which defines every criterion operationally);
 * report_verdict.c judges the others and gives the verdict. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/histogram.h"
#include "model/sketch.h"
#include "run/report_int.h"

void
wm_report_crit_set(struct wm_report_criterion *c, enum wm_report_status s, double value,
		   const char *fmt, ...)
{
	va_list ap;

	c->status = s;
	c->value = value;
	va_start(ap, fmt);
	vsnprintf(c->measured, sizeof(c->measured), fmt, ap);
	va_end(ap);
}

void
wm_report_not_measured(struct wm_report_criterion *c, const char *why)
{
	wm_report_crit_set(c, WM_REPORT_NOT_MEASURED, NAN, "not measured");
	wm_report_fmt(c->evidence, sizeof(c->evidence), "%s", why);
}

static void
judge_errors(struct wm_report *r, const struct wm_report_read **v)
{
	struct wm_report_criterion *c = &r->crit[WM_CRIT_CRITICAL_ERRORS];
	size_t n = wm_report_reads_of(r, READ_ERRORS, NULL, v), k;
	const struct wm_report_read *w = wm_report_worst(v, n, false);
	double crit = 0, errs = 0, one_crit = 0, one_errs = 0;
	int64_t covered;
	char at[64], line[160] = "";

	wm_report_fmt(c->threshold, sizeof(c->threshold), "<= %g", r->opts.critical_limit);
	if (w) {
		/* the worst window by critical lines */
		for (size_t i = 0; i < n; i++)
			if (v[i]->b > w->b)
				w = v[i];
		wm_report_when(w, at, sizeof(at));
		wm_report_fmt(c->worst, sizeof(c->worst), "%s: %g critical lines, %g errors", at,
			      w->b, w->a);
	}
	if (w && *w->line)
		wm_report_fmt(line, sizeof(line), "%s", w->line);
	for (size_t i = 0; i < n; i++) {   /* before wm_report_cover(), which reorders v */
		if (!*line && *v[i]->line) /* a critical line, from the worst read or else */
			wm_report_fmt(line, sizeof(line), "%s", v[i]->line);
		if (!isnan(v[i]->b) && v[i]->b > one_crit)
			one_crit = v[i]->b;
		if (!isnan(v[i]->a) && v[i]->a > one_errs)
			one_errs = v[i]->a;
	}
	k = wm_report_cover(r, v, n, &covered);
	if (k == 0) {
		wm_report_not_measured(c, "no wm-errors read covers any of the run");
		return;
	}
	for (size_t i = 0; i < k; i++) {
		crit += isnan(v[i]->b) ? 0 : v[i]->b;
		errs += v[i]->a;
	}
	/* the covering reads may miss lines a single read saw (containers
	 * recreated: their old logs are gone): never fewer than the worst read */
	crit = crit > one_crit ? crit : one_crit;
	errs = errs > one_errs ? errs : one_errs;
	r->total_errors = errs;
	r->critical_errors = crit;
	wm_report_coverage(r, c->source, sizeof(c->source), "wm-errors critical_lines", k, covered,
			   v);
	wm_report_crit_set(c, crit <= r->opts.critical_limit ? WM_REPORT_MET : WM_REPORT_FAILED,
			   crit, "%g critical lines (%g errors)", crit, errs);
	if (c->status == WM_REPORT_FAILED)
		wm_report_fmt(c->evidence, sizeof(c->evidence),
			      "%g critical lines in the logs, over the limit of %g; worst %s%s%s",
			      crit, r->opts.critical_limit, c->worst, *line ? "; e.g. " : "", line);
}

static void
judge_security(struct wm_report *r, const struct wm_report_read **v)
{
	struct wm_report_criterion *c = &r->crit[WM_CRIT_SECURITY];
	size_t n = wm_report_reads_of(r, READ_SECURITY, NULL, v), k, incs = 0;
	const struct wm_report_read *w = wm_report_worst(v, n, false);
	char at[64], list[WM_REPORT_TEXT_MAX] = "";
	double sum = 0, one = 0;
	int64_t covered;

	wm_report_fmt(c->threshold, sizeof(c->threshold), "0");
	if (w) {
		wm_report_when(w, at, sizeof(at));
		wm_report_fmt(c->worst, sizeof(c->worst), "%s: %g violations", at, w->a);
	}
	for (size_t i = 0; i < r->n_incidents; i++) {
		const struct wm_report_incident *inc = &r->incidents[i];
		size_t len = strlen(list);
		char off[32];

		if (strcmp(inc->kind, "unauthorized") != 0 && strcmp(inc->kind, "2fa") != 0)
			continue;
		incs++;
		wm_report_offset(inc->opened_ms, off, sizeof(off));
		wm_report_fmt(list + len, sizeof(list) - len, "%s%s (%s %s, opened %s)",
			      len ? ", " : "", inc->id, inc->kind, inc->subject, off);
	}
	for (size_t i = 0; i < n; i++) /* before wm_report_cover(), which reorders v */
		if (!isnan(v[i]->a) && v[i]->a > one)
			one = v[i]->a;
	k = wm_report_cover(r, v, n, &covered);
	if (k == 0 && incs == 0) {
		wm_report_not_measured(c, "no wm-security read covers any of the run");
		return;
	}
	for (size_t i = 0; i < k; i++)
		sum += v[i]->a;
	if (one > sum) /* never fewer than the worst single read */
		sum = one;
	if (k)
		wm_report_coverage(r, c->source, sizeof(c->source),
				   "wm-security security.violations and security incidents", k,
				   covered, v);
	else
		wm_report_fmt(c->source, sizeof(c->source),
			      "security incidents (no wm-security read)");
	wm_report_crit_set(c, sum == 0 && incs == 0 ? WM_REPORT_MET : WM_REPORT_FAILED,
			   sum + (double)incs, "%g violations, %zu security incident%s", sum, incs,
			   incs == 1 ? "" : "s");
	if (c->status == WM_REPORT_FAILED)
		wm_report_fmt(c->evidence, sizeof(c->evidence), "%g violations%s%s%s%s", sum,
			      *c->worst ? " (worst " : "", c->worst, *c->worst ? ")" : "",
			      incs ? "; incidents " : "");
	if (c->status == WM_REPORT_FAILED && incs) {
		size_t len = strlen(c->evidence);

		wm_report_fmt(c->evidence + len, sizeof(c->evidence) - len, "%s", list);
	}
}

/* The perf check judged for p99: perf.nginx (every request, as clients saw
 * them) when there is one, else the first perf source read. */
static const char *
p99_source(const struct wm_report *r)
{
	const char *first = NULL;

	for (size_t i = 0; i < r->in->n_reads; i++) {
		const struct wm_report_read *d = &r->in->reads[i];

		if (d->kind != READ_PERF)
			continue;
		if (!strcmp(d->check, "perf.nginx"))
			return d->check;
		first = first ? first : d->check;
	}
	return first;
}

/* The q-quantile of the merged sketches of v[0..n), NAN when one has none. */
static double
merged(const struct wm_report_read **v, size_t n, double q, double *mean)
{
	struct wm_sketch *all = NULL;
	double x = NAN;

	for (size_t i = 0; i < n; i++) {
		struct wm_sketch *s;

		if (!v[i]->sketch ||
		    !(s = wm_sketch_parse(v[i]->sketch, strlen(v[i]->sketch), NULL)))
			goto out;
		if (!all)
			all = s;
		else if (wm_sketch_merge(all, s, NULL) != 0) {
			wm_sketch_free(s);
			goto out;
		} else
			wm_sketch_free(s);
	}
	if (all && wm_sketch_count(all)) {
		x = wm_sketch_quantile(all, q);
		*mean = wm_sketch_sum(all) / (double)wm_sketch_count(all);
	}
out:
	wm_sketch_free(all);
	return x;
}

/* One [le, count] pair of a window's buckets (le a number or "+Inf"). */
static bool
bucket(const cJSON *pair, double *le, double *count)
{
	const cJSON *l = cJSON_GetArrayItem(pair, 0), *c = cJSON_GetArrayItem(pair, 1);
	char *end;

	if (!cJSON_IsNumber(c) || !(c->valuedouble >= 0) || cJSON_GetArraySize(pair) != 2)
		return false;
	*count = c->valuedouble;
	if (cJSON_IsNumber(l)) {
		*le = l->valuedouble;
		return true;
	}
	if (!cJSON_IsString(l))
		return false;
	*le = strtod(l->valuestring, &end);
	return end != l->valuestring && !*end && !isnan(*le);
}

/* histogram_quantile(q) of the windows' buckets added up (wm-perf's
 * perf.app: the application's histogram), NAN unless every read has
 * buckets with the same bounds. */
static double
merged_buckets(const struct wm_report_read **v, size_t n, double q)
{
	struct wm_prom_bucket *sum = NULL;
	size_t nb = 0;
	double x = NAN;

	for (size_t i = 0; i < n; i++) {
		const cJSON *b = v[i]->buckets, *pair;
		size_t k = 0;

		if (!cJSON_IsArray(b) || (i && (size_t)cJSON_GetArraySize(b) != nb))
			goto out;
		if (!i) {
			nb = (size_t)cJSON_GetArraySize(b);
			if (!nb || nb > 4096 || !(sum = calloc(nb, sizeof(*sum))))
				goto out;
		}
		cJSON_ArrayForEach(pair, b)
		{
			double le, count;

			if (!bucket(pair, &le, &count) || (i && le != sum[k].le))
				goto out;
			sum[k].le = le;
			sum[k++].count += count;
		}
	}
	if (sum)
		x = wm_hist_quantile(q, sum, nb).value;
out:
	free(sum);
	return x;
}

static void
judge_p99(struct wm_report *r, const struct wm_report_read **v)
{
	struct wm_report_criterion *c = &r->crit[WM_CRIT_P99];
	const char *check = p99_source(r);
	size_t n = check ? wm_report_reads_of(r, READ_PERF, check, v) : 0, k;
	const struct wm_report_read *w = wm_report_worst(v, n, false);
	double p99, mean = NAN;
	int64_t covered;
	char at[64];

	wm_report_fmt(c->threshold, sizeof(c->threshold), "< %g s", r->opts.p99_max_s);
	r->mean_response_s = NAN;
	if (!w) {
		wm_report_not_measured(c, "no wm-perf result with a p99");
		return;
	}
	wm_report_when(w, at, sizeof(at));
	wm_report_fmt(c->worst, sizeof(c->worst), "%s: %.3g s", at, w->a);
	k = wm_report_cover(r, v, n, &covered);
	p99 = k ? merged(v, k, 0.99, &mean) : NAN;
	if (!isnan(p99)) {
		char what[96];

		wm_report_fmt(what, sizeof(what), "%s, the merged sketches", check);
		wm_report_coverage(r, c->source, sizeof(c->source), what, k, covered, v);
		r->mean_response_s = mean;
	} else if (k && !isnan(p99 = merged_buckets(v, k, 0.99))) {
		char what[96];

		wm_report_fmt(what, sizeof(what),
			      "%s, histogram_quantile of the windows' buckets added up", check);
		wm_report_coverage(r, c->source, sizeof(c->source), what, k, covered, v);
	} else {
		p99 = w->a;
		wm_report_fmt(c->source, sizeof(c->source),
			      "%s, the worst of %zu windows (no sketches or buckets to merge)",
			      check, n);
	}
	wm_report_crit_set(c, p99 < r->opts.p99_max_s ? WM_REPORT_MET : WM_REPORT_FAILED, p99,
			   "p99 %.3g s", p99);
	if (c->status == WM_REPORT_FAILED)
		wm_report_fmt(c->evidence, sizeof(c->evidence),
			      "p99 %.3g s over the day, not under %g s; "
			      "worst %s",
			      p99, r->opts.p99_max_s, c->worst);
}

static void
judge_hit_rate(struct wm_report *r, const struct wm_report_read **v)
{
	struct wm_report_criterion *c = &r->crit[WM_CRIT_HIT_RATE];
	size_t n = wm_report_reads_of(r, READ_CACHE, NULL, v), used = 0;
	double hits = 0, misses = 0, low = NAN, rate;
	bool all_first = true;
	const struct wm_report_read *w = NULL;
	char at[64];

	wm_report_fmt(c->threshold, sizeof(c->threshold), "> %g %%", r->opts.hit_rate_min);
	for (size_t i = 0; i < n; i++)
		all_first = all_first && v[i]->first;
	for (size_t i = 0; i < n; i++) {
		double t = v[i]->a + v[i]->b;

		if ((v[i]->first && !all_first) || t <= 0)
			continue; /* since Redis started: not this run's lookups */
		hits += v[i]->a;
		misses += v[i]->b;
		used++;
		if (isnan(low) || v[i]->a / t < low) {
			low = v[i]->a / t;
			w = v[i];
		}
	}
	if (hits + misses <= 0) {
		wm_report_not_measured(c, "no wm-cache read with key lookups");
		return;
	}
	wm_report_when(w, at, sizeof(at));
	wm_report_fmt(c->worst, sizeof(c->worst), "%s: %.1f %%", at, 100 * low);
	rate = 100 * hits / (hits + misses);
	r->day_hit_rate = rate;
	wm_report_fmt(c->source, sizeof(c->source),
		      "wm-cache keyspace hits and misses summed over %zu reads%s", used,
		      all_first ? " (since Redis started)" : "");
	wm_report_crit_set(c, rate > r->opts.hit_rate_min ? WM_REPORT_MET : WM_REPORT_FAILED, rate,
			   "%.1f %% (%.0f hits, %.0f misses)", rate, hits, misses);
	if (c->status == WM_REPORT_FAILED)
		wm_report_fmt(c->evidence, sizeof(c->evidence),
			      "hit rate %.1f %% over the day, not "
			      "over %g %%; worst %s",
			      rate, r->opts.hit_rate_min, c->worst);
}

/* The database p95: wm-perf's perf.db when the run has it (its db_p95 is
 * the figure of its source of record, named in its data's "judged": the app
 * histogram or pg_stat_statements, [perf] db_p95_source), else wm-db's
 * pg.statements estimate.  Per-window estimates do not merge: the worst
 * window is judged. */
static void
judge_db(struct wm_report *r, const struct wm_report_read **v)
{
	struct wm_report_criterion *c = &r->crit[WM_CRIT_DB_P95];
	size_t n = wm_report_reads_of(r, READ_DB, "perf.db", v);
	const struct wm_report_read *w;
	char at[64], judged[96] = "";

	wm_report_fmt(c->threshold, sizeof(c->threshold), "< %g ms", 1000 * r->opts.db_p95_max_s);
	if (!n)
		n = wm_report_reads_of(r, READ_DB, NULL, v);
	if (!(w = wm_report_worst(v, n, false))) {
		wm_report_not_measured(c, "no wm-perf perf.db nor wm-db pg.statements p95");
		return;
	}
	for (size_t i = 0; i < n; i++) { /* every source of record the reads named */
		size_t len = strlen(judged);

		if (*v[i]->judged && !strstr(judged, v[i]->judged))
			wm_report_fmt(judged + len, sizeof(judged) - len, "%s%s", len ? ", " : "",
				      v[i]->judged);
	}
	wm_report_when(w, at, sizeof(at));
	wm_report_fmt(c->worst, sizeof(c->worst), "%s: %.0f ms (%s%s%s)", at, 1000 * w->a, w->check,
		      *w->judged ? ", " : "", w->judged);
	if (!strcmp(w->check, "perf.db"))
		wm_report_fmt(c->source, sizeof(c->source),
			      "wm-perf perf.db db_p95, its source of record: %s; the worst of %zu "
			      "windows (an estimate per window, which does not merge)",
			      *judged ? judged : "not named", n);
	else
		wm_report_fmt(
		    c->source, sizeof(c->source),
		    "wm-db %s p95 (no wm-perf perf.db read), the worst of %zu windows (an "
		    "estimate per window, which does not merge)",
		    w->check, n);
	wm_report_crit_set(c, w->a < r->opts.db_p95_max_s ? WM_REPORT_MET : WM_REPORT_FAILED, w->a,
			   "p95 %.0f ms", 1000 * w->a);
	if (c->status == WM_REPORT_FAILED)
		wm_report_fmt(c->evidence, sizeof(c->evidence),
			      "database p95 %.0f ms at %s, not under "
			      "%g ms",
			      1000 * w->a, at, 1000 * r->opts.db_p95_max_s);
}

/* The criteria judged on counted reads: critical errors, security, p99,
 * hit rate, database p95.  v holds room for every read. */
void
wm_report_judge_reads(struct wm_report *r, const struct wm_report_read **v)
{
	judge_errors(r, v);
	judge_security(r, v);
	judge_p99(r, v);
	judge_hit_rate(r, v);
	judge_db(r, v);
}
