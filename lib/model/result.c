/* result.c - the result model and "worst wins", written once. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/duration.h"
#include "model/result.h"

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *
dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

static char *
vformat(const char *fmt, va_list ap)
{
	va_list ap2;
	char *buf;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return NULL;
	buf = malloc((size_t)n + 1);
	if (buf)
		vsnprintf(buf, (size_t)n + 1, fmt, ap);
	return buf;
}

/* Severity rank: OK < UNKNOWN < WARNING < CRITICAL. */
static int
rank(enum wm_state s)
{
	switch (s) {
	case WM_OK:
		return 0;
	case WM_UNKNOWN:
		return 1;
	case WM_WARNING:
		return 2;
	case WM_CRITICAL:
		return 3;
	}
	return 1;
}

enum wm_state
wm_state_worst(enum wm_state a, enum wm_state b)
{
	return rank(a) >= rank(b) ? a : b;
}

const char *
wm_state_name(enum wm_state s)
{
	switch (s) {
	case WM_OK:
		return "OK";
	case WM_WARNING:
		return "WARNING";
	case WM_CRITICAL:
		return "CRITICAL";
	case WM_UNKNOWN:
		return "UNKNOWN";
	}
	return "UNKNOWN";
}

int
wm_state_parse(const char *s)
{
	static const char *const names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

	for (int i = 0; s && i < 4; i++)
		if (strcasecmp(s, names[i]) == 0)
			return i;
	return -1;
}

struct wm_result *
wm_result_new(const char *tool, const char *version, const char *target)
{
	struct wm_result *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->tool = dup_or_empty(tool);
	r->version = dup_or_empty(version);
	r->target = dup_or_empty(target);
	r->project = dup_or_empty(NULL);
	r->time_ms = now_ms();
	r->duration_ms = -1;
	if (!r->tool || !r->version || !r->target || !r->project) {
		wm_result_free(r);
		return NULL;
	}
	return r;
}

static void
check_free(struct wm_check *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nmetrics; i++) {
		struct wm_metric *m = &c->metrics[i];

		free(m->name);
		free(m->unit);
		free(m->warn);
		free(m->crit);
	}
	free(c->metrics);
	cJSON_Delete(c->data);
	free(c->name);
	free(c->summary);
	free(c);
}

void
wm_result_free(struct wm_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nchecks; i++)
		check_free(r->checks[i]);
	free(r->checks);
	free(r->tool);
	free(r->version);
	free(r->target);
	free(r->project);
	free(r->summary);
	free(r);
}

int
wm_result_set_project(struct wm_result *r, const char *project)
{
	char *p = dup_or_empty(project);

	if (!p)
		return -1;
	free(r->project);
	r->project = p;
	return 0;
}

void
wm_result_finish(struct wm_result *r)
{
	if (r && r->duration_ms < 0) {
		int64_t d = now_ms() - r->time_ms;

		r->duration_ms = d < 0 ? 0 : d;
	}
}

int
wm_result_set_summary(struct wm_result *r, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	if (fmt) {
		va_start(ap, fmt);
		s = vformat(fmt, ap);
		va_end(ap);
		if (!s)
			return -1;
	}
	free(r->summary);
	r->summary = s;
	return 0;
}

enum wm_state
wm_result_state(const struct wm_result *r)
{
	enum wm_state s = WM_OK;

	for (size_t i = 0; r && i < r->nchecks; i++)
		s = wm_state_worst(s, r->checks[i]->state);
	return s;
}

int
wm_result_exit_code(const struct wm_result *r)
{
	return (int)wm_result_state(r);
}

struct wm_check *
wm_result_add_check(struct wm_result *r, const char *name)
{
	struct wm_check *c;

	if (r->nchecks == r->checks_cap) {
		size_t cap = r->checks_cap ? r->checks_cap * 2 : 8;
		struct wm_check **p = realloc(r->checks, cap * sizeof(*p));

		if (!p)
			return NULL;
		r->checks = p;
		r->checks_cap = cap;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->name = dup_or_empty(name);
	c->summary = strdup("");
	if (!c->name || !c->summary) {
		check_free(c);
		return NULL;
	}
	c->state = WM_OK;
	r->checks[r->nchecks++] = c;
	return c;
}

struct wm_check *
wm_result_find_check(const struct wm_result *r, const char *name)
{
	for (size_t i = 0; r && i < r->nchecks; i++)
		if (strcmp(r->checks[i]->name, name) == 0)
			return r->checks[i];
	return NULL;
}

void
wm_check_set(struct wm_check *c, enum wm_state s, const char *fmt, ...)
{
	va_list ap;
	char *sum;

	c->state = s;
	if (!fmt)
		return;
	va_start(ap, fmt);
	sum = vformat(fmt, ap);
	va_end(ap);
	if (sum) {
		free(c->summary);
		c->summary = sum;
	}
}

void
wm_check_raise(struct wm_check *c, enum wm_state s)
{
	c->state = wm_state_worst(c->state, s);
}

struct wm_metric *
wm_check_add_metric(struct wm_check *c, const char *name, double value, const char *unit)
{
	struct wm_metric *m;

	if (c->nmetrics == c->metrics_cap) {
		size_t cap = c->metrics_cap ? c->metrics_cap * 2 : 4;
		struct wm_metric *p = realloc(c->metrics, cap * sizeof(*p));

		if (!p)
			return NULL;
		c->metrics = p;
		c->metrics_cap = cap;
	}
	m = &c->metrics[c->nmetrics];
	memset(m, 0, sizeof(*m));
	m->name = dup_or_empty(name);
	m->unit = dup_or_empty(unit);
	if (!m->name || !m->unit) {
		free(m->name);
		free(m->unit);
		return NULL;
	}
	m->value = value;
	m->min = NAN;
	m->max = NAN;
	c->nmetrics++;
	return m;
}

int
wm_metric_set_thresholds(struct wm_metric *m, const char *warn, const char *crit)
{
	char *w = warn ? strdup(warn) : NULL, *k = crit ? strdup(crit) : NULL;

	if ((warn && !w) || (crit && !k)) {
		free(w);
		free(k);
		return -1;
	}
	free(m->warn);
	free(m->crit);
	m->warn = w;
	m->crit = k;
	return 0;
}

cJSON *
wm_check_data(struct wm_check *c)
{
	if (!c->data)
		c->data = cJSON_CreateObject();
	return c->data;
}

enum wm_state
wm_err_state(const struct wm_err *e)
{
	switch (e->code) {
	case WM_EAUTH:
	case WM_EINVAL:
	case WM_ECONFIG:
	case WM_ENOMEM:
	case WM_EPERM:
	case WM_EHOSTKEY:
	case WM_EIO:
	case WM_ENOHOST: /* a name that does not resolve: nothing was asked */
		return WM_UNKNOWN;
	default:
		return WM_CRITICAL;
	}
}

static int
add_failure(struct wm_result *r, const char *name, enum wm_state state, const struct wm_err *e)
{
	struct wm_check *c = wm_result_add_check(r, name);
	cJSON *data = c ? wm_check_data(c) : NULL;

	if (!data)
		return -1;
	wm_check_set(c, state, "%s", e->msg);
	cJSON_AddStringToObject(data, "error", wm_err_name(e->code));
	return 0;
}

int
wm_result_fail(struct wm_result *r, const char *name, const struct wm_err *e)
{
	return add_failure(r, name, wm_err_state(e), e);
}

int
wm_result_unknown(struct wm_result *r, const char *name, const struct wm_err *e)
{
	return add_failure(r, name, WM_UNKNOWN, e);
}

cJSON *
wm_json_time(int64_t ms)
{
	char buf[WM_TIME_BUF];

	if (ms < 0 || wm_time_format(ms, buf, sizeof buf) < 0)
		return cJSON_CreateNull();
	return cJSON_CreateString(buf);
}
