/* render_nagios.c - the Nagios plugin output (monitoring-plugins developer
 * guidelines: status line, performance data, long output).
 *
 *   WM-CACHE CRITICAL - summary | 'hit_rate'=91.2%;85:;70:;0;100 'latency'=U;;;;
 *   [OK] redis.hit_rate - hit rate 91.2%
 *   [CRITICAL] redis.ping - connection refused
 *
 * Perfdata labels are the metric name, or "check.metric" when another check
 * of the result has a metric of the same name; always quoted, with ' doubled
 * and '=' (and control characters) replaced by '_'.  Units outside the guidelines' set (%, s, ms,
 * us, B, KB, MB, GB, TB, c) are dropped.  An unknown value is "U".  Texts have
 * '|' replaced by '/' and control characters (line breaks) by spaces:
 * either would end the status line or start perfdata; invalid UTF-8 becomes
 * U+FFFD.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/render_int.h"

static const char *
nagios_unit(const char *unit)
{
	static const char *const units[] = {"%", "s", "ms", "us", "B", "KB", "MB", "GB", "TB", "c"};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(unit, units[i]) == 0)
			return units[i];
	return "";
}

/* Text safe for a status or long-output line: UTF-8 clean, '|' as '/',
 * control characters as spaces. */
static void
put_text(FILE *out, const char *s)
{
	char *clean = wm_render_utf8(s);

	for (const char *p = clean ? clean : ""; *p; p++) {
		if (*p == '|')
			putc('/', out);
		else if ((unsigned char)*p < 0x20 || *p == 0x7f)
			putc(' ', out);
		else
			putc(*p, out);
	}
	free(clean);
}

/* A plain decimal (the guidelines' [-0-9.]), never an exponent. */
static void
put_number(FILE *out, double v)
{
	char buf[64];

	if (v == floor(v) && fabs(v) < 1e15) {
		fprintf(out, "%.0f", v);
		return;
	}
	/* perfdata is for graphs: six significant digits, not the noise of a
	 * difference of two clock readings (0.045807999558746815) */
	snprintf(buf, sizeof(buf), "%.6g", v);
	if (strchr(buf, 'e')) {
		size_t n;

		snprintf(buf, sizeof(buf), "%.12f", v);
		n = strlen(buf);
		while (n > 1 && buf[n - 1] == '0')
			buf[--n] = '\0';
		if (buf[n - 1] == '.')
			buf[n - 1] = '\0';
	}
	fputs(buf, out);
}

static void
put_optional(FILE *out, double v)
{
	putc(';', out);
	if (isfinite(v))
		put_number(out, v);
}

/* True when another check of r has a metric named like m. */
static bool
shared_name(const struct wm_result *r, const struct wm_check *own, const char *name)
{
	for (size_t i = 0; i < r->nchecks; i++) {
		if (r->checks[i] == own)
			continue;
		for (size_t j = 0; j < r->checks[i]->nmetrics; j++)
			if (strcmp(r->checks[i]->metrics[j].name, name) == 0)
				return true;
	}
	return false;
}

/* Part of a quoted perfdata label: ' doubled; '=', '|' and control
 * characters as '_'; UTF-8 clean. */
static void
put_label_part(FILE *out, const char *s)
{
	char *clean = wm_render_utf8(s);

	for (const char *p = clean ? clean : ""; *p; p++) {
		if (*p == '\'')
			fputs("''", out);
		else if (*p == '=' || *p == '|' || (unsigned char)*p < 0x20 || *p == 0x7f)
			putc('_', out);
		else
			putc(*p, out);
	}
	free(clean);
}

static void
put_perfdata(FILE *out, const struct wm_result *r, const struct wm_check *c,
	     const struct wm_metric *m)
{
	fputs(" '", out);
	if (shared_name(r, c, m->name)) {
		put_label_part(out, c->name);
		putc('.', out);
	}
	put_label_part(out, m->name);
	fputs("'=", out);
	if (isfinite(m->value)) {
		put_number(out, m->value);
		fputs(nagios_unit(m->unit), out);
	} else {
		putc('U', out);
	}
	putc(';', out);
	put_text(out, m->warn ? m->warn : "");
	putc(';', out);
	put_text(out, m->crit ? m->crit : "");
	put_optional(out, m->min);
	put_optional(out, m->max);
}

int
wm_render_nagios(const struct wm_result *r, FILE *out)
{
	char *summary = wm_render_summary(r);
	char tool[64];
	bool bar = false;

	if (!summary)
		return -1;
	wm_render_tool_upper(tool, sizeof(tool), r->tool);
	fprintf(out, "%s %s - ", tool, wm_state_name(wm_result_state(r)));
	put_text(out, summary);
	free(summary);
	for (size_t i = 0; i < r->nchecks; i++) {
		for (size_t j = 0; j < r->checks[i]->nmetrics; j++) {
			if (!bar)
				fputs(" |", out);
			bar = true;
			put_perfdata(out, r, r->checks[i], &r->checks[i]->metrics[j]);
		}
	}
	putc('\n', out);
	for (size_t i = 0; i < r->nchecks; i++) {
		const struct wm_check *c = r->checks[i];

		fprintf(out, "[%s] ", wm_state_name(c->state));
		put_text(out, c->name);
		if (c->summary[0]) {
			fputs(" - ", out);
			put_text(out, c->summary);
		}
		putc('\n', out);
	}
	return ferror(out) ? -1 : 0;
}
