/* report_hours.c - downtime per service, and the hourly status log.
 *
 * Downtime comes from the container events when the journal has any for the
 * service (die, stop, kill, oom, unhealthy: down; start, healthy: up), else
 * from the watch samples that name it, else from its service-down incidents
 * (opened to resolved: the watch polls the containers every round), else
 * from the ticks' services results.  From
 * samples an interval runs from the first sample that saw the service down
 * to the first that saw it up again: the truth lies within one watch
 * interval of it.  An interval is documented when an incident about the
 * service that overlaps it was acknowledged with a note.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/report_int.h"

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
add_down(struct wm_report *r, struct wm_report_service *s, int64_t from, int64_t to, bool open)
{
	struct wm_report_down *d;

	from = from < 0 ? 0 : from;
	to = to > r->opts.plan_ms ? r->opts.plan_ms : to;
	if (to < from || (to == from && !open))
		return 0; /* still down at the very last record: an interval all the same */
	if (wm_report_grow((void **)&s->down, &s->cap_down, s->n_down, sizeof(*s->down)))
		return -1;
	d = &s->down[s->n_down++];
	memset(d, 0, sizeof(*d));
	d->from_ms = from;
	d->to_ms = to;
	d->open = open;
	document(r, s, d);
	s->down_ms += to - from;
	return 0;
}

static int
service_downtime(struct wm_report *r, struct wm_report_service *s, const struct wm_report_seen **v)
{
	const struct wm_report_int *in = r->in;
	enum wm_seen_how how = SEEN_TICK;
	size_t n = 0;
	int64_t from = 0;
	bool down = false;

	for (size_t i = 0; i < in->n_seen; i++)
		if (!strcmp(in->seen[i].service, s->name) && in->seen[i].how < how)
			how = in->seen[i].how;
	for (size_t i = 0; i < in->n_seen; i++)
		if (!strcmp(in->seen[i].service, s->name) && in->seen[i].how == how)
			v[n++] = &in->seen[i];
	if (n == 0)
		return 0;
	s->source = how == SEEN_EVENT	   ? "container events"
		    : how == SEEN_WATCH	   ? "watch samples"
		    : how == SEEN_INCIDENT ? "service-down incidents"
					   : "ticks";
	qsort(v, n, sizeof(*v), by_time);
	for (size_t i = 0; i < n; i++) {
		if (!v[i]->up && !down) {
			down = true;
			from = v[i]->at_ms;
		} else if (v[i]->up && down) {
			down = false;
			if (add_down(r, s, from, v[i]->at_ms, false))
				return -1;
		}
	}
	if (down && add_down(r, s, from, r->last_ms, true))
		return -1;
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
	return 0;
}

/* Append ", text" (or "text" first) to buf of size len. */
static void
append(char *buf, size_t len, const char *text)
{
	size_t n = strlen(buf);

	if (n + 3 < len)
		wm_report_fmt(buf + n, len - n, "%s%s", n ? "; " : "", text);
}

void
wm_report_hours(struct wm_report *r)
{
	const struct wm_report_int *in = r->in;

	for (int h = 0; h < WM_REPORT_HOURS; h++) {
		struct wm_report_hour *hr = &r->hours[h];
		int64_t lo = h * WM_HOUR_MS, hi = lo + WM_HOUR_MS + (h == WM_REPORT_HOURS - 1);
		char buf[WM_REPORT_TEXT_MAX], down[WM_REPORT_TEXT_MAX] = "";

		hr->to_come = r->partial && lo > r->last_ms;
		for (size_t i = 0; i < r->n_services; i++) {
			const struct wm_report_service *s = &r->services[i];

			if (!isnan(s->errors[h]))
				hr->errors = (isnan(hr->errors) ? 0 : hr->errors) + s->errors[h];
			for (size_t k = 0; k < s->n_down; k++) {
				const struct wm_report_down *d = &s->down[k];
				int64_t a = d->from_ms > lo ? d->from_ms : lo;
				int64_t b = d->to_ms < hi ? d->to_ms : hi;
				char when[32];

				if (b <= a && !(d->from_ms == d->to_ms && d->from_ms >= lo &&
						d->from_ms < hi))
					continue;
				wm_report_offset(d->from_ms, when, sizeof(when));
				wm_report_fmt(buf, sizeof(buf), "%s down %.1f min (from %s)",
					      s->name, (double)(b - a) / WM_MIN_MS, when);
				append(down, sizeof(down), buf);
			}
		}
		if (*down)
			wm_report_fmt(hr->status, sizeof(hr->status), "ISSUES: %.*s",
				      (int)sizeof(hr->status) - 9, down);
		else
			wm_report_fmt(hr->status, sizeof(hr->status), "%s",
				      hr->to_come  ? "to come"
				      : in->n_seen ? "ALL UP"
						   : "not checked");
		for (size_t i = 0; i < r->p99.n; i++)
			if (r->p99.p[i].at_ms >= lo && r->p99.p[i].at_ms < hi &&
			    (isnan(hr->p99) || r->p99.p[i].value > hr->p99))
				hr->p99 = r->p99.p[i].value;
		for (size_t i = 0; i < in->n_issues; i++)
			if (in->issues[i].at_ms >= lo && in->issues[i].at_ms < hi)
				append(hr->critical, sizeof(hr->critical), in->issues[i].text);
		if (!*hr->critical)
			wm_report_fmt(hr->critical, sizeof(hr->critical), "%s",
				      hr->to_come ? "" : "NONE");
		for (size_t i = 0; i < in->n_notes; i++)
			if (in->notes[i].at_ms >= lo && in->notes[i].at_ms < hi)
				append(hr->notes, sizeof(hr->notes), in->notes[i].text);
	}
}
