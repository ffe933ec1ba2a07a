/* render.h - the output formats: pure functions of a result (DESIGN §3).
 *
 * A renderer never changes the result, never exits, and writes only to the
 * FILE it is given.  The exit code does not depend on the format: it is
 * wm_result_exit_code(r) in every case.  The formats are described for users
 * in warunginmon(7).
 */
#ifndef WM_RENDER_H
#define WM_RENDER_H

#include <stdio.h>

#include "base/err.h"
#include "model/result.h"

enum wm_format {
	WM_FORMAT_TEXT,
	WM_FORMAT_JSON,
	WM_FORMAT_NDJSON,
	WM_FORMAT_NAGIOS,
	WM_FORMAT_PROMETHEUS,
	WM_FORMAT_OPENMETRICS,
};

#define WM_RENDER_COLOR 1u  /* text: ANSI colours for the state words */
#define WM_RENDER_PRETTY 2u /* json: indented */
#define WM_RENDER_LONG 4u   /* text: every metric with its thresholds (--long) */

/* How to render, beyond the format. */
struct wm_render_opts {
	unsigned flags; /* WM_RENDER_* */
	size_t width;	/* text: cut lines at this many columns; 0: no limit */
};

/* "text", "json", "ndjson", "nagios", "prometheus" (the text format 0.0.4),
 * "openmetrics" (the same samples as OpenMetrics 1.0 text);
 * returns the enum wm_format, or -1 when unknown. */
int wm_format_parse(const char *name);
/* The name of a format ("prometheus" for WM_FORMAT_PROMETHEUS). */
const char *wm_format_name(enum wm_format f);

/* Render r once in format f to out.  Returns 0, or -1 when writing (or an
 * allocation) failed; errno is then set when the failure came from stdio. */
int wm_render(const struct wm_result *r, enum wm_format f, FILE *out, unsigned flags);

/* wm_render with a line width for text. */
int wm_render_to(const struct wm_result *r, enum wm_format f, FILE *out,
		 const struct wm_render_opts *o);

/* How text goes to a terminal: the width from columns (the COLUMNS
 * variable, a number > 0) else from the terminal on fd (TIOCGWINSZ; 0 when
 * fd is not one), colour when fd is a terminal and neither no_color (the
 * NO_COLOR variable, set and non-empty) nor term ("dumb") forbid it.  NULL
 * strings count as unset.  Adds to o->flags, sets o->width. */
void wm_render_terminal(struct wm_render_opts *o, int fd, const char *columns, const char *no_color,
			const char *term);

/* One ndjson line for check c of r (the same object as WM_FORMAT_NDJSON
 * prints), for streaming programs (wm-errors --follow, wm-run).  Flushes out.
 * Returns 0 or -1. */
int wm_render_check_line(const struct wm_result *r, const struct wm_check *c, FILE *out);

/* Render r in format f with flags (WM_RENDER_*: --long reaches a file too)
 * into path atomically (temp file in the same directory, fsync, rename; mode
 * 0644), for node_exporter's textfile collector.  On failure path is left as
 * it was; returns -1 with err set. */
int wm_render_file(const struct wm_result *r, enum wm_format f, unsigned flags, const char *path,
		   struct wm_err *err);

/* The summary a renderer shows: r->summary when set, else derived from the
 * checks: "no checks", "N checks OK", or
 * "N checks: 2 OK, 1 CRITICAL (redis.ping: connection refused)" where the
 * parenthesis names the first check having the overall state (with its
 * summary when it has one).  Returns a malloc'd string (caller frees) or NULL
 * on ENOMEM. */
char *wm_render_summary(const struct wm_result *r);

#endif
