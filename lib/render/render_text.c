/* render_text.c - the text format, for people: a table like `docker compose
 * ps` or `kubectl get`, one row per check.
 *
 *   WM-CACHE CRITICAL - 3 checks: 1 OK, 1 WARNING, 1 CRITICAL (redis.ping: connection refused)
 *   target: prod
 *   STATE     CHECK           FIGURES              SUMMARY
 *   OK        redis.hit_rate  hit_rate=91.2%       hit rate 91.2%
 *   CRITICAL  redis.ping      latency=unknown      connection refused
 *
 * FIGURES are the metrics a check is judged by (those with a threshold); a
 * check with none shows its first metric.  With WM_RENDER_LONG every metric
 * follows its row, with its thresholds (the "target:" line and FIGURES as
 * above).  With a width every line is cut, never wrapped, at that many
 * columns.  Colour (ANSI SGR) only on the state words, only when asked for:
 * the program decides (wm_render_terminal).  Texts come from the outside
 * world (log lines), so they are printed UTF-8 clean with control characters
 * as '?' (tab and newline as a space): a log line must not be able to move
 * the cursor of whoever reads the output.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/render_int.h"

#define STATE_WIDTH 8 /* "CRITICAL" */

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

/* The state word, coloured when asked, padded to width (0: none). */
static void
put_state(FILE *out, enum wm_state s, bool color, int width)
{
	const char *name = wm_state_name(s);
	int pad = width > (int)strlen(name) ? width - (int)strlen(name) : 0;

	if (color)
		fprintf(out, "%s%s\033[0m%*s", state_color(s), name, pad, "");
	else
		fprintf(out, "%s%*s", name, pad, "");
}

/* A number for people: integers in full, others with 3 significant digits
 * (whole from 100 on). */
static void
put_number(FILE *out, double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		fprintf(out, "%.0f", v);
	else if (fabs(v) >= 100 && fabs(v) < 1e15)
		fprintf(out, "%.0f", v);
	else
		fprintf(out, "%.3g", v);
}

/* Seconds for people: 250ms, 12.5s, 4m5s, 3h25m, 2d3h. */
static void
put_duration(FILE *out, double s)
{
	double a = fabs(s);

	if (a < 1) {
		put_number(out, s * 1000);
		fputs("ms", out);
	} else if (a < 60) {
		put_number(out, s);
		putc('s', out);
	} else if (a < 3600) {
		fprintf(out, "%.0fm%.0fs", floor(a / 60), fmod(floor(a), 60));
	} else if (a < 86400) {
		fprintf(out, "%.0fh%.0fm", floor(a / 3600), floor(fmod(a, 3600) / 60));
	} else {
		fprintf(out, "%.0fd%.0fh", floor(a / 86400), floor(fmod(a, 86400) / 3600));
	}
}

/* Bytes in IEC units: 512B, 1.5KiB, 20MiB. */
static void
put_bytes(FILE *out, double b)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
	size_t u = 0;

	while (fabs(b) >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		b /= 1024;
		u++;
	}
	put_number(out, b);
	fputs(units[u], out);
}

/* A metric's value with its unit, compact: 91.2%, 250ms, 1.5MiB, 3. */
static void
put_value(FILE *out, double v, const char *unit)
{
	static const struct {
		const char *unit;
		double scale;
		bool bytes;
	} scaled[] = {
	    {"s", 1, false},
	    {"ms", 1e-3, false},
	    {"us", 1e-6, false},
	    {"B", 1, true},
	    {"KB", 1024, true},
	    {"MB", 1048576, true},
	    {"GB", 1073741824.0, true},
	    {"TB", 1099511627776.0, true},
	};

	if (isnan(v)) {
		fputs("unknown", out);
		return;
	}
	for (size_t i = 0; i < sizeof(scaled) / sizeof(scaled[0]); i++) {
		if (strcmp(unit, scaled[i].unit) == 0) {
			if (scaled[i].bytes)
				put_bytes(out, v * scaled[i].scale);
			else
				put_duration(out, v * scaled[i].scale);
			return;
		}
	}
	put_number(out, v);
	/* "c" marks a Nagios counter: nothing a person needs to read */
	if (strcmp(unit, "c") != 0)
		put_clean(out, unit);
}

static void
put_figure(FILE *out, const struct wm_metric *m)
{
	put_clean(out, m->name);
	putc('=', out);
	put_value(out, m->value, m->unit);
}

/* The FIGURES cell of c into a malloc'd string (NULL on ENOMEM). */
static char *
figures_of(const struct wm_check *c)
{
	char *buf = NULL;
	size_t len = 0, n = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	for (size_t i = 0; i < c->nmetrics; i++) {
		const struct wm_metric *m = &c->metrics[i];

		if (!m->warn && !m->crit)
			continue;
		fputs(n++ ? " " : "", f);
		put_figure(f, m);
	}
	if (n == 0 && c->nmetrics > 0)
		put_figure(f, &c->metrics[0]);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Display columns of s: one per UTF-8 character, none for an SGR sequence. */
static size_t
columns_of(const char *s)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\033') {
			while (p[1] && p[1] != 'm')
				p++;
			if (p[1])
				p++;
			continue;
		}
		n += (*p & 0xc0) != 0x80;
	}
	return n;
}

/* Cut line in place after width columns (0: no limit), keeping whole SGR
 * sequences and UTF-8 characters; a colour left open is closed.  Returns
 * whether a reset must follow. */
static bool
cut(char *line, size_t width)
{
	size_t cols = 0;
	bool open = false;
	char *p = line;

	for (; *p; p++) {
		if (*p == '\033') {
			char *e = p;

			while (e[1] && e[1] != 'm')
				e++;
			open = strncmp(p, "\033[0m", 4) != 0;
			p = e[1] ? e + 1 : e;
			continue;
		}
		if (width && ((unsigned char)*p & 0xc0) != 0x80 && cols++ == width)
			break;
	}
	*p = '\0';
	return open;
}

/* Print line (no newline in it) cut at width columns, without trailing
 * spaces. */
static void
put_line(FILE *out, char *line, size_t width)
{
	bool reset = cut(line, width);
	size_t len = strlen(line);

	while (len > 0 && line[len - 1] == ' ')
		line[--len] = '\0';
	fputs(line, out);
	fputs(reset ? "\033[0m\n" : "\n", out);
}

/* A line built in a memstream, then printed cut. */
struct line {
	char *buf;
	size_t len;
	FILE *f;
};

static FILE *
line_start(struct line *l)
{
	l->buf = NULL;
	l->len = 0;
	l->f = open_memstream(&l->buf, &l->len);
	return l->f;
}

static int
line_end(struct line *l, FILE *out, size_t width)
{
	int rc = fclose(l->f);

	if (rc == 0)
		put_line(out, l->buf, width);
	free(l->buf);
	return rc == 0 ? 0 : -1;
}

/* "METRIC=VALUE (warn R, crit R)" under a row, for WM_RENDER_LONG. */
static void
put_metric(FILE *out, const struct wm_metric *m)
{
	fprintf(out, "%*s", STATE_WIDTH + 2, "");
	put_figure(out, m);
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
}

static int
put_header(const struct wm_result *r, FILE *out, const struct wm_render_opts *o)
{
	enum wm_state state = wm_result_state(r);
	bool color = o->flags & WM_RENDER_COLOR;
	char *summary = wm_render_summary(r);
	struct line l;
	char tool[64];

	if (!summary || !line_start(&l)) {
		free(summary);
		return -1;
	}
	wm_render_tool_upper(tool, sizeof(tool), r->tool);
	fprintf(l.f, "%s ", tool);
	put_state(l.f, state, color, 0);
	fputs(" - ", l.f);
	put_clean(l.f, summary);
	free(summary);
	if (line_end(&l, out, o->width) < 0)
		return -1;
	if (!r->target[0])
		return 0;
	if (!line_start(&l))
		return -1;
	fputs("target: ", l.f);
	put_clean(l.f, r->target);
	return line_end(&l, out, o->width);
}

/* Width of the CHECK column (clean names) and the figures of every check. */
static size_t
check_width(const struct wm_result *r)
{
	size_t w = sizeof("CHECK") - 1;

	for (size_t i = 0; i < r->nchecks; i++) {
		char *clean = wm_render_utf8(r->checks[i]->name);
		size_t n = clean ? columns_of(clean) : 0;

		free(clean);
		w = n > w ? n : w;
	}
	return w;
}

/* s (already clean) and the spaces up to width plus the column gap. */
static void
put_padded(FILE *out, const char *s, size_t width)
{
	size_t n = columns_of(s);

	fputs(s, out);
	fprintf(out, "%*s", (int)(width > n ? width - n : 0) + 2, "");
}

static int
put_rows(const struct wm_result *r, FILE *out, const struct wm_render_opts *o, char **figures)
{
	bool color = o->flags & WM_RENDER_COLOR;
	size_t cw = check_width(r), fw = 0;
	struct line l;

	for (size_t i = 0; i < r->nchecks; i++) {
		size_t n = columns_of(figures[i]);

		fw = n > fw ? n : fw;
	}
	if (!line_start(&l))
		return -1;
	fprintf(l.f, "%-*s  ", STATE_WIDTH, "STATE");
	put_padded(l.f, "CHECK", cw);
	if (fw)
		put_padded(l.f, "FIGURES", fw > 7 ? fw : 7);
	fputs("SUMMARY", l.f);
	if (line_end(&l, out, o->width) < 0)
		return -1;
	for (size_t i = 0; i < r->nchecks; i++) {
		const struct wm_check *c = r->checks[i];
		char *name = wm_render_utf8(c->name);

		if (!name || !line_start(&l)) {
			free(name);
			return -1;
		}
		put_state(l.f, c->state, color, STATE_WIDTH + 2);
		put_clean(l.f, name);
		fprintf(l.f, "%*s", (int)(cw - columns_of(name)) + 2, "");
		free(name);
		if (fw)
			put_padded(l.f, figures[i], fw > 7 ? fw : 7);
		put_clean(l.f, c->summary);
		if (line_end(&l, out, o->width) < 0)
			return -1;
		for (size_t j = 0; (o->flags & WM_RENDER_LONG) && j < c->nmetrics; j++) {
			if (!line_start(&l))
				return -1;
			put_metric(l.f, &c->metrics[j]);
			if (line_end(&l, out, o->width) < 0)
				return -1;
		}
	}
	return 0;
}

int
wm_render_text(const struct wm_result *r, FILE *out, const struct wm_render_opts *o)
{
	char **figures = calloc(r->nchecks + 1, sizeof(*figures));
	int rc = figures ? put_header(r, out, o) : -1;

	for (size_t i = 0; rc == 0 && i < r->nchecks; i++)
		if (!(figures[i] = figures_of(r->checks[i])))
			rc = -1;
	if (rc == 0 && r->nchecks)
		rc = put_rows(r, out, o, figures);
	for (size_t i = 0; figures && i < r->nchecks; i++)
		free(figures[i]);
	free(figures);
	return rc < 0 || ferror(out) ? -1 : 0;
}
