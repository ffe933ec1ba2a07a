/* result.h - the result model every program fills and every renderer reads.
 *
 * result -> checks[] -> metrics[] (+ free-form data per check).  A result owns
 * its checks, a check owns its metrics and its data; every string passed in is
 * copied.  The overall state is derived, "worst wins", with the severity order
 * CRITICAL > WARNING > UNKNOWN > OK (DESIGN §3), written once here.
 */
#ifndef WM_RESULT_H
#define WM_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "base/err.h"

/* The Nagios plugin codes; also our exit codes, in every output format. */
enum wm_state { WM_OK = 0, WM_WARNING = 1, WM_CRITICAL = 2, WM_UNKNOWN = 3 };

#define WM_SCHEMA_VERSION 1

struct wm_metric {
	char *name;   /* snake_case, e.g. "hit_rate" */
	double value; /* NAN when unknown (rendered as null / U) */
	char *unit;   /* "", "%", "s", "ms", "B", "c" (counter) ...; never NULL */
	char *warn;   /* threshold range text as given ("85:"), NULL when none */
	char *crit;   /* likewise */
	double min;   /* NAN when not set */
	double max;   /* NAN when not set */
};

struct wm_check {
	char *name; /* dotted, e.g. "redis.hit_rate" */
	enum wm_state state;
	char *summary; /* one line; "" when none */
	struct wm_metric *metrics;
	size_t nmetrics;
	size_t metrics_cap;
	cJSON *data; /* owned JSON object with extra facts, or NULL */
};

struct wm_result {
	char *tool;	     /* "wm-cache" */
	char *version;	     /* PACKAGE_VERSION of the program */
	char *target;	     /* target name, "" when local/unnamed */
	char *project;	     /* compose project the checks looked at, "" when none */
	int64_t time_ms;     /* start, unix milliseconds (UTC) */
	int64_t duration_ms; /* set by wm_result_finish(); -1 before */
	char *summary;	     /* NULL: derived from the checks by renderers */
	struct wm_check **checks;
	size_t nchecks;
	size_t checks_cap;
};

/* Severity order: returns the worse of a and b (CRITICAL > WARNING > UNKNOWN > OK). */
enum wm_state wm_state_worst(enum wm_state a, enum wm_state b);
/* "OK", "WARNING", "CRITICAL", "UNKNOWN". */
const char *wm_state_name(enum wm_state s);
/* Parse a state name (case-insensitive); returns -1 when not a state. */
int wm_state_parse(const char *s);

/* New result stamped with the current time; NULL only when out of memory.
 * target may be NULL. */
struct wm_result *wm_result_new(const char *tool, const char *version, const char *target);
void wm_result_free(struct wm_result *r);
/* Record the duration since creation (idempotent: first call wins). */
void wm_result_finish(struct wm_result *r);
/* Set (copy) the compose project (NULL: none); a label of the Prometheus
 * families about services.  Returns -1 on ENOMEM. */
int wm_result_set_project(struct wm_result *r, const char *project);
/* Set (copy) the overall summary; NULL restores the derived one. Returns -1 on ENOMEM. */
int wm_result_set_summary(struct wm_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Worst state over all checks; OK for a result without checks. */
enum wm_state wm_result_state(const struct wm_result *r);
/* The process exit code for r: its state, identical in every format. */
int wm_result_exit_code(const struct wm_result *r);

/* Append a check (state OK, empty summary), owned by r; NULL on ENOMEM. */
struct wm_check *wm_result_add_check(struct wm_result *r, const char *name);
/* Find a check by name; NULL when absent. */
struct wm_check *wm_result_find_check(const struct wm_result *r, const char *name);

/* Set the state and a printf-style summary of a check (NULL fmt keeps it). */
void wm_check_set(struct wm_check *c, enum wm_state s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Raise the state to the worse of the current one and s. */
void wm_check_raise(struct wm_check *c, enum wm_state s);
/* Append a metric (copied strings; unit NULL means ""); NULL on ENOMEM.
 * warn/crit/min/max start unset. */
struct wm_metric *wm_check_add_metric(struct wm_check *c, const char *name, double value,
				      const char *unit);
/* Set the threshold range texts of a metric (NULL clears); -1 on ENOMEM. */
int wm_metric_set_thresholds(struct wm_metric *m, const char *warn, const char *crit);
/* The check's data object, created on first use; NULL on ENOMEM. */
cJSON *wm_check_data(struct wm_check *c);
/* A time for check data: its RFC 3339 string (lib/base/duration.h), or null when
 * ms < 0 (never seen); NULL on ENOMEM. */
cJSON *wm_json_time(int64_t ms);

/* The one error -> state mapping (DESIGN §3): UNKNOWN when we could not
 * perform the check (bad password, configuration, host key, our own
 * problem), CRITICAL when the target refused, dropped or did not answer. */
enum wm_state wm_err_state(const struct wm_err *e);
/* Add check name with the state e means, e->msg as summary and data.error
 * naming the code; -1 on ENOMEM. */
int wm_result_fail(struct wm_result *r, const char *name, const struct wm_err *e);
/* The same, always UNKNOWN: for failures before the service was asked
 * (a secrets file, the SSH session or tunnel to the target). */
int wm_result_unknown(struct wm_result *r, const char *name, const struct wm_err *e);

#endif
