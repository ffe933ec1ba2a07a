/* report_svg.c - the HTML report's four charts, inline SVG (no script, no
 * external resource): availability per service over the day, errors per
 * hour per service, p99 per read against the 2 s line, hit rate per read
 * against 85 %.  Each chart is an <svg> with a fixed id (chart-availability,
 * chart-errors, chart-p99, chart-hit-rate) that tests look for. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "run/report_int.h"

#define W 720.0
#define LEFT 110.0
#define RIGHT 700.0

static const char *const palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
				      "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

/* Text escaped for HTML and SVG. */
void
wm_report_html_esc(FILE *o, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '&':
			fputs("&amp;", o);
			break;
		case '<':
			fputs("&lt;", o);
			break;
		case '>':
			fputs("&gt;", o);
			break;
		case '"':
			fputs("&quot;", o);
			break;
		case '\'':
			fputs("&#39;", o);
			break;
		default:
			fputc(*s, o);
		}
}

static double
x_of(const struct wm_report *r, int64_t at)
{
	double f = (double)at / (double)r->opts.plan_ms;

	f = f < 0 ? 0 : f > 1 ? 1 : f;
	return LEFT + f * (RIGHT - LEFT);
}

static void
open_svg(FILE *o, const char *id, const char *sfx, double h, const char *label)
{
	fprintf(o,
		"<svg id=\"%s%s\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" "
		"viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\" "
		"aria-label=\"",
		id, sfx, W, h, W, h);
	wm_report_html_esc(o, label);
	fputs("\">\n", o);
}

/* The hour axis at y: a line every 4 hours, labelled T+N. */
static void
hour_axis(const struct wm_report *r, FILE *o, double top, double y)
{
	int hours = (int)(r->opts.plan_ms / WM_HOUR_MS);

	for (int h = 0; h <= hours; h += 4) {
		double x = x_of(r, h * WM_HOUR_MS);

		fprintf(o,
			"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
			"<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" "
			"text-anchor=\"middle\">T+%d</text>\n",
			x, top, x, y, x, y + 14, h);
	}
}

static void
no_data(FILE *o, double y, const char *what)
{
	fprintf(o, "<text x=\"%.0f\" y=\"%.0f\" class=\"none\" text-anchor=\"middle\">%s</text>\n",
		(LEFT + RIGHT) / 2, y, what);
}

static void
availability(const struct wm_report *r, FILE *o, const char *sfx)
{
	double row = 20, h = 40 + row * (double)(r->n_services ? r->n_services : 1);
	int64_t seen_to = r->partial ? r->last_ms : r->opts.plan_ms;
	char label[160];

	/* the run's hours: the plan's */
	snprintf(label, sizeof(label),
		 "Service availability over the %g hours: green up, red down, orange "
		 "documented, grey unobserved",
		 (double)r->opts.plan_ms / WM_HOUR_MS);
	open_svg(o, "chart-availability", sfx, h, label);
	for (size_t i = 0; i < r->n_services; i++) {
		const struct wm_report_service *s = &r->services[i];
		double y = 10 + row * (double)i;

		fputs("<text x=\"4\" class=\"label\" y=\"", o);
		fprintf(o, "%.1f\">", y + 13);
		wm_report_html_esc(o, s->name);
		fputs("</text>", o);
		if (!*s->source) {
			fprintf(o,
				"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" "
				"class=\"unknown\"/>\n",
				LEFT, y, RIGHT - LEFT);
			continue;
		}
		fprintf(o,
			"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" class=\"up\"/>",
			LEFT, y, x_of(r, seen_to) - LEFT);
		for (size_t k = 0; k < r->n_gaps; k++) { /* not seen: not "up" */
			double x0 = x_of(r, r->gaps[k].from_ms), x1 = x_of(r, r->gaps[k].to_ms);

			fprintf(o,
				"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" "
				"class=\"unknown\"><title>unobserved %.3g min</title></rect>",
				x0, y, x1 - x0,
				(double)(r->gaps[k].to_ms - r->gaps[k].from_ms) / WM_MIN_MS);
		}
		for (size_t k = 0; k < s->n_down; k++) {
			const struct wm_report_down *d = &s->down[k];
			double x0 = x_of(r, d->from_ms), x1 = x_of(r, d->to_ms);

			fprintf(
			    o,
			    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" class=\"%s\">"
			    "<title>",
			    x0, y, x1 - x0 < 2 ? 2 : x1 - x0,
			    d->documented ? "documented" : "down");
			wm_report_html_esc(o, s->name);
			fprintf(o, " down %.3g min</title></rect>",
				(double)(d->to_ms - d->from_ms) / WM_MIN_MS);
		}
		fputs("\n", o);
	}
	if (!r->n_services)
		no_data(o, 24, "no service observed");
	hour_axis(r, o, 6, h - 22);
	fputs("</svg>\n", o);
}

static void
errors(const struct wm_report *r, FILE *o, const char *sfx)
{
	double top = 10, bottom = 170, max = 1, bw = (RIGHT - LEFT) / r->n_hours;
	bool any = false;

	for (int h = 0; h < r->n_hours; h++)
		if (!isnan(r->hours[h].errors) && r->hours[h].errors > max)
			max = r->hours[h].errors;
	open_svg(o, "chart-errors", sfx, 230, "Errors per hour per service");
	fprintf(o,
		"<text x=\"4\" y=\"%.0f\" class=\"tick\">%g</text><text x=\"4\" y=\"%.0f\" "
		"class=\"tick\">0</text>\n",
		top + 8, max, bottom);
	for (int h = 0; h < r->n_hours; h++) {
		double y = bottom;

		for (size_t i = 0; i < r->n_services; i++) {
			double v = r->services[i].errors[h], bh;

			if (isnan(v) || v <= 0)
				continue;
			any = true;
			bh = (bottom - top) * v / max;
			y -= bh;
			fprintf(o,
				"<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
				"fill=\"%s\">"
				"<title>T+%d ",
				LEFT + bw * h + 1, y, bw - 2, bh, palette[i % 10], h);
			wm_report_html_esc(o, r->services[i].name);
			fprintf(o, ": %g errors</title></rect>", v);
		}
	}
	fputs("\n", o);
	if (!any)
		no_data(o, 90, "no error counted");
	for (size_t i = 0, k = 0; i < r->n_services; i++) {
		bool has = false;

		for (int h = 0; h < r->n_hours; h++)
			has = has ||
			      (!isnan(r->services[i].errors[h]) && r->services[i].errors[h] > 0);
		if (!has)
			continue;
		fprintf(o,
			"<rect x=\"%.0f\" y=\"212\" width=\"10\" height=\"10\" fill=\"%s\"/>"
			"<text x=\"%.0f\" y=\"221\" class=\"tick\">",
			LEFT + 95.0 * (double)k, palette[i % 10], LEFT + 95.0 * (double)k + 13);
		wm_report_html_esc(o, r->services[i].name);
		fputs("</text>", o);
		k++;
	}
	hour_axis(r, o, top, bottom);
	fputs("</svg>\n", o);
}

/* A series against a threshold line: p99 (s) or hit rate (%). */
static void
line_chart(const struct wm_report *r, FILE *o, const char *id, const char *sfx, const char *label,
	   const struct wm_report_series *s, double limit, double ymax, const char *unit)
{
	double top = 10, bottom = 170, ly;

	for (size_t i = 0; i < s->n; i++)
		if (s->p[i].value * 1.1 > ymax)
			ymax = s->p[i].value * 1.1;
	open_svg(o, id, sfx, 200, label);
	ly = bottom - (bottom - top) * limit / ymax;
	fprintf(o,
		"<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"limit\"/>"
		"<text x=\"4\" y=\"%.1f\" class=\"limit-label\">%g %s</text>\n"
		"<text x=\"4\" y=\"%.0f\" class=\"tick\">0</text>\n",
		LEFT, ly, RIGHT, ly, ly + 4, limit, unit, bottom);
	if (s->n) {
		fputs("<polyline class=\"series\" points=\"", o);
		for (size_t i = 0; i < s->n; i++)
			fprintf(o, "%s%.1f,%.1f", i ? " " : "", x_of(r, s->p[i].at_ms),
				bottom - (bottom - top) * s->p[i].value / ymax);
		fputs("\"/>\n", o);
		for (size_t i = 0; i < s->n; i++) {
			char off[32];

			wm_report_offset(s->p[i].at_ms, off, sizeof(off));
			fprintf(o,
				"<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
				"class=\"point\"><title>%s: %.3g %s"
				"</title></circle>",
				x_of(r, s->p[i].at_ms),
				bottom - (bottom - top) * s->p[i].value / ymax, off, s->p[i].value,
				unit);
		}
		fputs("\n", o);
	} else {
		no_data(o, 90, "not measured");
	}
	hour_axis(r, o, top, bottom);
	fputs("</svg>\n", o);
}

void
wm_report_html_charts(const struct wm_report *r, FILE *o, const char *sfx)
{
	fputs("<figure>", o);
	availability(r, o, sfx);
	fputs("<figcaption>Service availability over the day (green up, red down, orange "
	      "documented by an incident, grey unobserved)</figcaption></figure>\n<figure>",
	      o);
	errors(r, o, sfx);
	fputs("<figcaption>Errors per hour per service</figcaption></figure>\n<figure>", o);
	line_chart(r, o, "chart-p99", sfx, "Response time p99 per read against the 2 s line",
		   &r->p99, r->opts.p99_max_s, r->opts.p99_max_s * 1.25, "s");
	fputs("<figcaption>Response time p99 per read, against the limit</figcaption></figure>\n"
	      "<figure>",
	      o);
	line_chart(r, o, "chart-hit-rate", sfx, "Cache hit rate per read against 85 %",
		   &r->hit_rate, r->opts.hit_rate_min, 100, "%");
	fputs("<figcaption>Cache hit rate per read, against the minimum</figcaption></figure>\n",
	      o);
}
