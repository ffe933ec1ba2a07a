/* schedule.c - the plan and what is due now (see schedule.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "model/schedule.h"

#define MIN_MS INT64_C(60000)
#define HOUR_MS (60 * MIN_MS)

static const char *const check_names[WM_SCHED_NCHECKS] = {
    [WM_SCHED_SERVICES] = "services",
    [WM_SCHED_ERRORS] = "errors",
    [WM_SCHED_LOGS] = "logs",
    [WM_SCHED_CACHE] = "cache",
    [WM_SCHED_DB] = "db",
    [WM_SCHED_RESTARTS] = "restarts",
    [WM_SCHED_CRITICALS] = "criticals",
    [WM_SCHED_RESOURCES] = "resources",
    [WM_SCHED_DISK] = "disk",
    [WM_SCHED_SECURITY] = "security",
    [WM_SCHED_PERF] = "perf",
    [WM_SCHED_SMOKE] = "smoke",
};

const char *
wm_sched_check_name(int c)
{
	return c >= 0 && c < WM_SCHED_NCHECKS ? check_names[c] : NULL;
}

int
wm_sched_check_parse(const char *name)
{
	for (int c = 0; c < WM_SCHED_NCHECKS; c++)
		if (!strcmp(name, check_names[c]))
			return c;
	return -1;
}

#define B(c) (1u << (c))

/* Add a tier ticking every `every` from first to last (inclusive). */
static void
add_tier(struct wm_schedule *s, const char *name, unsigned checks, int64_t window, int64_t first,
	 int64_t every, int64_t last)
{
	struct wm_schedule_tier *t = &s->tier[s->n_tiers++];

	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->checks = checks;
	t->window_ms = window;
	t->grace_ms = 5 * MIN_MS;
	for (int64_t at = first; at <= last && t->n_at < WM_SCHEDULE_TICKS_MAX; at += every)
		t->at[t->n_at++] = at;
}

void
wm_schedule_default(struct wm_schedule *s)
{
	s->n_tiers = 0;
	add_tier(s, "full", WM_SCHED_ALL, 24 * HOUR_MS, 0, 24 * HOUR_MS, 24 * HOUR_MS);
	add_tier(s, "quick", B(WM_SCHED_SERVICES) | B(WM_SCHED_ERRORS) | B(WM_SCHED_LOGS),
		 30 * MIN_MS, HOUR_MS, HOUR_MS, 4 * HOUR_MS);
	add_tier(s, "standard",
		 B(WM_SCHED_SERVICES) | B(WM_SCHED_ERRORS) | B(WM_SCHED_CACHE) | B(WM_SCHED_DB),
		 HOUR_MS, 6 * HOUR_MS, 2 * HOUR_MS, 12 * HOUR_MS);
	add_tier(s, "comprehensive",
		 B(WM_SCHED_SERVICES) | B(WM_SCHED_RESTARTS) | B(WM_SCHED_ERRORS) |
		     B(WM_SCHED_CRITICALS) | B(WM_SCHED_RESOURCES) | B(WM_SCHED_DISK) |
		     B(WM_SCHED_CACHE) | B(WM_SCHED_DB),
		 4 * HOUR_MS, 16 * HOUR_MS, 4 * HOUR_MS, 20 * HOUR_MS);
	add_tier(s, "security", B(WM_SCHED_SECURITY) | B(WM_SCHED_ERRORS), HOUR_MS, HOUR_MS,
		 HOUR_MS, 23 * HOUR_MS);
	add_tier(s, "performance", B(WM_SCHED_PERF), 2 * HOUR_MS, 2 * HOUR_MS, 2 * HOUR_MS,
		 22 * HOUR_MS);
	add_tier(s, "smoke", B(WM_SCHED_SMOKE), 4 * HOUR_MS, 4 * HOUR_MS, 4 * HOUR_MS,
		 20 * HOUR_MS);
}

struct wm_schedule_tier *
wm_schedule_find(struct wm_schedule *s, const char *name)
{
	for (size_t i = 0; i < s->n_tiers; i++)
		if (!strcmp(s->tier[i].name, name))
			return &s->tier[i];
	return NULL;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* One duration of an "at" list, between p and end (exclusive). */
static int
parse_dur(const char *p, const char *end, int64_t *ms, struct wm_err *err)
{
	char buf[64];
	size_t n;

	while (p < end && *p == ' ')
		p++;
	while (end > p && end[-1] == ' ')
		end--;
	n = (size_t)(end - p);
	if (n == 0 || n >= sizeof(buf))
		return wm_err_set(err, WM_EINVAL, "empty or overlong time in list");
	memcpy(buf, p, n);
	buf[n] = '\0';
	return wm_duration_parse(buf, ms, err);
}

/* One item: "OFFSET" or "FIRST..LAST/EVERY" appended to at[] (sorted later). */
static int
parse_item(const char *p, const char *end, int64_t *at, size_t *n, struct wm_err *err)
{
	const char *dots = NULL, *slash = NULL;
	int64_t first, last, every = 1;

	for (const char *q = p; q + 1 < end && !dots; q++)
		if (q[0] == '.' && q[1] == '.')
			dots = q;
	for (const char *q = dots ? dots : end; q < end; q++)
		if (*q == '/')
			slash = q;
	if (!dots) {
		if (parse_dur(p, end, &first, err))
			return -1;
		last = first;
	} else {
		if (!slash)
			return wm_err_set(err, WM_EINVAL, "a range is FIRST..LAST/EVERY");
		if (parse_dur(p, dots, &first, err) || parse_dur(dots + 2, slash, &last, err) ||
		    parse_dur(slash + 1, end, &every, err))
			return -1;
		if (every <= 0 || last < first)
			return wm_err_set(err, WM_EINVAL,
					  "a range needs FIRST <= LAST and EVERY > 0");
	}
	for (int64_t t = first; t <= last; t += every) {
		if (*n >= WM_SCHEDULE_TICKS_MAX)
			return wm_err_set(err, WM_ETOOBIG, "more than %d ticks in one tier",
					  WM_SCHEDULE_TICKS_MAX);
		at[(*n)++] = t;
	}
	return 0;
}

static int
parse_at(const char *v, struct wm_schedule_tier *t, struct wm_err *err)
{
	int64_t at[WM_SCHEDULE_TICKS_MAX];
	size_t n = 0, u = 0;

	if (strcmp(v, "none") != 0) {
		for (const char *p = v;;) {
			const char *c = strchr(p, ',');
			const char *end = c ? c : p + strlen(p);

			if (parse_item(p, end, at, &n, err))
				return -1;
			if (!c)
				break;
			p = c + 1;
		}
	}
	qsort(at, n, sizeof(at[0]), cmp_i64);
	for (size_t i = 0; i < n; i++)
		if (u == 0 || at[i] != at[u - 1])
			at[u++] = at[i];
	memcpy(t->at, at, u * sizeof(at[0]));
	t->n_at = u;
	return 0;
}

static int
parse_checks(const char *v, unsigned *checks, struct wm_err *err)
{
	unsigned bits = 0;

	if (!strcmp(v, "all")) {
		*checks = WM_SCHED_ALL;
		return 0;
	}
	for (const char *p = v; *p;) {
		char name[32];
		size_t n = strcspn(p, ","), k = n;
		const char *q = p;
		int c;

		while (k && *q == ' ')
			q++, k--;
		while (k && q[k - 1] == ' ')
			k--;
		if (k >= sizeof(name))
			return wm_err_set(err, WM_EINVAL, "unknown check '%.32s'", q);
		memcpy(name, q, k);
		name[k] = '\0';
		if ((c = wm_sched_check_parse(name)) < 0)
			return wm_err_set(err, WM_EINVAL, "unknown check '%s'", name);
		bits |= 1u << c;
		p += n + (p[n] == ',');
	}
	*checks = bits;
	return 0;
}

int
wm_schedule_configure(struct wm_schedule *s, const char *tier, const char *key, const char *value,
		      struct wm_err *err)
{
	struct wm_schedule_tier tmp, *t = wm_schedule_find(s, tier);
	int64_t ms;
	int rc = 0;

	if (!t) {
		if (s->n_tiers >= WM_SCHEDULE_TIERS_MAX)
			return wm_err_set(err, WM_ETOOBIG, "more than %d tiers",
					  WM_SCHEDULE_TIERS_MAX);
		if (!*tier || strlen(tier) >= WM_SCHEDULE_NAME_MAX ||
		    strspn(tier, "abcdefghijklmnopqrstuvwxyz0123456789_-") != strlen(tier))
			return wm_err_set(err, WM_EINVAL, "tier name '%.40s': [a-z0-9_-], up to %d",
					  tier, WM_SCHEDULE_NAME_MAX - 1);
		memset(&tmp, 0, sizeof(tmp));
		snprintf(tmp.name, sizeof(tmp.name), "%s", tier);
		tmp.grace_ms = 5 * MIN_MS;
	} else {
		tmp = *t;
	}
	if (!strcmp(key, "at"))
		rc = parse_at(value, &tmp, err);
	else if (!strcmp(key, "checks"))
		rc = parse_checks(value, &tmp.checks, err);
	else if (!strcmp(key, "window") || !strcmp(key, "grace")) {
		rc = wm_duration_parse(value, &ms, err);
		if (!rc)
			*(key[0] == 'w' ? &tmp.window_ms : &tmp.grace_ms) = ms;
	} else
		return wm_err_set(err, WM_EINVAL, "unknown schedule key '%.40s'", key);
	if (rc) {
		wm_err_prefix(err, "schedule %s %s", tier, key);
		return -1;
	}
	if (!t)
		t = &s->tier[s->n_tiers++];
	*t = tmp;
	return 0;
}

static int
cmp_due(const void *a, const void *b)
{
	const struct wm_due *x = a, *y = b;

	if (x->at_ms != y->at_ms)
		return (x->at_ms > y->at_ms) - (x->at_ms < y->at_ms);
	return (x->tier > y->tier) - (x->tier < y->tier);
}

size_t
wm_schedule_due(const struct wm_schedule *s, int64_t now_ms, wm_schedule_settled_fn settled,
		void *ctx, struct wm_due *out, size_t cap)
{
	size_t count = 0;

	for (size_t i = 0; i < s->n_tiers; i++) {
		const struct wm_schedule_tier *t = &s->tier[i];
		size_t last = t->n_at;

		/* last = the latest tick at or before now. */
		while (last > 0 && t->at[last - 1] > now_ms)
			last--;
		for (size_t k = 0; k < last; k++) {
			struct wm_due d = {i, t->at[k], WM_TICK_MISSED};

			if (settled && settled(t->name, t->at[k], ctx))
				continue;
			if (k == last - 1)
				d.status =
				    now_ms - t->at[k] <= t->grace_ms ? WM_TICK_DUE : WM_TICK_LATE;
			if (count < cap)
				out[count] = d;
			count++;
		}
	}
	if (count && cap)
		qsort(out, count < cap ? count : cap, sizeof(*out), cmp_due);
	return count;
}

int
wm_schedule_next(const struct wm_schedule *s, int64_t now_ms, int64_t *at_ms)
{
	int found = 0;

	for (size_t i = 0; i < s->n_tiers; i++)
		for (size_t k = 0; k < s->tier[i].n_at; k++)
			if (s->tier[i].at[k] > now_ms) {
				if (!found || s->tier[i].at[k] < *at_ms)
					*at_ms = s->tier[i].at[k];
				found = 1;
				break;
			}
	return found;
}

int64_t
wm_schedule_end(const struct wm_schedule *s)
{
	int64_t end = -1;

	for (size_t i = 0; i < s->n_tiers; i++)
		if (s->tier[i].n_at && s->tier[i].at[s->tier[i].n_at - 1] > end)
			end = s->tier[i].at[s->tier[i].n_at - 1];
	return end;
}

void
wm_schedule_offset_str(int64_t at_ms, char *buf, size_t len)
{
	int64_t s = at_ms / 1000, h = s / 3600, m = s / 60 % 60, sec = s % 60;
	int n = snprintf(buf, len, "T+");

	if (at_ms < 0 || n < 0 || (size_t)n >= len) {
		snprintf(buf, len, "T%+lldms", (long long)at_ms);
		return;
	}
	if (h)
		n += snprintf(buf + n, len - (size_t)n, "%lldh", (long long)h);
	if (m && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, "%lldm", (long long)m);
	if ((sec || (!h && !m)) && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "%lld%s", (long long)sec, sec ? "s" : "");
}
