/* report_hours.c - the hourly status log: per hour the ticks, the
 * services' downtime (report_downtime.c), the error count, the performance,
 * the critical issues and the operators' notes. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/report_int.h"

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

	for (int h = 0; h < r->n_hours; h++) {
		struct wm_report_hour *hr = &r->hours[h];
		int64_t lo = h * WM_HOUR_MS, hi = lo + WM_HOUR_MS;
		char buf[WM_REPORT_TEXT_MAX], down[WM_REPORT_TEXT_MAX] = "";

		/* the last hour holds the plan's end (T+24h) */
		if (h == r->n_hours - 1)
			hi = (hi > r->opts.plan_ms ? hi : r->opts.plan_ms) + 1;
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
