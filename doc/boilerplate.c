/* boilerplate.c - the template for a new wm-* program (util-linux style).
 *
 * Copy it to src/wm-NAME.c, rename "boilerplate", and fill in run().
 * Register it in src/local.mk:
 *
 *	bin_PROGRAMS += src/wm-NAME
 *	src_wm_NAME_SOURCES = src/wm-NAME.c
 *	src_wm_NAME_CPPFLAGS = $(WM_CPPFLAGS)
 *	src_wm_NAME_LDADD = $(WM_PROG_LIBS)
 *
 * and give it man/wm-NAME.1 and completions/wm-NAME (tests/cli/check-docs.sh
 * checks that every long option of --help appears in both).
 *
 * main() reads the same in every tool: init -> parse options into a struct
 * -> wm_prog_run, which opens the session (configuration, target, -H,
 * timeout), arms the deadline and the watchdog, makes the result, calls
 * run(), applies the thresholds, renders once and returns the state.
 * Nothing but main(), usage() and parse_args() prints or exits; run() only
 * adds checks and metrics to the result (in a real check it is a library
 * unit, wm_<area>_run in lib/, that wm-run calls in-process too).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks/checks.h"
#include "common/cli.h"
#include "conf/conf.h"
#include "common/prog.h"
#include "model/result.h"
#include "session/session.h"

/* Everything the command line decides, in one struct (no globals). */
struct opts {
	struct wm_cli cli;    /* the common options */
	const char *greeting; /* --greeting: this program's own option */
	double delay;	      /* --delay: seconds to wait, to see --timeout work */
};

/* Long-only options of this program are numbered from WM_OPT_PROG. */
enum { OPT_GREETING = WM_OPT_PROG, OPT_DELAY };

/* The SYNOPSIS line must match the man page. */
static void __attribute__((noreturn)) usage(int status)
{
	if (status)
		wm_try_help();
	printf("Usage: %s [OPTION]...\n", wm_prog_name());
	fputs("Show what a warunginmon program looks like.\n\n"
	      "Options:\n"
	      "      --greeting=TEXT      the text of the greeting check\n"
	      "      --delay=SECONDS      wait that long first (to see --timeout work)\n",
	      stdout);
	wm_usage_common(stdout);
	exit(0);
}

/* Seconds >= 0; a usage error otherwise. */
static double
parse_delay(const char *arg)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end || !(v >= 0 && v <= 3600))
		wm_usage_error("invalid delay '%s' (expected seconds, 0-3600)", arg);
	return v;
}

static void
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
	    WM_CLI_LONGOPTS,
	    {"greeting", required_argument, NULL, OPT_GREETING},
	    {"delay", required_argument, NULL, OPT_DELAY},
	    {NULL, 0, NULL, 0},
	};
	int c;

	wm_cli_defaults(&o->cli);
	o->greeting = "hello";
	o->delay = 0;
	while ((c = getopt_long(argc, argv, WM_CLI_SHORTOPTS, longopts, NULL)) != -1) {
		if (wm_prog_option(&o->cli, c, optarg, usage))
			continue;
		switch (c) {
		case OPT_GREETING:
			o->greeting = optarg;
			break;
		case OPT_DELAY:
			o->delay = parse_delay(optarg);
			break;
		default:
			usage(WM_UNKNOWN);
		}
	}
	if (optind < argc)
		wm_usage_error("unexpected argument '%s'", argv[optind]);
}

/* Collect facts into r through the session s; never prints.  A failure to
 * perform the check is an UNKNOWN check with the reason as its summary, not
 * an exit.  The metrics get the program's defaults (the runbook's criteria);
 * wm_prog_run then lets the configuration and -w/-c override them. */
static int
run(struct wm_session *s, const void *arg, struct wm_result *r)
{
	const struct opts *o = arg;
	const struct wm_target *t = wm_session_target(s);
	struct wm_check *c = wm_result_add_check(r, "boilerplate.greeting");
	struct wm_metric *m;

	if (!c)
		return -1;
	if (o->delay > 0) {
		struct timespec ts = {(time_t)o->delay,
				      (long)((o->delay - (double)(time_t)o->delay) * 1e9)};

		while (nanosleep(&ts, &ts) < 0)
			continue;
	}
	wm_check_set(c, WM_OK, "%s on %s", o->greeting, t->host ? t->host : "this host");
	m = wm_check_add_metric(c, "length", (double)strlen(o->greeting), "");
	if (!m || wm_metric_set_thresholds(m, "~:40", "~:80") < 0)
		return -1;
	return 0;
}

/* A real check's definition is a row of the table in lib/checks.c. */
static const struct wm_check_def def = {
    .name = "boilerplate",
    .primary = "length", /* the metric a bare -w/-c RANGE is for */
    .run = run,
};

int
main(int argc, char **argv)
{
	struct opts o;

	wm_prog_init(argc, argv);
	parse_args(argc, argv, &o);
	return wm_prog_run(&o.cli, &def, &o, 0);
}
