/* render_impl.h - helpers shared by the renderers (lib/render*.c only). */
#ifndef WM_RENDER_IMPL_H
#define WM_RENDER_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "render/render.h"
#include "model/result.h"

/* A copy of s with every invalid UTF-8 sequence replaced by U+FFFD, so that
 * JSON and OpenMetrics output stay valid whatever a collector captured.
 * NULL s gives "".  malloc'd; NULL on ENOMEM. */
char *wm_render_utf8(const char *s);
/* Shortest "%.15g"/"%.17g" that reads back as v (finite v only). */
void wm_render_double(char *buf, size_t cap, double v);
/* The tool name upper-cased ("WM-CACHE"), at most cap-1 bytes; bytes other
 * than printable ASCII, and '|', become '_'. */
void wm_render_tool_upper(char *buf, size_t cap, const char *tool);

int wm_render_text(const struct wm_result *r, FILE *out, const struct wm_render_opts *o);
int wm_render_json(const struct wm_result *r, FILE *out, bool pretty);
int wm_render_ndjson(const struct wm_result *r, FILE *out);
int wm_render_nagios(const struct wm_result *r, FILE *out);
/* openmetrics: OpenMetrics 1.0 text instead of the Prometheus format 0.0.4 */
int wm_render_prometheus(const struct wm_result *r, FILE *out, bool openmetrics);

#endif
