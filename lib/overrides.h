/* overrides.h - area-prefixed thresholds from the configuration file.
 *
 * The configuration names some thresholds by area and metric
 * ("cache.hit_rate.warning = 85:", "db.p95.warning = ~:0.5", see
 * warunginmon.conf(5)), where wm_thresholds_apply (cli.h) looks up the bare
 * metric name.  A program applies the AREA.METRIC keys first, over its
 * runbook defaults; wm_thresholds_apply then applies METRIC keys and -w/-c
 * over those.
 */
#ifndef WM_OVERRIDES_H
#define WM_OVERRIDES_H

#include "conf.h"
#include "result.h"

/* Replace each metric's warn/crit by AREA.METRIC.warning/.critical of the
 * configuration (t's section, then [thresholds]) when set.  Does not
 * evaluate.  Returns 0, or -1 on ENOMEM. */
int wm_overrides_apply(const struct wm_config *cfg, const struct wm_target *t, const char *area,
		       struct wm_result *r);

#endif
