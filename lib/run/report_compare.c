/* report_compare.c - several runs side by side (wm-report RUN RUN...,
 * "this deployment against the previous one"): per criterion the status and
 * the measured value in each run, each run's verdict, then each run's
 * report; in text, markdown, json and html. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/report_int.h"

/* "FAILED: 7 min downtime (7 min documented)" */
static void
cell(const struct wm_report_criterion *c, char *buf, size_t len)
{
	wm_report_fmt(buf, len, "%s: %s", wm_report_status_name(c->status), c->measured);
}

static int
compare_text(const struct wm_report *const *r, const char *const *names, size_t n, bool md,
	     FILE *out)
{
	char buf[WM_REPORT_TEXT_MAX + 32];

	if (md) {
		fputs("# Runs side by side\n\n| Criterion |", out);
		for (size_t i = 0; i < n; i++)
			fprintf(out, " run %zu: %s |", i + 1, names[i]);
		fputs("\n|---|", out);
		for (size_t i = 0; i < n; i++)
			fputs("---|", out);
		fputs("\n", out);
	} else {
		fprintf(out, "Criteria side by side:\n%-18s", "");
		for (size_t i = 0; i < n; i++)
			fprintf(out, i + 1 < n ? "  run %-30zu" : "  run %zu", i + 1);
		fputs("\n", out);
	}
	for (int c = -2; c < WM_CRIT_N; c++) {
		const char *key = c == -2 ? "verdict" : c == -1 ? "go_live" : r[0]->crit[c].key;

		fprintf(out, md ? "| %s |" : "%-18s", key);
		for (size_t i = 0; i < n; i++) {
			if (c == -2)
				wm_report_fmt(buf, sizeof(buf), "%s",
					      wm_verdict_name(r[i]->verdict));
			else if (c == -1)
				wm_report_fmt(buf, sizeof(buf), "%s", r[i]->go_live ? "YES" : "NO");
			else
				cell(&r[i]->crit[c], buf, sizeof(buf));
			if (md)
				fprintf(out, " %s |", buf);
			else /* no trailing blanks */
				fprintf(out, i + 1 < n ? "  %-34.34s" : "  %.34s", buf);
		}
		fputs("\n", out);
	}
	if (!md)
		for (size_t i = 0; i < n; i++)
			fprintf(out, "  run %zu: %s\n", i + 1, names[i]);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, md ? "\n---\n\n**Run %zu: %s**\n\n" : "\n\n##### run %zu: %s #####\n",
			i + 1, names[i]);
		if (wm_report_render_text(r[i], out, md))
			return -1;
	}
	return ferror(out) ? -1 : 0;
}

/* A new object at the end of array a (NULL on ENOMEM). */
static cJSON *
add_obj(cJSON *a)
{
	cJSON *x = cJSON_CreateObject();

	if (x && !cJSON_AddItemToArray(a, x)) {
		cJSON_Delete(x);
		return NULL;
	}
	return x;
}

/* {"schema":1,"tool":"wm-report","runs":[{run,verdict,exit,go_live}],
 *  "criteria":[{key,title,runs:[{status,value,measured}]}],"reports":[...]} */
static cJSON *
compare_json(const struct wm_report *const *r, const char *const *names, size_t n)
{
	cJSON *o = cJSON_CreateObject(), *runs = NULL, *crit = NULL, *reports = NULL, *x, *per;
	bool ok = o && cJSON_AddNumberToObject(o, "schema", 1) &&
		  cJSON_AddStringToObject(o, "tool", "wm-report") &&
		  (runs = cJSON_AddArrayToObject(o, "runs")) &&
		  (crit = cJSON_AddArrayToObject(o, "criteria")) &&
		  (reports = cJSON_AddArrayToObject(o, "reports"));

	for (size_t i = 0; ok && i < n; i++) {
		cJSON *rep;

		ok = (x = add_obj(runs)) && cJSON_AddStringToObject(x, "run", names[i]) &&
		     cJSON_AddStringToObject(x, "verdict", wm_verdict_name(r[i]->verdict)) &&
		     cJSON_AddNumberToObject(x, "exit", (double)r[i]->verdict) &&
		     cJSON_AddBoolToObject(x, "go_live", r[i]->go_live);
		rep = ok ? wm_report_json(r[i]) : NULL;
		if (!rep || !cJSON_AddStringToObject(rep, "run", names[i]) ||
		    !cJSON_AddItemToArray(reports, rep)) {
			cJSON_Delete(rep); /* not attached */
			ok = false;
		}
	}
	for (int c = 0; ok && c < WM_CRIT_N; c++) {
		ok = (x = add_obj(crit)) && cJSON_AddStringToObject(x, "key", r[0]->crit[c].key) &&
		     cJSON_AddStringToObject(x, "title", r[0]->crit[c].title) &&
		     (per = cJSON_AddArrayToObject(x, "runs"));
		for (size_t i = 0; ok && i < n; i++) {
			const struct wm_report_criterion *k = &r[i]->crit[c];
			cJSON *y = add_obj(per);

			ok =
			    y &&
			    cJSON_AddStringToObject(y, "status",
						    wm_report_status_name(k->status)) &&
			    cJSON_AddItemToObject(y, "value",
						  isnan(k->value) ? cJSON_CreateNull()
								  : cJSON_CreateNumber(k->value)) &&
			    cJSON_AddStringToObject(y, "measured", k->measured);
		}
	}
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static int
compare_html(const struct wm_report *const *r, const char *const *names, size_t n, FILE *o)
{
	char title[64], sfx[32];

	snprintf(title, sizeof(title), "%zu runs side by side", n);
	wm_report_html_open(o, title);
	fputs("<header><h1>Warungin POS &#8212; runs side by side</h1></header>\n"
	      "<section id=\"compare\"><table>\n<tr><th>Criterion</th>",
	      o);
	for (size_t i = 0; i < n; i++) {
		fprintf(o, "<th>run %zu: ", i + 1);
		wm_report_html_esc(o, names[i]);
		fputs("</th>", o);
	}
	fputs("</tr>\n<tr><th>verdict</th>", o);
	for (size_t i = 0; i < n; i++)
		fprintf(o, "<td class=\"v%d\">%s</td>", (int)r[i]->verdict,
			wm_verdict_name(r[i]->verdict));
	fputs("</tr>\n<tr><th>go-live</th>", o);
	for (size_t i = 0; i < n; i++)
		fprintf(o, "<td>%s</td>", r[i]->go_live ? "YES" : "NO");
	fputs("</tr>\n", o);
	for (int c = 0; c < WM_CRIT_N; c++) {
		fputs("<tr><th>", o);
		wm_report_html_esc(o, r[0]->crit[c].title);
		fputs("</th>", o);
		for (size_t i = 0; i < n; i++) {
			const struct wm_report_criterion *k = &r[i]->crit[c];

			fprintf(o, "<td><span class=\"%s\">%s</span> ",
				k->status == WM_REPORT_NOT_MEASURED
				    ? "NOT"
				    : wm_report_status_name(k->status),
				wm_report_status_name(k->status));
			wm_report_html_esc(o, k->measured);
			fputs("</td>", o);
		}
		fputs("</tr>\n", o);
	}
	fputs("</table></section>\n", o);
	for (size_t i = 0; i < n; i++) {
		snprintf(sfx, sizeof(sfx), "-%zu", i + 1);
		fprintf(o, "<section class=\"run\" id=\"run%s\"><h1>Run %zu: ", sfx, i + 1);
		wm_report_html_esc(o, names[i]);
		fputs("</h1>\n", o);
		wm_report_html_run(r[i], o, sfx);
		fputs("</section>\n", o);
	}
	wm_report_html_close(o);
	return ferror(o) ? -1 : 0;
}

int
wm_report_render_compare(const struct wm_report *const *r, const char *const *names, size_t n,
			 enum wm_report_format f, FILE *out)
{
	cJSON *o;
	char *s;
	int rc;

	switch (f) {
	case WM_REPORT_TEXT:
	case WM_REPORT_MARKDOWN:
		return compare_text(r, names, n, f == WM_REPORT_MARKDOWN, out);
	case WM_REPORT_HTML:
		return compare_html(r, names, n, out);
	case WM_REPORT_JSON:
		break;
	}
	o = compare_json(r, names, n);
	s = o ? cJSON_PrintUnformatted(o) : NULL;
	rc = s && fputs(s, out) >= 0 && fputc('\n', out) != EOF ? 0 : -1;
	free(s);
	cJSON_Delete(o);
	return rc;
}
