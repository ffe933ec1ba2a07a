/* report_json.c - the report as one JSON document, and the format switch.
 * Keys are snake_case, numbers are numbers, null is "not measured". */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/report_int.h"

static cJSON *
num(double v)
{
	return isnan(v) ? cJSON_CreateNull() : cJSON_CreateNumber(v);
}

static bool
add_num(cJSON *o, const char *key, double v)
{
	return cJSON_AddItemToObject(o, key, num(v));
}

static bool
criteria(const struct wm_report *r, cJSON *root)
{
	cJSON *a = cJSON_AddArrayToObject(root, "criteria");

	for (int i = 0; a && i < WM_CRIT_N; i++) {
		const struct wm_report_criterion *c = &r->crit[i];
		cJSON *o = cJSON_CreateObject();

		if (!o || !cJSON_AddItemToArray(a, o) ||
		    !cJSON_AddStringToObject(o, "key", c->key) ||
		    !cJSON_AddStringToObject(o, "title", c->title) ||
		    !cJSON_AddStringToObject(o, "status", wm_report_status_name(c->status)) ||
		    !add_num(o, "value", c->value) ||
		    !cJSON_AddStringToObject(o, "measured", c->measured) ||
		    !cJSON_AddStringToObject(o, "threshold", c->threshold) ||
		    !cJSON_AddStringToObject(o, "source", c->source) ||
		    !cJSON_AddStringToObject(o, "worst", c->worst) ||
		    !cJSON_AddStringToObject(o, "evidence", c->evidence))
			return false;
	}
	return a != NULL;
}

/* Which plan the report judged by: "plan": {"source", "text", "tiers"}. */
static bool
plan(const struct wm_report *r, cJSON *root)
{
	cJSON *p = cJSON_AddObjectToObject(root, "plan");
	char text[2 * WM_REPORT_TEXT_MAX];

	wm_report_plan_text(r, text, sizeof(text));
	return p &&
	       cJSON_AddStringToObject(p, "source", wm_report_plan_from_name(r->opts.plan_from)) &&
	       cJSON_AddStringToObject(p, "text", text) &&
	       cJSON_AddNumberToObject(p, "tiers", (double)r->opts.plan.n_tiers);
}

static bool
hours(const struct wm_report *r, cJSON *root)
{
	cJSON *a = cJSON_AddArrayToObject(root, "hours");

	for (int h = 0; a && h < r->n_hours; h++) {
		const struct wm_report_hour *hr = &r->hours[h];
		cJSON *o = cJSON_CreateObject();

		if (!o || !cJSON_AddItemToArray(a, o) || !cJSON_AddNumberToObject(o, "hour", h) ||
		    !cJSON_AddStringToObject(o, "tiers", hr->tiers) ||
		    !cJSON_AddBoolToObject(o, "to_come", hr->to_come) ||
		    !cJSON_AddStringToObject(o, "service_status", hr->status) ||
		    !add_num(o, "errors", hr->errors) || !add_num(o, "p99_s", hr->p99) ||
		    !cJSON_AddStringToObject(o, "critical_issues", hr->critical) ||
		    !cJSON_AddStringToObject(o, "notes", hr->notes))
			return false;
	}
	return a != NULL;
}

static bool
services(const struct wm_report *r, cJSON *root)
{
	cJSON *a = cJSON_AddArrayToObject(root, "services");

	for (size_t i = 0; a && i < r->n_services; i++) {
		const struct wm_report_service *s = &r->services[i];
		cJSON *o = cJSON_CreateObject(), *down, *err;

		if (!o || !cJSON_AddItemToArray(a, o) ||
		    !cJSON_AddStringToObject(o, "name", s->name) ||
		    !cJSON_AddItemToObject(o, "source",
					   *s->source ? cJSON_CreateString(s->source)
						      : cJSON_CreateNull()) ||
		    !cJSON_AddNumberToObject(o, "downtime_ms", (double)s->down_ms) ||
		    !(down = cJSON_AddArrayToObject(o, "down")) ||
		    !(err = cJSON_AddArrayToObject(o, "errors_per_hour")))
			return false;
		for (size_t k = 0; k < s->n_down; k++) {
			const struct wm_report_down *x = &s->down[k];
			cJSON *d = cJSON_CreateObject();

			/* the true start lies in (seen_up_ms, from_ms], the end in
			 * (seen_down_ms, to_ms]: began_by and ended_by say by what */
			if (!d || !cJSON_AddItemToArray(down, d) ||
			    !cJSON_AddNumberToObject(d, "from_ms", (double)x->from_ms) ||
			    !cJSON_AddNumberToObject(d, "to_ms", (double)x->to_ms) ||
			    !cJSON_AddItemToObject(
				d, "seen_up_ms",
				x->seen_up_ms < 0 ? cJSON_CreateNull()
						  : cJSON_CreateNumber((double)x->seen_up_ms)) ||
			    !cJSON_AddNumberToObject(d, "seen_down_ms", (double)x->seen_down_ms) ||
			    !cJSON_AddStringToObject(d, "began_by", x->began_by) ||
			    !cJSON_AddStringToObject(d, "ended_by", x->ended_by) ||
			    !cJSON_AddBoolToObject(d, "open", s->down[k].open) ||
			    !cJSON_AddBoolToObject(d, "documented", s->down[k].documented) ||
			    !cJSON_AddStringToObject(d, "incident", s->down[k].incident))
				return false;
		}
		for (int h = 0; h < r->n_hours; h++)
			if (!cJSON_AddItemToArray(err, num(s->errors[h])))
				return false;
	}
	return a != NULL;
}

/* The longest unobserved stretches of the run. */
static bool
gaps(const struct wm_report *r, cJSON *root)
{
	cJSON *a = cJSON_AddArrayToObject(root, "unobserved");

	for (size_t i = 0; a && i < r->n_gaps; i++) {
		cJSON *o = cJSON_CreateObject();

		if (!o || !cJSON_AddItemToArray(a, o) ||
		    !cJSON_AddNumberToObject(o, "from_ms", (double)r->gaps[i].from_ms) ||
		    !cJSON_AddNumberToObject(o, "to_ms", (double)r->gaps[i].to_ms) ||
		    !cJSON_AddBoolToObject(o, "monitoring_lost", r->gaps[i].lost))
			return false;
	}
	return a != NULL &&
	       cJSON_AddNumberToObject(root, "unobserved_ms", (double)r->unobserved_ms);
}

static bool
incidents(const struct wm_report *r, cJSON *root)
{
	cJSON *a = cJSON_AddArrayToObject(root, "incidents");

	for (size_t i = 0; a && i < r->n_incidents; i++) {
		const struct wm_report_incident *inc = &r->incidents[i];
		cJSON *o = cJSON_CreateObject(), *tl;

		if (!o || !cJSON_AddItemToArray(a, o) ||
		    !cJSON_AddStringToObject(o, "id", inc->id) ||
		    !cJSON_AddStringToObject(o, "kind", inc->kind) ||
		    !cJSON_AddStringToObject(o, "subject", inc->subject) ||
		    !cJSON_AddStringToObject(o, "state", inc->state) ||
		    !cJSON_AddStringToObject(o, "role", inc->role) ||
		    !cJSON_AddNumberToObject(o, "level", inc->level) ||
		    !cJSON_AddStringToObject(o, "root", inc->root) ||
		    !cJSON_AddStringToObject(o, "cause", inc->detail) ||
		    !cJSON_AddStringToObject(o, "consequences", inc->consequences) ||
		    !cJSON_AddNumberToObject(o, "opened_ms", (double)inc->opened_ms) ||
		    !cJSON_AddNumberToObject(o, "acked_ms", (double)inc->acked_ms) ||
		    !cJSON_AddNumberToObject(o, "resolved_ms", (double)inc->resolved_ms) ||
		    !cJSON_AddStringToObject(o, "ack_user", inc->ack_user) ||
		    !cJSON_AddStringToObject(o, "ack_note", inc->ack_note) ||
		    !(tl = cJSON_AddArrayToObject(o, "timeline")))
			return false;
		for (size_t k = 0; k < inc->n_events; k++) {
			cJSON *e = cJSON_CreateObject();

			if (!e || !cJSON_AddItemToArray(tl, e) ||
			    !cJSON_AddNumberToObject(e, "at_ms", (double)inc->events[k].at_ms) ||
			    !cJSON_AddStringToObject(e, "text", inc->events[k].text))
				return false;
		}
	}
	return a != NULL;
}

static bool
series(cJSON *root, const char *key, const struct wm_report_series *s)
{
	cJSON *a = cJSON_AddArrayToObject(root, key);

	for (size_t i = 0; a && i < s->n; i++) {
		cJSON *p = cJSON_CreateArray();

		if (!p || !cJSON_AddItemToArray(a, p) ||
		    !cJSON_AddItemToArray(p, cJSON_CreateNumber((double)s->p[i].at_ms)) ||
		    !cJSON_AddItemToArray(p, num(s->p[i].value)))
			return false;
	}
	return a != NULL;
}

static bool
people(const struct wm_report *r, cJSON *root)
{
	cJSON *a = cJSON_AddArrayToObject(root, "approvals"), *d, *reasons;

	for (size_t i = 0; a && i < r->n_approvals; i++) {
		const struct wm_report_approval *x = &r->approvals[i];
		cJSON *o = cJSON_CreateObject();

		if (!o || !cJSON_AddItemToArray(a, o) ||
		    !cJSON_AddStringToObject(o, "role", x->role) ||
		    !cJSON_AddStringToObject(o, "title", x->title) ||
		    !cJSON_AddBoolToObject(o, "required", x->required) ||
		    !cJSON_AddItemToObject(
			o, "name", *x->name ? cJSON_CreateString(x->name) : cJSON_CreateNull()) ||
		    !cJSON_AddItemToObject(o, "wall_ms",
					   x->wall_ms ? cJSON_CreateNumber((double)x->wall_ms)
						      : cJSON_CreateNull()))
			return false;
	}
	if (!a || !(d = cJSON_AddArrayToObject(root, "drill")))
		return false;
	for (size_t i = 0; i < r->n_drill; i++) {
		cJSON *o = cJSON_CreateObject();

		if (!o || !cJSON_AddItemToArray(d, o) ||
		    !cJSON_AddStringToObject(o, "channel", r->drill[i].channel) ||
		    !cJSON_AddBoolToObject(o, "ok", r->drill[i].ok) ||
		    !cJSON_AddStringToObject(o, "detail", r->drill[i].detail))
			return false;
	}
	if (!(reasons = cJSON_AddArrayToObject(root, "reasons")))
		return false;
	for (size_t i = 0; i < r->n_reasons; i++)
		if (!cJSON_AddItemToArray(reasons, cJSON_CreateString(r->reasons[i])))
			return false;
	return cJSON_AddItemToObject(
	    root, "baseline", r->baseline ? cJSON_Duplicate(r->baseline, 1) : cJSON_CreateNull());
}

cJSON *
wm_report_json(const struct wm_report *r)
{
	cJSON *o = cJSON_CreateObject();
	bool ok = o != NULL;

	ok = ok && cJSON_AddNumberToObject(o, "schema", 1);
	ok = ok && cJSON_AddStringToObject(o, "tool", "wm-report");
	ok = ok && cJSON_AddStringToObject(o, "target", r->target);
	ok = ok && cJSON_AddStringToObject(o, "verdict", wm_verdict_name(r->verdict));
	ok = ok && cJSON_AddNumberToObject(o, "exit", (double)r->verdict);
	ok = ok && cJSON_AddBoolToObject(o, "go_live", r->go_live);
	ok = ok && cJSON_AddBoolToObject(o, "partial", r->partial);
	ok = ok && cJSON_AddBoolToObject(o, "from_journal", r->from_journal);
	ok = ok && cJSON_AddNumberToObject(o, "start_wall_ms", (double)r->start_wall_ms);
	ok = ok && cJSON_AddNumberToObject(o, "scale", (double)r->scale);
	ok = ok && cJSON_AddNumberToObject(o, "plan_ms", (double)r->opts.plan_ms);
	ok = ok && cJSON_AddNumberToObject(o, "last_ms", (double)r->last_ms);
	ok = ok && cJSON_AddNumberToObject(o, "records", (double)r->records);
	ok = ok && cJSON_AddNumberToObject(o, "torn_bytes", (double)r->torn_bytes);
	ok = ok && cJSON_AddStringToObject(o, "invalid", r->invalid);
	ok = ok && add_num(o, "total_errors", r->total_errors);
	ok = ok && add_num(o, "critical_errors", r->critical_errors);
	ok = ok && cJSON_AddNumberToObject(o, "downtime_ms", (double)r->downtime_ms);
	ok = ok && cJSON_AddNumberToObject(o, "documented_downtime_ms", (double)r->documented_ms);
	ok = ok && add_num(o, "coverage", r->coverage) && gaps(r, o);
	ok = ok && add_num(o, "mean_response_s", r->mean_response_s);
	ok = ok && add_num(o, "hit_rate", r->day_hit_rate);
	ok = ok && cJSON_AddNumberToObject(o, "user_issues", (double)r->user_issues);
	ok = ok && cJSON_AddNumberToObject(o, "ticks_missed", (double)r->ticks_missed);
	ok = ok && cJSON_AddNumberToObject(o, "ticks_planned", (double)r->ticks_planned);
	ok = ok && cJSON_AddNumberToObject(o, "ticks_unrun", (double)r->ticks_unrun);
	ok = ok && plan(r, o);
	ok = ok && criteria(r, o) && hours(r, o) && services(r, o) && incidents(r, o);
	ok = ok && series(o, "p99_points", &r->p99) && series(o, "hit_rate_points", &r->hit_rate);
	ok = ok && people(r, o);
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

int
wm_report_render_json(const struct wm_report *r, FILE *out)
{
	cJSON *o = wm_report_json(r);
	char *s = o ? cJSON_PrintUnformatted(o) : NULL;
	int rc = s && fputs(s, out) >= 0 && fputc('\n', out) != EOF ? 0 : -1;

	free(s);
	cJSON_Delete(o);
	return rc;
}

int
wm_report_format_parse(const char *name)
{
	static const char *const names[] = {"text", "markdown", "json", "html"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return (int)i;
	return !strcmp(name, "md") ? WM_REPORT_MARKDOWN : -1;
}

int
wm_report_render(const struct wm_report *r, enum wm_report_format f, FILE *out)
{
	switch (f) {
	case WM_REPORT_TEXT:
	case WM_REPORT_MARKDOWN:
		return wm_report_render_text(r, out, f == WM_REPORT_MARKDOWN);
	case WM_REPORT_JSON:
		return wm_report_render_json(r, out);
	case WM_REPORT_HTML:
		return wm_report_render_html(r, out);
	}
	return -1;
}
