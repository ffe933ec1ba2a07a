/* report_text.c - the report as text (close to the runbook's monitoring log
 * template, final summary, checklist and sign-off sheet) and as markdown.
 * The verdict and its first three reasons come first: a person reads the
 * answer in 30 seconds, the evidence below it. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/duration.h"
#include "run/report_int.h"

struct doc {
	FILE *out;
	bool md;
};

static void
heading(struct doc *d, const char *title)
{
	if (d->md)
		fprintf(d->out, "\n## %s\n\n", title);
	else
		fprintf(d->out, "\n=== %s ===\n\n", title);
}

static void
wall(const struct wm_report *r, int64_t plan_ms, char *buf, size_t len)
{
	char t[WM_TIME_BUF];

	if (!r->started || wm_time_format(r->start_wall_ms + plan_ms / r->scale, t, sizeof(t)))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%s", t);
}

/* "12 min", "0", "not measured" */
static void
minutes(int64_t ms, char *buf, size_t len)
{
	snprintf(buf, len, "%.3g min", (double)ms / WM_MIN_MS);
}

static const char *
mark(enum wm_report_status s)
{
	return s == WM_REPORT_MET || s == WM_REPORT_WARN ? "[x]"
	       : s == WM_REPORT_FAILED			 ? "[ ]"
							 : "[?]";
}

static void
verdict(const struct wm_report *r, struct doc *d)
{
	FILE *o = d->out;

	fprintf(o, d->md ? "**Verdict: %s** (exit %d)\n\n" : "VERDICT: %s (exit %d)\n",
		wm_verdict_name(r->verdict), (int)r->verdict);
	for (size_t i = 0; i < r->n_reasons && i < 3; i++)
		fprintf(o, d->md ? "%zu. %s\n" : "  %zu. %s\n", i + 1, r->reasons[i]);
	if (r->n_reasons > 3)
		fprintf(o, d->md ? "\n(and %zu more reasons below)\n" : "  (and %zu more below)\n",
			r->n_reasons - 3);
}

static void
run_facts(const struct wm_report *r, struct doc *d)
{
	char a[WM_TIME_BUF + 8], b[WM_TIME_BUF + 8], off[32];
	FILE *o = d->out;

	wall(r, 0, a, sizeof(a));
	wall(r, r->opts.plan_ms, b, sizeof(b));
	fprintf(o, "\n%sTarget: %s\n", d->md ? "- " : "", *r->target ? r->target : "-");
	fprintf(o, "%sMonitoring Start: %s\n", d->md ? "- " : "", a);
	if (r->partial) {
		wm_report_offset(r->last_ms, off, sizeof(off));
		fprintf(o, "%sMonitoring End: %s (a report so far: up to %s, %.1f hours to come)\n",
			d->md ? "- " : "", b, off,
			(double)(r->opts.plan_ms - r->last_ms) / WM_HOUR_MS);
	} else {
		fprintf(o, "%sMonitoring End: %s\n", d->md ? "- " : "", r->started ? b : "-");
	}
	if (r->scale > 1)
		fprintf(o, "%sTime scale: %lld (the day compressed)\n", d->md ? "- " : "",
			(long long)r->scale);
	if (r->from_journal) {
		char plan[2 * WM_REPORT_TEXT_MAX];

		wm_report_plan_text(r, plan, sizeof(plan));
		fprintf(o, "%sPlan: %s\n", d->md ? "- " : "", plan);
	}
	if (r->from_journal)
		fprintf(o, "%sJournal: %zu records%s", d->md ? "- " : "", r->records,
			r->torn_bytes ? "; the last one was cut mid-write (" : "\n");
	if (r->from_journal && r->torn_bytes)
		fprintf(o, "%zu bytes ignored)\n", r->torn_bytes);
	if (*r->invalid)
		fprintf(o, "%sJournal damaged, read up to: %s\n", d->md ? "- " : "", r->invalid);
	if (r->unfinished)
		fprintf(o, "%sTicks in progress (their results wait for the tick's end): %zu\n",
			d->md ? "- " : "", r->unfinished);
}

/* v with prec decimals (-1: %g) and suffix, or none when not measured. */
static void
num_or(FILE *o, double v, int prec, const char *suffix, const char *none)
{
	if (isnan(v))
		fputs(none, o);
	else if (prec < 0)
		fprintf(o, "%g%s", v, suffix);
	else
		fprintf(o, "%.*f%s", prec, v, suffix);
}

static void
hours(const struct wm_report *r, struct doc *d)
{
	FILE *o = d->out;

	heading(d, "HOURLY STATUS LOG");
	if (d->md)
		fputs("| Hour | Time | Ticks | Service status | Errors | Performance | Critical "
		      "issues | Notes |\n|---|---|---|---|---|---|---|---|\n",
		      o);
	for (int h = 0; h < r->n_hours; h++) {
		const struct wm_report_hour *hr = &r->hours[h];
		char t[WM_TIME_BUF + 8];
		const char *sep = d->md ? " | " : "\n- ";

		wall(r, h * WM_HOUR_MS, t, sizeof(t));
		if (d->md)
			fprintf(o, "| %d-%d | %s | %s | %s | ", h, h + 1, t,
				*hr->tiers ? hr->tiers : "-", hr->status);
		else
			fprintf(o,
				"HOUR %d-%d (T+%d to T+%d)\n- Time: %s\n- Ticks: %s\n- Service "
				"Status: %s\n- Error Count: ",
				h, h + 1, h, h + 1, t, *hr->tiers ? hr->tiers : "none", hr->status);
		num_or(o, hr->errors, -1, "", hr->to_come ? "to come" : "not read this hour");
		fputs(d->md ? sep : "\n- Performance: ", o);
		if (isnan(hr->p99))
			fputs(hr->to_come ? "to come" : "not checked this hour", o);
		else
			fprintf(o, "%s (p99 %.3g s)",
				hr->p99 < r->opts.p99_max_s ? "NORMAL" : "ISSUES", hr->p99);
		fprintf(o, "%s%s%s",
			d->md ? sep : "\n- Critical Issues: ", *hr->critical ? hr->critical : "-",
			d->md ? sep : "\n- Notes: ");
		fprintf(o, "%s%s", *hr->notes ? hr->notes : "-", d->md ? " |\n" : "\n\n");
	}
}

static void
summary(const struct wm_report *r, struct doc *d)
{
	FILE *o = d->out;
	char dt[32], doc[32], off[32];

	wm_report_offset(r->opts.plan_ms, off, sizeof(off));
	fprintf(o, d->md ? "\n## FINAL SUMMARY (%s)\n\n" : "\n=== FINAL SUMMARY (%s) ===\n\n",
		r->partial ? "so far" : off);
	fputs("- Total Errors: ", o);
	num_or(o, r->total_errors, -1, "\n", "not measured\n");
	fputs("- Critical Errors: ", o);
	num_or(o, r->critical_errors, -1, "\n", "not measured\n");
	minutes(r->downtime_ms, dt, sizeof(dt));
	minutes(r->documented_ms, doc, sizeof(doc));
	if (r->crit[WM_CRIT_UPTIME].status == WM_REPORT_NOT_MEASURED)
		fputs("- Service Downtime: not measured\n", o);
	else
		fprintf(o, "- Service Downtime: %s (%s documented)\n", dt, doc);
	fputs("- Average Response Time: ", o);
	num_or(o, 1000 * r->mean_response_s, 0, " ms\n", "not measured\n");
	fputs("- Cache Hit Rate: ", o);
	num_or(o, r->day_hit_rate, 1, " %\n", "not measured\n");
	fprintf(o, "- Overall Status: %s\n", wm_verdict_name(r->verdict));
	fprintf(o, "- Go-Live Approval: %s\n", r->go_live ? "YES" : "NO");
}

static void
criteria(const struct wm_report *r, struct doc *d)
{
	FILE *o = d->out;

	heading(d, "SUCCESS CRITERIA");
	if (d->md)
		fputs("| Criterion | Status | Measured | Threshold | Source | Worst window |\n"
		      "|---|---|---|---|---|---|\n",
		      o);
	for (int i = 0; i < WM_CRIT_N; i++) {
		const struct wm_report_criterion *c = &r->crit[i];

		if (d->md) {
			fprintf(o, "| %s | %s | %s | %s | %s | %s |\n", c->title,
				wm_report_status_name(c->status), c->measured, c->threshold,
				*c->source ? c->source : "-", *c->worst ? c->worst : "-");
			continue;
		}
		fprintf(o, "[%s] %s\n    measured: %s; threshold: %s\n",
			wm_report_status_name(c->status), c->title, c->measured, c->threshold);
		if (*c->source)
			fprintf(o, "    source: %s\n", c->source);
		if (*c->worst)
			fprintf(o, "    worst window: %s\n", c->worst);
		if (*c->evidence)
			fprintf(o, "    %s: %s\n",
				c->status == WM_REPORT_NOT_MEASURED ? "why" : "evidence",
				c->evidence);
	}
	if (r->n_reasons) {
		fputs(d->md ? "\nEvery reason:\n\n" : "\nEvery reason:\n", o);
		for (size_t i = 0; i < r->n_reasons; i++)
			fprintf(o, d->md ? "- %s\n" : "  - %s\n", r->reasons[i]);
	}
}

/* What the observations allow: when the interval began and ended. */
static void
bounds(FILE *o, const struct wm_report_down *x)
{
	char a[32], b[32];

	wm_report_offset(x->seen_up_ms, a, sizeof(a));
	wm_report_offset(x->from_ms, b, sizeof(b));
	if (strcmp(x->began_by, "container event") != 0 && x->seen_up_ms < 0)
		fprintf(o, "      began at or before %s (seen down by a %s)\n", b, x->began_by);
	else if (strcmp(x->began_by, "container event") != 0)
		fprintf(o, "      began between %s and %s (seen down by a %s)\n", a, b,
			x->began_by);
	if (x->open || !strcmp(x->ended_by, "container event"))
		return;
	wm_report_offset(x->seen_down_ms, a, sizeof(a));
	wm_report_offset(x->to_ms, b, sizeof(b));
	fprintf(o, "      ended between %s and %s (seen up by a %s)\n", a, b, x->ended_by);
}

/* How much of the run the services were observed, and the longest holes. */
static void
coverage(const struct wm_report *r, struct doc *d)
{
	FILE *o = d->out;
	char a[32], b[32];

	if (isnan(r->coverage))
		return;
	fprintf(o, "\nObserved: %.1f %% of the run (an observation covers the %g min after it)\n",
		r->coverage, (double)r->opts.cover_gap_ms / WM_MIN_MS);
	for (size_t i = 0; i < r->n_gaps; i++) {
		wm_report_offset(r->gaps[i].from_ms, a, sizeof(a));
		wm_report_offset(r->gaps[i].to_ms, b, sizeof(b));
		fprintf(o, "- unobserved %s to %s (%.3g min%s)\n", a, b,
			(double)(r->gaps[i].to_ms - r->gaps[i].from_ms) / WM_MIN_MS,
			r->gaps[i].lost ? ", monitoring lost" : "");
	}
}

static void
downtime(const struct wm_report *r, struct doc *d)
{
	FILE *o = d->out;
	char m[32], a[32], b[32];

	heading(d, "DOWNTIME PER SERVICE");
	for (size_t i = 0; i < r->n_services; i++) {
		const struct wm_report_service *s = &r->services[i];

		if (!*s->source)
			continue;
		minutes(s->down_ms, m, sizeof(m));
		fprintf(o, "- %s: %s (from %s)\n", s->name, s->down_ms ? m : "0", s->source);
		for (size_t k = 0; k < s->n_down; k++) {
			const struct wm_report_down *x = &s->down[k];

			wm_report_offset(x->from_ms, a, sizeof(a));
			wm_report_offset(x->to_ms, b, sizeof(b));
			fprintf(o, "    - %s to %s%s, %s%s\n", a, b, x->open ? " (still down)" : "",
				x->documented ? "documented by " : "not documented",
				x->documented ? x->incident : "");
			bounds(o, x);
		}
	}
	if (!r->n_services)
		fputs("No service was observed.\n", o);
	coverage(r, d);
}

static void
incidents(const struct wm_report *r, struct doc *d)
{
	FILE *o = d->out;
	char off[32];

	heading(d, "INCIDENTS");
	if (!r->n_incidents)
		fputs("None.\n", o);
	for (size_t i = 0; i < r->n_incidents; i++) {
		const struct wm_report_incident *inc = &r->incidents[i];

		fprintf(o, d->md ? "### %s %s %s: %s\n\n" : "%s %s %s: %s\n", inc->id, inc->kind,
			inc->subject, *inc->state ? inc->state : "?");
		if (*inc->detail)
			fprintf(o, "  cause: %s\n", inc->detail);
		if (*inc->root)
			fprintf(o, "  a consequence of %s (acknowledged with it)\n", inc->root);
		if (*inc->consequences)
			fprintf(o, "  consequences: %s\n", inc->consequences);
		for (size_t k = 0; k < inc->n_events; k++) {
			wm_report_offset(inc->events[k].at_ms, off, sizeof(off));
			fprintf(o, "  - %s %s\n", off, inc->events[k].text);
		}
		fputs("\n", o);
	}
}

/* The baseline's numbers as "path = value" lines (any shape of object). */
static void
flat(FILE *o, const cJSON *j, const char *path, int depth)
{
	const cJSON *c;
	char p[256];

	if (cJSON_IsNumber(j) || cJSON_IsString(j)) {
		if (cJSON_IsNumber(j))
			fprintf(o, "- %s = %.10g\n", path, j->valuedouble);
		else
			fprintf(o, "- %s = %s\n", path, j->valuestring);
		return;
	}
	if (!cJSON_IsObject(j) || depth > 4)
		return;
	cJSON_ArrayForEach(c, j)
	{
		snprintf(p, sizeof(p), "%s%s%s", path, *path ? "." : "",
			 c->string ? c->string : "");
		flat(o, c, p, depth + 1);
	}
}

static void
drill_baseline(const struct wm_report *r, struct doc *d)
{
	FILE *o = d->out;

	heading(d, "DRILL (T+0)");
	if (!r->n_drill)
		fputs(r->from_journal ? "No drill was journaled.\n" : "-\n", o);
	for (size_t i = 0; i < r->n_drill; i++)
		fprintf(o, "- %s: %s (%s)\n", r->drill[i].channel,
			r->drill[i].ok ? "delivered" : "FAILED", r->drill[i].detail);
	heading(d, "BASELINE");
	if (!r->baseline)
		fputs(r->baseline_bad ? "baseline.json is not JSON: left out.\n" : "No baseline.\n",
		      o);
	else
		flat(o, r->baseline, "", 0);
}

static void
checklist(const struct wm_report *r, struct doc *d)
{
	static const struct {
		const char *text;
		int crit[3];
		bool strict; /* WARN does not tick it */
	} items[] = {
	    /* "24 hours": the run's length is the plan's */
	    {"Services: All 8 services remained UP for entire", {WM_CRIT_UPTIME, -1, -1}, true},
	    {"Errors: Total critical errors = 0 or acceptable",
	     {WM_CRIT_CRITICAL_ERRORS, -1, -1},
	     false},
	    {"Security: All security fixes operational, no breaches",
	     {WM_CRIT_SECURITY, -1, -1},
	     false},
	    {"Performance: Response times within acceptable range",
	     {WM_CRIT_P99, WM_CRIT_DB_P95, WM_CRIT_HIT_RATE},
	     false},
	    {"Uptime: 100% uptime (or documented downtime < 5 minutes)",
	     {WM_CRIT_UPTIME, -1, -1},
	     false},
	    {"Users: No user-facing issues reported", {WM_CRIT_USERS, -1, -1}, false},
	    {"Data: Database integrity verified, no data loss", {WM_CRIT_DATA_LOSS, -1, -1}, false},
	    {"Monitoring: All monitoring systems operational", {WM_CRIT_MONITORING, -1, -1}, false},
	    /* the runbook's objective, not in its checklist: confirm incident
	       response procedures are operational */
	    {"Incident response: procedures operational (the T+0 drill)",
	     {WM_CRIT_DRILL, -1, -1},
	     false},
	};

	FILE *o = d->out;

	heading(d, "COMPLETION CHECKLIST");
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		enum wm_report_status s = WM_REPORT_MET;

		for (int k = 0; k < 3 && items[i].crit[k] >= 0; k++) {
			enum wm_report_status c = r->crit[items[i].crit[k]].status;

			if (c == WM_REPORT_WARN && items[i].strict)
				c = WM_REPORT_FAILED;
			if (c == WM_REPORT_FAILED ||
			    (c == WM_REPORT_NOT_MEASURED && s != WM_REPORT_FAILED))
				s = c;
		}
		fprintf(o, "- %s %s", mark(s), items[i].text);
		if (i == 0)
			fprintf(o, " %g hours", (double)r->opts.plan_ms / WM_HOUR_MS);
		fputc('\n', o);
	}
}

static const char *
ok_word(enum wm_report_status s)
{
	return s == WM_REPORT_MET      ? "OK"
	       : s == WM_REPORT_WARN   ? "OK (with a warning)"
	       : s == WM_REPORT_FAILED ? "FAILED"
				       : "not measured";
}

static void
signoff(const struct wm_report *r, struct doc *d)
{
	FILE *o = d->out;
	char end[WM_TIME_BUF + 8], start[WM_TIME_BUF + 8];

	wall(r, r->opts.plan_ms, end, sizeof(end));
	wall(r, 0, start, sizeof(start));
	heading(d, "24-HOUR POST-DEPLOYMENT MONITORING - SIGN-OFF");
	if (d->md)
		fputs("```\n", o);
	fprintf(o,
		"Target: %s\nMonitoring Start: %s\nMonitoring Period: %.3g hours\nEnd Time: %s\n\n",
		*r->target ? r->target : "-", start, (double)r->opts.plan_ms / WM_HOUR_MS,
		r->partial ? "(not reached)" : end);
	fputs("RESULTS SUMMARY:\n", o);
	fputs("- Service Uptime: ", o);
	num_or(o, r->crit[WM_CRIT_UPTIME].value, 3, " %", "-");
	fprintf(o, " %s\n", ok_word(r->crit[WM_CRIT_UPTIME].status));
	fputs("- Critical Errors: ", o);
	num_or(o, r->critical_errors, -1, "", "-");
	fprintf(o, " %s\n", ok_word(r->crit[WM_CRIT_CRITICAL_ERRORS].status));
	fputs("- Security Issues: ", o);
	num_or(o, r->crit[WM_CRIT_SECURITY].value, -1, "", "-");
	fprintf(o, " %s\n", ok_word(r->crit[WM_CRIT_SECURITY].status));
	fprintf(o, "- User Incidents: %zu %s\n", r->user_issues,
		ok_word(r->crit[WM_CRIT_USERS].status));
	fprintf(o, "- Data Integrity: %s\n\n",
		r->crit[WM_CRIT_DATA_LOSS].status == WM_REPORT_MET
		    ? "Verified"
		    : ok_word(r->crit[WM_CRIT_DATA_LOSS].status));
	fputs("MONITORING COMPLETED BY:\nName: ________________  Date: __________  Signature: "
	      "________________\n\nAPPROVALS:\n",
	      o);
	for (size_t i = 0; i < r->n_approvals; i++) {
		const struct wm_report_approval *a = &r->approvals[i];
		char t[WM_TIME_BUF] = "__________", label[WM_REPORT_NAME_MAX + 2];

		if (a->wall_ms)
			wm_time_format(a->wall_ms, t, sizeof(t));
		snprintf(label, sizeof(label), "%s:", a->title);
		fprintf(o, "%-17s %-20s Date: %-24s Signature: ________________%s\n", label,
			*a->name ? a->name : "________________", t,
			a->required ? "" : " (optional)");
	}
	fprintf(o, "\nFINAL STATUS: %s\n",
		r->go_live			     ? "GO-LIVE APPROVED - PRODUCTION ACTIVE"
		: r->verdict <= WM_VERDICT_PASS_WARN ? "NOT YET APPROVED (sign-offs missing)"
						     : "GO-LIVE NOT APPROVED");
	if (d->md)
		fputs("```\n", o);
}

int
wm_report_render_text(const struct wm_report *r, FILE *out, bool md)
{
	struct doc d = {out, md};

	fprintf(out,
		md ? "# Warungin POS - 24-hour post-deployment monitoring%s\n\n"
		   : "=== WARUNGIN POS - 24-HOUR POST-DEPLOYMENT MONITORING%s ===\n",
		r->partial ? " (report so far)" : "");
	verdict(r, &d);
	run_facts(r, &d);
	summary(r, &d);
	criteria(r, &d);
	hours(r, &d);
	downtime(r, &d);
	incidents(r, &d);
	drill_baseline(r, &d);
	checklist(r, &d);
	signoff(r, &d);
	return ferror(out) ? -1 : 0;
}
