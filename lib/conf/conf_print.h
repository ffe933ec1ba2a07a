/* conf_print.h - the effective configuration of one target, for people:
 * what --print-config shows.
 *
 * Written as INI that warunginmon.conf(5) reads back, each value followed by
 * "; ORIGIN": FILE:LINE, "environment NAME", "command line (-H)", "default".
 * Secrets are masked (wm_redact); the *_file settings are shown as paths and
 * a password from the environment only as "set".  The caller gives the FILE*
 * (the library never prints on its own), as for wm_render.
 */
#ifndef WM_CONF_PRINT_H
#define WM_CONF_PRINT_H

#include <stdint.h>
#include <stdio.h>

#include "conf/conf.h"
#include "base/err.h"

/* What the command line set, for the origins (no struct wm_cli here). */
struct wm_print_opts {
	const char *host;	 /* -H as given, or NULL */
	int64_t timeout_ms;	 /* --timeout, or -1 when not given */
	const char *target;	 /* -t as given, or NULL */
	const char *const *warn; /* -w texts */
	size_t nwarn;
	const char *const *crit; /* -c texts */
	size_t ncrit;
};

/* Write the configuration of t (the effective target, after -H) to out:
 * [general], [target NAME], the [thresholds] keys that apply to it with -w
 * and -c, then every other section of the file.  o may be NULL.  Returns 0,
 * or -1 with err (WM_EIO when out fails). */
int wm_config_print(const struct wm_config *cfg, const struct wm_target *t,
		    const struct wm_print_opts *o, FILE *out, struct wm_err *err);

#endif
