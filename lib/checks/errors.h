/* errors.h - the error analyzer behind wm-errors (and wm-run's error checks).
 *
 * Plugged into a log stream, it counts lines per service per level, groups
 * the lines at or above a level by signature (lib/logs/groups.h), keeps the last
 * critical lines and the last N lines per service, all in bounded memory.
 * Then it turns that into one check per service, "errors.SERVICE", with the
 * metrics errors (lines at level error or above; the runbook's "errors < 5
 * per service per window"), critical_lines (critical/fatal/panic; "zero
 * critical errors"), warnings and lines, and the details as check data.
 *
 * Service names: a compose prefix "backend-1" / "backend_1" /
 * "warungin-backend" is mapped to the expected service "backend" when one
 * matches; otherwise the replica suffix is dropped.  Lines with no service
 * count as "-".
 */
#ifndef WM_ERRORS_H
#define WM_ERRORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logs/groups.h"
#include "logs/logstream.h"
#include "model/result.h"

#define WM_ERRORS_MAX_SERVICES 64	 /* more distinct names count as "(other)" */
#define WM_ERRORS_LINE_MAX 1024		 /* bytes kept of a tail or critical line */
#define WM_ERRORS_DEFAULT_WARN "4"	 /* warning at 5 errors per service per window */
#define WM_ERRORS_DEFAULT_CRIT_LINES "0" /* critical at 1 critical line */

struct wm_errors_opts {
	size_t top;		     /* groups reported per service (default 10) */
	bool no_groups;		     /* count only: no signatures (the fastest) */
	size_t group_slots;	     /* size of the group table (default 1024) */
	int group_level;	     /* lowest level grouped (default WM_LVL_ERROR) */
	size_t tail;		     /* last lines kept per service (0: none) */
	size_t criticals;	     /* critical lines kept per service (default 20) */
	const char *const *expected; /* expected services (reported even when silent) */
	size_t nexpected;
	bool only_expected;  /* ignore lines of other services */
	const char *project; /* compose project: "PROJECT-svc" names count as svc */
};

struct wm_errors_line {
	int64_t ts_ms;
	int level;
	char *text; /* sanitised UTF-8, at most WM_ERRORS_LINE_MAX bytes */
};

struct wm_errors_service {
	char name[WM_GROUP_SERVICE_MAX];
	bool expected;
	uint64_t lines;	  /* in the window */
	uint64_t outside; /* lines outside the window (wm_errors_outside_analyzer) */
	uint64_t untimed, untimed_errors; /* lines without a time, not in the window */
	char untimed_zone[8];		  /* a zone name that could not be placed */
	uint64_t truncated;
	uint64_t count[WM_LVL_COUNT];
	char *problem;		     /* why it could not be checked (UNKNOWN), or NULL */
	struct wm_errors_line *tail; /* ring of opts.tail */
	size_t tail_n, tail_next;
	struct wm_errors_line *crit; /* ring of opts.criticals */
	size_t crit_n, crit_next;
};

struct wm_errors;

struct wm_errors *wm_errors_new(const struct wm_errors_opts *o);
void wm_errors_free(struct wm_errors *e);
/* The options in effect (defaults filled in). */
const struct wm_errors_opts *wm_errors_options(const struct wm_errors *e);
/* The analyzer to add to a log stream. */
struct wm_log_analyzer wm_errors_analyzer(struct wm_errors *e);
/* The one for wm_logstream_set_outside: services seen only outside the
 * window are reported too (with 0), not forgotten. */
struct wm_log_analyzer wm_errors_outside_analyzer(struct wm_errors *e);
/* The service record for a (raw, compose) name, created when new; NULL when
 * out of memory. */
struct wm_errors_service *wm_errors_service(struct wm_errors *e, const char *name, size_t len);
/* Services in order of first appearance (expected ones first). */
struct wm_errors_service *wm_errors_services(struct wm_errors *e, size_t *n);
/* Mark a service as not checkable (its check becomes UNKNOWN with why). */
int wm_errors_set_problem(struct wm_errors *e, const char *service, const char *why);
/* The top groups of one service (at most opts.top), malloc'd array; *n. */
const struct wm_group **wm_errors_groups(struct wm_errors *e, const char *service, size_t *n);

/* Threshold lookup: the range text for METRIC of SERVICE (critical or
 * warning), or NULL for the default. */
typedef const char *(*wm_errors_threshold_fn)(void *arg, const char *service, const char *metric,
					      bool critical);

/* Add one check per service to r; window names the window in summaries
 * ("in 1h").  Metrics carry thresholds from fn (then the defaults), and the
 * check states are evaluated.  -1 on ENOMEM. */
int wm_errors_report(struct wm_errors *e, struct wm_result *r, const char *window,
		     wm_errors_threshold_fn fn, void *arg);

#endif
