/* threshold.c - Nagios ranges: parsing and the alert decision. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/threshold.h"

/* Parse the number in text[0..len) strictly: decimal only, whole span used,
 * finite.  strtod alone would take "inf", "nan", hex and leading spaces. */
static int
parse_number(const char *text, size_t len, double *out)
{
	char buf[64];
	char *end;
	double v;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	if (strspn(text, "0123456789.eE+-") < len)
		return -1;
	memcpy(buf, text, len);
	buf[len] = '\0';
	errno = 0;
	v = strtod(buf, &end);
	if (end != buf + len || errno == ERANGE || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int
wm_range_parse(const char *text, struct wm_range *out, struct wm_err *err)
{
	struct wm_range r = {0};
	const char *p, *colon;
	char buf[160];
	size_t len;

	if (!text || !*text)
		return wm_err_set(err, WM_EINVAL, "empty threshold range");
	/* monitoring-plugins ignores a trailing '%' ("1:12%"): so do we */
	len = strlen(text);
	if (len >= sizeof(buf))
		goto out_invalid;
	memcpy(buf, text, len + 1);
	if (len > 1 && buf[len - 1] == '%')
		buf[--len] = '\0';
	p = buf;
	if (*p == '@') {
		r.inside = true;
		p++;
	}
	colon = strchr(p, ':');
	if (!colon) {
		/* "10": start 0 implied. */
		if (parse_number(p, strlen(p), &r.end) < 0)
			goto out_invalid;
	} else {
		/* ":5.75": an empty start is 0, as in monitoring-plugins;
		 * ":" alone has no number at all */
		if (colon == p && colon[1] == '\0')
			goto out_invalid;
		if (colon == p)
			r.start = 0;
		else if (colon - p == 1 && *p == '~')
			r.start_inf = true;
		else if (parse_number(p, (size_t)(colon - p), &r.start) < 0)
			goto out_invalid;
		if (colon[1] == '\0')
			r.end_inf = true;
		else if (parse_number(colon + 1, strlen(colon + 1), &r.end) < 0)
			goto out_invalid;
	}
	if (!r.start_inf && !r.end_inf && r.start > r.end)
		return wm_err_set(err, WM_EINVAL,
				  "invalid threshold range '%s': start is greater than end", text);
	*out = r;
	return 0;

out_invalid:
	return wm_err_set(err, WM_EINVAL,
			  "invalid threshold range '%s' (expected N, N:, ~:N, N:M or @N:M)", text);
}

bool
wm_range_alerts(const struct wm_range *r, double v)
{
	bool in;

	if (isnan(v))
		return false;
	in = (r->start_inf || v >= r->start) && (r->end_inf || v <= r->end);
	return r->inside ? in : !in;
}

/* The state one range text gives v: alert_state when it alerts, OK when not,
 * UNKNOWN when the text does not parse. */
static enum wm_state
eval_text(const char *text, double v, enum wm_state alert_state)
{
	struct wm_range r;

	if (wm_range_parse(text, &r, NULL) < 0)
		return WM_UNKNOWN;
	return wm_range_alerts(&r, v) ? alert_state : WM_OK;
}

enum wm_state
wm_metric_eval(const struct wm_metric *m)
{
	enum wm_state s;

	if (!m->warn && !m->crit)
		return WM_OK;
	if (isnan(m->value))
		return WM_UNKNOWN;
	if (m->crit) {
		s = eval_text(m->crit, m->value, WM_CRITICAL);
		if (s != WM_OK)
			return s;
	}
	if (m->warn)
		return eval_text(m->warn, m->value, WM_WARNING);
	return WM_OK;
}

enum wm_state
wm_check_eval(struct wm_check *c)
{
	for (size_t i = 0; i < c->nmetrics; i++)
		wm_check_raise(c, wm_metric_eval(&c->metrics[i]));
	return c->state;
}
