/* render_text.c - the text format, for people.
 *
 *   WM-CACHE CRITICAL - 2 checks: 1 OK, 1 CRITICAL (redis.ping: connection refused)
 *   target: prod
 *   [OK]       redis.hit_rate - hit rate 91.2%
 *                hit_rate=91.2% (warn 85:, crit 70:)
 *   [CRITICAL] redis.ping - connection refused
 *
 * The "target:" line appears only for a named target.  Colour (ANSI SGR on
 * the state words) only when asked for; the program decides (TTY, NO_COLOR).
 * Texts come from the outside world (log lines), so they are printed UTF-8
 * clean with control characters as '?' (tab and newline as a space): a log
 * line must not be able to move the cursor of whoever reads the output.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render_impl.h"

/* s made safe for a terminal (see above). */
static void
put_clean(FILE *out, const char *s)
{
	char *clean = wm_render_utf8(s);

	for (const char *p = clean ? clean : ""; *p; p++) {
		if (*p == '\n' || *p == '\t')
			putc(' ', out);
		else if ((unsigned char)*p < 0x20 || *p == 0x7f)
			putc('?', out);
		else
			putc(*p, out);
	}
	free(clean);
}

static const char *
state_color(enum wm_state s)
{
	switch (s) {
	case WM_OK:
		return "\033[32m";
	case WM_WARNING:
		return "\033[33m";
	case WM_CRITICAL:
		return "\033[1;31m";
	case WM_UNKNOWN:
		return "\033[35m";
	}
	return "";
}

/* "[STATE]" padded to the width of "[CRITICAL]", coloured when asked. */
static void
put_state(FILE *out, enum wm_state s, bool color, bool pad)
{
	const char *name = wm_state_name(s);
	int width = pad ? (int)(sizeof("CRITICAL") - 1 - strlen(name)) : 0;

	if (color)
		fprintf(out, "%s[%s]\033[0m%*s", state_color(s), name, width, "");
	else
		fprintf(out, "[%s]%*s", name, width, "");
}

/* A value for people: integers in full, others with 6 significant digits. */
static void
put_value(FILE *out, double v, const char *unit)
{
	if (isnan(v))
		fputs("unknown", out);
	else if (v == floor(v) && fabs(v) < 1e15)
		fprintf(out, "%.0f", v);
	else
		fprintf(out, "%.6g", v);
	if (unit && *unit) {
		if (strcmp(unit, "%") != 0)
			putc(' ', out);
		put_clean(out, unit);
	}
}

static void
put_metric(FILE *out, const struct wm_metric *m)
{
	fputs("             ", out);
	put_clean(out, m->name);
	putc('=', out);
	put_value(out, m->value, m->unit);
	if (m->warn || m->crit) {
		fputs(" (", out);
		if (m->warn) {
			fputs("warn ", out);
			put_clean(out, m->warn);
		}
		fputs(m->warn && m->crit ? ", " : "", out);
		if (m->crit) {
			fputs("crit ", out);
			put_clean(out, m->crit);
		}
		putc(')', out);
	}
	putc('\n', out);
}

int
wm_render_text(const struct wm_result *r, FILE *out, bool color)
{
	enum wm_state state = wm_result_state(r);
	char *summary = wm_render_summary(r);
	char tool[64];

	if (!summary)
		return -1;
	wm_render_tool_upper(tool, sizeof(tool), r->tool);
	fprintf(out, "%s ", tool);
	if (color)
		fprintf(out, "%s%s\033[0m", state_color(state), wm_state_name(state));
	else
		fputs(wm_state_name(state), out);
	fputs(" - ", out);
	put_clean(out, summary);
	putc('\n', out);
	free(summary);
	if (r->target[0]) {
		fputs("target: ", out);
		put_clean(out, r->target);
		putc('\n', out);
	}
	for (size_t i = 0; i < r->nchecks; i++) {
		const struct wm_check *c = r->checks[i];

		put_state(out, c->state, color, true);
		putc(' ', out);
		put_clean(out, c->name);
		if (c->summary[0]) {
			fputs(" - ", out);
			put_clean(out, c->summary);
		}
		putc('\n', out);
		for (size_t j = 0; j < c->nmetrics; j++)
			put_metric(out, &c->metrics[j]);
	}
	return ferror(out) ? -1 : 0;
}
