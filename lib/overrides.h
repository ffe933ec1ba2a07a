/* overrides.h - thresholds from the configuration file, applied to a result.
 *
 * Programs set the runbook defaults on their metrics; the configuration
 * ("METRIC.warning = RANGE" in the target's section or in [thresholds])
 * overrides them, and the command line (-w/-c, wm_cli_apply_thresholds)
 * overrides both.  This is the middle step.
 */
#ifndef WM_OVERRIDES_H
#define WM_OVERRIDES_H

#include "conf.h"
#include "result.h"

/* Replace each metric's warn/crit by the configuration's, when it sets one.
 * Does not evaluate.  Returns 0, or -1 on ENOMEM. */
int wm_overrides_apply(const struct wm_config *cfg, const struct wm_target *t, struct wm_result *r);

#endif
