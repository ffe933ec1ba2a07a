/* report_downtime.c - downtime per service, and how much of the run the
 * services were observed at all.
 *
 * Every observation of a service counts, whatever its source: the container
 * events (die, stop, kill, oom, unhealthy: down; start, healthy: up), the
 * watch samples, the service-down incidents (opened: down; resolved: up) and
 * the ticks' services results.  In time order, an interval runs from the
 * first observation that saw the service down to the first, from any
 * source, that saw it up again: an events stream cut during a fault leaves no
 * "start" event, and the next watch sample or tick that finds the service
 * running ends the interval all the same.  The interval is known only to the
 * precision of the observations: it began after the last one that saw the
 * service up and ended after the last one that saw it down; both bounds are
 * kept (struct wm_report_down), and are exact where a container event says
 * it.  An interval is documented when an incident about the service that
 * overlaps it was acknowledged with a note.
 *
 * Coverage: a moment of the run counts as observed when some observation of
 * the services was made in the cover_gap_ms before it (wm-report(1)).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/report_int.h"

static const char *const how_name[] = {
    [SEEN_EVENT] = "container event",
    [SEEN_WATCH] = "watch sample",
    [SEEN_INCIDENT] = "service-down incident",
    [SEEN_TICK] = "tick",
};

static int
by_time(const void *a, const void *b)
{
	const struct wm_report_seen *x = *(const struct wm_report_seen *const *)a;
	const struct wm_report_seen *y = *(const struct wm_report_seen *const *)b;

	if (x->at_ms != y->at_ms)
		return x->at_ms < y->at_ms ? -1 : 1;
	return x < y ? -1 : x > y; /* journal order within one instant */
}

static void
document(const struct wm_report *r, const struct wm_report_service *s, struct wm_report_down *d)
{
	for (size_t i = 0; i < r->n_incidents; i++) {
		const struct wm_report_incident *inc = &r->incidents[i];
		int64_t end = inc->resolved_ms ? inc->resolved_ms : r->last_ms;

		if (strcmp(inc->subject, s->name) != 0 || !inc->acked_ms || !*inc->ack_note ||
		    inc->opened_ms > d->to_ms || end < d->from_ms)
			continue;
		d->documented = true;
		wm_report_fmt(d->incident, sizeof(d->incident), "%s", inc->id);
		return;
	}
	for (size_t i = 0; i < r->n_incidents; i++) /* named, though not documented */
		if (!strcmp(r->incidents[i].subject, s->name) &&
		    r->incidents[i].opened_ms <= d->to_ms + WM_MIN_MS &&
		    (!r->incidents[i].resolved_ms || r->incidents[i].resolved_ms >= d->from_ms)) {
			wm_report_fmt(d->incident, sizeof(d->incident), "%s", r->incidents[i].id);
			return;
		}
}

static int
add_down(struct wm_report *r, struct wm_report_service *s, const struct wm_report_down *in)
{
	struct wm_report_down *d;
	int64_t from = in->from_ms < 0 ? 0 : in->from_ms;
	int64_t to = in->to_ms > r->opts.plan_ms ? r->opts.plan_ms : in->to_ms;

	if (to < from || (to == from && !in->open))
		return 0; /* still down at the very last record: an interval all the same */
	if (wm_report_grow((void **)&s->down, &s->cap_down, s->n_down, sizeof(*s->down)))
		return -1;
	d = &s->down[s->n_down++];
	*d = *in;
	d->from_ms = from;
	d->to_ms = to;
	/* the bounds stay within the interval as clamped to the run */
	d->seen_down_ms = d->seen_down_ms < from ? from
			  : d->seen_down_ms > to ? to
						 : d->seen_down_ms;
	if (d->seen_up_ms > from)
		d->seen_up_ms = from;
	document(r, s, d);
	s->down_ms += to - from;
	return 0;
}

static int
service_downtime(struct wm_report *r, struct wm_report_service *s, const struct wm_report_seen **v)
{
	const struct wm_report_int *in = r->in;
	struct wm_report_down cur = {0};
	bool down = false, used[SEEN_TICK + 1] = {false};
	int64_t last_up = -1;
	size_t n = 0;

	for (size_t i = 0; i < in->n_seen; i++)
		if (!strcmp(in->seen[i].service, s->name))
			v[n++] = &in->seen[i];
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), by_time);
	for (size_t i = 0; i < n; i++) {
		used[v[i]->how] = true;
		if (!v[i]->up && !down) {
			down = true;
			memset(&cur, 0, sizeof(cur));
			cur.from_ms = cur.seen_down_ms = v[i]->at_ms;
			cur.seen_up_ms = last_up;
			cur.began_by = how_name[v[i]->how];
		} else if (!v[i]->up) {
			cur.seen_down_ms = v[i]->at_ms;
		} else if (down) {
			down = false;
			cur.to_ms = v[i]->at_ms;
			cur.ended_by = how_name[v[i]->how];
			if (add_down(r, s, &cur))
				return -1;
		}
		if (v[i]->up)
			last_up = v[i]->at_ms;
	}
	if (down) {
		cur.to_ms = r->last_ms > cur.seen_down_ms ? r->last_ms : cur.seen_down_ms;
		cur.open = true;
		cur.ended_by = "";
		if (add_down(r, s, &cur))
			return -1;
	}
	for (int h = SEEN_EVENT; h <= SEEN_TICK; h++) /* the sources, most precise first */
		if (used[h]) {
			size_t len = strlen(s->source);

			wm_report_fmt(s->source + len, sizeof(s->source) - len, "%s%ss",
				      len ? ", " : "", how_name[h]);
		}
	return 0;
}

struct span {
	int64_t from, to;
};

static int
by_from(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->from < y->from ? -1 : x->from > y->from;
}

/* The length of the union of the intervals (documented ones only, or all). */
static int64_t
union_ms(const struct wm_report *r, struct span *v, int which)
{
	size_t n = 0;
	int64_t total = 0, from = 0, to = -1;

	for (size_t i = 0; i < r->n_services; i++)
		for (size_t k = 0; k < r->services[i].n_down; k++) {
			const struct wm_report_down *d = &r->services[i].down[k];

			if (which == 1 && !d->documented)
				continue;
			v[n].from = d->from_ms;
			v[n++].to = d->to_ms;
		}
	qsort(v, n, sizeof(*v), by_from);
	for (size_t i = 0; i < n; i++) {
		if (v[i].from > to) {
			total += to > from ? to - from : 0;
			from = v[i].from;
			to = v[i].to;
		} else if (v[i].to > to) {
			to = v[i].to;
		}
	}
	return total + (to > from ? to - from : 0);
}

/* An unobserved stretch [a, b): counted, and kept when among the longest. */
static void
gap(struct wm_report *r, int64_t a, int64_t b)
{
	const size_t max = sizeof(r->gaps) / sizeof(r->gaps[0]);
	struct wm_report_gap g = {a, b, false};
	size_t k;

	if (b <= a)
		return;
	r->unobserved_ms += b - a;
	for (size_t i = 0; i < r->n_incidents; i++) {
		const struct wm_report_incident *inc = &r->incidents[i];
		int64_t end = inc->resolved_ms ? inc->resolved_ms : r->last_ms;

		if (!strcmp(inc->kind, "monitoring-lost") && inc->opened_ms < b && end > a)
			g.lost = true;
	}
	k = r->n_gaps;
	if (k == max) { /* only the longest are kept */
		if (b - a <= r->gaps[max - 1].to_ms - r->gaps[max - 1].from_ms)
			return;
		k = max - 1;
	} else {
		r->n_gaps++;
	}
	for (; k > 0 && r->gaps[k - 1].to_ms - r->gaps[k - 1].from_ms < b - a; k--)
		r->gaps[k] = r->gaps[k - 1];
	r->gaps[k] = g;
}

static int
by_at(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The observed share of [T+0, end): each observation covers the
 * cover_gap_ms after it. */
static int
coverage(struct wm_report *r)
{
	int64_t end = r->partial ? r->last_ms : r->opts.plan_ms, g = r->opts.cover_gap_ms;
	int64_t *t, upto = 0;
	size_t n = r->in->n_seen;

	r->coverage = NAN;
	if (n == 0 || end <= 0)
		return 0;
	if (!(t = malloc(n * sizeof(*t))))
		return -1;
	for (size_t i = 0; i < n; i++)
		t[i] = r->in->seen[i].at_ms;
	qsort(t, n, sizeof(*t), by_at);
	for (size_t i = 0; i < n && upto < end; i++) {
		if (t[i] > upto)
			gap(r, upto, t[i] < end ? t[i] : end);
		if (t[i] + g > upto)
			upto = t[i] + g;
	}
	gap(r, upto, end);
	free(t);
	r->coverage = 100.0 * (double)(end - r->unobserved_ms) / (double)end;
	return 0;
}

int
wm_report_downtime(struct wm_report *r, struct wm_err *err)
{
	const struct wm_report_seen **v;
	struct span *sp;
	size_t n = 0;

	for (size_t i = 0; i < r->n_incidents; i++) {
		const struct wm_report_incident *inc = &r->incidents[i];

		if (strcmp(inc->kind, "service-down") != 0 || !*inc->subject)
			continue;
		if (wm_report_seen(r, inc->subject, inc->opened_ms, false, SEEN_INCIDENT) ||
		    (inc->resolved_ms &&
		     wm_report_seen(r, inc->subject, inc->resolved_ms, true, SEEN_INCIDENT)))
			return wm_err_set(err, WM_ENOMEM, "out of memory");
	}
	if (!(v = malloc((r->in->n_seen + 1) * sizeof(*v))))
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	for (size_t i = 0; i < r->n_services; i++)
		if (service_downtime(r, &r->services[i], v)) {
			free(v);
			return wm_err_set(err, WM_ENOMEM, "out of memory");
		}
	free(v);
	for (size_t i = 0; i < r->n_services; i++)
		n += r->services[i].n_down;
	if (!(sp = malloc((n + 1) * sizeof(*sp))))
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	r->downtime_ms = union_ms(r, sp, 0);
	r->documented_ms = union_ms(r, sp, 1);
	free(sp);
	if (coverage(r))
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	return 0;
}
