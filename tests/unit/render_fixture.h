/* render_fixture.h - hand-built results for the renderer tests (check_render
 * and tests/cli/render-fixture, which pipes them to jq and promtool). */
#ifndef WM_RENDER_FIXTURE_H
#define WM_RENDER_FIXTURE_H

#include "model/result.h"

/* Fixed time and duration, so output is byte-for-byte reproducible:
 * 2026-11-28T01:02:03.045Z, 1234 ms. */
#define FIXTURE_TIME_MS INT64_C(1795827723045)

/* Three checks: an OK hit rate with thresholds, min and max; a CRITICAL ping
 * with an unknown latency; a WARNING check whose texts need escaping
 * everywhere (quotes, backslash, newline, tab, control and invalid UTF-8
 * bytes, '|', a perfdata label with a space and a quote) and data. */
struct wm_result *fixture_full(void);
/* Names that collide once sanitised for Prometheus: checks "redis.db0" and
 * "redis_db0" with metric "keys", a check repeating a metric, one whose family would
 * be the fixed wm_check_state, an empty unit and a huge value. */
struct wm_result *fixture_collide(void);
/* What the family table maps (render_family.c): services with odd names
 * (a dash, dots, a quote, a backslash) and a project needing escapes, a
 * counter, a service given twice, a disk path, log lines per level from the
 * check's data, rows per table from the metric name, and metrics the table
 * does not know (one with the reserved ending _count). */
struct wm_result *fixture_labels(void);
/* No checks, no target. */
struct wm_result *fixture_empty(void);

#endif
