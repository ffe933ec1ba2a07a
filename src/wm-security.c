/* wm-security - the hourly security verification.
 *
 * From the logs of the window (nginx's access log and the backend's JSON
 * lines, read as Warungin writes them, not as the runbook greps them): 2FA
 * refusals, 401/403 answers by path and source address, store-guard
 * denials, rate-limit hits, brute force, attack-shaped requests, intrusion
 * words; then the active probes that a working protection must refuse
 * (lib/checks/probe.h).  The check is the library unit wm_security_run
 * (lib/checks/check_security.c); this is its command line.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/duration.h"
#include "checks/checks.h"
#include "common/cli.h"
#include "common/prog.h"

#define MAX_PROBES 32

struct opts {
	struct wm_cli cli;
	const char *since, *until;
	const char *probes[MAX_PROBES];
	struct wm_security_check_opts sec;
};

enum { OPT_SINCE = WM_OPT_PROG, OPT_UNTIL, OPT_ACCESS_LOG, OPT_NO_LOGS, OPT_NO_PROBES, OPT_PROBE };

static void __attribute__((noreturn)) usage(int status)
{
	if (status)
		wm_try_help();
	printf("Usage: %s [OPTION]...\n", wm_prog_name());
	fputs("Verify the deployment's security protections from its logs: 2FA refusals,\n"
	      "401/403 answers by path and source address, store-guard denials, rate-limit\n"
	      "hits, brute force, attack-shaped requests and intrusion words in a window.\n\n"
	      "Options:\n"
	      "      --since=WHEN         start of the window (default 1h: an hour ago)\n"
	      "      --until=WHEN         end of the window (default now)\n"
	      "      --access-log=FILE    read nginx's access log from FILE on the target\n"
	      "                           instead of the access services' container logs\n"
	      "      --probe=NAME         run only probe NAME (repeatable)\n"
	      "      --no-probes          the logs only\n"
	      "      --no-logs            the probes only\n",
	      stdout);
	wm_usage_common(stdout);
	fputs("\nA violation (CRITICAL): a probe that got through, a brute force, an\n"
	      "attack-shaped request answered 2xx, an intrusion word.  401/403 answers are "
	      "counted, WARNING above 100 an hour\n"
	      "(-w refused_per_hour=RANGE).  WHEN is a duration before now (90s, 30m, 4h),\n"
	      "RFC 3339 or unix seconds.\n",
	      stdout);
	exit(0);
}

static void
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
	    WM_CLI_LONGOPTS,
	    {"since", required_argument, NULL, OPT_SINCE},
	    {"until", required_argument, NULL, OPT_UNTIL},
	    {"access-log", required_argument, NULL, OPT_ACCESS_LOG},
	    {"probe", required_argument, NULL, OPT_PROBE},
	    {"no-probes", no_argument, NULL, OPT_NO_PROBES},
	    {"no-logs", no_argument, NULL, OPT_NO_LOGS},
	    {NULL, 0, NULL, 0},
	};
	static const char *const what[] = {"", "--since: ", "--until: ", ""};
	struct wm_err err = {0};
	int c, which;

	*o = (struct opts){0};
	wm_cli_defaults(&o->cli);
	while ((c = wm_prog_getopt(argc, argv, &o->cli, longopts, usage)) != -1) {
		switch (c) {
		case OPT_SINCE:
			o->since = optarg;
			break;
		case OPT_UNTIL:
			o->until = optarg;
			break;
		case OPT_ACCESS_LOG:
			if (!*optarg)
				wm_usage_error("empty --access-log name");
			o->sec.access_log = optarg;
			break;
		case OPT_PROBE:
			if (o->sec.nprobes == MAX_PROBES)
				wm_usage_error("too many --probe");
			o->probes[o->sec.nprobes++] = optarg;
			break;
		case OPT_NO_PROBES:
			o->sec.no_probes = true;
			break;
		case OPT_NO_LOGS:
			o->sec.no_logs = true;
			break;
		default:
			usage(WM_UNKNOWN);
		}
	}
	if (o->sec.no_logs && o->sec.no_probes)
		wm_usage_error("--no-logs and --no-probes leave nothing to check");
	o->sec.probes = o->probes;
	if (wm_check_window(&o->sec.since_ms, &o->sec.until_ms, o->sec.window, sizeof o->sec.window,
			    o->since, o->until, false, false, wm_now_ms(), &which, &err) < 0)
		wm_usage_error("%s%s", what[which], err.msg);
}

int
main(int argc, char **argv)
{
	struct opts o;

	wm_prog_init(argc, argv);
	parse_args(argc, argv, &o);
	return wm_prog_run(&o.cli, wm_check_find("security"), &o.sec, 0);
}
