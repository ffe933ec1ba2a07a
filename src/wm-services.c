/* wm-services - are the compose project's expected services up and healthy?
 *
 * Per expected service: state, health (the failing probe's output when
 * unhealthy), restarts in total and since the previous run, uptime, OOM
 * kills, the exit code of a stopped one; a service without a container is
 * CRITICAL "missing".  --stats adds CPU and memory, --disk file system use,
 * --wait polls until everything is up (right after a deploy).  The check is
 * the library unit wm_services_run (lib/check_services*.c); this is its
 * command line.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "common/cli.h"
#include "base/duration.h"
#include "common/prog.h"

struct opts {
	struct wm_cli cli;
	struct wm_services_check_opts svc;
};

enum { OPT_STATS = WM_OPT_PROG, OPT_DISK, OPT_WAIT };

static void __attribute__((noreturn)) usage(int status)
{
	FILE *out = stdout;

	if (status)
		wm_try_help();
	fprintf(out, "Usage: %s [OPTION]...\n", wm_prog_name());
	fputs("Check that every expected service of the compose project runs and is healthy.\n\n"
	      "Options:\n"
	      "      --stats              add CPU and memory use per service\n"
	      "      --disk               add disk use of the target's file systems\n"
	      "      --wait[=TIMEOUT]     poll until every service is up and healthy\n"
	      "                             (default 5m), then report\n",
	      out);
	wm_usage_common(out);
	exit(0);
}

static void
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
	    WM_CLI_LONGOPTS,
	    {"stats", no_argument, NULL, OPT_STATS},
	    {"disk", no_argument, NULL, OPT_DISK},
	    {"wait", optional_argument, NULL, OPT_WAIT},
	    {NULL, 0, NULL, 0},
	};
	struct wm_err e = {0};
	int c;

	*o = (struct opts){0};
	wm_cli_defaults(&o->cli);
	while ((c = wm_prog_getopt(argc, argv, &o->cli, longopts, usage)) != -1) {
		switch (c) {
		case OPT_STATS:
			o->svc.stats = true;
			break;
		case OPT_DISK:
			o->svc.disk = true;
			break;
		case OPT_WAIT:
			o->svc.wait = true;
			o->svc.wait_ms = WM_SERVICES_WAIT_DEFAULT_MS;
			if (optarg && wm_duration_parse(optarg, &o->svc.wait_ms, &e) < 0)
				wm_usage_error("--wait: %s", e.msg);
			break;
		default:
			usage(WM_UNKNOWN);
		}
	}
}

int
main(int argc, char **argv)
{
	struct opts o;

	wm_prog_init(argc, argv);
	parse_args(argc, argv, &o);
	/* --wait runs long on purpose: the deadline and the watchdog wait too */
	return wm_prog_run(&o.cli, wm_check_find("services"), &o.svc,
			   o.svc.wait ? o.svc.wait_ms : 0);
}
