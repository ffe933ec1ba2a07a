/* render_prom.c - Prometheus/OpenMetrics text for node_exporter's textfile
 * collector (and `promtool check metrics`).
 *
 *   # HELP wm_result_state Overall state of the run: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
 *   # TYPE wm_result_state gauge
 *   wm_result_state{tool="wm-cache",target="prod"} 2
 *   ... wm_result_timestamp_seconds, wm_result_duration_seconds,
 *   wm_check_state{tool="wm-cache",target="prod",check="redis.ping"} 2
 *   # HELP wm_redis_hit_rate_ratio hit_rate of check redis.hit_rate (% / 100).
 *   # TYPE wm_redis_hit_rate_ratio gauge
 *   wm_redis_hit_rate_ratio{tool="wm-cache",target="prod",check="redis.hit_rate"} 0.912
 *   # EOF
 *
 * A metric's family is wm_<check>_<metric><suffix>, every character outside
 * [a-zA-Z0-9_] becoming '_'; the metric part is left out when the check's
 * last dotted component already is the metric name.  Units: s, ms, us ->
 * _seconds (converted); B, KB, MB, GB, TB -> _bytes (x1024 steps); % ->
 * _ratio (divided by 100); anything else -> no suffix, value as is.  Every
 * family is a gauge (a Nagios "c" counter too: its samples are what one run
 * saw).  An unknown value is NaN.  Families are grouped: samples of checks
 * whose names sanitise alike share one # HELP/# TYPE block; a metric repeated
 * within a check (same family, same check label) is printed once, the first;
 * a family that would take one of the fixed names above gets "_value"; a
 * check name given twice has one wm_check_state series (the first).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render_impl.h"

#define FAMILY_MAX 256

struct unit_map {
	const char *unit;
	const char *suffix;
	double scale; /* multiply by scale, or divide by it when divide */
	bool divide;  /* division keeps 91.2 % -> 0.912 exact */
};

static const struct unit_map units[] = {
    {"s", "_seconds", 1.0, false},
    {"ms", "_seconds", 1e3, true},
    {"us", "_seconds", 1e6, true},
    {"B", "_bytes", 1.0, false},
    {"KB", "_bytes", 1024.0, false},
    {"MB", "_bytes", 1024.0 * 1024, false},
    {"GB", "_bytes", 1024.0 * 1024 * 1024, false},
    {"TB", "_bytes", 1024.0 * 1024 * 1024 * 1024, false},
    {"%", "_ratio", 100.0, true},
};

static const struct unit_map *
unit_of(const char *unit)
{
	static const struct unit_map none = {"", "", 1.0, false};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(unit, units[i].unit) == 0)
			return &units[i];
	return &none;
}

/* The value of m in the family's base unit. */
static double
scaled(const struct wm_metric *m)
{
	const struct unit_map *u = unit_of(m->unit);

	return u->divide ? m->value / u->scale : m->value * u->scale;
}

/* Append s to buf (at *n): characters outside [a-zA-Z0-9_] become '_', and
 * a run of '_' is kept as one. */
static void
append_name(char *buf, size_t *n, const char *s)
{
	for (; *s && *n + 1 < FAMILY_MAX; s++) {
		char ch = *s;
		bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			  (ch >= '0' && ch <= '9');

		if (!ok && *n > 0 && buf[*n - 1] == '_')
			continue;
		buf[(*n)++] = ok ? ch : '_';
	}
	buf[*n] = '\0';
}

/* The families every output has; a metric never takes their names. */
static const char *const reserved[] = {
    "wm_result_state",
    "wm_result_timestamp_seconds",
    "wm_result_duration_seconds",
    "wm_check_state",
};

static void
family_name(char *buf, const struct wm_check *c, const struct wm_metric *m)
{
	const char *last = strrchr(c->name, '.');
	size_t n = 0;

	last = last ? last + 1 : c->name;
	append_name(buf, &n, "wm_");
	append_name(buf, &n, c->name);
	if (strcmp(last, m->name) != 0) {
		append_name(buf, &n, "_");
		append_name(buf, &n, m->name);
	}
	if (n > 0 && buf[n - 1] == '_')
		buf[--n] = '\0';
	append_name(buf, &n, unit_of(m->unit)->suffix);
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (strcmp(buf, reserved[i]) == 0)
			append_name(buf, &n, "_value");
}

/* s as a label value (quote true: \\, \" and \n escaped) or in a HELP line
 * (quote false: \\ and \n escaped), made UTF-8 clean first. */
static void
put_escaped(FILE *out, const char *s, bool quote)
{
	char *clean = wm_render_utf8(s);

	for (const char *p = clean ? clean : ""; *p; p++) {
		if (*p == '\\' || (quote && *p == '"'))
			fprintf(out, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", out);
		else
			putc(*p, out);
	}
	free(clean);
}

/* {tool="…",target="…"[,check="…"]} */
static void
put_labels(FILE *out, const struct wm_result *r, const struct wm_check *c)
{
	fputs("{tool=\"", out);
	put_escaped(out, r->tool, true);
	fputs("\",target=\"", out);
	put_escaped(out, r->target, true);
	if (c) {
		fputs("\",check=\"", out);
		put_escaped(out, c->name, true);
	}
	fputs("\"}", out);
}

static void
put_value(FILE *out, double v)
{
	char buf[64];

	if (isnan(v))
		fputs(" NaN\n", out);
	else if (isinf(v))
		fputs(v > 0 ? " +Inf\n" : " -Inf\n", out);
	else {
		wm_render_double(buf, sizeof(buf), v);
		fprintf(out, " %s\n", buf);
	}
}

static void
put_header(FILE *out, const char *family, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", family, help, family);
}

/* "# HELP fam hit_rate of check redis.hit_rate (unit %)." and the TYPE line. */
static void
put_metric_help(FILE *out, const char *family, const struct wm_check *c, const struct wm_metric *m)
{
	fprintf(out, "# HELP %s ", family);
	put_escaped(out, m->name, false);
	fputs(" of check ", out);
	put_escaped(out, c->name, false);
	if (m->unit[0]) {
		fputs(" (unit ", out);
		put_escaped(out, m->unit, false);
		putc(')', out);
	}
	fprintf(out, ".\n# TYPE %s gauge\n", family);
}

/* One metric sample to print: its family name and where it comes from. */
struct sample {
	char family[FAMILY_MAX];
	const struct wm_check *check;
	const struct wm_metric *metric;
	size_t index; /* order in the result */
	bool repeat;  /* same family and check as an earlier one: left out */
};

/* A family: a run of samples (sorted by index) in the sorted array. */
struct group {
	size_t start;
	size_t len;
};

static int
by_family_check_index(const void *pa, const void *pb)
{
	const struct sample *a = pa, *b = pb;
	int c = strcmp(a->family, b->family);

	if (c == 0)
		c = strcmp(a->check->name, b->check->name);
	return c ? c : (a->index > b->index) - (a->index < b->index);
}

static int
by_index(const void *pa, const void *pb)
{
	const struct sample *a = pa, *b = pb;

	return (a->index > b->index) - (a->index < b->index);
}

/* Groups in order of first appearance: by the index of their first sample
 * (samples are the qsort_r context: no global state). */
static int
by_first_index(const void *pa, const void *pb, void *samples)
{
	const struct group *a = pa, *b = pb;
	const struct sample *v = samples;

	return by_index(&v[a->start], &v[b->start]);
}

/* All samples of r, grouped by family: families in order of first
 * appearance, samples in result order, a repeated series marked.  Returns
 * the groups (count in *ngroups) and the samples in *out; NULL on ENOMEM. */
static struct group *
group_samples(const struct wm_result *r, struct sample **out, size_t *ngroups)
{
	size_t n = 0, k = 0, g = 0;
	struct sample *v;
	struct group *groups;

	for (size_t i = 0; i < r->nchecks; i++)
		n += r->checks[i]->nmetrics;
	v = calloc(n ? n : 1, sizeof(*v));
	groups = calloc(n ? n : 1, sizeof(*groups));
	if (!v || !groups) {
		free(v);
		free(groups);
		return NULL;
	}
	for (size_t i = 0; i < r->nchecks; i++) {
		for (size_t j = 0; j < r->checks[i]->nmetrics; j++, k++) {
			v[k].check = r->checks[i];
			v[k].metric = &r->checks[i]->metrics[j];
			v[k].index = k;
			family_name(v[k].family, v[k].check, v[k].metric);
		}
	}
	qsort(v, n, sizeof(*v), by_family_check_index);
	for (k = 0; k < n; k++) {
		bool same_family = k > 0 && strcmp(v[k].family, v[k - 1].family) == 0;

		v[k].repeat = same_family && strcmp(v[k].check->name, v[k - 1].check->name) == 0;
		if (!same_family)
			groups[g++].start = k;
		groups[g - 1].len++;
	}
	for (size_t i = 0; i < g; i++)
		qsort(v + groups[i].start, groups[i].len, sizeof(*v), by_index);
	qsort_r(groups, g, sizeof(*groups), by_first_index, v);
	*out = v;
	*ngroups = g;
	return groups;
}

/* One family: its # HELP/# TYPE (from its first sample) and its samples; a
 * repeated series (same family and check name) is left out, as Prometheus
 * refuses it: the first one wins. */
static void
put_family(FILE *out, const struct wm_result *r, const struct sample *v, const struct group *g)
{
	put_metric_help(out, v[g->start].family, v[g->start].check, v[g->start].metric);
	for (size_t k = g->start; k < g->start + g->len; k++) {
		if (v[k].repeat)
			continue;
		fputs(v[k].family, out);
		put_labels(out, r, v[k].check);
		put_value(out, scaled(v[k].metric));
	}
}

/* A family with the one sample of the whole run. */
static void
put_run_gauge(FILE *out, const struct wm_result *r, const char *family, const char *help, double v)
{
	put_header(out, family, help);
	fputs(family, out);
	put_labels(out, r, NULL);
	put_value(out, v);
}

/* Whether an earlier check of r has the name of check i (one series each). */
static bool
check_name_seen(const struct wm_result *r, size_t i)
{
	for (size_t e = 0; e < i; e++)
		if (strcmp(r->checks[e]->name, r->checks[i]->name) == 0)
			return true;
	return false;
}

int
wm_render_prometheus(const struct wm_result *r, FILE *out)
{
	struct sample *samples;
	struct group *groups;
	size_t n;

	put_run_gauge(out, r, "wm_result_state",
		      "Overall state of the run: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
		      wm_result_state(r));
	put_run_gauge(out, r, "wm_result_timestamp_seconds", "When the run started, unix time.",
		      (double)r->time_ms / 1000.0);
	put_run_gauge(out, r, "wm_result_duration_seconds", "How long the run took.",
		      r->duration_ms >= 0 ? (double)r->duration_ms / 1000.0 : NAN);
	if (r->nchecks)
		put_header(out, "wm_check_state",
			   "State of each check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.");
	for (size_t i = 0; i < r->nchecks; i++) {
		if (check_name_seen(r, i))
			continue;
		fputs("wm_check_state", out);
		put_labels(out, r, r->checks[i]);
		put_value(out, r->checks[i]->state);
	}
	groups = group_samples(r, &samples, &n);
	if (!groups)
		return -1;
	for (size_t i = 0; i < n; i++)
		put_family(out, r, samples, &groups[i]);
	free(groups);
	free(samples);
	fputs("# EOF\n", out);
	return ferror(out) ? -1 : 0;
}
