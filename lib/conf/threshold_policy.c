/* threshold_policy.c - the one threshold resolver (threshold_policy.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "conf/conf_int.h"
#include "model/threshold.h"
#include "conf/threshold_policy.h"

/* How an -w/-c entry names a metric. */
enum cli_match { NO_MATCH, METRIC_MATCH, INSTANCE_MATCH };

static enum cli_match
cli_match(const struct wm_thresholds *th, const char *entry, const char *metric,
	  const char *instance)
{
	const char *eq = strchr(entry, '=');
	struct wm_threshold_name n;

	if (!eq)
		return NO_MATCH;
	if (!th->area) { /* outside the table: the name is METRIC[.INSTANCE] as given */
		size_t ml = strlen(metric);

		if ((size_t)(eq - entry) == ml && strncmp(entry, metric, ml) == 0)
			return METRIC_MATCH;
		if (instance && (size_t)(eq - entry) == ml + 1 + strlen(instance) &&
		    strncmp(entry, metric, ml) == 0 && entry[ml] == '.' &&
		    strncmp(entry + ml + 1, instance, strlen(instance)) == 0)
			return INSTANCE_MATCH;
		return NO_MATCH;
	}
	if (wm_threshold_arg_parse(th->area, entry, (size_t)(eq - entry), &n, NULL) < 0 ||
	    strcmp(n.metric, metric) != 0)
		return NO_MATCH;
	if (!n.instance[0])
		return METRIC_MATCH;
	return instance && strcmp(n.instance, instance) == 0 ? INSTANCE_MATCH : NO_MATCH;
}

static const char *
from_cli(const struct wm_thresholds *th, const char *metric, const char *instance, bool critical,
	 struct wm_threshold_origin *o)
{
	const char *const *list = critical ? th->crit : th->warn;
	size_t n = critical ? th->ncrit : th->nwarn;
	enum cli_match want[3] = {INSTANCE_MATCH, METRIC_MATCH, NO_MATCH};

	for (int tier = 0; tier < 3 && list; tier++) {
		for (size_t i = n; i-- > 0;) {
			const char *e = list[i];
			bool hit = tier < 2 ? cli_match(th, e, metric, instance) == want[tier]
					    : !strchr(e, '=') && th->primary &&
						  strcmp(th->primary, metric) == 0;

			if (!hit)
				continue;
			o->from = WM_THRESHOLD_CLI;
			snprintf(o->key, sizeof o->key, "%s %s", critical ? "-c" : "-w", e);
			return strchr(e, '=') ? strchr(e, '=') + 1 : e;
		}
	}
	return NULL;
}

static const struct conf_entry *
find_entry(const struct wm_config *cfg, const char *section, const char *key)
{
	for (size_t i = 0; cfg && section && i < cfg->nentries; i++) {
		if (strcmp(cfg->entries[i].section, section) == 0 &&
		    strcmp(cfg->entries[i].key, key) == 0)
			return &cfg->entries[i];
	}
	return NULL;
}

/* KEY.warning|critical in the target's section, then in [thresholds].  An
 * old-form name is only looked up when the new grammar does not claim it
 * (a service called "lines": errors.lines is metric lines, not errors of
 * service lines). */
static const char *
from_file(const struct wm_thresholds *th, const char *name, bool old, bool critical,
	  struct wm_threshold_origin *o)
{
	const char *sections[2] = {th->target ? th->target->section : NULL, "thresholds"};
	struct wm_threshold_name n;
	char key[200];

	if (snprintf(key, sizeof key, "%s.%s", name, critical ? "critical" : "warning") >=
	    (int)sizeof key)
		return NULL;
	if (old && th->area && wm_threshold_key_parse(name, strlen(name), &n, NULL) != 1)
		return NULL;
	for (int s = 0; s < 2; s++) {
		const struct conf_entry *e = find_entry(th->cfg, sections[s], key);

		if (!e)
			continue;
		o->from = WM_THRESHOLD_FILE;
		snprintf(o->key, sizeof o->key, "%s", key);
		o->section = e->section;
		o->line = e->line;
		o->old = old;
		return e->value;
	}
	return NULL;
}

const char *
wm_thresholds_get(const struct wm_thresholds *th, const char *metric, const char *instance,
		  bool critical, struct wm_threshold_origin *origin)
{
	struct wm_threshold_origin scratch;
	struct wm_threshold_origin *o = origin ? origin : &scratch;
	char name[200];
	const char *v;

	memset(o, 0, sizeof(*o));
	if (!th || !metric)
		return NULL;
	if (instance && !*instance)
		instance = NULL;
	if ((v = from_cli(th, metric, instance, critical, o)))
		return v;
	if (!th->cfg)
		return NULL;
	if (instance) {
		if (th->area &&
		    snprintf(name, sizeof name, "%s.%s.%s", th->area, metric, instance) <
			(int)sizeof name &&
		    (v = from_file(th, name, false, critical, o)))
			return v;
		if (snprintf(name, sizeof name, "%s.%s", metric, instance) < (int)sizeof name &&
		    (v = from_file(th, name, true, critical, o)))
			return v;
	}
	if (th->area && snprintf(name, sizeof name, "%s.%s", th->area, metric) < (int)sizeof name &&
	    (v = from_file(th, name, false, critical, o)))
		return v;
	return from_file(th, metric, true, critical, o);
}

const char *
wm_thresholds_instance(const char *area, const char *check_name)
{
	size_t n = area ? strlen(area) : 0;
	const char *colon;

	if (!check_name)
		return NULL;
	if (n && strncmp(check_name, area, n) == 0 && check_name[n] == '.' && check_name[n + 1])
		return check_name + n + 1;
	colon = strchr(check_name, ':');
	return colon && colon[1] ? colon + 1 : NULL;
}

static bool
is_threshold_key(const char *key, size_t *stem)
{
	const char *dot = strrchr(key, '.');

	if (!dot || dot == key || (strcmp(dot, ".warning") && strcmp(dot, ".critical")))
		return false;
	*stem = (size_t)(dot - key);
	return true;
}

static int
check_cli(const struct wm_thresholds *th, const char *const *list, size_t n, const char *opt,
	  struct wm_err *err)
{
	struct wm_threshold_name name;
	struct wm_range r;

	for (size_t i = 0; list && i < n; i++) {
		const char *eq = strchr(list[i], '=');

		if (eq && th->area &&
		    wm_threshold_arg_parse(th->area, list[i], (size_t)(eq - list[i]), &name, err) <
			0)
			return -1;
		if (wm_range_parse(eq ? eq + 1 : list[i], &r, err) < 0) {
			wm_err_prefix(err, "%s", opt);
			return -1;
		}
	}
	return 0;
}

int
wm_thresholds_check(const struct wm_thresholds *th, struct wm_err *err)
{
	const struct wm_config *cfg = th ? th->cfg : NULL;

	if (!th)
		return 0;
	if (check_cli(th, th->warn, th->nwarn, "-w", err) < 0 ||
	    check_cli(th, th->crit, th->ncrit, "-c", err) < 0)
		return -1;
	if (!th->area || !cfg)
		return 0;
	for (size_t i = 0; i < cfg->nentries; i++) {
		const struct conf_entry *e = &cfg->entries[i];
		struct wm_threshold_name name;
		struct wm_range r;
		size_t stem;

		if ((strcmp(e->section, "thresholds") && strncmp(e->section, "target ", 7)) ||
		    !is_threshold_key(e->key, &stem))
			continue;
		if (wm_threshold_key_parse(e->key, stem, &name, err) < 0 ||
		    wm_range_parse(e->value, &r, err) < 0) {
			wm_err_prefix(err, "%s:%d: %s", cfg->path, e->line, e->key);
			err->code = WM_ECONFIG;
			return -1;
		}
	}
	return 0;
}

/* The range text for m (the collector's own when nothing is set); NULL with
 * err set when a file range does not parse. */
static const char *
pick(const struct wm_thresholds *th, const struct wm_metric *m, const char *instance, bool critical,
     struct wm_err *err)
{
	struct wm_threshold_origin o;
	const char *v = wm_thresholds_get(th, m->name, instance, critical, &o);
	struct wm_range r;

	if (!v)
		return critical ? m->crit : m->warn;
	if (o.from == WM_THRESHOLD_FILE && wm_range_parse(v, &r, err) < 0) {
		wm_err_prefix(err, "%s: %s",
			      wm_config_path(th->cfg) ? wm_config_path(th->cfg) : "config", o.key);
		err->code = WM_ECONFIG;
		return NULL;
	}
	return v;
}

int
wm_thresholds_set(const struct wm_thresholds *th, struct wm_result *r, struct wm_err *err)
{
	struct wm_err scratch;

	if (!err)
		err = &scratch;
	wm_err_clear(err);
	for (size_t i = 0; i < r->nchecks; i++) {
		struct wm_check *c = r->checks[i];
		const char *inst = wm_thresholds_instance(th->area, c->name);

		for (size_t j = 0; j < c->nmetrics; j++) {
			struct wm_metric *m = &c->metrics[j];
			const char *w = pick(th, m, inst, false, err);
			const char *k = pick(th, m, inst, true, err);

			if (err->code != WM_EOK)
				return -1;
			if ((w != m->warn || k != m->crit) && wm_metric_set_thresholds(m, w, k) < 0)
				return wm_err_set(err, WM_ENOMEM, "out of memory");
		}
		wm_check_eval(c);
	}
	return 0;
}
