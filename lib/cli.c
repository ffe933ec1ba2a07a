/* cli.c - parsing of the options every wm-* program shares. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "threshold.h"

void
wm_cli_defaults(struct wm_cli *cli)
{
	memset(cli, 0, sizeof(*cli));
	cli->format = WM_FORMAT_TEXT;
	cli->timeout = WM_CLI_DEFAULT_TIMEOUT;
}

/* Seconds: a positive number with an optional unit "ms", "s" or "m". */
static int
parse_timeout(const char *arg, double *out, struct wm_err *err)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (end == arg || errno || !isfinite(v) || strspn(arg, "0123456789.") == 0)
		goto out_invalid;
	if (strcmp(end, "ms") == 0)
		v /= 1000.0;
	else if (strcmp(end, "m") == 0)
		v *= 60.0;
	else if (*end && strcmp(end, "s") != 0)
		goto out_invalid;
	if (!(v > 0))
		goto out_invalid;
	*out = v;
	return 0;

out_invalid:
	return wm_err_set(err, WM_EINVAL,
			  "invalid timeout '%s' (expected seconds > 0, e.g. 10, 2.5s, 500ms, 1m)",
			  arg);
}

/* Validate "[METRIC=]RANGE". */
static int
check_threshold(const char *arg, struct wm_err *err)
{
	const char *eq = strchr(arg, '=');
	const char *range = eq ? eq + 1 : arg;
	struct wm_range r;

	if (eq == arg)
		return wm_err_set(err, WM_EINVAL, "invalid threshold '%s': empty metric name",
				  arg);
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
	struct wm_host_spec hs;
	int f;

	switch (opt) {
	case WM_OPT_FORMAT:
		f = wm_format_parse(arg);
		if (f < 0)
			return wm_err_set(err, WM_EINVAL,
					  "invalid format '%s' (expected text, json, ndjson, "
					  "nagios or prometheus)", arg ? arg : "");
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
		if (wm_host_spec_parse(arg, &hs, err) < 0)
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
		return parse_timeout(arg, &cli->timeout, err) < 0 ? -1 : 1;
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

/* The override for m: by name first, then a bare range when m is primary. */
static const char *
override(const struct wm_cli *cli, const struct wm_metric *m, const char *primary, bool critical)
{
	const char *t = wm_cli_threshold(cli, m->name, critical);

	if (!t && primary && strcmp(m->name, primary) == 0)
		t = wm_cli_threshold(cli, NULL, critical);
	return t;
}

int
wm_cli_apply_thresholds(const struct wm_cli *cli, struct wm_result *r, const char *primary)
{
	for (size_t i = 0; i < r->nchecks; i++) {
		struct wm_check *c = r->checks[i];

		for (size_t j = 0; j < c->nmetrics; j++) {
			struct wm_metric *m = &c->metrics[j];
			const char *w = override(cli, m, primary, false);
			const char *k = override(cli, m, primary, true);

			if (!w && !k)
				continue;
			if (wm_metric_set_thresholds(m, w ? w : m->warn, k ? k : m->crit) < 0)
				return -1;
		}
		wm_check_eval(c);
	}
	return 0;
}

/* Copy s[0..len) into dst (size cap); -1 when it does not fit or is empty. */
static int
copy_part(char *dst, size_t cap, const char *s, size_t len)
{
	if (len == 0 || len >= cap)
		return -1;
	memcpy(dst, s, len);
	dst[len] = '\0';
	return 0;
}

static int
parse_port(const char *s, int *port)
{
	char *end;
	long v;

	if (!*s || strspn(s, "0123456789") != strlen(s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || v < 1 || v > 65535)
		return -1;
	*port = (int)v;
	return 0;
}

int
wm_host_spec_parse(const char *text, struct wm_host_spec *out, struct wm_err *err)
{
	struct wm_host_spec hs = { .port = 0 };
	const char *p = text, *at, *hend, *colon = NULL;

	if (!text || !*text)
		goto out_invalid;
	at = strrchr(text, '@');
	if (at) {
		if (copy_part(hs.user, sizeof(hs.user), text, (size_t)(at - text)) < 0)
			goto out_invalid;
		p = at + 1;
	}
	if (*p == '[') {
		hend = strchr(p, ']');
		if (!hend || copy_part(hs.host, sizeof(hs.host), p + 1, (size_t)(hend - p - 1)) < 0)
			goto out_invalid;
		if (hend[1] == ':')
			colon = hend + 1;
		else if (hend[1])
			goto out_invalid;
	} else {
		colon = strchr(p, ':');
		if (colon && strchr(colon + 1, ':'))
			goto out_invalid; /* bare IPv6 needs brackets */
		if (copy_part(hs.host, sizeof(hs.host), p,
			      colon ? (size_t)(colon - p) : strlen(p)) < 0)
			goto out_invalid;
	}
	if (strpbrk(hs.host, " \t/@") || strpbrk(hs.user, " \t/:"))
		goto out_invalid;
	if (colon && parse_port(colon + 1, &hs.port) < 0)
		goto out_invalid;
	*out = hs;
	return 0;

out_invalid:
	return wm_err_set(err, WM_EINVAL,
			  "invalid host '%s' (expected [USER@]HOST[:PORT], PORT 1-65535)",
			  text ? text : "");
}
