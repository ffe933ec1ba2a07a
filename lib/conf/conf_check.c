/* conf_check.c - what the loaded file is checked for as a whole: threshold
 * keys in the old form (a warning naming the new one), and secrets written
 * into the file itself (refused when others can read it). */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf_int.h"
#include "conf/threshold_policy.h"

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

/* Keys whose values are patterns or word lists, not settings that could
 * carry a credential ("token" in an error pattern is a word). */
static bool
holds_words(const char *key)
{
	size_t n = strlen(key);

	return (n > 8 && strcmp(key + n - 8, "_pattern") == 0) ||
	       strcmp(key, "intrusion_words") == 0;
}

int
conf_check_secrets(struct wm_config *cfg, int mode, struct wm_err *err)
{
	for (size_t i = 0; i < cfg->nentries; i++) {
		const struct conf_entry *e = &cfg->entries[i];
		char *copy;
		bool same;

		/* wm_redact leaves a smoke step's {{capture}} alone */
		if (holds_words(e->key))
			continue;
		if (!(copy = strdup(e->value)))
			return wm_err_set(err, WM_ENOMEM, "out of memory");
		wm_redact(copy);
		same = strcmp(copy, e->value) == 0;
		free(copy);
		if (same)
			continue;
		if (mode >= 0 && (mode & 044))
			return wm_err_set(err, WM_ECONFIG,
					  "%s:%d: '%s' holds a password or token and the file is "
					  "readable by others (mode %04o); refused: put the secret "
					  "in a *_file setting or the environment "
					  "(warunginmon.conf(5), SECRETS)",
					  cfg->path, e->line, e->key, (unsigned)mode);
		if (conf_add_warning(cfg,
				     "%s:%d: '%s' holds a password or token; put it in a *_file "
				     "setting or the environment (warunginmon.conf(5), SECRETS)",
				     cfg->path, e->line, e->key) < 0)
			return wm_err_set(err, WM_ENOMEM, "out of memory");
	}
	return 0;
}
