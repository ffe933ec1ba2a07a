/* render_prom.c - the Prometheus text exposition format 0.0.4, which
 * node_exporter's textfile collector and `promtool check metrics` read (and
 * OpenMetrics 1.0 text, the same samples with counter families named
 * without _total and a final "# EOF").
 *
 *   # HELP wm_result_state Overall state of the run: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
 *   # TYPE wm_result_state gauge
 *   wm_result_state{tool="wm-services",target="prod"} 2
 *   ... wm_result_timestamp_seconds, wm_result_duration_seconds,
 *   wm_check_state{tool="wm-services",target="prod",check="services.auth-ms"} 2
 *   # HELP wm_service_restarts_total Restarts of the service's container ...
 *   # TYPE wm_service_restarts_total counter
 *   wm_service_restarts_total{tool="wm-services",target="prod",project="shop",service="auth-ms"} 3
 *
 * Which family a metric goes to, with which labels, is the table in
 * render_family.c.  Values are converted to the family's base unit: s, ms,
 * us -> seconds; B, KB, MB, GB, TB -> bytes (x1024 steps); % -> ratio
 * (divided by 100).  An unknown value is NaN.  Families come in the order of
 * their first sample, each with one # HELP and # TYPE; a series given twice
 * (same family, same labels) is printed once, the first, as Prometheus
 * refuses the repeat.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/render_family.h"
#include "render/render_int.h"

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

/* Append s, at most len bytes, to buf (at *n): characters outside
 * [a-zA-Z0-9_] become '_', and a run of '_' is kept as one. */
static void
append_name(char *buf, size_t *n, const char *s, size_t len)
{
	for (; *s && len > 0 && *n + 1 < FAMILY_MAX; s++, len--) {
		char ch = *s;
		bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			  (ch >= '0' && ch <= '9');

		if (!ok && *n > 0 && buf[*n - 1] == '_')
			continue;
		buf[(*n)++] = ok ? ch : '_';
	}
	buf[*n] = '\0';
}

/* The families every output has; a fallback family never takes their names. */
static const char *const reserved[] = {
    "wm_result_state",
    "wm_result_timestamp_seconds",
    "wm_result_duration_seconds",
    "wm_check_state",
};

/* Endings promtool keeps for counters, histograms and summaries. */
static const char *const reserved_suffixes[] = {"_total",  "_count",   "_sum",
						"_bucket", "_created", "_info"};

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Whether a fallback family called name would take a name already used. */
static bool
name_taken(const char *name)
{
	char labels[128];
	const struct wm_family *f;

	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (strcmp(name, reserved[i]) == 0)
			return true;
	for (size_t i = 0; i < sizeof(reserved_suffixes) / sizeof(reserved_suffixes[0]); i++)
		if (ends_with(name, reserved_suffixes[i]))
			return true;
	for (size_t i = 0; (f = wm_family_at(i, labels, sizeof(labels))); i++)
		if (strcmp(name, f->name) == 0)
			return true;
	return false;
}

/* A metric the table does not know: wm_<area>_<metric><suffix>, and a HELP
 * made of the same parts (the same in every program). */
static void
fallback_family(const struct wm_check *c, const struct wm_metric *m, char *name, char *help,
		size_t help_cap)
{
	char area[FAMILY_MAX], part[FAMILY_MAX];
	size_t n = 0, a = 0, p = 0;

	append_name(area, &a, c->name, strcspn(c->name, ".:"));
	append_name(part, &p, m->name, SIZE_MAX);
	if (p > 0 && part[p - 1] == '_')
		part[--p] = '\0';
	append_name(name, &n, "wm_", 3);
	append_name(name, &n, area, SIZE_MAX);
	append_name(name, &n, "_", 1);
	append_name(name, &n, part, SIZE_MAX);
	append_name(name, &n, unit_of(m->unit)->suffix, SIZE_MAX);
	if (name_taken(name))
		append_name(name, &n, "_value", SIZE_MAX);
	/* HELP from the same sanitised parts: no escapes needed, and the same
	 * text wherever the family appears */
	snprintf(help, help_cap, "Metric %s of the checks %s; no family of its own.", part, area);
}

/* s as a label value (quote true: \\, \" and \n escaped) or in a HELP line
 * (quote false: \\ and \n escaped), made UTF-8 clean first. */
static void
put_escaped(FILE *out, const char *s, size_t len, bool quote)
{
	char *cut = strndup(s ? s : "", len);
	char *clean = cut ? wm_render_utf8(cut) : NULL;

	free(cut);
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

static void
put_label(FILE *out, const char *name, const char *value, size_t len)
{
	fprintf(out, ",%s=\"", name);
	put_escaped(out, value, len, true);
	putc('"', out);
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

/* One sample to print. */
struct sample {
	const char *family; /* the table's; NULL: fam (a fallback family) */
	const char *help;   /* likewise, NULL: helpbuf */
	enum wm_family_type type;
	char *labels; /* "{tool=…,…}", owned */
	double value;
	size_t index; /* order in the result */
	size_t first; /* index of the first sample of its family */
	bool repeat;  /* same family and labels as an earlier one: left out */
	char fam[FAMILY_MAX];
	char helpbuf[FAMILY_MAX * 3];
};

/* A sample's family and HELP (samples move when sorted: no pointers into
 * themselves). */
static const char *
name_of(const struct sample *x)
{
	return x->family ? x->family : x->fam;
}

static const char *
help_of(const struct sample *x)
{
	return x->help ? x->help : x->helpbuf;
}

struct samples {
	struct sample *v;
	size_t n, cap;
};

static struct sample *
sample_new(struct samples *s)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct sample *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		s->v = v;
		s->cap = cap;
	}
	memset(&s->v[s->n], 0, sizeof(s->v[0]));
	s->v[s->n].index = s->n;
	return &s->v[s->n++];
}

/* The labels of a sample into a malloc'd "{…}"; extra/evalue may be NULL. */
static char *
labels_of(const struct wm_result *r, const struct wm_check *c, const struct wm_family_use *u,
	  const char *extra, const char *evalue, size_t elen)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fputs("{tool=\"", f);
	put_escaped(f, r->tool, SIZE_MAX, true);
	putc('"', f);
	put_label(f, "target", r->target, SIZE_MAX);
	if (u && u->family) {
		if (u->project)
			put_label(f, "project", r->project, SIZE_MAX);
		if (u->instance_label)
			put_label(f, u->instance_label, u->instance, SIZE_MAX);
	} else if (c) {
		put_label(f, "check", c->name, SIZE_MAX);
	}
	if (extra)
		put_label(f, extra, evalue, elen);
	putc('}', f);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The samples of metric m of check c (none, one, or one per key of an
 * expanded data object); -1 on ENOMEM. */
static int
add_metric(struct samples *s, const struct wm_result *r, const struct wm_check *c,
	   const struct wm_metric *m)
{
	struct wm_family_use u;
	struct sample *x;
	const cJSON *obj, *it;

	wm_family_find(c, m, &u);
	if (u.hidden)
		return 0;
	if (u.expand) {
		obj = c->data ? cJSON_GetObjectItemCaseSensitive(c->data, u.expand) : NULL;
		cJSON_ArrayForEach(it, obj)
		{
			if (!cJSON_IsNumber(it) || !it->string || !(x = sample_new(s)))
				continue;
			x->family = u.family->name;
			x->help = u.family->help;
			x->type = u.family->type;
			x->value = it->valuedouble;
			x->labels = labels_of(r, c, &u, u.extra_label, it->string, SIZE_MAX);
			if (!x->labels)
				return -1;
		}
		return 0;
	}
	if (!(x = sample_new(s)))
		return -1;
	if (u.family) {
		x->family = u.family->name;
		x->help = u.family->help;
		x->type = u.family->type;
	} else {
		fallback_family(c, m, x->fam, x->helpbuf, sizeof(x->helpbuf));
		x->type = WM_FAMILY_GAUGE;
	}
	x->value = scaled(m);
	x->labels = labels_of(r, c, &u, u.family && u.extra_len ? u.extra_label : NULL, m->name,
			      u.extra_len);
	return x->labels ? 0 : -1;
}

static int
by_family_labels(const void *pa, const void *pb)
{
	const struct sample *a = pa, *b = pb;
	int c = strcmp(name_of(a), name_of(b));

	if (c == 0)
		c = strcmp(a->labels, b->labels);
	return c ? c : (a->index > b->index) - (a->index < b->index);
}

static int
by_first_index(const void *pa, const void *pb)
{
	const struct sample *a = pa, *b = pb;

	if (a->first != b->first)
		return (a->first > b->first) - (a->first < b->first);
	return (a->index > b->index) - (a->index < b->index);
}

/* Mark repeated series and put families in the order of their first sample,
 * samples in result order within. */
static void
order_samples(struct samples *s)
{
	size_t start = 0;

	if (s->n == 0)
		return;
	qsort(s->v, s->n, sizeof(*s->v), by_family_labels);
	for (size_t k = 0; k < s->n; k++) {
		struct sample *x = &s->v[k];

		if (k > 0 && strcmp(name_of(x), name_of(&s->v[k - 1])) == 0)
			x->repeat = strcmp(x->labels, s->v[k - 1].labels) == 0;
		else
			start = k;
		if (x->index < s->v[start].first || k == start)
			s->v[start].first = x->index;
	}
	for (size_t k = 0; k < s->n; k++) {
		if (k > 0 && strcmp(name_of(&s->v[k]), name_of(&s->v[k - 1])) == 0)
			s->v[k].first = s->v[k - 1].first;
	}
	qsort(s->v, s->n, sizeof(*s->v), by_first_index);
}

static void
put_header(FILE *out, const char *family, const char *help, enum wm_family_type type, bool om)
{
	size_t len = strlen(family);

	/* OpenMetrics names a counter family without the _total of its samples */
	if (om && type == WM_FAMILY_COUNTER && ends_with(family, "_total"))
		len -= sizeof("_total") - 1;
	fprintf(out, "# HELP %.*s %s\n# TYPE %.*s %s\n", (int)len, family, help, (int)len, family,
		type == WM_FAMILY_COUNTER ? "counter" : "gauge");
}

/* A family with the one sample of the whole run. */
static void
put_run_gauge(FILE *out, const struct wm_result *r, const char *family, const char *help, double v)
{
	char *labels = labels_of(r, NULL, NULL, NULL, NULL, 0);

	put_header(out, family, help, WM_FAMILY_GAUGE, false);
	fprintf(out, "%s%s", family, labels ? labels : "{}");
	put_value(out, v);
	free(labels);
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

static void
put_check_states(FILE *out, const struct wm_result *r)
{
	if (r->nchecks)
		put_header(out, "wm_check_state",
			   "State of each check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
			   WM_FAMILY_GAUGE, false);
	for (size_t i = 0; i < r->nchecks; i++) {
		char *labels;

		if (check_name_seen(r, i))
			continue;
		labels = labels_of(r, r->checks[i], NULL, NULL, NULL, 0);
		fprintf(out, "wm_check_state%s", labels ? labels : "{}");
		put_value(out, r->checks[i]->state);
		free(labels);
	}
}

static void
samples_free(struct samples *s)
{
	for (size_t k = 0; k < s->n; k++)
		free(s->v[k].labels);
	free(s->v);
}

int
wm_render_prometheus(const struct wm_result *r, FILE *out, bool openmetrics)
{
	struct samples s = {0};
	int rc = 0;

	put_run_gauge(out, r, "wm_result_state",
		      "Overall state of the run: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
		      wm_result_state(r));
	put_run_gauge(out, r, "wm_result_timestamp_seconds", "When the run started, unix time.",
		      (double)r->time_ms / 1000.0);
	put_run_gauge(out, r, "wm_result_duration_seconds", "How long the run took.",
		      r->duration_ms >= 0 ? (double)r->duration_ms / 1000.0 : NAN);
	put_check_states(out, r);
	for (size_t i = 0; i < r->nchecks && rc == 0; i++)
		for (size_t j = 0; j < r->checks[i]->nmetrics && rc == 0; j++)
			rc = add_metric(&s, r, r->checks[i], &r->checks[i]->metrics[j]);
	if (rc == 0) {
		order_samples(&s);
		for (size_t k = 0; k < s.n; k++) {
			const struct sample *x = &s.v[k];

			if (k == 0 || strcmp(name_of(x), name_of(&s.v[k - 1])) != 0)
				put_header(out, name_of(x), help_of(x), x->type, openmetrics);
			if (x->repeat)
				continue;
			fprintf(out, "%s%s", name_of(x), x->labels);
			put_value(out, x->value);
		}
	}
	samples_free(&s);
	if (openmetrics)
		fputs("# EOF\n", out);
	return rc < 0 || ferror(out) ? -1 : 0;
}
