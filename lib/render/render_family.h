/* render_family.h - the Prometheus metric families (DESIGN §3, the table in
 * warunginmon(7)): which family each metric of a check goes to, and with
 * which labels.
 *
 * The checks keep naming their metrics for Nagios perfdata ("restarts",
 * "restart_count", "hit_rate"); this table, keyed by the check's area (the
 * first part of its name: "services" in "services.auth-ms", "disk" in
 * "disk:/var") and the metric name, gives each one a family of its own with
 * the instance in a label:
 *
 *   services.auth-ms / restart_count
 *     -> wm_service_restarts_total{tool,target,project,service="auth-ms"}
 *
 * A metric missing from the table still gets a family, wm_<area>_<metric>
 * plus the unit's suffix, with the whole check name in a "check" label, so a
 * new check is never silently dropped; it belongs in the table.
 */
#ifndef WM_RENDER_FAMILY_H
#define WM_RENDER_FAMILY_H

#include <stdbool.h>
#include <stddef.h>

#include "model/result.h"

enum wm_family_type { WM_FAMILY_GAUGE, WM_FAMILY_COUNTER };

struct wm_family {
	const char *name; /* "wm_service_restarts_total" */
	enum wm_family_type type;
	const char *help; /* the same text in every program's output */
};

/* Where one metric of a check goes. */
struct wm_family_use {
	const struct wm_family *family; /* NULL: not in the table (fallback) */
	bool hidden;			/* counted in another metric's family */
	bool project;			/* a "project" label (r->project) */
	const char *instance_label;	/* "service", "path"; NULL: none */
	const char *instance;		/* the rest of the check name */
	const char *extra_label;	/* "table" (from the metric name) or "level" */
	size_t extra_len;		/* "table": the length of the value in m->name */
	const char *expand;		/* "level": the data object of numbers per key */
};

/* Look metric m of check c up in the table.  Always fills *u. */
void wm_family_find(const struct wm_check *c, const struct wm_metric *m, struct wm_family_use *u);

/* The families of the table, in table order (for documentation and tests);
 * i from 0 while the result is non-NULL.  labels gets the family's label
 * names after tool and target, comma-separated ("project,service"). */
const struct wm_family *wm_family_at(size_t i, char *labels, size_t cap);

#endif
