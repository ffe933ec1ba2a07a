/* overrides.c - configuration thresholds over a result's metrics. */
#include "config.h"

#include "overrides.h"

int
wm_overrides_apply(const struct wm_config *cfg, const struct wm_target *t, struct wm_result *r)
{
	for (size_t i = 0; i < r->nchecks; i++) {
		struct wm_check *c = r->checks[i];

		for (size_t j = 0; j < c->nmetrics; j++) {
			struct wm_metric *m = &c->metrics[j];
			const char *w = wm_config_threshold(cfg, t, m->name, false);
			const char *x = wm_config_threshold(cfg, t, m->name, true);

			if ((w || x) && wm_metric_set_thresholds(m, w ? w : m->warn,
								  x ? x : m->crit) < 0)
				return -1;
		}
	}
	return 0;
}
