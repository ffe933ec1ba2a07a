/* wm-errors.h - the parts of wm-errors shared by its files (not a library API). */
#ifndef WM_ERRORS_PROG_H
#define WM_ERRORS_PROG_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "conf.h"
#include "errors.h"
#include "logstream.h"
#include "result.h"
#include "session.h"

#define ERRORS_MAX_ARGS 64
#define ERRORS_POLL_MS 1000 /* --follow against Docker: one poll per second */

/* Everything the command line decides. */
struct errors_opts {
	struct wm_cli cli;
	const char *since, *until; /* as given, or NULL */
	const char *file;	   /* --file / '-', or NULL for Docker */
	bool criticals, follow;
	size_t tail, top;
	int level;		/* lowest level grouped and followed */
	const char *pattern[3]; /* critical, error, warn; NULL = default */
	const char *services[ERRORS_MAX_ARGS];
	size_t nservices;
	int64_t since_ms, until_ms; /* the window, -1 = open */
	char window[96];	    /* "in 1h", for summaries */
};

/* One run: the options and what main() set up from them. */
struct errors_run {
	struct errors_opts *o;
	struct wm_session *s;
	const struct wm_config *cfg;	 /* the session's */
	const struct wm_target *target; /* the session's */
	struct wm_classify_set *classes;
	struct wm_errors *errors;
	struct wm_zone_overrides zones; /* [general] time_zones */
	const volatile sig_atomic_t *stop; /* set by SIGINT/SIGTERM */
	struct wm_logstream_stats stats;   /* over every stream read, for -v */
};

/* Collect from FILE/stdin or from the target's Engine API into run->errors;
 * a source that cannot be read becomes an UNKNOWN check in r.  -1 only when
 * out of memory. */
int errors_from_file(struct errors_run *run, struct wm_result *r);
int errors_from_docker(struct errors_run *run, struct wm_result *r);
/* --follow: print matching lines as they come until EOF or a signal; returns
 * the exit code. */
int errors_follow(struct errors_run *run, struct wm_result *r);
/* The text details after the checks: groups, critical lines, tails. */
void errors_print_details(struct errors_run *run, FILE *out);

#endif
