/* wm-errors.h - the parts of wm-errors shared by its files (not a library
 * API).  The check itself is the library unit wm_errors_run (lib/checks/checks.h,
 * lib/checks/check_errors.c); this program adds its command line, --follow and the
 * text details. */
#ifndef WM_ERRORS_PROG_H
#define WM_ERRORS_PROG_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "checks/checks.h"
#include "common/cli.h"
#include "checks/errors.h"
#include "logs/logline.h"
#include "session/session.h"

#define ERRORS_MAX_ARGS 64
#define ERRORS_POLL_MS 1000 /* --follow against Docker: one poll per second */

/* Everything the command line decides. */
struct errors_opts {
	struct wm_cli cli;
	const char *since, *until; /* as given, or NULL */
	bool follow;
	const char *services[ERRORS_MAX_ARGS];
	struct wm_zone_overrides zones; /* [general] time_zones, for --follow */
	struct wm_errors_check_opts eo; /* what the unit takes */
};

/* --follow: print matching lines as they come until EOF or a signal (stop),
 * classified by o->eo.classes.  Returns the exit code. */
int errors_follow(const struct errors_opts *o, struct wm_session *s,
		  const volatile sig_atomic_t *stop);
/* The text details after the checks: groups, critical lines, tails. */
void errors_print_details(struct wm_errors *e, FILE *out);

#endif
