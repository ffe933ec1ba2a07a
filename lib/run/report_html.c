/* report_html.c - the report as one self-contained HTML file: inline CSS
 * (with print rules) and inline SVG charts, no script, no external
 * resource; a Content-Security-Policy of default-src 'none' makes the
 * browser refuse any fetch even if one slipped in.  The verdict and its
 * first three reasons come first. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/duration.h"
#include "run/report_int.h"

#define E(s) wm_report_html_esc(o, s)

static const char css[] =
    "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:780px;color:#222}"
    "h1{font-size:1.4em}h2{font-size:1.15em;border-bottom:1px solid #ccc;margin-top:1.6em}"
    ".verdict{font-size:1.6em;font-weight:bold;padding:.3em .6em;display:inline-block}"
    ".v0{background:#d9f2d9}.v1{background:#fff2cc}.v2{background:#f8d0d0}.v3{background:#e0e0e0}"
    "table{border-collapse:collapse;width:100%;font-size:.9em}"
    "td,th{border:1px solid #ccc;padding:.25em .4em;text-align:left;vertical-align:top}"
    ".MET{color:#176317}.WARN{color:#8a6d00}.FAILED{color:#a31515;font-weight:bold}"
    ".NOT{color:#555;font-style:italic}figure{margin:1em 0}"
    "svg.chart{max-width:100%;height:auto;font-size:11px}"
    ".up{fill:#7cc47c}.down{fill:#d62728}.documented{fill:#ff9f1a}.unknown{fill:#ddd}"
    ".grid{stroke:#ddd}.tick,.label{fill:#444}.none{fill:#888;font-style:italic}"
    ".limit{stroke:#d62728;stroke-dasharray:5 4}.limit-label{fill:#d62728}"
    ".series{fill:none;stroke:#1f77b4;stroke-width:1.5}.point{fill:#1f77b4}"
    ".sign td{height:2em}"
    "@media print{body{margin:0;max-width:none;font-size:11px}section,figure{break-inside:avoid}"
    "h2{break-after:avoid}.verdict{border:2px solid #000}a{color:inherit}}";

static void
wall(const struct wm_report *r, FILE *o, int64_t plan_ms)
{
	char t[WM_TIME_BUF];

	if (!r->started || wm_time_format(r->start_wall_ms + plan_ms / r->scale, t, sizeof(t)))
		fputs("-", o);
	else
		fputs(t, o);
}

/* v with prec decimals (-1: %g) and suffix, or "not measured". */
static void
num(FILE *o, double v, int prec, const char *suffix)
{
	if (isnan(v))
		fputs("not measured", o);
	else if (prec < 0)
		fprintf(o, "%g%s", v, suffix);
	else
		fprintf(o, "%.*f%s", prec, v, suffix);
}

void
wm_report_html_open(FILE *o, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'\">\n<meta name=\"viewport\" "
	      "content=\"width=device-width\">\n"
	      "<title>wm-report: ",
	      o);
	E(title);
	fprintf(o, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
}

void
wm_report_html_close(FILE *o)
{
	fputs("<footer><p>Made by wm-report (warunginmon) from the run's journal.</p></footer>\n"
	      "</body></html>\n",
	      o);
}

static void
head(const struct wm_report *r, FILE *o, const char *sfx)
{
	fprintf(o, "<header><h%s>Warungin POS &#8212; 24-hour post-deployment monitoring",
		*sfx ? "2" : "1");
	if (r->partial)
		fputs(" (report so far)", o);
	fprintf(o, "</h%s>\n<p class=\"verdict v%d\" id=\"verdict%s\">%s</p>\n", *sfx ? "2" : "1",
		(int)r->verdict, sfx, wm_verdict_name(r->verdict));
	if (r->n_reasons) {
		fprintf(o, "<ol id=\"reasons%s\">", sfx);
		for (size_t i = 0; i < r->n_reasons && i < 3; i++) {
			fputs("<li>", o);
			E(r->reasons[i]);
			fputs("</li>", o);
		}
		fputs("</ol>\n", o);
	}
	fputs("<p>Target <b>", o);
	E(*r->target ? r->target : "-");
	fputs("</b>, from ", o);
	wall(r, o, 0);
	fputs(" to ", o);
	wall(r, o, r->opts.plan_ms);
	if (r->partial) {
		char off[32];

		wm_report_offset(r->last_ms, off, sizeof(off));
		fprintf(o, "; a report so far, up to %s, %.1f hours to come", off,
			(double)(r->opts.plan_ms - r->last_ms) / WM_HOUR_MS);
	}
	if (r->torn_bytes)
		fprintf(o, "; the journal's last record was cut mid-write (%zu bytes ignored)",
			r->torn_bytes);
	if (r->from_journal) {
		char plan[2 * WM_REPORT_TEXT_MAX];

		wm_report_plan_text(r, plan, sizeof(plan));
		fputs(". Plan: ", o);
		E(plan);
	}
	fputs(".</p></header>\n", o);
}

static void
summary(const struct wm_report *r, FILE *o, const char *sfx)
{
	fprintf(o,
		"<section id=\"summary%s\"><h2>Final summary</h2><table>\n<tr><th>Total "
		"errors</th><td>",
		sfx);
	num(o, r->total_errors, -1, "");
	fputs("</td></tr>\n<tr><th>Critical errors</th><td>", o);
	num(o, r->critical_errors, -1, "");
	fprintf(o, "</td></tr>\n<tr><th>Service downtime</th><td>%.3g min (%.3g min documented)",
		(double)r->downtime_ms / WM_MIN_MS, (double)r->documented_ms / WM_MIN_MS);
	fputs("</td></tr>\n<tr><th>Average response time</th><td>", o);
	num(o, 1000 * r->mean_response_s, 0, " ms");
	fputs("</td></tr>\n<tr><th>Cache hit rate</th><td>", o);
	num(o, r->day_hit_rate, 1, " %");
	fprintf(o,
		"</td></tr>\n<tr><th>Overall status</th><td>%s</td></tr>\n"
		"<tr><th>Go-live approval</th><td>%s</td></tr></table></section>\n",
		wm_verdict_name(r->verdict), r->go_live ? "YES" : "NO");
}

static void
criteria(const struct wm_report *r, FILE *o, const char *sfx)
{
	fprintf(
	    o,
	    "<section id=\"criteria%s\"><h2>Success criteria</h2><table>\n<tr><th>Criterion</th>"
	    "<th>Status</th><th>Measured</th><th>Threshold</th><th>Source and worst "
	    "window</th></tr>\n",
	    sfx);
	for (int i = 0; i < WM_CRIT_N; i++) {
		const struct wm_report_criterion *c = &r->crit[i];

		fputs("<tr><td>", o);
		E(c->title);
		fprintf(o, "</td><td class=\"%s\">%s</td><td>",
			c->status == WM_REPORT_NOT_MEASURED ? "NOT"
							    : wm_report_status_name(c->status),
			wm_report_status_name(c->status));
		E(c->measured);
		fputs("</td><td>", o);
		E(c->threshold);
		fputs("</td><td>", o);
		E(c->source);
		if (*c->worst) {
			fputs("<br>worst: ", o);
			E(c->worst);
		}
		if (*c->evidence) {
			fputs("<br><b>", o);
			E(c->evidence);
			fputs("</b>", o);
		}
		fputs("</td></tr>\n", o);
	}
	fputs("</table></section>\n", o);
}

static void
hours(const struct wm_report *r, FILE *o, const char *sfx)
{
	fprintf(o,
		"<section id=\"hours%s\"><h2>Hourly status "
		"log</h2><table>\n<tr><th>Hour</th><th>Ticks</th>"
		"<th>Service status</th><th>Errors</th><th>Performance</th><th>Critical issues</th>"
		"<th>Notes</th></tr>\n",
		sfx);
	for (int h = 0; h < r->n_hours; h++) {
		const struct wm_report_hour *hr = &r->hours[h];

		fprintf(o, "<tr><td>T+%d&#8211;%d</td><td>", h, h + 1);
		E(hr->tiers);
		fputs("</td><td>", o);
		E(hr->status);
		fputs("</td><td>", o);
		if (isnan(hr->errors))
			fputs(hr->to_come ? "to come" : "-", o);
		else
			fprintf(o, "%g", hr->errors);
		fputs("</td><td>", o);
		if (isnan(hr->p99))
			fputs(hr->to_come ? "to come" : "-", o);
		else
			fprintf(o, "%s (p99 %.3g s)",
				hr->p99 < r->opts.p99_max_s ? "normal" : "ISSUES", hr->p99);
		fputs("</td><td>", o);
		E(hr->critical);
		fputs("</td><td>", o);
		E(hr->notes);
		fputs("</td></tr>\n", o);
	}
	fputs("</table></section>\n", o);
}

static void
incidents(const struct wm_report *r, FILE *o, const char *sfx)
{
	char off[32];

	fprintf(o, "<section id=\"incidents%s\"><h2>Incidents</h2>\n", sfx);
	if (!r->n_incidents)
		fputs("<p>None.</p>\n", o);
	for (size_t i = 0; i < r->n_incidents; i++) {
		const struct wm_report_incident *inc = &r->incidents[i];

		fputs("<h3>", o);
		E(inc->id);
		fputs(" ", o);
		E(inc->kind);
		fputs(" ", o);
		E(inc->subject);
		fputs(": ", o);
		E(inc->state);
		fputs("</h3>\n<ul>", o);
		if (*inc->detail) {
			fputs("<li>cause: ", o);
			E(inc->detail);
			fputs("</li>", o);
		}
		if (*inc->root) {
			fputs("<li>a consequence of ", o);
			E(inc->root);
			fputs(" (acknowledged with it)</li>", o);
		}
		if (*inc->consequences) {
			fputs("<li>consequences: ", o);
			E(inc->consequences);
			fputs("</li>", o);
		}
		for (size_t k = 0; k < inc->n_events; k++) {
			wm_report_offset(inc->events[k].at_ms, off, sizeof(off));
			fprintf(o, "<li>%s ", off);
			E(inc->events[k].text);
			fputs("</li>", o);
		}
		fputs("</ul>\n", o);
	}
	fputs("</section>\n", o);
}

static void
signoff(const struct wm_report *r, FILE *o, const char *sfx)
{
	fprintf(o, "<section id=\"checklist%s\"><h2>Drill</h2><ul>", sfx);
	for (size_t i = 0; i < r->n_drill; i++) {
		fputs("<li>", o);
		E(r->drill[i].channel);
		fprintf(o, ": %s (", r->drill[i].ok ? "delivered" : "FAILED");
		E(r->drill[i].detail);
		fputs(")</li>", o);
	}
	if (!r->n_drill)
		fputs("<li>no drill journaled</li>", o);
	fprintf(
	    o,
	    "</ul></section>\n<section id=\"signoff%s\"><h2>Sign-off</h2><table class=\"sign\">\n"
	    "<tr><th>Role</th><th>Name</th><th>Date</th><th>Signature</th></tr>\n",
	    sfx);
	for (size_t i = 0; i < r->n_approvals; i++) {
		const struct wm_report_approval *a = &r->approvals[i];
		char t[WM_TIME_BUF] = "";

		if (a->wall_ms)
			wm_time_format(a->wall_ms, t, sizeof(t));
		fputs("<tr><td>", o);
		E(a->title);
		fputs(a->required ? "" : " (optional)", o);
		fputs("</td><td>", o);
		E(a->name);
		fprintf(o, "</td><td>%s</td><td></td></tr>\n", t);
	}
	fprintf(o, "</table>\n<p><b>Final status: %s</b></p></section>\n",
		r->go_live			     ? "GO-LIVE APPROVED"
		: r->verdict <= WM_VERDICT_PASS_WARN ? "not yet approved (sign-offs missing)"
						     : "GO-LIVE NOT APPROVED");
}

void
wm_report_html_run(const struct wm_report *r, FILE *o, const char *sfx)
{
	head(r, o, sfx);
	summary(r, o, sfx);
	criteria(r, o, sfx);
	fprintf(o, "<section id=\"charts%s\"><h2>Charts</h2>\n", sfx);
	wm_report_html_charts(r, o, sfx);
	fputs("</section>\n", o);
	hours(r, o, sfx);
	incidents(r, o, sfx);
	signoff(r, o, sfx);
}

int
wm_report_render_html(const struct wm_report *r, FILE *o)
{
	char title[WM_REPORT_NAME_MAX + 32];

	snprintf(title, sizeof(title), "%s: %s", *r->target ? r->target : "run",
		 wm_verdict_name(r->verdict));
	wm_report_html_open(o, title);
	wm_report_html_run(r, o, "");
	wm_report_html_close(o);
	return ferror(o) ? -1 : 0;
}
