/* conf_check.c - what the loaded file is checked for as a whole: threshold
 * keys in the old form (a warning naming the new one). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "conf_int.h"
#include "threshold_policy.h"

/* "cache.hit_rate.warning", or "db.p95.warning or perf.p95.warning" for a
 * metric that several areas report. */
static void
new_forms(const struct wm_threshold_name *n, const char *ending, char *buf, size_t len)
{
	size_t nrows, off = 0;
	const struct wm_metric_def *rows = wm_metric_table(&nrows);

	buf[0] = '\0';
	for (size_t i = 0; i < nrows && off < len; i++) {
		if (wm_metric_find(rows[i].area, n->metric, strlen(n->metric)) != &rows[i])
			continue; /* one mention per area */
		off += (size_t)snprintf(buf + off, len - off, "%s'%s.%s%s%s%s'", off ? " or " : "",
					rows[i].area, n->metric, n->instance[0] ? "." : "",
					n->instance, ending);
	}
}

int
conf_check_thresholds(struct wm_config *cfg)
{
	for (size_t i = 0; i < cfg->nentries; i++) {
		const struct conf_entry *e = &cfg->entries[i];
		const char *dot = strrchr(e->key, '.');
		struct wm_threshold_name n;
		char forms[200];

		if ((strcmp(e->section, "thresholds") && strncmp(e->section, "target ", 7)) ||
		    !dot || (strcmp(dot, ".warning") && strcmp(dot, ".critical")))
			continue;
		if (wm_threshold_key_parse(e->key, (size_t)(dot - e->key), &n, NULL) != 1)
			continue; /* new form, or unknown: wm_thresholds_check says so */
		new_forms(&n, dot, forms, sizeof forms);
		if (conf_add_warning(cfg,
				     "%s:%d: '%s' is an old threshold key; write %s "
				     "(see MIGRATION in warunginmon.conf(5))",
				     cfg->path, e->line, e->key, forms) < 0)
			return -1;
	}
	return 0;
}
