/* cli.c - parsing of the options every wm-* program shares. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "conf.h"
#include "duration.h"
#include "threshold.h"

void
wm_cli_defaults(struct wm_cli *cli)
{
	memset(cli, 0, sizeof(*cli));
	cli->format = WM_FORMAT_TEXT;
	cli->timeout = WM_CLI_DEFAULT_TIMEOUT;
}

/* --timeout: seconds as a decimal number ("2.5"), or a duration in the
 * syntax of every --since ("500ms", "1m"); > 0. */
static int
parse_timeout(const char *arg, double *out, struct wm_err *err)
{
	size_t digits = arg ? strspn(arg, "0123456789.") : 0;
	char *end;
	double v;
	int64_t ms;

	if (digits > 0 && arg[digits] == '\0' && strchr(arg, '.')) {
		v = strtod(arg, &end);
		if (*end == '\0' && v > 0 && v < 1e9) {
			*out = v;
			return 0;
		}
	} else if (wm_duration_parse(arg, &ms, NULL) == 0 && ms > 0) {
		*out = (double)ms / 1000.0;
		return 0;
	}
	return wm_err_set(err, WM_EINVAL,
			  "invalid timeout '%s' (expected a duration > 0, e.g. 10, 2.5, 500ms, 1m)",
			  arg ? arg : "");
}

/* -H: validated by the same parser that applies it to a target later. */
static int
check_host(const char *arg, struct wm_err *err)
{
	struct wm_target *scratch = calloc(1, sizeof(*scratch));
	int rc;

	if (!scratch)
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	rc = wm_target_from_hostspec(scratch, arg, err);
	wm_target_free(scratch);
	return rc;
}

/* Validate "[METRIC=]RANGE". */
static int
check_threshold(const char *arg, struct wm_err *err)
{
	const char *eq = strchr(arg, '=');
	const char *range = eq ? eq + 1 : arg;
	struct wm_range r;

	if (eq == arg)
		return wm_err_set(err, WM_EINVAL, "invalid threshold '%s': empty metric name", arg);
	if (wm_range_parse(range, &r, err) < 0)
		return -1;
	return 0;
}

static int
add_threshold(const char **list, size_t *n, const char *arg, struct wm_err *err)
{
	if (check_threshold(arg, err) < 0)
		return -1;
	if (*n >= WM_CLI_MAX_THRESHOLDS)
		return wm_err_set(err, WM_EINVAL, "too many thresholds (at most %d)",
				  WM_CLI_MAX_THRESHOLDS);
	list[(*n)++] = arg;
	return 0;
}

int
wm_cli_option(struct wm_cli *cli, int opt, const char *arg, struct wm_err *err)
{
	int f;

	switch (opt) {
	case WM_OPT_FORMAT:
		f = wm_format_parse(arg);
		if (f < 0)
			return wm_err_set(err, WM_EINVAL,
					  "invalid format '%s' (expected text, json, ndjson, "
					  "nagios, prometheus or openmetrics)",
					  arg ? arg : "");
		cli->format = (enum wm_format)f;
		return 1;
	case 'j':
		cli->format = WM_FORMAT_JSON;
		return 1;
	case 't':
		if (!arg || !*arg)
			return wm_err_set(err, WM_EINVAL, "empty target name");
		cli->target = arg;
		return 1;
	case 'H':
		if (check_host(arg, err) < 0)
			return -1;
		cli->host = arg;
		return 1;
	case WM_OPT_CONFIG:
		if (!arg || !*arg)
			return wm_err_set(err, WM_EINVAL, "empty configuration file name");
		cli->config = arg;
		return 1;
	case 'w':
		return add_threshold(cli->warn, &cli->nwarn, arg, err) < 0 ? -1 : 1;
	case 'c':
		return add_threshold(cli->crit, &cli->ncrit, arg, err) < 0 ? -1 : 1;
	case WM_OPT_TIMEOUT:
		if (parse_timeout(arg, &cli->timeout, err) < 0)
			return -1;
		cli->timeout_set = true;
		return 1;
	case 'v':
		cli->verbose++;
		return 1;
	case WM_OPT_OUTPUT:
		if (!arg || !*arg)
			return wm_err_set(err, WM_EINVAL, "empty output file name");
		cli->output = arg;
		return 1;
	}
	return 0;
}

/* The range of entry e for metric (NULL: bare entries only), or NULL. */
static const char *
entry_range(const char *e, const char *metric)
{
	const char *eq = strchr(e, '=');

	if (!eq)
		return metric ? NULL : e;
	if (!metric || strlen(metric) != (size_t)(eq - e) || strncmp(e, metric, (size_t)(eq - e)))
		return NULL;
	return eq + 1;
}

const char *
wm_cli_threshold(const struct wm_cli *cli, const char *metric, bool critical)
{
	const char *const *list = critical ? cli->crit : cli->warn;
	size_t n = critical ? cli->ncrit : cli->nwarn;
	const char *range;

	while (n-- > 0) {
		range = entry_range(list[n], metric);
		if (range)
			return range;
	}
	return NULL;
}

/* The range text for m by the precedence of wm_thresholds_apply, or the
 * collector's own (current) one; NULL with err set when the configuration's
 * range does not parse. */
static const char *
pick(const struct wm_metric *m, const struct wm_config *cfg, const struct wm_target *t,
     const struct wm_cli *cli, const char *area, const char *primary, bool critical,
     struct wm_err *err)
{
	const char *v = cli ? wm_cli_threshold(cli, m->name, critical) : NULL;
	const char *key = m->name;
	char scoped[160];
	struct wm_range range;

	if (!v && cli && primary && strcmp(m->name, primary) == 0)
		v = wm_cli_threshold(cli, NULL, critical);
	if (v)
		return v;
	if (area && snprintf(scoped, sizeof(scoped), "%s.%s", area, m->name) < (int)sizeof(scoped) &&
	    (v = wm_config_threshold(cfg, t, scoped, critical)))
		key = scoped;
	else
		v = wm_config_threshold(cfg, t, m->name, critical);
	if (v && wm_range_parse(v, &range, err) < 0) {
		wm_err_prefix(err, "%s: %s.%s",
			      wm_config_path(cfg) ? wm_config_path(cfg) : "config", key,
			      critical ? "critical" : "warning");
		err->code = WM_ECONFIG;
		return NULL;
	}
	return v ? v : critical ? m->crit : m->warn;
}

int
wm_thresholds_apply(struct wm_result *r, const struct wm_config *cfg, const struct wm_target *t,
		    const struct wm_cli *cli, const char *area, const char *primary,
		    struct wm_err *err)
{
	struct wm_err scratch;

	if (!err)
		err = &scratch;
	wm_err_clear(err);
	for (size_t i = 0; i < r->nchecks; i++) {
		struct wm_check *c = r->checks[i];

		for (size_t j = 0; j < c->nmetrics; j++) {
			struct wm_metric *m = &c->metrics[j];
			const char *w = pick(m, cfg, t, cli, area, primary, false, err);
			const char *k = pick(m, cfg, t, cli, area, primary, true, err);

			if (err->code != WM_EOK)
				return -1;
			if ((w != m->warn || k != m->crit) && wm_metric_set_thresholds(m, w, k) < 0)
				return wm_err_set(err, WM_ENOMEM, "out of memory");
		}
		wm_check_eval(c);
	}
	return 0;
}

int
wm_cli_apply_thresholds(const struct wm_cli *cli, struct wm_result *r, const char *primary)
{
	return wm_thresholds_apply(r, NULL, NULL, cli, NULL, primary, NULL);
}
