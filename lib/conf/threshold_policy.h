/* threshold_policy.h - which range applies to which metric: the suite-wide
 * table of metrics, the one threshold key grammar, the one resolver.
 *
 * (threshold.h parses and judges one range; this module decides which range
 * text a metric gets.)  warunginmon.conf(5) documents the same grammar:
 *
 *   in a file, in [thresholds] or a [target NAME] section:
 *	AREA.METRIC[.INSTANCE].warning = RANGE
 *	AREA.METRIC[.INSTANCE].critical = RANGE
 *     AREA is required, one of WM_THRESHOLD_AREAS; METRIC comes from the table
 *     below; everything after METRIC is the instance (a compose service name,
 *     which may contain dots, a disk path, a step name).
 *   on the command line (-w, -c):
 *	[AREA.]METRIC[.INSTANCE]=RANGE	AREA, if given, must be the program's
 *	RANGE				the program's primary metric
 *
 * Old keys still read, with a warning from wm_config_load naming the new form:
 * METRIC.warning (any area's metric), METRIC.INSTANCE.warning (wm-errors'
 * errors.backend.warning), both looked up for the running program's area.
 *
 * Precedence for one metric of one instance, first match wins:
 *   1. the command line: METRIC.INSTANCE=, then METRIC=, then a bare RANGE
 *      for the primary metric (within each, the last option given wins);
 *   2. the instance key AREA.METRIC.INSTANCE (the target's section, then
 *      [thresholds]), then the old METRIC.INSTANCE;
 *   3. the metric key AREA.METRIC (target, then [thresholds]), then the old
 *      METRIC;
 *   4. the program's default (the runbook's criterion), or none.
 */
#ifndef WM_THRESHOLD_POLICY_H
#define WM_THRESHOLD_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/conf.h"
#include "base/err.h"
#include "model/result.h"

#define WM_THRESHOLD_AREAS "services, errors, cache, db, security, perf, smoke"

/* One row of the suite-wide table of metrics. */
struct wm_metric_def {
	const char *area;    /* "cache" */
	const char *name;    /* "hit_rate"; with suffix: the ending ("_rows") */
	bool suffix;	     /* any name ending in name ("orders_rows") */
	const char *program; /* the program that reports it ("wm-cache") */
	const char *what;    /* one line, for documentation */
};

/* The table: *n rows, in area order.  Rows of wm-security, wm-perf and
 * wm-smoke are reserved now so that one file serves every program. */
const struct wm_metric_def *wm_metric_table(size_t *n);

/* Is area[0..len) one of WM_THRESHOLD_AREAS? */
bool wm_threshold_area_known(const char *area, size_t len);

/* The row for name[0..len) in area (NULL: in any area), or NULL. */
const struct wm_metric_def *wm_metric_find(const char *area, const char *name, size_t len);

/* The names known in area, ", "-separated, into buf (truncated to fit). */
void wm_metric_names(const char *area, char *buf, size_t len);

/* A threshold name taken apart. */
struct wm_threshold_name {
	char area[16]; /* "" for an old key without an area */
	char metric[64];
	char instance[160]; /* "" for none */
	bool old;	    /* an old (pre-AREA) file key */
};

/* Take apart a file key without its ".warning"/".critical" ending.  Returns
 * 0 (AREA.METRIC[.INSTANCE]), 1 (an old form: out->old set, out->area ""),
 * or -1 with WM_ECONFIG naming the known areas or metrics. */
int wm_threshold_key_parse(const char *key, size_t len, struct wm_threshold_name *out,
			   struct wm_err *err);

/* Take apart a command-line name "[AREA.]METRIC[.INSTANCE]" for a program of
 * area.  Returns 0, or -1 with WM_EINVAL (unknown metric, listing the area's
 * known ones; another program's area). */
int wm_threshold_arg_parse(const char *area, const char *name, size_t len,
			   struct wm_threshold_name *out, struct wm_err *err);

/* Everything the resolver needs; no command-line struct.  Any pointer may be
 * NULL.  area NULL (a program outside the table, such as doc/boilerplate.c):
 * no name is checked and only the area-less keys are read. */
struct wm_thresholds {
	const struct wm_config *cfg;
	const struct wm_target *target; /* NULL: [thresholds] only */
	const char *area;		/* the program's: "cache" */
	const char *primary;		/* the metric a bare RANGE sets: "hit_rate" */
	const char *const *warn;	/* -w texts "[NAME=]RANGE", in order given */
	size_t nwarn;
	const char *const *crit; /* -c texts */
	size_t ncrit;
};

/* Where a range came from (for --print-config and messages). */
enum wm_threshold_from { WM_THRESHOLD_DEFAULT, WM_THRESHOLD_CLI, WM_THRESHOLD_FILE };

struct wm_threshold_origin {
	enum wm_threshold_from from;
	char key[200];	     /* the file key or the command-line text */
	const char *section; /* file: "thresholds" or "target prod" (owned by cfg) */
	int line;	     /* file: its line */
	bool old;	     /* file: an old-form key */
};

/* Check every -w/-c name against the program's area, every range of the
 * command line, and every threshold key and range of the file against the
 * table.  Call it once before collecting.  Returns 0, or -1 with err:
 * WM_EINVAL (command line), WM_ECONFIG ("FILE:LINE: ..."); a program exits 3. */
int wm_thresholds_check(const struct wm_thresholds *th, struct wm_err *err);

/* The range text for metric of instance (NULL: none) by the precedence above,
 * or NULL when neither the command line nor the file sets one (the caller's
 * default applies).  origin may be NULL.  Unchecked names are simply not
 * found: call wm_thresholds_check first. */
const char *wm_thresholds_get(const struct wm_thresholds *th, const char *metric,
			      const char *instance, bool critical,
			      struct wm_threshold_origin *origin);

/* The instance a check stands for: "services.backend" -> "backend" for area
 * "services", "disk:/var" -> "/var"; NULL for none.  Points into name. */
const char *wm_thresholds_instance(const char *area, const char *check_name);

/* Set the thresholds of every metric of r (instance from its check's name, a
 * metric without a setting keeps what the collector gave it) and re-evaluate
 * every check.  Returns 0, or -1 with err: WM_ECONFIG for a file range that
 * does not parse (naming the key), WM_ENOMEM. */
int wm_thresholds_set(const struct wm_thresholds *th, struct wm_result *r, struct wm_err *err);

#endif
