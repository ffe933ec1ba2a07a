/* threshold.h - Nagios threshold ranges ("10", "10:", "~:10", "10:20", "@10:20").
 *
 * The syntax and the alert decisions follow the Nagios plugin development
 * guidelines (monitoring-plugins doc/developer-guidelines, "Threshold and
 * ranges"):
 *
 *   10      alert if v < 0 or v > 10     (start 0 is implied)
 *   10:     alert if v < 10              (end is +infinity)
 *   ~:10    alert if v > 10              (start is -infinity)
 *   10:20   alert if v < 10 or v > 20
 *   @10:20  alert if 10 <= v <= 20       (inverted: alert inside)
 *
 *   :5.75   as 5.75 (an empty start is 0, as in monitoring-plugins)
 *   1:12%   as 1:12 (one trailing '%' is ignored, as in monitoring-plugins)
 *
 * Numbers are decimal (sign, digits, optional fraction and exponent); no
 * spaces, no "inf"/"nan", no hex: text that is not a number is refused (the
 * plugins read it as 0).  start must not exceed end; ":" alone is refused.
 */
#ifndef WM_THRESHOLD_H
#define WM_THRESHOLD_H

#include <stdbool.h>

#include "base/err.h"
#include "model/result.h"

struct wm_range {
	double start;
	double end;
	bool start_inf; /* start is -infinity ("~") */
	bool end_inf;	/* end is +infinity ("10:") */
	bool inside;	/* "@" form: alert when inside [start, end] */
};

/* Parse text into *out.  Returns 0, or -1 with WM_EINVAL and a one-line
 * message naming the text in err (out is then left untouched). */
int wm_range_parse(const char *text, struct wm_range *out, struct wm_err *err);

/* True when v must raise an alert: outside [start, end], or inside it for the
 * "@" form.  The bounds are inclusive in both forms.  NaN never alerts (the
 * caller decides what unknown means; see wm_metric_eval). */
bool wm_range_alerts(const struct wm_range *r, double v);

/* The state of one metric: CRITICAL when its crit range alerts, else WARNING
 * when its warn range alerts, else OK.  A metric without warn and crit is OK
 * whatever its value (nothing to judge).  With a threshold, a NaN value is
 * UNKNOWN, and so is a range text that does not parse (it cannot be judged). */
enum wm_state wm_metric_eval(const struct wm_metric *m);

/* Raise c->state by the evaluation of every metric (worst wins, never lowers)
 * and return the new state. */
enum wm_state wm_check_eval(struct wm_check *c);

#endif
