/* conf_plan.c - wm-run's plan from the configuration: the runbook's
 * (model/schedule.h) with every [tier NAME] section applied over it, in
 * file order (warunginmon.conf(5), [tier NAME]). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf_int.h"
#include "conf/conf_sections.h"
#include "model/schedule.h"

/* The line of key in section (NULL: its first key), for messages. */
static int
line_of(const struct wm_config *cfg, const char *section, const char *key)
{
	for (size_t i = 0; i < cfg->nentries; i++)
		if (!strcmp(cfg->entries[i].section, section) &&
		    (!key || !strcmp(cfg->entries[i].key, key)))
			return cfg->entries[i].line;
	return 0;
}

static int
fail_at(const struct wm_config *cfg, const char *section, const char *key, struct wm_err *err)
{
	wm_err_prefix(err, "%s:%d: [%s]", cfg->path ? cfg->path : "(configuration)",
		      line_of(cfg, section, key), section);
	return -1;
}

/* The checks list as the schedule reads it: names joined by commas. */
static int
checks_text(const struct wm_config *cfg, const char *section, char *buf, size_t len,
	    struct wm_err *err)
{
	char **v = NULL;
	size_t n = 0, off = 0;

	if (wm_config_list(cfg, section, "checks", &v, &n) != 0)
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	buf[0] = '\0';
	for (size_t i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? "," : "", v[i]);
	wm_config_list_free(v);
	return off < len ? 0 : wm_err_set(err, WM_ETOOBIG, "the checks list is too long");
}

static int
apply_tier(const struct wm_config *cfg, const char *section, struct wm_schedule *plan,
	   struct wm_err *err)
{
	static const char *const keys[] = {"at", "checks", "window", "grace"};
	const char *name = section + 5;
	bool known = wm_schedule_find(plan, name) != NULL;
	char checks[512];

	if (!known &&
	    (!wm_config_get(cfg, section, "at") || !wm_config_get(cfg, section, "checks"))) {
		wm_err_set(err, WM_EINVAL, "a new tier needs at and checks");
		return fail_at(cfg, section, NULL, err);
	}
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		const char *v = wm_config_get(cfg, section, keys[k]);

		if (!v)
			continue;
		if (!strcmp(keys[k], "checks")) {
			if (checks_text(cfg, section, checks, sizeof(checks), err) != 0)
				return fail_at(cfg, section, keys[k], err);
			v = checks;
		}
		if (wm_schedule_configure(plan, name, keys[k], v, err) != 0)
			return fail_at(cfg, section, keys[k], err);
	}
	/* a new tier without a window looks back over an hour */
	if (!known && !wm_config_get(cfg, section, "window") &&
	    wm_schedule_configure(plan, name, "window", "1h", err) != 0)
		return fail_at(cfg, section, NULL, err);
	return 0;
}

int
wm_config_plan(const struct wm_config *cfg, struct wm_schedule *plan, struct wm_err *err)
{
	wm_schedule_default(plan);
	for (size_t i = 0; cfg && i < cfg->nsections; i++) {
		const char *s = cfg->sections[i];

		if (strncmp(s, "tier ", 5) == 0 && apply_tier(cfg, s, plan, err) != 0)
			return -1;
	}
	return 0;
}
