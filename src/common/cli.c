/* cli.c - parsing of the options every wm-* program shares. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/cli.h"
#include "conf/conf.h"
#include "base/duration.h"
#include "model/threshold.h"
#include "conf/threshold_policy.h"

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
	case WM_OPT_PRINT_CONFIG:
		cli->print_config = true;
		return 1;
	case 'l':
		cli->long_text = true;
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

void
wm_cli_thresholds(const struct wm_cli *cli, struct wm_thresholds *th)
{
	th->warn = cli ? cli->warn : NULL;
	th->nwarn = cli ? cli->nwarn : 0;
	th->crit = cli ? cli->crit : NULL;
	th->ncrit = cli ? cli->ncrit : 0;
}

int
wm_thresholds_apply(struct wm_result *r, const struct wm_config *cfg, const struct wm_target *t,
		    const struct wm_cli *cli, const char *area, const char *primary,
		    struct wm_err *err)
{
	struct wm_thresholds th = {.cfg = cfg, .target = t, .area = area, .primary = primary};

	wm_cli_thresholds(cli, &th);
	if (wm_thresholds_check(&th, err) < 0)
		return -1;
	return wm_thresholds_set(&th, r, err);
}

int
wm_cli_apply_thresholds(const struct wm_cli *cli, struct wm_result *r, const char *primary)
{
	return wm_thresholds_apply(r, NULL, NULL, cli, NULL, primary, NULL);
}
