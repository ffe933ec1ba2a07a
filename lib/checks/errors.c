/* errors.c - counting, grouping and keeping lines per service (see errors.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "checks/errors.h"
#include "model/threshold.h"

struct wm_errors {
	struct wm_errors_opts o;
	struct wm_errors_service svc[WM_ERRORS_MAX_SERVICES + 1]; /* + "(other)" */
	size_t nsvc;
	struct wm_groups *groups;
	char msgbuf[WM_ERRORS_LINE_MAX];
	/* the raw service name of the last line and its record: consecutive
	 * lines of one service skip the name mapping */
	char last_raw[WM_GROUP_SERVICE_MAX];
	size_t last_len;
	struct wm_errors_service *last;
};

/* The canonical service name of a raw one into out. */
static void
canonical(const struct wm_errors *e, const char *n, size_t len, char *out, size_t cap)
{
	size_t k = len;

	if (!n || len == 0) {
		snprintf(out, cap, "-");
		return;
	}
	for (size_t i = 0; i < e->o.nexpected; i++)
		if (wm_logline_service_is(n, len, e->o.expected[i])) {
			snprintf(out, cap, "%s", e->o.expected[i]);
			return;
		}
	if (e->o.project && *e->o.project) {
		size_t pl = strlen(e->o.project);

		if (len > pl + 1 && memcmp(n, e->o.project, pl) == 0 &&
		    (n[pl] == '-' || n[pl] == '_')) {
			n += pl + 1;
			len -= pl + 1;
			k = len;
		}
	}
	while (k > 0 && n[k - 1] >= '0' && n[k - 1] <= '9')
		k--;
	if (k < len && k > 1 && (n[k - 1] == '-' || n[k - 1] == '_'))
		len = k - 1;
	if (len >= cap)
		len = cap - 1;
	memcpy(out, n, len);
	out[len] = '\0';
}

static bool
is_expected(const struct wm_errors *e, const char *name)
{
	for (size_t i = 0; i < e->o.nexpected; i++)
		if (strcmp(e->o.expected[i], name) == 0)
			return true;
	return false;
}

static struct wm_errors_service *
find_or_add(struct wm_errors *e, const char *name)
{
	struct wm_errors_service *s;

	for (size_t i = 0; i < e->nsvc; i++)
		if (strcmp(e->svc[i].name, name) == 0)
			return &e->svc[i];
	if (e->nsvc >= WM_ERRORS_MAX_SERVICES)
		name = "(other)";
	for (size_t i = 0; i < e->nsvc; i++)
		if (strcmp(e->svc[i].name, name) == 0)
			return &e->svc[i];
	s = &e->svc[e->nsvc];
	memset(s, 0, sizeof *s);
	snprintf(s->name, sizeof s->name, "%s", name);
	if ((e->o.tail && !(s->tail = calloc(e->o.tail, sizeof *s->tail))) ||
	    (e->o.criticals && !(s->crit = calloc(e->o.criticals, sizeof *s->crit)))) {
		free(s->tail);
		return NULL;
	}
	e->nsvc++;
	return s;
}

struct wm_errors_service *
wm_errors_service(struct wm_errors *e, const char *name, size_t len)
{
	char canon[WM_GROUP_SERVICE_MAX];

	canonical(e, name, len, canon, sizeof canon);
	return find_or_add(e, canon);
}

struct wm_errors *
wm_errors_new(const struct wm_errors_opts *o)
{
	struct wm_errors *e = calloc(1, sizeof *e);

	if (!e)
		return NULL;
	e->o = *o;
	if (!e->o.top)
		e->o.top = 10;
	if (!e->o.group_slots)
		e->o.group_slots = 1024;
	if (!e->o.group_level)
		e->o.group_level = WM_LVL_ERROR;
	if (!(e->groups = wm_groups_new(e->o.group_slots)))
		goto out_free;
	for (size_t i = 0; i < o->nexpected; i++) {
		struct wm_errors_service *s = find_or_add(e, o->expected[i]);

		if (!s)
			goto out_free;
		s->expected = true;
	}
	return e;
out_free:
	wm_errors_free(e);
	return NULL;
}

static void
ring_free(struct wm_errors_line *r, size_t n)
{
	for (size_t i = 0; r && i < n; i++)
		free(r[i].text);
	free(r);
}

void
wm_errors_free(struct wm_errors *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->nsvc; i++) {
		ring_free(e->svc[i].tail, e->o.tail);
		ring_free(e->svc[i].crit, e->o.criticals);
		free(e->svc[i].problem);
	}
	wm_groups_free(e->groups);
	free(e);
}

/* Keep a sanitised copy of the line in a ring of cap entries. */
static void
ring_push(struct wm_errors *e, struct wm_errors_line *r, size_t cap, size_t *n, size_t *next,
	  const struct wm_logline *ll)
{
	struct wm_errors_line *slot = &r[*next];
	size_t len = wm_utf8_sanitize(ll->text, ll->text_len, e->msgbuf, sizeof e->msgbuf);
	char *copy = malloc(len + 1);

	if (!copy)
		return;
	memcpy(copy, e->msgbuf, len + 1);
	free(slot->text);
	slot->text = copy;
	slot->ts_ms = ll->ts_ms;
	slot->level = ll->level;
	*next = (*next + 1) % cap;
	if (*n < cap)
		(*n)++;
}

/* The record of a line's service; NULL when it is not watched (or ENOMEM).
 * Inlined: every line of the stream comes through here. */
static inline __attribute__((always_inline)) struct wm_errors_service *
line_service(struct wm_errors *e, const struct wm_logline *ll)
{
	struct wm_errors_service *s;
	char canon[WM_GROUP_SERVICE_MAX];

	if (e->last && ll->service_len == e->last_len && ll->service_len < sizeof e->last_raw &&
	    (ll->service_len == 0 || memcmp(ll->service, e->last_raw, ll->service_len) == 0))
		return e->last;
	canonical(e, ll->service, ll->service_len, canon, sizeof canon);
	if (e->o.only_expected && !is_expected(e, canon))
		return NULL;
	if (!(s = find_or_add(e, canon)))
		return NULL;
	if (ll->service_len < sizeof e->last_raw) {
		if (ll->service_len > 0)
			memcpy(e->last_raw, ll->service, ll->service_len);
		e->last_len = ll->service_len;
		e->last = s;
	}
	return s;
}

/* A line outside the window: its service exists, quiet in the window.  Or a
 * line without a time that the window could not take: counted apart, with
 * its errors and the zone name that could not be placed. */
static void
on_outside(void *ctx, const struct wm_logline *ll)
{
	struct wm_errors_service *s = line_service(ctx, ll);

	if (!s)
		return;
	if (ll->ts_ms >= 0) {
		s->outside++;
		return;
	}
	s->untimed++;
	s->untimed_errors += ll->level >= WM_LVL_ERROR;
	if (ll->zone_len > 0 && ll->zone_len < sizeof s->untimed_zone && !s->untimed_zone[0]) {
		memcpy(s->untimed_zone, ll->zone, ll->zone_len);
		s->untimed_zone[ll->zone_len] = '\0';
	}
}

static void
on_line(void *ctx, const struct wm_logline *ll)
{
	struct wm_errors *e = ctx;
	struct wm_errors_service *s = line_service(e, ll);
	struct wm_logline named;

	if (!s)
		return;
	s->lines++;
	s->truncated += ll->truncated;
	s->count[ll->level >= 0 && ll->level < WM_LVL_COUNT ? ll->level : 0]++;
	if (!e->o.no_groups && ll->level >= e->o.group_level) {
		named = *ll;
		named.service = s->name;
		named.service_len = strlen(s->name);
		wm_groups_add(e->groups, &named);
	}
	if (e->o.tail)
		ring_push(e, s->tail, e->o.tail, &s->tail_n, &s->tail_next, ll);
	if (e->o.criticals && ll->level == WM_LVL_CRITICAL)
		ring_push(e, s->crit, e->o.criticals, &s->crit_n, &s->crit_next, ll);
}

const struct wm_errors_opts *
wm_errors_options(const struct wm_errors *e)
{
	return &e->o;
}

struct wm_log_analyzer
wm_errors_analyzer(struct wm_errors *e)
{
	struct wm_log_analyzer a = {on_line, e};

	return a;
}

struct wm_log_analyzer
wm_errors_outside_analyzer(struct wm_errors *e)
{
	struct wm_log_analyzer a = {on_outside, e};

	return a;
}

struct wm_errors_service *
wm_errors_services(struct wm_errors *e, size_t *n)
{
	*n = e->nsvc;
	return e->svc;
}

int
wm_errors_set_problem(struct wm_errors *e, const char *service, const char *why)
{
	struct wm_errors_service *s = find_or_add(e, service);
	char *copy = strdup(why);

	if (!s || !copy) {
		free(copy);
		return -1;
	}
	free(s->problem);
	s->problem = copy;
	return 0;
}

const struct wm_group **
wm_errors_groups(struct wm_errors *e, const char *service, size_t *n)
{
	size_t all, k = 0;
	const struct wm_group **v = wm_groups_sorted(e->groups, &all);

	for (size_t i = 0; v && i < all && k < e->o.top; i++)
		if (strcmp(v[i]->service, service) == 0)
			v[k++] = v[i];
	*n = k;
	return v;
}
