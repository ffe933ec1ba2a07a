/* overrides.c - configuration thresholds over a result's metrics. */
#include "config.h"

#include <stdio.h>

#include "overrides.h"

int
wm_overrides_apply(const struct wm_config *cfg, const struct wm_target *t, const char *area,
		   struct wm_result *r)
{
	char name[160];

	for (size_t i = 0; i < r->nchecks; i++) {
		struct wm_check *c = r->checks[i];

		for (size_t j = 0; j < c->nmetrics; j++) {
			struct wm_metric *m = &c->metrics[j];
			const char *w, *x;

			snprintf(name, sizeof(name), "%s.%s", area, m->name);
			w = wm_config_threshold(cfg, t, name, false);
			x = wm_config_threshold(cfg, t, name, true);

			if ((w || x) && wm_metric_set_thresholds(m, w ? w : m->warn,
								  x ? x : m->crit) < 0)
				return -1;
		}
	}
	return 0;
}
