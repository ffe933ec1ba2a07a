/* wm-smoke - can users reach the primary features: the runbook's functional
 * spot checks as timed, chained steps.
 *
 * Login with an account from a secrets file, an authenticated request with
 * the captured token, /api/health, nginx's /health, the frontend's root
 * element, a database query and a cache round trip, each with its status,
 * the reason it failed and libcurl's timings; a step whose dependency
 * failed is "not run".  The steps are the [step NAME] sections of the
 * configuration or the Warungin defaults.  The check is the library unit
 * wm_smoke_run (lib/checks/check_smoke.c); this is its command line.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "checks/checks.h"
#include "checks/smoke.h"
#include "common/cli.h"
#include "common/prog.h"
#include "session/session.h"

#define MAX_STEPS 32

struct opts {
	struct wm_cli cli;
	struct wm_smoke_check_opts smoke;
	const char *steps[MAX_STEPS];
	bool list;
};

enum { OPT_STEP = WM_OPT_PROG, OPT_LIST };

static void __attribute__((noreturn)) usage(int status)
{
	if (status)
		wm_try_help();
	printf("Usage: %s [OPTION]...\n", wm_prog_name());
	fputs("Run the functional spot checks: login, an authenticated request, the health\n"
	      "endpoints, the frontend, a database query and a cache round trip, each timed.\n\n"
	      "Options:\n"
	      "      --step=NAME          run only this step and the steps it needs\n"
	      "                           (repeatable)\n"
	      "      --list               show the plan (steps in order, what each expects\n"
	      "                           and needs) and exit\n",
	      stdout);
	wm_usage_common(stdout);
	fputs("\nThe steps are the [step NAME] sections of the configuration, else the\n"
	      "Warungin defaults: login, products, api-health, health, frontend, db, cache;\n"
	      "the default login's account is [smoke] login_user and login_password_file.\n"
	      "A step that failed is CRITICAL; a step over its max_time is WARNING; a step\n"
	      "whose dependency did not pass is \"not run\".\n",
	      stdout);
	exit(0);
}

static void
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
	    WM_CLI_LONGOPTS,
	    {"step", required_argument, NULL, OPT_STEP},
	    {"list", no_argument, NULL, OPT_LIST},
	    {NULL, 0, NULL, 0},
	};
	int c;

	*o = (struct opts){0};
	wm_cli_defaults(&o->cli);
	while ((c = wm_prog_getopt(argc, argv, &o->cli, longopts, usage)) != -1) {
		switch (c) {
		case OPT_STEP:
			if (o->smoke.nsteps == MAX_STEPS)
				wm_usage_error("more than %d --step options", MAX_STEPS);
			o->steps[o->smoke.nsteps++] = optarg;
			break;
		case OPT_LIST:
			o->list = true;
			break;
		default:
			usage(WM_UNKNOWN);
		}
	}
	o->smoke.steps = o->steps;
}

/* --list: the plan as it would run, one step a line. */
static int
list(struct opts *o)
{
	struct wm_session *s = wm_prog_session(&o->cli);
	struct wm_smoke_plan p;
	struct wm_err err = {0};
	char line[1024];

	if (wm_smoke_plan_load(wm_session_config(s), &p, &err) < 0 ||
	    wm_smoke_plan_select(&p, o->smoke.steps, o->smoke.nsteps, &err) < 0) {
		wm_session_close(s);
		wm_die(WM_UNKNOWN, "%s", err.msg);
	}
	printf("%s plan for target %s (%s):\n", wm_prog_name(), wm_session_target_name(s),
	       p.defaults ? "the Warungin defaults" : "the [step] sections");
	for (size_t k = 0, n = 0; k < p.n; k++) {
		if (!p.steps[k].run)
			continue;
		wm_smoke_step_describe(&p, k, line, sizeof(line));
		printf("%2zu  %-12s %s\n", ++n, p.steps[k].spec->name, line);
	}
	wm_smoke_plan_free(&p);
	wm_session_close(s);
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o;

	wm_prog_init(argc, argv);
	parse_args(argc, argv, &o);
	if (o.list)
		return list(&o);
	return wm_prog_run(&o.cli, wm_check_find("smoke"), &o.smoke, 0);
}
